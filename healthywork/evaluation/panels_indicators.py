"""The team page's panel of indicators with their latest values (the app config's `team_panels`
calls `team_panels(team, user)`)."""

from django.utils.translation import gettext as _

from healthywork.collaborative.models import Team
from healthywork.core.panels import Panel
from healthywork.evaluation import indicators


def team_panels(team: Team, user) -> list[Panel]:
    if not Team.objects.visible_to(user).filter(pk=team.pk).exists():
        return []
    rows = list(
        indicators.visible_indicators(user).filter(outcome__theory__team=team).order_by("outcome_id", "pk")
    )
    latest = indicators.latest_by_indicator(rows)
    return [
        Panel(
            title=_("Indicators"),
            template="evaluation/indicator_panel.html",
            context={"team": team, "rows": [{"indicator": i, "latest": latest.get(i.pk)} for i in rows]},
            count=len(rows),
        )
    ]
