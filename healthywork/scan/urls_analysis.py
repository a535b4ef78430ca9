"""The scan's analysis pages (included by scan/urls.py under the scan: namespace)."""

from django.urls import path

from healthywork.scan import views_analysis

urlpatterns = [
    path("projects/<uuid:public_id>/segments/", views_analysis.segments, name="segments"),
    path(
        "projects/<uuid:public_id>/code-by-sector/",
        views_analysis.code_sector_matrix,
        name="code-sector-matrix",
    ),
    path("projects/<uuid:public_id>/cooccurrence/", views_analysis.cooccurrence, name="cooccurrence"),
    path(
        "codings/<uuid:public_id>/to-initiative/",
        views_analysis.quote_to_initiative,
        name="quote-to-initiative",
    ),
]
