"""Outcome metrics of docs/odd.md §7.6, computed from a finished model — one formula per outcome.

Labour-market metrics follow the MyCOS definitions: they cover all graduates of cohorts
whose graduation plus the metric's horizon falls inside the run (warm-up cohorts included
when their follow-up does); a metric with no eligible graduate is NaN ("missing").
Partner-only variants carry the suffix ``_partner``.

The monthly time series (``CooperationModel.reporters``) uses the same functions as the
summary, applied to what is known at the month: the latest academic year for
``firm_retention``, the latest cohort with full follow-up for ``graduate_retention_12m``, the
current state for strengths and reputation.  Every metric's unit is in :data:`UNITS`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .mechanisms.alignment import curriculum_alignment
from .state import (APPRENTICE, DIMS, EMPLOYED, FIT_FIELD, MANY_EMPLOYERS, MONTHS_PER_YEAR, ORDER_CLASS, PAY, PER_THOUSAND,
                    PROGRAMME_MONTHS, PROSPECTS, START_COHORT_YEARS, STUDY)

if TYPE_CHECKING:
    from .model import CooperationModel

METRICS = (
    "firm_retention", "partnership_survival_36m", "partnerships_over_3y", "firm_willingness",
    "firm_loss_share", "early_turnover_6m", "graduate_retention_12m", "graduate_retention_36m",
    "employers_3y", "employers_4plus_3y", "placement_6m", "matched_employment", "matched_employment_3y", "voluntary_quit_share",
    "quit_reason_prospects_share", "quit_reason_pay_share", "quit_reason_fit_share",
    "internship_completion", "internship_out_of_field", "take_on", "take_on_order_apprentice",
    "trust_duration_correlation",
    "skill_theory", "skill_technical", "skill_innovation", "skill_craft", "skill_civic",
    "skill_fit", "skill_level", "student_party_members", "firm_strength", "school_strength", "reputation",
    "firm_reputation", "firm_net_benefit", "firm_net_benefit_per_intern_month", "school_net_benefit",
)
PARTNER_METRICS = ("early_turnover_6m_partner", "graduate_retention_12m_partner",
                   "graduate_retention_36m_partner", "skill_fit_partner")
ALL_METRICS = METRICS + PARTNER_METRICS

SHARE, INDEX = "share 0-1", "index 0-1"
UNITS = {
    "firm_retention": SHARE, "partnership_survival_36m": SHARE, "partnerships_over_3y": SHARE,
    "firm_willingness": INDEX, "firm_loss_share": SHARE, "early_turnover_6m": SHARE,
    "graduate_retention_12m": SHARE, "graduate_retention_36m": SHARE, "employers_3y": "employers per graduate",
    "employers_4plus_3y": SHARE,
    "placement_6m": SHARE, "matched_employment": SHARE, "matched_employment_3y": SHARE,
    "voluntary_quit_share": SHARE, "internship_completion": SHARE, "internship_out_of_field": SHARE,
    "quit_reason_prospects_share": SHARE, "quit_reason_pay_share": SHARE, "quit_reason_fit_share": SHARE,
    "take_on": SHARE, "take_on_order_apprentice": SHARE, "trust_duration_correlation": "correlation -1 to 1",
    **{f"skill_{d}": INDEX for d in DIMS}, "skill_fit": "cosine 0-1", "skill_level": INDEX,
    "student_party_members": "per 1,000 graduates", "firm_strength": INDEX, "school_strength": INDEX,
    "reputation": INDEX, "firm_reputation": INDEX,
    "firm_net_benefit": "thousand yuan per partnership-year",
    "firm_net_benefit_per_intern_month": "thousand yuan per intern-month",
    "school_net_benefit": "thousand yuan per school-year",
    "early_turnover_6m_partner": SHARE, "graduate_retention_12m_partner": SHARE,
    "graduate_retention_36m_partner": SHARE, "skill_fit_partner": "cosine 0-1",
}

FIRST_GRADUATION = PROGRAMME_MONTHS - MONTHS_PER_YEAR * max(START_COHORT_YEARS)   # month 12
# months of follow-up a metric needs after a graduation (graduate metrics, warm-up cohorts included);
# metrics of graduates after warm-up need a graduation inside the reported years; so a short run can
# say why a metric is missing
FOLLOW_UP = {"early_turnover_6m": 6, "early_turnover_6m_partner": 6, "placement_6m": 6, "matched_employment": 6,
             "voluntary_quit_share": 6, "matched_employment_3y": 36, "take_on": 6, "take_on_order_apprentice": 6,
             "graduate_retention_12m": 12, "graduate_retention_12m_partner": 12,
             "graduate_retention_36m": 36, "graduate_retention_36m_partner": 36, "employers_3y": 36,
             "employers_4plus_3y": 36}
AT_GRADUATION = (*(f"skill_{d}" for d in DIMS), "skill_fit", "skill_fit_partner", "skill_level",
                 "student_party_members")
SURVIVAL_MONTHS = 36


def years_needed(metric: str, warmup_months: int) -> int:
    """The fewest reported years (``run.years``) in which ``metric`` has anyone to measure."""
    if metric == "partnership_survival_36m":
        return SURVIVAL_MONTHS // MONTHS_PER_YEAR + 1   # a partnership begun after warm-up, seen 36 months
    if metric in FOLLOW_UP:                            # a graduation, then the follow-up, before the end
        return max(1, (FIRST_GRADUATION + FOLLOW_UP[metric] - warmup_months) // MONTHS_PER_YEAR + 1)
    if metric in AT_GRADUATION:                        # a graduation (each September) after warm-up
        first = max(FIRST_GRADUATION, -(-warmup_months // MONTHS_PER_YEAR) * MONTHS_PER_YEAR)
        return max(1, (first - warmup_months) // MONTHS_PER_YEAR + 1)
    return 1


def _mean(x: np.ndarray) -> float:
    return float(np.mean(x)) if len(x) else float("nan")


def kaplan_meier(durations: np.ndarray, observed: np.ndarray, at: float) -> float:
    """Kaplan–Meier survival S(at) for durations with an event flag (False = censored); missing
    when nobody was followed as far as ``at`` (the estimate would stop short of it)."""
    if len(durations) == 0 or durations.max() < at:
        return float("nan")
    s = 1.0
    for t in np.unique(durations[observed & (durations <= at)]):
        at_risk = np.count_nonzero(durations >= t)
        events = np.count_nonzero((durations == t) & observed)
        s *= 1.0 - events / at_risk
    return s


def correlation(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation of two equally long samples; missing with fewer than three pairs or
    when either sample does not vary."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def shares(counts: np.ndarray) -> np.ndarray:
    """Counts as shares of their total; missing when there is nothing to count."""
    counts = np.asarray(counts, float)
    total = counts.sum()
    return counts / total if total > 0 else np.full(len(counts), np.nan)


# --- partnerships ------------------------------------------------------------------------------
def firm_retention_over(m: "CooperationModel", septembers: range | list[int]) -> float:
    """Partnerships active at the start of each given academic year (September ``t0``) that are
    still active twelve months later, pooled over the years: survivors ÷ at risk."""
    p = m.partnerships
    start, end = p.start[: p.n], p.end[: p.n]
    at_risk = survivors = 0
    for t0 in septembers:
        active0 = (start <= t0) & ((end < 0) | (end > t0))
        at_risk += int(active0.sum())
        survivors += int((active0 & ((end < 0) | (end > t0 + MONTHS_PER_YEAR))).sum())
    return survivors / at_risk if at_risk else float("nan")


def _septembers(first: int, known_until: int) -> range:
    """Septembers from ``first`` whose following twelve months are known at month ``known_until``."""
    first_september = -(-first // MONTHS_PER_YEAR) * MONTHS_PER_YEAR
    return range(first_september, known_until - MONTHS_PER_YEAR + 1, MONTHS_PER_YEAR)


def latest_firm_retention(m: "CooperationModel") -> float:
    """``firm_retention`` of the latest academic year complete at this month (time series)."""
    years = _septembers(0, m.t + 1)
    return firm_retention_over(m, [years[-1]]) if len(years) else float("nan")


def partnerships_over_3y_at(m: "CooperationModel", t: int) -> float:
    p = m.partnerships
    a = p.active()
    return float(np.mean(t - p.start[a] > SURVIVAL_MONTHS)) if len(a) else float("nan")


def current_partnerships_over_3y(m: "CooperationModel") -> float:
    return partnerships_over_3y_at(m, m.t)


def trust_duration_correlation(m: "CooperationModel") -> float:
    """Across the partnerships active at the end of the run, the correlation between a
    partnership's trust and its age (months since it began): the cross-section a survey of
    current relationships measures (trust against relationship duration, Vanneste, Puranam &
    Kretschmer 2014; docs/odd.md, Targets)."""
    p = m.partnerships
    a = p.active()
    return correlation(p.trust[a], (m.horizon - p.start[a]).astype(float))


def current_willingness(m: "CooperationModel") -> float:
    """Mean W over current partnerships; ``firm_willingness`` is its mean over reported months."""
    a = m.partnerships.active()
    return float(m.partnerships.willingness[a].mean()) if len(a) else float("nan")


def partnership_metrics(m: "CooperationModel") -> dict[str, float]:
    p, T, W = m.partnerships, m.horizon, m.warmup
    n = p.n
    start, end = p.start[:n], p.end[:n]
    new = start >= W
    dur = np.where(end[new] >= 0, end[new] - start[new], T - start[new])
    hosted = np.flatnonzero(m.firm_hosted & m.firm_ever_partner)
    months = p.months_reported[:n].sum()
    intern_months = m.intern_months_reported
    return {
        "firm_retention": firm_retention_over(m, _septembers(W, T)),
        "partnership_survival_36m": kaplan_meier(dur, end[new] >= 0, SURVIVAL_MONTHS),
        "partnerships_over_3y": partnerships_over_3y_at(m, T),
        "trust_duration_correlation": trust_duration_correlation(m),
        "firm_willingness": float(np.nanmean(m.willingness_history)) if m.willingness_history else float("nan"),
        "firm_loss_share": _mean(m.firm_intern_net[hosted] < 0),
        "firm_net_benefit": float(p.net_total[:n].sum() / months * MONTHS_PER_YEAR) if months else float("nan"),
        "firm_net_benefit_per_intern_month": (float(p.intern_net[:n].sum() / intern_months)
                                              if intern_months else float("nan")),
    }


# --- graduates ----------------------------------------------------------------------------------
def retention(m: "CooperationModel", graduates: np.ndarray, horizon: int) -> float:
    """Among ``graduates`` (a mask) employed within 6 months of graduation, the share still with
    their first employer ``horizon`` months after graduation."""
    st = m.students
    n = st.n
    g, fh, fe = st.grad_month[:n], st.first_hire[:n], st.first_end[:n]
    sel = graduates & (fh >= 0) & (fh - g <= FOLLOW_UP["early_turnover_6m"])
    return _mean((fe[sel] < 0) | (fe[sel] > g[sel] + horizon))


def latest_graduate_retention_12m(m: "CooperationModel") -> float:
    """``graduate_retention_12m`` of the latest cohort whose 12 months are complete (time series)."""
    h = FOLLOW_UP["graduate_retention_12m"]
    last = (m.t - h) // MONTHS_PER_YEAR * MONTHS_PER_YEAR      # graduations happen in September
    if last < 0:
        return float("nan")
    return retention(m, m.students.grad_month[: m.students.n] == last, h)


def labour_metrics(m: "CooperationModel") -> dict[str, float]:
    st, T = m.students, m.horizon
    n = st.n
    g = st.grad_month[:n]
    grads = g >= 0
    fh, fe = st.first_hire[:n], st.first_end[:n]
    early = grads & (fh >= 0) & (fh - g <= FOLLOW_UP["early_turnover_6m"])
    out: dict[str, float] = {}
    for suffix, sel in (("", grads), ("_partner", grads & st.first_partner[:n])):
        h6 = FOLLOW_UP["early_turnover_6m"]
        e6 = sel & early & (g + h6 < T)
        out[f"early_turnover_6m{suffix}"] = _mean((fe[e6] >= 0) & (fe[e6] <= g[e6] + h6))
        for h in (12, 36):
            out[f"graduate_retention_{h}m{suffix}"] = retention(m, sel & (g + h < T), h)
    reported = grads & (g >= m.warmup)
    emp_first = reported & (fh >= 0)
    out["skill_fit"] = _mean(st.first_fit[:n][emp_first])
    out["skill_fit_partner"] = _mean(st.first_fit[:n][emp_first & st.first_partner[:n]])
    y3 = grads & (g + FOLLOW_UP["employers_3y"] < T) & (fh >= 0)
    out["employers_3y"] = _mean(st.n_employers[:n][y3].astype(float))
    out["employers_4plus_3y"] = _mean(st.n_employers[:n][y3] >= MANY_EMPLOYERS)
    six = grads & (g + FOLLOW_UP["placement_6m"] < T)
    s6 = st.status_6m[:n][six]
    out["placement_6m"] = _mean(np.isin(s6, (EMPLOYED, STUDY)))
    f6 = st.in_field_6m[:n][six]
    out["matched_employment"] = _mean(f6[f6 >= 0] == 1)
    f36 = st.in_field_36m[:n][grads & (g + FOLLOW_UP["matched_employment_3y"] < T)]
    out["matched_employment_3y"] = _mean(f36[f36 >= 0] == 1)
    h6 = FOLLOW_UP["early_turnover_6m"]
    left = grads & early & (g + h6 < T) & (fe >= 0) & (fe <= g + h6)
    out["voluntary_quit_share"] = _mean(st.first_quit[:n][left])
    # why early leavers quit (M16): shares of the first-job quits within six months of graduation
    # in the reported period, by the reason the accepted offer gained most on (MyCOS's main reason)
    reason = shares(m.quit_reasons)
    out["quit_reason_prospects_share"] = float(reason[PROSPECTS])
    out["quit_reason_pay_share"] = float(reason[PAY])
    out["quit_reason_fit_share"] = float(reason[FIT_FIELD])
    # take-on (留用率): completed interns and apprentices, placed at a firm in the reported period,
    # whose first job is at the firm that trained them; graduates without a job count as not kept
    trained = (grads & (g + FOLLOW_UP["take_on"] < T) & (st.intern_done[:n] == 1) & (st.intern_firm[:n] >= 0)
               & (st.intern_start[:n] >= m.warmup))
    kept = st.first_employer[:n] == st.intern_firm[:n]
    out["take_on"] = _mean(kept[trained])
    dedicated = np.isin(st.track[:n], (ORDER_CLASS, APPRENTICE))     # trained for a named firm
    out["take_on_order_apprentice"] = _mean(kept[trained & dedicated])
    done = st.intern_done[:n]
    decided = (done >= 0) & (st.intern_start[:n] >= m.warmup)
    out["internship_completion"] = _mean(done[decided] == 1)
    placed = (st.intern_start[:n] >= m.warmup) & (st.intern_firm[:n] >= 0)
    out["internship_out_of_field"] = _mean(~st.intern_in_field[:n][placed])
    gs = st.grad_skills[:n][reported]
    for k, d in enumerate(DIMS):
        out[f"skill_{d}"] = _mean(gs[:, k])
    out["skill_level"] = _mean(gs.mean(axis=1)) if len(gs) else float("nan")
    # a process count (M11): students admitted to the party per 1,000 graduates; nothing downstream reads it
    out["student_party_members"] = PER_THOUSAND * _mean(st.party[:n][reported].astype(float))
    return out


# --- schools and firms -------------------------------------------------------------------------
def firm_strength(m: "CooperationModel") -> float:
    """Mean capability of every firm that was ever a partner (keeping weak partners is no decline)."""
    return float(m.firm_strength[m.firm_ever_partner].mean())


def school_strength_parts(m: "CooperationModel") -> np.ndarray:
    """Per school (columns), the three parts of its strength (rows): teachers' practical competence
    (双师型 share), curriculum alignment with its partners' needs, training capacity (实训基地)."""
    return np.stack([m.teacher_quality, curriculum_alignment(m), m.training_capacity])


