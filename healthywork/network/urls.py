"""The network's pages, one module of URL patterns per area, all under the `network:` namespace."""

from healthywork.network import (
    urls_gaps,
    urls_map,
    urls_metrics,
    urls_respond,
    urls_surveys,
    urls_ties,
    urls_waves,
)

app_name = "network"

urlpatterns = [
    *urls_waves.urlpatterns,
    *urls_ties.urlpatterns,
    *urls_map.urlpatterns,
    *urls_metrics.urlpatterns,
    *urls_gaps.urlpatterns,
    *urls_surveys.urlpatterns,
    *urls_respond.urlpatterns,
]
