"""The demo environmental scan: the project "Environmental scan 2017" with the scan's interview
guide and codebook, one interview and one invented transcript for each of the 55 scan
organizations (spring and summer 2017), codings by two coders with a closed blind round over 20
transcripts, a few memos and links from quotes to the catalog's initiatives.

The transcripts come from `demo_transcripts` (sentence banks, seeded), so the app's own analysis
finds the scan's published finding in them: labor organizations talk of public policy and
organizing, health organizations of trainings and internal policies, and few of either work with
the other. Since the generator knows which bank each sentence came from, the coders' codings are
drawn from that: the first coder codes all 55 transcripts, the second the round's 20, and they
mostly agree (a missed sentence, a sibling code, a coding running into the next sentence).

`load()` is idempotent: the project, members, interviews, documents and the round are keyed by
name (title, organization); codings are made only for documents created in the same run, and the
guide, the de-identification and the round's closing happen only when their object is new.
"""

import random
from datetime import UTC, date, datetime, timedelta
from typing import TextIO

from django.db import transaction
from django.utils.translation import gettext as _

from healthywork.accounts import demo as accounts_demo
from healthywork.accounts.models import User
from healthywork.accounts.roles import Role
from healthywork.catalog.models import Initiative
from healthywork.partners import demo as partners_demo
from healthywork.partners.models import Affiliation, Organization
from healthywork.scan import demo_transcripts
from healthywork.scan.models import (
    Code,
    Coding,
    Document,
    Interview,
    InterviewMode,
    InterviewStatus,
    Memo,
    Project,
    ProjectMember,
    ProjectRole,
    Pseudonym,
    QuoteLink,
    Round,
    RoundStatus,
    RoundUnit,
)

SEED = 2017
PROJECT_NAME = "Environmental scan 2017"
PROJECT_DESCRIPTION = (
    "Guided interviews with 55 organizations in seven sectors (public health, healthcare, nonprofit, "
    "labor, legal, research, education), spring and summer 2017, on the five topics of the scan's "
    "interview guide. Demo data: the transcripts are invented."
)
ROUND_NAME = "Double-coding of 20 transcripts"
ROUND_INSTRUCTIONS = (
    "Code whole sentences with the most specific code that fits; use a top-level code only when no "
    "child code does. Do not look at the other coder's work until the round closes."
)
ROUND_SIZE = 20
# Invented, like every demo user; not "demo-…", which names the one demo user of each role.
SECOND_CODER = ("coder2", "Camille", "Osei")
# Worker centres whose interview was held in Spanish.
SPANISH_INTERVIEWS = [
    "Centro de Trabajadores Unidos",
    "Casa del Trabajador Kettle River",
    "Southwest Side Temp Workers Committee",
]
PSEUDONYMS = [
    ("Dolores", "[Colleague A]"),
    ("Marcus", "[Colleague B]"),
    ("Lupita", "[Colleague C]"),
    ("Trevor", "[Colleague D]"),
    ("Yesenia", "[Colleague E]"),
]

