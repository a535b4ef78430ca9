"""The collaborative's cohorts pages (included by collaborative/urls.py)."""

from django.urls import path

from healthywork.collaborative import views_cohorts

urlpatterns = [
    path("", views_cohorts.index, name="index"),
    path("cohorts/new/", views_cohorts.cohort_create, name="cohort-create"),
    path("cohorts/<uuid:public_id>/", views_cohorts.cohort_detail, name="cohort-detail"),
    path("cohorts/<uuid:public_id>/edit/", views_cohorts.cohort_edit, name="cohort-edit"),
    path("cohorts/<uuid:public_id>/share/", views_cohorts.cohort_share, name="cohort-share"),
]
