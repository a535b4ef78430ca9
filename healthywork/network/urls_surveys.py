"""The network's surveys pages (included by network/urls.py under the network: namespace)."""

urlpatterns: list = []
