"""Running the partner survey: the survey and its roster, private links, invitations and reminders,
response rates, and the results. Each write is one transaction with one audit event.

Only a link's SHA-256 is stored, so a link can be shown or sent only when it is issued. Sending an
invitation, a reminder or re-issuing a link therefore issues a fresh token; the earlier link stops
working, while the answers saved so far stay with the respondent and are found by the new link.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import select_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from healthywork.core import audit, tabular
from healthywork.network import analysis
from healthywork.network.models import PartnerRating, PartnerSurvey, Respondent, SurveyStatus
from healthywork.network.respond import CONTRIBUTIONS, OUTCOMES, SUCCESS_SCALE
from healthywork.partners.models import Affiliation, Organization

LINK_DAYS = 90  # how long a link lives when the survey has no closing time
REMINDER_INTERVAL_DAYS = 3


class SurveyError(ValueError):
    """A survey action that cannot be done now; the message says why, for a person."""


def contact_for(organization: Organization) -> tuple[str, str, str]:
    """(name, email, language) of a current contact of the organization who may be contacted, to
    prefill the roster; empty when the registry knows none."""
    affiliation = (
        Affiliation.objects.filter(
            organization=organization, end_date__isnull=True, person__may_be_contacted=True
        )
        .exclude(person__email="")
        .select_related("person")
        .order_by("person__name")
        .first()
    )
    if affiliation is None:
        return "", "", "en"
    person = affiliation.person
    return person.name, person.email, person.preferred_language or "en"


def _expiry(survey: PartnerSurvey):
    return survey.closes_at or timezone.now() + timedelta(days=LINK_DAYS)


def _add_respondents(survey: PartnerSurvey, organizations: list[Organization]) -> list[Respondent]:
    added = []
    for organization in organizations:
        name, email, language = contact_for(organization)
        respondent = Respondent(
            survey=survey, organization=organization, contact_name=name, email=email, language=language
        )
        respondent.issue_token()  # a placeholder secret nobody is given; invitations issue the real one
        respondent.save()
        added.append(respondent)
    return added


@transaction.atomic
def create_survey(data: dict[str, Any], roster: list[Organization], *, by: Any) -> PartnerSurvey:
    """A draft survey of a wave with its roster (contacts prefilled from the registry)."""
    survey = PartnerSurvey.objects.create(
        wave=data["wave"],
        title=data["title"],
        introduction=data.get("introduction", ""),
        closes_at=data.get("closes_at"),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _add_respondents(survey, roster)
    audit.record(by, "create", survey, {"roster": [None, sorted(org.name for org in roster)]})
    return survey


def removable(survey: PartnerSurvey, organizations: list[Organization]) -> list[Respondent]:
    """Roster entries that may not be removed because they have started answering."""
    return list(
        survey.respondents.filter(organization__in=organizations)
        .filter(Q(started_at__isnull=False) | Q(submitted_at__isnull=False))
        .select_related("organization")
    )


@transaction.atomic
def update_survey(survey: PartnerSurvey, data: dict[str, Any], roster: list[Organization], *, by: Any):
    """Change the survey and its roster; an organization that has started answering stays."""
    before = audit.snapshot(survey)
    old_roster = set(survey.respondents.values_list("organization_id", flat=True))
    new_ids = {organization.pk for organization in roster}
    leaving = [organization for organization in Organization.objects.filter(pk__in=old_roster - new_ids)]
    started = removable(survey, leaving)
    if started:
        raise SurveyError(
            _("%(name)s has started answering and cannot be removed from the roster.")
            % {"name": started[0].organization.name}
        )
    for name in ("wave", "title", "introduction", "closes_at"):
        setattr(survey, name, data.get(name, getattr(survey, name)))
    survey.save()
    survey.respondents.filter(organization__in=leaving).delete()
    _add_respondents(survey, [organization for organization in roster if organization.pk not in old_roster])
    # Links already issued follow the new closing time (or the default lifetime when it is cleared).
    survey.respondents.exclude(expires_at=None).update(expires_at=_expiry(survey))
    changes = audit.diff(before, audit.snapshot(survey))
    added = sorted(organization.name for organization in roster if organization.pk not in old_roster)
    if added or leaving:
        changes["roster"] = [sorted(org.name for org in leaving), added]
    audit.record(by, "change", survey, changes)
    return survey


@transaction.atomic
def update_contacts(survey: PartnerSurvey, rows: list[tuple[Respondent, dict[str, Any]]], *, by: Any) -> int:
    """Contact name, email and language of roster entries; returns how many changed."""
    changed = 0
    stored = survey.respondents.in_bulk([respondent.pk for respondent, _data in rows])
    for respondent, data in rows:
        original = stored[respondent.pk]  # a bound form has already copied its data onto the instance
        fields = [
            name for name in ("contact_name", "email", "language") if getattr(original, name) != data[name]
        ]
        for name in fields:
            setattr(original, name, data[name])
        if fields:
            original.save(update_fields=fields)
            changed += 1
    audit.record(by, "change", survey, {"contacts": [None, changed]}, note="roster contacts")
    return changed


@transaction.atomic
def set_status(survey: PartnerSurvey, status: str, *, by: Any) -> PartnerSurvey:
    """Open or close the survey. Closing stops every link at once (nothing more is saved)."""
    if survey.status == status:
        return survey
    before = survey.status
    survey.status = status
    survey.save(update_fields=["status", "updated_at"])
    audit.record(by, "change", survey, {"status": [before, status]})
    return survey


def link_for(token: str, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("network:respond", args=[token])


def _issue(respondent: Respondent) -> str:
    token = respondent.issue_token()
    respondent.expires_at = _expiry(respondent.survey)
    return token


def render_email(kind: str, respondent: Respondent, link: str) -> tuple[str, str]:
    """(subject, body) of an invitation or reminder, in the respondent's language. The template's
    first line is the subject."""
    language = respondent.language if respondent.language in dict(settings.LANGUAGES) else "en"
    with translation.override(language):
        template = select_template([f"network/email/{kind}_{language}.txt", f"network/email/{kind}_en.txt"])
        context = {"respondent": respondent, "survey": respondent.survey, "link": link}
        text = template.render(context).strip()
    subject, _newline, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n"


def _email(kind: str, respondent: Respondent, link: str) -> None:
    subject, body = render_email(kind, respondent, link)
    recipient = respondent.email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient]))


@dataclass
class IssuedLink:
    respondent: Respondent
    link: str
    is_emailed: bool


def _require_open(survey: PartnerSurvey) -> None:
    if not survey.is_accepting:
        raise SurveyError(_("Open the survey first (and check its closing time): links work only then."))


@transaction.atomic
def send_invitations(survey: PartnerSurvey, *, by: Any, base_url: str) -> list[IssuedLink]:
    """Issue a link to every roster entry not invited yet and email it to those with an address.
    The links are returned to be shown once to the administrator (only hashes are kept)."""
    _require_open(survey)
    issued = []
    now = timezone.now()
    for respondent in survey.respondents.filter(invited_at=None, submitted_at=None).select_related(
        "organization", "survey"
    ):
        link = link_for(_issue(respondent), base_url)
        respondent.invited_at = now
        respondent.save(update_fields=["token_hash", "expires_at", "invited_at"])
        if respondent.email:
            _email("invitation", respondent, link)
        issued.append(IssuedLink(respondent, link, bool(respondent.email)))
    audit.record(by, "change", survey, {"invited": [None, len(issued)]}, note="invitations sent")
    return issued


def due_reminders(survey: PartnerSurvey, *, interval_days: int = REMINDER_INTERVAL_DAYS) -> list[Respondent]:
    """Invited roster entries with an email that have not submitted and were last contacted
    (invited or reminded) at least `interval_days` ago."""
    cutoff = timezone.now() - timedelta(days=interval_days)
    candidates = (
        survey.respondents.filter(submitted_at=None, invited_at__isnull=False)
        .exclude(email="")
        .filter(Q(reminded_at__lte=cutoff) | Q(reminded_at=None, invited_at__lte=cutoff))
    )
    return list(candidates.select_related("organization", "survey"))


@transaction.atomic
def send_reminders(
    survey: PartnerSurvey, *, by: Any, base_url: str, interval_days: int = REMINDER_INTERVAL_DAYS
) -> list[Respondent]:
    """Email a reminder (with a fresh link that resumes the saved answers) to each due respondent."""
    _require_open(survey)
    reminded = due_reminders(survey, interval_days=interval_days)
    now = timezone.now()
    for respondent in reminded:
        link = link_for(_issue(respondent), base_url)
        respondent.reminded_at = now
        respondent.reminders_sent += 1
        respondent.save(update_fields=["token_hash", "expires_at", "reminded_at", "reminders_sent"])
        _email("reminder", respondent, link)
    audit.record(by, "change", survey, {"reminded": [None, len(reminded)]}, note="reminders sent")
    return reminded


@transaction.atomic
def reissue_link(respondent: Respondent, *, by: Any, base_url: str) -> IssuedLink:
    """A new link for one roster entry (the old one stops working), emailed when there is an
    address and returned to be shown once."""
    survey = respondent.survey
    _require_open(survey)
    if respondent.is_submitted:
        raise SurveyError(_("%(name)s has already submitted.") % {"name": respondent.organization.name})
    link = link_for(_issue(respondent), base_url)
    respondent.invited_at = respondent.invited_at or timezone.now()
    respondent.save(update_fields=["token_hash", "expires_at", "invited_at"])
    if respondent.email:
        _email("invitation", respondent, link)
    audit.record(by, "change", survey, note=f"link re-issued for {respondent.organization.name}"[:300])
    return IssuedLink(respondent, link, bool(respondent.email))


# --- Response rates and results -------------------------------------------------------------


@dataclass
class RosterRow:
    respondent: Respondent
    status: str  # not_invited, invited, started, submitted
    status_label: str
    percent: int  # of the questionnaire answered


def roster_status(survey: PartnerSurvey) -> list[RosterRow]:
    respondents = list(
        survey.respondents.select_related("organization", "organization__sector").annotate(
            answered=Count("ratings")
        )
    )
    steps = len(respondents)  # the other members plus the page about one's own organization
    labels = {
        "not_invited": _("Not invited"),
        "invited": _("Invited"),
        "started": _("Started"),
        "submitted": _("Submitted"),
    }
    rows = []
    for respondent in respondents:
        done = respondent.answered + (1 if respondent.success is not None else 0)
        percent = round(100 * done / steps) if steps else 0
        if respondent.submitted_at:
            status = "submitted"
        elif respondent.started_at:
            status = "started"
        elif respondent.invited_at:
            status = "invited"
        else:
            status = "not_invited"
        rows.append(RosterRow(respondent, status, labels[status], min(percent, 100)))
    return rows


def response_rate(rows: list[RosterRow]) -> dict[str, Any]:
    total = len(rows)
    counts = Counter(row.status for row in rows)
    return {
        "roster": total,
        "counts": counts,
        "submitted": counts["submitted"],
        "rate": round(100 * counts["submitted"] / total) if total else 0,
        "completion": round(sum(row.percent for row in rows) / total) if total else 0,
    }


def _labelled_counts(choices, answers: list[list[str]]) -> list[tuple[str, int]]:
    counts = Counter(value for values in answers for value in values)
    return [(label, counts[value]) for value, label in choices]


def survey_results(survey: PartnerSurvey) -> dict[str, Any]:
    """Aggregates of the submitted answers: counts of contributions and outcomes, the success
    distribution, and per partner how many rated it and its trust and value (PARTNER-style,
    `network.analysis.trust_value`)."""
    submitted = list(survey.respondents.filter(submitted_at__isnull=False))
    success = Counter(respondent.success for respondent in submitted if respondent.success)
    rated = [respondent.success for respondent in submitted if respondent.success]
    ratings = list(
        PartnerRating.objects.filter(respondent__in=submitted).values(
            "respondent__organization_id",
            "partner_id",
            "interacts",
            "level",
            *PartnerRating.TRUST_FIELDS,
            *PartnerRating.VALUE_FIELDS,
        )
    )
    for rating in ratings:
        rating["respondent"] = rating["respondent__organization_id"]
        rating["partner"] = rating["partner_id"]
    scores = analysis.trust_value([rating for rating in ratings if rating["interacts"]])
    partners = []
    for respondent in survey.respondents.select_related("organization", "organization__sector"):
        about = [rating for rating in ratings if rating["partner"] == respondent.organization_id]
        levels = [rating["level"] for rating in about if rating["interacts"] and rating["level"] is not None]
        trust = scores["trust"]["per_organization"].get(respondent.organization_id)
        value = scores["value"]["per_organization"].get(respondent.organization_id)
        partners.append(
            {
                "organization": respondent.organization,
                "answered": len(about),
                "raters": sum(1 for rating in about if rating["interacts"]),
                "mean_level": sum(levels) / len(levels) if levels else None,
                "trust": trust["score"] if trust else None,
                "value": value["score"] if value else None,
            }
        )
    return {
        "respondents": len(submitted),
        "roster": survey.respondents.count(),
        "contributions": _labelled_counts(CONTRIBUTIONS, [r.contributions for r in submitted]),
        "outcomes": _labelled_counts(OUTCOMES, [r.outcomes for r in submitted]),
        "success": [(value, label, success[value]) for value, label in SUCCESS_SCALE],
        "success_mean": sum(rated) / len(rated) if rated else None,
        "trust": scores["trust"]["network"],
        "value": scores["value"]["network"],
        "partners": partners,
    }


EXPORT_HEADERS = [
    "survey",
    "respondent",
    "respondent_sector",
    "submitted_at",
    "contributions",
    "outcomes",
    "success",
    "comments",
    "partner",
    "partner_sector",
    "interacts",
    "frequency",
    "level",
    "kinds",
    *PartnerRating.TRUST_FIELDS,
    *PartnerRating.VALUE_FIELDS,
]


def export_answers(survey: PartnerSurvey, fmt: str) -> tuple[bytes, str]:
    """Every individual answer, one row per respondent and partner (a respondent without partner
    answers has one row with the partner columns empty), with organization names: research data
    for administrators."""
    rows = []
    respondents = survey.respondents.select_related("organization__sector").prefetch_related(
        "ratings__partner__sector"
    )
    for respondent in respondents:
        own = [
            survey.title,
            respondent.organization.name,
            respondent.organization.sector.name,
            respondent.submitted_at.isoformat() if respondent.submitted_at else "",
            "; ".join(respondent.contributions),
            "; ".join(respondent.outcomes),
            respondent.success,
            respondent.comments,
        ]
        ratings = list(respondent.ratings.all())
        if not ratings:
            rows.append(own + [""] * (len(EXPORT_HEADERS) - len(own)))
        for rating in ratings:
            rows.append(
                own
                + [
                    rating.partner.name,
                    rating.partner.sector.name,
                    "yes" if rating.interacts else "no",
                    rating.frequency,
                    rating.level,
                    "; ".join(rating.kinds),
                    *[
                        getattr(rating, name)
                        for name in PartnerRating.TRUST_FIELDS + PartnerRating.VALUE_FIELDS
                    ],
                ]
            )
    return tabular.export_bytes(fmt, EXPORT_HEADERS, rows)


def active_surveys() -> list[PartnerSurvey]:
    """Open surveys whose closing time has not passed (for the reminders command)."""
    now = timezone.now()
    return list(
        PartnerSurvey.objects.filter(status=SurveyStatus.OPEN).filter(
            Q(closes_at=None) | Q(closes_at__gt=now)
        )
    )
