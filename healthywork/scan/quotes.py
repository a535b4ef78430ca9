"""From quote to catalog: an initiative created from, or linked to, a coded segment.

The initiative is written through the catalog's own services, so its audit events and search
text stay right; the link itself (QuoteLink) is the scan's, with its own audit event. The
initiative's `source` text points back to the interview, for readers of the catalog alone.
"""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from healthywork.catalog import services as catalog_services
from healthywork.catalog.models import Initiative
from healthywork.core import audit
from healthywork.core.panels import Panel
from healthywork.scan.models import Coding, QuoteLink

QUOTE_IN_SOURCE = 150  # characters of the quote copied into the initiative's source
SOURCE_MAX_LENGTH = Initiative._meta.get_field("source").max_length


class QuoteLinkError(ValueError):
    """A link that cannot be made; the message says why, for a person."""


def source_text(coding: Coding) -> str:
    """“Interview with <organization>, <date>: “<first 150 characters of the quote>””."""
    quote = " ".join(coding.snippet.split())
    if len(quote) > QUOTE_IN_SOURCE:
        quote = quote[:QUOTE_IN_SOURCE].rstrip() + "…"
    interview = coding.document.interview
    if interview is not None:
        when = interview.scheduled_at.date().isoformat() if interview.scheduled_at else _("undated")
        text = _("Interview with %(organization)s, %(date)s: “%(quote)s”") % {
            "organization": interview.organization.name,
            "date": when,
            "quote": quote,
        }
    else:
        text = _("Document “%(title)s”: “%(quote)s”") % {"title": coding.document.title, "quote": quote}
    return text[:SOURCE_MAX_LENGTH]


def _link(coding: Coding, initiative: Initiative, by: Any) -> QuoteLink:
    if QuoteLink.objects.filter(coding=coding, initiative=initiative).exists():
        raise QuoteLinkError(_("This quote is already linked to “%(title)s”.") % {"title": initiative.title})
    link = QuoteLink.objects.create(coding=coding, initiative=initiative, created_by=by)
    audit.record(
        by,
        "create",
        link,
        {"coding": [None, str(coding.public_id)], "initiative": [None, str(initiative.public_id)]},
    )
    return link


@transaction.atomic
def create_initiative_from_quote(coding: Coding, data: dict[str, Any], *, by: Any) -> Initiative:
    """Create an initiative (through the catalog's service) whose source is this quote, and link
    the quote to it. `data` holds the catalog's fields: title, summary, lead organization,
    action type, PSE class, level and status."""
    data = {**data, "source": data.get("source") or source_text(coding)}
    initiative = catalog_services.create_initiative(data, partners=[], by=by)
    _link(coding, initiative, by)
    return initiative


@transaction.atomic
def link_quote(coding: Coding, initiative: Initiative, *, by: Any) -> QuoteLink:
    """Link the quote to an existing initiative; its empty source is set to point at the quote.

    A quote already linked to this initiative raises QuoteLinkError and changes nothing."""
    link = _link(coding, initiative, by)
    if not initiative.source.strip():
        catalog_services.update_initiative(initiative, {"source": source_text(coding)}, by=by)
    return link


def initiative_panels(initiative: Initiative, user: Any) -> list[Panel]:
    """The “From the scan” panel of an initiative's page: the quotes linked to it that this
    person may see (ScanConfig.initiative_panels calls this)."""
    links = list(
        QuoteLink.objects.filter(initiative=initiative, coding__in=Coding.objects.visible_to(user))
        .select_related(
            "coding__code",
            "coding__document__interview__organization",
            "coding__document__project",
        )
        .defer("coding__document__text", "coding__document__original_text")
        .order_by("created_at", "id")
    )
    return [
        Panel(
            title=_("From the scan"),
            template="scan/_initiative_panel.html",
            context={"links": links},
            count=len(links),
        )
    ]
