"""The scan's documents pages (included by scan/urls.py under the scan: namespace)."""

urlpatterns: list = []
