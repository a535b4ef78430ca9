"""Answering an administration: checking what a respondent typed and saving it exactly once.

`validate_answers` turns raw form values (by item code) into (number, text) pairs by item and
collects one message per bad item, naming it. `save_response` writes a response and its answers in
one transaction, with the rules every way of answering shares (the public and personal pages, the
resume link, the API, staff data entry):

- a closed administration takes nothing (`AdministrationClosed`);
- a submission carries a `submission_key` made when the form was rendered; a second submission
  with the same key (a double click, a resent form, a retrying client) writes nothing and returns
  the response the first one made (its `was_duplicate` is True). The unique key is the guard, so
  it holds across processes: the losing INSERT fails inside a savepoint and is answered with the
  winner's row;
- a personal invitation gets at most one response: its row is locked (SELECT ... FOR UPDATE)
  while the response is found or made, so two tabs or two clients cannot make two; once complete
  it takes nothing more (`AlreadyAnswered`);
- anonymous responses get no person, no invitation and no address: only what is passed in.
"""

import math

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from healthywork.core import audit
from healthywork.evaluation.models import (
    Administration,
    Answer,
    Instrument,
    Invitation,
    Item,
    ItemKind,
    Response,
    ResponseStatus,
)

CHOICE_KINDS = {ItemKind.LIKERT, ItemKind.SINGLE, ItemKind.MATRIX}
Values = dict[int, tuple[float | None, str]]


class AnsweringRefused(Exception):
    """Nothing was saved; `message` says why in words a respondent understands."""

    status = 400

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else _("Your answers could not be saved.")


class AdministrationClosed(AnsweringRefused):
    status = 410

    def __init__(self, administration: Administration):
        self.administration = administration
        if administration.closes_at and administration.closes_at <= timezone.now():
            when = date_format(timezone.localtime(administration.closes_at), "DATE_FORMAT")
            text = _("This survey closed on %(date)s.") % {"date": when}
        else:
            text = _("This survey is not open yet.")
        super().__init__(text)


class AlreadyAnswered(AnsweringRefused):
    status = 409

    def __init__(self, response: Response | None = None):
        self.response = response
        super().__init__(_("You have already answered this survey. Thank you."))


def _label(item: Item) -> str:
    text = " ".join(item.text.split())
    if len(text) > 60:
        text = text[:57] + "…"
    return f"{item.code} ({text})" if text else item.code


def _number(raw: str) -> float | None:
    try:
        value = float(raw.replace(",", ".")) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _as_list(raw) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, (list, tuple)):
        parts = [str(part).strip() for part in raw]
    else:
        parts = str(raw).split()
    return [part for part in parts if part]


