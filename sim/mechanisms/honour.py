"""M14 growing strong together (同强) and M15 shared honour (齐荣).

Source: P2 §三 (项目共立, 科研共做, 师资共培; 齐荣: school and firms share the honour of
good outcomes).  Firm capability grows with joint projects (scaled by willingness) and with
the fit of the graduates it hires.  A school's reputation follows its results — placement and
skill fit of its latest graduates and its competition results, each as standing against what
is typical — weighted, with the weights renormalised over the signals the school has; a
firm's follows its commitment and its hires.  Strength is measured over all firms that were
ever partners.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..state import CRAFT, INNOVATION, INTERNING

LOGISTIC_SCALE = 1.702      # logistic(1.702 z) approximates the standard normal distribution function

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


def standing(x: np.ndarray, reference: float, spread: float) -> np.ndarray:
    """A result as standing 0..1 against what is typical: 0.5 at the reference, rising by one
    logistic unit per ``spread`` (the logistic approximation of the normal distribution)."""
    return 1.0 / (1.0 + np.exp(-LOGISTIC_SCALE * (x - reference) / spread))


def record_competition(model: "CooperationModel") -> None:
    """In a competition month, a school's result is its students' mean innovation and craft,
    as standing against the field of competitors it meets (relative performance)."""
    if not model.is_competition_month:
        return
    b, st = model.params.behaviour, model.students
    rows = np.flatnonzero(st.status[: st.n] <= INTERNING)
    score = st.skills[rows][:, [INNOVATION, CRAFT]].mean(axis=1)
    tot = np.bincount(st.school[rows], weights=score, minlength=model.n_schools)
    cnt = np.bincount(st.school[rows], minlength=model.n_schools)
    has = cnt > 0
    model.school_competition[has] = standing(tot[has] / cnt[has], b.competition_field, b.competition_spread)


def reputation_target(model: "CooperationModel") -> np.ndarray:
    """Weighted mean of the standings a school has (placement, skill fit, competition results);
    a school without a signal (no competitions, no graduates yet) is judged on the others, the
    weights renormalised — neither penalised nor rewarded for the missing one.  NaN: no signal."""
    b = model.params.behaviour
    signals = np.stack([standing(model.school_placement, b.placement_reference, b.placement_spread),
                        standing(model.school_fit, b.fit_reference, b.fit_spread),
                        model.school_competition])
    w = np.array([b.reputation_weight_placement, b.reputation_weight_fit, b.reputation_weight_competition])[:, None]
    have = np.isfinite(signals) & (w > 0)
    total = (w * have).sum(axis=0)
    return np.where(total > 0, (w * np.where(have, signals, 0.0)).sum(axis=0) / np.maximum(total, 1e-12), np.nan)


def update_reputation(model: "CooperationModel") -> None:
    p, b = model.partnerships, model.params.behaviour
    record_competition(model)
    target = reputation_target(model)
    ok = np.isfinite(target)
    model.school_reputation[ok] += b.strength_rate * (target[ok] - model.school_reputation[ok])
    act = p.active()
    best_w = np.zeros(model.n_firms)
    np.maximum.at(best_w, p.firm[act], p.willingness[act])
    wf, wh = b.firm_reputation_weight_willingness, b.firm_reputation_weight_hires
    ftarget = (wf * best_w + wh * model.firm_hire_fit) / max(wf + wh, 1e-12)
    model.firm_reputation += b.strength_rate * (ftarget - model.firm_reputation)
