"""The demo collaborative: the Healthy Work Collaborative of 2018 (see `demo/hwc-public-facts.md`).

Eight teams by their case-study titles with their real member organizations (lead first), each
with its accepted application, its people (the registry's fictional people of its organizations,
and the demo team member's account on the first team) and its definition of precarious work; one
declined application; six sessions in summer 2018 (power mapping, theory of change and action
planning taught by labor partners) with attendance and one deliverable per team per session.

The organizations and the sessions' shape are public; applications, definitions, attendance,
deliverable statuses and every person are invented. `load()` is idempotent: rows are keyed by
name (cohort, team, session number, deliverable title, person) and saved only where a value
differs, so a second run changes nothing.
"""

from datetime import UTC, date, datetime, timedelta
from typing import Any, TextIO

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from healthywork.accounts import demo as accounts_demo
from healthywork.accounts.models import User
from healthywork.accounts.roles import Role
from healthywork.catalog.models import Condition
from healthywork.collaborative.models import (
    Application,
    ApplicationStatus,
    Attendance,
    Cohort,
    CohortStatus,
    Deliverable,
    DeliverableStatus,
    EPRESDimension,
    Membership,
    MembershipRole,
    Session,
    Team,
    TeamPerson,
)
from healthywork.partners import demo as partners_demo
from healthywork.partners.models import Organization, Person

COHORT = "Healthy Work Collaborative 2018"
COHORT_VALUES: dict[str, Any] = {
    "description": (
        "Eight multi-sector teams of public health, healthcare, labor, government and nonprofit "
        "organizations met for six sessions in the summer of 2018 at the school of public health. "
        "Labor partners, as content experts, led the trainings on Power Mapping, Theory of Change "
        "and Action Planning; Center for Healthy Work staff facilitated. Each team left with a "
        "definition of precarious work, a work plan and recommendations, and from the fall "
        "implemented its initiative with funding and technical assistance. Demo data: the teams "
        "and their organizations are public; applications, attendance and people are invented."
    ),
    "start_date": date(2018, 4, 2),
    "end_date": date(2018, 12, 21),
    "status": CohortStatus.COMPLETED,
    "applications_close": date(2018, 4, 30),
    "shares_work": False,
}
MEMBER_TEAM = "Advancing Labor Rights in Immigrant Communities"

# Fictional labor partners who gave technical assistance to teams without a labor organization.
ASSISTANCE = {
    "Advocating for Healthier Communities": ["Prairie State Workers' Safety Committee"],
    "Raising Awareness About Precarious Work and Health": ["Southwest Side Temp Workers Committee"],
    "Setting New Standards for Internship Equity": ["Prairie State Labor Federation"],
    "Stable Employment for Community Health Workers": ["Prairie State Workers' Safety Committee"],
}

