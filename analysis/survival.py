"""Kaplan–Meier survival of partnerships and of graduates' first jobs (存续分析).

From the spells that ``sesim run`` writes: a partnership survives until the firm leaves; a
first job until the graduate leaves it (quit or dismissed). Spells still in place at the end
of the run are right-censored. Only spells begun after warm-up (``start_month >= 0``) count,
so every spell is followed from its start. The estimator is ``scipy.stats.ecdf`` on
``CensoredData`` through ``sim.metrics.survival_function``, the summary's estimator too; bands are
pointwise 95% intervals (log-log), and the median's interval is read where the bands cross one half.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.metrics import survival_function

KINDS = ("partnership", "job")
HORIZONS = (12, 36)


@dataclass
class Curve:
    months: np.ndarray      # step times
    surv: np.ndarray        # S(t) just after each time
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


def _sf(spells: pd.DataFrame):
    dur = (spells["end_month"] - spells["start_month"]).to_numpy(float)
    return survival_function(dur, ~spells["censored"].to_numpy(bool))


def _first_at_or_below(months: np.ndarray, values: np.ndarray, level: float) -> float:
    hit = np.flatnonzero(np.nan_to_num(values, nan=1.0) <= level)
    return float(months[hit[0]]) if len(hit) else float("nan")


def curve(spells: pd.DataFrame) -> Curve:
    import warnings
    sf = _sf(spells)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # bands are undefined where S reaches 0
        ci = sf.confidence_interval(0.95, method="log-log")
    q = sf.quantiles
    low = np.clip(np.nan_to_num(ci.low.evaluate(q), nan=0.0), 0.0, 1.0)
    high = np.clip(np.nan_to_num(ci.high.evaluate(q), nan=1.0), 0.0, 1.0)
    return Curve(q, sf.probabilities, low, high)


def summarise(spells: pd.DataFrame) -> dict[str, float]:
    """n, events, median months with its 95% interval, survival at 12 and 36 months."""
    n = len(spells)
    events = int((~spells["censored"].astype(bool)).sum())
    out: dict[str, float] = {"n": n, "events": events}
    if n == 0:
        out.update(median_months=np.nan, median_ci_low=np.nan, median_ci_high=np.nan,
                   survival_12m=np.nan, survival_36m=np.nan)
        return out
    c = curve(spells)
    sf = _sf(spells)
    out["median_months"] = _first_at_or_below(c.months, c.surv, 0.5)
    out["median_ci_low"] = _first_at_or_below(c.months, c.low, 0.5)
    out["median_ci_high"] = _first_at_or_below(c.months, c.high, 0.5)
    for h in HORIZONS:
        out[f"survival_{h}m"] = float(sf.evaluate(h))
    return out


def survival_table(spells: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    rows = []
    for scn in order:
        mine = spells[spells["scenario"] == scn]
        for kind in KINDS:
            rows.append({"scenario": scn, "kind": kind, **summarise(select(mine, kind))})
    return pd.DataFrame(rows)
