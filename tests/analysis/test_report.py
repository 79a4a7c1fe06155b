"""The reports a workshop reads: verdicts that agree with the intervals shown beside
them, sentences in plain words, Chinese headers, the uncertainty folder's report, an explain section."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import time
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from analysis import compare, labels, publish, report, stats
from analysis.explain import PART_COLUMNS, PATH_COLUMNS
from analysis.labels import TEXT, param_label, verdict_class
from sim.scenario import ScenarioError

ROOT = Path(__file__).resolve().parents[2]
TINY = {
    "population.schools": 2,
    "population.cohort_size": 60,
    "population.firms": 20,
    "population.partners_per_school": 6,
    "run.warmup_months": 12,
    "run.years": 4,
}
TINY_SETS = [x for k, v in TINY.items() if k != "run.years" for x in ("--set", f"{k}={v}")] + ["--years", "4"]
ASCII_LETTER = re.compile(r"[A-Za-z]")


# ------------------------------------------------------------------------------ helpers
class Cells(HTMLParser):
    """Every header cell's text (without what is inside <code>) and every verdict cell."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.verdicts: list[dict] = []
        self._th = self._td = None
        self._code = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "th":
            self._th = []
        elif tag == "td" and "verdict" in (a.get("class") or "").split():
            self._td = {
                "class": a["class"].split()[1],
                "low": a["data-low"],
                "high": a["data-high"],
                "margin": a.get("data-margin") or "",
                "metric": a["data-metric"],
                "better": a["data-better"],
                "draws": {k: a[k] for k in ("data-draws", "data-better-draws", "data-worse-draws") if k in a},
                "text": [],
            }
        elif tag == "code":
            self._code += 1

    def handle_endtag(self, tag):
        if tag == "th" and self._th is not None:
            self.headers.append("".join(self._th))
            self._th = None
        elif tag == "td" and self._td is not None:
            self._td["text"] = "".join(self._td["text"])
            self.verdicts.append(self._td)
            self._td = None
        elif tag == "code":
            self._code -= 1

    def handle_data(self, data):
        if self._th is not None and not self._code:
            self._th.append(data)
        if self._td is not None:
            self._td["text"].append(data)


def cells(html: str) -> Cells:
    c = Cells()
    c.feed(html)
    return c


def paired_with_p(p: float, n: int = 10, scale: float = 0.01) -> tuple[np.ndarray, np.ndarray]:
    """A baseline and a strategy whose paired differences have exactly the two-sided t-test p-value ``p``:
    differences = c + z with z a fixed zero-mean pattern of unit sd, c = t_(1-p/2, n-1) / sqrt(n)."""
    z = np.linspace(-1, 1, n)
    z = (z - z.mean()) / z.std(ddof=1)
    c = sps.t.ppf(1 - p / 2, n - 1) / np.sqrt(n)
    base = np.full(n, 0.5)
    return base + scale * (c + z), base


def check_verdict_cells(found: list[dict]) -> None:
    """Each verdict cell's colour follows its interval, and the interval it prints is that interval."""
    assert found
    for v in found:
        lo = float(v["low"]) if v["low"] else float("nan")
        hi = float(v["high"]) if v["high"] else float("nan")
        mg = float(v["margin"]) if v.get("margin") else 0.0
        if v.get("draws"):  # an uncertainty cell: its colour follows the counts of draws
            expect = expected_world_class(v)
        elif lo == lo:
            expect = (
                "negligible"
                if -mg < lo and hi < mg
                else "flat"
                if lo <= 0 <= hi
                else ("good" if (lo > 0) == (v["better"] == "higher") else "bad")
            )
        else:
            expect = "none"
        assert v["class"] == expect, v
        if expect == "few":
            continue
        shown = re.findall(r"\[([-+0-9.,]+), ([-+0-9.,]+)\]", v["text"])
        if expect == "none":
            continue
        a, b = (float(x.replace(",", "")) for x in shown[-1])
        if v["text"].lstrip().startswith(("lowers", "降低")) or "降低" in v["text"][:20]:
            a, b = -b, -a  # "lowers X by 2 [1, 3]" prints the size of the fall
        # printed with the decimals of the interval's width (docs/odd.md §7.8): half a step of the last one
        decimals = max(len(x.split(".")[1]) if "." in x else 0 for x in shown[-1])
        tol = 0.5001 * 10.0**-decimals
        assert abs(a - lo) <= tol and abs(b - hi) <= tol, (v, a, b)


