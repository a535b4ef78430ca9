"""Pages of the blind coding rounds: list, open, change, detail with progress, close and reopen,
the comparison (agreement per code, with its chart) and reconciliation of the disagreements."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from healthywork.core.charts import chart_options
from healthywork.core.permissions import get_visible_or_404
from healthywork.scan import rounds
from healthywork.scan.forms_rounds import DecisionForm, RoundForm
from healthywork.scan.models import Code, Project, Round, RoundUnit

RELIABLE, TENTATIVE = 0.800, 0.667  # Krippendorff (2004, p. 241): rely on α ≥ .800; tentative ≥ .667


def _url_or_none(name: str, *args: Any) -> str | None:
    """The address of another area's page, or None while that area is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _round_or_404(request: HttpRequest, public_id) -> Round:
    return get_object_or_404(
        Round.objects.visible_to(request.user).select_related("project"), public_id=public_id
    )


def _require_manage(project: Project, user) -> None:
    if not project.can_manage(user):
        raise PermissionDenied(_("Only the project's leads and administrators manage coding rounds."))


def _form_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form (on its field when the form has that field)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def round_list(request: HttpRequest, public_id) -> HttpResponse:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    project_rounds = list(project.rounds.prefetch_related("documents", "coders"))
    at_closing = rounds.agreement_at_closing(project_rounds)
    rows = [{"round": each, "figures": at_closing.get(each.pk)} for each in project_rounds]
    context = {
        "project": project,
        "rows": rows,
        "project_url": _url_or_none("scan:project-detail", project.public_id),
        "can_manage": project.can_manage(request.user),
    }
    return render(request, "scan/rounds_list.html", context)


