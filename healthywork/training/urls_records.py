"""Attendance, completion, certificates and attached instruments (included by training/urls.py)."""

from django.urls import path

from healthywork.training import views_records

urlpatterns = [
    path("trainings/<uuid:public_id>/attendance/", views_records.attendance, name="attendance"),
    path(
        "trainings/<uuid:public_id>/attendance/import/",
        views_records.attendance_import,
        name="attendance-import",
    ),
    path(
        "trainings/<uuid:public_id>/attendance/import/<int:pk>/",
        views_records.attendance_import_preview,
        name="attendance-import-preview",
    ),
    path("trainings/<uuid:public_id>/completion/", views_records.completion, name="completion"),
    path("trainings/<uuid:public_id>/evaluation/", views_records.evaluation, name="evaluation"),
    path(
        "registrations/<uuid:public_id>/completion/",
        views_records.registration_completion,
        name="registration-completion",
    ),
    path("registrations/<uuid:public_id>/certificate/", views_records.certificate, name="certificate"),
    path("certificates/<str:token>/", views_records.certificate_verify, name="certificate-verify"),
    path(
        "certificates/<str:token>/certificate.pdf",
        views_records.certificate_download,
        name="certificate-download",
    ),
]
