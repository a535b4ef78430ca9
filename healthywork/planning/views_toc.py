"""The theory of change page, its forms (goal and narrative; add, edit and delete each part) and its
exports (SVG, XLSX, DOCX; PNG is drawn in the browser from the SVG)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from healthywork.collaborative.models import Team
from healthywork.planning import forms_toc, toc
from healthywork.planning.access import team_for
from healthywork.planning.concurrency import EditConflict
from healthywork.planning.models import TheoryOfChange

KIND_NAMES = {
    "outcome": gettext_lazy("outcome"),
    "link": gettext_lazy("link"),
    "intervention": gettext_lazy("intervention"),
    "assumption": gettext_lazy("assumption"),
    "indicator": gettext_lazy("indicator"),
}
FORM_TITLES = {
    "outcome": (gettext_lazy("Add an outcome"), gettext_lazy("Edit the outcome")),
    "link": (gettext_lazy("Link two outcomes"), gettext_lazy("Edit the link")),
    "intervention": (gettext_lazy("Add an intervention"), gettext_lazy("Edit the intervention")),
    "assumption": (gettext_lazy("Add an assumption"), gettext_lazy("Edit the assumption")),
    "indicator": (gettext_lazy("Add an indicator"), gettext_lazy("Edit the indicator")),
    "narrative": (
        gettext_lazy("Edit the goal and the narrative"),
        gettext_lazy("Edit the goal and the narrative"),
    ),
}
EXPORTS = {"svg": "image/svg+xml", "xlsx": toc.XLSX_TYPE, "docx": toc.DOCX_TYPE}


def _page_url(team: Team, anchor: str = "") -> str:
    return reverse("planning:toc", args=[team.public_id]) + (f"#{anchor}" if anchor else "")


def _editable(request: HttpRequest, public_id, kind: str = "outcome") -> tuple[Team, TheoryOfChange, Any]:
    """(team, theory, its data) for a write: 404 for a stranger, 403 for a reader."""
    if kind not in forms_toc.FORMS:
        raise Http404
    team = team_for(request, public_id, edit=True)
    theory = toc.ensure_theory(team, by=request.user)
    return team, theory, toc.load_theory_data(theory)


def _form(kind: str, team: Team, data: toc.TheoryData, post: Any = None, initial=None, item=None):
    options: dict[str, Any] = {"theory_data": data, "prefix": kind, "initial": initial}
    if kind == "intervention":
        options["organizations"] = forms_toc.organization_choices(team)
    if kind == "link":
        options["link_id"] = item.pk if item else None
    return forms_toc.FORMS[kind](post, **options)


def _addresses(team: Team, kind: str) -> tuple[Any, Any]:
    """Makers of the edit and delete addresses of one kind of item: one `reverse` each, not one per
    row (a large theory has thousands of rows and links)."""
    edit = reverse("planning:toc-item-edit", args=[team.public_id, kind, "ITEM"])
    delete = reverse("planning:toc-item-delete", args=[team.public_id, kind, "ITEM"])
    return (lambda item_id: edit.replace("ITEM", str(item_id))), (
        lambda item_id: delete.replace("ITEM", str(item_id))
    )


def _page_context(request: HttpRequest, team: Team, theory: TheoryOfChange, can_edit: bool) -> dict:
    data = toc.load_theory_data(theory)
    shape = toc.layout(data)
    urls = {kind: _addresses(team, kind) for kind in KIND_NAMES}
    edit_urls = {o.public_id: urls["outcome"][0](o.public_id) for o in data.outcomes} if can_edit else None
    findings = toc.validate(data)
    context = {
        "data": data,
        "has_findings": bool(findings),
        "error_count": sum(finding.is_error for finding in findings),
        "warning_count": sum(not finding.is_error for finding in findings),
        "svg": mark_safe(toc.diagram_svg(data, shape, edit_urls)),  # noqa: S308 (every text is escaped)
        **_page_html(data, shape, findings, urls, can_edit),
    }
    if can_edit:
        # One add form on the page (outcomes, the most frequent); the others, whose outcome and link
        # lists run to thousands of options, open on their own page (or in the panel with JavaScript).
        context["outcome_form"] = _form("outcome", team, data, initial={"version": theory.version})
        context["add_links"] = {
            kind: reverse("planning:toc-item-add", args=[team.public_id, kind])
            for kind in ("link", "intervention", "assumption", "indicator")
        }
    return context


def _actions(can_edit: bool, edit_url: str, delete_url: str | None, name: str, words: dict) -> SafeString:
    """The row's Edit and Delete links (the item's name for screen readers), or nothing."""
    if not can_edit:
        return SafeString("")
    if delete_url is None:
        return format_html(
            '<td class="toc-row-actions"><a href="{}">{}<span class="visually-hidden"> {}</span></a></td>',
            edit_url,
            words["edit"],
            name,
        )
    return format_html(
        '<td class="toc-row-actions"><a href="{}">{}<span class="visually-hidden"> {}</span></a> '
        '<a href="{}">{}<span class="visually-hidden"> {}</span></a></td>',
        edit_url,
        words["edit"],
        name,
        delete_url,
        words["delete"],
        name,
    )


def _hint(description: str) -> SafeString | str:
    if not description:
        return ""
    return format_html('<div class="hint">{}</div>', Truncator(description).words(30, truncate=" …"))


def _empty_row(rows: list, columns: int, text: str) -> SafeString:
    if rows:
        return SafeString("".join(rows))
    return format_html('<tr><td colspan="{}">{}</td></tr>', columns, text)


def _place_label(outcome: toc.OutcomeItem, words: dict) -> str:
    if outcome.is_goal:
        return words["goal"]
    return words["below"] if outcome.is_below_ceiling else words["above"]


def _page_html(data: toc.TheoryData, shape: toc.Layout, findings: list, urls: dict, can_edit: bool) -> dict:
    """The page's repeated parts (findings, the list beside the diagram, the five tables) as escaped
    HTML built here: a template loop costs ~50 µs per cell, and a 300-outcome theory has thousands."""
    words = {
        "edit": _("Edit"),
        "delete": _("Delete"),
        "goal": _("long-term goal"),
        "below": _("below the ceiling"),
        "above": _("above the ceiling"),
        "error": _("Error:"),
        "warning": _("Warning:"),
        "fix": _("Fix it"),
        "no_rationale": _("no rationale"),
        "intervention": _("intervention:"),
        "indicator": _("indicator:"),
        "target": _("target"),
        "by": _("by"),
        "no_owner": _("no responsible organization"),
        "leads": _("leads to"),
        "none_yet": _("(none yet)"),
        "no_rationale_cell": _("(no rationale)"),
        "whole": _("the whole theory"),
    }
    extra = 1 if can_edit else 0
    edit = {kind: makers[0] for kind, makers in urls.items()}
    delete = {kind: makers[1] for kind, makers in urls.items()}
    title = data.outcome_title

    finding_rows = []
    for finding in findings:
        fix = ""
        if can_edit and finding.item_id and finding.kind in edit:
            fix = format_html(
                ' <a href="{}">{}{}</a>',
                edit[finding.kind](finding.item_id),
                words["fix"],
                format_html('<span class="visually-hidden"> ({})</span>', finding.message),
            )
        label = words["error"] if finding.is_error else words["warning"]
        finding_rows.append(
            format_html(
                '<li class="{}"><strong>{}</strong> {}{}</li>', finding.severity, label, finding.message, fix
            )
        )

    layer_items = []
    leads_word, no_rationale = words["leads"], words["no_rationale"]
    for number, is_unlinked, entries in toc.structured_list(data, shape):
        if is_unlinked:
            heading = _("Not linked to the goal")
        elif number == 0:
            heading = _("The goal")
        else:
            heading = _("Layer %(number)s") % {"number": number}
        items = []
        for entry in entries:
            details = [
                format_html("<li>{} “{}”: {}</li>", leads_word, target.title, rationale)
                if rationale
                else format_html("<li>{} “{}” <em>({})</em></li>", leads_word, target.title, no_rationale)
                for target, rationale in entry.leads_to
            ]
            details += [
                format_html(
                    "<li>{} {} ({})</li>",
                    words["intervention"],
                    item.title,
                    item.organization_name or words["no_owner"],
                )
                for item in entry.interventions
            ]
            for indicator in entry.indicators:
                target = format_html(", {} {}", words["target"], indicator.target) if indicator.target else ""
                by_when = (
                    format_html(", {} {}", words["by"], date_format(indicator.by_when))
                    if indicator.by_when
                    else ""
                )
                details.append(
                    format_html("<li>{} {}{}{}</li>", words["indicator"], indicator.what, target, by_when)
                )
            inner = format_html("<ul>{}</ul>", SafeString("".join(details))) if details else ""
            items.append(
                format_html(
                    "<li><strong>{}</strong> ({}){}</li>",
                    entry.outcome.title,
                    _place_label(entry.outcome, words),
                    inner,
                )
            )
        layer_items.append(
            format_html(
                '<li><span class="toc-layer">{}</span><ul>{}</ul></li>', heading, SafeString("".join(items))
            )
        )

    counts = {outcome_id: len(items) for outcome_id, items in data.indicators_by_outcome().items()}
    outcome_rows = [
        format_html(
            '<tr id="outcome-{}"><th scope="row">{}{}</th><td>{}</td><td class="number">{}</td>{}</tr>',
            o.public_id,
            o.title,
            _hint(o.description),
            _place_label(o, words),
            counts.get(o.id, 0),
            _actions(
                can_edit,
                edit["outcome"](o.public_id),
                None if o.is_goal else delete["outcome"](o.public_id),
                o.title,
                words,
            ),
        )
        for o in data.outcomes
    ]
    link_rows = []
    for link in data.links:
        source, target = title(link.precondition_id), title(link.outcome_id)
        link_rows.append(
            format_html(
                '<tr><th scope="row">{}</th><td>{}</td><td>{}</td>{}</tr>',
                source,
                target,
                link.rationale or words["no_rationale_cell"],
                _actions(
                    can_edit,
                    edit["link"](link.public_id),
                    delete["link"](link.public_id),
                    source + toc.ARROW + target,
                    words,
                ),
            )
        )
    intervention_rows = [
        format_html(
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td>{}</tr>',
            i.title,
            title(i.outcome_id) or data.link_title(i.link_id),
            i.organization_name or words["none_yet"],
            _actions(
                can_edit,
                edit["intervention"](i.public_id),
                delete["intervention"](i.public_id),
                i.title,
                words,
            ),
        )
        for i in data.interventions
    ]
    assumption_rows = [
        format_html(
            '<tr><th scope="row">{}</th><td>{}</td>{}</tr>',
            linebreaksbr(a.text),
            title(a.outcome_id) or data.link_title(a.link_id) or words["whole"],
            _actions(
                can_edit,
                edit["assumption"](a.id),
                delete["assumption"](a.id),
                Truncator(a.text).words(8, truncate=" …"),
                words,
            ),
        )
        for a in data.assumptions
    ]
    indicator_rows = [
        format_html(
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
            "<td>{}</td>{}</tr>",
            i.what,
            title(i.outcome_id),
            i.population,
            i.target or "—",
            i.threshold,
            date_format(i.by_when) if i.by_when else "—",
            i.data_source,
            _actions(
                can_edit, edit["indicator"](i.public_id), delete["indicator"](i.public_id), i.what, words
            ),
        )
        for i in data.indicators
    ]
    return {
        "findings_html": SafeString("".join(finding_rows)),
        "layers_html": SafeString("".join(layer_items)),
        "outcome_rows_html": SafeString("".join(outcome_rows)),
        "outcome_count": len(outcome_rows),
        "link_rows_html": _empty_row(link_rows, 3 + extra, _("No links yet.")),
        "intervention_rows_html": _empty_row(intervention_rows, 3 + extra, _("No interventions yet.")),
        "assumption_rows_html": _empty_row(assumption_rows, 2 + extra, _("No assumptions yet.")),
        "indicator_rows_html": _empty_row(indicator_rows, 7 + extra, _("No indicators yet.")),
    }


def toc_page(request: HttpRequest, public_id) -> HttpResponse:
    team = team_for(request, public_id)
    can_edit = team.can_edit(request.user)
    theory = TheoryOfChange.objects.filter(team=team).first()
    if theory is None and can_edit:
        theory = toc.ensure_theory(team, by=request.user)
    context = {"team": team, "theory": theory, "can_edit": can_edit, "kinds": KIND_NAMES}
    if theory is not None:
        context |= _page_context(request, team, theory, can_edit)
    return render(request, "planning/toc_page.html", context)


def _render_form(request, team, theory, kind, form, item=None, conflict=None, theirs=None) -> HttpResponse:
    """The form page (or its fragment for htmx); on a conflict, both versions side by side."""
    context = {"team": team, "theory": theory, "kind": kind, "kind_name": KIND_NAMES.get(kind, ""),
               "form": form, "item": item, "conflict": conflict, "action": request.path,
               "item_id": toc.item_id_of(kind, item) if item is not None else "",
               "page_url": _page_url(team, "goal" if kind == "narrative" else f"{kind}s"),
               "title": FORM_TITLES[kind][0 if item is None else 1]}  # fmt: skip
    if conflict is not None:
        context["yours"] = form.display_values({name: form[name].value() for name in form.fields})
        context["theirs"] = form.display_values(theirs) if theirs is not None else None
    status = 409 if conflict else (400 if form.errors else 200)
    if request.htmx:
        return render(
            request, "planning/toc_form.html#form", context, status=200 if status == 400 else status
        )
    return render(request, "planning/toc_form.html", context, status=status)


def _save(request, team, theory, kind, form, item=None) -> HttpResponse:
    try:
        saved = toc.save_item(
            theory, kind, item, form.model_values(), form.cleaned_data["version"], by=request.user
        )
    except EditConflict as conflict:
        theirs = None
        if item is not None:
            current = toc.items_of(theory, kind).filter(pk=item.pk).first()
            data = toc.load_theory_data(theory)
            theirs = forms_toc.initial_for(kind, current, data) if current else {}
        return _render_form(request, team, theory, kind, form.rebound(conflict.current_version), item,
                            conflict, theirs)  # fmt: skip
    except ValidationError as error:
        form.add_error(None, error)
        return _render_form(request, team, theory, kind, form, item)
    messages.success(
        request, _("The %(kind)s “%(item)s” is saved.") % {"kind": KIND_NAMES[kind], "item": saved}
    )
    return redirect(_page_url(team, f"{kind}s"))


def item_add(request: HttpRequest, public_id, kind: str) -> HttpResponse:
    team, theory, data = _editable(request, public_id, kind)
    prefill = {name: request.GET[name] for name in ("outcome", "precondition", "link") if name in request.GET}
    form = _form(kind, team, data, request.POST or None, {"version": theory.version} | prefill)
    if request.method == "POST" and form.is_valid():
        return _save(request, team, theory, kind, form)
    return _render_form(request, team, theory, kind, form)


def item_edit(request: HttpRequest, public_id, kind: str, item_id: str) -> HttpResponse:
    team, theory, data = _editable(request, public_id, kind)
    item = _item(theory, kind, item_id)
    initial = forms_toc.initial_for(kind, item, data) | {"version": theory.version}
    form = _form(kind, team, data, request.POST or None, initial, item)
    if request.method == "POST" and form.is_valid():
        return _save(request, team, theory, kind, form, item)
    return _render_form(request, team, theory, kind, form, item)


def item_delete(request: HttpRequest, public_id, kind: str, item_id: str) -> HttpResponse:
    team, theory, _data = _editable(request, public_id, kind)
    item = _item(theory, kind, item_id)
    context = {"team": team, "theory": theory, "kind_name": KIND_NAMES[kind], "item": item, "kind": kind,
               "version": theory.version, "page_url": _page_url(team, f"{kind}s")}  # fmt: skip
    if request.method == "POST":
        try:
            toc.delete_item(theory, kind, item, request.POST.get("version"), by=request.user)
        except EditConflict as conflict:
            context |= {"problem": conflict.message, "version": conflict.current_version}
            return render(request, "planning/toc_delete.html", context, status=409)
        except ValidationError as error:
            context["problem"] = " ".join(error.messages)
            return render(request, "planning/toc_delete.html", context, status=400)
        messages.success(
            request, _("The %(kind)s “%(item)s” is deleted.") % {"kind": KIND_NAMES[kind], "item": item}
        )
        return redirect(_page_url(team, f"{kind}s"))
    return render(request, "planning/toc_delete.html", context)


def narrative_edit(request: HttpRequest, public_id) -> HttpResponse:
    team, theory, data = _editable(request, public_id)
    goal = data.goal
    initial = {"version": theory.version, "goal": goal.title if goal else "", "narrative": theory.narrative,
               "goal_description": goal.description if goal else ""}  # fmt: skip
    form = forms_toc.NarrativeForm(
        request.POST or None, theory_data=data, prefix="narrative", initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            toc.update_narrative(theory, form.model_values(), form.cleaned_data["version"], by=request.user)
        except EditConflict as conflict:
            stored = toc.load_theory_data(TheoryOfChange.objects.get(pk=theory.pk))
            theirs = {"goal": stored.goal.title if stored.goal else "", "narrative": stored.narrative,
                      "goal_description": stored.goal.description if stored.goal else ""}  # fmt: skip
            return _render_form(request, team, theory, "narrative", form.rebound(conflict.current_version),
                                None, conflict, theirs)  # fmt: skip
        messages.success(request, _("The goal and the narrative are saved."))
        return redirect(_page_url(team, "goal"))
    return _render_form(request, team, theory, "narrative", form)


def toc_export(request: HttpRequest, public_id, fmt: str) -> HttpResponse:
    team = team_for(request, public_id)
    theory = get_object_or_404(TheoryOfChange, team=team)
    if fmt not in EXPORTS:
        return HttpResponseBadRequest(
            _("Unknown format “%(format)s”; use %(formats)s.")
            % {"format": fmt, "formats": ", ".join(EXPORTS)},
            content_type="text/plain; charset=utf-8",
        )
    data = toc.load_theory_data(theory)
    content = {"svg": lambda: toc.diagram_svg(data).encode(), "xlsx": lambda: toc.export_xlsx(data),
               "docx": lambda: toc.export_docx(data)}[fmt]()  # fmt: skip
    response = HttpResponse(content, content_type=EXPORTS[fmt])
    response["Content-Disposition"] = f'attachment; filename="theory-of-change-{team.public_id}.{fmt}"'
    return response


def _item(theory: TheoryOfChange, kind: str, item_id: str) -> Any:
    lookup = toc.item_lookup(kind, item_id)
    if lookup is None:
        raise Http404
    return get_object_or_404(toc.items_of(theory, kind), **lookup)
