"""``report.html``: self-contained pages a workshop can open offline (比较报告).

Two reports share this module:

- ``build`` — the report of ``sesim compare``: one screen with the strategies ranked on the headline
  metrics, each with a sentence in plain words; the figures; then the details (verdict tables,
  mutual benefit, scenarios, survival), the method, and, when given, "How sure are we?" (an
  uncertainty folder) and "What carries the effect?" (the folder of ``sesim explain``: parts.csv and paths.csv).
- ``build_uncertainty`` — the report of ``sesim compare --uncertainty``: the strategies ranked by
  their mean rank over the headline metrics, a sentence per strategy (median difference, probability of
  improvement, the parameter the size hinges on, where it fails), figures, hinges, boxes, method.

Every colour of ``build`` comes from :func:`analysis.labels.verdict_class` applied to the interval
printed beside it and the metric's margin, so a verdict and its interval cannot disagree: the
interval is the Holm-consistent one the verdict uses (``diff_holm_low``/``diff_holm_high``,
docs/odd.md §7.7).  In ``build_uncertainty`` a colour comes from :func:`analysis.labels.world_class`,
the counts of draws on either side (said only when the draws can support "in at least 95% of
worlds").  Every cell carries ``data-low``/``data-high``/``data-margin`` (display units) and
``data-metric`` (and, for the worlds, ``data-draws``, ``data-better-draws``, ``data-worse-draws``) for
the tests that check this.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import numpy as np
import pandas as pd
from markupsafe import Markup, escape

from .html import code, markup, render, title_fn
from .labels import (
    TEXT,
    VERDICT_KEYS,
    builtin_titles,
    display_scale,
    draws_needed,
    higher_is_better,
    level_unit,
    mechanism_label,
    metric_kind,
    metric_label,
    param_label,
    percent,
    t,
    tf,
    unit_label,
    verdict_class,
    with_interval,
    world_class,
    world_counts,
)
from .labels import interval_decimals as _dec
from .labels import num as _num
from .labels import signed as _signed
from .ranking import ranked_by, replicate_ranks

if TYPE_CHECKING:
    from .compare import Comparison

ALPHA = 0.05
MUTUAL = ("firm_net_benefit", "school_net_benefit", "firm_willingness", "firm_loss_share")
BEST_SHOWN = 0.5  # a sentence names the outcomes on which a strategy is best in more than this share
LEVEL_SUFFIX = {"share": "%", "skill": "/100"}  # a level in a table cell: 29%, 72/100
BOX_CONDITIONS = 2  # limits of a PRIM box a sentence spells out


# ------------------------------------------------------------------------------ numbers and words
def _unit(metric: str, lang: str) -> str:
    u = unit_label(metric, lang)
    return f" {u}" if u else ""


def _level(v: float, metric: str, lang: str) -> str:
    """A level (a mean, not a difference) with its unit: 60%, 43/100, 2.59 employers."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    s = _num(v * display_scale(metric), metric)
    kind = metric_kind(metric)
    if kind in LEVEL_SUFFIX:
        return s + LEVEL_SUFFIX[kind]
    return f"{s} {level_unit(metric, lang)}"


def verdict(metric: str, diff: float, low: float, high: float, lang: str, margin: float | None = None) -> str:
    """Plain-language reading of one difference and the interval its verdict uses:
    "raises firm retention by 18 points [12, 24]".  Clear (raises / lowers) exactly when the
    interval excludes 0 and does not lie inside ±``margin`` (own unit; then "negligible difference
    in ..."); the interval is printed as it is (for "lowers", as the size of the fall)."""
    k = display_scale(metric)
    d, lo, hi = diff * k, low * k, high * k
    name = metric_label(metric, lang)
    if isinstance(d, float) and math.isnan(d):
        return f"{name}: –"
    unit = _unit(metric, lang)
    cls = verdict_class(metric, lo, hi, None if margin is None else margin * k)
    dec = _dec(lo, hi)  # the estimate and its interval with the decimals of the interval's width (§7.8)
    ci = "" if cls == "none" else f" [{_num(lo, metric, dec, True)}, {_num(hi, metric, dec, True)}]"
    if cls == "negligible":
        if lang == "zh":
            return f"{name}{t('negligible_on', lang).rstrip('：')}（{_signed(d, metric, dec)}{unit}{ci}）"
        return f"{t('negligible_on', lang)} {name} ({_signed(d, metric, dec)}{unit}{ci})"
    if cls in ("good", "bad"):
        up = d > 0
        a, b = (lo, hi) if up else (-hi, -lo)
        ci = f" [{_num(a, metric, dec, True)}, {_num(b, metric, dec, True)}]"
        size = _num(abs(d), metric, dec)
        if lang == "zh":
            return f"{name}{t('raises' if up else 'lowers', lang)} {size}{unit}{ci}"
        return f"{t('raises' if up else 'lowers', lang)} {name} by {size}{unit}{ci}"
    if lang == "zh":
        return f"{name}{t('no_clear', lang).rstrip('：')}（{_signed(d, metric, dec)}{unit}{ci}）"
    return f"{t('no_clear', lang)} {name} ({_signed(d, metric, dec)}{unit}{ci})"


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def _join(items: list[str], lang: str) -> str:
    return t("list_sep", lang).join(items)


def _join_html(items: list[Markup], lang: str) -> Markup:
    """:func:`_join` for pieces of HTML (plain strings among them are escaped)."""
    return escape(t("list_sep", lang)).join(items)


def _say(key: str, lang: str, **kw: object) -> Markup:
    """The message ``key`` as HTML, each value escaped unless it is already :class:`Markup`."""
    return markup(escape(t(key, lang)), **kw)


def _data(metric: str, low: float, high: float, margin: float | None = None) -> dict[str, str]:
    """The interval a cell's colour follows and the margin it is read against, in display units, for
    anyone checking the colour (the ``data-*`` attributes of the ``cell`` macro)."""
    k = display_scale(metric)
    lo = "" if low != low else repr(float(low * k))
    hi = "" if high != high else repr(float(high * k))
    mg = "" if margin is None or margin != margin else repr(float(margin * k))
    return {
        "metric": metric,
        "low": lo,
        "high": hi,
        "margin": mg,
        "better": "higher" if higher_is_better(metric) else "lower",
    }


def _cell(metric: str, low: float, high: float, margin: float | None = None, **inner: Any) -> dict[str, Any]:
    """A verdict cell for the ``cell`` macro: its class and data, and what the template prints in it."""
    return {"cls": verdict_class(metric, low, high, margin), **_data(metric, low, high, margin), **inner}


# ------------------------------------------------------------------------------ the plain comparison
def rank_rule(metrics: list[str], weights: dict[str, float], lang: str) -> str:
    """The ranking rule in one sentence, for the first screen: which outcomes, and how they are weighted."""
    w = {m: weights.get(m, 1.0) for m in metrics}
    if len(set(w.values())) <= 1:
        how = t("rank_equal", lang)
    else:
        how = tf("rank_weighted", lang, what=_join([f"{metric_label(m, lang)} {w[m]:g}" for m in metrics], lang))
    return tf("rank_rule", lang, n=len(metrics), how=how)


