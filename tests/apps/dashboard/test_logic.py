"""The dashboard's logic without a browser: schema → controls, typed values, export, the two runs,
result card, replicate intervals, network view, pictures and the language of every label."""

from __future__ import annotations

import dataclasses
import math
import re
import subprocess
import sys
import tomllib

import numpy as np
import pytest

from sim.apps.dashboard import logic
from sim.i18n import MESSAGES
from sim.params import SECTIONS as SCHEMA
from sim.scenario import ScenarioError, load_scenario


def family(prefix: str) -> dict[str, tuple[str, str]]:
    """The catalogue's messages under ``prefix`` (the dashboard's page, lever names, section names)."""
    return {k.removeprefix(prefix): v for k, v in MESSAGES.items() if k.startswith(prefix)}


UI, LEVERS, SECTIONS = family("dash."), family("lever."), family("section.")

TINY_WORLD = {
    "population.schools": 2,
    "population.cohort_size": 40,
    "population.firms": 12,
    "population.partners_per_school": 6,
    "population.programmes": 2,
    "run.years": 2,
    "run.warmup_months": 12,
}
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


@pytest.mark.parametrize(
    "key, text, words",
    [
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
    ],
)
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
    assert logic.with_lever(s2, TINY_WORLD, c, "0.2", "en").levers == {}  # baseline's own value
    with pytest.raises(ScenarioError):
        logic.with_lever(s2, TINY_WORLD, c, "x", "en")
    assert s2.levers == {"communication.depth": 0.8}  # unchanged on refusal


def test_world_changes_are_checked_across_levers():
    setups = (logic.Setup("baseline"), logic.Setup("full"))
    w = logic.with_world(TINY_WORLD, setups, control("population.firms"), "20", "en")
    assert w["population.firms"] == 20
    with pytest.raises(ScenarioError, match="partners_per_school"):
        logic.with_world(TINY_WORLD, setups, control("population.firms"), "3", "en")  # fewer firms than partners


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
    assert loaded.params.firm_support.joint_projects == 0.5  # from the strategy itself
    assert loaded.params.population.firms == TINY_WORLD["population.firms"]
    # unchanged settings export under the strategy's own name
    assert tomllib.loads(logic.export_toml(logic.Setup("baseline"), TINY_WORLD))["name"] == "baseline"


def test_exported_file_validates_and_runs_with_sesim(tmp_path):
    path = tmp_path / "exported.toml"
    path.write_text(
        logic.export_toml(logic.Setup("baseline", {"craftsman.intensity": 0.6}), TINY_WORLD), encoding="utf-8"
    )
    v = subprocess.run([sys.executable, "-m", "sim", "validate", str(path)], capture_output=True, text=True)
    assert v.returncode == 0, v.stderr
    out = tmp_path / "run"
    r = subprocess.run(
        [sys.executable, "-m", "sim", "run", str(path), "--seeds", "1", "--out", str(out)],
        capture_output=True,
        text=True,
    )
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
    np.testing.assert_equal(d.series(0), d.series(1))  # NaN months count as equal
    before_b = d.series(1)
    d.replace(
        0,
        logic.make_scenario(
            logic.Setup("baseline", {"party_building.mode": "integrated", "firm_support.frontline_share": 0.9}),
            TINY_WORLD,
        ),
    )
    assert d.month == 6
    np.testing.assert_equal(d.series(1), before_b)  # the other strategy is untouched
    assert not np.allclose(d.series(0)["skill_mean"], before_b["skill_mean"], equal_nan=True) or not np.allclose(
        d.series(0)["firm_willingness"], before_b["firm_willingness"]
    )  # A replayed with the lever


# ------------------------------------------------------------------ result card
NAMES_EN = ("Status quo", "Party-led")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def card_texts(card: logic.Card) -> list[str]:
    return [
        card.headline,
        *(t for t, _ in card.groups),
        *card.head,
        *(c for row in card.cells() for c in row),
        *(r.sentence for r in card.rows),
        *(r.label for r in card.rows),
    ]


def hand_made(mean: dict[str, logic.Difference], months: int = 2, seeds=(0, 1, 2)) -> logic.Replicates:
    last = {m: logic.Difference(len(seeds), 0.5, 0.5, 0.0, -1.0, 1.0) for m in logic.CHART_METRICS}
    return logic.Replicates((None, None), months, tuple(seeds), mean, last)


