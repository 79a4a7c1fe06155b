"""M13 partner hiring (就业共推) and M7 grade sharing (效果共评 in screening).

Sources: P1 §一 and P2 §一.1 (partner firms take graduates; order classes are hired by the
firm that ordered them), P2 §三.2 (学校要主动配合企业) (firms that evaluate interns with the school's grades
screen better).

At graduation each partner firm hires from its partner school's graduates of its own field
up to its demand — a share of the interns it hosted, scaled by its willingness (plus a floor,
``hiring_willingness_floor``) — ranking candidates by perceived productivity: true productivity
plus screening noise (smaller with grade sharing), with its own interns and own order-class
students first.  Hires start at the partner's pay for their true skills (M16)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..state import ORDER_CLASS, PROGRAMME_MONTHS
from . import labour_market

if TYPE_CHECKING:
    from ..model import CooperationModel


def field_match(model: "CooperationModel", rows: np.ndarray, firms: np.ndarray) -> np.ndarray:
    """1 in the graduate's own field, ``out_of_field_fit`` outside it."""
    return labour_market.field_factor(model.params.behaviour, model.students.programme[rows] == model.firm_field[firms])


def productivity(model: "CooperationModel", rows: np.ndarray, firms: np.ndarray) -> np.ndarray:
    """Match quality as the employer sees it (0..1): needs-weighted skill level relative to a fully
    productive worker (``productive_ability``), times the field match.  Rises with any skill growth."""
    level = labour_market.skill_level(model.params.behaviour, model.students.skills[rows], model.firm_needs[firms])
    return np.clip(level * field_match(model, rows, firms), 0.0, 1.0)


def alignment(model: "CooperationModel", rows: np.ndarray, firms: np.ndarray) -> np.ndarray:
    """``skill_fit``: how well the *profile* of a graduate's skills matches the employer's needs,
    independent of their level — the cosine of the two vectors — times the field match.  Scaling
    every skill by the same factor leaves it unchanged (docs/odd.md §2: fit is field match times the
    similarity of skills to the needs)."""
    cos = labour_market.cosine(model.students.skills[rows], model.firm_needs[firms])
    return cos * field_match(model, rows, firms)


def hire_graduates(model: "CooperationModel", grads: np.ndarray) -> None:
    """Partner firms hire (what a hire is worth to the firm is booked by M8 from the student arrays)."""
    st, b, p = model.students, model.params.behaviour, model.partnerships
    rng = model.streams["hiring"]
    act = p.active()
    # grades shared by the graduate's school (M7) make the screening less noisy
    sharing = model.school_levers_for("M7").school_cooperation.grade_sharing[st.school[grads]] & model.active("M7")
    noise_sd = b.screening_noise * np.where(sharing, b.grade_sharing_noise, 1.0)
    # per row of the graduating cohort and per partnership row, whoever graduates and whichever
    # partnerships are active (common random numbers)
    block = model.cohort_rows(model.t - PROGRAMME_MONTHS, model.t - PROGRAMME_MONTHS)
    noise = rng.standard_normal(block.stop - block.start)[grads - block.start] * noise_sd
    u_round = rng.random(p.capacity)[act]
    if not model.active("M13"):
        return  # M13 off: partners hire nobody at graduation; every graduate searches outside (M16)
    free = np.ones(len(grads), bool)
    order = np.argsort(-p.willingness[act], kind="stable")
    # graduates by (school, programme), and how many each (school, firm) hosted as interns
    P, F = model.params.population.programmes, model.n_firms
    school, firm_of_intern = st.school[grads].astype(np.int64), st.intern_firm[grads].astype(np.int64)
    group = school * P + st.programme[grads]
    by_group = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[by_group], np.arange(model.n_schools * P + 1))
    interned = firm_of_intern >= 0
    hosted_sf = np.bincount(school[interned] * F + firm_of_intern[interned], minlength=model.n_schools * F)
    if model.colleges is not None:  # M18 就业共推: members count the graduates the college hosted
        hosted_sf = model.colleges.pooled_hosted(model, hosted_sf)
    hired_rows, hired_firms = [], []
    # a firm that decided how many graduates to hire (sim.policy) takes them over its partnerships in
    # the rule's order, in place of the rule's demand
    target = model.firm_hire_target
    left = np.maximum(target, 0)
    for j in order:
        pid = act[j]
        s, f = p.school[pid], p.firm[pid]
        if target[f] >= 0:
            demand = int(left[f])
        else:
            hosted = int(hosted_sf[s * F + f])
            demand = int(b.hiring_demand * hosted * (b.hiring_willingness_floor + p.willingness[pid]) + u_round[j])
        if demand <= 0:
            continue
        g = s * P + model.firm_field[f]
        pool = by_group[bounds[g] : bounds[g + 1]]
        cand = pool[free[pool]]
        if len(cand) == 0:
            continue
        rows = grads[cand]
        true_fit = productivity(model, rows, np.full(len(rows), f))
        score = (
            true_fit
            + noise[cand]
            + b.own_intern_bonus * (st.intern_firm[rows] == f)
            + b.order_class_bonus * ((st.track[rows] == ORDER_CLASS) & (st.order_firm[rows] == f))
        )
        best = np.argsort(-score, kind="stable")[:demand]
        left[f] -= len(best)
        free[cand[best]] = False
        hired_rows.append(rows[best])
        hired_firms.append(np.full(len(best), f))
    if hired_rows:
        labour_market.start_jobs(model, np.concatenate(hired_rows), np.concatenate(hired_firms), partner=True)
        if model.colleges is not None:  # M18: the colleges' graduates placed at members (reported)
            model.colleges.count_placed(model, np.concatenate(hired_rows), np.concatenate(hired_firms))
