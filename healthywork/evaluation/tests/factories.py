"""Plain factory functions for evaluation (areas may add their own in factories_<area>.py)."""

from itertools import count

from django.utils import timezone

from healthywork.evaluation.models import (
    Administration,
    Answer,
    ContextKind,
    Dimension,
    Instrument,
    Item,
    ItemKind,
    Response,
    ResponseStatus,
    TimePoint,
    TotalMethod,
)

_numbers = count(1)

LIKERT5 = [
    {"value": v, "label": label, "label_es": label_es}
    for v, label, label_es in [
        (1, "Strongly disagree", "Totalmente en desacuerdo"),
        (2, "Disagree", "En desacuerdo"),
        (3, "Neither", "Ni de acuerdo ni en desacuerdo"),
        (4, "Agree", "De acuerdo"),
        (5, "Strongly agree", "Totalmente de acuerdo"),
    ]
]


def instrument(
    name: str | None = None, dimensions: dict[str, list[str]] | None = None, **fields
) -> Instrument:
    """An instrument with Likert 1–5 items; `dimensions` maps a dimension code to its item codes."""
    number = next(_numbers)
    fields.setdefault("title", f"Instrument {number}")
    fields.setdefault("total_method", TotalMethod.MEAN_OF_ITEMS)
    created = Instrument.objects.create(name=name or f"instrument-{number}", **fields)
    position = 0
    for d_position, (code, item_codes) in enumerate((dimensions or {"all": ["q1", "q2", "q3"]}).items()):
        dimension = Dimension.objects.create(
            instrument=created, code=code, label=code.title(), position=d_position
        )
        for item_code in item_codes:
            position += 1
            Item.objects.create(
                instrument=created,
                code=item_code,
                text=f"Statement {item_code}",
                kind=ItemKind.LIKERT,
                choices=LIKERT5,
                dimension=dimension,
                position=position,
            )
    return created


def administration(instrument_obj: Instrument, **fields) -> Administration:
    fields.setdefault("title", f"{instrument_obj.title} {next(_numbers)}")
    fields.setdefault("context_kind", ContextKind.OTHER)
    fields.setdefault("time_point", TimePoint.ONCE)
    return Administration.objects.create(instrument=instrument_obj, **fields)


def response(administration_obj: Administration, answers: dict[str, float | str], **fields) -> Response:
    """A complete response; numbers go to Answer.number, strings to Answer.text."""
    fields.setdefault("status", ResponseStatus.COMPLETE)
    fields.setdefault("submitted_at", timezone.now())
    created = Response.objects.create(administration=administration_obj, **fields)
    items = {item.code: item for item in administration_obj.instrument.items.all()}
    Answer.objects.bulk_create(
        Answer(
            response=created,
            item=items[code],
            number=value if not isinstance(value, str) else None,
            text=value if isinstance(value, str) else "",
        )
        for code, value in answers.items()
    )
    return created
