"""Per-agent levers (docs/odd.md §2, §11): each school's and each firm's levers are arrays over the agents,
set from the scenario and its [[agents.schools]] / [[agents.firms]] tables, and every mechanism
reads its school's or its firm's value."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.agents import Firm, School
from sim.model import STREAMS, CooperationModel
from sim.params import FIRM_SECTIONS, SCHOOL_SECTIONS, SECTIONS, side_keys
from sim.runner import run_replicate, run_replicates
from sim.scenario import ScenarioError, builtin_names, load_scenario, to_toml
from sim.state import INTERNING
from tests.helpers import TINY

ROOT = Path(__file__).resolve().parent.parent
HALF = ROOT / "scenarios" / "examples" / "half_huli.toml"
# small enough to be quick, six schools so that half_huli's ids 0-2 are half of them
SIX = {
    "population.cohort_size": 60,
    "population.firms": 40,
    "population.partners_per_school": 6,
    "run.years": 3,
    "run.warmup_months": 24,
}


def write(tmp_path: Path, text: str, name: str = "s.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def every_agent_table(p, schools: int, firms: int) -> str:
    """A scenario that extends the baseline and gives every school and every firm, per agent, the
    levers of parameters ``p`` (its school levers to the schools, its firm levers to the firms)."""

    def fmt(v):
        return ("true" if v else "false") if isinstance(v, bool) else f'"{v}"' if isinstance(v, str) else repr(v)

    def table(sections):
        return "\n".join(
            f"{s} = {{ " + ", ".join(f"{k} = {fmt(v)}" for k, v in dataclasses.asdict(getattr(p, s)).items()) + " }"
            for s in sections
        )

    return (
        f'extends = "baseline"\nname = "per_agent"\n'
        f"[[agents.schools]]\nids = {list(range(schools))}\n{table(SCHOOL_SECTIONS)}\n"
        f"[[agents.firms]]\nids = {list(range(firms))}\n{table(FIRM_SECTIONS)}\n"
    )


# every policy lever away from the baseline's value
EVERY = {
    "communication.meetings_per_year": 5,
    "communication.depth": 0.6,
    "communication.online_platform": True,
    "communication.seminars_per_year": 3,
    "communication.needs_survey": True,
    "goal_alignment.weight": 0.5,
    "school_cooperation.task_coordination": 0.6,
    "school_cooperation.counselling": 0.6,
    "school_cooperation.grade_sharing": True,
    "school_cooperation.joint_evaluation": True,
    "firm_support.resources": 0.6,
    "firm_support.frontline_share": 0.5,
    "firm_support.apprenticeship_share": 0.15,
    "firm_support.order_class_share": 0.2,
    "firm_support.mentors_per_firm": 5,
    "firm_support.joint_projects": 0.4,
    "firm_support.intern_allowance": 3.5,
    "party_building.mode": "integrated",
    "party_building.alliance": True,
    "party_building.co_mentoring": True,
    "party_building.talent_pool": True,
    "party_building.teacher_practice": 0.4,
    "party_building.supervision": True,
    "craftsman.intensity": 0.5,
    "craftsman.competitions_per_year": 3,
}


def test_every_policy_lever_is_a_schools_or_a_firms_and_nothing_else_is():
    policy = {
        f"{s}.{f.name}"
        for s, c in SECTIONS.items()
        for f in dataclasses.fields(c)
        if f.metadata.get("kind") == "policy"
    }
    school, firm = set(side_keys("school")), set(side_keys("firm"))
    assert not school & firm
    assert school | firm == policy
    assert {"craftsman.intensity", "party_building.mode", "goal_alignment.weight"} <= school
    assert {"firm_support.resources", "firm_support.mentors_per_firm", "firm_support.intern_allowance"} <= firm


@pytest.mark.parametrize(
    "strategy,changes",
    [("huli_tongqiang_qirong", {}), ("full", {}), ("baseline", EVERY), ("baseline", {"party_building.mode": "none"})],
    ids=["huli", "full", "every_lever", "no_party_building"],
)
def test_a_scenario_given_agent_by_agent_gives_exactly_its_numbers(tmp_path, strategy, changes):
    """The baseline with every school and every firm set, per agent, to a scenario's levers runs
    bit for bit as the scenario: every mechanism reads the per-agent values (a mechanism still
    reading the scenario's scalar would see the baseline's and differ).  ``every_lever`` moves
    every policy lever away from the baseline's value, so no reader can hide."""
    pop = dict(TINY)
    assert set(EVERY) == set(side_keys("school")) | set(side_keys("firm"))
    direct_scn = load_scenario(strategy, {**pop, **changes})
    path = write(tmp_path, every_agent_table(direct_scn.params, pop["population.schools"], pop["population.firms"]))
    per_agent = load_scenario(path, pop)
    assert per_agent.params.communication == load_scenario("baseline").params.communication  # scalars stay the rule
    direct = run_replicates(direct_scn, seeds=1, seed=5)
    tables = run_replicates(per_agent, seeds=1, seed=5)
    base = run_replicates(load_scenario("baseline", pop), seeds=1, seed=5)
    cols = [c for c in direct.summary.columns if c != "scenario"]
    assert direct.summary[cols].equals(tables.summary[cols])
    assert direct.timeseries.drop(columns="scenario").equals(tables.timeseries.drop(columns="scenario"))
    assert not direct.summary[cols].equals(base.summary[cols])


