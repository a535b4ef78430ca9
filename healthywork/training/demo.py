"""The demo training program (see `demo/hwc-public-facts.md`): the step-by-step videos of the
collaborative's tools (self-paced: Introduction to Precarious Work, Power Mapping, Theory of Change,
Action Planning), a webinar on the collaborative, an in-person journal club, and a bilingual
in-person training for public health on work as a social determinant of health; about sixty
registrations (some on the waitlist, some cancelled), attendance, completions and certificates,
and a feedback form on the in-person training with reaction responses.

The kinds of training are public; dates, people, attendance and answers are invented. `load()` is
idempotent: trainings are keyed by slug, registrations by training and e-mail, attendance by
registration and day, the feedback form by title; rows are saved only where a value differs.
"""

import unicodedata
from datetime import UTC, date, datetime, timedelta
from typing import Any, TextIO

from django.db import transaction
from django.utils.translation import gettext as _

from healthywork.accounts import demo as accounts_demo
from healthywork.accounts.models import User
from healthywork.accounts.roles import Role
from healthywork.evaluation.models import (
    Administration,
    Answer,
    ContextKind,
    Instrument,
    Invitation,
    ItemKind,
    Response,
    ResponseStatus,
    TimePoint,
)
from healthywork.partners.demo import upsert
from healthywork.partners.models import Person
from healthywork.training import records
from healthywork.training.models import (
    Attendance,
    Certificate,
    Modality,
    Registration,
    RegistrationStatus,
    Training,
    TrainingStatus,
)

SERIES = "Healthy Work Collaborative tools"
VIDEO_DESCRIPTION = (
    "A short step-by-step video on one of the tools the Healthy Work Collaborative's teams used, "
    "taught by labor partners as content experts. Watch at your own pace; the worksheet is in the "
    "materials."
)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    # Chicago is UTC-5 in summer and autumn (daylight time), which every demo date falls in.
    return datetime(day.year, day.month, day.day, hour + 5, minute, tzinfo=UTC)


