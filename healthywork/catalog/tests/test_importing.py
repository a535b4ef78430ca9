"""Importing initiatives: a preview row by row, then all of it or nothing."""

import io
import json
from datetime import date
from unittest import mock

from django.core.exceptions import ValidationError
from django.test import TestCase
from openpyxl import load_workbook

from healthywork.accounts.models import User
from healthywork.catalog import exporting, services
from healthywork.catalog.importing import (
    COLUMNS,
    OrganizationChoice,
    apply_initiatives,
    preview_initiatives,
)
from healthywork.catalog.models import ActionType, Initiative, InitiativePartner, Tag
from healthywork.core.models import AuditEvent
from healthywork.core.tabular import Table, TableError, read_table
from healthywork.core.tests.base import make_user
from healthywork.partners.models import Organization, Population
from healthywork.partners.tests import factories

HEADER = "title,lead_organization,action_type,pse_class"


def table(text: str, filename: str = "initiatives.csv") -> Table:
    return read_table(text.encode("utf-8"), filename)


def make_initiative(title: str, lead: Organization, partners=(), **fields) -> Initiative:
    """A saved initiative with sensible defaults (a public policy initiative, policy class)."""
    fields.setdefault("action_type", ActionType.objects.get(slug="public-policy-advocacy"))
    fields.setdefault("pse_class", "policy")
    initiative = Initiative.objects.create(title=title, lead_organization=lead, **fields)
    for organization, role in partners:
        InitiativePartner.objects.create(initiative=initiative, organization=organization, role=role)
    return initiative


def row_of(preview, number: int):
    return next(row for row in preview.rows if row.number == number)


def errors_of(preview, number: int) -> dict[str, str]:
    return dict(row_of(preview, number).errors)


class ImportTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user: User = make_user("fran", "facilitator")
        cls.union = factories.organization("Warehouse Workers United", "labor", aliases="WWU")
        cls.clinic = factories.organization("Joliet Clinic", "healthcare")
        cls.foundation = factories.organization("Lakeside Foundation", "nonprofit")


