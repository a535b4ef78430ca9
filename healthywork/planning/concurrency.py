"""Optimistic concurrency for the team artifacts.

Every form that changes a power map, a theory of change or an action plan (or any of their
parts) carries the artifact's `version` as it was when the page was read (a hidden input named
`version`, or the `If-Match`-like `version` field of an API payload). The service calls
`check_version` inside its transaction before writing: when someone else wrote in between, it
raises `EditConflict`, and the view re-renders the form with the person's own values beside the
values now stored (the "both versions" of the conflict message), changing nothing. After a
successful write the service calls `artifact.bump(by)`.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _


@dataclass
class EditConflict(Exception):
    """Someone saved a newer version of the artifact since this form was read."""

    artifact: Any
    read_version: int
    current_version: int
    updated_by: Any = None
    theirs: dict[str, Any] = field(default_factory=dict)  # the stored values, for the message

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        who = str(self.updated_by) if self.updated_by else _("someone else")
        return _(
            "%(who)s saved a newer version (version %(current)s) while you were editing version "
            "%(read)s. Nothing of yours was saved: compare both versions below, then save again."
        ) % {"who": who, "current": self.current_version, "read": self.read_version}


def parse_version(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def check_version(artifact: Any, read_version: Any, theirs: dict[str, Any] | None = None) -> None:
    """Raise EditConflict unless `read_version` is the artifact's version in the database.

    Call inside the write's transaction; the row is locked (SELECT ... FOR UPDATE where the
    database supports it) so two writes at the same version cannot both pass."""
    current = (
        type(artifact).objects.select_for_update().filter(pk=artifact.pk).values_list("version", "updated_by")
    )
    row = current.first()
    if row is None:
        return
    version, updated_by_id = row
    read = parse_version(read_version)
    if read is None or read != version:
        from django.contrib.auth import get_user_model

        updated_by = get_user_model().objects.filter(pk=updated_by_id).first() if updated_by_id else None
        raise EditConflict(
            artifact=artifact,
            read_version=read or 0,
            current_version=version,
            updated_by=updated_by,
            theirs=theirs or {},
        )