def expected_world_class(v: dict) -> str:
    """An uncertainty cell's class from its counts of draws: good / bad when the one-sided 95% lower
    confidence bound (Clopper–Pearson) on the share of worlds better / worse is at least 95%; few when
    no count of that many draws could reach it; flat otherwise."""
    n = int(v["draws"]["data-draws"])
    if 0.05 ** (1 / n) < 0.95:
        return "few"
    for cls, key in (("good", "data-better-draws"), ("bad", "data-worse-draws")):
        k = int(v["draws"][key])
        if k and sps.beta.ppf(0.05, k, n - k + 1) >= 0.95:
            return cls
    return "flat"


# ------------------------------------------------------------------------------ Holm-consistent intervals
@pytest.mark.slow  # Holm's procedure on many random families
def test_holm_levels_agree_with_holm_on_random_families():
    """Exact property, no statistics: the level's interval excludes 0 (p < 1 - level) exactly when
    Holm's adjusted p is below alpha; ties and NaN included."""
    rng = np.random.default_rng(3)
    for _ in range(300):
        m = int(rng.integers(1, 40))
        p = rng.choice([rng.uniform(0, 0.06, m), rng.uniform(0, 1, m), rng.beta(0.3, 4, m)])
        p[rng.random(m) < 0.1] = np.nan
        if m > 3:
            p[1] = p[0]  # a tie
        levels, holm = stats.holm_levels(p), stats.holm(p)
        ok = np.isfinite(p)
        assert np.array_equal(np.isfinite(levels), ok)
        assert np.array_equal(p[ok] < 1 - levels[ok], holm[ok] < 0.05)


def test_holm_levels_by_hand():
    # sorted 0.001 (x4 = 0.004: reject at 1 - 0.05/4), 0.01 (x3 = 0.03: reject at 1 - 0.05/3),
    # 0.04 (x2 = 0.08: stop at 1 - 0.05/2) and 0.5 (after the stop: the stopping step's level)
    p = np.array([0.04, 0.001, 0.5, 0.01])
    np.testing.assert_allclose(stats.holm_levels(p), [1 - 0.05 / 2, 1 - 0.05 / 4, 1 - 0.05 / 2, 1 - 0.05 / 3])


def table_of(ps: list[float]) -> tuple[pd.DataFrame, dict]:
    rows, pairs = [], {}
    for i, p in enumerate(ps):
        x, b = paired_with_p(p)
        d = stats.paired_difference(x, b)
        assert d.p_value == pytest.approx(p, rel=1e-6)
        rows.append(
            {
                "scenario": f"s{i}",
                "metric": "firm_retention",
                "diff": d.diff,
                "diff_ci_low": d.low,
                "diff_ci_high": d.high,
                "p_value": d.p_value,
            }
        )
        pairs[i] = (x, b)
    tab = pd.DataFrame(rows)
    tab["p_holm"] = stats.holm(tab["p_value"].to_numpy())
    return compare.holm_intervals(tab, pairs), pairs


