"""Sections the implementation adds to other apps' pages (the lead wires these into apps.py):

- `team_panels(team, user)`: a short summary of the team's implementation with a link to its page;
- `organization_panels(organization, user)`: PSE changes adopted at the organization (of the teams
  the user may see) and the grants it funded (likewise).
"""

from typing import Any

from django.utils.translation import gettext as _

from healthywork.collaborative.models import Team
from healthywork.core.panels import Panel
from healthywork.implementation import overview
from healthywork.implementation.models import Change, Grant, GrantStatus


def team_panels(team: Team, user: Any) -> list[Panel]:
    if not Team.objects.visible_to(user).filter(pk=team.pk).exists():
        return []
    summary = overview.team_overview(team)
    return [
        Panel(
            title=_("Implementation"),
            template="implementation/panel_team.html",
            context={"team": team, "summary": summary},
            # Shown even when empty, so that the team finds where to start.
            count=max(1, summary["grants"] + summary["milestones"] + summary["changes"]),
        )
    ]


def organization_panels(organization: Any, user: Any) -> list[Panel]:
    if not getattr(user, "is_authenticated", False):
        return []
    changes = list(
        Change.objects.visible_to(user)
        .filter(organization=organization)
        .select_related("team")
        .order_by("-date", "-pk")[:50]
    )
    grants = list(
        Grant.objects.visible_to(user)
        .filter(funder=organization)
        .exclude(status=GrantStatus.WITHDRAWN)
        .select_related("team")
        .order_by("-start_date", "pk")[:50]
    )
    panels = []
    if changes:
        panels.append(
            Panel(
                title=_("PSE changes adopted here"),
                template="implementation/panel_organization_changes.html",
                context={"changes": changes},
                count=len(changes),
            )
        )
    if grants:
        panels.append(
            Panel(
                title=_("Grants it funded"),
                template="implementation/panel_organization_grants.html",
                context={"grants": grants},
                count=len(grants),
            )
        )
    return panels
