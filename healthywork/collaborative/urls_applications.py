"""The collaborative's applications pages (included by collaborative/urls.py)."""

urlpatterns: list = []
