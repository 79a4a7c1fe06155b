"""Teaching and practice: the month's vectorised update of every student in school, in practice or in
follow-up (docs/odd.md §3, step 5): skill growth (M3, M4, M9, M12) with mentoring quality (M5);
engagement, resistance and counselling, placements that break (M6); outside offers, quits and
dismissals (M16); and the school staff time that placements cost (reported months).

:func:`month_context` gathers what the update needs to know this month (it reads the model and
changes nothing); :func:`sim.mechanisms.student_update.update_students` computes the update;
:func:`teach_and_practise` writes it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..state import INTERNING, LONG_INTERNSHIP_MONTHS, PROGRAMME_MONTHS, UNEMPLOYED, UPDATE_ROWS, month_position
from . import firm_accounting, honour, internships, labour_market, mentoring
from .context import MonthContext, StudentDraws
from .student_update import StudentSlice, update_students

if TYPE_CHECKING:
    from ..model import CooperationModel


def month_context(model: "CooperationModel", rows: np.ndarray | slice) -> MonthContext:
    """What the student update needs to know this month (reads the model, changes nothing)."""
    st = model.students
    craftsman, school_cooperation = (
        model.school_levers_for("M12").craftsman,
        model.school_levers_for("M6").school_cooperation,
    )
    pclass, pprac, pengineer = mentoring.party_contact(
        model, st.status[rows], st.school[rows], np.maximum(st.intern_firm[rows], 0)
    )
    act = model.partnerships.active()
    running = act[model.partnerships.project_left[act] > 0]  # joint projects under way (M14)
    projects = np.zeros((model.n_schools, model.n_firms))
    projects[model.partnerships.school[running], model.partnerships.firm[running]] = 1.0
    support = np.zeros(model.n_firms)
    np.maximum.at(
        support,
        model.partnerships.firm[act],
        firm_accounting.effective_resources(model, model.partnerships.firm[act], model.partnerships.willingness[act]),
    )
    return MonthContext(
        month=model.t,
        curriculum=model.curriculum,
        teacher_quality=model.teacher_quality,
        party_class=pclass,
        party_practice=pprac,
        firm_needs=model.firm_needs,
        mentor_quality=model.mentor_q,
        firm_support=support,
        party_engineer=pengineer,
        projects=projects,
        craft_intensity=craftsman.intensity if model.active("M12") else np.zeros(model.n_schools),
        competition=honour.competition_schools(model),
        task_coordination=school_cooperation.task_coordination,
        counselling=school_cooperation.counselling,
        firm_field=model.firm_field,
        firm_strength=model.firm_strength,
        programmes=model.params.population.programmes,
        behaviour=model.params.behaviour,
        off=model.off,
        market_craft_belief=model.market_craft_belief,
        dismissal_ability=model.dismissal_ability,
    )


def student_slice(model: "CooperationModel", rows: np.ndarray | slice) -> StudentSlice:
    st = model.students
    status = st.status[rows]
    firm = np.where(status == INTERNING, st.intern_firm[rows], st.employer[rows])
    return StudentSlice(
        school=st.school[rows],
        status=status,
        firm=firm,
        frontline=st.frontline[rows],
        track=st.track[rows],
        skills=st.skills[rows],
        engagement=st.engagement[rows],
        resistance=st.resistance[rows],
        hire_month=st.hire_month[rows],
        job_fit=st.job_fit[rows],
        job_prospects=st.job_prospects[rows],
        job_familiar=st.job_familiar[rows],
        job_quality=st.job_quality[rows],
        mobility=st.mobility[rows],
        in_field=st.intern_in_field[rows],
        programme=st.programme[rows],
        wage=st.wage[rows],
        job_align=st.job_align[rows],
    )


def teach_and_practise(model: "CooperationModel") -> None:
    """Learning, mentoring, party contact, resistance and separations for all students at once.

    Works on a contiguous window of rows (views, no gather/scatter copies): at ten times
    the students, copying the columns cost more than the update itself.  The update is row by row
    (each row reads its own columns and the month's context), so it runs on blocks of
    ``UPDATE_ROWS`` rows (sim/state.py) in turn, each written back before the next: a province's
    two million rows are never copied whole, and the temporaries stay in the processor's cache.
    The draws are made first, for the whole window, and the breaks and separations applied last,
    in row order: the same numbers as one pass over the window (docs/odd.md §3, step 5)."""
    st = model.students
    rows = model.tracked_window()
    first = rows.start
    ctx = month_context(model, rows)
    graduates = month_position(st.enrol_month[rows], model.t - PROGRAMME_MONTHS, "right")
    interns = model.cohort_rows(model.t - PROGRAMME_MONTHS, model.t - PROGRAMME_MONTHS + LONG_INTERNSHIP_MONTHS)
    draws = StudentDraws.draw(
        model.streams["learning"],
        rows.stop - rows.start,
        graduates,
        breaks=model.streams["breaks"],
        interns=slice(interns.start - first, interns.stop - first),
        buffers=model.draw_buffers,
    )
    b = model.params.behaviour
    dropouts: list[np.ndarray] = []
    separations: list[tuple[int, labour_market.Separations]] = []
    interns_at = np.zeros(model.n_schools, np.int64)  # interns per school (staff time, below)
    resistant_at = np.zeros(model.n_schools, np.int64)  # of them, those counselled for resistance
    for start in range(0, max(rows.stop - rows.start, 1), UPDATE_ROWS):
        block = slice(start, min(start + UPDATE_ROWS, rows.stop - rows.start))
        at = slice(first + block.start, first + block.stop)  # the block's rows in the arrays
        status = st.status[at].copy()
        res = update_students(ctx, student_slice(model, at), draws.rows(block))
        if res.learners.stop > res.learners.start:  # only students in school or practice learn
            learnt = slice(at.start + res.learners.start, at.start + res.learners.stop)
            st.skills[learnt] = res.skills[res.learners]
            st.party_contact[learnt] += res.party_hours[res.learners]  # hours of party activity (M9 → M11)
        np.copyto(st.engagement[at], res.engagement, where=status <= UNEMPLOYED)
        st.resistance[at] = res.resistance  # only interns change
        interning = status == INTERNING
        school = st.school[at]
        interns_at += np.bincount(school[interning], minlength=model.n_schools)
        resistant_at += np.bincount(
            school[interning & (res.resistance > b.counselled_resistance)], minlength=model.n_schools
        )
        dropouts.append(at.start + np.flatnonzero(res.dropout))
        separations.append((at.start, res.separations))
    internships.break_placements(model, np.concatenate(dropouts))  # M6 broken placements
    labour_market.separate(model, separations)  # M16 quits (moves) and dismissals
    # school staff time (valued at the staff wage)
    if model.reporting:
        school_cooperation = model.school_levers.school_cooperation
        hours = (
            model.comm_hours
            + interns_at * school_cooperation.task_coordination * b.coordination_hours
            + resistant_at * school_cooperation.counselling * b.counselling_hours
        )
        model.school_costs += hours * b.staff_wage
