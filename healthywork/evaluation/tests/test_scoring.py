"""scoring.py against hand computations: reverse scoring, dimension means and sums with min_items,
totals, and the EPRES quintile bands (Vives et al. 2013, J Environ Public Health 978656)."""

import numpy as np
import pytest

from healthywork.evaluation.models import TotalMethod
from healthywork.evaluation.scoring import (
    DimensionRule,
    ItemRule,
    ScoringSpec,
    apply_reverse,
    band_of,
    score_matrix,
)

NAN = np.nan

EPRES_BANDS = [
    {"low": 0.0, "high": 0.61, "label": "1"},
    {"low": 0.62, "high": 0.85, "label": "2"},
    {"low": 0.86, "high": 1.12, "label": "3"},
    {"low": 1.13, "high": 1.55, "label": "4"},
    {"low": 1.56, "high": 4.0, "label": "5"},
]


def spec(total=TotalMethod.MEAN_OF_DIMENSIONS, method="mean", min_items=1, bands=None):
    return ScoringSpec(
        items=[
            ItemRule("a1", "a", low=1, high=5),
            ItemRule("a2", "a", reverse=True, low=1, high=5),
            ItemRule("a3", "a", low=1, high=5),
            ItemRule("b1", "b", low=1, high=5),
            ItemRule("b2", "b", low=1, high=5),
        ],
        dimensions=[DimensionRule("a", "A", method, min_items), DimensionRule("b", "B", method, min_items)],
        total_method=total,
        bands=bands or [],
    )


CODES = ["a1", "a2", "a3", "b1", "b2"]


def test_reverse_scoring_is_low_plus_high_minus_value():
    values = np.array([[1, 1, 1, 1, 1], [5, 5, 5, 5, 5], [2, 4, NAN, 3, 3]], dtype=float)
    scored = apply_reverse(spec(), CODES, values)
    assert scored[:, 1].tolist()[:2] == [5, 1]
    assert scored[2, 1] == 2
    assert np.isnan(scored[2, 2])
    assert values[0, 1] == 1  # the input is not changed


def test_reverse_item_without_bounds_is_an_error():
    bad = ScoringSpec(items=[ItemRule("x", None, reverse=True)], dimensions=[])
    with pytest.raises(ValueError):
        apply_reverse(bad, ["x"], np.array([[1.0]]))


def test_dimension_means_and_total_mean_of_dimensions():
    # row 1: a = (4 + (6−2) + 5)/3 = 13/3, b = (3+4)/2 = 3.5, total = (13/3 + 3.5)/2
    values = np.array([[4, 2, 5, 3, 4]], dtype=float)
    scores = score_matrix(spec(), CODES, values)
    assert scores.dimensions[0, 0] == pytest.approx(13 / 3)
    assert scores.dimensions[0, 1] == pytest.approx(3.5)
    assert scores.total[0] == pytest.approx((13 / 3 + 3.5) / 2)


def test_dimension_sum_and_min_items():
    # a answered on 2 items (a1=4, a2=2 → 4): sum 8; b answered on 1 item: below min_items 2 → NaN
    values = np.array([[4, 2, NAN, 3, NAN]], dtype=float)
    scores = score_matrix(spec(method="sum", min_items=2), CODES, values)
    assert scores.dimensions[0, 0] == 8
    assert np.isnan(scores.dimensions[0, 1])
    # a missing dimension makes the mean of dimensions missing (EPRES global score needs all six)
    assert np.isnan(scores.total[0])


def test_mean_with_unanswered_items_uses_answered_ones():
    values = np.array([[4, NAN, 2, NAN, NAN]], dtype=float)
    scores = score_matrix(spec(), CODES, values)
    assert scores.dimensions[0, 0] == 3
    assert np.isnan(scores.dimensions[0, 1])
    assert np.isnan(scores.total[0])


def test_totals_mean_and_sum_of_items():
    values = np.array([[4, 2, 5, 3, NAN]], dtype=float)  # scored 4, 4, 5, 3
    assert score_matrix(spec(TotalMethod.MEAN_OF_ITEMS), CODES, values).total[0] == pytest.approx(4)
    assert score_matrix(spec(TotalMethod.SUM_OF_ITEMS), CODES, values).total[0] == 16
    assert np.isnan(score_matrix(spec(TotalMethod.NONE), CODES, values).total[0])


@pytest.mark.parametrize(
    "total, band",
    [
        (0.0, "1"),
        (0.61, "1"),
        (0.614, "1"),  # rounded to the bands' two decimals: 0.61
        (0.615, "2"),  # rounded half up: 0.62 (although the float 0.615 is 0.61499999…)
        (3.69 / 6, "2"),  # a mean computed as 0.6149999999999999 is 0.615 → 0.62
        (0.62, "2"),
        (0.85, "2"),
        (1.12, "3"),
        (1.13, "4"),
        (1.554, "4"),
        (1.555, "5"),
        (1.56, "5"),
        (4.0, "5"),
        (4.01, None),
        (-0.1, None),
    ],
)
def test_epres_bands(total, band):
    assert band_of(total, EPRES_BANDS) == band


def test_band_of_missing_total():
    assert band_of(np.nan, EPRES_BANDS) is None
    assert band_of(None, EPRES_BANDS) is None


def test_epres_global_score_and_band_end_to_end():
    # six dimensions of two items each, coded 0–4; dimension means 0.5, 1, 0.5, 1, 0.5, 0.5 →
    # global 4/6 = 0.667 → quintile 2 (0.62–0.85).
    dims = ["temporariness", "disempowerment", "vulnerability", "wages", "rights", "exercise"]
    items = [ItemRule(f"{d}_{i}", d, low=0, high=4) for d in dims for i in (1, 2)]
    epres = ScoringSpec(
        items=items,
        dimensions=[DimensionRule(d, d) for d in dims],
        total_method=TotalMethod.MEAN_OF_DIMENSIONS,
        bands=EPRES_BANDS,
    )
    row = [0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0]
    scores = score_matrix(epres, [r.code for r in items], np.array([row], dtype=float))
    assert scores.dimensions[0].tolist() == [0.5, 1, 0.5, 1, 0.5, 0.5]
    assert scores.total[0] == pytest.approx(4 / 6)
    assert scores.bands == ["2"]


def test_integer_bands_are_not_rounded():
    bands = [{"low": 0, "high": 2, "label": "low"}, {"low": 3, "high": 5, "label": "high"}]
    assert band_of(2.4, bands) is None  # between the bands: no band, as written
    assert band_of(3, bands) == "high"
