"""Training's kinds for `healthywork export`: `healthywork export registrations TRAINING
[--format csv|xlsx|json]`, TRAINING being the training's address name (slug) or public id."""

import uuid

from django.utils.translation import gettext as _

from healthywork.core import tabular
from healthywork.training.models import Training

COLUMNS = (
    "name",
    "email",
    "organization",
    "organization_in_registry",
    "person_in_registry",
    "language",
    "accommodation",
    "status",
    "registered_at",
    "promoted_at",
    "cancelled_at",
    "reminded_at",
)


def registration_rows(training: Training) -> list[list]:
    rows = []
    for registration in training.registrations.select_related("organization", "person").order_by(
        "registered_at", "pk"
    ):
        rows.append(
            [
                registration.name,
                registration.email,
                registration.organization_name,
                registration.organization.name if registration.organization_id else "",
                registration.person.name if registration.person_id else "",
                registration.language,
                registration.accommodation,
                registration.status,
                _iso(registration.registered_at),
                _iso(registration.promoted_at),
                _iso(registration.cancelled_at),
                _iso(registration.reminded_at),
            ]
        )
    return rows


def _iso(moment) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def registrations_file(training: Training, fmt: str) -> tuple[bytes, str]:
    """(content, content type) of the training's registrations as CSV, XLSX or JSON."""
    return tabular.export_bytes(fmt, COLUMNS, registration_rows(training))


def find_training(value: str) -> Training:
    """The training by slug or public id; ValueError with a message for a person otherwise."""
    value = value.strip()
    found = Training.objects.filter(slug=value).first()
    if found is None:
        try:
            found = Training.objects.filter(public_id=uuid.UUID(value)).first()
        except ValueError:
            found = None
    if found is None:
        raise ValueError(
            _("No training has the address name or id “%(value)s”. Trainings: %(valid)s.")
            % {
                "value": value,
                "valid": ", ".join(Training.objects.values_list("slug", flat=True)[:20]) or _("none"),
            }
        )
    return found


def export_registrations(fmt: str, filters: dict[str, str], training: str) -> bytes:
    if filters:
        raise ValueError(_("Registrations take no filters; name the training instead."))
    content, _content_type = registrations_file(find_training(training), fmt)
    return content


export_registrations.arguments = [("training", "The training's address name (slug) or public id.")]

EXPORTERS = {"registrations": export_registrations}
