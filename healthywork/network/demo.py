"""The demo network: two waves of stored ties among the demo organizations, a closed partner survey
of the Healthy Work Collaborative's organizations in 2019, and two introductions from the gap finder.

The ties are invented (drawn with a fixed seed) so that the app's own metrics find what the program
reported (see `demo/hwc-public-facts.md`):

- "Baseline 2017": health organizations are tied among themselves and labor organizations among
  themselves (labor mostly in policy coalitions), with a handful of ties across; legal aid and the
  research and education organizations sit between the two and are the brokers;
- "After the collaborative 2019": most 2017 ties remain, some at a higher level of collaboration,
  a few are lost; each team's organizations now work together (joint programs) and more team
  organizations have ties with the other side, so the share of health-labor ties grows.

The catalog's co-partner ties and the survey's answers are derived when a graph is built
(`network.graph`), never stored here. The survey is closed; about four in five of its roster
submitted, rating every other member (higher within their team). Its links were issued and never
sent: nobody holds a working token. Respondents keep no IP address.

`load()` is idempotent: waves are keyed by name, ties by (wave, source, target, kind), the survey by
its title (its respondents and answers are made only with it), and introductions are made only when
the 2019 wave has none.
"""

import random
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple, TextIO

from django.db import transaction
from django.utils.translation import gettext as _

from healthywork.accounts import demo as accounts_demo
from healthywork.accounts.models import User
from healthywork.accounts.roles import Role
from healthywork.network.models import (
    Frequency,
    PartnerRating,
    PartnerSurvey,
    Provenance,
    Respondent,
    SurveyStatus,
    Tie,
    TieKind,
    TieStatus,
    Wave,
)
from healthywork.network.respond import CONTRIBUTIONS
from healthywork.partners import demo as partners_demo
from healthywork.partners.models import Organization

SEED = 2019
BASELINE = "Baseline 2017"
AFTER = "After the collaborative 2019"
WAVES = [
    (
        BASELINE,
        date(2017, 1, 1),
        date(2017, 12, 31),
        "The network at the time of the environmental scan (spring 2017), before the Healthy Work "
        "Collaborative: ties entered by program staff and ties named in the scan's interviews. "
        "Demo data: the ties are invented.",
    ),
    (
        AFTER,
        date(2019, 1, 1),
        date(2019, 12, 31),
        "The network a year after the collaborative's six sessions (summer 2018), while the eight "
        "teams carried out their initiatives; with the partner survey of the collaborative's "
        "organizations. Demo data: the ties and answers are invented.",
    ),
]
SURVEY_TITLE = "Healthy Work Collaborative partner survey 2019"
SURVEY_INTRODUCTION = (
    "This short survey asks how the organizations of the Healthy Work Collaborative work together "
    "a year after its sessions: first about your organization, then about each other member. It "
    "takes about 15 minutes. Your answers are used only for the collaborative's evaluation."
)
SURVEY_OPENED = datetime(2019, 9, 16, 14, 0, tzinfo=UTC)
SURVEY_CLOSED = datetime(2019, 11, 15, 23, 0, tzinfo=UTC)
SUBMITTED_SHARE = 0.8
MADE_AT = datetime(2019, 10, 8, 16, 30, tzinfo=UTC)

# Chance that two organizations have a stored tie in 2017, by their sector families (either order).
BASELINE_CHANCE: dict[frozenset, float] = {
    frozenset({"health"}): 0.17,
    frozenset({"labor"}): 0.2,
    frozenset({"health", "labor"}): 0.012,
    frozenset({"legal", "labor"}): 0.35,
    frozenset({"legal", "health"}): 0.1,
    frozenset({"research", "health"}): 0.22,
    frozenset({"research", "labor"}): 0.16,
    frozenset({"research"}): 0.3,
    frozenset({"community", "health"}): 0.18,
    frozenset({"community", "labor"}): 0.08,
    frozenset({"government", "health"}): 0.25,
    frozenset({"government", "business"}): 0.4,
    frozenset({"government"}): 0.5,
}
OTHER_CHANCE = 0.04
SAME_COUNTY = 2.0  # local organizations of one county meet more often
NEW_TIE_SHARE = 0.12  # of the 2017 chance, for ties new in 2019 outside the teams
NEW_HEALTH_LABOR = 4.0  # ... and that many times more for health and labor after the collaborative
LOST_SHARE = 0.08
STRENGTHENED_SHARE = 0.25
ACROSS_TEAMS_HEALTH_LABOR = 0.3  # team organizations of either side, not team-mates

