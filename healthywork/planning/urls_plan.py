"""The action plan pages (included by planning/urls.py under the planning: namespace)."""

from django.urls import path

from healthywork.planning import views_plan

urlpatterns = [
    path("teams/<uuid:public_id>/plan/", views_plan.plan_page, name="plan"),
    path("teams/<uuid:public_id>/plan/export/", views_plan.plan_export, name="plan-export"),
    path("teams/<uuid:public_id>/plan/objectives/new/", views_plan.objective_create, name="objective-create"),
    path("objectives/<uuid:public_id>/edit/", views_plan.objective_edit, name="objective-edit"),
    path("objectives/<uuid:public_id>/delete/", views_plan.objective_delete, name="objective-delete"),
    path("objectives/<uuid:public_id>/move/", views_plan.objective_move, name="objective-move"),
    path("objectives/<uuid:public_id>/steps/new/", views_plan.step_create, name="step-create"),
    path("steps/<uuid:public_id>/edit/", views_plan.step_edit, name="step-edit"),
    path("steps/<uuid:public_id>/delete/", views_plan.step_delete, name="step-delete"),
    path("steps/<uuid:public_id>/move/", views_plan.step_move, name="step-move"),
]
