"""The collaborative's sessions pages (included by collaborative/urls.py)."""

urlpatterns: list = []
