"""The planning toc pages (included by planning/urls.py under the planning: namespace)."""

urlpatterns: list = []
