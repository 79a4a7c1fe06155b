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

from ..state import ENROLLED, INTERNING, MONTHS_PER_YEAR

if TYPE_CHECKING:
    from ..model import CooperationModel



def mentor_quality(model: "CooperationModel", interns_per_firm: np.ndarray) -> np.ndarray:
    b, fs = model.params.behaviour, model.params.firm_support
    if not model.active("M5"):
        # M5 off: workload limits nothing; a host with engineers mentors every intern fully
        return np.full(model.n_firms, 1.0 if fs.mentors_per_firm > 0 else b.no_mentor_quality)
    cap = fs.mentors_per_firm * b.engineer_capacity
    q = np.where(interns_per_firm > 0, np.minimum(1.0, cap / np.maximum(interns_per_firm, 1)), 1.0)
    return np.maximum(q, b.no_mentor_quality) if fs.mentors_per_firm == 0 else q


def party_members(model: "CooperationModel") -> np.ndarray:
    """Party-member teachers per school (the PartyMember agents)."""
    return np.array([len(m) for m in model.party_members_by_school], float)


def co_mentoring_hosts(model: "CooperationModel") -> np.ndarray:
    """Firms where co-mentoring acts: integrated party building with co-mentoring, and a host with
    a party organisation (party-member engineers to pair with)."""
    pb = model.params.party_building
    on = pb.mode == "integrated" and pb.co_mentoring
    return model.firm_party_org & on


def party_contact(model: "CooperationModel", status: np.ndarray, school: np.ndarray,
                  firm: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Party activity this month: per school, the hours reaching a student in school and the share
    of its interns its party-member teachers can mentor (π); per host firm, the hours of a
    party-member engineer paired with the teacher.  An intern mentored by a party-member teacher
    gets ``teacher_hours_per_month / teacher_capacity`` hours from the teacher plus the engineer's
    (:func:`sim.mechanisms.learning.party_hours`).

    ``status``, ``school`` and ``firm`` (host firm of interns) are the rows being updated."""
    S, F = model.n_schools, model.n_firms
    pb, b = model.params.party_building, model.params.behaviour
    members = party_members(model)
    none_s, none_f = np.zeros(S), np.zeros(F)
    if not model.active("M9"):
        return none_s, none_s, none_f          # M9 off: no party activity reaches students, in any mode
    if pb.mode == "two_skins":
        # lectures beside education, given by party-member teachers; interns, away at firms, miss them
        return b.party_lecture_hours / MONTHS_PER_YEAR * (members > 0), none_s, none_f
    if pb.mode != "integrated":
        return none_s, none_s, none_f
    # in school: the share of students party-member teachers can guide (M5)
    enrolled = np.bincount(school[status == ENROLLED], minlength=S).astype(float)
    reach = np.where(enrolled > 0, np.minimum(1.0, members * b.class_contact / np.maximum(enrolled, 1)), 0.0)
    unlimited = not model.active("M5")       # M5 off: a school's party members, if any, reach everyone
    if unlimited:
        reach = ((enrolled > 0) & (members > 0)).astype(float)
    # in practice: teachers' time left after communication, shared among their interns; a
    # co-mentored intern costs co_mentoring_load times the time (pairing with the engineer)
    paired = co_mentoring_hosts(model)
    interning = status == INTERNING
    interns = np.bincount(school[interning], minlength=S).astype(float)
    co = np.bincount(school[interning], weights=paired[firm[interning]], minlength=S)
    load = interns + (b.co_mentoring_load - 1.0) * co
    free = np.clip(1.0 - model.comm_hours / np.maximum(members * b.teacher_hours_per_month, 1.0), 0.0, 1.0)
    cap = members * b.teacher_capacity * free
    served = np.where(load > 0, np.minimum(1.0, cap / np.maximum(load, 1)), 0.0)
    if unlimited:
        served = ((load > 0) & (members > 0)).astype(float)
    engineer_hours = paired * model.mentor_q * b.co_mentor_engineer_hours
    return b.party_guidance_hours * reach, served, engineer_hours