def test_result_card_gives_both_outcomes_and_their_difference_in_words():
    a = {m: [0.5, 0.7] for m in logic.CHART_METRICS}
    b = {m: [0.6, 0.8] for m in logic.CHART_METRICS}
    b["reputation"] = [0.5, 0.7]
    a["graduate_retention_12m"] = [float("nan"), 0.4]
    card = logic.result_card(a, b, NAMES_EN, 7, "en")
    assert not card.replicated and [r.metric for r in card.rows] == list(logic.CHART_METRICS)
    fr = card.rows[0]
    assert (fr.mean.a, fr.mean.b, fr.mean.points) == pytest.approx((0.6, 0.7, 10.0))
    assert (fr.last.a, fr.last.b, fr.last.points) == pytest.approx((0.7, 0.8, 10.0))
    assert fr.verdict == "raises"
    assert fr.sentence == (
        "Party-led raises firm retention by 10.0 points against Status quo on average over "
        "months 1–2 (60.0% vs 70.0%); in month 2: 70.0% vs 80.0%."
    )
    grad = card.rows[1]
    assert grad.mean.a == pytest.approx(0.4) and grad.mean.points == pytest.approx(30.0)  # NaN months skipped
    assert card.rows[-1].verdict == "same"
    assert card.rows[-1].sentence.startswith("Party-led and Status quo give the same school reputation on average")
    assert card.cells()[0] == ["firm retention", "60.0%", "70.0%", "+10.0", "70.0%", "80.0%", "+10.0"]
    assert card.groups == [("", 1), ("mean of months 1–2", 3), ("month 2", 3)]
    lower = logic.result_card(b, a, ("Party-led", "Status quo"), 7, "zh").rows[0]
    assert lower.verdict == "lowers"
    assert lower.sentence == (
        "与Party-led相比，Status quo使企业合作留存率在第 1–2 月平均降低10.0 个百分点"
        "（70.0% 对 60.0%）；第 2 月：80.0% 对 70.0%。"
    )
    one = logic.result_card({m: [0.5] for m in a}, {m: [0.5] for m in a}, NAMES_EN, 7, "en")
    assert "Over month 1 of one run (seed 7)" in one.headline


def test_one_run_card_states_its_seed_and_months_and_agrees_with_the_latest_values():
    scns = tuple(logic.make_scenario(logic.Setup(s), TINY_WORLD) for s in ("baseline", "huli_tongqiang_qirong"))
    d = logic.Duel(scns, seed=7)
    d.step(6)
    a, b = d.series(0), d.series(1)
    card = logic.result_card(a, b, NAMES_EN, d.seed, "en")
    assert card.headline.startswith(
        "Over months 1–6 of one run (seed 7): the mean over these months and the value in month 6 alone."
    )
    for r, cells in zip(card.rows, card.cells()):
        # the card's "month 6" columns are the page's latest values (the same formula as app.LiveView)
        assert cells[4:6] == [logic.format_metric(r.metric, logic.latest(x[r.metric])) for x in (a, b)]
        if not np.isfinite(r.mean.points):
            assert r.verdict == "no_data" and "no data over months 1–6" in r.sentence
            continue
        assert r.mean.a == pytest.approx(np.nanmean(a[r.metric])) and r.mean.b == pytest.approx(np.nanmean(b[r.metric]))
        assert r.mean.points == pytest.approx(100 * (r.mean.b - r.mean.a), abs=0.051)
        assert cells[3] == f"{r.mean.points:+.1f}"
        # the sentence carries the numbers of the table, each labelled with what it is
        assert f"; in month 6: {cells[4]} vs {cells[5]}." in r.sentence
        if r.verdict == "same":
            assert cells[1] == cells[2] and f"on average over months 1–6 ({cells[1]});" in r.sentence
        else:
            assert f"by {abs(r.mean.points):.1f} points" in r.sentence
            assert f"on average over months 1–6 ({cells[1]} vs {cells[2]});" in r.sentence
    assert {r.verdict for r in card.rows} & {"raises", "lowers"}  # a sentence with numbers was checked


