"""Scoring an instrument's numeric answers by its rules, on plain arrays (no ORM writes).

Rules (documented in docs/evaluation.md):
- a reverse-scored item's value v becomes (lowest + highest) − v, its bounds from its choices or
  its min/max;
- a dimension's score is the mean (or the sum) of its answered items; with fewer than
  `min_items` answered the respondent has no score on it (NaN);
- the total is the mean of the dimension scores (EPRES: the global score; NaN when a dimension is
  missing), the mean or the sum of all scored items, or nothing;
- the band of a total is the first band with low ≤ total ≤ high (bands may be given with two
  decimals, as published: a total of 0.615 falls in no band of 0.00–0.61 / 0.62–0.85 unless the
  bands are read as rounded, so totals are rounded half up to the bands' precision before lookup:
  0.614 → 0.61 → the first band, 0.615 → 0.62 → the second).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from healthywork.evaluation.models import Instrument, TotalMethod


@dataclass
class ItemRule:
    code: str
    dimension: str | None
    reverse: bool = False
    low: float | None = None
    high: float | None = None


@dataclass
class DimensionRule:
    code: str
    label: str
    method: str = "mean"
    min_items: int = 1


@dataclass
class ScoringSpec:
    items: list[ItemRule]
    dimensions: list[DimensionRule]
    total_method: str = TotalMethod.NONE
    bands: list[dict] = field(default_factory=list)

    @classmethod
    def from_instrument(cls, instrument: Instrument, items=None) -> "ScoringSpec":
        from healthywork.evaluation.matrix import numeric_items

        items = numeric_items(instrument.pk) if items is None else items
        rules = []
        for item in items:
            low, high = item.bounds()
            rules.append(
                ItemRule(
                    code=item.code,
                    dimension=item.dimension.code if item.dimension_id else None,
                    reverse=item.reverse_scored,
                    low=low,
                    high=high,
                )
            )
        dimensions = [
            DimensionRule(code=d.code, label=d.label, method=d.method, min_items=d.min_items)
            for d in instrument.dimensions.all()
        ]
        return cls(
            items=rules, dimensions=dimensions, total_method=instrument.total_method, bands=instrument.bands
        )


@dataclass
class Scores:
    item_codes: list[str]
    scored: np.ndarray  # items after reverse scoring, shape (n, k)
    dimension_codes: list[str]
    dimensions: np.ndarray  # shape (n, d), NaN where not scorable
    total: np.ndarray  # shape (n,), NaN where none
    bands: list[str | None]


def apply_reverse(spec: ScoringSpec, codes: list[str], values: np.ndarray) -> np.ndarray:
    scored = np.array(values, dtype=float, copy=True)
    rules = {rule.code: rule for rule in spec.items}
    for column, code in enumerate(codes):
        rule = rules.get(code)
        if rule and rule.reverse:
            if rule.low is None or rule.high is None:
                raise ValueError(f"Item {code} is reverse scored but has no lowest and highest value.")
            scored[:, column] = rule.low + rule.high - scored[:, column]
    return scored


def _reduce(block: np.ndarray, method: str, min_items: int) -> np.ndarray:
    answered = np.sum(~np.isnan(block), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "sum":
            result = np.nansum(block, axis=1)
        else:
            result = np.nansum(block, axis=1) / answered
    result = result.astype(float)
    result[answered < max(min_items, 1)] = np.nan
    return result


def band_of(total: float, bands: list[dict]) -> str | None:
    if total is None or np.isnan(total):
        return None
    for band in bands:
        low, high = float(band["low"]), float(band["high"])
        decimals = max(_decimals(band["low"]), _decimals(band["high"]))
        value = _round_half_up(float(total), decimals) if decimals else float(total)
        if low <= value <= high:
            return str(band.get("label", f"{low}–{high}"))
    return None


def _round_half_up(value: float, decimals: int) -> float:
    """Round as a person does (0.615 → 0.62, 1.555 → 1.56), after dropping floating-point noise
    below 1e-9 (a mean computed as 0.61499999999 is 0.615)."""
    cleaned = Decimal(repr(round(value, 9)))
    return float(cleaned.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _decimals(number) -> int:
    text = repr(float(number)) if not isinstance(number, str) else number
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def _bands(total: np.ndarray, bands: list[dict]) -> list[str | None]:
    if not len(total):
        return []
    distinct, inverse = np.unique(total, return_inverse=True)
    labels = [band_of(value, bands) for value in distinct]
    return [labels[index] for index in inverse.ravel()]


def score_matrix(spec: ScoringSpec, codes: list[str], values: np.ndarray, with_bands: bool = True) -> Scores:
    """Score every row of `values` (columns named by `codes`; NaN = unanswered); each band is
    looked up once per distinct total, not once per row."""
    values = np.asarray(values, dtype=float)
    scored = apply_reverse(spec, codes, values)
    index = {code: column for column, code in enumerate(codes)}
    n = scored.shape[0]
    dimension_scores = np.full((n, len(spec.dimensions)), np.nan)
    for position, dimension in enumerate(spec.dimensions):
        columns = [index[r.code] for r in spec.items if r.dimension == dimension.code and r.code in index]
        if columns:
            dimension_scores[:, position] = _reduce(scored[:, columns], dimension.method, dimension.min_items)
    rule_columns = [index[r.code] for r in spec.items if r.code in index]
    if spec.total_method == TotalMethod.MEAN_OF_DIMENSIONS and spec.dimensions:
        with np.errstate(invalid="ignore"):
            total = np.mean(dimension_scores, axis=1)  # NaN if any dimension is missing
    elif spec.total_method == TotalMethod.MEAN_OF_ITEMS and rule_columns:
        total = _reduce(scored[:, rule_columns], "mean", 1)
    elif spec.total_method == TotalMethod.SUM_OF_ITEMS and rule_columns:
        total = _reduce(scored[:, rule_columns], "sum", 1)
    else:
        total = np.full(n, np.nan)
    return Scores(
        item_codes=list(codes),
        scored=scored,
        dimension_codes=[d.code for d in spec.dimensions],
        dimensions=dimension_scores,
        total=total,
        bands=_bands(total, spec.bands) if with_bands and spec.bands else [None] * n,
    )
