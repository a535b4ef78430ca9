"""The network's gaps pages (included by network/urls.py under the network: namespace)."""

urlpatterns: list = []
