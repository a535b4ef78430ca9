"""Comments on a team's artifacts: facilitators comment on every team's work of their cohort,
members on their own team's (`team.can_comment`); a comment may be about one actor, outcome or
step (its public id), and is resolved or reopened. One transaction and one audit event per write."""

import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from healthywork.collaborative.models import Team
from healthywork.core import audit
from healthywork.planning.models import ActionStep, Actor, Comment, Outcome


def about_labels(team: Team) -> dict[str, str]:
    """{public id: name} of the team's actors, outcomes and steps, to show what a comment is about."""
    labels: dict[str, str] = {}
    for public_id, name in Actor.objects.filter(power_map__team=team).values_list("public_id", "name"):
        labels[str(public_id)] = name
    for public_id, title in Outcome.objects.filter(theory__team=team).values_list("public_id", "title"):
        labels[str(public_id)] = title
    for public_id, what in ActionStep.objects.filter(objective__plan__team=team).values_list(
        "public_id", "what"
    ):
        labels[str(public_id)] = _short(what)
    return labels


def about_choices(team: Team) -> list[tuple[str, Any]]:
    """Choices for "about": the whole artifact, then the team's actors, outcomes and steps by group."""
    groups = [
        (_("Actors"), Actor.objects.filter(power_map__team=team).values_list("public_id", "name")),
        (_("Outcomes"), Outcome.objects.filter(theory__team=team).values_list("public_id", "title")),
        (_("Steps"), ActionStep.objects.filter(objective__plan__team=team).values_list("public_id", "what")),
    ]
    choices: list[tuple[str, Any]] = [("", _("The whole tool"))]
    for label, rows in groups:
        items = [(str(public_id), _short(name)) for public_id, name in rows]
        if items:
            choices.append((label, items))
    return choices


def _short(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def is_item_of(team: Team, about: str) -> bool:
    """Whether `about` is the public id of an actor, outcome or step of `team`."""
    try:
        public_id = uuid.UUID(str(about))
    except ValueError:
        return False
    return (
        Actor.objects.filter(power_map__team=team, public_id=public_id).exists()
        or Outcome.objects.filter(theory__team=team, public_id=public_id).exists()
        or ActionStep.objects.filter(objective__plan__team=team, public_id=public_id).exists()
    )


@transaction.atomic
def add_comment(team: Team, kind: str, text: str, *, about: str = "", by: Any) -> Comment:
    """Write a comment (the caller has checked `team.can_comment(by)` and validated `about`)."""
    comment = Comment.objects.create(team=team, kind=kind, about=about or "", text=text.strip(), author=by)
    audit.record(by, "create", comment, audit.diff({}, audit.snapshot(comment)))
    return comment


@transaction.atomic
def set_resolved(comment: Comment, is_resolved: bool, *, by: Any) -> Comment:
    """Resolve a comment, or reopen it."""
    if comment.is_resolved != is_resolved:
        audit.record(by, "change", comment, {"is_resolved": [comment.is_resolved, is_resolved]})
        comment.is_resolved = is_resolved
        comment.save(update_fields=["is_resolved"])
    return comment
