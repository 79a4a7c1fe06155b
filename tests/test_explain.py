"""``sesim explain`` (docs/odd.md §10): attribution by part of the strategy (exact Shapley values over
coalitions of lever groups) and by path (a family's response to the strategy held at the baseline).

Known answers: Shapley values of games whose answer is known, and that add up to the difference
in every replicate; path shares of a toy pipeline in which the strategy acts through one
mechanism only and the other is a precondition of the outcome; and on the model, that the
families the outcome needs but the strategy does not move (M16, M8) take nothing like all of it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from analysis.explain import (
    PART_COLUMNS,
    PATH_COLUMNS,
    STRATEGY,
    coalition_config,
    coalition_params,
    hold_config,
    interaction_index,
    lever_values,
    paths_table,
    ratio_share,
    run_explain,
    shapley_values,
    strategy_parts,
)
from sim import metrics
from sim.model import CooperationModel, Hold
from sim.params import SWITCHABLE
from sim.scenario import ScenarioError, builtin_names, load_scenario
from tests.conftest import SMALL
from tests.helpers import TINY

pytestmark = pytest.mark.slow  # end-to-end sesim explain runs

SMALL_SETS = [x for k, v in SMALL.items() for x in ("--set", f"{k}={v}")]


# ------------------------------------------------------------------ Fieller's interval
def test_share_of_a_proportional_difference_is_exact():
    rng = np.random.default_rng(1)
    d_full = rng.normal(1.0, 0.3, 8)
    for k in (0.0, 0.5, 1.0, 1.7):
        s = ratio_share(k * d_full, d_full)
        assert s.share == pytest.approx(k) and s.low == pytest.approx(k) and s.high == pytest.approx(k)
        assert s.n == 8


def test_no_share_without_a_clear_full_difference():
    rng = np.random.default_rng(2)
    d_full = rng.normal(0.0, 1.0, 10)
    d_full -= d_full.mean()  # mean exactly 0: nothing to apportion
    s = ratio_share(0.5 * d_full + rng.normal(0, 0.1, 10), d_full)
    assert np.isnan(s.share) and np.isnan(s.low) and np.isnan(s.high)
    assert np.isnan(ratio_share(np.ones(1), np.ones(1)).share)  # one pair: no interval


def test_fieller_interval_covers_the_true_share_95_percent_of_the_time():
    """Bivariate normal replicate differences, 10 pairs, true share 0.4: over 4,000 simulated
    experiments the interval holds the truth in 95% of them (binomial standard error 0.0034;
    the bound is four of them)."""
    rng = np.random.default_rng(20240515)
    hits, trials = 0, 4000
    for _ in range(trials):
        d_full = rng.normal(1.0, 0.5, 10)
        part = 0.3 * d_full + rng.normal(0.1, 0.2, 10)  # E part / E d_full = 0.4
        s = ratio_share(part, d_full)
        hits += s.low <= 0.4 <= s.high
    assert abs(hits / trials - 0.95) < 4 * np.sqrt(0.95 * 0.05 / trials)


# ------------------------------------------------------------------ Shapley values of known games
def _game(k: int, fn) -> dict[frozenset, np.ndarray]:
    import itertools

    return {
        frozenset(c): np.asarray(fn(frozenset(c)), float)
        for s in range(k + 1)
        for c in itertools.combinations(range(k), s)
    }


def test_an_additive_game_gives_each_part_its_own_effect():
    effects = np.array([[3.0, 1.0], [-1.0, 0.5], [0.0, 0.0]])  # parts x replicates
    v = _game(3, lambda c: sum((effects[i] for i in c), np.zeros(2)))
    phi = shapley_values(v, 3)
    for i in range(3):
        assert np.allclose(phi[i], effects[i])
    assert np.allclose(interaction_index(v, 3, 0, 1), 0.0)


def test_a_pure_interaction_is_split_evenly_and_shows_as_interaction():
    """Only parts 0 and 1 together do anything (v = 1 when both are in): each gets 1/2, part 2 gets
    0, and their interaction index is 1."""
    v = _game(3, lambda c: [1.0] if {0, 1} <= c else [0.0])
    phi = shapley_values(v, 3)
    assert np.allclose([p[0] for p in phi], [0.5, 0.5, 0.0])
    assert interaction_index(v, 3, 0, 1)[0] == pytest.approx(1.0)
    assert interaction_index(v, 3, 0, 2)[0] == pytest.approx(0.0)


def test_shapley_values_add_up_to_the_whole_in_every_replicate():
    rng = np.random.default_rng(7)
    table = {}
    v = _game(5, lambda c: table.setdefault(c, rng.normal(0, 1, 6) if c else np.zeros(6)))
    phi = shapley_values(v, 5)
    assert np.allclose(sum(phi), v[frozenset(range(5))], atol=1e-12)


# ------------------------------------------------------------------ parts of a strategy
def test_huli_is_split_into_its_components_and_its_own_joint_projects():
    s, b = load_scenario("huli_tongqiang_qirong"), load_scenario("baseline")
    parts = strategy_parts(s, b)
    assert [p.name for p in parts] == ["goal_alignment", "school_cooperation", "firm_support", "joint_projects"]
    assert parts[-1].changes == {"firm_support.joint_projects": 0.5}
    assert parts[0].changes["goal_alignment.weight"] == 0.7 and "communication.depth" in parts[0].changes
    assert "firm_support.mentors_per_firm" in parts[2].changes


@pytest.mark.parametrize("name", [n for n in builtin_names() if n != "baseline"])
def test_the_parts_of_every_strategy_make_the_strategy(name):
    """All parts together give the strategy, none the baseline: the whole coalition is the strategy run."""
    s, b = load_scenario(name), load_scenario("baseline")
    parts = strategy_parts(s, b)
    assert 1 <= len(parts) <= 5
    assert lever_values(coalition_params(b.params, parts, range(len(parts)))) == lever_values(s.params)
    assert lever_values(coalition_params(b.params, parts, [])) == lever_values(b.params)


def test_full_keeps_huli_goal_weight_and_too_many_sections_are_refused():
    s, b = load_scenario("full"), load_scenario("baseline")
    parts = strategy_parts(s, b)
    assert [p.name for p in parts] == ["party_led", "huli_tongqiang_qirong"]
    assert coalition_params(b.params, parts, [0, 1]).goal_alignment.weight == 0.7
    with pytest.raises(ScenarioError, match="6 parts by sections.*at most 5"):
        strategy_parts(s, b, "sections")


# ------------------------------------------------------------------ paths: a toy model with a known answer
@dataclass
class ToyLevers:
    x: float  # the only lever: what mechanism A turns into skill


def toy_run(levers: ToyLevers, base: ToyLevers, held: set[str], off: set[str], seed: int) -> dict:
    """A two-mechanism pipeline.  A (training) turns the lever into each worker's skill; B (the outside
    market) brings offers, whatever the levers.  A worker quits on an offer worth more than the
    skill holds them.  B is a precondition of quitting (off: no offers, nobody quits) that the
    strategy does not move; the strategy acts through A only."""
    rng = np.random.default_rng(seed)
    n = 2000
    noise, offers = rng.normal(0, 0.1, n), rng.random(n)  # both drawn whatever is held or off
    a_levers = base if "A" in held else levers
    b_levers = base if "B" in held else levers  # B reads no lever: the same either way
    del b_levers
    skill = a_levers.x + noise
    offer = np.zeros(n) if "B" in off else offers
    return {"turnover": float(np.mean(offer > 0.5 + skill))}


def _toy_summary(strategy: ToyLevers, base: ToyLevers, seeds: int, off: set[str] = frozenset()) -> pd.DataFrame:
    rows = []
    configs = [
        (coalition_config(()), base, set()),
        (STRATEGY, strategy, set()),
        (hold_config("A"), strategy, {"A"}),
        (hold_config("B"), strategy, {"B"}),
    ]
    for name, lev, held in configs:
        for i in range(seeds):
            rows.append({"config": name, "replicate": i, **toy_run(lev, base, held, set(off), i)})
    return pd.DataFrame(rows)


def test_toy_pipeline_path_shares_a_is_all_b_is_none_though_b_is_a_precondition():
    strategy, base = ToyLevers(x=0.3), ToyLevers(x=0.0)
    tab = paths_table(_toy_summary(strategy, base, 6), "s", "b", ["A", "B"], ["turnover"]).set_index("mechanism")
    assert tab.loc["A", "diff_full"] < -0.1  # training lowers turnover clearly
    assert tab.loc["A", "share"] == pytest.approx(1.0) and tab.loc["B", "share"] == 0.0
    assert tab.loc["B", "ci_low"] == 0.0 and tab.loc["B", "ci_high"] == 0.0
    # ... whereas switching B off in both arms removes the whole difference: knock-out names B the carrier
    off = _toy_summary(strategy, base, 6, off={"B"})
    assert (off.groupby("config")["turnover"].max() == 0).all()


# ------------------------------------------------------------------ the model
def test_holding_every_family_gives_the_baseline_run():
    """Every lever the model reads goes through a family, and the state-held families take the
    baseline's state (docs/odd.md §10.2): with all of them held, the strategy run is the baseline
    run, metric for metric (common random numbers)."""
    s, b = load_scenario("full", dict(TINY)), load_scenario("baseline", dict(TINY))
    recorded = CooperationModel(b.params, seed=3, record=True).run()
    base = metrics.compute(recorded)
    held = metrics.compute(
        CooperationModel(s.params, seed=3, hold=Hold(tuple(SWITCHABLE), b.params, recorded.record)).run()
    )
    strat = metrics.compute(CooperationModel(s.params, seed=3).run())
    costs = {k for k in base if k.startswith("school_")}  # staff time spent, reported as spent
    assert {k for k in base if base[k] != strat[k]} - costs  # the strategy changes the outcomes ...
    same = {
        k: (held[k], base[k])
        for k in base
        if k not in costs and not (held[k] == base[k] or (np.isnan(held[k]) and np.isnan(base[k])))
    }
    assert not same  # ... and holding every family undoes it all
    again = metrics.compute(CooperationModel(b.params, seed=3).run())  # recording changes nothing
    assert all(again[k] == base[k] or (np.isnan(again[k]) and np.isnan(base[k])) for k in base)


def test_a_state_held_family_takes_the_baselines_state_month_by_month():
    """M15 held: the strategy run's reputations are the baseline's in every month, while the strategy
    still acts through everything else (skills differ)."""
    s, b = load_scenario("huli_tongqiang_qirong", dict(TINY)), load_scenario("baseline", dict(TINY))
    base = CooperationModel(b.params, seed=5, record=True)
    with pytest.raises(ValueError, match="no recorded baseline state"):
        CooperationModel(s.params, seed=5, hold=Hold(("M15",), b.params))
    base.run()
    held = CooperationModel(s.params, seed=5, hold=Hold(("M15",), b.params, base.record))
    free = CooperationModel(s.params, seed=5)
    for month in range(held.horizon):
        held.step()
        free.step()
        assert np.array_equal(held.school_reputation, base.record["M15"]["school_reputation"][month])
        assert np.array_equal(held.firm_reputation, base.record["M15"]["firm_reputation"][month])
    assert not np.array_equal(free.school_reputation, held.school_reputation)  # M15 does respond to huli
    assert not np.array_equal(free.students.skills[: free.students.n], base.students.skills[: base.students.n])


@pytest.fixture(scope="module")
def huli():
    strategy = load_scenario("huli_tongqiang_qirong", dict(SMALL))
    base = load_scenario("baseline", dict(SMALL))
    return run_explain(
        strategy,
        base,
        seeds=3,
        metric_names=["firm_retention", "early_turnover_6m", "graduate_retention_12m"],
        families=["M1", "M8", "M16"],
        workers=2,
        progress=False,
    )


def test_huli_parts_add_up_to_the_difference(huli):
    tab = huli.parts_table
    assert list(tab.columns) == list(PART_COLUMNS)
    sh = tab[tab["kind"] == "shapley"]
    for _m, g in sh.groupby("metric"):
        assert len(g) == 4
        assert g["value"].sum() == pytest.approx(g["diff"].iloc[0], abs=1e-12)
    firm = sh[sh["metric"] == "firm_retention"].set_index("part")
    assert firm["diff"].iloc[0] > 0.1 and firm.loc["goal_alignment", "ci_low"] > 0  # the clear part
    # 2^4 coalitions and 3 families held on 3 seeds; the whole coalition is the strategy run (once)
    assert huli.n_runs == (16 + 3) * 3


def test_huli_no_precondition_family_takes_the_whole_difference(huli):
    """M16 (outside market: without it nobody quits) and M8 (firms' judgement: without it no firm
    leaves) are preconditions of turnover and firm retention, which knock-out shares named as
    carrying 100% of them.  Held at the baseline, M16 keeps only the market's benchmarks moving with
    the region's graduates, and M8 the levers it reads: each carries a clear minority at most."""
    tab = huli.paths_table
    assert list(tab.columns) == list(PATH_COLUMNS)
    p = tab.set_index(["mechanism", "metric"])
    for m in ("firm_retention", "early_turnover_6m", "graduate_retention_12m"):
        assert p.loc[("M16", m), "ci_high"] < 0.5 and abs(p.loc[("M16", m), "share"]) < 0.25
    assert p.loc[("M8", "firm_retention"), "ci_high"] < 0.5
    assert p.loc[("M1", "firm_retention"), "share"] > 0.5  # trust from talk carries it
    assert not (tab["ci_low"] >= 0.99).any()


