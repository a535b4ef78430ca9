"""The planning toc pages (included by planning/urls.py under the planning: namespace).

`kind` is one of outcome, link, intervention, assumption, indicator; `item_id` is the item's public
id (an assumption's number, as assumptions have no public id)."""

from django.urls import path

from healthywork.planning import views_toc

urlpatterns = [
    path("teams/<uuid:public_id>/toc/", views_toc.toc_page, name="toc"),
    path("teams/<uuid:public_id>/toc/goal/", views_toc.narrative_edit, name="toc-narrative"),
    path("teams/<uuid:public_id>/toc/export/<str:fmt>/", views_toc.toc_export, name="toc-export"),
    path("teams/<uuid:public_id>/toc/<str:kind>/add/", views_toc.item_add, name="toc-item-add"),
    path("teams/<uuid:public_id>/toc/<str:kind>/<str:item_id>/", views_toc.item_edit, name="toc-item-edit"),
    path(
        "teams/<uuid:public_id>/toc/<str:kind>/<str:item_id>/delete/",
        views_toc.item_delete,
        name="toc-item-delete",
    ),
]