def test_agent_tables_fill_the_arrays_of_the_agents_they_name_only():
    scn = load_scenario(HALF, SIX)
    m = CooperationModel(scn.params, seed=0)
    levers = m.school_levers
    assert levers.communication.depth.tolist() == [0.7, 0.7, 0.7, 0.2, 0.2, 0.2]
    assert levers.school_cooperation.grade_sharing.tolist() == [True] * 3 + [False] * 3
    meetings = levers.communication.meetings_per_year
    assert meetings.dtype.kind == "i" and meetings.tolist() == [6, 6, 6, 2, 2, 2]
    assert levers.array("communication.depth") is levers.communication.depth  # by its full key too
    assert (m.firm_levers.firm_support.resources == 0.2).all()
    assert m.schools[0].levers["goal_alignment.weight"] == 0.7 and m.schools[5].levers["goal_alignment.weight"] == 0.0
    assert m.schools[0].levers["party_building.mode"] == "two_skins"
    assert isinstance(m.schools[0], School) and isinstance(m.firms[0], Firm)


def test_a_later_table_wins_for_the_ids_it_repeats(tmp_path):
    path = write(
        tmp_path,
        'extends = "baseline"\n'
        "[[agents.firms]]\nids = [0, 1, 2]\nfirm_support = { resources = 0.9, mentors_per_firm = 0 }\n"
        "[[agents.firms]]\nids = [2]\nfirm_support = { resources = 0.5 }\n",
    )
    m = CooperationModel(load_scenario(path, TINY).params, seed=0)
    assert m.firm_levers.firm_support.resources[:4].tolist() == [0.9, 0.9, 0.5, 0.2]
    assert m.firm_levers.firm_support.mentors_per_firm[:4].tolist() == [0, 0, 0, 3]


def test_a_firms_own_levers_act_on_its_own_interns():
    """One host alone puts every intern on the front line and has no mentors: its interns are all on
    front-line posts and its mentoring is at the floor, the other hosts' as the rule says.  (The host
    is the one with most interns at round 1 in the same seed's run under the rule.)"""
    ref = CooperationModel(load_scenario("baseline", TINY).params, seed=3)
    ref.run_to_round(1)
    hosts = ref.students.intern_firm[: ref.students.n][ref.students.status[: ref.students.n] == INTERNING]
    f = int(np.bincount(hosts[hosts >= 0]).argmax())
    m = CooperationModel(load_scenario("baseline", TINY).params, seed=3)
    m.firm_levers.firm_support.frontline_share[f] = 1.0
    m.firm_levers.firm_support.mentors_per_firm[f] = 0
    m.run_to_round(1)
    st = m.students
    interning = st.status[: st.n] == INTERNING
    host = st.intern_firm[: st.n]
    at_f = interning & (host == f)
    assert at_f.sum() > 0 and st.frontline[: st.n][at_f].all()
    others = interning & (host >= 0) & (host != f)
    assert 0 < st.frontline[: st.n][others].mean() < 0.6
    q = m.mentor_q
    hosting = np.unique(host[others])
    assert q[f] == m.params.behaviour.no_mentor_quality and (q[hosting] > q[f]).all()