class CreatingTests(ImportTestCase):
    def test_it_creates_an_initiative_from_every_column(self):
        preview = preview_initiatives(
            table(
                "title,summary,lead_organization,partners,action_type,pse_class,twh_level,level,"
                "geography,status,start_date,end_date,populations,conditions,evidence_rating,links,"
                "tags,source\n"
                "Heat standard,Rest and water,WWU,Joliet Clinic (partner); Lakeside Foundation (funder),"
                "Legislation and regulation,Policy,Eliminate,State,Illinois,Active,2023-05-01,2024-06-30,"
                "Low-wage workers; agricultural,Free from workplace hazards; job-security,Some evidence,"
                "heat.example.org; https://il.example.gov/heat,heat; summer,Interview 12\n"
            )
        )
        self.assertEqual(preview.summary(), {"create": 1, "update": 0, "skip": 0, "refuse": 0})

        self.assertEqual(apply_initiatives(preview, by=self.user)["create"], 1)

        initiative = Initiative.objects.get(title="Heat standard")
        self.assertEqual(initiative.lead_organization, self.union)
        self.assertEqual(
            sorted((p.organization.name, p.role) for p in initiative.partners.all()),
            [("Joliet Clinic", "partner"), ("Lakeside Foundation", "funder")],
        )
        self.assertEqual(initiative.action_type.slug, "legislation-regulation")
        self.assertEqual(
            (initiative.pse_class, initiative.twh_level, initiative.level, initiative.status),
            ("policy", "eliminate", "state", "active"),
        )
        self.assertEqual((initiative.start_date, initiative.end_date), (date(2023, 5, 1), date(2024, 6, 30)))
        self.assertEqual(initiative.summary, "Rest and water")
        self.assertEqual(initiative.geography, "Illinois")
        self.assertEqual(initiative.evidence_rating, "some_evidence")
        self.assertEqual(initiative.link_list, ["https://heat.example.org", "https://il.example.gov/heat"])
        self.assertEqual(
            set(initiative.populations.values_list("slug", flat=True)), {"low-wage", "agricultural"}
        )
        self.assertEqual(
            set(initiative.conditions.values_list("slug", flat=True)), {"free-from-hazards", "job-security"}
        )
        self.assertEqual(sorted(initiative.tags.values_list("name", flat=True)), ["heat", "summer"])
        self.assertEqual(initiative.source, "Interview 12")

    def test_classes_are_read_by_value_or_label_in_any_case(self):
        preview = preview_initiatives(
            table(
                "title,lead_organization,action_type,pse_class,status,evidence_rating\n"
                "A,WWU,training-education,individual,COMPLETED,scientifically-supported\n"
                "B,WWU,Training and education,Individual or programmatic,completed,Scientifically supported\n"
            )
        )
        self.assertTrue(preview.can_apply, preview.refused and preview.refused[0].errors)
        apply_initiatives(preview, by=self.user)
        for initiative in Initiative.objects.all():
            self.assertEqual(
                (initiative.pse_class, initiative.status, initiative.evidence_rating),
                ("individual", "completed", "scientifically_supported"),
            )

    def test_a_new_initiative_defaults_to_local_and_active(self):
        apply_initiatives(
            preview_initiatives(table(f"{HEADER}\nA,wwu,research-data,systems\n")), by=self.user
        )
        initiative = Initiative.objects.get()
        self.assertEqual((initiative.level, initiative.status, initiative.twh_level), ("local", "active", ""))

    def test_a_partner_without_a_role_is_a_partner_and_names_may_hold_parentheses(self):
        factories.organization("Service Employees International Union (SEIU)", "labor")
        preview = preview_initiatives(
            table(
                f"{HEADER},partners\n"
                "A,WWU,research-data,systems,"
                "Joliet Clinic; Service Employees International Union (SEIU) (co-lead)\n"
            )
        )
        self.assertTrue(preview.can_apply, preview.refused and preview.refused[0].errors)
        apply_initiatives(preview, by=self.user)
        self.assertEqual(
            sorted(Initiative.objects.get().partners.values_list("organization__name", "role")),
            [("Joliet Clinic", "partner"), ("Service Employees International Union (SEIU)", "lead")],
        )

    def test_it_writes_an_audit_event_per_initiative_naming_the_author(self):
        preview = preview_initiatives(
            table(f"{HEADER}\nA,WWU,research-data,systems\nB,WWU,research-data,policy\n")
        )
        apply_initiatives(preview, by=self.user)
        events = AuditEvent.objects.filter(action="create", actor=self.user)
        self.assertEqual(sorted(events.values_list("object_repr", flat=True)), ["A", "B"])

    def test_existing_tags_are_reused_whatever_their_case(self):
        Tag.objects.create(name="Heat")
        apply_initiatives(
            preview_initiatives(table(f"{HEADER},tags\nA,WWU,research-data,systems,heat\n")), by=self.user
        )
        self.assertEqual(list(Tag.objects.values_list("name", flat=True)), ["Heat"])

    def test_unknown_columns_are_ignored_with_a_warning(self):
        preview = preview_initiatives(table(f"{HEADER},budget\nA,WWU,research-data,systems,100\n"))
        self.assertTrue(preview.can_apply)
        self.assertIn("budget", preview.warnings[0])


