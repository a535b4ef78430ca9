"""The money pages: grants, disbursements and the technical-assistance log."""

from django.urls import path

from healthywork.implementation import views_money

urlpatterns = [
    path("grants/", views_money.grant_list, name="grant-list"),
    path("teams/<uuid:public_id>/grants/new/", views_money.grant_create, name="grant-create"),
    path("grants/<uuid:public_id>/", views_money.grant_detail, name="grant-detail"),
    path("grants/<uuid:public_id>/edit/", views_money.grant_edit, name="grant-edit"),
    path("grants/<uuid:public_id>/delete/", views_money.grant_delete, name="grant-delete"),
    path("grants/<uuid:public_id>/disbursements/", views_money.disbursement_add, name="disbursement-add"),
    path(
        "grants/<uuid:public_id>/disbursements/<int:pk>/delete/",
        views_money.disbursement_delete,
        name="disbursement-delete",
    ),
    path("assistance/", views_money.assistance_list, name="assistance-list"),
    path("assistance/new/", views_money.assistance_create, name="assistance-create"),
    path("assistance/export/", views_money.assistance_export, name="assistance-export"),
    path("assistance/import/", views_money.assistance_import, name="assistance-import"),
    path(
        "assistance/import/<int:pk>/",
        views_money.assistance_import_preview,
        name="assistance-import-preview",
    ),
    path("assistance/<uuid:public_id>/edit/", views_money.assistance_edit, name="assistance-edit"),
    path("assistance/<uuid:public_id>/delete/", views_money.assistance_delete, name="assistance-delete"),
]
