"""The evaluation overview, administrations and the answering links (included by evaluation/urls.py)."""

from django.urls import path

from healthywork.evaluation import views_administrations, views_respond

urlpatterns = [
    path("", views_administrations.index, name="index"),
    path("administrations/", views_administrations.administration_list, name="administration-list"),
    path("administrations/new/", views_administrations.administration_create, name="administration-create"),
    path(
        "administrations/<uuid:public_id>/",
        views_administrations.administration_detail,
        name="administration-detail",
    ),
    path(
        "administrations/<uuid:public_id>/edit/",
        views_administrations.administration_edit,
        name="administration-edit",
    ),
    path(
        "administrations/<uuid:public_id>/close/",
        views_administrations.administration_close,
        name="administration-close",
    ),
    path(
        "administrations/<uuid:public_id>/invite/",
        views_administrations.invitation_add,
        name="administration-invite",
    ),
    path(
        "administrations/<uuid:public_id>/send/",
        views_administrations.invitation_send,
        name="administration-send",
    ),
    path(
        "administrations/<uuid:public_id>/responses/",
        views_administrations.response_list,
        name="administration-responses",
    ),
    path("s/<str:token>/", views_respond.respond_public, name="respond-public"),
    path("i/<str:token>/", views_respond.respond_personal, name="respond-personal"),
    path("r/<str:token>/", views_respond.respond_resume, name="respond-resume"),
]