def test_unadjusted_interval_excludes_zero_but_holm_says_no_so_the_shown_interval_includes_it():
    """The case of the issue: p = 0.02 among four, Holm-adjusted 0.06. Its 95% interval excludes 0, the
    interval the verdict uses includes it, and the report says "no clear difference" in grey beside it."""
    tab, _ = table_of([0.01, 0.02, 0.03, 0.04])
    r = tab.iloc[1]
    assert r["p_holm"] == pytest.approx(0.06) and r["diff_ci_low"] > 0
    assert r["diff_holm_low"] < 0 < r["diff_holm_high"]
    assert r["holm_level"] == pytest.approx(1 - 0.05 / 3)
    first = tab.iloc[0]  # p = 0.01: Holm 0.04, clear, at its own step's level
    assert first["p_holm"] == pytest.approx(0.04) and first["diff_holm_low"] > 0
    assert first["holm_level"] == pytest.approx(1 - 0.05 / 4)
    text = report.verdict("firm_retention", r["diff"], r["diff_holm_low"], r["diff_holm_high"], "en")
    assert text.startswith("no clear difference in firm retention")
    lo, hi = re.search(r"\[([-0-9.]+), ([-0-9.]+)\]", text).groups()
    assert lo.startswith("-") and float(hi) > 0  # below 0 ("-0.0" when by less than the shown resolution)
    assert verdict_class("firm_retention", r["diff_holm_low"], r["diff_holm_high"]) == "flat"
    clear = report.verdict("firm_retention", first["diff"], first["diff_holm_low"], first["diff_holm_high"], "en")
    assert clear.startswith("raises firm retention by")


def test_one_replicate_has_no_interval_and_a_constant_difference_a_point():
    x = np.array([0.6, 0.6, 0.6])
    b = np.array([0.5, 0.5, 0.5])
    tab = pd.DataFrame([{"p_value": 1.0}, {"p_value": 0.0}])
    out = compare.holm_intervals(tab, {0: (x[:1], b[:1]), 1: (x, b)})
    assert np.isnan(out.loc[0, "diff_holm_low"]) and np.isnan(out.loc[0, "diff_holm_high"])
    assert out.loc[1, "diff_holm_low"] == pytest.approx(0.1) == out.loc[1, "diff_holm_high"]


def test_lower_is_better_for_turnover():
    assert verdict_class("early_turnover_6m", -0.03, -0.01) == "good"
    assert verdict_class("early_turnover_6m", 0.01, 0.03) == "bad"
    assert verdict_class("firm_retention", -0.03, -0.01) == "bad"
    assert verdict_class("firm_retention", -0.01, 0.01) == "flat"
    assert verdict_class("firm_retention", float("nan"), float("nan")) == "none"
    text = report.verdict("early_turnover_6m", -0.02, -0.03, -0.01, "en")
    assert text == "lowers early turnover (6 months) by 2.0 points [1.0, 3.0]"


def test_numbers_near_zero_never_print_as_zero():
    assert labels.num(0.004, "firm_retention") == "0.004"
    assert labels.num(-0.0004, "firm_retention") == "-0.0004"
    assert labels.num(0.0, "firm_retention") == "0.0" and labels.num(-0.01, "firm_retention") == "-0.01"


# ------------------------------------------------------------------------------ sentences
FACTS = [
    {"metric": "firm_retention", "diff": 0.16, "low": 0.12, "high": 0.20, "effect_size": 3.0},
    {"metric": "graduate_retention_12m", "diff": 0.05, "low": 0.01, "high": 0.09, "effect_size": 2.0},
    {"metric": "skill_civic", "diff": -0.002, "low": -0.003, "high": -0.001, "effect_size": -1.0},
    {"metric": "skill_technical", "diff": 0.001, "low": -0.002, "high": 0.004, "effect_size": 0.1},
]


def test_compare_sentence_in_plain_words():
    text = report.compare_sentence(FACTS, {"firm_retention": 0.9, "skill_technical": 0.3}, "en")
    assert text == (
        "Better on 2 of 4 headline outcomes, most on firm retention (+16 points [12, 20]); worse on "
        "civic literacy; no clear difference on technical skill. Best of all strategies on firm "
        "retention in most replicates."
    )
    zh = report.compare_sentence(FACTS, {"firm_retention": 0.9}, "zh")
    assert zh == (
        "4项主要指标中有2项优于基线，企业合作留存率（+16 个百分点 [12, 20]）改善最多；思想政治素养不如基线；"
        "实践技能无明显差异。多数重复中，企业合作留存率为所有策略中最佳。"
    )


def test_compare_sentence_without_gains():
    losses = [dict(FACTS[2]), dict(FACTS[3])]
    assert report.compare_sentence(losses, {}, "en") == (
        "Worse on civic literacy; no clear difference on technical skill."
    )
    assert (
        report.compare_sentence([FACTS[3]], {}, "en")
        == "No clear difference from the baseline on any headline outcome."
    )


