"""The planning tools' kinds for `healthywork export`: `healthywork export plan TEAM --format
xlsx|ics|json|csv` writes a team's action plan (TEAM is the team's name or public id)."""

import difflib
import uuid
from typing import NoReturn

from django.utils.translation import gettext as _

from healthywork.collaborative.models import Team
from healthywork.planning import plan as plans


def find_team(value: str) -> Team:
    """The team named `value` (case-insensitive) or with that public id; a ValueError naming the
    closest team names otherwise (and the cohorts, when a name is used in several)."""
    text = value.strip()
    try:
        team = Team.objects.filter(public_id=uuid.UUID(text)).first()
    except ValueError:
        team = None
    if team is not None:
        return team
    matches = list(Team.objects.filter(name__iexact=text).select_related("cohort"))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise ValueError(
            _("Several teams are named “%(value)s”; give the public id of one: %(teams)s.")
            % {
                "value": text,
                "teams": "; ".join(f"{team.public_id} ({team.cohort.name})" for team in matches),
            }
        )
    names = list(Team.objects.values_list("name", flat=True).distinct())
    close = (
        difflib.get_close_matches(text, names, n=5, cutoff=0.5)
        or [name for name in names if text.casefold() in name.casefold()][:5]
    )
    _unknown(text, close, names)


def _unknown(text: str, close: list[str], names: list[str]) -> NoReturn:
    if close:
        raise ValueError(
            _("Unknown team “%(value)s”. Did you mean: %(names)s?")
            % {"value": text, "names": "; ".join(close)}
        )
    raise ValueError(
        _("Unknown team “%(value)s”. Teams: %(names)s.")
        % {"value": text, "names": "; ".join(sorted(names)[:20]) or _("none")}
    )


def export_plan(fmt: str, filters: dict[str, str], team_name: str) -> bytes:
    """The action plan of one team as CSV, XLSX, iCalendar or JSON."""
    if filters:
        raise ValueError(_("The plan export takes no filters."))
    team = find_team(team_name)
    plan = plans.plan_of(team)
    if plan is None:
        raise ValueError(_("The team “%(team)s” has no action plan yet.") % {"team": team.name})
    content, _content_type = plans.export_plan(plan, fmt)
    return content


export_plan.arguments = [("team", "The team: its name or public id.")]  # type: ignore[attr-defined]
export_plan.formats = plans.EXPORT_FORMATS  # type: ignore[attr-defined]

EXPORTERS = {"plan": export_plan}
