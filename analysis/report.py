"""``report.html``: one self-contained page a workshop can open offline (比较报告).

The question, the scenarios and what each changes, the headline table with plain-language
verdicts, mutual benefit, the figures (embedded as data URIs), survival, and the method.
"""
from __future__ import annotations

import base64
import html
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .labels import display_scale, metric_kind, metric_label, t, unit_label

if TYPE_CHECKING:
    from .compare import Comparison

ALPHA = 0.05
MUTUAL = ("firm_net_benefit", "school_net_benefit", "firm_willingness", "firm_loss_share")


def _num(v: float, metric: str) -> str:
    """A value in display units, with as many decimals as its size needs."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    kind = metric_kind(metric)
    if kind.startswith("money"):
        out = f"{v:,.0f}"
    elif kind == "count":
        out = f"{v:.2f}"
    else:
        out = f"{v:.0f}" if abs(v) >= 10 else f"{v:.1f}"
    return out[1:] if out.startswith("-") and float(out[1:].replace(",", "")) == 0 else out


def verdict(metric: str, diff: float, low: float, high: float, p_holm: float, lang: str,
            alpha: float = ALPHA) -> str:
    """Plain-language reading of one difference: "raises firm retention by 18 points [12, 24]"."""
    k = display_scale(metric)
    d, lo, hi = diff * k, low * k, high * k
    unit = unit_label(metric, lang)
    name = metric_label(metric, lang)
    if any(isinstance(v, float) and math.isnan(v) for v in (d, lo, hi)):
        return f"{name}: –"
    significant = p_holm is not None and not math.isnan(p_holm) and p_holm < alpha and d != 0
    if significant:
        up = d > 0
        a, b = (lo, hi) if up else (-hi, -lo)
        if lang == "zh":
            return f"{name}{t('raises' if up else 'lowers', lang)} {_num(abs(d), metric)} {unit} [{_num(a, metric)}, {_num(b, metric)}]"
        unit_txt = f" {unit}" if unit else ""
        return (f"{t('raises' if up else 'lowers', lang)} {name} by {_num(abs(d), metric)}{unit_txt} "
                f"[{_num(a, metric)}, {_num(b, metric)}]")
    sign = "+" if d > 0 else ""
    if lang == "zh":
        return f"{name}{t('no_clear', lang).rstrip('：')}（{sign}{_num(d, metric)} {unit} [{_num(lo, metric)}, {_num(hi, metric)}]）"
    unit_txt = f" {unit}" if unit else ""
    return f"{t('no_clear', lang)} {name} ({sign}{_num(d, metric)}{unit_txt} [{_num(lo, metric)}, {_num(hi, metric)}])"


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}"></figure>'


def _esc(x: Any) -> str:
    return html.escape(str(x))


CSS = """
body{font-family:-apple-system,'Segoe UI','Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei',sans-serif;
max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em} h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em} th,td{border:1px solid #ddd;padding:.3em .6em;vertical-align:top}
th{background:#f4f6f8;text-align:left} td.num{text-align:right;font-variant-numeric:tabular-nums}
.good{color:#0a6b2d;font-weight:600} .bad{color:#a11a1a;font-weight:600} .flat{color:#666}
figure{margin:1em 0} img{max-width:100%;height:auto;border:1px solid #eee}
.question{font-size:1.15em;background:#f4f8fc;padding:.6em 1em;border-left:4px solid #2c6fbb}
td.scn{font-weight:600;background:#fafbfc} tr.first td{border-top:2px solid #bbb}
.warn{background:#fff7e0;border-left:4px solid #e0a800;padding:.4em 1em} code{font-size:.9em}
"""


def _class(metric: str, diff: float, p_holm: float) -> str:
    from .labels import METRIC_INFO
    if p_holm is None or math.isnan(p_holm) or p_holm >= ALPHA or diff == 0:
        return "flat"
    better = METRIC_INFO.get(metric, ("", "", "", True))[3]
    return "good" if (diff > 0) == better else "bad"


def build(comp: "Comparison", lang: str, figures: dict[str, Path], warnings: list[str],
          manifest: dict[str, Any]) -> str:
    from .compare import changed_levers
    tab = comp.table
    by = {s.name: s for s in comp.scenarios}
    base = by[comp.baseline]
    title = lambda s: f"{s.title_zh} / {s.title_en}" if lang == "zh" else f"{s.title_en} ({s.title_zh})"  # noqa: E731
    parts = [f"<!DOCTYPE html><html lang=\"{'zh-CN' if lang == 'zh' else 'en'}\"><head><meta charset=\"utf-8\">",
             f"<title>sesim — {_esc(t('title', lang))}</title><style>{CSS}</style></head><body>",
             f"<h1>{_esc(t('title', lang))}</h1>",
             f"<p class=\"question\">{_esc(t('question', lang))}</p>",
             f"<p>{_esc(t('baseline_word', lang))}: <b>{_esc(title(base))}</b> · {comp.n_replicates} "
             f"{_esc(t('n_reps', lang))}</p>"]
    # headline
    parts.append(f"<h2>{_esc(t('headline', lang))}</h2>")
    parts.append(_result_table(comp, comp.headline, lang, title, by))
    parts.append(f"<h2>{_esc(t('mutual', lang))}</h2>")
    parts.append(_result_table(comp, [m for m in MUTUAL if m in set(tab["metric"])], lang, title, by))
    # figures
    parts.append(f"<h2>{_esc(t('figures', lang))}</h2>")
    for key in ("forest", "timeseries", "skills", "survival"):
        if key in figures:
            parts.append(_img(figures[key], t(key, lang)))
    # scenarios
    parts.append(f"<h2>{_esc(t('scenarios', lang))}</h2><table><tr><th>{_esc(t('name', lang))}</th>"
                 f"<th>{_esc(t('title_col', lang))}</th><th>{_esc(t('changes', lang))}</th></tr>")
    for s in comp.scenarios:
        ch = changed_levers(s, base) if s.name != comp.baseline else []
        desc = _esc(s.description)
        levers = ", ".join(f"<code>{_esc(c)}</code>" for c in ch) or "–"
        parts.append(f"<tr><td><code>{_esc(s.name)}</code></td><td>{_esc(title(s))}</td>"
                     f"<td>{desc}<br>{levers}</td></tr>")
    parts.append("</table>")
    # survival table
    parts.append(f"<h2>{_esc(t('survival_table', lang))}</h2>")
    parts.append(_survival_table(comp.survival, lang, title, by))
    # method
    parts.append(f"<h2>{_esc(t('method', lang))}</h2>")
    parts.append(_method(comp, lang, manifest))
    if warnings:
        parts.append(f"<h2>{_esc(t('warnings', lang))}</h2><div class=\"warn\"><ul>"
                     + "".join(f"<li>{_esc(w)}</li>" for w in dict.fromkeys(warnings)) + "</ul></div>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _result_table(comp: "Comparison", metrics: list[str], lang: str, title, by) -> str:
    tab = comp.table
    head = (f"<table><tr><th>{_esc(t('title_col', lang))}</th><th>{_esc(t('metric', lang))}</th>"
            f"<th>{_esc(t('baseline_word', lang))}</th><th>{_esc(t('mean', lang))}</th>"
            f"<th>{_esc(t('verdict', lang))}</th><th>p (Holm)</th></tr>")
    rows = [head]
    for scn in comp.order:
        if scn == comp.baseline:
            continue
        present = [m for m in metrics if ((tab["scenario"] == scn) & (tab["metric"] == m)).any()]
        for i, m in enumerate(present):
            r = tab[(tab["scenario"] == scn) & (tab["metric"] == m)].iloc[0]
            b = tab[(tab["scenario"] == comp.baseline) & (tab["metric"] == m)].iloc[0]
            first = (f"<td rowspan=\"{len(present)}\" class=\"scn\">{_esc(title(by[scn]))}</td>" if i == 0 else "")
            k = display_scale(m)
            v = verdict(m, r["diff"], r["diff_ci_low"], r["diff_ci_high"], r["p_holm"], lang)
            p = "–" if pd.isna(r["p_holm"]) else (f"{r['p_holm']:.3g}" if r["p_holm"] >= 0.001 else "<0.001")
            rows.append(f"<tr{' class=\"first\"' if i == 0 else ''}>{first}<td>{_esc(metric_label(m, lang))}</td>"
                        f"<td class=\"num\">{_num(b['mean'] * k, m)}</td><td class=\"num\">{_num(r['mean'] * k, m)}</td>"
                        f"<td class=\"{_class(m, r['diff'], r['p_holm'])}\">{_esc(v)}</td><td class=\"num\">{p}</td></tr>")
    rows.append("</table>")
    return "".join(rows)


def _survival_table(surv: pd.DataFrame, lang: str, title, by) -> str:
    cols = ("n", "events", "median_months", "survival_12m", "survival_36m")
    rows = [f"<table><tr><th>{_esc(t('title_col', lang))}</th><th></th>"
            + "".join(f"<th>{c}</th>" for c in cols) + "</tr>"]
    for r in surv.itertuples():
        med = r.median_months
        if pd.isna(med):
            med_txt = t("not_reached", lang)
        else:
            lo = "–" if pd.isna(r.median_ci_low) else f"{r.median_ci_low:.0f}"
            hi = t("not_reached", lang) if pd.isna(r.median_ci_high) else f"{r.median_ci_high:.0f}"
            med_txt = f"{med:.0f} [{lo}, {hi}]"
        s12 = "–" if pd.isna(r.survival_12m) else f"{r.survival_12m:.2f}"
        s36 = "–" if pd.isna(r.survival_36m) else f"{r.survival_36m:.2f}"
        rows.append(f"<tr><td>{_esc(title(by[r.scenario]))}</td><td>{_esc(t(r.kind, lang))}</td>"
                    f"<td class=\"num\">{r.n}</td><td class=\"num\">{r.events}</td><td class=\"num\">{_esc(med_txt)}</td>"
                    f"<td class=\"num\">{s12}</td><td class=\"num\">{s36}</td></tr>")
    rows.append("</table>")
    return "".join(rows)


def _method(comp: "Comparison", lang: str, manifest: dict[str, Any]) -> str:
    n_tests = int(comp.table["p_value"].notna().sum())
    seeds = f"{comp.root_seed}–{comp.root_seed + comp.n_replicates - 1}"
    if comp.precision is None:
        prec = ""
    elif lang == "zh":
        prec = (f"精度目标：差值95%区间半宽 ≤ {comp.precision:g}（按指标自身单位），"
                f"{'已达到' if comp.precision_reached else '未达到'}，用了 {comp.n_replicates} 次重复"
                f"（最大半宽 {comp.worst_half_width:.4g}）。")
    else:
        prec = (f"Precision target: every 95% interval on a headline difference with half-width ≤ "
                f"{comp.precision:g} in the metric's own unit — {'reached' if comp.precision_reached else 'not reached'} "
                f"after {comp.n_replicates} replicates (widest half-width {comp.worst_half_width:.4g}).")
    version = f"sesim {manifest.get('version')} (git {manifest.get('git_commit') or 'n/a'})"
    if lang == "zh":
        items = [
            f"每个情景运行 {comp.n_replicates} 次重复，种子 {seeds}；第 i 次重复在所有情景中使用同一种子（共同随机数），"
            "因此与基线的差值按重复配对。",
            "均值的95%区间：bootstrap（BCa，2000次重抽样）。",
            "差值：配对均值差，95% t 区间，配对 t 检验的 p 值；效应量为 Cohen's d_z（差值均值 ÷ 差值标准差）。",
            f"多重比较：对全部 {n_tests} 个比较做 Holm 校正（α = 0.05）；表中“结论”以校正后 p 值判断。",
            "存续曲线：Kaplan–Meier（scipy.stats.ecdf，右删失），仅用预热期后开始的合作关系与首份工作，95%带为 log-log 逐点区间。",
            "指标单位：比例和技能以百分点（×100）表示差值；净收益单位为千元/合作·年。",
            prec, version]
    else:
        items = [
            f"{comp.n_replicates} replicates per scenario, seeds {seeds}; replicate i uses the same seed in every "
            "scenario (common random numbers), so differences against the baseline are paired by replicate.",
            "Means: 95% bootstrap interval (BCa, 2,000 resamples).",
            "Differences: paired mean difference with its 95% t-interval and the p-value of a paired t-test; "
            "effect size is Cohen's d_z (mean difference ÷ standard deviation of the differences).",
            f"Multiple comparisons: Holm correction across all {n_tests} comparisons (α = 0.05); verdicts use "
            "the corrected p-value.",
            "Survival: Kaplan–Meier (scipy.stats.ecdf, right-censored) of partnerships and graduates' first jobs "
            "begun after warm-up; 95% pointwise log-log bands; leaving a first job means quitting or dismissal.",
            "Units: differences in shares and skills are in points (× 100); net benefits in thousand yuan per "
            "partnership-year.",
            prec, version]
    return "<ul>" + "".join(f"<li>{_esc(i)}</li>" for i in items if i) + "</ul>"
