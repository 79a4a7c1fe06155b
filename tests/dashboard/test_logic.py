"""The dashboard's logic without a browser: schema → controls, typed values, export, the two runs,
result card, replicate intervals, network view, pictures and the language of every label."""
from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
import tomllib

import numpy as np
import pytest

from sim.dashboard import logic
from sim.dashboard.text import LEVERS, SECTIONS, UI
from sim.params import SECTIONS as SCHEMA
from sim.scenario import ScenarioError, load_scenario

TINY_WORLD = {"population.schools": 2, "population.cohort_size": 40, "population.firms": 12,
              "population.partners_per_school": 6, "population.programmes": 2, "run.years": 2,
              "run.warmup_months": 12}
PNG = b"\x89PNG\r\n\x1a\n"


def control(key: str) -> logic.Control:
    return next(c for c in logic.controls(logic.POLICY_SECTIONS + logic.WORLD_SECTIONS) if c.key == key)


def duel(a: str = "baseline", b: str = "huli_tongqiang_qirong", **levers) -> logic.Duel:
    setups = (logic.Setup(a, levers), logic.Setup(b))
    return logic.Duel(tuple(logic.make_scenario(s, TINY_WORLD) for s in setups))


# ------------------------------------------------------------------ schema → controls
def test_every_policy_lever_becomes_a_control_of_the_right_kind():
    cs = logic.controls(logic.POLICY_SECTIONS)
    schema_keys = [f"{s}.{f.name}" for s in logic.POLICY_SECTIONS for f in dataclasses.fields(SCHEMA[s])]
    assert [c.key for c in cs] == schema_keys
    kinds = {c.key: c.kind for c in cs}
    assert kinds["communication.depth"] == "float"
    assert kinds["communication.meetings_per_year"] == "int"
    assert kinds["communication.online_platform"] == "switch"
    assert kinds["party_building.mode"] == "menu"
    assert control("party_building.mode").choices == ("none", "two_skins", "integrated")


def test_controls_carry_range_default_and_meaning():
    c = control("communication.depth")
    f = {x.name: x for x in dataclasses.fields(SCHEMA["communication"])}["depth"]
    assert (c.lo, c.hi, c.default) == (f.metadata["lo"], f.metadata["hi"], f.default)
    assert c.slider and c.step == pytest.approx((c.hi - c.lo) / logic.FLOAT_SLIDER_STEPS)
    tip = c.tooltip("en")
    assert f.metadata["meaning"] in tip and "0..1" in tip and "default: 0.2" in tip
    assert "默认值" in c.tooltip("zh")
    # wide integer ranges get a number box only
    assert control("communication.meetings_per_year").slider
    assert not control("population.firms").slider and not control("run.seed").slider
    assert control("run.seed").allowed("en").startswith("0..9223372036854775807")


def test_every_control_and_section_has_an_english_and_a_chinese_label():
    for c in logic.controls(logic.POLICY_SECTIONS + logic.WORLD_SECTIONS):
        en, zh = c.label("en"), c.label("zh")
        assert en and zh and en != zh, c.key
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), c.key
    for s in logic.POLICY_SECTIONS + logic.WORLD_SECTIONS:
        assert SECTIONS[s][0] != SECTIONS[s][1]
    assert set(LEVERS) == {c.key for c in logic.controls(logic.POLICY_SECTIONS + logic.WORLD_SECTIONS)}
    for key, (en, zh) in UI.items():
        assert en and zh and en != zh, key


# ------------------------------------------------------------------ typed values
@pytest.mark.parametrize("text, value", [("0.8", 0.8), (" 1 ", 1.0), (0.25, 0.25), ("0", 0.0)])
def test_good_numbers_are_taken(text, value):
    assert logic.parse_value(control("communication.depth"), text, "en") == value


@pytest.mark.parametrize("key, text, words", [
    ("communication.depth", "abc", "'abc' is not a number"),
    ("communication.depth", "", "is not a number"),
    ("communication.depth", "nan", "is not a number"),
    ("communication.depth", "inf", "is not a number"),
    ("communication.depth", "1.5", "allowed 0..1"),
    ("communication.depth", "-0.1", "allowed 0..1"),
    ("communication.meetings_per_year", "2.5", "is not a whole number"),
    ("communication.meetings_per_year", "25", "allowed 0..24"),
    ("population.firms", "0", "allowed 1..5000"),
    ("party_building.mode", "three_skins", "allowed"),
    ("communication.online_platform", "yes", "allowed"),
])
def test_bad_values_are_refused_with_a_message(key, text, words):
    with pytest.raises(ScenarioError, match=words.replace("(", r"\(").replace(".", r"\.")):
        logic.parse_value(control(key), text, "en")


