"""The initiative catalog's JSON API under /api/v1/: list, detail, create, change, crosstab."""

import json
from datetime import date
from io import StringIO
from uuid import uuid4

from healthywork.accounts.models import ApiToken
from healthywork.catalog import demo
from healthywork.catalog.models import ActionType, Condition, Initiative, InitiativePartner, Tag
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners import demo as partners_demo
from healthywork.partners.models import Population
from healthywork.partners.tests import factories

API = "/api/v1"


def initiative(title: str, lead, action_type: str, **fields) -> Initiative:
    """An initiative written straight to the table (the services are tested through the API)."""
    populations = fields.pop("populations", [])
    conditions = fields.pop("conditions", [])
    tags = fields.pop("tags", [])
    partners = fields.pop("partners", [])
    fields.setdefault("pse_class", "policy")
    row = Initiative.objects.create(
        title=title, lead_organization=lead, action_type=ActionType.objects.get(slug=action_type), **fields
    )
    row.populations.set(Population.objects.filter(slug__in=populations))
    row.conditions.set(Condition.objects.filter(slug__in=conditions))
    row.tags.set([Tag.objects.get_or_create(name=name)[0] for name in tags])
    for organization, role in partners:
        InitiativePartner.objects.create(initiative=row, organization=organization, role=role)
    row.save()  # the partners' names into the search text
    return row


class ApiTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tokens = {
            user.pk: ApiToken.issue(user, "tests")[1]
            for user in [cls.administrator, cls.facilitator, cls.member, cls.viewer]
        }
        cls.union = factories.organization("Warehouse Workers United", "labor", aliases="WWU", state="IL")
        cls.health_department = factories.organization("Will County Health Department", "public-health")
        cls.legal_aid = factories.organization("Joliet Legal Aid", "legal")
        cls.gone = factories.organization("Warehouse Workers Union", "labor")
        cls.gone.merged_into = cls.union
        cls.gone.save(update_fields=["merged_into"])
        cls.heat = initiative(
            "Heat standard campaign",
            cls.union,
            "public-policy-advocacy",
            status="active",
            level="state",
            twh_level="eliminate",
            start_date=date(2015, 5, 1),
            populations=["manufacturing-warehouse"],
            conditions=["free-from-hazards"],
            tags=["heat illness"],
            evidence_rating="some_evidence",
            partners=[(cls.legal_aid, "partner")],
        )
        cls.training = initiative(
            "Ergonomics workshops",
            cls.health_department,
            "training-education",
            pse_class="individual",
            status="completed",
            start_date=date(2012, 1, 1),
            end_date=date(2013, 6, 30),
            populations=["care-workers"],
            conditions=["free-from-hazards"],
            twh_level="educate",
        )
        cls.clinic = initiative(
            "Wage claim clinic",
            cls.legal_aid,
            "legal-services-rights",
            pse_class="systems",
            status="proposed",
            populations=["low-wage"],
            conditions=["living-wage"],
            tags=["wage theft"],
        )

    def call(self, method: str, path: str, user=None, body=None):
        headers = {"Authorization": f"Bearer {self.tokens[user.pk]}"} if user else {}
        kwargs = {"headers": headers}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(API + path, **kwargs)

    def titles(self, query: str) -> list[str]:
        response = self.call("get", f"/initiatives?{query}", self.viewer)
        self.assertEqual(response.status_code, 200, response.content)
        return [row["title"] for row in response.json()["results"]]

    def assertNamesField(self, response, field: str) -> str:  # noqa: N802
        self.assertEqual(response.status_code, 422, response.content)
        errors = {error["field"]: error["message"] for error in response.json()["detail"]}
        self.assertIn(field, errors)
        return errors[field]


