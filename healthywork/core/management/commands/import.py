"""`healthywork import KIND FILE`: a CSV or XLSX file into the database, all of it or nothing."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from healthywork.core import tabular
from healthywork.core.management.commands.export import find_kind

DUPLICATE_CHOICES = ["update", "merge", "skip"]


class Command(BaseCommand):
    """Import a file, print one line per refused row and a summary; exit 1 if anything is refused.

    An app takes part by defining `IMPORTERS = {"kind": import_}` in its `interchange` module,
    where `import_(table, *, dry_run, on_duplicate, by)` writes nothing when any row is refused
    and returns an object with `summary` (count per action), `problems` ((row number or None,
    column, message) tuples), `warnings` (messages) and `is_written`. An importer that reads more
    than tables sets `import_.read_file(data, filename, max_bytes)`, used instead of
    `tabular.read_table` (it raises TableError for a file it cannot read).
    """

    help = "Import records (for example organizations) from a CSV or XLSX file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", help="What to import, for example: organizations.")
        parser.add_argument("file", help="The CSV (UTF-8), XLSX or JSON file.")
        parser.add_argument(
            "--create-missing",
            metavar="SECTOR",
            help="Create every organization the registry lacks, in this sector (for kinds that "
            "name organizations, such as initiatives).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and print what would happen, but write nothing.",
        )
        parser.add_argument(
            "--on-duplicate",
            choices=DUPLICATE_CHOICES,
            help="What to do with a row that matches an existing record (default: refuse it).",
        )
        parser.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="The user the audit trail names as the author of the changes.",
        )

    def handle(
        self,
        *args,
        kind: str,
        file: str,
        dry_run: bool,
        on_duplicate: str | None,
        username: str | None,
        **options,
    ) -> None:
        import_ = find_kind("IMPORTERS", kind)
        by = self._user(username) if username else None
        path = Path(file)
        try:
            data = path.read_bytes()
            read = getattr(import_, "read_file", tabular.read_table)
            table = read(data, path.name, settings.HEALTHYWORK_MAX_UPLOAD_BYTES)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": file, "error": error.strerror}
            ) from None
        except tabular.TableError as error:
            raise CommandError(str(error)) from None

        # Only kinds that name organizations take --create-missing; others never see it.
        extra = {"create_missing": options["create_missing"]} if options.get("create_missing") else {}
        report = import_(table, dry_run=dry_run, on_duplicate=on_duplicate, by=by, **extra)
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(warning))
        for number, column, message in report.problems:
            if number is None:
                self.stdout.write(message)
            else:
                self.stdout.write(
                    _("Row %(row)s, %(column)s: %(message)s")
                    % {"row": number, "column": column, "message": message}
                )
        counts = report.summary
        if report.is_written:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Imported: %(create)s created, %(update)s updated, %(merge)s merged, %(skip)s skipped.")
                    % counts
                )
            )
            return
        self.stdout.write(
            _(
                "In this file: %(create)s to create, %(update)s to update, %(merge)s to merge, "
                "%(skip)s to skip, %(refuse)s refused."
            )
            % counts
        )
        if report.problems:
            raise CommandError(_("Nothing was written: correct the file and import it again."))
        self.stdout.write(_("Dry run: nothing was written."))

    def _user(self, username: str):
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user is called “%(username)s”.") % {"username": username})
        return user
