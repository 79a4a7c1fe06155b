"""Kaplan–Meier survival of partnerships and of graduates' first jobs (存续分析).

From the spells that ``sesim run`` writes: a partnership survives until the firm leaves; a
first job until the graduate leaves it (quit or dismissed). Spells still in place at the end
of the run are right-censored. Only spells begun after warm-up (``start_month >= 0``) count,
so every spell is followed from its start. The estimator is ``scipy.stats.ecdf`` on
``CensoredData``; bands are pointwise 95% intervals (log-log), and the median's interval is
read where the bands cross one half.

A comparison does not keep its spells: each replicate's are counted by kind, duration and
whether they ended (:func:`counts`), counts add up over replicates, and the estimator works on
the counts (:func:`km`) with the same arithmetic as ``scipy.stats.ecdf`` on the spells themselves,
so the memory a comparison needs does not grow with its replicates (docs/odd.md §13).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

KINDS = ("partnership", "job")
HORIZONS = (12, 36)


@dataclass
class Curve:
    months: np.ndarray  # step times
    surv: np.ndarray  # S(t) just after each time
    low: np.ndarray
    high: np.ndarray


def select(spells: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Spells of one kind begun after warm-up (``job`` = graduates' first jobs, partner or not)."""
    s = spells[spells["start_month"] >= 0]
    if kind == "partnership":
        return s[s["kind"] == "partnership"]
    if "first_job" in s.columns:
        return s[s["kind"].isin(["job", "job_partner"]) & s["first_job"]]
    return s[s["kind"].isin(["job", "job_partner"])]


COUNT_COLUMNS = ("duration", "events", "censored")
CONFIDENCE = 0.95


def counts(spells: pd.DataFrame) -> pd.DataFrame:
    """Spells (already selected, :func:`select`) as counts: per duration in months, how many ended
    there (events) and how many were still running (censored), sorted by duration."""
    dur = (spells["end_month"] - spells["start_month"]).to_numpy(float)
    cens = spells["censored"].to_numpy(bool)
    frame = pd.DataFrame({"duration": dur, "events": (~cens).astype(np.int64), "censored": cens.astype(np.int64)})
    return frame.groupby("duration", sort=True, as_index=False)[["events", "censored"]].sum()


def add_counts(a: pd.DataFrame | None, b: pd.DataFrame) -> pd.DataFrame:
    """The counts of two sets of spells together."""
    if a is None or a.empty:
        return b.reset_index(drop=True)
    both = pd.concat([a, b], ignore_index=True)
    return both.groupby("duration", sort=True, as_index=False)[["events", "censored"]].sum()


@dataclass
class KM:
    """Kaplan–Meier estimate at the distinct durations, as ``scipy.stats.ecdf`` computes it."""

    months: np.ndarray
    surv: np.ndarray
    at_risk: np.ndarray
    deaths: np.ndarray

    def evaluate(self, t: float) -> float:
        i = int(np.searchsorted(self.months, t, side="right")) - 1
        return 1.0 if i < 0 else float(self.surv[i])

    def loglog_band(self, confidence: float = CONFIDENCE) -> tuple[np.ndarray, np.ndarray]:
        """Pointwise log-log (exponential Greenwood) interval, NaN where undefined (S = 0 or 1)."""
        from scipy import special

        sf, d, n = self.surv, self.deaths, self.at_risk
        with np.errstate(divide="ignore", invalid="ignore"):
            var = 1 / np.log(sf) ** 2 * np.cumsum(d / (n * (n - d)))
            se = np.sqrt(var)
            z = special.ndtri(1 / 2 + confidence / 2)
            lnl = np.log(-np.log(sf))
            return np.exp(-np.exp(lnl + z * se)), np.exp(-np.exp(lnl - z * se))


def km(c: pd.DataFrame) -> KM:
    """The estimator from counts (:func:`counts`); the same floating-point steps as scipy's."""
    d = c["events"].to_numpy(np.int64)
    total = d + c["censored"].to_numpy(np.int64)
    n = total[::-1].cumsum()[::-1]  # at risk: every spell of this duration or longer
    sf = np.cumprod((n - d) / n)
    return KM(c["duration"].to_numpy(float), sf, n, d)


def _first_at_or_below(months: np.ndarray, values: np.ndarray, level: float) -> float:
    hit = np.flatnonzero(np.nan_to_num(values, nan=1.0) <= level)
    return float(months[hit[0]]) if len(hit) else float("nan")


def curve(spells: pd.DataFrame | KM) -> Curve:
    """The curve with its 95% band, from spells or from :func:`km` of their counts."""
    est = spells if isinstance(spells, KM) else km(counts(spells))
    lo, hi = est.loglog_band()
    low = np.clip(np.nan_to_num(lo, nan=0.0), 0.0, 1.0)
    high = np.clip(np.nan_to_num(hi, nan=1.0), 0.0, 1.0)
    return Curve(est.months, est.surv, low, high)


def summarise(spells: pd.DataFrame) -> dict[str, float]:
    """n, events, median months with its 95% interval, survival at 12 and 36 months."""
    return summarise_counts(counts(spells))


def summarise_counts(c: pd.DataFrame) -> dict[str, float]:
    """:func:`summarise` from counts."""
    n = int(c["events"].sum() + c["censored"].sum())
    events = int(c["events"].sum())
    out: dict[str, float] = {"n": n, "events": events}
    if n == 0:
        out.update(
            median_months=np.nan, median_ci_low=np.nan, median_ci_high=np.nan, survival_12m=np.nan, survival_36m=np.nan
        )
        return out
    est = km(c)
    cu = curve(est)
    out["median_months"] = _first_at_or_below(cu.months, cu.surv, 0.5)
    out["median_ci_low"] = _first_at_or_below(cu.months, cu.low, 0.5)
    out["median_ci_high"] = _first_at_or_below(cu.months, cu.high, 0.5)
    for h in HORIZONS:
        out[f"survival_{h}m"] = est.evaluate(h)
    return out


def survival_table(spells: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    return counts_table(
        {(scn, kind): counts(select(spells[spells["scenario"] == scn], kind)) for scn in order for kind in KINDS}, order
    )


EMPTY = pd.DataFrame(
    {"duration": pd.Series(dtype=float), "events": pd.Series(dtype=np.int64), "censored": pd.Series(dtype=np.int64)}
)


def counts_table(by: dict[tuple[str, str], pd.DataFrame], order: list[str]) -> pd.DataFrame:
    """The survival table from counts by (scenario, kind)."""
    rows = []
    for scn in order:
        for kind in KINDS:
            rows.append({"scenario": scn, "kind": kind, **summarise_counts(by.get((scn, kind), EMPTY))})
    return pd.DataFrame(rows)
