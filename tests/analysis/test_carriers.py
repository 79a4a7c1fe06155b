"""``sesim carriers``: the screening of the differences and its tornado (docs/odd.md §12)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import carriers as cr
from sim.scenario import load_scenario
from tests.helpers import TINY

ROOT = Path(__file__).resolve().parents[2]
TINY_ARGS = [a for k, v in TINY.items() if k != "run.years" for a in ("--set", f"{k}={v}")] + [
    "--years",
    str(TINY["run.years"]),
]
TWO = "behaviour.trust_weight,behaviour.craft_visibility"
TABLES = ("differences.csv", "screening.csv", "tornado.csv", "carriers.csv", "carriers.md")


def sesim(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, env=env)


def carriers_cmd(out: Path, *extra: str) -> subprocess.CompletedProcess:
    return sesim(
        "carriers",
        "craftsman",
        "huli_tongqiang_qirong",
        *TINY_ARGS,
        "--parameters",
        TWO,
        "--metrics",
        "firm_retention,early_turnover_6m",
        "--trajectories",
        "4",
        "--noise-seeds",
        "4",
        "--workers",
        "2",
        "--out",
        str(out),
        *extra,
    )


# --- the families -------------------------------------------------------------------------------------
def test_every_screened_parameter_has_a_family_from_the_schema_headings():
    params = cr.screened_parameters(load_scenario("baseline"))
    assert len(params) > 150
    fams = {p.key: p.family for p in params}
    assert "other" not in fams.values()
    assert fams["behaviour.trust_weight"] == "M8 firm accounting"
    assert fams["behaviour.craft_visibility"].startswith("M16")
    assert all(
        p.low < p.high and p.kind in ("calibrated", "literature", "assumption")
        for p in params
        if p.key.startswith("behaviour.")
    )
    levers = [p for p in params if not p.key.startswith("behaviour.")]  # status quo known as a range
    assert [p.key for p in levers] == ["firm_support.intern_allowance"] and levers[0].kind == "policy"
    base = load_scenario("baseline")  # the scenario's value, not the schema default
    job = next(p for p in params if p.key == "behaviour.job_finding_rate")
    assert job.value == base.params.behaviour.job_finding_rate


# --- known answers on a fake model (no simulation) ---------------------------------------------------------
def fake_runs(design: pd.DataFrame, effect: float, rng: np.random.Generator, noise: float = 0.005) -> pd.DataFrame:
    """Runs of a fake model: the baseline's firm retention is 0.3 plus noise; the strategy adds
    0.1 + ``effect`` x (trust_weight - 1.5) / 4.5 (linear over its plausible range 1.5-6), and
    nothing else it reads; the same seed gives the same noise in both arms (common random numbers)."""
    rows = []
    for r in design.itertuples(index=False):
        e = np.random.default_rng(int(r.seed) % 2**32).normal(0, noise)
        tw = design.loc[r.draw, "behaviour.trust_weight"]
        rows.append({"draw": r.draw, "scenario": "baseline", "status": "ok", "firm_retention": 0.3 + e})
        rows.append(
            {
                "draw": r.draw,
                "scenario": "alpha",
                "status": "ok",
                "firm_retention": 0.3 + e + 0.1 + effect * (tw - 1.5) / 4.5 + rng.normal(0, noise),
            }
        )
    return pd.DataFrame(rows)


def test_the_screening_and_the_tornado_find_a_planted_carrier_and_not_a_parameter_it_does_not_read():
    base = load_scenario("baseline")
    params = cr.screened_parameters(
        base, ["behaviour.trust_weight", "behaviour.craft_visibility", "behaviour.hire_value"]
    )
    alpha = load_scenario("craftsman")
    alpha.name = "alpha"
    s = cr.Settings(
        base,
        [alpha],
        ["firm_retention"],
        params,
        trajectories=10,
        noise_seeds=10,
        tornado_max=1,
        tornado_seeds=2,
        root=3,
    )
    rng = np.random.default_rng(1)
    design, X = cr.screening_design(s)
    assert len(design) == s.screening_points() and len(X) == s.trajectories * (len(s.family_names()) + 2)
    diffs = cr.differences(fake_runs(design, 0.2, rng), "baseline", ["alpha"], ["firm_retention"])
    centre = cr.centre_table(diffs, s.noise_seeds)
    d0 = 0.1 + 0.2 * (base.params.behaviour.trust_weight - 1.5) / 4.5
    assert centre["diff"].iloc[0] == pytest.approx(d0, abs=0.01)
    screen = cr.screening(s, X, diffs, centre).set_index("family")
    # mu* of a linear effect is its change over the whole range (the Morris step is 2/3 of it)
    assert screen.loc["M8 firm accounting", "mu_star"] == pytest.approx(0.2, rel=0.1)
    assert screen.loc["M8 firm accounting", "above_noise"]
    assert not screen.loc[cr.DUMMY_FAMILY, "above_noise"]
    assert not screen[screen.index.str.startswith("M16")]["above_noise"].any()
    chosen, skipped = cr.choose_families(s, screen.reset_index())
    # trust_weight and hire_value share a family: two parameters exceed --tornado-max 1, but the
    # only cell's leading family is always taken
    assert [p.key for p in chosen] == ["behaviour.trust_weight", "behaviour.hire_value"] and skipped == []
    tdesign, what = cr.tornado_design(s, chosen)
    assert (tdesign["seed"].to_numpy()[:2] == design["seed"].to_numpy()[:2]).all()  # the centre's seeds
    tdiffs = cr.differences(fake_runs(tdesign, 0.2, rng), "baseline", ["alpha"], ["firm_retention"])
    torn = cr.tornado(s, what, tdiffs, centre).set_index("parameter")
    assert torn.loc["behaviour.trust_weight", "diff_at_low"] == pytest.approx(0.1, abs=0.01)
    assert torn.loc["behaviour.trust_weight", "diff_at_high"] == pytest.approx(0.3, abs=0.01)
    assert torn.loc["behaviour.trust_weight", "share"] == pytest.approx(0.2 / d0, rel=0.1)
    assert torn.loc["behaviour.trust_weight", "above_noise"]
    assert not torn.loc["behaviour.hire_value", "above_noise"]
    top = cr.carriers(torn.reset_index())
    assert top["parameter"].tolist() == ["behaviour.trust_weight"] and top["kind"].iloc[0] == "calibrated"


def test_nothing_is_above_noise_when_the_strategy_reads_no_screened_parameter():
    base = load_scenario("baseline")
    params = cr.screened_parameters(base, ["behaviour.trust_weight", "behaviour.craft_visibility"])
    alpha = load_scenario("craftsman")
    alpha.name = "alpha"
    s = cr.Settings(base, [alpha], ["firm_retention"], params, trajectories=10, noise_seeds=10, root=4)
    design, X = cr.screening_design(s)
    diffs = cr.differences(fake_runs(design, 0.0, np.random.default_rng(2)), "baseline", ["alpha"], ["firm_retention"])
    screen = cr.screening(s, X, diffs, cr.centre_table(diffs, s.noise_seeds))
    assert not screen["above_noise"].any()
    assert cr.choose_families(s, screen) == ([], [])


# --- end to end on a tiny population ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("carriers") / "c"
    r = carriers_cmd(out, "--doc", str(out.parent / "carriers.md"))
    assert r.returncode == 0, r.stderr
    return out


@pytest.mark.slow  # sesim carriers end to end
def test_it_writes_the_tables_and_the_document(tiny):
    for name in TABLES:
        assert (tiny / name).is_file(), name
    assert (tiny.parent / "carriers.md").read_bytes() == (tiny / "carriers.md").read_bytes()
    diff = pd.read_csv(tiny / "differences.csv")
    assert set(zip(diff["strategy"], diff["metric"])) == {
        (a, m) for a in ("craftsman", "huli_tongqiang_qirong") for m in ("firm_retention", "early_turnover_6m")
    }
    assert (diff["n"] == 4).all()
    screen = pd.read_csv(tiny / "screening.csv")
    assert set(screen["family"]) == {"M8 firm accounting", cr.families()["behaviour.craft_visibility"], cr.DUMMY_FAMILY}
    assert screen.groupby(["strategy", "metric"]).size().eq(3).all()
    meta = json.loads((tiny / "carriers.json").read_text())
    assert meta["status"] == "complete" and meta["runs_screening"] == 3 * (4 * 4 + 4)
    runs = pd.concat(pd.read_parquet(f) for f in (tiny / "screening" / "runs").glob("runs-*.parquet"))
    assert sorted(runs["run_id"]) == list(range(meta["runs_screening"]))
    md = (tiny / "carriers.md").read_text(encoding="utf-8")
    for title in ("(`craftsman`)", "(`huli_tongqiang_qirong`)"):
        assert title in md
    assert md.count("### firm retention") == 2 and md.count("### early turnover") == 2
    assert "Noise: seed-to-seed sd of the difference" in md and "screening runs" in md
    torn = pd.read_csv(tiny / "tornado.csv")
    if len(torn):  # each carrier with its kind and source from the schema
        assert set(torn["kind"]) <= {"assumption", "literature", "calibrated"} and torn["source"].notna().all()


@pytest.mark.slow  # sesim carriers end to end
def test_a_paired_difference_in_the_tables_is_the_two_arms_of_one_seed(tiny):
    """The centre's first seed rerun alone in both arms gives the difference the tables hold."""
    design = pd.read_parquet(tiny / "screening-design.parquet")
    seed = int(design["seed"].iloc[0])
    vals = {}
    for name in ("baseline", "craftsman"):
        r = sesim(
            "run", name, "--seeds", "1", "--seed", str(seed), *TINY_ARGS, "--out", str(tiny.parent / f"one-{name}")
        )
        assert r.returncode == 0, r.stderr
        vals[name] = pd.read_csv(tiny.parent / f"one-{name}" / "summary.csv")["early_turnover_6m"].iloc[0]
    runs = pd.concat(pd.read_parquet(f) for f in (tiny / "screening" / "runs").glob("runs-*.parquet"))
    points = runs[runs["seed"] == seed].sort_values("point")
    assert len(points) == 3  # baseline, craftsman, huli on that seed
    assert vals["craftsman"] - vals["baseline"] == pytest.approx(
        points["early_turnover_6m"].iloc[1] - points["early_turnover_6m"].iloc[0], abs=1e-9
    )  # summary.csv: 10 digits


