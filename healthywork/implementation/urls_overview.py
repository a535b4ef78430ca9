"""Filled by the area's author."""

urlpatterns: list = []
