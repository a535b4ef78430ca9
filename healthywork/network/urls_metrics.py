"""The network's metrics pages (included by network/urls.py under the network: namespace)."""

from django.urls import path

from healthywork.network import views_metrics

urlpatterns = [
    path("waves/<uuid:public_id>/metrics/", views_metrics.metrics, name="metrics"),
    path("waves/<uuid:public_id>/metrics/export/", views_metrics.metrics_export, name="metrics-export"),
    path("compare/", views_metrics.compare_waves, name="compare"),
]