KIND_WEIGHTS: dict[frozenset, dict[str, int]] = {
    frozenset({"labor"}): {
        TieKind.POLICY_COALITION: 40,
        TieKind.INFORMATION: 30,
        TieKind.JOINT_PROGRAMS: 15,
        TieKind.SHARED_RESOURCES: 15,
    },
    frozenset({"health"}): {
        TieKind.INFORMATION: 40,
        TieKind.REFERRALS: 25,
        TieKind.DATA_SHARING: 20,
        TieKind.JOINT_PROGRAMS: 15,
    },
    frozenset({"health", "labor"}): {
        TieKind.INFORMATION: 50,
        TieKind.REFERRALS: 30,
        TieKind.JOINT_PROGRAMS: 20,
    },
    frozenset({"legal", "labor"}): {
        TieKind.REFERRALS: 50,
        TieKind.INFORMATION: 25,
        TieKind.POLICY_COALITION: 25,
    },
    frozenset({"legal", "health"}): {TieKind.REFERRALS: 60, TieKind.INFORMATION: 40},
}
RESEARCH_KINDS = {
    TieKind.DATA_SHARING: 35,
    TieKind.INFORMATION: 35,
    TieKind.JOINT_PROGRAMS: 20,
    TieKind.FUNDING: 10,
}
OTHER_KINDS = {TieKind.INFORMATION: 60, TieKind.SHARED_RESOURCES: 20, TieKind.JOINT_PROGRAMS: 20}
LEVEL_WEIGHTS = {1: 28, 2: 30, 3: 22, 4: 12, 5: 8}
CONTRIBUTIONS_BY_FAMILY = {
    "health": ["health_expertise", "data", "paid_staff", "training", "in_kind"],
    "labor": ["labor_expertise", "community", "advocacy", "training", "volunteers"],
    "legal": ["labor_expertise", "advocacy", "paid_staff"],
    "research": ["data", "facilitation", "training", "funding", "health_expertise"],
}
OUTCOME_WEIGHTS = {
    "relationships": 9,
    "awareness": 6,
    "services": 4,
    "policy": 4,
    "shared_resources": 3,
    "health": 2,
    "funding": 2,
}
COMMENTS = [
    "The sessions with the labor trainers changed how our staff talk about work and health.",
    "We would like more time with the other teams, not only our own.",
    "Funding for a second year would let us finish the policy work we started.",
]


class OrganizationFacts(NamedTuple):
    pk: int
    name: str
    family: str
    county: str
    level: str


class PlannedTie(NamedTuple):
    source: int
    target: int
    kind: str
    level: int
    is_directed: bool
    provenance: str
    note: str


def _weighted(rng: random.Random, weights: dict) -> object:
    return rng.choices(list(weights), list(weights.values()))[0]


def _chance(a: OrganizationFacts, b: OrganizationFacts) -> float:
    chance = BASELINE_CHANCE.get(frozenset({a.family, b.family}), OTHER_CHANCE)
    if a.county and a.county == b.county and a.level == b.level == "local":
        chance *= SAME_COUNTY
    return min(chance, 0.9)


def _kinds(a: OrganizationFacts, b: OrganizationFacts) -> dict[str, int]:
    pair = frozenset({a.family, b.family})
    if pair in KIND_WEIGHTS:
        return KIND_WEIGHTS[pair]
    return RESEARCH_KINDS if "research" in pair else OTHER_KINDS


def _tie(
    rng: random.Random, a: OrganizationFacts, b: OrganizationFacts, *, kind: str | None = None, note: str = ""
) -> PlannedTie:
    kind = kind or str(_weighted(rng, _kinds(a, b)))
    level = int(_weighted(rng, LEVEL_WEIGHTS))
    if kind == TieKind.POLICY_COALITION:
        level = max(level, 2)
    is_directed = kind == TieKind.FUNDING or (kind == TieKind.REFERRALS and rng.random() < 0.7)
    source, target = (a, b) if rng.random() < 0.5 else (b, a)
    provenance = Provenance.INTERVIEW if rng.random() < 0.3 else Provenance.MANUAL
    return PlannedTie(source.pk, target.pk, kind, level, is_directed, provenance, note)


