"""docs/calibration.md's generated blocks (analysis.calibration_doc): the kernel's own columns, history matching."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.calibration_doc import reach, reach_md, settings_md


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
    assert "| distinct particles | step scale |" in md and "| 1 | 30 | 7 | 4.5 | 21 | 5.66 |  | 0 |" in md
    assert "effective sample" not in md


def test_an_olcm_calibration_keeps_its_table(tmp_path):
    md = settings_md(folder(tmp_path, "olcm"))
    assert "--kernel" not in md and "15 accepted per generation" in md and "| effective sample |" in md


def test_a_history_matching_block_shows_each_wave_and_the_target_met_least(tmp_path):
    """Known answer: two waves of four worlds against one interval target ([0.38, 0.46]) and one
    one-sided one (<= 0.24). Early turnover is inside for 1 of 4 worlds in wave 0 and 3 of 4 in
    wave 1; the four worlds inside it all have job_finding_rate 0.5 (the top of its plausible range
    0.2-0.5: 100%), the eight worlds 0.35 on average (50%)."""
    from analysis.calibration import load_targets
    from analysis.calibration_doc import history_md
    from analysis.uncertainty import TARGETS

    targets = [t for t in load_targets(TARGETS) if t.name in ("early_turnover_6m", "partnerships_over_3y")]
    s = {
        "scenario": "baseline",
        "kernel": "history",
        "distance": "intervals",
        "warm_start": ["results/calibration"],
        "free": [{"key": "behaviour.job_finding_rate", "low": 0.2, "high": 0.5}],
        "sets": [],
        "budget": 8,
        "replicates": 1,
        "generations": 2,
        "accept": 0.25,
        "seed": 0,
        "proposals_per_generation": 4,
        "accepted_per_generation": 1,
        "targets": [t.__dict__ for t in targets],
    }
    (tmp_path / "calibration.json").write_text(json.dumps({"settings": s, "version": "x", "wall_time_s": 9}))
    pd.DataFrame(
        {
            "generation": [0, 1],
            "proposals": [4, 4],
            "accepted": [1, 3],
            "inside_share": [0.25, 0.75],
            "epsilon": [2.0, 0.0],
            "region_share": [0.5, 0.1],
            "training_runs": [4, 8],
            "failed_runs": [0, 0],
        }
    ).to_csv(tmp_path / "generations.csv", index=False)
    for wave, turnover, jfr in (
        (0, [0.40, 0.50, 0.30, 0.60], [0.5, 0.2, 0.2, 0.2]),
        (1, [0.40, 0.42, 0.44, 0.7], [0.5, 0.5, 0.5, 0.2]),
    ):
        (tmp_path / f"gen-0{wave}").mkdir()
        pd.DataFrame(
            {
                "generation": wave,
                "particle": range(4),
                "behaviour.job_finding_rate": jfr,
                "early_turnover_6m": turnover,
                "partnerships_over_3y": [0.1, 0.1, 0.1, 0.1],
            }
        ).to_csv(tmp_path / f"gen-0{wave}" / "accepted.csv", index=False)
    md = history_md(tmp_path)
    assert "--kernel history" in md and "--warm-start results/calibration" in md
    assert "| 1 | 4 | 3 (75%) | 0 | 10.00% | 8 | 0 |" in md
    assert "| `early_turnover_6m` | [0.38, 0.46] | 25% | 75% | 0.43 |" in md
    assert "| `partnerships_over_3y` | ≤ 0.24 | 100% | 100% | 0.1 |" in md
    assert "`early_turnover_6m` (4 of 8 runs of the waves inside [0.38, 0.46])" in md
    assert "`behaviour.job_finding_rate` at 100% of its plausible range (all runs 50%)" in md
    # the second half of the waves (wave 1): three worlds inside both, all at job_finding_rate 0.5
    assert "Reach: of the 4 runs of wave 1, 3 lie inside every weighted interval" in md
    assert "span a median 0% of each of the 1 free ranges" in md
    # known span: three worlds inside at 0.2, 0.35 and 0.5 -> 5-95% quantiles 0.215 and 0.485, 90%
    wave = pd.DataFrame(
        {
            "behaviour.job_finding_rate": [0.2, 0.35, 0.5, 0.5],
            "early_turnover_6m": [0.40, 0.42, 0.44, 0.7],
            "partnerships_over_3y": [0.1] * 4,
        }
    )
    from analysis.calibration_doc import _history_reach_md

    assert "span a median 90% of each of the 1 free ranges" in " ".join(_history_reach_md([wave], s, 8))
    assert "waves 6–7" in " ".join(_history_reach_md([wave, wave], s, 8))
    # no world inside the target met least often: said, not an empty sentence
    for wave in (0, 1):
        f = tmp_path / f"gen-0{wave}" / "accepted.csv"
        pd.read_csv(f).assign(early_turnover_6m=0.7).to_csv(f, index=False)
    assert "No run of the waves meets `early_turnover_6m` ([0.38, 0.46])" in history_md(tmp_path)


def test_the_noise_block_reads_the_baseline_check_against_every_weighted_target(tmp_path):
    import numpy as np

    from analysis.calibration import load_targets
    from analysis.calibration_doc import main
    from analysis.uncertainty import TARGETS

    targets = load_targets(TARGETS)
    rng = np.random.default_rng(0)
    check = tmp_path / "baseline-check"
    check.mkdir()
    # 30 seeds of one world: every target metric at its published value, spread 0.0002 between seeds
    cols = {t.metric: t.value + rng.normal(0, 0.0002, 30) for t in targets}
    pd.DataFrame({"status": "ok", **cols}).to_csv(check / "summary.csv", index=False)
    doc = tmp_path / "calibration.md"
    doc.write_text("before\n<!-- BEGIN noise -->\nold\n<!-- END noise -->\nafter\n", encoding="utf-8")
    assert main(["--noise", str(check), str(doc)]) == 0
    text = doc.read_text(encoding="utf-8")
    assert "old" not in text and text.startswith("before\n") and text.endswith("after\n")
    weighted = [t for t in targets if t.weight > 0]
    assert all(f"`{t.name}`" in text for t in weighted)
    assert not any(f"`{t.name}`" in text for t in targets if t.weight == 0)
    # noise far below every interval (the narrowest is 0.03 wide): 90% reached at K = 1
    assert "90% needs K = 1 runs per draw" in text


def test_the_screen_block_counts_what_was_found_late_and_the_check(tmp_path):
    from analysis.calibration_doc import screen_md

    rows = [
        ("behaviour.a", "m", 0, True),
        ("behaviour.a", "n", -1, False),
        ("behaviour.b", "m", 1, True),  # found only in the second step
        ("behaviour.c", "m", -1, False),
    ]
    pd.DataFrame(rows, columns=["parameter", "target", "step", "touches"]).to_csv(tmp_path / "screen.csv", index=False)
    text = screen_md(tmp_path)
    assert "**2 of 3**" in text and "1 of them only in a later step" in text and "Check" not in text
    pd.DataFrame(
        {
            "target": ["m", "every weighted target"],
            "draws": 10,
            "held": 2,
            "inside": [0.8, 0.7],
            "mean": [0.5, float("nan")],
            "sd": [0.1, float("nan")],
        }
    ).to_csv(tmp_path / "check.csv", index=False)
    text = screen_md(tmp_path)
    assert "10 draws of the other 1 assumptions" in text and "**70% inside every weighted interval**" in text
    assert "| `m` | 80% |" in text


def test_an_mcmc_block_shows_the_last_generation_against_each_weighted_interval(tmp_path):
    """Known answer: four particles against an interval target [0.38, 0.46] (inside: 0.40, 0.45),
    a one-sided one [0, 0.24] (inside: 0.1, 0.2, 0.2) and a weight-0 check that is not shown; the
    particles inside both are 0.40/0.1 and 0.45/0.2 (2 of 4)."""
    cal = folder(tmp_path, "mcmc")
    info = json.loads((cal / "calibration.json").read_text())
    info["settings"]["targets"] = [
        {"name": "early_turnover_6m", "metric": "early_turnover_6m", "low": 0.38, "high": 0.46, "weight": 1.0},
        {"name": "partnerships_over_3y", "metric": "partnerships_over_3y", "low": 0.0, "high": 0.24, "weight": 1.0},
        {
            "name": "internship_out_of_field",
            "metric": "internship_out_of_field",
            "low": 0.2,
            "high": 0.3,
            "weight": 0.0,
        },
    ]
    (cal / "calibration.json").write_text(json.dumps(info))
    pd.DataFrame(
        {
            "early_turnover_6m": [0.40, 0.45, 0.50, 0.30],
            "partnerships_over_3y": [0.1, 0.2, 0.2, 0.3],
            "internship_out_of_field": [0.25] * 4,
        }
    ).to_csv(cal / "accepted.csv", index=False)
    md = settings_md(cal)
    assert "| `early_turnover_6m` | [0.38, 0.46] | 50% | 0.425 |" in md
    assert "| `partnerships_over_3y` | [0, 0.24] | 75% | 0.2 |" in md
    assert "internship_out_of_field" not in md
    assert "Inside every weighted interval: **2 of 4** particles." in md


def test_the_secondary_figures_judge_the_surveys_months_inside_the_month_they_name(tmp_path):
    """Known answers: the break-even month is consistent in (3, 4], the pay-back month in (7, 8];
    a pay-back in the 9th month, or none within the placements (NaN), is not."""
    from analysis.calibration_doc import secondary_md

    def table(payback: list[float]) -> dict[str, str]:
        n = len(payback)
        pd.DataFrame(
            {
                "matched_employment": [0.62] * n,
                "matched_employment_3y": [0.58] * n,
                "firm_net_benefit_per_intern_month": [0.1] * n,
                "firm_net_benefit": [-5.0] * n,
                "intern_break_even_month": [3.2, 3.4, 3.3][:n],
                "intern_payback_month": payback,
            }
        ).to_csv(tmp_path / "summary.csv", index=False)
        rows = [r.split(" | ") for r in secondary_md(tmp_path).splitlines()[2:]]
        return {r[0].split("`")[1]: r[-1].rstrip(" |") for r in rows if "`" in r[0]}

    got = table([7.6, 7.9, 8.0])
    assert got["intern_break_even_month"] == "yes" and got["intern_payback_month"] == "yes"
    assert got["firm_net_benefit_per_intern_month"] == "yes"
    assert table([8.1, 8.3, 8.2])["intern_payback_month"] == "**no**"
    assert table([float("nan")] * 3)["intern_payback_month"] == "**no**"


def test_the_chains_reach_is_the_median_span_of_each_generation_and_says_whether_it_still_grew(tmp_path):
    """Known answer: two free parameters over [0, 1] and [0, 10]; in generation g the particles are
    evenly spread over [0, w_g] of each range, so the 5-95% span is 0.9 w_g of it."""
    free = [{"key": "a", "low": 0.0, "high": 1.0}, {"key": "b", "low": 0.0, "high": 10.0}]
    widths = [0.1, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2]
    for g, w in enumerate(widths):
        (tmp_path / f"gen-{g:02d}").mkdir()
        x = pd.Series([w * i / 100 for i in range(101)])
        pd.DataFrame({"a": x, "b": 10 * x}).to_csv(tmp_path / f"gen-{g:02d}" / "accepted.csv", index=False)
    (tmp_path / "gen-07").mkdir()  # a generation that never finished: left out
    span = reach(tmp_path, free)
    assert sorted(span) == list(range(7))
    assert span[6] == pytest.approx(0.9 * 0.2) and span[1] == pytest.approx(0.9 * 0.1)
    text = " ".join(reach_md(span, 2))
    assert "From generation 1 to 6 it went from 9% to 18%" in text and "still spreading" in text
    flat = {g: 0.18 for g in range(7)}
    assert "had stopped spreading" in " ".join(reach_md(flat, 2))
    assert "it shrank" in " ".join(reach_md({g: 0.3 - 0.02 * g for g in range(7)}, 2))
    assert reach_md({0: 0.1, 1: 0.2}, 2) == []  # too few generations to say
    assert sorted(reach(tmp_path, free, [0, 1, 2])) == [0, 1, 2]  # only the generations of the run


def test_an_mcmc_block_shows_the_reach_column_and_the_sentence(tmp_path):
    cal = folder(tmp_path, "mcmc")
    for g, w in enumerate([0.1, 0.5]):
        (cal / f"gen-{g:02d}").mkdir()
        pd.DataFrame({"behaviour.offer_rate": [0.2 + 0.8 * w * i / 100 for i in range(101)]}).to_csv(
            cal / f"gen-{g:02d}" / "accepted.csv", index=False
        )
    md = settings_md(cal)
    assert "| reach (median span) |" in md and "| 1 | 30 | 7 | 4.5 | 21 | 5.66 | 45% | 0 |" in md
    assert "| 0 | 30 | 30 | 9 | 30 |  | 9% | 0 |" in md
    assert "*Reach*" not in md  # two generations: too few to say whether the chains still spread
