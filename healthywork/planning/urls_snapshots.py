"""The planning snapshots and comments pages (included by planning/urls.py under the planning:
namespace). Team-scoped addresses take the team's public id; a cohort's addresses the cohort's."""

from django.urls import path

from healthywork.planning import views_snapshots as views

urlpatterns = [
    path("teams/<uuid:public_id>/snapshots/", views.snapshot_list, name="snapshots"),
    path("teams/<uuid:public_id>/snapshots/take/", views.snapshot_take_team, name="snapshot-take-team"),
    path("teams/<uuid:public_id>/snapshots/diff/", views.snapshot_diff, name="snapshot-diff"),
    path("snapshots/<uuid:public_id>/", views.snapshot_detail, name="snapshot-detail"),
    path("snapshots/<uuid:public_id>/delete/", views.snapshot_delete, name="snapshot-delete"),
    path("cohorts/<uuid:public_id>/snapshots/take/", views.snapshot_take, name="snapshot-take"),
    path("cohorts/<uuid:public_id>/evolution/", views.cohort_evolution, name="cohort-evolution"),
    path("teams/<uuid:public_id>/comments/", views.comments_page, name="comments"),
    path("teams/<uuid:public_id>/comments/add/", views.comment_add, name="comment-add"),
    path("comments/<uuid:public_id>/resolve/", views.comment_resolve, name="comment-resolve"),
]
