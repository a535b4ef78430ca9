"""Grant and disbursement pages and services: permissions per persona, balance arithmetic, the
confirmation asked for a disbursement beyond the award, and the summaries."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.implementation import grants, money
from healthywork.implementation.models import Disbursement, Grant, GrantStatus
from healthywork.implementation.tests import factories


class GrantTestCase(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.grant = factories.grant(cls.team_a, "10000")
        factories.disbursement(cls.grant, "4000")

    def detail_url(self, grant=None):
        return reverse("implementation:grant-detail", args=[(grant or self.grant).public_id])

    def add_url(self):
        return reverse("implementation:disbursement-add", args=[self.grant.public_id])


class BalanceTests(GrantTestCase):
    def test_the_balance_is_the_award_less_what_was_disbursed(self):
        factories.disbursement(self.grant, "2500.50")
        self.assertEqual(self.grant.disbursed(), Decimal("6500.50"))
        self.assertEqual(grants.grant_totals(self.grant)["balance"], Decimal("3499.50"))

    def test_a_disbursement_beyond_the_balance_needs_confirmation(self):
        with self.assertRaises(grants.BeyondBalance) as raised:
            grants.add_disbursement(
                self.grant, amount=Decimal("6000.01"), on=date(2018, 9, 1), by=self.facilitator
            )
        self.assertEqual(raised.exception.excess, Decimal("0.01"))
        self.assertEqual(self.grant.disbursements.count(), 1)
        row = grants.add_disbursement(
            self.grant, amount=Decimal("6000.01"), on=date(2018, 9, 1), confirm=True, by=self.facilitator
        )
        self.assertTrue(row.over_award_confirmed)
        self.assertEqual(self.grant.balance(), Decimal("-0.01"))

    def test_paying_exactly_the_balance_needs_no_confirmation(self):
        row = grants.add_disbursement(
            self.grant, amount=Decimal("6000"), on=date(2018, 9, 1), by=self.facilitator
        )
        self.assertFalse(row.over_award_confirmed)

    def test_team_and_cohort_summaries(self):
        factories.grant(self.team_a, "500", status=GrantStatus.PLANNED)
        factories.assistance(self.team_a, "2.5")
        factories.assistance(self.team_a, "1", kind="content")
        summary = money.team_summary(self.team_a)
        self.assertEqual(summary["awarded"], Decimal("10000"))
        self.assertEqual(summary["disbursed"], Decimal("4000"))
        self.assertEqual(summary["balance"], Decimal("6000"))
        self.assertEqual(summary["grants"], 1)
        self.assertEqual(summary["hours"], Decimal("3.5"))
        self.assertEqual(summary["assistance_count"], 2)
        self.assertEqual(summary["hours_by_kind"], {"content": Decimal("1"), "facilitation": Decimal("2.5")})
        self.assertFalse(summary["over_disbursed"])
        with self.assertNumQueries(3):
            cohort = money.cohort_summary(self.cohort)
        self.assertEqual(set(cohort), {self.team_a.pk, self.team_b.pk})
        self.assertEqual(cohort[self.team_b.pk]["awarded"], Decimal("0"))
        self.assertEqual(cohort[self.team_a.pk], summary)

    def test_over_disbursed_is_flagged(self):
        factories.disbursement(self.grant, "7000", over_award_confirmed=True)
        self.assertTrue(money.team_summary(self.team_a)["over_disbursed"])


class GrantPageTests(GrantTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(self.detail_url())

    def test_the_detail_shows_disbursed_and_balance(self):
        self.login(self.member_a)
        response = self.client.get(self.detail_url())
        self.assertContains(response, "4000.00")
        self.assertContains(response, "6000.00")
        self.assertNotContains(response, "Record a disbursement")

    def test_a_stranger_gets_404(self):
        self.login(self.member_b)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
        self.assertEqual(
            self.client.post(self.add_url(), {"amount": "1", "date": "2018-09-01"}).status_code, 404
        )

    def test_a_member_may_not_write(self):
        self.login(self.member_a)
        response = self.client.post(self.add_url(), {"amount": "1", "date": "2018-09-01"})
        self.assertEqual(response.status_code, 403)
        create = reverse("implementation:grant-create", args=[self.team_a.public_id])
        self.assertEqual(self.client.get(create).status_code, 403)

    def test_the_facilitator_creates_a_grant_with_a_typed_funder(self):
        self.login(self.facilitator)
        create = reverse("implementation:grant-create", args=[self.team_b.public_id])
        data = {
            "funder": "County Health Trust",
            "amount": "2500",
            "currency": "usd",
            "start_date": "2018-07-01",
            "end_date": "2019-06-30",
            "status": "awarded",
            "purpose": "Outreach",
            "conditions": "",
        }
        response = self.client.post(create, data)
        grant = Grant.objects.get(team=self.team_b)
        self.assertRedirects(response, grant.get_absolute_url())
        self.assertEqual((grant.funder_name, grant.currency), ("County Health Trust", "USD"))
        self.assertTrue(AuditEvent.objects.filter(action="create", object_pk=str(grant.pk)).exists())

    def test_a_cohorts_grants_share_one_currency(self):
        factories.grant(self.team_a, "10000", currency="USD")
        self.login(self.administrator)
        create = reverse("implementation:grant-create", args=[self.team_b.public_id])
        data = {
            "funder": "Fundación Salud",
            "amount": "2500",
            "currency": "eur",
            "start_date": "2018-07-01",
            "end_date": "2019-06-30",
            "status": "awarded",
            "purpose": "Outreach",
        }
        response = self.client.post(create, data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("USD", " ".join(response.context["form"].errors["currency"]))
        self.assertFalse(Grant.objects.filter(team=self.team_b).exists())
        response = self.client.post(create, {**data, "currency": "usd"})
        self.assertEqual(Grant.objects.get(team=self.team_b).currency, "USD")

    def test_bad_grant_input_names_the_fields(self):
        self.login(self.administrator)
        create = reverse("implementation:grant-create", args=[self.team_b.public_id])
        data = {
            "funder": "",
            "amount": "-5",
            "currency": "dollars",
            "start_date": "2019-01-01",
            "end_date": "2018-01-01",
            "status": "awarded",
            "purpose": "x",
        }
        response = self.client.post(create, data)
        self.assertEqual(response.status_code, 400)
        for field in ("funder", "amount", "currency", "end_date"):
            self.assertIn(field, response.context["form"].errors)
        self.assertFalse(Grant.objects.filter(team=self.team_b).exists())

    def test_edit_and_delete(self):
        self.login(self.administrator)
        edit = reverse("implementation:grant-edit", args=[self.grant.public_id])
        data = {
            "funder": "Healthy Work Fund",
            "amount": "12000",
            "currency": "USD",
            "start_date": "2018-07-01",
            "end_date": "2019-06-30",
            "status": "awarded",
            "purpose": "More",
        }
        self.assertRedirects(self.client.post(edit, data), self.detail_url())
        self.assertEqual(Grant.objects.get(pk=self.grant.pk).amount, Decimal("12000"))
        change = AuditEvent.objects.get(action="change", object_pk=str(self.grant.pk))
        self.assertEqual(change.get_action_display(), "changed")
        delete = reverse("implementation:grant-delete", args=[self.grant.public_id])
        self.assertContains(self.client.get(delete), "4000")
        self.client.post(delete)
        self.assertFalse(Grant.objects.filter(pk=self.grant.pk).exists())
        self.assertFalse(Disbursement.objects.filter(grant_id=self.grant.pk).exists())
        self.assertTrue(AuditEvent.objects.filter(action="delete", object_pk=str(self.grant.pk)).exists())


class DisbursementFlowTests(GrantTestCase):
    def test_within_the_balance_it_is_saved(self):
        self.login(self.facilitator)
        response = self.client.post(self.add_url(), {"amount": "1000", "date": "2018-09-01"})
        self.assertRedirects(response, self.detail_url())
        self.assertEqual(self.grant.balance(), Decimal("5000"))

    def test_beyond_the_balance_the_form_comes_back_then_confirmed_it_is_saved(self):
        self.login(self.facilitator)
        response = self.client.post(self.add_url(), {"amount": "7000", "date": "2018-09-01"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.context["beyond"].excess, Decimal("1000"))
        self.assertContains(response, "Beyond the award by", status_code=409)
        self.assertEqual(self.grant.disbursements.count(), 1)
        response = self.client.post(self.add_url(), {"amount": "7000", "date": "2018-09-01", "confirm": "on"})
        self.assertRedirects(response, self.detail_url())
        row = self.grant.disbursements.latest("pk")
        self.assertTrue(row.over_award_confirmed)
        self.assertEqual(row.created_by, self.facilitator)

    def test_bad_amounts_and_dates_are_form_errors(self):
        self.login(self.facilitator)
        for amount, day in (
            ("0", "2018-09-01"),
            ("-3", "2018-09-01"),
            ("ten", "2018-09-01"),
            ("5", "1850-01-01"),
            ("5", "2999-01-01"),
            ("5", "not a date"),
        ):
            response = self.client.post(self.add_url(), {"amount": amount, "date": day, "confirm": "on"})
            self.assertEqual(response.status_code, 400, (amount, day))
        self.assertEqual(self.grant.disbursements.count(), 1)

    def test_delete_a_disbursement(self):
        self.login(self.administrator)
        row = self.grant.disbursements.get()
        url = reverse("implementation:disbursement-delete", args=[self.grant.public_id, row.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertRedirects(self.client.post(url), self.detail_url())
        self.assertEqual(self.grant.balance(), Decimal("10000"))

    def test_the_grant_list_filters_by_team(self):
        self.login(self.administrator)
        factories.grant(self.team_b, "300", funder_name="Other Fund")
        response = self.client.get(reverse("implementation:grant-list") + f"?team={self.team_a.public_id}")
        self.assertContains(response, "Healthy Work Fund")
        self.assertNotContains(response, "Other Fund")
        self.login(self.member_a)
        self.assertNotContains(self.client.get(reverse("implementation:grant-list")), "Other Fund")
