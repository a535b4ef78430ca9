"""The coding page: read a document, apply codes to spans, adjust or remove them, write memos."""

import html
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from healthywork.scan import coding as services
from healthywork.scan.forms_coding import AdjustCodingForm, ApplyCodingsForm, CodingFilterForm, MemoForm
from healthywork.scan.models import Code, Coding, Document, Memo, Project

PAGE = "scan/coding_page.html"
MAX_STACKED = 4  # underline bands drawn for overlapping codes; the label lists them all
BAND_NAMES = "abcd"
LIST_STEP = 100  # codings in the side list at first, and added by each "Show more"


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


def _band_style(colours: tuple[str, ...]) -> str:
    """The colours of a highlight as CSS variables; coding.css draws one underline band for each
    (class b1..b4) and tints the background with the first."""
    bands = colours[:MAX_STACKED]
    variables = ";".join(f"--{BAND_NAMES[i]}:{colour}" for i, colour in enumerate(bands))
    return f'class="run hl b{len(bands)}" style="{escape(variables)}"'


def _text_html(paragraphs, labels: list[str]) -> str:
    """The text as paragraphs of sentence spans of run spans, built in one pass (a template loop
    over thousands of spans is the slow part of a long document). Each span carries its absolute
    start offset, so the page's script maps a selection to offsets exactly.

    A highlight says which codes cover it with `data-c`, indexes into `labels` (one label per code
    and coder, sent once as JSON), rather than repeating the names on every run. The text goes
    through the standard library's html.escape, which django.utils.html.escape wraps (the wrapper's
    lazy-string check costs more than the escaping over thousands of runs)."""
    parts: list[str] = []
    label_index: dict[tuple[int, int], int] = {}
    keys: dict[int, int] = {}  # id(coding) -> its index in labels
    styles: dict[tuple[str, ...], str] = {}
    for paragraph in paragraphs:
        parts.append("<p>")
        for block in paragraph:
            sentence = block.sentence
            parts.append(
                f'<span class="sentence" data-index="{sentence.index}" data-start="{sentence.start}" '
                f'data-end="{sentence.content_end}">'
            )
            for run in block.runs:
                if not run.codings:
                    parts.append(f'<span class="run" data-start="{run.start}">{html.escape(run.text)}</span>')
                    continue
                colours = tuple(dict.fromkeys(coding.code.colour for coding in run.codings))
                if colours not in styles:
                    styles[colours] = _band_style(colours)
                indexes = " ".join(
                    dict.fromkeys(
                        str(_label_key(coding, keys, label_index, labels)) for coding in run.codings
                    )
                )
                parts.append(
                    f'<span {styles[colours]} data-start="{run.start}" data-c="{indexes}">'
                    f"{html.escape(run.text)}</span>"
                )
            parts.append("</span>")
        parts.append("</p>")
    return mark_safe("".join(parts))  # noqa: S308 -- every piece of text above is escaped


def _label_key(
    coding: "CodingRow", keys: dict[int, int], index: dict[tuple[int, int], int], labels: list[str]
) -> int:
    key = keys.get(id(coding))
    if key is None:
        pair = (coding.code_id, coding.coder_id)
        if pair not in index:
            index[pair] = len(labels)
            labels.append(f"{coding.code.name} ({coding.coder.display_name()})")
        key = keys[id(coding)] = index[pair]
    return key


def _shown(request: HttpRequest) -> int:
    """How many codings the side list shows: ?shown=, in steps of LIST_STEP."""
    try:
        shown = int(request.GET.get("shown", LIST_STEP))
    except ValueError:
        return LIST_STEP
    return max(LIST_STEP, min(shown, 1_000_000))


