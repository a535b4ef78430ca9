"""The scan's codebook pages (included by scan/urls.py under the scan: namespace)."""

urlpatterns: list = []
