"""Roles and what each may do. Views ask `user.can("ability")`; nothing else checks role names."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    FACILITATOR = "facilitator", _("Facilitator")
    TEAM_MEMBER = "team_member", _("Team member")
    CODER = "coder", _("Coder")
    EVALUATOR = "evaluator", _("Evaluator")
    VIEWER = "viewer", _("Viewer")


ROLE_DESCRIPTIONS = {
    Role.ADMINISTRATOR: _("Program staff: everything, including users, merges and the audit log."),
    Role.FACILITATOR: _("Runs cohorts and teams; edits the partner registry."),
    Role.TEAM_MEMBER: _("Works on their own team's plans; reads the registry."),
    Role.CODER: _("Codes assigned interview documents; reads the registry and its people."),
    Role.EVALUATOR: _("Runs instruments and reads results; reads the registry and its people."),
    Role.VIEWER: _("Reads what is shared, changes nothing."),
}

ABILITIES: dict[str, set[str]] = {
    Role.ADMINISTRATOR: {
        "registry.edit",
        "registry.import",
        "registry.merge",
        "registry.taxonomy",
        "people.view_all",
        "users.manage",
        "audit.view",
        "catalog.edit",
        "catalog.taxonomy",
        "scan.manage",
        "network.edit",
        "network.manage",
        "collaborative.manage",
        "collaborative.view_all",
        "implementation.manage",
        "evaluation.manage",
        "evaluation.view_all",
        "training.manage",
    },
    Role.FACILITATOR: {
        "registry.edit",
        "registry.import",
        "people.view_all",
        "catalog.edit",
        "network.edit",
        "collaborative.manage",
        "collaborative.view_all",
        "training.manage",
    },
    Role.TEAM_MEMBER: set(),
    Role.CODER: {"people.view_all"},
    Role.EVALUATOR: {"people.view_all", "collaborative.view_all", "evaluation.manage", "evaluation.view_all"},
    Role.VIEWER: set(),
}


def role_can(role: str, ability: str) -> bool:
    return ability in ABILITIES.get(role, set())