class RefusingTests(ImportTestCase):
    def assertRefused(self, text: str, column: str, *fragments: str, number: int = 2) -> None:  # noqa: N802
        preview = preview_initiatives(table(text))
        self.assertFalse(preview.can_apply)
        self.assertEqual(row_of(preview, number).action, "refuse")
        message = errors_of(preview, number).get(column)
        self.assertIsNotNone(message, f"no error on {column}: {row_of(preview, number).errors}")
        for fragment in fragments:
            self.assertIn(fragment, message)

    def test_an_empty_title_is_refused(self):
        self.assertRefused(f"{HEADER}\n  ,WWU,research-data,systems\n", "title", "title is missing")

    def test_a_missing_lead_organization_is_refused(self):
        self.assertRefused(f"{HEADER}\nA,,research-data,systems\n", "lead_organization", "missing")

    def test_an_unknown_pse_class_is_refused_listing_the_valid_ones(self):
        self.assertRefused(
            f"{HEADER}\nA,WWU,research-data,programme\n",
            "pse_class",
            "“programme”",
            "policy, systems, environment, individual",
        )

    def test_a_missing_pse_class_or_action_type_is_refused_for_a_new_initiative(self):
        self.assertRefused(f"{HEADER}\nA,WWU,research-data,\n", "pse_class", "missing", "policy")
        self.assertRefused("title,lead_organization\nA,WWU\n", "action_type", "missing", "Research and data")

    def test_an_unknown_action_type_is_refused_listing_the_valid_ones(self):
        self.assertRefused(
            f"{HEADER}\nA,WWU,lobbying,policy\n",
            "action_type",
            "“lobbying”",
            "Public policy and advocacy",
            "Coalition and network building",
        )

    def test_unknown_values_of_every_other_class_are_refused_listing_the_valid_ones(self):
        for column, value, valid in [
            ("twh_level", "prevent", "eliminate, substitute, redesign, educate, encourage"),
            ("level", "global", "national, state, regional, local"),
            ("status", "paused", "proposed, active, completed, ended"),
            ("evidence_rating", "strong", "scientifically_supported, some_evidence"),
        ]:
            with self.subTest(column=column):
                self.assertRefused(
                    f"{HEADER},{column}\nA,WWU,research-data,policy,{value}\n", column, value, valid
                )

    def test_an_impossible_date_is_refused_naming_row_and_column(self):
        text = (
            f"{HEADER},start_date\n"
            "A,WWU,research-data,policy,2023-01-01\n"
            "B,WWU,research-data,policy,2023-02-30\n"
        )
        self.assertRefused(text, "start_date", "2023-02-30", "not a real date", number=3)
        self.assertEqual(row_of(preview_initiatives(table(text)), 2).action, "create")

    def test_a_date_not_written_yyyy_mm_dd_is_refused(self):
        self.assertRefused(
            f"{HEADER},end_date\nA,WWU,research-data,policy,03/04/2023\n", "end_date", "YYYY-MM-DD"
        )

    def test_an_end_before_the_start_is_refused(self):
        self.assertRefused(
            f"{HEADER},start_date,end_date\nA,WWU,research-data,policy,2024-05-01,2024-04-30\n",
            "end_date",
            "before the start date",
        )

    def test_an_end_before_the_existing_start_is_refused_on_update(self):
        initiative = make_initiative("A", self.union, start_date=date(2024, 5, 1))
        self.assertRefused(
            f"id,title,lead_organization,end_date\n{initiative.public_id},A,WWU,2024-01-01\n",
            "end_date",
            "before",
        )

    def test_unknown_populations_and_conditions_are_refused_listing_the_valid_ones(self):
        self.assertRefused(
            f"{HEADER},populations\nA,WWU,research-data,policy,Low-wage workers; astronauts\n",
            "populations",
            "astronauts",
            "Day laborers",
        )
        self.assertRefused(
            f"{HEADER},conditions\nA,WWU,research-data,policy,happiness\n",
            "conditions",
            "happiness",
            "Job security",
        )

    def test_an_unknown_partner_role_is_refused_listing_the_valid_ones(self):
        self.assertRefused(
            f"{HEADER},partners\nA,WWU,research-data,policy,Joliet Clinic (sponsor)\n",
            "partners",
            "sponsor",
            "lead, partner, funder, target",
        )

    def test_a_link_that_is_not_a_web_address_is_refused(self):
        self.assertRefused(f"{HEADER},links\nA,WWU,research-data,policy,not a link\n", "links", "not a link")

    def test_a_title_over_250_characters_is_refused(self):
        self.assertRefused(f"{HEADER}\n{'x' * 251},WWU,research-data,policy\n", "title", "250")

    def test_an_unknown_id_is_refused(self):
        self.assertRefused(
            f"id,{HEADER}\n9f1c7c4e-0000-4000-8000-000000000000,A,WWU,research-data,policy\n",
            "id",
            "No initiative",
        )
        self.assertRefused(f"id,{HEADER}\n42,A,WWU,research-data,policy\n", "id", "42")

    def test_the_same_initiative_twice_in_the_file_is_refused(self):
        self.assertRefused(
            f"{HEADER}\nHeat plan,WWU,research-data,policy\n"
            "heat plan,Warehouse Workers United,research-data,policy\n",
            "title",
            "row 2",
            number=3,
        )

    def test_a_file_without_the_required_columns_is_refused(self):
        preview = preview_initiatives(table("name,sector\nA,labor\n"))
        self.assertIn("title, lead_organization", preview.file_errors[0])
        self.assertFalse(preview.can_apply)

    def test_a_file_with_a_header_only_is_refused(self):
        preview = preview_initiatives(table(f"{HEADER}\n"))
        self.assertIn("no rows", preview.file_errors[0])

    def test_one_refused_row_writes_nothing(self):
        preview = preview_initiatives(
            table(f"{HEADER}\nGood,WWU,research-data,policy\nBad,WWU,research-data,nonsense\n")
        )
        self.assertEqual(preview.summary()["create"], 1)
        with self.assertRaises(ValueError):
            apply_initiatives(preview, by=self.user)
        self.assertFalse(Initiative.objects.exists())


