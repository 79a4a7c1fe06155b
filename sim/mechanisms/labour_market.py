"""M16 the outside labour market (an assumption of this model, needed for realism).

Source of magnitudes: MyCOS Chinese College Graduates' Employment Annual Reports (就业蓝皮书):
early turnover, employers in three years, matched employment, placement, starting pay and the
reasons graduates give for leaving (see ``scenarios/targets/china_gaozhi.toml`` and the schema).
The papers say nothing about it; the model adds it (docs/odd.md M16, §7.5).

- Graduates not hired by partners search with a monthly job-finding rate and land an
  in-field or out-of-field post; a share continues study (专升本).
- Employed graduates receive outside offers at a rate scaled by their mobility.  An offer and
  the current job differ in the terms of MyCOS's reasons for leaving: **pay** (a wage rising with
  the worker's productivity in the post and with tenure), **prospects** (room to develop) and
  **fit** (alignment of skills and field, and the graduate's taste for the occupation), plus
  other amenities.  The graduate quits when the offer's advantage beats what holds them —
  familiarity, commitment (craft, an assumption), tenure and a switching cost.  Why they quit is
  the component of the advantage that is largest.
- Asymmetric employer learning (Greenwald 1986; Gibbons & Katz 1991; Schönberg 2007): the
  current employer knows the worker's craft and pays on it; outside employers see only part of
  it and impute the rest at the market's belief, so graduates with more craft than credentials
  show get relatively worse outside offers and quit less.
- Job shopping: the share ``offer_match_known`` of an accepted offer's non-pay draws proves real
  and stays with the new job (pay is contractual and known).
- Firms dismiss low-productivity hires once it shows (months 1–``dismissal_window`` of tenure).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..params import Behaviour
from ..state import (
    CRAFT,
    EMPLOYED,
    EMPLOYERS_WINDOW_MONTHS,
    FOLLOW_UP_MONTHS,
    INNOVATION,
    MONTHS_PER_YEAR,
    NORM_FLOOR,
    PROGRAMME_MONTHS,
    QUIT_REASONS,
    STATUS_MONTHS,
    STUDY,
    UNEMPLOYED,
    month_position,
)
from .context import MonthContext

if TYPE_CHECKING:
    from ..model import CooperationModel


# --- the terms of a job: pay, fit ---------------------------------------------------------------
def skill_level(b: Behaviour, skills: np.ndarray, needs: np.ndarray) -> np.ndarray:
    """Needs-weighted skill relative to a fully productive worker (``productive_ability``), unclipped."""
    return np.einsum("ij,ij->i", skills, needs) / b.productive_ability


def cosine(skills: np.ndarray, needs: np.ndarray) -> np.ndarray:
    """Cosine of skill profile and needs: how well the profile matches, whatever its level."""
    norm = np.sqrt(np.einsum("ij,ij->i", skills, skills) * np.einsum("ij,ij->i", needs, needs))
    return np.einsum("ij,ij->i", skills, needs) / np.maximum(norm, NORM_FLOOR)


def field_factor(b: Behaviour, in_field: np.ndarray) -> np.ndarray:
    """1 in the graduate's own field, ``out_of_field_fit`` outside it."""
    return np.where(in_field, 1.0, b.out_of_field_fit)


def log_pay(b: Behaviour, level: np.ndarray, in_field: np.ndarray) -> np.ndarray:
    """Log starting pay (thousand yuan a month) of a worker of this skill level, as its employer
    believes it to be: ``graduate_start_wage`` at ``pay_reference_level`` in field, rising with the
    level at ``pay_elasticity``, less ``out_of_field_pay`` outside the field."""
    with np.errstate(divide="ignore"):
        return (
            np.log(b.graduate_start_wage)
            + b.pay_elasticity * np.log(level / b.pay_reference_level)
            - b.out_of_field_pay * ~np.asarray(in_field, bool)
        )


def offer_spreads(b: Behaviour) -> tuple[float, float, float, float]:
    """Spreads (job-value units) of the offers' pay, prospects, fit-taste and other components: the
    shares of ``offer_sd`` squared set by MyCOS's reasons for leaving (other takes the rest)."""
    other = max(1.0 - b.offer_pay_share - b.offer_prospects_share - b.offer_fit_share, 0.0)
    return tuple(
        b.offer_sd * np.sqrt(x) for x in (b.offer_pay_share, b.offer_prospects_share, b.offer_fit_share, other)
    )


def pay_value(b: Behaviour) -> float:
    """Job-value units per log point of pay: the pay spread of offers in job-value units over
    the same spread in log points (``offer_pay_sd``)."""
    return offer_spreads(b)[0] / b.offer_pay_sd


