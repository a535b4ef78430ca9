"""The tie pages: list (stored and derived, filtered), detail, create, edit, delete."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from healthywork.catalog.tests import factories as catalog_factories
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.network.models import Tie
from healthywork.network.tests import factories
from healthywork.partners.tests import factories as partner_factories

MISSING = "6f1c2d1e-0000-4000-8000-000000000000"


class TieViewTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union = partner_factories.organization("Warehouse Workers United", "labor", aliases="WWU")
        cls.clinic = partner_factories.organization("Joliet Clinic", "healthcare")
        cls.department = partner_factories.organization("County Health Department", "public-health")
        cls.law = partner_factories.organization("Workers Law Center", "legal")
        cls.wave = factories.wave("Baseline 2017")
        cls.referral = factories.tie(cls.wave, cls.union, cls.clinic, "referrals", level=2, note="Monthly")
        factories.tie(cls.wave, cls.clinic, cls.department, "funding", provenance="interview")
        catalog_factories.initiative(
            "Heat standard", cls.law, partners=[(cls.department, "partner")], start_date=date(2017, 3, 1)
        )

    def form_data(self, **changes):
        data = {
            "source": "Workers Law Center",
            "target": "wwu",
            "kind": "policy_coalition",
            "level": "3",
            "is_directed": "",
            "provenance": "manual",
            "note": "",
        }
        data.update(changes)
        return data


class TieListTests(TieViewTestCase):
    def url(self, query: str = "") -> str:
        return reverse("network:tie-list", args=[self.wave.public_id]) + query

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.url())
        self.assertNeedsLogin(reverse("network:tie-detail", args=[self.referral.public_id]))

    def test_it_lists_stored_and_derived_ties_with_evidence(self):
        self.login(self.viewer)
        response = self.client.get(self.url())
        self.assertEqual(response.context["count"], 3)
        self.assertContains(response, "Initiative: Heat standard")
        self.assertContains(response, "derived, read-only")
        self.assertContains(response, reverse("network:tie-detail", args=[self.referral.public_id]))
        self.assertNotContains(response, reverse("network:tie-create", args=[self.wave.public_id]))

    def test_filters_narrow_the_list(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(self.url("?derived=0")).context["count"], 2)
        self.assertEqual(self.client.get(self.url("?kind=referrals")).context["count"], 1)
        self.assertEqual(self.client.get(self.url("?provenance=initiative")).context["count"], 1)
        self.assertEqual(self.client.get(self.url("?level=2")).context["count"], 1)
        self.assertEqual(self.client.get(self.url("?family=labor")).context["count"], 1)
        self.assertEqual(self.client.get(self.url("?sector=public-health")).context["count"], 2)
        self.assertEqual(self.client.get(self.url("?q=joliet")).context["count"], 2)

    def test_an_unknown_wave_is_404(self):
        self.login(self.viewer)
        response = self.client.get(reverse("network:tie-list", args=[MISSING]))
        self.assertEqual(response.status_code, 404)

    def test_the_detail_shows_the_tie(self):
        self.login(self.viewer)
        response = self.client.get(reverse("network:tie-detail", args=[self.referral.public_id]))
        self.assertContains(response, "Monthly")
        self.assertContains(response, "2 · Cooperation")
        self.assertNotContains(response, reverse("network:tie-edit", args=[self.referral.public_id]))


class TieWriteTests(TieViewTestCase):
    def test_a_facilitator_adds_a_tie_by_name_or_alias(self):
        self.login(self.facilitator)
        response = self.client.post(
            reverse("network:tie-create", args=[self.wave.public_id]), self.form_data()
        )
        tie = Tie.objects.get(kind="policy_coalition")
        self.assertRedirects(response, tie.get_absolute_url())
        self.assertEqual((tie.source, tie.target, tie.level, tie.wave), (self.law, self.union, 3, self.wave))
        self.assertTrue(AuditEvent.objects.for_object(tie).filter(action="create", actor=self.facilitator))

    def test_a_self_tie_is_a_field_error(self):
        self.login(self.facilitator)
        url = reverse("network:tie-create", args=[self.wave.public_id])
        response = self.client.post(url, self.form_data(target="Workers Law Center"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("target", response.context["form"].errors)
        self.assertEqual(Tie.objects.count(), 2)

    def test_a_duplicate_in_either_order_is_a_field_error_when_undirected(self):
        self.login(self.facilitator)
        url = reverse("network:tie-create", args=[self.wave.public_id])
        response = self.client.post(
            url, self.form_data(source="Joliet Clinic", target="WWU", kind="referrals")
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("already exists", str(response.context["form"].errors["target"]))
        self.assertEqual(Tie.objects.count(), 2)

    def test_a_level_outside_0_to_5_and_an_unknown_organization_are_field_errors(self):
        self.login(self.facilitator)
        url = reverse("network:tie-create", args=[self.wave.public_id])
        response = self.client.post(url, self.form_data(level="9", source="Nobody Inc"))
        self.assertEqual(response.status_code, 400)
        errors = response.context["form"].errors
        self.assertIn("level", errors)
        self.assertIn("Nobody Inc", str(errors["source"]))
        self.assertEqual(Tie.objects.count(), 2)

    def test_a_derived_provenance_cannot_be_entered(self):
        self.login(self.facilitator)
        url = reverse("network:tie-create", args=[self.wave.public_id])
        response = self.client.post(url, self.form_data(provenance="initiative"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("provenance", response.context["form"].errors)

    def test_a_facilitator_edits_and_deletes_a_tie(self):
        self.login(self.facilitator)
        url = reverse("network:tie-edit", args=[self.referral.public_id])
        data = self.form_data(source="WWU", target="Joliet Clinic", kind="referrals", level="4")
        response = self.client.post(url, data)
        self.assertRedirects(response, self.referral.get_absolute_url())
        self.referral.refresh_from_db()
        self.assertEqual(self.referral.level, 4)
        self.assertEqual(
            AuditEvent.objects.for_object(self.referral).get(action="change").changes["level"], [2, 4]
        )

        response = self.client.post(reverse("network:tie-delete", args=[self.referral.public_id]))
        self.assertRedirects(response, reverse("network:tie-list", args=[self.wave.public_id]))
        self.assertFalse(Tie.objects.filter(pk=self.referral.pk).exists())
        self.assertTrue(AuditEvent.objects.filter(action="delete", object_pk=str(self.referral.pk)).exists())

    def test_read_only_roles_get_403_and_nothing_changes(self):
        for user in (self.viewer, self.evaluator, self.member):
            self.login(user)
            create = reverse("network:tie-create", args=[self.wave.public_id])
            self.assertEqual(self.client.post(create, self.form_data()).status_code, 403)
            edit = reverse("network:tie-edit", args=[self.referral.public_id])
            self.assertEqual(self.client.post(edit, self.form_data(level="5")).status_code, 403)
            delete = reverse("network:tie-delete", args=[self.referral.public_id])
            self.assertEqual(self.client.post(delete).status_code, 403)
        self.assertEqual(Tie.objects.count(), 2)
        self.referral.refresh_from_db()
        self.assertEqual(self.referral.level, 2)

    def test_editing_an_unknown_tie_is_404(self):
        self.login(self.facilitator)
        self.assertEqual(self.client.get(reverse("network:tie-edit", args=[MISSING])).status_code, 404)


class OrganizationPanelTests(TieViewTestCase):
    def test_the_organization_page_lists_its_ties_in_each_wave(self):
        self.login(self.viewer)
        response = self.client.get(self.department.get_absolute_url())
        self.assertContains(response, "Network ties")
        self.assertContains(response, "Baseline 2017")
        self.assertContains(response, "Initiative: Heat standard")
        self.assertContains(response, "Funding")


class SurveyDerivedTieTests(TieViewTestCase):
    def test_a_survey_answer_shows_as_a_derived_directed_tie(self):
        survey = factories.survey(self.wave, [self.union, self.department], title="PARTNER 2017")
        respondent = survey.respondents.get(organization=self.union)
        factories.rating(respondent, self.department, level=3, kinds=["data_sharing"])
        self.login(self.viewer)
        url = reverse("network:tie-list", args=[self.wave.public_id]) + "?provenance=survey"
        self.assertEqual(self.client.get(url).context["count"], 0)  # answers count once submitted
        respondent.submitted_at = timezone.now()
        respondent.save()
        response = self.client.get(
            reverse("network:tie-list", args=[self.wave.public_id]) + "?provenance=survey"
        )
        self.assertEqual(response.context["count"], 1)
        self.assertContains(response, "Survey: PARTNER 2017")
        self.assertContains(response, "3 · Coordination")
        response = self.client.get(reverse("network:wave-detail", args=[self.wave.public_id]))
        self.assertContains(response, "Derived from the answers to 1 partner survey; not stored. Ties: 1.")
