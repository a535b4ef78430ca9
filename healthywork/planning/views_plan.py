"""The action plan pages: the plan (table or timeline, filters, completeness check), objectives
and steps (add, edit, delete, move up or down) and the exports."""

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from healthywork.collaborative.models import Team
from healthywork.planning import plan as plans
from healthywork.planning.access import team_for
from healthywork.planning.concurrency import EditConflict
from healthywork.planning.forms_plan import DeleteForm, MoveForm, ObjectiveForm, PlanFilterForm, StepForm
from healthywork.planning.models import ActionStep, Objective


def _editable(model, request: HttpRequest, public_id, team_path: str):
    """An objective or step of a team the person can see (else 404) and edit (else 403)."""
    related = "plan__team__cohort" if model is Objective else "objective__plan__team__cohort"
    obj = get_object_or_404(
        model.objects.select_related(related),
        public_id=public_id,
        **{f"{team_path}__in": Team.objects.visible_to(request.user)},
    )
    team = obj.plan.team if model is Objective else obj.objective.plan.team
    if not team.can_edit(request.user):
        raise PermissionDenied
    return obj, team


def _plan_url(team: Team, anchor: str = "") -> str:
    return reverse("planning:plan", args=[team.public_id]) + (f"#{anchor}" if anchor else "")


def plan_page(request: HttpRequest, public_id) -> HttpResponse:
    team = team_for(request, public_id)
    can_edit = team.can_edit(request.user)
    action_plan = plans.plan_of(team)
    if action_plan is None and can_edit:
        action_plan = plans.ensure_plan(team, by=request.user)
    objectives = plans.objectives_with_steps(action_plan) if action_plan else []
    form = PlanFilterForm(request.GET, who_choices=plans.who_choices(objectives))
    context = {
        "team": team,
        "plan": action_plan,
        "can_edit": can_edit,
        "form": form,
        "view": form.view_name,
        **_plan_rows(objectives, form.params(), team),
    }
    template = "planning/plan_page.html" + ("#results" if getattr(request, "htmx", False) else "")
    return render(request, template, context)


def _plan_rows(objectives: list[Objective], params: dict, team: Team) -> dict:
    today = plans.today()
    labels: dict[str, str] = {}
    groups = []
    for objective in objectives:
        steps = []
        for number, step in enumerate(objective.steps.all(), start=1):
            step.number = number
            step.due_kind, step.due_text = plans.due_label(step, today)
            labels[str(step.public_id)] = step.due_text
            if plans.keeps(step, params, today):
                steps.append(step)
        groups.append({"objective": objective, "steps": steps, "count": len(objective.steps.all())})
    outline = plans.outline(objectives)
    kept = {str(step.public_id) for group in groups for step in group["steps"]}
    shown = [replace(item, steps=[s for s in item.steps if s.public_id in kept]) for item in outline]
    is_filtered = any(params.get(name) for name in ("status", "who", "overdue", "upcoming"))
    return {
        "groups": groups,
        "is_filtered": is_filtered,
        "shown": sum(len(group["steps"]) for group in groups),
        "total": sum(group["count"] for group in groups),
        "findings": plans.check_completeness(outline, team.cohort.start_date, team.cohort.end_date),
        "timeline": plans.timeline(shown, today, labels),
        "today": today,
        "formats": plans.EXPORT_FORMATS,
    }


def _render_form(request: HttpRequest, form, team: Team, context: dict, conflict=None) -> HttpResponse:
    if conflict is not None:
        yours = form.display_values()
        both = [(label, value, conflict.theirs.get(name, "")) for name, (label, value) in yours.items()]
        both += [(key, "", value) for key, value in conflict.theirs.items() if key not in yours]
        form.keep_version(conflict.current_version)
        context.update(conflict=conflict, both=both)
    context.update(form=form, team=team, cancel_url=context.get("cancel_url") or _plan_url(team))
    status = 409 if conflict else (400 if form.errors else 200)
    return render(request, "planning/plan_form.html", context, status=status)


def objective_create(request: HttpRequest, public_id) -> HttpResponse:
    team = team_for(request, public_id, edit=True)
    action_plan = plans.ensure_plan(team, by=request.user)
    form = ObjectiveForm(request.POST or None, team=team, initial={"version": action_plan.version})
    if request.method == "POST" and form.is_valid():
        try:
            objective = plans.create_objective(
                action_plan, form.cleaned_data, version=form.cleaned_data["version"], by=request.user
            )
        except EditConflict as conflict:
            return _render_form(request, form, team, {"title": _("Add an objective")}, conflict)
        messages.success(request, _("The objective is added. Now add its steps."))
        return redirect(_plan_url(team, f"objective-{objective.public_id}"))
    return _render_form(request, form, team, {"title": _("Add an objective")})


