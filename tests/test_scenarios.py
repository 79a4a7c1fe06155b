"""The strategy files: they validate, and each sets only what docs/odd.md §9 says it changes (the eleven
lever strategies, then the two industry-college strategies of docs/odd.md M18)."""

import tomllib

import pytest

from sim import ScenarioError, load_scenario
from sim.params import Params, lever_table
from sim.scenario import SCENARIO_DIR, builtin_names

META = {"name", "title_en", "title_zh", "description", "extends"}
# docs/odd.md §9: what each strategy sets on top of what it extends
CHANGES = {
    "communication": (
        {"baseline"},
        {
            "communication.meetings_per_year": 6,
            "communication.depth": 0.7,
            "communication.online_platform": True,
            "communication.seminars_per_year": 2,
        },
    ),
    "goal_alignment": ({"communication"}, {"communication.needs_survey": True, "goal_alignment.weight": 0.7}),
    "school_cooperation": (
        {"baseline"},
        {
            "school_cooperation.task_coordination": 0.8,
            "school_cooperation.counselling": 0.8,
            "school_cooperation.grade_sharing": True,
            "school_cooperation.joint_evaluation": True,
        },
    ),
    "firm_support": (
        {"baseline"},
        {
            "firm_support.resources": 0.7,
            "firm_support.frontline_share": 0.7,
            "firm_support.apprenticeship_share": 0.2,
            "firm_support.mentors_per_firm": 6,
        },
    ),
    "party_alliance": (
        {"baseline"},
        {
            "party_building.mode": "integrated",
            "party_building.alliance": True,
            "party_building.co_mentoring": True,
            "party_building.supervision": True,
        },
    ),
    "party_talent": (
        {"baseline"},
        {
            "party_building.mode": "integrated",
            "party_building.talent_pool": True,
            "party_building.teacher_practice": 0.5,
            "goal_alignment.weight": 0.3,
        },
    ),
    "craftsman": ({"baseline"}, {"craftsman.intensity": 0.7, "craftsman.competitions_per_year": 2}),
    "huli_tongqiang_qirong": (
        {"goal_alignment", "school_cooperation", "firm_support"},
        {"firm_support.joint_projects": 0.5},
    ),
    "party_led": ({"party_alliance", "party_talent", "craftsman"}, {}),
    "full": ({"huli_tongqiang_qirong", "party_led"}, {}),
}


def _flat(d):
    return {f"{s}.{k}": v for s, t in d.items() if s not in META for k, v in t.items()}


# docs/odd.md §9 and M18: the industry-college strategies set only [[colleges]] tables on top of what they extend
COLLEGE_STRATEGIES = {"industry_college": "baseline", "industry_college_huli": "huli_tongqiang_qirong"}


def test_eleven_strategies_and_two_with_colleges():
    assert sorted(builtin_names()) == sorted(["baseline", *CHANGES, *COLLEGE_STRATEGIES])
    assert builtin_names()[-2:] == list(COLLEGE_STRATEGIES)  # after full, in §9's order


def test_the_college_strategies_set_the_same_colleges_with_and_without_a_charter():
    plain, huli = (load_scenario(n).params for n in COLLEGE_STRATEGIES)
    for name, parent in COLLEGE_STRATEGIES.items():
        data = tomllib.loads((SCENARIO_DIR / f"{name}.toml").read_text(encoding="utf-8"))
        assert data["extends"] == parent and set(data) - META == {"colleges"}
        for k in ("name", "title_en", "title_zh", "description"):
            assert data.get(k), k
    assert [(c.school, c.field) for c in plain.colleges.tables] == [(s, s % 4) for s in range(6)]
    assert all(c.charter is None for c in plain.colleges.tables)
    assert all(c.charter is not None and c.charter.joint_placement for c in huli.colleges.tables)
    import dataclasses

    for a, b in zip(plain.colleges.tables, huli.colleges.tables):
        assert dataclasses.replace(b, charter=None) == a
    # the rest of each is its parent's
    for name, parent in COLLEGE_STRATEGIES.items():
        p, q = load_scenario(name).params, load_scenario(parent).params
        p.colleges = q.colleges
        assert p == q


def test_baseline_holds_every_lever_at_its_default():
    """Every policy lever at its schema default (sim/params.py); behavioural parameters only in the
    calibrated block that ``python -m analysis.calibration_pick`` writes, each with a comment."""
    text = (SCENARIO_DIR / "baseline.toml").read_text(encoding="utf-8")
    flat = _flat(tomllib.loads(text))
    policy = {k: v for k, v in flat.items() if not k.startswith("behaviour.")}
    keys = {r["key"] for r in lever_table() if not r["key"].startswith("behaviour.")}
    assert set(policy) == keys
    defaults = Params().to_dict()
    for k, v in policy.items():
        s, kk = k.split(".")
        assert defaults[s][kk] == v, k
    block = text[text.index("# BEGIN calibrated") : text.index("# END calibrated")]
    table = block.split("[behaviour]", 1)[1]
    calibrated = {f"behaviour.{k}" for k in tomllib.loads("[behaviour]" + table)["behaviour"]}
    assert calibrated and calibrated == set(flat) - set(policy)
    for line in table.strip().splitlines():
        assert "# posterior" in line and "source:" in line, line


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_strategy_sets_only_its_changes(name):
    data = tomllib.loads((SCENARIO_DIR / f"{name}.toml").read_text(encoding="utf-8"))
    parents, changes = CHANGES[name]
    ext = data["extends"]
    assert set([ext] if isinstance(ext, str) else ext) == parents
    assert _flat(data) == changes
    for k in ("name", "title_en", "title_zh", "description"):
        assert data.get(k), k
    resolved = load_scenario(name).params.to_dict()
    for k, v in changes.items():
        s, kk = k.split(".")
        assert resolved[s][kk] == v


def test_composites_keep_every_parent_change():
    full = load_scenario("full").params
    assert full.party_building.alliance and full.party_building.talent_pool and full.craftsman.intensity == 0.7
    assert full.school_cooperation.grade_sharing and full.firm_support.joint_projects == 0.5
    assert full.goal_alignment.weight == 0.7 and full.communication.depth == 0.7
    led = load_scenario("party_led").params
    assert led.party_building.alliance and led.party_building.teacher_practice == 0.5


def test_unknown_builtin_suggests_nearest():
    with pytest.raises(ScenarioError, match="did you mean 'baseline'"):
        load_scenario("baselin")


def test_ownership_mix_must_sum_to_one(tmp_path):
    f = tmp_path / "x.toml"
    f.write_text('extends = "baseline"\n[population]\nownership_mix = { state = 0.5, private = 0.6, foreign = 0.1 }\n')
    with pytest.raises(ScenarioError, match="sum to 1"):
        load_scenario(f)
