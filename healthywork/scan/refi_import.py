"""Write what `refi.read_refi` parsed: a new project from a `.qdpx`/`.qde`/`.qdc`, or a `.qdc` merged
into an existing codebook. All or nothing, one transaction and one audit event each."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from healthywork.accounts.roles import Role
from healthywork.core import audit
from healthywork.scan.models import Code, Coding, Document, Project, ProjectMember, ProjectRole
from healthywork.scan.refi import RefiCode, RefiError, RefiProject, parse_description

BATCH = 1000


@dataclass
class ImportReport:
    """What an import did (or, on a dry run, would do)."""

    dry_run: bool
    project_name: str = ""
    project: Project | None = None
    codes: int = 0
    codes_matched: int = 0
    codes_filled: int = 0
    documents: int = 0
    codings: int = 0
    users_created: list[str] = field(default_factory=list)
    users_matched: list[str] = field(default_factory=list)
    skipped_codings: int = 0
    skipped_sources: int = 0
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as sentences (for the command line)."""
        found = [
            _("Project: %(name)s") % {"name": self.project_name},
            _("Codes: %(new)s new, %(matched)s already there (%(filled)s completed).")
            % {"new": self.codes, "matched": self.codes_matched, "filled": self.codes_filled},
            _("Documents: %(count)s.") % {"count": self.documents},
            _("Codings: %(count)s.") % {"count": self.codings},
            _("Coders matched to existing users: %(names)s.")
            % {"names": ", ".join(self.users_matched) or "—"},
            _("Coders created as inactive users: %(names)s.")
            % {"names": ", ".join(self.users_created) or "—"},
        ]
        if self.skipped_codings:
            found.append(
                _("Codings skipped because they fall outside their document: %(count)s.")
                % {"count": self.skipped_codings}
            )
        if self.skipped_sources:
            found.append(
                _("Sources skipped (not text: PDF, picture, audio or video): %(count)s.")
                % {"count": self.skipped_sources}
            )
        return found


class _DryRun(Exception):
    """Raised at the end of a dry run so the transaction rolls everything back."""


def _free_name(name: str) -> str:
    base = name.strip()[:190] or _("Imported project")
    candidate, number = base, 2
    while Project.objects.filter(name=candidate).exists():
        candidate = f"{base} ({number})"
        number += 1
    return candidate


def _start_report(parsed: RefiProject, dry_run: bool) -> ImportReport:
    return ImportReport(
        dry_run=dry_run,
        skipped_codings=parsed.skipped_codings,
        skipped_sources=parsed.skipped_sources,
        warnings=list(parsed.warnings),
    )