def school_strength(m: "CooperationModel") -> float:
    """Mean over schools of the weighted mean of the three parts (weights in ``behaviour``)."""
    b = m.params.behaviour
    w = np.array([b.school_strength_weight_teachers, b.school_strength_weight_alignment,
                  b.school_strength_weight_training])
    return float((w @ school_strength_parts(m)).mean() / w.sum())


def reputation(m: "CooperationModel") -> float:
    return float(m.school_reputation.mean())


def firm_reputation(m: "CooperationModel") -> float:
    """Mean reputation of every firm that was ever a partner."""
    return float(m.firm_reputation[m.firm_ever_partner].mean())


def school_metrics(m: "CooperationModel") -> dict[str, float]:
    """The school's side of 互利, per school-year: placements through partners, resources received
    from partner firms (valued at what they cost the firm) and the reputation gained, at the
    shadow prices of ``behaviour``, minus the staff time spent on the cooperation."""
    b = m.params.behaviour
    years = (m.horizon - m.warmup) / MONTHS_PER_YEAR
    gains = (b.placement_price * m.partner_placements + m.resources_received
             + b.reputation_price * float((m.school_reputation - m.reputation_at_warmup).sum()))
    school_years = m.n_schools * years
    return {
        "school_net_benefit": float((gains - m.school_costs.sum()) / school_years) if school_years else float("nan"),
        "firm_strength": firm_strength(m),
        "school_strength": school_strength(m),
        "reputation": reputation(m),
        "firm_reputation": firm_reputation(m),
    }


def compute(m: "CooperationModel") -> dict[str, float]:
    out = {**partnership_metrics(m), **labour_metrics(m), **school_metrics(m)}
    return {k: out[k] for k in ALL_METRICS}
