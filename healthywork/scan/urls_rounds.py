"""The scan's rounds pages (included by scan/urls.py under the scan: namespace)."""

urlpatterns: list = []
