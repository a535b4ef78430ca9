"""The planning tools' pages, one module of URL patterns per area, under the `planning:` namespace."""

from healthywork.planning import urls_plan, urls_powermap, urls_snapshots, urls_toc

app_name = "planning"

urlpatterns = [
    *urls_powermap.urlpatterns,
    *urls_toc.urlpatterns,
    *urls_plan.urlpatterns,
    *urls_snapshots.urlpatterns,
]
