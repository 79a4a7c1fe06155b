"""Statistics for strategy comparisons (统计): means, paired differences, Holm correction.

- Means: 95% bootstrap interval (``scipy.stats.bootstrap``, BCa, a fixed generator so the
  same table gives the same interval).
- Differences against the baseline: replicate *i* of every scenario shares its seed (common
  random numbers), so differences are paired: the mean of the per-replicate differences, its
  95% t-interval and p-value from ``scipy.stats.ttest_rel``, and Cohen's d_z (mean difference
  ÷ standard deviation of the differences) as the standardised effect size.
- Holm's step-down correction across all comparisons (``statsmodels``' ``multipletests``).
- Intervals that agree with Holm's verdicts (``holm_levels``): each difference's t-interval at
  the confidence level of the Holm step that decides it, so an interval excludes zero exactly
  when the corrected p-value is below alpha.

Degenerate cases never give NaN: a constant sample has an interval equal to its mean; a
difference that is the same in every replicate has an interval of zero width, a p-value of 1
when it is zero and 0 when it is not (no variation can explain it), and an effect size of 0
or ±inf.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20201


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2.0


@dataclass(frozen=True)
class PairedDifference:
    n: int
    diff: float
    low: float
    high: float
    effect_size: float
    p_value: float

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2.0


def _clean(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, float)
    return x[np.isfinite(x)]


def mean_interval(x: np.ndarray, confidence: float = CONFIDENCE) -> Interval:
    """Mean and bootstrap interval; a constant (or single) sample gets its mean as the interval."""
    x = _clean(x)
    if len(x) == 0:
        return Interval(float("nan"), float("nan"), float("nan"))
    m = float(np.mean(x))
    if len(x) < 2 or np.ptp(x) == 0.0:
        return Interval(m, m, m)
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    ci = None
    for method in ("BCa", "percentile"):
        res = (
            stats.bootstrap(
                (x,), np.mean, confidence_level=confidence, n_resamples=BOOTSTRAP_RESAMPLES, method=method, rng=rng
            )
            if _BOOTSTRAP_RNG
            else stats.bootstrap(
                (x,),
                np.mean,
                confidence_level=confidence,
                n_resamples=BOOTSTRAP_RESAMPLES,
                method=method,
                random_state=rng,
            )
        )
        ci = res.confidence_interval
        if np.isfinite(ci.low) and np.isfinite(ci.high):
            break
    low, high = float(ci.low), float(ci.high)
    return Interval(m, min(low, m), max(high, m))


def paired_difference(x: np.ndarray, base: np.ndarray, confidence: float = CONFIDENCE) -> PairedDifference:
    """Paired difference x − base over replicates (pairs with a missing value are dropped)."""
    x, base = np.asarray(x, float), np.asarray(base, float)
    ok = np.isfinite(x) & np.isfinite(base)
    d = x[ok] - base[ok]
    n = len(d)
    if n == 0:
        nan = float("nan")
        return PairedDifference(0, nan, nan, nan, nan, nan)
    mean = float(np.mean(d))
    if n < 2:  # one pair: a difference, but no interval and no test
        nan = float("nan")
        return PairedDifference(n, mean, nan, nan, nan, nan)
    if np.ptp(d) == 0.0:
        if mean == 0.0:
            return PairedDifference(n, 0.0, 0.0, 0.0, 0.0, 1.0)
        return PairedDifference(n, mean, mean, mean, float(np.copysign(np.inf, mean)), 0.0)
    res = stats.ttest_rel(x[ok], base[ok])
    ci = res.confidence_interval(confidence)
    sd = float(np.std(d, ddof=1))
    return PairedDifference(n, mean, float(ci.low), float(ci.high), mean / sd, float(res.pvalue))


def independent_difference(x: np.ndarray, y: np.ndarray, confidence: float = CONFIDENCE) -> Interval:
    """Difference of means of two independent samples with Welch's interval (no pairing)."""
    x, y = _clean(x), _clean(y)
    res = stats.ttest_ind(x, y, equal_var=False)
    ci = res.confidence_interval(confidence)
    return Interval(float(np.mean(x) - np.mean(y)), float(ci.low), float(ci.high))


def holm(p_values: np.ndarray) -> np.ndarray:
    """Holm step-down adjusted p-values (NaN entries are left out of the family and stay NaN)."""
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(p_values, float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method="holm")[1]
    return out


def holm_levels(p_values: np.ndarray, alpha: float = 0.05) -> np.ndarray:
    """The confidence level of the interval that agrees with Holm's step-down verdict, per comparison.

    Holm sorts the m p-values and tests the i-th smallest (i = 0, 1, ...) at alpha / (m - i),
    stopping at the first that fails; that one and every larger p-value are not rejected.  A
    rejected comparison gets the level its own step used, 1 - alpha / (m - i); every comparison
    from the stopping step on gets the level of that step, 1 - alpha / (m - k).  With the t-test's
    duality (p < a exactly when the 1 - a interval excludes 0) the interval then excludes zero
    exactly when the Holm-adjusted p-value is below alpha: the verdict and the interval shown
    beside it cannot disagree.  These are per-comparison intervals, not simultaneous ones (the
    Bonferroni intervals at 1 - alpha / m would be, and are wider).  NaN p-values stay out of the
    family and get NaN.  The rejection test is the one ``holm`` uses ((m - i) p < alpha, on the
    same floating-point products), so the two agree to the last bit.
    """
    p = np.asarray(p_values, float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = len(ok)
    stop = None
    for i, j in enumerate(ok[np.argsort(p[ok], kind="stable")]):
        if stop is None and not min(1.0, p[j] * (m - i)) < alpha:
            stop = i
        out[j] = 1.0 - alpha / (m - (i if stop is None else stop))
    return out


def _bootstrap_takes_rng() -> bool:
    import inspect

    return "rng" in inspect.signature(stats.bootstrap).parameters


_BOOTSTRAP_RNG = _bootstrap_takes_rng()
