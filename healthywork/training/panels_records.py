"""What the training app adds to a person's page and an organization's page (through the hooks
`person_panels(person, user)` and `organization_panels(organization, user)` of the app config).

Registrations are personal data: only training managers and people with `people.view_all` see a
person's trainings; an organization's page shows counts only.
"""

from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from healthywork.core.panels import Panel
from healthywork.partners.models import Person
from healthywork.training.models import Registration, RegistrationStatus


def may_see_trainings(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.can("training.manage") or user.can("people.view_all"))
    )


def person_registrations(person: Any) -> list[Registration]:
    """The person's registrations across the program: linked to the person, or under their e-mail."""
    match = Q(person=person)
    if person.email:
        match |= Q(email__iexact=person.email)
    return list(
        Registration.objects.filter(match)
        .select_related("training", "certificate")
        .annotate(days_present=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("-training__starts_at", "training__title")
    )


def person_panels(person: Any, user: Any) -> list[Panel]:
    if not may_see_trainings(user):
        return []
    registrations = person_registrations(person)
    return [
        Panel(
            title=_("Trainings"),
            template="training/records_person_panel.html",
            context={
                "registrations": registrations,
                "attended": sum(1 for registration in registrations if registration.days_present),
                "completed": sum(1 for registration in registrations if registration.completed_at),
            },
            count=len(registrations),
        )
    ]


def organization_counts(organization: Any) -> dict[str, int]:
    """People of the organization who registered, attended and completed, each counted once:
    registrations naming the organization, linked to a person affiliated with it, or under such a
    person's e-mail."""
    people = dict(
        Person.objects.filter(affiliations__organization=organization).values_list("pk", "email").distinct()
    )
    emails = {email.casefold(): pk for pk, email in people.items() if email}
    registrations = (
        Registration.objects.annotate(email_key=Lower("email"))
        .filter(Q(organization=organization) | Q(person__in=list(people)) | Q(email_key__in=list(emails)))
        .exclude(status=RegistrationStatus.CANCELLED)
    )
    rows = registrations.values("person_id", "email_key", "completed_at", "training_id").annotate(
        present=Count("attendance", filter=Q(attendance__present=True))
    )
    registered, attended, completed, trainings = set(), set(), set(), set()
    for row in rows:
        if row["person_id"] in people:
            key = ("person", row["person_id"])
        elif row["email_key"] in emails:
            key = ("person", emails[row["email_key"]])
        else:
            key = ("email", row["email_key"])
        registered.add(key)
        trainings.add(row["training_id"])
        if row["present"]:
            attended.add(key)
        if row["completed_at"]:
            completed.add(key)
    return {
        "registered": len(registered),
        "attended": len(attended),
        "completed": len(completed),
        "trainings": len(trainings),
    }


def organization_panels(organization: Any, user: Any) -> list[Panel]:
    if not getattr(user, "is_authenticated", False):
        return []
    counts = organization_counts(organization)
    return [
        Panel(
            title=_("People trained"),
            template="training/records_organization_panel.html",
            context={"counts": counts},
            count=counts["registered"],
        )
    ]
