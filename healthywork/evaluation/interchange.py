"""Evaluation's kinds for `healthywork export`.

`healthywork export responses ADMINISTRATION --format csv|xlsx|sav [--out FILE]
[--filter identifiers=no]` writes an administration's responses (see `exporting`); the
administration is named by its public id (a UUID) or its number.
"""

import uuid

from django.utils.translation import gettext as _

from healthywork.evaluation import exporting
from healthywork.evaluation.models import Administration

NO = {"no", "false", "0", "off"}
YES = {"yes", "true", "1", "on"}


def find_administration(value: str) -> Administration:
    """The administration named by a public id or a number; ValueError naming the value if none."""
    value = (value or "").strip()
    administration = None
    if value.isdigit():
        administration = Administration.objects.filter(pk=int(value)).first()
    else:
        try:
            administration = Administration.objects.filter(public_id=uuid.UUID(value)).first()
        except ValueError:
            administration = None
    if administration is None:
        raise ValueError(
            _("No administration “%(value)s”. Give its public id (as in its page's address) or its number.")
            % {"value": value}
        )
    return administration


def export_responses(fmt: str, filters: dict[str, str], administration: str) -> bytes:
    """An administration's responses, one row per response, with dimension scores and total."""
    unknown = sorted(set(filters) - {"identifiers"})
    if unknown:
        raise ValueError(
            _("Unknown filter %(names)s. Valid filters: identifiers=yes|no.") % {"names": ", ".join(unknown)}
        )
    identifiers = filters.get("identifiers", "yes").strip().lower()
    if identifiers not in YES | NO:
        raise ValueError(_("The filter identifiers is yes or no, not “%(value)s”.") % {"value": identifiers})
    found = find_administration(administration)
    return exporting.export_responses(found, fmt, include_identifiers=identifiers in YES)


export_responses.arguments = [("administration", "the administration's public id or number")]
export_responses.formats = list(exporting.FORMATS)

EXPORTERS = {"responses": export_responses}
