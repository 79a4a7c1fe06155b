"""M3 learning, M4 placement quality, M12 craftsman cultivation, M9 party-building gains.

Sources: P1 §一 problem 1 (theory-heavy teaching, weak practice), P2 §一.2 (practice
teaching), P2 §三.2(2) (marginal vs front-line posts, 一帮一 apprenticeship), P1 §二
(competitions, incubation), P1 §三(三) (工匠精神), P1 §一 problem 2 and §三(一) (两张皮 vs
integrated party work), P2 §三 (项目共立: interns in joint projects).

Monthly growth on dimension d: ``Δx_d = rate_d · engagement · (1 − x_d)`` where, in class,
``rate_d = r_school · D · c_{s,d} · teacher_quality_s`` and, in practice,
``rate_d = r_practice · D · n_{f,d} · challenge(post) · mentoring_quality``.

Party building adds ``η · h`` to the civic rate, ``h`` the month's hours of party activity
that reach the student (M5, M9: lectures under two_skins; guidance, co-mentoring under
integrated) and ``η = party_hour_effect · r_school · D / class_hours_per_month`` the civic
growth of one hour — an hour of the timetable spent on civic teaching by a teacher of full
quality, times ``party_hour_effect`` — the same in every mode.
"""

from __future__ import annotations

import numpy as np

from ..params import Behaviour
from ..state import APPRENTICE, CIVIC, CRAFT, INNOVATION, INTERNING
from .context import MonthContext


def civic_per_hour(b: Behaviour, d: int) -> float:
    """η: civic growth rate of one hour of party activity (before engagement and room)."""
    return b.party_hour_effect * b.school_learning_rate * d / b.class_hours_per_month


def party_hours(ctx: MonthContext, school: np.ndarray, status: np.ndarray, firm: np.ndarray) -> np.ndarray:
    """Hours of party activity this month per student: in school, the school's (lectures or
    guidance); in practice, for the share π of interns its party-member teachers can mentor,
    the teacher's hours and, where the host pairs a party-member engineer, the engineer's (M5, M9)."""
    b = ctx.behaviour
    hours = ctx.party_class[school]
    ii = np.flatnonzero(status == INTERNING)
    hours[ii] = ctx.party_practice[school[ii]] * (
        b.teacher_hours_per_month / b.teacher_capacity + ctx.party_engineer[school[ii], firm[ii]]
    )
    return hours


def growth_rates(
    ctx: MonthContext,
    school: np.ndarray,
    status: np.ndarray,
    firm: np.ndarray,
    frontline: np.ndarray,
    track: np.ndarray,
    hours: np.ndarray | None = None,
) -> np.ndarray:
    """Monthly growth rate per student and skill dimension (before engagement and room).
    ``hours``: this month's party hours per student (:func:`party_hours`, computed if not given)."""
    b = ctx.behaviour
    d = ctx.curriculum.shape[1]
    eta = civic_per_hour(b, d)
    # class, per school (M3): curriculum weight × teacher quality; the school's craftsman cultivation
    # (M12); party building (M9): the school's hours of party activity × the effect of an hour
    table = b.school_learning_rate * d * ctx.curriculum * ctx.teacher_quality[:, None]
    table[:, CRAFT] += b.school_learning_rate * ctx.craft_intensity * b.craft_class_gain
    table[:, CIVIC] += b.school_learning_rate * ctx.craft_intensity * b.craft_civic_gain
    table[:, CIVIC] += eta * ctx.party_class
    rate = np.take(table, school, axis=0)  # rows gathered (np.take: a fraction of fancy indexing's time)
    ii = np.flatnonzero(status == INTERNING)
    if len(ii):
        f = firm[ii]
        h = party_hours(ctx, school[ii], status[ii], f) if hours is None else hours[ii]
        challenge = np.where(frontline[ii], b.frontline_challenge, b.marginal_challenge)
        bonus = 1.0 if "M4" in ctx.off else b.apprenticeship_bonus  # M4 off: no 1:1 apprenticeship bonus
        mq = ctx.mentor_quality[f] * np.where(track[ii] == APPRENTICE, bonus, 1.0)
        prate = b.practice_learning_rate * d * np.take(ctx.firm_needs, f, axis=0) * (challenge * mq)[:, None]
        # joint projects (M14): interns of a host that runs a project with their school
        prate[:, INNOVATION] += b.project_innovation_rate * ctx.projects[school[ii], f]
        prate[:, CRAFT] += b.practice_learning_rate * ctx.craft_intensity[school[ii]] * challenge
        # party building (M9): the teacher's and a paired engineer's hours × the effect of an hour
        prate[:, CIVIC] += eta * h
        rate[ii] = prate
    competing = ctx.competition[school] if ctx.competition.any() else None  # students of competing schools
    if competing is not None:
        rate[competing, INNOVATION] += b.competition_gain
        rate[competing, CRAFT] += b.competition_gain * (
            b.competition_craft_base + ctx.craft_intensity[school[competing]]
        )
    return rate


def grow(skills: np.ndarray, rate: np.ndarray, engagement: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Apply one month's growth; skills stay within 0..1.  ``out``: where to write it (may be ``rate``)."""
    # skills + rate × engagement × (1 − skills), in that order of operations, with two arrays
    # instead of five (a province has a million learners a month)
    out = np.multiply(rate, engagement[:, None], out=out)
    out *= 1.0 - skills
    out += skills
    return np.clip(out, 0.0, 1.0, out=out)