# Each sentence bank is coded with one code of the scan codebook (`codebook.SCAN_CODEBOOK`),
# given by its path; a top-level code where no child code fits (internal policies and wellness
# classes are "Initiatives", by the policy code's own rule).
SWOT = "Strengths, opportunities, challenges and threats"
NETWORKS = "Business and employment networks"
POLICY = "Policy proposals under way"
SKILLS = "Initiatives that build workers' skills and knowledge"
CHANNELS = "Communication channels"
COLLABORATION = "Health–labor collaboration"
BANK_CODES: dict[str, tuple[str, ...]] = {
    "swot.strength": (SWOT, "Organizational strength"),
    "swot.opportunity": (SWOT, "Opportunity"),
    "swot.limited_knowledge": (SWOT, "Limited knowledge of precarious work"),
    "swot.funding": (SWOT, "Funding constraints"),
    "swot.retaliation": (SWOT, "Workers' fear of retaliation"),
    "swot.threat": (SWOT, "External threat"),
    "networks.employer": (NETWORKS, "Employers and business associations"),
    "networks.labor": (NETWORKS, "Unions and worker centers"),
    "collab.barrier": (COLLABORATION, "Barrier to collaboration"),
    "collab.partnership": (COLLABORATION, "Existing partnership"),
    "policy.sick_leave": (POLICY, "Paid sick leave"),
    "policy.scheduling": (POLICY, "Fair scheduling"),
    "policy.minimum_wage": (POLICY, "Minimum wage"),
    "policy.wage_theft": (POLICY, "Wage theft enforcement"),
    "policy.osh": (POLICY, "Occupational safety and health standards"),
    "policy.internal": (SKILLS,),
    "skills.rights": (SKILLS, "Know-your-rights training"),
    "skills.safety": (SKILLS, "Health and safety training"),
    "skills.wellness": (SKILLS,),
    "skills.leadership": (SKILLS, "Know-your-rights training"),
    "communication.social": (CHANNELS, "Social media and messaging"),
    "communication.media": (CHANNELS, "Radio, TV and print"),
    "communication.meetings": (CHANNELS, "In-person outreach"),
}
# Catalog action types a quote of these codes may be the source of.
QUOTE_ACTIONS = {
    POLICY: {"public-policy-advocacy", "legislation-regulation"},
    SKILLS: {"training-education"},
}
QUOTE_LINKS = 8

# How the coders differ. The first coder misses a few sentences and often codes two sentences of
# one theme together; the second, on the round's documents, misses some of the first coder's
# sentences, picks a sibling (or the parent) code for others, runs some codings on into the next
# sentence and codes some sentences the first coder missed.
FIRST_MISSES = 0.04
FIRST_JOINS = 0.5
SECOND_MISSES = 0.09
SECOND_SUBSTITUTES = 0.08
SECOND_RUNS_ON = 0.06
SECOND_FINDS = 0.5

MEMOS = [
    (
        "code",
        "Limited knowledge of precarious work",
        "Health departments say again and again that they do not ask about jobs. Check whether this "
        "holds for the hospital and clinic interviews too.",
    ),
    (
        "code",
        "Barrier to collaboration",
        "Both sides name the other as hard to reach, in almost the same words. A question for the "
        "stakeholder meetings.",
    ),
    (
        "code",
        SKILLS,
        "Wellness classes and internal wellness policies are coded here at the top level: no child "
        "code fits them, and the policy code's rule sends internal policies here.",
    ),
    (
        "document",
        "labor",
        "A strong example of worker-led policy work; a candidate quote for the stakeholder meetings.",
    ),
    (
        "document",
        "health",
        "Typical of the health departments: training and internal policy, nothing on precarious work "
        "as such.",
    ),
]


def _users() -> dict[str, User] | None:
    """The demo administrator, facilitator and coder (made by accounts.demo), and the second coder."""
    usernames = {role: accounts_demo.DEMO_USERS[role][0] for role in (Role.ADMINISTRATOR, Role.FACILITATOR)}
    usernames[Role.CODER] = accounts_demo.DEMO_USERS[Role.CODER][0]
    users = {role: User.objects.filter(username=username).first() for role, username in usernames.items()}
    if any(user is None for user in users.values()):
        return None
    username, first_name, last_name = SECOND_CODER
    second, _created = User.objects.get_or_create(username=username)
    # The same password as the other demo users: their stored hash is copied, so no slow hash here.
    values = {
        "role": Role.CODER,
        "first_name": first_name,
        "last_name": last_name,
        "email": f"{username}@example.org",
        "is_active": True,
        "password": users[Role.CODER].password,
    }
    changed = [field for field, value in values.items() if getattr(second, field) != value]
    for field in changed:
        setattr(second, field, values[field])
    if changed:
        second.save(update_fields=changed)
    return {
        "administrator": users[Role.ADMINISTRATOR],
        "facilitator": users[Role.FACILITATOR],
        "coder": users[Role.CODER],
        "coder2": second,
    }


def _member(project: Project, user: User, role: str) -> None:
    member, created = ProjectMember.objects.get_or_create(project=project, user=user, defaults={"role": role})
    if not created and member.role != role:
        member.role = role
        member.save(update_fields=["role"])


