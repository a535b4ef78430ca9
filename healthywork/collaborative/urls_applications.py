"""The collaborative's applications pages (included by collaborative/urls.py)."""

from django.urls import path

from healthywork.collaborative import views_applications

urlpatterns = [
    path("apply/<str:token>/", views_applications.apply, name="apply"),
    path("apply/<str:token>/thanks/", views_applications.apply_thanks, name="apply-thanks"),
    path(
        "cohorts/<uuid:public_id>/applications/",
        views_applications.application_list,
        name="application-list",
    ),
    path("applications/<uuid:public_id>/", views_applications.application_detail, name="application-detail"),
    path(
        "applications/<uuid:public_id>/accept/",
        views_applications.application_accept,
        name="application-accept",
    ),
    path(
        "applications/<uuid:public_id>/decline/",
        views_applications.application_decline,
        name="application-decline",
    ),
]
