"""The monthly student update, vectorised over all students (M3, M4, M6, M9, M12, M16).

``update_students`` is the fast path used by the model; ``update_students_reference`` applies
the same rules one student at a time, in plain Python, for readability and for the tests
and benchmark that compare the two on the same random draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..state import APPRENTICE, CIVIC, CRAFT, EMPLOYED, INNOVATION, INTERNING, MONTHS_PER_YEAR, NORM_FLOOR
from . import engagement as eng_mod
from . import labour_market, learning
from .context import MonthContext, StudentDraws


@dataclass
class StudentSlice:
    """Copies of the student columns the update reads (rows of the active students)."""

    school: np.ndarray
    status: np.ndarray
    firm: np.ndarray  # intern firm while interning, employer while employed
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
    programme: np.ndarray
    wage: np.ndarray
    job_align: np.ndarray
    in_field: np.ndarray  # the internship is in the student's own field (M6 poor fit)


@dataclass
class StudentResult:
    skills: np.ndarray
    engagement: np.ndarray
    resistance: np.ndarray
    dropout: np.ndarray
    separations: labour_market.Separations  # quits (with reason and accepted offer) and dismissals
    party_hours: np.ndarray  # hours of party activity this month (M9), zero for those not learning
    learners: slice = slice(0, 0)  # the block of rows with every learner: skills and party hours change only there

    @property
    def quit(self) -> np.ndarray:
        return self.separations.quit

    @property
    def dismissed(self) -> np.ndarray:
        return self.separations.dismissed


def update_students(ctx: MonthContext, s: StudentSlice, draws: StudentDraws) -> StudentResult:
    """Vectorised: learning, then engagement and resistance, then separations.  Where no row learns
    (graduates), the result's skills are ``s.skills`` itself: nothing changed."""
    learning_now = s.status <= INTERNING  # only students in school or practice learn
    firm = np.maximum(s.firm, 0)
    hours = np.zeros(len(s.status))
    skills = s.skills
    at = np.flatnonzero(learning_now)
    b = slice(0, 0)
    if len(at):
        skills = s.skills.copy()
        # the learners lie in one block of rows (the cohorts in school come last); the rules are
        # row by row, so they are applied to the block's slices (no gathered copies) and kept for
        # the learners only: the same numbers as on the learners alone
        b = slice(int(at[0]), int(at[-1]) + 1)
        learner = learning_now[b]
        hours[b] = np.where(learner, learning.party_hours(ctx, s.school[b], s.status[b], firm[b]), 0.0)
        rate = learning.growth_rates(ctx, s.school[b], s.status[b], firm[b], s.frontline[b], s.track[b], hours[b])
        np.copyto(skills[b], learning.grow(s.skills[b], rate, s.engagement[b], out=rate), where=learner[:, None])
    eng, res, drop = eng_mod.update(
        ctx,
        s.status,
        firm,
        s.frontline,
        skills,
        s.engagement,
        s.resistance,
        draws.dropout,
        s.in_field,
        s.mobility,
        s.school,
    )
    sep = labour_market.separations(
        ctx,
        s.status,
        s.hire_month,
        s.firm,
        s.programme,
        s.wage,
        s.job_align,
        s.job_prospects,
        s.job_familiar,
        s.job_quality,
        skills,
        s.mobility,
        draws,
    )
    return StudentResult(skills, eng, res, drop, sep, hours, b)


