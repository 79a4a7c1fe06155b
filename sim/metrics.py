"""Outcome metrics of MODEL.md §5, computed from a finished model.

Labour-market metrics follow the MyCOS definitions: they cover all graduates of cohorts
whose graduation plus the metric's horizon falls inside the run (warm-up cohorts included
when their follow-up does); a metric with no eligible graduate is NaN ("missing").
Partner-only variants carry the suffix ``_partner``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .state import DIMS, EMPLOYED, STUDY

if TYPE_CHECKING:
    from .model import CooperationModel

METRICS = (
    "firm_retention", "partnership_survival_36m", "partnerships_over_3y", "firm_willingness",
    "firm_loss_share", "early_turnover_6m", "graduate_retention_12m", "graduate_retention_36m",
    "employers_3y", "placement_6m", "matched_employment", "internship_completion",
    "skill_theory", "skill_technical", "skill_innovation", "skill_craft", "skill_civic",
    "skill_fit", "student_party_members", "firm_strength", "school_strength", "reputation",
    "firm_net_benefit", "school_net_benefit",
)
PARTNER_METRICS = ("early_turnover_6m_partner", "graduate_retention_12m_partner",
                   "graduate_retention_36m_partner", "skill_fit_partner")
ALL_METRICS = METRICS + PARTNER_METRICS

FIRST_GRADUATION = 12    # the cohorts present at the start (years 2 and 3) graduate from month 12 (sim/model.py)
# months of follow-up a metric needs after a graduation (graduate metrics, warm-up cohorts included);
# metrics of graduates after warm-up need a graduation inside the reported years; so a short run can
# say why a metric is missing
FOLLOW_UP = {"early_turnover_6m": 6, "early_turnover_6m_partner": 6, "placement_6m": 6, "matched_employment": 6,
             "graduate_retention_12m": 12, "graduate_retention_12m_partner": 12,
             "graduate_retention_36m": 36, "graduate_retention_36m_partner": 36, "employers_3y": 36}
AT_GRADUATION = ("skill_theory", "skill_technical", "skill_innovation", "skill_craft", "skill_civic",
                 "skill_fit", "skill_fit_partner", "student_party_members")


def years_needed(metric: str, warmup_months: int) -> int:
    """The fewest reported years (``run.years``) in which ``metric`` has anyone to measure."""
    if metric == "partnership_survival_36m":
        return 4                                       # a partnership begun after warm-up, seen 36 months
    if metric in FOLLOW_UP:                            # a graduation, then the follow-up, before the end
        return max(1, (FIRST_GRADUATION + FOLLOW_UP[metric] - warmup_months) // 12 + 1)
    if metric in AT_GRADUATION:                        # a graduation (each September) after warm-up
        first = max(FIRST_GRADUATION, -(-warmup_months // 12) * 12)
        return max(1, (first - warmup_months) // 12 + 1)
    return 1


def _mean(x: np.ndarray) -> float:
    return float(np.mean(x)) if len(x) else float("nan")


def kaplan_meier(durations: np.ndarray, observed: np.ndarray, at: float) -> float:
    """Kaplan–Meier survival S(at) for durations with an event flag (False = censored)."""
    if len(durations) == 0:
        return float("nan")
    s = 1.0
    for t in np.unique(durations[observed & (durations <= at)]):
        at_risk = np.count_nonzero(durations >= t)
        events = np.count_nonzero((durations == t) & observed)
        s *= 1.0 - events / at_risk
    return s


def partnership_metrics(m: "CooperationModel") -> dict[str, float]:
    p, T, W = m.partnerships, m.horizon, m.warmup
    n = p.n
    start, end = p.start[:n], p.end[:n]
    at_risk = survivors = 0
    first_september = -(-W // 12) * 12          # academic years start in September (t % 12 == 0)
    for t0 in range(first_september, T - 12 + 1, 12):
        active0 = (start <= t0) & ((end < 0) | (end > t0))
        still = active0 & ((end < 0) | (end > t0 + 12))
        at_risk += int(active0.sum())
        survivors += int(still.sum())
    new = start >= W
    dur = np.where(end[new] >= 0, end[new] - start[new], T - start[new])
    active_end = end < 0
    hosted = np.flatnonzero(m.firm_hosted & m.firm_ever_partner)
    months = p.months_reported[:n].sum()
    return {
        "firm_retention": survivors / at_risk if at_risk else float("nan"),
        "partnership_survival_36m": kaplan_meier(dur, end[new] >= 0, 36),
        "partnerships_over_3y": _mean((T - start[active_end]) > 36),
        "firm_willingness": float(np.nanmean(m.willingness_history)) if m.willingness_history else float("nan"),
        "firm_loss_share": _mean(m.firm_intern_net[hosted] < 0),
        "firm_net_benefit": float(p.net_total[:n].sum() / months * 12) if months else float("nan"),
    }


def labour_metrics(m: "CooperationModel") -> dict[str, float]:
    st, T = m.students, m.horizon
    n = st.n
    g = st.grad_month[:n]
    grads = g >= 0
    fh, fe = st.first_hire[:n], st.first_end[:n]
    early = grads & (fh >= 0) & (fh - g <= 6)
    out: dict[str, float] = {}
    for suffix, sel in (("", early), ("_partner", early & st.first_partner[:n])):
        e6 = sel & (g + 6 < T)
        out[f"early_turnover_6m{suffix}"] = _mean((fe[e6] >= 0) & (fe[e6] <= g[e6] + 6))
        for h in (12, 36):
            eh = sel & (g + h < T)
            out[f"graduate_retention_{h}m{suffix}"] = _mean((fe[eh] < 0) | (fe[eh] > g[eh] + h))
    reported = grads & (g >= m.warmup)
    emp_first = reported & (fh >= 0)
    out["skill_fit"] = _mean(st.first_fit[:n][emp_first])
    out["skill_fit_partner"] = _mean(st.first_fit[:n][emp_first & st.first_partner[:n]])
    y3 = grads & (g + 36 < T) & (fh >= 0)
    out["employers_3y"] = _mean(st.n_employers[:n][y3].astype(float))
    six = grads & (g + 6 < T)
    s6 = st.status_6m[:n][six]
    out["placement_6m"] = _mean(np.isin(s6, (EMPLOYED, STUDY)))
    f6 = st.in_field_6m[:n][six]
    out["matched_employment"] = _mean(f6[f6 >= 0] == 1)
    done = st.intern_done[:n]
    decided = (done >= 0) & (st.intern_start[:n] >= m.warmup)
    out["internship_completion"] = _mean(done[decided] == 1)
    gs = st.grad_skills[:n][reported]
    for k, d in enumerate(DIMS):
        out[f"skill_{d}"] = _mean(gs[:, k])
    out["student_party_members"] = 1000.0 * _mean(st.party[:n][reported].astype(float))
    return out


def school_metrics(m: "CooperationModel") -> dict[str, float]:
    b, st = m.params.behaviour, m.students
    n = st.n
    g = st.grad_month[:n]
    placed = (g >= m.warmup) & np.isin(st.status_6m[:n], (EMPLOYED, STUDY))
    gains = b.placement_price * placed.sum() + b.reputation_price * float(
        (m.school_reputation - m.reputation_at_warmup).sum())
    pyears = m.partnerships.months_reported[: m.partnerships.n].sum() / 12.0
    return {
        "school_net_benefit": float((gains - m.school_costs.sum()) / pyears) if pyears else float("nan"),
        "firm_strength": float(m.firm_strength[m.firm_ever_partner].mean()),
        "school_strength": float(m.teacher_quality.mean()),
        "reputation": float(m.school_reputation.mean()),
    }


def compute(m: "CooperationModel") -> dict[str, float]:
    out = {**partnership_metrics(m), **labour_metrics(m), **school_metrics(m)}
    return {k: out[k] for k in ALL_METRICS}
