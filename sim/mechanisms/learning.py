"""M3 learning, M4 placement quality, M12 craftsman cultivation, M9 party-building gains.

Sources: P1 §一 problem 1 (theory-heavy teaching, weak practice), P2 §一.2 (practice
teaching), P2 §三.2(2) (marginal vs front-line posts, 一帮一 apprenticeship), P1 §二
(competitions, incubation), P1 §三(三) (工匠精神), P1 §一 problem 2 and §三(一) (两张皮 vs
integrated party work).

Monthly growth on dimension d: ``Δx_d = rate_d · engagement · (1 − x_d)`` where, in class,
``rate_d = r_school · D · c_{s,d} · teacher_quality_s`` and, in practice,
``rate_d = r_practice · D · n_{f,d} · challenge(post) · mentoring_quality``.
"""
from __future__ import annotations

import numpy as np

from ..state import APPRENTICE, CIVIC, CRAFT, INNOVATION, INTEGRATED, INTERNING, TWO_SKINS
from .context import MonthContext



def growth_rates(ctx: MonthContext, school: np.ndarray, status: np.ndarray, firm: np.ndarray,
                 frontline: np.ndarray, track: np.ndarray) -> np.ndarray:
    """Monthly growth rate per student and skill dimension (before engagement and room)."""
    b = ctx.behaviour
    n, d = len(school), ctx.curriculum.shape[1]
    interning = status == INTERNING
    rate = np.empty((n, d))
    # class (M3): curriculum weight × teacher quality
    rate[:] = b.school_learning_rate * d * ctx.curriculum[school] * ctx.teacher_quality[school, None]
    # craftsman cultivation in class (M12)
    rate[:, CRAFT] += b.school_learning_rate * ctx.craft_intensity * b.craft_class_gain
    rate[:, CIVIC] += b.school_learning_rate * ctx.craft_intensity * b.craft_civic_gain
    # party building (M9): two_skins lectures; integrated contact with party-member teachers.
    # Both are the work of the school's party-member teachers: a school without any has neither.
    if ctx.party_mode == TWO_SKINS:
        rate[:, CIVIC] += (b.school_learning_rate * b.two_skins_civic_share * b.party_class_gain
                           * (ctx.party_members[school] > 0))
    elif ctx.party_mode == INTEGRATED:
        rate[:, CIVIC] += b.school_learning_rate * b.party_class_gain * ctx.party_class[school]
    if interning.any():
        ii = np.flatnonzero(interning)
        f = firm[ii]
        challenge = np.where(frontline[ii], b.frontline_challenge, b.marginal_challenge)
        mq = ctx.mentor_quality[f] * np.where(track[ii] == APPRENTICE, b.apprenticeship_bonus, 1.0)
        prate = b.practice_learning_rate * d * ctx.firm_needs[f] * (challenge * mq)[:, None]
        prate[:, INNOVATION] += b.project_innovation_rate * ctx.joint_projects
        prate[:, CRAFT] += b.practice_learning_rate * ctx.craft_intensity * challenge
        if ctx.party_mode == INTEGRATED:
            boost = b.co_mentoring_boost if ctx.co_mentoring else 1.0
            prate[:, CIVIC] += b.practice_learning_rate * boost * ctx.party_practice[school[ii]]
        rate[ii] = prate
    if ctx.competition:
        rate[:, INNOVATION] += b.competition_gain
        rate[:, CRAFT] += b.competition_gain * (0.5 + ctx.craft_intensity)
    return rate


def grow(skills: np.ndarray, rate: np.ndarray, engagement: np.ndarray) -> np.ndarray:
    """Apply one month's growth; skills stay within 0..1."""
    out = skills + rate * engagement[:, None] * (1.0 - skills)
    return np.clip(out, 0.0, 1.0)
