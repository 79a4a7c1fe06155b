"""``sesim compare --uncertainty`` (issue 15, point 3; acceptance 1 and 2)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import uncertainty
from tests.analysis.holding import held, wait_for_batch

ROOT = Path(__file__).resolve().parents[2]
SMALL = ["--set", "population.schools=2", "--set", "population.cohort_size=60", "--set", "population.firms=20",
         "--set", "population.partners_per_school=6", "--set", "run.warmup_months=12", "--years", "4"]
TABLES = ("uncertainty.csv", "rank.csv", "hinges.csv", "summary.csv")


def sesim(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    env = env or {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, env=env)


def compare(out: Path, *extra: str, mode: str = "assumptions", draws: int = 6, env: dict | None = None):
    return sesim("compare", "baseline", "craftsman", "huli_tongqiang_qirong", "--uncertainty", mode,
                 "--draws", str(draws), *SMALL, "--out", str(out), *extra, env=env)


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("unc") / "local"
    r = compare(out, "--workers", "2")
    assert r.returncode == 0, r.stderr
    return out


def test_it_writes_the_tables_and_the_draws(local):
    for name in (*TABLES, "draws.parquet"):
        assert (local / name).is_file(), name
    u = pd.read_csv(local / "uncertainty.csv")
    assert {"strategy", "metric", "median_diff", "q05", "q95", "prob_improvement"} <= set(u.columns)
    assert set(u["strategy"]) == {"craftsman", "huli_tongqiang_qirong"}
    assert ((u["q05"] <= u["median_diff"]) & (u["median_diff"] <= u["q95"])).all()
    assert u["prob_improvement"].between(0, 1).all()
    rank = pd.read_csv(local / "rank.csv")
    for _, g in rank.groupby("metric"):            # someone is first in every draw; ties share the draw
        assert abs(g["prob_first"].sum() - 1.0) < 1e-9
    draws = pd.read_parquet(local / "draws.parquet")
    assert len(draws) == 6 and (draws["seed"] == np.arange(6)).all()
    assert set(uncertainty.assumption_ranges()) <= set(draws.columns)


def test_every_strategy_takes_the_same_draw_and_seed_in_replicate_i(local):
    s = pd.read_csv(local / "summary.csv")
    by = s.groupby("draw")["seed"].agg(["nunique", "first"])
    assert (by["nunique"] == 1).all() and (by["first"] == by.index).all()
    assert s.groupby("draw")["scenario"].nunique().eq(3).all()


def test_a_replicate_rerun_alone_with_its_draw_and_seed_reproduces_its_row(local, tmp_path):
    draws = pd.read_parquet(local / "draws.parquet")
    summary = pd.read_csv(local / "summary.csv")
    i = 3
    d = draws[draws["draw"] == i].iloc[0]
    sets = [x for k in uncertainty.drawn_keys(draws)
            for x in ("--set", f"{k}={d[k].item()!r}")]          # repr of a Python float: every digit
    r = sesim("run", "huli_tongqiang_qirong", "--seeds", "1", "--seed", str(int(d["seed"])), *SMALL, *sets,
              "--out", str(tmp_path / "one"))
    assert r.returncode == 0, r.stderr
    alone = pd.read_csv(tmp_path / "one" / "summary.csv").iloc[0]
    row = summary[(summary["scenario"] == "huli_tongqiang_qirong") & (summary["draw"] == i)].iloc[0]
    for m in ("firm_retention", "early_turnover_6m", "skill_fit", "firm_net_benefit"):
        assert alone[m] == pytest.approx(row[m], rel=1e-9, abs=1e-12), m


def test_dask_gives_identical_tables(local, tmp_path):
    pytest.importorskip("distributed")
    out = tmp_path / "dask"
    r = compare(out, "--backend", "dask", "--workers", "2")
    assert r.returncode == 0, r.stderr
    for name in TABLES:
        assert (out / name).read_bytes() == (local / name).read_bytes(), name


def test_a_killed_run_resumes_with_no_replicate_lost_or_repeated(local, tmp_path):
    out = tmp_path / "killed"
    env, release = held(tmp_path, first_held=4)
    p = subprocess.Popen([sys.executable, "-m", "sim", "compare", "baseline", "craftsman", "huli_tongqiang_qirong",
                          "--uncertainty", "assumptions", "--draws", "6", *SMALL, "--out", str(out), "--workers", "2"],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_batch(out / "runs")
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=60)
    release.touch()
    assert not (out / "uncertainty.csv").exists()
    r = compare(out, "--resume", "--workers", "2")
    assert r.returncode == 0, r.stderr
    runs = pd.concat([pd.read_parquet(f) for f in (out / "runs").glob("runs-*.parquet")])
    assert sorted(runs["run_id"]) == list(range(18))                  # every run exactly once
    for name in TABLES:
        assert (out / name).read_bytes() == (local / name).read_bytes(), name


def test_bad_input_is_one_line():
    for extra, needle in ((["--draws", "2"], "--draws"), (["--precision", "0.1"], "--precision"),
                          (["--resume"], None)):
        r = sesim("compare", "baseline", "craftsman", *(["--uncertainty", "assumptions"] if extra != ["--resume"] else []),
                  *extra, *SMALL)
        assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr
        if needle:
            assert needle in r.stderr


# --- hinges: known answers -----------------------------------------------------------------------------
def test_a_planted_carrier_is_above_noise_and_a_parameter_nothing_reads_is_not():
    """Known answer at the size of a real comparison (64 draws over every assumption with a
    plausible range, plus one column the fake model never reads): the difference is a function of
    one parameter plus noise (the parameter explains 80% of its variance).  The carrier ranks
    first and stands above the noise benchmark; the dummy and every other parameter do not."""
    draws = uncertainty.make_draws("assumptions", 64, root=1)
    X = draws[uncertainty.drawn_keys(draws)].copy()
    X["behaviour.dummy"] = np.random.default_rng(9).random(64)
    carrier = X["behaviour.trust_weight"].to_numpy()
    rng = np.random.default_rng(5)
    y = 2.0 * (carrier - carrier.mean()) / carrier.std() + rng.standard_normal(64)
    tab = uncertainty.hinge_indices(X, y, seed=1).set_index("parameter")
    assert tab.index[0] == "behaviour.trust_weight" and bool(tab.loc["behaviour.trust_weight", "above_noise"])
    assert tab.loc["behaviour.trust_weight", "p_noise"] < 0.05
    assert not tab.loc["behaviour.dummy", "above_noise"]
    assert int(tab["above_noise"].sum()) == 1
    assert tab.loc["behaviour.dummy", "delta"] <= tab["noise_q95"].iloc[0]


def test_the_noise_benchmark_holds_its_error_rate_when_nothing_carries_the_difference():
    """Over 24 cells whose differences are pure noise (no parameter matters), the benchmark calls
    some parameter of a cell above noise in about 5% of cells, whatever the 172 parameters; more
    than 4 of 24 would mean it does not hold (binomial tail below 1% at 5%)."""
    draws = uncertainty.make_draws("assumptions", 64, root=2)
    X = draws[uncertainty.drawn_keys(draws)]
    false = sum(bool(uncertainty.hinge_indices(X, np.random.default_rng(100 + k).standard_normal(64),
                                               seed=k)["above_noise"].any()) for k in range(24))
    assert false <= 4


def test_the_index_is_salibs_pawn():
    """The vectorised index equals SALib's ``pawn`` median (the reference implementation), ties included."""
    import contextlib
    import io
    import warnings

    from SALib.analyze import pawn
    rng = np.random.default_rng(3)
    for n, p, ties in ((64, 20, False), (37, 5, True), (32, 3, False)):
        X = rng.random((n, p))
        y = rng.random(n) + X[:, 0]
        if ties:
            X, y = np.round(X * 4) / 4, np.round(y * 3)
        problem = {"num_vars": p, "names": [f"x{i}" for i in range(p)], "bounds": [[0, 1]] * p}
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            ref = np.nan_to_num(pawn.analyze(problem, X, y, S=uncertainty.PAWN_SLICES)["median"])
        np.testing.assert_allclose(uncertainty.pawn_index(X, y), ref, atol=1e-12)


