"""The README's sizes block (analysis/sizes.py): each size with its range over the worlds that fit
and its carriers, and a size that rests mostly on one assumption is marked (docs/carriers.md)."""

import json

import pandas as pd
import pytest

from analysis import sizes


def _folders(tmp_path, share_assumed: float):
    unc, car = tmp_path / "unc", tmp_path / "car"
    unc.mkdir(), car.mkdir()
    (unc / "uncertainty.json").write_text(
        json.dumps(
            {
                "status": "complete",
                "version": "0.2.0",
                "finished": "2026-12-05T10:00:00",
                "mode": "all",
                "draws": 64,
                "scenarios": ["baseline", "craftsman"],
                "headline": ["early_turnover_6m", "firm_retention"],
                "fit": {
                    "inside_weighted": 70,
                    "candidates": 100,
                    "share_inside_weighted": 0.7,
                    "weighted_targets": 14,
                    "kept": 64,
                    "kept_inside_all": 0.9,
                    "report_only_targets": 2,
                },
            }
        ),
        encoding="utf-8",
    )
    pd.DataFrame(
        [
            {
                "strategy": "craftsman",
                "metric": "early_turnover_6m",
                "n_draws": 64,
                "median_diff": -0.12,
                "q05": -0.18,
                "q95": -0.07,
                "mean_diff": -0.12,
                "prob_improvement": 1.0,
            },
            {
                "strategy": "craftsman",
                "metric": "firm_retention",
                "n_draws": 64,
                "median_diff": 0.01,
                "q05": -0.05,
                "q95": 0.06,
                "mean_diff": 0.01,
                "prob_improvement": 0.6,
            },
        ]
    ).to_csv(unc / "uncertainty.csv", index=False)
    (car / "carriers.json").write_text(
        json.dumps({"status": "complete", "finished": "2026-12-05", "metrics": ["early_turnover_6m"]}), encoding="utf-8"
    )
    pd.DataFrame(
        [
            {
                "strategy": "craftsman",
                "metric": "early_turnover_6m",
                "rank": 1,
                "parameter": "behaviour.craft_skill_value",
                "kind": "assumption",
                "share": share_assumed,
            },
            {
                "strategy": "craftsman",
                "metric": "early_turnover_6m",
                "rank": 2,
                "parameter": "behaviour.craft_visibility",
                "kind": "calibrated",
                "share": 0.3,
            },
        ]
    ).to_csv(car / "carriers.csv", index=False)
    return unc, car


@pytest.mark.parametrize("share, marked", [(0.7, True), (-0.6, True), (0.4, False)])
def test_a_size_resting_mostly_on_one_assumption_is_marked(tmp_path, share, marked):
    unc, car = _folders(tmp_path, share)
    t = sizes.sizes_table(unc, car).set_index("metric")
    assert (t.loc["early_turnover_6m", "unanchored"] == "behaviour.craft_skill_value") is marked
    assert t.loc["firm_retention", "unanchored"] == "" and t.loc["firm_retention", "carriers"] == []
    text = sizes.markdown(sizes.sizes_table(unc, car), json.loads((unc / "uncertainty.json").read_text()), {})
    assert "-12 [-18, -7]" in text and "70 of 100 candidate draws (70%)" in text
    assert ("**mostly the assumption `behaviour.craft_skill_value`**" in text) is marked
    assert "`behaviour.craft_visibility` 30% (anchored: calibrated)" in text
    assert "not screened" in text  # firm_retention is not among the carriers' outcomes here
    assert "local posterior spans" not in text  # carriers.csv of an older sesim: no posterior_span column


def test_an_assumption_the_joint_posterior_frees_says_how_much_of_its_range_the_fit_keeps(tmp_path):
    unc, car = _folders(tmp_path, 0.7)
    c = pd.read_csv(car / "carriers.csv")
    c["posterior_span"] = [0.21, float("nan")]
    c.to_csv(car / "carriers.csv", index=False)
    text = sizes.markdown(sizes.sizes_table(unc, car), json.loads((unc / "uncertainty.json").read_text()), {})
    assert "`behaviour.craft_skill_value` 70% (assumed; local posterior spans 21% of its range)" in text
    assert (
        "**mostly the assumption `behaviour.craft_skill_value`** (constrained only jointly: the local posterior "
        "spans 21% of its range)" in text
    )
    assert "`behaviour.craft_visibility` 30% (anchored: calibrated)" in text


def test_the_block_is_replaced_in_place_and_a_file_without_it_refused(tmp_path):
    unc, car = _folders(tmp_path, 0.7)
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{sizes.START}\nold\n{sizes.END}\nafter\n", encoding="utf-8")
    assert sizes.main([str(unc), str(car), "--readme", str(readme)]) == 0
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("before\n") and text.endswith("after\n") and "old" not in text and "-12 [-18, -7]" in text
    other = tmp_path / "other.md"
    other.write_text("no block\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="no <!-- sizes:start -->"):
        sizes.main([str(unc), str(car), "--readme", str(other)])
    assert other.read_text(encoding="utf-8") == "no block\n"
    assert sizes.main([str(tmp_path / "nothing"), str(car)]) == 2


def test_the_seeds_noise_bound_is_said_when_the_run_measured_it(tmp_path):
    unc, car = _folders(tmp_path, 0.4)
    meta = json.loads((unc / "uncertainty.json").read_text())
    text = sizes.markdown(sizes.sizes_table(unc, car), meta, {})
    assert "Seeds' noise alone" not in text  # one run a candidate: nothing measured
    meta["fit"].update(noise_inside=0.58, fit_replicates=4)
    text = sizes.markdown(sizes.sizes_table(unc, car), meta, {})
    assert "about 58% of draws judged on 4 runs" in text
    assert text.index("Seeds' noise alone") < text.index("| strategy | outcome |")
