"""The statistics of a contingency table: who does what more (or less) often than chance.

Pure functions on plain lists, so that the crosstab page, the API and `healthywork analyze`
give the same numbers, and the tests can check them against published worked examples.

Sources of the formulas:

- Expected counts, Pearson's X² and its degrees of freedom: Agresti, *An Introduction to
  Categorical Data Analysis*, 2nd ed. (Wiley, 2007), section 2.4.3. No Yates continuity
  correction is applied, not even to 2×2 tables (R's `chisq.test` applies one by default to 2×2
  tables, SciPy's `chi2_contingency` too): where expected counts are small we report an exact or
  Monte Carlo p-value instead, which is what the correction was a rough stand-in for.
- Adjusted (standardized) residuals: Agresti (2007), section 2.4.5;
  also Haberman, "The analysis of residuals in cross-classified tables", *Biometrics* 29 (1973).
- Cramér's V: Cramér, *Mathematical Methods of Statistics* (Princeton, 1946).
- Fisher's exact test for 2×2 tables: Agresti (2007), section 2.6; computed by
  `scipy.stats.fisher_exact` (two-sided: the tables no more probable than the observed one).
- Monte Carlo p-value with both margins fixed: Hope, "A simplified Monte Carlo significance test
  procedure", *JRSS B* 30 (1968), for p = (1 + #{X²_sim ≥ X²_obs}) / (1 + B); tables drawn by
  `scipy.stats.random_table` (Patefield, *Applied Statistics* 30, 1981, algorithm AS 159). This
  is what R's `chisq.test(simulate.p.value = TRUE)` does.
- "Expected counts below 5": Cochran, "Some methods for strengthening the common χ² tests",
  *Biometrics* 10 (1954).
"""

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from scipy import stats

MIN_EXPECTED = 5.0
# Simulated tables whose X² equals the observed one up to rounding count as "at least as large";
# R's chisq.test uses a relative tolerance of 64 machine epsilons for the same reason.
TIE_TOLERANCE = 1e-10
MONTE_CARLO_CHUNK = 2000  # tables drawn at a time, to bound memory on wide tables


@dataclass
class Finding:
    """One cell whose adjusted residual is beyond ±alpha_residual."""

    row: str
    col: str
    observed: int
    expected: float
    row_total: int
    residual: float
    direction: str  # "more" | "fewer"
    sentence: str


@dataclass
class CrosstabResult:
    rows: list[str]
    cols: list[str]
    counts: list[list[int]]
    row_totals: list[int]
    col_totals: list[int]
    total: int
    row_percents: list[list[float]]
    col_percents: list[list[float]]
    expected: list[list[float]]
    chi2: float | None
    dof: int
    p_value: float | None
    p_value_method: str | None  # "asymptotic", "fisher_exact", "monte_carlo"; None without a test
    monte_carlo_samples: int | None
    cramers_v: float | None
    residuals: list[list[float | None]]  # adjusted standardized residuals
    low_expected_cells: int
    min_expected: float
    warning: str | None
    findings: list[Finding] = field(default_factory=list)