def _format(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def validate_answers(
    instrument: Instrument,
    data: dict[str, str | list[str]],
    language: str = "en",
    partial: bool = False,
) -> tuple[Values, dict[str, str]]:
    """Check raw values by item code; return ({item pk: (number, text)}, {item code: message}).

    Likert, single-choice and matrix items take one of their choice values; number items a number
    within [min, max]; multiple-choice items a list (or space-separated text) of choice values,
    stored as text; text items any text. An empty value is no answer: an error for a required item
    unless `partial` (saving to finish later). Keys that are not item codes are ignored."""
    values: Values = {}
    errors: dict[str, str] = {}
    for item in instrument.items.all():
        if item.kind == ItemKind.NOTE:
            continue
        raw = data.get(item.code)
        name = _label(item)
        if item.kind == ItemKind.MULTIPLE:
            picked = _as_list(raw)
            if not picked:
                if item.required and not partial:
                    errors[item.code] = _("Question %(item)s needs an answer.") % {"item": name}
                continue
            allowed = set(item.choice_values())
            numbers = [_number(part) for part in picked]
            bad = [
                part
                for part, number in zip(picked, numbers, strict=True)
                if number is None or number not in allowed
            ]
            if bad:
                errors[item.code] = _("Question %(item)s: %(value)s is not one of its choices.") % {
                    "item": name,
                    "value": ", ".join(bad),
                }
                continue
            unique = sorted(set(numbers))
            values[item.pk] = (None, " ".join(_format(number) for number in unique))
            continue
        text = "" if raw is None else (raw[0] if isinstance(raw, (list, tuple)) and raw else raw)
        text = str(text).strip() if not isinstance(text, (list, tuple)) else ""
        if text == "":
            if item.required and not partial:
                errors[item.code] = _("Question %(item)s needs an answer.") % {"item": name}
            continue
        if item.kind == ItemKind.TEXT:
            values[item.pk] = (None, text[:10000])
            continue
        number = _number(text)
        if number is None:
            errors[item.code] = _("Question %(item)s: %(value)s is not a number.") % {
                "item": name,
                "value": text[:40],
            }
            continue
        if item.kind in CHOICE_KINDS:
            if number not in item.choice_values():
                low, high = item.bounds()
                errors[item.code] = _(
                    "Question %(item)s: %(value)s is not one of its choices (%(low)s to %(high)s)."
                ) % {"item": name, "value": text[:40], "low": _format(low), "high": _format(high)}
                continue
        else:  # a number item
            low, high = item.min_value, item.max_value
            if (low is not None and number < low) or (high is not None and number > high):
                bounds = (
                    _("%(low)s to %(high)s") % {"low": _format(low), "high": _format(high)}
                    if low is not None and high is not None
                    else (
                        _("at least %(low)s") % {"low": _format(low)}
                        if low is not None
                        else _("at most %(high)s") % {"high": _format(high)}
                    )
                )
                errors[item.code] = _("Question %(item)s: %(value)s is outside its range (%(bounds)s).") % {
                    "item": name,
                    "value": text[:40],
                    "bounds": bounds,
                }
                continue
        values[item.pk] = (number, "")
    return values, errors


def respondent_key_for(invitation: Invitation) -> str:
    return f"person:{invitation.person_id}" if invitation.person_id else f"invitation:{invitation.pk}"


def normalise_match_code(code: str) -> str:
    """Upper case letters and digits only: 'ab 12-c' -> 'AB12C'."""
    return "".join(char for char in (code or "").upper() if char.isalnum())[:40]


def _duplicate(submission_key: str | None) -> Response | None:
    if not submission_key:
        return None
    existing = Response.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        existing.was_duplicate = True
    return existing


def save_response(
    administration: Administration,
    values: Values,
    *,
    response: Response | None = None,
    submit: bool,
    submission_key: str | None,
    invitation: Invitation | None = None,
    respondent_key: str = "",
    language: str = "en",
    team=None,
    organization=None,
    person=None,
    entered_by=None,
) -> Response:
    """Save (and, with `submit`, complete) a response with exactly `values` as its answers.

    Returns the response; `response.was_duplicate` is True when `submission_key` had already been
    used (nothing was written). Raises `AdministrationClosed` or `AlreadyAnswered`."""
    existing = _duplicate(submission_key)
    if existing is not None:
        return existing
    if not administration.is_open() and entered_by is None:
        raise AdministrationClosed(administration)
    with transaction.atomic():
        if invitation is not None:
            invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
            found = Response.objects.filter(invitation=invitation).first()
            if found is not None:
                if submission_key and found.submission_key == submission_key:
                    found.was_duplicate = True
                    return found
                if found.status == ResponseStatus.COMPLETE:
                    raise AlreadyAnswered(found)
                response = found
            respondent_key = respondent_key or respondent_key_for(invitation)
            person = person or invitation.person
            team = team or invitation.team
            organization = organization or invitation.organization
        if response is not None and response.pk:
            response = Response.objects.select_for_update().get(pk=response.pk)
            if submission_key and response.submission_key == submission_key:
                response.was_duplicate = True
                return response
            if response.status == ResponseStatus.COMPLETE and entered_by is None:
                raise AlreadyAnswered(response)
        is_new = response is None or not response.pk
        if is_new:
            response = Response(administration=administration, invitation=invitation)
        if respondent_key or is_new:
            response.respondent_key = respondent_key or response.respondent_key
        response.language = language or response.language
        for name, value in (("team", team), ("organization", organization), ("person", person)):
            if value is not None:
                setattr(response, name, value)
        if entered_by is not None:
            response.entered_by = entered_by
        if submit:
            response.status = ResponseStatus.COMPLETE
            response.submitted_at = timezone.now()
            response.submission_key = submission_key or None
        try:
            with transaction.atomic():  # a savepoint: the losing twin of a double submission fails here
                response.save()
        except IntegrityError:
            existing = _duplicate(submission_key)
            if existing is None:
                raise
            return existing
        Answer.objects.filter(response=response).delete()
        Answer.objects.bulk_create(
            Answer(response=response, item_id=item_id, number=number, text=text)
            for item_id, (number, text) in values.items()
        )
        # The event names the response and its status only: never who answered anonymously.
        audit.record(
            entered_by,
            "create" if is_new else "change",
            response,
            {"status": [None if is_new else "in_progress", response.status], "answers": [None, len(values)]},
            note="submitted" if submit else "saved to finish later",
        )
    response.was_duplicate = False
    return response
