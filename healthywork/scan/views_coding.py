"""The coding page: read a document, apply codes to spans, adjust or remove them, write memos."""

from functools import lru_cache
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from healthywork.scan import coding as services
from healthywork.scan.forms_coding import AdjustCodingForm, ApplyCodingsForm, CodingFilterForm, MemoForm
from healthywork.scan.models import Code, Coding, Document, Memo, Project

PAGE = "scan/coding_page.html"
MAX_STACKED = 4  # underline bands drawn for overlapping codes; the label lists them all


def _document(request: HttpRequest, public_id) -> Document:
    queryset = Document.objects.select_related("project", "interview__organization")
    return get_object_or_404(queryset.visible_to(request.user), public_id=public_id)


def _coding(request: HttpRequest, public_id) -> Coding:
    queryset = Coding.objects.visible_to(request.user).select_related("document__project", "code", "coder")
    return get_object_or_404(queryset, public_id=public_id)


def _back(request: HttpRequest, document: Document) -> HttpResponse:
    query = request.GET.urlencode()
    return redirect(document.get_absolute_url() + (f"?{query}" if query else ""))


def _url_or_empty(name: str, *args: Any) -> str:
    """A link to a page of another area of the scan, or "" while that area is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _code_tree(codes: list[Code]) -> list[tuple[Code, int]]:
    """Codes in tree order with their depth, from one list (no query per level)."""
    children: dict[int | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    ordered: list[tuple[Code, int]] = []
    stack = [(code, 0) for code in reversed(children.get(None, []))]
    while stack:
        code, depth = stack.pop()
        ordered.append((code, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(code.pk, [])))
    return ordered


@lru_cache(maxsize=4096)
def _run_style(colours: tuple[str, ...]) -> str:
    bands = colours[:MAX_STACKED]
    shadows = ", ".join(f"inset 0 -{3 * (i + 1)}px 0 0 {colour}" for i, colour in enumerate(bands))
    return f"background-color:{colours[0]}33;box-shadow:{shadows};padding-bottom:{3 * len(bands)}px"


def _text_html(paragraphs) -> str:
    """The text as paragraphs of sentence spans of run spans, built in one pass (a template loop
    over thousands of spans is the slow part of a long document). Each span carries its absolute
    start offset, so the page's script maps a selection to offsets exactly."""
    parts: list[str] = []
    labels: dict[int, str] = {}
    for paragraph in paragraphs:
        parts.append("<p>")
        for block in paragraph:
            sentence = block.sentence
            parts.append(
                f'<span class="sentence" data-index="{sentence.index}" data-start="{sentence.start}" '
                f'data-end="{sentence.content_end}">'
            )
            for run in block.runs:
                if run.codings:
                    colours = tuple(dict.fromkeys(coding.code.colour for coding in run.codings))
                    label = "; ".join(_label(coding, labels) for coding in run.codings)
                    parts.append(
                        f'<span class="run hl" data-start="{run.start}" style="{_run_style(colours)}" '
                        f'data-label="{escape(label)}">{escape(run.text)}</span>'
                    )
                else:
                    parts.append(f'<span class="run" data-start="{run.start}">{escape(run.text)}</span>')
            parts.append("</span>")
        parts.append("</p>")
    return mark_safe("".join(parts))  # noqa: S308 -- every piece of text above is escaped


def _label(coding: Coding, cache: dict[int, str]) -> str:
    if coding.pk not in cache:
        cache[coding.pk] = f"{coding.code.name} ({coding.coder.display_name()})"
    return cache[coding.pk]


def _context(request: HttpRequest, document: Document, **extra: Any) -> dict[str, Any]:
    user, project = request.user, document.project
    visible = Coding.objects.visible_to(user).filter(document=document)
    codes = list(Code.objects.filter(project=project))
    coders = get_user_model().objects.filter(pk__in=visible.values("coder")).order_by("username")
    filter_form = CodingFilterForm(request.GET or None, codes=codes, coders=coders)
    codings = list(
        filter_form.filter(visible).select_related("code", "coder").annotate(memo_count=Count("memos"))
    )
    # One reverse() per URL name, not one per coding: the side list of a long document has 1,000.
    placeholder = "00000000-0000-0000-0000-000000000000"
    adjust_url = reverse("scan:coding-adjust", args=[placeholder])
    remove_url = reverse("scan:coding-remove", args=[placeholder])
    query = request.GET.urlencode()
    suffix = f"?{query}" if query else ""
    for coding in codings:
        coding.adjust_url = adjust_url.replace(placeholder, str(coding.public_id)) + suffix
        coding.remove_url = remove_url.replace(placeholder, str(coding.public_id)) + suffix
    blind_round = services.open_round_for(document, user)
    memos = Memo.objects.filter(document=document, coding__isnull=True).select_related("author")
    if blind_round:
        memos = memos.filter(author=user)
    can_code, can_manage = project.can_code(user), project.can_manage(user)
    context = {
        "document": document,
        "project": project,
        "code_tree": _code_tree(codes),
        "codings": codings,
        "text_html": _text_html(services.layout(document.text, codings)),
        "filter_form": filter_form,
        "blind_round": blind_round,
        "memos": memos,
        "can_code": can_code,
        "can_manage": can_manage,
        "apply_form": ApplyCodingsForm(document=document, codes=Code.objects.filter(project=project)),
        "memo_form": MemoForm(),
        "query": query,
        "characters_word": _("characters"),
        "document_list_url": _url_or_empty("scan:document-list", project.public_id),
        "document_detail_url": _url_or_empty("scan:document-detail", document.public_id),
    }
    context.update(extra)
    return context


def document_code(request: HttpRequest, public_id) -> HttpResponse:
    document = _document(request, public_id)
    template = PAGE + "#workspace" if request.htmx and not request.htmx.boosted else PAGE
    return render(request, template, _context(request, document))


