"""Applications to a cohort: the public submission, the review and the decision.

Accepting an application turns it into a team in one transaction: the lead and partner names
are resolved to registry organizations (picked among the matches, or created in a chosen
sector), the team gets them as lead and member organizations, and the contact is notified in
the language they applied in.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import select_template
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from healthywork.collaborative.models import (
    Application,
    ApplicationStatus,
    Cohort,
    Membership,
    MembershipRole,
    Team,
)
from healthywork.core import audit
from healthywork.partners.models import Organization, Sector

SUBMITTED_FIELDS = [
    "lead_organization_name",
    "partner_organizations",
    "contact_name",
    "contact_email",
    "contact_phone",
    "other_contacts",
    "proposed_focus",
    "why_now",
]


class ApplicationDecided(Exception):
    """The application was already accepted or declined."""


@dataclass(frozen=True)
class NewOrganization:
    """An organization to add to the registry while accepting an application."""

    name: str
    sector: Sector


OrganizationChoice = Organization | NewOrganization


def language_of(application: Application) -> str:
    return application.language if application.language in dict(settings.LANGUAGES) else "en"


def render_email(kind: str, application: Application) -> tuple[str, str]:
    """(subject, body) of the email `kind` (received, accepted, declined) in the application's
    language; the template's first line is the subject."""
    language = language_of(application)
    with translation.override(language):
        template = select_template(
            [
                f"collaborative/applications_email_{kind}_{language}.txt",
                f"collaborative/applications_email_{kind}_en.txt",
            ]
        )
        text = template.render({"application": application, "cohort": application.cohort}).strip()
    subject, _newline, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n"


def _email(kind: str, application: Application) -> None:
    subject, body = render_email(kind, application)
    recipient = application.contact_email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient]))


@transaction.atomic
def submit_application(cohort: Cohort, data: dict[str, Any], *, language: str) -> Application:
    """Save an application sent through the public link and acknowledge it by email."""
    application = Application(cohort=cohort, language=language)
    for name in SUBMITTED_FIELDS:
        setattr(application, name, data.get(name, ""))
    application.full_clean()
    application.save()
    audit.record(None, "create", application, audit.diff({}, audit.snapshot(application)))
    _email("received", application)
    return application


@transaction.atomic
def review_application(application: Application, data: dict[str, Any], *, by: Any) -> Application:
    """Record a reviewer's score (0-100) and notes."""
    before = audit.snapshot(Application.objects.get(pk=application.pk))
    application.score = data.get("score")
    application.review_notes = data.get("review_notes", "")
    application.reviewed_by = by
    application.full_clean()
    application.save(update_fields=["score", "review_notes", "reviewed_by"])
    changes = audit.diff(before, audit.snapshot(application))
    if changes:
        audit.record(by, "change", application, changes, note="review")
    return application


def registry_matches(name: str, limit: int = 8) -> list[Organization]:
    """Registry organizations for a typed name: same name or alias first, then names containing
    it (or contained in it), merged-away rows left out."""
    name = name.strip()
    if not name:
        return []
    live = Organization.objects.filter(merged_into__isnull=True).select_related("sector")
    exact = list(live.matching_name(name)[:limit])
    if len(exact) >= limit:
        return exact
    similar = live.filter(Q(name__icontains=name) | Q(name_key__in=_words_key(name))).exclude(
        pk__in=[organization.pk for organization in exact]
    )
    return exact + list(similar[: limit - len(exact)])


def _words_key(name: str) -> list[str]:
    # "Warehouse Workers United (WWU)" also finds "warehouse workers united".
    plain = name.split("(")[0].strip().casefold()
    return [plain] if plain else []


def _resolve(choice: OrganizationChoice, *, by: Any) -> Organization:
    if isinstance(choice, Organization):
        return choice
    from healthywork.partners.services import create_organization

    existing = Organization.objects.filter(merged_into__isnull=True).matching_name(choice.name).first()
    if existing is not None:  # created meanwhile, e.g. as another line of this application
        return existing
    return create_organization({"name": choice.name, "sector": choice.sector}, by=by)


def _require_undecided(application: Application) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.SUBMITTED:
        raise ApplicationDecided(locked.get_status_display())
    return locked


@transaction.atomic
def accept_application(
    application: Application, *, lead: OrganizationChoice, partners: list[OrganizationChoice], by: Any
) -> Team:
    """Make the application a team (name = lead organization, focus = proposed focus) with the lead
    and partner organizations as memberships; mark it accepted and notify the contact."""
    locked = _require_undecided(application)
    lead_organization = _resolve(lead, by=by)
    name = lead_organization.name
    if Team.objects.filter(cohort=locked.cohort, name=name).exists():
        raise ValidationError({"lead": _("The cohort already has a team called %(name)s.") % {"name": name}})
    team = Team.objects.create(
        cohort=locked.cohort, name=name, focus=locked.proposed_focus, application=locked
    )
    Membership.objects.create(team=team, organization=lead_organization, role=MembershipRole.LEAD)
    seen = {lead_organization.pk}
    for choice in partners:
        organization = _resolve(choice, by=by)
        if organization.pk not in seen:
            seen.add(organization.pk)
            Membership.objects.create(team=team, organization=organization, role=MembershipRole.MEMBER)
    now = timezone.now()
    before = audit.snapshot(locked)
    locked.status = ApplicationStatus.ACCEPTED
    locked.lead_organization = lead_organization
    locked.reviewed_by = by
    locked.decided_at = now
    locked.notified_at = now
    locked.save(update_fields=["status", "lead_organization", "reviewed_by", "decided_at", "notified_at"])
    changes = audit.diff(before, audit.snapshot(locked))
    changes["team"] = [None, team.name]
    changes["organizations"] = [None, sorted(str(m.organization) for m in team.memberships.all())]
    audit.record(by, "change", locked, changes, note="accepted")
    audit.record(by, "create", team, audit.diff({}, audit.snapshot(team)), note="from an application")
    _email("accepted", locked)
    application.refresh_from_db()
    return team


@transaction.atomic
def decline_application(application: Application, *, by: Any) -> Application:
    """Mark the application declined and notify the contact."""
    locked = _require_undecided(application)
    before = audit.snapshot(locked)
    now = timezone.now()
    locked.status = ApplicationStatus.DECLINED
    locked.reviewed_by = by
    locked.decided_at = now
    locked.notified_at = now
    locked.save(update_fields=["status", "reviewed_by", "decided_at", "notified_at"])
    audit.record(by, "change", locked, audit.diff(before, audit.snapshot(locked)), note="declined")
    _email("declined", locked)
    application.refresh_from_db()
    return application
