"""The lever arrays of a school and of a firm, one dataclass per section of the schema.

Generated from sim/params.py by ``python -m sim.levers``: do not edit by hand (tests/test_levers.py
checks that this file is what the schema generates).  See sim/levers.py and docs/odd.md §11.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .levers import BoolArray, FloatArray, IntArray, LeverSection, LeverSet

__all__ = ['CommunicationLevers', 'GoalAlignmentLevers', 'SchoolCooperationLevers', 'PartyBuildingLevers', 'CraftsmanLevers', 'FirmSupportLevers', 'SchoolLevers', 'FirmLevers']


@dataclass
class CommunicationLevers(LeverSection):
    """``communication.*``: each lever an array over the schools."""

    SECTION: ClassVar[str] = "communication"
    meetings_per_year: IntArray
    depth: FloatArray
    online_platform: BoolArray
    seminars_per_year: IntArray
    needs_survey: BoolArray


@dataclass
class GoalAlignmentLevers(LeverSection):
    """``goal_alignment.*``: each lever an array over the schools."""

    SECTION: ClassVar[str] = "goal_alignment"
    weight: FloatArray


@dataclass
class SchoolCooperationLevers(LeverSection):
    """``school_cooperation.*``: each lever an array over the schools."""

    SECTION: ClassVar[str] = "school_cooperation"
    task_coordination: FloatArray
    counselling: FloatArray
    grade_sharing: BoolArray
    joint_evaluation: BoolArray


@dataclass
class PartyBuildingLevers(LeverSection):
    """``party_building.*``: each lever an array over the schools."""

    SECTION: ClassVar[str] = "party_building"
    mode: IntArray
    alliance: BoolArray
    co_mentoring: BoolArray
    talent_pool: BoolArray
    teacher_practice: FloatArray
    supervision: BoolArray


@dataclass
class CraftsmanLevers(LeverSection):
    """``craftsman.*``: each lever an array over the schools."""

    SECTION: ClassVar[str] = "craftsman"
    intensity: FloatArray
    competitions_per_year: IntArray


@dataclass
class FirmSupportLevers(LeverSection):
    """``firm_support.*``: each lever an array over the firms."""

    SECTION: ClassVar[str] = "firm_support"
    resources: FloatArray
    frontline_share: FloatArray
    apprenticeship_share: FloatArray
    order_class_share: FloatArray
    mentors_per_firm: IntArray
    joint_projects: FloatArray
    intern_allowance: FloatArray


@dataclass
class SchoolLevers(LeverSet):
    """The levers each school sets (``model.school_levers``): ``<section>.<lever>[s]``."""

    SIDE: ClassVar[str] = "school"
    communication: CommunicationLevers
    goal_alignment: GoalAlignmentLevers
    school_cooperation: SchoolCooperationLevers
    party_building: PartyBuildingLevers
    craftsman: CraftsmanLevers


@dataclass
class FirmLevers(LeverSet):
    """The levers each firm sets (``model.firm_levers``): ``<section>.<lever>[f]``."""

    SIDE: ClassVar[str] = "firm"
    firm_support: FirmSupportLevers
