"""The metrics page of a wave, its filters and its downloads."""

import csv
import io
import json

from django.urls import reverse
from django.utils import timezone

from healthywork.core.tests.base import PersonaTestCase
from healthywork.network.tests import factories
from healthywork.partners.tests import factories as partner_factories


class MetricsPageTestCase(PersonaTestCase):
    """A hand-checkable network: a health star around the clinic, plus one health–labor tie.

    clinic — hospital, clinic — health dept, clinic — union (health–labor), union — center.
    5 nodes, 4 ties: density 4/10 = 0.4; by sector family, 2 ties across (clinic–union counts
    once; union–center is inside labor; clinic–hospital and clinic–dept inside health), so
    E-I = (1 − 3) / 4 = −0.5; health–labor share 1/4 = 25 %.
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.wave = factories.wave("Baseline 2017")
        org = partner_factories.organization
        cls.clinic = org("Eastside Clinic", "healthcare")
        cls.hospital = org("General Hospital", "healthcare")
        cls.dept = org("County Health Department", "public-health")
        cls.union = org("Food Workers Union", "labor")
        cls.center = org("Worker Center", "labor")
        for other in (cls.hospital, cls.dept):
            factories.tie(cls.wave, cls.clinic, other, level=3)
        factories.tie(cls.wave, cls.clinic, cls.union, kind="referrals", level=2)
        factories.tie(cls.wave, cls.union, cls.center, kind="policy_coalition")
        cls.url = reverse("network:metrics", args=[cls.wave.public_id])
        cls.export_url = reverse("network:metrics-export", args=[cls.wave.public_id])

    def test_it_shows_the_headline_numbers_with_explanations(self):
        self.login(self.viewer)
        response = self.client.get(self.url, {"group_by": "sector_family"})
        self.assertEqual(response.status_code, 200)
        headline = {row["key"]: row["value"] for row in response.context["headline"]}
        self.assertEqual(headline["nodes"], "5")
        self.assertEqual(headline["ties"], "4")
        self.assertEqual(headline["density"], "0.400")
        self.assertEqual(headline["components"], "1")
        self.assertEqual(headline["ei_index"], "−0.500")
        self.assertEqual(headline["health_labor_share"], "25.0 %")
        self.assertEqual(headline["reciprocity"], "—")  # no one-way tie
        self.assertContains(response, "The share of all possible pairs that are tied")

    def test_it_shows_the_group_matrix_as_a_table_and_a_chart(self):
        self.login(self.viewer)
        response = self.client.get(self.url, {"group_by": "sector_family"})
        matrix = response.context["matrix"]
        self.assertEqual(matrix["labels"], ["Health", "Labor"])
        self.assertEqual([row["counts"] for row in matrix["rows"]], [[2, 1], [1, 1]])
        self.assertContains(response, 'id="matrix-spec"')
        self.assertContains(response, '<th scope="row">Health</th>', html=False)

    def test_the_organizations_table_sorts_and_links(self):
        self.login(self.viewer)
        response = self.client.get(self.url, {"sort": "-degree"})
        names = [row["name"] for row in response.context["organizations"]]
        self.assertEqual(names[0], "Eastside Clinic")
        self.assertContains(response, self.clinic.get_absolute_url())
        response = self.client.get(self.url, {"sort": "name"})
        names = [row["name"] for row in response.context["organizations"]]
        self.assertEqual(names, sorted(names, key=str.casefold))

    def test_the_clinic_brokers_health_and_labor(self):
        self.login(self.viewer)
        response = self.client.get(self.url)
        brokers = response.context["brokers"]
        # hospital–union, hospital–center, dept–union, dept–center, clinic–center pass through the clinic
        self.assertEqual(brokers[0]["name"], "Eastside Clinic")
        self.assertContains(response, "Brokers between health and labor")

    def test_a_filter_narrows_the_network(self):
        self.login(self.viewer)
        response = self.client.get(self.url, {"kind": "information"})
        headline = {row["key"]: row["value"] for row in response.context["headline"]}
        self.assertEqual(headline["ties"], "2")
        self.assertEqual(headline["nodes"], "3")

    def test_collaboration_levels_are_summarised(self):
        self.login(self.viewer)
        response = self.client.get(self.url)
        collaboration = response.context["collaboration"]
        self.assertEqual(collaboration["ratings"], 3)
        self.assertEqual(collaboration["mean"], "2.67")
        counts = {row["level"]: row["count"] for row in collaboration["distribution"]}
        self.assertEqual((counts[2], counts[3]), (1, 2))
        self.assertContains(response, 'id="collaboration-spec"')

    def test_trust_and_value_show_aggregates_only(self):
        survey = factories.survey(self.wave, [self.clinic, self.union])
        clinic_answers, union_answers = survey.respondents.order_by("organization__name")
        for respondent, partner, level in ((clinic_answers, self.union, 4), (union_answers, self.clinic, 2)):
            respondent.submitted_at = timezone.now()
            respondent.save()
            factories.rating(
                respondent, partner, level=level, trust_reliability=4, trust_mission=3, trust_openness=2,
                value_power=4, value_involvement=4, value_resources=4,
            )  # fmt: skip
        self.login(self.viewer)
        response = self.client.get(self.url)
        trust_value = response.context["trust_value"]
        self.assertAlmostEqual(trust_value["trust"]["network"], 3.0)
        self.assertAlmostEqual(trust_value["value"]["network_percent"], 100.0)
        self.assertEqual(len(trust_value["rows"]), 2)
        self.assertContains(response, "Network trust")
        # The two survey answers disagree (4 and 2).
        disagreements = response.context["collaboration"]["disagreements"]
        self.assertEqual(len(disagreements), 1)
        self.assertEqual({disagreements[0]["a_to_b"], disagreements[0]["b_to_a"]}, {2, 4})

    def test_unsubmitted_answers_are_not_counted_in_trust(self):
        survey = factories.survey(self.wave, [self.clinic, self.union])
        respondent = survey.respondents.get(organization=self.clinic)
        factories.rating(respondent, self.union, trust_reliability=1)
        self.login(self.viewer)
        response = self.client.get(self.url)
        self.assertIsNone(response.context["trust_value"])

    def test_the_per_organization_table_downloads_as_csv_and_xlsx(self):
        self.login(self.viewer)
        response = self.client.get(self.export_url, {"format": "csv", "sort": "-degree"})
        self.assertEqual(response.status_code, 200)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:3], ["Organization", "Public id", "Group"])
        self.assertEqual(rows[1][0], "Eastside Clinic")
        self.assertEqual(rows[1][6], "3")
        self.assertEqual(len(rows), 6)
        response = self.client.get(self.export_url, {"format": "xlsx"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))

    def test_the_whole_metrics_download_as_json(self):
        self.login(self.viewer)
        response = self.client.get(self.export_url, {"format": "json", "group_by": "sector_family"})
        data = json.loads(response.content)
        for key in ("nodes", "ties", "density", "degree_centralization", "reciprocity", "ei_index"):
            self.assertIn(key, data)
        for key in ("ei_by_group", "components", "group_matrix", "brokers", "trust", "value"):
            self.assertIn(key, data)
        self.assertEqual(data["ties"], 4)
        self.assertEqual(data["ei_by_group"]["labor"], 0.0)  # 1 across, 1 inside

    def test_an_unknown_format_is_a_clear_error(self):
        self.login(self.viewer)
        response = self.client.get(self.export_url, {"format": "pdf"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Unknown format", response.content.decode())

    def test_a_bad_filter_names_the_field(self):
        self.login(self.viewer)
        response = self.client.get(self.url, {"kind": "gossip"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Kinds of tie: Select a valid choice", status_code=400)
        response = self.client.get(self.url, {"sort": "shoe_size"})
        self.assertContains(response, "is not a column to sort by", status_code=400)

    def test_htmx_gets_the_results_fragment(self):
        self.login(self.viewer)
        response = self.client.get(self.url, headers={"HX-Request": "true"})
        self.assertContains(response, 'id="results"')
        self.assertNotContains(response, "<html")

    def test_an_empty_wave_still_renders(self):
        empty = factories.wave("Empty wave")
        self.login(self.viewer)
        response = self.client.get(reverse("network:metrics", args=[empty.public_id]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "No organization in this view.")

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.url)
        self.assertNeedsLogin(self.export_url)

    def test_an_unknown_wave_is_404(self):
        self.login(self.viewer)
        response = self.client.get(reverse("network:metrics", args=["00000000-0000-0000-0000-000000000000"]))
        self.assertEqual(response.status_code, 404)
