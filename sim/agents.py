"""The four kinds of agents: School, Firm, PartyMember, Student.

Schools, firms and party members are plain Mesa agents whose numbers sit in the model's
small arrays; Student agents are thin views that index into the model's student arrays
(MODEL.md §8), so the monthly updates can be vectorised over all students.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from .state import DIMS, STATUS_NAMES, TRACK_NAMES

if TYPE_CHECKING:
    from .model import CooperationModel


class School(mesa.Agent):
    """A higher vocational college (高职院校) or its industry college (产业学院)."""

    def __init__(self, model: "CooperationModel", index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def goal(self) -> np.ndarray:
        return self.model.school_goal[self.index]

    @property
    def belief(self) -> np.ndarray:
        return self.model.school_belief[self.index]

    @property
    def curriculum(self) -> np.ndarray:
        return self.model.curriculum[self.index]

    @property
    def teacher_quality(self) -> float:
        return float(self.model.teacher_quality[self.index])

    @property
    def reputation(self) -> float:
        return float(self.model.school_reputation[self.index])

    @property
    def partners(self) -> list[int]:
        p = self.model.partnerships
        act = p.active()
        return [int(f) for f in p.firm[act][p.school[act] == self.index]]


class Firm(mesa.Agent):
    """A firm of the region: one field, an ownership type, needs, capability, reputation."""

    def __init__(self, model: "CooperationModel", index: int, ownership: str) -> None:
        super().__init__(model)
        self.index = index
        self.ownership = ownership

    @property
    def field(self) -> int:
        return int(self.model.firm_field[self.index])

    @property
    def needs(self) -> np.ndarray:
        return self.model.firm_needs[self.index]

    @property
    def has_party_organisation(self) -> bool:
        return bool(self.model.firm_party_org[self.index])

    @property
    def capability(self) -> float:
        return float(self.model.firm_strength[self.index])


class PartyMember(mesa.Agent):
    """A party-member teacher of a school (P1 §三(二)); mentoring capacity and workload."""

    def __init__(self, model: "CooperationModel", school: int, capacity: float) -> None:
        super().__init__(model)
        self.school = school
        self.capacity = capacity
        self.workload = 0.0


class Student(mesa.Agent):
    """A thin view of one row of the model's student arrays."""

    def __init__(self, model: "CooperationModel", row: int) -> None:
        super().__init__(model)
        self.row = row

    @property
    def skills(self) -> dict[str, float]:
        return dict(zip(DIMS, self.model.students.skills[self.row].tolist()))

    @property
    def status(self) -> str:
        return STATUS_NAMES[int(self.model.students.status[self.row])]

    @property
    def track(self) -> str:
        return TRACK_NAMES[int(self.model.students.track[self.row])]

    @property
    def employer(self) -> int:
        return int(self.model.students.employer[self.row])
