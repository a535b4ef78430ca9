"""The scan's projects pages (included by scan/urls.py under the scan: namespace)."""

from django.urls import path

from healthywork.scan import views_projects as views

urlpatterns = [
    path("", views.index, name="index"),
    path("projects/new/", views.project_create, name="project-create"),
    path("projects/<uuid:public_id>/", views.project_detail, name="project-detail"),
    path("projects/<uuid:public_id>/edit/", views.project_edit, name="project-edit"),
    path("projects/<uuid:public_id>/members/", views.project_members, name="project-members"),
    path(
        "projects/<uuid:public_id>/members/<int:pk>/remove/",
        views.member_remove,
        name="project-member-remove",
    ),
    path("projects/<uuid:public_id>/pseudonyms/", views.pseudonyms, name="pseudonyms"),
    path("projects/<uuid:public_id>/pseudonyms/import/", views.pseudonym_import, name="pseudonym-import"),
    path("projects/<uuid:public_id>/pseudonyms/<int:pk>/", views.pseudonym_edit, name="pseudonym-edit"),
    path(
        "projects/<uuid:public_id>/pseudonyms/<int:pk>/delete/",
        views.pseudonym_delete,
        name="pseudonym-delete",
    ),
    path("projects/<uuid:public_id>/deidentify/", views.deidentify_project, name="deidentify"),
]
