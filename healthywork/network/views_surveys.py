"""Administration of the partner survey (administrators: ability "network.manage").

Lists and the create page answer 403 to other roles; a survey itself is loaded through
`PartnerSurvey.objects.visible_to`, so to anyone else it does not exist (404).
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from healthywork.core.permissions import ability_required, get_visible_or_404
from healthywork.network import surveys
from healthywork.network.forms_surveys import SurveyForm, contact_formset
from healthywork.network.models import PartnerSurvey, SurveyStatus

EXPORT_FORMATS = ("csv", "xlsx")


def _links_key(survey: PartnerSurvey) -> str:
    return f"network-survey-links-{survey.public_id}"


def _show_once(request: HttpRequest, survey: PartnerSurvey, issued: list[surveys.IssuedLink]) -> None:
    """Keep the new links in the session until the next view of the detail page, which pops them."""
    rows = [[item.respondent.organization.name, item.link, item.is_emailed] for item in issued]
    request.session[_links_key(survey)] = rows


@ability_required("network.manage")
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys_qs = (
        PartnerSurvey.objects.visible_to(request.user)
        .select_related("wave")
        .annotate(
            roster_size=Count("respondents"),
            submitted=Count("respondents", filter=Q(respondents__submitted_at__isnull=False)),
        )
    )
    return render(request, "network/surveys_list.html", {"surveys": surveys_qs})


@ability_required("network.manage")
def survey_create(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None, user=request.user, initial={"wave": request.GET.get("wave")})
    if request.method == "POST" and form.is_valid():
        survey = surveys.create_survey(form.cleaned_data, form.cleaned_data["organizations"], by=request.user)
        messages.success(request, _("The survey is created as a draft. Check the contacts, then open it."))
        return redirect(survey)
    return render(request, "network/surveys_form.html", {"form": form}, status=400 if form.errors else 200)


def survey_edit(request: HttpRequest, public_id) -> HttpResponse:
    survey = get_visible_or_404(PartnerSurvey, request.user, public_id=public_id)
    form = SurveyForm(request.POST or None, instance=survey, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.update_survey(
                survey, form.cleaned_data, form.cleaned_data["organizations"], by=request.user
            )
        except surveys.SurveyError as error:
            form.add_error("roster", str(error))
        else:
            messages.success(request, _("The survey is saved."))
            return redirect(survey)
    context = {"form": form, "survey": survey}
    return render(request, "network/surveys_form.html", context, status=400 if form.errors else 200)


def _detail(request: HttpRequest, survey: PartnerSurvey, formset=None, status: int = 200) -> HttpResponse:
    rows = surveys.roster_status(survey)
    formset = formset or contact_formset(survey)
    forms_by_pk = {form.instance.pk: form for form in formset.forms}
    context = {
        "survey": survey,
        "rows": [(row, forms_by_pk.get(row.respondent.pk)) for row in rows],
        "rate": surveys.response_rate(rows),
        "formset": formset,
        "links": request.session.pop(_links_key(survey), None),
        "due": len(surveys.due_reminders(survey)),
        "interval": surveys.REMINDER_INTERVAL_DAYS,
    }
    return render(request, "network/surveys_detail.html", context, status=status)


def survey_detail(request: HttpRequest, public_id) -> HttpResponse:
    survey = get_visible_or_404(PartnerSurvey, request.user, public_id=public_id)
    return _detail(request, survey)


@require_POST
def survey_contacts(request: HttpRequest, public_id) -> HttpResponse:
    survey = get_visible_or_404(PartnerSurvey, request.user, public_id=public_id)
    formset = contact_formset(survey, request.POST)
    if not formset.is_valid():
        messages.error(request, _("Some contacts are not valid; nothing was saved. See the marked rows."))
        return _detail(request, survey, formset, status=400)
    rows = [(form.instance, form.cleaned_data) for form in formset.forms]
    changed = surveys.update_contacts(survey, rows, by=request.user)
    messages.success(request, _("%(count)s contacts saved.") % {"count": changed})
    return redirect(survey)


@require_POST
def survey_action(request: HttpRequest, public_id, action: str) -> HttpResponse:
    survey = get_visible_or_404(PartnerSurvey, request.user, public_id=public_id)
    base_url = request.build_absolute_uri("/")
    try:
        if action == "open":
            surveys.set_status(survey, SurveyStatus.OPEN, by=request.user)
            messages.success(request, _("The survey is open: links work until it closes."))
        elif action == "close":
            surveys.set_status(survey, SurveyStatus.CLOSED, by=request.user)
            messages.success(request, _("The survey is closed: links no longer take answers."))
        elif action == "invite":
            issued = surveys.send_invitations(survey, by=request.user, base_url=base_url)
            _show_once(request, survey, issued)
            emailed = sum(1 for item in issued if item.is_emailed)
            messages.success(
                request,
                _("%(count)s links issued, %(emailed)s sent by email.")
                % {"count": len(issued), "emailed": emailed},
            )
        elif action == "remind":
            reminded = surveys.send_reminders(survey, by=request.user, base_url=base_url)
            messages.success(request, _("%(count)s reminders sent.") % {"count": len(reminded)})
        else:
            raise Http404
    except surveys.SurveyError as error:
        messages.error(request, str(error))
    return redirect(survey)


@require_POST
def survey_reissue(request: HttpRequest, public_id, organization_id) -> HttpResponse:
    survey = get_visible_or_404(PartnerSurvey, request.user, public_id=public_id)
    respondent = get_object_or_404(survey.respondents, organization__public_id=organization_id)
    try:
        issued = surveys.reissue_link(respondent, by=request.user, base_url=request.build_absolute_uri("/"))
    except surveys.SurveyError as error:
        messages.error(request, str(error))
    else:
        _show_once(request, survey, [issued])
        messages.success(request, _("A new link is issued; the old one no longer works."))
    return redirect(survey)


def survey_results(request: HttpRequest, public_id) -> HttpResponse:
    survey = get_visible_or_404(PartnerSurvey, request.user, public_id=public_id)
    context = {"survey": survey, "results": surveys.survey_results(survey), "formats": EXPORT_FORMATS}
    return render(request, "network/surveys_results.html", context)


def survey_export(request: HttpRequest, public_id) -> HttpResponse:
    survey = get_visible_or_404(PartnerSurvey, request.user, public_id=public_id)
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    content, content_type = surveys.export_answers(survey, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="survey-answers-{survey.public_id}.{fmt}"'
    return response
