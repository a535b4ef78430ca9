"""The network's metrics pages (included by network/urls.py under the network: namespace)."""

urlpatterns: list = []