def margin_rule(metrics: list[str], margin: Callable[[str], float], lang: str) -> str:
    """The margins of the headline metrics in one sentence, in display units."""
    what = _join(
        [f"{metric_label(m, lang)} ±{_num(margin(m) * display_scale(m), m)}{_unit(m, lang)}" for m in metrics], lang
    )
    return tf("margin_rule", lang, what=what)


def compare_sentence(rows: list[dict[str, Any]], best: dict[str, float], lang: str) -> Markup:
    """One strategy in plain words, from its headline verdicts (HTML).

    ``rows``: per headline metric ``metric, diff, low, high`` (the interval the verdict uses, own units)
    and optionally ``margin`` (own unit);
    ``best``: metric -> share of replicates in which the strategy is best of all.
    "Better on 4 of 6 headline outcomes, most on firm retention (+16 points [12, 20]); worse on civic
    literacy; no clear difference on technical skill. Best of all strategies on firm retention (in 90%
    of replicates)."
    """
    cls = lambda r: verdict_class(r["metric"], r["low"], r["high"], r.get("margin"))  # noqa: E731
    by = {c: [r for r in rows if cls(r) == c] for c in ("good", "bad", "flat", "negligible")}
    by["flat"] += [r for r in rows if cls(r) == "none"]
    label = lambda r: escape(metric_label(r["metric"], lang))  # noqa: E731
    if not by["good"] and not by["bad"]:
        text = escape(t("s_none", lang))
    else:
        parts = []
        if by["good"]:
            same_unit = len({metric_kind(r["metric"]) for r in by["good"]}) == 1
            top = max(
                by["good"],
                key=lambda r: (
                    abs(r["diff"] * display_scale(r["metric"])) if same_unit else abs(r.get("effect_size", 0.0) or 0.0)
                ),
            )
            m, k = top["metric"], display_scale(top["metric"])
            dec = _dec(top["low"] * k, top["high"] * k)
            what = markup(
                "{} ({}{} [{}, {}])" if lang != "zh" else "{}（{}{} [{}, {}]）",
                label(top),
                _signed(top["diff"] * k, m, dec),
                _unit(m, lang),
                _num(top["low"] * k, m, dec, True),
                _num(top["high"] * k, m, dec, True),
            )
            parts.append(
                escape(tf("s_better_on", lang, k=len(by["good"]), n=len(rows))) + _say("s_most_on", lang, what=what)
            )
        if by["bad"]:
            worse = _say("s_worse_on", lang, what=_join_html([label(r) for r in by["bad"]], lang))
            if not parts:  # no improvement: the sentence starts with the losses
                worse = worse.lstrip("; ；")
                worse = worse[:1].upper() + worse[1:]
            parts.append(worse)
        if by["flat"]:
            parts.append(_say("s_unclear_on", lang, what=_join_html([label(r) for r in by["flat"]], lang)))
        if by["negligible"]:
            parts.append(_say("s_negligible_on", lang, what=_join_html([label(r) for r in by["negligible"]], lang)))
        text = Markup("").join(parts)
    tops = [(m, p) for m, p in best.items() if p > BEST_SHOWN]
    if tops:
        text += _say("s_best", lang, what=_join_html([escape(metric_label(m, lang)) for m, _ in tops], lang))
    return text + escape(t("s_end", lang))


def _glance_compare(comp: "Comparison", lang: str, title: Callable[[str], str]) -> dict[str, Any]:
    """The first screen of ``build`` (template ``_glance_compare.html``)."""
    tab = comp.table.set_index(["scenario", "metric"])
    metrics = [m for m in comp.headline if (comp.baseline, m) in tab.index]
    rank = replicate_ranks(comp.summary, comp.order, metrics)
    pbest = rank.set_index(["strategy", "metric"])["prob_first"] if not rank.empty else pd.Series(dtype=float)
    holm = "diff_holm_low" in comp.table.columns
    lo_col, hi_col = ("diff_holm_low", "diff_holm_high") if holm else ("diff_ci_low", "diff_ci_high")
    rows = []
    for scn in ranked_by(rank, comp.order, comp.baseline, comp.weights):
        cells, facts = [], []
        best = {m: float(pbest.get((scn, m), 0.0)) for m in metrics}
        for m in metrics:
            r = tab.loc[(scn, m)]
            k = display_scale(m)
            low, high = r[lo_col], r[hi_col]
            mg = comp.margin(m)
            facts.append(
                {
                    "metric": m,
                    "diff": r["diff"],
                    "low": low,
                    "high": high,
                    "effect_size": r["effect_size"],
                    "margin": mg,
                }
            )
            cells.append(
                _cell(
                    m,
                    low,
                    high,
                    mg,
                    d=_signed(r["diff"] * k, m, _dec(low * k, high * k)),
                    ci="" if low != low else "[{}, {}]".format(*with_interval(r["diff"] * k, low * k, high * k, m)[1:]),
                    word=t(VERDICT_KEYS[verdict_class(m, low, high, mg)], lang),
                    best=tf("best_in_reps", lang, p=percent(best[m])) if best[m] > 0 else "",
                )
            )
        rows.append({"title": title(scn), "words": compare_sentence(facts, best, lang), "cells": cells})
    return {
        "rule": f"{rank_rule(metrics, comp.weights, lang)} {margin_rule(metrics, comp.margin, lang)}",
        "heads": [(metric_label(m, lang), unit_label(m, lang)) for m in metrics],
        "baseline_title": title(comp.baseline),
        "baseline_levels": [_level(tab.loc[(comp.baseline, m)]["mean"], m, lang) for m in metrics],
        "rows": rows,
    }


def _page(lang: str) -> dict[str, Any]:
    """What every template of a report reads besides its data: the language and its messages."""
    return {"lang": lang, "t": lambda key, **kw: t(key, lang, **kw), "colon": _colon(lang)}


def build(
    comp: "Comparison",
    lang: str,
    figures: dict[str, Path],
    warnings: list[str],
    manifest: dict[str, Any],
    explain: "Path | str | Any | None" = None,
    uncertainty: "Path | None" = None,
) -> str:
    """The report of ``sesim compare`` (template ``compare.html``).  ``explain``: the folder of ``sesim explain``
    (or one of its tables, or its result) adds "What carries the effect?"; ``uncertainty``: the folder of
    ``sesim compare --uncertainty`` adds "How sure are we?"."""
    from .compare import changed_levers

    by = {s.name: s for s in comp.scenarios}
    base = by[comp.baseline]
    titles = {s.name: (s.title_en, s.title_zh) for s in comp.scenarios}
    title = title_fn(lang, titles)
    mutual = [m for m in MUTUAL if m in set(comp.table["metric"])]
    unc = None
    if uncertainty is not None:
        data = load_uncertainty(Path(uncertainty))
        unc = {
            "glance": _glance_uncertainty(data, lang, title_fn(lang, {**data.titles, **titles})),
            "hinges": _hinges_and_boxes(data, lang),
        }
    return render(
        "compare.html",
        **_page(lang),
        page_title=t("title", lang),
        baseline_title=title(comp.baseline),
        n_replicates=comp.n_replicates,
        seeds=f"{comp.root_seed}–{comp.root_seed + comp.n_replicates - 1}",
        glance=_glance_compare(comp, lang, title),
        figures=[
            (figures[key], t(key, lang)) for key in ("forest", "timeseries", "skills", "survival") if key in figures
        ],
        headline_rows=_result_rows(comp, comp.headline, lang, title),
        mutual_rows=_result_rows(comp, mutual, lang, title),
        scenarios=[
            {
                "name": s.name,
                "title": title(s.name),
                "description": s.description,
                "levers": changed_levers(s, base) if s.name != comp.baseline else [],
            }
            for s in comp.scenarios
        ],
        survival=_survival_rows(comp.survival, lang, title),
        uncertainty=unc,
        explains=[explain_view(ex, lang, title) for ex in explain_list(explain)],
        method=_method(comp, lang, manifest),
        warnings=list(dict.fromkeys(warnings)),
    )


