"""The scan's codebook pages (included by scan/urls.py under the scan: namespace)."""

from django.urls import path

from healthywork.scan import views_codebook as views

urlpatterns: list = [
    path("projects/<uuid:public_id>/codebook/", views.codebook_view, name="codebook"),
    path("projects/<uuid:public_id>/codebook/new/", views.code_create, name="code-create"),
    path("projects/<uuid:public_id>/codebook/export/", views.codebook_export, name="codebook-export-csv"),
    path("projects/<uuid:public_id>/codebook/import/", views.codebook_import, name="codebook-import-csv"),
    path(
        "projects/<uuid:public_id>/codebook/import/<int:pk>/",
        views.codebook_import_preview,
        name="codebook-import-preview",
    ),
    path("codes/<uuid:public_id>/", views.code_detail, name="code-detail"),
    path("codes/<uuid:public_id>/edit/", views.code_edit, name="code-edit"),
    path("codes/<uuid:public_id>/move/", views.code_move, name="code-move"),
    path("codes/<uuid:public_id>/merge/", views.code_merge, name="code-merge"),
    path("codes/<uuid:public_id>/split/", views.code_split, name="code-split"),
    path("codes/<uuid:public_id>/delete/", views.code_delete, name="code-delete"),
]