class AuthenticationTests(ApiTestCase):
    def test_anonymous_gets_401_json(self):
        for method, path in [
            ("get", "/initiatives"),
            ("get", f"/initiatives/{self.heat.public_id}"),
            ("get", "/crosstab"),
            ("post", "/initiatives"),
            ("patch", f"/initiatives/{self.heat.public_id}"),
        ]:
            response = self.call(method, path, body={} if method != "get" else None)
            self.assertEqual(response.status_code, 401, path)
            self.assertIn("detail", response.json())

    def test_a_session_authenticates(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(f"{API}/initiatives").status_code, 200)

    def test_openapi_lists_the_paths_under_the_catalog_tag(self):
        paths = self.client.get(f"{API}/openapi.json").json()["paths"]
        for path in ["/initiatives", "/initiatives/{public_id}", "/crosstab"]:
            self.assertIn(API + path, paths)
        self.assertEqual(paths[f"{API}/crosstab"]["get"]["tags"], ["catalog"])


class InitiativeListTests(ApiTestCase):
    def test_it_pages_the_list_in_title_order(self):
        response = self.call("get", "/initiatives?page_size=2&page=2", self.viewer)
        data = response.json()
        self.assertEqual((data["count"], data["page"], data["page_size"]), (3, 2, 2))
        self.assertEqual([row["title"] for row in data["results"]], ["Wage claim clinic"])
        self.assertIsNone(data["facets"])

    def test_it_defaults_to_25_a_page_and_caps_at_200(self):
        self.assertEqual(self.call("get", "/initiatives", self.viewer).json()["page_size"], 25)
        self.assertEqual(
            self.call("get", "/initiatives?page_size=5000", self.viewer).json()["page_size"], 200
        )

    def test_it_filters_by_every_class_as_the_catalog_page_does(self):
        cases = {
            "sector=labor": ["Heat standard campaign"],
            "sector_family=health": ["Ergonomics workshops"],
            "family=legal": ["Wage claim clinic"],
            "action_type=training-education": ["Ergonomics workshops"],
            "pse_class=systems": ["Wage claim clinic"],
            "twh_level=eliminate": ["Heat standard campaign"],
            "level=state": ["Heat standard campaign"],
            "status=completed": ["Ergonomics workshops"],
            "condition=living-wage": ["Wage claim clinic"],
            "population=care-workers": ["Ergonomics workshops"],
            "tag=wage theft": ["Wage claim clinic"],
            "evidence_rating=some_evidence": ["Heat standard campaign"],
        }
        for query, expected in cases.items():
            self.assertEqual(self.titles(query), expected, query)

    def test_repeated_values_of_a_class_are_alternatives_and_classes_combine(self):
        self.assertEqual(
            self.titles("status=active&status=proposed"), ["Heat standard campaign", "Wage claim clinic"]
        )
        self.assertEqual(
            self.titles("status=active&status=proposed&condition=living-wage"), ["Wage claim clinic"]
        )

    def test_it_searches_titles_summaries_and_organization_names(self):
        self.assertEqual(self.titles("q=ergonomics"), ["Ergonomics workshops"])
        # The partner's name finds the initiative it partners on, as well as its own.
        self.assertEqual(self.titles("q=joliet legal"), ["Heat standard campaign", "Wage claim clinic"])

    def test_it_sorts(self):
        self.assertEqual(
            self.titles("sort=newest"),
            ["Heat standard campaign", "Ergonomics workshops", "Wage claim clinic"],
        )

    def test_an_unknown_class_value_or_sort_is_named_with_the_valid_ones(self):
        message = self.assertNamesField(
            self.call("get", "/initiatives?pse_class=galactic", self.viewer), "pse_class"
        )
        self.assertIn("individual", message)
        self.assertNamesField(
            self.call("get", "/initiatives?action_type=juggling", self.viewer), "action_type"
        )
        self.assertNamesField(self.call("get", "/initiatives?family=guild", self.viewer), "family")
        self.assertNamesField(
            self.call("get", "/initiatives?population=astronauts", self.viewer), "population"
        )
        self.assertNamesField(self.call("get", "/initiatives?sort=random", self.viewer), "sort")

    def test_an_unknown_tag_simply_matches_nothing(self):
        self.assertEqual(self.titles("tag=nothing"), [])

    def test_it_counts_the_facets_on_request(self):
        response = self.call("get", "/initiatives?facets=true&status=active&status=proposed", self.viewer)
        counts = response.json()["facets"]
        self.assertEqual(counts["sector_family"], {"labor": 1, "legal": 1})
        # A facet's own selection is left out of its counts, as on the catalog page.
        self.assertEqual(counts["status"], {"active": 1, "completed": 1, "proposed": 1})
        self.assertEqual(counts["tag"], {"heat illness": 1, "wage theft": 1})


