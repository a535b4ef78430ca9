"""Writes on grants and their disbursements: one transaction and one audit event each.

A disbursement beyond the grant's remaining balance is not refused outright: `add_disbursement`
raises `BeyondBalance` (with the award, what was already disbursed, this amount and the excess)
unless the caller passes `confirm=True`, and then the row is saved with `over_award_confirmed`.
The grant row is locked (select_for_update) while the balance is read and the row written, so two
people paying the last of a grant at the same moment cannot both pass the check unseen.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from healthywork.collaborative.models import Team
from healthywork.core.audit import diff, record, snapshot
from healthywork.implementation.models import Disbursement, Grant

GRANT_FIELDS = [
    "funder",
    "funder_name",
    "amount",
    "currency",
    "start_date",
    "end_date",
    "purpose",
    "conditions",
    "status",
]


@dataclass(eq=False)
class BeyondBalance(Exception):
    """The disbursement would take the grant past its award."""

    award: Decimal
    disbursed: Decimal
    amount: Decimal
    currency: str

    @property
    def balance(self) -> Decimal:
        return self.award - self.disbursed

    @property
    def excess(self) -> Decimal:
        return self.disbursed + self.amount - self.award

    def __str__(self) -> str:
        return _(
            "This disbursement of %(amount)s %(currency)s goes beyond the award: %(award)s awarded, "
            "%(disbursed)s already disbursed, %(excess)s over. Confirm to record it anyway."
        ) % {
            "amount": self.amount,
            "currency": self.currency,
            "award": self.award,
            "disbursed": self.disbursed,
            "excess": self.excess,
        }


CENT = Decimal("0.01")


def _disbursed(grant: Grant) -> Decimal:
    return grant.disbursed().quantize(CENT)


@transaction.atomic
def create_grant(team: Team, data: dict[str, Any], *, by: Any) -> Grant:
    grant = Grant(team=team, **{name: data[name] for name in GRANT_FIELDS if name in data})
    if grant.funder_id:
        grant.funder_name = ""
    grant.save()
    record(by, "create", grant, {"after": snapshot(grant)})
    return grant


@transaction.atomic
def update_grant(grant: Grant, data: dict[str, Any], *, by: Any) -> Grant:
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    before = snapshot(grant)
    for name in GRANT_FIELDS:
        if name in data:
            setattr(grant, name, data[name])
    if grant.funder_id:
        grant.funder_name = ""
    grant.save()
    changes = diff(before, snapshot(grant))
    if changes:
        record(by, "change", grant, changes)
    return grant


@transaction.atomic
def delete_grant(grant: Grant, *, by: Any) -> None:
    count = grant.disbursements.count()
    record(
        by,
        "delete",
        grant,
        {"before": snapshot(grant)},
        note=_("with %(count)s disbursements") % {"count": count} if count else "",
    )
    grant.delete()


@transaction.atomic
def add_disbursement(
    grant: Grant,
    *,
    amount: Decimal,
    on: date,
    note: str = "",
    confirm: bool = False,
    by: Any = None,
) -> Disbursement:
    """Record a payment. Raises BeyondBalance (writing nothing) when it goes past the remaining
    balance and `confirm` is false."""
    locked = Grant.objects.select_for_update().get(pk=grant.pk)
    disbursed = _disbursed(locked)
    is_beyond = disbursed + amount > locked.amount
    if is_beyond and not confirm:
        raise BeyondBalance(locked.amount, disbursed, amount, locked.currency)
    row = Disbursement.objects.create(
        grant=locked,
        amount=amount,
        date=on,
        note=note,
        over_award_confirmed=is_beyond,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    record(by, "create", row, {"after": snapshot(row)}, note=str(locked)[:300])
    return row


@transaction.atomic
def delete_disbursement(row: Disbursement, *, by: Any) -> None:
    record(by, "delete", row, {"before": snapshot(row)}, note=str(row.grant)[:300])
    row.delete()


def grant_totals(grant: Grant) -> dict[str, Decimal]:
    disbursed = _disbursed(grant)
    return {"award": grant.amount, "disbursed": disbursed, "balance": grant.amount - disbursed}


def disbursed_by_grant(grant_ids: list[int]) -> dict[int, Decimal]:
    """grant id -> total disbursed (zero when none), one query."""
    totals = dict.fromkeys(grant_ids, Decimal("0.00"))
    rows = (
        Disbursement.objects.filter(grant_id__in=grant_ids)
        .order_by()
        .values("grant_id")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        totals[row["grant_id"]] = row["total"].quantize(CENT)
    return totals
