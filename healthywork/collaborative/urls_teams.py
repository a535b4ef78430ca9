"""The collaborative's teams pages (included by collaborative/urls.py)."""

from django.urls import path

from healthywork.collaborative import views_teams

urlpatterns = [
    path("cohorts/<uuid:public_id>/teams/", views_teams.team_list, name="team-list"),
    path("cohorts/<uuid:public_id>/teams/new/", views_teams.team_create, name="team-create"),
    path("teams/<uuid:public_id>/", views_teams.team_detail, name="team-detail"),
    path("teams/<uuid:public_id>/edit/", views_teams.team_edit, name="team-edit"),
    path("teams/<uuid:public_id>/organizations/", views_teams.team_organizations, name="team-organizations"),
    path(
        "teams/<uuid:public_id>/organizations/<int:pk>/remove/",
        views_teams.team_organization_remove,
        name="team-organization-remove",
    ),
    path("teams/<uuid:public_id>/people/", views_teams.team_people, name="team-people"),
    path(
        "teams/<uuid:public_id>/people/<int:pk>/remove/",
        views_teams.team_person_remove,
        name="team-person-remove",
    ),
    path("teams/<uuid:public_id>/definition/", views_teams.team_definition, name="team-definition"),
]
