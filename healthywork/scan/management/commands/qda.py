"""`healthywork qda export|import`: REFI-QDA (.qdpx, .qde, .qdc) from and to the command line."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from healthywork.core.forms import upload_limit_mb
from healthywork.scan import refi
from healthywork.scan.models import Project
from healthywork.scan.refi_import import import_refi


class Command(BaseCommand):
    """Export a project as a .qdpx file (every coding, as an operator sees them), or import a
    .qdpx, .qde or .qdc file as a new project; the import prints its report and writes all or nothing."""

    help = "Exchange scan projects with other qualitative-analysis tools through REFI-QDA files."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{export,import}")
        export = actions.add_parser("export", help="Write a project as a .qdpx file.")
        export.add_argument("--out", required=True, metavar="FILE.qdpx", help="The file to write.")
        export.add_argument(
            "--project", metavar="NAME", help="The project (optional when there is only one)."
        )
        imports = actions.add_parser("import", help="Read a .qdpx, .qde or .qdc file into a new project.")
        imports.add_argument("file", help="The .qdpx, .qde or .qdc file.")
        imports.add_argument("--name", help="The new project's name (default: the name in the file).")
        imports.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, but write nothing."
        )
        imports.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="Who imports: the audit trail names them, they become the project's lead and own "
            "codings that name no coder.",
        )

    def handle(self, *args, action: str, **options) -> None:
        if action == "export":
            self._export(options["out"], options.get("project"))
        else:
            self._import(options["file"], options.get("name"), options["dry_run"], options.get("username"))

    def _export(self, out: str, name: str | None) -> None:
        project = self._project(name)
        try:
            with open(out, "wb") as file:
                refi.export_qdpx(project, file)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s: %(error)s") % {"path": out, "error": error.strerror}
            ) from None
        self.stdout.write(self.style.SUCCESS(_("Wrote %(path)s.") % {"path": out}))

    def _project(self, name: str | None) -> Project:
        if name:
            project = Project.objects.filter(name=name).first()
            if project is None:
                raise CommandError(_("No project is called “%(name)s”.") % {"name": name})
            return project
        projects = list(Project.objects.order_by("name")[:2])
        if len(projects) == 1:
            return projects[0]
        if not projects:
            raise CommandError(_("There is no scan project to export."))
        names = ", ".join(f"“{project.name}”" for project in Project.objects.order_by("name"))
        raise CommandError(_("Say which project with --project: %(names)s.") % {"names": names})

    def _import(self, file: str, name: str | None, dry_run: bool, username: str | None) -> None:
        by = self._user(username) if username else None
        path = Path(file)
        try:
            if path.stat().st_size > settings.HEALTHYWORK_MAX_UPLOAD_BYTES:
                raise CommandError(
                    _("The file is %(size)s MB; the limit is %(limit)s MB.")
                    % {
                        "size": round(path.stat().st_size / 1048576, 1),
                        "limit": upload_limit_mb(),
                    }
                )
            with path.open("rb") as upload:
                parsed = refi.read_refi(upload, path.name)
            report = import_refi(parsed, by=by, project_name=name, dry_run=dry_run)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": file, "error": error.strerror}
            ) from None
        except refi.RefiError as error:
            raise CommandError(_("%(error)s Nothing was written.") % {"error": error}) from None
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(warning))
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported “%(name)s”.") % {"name": report.project.name}))

    def _user(self, username: str):
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user is called “%(username)s”.") % {"username": username})
        return user
