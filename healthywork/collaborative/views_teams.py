"""Teams: list and detail, create by hand and edit (the cohort's managers), the team's
organizations and people, and the team's definition of precarious work (its members)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from healthywork.collaborative import teams
from healthywork.collaborative.cohorts import team_rows
from healthywork.collaborative.forms_teams import DefinitionForm, MembershipForm, TeamForm, TeamPersonForm
from healthywork.collaborative.models import Cohort, Team
from healthywork.core.panels import collect
from healthywork.core.permissions import get_visible_or_404


def _team(request: HttpRequest, public_id, *, manage: bool = False) -> Team:
    """The team if the person may see it (else 404); with `manage`, 403 unless they run the cohort."""
    visible = Team.objects.visible_to(request.user).select_related("cohort", "facilitator")
    team = get_object_or_404(visible, public_id=public_id)
    if manage and not team.cohort.can_manage(request.user):
        raise PermissionDenied("collaborative.manage")
    return team


def team_list(request: HttpRequest, public_id) -> HttpResponse:
    cohort = get_visible_or_404(Cohort, request.user, public_id=public_id)
    context = {
        "cohort": cohort,
        "team_rows": team_rows(cohort, Team.objects.visible_to(request.user)),
        "team_total": cohort.teams.count(),
        "can_manage": cohort.can_manage(request.user),
    }
    return render(request, "collaborative/teams_list.html", context)


def team_detail(request: HttpRequest, public_id) -> HttpResponse:
    team = _team(request, public_id)
    context = {
        "team": team,
        "cohort": team.cohort,
        "memberships": team.memberships.select_related("organization__sector"),
        "people": team.people.select_related("person", "user", "organization"),
        "providers": team.assistance_providers.all(),
        "warnings": team.composition_warnings(),
        "definition": teams.definition_of(team),
        "can_manage": team.cohort.can_manage(request.user),
        "can_edit": team.can_edit(request.user),
        "panels": collect("team_panels", team, request.user),
    }
    return render(request, "collaborative/teams_detail.html", context)


def team_create(request: HttpRequest, public_id) -> HttpResponse:
    cohort = get_visible_or_404(Cohort, request.user, public_id=public_id)
    if not cohort.can_manage(request.user):
        raise PermissionDenied("collaborative.manage")
    form = TeamForm(request.POST or None, instance=Team(cohort=cohort))
    if request.method == "POST" and form.is_valid():
        team = teams.create_team(cohort, form.cleaned_data, by=request.user)
        messages.success(request, _("The team %(name)s is added.") % {"name": team.name})
        return redirect(team)
    context = {"form": form, "cohort": cohort}
    return render(request, "collaborative/teams_form.html", context, status=400 if form.errors else 200)


def team_edit(request: HttpRequest, public_id) -> HttpResponse:
    team = _team(request, public_id, manage=True)
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        teams.update_team(Team.objects.get(pk=team.pk), form.cleaned_data, by=request.user)
        messages.success(request, _("The team %(name)s is saved.") % {"name": form.cleaned_data["name"]})
        return redirect(team)
    context = {"form": form, "team": Team.objects.get(pk=team.pk), "cohort": team.cohort}
    return render(request, "collaborative/teams_form.html", context, status=400 if form.errors else 200)


def team_organizations(request: HttpRequest, public_id) -> HttpResponse:
    team = _team(request, public_id, manage=request.method == "POST")
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        teams.add_organization(team, data["organization"], data["role"], by=request.user)
        messages.success(request, _("%(name)s is on the team.") % {"name": data["organization"].name})
        return redirect("collaborative:team-organizations", team.public_id)
    context = {
        "team": team,
        "cohort": team.cohort,
        "form": form,
        "memberships": team.memberships.select_related("organization__sector"),
        "warnings": team.composition_warnings(),
        "can_manage": team.cohort.can_manage(request.user),
    }
    return render(
        request, "collaborative/teams_organizations.html", context, status=400 if form.errors else 200
    )


@require_POST
def team_organization_remove(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    team = _team(request, public_id, manage=True)
    membership = get_object_or_404(team.memberships.select_related("organization"), pk=pk)
    teams.remove_organization(membership, by=request.user)
    messages.success(
        request, _("%(name)s is no longer on the team.") % {"name": membership.organization.name}
    )
    return redirect("collaborative:team-organizations", team.public_id)


def team_people(request: HttpRequest, public_id) -> HttpResponse:
    team = _team(request, public_id, manage=request.method == "POST")
    form = TeamPersonForm(request.POST or None, team=team, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        entry = teams.add_person(team, form.cleaned_data, by=request.user)
        messages.success(request, _("%(name)s is on the team.") % {"name": entry})
        return redirect("collaborative:team-people", team.public_id)
    context = {
        "team": team,
        "cohort": team.cohort,
        "form": form,
        "people": team.people.select_related("person", "user", "organization"),
        "can_manage": team.cohort.can_manage(request.user),
    }
    return render(request, "collaborative/teams_people.html", context, status=400 if form.errors else 200)


@require_POST
def team_person_remove(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    team = _team(request, public_id, manage=True)
    entry = get_object_or_404(team.people.select_related("person", "user"), pk=pk)
    teams.remove_person(entry, by=request.user)
    messages.success(request, _("%(name)s is no longer on the team.") % {"name": entry})
    return redirect("collaborative:team-people", team.public_id)


def team_definition(request: HttpRequest, public_id) -> HttpResponse:
    team = _team(request, public_id)
    can_edit = team.can_edit(request.user)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("team.edit")
    form = DefinitionForm(request.POST or None, initial=DefinitionForm.initial_for(team))
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            teams.save_definition(
                team,
                text=data["definition"],
                conditions=list(data["conditions"]),
                dimensions=data["dimensions"],
                read_version=data["version"],
                by=request.user,
            )
        except teams.DefinitionConflict as error:
            conflict = error
        else:
            messages.success(request, _("The definition is saved."))
            return redirect("collaborative:team-definition", team.public_id)
    status = 409 if conflict else 400 if form.errors else 200
    context = {"team": team, "cohort": team.cohort, "form": form, "conflict": conflict, "can_edit": can_edit}
    context["definition"] = teams.definition_of(team)
    return render(request, "collaborative/teams_definition.html", context, status=status)
