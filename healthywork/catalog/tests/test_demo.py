"""The demo catalog: the scan's initiatives with the scan's finding in them, and the teams'."""

from datetime import date
from io import StringIO

import numpy as np
import pytest
from django.test import TestCase
from scipy.stats import chi2_contingency

from healthywork.catalog import demo
from healthywork.catalog.crosstab import count_table
from healthywork.catalog.models import Initiative, InitiativePartner
from healthywork.core.management.commands.demo import demo_modules
from healthywork.core.search import text_search
from healthywork.partners import demo as partners_demo

LABOR_SIDE = {"labor", "legal"}


def load_demo() -> str:
    partners_demo.load(stdout=StringIO())
    output = StringIO()
    demo.load(stdout=output)
    return output.getvalue()


def adjusted_residuals(counts: list[list[int]]) -> np.ndarray:
    """(O − E) / √(E (1 − row share)(1 − column share)): Agresti, Categorical Data Analysis, 2.4.5."""
    observed = np.array(counts, dtype=float)
    _chi2, _p, _dof, expected = chi2_contingency(observed, correction=False)
    total = observed.sum()
    row_share = observed.sum(axis=1, keepdims=True) / total
    col_share = observed.sum(axis=0, keepdims=True) / total
    return (observed - expected) / np.sqrt(expected * (1 - row_share) * (1 - col_share))


class DemoCatalogTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = load_demo()

    def residual(self, rows: str, cols: str, row_label: str, col_label: str) -> float:
        row_labels, col_labels, counts = count_table(Initiative.objects.all(), rows, cols)
        residuals = adjusted_residuals(counts)
        return float(residuals[row_labels.index(row_label), col_labels.index(col_label)])

    def test_it_loads_the_scans_230_initiatives_and_one_per_team(self):
        self.assertEqual(Initiative.objects.count(), demo.SCAN_INITIATIVES + len(partners_demo.TEAMS))
        self.assertEqual(Initiative.objects.filter(source=demo.SCAN_SOURCE).count() >= 190, True)
        self.assertEqual(Initiative.objects.filter(source=demo.CASE_STUDY_SOURCE).count(), 8)
        self.assertIn("238 demo initiatives (238 new, 0 changed)", self.output)

    def test_the_scans_initiatives_are_led_by_the_scans_organizations(self):
        scanned = set(partners_demo.scan_organizations().values_list("pk", flat=True))
        leads = set(
            Initiative.objects.filter(source=demo.SCAN_SOURCE).values_list("lead_organization", flat=True)
        )
        self.assertTrue(leads <= scanned)
        self.assertGreaterEqual(len(leads), 50)

    def test_each_team_has_its_initiative_with_the_lead_first_and_the_others_as_partners(self):
        for title, organizations in partners_demo.team_organizations():
            initiative = Initiative.objects.get(title=title)
            self.assertEqual(initiative.lead_organization, organizations[0])
            partners = {partner.organization for partner in initiative.partners.all()}
            self.assertEqual(partners, set(organizations[1:]), title)
            self.assertEqual(initiative.start_date, date(2018, 9, 1))

    def test_the_internship_equity_initiative_tells_the_public_story(self):
        initiative = Initiative.objects.get(title="Setting New Standards for Internship Equity")
        self.assertEqual(initiative.lead_organization.name, "Health & Medicine Policy Research Group")
        self.assertEqual(initiative.pse_class, "policy")
        self.assertEqual(initiative.action_type.slug, "internal-policy")
        self.assertIn("three cohorts of three interns a year", initiative.summary)
        self.assertEqual(list(initiative.populations.values_list("slug", flat=True)), ["youth-interns"])

    def test_every_initiative_passes_the_models_rules_with_dates_from_2010_to_2019(self):
        for initiative in Initiative.objects.all():
            initiative.full_clean()
            for day in (initiative.start_date, initiative.end_date):
                if day is not None:
                    self.assertTrue(date(2010, 1, 1) <= day <= date(2019, 12, 31), initiative.title)
            if initiative.status == "active" and initiative.end_date:
                self.assertGreaterEqual(initiative.end_date, date(2017, 6, 1), initiative.title)
            if initiative.status in ("completed", "ended"):
                self.assertIsNotNone(initiative.end_date, initiative.title)

    def test_labor_leads_public_policy_and_health_leads_training_beyond_chance(self):
        # The scan's finding, found in the data by the same test the crosstab page runs.
        self.assertGreater(
            self.residual("sector_family", "action_type", "Labor", "Public policy and advocacy"), 3
        )
        self.assertGreater(
            self.residual("sector_family", "action_type", "Health", "Training and education"), 3
        )
        self.assertGreater(
            self.residual("sector_family", "action_type", "Labor", "Organizing and collective action"), 3
        )
        self.assertGreater(
            self.residual(
                "sector_family", "action_type", "Health", "Internal organizational or business policy"
            ),
            3,
        )
        self.assertLess(
            self.residual("sector_family", "action_type", "Health", "Public policy and advocacy"), -2
        )

    def test_the_pattern_is_strong_but_not_clean(self):
        by_family = Initiative.objects.filter(lead_organization__sector__family="labor")
        self.assertTrue(by_family.filter(action_type__slug="training-education").exists())
        health = Initiative.objects.filter(lead_organization__sector__family="health")
        self.assertTrue(health.filter(action_type__slug="public-policy-advocacy").exists())
        _rows, _cols, counts = count_table(Initiative.objects.all(), "sector_family", "action_type")
        _chi2, p_value, _dof, _expected = chi2_contingency(np.array(counts))
        self.assertLess(p_value, 1e-6)

    def test_labor_work_is_mostly_policy_or_systems_and_health_work_individual_or_internal_policy(self):
        labor = Initiative.objects.filter(lead_organization__sector__family="labor")
        health = Initiative.objects.filter(lead_organization__sector__family="health")
        self.assertGreater(labor.filter(pse_class__in=["policy", "systems"]).count() / labor.count(), 0.65)
        individual_or_internal = (
            health.filter(pse_class="individual").count()
            + health.filter(action_type__slug="internal-policy").count()
        )
        self.assertGreater(individual_or_internal / health.count(), 0.6)
        self.assertGreater(self.residual("sector_family", "pse_class", "Labor", "Policy"), 2)
        self.assertGreater(
            self.residual("sector_family", "pse_class", "Health", "Individual or programmatic"), 2
        )

    def test_few_initiatives_join_a_health_and_a_labor_organization(self):
        joint = 0
        initiatives = Initiative.objects.select_related("lead_organization__sector").prefetch_related(
            "partners__organization__sector"
        )
        for initiative in initiatives:
            families = {initiative.lead_organization.sector.family} | {
                partner.organization.sector.family for partner in initiative.partners.all()
            }
            joint += "health" in families and bool(families & LABOR_SIDE)
        self.assertGreater(joint, 0)
        self.assertLess(joint / initiatives.count(), 0.10)

    def test_the_classes_are_filled_sometimes_as_in_a_real_catalog(self):
        initiatives = Initiative.objects.all()
        total = initiatives.count()
        for field in ("evidence_rating", "links", "twh_level"):
            filled = initiatives.exclude(**{field: ""}).count()
            self.assertTrue(0.1 * total < filled < 0.9 * total, field)
        self.assertFalse(
            initiatives.exclude(links="").exclude(links__startswith="https://example.org/").exists()
        )
        self.assertTrue(0.1 * total < initiatives.filter(tags__isnull=False).distinct().count() < 0.9 * total)
        self.assertFalse(initiatives.filter(conditions__isnull=True).exists())
        self.assertFalse(initiatives.filter(populations__isnull=True).exists())
        used_conditions = set(initiatives.values_list("conditions__slug", flat=True))
        self.assertEqual(len(used_conditions), 7)
        self.assertEqual(
            set(initiatives.values_list("status", flat=True)), {"proposed", "active", "completed", "ended"}
        )
        self.assertEqual(
            set(initiatives.values_list("level", flat=True)), {"national", "state", "regional", "local"}
        )

    def test_invented_initiatives_of_real_organizations_say_so_and_never_pair_two_real_ones(self):
        real = {name for _title, names in partners_demo.TEAMS for name in names}
        invented = Initiative.objects.exclude(source=demo.CASE_STUDY_SOURCE).prefetch_related(
            "partners__organization"
        )
        for initiative in invented.select_related("lead_organization"):
            names = {initiative.lead_organization.name} | {
                p.organization.name for p in initiative.partners.all()
            }
            self.assertLessEqual(len(names & real), 1, initiative.title)
            self.assertEqual(initiative.summary.endswith(demo.INVENTED), bool(names & real), initiative.title)

    def test_partners_names_are_searchable(self):
        title = "Comprehensive Support for Workers' Health"
        found = text_search(Initiative.objects.all(), "legal aid chicago")
        self.assertIn(title, set(found.values_list("title", flat=True)))

    def test_partner_roles_are_known_ones(self):
        roles = set(InitiativePartner.objects.values_list("role", flat=True))
        self.assertTrue(roles <= set(InitiativePartner.Role.values))


