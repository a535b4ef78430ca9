"""The scan's coding pages (included by scan/urls.py under the scan: namespace)."""

urlpatterns: list = []