class MissingOrganizationTests(ImportTestCase):
    TEXT = (
        f"{HEADER},partners\n"
        "A,Arise Chicago,research-data,policy,WWU\n"
        "B,WWU,research-data,policy,arise chicago (funder); Joliet Clinic\n"
        "C,WWU,research-data,policy,Nobody Inc\n"
    )

    def test_each_missing_organization_is_listed_once_with_the_rows_that_need_it(self):
        preview = preview_initiatives(table(self.TEXT))
        self.assertEqual(
            [(m.name, m.rows) for m in preview.missing], [("Arise Chicago", [2, 3]), ("Nobody Inc", [4])]
        )
        self.assertIn("Arise Chicago", errors_of(preview, 2)["lead_organization"])
        self.assertIn("Arise Chicago", errors_of(preview, 3)["partners"])
        self.assertIn("Nobody Inc", errors_of(preview, 4)["partners"])
        self.assertEqual(preview.summary()["refuse"], 3)

    def test_an_unresolved_organization_refuses_only_its_rows(self):
        preview = preview_initiatives(
            table(self.TEXT),
            organizations={"nobody inc": OrganizationChoice("map", target="Lakeside Foundation")},
        )
        self.assertEqual(row_of(preview, 4).action, "create")
        self.assertEqual(row_of(preview, 2).action, "refuse")
        self.assertFalse(preview.can_apply)

    def test_missing_organizations_are_created_in_the_chosen_sector_or_mapped(self):
        preview = preview_initiatives(
            table(self.TEXT),
            organizations={
                "arise chicago": OrganizationChoice("create", sector="labor"),
                "nobody inc": OrganizationChoice("map", target="lakeside foundation"),
            },
        )
        self.assertTrue(preview.can_apply, [row.errors for row in preview.refused])

        apply_initiatives(preview, by=self.user)

        arise = Organization.objects.get(name="Arise Chicago")
        self.assertEqual(arise.sector.slug, "labor")
        self.assertTrue(AuditEvent.objects.filter(action="create", object_repr="Arise Chicago").exists())
        self.assertEqual(Initiative.objects.get(title="A").lead_organization, arise)
        self.assertEqual(
            sorted(Initiative.objects.get(title="B").partners.values_list("organization__name", "role")),
            [("Arise Chicago", "funder"), ("Joliet Clinic", "partner")],
        )
        self.assertEqual(
            list(Initiative.objects.get(title="C").partners.values_list("organization", flat=True)),
            [self.foundation.pk],
        )
        self.assertFalse(Organization.objects.filter(name="Nobody Inc").exists())

    def test_creating_needs_a_sector(self):
        preview = preview_initiatives(
            table(self.TEXT), organizations={"arise chicago": OrganizationChoice("create", sector="")}
        )
        self.assertIn("sector", preview.missing[0].error)
        self.assertEqual(row_of(preview, 2).action, "refuse")

    def test_mapping_needs_an_existing_organization(self):
        preview = preview_initiatives(
            table(self.TEXT), organizations={"arise chicago": OrganizationChoice("map", target="Arise")}
        )
        self.assertIn("No organization is called “Arise”", preview.missing[0].error)
        self.assertEqual(row_of(preview, 2).action, "refuse")

    def test_a_mapped_lead_counts_for_duplicates(self):
        make_initiative("A", self.union)
        preview = preview_initiatives(
            table(f"{HEADER}\nA,W.W.U.,research-data,policy\n"),
            organizations={"w.w.u.": OrganizationChoice("map", target="WWU")},
        )
        self.assertTrue(row_of(preview, 2).is_duplicate)

    def test_a_failure_while_writing_undoes_the_new_organizations_too(self):
        preview = preview_initiatives(
            table(f"{HEADER}\nA,Arise Chicago,research-data,policy\nB,WWU,research-data,policy\n"),
            default_organization=OrganizationChoice("create", sector="labor"),
        )
        real = services.create_initiative
        calls = []

        def failing_on_the_second(data, **kwargs):
            calls.append(data["title"])
            if len(calls) == 2:
                raise ValidationError({"title": ["broken"]})
            return real(data, **kwargs)

        with mock.patch("healthywork.catalog.importing.services.create_initiative", failing_on_the_second):
            with self.assertRaisesMessage(ValueError, "Row 3"):
                apply_initiatives(preview, by=self.user)
        self.assertFalse(Initiative.objects.exists())
        self.assertFalse(Organization.objects.filter(name="Arise Chicago").exists())