# Per team: focus (the application's proposed focus), why now, the definition of precarious work,
# the healthy-work conditions and the EPRES dimensions it covers. Invented, after each team's story.
TEAM_STORIES: dict[str, dict[str, Any]] = {
    "Advancing Labor Rights in Immigrant Communities": {
        "focus": "Bring labor-rights education and wage-theft help into the health department's "
        "outreach to immigrant workers in suburban Cook County.",
        "why_now": "Wage theft and injuries go unreported in suburban day labor and warehouse work; the "
        "health department's outreach workers already reach these families but cannot answer labor "
        "questions.",
        "definition": "Precarious work is work where you can be sent home, underpaid or fired without "
        "recourse: day labor and temp jobs without a steady schedule, pay below the minimum or not "
        "paid at all, and fear of speaking up because of immigration status. It harms the health of "
        "workers and of the families who depend on them.",
        "conditions": [
            "free-from-hazards",
            "living-wage",
            "job-security",
            "free-from-discrimination",
            "voice-and-organizing",
        ],
        "dimensions": ["temporariness", "disempowerment", "vulnerability", "wages", "exercise_of_rights"],
    },
    "Advocating for Healthier Communities": {
        "focus": "Make good jobs part of the county's health and economic development plans in rural "
        "Boone County.",
        "why_now": "The county's comprehensive plan and community health improvement plan both name "
        "workforce and the social determinants of health; the county board reviews its economic "
        "development incentives next year.",
        "definition": "In our county precarious work means jobs in manufacturing, warehousing and "
        "agriculture that are temporary or seasonal, come through staffing agencies, pay too little to "
        "support a family and offer no health insurance or path to advancement.",
        "conditions": ["living-wage", "job-security", "benefits", "advancement"],
        "dimensions": ["temporariness", "wages", "rights"],
    },
    "Building Community Support for Healthy Work": {
        "focus": "Train community and faith leaders as allies of workers who speak up about unsafe or "
        "unfair conditions.",
        "why_now": "Workers who organize face retaliation and isolation; congregations and community "
        "groups want to help but do not know workers' rights or how to back a campaign.",
        "definition": "Precarious work is work that leaves people alone against their employer: no "
        "contract, no union, no one to call when wages are stolen or a supervisor threatens them. "
        "Community support is part of the remedy.",
        "conditions": ["free-from-discrimination", "voice-and-organizing", "living-wage", "job-security"],
        "dimensions": ["disempowerment", "vulnerability", "rights", "exercise_of_rights"],
    },
    "Comprehensive Support for Workers' Health": {
        "focus": "Screen patients of the county's clinics for work-related problems and refer them to "
        "legal aid and the worker center.",
        "why_now": "Clinic staff see injuries and stress caused by temp work every day but have nowhere to "
        "send patients; legal aid and the worker center can take referrals if they are organized.",
        "definition": "Precarious work is temporary and agency work with unpredictable hours, injuries "
        "that go unreported, wage theft and no sick leave. Its health effects show up in our clinics; "
        "its causes need legal and organizing answers.",
        "conditions": ["free-from-hazards", "job-security", "benefits", "free-from-discrimination"],
        "dimensions": ["temporariness", "vulnerability", "wages", "rights", "exercise_of_rights"],
    },
    "Forming Strong Partnerships for Health Equity": {
        "focus": "Build a lasting partnership between the city health department and restaurant workers "
        "on paid sick leave and fair scheduling.",
        "why_now": "The city's paid sick leave ordinance is new and few restaurant workers know how to "
        "use it; the health department's restaurant inspections reach every kitchen.",
        "definition": "Precarious work is low-wage work with schedules posted at the last minute, tipped "
        "wages, no sick days and harassment that workers cannot report safely. It drives the health "
        "inequities our city sees by neighborhood and by race.",
        "conditions": ["living-wage", "benefits", "free-from-discrimination", "voice-and-organizing"],
        "dimensions": ["vulnerability", "wages", "rights", "exercise_of_rights"],
    },
    "Raising Awareness About Precarious Work and Health": {
        "focus": "Add precarious work to the heart-health messages the association sends to employers, "
        "volunteers and the public.",
        "why_now": "Job strain, long hours and low pay raise the risk of heart disease; the association's "
        "workplace health programs do not yet talk about how work is organized.",
        "definition": "Precarious work is insecure, low-paid work with long or unpredictable hours and "
        "little control. It adds to stress, blood pressure and heart disease, and it makes healthy "
        "eating, exercise and seeing a doctor harder.",
        "conditions": ["living-wage", "job-security", "benefits"],
        "dimensions": ["temporariness", "wages", "disempowerment"],
    },
    "Setting New Standards for Internship Equity": {
        "focus": "Replace unpaid internships with paid ones and show other health nonprofits how.",
        "why_now": "Unpaid internships open careers in health policy only to students who can afford to "
        "work for free; our internship equity committee is ready to change our own practice.",
        "definition": "Unpaid and underpaid internships are precarious work: short, unpaid or paid below "
        "a living wage, without benefits, and open mostly to those who can afford them, which keeps the "
        "health field from looking like the communities it serves.",
        "conditions": ["living-wage", "advancement", "free-from-discrimination"],
        "dimensions": ["temporariness", "wages", "rights"],
    },
    "Stable Employment for Community Health Workers": {
        "focus": "Make community health worker jobs stable: sustainable funding, certification and career "
        "paths instead of grant-to-grant contracts.",
        "why_now": "The state is setting up community health worker certification; payers and employers "
        "are deciding how the work will be paid for.",
        "definition": "For community health workers precarious work means jobs that end with each grant, "
        "part-time hours, pay below that of other health workers and no recognized career ladder, even "
        "though they carry the trust of the communities they serve.",
        "conditions": ["job-security", "living-wage", "benefits", "advancement"],
        "dimensions": ["temporariness", "wages", "rights"],
    },
}

DECLINED = {
    "lead_organization_name": "Kettle River Restaurant Workers Association",
    "partner_organizations": "",
    "proposed_focus": "A campaign for paid sick days in Kettle River restaurants.",
    "why_now": "The city council will vote on a sick-days ordinance this fall.",
    "review_notes": "A strong focus, but a single-sector team; encouraged to reapply with a health "
    "partner such as the county health department.",
    "score": 58,
}

