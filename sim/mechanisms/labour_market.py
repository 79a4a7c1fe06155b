"""M16 the outside labour market (an assumption of this model, needed for realism).

Source of magnitudes: MyCOS Chinese College Graduates' Employment Annual Reports (就业蓝皮书):
early turnover, employers in three years, matched employment, placement (see
``scenarios/targets/china_gaozhi.toml``).  The papers say nothing about it; MODEL.md M16 adds it.

- Graduates not hired by partners search with a monthly job-finding rate and land an
  in-field or out-of-field post; a share continues study (专升本).
- Employed graduates receive outside offers at a rate scaled by their mobility, and quit when
  the offer beats the current job's value — fit, development prospects, familiarity, craft
  (M12, a model assumption) and tenure — plus a switching cost.  Job shopping: the share
  ``offer_match_known`` of an accepted offer's match value proves real and stays with the new
  job, so movers are harder to move again; the rest was only apparent (a job is partly an
  experience good: MyCOS's leading reasons for quitting, too little room to develop and low
  pay, show only on the job), so with a share below 1 a mover can be moved again.
- Firms dismiss poor matches once quality shows (months 2–12 of tenure).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..state import (CRAFT, EMPLOYED, EMPLOYERS_WINDOW_MONTHS, FOLLOW_UP_MONTHS, STATUS_MONTHS, STUDY,
                     UNEMPLOYED)
from .context import MonthContext

if TYPE_CHECKING:
    from ..model import CooperationModel


def job_value(ctx: MonthContext, fit: np.ndarray, prospects: np.ndarray, familiar: np.ndarray,
              craft: np.ndarray, tenure: np.ndarray, quality: np.ndarray) -> np.ndarray:
    """Value of the current job; ``quality`` is the match value of an offer once accepted."""
    b = ctx.behaviour
    return (b.fit_value * fit + prospects + b.familiarity_value * familiar + quality
            + b.craft_value * craft + b.tenure_value * np.minimum(tenure, b.tenure_value_cap))


def accepted_quality(ctx: MonthContext, z_offer: np.ndarray) -> np.ndarray:
    """Match value an accepted offer keeps in the new job: its real share of the apparent value."""
    b = ctx.behaviour
    return b.offer_match_known * b.offer_sd * z_offer


def separations(ctx: MonthContext, status: np.ndarray, hire_month: np.ndarray, fit: np.ndarray,
                prospects: np.ndarray, familiar: np.ndarray, quality: np.ndarray, skills: np.ndarray,
                mobility: np.ndarray, u_offer: np.ndarray, z_offer: np.ndarray,
                u_dismiss: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of employed graduates who quit (for an outside offer) and who are dismissed."""
    b = ctx.behaviour
    employed = status == EMPLOYED
    tenure = ctx.month - hire_month
    current = job_value(ctx, fit, prospects, familiar, skills[:, CRAFT], tenure, quality)
    offer = b.fit_value * b.offer_fit_mean + b.offer_sd * z_offer
    has_offer = u_offer < np.minimum(b.offer_rate * mobility, 1.0)
    quit = employed & has_offer & (offer > current + b.switching_cost)
    window = (tenure >= 1) & (tenure <= b.dismissal_window)
    dismiss = employed & ~quit & window & (u_dismiss < b.dismissal_rate * (1.0 - fit) ** 2)
    return quit, dismiss


