"""``sesim explain`` (issue 15, point 4): mechanism ablation.

Known answers: a family the strategy does not touch, and that nothing it touches depends on,
leaves the difference exactly as it is (common random numbers: the runs are identical), and the
family the strategy works through removes all of it.  The interval (Fieller's, paired) is checked
on exact cases and for its coverage by simulation.
"""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analysis.explain import COLUMNS, explanation_table, run_explain, share_remaining
from sim.scenario import load_scenario
from tests.conftest import SMALL

METRICS = ["firm_retention", "graduate_retention_12m", "early_turnover_6m", "skill_fit", "skill_craft",
           "skill_civic"]
SMALL_SETS = [x for k, v in SMALL.items() for x in ("--set", f"{k}={v}")]


# ------------------------------------------------------------------ the interval
def test_share_of_a_proportional_difference_is_exact():
    rng = np.random.default_rng(1)
    d_full = rng.normal(1.0, 0.3, 8)
    for k in (0.0, 0.5, 1.0, 1.7):
        s = share_remaining(k * d_full, d_full)
        assert s.share == pytest.approx(k) and s.low == pytest.approx(k) and s.high == pytest.approx(k)
        assert s.n == 8


def test_no_share_without_a_clear_full_difference():
    rng = np.random.default_rng(2)
    d_full = rng.normal(0.0, 1.0, 10)
    d_full -= d_full.mean()                          # mean exactly 0: nothing to apportion
    s = share_remaining(0.5 * d_full + rng.normal(0, 0.1, 10), d_full)
    assert np.isnan(s.share) and np.isnan(s.low) and np.isnan(s.high)
    assert np.isnan(share_remaining(np.ones(1), np.ones(1)).share)     # one pair: no interval


def test_missing_pairs_are_dropped():
    s = share_remaining(np.array([0.5, np.nan, 0.5, 0.5]), np.array([1.0, 1.0, 1.0, np.nan]))
    assert s.n == 2 and s.share == pytest.approx(0.5)


def test_fieller_interval_covers_the_true_share_95_percent_of_the_time():
    """Bivariate normal replicate differences, 10 pairs, true share 0.4: over 4,000 simulated
    experiments the interval holds the truth in 95% of them (binomial standard error 0.0034;
    the bound is four of them)."""
    rng = np.random.default_rng(20240515)
    hits = 0
    trials = 4000
    for _ in range(trials):
        d_full = rng.normal(1.0, 0.5, 10)
        d_off = 0.3 * d_full + rng.normal(0.1, 0.2, 10)          # E d_off / E d_full = 0.4
        s = share_remaining(d_off, d_full)
        hits += s.low <= 0.4 <= s.high
    assert abs(hits / trials - 0.95) < 4 * np.sqrt(0.95 * 0.05 / trials)


def test_table_pairs_replicates():
    rows = []
    for arm, shift in (("strategy", 1.0), ("baseline", 0.0)):
        for mech, keep in (("none", 1.0), ("M12", 0.25)):
            for i in range(5):
                rows.append({"arm": arm, "mechanism": mech, "replicate": i, "x": i + shift * keep})
    tab = explanation_table(pd.DataFrame(rows), "s", "b", ["x"], ["M12"])
    assert list(tab.columns) == list(COLUMNS)
    r = tab.iloc[0]
    assert (r["diff_full"], r["diff_off"], r["share_remaining"], r["n"]) == (1.0, 0.25, 0.25, 5)


# ------------------------------------------------------------------ known answers on the model
@pytest.fixture(scope="module")
def craftsman():
    strategy = load_scenario("craftsman", dict(SMALL))
    base = load_scenario("baseline", dict(SMALL))
    return run_explain(strategy, base, seeds=4, metric_names=METRICS, mechanisms=["M12", "M17"], progress=False)