def objective_edit(request: HttpRequest, public_id) -> HttpResponse:
    objective, team = _editable(Objective, request, public_id, "plan__team")
    version = objective.plan.version
    form = ObjectiveForm(request.POST or None, instance=objective, team=team, initial={"version": version})
    if request.method == "POST" and form.is_valid():
        try:
            plans.update_objective(
                objective, form.cleaned_data, version=form.cleaned_data["version"], by=request.user
            )
        except EditConflict as conflict:
            return _render_form(request, form, team, {"title": _("Edit the objective")}, conflict)
        messages.success(request, _("The objective is saved."))
        return redirect(_plan_url(team, f"objective-{objective.public_id}"))
    return _render_form(request, form, team, {"title": _("Edit the objective")})


def step_create(request: HttpRequest, public_id) -> HttpResponse:
    objective, team = _editable(Objective, request, public_id, "plan__team")
    form = StepForm(
        request.POST or None, team=team, user=request.user, initial={"version": objective.plan.version}
    )
    context = {"title": _("Add a step"), "objective": objective}
    if request.method == "POST" and form.is_valid():
        try:
            step = plans.create_step(
                objective, form.cleaned_data, version=form.cleaned_data["version"], by=request.user
            )
        except EditConflict as conflict:
            return _render_form(request, form, team, context, conflict)
        _saved(request, step, team, _("The step is added."))
        return redirect(_plan_url(team, f"step-{step.public_id}"))
    return _render_form(request, form, team, context)


def step_edit(request: HttpRequest, public_id) -> HttpResponse:
    step, team = _editable(ActionStep, request, public_id, "objective__plan__team")
    version = step.objective.plan.version
    form = StepForm(
        request.POST or None, instance=step, team=team, user=request.user, initial={"version": version}
    )
    context = {"title": _("Edit the step"), "objective": step.objective}
    if request.method == "POST" and form.is_valid():
        try:
            plans.update_step(step, form.cleaned_data, version=form.cleaned_data["version"], by=request.user)
        except EditConflict as conflict:
            return _render_form(request, form, team, context, conflict)
        _saved(request, step, team, _("The step is saved."))
        return redirect(_plan_url(team, f"step-{step.public_id}"))
    return _render_form(request, form, team, context)


def _saved(request: HttpRequest, step: ActionStep, team: Team, text: str) -> None:
    messages.success(request, text)
    for warning in plans.date_warnings(step.start_date, step.due_date, team.cohort):
        messages.warning(request, warning)


def objective_delete(request: HttpRequest, public_id) -> HttpResponse:
    objective, team = _editable(Objective, request, public_id, "plan__team")
    return _delete(
        request, objective, team, plans.delete_objective, _("The objective and its steps are deleted.")
    )


def step_delete(request: HttpRequest, public_id) -> HttpResponse:
    step, team = _editable(ActionStep, request, public_id, "objective__plan__team")
    return _delete(request, step, team, plans.delete_step, _("The step is deleted."))


def _delete(request: HttpRequest, item, team: Team, delete, text: str) -> HttpResponse:
    action_plan = plans.plan_of(team)
    form = DeleteForm(request.POST or None, initial={"version": action_plan.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            delete(item, version=form.cleaned_data["version"], by=request.user)
        except EditConflict as error:
            conflict = error
            form = DeleteForm(initial={"version": error.current_version})
        else:
            messages.success(request, text)
            return redirect(_plan_url(team))
    context = {
        "item": item,
        "team": team,
        "form": form,
        "conflict": conflict,
        "is_objective": isinstance(item, Objective),
    }
    return render(request, "planning/plan_confirm_delete.html", context, status=409 if conflict else 200)


def objective_move(request: HttpRequest, public_id) -> HttpResponse:
    objective, team = _editable(Objective, request, public_id, "plan__team")
    return _move(request, objective, team, plans.move_objective, f"objective-{objective.public_id}")


def step_move(request: HttpRequest, public_id) -> HttpResponse:
    step, team = _editable(ActionStep, request, public_id, "objective__plan__team")
    return _move(request, step, team, plans.move_step, f"step-{step.public_id}")


def _move(request: HttpRequest, item, team: Team, move, anchor: str) -> HttpResponse:
    if request.method != "POST":
        return redirect(_plan_url(team, anchor))
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to move up or down."))
        return redirect(_plan_url(team, anchor))
    data = form.cleaned_data
    try:
        if not move(item, data["direction"], version=data["version"], by=request.user):
            messages.info(request, _("It is already at the top or bottom."))
    except EditConflict as conflict:
        messages.error(request, conflict.message + " " + _("The plan below is the saved version."))
    return redirect(_plan_url(team, anchor))


def plan_export(request: HttpRequest, public_id) -> HttpResponse:
    team = team_for(request, public_id)
    action_plan = plans.plan_of(team)
    fmt = request.GET.get("format", "csv")
    if action_plan is None or fmt not in plans.EXPORT_FORMATS:
        raise Http404
    content, content_type = plans.export_plan(action_plan, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{plans.export_filename(action_plan, fmt)}"'
    return response
