"""Statistics of sesim compare, checked on fixed tables with answers worked by hand."""

import math

import numpy as np
import pytest
from scipy import stats as sps

from analysis import stats


def test_paired_difference_matches_hand_computation():
    base = np.array([0.50, 0.40, 0.60, 0.55, 0.45])
    x = base + np.array([0.01, 0.02, 0.03, 0.04, 0.05])
    d = stats.paired_difference(x, base)
    # differences 0.01..0.05: mean 0.03, sd sqrt(2.5)·0.01, se = sd/√5, t = 0.03/se with 4 df
    sd = math.sqrt(2.5) * 0.01
    se = sd / math.sqrt(5)
    tcrit = sps.t.ppf(0.975, 4)
    assert d.n == 5
    assert d.diff == pytest.approx(0.03)
    assert d.low == pytest.approx(0.03 - tcrit * se) and d.high == pytest.approx(0.03 + tcrit * se)
    assert d.effect_size == pytest.approx(0.03 / sd)
    assert d.p_value == pytest.approx(2 * sps.t.sf(0.03 / se, 4))


def test_pairing_drops_missing_pairs():
    d = stats.paired_difference(np.array([1.0, np.nan, 3.0, 4.0]), np.array([0.0, 1.0, np.nan, 2.0]))
    assert d.n == 2 and d.diff == pytest.approx(1.5)


def test_holm_against_hand_worked_example():
    # sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → raised to 0.06 (monotone)
    p = np.array([0.01, 0.04, 0.03, 0.005])
    np.testing.assert_allclose(stats.holm(p), [0.03, 0.06, 0.06, 0.02])


def test_holm_leaves_missing_out_and_caps_at_one():
    out = stats.holm(np.array([0.5, np.nan, 0.9]))
    assert math.isnan(out[1]) and out[0] == pytest.approx(1.0) and out[2] == pytest.approx(1.0)


def test_constant_metric_never_gives_nan():
    same = np.full(8, 0.42)
    ci = stats.mean_interval(same)
    assert ci.mean == ci.low == ci.high == pytest.approx(0.42)
    d = stats.paired_difference(same, same)
    assert (d.diff, d.low, d.high, d.effect_size, d.p_value) == (0.0, 0.0, 0.0, 0.0, 1.0)
    shifted = stats.paired_difference(same + 0.1, same)
    assert shifted.low == shifted.high == pytest.approx(0.1) and shifted.p_value == 0.0


def test_bootstrap_interval_brackets_the_mean_and_is_reproducible():
    x = np.random.default_rng(7).normal(10.0, 2.0, 40)
    a, b = stats.mean_interval(x), stats.mean_interval(x)
    assert a == b
    assert a.low < a.mean < a.high
    # close to the t-interval for a normal sample of 40 (within 25% of its half-width)
    half_t = sps.t.ppf(0.975, 39) * x.std(ddof=1) / math.sqrt(40)
    assert a.half_width == pytest.approx(half_t, rel=0.25)


def test_one_pair_gives_a_difference_but_no_interval_and_no_test():
    d = stats.paired_difference(np.array([1.0, np.nan]), np.array([0.5, 2.0]))
    assert d.n == 1 and d.diff == 0.5
    assert np.isnan(d.low) and np.isnan(d.high) and np.isnan(d.p_value)