def _result_rows(
    comp: "Comparison", metrics: list[str], lang: str, title: Callable[[str], str]
) -> list[dict[str, Any]]:
    """The rows of a verdict table (template ``_result_table.html``): per strategy and metric the levels, the
    verdict in words in a coloured cell, Holm's p-value."""
    tab = comp.table.set_index(["scenario", "metric"])
    holm = "diff_holm_low" in comp.table.columns
    lo_col, hi_col = ("diff_holm_low", "diff_holm_high") if holm else ("diff_ci_low", "diff_ci_high")
    rows = []
    for scn in comp.order:
        if scn == comp.baseline:
            continue
        present = [m for m in metrics if (scn, m) in tab.index]
        for i, m in enumerate(present):
            r, b = tab.loc[(scn, m)], tab.loc[(comp.baseline, m)]
            mg = comp.margin(m)
            p = "–" if pd.isna(r["p_holm"]) else (f"{r['p_holm']:.3g}" if r["p_holm"] >= 0.001 else "<0.001")
            rows.append(
                {
                    "first": i == 0,
                    "rowspan": len(present),
                    "title": title(scn),
                    "label": metric_label(m, lang),
                    "base_level": _level(b["mean"], m, lang),
                    "level": _level(r["mean"], m, lang),
                    "cell": _cell(m, r[lo_col], r[hi_col], mg),
                    "verdict": verdict(m, r["diff"], r[lo_col], r[hi_col], lang, mg),
                    "p": p,
                }
            )
    return rows


def _survival_rows(surv: pd.DataFrame, lang: str, title: Callable[[str], str]) -> list[dict[str, str]]:
    """The survival table's rows: per scenario and kind, counts, the median with its interval, 12 and 36 months."""
    rows = []
    for r in surv.itertuples():
        med = r.median_months
        if pd.isna(med):
            med_txt = t("not_reached", lang)
        else:
            lo = "–" if pd.isna(r.median_ci_low) else f"{r.median_ci_low:.0f}"
            hi = t("not_reached", lang) if pd.isna(r.median_ci_high) else f"{r.median_ci_high:.0f}"
            med_txt = f"{med:.0f} {t('months', lang)} [{lo}, {hi}]"
        rows.append(
            {
                "title": title(r.scenario),
                "kind": t(r.kind, lang),
                "n": f"{r.n:,}",
                "events": f"{r.events:,}",
                "median": med_txt,
                "s12": "–" if pd.isna(r.survival_12m) else percent(r.survival_12m),
                "s36": "–" if pd.isna(r.survival_36m) else percent(r.survival_36m),
            }
        )
    return rows


def _method(comp: "Comparison", lang: str, manifest: dict[str, Any]) -> list[str]:
    n_family = len(comp.order) - 1
    seeds = f"{comp.root_seed}–{comp.root_seed + comp.n_replicates - 1}"
    if comp.precision is None:
        prec = ""
    elif lang == "zh":
        prec = (
            f"精度目标：差值95%区间（未校正）半宽 ≤ {comp.precision:g}（按指标自身单位），"
            f"{'已达到' if comp.precision_reached else '未达到'}，用了 {comp.n_replicates} 次重复"
            f"（最大半宽 {comp.worst_half_width:.4g}）。"
        )
    else:
        prec = (
            f"Precision target: every unadjusted 95% interval on a headline difference with half-width ≤ "
            f"{comp.precision:g} in the metric's own unit — {'reached' if comp.precision_reached else 'not reached'} "
            f"after {comp.n_replicates} replicates (widest half-width {comp.worst_half_width:.4g})."
        )
    version = f"sesim {manifest.get('version')} (git {manifest.get('git_commit') or 'n/a'})"
    if lang == "zh":
        items = [
            f"每个情景运行 {comp.n_replicates} 次重复，种子 {seeds}；第 i 次重复在所有情景中使用同一种子（共同随机数），"
            "因此与基线的差值按重复配对。",
            "均值的95%区间：bootstrap（BCa，2000次重抽样）。",
            "差值：配对均值差，配对 t 检验的 p 值；效应量为 Cohen's d_z（差值均值 ÷ 差值标准差）。",
            f"多重比较：在每个指标内，对该指标上各策略与基线的 {n_family} 个比较做 Holm 逐步校正（α = 0.05），"
            "因此增减其他指标不会改变某一指标的结论。结论旁的区间是与 Holm 一致的区间："
            "第 i 小的 p 值在 Holm 程序中以 α/(m − i + 1) 检验，其配对 t 区间即取置信水平 1 − α/(m − i + 1)；"
            "程序停止后其余比较都取停止那一步的水平。因此区间不含0当且仅当校正后 p < 0.05，结论与区间不会矛盾。"
            "这些区间比未校正的95%区间宽；它们是逐项区间，不是联合（同时）区间（Bonferroni 的 1 − α/m 区间才是，且更宽）。"
            "comparison.csv 同时保存未校正的95%区间（diff_ci_low、diff_ci_high）、所用区间（diff_holm_low、diff_holm_high）"
            "及其置信水平（holm_level）。",
            "结论：区间完全落在 ± 最小有意义差值之内为“可忽略”（等价性检验：两个单侧检验，各取该区间单侧的水平，与差异检验同样严格）；"
            "否则区间不含0为“更好”或“更差”，包含0为“不明确”。最小有意义差值默认取 sim/metrics.py 的 MARGINS（比例与技能为1个百分点），"
            "可用 --margin 修改；comparison.csv 的 margin 与 verdict 列给出每个比较所用的值与结论。",
            "“一览”中的“最佳”：在每次重复中按指标对所有情景（含基线）排序，策略排第一的重复所占比例（并列第一均计入）；"
            "排序依据各主要指标平均名次的加权平均（默认权重相同，--weights 修改）。",
            "存续曲线：Kaplan–Meier（scipy.stats.ecdf，右删失），仅用预热期后开始的合作关系与首份工作，95%带为 log-log 逐点区间。",
            "单位：比例与技能的差值以百分点（×100）表示，水平以 % 或 0–100 分表示；净收益单位为千元/合作·年（学校：千元/校·年）。",
            prec,
            version,
        ]
    else:
        items = [
            f"{comp.n_replicates} replicates per scenario, seeds {seeds}; replicate i uses the same seed in every "
            "scenario (common random numbers), so differences against the baseline are paired by replicate.",
            "Means: 95% bootstrap interval (BCa, 2,000 resamples).",
            "Differences: paired mean difference and the p-value of a paired t-test; effect size is Cohen's d_z "
            "(mean difference ÷ standard deviation of the differences).",
            f"Multiple comparisons: Holm's step-down correction within each metric, over its {n_family} comparisons "
            "of a strategy with the baseline (α = 0.05), so adding or removing a metric never changes another "
            "metric's verdict. The "
            "interval beside each verdict is the Holm-consistent one: Holm tests the i-th smallest p-value at "
            "α/(m − i + 1), and its paired t-interval is taken at the confidence level 1 − α/(m − i + 1); once the "
            "procedure stops, every remaining comparison gets the level of the step where it stopped. So an interval "
            "excludes 0 exactly when the corrected p-value is below 0.05, and a verdict never disagrees with the "
            "interval beside it. These intervals are wider than unadjusted 95% intervals; they are per-comparison, "
            "not simultaneous intervals (Bonferroni's at 1 − α/m would be, and are wider still). comparison.csv keeps "
            "the unadjusted 95% interval (diff_ci_low, diff_ci_high) beside the one shown (diff_holm_low, "
            "diff_holm_high) and its level (holm_level).",
            "Verdicts: negligible when the interval lies wholly inside ± the smallest difference that matters (an "
            "equivalence test: two one-sided tests, each at the level of the interval's tail, as strict as the test "
            "of a difference); otherwise better or worse when it excludes 0, unclear when it includes 0. The margins "
            "default to sim/metrics.py's MARGINS (1 point for shares and skills) and --margin changes them; "
            "comparison.csv's margin and verdict columns give each comparison's.",
            "“best” at a glance: in each replicate the scenarios (the baseline included) are ranked on each metric; "
            "the share of replicates in which the strategy comes first (ties share first place). Strategies are "
            "ordered by the weighted mean of their mean ranks over the headline metrics (equal weights unless "
            "--weights sets them).",
            "Survival: Kaplan–Meier (scipy.stats.ecdf, right-censored) of partnerships and graduates' first jobs "
            "begun after warm-up; 95% pointwise log-log bands; leaving a first job means quitting or dismissal.",
            "Units: differences in shares and skills are in points (× 100), levels in % or as scores 0–100; net "
            "benefits in thousand yuan per partnership-year (the school's per school-year).",
            prec,
            version,
        ]
    return [i for i in items if i]


