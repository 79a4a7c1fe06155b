"""``sesim compare --uncertainty`` (docs/odd.md §12)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from html import unescape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import uncertainty
from analysis.publish import write_uncertainty_report
from tests.analysis.holding import held, wait_for_batch

pytestmark = pytest.mark.slow  # end-to-end sesim compare --uncertainty runs

ROOT = Path(__file__).resolve().parents[2]
SMALL = [
    "--set",
    "population.schools=2",
    "--set",
    "population.cohort_size=60",
    "--set",
    "population.firms=20",
    "--set",
    "population.partners_per_school=6",
    "--set",
    "run.warmup_months=12",
    "--years",
    "4",
]
TABLES = ("uncertainty.csv", "rank.csv", "hinges.csv", "summary.csv")


def sesim(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    env = env or {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, env=env)


def compare(out: Path, *extra: str, mode: str = "assumptions", draws: int = 6, env: dict | None = None):
    return sesim(
        "compare",
        "baseline",
        "craftsman",
        "huli_tongqiang_qirong",
        "--uncertainty",
        mode,
        "--draws",
        str(draws),
        *SMALL,
        "--out",
        str(out),
        *extra,
        env=env,
    )


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
    for _, g in rank.groupby("metric"):  # someone is first in every draw; ties share the draw
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
    sets = [
        x for k in uncertainty.drawn_keys(draws) for x in ("--set", f"{k}={d[k].item()!r}")
    ]  # repr of a Python float: every digit
    r = sesim(
        "run",
        "huli_tongqiang_qirong",
        "--seeds",
        "1",
        "--seed",
        str(int(d["seed"])),
        *SMALL,
        *sets,
        "--out",
        str(tmp_path / "one"),
    )
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
    p = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim",
            "compare",
            "baseline",
            "craftsman",
            "huli_tongqiang_qirong",
            "--uncertainty",
            "assumptions",
            "--draws",
            "6",
            *SMALL,
            "--out",
            str(out),
            "--workers",
            "2",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_batch(out / "runs")
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=60)
    release.touch()
    assert not (out / "uncertainty.csv").exists()
    r = compare(out, "--resume", "--workers", "2")
    assert r.returncode == 0, r.stderr
    runs = pd.concat([pd.read_parquet(f) for f in (out / "runs").glob("runs-*.parquet")])
    assert sorted(runs["run_id"]) == list(range(18))  # every run exactly once
    for name in TABLES:
        assert (out / name).read_bytes() == (local / name).read_bytes(), name


def test_bad_input_is_one_line():
    # a plain comparison resumes too (docs/odd.md §13), but shards only a fixed number of seeds
    for extra, needle in (
        (["--draws", "2"], "--draws"),
        (["--precision", "0.1"], "--precision"),
        (["--precision", "0.1", "--shard", "0/2"], "--shard goes with --seeds"),
    ):
        r = sesim(
            "compare",
            "baseline",
            "craftsman",
            *(["--uncertainty", "assumptions"] if "--shard" not in extra else []),
            *extra,
            *SMALL,
        )
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
    carrier = X[PLANTED].to_numpy()
    rng = np.random.default_rng(5)
    y = 2.0 * (carrier - carrier.mean()) / carrier.std() + rng.standard_normal(64)
    tab = uncertainty.hinge_indices(X, y, seed=1).set_index("parameter")
    assert tab.index[0] == PLANTED and bool(tab.loc[PLANTED, "above_noise"])
    assert tab.loc[PLANTED, "p_noise"] < 0.05
    assert not tab.loc["behaviour.dummy", "above_noise"]
    assert int(tab["above_noise"].sum()) == 1
    assert tab.loc["behaviour.dummy", "delta"] <= tab["noise_q95"].iloc[0]


def test_the_noise_benchmark_holds_its_error_rate_when_nothing_carries_the_difference():
    """Over 24 cells whose differences are pure noise (no parameter matters), the benchmark calls
    some parameter of a cell above noise in about 5% of cells, whatever the 172 parameters; more
    than 4 of 24 would mean it does not hold (binomial tail below 1% at 5%)."""
    draws = uncertainty.make_draws("assumptions", 64, root=2)
    X = draws[uncertainty.drawn_keys(draws)]
    false = sum(
        bool(
            uncertainty.hinge_indices(X, np.random.default_rng(100 + k).standard_normal(64), seed=k)[
                "above_noise"
            ].any()
        )
        for k in range(24)
    )
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
        if not integer:  # a Latin hypercube: one draw in each sixteenth of the range
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

    from sim.apps.cli import main

    u = tmp_path / "u"
    u.mkdir()
    (u / "uncertainty.json").write_text(
        json.dumps({"scenarios": ["baseline", "huli_tongqiang_qirong"], "baseline": "baseline"})
    )
    for name in ("x/y/z", "x/../../../escaped"):
        assert main(["discover", str(u), "--metric", "firm_retention", "--strategy", name]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "allowed one of huli_tongqiang_qirong" in err[0]
    assert sorted(p.name for p in u.iterdir()) == ["uncertainty.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["u"]


def test_the_intern_allowance_is_drawn_unless_a_strategy_sets_its_own():
    """The status quo's allowance is known only as a range (docs/odd.md M8): uncertainty draws
    vary it across its plausible range; where a compared strategy sets its own (the legal floor),
    it is a strategy lever — each arm keeps its value — and no draw overrides it."""
    from sim import load_scenario

    assert "firm_support.intern_allowance" in uncertainty.assumption_ranges()
    draws = uncertainty.make_draws("assumptions", 4, root=3)
    assert draws["firm_support.intern_allowance"].between(2.4, 3.4).all()
    key = "firm_support.intern_allowance"
    drawn, _ = uncertainty.build_sweep([load_scenario("baseline"), load_scenario("craftsman")], draws, "t")
    lever = next(lv for lv in drawn.levers if lv.key == key)
    assert lever.is_range
    assert sorted(pt[key] for pt in drawn.explicit) == sorted(np.repeat(draws[key].to_numpy(), 2))
    floor = load_scenario(str(Path(__file__).resolve().parents[2] / "scenarios/examples/legal_floor_allowance.toml"))
    kept, index = uncertainty.build_sweep([load_scenario("baseline"), floor], draws, "t")
    lever = next(lv for lv in kept.levers if lv.key == key)
    assert lever.values == (3.0, 3.4)
    for pt, scn in zip(kept.explicit, index["scenario"]):
        assert lever.value(pt[key]) == (3.4 if scn == "legal_floor_allowance" else 3.0)


# --- worlds that fit the data: known answers on a fake model -------------------------------------------
PLANTED, P_LO, P_HI = "behaviour.party_hour_effect", 0.5, 2.0  # an assumption and its plausible range


def planted_retention(x):
    """The fake model's baseline firm retention: 0.15 at the low end of PLANTED's range, 0.60 at the top."""
    return 0.15 + 0.45 * (x - P_LO) / (P_HI - P_LO)


class FakeModelBackend:
    """A backend that runs no simulation: a run's firm retention is planted_retention(PLANTED) plus,
    under a strategy, goal_alignment.weight x the same; every other metric is 0.5.  So the draws
    whose baseline fits a firm-retention interval are known from the planted assumption alone."""

    name, workers = "fake", 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def imap(self, fn, base, batches):
        from analysis.sweepfile import apply
        from sim.metrics import ALL_METRICS

        for batch in batches:
            rows = []
            for run in batch:
                p = apply(base, run.levers)
                f = planted_retention(p.behaviour.party_hour_effect)
                row = {
                    "run_id": run.run_id,
                    "point": run.point,
                    "replicate": run.replicate,
                    "seed": run.seed,
                    **run.levers,
                    "status": "ok",
                    "error": "",
                    **{m: 0.5 for m in ALL_METRICS},
                }
                row["firm_retention"] = f + p.goal_alignment.weight * f
                rows.append(row)
            yield rows


FIT_LOW, FIT_HIGH = 0.30, 0.45  # baseline firm retention inside it: PLANTED in the middle third [1.0, 1.5]


@pytest.fixture(scope="module")
def fake_targets(tmp_path_factory) -> Path:
    """A target file with one weighted target the fake model fits in the middle third of PLANTED's
    plausible range and two report-only ones (one always inside, one never), with the
    calibration's posterior beside it (its header names this file)."""
    d = tmp_path_factory.mktemp("targets")
    t = d / "fake.toml"
    t.write_text(
        f"""[firm_retention]
value = 0.4
interval = [{FIT_LOW}, {FIT_HIGH}]
weight = 1.0
source = "known answer"

[skill_fit]
value = 0.5
interval = [0.4, 0.6]
weight = 0
source = "known answer, report only, always inside"

[placement_6m]
value = 0.92
interval = [0.9, 0.95]
weight = 0
source = "known answer, report only, never inside"
""",
        encoding="utf-8",
    )
    with_posterior(t)
    return t


