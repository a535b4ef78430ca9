"""Importing organizations: a preview row by row, then all of it or nothing."""

from django.test import TestCase

from healthywork.accounts.models import User
from healthywork.core.models import AuditEvent
from healthywork.core.search import text_search
from healthywork.core.tabular import Table, read_table
from healthywork.core.tests.base import make_user
from healthywork.partners import exporting
from healthywork.partners.importing import apply_organizations, preview_organizations
from healthywork.partners.models import Organization, Population
from healthywork.partners.tests import factories


def table(text: str, filename: str = "organizations.csv") -> Table:
    return read_table(text.encode("utf-8"), filename)


def errors_of(preview, number: int) -> dict[str, str]:
    row = next(row for row in preview.rows if row.number == number)
    return dict(row.errors)


class ImportTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user: User = make_user("fran", "facilitator")
        cls.union = factories.organization("Warehouse Workers United", "labor", aliases="WWU", state="IL")


class CreatingTests(ImportTestCase):
    def test_it_creates_every_row(self):
        preview = preview_organizations(
            table(
                "name,aliases,sector,subsector,level,city,county,state,website,description,"
                "populations,languages\n"
                "Arise Chicago,Arise; Arise Worker Center,Labor,worker center,Local,Chicago,Cook,IL,"
                "arisechicago.org,A worker center,Low-wage workers; domestic,English; Spanish\n"
                "Cook County Health,,public-health,,Regional,,,,,,,\n"
            )
        )
        self.assertTrue(preview.can_apply)
        self.assertEqual(preview.summary(), {"create": 2, "update": 0, "merge": 0, "skip": 0, "refuse": 0})

        self.assertEqual(apply_organizations(preview, by=self.user)["create"], 2)

        arise = Organization.objects.get(name="Arise Chicago")
        self.assertEqual(arise.alias_list, ["Arise", "Arise Worker Center"])
        self.assertEqual(arise.sector.slug, "labor")
        self.assertEqual(arise.level, "local")
        self.assertEqual((arise.city, arise.county, arise.state), ("Chicago", "Cook", "IL"))
        self.assertEqual(arise.website, "https://arisechicago.org")
        self.assertEqual(arise.languages, "English; Spanish")
        self.assertEqual(set(arise.populations.values_list("slug", flat=True)), {"low-wage", "domestic"})
        health = Organization.objects.get(name="Cook County Health")
        self.assertEqual((health.sector.slug, health.level), ("public-health", "regional"))

    def test_it_writes_an_audit_event_per_row_naming_the_author(self):
        preview = preview_organizations(table("name,sector\nArise Chicago,labor\nClinic,healthcare\n"))
        apply_organizations(preview, by=self.user)
        events = AuditEvent.objects.filter(action="create", actor=self.user)
        self.assertEqual(sorted(events.values_list("object_repr", flat=True)), ["Arise Chicago", "Clinic"])

    def test_unknown_columns_are_ignored_with_a_warning(self):
        preview = preview_organizations(table("name,sector,phone\nArise Chicago,labor,555\n"))
        self.assertTrue(preview.can_apply)
        self.assertIn("phone", preview.warnings[0])


