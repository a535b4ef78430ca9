"""The codebook's services: create, update, move, merge, split, delete, seed, and the colour helpers."""

from django.core.exceptions import ValidationError

from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.scan import codebook
from healthywork.scan.models import Code, Coding, Memo
from healthywork.scan.templatetags.scan_tags import contrast_ratio, contrast_text
from healthywork.scan.tests import factories


class CodeServiceTests(PersonaTestCase):
    def setUp(self):
        self.project = factories.project()
        self.document = factories.document(self.project)

    def test_create_code_places_it_last_among_its_siblings_and_records_it(self):
        top = codebook.create_code(self.project, by=self.administrator, name="Policy", colour="#009E73")
        first = codebook.create_code(self.project, by=self.administrator, name="Paid sick leave", parent=top)
        second = codebook.create_code(self.project, by=self.administrator, name="Minimum wage", parent=top)
        self.assertEqual((first.position, second.position), (0, 1))
        self.assertEqual(top.colour, "#009E73")
        self.assertEqual(AuditEvent.objects.filter(action="create", actor=self.administrator).count(), 3)

    def test_create_code_refuses_a_name_taken_among_siblings_naming_the_field(self):
        factories.code(self.project, "Policy")
        with self.assertRaises(ValidationError) as caught:
            codebook.create_code(self.project, by=self.administrator, name="Policy")
        self.assertIn("name", caught.exception.message_dict)
        self.assertEqual(Code.objects.filter(name="Policy").count(), 1)

    def test_create_code_refuses_a_bad_colour(self):
        with self.assertRaises(ValidationError) as caught:
            codebook.create_code(self.project, by=self.administrator, name="Policy", colour="#12345")
        self.assertIn("colour", caught.exception.message_dict)
        self.assertFalse(Code.objects.exists())

    def test_update_code_records_what_changed(self):
        code = factories.code(self.project, "Policy")
        codebook.update_code(code, by=self.administrator, definition="Laws about work.")
        code.refresh_from_db()
        self.assertEqual(code.definition, "Laws about work.")
        event = AuditEvent.objects.get(action="change")
        self.assertEqual(event.changes["definition"], ["", "Laws about work."])

    def test_move_code_puts_it_under_a_new_parent_at_a_position(self):
        policy = factories.code(self.project, "Policy")
        wage = factories.code(self.project, "Minimum wage", parent=policy, position=0)
        sick = factories.code(self.project, "Paid sick leave", parent=policy, position=1)
        stray = factories.code(self.project, "Fair scheduling")
        codebook.move_code(stray, new_parent=policy, position=1, by=self.administrator)
        order = list(policy.children.order_by("position").values_list("name", flat=True))
        self.assertEqual(order, [wage.name, "Fair scheduling", sick.name])

    def test_move_code_refuses_cycles(self):
        policy = factories.code(self.project, "Policy")
        wage = factories.code(self.project, "Minimum wage", parent=policy)
        tipped = factories.code(self.project, "Tipped wage", parent=wage)
        for target in (policy, tipped):
            with self.assertRaises(ValidationError) as caught:
                codebook.move_code(policy, new_parent=target, position=None, by=self.administrator)
            self.assertIn("parent", caught.exception.message_dict)
        policy.refresh_from_db()
        self.assertIsNone(policy.parent)

    def test_move_code_refuses_another_projects_parent_and_a_name_clash(self):
        elsewhere = factories.code(factories.project(), "Elsewhere")
        policy = factories.code(self.project, "Policy")
        factories.code(self.project, "Wages", parent=policy)
        wages = factories.code(self.project, "Wages")
        with self.assertRaises(ValidationError):
            codebook.move_code(wages, new_parent=elsewhere, position=None, by=self.administrator)
        with self.assertRaises(ValidationError) as caught:
            codebook.move_code(wages, new_parent=policy, position=None, by=self.administrator)
        self.assertIn("Wages", str(caught.exception))
        wages.refresh_from_db()
        self.assertIsNone(wages.parent)

    def test_merge_moves_codings_memos_and_children_and_drops_duplicates(self):
        source = factories.code(self.project, "Wage theft")
        target = factories.code(self.project, "Wage theft enforcement")
        child = factories.code(self.project, "Unpaid overtime", parent=source)
        duplicate = factories.coding_of(self.document, source, self.coder, "Wage theft is common")
        kept = factories.coding_of(self.document, target, self.coder, "Wage theft is common")
        moved = factories.coding_of(self.document, source, self.coder, "staffing agencies")
        Memo.objects.create(project=self.project, code=source, author=self.coder, text="About theft")
        Memo.objects.create(
            project=self.project, coding=duplicate, author=self.coder, text="On the duplicate"
        )

        summary = codebook.merge_codes(source, target, by=self.administrator)

        self.assertFalse(Code.objects.filter(pk=source.pk).exists())
        self.assertEqual(set(target.codings.values_list("pk", flat=True)), {kept.pk, moved.pk})
        self.assertFalse(Coding.objects.filter(pk=duplicate.pk).exists())
        self.assertEqual(Memo.objects.get(text="About theft").code, target)
        self.assertEqual(Memo.objects.get(text="On the duplicate").coding_id, kept.pk)
        child.refresh_from_db()
        self.assertEqual(child.parent, target)
        self.assertEqual((summary["codings_moved"], summary["duplicates_dropped"]), (1, 1))
        event = AuditEvent.objects.get(action="merge")
        self.assertEqual(event.changes["children_moved"], ["Unpaid overtime"])

    def test_merge_refuses_a_target_inside_the_source(self):
        source = factories.code(self.project, "Policy")
        child = factories.code(self.project, "Wages", parent=source)
        with self.assertRaises(ValidationError):
            codebook.merge_codes(source, child, by=self.administrator)
        self.assertTrue(Code.objects.filter(pk=source.pk).exists())

    def test_split_makes_a_sibling_of_the_same_family_with_the_chosen_codings(self):
        parent = factories.code(self.project, "Policy")
        code = factories.code(self.project, "Wages", parent=parent, colour="#0072b2")
        chosen = factories.coding_of(self.document, code, self.coder, "Wage theft is common")
        left = factories.coding_of(self.document, code, self.coder, "fair workweek")

        new_code = codebook.split_code(
            code, new_name="Wage theft", coding_ids=[chosen.pk], by=self.administrator
        )

        self.assertEqual(new_code.parent, parent)
        self.assertNotEqual(new_code.colour, code.colour)
        self.assertEqual(list(new_code.codings.all()), [chosen])
        self.assertEqual(list(code.codings.all()), [left])
        self.assertEqual(new_code.position, code.position + 1)

    def test_split_refuses_codings_of_another_code_and_a_taken_name(self):
        code = factories.code(self.project, "Wages")
        other = factories.code(self.project, "Other")
        foreign = factories.coding_of(self.document, other, self.coder, "fair workweek")
        with self.assertRaises(ValidationError) as caught:
            codebook.split_code(code, new_name="New", coding_ids=[foreign.pk], by=self.administrator)
        self.assertIn("codings", caught.exception.message_dict)
        own = factories.coding_of(self.document, code, self.coder, "Wage theft")
        with self.assertRaises(ValidationError) as caught:
            codebook.split_code(code, new_name="Other", coding_ids=[own.pk], by=self.administrator)
        self.assertIn("new_name", caught.exception.message_dict)
        self.assertEqual(Code.objects.count(), 2)

    def test_delete_refuses_a_code_with_children(self):
        parent = factories.code(self.project, "Policy")
        factories.code(self.project, "Wages", parent=parent)
        with self.assertRaisesMessage(ValidationError, "child codes"):
            codebook.delete_code(parent, by=self.administrator)
        self.assertTrue(Code.objects.filter(pk=parent.pk).exists())

    def test_delete_needs_the_codings_confirmed(self):
        code = factories.code(self.project, "Wages")
        factories.coding_of(self.document, code, self.coder, "Wage theft")
        with self.assertRaisesMessage(ValidationError, "1 segments"):
            codebook.delete_code(code, by=self.administrator)
        self.assertEqual(codebook.delete_code(code, by=self.administrator, codings_confirmed=1), 1)
        self.assertFalse(Code.objects.exists())
        self.assertEqual(AuditEvent.objects.get(action="delete").changes["codings_deleted"], 1)