def test_refusals_speak_chinese():
    with pytest.raises(ScenarioError, match="不是数字"):
        logic.parse_value(control("communication.depth"), "abc", "zh")


def test_a_lever_change_is_kept_and_dropped_when_set_back():
    s = logic.Setup("baseline")
    c = control("communication.depth")
    s2 = logic.with_lever(s, TINY_WORLD, c, "0.8", "en")
    assert s2.levers == {"communication.depth": 0.8}
    assert logic.with_lever(s2, TINY_WORLD, c, "0.2", "en").levers == {}      # baseline's own value
    with pytest.raises(ScenarioError):
        logic.with_lever(s2, TINY_WORLD, c, "x", "en")
    assert s2.levers == {"communication.depth": 0.8}                         # unchanged on refusal


def test_world_changes_are_checked_across_levers():
    setups = (logic.Setup("baseline"), logic.Setup("full"))
    w = logic.with_world(TINY_WORLD, setups, control("population.firms"), "20", "en")
    assert w["population.firms"] == 20
    with pytest.raises(ScenarioError, match="partners_per_school"):
        logic.with_world(TINY_WORLD, setups, control("population.firms"), "3", "en")   # fewer firms than partners


# ------------------------------------------------------------------ export
def test_export_is_a_self_contained_scenario_with_the_changed_lever(tmp_path):
    setup = logic.Setup("huli_tongqiang_qirong", {"communication.depth": 0.8, "party_building.mode": "integrated"})
    text = logic.export_toml(setup, TINY_WORLD)
    data = tomllib.loads(text)
    assert "extends" not in data and set(SCHEMA) <= set(data)
    assert data["name"] == "huli_tongqiang_qirong_workshop"
    path = tmp_path / logic.export_filename(setup)
    path.write_text(text, encoding="utf-8")
    loaded = load_scenario(path)
    assert loaded.params == logic.make_scenario(setup, TINY_WORLD).params
    assert loaded.params.communication.depth == 0.8 and loaded.params.party_building.mode == "integrated"
    assert loaded.params.firm_support.joint_projects == 0.5                # from the strategy itself
    assert loaded.params.population.firms == TINY_WORLD["population.firms"]
    # unchanged settings export under the strategy's own name
    assert tomllib.loads(logic.export_toml(logic.Setup("baseline"), TINY_WORLD))["name"] == "baseline"


