"""M5 mentor workload and M9 party building: the hours of party activity that reach students.

Sources: P1 §一 problem 3 (teachers' and engineers' workloads limit mentoring; party-member
numbers are limited), P1 §一 problem 2 (两张皮: party work beside education), P1 §三(一)
(party-member teachers and party-member engineers guide and manage students together),
P2 §三.2(2) (apprenticeship 1:1 mentoring).

Quality of mentoring falls when the load exceeds capacity: ``q = min(1, capacity / load)``.
Engineers: capacity = mentors × interns each; without mentors, a floor.

Party building reaches students as hours of contact (the civic effect per hour is the same in
every mode, M3): ``two_skins`` = lectures beside education, a few hours a year for students in
school; ``integrated`` = party-member teachers guide students in school (reach limited by
their number, ``class_contact`` students each) and mentor interns (their hours shared with
communication, M1); with co-mentoring, the teacher pairs with a party-member engineer, which
adds the engineer's contact at hosts that have a party organisation (state firms, some private
ones, no foreign ones) and costs the teacher more time per intern.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..state import ENROLLED, INTEGRATED, INTERNING, MONTHS_PER_YEAR, TWO_SKINS

if TYPE_CHECKING:
    from ..model import CooperationModel


def mentor_quality(model: "CooperationModel", interns_per_firm: np.ndarray) -> np.ndarray:
    b, mentors = (
        model.params.behaviour,
        model.firm_levers_for("M5").firm_support.mentors_per_firm,
    )  # each firm's engineers
    if not model.active("M5"):
        # M5 off: workload limits nothing; a host with engineers mentors every intern fully
        return np.where(mentors > 0, 1.0, b.no_mentor_quality)
    cap = mentors * b.engineer_capacity
    q = np.where(interns_per_firm > 0, np.minimum(1.0, cap / np.maximum(interns_per_firm, 1)), 1.0)
    return np.where(mentors == 0, np.maximum(q, b.no_mentor_quality), q)


def mentor(model: "CooperationModel") -> None:
    """M5: this month's mentoring quality at each firm, for the interns it hosts now."""
    model.mentor_q = mentor_quality(model, interns_per_firm(model))


def interns_per_firm(model: "CooperationModel") -> np.ndarray:
    """Interns each firm hosts now."""
    st = model.students
    n = st.n
    interns = st.intern_firm[:n][st.status[:n] == INTERNING]
    return np.bincount(interns, minlength=model.n_firms).astype(float)


def party_members(model: "CooperationModel") -> np.ndarray:
    """Party-member teachers per school (``model.party_members``, :attr:`sim.agents.School.party_members`)."""
    return model.party_members.astype(float)


def co_mentoring_hosts(model: "CooperationModel") -> np.ndarray:
    """(schools × firms): where co-mentoring acts — a school with integrated party building and
    co-mentoring, and a host with a party organisation (party-member engineers to pair with)."""
    party_building = model.school_levers_for("M9").party_building
    on = (party_building.mode == INTEGRATED) & party_building.co_mentoring
    return on[:, None] & model.firm_party_org[None, :]


def party_contact(
    model: "CooperationModel", status: np.ndarray, school: np.ndarray, firm: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Party activity this month: per school, the hours reaching a student in school and the share
    of its interns its party-member teachers can mentor (π); per school and host firm, the hours
    of a party-member engineer paired with the teacher.  Each school's own party-building mode
    and choices (docs/odd.md §11).  An intern mentored by a party-member teacher
    gets ``teacher_hours_per_month / teacher_capacity`` hours from the teacher plus the engineer's
    (:func:`sim.mechanisms.learning.party_hours`).

    ``status``, ``school`` and ``firm`` (host firm of interns) are the rows being updated."""
    S, F = model.n_schools, model.n_firms
    mode, b = model.school_levers_for("M9").party_building.mode, model.params.behaviour
    members = party_members(model)
    none_s, none_sf = np.zeros(S), np.zeros((S, F))
    integrated = mode == INTEGRATED
    if not model.active("M9"):
        return none_s, none_s, none_sf  # M9 off: no party activity reaches students, in any mode
    # two skins: lectures beside education, given by party-member teachers; interns, away at firms, miss them
    lectures = b.party_lecture_hours / MONTHS_PER_YEAR * (members > 0)
    if not integrated.any():
        return np.where(mode == TWO_SKINS, lectures, 0.0), none_s, none_sf
    # integrated: in school: the share of students party-member teachers can guide (M5)
    enrolled = np.bincount(school[status == ENROLLED], minlength=S).astype(float)
    reach = np.where(enrolled > 0, np.minimum(1.0, members * b.class_contact / np.maximum(enrolled, 1)), 0.0)
    unlimited = not model.active("M5")  # M5 off: a school's party members, if any, reach everyone
    if unlimited:
        reach = ((enrolled > 0) & (members > 0)).astype(float)
    # in practice: teachers' time left after communication, shared among their interns; a
    # co-mentored intern costs co_mentoring_load times the time (pairing with the engineer)
    paired = co_mentoring_hosts(model)
    interning = status == INTERNING
    interns = np.bincount(school[interning], minlength=S).astype(float)
    co = np.bincount(school[interning], weights=paired[school[interning], firm[interning]], minlength=S)
    load = interns + (b.co_mentoring_load - 1.0) * co
    free = np.clip(1.0 - model.comm_hours / np.maximum(members * b.teacher_hours_per_month, 1.0), 0.0, 1.0)
    cap = members * b.teacher_capacity * free
    served = np.where(load > 0, np.minimum(1.0, cap / np.maximum(load, 1)), 0.0)
    if unlimited:
        served = ((load > 0) & (members > 0)).astype(float)
    engineer_hours = paired * model.mentor_q[None, :] * b.co_mentor_engineer_hours
    in_school = np.where(integrated, b.party_guidance_hours * reach, np.where(mode == TWO_SKINS, lectures, 0.0))
    return in_school, np.where(integrated, served, 0.0), engineer_hours