def _key(tie: PlannedTie) -> tuple[frozenset, str]:
    return frozenset({tie.source, tie.target}), tie.kind


def plan_ties(
    organizations: list[OrganizationFacts], teams: list[tuple[str, list[int]]]
) -> tuple[list, list]:
    """(2017 ties, 2019 ties) among `organizations` (sorted by name), with the same seed every time."""
    rng = random.Random(SEED)
    pairs = [(a, b) for index, a in enumerate(organizations) for b in organizations[index + 1 :]]
    baseline: dict[tuple[frozenset, str], PlannedTie] = {}
    for a, b in pairs:
        if rng.random() < _chance(a, b):
            tie = _tie(rng, a, b)
            baseline.setdefault(_key(tie), tie)

    after: dict[tuple[frozenset, str], PlannedTie] = {}
    for key, tie in baseline.items():
        draw = rng.random()
        if draw < LOST_SHARE:
            continue
        if draw < LOST_SHARE + STRENGTHENED_SHARE and tie.level < 5:
            tie = tie._replace(level=min(5, tie.level + rng.choice([1, 1, 2])))
        after[key] = tie._replace(provenance=Provenance.MANUAL)
    by_pk = {organization.pk: organization for organization in organizations}
    team_of: dict[int, set[str]] = {}
    for title, members in teams:
        for pk in members:
            team_of.setdefault(pk, set()).add(title)
        for index, source in enumerate(members):
            for target in members[index + 1 :]:
                note = f"Team of the Healthy Work Collaborative: {title}."
                tie = PlannedTie(
                    source,
                    target,
                    TieKind.JOINT_PROGRAMS,
                    rng.choice([3, 4, 4, 5]),
                    False,
                    Provenance.MANUAL,
                    note,
                )
                if _key(tie) in after:
                    tie = tie._replace(level=max(tie.level, after[_key(tie)].level))
                after[_key(tie)] = tie
    tied = {frozenset({tie.source, tie.target}) for tie in after.values()}
    team_members = sorted(team_of, key=lambda pk: by_pk[pk].name)
    for index, a_pk in enumerate(team_members):
        for b_pk in team_members[index + 1 :]:
            a, b = by_pk[a_pk], by_pk[b_pk]
            if {a.family, b.family} != {"health", "labor"} or team_of[a_pk] & team_of[b_pk]:
                continue
            if frozenset({a_pk, b_pk}) not in tied and rng.random() < ACROSS_TEAMS_HEALTH_LABOR:
                tie = _tie(rng, a, b, note="Met at the Healthy Work Collaborative's sessions.")
                after[_key(tie)] = tie._replace(provenance=Provenance.MANUAL)
                tied.add(frozenset({a_pk, b_pk}))
    for a, b in pairs:
        if frozenset({a.pk, b.pk}) in tied:
            continue
        boost = NEW_HEALTH_LABOR if {a.family, b.family} == {"health", "labor"} else 1.0
        if rng.random() < _chance(a, b) * NEW_TIE_SHARE * boost:
            tie = _tie(rng, a, b)
            after.setdefault(_key(tie), tie._replace(provenance=Provenance.MANUAL))
    return list(baseline.values()), list(after.values())


def _organizations() -> list[OrganizationFacts]:
    names = [spec["name"] for spec in partners_demo.ORGANIZATIONS]
    rows = (
        Organization.objects.filter(name__in=names, merged_into__isnull=True)
        .order_by("name", "pk")
        .values_list("pk", "name", "sector__family", "county", "level")
    )
    return [OrganizationFacts(*row) for row in rows]


def _store_ties(wave: Wave, planned: list[PlannedTie], by: User | None) -> int:
    """Create the planned ties the wave does not have yet; returns how many were created."""
    existing = {
        (frozenset({source, target}), kind)
        for source, target, kind in Tie.objects.filter(wave=wave).values_list(
            "source_id", "target_id", "kind"
        )
    }
    new = [
        Tie(
            wave=wave,
            source_id=tie.source,
            target_id=tie.target,
            kind=tie.kind,
            level=tie.level,
            is_directed=tie.is_directed,
            provenance=tie.provenance,
            note=tie.note,
            created_by=by,
        )
        for tie in planned
        if _key(tie) not in existing
    ]
    Tie.objects.bulk_create(new, batch_size=500)
    return len(new)