class RefusingTests(ImportTestCase):
    def test_an_unknown_sector_is_refused_listing_the_valid_ones(self):
        preview = preview_organizations(table("name,sector\nArise Chicago,Unions\n"))
        message = errors_of(preview, 2)["sector"]
        self.assertIn("Unions", message)
        for sector in ["Labor", "Public health", "Healthcare", "Government"]:
            self.assertIn(sector, message)
        self.assertFalse(preview.can_apply)

    def test_a_missing_sector_is_refused(self):
        preview = preview_organizations(table("name,sector\nArise Chicago,\n"))
        self.assertIn("missing", errors_of(preview, 2)["sector"])

    def test_a_missing_name_is_refused(self):
        preview = preview_organizations(table("name,sector,city\n,labor,Chicago\n"))
        self.assertIn("name is missing", errors_of(preview, 2)["name"])

    def test_a_name_over_200_characters_is_refused(self):
        preview = preview_organizations(table(f"name,sector\n{'x' * 201},labor\n"))
        self.assertIn("200", errors_of(preview, 2)["name"])

    def test_an_unknown_level_is_refused(self):
        preview = preview_organizations(table("name,sector,level\nArise Chicago,labor,global\n"))
        message = errors_of(preview, 2)["level"]
        self.assertIn("global", message)
        self.assertIn("national, state, regional, local", message)

    def test_a_bad_website_is_refused(self):
        preview = preview_organizations(table("name,sector,website\nArise Chicago,labor,not a site\n"))
        self.assertIn("not a site", errors_of(preview, 2)["website"])

    def test_a_website_with_another_scheme_is_refused(self):
        preview = preview_organizations(
            table("name,sector,website\nArise Chicago,labor,javascript://alert(1)\n")
        )
        self.assertIn("website", errors_of(preview, 2))

    def test_an_unknown_population_is_refused_listing_the_valid_ones(self):
        preview = preview_organizations(
            table("name,sector,populations\nArise Chicago,labor,Low-wage workers; astronauts\n")
        )
        message = errors_of(preview, 2)["populations"]
        self.assertIn("astronauts", message)
        self.assertIn("Day laborers", message)

    def test_a_state_over_50_characters_is_refused(self):
        preview = preview_organizations(table(f"name,sector,state\nArise Chicago,labor,{'I' * 51}\n"))
        self.assertIn("50", errors_of(preview, 2)["state"])

    def test_a_file_without_the_required_columns_is_refused(self):
        preview = preview_organizations(table("title,city\nArise Chicago,Chicago\n"))
        self.assertFalse(preview.can_apply)
        self.assertIn("name, sector", preview.file_errors[0])

    def test_a_file_with_a_header_only_is_refused(self):
        preview = preview_organizations(table("name,sector\n"))
        self.assertFalse(preview.can_apply)
        self.assertTrue(preview.file_errors)

    def test_the_same_organization_twice_in_the_file_is_refused(self):
        preview = preview_organizations(
            table("name,sector\nArise Chicago,labor\nClinic,healthcare\narise chicago,labor\n")
        )
        self.assertEqual([row.action for row in preview.rows], ["create", "create", "refuse"])
        self.assertIn("row 2", errors_of(preview, 4)["name"])

    def test_one_bad_row_means_nothing_is_written(self):
        preview = preview_organizations(
            table("name,sector\nArise Chicago,labor\nClinic,nowhere\nLegal Aid,legal\n")
        )
        self.assertEqual(preview.summary()["refuse"], 1)
        with self.assertRaises(ValueError):
            apply_organizations(preview, by=self.user)
        self.assertEqual(Organization.objects.count(), 1)
        self.assertFalse(AuditEvent.objects.exists())


class DuplicateTests(ImportTestCase):
    ROW = "name,sector,city,description,populations\n{name},labor,Joliet,A union local,Day laborers\n"

    def preview(self, name: str = "warehouse workers united", choice: str | None = None):
        return preview_organizations(table(self.ROW.format(name=name)), {2: choice} if choice else None)

    def test_a_row_named_like_an_existing_organization_is_refused_without_a_choice(self):
        preview = self.preview()
        row = preview.rows[0]
        self.assertEqual((row.action, row.duplicate_of), ("refuse", self.union))
        self.assertIn("Warehouse Workers United", errors_of(preview, 2)["name"])

    def test_a_row_named_like_an_existing_alias_is_a_duplicate(self):
        row = self.preview(name="wwu").rows[0]
        self.assertEqual((row.action, row.duplicate_of), ("refuse", self.union))

    def test_a_row_whose_alias_is_an_existing_name_is_a_duplicate(self):
        preview = preview_organizations(
            table("name,aliases,sector\nWWU Local 7,Warehouse Workers United,labor\n")
        )
        self.assertEqual(preview.rows[0].duplicate_of, self.union)

    def test_a_merged_away_organization_is_not_a_duplicate(self):
        old = factories.organization("Old Union", "labor")
        old.merged_into = self.union
        old.save(update_fields=["merged_into"])
        preview = preview_organizations(table("name,sector\nOld Union,labor\n"))
        self.assertEqual(preview.rows[0].action, "create")

    def test_update_overwrites_the_existing_organization(self):
        preview = self.preview(choice="update")
        self.assertTrue(preview.can_apply)
        apply_organizations(preview, by=self.user)
        self.assertEqual(Organization.objects.count(), 1)
        self.union.refresh_from_db()
        self.assertEqual(self.union.city, "Joliet")
        self.assertEqual(self.union.description, "A union local")
        self.assertEqual(list(self.union.populations.values_list("slug", flat=True)), ["day-laborers"])
        self.assertTrue(AuditEvent.objects.filter(action="change", actor=self.user).exists())

    def test_an_updated_organization_is_found_by_its_new_text(self):
        apply_organizations(
            preview_organizations(
                table("name,sector,description\nWWU,labor,Zanzibar outreach\n"), default_choice="update"
            ),
            by=self.user,
        )
        self.assertEqual(list(text_search(Organization.objects.all(), "zanzibar")), [self.union])

    def test_merge_fills_only_empty_fields_and_keeps_the_name_as_an_alias(self):
        self.union.populations.set(Population.objects.filter(slug="low-wage"))
        preview = preview_organizations(
            table(
                "name,aliases,sector,city,state,populations\nWWU Joliet,WWU,labor,Joliet,WI,Day laborers\n"
            ),
            {2: "merge"},
        )
        self.assertEqual(preview.rows[0].action, "merge")
        apply_organizations(preview, by=self.user)
        self.assertEqual(Organization.objects.count(), 1)
        self.union.refresh_from_db()
        self.assertEqual(self.union.name, "Warehouse Workers United")
        self.assertEqual((self.union.city, self.union.state), ("Joliet", "IL"))
        self.assertEqual(self.union.alias_list, ["WWU", "WWU Joliet"])
        self.assertEqual(
            set(self.union.populations.values_list("slug", flat=True)), {"low-wage", "day-laborers"}
        )

    def test_skip_leaves_the_existing_organization_alone(self):
        preview = self.preview(choice="skip")
        self.assertEqual(preview.summary()["skip"], 1)
        apply_organizations(preview, by=self.user)
        self.union.refresh_from_db()
        self.assertEqual((Organization.objects.count(), self.union.city), (1, ""))
        self.assertFalse(AuditEvent.objects.exists())

    def test_a_choice_that_is_not_offered_is_no_choice(self):
        self.assertEqual(self.preview(choice="delete").rows[0].action, "refuse")

    def test_a_row_with_errors_is_refused_whatever_the_choice(self):
        preview = preview_organizations(
            table("name,sector\nWarehouse Workers United,nowhere\n"), default_choice="update"
        )
        self.assertEqual(preview.rows[0].action, "refuse")


