"""The scan's projects pages (included by scan/urls.py under the scan: namespace)."""

urlpatterns: list = []
