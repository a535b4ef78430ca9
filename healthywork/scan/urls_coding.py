"""The scan's coding pages (included by scan/urls.py under the scan: namespace)."""

from django.urls import path

from healthywork.scan import views_coding

urlpatterns = [
    path("documents/<uuid:public_id>/code/", views_coding.document_code, name="document-code"),
    path(
        "documents/<uuid:public_id>/code/sentences/",
        views_coding.document_code_sentences,
        name="document-code-sentences",
    ),
    path("documents/<uuid:public_id>/code/apply/", views_coding.coding_apply, name="coding-apply"),
    path("documents/<uuid:public_id>/memos/add/", views_coding.memo_add, name="memo-add"),
    path("codings/<uuid:public_id>/adjust/", views_coding.coding_adjust, name="coding-adjust"),
    path("codings/<uuid:public_id>/remove/", views_coding.coding_remove, name="coding-remove"),
    path("memos/<uuid:public_id>/edit/", views_coding.memo_edit, name="memo-edit"),
    path("memos/<uuid:public_id>/delete/", views_coding.memo_delete, name="memo-delete"),
]