def import_refi(
    parsed: RefiProject, *, by, project_name: str | None = None, dry_run: bool = False
) -> ImportReport:
    """Create a new project from a parsed REFI-QDA file: codes (tree), documents, codings and coders.

    A REFI user is matched to an existing user by username (the slug of its name); otherwise an
    inactive user with no usable password is created. Codings without a user are `by`'s. The
    importing person becomes the project's lead. On `dry_run`, or on any error, nothing is written.
    """
    report = _start_report(parsed, dry_run)
    try:
        with transaction.atomic():
            project = Project.objects.create(name=_free_name(project_name or parsed.name))
            report.project_name = project.name
            if by is not None:
                ProjectMember.objects.create(project=project, user=by, role=ProjectRole.LEAD)
            codes = _create_codes(project, parsed.codes, None, report)
            coders = _coders(parsed, project, by, report)
            for source in parsed.sources:
                _create_document(project, source, codes, coders, by, report)
            audit.record(
                by,
                "import",
                project,
                note=_(
                    "REFI-QDA import of %(file)s: %(codes)s codes, %(documents)s documents, "
                    "%(codings)s codings"
                )
                % {
                    "file": parsed.filename,
                    "codes": report.codes,
                    "documents": report.documents,
                    "codings": report.codings,
                },
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        return report
    report.project = project
    return report


def _create_codes(project: Project, codes: list[RefiCode], parent: Code | None, report) -> dict[str, Code]:
    created: dict[str, Code] = {}
    for position, refi_code in enumerate(codes):
        code = Code.objects.create(
            project=project,
            parent=parent,
            name=refi_code.name,
            colour=refi_code.colour,
            position=position,
            **parse_description(refi_code.description),
        )
        report.codes += 1
        created[refi_code.guid] = code
        created.update(_create_codes(project, refi_code.children, code, report))
    return created


def _coders(parsed: RefiProject, project: Project, by, report: ImportReport) -> dict[str | None, object]:
    """{REFI user guid: user} for every user a coding names; None maps to `by`."""
    User = get_user_model()  # noqa: N806
    wanted = {coding.user_guid for source in parsed.sources for coding in source.codings}
    found: dict[str | None, object] = {}
    if None in wanted:
        if by is None:
            raise RefiError(
                _("Some codings name no coder: say who imports the file (--as USERNAME) to own them.")
            )
        found[None] = by
    wanted.discard(None)
    for guid in sorted(wanted):
        name = parsed.users.get(guid) or ""
        username = slugify(name)[:150] or f"refi-{guid[:8]}"
        user = User._default_manager.filter(username=username).first()
        if user is None:
            user = User(username=username, role=Role.CODER, is_active=False, first_name=name[:150])
            user.set_unusable_password()
            user.save()
            report.users_created.append(username)
        elif username not in report.users_matched:
            report.users_matched.append(username)
        if by is None or user.pk != by.pk:
            ProjectMember.objects.get_or_create(
                project=project, user=user, defaults={"role": ProjectRole.CODER}
            )
        found[guid] = user
    return found


def _create_document(project, source, codes: dict[str, Code], coders: dict, by, report) -> None:
    document = Document.objects.create(project=project, title=source.name, text=source.text, created_by=by)
    report.documents += 1
    batch = []
    for refi_coding in source.codings:
        batch.append(
            Coding(
                document=document,
                code=codes[refi_coding.code_guid],
                coder=coders[refi_coding.user_guid],
                start_offset=refi_coding.start,
                end_offset=refi_coding.end,
                snippet=source.text[refi_coding.start : refi_coding.end],
            )
        )
        if len(batch) >= BATCH:
            report.codings += len(Coding.objects.bulk_create(batch))
            batch = []
    report.codings += len(Coding.objects.bulk_create(batch))


def import_codebook(project: Project, parsed: RefiProject, *, by, dry_run: bool = False) -> ImportReport:
    """Merge a parsed codebook into `project`: codes are matched by their path of names; new codes
    are created and matched codes get their empty definition, when-to-use, when-not-to-use and
    example filled from the file (nothing already written is overwritten)."""
    report = _start_report(parsed, dry_run)
    report.project_name = project.name
    if not parsed.is_codebook_only and parsed.sources:
        report.warnings.append(
            _("Only the codebook of this project file is imported; its sources are ignored.")
        )
    try:
        with transaction.atomic():
            _merge_codes(project, parsed.codes, None, report)
            audit.record(
                by,
                "import",
                project,
                note=_("Codebook import of %(file)s: %(new)s new codes, %(filled)s completed")
                % {"file": parsed.filename, "new": report.codes, "filled": report.codes_filled},
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        return report
    report.project = project
    return report


def _merge_codes(project: Project, codes: list[RefiCode], parent: Code | None, report: ImportReport) -> None:
    siblings = Code.objects.filter(project=project, parent=parent)
    next_position = (max(siblings.values_list("position", flat=True), default=-1)) + 1
    for refi_code in codes:
        fields = parse_description(refi_code.description)
        code = siblings.filter(name=refi_code.name).first()
        if code is None:
            code = Code.objects.create(
                project=project,
                parent=parent,
                name=refi_code.name,
                colour=refi_code.colour,
                position=next_position,
                **fields,
            )
            next_position += 1
            report.codes += 1
        else:
            report.codes_matched += 1
            empty = [name for name, value in fields.items() if value and not getattr(code, name).strip()]
            if empty:
                for name in empty:
                    setattr(code, name, fields[name])
                code.save(update_fields=[*empty, "updated_at"])
                report.codes_filled += 1
        _merge_codes(project, refi_code.children, code, report)
