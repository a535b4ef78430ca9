"""`healthywork demo`: a working app with demo data, in one command."""

import importlib
import importlib.util
from types import ModuleType

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from healthywork.core.management.commands.serve import bind_address, default_port


def demo_modules() -> list[ModuleType]:
    """Each installed app's `demo` module, in INSTALLED_APPS order (found by convention, so that
    core names no app of ours)."""
    modules: list[ModuleType] = []
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.demo"
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:  # the app is a module, not a package
            spec = None
        if spec is not None:
            modules.append(importlib.import_module(name))
    return modules


class Command(BaseCommand):
    """Migrate, load every app's demo data, print the address and the demo logins, then serve.

    An app takes part by having a `demo` module with `load(stdout)`; a module that also has
    `logins()` (a list of (role, username, password)) has its logins printed. Loading is
    idempotent, so the command can be run again at any time.
    """

    help = "Set up the database, load demo data, print demo logins and start the server."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help="Load the demo data but do not start the server."
        )
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument(
            "--port", type=int, default=None, help="Port to listen on (default: $PORT or 8000)."
        )

    def handle(self, *args, no_serve: bool, host: str, port: int | None, **options) -> None:
        port = default_port() if port is None else port
        call_command("migrate", interactive=False, verbosity=0)
        modules = demo_modules()
        with transaction.atomic():
            for module in modules:
                if callable(getattr(module, "load", None)):
                    module.load(stdout=self.stdout)

        self.stdout.write("")
        self.stdout.write(_("The demo is at http://%(address)s/") % {"address": bind_address(host, port)})
        self.stdout.write(_("Sign in with one of these demo logins (one per role):"))
        for module in modules:
            if callable(getattr(module, "logins", None)):
                for role, username, password in module.logins():
                    self.stdout.write(
                        "  "
                        + _("%(role)s: login %(username)s, password %(password)s")
                        % {"role": role, "username": username, "password": password}
                    )
        self.stdout.write("")
        if not no_serve:
            call_command("serve", host=host, port=port)
