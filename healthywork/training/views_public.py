"""Public pages (no login): the catalog, a training's page with the registration form, the
registrant's page (by the token in their e-mail) with the cancellation, the calendar feed and
per-training .ics. POSTs are rate-limited per client address, kept only as an expiring keyed
hash; no IP address is stored."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from healthywork.core import icalendar, ratelimit
from healthywork.core.pagination import paginate
from healthywork.training import calendar, registrations, trainings
from healthywork.training.forms_public import PublicRegistrationForm
from healthywork.training.models import Modality, Registration, RegistrationStatus, Training
from healthywork.training.views_trainings import base_url, file_response

# POSTs per window (seconds), per address (people of one workplace may share one)
RATE_LIMITS = {"register": (30, 3600), "cancel": (30, 3600)}


def _over_limit(request: HttpRequest, kind: str) -> bool:
    limit, window = RATE_LIMITS[kind]
    return ratelimit.over_limit(request, f"training:{kind}", limit, window)


def _language(request: HttpRequest) -> str:
    codes = dict(settings.LANGUAGES)
    asked = request.GET.get("lang") or request.POST.get("lang") or ""
    if asked in codes:
        return asked
    current = (translation.get_language() or "en").split("-")[0]
    return current if current in codes else "en"


def _public(request, template: str, context: dict, lang: str, status: int = 200) -> HttpResponse:
    with translation.override(lang):
        context = {"lang": lang, "languages": settings.LANGUAGES, **context}
        return render(request, f"training/{template}", context, status=status)


@login_not_required
def public_list(request: HttpRequest) -> HttpResponse:
    lang = _language(request)
    published = trainings.public_trainings()
    filters = {name: request.GET.get(name, "") for name in ("q", "series", "modality", "language", "when")}
    listed = trainings.filter_trainings(published, filters)
    context = {
        "page": paginate(request, listed),
        "filters": filters,
        "series_names": trainings.series_names(published),
        "modalities": Modality.choices,
        "training_languages": Training._meta.get_field("language").choices,
    }
    return _public(request, "public_list.html", context, lang)


@login_not_required
@never_cache
def public_detail(request: HttpRequest, slug: str) -> HttpResponse:
    lang = _language(request)
    training = get_object_or_404(trainings.public_trainings(), slug=slug)
    closed = registrations.closed_reason(training)
    with translation.override(lang):
        form = PublicRegistrationForm(request.POST or None, language=lang)
        if request.method == "POST":
            if _over_limit(request, "register"):
                context = {"training": training, "kind": "limited"}
                return _public(request, "public_notice.html", context, lang, 429)
            if not closed and form.is_valid():
                if form.is_bot():
                    return _public(
                        request, "public_notice.html", {"training": training, "kind": "thanks"}, lang
                    )
                try:
                    registration = registrations.register(
                        training, form.cleaned_data, base_url=base_url(request)
                    )
                except registrations.RegistrationRefused as refused:
                    form.add_error(None, refused.message)
                    if refused.kind == "closed":
                        closed = refused.message
                else:
                    page = reverse("training:registration", args=[registration.cancel_token])
                    return redirect(page + "?" + urlencode({"lang": lang, "new": "1"}))
    context = {
        "training": training,
        "form": form,
        "closed": closed,
        "when": calendar.when_text(training),
        "counts": registrations.counts(training),
        "materials": training.materials.filter(is_public=True),
    }
    return _public(request, "public_detail.html", context, lang, 400 if form.errors else 200)


def _registration(token: str) -> Registration:
    return get_object_or_404(Registration.objects.select_related("training"), cancel_token=token)


@login_not_required
@never_cache
def registration_page(request: HttpRequest, token: str) -> HttpResponse:
    """The registrant's own page: status (with the waitlist position), the online link and the
    registrants' materials when registered, the .ics, and the way to cancel."""
    registration = _registration(token)
    lang = request.GET.get("lang") or registrations.language_of(registration)
    lang = lang if lang in dict(settings.LANGUAGES) else "en"
    training = registration.training
    is_registered = registration.status == RegistrationStatus.REGISTERED
    context = {
        "registration": registration,
        "training": training,
        "is_new": request.GET.get("new") == "1",
        "is_registered": is_registered,
        "position": registrations.waitlist_position(registration),
        "when": calendar.when_text(training),
        "materials": training.materials.all() if is_registered else training.materials.filter(is_public=True),
    }
    return _public(request, "public_registration.html", context, lang)


@login_not_required
@never_cache
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a confirmation page (a link opened by a mail scanner cancels nothing); POST: cancel."""
    registration = _registration(token)
    lang = _language(request) if (request.GET.get("lang") or request.POST.get("lang")) else None
    lang = lang or registrations.language_of(registration)
    context = {"registration": registration, "training": registration.training}
    if request.method == "POST":
        if _over_limit(request, "cancel"):
            return _public(request, "public_notice.html", {**context, "kind": "limited"}, lang, 429)
        registrations.cancel(registration, base_url=base_url(request))
        with translation.override(lang):
            messages.success(request, _("Your registration is cancelled. Thank you for letting us know."))
        return redirect(reverse("training:registration", args=[token]) + "?" + urlencode({"lang": lang}))
    return _public(request, "public_cancel.html", context, lang)


@login_not_required
def registration_material(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    registration = _registration(token)
    material = get_object_or_404(registration.training.materials, pk=pk)
    if not material.is_public and registration.status != RegistrationStatus.REGISTERED:
        raise Http404
    return file_response(material)


@login_not_required
def public_material(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    training = get_object_or_404(trainings.public_trainings(), slug=slug)
    return file_response(get_object_or_404(training.materials, pk=pk, is_public=True))


@login_not_required
def public_ics(request: HttpRequest, slug: str) -> HttpResponse:
    training = get_object_or_404(trainings.public_trainings(), slug=slug)
    response = HttpResponse(
        calendar.training_ics(training, base_url(request)), content_type=icalendar.CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{training.slug}.ics"'
    return response


@login_not_required
def registration_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The registrant's copy, with the online link (registered people only)."""
    registration = _registration(token)
    if registration.status != RegistrationStatus.REGISTERED:
        raise Http404
    training = registration.training
    content = calendar.training_ics(training, base_url(request), for_registrant=True)
    response = HttpResponse(content, content_type=icalendar.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{training.slug}.ics"'
    return response


@login_not_required
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """Published trainings for calendar subscription (served inline, as feeds are)."""
    content = calendar.trainings_ics(calendar.feed_trainings(), base_url(request))
    return HttpResponse(content, content_type=icalendar.CONTENT_TYPE)