# ------------------------------------------------------------------------------ the uncertainty report
@dataclass
class UncertaintyData:
    """Everything ``sesim compare --uncertainty`` left in its folder that the report reads."""

    folder: Path
    meta: dict[str, Any]
    table: pd.DataFrame  # uncertainty.csv
    rank: pd.DataFrame  # rank.csv
    hinges: pd.DataFrame  # hinges.csv
    runs: pd.DataFrame  # summary.csv
    boxes: list[tuple[dict[str, Any], pd.DataFrame]] = field(default_factory=list)  # discover results
    titles: dict[str, tuple[str, str]] = field(default_factory=dict)
    _counts: dict | None = field(default=None, repr=False)

    @property
    def baseline(self) -> str:
        return self.meta["baseline"]

    @property
    def order(self) -> list[str]:
        return list(self.meta["scenarios"])

    @property
    def headline(self) -> list[str]:
        return [m for m in self.meta.get("headline", []) if m in set(self.table["metric"])]

    @property
    def n_draws(self) -> int:
        return int(self.runs["draw"].nunique()) if len(self.runs) else 0

    @property
    def weights(self) -> dict[str, float]:
        """The ranking's weights (``--weights``), from the folder's marker; 1 each when not set."""
        return {k: float(v) for k, v in (self.meta.get("weights") or {}).items()}

    def counts(self) -> dict[tuple[str, str], tuple[int, int, int]]:
        """Per (strategy, metric of uncertainty.csv): draws, draws better than the baseline, draws worse
        (computed once)."""
        if self._counts is None:
            from .uncertainty import paired

            self._counts = (
                {}
                if self.table.empty or self.runs.empty
                else {
                    (s, m): world_counts(m, paired(self.runs, s, self.baseline, m).to_numpy(float))
                    for s, m in self.table[["strategy", "metric"]].itertuples(index=False)
                    if m in self.runs
                }
            )
        return self._counts

    def diffs(self) -> pd.DataFrame:
        """Per strategy, headline metric and draw: the paired difference against the baseline."""
        from .uncertainty import paired

        out = []
        for s in self.order:
            if s == self.baseline:
                continue
            for m in self.headline:
                d = paired(self.runs, s, self.baseline, m)
                out.append(pd.DataFrame({"strategy": s, "metric": m, "draw": d.index, "diff": d.to_numpy(float)}))
        return (
            pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=["strategy", "metric", "draw", "diff"])
        )


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path)
    except (FileNotFoundError, pd.errors.EmptyDataError):
        return pd.DataFrame()


