"""Training catalog pages (staff, under /train/) and the public ones (catalog, registration,
calendar), in the `training:` namespace."""

from django.urls import path

from healthywork.training import views_public, views_trainings

urlpatterns = [
    path("", views_trainings.training_list, name="index"),
    path("new/", views_trainings.training_create, name="create"),
    path("<uuid:public_id>/", views_trainings.training_detail, name="detail"),
    path("<uuid:public_id>/edit/", views_trainings.training_edit, name="edit"),
    path("<uuid:public_id>/cancel/", views_trainings.training_cancel, name="cancel"),
    path("<uuid:public_id>/delete/", views_trainings.training_delete, name="delete"),
    path("<uuid:public_id>/training.ics", views_trainings.training_ics, name="training-ics"),
    path("<uuid:public_id>/registrations/new/", views_trainings.registration_add, name="registration-add"),
    path(
        "<uuid:public_id>/registrations.<str:fmt>",
        views_trainings.registrations_export,
        name="registrations-export",
    ),
    path("<uuid:public_id>/materials/new/", views_trainings.material_add, name="material-add"),
    path(
        "<uuid:public_id>/materials/<int:pk>/remove/", views_trainings.material_remove, name="material-remove"
    ),
    path("<uuid:public_id>/materials/<int:pk>/file/", views_trainings.material_file, name="material-file"),
    path(
        "registrations/<uuid:public_id>/cancel/",
        views_trainings.registration_cancel_staff,
        name="registration-cancel-staff",
    ),
    path(
        "registrations/<uuid:public_id>/promote/",
        views_trainings.registration_promote,
        name="registration-promote",
    ),
    # Public (no login).
    path("catalog/", views_public.public_list, name="public-list"),
    path("catalog/<slug:slug>/", views_public.public_detail, name="public-detail"),
    path("catalog/<slug:slug>/training.ics", views_public.public_ics, name="public-ics"),
    path("catalog/<slug:slug>/materials/<int:pk>/", views_public.public_material, name="public-material"),
    path("calendar.ics", views_public.calendar_feed, name="calendar"),
    path("r/<str:token>/", views_public.registration_page, name="registration"),
    path("r/<str:token>/cancel/", views_public.registration_cancel, name="registration-cancel"),
    path("r/<str:token>/training.ics", views_public.registration_ics, name="registration-ics"),
    path(
        "r/<str:token>/materials/<int:pk>/",
        views_public.registration_material,
        name="registration-material",
    ),
]