class InitiativeDetailTests(ApiTestCase):
    def test_it_shows_the_initiative(self):
        response = self.call("get", f"/initiatives/{self.heat.public_id}", self.viewer)
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["id"], str(self.heat.public_id))
        self.assertEqual(
            data["lead_organization"], {"id": str(self.union.public_id), "name": self.union.name}
        )
        self.assertEqual(
            data["partners"],
            [
                {
                    "organization": {"id": str(self.legal_aid.public_id), "name": "Joliet Legal Aid"},
                    "role": "partner",
                }
            ],
        )
        self.assertEqual((data["sector"], data["sector_family"]), ("labor", "labor"))
        self.assertEqual(data["action_type"], "public-policy-advocacy")
        self.assertEqual(data["populations"], ["manufacturing-warehouse"])
        self.assertEqual(data["conditions"], ["free-from-hazards"])
        self.assertEqual(data["tags"], ["heat illness"])
        self.assertEqual(data["start_date"], "2015-05-01")
        self.assertEqual(data["url"], f"/catalog/{self.heat.public_id}/")

    def test_an_unknown_initiative_is_404(self):
        self.assertEqual(self.call("get", f"/initiatives/{uuid4()}", self.viewer).status_code, 404)

    def test_a_malformed_id_is_a_client_error(self):
        response = self.call("get", "/initiatives/not-a-uuid", self.viewer)
        self.assertIn(response.status_code, (404, 422))


