"""The network's map pages (included by network/urls.py under the network: namespace)."""

from django.urls import path

from healthywork.network import views_map

urlpatterns = [
    path("waves/<uuid:public_id>/map/", views_map.network_map, name="map"),
    path("waves/<uuid:public_id>/map/data/", views_map.map_data, name="map-data"),
]
