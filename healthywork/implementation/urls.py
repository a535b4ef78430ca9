"""The implementation pages, one module of URL patterns per area, under the `implementation:` namespace."""

from healthywork.implementation import urls_money, urls_overview, urls_progress

app_name = "implementation"

urlpatterns = [
    *urls_money.urlpatterns,
    *urls_progress.urlpatterns,
    *urls_overview.urlpatterns,
]
