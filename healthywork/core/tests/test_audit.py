"""The audit trail: snapshot, diff and record, and the Django admin writing events."""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.test import TestCase

from healthywork.accounts.roles import Role
from healthywork.core import audit
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase, make_user
from healthywork.partners.models import Affiliation, Organization, Person, Population, Sector
from healthywork.partners.tests import factories


class SnapshotTests(TestCase):
    def test_it_gives_plain_json_values(self):
        organization = factories.organization("Worker Center", city="Chicago")
        data = audit.snapshot(organization)
        self.assertEqual(data["name"], "Worker Center")
        self.assertEqual(data["city"], "Chicago")
        self.assertEqual(data["sector"], str(organization.sector))
        self.assertEqual(data["public_id"], str(organization.public_id))

    def test_it_leaves_out_timestamps_and_derived_columns(self):
        data = audit.snapshot(factories.organization("Worker Center"))
        for column in ("created_at", "updated_at", "merged_into", "name_key", "alias_keys", "search_text"):
            self.assertNotIn(column, data)

    def test_it_leaves_out_the_search_text(self):
        self.assertNotIn("search_text", audit.snapshot(factories.organization()))
        self.assertNotIn("search_text", audit.snapshot(factories.person()))

    def test_it_lists_many_to_many_names_sorted(self):
        organization = factories.organization()
        youth = Population.objects.create(name="Zebra keepers", slug="zebra-keepers")
        day = Population.objects.create(name="Apple pickers", slug="apple-pickers")
        organization.populations.set([youth, day])
        self.assertEqual(audit.snapshot(organization)["populations"], ["Apple pickers", "Zebra keepers"])

    def test_an_unsaved_object_has_no_many_to_many_values(self):
        organization = Organization(name="Draft", sector=factories.sector())
        self.assertNotIn("populations", audit.snapshot(organization))

    def test_dates_and_decimals_become_strings(self):
        affiliation = Affiliation(
            person=factories.person(), organization=factories.organization(), start_date=date(2024, 3, 1)
        )
        data = audit.snapshot(affiliation)
        self.assertEqual(data["start_date"], "2024-03-01")
        self.assertEqual(audit._plain(Decimal("1.50")), "1.50")
        self.assertEqual(audit._plain((date(2024, 1, 2), 3)), ["2024-01-02", 3])


class DiffTests(TestCase):
    def test_it_keeps_only_changed_fields(self):
        before = {"name": "Old", "city": "Chicago", "state": "IL"}
        after = {"name": "New", "city": "Chicago", "state": "IL"}
        self.assertEqual(audit.diff(before, after), {"name": ["Old", "New"]})

    def test_a_field_on_one_side_only_counts_as_none_on_the_other(self):
        self.assertEqual(audit.diff({"gone": 1}, {"added": 2}), {"added": [None, 2], "gone": [1, None]})

    def test_no_change_gives_an_empty_diff(self):
        self.assertEqual(audit.diff({"name": "Same"}, {"name": "Same"}), {})

    def test_creating_is_a_diff_from_nothing(self):
        self.assertEqual(audit.diff({}, {"name": "New"}), {"name": [None, "New"]})


class RecordTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user("fran", Role.FACILITATOR)
        cls.sector = factories.sector()

    def test_it_writes_one_event_about_the_object(self):
        event = audit.record(self.user, "change", self.sector, {"name": ["A", "B"]}, note="why")
        event.refresh_from_db()
        self.assertEqual(event.actor, self.user)
        self.assertEqual(event.action, "change")
        self.assertEqual(event.content_type.model_class(), Sector)
        self.assertEqual(event.object_pk, str(self.sector.pk))
        self.assertEqual(event.object_repr, str(self.sector))
        self.assertEqual(event.changes, {"name": ["A", "B"]})
        self.assertEqual(event.note, "why")
        self.assertEqual(list(AuditEvent.objects.for_object(self.sector)), [event])

    def test_an_anonymous_or_missing_actor_is_stored_as_none(self):
        self.assertIsNone(audit.record(AnonymousUser(), "create", self.sector).actor)
        self.assertIsNone(audit.record(None, "create", self.sector).actor)

    def test_missing_changes_are_an_empty_dict(self):
        self.assertEqual(audit.record(self.user, "delete", self.sector).changes, {})

    def test_long_descriptions_and_notes_are_cut_to_fit(self):
        person = factories.person("x" * 200)
        affiliation = factories.affiliation(person, factories.organization("y" * 200))
        event = audit.record(self.user, "create", affiliation, note="n" * 400)
        self.assertEqual(len(event.object_repr), 300)
        self.assertEqual(len(event.note), 300)

    def test_for_object_keeps_to_one_object(self):
        other = factories.sector("healthcare")
        audit.record(self.user, "change", self.sector)
        audit.record(self.user, "change", other)
        self.assertEqual(AuditEvent.objects.for_object(other).get().object_pk, str(other.pk))