def load_uncertainty(folder: Path) -> UncertaintyData:
    """The tables of an uncertainty folder, and the results of ``sesim discover`` inside it."""
    from .uncertainty import MARKER

    folder = Path(folder)
    meta = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    boxes = []
    for man in sorted(folder.glob("discover-*/manifest.json")):
        try:
            m = json.loads(man.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if m.get("strategy") and m.get("metric") and m.get("threshold") is None:
            boxes.append((m, _read_csv(man.parent / "boxes.csv")))
    titles = {k: tuple(v) for k, v in (meta.get("titles") or {}).items()}
    titles = {**builtin_titles([n for n in meta["scenarios"] if n not in titles]), **titles}
    return UncertaintyData(
        folder,
        meta,
        _read_csv(folder / "uncertainty.csv"),
        _read_csv(folder / "rank.csv"),
        _read_csv(folder / "hinges.csv"),
        _read_csv(folder / "summary.csv"),
        boxes,
        titles,
    )


def _param(key: str, lang: str) -> Markup:
    """A parameter in words with its key in code; the key alone where there are no words in ``lang``."""
    words = param_label(key, lang)
    if not words:
        return code(key)
    return markup("{}（{}）" if lang == "zh" else "{} ({})", words, code(key))


def _box_condition(box: pd.DataFrame, lang: str) -> Markup:
    """The first ``BOX_CONDITIONS`` limits of a PRIM box in words (the rest are counted)."""
    conds = []
    for r in box.head(BOX_CONDITIONS).itertuples(index=False):
        if r.kind == "range":
            conds.append(_say("u_between", lang, what=_param(r.lever, lang), lo=f"{r.low:.3g}", hi=f"{r.high:.3g}"))
        else:
            conds.append(
                _say(
                    "u_in_set", lang, what=_param(r.lever, lang), values=str(r.values).replace("|", t("list_sep", lang))
                )
            )
    more = len(box) - BOX_CONDITIONS
    return escape(t("u_and", lang)).join(conds) + (_say("u_more_conds", lang, k=more) if more > 0 else "")


def uncertainty_sentence(strategy: str, data: UncertaintyData, lang: str) -> Markup:
    """One strategy in plain words (HTML): its leading headline outcome (the one it most often improves;
    the larger median breaks ties) with the median difference, the 5–95% range, the probability of
    improvement and the parameter its size depends on most; how it fares on the other headline
    outcomes; where it fails, if ``sesim discover`` looked."""
    tab = data.table[(data.table["strategy"] == strategy) & data.table["metric"].isin(data.headline)]
    if tab.empty:
        return Markup("")
    rows = tab.set_index("metric").reindex([m for m in data.headline if m in set(tab["metric"])])
    same_unit = len({metric_kind(m) for m in rows.index}) == 1
    lead = max(
        rows.index,
        key=lambda m: (
            round(float(rows.loc[m, "prob_improvement"]), 9),
            abs(rows.loc[m, "median_diff"] * display_scale(m)) if same_unit else 0.0,
            -list(rows.index).index(m),
        ),
    )
    r = rows.loc[lead]
    k = display_scale(lead)
    med = float(r["median_diff"])
    verb = t("raises", lang) if med > 0 else t("lowers", lang) if med < 0 else t("u_changes", lang)
    end = escape(t("s_end", lang))
    text = _say(
        "u_lead",
        lang,
        verb=verb if lang == "zh" else verb.capitalize(),
        label=metric_label(lead, lang),
        x=_num(abs(med) * k, lead, _dec(r["q05"] * k, r["q95"] * k)),
        unit=_unit(lead, lang),
        n=int(r["n_draws"]),
        a=_signed(r["q05"] * k, lead, _dec(r["q05"] * k, r["q95"] * k)),
        b=_signed(r["q95"] * k, lead, _dec(r["q05"] * k, r["q95"] * k)),
    )
    text += _say("u_better_in", lang, p=percent(float(r["prob_improvement"])))
    h = data.hinges
    if not h.empty:
        h = h[(h["strategy"] == strategy) & (h["metric"] == lead)]
    if len(h) and not np.isfinite(h["delta"].to_numpy(float)).any():
        text += escape(t("u_hinge_nan", lang))
    else:
        h = h[_above_noise(h)].sort_values("rank") if len(h) else h
        text += (
            _say("u_depends", lang, what=_param(h.iloc[0]["parameter"], lang))
            if len(h)
            else escape(t("u_no_hinge", lang))
        )
    text += end
    groups: dict[str, list[str]] = {c: [] for c in ("good", "bad", "flat", "few")}
    counts = data.counts()
    for m in rows.index:
        if m != lead:
            c = world_class(*counts.get((strategy, m), (0, 0, 0)))
            groups[c].append(metric_label(m, lang))
    others = [_say(f"u_cls_{c}", lang, what=_join(v, lang), k=draws_needed()) for c, v in groups.items() if v]
    if others:
        text += escape(t("u_others", lang)) + escape(t("u_sep", lang)).join(others) + end
    for man, box in data.boxes:
        if man.get("strategy") != strategy or box.empty:
            continue
        first = box[box["box"] == box["box"].min()]
        b = first.iloc[0]
        if first["lever"].isna().all():
            continue
        text += _say(
            "u_fails",
            lang,
            label=metric_label(man["metric"], lang),
            cond=_box_condition(first.dropna(subset=["lever"]), lang),
            cov=percent(float(b["coverage"])),
            dens=percent(float(b["density"])),
        )
    return text


def _glance_uncertainty(data: UncertaintyData, lang: str, title: Callable[[str], str]) -> dict[str, Any]:
    """The first screen of ``build_uncertainty`` (template ``_glance_uncertainty.html``)."""
    metrics = data.headline
    tab = data.table.set_index(["strategy", "metric"])
    rank = data.rank
    several = len(data.order) > 2  # with one strategy "best" is "better than the baseline" again
    pbest = (
        rank.set_index(["strategy", "metric"])["prob_first"] if not rank.empty and several else pd.Series(dtype=float)
    )
    counts = data.counts()
    base_runs = data.runs[data.runs["scenario"] == data.baseline] if len(data.runs) else data.runs
    level = {m: float(base_runs[m].median()) if m in base_runs else float("nan") for m in metrics}
    rows = []
    for scn in ranked_by(
        rank[rank["metric"].isin(metrics)] if not rank.empty else rank, data.order, data.baseline, data.weights
    ):
        cells: list[dict[str, Any] | None] = []
        for m in metrics:
            if (scn, m) not in tab.index:
                cells.append(None)
                continue
            r = tab.loc[(scn, m)]
            k = display_scale(m)
            pb = float(pbest.get((scn, m), 0.0))
            n, up, down = counts.get((scn, m), (0, 0, 0))
            cell = _world_cell(
                m,
                r["q05"],
                r["q95"],
                (n, up, down),
                d=_signed(r["median_diff"] * k, m, _dec(r["q05"] * k, r["q95"] * k)),
                ci=f"[{_num(r['q05'] * k, m, _dec(r['q05'] * k, r['q95'] * k), True)}, "
                f"{_num(r['q95'] * k, m, _dec(r['q05'] * k, r['q95'] * k), True)}]",
                better_in=tf("better_in", lang, p=percent(float(r["prob_improvement"]))),
                best=tf("best_in", lang, p=percent(pb)) if pb > 0 else "",
            )
            cell["few"] = tf("few_draws", lang, k=draws_needed()) if cell["cls"] == "few" else ""
            cells.append(cell)
        rows.append({"title": title(scn), "words": uncertainty_sentence(scn, data, lang), "cells": cells})
    return {
        "rule": rank_rule(metrics, data.weights, lang),
        "heads": [(metric_label(m, lang), unit_label(m, lang)) for m in metrics],
        "baseline_title": title(data.baseline),
        "baseline_levels": [_level(level[m], m, lang) for m in metrics],
        "rows": rows,
    }


def _world_cell(metric: str, low: float, high: float, counts: tuple[int, int, int], **inner: Any) -> dict[str, Any]:
    """An uncertainty cell for the ``cell`` macro: coloured by the counts of draws on either side
    (:func:`world_class`), which it carries for anyone checking the colour, beside the 5–95% range it prints."""
    n, up, down = counts
    return {
        "cls": world_class(n, up, down),
        **_data(metric, low, high),
        "draws": n,
        "better_draws": up,
        "worse_draws": down,
        **inner,
    }


def _above_noise(h: pd.DataFrame) -> pd.Series:
    """The rows of ``hinges.csv`` above the noise benchmark (``above_null`` in folders written
    before the permutation benchmark)."""
    return h["above_noise" if "above_noise" in h else "above_null"].astype(bool)


def _anchor(key: str, lang: str) -> str:
    """Whether data anchor a parameter: its ``kind`` in the schema (calibrated to the targets, from
    the literature, an assumption, or a lever's status quo known as a range)."""
    import dataclasses as dc

    from sim.params import SECTIONS

    section, _, name = key.partition(".")
    cls = SECTIONS.get(section)
    fields = {f.name: f for f in dc.fields(cls)} if cls else {}
    kind = fields[name].metadata.get("kind", "") if name in fields else ""
    return t(f"anchor_{kind}", lang) if f"anchor_{kind}" in TEXT else "–"


def _hinges_and_boxes(data: UncertaintyData, lang: str) -> dict[str, Any]:
    """The hinges table and the PRIM boxes (template ``_hinges_boxes.html``)."""
    title = title_fn(lang, data.titles)
    rows: list[dict[str, Any]] = []
    hg = data.hinges
    for s in data.order:
        if s == data.baseline or hg.empty:
            continue
        quiet, nan = [], []
        for m in data.headline:
            sel = hg[(hg["strategy"] == s) & (hg["metric"] == m)]
            if sel.empty:
                continue
            if not np.isfinite(sel["delta"].to_numpy(float)).any():
                nan.append(metric_label(m, lang))
                continue
            above = sel[_above_noise(sel)].sort_values("rank")
            if above.empty:
                quiet.append(metric_label(m, lang))
                continue
            bench = next(c for c in ("noise_q95", "null_max", "null_q95") if c in sel)
            chance = f"{float(sel[bench].iloc[0]):.2f}"
            for j, r in enumerate(above.itertuples()):
                rows.append(
                    {
                        "title": title(s),
                        "label": metric_label(m, lang) if j == 0 else "",
                        "parameter": _param(r.parameter, lang),
                        "delta": f"{r.delta:.2f} [{r.delta_low:.2f}, {r.delta_high:.2f}]",
                        "chance": chance,
                        "anchor": _anchor(r.parameter, lang),
                    }
                )
        for what, key in ((quiet, "no_hinges"), (nan, "hinge_nan")):
            if what:
                rows.append({"title": title(s), "labels": _join(what, lang), "note": t(key, lang)})
    boxes = []
    for man, box in data.boxes:
        head = tf(
            "fails_of",
            lang,
            strategy=title(man["strategy"]),
            metric=metric_label(man["metric"], lang),
            k=man.get("points_of_interest", "?"),
            n=man.get("points", "?"),
        )
        boxes.append(
            {
                "head": head,
                "rows": [
                    {
                        "box": int(r.box),
                        "lever": _param(r.lever, lang) if isinstance(r.lever, str) else "–",
                        "range": f"{r.low:.3g} – {r.high:.3g}"
                        if r.kind == "range"
                        else str(r.values).replace("|", ", "),
                        "coverage": percent(r.coverage),
                        "density": percent(r.density),
                    }
                    for r in box.itertuples(index=False)
                ],
            }
        )
    return {"rows": rows, "boxes": boxes}


def build_uncertainty(
    data: UncertaintyData,
    lang: str,
    figures: dict[str, Path],
    warnings: list[str],
    explain: "Path | str | Any | None" = None,
) -> str:
    """The report of ``sesim compare --uncertainty`` (``report.html`` in its folder; template ``uncertainty.html``)."""
    title = title_fn(lang, data.titles)
    mode = data.meta.get("mode", "")
    return render(
        "uncertainty.html",
        **_page(lang),
        page_title=t("unc_title", lang),
        baseline_title=title(data.baseline),
        meta_line=tf(
            "unc_meta", lang, n=data.n_draws, what=t(f"mode_{mode}", lang) if f"mode_{mode}" in TEXT else mode
        ),
        glance=_glance_uncertainty(data, lang, title),
        figures=[
            (figures[key], t("unc_figure" if key == "uncertainty" else "pbest_figure", lang))
            for key in ("uncertainty", "prob_best")
            if key in figures
        ],
        hinges=_hinges_and_boxes(data, lang),
        fit=_fit_section(data, lang),
        explains=[explain_view(ex, lang, title) for ex in explain_list(explain)],
        table=_uncertainty_rows(data, lang, title),
        method=_method_uncertainty(data, lang),
        warnings=list(dict.fromkeys(warnings)),
    )


FIT_RULED_OUT = 0.8  # a parameter whose draws kept cover less of its range's bins than this is listed as narrowed
FIT_LISTED = 10  # parameters listed in the coverage table at most


def _fit_section(data: UncertaintyData, lang: str) -> dict[str, Any] | None:
    """Do the worlds fit the data?  The share of draws whose baseline lies inside every target
    interval, per target, and how much of each parameter's plausible range the draws kept cover
    (template ``_fit.html``; None when the folder holds no fit)."""
    fit, cov, f = (
        _read_csv(data.folder / "draw_fit.csv"),
        _read_csv(data.folder / "range_coverage.csv"),
        data.meta.get("fit") or {},
    )
    if fit.empty or not f:
        return None
    key = ("fit_abc" if f.get("criterion") == "abc" else "fit_reject") if f.get("rejecting") else "fit_no_reject"
    summary = tf(
        key,
        lang,
        k=f["inside_weighted"],
        c=f["candidates"],
        share=percent(f["share_inside_weighted"]),
        r=f.get("rejected", 0),
        n=f["kept"],
        all=percent(f["share_inside_all"]),
        kept_all=percent(f["kept_inside_all"]),
        ro=f.get("report_only_targets", 0),
        within=f.get("within_epsilon", 0),
        eps=f"{f.get('epsilon') or 0:.3g}",
        kept_w=percent(f.get("kept_inside_weighted", 0.0)),
    )
    if f.get("noise_inside") is not None:
        summary += (" " if lang != "zh" else "") + tf(
            "fit_noise", lang, share=percent(f["noise_inside"]), k=f.get("fit_replicates", 1)
        )
    kept = set(data.runs["draw"].tolist()) if len(data.runs) else set()
    targets = []
    for name, g in fit.groupby("target", sort=False):
        r = g.iloc[0]
        k = g[g["draw"].isin(kept)]
        targets.append(
            {
                "name": str(name),
                "report_only": bool(r["report_only"]),
                "interval": f"[{r['low']:.3g}, {r['high']:.3g}]",
                "inside_all": percent(float(g["inside"].mean())),
                "inside_kept": percent(float(k["inside"].mean())) if len(k) else "–",
            }
        )
    coverage, narrow_rows = None, []
    if not cov.empty and f.get("rejecting"):
        out = cov["bins_accepted"] < FIT_RULED_OUT * cov["bins_candidates"]
        coverage = tf("fit_coverage", lang, k=int(out.sum()), p=len(cov), bins=10)
        narrow_rows = [
            {
                "parameter": _param(r.parameter, lang),
                "range": f"{r.low:.3g} – {r.high:.3g}",
                "kept": f"{r.accepted_min:.3g} – {r.accepted_max:.3g}",
                "bins": percent(r.bins_accepted),
            }
            for r in cov[out].head(FIT_LISTED).itertuples()
        ]
    return {"summary": summary, "targets": targets, "coverage": coverage, "narrow": narrow_rows}


def _uncertainty_rows(data: UncertaintyData, lang: str, title: Callable[[str], str]) -> list[dict[str, Any]]:
    """Every strategy × metric of uncertainty.csv: median [5%, 95%] with unit, share of worlds better."""
    tab = data.table
    counts = data.counts()
    rows = []
    for s in data.order:
        sel = tab[tab["strategy"] == s]
        for i, r in enumerate(sel.itertuples()):
            m, k = r.metric, display_scale(r.metric)
            dec = _dec(r.q05 * k, r.q95 * k)
            text = (
                f"{_signed(r.median_diff * k, m, dec)} [{_num(r.q05 * k, m, dec, True)}, {_num(r.q95 * k, m, dec, True)}]"
                f"{_unit(m, lang)}"
            )
            rows.append(
                {
                    "first": i == 0,
                    "title": title(s) if i == 0 else "",
                    "label": metric_label(m, lang),
                    "cell": _world_cell(m, r.q05, r.q95, counts.get((s, m), (0, 0, 0)), text=text),
                    "p": percent(r.prob_improvement),
                }
            )
    return rows


def _method_uncertainty(data: UncertaintyData, lang: str) -> list[str]:
    meta = data.meta
    n_par = len(meta.get("parameters", []))
    root = meta.get("root_seed", 0)
    n = data.n_draws
    version = f"sesim {meta.get('version')}"
    if lang == "zh":
        items = [
            f"{n} 组参数抽样（模式 {meta.get('mode')}，共 {n_par} 个参数）；第 i 次重复在所有策略中使用第 i 组参数与种子 {root} + i，"
            "因此与基线的差值按参数与随机数同时配对。抽样值保存在 draws.parquet 中，任一次重复都可用 sesim run --seed S --set ... 单独重跑。",
            "每格：各情形差值的中位数及5%与95%分位数；“更好”为差值朝有利方向（离职率为降低）的情形比例。"
            "颜色由抽样计数决定：优于基线的情形比例的单侧95%置信下限（Clopper–Pearson）达到95%为绿色，不如基线的比例达到95%为红色，"
            f"否则为灰色；抽样少于 {draws_needed()} 组时无论结果如何都达不到，单元格会注明。",
            "“最佳”：在每组抽样中按指标对所有策略（含基线）排序，排第一的抽样比例（并列第一均计入）；排序依据各主要指标的平均名次。",
            "关键参数：PAWN 矩独立指标（SALib pawn 的定义，对领先参数做100次 bootstrap，95%区间）；噪声基准为把差值与抽样随机打乱 "
            "400 次时、所有参数中最大指标的95%分位数（最大值的置换零分布）；只有指标高于该基准的参数才视为关键参数，"
            "因此在没有参数起作用时，每格误报的概率至多为5%。",
            "符合数据的情形：每组抽样的基线与 scenarios/targets/china_gaozhi.toml 的目标比较（draw_fit.csv；权重为0的目标仅报告）；"
            "posterior 与 all 模式剔除基线落在任一加权目标区间之外的抽样，并按同一随机数序列依次补充候选抽样，直到数量足够或达到上限；"
            "range_coverage.csv 列出保留的抽样覆盖各参数合理范围的比例；对从已存后验抽取的参数，这一比例既反映数据排除的范围，"
            "也反映后验马尔可夫链从校准基线出发走了多远（docs/calibration.md，What it reached）。",
            "无效情形的范围：PRIM（sesim discover），在策略不如基线的抽样上寻找参数范围。",
            "这些区间反映参数的不确定性与随机噪声，不包含模型结构本身的不确定性。",
            version,
        ]
    else:
        items = [
            f"{n} parameter draws (mode {meta.get('mode')}, {n_par} parameters); replicate i uses draw i and seed "
            f"{root} + i in every strategy, so each difference against the baseline is paired over both the "
            "parameters and the random numbers. The draws are in draws.parquet: any replicate can be re-run alone "
            "with sesim run --seed S --set ....",
            "Each cell: the median difference over the worlds with its 5% and 95% quantiles; “better” is the share "
            "of worlds in which the difference goes the good way (for turnover: down). The colour follows the counts "
            "of draws: green when the one-sided 95% lower confidence bound (Clopper–Pearson) on the share of worlds "
            f"in which the strategy is better reaches 95%, red when that of worse does, grey otherwise; fewer than "
            f"{draws_needed()} draws can never reach it, and the cell says so (docs/odd.md §7.7).",
            "“best”: in each draw the strategies (the baseline included) are ranked on each metric; the share of "
            "draws in which the strategy comes first (ties share first place). Strategies are ordered by their mean "
            "rank over the headline metrics.",
            "Hinges: PAWN's moment-independent index (SALib pawn's definition; for the leading parameters a 95% interval "
            "from 100 bootstrap resamples of the draws). The noise benchmark is the 95% quantile of the largest index "
            "over all parameters in 400 shuffles of the differences against the draws (a permutation null of the "
            "maximum); a parameter counts as a hinge when its index is above it, so a cell in which no parameter "
            "matters shows a hinge in at most 5% of analyses.",
            "Worlds that fit the data: each draw's baseline is compared with the targets of "
            "scenarios/targets/china_gaozhi.toml (draw_fit.csv; targets of weight 0 are report-only). Modes posterior "
            "and all reject a draw whose baseline misses any weighted target interval and replace it by the next "
            "candidate of the same seed sequence, up to a cap; range_coverage.csv says how much of each parameter's "
            "plausible range the draws kept cover. For a parameter drawn from the stored posterior that share is how "
            "far its chains reached from the calibrated baseline as much as what the data rule out "
            "(docs/calibration.md, What it reached).",
            "Where it would not work: PRIM (sesim discover) on the draws in which the strategy does not beat the baseline.",
            "These ranges reflect uncertainty in the parameters and random noise, not in the model's structure.",
            version,
        ]
    return [i for i in items if i]


# ------------------------------------------------------------------------------ what carries the effect
PARTS_FILE, PATHS_FILE = "parts.csv", "paths.csv"
PART_COLUMNS = ("strategy", "baseline", "metric", "kind", "part", "value", "ci_low", "ci_high", "share", "diff", "n")
PATH_COLUMNS = ("strategy", "baseline", "mechanism", "metric", "diff_full", "share", "ci_low", "ci_high", "n")
EXPLAIN_CARRIES = 0.1  # a family through which less than this share of a difference goes is not named


@dataclass
class ExplainTables:
    """The two tables of ``sesim explain`` and its figure, if any."""

    parts: pd.DataFrame
    paths: pd.DataFrame
    png: Path | None = None


def explain_list(explain: Any) -> list[Any]:
    """``explain`` as a list of explain results (None: none; a list or tuple: each)."""
    if explain is None:
        return []
    return list(explain) if isinstance(explain, (list, tuple)) else [explain]


def find_explain(folder: "Path | str") -> list[Path]:
    """Folders holding a ``sesim explain`` result: ``folder`` itself and its direct subfolders."""
    folder = Path(folder)
    cands = (
        [folder, *sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))]
        if folder.is_dir()
        else []
    )
    return [c for c in cands if (c / PARTS_FILE).is_file() and (c / PATHS_FILE).is_file()]


