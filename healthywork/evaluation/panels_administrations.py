"""The team page's panel of the administrations about a team (given to the team, or answered by
its people), with response counts. The app config's `team_panels` should add
`panels_administrations.team_panels(team, user)` to the indicators' panel."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from healthywork.collaborative.models import Team
from healthywork.core.panels import Panel
from healthywork.evaluation.models import Administration, ResponseStatus


def team_panels(team: Team, user) -> list[Panel]:
    if not Team.objects.visible_to(user).filter(pk=team.pk).exists():
        return []
    about_team = Q(team=team) | Q(invitations__team=team) | Q(responses__team=team)
    ids = Administration.objects.visible_to(user).filter(about_team).values("pk")
    rows = list(
        Administration.objects.filter(pk__in=ids)
        .select_related("instrument")
        .annotate(
            invited=Count("invitations", distinct=True),
            complete=Count("responses", filter=Q(responses__status=ResponseStatus.COMPLETE), distinct=True),
            team_complete=Count(
                "responses",
                filter=Q(responses__status=ResponseStatus.COMPLETE, responses__team=team),
                distinct=True,
            ),
        )
        .order_by("-opens_at", "-pk")[:20]
    )
    return [
        Panel(
            title=_("Surveys"),
            template="evaluation/administration_panel.html",
            context={"team": team, "rows": rows},
            count=len(rows),
        )
    ]