@pytest.mark.slow  # sesim carriers end to end
def test_a_resumed_run_gives_the_same_tables_and_a_finished_one_runs_nothing(tiny, tmp_path):
    out = tmp_path / "again"
    shutil.copytree(tiny, out)
    shutil.rmtree(out / "tornado")  # as if killed after the screening
    for name in TABLES:
        (out / name).unlink()
    r = carriers_cmd(out, "--resume")
    assert r.returncode == 0, r.stderr
    for name in ("differences.csv", "screening.csv", "tornado.csv", "carriers.csv"):
        assert (out / name).read_bytes() == (tiny / name).read_bytes(), name
    before = sorted(p.name for p in (out / "screening" / "runs").iterdir())
    r = carriers_cmd(out, "--resume")
    assert r.returncode == 0 and sorted(p.name for p in (out / "screening" / "runs").iterdir()) == before


@pytest.mark.slow  # sesim carriers end to end
def test_bad_input_is_one_line_and_writes_nothing(tiny, tmp_path):
    r = carriers_cmd(tiny)  # no --resume
    assert r.returncode == 2 and "--resume" in r.stderr and r.stderr.count("\n") == 1
    for extra, needle in (
        (["--parameters", "behaviour.trust_wieght"], "did you mean 'behaviour.trust_weight'"),
        (["--tornado-seeds", "5"], "--tornado-seeds 5"),
        (["--trajectories", "1"], "--trajectories 1"),
        (["--metrics", "firm_retension"], "did you mean"),
    ):
        out = tmp_path / "bad"
        r = sesim("carriers", "craftsman", *TINY_ARGS, "--noise-seeds", "4", *extra, "--out", str(out))
        assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr
        assert needle in r.stderr and not out.exists()
    r = sesim("carriers", "baseline", *TINY_ARGS, "--out", str(tmp_path / "b"))
    assert r.returncode == 2 and "listed twice or is the baseline" in r.stderr