def _roster() -> list[Organization]:
    """The collaborative's organizations: every team's members and the Center that ran it."""
    found: dict[int, Organization] = {}
    for _title, members in partners_demo.team_organizations():
        for organization in members:
            found.setdefault(organization.pk, organization)
    center = Organization.objects.filter(name=partners_demo.CENTER, merged_into__isnull=True).first()
    if center is not None:
        found.setdefault(center.pk, center)
    return sorted(found.values(), key=lambda organization: organization.name)


def _rating(
    rng: random.Random, respondent: Respondent, partner: Organization, teammates: bool
) -> PartnerRating:
    interacts = teammates or rng.random() < 0.6
    if not interacts:
        return PartnerRating(
            respondent=respondent, partner=partner, interacts=False, frequency=Frequency.NEVER, level=0
        )
    if teammates:
        level = rng.choice([3, 4, 4, 5, 5])
        frequency = rng.choice([Frequency.WEEKLY, Frequency.MONTHLY, Frequency.MONTHLY])
        kinds = [TieKind.JOINT_PROGRAMS, TieKind.INFORMATION]
        if rng.random() < 0.4:
            kinds.append(TieKind.POLICY_COALITION)
        floor = 3
    else:
        level = rng.choice([1, 1, 2, 2, 3])
        frequency = rng.choice(
            [Frequency.YEARLY, Frequency.QUARTERLY, Frequency.QUARTERLY, Frequency.MONTHLY]
        )
        kinds = rng.sample([TieKind.INFORMATION, TieKind.REFERRALS, TieKind.DATA_SHARING], rng.randint(1, 2))
        floor = 2

    def score() -> int:
        return (
            min(4, floor + (rng.random() < 0.5) + (rng.random() < 0.15)) if rng.random() > 0.08 else floor - 1
        )

    return PartnerRating(
        respondent=respondent,
        partner=partner,
        interacts=True,
        frequency=frequency,
        level=level,
        kinds=kinds,
        trust_reliability=score(),
        trust_mission=score(),
        trust_openness=score(),
        value_power=score(),
        value_involvement=score(),
        value_resources=score(),
    )


def _store_survey(wave: Wave, by: User | None) -> tuple[PartnerSurvey, bool]:
    """The closed 2019 survey with its roster, answers and ratings (made only with the survey)."""
    from healthywork.network.surveys import contact_for

    survey = PartnerSurvey.objects.filter(title=SURVEY_TITLE).first()
    if survey is not None:
        return survey, False
    survey = PartnerSurvey.objects.create(
        wave=wave,
        title=SURVEY_TITLE,
        introduction=SURVEY_INTRODUCTION,
        status=SurveyStatus.CLOSED,
        closes_at=SURVEY_CLOSED,
        created_by=by,
    )
    rng = random.Random(SEED + 1)
    roster = _roster()
    families = dict(
        Organization.objects.filter(pk__in=[o.pk for o in roster]).values_list("pk", "sector__family")
    )
    team_sets = [{o.pk for o in members} for _title, members in partners_demo.team_organizations()]
    center = next((o.pk for o in roster if o.name == partners_demo.CENTER), None)
    submitted = set(rng.sample(range(len(roster)), round(len(roster) * SUBMITTED_SHARE)))
    respondents = []
    for index, organization in enumerate(roster):
        name, email, language = contact_for(organization)
        respondent = Respondent(
            survey=survey,
            organization=organization,
            contact_name=name,
            email=email,
            language=language,
            expires_at=SURVEY_CLOSED,
            invited_at=SURVEY_OPENED,
        )
        respondent.issue_token()  # never sent: the survey is closed and nobody holds the link
        if index in submitted:
            respondent.started_at = SURVEY_OPENED + timedelta(
                days=rng.randint(0, 30), hours=rng.randint(1, 8)
            )
            respondent.submitted_at = respondent.started_at + timedelta(minutes=rng.randint(9, 45))
            family = families.get(organization.pk) or ""
            offered = CONTRIBUTIONS_BY_FAMILY.get(family, [value for value, _label in CONTRIBUTIONS])
            respondent.contributions = sorted(rng.sample(offered, min(len(offered), rng.randint(2, 4))))
            respondent.outcomes = sorted(
                {str(_weighted(rng, OUTCOME_WEIGHTS)) for _ in range(rng.randint(2, 4))}
            )
            respondent.success = rng.choice([3, 4, 4, 4, 5, 5])
            respondent.comments = COMMENTS[index % len(COMMENTS)] if index % 4 == 0 else ""
        elif index % 2 == 0:
            respondent.started_at = SURVEY_OPENED + timedelta(days=rng.randint(3, 40))
        if respondent.submitted_at is None:
            respondent.reminders_sent = 2
            respondent.reminded_at = SURVEY_OPENED + timedelta(days=28)
        respondents.append(respondent)
    Respondent.objects.bulk_create(respondents)
    respondents = list(survey.respondents.select_related("organization").order_by("organization__name"))
    ratings = []
    for respondent in respondents:
        if not respondent.is_submitted:
            continue
        own = respondent.organization_id
        for partner in roster:
            if partner.pk == own:
                continue
            teammates = any({own, partner.pk} <= team for team in team_sets) or center in (own, partner.pk)
            ratings.append(_rating(rng, respondent, partner, teammates))
    PartnerRating.objects.bulk_create(ratings, batch_size=500)
    return survey, True