def hand_uncertainty(tmp_path: Path, with_boxes: bool = True, draws: int = 20) -> Path:
    """A finished uncertainty folder written by hand: two strategies, two headline metrics, 20 draws (the
    runs: alpha raises firm retention in every draw, beta lowers it in every draw, turnover never moves)."""
    out = tmp_path / "unc"
    out.mkdir()
    meta = {
        "package": "sesim",
        "kind": "compare-uncertainty",
        "mode": "assumptions",
        "draws": 20,
        "root_seed": 0,
        "scenarios": ["baseline", "alpha", "beta"],
        "baseline": "baseline",
        "headline": ["firm_retention", "early_turnover_6m"],
        "parameters": ["behaviour.craft_visibility"],
        "titles": {"baseline": ["Status quo", "现状"], "alpha": ["Alpha plan", "甲方案"], "beta": ["Beta", "乙方案"]},
        "status": "complete",
    }
    (out / "uncertainty.json").write_text(json.dumps(meta), encoding="utf-8")
    pd.DataFrame(
        [
            ("alpha", "firm_retention", 20, 0.16, 0.09, 0.22, 0.15, 0.97),
            ("alpha", "early_turnover_6m", 20, -0.02, -0.05, 0.01, -0.02, 0.80),
            ("beta", "firm_retention", 20, -0.03, -0.06, -0.01, -0.03, 0.0),
            ("beta", "early_turnover_6m", 20, 0.01, 0.005, 0.03, 0.01, 0.0),
            ("alpha", "skill_fit", 20, 0.01, 0.0, 0.02, 0.01, 0.9),
        ],
        columns=["strategy", "metric", "n_draws", "median_diff", "q05", "q95", "mean_diff", "prob_improvement"],
    ).to_csv(out / "uncertainty.csv", index=False)
    pd.DataFrame(
        [
            (m, s, p, r, 20)
            for m in ("firm_retention", "early_turnover_6m")
            for s, p, r in (("baseline", 0.0, 2.5), ("alpha", 0.9, 1.1), ("beta", 0.1, 2.4))
        ],
        columns=["metric", "strategy", "prob_first", "mean_rank", "n_draws"],
    ).to_csv(out / "rank.csv", index=False)
    pd.DataFrame(
        [
            ("alpha", "firm_retention", 1, "behaviour.craft_visibility", 0.4, 0.3, 0.5, 0.15, True, 20),
            ("alpha", "firm_retention", 2, "behaviour.offer_sd", 0.1, 0.0, 0.2, 0.15, False, 20),
            ("alpha", "early_turnover_6m", 1, "behaviour.offer_sd", 0.1, 0.0, 0.2, 0.15, False, 20),
            ("beta", "firm_retention", 1, "behaviour.not_in_any_list", 0.5, 0.4, 0.6, 0.15, True, 20),
        ],
        columns=[
            "strategy",
            "metric",
            "rank",
            "parameter",
            "delta",
            "delta_low",
            "delta_high",
            "noise_q95",
            "above_noise",
            "n_draws",
        ],
    ).to_csv(out / "hinges.csv", index=False)
    rng = np.random.default_rng(0)
    shift = {"baseline": 0.0, "alpha": 0.15, "beta": -0.03}
    rows = [
        {
            "scenario": s,
            "draw": d,
            "seed": d,
            "firm_retention": 0.3 + noise + shift[s],
            "early_turnover_6m": 0.4,
            "skill_fit": 0.7,
        }
        for d, noise in zip(range(draws), rng.normal(0, 0.01, draws))
        for s in meta["scenarios"]
    ]
    pd.DataFrame(rows).to_csv(out / "summary.csv", index=False)
    if with_boxes:
        d = out / "discover-alpha-firm_retention-fails"
        d.mkdir()
        (d / "manifest.json").write_text(
            json.dumps(
                {
                    "package": "sesim",
                    "strategy": "alpha",
                    "metric": "firm_retention",
                    "threshold": None,
                    "points_of_interest": 1,
                    "points": 20,
                }
            )
        )
        pd.DataFrame(
            [(1, "behaviour.craft_visibility", "range", 0.0, 0.05, "", 1.0, 1.0, 0.05, 1)],
            columns=["box", "lever", "kind", "low", "high", "values", "coverage", "density", "mass", "n_points"],
        ).to_csv(d / "boxes.csv", index=False)
    return out


