"""The collaborative's cohorts pages (included by collaborative/urls.py)."""

urlpatterns: list = []