def test_a_schools_own_talk_moves_only_its_own_belief():
    """School 0 alone talks substantively (depth 1, monthly meetings): its belief moves toward its
    partners' needs far more than the others' in a year."""
    m = CooperationModel(load_scenario("baseline", TINY).params, seed=1)
    m.school_levers.communication.depth[0] = 1.0
    m.school_levers.communication.meetings_per_year[0] = 12
    before = m.school_belief.copy()
    for _ in range(12):
        m.step()
    moved = np.abs(m.school_belief - before).sum(axis=1)
    assert moved[0] > 3 * moved[1:].max()


def test_a_per_agent_lever_leaves_the_draws_of_untouched_mechanisms_unchanged():
    """Common random numbers with per-agent values: one school with a supervised, integrated,
    allied party organisation and one firm with apprenticeships leave every stream except those
    tests/test_crn.py allows apprenticeships to touch (placement, hiring) in exactly its state."""
    a = CooperationModel(load_scenario("baseline", TINY).params, seed=11)
    b = CooperationModel(load_scenario("baseline", TINY).params, seed=11)
    b.school_levers.set("party_building.mode", [0], "integrated")
    for key in (
        "party_building.supervision",
        "party_building.alliance",
        "party_building.talent_pool",
        "school_cooperation.grade_sharing",
        "communication.online_platform",
    ):
        b.school_levers.set(key, [0], True)
    b.school_levers.set("craftsman.competitions_per_year", [1], 4)
    b.firm_levers.set("firm_support.joint_projects", [2], 0.8)
    for _ in range(6):
        a.step()
        b.step()
        for s in set(STREAMS) - {"placement", "hiring"}:
            assert a.streams[s].bit_generator.state == b.streams[s].bit_generator.state, s


def test_half_huli_lies_between_baseline_and_huli_on_firm_retention():
    """Directional sanity: half the schools on huli's school levers keep more partners than the
    baseline and fewer than huli (which changes every school's levers and the firms' too).
    Paired seeds 0-3 (common random numbers); in a trial run the paired differences were
    0.16-0.33 (half − baseline) and 0.15-0.26 (huli − half) with standard errors below 0.04:
    each mean is asserted to exceed three standard errors."""
    out = {}
    for name in ("baseline", str(HALF), "huli_tongqiang_qirong"):
        out[name] = run_replicates(load_scenario(name, SIX), seeds=4, seed=0).summary["firm_retention"].to_numpy()
    for lo, hi in (("baseline", str(HALF)), (str(HALF), "huli_tongqiang_qirong")):
        d = out[hi] - out[lo]
        assert d.mean() > 3 * d.std(ddof=1) / np.sqrt(len(d)), (lo, hi, d)


def test_the_example_is_not_a_built_in_strategy():
    assert "half_huli" not in builtin_names() and len(builtin_names()) == 13  # 11 + 2 with colleges (M18)


def test_the_resolved_toml_of_a_per_agent_scenario_loads_back_to_the_same_parameters(tmp_path):
    scn = load_scenario(HALF)
    text = to_toml(scn)
    assert "[[agents.schools]]" in text and "[[agents.firms]]" not in text
    assert "[[agents" not in to_toml(load_scenario("baseline"))
    back = load_scenario(write(tmp_path, text))
    assert back.params == scn.params
    assert tomllib.loads(text)["agents"]["schools"][0]["ids"] == [0, 1, 2]


def test_a_set_changes_the_rule_and_the_tables_still_win_for_their_ids():
    m = CooperationModel(load_scenario(HALF, {**SIX, "communication.depth": 0.4}).params, seed=0)
    assert m.school_levers.communication.depth.tolist() == [0.7, 0.7, 0.7, 0.4, 0.4, 0.4]