class DuplicateTests(ImportTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.existing = make_initiative("Heat plan", cls.union, geography="Joliet")

    TEXT = f"{HEADER},geography\nheat plan,Warehouse Workers United,research-data,systems,Chicago\n"

    def test_the_same_title_and_lead_is_refused_without_a_choice(self):
        preview = preview_initiatives(table(self.TEXT))
        self.assertTrue(row_of(preview, 2).is_duplicate)
        self.assertIn("update or skip", errors_of(preview, 2)["title"])

    def test_update_changes_the_existing_initiative(self):
        preview = preview_initiatives(table(self.TEXT), {2: "update"})
        self.assertEqual(preview.summary()["update"], 1)
        apply_initiatives(preview, by=self.user)
        self.existing.refresh_from_db()
        self.assertEqual((self.existing.title, self.existing.geography), ("heat plan", "Chicago"))
        self.assertEqual(Initiative.objects.count(), 1)

    def test_skip_leaves_it_alone(self):
        preview = preview_initiatives(table(self.TEXT), default_choice="skip")
        apply_initiatives(preview, by=self.user)
        self.existing.refresh_from_db()
        self.assertEqual(self.existing.geography, "Joliet")
        self.assertEqual(Initiative.objects.count(), 1)

    def test_the_same_title_with_another_lead_is_a_new_initiative(self):
        preview = preview_initiatives(table(f"{HEADER}\nHeat plan,Joliet Clinic,research-data,policy\n"))
        self.assertEqual(preview.summary()["create"], 1)


class UpdatingTests(ImportTestCase):
    def test_a_row_with_an_id_changes_only_the_columns_it_has(self):
        initiative = make_initiative(
            "Heat plan", self.union, geography="Joliet", summary="Old", partners=[(self.clinic, "partner")]
        )
        preview = preview_initiatives(
            table(f"id,title,lead_organization,summary\n{initiative.public_id},Heat plan 2,WWU,New\n")
        )
        self.assertEqual(preview.summary()["update"], 1)
        apply_initiatives(preview, by=self.user)
        initiative.refresh_from_db()
        self.assertEqual(
            (initiative.title, initiative.summary, initiative.geography), ("Heat plan 2", "New", "Joliet")
        )
        self.assertEqual(list(initiative.partners.values_list("organization", flat=True)), [self.clinic.pk])
        self.assertTrue(AuditEvent.objects.filter(action="change", actor=self.user).exists())

    def test_a_partners_column_replaces_the_partners(self):
        initiative = make_initiative("Heat plan", self.union, partners=[(self.clinic, "partner")])
        preview = preview_initiatives(
            table(
                "id,title,lead_organization,partners\n"
                f"{initiative.public_id},Heat plan,WWU,Lakeside Foundation (funder)\n"
            )
        )
        apply_initiatives(preview, by=self.user)
        self.assertEqual(
            list(initiative.partners.values_list("organization__name", "role")),
            [("Lakeside Foundation", "funder")],
        )


class RoundTripTests(ImportTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.initiative = make_initiative(
            '=HYPERLINK("http://evil.example")',
            cls.union,
            summary="+1 more",
            geography="-Cook County",
            source="@SUM(A1)",
            twh_level="educate",
            start_date=date(2022, 1, 1),
            end_date=date(2023, 12, 31),
            evidence_rating="expert_opinion",
            links="https://a.example.org\nhttps://b.example.org",
            partners=[(cls.clinic, "partner"), (cls.foundation, "funder")],
        )
        cls.initiative.populations.set([Population.objects.get(slug="domestic")])
        cls.initiative.tags.set([Tag.objects.create(name="heat")])

    def test_csv_cells_that_look_like_formulas_are_neutralised(self):
        content, _content_type = exporting.export_initiatives(Initiative.objects.all(), "csv")
        text = content.decode("utf-8-sig")
        for value in ["'=HYPERLINK", "'+1 more", "'-Cook County", "'@SUM(A1)"]:
            self.assertIn(value, text)

    def test_xlsx_cells_that_look_like_formulas_are_neutralised(self):
        content, _content_type = exporting.export_initiatives(Initiative.objects.all(), "xlsx")
        sheet = load_workbook(io.BytesIO(content)).active
        cells = dict(zip([cell.value for cell in sheet[1]], [cell.value for cell in sheet[2]], strict=True))
        self.assertEqual(cells["title"], '\'=HYPERLINK("http://evil.example")')
        self.assertEqual(cells["summary"], "'+1 more")
        self.assertEqual(cells["geography"], "'-Cook County")
        self.assertEqual(cells["source"], "'@SUM(A1)")
        self.assertEqual(sheet["A2"].data_type, "s")

    def test_the_export_has_the_importers_columns(self):
        content, _content_type = exporting.export_initiatives(Initiative.objects.all(), "json")
        records = json.loads(content)
        self.assertEqual(list(records[0]), COLUMNS)
        self.assertEqual(records[0]["partners"], "Joliet Clinic (partner); Lakeside Foundation (funder)")

    def test_every_format_imports_back_as_updates_that_change_nothing(self):
        for fmt in ("csv", "xlsx", "json"):
            with self.subTest(fmt=fmt):
                content, _content_type = exporting.export_initiatives(Initiative.objects.all(), fmt)
                preview = preview_initiatives(read_table(content, f"initiatives.{fmt}"))
                self.assertEqual(preview.summary()["update"], 1, [row.errors for row in preview.rows])
                before = AuditEvent.objects.count()

                apply_initiatives(preview, by=self.user)

                self.assertEqual(AuditEvent.objects.count(), before, "an unchanged row records no change")
                initiative = Initiative.objects.get()
                self.assertEqual(initiative.title, '=HYPERLINK("http://evil.example")')
                self.assertEqual(initiative.geography, "-Cook County")
                self.assertEqual(initiative.partners.count(), 2)

    def test_a_changed_export_imports_back_as_an_update(self):
        content, _content_type = exporting.export_initiatives(Initiative.objects.all(), "csv")
        edited = content.decode("utf-8-sig").replace("educate", "redesign").encode("utf-8")
        apply_initiatives(preview_initiatives(read_table(edited, "initiatives.csv")), by=self.user)
        self.initiative.refresh_from_db()
        self.assertEqual(self.initiative.twh_level, "redesign")


class JsonReadingTests(TestCase):
    def test_a_list_of_objects_is_a_table_numbered_from_one(self):
        data = json.dumps(
            [
                {"title": "A", "tags": ["x", "y"], "end_date": None},
                {"title": "B", "tags": [], "end_date": "2024-01-01"},
            ]
        )
        result = read_table(data.encode(), "initiatives.json")
        self.assertEqual(result.headers, ["title", "tags", "end_date"])
        self.assertEqual(result.rows[0], (1, {"title": "A", "tags": "x; y", "end_date": ""}))
        self.assertEqual(result.rows[1][0], 2)

    def test_bad_json_is_refused_with_a_clear_message(self):
        for content, fragment in [
            (b'[{"title": "A"', "malformed (line 1"),
            (b'{"title": "A"}', "list of objects"),
            (b"[]", "empty list"),
            (b'["A"]', "Item 1"),
            (b'[{"title": "A"}, {"name": "B"}]', "Item 2 of the JSON list does not have the same keys"),
            (b'[{"title": {"en": "A"}}]', "Item 1, title"),
            (b'[{"title": "\xff"}]', "not UTF-8"),
            (b"[" * 100000, "nested too deeply"),
        ]:
            with self.subTest(content=content[:30]):
                with self.assertRaisesMessage(TableError, fragment):
                    read_table(content, "initiatives.json")

    def test_a_json_file_over_the_limit_is_refused(self):
        with self.assertRaisesMessage(TableError, "the limit is"):
            read_table(b'[{"title": "' + b"x" * 200 + b'"}]', "initiatives.json", max_bytes=100)