TRAININGS: list[dict[str, Any]] = [
    {
        "slug": "video-introduction-to-precarious-work",
        "title": "Introduction to Precarious Work",
        "series": SERIES,
        "topics": "precarious work, healthy work",
        "modality": Modality.SELF_PACED,
        "description": VIDEO_DESCRIPTION + " The first video: what precarious work is and why it is a "
        "public-health issue.",
        "completion_rule": "Watch the video and complete the worksheet.",
        "registrants": 7,
    },
    {
        "slug": "video-power-mapping",
        "title": "Power Mapping",
        "series": SERIES,
        "topics": "power mapping, PSE change",
        "modality": Modality.SELF_PACED,
        "description": VIDEO_DESCRIPTION + " Who decides, who influences them, and where your team stands.",
        "completion_rule": "Watch the video and complete the worksheet.",
        "registrants": 6,
    },
    {
        "slug": "video-theory-of-change",
        "title": "Theory of Change",
        "series": SERIES,
        "topics": "theory of change, evaluation",
        "modality": Modality.SELF_PACED,
        "description": VIDEO_DESCRIPTION + " From a long-term goal back to the outcomes and interventions.",
        "completion_rule": "Watch the video and complete the worksheet.",
        "registrants": 5,
    },
    {
        "slug": "video-action-planning",
        "title": "Action Planning",
        "series": SERIES,
        "topics": "action planning",
        "modality": Modality.SELF_PACED,
        "description": VIDEO_DESCRIPTION + " Steps, owners, dates and resources for the next year.",
        "completion_rule": "Watch the video and complete the worksheet.",
        "registrants": 5,
    },
    {
        "slug": "webinar-healthy-work-collaborative",
        "title": "Webinar: the Healthy Work Collaborative, health and labor working together",
        "topics": "collaboration, PSE change, precarious work",
        "modality": Modality.ONLINE,
        "starts_at": _at(date(2019, 5, 14), 12),
        "ends_at": _at(date(2019, 5, 14), 13),
        "link": "https://example.org/webinar",
        "facilitator_names": "Center for Healthy Work staff and two team leads",
        "description": "How eight multi-sector teams of health, labor, government and community "
        "organizations planned and implemented policy, systems and environmental changes on "
        "precarious work, and what they learned.",
        "completion_rule": "Attend at least 45 minutes.",
        "min_minutes": 45,
        "registrants": 16,
        "cancelled": 2,
    },
    {
        "slug": "journal-club-work-as-sdoh",
        "title": "Journal club: work as a social determinant of health",
        "topics": "social determinants of health, precarious work, research",
        "modality": Modality.IN_PERSON,
        "starts_at": _at(date(2019, 9, 18), 16),
        "ends_at": _at(date(2019, 9, 18), 17, 30),
        "place": "School of Public Health, room 210, Chicago",
        "capacity": 10,
        "facilitator_names": "Center for Healthy Work staff",
        "description": "Reading and discussing recent articles on employment precariousness and "
        "health, for public-health staff and students.",
        "completion_rule": "Attend the session.",
        "registrants": 12,
    },
    {
        "slug": "training-work-as-sdoh-public-health",
        "title": "Work as a social determinant of health: a training for public health",
        "topics": "social determinants of health, precarious work, PSE change",
        "modality": Modality.IN_PERSON,
        "starts_at": _at(date(2019, 10, 8), 9),
        "ends_at": _at(date(2019, 10, 9), 13),
        "place": "Cook County Department of Public Health, Oak Forest",
        "capacity": 14,
        "language": "en es",
        "facilitator_names": "Felipe Marroquín, Centro de Trabajadores Unidos",
        "description": "A bilingual (English and Spanish) training for public-health staff: how "
        "work shapes health, how to ask about work in programs, and how to partner with worker "
        "centers and unions on policy, systems and environmental change.",
        "completion_rule": "Present on both days.",
        "registrants": 17,
        "cancelled": 1,
    },
]
FEEDBACK_TRAINING = "training-work-as-sdoh-public-health"
FEEDBACK_TITLE = "Work as a social determinant of health – feedback"

FIRST_NAMES = [
    "María", "José", "Lucía", "Andrés", "Begoña", "Tomás", "Ana", "Jesús", "Sofía", "Ramón", "Elena",
    "Iñaki", "Grace", "Marcus", "Aisha", "Daniel", "Keisha", "Nguyen", "Olga", "Patrick", "Renée", "Samir",
    "Tanya", "Wen", "Yolanda", "Zoë",
]  # fmt: skip
LAST_NAMES = [
    "Núñez", "Peña", "Ibáñez", "Gutiérrez", "Muñoz", "Rodríguez", "Álvarez", "Ortiz", "Brooks", "Coleman",
    "Dąbrowski", "Evans", "Fofana", "Hughes", "Jiménez", "Kowalski", "Lee", "Moreno", "Nakamura", "Price",
]  # fmt: skip
ORGANIZATIONS = [
    "Cook County Department of Public Health",
    "Chicago Department of Public Health",
    "Centro de Trabajadores Unidos",
    "Arise Chicago",
    "Illinois Public Health Association",
    "Legal Aid Chicago",
    "Boone County Health Department",
    "Health & Medicine Policy Research Group",
]
COMMENTS = [
    ("The role play on asking about work in a clinic visit.", "Más tiempo para los casos."),
    ("Meeting the worker center staff.", "More examples from rural counties."),
    ("El mapa de poder.", "Materiales en español antes de la sesión."),
    ("Understanding wage theft as a health issue.", ""),
]


def _people_pool() -> list[tuple[str, str, Person | None]]:
    """(name, e-mail, registry person) for registrants: the registry's people with an e-mail first
    (so their person pages list trainings), then invented names."""
    pool: list[tuple[str, str, Person | None]] = [
        (person.name, person.email, person) for person in Person.objects.exclude(email="").order_by("pk")[:20]
    ]
    for index in range(80):
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
        plain = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore").decode()
        pool.append((f"{first} {last}", f"{plain.casefold()}.{index}@example.org", None))
    return pool