def test_exported_file_validates_and_runs_with_sesim(tmp_path):
    path = tmp_path / "exported.toml"
    path.write_text(logic.export_toml(logic.Setup("baseline", {"craftsman.intensity": 0.6}), TINY_WORLD),
                    encoding="utf-8")
    v = subprocess.run([sys.executable, "-m", "sim", "validate", str(path)], capture_output=True, text=True)
    assert v.returncode == 0, v.stderr
    out = tmp_path / "run"
    r = subprocess.run([sys.executable, "-m", "sim", "run", str(path), "--seeds", "1", "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert tomllib.loads((out / "scenario.resolved.toml").read_text())["craftsman"]["intensity"] == 0.6


# ------------------------------------------------------------------ the two runs
def test_duel_steps_both_strategies_month_by_month_on_the_same_seed():
    d = duel()
    assert d.month == 0 and d.horizon == 24 and not d.finished
    d.step(5)
    assert d.month == 5
    for i in (0, 1):
        s = d.series(i)
        assert set(s) == set(logic.CHART_METRICS) and all(len(v) == 5 for v in s.values())
    assert d.models[0].seed_value == d.models[1].seed_value
    d.step(100)
    assert d.month == 24 and d.finished


def test_same_strategy_twice_gives_identical_lines_and_a_lever_replays_one_side():
    d = duel("baseline", "baseline")
    d.step(6)
    np.testing.assert_equal(d.series(0), d.series(1))          # NaN months count as equal
    before_b = d.series(1)
    d.replace(0, logic.make_scenario(logic.Setup("baseline", {"party_building.mode": "integrated",
                                                               "firm_support.frontline_share": 0.9}), TINY_WORLD))
    assert d.month == 6
    np.testing.assert_equal(d.series(1), before_b)      # the other strategy is untouched
    assert not np.allclose(d.series(0)["skill_mean"], before_b["skill_mean"], equal_nan=True) or \
        not np.allclose(d.series(0)["firm_willingness"], before_b["firm_willingness"])   # A replayed with the lever


# ------------------------------------------------------------------ result card
def test_result_card_gives_both_outcomes_and_their_difference_in_words():
    a = {m: [0.5, 0.7] for m in logic.CHART_METRICS}
    b = {m: [0.6, 0.8] for m in logic.CHART_METRICS}
    b["reputation"] = [0.5, 0.7]
    a["graduate_retention_12m"] = [float("nan"), 0.4]
    rows = logic.result_card(a, b, ("Status quo", "Party-led"), "en")
    assert [r.metric for r in rows] == list(logic.CHART_METRICS)
    fr = rows[0]
    assert fr.a == pytest.approx(0.6) and fr.b == pytest.approx(0.7) and fr.diff_points == pytest.approx(10.0)
    assert fr.sentence == "Party-led raises firm retention by 10.0 points against Status quo (60.0% vs 70.0%)."
    grad = rows[1]
    assert grad.a == pytest.approx(0.4) and grad.diff_points == pytest.approx(30.0)   # NaN months skipped
    assert rows[-1].sentence.startswith("Party-led and Status quo give the same school reputation")
    lower = logic.result_card(b, a, ("Party-led", "Status quo"), "zh")[0]
    assert lower.sentence == "与Party-led相比，Status quo使企业合作留存率降低10.0 个百分点（70.0% 对 60.0%）。"


def test_replicate_intervals_are_paired_and_contain_their_difference():
    d = duel()
    rows = logic.replicate_intervals(tuple(d.scenarios), 6, 3, 0, "en")
    assert [r.metric for r in rows] == list(logic.CHART_METRICS)
    assert sum(r.n == 3 for r in rows) >= 3
    for r in rows:
        if r.n == 0:             # no graduate followed up yet in six months of a tiny world
            assert math.isnan(r.diff_points) and "no data" in r.sentence and "nan" not in r.sentence
            continue
        assert r.n == 3 and r.low_points <= r.diff_points <= r.high_points
        assert r.clear == (r.low_points > 0 or r.high_points < 0)
        assert "over 3 paired runs" in r.sentence
    same = logic.replicate_intervals((d.scenarios[0], d.scenarios[0]), 6, 3, 0, "en")
    assert all(r.diff_points == 0 and r.low_points == 0 == r.high_points and not r.clear for r in same if r.n)
    with pytest.raises(ScenarioError, match="allowed 2..50"):
        logic.replicate_intervals(tuple(d.scenarios), 6, 1, 0, "en")


# ------------------------------------------------------------------ network and pictures
def test_network_view_reads_partnerships_willingness_and_co_mentoring():
    d = duel("baseline", "party_led")
    d.step(10)
    plain, party = (logic.network_view(m) for m in d.models)
    m = d.models[0]
    act = m.partnerships.active()
    assert len(plain.partnerships) == len(act)
    assert plain.schools.shape == (2, 2) and plain.firms.shape == (12, 2)
    assert plain.members.shape == (2 * m.params.population.party_members_per_school, 2)
    partnered = set(m.partnerships.firm[act].tolist())
    assert {f for f in range(12) if np.isfinite(plain.firm_willingness[f])} == partnered
    assert np.nanmin(plain.firm_willingness) >= 0 and np.nanmax(plain.firm_willingness) <= 1
    assert plain.mentoring == []                                   # two skins: no co-mentoring
    pb = d.models[1].params.party_building
    assert pb.mode == "integrated" and pb.co_mentoring and party.mentoring
    assert all(0 <= k < len(party.members) and 0 <= f < 12 for k, f in party.mentoring)


def test_pictures_are_png_and_change_with_the_run():
    from sim.dashboard import figures
    d = duel()
    names = ("A", "B")
    empty = figures.charts_png((d.series(0), d.series(1)), names, d.horizon, "en")
    d.step(6)
    charts = figures.charts_png((d.series(0), d.series(1)), names, d.horizon, "en")
    net = figures.network_png(tuple(logic.network_view(x) for x in d.models), names, "zh")
    assert charts[:8] == PNG and net[:8] == PNG and empty[:8] == PNG
    assert charts != empty


def test_format_metric():
    assert logic.format_metric("firm_retention", 0.8123) == "81.2%"
    assert logic.format_metric("reputation", 0.6) == "60.0"
    assert logic.format_metric("skill_mean", math.nan) == "–"


def test_strategy_titles_in_both_languages():
    en, zh = logic.strategy_titles("en"), logic.strategy_titles("zh")
    assert list(en)[:1] == ["baseline"] and "huli_tongqiang_qirong" in en
    assert en["baseline"] == "Status quo (baseline)" and zh["baseline"] == "现状 (baseline)"