def crosstab(
    rows: list[str],
    cols: list[str],
    counts: list[list[int]],
    *,
    row_name: str = "",
    col_name: str = "",
    alpha_residual: float = 1.96,
    monte_carlo_samples: int = 10000,
    seed: int = 2017,
) -> CrosstabResult:
    """The chi-square test of independence of a table of counts, with effect size and findings.

    Rows and columns with no count at all are left out first (the warning names them). A table
    smaller than 2×2 after that has no test: chi2, p_value and cramers_v are None and the warning
    says why. Otherwise:

    - E_ij = row_i · col_j / N; X² = Σ (O − E)² / E; df = (r − 1)(c − 1) (Agresti 2007, 2.4.3).
    - Cramér's V = √(X² / (N · min(r − 1, c − 1))) (Cramér 1946).
    - Adjusted residual r_ij = (O − E) / √(E (1 − row_i/N)(1 − col_j/N)) (Agresti 2007, 2.4.5),
      approximately standard normal under independence; a finding is a cell with |r| above
      `alpha_residual` (1.96: two-sided 5 %), sorted by |r|, largest first.
    - p-value: from the chi-square distribution when every expected count is at least 5; else
      Fisher's exact test for a 2×2 table, or a Monte Carlo test with both margins fixed
      (`monte_carlo_samples` tables, reproducible with `seed`) for a larger one.
    """
    if monte_carlo_samples < 1:
        raise ValueError(_("The number of Monte Carlo samples must be at least 1."))
    observed = _as_matrix(rows, cols, counts)
    notes: list[str] = []

    kept_rows = [index for index in range(len(rows)) if observed[index].sum() > 0]
    kept_cols = [index for index in range(len(cols)) if observed[:, index].sum() > 0]
    dropped_rows = [label for index, label in enumerate(rows) if index not in kept_rows]
    dropped_cols = [label for index, label in enumerate(cols) if index not in kept_cols]
    if observed.sum() == 0:
        notes.append(_("The table is empty: there is nothing to count."))
    else:
        if dropped_rows:
            notes.append(
                ngettext(
                    "Row left out because it has no counts: %(labels)s.",
                    "Rows left out because they have no counts: %(labels)s.",
                    len(dropped_rows),
                )
                % {"labels": _quoted(dropped_rows)}
            )
        if dropped_cols:
            notes.append(
                ngettext(
                    "Column left out because it has no counts: %(labels)s.",
                    "Columns left out because they have no counts: %(labels)s.",
                    len(dropped_cols),
                )
                % {"labels": _quoted(dropped_cols)}
            )
    observed = observed[np.ix_(kept_rows, kept_cols)]
    rows = [str(rows[index]) for index in kept_rows]
    cols = [str(cols[index]) for index in kept_cols]

    row_totals = observed.sum(axis=1)
    col_totals = observed.sum(axis=0)
    total = int(observed.sum())
    expected = np.outer(row_totals, col_totals) / total if total else np.zeros(observed.shape)
    row_count, col_count = observed.shape
    dof = max(row_count - 1, 0) * max(col_count - 1, 0)
    result = CrosstabResult(
        rows=list(rows),
        cols=list(cols),
        counts=observed.tolist(),
        row_totals=row_totals.tolist(),
        col_totals=col_totals.tolist(),
        total=total,
        row_percents=_percents(observed, row_totals[:, None]),
        col_percents=_percents(observed, col_totals[None, :]),
        expected=expected.tolist(),
        chi2=None,
        dof=dof,
        p_value=None,
        p_value_method=None,
        monte_carlo_samples=None,
        cramers_v=None,
        residuals=[[None] * col_count for _row in range(row_count)],
        low_expected_cells=int((expected < MIN_EXPECTED).sum()) if total else 0,
        min_expected=float(expected.min()) if expected.size else 0.0,
        warning=None,
    )
    if row_count < 2 or col_count < 2:
        if total:
            notes.append(
                _(
                    "A test of independence needs at least two rows and two columns with counts; "
                    "this table has %(rows)s × %(cols)s."
                )
                % {"rows": row_count, "cols": col_count}
            )
        result.warning = " ".join(notes)
        return result

    chi2 = pearson_chi2(observed)
    result.chi2 = chi2
    result.cramers_v = math.sqrt(chi2 / (total * min(row_count - 1, col_count - 1)))
    residuals = adjusted_residuals(observed)
    result.residuals = residuals.tolist()

    if result.low_expected_cells == 0:
        result.p_value = float(stats.chi2.sf(chi2, dof))
        result.p_value_method = "asymptotic"
    elif row_count == 2 and col_count == 2:
        result.p_value = float(stats.fisher_exact(observed).pvalue)
        result.p_value_method = "fisher_exact"
        notes.append(
            _(
                "%(low)s of %(cells)s cells have expected counts below 5; the p-value is exact "
                "(Fisher's exact test), not from the chi-square distribution."
            )
            % {"low": result.low_expected_cells, "cells": observed.size}
        )
    else:
        result.p_value = monte_carlo_p_value(observed, samples=monte_carlo_samples, seed=seed)
        result.p_value_method = "monte_carlo"
        result.monte_carlo_samples = monte_carlo_samples
        notes.append(
            _(
                "%(low)s of %(cells)s cells have expected counts below 5; the p-value is a "
                "Monte Carlo estimate from %(samples)s random tables with the same row and column "
                "totals, not from the chi-square distribution."
            )
            % {"low": result.low_expected_cells, "cells": observed.size, "samples": monte_carlo_samples}
        )
    result.warning = " ".join(notes) or None
    result.findings = _findings(
        rows, cols, observed, expected, residuals, alpha_residual, row_name=row_name, col_name=col_name
    )
    return result


