from django.urls import path

from healthywork.partners import views

app_name = "partners"
urlpatterns = [
    path("organizations/", views.organization_list, name="organization-list"),
    path("organizations/export/", views.organization_export, name="organization-export"),
    path("organizations/suggest/", views.organization_suggest, name="organization-suggest"),
    path("organizations/new/", views.organization_create, name="organization-create"),
    path("organizations/import/", views.organization_import, name="organization-import"),
    path(
        "organizations/import/<int:pk>/",
        views.organization_import_preview,
        name="organization-import-preview",
    ),
    path("organizations/<uuid:public_id>/", views.organization_detail, name="organization-detail"),
    path("organizations/<uuid:public_id>/edit/", views.organization_edit, name="organization-edit"),
    path(
        "organizations/<uuid:public_id>/history/",
        views.organization_history,
        name="organization-history",
    ),
    path("organizations/<uuid:public_id>/merge/", views.organization_merge, name="organization-merge"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge-undo"),
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<uuid:public_id>/", views.person_detail, name="person-detail"),
    path("people/<uuid:public_id>/edit/", views.person_edit, name="person-edit"),
    path("people/<uuid:public_id>/history/", views.person_history, name="person-history"),
    path(
        "people/<uuid:public_id>/affiliations/new/",
        views.affiliation_edit,
        name="affiliation-create",
    ),
    path(
        "people/<uuid:public_id>/affiliations/<int:pk>/",
        views.affiliation_edit,
        name="affiliation-edit",
    ),
    path(
        "people/<uuid:public_id>/affiliations/<int:pk>/delete/",
        views.affiliation_delete,
        name="affiliation-delete",
    ),
    path("sectors/", views.sector_list, name="sector-list"),
    path("sectors/new/", views.sector_edit, name="sector-create"),
    path("sectors/<slug:slug>/", views.sector_edit, name="sector-edit"),
    path("populations/new/", views.population_edit, name="population-create"),
    path("populations/<slug:slug>/", views.population_edit, name="population-edit"),
]