def load_explain(explain: "Path | str | ExplainTables | Any") -> ExplainTables:
    """The tables of ``sesim explain``: its folder (or either of its CSV files), an
    :class:`ExplainTables`, or an :class:`analysis.explain.Explanation`."""
    from sim.scenario import ScenarioError

    if isinstance(explain, ExplainTables):
        tabs = explain
    elif hasattr(explain, "parts_table") and hasattr(explain, "paths_table"):
        tabs = ExplainTables(explain.parts_table, explain.paths_table)
    else:
        path = Path(explain)
        folder = path if path.is_dir() else path.parent
        if not (folder / PARTS_FILE).is_file() or not (folder / PATHS_FILE).is_file():
            old = (
                " (an explain.csv of an earlier sesim: run sesim explain again)"
                if (folder / "explain.csv").is_file()
                else ""
            )
            raise ScenarioError(f"{path}: no {PARTS_FILE} and {PATHS_FILE} of sesim explain there{old}")
        try:
            tabs = ExplainTables(pd.read_csv(folder / PARTS_FILE), pd.read_csv(folder / PATHS_FILE))
        except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
            raise ScenarioError(f"{folder}: cannot read the explain tables ({e})") from None
        png = folder / "explain.png"
        tabs.png = png if png.is_file() else None
    for name, tab, cols in ((PARTS_FILE, tabs.parts, PART_COLUMNS), (PATHS_FILE, tabs.paths, PATH_COLUMNS)):
        missing = [c for c in cols if c not in tab.columns]
        if missing:
            raise ScenarioError(
                f"explain table {name}: missing columns {', '.join(missing)} (expected the {name} of sesim explain)"
            )
    return tabs


