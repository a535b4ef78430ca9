"""The public answering pages of the partner survey (no account: the private link is the key).

One URL, `network:respond` with the link's token; `?step=about|1|2|…|review|saved` says which
page, and without it a returning respondent lands where they left off. `?lang=es` switches the
language; by default the respondent's own language is used.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache

from healthywork.core import ratelimit
from healthywork.network import respond as answers
from healthywork.network.forms_respond import AboutForm, RatingForm
from healthywork.network.models import PartnerRating, Respondent

RATE_LIMIT = 60  # requests per window, per link and per client address
RATE_WINDOW_SECONDS = 600


def _over_limit(request: HttpRequest, token: str) -> bool:
    """Per link and per client address (kept only as an expiring keyed hash, see core.ratelimit)."""
    return ratelimit.over_limit(request, "network:respond", RATE_LIMIT, RATE_WINDOW_SECONDS, token=token)


def _language(request: HttpRequest, respondent: Respondent | None) -> str:
    codes = dict(settings.LANGUAGES)
    asked = request.GET.get("lang") or request.POST.get("lang") or ""
    if asked in codes:
        return asked
    if respondent is not None and respondent.language in codes:
        return respondent.language
    return translation.get_language() if translation.get_language() in codes else "en"


def _page(request, template: str, context: dict, lang: str, status: int = 200) -> HttpResponse:
    with translation.override(lang):
        context = {"lang": lang, "languages": settings.LANGUAGES, **context}
        return render(request, f"network/{template}", context, status=status)


def _notice(request, kind: str, lang: str, status: int, respondent: Respondent | None = None):
    survey = respondent.survey if respondent is not None else None
    context = {"kind": kind, "respondent": respondent, "survey": survey}
    return _page(request, "respond_notice.html", context, lang, status)


def _step_url(token: str, step: str, lang: str) -> str:
    return reverse("network:respond", args=[token]) + "?" + urlencode({"step": step, "lang": lang})


@login_not_required
@never_cache
def respond(request: HttpRequest, token: str) -> HttpResponse:
    if _over_limit(request, token):
        return _notice(request, "limited", _language(request, None), 429)
    respondent = answers.find_respondent(token)
    lang = _language(request, respondent)
    if respondent is None:
        return _notice(request, "invalid", lang, 404)
    if respondent.is_submitted:
        return _notice(request, "done", lang, 409 if request.method == "POST" else 200, respondent)
    if not answers.is_accepting(respondent):
        return _notice(request, "closed", lang, 410, respondent)
    partners = answers.partners_of(respondent)
    step = request.GET.get("step") or answers.resume_step(respondent, partners)
    state = {"token": token, "respondent": respondent, "partners": partners, "lang": lang}
    try:
        if step == "about":
            return _about(request, state)
        if step == "review":
            return _review(request, state)
        if step == "saved":
            return _notice(request, "saved", lang, 200, respondent)
        if step.isdigit() and 1 <= int(step) <= answers.page_count(len(partners)):
            return _partner_page(request, state, int(step))
    except answers.SurveyClosed:
        return _notice(request, "closed", lang, 410, respondent)
    except answers.AlreadySubmitted:
        return _notice(request, "done", lang, 409, respondent)
    return redirect(_step_url(token, answers.resume_step(respondent, partners), lang))


def _neighbours(state: dict, step: str) -> tuple[str, str]:
    """The steps before and after `step`: about, 1 … pages, review."""
    order = ["about", *[str(page) for page in range(1, answers.page_count(len(state["partners"])) + 1)]]
    order.append("review")
    index = order.index(step)
    return order[max(index - 1, 0)], order[min(index + 1, len(order) - 1)]


def _after_save(request: HttpRequest, state: dict, step: str) -> HttpResponse:
    before, after = _neighbours(state, step)
    chosen = {"back": before, "later": "saved"}.get(request.POST.get("action", ""), after)
    return redirect(_step_url(state["token"], chosen, state["lang"]))


def _context(state: dict, step: str, **extra) -> dict:
    progress = answers.progress(state["respondent"], state["partners"])
    return {**state, "step": step, "progress": progress, "survey": state["respondent"].survey, **extra}


def _about(request: HttpRequest, state: dict) -> HttpResponse:
    respondent = state["respondent"]
    initial = {
        name: getattr(respondent, name) for name in ("contributions", "outcomes", "success", "comments")
    }
    form = AboutForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        answers.save_about(respondent, form.cleaned_data)
        return _after_save(request, state, "about")
    status = 400 if form.errors else 200
    return _page(request, "respond_about.html", _context(state, "about", form=form), state["lang"], status)


def _rating_initial(rating: PartnerRating | None, partner) -> dict:
    initial = {"partner": str(partner.public_id)}
    if rating is not None:
        initial["interacts"] = "yes" if rating.interacts else "no"
        for name in answers.RATING_FIELDS:
            initial[name] = getattr(rating, name)
    return initial


def _partner_page(request: HttpRequest, state: dict, page: int) -> HttpResponse:
    respondent = state["respondent"]
    on_page = answers.page_partners(state["partners"], page)
    roster = {str(partner.public_id): partner for partner in state["partners"]}
    saved = {rating.partner_id: rating for rating in respondent.ratings.filter(partner__in=on_page)}
    forms = [
        RatingForm(
            request.POST or None,
            prefix=f"p{index}",
            initial=_rating_initial(saved.get(partner.pk), partner),
            roster=roster,
            own=respondent.organization,
        )
        for index, partner in enumerate(on_page)
    ]
    if request.method == "POST" and all([form.is_valid() for form in forms]):
        answers.save_ratings(respondent, [form.cleaned_data for form in forms])
        return _after_save(request, state, str(page))
    status = 400 if any(form.errors for form in forms) else 200
    pairs = list(zip(on_page, forms, strict=True))
    context = _context(state, str(page), pairs=pairs, page=page)
    return _page(request, "respond_partners.html", context, state["lang"], status)


def _review(request: HttpRequest, state: dict) -> HttpResponse:
    respondent = state["respondent"]
    error = None
    if request.method == "POST" and request.POST.get("action") == "back":
        return _after_save(request, state, "review")
    if request.method == "POST":
        if respondent.success is None:
            error = "about"
        else:
            answers.submit(respondent)
            return redirect(_step_url(state["token"], "review", state["lang"]))
    answered = set(respondent.ratings.values_list("partner_id", flat=True))
    missing = [partner for partner in state["partners"] if partner.pk not in answered]
    context = _context(state, "review", missing=missing, error=error)
    return _page(request, "respond_review.html", context, state["lang"], 400 if error else 200)
