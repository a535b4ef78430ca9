"""The collaborative's board pages (included by collaborative/urls.py)."""

urlpatterns: list = []
