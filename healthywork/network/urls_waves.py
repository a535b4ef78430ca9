"""The network's waves pages (included by network/urls.py under the network: namespace)."""

urlpatterns: list = []