def test_a_family_nothing_touches_explains_nothing(craftsman):
    """M17 (joint supervision): craftsman cultivation sets no supervision lever, and supervision is off
    in both arms, so nothing the strategy touches depends on it.  With common random numbers the runs
    with M17 off are the runs with it on: the difference remains whole in every metric, share 1."""
    tab = craftsman.table[craftsman.table["mechanism"] == "M17"].set_index("metric")
    assert (tab["diff_off"] == tab["diff_full"]).all()
    clear = tab["share_remaining"].notna()
    assert clear.sum() >= 3                        # retention, turnover, craft, civic differ clearly
    assert (tab.loc[clear, ["share_remaining", "ci_low", "ci_high"]] == 1.0).all().all()


def test_the_family_the_strategy_works_through_explains_all_of_it(craftsman):
    """M12 (craftsman cultivation) is the only family the strategy's levers act on: with it off in both
    arms the arms are the same, and no difference remains on any metric (share 0)."""
    tab = craftsman.table[craftsman.table["mechanism"] == "M12"].set_index("metric")
    assert (tab["diff_off"] == 0).all()
    assert tab.loc["skill_craft", "diff_full"] > 0.05          # ... of a clear difference in craft
    clear = tab["share_remaining"].notna()
    assert clear["skill_craft"] and (tab.loc[clear, "share_remaining"] == 0).all()


# ------------------------------------------------------------------ the command
def sesim(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=cwd)


def test_explain_writes_its_table_and_figure(tmp_path):
    out = tmp_path / "ex"
    args = ("explain", "craftsman", "--seeds", "3", "--mechanisms", "craftsman,M17", "--metrics",
            "skill_craft,early_turnover_6m", *SMALL_SETS, "--workers", "2", "--lang", "en", "--out", str(out))
    r = sesim(*args)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["explain.csv", "explain.png", "explain.svg", "manifest.json",
                                                       "summary.csv"]
    tab = pd.read_csv(out / "explain.csv")
    assert list(tab.columns) == list(COLUMNS)
    assert set(tab["mechanism"]) == {"M12", "M17"} and set(tab["metric"]) == {"skill_craft", "early_turnover_6m"}
    assert (tab["n"] == 3).all() and (tab["strategy"] == "craftsman").all() and (tab["baseline"] == "baseline").all()
    craft = tab.set_index(["mechanism", "metric"])
    assert craft.loc[("M12", "skill_craft"), "share_remaining"] == 0
    assert craft.loc[("M17", "skill_craft"), "share_remaining"] == 1
    assert "M12 craftsman cultivation" in r.stdout and "(points)" in r.stdout
    m = json.loads((out / "manifest.json").read_text())
    assert m["kind"] == "explain" and m["seeds"] == [0, 1, 2] and m["mechanisms_off_in_turn"] == ["M12", "M17"]
    # an earlier explain result is replaced; another command's folder is not
    r = sesim(*args)
    assert r.returncode == 0, r.stderr
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep")
    r = sesim("explain", "craftsman", "--seeds", "2", "--mechanisms", "M17", *SMALL_SETS, "--out", str(other))
    assert r.returncode == 2 and (other / "notes.txt").read_text() == "keep"


@pytest.mark.parametrize("args,needle", [
    (("explain", "craftsmann"), "did you mean 'craftsman'"),
    (("explain", "craftsman", "--mechanisms", "M3"), "M3 (learning) cannot be switched off"),
    (("explain", "craftsman", "--mechanisms", "M18"), "unknown mechanism 'M18'"),
    (("explain", "craftsman", "--metrics", "skill_crafts"), "did you mean 'skill_craft'"),
    (("explain", "baseline"), "is its own baseline"),
    (("explain", "craftsman", "--seeds", "1"), "at least 2 replicates"),
])
def test_bad_input_one_line_exit_2_nothing_written(tmp_path, args, needle):
    r = sesim(*args, "--out", str(tmp_path / "out"))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sesim: error:") and needle in lines[0], r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "out").exists()