SESSION_START = datetime(2018, 6, 7, 14, 0, tzinfo=UTC)  # 9:00 in Chicago (CDT)
SESSION_DAYS = [0, 14, 35, 49, 70, 98]  # after SESSION_START
SESSION_HOURS = 6
PLACE = "School of Public Health, Chicago"
# number -> title, objectives, agenda, deliverable each team owes by the next session.
SESSIONS: list[tuple[str, str, str, str]] = [
    (
        "Precarious work and health",
        "Understand precarious work as a social determinant of health; meet the other teams; start the "
        "team's definition of precarious work; introduce policy, systems and environmental change.",
        "9:00 Welcome and introductions\n9:30 Precarious work and health: what the scan found\n"
        "10:45 Policy, systems and environmental (PSE) change\n12:00 Lunch\n"
        "12:45 Team work: our definition of precarious work\n14:15 Report back and next steps",
        "Team definition of precarious work",
    ),
    (
        "Power mapping",
        "Learn power mapping from labor organizers; name the decision the team wants to change; place "
        "actors by power and stance; find targets and allies.",
        "9:00 Check-in\n9:15 Power mapping, taught by labor partners\n10:30 Team work: actors and "
        "targets\n12:00 Lunch\n12:45 Relationships and who can move whom\n14:15 Gallery walk",
        "Draft power map",
    ),
    (
        "Theory of change",
        "Work backwards from a long-term goal to preconditions; write the rationale of each link; set the "
        "ceiling of accountability.",
        "9:00 Check-in\n9:15 Theory of change, taught by labor partners\n10:30 Team work: goal and "
        "preconditions\n12:00 Lunch\n12:45 Interventions, assumptions and indicators\n14:15 Peer review",
        "Draft theory of change",
    ),
    (
        "Action planning",
        "Turn the theory of change into SMART objectives and action steps with who, when and resources; "
        "plan communication.",
        "9:00 Check-in\n9:15 Action planning, taught by labor partners\n10:30 Team work: objectives "
        "and steps\n12:00 Lunch\n12:45 Barriers and resistance\n14:15 Report back",
        "Draft action plan",
    ),
    (
        "Implementation and funding",
        "Work with technical-assistance providers on each team's plan; prepare the implementation budget "
        "and proposal.",
        "9:00 Check-in\n9:15 Implementation funding: what the program offers\n10:00 Team work with "
        "technical-assistance providers\n12:00 Lunch\n12:45 Budgets and timelines\n14:15 Next steps",
        "Implementation proposal and budget",
    ),
    (
        "Sharing results",
        "Present each team's definition, map, theory and plan; give and take recommendations; plan the "
        "fall implementation and evaluation.",
        "9:00 Team presentations (15 minutes each)\n12:00 Lunch\n12:45 Recommendations across teams\n"
        "13:45 Evaluation survey\n14:15 Closing",
        "Final presentation and work plan",
    ),
]
# Deliverable status by session number: most accepted; later ones mixed.
STATUS_BY_SESSION = {
    1: [DeliverableStatus.ACCEPTED],
    2: [DeliverableStatus.ACCEPTED],
    3: [DeliverableStatus.ACCEPTED, DeliverableStatus.ACCEPTED, DeliverableStatus.SUBMITTED],
    4: [DeliverableStatus.ACCEPTED, DeliverableStatus.SUBMITTED],
    5: [DeliverableStatus.SUBMITTED, DeliverableStatus.ACCEPTED, DeliverableStatus.IN_PROGRESS],
    6: [DeliverableStatus.SUBMITTED, DeliverableStatus.IN_PROGRESS, DeliverableStatus.NOT_STARTED],
}
ABSENT_EVERY = 9  # about one person in nine misses a given session


def session_times(number: int) -> tuple[datetime, datetime]:
    starts_at = SESSION_START + timedelta(days=SESSION_DAYS[number - 1])
    return starts_at, starts_at + timedelta(hours=SESSION_HOURS)


def _people_of(organization: Organization, on: date) -> list[Person]:
    """The registry people who worked at `organization` on `on`, by name."""
    return list(
        Person.objects.filter(
            Q(affiliations__end_date__isnull=True) | Q(affiliations__end_date__gte=on),
            affiliations__organization=organization,
            affiliations__start_date__lte=on,
        )
        .distinct()
        .order_by("name", "pk")
    )