def document_code_sentences(request: HttpRequest, public_id) -> HttpResponse:
    """Without JavaScript: tick sentences and codes to apply."""
    document = _document(request, public_id)
    if not document.project.can_code(request.user):
        raise PermissionDenied("scan.code")
    form = ApplyCodingsForm(
        document=document,
        codes=Code.objects.filter(project=document.project),
        sentences=services.sentences_of(document.text),
    )
    context = {"document": document, "form": form, "query": request.GET.urlencode()}
    return render(request, "scan/coding_sentences.html", context)


@require_POST
def coding_apply(request: HttpRequest, public_id) -> HttpResponse:
    document = _document(request, public_id)
    if not document.project.can_code(request.user):
        raise PermissionDenied("scan.code")
    by_sentence = request.POST.get("mode") == "sentences"
    form = ApplyCodingsForm(
        request.POST,
        document=document,
        codes=Code.objects.filter(project=document.project),
        sentences=services.sentences_of(document.text) if by_sentence else None,
    )
    if form.is_valid():
        code_ids = [code.pk for code in form.cleaned_data["codes"]]
        with transaction.atomic():
            for start, end in form.cleaned_data["spans"]:
                services.add_codings(document, code_ids=code_ids, start=start, end=end, by=request.user)
        if request.htmx:
            return render(request, PAGE + "#workspace", _context(request, document))
        messages.success(request, _("The codes are applied."))
        return _back(request, document)
    if by_sentence:
        context = {"document": document, "form": form, "query": request.GET.urlencode()}
        return render(request, "scan/coding_sentences.html", context, status=400)
    if request.htmx:
        return render(request, PAGE + "#workspace", _context(request, document, apply_form=form))
    return render(request, PAGE, _context(request, document, apply_form=form), status=400)


def coding_adjust(request: HttpRequest, public_id) -> HttpResponse:
    coding = _coding(request, public_id)
    document = coding.document
    if request.method == "POST":
        services.check_can_change(coding, request.user)
    form = AdjustCodingForm(
        request.POST or None,
        document=document,
        initial={"start": coding.start_offset, "end": coding.end_offset},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.adjust_coding(coding, start=data["start"], end=data["end"], by=request.user)
        if request.htmx:
            return render(request, PAGE + "#workspace", _context(request, document))
        messages.success(request, _("The coding is adjusted."))
        return _back(request, document)
    context = {
        "coding": coding,
        "document": document,
        "form": form,
        "memos": coding.memos.select_related("author"),
        "memo_form": MemoForm(),
        "may_change": _may(services.check_can_change, coding, request.user),
        "can_code": document.project.can_code(request.user),
        "query": request.GET.urlencode(),
    }
    template = "scan/coding_adjust.html" + ("#panel" if request.htmx and request.method == "GET" else "")
    return render(request, template, context, status=400 if form.errors else 200)


def _may(check, *args) -> bool:
    try:
        check(*args)
    except PermissionDenied:
        return False
    return True


def coding_remove(request: HttpRequest, public_id) -> HttpResponse:
    coding = _coding(request, public_id)
    document = coding.document
    services.check_can_change(coding, request.user)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.remove_coding(coding, by=request.user)
        if request.htmx:
            return render(request, PAGE + "#workspace", _context(request, document))
        messages.success(request, _("The coding is removed."))
        return _back(request, document)
    context = {"coding": coding, "document": document, "query": request.GET.urlencode()}
    return render(request, "scan/coding_remove.html", context)


@require_POST
def memo_add(request: HttpRequest, public_id) -> HttpResponse:
    document = _document(request, public_id)
    if not document.project.can_code(request.user):
        raise PermissionDenied("scan.code")
    coding_id = request.POST.get("coding")
    coding = _coding(request, coding_id) if coding_id else None
    if coding is not None and coding.document_id != document.pk:
        raise PermissionDenied
    form = MemoForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["text"])
        services.add_memo(
            document.project,
            text=form.cleaned_data["text"],
            by=request.user,
            document=document,
            coding=coding,
        )
        messages.success(request, _("The memo is saved."))
    except ValidationError as error:
        messages.error(request, _("Memo: %(error)s") % {"error": " ".join(error.messages)})
    if request.htmx:
        return render(request, PAGE + "#workspace", _context(request, document))
    if coding is not None:
        return redirect("scan:coding-adjust", coding.public_id)
    return _back(request, document)


def _memo(request: HttpRequest, public_id) -> Memo:
    projects = Project.objects.visible_to(request.user)
    memo = get_object_or_404(
        Memo.objects.filter(project__in=projects).select_related("document", "author"), public_id=public_id
    )
    if memo.coding_id:
        _coding(request, memo.coding.public_id)  # a blind round hides other coders' codings and memos
    return memo


def memo_edit(request: HttpRequest, public_id) -> HttpResponse:
    memo = _memo(request, public_id)
    if memo.author_id != request.user.pk:
        raise PermissionDenied
    form = MemoForm(request.POST or None, initial={"text": memo.text})
    if request.method == "POST" and form.is_valid():
        services.edit_memo(memo, text=form.cleaned_data["text"], by=request.user)
        messages.success(request, _("The memo is saved."))
        return redirect(memo.document.get_absolute_url() if memo.document_id else memo.project)
    context = {"memo": memo, "form": form}
    return render(request, "scan/coding_memo_edit.html", context, status=400 if form.errors else 200)


@require_POST
def memo_delete(request: HttpRequest, public_id) -> HttpResponse:
    memo = _memo(request, public_id)
    services.delete_memo(memo, by=request.user)
    messages.success(request, _("The memo is deleted."))
    return redirect(memo.document.get_absolute_url() if memo.document_id else memo.project)
