from django.contrib import admin
from django.urls import include, path

from healthywork.api import api

urlpatterns = [
    path("", include("healthywork.core.urls")),
    path("accounts/", include("healthywork.accounts.urls")),
    path("partners/", include("healthywork.partners.urls")),
    path("catalog/", include("healthywork.catalog.urls")),
    path("scan/", include("healthywork.scan.urls")),
    path("network/", include("healthywork.network.urls")),
    path("collaborative/", include("healthywork.collaborative.urls")),
    path("plan/", include("healthywork.planning.urls")),
    path("implement/", include("healthywork.implementation.urls")),
    path("evaluate/", include("healthywork.evaluation.urls")),
    path("train/", include("healthywork.training.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
