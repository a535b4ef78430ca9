"""The scan's interviews pages (included by scan/urls.py under the scan: namespace)."""

urlpatterns: list = []
