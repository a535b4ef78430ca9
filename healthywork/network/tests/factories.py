"""Plain factory functions for the network."""

from datetime import date
from itertools import count

from healthywork.network.models import PartnerRating, PartnerSurvey, Respondent, Tie, Wave
from healthywork.partners.models import Organization

_numbers = count(1)


def wave(
    name: str | None = None, start: date = date(2017, 1, 1), end: date = date(2017, 12, 31), **fields
) -> Wave:
    return Wave.objects.create(
        name=name or f"Wave {next(_numbers)}", start_date=start, end_date=end, **fields
    )


def tie(
    wave_obj: Wave, source: Organization, target: Organization, kind: str = "information", **fields
) -> Tie:
    return Tie.objects.create(wave=wave_obj, source=source, target=target, kind=kind, **fields)


def survey(wave_obj: Wave, roster: list[Organization], **fields) -> PartnerSurvey:
    fields.setdefault("title", f"Partner survey {next(_numbers)}")
    fields.setdefault("status", "open")
    created = PartnerSurvey.objects.create(wave=wave_obj, **fields)
    for organization in roster:
        respondent(created, organization)
    return created


def respondent(survey_obj: PartnerSurvey, organization: Organization, **fields) -> Respondent:
    """The roster entry; `.token` carries its plain link token (only the hash is stored)."""
    row = Respondent(survey=survey_obj, organization=organization, **fields)
    token = row.issue_token()
    row.save()
    row.token = token  # for tests: the plain token, as the invitation email would carry it
    return row


def rating(respondent_obj: Respondent, partner: Organization, **fields) -> PartnerRating:
    fields.setdefault("interacts", True)
    return PartnerRating.objects.create(respondent=respondent_obj, partner=partner, **fields)
