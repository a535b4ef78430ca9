"""The scan's analysis pages (included by scan/urls.py under the scan: namespace)."""

urlpatterns: list = []
