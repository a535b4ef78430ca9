"""The partner registry's JSON API under /api/v1/."""

import json
from uuid import uuid4

from healthywork.accounts.models import ApiToken
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners.models import Organization, Person, Population, Sector
from healthywork.partners.tests import factories

API = "/api/v1"


class ApiTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tokens = {
            user.pk: ApiToken.issue(user, "tests")[1]
            for user in [cls.administrator, cls.facilitator, cls.member, cls.coder, cls.viewer]
        }
        cls.union = factories.organization(
            "Warehouse Workers United",
            "labor",
            state="IL",
            city="Joliet",
            aliases="WWU",
            languages="English; Spanish",
        )
        cls.union.populations.set(Population.objects.filter(slug="manufacturing-warehouse"))
        cls.health_department = factories.organization(
            "Will County Health Department", "public-health", state="IL", level="local"
        )
        cls.federation = factories.organization("State Labor Federation", "labor", state="WI", level="state")
        cls.duplicate = factories.organization("Warehouse Workers Union", "labor", state="IL")
        cls.duplicate.merged_into = cls.union
        cls.duplicate.save(update_fields=["merged_into"])

    def call(self, method: str, path: str, user=None, body=None, raw_body: str | None = None):
        headers = {"Authorization": f"Bearer {self.tokens[user.pk]}"} if user else {}
        kwargs = {"headers": headers}
        if body is not None or raw_body is not None:
            kwargs["data"] = raw_body if raw_body is not None else json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(API + path, **kwargs)

    def assertNamesField(self, response, field: str) -> str:  # noqa: N802
        self.assertEqual(response.status_code, 422, response.content)
        errors = {error["field"]: error["message"] for error in response.json()["detail"]}
        self.assertIn(field, errors)
        return errors[field]


class AuthenticationTests(ApiTestCase):
    def test_a_token_authenticates(self):
        response = self.call("get", "/organizations", self.viewer)
        self.assertEqual(response.status_code, 200)

    def test_a_session_authenticates(self):
        self.login(self.viewer)
        response = self.client.get(f"{API}/organizations")
        self.assertEqual(response.status_code, 200)

    def test_anonymous_gets_401_json(self):
        for path in [
            "/organizations",
            f"/organizations/{self.union.public_id}",
            "/people",
            "/sectors",
        ]:
            response = self.call("get", path)
            self.assertEqual(response.status_code, 401, path)
            self.assertIn("detail", response.json())

    def test_an_unknown_token_gets_401(self):
        response = self.client.get(f"{API}/organizations", headers={"Authorization": "Bearer hw_nope"})
        self.assertEqual(response.status_code, 401)

    def test_openapi_lists_the_paths(self):
        response = self.client.get(f"{API}/openapi.json")
        self.assertEqual(response.status_code, 200)
        paths = response.json()["paths"]
        for path in [
            "/sectors",
            "/sectors/{slug}",
            "/organizations",
            "/organizations/{public_id}",
            "/people",
            "/people/{public_id}",
        ]:
            self.assertIn(API + path, paths)


class SectorTests(ApiTestCase):
    def test_it_lists_sectors(self):
        response = self.call("get", "/sectors", self.viewer)
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            {"slug": "labor", "name": "Labor", "family": "labor", "description": ""},
            response.json(),
        )

    def test_it_shows_one_sector_or_404(self):
        self.assertEqual(self.call("get", "/sectors/legal", self.viewer).json()["name"], "Legal")
        self.assertEqual(self.call("get", "/sectors/nothing", self.viewer).status_code, 404)

    def test_only_administrators_add_or_change_sectors(self):
        body = {"name": "Faith", "slug": "faith", "family": "community"}
        self.assertEqual(self.call("post", "/sectors", self.facilitator, body).status_code, 403)
        self.assertEqual(self.call("patch", "/sectors/labor", self.facilitator, body).status_code, 403)
        self.assertFalse(Sector.objects.filter(slug="faith").exists())

    def test_an_administrator_adds_and_renames_a_sector(self):
        response = self.call(
            "post",
            "/sectors",
            self.administrator,
            {"name": "Faith", "slug": "faith", "family": "community"},
        )
        self.assertEqual(response.status_code, 201, response.content)
        response = self.call("patch", "/sectors/faith", self.administrator, {"name": "Faith groups"})
        self.assertEqual(response.json()["name"], "Faith groups")
        sector = Sector.objects.get(slug="faith")
        self.assertEqual(
            list(AuditEvent.objects.for_object(sector).values_list("action", flat=True)),
            ["change", "create"],
        )

    def test_a_taken_slug_or_bad_family_is_named(self):
        body = {"name": "Unions", "slug": "labor", "family": "labor"}
        self.assertNamesField(self.call("post", "/sectors", self.administrator, body), "slug")
        body = {"name": "Unions", "slug": "unions", "family": "guild"}
        self.assertNamesField(self.call("post", "/sectors", self.administrator, body), "family")