def test_uncertainty_sentence_names_size_probability_hinge_and_where_it_fails(tmp_path):
    data = report.load_uncertainty(hand_uncertainty(tmp_path))
    text = unescape(report.uncertainty_sentence("alpha", data, "en"))  # HTML: the apostrophe is &#39; there
    assert text.startswith(
        "Raises firm retention by 16 points (median of 20 plausible worlds; 5–95%: +9 to +22); "
        "better than the baseline in 97% of them; the size depends mostly on share of a graduate's "
        "craft that outside employers see from credentials (<code>behaviour.craft_visibility</code>)."
    )
    # 20 draws cannot support "better in at least 95% of worlds" (59 all on one side could)
    assert (
        "too few draws to say whether it is better in at least 95% of worlds on early turnover (6 months) "
        "(59 draws would do, all on one side)"
    ) in text
    assert "skill fit" not in text  # not a headline metric of this folder
    assert (
        "It fails to beat the baseline on firm retention mainly where share of a graduate's craft that outside "
        "employers see from credentials (<code>behaviour.craft_visibility</code>) is between 0 and 0.05: 100% of "
        "the worlds where it fails lie there"
    ) in text
    zh = unescape(report.uncertainty_sentence("alpha", data, "zh"))
    assert zh.startswith(
        "企业合作留存率提高 16 个百分点（20种合理情形的中位数；5%–95%：+9 至 +22）；在97%的情形中优于基线；"
        "效果大小主要取决于外部雇主能看到的工匠精神比例（<code>behaviour.craft_visibility</code>）。"
    )
    assert ASCII_LETTER.search(re.sub(r"<code>.*?</code>", "", zh)) is None
    # a parameter with no words in the language: its key alone, in code
    beta = report.uncertainty_sentence("beta", data, "zh")
    assert "主要取决于<code>behaviour.not_in_any_list</code>" in beta and beta.startswith(
        "企业合作留存率降低 3 个百分点"
    )
    assert param_label("behaviour.not_in_any_list", "zh") is None


def test_uncertainty_report_cells_agree_with_their_ranges_and_zh_headers_are_chinese(tmp_path):
    """With 60 draws (enough for "in at least 95% of worlds") the cells are green, red or grey by the counts."""
    data = report.load_uncertainty(hand_uncertainty(tmp_path, draws=60))
    for lang in ("en", "zh"):
        html = report.build_uncertainty(data, lang, {}, [], explain=hand_explain(tmp_path))
        c = cells(html)
        check_verdict_cells(c.verdicts)
        classes = {(v["metric"], v["class"]) for v in c.verdicts}
        assert ("firm_retention", "good") in classes and ("firm_retention", "bad") in classes
        assert ("early_turnover_6m", "flat") in classes
        if lang == "zh":
            bad = [h for h in c.headers if ASCII_LETTER.search(h)]
            assert not bad, bad
            assert "把握有多大" in html and "效果从何而来" in html
        else:
            assert "Where it would not work" in html and "What carries the effect?" in html


def test_uncertainty_report_without_discover_says_how_to_get_boxes(tmp_path):
    data = report.load_uncertainty(hand_uncertainty(tmp_path, with_boxes=False))
    html = report.build_uncertainty(data, "en", {}, [])
    assert "sesim discover DIR --metric M --strategy S" in html and "fails to beat" not in html.split("<h2>")[2]


