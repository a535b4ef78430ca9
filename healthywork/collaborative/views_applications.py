"""Applications: the public form on the cohort's link (no account), and the review by the
cohort's managers (score, notes, accept into a team, or decline)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from healthywork.collaborative import applications, cohorts
from healthywork.collaborative.forms_applications import AcceptForm, ApplicationForm, ReviewForm
from healthywork.collaborative.models import Application, ApplicationStatus, Cohort
from healthywork.core import ratelimit
from healthywork.core.permissions import get_visible_or_404

RATE_LIMITS = {"view": (60, 600), "submit": (5, 3600)}  # requests per window (seconds), per address


def _over_limit(request: HttpRequest, kind: str) -> bool:
    """Per client address, kept only as an expiring keyed hash (see core.ratelimit)."""
    limit, window = RATE_LIMITS[kind]
    return ratelimit.over_limit(request, f"collaborative:apply:{kind}", limit, window)


def _language(request: HttpRequest) -> str:
    codes = dict(settings.LANGUAGES)
    asked = request.GET.get("lang") or request.POST.get("lang") or ""
    if asked in codes:
        return asked
    current = translation.get_language() or "en"
    return next((code for code in (current, current.split("-")[0]) if code in codes), "en")


def _public(request, template: str, context: dict, lang: str, status: int = 200) -> HttpResponse:
    with translation.override(lang):
        context = {"lang": lang, "languages": settings.LANGUAGES, **context}
        return render(request, f"collaborative/{template}", context, status=status)


@login_not_required
@never_cache
def apply(request: HttpRequest, token: str) -> HttpResponse:
    lang = _language(request)
    if _over_limit(request, "view") or (request.method == "POST" and _over_limit(request, "submit")):
        return _public(request, "applications_notice.html", {"kind": "limited"}, lang, 429)
    cohort = Cohort.objects.filter(application_token=token).first()
    if cohort is None:
        return _public(request, "applications_notice.html", {"kind": "invalid"}, lang, 404)
    if not cohorts.is_taking_applications(cohort):
        return _public(request, "applications_notice.html", {"kind": "closed", "cohort": cohort}, lang, 410)
    with translation.override(lang):
        form = ApplicationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if not form.is_bot():  # a bot sees the same thanks page, and nothing is saved
                applications.submit_application(cohort, form.cleaned_data, language=lang)
            thanks = reverse("collaborative:apply-thanks", args=[token])
            return redirect(thanks + "?" + urlencode({"lang": lang}))
    context = {"cohort": cohort, "form": form, "token": token}
    return _public(request, "applications_form.html", context, lang, 400 if form.errors else 200)


@login_not_required
@never_cache
def apply_thanks(request: HttpRequest, token: str) -> HttpResponse:
    lang = _language(request)
    cohort = Cohort.objects.filter(application_token=token).first()
    if cohort is None:
        return _public(request, "applications_notice.html", {"kind": "invalid"}, lang, 404)
    return _public(request, "applications_notice.html", {"kind": "thanks", "cohort": cohort}, lang)


def _managed_application(request: HttpRequest, public_id) -> Application:
    """Applications are for the cohort's managers only; others learn nothing (404)."""
    application = get_object_or_404(Application.objects.select_related("cohort"), public_id=public_id)
    if not application.cohort.can_manage(request.user):
        raise Http404
    return application


def application_list(request: HttpRequest, public_id) -> HttpResponse:
    cohort = get_visible_or_404(Cohort, request.user, public_id=public_id)
    if not cohort.can_manage(request.user):
        raise PermissionDenied("collaborative.manage")
    rows = cohort.applications.select_related("team", "lead_organization").order_by(
        "status", "-score", "-submitted_at"
    )
    status = request.GET.get("status", "")
    if status in ApplicationStatus.values:
        rows = rows.filter(status=status)
    context = {
        "cohort": cohort,
        "applications": rows,
        "status": status,
        "statuses": ApplicationStatus.choices,
    }
    return render(request, "collaborative/applications_list.html", context)


def _accept_form(application: Application, data=None) -> AcceptForm:
    """The accept form with the registry's matches for the lead and each partner name (two queries a
    name, so built once per request)."""
    names = [application.lead_organization_name, *application.partner_names]
    matches = {name: applications.registry_matches(name) for name in names}
    return AcceptForm(data, application=application, matches=matches)


def _detail(request, application: Application, review_form=None, accept_form=None, status: int = 200):
    context = {
        "application": application,
        "cohort": application.cohort,
        "review_form": review_form or ReviewForm(instance=application),
        "accept_form": accept_form or _accept_form(application),
        "is_open": application.status == ApplicationStatus.SUBMITTED,
    }
    return render(request, "collaborative/applications_detail.html", context, status=status)


def application_detail(request: HttpRequest, public_id) -> HttpResponse:
    application = _managed_application(request, public_id)
    if request.method != "POST":
        return _detail(request, application)
    form = ReviewForm(request.POST, instance=Application.objects.get(pk=application.pk))
    if form.is_valid():
        applications.review_application(application, form.cleaned_data, by=request.user)
        messages.success(request, _("The review is saved."))
        return redirect(application)
    return _detail(request, application, review_form=form, status=400)


@require_POST
def application_accept(request: HttpRequest, public_id) -> HttpResponse:
    application = _managed_application(request, public_id)
    form = _accept_form(application, request.POST)
    if form.is_valid():
        try:
            team = applications.accept_application(
                application,
                lead=form.cleaned_data["lead"],
                partners=form.cleaned_data["partners"],
                by=request.user,
            )
        except applications.ApplicationDecided:
            messages.error(request, _("This application was already decided; nothing was changed."))
            return redirect(application)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Accepted: the team %(name)s is created and the contact notified.") % {"name": team.name},
            )
            return redirect(team)
    return _detail(request, application, accept_form=form, status=400)


@require_POST
def application_decline(request: HttpRequest, public_id) -> HttpResponse:
    application = _managed_application(request, public_id)
    try:
        applications.decline_application(application, by=request.user)
    except applications.ApplicationDecided:
        messages.error(request, _("This application was already decided; nothing was changed."))
    else:
        messages.success(request, _("Declined: the contact is notified."))
    return redirect(application)