def _code_paths(project: Project) -> dict[tuple[str, ...], Code]:
    codes = {code.pk: code for code in Code.objects.filter(project=project)}

    def path(code: Code) -> tuple[str, ...]:
        parent = codes.get(code.parent_id)
        return (*path(parent), code.name) if parent else (code.name,)

    return {path(code): code for code in codes.values()}


def interview_plans(organizations: list[Organization]) -> list[dict]:
    """Date, mode, interviewer and transcript of each organization's interview (seeded)."""
    rng = random.Random(SEED)
    first_day, days = date(2017, 3, 20), 140  # spring to mid-August
    plans = []
    for organization in sorted(organizations, key=lambda item: item.name):
        day = first_day + timedelta(days=rng.randrange(days))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        family = organization.sector.family
        language = "es" if organization.name in SPANISH_INTERVIEWS else "en"
        plans.append(
            {
                "organization": organization,
                "family": family,
                "scheduled_at": datetime(
                    day.year, day.month, day.day, rng.choice([9, 10, 11, 13, 14, 15]), 0, tzinfo=UTC
                ),
                "consent_date": day - timedelta(days=rng.randint(0, 10)),
                "duration": rng.randrange(35, 85, 5),
                "mode": rng.choices(
                    [InterviewMode.PHONE, InterviewMode.IN_PERSON, InterviewMode.VIDEO], [50, 35, 15]
                )[0],
                "interviewer": rng.choice(["administrator", "facilitator"]),
                "transcript": demo_transcripts.generate(rng, family, language=language),
            }
        )
    # The round's documents: as many health as labor transcripts, and a few of the other sectors.
    by_side: dict[str, list[dict]] = {"health": [], "labor": [], "other": []}
    for plan in plans:
        by_side[plan["family"] if plan["family"] in ("health", "labor") else "other"].append(plan)
    chosen = (
        rng.sample(by_side["health"], 8) + rng.sample(by_side["labor"], 8) + rng.sample(by_side["other"], 4)
    )
    for plan in plans:
        plan["in_round"] = any(plan is other for other in chosen)
    return plans


def document_title(organization: Organization) -> str:
    return f"{organization.name}: interview transcript"


def _siblings(code: Code, codes: list[Code]) -> list[Code]:
    others = [other for other in codes if other.parent_id == code.parent_id and other.pk != code.pk]
    parent = [other for other in codes if other.pk == code.parent_id]
    return others + parent


def plan_codings(
    rng: random.Random, transcript: demo_transcripts.Transcript, codes: dict[str, Code], all_codes: list[Code]
) -> tuple[list[tuple[Code, int, int]], list[tuple[Code, int, int]]]:
    """The first and the second coder's codings (code, start, end) of one transcript."""
    segments = transcript.segments
    first: list[tuple[Code, int, int]] = []
    coded_by_first: set[int] = set()
    index = 0
    while index < len(segments):
        segment = segments[index]
        following = segments[index + 1] if index + 1 < len(segments) else None
        if rng.random() < FIRST_MISSES:
            index += 1
            continue
        if (
            following is not None
            and following.answer == segment.answer
            and following.bank == segment.bank
            and rng.random() < FIRST_JOINS
        ):
            first.append((codes[segment.bank], segment.start, following.end))
            coded_by_first.update({index, index + 1})
            index += 2
            continue
        first.append((codes[segment.bank], segment.start, segment.end))
        coded_by_first.add(index)
        index += 1

    second: list[tuple[Code, int, int]] = []
    for index, segment in enumerate(segments):
        code = codes[segment.bank]
        if index not in coded_by_first:
            if rng.random() < SECOND_FINDS:
                second.append((code, segment.start, segment.end))
            continue
        draw = rng.random()
        if draw < SECOND_MISSES:
            continue
        draw -= SECOND_MISSES
        if draw < SECOND_SUBSTITUTES and _siblings(code, all_codes):
            second.append((rng.choice(_siblings(code, all_codes)), segment.start, segment.end))
            continue
        draw -= SECOND_SUBSTITUTES
        following = segments[index + 1] if index + 1 < len(segments) else None
        if draw < SECOND_RUNS_ON and following is not None and following.answer == segment.answer:
            second.append((code, segment.start, following.end))
            continue
        second.append((code, segment.start, segment.end))
    # Two codings of one code and coder that touch make one, as a person would have drawn it.
    return first, _joined(second)


