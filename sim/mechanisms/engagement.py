"""M6 engagement, resistance (抵触情绪) and counselling (疏导).

Sources: P2 §二.2 (firms withholding support "严重影响学生在产业学院中的学习状态"),
P2 §三.2(1) (the school coordinates tasks and counsels resistant students),
P2 §三.2(2) (front-line work: "感受到一线工作的乐趣").

Engagement moves toward a target raised by firm support and front-line work and lowered by
resistance.  Resistance grows with the mismatch between task difficulty and the intern's
skill, in either direction; counselling and task coordination resolve it; unresolved
resistance above a threshold gives a monthly hazard of leaving the internship.
"""
from __future__ import annotations

import numpy as np

from ..state import INTERNING
from .context import MonthContext

ENGAGEMENT_BASE = 0.6
SUPPORT_GAIN = 0.3          # engagement gained per unit firm support above 0.5
RESISTANCE_PENALTY = 0.4    # engagement lost per unit resistance
FRONTLINE_DIFFICULTY = 0.55
MARGINAL_DIFFICULTY = 0.05
MISMATCH_TOLERANCE = 0.1


def update(ctx: MonthContext, status: np.ndarray, firm: np.ndarray, frontline: np.ndarray,
           skills: np.ndarray, engagement: np.ndarray, resistance: np.ndarray,
           u_dropout: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return new engagement, new resistance and a mask of interns who drop out."""
    b = ctx.behaviour
    interning = status == INTERNING
    f = np.where(interning, firm, 0)
    support = ctx.firm_support[f]
    target = np.where(interning,
                      ENGAGEMENT_BASE + SUPPORT_GAIN * (support - 0.5) + b.frontline_engagement * frontline
                      - RESISTANCE_PENALTY * resistance, ENGAGEMENT_BASE)
    eng = np.clip(engagement + b.engagement_rate * (target - engagement), 0.0, 1.0)
    difficulty = np.where(frontline, FRONTLINE_DIFFICULTY, MARGINAL_DIFFICULTY)
    ability = np.einsum("ij,ij->i", skills, ctx.firm_needs[f])
    mismatch = np.maximum(np.abs(difficulty - ability) - MISMATCH_TOLERANCE, 0.0)
    grow = b.resistance_rate * mismatch * (1.0 - 0.5 * ctx.task_coordination) * (1.0 - resistance)
    resolve = b.resolution_rate * (ctx.counselling + 0.5 * ctx.task_coordination) / 1.5 * resistance
    res = np.where(interning, np.clip(resistance + grow - resolve, 0.0, 1.0), resistance)
    drop = interning & (res > b.dropout_threshold) & (u_dropout < b.dropout_hazard)
    return eng, res, drop
