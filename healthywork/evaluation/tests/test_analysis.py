"""The statistics in evaluation.analysis against published worked examples (sources cited per test)
and hand-checkable cases."""

import math

import numpy as np
import pytest

from healthywork.evaluation.analysis import (
    cronbach_alpha,
    describe,
    distribution,
    paired_t,
    wilcoxon_signed_rank,
)

# R's `sleep` data (Student 1908, from Cushny & Peebles 1905): extra hours of sleep of 10 patients
# under drug 1 (group 1) and drug 2 (group 2).
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]

# R documentation of wilcox.test (stats package), example from Hollander & Wolfe (1973), p. 29:
# Hamilton depression scale factor IV at the first (x) and second (y) visit.
DEPRESSION_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
DEPRESSION_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]

# R's `mtcars` (Henderson & Velleman 1981), columns cyl, gear, carb, hp: the example of
# performance::cronbachs_alpha, whose documentation prints 0.09463206
# (https://easystats.github.io/performance/reference/cronbachs_alpha.html).
MTCARS_CYL_GEAR_CARB_HP = [
    (6, 4, 4, 110), (6, 4, 4, 110), (4, 4, 1, 93), (6, 3, 1, 110), (8, 3, 2, 175), (6, 3, 1, 105),
    (8, 3, 4, 245), (4, 4, 2, 62), (4, 4, 2, 95), (6, 4, 4, 123), (6, 4, 4, 123), (8, 3, 3, 180),
    (8, 3, 3, 180), (8, 3, 3, 180), (8, 3, 4, 205), (8, 3, 4, 215), (8, 3, 4, 230), (4, 4, 1, 66),
    (4, 4, 2, 52), (4, 4, 1, 65), (4, 3, 1, 97), (8, 3, 2, 150), (8, 3, 2, 150), (8, 3, 4, 245),
    (8, 3, 2, 175), (4, 4, 1, 66), (4, 5, 2, 91), (4, 5, 2, 113), (8, 5, 4, 264), (6, 5, 6, 175),
    (8, 5, 8, 335), (4, 4, 2, 109),
]  # fmt: skip


def test_paired_t_matches_r_sleep_example():
    # t.test(extra ~ group, data = sleep, paired = TRUE): R computes group 1 − group 2, so with our
    # after − before convention group 2 is "before". Printed: t = -4.0621, df = 9,
    # p-value = 0.002833, 95% CI -2.4598858 -0.7001142, mean difference -1.58.
    result = paired_t(SLEEP_2, SLEEP_1)
    assert result["n"] == 10
    assert result["df"] == 9
    assert result["t"] == pytest.approx(-4.0621, abs=5e-5)
    assert result["p_value"] == pytest.approx(0.002833, abs=5e-7)
    assert result["mean_diff"] == pytest.approx(-1.58)
    assert result["ci_low"] == pytest.approx(-2.4598858, abs=5e-8)
    assert result["ci_high"] == pytest.approx(-0.7001142, abs=5e-8)
    assert result["mean_before"] == pytest.approx(2.33)
    assert result["mean_after"] == pytest.approx(0.75)
    # Cohen's d_z = mean difference / SD of the differences (= t / sqrt(n)).
    assert result["cohens_dz"] == pytest.approx(-4.0621277 / math.sqrt(10), abs=1e-6)


def test_paired_t_drops_pairs_with_a_missing_value_and_hand_case():
    # differences 1, 2, 3 (the NaN pair dropped): mean 2, sd 1, t = 2 / (1 / sqrt 3) = 2·sqrt 3.
    result = paired_t([1, 1, 1, np.nan, 5], [2, 3, 4, 9, np.nan])
    assert result["n"] == 3
    assert result["mean_diff"] == pytest.approx(2.0)
    assert result["sd_diff"] == pytest.approx(1.0)
    assert result["t"] == pytest.approx(2 * math.sqrt(3))
    assert result["cohens_dz"] == pytest.approx(2.0)


def test_paired_t_degenerate_cases_give_none():
    assert paired_t([], [])["t"] is None
    one = paired_t([1], [2])
    assert one["mean_diff"] == 1 and one["t"] is None and one["df"] is None
    constant = paired_t([1, 2, 3], [2, 3, 4])  # every difference is 1: no variance
    assert constant["t"] is None and constant["p_value"] is None and constant["mean_diff"] == 1


def test_wilcoxon_matches_r_documentation_example():
    # wilcox.test(x, y, paired = TRUE, alternative = "greater"): V = 40, p-value = 0.01953 (exact);
    # two-sided is twice that, 0.03906 (= 10/256). V is the sum of positive ranks of x − y.
    result = wilcoxon_signed_rank(DEPRESSION_Y, DEPRESSION_X)
    assert result["method"] == "exact"
    assert result["n"] == result["n_nonzero"] == 9
    assert result["w_plus"] == 40
    assert result["w_minus"] == 5
    assert result["statistic"] == 5
    assert result["p_value"] == pytest.approx(0.0390625)
    assert result["effect_r"] == pytest.approx(result["z"] / 3)


def test_wilcoxon_normal_with_ties_matches_r_sleep_example():
    # wilcox.test(extra ~ group, data = sleep, paired = TRUE) warns about ties and a zero and prints
    # V = 0, p-value = 0.009091 (normal approximation, tie and continuity corrections, zero dropped).
    result = wilcoxon_signed_rank(SLEEP_2, SLEEP_1)
    assert result["method"] == "normal"
    assert result["n"] == 10 and result["n_nonzero"] == 9
    assert result["w_plus"] == 0 and result["statistic"] == 0
    assert result["p_value"] == pytest.approx(0.009091, abs=5e-7)
    assert result["z"] < 0
    assert result["effect_r"] == pytest.approx(result["z"] / 3)