def tenure_pay(b: Behaviour, tenure: np.ndarray) -> np.ndarray:
    """Log-point pay growth with tenure at the current employer."""
    return b.tenure_pay_growth * np.minimum(tenure, b.tenure_value_cap) / MONTHS_PER_YEAR


def pick_firms(firm_field: np.ndarray, programmes: int, field: np.ndarray, u: np.ndarray) -> np.ndarray:
    """A firm of each ``field``, uniformly by ``u`` (firms in index order); any firm if the field has none."""
    F = len(firm_field)
    order = np.argsort(firm_field, kind="stable")
    count = np.bincount(firm_field, minlength=programmes)
    start = np.cumsum(count) - count
    c = count[field]
    k = np.minimum((u * c).astype(np.int64), np.maximum(c - 1, 0))
    anyone = np.minimum((u * F).astype(np.int64), F - 1)
    return np.where(c > 0, order[np.minimum(start[field] + k, F - 1)], anyone)


def offer_posts(ctx: MonthContext, programme: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The employer of each outside offer and whether it is in the graduate's field: in field if
    ``u < offer_in_field_share``, else one of the other fields uniformly; then a firm of that
    field uniformly.  One uniform serves all three choices: what is left of it after each choice
    is again uniform."""
    P, q = ctx.programmes, ctx.behaviour.offer_in_field_share
    inside = u < q
    in_field = inside | (P <= 1)
    v = np.where(inside, u * (1.0 / q if q > 0 else 0.0), (u - q) * (1.0 / (1.0 - q) if q < 1 else 0.0))
    j = np.minimum((v * (P - 1)).astype(np.int64), max(P - 1, 1) - 1)  # index among the other fields
    field = np.where(in_field, programme, (programme + 1 + j) % P)
    pick = np.where(in_field, v, v * (P - 1) - j)
    return pick_firms(ctx.firm_field, P, field, pick), in_field


@dataclass
class Separations:
    """Who quits (for an outside offer, and why) and who is dismissed; the accepted offers."""

    quit: np.ndarray
    dismissed: np.ndarray
    reason: np.ndarray  # index into QUIT_REASONS for quits, -1 otherwise
    offer_firm: np.ndarray  # employer of the accepted offer (-1 otherwise)
    offer_premium: np.ndarray  # its pay premium, log points (real: pay is contractual)
    offer_prospects: np.ndarray  # its prospects draw that proves real (offer_match_known share)
    offer_quality: np.ndarray  # its fit-taste and amenity draws that prove real

    @classmethod
    def none(cls, n: int) -> "Separations":
        """No one of ``n`` rows quits or is dismissed."""
        return cls(
            np.zeros(n, bool),
            np.zeros(n, bool),
            np.full(n, -1, np.int8),
            np.full(n, -1, np.int64),
            np.zeros(n),
            np.zeros(n),
            np.zeros(n),
        )


def separations(
    ctx: MonthContext,
    status: np.ndarray,
    hire_month: np.ndarray,
    employer: np.ndarray,
    programme: np.ndarray,
    wage: np.ndarray,
    align: np.ndarray,
    prospects: np.ndarray,
    familiar: np.ndarray,
    quality: np.ndarray,
    skills: np.ndarray,
    mobility: np.ndarray,
    draws,
) -> Separations:
    """Quits for outside offers and dismissals of employed graduates (vectorised over the employed).

    ``draws`` is the month's :class:`~sim.mechanisms.context.StudentDraws`; employed rows come
    first (graduates), inside its ``n_offers``."""
    b = ctx.behaviour
    n = len(status)
    out = Separations.none(n)
    if "M16" in ctx.off:  # no outside offers, no dismissals: graduates keep their jobs (draws made all the same)
        return out
    k = len(draws.offer_post)  # graduates come first (StudentDraws)
    employed = status[:k] == EMPLOYED
    # employed graduates with an outside offer (masks over the graduates' rows, no gathered copies)
    o = np.flatnonzero(employed & (draws.offer < np.minimum(b.offer_rate * mobility[:k], 1.0)))
    x, f, prog = np.take(skills, o, axis=0), employer[o], programme[o]  # np.take: rows gathered fast
    tenure = ctx.month - hire_month[o]
    sd_pay, sd_pros, sd_fit, sd_other = offer_spreads(b)
    needs_norm = np.sqrt(np.einsum("ij,ij->i", ctx.firm_needs, ctx.firm_needs))
    # the offer: a post at a firm of the graduate's field or another
    of, o_in = offer_posts(ctx, prog, draws.offer_post[o])
    needs_o = np.take(ctx.firm_needs, of, axis=0)
    dot_o = np.einsum("ij,ij->i", x, needs_o)
    # pay: outsiders pay on the skills they see (the share craft_visibility of craft, the rest imputed
    # at the market's belief, ctx.market_craft_belief); the employer pays on the true ones (the wage at hire), rising with tenure
    unseen = (1.0 - b.craft_visibility) * (ctx.market_craft_belief - x[:, CRAFT])
    seen_level = (dot_o + unseen * needs_o[:, CRAFT]) / b.productive_ability
    premium = b.offer_pay_sd * draws.offer_pay[o]
    d_pay = pay_value(b) * (log_pay(b, seen_level, o_in) + premium - np.log(wage[o]) - tenure_pay(b, tenure))
    # prospects (room to develop): the post and the employer's strength, and the offer's own draw
    pros_draw = sd_pros * draws.offer_prospects[o]
    d_pros = (
        b.prospects_value * (b.outside_prospects + b.strength_prospects * ctx.firm_strength[of])
        + pros_draw
        - prospects[o]
    )
    # fit: alignment of the skill profile with the post's needs (cosine), times the field match, against
    # the current job's (at hire); and, for an offer in another field than the current job's, the
    # graduate's taste for changing occupation
    fit_draw = sd_fit * draws.offer_fit[o] * (ctx.firm_field[of] != ctx.firm_field[f])
    x_norm = np.sqrt(np.einsum("ij,ij->i", x, x))
    cos_o = dot_o / np.maximum(x_norm * needs_norm[of], NORM_FLOOR)
    d_fit = b.fit_value * (cos_o * field_factor(b, o_in) - align[o]) + fit_draw
    # other amenities: the offer's draw against the current job's match value
    other_draw = sd_other * draws.offer_value[o]
    d_other = other_draw - quality[o]
    hold = (
        b.familiarity_value * familiar[o]
        + b.craft_value * x[:, CRAFT]
        + b.tenure_value * np.minimum(tenure, b.tenure_value_cap)
        + b.switching_cost
    )
    quit = d_pay + d_pros + d_fit + d_other > hold
    q = o[quit]
    out.quit[q] = True
    out.reason[q] = np.argmax(np.stack([d_pay[quit], d_pros[quit], d_fit[quit], d_other[quit]]), axis=0)
    out.offer_firm[q] = of[quit]
    out.offer_premium[q] = premium[quit]
    out.offer_prospects[q] = b.offer_match_known * pros_draw[quit]
    out.offer_quality[q] = b.offer_match_known * (fit_draw[quit] + other_draw[quit])
    # dismissals of those who stay: the employer learns the worker's productivity, and a shortfall
    # below a fully productive worker (needs-weighted skill below the market's bar,
    # ctx.dismissal_ability: productive_ability moved by the region's graduates) shows in the first
    # months of tenure
    # (the hazard is at most dismissal_rate, so only draws below it need the shortfall)
    w = np.flatnonzero(employed & (draws.dismissal < b.dismissal_rate))  # the few draws that can dismiss
    tenure_w = ctx.month - hire_month[w]
    w = w[~out.quit[w] & (tenure_w >= 1) & (tenure_w <= b.dismissal_window)]
    shortfall = np.maximum(
        1.0
        - np.einsum("ij,ij->i", np.take(skills, w, axis=0), np.take(ctx.firm_needs, employer[w], axis=0))
        / ctx.dismissal_ability,
        0.0,
    )
    out.dismissed[w[draws.dismissal[w] < b.dismissal_rate * shortfall]] = True
    return out


# --- the market notices the region ---------------------------------------------------------------
def notice_graduates(model: "CooperationModel", grads: np.ndarray) -> None:
    """The outside market's benchmarks move toward the region's graduating cohort ``grads`` by the
    region's share of the market (``population.region_market_share``, m): its belief about a
    graduate's craft, the field met in skill competitions (M12, read by M15) and the skill at
    which a hire falls short (dismissal).  Each is (1 − m) × the rest of the market's value (the
    behaviour's) + m × the region's: a region-wide strategy that lifts every graduate also lifts the
    bar it is judged against, by the share of the market it supplies."""
    b, m = model.params.behaviour, model.params.population.region_market_share
    if len(grads) == 0:
        return
    x = model.students.skills[grads]
    level = float(np.mean(x @ model.firm_needs.mean(axis=0)))  # against the region's mean needs
    model.market_craft_belief = (1.0 - m) * b.market_craft_belief + m * float(np.mean(x[:, CRAFT]))
    model.competition_field = (1.0 - m) * b.competition_field + m * float(np.mean(x[:, [INNOVATION, CRAFT]]))
    model.dismissal_ability = b.productive_ability * ((1.0 - m) + m * level / b.market_skill_level)


# --- jobs: starting, ending, searching -------------------------------------------------------------
def start_jobs(model: "CooperationModel", rows: np.ndarray, firms: np.ndarray, partner: bool) -> None:
    """Graduates ``rows`` start at ``firms``: productivity, pay, prospects, first-job records.

    The employer pays on the worker's true skills (it learns them in the probation period,
    试用期, before most quits): outside employers' view matters only for offers."""
    st, b = model.students, model.params.behaviour
    if len(rows) == 0:
        return
    st.status[rows] = EMPLOYED
    st.employer[rows] = firms
    st.hire_month[rows] = model.t
    # productivity (hiring.productivity), alignment (hiring.alignment) and pay from one dot product
    x, needs = np.take(st.skills, rows, axis=0), np.take(model.firm_needs, firms, axis=0)  # rows gathered fast
    dot = np.einsum("ij,ij->i", x, needs)
    in_field = st.programme[rows] == model.firm_field[firms]
    phi = field_factor(b, in_field)
    level = dot / b.productive_ability
    st.in_field[rows] = in_field
    st.job_fit[rows] = np.clip(level * phi, 0.0, 1.0)
    norm = np.sqrt(np.einsum("ij,ij->i", x, x) * np.einsum("ij,ij->i", needs, needs))
    st.job_align[rows] = dot / np.maximum(norm, NORM_FLOOR) * phi
    st.wage[rows] = np.exp(log_pay(b, level, in_field))
    familiar = st.intern_firm[rows] == firms
    st.job_familiar[rows] = familiar
    frontline = familiar & st.frontline[rows]
    st.job_prospects[rows] = b.prospects_value * (
        np.where(partner, b.partner_prospects, b.outside_prospects)
        + b.frontline_prospects * frontline
        + b.strength_prospects * model.firm_strength[firms]
    )
    st.job_partner[rows] = partner
    st.job_quality[rows] = 0.0
    st.n_employers[rows] += (st.grad_month[rows] >= 0) & (model.t - st.grad_month[rows] <= EMPLOYERS_WINDOW_MONTHS)
    first = st.first_hire[rows] < 0
    fr = rows[first]
    st.first_employer[fr] = firms[first]
    st.first_hire[fr] = model.t
    st.first_fit[fr] = st.job_align[fr]
    st.first_partner[fr] = partner


