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



def update(ctx: MonthContext, status: np.ndarray, firm: np.ndarray, frontline: np.ndarray,
           skills: np.ndarray, engagement: np.ndarray, resistance: np.ndarray,
           u_dropout: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return new engagement, new resistance and a mask of interns who drop out."""
    b = ctx.behaviour
    interning = status == INTERNING
    f = np.where(interning, firm, 0)
    support = ctx.firm_support[f]
    target = np.where(interning,
                      b.engagement_base + b.support_engagement * (support - 0.5) + b.frontline_engagement * frontline
                      - b.resistance_penalty * resistance, b.engagement_base)
    eng = np.clip(engagement + b.engagement_rate * (target - engagement), 0.0, 1.0)
    difficulty = np.where(frontline, b.frontline_difficulty, b.marginal_difficulty)
    ability = np.einsum("ij,ij->i", skills, ctx.firm_needs[f])
    mismatch = np.maximum(np.abs(difficulty - ability) - b.mismatch_tolerance, 0.0)
    grow = b.resistance_rate * mismatch * (1.0 - 0.5 * ctx.task_coordination) * (1.0 - resistance)
    resolve = b.resolution_rate * (ctx.counselling + 0.5 * ctx.task_coordination) / 1.5 * resistance
    res = np.where(interning, np.clip(resistance + grow - resolve, 0.0, 1.0), resistance)
    drop = interning & (res > b.dropout_threshold) & (u_dropout < b.dropout_hazard)
    return eng, res, drop
