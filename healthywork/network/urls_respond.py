"""The public answering pages of the partner survey (no login; the private link is the key)."""

from django.urls import path

from healthywork.network import views_respond

urlpatterns = [
    path("respond/<str:token>/", views_respond.respond, name="respond"),
]