def _value_ci(value: float, low: float, high: float, metric: str, lang: str) -> str:
    k = display_scale(metric)
    if not np.isfinite(value):
        return "–"
    dec = _dec(low * k, high * k) if np.isfinite(low) else None
    ci = f" [{_num(low * k, metric, dec, True)}, {_num(high * k, metric, dec, True)}]" if np.isfinite(low) else ""
    return f"{_signed(value * k, metric, dec)}{ci}{_unit(metric, lang)}"


def parts_sentence(rows: pd.DataFrame, metric: str, lang: str) -> Markup:
    """ "Firm retention: of the +42 points difference, +35 [31, 39] points come from goal_alignment, ..."
    (the parts' Shapley values, largest first; HTML)."""
    label = metric_label(metric, lang)
    sh = rows[rows["kind"] == "shapley"]
    if sh.empty or not np.isfinite(float(sh["diff"].iloc[0])):
        return _say("explain_none", lang, label=label)
    sh = sh.reindex(sh["value"].abs().sort_values(ascending=False, kind="stable").index)
    diff = float(sh["diff"].iloc[0])
    k = display_scale(metric)
    items = [
        _say("parts_one", lang, value=_value_ci(r.value, r.ci_low, r.ci_high, metric, lang), part=code(str(r.part)))
        for r in sh.itertuples()
    ]
    return _say(
        "parts_sentence",
        lang,
        label=label,
        diff=f"{_signed(diff * k, metric)}{_unit(metric, lang)}",
        parts=_join_html(items, lang),
    )


