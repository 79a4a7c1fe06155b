"""``sesim sensitivity`` and ``sesim discover``: known answers through the same code path
(Ishigami for Sobol indices, a planted box for PRIM), a model sweep where one lever matters and
one does not, grid heat maps, and refusal of sweeps with failed runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.sweep import load_runs, prepare_out, to_frame, write_batch, write_json
from analysis.sweepfile import Lever, Sweep
from sim.metrics import ALL_METRICS
from sim.params import Params

pytestmark = pytest.mark.slow  # sweeps run end to end before each analysis

SMALL_BASE = """extends = "baseline"
name = "small"
[population]
schools = 2
firms = 24
partners_per_school = 6
cohort_size = 120
[run]
years = 4
warmup_months = 12
"""


def sesim(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True)


def synthetic_sweep(out: Path, sw: Sweep, response) -> None:
    """Store a sweep whose 'firm_retention' is response(design matrix), as sesim sweep would."""
    import time

    from analysis.sweep import manifest

    prepare_out(sw, out, None, False)
    X = sw.matrix()
    y = response(X)
    rows = [
        {
            "run_id": i,
            "point": i,
            "replicate": 0,
            "seed": 0,
            **pt,
            "status": "ok",
            "error": "",
            **{m: 0.5 for m in ALL_METRICS},
            "firm_retention": float(y[i]),
        }
        for i, pt in enumerate(sw.points())
    ]
    write_batch(out, to_frame(rows, [lv.key for lv in sw.levers]))
    write_json(out / "manifest.json", manifest(sw, None, len(rows), len(rows), 0, "complete", time.time()))


def ishigami(X: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


def test_sobol_indices_of_the_ishigami_function(tmp_path):
    # the analytic answer (Ishigami & Homma 1990; SALib's own test values)
    s1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
    st = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}
    pi = float(np.pi)
    sw = Sweep(
        name="ishigami",
        path="",
        base="baseline",
        design="sobol",
        samples=1024,
        replicates=1,
        seed=1,
        levers=tuple(Lever(f"x{i}", low=-pi, high=pi) for i in (1, 2, 3)),
        base_params=Params(),
        base_toml="[x]\n",
    )
    synthetic_sweep(tmp_path / "sw", sw, ishigami)
    r = sesim("sensitivity", str(tmp_path / "sw"), "--metric", "firm_retention", "--lang", "en")
    assert r.returncode == 0, r.stderr
    tab = pd.read_csv(tmp_path / "sw" / "sensitivity" / "indices.csv")
    assert list(tab.columns) == ["metric", "lever", "index", "value", "conf_low", "conf_high"]
    for idx, truth in (("S1", s1), ("ST", st)):
        t = tab[tab["index"] == idx].set_index("lever")
        for lever, v in truth.items():
            assert abs(t.loc[lever, "value"] - v) < 0.05, (idx, lever, t.loc[lever, "value"])
            assert t.loc[lever, "conf_low"] <= t.loc[lever, "value"] <= t.loc[lever, "conf_high"]
    assert (tmp_path / "sw" / "sensitivity" / "indices-firm_retention.png").stat().st_size > 5000
    assert "x2" in r.stdout.splitlines()[0] and "x1" in r.stdout.splitlines()[0]


@pytest.fixture(scope="module")
def model_sobol(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("msobol")
    (d / "small.toml").write_text(SMALL_BASE)
    (d / "sobol.toml").write_text(
        'base = "small.toml"\ndesign = "sobol"\nsamples = 8\nreplicates = 1\nseed = 2\n'
        '[levers]\n"firm_support.frontline_share" = { low = 0.0, high = 1.0 }\n'
        '"behaviour.staff_wage" = { low = 0.05, high = 0.5 }\n'
    )
    r = sesim("sweep", str(d / "sobol.toml"), "--workers", "2", "--out", str(d / "out"))
    assert r.returncode == 0, r.stderr
    return d / "out"


def test_a_lever_that_matters_ranks_above_one_that_does_not(model_sobol):
    # front-line posts drive technical skill (M3, P2 §三.2(2)); the staff wage only prices the
    # school's hours in its accounts and cannot move a student's skill.
    r = sesim("sensitivity", str(model_sobol), "--metric", "skill_technical", "--metric", "skill_fit")
    assert r.returncode == 0, r.stderr
    tab = pd.read_csv(model_sobol / "sensitivity" / "indices.csv")
    for m in ("skill_technical", "skill_fit"):
        st = tab[(tab["metric"] == m) & (tab["index"] == "ST")].set_index("lever")["value"]
        assert st["firm_support.frontline_share"] > 0.5, st
        assert abs(st["behaviour.staff_wage"]) < 1e-9, st
        assert (model_sobol / "sensitivity" / f"indices-{m}.png").is_file()


def test_sweeps_with_failed_runs_are_refused(model_sobol, tmp_path):
    import shutil

    bad = tmp_path / "bad"
    shutil.copytree(model_sobol, bad, ignore=shutil.ignore_patterns("sensitivity"))
    f = sorted((bad / "runs").glob("runs-*.parquet"))[0]
    t = pd.read_parquet(f)
    t.loc[t.index[0], "status"] = "failed"
    t.loc[t.index[0], "skill_technical"] = np.nan
    t.to_parquet(f, index=False)
    r = sesim("sensitivity", str(bad), "--metric", "skill_technical")
    assert r.returncode == 2 and "1 runs failed" in r.stderr and f"run ids {int(t['run_id'].iloc[0])}" in r.stderr
    assert not (bad / "sensitivity" / "indices.csv").exists()
    f.unlink()  # a missing batch: the sweep is unfinished
    r = sesim("sensitivity", str(bad), "--metric", "skill_technical")
    assert r.returncode == 2 and "not stored yet" in r.stderr and "--resume" in r.stderr
    r = sesim("sensitivity", str(tmp_path / "nowhere"))
    assert r.returncode == 2 and "no manifest.json" in r.stderr


def test_a_metric_defined_in_every_run_is_accepted(model_sobol):
    # warm-up 12 + 4 years = a 60-month horizon; the cohort that starts in year 3 graduates in
    # month 12, and its 36-month follow-up ends in month 48 < 60, so graduate_retention_36m is
    # defined in every run of this sweep
    assert load_runs(model_sobol)["graduate_retention_36m"].notna().all()
    r = sesim("sensitivity", str(model_sobol), "--metric", "graduate_retention_36m")
    assert r.returncode == 0, r.stderr


def test_undefined_metric_is_refused_by_name(tmp_path):
    """A metric that is NaN in some runs (runs too short for its follow-up) is refused, and a
    misspelt metric is answered with the nearest name."""
    sw = Sweep(
        name="short",
        path="",
        base="baseline",
        design="sobol",
        samples=8,
        replicates=1,
        seed=1,
        levers=(Lever("x1", low=0.0, high=1.0), Lever("x2", low=0.0, high=1.0)),
        base_params=Params(),
        base_toml="[x]\n",
    )
    synthetic_sweep(tmp_path / "sw", sw, lambda X: X[:, 0])
    f = sorted((tmp_path / "sw" / "runs").glob("runs-*.parquet"))[0]
    t = pd.read_parquet(f)
    t.loc[t.index[3], "graduate_retention_36m"] = np.nan
    t.to_parquet(f, index=False)
    r = sesim("sensitivity", str(tmp_path / "sw"), "--metric", "graduate_retention_36m")
    assert r.returncode == 2, r.stderr
    assert "graduate_retention_36m" in r.stderr and "undefined (NaN) in 1 runs" in r.stderr
    assert f"first: run {int(t['run_id'].iloc[3])}" in r.stderr
    assert not (tmp_path / "sw" / "sensitivity" / "indices.csv").exists()
    r = sesim("sensitivity", str(tmp_path / "sw"), "--metric", "firm_retension")
    assert r.returncode == 2 and "did you mean 'firm_retention'" in r.stderr


def test_prim_finds_a_planted_box(tmp_path):
    # firm_retention is high exactly where a >= 0.6 and b <= 0.3; c is irrelevant
    grid = [round(v, 2) for v in np.linspace(0, 1, 11)]
    sw = Sweep(
        name="box",
        path="",
        base="baseline",
        design="grid",
        samples=0,
        replicates=1,
        seed=0,
        levers=(Lever("a", values=tuple(grid)), Lever("b", values=tuple(grid)), Lever("c", values=(0.0, 0.5, 1.0))),
        base_params=Params(),
        base_toml="[x]\n",
    )
    vals = np.array(grid)
    synthetic_sweep(
        tmp_path / "sw",
        sw,
        lambda X: np.where((vals[X[:, 0].astype(int)] >= 0.6) & (vals[X[:, 1].astype(int)] <= 0.3), 0.9, 0.4),
    )
    r = sesim("discover", str(tmp_path / "sw"), "--metric", "firm_retention", "--above", "0.8")
    assert r.returncode == 0, r.stderr
    boxes = pd.read_csv(tmp_path / "sw" / "discover-firm_retention-above-0.8" / "boxes.csv")
    b1 = boxes[boxes["box"] == 1].set_index("lever")
    assert set(b1.index) == {"a", "b"}  # c is left free
    assert 0.5 < b1.loc["a", "low"] <= 0.6 and b1.loc["a", "high"] == 1.0
    assert b1.loc["b", "low"] == 0.0 and 0.3 <= b1.loc["b", "high"] < 0.4
    assert b1["coverage"].iloc[0] == pytest.approx(1.0) and b1["density"].iloc[0] == pytest.approx(1.0)
    assert "coverage 1.00, density 1.00" in r.stdout and "60 of 363 design points" in r.stdout
    traj = pd.read_csv(tmp_path / "sw" / "discover-firm_retention-above-0.8" / "trajectory.csv")
    assert traj["chosen"].sum() == len(set(boxes["box"])) and (traj["coverage"] <= 1).all()
    assert (tmp_path / "sw" / "discover-firm_retention-above-0.8" / "trajectory.png").stat().st_size > 5000


def test_discover_and_heat_maps_on_a_model_grid(tmp_path):
    (tmp_path / "small.toml").write_text(SMALL_BASE)
    (tmp_path / "grid.toml").write_text(
        'base = "small.toml"\ndesign = "grid"\nreplicates = 2\n[levers]\n'
        '"firm_support.frontline_share" = [0.0, 0.5, 1.0]\n'
        '"party_building.alliance" = [false, true]\n'
    )
    assert sesim("sweep", str(tmp_path / "grid.toml"), "--workers", "2", "--out", str(tmp_path / "g")).returncode == 0
    r = sesim("sensitivity", str(tmp_path / "g"), "--metric", "skill_technical")
    assert r.returncode == 0, r.stderr
    means = pd.read_csv(tmp_path / "g" / "sensitivity" / "grid_means.csv")
    assert len(means) == 6 and (means["n"] == 2).all()
    assert (tmp_path / "g" / "sensitivity" / "heatmap-skill_technical.png").stat().st_size > 5000
    cut = float(means["mean"].median())
    r = sesim("discover", str(tmp_path / "g"), "--metric", "skill_technical", "--above", f"{cut}")
    assert r.returncode == 0, r.stderr
    b = pd.read_csv(tmp_path / "g" / f"discover-skill_technical-above-{cut:g}" / "boxes.csv")
    # another threshold goes to a folder of its own: the first one's boxes.csv is kept
    r2 = sesim("discover", str(tmp_path / "g"), "--metric", "skill_technical", "--above", "0.99")
    assert r2.returncode == 0 and "no box found" in r2.stdout, r2.stderr
    assert pd.read_csv(tmp_path / "g" / f"discover-skill_technical-above-{cut:g}" / "boxes.csv").equals(b)
    assert "firm_support.frontline_share" in set(b.loc[b["box"] == 1, "lever"])
    assert "coverage" in r.stdout and "density" in r.stdout
