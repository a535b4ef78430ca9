"""The scan's interviews pages (included by scan/urls.py under the scan: namespace)."""

from django.urls import path

from healthywork.scan import views_interviews as views

urlpatterns = [
    path("projects/<uuid:public_id>/guides/", views.guide_list, name="guide-list"),
    path("projects/<uuid:public_id>/guides/new/", views.guide_create, name="guide-create"),
    path("projects/<uuid:public_id>/guides/seed/", views.guide_seed, name="guide-seed"),
    path("guides/<uuid:public_id>/", views.guide_detail, name="guide-detail"),
    path("guides/<uuid:public_id>/edit/", views.guide_edit, name="guide-edit"),
    path("guides/<uuid:public_id>/new-version/", views.guide_new_version, name="guide-new-version"),
    path("guides/<uuid:public_id>/topics/new/", views.topic_edit, name="topic-create"),
    path("guides/<uuid:public_id>/topics/<int:pk>/", views.topic_edit, name="topic-edit"),
    path(
        "guides/<uuid:public_id>/topics/<int:topic_pk>/questions/new/",
        views.question_edit,
        name="question-create",
    ),
    path("guides/<uuid:public_id>/questions/<int:pk>/", views.question_edit, name="question-edit"),
    path("guides/<uuid:public_id>/<str:kind>/<int:pk>/delete/", views.item_delete, name="guide-item-delete"),
    path("guides/<uuid:public_id>/<str:kind>/<int:pk>/move/", views.item_move, name="guide-item-move"),
    path("projects/<uuid:public_id>/interviews/", views.interview_list, name="interview-list"),
    path("projects/<uuid:public_id>/interviews/new/", views.interview_create, name="interview-create"),
    path(
        "projects/<uuid:public_id>/interviews/schedule/", views.interview_schedule, name="interview-schedule"
    ),
    path(
        "projects/<uuid:public_id>/interviews/schedule.ics",
        views.interview_schedule_ics,
        name="interview-schedule-ics",
    ),
    path("interviews/<uuid:public_id>/", views.interview_detail, name="interview-detail"),
    path("interviews/<uuid:public_id>/edit/", views.interview_edit, name="interview-edit"),
    path("interviews/<uuid:public_id>/delete/", views.interview_delete, name="interview-delete"),
]
