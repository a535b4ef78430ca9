"""The collaborative's sessions pages (included by collaborative/urls.py)."""

from django.urls import path

from healthywork.collaborative import views_sessions

urlpatterns = [
    path("cohorts/<uuid:public_id>/sessions/", views_sessions.session_list, name="session-list"),
    path("cohorts/<uuid:public_id>/sessions/new/", views_sessions.session_create, name="session-create"),
    path("cohorts/<uuid:public_id>/sessions.ics", views_sessions.sessions_ics, name="sessions-ics"),
    path("sessions/<uuid:public_id>/", views_sessions.session_detail, name="session-detail"),
    path("sessions/<uuid:public_id>/edit/", views_sessions.session_edit, name="session-edit"),
    path("sessions/<uuid:public_id>/delete/", views_sessions.session_delete, name="session-delete"),
    path("sessions/<uuid:public_id>/materials/new/", views_sessions.material_add, name="material-add"),
    path(
        "sessions/<uuid:public_id>/materials/<int:pk>/remove/",
        views_sessions.material_remove,
        name="material-remove",
    ),
    path(
        "sessions/<uuid:public_id>/materials/<int:pk>/file/",
        views_sessions.material_file,
        name="material-file",
    ),
    path(
        "sessions/<uuid:public_id>/attendance/", views_sessions.session_attendance, name="session-attendance"
    ),
    path(
        "sessions/<uuid:public_id>/attendance/walk-in/",
        views_sessions.attendance_walk_in,
        name="attendance-walk-in",
    ),
    path("sessions/<uuid:public_id>/sign-in/", views_sessions.session_sign_in, name="session-sign-in"),
    path(
        "sessions/<uuid:public_id>/deliverables/new/",
        views_sessions.deliverable_create,
        name="deliverable-create",
    ),
    path("deliverables/<uuid:public_id>/edit/", views_sessions.deliverable_edit, name="deliverable-edit"),
    path(
        "deliverables/<uuid:public_id>/delete/", views_sessions.deliverable_delete, name="deliverable-delete"
    ),
]