def _joined(codings: list[tuple[Code, int, int]]) -> list[tuple[Code, int, int]]:
    joined: list[tuple[Code, int, int]] = []
    for code, start, end in sorted(codings, key=lambda item: (item[0].pk, item[1])):
        if joined and joined[-1][0].pk == code.pk and start <= joined[-1][2] + 1:
            joined[-1] = (code, joined[-1][1], max(end, joined[-1][2]))
        else:
            joined.append((code, start, end))
    return sorted(joined, key=lambda item: (item[1], item[0].pk))


@transaction.atomic
def load(stdout: TextIO) -> None:
    """Create the demo scan project with its interviews, transcripts, codings, round, memos and
    quote links (after the accounts', partners' and catalog's demo data)."""
    from healthywork.scan.codebook import seed_scan_codebook
    from healthywork.scan.guides import SCAN_GUIDE_TITLE, seed_scan_guide
    from healthywork.scan.rounds import close_round, open_round

    users = _users()
    organizations = list(partners_demo.scan_organizations().select_related("sector"))
    if users is None or not organizations:
        stdout.write(_("Scan: skipped (load the demo users and organizations first).\n"))
        return
    administrator = users["administrator"]
    project, _created = Project.objects.get_or_create(
        name=PROJECT_NAME, defaults={"description": PROJECT_DESCRIPTION, "keep_originals": True}
    )
    _member(project, administrator, ProjectRole.LEAD)
    _member(project, users["coder"], ProjectRole.CODER)
    _member(project, users["coder2"], ProjectRole.CODER)
    guide = project.guides.filter(title=SCAN_GUIDE_TITLE).order_by("version").first()
    if guide is None:
        guide = seed_scan_guide(project, by=administrator)
    seed_scan_codebook(project, by=administrator)
    paths = _code_paths(project)
    all_codes = list(paths.values())
    bank_codes = {bank: paths[path] for bank, path in BANK_CODES.items() if path in paths}
    for name, pseudonym in PSEUDONYMS:
        Pseudonym.objects.get_or_create(project=project, name=name, defaults={"pseudonym": pseudonym})

    plans = interview_plans(organizations)
    interviews = {item.organization_id: item for item in Interview.objects.filter(project=project)}
    documents = {item.title: item for item in Document.objects.filter(project=project)}
    interviewees = {}
    for person_id, organization_id in (
        Affiliation.objects.filter(organization__in=organizations, end_date__isnull=True)
        .order_by("person__name")
        .values_list("person_id", "organization_id")
    ):
        interviewees.setdefault(organization_id, person_id)
    new_documents: list[tuple[Document, dict]] = []
    for plan in plans:
        organization = plan["organization"]
        interview = interviews.get(organization.pk)
        if interview is None:
            interview = Interview.objects.create(
                project=project,
                organization=organization,
                interviewer=users[plan["interviewer"]],
                scheduled_at=plan["scheduled_at"],
                duration_minutes=plan["duration"],
                mode=plan["mode"],
                guide=guide,
                consent_recorded=True,
                consent_date=plan["consent_date"],
                status=InterviewStatus.CODED,
            )
            if organization.pk in interviewees:
                interview.interviewees.add(interviewees[organization.pk])
        title = document_title(organization)
        if title not in documents:
            transcript = plan["transcript"]
            document = Document.objects.create(
                project=project,
                interview=interview,
                title=title,
                language=transcript.language,
                text=transcript.text,
                created_by=administrator,
            )
            documents[title] = document
            new_documents.append((document, plan))

    blind_round = Round.objects.filter(project=project, name=ROUND_NAME).first()
    is_new_round = blind_round is None
    if is_new_round:
        blind_round = open_round(
            project,
            name=ROUND_NAME,
            documents=[documents[document_title(plan["organization"])] for plan in plans if plan["in_round"]],
            coders=[users["coder"], users["coder2"]],
            unit=RoundUnit.SENTENCE,
            instructions=ROUND_INSTRUCTIONS,
            by=administrator,
        )
    round_documents = set(blind_round.documents.values_list("pk", flat=True))
    rng = random.Random(SEED + 1)
    codings: list[Coding] = []
    for document, plan in new_documents:
        first, second = plan_codings(rng, plan["transcript"], bank_codes, all_codes)
        in_round = document.pk in round_documents
        batches = [(users["coder"], first)] + ([(users["coder2"], second)] if in_round else [])
        for coder, spans in batches:
            codings += [
                Coding(
                    document=document,
                    code=code,
                    coder=coder,
                    round=blind_round if in_round else None,
                    start_offset=start,
                    end_offset=end,
                    snippet=document.text[start:end],
                )
                for code, start, end in spans
            ]
    Coding.objects.bulk_create(codings, batch_size=500)

    if new_documents:
        from healthywork.scan.deidentify import apply as deidentify

        deidentify(project, by=administrator)
    if is_new_round and blind_round.status == RoundStatus.OPEN:
        close_round(blind_round, by=administrator)
    memos = _memos(project, paths, users)
    links = _quote_links(project, paths, administrator)

    stdout.write(
        _(
            "Scan: project “%(project)s” with %(interviews)d interviews, %(documents)d transcripts "
            "(%(new)d new), %(codings)d new codings, %(memos)d new memos, %(links)d new quote links.\n"
        )
        % {
            "project": project.name,
            "interviews": project.interviews.count(),
            "documents": project.documents.count(),
            "new": len(new_documents),
            "codings": len(codings),
            "memos": memos,
            "links": links,
        }
    )