# --- jobs: starting, ending, searching -------------------------------------------------------------
def start_jobs(model: "CooperationModel", rows: np.ndarray, firms: np.ndarray, partner: bool) -> None:
    """Graduates ``rows`` start at ``firms``: match quality, prospects, first-job records."""
    from .hiring import alignment, productivity
    st, b = model.students, model.params.behaviour
    if len(rows) == 0:
        return
    st.status[rows] = EMPLOYED
    st.employer[rows] = firms
    st.hire_month[rows] = model.t
    st.job_fit[rows] = productivity(model, rows, firms)
    st.in_field[rows] = st.programme[rows] == model.firm_field[firms]
    familiar = st.intern_firm[rows] == firms
    st.job_familiar[rows] = familiar
    frontline = familiar & st.frontline[rows]
    st.job_prospects[rows] = b.prospects_value * (np.where(partner, b.partner_prospects, b.outside_prospects)
                                                  + b.frontline_prospects * frontline
                                                  + b.strength_prospects * model.firm_strength[firms])
    st.job_partner[rows] = partner
    st.job_quality[rows] = 0.0
    st.n_employers[rows] += (st.grad_month[rows] >= 0) & (model.t - st.grad_month[rows] <= EMPLOYERS_WINDOW_MONTHS)
    first = st.first_hire[rows] < 0
    fr = rows[first]
    st.first_employer[fr] = firms[first]
    st.first_hire[fr] = model.t
    st.first_fit[fr] = alignment(model, fr, firms[first])
    st.first_partner[fr] = partner


def end_jobs(model: "CooperationModel", rows: np.ndarray, reason: str, rehire: bool,
             quality: np.ndarray | None = None) -> None:
    """Jobs end (a quit for an outside offer: the graduate moves straight to it; a dismissal)."""
    st = model.students
    if len(rows) == 0:
        return
    model.job_spells.append((rows.copy(), st.employer[rows].copy(), st.job_partner[rows].copy(),
                             st.hire_month[rows].copy(), np.full(len(rows), model.t), np.full(len(rows), reason)))
    first = (st.first_end[rows] < 0) & (st.first_hire[rows] == st.hire_month[rows])
    st.first_end[rows[first]] = model.t
    st.first_quit[rows[first]] = reason == "quit"
    st.employer[rows] = -1
    if rehire:  # job-to-job move for an outside offer
        start_jobs(model, rows, outside_posts(model, rows), partner=False)
        st.job_quality[rows] = quality if quality is not None else 0.0
    else:
        st.status[rows] = UNEMPLOYED


def outside_posts(model: "CooperationModel", rows: np.ndarray) -> np.ndarray:
    """Employers of outside posts: in the graduate's field with probability in_field_share."""
    rng, b = model.streams["labour"], model.params.behaviour
    k = len(rows)
    u, pick = rng.random(k), rng.random(k)
    progs = model.params.population.programmes
    prog = model.students.programme[rows]
    field = np.where(u < b.in_field_share, prog, (prog + 1 + (pick * max(progs - 1, 1)).astype(int)) % progs)
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
    n = st.n
    rows = np.flatnonzero((st.status[:n] == UNEMPLOYED) & (model.t - st.grad_month[:n] <= FOLLOW_UP_MONTHS))
    u = model.streams["labour"].random(len(rows))
    rate = b.job_finding_rate * (1.0 + b.job_finding_skill_gain * (st.skills[rows].mean(axis=1) - b.job_finding_reference))
    found = rows[u < rate]
    if len(found):
        start_jobs(model, found, outside_posts(model, found), partner=False)
    # status six months after graduation (MyCOS definition), and whether the job is in-field at 36
    six_months, three_years = STATUS_MONTHS
    since = model.t - st.grad_month[:n]
    graduated = st.grad_month[:n] >= 0
    six = np.flatnonzero(graduated & (since == six_months))
    st.status_6m[six] = st.status[six]
    st.in_field_6m[six] = np.where(st.status[six] == EMPLOYED, st.in_field[six], -1)
    late = np.flatnonzero(graduated & (since == three_years))
    st.in_field_36m[late] = np.where(st.status[late] == EMPLOYED, st.in_field[late], -1)
    for s in range(model.n_schools):                   # the latest cohort's results, for M15
        mine = six[st.school[six] == s]
        if len(mine):
            model.school_placement[s] = np.isin(st.status[mine], (EMPLOYED, STUDY)).mean()
            emp = mine[(st.status[mine] == EMPLOYED) & (st.first_hire[mine] >= 0)]
            if len(emp):
                model.school_fit[s] = float(np.mean(st.first_fit[emp]))
