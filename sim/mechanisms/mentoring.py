"""M5 mentor workload and M9 party-building contact quality.

Sources: P1 §一 problem 3 (teachers' and engineers' workloads limit mentoring; party-member
numbers are limited), P1 §三(二) (party-member teachers and engineers co-mentor), P2 §三.2(2)
(apprenticeship 1:1 mentoring).

Quality of mentoring falls when the load exceeds capacity: ``q = min(1, capacity / load)``.
Engineers: capacity = mentors × interns each; without mentors, a floor.  Party-member
teachers: their hours are shared with communication (M1), so talk reduces their capacity.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..state import ENROLLED, INTERNING

if TYPE_CHECKING:
    from ..model import CooperationModel



def mentor_quality(model: "CooperationModel", interns_per_firm: np.ndarray) -> np.ndarray:
    b, fs = model.params.behaviour, model.params.firm_support
    cap = fs.mentors_per_firm * b.engineer_capacity
    q = np.where(interns_per_firm > 0, np.minimum(1.0, cap / np.maximum(interns_per_firm, 1)), 1.0)
    return np.maximum(q, b.no_mentor_quality) if fs.mentors_per_firm == 0 else q


def party_quality(model: "CooperationModel", status: np.ndarray, school: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(class contact, intern co-mentoring) quality per school; zero unless integrated."""
    S = model.n_schools
    pb, b = model.params.party_building, model.params.behaviour
    if pb.mode != "integrated":
        return np.zeros(S), np.zeros(S)
    members = np.array([len(m) for m in model.party_members_by_school], float)
    enrolled = np.bincount(school[status == ENROLLED], minlength=S).astype(float)
    interns = np.bincount(school[status == INTERNING], minlength=S).astype(float)
    free = np.clip(1.0 - model.comm_hours / np.maximum(members * b.teacher_hours_per_month, 1e-9), 0.0, 1.0)
    load_factor = b.co_mentoring_load if pb.co_mentoring else 1.0
    cap = members * b.teacher_capacity * free
    practice = np.where(interns > 0, np.minimum(1.0, cap / np.maximum(interns * load_factor, 1)), 0.0)
    classq = np.where(enrolled > 0, np.minimum(1.0, members * b.class_contact / np.maximum(enrolled, 1)), 0.0)
    return classq, practice
