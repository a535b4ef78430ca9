"""The collaborative's board pages (included by collaborative/urls.py)."""

from django.urls import path

from healthywork.collaborative import views_board

urlpatterns = [
    path("cohorts/<uuid:public_id>/board/", views_board.board, name="board"),
]
