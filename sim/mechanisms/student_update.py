"""The monthly student update, vectorised over all students (M3, M4, M6, M9, M12, M16).

``update_students`` is the fast path used by the model; ``update_students_reference`` applies
the same rules one student at a time, in plain Python, for readability and for the tests
and benchmark that compare the two on the same random draws.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..state import APPRENTICE, CIVIC, CRAFT, EMPLOYED, INNOVATION, INTERNING
from . import engagement as eng_mod
from . import labour_market, learning
from .context import MonthContext, StudentDraws


@dataclass
class StudentSlice:
    """Copies of the student columns the update reads (rows of the active students)."""
    school: np.ndarray
    status: np.ndarray
    firm: np.ndarray        # intern firm while interning, employer while employed
    frontline: np.ndarray
    track: np.ndarray
    skills: np.ndarray
    engagement: np.ndarray
    resistance: np.ndarray
    hire_month: np.ndarray
    job_fit: np.ndarray
    job_prospects: np.ndarray
    job_familiar: np.ndarray
    job_quality: np.ndarray
    mobility: np.ndarray
    in_field: np.ndarray | None = None   # the internship is in the student's own field (M6 poor fit)


@dataclass
class StudentResult:
    skills: np.ndarray
    engagement: np.ndarray
    resistance: np.ndarray
    dropout: np.ndarray
    quit: np.ndarray
    dismissed: np.ndarray
    offer_quality: np.ndarray   # match value of the accepted offer, for those who quit
    party_hours: np.ndarray     # hours of party activity this month (M9), zero for those not learning


def update_students(ctx: MonthContext, s: StudentSlice, draws: StudentDraws) -> StudentResult:
    """Vectorised: learning, then engagement and resistance, then separations."""
    learning_mask = (s.status <= INTERNING)
    firm = np.maximum(s.firm, 0)
    hours = learning.party_hours(ctx, s.school, s.status, firm)
    rate = learning.growth_rates(ctx, s.school, s.status, firm, s.frontline, s.track, hours)
    skills = np.where(learning_mask[:, None], learning.grow(s.skills, rate, s.engagement), s.skills)
    in_field = np.ones(len(s.status), bool) if s.in_field is None else s.in_field
    eng, res, drop = eng_mod.update(ctx, s.status, np.maximum(s.firm, 0), s.frontline, skills,
                                    s.engagement, s.resistance, draws.dropout, in_field, s.mobility)
    quit, dismissed = labour_market.separations(
        ctx, s.status, s.hire_month, s.job_fit, s.job_prospects, s.job_familiar, s.job_quality, skills,
        s.mobility, draws.offer, draws.offer_value, draws.dismissal)
    offer_quality = np.where(quit, labour_market.accepted_quality(ctx, draws.offer_value), 0.0)
    return StudentResult(skills, eng, res, drop, quit, dismissed, offer_quality,
                         np.where(learning_mask, hours, 0.0))


def update_students_reference(ctx: MonthContext, s: StudentSlice, draws: StudentDraws) -> StudentResult:
    """The same rules, one student at a time (slow; for tests and the benchmark)."""
    b = ctx.behaviour
    n, d = s.skills.shape
    out_sk = s.skills.copy()
    out_eng = s.engagement.copy()
    out_res = s.resistance.copy()
    drop = np.zeros(n, bool)
    quit = np.zeros(n, bool)
    dismissed = np.zeros(n, bool)
    offer_quality = np.zeros(n)
    hours = np.zeros(n)
    eta = learning.civic_per_hour(b, d)
    for i in range(n):
        st = int(s.status[i])
        sc = int(s.school[i])
        f = max(int(s.firm[i]), 0)
        x = [float(v) for v in s.skills[i]]
        # --- learning (M3, M4, M9, M12)
        if st <= INTERNING:
            # party activity (M9): lectures or guidance in school; teacher and engineer in practice
            if st == INTERNING:
                h = ctx.party_practice[sc] * (b.teacher_hours_per_month / b.teacher_capacity + ctx.party_engineer[f])
            else:
                h = ctx.party_class[sc]
            hours[i] = h
            rate = [b.school_learning_rate * d * ctx.curriculum[sc, k] * ctx.teacher_quality[sc] for k in range(d)]
            rate[CRAFT] += b.school_learning_rate * ctx.craft_intensity * b.craft_class_gain
            rate[CIVIC] += b.school_learning_rate * ctx.craft_intensity * b.craft_civic_gain
            rate[CIVIC] += eta * h
            if st == INTERNING:
                challenge = b.frontline_challenge if s.frontline[i] else b.marginal_challenge
                mq = ctx.mentor_quality[f] * (b.apprenticeship_bonus if s.track[i] == APPRENTICE else 1.0)
                rate = [b.practice_learning_rate * d * ctx.firm_needs[f, k] * challenge * mq for k in range(d)]
                rate[INNOVATION] += b.project_innovation_rate * ctx.projects[sc, f]
                rate[CRAFT] += b.practice_learning_rate * ctx.craft_intensity * challenge
                rate[CIVIC] += eta * h
            if ctx.competition:
                rate[INNOVATION] += b.competition_gain
                rate[CRAFT] += b.competition_gain * (0.5 + ctx.craft_intensity)
            e = float(s.engagement[i])
            x = [min(max(x[k] + rate[k] * e * (1.0 - x[k]), 0.0), 1.0) for k in range(d)]
            out_sk[i] = x
        # --- engagement and resistance (M6)
        r = float(s.resistance[i])
        e = float(s.engagement[i])
        if st == INTERNING:
            target = (b.engagement_base + b.support_engagement * (ctx.firm_support[f] - b.support_reference)
                      + b.frontline_engagement * bool(s.frontline[i]) - b.resistance_penalty * r)
        else:
            target = b.engagement_base
        out_eng[i] = min(max(e + b.engagement_rate * (target - e), 0.0), 1.0)
        if st == INTERNING:
            difficulty = b.frontline_difficulty if s.frontline[i] else b.marginal_difficulty
            ability = sum(x[k] * ctx.firm_needs[f, k] for k in range(d))
            mismatch = max(abs(difficulty - ability) - b.mismatch_tolerance, 0.0)
            in_field = True if s.in_field is None else bool(s.in_field[i])
            source = (mismatch + (0.0 if in_field else b.out_of_field_resistance)
                      + b.supervision_resistance * (1.0 - ctx.mentor_quality[f]))
            grow = b.resistance_rate * source * (1.0 - b.coordination_prevention * ctx.task_coordination) * (1.0 - r)
            resolve = (b.resolution_rate * (ctx.counselling + b.coordination_resolution * ctx.task_coordination)
                       / (1.0 + b.coordination_resolution) * r)
            r = min(max(r + grow - resolve, 0.0), 1.0)
            out_res[i] = r
            unresolved = min(max((r - b.dropout_threshold) / (1.0 - b.dropout_threshold), 0.0), 1.0)
            hazard = min(b.dropout_hazard * unresolved + b.outside_break_rate * float(s.mobility[i]), 1.0)
            drop[i] = draws.dropout[i] < hazard
        # --- separations (M16)
        if st == EMPLOYED:
            tenure = ctx.month - int(s.hire_month[i])
            current = (b.fit_value * s.job_fit[i] + s.job_prospects[i] + b.familiarity_value * bool(s.job_familiar[i])
                       + s.job_quality[i] + b.craft_value * x[CRAFT] + b.tenure_value * min(tenure, b.tenure_value_cap))
            offer = b.fit_value * b.offer_fit_mean + b.offer_sd * draws.offer_value[i]
            if draws.offer[i] < min(b.offer_rate * s.mobility[i], 1.0) and offer > current + b.switching_cost:
                quit[i] = True
                offer_quality[i] = b.offer_match_known * b.offer_sd * draws.offer_value[i]
            elif (1 <= tenure <= b.dismissal_window
                  and draws.dismissal[i] < b.dismissal_rate * (1.0 - s.job_fit[i]) ** 2):
                dismissed[i] = True
    assert not math.isnan(float(out_sk.sum()))
    return StudentResult(out_sk, out_eng, out_res, drop, quit, dismissed, offer_quality, hours)
