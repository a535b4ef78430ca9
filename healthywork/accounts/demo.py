"""Demo users: one per role, all with one password generated on this machine.

The password is never in the repository: it is made once with `secrets`, kept in
`DATA_DIR/demo-password` (readable by its owner only) and set again on every demo user each time
`load()` runs, so the file and the accounts always agree.
"""

import os
import secrets
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils.translation import gettext as _

from healthywork.accounts.models import User
from healthywork.accounts.roles import Role

PASSWORD_FILE_NAME = "demo-password"

# role -> (username, first name, last name); the names are invented.
DEMO_USERS: dict[str, tuple[str, str, str]] = {
    Role.ADMINISTRATOR: ("demo-admin", "Ada", "Okafor"),
    Role.FACILITATOR: ("demo-facilitator", "Felipe", "Marroquín"),
    Role.TEAM_MEMBER: ("demo-member", "Tamsin", "Reyes"),
    Role.CODER: ("demo-coder", "Corey", "Lindqvist"),
    Role.EVALUATOR: ("demo-evaluator", "Evelina", "Sandoval"),
    Role.VIEWER: ("demo-viewer", "Victor", "Halloran"),
}


def password_file() -> Path:
    """Where the demo password is kept (read from settings at call time, so tests can move it)."""
    return Path(settings.DATA_DIR) / PASSWORD_FILE_NAME


def demo_password() -> str:
    """The demo password: read from its file, or generated and written there (mode 600)."""
    path = password_file()
    if path.exists():
        password = path.read_text().strip()
        if password:
            return password
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(9)
    # O_EXCL with mode 0600: the file is never readable by others, not even for a moment.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(password + "\n")
    return password


def _encoded(password: str, users: list[User]) -> str:
    """A stored hash of `password`: one the demo users already have if it matches, else a new one.

    The demo users share one password, so they can share its hash; this keeps `load()` to one
    slow hash per run instead of one per user.
    """
    for encoded in {user.password for user in users if user.password}:
        if check_password(password, encoded):
            return encoded
    return make_password(password)


@transaction.atomic
def load(stdout: TextIO) -> None:
    """Create or refresh one demo user per role, each with the demo password."""
    password = demo_password()
    users = {}
    created_count = 0
    for role, (username, _first, _last) in DEMO_USERS.items():
        users[role], created = User.objects.get_or_create(username=username)
        created_count += created
    encoded = _encoded(password, list(users.values()))
    for role, (username, first_name, last_name) in DEMO_USERS.items():
        user = users[role]
        is_administrator = role == Role.ADMINISTRATOR
        values = {
            "role": role,
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@example.org",
            "is_active": True,
            "is_staff": is_administrator,
            "is_superuser": is_administrator,
            "password": encoded,
        }
        changed = [field for field, value in values.items() if getattr(user, field) != value]
        for field in changed:
            setattr(user, field, values[field])
        if changed:
            user.save(update_fields=changed)
    stdout.write(
        _("Accounts: %(count)d demo users (%(new)d new), password kept in %(path)s.\n")
        % {"count": len(DEMO_USERS), "new": created_count, "path": password_file()}
    )


def logins() -> list[tuple[str, str, str]]:
    """(role label, username, password) for every demo user, in the order of the roles."""
    password = demo_password()
    return [(str(Role(role).label), username, password) for role, (username, _f, _l) in DEMO_USERS.items()]