# ------------------------------------------------------------------------------ explain
def hand_explain(tmp_path: Path) -> Path:
    """The folder of a hand-made sesim explain result: two parts, two families, three metrics."""
    folder = tmp_path / "explain"
    folder.mkdir(exist_ok=True)
    nan = float("nan")
    pd.DataFrame(
        [
            (
                "alpha",
                "baseline",
                "firm_retention",
                "shapley",
                "talk",
                "communication.depth",
                0.15,
                0.10,
                0.20,
                0.75,
                0.20,
                10,
            ),
            (
                "alpha",
                "baseline",
                "firm_retention",
                "shapley",
                "money",
                "firm_support.resources",
                0.05,
                -0.01,
                0.11,
                0.25,
                0.20,
                10,
            ),
            (
                "alpha",
                "baseline",
                "firm_retention",
                "alone",
                "talk",
                "communication.depth",
                0.14,
                0.09,
                0.19,
                0.70,
                0.20,
                10,
            ),
            (
                "alpha",
                "baseline",
                "firm_retention",
                "interaction",
                "talk × money",
                "",
                0.02,
                -0.01,
                0.05,
                0.10,
                0.20,
                10,
            ),
            (
                "alpha",
                "baseline",
                "early_turnover_6m",
                "shapley",
                "talk",
                "communication.depth",
                -0.03,
                -0.04,
                -0.02,
                0.6,
                -0.05,
                10,
            ),
            (
                "alpha",
                "baseline",
                "early_turnover_6m",
                "shapley",
                "money",
                "firm_support.resources",
                -0.02,
                -0.03,
                -0.01,
                0.4,
                -0.05,
                10,
            ),
            ("alpha", "baseline", "skill_fit", "shapley", "talk", "communication.depth", nan, nan, nan, nan, nan, 10),
            (
                "alpha",
                "baseline",
                "skill_fit",
                "shapley",
                "money",
                "firm_support.resources",
                nan,
                nan,
                nan,
                nan,
                nan,
                10,
            ),
        ],
        columns=list(PART_COLUMNS),
    ).to_csv(folder / "parts.csv", index=False)
    pd.DataFrame(
        [
            ("alpha", "baseline", "M1", "firm_retention", 0.20, 0.04, 0.16, 0.80, 0.70, 0.90, 10),
            ("alpha", "baseline", "M16", "firm_retention", 0.20, 0.20, 0.0, 0.0, 0.0, 0.0, 10),
            ("alpha", "baseline", "M1", "early_turnover_6m", -0.05, -0.049, -0.001, 0.02, -0.05, 0.09, 10),
            ("alpha", "baseline", "M16", "early_turnover_6m", -0.05, -0.05, 0.0, 0.0, 0.0, 0.0, 10),
            ("alpha", "baseline", "M1", "skill_fit", 0.001, 0.001, 0.0, nan, nan, nan, 10),
            ("alpha", "baseline", "M16", "skill_fit", 0.001, 0.001, 0.0, nan, nan, nan, 10),
        ],
        columns=list(PATH_COLUMNS),
    ).to_csv(folder / "paths.csv", index=False)
    return folder


def test_explain_section_asks_both_questions(tmp_path):
    folder = hand_explain(tmp_path)
    html = report.explain_section(folder, "en")
    assert "What carries the effect?" in html
    assert "how much of the difference comes from this part of the package" in html
    assert "how much of the difference goes through this mechanism" in html
    assert "1 = carries none" not in html and "share remaining" not in html  # the old inverted scale is gone
    assert re.search(
        r"firm retention: of the \+20 points difference, \+15 \[10, 20\] points come from "
        r"<code>talk</code>, \+5 \[-1, 11\] points come from <code>money</code>",
        html,
    )
    assert re.search(r"firm retention: 80% \[70, 90\] of the difference goes through M1", html)
    assert "early turnover (6 months): no mechanism family carries much of the difference on its own" in html
    assert "skill fit to first employer: no clear difference to explain" in html
    assert "talk × money" in html  # interactions in the table
    assert html == report.explain_section(folder / "paths.csv", "en")  # either file does as well
    zh = report.explain_section(folder, "zh")
    assert "80% [70, 90] 的差异经由M1" in zh
    assert not [h for h in cells(zh).headers if ASCII_LETTER.search(h)]
    (folder / "parts.csv").write_text("strategy\na\n")
    with pytest.raises(ScenarioError, match="missing columns"):
        report.explain_section(folder, "en")
    old = tmp_path / "old"
    old.mkdir()
    (old / "explain.csv").write_text("strategy\na\n")
    with pytest.raises(ScenarioError, match="earlier sesim: run sesim explain again"):
        report.explain_section(old, "en")


