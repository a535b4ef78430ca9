"""The comparison of a round: agreement per code and overall, on a round with hand-computed answers."""

from healthywork.accounts.roles import Role
from healthywork.core.tests.base import PersonaTestCase, make_user
from healthywork.scan import rounds
from healthywork.scan.models import ProjectRole, RoundStatus
from healthywork.scan.tests import factories

# Ten sentences in one paragraph: ten sentence units.
TEN = " ".join(
    f"{word} sentence {number}."
    for number, word in enumerate(
        ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliet"]
    )
)


def unit_span(text: str, first: int, last: int) -> tuple[int, int]:
    """The offsets from the start of sentence `first` to the end of sentence `last` of TEN."""
    starts = [text.index(word) for word in ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]]
    starts += [text.index(word) for word in ["Golf", "Hotel", "India", "Juliet"]]
    ends = [text.index(f"sentence {number}.") + len(f"sentence {number}.") for number in range(10)]
    return starts[first], ends[last]


class AgreementTestCase(PersonaTestCase):
    """Coder A codes X on units 0-4, coder B on units 0-2 and 5; both code Y on unit 9.

    X: A = 1 1 1 1 1 0 0 0 0 0, B = 1 1 1 0 0 1 0 0 0 0.
      Percent: 7 of 10 units agree (0-2 yes, 6-9 no) = 0.7.
      Kappa: p_o = 0.7; p_A(1) = 0.5, p_B(1) = 0.4, so p_e = 0.5·0.4 + 0.5·0.6 = 0.5;
             κ = (0.7 − 0.5) / (1 − 0.5) = 0.4.
      Alpha: 20 pairable values; coincidences o_11 = 2·3 = 6, o_00 = 2·4 = 8, o_01 = o_10 = 3;
             n_1 = 9, n_0 = 11; α = 1 − (n − 1)·(o_01 + o_10) / (2·n_0·n_1) = 1 − 19·6/198 = 14/33.
    Y: both code only unit 9: percent 1, κ = 1, α = 1.
    Pooled (each unit×code pair one unit, 20 units): A has 6 yes, B 5 yes, 17 agree.
      Percent 17/20 = 0.85. Kappa: p_e = 0.3·0.25 + 0.7·0.75 = 0.6, κ = (0.85 − 0.6)/0.4 = 0.625.
      Alpha: o_11 = 8, o_00 = 26, o_01 = o_10 = 3; n_1 = 11, n_0 = 29, n = 40;
             α = 1 − 39·6 / (2·29·11) = 1 − 234/638 = 202/319.
    Means of the codes: α (14/33 + 1)/2 = 47/66, κ (0.4 + 1)/2 = 0.7, percent 0.85.
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other_coder = make_user("cora", Role.CODER)
        cls.project = factories.project()
        factories.member(cls.project, cls.coder, ProjectRole.CODER)
        factories.member(cls.project, cls.other_coder, ProjectRole.CODER)
        cls.document = factories.document(cls.project, text=TEN, title="Ten sentences")
        cls.code_x = factories.code(cls.project, "X", position=1)
        cls.code_y = factories.code(cls.project, "Y", position=2)
        cls.round = factories.round_of(cls.project, [cls.document], [cls.coder, cls.other_coder])
        coding = factories.coding
        coding(cls.document, cls.code_x, cls.coder, *unit_span(TEN, 0, 4), round=cls.round)
        coding(cls.document, cls.code_x, cls.other_coder, *unit_span(TEN, 0, 2), round=cls.round)
        coding(cls.document, cls.code_x, cls.other_coder, *unit_span(TEN, 5, 5), round=cls.round)
        coding(cls.document, cls.code_y, cls.coder, *unit_span(TEN, 9, 9))  # outside a round: counts
        coding(cls.document, cls.code_y, cls.other_coder, *unit_span(TEN, 9, 9), round=cls.round)

    def test_it_computes_agreement_per_code_against_hand_computed_values(self):
        comparison = rounds.compare_round(self.round)
        self.assertEqual(comparison.n_units, 10)
        x, y = comparison.codes
        self.assertEqual((x.code, y.code), (self.code_x, self.code_y))
        self.assertEqual(x.n_units, 10)
        self.assertEqual(x.coded_units, [5, 4])  # cody, cora (by user name)
        self.assertAlmostEqual(x.percent, 0.7)
        self.assertAlmostEqual(x.kappa, 0.4)
        self.assertAlmostEqual(x.alpha, 14 / 33)
        self.assertEqual((y.percent, y.kappa), (1.0, 1.0))
        self.assertAlmostEqual(y.alpha, 1.0)

    def test_it_pools_every_unit_and_code_pair_for_the_overall_figure(self):
        overall = rounds.compare_round(self.round).overall
        self.assertEqual(overall.n_units, 20)
        self.assertAlmostEqual(overall.percent, 0.85)
        self.assertAlmostEqual(overall.kappa, 0.625)
        self.assertAlmostEqual(overall.alpha, 202 / 319)
        self.assertAlmostEqual(overall.mean_alpha, 47 / 66)
        self.assertAlmostEqual(overall.mean_kappa, 0.7)
        self.assertAlmostEqual(overall.mean_percent, 0.85)

    def test_a_document_a_coder_has_not_started_counts_as_missing_not_as_no(self):
        second = factories.document(self.project, text=TEN, title="Only cody")
        self.round.documents.add(second)
        factories.coding(second, self.code_x, self.coder, *unit_span(TEN, 0, 0), round=self.round)
        x = rounds.compare_round(self.round).codes[0]
        self.assertEqual(x.n_units, 10)  # the second document's units have one value each
        self.assertAlmostEqual(x.alpha, 14 / 33)

    def test_consensus_codings_and_other_rounds_are_not_compared(self):
        other_round = factories.round_of(self.project, [self.document], [self.coder, self.other_coder])
        factories.coding(self.document, self.code_x, self.coder, *unit_span(TEN, 6, 9), round=other_round)
        factories.coding(
            self.document, self.code_x, self.administrator, *unit_span(TEN, 6, 9), is_consensus=True
        )
        self.assertAlmostEqual(rounds.compare_round(self.round).codes[0].alpha, 14 / 33)

    def test_the_unit_can_be_switched_to_paragraphs(self):
        comparison = rounds.compare_round(self.round, unit="paragraph")
        self.assertEqual(comparison.n_units, 1)
        self.assertEqual(comparison.codes[0].percent, 1.0)  # both coded X in the only paragraph

    def test_it_lists_the_disagreements_with_each_coders_value(self):
        decisions = rounds.unit_decisions(self.round, code=self.code_x)
        self.assertEqual([decision.text for decision in decisions], [
            "Delta sentence 3.",
            "Echo sentence 4.",
            "Foxtrot sentence 5.",
        ])  # fmt: skip
        self.assertEqual(
            [decision.values for decision in decisions], [[True, False], [True, False], [False, True]]
        )
        self.assertEqual(rounds.unit_decisions(self.round, code=self.code_y), [])

    def test_the_agreement_at_closing_is_kept_for_the_list(self):
        rounds.close_round(self.round, by=self.administrator)
        self.round.refresh_from_db()
        self.assertEqual(self.round.status, RoundStatus.CLOSED)
        figures = rounds.agreement_at_closing([self.round])[self.round.pk]
        self.assertAlmostEqual(figures["alpha"], 202 / 319)
        self.assertAlmostEqual(figures["kappa"], 0.625)

    def test_one_code_alone_gives_that_codes_figures(self):
        comparison = rounds.compare_round(self.round, code=self.code_x)
        (x,) = comparison.codes
        self.assertEqual(x.code, self.code_x)
        self.assertAlmostEqual(x.alpha, 14 / 33)
        self.assertAlmostEqual(comparison.overall.alpha, 14 / 33)
        self.assertEqual(comparison.overall.n_units, 10)
        self.assertEqual(len(rounds.compare_round(self.round).codes), 2)  # cached apart


class RandomRoundTestCase(PersonaTestCase):
    """Three coders code at random; the comparison equals the statistics of `analysis` on the
    plain coders × units lists built unit by unit from the definition."""

    def test_it_matches_the_unit_by_unit_computation(self):
        import random

        from healthywork.scan import analysis

        rng = random.Random(5)
        project = factories.project()
        coders = [self.coder, make_user("cora", Role.CODER), make_user("cyd", Role.CODER)]
        for coder in coders:
            factories.member(project, coder, ProjectRole.CODER)
        documents = [factories.document(project, text=TEN, title=f"Document {i}") for i in range(4)]
        codes = [factories.code(project, f"C{i}", position=i) for i in range(3)]
        blind_round = factories.round_of(project, documents, coders)
        spans = {}
        for document in documents:
            for coder in coders[: rng.randint(1, 3)]:  # later coders have not started some documents
                for code in codes:
                    for _ in range(rng.randint(0, 3)):
                        first = rng.randrange(10)
                        span = unit_span(TEN, first, min(9, first + rng.randrange(3)))
                        factories.coding(document, code, coder, *span, round=blind_round)
                        spans.setdefault((document.pk, code.pk, coder.pk), []).append(span)
        comparison = rounds.compare_round(blind_round)
        units = analysis.split_units(TEN, "sentence")
        coders.sort(key=lambda coder: coder.username)
        pooled = [[] for _coder in coders]
        for item in comparison.codes:
            data = []
            for coder in coders:
                row = []
                for document in documents:  # ordered by title, as the comparison
                    started = any(key[0] == document.pk and key[2] == coder.pk for key in spans)
                    flags = analysis.unit_presence(
                        units, spans.get((document.pk, item.code.pk, coder.pk), [])
                    )
                    row += [int(flag) if started else None for flag in flags]
                data.append(row)
            for pooled_row, row in zip(pooled, data, strict=True):
                pooled_row += row
            expected = analysis.krippendorff_alpha(data)
            self.assertEqual(item.alpha is None, expected is None)
            if expected is not None:
                self.assertAlmostEqual(item.alpha, expected, places=12)
            self.assertEqual(item.percent, analysis.percent_agreement(data))
            self.assertEqual(item.coded_units, [sum(value == 1 for value in row) for row in data])
        self.assertAlmostEqual(comparison.overall.alpha, analysis.krippendorff_alpha(pooled), places=12)
        self.assertEqual(comparison.overall.percent, analysis.percent_agreement(pooled))