def _training(spec: dict[str, Any], facilitator: User | None, admin: User | None) -> tuple[Training, bool]:
    values = {
        key: spec.get(key, default)
        for key, default in [
            ("title", ""), ("description", ""), ("series", ""), ("topics", ""), ("modality", Modality.ONLINE),
            ("starts_at", None), ("ends_at", None), ("place", ""), ("link", ""), ("capacity", None),
            ("facilitator_names", ""), ("language", "en"), ("completion_rule", ""),
        ]
    }  # fmt: skip
    values["status"] = TrainingStatus.PUBLISHED
    training, created = upsert(Training, {"slug": spec["slug"]}, values)
    if created:
        training.created_by = admin
        training.save(update_fields=["created_by"])
    if facilitator is not None and not training.facilitators.filter(pk=facilitator.pk).exists():
        training.facilitators.add(facilitator)
    return training, created


def _registrations(training: Training, spec: dict[str, Any], pool: list, offset: int) -> list[Registration]:
    """`registrants` people: the last `cancelled` cancel; past the capacity they wait."""
    count, cancelled = spec["registrants"], spec.get("cancelled", 0)
    capacity = spec.get("capacity")
    result = []
    registered_at = (training.starts_at or datetime(2019, 1, 15, 15, tzinfo=UTC)) - timedelta(days=20)
    live = 0
    for index in range(count):
        name, email, person = pool[(offset + index) % len(pool)]
        if index >= count - cancelled:
            status = RegistrationStatus.CANCELLED
        elif capacity is not None and live >= capacity:
            status = RegistrationStatus.WAITLISTED
        else:
            status = RegistrationStatus.REGISTERED
            live += 1
        spanish = training.language != "en" and any(mark in name for mark in "áéíóúñÁÉÍÓÚÑ")
        values = {
            "name": name,
            "person": person,
            "organization_name": ORGANIZATIONS[(offset + index) % len(ORGANIZATIONS)],
            "language": "es" if spanish else "en",
            "status": status,
            "cancelled_at": registered_at + timedelta(days=3)
            if status == RegistrationStatus.CANCELLED
            else None,
        }
        registration, _created = upsert(Registration, {"training": training, "email": email}, values)
        result.append(registration)
    return result


def _attendance(training: Training, registrations: list[Registration], by: User | None) -> int:
    """Most registered people came: every fifth missed a day (or the whole of a short one)."""
    days = records.training_days(training)
    created = 0
    for index, registration in enumerate(registrations):
        if registration.status != RegistrationStatus.REGISTERED:
            continue
        if not days:  # self-paced: two in three finished the material
            if index % 3 == 2:
                continue
            finished = date(2019, 2, 1) + timedelta(days=7 * index)
            _mark, is_new = upsert(
                Attendance, {"registration": registration}, {"day": finished, "present": True, "minutes": 25}
            )
            created += is_new
            continue
        for day_index, day in enumerate(days):
            if index % 5 == 4 and day_index == len(days) - 1:
                continue
            minutes = None
            if training.modality == Modality.ONLINE:
                minutes = 60 - (index % 4) * 9 if index % 7 else 20
            _mark, is_new = upsert(
                Attendance,
                {"registration": registration, "day": day},
                {"present": True, "minutes": minutes, "recorded_by": by},
            )
            created += is_new
    return created


def _complete(training: Training, spec: dict[str, Any], by: User | None) -> int:
    """Apply the training's rule; completion dates are the training's end (or the day done)."""
    rule = records.CompletionRule(min_minutes=spec.get("min_minutes"))
    issued = 0
    for row in records.sheet(training):
        registration = row.registration
        if not rule.is_met(row):
            continue
        if registration.completed_at is None:
            marks = list(registration.attendance.all())
            done = training.ends_at or _at(max(mark.day for mark in marks), 18)
            registration.completed_at = done
            registration.save(update_fields=["completed_at"])
        if not Certificate.objects.filter(registration=registration).exists():
            with transaction.atomic():
                issued += records._issue(registration, by) is not None
    return issued


