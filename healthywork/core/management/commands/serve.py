"""`healthywork serve`: run the app under gunicorn, the production server."""

import os
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _


def default_port() -> int:
    return int(os.environ.get("PORT", "8000"))


def bind_address(host: str, port: int) -> str:
    """host:port for gunicorn's --bind, with brackets around an IPv6 address."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


def gunicorn_executable() -> str | None:
    """The gunicorn installed beside this Python (the venv's), else the first one on PATH."""
    beside = Path(sys.executable).with_name("gunicorn")
    if beside.exists():
        return str(beside)
    return shutil.which("gunicorn")


class Command(BaseCommand):
    """Serve the app with gunicorn (`healthywork.wsgi:application`).

    The process is replaced by gunicorn (`os.execvp`), so signals (Ctrl-C, a service manager's
    stop) reach gunicorn's master directly and no database connection of this process is
    inherited by the workers. Static files come through whitenoise, so no collectstatic is
    needed. The access log goes to standard output.
    """

    help = "Run the production server (gunicorn) on HOST:PORT."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument(
            "--port", type=int, default=None, help="Port to listen on (default: $PORT or 8000)."
        )
        parser.add_argument("--workers", type=int, default=2, help="Number of worker processes (default 2).")

    def handle(self, *args, host: str, port: int | None, workers: int, **options) -> None:
        port = default_port() if port is None else port
        if workers < 1:
            raise CommandError(_("--workers must be at least 1."))
        executable = gunicorn_executable()
        if executable is None:
            raise CommandError(_("gunicorn is not installed; install the project's dependencies."))
        argv = [
            executable,
            "healthywork.wsgi:application",
            "--bind", bind_address(host, port),
            "--workers", str(workers),
            "--access-logfile", "-",
            "--error-logfile", "-",
        ]  # fmt: skip
        # whitenoise warns about a missing STATIC_ROOT on every worker; an empty folder is enough.
        if settings.STATIC_ROOT:
            Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        # Settings chosen with --settings live in the environment by now; pass them on.
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthywork.settings")
        self.stdout.write(
            _("Serving on http://%(address)s/ (Ctrl-C stops).") % {"address": bind_address(host, port)}
        )
        self.stdout.flush()
        sys.stdout.flush()
        sys.stderr.flush()
        connections.close_all()
        os.execvp(argv[0], argv)
