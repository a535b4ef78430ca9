"""The demo implementation: for each team of the demo collaborative (see `collaborative.demo`) a
grant with its disbursements, a technical-assistance log, milestones on steps of its demo action
plan (see `planning.demo`), two progress reports, and the PSE changes it achieved.

From the public record (`demo/hwc-public-facts.md`): from fall 2018 the teams implemented their
initiatives with funding and technical support (amounts not public), labor partners were content
experts and university staff facilitated, and the Health & Medicine Policy Research Group replaced
unpaid internships with paid ones in 2018 (three cohorts of three interns a year). Everything else
is invented and plausible: the amounts (one grant slightly under-spent, none paid beyond its
award), the assistance entries and their providers (fictional people), the milestones' dates
(mostly on time, a few late, one overdue) and the other changes.

`load()` is idempotent: a team gets its implementation data only when it has no grant, assistance,
milestone, report or change yet, so a second run (or a team's own entries) changes nothing.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.utils.translation import gettext as _

from healthywork.accounts import demo as accounts_demo
from healthywork.accounts.models import User
from healthywork.accounts.roles import Role
from healthywork.collaborative import demo as collaborative_demo
from healthywork.collaborative.models import Cohort, Team
from healthywork.implementation.models import (
    AssistanceKind,
    AssistanceLog,
    AssistanceMode,
    Change,
    ChangeKind,
    ChangeLevel,
    Disbursement,
    Grant,
    GrantStatus,
    Milestone,
    MilestoneStatus,
    MilestoneUpdate,
    ProgressReport,
)
from healthywork.partners import demo as partners_demo
from healthywork.partners.models import Organization
from healthywork.planning.models import ActionStep

GRANT_START, GRANT_END = date(2018, 9, 1), date(2019, 6, 30)
UNDER_SPENT_TEAM = "Raising Awareness About Precarious Work and Health"
UNDER_SPENT_BY = Decimal("640.00")
OVERDUE_TEAM = "Raising Awareness About Precarious Work and Health"
LATE = {
    ("Advocating for Healthier Communities", 2),
    ("Comprehensive Support for Workers' Health", 1),
    ("Stable Employment for Community Health Workers", 3),
}  # (team, milestone index) done late
MILESTONES_PER_TEAM = 4
REPORT_PERIODS = [(date(2018, 9, 1), date(2018, 11, 30)), (date(2018, 12, 1), date(2019, 3, 31))]

# (amount awarded, assistance entries) per team, by case-study title. Assumed: amounts are not public.
FUNDING: dict[str, tuple[str, int]] = {
    "Advancing Labor Rights in Immigrant Communities": ("15000.00", 12),
    "Advocating for Healthier Communities": ("12500.00", 9),
    "Building Community Support for Healthy Work": ("12500.00", 8),
    "Comprehensive Support for Workers' Health": ("15000.00", 10),
    "Forming Strong Partnerships for Health Equity": ("12500.00", 7),
    "Raising Awareness About Precarious Work and Health": ("7500.00", 5),
    "Setting New Standards for Internship Equity": ("10000.00", 6),
    "Stable Employment for Community Health Workers": ("10000.00", 8),
}
TRANCHES = [(date(2018, 9, 17), Decimal("0.5")), (date(2019, 1, 15), Decimal("0.3")),
            (date(2019, 6, 14), Decimal("0.2"))]  # fmt: skip

# Fictional labor content experts and university facilitators.
CONTENT_EXPERTS = ["Rosa Villanueva", "Marcus Oyelaran", "Deb Kowalczyk", "Hector Ibarra"]
FACILITATORS = ["Priya Natarajan", "Tom Brzezinski"]
CONTENT_TOPICS = [
    "Power mapping the decision makers", "Workers' rights on wages and hours",
    "Retaliation and how to respond", "Organizing a public hearing", "Reading a wage theft ordinance",
    "Temp agency rules in Illinois",
    "Talking with employers about scheduling",
]  # fmt: skip
FACILITATION_TOPICS = [
    "Revising the action plan", "Theory of change check-in", "Preparing the progress report",
    "Planning the evaluation", "Team meeting facilitation",
]  # fmt: skip
MODES = [AssistanceMode.VIDEO, AssistanceMode.IN_PERSON, AssistanceMode.PHONE, AssistanceMode.EMAIL]

# Per team: (kind, title, description, level, date, where adopted (organization name), evidence,
# workers reached). The first is from the public record; the others are invented.
CHANGES: dict[str, list[tuple]] = {
    "Setting New Standards for Internship Equity": [
        (ChangeKind.POLICY, "Paid internship policy adopted",
         "An internship equity committee replaced unpaid internships with paid ones: three cohorts of three "
         "interns a year, each paid at least the city's minimum wage.",
         ChangeLevel.ORGANIZATION, date(2018, 11, 15), "Health & Medicine Policy Research Group",
         "The organization's internship policy and its paid internship postings.", 9),
    ],
    "Advancing Labor Rights in Immigrant Communities": [
        (ChangeKind.SYSTEM, "Outreach workers refer labor-rights questions to the worker centers",
         "Health department outreach staff screen for wage and safety problems and refer to the worker "
         "centers through a shared referral log.",
         ChangeLevel.ORGANIZATION, date(2018, 12, 10), "Cook County Department of Public Health",
         "Referral protocol and the shared referral log (64 referrals by March).", 300),
    ],
    "Advocating for Healthier Communities": [
        (ChangeKind.POLICY, "Job quality added to the county's economic development incentive review",
         "The county board's incentive review asks applicants about wages, benefits and temporary staffing.",
         ChangeLevel.LOCAL, date(2019, 3, 19), "Boone County Board",
         "Board resolution and the revised incentive application form.", None),
    ],
    "Building Community Support for Healthy Work": [
        (ChangeKind.ENVIRONMENT, "Congregations host monthly workers' rights clinics",
         "Three congregations host a monthly clinic where worker-center volunteers answer questions.",
         ChangeLevel.LOCAL, date(2019, 2, 3), "Arise Chicago",
         "Clinic calendars and sign-in sheets.", 120),
    ],
    "Comprehensive Support for Workers' Health": [
        (ChangeKind.SYSTEM, "Medical-legal referral pathway for injured temp workers",
         "Clinic staff refer temp workers with work injuries to legal aid and the worker center.",
         ChangeLevel.ORGANIZATION, date(2019, 1, 22), "Cook County Health",
         "The clinic's referral workflow and the legal aid intake log.", 80),
        (ChangeKind.ENVIRONMENT, "Know-your-rights corner in two clinic waiting rooms",
         "Posters and leaflets in English, Spanish and Polish on wages, injuries and temp work.",
         ChangeLevel.ORGANIZATION, date(2018, 12, 3), "Cook County Health",
         "Photographs of the waiting rooms.", 1500),
    ],
    "Forming Strong Partnerships for Health Equity": [
        (ChangeKind.POLICY, "Fair scheduling joins the health-equity coalition's policy agenda",
         "The coalition's 2019 policy agenda names fair workweek scheduling as a health-equity issue.",
         ChangeLevel.REGIONAL, date(2019, 1, 30), "Collaborative for Health Equity Cook County",
         "The coalition's published 2019 policy agenda.", None),
    ],
    "Stable Employment for Community Health Workers": [
        (ChangeKind.POLICY, "Position statement on stable employment for community health workers",
         "The state association calls for salaried, benefited positions for community health workers "
         "instead of grant-funded contracts.",
         ChangeLevel.STATE, date(2019, 4, 26), "Illinois Public Health Association",
         "Position statement adopted by the association's board.", None),
    ],
}  # fmt: skip


def _has_implementation(team: Team) -> bool:
    return (
        team.grants.exists()
        or team.assistance_logs.exists()
        or team.milestones.exists()
        or team.progress_reports.exists()
        or team.changes.exists()
    )


def _grant(team: Team, index: int, funder: Organization | None) -> Grant:
    amount = Decimal(FUNDING[team.name][0])
    grant = Grant.objects.create(
        team=team,
        funder=funder,
        funder_name="" if funder else partners_demo.CENTER,
        amount=amount,
        start_date=GRANT_START,
        end_date=GRANT_END,
        purpose=_("Implement the team's action plan: %(focus)s") % {"focus": team.focus[:400] or team.name},
        conditions=_(
            "Progress reports each quarter; a final report and an interview for the case-study guide; "
            "no more than 10% for indirect costs."
        ),
        status=GrantStatus.CLOSED,
    )
    paid = Decimal("0")
    for number, (when, share) in enumerate(TRANCHES):
        tranche = (amount * share).quantize(Decimal("0.01"))
        if number == len(TRANCHES) - 1:
            tranche = amount - paid
            if team.name == UNDER_SPENT_TEAM:
                tranche -= UNDER_SPENT_BY
        Disbursement.objects.create(
            grant=grant, date=when, amount=tranche, note=_("Tranche %(number)d") % {"number": number + 1}
        )
        paid += tranche
    return grant


def _content_organization(team: Team) -> Organization | None:
    labor = [
        membership.organization
        for membership in team.memberships.select_related("organization__sector")
        if membership.organization.sector.family == "labor"
    ]
    return labor[0] if labor else team.assistance_providers.first()


def _assistance(team: Team, index: int, facilitator: User | None) -> int:
    entries = FUNDING[team.name][1]
    expert_org = _content_organization(team)
    for number in range(entries):
        is_content = number % 3 != 2  # two content-expert sessions for each facilitation one
        when = GRANT_START + timedelta(days=9 + number * (230 // entries) + index % 5)
        if is_content:
            fields: dict[str, Any] = {
                "provider_name": CONTENT_EXPERTS[(index + number) % len(CONTENT_EXPERTS)],
                "provider_organization": expert_org,
                "topic": CONTENT_TOPICS[(index * 2 + number) % len(CONTENT_TOPICS)],
                "kind": AssistanceKind.CONTENT,
            }
        else:
            fields = {
                "provider_name": facilitator.get_full_name() if facilitator else FACILITATORS[0],
                "provider_user": facilitator,
                "topic": FACILITATION_TOPICS[(index + number) % len(FACILITATION_TOPICS)],
                "kind": AssistanceKind.FACILITATION,
            }
            if number % 2:
                fields.update(provider_name=FACILITATORS[index % 2], provider_user=None)
        AssistanceLog.objects.create(
            team=team,
            date=when,
            hours=Decimal(("1.5", "2", "1", "3", "2.5")[(index + number) % 5]),
            mode=MODES[(index + number) % len(MODES)],
            created_by=facilitator,
            **fields,
        )
    return entries


def _steps(team: Team) -> list[ActionStep]:
    steps = [
        step
        for step in ActionStep.objects.filter(objective__plan__team=team, due_date__isnull=False).order_by(
            "due_date", "pk"
        )
    ]
    if len(steps) <= MILESTONES_PER_TEAM:
        return steps
    stride = len(steps) / MILESTONES_PER_TEAM
    return [steps[int(stride * number + stride / 2)] for number in range(MILESTONES_PER_TEAM)]


def _milestones(team: Team) -> list[Milestone]:
    made = []
    steps = _steps(team)
    planned: list[tuple[str, date, ActionStep | None]] = [
        (step.what[:300], step.due_date, step) for step in steps
    ] or [
        (_("Kick-off meeting with all partners"), date(2018, 9, 28), None),
        (_("First activity of the action plan delivered"), date(2018, 12, 14), None),
        (_("Results shared with the partners"), date(2019, 4, 30), None),
    ]
    for number, (title, due, step) in enumerate(planned):
        is_last = number == len(planned) - 1
        if team.name == OVERDUE_TEAM and is_last:
            status, completed_on = MilestoneStatus.AT_RISK, None
        elif (team.name, number) in LATE:
            status, completed_on = MilestoneStatus.DONE, due + timedelta(days=12 + number)
        else:
            status, completed_on = MilestoneStatus.DONE, due - timedelta(days=(number * 3) % 7)
        made.append(
            Milestone.objects.create(
                team=team,
                title=title,
                due_date=due,
                action_step=step,
                status=status,
                completed_on=completed_on,
                description=_("From the team's action plan.") if step else "",
            )
        )
    return made


def _report_status(milestone: Milestone, period_end: date) -> str:
    if milestone.completed_on and milestone.completed_on <= period_end:
        return MilestoneStatus.DONE
    if milestone.due_date < period_end:
        return MilestoneStatus.AT_RISK
    return MilestoneStatus.ON_TRACK


def _reports(team: Team, milestones: list[Milestone], by: User | None) -> int:
    steps = [milestone.title for milestone in milestones]
    texts = [
        (
            _("Kicked off the grant with all partners; %(first)s.")
            % {"first": (steps[0] if steps else "")[:200]},
            _("Partners' staff time was short in the fall; scheduling meetings took longer than planned."),
            _("Carry on with the action plan and prepare the next quarter's activities."),
        ),
        (
            _("Finished most of the planned activities; %(last)s is under way.")
            % {"last": (steps[-1] if steps else "")[:200]},
            _("Keeping decision makers' attention between meetings; turnover in one partner organization."),
            _("Document the results for the case-study guide and plan how to sustain the work."),
        ),
    ]
    covered: set[int] = set()
    for (start, end), (done, challenges, next_steps) in zip(REPORT_PERIODS, texts, strict=True):
        report = ProgressReport.objects.create(
            team=team,
            period_start=start,
            period_end=end,
            done=done,
            challenges=challenges,
            next_steps=next_steps,
            submitted_by=by,
        )
        for milestone in milestones:
            if milestone.pk in covered:
                continue
            status = _report_status(milestone, end)
            MilestoneUpdate.objects.create(report=report, milestone=milestone, status=status)
            if status == MilestoneStatus.DONE:
                covered.add(milestone.pk)
    return len(REPORT_PERIODS)


def _changes(team: Team, milestones: list[Milestone], by: User | None) -> int:
    rows = CHANGES.get(team.name, [])
    for number, (kind, title, description, level, when, where, evidence, workers) in enumerate(rows):
        organization = Organization.objects.filter(merged_into__isnull=True).matching_name(where).first()
        done = [milestone for milestone in milestones if milestone.completed_on]
        Change.objects.create(
            team=team,
            kind=kind,
            title=title,
            description=description,
            level=level,
            date=when,
            organization=organization,
            evidence=evidence,
            workers_reached=workers,
            milestone=done[-1] if done and number == 0 else None,
            created_by=by,
        )
    return len(rows)


def load(stdout: TextIO) -> None:
    """Grants, assistance, milestones, reports and changes for each demo team without any yet."""
    cohort = Cohort.objects.filter(name=collaborative_demo.COHORT).first()
    if cohort is None:
        stdout.write(_("Implementation: skipped (load the demo collaborative first).\n"))
        return
    facilitator = User.objects.filter(username=accounts_demo.DEMO_USERS[Role.FACILITATOR][0]).first()
    member = User.objects.filter(username=accounts_demo.DEMO_USERS[Role.TEAM_MEMBER][0]).first()
    funder = Organization.objects.filter(merged_into__isnull=True).matching_name(partners_demo.CENTER).first()
    teams = {team.name: team for team in cohort.teams.filter(name__in=FUNDING)}
    counts = {"teams": 0, "assistance": 0, "milestones": 0, "reports": 0, "changes": 0}
    for index, title in enumerate(FUNDING):
        team = teams.get(title)
        if team is None or _has_implementation(team):
            continue
        _grant(team, index, funder)
        counts["assistance"] += _assistance(team, index, facilitator)
        milestones = _milestones(team)
        counts["milestones"] += len(milestones)
        author = member if team.name == collaborative_demo.MEMBER_TEAM and member else facilitator
        counts["reports"] += _reports(team, milestones, author)
        counts["changes"] += _changes(team, milestones, author)
        counts["teams"] += 1
    stdout.write(
        _(
            "Implementation: grants for %(teams)d new teams, %(assistance)d assistance entries, "
            "%(milestones)d milestones, %(reports)d progress reports, %(changes)d PSE changes.\n"
        )
        % counts
    )
