"""docs/calibration.md's settings block (analysis.calibration_doc): the kernel's own columns."""

from __future__ import annotations

import json

import pandas as pd

from analysis.calibration_doc import settings_md


def folder(tmp_path, kernel: str):
    s = {
        "scenario": "baseline",
        "kernel": kernel,
        "free": [{"key": "behaviour.offer_rate", "low": 0.2, "high": 1.0}],
        "sets": [],
        "budget": 120,
        "replicates": 2,
        "generations": 2,
        "accept": 0.5,
        "seed": 0,
        "proposals_per_generation": 30,
        "accepted_per_generation": 15,
    }
    (tmp_path / "calibration.json").write_text(json.dumps({"settings": s, "version": "x", "wall_time_s": 9}))
    pd.DataFrame(
        {
            "generation": [0, 1],
            "proposals": [30, 30],
            "accepted": [30, 7],
            "epsilon": [9.0, 4.5],
            "ess": [30.0, 30.0],
            "distinct": [30, 21],
            "step_scale": [float("nan"), 5.66],
            "failed_runs": [0, 0],
        }
    ).to_csv(tmp_path / "generations.csv", index=False)
    return tmp_path


def test_an_mcmc_calibration_shows_its_moves_and_distinct_particles(tmp_path):
    md = settings_md(folder(tmp_path, "mcmc"))
    assert "--kernel mcmc" in md and "best 50% of each generation kept alive" in md
    assert "| distinct particles | step scale |" in md and "| 1 | 30 | 7 | 4.5 | 21 | 5.66 | 0 |" in md
    assert "effective sample" not in md


def test_an_olcm_calibration_keeps_its_table(tmp_path):
    md = settings_md(folder(tmp_path, "olcm"))
    assert "--kernel" not in md and "15 accepted per generation" in md and "| effective sample |" in md
