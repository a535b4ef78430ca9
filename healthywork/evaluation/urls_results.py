"""Results of administrations: statistics, the responses export, pre/post change."""

from django.urls import path

from healthywork.evaluation import views_results

urlpatterns = [
    path("administrations/<uuid:public_id>/results/", views_results.results_page, name="results"),
    path(
        "administrations/<uuid:public_id>/results/export/",
        views_results.results_export,
        name="results-export",
    ),
    path("prepost/", views_results.prepost_page, name="prepost"),
]
