"""Outcome metrics of docs/odd.md §7.6, computed from a finished model — one formula per outcome.

Labour-market metrics follow the MyCOS definitions: they cover all graduates of cohorts
whose graduation plus the metric's horizon falls inside the run (warm-up cohorts included
when their follow-up does); a metric with no eligible graduate is NaN ("missing").
Partner-only variants carry the suffix ``_partner``.

The monthly time series (``CooperationModel.reporters``) uses the same functions as the
summary, applied to what is known at the month: the latest academic year for
``firm_retention``, the latest cohort with full follow-up for ``graduate_retention_12m``, the
current state for strengths and reputation.  Every fact about a metric (names in English and
Chinese, unit, how a difference is read, which way is better, its formula and series, its
partner variant, the follow-up it needs) is in :data:`REGISTRY`, which the reports, the
dashboard and the workshop read through the lookups at the end of this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np
from scipy import stats

from .folding import ExactSum, Part, add_parts
from .mechanisms.alignment import curriculum_alignment
from .state import (
    APPRENTICE,
    DIMS,
    EMPLOYED,
    FIT_FIELD,
    MANY_EMPLOYERS,
    MONTHS_PER_YEAR,
    ORDER_CLASS,
    PAY,
    PER_THOUSAND,
    PROGRAMME_MONTHS,
    PROSPECTS,
    START_COHORT_YEARS,
    STUDY,
)

if TYPE_CHECKING:
    from .model import CooperationModel
    from .state import Students

FIRST_GRADUATION = PROGRAMME_MONTHS - MONTHS_PER_YEAR * max(START_COHORT_YEARS)  # month 12
SURVIVAL_MONTHS = 36


def years_needed(metric: str, warmup_months: int) -> int:
    """The fewest reported years (``run.years``) in which ``metric`` has anyone to measure."""
    if metric == "partnership_survival_36m":
        return SURVIVAL_MONTHS // MONTHS_PER_YEAR + 1  # a partnership begun after warm-up, seen 36 months
    if metric in FOLLOW_UP:  # a graduation, then the follow-up, before the end
        return max(1, (FIRST_GRADUATION + FOLLOW_UP[metric] - warmup_months) // MONTHS_PER_YEAR + 1)
    if metric in AT_GRADUATION:  # a graduation (each September) after warm-up
        first = max(FIRST_GRADUATION, -(-warmup_months // MONTHS_PER_YEAR) * MONTHS_PER_YEAR)
        return max(1, (first - warmup_months) // MONTHS_PER_YEAR + 1)
    return 1


def _mean(x: np.ndarray) -> float:
    return float(np.mean(x)) if len(x) else float("nan")


def survival_function(durations: np.ndarray, observed: np.ndarray):
    """The Kaplan–Meier estimate of spells with an event flag (False = right-censored), as
    ``scipy.stats.ecdf`` gives it (its ``sf``: ``evaluate``, ``quantiles``, ``probabilities``,
    ``confidence_interval``); the one estimator of the summary (``partnership_survival_36m``) and
    of the report's survival curves (docs/odd.md §7.6)."""
    durations, observed = np.asarray(durations, float), np.asarray(observed, bool)
    return stats.ecdf(stats.CensoredData(uncensored=durations[observed], right=durations[~observed])).sf


def kaplan_meier(durations: np.ndarray, observed: np.ndarray, at: float) -> float:
    """Kaplan–Meier survival S(at) for durations with an event flag (False = censored); missing
    when nobody was followed as far as ``at`` (the estimate would stop short of it)."""
    if len(durations) == 0 or np.max(durations) < at:
        return float("nan")
    return float(survival_function(durations, observed).evaluate(at))


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


@dataclass(frozen=True)
class PartnershipYear:
    """The partnerships of one year of a workshop's region, as its seat pages count them (docs/odd.md
    §11): the year is months ``t0 .. t1 - 1``, from a round's September (its decisions included) to the
    month before the next.  Each array holds rows of ``m.partnerships``."""

    t0: int
    t1: int
    at_start: np.ndarray  # active when the year began (before its September)
    kept: np.ndarray  # of those, active all year
    ended: np.ndarray  # ended within the year (any partnership, also one begun in it)
    begun: np.ndarray  # begun within the year
    months_kept: int  # months the partnerships at the start stayed active within the year

    @property
    def months_possible(self) -> int:
        return len(self.at_start) * (self.t1 - self.t0)


