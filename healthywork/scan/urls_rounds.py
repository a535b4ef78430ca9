"""The scan's rounds pages (included by scan/urls.py under the scan: namespace)."""

from django.urls import path

from healthywork.scan import views_rounds as views

urlpatterns = [
    path("projects/<uuid:public_id>/rounds/", views.round_list, name="round-list"),
    path("projects/<uuid:public_id>/rounds/new/", views.round_create, name="round-create"),
    path("rounds/<uuid:public_id>/", views.round_detail, name="round-detail"),
    path("rounds/<uuid:public_id>/edit/", views.round_edit, name="round-edit"),
    path("rounds/<uuid:public_id>/close/", views.round_close, name="round-close"),
    path("rounds/<uuid:public_id>/reopen/", views.round_reopen, name="round-reopen"),
    path("rounds/<uuid:public_id>/compare/", views.round_compare, name="round-compare"),
    path("rounds/<uuid:public_id>/reconcile/", views.round_reconcile, name="round-reconcile"),
    path(
        "rounds/<uuid:public_id>/accept-agreements/",
        views.round_accept_agreements,
        name="round-accept-agreements",
    ),
]
