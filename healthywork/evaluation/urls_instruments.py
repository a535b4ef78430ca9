"""Instrument builder pages (views_instruments)."""

from django.urls import path

from healthywork.evaluation import views_instruments as views

urlpatterns = [
    path("instruments/", views.instrument_list, name="instrument-list"),
    path("instruments/new/", views.instrument_create, name="instrument-create"),
    path("instruments/import/", views.instrument_import, name="instrument-import"),
    path("instruments/import/<int:pk>/", views.instrument_import_preview, name="instrument-import-preview"),
    path("instruments/<uuid:public_id>/", views.instrument_detail, name="instrument-detail"),
    path("instruments/<uuid:public_id>/edit/", views.instrument_edit, name="instrument-edit"),
    path("instruments/<uuid:public_id>/copy/", views.instrument_copy, name="instrument-copy"),
    path("instruments/<uuid:public_id>/export/", views.instrument_export, name="instrument-export"),
    path("instruments/<uuid:public_id>/dimensions/new/", views.dimension_form, name="dimension-create"),
    path(
        "instruments/<uuid:public_id>/dimensions/<int:pk>/edit/", views.dimension_form, name="dimension-edit"
    ),
    path("instruments/<uuid:public_id>/items/new/", views.item_form, name="item-create"),
    path("instruments/<uuid:public_id>/items/<int:pk>/edit/", views.item_form, name="item-edit"),
    path("instruments/<uuid:public_id>/items/import/", views.items_import, name="instrument-items-import"),
    path(
        "instruments/<uuid:public_id>/items/import/<int:pk>/",
        views.items_import_preview,
        name="instrument-items-import-preview",
    ),
    path(
        "instruments/<uuid:public_id>/<str:part>/<int:pk>/delete/",
        views.part_delete,
        name="instrument-part-delete",
    ),
    path(
        "instruments/<uuid:public_id>/<str:part>/<int:pk>/move/", views.part_move, name="instrument-part-move"
    ),
]
