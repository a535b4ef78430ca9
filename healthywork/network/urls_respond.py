"""The network's respond pages (included by network/urls.py under the network: namespace)."""

urlpatterns: list = []
