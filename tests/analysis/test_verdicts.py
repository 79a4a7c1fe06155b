"""Verdicts that do not hang on noise (docs/odd.md §7.7): Holm within each metric's family, a smallest
difference that matters per metric ("negligible"), the ranking's weights, and uncertainty shares said
only when the number of draws supports them."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analysis import compare, ranking, report, stats
from analysis.labels import draws_needed, verdict_class, world_class
from sim import metrics
from tests.analysis.test_report import ROOT, TINY_SETS, paired_with_p


def _table(pairs_by_metric: dict[str, list[tuple[np.ndarray, np.ndarray]]]) -> tuple[pd.DataFrame, dict]:
    """comparison.csv's columns for hand-made pairs: per metric, strategies s0, s1, ... against a baseline."""
    rows, pairs = [], {}
    for m, plist in pairs_by_metric.items():
        rows.append({"scenario": "baseline", "metric": m, "diff": np.nan, "p_value": np.nan})
        for j, (x, b) in enumerate(plist):
            d = stats.paired_difference(x, b)
            pairs[len(rows)] = (x, b)
            rows.append({"scenario": f"s{j}", "metric": m, "diff": d.diff, "p_value": d.p_value})
    return pd.DataFrame(rows), pairs


def test_adding_a_metric_changes_no_other_metrics_verdict():
    # firm retention: p = 0.02 and 0.6 over two strategies; Holm within the metric rejects the first
    # (2 x 0.02 = 0.04).  Over every comparison of both metrics it would not (4 x 0.02 = 0.08).
    own = {"firm_retention": [paired_with_p(0.02), paired_with_p(0.6, scale=0.05)]}
    more = {**own, "employers_4plus_3y": [paired_with_p(0.5), paired_with_p(0.7)]}
    alone = compare.verdicts(*_table(own))
    both = compare.verdicts(*_table(more))
    pooled = stats.holm(both["p_value"].to_numpy(float))
    assert np.nanmin(pooled) >= 0.05  # the old, pooled family would have turned "better" into "unclear"
    keep = ["scenario", "metric", "p_holm", "holm_level", "diff_holm_low", "diff_holm_high", "verdict"]
    fr = both[both["metric"] == "firm_retention"][keep].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone[keep].reset_index(drop=True), fr)
    assert list(fr["verdict"]) == ["", "better", "unclear"]


def test_a_difference_inside_the_margin_is_negligible_not_worse():
    x, b = paired_with_p(1e-4, scale=0.0005)  # a clear difference of about 0.002 (0.2 points)
    tab, pairs = _table({"skill_civic": [(b, x)]})  # swapped: civic literacy falls by 0.2 points
    out = compare.verdicts(tab, pairs)
    r = out.iloc[1]
    assert r["diff_holm_high"] < 0 and r["diff_holm_low"] > -metrics.margin("skill_civic")
    assert r["margin"] == 0.01 and r["verdict"] == "negligible"
    # the same difference with no margin is "worse"; one that reaches beyond the margin is "worse" too
    assert compare.verdicts(tab, pairs, margin=lambda m: 0.0).iloc[1]["verdict"] == "worse"
    x, b = paired_with_p(1e-4, scale=0.01)
    assert compare.verdicts(*_table({"skill_civic": [(b, x)]})).iloc[1]["verdict"] == "worse"
    # an interval that includes 0 and reaches beyond the margin: unclear
    x, b = paired_with_p(0.5, scale=0.02)
    assert compare.verdicts(*_table({"skill_civic": [(x, b)]})).iloc[1]["verdict"] == "unclear"


def test_verdict_words_and_classes():
    assert verdict_class("skill_civic", -0.003, -0.0001, 0.01) == "negligible"
    assert verdict_class("skill_civic", -0.003, -0.0001) == "bad"
    assert verdict_class("skill_civic", -0.02, 0.005, 0.01) == "flat"
    assert verdict_class("early_turnover_6m", -0.03, -0.011, 0.01) == "good"
    text = report.verdict("skill_civic", -0.002, -0.003, -0.0001, "en", margin=0.01)
    assert text.startswith("negligible difference in civic literacy (-0.20 points [-0.30, -0.01])"), text
    assert "可忽略" in report.verdict("skill_civic", -0.002, -0.003, -0.0001, "zh", margin=0.01)
    assert metrics.margin("firm_net_benefit") == 1.0 and metrics.MARGINS["firm_retention"].kind == "assumption"
    assert set(metrics.MARGINS) == set(metrics.ALL_METRICS) and all(m.source for m in metrics.MARGINS.values())


