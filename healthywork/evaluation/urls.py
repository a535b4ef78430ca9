"""The evaluation pages, one module of URL patterns per area, under the `evaluation:` namespace."""

from healthywork.evaluation import urls_administrations, urls_indicators, urls_instruments, urls_results

app_name = "evaluation"

urlpatterns = [
    *urls_instruments.urlpatterns,
    *urls_administrations.urlpatterns,
    *urls_results.urlpatterns,
    *urls_indicators.urlpatterns,
]