def partnership_year(m: "CooperationModel", t0: int, t1: int) -> PartnershipYear:
    """:class:`PartnershipYear` of months ``t0 .. t1 - 1`` (known once month ``t1 - 1`` has run)."""
    p = m.partnerships
    start, end = p.start[: p.n], p.end[: p.n]
    ended = (end >= t0) & (end < t1)
    at_start = (start < t0) & ((end < 0) | (end >= t0))
    kept = at_start & ~ended
    months = np.where(ended, end, t1)[at_start] - t0
    return PartnershipYear(
        t0,
        t1,
        np.flatnonzero(at_start),
        np.flatnonzero(kept),
        np.flatnonzero(ended),
        np.flatnonzero((start >= t0) & (start < t1)),
        int(months.sum()),
    )


def round_years(m: "CooperationModel") -> list[tuple[int, int]]:
    """The reported rounds' years as (first month, month after the last), those begun by now."""
    out = []
    for r in range(m.n_rounds):
        t0 = m.first_round + MONTHS_PER_YEAR * r
        if t0 < m.t:
            out.append((t0, min(t0 + MONTHS_PER_YEAR, m.horizon, m.t)))
    return out


def partnership_years(m: "CooperationModel") -> list[PartnershipYear]:
    return [partnership_year(m, t0, t1) for t0, t1 in round_years(m)]


def kept_all_year(years: list[PartnershipYear]) -> float:
    """Of the partnerships at the start of each year, the share active all year, pooled over the years
    (``firm_retention``'s formula, with the year the pages count, :class:`PartnershipYear`)."""
    at_risk = sum(len(y.at_start) for y in years)
    return sum(len(y.kept) for y in years) / at_risk if at_risk else float("nan")


def partner_months_kept(years: list[PartnershipYear]) -> float:
    """Of the months the partnerships at the start of each year could have lasted within it, the share
    they did, pooled: a partnership that broke after seven months counts 7/12, not 0."""
    possible = sum(y.months_possible for y in years)
    return sum(y.months_kept for y in years) / possible if possible else float("nan")


def workshop_partnerships(m: "CooperationModel") -> dict[str, float]:
    """The workshop's partnership measures of a finished run (not summary columns: docs/odd.md §11)."""
    years = partnership_years(m)
    return {"kept_all_year": kept_all_year(years), "partner_months_kept": partner_months_kept(years)}


def partnerships_over_3y_at(m: "CooperationModel", t: int) -> float:
    p = m.partnerships
    a = p.active()
    return float(np.mean(t - p.start[a] > SURVIVAL_MONTHS)) if len(a) else float("nan")


def current_partnerships_over_3y(m: "CooperationModel") -> float:
    return partnerships_over_3y_at(m, m.t)


def trust_age_correlation(m: "CooperationModel", t: int) -> float:
    """Across the partnerships active now, the correlation between a partnership's trust and its
    age at month ``t`` (months since it began): the cross-section one survey of current
    relationships measures (trust against relationship duration, Vanneste, Puranam & Kretschmer 2014)."""
    p = m.partnerships
    a = p.active()
    return correlation(p.trust[a], (t - p.start[a]).astype(float))


def trust_duration_correlation(m: "CooperationModel") -> float:
    """The trust-age correlation of the partnerships active at the end of each reported year, averaged
    over the years: a survey a year, as the meta-analysis averages over studies (docs/odd.md, §7 and
    Targets); one cross-section of a region's few partnerships is noisy.  A run with no complete
    reported year (or a model built by hand) gives the cross-section now."""
    years = [c for c in m.trust_age_history if np.isfinite(c)]
    return float(np.mean(years)) if years else trust_age_correlation(m, m.horizon)


def crossing_month(x: np.ndarray) -> float:
    """The month in which the series ``x`` (its value at the end of months 1, 2, ...) first reaches
    0, interpolated linearly from the month before: k - 1 < value <= k for "in the k-th month"
    (0 if it starts at 0); NaN if it never does."""
    up = np.flatnonzero(x >= 0)
    if not len(up):
        return float("nan")
    k = int(up[0])
    if k == 0:
        return 0.0 if x[0] == 0 else 1.0
    return k + float(-x[k - 1] / (x[k] - x[k - 1]))


def intern_months_means(m: "CooperationModel") -> np.ndarray:
    """The mean net benefit of an intern to its host in the 1st, 2nd, ... month of the placement
    (reported months), up to the last month before the first that no intern reached."""
    n = m.interns_by_month
    seen = int(np.cumprod(n > 0).sum())
    return m.intern_net_by_month[:seen] / n[:seen]