class InitiativeWriteTests(ApiTestCase):
    new = {
        "title": "Paid sick days for temp workers",
        "summary": "A campaign for earned sick time.",
        "lead_organization": "WWU",  # an alias
        "action_type": "public-policy-advocacy",
        "pse_class": "policy",
        "status": "active",
        "start_date": "2016-03-01",
        "populations": ["temporary-staffing"],
        "conditions": ["benefits"],
        "tags": ["Paid sick leave", "paid sick leave"],
        "links": ["https://example.org/sick-days"],
    }

    def test_read_only_roles_get_403_on_writes(self):
        path = f"/initiatives/{self.heat.public_id}"
        for user in [self.viewer, self.member]:
            self.assertEqual(self.call("post", "/initiatives", user, self.new).status_code, 403)
            self.assertEqual(self.call("patch", path, user, {"title": "Taken over"}).status_code, 403)
        self.assertFalse(Initiative.objects.filter(title=self.new["title"]).exists())
        self.heat.refresh_from_db()
        self.assertEqual(self.heat.title, "Heat standard campaign")

    def test_a_facilitator_creates_an_initiative_with_partners(self):
        body = {
            **self.new,
            "partners": [
                {"organization": str(self.legal_aid.public_id), "role": "partner"},
                {"organization": "will county health department", "role": "funder"},
            ],
        }
        response = self.call("post", "/initiatives", self.facilitator, body)
        self.assertEqual(response.status_code, 201, response.content)
        data = response.json()
        self.assertEqual(data["lead_organization"]["name"], "Warehouse Workers United")
        self.assertEqual(data["tags"], ["Paid sick leave"])
        self.assertEqual(data["links"], ["https://example.org/sick-days"])
        self.assertEqual(
            sorted((partner["organization"]["name"], partner["role"]) for partner in data["partners"]),
            [("Joliet Legal Aid", "partner"), ("Will County Health Department", "funder")],
        )
        created = Initiative.objects.get(public_id=data["id"])
        events = AuditEvent.objects.for_object(created)
        self.assertEqual(list(events.values_list("action", flat=True)), ["create"])
        self.assertEqual(events.get().actor, self.facilitator)
        self.assertIn("joliet", created.search_text)

    def test_a_facilitator_changes_only_the_fields_sent(self):
        path = f"/initiatives/{self.heat.public_id}"
        response = self.call(
            "patch", path, self.facilitator, {"status": "completed", "end_date": "2018-09-30"}
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.heat.refresh_from_db()
        self.assertEqual((self.heat.status, self.heat.end_date), ("completed", date(2018, 9, 30)))
        self.assertEqual(self.heat.title, "Heat standard campaign")
        self.assertEqual(
            list(self.heat.partners.values_list("organization__name", flat=True)), ["Joliet Legal Aid"]
        )
        self.assertEqual(list(self.heat.tags.values_list("name", flat=True)), ["heat illness"])
        event = AuditEvent.objects.for_object(self.heat).get()
        self.assertEqual(event.action, "change")
        self.assertEqual(event.changes["status"], ["active", "completed"])

    def test_partners_sent_replace_the_list(self):
        path = f"/initiatives/{self.heat.public_id}"
        body = {"partners": [{"organization": "Will County Health Department", "role": "lead"}]}
        response = self.call("patch", path, self.administrator, body)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            list(self.heat.partners.values_list("organization__name", "role")),
            [("Will County Health Department", "lead")],
        )

    def test_unknown_classes_are_named_with_the_valid_ones(self):
        for field, value, valid in [
            ("pse_class", "galactic", "individual"),
            ("twh_level", "pray", "eliminate"),
            ("level", "planetary", "national"),
            ("status", "dormant", "completed"),
            ("evidence_rating", "great", "some_evidence"),
            ("action_type", "juggling", "training-education"),
            ("populations", ["astronauts"], "low-wage"),
            ("conditions", ["sunshine"], "living-wage"),
        ]:
            response = self.call("post", "/initiatives", self.facilitator, {**self.new, field: value})
            self.assertIn(valid, self.assertNamesField(response, field), field)
        self.assertFalse(Initiative.objects.filter(title=self.new["title"]).exists())

    def test_bad_dates_are_named(self):
        response = self.call(
            "post", "/initiatives", self.facilitator, {**self.new, "start_date": "2016-13-45"}
        )
        self.assertNamesField(response, "start_date")
        body = {**self.new, "start_date": "2016-03-01", "end_date": "2015-01-01"}
        message = self.assertNamesField(self.call("post", "/initiatives", self.facilitator, body), "end_date")
        self.assertIn("before the start", message)

    def test_an_end_before_the_stored_start_is_named(self):
        path = f"/initiatives/{self.heat.public_id}"
        response = self.call("patch", path, self.facilitator, {"end_date": "2014-12-31"})
        self.assertNamesField(response, "end_date")
        self.heat.refresh_from_db()
        self.assertIsNone(self.heat.end_date)

    def test_unknown_organizations_and_roles_are_named(self):
        body = {**self.new, "lead_organization": "Nobody United"}
        message = self.assertNamesField(
            self.call("post", "/initiatives", self.facilitator, body), "lead_organization"
        )
        self.assertIn("Nobody United", message)
        body = {
            **self.new,
            "partners": [{"organization": "WWU"}, {"organization": str(uuid4()), "role": "sponsor"}],
        }
        response = self.call("post", "/initiatives", self.facilitator, body)
        self.assertNamesField(response, "partners.1.organization")
        self.assertIn("funder", self.assertNamesField(response, "partners.1.role"))
        self.assertFalse(Initiative.objects.filter(title=self.new["title"]).exists())

    def test_a_merged_away_organization_is_unknown_by_id(self):
        body = {**self.new, "lead_organization": str(self.gone.public_id)}
        self.assertNamesField(self.call("post", "/initiatives", self.facilitator, body), "lead_organization")

    def test_a_missing_or_empty_title_is_named(self):
        body = {key: value for key, value in self.new.items() if key != "title"}
        self.assertNamesField(self.call("post", "/initiatives", self.facilitator, body), "title")
        self.assertNamesField(
            self.call("post", "/initiatives", self.facilitator, {**self.new, "title": "  "}), "title"
        )

    def test_a_bad_link_is_named(self):
        body = {**self.new, "links": ["javascript:alert(1)"]}
        self.assertNamesField(self.call("post", "/initiatives", self.facilitator, body), "links")

    def test_every_bad_field_is_named_at_once(self):
        body = {
            **self.new,
            "pse_class": "x",
            "status": "y",
            "lead_organization": "Nobody",
            "end_date": "2010-01-01",
        }
        response = self.call("post", "/initiatives", self.facilitator, body)
        self.assertEqual(response.status_code, 422)
        fields = {error["field"] for error in response.json()["detail"]}
        self.assertTrue({"pse_class", "status", "lead_organization", "end_date"} <= fields, fields)

    def test_a_change_to_an_unknown_initiative_is_404(self):
        self.assertEqual(self.call("patch", f"/initiatives/{uuid4()}", self.facilitator, {}).status_code, 404)