def _memos(project: Project, paths: dict[tuple[str, ...], Code], users: dict[str, User]) -> int:
    by_name = {path[-1]: code for path, code in paths.items()}
    families = {
        document.pk: document.interview.organization.sector.family
        for document in Document.objects.filter(project=project)
        .select_related("interview__organization__sector")
        .order_by("title")
    }
    created = 0
    for index, (kind, target, text) in enumerate(MEMOS):
        if Memo.objects.filter(project=project, text=text).exists():
            continue
        author = users["administrator"] if index % 2 == 0 else users["coder"]
        if kind == "code" and target in by_name:
            Memo.objects.create(project=project, code=by_name[target], author=author, text=text)
            created += 1
        elif kind == "document":
            document_pk = next((pk for pk, family in families.items() if family == target), None)
            if document_pk is not None:
                Memo.objects.create(project=project, document_id=document_pk, author=author, text=text)
                created += 1
    return created


def _quote_links(project: Project, paths: dict[tuple[str, ...], Code], administrator: User) -> int:
    """Link a few policy and training quotes to initiatives of the same organization."""
    created = 0
    seen_initiatives: set[int] = set()
    for top, actions in QUOTE_ACTIONS.items():
        codes = [code for path, code in paths.items() if path[0] == top]
        initiatives: dict[int, list[Initiative]] = {}
        for initiative in Initiative.objects.filter(action_type__slug__in=actions).order_by("title", "pk"):
            initiatives.setdefault(initiative.lead_organization_id, []).append(initiative)
        candidates = (
            Coding.objects.filter(
                document__project=project,
                code__in=codes,
                coder__username=accounts_demo.DEMO_USERS[Role.CODER][0],
                document__interview__organization__in=list(initiatives),
            )
            .select_related("document__interview")
            .order_by("document__title", "start_offset", "pk")
        )
        per_top = 0
        used_documents: set[int] = set()
        for coding in candidates:
            if per_top >= QUOTE_LINKS // len(QUOTE_ACTIONS) or coding.document_id in used_documents:
                continue
            organization_id = coding.document.interview.organization_id
            initiative = next(
                (item for item in initiatives[organization_id] if item.pk not in seen_initiatives), None
            )
            if initiative is None:
                continue
            _link, was_created = QuoteLink.objects.get_or_create(
                coding=coding, initiative=initiative, defaults={"created_by": administrator}
            )
            created += was_created
            seen_initiatives.add(initiative.pk)
            used_documents.add(coding.document_id)
            per_top += 1
    return created


def logins() -> list[tuple[str, str, str]]:
    """The second coder's login (the other demo users are printed by accounts.demo)."""
    return [(_("Second coder of the scan"), SECOND_CODER[0], accounts_demo.demo_password())]
