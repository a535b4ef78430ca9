"""Administrations: giving an instrument in a context at a time point, inviting people, counting.

Writes run in one transaction with one audit event each. Invitations come from the registry
(people with an email), from a team's people, or from pasted `name, email` lines; each gets a
personal link and, when sent, one email in the person's language.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import select_template
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from healthywork.collaborative.models import Team, TeamPerson
from healthywork.core import audit
from healthywork.evaluation.models import Administration, Invitation, Response, ResponseStatus
from healthywork.partners.models import Person

FIELDS = [
    "instrument",
    "title",
    "description",
    "introduction",
    "introduction_es",
    "context_kind",
    "context_label",
    "cohort",
    "session",
    "team",
    "time_point",
    "pre",
    "opens_at",
    "closes_at",
    "public_link_open",
    "ask_match_code",
    "languages",
]


@transaction.atomic
def save_administration(
    data: dict[str, Any], *, by: Any, administration: Administration | None = None
) -> Administration:
    """Create an administration (or change `administration`) from cleaned form data."""
    is_new = administration is None
    if is_new:
        administration = Administration(created_by=by if getattr(by, "is_authenticated", False) else None)
        before: dict = {}
    else:
        before = audit.snapshot(Administration.objects.get(pk=administration.pk))
    for name in FIELDS:
        if name in data:
            setattr(administration, name, data[name])
    administration.full_clean()
    administration.save()
    changes = audit.diff(before, audit.snapshot(administration))
    if is_new or changes:
        audit.record(by, "create" if is_new else "change", administration, changes)
    return administration


@transaction.atomic
def close_now(administration: Administration, *, by: Any) -> Administration:
    """Close the administration at once: links stop taking answers."""
    administration = Administration.objects.select_for_update().get(pk=administration.pk)
    now = timezone.now()
    before = administration.closes_at
    administration.closes_at = now
    # Closing one opened a moment ago: it opened before it closed.
    administration.opens_at = min(administration.opens_at, now - timedelta(seconds=1))
    administration.save(update_fields=["closes_at", "opens_at"])
    closed = administration.closes_at.isoformat()
    audit.record(
        by,
        "change",
        administration,
        {"closes_at": [before.isoformat() if before else None, closed]},
        note="closed",
    )
    return administration


# --- Invitations -----------------------------------------------------------------------------


@dataclass
class PastedLine:
    line: int
    name: str
    email: str


def parse_pasted(text: str) -> tuple[list[PastedLine], list[str]]:
    """`name, email` (or `name <email>`, or just an email) per line; errors name the line."""
    rows: list[PastedLine] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if "<" in line and line.endswith(">"):
            name, _sep, email = line[:-1].partition("<")
        elif "," in line or ";" in line or "\t" in line:
            for separator in (",", ";", "\t"):
                if separator in line:
                    name, _sep, email = line.rpartition(separator)
                    break
        else:
            name, email = "", line
        name, email = name.strip().strip('"'), email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Line %(line)s: “%(email)s” is not an email address.") % {"line": number, "email": email}
            )
            continue
        if email in seen:
            errors.append(_("Line %(line)s: %(email)s is listed twice.") % {"line": number, "email": email})
            continue
        seen.add(email)
        rows.append(PastedLine(number, name[:200], email))
    return rows, errors


def _language(code: str) -> str:
    return code if code in dict(settings.LANGUAGES) else "en"


@transaction.atomic
def add_invitations(
    administration: Administration,
    *,
    people: Iterable[Person] = (),
    team: Team | None = None,
    pasted: Iterable[PastedLine] = (),
    language: str = "en",
    by: Any,
) -> list[Invitation]:
    """Invite registry people, a team's people and pasted addresses; someone already invited (same
    person or same email) is skipped. Returns the new invitations."""
    existing_people = set(administration.invitations.exclude(person=None).values_list("person_id", flat=True))
    existing_emails = {email.lower() for email in administration.invitations.values_list("email", flat=True)}
    new: list[Invitation] = []

    def add(**fields) -> None:
        person = fields.get("person")
        email = (fields.get("email") or "").lower()
        if (person is not None and person.pk in existing_people) or (email and email in existing_emails):
            return
        if person is not None:
            existing_people.add(person.pk)
        if email:
            existing_emails.add(email)
        new.append(Invitation(administration=administration, **fields))

    for person in people:
        add(
            person=person, name=person.name, email=person.email, language=_language(person.preferred_language)
        )
    if team is not None:
        members = TeamPerson.objects.filter(team=team, person__isnull=False).select_related("person")
        for member in members.exclude(person__email=""):
            person = member.person
            add(
                person=person,
                name=person.name,
                email=person.email,
                team=team,
                organization=member.organization,
                language=_language(person.preferred_language),
            )
    for row in pasted:
        person = Person.objects.filter(email__iexact=row.email).order_by("pk").first()
        add(
            person=person,
            name=row.name or (person.name if person else ""),
            email=row.email,
            language=_language(person.preferred_language) if person else _language(language),
        )
    Invitation.objects.bulk_create(new)
    if new:
        audit.record(by, "change", administration, {"invitations": [None, len(new)]}, note="invited")
    return new


def render_invitation_email(invitation: Invitation, link: str) -> tuple[str, str]:
    """(subject, body) in the invitation's language; the template's first line is the subject."""
    language = _language(invitation.language)
    administration = invitation.administration
    with translation.override(language):
        template = select_template(
            [f"evaluation/email_invitation_{language}.txt", "evaluation/email_invitation_en.txt"]
        )
        text = template.render(
            {
                "invitation": invitation,
                "administration": administration,
                "title": administration.instrument.localized_title(language),
                "link": link,
                "closes_at": administration.closes_at,
            }
        ).strip()
    subject, _newline, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n"


def send_invitations(
    administration: Administration,
    link_for: Callable[[Invitation], str],
    *,
    by: Any,
    resend: bool = False,
) -> int:
    """Email each invitation not yet sent (all of them with `resend`) its personal link, one
    message per person. Invitations whose response is complete are skipped. Returns the count."""
    invitations = administration.invitations.exclude(email="").exclude(
        response__status=ResponseStatus.COMPLETE
    )
    if not resend:
        invitations = invitations.filter(sent_at=None)
    sent = 0
    for invitation in invitations.select_related("administration__instrument"):
        subject, body = render_invitation_email(invitation, link_for(invitation))
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
        sent += 1
    if sent:
        audit.record(
            by, "change", administration, {"invitations_sent": [None, sent]}, note="invitations sent"
        )
    return sent


# --- Counting --------------------------------------------------------------------------------


def counts(administration: Administration) -> dict[str, Any]:
    """Invited, complete and in-progress counts for personal links, the response rate (complete /
    invited), and the public link's complete and started counts."""
    invitations = administration.invitations.aggregate(
        invited=Count("pk"),
        complete=Count("pk", filter=Q(response__status=ResponseStatus.COMPLETE)),
        in_progress=Count("pk", filter=Q(response__status=ResponseStatus.IN_PROGRESS)),
    )
    public = Response.objects.filter(administration=administration, invitation__isnull=True).aggregate(
        started=Count("pk"), complete=Count("pk", filter=Q(status=ResponseStatus.COMPLETE))
    )
    invited = invitations["invited"]
    return {
        "invited": invited,
        "complete": invitations["complete"],
        "in_progress": invitations["in_progress"],
        "not_opened": invited - invitations["complete"] - invitations["in_progress"],
        "rate": (invitations["complete"] / invited) if invited else None,
        "public_started": public["started"],
        "public_complete": public["complete"],
        "total_complete": invitations["complete"] + public["complete"],
    }


def invitation_status(invitation: Invitation) -> str:
    response = getattr(invitation, "response", None)
    if response is None:
        return "not_opened"
    return response.status