def pearson_chi2(observed: np.ndarray) -> float:
    """Pearson's X² = Σ (O − E)² / E with E_ij = row_i · col_j / N, no continuity correction
    (Agresti 2007, 2.4.1). Every row and column must have a count."""
    return float(_chi2_statistics(observed[None, :, :].astype(float))[0])


def adjusted_residuals(observed: np.ndarray) -> np.ndarray:
    """(O − E) / √(E (1 − row_i/N)(1 − col_j/N)) for every cell (Agresti 2007, 2.4.5;
    Haberman 1973). These are R's `chisq.test(...)$stdres`."""
    observed = observed.astype(float)
    total = observed.sum()
    row_share = observed.sum(axis=1) / total
    col_share = observed.sum(axis=0) / total
    expected = np.outer(row_share, col_share) * total
    return (observed - expected) / np.sqrt(expected * np.outer(1 - row_share, 1 - col_share))


def monte_carlo_p_value(observed: np.ndarray, *, samples: int, seed: int) -> float:
    """P(X² ≥ observed X²) over random tables with the observed row and column totals.

    p = (1 + #{X²_sim ≥ X²_obs}) / (1 + samples) (Hope 1968; as R's `chisq.test` with
    `simulate.p.value = TRUE`); the tables come from `scipy.stats.random_table` (Patefield 1981).
    It estimates the exact conditional p-value of the X² test, whose standard error is at most
    0.5 / √samples.
    """
    observed = np.asarray(observed)
    threshold = pearson_chi2(observed) * (1 - TIE_TOLERANCE)
    generator = np.random.default_rng(seed)
    distribution = stats.random_table(observed.sum(axis=1), observed.sum(axis=0), seed=generator)
    at_least_as_large = 0
    remaining = samples
    while remaining:
        chunk = min(remaining, MONTE_CARLO_CHUNK)
        tables = distribution.rvs(chunk).astype(float)
        at_least_as_large += int((_chi2_statistics(tables) >= threshold).sum())
        remaining -= chunk
    return (1 + at_least_as_large) / (1 + samples)


def to_json(result: CrosstabResult) -> dict[str, Any]:
    """The result as JSON-ready data: plain lists, numbers, strings and None."""
    return {
        "rows": result.rows,
        "cols": result.cols,
        "counts": result.counts,
        "row_totals": result.row_totals,
        "col_totals": result.col_totals,
        "total": result.total,
        "row_percents": result.row_percents,
        "col_percents": result.col_percents,
        "expected": result.expected,
        "chi2": result.chi2,
        "dof": result.dof,
        "p_value": result.p_value,
        "p_value_method": result.p_value_method,
        "monte_carlo_samples": result.monte_carlo_samples,
        "cramers_v": result.cramers_v,
        "residuals": result.residuals,
        "low_expected_cells": result.low_expected_cells,
        "min_expected": result.min_expected,
        "warning": result.warning,
        "findings": [finding.sentence for finding in result.findings],
        "finding_cells": [
            {
                "row": finding.row,
                "col": finding.col,
                "observed": finding.observed,
                "expected": finding.expected,
                "row_total": finding.row_total,
                "residual": finding.residual,
                "direction": finding.direction,
            }
            for finding in result.findings
        ],
    }


