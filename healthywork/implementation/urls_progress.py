"""Milestones, progress reports and PSE changes (included by implementation/urls.py)."""

from django.urls import path

from healthywork.implementation import views_progress as views

urlpatterns = [
    path("teams/<uuid:public_id>/milestones/new/", views.milestone_create, name="milestone-create"),
    path("milestones/<uuid:public_id>/edit/", views.milestone_edit, name="milestone-edit"),
    path("milestones/<uuid:public_id>/delete/", views.milestone_delete, name="milestone-delete"),
    path("teams/<uuid:public_id>/reports/new/", views.report_create, name="report-create"),
    path("reports/<uuid:public_id>/", views.report_detail, name="report-detail"),
    path("reports/<uuid:public_id>/edit/", views.report_edit, name="report-edit"),
    path("reports/<uuid:public_id>/delete/", views.report_delete, name="report-delete"),
    path("teams/<uuid:public_id>/changes/new/", views.change_create, name="change-create"),
    path("changes/", views.change_list, name="change-list"),
    path("changes/export/", views.change_export, name="change-export"),
    path("changes/<uuid:public_id>/", views.change_detail, name="change-detail"),
    path("changes/<uuid:public_id>/edit/", views.change_edit, name="change-edit"),
    path("changes/<uuid:public_id>/delete/", views.change_delete, name="change-delete"),
]
