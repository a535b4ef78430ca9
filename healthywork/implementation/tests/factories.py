"""Plain factory functions for implementation (areas may add their own in factories_<area>.py)."""

from datetime import date
from decimal import Decimal

from healthywork.collaborative.models import Team
from healthywork.implementation.models import (
    AssistanceKind,
    AssistanceLog,
    AssistanceMode,
    Change,
    ChangeKind,
    ChangeLevel,
    Disbursement,
    Grant,
    Milestone,
    ProgressReport,
)


def grant(team: Team, amount: str | Decimal = "10000", **fields) -> Grant:
    fields.setdefault("funder_name", "Healthy Work Fund")
    fields.setdefault("start_date", date(2018, 7, 1))
    fields.setdefault("end_date", date(2019, 6, 30))
    fields.setdefault("purpose", "Implement the team's action plan")
    return Grant.objects.create(team=team, amount=Decimal(str(amount)), **fields)


def disbursement(grant_obj: Grant, amount: str | Decimal = "5000", **fields) -> Disbursement:
    fields.setdefault("date", date(2018, 7, 15))
    return Disbursement.objects.create(grant=grant_obj, amount=Decimal(str(amount)), **fields)


def assistance(team: Team, hours: str | Decimal = "2", **fields) -> AssistanceLog:
    fields.setdefault("provider_name", "Labor educator")
    fields.setdefault("date", date(2018, 8, 1))
    fields.setdefault("mode", AssistanceMode.VIDEO)
    fields.setdefault("topic", "Power mapping")
    fields.setdefault("kind", AssistanceKind.FACILITATION)
    return AssistanceLog.objects.create(team=team, hours=Decimal(str(hours)), **fields)


def milestone(team: Team, title: str = "Draft the policy", **fields) -> Milestone:
    fields.setdefault("due_date", date(2018, 10, 1))
    return Milestone.objects.create(team=team, title=title, **fields)


def report(team: Team, **fields) -> ProgressReport:
    fields.setdefault("period_start", date(2018, 7, 1))
    fields.setdefault("period_end", date(2018, 9, 30))
    fields.setdefault("done", "Met the council member's staff.")
    return ProgressReport.objects.create(team=team, **fields)


def change(team: Team, title: str = "Paid internship policy adopted", **fields) -> Change:
    fields.setdefault("kind", ChangeKind.POLICY)
    fields.setdefault("level", ChangeLevel.ORGANIZATION)
    fields.setdefault("date", date(2019, 3, 1))
    fields.setdefault("evidence", "Board minutes")
    return Change.objects.create(team=team, title=title, **fields)
