"""Answering, with no account: the anonymous public link, the personal invitation link, and the
resume link of a saved response.

These pages are never cached, are rate-limited by a keyed hash of the address that expires
(core.ratelimit), keep no session: the language travels in the URL or the form, and a saved
response is found again only through its resume token. Anonymous answers store no address and no
identity; a matching code, when asked, is stored as respondent_key "code:<CODE>"."""

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache

from healthywork.core import ratelimit
from healthywork.evaluation import answering, forms_respond
from healthywork.evaluation.models import Administration, Invitation, Response, ResponseStatus

RATE_LIMITS = {"view": (600, 600), "submit": (200, 3600)}  # per address; a class may share one


def over_limit(request: HttpRequest, kind: str) -> bool:
    limit, window = RATE_LIMITS[kind]
    return ratelimit.over_limit(request, f"evaluation:respond:{kind}", limit, window)


def languages_of(administration: Administration) -> list[tuple[str, str]]:
    offered = (administration.languages or "en").split()
    return [(code, name) for code, name in settings.LANGUAGES if code in offered] or [settings.LANGUAGES[0]]


def pick_language(request: HttpRequest, administration: Administration, default: str = "") -> str:
    codes = [code for code, _name in languages_of(administration)]
    asked = request.POST.get("lang") or request.GET.get("lang") or default
    if asked in codes:
        return asked
    current = (translation.get_language() or "en").split("-")[0]
    return current if current in codes else codes[0]


def notice(request: HttpRequest, kind: str, lang: str, status: int, **context) -> HttpResponse:
    with translation.override(lang):
        return render(
            request,
            "evaluation/respond_notice.html",
            {"kind": kind, "lang": lang, "languages": [], **context},
            status=status,
        )


def _closed(request: HttpRequest, administration: Administration, lang: str) -> HttpResponse:
    with translation.override(lang):
        message = answering.AdministrationClosed(administration).message
    return notice(request, "closed", lang, 410, administration=administration, message=message)


def _form(
    request: HttpRequest,
    administration: Administration,
    lang: str,
    *,
    data: dict,
    errors: dict | None = None,
    match_code: str | None = None,
    match_error: str = "",
    resume_url: str = "",
    anonymous: bool = True,
    status: int = 200,
) -> HttpResponse:
    with translation.override(lang):
        sheet = forms_respond.build_sheet(administration.instrument, lang, data, errors)
        context = {
            "administration": administration,
            "title": administration.instrument.localized_title(lang),
            "introduction": administration.localized_introduction(lang),
            "sheet": sheet,
            "lang": lang,
            "languages": languages_of(administration),
            "submission_key": uuid.uuid4().hex,
            "ask_match_code": match_code is not None,
            "match_code": match_code or "",
            "match_error": match_error,
            "resume_url": resume_url,
            "has_errors": bool(errors) or bool(match_error),
            "anonymous": anonymous,
        }
        return render(request, "evaluation/respond_form.html", context, status=status)