def _side_list_html(
    request: HttpRequest, document: Document, codings: list["CodingRow"], first: int, shown: int
) -> str:
    """The <li> of codings[first:shown] in the side list, then a "Show more" item if more are left.

    Built in Python, as the text is: a template loop over a few hundred items with their
    permission checks and translations dominated the page's time."""
    project, user = document.project, request.user
    listed = codings[first:shown]
    memo_counts = dict(
        Memo.objects.filter(coding__in=[coding.pk for coding in listed])
        .values_list("coding")
        .annotate(total=Count("pk"))
    )
    can_code, can_manage = project.can_code(user), project.can_manage(user)
    placeholder = "00000000-0000-0000-0000-000000000000"
    adjust_url = reverse("scan:coding-adjust", args=[placeholder])
    remove_url = reverse("scan:coding-remove", args=[placeholder])
    query = request.GET.copy()
    suffix = f"?{query.urlencode()}" if query else ""  # back to the same filters and length of list
    words = {
        "characters": _("characters"),
        "show": _("Show in text"),
        "memos": _("Memos"),
        "adjust": _("Adjust") + " · " + _("Memos"),
        "remove": _("Remove"),
        "confirm": _("Remove this coding?"),
    }
    names: dict[int, str] = {}
    parts = []
    for coding in listed:
        public_id = str(coding.public_id)
        may_change = can_manage or (can_code and coding.coder_id == user.pk)
        if coding.coder_id not in names:
            names[coding.coder_id] = coding.coder.display_name()
        memos = memo_counts.get(coding.pk, 0)
        memo_text = (
            " · " + ngettext("%(counter)s memo", "%(counter)s memos", memos) % {"counter": memos}
            if memos
            else ""
        )
        adjust = adjust_url.replace(placeholder, public_id) + suffix
        remove = remove_url.replace(placeholder, public_id) + suffix
        parts.append(
            format_html(
                '<li id="coding-{}" data-start="{}" data-end="{}"><p class="coding-head">'
                '<span class="swatch" style="background:{}" aria-hidden="true"></span><strong>{}</strong> '
                '<span class="hint">· {} · {} {}–{}{}</span></p><blockquote>{}</blockquote>'
                '<div class="coding-actions"><button type="button" class="link small js-only" data-show="{}">'
                '{}</button> <a href="{}" hx-get="{}" hx-target="next .coding-slot">{}</a>',
                public_id,
                coding.start_offset,
                coding.end_offset,
                coding.code.colour,
                coding.code.name,
                names[coding.coder_id],
                words["characters"],
                coding.start_offset,
                coding.end_offset,
                memo_text,
                _shortened(coding.snippet),
                coding.start_offset,
                words["show"],
                adjust,
                adjust,
                words["adjust"] if can_code and may_change else words["memos"],
            )
        )
        if may_change:
            # A link: without JavaScript it opens the confirmation page (no form and token per item).
            parts.append(
                format_html(
                    ' <a href="{}" hx-post="{}" hx-vals=\'{{"confirm": "yes"}}\' hx-confirm="{}" '
                    'hx-target="#workspace" hx-swap="outerHTML">{}'
                    '<span class="visually-hidden"> {}</span></a>',
                    remove,
                    remove,
                    words["confirm"],
                    words["remove"],
                    coding.code.name,
                )
            )
        parts.append('</div><div class="coding-slot"></div></li>')
    if not codings:
        parts.append(format_html("<li>{}</li>", _("No codings to show.")))
    if len(codings) > shown:
        query["shown"] = shown + LIST_STEP
        more = f"{reverse('scan:document-code', args=[document.public_id])}?{query.urlencode()}"
        label = _("Show %(count)s more (%(shown)s of %(total)s listed)") % {
            "count": min(LIST_STEP, len(codings) - shown),
            "shown": shown,
            "total": len(codings),
        }
        parts.append(
            format_html(
                '<li id="coding-more" class="coding-more"><a href="{}#coding-{}" hx-get="{}" '
                'hx-target="#coding-more" hx-swap="outerHTML">{}</a></li>',
                more,
                codings[shown].public_id,
                more,
                label,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 -- every piece above comes from format_html


def _shortened(snippet: str, limit: int = 160) -> str:
    """At most `limit` characters, with … when cut (Truncator counts combining marks one by one,
    slow over hundreds of snippets, for no gain here)."""
    return snippet if len(snippet) <= limit else snippet[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class CodingRow:
    """What the page shows of a coding, with its code and coder from lists already loaded:
    building 1,000 model instances (and 2,000 more through select_related) cost more than the rest
    of the page."""

    pk: int
    public_id: uuid.UUID
    start_offset: int
    end_offset: int
    snippet: str
    code: Code
    coder: Any

    @property
    def code_id(self) -> int:
        return self.code.pk

    @property
    def coder_id(self) -> int:
        return self.coder.pk


CODING_FIELDS = ("pk", "public_id", "start_offset", "end_offset", "snippet", "code_id", "coder_id")


def _visible_codings(request: HttpRequest, document: Document, codes: list[Code]):
    """The filter form, and the codings it lets through (in the order of the text) as CodingRow."""
    visible = Coding.objects.visible_to(request.user).filter(document=document)
    coders = list(get_user_model().objects.filter(pk__in=visible.values("coder")).order_by("username"))
    filter_form = CodingFilterForm(request.GET or None, codes=codes, coders=coders)
    codes_by_pk = {code.pk: code for code in codes}
    coders_by_pk = {coder.pk: coder for coder in coders}
    rows = filter_form.filter(visible).order_by(*Coding._meta.ordering).values_list(*CODING_FIELDS)
    codings = [
        CodingRow(pk, public_id, start, end, snippet, codes_by_pk[code_id], coders_by_pk[coder_id])
        for pk, public_id, start, end, snippet, code_id, coder_id in rows
    ]
    return filter_form, codings


def _context(request: HttpRequest, document: Document, **extra: Any) -> dict[str, Any]:
    user, project = request.user, document.project
    codes = list(Code.objects.filter(project=project))
    filter_form, codings = _visible_codings(request, document, codes)
    blind_round = services.open_round_for(document, user)
    memos = Memo.objects.filter(document=document, coding__isnull=True).select_related("author")
    if blind_round:
        memos = memos.filter(author=user)
    labels: list[str] = []
    context = {
        "document": document,
        "project": project,
        "code_tree": _code_tree(codes),
        "codings": codings,
        "text_html": _text_html(services.layout(document.text, codings), labels),
        "coding_labels": labels,
        "side_list_html": _side_list_html(request, document, codings, 0, _shown(request)),
        "filter_form": filter_form,
        "blind_round": blind_round,
        "memos": memos,
        "can_code": project.can_code(user),
        "apply_form": ApplyCodingsForm(document=document, codes=Code.objects.filter(project=project)),
        "memo_form": MemoForm(),
        "query": request.GET.urlencode(),
        "document_list_url": _url_or_empty("scan:document-list", project.public_id),
        "document_detail_url": _url_or_empty("scan:document-detail", document.public_id),
    }
    context.update(extra)
    return context


def document_code(request: HttpRequest, public_id) -> HttpResponse:
    document = _document(request, public_id)
    if request.htmx and request.htmx.target == "coding-more":
        # "Show more" in the side list: only the next codings, not the text again.
        _filter_form, codings = _visible_codings(
            request, document, list(Code.objects.filter(project=document.project))
        )
        shown = _shown(request)
        return HttpResponse(_side_list_html(request, document, codings, max(0, shown - LIST_STEP), shown))
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