def with_posterior(t: Path, epsilon: float | None = None, distance: str | None = None) -> None:
    """The calibration's particles beside target file ``t``, their header naming ``t``; with
    ``epsilon``, their distances rescaled so that the largest (the ABC threshold) is ``epsilon``;
    with ``distance``, the header's settings say the calibration used that distance."""
    import io
    import re

    from analysis.calibration import posterior_path, target_sha256

    text = posterior_path(uncertainty.TARGETS).read_text(encoding="utf-8")
    text = re.sub(r'(# target_sha256: )"[0-9a-f]+"', lambda m: f'{m.group(1)}"{target_sha256(t)}"', text, count=1)
    if distance is not None:

        def settings(m: re.Match) -> str:
            s = json.loads(m.group(2))
            s["distance"] = distance
            return m.group(1) + json.dumps(s)

        text = re.sub(r"^(# settings: )(.*)$", settings, text, count=1, flags=re.M)
    if epsilon is not None:
        lines = text.splitlines(keepends=True)
        head = "".join(ln for ln in lines if ln.startswith("#"))
        df = pd.read_csv(io.StringIO("".join(ln for ln in lines if not ln.startswith("#"))))
        top = df["distance"].max()  # 0 when every particle is inside every interval: all at the threshold then
        df["distance"] = df["distance"] / top * epsilon if top > 0 else epsilon
        text = head + df.to_csv(index=False)
    posterior_path(t).write_text(text, encoding="utf-8")


