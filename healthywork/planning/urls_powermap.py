"""The planning index and the power map pages (included by planning/urls.py under the planning:
namespace). Team-scoped addresses take the team's public id; relationships have no public id of
their own, so they are addressed by number inside their team's map."""

from django.urls import path

from healthywork.planning import views_powermap as views

urlpatterns = [
    path("", views.planning_index, name="index"),
    path("teams/<uuid:public_id>/powermap/", views.powermap_page, name="powermap"),
    path("teams/<uuid:public_id>/powermap/issue/", views.issue_edit, name="powermap-issue"),
    path("teams/<uuid:public_id>/powermap/actors/new/", views.actor_create, name="powermap-actor-create"),
    path("teams/<uuid:public_id>/powermap/own/", views.own_add, name="powermap-own"),
    path("teams/<uuid:public_id>/powermap/links/new/", views.link_create, name="powermap-link-create"),
    path("teams/<uuid:public_id>/powermap/links/<int:link_id>/", views.link_edit, name="powermap-link-edit"),
    path(
        "teams/<uuid:public_id>/powermap/links/<int:link_id>/delete/",
        views.link_delete,
        name="powermap-link-delete",
    ),
    path("teams/<uuid:public_id>/powermap/export/<str:fmt>/", views.powermap_export, name="powermap-export"),
    path("actors/<uuid:public_id>/edit/", views.actor_edit, name="actor-edit"),
    path("actors/<uuid:public_id>/place/", views.actor_place, name="actor-place"),
    path("actors/<uuid:public_id>/delete/", views.actor_delete, name="actor-delete"),
]
