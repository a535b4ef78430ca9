"""The partner survey's administration pages (included by network/urls.py under network:)."""

from django.urls import path

from healthywork.network import views_surveys as views

urlpatterns = [
    path("surveys/", views.survey_list, name="survey-list"),
    path("surveys/new/", views.survey_create, name="survey-create"),
    path("surveys/<uuid:public_id>/", views.survey_detail, name="survey-detail"),
    path("surveys/<uuid:public_id>/edit/", views.survey_edit, name="survey-edit"),
    path("surveys/<uuid:public_id>/contacts/", views.survey_contacts, name="survey-contacts"),
    path("surveys/<uuid:public_id>/open/", views.survey_action, {"action": "open"}, name="survey-open"),
    path("surveys/<uuid:public_id>/close/", views.survey_action, {"action": "close"}, name="survey-close"),
    path("surveys/<uuid:public_id>/invite/", views.survey_action, {"action": "invite"}, name="survey-invite"),
    path("surveys/<uuid:public_id>/remind/", views.survey_action, {"action": "remind"}, name="survey-remind"),
    path(
        "surveys/<uuid:public_id>/roster/<uuid:organization_id>/reissue/",
        views.survey_reissue,
        name="survey-reissue",
    ),
    path("surveys/<uuid:public_id>/results/", views.survey_results, name="survey-results"),
    path("surveys/<uuid:public_id>/results/export/", views.survey_export, name="survey-export"),
]