def test_dry_run_prints_the_cost_and_runs_nothing(tmp_path):
    r = sesim("carriers", "--dry-run", "--workers", "2", "--out", str(tmp_path / "d"))
    assert r.returncode == 0 and not (tmp_path / "d").exists()
    s = cr.Settings(
        load_scenario("baseline"),
        [load_scenario(n) for n in cr.STRATEGIES],
        list(cr.HEADLINE),
        cr.screened_parameters(load_scenario("baseline")),
    )
    screen, torn = cr.cost(s)
    assert f"= {screen} runs" in r.stdout and f"tornado about {torn} runs" in r.stdout and "on 2 worker(s)" in r.stdout
    assert screen == 5 * (cr.TRAJECTORIES * (len(s.family_names()) + 2) + cr.NOISE_SEEDS)


def test_a_calibrated_parameter_moves_over_the_range_the_posterior_leaves_it():
    """What the calibration ruled out carries nothing: a calibrated parameter with a posterior range
    is screened over that range, an assumption over its plausible range whatever is passed."""
    base = load_scenario("baseline")
    keys = ["behaviour.trust_weight", "behaviour.hire_value"]
    post = {"behaviour.trust_weight": (2.5, 3.5), "behaviour.hire_value": (0.1, 0.2)}
    p = {x.key: x for x in cr.screened_parameters(base, keys, post)}
    assert (p["behaviour.trust_weight"].low, p["behaviour.trust_weight"].high) == (2.5, 3.5)
    assert p["behaviour.trust_weight"].range_from == "posterior"
    assert p["behaviour.hire_value"].range_from == "plausible" and p["behaviour.hire_value"].low == 1.9
    q = {x.key: x for x in cr.screened_parameters(base, keys)}
    assert (q["behaviour.trust_weight"].low, q["behaviour.trust_weight"].high) == (1.5, 6.0)
    # a parameter the posterior frees but does not calibrate (hire_value is of kind literature) keeps
    # its plausible range and says how much of it the (local) posterior spans
    lo, hi = p["behaviour.hire_value"].low, p["behaviour.hire_value"].high
    assert p["behaviour.hire_value"].posterior_span == pytest.approx(0.1 / (hi - lo))
    assert np.isnan(p["behaviour.trust_weight"].posterior_span) and np.isnan(q["behaviour.hire_value"].posterior_span)


