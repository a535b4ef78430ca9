"""The scan's exchange pages (included by scan/urls.py under the scan: namespace)."""

urlpatterns: list = []
