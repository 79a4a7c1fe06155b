"""Internship placement (实习共担, M4) and joint supervision (过程共管, M17).

Sources: P2 §三.2(2) (marginal vs front-line posts; modern apprenticeship; order classes),
MODEL.md §2 (about six months of 岗位实习 at the end, earlier and longer for order classes
and apprenticeships), P1 §二 and P2 十共 (joint supervision; under integrated party
building, the party organisation's supervision).

Interns go to a partner firm of their school in their own field when there is one (order-
class students to the firm that ordered them), else to any partner; each is on a front-line
post with probability ``frontline_share``.  Supervision moves interns out of marginal posts.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..state import ENROLLED, INTERNING, REGULAR

if TYPE_CHECKING:
    from ..model import CooperationModel

REGULAR_INTERNSHIP_MONTHS = 6
LONG_INTERNSHIP_MONTHS = 12
PROGRAMME_MONTHS = 36
SUPERVISION_RATE = 0.3          # monthly chance an inspected marginal placement is moved


def start_internships(model: "CooperationModel") -> None:
    st = model.students
    rng = model.streams["placement"]
    n = st.n
    pm = model.t - st.enrol_month[:n]
    length = np.where(st.track[:n] == REGULAR, REGULAR_INTERNSHIP_MONTHS, LONG_INTERNSHIP_MONTHS)
    rows = np.flatnonzero((st.status[:n] == ENROLLED) & (pm == PROGRAMME_MONTHS - length))
    u = rng.random((2, len(rows)))
    if len(rows) == 0:
        return
    p = model.partnerships
    act = p.active()
    cap = model.params.behaviour.intern_capacity
    for s in np.unique(st.school[rows]):
        mine = rows[st.school[rows] == s]
        firms = p.firm[act][p.school[act] == s]
        if len(firms) == 0:
            continue  # no partner: these students stay in class
        fields = model.firm_field[firms]
        n = st.n
        hosting = st.intern_firm[:n][(st.status[:n] == INTERNING) & (st.school[:n] == s)]
        room = {int(f): cap - int(np.count_nonzero(hosting == f)) for f in firms}
        for i in mine:
            j = int(np.searchsorted(rows, i))
            of = st.order_firm[i]
            if of >= 0 and room.get(int(of), 0) > 0:
                f = int(of)
            else:
                same = [f for f in firms[fields == st.programme[i]] if room[int(f)] > 0]
                pool = same or [f for f in firms if room[int(f)] > 0]
                if not pool:
                    continue  # no room at any partner: practice in school
                f = int(pool[min(int(u[0, j] * len(pool)), len(pool) - 1)])
            room[f] -= 1
            st.intern_firm[i] = f
        placed = mine[st.intern_firm[mine] >= 0]
        st.frontline[placed] = u[1, np.searchsorted(rows, placed)] < model.params.firm_support.frontline_share
        st.status[placed] = INTERNING
        st.intern_start[placed] = model.t
        st.intern_done[placed] = -1
        model.firm_hosted[st.intern_firm[placed]] = True


def supervise(model: "CooperationModel") -> None:
    """M17: joint supervision moves interns out of marginal posts."""
    if not model.params.party_building.supervision:
        return
    st = model.students
    rng = model.streams["placement"]
    n = st.n
    rows = np.flatnonzero((st.status[:n] == INTERNING) & ~st.frontline[:n])
    moved = rows[rng.random(len(rows)) < SUPERVISION_RATE]
    st.frontline[moved] = True