def team_people_plan(teams: list[tuple[str, list[Organization]]], on: date) -> dict[str, list[tuple]]:
    """(person, organization) per team title: the people of an organization on several teams are
    shared out between those teams, so each person sits on one team (attendance has one team)."""
    teams_of: dict[int, list[str]] = {}
    for title, organizations in teams:
        for organization in organizations:
            teams_of.setdefault(organization.pk, []).append(title)
    plan: dict[str, list[tuple]] = {title: [] for title, _organizations in teams}
    seen: set[int] = set()
    for title, organizations in teams:
        for organization in organizations:
            titles = teams_of[organization.pk]
            for index, person in enumerate(_people_of(organization, on)):
                if titles[index % len(titles)] == title and person.pk not in seen:
                    seen.add(person.pk)
                    plan[title].append((person, organization))
    return plan


def _cohort(facilitator: User | None) -> tuple[Cohort, bool]:
    cohort, created = partners_demo.upsert(Cohort, {"name": COHORT}, COHORT_VALUES)
    if facilitator is not None and not cohort.facilitators.filter(pk=facilitator.pk).exists():
        cohort.facilitators.add(facilitator)
    return cohort, created


def _application(
    cohort: Cohort, title: str, organizations: list[Organization], contact: Person | None, index: int, by
) -> Application:
    story = TEAM_STORIES[title]
    lead = organizations[0]
    values = {
        "lead_organization": lead,
        "partner_organizations": "\n".join(o.name for o in organizations[1:]),
        "contact_name": contact.name if contact else lead.name,
        "contact_email": (contact.email if contact and contact.email else "") or "contact@example.org",
        "proposed_focus": story["focus"],
        "why_now": story["why_now"],
        "status": ApplicationStatus.ACCEPTED,
        "score": 92 - 3 * index,
        "review_notes": "Multi-sector team with a clear focus; accepted.",
        "reviewed_by": by,
        "decided_at": datetime(2018, 5, 14, 15, 0, tzinfo=UTC),
        "notified_at": datetime(2018, 5, 14, 15, 5, tzinfo=UTC),
    }
    application, created = partners_demo.upsert(
        Application, {"cohort": cohort, "lead_organization_name": lead.name}, values
    )
    if created:
        Application.objects.filter(pk=application.pk).update(
            submitted_at=datetime(2018, 4, 10 + index, 16, 0, tzinfo=UTC)
        )
    return application


def _declined(cohort: Cohort, by) -> None:
    values = {
        **{
            key: DECLINED[key]
            for key in ("partner_organizations", "proposed_focus", "why_now", "review_notes", "score")
        },  # fmt: skip
        "lead_organization": Organization.objects.filter(name=DECLINED["lead_organization_name"]).first(),
        "contact_name": "Coordinator",
        "contact_email": "coordinator@example.org",
        "status": ApplicationStatus.DECLINED,
        "reviewed_by": by,
        "decided_at": datetime(2018, 5, 14, 15, 30, tzinfo=UTC),
        "notified_at": datetime(2018, 5, 14, 15, 35, tzinfo=UTC),
    }
    lookup = {"cohort": cohort, "lead_organization_name": DECLINED["lead_organization_name"]}
    application, created = partners_demo.upsert(Application, lookup, values)
    if created:
        Application.objects.filter(pk=application.pk).update(
            submitted_at=datetime(2018, 4, 27, 21, 0, tzinfo=UTC)
        )


def _team(cohort: Cohort, title: str, organizations: list[Organization], application, facilitator) -> Team:
    story = TEAM_STORIES[title]
    conditions = list(Condition.objects.filter(slug__in=story["conditions"]).values_list("pk", flat=True))
    dimensions = [value for value in EPRESDimension.values if value in story["dimensions"]]
    values = {
        "focus": story["focus"],
        "application": application,
        "facilitator": facilitator,
        "definition": story["definition"],
        "definition_dimensions": dimensions,
    }
    team, created = partners_demo.upsert(Team, {"cohort": cohort, "name": title}, values)
    if created:
        Team.objects.filter(pk=team.pk).update(version=3)  # drafted in session 1, revised twice
    if set(team.definition_conditions.values_list("pk", flat=True)) != set(conditions):
        team.definition_conditions.set(conditions)
    for index, organization in enumerate(organizations):
        role = MembershipRole.LEAD if index == 0 else MembershipRole.MEMBER
        partners_demo.upsert(Membership, {"team": team, "organization": organization}, {"role": role})
    providers = set(
        Organization.objects.filter(name__in=ASSISTANCE.get(title, [])).values_list("pk", flat=True)
    )
    if set(team.assistance_providers.values_list("pk", flat=True)) != providers:
        team.assistance_providers.set(providers)
    return team


