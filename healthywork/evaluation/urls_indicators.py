"""The indicators pages: indicators of the teams' theories of change and their measurements."""

from django.urls import path

from healthywork.evaluation import views_indicators

urlpatterns = [
    path("indicators/", views_indicators.indicator_list, name="indicator-list"),
    path("indicators/<uuid:public_id>/", views_indicators.indicator_detail, name="indicator-detail"),
    path(
        "indicators/<uuid:public_id>/measurements/",
        views_indicators.measurement_add,
        name="indicator-measurement-add",
    ),
    path(
        "indicators/<uuid:public_id>/compute/", views_indicators.measurement_compute, name="indicator-compute"
    ),
    path("indicators/<uuid:public_id>/export/", views_indicators.indicator_export, name="indicator-export"),
    path("indicators/<uuid:public_id>/import/", views_indicators.measurement_import, name="indicator-import"),
    path(
        "indicators/<uuid:public_id>/import/<int:pk>/",
        views_indicators.measurement_import_preview,
        name="indicator-import-preview",
    ),
    path(
        "measurements/<uuid:public_id>/delete/",
        views_indicators.measurement_delete,
        name="indicator-measurement-delete",
    ),
]