def paths_sentence(rows: pd.DataFrame, metric: str, lang: str) -> Markup:
    """The family most of one difference goes through: "Firm retention: 82% [78, 84] of the difference
    goes through M1 communication" (HTML)."""
    label = metric_label(metric, lang)
    ok = rows[np.isfinite(rows["share"].to_numpy(float))]
    if ok.empty:
        return _say("explain_none", lang, label=label)
    r = ok.loc[ok["share"].idxmax()]
    if float(r["share"]) < EXPLAIN_CARRIES:
        return _say("paths_none", lang, label=label, pct=_share(float(r["share"])))
    return _say(
        "paths_sentence",
        lang,
        label=label,
        pct=_share(float(r["share"])),
        lo=_share(r["ci_low"], False),
        hi=_share(r["ci_high"], False),
        mech=mechanism_label(str(r["mechanism"]), lang),
    )


def _share(x: float, sign: bool = True) -> str:
    """A share of a difference in per cent (no "-0"); it may lie outside 0..100% (families working
    against the difference)."""
    out = f"{100 * x:.0f}"
    out = "0" if out == "-0" else out
    return out + "%" if sign else out


def explain_view(
    explain: "Path | str | ExplainTables | Any", lang: str, title: Callable[[str], str] | None = None
) -> dict[str, Any]:
    """'What carries the effect?' for the template ``_explain.html``: per strategy, the two questions and
    their tables — by part of the strategy (Shapley values) and by path (share through each family)."""
    tabs = load_explain(explain)
    title = title or (lambda s: s)
    groups = []
    for (strategy, baseline), g in tabs.parts.groupby(["strategy", "baseline"], sort=False):
        metrics = list(dict.fromkeys(g["metric"]))
        paths = tabs.paths[(tabs.paths["strategy"] == strategy) & (tabs.paths["baseline"] == baseline)]
        sh = g[g["kind"].isin(("shapley", "interaction"))]
        full = g.drop_duplicates("metric").set_index("metric")["diff"]
        by = sh.set_index(["part", "metric"])
        parts = [
            (
                str(part),
                [
                    _value_ci(*by.loc[(part, m), ["value", "ci_low", "ci_high"]], m, lang)
                    if (part, m) in by.index
                    else None
                    for m in metrics
                ],
            )
            for part in dict.fromkeys(sh["part"])
        ]
        pb = paths.set_index(["mechanism", "metric"])
        path_rows = []
        for mech in dict.fromkeys(paths["mechanism"]):
            cells: list[str | None] = []
            for m in metrics:
                if (mech, m) not in pb.index:
                    cells.append(None)
                    continue
                r = pb.loc[(mech, m)]
                s_ = float(r["share"])
                cells.append(
                    "–"
                    if not np.isfinite(s_)
                    else f"{_share(s_)} [{_share(r['ci_low'], False)}, {_share(r['ci_high'], False)}]"
                )
            path_rows.append((mechanism_label(str(mech), lang), cells))
        groups.append(
            {
                "title": title(strategy),
                "baseline_title": title(baseline),
                "labels": [metric_label(m, lang) for m in metrics],
                "parts_sentences": [parts_sentence(g[g["metric"] == m], m, lang) for m in metrics],
                "full": [f"{_signed(full[m] * display_scale(m), m)}{_unit(m, lang)}" for m in metrics],
                "parts": parts,
                "paths": path_rows,
                "paths_sentences": [paths_sentence(paths[paths["metric"] == m], m, lang) for m in metrics],
            }
        )
    return {"groups": groups, "png": tabs.png}


def explain_section(
    explain: "Path | str | ExplainTables | Any", lang: str, title: Callable[[str], str] | None = None
) -> str:
    """'What carries the effect?' as a part of a page (the section the reports include)."""
    return render("_explain.html", **_page(lang), ex=explain_view(explain, lang, title))
