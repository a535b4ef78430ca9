from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborativeConfig(AppConfig):
    name = "healthywork.collaborative"
    label = "collaborative"
    verbose_name = _("Collaborative")

    def home_summary(self, user) -> list[tuple[str, int, str]]:
        from django.urls import NoReverseMatch, reverse

        from healthywork.collaborative.models import Cohort, Team

        try:
            index = reverse("collaborative:index")
        except NoReverseMatch:  # the collaborative's pages are not installed
            return []
        return [
            (_("Cohorts"), Cohort.objects.visible_to(user).count(), index),
            (_("Teams you can see"), Team.objects.visible_to(user).count(), index),
        ]

    def organization_panels(self, organization, user) -> list:
        """The teams the organization is on (team names are shown; links only where visible)."""
        from healthywork.collaborative.models import Membership, Team
        from healthywork.core.panels import Panel

        if not getattr(user, "is_authenticated", False):
            return []
        memberships = list(
            Membership.objects.filter(organization=organization)
            .select_related("team__cohort")
            .order_by("-team__cohort__start_date", "team__name")[:50]
        )
        visible = set(
            Team.objects.visible_to(user)
            .filter(pk__in=[membership.team_id for membership in memberships])
            .values_list("pk", flat=True)
        )
        return [
            Panel(
                title=_("Collaborative teams"),
                template="collaborative/teams_organization_panel.html",
                context={"memberships": memberships, "visible": visible, "organization": organization},
                count=len(memberships),
            )
        ]

    def network_ties(self, wave) -> list:
        """Every pair of organizations on one team of a cohort whose dates overlap the wave:
        undirected, kind "team_membership", provenance "team", evidence = the team's name."""
        from healthywork.collaborative.models import Membership
        from healthywork.network.graph import pair_edges
        from healthywork.network.models import Provenance, TieKind

        rows = Membership.objects.filter(
            team__cohort__start_date__lte=wave.end_date, team__cohort__end_date__gte=wave.start_date
        ).values_list("team_id", "team__name", "organization_id")
        teams: dict[int, tuple[str, set[int]]] = {}
        for team_id, name, organization_id in rows.iterator(chunk_size=5000):
            teams.setdefault(team_id, (name, set()))[1].add(organization_id)
        return pair_edges(teams.values(), kind=TieKind.TEAM_MEMBERSHIP, provenance=Provenance.TEAM)
