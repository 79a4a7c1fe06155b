"""The agents: School, Firm, PartyMember; the levers each school and each firm sets.

Schools, firms and party members are Mesa agents whose numbers sit in the model's small arrays.
Students are many: they are rows of the model's student arrays (``sim.state.Students``,
docs/odd.md §2), so the monthly updates are vectorised over all of them; no Mesa object is made
per student, since nothing would read it.

**Whose lever is it.**  The policy levers of the schema (``sim/params.py``) are a school's or a
firm's to set (docs/odd.md §11 "Agents and decisions"):

- a school's: ``communication.*`` (meetings and their depth, seminars, online platform, needs
  survey), ``goal_alignment.weight``, ``school_cooperation.*`` (task coordination, counselling,
  grade sharing, joint evaluation), ``party_building.*`` (the school's party organisation: its
  mode, the alliance it joins, co-mentoring, talent pool, teachers' practice, supervision) and
  ``craftsman.*`` (工匠精神 is taught in the school's classes, follows its students into practice
  as the school's programme, and the school enters its students in competitions, P1 §三(三));
- a firm's: ``firm_support.*`` (resources, front-line share, apprenticeship and order-class
  places, mentors, joint projects, intern allowance), and three decisions outside the schema
  (``sim.policy``): leave a partnership, accept new partners, how many graduates to hire.

A partnership reads its school's levers and its firm's.  The scenario's value of a lever is the
rule every agent starts from; ``[[agents.schools]]`` / ``[[agents.firms]]`` tables of a scenario
file set it for some agents (``sim.scenario``), and an agent's policy may change it each
September (``sim.policy``).  The model keeps the values as one array per lever over the schools
(:attr:`CooperationModel.school_levers`) or the firms (:attr:`CooperationModel.firm_levers`), so
the monthly updates stay vectorised; the School and Firm agents own the decisions that write them.
"""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from .params import AGENT_TABLES, FIRM_SECTIONS, SCHOOL_SECTIONS, SECTIONS, SIDES, side_keys
from .state import PARTY_MODES

if TYPE_CHECKING:
    from .model import CooperationModel
    from .policy import Policy

__all__ = ["AGENT_TABLES", "FIRM_SECTIONS", "SCHOOL_SECTIONS", "SIDES", "side_keys", "LeverArrays",
           "School", "Firm", "PartyMember"]


def lever_field(key: str) -> dataclasses.Field:
    section, name = key.split(".", 1)
    return {f.name: f for f in dataclasses.fields(SECTIONS[section])}[name]


def encode(f: dataclasses.Field, value: Any) -> Any:
    """A lever's value as it is stored in its array: a choice as its code, the rest as it is."""
    return PARTY_MODES[value] if f.metadata.get("choices") else value


def decode(f: dataclasses.Field, value: Any) -> Any:
    """A stored value back as the schema's Python value (``"integrated"``, ``True``, ``0.7``, ``6``)."""
    if f.metadata.get("choices"):
        return {v: k for k, v in PARTY_MODES.items()}[int(value)]
    default = f.default
    if isinstance(default, bool):
        return bool(value)
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


class LeverArrays:
    """The levers one side sets, each an array over that side's agents, named by the lever's key
    without its section: ``model.school_levers.depth[s]``, ``model.firm_levers.resources[f]``
    (``party_building.mode`` is stored as its code, ``sim.state.PARTY_MODES``).  Filled with the
    scenario's values, so that a model without per-agent values computes exactly as with scalars."""

    def __init__(self, side: str, params: Any, n: int) -> None:
        self.attr: dict[str, str] = {}
        for key in side_keys(side):
            section, name = key.split(".", 1)
            f = lever_field(key)
            setattr(self, name, np.full(n, encode(f, getattr(getattr(params, section), name))))
            self.attr[key] = name

    def set(self, key: str, ids: Any, value: Any) -> None:
        """Set lever ``key`` (already checked against the schema) for the agents ``ids``."""
        getattr(self, self.attr[key])[ids] = encode(lever_field(key), value)

    def get(self, key: str, i: int) -> Any:
        return decode(lever_field(key), getattr(self, self.attr[key])[i])

    def of(self, i: int) -> dict[str, Any]:
        """Every lever of agent ``i``, by key, as schema values."""
        return {key: self.get(key, i) for key in self.attr}

    if TYPE_CHECKING:     # the levers are set from the schema: each is an array (for the type checker only)
        def __getattr__(self, name: str) -> np.ndarray: ...


class School(mesa.Agent):
    """A higher vocational college (高职院校) or its industry college (产业学院)."""

    side = "school"

    def __init__(self, model: "CooperationModel", index: int) -> None:
        super().__init__(model)
        self.index = index
        from .policy import RulePolicy
        self.policy: "Policy" = RulePolicy()

    @property
    def seat(self) -> str:
        return f"school:{self.index}"

    @property
    def levers(self) -> dict[str, Any]:
        """This school's current levers (its per-agent values), by key."""
        return self.model.school_levers.of(self.index)

    def decide_year(self) -> None:
        """Each September of a round: ask the policy for this year's levers and set them."""
        self.model.decide(self)

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

    side = "firm"

    def __init__(self, model: "CooperationModel", index: int, ownership: str) -> None:
        super().__init__(model)
        self.index = index
        self.ownership = ownership
        from .policy import RulePolicy
        self.policy: "Policy" = RulePolicy()

    @property
    def seat(self) -> str:
        return f"firm:{self.index}"

    @property
    def levers(self) -> dict[str, Any]:
        """This firm's current levers and decisions, by key."""
        return self.model.firm_levers.of(self.index) | self.model.firm_decisions(self.index)

    def decide_year(self) -> None:
        """Each September of a round: ask the policy for this year's levers and decisions."""
        self.model.decide(self)

    @property
    def partners(self) -> list[int]:
        """Schools this firm is in partnership with now."""
        p = self.model.partnerships
        act = p.active()
        return [int(s) for s in p.school[act][p.firm[act] == self.index]]

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
