"""M14 growing strong together (同强) and M15 shared honour (齐荣).

Source: P2 §三 (项目共立, 科研共做, 师资共培; 齐荣: school and firms share the honour of
good outcomes).  Firm capability grows with joint projects (scaled by willingness) and with
the fit of the graduates it hires; reputation of schools follows placement, fit and
competition results, that of firms their willingness and hires.  Strength is measured over
all firms that were ever partners.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..state import CRAFT, INNOVATION, INTERNING

if TYPE_CHECKING:
    from ..model import CooperationModel



def grow_strength(model: "CooperationModel") -> None:
    p, b = model.partnerships, model.params.behaviour
    act = p.active()
    best_w = np.zeros(model.n_firms)
    np.maximum.at(best_w, p.firm[act], p.willingness[act])
    target = (b.base_strength + b.project_strength * model.params.firm_support.joint_projects * best_w
              + b.hire_strength * model.firm_hire_fit)
    ever = model.firm_ever_partner
    model.firm_strength[ever] += b.strength_rate * (target[ever] - model.firm_strength[ever])


def record_competition(model: "CooperationModel") -> None:
    """In a competition month, a school's result is its students' mean innovation and craft."""
    if not model.is_competition_month:
        return
    st = model.students
    rows = np.flatnonzero(st.status[: st.n] <= INTERNING)
    score = st.skills[rows][:, [INNOVATION, CRAFT]].mean(axis=1)
    tot = np.bincount(st.school[rows], weights=score, minlength=model.n_schools)
    cnt = np.bincount(st.school[rows], minlength=model.n_schools)
    has = cnt > 0
    model.school_competition[has] = tot[has] / cnt[has]


def update_reputation(model: "CooperationModel") -> None:
    p, b = model.partnerships, model.params.behaviour
    record_competition(model)
    target = 0.5 * model.school_placement + 0.3 * model.school_fit + 0.2 * model.school_competition
    model.school_reputation += b.strength_rate * (target - model.school_reputation)
    act = p.active()
    best_w = np.zeros(model.n_firms)
    np.maximum.at(best_w, p.firm[act], p.willingness[act])
    ftarget = 0.5 * best_w + 0.5 * model.firm_hire_fit
    model.firm_reputation += b.strength_rate * (ftarget - model.firm_reputation)
