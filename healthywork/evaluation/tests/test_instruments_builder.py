from django.urls import reverse

from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.evaluation.models import Dimension, Instrument, Item
from healthywork.evaluation.tests import factories


class BuilderTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.instrument = factories.instrument(
            "builder-check", {"all": ["q1", "q2", "q3"]}, title="Builder check"
        )

    def url(self, name, *args):
        return reverse(f"evaluation:{name}", args=[self.instrument.public_id, *args])

    def test_every_signed_in_user_reads_instruments(self):
        for user in (self.viewer, self.member, self.coder):
            self.login(user)
            listing = self.client.get(reverse("evaluation:instrument-list"))
            self.assertContains(listing, "Builder check")
            self.assertContains(listing, "Levels of Collaboration Scale")
            page = self.client.get(self.instrument.get_absolute_url())
            self.assertContains(page, "Statement q1")
            self.assertNotContains(page, "Add an item")

    def test_pages_need_login(self):
        self.assertNeedsLogin(reverse("evaluation:instrument-list"))
        self.assertNeedsLogin(self.instrument.get_absolute_url())
        self.assertNeedsLogin(reverse("evaluation:instrument-create"))

    def test_read_only_roles_get_403_on_writes(self):
        self.login(self.facilitator)
        for url in (
            reverse("evaluation:instrument-create"),
            reverse("evaluation:instrument-import"),
            self.url("instrument-edit"),
            self.url("item-create"),
            self.url("dimension-create"),
            self.url("instrument-copy"),
        ):
            self.assertEqual(self.client.get(url).status_code, 403, url)
        item = self.instrument.items.get(code="q1")
        response = self.client.post(self.url("instrument-part-delete", "item", item.pk))
        self.assertEqual(response.status_code, 403)
        self.assertTrue(Item.objects.filter(pk=item.pk).exists())

    def test_an_unknown_instrument_is_404(self):
        self.login(self.viewer)
        response = self.client.get(
            reverse("evaluation:instrument-detail", args=["00000000-0000-0000-0000-000000000000"])
        )
        self.assertEqual(response.status_code, 404)

    def test_an_evaluator_builds_an_instrument(self):
        self.login(self.evaluator)
        response = self.client.post(
            reverse("evaluation:instrument-create"),
            {
                "name": "session-check",
                "title": "Session check",
                "kind": "custom",
                "total_method": "mean_of_items",
                "bands_text": "1 | 2.5 | Low | Bajo\n2.51 | 5 | High | Alto",
            },
        )
        instrument = Instrument.objects.get(name="session-check")
        self.assertRedirects(response, instrument.get_absolute_url())
        self.assertEqual(instrument.bands[1], {"low": 2.51, "high": 5, "label": "High", "label_es": "Alto"})
        response = self.client.post(
            reverse("evaluation:dimension-create", args=[instrument.public_id]),
            {"code": "use", "label": "Use", "label_es": "Uso", "method": "mean", "min_items": 1},
        )
        self.assertEqual(response.status_code, 302)
        dimension = instrument.dimensions.get()
        response = self.client.post(
            reverse("evaluation:item-create", args=[instrument.public_id]),
            {
                "code": "useful",
                "kind": "likert",
                "text": "It was useful.",
                "text_es": "Fue útil.",
                "choices_text": "1 | Not at all | Nada\n2 | Somewhat | Algo\n3 | Very | Mucho",
                "dimension": dimension.pk,
                "reverse_scored": "on",
            },
        )
        self.assertEqual(response.status_code, 302)
        item = instrument.items.get()
        self.assertEqual(item.choices[2], {"value": 3, "label": "Very", "label_es": "Mucho"})
        self.assertTrue(item.reverse_scored)
        self.assertEqual(item.bounds(), (1, 3))
        self.assertEqual(AuditEvent.objects.filter(actor=self.evaluator).count(), 3)
        page = self.client.get(instrument.get_absolute_url() + "?preview=es")
        self.assertContains(page, "Fue útil.")
        self.assertContains(page, "Mucho")

    def test_a_bad_choice_line_is_named_and_nothing_changes(self):
        self.login(self.administrator)
        response = self.client.post(
            self.url("item-create"),
            {
                "code": "q9",
                "kind": "likert",
                "text": "New",
                "choices_text": "1 | One\nfive | Five\n1 | Again",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Line 2: “five” is not a number.", status_code=400)
        self.assertContains(response, "Line 3: the value 1 is used twice.", status_code=400)
        self.assertFalse(self.instrument.items.filter(code="q9").exists())

    def test_a_number_item_takes_a_range_and_a_choice_item_needs_choices(self):
        self.login(self.administrator)
        response = self.client.post(
            self.url("item-create"),
            {"code": "years", "kind": "number", "text": "Years", "min_value": 0, "max_value": 60},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.instrument.items.get(code="years").bounds(), (0, 60))
        response = self.client.post(
            self.url("item-create"), {"code": "pick", "kind": "single", "text": "Pick"}
        )
        self.assertContains(response, "needs its choices", status_code=400)
        response = self.client.post(self.url("item-create"), {"code": "q1", "kind": "text", "text": "Again"})
        self.assertContains(response, "already has an item", status_code=400)

    def test_items_are_edited_reordered_and_deleted(self):
        self.login(self.administrator)
        q1, q2 = self.instrument.items.get(code="q1"), self.instrument.items.get(code="q2")
        self.client.post(self.url("instrument-part-move", "item", q2.pk), {"direction": "up"})
        self.assertEqual(list(self.instrument.items.values_list("code", flat=True)), ["q2", "q1", "q3"])
        response = self.client.get(self.url("item-edit", q1.pk))
        self.assertContains(response, "1 | Strongly disagree | Totalmente en desacuerdo")
        response = self.client.post(self.url("instrument-part-delete", "item", q1.pk))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Item.objects.filter(pk=q1.pk).exists())
        self.assertTrue(AuditEvent.objects.filter(action="delete", object_pk=str(q1.pk)).exists())

    def test_deleting_a_dimension_keeps_its_items(self):
        self.login(self.administrator)
        dimension = self.instrument.dimensions.get()
        self.client.post(self.url("instrument-part-delete", "dimension", dimension.pk))
        self.assertFalse(Dimension.objects.filter(pk=dimension.pk).exists())
        self.assertEqual(self.instrument.items.filter(dimension__isnull=True).count(), 3)

    def test_copy_makes_an_unlocked_instrument_with_the_same_items(self):
        self.login(self.evaluator)
        response = self.client.post(
            self.url("instrument-copy"), {"name": "builder-check-2", "title": "Second"}
        )
        copy = Instrument.objects.get(name="builder-check-2")
        self.assertRedirects(response, copy.get_absolute_url())
        self.assertEqual(
            list(copy.items.values_list("code", "dimension__code")), [(c, "all") for c in ["q1", "q2", "q3"]]
        )
        response = self.client.post(
            self.url("instrument-copy"), {"name": "builder-check-2", "title": "Third"}
        )
        self.assertContains(response, "already called", status_code=400)

    def test_epres_items_start_coded_0_to_4(self):
        self.login(self.evaluator)
        epres = Instrument.objects.get(name="epres")
        response = self.client.get(reverse("evaluation:item-create", args=[epres.public_id]))
        self.assertContains(response, "4 | 4 (most precarious) | 4 (más precario)")
        self.assertContains(self.client.get(epres.get_absolute_url()), "does not ship EPRES item wording")


class LockedInstrumentTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.instrument = factories.instrument("answered", {"all": ["q1", "q2"]})
        factories.response(factories.administration(cls.instrument), {"q1": 4, "q2": 5})

    def test_an_answered_instrument_keeps_its_items(self):
        self.login(self.administrator)
        item = self.instrument.items.get(code="q1")
        page = self.client.get(self.instrument.get_absolute_url())
        self.assertContains(page, "Locked:")
        self.assertNotContains(page, "Add an item")
        for url in (
            reverse("evaluation:item-create", args=[self.instrument.public_id]),
            reverse("evaluation:item-edit", args=[self.instrument.public_id, item.pk]),
        ):
            response = self.client.post(url, {"code": "x", "kind": "text", "text": "Changed"})
            self.assertRedirects(response, self.instrument.get_absolute_url())
        self.client.post(
            reverse("evaluation:instrument-part-delete", args=[self.instrument.public_id, "item", item.pk])
        )
        self.client.post(
            reverse("evaluation:instrument-part-move", args=[self.instrument.public_id, "item", item.pk]),
            {"direction": "down"},
        )
        self.assertEqual(
            list(self.instrument.items.values_list("code", "text")),
            [("q1", "Statement q1"), ("q2", "Statement q2")],
        )

    def test_a_copy_of_it_can_change(self):
        self.login(self.administrator)
        self.client.post(
            reverse("evaluation:instrument-copy", args=[self.instrument.public_id]),
            {"name": "answered-2", "title": "Two"},
        )
        copy = Instrument.objects.get(name="answered-2")
        response = self.client.post(
            reverse("evaluation:item-create", args=[copy.public_id]),
            {"code": "q3", "kind": "text", "text": "More"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(copy.items.count(), 3)


class ShippedPagesTests(PersonaTestCase):
    def test_every_shipped_instrument_page_shows_in_both_languages(self):
        self.login(self.evaluator)
        for instrument in Instrument.objects.filter(is_shipped=True):
            for language in ("en", "es"):
                response = self.client.get(instrument.get_absolute_url() + f"?preview={language}")
                self.assertEqual(response.status_code, 200, instrument.name)
        page = self.client.get(
            Instrument.objects.get(name="levels-of-collaboration").get_absolute_url() + "?preview=es"
        )
        self.assertContains(page, "5 Colaboración")
        page = self.client.get(Instrument.objects.get(name="epres").get_absolute_url())
        self.assertContains(page, "Quintile 5")