class OrganizationListTests(ApiTestCase):
    def names(self, response) -> list[str]:
        self.assertEqual(response.status_code, 200, response.content)
        return [row["name"] for row in response.json()["results"]]

    def test_it_pages_the_list(self):
        response = self.call("get", "/organizations?page_size=2&page=2", self.viewer)
        data = response.json()
        self.assertEqual((data["count"], data["page"], data["page_size"]), (3, 2, 2))
        self.assertEqual(self.names(response), ["Will County Health Department"])

    def test_it_defaults_to_25_a_page_and_caps_at_200(self):
        self.assertEqual(self.call("get", "/organizations", self.viewer).json()["page_size"], 25)
        response = self.call("get", "/organizations?page_size=5000", self.viewer)
        self.assertEqual(response.json()["page_size"], 200)

    def test_it_filters_as_the_list_page_does(self):
        cases = {
            "sector=labor": ["State Labor Federation", "Warehouse Workers United"],
            "family=health": ["Will County Health Department"],
            "level=state": ["State Labor Federation"],
            "state=il": ["Warehouse Workers United", "Will County Health Department"],
            "sector=labor&state=IL": ["Warehouse Workers United"],
        }
        for query, expected in cases.items():
            self.assertEqual(
                self.names(self.call("get", f"/organizations?{query}", self.viewer)),
                expected,
                query,
            )

    def test_it_searches_full_text(self):
        response = self.call("get", "/organizations?q=warehouse", self.viewer)
        self.assertEqual(self.names(response), ["Warehouse Workers United"])
        response = self.call("get", "/organizations?q=joliet", self.viewer)
        self.assertEqual(self.names(response), ["Warehouse Workers United"])

    def test_an_unknown_filter_value_is_named(self):
        self.assertNamesField(self.call("get", "/organizations?sector=guilds", self.viewer), "sector")
        self.assertNamesField(self.call("get", "/organizations?level=galactic", self.viewer), "level")

    def test_merged_organizations_are_not_listed(self):
        names = self.names(self.call("get", "/organizations?page_size=200", self.viewer))
        self.assertNotIn("Warehouse Workers Union", names)


class OrganizationDetailTests(ApiTestCase):
    def test_it_shows_the_organization(self):
        response = self.call("get", f"/organizations/{self.union.public_id}", self.viewer)
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["id"], str(self.union.public_id))
        self.assertEqual(data["aliases"], ["WWU"])
        self.assertEqual((data["sector"], data["sector_name"], data["family"]), ("labor", "Labor", "labor"))
        self.assertEqual(data["populations"], ["manufacturing-warehouse"])
        self.assertEqual(data["languages"], ["English", "Spanish"])
        self.assertEqual(data["url"], self.union.get_absolute_url())

    def test_an_unknown_organization_is_404(self):
        response = self.call("get", f"/organizations/{uuid4()}", self.viewer)
        self.assertEqual(response.status_code, 404)
        self.assertIn("detail", response.json())

    def test_a_merged_organization_is_404(self):
        response = self.call("get", f"/organizations/{self.duplicate.public_id}", self.viewer)
        self.assertEqual(response.status_code, 404)

    def test_a_malformed_id_is_a_client_error(self):
        response = self.call("get", "/organizations/not-a-uuid", self.viewer)
        self.assertIn(response.status_code, (404, 422))


