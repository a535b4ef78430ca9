"""The network's waves pages (included by network/urls.py under the network: namespace)."""

from django.urls import path

from healthywork.network import views_waves

urlpatterns = [
    path("", views_waves.index, name="index"),
    path("waves/", views_waves.wave_list, name="wave-list"),
    path("waves/new/", views_waves.wave_create, name="wave-create"),
    path("waves/<uuid:public_id>/", views_waves.wave_detail, name="wave-detail"),
    path("waves/<uuid:public_id>/edit/", views_waves.wave_edit, name="wave-edit"),
    path("waves/<uuid:public_id>/history/", views_waves.wave_history, name="wave-history"),
]
