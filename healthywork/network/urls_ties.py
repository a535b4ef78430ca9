"""The network's ties pages (included by network/urls.py under the network: namespace)."""

from django.urls import path

from healthywork.network import views_ties

urlpatterns = [
    path("waves/<uuid:public_id>/ties/", views_ties.tie_list, name="tie-list"),
    path("waves/<uuid:public_id>/ties/new/", views_ties.tie_create, name="tie-create"),
    path("waves/<uuid:public_id>/ties/export/", views_ties.tie_export, name="tie-export"),
    path("ties/import/", views_ties.tie_import, name="tie-import"),
    path("ties/import/<int:pk>/", views_ties.tie_import_preview, name="tie-import-preview"),
    path("ties/<uuid:public_id>/", views_ties.tie_detail, name="tie-detail"),
    path("ties/<uuid:public_id>/edit/", views_ties.tie_edit, name="tie-edit"),
    path("ties/<uuid:public_id>/delete/", views_ties.tie_delete, name="tie-delete"),
    path("ties/<uuid:public_id>/history/", views_ties.tie_history, name="tie-history"),
]