def _as_matrix(rows: list[str], cols: list[str], counts: list[list[int]]) -> np.ndarray:
    if len(counts) != len(rows) or any(len(line) != len(cols) for line in counts):
        raise ValueError(
            _("The counts must form a table of %(rows)s rows and %(cols)s columns.")
            % {"rows": len(rows), "cols": len(cols)}
        )
    for row_label, line in zip(rows, counts, strict=True):
        for col_label, value in zip(cols, line, strict=True):
            if not _is_count(value):
                raise ValueError(
                    _("Row “%(row)s”, column “%(col)s”: a count must be a whole number of 0 or more.")
                    % {"row": row_label, "col": col_label}
                )
    return np.array(counts, dtype=np.int64).reshape(len(rows), len(cols))


def _quoted(labels: list[str]) -> str:
    return ", ".join(f"“{label}”" for label in labels)


def _is_count(value: Any) -> bool:
    if isinstance(value, bool | str) or value is None:
        return False
    try:
        return float(value).is_integer() and value >= 0
    except (TypeError, ValueError, OverflowError):
        return False


def _chi2_statistics(tables: np.ndarray) -> np.ndarray:
    """X² of each table in a stack of shape (k, r, c) sharing the same margins."""
    row_totals = tables.sum(axis=2, keepdims=True)
    col_totals = tables.sum(axis=1, keepdims=True)
    expected = row_totals * col_totals / tables.sum(axis=(1, 2), keepdims=True)
    return ((tables - expected) ** 2 / expected).sum(axis=(1, 2))


def _percents(observed: np.ndarray, totals: np.ndarray) -> list[list[float]]:
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(totals > 0, 100 * observed / np.where(totals > 0, totals, 1), 0.0)
    return shares.tolist()


def _findings(
    rows: list[str],
    cols: list[str],
    observed: np.ndarray,
    expected: np.ndarray,
    residuals: np.ndarray,
    alpha_residual: float,
    *,
    row_name: str,
    col_name: str,
) -> list[Finding]:
    findings = []
    for row_index, row in enumerate(rows):
        for col_index, col in enumerate(cols):
            residual = float(residuals[row_index, col_index])
            if abs(residual) <= alpha_residual:
                continue
            finding = Finding(
                row=row,
                col=col,
                observed=int(observed[row_index, col_index]),
                expected=float(expected[row_index, col_index]),
                row_total=int(observed[row_index].sum()),
                residual=residual,
                direction="more" if residual > 0 else "fewer",
                sentence="",
            )
            finding.sentence = _sentence(finding, row_name, col_name)
            findings.append(finding)
    findings.sort(key=lambda finding: -abs(finding.residual))  # stable: ties keep table order
    return findings


def _sentence(finding: Finding, row_name: str, col_name: str) -> str:
    values = {
        "row_name": row_name,
        "col_name": col_name,
        "row": finding.row,
        "col": finding.col,
        "observed": finding.observed,
        "row_total": finding.row_total,
        # number_format cuts digits off rather than rounding: round first.
        "expected": number_format(round(finding.expected, 1), 1),
        "residual": ("+" if finding.residual > 0 else "") + number_format(round(finding.residual, 1), 1),
    }
    # Whole sentences, not glued fragments, so that translators can reorder them.
    if row_name and col_name:
        if finding.direction == "more":
            template = _(
                "Where %(row_name)s is “%(row)s”, %(col_name)s is “%(col)s” more often than expected: "
                "%(observed)s of %(row_total)s (expected %(expected)s), adjusted residual %(residual)s."
            )
        else:
            template = _(
                "Where %(row_name)s is “%(row)s”, %(col_name)s is “%(col)s” less often than expected: "
                "%(observed)s of %(row_total)s (expected %(expected)s), adjusted residual %(residual)s."
            )
    elif finding.direction == "more":
        template = _(
            "Row “%(row)s” falls in column “%(col)s” more often than expected: %(observed)s of "
            "%(row_total)s (expected %(expected)s), adjusted residual %(residual)s."
        )
    else:
        template = _(
            "Row “%(row)s” falls in column “%(col)s” less often than expected: %(observed)s of "
            "%(row_total)s (expected %(expected)s), adjusted residual %(residual)s."
        )
    return template % values