BAD = [
    (
        "[[agents.schools]]\nids = [0, 6]\ncommunication = { depth = 0.5 }\n",
        "key 'agents.schools[0].ids': 6 is out of range: allowed integers 0..5 (population.schools = 6)",
    ),
    (
        "[[agents.schools]]\nids = [0]\ncommunication = { depth = 1.5 }\n",
        "key 'agents.schools[0].communication.depth' = 1.5 is out of range: allowed 0.0..1.0",
    ),
    (
        "[[agents.schools]]\nids = [0]\nfirm_support = { resources = 0.5 }\n",
        "key 'agents.schools[0].firm_support': firm_support is a firm's lever; [[agents.schools]] sets communication",
    ),
    (
        "[[agents.firms]]\nids = [0]\ncraftsman = { intensity = 0.5 }\n",
        "key 'agents.firms[0].craftsman': craftsman is a school's lever; [[agents.firms]] sets firm_support",
    ),
    ("[[agents.firms]]\nids = [0]\nrun = { years = 2 }\n", "run is not an agent's lever"),
    ("[[agents.schools]]\ncommunication = { depth = 0.5 }\n", "key 'agents.schools[0].ids' is missing"),
    ("[[agents.schools]]\nids = []\n", "key 'agents.schools[0].ids' = []: allowed a non-empty list of integers 0..5"),
    (
        "[[agents.schools]]\nids = [0]\ncommunication = { dept = 0.5 }\n",
        "unknown key 'agents.schools[0].communication.dept'; did you mean 'agents.schools[0].communication.depth'?",
    ),
    ("[[agents.school]]\nids = [0]\n", "unknown key 'agents.school'; did you mean 'agents.schools'?"),
    (
        '[[agents.schools]]\nids = [0]\nparty_building = { mode = "both" }\n',
        'key \'agents.schools[0].party_building.mode\' = \'both\': allowed "none" or "two_skins" or "integrated"',
    ),
    (
        "[[agents.firms]]\nids = [90]\nfirm_support = { resources = 0.5 }\n",
        "90 is out of range: allowed integers 0..89",
    ),
]


@pytest.mark.parametrize("body,message", BAD)
def test_a_bad_agent_table_is_refused_in_one_line_naming_file_and_key(tmp_path, body, message):
    path = write(tmp_path, 'extends = "baseline"\n' + body)
    with pytest.raises(ScenarioError) as e:
        load_scenario(path)
    text = str(e.value)
    assert "\n" not in text and text.startswith(str(path)) and message in text, text


def test_ids_are_checked_against_the_population_after_set():
    with pytest.raises(
        ScenarioError,
        match=r"with --set: key 'agents.schools\[0\].ids': 2 is out of range: "
        r"allowed integers 0..1 \(population.schools = 2\)",
    ):
        load_scenario(HALF, {"population.schools": 2})


def sesim(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True)


def test_sesim_validates_and_runs_the_example_and_refuses_a_bad_value_in_one_line(tmp_path):
    r = sesim("validate", str(HALF))
    assert r.returncode == 0 and "half_huli" in r.stdout, r.stderr
    out = tmp_path / "out"
    sets = [x for k, v in SIX.items() for x in ("--set", f"{k}={v}")]
    r = sesim("run", str(HALF), "--seeds", "2", *sets, "--out", str(out))
    assert r.returncode == 0, r.stderr
    resolved = tomllib.loads((out / "scenario.resolved.toml").read_text(encoding="utf-8"))
    assert resolved["agents"]["schools"][0]["goal_alignment"] == {"weight": 0.7}
    bad = write(tmp_path, HALF.read_text(encoding="utf-8").replace("depth = 0.7", "depth = 7"), "bad.toml")
    for cmd in (("validate", str(bad)), ("run", str(bad), "--seeds", "1", "--out", str(tmp_path / "no"))):
        r = sesim(*cmd)
        lines = r.stderr.strip().splitlines()
        assert r.returncode == 2 and len(lines) == 1, r.stderr
        assert lines[0] == (
            f"sesim: error: {bad}: key 'agents.schools[0].communication.depth' = 7.0 is out of range: allowed 0.0..1.0"
        )
    assert not (tmp_path / "no").exists()


def test_a_replicate_with_agent_tables_is_reproducible():
    p = load_scenario(HALF, SIX).params
    a, b = run_replicate(p, 3, 0, "x"), run_replicate(p, 3, 0, "x")
    assert pd.Series(a[0]).equals(pd.Series(b[0])) and a[1].equals(b[1])  # NaN-safe: NaN != NaN in a dict
