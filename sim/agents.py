"""The agents: School, Firm, PartyMember.

Schools, firms and party members are plain Mesa agents whose numbers sit in the model's
small arrays.  Students are many: they are rows of the model's student arrays
(``sim.state.Students``, MODEL.md §8), so the monthly updates are vectorised over all of them;
no Mesa object is made per student, since nothing would read it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np


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
    """A party-member teacher of a school (P1 §三(二)): the school's party-member headcount sets
    how many students and interns party members can reach (M5, M9, M11)."""

    def __init__(self, model: "CooperationModel", school: int) -> None:
        super().__init__(model)
        self.school = school