def intern_break_even_month(m: "CooperationModel") -> float:
    """The month of the placement in which an intern's monthly net benefit to its host turns
    positive (冉云芳 & 石伟平 2020: 盈亏平衡点, the 4th month)."""
    return crossing_month(intern_months_means(m))


def intern_payback_month(m: "CooperationModel") -> float:
    """The month of the placement in which an intern's cumulative net benefit to its host turns
    positive (冉云芳 & 石伟平 2020: 投资回收期, the 8th month); NaN if it does not within the
    longest placement."""
    return crossing_month(np.cumsum(intern_months_means(m)))


def firm_loss_share(m: "CooperationModel") -> float:
    """Of the firm-years with interns (a firm in a reported year, September to August), the share in
    which the firm's interns cost it more than they were worth: each year's host firms surveyed, as
    冉云芳 & 石伟平 (2020) interviewed firms about an internship round (docs/odd.md M8 and Targets).  A
    run with no complete reported year (or a model built by hand) gives the year so far."""
    if m.firm_years_hosted:
        return m.firm_years_losing / m.firm_years_hosted
    return _mean(m.firm_intern_net_year[m.firm_hosted_year] < 0)


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
    months = p.months_reported[:n].sum()
    intern_months = m.intern_months_reported
    return {
        "firm_retention": firm_retention_over(m, _septembers(W, T)),
        "partnership_survival_36m": kaplan_meier(dur, end[new] >= 0, SURVIVAL_MONTHS),
        "partnerships_over_3y": partnerships_over_3y_at(m, T),
        "trust_duration_correlation": trust_duration_correlation(m),
        "firm_willingness": float(np.nanmean(m.willingness_history)) if m.willingness_history else float("nan"),
        "firm_loss_share": firm_loss_share(m),
        "firm_net_benefit": float(p.net_total[:n].sum() / months * MONTHS_PER_YEAR) if months else float("nan"),
        "firm_net_benefit_per_intern_month": (m.intern_net_reported / intern_months if intern_months else float("nan")),
        "intern_break_even_month": intern_break_even_month(m),
        "intern_payback_month": intern_payback_month(m),
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
    last = (m.t - h) // MONTHS_PER_YEAR * MONTHS_PER_YEAR  # graduations happen in September
    if last < 0:
        return float("nan")
    return retention(m, m.students.grad_month[: m.students.n] == last, h)


def labour_parts(st: "Students", rows: slice, T: int, warmup: int) -> dict[str, Part]:
    """The parts (count and total, :class:`~sim.folding.Part`) of every labour metric's mean over
    the student rows ``rows``, at horizon ``T``: the parts of disjoint rows add up to the parts of
    all of them, so students folded as they leave follow-up (sim.folding) count as if still there."""
    g = st.grad_month[rows]
    grads = g >= 0
    fh, fe = st.first_hire[rows], st.first_end[rows]
    h6 = FOLLOW_UP["early_turnover_6m"]
    early = grads & (fh >= 0) & (fh - g <= h6)

    def share(sel: np.ndarray, hit: np.ndarray) -> Part:
        return Part(int(np.count_nonzero(sel)), int(np.count_nonzero(sel & hit)))

    def total(sel: np.ndarray, values: np.ndarray) -> Part:
        return Part(int(np.count_nonzero(sel)), ExactSum.of(values[sel]))

    out: dict[str, Part] = {}
    first_partner = st.first_partner[rows]
    for suffix, sel in (("", grads), ("_partner", grads & first_partner)):
        out[f"early_turnover_6m{suffix}"] = share(sel & early & (g + h6 < T), (fe >= 0) & (fe <= g + h6))
        for h in (12, 36):  # retention: employed within six months, still with the first employer
            out[f"graduate_retention_{h}m{suffix}"] = share(sel & (g + h < T) & early, (fe < 0) | (fe > g + h))
    reported = grads & (g >= warmup)
    emp_first = reported & (fh >= 0)
    first_fit = st.first_fit[rows]
    out["skill_fit"] = total(emp_first, first_fit)
    out["skill_fit_partner"] = total(emp_first & first_partner, first_fit)
    y3 = grads & (g + FOLLOW_UP["employers_3y"] < T) & (fh >= 0)
    n_emp = st.n_employers[rows]
    out["employers_3y"] = Part(int(np.count_nonzero(y3)), int(n_emp[y3].sum(dtype=np.int64)))
    out["employers_4plus_3y"] = share(y3, n_emp >= MANY_EMPLOYERS)
    six = grads & (g + FOLLOW_UP["placement_6m"] < T)
    s6, f6 = st.status_6m[rows], st.in_field_6m[rows]
    out["placement_6m"] = share(six, np.isin(s6, (EMPLOYED, STUDY)))
    out["matched_employment"] = share(six & (f6 >= 0), f6 == 1)
    f36 = st.in_field_36m[rows]
    out["matched_employment_3y"] = share(grads & (g + FOLLOW_UP["matched_employment_3y"] < T) & (f36 >= 0), f36 == 1)
    left = grads & early & (g + h6 < T) & (fe >= 0) & (fe <= g + h6)
    out["voluntary_quit_share"] = share(left, st.first_quit[rows])
    # take-on (留用率): completed interns and apprentices, placed at a firm in the reported period,
    # whose first job is at the firm that trained them; graduates without a job count as not kept
    done, firm, start = st.intern_done[rows], st.intern_firm[rows], st.intern_start[rows]
    trained = grads & (g + FOLLOW_UP["take_on"] < T) & (done == 1) & (firm >= 0) & (start >= warmup)
    kept = st.first_employer[rows] == firm
    out["take_on"] = share(trained, kept)
    dedicated = np.isin(st.track[rows], (ORDER_CLASS, APPRENTICE))  # trained for a named firm
    out["take_on_order_apprentice"] = share(trained & dedicated, kept)
    out["internship_completion"] = share((done >= 0) & (start >= warmup), done == 1)
    out["internship_out_of_field"] = share((start >= warmup) & (firm >= 0), ~st.intern_in_field[rows])
    gs = st.grad_skills[rows][reported]
    for k, d in enumerate(DIMS):
        out[f"skill_{d}"] = Part(len(gs), ExactSum.of(gs[:, k]))
    out["skill_level"] = Part(len(gs), ExactSum.of(gs.mean(axis=1)))
    # a process count (M11): students admitted to the party per 1,000 graduates; nothing downstream reads it
    out["student_party_members"] = share(reported, st.party[rows])
    return out


def labour_metrics(m: "CooperationModel") -> dict[str, float]:
    """The labour metrics (MyCOS definitions, module docstring): the means of the parts of the
    students in the arrays and of those folded (sim.folding)."""
    st = m.students
    parts = add_parts(m.folded.labour, labour_parts(st, slice(0, st.n), m.horizon, m.warmup))
    out = {k: p.mean() for k, p in parts.items()}
    out["student_party_members"] = PER_THOUSAND * out["student_party_members"]
    # why early leavers quit (M16): shares of the first-job quits within six months of graduation
    # in the reported period, by the reason the accepted offer gained most on (MyCOS's main reason)
    reason = shares(m.quit_reasons)
    out["quit_reason_prospects_share"] = float(reason[PROSPECTS])
    out["quit_reason_pay_share"] = float(reason[PAY])
    out["quit_reason_fit_share"] = float(reason[FIT_FIELD])
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
    w = np.array(
        [b.school_strength_weight_teachers, b.school_strength_weight_alignment, b.school_strength_weight_training]
    )
    return float((w @ school_strength_parts(m)).mean() / w.sum())


def reputation(m: "CooperationModel") -> float:
    return float(m.school_reputation.mean())


def firm_reputation(m: "CooperationModel") -> float:
    """Mean reputation of every firm that was ever a partner."""
    return float(m.firm_reputation[m.firm_ever_partner].mean())


@dataclass(frozen=True)
class SchoolAccounts:
    """What a school's net benefit is a difference of, at the start of month ``t``: each school's
    resources received and staff costs so far (reported period) and its reputation now."""

    t: int
    resources: np.ndarray
    costs: np.ndarray
    reputation: np.ndarray


def school_accounts(m: "CooperationModel") -> SchoolAccounts:
    """The accounts now (at the start of month ``m.t``)."""
    return SchoolAccounts(m.t, m.resources_received.copy(), m.school_costs.copy(), m.school_reputation.copy())


def reported_start(m: "CooperationModel") -> SchoolAccounts:
    """The accounts at the start of the reported period (month ``warmup``: nothing received or spent yet)."""
    zero = np.zeros(m.n_schools)
    return SchoolAccounts(m.warmup, zero, zero, m.reputation_at_warmup.copy())


def partner_placements(m: "CooperationModel", since: int, until: int) -> np.ndarray:
    """Per school, its graduates hired by a partner firm (M13: at graduation, their first job) in
    months ``since`` to ``until - 1``."""
    st = m.students
    n = st.n
    hired = st.first_partner[:n] & (st.first_hire[:n] >= since) & (st.first_hire[:n] < until)
    return np.bincount(st.school[:n][hired], minlength=m.n_schools) + m.folded.partner_placements(
        since, until, m.n_schools
    )


def school_net_benefit(m: "CooperationModel", before: SchoolAccounts, now: SchoolAccounts) -> np.ndarray:
    """Per school, thousand yuan between two moments (docs/odd.md §7.6): graduates placed with partner
    firms × ``behaviour.placement_price`` + firms' resources received (valued at what they cost the
    firms, M8) + reputation gained × ``behaviour.reputation_price``, minus the staff time spent on the
    cooperation.  The summary's ``school_net_benefit`` is it over the reported period per school-year;
    the workshop shows it for each school and year."""
    b = m.params.behaviour
    return (
        b.placement_price * partner_placements(m, before.t, now.t)
        + (now.resources - before.resources)
        + b.reputation_price * (now.reputation - before.reputation)
        - (now.costs - before.costs)
    )


def school_metrics(m: "CooperationModel") -> dict[str, float]:
    """The school's side of 互利 (``school_net_benefit`` per school-year over the reported period), the
    strengths and the reputations."""
    school_years = m.n_schools * (m.horizon - m.warmup) / MONTHS_PER_YEAR
    net = school_net_benefit(m, reported_start(m), school_accounts(m))
    return {
        "school_net_benefit": float(net.sum() / school_years) if school_years else float("nan"),
        "firm_strength": firm_strength(m),
        "school_strength": school_strength(m),
        "reputation": reputation(m),
        "firm_reputation": firm_reputation(m),
    }


# --- the metric registry -------------------------------------------------------------------------
# Every fact about a metric in one place (docs/odd.md §7.6): the summary (``compute``), the monthly
# series (``SERIES``), the reports (``analysis.labels`` reads these), the dashboard and the workshop.
@dataclass(frozen=True)
class Kind:
    """How a kind of metric is shown: the unit of a difference, of a level, and the factor from the
    metric's own value to both (shares and skills in points, × 100)."""

    difference_en: str
    difference_zh: str
    level_en: str | None = None  # None: a level is shown in the metric's own unit
    level_zh: str | None = None
    scale: float = 1.0


KINDS: dict[str, Kind] = {
    "share": Kind("points", "个百分点", "%", "%", 100.0),
    "skill": Kind("points", "分（百分制）", "score 0–100", "分（0–100）", 100.0),
    "money": Kind("thousand yuan per partnership-year", "千元/合作·年"),
    "money_school": Kind("thousand yuan per school-year", "千元/校·年"),
    "money_intern": Kind("thousand yuan per intern-month", "千元/实习生·月"),
    "count": Kind("", ""),
    "months": Kind("months", "个月"),
    "per1000": Kind("per 1,000 graduates", "人/千名毕业生"),
}

Formula = Callable[["CooperationModel"], dict[str, float]]
Series = Callable[["CooperationModel"], float]


@dataclass(frozen=True)
class Metric:
    name: str
    label_en: str
    label_zh: str
    unit_en: str  # the unit of the metric's own value (docs/odd.md §7.6)
    unit_zh: str
    kind: str  # a key of KINDS: how a difference is read
    higher_is_better: bool
    formula: Formula | None  # the summary's formula (a family's function); None: series only
    series: Series | None = None  # the monthly series' value (the same formula at the month)
    partner: str | None = None  # the partner-hires variant's name
    follow_up: int | None = None  # months of follow-up after a graduation it needs
    at_graduation: bool = False  # measured on graduates of the reported cohorts

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def unit(self, lang: str) -> str:
        return self.unit_zh if lang == "zh" else self.unit_en


SHARE, INDEX, COSINE = ("share 0-1", "比例 0-1"), ("index 0-1", "指数 0-1"), ("cosine 0-1", "余弦 0-1")
PER_PARTNERSHIP_YEAR = ("thousand yuan per partnership-year", "千元/合作·年")


def mean_skill(m: "CooperationModel") -> float:
    """The mean skill of the latest graduating cohort (the series' ``skill_mean``)."""
    return float(np.mean(m.latest_grad_skills))


def _skill_series(k: int) -> Series:
    return lambda m: float(m.latest_grad_skills[k])


def _metric(
    name: str,
    en: str,
    zh: str,
    unit: tuple[str, str],
    kind: str,
    better: bool,
    formula: Formula | None,
    *,
    series: Series | None = None,
    partner: str | None = None,
    follow_up: int | None = None,
    at_graduation: bool = False,
) -> Metric:
    return Metric(name, en, zh, unit[0], unit[1], kind, better, formula, series, partner, follow_up, at_graduation)


P, L, S = partnership_metrics, labour_metrics, school_metrics
_SKILLS = {
    "theory": ("theory skill", "理论知识"),
    "technical": ("technical skill", "实践技能"),
    "innovation": ("innovation", "创新思维"),
    "craft": ("craftsmanship", "工匠精神"),
    "civic": ("civic literacy", "思想政治素养"),
}
REGISTRY: dict[str, Metric] = {
    m.name: m
    for m in (
        _metric(
            "firm_retention", "firm retention", "企业合作留存率", SHARE, "share", True, P, series=latest_firm_retention
        ),
        _metric(
            "partnership_survival_36m",
            "partnership survival at 36 months",
            "合作关系36个月存续率",
            SHARE,
            "share",
            True,
            P,
        ),
        _metric(
            "partnerships_over_3y",
            "partnerships older than 3 years",
            "合作超过3年的比例",
            SHARE,
            "share",
            True,
            P,
            series=current_partnerships_over_3y,
        ),
        _metric(
            "firm_willingness", "firm willingness", "企业合作意愿", INDEX, "share", True, P, series=current_willingness
        ),
        _metric("firm_loss_share", "firms losing money on internships", "实习亏损企业比例", SHARE, "share", False, P),
        _metric(
            "early_turnover_6m",
            "early turnover (6 months)",
            "半年内离职率",
            SHARE,
            "share",
            False,
            L,
            partner="early_turnover_6m_partner",
            follow_up=6,
        ),
        _metric(
            "graduate_retention_12m",
            "graduate retention (12 months)",
            "毕业生12个月留任率",
            SHARE,
            "share",
            True,
            L,
            series=latest_graduate_retention_12m,
            partner="graduate_retention_12m_partner",
            follow_up=12,
        ),
        _metric(
            "graduate_retention_36m",
            "graduate retention (36 months)",
            "毕业生36个月留任率",
            SHARE,
            "share",
            True,
            L,
            partner="graduate_retention_36m_partner",
            follow_up=36,
        ),
        _metric(
            "employers_3y",
            "employers in 3 years",
            "三年内雇主数",
            ("employers per graduate", "个雇主/毕业生"),
            "count",
            False,
            L,
            follow_up=36,
        ),
        _metric(
            "employers_4plus_3y",
            "four or more employers in 3 years",
            "三年内换过四家及以上雇主的比例",
            SHARE,
            "share",
            False,
            L,
            follow_up=36,
        ),
        _metric("placement_6m", "placement at 6 months", "半年后就业或升学率", SHARE, "share", True, L, follow_up=6),
        _metric("matched_employment", "matched employment", "专业对口就业率", SHARE, "share", True, L, follow_up=6),
        _metric(
            "matched_employment_3y",
            "matched employment at 3 years",
            "三年后专业对口就业率",
            SHARE,
            "share",
            True,
            L,
            follow_up=36,
        ),
        _metric(
            "voluntary_quit_share",
            "voluntary share of early leavers",
            "早期离职中主动离职比例",
            SHARE,
            "share",
            True,
            L,
            follow_up=6,
        ),
        _metric(
            "quit_reason_prospects_share",
            "early quits for room to develop",
            "因发展空间不够离职的比例",
            SHARE,
            "share",
            False,
            L,
        ),
        _metric("quit_reason_pay_share", "early quits for pay", "因薪资福利偏低离职的比例", SHARE, "share", False, L),
        _metric(
            "quit_reason_fit_share",
            "early quits to change occupation",
            "因想改变职业或行业离职的比例",
            SHARE,
            "share",
            False,
            L,
        ),
        _metric("internship_completion", "internship completion", "实习完成率", SHARE, "share", True, L),
        _metric("internship_out_of_field", "internships outside the major", "专业外实习比例", SHARE, "share", False, L),
        _metric(
            "take_on", "trainees kept by their host (take-on)", "实习生留用率", SHARE, "share", True, L, follow_up=6
        ),
        _metric(
            "take_on_order_apprentice",
            "take-on, order classes and apprentices",
            "订单班与学徒留用率",
            SHARE,
            "share",
            True,
            L,
            follow_up=6,
        ),
        _metric(
            "trust_duration_correlation",
            "correlation of trust with partnership age",
            "信任与合作年限的相关系数",
            ("correlation -1 to 1", "相关系数 -1 至 1"),
            "count",
            True,
            P,
        ),
        *(
            _metric(f"skill_{d}", en, zh, INDEX, "skill", True, L, series=_skill_series(k), at_graduation=True)
            for k, (d, (en, zh)) in enumerate((d, _SKILLS[d]) for d in DIMS)
        ),
        _metric(
            "skill_fit",
            "skill fit to first employer",
            "技能与岗位匹配度",
            COSINE,
            "skill",
            True,
            L,
            partner="skill_fit_partner",
            at_graduation=True,
        ),
        _metric(
            "skill_level", "mean skill at graduation", "毕业时平均技能水平", INDEX, "skill", True, L, at_graduation=True
        ),
        _metric(
            "student_party_members",
            "students joining the party",
            "学生入党人数",
            ("per 1,000 graduates", "人/千名毕业生"),
            "per1000",
            True,
            L,
            at_graduation=True,
        ),
        _metric("firm_strength", "firm strength", "企业实力", INDEX, "skill", True, S, series=firm_strength),
        _metric("school_strength", "school strength", "学校实力", INDEX, "skill", True, S, series=school_strength),
        _metric("reputation", "school reputation", "学校声誉", INDEX, "skill", True, S, series=reputation),
        _metric("firm_reputation", "firm reputation", "企业声誉", INDEX, "skill", True, S),
        _metric("firm_net_benefit", "firm net benefit", "企业净收益", PER_PARTNERSHIP_YEAR, "money", True, P),
        _metric(
            "firm_net_benefit_per_intern_month",
            "firm net benefit per intern-month",
            "企业每实习生月净收益",
            ("thousand yuan per intern-month", "千元/实习生·月"),
            "money_intern",
            True,
            P,
        ),
        _metric(
            "intern_break_even_month",
            "intern break-even month",
            "实习生盈亏平衡月",
            ("month of the placement", "实习第几个月"),
            "months",
            False,
            P,
        ),
        _metric(
            "intern_payback_month",
            "intern pay-back month",
            "实习投资回收月",
            ("month of the placement", "实习第几个月"),
            "months",
            False,
            P,
        ),
        _metric(
            "school_net_benefit",
            "school net benefit",
            "学校净收益",
            ("thousand yuan per school-year", "千元/校·年"),
            "money_school",
            True,
            S,
        ),
        # partner-hires variants: graduates whose first job was with a partner
        _metric(
            "early_turnover_6m_partner",
            "early turnover, partner hires",
            "合作企业招聘者半年离职率",
            SHARE,
            "share",
            False,
            L,
            follow_up=6,
        ),
        _metric(
            "graduate_retention_12m_partner",
            "12-month retention, partner hires",
            "合作企业招聘者12个月留任率",
            SHARE,
            "share",
            True,
            L,
            follow_up=12,
        ),
        _metric(
            "graduate_retention_36m_partner",
            "36-month retention, partner hires",
            "合作企业招聘者36个月留任率",
            SHARE,
            "share",
            True,
            L,
            follow_up=36,
        ),
        _metric(
            "skill_fit_partner",
            "skill fit, partner hires",
            "合作企业招聘者技能匹配度",
            COSINE,
            "skill",
            True,
            L,
            at_graduation=True,
        ),
        # the workshop's partnerships as its pages count them (workshop_partnerships): no summary column
        _metric("kept_all_year", "partnerships kept all year", "全年未中断的合作", SHARE, "share", True, None),
        _metric("partner_months_kept", "partner-months kept", "合作月数保持率", SHARE, "share", True, None),
        # the monthly series only: the mean skill of the latest graduating cohort
        _metric(
            "skill_mean", "mean skill at graduation", "毕业时平均技能", INDEX, "skill", True, None, series=mean_skill
        ),
    )
}

PARTNER_METRICS = tuple(m.partner for m in REGISTRY.values() if m.partner)
ALL_METRICS = tuple(n for n, m in REGISTRY.items() if m.formula is not None)  # the summary's columns, in order
METRICS = tuple(n for n in ALL_METRICS if n not in PARTNER_METRICS)
UNITS = {n: REGISTRY[n].unit_en for n in ALL_METRICS}
SERIES: dict[str, Series] = {n: m.series for n, m in REGISTRY.items() if m.series is not None}
FOLLOW_UP = {n: m.follow_up for n, m in REGISTRY.items() if m.follow_up is not None}
AT_GRADUATION = tuple(n for n, m in REGISTRY.items() if m.at_graduation and m.formula is not None)


def compute(m: "CooperationModel") -> dict[str, float]:
    """Every summary metric: each family's formula once, in the registry's order."""
    out: dict[str, float] = {}
    for formula in dict.fromkeys(REGISTRY[n].formula for n in ALL_METRICS):
        out.update(formula(m))  # type: ignore[misc]
    return {k: out[k] for k in ALL_METRICS}


# --- lookups (reports, dashboard, workshop, command line) ----------------------------------------
def metric_label(metric: str, lang: str) -> str:
    """The metric's name in ``lang`` (en or zh); an unknown name as it is."""
    info = REGISTRY.get(metric)
    return info.label(lang) if info is not None else metric


def metric_kind(metric: str) -> str:
    info = REGISTRY.get(metric)
    return info.kind if info is not None else "count"


def higher_is_better(metric: str) -> bool:
    info = REGISTRY.get(metric)
    return info.higher_is_better if info is not None else True


def display_scale(metric: str) -> float:
    """Factor from the metric's own unit to the unit differences are shown in (points for 0..1)."""
    return KINDS[metric_kind(metric)].scale


def own_unit(metric: str, lang: str = "en") -> str:
    """The unit of the metric's own value (not of a difference)."""
    info = REGISTRY.get(metric)
    return info.unit(lang) if info is not None else ""


def unit_label(metric: str, lang: str) -> str:
    """The unit a difference of the metric is shown in."""
    k = KINDS[metric_kind(metric)]
    return k.difference_zh if lang == "zh" else k.difference_en


def level_unit(metric: str, lang: str) -> str:
    """The unit a level (not a difference) is shown in: shares in %, skills as scores 0–100 (the
    metric's value × ``display_scale``), the rest in their own unit."""
    k = KINDS[metric_kind(metric)]
    level = k.level_zh if lang == "zh" else k.level_en
    return level if level is not None else own_unit(metric, lang)


# --- the smallest difference that matters (docs/odd.md §7.7) -------------------------------------
@dataclass(frozen=True)
class Margin:
    """The smallest difference against the baseline that matters for a metric, in the metric's own
    unit: ``sesim compare`` calls a difference whose interval lies wholly inside ±value "negligible".
    ``kind`` and ``source`` as for the schema's fields (sim/params.py)."""

    value: float
    unit: str
    kind: str = "assumption"
    source: str = ""


POINT = Margin(
    0.01,
    "share or index 0-1",
    source="one percentage point (one point of a 0-100 score): less than a workshop would act on",
)
MARGINS: dict[str, Margin] = {
    **{m: POINT for m in ALL_METRICS},
    "employers_3y": Margin(0.05, "employers per graduate", source="one graduate in twenty changing employer once more"),
    "trust_duration_correlation": Margin(
        0.05, "correlation -1 to 1", source="below what a survey of partnerships resolves"
    ),
    "student_party_members": Margin(1.0, "per 1,000 graduates", source="one graduate in a thousand"),
    "firm_net_benefit": Margin(
        1.0, "thousand yuan per partnership-year", source="1,000 yuan a partnership-year, below an intern's monthly pay"
    ),
    "school_net_benefit": Margin(1.0, "thousand yuan per school-year", source="1,000 yuan a school-year"),
    "firm_net_benefit_per_intern_month": Margin(
        0.1, "thousand yuan per intern-month", source="100 yuan an intern-month"
    ),
    "intern_break_even_month": Margin(0.25, "months", source="a week of an intern's placement"),
    "intern_payback_month": Margin(0.25, "months", source="a week of an intern's placement"),
}


def margin(metric: str) -> float:
    """The default smallest difference that matters for ``metric`` (own unit; 1 point for unknown names)."""
    return MARGINS.get(metric, POINT).value