def test_the_verdict_follows_the_interval():
    d = logic.Difference
    mean = {
        "firm_retention": d(5, 0.60, 0.65, 5.0, 1.2, 8.8),  # excludes 0: raises
        "graduate_retention_12m": d(5, 0.60, 0.55, -5.0, -8.8, -1.2),  # excludes 0: lowers
        "skill_mean": d(5, 0.60, 0.609, 0.9, -2.1, 3.9),  # includes 0: no verdict
        "firm_willingness": d(5, 0.60, 0.605, 0.5, 0.04, 0.96),  # shown as [0.0, 1.0]: no verdict
        "reputation": d(1, 0.60, 0.62, 2.0),
    }  # one run with data: no interval
    card = logic.result_card(
        {m: [0.5, 0.5] for m in logic.CHART_METRICS},
        {m: [0.9, 0.9] for m in logic.CHART_METRICS},
        NAMES_EN,
        0,
        "en",
        hand_made(mean),
    )
    assert card.replicated
    assert card.headline.startswith("Over months 1–2 of 3 paired runs (seeds 0–2")
    verdicts = {r.metric: r.verdict for r in card.rows}
    assert verdicts == {
        "firm_retention": "raises",
        "graduate_retention_12m": "lowers",
        "skill_mean": "unclear",
        "firm_willingness": "unclear",
        "reputation": "no_data",
    }
    s = {r.metric: r.sentence for r in card.rows}
    assert s["firm_retention"] == (
        "Party-led raises firm retention by 5.0 points against Status quo on average over "
        "months 1–2: 95% interval [1.2, 8.8] over 5 paired runs, a clear difference."
    )
    assert "lowers graduate retention (12 months) by 5.0 points" in s["graduate_retention_12m"]
    assert s["skill_mean"] == (
        "No clear difference in mean skill at graduation between Party-led and Status quo on "
        "average over months 1–2: +0.9 points, 95% interval [-2.1, 3.9] over 5 paired runs "
        "includes 0."
    )
    assert "[0.0, 1.0]" in s["firm_willingness"] and "No clear difference" in s["firm_willingness"]
    assert s["reputation"] == "school reputation: fewer than 2 runs with data over months 1–2, so no interval."
    for r in card.rows:
        assert ("raises" in r.sentence) == (r.mean.has_interval and round(r.mean.low, 1) > 0)
        assert ("lowers" in r.sentence) == (r.mean.has_interval and round(r.mean.high, 1) < 0)
    # the table: replicate means, the difference with its interval; the series shown are not used
    assert card.cells()[0][1:4] == ["60.0%", "65.0%", "+5.0 [1.2, 8.8]"]
    assert card.cells()[-1][3] == "+2.0"
    with pytest.raises(ValueError):  # replicates of other months never label this card
        logic.result_card(
            {m: [0.5] for m in logic.CHART_METRICS},
            {m: [0.5] for m in logic.CHART_METRICS},
            NAMES_EN,
            0,
            "en",
            hand_made(mean),
        )


def test_paired_interval_known_answers():
    # differences 1, 3, 2 points: mean 2, sd 1, t(0.975, 2) = 4.3027 → 2 ± 4.3027/√3 = [-0.484, 4.484]
    d = logic.paired(np.zeros(3), np.array([0.01, 0.03, 0.02]))
    assert (d.n, d.points, d.low, d.high) == pytest.approx((3, 2.0, -0.4842, 4.4842), abs=1e-3)
    assert d.has_interval and not d.clear
    same_gain = logic.paired(np.array([0.1, 0.2, 0.3]), np.array([0.15, 0.25, 0.35]))  # +5 in every pair
    assert (same_gain.low, same_gain.high) == pytest.approx((5.0, 5.0)) and same_gain.clear
    missing = logic.paired(np.array([0.1, np.nan, np.nan]), np.array([0.2, 0.3, np.nan]))
    assert missing.n == 1 and not missing.has_interval and missing.points == pytest.approx(10.0)
    assert logic.paired(np.full(3, np.nan), np.full(3, np.nan)).n == 0