@pytest.mark.django_db
def test_loading_twice_creates_nothing_new_and_changes_nothing():
    load_demo()
    stamps = dict(Initiative.objects.values_list("title", "updated_at"))
    partners = sorted(
        InitiativePartner.objects.values_list("initiative__title", "organization__name", "role")
    )
    links = {
        field: Initiative._meta.get_field(field).remote_field.through.objects.count()
        for field in ("populations", "conditions", "tags")
    }

    output = load_demo()

    assert "(0 new, 0 changed)" in output
    assert dict(Initiative.objects.values_list("title", "updated_at")) == stamps
    assert (
        sorted(InitiativePartner.objects.values_list("initiative__title", "organization__name", "role"))
        == partners
    )
    for field, count in links.items():
        assert Initiative._meta.get_field(field).remote_field.through.objects.count() == count


@pytest.mark.django_db
def test_loading_again_puts_back_a_changed_initiative():
    load_demo()
    initiative = Initiative.objects.get(title="Setting New Standards for Internship Equity")
    initiative.pse_class = "individual"
    initiative.save()
    initiative.conditions.clear()

    output = load_demo()

    initiative.refresh_from_db()
    assert "(0 new, 1 changed)" in output
    assert initiative.pse_class == "policy"
    assert initiative.conditions.count() == 2


@pytest.mark.django_db
def test_without_the_partners_demo_it_writes_nothing_and_says_why():
    output = StringIO()
    demo.load(stdout=output)
    assert Initiative.objects.count() == 0
    assert "load the partners' demo data first" in output.getvalue()


def test_the_demo_command_loads_the_catalog_after_the_partners():
    names = [module.__name__ for module in demo_modules()]
    assert names.index("healthywork.catalog.demo") > names.index("healthywork.partners.demo")


def test_the_plan_is_the_same_on_every_run():
    assert demo.plan() == demo.plan()
    titles = [item["title"] for item in demo.plan()]
    assert len(titles) == len(set(titles))
