"""REFI-QDA exchange pages: export a project (.qdpx) or codebook (.qdc); import a project or merge a
codebook (upload, preview from a dry run, confirm)."""

import io
import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from healthywork.core.models import StagedUpload
from healthywork.core.permissions import ability_required, get_visible_or_404
from healthywork.core.staging import stage_upload
from healthywork.scan import refi
from healthywork.scan.forms_exchange import CODEBOOK_SUFFIXES, RefiUploadForm
from healthywork.scan.models import Project, RoundStatus
from healthywork.scan.refi_import import import_codebook, import_refi

PROJECT_KIND = "refi-project"
CODEBOOK_KIND = "refi-codebook"


def _filename(project: Project, suffix: str) -> str:
    return f"{slugify(project.name) or 'project'}{suffix}"


def project_exchange(request: HttpRequest, public_id) -> HttpResponse:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    context = {
        "project": project,
        "can_manage": project.can_manage(request.user),
        "can_import_projects": request.user.can("scan.manage"),
        "is_blind": project.rounds.filter(status=RoundStatus.OPEN, coders=request.user).exists(),
    }
    return render(request, "scan/exchange_project.html", context)


def project_export_qdpx(request: HttpRequest, public_id) -> FileResponse:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    out = tempfile.TemporaryFile()  # FileResponse closes it, which deletes it
    refi.export_qdpx(project, out, viewer=request.user)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=_filename(project, ".qdpx"), content_type="application/zip"
    )


def codebook_export_qdc(request: HttpRequest, public_id) -> HttpResponse:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    response = HttpResponse(refi.export_qdc(project), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(project, ".qdc")}"'
    return response


@ability_required("scan.manage")
def project_import(request: HttpRequest) -> HttpResponse:
    form = RefiUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        staged = stage_upload(request.user, PROJECT_KIND, upload.name, upload.read())
        return redirect("scan:project-import-preview", pk=staged.pk)
    context = {"form": form, "project": None}
    return render(request, "scan/exchange_import.html", context, status=400 if form.errors else 200)


@ability_required("scan.manage")
def project_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    staged = get_visible_or_404(StagedUpload, request.user, pk=pk, kind=PROJECT_KIND)
    confirm = request.method == "POST" and bool(request.POST.get("confirm"))
    name = request.POST.get("name", "").strip() or None
    try:
        parsed = refi.read_refi(io.BytesIO(bytes(staged.data)), staged.filename)
        report = import_refi(parsed, by=request.user, project_name=name, dry_run=not confirm)
    except refi.RefiError as error:
        staged.delete()
        context = {"staged": staged, "error": str(error), "again": reverse("scan:project-import")}
        return render(request, "scan/exchange_import_preview.html", context, status=400)
    if not report.dry_run:
        staged.delete()
        messages.success(request, _("Imported “%(name)s”.") % {"name": report.project.name})
        return redirect(report.project)
    context = {"staged": staged, "report": report, "parsed": parsed, "again": reverse("scan:project-import")}
    return render(request, "scan/exchange_import_preview.html", context)


def _managed_project(request: HttpRequest, public_id) -> Project:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    if not project.can_manage(request.user):
        raise PermissionDenied
    return project


def codebook_import_qdc(request: HttpRequest, public_id) -> HttpResponse:
    project = _managed_project(request, public_id)
    form = RefiUploadForm(request.POST or None, request.FILES or None, suffixes=CODEBOOK_SUFFIXES)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        staged = stage_upload(request.user, CODEBOOK_KIND, upload.name, upload.read())
        return redirect("scan:codebook-import-qdc-preview", public_id=project.public_id, pk=staged.pk)
    context = {"form": form, "project": project}
    return render(request, "scan/exchange_import.html", context, status=400 if form.errors else 200)


def codebook_import_qdc_preview(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    project = _managed_project(request, public_id)
    staged = get_visible_or_404(StagedUpload, request.user, pk=pk, kind=CODEBOOK_KIND)
    confirm = request.method == "POST" and bool(request.POST.get("confirm"))
    again = reverse("scan:codebook-import-qdc", args=[project.public_id])
    try:
        parsed = refi.read_refi(io.BytesIO(bytes(staged.data)), staged.filename)
        report = import_codebook(project, parsed, by=request.user, dry_run=not confirm)
    except refi.RefiError as error:
        staged.delete()
        context = {"staged": staged, "project": project, "error": str(error), "again": again}
        return render(request, "scan/exchange_import_preview.html", context, status=400)
    if not report.dry_run:
        staged.delete()
        messages.success(request, _("Codebook imported: %(count)s new codes.") % {"count": report.codes})
        return redirect("scan:codebook", public_id=project.public_id)
    context = {"staged": staged, "project": project, "report": report, "parsed": parsed, "again": again}
    return render(request, "scan/exchange_import_preview.html", context)