def test_wilcoxon_hand_cases():
    # differences 1, 2, 3 all positive: W+ = 6, exact two-sided p = 2 · 1/8 = 0.25.
    result = wilcoxon_signed_rank([0, 0, 0], [1, 2, 3])
    assert (result["w_plus"], result["w_minus"], result["p_value"]) == (6, 0, 0.25)
    # all differences zero: nothing to test
    none = wilcoxon_signed_rank([1, 2], [1, 2])
    assert none["n"] == 2 and none["n_nonzero"] == 0 and none["p_value"] is None
    # more than 25 non-zero differences: normal approximation
    rng = np.random.default_rng(7)
    before = rng.normal(size=30)
    after = before + rng.normal(0.5, 1, size=30)
    assert wilcoxon_signed_rank(before, after)["method"] == "normal"


def test_wilcoxon_normal_agrees_with_scipy():
    from scipy import stats

    before = [3, 4, 2, 5, 3, 4, 2, 3, 4, 5, 3, 2, 4, 3, 5, 2, 3, 4, 3, 2, 4, 3, 5, 4, 3, 2, 3]
    after = [4, 5, 4, 5, 3, 5, 3, 4, 5, 4, 4, 3, 5, 4, 5, 4, 3, 5, 4, 3, 5, 3, 4, 5, 4, 3, 5]
    ours = wilcoxon_signed_rank(before, after)
    theirs = stats.wilcoxon(after, before, zero_method="wilcox", correction=True, method="approx")
    assert ours["method"] == "normal"
    assert ours["statistic"] == pytest.approx(theirs.statistic)
    assert ours["p_value"] == pytest.approx(theirs.pvalue)


def test_cronbach_alpha_matches_performance_documentation():
    result = cronbach_alpha(np.array(MTCARS_CYL_GEAR_CARB_HP, dtype=float))
    assert result["n"] == 32 and result["k"] == 4
    assert result["alpha"] == pytest.approx(0.09463206, abs=5e-9)


def test_cronbach_alpha_hand_case_and_listwise_deletion():
    # Two items, three complete rows (1,1), (2,3), (3,2): item variances 1 and 1, totals 2, 5, 5
    # with variance 3; alpha = 2/1 · (1 − 2/3) = 2/3. The row with a NaN is dropped.
    result = cronbach_alpha(np.array([[1, 1], [2, 3], [3, 2], [np.nan, 4]]))
    assert result == {"alpha": pytest.approx(2 / 3), "n": 3, "k": 2}
    # identical items: alpha 1
    assert cronbach_alpha(np.array([[1, 1], [2, 2], [4, 4]]))["alpha"] == pytest.approx(1.0)


def test_cronbach_alpha_undefined_cases():
    assert cronbach_alpha(np.array([[1], [2], [3]]))["alpha"] is None  # one item
    assert cronbach_alpha(np.array([[1, 2]]))["alpha"] is None  # one row
    assert cronbach_alpha(np.array([[2, 2], [2, 2]]))["alpha"] is None  # no variance
    empty = cronbach_alpha(np.empty((0, 3)))
    assert empty == {"alpha": None, "n": 0, "k": 3}


def test_describe_and_distribution():
    assert describe([1, 2, np.nan, 4]) == {
        "n": 3,
        "mean": pytest.approx(7 / 3),
        "sd": pytest.approx(math.sqrt(7 / 3)),
        "median": 2.0,
        "min": 1.0,
        "max": 4.0,
    }
    assert describe([np.nan])["mean"] is None
    single = describe([5])
    assert single["mean"] == 5 and single["sd"] is None
    assert distribution([1, 2, 2, np.nan, 4], [1, 2, 3]) == [(1.0, 1), (2.0, 2), (3.0, 0)]


def test_describe_matches_students_1908_table_for_the_sleep_data():
    # Student (1908), "The probable error of a mean", Biometrika 6(1), p. 20, Illustration I: mean
    # +0.75 and +2.33 hours, S.D. 1.70 and 1.90, differences mean +1.58, S.D. 1.17. Student divided
    # by n; we divide by n − 1, so his S.D. is ours times sqrt((n − 1)/n).
    shrink = math.sqrt(9 / 10)
    for values, mean, sd in ((SLEEP_1, 0.75, 1.70), (SLEEP_2, 2.33, 1.90)):
        result = describe(values)
        assert result["n"] == 10
        assert result["mean"] == pytest.approx(mean)
        assert result["sd"] * shrink == pytest.approx(sd, abs=5e-3)
    differences = describe(np.subtract(SLEEP_2, SLEEP_1))
    assert differences["mean"] == pytest.approx(1.58)
    assert differences["sd"] * shrink == pytest.approx(1.17, abs=5e-3)


def test_cohens_dz_matches_lakens_2013_movie_example():
    # Lakens (2013), "Calculating and reporting effect sizes to facilitate cumulative science",
    # Frontiers in Psychology 4:863, Table 1: ratings of two movies by ten people, Movie 1 mean 8.7
    # (SD 0.82), Movie 2 mean 7.7 (SD 0.95); paired t(9) = 4.74, Cohen's d_z = 1.50.
    movie_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
    movie_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]
    assert describe(movie_1)["sd"] == pytest.approx(0.82, abs=5e-3)
    assert describe(movie_2)["sd"] == pytest.approx(0.95, abs=5e-3)
    result = paired_t(movie_2, movie_1)
    assert result["df"] == 9
    assert result["t"] == pytest.approx(4.74, abs=5e-3)
    assert result["cohens_dz"] == pytest.approx(1.50, abs=5e-3)
