"""M2 goal alignment (明确育人目标), M7's curriculum feedback and M11's needs carried back.

Sources: P2 §三.1 (a needs survey, then 校企合作型育人目标); P2 §二.1 ("过于主观": school-
centric goals, so the belief starts at the school's own goal, b₀ = g); P2 §三.2 (学校要主动配合企业) (效果共评
tells the school where the curriculum misses); P1 §三(二) (teachers in firm projects carry
firms' needs back and real cases enter the curriculum).

Curriculum: ``c_s = normalise((1 − a) · g_s + a · b_s)``.  Aligning to a belief that
communication never corrected does little, because then b ≈ g.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..state import INTEGRATED

if TYPE_CHECKING:
    from ..model import CooperationModel


def align_goals(model: "CooperationModel") -> None:
    # M2 off: the curriculum is the school's own goal (a = 0), whatever it believes; a is each school's
    a = (model.school_levers_for("M2").goal_alignment.weight if model.active("M2") else np.zeros(model.n_schools))[
        :, None
    ]
    c = (1.0 - a) * model.school_goal + a * model.school_belief
    model.curriculum[:] = c / c.sum(axis=1, keepdims=True)


def partner_needs(model: "CooperationModel") -> np.ndarray:
    """Mean needs of each school's current partners (the school's own goal if it has none)."""
    p = model.partnerships
    act = p.active()
    out = model.school_goal.copy()
    if len(act):
        s = p.school[act]
        tot = np.zeros_like(out)
        np.add.at(tot, s, model.firm_needs[p.firm[act]])
        cnt = np.bincount(s, minlength=model.n_schools)
        has = cnt > 0
        out[has] = tot[has] / cnt[has, None]
    return out


def curriculum_alignment(model: "CooperationModel") -> np.ndarray:
    """Per school, the cosine of its curriculum and its partners' mean needs (专业共建; M14's
    school strength): 1 when the school teaches what its partners need, in their proportions."""
    c, n = model.curriculum, partner_needs(model)
    return (c * n).sum(axis=1) / (np.linalg.norm(c, axis=1) * np.linalg.norm(n, axis=1))


def carry_needs_back(model: "CooperationModel") -> None:
    """M11: party-member teachers in firm projects bring firms' needs into the belief (schools with
    integrated party building whose teachers practise in firms)."""
    party_building = model.school_levers_for("M11").party_building
    on = (party_building.mode == INTEGRATED) & (party_building.teacher_practice > 0) & model.active("M11")
    if not on.any():
        return
    share = party_building.teacher_practice[on][:, None]
    target = partner_needs(model)[on]
    belief = model.school_belief[on]
    model.school_belief[on] = belief + model.params.behaviour.teacher_practice_pull * share * (target - belief)


def joint_evaluation(model: "CooperationModel", host_needs: np.ndarray, hosted: np.ndarray) -> None:
    """M7: once a year, evaluation of interns with the firms shows where the curriculum misses."""
    if not model.active("M7"):
        return
    has = (hosted > 0) & model.school_levers_for(
        "M7"
    ).school_cooperation.joint_evaluation  # schools that evaluate jointly
    model.school_belief[has] += model.params.behaviour.joint_evaluation_pull * (
        host_needs[has] - model.school_belief[has]
    )