def fake_compare(out: Path, targets: Path, draws: int = 6, resume: bool = False, **kw):
    from sim.scenario import load_scenario

    scns = [load_scenario(n) for n in ("baseline", "goal_alignment")]
    return uncertainty.run_uncertainty(
        scns,
        "baseline",
        kw.pop("mode", "all"),
        draws,
        11,
        out,
        FakeModelBackend(),
        ["firm_retention"],
        resume,
        ["test"],
        targets=targets,
        write_report=write_uncertainty_report,
        **kw,
    )


def test_posterior_and_all_keep_only_draws_whose_baseline_fits_the_weighted_targets(tmp_path, fake_targets):
    out = tmp_path / "fit"
    res = fake_compare(out, fake_targets)
    cands = pd.read_parquet(out / "candidates.parquet")
    kept = pd.read_parquet(out / "draws.parquet")
    tw = PLANTED
    inside = planted_retention(cands[tw]).between(FIT_LOW, FIT_HIGH)
    assert len(kept) == 6 and planted_retention(kept[tw]).between(FIT_LOW, FIT_HIGH).all()
    # the first six fitting candidates of the stream, in order; the rest rejected
    assert kept["draw"].tolist() == cands.loc[inside, "draw"].head(6).tolist()
    assert (cands["draw"] == np.arange(len(cands))).all() and (cands["seed"] == 11 + cands["draw"]).all()
    fit = pd.read_csv(out / "draw_fit.csv")
    assert list(fit.columns[:8]) == ["draw", "target", "metric", "value", "low", "high", "sided", "inside"]
    assert len(fit) == 3 * len(cands)
    assert set(fit.loc[fit["report_only"], "target"]) == {"skill_fit", "placement_6m"}
    assert not fit.loc[fit["target"] == "placement_6m", "inside"].any()  # report-only: rejects nothing
    fr = fit[fit["target"] == "firm_retention"].set_index("draw")
    assert (fr["inside"] == inside.set_axis(cands["draw"])).all()
    # the column kept marks the draws the tables use: every one inside every weighted interval
    assert (fr["kept"] == fr.index.isin(kept["draw"])).all() and fr.loc[fr["kept"], "inside"].all()
    assert res.fit["candidates"] == len(cands) and res.fit["rejected"] == int((~inside).sum())
    assert res.fit["share_inside_weighted"] == pytest.approx(inside.mean())
    assert res.fit["share_inside_all"] == 0.0 and res.fit["kept_inside_all"] == 0.0
    # the strategies ran on the draws kept only, paired with the baseline of the same draw and seed
    s = pd.read_csv(out / "summary.csv")
    assert sorted(set(s["draw"])) == sorted(kept["draw"]) and s.groupby("draw")["scenario"].nunique().eq(2).all()
    cov = pd.read_csv(out / "range_coverage.csv").set_index("parameter")
    assert cov.loc[tw, "accepted_min"] >= 1.0 - 1e-9 and cov.loc[tw, "accepted_max"] <= 1.5 + 1e-9
    assert cov.loc[tw, "span"] <= 1 / 3 + 1e-9 and cov.loc[tw, "bins_accepted"] <= 0.4
    assert cov.loc[tw, "kind"] == "assumption"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Do the worlds fit the data?" in html and f"{res.fit['rejected']} were rejected" in html
    # one run a candidate: no spread of a world's own to bound the seeds' noise with
    assert res.fit["noise_inside"] is None and "Seeds' noise" not in html


