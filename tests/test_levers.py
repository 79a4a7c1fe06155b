"""The lever arrays (docs/odd.md §2 "Levers are the agents'", §11): generated from the schema, addressed
by section, and read per agent wherever per-agent values exist."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import numpy as np
import pytest

from sim import levers
from sim.lever_arrays import FirmLevers, SchoolLevers
from sim.model import CooperationModel
from sim.params import SECTIONS, SIDES, Params, side_keys
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
LEVER_SECTIONS = {s for sections in SIDES.values() for s in sections}


def test_the_generated_lever_classes_are_what_the_schema_generates():
    assert levers.GENERATED.read_text(encoding="utf-8") == levers.generate(), (
        "sim/lever_arrays.py is stale: regenerate it with 'python -m sim.levers'"
    )


@pytest.mark.parametrize("cls", [SchoolLevers, FirmLevers])
def test_each_side_holds_exactly_its_sections_and_their_levers(cls):
    assert tuple(f.name for f in dataclasses.fields(cls)) == SIDES[cls.SIDE]
    built = cls.from_params(Params(), 3)
    assert built.keys == side_keys(cls.SIDE)
    for f in dataclasses.fields(cls):
        section = getattr(built, f.name)
        assert section.SECTION == f.name
        assert [g.name for g in dataclasses.fields(section)] == [g.name for g in dataclasses.fields(SECTIONS[f.name])]


def test_a_lever_is_found_by_its_full_key_and_two_sections_may_share_a_name():
    """Nothing flattens a key to its bare name: a lever of one section cannot hide another's."""
    school = SchoolLevers.from_params(Params(), 2)
    school.set("party_building.mode", [1], "integrated")
    school.set("communication.depth", [0], 0.9)
    assert school.party_building.mode.tolist() == [1, 2]  # stored as its code (sim.state.PARTY_MODES)
    assert school.get("party_building.mode", 1) == "integrated"
    assert school.of(0)["communication.depth"] == 0.9 and school.of(1)["communication.depth"] == 0.2
    names = [name for key in school.keys for name in [key.split(".", 1)[1]]]
    assert len(set(school.keys)) == len(school.keys)
    # the schema has no shared name today; the arrays would hold both if it had
    shared = {n for n in names if names.count(n) > 1}
    assert shared == set()


def test_the_arrays_have_the_schemas_types():
    school = SchoolLevers.from_params(Params(), 2)
    assert school.communication.meetings_per_year.dtype == np.int64
    assert school.communication.depth.dtype == np.float64
    assert school.communication.online_platform.dtype == np.bool_
    assert school.party_building.mode.dtype == np.int64


def test_a_model_reads_each_schools_own_levers():
    """The arrays a model's mechanisms read are the agents' own (the tables of a per-agent scenario)."""
    scn = load_scenario(
        ROOT / "scenarios" / "examples" / "half_huli.toml",
        {
            "population.schools": 6,
            "population.cohort_size": 20,
            "population.firms": 12,
            "population.partners_per_school": 3,
        },
    )
    m = CooperationModel(scn.params, seed=0)
    assert m.school_levers_for("M1").communication.depth.tolist() == [0.7] * 3 + [0.2] * 3
    assert m.schools[4].levers["communication.depth"] == 0.2


# ------------------------------------------------------------------ no scalar read where per-agent values exist
# Where sim/ may read a lever section from a scenario's parameters instead of the agents' arrays, and why.
ALLOWED_SCALAR_READS = {
    ("sim/levers.py", "from_params"): "builds the agents' arrays from the scenario's values",
    ("sim/mechanisms/enrolment.py", "enrol"): "a student whom no partner firm would order or apprentice has no "
    "firm whose own places apply: it meets the scenario's shares",
    ("sim/apps/dashboard/logic.py", "value_of"): "the dashboard edits a scenario (its slider shows the strategy's "
    "value), it does not read a model's agents",
    ("sim/apps/workshop/debrief.py", "strategy_scenarios"): "copies a named strategy's sections into a scenario, "
    "before any model exists",
}
# Attributes named like a section that are not one.
NOT_A_SECTION = {
    "ctx.firm_support": "the month context's support each firm gives this month (M6), not the lever section",
}


def _scalar_reads(tree: ast.AST) -> list[tuple[str, str, int]]:
    """(function, source, line) of each read of a lever section that does not go through lever arrays."""
    found: list[tuple[str, str, int]] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Attribute) and child.attr in LEVER_SECTIONS:
                base = ast.unparse(child.value)
                text = ast.unparse(child)
                if "levers" not in base and text not in NOT_A_SECTION:
                    found.append((function, text, child.lineno))
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Name)
                and child.func.id == "getattr"
                and child.args
                and ast.unparse(child.args[0]).endswith("params")
            ):
                found.append((function, ast.unparse(child), child.lineno))
            visit(child, name)

    visit(tree, "<module>")
    return found


def test_no_code_reads_a_lever_section_from_the_scenario_where_per_agent_values_exist():
    offenders, used = [], set()
    for path in sorted((ROOT / "sim").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for function, text, line in _scalar_reads(ast.parse(path.read_text(encoding="utf-8"))):
            if (rel, function) in ALLOWED_SCALAR_READS:
                used.add((rel, function))
            else:
                offenders.append(f"{rel}:{line} in {function}: {text}")
    assert not offenders, (
        "read the agents' lever arrays (model.school_levers_for(...).<section>) instead of the "
        "scenario's scalar value:\n" + "\n".join(offenders)
    )
    assert used == set(ALLOWED_SCALAR_READS), f"allow-list entries no longer needed: {set(ALLOWED_SCALAR_READS) - used}"


def test_the_check_finds_a_scalar_read():
    tree = ast.parse(
        "def f(model):\n    return model.params.party_building.mode\n"
        "def g(model):\n    return model.school_levers.party_building.mode\n"
        "def h(scn, s):\n    return getattr(scn.params, s)\n"
    )
    assert [(f, line) for f, _, line in _scalar_reads(tree)] == [("f", 2), ("h", 6)]