class AdminAuditTests(PersonaTestCase):
    """AuditedModelAdmin: edits made through /admin/ land in the audit log too."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.superuser = make_user("root", Role.ADMINISTRATOR, is_staff=True, is_superuser=True)

    def setUp(self):
        self.login(self.superuser)

    def add_sector(self, name: str = "Agriculture", slug: str = "agriculture") -> Sector:
        response = self.client.post(
            "/admin/partners/sector/add/",
            {"name": name, "slug": slug, "family": "labor", "description": ""},
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        return Sector.objects.get(slug=slug)

    def test_adding_a_sector_writes_a_create_event(self):
        sector = self.add_sector()
        event = AuditEvent.objects.for_object(sector).get()
        self.assertEqual((event.action, event.actor, event.note), ("create", self.superuser, "admin site"))
        self.assertEqual(event.changes["name"], [None, "Agriculture"])
        self.assertEqual(event.changes["family"], [None, "labor"])

    def test_changing_a_sector_writes_what_changed(self):
        sector = self.add_sector()
        response = self.client.post(
            f"/admin/partners/sector/{sector.pk}/change/",
            {"name": "Farm work", "slug": "agriculture", "family": "labor", "description": ""},
        )
        self.assertEqual(response.status_code, 302)
        event = AuditEvent.objects.for_object(sector).filter(action="change").get()
        self.assertEqual(event.changes, {"name": ["Agriculture", "Farm work"]})
        self.assertEqual(event.actor, self.superuser)

    def test_deleting_a_sector_writes_a_delete_event(self):
        sector = self.add_sector()
        response = self.client.post(f"/admin/partners/sector/{sector.pk}/delete/", {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Sector.objects.filter(pk=sector.pk).exists())
        event = AuditEvent.objects.for_object(sector).filter(action="delete").get()
        self.assertEqual((event.object_repr, event.note), ("Agriculture", "admin site"))

    def test_bulk_deleting_writes_one_event_each(self):
        first = self.add_sector("Agriculture", "agriculture")
        second = self.add_sector("Fishing", "fishing")
        response = self.client.post(
            "/admin/partners/sector/",
            {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            sorted(AuditEvent.objects.filter(action="delete").values_list("object_repr", flat=True)),
            ["Agriculture", "Fishing"],
        )

    def test_many_to_many_changes_are_recorded(self):
        organization = factories.organization("Worker Center", city="Chicago")
        pickers = Population.objects.create(name="Apple pickers", slug="apple-pickers")
        response = self.client.post(
            f"/admin/partners/organization/{organization.pk}/change/",
            {
                "name": "Worker Center",
                "aliases": "",
                "sector": organization.sector.pk,
                "subsector": "",
                "level": "local",
                "city": "Chicago",
                "county": "",
                "state": "",
                "website": "",
                "description": "",
                "populations": [pickers.pk],
                "languages": "",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:3000])
        event = AuditEvent.objects.for_object(organization).get()
        self.assertEqual(event.changes.get("populations"), [[], ["Apple pickers"]])
        self.assertNotIn("name", event.changes)

    def test_the_partner_models_are_in_the_admin(self):
        for model in [Sector, Population, Organization, Person, Affiliation]:
            with self.subTest(model=model.__name__):
                url = f"/admin/partners/{model._meta.model_name}/"
                self.assertEqual(self.client.get(url).status_code, 200)
                self.assertEqual(self.client.get(url + "add/").status_code, 200)

    def test_organizations_are_searched_by_name(self):
        factories.organization("Worker Center North")
        factories.organization("Health Department")
        response = self.client.get("/admin/partners/organization/", {"q": "worker"})
        self.assertEqual([org.name for org in response.context["cl"].result_list], ["Worker Center North"])

    def test_the_audit_log_itself_is_read_only_in_the_admin(self):
        event = audit.record(self.superuser, "create", factories.sector())
        self.assertEqual(self.client.get("/admin/core/auditevent/add/").status_code, 403)
        response = self.client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})
        self.assertEqual(response.status_code, 403)
        self.assertTrue(AuditEvent.objects.filter(pk=event.pk).exists())