def round_create(request: HttpRequest, public_id) -> HttpResponse:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    _require_manage(project, request.user)
    form = RoundForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            blind_round = rounds.open_round(project, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The round “%(name)s” is open.") % {"name": blind_round.name})
            return redirect(blind_round)
    context = {"project": project, "form": form, "round": None}
    return render(request, "scan/rounds_form.html", context, status=400 if form.errors else 200)


def round_edit(request: HttpRequest, public_id) -> HttpResponse:
    blind_round = _round_or_404(request, public_id)
    _require_manage(blind_round.project, request.user)
    initial = {
        "name": blind_round.name,
        "instructions": blind_round.instructions,
        "unit": blind_round.unit,
        "documents": list(blind_round.documents.all()),
        "coders": list(blind_round.coders.all()),
    }
    form = RoundForm(request.POST or None, initial=initial, project=blind_round.project)
    if request.method == "POST" and form.is_valid():
        try:
            rounds.update_round(blind_round, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The round is saved."))
            return redirect(blind_round)
    context = {"project": blind_round.project, "form": form, "round": blind_round}
    return render(request, "scan/rounds_form.html", context, status=400 if form.errors else 200)


def round_detail(request: HttpRequest, public_id) -> HttpResponse:
    blind_round = _round_or_404(request, public_id)
    project = blind_round.project
    can_manage = project.can_manage(request.user)
    coders = list(blind_round.coders.order_by("username"))
    if not can_manage:  # a coder sees their own progress only; a reader sees nobody's
        coders = [coder for coder in coders if coder.pk == request.user.pk]
    progress = rounds.coder_progress(blind_round, request.user)
    documents = [
        {
            "document": document,
            "url": _url_or_none("scan:document-code", document.public_id),
            "counts": [progress.get((coder.pk, document.pk), 0) for coder in coders],
        }
        for document in blind_round.documents.order_by("title", "id")
    ]
    totals = [sum(row["counts"][i] for row in documents) for i in range(len(coders))]
    context = {
        "round": blind_round,
        "project": project,
        "coders": coders,
        "all_coders": blind_round.coders.order_by("username"),
        "documents": documents,
        "totals": totals,
        "can_manage": can_manage,
        "can_compare": _can_compare(blind_round, request.user),
        "is_coder": blind_round.coders.filter(pk=request.user.pk).exists(),
    }
    return render(request, "scan/rounds_detail.html", context)


def round_close(request: HttpRequest, public_id) -> HttpResponse:
    blind_round = _round_or_404(request, public_id)
    _require_manage(blind_round.project, request.user)
    if request.method == "POST":
        try:
            rounds.close_round(blind_round, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The round is closed: everyone sees all codings, and agreement is ready.")
            )
        return redirect(blind_round)
    return render(request, "scan/rounds_close.html", {"round": blind_round, "project": blind_round.project})


@require_POST
def round_reopen(request: HttpRequest, public_id) -> HttpResponse:
    blind_round = _round_or_404(request, public_id)
    _require_manage(blind_round.project, request.user)
    try:
        rounds.reopen_round(blind_round, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The round is open again: coding is blind until it closes."))
    return redirect(blind_round)


def _can_compare(blind_round: Round, user) -> bool:
    """Leads and administrators, and the round's own coders (only after the round closes)."""
    return blind_round.project.can_manage(user) or blind_round.coders.filter(pk=user.pk).exists()


def _unit(request: HttpRequest, blind_round: Round) -> str:
    unit = request.GET.get("unit") or request.POST.get("unit") or blind_round.unit
    return unit if unit in RoundUnit.values else blind_round.unit


def round_compare(request: HttpRequest, public_id) -> HttpResponse:
    blind_round = _round_or_404(request, public_id)
    if not _can_compare(blind_round, request.user):
        raise PermissionDenied(_("Only the round's coders and the project's leads see its agreement."))
    context: dict[str, Any] = {
        "round": blind_round,
        "project": blind_round.project,
        "unit": _unit(request, blind_round),
        "units": RoundUnit.choices,
        "can_manage": blind_round.project.can_manage(request.user),
    }
    if not blind_round.is_open:
        code = _chosen_code(request, blind_round)
        if code is None:
            context.update(_comparison_context(blind_round, context["unit"], request.user))
        else:
            context.update(_disagreements_context(blind_round, code, context["unit"], request.user))
    return render(request, "scan/rounds_compare.html", context)


def _chosen_code(request: HttpRequest, blind_round: Round, params=None) -> Code | None:
    """The code named by `?code=` (a 404 when it is not a code of the round's project)."""
    code_id = (params if params is not None else request.GET).get("code")
    if not code_id:
        return None
    try:
        code_uuid = uuid.UUID(code_id)
    except ValueError:
        raise Http404(_("No such code.")) from None
    return get_object_or_404(Code, project=blind_round.project, public_id=code_uuid)


def interpretation(alpha: float | None) -> str:
    """Krippendorff's guidance on alpha, in words (the page never relies on colour alone)."""
    if alpha is None:
        return _("not defined (no variation or too few units)")
    if alpha >= RELIABLE:
        return _("reliable (α ≥ .800)")
    if alpha >= TENTATIVE:
        return _("tentative (.667 ≤ α < .800)")
    return _("unreliable (α < .667)")


def _comparison_context(blind_round: Round, unit: str, user) -> dict[str, Any]:
    comparison = rounds.compare_round(blind_round, unit=unit, user=user)
    rows = [
        {"item": item, "verdict": interpretation(item.alpha), "level": _level(item.alpha)}
        for item in comparison.codes
    ]
    return {
        "comparison": comparison,
        "rows": rows,
        "overall_verdict": interpretation(comparison.overall.alpha),
        "spec": _alpha_chart(comparison, unit),
        "chart_options": chart_options(f"agreement-{blind_round.public_id}"),
    }


def _level(alpha: float | None) -> str:
    if alpha is None:
        return "undefined"
    return "reliable" if alpha >= RELIABLE else "tentative" if alpha >= TENTATIVE else "unreliable"


def _alpha_chart(comparison: rounds.Comparison, unit: str) -> dict[str, Any]:
    """A Vega-Lite bar chart of alpha per code, with rules at .667 and .800."""
    values = [
        {"code": item.code.name, "alpha": round(item.alpha, 3), "verdict": interpretation(item.alpha)}
        for item in comparison.codes
        if item.alpha is not None
    ]
    title = _("Krippendorff's alpha")
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": _("Krippendorff's alpha per code; the table beside the chart holds the same numbers."),
        "width": 360,
        "height": {"step": 24},
        "layer": [
            {
                "data": {"values": values},
                "mark": {"type": "bar", "color": "#1f5f8b"},
                "encoding": {
                    "y": {"field": "code", "type": "nominal", "sort": None, "title": _("Code")},
                    "x": {
                        "field": "alpha",
                        "type": "quantitative",
                        "title": title,
                        "scale": {"domain": [-1, 1]},
                    },
                    "tooltip": [
                        {"field": "code", "type": "nominal", "title": _("Code")},
                        {"field": "alpha", "type": "quantitative", "title": title, "format": ".3f"},
                        {"field": "verdict", "type": "nominal", "title": _("Reading")},
                    ],
                },
            },
            {
                "data": {"values": [{"x": TENTATIVE}, {"x": RELIABLE}]},
                "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#1c2430"},
                "encoding": {"x": {"field": "x", "type": "quantitative"}},
            },
        ],
    }


def _disagreements_context(blind_round: Round, code: Code, unit: str, user) -> dict[str, Any]:
    decisions = rounds.unit_decisions(blind_round, code=code, unit=unit, user=user)
    return {
        "code": code,
        "coders": list(blind_round.coders.order_by("username")),
        "decisions": decisions,
        "resolved": sum(1 for decision in decisions if decision.resolution),
    }


@require_POST
def round_reconcile(request: HttpRequest, public_id) -> HttpResponse:
    blind_round = _round_or_404(request, public_id)
    _require_manage(blind_round.project, request.user)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        message = _("The decision is incomplete (%(problems)s).") % {"problems": problems}
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    code = get_object_or_404(Code, project=blind_round.project, public_id=form.cleaned_data["code"])
    document = get_object_or_404(blind_round.documents, public_id=form.cleaned_data["document"])
    try:
        rounds.reconcile(
            blind_round,
            code=code,
            document=document,
            unit_start=form.cleaned_data["unit_start"],
            unit_end=form.cleaned_data["unit_end"],
            decision=form.cleaned_data["decision"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The decision is saved."))
    url = reverse("scan:round-compare", args=[blind_round.public_id])
    anchor = f"unit-{document.pk}-{form.cleaned_data['unit_start']}"
    return redirect(f"{url}?code={code.public_id}&unit={_unit(request, blind_round)}#{anchor}")


@require_POST
def round_accept_agreements(request: HttpRequest, public_id) -> HttpResponse:
    blind_round = _round_or_404(request, public_id)
    _require_manage(blind_round.project, request.user)
    code = _chosen_code(request, blind_round, request.POST)
    unit = _unit(request, blind_round)
    try:
        created = rounds.accept_agreements(blind_round, code=code, unit=unit, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d consensus coding is created from the units where all coders agree.",
                "%(count)d consensus codings are created from the units where all coders agree.",
                created,
            )
            % {"count": created},
        )
    url = reverse("scan:round-compare", args=[blind_round.public_id])
    query = f"?unit={unit}" + (f"&code={code.public_id}" if code else "")
    return redirect(url + query)