def _answer(
    request: HttpRequest,
    administration: Administration,
    lang: str,
    *,
    response: Response | None = None,
    invitation: Invitation | None = None,
) -> HttpResponse:
    """The shared GET and POST of every answering page."""
    anonymous = invitation is None and (response is None or response.invitation_id is None)
    asks_code = anonymous and administration.ask_match_code
    saved_code = ""
    if response is not None and response.respondent_key.startswith("code:"):
        saved_code = response.respondent_key[5:]
    if request.method != "POST":
        data = forms_respond.data_from_response(response) if response is not None else {}
        resume_url = ""
        if response is not None and request.GET.get("saved") and anonymous:
            resume_url = request.build_absolute_uri(
                reverse("evaluation:respond-resume", args=[response.resume_token])
            )
        return _form(
            request,
            administration,
            lang,
            data=data,
            match_code=saved_code if asks_code else None,
            resume_url=resume_url,
            anonymous=anonymous,
        )
    if over_limit(request, "submit"):
        return notice(request, "limited", lang, 429)
    submit = request.POST.get("action") != "save"
    data = forms_respond.data_from_post(administration.instrument, request.POST)
    with translation.override(lang):
        values, errors = answering.validate_answers(administration.instrument, data, lang, partial=not submit)
        code, code_error = ("", "")
        if asks_code:
            code, code_error = forms_respond.clean_match_code(
                request.POST.get("match_code", ""), required=submit
            )
    if errors or code_error:
        return _form(
            request,
            administration,
            lang,
            data=data,
            errors=errors,
            match_code=request.POST.get("match_code", "") if asks_code else None,
            match_error=code_error,
            anonymous=anonymous,
            status=400,
        )
    key = (request.POST.get("submission_key") or "").strip()[:64] or None
    try:
        saved = answering.save_response(
            administration,
            values,
            response=response,
            submit=submit,
            submission_key=key if submit else None,
            invitation=invitation,
            respondent_key=f"code:{code}" if code else "",
            language=lang,
        )
    except answering.AdministrationClosed:
        return _closed(request, administration, lang)
    except answering.AlreadyAnswered:
        return notice(request, "already", lang, 409, administration=administration)
    if not submit:
        if invitation is not None:
            url = reverse("evaluation:respond-personal", args=[invitation.token])
        else:
            url = reverse("evaluation:respond-resume", args=[saved.resume_token])
        return notice(
            request,
            "saved",
            lang,
            200,
            administration=administration,
            resume_url=request.build_absolute_uri(url + f"?lang={lang}"),
        )
    kind = "duplicate" if saved.was_duplicate else "thanks"
    return notice(request, kind, lang, 200, administration=administration)


def _administration_gate(
    request: HttpRequest, administration: Administration, lang: str
) -> HttpResponse | None:
    if not administration.is_open():
        if administration.opens_at > timezone.now():
            return notice(request, "not_yet", lang, 404, administration=administration)
        return _closed(request, administration, lang)
    return None


@login_not_required
@never_cache
def respond_public(request: HttpRequest, token: str) -> HttpResponse:
    lang = pick_language_default(request)
    if over_limit(request, "view"):
        return notice(request, "limited", lang, 429)
    administration = (
        Administration.objects.select_related("instrument")
        .filter(public_token=token, public_link_open=True)
        .first()
    )
    if administration is None:
        return notice(request, "invalid", lang, 404)
    lang = pick_language(request, administration)
    return _administration_gate(request, administration, lang) or _answer(request, administration, lang)


@login_not_required
@never_cache
def respond_personal(request: HttpRequest, token: str) -> HttpResponse:
    lang = pick_language_default(request)
    if over_limit(request, "view"):
        return notice(request, "limited", lang, 429)
    invitation = Invitation.objects.select_related("administration__instrument").filter(token=token).first()
    if invitation is None:
        return notice(request, "invalid", lang, 404)
    administration = invitation.administration
    lang = pick_language(request, administration, default=invitation.language)
    response = Response.objects.filter(invitation=invitation).first()
    if response is not None and response.status == ResponseStatus.COMPLETE:
        return notice(request, "already", lang, 200, administration=administration)
    gate = _administration_gate(request, administration, lang)
    return gate or _answer(request, administration, lang, response=response, invitation=invitation)


@login_not_required
@never_cache
def respond_resume(request: HttpRequest, token: str) -> HttpResponse:
    lang = pick_language_default(request)
    if over_limit(request, "view"):
        return notice(request, "limited", lang, 429)
    response = (
        Response.objects.select_related("administration__instrument", "invitation")
        .filter(resume_token=token)
        .first()
    )
    if response is None:
        return notice(request, "invalid", lang, 404)
    administration = response.administration
    lang = pick_language(request, administration, default=response.language)
    if response.status == ResponseStatus.COMPLETE:
        return notice(request, "already", lang, 200, administration=administration)
    gate = _administration_gate(request, administration, lang)
    return gate or _answer(request, administration, lang, response=response, invitation=response.invitation)


def pick_language_default(request: HttpRequest) -> str:
    codes = dict(settings.LANGUAGES)
    asked = request.POST.get("lang") or request.GET.get("lang") or ""
    return asked if asked in codes else "en"
