"""The money pages: grants with their disbursements, and the technical-assistance log (list with
filters and totals, entries, export, import with preview).

Reading needs only to see the team (`visible_to`; a stranger gets 404); writing needs
`can_edit_money(user, team)` (administrators and the cohort's facilitators; 403 otherwise).
"""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from healthywork.collaborative.models import Team
from healthywork.core import tabular
from healthywork.core.charts import chart_options
from healthywork.core.pagination import paginate
from healthywork.core.permissions import get_visible_or_404
from healthywork.core.staging import stage_upload, staged_table
from healthywork.implementation import assistance, grants
from healthywork.implementation.forms_money import (
    AssistanceFilterForm,
    AssistanceForm,
    AssistanceImportForm,
    DisbursementForm,
    GrantForm,
    money_teams,
)
from healthywork.implementation.models import AssistanceLog, Grant, can_edit_money

IMPORT_KIND = "implementation-assistance"
PAGE_SIZE = 50
EXPORT_FORMATS = ["csv", "xlsx"]


def _require_money(user, team: Team) -> None:
    if not can_edit_money(user, team):
        raise PermissionDenied("implementation money")


def _form_status(form) -> int:
    return 400 if form.errors else 200


# --- Grants -----------------------------------------------------------------------------------


def grant_list(request: HttpRequest) -> HttpResponse:
    rows = Grant.objects.visible_to(request.user).select_related("team__cohort", "funder")
    team = None
    if request.GET.get("team"):
        team = Team.objects.visible_to(request.user).filter(public_id__in=_uuids(request.GET["team"])).first()
        rows = rows.filter(team=team) if team else rows.none()
    rows = rows.order_by("team__cohort__name", "team__name", "-start_date", "pk")
    rows = list(rows)
    disbursed = grants.disbursed_by_grant([grant.pk for grant in rows])
    items = [(grant, disbursed[grant.pk], grant.amount - disbursed[grant.pk]) for grant in rows]
    context = {"items": items, "team": team, "money_teams": money_teams(request.user)}
    return render(request, "implementation/money_grant_list.html", context)


def _uuids(value: str) -> list[str]:
    try:
        return [str(uuid.UUID(value))]
    except ValueError:
        return []


def grant_create(request: HttpRequest, public_id) -> HttpResponse:
    team = get_visible_or_404(Team, request.user, public_id=public_id)
    _require_money(request.user, team)
    form = GrantForm(request.POST or None, instance=Grant(team=team))
    if request.method == "POST" and form.is_valid():
        grant = grants.create_grant(team, form.values(), by=request.user)
        messages.success(request, _("The grant is saved."))
        return redirect(grant)
    context = {"form": form, "team": team}
    return render(request, "implementation/money_grant_form.html", context, status=_form_status(form))


def grant_detail(request: HttpRequest, public_id) -> HttpResponse:
    grant = get_visible_or_404(Grant, request.user, public_id=public_id)
    return _render_detail(request, grant, DisbursementForm(initial={}))


def _render_detail(request: HttpRequest, grant: Grant, form, beyond=None, status: int = 200) -> HttpResponse:
    context = {
        "grant": grant,
        "team": grant.team,
        "disbursements": grant.disbursements.select_related("created_by"),
        "totals": grants.grant_totals(grant),
        "can_edit": can_edit_money(request.user, grant.team),
        "form": form,
        "beyond": beyond,
    }
    return render(request, "implementation/money_grant_detail.html", context, status=status)


def grant_edit(request: HttpRequest, public_id) -> HttpResponse:
    grant = get_visible_or_404(Grant, request.user, public_id=public_id)
    _require_money(request.user, grant.team)
    form = GrantForm(request.POST or None, instance=grant)
    if request.method == "POST" and form.is_valid():
        grants.update_grant(grant, form.values(), by=request.user)
        messages.success(request, _("The grant is saved."))
        return redirect(grant)
    grant = Grant.objects.get(pk=grant.pk)
    context = {"form": form, "team": grant.team, "grant": grant}
    return render(request, "implementation/money_grant_form.html", context, status=_form_status(form))


def grant_delete(request: HttpRequest, public_id) -> HttpResponse:
    grant = get_visible_or_404(Grant, request.user, public_id=public_id)
    _require_money(request.user, grant.team)
    if request.method == "POST":
        team = grant.team
        grants.delete_grant(grant, by=request.user)
        messages.success(request, _("The grant and its disbursements are deleted."))
        return redirect(_team_url(team))
    context = {"grant": grant, "team": grant.team, "disbursements": grant.disbursements.all()}
    return render(request, "implementation/money_grant_delete.html", context)


def _team_url(team: Team) -> str:
    return reverse("implementation:team", args=[team.public_id])


