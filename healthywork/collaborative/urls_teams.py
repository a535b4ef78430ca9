"""The collaborative's teams pages (included by collaborative/urls.py)."""

urlpatterns: list = []
