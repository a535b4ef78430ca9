"""The training pages, one module of URL patterns per area, under the `training:` namespace."""

from healthywork.training import urls_records, urls_trainings

app_name = "training"

urlpatterns = [
    *urls_trainings.urlpatterns,
    *urls_records.urlpatterns,
]
