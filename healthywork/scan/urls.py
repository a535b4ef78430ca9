"""The scan's pages, one module of URL patterns per area, all under the `scan:` namespace."""

from healthywork.scan import (
    urls_analysis,
    urls_codebook,
    urls_coding,
    urls_documents,
    urls_exchange,
    urls_interviews,
    urls_projects,
    urls_rounds,
)

app_name = "scan"

urlpatterns = [
    *urls_projects.urlpatterns,
    *urls_interviews.urlpatterns,
    *urls_documents.urlpatterns,
    *urls_codebook.urlpatterns,
    *urls_coding.urlpatterns,
    *urls_rounds.urlpatterns,
    *urls_analysis.urlpatterns,
    *urls_exchange.urlpatterns,
]
