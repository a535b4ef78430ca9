"""The implementation's overview pages (included by implementation/urls.py)."""

from django.urls import path

from healthywork.implementation import views_overview as views

urlpatterns = [
    path("", views.index, name="index"),
    path("cohorts/<uuid:public_id>/", views.cohort, name="cohort"),
    path("cohorts/<uuid:public_id>/export/", views.cohort_export, name="cohort-export"),
    path("teams/<uuid:public_id>/", views.team, name="team"),
]
