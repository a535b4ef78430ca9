"""The gap finder and planned introductions (included by network/urls.py under the network: namespace)."""

from django.urls import path

from healthywork.network import views_gaps

urlpatterns = [
    path("waves/<uuid:public_id>/gaps/", views_gaps.gap_finder, name="gaps"),
    path("introductions/plan/", views_gaps.introduction_plan, name="introduction-plan"),
    path("introductions/<uuid:public_id>/made/", views_gaps.introduction_made, name="introduction-made"),
]
