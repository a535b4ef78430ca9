"""The network's map pages (included by network/urls.py under the network: namespace)."""

urlpatterns: list = []
