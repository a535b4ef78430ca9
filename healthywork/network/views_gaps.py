"""The gap finder page and the planned introductions made from it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from healthywork.core.permissions import ability_required, get_visible_or_404
from healthywork.network import gaps
from healthywork.network.forms_gaps import GapsForm, IntroductionPlanForm
from healthywork.network.models import Tie, Wave


def gap_finder(request: HttpRequest, public_id) -> HttpResponse:
    wave = get_visible_or_404(Wave, request.user, public_id=public_id)
    form = GapsForm(request.GET)
    suggestions = None
    if form.is_valid():
        first, second = form.cleaned_data["first"], form.cleaned_data["second"]
        suggestions = gaps.find_gaps(wave, first=first, second=second, user=request.user)
    context = {
        "wave": wave,
        "form": form,
        "suggestions": suggestions,
        "limit": gaps.MAX_SUGGESTIONS,
        "weights": _weights(),
        "introductions": gaps.planned_introductions(wave),
    }
    template = "network/gaps_finder.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    status = 400 if form.errors and not request.htmx else 200
    return render(request, template, context, status=status)


def _weights() -> dict[str, float]:
    return {
        "condition": gaps.WEIGHT_CONDITION,
        "population": gaps.WEIGHT_POPULATION,
        "code": gaps.WEIGHT_CODE,
        "state": gaps.BONUS_SAME_STATE,
    }


@require_POST
@ability_required("network.manage")
def introduction_plan(request: HttpRequest) -> HttpResponse:
    form = IntroductionPlanForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            gaps.plan_introduction(
                data["wave"], data["source"], data["target"], reason=data["reason"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The introduction of %(source)s and %(target)s is planned.")
                % {"source": data["source"].name, "target": data["target"].name},
            )
            return redirect(reverse("network:gaps", args=[data["wave"].public_id]) + "#introductions")
    return render(request, "network/gaps_plan_error.html", {"form": form}, status=400)


@require_POST
@ability_required("network.manage")
def introduction_made(request: HttpRequest, public_id) -> HttpResponse:
    tie = get_visible_or_404(Tie, request.user, public_id=public_id)
    try:
        gaps.mark_introduction_made(tie, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The introduction of %(source)s and %(target)s is marked as made.")
            % {"source": tie.source.name, "target": tie.target.name},
        )
    return redirect(reverse("network:gaps", args=[tie.wave.public_id]) + "#introductions")
