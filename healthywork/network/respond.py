"""Answering the partner survey through a private link (no account): finding the respondent by its
token, what may still be answered, saving each page in one transaction, and submitting once.

Decision: once submitted, answers are final (a thank-you page says so). A survey is a measurement
of one moment; letting answers change until the close would make the response-rate page and the
reminders lie about who is done.

Answers are linked to the respondent organization (this is a roster network survey), never to a
person's address or IP; the rate limiter in the views keys on a keyed hash of the IP that expires.
"""

from dataclasses import dataclass
from math import ceil

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from healthywork.core import audit
from healthywork.network.models import PartnerRating, Respondent, hash_token
from healthywork.partners.models import Organization

PARTNERS_PER_PAGE = 5
MAX_TOKEN_LENGTH = 200  # issued tokens are 43 characters; anything far longer is not ours

# PARTNER's organizational questions, in our own words.
CONTRIBUTIONS = [
    ("funding", _("Funding")),
    ("in_kind", _("In-kind resources (space, equipment, printing)")),
    ("paid_staff", _("Paid staff time")),
    ("volunteers", _("Volunteers")),
    ("data", _("Data and information")),
    ("health_expertise", _("Expertise in health")),
    ("labor_expertise", _("Expertise in labor and workers' rights")),
    ("community", _("Connections to communities and workers")),
    ("advocacy", _("Advocacy")),
    ("facilitation", _("Facilitation and leadership")),
    ("training", _("Training")),
]

OUTCOMES = [
    ("services", _("Better services for workers")),
    ("policy", _("A new or changed policy")),
    ("shared_resources", _("Shared resources")),
    ("health", _("Improved health outcomes")),
    ("awareness", _("Public awareness of working conditions")),
    ("funding", _("New funding")),
    ("relationships", _("Stronger relationships between organizations")),
]

SUCCESS_SCALE = [
    (1, pgettext_lazy("success", "1 — Not successful")),
    (2, pgettext_lazy("success", "2 — Somewhat unsuccessful")),
    (3, pgettext_lazy("success", "3 — Neither")),
    (4, pgettext_lazy("success", "4 — Somewhat successful")),
    (5, pgettext_lazy("success", "5 — Very successful")),
]

# Anchors of the trust and value items (PARTNER's four-point scale).
RATING_SCALE = [
    (1, _("1 — Not at all")),
    (2, _("2 — A small amount")),
    (3, _("3 — A fair amount")),
    (4, _("4 — A great deal")),
]

# Levels of Collaboration Scale (Frey et al., 2006): label and a short definition, in our words.
LEVEL_DEFINITIONS = [
    (0, _("No interaction"), _("We do not work with this organization at all.")),
    (1, _("Networking"), _("We know of each other and talk now and then; each decides alone.")),
    (2, _("Cooperation"), _("We share information and support each other's work; each decides alone.")),
    (3, _("Coordination"), _("We share information and resources, plan some things together.")),
    (4, _("Coalition"), _("We share ideas and resources and decide together, each with a vote.")),
    (5, _("Collaboration"), _("We work as one system, trust each other and decide by consensus.")),
]


class AlreadySubmitted(Exception):
    """The respondent has submitted already; nothing more is saved."""


class SurveyClosed(Exception):
    """The survey no longer takes answers (closed, past its closing time, or the link expired)."""