def test_replicates_are_paired_contain_their_difference_and_match_only_their_run():
    d = duel()
    d.step(6)
    reps = logic.run_replicates(tuple(d.scenarios), 6, 3, d.seed, "en")
    assert reps.seeds == (d.seed, d.seed + 1, d.seed + 2) and reps.months == 6
    assert reps.matches(d.scenarios, d.seed, 6)
    assert not reps.matches(d.scenarios, d.seed, 7) and not reps.matches(d.scenarios, d.seed + 1, 6)
    other = logic.make_scenario(logic.Setup("baseline", {"communication.depth": 0.9}), TINY_WORLD)
    assert not reps.matches((other, d.scenarios[1]), d.seed, 6)
    assert sum(reps.mean[m].n == 3 for m in logic.CHART_METRICS) >= 3
    # replicate i is the page's run on seed S + i (so the first is the run shown)
    runs = [d] + [logic.Duel(tuple(d.scenarios), seed=d.seed + i) for i in (1, 2)]
    for r in runs[1:]:
        r.step(6)
    for m in logic.CHART_METRICS:
        if reps.mean[m].n == 3 == reps.last[m].n:
            assert reps.mean[m].a == pytest.approx(np.mean([logic.average(r.series(0)[m]) for r in runs]))
            assert reps.last[m].b == pytest.approx(np.mean([r.series(1)[m][-1] for r in runs]))
    for diffs in (reps.mean, reps.last):
        for r in diffs.values():
            if r.n == 0:  # no graduate followed up yet in six months of a tiny world
                assert math.isnan(r.points)
                continue
            assert r.n == 3 and r.low <= r.points <= r.high
            assert r.points == pytest.approx(100 * (r.b - r.a))
    card = logic.result_card(d.series(0), d.series(1), NAMES_EN, d.seed, "en", reps)
    for r in card.rows:
        assert r.verdict in (("raises", "lowers") if r.mean.clear else ("unclear", "no_data"))
    # the same strategy twice: every paired difference is 0, so no card row claims one
    same = logic.run_replicates((d.scenarios[0], d.scenarios[0]), 6, 3, 0, "en")
    assert all(r.points == 0 and r.low == 0 == r.high and not r.clear for r in same.mean.values() if r.n)
    verdicts = {r.verdict for r in logic.result_card(d.series(0), d.series(0), NAMES_EN, 0, "en", same).rows}
    assert verdicts <= {"unclear", "no_data"}
    with pytest.raises(ScenarioError, match="allowed 2..50"):
        logic.run_replicates(tuple(d.scenarios), 6, 1, 0, "en")


def test_the_chinese_card_has_no_english_words():
    d = duel()
    d.step(6)
    titles = logic.strategy_titles("zh")
    names = (titles["baseline"], titles["huli_tongqiang_qirong"])
    reps = logic.run_replicates(tuple(d.scenarios), 6, 2, d.seed, "zh")
    for card in (
        logic.result_card(d.series(0), d.series(1), names, d.seed, "zh"),
        logic.result_card(d.series(0), d.series(1), names, d.seed, "zh", reps),
    ):
        assert "随机种子" in card.headline and "第 1–6 月" in card.headline
        for text in card_texts(card):
            # strategy titles keep their identifiers in brackets, e.g. 现状 (baseline): names users type
            words = LATIN_WORD.findall(text.replace("(baseline)", "").replace("(huli_tongqiang_qirong)", ""))
            assert not words, text
    for key in ("stale", "show_intervals", "latest", "card_one_run", "card_replicates", "col_mean"):
        assert not LATIN_WORD.findall(re.sub(r"\{\w+\}", "", UI[key][1])), key


def test_every_chinese_label_is_chinese():
    names_users_type = {"export_toml": "TOML", "export_png": "PNG", "export_note": "TOML sesim run FILE"}
    for key, (_, zh) in UI.items():
        words = LATIN_WORD.findall(re.sub(r"\{\w+\}", "", zh))
        assert set(words) <= set(names_users_type.get(key, "").split()), (key, words)


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
    assert plain.mentoring == []  # two skins: no co-mentoring
    pb = d.models[1].params.party_building
    assert pb.mode == "integrated" and pb.co_mentoring and party.mentoring
    assert all(0 <= k < len(party.members) and 0 <= f < 12 for k, f in party.mentoring)


def test_network_view_reads_each_schools_own_party_building():
    """Co-mentoring is drawn for the schools that chose it (their own values, docs/odd.md §11), not from
    the scenario's scalar: here the scenario says two skins and only school 1 integrates and co-mentors."""
    from sim.model import CooperationModel

    m = CooperationModel(load_scenario("baseline", TINY_WORLD).params, seed=3)
    m.school_levers.set("party_building.mode", [1], "integrated")
    m.school_levers.set("party_building.co_mentoring", [1], True)
    from sim.state import INTERNING

    while not (m.students.status[: m.students.n] == INTERNING).any():  # until some students intern
        m.step()
    view = logic.network_view(m)
    per_school = m.params.population.party_members_per_school
    assert view.mentoring, "school 1 co-mentors at its hosts"
    assert all(per_school <= k < 2 * per_school for k, _ in view.mentoring)  # school 1's members only


def test_pictures_are_png_and_change_with_the_run():
    from sim.apps.dashboard import figures

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
