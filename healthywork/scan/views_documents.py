"""Documents of a project: the list, upload (file or pasted text), metadata, edit, delete."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from healthywork.core.pagination import paginate
from healthywork.core.permissions import get_visible_or_404
from healthywork.scan import documents
from healthywork.scan.forms_documents import DocumentForm, DocumentUploadForm
from healthywork.scan.models import Coding, Document, Project
from healthywork.scan.views_projects import count_per, managed_project


def _status(form) -> int:
    return 400 if form.errors else 200


def _document(request: HttpRequest, public_id, manage: bool = False) -> Document:
    document = get_visible_or_404(Document, request.user, public_id=public_id)
    if manage and not document.project.can_manage(request.user):
        raise PermissionDenied
    return document


def document_list(request: HttpRequest, public_id) -> HttpResponse:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    rows = (
        project.documents.select_related("interview__organization")
        .defer("text", "original_text")
        .annotate(coding_count=count_per(Coding.objects.visible_to(request.user), "document"))
    )
    context = {
        "project": project,
        "page": paginate(request, rows),
        "can_manage": project.can_manage(request.user),
    }
    return render(request, "scan/documents_list.html", context)


def document_upload(request: HttpRequest, public_id) -> HttpResponse:
    project = managed_project(request, public_id)
    initial = {"interview": request.GET.get("interview")} if request.GET.get("interview") else None
    form = DocumentUploadForm(request.POST or None, request.FILES or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        document = documents.create_document(
            project,
            form.cleaned_data,
            text=form.extracted_text,
            by=request.user,
            file_name=upload.name if upload else "",
            file_content=form.file_content,
        )
        messages.success(
            request,
            _("%(title)s is added: %(words)s words.")
            % {"title": document.title, "words": document.word_count},
        )
        return redirect("scan:document-detail", public_id=document.public_id)
    return render(
        request, "scan/documents_upload.html", {"form": form, "project": project}, status=_status(form)
    )


def document_detail(request: HttpRequest, public_id) -> HttpResponse:
    document = _document(request, public_id)
    project = document.project
    can_read_originals = project.can_read_originals(request.user)
    context = {
        "document": document,
        "project": project,
        "coding_count": Coding.objects.visible_to(request.user).filter(document=document).count(),
        "codes_used": Coding.objects.visible_to(request.user)
        .filter(document=document)
        .values("code__name")
        .annotate(total=Count("pk"))
        .order_by("-total", "code__name")[:20],
        "can_manage": project.can_manage(request.user),
        "can_read_originals": can_read_originals,
        "original_text": document.original_text if can_read_originals else "",
        "preview": document.text[:1500],
    }
    return render(request, "scan/documents_detail.html", context)


def document_original_file(request: HttpRequest, public_id) -> HttpResponse:
    """The uploaded file, before de-identification: administrators only."""
    document = _document(request, public_id)
    if not document.project.can_read_originals(request.user):
        raise PermissionDenied
    if not document.original_file:
        raise Http404
    return FileResponse(
        document.original_file.open("rb"), as_attachment=True, filename=document.original_name or "document"
    )


def document_edit(request: HttpRequest, public_id) -> HttpResponse:
    document = _document(request, public_id, manage=True)
    form = DocumentForm(request.POST or None, instance=document, project=document.project)
    if request.method == "POST" and form.is_valid():
        documents.update_document(document, form.cleaned_data, by=request.user)
        messages.success(request, _("%(title)s is saved.") % {"title": document.title})
        return redirect("scan:document-detail", public_id=document.public_id)
    context = {"form": form, "document": document, "project": document.project}
    return render(request, "scan/documents_form.html", context, status=_status(form))


def document_delete(request: HttpRequest, public_id) -> HttpResponse:
    document = _document(request, public_id, manage=True)
    project = document.project
    if request.method == "POST":
        documents.delete_document(document, by=request.user)
        messages.success(request, _("%(title)s is deleted.") % {"title": document.title})
        return redirect("scan:document-list", public_id=project.public_id)
    context = {
        "document": document,
        "project": project,
        "coding_count": Coding.objects.visible_to(request.user).filter(document=document).count(),
    }
    return render(request, "scan/documents_confirm_delete.html", context)