def find_respondent(token: str) -> Respondent | None:
    """The respondent whose link this is. Lookup is by the token's SHA-256 (a unique index), so
    the database never compares secrets and timing reveals nothing about valid tokens."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return (
        Respondent.objects.select_related("survey", "survey__wave", "organization")
        .filter(token_hash=hash_token(token))
        .first()
    )


def is_accepting(respondent: Respondent) -> bool:
    if not respondent.survey.is_accepting:
        return False
    return respondent.expires_at is None or timezone.now() < respondent.expires_at


def partners_of(respondent: Respondent) -> list[Organization]:
    """The other members of the roster, by name: the organizations this respondent rates."""
    return list(
        Organization.objects.filter(survey_roles__survey_id=respondent.survey_id)
        .exclude(pk=respondent.organization_id)
        .select_related("sector")
        .order_by("name", "pk")
    )


@dataclass
class Progress:
    answered: int  # partners answered
    total: int  # partners to answer
    about_done: bool
    pages: int  # partner pages

    @property
    def percent(self) -> int:
        steps = self.total + 1
        done = self.answered + (1 if self.about_done else 0)
        return round(100 * done / steps)


def page_count(total_partners: int) -> int:
    return max(1, ceil(total_partners / PARTNERS_PER_PAGE)) if total_partners else 0


def progress(respondent: Respondent, partners: list[Organization] | None = None) -> Progress:
    partners = partners if partners is not None else partners_of(respondent)
    ids = {partner.pk for partner in partners}
    answered = respondent.ratings.filter(partner_id__in=ids).count()
    return Progress(answered, len(ids), respondent.success is not None, page_count(len(ids)))


def resume_step(respondent: Respondent, partners: list[Organization]) -> str:
    """Where a returning respondent carries on: the first step with something unanswered."""
    if respondent.success is None:
        return "about"
    answered = set(respondent.ratings.values_list("partner_id", flat=True))
    for index, partner in enumerate(partners):
        if partner.pk not in answered:
            return str(index // PARTNERS_PER_PAGE + 1)
    return "review"


def page_partners(partners: list[Organization], page: int) -> list[Organization]:
    start = (page - 1) * PARTNERS_PER_PAGE
    return partners[start : start + PARTNERS_PER_PAGE]


def _lock(respondent: Respondent) -> Respondent:
    """Re-read the respondent under a row lock and refuse if it may no longer answer."""
    locked = Respondent.objects.select_for_update().select_related("survey").get(pk=respondent.pk)
    if locked.is_submitted:
        raise AlreadySubmitted
    if not is_accepting(locked):
        raise SurveyClosed
    return locked


@transaction.atomic
def save_about(respondent: Respondent, data: dict) -> Respondent:
    """Save the answers about the respondent's own organization (step 1)."""
    locked = _lock(respondent)
    locked.contributions = list(data["contributions"])
    locked.outcomes = list(data["outcomes"])
    locked.success = data["success"]
    locked.comments = data.get("comments", "")
    locked.started_at = locked.started_at or timezone.now()
    locked.save(update_fields=["contributions", "outcomes", "success", "comments", "started_at"])
    audit.record(None, "change", locked, note="partner survey: answers about the organization saved")
    return locked


RATING_FIELDS = ("frequency", "level", "kinds", *PartnerRating.TRUST_FIELDS, *PartnerRating.VALUE_FIELDS)


@transaction.atomic
def save_ratings(respondent: Respondent, answers: list[dict]) -> int:
    """Save one page of answers about partners (each a form's cleaned data with `partner`); all of
    the page or, on any error, nothing. Returns how many partners were saved."""
    locked = _lock(respondent)
    for answer in answers:
        partner = answer["partner"]
        if partner.pk == locked.organization_id:  # the forms refuse this; the service never trusts them
            raise ValueError("An organization does not rate itself.")
        values = {"interacts": answer["interacts"]}
        for name in RATING_FIELDS:
            empty = [] if name == "kinds" else ("" if name == "frequency" else None)
            values[name] = answer.get(name, empty) if answer["interacts"] else empty
        PartnerRating.objects.update_or_create(respondent=locked, partner=partner, defaults=values)
    locked.started_at = locked.started_at or timezone.now()
    locked.save(update_fields=["started_at"])
    audit.record(None, "change", locked, note=f"partner survey: {len(answers)} partner answers saved")
    return len(answers)


@transaction.atomic
def submit(respondent: Respondent) -> Respondent:
    """Mark the answers final. A second submission raises AlreadySubmitted and changes nothing."""
    locked = _lock(respondent)
    locked.submitted_at = timezone.now()
    locked.started_at = locked.started_at or locked.submitted_at
    locked.save(update_fields=["submitted_at", "started_at"])
    audit.record(None, "change", locked, note="partner survey: answers submitted")
    return locked
