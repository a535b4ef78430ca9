"""Changing one class of several initiatives at once, from the catalog page."""

from healthywork.catalog.models import Initiative
from healthywork.catalog.tests import factories
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners.tests import factories as partner_factories

BULK = "/catalog/bulk/"


class BulkChangeTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        union = partner_factories.organization("Warehouse Workers United", "labor")
        clinic = partner_factories.organization("Lakeside Clinic", "healthcare")
        cls.ordinance = factories.initiative("Wage theft ordinance", union)
        cls.campaign = factories.initiative("Paid sick leave campaign", union, status="completed")
        cls.training = factories.initiative("Heat safety training", clinic, action="training-education")

    def post(self, change: str, selected=(), **extra):
        data = {"change": change, "selected": [str(i.public_id) for i in selected], **extra}
        return self.client.post(BULK, data)

    def test_it_needs_login(self):
        self.assertNeedsLogin(BULK, method="post")

    def test_it_takes_only_posts(self):
        self.login(self.facilitator)
        self.assertEqual(self.client.get(BULK).status_code, 405)

    def test_read_only_roles_get_403_and_nothing_changes(self):
        for user in [self.viewer, self.member, self.coder, self.evaluator]:
            self.login(user)
            response = self.post("status:ended", [self.ordinance])
            self.assertEqual(response.status_code, 403, user.role)
        self.assertFalse(Initiative.objects.filter(status="ended").exists())

    def test_it_changes_the_ticked_initiatives_and_says_how_many(self):
        self.login(self.facilitator)
        response = self.post(
            "status:completed", [self.ordinance, self.campaign], filters="q=union&status=active&page=2"
        )
        self.assertRedirects(
            response, "/catalog/?q=union&status=active&page=2", fetch_redirect_response=False
        )
        self.ordinance.refresh_from_db()
        self.assertEqual(self.ordinance.status, "completed")
        self.assertEqual(Initiative.objects.get(pk=self.training.pk).status, "active")
        messages = [str(message) for message in response.wsgi_request._messages]
        # The campaign was completed already: only one changed.
        self.assertEqual(messages, ["1 initiative changed."])

    def test_it_sets_an_action_type_by_its_short_name(self):
        self.login(self.administrator)
        self.post("action_type:organizing-collective-action", [self.ordinance, self.training])
        self.assertEqual(
            set(Initiative.objects.filter(action_type__slug="organizing-collective-action")),
            {self.ordinance, self.training},
        )

    def test_an_optional_class_can_be_emptied(self):
        Initiative.objects.filter(pk=self.training.pk).update(twh_level="educate")
        self.login(self.administrator)
        self.post("twh_level:", [self.training])
        self.assertEqual(Initiative.objects.get(pk=self.training.pk).twh_level, "")

    def test_every_initiative_matching_the_filters_can_be_changed(self):
        self.login(self.facilitator)
        response = self.post("pse_class:systems", [], is_all_matching="on", filters="q=warehouse")
        self.assertRedirects(response, "/catalog/?q=warehouse", fetch_redirect_response=False)
        self.assertEqual(set(Initiative.objects.filter(pse_class="systems")), {self.ordinance, self.campaign})
        self.assertEqual(Initiative.objects.get(pk=self.training.pk).pse_class, "policy")

    def test_each_change_is_audited(self):
        self.login(self.facilitator)
        self.post("level:state", [self.ordinance, self.training])
        events = AuditEvent.objects.filter(action="change", actor=self.facilitator)
        self.assertEqual(events.count(), 2)
        self.assertEqual(events.first().changes, {"level": ["local", "state"]})

    def test_nothing_ticked_is_a_400_and_changes_nothing(self):
        self.login(self.facilitator)
        response = self.post("status:ended", [], filters="status=active")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Tick at least one initiative", status_code=400)
        self.assertContains(response, 'href="/catalog/?status=active"', status_code=400)
        self.assertFalse(Initiative.objects.filter(status="ended").exists())

    def test_an_unknown_class_or_value_is_a_400(self):
        self.login(self.facilitator)
        for change in ["colour:red", "status:sleeping", "action_type:no-such-type", "title:Hello", ""]:
            response = self.post(change, [self.ordinance])
            self.assertEqual(response.status_code, 400, change)
            self.assertIn("change", response.context["form"].errors)
        self.assertEqual(Initiative.objects.get(pk=self.ordinance.pk).status, "active")

    def test_the_catalog_page_offers_the_classes_grouped(self):
        self.login(self.facilitator)
        response = self.client.get("/catalog/", {"status": "active"})
        self.assertContains(response, '<optgroup label="PSE class">')
        self.assertContains(response, '<option value="status:ended">Ended</option>', html=True)
        self.assertContains(response, '<input type="hidden" name="filters" value="status=active">', html=True)
        self.assertContains(response, "Change all 2 initiatives that match, on every page")