def _sessions(cohort: Cohort, facilitator) -> list[Session]:
    sessions = []
    for number, (title, objectives, agenda, _deliverable) in enumerate(SESSIONS, start=1):
        starts_at, ends_at = session_times(number)
        session, _created = partners_demo.upsert(
            Session,
            {"cohort": cohort, "number": number},
            {"title": title, "starts_at": starts_at, "ends_at": ends_at, "place": PLACE,
             "objectives": objectives, "agenda": agenda},
        )  # fmt: skip
        if facilitator is not None and not session.facilitators.filter(pk=facilitator.pk).exists():
            session.facilitators.add(facilitator)
        sessions.append(session)
    return sessions


def _attendance(sessions: list[Session], people: list[tuple[Team, Person]], by) -> int:
    existing = set(Attendance.objects.filter(session__in=sessions).values_list("session_id", "person_id"))
    new = []
    for session in sessions:
        for index, (team, person) in enumerate(people):
            if (session.pk, person.pk) in existing:
                continue
            is_present = (index * 5 + session.number * 3) % ABSENT_EVERY != 0
            signed_in = session.starts_at + timedelta(minutes=(index * 7) % 25) if is_present else None
            new.append(
                Attendance(session=session, person=person, team=team, is_present=is_present,
                           signed_in_at=signed_in, recorded_by=by)
            )  # fmt: skip
    Attendance.objects.bulk_create(new)
    return len(new)


def _deliverables(sessions: list[Session], teams: list[Team]) -> int:
    created_count = 0
    for session in sessions:
        title = SESSIONS[session.number - 1][3]
        due = (session.starts_at + timedelta(days=13)).date()
        statuses = STATUS_BY_SESSION[session.number]
        for index, team in enumerate(teams):
            status = statuses[index % len(statuses)]
            note = "Reviewed by the facilitator." if status == DeliverableStatus.ACCEPTED else ""
            _deliverable, created = partners_demo.upsert(
                Deliverable,
                {"team": team, "session": session, "title": title},
                {"due_date": due, "status": status, "note": note},
            )
            created_count += created
    return created_count


@transaction.atomic
def load(stdout: TextIO) -> None:
    """Create or refresh the demo cohort with its teams, applications, sessions, attendance and
    deliverables (after the accounts' and partners' demo data)."""
    teams_plan = partners_demo.team_organizations()
    if not any(organizations for _title, organizations in teams_plan):
        stdout.write(_("Collaborative: skipped (load the demo organizations first).\n"))
        return
    usernames = {role: accounts_demo.DEMO_USERS[role][0] for role in (Role.ADMINISTRATOR, Role.FACILITATOR,
                                                                        Role.TEAM_MEMBER)}  # fmt: skip
    users = {role: User.objects.filter(username=name).first() for role, name in usernames.items()}
    facilitator = users[Role.FACILITATOR]
    cohort, cohort_created = _cohort(facilitator)
    people_plan = team_people_plan(teams_plan, COHORT_VALUES["start_date"])
    teams: list[Team] = []
    attendees: list[tuple[Team, Person]] = []
    new_people = 0
    for index, (title, organizations) in enumerate(teams_plan):
        if not organizations:
            continue
        people = people_plan[title]
        application = _application(cohort, title, organizations, people[0][0] if people else None, index,
                                   users[Role.ADMINISTRATOR])  # fmt: skip
        team = _team(cohort, title, organizations, application, facilitator)
        teams.append(team)
        for person, organization in people:
            _entry, created = partners_demo.upsert(
                TeamPerson, {"team": team, "person": person}, {"organization": organization}
            )
            new_people += created
            attendees.append((team, person))
        if title == MEMBER_TEAM and users[Role.TEAM_MEMBER] is not None:
            _entry, created = partners_demo.upsert(
                TeamPerson, {"team": team, "user": users[Role.TEAM_MEMBER]},
                {"organization": organizations[0], "can_edit": True},
            )  # fmt: skip
            new_people += created
    _declined(cohort, users[Role.ADMINISTRATOR])
    sessions = _sessions(cohort, facilitator)
    new_attendance = _attendance(sessions, attendees, facilitator)
    new_deliverables = _deliverables(sessions, teams)
    stdout.write(
        _(
            "Collaborative: the cohort %(cohort)s (%(new_cohorts)d new) with %(teams)d teams, "
            "%(people)d team people (%(new_people)d new), %(sessions)d sessions, "
            "%(attendance)d new attendance records, %(deliverables)d new deliverables.\n"
        )
        % {
            "cohort": cohort.name,
            "new_cohorts": int(cohort_created),
            "teams": len(teams),
            "people": TeamPerson.objects.filter(team__in=teams).count(),
            "new_people": new_people,
            "sessions": len(sessions),
            "attendance": new_attendance,
            "deliverables": new_deliverables,
        }
    )
