"""Internship placement (实习共担, M4) and joint supervision (过程共管, M17).

Sources: P2 §三.2(2) (marginal vs front-line posts; modern apprenticeship; order classes),
docs/odd.md M4 (about six months of 岗位实习 at the end, earlier and longer for order classes
and apprenticeships), P1 §二 and P2 十共 (joint supervision; under integrated party
building, the party organisation's supervision).

Interns go to a partner firm of their school in their own field when there is one (order-
class students to the firm that ordered them), else to any partner; each is on a front-line
post with probability ``frontline_share``.  Supervision moves interns out of marginal posts.
An intern who breaks off the placement (M6) goes back to school: the internship counts as not
completed, the student practises in school and graduates with the cohort.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..state import (
    BREAK_REASONS,
    ENROLLED,
    INTERNING,
    LONG_INTERNSHIP_MONTHS,
    PROGRAMME_MONTHS,
    REGULAR_INTERNSHIP_MONTHS,
)
from . import engagement

if TYPE_CHECKING:
    from ..model import CooperationModel


def start_internships(model: "CooperationModel") -> None:
    st = model.students
    rng = model.streams["placement"]
    n = st.n
    # two draws per row of the cohorts in which internships can begin this month, whoever begins:
    # a lever that changes who starts (tracks) leaves everyone else's draws alone (common random numbers)
    block = model.cohort_rows(
        model.t - PROGRAMME_MONTHS + REGULAR_INTERNSHIP_MONTHS, model.t - PROGRAMME_MONTHS + LONG_INTERNSHIP_MONTHS
    )
    # those who begin are in that block (no one else is a track's internship length before the
    # programme's end): the test runs on its rows alone
    pm = model.t - st.enrol_month[block]
    length = np.where(st.long_internship[block], LONG_INTERNSHIP_MONTHS, REGULAR_INTERNSHIP_MONTHS)
    rows = block.start + np.flatnonzero((st.status[block] == ENROLLED) & (pm == PROGRAMME_MONTHS - length))
    u = rng.random((2, block.stop - block.start))[:, rows - block.start]
    if len(rows) == 0:
        return
    p = model.partnerships
    act = p.active()
    cap = model.params.behaviour.intern_capacity
    # the host's front-line share; M4 off: every post is marginal (posts do not differ); the draws are made all the same
    frontline_share = (
        model.firm_levers_for("M4").firm_support.frontline_share if model.active("M4") else np.zeros(model.n_firms)
    )
    # interns each school has at each firm now (one pass over the students, not one per school;
    # placing one school's entrants does not change another's counts)
    interning = np.flatnonzero(st.status[:n] == INTERNING)
    hosting = np.bincount(
        st.school[interning].astype(np.int64) * model.n_firms + st.intern_firm[interning],
        minlength=model.n_schools * model.n_firms,
    ).reshape(model.n_schools, model.n_firms)
    for s in np.unique(st.school[rows]):
        firms = [int(f) for f in p.firm[act][p.school[act] == s]]
        if not firms:
            continue  # no partner: these students stay in class
        field = {f: int(model.firm_field[f]) for f in firms}
        counts = hosting[s]
        room = {f: cap - int(counts[f]) for f in firms}
        open_all = [f for f in firms if room[f] > 0]  # partners with room, in partnership order
        open_by_field: dict[int, list[int]] = {}
        for f in open_all:
            open_by_field.setdefault(field[f], []).append(f)
        pos = np.flatnonzero(st.school[rows] == s)  # this school's entrants, as positions in rows
        programme = st.programme[rows[pos]].tolist()
        ordered_by = st.order_firm[rows[pos]].tolist()
        pick = u[0, pos].tolist()
        chosen = np.full(len(pos), -1, dtype=np.int64)
        for k in range(len(pos)):
            if not open_all:
                break  # every partner is full: the rest practise in school (a province's schools fill theirs early)
            f = ordered_by[k]
            if f < 0 or room.get(f, 0) <= 0:
                # own field first, else any partner with room; none: practice in school
                pool = open_by_field.get(programme[k]) or open_all
                if not pool:
                    continue
                f = pool[min(int(pick[k] * len(pool)), len(pool) - 1)]
            room[f] -= 1
            if room[f] == 0:
                open_all.remove(f)
                open_by_field[field[f]].remove(f)
            chosen[k] = f
        ok = chosen >= 0
        placed = rows[pos[ok]]
        st.intern_firm[placed] = chosen[ok]
        st.intern_in_field[placed] = model.firm_field[chosen[ok]] == st.programme[placed]
        st.frontline[placed] = u[1, pos[ok]] < frontline_share[chosen[ok]]
        st.status[placed] = INTERNING
        st.intern_start[placed] = model.t
        st.intern_done[placed] = -1


def break_placements(model: "CooperationModel", rows: np.ndarray) -> None:
    """Interns ``rows`` leave their placements early (M6): back to class, internship not completed.
    The record of the placement (firm, field, start) stays, as a school's records keep it, with the
    month it ended and why: the larger part of the hazard of breaking off (engagement.break_hazard),
    unresolved resistance or the outside option."""
    st, b = model.students, model.params.behaviour
    inside, outside = engagement.break_hazard_parts(b, st.resistance[rows], st.mobility[rows])
    st.intern_end[rows] = model.t
    st.intern_break[rows] = np.where(
        outside > inside, BREAK_REASONS.index("outside_option"), BREAK_REASONS.index("resistance")
    )
    st.status[rows] = ENROLLED
    st.intern_done[rows] = 0
    st.resistance[rows] = 0.0


def supervise(model: "CooperationModel") -> None:
    """M17: joint supervision moves interns out of marginal posts.

    The inspection draws are made whether or not there is supervision, so switching it on
    leaves the placement stream — and with it every later placement — unchanged (common
    random numbers)."""
    st = model.students
    block = model.cohort_rows(model.t - PROGRAMME_MONTHS, model.t - PROGRAMME_MONTHS + LONG_INTERNSHIP_MONTHS)
    u = model.streams["placement"].random(block.stop - block.start)  # one per row that could be interning
    rows = block.start + np.flatnonzero((st.status[block] == INTERNING) & ~st.frontline[block])
    supervised = model.school_levers_for(
        "M17"
    ).party_building.supervision  # schools that supervise their placements jointly
    if not (supervised.any() and model.active("M17") and model.active("M4")):
        return  # M17 off: no inspection moves anyone; M4 off: there is no front line to move to
    rows = rows[supervised[st.school[rows]]]
    moved = rows[u[rows - block.start] < model.params.behaviour.supervision_rate]
    st.frontline[moved] = True
