"""The scan's exchange pages (included by scan/urls.py under the scan: namespace)."""

from django.urls import path

from healthywork.scan import views_exchange as views

urlpatterns = [
    path("projects/import/", views.project_import, name="project-import"),
    path("projects/import/<int:pk>/", views.project_import_preview, name="project-import-preview"),
    path("projects/<uuid:public_id>/exchange/", views.project_exchange, name="project-exchange"),
    path("projects/<uuid:public_id>/export.qdpx", views.project_export_qdpx, name="project-export-qdpx"),
    path("projects/<uuid:public_id>/codebook.qdc", views.codebook_export_qdc, name="codebook-export-qdc"),
    path(
        "projects/<uuid:public_id>/codebook/import-qdc/",
        views.codebook_import_qdc,
        name="codebook-import-qdc",
    ),
    path(
        "projects/<uuid:public_id>/codebook/import-qdc/<int:pk>/",
        views.codebook_import_qdc_preview,
        name="codebook-import-qdc-preview",
    ),
]