# ------------------------------------------------------------------ the command
def sesim(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=cwd)


def test_explain_writes_both_tables_and_the_figure(tmp_path):
    out = tmp_path / "ex"
    args = (
        "explain",
        "craftsman",
        "--seeds",
        "2",
        "--mechanisms",
        "craftsman,M16",
        "--metrics",
        "skill_craft,early_turnover_6m",
        *SMALL_SETS,
        "--workers",
        "2",
        "--lang",
        "en",
        "--out",
        str(out),
    )
    r = sesim(*args)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "explain.png",
        "explain.svg",
        "manifest.json",
        "parts.csv",
        "paths.csv",
        "summary.csv",
    ]
    parts, paths = pd.read_csv(out / "parts.csv"), pd.read_csv(out / "paths.csv")
    assert list(parts.columns) == list(PART_COLUMNS) and list(paths.columns) == list(PATH_COLUMNS)
    sh = parts[parts["kind"] == "shapley"]
    assert set(sh["part"]) == {"craftsman"} and np.allclose(sh["value"], sh["diff"])  # one part: all of it
    p = paths.set_index(["mechanism", "metric"])
    assert p.loc[("M12", "skill_craft"), "share"] == 1.0  # held, the run is the baseline's
    assert abs(p.loc[("M16", "skill_craft"), "share"]) < 0.1  # skill is learnt before the market acts
    assert "By part of the strategy" in r.stdout and "By path" in r.stdout and "M12 craftsman" in r.stdout
    m = json.loads((out / "manifest.json").read_text())
    assert m["kind"] == "explain" and m["seeds"] == [0, 1] and m["families_held_in_turn"] == ["M12", "M16"]
    assert m["parts"] == {"craftsman": {"craftsman.intensity": "0.7", "craftsman.competitions_per_year": "2"}}
    # run again into the same folder: every run is reused from the earlier result, with the same tables
    r = sesim(*args)
    assert r.returncode == 0 and "reused 8 of 8 runs" in r.stderr, r.stderr
    pd.testing.assert_frame_equal(pd.read_csv(out / "parts.csv"), parts)
    pd.testing.assert_frame_equal(pd.read_csv(out / "paths.csv"), paths)
    # another seed is another run; --fresh runs everything again
    r = sesim(*args, "--seed", "1")
    assert r.returncode == 0 and "reused 4 of 8 runs" in r.stderr, r.stderr  # seed 1 was replicate 1
    r = sesim(*args, "--fresh")
    assert r.returncode == 0 and "reused" not in r.stderr
    # an earlier explain result is replaced; another command's folder is not
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep")
    r = sesim("explain", "craftsman", "--seeds", "2", "--mechanisms", "M17", *SMALL_SETS, "--out", str(other))
    assert r.returncode == 2 and (other / "notes.txt").read_text() == "keep"


@pytest.mark.parametrize(
    "args,needle",
    [
        (("explain", "craftsmann"), "did you mean 'craftsman'"),
        (("explain", "craftsman", "--mechanisms", "M3"), "M3 (learning) cannot be switched off"),
        (("explain", "craftsman", "--mechanisms", "M18"), "unknown mechanism 'M18'"),
        (("explain", "craftsman", "--metrics", "skill_crafts"), "did you mean 'skill_craft'"),
        (("explain", "baseline"), "is its own baseline"),
        (("explain", "craftsman", "--seeds", "1"), "at least 2 replicates"),
        (("explain", "full", "--parts", "sections"), "at most 5"),
    ],
)
def test_bad_input_one_line_exit_2_nothing_written(tmp_path, args, needle):
    r = sesim(*args, "--out", str(tmp_path / "out"))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sesim: error:") and needle in lines[0], r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "out").exists()