def test_weights_reorder_the_ranking_and_the_rule_is_said():
    # a is first on m1 by a little, b first on m2 by a lot: equal weights rank b first, m1 x 10 ranks a first
    rank = pd.DataFrame(
        [
            ("firm_retention", "a", 1.4),
            ("firm_retention", "b", 1.6),
            ("skill_civic", "a", 2.0),
            ("skill_civic", "b", 1.0),
        ],
        columns=["metric", "strategy", "mean_rank"],
    )
    assert ranking.ranked_by(rank, ["base", "a", "b"], "base") == ["b", "a"]
    assert ranking.ranked_by(rank, ["base", "a", "b"], "base", {"firm_retention": 10}) == ["a", "b"]
    assert ranking.ranked_by(rank, ["base", "a", "b"], "base", {"skill_civic": 0}) == ["a", "b"]
    rule = report.rank_rule(["firm_retention", "skill_civic"], {"firm_retention": 10}, "en")
    assert "weighted: firm retention 10, civic literacy 1" in rule and "--weights" in rule
    assert "each weighted equally" in report.rank_rule(["firm_retention"], {}, "en")


def test_shares_of_worlds_only_with_enough_draws():
    assert draws_needed() == 59  # 0.05 ** (1 / 59) >= 0.95 > 0.05 ** (1 / 58)
    assert world_class(58, 58, 0) == "few"  # every draw better, still too few to say
    assert world_class(59, 59, 0) == "good" and world_class(59, 0, 59) == "bad"
    assert world_class(59, 58, 1) == "flat"  # 58 of 59: the bound falls below 95%
    assert world_class(100, 99, 1) == "good" and world_class(100, 98, 2) == "flat"


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--margin", "firm_retention=-1"], "--margin firm_retention=-1: allowed a number >= 0"),
        (["--margin", "nope=0.1"], "--margin: unknown metric 'nope'"),
        (["--margin", "0.01x"], "--margin (every metric)=0.01x: allowed a number >= 0"),
        (["--weights", "skill_level=2"], "--weights: unknown metric 'skill_level'"),
        (
            [
                "--weights",
                "firm_retention=0,graduate_retention_12m=0,early_turnover_6m=0,skill_fit=0,skill_technical=0,"
                "skill_civic=0",
            ],
            "--weights: at least one headline metric needs a weight > 0",
        ),
        (["--uncertainty", "assumptions", "--seeds", "4"], "--seeds 4 goes with a plain comparison"),
        (["--uncertainty", "assumptions", "--margin", "0.01"], "--margin goes with a plain comparison"),
    ],
)
def test_bad_margins_weights_and_seeds_are_one_line(tmp_path, args, needle):
    out = tmp_path / "out"
    r = subprocess.run(
        [sys.executable, "-m", "sim", "compare", "baseline", "craftsman", "--out", str(out), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 2 and needle in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert "Traceback" not in r.stderr and not out.exists()


def test_margin_and_weights_reach_the_table_and_the_first_screen(tmp_path):
    out = tmp_path / "c"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "compare",
            "baseline",
            "craftsman",
            "--seeds",
            "3",
            "--lang",
            "en",
            "--margin",
            "0.5",
            "--weights",
            "firm_retention=3",
            "--out",
            str(out),
            *TINY_SETS,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    tab = pd.read_csv(out / "comparison.csv")
    other = tab[tab["scenario"] == "craftsman"]
    assert (other["margin"] == 0.5).all()
    # a margin of 50 points: every interval that lies inside it is negligible
    inside = (other["diff_holm_low"] > -0.5) & (other["diff_holm_high"] < 0.5)
    assert (other.loc[inside, "verdict"] == "negligible").all() and inside.any()
    html = (out / "report.html").read_text(encoding="utf-8")
    first = html[: html.index("<img")]
    assert (
        "Ranking: strategies ordered by the mean of their ranks on the 6 headline outcomes (weighted: firm "
        "retention 3, " in first
    )
    assert "Negligible: the interval lies wholly inside ± the smallest difference that matters" in first
    assert "~" in r.stdout