def end_jobs(model: "CooperationModel", rows: np.ndarray, reason: str, why: np.ndarray | None = None) -> None:
    """Jobs end (``reason`` "quit" for an outside offer, or "dismissed"): the spell is recorded, with
    ``why`` a quit happened (index into QUIT_REASONS; -1 for none)."""
    st = model.students
    if len(rows) == 0:
        return
    why = np.full(len(rows), -1) if why is None else why
    model.job_spells.append(
        (
            rows.copy(),
            st.employer[rows].copy(),
            st.job_partner[rows].copy(),
            st.hire_month[rows].copy(),
            np.full(len(rows), model.t),
            np.full(len(rows), reason),
            why.copy(),
        )
    )
    first = (st.first_end[rows] < 0) & (st.first_hire[rows] == st.hire_month[rows])
    st.first_end[rows[first]] = model.t
    st.first_quit[rows[first]] = reason == "quit"
    st.employer[rows] = -1
    st.status[rows] = UNEMPLOYED


def separate(model: "CooperationModel", parts: "list[tuple[int, Separations]]") -> None:
    """Apply the month's separations, given by blocks of rows in row order (each block's first row
    and its :class:`Separations`): quitters move straight to the offer they accepted, keeping its
    pay premium and the real share of its other draws; the dismissed become unemployed and search.
    Early quits of first jobs are counted by reason."""
    st = model.students
    parts = parts or [(0, Separations.none(0))]
    quits = [(first, np.flatnonzero(sep.quit), sep) for first, sep in parts]
    q_rows = np.concatenate([first + q for first, q, _ in quits])
    if len(q_rows):
        reason = np.concatenate([sep.reason[q] for _, q, sep in quits])
        early = (st.first_hire[q_rows] == st.hire_month[q_rows]) & (model.t - st.grad_month[q_rows] <= STATUS_MONTHS[0])
        if model.reporting:
            model.quit_reasons += np.bincount(reason[early], minlength=len(QUIT_REASONS))
        end_jobs(model, q_rows, "quit", reason)
        start_jobs(model, q_rows, np.concatenate([sep.offer_firm[q] for _, q, sep in quits]), partner=False)
        st.wage[q_rows] *= np.exp(np.concatenate([sep.offer_premium[q] for _, q, sep in quits]))
        st.job_prospects[q_rows] += np.concatenate([sep.offer_prospects[q] for _, q, sep in quits])
        st.job_quality[q_rows] = np.concatenate([sep.offer_quality[q] for _, q, sep in quits])
    end_jobs(model, np.concatenate([first + np.flatnonzero(sep.dismissed) for first, sep in parts]), "dismissed")