class SeedTests(PersonaTestCase):
    def test_the_seed_codebook_has_the_five_topics_and_collaboration_with_children(self):
        project = factories.project()
        codes = codebook.seed_scan_codebook(project, by=self.administrator)
        tops = [code for code in codes if code.parent_id is None]
        self.assertEqual(len(tops), 6)
        self.assertIn("Policy proposals under way", [code.name for code in tops])
        self.assertEqual(len({code.colour for code in tops}), 6)
        for top in tops:
            self.assertTrue(3 <= top.children.count() <= 6 or top.name == "Health–labor collaboration")
            self.assertTrue(top.definition and top.when_to_use and top.when_not_to_use and top.example)
        self.assertTrue(
            Code.objects.filter(name="Workers' fear of retaliation", parent__isnull=False).exists()
        )

    def test_seeding_twice_adds_nothing(self):
        project = factories.project()
        first = codebook.seed_scan_codebook(project)
        second = codebook.seed_scan_codebook(project)
        self.assertEqual([code.pk for code in first], [code.pk for code in second])
        self.assertEqual(AuditEvent.objects.filter(action="import").count(), 1)


class ColourTests(PersonaTestCase):
    def test_contrast_text_picks_the_readable_colour(self):
        self.assertEqual(contrast_text("#000000"), "#ffffff")
        self.assertEqual(contrast_text("#ffff00"), "#000000")
        self.assertEqual(contrast_text("#0072b2"), "#ffffff")
        self.assertEqual(contrast_text("not a colour"), "#000000")

    def test_contrast_ratio_matches_the_wcag_extremes(self):
        self.assertAlmostEqual(contrast_ratio("#000000", "#ffffff"), 21.0)
        self.assertAlmostEqual(contrast_ratio("#777777", "#777777"), 1.0)

    def test_every_seed_swatch_text_reaches_aa_for_large_text(self):
        for branch in codebook.SCAN_CODEBOOK:
            colour = branch["colour"]
            self.assertGreaterEqual(contrast_ratio(colour, contrast_text(colour)), 4.5, colour)

    def test_colour_variant_keeps_the_hue_family_but_differs(self):
        self.assertEqual(codebook.colour_variant("#000000"), "#595959")
        self.assertEqual(codebook.colour_variant("#ffffff"), "#a6a6a6")
