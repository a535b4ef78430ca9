"""The scan's documents pages (included by scan/urls.py under the scan: namespace)."""

from django.urls import path

from healthywork.scan import views_documents as views

urlpatterns = [
    path("projects/<uuid:public_id>/documents/", views.document_list, name="document-list"),
    path("projects/<uuid:public_id>/documents/new/", views.document_upload, name="document-upload"),
    path("documents/<uuid:public_id>/", views.document_detail, name="document-detail"),
    path("documents/<uuid:public_id>/edit/", views.document_edit, name="document-edit"),
    path("documents/<uuid:public_id>/delete/", views.document_delete, name="document-delete"),
    path("documents/<uuid:public_id>/original/", views.document_original_file, name="document-original-file"),
]
