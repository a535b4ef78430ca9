"""The demo evaluation: the collaborative evaluated on the Kirkpatrick model.

- the pre/post survey of 21 participants: a pre and a post administration of the shipped
  `precarious-work-knowledge` instrument for the demo cohort, sent as personal invitations, with
  21 matched respondents, a plausible improvement (about one point on the 1–5 scale) and a few
  items left unanswered;
- the follow-up three months later with 13 of them: a follow-up administration of the same
  instrument whose 13 responses were entered by the evaluator from the follow-up interviews;
- Kirkpatrick reaction forms after each session (anonymous public links, now closed), some
  answered in Spanish;
- one open administration of the reaction form with an anonymous public link, for people to try.

The numbers are invented (seeded, so every run gives the same data). `load()` is idempotent:
administrations are keyed by title, and an administration that has responses gets no more.
"""

import random
from datetime import UTC, datetime, timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from healthywork.accounts.models import User
from healthywork.collaborative.models import Cohort, Session, TeamPerson
from healthywork.evaluation import shipped
from healthywork.evaluation.models import (
    Administration,
    Answer,
    ContextKind,
    Dimension,
    Instrument,
    Invitation,
    Item,
    ItemKind,
    Response,
    ResponseStatus,
    TimePoint,
)

COHORT = "Healthy Work Collaborative 2018"
KNOWLEDGE = "precarious-work-knowledge"
REACTION = "kirkpatrick-reaction"
PARTICIPANTS = 21
FOLLOW_UP = 13

PRE_TITLE = "Collaborative 2018: knowledge and self-efficacy, pre"
POST_TITLE = "Collaborative 2018: knowledge and self-efficacy, post"
FOLLOW_UP_TITLE = "Collaborative 2018: knowledge and self-efficacy, three-month follow-up interviews"
INTRODUCTION = (
    "This short survey asks what you know about precarious work and how sure you feel about "
    "changing policies, systems and environments. It takes about five minutes. Your answers are "
    "reported only in summary, never with your name."
)
INTRODUCTION_ES = (
    "Esta breve encuesta pregunta qué sabe usted sobre el trabajo precario y qué tan seguro se "
    "siente para cambiar políticas, sistemas y entornos. Toma unos cinco minutos. Sus respuestas "
    "se informan solo en resumen, nunca con su nombre."
)
FOLLOW_UP_LABEL = (
    "Follow-up interviews three months after the sessions with 13 of the 21 participants; the "
    "evaluator asked the survey's questions during each interview and entered the answers."
)
OPEN_TITLE = "Try it: reaction form (open public link)"

TEXT_EN = [
    "The power mapping exercise with our partners.",
    "Hearing how labor groups plan a campaign.",
    "Working on our theory of change together.",
    "More time for the action plan.",
    "",
]
TEXT_ES = [
    "El mapa de poder con nuestros socios.",
    "Escuchar cómo los sindicatos planean una campaña.",
    "Más tiempo para el plan de acción.",
    "",
]


def _evaluator() -> User | None:
    return (
        User.objects.filter(username="demo-evaluator").first()
        or User.objects.filter(role="evaluator").first()
    )


def _instruments() -> dict[str, Instrument]:
    if not Instrument.objects.filter(name__in=[KNOWLEDGE, REACTION]).count() == 2:
        shipped.install(Instrument, Dimension, Item)
    return {
        instrument.name: instrument
        for instrument in Instrument.objects.filter(name__in=[KNOWLEDGE, REACTION])
    }


def _administration(title: str, instrument: Instrument, by, **fields) -> tuple[Administration, bool]:
    administration = Administration.objects.filter(title=title).first()
    if administration is not None:
        return administration, False
    administration = Administration.objects.create(
        title=title, instrument=instrument, created_by=by, **fields
    )
    return administration, True


