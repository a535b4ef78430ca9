"""The planning powermap pages (included by planning/urls.py under the planning: namespace)."""

urlpatterns: list = []
