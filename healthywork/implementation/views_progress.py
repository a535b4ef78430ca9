"""Milestones, progress reports and PSE changes: create, edit, delete (people who may edit the
team's work), read (anyone who sees the team), and the list of changes across the visible teams
with its filters and CSV/XLSX export. A stranger's record is a 404; a reader's write is a 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as ModelValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from healthywork.collaborative.models import Team
from healthywork.core import tabular
from healthywork.core.pagination import paginate
from healthywork.implementation import changes as change_service
from healthywork.implementation import milestones as milestone_service
from healthywork.implementation import reports as report_service
from healthywork.implementation.forms_progress import ChangeFilterForm, ChangeForm, MilestoneForm, ReportForm
from healthywork.implementation.models import Change, Milestone, ProgressReport

EXPORT_FORMATS = ("csv", "xlsx")


def _team(request: HttpRequest, public_id, *, edit: bool = False) -> Team:
    team = get_object_or_404(
        Team.objects.visible_to(request.user).select_related("cohort"), public_id=public_id
    )
    if edit and not team.can_edit(request.user):
        raise PermissionDenied("team.edit")
    return team


def _guard(request: HttpRequest, team: Team) -> bool:
    """May the user write? A POST by a reader is refused (403)."""
    can_edit = team.can_edit(request.user)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("team.edit")
    return can_edit


def _team_page(team: Team) -> str:
    return reverse("implementation:team", args=[team.public_id])


def _apply_model_errors(form, error: ModelValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- Milestones ------------------------------------------------------------------------------


def milestone_create(request: HttpRequest, public_id) -> HttpResponse:
    team = _team(request, public_id, edit=True)
    form = MilestoneForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        milestone_service.create_milestone(team, form.cleaned_data, by=request.user)
        messages.success(request, _("The milestone is added."))
        return redirect(_team_page(team))
    context = {"form": form, "team": team}
    return render(
        request, "implementation/progress_milestone_form.html", context, status=400 if form.errors else 200
    )


def milestone_edit(request: HttpRequest, public_id) -> HttpResponse:
    milestone = get_object_or_404(
        Milestone.objects.visible_to(request.user).select_related("team__cohort"), public_id=public_id
    )
    team = milestone.team
    if not team.can_edit(request.user):
        raise PermissionDenied("team.edit")
    form = MilestoneForm(request.POST or None, instance=milestone, team=team)
    if request.method == "POST" and form.is_valid():
        milestone_service.update_milestone(
            Milestone.objects.get(pk=milestone.pk), form.cleaned_data, by=request.user
        )
        messages.success(request, _("The milestone is saved."))
        return redirect(_team_page(team))
    context = {"form": form, "team": team, "milestone": Milestone.objects.get(pk=milestone.pk)}
    return render(
        request, "implementation/progress_milestone_form.html", context, status=400 if form.errors else 200
    )


@require_POST
def milestone_delete(request: HttpRequest, public_id) -> HttpResponse:
    milestone = get_object_or_404(
        Milestone.objects.visible_to(request.user).select_related("team"), public_id=public_id
    )
    if not milestone.team.can_edit(request.user):
        raise PermissionDenied("team.edit")
    milestone_service.delete_milestone(milestone, by=request.user)
    messages.success(request, _("The milestone “%(title)s” is deleted.") % {"title": milestone.title})
    return redirect(_team_page(milestone.team))


# --- Progress reports ------------------------------------------------------------------------


def _report(request: HttpRequest, public_id) -> ProgressReport:
    visible = ProgressReport.objects.visible_to(request.user).select_related("team__cohort", "submitted_by")
    return get_object_or_404(visible, public_id=public_id)


def _report_form(request: HttpRequest, team: Team, report: ProgressReport | None) -> HttpResponse:
    milestones = report_service.milestones_to_report(team, report)
    form = ReportForm(request.POST or None, instance=report, team=team, milestones=milestones)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ReportForm.Meta.fields}
        try:
            saved = report_service.save_report(team, report, data, form.updates(), by=request.user)
        except ModelValidationError as error:
            _apply_model_errors(form, error)
        else:
            messages.success(request, _("The progress report is saved."))
            return redirect(saved)
    context = {"form": form, "team": team, "report": report}
    return render(
        request, "implementation/progress_report_form.html", context, status=400 if form.errors else 200
    )


def report_create(request: HttpRequest, public_id) -> HttpResponse:
    return _report_form(request, _team(request, public_id, edit=True), None)


def report_edit(request: HttpRequest, public_id) -> HttpResponse:
    report = _report(request, public_id)
    if not report.team.can_edit(request.user):
        raise PermissionDenied("team.edit")
    return _report_form(request, report.team, report)


def report_detail(request: HttpRequest, public_id) -> HttpResponse:
    report = _report(request, public_id)
    context = {
        "report": report,
        "team": report.team,
        "updates": report.milestone_updates.select_related("milestone"),
        "can_edit": report.team.can_edit(request.user),
    }
    return render(request, "implementation/progress_report_detail.html", context)


@require_POST
def report_delete(request: HttpRequest, public_id) -> HttpResponse:
    report = _report(request, public_id)
    if not report.team.can_edit(request.user):
        raise PermissionDenied("team.edit")
    report_service.delete_report(report, by=request.user)
    messages.success(request, _("The progress report is deleted."))
    return redirect(_team_page(report.team))


# --- PSE changes -----------------------------------------------------------------------------


def _change(request: HttpRequest, public_id) -> Change:
    visible = Change.objects.visible_to(request.user).select_related(
        "team__cohort", "organization", "initiative", "milestone", "created_by"
    )
    return get_object_or_404(visible, public_id=public_id)


def _change_form(request: HttpRequest, team: Team, change: Change | None) -> HttpResponse:
    form = ChangeForm(request.POST or None, instance=change, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            if change is None:
                saved = change_service.create_change(team, form.cleaned_data, by=request.user)
            else:
                saved = change_service.update_change(
                    Change.objects.get(pk=change.pk), form.cleaned_data, by=request.user
                )
        except ModelValidationError as error:
            _apply_model_errors(form, error)
        else:
            messages.success(request, _("The change “%(title)s” is saved.") % {"title": saved.title})
            return redirect(saved)
    context = {"form": form, "team": team, "change": change}
    return render(
        request, "implementation/progress_change_form.html", context, status=400 if form.errors else 200
    )


def change_create(request: HttpRequest, public_id) -> HttpResponse:
    return _change_form(request, _team(request, public_id, edit=True), None)


def change_edit(request: HttpRequest, public_id) -> HttpResponse:
    change = _change(request, public_id)
    if not change.team.can_edit(request.user):
        raise PermissionDenied("team.edit")
    return _change_form(request, change.team, change)


def change_detail(request: HttpRequest, public_id) -> HttpResponse:
    change = _change(request, public_id)
    context = {"change": change, "team": change.team, "can_edit": change.team.can_edit(request.user)}
    return render(request, "implementation/progress_change_detail.html", context)


@require_POST
def change_delete(request: HttpRequest, public_id) -> HttpResponse:
    change = _change(request, public_id)
    if not change.team.can_edit(request.user):
        raise PermissionDenied("team.edit")
    change_service.delete_change(change, by=request.user)
    messages.success(request, _("The change “%(title)s” is deleted.") % {"title": change.title})
    return redirect(_team_page(change.team))


def _filtered_changes(request: HttpRequest):
    teams = Team.objects.visible_to(request.user)
    form = ChangeFilterForm(request.GET or None, teams=teams)
    params = form.params() if request.GET else {}
    return form, change_service.filter_changes(Change.objects.visible_to(request.user), params)


def change_list(request: HttpRequest) -> HttpResponse:
    form, changes = _filtered_changes(request)
    page = paginate(request, changes)
    context = {
        "form": form,
        "page": page,
        "count": page.paginator.count,
        "export_formats": EXPORT_FORMATS,
    }
    return render(request, "implementation/progress_change_list.html", context)


def change_export(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        return HttpResponseBadRequest(
            _("Unknown format “%(format)s”; use csv or xlsx.") % {"format": fmt},
            content_type="text/plain; charset=utf-8",
        )
    _form, changes = _filtered_changes(request)
    content, content_type = tabular.export_bytes(
        fmt, change_service.export_headers(), change_service.export_rows(changes)
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="pse-changes.{fmt}"'
    return response