def _feedback(training: Training, admin: User | None) -> int:
    """The reaction form on the in-person training, with invitations and answers from most attendees."""
    instrument = Instrument.objects.filter(name="kirkpatrick-reaction").first()
    if instrument is None:
        return 0
    administration, _created = upsert(
        Administration,
        {"title": FEEDBACK_TITLE},
        {
            "instrument": instrument,
            "context_kind": ContextKind.TRAINING,
            "context_label": training.title,
            "time_point": TimePoint.ONCE,
            "opens_at": training.starts_at,
            "closes_at": training.ends_at + timedelta(days=14),
            "languages": "en es",
            "created_by": admin,
        },
    )
    if training.feedback_administration_id != administration.pk:
        training.feedback_administration = administration
        training.save(update_fields=["feedback_administration"])
    items = list(instrument.items.all())
    new = 0
    for index, registration in enumerate(records.attendees(training)):
        invitation, _is_new = upsert(
            Invitation,
            {"administration": administration, "email": registration.email},
            {"name": registration.name, "person": registration.person, "language": registration.language},
        )
        if index % 6 == 5 or Response.objects.filter(invitation=invitation).exists():
            continue  # one in six did not answer
        submitted = training.ends_at + timedelta(hours=1 + index)
        response = Response.objects.create(
            administration=administration,
            invitation=invitation,
            person=registration.person,
            respondent_key=f"person:{invitation.person_id}"
            if invitation.person_id
            else f"invitation:{invitation.pk}",
            language=registration.language,
            status=ResponseStatus.COMPLETE,
            started_at=submitted - timedelta(minutes=6),
            submitted_at=submitted,
        )
        answers = []
        for item_index, item in enumerate(items):
            if item.kind == ItemKind.TEXT:
                comment = COMMENTS[index % len(COMMENTS)][0 if item.code == "most_useful" else 1]
                if comment:
                    answers.append(Answer(response=response, item=item, text=comment))
            elif item.is_numeric:
                low, high = item.bounds()
                value = high - ((index + item_index) % 5 == 0) - ((index * item_index) % 11 == 3)
                answers.append(Answer(response=response, item=item, number=max(low, value)))
        Answer.objects.bulk_create(answers)
        new += 1
    return new


def load(stdout: TextIO) -> None:
    """Create or refresh the demo training program (after the accounts' and partners' demo data)."""
    usernames = {role: accounts_demo.DEMO_USERS[role][0] for role in (Role.ADMINISTRATOR, Role.FACILITATOR)}
    users = {role: User.objects.filter(username=name).first() for role, name in usernames.items()}
    facilitator, admin = users[Role.FACILITATOR], users[Role.ADMINISTRATOR]
    pool = _people_pool()
    new_trainings = new_attendance = new_certificates = new_responses = 0
    offset = 0
    with transaction.atomic():
        for spec in TRAININGS:
            training, created = _training(spec, facilitator, admin)
            new_trainings += created
            registrations = _registrations(training, spec, pool, offset)
            offset += spec["registrants"] + 3  # some people come to several trainings
            new_attendance += _attendance(training, registrations, facilitator)
            new_certificates += _complete(training, spec, facilitator)
            if spec["slug"] == FEEDBACK_TRAINING:
                new_responses += _feedback(training, admin)
    slugs = [spec["slug"] for spec in TRAININGS]
    stdout.write(
        _(
            "Training: %(trainings)d trainings (%(new_trainings)d new), %(registrations)d registrations, "
            "%(attendance)d new attendance records, %(certificates)d new certificates, "
            "%(responses)d new feedback responses.\n"
        )
        % {
            "trainings": len(slugs),
            "new_trainings": new_trainings,
            "registrations": Registration.objects.filter(training__slug__in=slugs).count(),
            "attendance": new_attendance,
            "certificates": new_certificates,
            "responses": new_responses,
        }
    )