class OrganizationWriteTests(ApiTestCase):
    new = {
        "name": "Domestic Workers Alliance",
        "aliases": ["DWA", "Alianza"],
        "sector": "labor",
        "level": "regional",
        "state": "IL",
        "website": "https://dwa.example.org",
        "populations": ["domestic", "immigrant-undocumented"],
        "languages": ["English", "Spanish"],
    }

    def test_read_only_roles_get_403_on_writes(self):
        path = f"/organizations/{self.union.public_id}"
        for user in [self.viewer, self.member, self.coder]:
            response = self.call("post", "/organizations", user, self.new)
            self.assertEqual(response.status_code, 403, user.role)
            self.assertIn("detail", response.json())
            self.assertEqual(self.call("patch", path, user, {"city": "Aurora"}).status_code, 403)
        self.assertFalse(Organization.objects.filter(name=self.new["name"]).exists())
        self.union.refresh_from_db()
        self.assertEqual(self.union.city, "Joliet")

    def test_a_facilitator_creates_an_organization(self):
        response = self.call("post", "/organizations", self.facilitator, self.new)
        self.assertEqual(response.status_code, 201, response.content)
        organization = Organization.objects.get(public_id=response.json()["id"])
        self.assertEqual(organization.aliases, "DWA\nAlianza")
        self.assertEqual(organization.languages, "English; Spanish")
        self.assertEqual(
            sorted(organization.populations.values_list("slug", flat=True)),
            ["domestic", "immigrant-undocumented"],
        )
        self.assertEqual(response.json()["populations"], ["domestic", "immigrant-undocumented"])
        event = AuditEvent.objects.for_object(organization).get()
        self.assertEqual((event.action, event.actor), ("create", self.facilitator))

    def test_a_facilitator_changes_only_the_fields_sent(self):
        path = f"/organizations/{self.union.public_id}"
        response = self.call("patch", path, self.facilitator, {"city": "Aurora", "populations": []})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual((response.json()["city"], response.json()["populations"]), ("Aurora", []))
        self.union.refresh_from_db()
        self.assertEqual(
            (self.union.name, self.union.aliases, self.union.state),
            ("Warehouse Workers United", "WWU", "IL"),
        )
        event = AuditEvent.objects.for_object(self.union).get()
        self.assertEqual(event.action, "change")
        self.assertEqual(event.changes["city"], ["Joliet", "Aurora"])

    def test_a_merged_organization_cannot_be_changed(self):
        path = f"/organizations/{self.duplicate.public_id}"
        self.assertEqual(self.call("patch", path, self.facilitator, {"city": "X"}).status_code, 404)

    def test_an_unknown_sector_is_named_with_the_valid_ones(self):
        response = self.call("post", "/organizations", self.facilitator, {**self.new, "sector": "guild"})
        message = self.assertNamesField(response, "sector")
        self.assertTrue(message.startswith("Unknown sector 'guild'. Valid: "), message)
        self.assertIn("labor", message)
        self.assertIn("public-health", message)

    def test_an_unknown_population_is_named(self):
        body = {**self.new, "populations": ["domestic", "astronauts"]}
        message = self.assertNamesField(
            self.call("post", "/organizations", self.facilitator, body), "populations"
        )
        self.assertIn("'astronauts'", message)

    def test_a_bad_level_website_or_name_is_named(self):
        path = f"/organizations/{self.union.public_id}"
        cases = [
            ({"level": "galactic"}, "level"),
            ({"website": "not a url"}, "website"),
            ({"name": ""}, "name"),
            ({"name": "   "}, "name"),
            ({"name": "x" * 201}, "name"),
            ({"city": None}, "city"),
        ]
        for body, field in cases:
            self.assertNamesField(self.call("patch", path, self.facilitator, body), field)
        self.assertFalse(AuditEvent.objects.exists())

    def test_every_bad_field_is_named_at_once(self):
        body = {**self.new, "name": "", "sector": "guild", "website": "nope"}
        response = self.call("post", "/organizations", self.facilitator, body)
        self.assertEqual(response.status_code, 422)
        fields = {error["field"] for error in response.json()["detail"]}
        self.assertEqual(fields, {"name", "sector", "website"})

    def test_a_missing_name_is_named(self):
        body = {key: value for key, value in self.new.items() if key != "name"}
        self.assertNamesField(self.call("post", "/organizations", self.facilitator, body), "name")

    def test_invalid_json_is_a_client_error(self):
        for raw in ["{not json", "[1, 2]", '"just a string"']:
            response = self.call("post", "/organizations", self.facilitator, raw_body=raw)
            self.assertIn(response.status_code, (400, 422), raw)
            self.assertIn("detail", response.json())

    def test_a_known_name_or_alias_is_refused_unless_allowed(self):
        body = {**self.new, "name": "wwu"}
        message = self.assertNamesField(self.call("post", "/organizations", self.facilitator, body), "name")
        self.assertIn(str(self.union.public_id), message)
        response = self.call("post", "/organizations", self.facilitator, {**body, "allow_duplicate": True})
        self.assertEqual(response.status_code, 201)

    def test_keeping_its_own_name_is_not_a_duplicate(self):
        path = f"/organizations/{self.union.public_id}"
        response = self.call("patch", path, self.facilitator, {"name": "Warehouse Workers United"})
        self.assertEqual(response.status_code, 200, response.content)


class PersonTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.organizer = factories.person("Rosa Organizer", email="rosa@example.org", may_be_contacted=True)
        cls.interviewee = factories.person("Anonymous Interviewee", may_be_contacted=False)
        factories.affiliation(cls.organizer, cls.union, title="Lead organizer")
        factories.affiliation(cls.organizer, cls.duplicate, title="Old chapter")
        factories.affiliation(cls.interviewee, cls.health_department)

    def names(self, response) -> list[str]:
        self.assertEqual(response.status_code, 200, response.content)
        return [row["name"] for row in response.json()["results"]]

    def test_a_viewer_sees_only_people_who_may_be_contacted(self):
        self.assertEqual(self.names(self.call("get", "/people", self.viewer)), ["Rosa Organizer"])
        response = self.call("get", f"/people/{self.interviewee.public_id}", self.viewer)
        self.assertEqual(response.status_code, 404)

    def test_research_roles_see_everyone(self):
        self.assertEqual(
            self.names(self.call("get", "/people", self.coder)),
            ["Anonymous Interviewee", "Rosa Organizer"],
        )
        response = self.call("get", f"/people/{self.interviewee.public_id}", self.coder)
        self.assertEqual(response.status_code, 200)

    def test_it_shows_affiliations_but_not_with_merged_organizations(self):
        data = self.call("get", f"/people/{self.organizer.public_id}", self.viewer).json()
        self.assertEqual(
            data["affiliations"],
            [
                {
                    "organization": {
                        "id": str(self.union.public_id),
                        "name": "Warehouse Workers United",
                    },
                    "title": "Lead organizer",
                    "start_date": None,
                    "end_date": None,
                }
            ],
        )
        self.assertEqual(data["url"], self.organizer.get_absolute_url())

    def test_it_filters_by_organization_and_text(self):
        path = f"/people?organization={self.health_department.public_id}"
        self.assertEqual(self.names(self.call("get", path, self.coder)), ["Anonymous Interviewee"])
        self.assertEqual(self.names(self.call("get", "/people?q=rosa", self.coder)), ["Rosa Organizer"])
        self.assertEqual(self.call("get", "/people?page_size=1", self.coder).json()["count"], 2)

    def test_read_only_roles_get_403_on_writes(self):
        body = {"name": "New Person"}
        for user in [self.viewer, self.coder]:
            self.assertEqual(self.call("post", "/people", user, body).status_code, 403)
            path = f"/people/{self.organizer.public_id}"
            self.assertEqual(self.call("patch", path, user, body).status_code, 403)
        self.assertFalse(Person.objects.filter(name="New Person").exists())

    def test_a_facilitator_creates_and_changes_a_person(self):
        body = {
            "name": "Lupe Steward",
            "email": "lupe@example.org",
            "may_be_contacted": True,
            "consent_recorded_on": "2024-03-01",
            "preferred_language": "es",
        }
        response = self.call("post", "/people", self.facilitator, body)
        self.assertEqual(response.status_code, 201, response.content)
        person = Person.objects.get(public_id=response.json()["id"])
        response = self.call("patch", f"/people/{person.public_id}", self.facilitator, {"phone": "555-0100"})
        self.assertEqual(response.json()["phone"], "555-0100")
        person.refresh_from_db()
        self.assertEqual((person.email, person.preferred_language), ("lupe@example.org", "es"))
        actions = list(AuditEvent.objects.for_object(person).values_list("action", flat=True))
        self.assertEqual(actions, ["change", "create"])

    def test_an_impossible_date_is_named(self):
        body = {"name": "Lupe Steward", "consent_recorded_on": "2024-02-30"}
        self.assertNamesField(self.call("post", "/people", self.facilitator, body), "consent_recorded_on")

    def test_a_bad_email_language_or_name_is_named(self):
        path = f"/people/{self.organizer.public_id}"
        for body, field in [
            ({"email": "rosa"}, "email"),
            ({"preferred_language": "xx"}, "preferred_language"),
            ({"name": ""}, "name"),
        ]:
            self.assertNamesField(self.call("patch", path, self.facilitator, body), field)