def update_students_reference(ctx: MonthContext, s: StudentSlice, draws: StudentDraws) -> StudentResult:
    """The same rules, one student at a time (slow; for tests and the benchmark)."""
    b = ctx.behaviour
    n, d = s.skills.shape
    out_sk = s.skills.copy()
    out_eng = s.engagement.copy()
    out_res = s.resistance.copy()
    drop = np.zeros(n, bool)
    hours = np.zeros(n)
    eta = learning.civic_per_hour(b, d)
    sep = labour_market.Separations.none(n)
    F, P = len(ctx.firm_field), ctx.programmes
    pools = [[f for f in range(F) if ctx.firm_field[f] == fld] for fld in range(P)]
    sd_pay, sd_pros, sd_fit, sd_other = labour_market.offer_spreads(b)
    value_of_pay = sd_pay / b.offer_pay_sd

    def level(v, f):
        return sum(v[k] * ctx.firm_needs[f, k] for k in range(d)) / b.productive_ability

    def cos(v, f):
        norm = math.sqrt(sum(a * a for a in v)) * math.sqrt(sum(c * c for c in ctx.firm_needs[f]))
        return sum(v[k] * ctx.firm_needs[f, k] for k in range(d)) / max(norm, NORM_FLOOR)

    def log_pay(lev, in_field):
        return (
            math.log(b.graduate_start_wage)
            + b.pay_elasticity * math.log(lev / b.pay_reference_level)
            - (0.0 if in_field else b.out_of_field_pay)
        )

    for i in range(n):
        st = int(s.status[i])
        sc = int(s.school[i])
        f = max(int(s.firm[i]), 0)
        x = [float(v) for v in s.skills[i]]
        # --- learning (M3, M4, M9, M12)
        if st <= INTERNING:
            # party activity (M9): lectures or guidance in school; teacher and engineer in practice
            if st == INTERNING:
                h = ctx.party_practice[sc] * (
                    b.teacher_hours_per_month / b.teacher_capacity + ctx.party_engineer[sc, f]
                )
            else:
                h = ctx.party_class[sc]
            hours[i] = h
            rate = [b.school_learning_rate * d * ctx.curriculum[sc, k] * ctx.teacher_quality[sc] for k in range(d)]
            rate[CRAFT] += b.school_learning_rate * ctx.craft_intensity[sc] * b.craft_class_gain
            rate[CIVIC] += b.school_learning_rate * ctx.craft_intensity[sc] * b.craft_civic_gain
            rate[CIVIC] += eta * h
            if st == INTERNING:
                challenge = b.frontline_challenge if s.frontline[i] else b.marginal_challenge
                bonus = 1.0 if "M4" in ctx.off else b.apprenticeship_bonus
                mq = ctx.mentor_quality[f] * (bonus if s.track[i] == APPRENTICE else 1.0)
                rate = [b.practice_learning_rate * d * ctx.firm_needs[f, k] * challenge * mq for k in range(d)]
                rate[INNOVATION] += b.project_innovation_rate * ctx.projects[sc, f]
                rate[CRAFT] += b.practice_learning_rate * ctx.craft_intensity[sc] * challenge
                rate[CIVIC] += eta * h
            if ctx.competition[sc]:
                rate[INNOVATION] += b.competition_gain
                rate[CRAFT] += b.competition_gain * (b.competition_craft_base + ctx.craft_intensity[sc])
            e = float(s.engagement[i])
            x = [min(max(x[k] + rate[k] * e * (1.0 - x[k]), 0.0), 1.0) for k in range(d)]
            out_sk[i] = x
        # --- engagement and resistance (M6; with M6 off they stay as they are and nothing breaks)
        r = float(s.resistance[i])
        e = float(s.engagement[i])
        m6 = "M6" not in ctx.off
        if st == INTERNING:
            target = (
                b.engagement_base
                + b.support_engagement * (ctx.firm_support[f] - b.support_reference)
                + b.frontline_engagement * bool(s.frontline[i])
                - b.resistance_penalty * r
            )
        else:
            target = b.engagement_base
        if m6:
            out_eng[i] = min(max(e + b.engagement_rate * (target - e), 0.0), 1.0)
        if st == INTERNING and m6:
            difficulty = b.frontline_difficulty if s.frontline[i] else b.marginal_difficulty
            ability = sum(x[k] * ctx.firm_needs[f, k] for k in range(d))
            mismatch = max(abs(difficulty - ability) - b.mismatch_tolerance, 0.0)
            in_field = bool(s.in_field[i])
            source = (
                mismatch
                + (0.0 if in_field else b.out_of_field_resistance)
                + b.supervision_resistance * (1.0 - ctx.mentor_quality[f])
            )
            grow = (
                b.resistance_rate * source * (1.0 - b.coordination_prevention * ctx.task_coordination[sc]) * (1.0 - r)
            )
            resolve = (
                b.resolution_rate
                * (ctx.counselling[sc] + b.coordination_resolution * ctx.task_coordination[sc])
                / (1.0 + b.coordination_resolution)
                * r
            )
            r = min(max(r + grow - resolve, 0.0), 1.0)
            out_res[i] = r
            unresolved = min(max((r - b.dropout_threshold) / (1.0 - b.dropout_threshold), 0.0), 1.0)
            hazard = min(b.dropout_hazard * unresolved + b.outside_break_rate * float(s.mobility[i]), 1.0)
            drop[i] = draws.dropout[i] < hazard
        # --- separations (M16; none with M16 off)
        if st == EMPLOYED and "M16" not in ctx.off:
            tenure = ctx.month - int(s.hire_month[i])
            prog = int(s.programme[i])
            # the offer's post
            u, q = float(draws.offer_post[i]), b.offer_in_field_share
            v = u / q if u < q else (u - q) / (1.0 - q)
            if u < q or P <= 1:
                o_in, fld, pick = True, prog, v
            else:
                j = min(int(v * (P - 1)), max(P - 1, 1) - 1)
                o_in, fld, pick = False, (prog + 1 + j) % P, v * (P - 1) - j
            pool = pools[fld] or list(range(F))
            of = pool[min(int(pick * len(pool)), len(pool) - 1)]
            # pay: outsiders see only part of craft
            seen = list(x)
            seen[CRAFT] = b.craft_visibility * x[CRAFT] + (1.0 - b.craft_visibility) * ctx.market_craft_belief
            premium = b.offer_pay_sd * draws.offer_pay[i]
            d_pay = value_of_pay * (
                log_pay(level(seen, of), o_in)
                + premium
                - math.log(s.wage[i])
                - b.tenure_pay_growth * min(tenure, b.tenure_value_cap) / MONTHS_PER_YEAR
            )
            pros_draw = sd_pros * draws.offer_prospects[i]
            d_pros = (
                b.prospects_value * (b.outside_prospects + b.strength_prospects * ctx.firm_strength[of])
                + pros_draw
                - s.job_prospects[i]
            )
            now = int(s.firm[i])
            fit_draw = sd_fit * draws.offer_fit[i] * (ctx.firm_field[of] != ctx.firm_field[now])
            phi_off = 1.0 if o_in else b.out_of_field_fit
            d_fit = b.fit_value * (cos(x, of) * phi_off - s.job_align[i]) + fit_draw
            other_draw = sd_other * draws.offer_value[i]
            d_other = other_draw - s.job_quality[i]
            hold = (
                b.familiarity_value * bool(s.job_familiar[i])
                + b.craft_value * x[CRAFT]
                + b.tenure_value * min(tenure, b.tenure_value_cap)
                + b.switching_cost
            )
            gains = [d_pay, d_pros, d_fit, d_other]
            if draws.offer[i] < min(b.offer_rate * s.mobility[i], 1.0) and sum(gains) > hold:
                sep.quit[i] = True
                sep.reason[i] = max(range(len(gains)), key=lambda k: (gains[k], -k))
                sep.offer_firm[i] = of
                sep.offer_premium[i] = premium
                sep.offer_prospects[i] = b.offer_match_known * pros_draw
                sep.offer_quality[i] = b.offer_match_known * (fit_draw + other_draw)
            elif 1 <= tenure <= b.dismissal_window and draws.dismissal[i] < b.dismissal_rate * max(
                1.0 - level(x, now) * b.productive_ability / ctx.dismissal_ability, 0.0
            ):
                sep.dismissed[i] = True
    assert not math.isnan(float(out_sk.sum()))
    return StudentResult(out_sk, out_eng, out_res, drop, sep, hours)
