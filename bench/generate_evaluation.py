"""Data for bench/evaluation.py: a 40-item instrument and two administrations (pre and post) of
20,000 complete responses each, matched by respondent key.

The instrument: 40 Likert 1–5 items in 4 dimensions of 10 (every fifth item reverse scored), a
mean-of-dimensions total with three bands. Each respondent has a latent level; the post level is
the pre level plus a small gain. About 3 % of answers are missing. Responses are bulk-created;
answers are inserted with one `executemany` per 50,000 rows (no ORM objects per answer).
"""

import random
import time
from typing import Any

ITEMS = 40
DIMENSIONS = 4
MISSING = 0.03
BANDS = [
    {"low": 1, "high": 2.49, "label": "low"},
    {"low": 2.5, "high": 3.49, "label": "middle"},
    {"low": 3.5, "high": 5, "label": "high"},
]


def _organizations(rng: random.Random) -> list[int]:
    from healthywork.partners.models import Organization, Sector

    sectors = list(Sector.objects.order_by("slug"))
    organizations = []
    for number in range(40):
        organizations.append(
            Organization.objects.create(
                name=f"Bench organization {number}", sector=rng.choice(sectors), level="local"
            ).pk
        )
    return organizations


def _instrument():
    from healthywork.evaluation.models import Dimension, Instrument, Item, ItemKind, TotalMethod
    from healthywork.evaluation.tests.factories import LIKERT5

    instrument = Instrument.objects.create(
        name="bench-40",
        title="Bench instrument (40 items)",
        total_method=TotalMethod.MEAN_OF_DIMENSIONS,
        bands=BANDS,
    )
    dimensions = [
        Dimension.objects.create(
            instrument=instrument, code=f"d{d + 1}", label=f"Dimension {d + 1}", position=d
        )
        for d in range(DIMENSIONS)
    ]
    Item.objects.bulk_create(
        Item(
            instrument=instrument,
            code=f"q{i + 1:02d}",
            text=f"Statement {i + 1}",
            text_es=f"Afirmación {i + 1}",
            kind=ItemKind.LIKERT,
            choices=LIKERT5,
            reverse_scored=(i % 5 == 4),
            dimension=dimensions[i // (ITEMS // DIMENSIONS)],
            position=i + 1,
        )
        for i in range(ITEMS)
    )
    return instrument


def _fill(administration, levels: list[float], organizations: list[int], rng: random.Random) -> int:
    from django.db import connection
    from django.utils import timezone

    from healthywork.evaluation.models import Answer, Item, Response, ResponseStatus

    now = timezone.now()
    Response.objects.bulk_create(
        (
            Response(
                administration=administration,
                respondent_key=f"r{index:06d}",
                organization_id=organizations[index % len(organizations)],
                status=ResponseStatus.COMPLETE,
                submitted_at=now,
                language="es" if index % 4 == 0 else "en",
            )
            for index in range(len(levels))
        ),
        batch_size=2000,
    )
    response_ids = list(
        Response.objects.filter(administration=administration).order_by("pk").values_list("pk", flat=True)
    )
    items = list(Item.objects.filter(instrument=administration.instrument).order_by("position"))
    sql = f"INSERT INTO {Answer._meta.db_table} (response_id, item_id, number, text) VALUES (%s, %s, %s, '')"
    batch: list[tuple[int, int, float]] = []
    written = 0
    with connection.cursor() as cursor:
        for response_id, level in zip(response_ids, levels, strict=True):
            for item in items:
                if rng.random() < MISSING:
                    continue
                value = min(5, max(1, round(level + rng.gauss(0, 0.9))))
                if item.reverse_scored:
                    value = 6 - value
                batch.append((response_id, item.pk, float(value)))
            if len(batch) >= 50_000:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def generate(responses: int = 20_000, seed: int = 2019) -> dict[str, Any]:
    """The instrument, a pre and a post administration (post.pre = pre), `responses` each."""
    from django.db import transaction

    from healthywork.evaluation.models import Administration, ContextKind, TimePoint

    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        organizations = _organizations(rng)
        instrument = _instrument()
        pre = Administration.objects.create(
            instrument=instrument, title="Bench pre", context_kind=ContextKind.OTHER, time_point=TimePoint.PRE
        )
        post = Administration.objects.create(
            instrument=instrument,
            title="Bench post",
            context_kind=ContextKind.OTHER,
            time_point=TimePoint.POST,
            pre=pre,
        )
        levels = [rng.uniform(1.5, 4.0) for _ in range(responses)]
        answers = _fill(pre, levels, organizations, rng)
        answers += _fill(post, [level + rng.gauss(0.3, 0.3) for level in levels], organizations, rng)
    return {
        "instrument": instrument,
        "pre": pre,
        "post": post,
        "responses": responses,
        "answers": answers,
        "seconds": round(time.perf_counter() - started, 1),
    }
