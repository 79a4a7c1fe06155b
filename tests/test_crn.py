"""Common random numbers hold for every lever (docs/odd.md §4).

Each mechanism family draws from its own stream, and a mechanism draws the same count whatever
the levers say, so switching a lever leaves the draws of the mechanisms it does not touch
unchanged.  For every boolean lever and every lever that is zero in the baseline, switch it on
and step both models through the first six months (September's graduation, hiring and
enrolment included; no partnership can yet leave for low willingness, which takes six months);
after every month, every stream the lever does not touch must be in exactly the same state in
both models.  The table says which streams a lever may touch, and why.
"""

from __future__ import annotations

import dataclasses

import pytest

from sim.model import STREAMS, CooperationModel
from sim.params import SECTIONS
from sim.scenario import load_scenario
from tests.helpers import TINY

MONTHS = 6
# streams a lever may legitimately change in the first months, and why
TOUCHES: dict[str, set[str]] = {
    # tracks decide when internships start and which firm takes a student: placement draws follow
    "firm_support.apprenticeship_share": {"placement", "hiring"},
    # joint projects draw per partnership-month from their own stream whether or not they run
    "firm_support.joint_projects": set(),
}
POSITIVE = {int: 2, float: 0.5}  # the value a zero lever is switched to


def switched_levers() -> list[tuple[str, object]]:
    """Every boolean lever, flipped, and every policy lever that is zero in the baseline, made positive."""
    base = load_scenario("baseline").params
    out = []
    for section, cls in SECTIONS.items():
        for f in dataclasses.fields(cls):
            if f.metadata.get("kind") != "policy":
                continue
            value = getattr(getattr(base, section), f.name)
            if isinstance(value, bool):
                out.append((f"{section}.{f.name}", not value))
            elif isinstance(value, (int, float)) and value == 0:
                out.append((f"{section}.{f.name}", POSITIVE[type(value)]))
    out.append(("party_building.mode", "integrated"))
    return out


def stream_states(m: CooperationModel) -> dict[str, dict]:
    return {name: m.streams[name].bit_generator.state for name in STREAMS}


@pytest.mark.parametrize("key,value", switched_levers())
def test_a_lever_leaves_the_draws_of_untouched_mechanisms_unchanged(key, value):
    a = CooperationModel(load_scenario("baseline", dict(TINY)).params, seed=11)
    b = CooperationModel(load_scenario("baseline", {**TINY, key: value}).params, seed=11)
    assert stream_states(a) == stream_states(b), "set-up must not depend on the lever"
    allowed = TOUCHES.get(key, set())
    for month in range(MONTHS):
        a.step()
        b.step()
        sa, sb = stream_states(a), stream_states(b)
        changed = sorted(s for s in STREAMS if sa[s] != sb[s] and s not in allowed)
        assert not changed, f"{key} = {value!r} changed the draws of {changed} in month {month}"


def test_the_check_can_fail():
    """A lever that made a mechanism draw once more would be caught (here: one extra draw)."""
    a = CooperationModel(load_scenario("baseline", dict(TINY)).params, seed=11)
    b = CooperationModel(load_scenario("baseline", dict(TINY)).params, seed=11)
    a.step()
    b.step()
    b.streams["placement"].random()
    assert stream_states(a)["placement"] != stream_states(b)["placement"]


def test_every_switchable_lever_is_covered():
    keys = {k for k, _ in switched_levers()}
    assert {
        "party_building.supervision",
        "communication.online_platform",
        "party_building.alliance",
        "party_building.talent_pool",
        "craftsman.intensity",
        "firm_support.joint_projects",
    } <= keys