# ------------------------------------------------------------------------------ a real small comparison
@pytest.fixture(scope="module")
def comp():
    from sim import load_scenario

    scns = [load_scenario(n, TINY) for n in ("baseline", "craftsman", "huli_tongqiang_qirong")]
    return compare.run_comparison(scns, "baseline", seeds=4, progress=False)


def test_every_verdict_and_cell_agrees_with_its_interval(comp, tmp_path):
    tab = comp.table.dropna(subset=["p_holm"])
    assert ((tab["diff_holm_low"] > 0) | (tab["diff_holm_high"] < 0)).eq(tab["p_holm"] < 0.05).all()
    assert (tab["diff_holm_high"] - tab["diff_holm_low"] >= tab["diff_ci_high"] - tab["diff_ci_low"] - 1e-12).all()
    for lang in ("en", "zh"):
        publish.write_comparison(comp, tmp_path / lang, lang, ["test"], time.time(), explain=hand_explain(tmp_path))
        html = (tmp_path / lang / "report.html").read_text(encoding="utf-8")
        c = cells(html)
        check_verdict_cells(c.verdicts)
        if lang == "zh":
            bad = [h for h in c.headers if ASCII_LETTER.search(h)]
            assert not bad, bad
    # the first screen comes before the figures, the figures before the folded details
    html = (tmp_path / "en" / "report.html").read_text(encoding="utf-8")
    assert html.index("At a glance") < html.index("<img") < html.index("<details")
    assert "What carries the effect?" in html


EVIL = '<script>alert("x")</script>'


def test_a_title_with_markup_is_text_in_both_reports(comp, tmp_path):
    """docs/odd.md §7.8: a scenario's title and description, a warning, are escaped wherever they appear;
    the markup sesim builds itself (a parameter's key in <code>) stays markup."""
    c = copy.deepcopy(comp)
    c.scenarios[1].title_en = EVIL
    c.scenarios[1].description = EVIL
    page = report.build(c, "en", {}, [EVIL], {"version": "test"})
    assert "<script" not in page
    assert page.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") >= 4  # glance, two tables, scenarios, warning
    folder = hand_uncertainty(tmp_path)
    meta = json.loads((folder / "uncertainty.json").read_text())
    meta["titles"]["alpha"] = [EVIL, EVIL]
    (folder / "uncertainty.json").write_text(json.dumps(meta))
    page = report.build_uncertainty(report.load_uncertainty(folder), "en", {}, [EVIL])
    assert "<script" not in page and page.count("&lt;script&gt;") >= 3
    assert "<code>behaviour.craft_visibility</code>" in page


def test_no_template_turns_escaping_off():
    """docs/odd.md §7.8: markup reaches a page only as Markup built by sesim's code, never by a template
    marking a value safe or switching autoescaping off."""
    from analysis.html import environment

    folder = ROOT / "analysis" / "templates"
    pages = sorted(folder.glob("*.html"))
    assert {p.name for p in pages} >= {"base.html", "macros.html", "compare.html", "uncertainty.html", "debrief.html"}
    for page in pages:
        text = page.read_text(encoding="utf-8").replace(" ", "")
        assert "|safe" not in text and "autoescape" not in text, page.name
        assert environment().autoescape(page.name) is True, page.name


def test_the_terminal_table_in_chinese_is_aligned_and_chinese(comp):
    text = compare.headline_text(comp, "zh")
    lines = text.splitlines()
    head = [ln for ln in lines[1:] if not ln.startswith(("craftsman", "huli"))]
    assert all(ASCII_LETTER.search(h) is None for h in head), head
    widths = {compare.display_width(ln.rstrip()) for ln in lines[1:]}
    assert max(widths) - min(widths) <= 1, widths  # a star may end a row
    assert "企业合作留存率" in text and "Holm" in lines[0]


