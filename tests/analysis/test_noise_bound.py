"""How often a world that fits can be seen to fit (analysis.uncertainty.noise_bound;
docs/calibration.md, *Seeds' noise*): known answers and a simulation of what it stands for."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.calibration import Target
from analysis.uncertainty import noise_bound


def _t(name: str, low: float, high: float, sided: str = "both", weight: float = 1.0) -> Target:
    return Target(name, name, (low + high) / 2, low, high, weight, "secondary", "synthetic", "", sided)


def test_the_share_judged_outside_has_its_known_answer():
    rng = np.random.default_rng(0)
    runs = pd.DataFrame({"a": rng.normal(0.5, 1.0, 400), "b": rng.normal(0.1, 1.0, 400), "c": rng.normal(0, 1, 400)})
    sd_a, sd_b = runs["a"].std(), runs["b"].std()
    tab = noise_bound(runs, [_t("a", 0.0, 10.0), _t("b", 0.0, 5.0, "upper"), _t("c", 0, 1, weight=0.0)], ks=(1, 4))
    tab = tab.set_index("target")
    assert "c" not in tab.index  # a weight-0 target is a check: it decides no draw
    # two edges: 2 sd / (w sqrt(2 pi K)); one edge for a one-sided target
    assert tab.loc["a", "outside_1"] == pytest.approx(2 * sd_a / (10 * math.sqrt(2 * math.pi)))
    assert tab.loc["a", "outside_4"] == pytest.approx(tab.loc["a", "outside_1"] / 2)
    assert tab.loc["b", "outside_1"] == pytest.approx(sd_b / (5 * math.sqrt(2 * math.pi)))
    every = tab.loc["every weighted target"]
    assert every["outside_1"] == pytest.approx(1 - (1 - tab.loc["a", "outside_1"]) * (1 - tab.loc["b", "outside_1"]))
    # noise as wide as the interval: capped at 1
    assert noise_bound(runs, [_t("a", 0.0, 0.1)], ks=(1,)).loc[0, "outside_1"] == 1.0


def test_it_matches_worlds_spread_evenly_over_the_interval_judged_on_k_runs():
    # 200,000 worlds whose expected values are uniform on [0.4, 0.6], each judged on the mean of K runs
    # with seed sd 0.02: the share judged outside (Monte Carlo standard error about 0.0006) lies
    # within 0.004 of the bound for every K; the bound ignores only worlds near both edges at once.
    rng = np.random.default_rng(1)
    seeds = pd.DataFrame({"m": rng.normal(0.5, 0.02, 4000)})
    tab = noise_bound(seeds, [_t("m", 0.4, 0.6)], ks=(1, 4, 16)).set_index("target")
    for k in (1, 4, 16):
        mean = rng.uniform(0.4, 0.6, 200_000) + rng.normal(0, 0.02 / math.sqrt(k), 200_000)
        outside = np.mean((mean < 0.4) | (mean > 0.6))
        assert outside == pytest.approx(tab.loc["m", f"outside_{k}"], abs=0.004), k


def test_the_spread_between_a_worlds_runs_is_pooled_over_the_worlds_with_two_or_more():
    from analysis.uncertainty import noise_table, seed_spread

    runs = pd.DataFrame({"draw": [0, 0, 1, 1, 2], "m": [1.0, 3.0, 2.0, 2.0, 9.0]})
    # variances 2 and 0 (draw 2 has one run: no spread of its own): sqrt(mean) = 1
    assert seed_spread(runs, ["m"])["m"] == pytest.approx(1.0)
    assert np.isnan(seed_spread(runs[runs["draw"] == 2], ["m"])["m"])
    tab = noise_table({"m": 1.0, "n": float("nan")}, [_t("m", 0.0, 10.0), _t("n", 0, 1)], ks=(2,))
    assert list(tab["target"]) == ["m", "every weighted target"]  # a target with no known spread is left out
    assert tab.loc[0, "outside_2"] == pytest.approx(2 / (10 * math.sqrt(4 * math.pi)))