def _participants(cohort: Cohort | None) -> list[tuple[str, object, object]]:
    """(respondent key, person, team) for 21 participants: the cohort's people first, then
    numbered participants if the cohort has fewer."""
    rows: list[tuple[str, object, object]] = []
    if cohort is not None:
        seen = set()
        for entry in (
            TeamPerson.objects.filter(team__cohort=cohort, person__isnull=False)
            .select_related("person", "team")
            .order_by("team__name", "person__name")
        ):
            if entry.person_id in seen:
                continue
            seen.add(entry.person_id)
            rows.append((f"person:{entry.person_id}", entry.person, entry.team))
            if len(rows) == PARTICIPANTS:
                break
    for number in range(len(rows) + 1, PARTICIPANTS + 1):
        rows.append((f"participant:{number:02d}", None, None))
    return rows


def _value(item: Item, level: float, rng: random.Random) -> tuple[float | None, str]:
    """An answer to `item` for a respondent at `level` (about 1–5 on an agreement scale)."""
    if item.kind == ItemKind.TEXT:
        return None, ""
    if item.kind == ItemKind.MULTIPLE:
        values = item.choice_values()
        return None, " ".join(str(int(v)) for v in sorted(rng.sample(values, k=min(2, len(values)))))
    low, high = item.bounds()
    if low is None or high is None:
        return None, ""
    share = (level - 1) / 4  # 0..1
    if item.reverse_scored:
        share = 1 - share
    raw = low + share * (high - low) + rng.gauss(0, 0.6)
    number = min(high, max(low, round(raw)))
    if item.choices and item.kind != ItemKind.NUMBER:
        number = min(item.choice_values(), key=lambda choice: abs(choice - number))
    return float(number), ""


def _responses(
    administration: Administration,
    respondents: list[dict],
    *,
    rng: random.Random,
    skip_rate: float = 0.03,
    entered_by=None,
) -> int:
    """Each respondent: {key, person, team, level, submitted_at, language, texts}."""
    items = [item for item in administration.instrument.items.all() if item.kind != ItemKind.NOTE]
    responses = Response.objects.bulk_create(
        Response(
            administration=administration,
            respondent_key=row["key"],
            person=row.get("person"),
            team=row.get("team"),
            language=row.get("language", "en"),
            status=ResponseStatus.COMPLETE,
            started_at=row["submitted_at"] - timedelta(minutes=12),
            submitted_at=row["submitted_at"],
            entered_by=entered_by,
            invitation=row.get("invitation"),
        )
        for row in respondents
    )
    answers = []
    for response, row in zip(responses, respondents, strict=True):
        for item in items:
            if item.kind == ItemKind.TEXT:
                texts = TEXT_ES if row.get("language") == "es" else TEXT_EN
                text = rng.choice(texts) if row.get("texts") else ""
                if text:
                    answers.append(Answer(response=response, item=item, text=text))
                continue
            if rng.random() < skip_rate:  # a few items left unanswered
                continue
            number, text = _value(item, row["level"], rng)
            if number is not None or text:
                answers.append(Answer(response=response, item=item, number=number, text=text))
    Answer.objects.bulk_create(answers)
    return len(responses)


def _at(day: datetime, hours: int) -> datetime:
    return day + timedelta(hours=hours)