class IdTests(ImportTestCase):
    def test_an_id_updates_that_organization_even_under_a_new_name(self):
        preview = preview_organizations(
            table(f"id,name,sector,state\n{self.union.public_id},Warehouse Workers Local 1,labor,WI\n")
        )
        self.assertEqual(preview.rows[0].action, "update")
        apply_organizations(preview, by=self.user)
        self.union.refresh_from_db()
        self.assertEqual((self.union.name, self.union.state), ("Warehouse Workers Local 1", "WI"))
        self.assertEqual(Organization.objects.count(), 1)

    def test_an_unknown_id_is_refused(self):
        preview = preview_organizations(
            table(
                "id,name,sector\n00000000-0000-0000-0000-000000000000,Arise Chicago,labor\nx,Clinic,labor\n"
            )
        )
        self.assertIn("00000000", errors_of(preview, 2)["id"])
        self.assertIn("“x”", errors_of(preview, 3)["id"])

    def test_a_blank_id_creates(self):
        preview = preview_organizations(table("id,name,sector\n,Arise Chicago,labor\n"))
        self.assertEqual(preview.rows[0].action, "create")


class RoundTripTests(ImportTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union.populations.set(Population.objects.filter(slug__in=["low-wage", "day-laborers"]))
        factories.organization(
            "Will County Health Department",
            "public-health",
            level="regional",
            city="Joliet",
            county="Will",
            website="https://willcountyhealth.org",
            subsector="+ county office",
            description="- heat safety trainings\n- home care",
            languages="English; Spanish",
        )

    def round_trip(self, fmt: str) -> None:
        content, _content_type = exporting.export_organizations(Organization.objects.all(), fmt)
        preview = preview_organizations(read_table(content, f"organizations.{fmt}"))
        self.assertEqual(preview.summary(), {"create": 0, "update": 2, "merge": 0, "skip": 0, "refuse": 0})
        apply_organizations(preview, by=self.user)
        self.assertEqual(Organization.objects.count(), 2)
        changed = {
            field
            for changes in AuditEvent.objects.filter(action="change").values_list("changes", flat=True)
            for field in changes
        }
        self.assertLessEqual(changed, {"updated_at"}, "a round trip changes nothing")

    def test_an_exported_csv_imports_as_updates_that_change_nothing(self):
        self.round_trip("csv")

    def test_an_exported_xlsx_imports_as_updates_that_change_nothing(self):
        self.round_trip("xlsx")
