"""The agents: School and Firm, the levers each sets and the decisions each takes (docs/odd.md §2, §11).

Schools and firms are Mesa agents.  Students are many: they are rows of the model's student arrays
(``sim.state.Students``, docs/odd.md §2), so the monthly updates are vectorised over all of them; no
Mesa object is made per student, since nothing would read it.  Party-member teachers are a count per
school (:attr:`School.party_members`, ``model.party_members``): what they do (guide students, mentor
interns, practise in firms, M5, M9, M11) depends on how many a school has, not on who they are.

**Whose lever is it** (docs/odd.md §11).  The policy levers of the schema (``sim/params.py``) are a
school's (``SCHOOL_SECTIONS``: ``communication``, ``goal_alignment``, ``school_cooperation``,
``party_building``, ``craftsman``) or a firm's (``FIRM_SECTIONS``: ``firm_support``), and a firm takes
four decisions outside the schema (``sim.policy.FIRM_DECISIONS``): leave a partnership, let the M8 rule
decide its partnerships or not, accept new partners, how many graduates to hire.

**Who decides.**  Each agent holds a policy (``sim.policy``: the rule, a logged schedule or a human).
At each round's September :meth:`School.decide_year` / :meth:`Firm.decide_year` asks it for the
year's decisions and applies them to the agent's own row of the lever arrays (``sim.levers``;
``model.school_levers``, ``model.firm_levers``, one array per lever over the agents, so the monthly
mechanisms stay vectorised) and of the firm's decision arrays.  A firm's monthly stay-or-leave
decision is the M8 rule while the firm leaves its partnerships to the rule
(``partnership:leave_by_rule``, :func:`sim.mechanisms.partnerships.exits`), else only its own
``partnership:school<k>:leave`` ends a partnership (outside shocks aside).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa

from . import policy as pol
from .lever_arrays import FirmLevers, SchoolLevers
from .levers import decode, encode, lever_field
from .mechanisms import partnerships
from .params import AGENT_TABLES, FIRM_SECTIONS, SCHOOL_SECTIONS, SIDES, side_keys

if TYPE_CHECKING:
    from .model import CooperationModel
    from .policy import Decision, Policy

__all__ = [
    "AGENT_TABLES",
    "FIRM_SECTIONS",
    "SCHOOL_SECTIONS",
    "SIDES",
    "side_keys",
    "SchoolLevers",
    "FirmLevers",
    "School",
    "Firm",
    "lever_field",
    "encode",
    "decode",
]


class School(mesa.Agent):
    """A higher vocational college (高职院校) or its industry college (产业学院): it sets its own levers
    (``model.school_levers``, its row ``index``) and has ``party_members`` party-member teachers."""

    side = "school"

    def __init__(self, model: "CooperationModel", index: int) -> None:
        super().__init__(model)
        self.index = index
        self.policy: "Policy" = pol.RulePolicy()

    @property
    def seat(self) -> str:
        return f"school:{self.index}"

    @property
    def levers(self) -> dict[str, Any]:
        """This school's current levers (its per-agent values), by key."""
        return self.model.school_levers.of(self.index)

    @property
    def party_members(self) -> int:
        """Party-member teachers of this school (P1 §三(二); M5, M9, M11 read the count)."""
        return int(self.model.party_members[self.index])

    @property
    def partners(self) -> list[int]:
        """Firms this school is in partnership with now."""
        p = self.model.partnerships
        act = p.active()
        return [int(f) for f in p.firm[act][p.school[act] == self.index]]

    def decide_year(self, round: int) -> list["Decision"]:
        """At the September of ``round``: ask the policy for this year's decisions and set them on this
        school's own levers; the decisions taken."""
        decisions = self.policy.decide(self, round)
        for d in decisions:
            self.model.school_levers.set(d.lever, self.index, d.value)
        return decisions


class Firm(mesa.Agent):
    """A firm of the region: one field, an ownership type, needs, capability, reputation.  It sets its
    own levers (``model.firm_levers``, its row ``index``) and takes the decisions outside the schema:
    leave a partnership, leave its partnerships to the M8 rule or not, accept new partners, hire."""

    side = "firm"

    def __init__(self, model: "CooperationModel", index: int) -> None:
        super().__init__(model)
        self.index = index
        self.policy: "Policy" = pol.RulePolicy()

    @property
    def seat(self) -> str:
        return f"firm:{self.index}"

    @property
    def levers(self) -> dict[str, Any]:
        """This firm's current levers and decisions outside the schema, by key (as a decision log writes them)."""
        m, i = self.model, self.index
        target = int(m.firm_hire_target[i])
        return m.firm_levers.of(i) | {
            pol.ACCEPT_NEW: bool(m.firm_accepts_new[i]),
            pol.LEAVE_BY_RULE: bool(m.firm_leaves_by_rule[i]),
            pol.HIRE: pol.RULE if target < 0 else target,
        }

    @property
    def partners(self) -> list[int]:
        """Schools this firm is in partnership with now."""
        p = self.model.partnerships
        act = p.active()
        return [int(s) for s in p.school[act][p.firm[act] == self.index]]

    def decide_year(self, round: int) -> list["Decision"]:
        """At the September of ``round``: ask the policy for this year's decisions and take them; the
        decisions taken."""
        decisions = self.policy.decide(self, round)
        for d in decisions:
            self.take(d)
        return decisions

    def take(self, d: "Decision") -> None:
        """Take one checked decision: set a lever or a decision of this firm's, or leave a partnership."""
        m, i = self.model, self.index
        if d.lever in m.firm_levers.keys:
            m.firm_levers.set(d.lever, i, d.value)
        elif d.lever == pol.ACCEPT_NEW:
            m.firm_accepts_new[i] = d.value
        elif d.lever == pol.LEAVE_BY_RULE:
            m.firm_leaves_by_rule[i] = d.value
        elif d.lever == pol.HIRE:
            m.firm_hire_target[i] = -1 if d.value == pol.RULE else d.value
        elif d.value:  # partnership:school<k>:leave = true
            school = pol.LEAVE_RE.fullmatch(d.lever)
            assert school is not None, d.lever
            partnerships.end(m, int(school.group(1)), i, "firm_decision")
