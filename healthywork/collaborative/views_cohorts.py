"""Cohorts: the list (the collaborative's home), a cohort's overview, create, edit, and the
switch that lets its teams read each other's work."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from healthywork.collaborative import cohorts
from healthywork.collaborative.forms_cohorts import CohortForm, ShareWorkForm
from healthywork.collaborative.models import Cohort, Team
from healthywork.core.permissions import ability_required, get_visible_or_404


def _managed_cohort(request: HttpRequest, public_id) -> Cohort:
    cohort = get_visible_or_404(Cohort, request.user, public_id=public_id)
    if not cohort.can_manage(request.user):
        raise PermissionDenied("collaborative.manage")
    return cohort


def index(request: HttpRequest) -> HttpResponse:
    cohort_list = Cohort.objects.visible_to(request.user).annotate(
        team_count=Count("teams", distinct=True), session_count=Count("sessions", distinct=True)
    )
    return render(request, "collaborative/cohorts_list.html", {"cohorts": cohort_list})


def cohort_detail(request: HttpRequest, public_id) -> HttpResponse:
    cohort = get_visible_or_404(Cohort, request.user, public_id=public_id)
    can_manage = cohort.can_manage(request.user)
    context = {
        "cohort": cohort,
        "can_manage": can_manage,
        "is_open": cohorts.is_taking_applications(cohort),
        "team_rows": cohorts.team_rows(cohort, Team.objects.visible_to(request.user)),
        "team_total": cohort.teams.count(),
        "sessions": cohort.sessions.all(),
        "facilitators": cohort.facilitators.all(),
        "application_counts": cohorts.application_counts(cohort) if can_manage else None,
        "apply_url": request.build_absolute_uri(
            reverse("collaborative:apply", args=[cohort.application_token])
        ),
        "share_form": ShareWorkForm(initial={"shares_work": cohort.shares_work}),
    }
    return render(request, "collaborative/cohorts_detail.html", context)


@ability_required("collaborative.manage")
def cohort_create(request: HttpRequest) -> HttpResponse:
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort = cohorts.create_cohort(form.cleaned_data, by=request.user)
        messages.success(request, _("The cohort %(name)s is added.") % {"name": cohort.name})
        return redirect(cohort)
    return render(
        request, "collaborative/cohorts_form.html", {"form": form}, status=400 if form.errors else 200
    )


def cohort_edit(request: HttpRequest, public_id) -> HttpResponse:
    cohort = _managed_cohort(request, public_id)
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        cohorts.update_cohort(Cohort.objects.get(pk=cohort.pk), form.cleaned_data, by=request.user)
        messages.success(request, _("The cohort %(name)s is saved.") % {"name": form.cleaned_data["name"]})
        return redirect(cohort)
    context = {"form": form, "cohort": Cohort.objects.get(pk=cohort.pk)}
    return render(request, "collaborative/cohorts_form.html", context, status=400 if form.errors else 200)


@require_POST
def cohort_share(request: HttpRequest, public_id) -> HttpResponse:
    cohort = _managed_cohort(request, public_id)
    form = ShareWorkForm(request.POST)
    form.is_valid()  # a single checkbox: absent means off
    cohorts.set_shares_work(cohort, form.cleaned_data.get("shares_work", False), by=request.user)
    if cohort.shares_work:
        messages.success(request, _("The teams of this cohort now see each other's work."))
    else:
        messages.success(request, _("Each team of this cohort now sees only its own work."))
    return redirect(cohort)
