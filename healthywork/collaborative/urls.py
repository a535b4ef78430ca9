"""The collaborative's pages, one module of URL patterns per area, under the `collaborative:` namespace."""

from healthywork.collaborative import urls_applications, urls_board, urls_cohorts, urls_sessions, urls_teams

app_name = "collaborative"

urlpatterns = [
    *urls_cohorts.urlpatterns,
    *urls_applications.urlpatterns,
    *urls_teams.urlpatterns,
    *urls_sessions.urlpatterns,
    *urls_board.urlpatterns,
]