def test_make_draws_is_reproducible_and_covers_the_plausible_ranges():
    a = uncertainty.make_draws("assumptions", 16, root=7)
    b = uncertainty.make_draws("assumptions", 16, root=7)
    pd.testing.assert_frame_equal(a, b)
    for k, (lo, hi, integer) in uncertainty.assumption_ranges().items():
        assert a[k].between(lo, hi).all(), k
        if not integer:        # a Latin hypercube: one draw in each sixteenth of the range
            assert len(set(np.floor((a[k] - lo) / (hi - lo) * 16).clip(0, 15))) == 16, k
    assert not uncertainty.make_draws("assumptions", 16, root=8).equals(a)


def test_discover_finds_where_a_strategy_fails_or_says_none(local):
    pytest.importorskip("ema_workbench")
    for strategy, metric in (("craftsman", "firm_retention"), ("huli_tongqiang_qirong", "firm_retention")):
        r = sesim("discover", str(local), "--metric", metric, "--strategy", strategy)
        assert r.returncode == 0, r.stderr
        folder = local / f"discover-{strategy}-{metric}-fails"
        boxes = pd.read_csv(folder / "boxes.csv")
        assert ("coverage" in r.stdout and "density" in r.stdout and len(boxes)) or "no box found" in r.stdout
        assert json.loads((folder / "manifest.json").read_text())["strategy"] == strategy
    r = sesim("discover", str(local), "--metric", "firm_retention", "--strategy", "nope")
    assert r.returncode == 2 and "--strategy nope" in r.stderr and r.stderr.count("\n") == 1


def test_discover_refuses_an_unknown_strategy_before_it_names_a_folder(tmp_path, capsys):
    """--strategy becomes part of the output folder's name: a name that is not one of the compared
    strategies (here a path) is refused in one line and nothing is created, inside the folder or out."""
    import json

    from sim.cli import main
    u = tmp_path / "u"
    u.mkdir()
    (u / "uncertainty.json").write_text(json.dumps({"scenarios": ["baseline", "huli_tongqiang_qirong"],
                                                   "baseline": "baseline"}))
    for name in ("x/y/z", "x/../../../escaped"):
        assert main(["discover", str(u), "--metric", "firm_retention", "--strategy", name]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "allowed one of huli_tongqiang_qirong" in err[0]
    assert sorted(p.name for p in u.iterdir()) == ["uncertainty.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["u"]
