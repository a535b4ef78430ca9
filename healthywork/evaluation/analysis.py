"""Statistics for evaluation results, on plain numpy arrays (no ORM): descriptives, distributions,
Cronbach's alpha, the paired t-test and the Wilcoxon signed-rank test.

Conventions (documented in docs/evaluation-statistics.md):
- NaN means "no answer" and is ignored (descriptives), dropped listwise (alpha) or pairwise
  (paired tests); a value that cannot be computed is None, never NaN, so results serialize to JSON.
- Sample variances and standard deviations use n − 1 (ddof=1) everywhere.
- Paired differences are after − before: a positive mean difference is an increase.
- The Wilcoxon test drops zero differences (Wilcoxon's method, as R's wilcox.test and SciPy's
  default do); the exact distribution is used when at most 25 non-zero differences remain and no
  two absolute differences tie, otherwise the normal approximation with the tie correction of the
  variance and a continuity correction of 0.5.
"""

import math

import numpy as np
from scipy import stats

EXACT_LIMIT = 25


def _float(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


def _clean(values) -> np.ndarray:
    array = np.asarray(values, dtype=float).ravel()
    return array[~np.isnan(array)]


def describe(values: np.ndarray) -> dict:
    """n, mean, sd (sample, n − 1), median, min, max of the answered values."""
    data = _clean(values)
    n = int(data.size)
    if n == 0:
        return {"n": 0, "mean": None, "sd": None, "median": None, "min": None, "max": None}
    return {
        "n": n,
        "mean": _float(np.mean(data)),
        "sd": _float(np.std(data, ddof=1)) if n >= 2 else None,
        "median": _float(np.median(data)),
        "min": _float(np.min(data)),
        "max": _float(np.max(data)),
    }


def distribution(values, choices: list[float]) -> list[tuple[float, int]]:
    """How many answers took each choice value, in the order of `choices` (NaN ignored)."""
    data = _clean(values)
    return [(float(choice), int(np.count_nonzero(np.isclose(data, float(choice))))) for choice in choices]


def cronbach_alpha(matrix: np.ndarray) -> dict:
    """α = k/(k − 1) · (1 − Σ item variances / variance of the total), on complete rows only.

    alpha is None with fewer than two items, fewer than two complete rows or a total with no
    variance."""
    data = np.asarray(matrix, dtype=float)
    if data.ndim == 1:
        data = data.reshape(-1, 1)
    k = int(data.shape[1]) if data.ndim == 2 else 0
    complete = data[~np.isnan(data).any(axis=1)] if k else data
    n = int(complete.shape[0])
    result = {"alpha": None, "n": n, "k": k}
    if k < 2 or n < 2:
        return result
    item_variances = np.var(complete, axis=0, ddof=1)
    total_variance = float(np.var(complete.sum(axis=1), ddof=1))
    if total_variance <= 0 or math.isclose(total_variance, 0.0, abs_tol=1e-12):
        return result
    result["alpha"] = _float(k / (k - 1) * (1 - float(np.sum(item_variances)) / total_variance))
    return result


def _pairs(before, after) -> tuple[np.ndarray, np.ndarray]:
    first = np.asarray(before, dtype=float).ravel()
    second = np.asarray(after, dtype=float).ravel()
    if first.shape != second.shape:
        raise ValueError("before and after must have the same length")
    keep = ~(np.isnan(first) | np.isnan(second))
    return first[keep], second[keep]


def paired_t(before, after) -> dict:
    """Student's paired t-test on after − before (pairs with a missing value dropped)."""
    first, second = _pairs(before, after)
    n = int(first.size)
    result = {
        "n": n,
        "mean_before": _float(np.mean(first)) if n else None,
        "mean_after": _float(np.mean(second)) if n else None,
        "mean_diff": None,
        "sd_diff": None,
        "t": None,
        "df": n - 1 if n >= 2 else None,
        "p_value": None,
        "cohens_dz": None,
        "ci_low": None,
        "ci_high": None,
    }
    if n == 0:
        return result
    diff = second - first
    mean_diff = float(np.mean(diff))
    result["mean_diff"] = _float(mean_diff)
    if n < 2:
        return result
    sd_diff = float(np.std(diff, ddof=1))
    result["sd_diff"] = _float(sd_diff)
    df = n - 1
    if sd_diff == 0:
        result["ci_low"] = result["ci_high"] = _float(mean_diff)
        return result
    se = sd_diff / math.sqrt(n)
    t_value = mean_diff / se
    critical = float(stats.t.ppf(0.975, df))
    result.update(
        t=_float(t_value),
        p_value=_float(min(1.0, 2 * float(stats.t.sf(abs(t_value), df)))),
        cohens_dz=_float(mean_diff / sd_diff),
        ci_low=_float(mean_diff - critical * se),
        ci_high=_float(mean_diff + critical * se),
    )
    return result


def _exact_counts(n: int) -> np.ndarray:
    """counts[w] = number of the 2^n sign patterns of ranks 1..n whose positive ranks sum to w."""
    top = n * (n + 1) // 2
    counts = np.zeros(top + 1, dtype=float)
    counts[0] = 1.0
    for rank in range(1, n + 1):
        shifted = np.zeros_like(counts)
        shifted[rank:] = counts[:-rank]
        counts = counts + shifted
    return counts


def wilcoxon_signed_rank(before, after) -> dict:
    """Wilcoxon's signed-rank test on after − before, zero differences dropped, two-sided."""
    first, second = _pairs(before, after)
    diff = second - first
    n = int(diff.size)
    nonzero = diff[diff != 0]
    m = int(nonzero.size)
    result = {
        "n": n,
        "n_nonzero": m,
        "w_plus": None,
        "w_minus": None,
        "statistic": None,
        "p_value": None,
        "method": None,
        "z": None,
        "effect_r": None,
    }
    if m == 0:
        return result
    ranks = stats.rankdata(np.abs(nonzero))  # average ranks for ties
    w_plus = float(np.sum(ranks[nonzero > 0]))
    w_minus = float(np.sum(ranks[nonzero < 0]))
    result.update(w_plus=w_plus, w_minus=w_minus, statistic=min(w_plus, w_minus))
    _, tie_counts = np.unique(np.abs(nonzero), return_counts=True)
    has_ties = bool(np.any(tie_counts > 1))
    mean_w = m * (m + 1) / 4
    variance = m * (m + 1) * (2 * m + 1) / 24 - float(np.sum(tie_counts**3 - tie_counts)) / 48
    z_value = None
    if variance > 0:
        centred = w_plus - mean_w
        correction = 0.5 * np.sign(centred)
        z_value = (centred - correction) / math.sqrt(variance)
    if m <= EXACT_LIMIT and not has_ties:
        counts = _exact_counts(m)
        total = 2.0**m
        w = int(round(w_plus))
        lower = float(np.sum(counts[: w + 1])) / total
        upper = float(np.sum(counts[w:])) / total
        result.update(method="exact", p_value=_float(min(1.0, 2 * min(lower, upper))))
    else:
        result["method"] = "normal"
        if z_value is not None:
            result["p_value"] = _float(min(1.0, 2 * float(stats.norm.sf(abs(z_value)))))
    if z_value is not None:
        result["z"] = _float(z_value)
        result["effect_r"] = _float(z_value / math.sqrt(m))
    return result
