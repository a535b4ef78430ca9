"""The audit log page: administrators only, newest first, filtered by kind of record."""

from healthywork.accounts.models import ApiToken
from healthywork.core import audit
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners.tests import factories

URL = "/audit/"


class AuditLogTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.sector = factories.sector("labor")
        audit.record(cls.facilitator, "change", cls.sector, {"name": ["Labour", "Labor"]})
        cls.token, _raw = ApiToken.issue(cls.viewer, "nightly export")
        audit.record(cls.viewer, "create", cls.token)

    def test_the_administrator_sees_the_events(self):
        self.login(self.administrator)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["page"]), 2)
        self.assertContains(response, str(self.sector))
        self.assertContains(response, "nightly export")
        self.assertContains(response, "<strong>name</strong>: Labour → Labor", html=True)

    def test_events_come_newest_first(self):
        self.login(self.administrator)
        events = list(self.client.get(URL).context["page"])
        self.assertEqual([event.action for event in events], ["create", "change"])

    def test_it_filters_by_kind(self):
        self.login(self.administrator)
        response = self.client.get(URL, {"kind": "partners.sector"})
        self.assertEqual([event.object_repr for event in response.context["page"]], [str(self.sector)])
        self.assertContains(response, '<option value="partners.sector" selected>', html=False)
        self.assertNotContains(response, "nightly export")

    def test_the_kind_menu_lists_only_kinds_with_events(self):
        self.login(self.administrator)
        kinds = self.client.get(URL).context["kinds"]
        self.assertEqual(
            [f"{kind.app_label}.{kind.model}" for kind in kinds],
            ["accounts.apitoken", "partners.sector"],
        )

    def test_an_unknown_kind_shows_no_events(self):
        self.login(self.administrator)
        response = self.client.get(URL, {"kind": "nothing.here"})
        self.assertEqual(len(response.context["page"]), 0)
        self.assertContains(response, "No events yet.")

    def test_it_pages_long_logs(self):
        for number in range(55):
            audit.record(self.administrator, "change", self.sector, note=f"edit {number}")
        self.login(self.administrator)
        response = self.client.get(URL)
        self.assertEqual(len(response.context["page"]), 50)
        self.assertEqual(len(self.client.get(URL, {"page": 2}).context["page"]), 7)

    def test_an_event_without_actor_shows_system(self):
        AuditEvent.objects.update(actor=None)
        self.login(self.administrator)
        self.assertContains(self.client.get(URL), "<td>system</td>", count=2, html=True)

    def test_other_roles_get_403(self):
        for user in [self.facilitator, self.member, self.coder, self.evaluator, self.viewer]:
            with self.subTest(role=user.role):
                self.login(user)
                self.assertEqual(self.client.get(URL).status_code, 403)

    def test_only_administrators_see_the_link(self):
        self.login(self.viewer)
        self.assertNotContains(self.client.get("/"), f'href="{URL}"')
        self.login(self.administrator)
        self.assertContains(self.client.get("/"), f'href="{URL}"')

    def test_it_needs_login(self):
        self.assertNeedsLogin(URL)
