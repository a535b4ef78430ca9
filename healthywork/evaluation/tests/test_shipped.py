from importlib import import_module

import numpy as np
from django.apps import apps
from django.test import TestCase

from healthywork.evaluation import scoring
from healthywork.evaluation.models import Dimension, Instrument, Item
from healthywork.evaluation.shipped import SHIPPED_NAMES, install


class ShippedInstrumentsTests(TestCase):
    def test_the_migration_installed_every_shipped_instrument(self):
        names = set(Instrument.objects.filter(is_shipped=True).values_list("name", flat=True))
        self.assertEqual(names, set(SHIPPED_NAMES))

    def test_installing_again_duplicates_nothing(self):
        counts = (Instrument.objects.count(), Dimension.objects.count(), Item.objects.count())
        self.assertEqual(install(Instrument, Dimension, Item), [])
        import_module("healthywork.evaluation.migrations.0002_shipped_instruments").seed(apps, None)
        self.assertEqual(
            counts, (Instrument.objects.count(), Dimension.objects.count(), Item.objects.count())
        )

    def test_it_puts_back_a_deleted_instrument_and_a_deleted_item(self):
        Instrument.objects.get(name="kirkpatrick-reaction").delete()
        Item.objects.get(instrument__name="precarious-work-knowledge", code="k1").delete()
        self.assertEqual(install(Instrument, Dimension, Item), ["kirkpatrick-reaction"])
        self.assertTrue(Item.objects.filter(instrument__name="precarious-work-knowledge", code="k1").exists())
        self.assertEqual(Item.objects.filter(instrument__name="kirkpatrick-reaction").count(), 8)

    def test_every_shipped_item_is_valid_and_has_spanish(self):
        for item in Item.objects.filter(instrument__is_shipped=True):
            item.full_clean()
            self.assertTrue(item.text_es, item.code)
            for choice in item.choices:
                self.assertTrue(choice["label_es"])

    def test_epres_has_six_dimensions_bands_and_no_items(self):
        epres = Instrument.objects.get(name="epres")
        self.assertEqual(
            list(epres.dimensions.values_list("code", flat=True)),
            ["temporariness", "disempowerment", "vulnerability", "wages", "rights", "exercise_rights"],
        )
        self.assertFalse(epres.items.exists())
        self.assertEqual(epres.total_method, "mean_of_dimensions")
        self.assertEqual(scoring.band_of(0.61, epres.bands), "Quintile 1")
        self.assertEqual(scoring.band_of(0.62, epres.bands), "Quintile 2")
        self.assertEqual(scoring.band_of(1.56, epres.bands), "Quintile 5")

    def test_knowledge_instrument_scores_reverse_items(self):
        knowledge = Instrument.objects.get(name="precarious-work-knowledge")
        spec = scoring.ScoringSpec.from_instrument(knowledge)
        codes = [rule.code for rule in spec.items]
        self.assertEqual(len(codes), 11)
        row = np.array([[5 if code not in {"k6", "s5"} else 1 for code in codes]], dtype=float)
        scores = scoring.score_matrix(spec, codes, row)
        self.assertAlmostEqual(scores.total[0], 5.0)

    def test_collaboration_levels_run_from_0_to_5(self):
        item = Item.objects.get(instrument__name="levels-of-collaboration", code="partner")
        self.assertEqual(item.choice_values(), [0, 1, 2, 3, 4, 5])
        self.assertEqual(item.group, "partners")
