"""History matching (``sesim calibrate --kernel history``, docs/calibration.md, *History matching*):
the emulators, the implausibility cut-off, the waves' draws, and a calibration end to end."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis.history_matching import (
    Emulator,
    bounds,
    draw_wave,
    fit_emulator,
    implausibility,
    log_inside,
    plausible,
)

from .test_calibration import PRIOR, TRUTH, calibrate_synthetic, synthetic  # noqa: F401  (the fixture)


class _T:
    def __init__(self, low: float, high: float, sided: str = "both") -> None:
        self.low, self.high, self.sided = low, high, sided


def test_the_emulator_recovers_a_quadratic_and_its_noise():
    rng = np.random.default_rng(0)
    u = rng.random((600, 3))
    truth = 0.2 + 0.5 * u[:, 0] - 0.3 * u[:, 1] ** 2  # the third parameter does nothing
    y = truth + rng.normal(0, 0.05, len(u))
    em = fit_emulator(u, y[:, None])
    assert em.squares == 3
    test = rng.random((200, 3))
    err = em.predict(test)[:, 0] - (0.2 + 0.5 * test[:, 0] - 0.3 * test[:, 1] ** 2)
    assert np.abs(err).max() < 0.03  # far below the noise (0.05)
    assert em.sigma[0] == pytest.approx(0.05, rel=0.1)
    few = fit_emulator(u[:10], y[:10, None])  # too few runs for the squares: a linear emulator
    assert not few.squares and few.coef.shape == (4, 1)


def test_implausibility_counts_spreads_outside_the_interval_only():
    # emulated value = u0 (one target, spread 0.1); interval [0.4, 0.6]
    em = Emulator(coef=np.array([[0.0], [1.0]]), sigma=np.array([0.1]), squares=0)
    lo, hi = bounds([_T(0.4, 0.6)])
    u = np.array([[0.5], [0.6], [0.9], [0.1]])
    assert implausibility(em, u, lo, hi) == pytest.approx([0.0, 0.0, 3.0, 3.0])
    assert list(plausible([em], u + np.array([[0], [0], [0.01], [-0.01]]), lo, hi)) == [True, True, False, False]
    # a one-sided target counts only beyond its bound
    lo1, hi1 = bounds([_T(0.0, 0.6, "upper")])
    assert implausibility(em, np.array([[0.1], [0.9]]), lo1, hi1) == pytest.approx([0.0, 3.0])
    # P(inside) is highest in the middle of the interval and falls outside it
    p = np.exp(log_inside(em, np.array([[0.5], [0.6], [0.9]]), lo, hi))
    assert p[0] > p[1] > p[2] and p[0] == pytest.approx(0.683, abs=0.01)


def test_a_wave_is_drawn_inside_the_region_and_tempering_concentrates_it():
    # two parameters; the target is u0 + u1 in [0.9, 1.1] with spread 0.05: the region not ruled
    # out is the band |u0 + u1 - 1| <= 0.1 + 3 x 0.05, and P(inside) peaks on the line u0 + u1 = 1
    em = Emulator(coef=np.array([[0.0], [1.0], [1.0]]), sigma=np.array([0.05]), squares=0)
    lo, hi = bounds([_T(0.9, 1.1)])
    u = np.random.default_rng(1).random((2000, 2))
    start = u[plausible([em], u, lo, hi)][:200]  # known points of the region, as earlier waves' runs
    flat = draw_wave([em], start, 500, 0.0, lo, hi, np.random.default_rng(2))
    peaked = draw_wave([em], start, 500, 1.0, lo, hi, np.random.default_rng(2))
    for x in (flat, peaked):
        assert x.shape == (500, 2) and (x >= 0).all() and (x <= 1).all()
        assert plausible([em], x, lo, hi).all()
    # 500 points each: the mean distance from the line falls with the power (the band's uniform
    # spread is about 0.125, P(inside)'s about 0.06), far beyond the draws' noise
    dist = lambda x: np.abs(x.sum(axis=1) - 1).mean()  # noqa: E731
    assert dist(peaked) < 0.75 * dist(flat), (dist(peaked), dist(flat))
    assert flat[:, 0].std() > 0.2  # the chains spread along the band, not stuck at the starts


@pytest.mark.slow  # a history-matching calibration end to end
def test_history_matching_finds_the_region_of_known_parameters(synthetic, tmp_path):  # noqa: F811
    # The synthetic problem of test_calibration (targets the model's own mean at TRUTH with every
    # other parameter at the scenario's value, tolerance two replicate sds), so the other
    # assumptions are held (--hold-assumptions); four waves of 60 single runs.  One calibration at
    # seed 0: the truth inside each posterior 90% interval, and the last wave has more runs inside
    # every interval than the Latin hypercube of wave 0.
    out = tmp_path / "cal"
    r = calibrate_synthetic(
        synthetic, out, "--budget", "240", "--generations", "4", "--replicates", "1", "--kernel", "history",
        "--hold-assumptions", "--workers", "2",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    post = pd.read_csv(out / "posterior.csv").set_index("parameter")
    for k, truth in TRUTH.items():
        assert post.loc[k, "q05"] <= truth <= post.loc[k, "q95"], (k, post.loc[k].to_dict())
        lo, hi = PRIOR[k]
        assert post.loc[k, "q95"] - post.loc[k, "q05"] < 0.9 * (hi - lo), (k, post.loc[k].to_dict())
    gens = pd.read_csv(out / "generations.csv")
    assert list(gens["generation"]) == [0, 1, 2, 3]
    assert gens["inside_share"].iloc[-1] > gens["inside_share"].iloc[0], gens
    assert gens["region_share"].iloc[-1] < 1.0
    acc = pd.read_csv(out / "accepted.csv")
    assert len(acc) == 60 and np.allclose(acc["weight"], 1 / 60)
    settings = json.loads((out / "calibration.json").read_text())["settings"]
    assert settings["kernel"] == "history" and settings["distance"] == "intervals" and settings["hold_assumptions"]
    assert [c for c in acc.columns if "." in c] == list(TRUTH)
    # a second calibration warm-started from the first trains its first emulators on its 240 runs,
    # and draws every other assumption (the default) though the warm runs held them
    again = calibrate_synthetic(
        synthetic, tmp_path / "warm", "--budget", "60", "--generations", "2", "--replicates", "1",
        "--kernel", "history", "--warm-start", str(out), "--workers", "2",
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "warm start: 240 runs of 1 earlier calibration(s)" in again.stdout
    # the warm runs held every non-free assumption at the scenario's value; the waves still draw
    # them over their ranges (30 uniform draws span about 94% of a range; under half is a failure)
    from analysis.uncertainty import schema_range

    first = pd.read_csv(tmp_path / "warm" / "gen-00" / "accepted.csv")
    drawn = [c for c in first.columns if "." in c and c not in TRUTH]
    assert len(drawn) > 20
    spans = [np.ptp(first[c]) / np.subtract(*schema_range(c)[1::-1]) for c in drawn]
    assert np.median(spans) > 0.5, sorted(spans)[:5]


def test_a_chain_started_outside_the_region_moves_into_it():
    # the region is u0 + u1 in [0.9 - 0.15, 1.1 + 0.15] (as below); every start lies outside it
    em = Emulator(coef=np.array([[0.0], [1.0], [1.0]]), sigma=np.array([0.05]), squares=0)
    lo, hi = bounds([_T(0.9, 1.1)])
    start = np.array([[0.05, 0.05], [0.95, 0.95]])
    assert not plausible([em], start, lo, hi).any()
    x = draw_wave([em], start, 200, 1.0, lo, hi, np.random.default_rng(0))
    assert plausible([em], x, lo, hi).all()


def test_bad_warm_start_folders_get_one_line_and_leave_nothing(tmp_path):
    from .test_calibration import ROOT, sesim

    (tmp_path / "empty").mkdir()
    for folder, message in (
        (tmp_path / "nowhere", "no such folder"),
        (tmp_path / "empty", "not a calibration"),
    ):
        out = tmp_path / "cal"
        r = sesim(
            "calibrate", str(ROOT / "scenarios" / "targets" / "china_gaozhi.toml"), "--free",
            "behaviour.offer_rate=[0.2,1]", "--kernel", "history", "--warm-start", str(folder), "--out", str(out),
        )  # fmt: skip
        err = [ln for ln in r.stderr.splitlines() if ln.strip()]
        assert r.returncode != 0 and len(err) == 1 and message in err[0] and "Traceback" not in r.stderr, r.stderr
        assert not out.exists()  # nothing written, so the corrected command runs as it is


def test_warm_start_goes_with_history_matching_only(tmp_path):
    from .test_calibration import ROOT, sesim

    r = sesim(
        "calibrate", str(ROOT / "scenarios" / "targets" / "china_gaozhi.toml"), "--free", "behaviour.offer_rate=[0.2,1]",
        "--warm-start", str(tmp_path), "--out", str(tmp_path / "cal"),
    )  # fmt: skip
    assert r.returncode != 0 and "--warm-start goes with --kernel history" in r.stderr
    assert "Traceback" not in r.stderr