def test_the_draws_kept_are_reproducible_and_a_resume_changes_nothing(tmp_path, fake_targets):
    a, b = tmp_path / "a", tmp_path / "b"
    fake_compare(a, fake_targets)
    fake_compare(b, fake_targets)
    for name in ("draw_fit.csv", "summary.csv", "range_coverage.csv", "uncertainty.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    pd.testing.assert_frame_equal(pd.read_parquet(a / "draws.parquet"), pd.read_parquet(b / "draws.parquet"))
    before = {p.name: p.read_bytes() for p in a.glob("*.csv")}
    fake_compare(a, fake_targets, resume=True)
    assert {p.name: p.read_bytes() for p in a.glob("*.csv")} == before


def test_the_cap_stops_the_search_and_too_few_fitting_draws_is_one_clear_error(tmp_path, fake_targets):
    from sim.scenario import ScenarioError

    out = tmp_path / "capped"
    with pytest.raises(ScenarioError, match=r"only \d of 6 candidate worlds .* firm_retention \(inside in"):
        fake_compare(out, fake_targets, max_draws=6, draws=6)
    fit = pd.read_csv(out / "draw_fit.csv")
    assert fit["draw"].nunique() == 6  # the cap: no candidate beyond it was run
    assert not (out / "summary.csv").exists()


def test_assumptions_mode_writes_the_fit_and_rejects_nothing(tmp_path, fake_targets):
    out = tmp_path / "assumptions"
    res = fake_compare(out, fake_targets, mode="assumptions")
    fit = pd.read_csv(out / "draw_fit.csv")
    assert fit["draw"].nunique() == 6 and res.fit["rejected"] == 0 and res.fit["kept"] == 6
    assert not (out / "candidates.parquet").exists() and not list(out.glob("fit-*"))


def test_the_real_comparison_writes_draw_fit_from_its_baseline_runs(local):
    fit = pd.read_csv(local / "draw_fit.csv")
    s = pd.read_csv(local / "summary.csv")
    base = s[s["scenario"] == "baseline"].set_index("draw")
    from analysis.calibration import load_targets

    targets = {t.name: t for t in load_targets(uncertainty.TARGETS)}
    assert set(fit["target"]) == set(targets) and fit["draw"].nunique() == 6
    for r in fit.itertuples():
        v = base.loc[r.draw, targets[r.target].metric]
        assert (np.isnan(v) and np.isnan(r.value)) or r.value == pytest.approx(v)
        sided = targets[r.target].sided
        assert r.inside == bool(
            r.value <= r.high
            if sided == "upper"
            else r.value >= r.low
            if sided == "lower"
            else r.low <= r.value <= r.high
        )


def test_max_draws_goes_with_rejection_and_nothing_fitting_is_one_line(tmp_path, fake_targets):
    r = sesim("compare", "baseline", "craftsman", "--uncertainty", "assumptions", "--max-draws", "8", *SMALL)
    assert r.returncode == 2 and "--max-draws" in r.stderr and r.stderr.count("\n") == 1
    r = sesim("compare", "baseline", "craftsman", "--uncertainty", "all", "--draws", "4", "--max-draws", "2", *SMALL)
    assert r.returncode == 2 and "--max-draws 2" in r.stderr and r.stderr.count("\n") == 1
    out = tmp_path / "none"  # a target no tiny world meets (firm retention above 0.999)
    strict = tmp_path / "strict.toml"
    strict.write_text(
        fake_targets.read_text(encoding="utf-8")
        .replace(f"[{FIT_LOW}, {FIT_HIGH}]", "[0.999, 1.0]")
        .replace("value = 0.4", "value = 0.9995"),
        encoding="utf-8",
    )
    with_posterior(strict)
    r = compare(out, "--max-draws", "4", "--targets", str(strict), mode="all", draws=4)
    err = [ln for ln in r.stderr.splitlines() if ln.startswith("sesim: error")]
    assert r.returncode == 2 and len(err) == 1 and "candidate worlds" in err[0] and "Traceback" not in r.stderr
    assert pd.read_csv(out / "draw_fit.csv")["draw"].nunique() == 4


@pytest.mark.parametrize("distance", ["centre", "intervals"])
def test_fit_abc_keeps_the_draws_within_the_calibration_tolerance_and_says_how_many_are_inside(
    tmp_path, distance, capsys
):
    """Known answer: with one target of half-width 0.075 around 0.4 and the stored posterior's ABC
    threshold set to 1.0, a draw fits under --fit abc when |firm retention - 0.4| <= 0.075, i.e. exactly
    the interval [0.325, 0.475] — wider than the target interval [0.30, 0.45] at the top, narrower at
    the bottom; the summary says how many kept draws are inside every interval.  A posterior
    calibrated with the interval distance is read with it: a draw fits when it lies at most one
    half-width outside [0.30, 0.45], i.e. in [0.225, 0.525]."""
    t = tmp_path / "fake.toml"
    t.write_text(
        f"""[firm_retention]
value = 0.4
interval = [{FIT_LOW}, {FIT_HIGH}]
weight = 1.0
source = "known answer"
""",
        encoding="utf-8",
    )
    with_posterior(t, epsilon=1.0, distance=distance)
    assert uncertainty.abc_epsilon(t) == pytest.approx(1.0) and uncertainty.posterior_distance(t) == distance
    out = tmp_path / "abc"
    res = fake_compare(out, t, draws=8, fit="abc")
    cands = pd.read_parquet(out / "candidates.parquet")
    kept = pd.read_parquet(out / "draws.parquet")
    f_all = planted_retention(cands[PLANTED]).to_numpy()
    d_all = (
        np.abs(f_all - 0.4) / 0.075
        if distance == "centre"
        else np.maximum(np.maximum(FIT_LOW - f_all, f_all - FIT_HIGH), 0.0) / 0.075
    )
    within = d_all <= 1.0
    assert kept["draw"].tolist() == cands.loc[within, "draw"].head(8).tolist()
    f_kept = planted_retention(kept[PLANTED]).to_numpy()
    fit = pd.read_csv(out / "draw_fit.csv")
    assert np.allclose(fit.set_index("draw").loc[cands["draw"], "distance"], d_all)
    assert res.fit["criterion"] == "abc" and res.fit["epsilon"] == pytest.approx(1.0)
    assert res.fit["within_epsilon"] == int(within.sum())
    assert res.fit["kept_inside_weighted"] == pytest.approx(np.mean((f_kept >= FIT_LOW) & (f_kept <= FIT_HIGH)))
    assert res.fit["inside_weighted"] == int(((f_all >= FIT_LOW) & (f_all <= FIT_HIGH)).sum())
    assert "calibration's tolerance" in unescape((out / "report.html").read_text(encoding="utf-8"))  # &#39; in HTML
    meta = json.loads((out / "uncertainty.json").read_text(encoding="utf-8"))
    assert meta["fit_criterion"] == "abc"
    # the running count says what it counts: worlds within the tolerance, not inside every interval
    err = capsys.readouterr().err
    assert len(cands) > 8 and "lie within the calibration's tolerance (distance <= 1)" in err
    assert "fit every weighted target" not in err
    # another criterion is another comparison: resuming the folder with the default is refused
    from sim.scenario import ScenarioError

    with pytest.raises(ScenarioError, match="holds a different uncertainty comparison"):
        fake_compare(out, t, draws=8, resume=True)


def test_fit_goes_with_the_modes_that_reject(capsys):
    from sim.apps.cli import main

    assert main(["compare", "baseline", "craftsman", "--uncertainty", "assumptions", "--fit", "abc"]) == 2
    assert "--fit goes with --uncertainty posterior|all" in capsys.readouterr().err
    assert main(["compare", "baseline", "craftsman", "--fit", "abc"]) == 2
    assert main(["compare", "baseline", "craftsman", "--uncertainty", "assumptions", "--fit-replicates", "3"]) == 2
    assert "--fit-replicates goes with --uncertainty posterior|all" in capsys.readouterr().err
    assert main(["compare", "baseline", "craftsman", "--uncertainty", "all", "--fit-replicates", "0"]) == 2
    assert "--fit-replicates 0: allowed an integer in 1..20" in capsys.readouterr().err


class NoisyFakeBackend(FakeModelBackend):
    """The fake model with seed noise on firm retention: (seed mod 7 - 3) / 100."""

    def imap(self, fn, base, batches):
        for rows in super().imap(fn, base, batches):
            for r in rows:
                r["firm_retention"] += (r["seed"] % 7 - 3) / 100
            yield rows


def test_fit_replicates_judge_each_candidate_on_the_mean_of_its_runs(tmp_path, fake_targets):
    # --fit-replicates 3: each candidate's baseline runs three times (its own seed first), the fit
    # is judged on their mean, and the strategies are paired with the run of the draw's own seed
    from sim.scenario import load_scenario

    out = tmp_path / "reps"
    scns = [load_scenario(n) for n in ("baseline", "goal_alignment")]
    res = uncertainty.run_uncertainty(
        scns, "baseline", "all", 6, 11, out, NoisyFakeBackend(), ["firm_retention"], False, ["test"],
        targets=fake_targets, fit_replicates=3,
    )  # fmt: skip
    first = pd.read_parquet(out / "candidates.parquet").drop(columns="accepted").head(6)  # round 0: --draws
    _, index = uncertainty.build_sweep(scns, first, "x", only={"baseline"}, replicates=3)
    runs = uncertainty.tagged(out / "fit-0", index)
    assert runs.groupby("draw")["fit_replicate"].nunique().eq(3).all()
    own = runs[runs["fit_replicate"] == 0]
    assert (own["seed"] == 11 + own["draw"]).all() and runs["seed"].nunique() == len(runs)
    fit = pd.read_csv(out / "draw_fit.csv")
    fr = fit[fit["target"] == "firm_retention"].set_index("draw")
    mean = runs.groupby("draw")["firm_retention"].mean()  # the first round's six candidates
    assert np.allclose(fr.loc[mean.index, "value"], mean) and (fr["replicates"] == 3).all()
    assert (fr.loc[mean.index, "inside"] == mean.between(FIT_LOW, FIT_HIGH)).all()
    assert not np.allclose(runs.groupby("draw")["firm_retention"].first(), mean)  # not one seed's value
    s = pd.read_csv(out / "summary.csv")
    base = s[s["scenario"] == "baseline"].set_index("draw")
    assert (base["seed"] == 11 + base.index).all() and res.fit["kept"] == 6  # the own-seed run, paired
    assert json.loads((out / uncertainty.MARKER).read_text())["fit_replicates"] == 3
    # the seeds' noise, from the candidates' own replicates: firm retention's seed term (seed mod 7 - 3)
    # / 100 has an sd of about 0.02 against an interval 0.15 wide, so about 1 - 2 (0.02) / (0.15
    # sqrt(2 pi 3)) = 94% of draws filling the interval would be seen inside it on three runs
    assert res.fit["fit_replicates"] == 3 and 0.85 < res.fit["noise_inside"] < 0.99
    assert "Seeds' noise alone" in uncertainty.text(res, "baseline", ["firm_retention"], "all")
    write_uncertainty_report(out)
    assert "Seeds' noise alone" in unescape((out / "report.html").read_text(encoding="utf-8"))
