from django.urls import path

from healthywork.catalog import views, views_analysis, views_interchange

app_name = "catalog"
urlpatterns = [
    path("", views.catalog, name="index"),
    path("bulk/", views.initiative_bulk, name="initiative-bulk"),
    path("new/", views.initiative_create, name="initiative-create"),
    path("taxonomy/", views.taxonomy, name="taxonomy"),
    path("taxonomy/action-types/new/", views.action_type_edit, name="action-type-create"),
    path("taxonomy/action-types/<slug:slug>/", views.action_type_edit, name="action-type-edit"),
    path("taxonomy/conditions/new/", views.condition_edit, name="condition-create"),
    path("taxonomy/conditions/<slug:slug>/", views.condition_edit, name="condition-edit"),
    path("<uuid:public_id>/", views.initiative_detail, name="initiative-detail"),
    path("<uuid:public_id>/edit/", views.initiative_edit, name="initiative-edit"),
    path("<uuid:public_id>/history/", views.initiative_history, name="initiative-history"),
    path("<uuid:public_id>/delete/", views.initiative_delete, name="initiative-delete"),
]
# The crosstab (views_analysis) and import/export (views_interchange) pages add their paths below.
urlpatterns += [
    path("analysis/", views_analysis.crosstab, name="crosstab"),
    path("analysis/export/", views_analysis.crosstab_export, name="crosstab-export"),
]
urlpatterns += [
    path("import/", views_interchange.initiative_import, name="initiative-import"),
    path("import/<int:pk>/", views_interchange.initiative_import_preview, name="initiative-import-preview"),
    path("export/", views_interchange.initiative_export, name="initiative-export"),
]
