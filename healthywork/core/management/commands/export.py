"""`healthywork export KIND`: a table of records as CSV, XLSX or JSON, to a file or stdout."""

import importlib
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from healthywork.core import tabular


def interchange_kinds(attribute: str) -> dict[str, Callable[..., Any]]:
    """`attribute` (IMPORTERS or EXPORTERS) merged from every installed app's `interchange`
    module, in INSTALLED_APPS order (found by convention, so that core names no app of ours)."""
    kinds: dict[str, Callable[..., Any]] = {}
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.interchange"
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:  # the app is a module, not a package
            spec = None
        if spec is not None:
            kinds.update(getattr(importlib.import_module(name), attribute, {}))
    return kinds


def find_kind(attribute: str, kind: str) -> Callable[..., Any]:
    kinds = interchange_kinds(attribute)
    if kind not in kinds:
        raise CommandError(
            _("Unknown kind “%(kind)s”. Valid kinds: %(valid)s.")
            % {"kind": kind, "valid": ", ".join(sorted(kinds)) or _("none")}
        )
    return kinds[kind]


def parse_filters(values: list[str]) -> dict[str, str]:
    filters: dict[str, str] = {}
    for value in values:
        name, equals, text = value.partition("=")
        if not equals or not name.strip():
            raise CommandError(
                _("A filter is NAME=VALUE, for example sector=labor; “%(value)s” is not.") % {"value": value}
            )
        filters[name.strip()] = text.strip()
    return filters


class Command(BaseCommand):
    """Export the records of one kind, optionally filtered as on the list page.

    An app takes part by defining `EXPORTERS = {"kind": export}` in its `interchange` module,
    where `export(fmt, filters)` returns the file's bytes and raises ValueError (with a message
    for a person) for a filter it cannot apply. An exporter may declare `export.arguments`, a
    list of (name, help) for positional values it needs after the kind (passed after the
    filters: `export(fmt, filters, *values)`), and `export.formats`, the formats it writes
    (default: CSV, XLSX and JSON).
    """

    help = "Export records (for example organizations) as CSV, XLSX or JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", help="What to export, for example: organizations.")
        parser.add_argument(
            "values", nargs="*", metavar="VALUE", help="What some kinds need, for example the team of plan."
        )
        parser.add_argument(
            "--format",
            dest="fmt",
            default="csv",
            help="csv, xlsx or json; some kinds write others (plan: ics).",
        )
        parser.add_argument("--out", help="File to write (default: standard output).")
        parser.add_argument(
            "--filter",
            dest="filters",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="Keep only matching records, as the list page's filters "
            "(for organizations: q, sector, family, level, state). Repeatable.",
        )

    def handle(
        self, *args, kind: str, values: list[str], fmt: str, out: str | None, filters: list[str], **options
    ):
        export = find_kind("EXPORTERS", kind)
        formats = list(getattr(export, "formats", tabular.EXPORT_FORMATS))
        if fmt not in formats:
            raise CommandError(
                _("Unknown format “%(format)s” for %(kind)s. Valid formats: %(valid)s.")
                % {"format": fmt, "kind": kind, "valid": ", ".join(formats)}
            )
        arguments = list(getattr(export, "arguments", []))
        if len(values) != len(arguments):
            usage = " ".join([kind, *(name.upper() for name, _help in arguments)])
            raise CommandError(
                _("Usage: healthywork export %(usage)s [--format FORMAT] [--out FILE].") % {"usage": usage}
                + "".join(f" {name.upper()}: {text}" for name, text in arguments)
            )
        buffer = getattr(self.stdout, "buffer", None)
        if out is None and fmt in ("xlsx", "sav") and (buffer is None or self.stdout.isatty()):
            raise CommandError(
                _("%(format)s is a binary format: give --out FILE, or redirect the output to a file.")
                % {"format": fmt.upper()}
            )
        try:
            content = export(fmt, parse_filters(filters), *values)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if out is not None:
            try:
                Path(out).write_bytes(content)
            except OSError as error:
                raise CommandError(
                    _("Cannot write %(path)s: %(error)s") % {"path": out, "error": error.strerror}
                ) from None
            self.stdout.write(_("Exported %(kind)s to %(path)s.") % {"kind": kind, "path": out})
        elif buffer is not None:
            self.stdout.flush()
            buffer.write(content)
            buffer.flush()
        else:  # a text stream (as in tests): CSV and JSON are UTF-8 text
            self.stdout.write(content.decode("utf-8"), ending="")
