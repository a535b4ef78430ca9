"""The planning snapshots pages (included by planning/urls.py under the planning: namespace)."""

urlpatterns: list = []