def _store_introductions(wave: Wave, by: User | None) -> int:
    """Two introductions the gap finder suggests for 2019: one still planned, one made."""
    from healthywork.network.gaps import find_gaps

    if Tie.objects.filter(wave=wave, provenance=Provenance.INTRODUCTION).exists():
        return 0
    suggestions = find_gaps(wave, user=by, limit=2)
    ties = []
    for index, suggestion in enumerate(suggestions[:2]):
        is_made = index == 1
        ties.append(
            Tie(
                wave=wave,
                source_id=suggestion.source.id,
                target_id=suggestion.target.id,
                kind=TieKind.INFORMATION,
                is_directed=False,
                provenance=Provenance.INTRODUCTION,
                status=TieStatus.ACTIVE if is_made else TieStatus.PLANNED,
                reason=suggestion.reason,
                made_at=MADE_AT if is_made else None,
                note="Introduced at a Healthy Work Collaborative network meeting." if is_made else "",
                created_by=by,
            )
        )
    Tie.objects.bulk_create(ties)
    return len(ties)


@transaction.atomic
def load(stdout: TextIO) -> None:
    """Create the demo waves, stored ties, the closed 2019 partner survey and two introductions
    (after the accounts', partners' and catalog's demo data)."""
    organizations = _organizations()
    if not organizations:
        stdout.write(_("Network: skipped (load the demo organizations first).\n"))
        return
    by = User.objects.filter(
        username=accounts_demo.DEMO_USERS[Role.ADMINISTRATOR][0], role=Role.ADMINISTRATOR
    ).first()
    waves = {}
    for name, start_date, end_date, description in WAVES:
        waves[name], _created = Wave.objects.get_or_create(
            name=name, defaults={"start_date": start_date, "end_date": end_date, "description": description}
        )
    teams = [(title, [o.pk for o in members]) for title, members in partners_demo.team_organizations()]
    baseline, after = plan_ties(organizations, teams)
    new_ties = _store_ties(waves[BASELINE], baseline, by) + _store_ties(waves[AFTER], after, by)
    survey, survey_created = _store_survey(waves[AFTER], by)
    introductions = _store_introductions(waves[AFTER], by)
    stdout.write(
        _(
            "Network: %(waves)d waves, %(ties)d stored ties (%(new_ties)d new), a partner survey of "
            "%(respondents)d organizations (%(new_surveys)d new), %(introductions)d new introductions.\n"
        )
        % {
            "waves": len(waves),
            "ties": Tie.objects.filter(wave__in=waves.values()).count(),
            "new_ties": new_ties,
            "respondents": survey.respondents.count(),
            "new_surveys": int(survey_created),
            "introductions": introductions,
        }
    )
