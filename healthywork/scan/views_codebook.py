"""The codebook pages: the tree, one code, its edits, and the CSV/XLSX exchange."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from healthywork.core import tabular
from healthywork.core.permissions import get_visible_or_404
from healthywork.core.staging import stage_upload, staged_table
from healthywork.scan import codebook
from healthywork.scan.forms_codebook import (
    CodeForm,
    DeleteForm,
    ImportForm,
    MergeForm,
    MoveForm,
    SplitForm,
    add_service_errors,
)
from healthywork.scan.models import Code, Coding, Project

STAGED_KIND = "scan-codebook"


def _posted(request: HttpRequest):
    """The POST data on a POST (even an empty one, so that a missing box is an error), else None."""
    return request.POST if request.method == "POST" else None


def _status(form) -> int:
    return 400 if form.errors else 200


def _managed_code(request: HttpRequest, public_id) -> Code:
    code = get_visible_or_404(Code, request.user, public_id=public_id)
    if not code.project.can_manage(request.user):
        raise PermissionDenied("scan.manage")
    return code


def _managed_project(request: HttpRequest, public_id) -> Project:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    if not project.can_manage(request.user):
        raise PermissionDenied("scan.manage")
    return project


def _tree(codes: list[Code], counts: dict[int, int], query: str) -> list[dict]:
    """Nested nodes {code, count, children, is_match}; with a query, only matches and their ancestors."""
    nodes = {code.pk: {"code": code, "count": counts.get(code.pk, 0), "children": []} for code in codes}
    needle = query.casefold()
    keep = set(nodes)
    if needle:
        keep = set()
        for code in codes:
            text = " ".join([code.name, code.definition, code.when_to_use, code.example]).casefold()
            if needle in text:
                nodes[code.pk]["is_match"] = True
                pk = code.pk
                while pk is not None and pk not in keep:
                    keep.add(pk)
                    pk = nodes[pk]["code"].parent_id
    roots = []
    for code in codebook.tree_order(codes):
        if code.pk not in keep:
            continue
        (nodes[code.parent_id]["children"] if code.parent_id else roots).append(nodes[code.pk])
    return roots


def codebook_view(request: HttpRequest, public_id) -> HttpResponse:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    query = request.GET.get("q", "").strip()[:200]
    counts = dict(
        Coding.objects.visible_to(request.user)
        .filter(code__project=project)
        .values("code")
        .annotate(total=Count("pk"))
        .values_list("code", "total")
    )
    codes = list(project.codes.all())
    context = {
        "project": project,
        "tree": _tree(codes, counts, query),
        "code_count": len(codes),
        "query": query,
        "can_manage": project.can_manage(request.user),
    }
    template = "scan/codebook_index.html" + ("#tree" if request.htmx and not request.htmx.boosted else "")
    return render(request, template, context)


def code_detail(request: HttpRequest, public_id) -> HttpResponse:
    code = get_visible_or_404(Code, request.user, public_id=public_id)
    codings = Coding.objects.visible_to(request.user).filter(code=code)
    by_coder = codings.values("coder__username", "coder__first_name", "coder__last_name").annotate(
        total=Count("pk")
    )
    context = {
        "code": code,
        "project": code.project,
        "ancestors": code.ancestors(),
        "children": code.children.annotate(child_count=Count("children")),
        "total": codings.count(),
        "by_coder": by_coder.order_by("-total", "coder__username"),
        "segments": codings.select_related("document", "coder").order_by("-created_at", "-id")[:50],
        "can_manage": code.project.can_manage(request.user),
    }
    return render(request, "scan/codebook_code_detail.html", context)


def code_create(request: HttpRequest, public_id) -> HttpResponse:
    project = _managed_project(request, public_id)
    paths = codebook.code_paths(project)
    form = CodeForm(
        _posted(request), project=project, paths=paths, initial={"parent": request.GET.get("parent")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            code = codebook.create_code(project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The code “%(name)s” is added.") % {"name": code.name})
            return redirect(code)
    context = {"form": form, "project": project}
    return render(request, "scan/codebook_code_form.html", context, status=_status(form))


def code_edit(request: HttpRequest, public_id) -> HttpResponse:
    code = _managed_code(request, public_id)
    initial = {field: getattr(code, field) for field in codebook.CODE_FIELDS}
    form = CodeForm(_posted(request), project=code.project, paths={}, with_parent=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            codebook.update_code(code, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The code “%(name)s” is saved.") % {"name": code.name})
            return redirect(code)
    context = {"form": form, "project": code.project, "code": code}
    return render(request, "scan/codebook_code_form.html", context, status=_status(form))


def code_move(request: HttpRequest, public_id) -> HttpResponse:
    code = _managed_code(request, public_id)
    form = MoveForm(_posted(request), code=code, paths=codebook.code_paths(code.project))
    if request.method == "POST" and form.is_valid():
        position = form.cleaned_data["position"]
        try:
            codebook.move_code(
                code,
                new_parent=form.cleaned_data["parent"],
                position=None if position is None else position - 1,
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The code “%(name)s” is moved.") % {"name": code.name})
            return redirect("scan:codebook", code.project.public_id)
    context = {"form": form, "project": code.project, "code": code}
    return render(request, "scan/codebook_code_move.html", context, status=_status(form))


def code_merge(request: HttpRequest, public_id) -> HttpResponse:
    code = _managed_code(request, public_id)
    form = MergeForm(_posted(request), code=code, paths=codebook.code_paths(code.project))
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            summary = codebook.merge_codes(code, target, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "“%(merged)s” is merged into “%(into)s”: %(codings_moved)s segments moved, "
                    "%(duplicates_dropped)s duplicates dropped."
                )
                % summary,
            )
            return redirect(target)
    context = {
        "form": form,
        "project": code.project,
        "code": code,
        "total": code.codings.count(),
        "children": code.children.all(),
    }
    return render(request, "scan/codebook_code_merge.html", context, status=_status(form))


def code_split(request: HttpRequest, public_id) -> HttpResponse:
    code = _managed_code(request, public_id)
    codings = Coding.objects.visible_to(request.user).filter(code=code).select_related("document", "coder")
    form = SplitForm(_posted(request), codings=codings)
    if request.method == "POST" and form.is_valid():
        chosen = [coding.pk for coding in form.cleaned_data["codings"]]
        try:
            new_code = codebook.split_code(
                code, new_name=form.cleaned_data["new_name"], coding_ids=chosen, by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)s segments moved to the new code “%(name)s”.")
                % {"count": len(chosen), "name": new_code.name},
            )
            return redirect(new_code)
    context = {"form": form, "project": code.project, "code": code}
    return render(request, "scan/codebook_code_split.html", context, status=_status(form))


def code_delete(request: HttpRequest, public_id) -> HttpResponse:
    code = _managed_code(request, public_id)
    codings_count = code.codings.count()
    form = DeleteForm(_posted(request), codings_count=codings_count)
    if request.method == "POST" and form.is_valid():
        try:
            codebook.delete_code(code, by=request.user, codings_confirmed=codings_count)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The code “%(name)s” is deleted.") % {"name": code.name})
            return redirect("scan:codebook", code.project.public_id)
    context = {
        "form": form,
        "project": code.project,
        "code": code,
        "children": code.children.all(),
        "codings_count": codings_count,
        "memo_count": code.memos.count(),
    }
    return render(request, "scan/codebook_code_delete.html", context, status=_status(form))


def codebook_export(request: HttpRequest, public_id) -> HttpResponse:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    fmt = request.GET.get("format", "csv")
    if fmt not in tabular.EXPORT_FORMATS:
        raise Http404
    content, content_type = codebook.export_codebook_bytes(project, fmt, request.user)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="codebook-{project.public_id}.{fmt}"'
    return response


def codebook_import(request: HttpRequest, public_id) -> HttpResponse:
    project = _managed_project(request, public_id)
    form = ImportForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        staged = stage_upload(request.user, STAGED_KIND, upload.name, upload.read())
        return redirect("scan:codebook-import-preview", project.public_id, staged.pk)
    context = {"form": form, "project": project, "columns": codebook.IMPORT_COLUMNS}
    return render(request, "scan/codebook_import.html", context, status=_status(form))


def codebook_import_preview(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    project = _managed_project(request, public_id)
    staged, table = staged_table(request, pk, STAGED_KIND)
    if table is None:
        return redirect("scan:codebook-import-csv", project.public_id)
    confirm = request.method == "POST" and bool(request.POST.get("confirm"))
    preview = codebook.import_codebook_csv(project, table, by=request.user, dry_run=not confirm)
    if preview.applied:
        staged.delete()
        messages.success(
            request,
            _("Import done: %(create)s created, %(update)s updated, %(skip)s unchanged.") % preview.summary(),
        )
        return redirect("scan:codebook", project.public_id)
    context = {"project": project, "staged": staged, "preview": preview}
    return render(
        request, "scan/codebook_import_preview.html", context, status=200 if preview.can_apply else 400
    )