def _prepost(instrument: Instrument, cohort: Cohort | None, by, rng: random.Random) -> dict[str, int]:
    context = {"context_kind": ContextKind.COHORT, "cohort": cohort} if cohort else {
        "context_kind": ContextKind.OTHER, "context_label": COHORT,
        "introduction": INTRODUCTION, "introduction_es": INTRODUCTION_ES
    }  # fmt: skip
    participants = _participants(cohort)
    baseline = {key: rng.gauss(0, 0.45) for key, _person, _team in participants}
    made = {"pre": 0, "post": 0, "follow_up": 0}
    opens = datetime(2018, 6, 4, 13, tzinfo=UTC)
    pre, _created = _administration(
        PRE_TITLE, instrument, by, time_point=TimePoint.PRE, opens_at=opens,
        closes_at=opens + timedelta(days=14), **context,
    )  # fmt: skip
    post_opens = datetime(2018, 8, 20, 13, tzinfo=UTC)
    post, _created = _administration(
        POST_TITLE, instrument, by, time_point=TimePoint.POST, pre=pre, opens_at=post_opens,
        closes_at=post_opens + timedelta(days=21), **context,
    )  # fmt: skip
    follow_opens = datetime(2018, 11, 19, 13, tzinfo=UTC)
    follow, _created = _administration(
        FOLLOW_UP_TITLE, instrument, by, time_point=TimePoint.FOLLOW_UP, pre=pre, opens_at=follow_opens,
        closes_at=follow_opens + timedelta(days=30), description=FOLLOW_UP_LABEL, **context,
    )  # fmt: skip
    for administration, mean, start, name, rows in (
        (pre, 2.6, opens, "pre", participants),
        (post, 3.7, post_opens, "post", participants),
        (
            follow,
            3.55,
            follow_opens,
            "follow_up",
            participants[:: max(1, len(participants) // FOLLOW_UP)][:FOLLOW_UP],
        ),
    ):
        if administration.responses.exists():
            continue
        respondents = []
        for index, (key, person, team) in enumerate(rows):
            invitation = None
            if name != "follow_up":
                invitation = Invitation.objects.create(
                    administration=administration, person=person, team=team,
                    name=person.name if person else key, email=(person.email if person else ""),
                    sent_at=start, language=getattr(person, "preferred_language", "en") or "en",
                )  # fmt: skip
            respondents.append(
                {
                    "key": key,
                    "person": person,
                    "team": team,
                    "invitation": invitation,
                    "level": mean + baseline[key] + (0.25 if name != "pre" and index % 4 == 0 else 0),
                    "submitted_at": _at(start, 2 + index * 7),
                    "language": "es" if index % 6 == 5 else "en",
                }
            )
        made[name] = _responses(
            administration, respondents, rng=rng, entered_by=by if name == "follow_up" else None
        )
    return made


def _reactions(instrument: Instrument, cohort: Cohort | None, by, rng: random.Random) -> int:
    made = 0
    sessions = list(Session.objects.filter(cohort=cohort).order_by("number")) if cohort else []
    for session in sessions:
        title = f"Reaction to session {session.number}: {session.title}"[:250]
        ends = session.ends_at or session.starts_at + timedelta(hours=3)
        administration, _created = _administration(
            title, instrument, by, context_kind=ContextKind.SESSION, session=session, cohort=cohort,
            time_point=TimePoint.ONCE, opens_at=session.starts_at, closes_at=ends + timedelta(days=7),
            public_link_open=True,
        )  # fmt: skip
        if administration.responses.exists():
            continue
        count = 14 + (session.number * 3) % 7
        respondents = [
            {
                "key": "",
                "level": 3.9 + 0.1 * (session.number % 3) + rng.gauss(0, 0.5),
                "submitted_at": ends + timedelta(minutes=5 + index * 3),
                "language": "es" if index % 4 == 3 else "en",
                "texts": index % 2 == 0,
            }
            for index in range(count)
        ]
        made += _responses(administration, respondents, rng=rng, skip_rate=0.02)
    return made


def _open_link(instrument: Instrument, by) -> Administration:
    administration, _created = _administration(
        OPEN_TITLE, instrument, by, context_kind=ContextKind.OTHER, context_label="Demo",
        time_point=TimePoint.ONCE, opens_at=timezone.now() - timedelta(days=1), closes_at=None,
        public_link_open=True,
    )  # fmt: skip
    return administration


@transaction.atomic
def load(stdout: TextIO) -> None:
    """Create or refresh the demo administrations and responses (after the collaborative demo)."""
    instruments = _instruments()
    if KNOWLEDGE not in instruments or REACTION not in instruments:
        stdout.write(_("Evaluation: skipped (the shipped instruments are missing).\n"))
        return
    by = _evaluator()
    cohort = Cohort.objects.filter(name=COHORT).first()
    rng = random.Random(2018)
    made = _prepost(instruments[KNOWLEDGE], cohort, by, rng)
    reactions = _reactions(instruments[REACTION], cohort, by, rng)
    open_link = _open_link(instruments[REACTION], by)
    stdout.write(
        _(
            "Evaluation: pre/post survey (%(pre)d pre, %(post)d post, %(follow)d follow-up interviews new), "
            "%(reactions)d new reaction forms, and an open public link at /evaluate/s/%(token)s/.\n"
        )
        % {
            "pre": made["pre"],
            "post": made["post"],
            "follow": made["follow_up"],
            "reactions": reactions,
            "token": open_link.public_token,
        }
    )
