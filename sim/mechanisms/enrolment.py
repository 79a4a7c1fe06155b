"""Enrolment: a new cohort each September, its tracks, and the cohorts present at the start.

docs/odd.md §3 (step 1, September), §5 (initialisation), §11 (tracks at enrolment), M15 (a school of
higher reputation draws better-prepared students).  Each school enrols ``population.cohort_size``
students a year in random programmes; their skills, engagement and mobility are drawn from the
``enrolment`` stream, as many draws whatever the levers (common random numbers).  A student's track
(apprenticeship, order class, regular) is set by the places of the partner firm that would order or
apprentice it (picked by the enrolment draw among the school's partners in its field, else any
partner); only a firm of the student's field orders an order-class student.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..state import APPRENTICE, DIMS, ENROLLED, MONTHS_PER_YEAR, ORDER_CLASS, REGULAR, START_COHORT_YEARS

if TYPE_CHECKING:
    from ..model import CooperationModel


def starting_cohorts(model: "CooperationModel") -> None:
    """Cohorts already in years 2 and 3 at the start (docs/odd.md §5), with skills as if they had studied."""
    g = model.params.behaviour.startup_growth
    for years_in in START_COHORT_YEARS:
        rows = enrol(model, -MONTHS_PER_YEAR * years_in)
        model.students.skills[rows] = 1.0 - (1.0 - model.students.skills[rows]) * (1.0 - g * years_in)


def enrol(model: "CooperationModel", month: int) -> np.ndarray:
    """A new cohort of every school enrols in ``month``; its rows."""
    st, pop, b = model.students, model.params.population, model.params.behaviour
    # a student no partner firm would order or apprentice meets the scenario's shares: no firm's own
    # value exists for it (docs/odd.md §11)
    rule = model.lever_params_for("M4").firm_support
    rng = model.streams["enrolment"]
    k = pop.cohort_size * model.n_schools
    rows = st.add(k)
    st.school[rows] = np.repeat(np.arange(model.n_schools), pop.cohort_size)
    st.programme[rows] = rng.integers(0, pop.programmes, k)
    st.enrol_month[rows] = month
    # M15: a school above the regional average reputation draws better-prepared students
    prep = b.reputation_preparation * (model.school_reputation[st.school[rows]] - b.initial_reputation)
    st.skills[rows] = np.clip(
        rng.normal(b.initial_skill_mean, b.entrant_skill_sd, (k, len(DIMS))) + prep[:, None], 0.0, 1.0
    )
    st.engagement[rows] = np.clip(rng.normal(b.initial_engagement, b.engagement_sd, k), 0.0, 1.0)
    st.mobility[rows] = np.exp(rng.normal(-(b.mobility_sd**2) / 2, b.mobility_sd, k))  # mean-one log-normal
    u = rng.random(k)
    # the partner firm that would order (or apprentice) the student, by the pick draw: one of the
    # school's partners in the student's field, else any of its partners; that firm's places (its
    # own shares, docs/odd.md §11) decide the track.  Only a firm of the student's field orders an
    # order-class student; a school without partners meets the scenario's shares
    p = model.partnerships
    act = p.active()
    pick = rng.random(k)
    cand = np.full(k, -1, np.int64)
    in_field = np.zeros(k, bool)
    school, programme = st.school[rows], st.programme[rows]
    # the entrants of each school and programme, in row order (one sort, not a pass per pair)
    group = school.astype(np.int64) * pop.programmes + programme
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(model.n_schools * pop.programmes + 1))
    for s in range(model.n_schools):
        firms = p.firm[act][p.school[act] == s]
        if not len(firms):
            continue
        for prog in range(pop.programmes):
            g = s * pop.programmes + prog
            sel = order[bounds[g] : bounds[g + 1]]
            pool = firms[model.firm_field[firms] == prog]
            in_field[sel] = len(pool) > 0
            pool = pool if len(pool) else firms
            cand[sel] = pool[(pick[sel] * len(pool)).astype(int)]
    has = cand >= 0
    firm_support = model.firm_levers_for("M4").firm_support  # tracks: apprenticeship and order-class places (M4)
    appr = np.where(has, firm_support.apprenticeship_share[cand], rule.apprenticeship_share)
    order = np.where(has, firm_support.order_class_share[cand], rule.order_class_share)
    st.track[rows] = np.where(u < appr, APPRENTICE, np.where(u < appr + order, ORDER_CLASS, REGULAR))
    # two semesters of internship: order classes, apprentices and the top ``two_semester_share`` of
    # the regular track's part of the same draw (no draw of its own: common random numbers)
    regular = np.maximum(1.0 - appr - order, 0.0)
    st.long_internship[rows] = (st.track[rows] != REGULAR) | (u >= 1.0 - b.two_semester_share * regular)
    st.status[rows] = ENROLLED
    ordered = in_field & (st.track[rows] == ORDER_CLASS)
    st.order_firm[rows[ordered]] = cand[ordered]
    return rows