def disbursement_add(request: HttpRequest, public_id) -> HttpResponse:
    grant = get_visible_or_404(Grant, request.user, public_id=public_id)
    _require_money(request.user, grant.team)
    if request.method != "POST":
        return redirect(grant)
    form = DisbursementForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, grant, form, status=400)
    data = form.cleaned_data
    try:
        grants.add_disbursement(
            grant,
            amount=data["amount"],
            on=data["date"],
            note=data["note"],
            confirm=data["confirm"],
            by=request.user,
        )
    except grants.BeyondBalance as beyond:
        # Shown again with the figures and the confirm box; the row is saved only once confirmed.
        return _render_detail(request, grant, form, beyond=beyond, status=409)
    messages.success(request, _("The disbursement is recorded."))
    return redirect(grant)


def disbursement_delete(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    grant = get_visible_or_404(Grant, request.user, public_id=public_id)
    row = get_object_or_404(grant.disbursements, pk=pk)
    _require_money(request.user, grant.team)
    if request.method == "POST":
        grants.delete_disbursement(row, by=request.user)
        messages.success(request, _("The disbursement is deleted."))
        return redirect(grant)
    return render(request, "implementation/money_disbursement_delete.html", {"grant": grant, "row": row})


# --- Technical assistance ---------------------------------------------------------------------


def _assistance_rows(request: HttpRequest):
    form = AssistanceFilterForm(request.GET or None, user=request.user)
    params = form.params()
    rows = assistance.filtered(AssistanceLog.objects.visible_to(request.user), params)
    return form, rows


def assistance_list(request: HttpRequest) -> HttpResponse:
    form, rows = _assistance_rows(request)
    rows = rows.select_related("team__cohort", "provider_organization")
    page = paginate(request, rows, PAGE_SIZE)
    totals = assistance.totals(rows)
    editable = {team.pk for team in money_teams(request.user)}
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "totals": totals,
        "total_hours": sum((row["hours"] for row in totals["team"]), 0),
        "spec": assistance.chart_spec(totals["team"]),
        "chart_options": chart_options("assistance-hours-by-team"),
        "query_string": query.urlencode(),
        "formats": EXPORT_FORMATS,
        "editable": editable,
        "can_add": bool(editable),
    }
    return render(request, "implementation/money_assistance_list.html", context)


def assistance_export(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        fmt = "csv"
    _form, rows = _assistance_rows(request)
    headers, table = assistance.export_rows(rows)
    content, content_type = tabular.export_bytes(fmt, headers, table)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="technical-assistance.{fmt}"'
    return response


def assistance_create(request: HttpRequest) -> HttpResponse:
    if not money_teams(request.user):
        raise PermissionDenied("implementation money")
    initial = {}
    if request.GET.get("team"):
        team = Team.objects.visible_to(request.user).filter(public_id__in=_uuids(request.GET["team"])).first()
        initial["team"] = team.pk if team else None
    form = AssistanceForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        assistance.create_entry(form.values(), by=request.user)
        messages.success(request, _("The assistance is logged."))
        return redirect("implementation:assistance-list")
    return render(
        request, "implementation/money_assistance_form.html", {"form": form}, status=_form_status(form)
    )


def assistance_edit(request: HttpRequest, public_id) -> HttpResponse:
    entry = get_visible_or_404(AssistanceLog, request.user, public_id=public_id)
    _require_money(request.user, entry.team)
    form = AssistanceForm(request.POST or None, instance=entry, user=request.user)
    if request.method == "POST" and form.is_valid():
        assistance.update_entry(entry, form.values(), by=request.user)
        messages.success(request, _("The entry is saved."))
        return redirect("implementation:assistance-list")
    context = {"form": form, "entry": AssistanceLog.objects.get(pk=entry.pk)}
    return render(request, "implementation/money_assistance_form.html", context, status=_form_status(form))


def assistance_delete(request: HttpRequest, public_id) -> HttpResponse:
    entry = get_visible_or_404(AssistanceLog, request.user, public_id=public_id)
    _require_money(request.user, entry.team)
    if request.method == "POST":
        assistance.delete_entry(entry, by=request.user)
        messages.success(request, _("The entry is deleted."))
        return redirect("implementation:assistance-list")
    return render(request, "implementation/money_assistance_delete.html", {"entry": entry})


def assistance_import(request: HttpRequest) -> HttpResponse:
    if not money_teams(request.user):
        raise PermissionDenied("implementation money")
    form = AssistanceImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        staged = stage_upload(request.user, IMPORT_KIND, upload.name, upload.read())
        return redirect("implementation:assistance-import-preview", staged.pk)
    context = {"form": form, "columns": assistance.COLUMNS}
    return render(request, "implementation/money_assistance_import.html", context, status=_form_status(form))


def assistance_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    staged, table = staged_table(request, pk, IMPORT_KIND)
    if table is None:
        return redirect("implementation:assistance-import")
    preview = assistance.preview_import(table, by=request.user)
    if request.method == "POST" and request.POST.get("confirm") and preview.can_apply:
        summary = assistance.apply_import(preview, by=request.user)
        staged.delete()
        messages.success(request, _("Import done: %(create)s entries logged.") % summary)
        return redirect("implementation:assistance-list")
    context = {"staged": staged, "preview": preview, "columns": assistance.COLUMNS}
    status = 200 if preview.can_apply else 400
    return render(request, "implementation/money_assistance_import_preview.html", context, status=status)