def outside_posts(model: "CooperationModel", rows: np.ndarray, u: np.ndarray, pick: np.ndarray) -> np.ndarray:
    """Employers of outside posts found by search: in the graduate's field with probability
    ``in_field_share`` for a first job (the school's placement service points graduates to posts
    of their field), ``offer_in_field_share`` after one (the open market, as for offers); ``u`` and
    ``pick`` are the graduates' own uniforms."""
    b = model.params.behaviour
    k = len(rows)
    progs = model.params.population.programmes
    prog = model.students.programme[rows]
    share = np.where(model.students.first_hire[rows] < 0, b.in_field_share, b.offer_in_field_share)
    field = np.where(u < share, prog, (prog + 1 + (pick * max(progs - 1, 1)).astype(int)) % progs)
    out = np.empty(k, dtype=np.int64)
    for fld in np.unique(field):
        pool = np.flatnonzero(model.firm_field == fld)
        if len(pool) == 0:
            pool = np.arange(model.n_firms)
        sel = field == fld
        out[sel] = pool[(pick[sel] * len(pool)).astype(int) % len(pool)]
    return out


def search_jobs(model: "CooperationModel") -> None:
    """Unemployed graduates in follow-up find outside posts; the six-month status is recorded."""
    st, b = model.students, model.params.behaviour
    w = model.tracked_window()  # every graduate in follow-up is inside it
    # three uniforms per graduate row in follow-up (the first rows of the window, enrolled at least
    # a programme ago: a block set by the calendar), whoever is searching: a lever that changes who
    # is unemployed leaves everyone else's draws alone (common random numbers)
    k = month_position(st.enrol_month[w], model.t - PROGRAMME_MONTHS, "right")
    u = model.streams["labour"].random(out=model.draw_buffers.get("labour", (3, k)))
    g = slice(w.start, w.start + k)  # those rows: every graduate is among them
    since = model.t - st.grad_month[g]
    graduated = st.grad_month[g] >= 0
    idle = np.flatnonzero((st.status[g] == UNEMPLOYED) & (since <= FOLLOW_UP_MONTHS))
    rows = w.start + idle
    rate = b.job_finding_rate * (
        1.0 + b.job_finding_skill_gain * (np.take(st.skills, rows, axis=0).mean(axis=1) - b.job_finding_reference)
    )
    hit = u[0, idle] < rate
    found = rows[hit]
    if len(found):
        start_jobs(model, found, outside_posts(model, found, u[1, idle[hit]], u[2, idle[hit]]), partner=False)
    # status six months after graduation (MyCOS definition), and whether the job is in-field at 36
    six_months, three_years = STATUS_MONTHS
    six = w.start + np.flatnonzero(graduated & (since == six_months))
    st.status_6m[six] = st.status[six]
    st.in_field_6m[six] = np.where(st.status[six] == EMPLOYED, st.in_field[six], -1)
    late = w.start + np.flatnonzero(graduated & (since == three_years))
    st.in_field_36m[late] = np.where(st.status[late] == EMPLOYED, st.in_field[late], -1)
    # the latest cohort's results, for M15: each school's graduates in row order (a stable sort by school)
    school = st.school[six]
    by_school = six[np.argsort(school, kind="stable")]
    ends = np.cumsum(np.bincount(school, minlength=model.n_schools))
    for s in np.flatnonzero(np.bincount(school, minlength=model.n_schools)):
        mine = by_school[(ends[s - 1] if s else 0) : ends[s]]
        model.school_placement[s] = np.isin(st.status[mine], (EMPLOYED, STUDY)).mean()
        emp = mine[(st.status[mine] == EMPLOYED) & (st.first_hire[mine] >= 0)]
        if len(emp):
            model.school_fit[s] = float(np.mean(st.first_fit[emp]))