def test_every_outcome_gets_its_leading_family_before_another_outcomes_second():
    """The tornado takes every cell's leading family, whatever the cap, then the others by their
    rank within each cell while they fit: an outcome whose leading family is weaker than another
    outcome's first two still gets it (one strong outcome cannot crowd it out)."""
    base = load_scenario("baseline")
    keys = ["behaviour.trust_weight", "behaviour.hire_value", "behaviour.trust_gain", "behaviour.offer_pay_sd"]
    params = cr.screened_parameters(base, keys)
    fam = {p.key: p.family for p in params}
    m8, m16, m1 = fam["behaviour.trust_weight"], fam["behaviour.offer_pay_sd"], fam["behaviour.trust_gain"]
    assert len({m8, m16, m1}) == 3 and fam["behaviour.hire_value"] == m8
    s = cr.Settings(base, [load_scenario("craftsman")], ["a", "b"], params, tornado_max=3)

    def row(metric: str, family: str, ratio: float) -> dict:
        return {
            "strategy": "craftsman",
            "metric": metric,
            "family": family,
            "mu_star": ratio,
            "noise_mu_star": 1.0,
            "above_noise": True,
            "is_dummy": False,
        }

    screen = pd.DataFrame([row("a", m1, 9.0), row("a", m16, 8.0), row("b", m8, 2.0)])
    chosen, skipped = cr.choose_families(s, screen)
    # each cell's leading family first: M1 (9) then M8 (2), though M16 (8) scores higher than M8
    assert [p.key for p in chosen] == ["behaviour.trust_gain", "behaviour.trust_weight", "behaviour.hire_value"]
    assert skipped == [m16]
    s.tornado_max = 1
    chosen, skipped = cr.choose_families(s, screen)
    # both cells' leading families are taken past the cap; M16, second in its cell, is left out
    assert [p.key for p in chosen] == ["behaviour.trust_gain", "behaviour.trust_weight", "behaviour.hire_value"]
    assert skipped == [m16]
    screen.loc[2, "mu_star"] = 0.5  # M8 is no longer above noise: M16, second in its cell, fits beside M1
    screen.loc[2, "above_noise"] = False
    s.tornado_max = 2
    chosen, skipped = cr.choose_families(s, screen)
    assert [p.key for p in chosen] == ["behaviour.trust_gain", "behaviour.offer_pay_sd"] and skipped == []
    s.tornado_max = 1
    assert cr.choose_families(s, screen)[1] == [m16]


def test_the_help_states_the_tornado_default():
    r = sesim("carriers", "--help")
    assert f"default {cr.TORNADO_MAX})" in " ".join(r.stdout.split())
    from analysis.compare import HEADLINE

    # the outcomes it screens (argparse may wrap inside a long word: compared without whitespace)
    assert f"(default{','.join(HEADLINE)}:" in "".join(r.stdout.split())