class CrosstabTests(ApiTestCase):
    def test_it_counts_two_classes_with_the_test_and_its_findings(self):
        response = self.call("get", "/crosstab?rows=sector_family&cols=pse_class", self.viewer)
        self.assertEqual(response.status_code, 200, response.content)
        data = response.json()
        self.assertEqual(data["rows"], ["Health", "Labor", "Legal"])
        self.assertEqual(data["cols"], ["Policy", "Systems", "Individual or programmatic"])
        self.assertEqual(data["counts"], [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
        self.assertEqual(data["total"], 3)
        self.assertEqual(data["dof"], 4)
        for key in ["expected", "chi2", "p_value", "cramers_v", "residuals", "findings", "warning"]:
            self.assertIn(key, data)

    def test_it_applies_the_catalog_filters(self):
        response = self.call(
            "get", "/crosstab?rows=status&cols=level&status=active&status=completed", self.viewer
        )
        self.assertEqual(response.json()["total"], 2)

    def test_an_empty_selection_is_an_empty_table(self):
        data = self.call("get", "/crosstab?rows=status&cols=level&q=nothingmatches", self.viewer).json()
        self.assertEqual((data["total"], data["chi2"]), (0, None))

    def test_an_unknown_class_is_named_with_the_valid_ones(self):
        message = self.assertNamesField(
            self.call("get", "/crosstab?rows=colour&cols=status", self.viewer), "rows"
        )
        self.assertIn("sector_family", message)
        self.assertNamesField(self.call("get", "/crosstab?rows=status&cols=status", self.viewer), "cols")
        self.assertNamesField(self.call("get", "/crosstab?status=dormant", self.viewer), "status")


class DemoCrosstabTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        partners_demo.load(stdout=StringIO())
        demo.load(stdout=StringIO())

    def test_it_finds_the_scans_pattern_in_the_demo_data(self):
        response = self.call("get", "/crosstab?rows=sector_family&cols=action_type&q=", self.viewer)
        data = response.json()
        residual = {
            (row, col): data["residuals"][i][j]
            for i, row in enumerate(data["rows"])
            for j, col in enumerate(data["cols"])
        }
        self.assertGreater(residual[("Labor", "Public policy and advocacy")], 3)
        self.assertGreater(residual[("Health", "Training and education")], 3)
        self.assertTrue(
            any("Labor" in sentence and "Public policy" in sentence for sentence in data["findings"])
        )