def test_the_terminal_stars_follow_the_shown_interval(comp):
    """* marks better or worse (the interval excludes 0), ~ negligible (it lies inside ± the margin):
    the marks follow comparison.csv's verdicts and the intervals printed are the verdicts' intervals."""
    from analysis.labels import display_scale

    text = compare.headline_text(comp, "en")
    tab = comp.table.set_index(["scenario", "metric"])
    found = 0
    for line in text.splitlines()[4:]:
        scn = line.split()[0]
        printed = re.findall(r"([-+]?[0-9.]+) \[([-0-9.]+), ([-0-9.]+)\]([*~]?)", line)
        assert len(printed) == len(comp.headline), line
        for m, (_d, lo, hi, mark) in zip(comp.headline, printed):
            r = tab.loc[(scn, m)]
            k = display_scale(m)
            assert mark == {"better": "*", "worse": "*", "negligible": "~"}.get(r["verdict"], ""), (line, m)
            decimals = len(lo.split(".")[1]) if "." in lo else 0  # the interval's, by its width (§7.8)
            assert abs(float(lo) - r["diff_holm_low"] * k) <= 0.5001 * 10**-decimals, (line, m)
            if mark == "*":  # rounded to the interval's resolution it may touch 0, never cross it
                assert float(lo) >= 0 or float(hi) <= 0, line
            found += 1
    assert found, text  # the cells were read, not skipped


@pytest.mark.slow  # end-to-end sesim runs
def test_chinese_cli_lines(tmp_path):
    out = tmp_path / "zh"
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
            "zh",
            "--out",
            str(out),
            *TINY_SETS,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "1 个策略与 baseline 比较，每个 3 次重复（种子 0..2，共同随机数）"
    assert lines[1].startswith("与基线（baseline）的差值及结论所用区间") and lines[-1] == f"报告：{out / 'report.html'}"


def test_every_text_has_both_languages():
    assert all(len(v) == 2 and all(v) for v in TEXT.values())
    for key in ("glance_note", "unc_note", "cli_headline"):
        assert ASCII_LETTER.search(re.sub(r"\{\w+\}|Holm|sesim \w+|--\w+|DIR|M\b|S\b", "", TEXT[key][1])) is None, key


@pytest.mark.slow  # end-to-end sesim runs
def test_uncertainty_command_writes_its_report(tmp_path):
    out = tmp_path / "u"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "compare",
            "baseline",
            "craftsman",
            "--uncertainty",
            "assumptions",
            "--draws",
            "5",
            "--lang",
            "en",
            "--out",
            str(out),
            *TINY_SETS,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    assert "report.html" in r.stdout
    for name in ("report.html", "uncertainty.png", "uncertainty.svg"):
        assert (out / name).is_file(), name
    # one strategy: no probability-of-being-best grid (it would only repeat "better than the baseline")
    assert not (out / "prob_best.png").exists() and "Most likely best" not in r.stdout
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "How sure are we?" in html and html.count("data:image/png;base64") == 1 and "best in" not in html
    # 5 draws cannot support "better in at least 95% of worlds": every cell says so, none is green or red
    found = cells(html).verdicts
    check_verdict_cells(found)
    assert {v["class"] for v in found} == {"few"}
    assert "too few draws to say (59 would do)" in html and "59" in r.stdout
    # the baseline's level is explained (parameter draws, not the calibrated values)
    assert "calibrated values of scenarios/baseline.toml" in html
    from analysis.publish import write_uncertainty_report as write_report

    assert write_report(out, "zh", explain=hand_explain(tmp_path)) in ([], [TEXT["cli_no_cjk"][1]])
    zh = (out / "report.html").read_text(encoding="utf-8")
    assert "效果从何而来" in zh
    # a folder given as a string; the explain results found inside it are included without being named
    import shutil

    shutil.copytree(hand_explain(tmp_path), out / "explain-alpha")
    assert write_report(str(out), "en") in ([], [TEXT["cli_no_cjk"][0]])
    en = (out / "report.html").read_text(encoding="utf-8")
    assert "What carries the effect?" in en and "goes through M1" in en
    assert 'lang="zh-CN"' in zh and not [h for h in cells(zh).headers if ASCII_LETTER.search(h)]
    assert not list(out.glob(".report-*"))
