"""M6 engagement, resistance (抵触情绪), counselling (疏导) and placements that break.

Sources: P2 §二.2 (firms withholding support "严重影响学生在产业学院中的学习状态"),
P2 §三.2 (学校要主动配合企业) (the school coordinates tasks and counsels resistant students),
P2 §三.2(2) (front-line work: "感受到一线工作的乐趣"; marginal posts where firms give no
guidance, "不对学生进行必要引导"); 中国职业技术教育 2015(12) (out-of-field internships).

Engagement moves toward a target raised by firm support and front-line work and lowered by
resistance.  Resistance grows with its sources — the mismatch between task difficulty and
the intern's skill in either direction, a placement outside the student's field (poor fit)
and missing supervision (1 − mentoring quality) — less where the school coordinates tasks;
counselling and task coordination resolve it.  An intern breaks off the placement with a
monthly hazard that rises with unresolved resistance above a threshold, plus an outside
option (a job, study) scaled by the student's mobility, which the school does not reach.
"""

from __future__ import annotations

import numpy as np

from ..params import Behaviour
from ..state import INTERNING
from .context import MonthContext


def resistance_source(
    ctx: MonthContext, frontline: np.ndarray, ability: np.ndarray, in_field: np.ndarray, mentor_quality: np.ndarray
) -> np.ndarray:
    """Sources of resistance (ability units): task mismatch beyond tolerance, poor fit, poor supervision."""
    b = ctx.behaviour
    difficulty = np.where(frontline, b.frontline_difficulty, b.marginal_difficulty)
    mismatch = np.maximum(np.abs(difficulty - ability) - b.mismatch_tolerance, 0.0)
    return mismatch + b.out_of_field_resistance * (1.0 - in_field) + b.supervision_resistance * (1.0 - mentor_quality)


def break_hazard_parts(b: Behaviour, resistance: np.ndarray, mobility: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The two parts of the monthly hazard of leaving the placement: unresolved resistance, and
    an outside option (a job, study) scaled by the student's mobility."""
    unresolved = np.clip((resistance - b.dropout_threshold) / (1.0 - b.dropout_threshold), 0.0, 1.0)
    return b.dropout_hazard * unresolved, b.outside_break_rate * mobility


def break_hazard(ctx: MonthContext, resistance: np.ndarray, mobility: np.ndarray) -> np.ndarray:
    """Monthly hazard of leaving the placement: unresolved resistance plus an outside option."""
    inside, outside = break_hazard_parts(ctx.behaviour, resistance, mobility)
    return np.minimum(inside + outside, 1.0)


def update(
    ctx: MonthContext,
    status: np.ndarray,
    firm: np.ndarray,
    frontline: np.ndarray,
    skills: np.ndarray,
    engagement: np.ndarray,
    resistance: np.ndarray,
    u_break: np.ndarray,
    in_field: np.ndarray,
    mobility: np.ndarray,
    school: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return new engagement, new resistance and a mask of interns who break off the placement.
    Only interns' resistance changes; the arithmetic runs on the interns' rows alone.  ``school``:
    each row's school, whose task coordination and counselling act on its interns.

    With M6 switched off nothing moves: engagement and resistance stay as they are and no
    placement breaks (the draws ``u_break`` were made all the same)."""
    b = ctx.behaviour
    if "M6" in ctx.off:
        return engagement.copy(), resistance.copy(), np.zeros(len(status), bool)
    target = np.full(len(status), b.engagement_base)
    res = resistance.copy()
    leave = np.zeros(len(status), bool)
    i = np.flatnonzero(status == INTERNING)
    f = firm[i]
    fl, r = frontline[i], resistance[i]
    target[i] = (
        b.engagement_base
        + b.support_engagement * (ctx.firm_support[f] - b.support_reference)
        + b.frontline_engagement * fl
        - b.resistance_penalty * r
    )
    eng = np.clip(engagement + b.engagement_rate * (target - engagement), 0.0, 1.0)
    ability = np.einsum("ij,ij->i", np.take(skills, i, axis=0), np.take(ctx.firm_needs, f, axis=0))
    source = resistance_source(ctx, fl, ability, in_field[i], ctx.mentor_quality[f])
    tc, kc = ctx.task_coordination[school[i]], ctx.counselling[school[i]]
    grow = b.resistance_rate * source * (1.0 - b.coordination_prevention * tc) * (1.0 - r)
    resolve = b.resolution_rate * (kc + b.coordination_resolution * tc) / (1.0 + b.coordination_resolution) * r
    res[i] = np.clip(r + grow - resolve, 0.0, 1.0)
    leave[i] = u_break[i] < break_hazard(ctx, res[i], mobility[i])
    return eng, res, leave
