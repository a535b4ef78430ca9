"""The network's ties pages (included by network/urls.py under the network: namespace)."""

urlpatterns: list = []
