"""Figures of a strategy comparison (图表): forest plot, time series, skill profile, survival.

Each figure is saved as PNG (150 dpi) and SVG. Chinese labels need a CJK font: one that is
installed is used when present (see ``cjk_font``); otherwise the caller falls back to English
labels, so a figure never shows boxes for missing glyphs.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402

from . import survival  # noqa: E402
from .labels import SKILL_DIMS, display_scale, metric_label, t, unit_label  # noqa: E402

DPI = 150
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
             "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Sarasa Gothic SC", "SimHei", "Microsoft YaHei",
             "PingFang SC", "Heiti SC", "Hiragino Sans GB", "AR PL UMing CN", "Droid Sans Fallback")
TIMESERIES_PANELS = ("firm_retention", "graduate_retention_12m", "skill_mean")


CJK_FILES = ("wqy", "notosanscjk", "notoserifcjk", "sourcehan", "simhei", "msyh", "pingfang", "droidsansfallback",
             "uming", "ukai", "sarasa")


def cjk_font() -> str | None:
    """Name of an installed font with Chinese glyphs, or None.

    Looks at matplotlib's font list first; fonts installed after matplotlib built its cache
    are found among the system's font files and added.
    """
    from matplotlib import font_manager
    fm = font_manager.fontManager

    def known() -> str | None:
        installed = {f.name for f in fm.ttflist}
        return next((name for name in CJK_FONTS if name in installed), None)

    found = known()
    if found is None:
        for path in font_manager.findSystemFonts():
            if any(k in Path(path).name.lower().replace("-", "").replace("_", "") for k in CJK_FILES):
                try:
                    fm.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        found = known()
    return found


def use_language(lang: str) -> str:
    """Set matplotlib up for ``lang``; return the language figures will actually use."""
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["svg.fonttype"] = "none"        # SVG keeps its text: searchable and editable
    if lang != "zh":
        return "en"
    font = cjk_font()
    if font is None:
        return "en"
    plt.rcParams["font.sans-serif"] = [font, *plt.rcParams["font.sans-serif"]]
    plt.rcParams["font.family"] = "sans-serif"
    return "zh"


def save(fig: plt.Figure, out: Path, stem: str) -> list[Path]:
    paths = [out / f"{stem}.png", out / f"{stem}.svg"]
    fig.savefig(paths[0], dpi=DPI, bbox_inches="tight")
    fig.savefig(paths[1], bbox_inches="tight")
    plt.close(fig)
    return paths


def _colours(names: list[str]) -> dict[str, tuple]:
    cmap = plt.get_cmap("tab10" if len(names) <= 10 else "tab20")
    return {n: cmap(i % cmap.N) for i, n in enumerate(names)}


def _title(scn: str, titles: dict[str, str]) -> str:
    return titles.get(scn, scn)


def forest(comp: pd.DataFrame, metrics: list[str], baseline: str, titles: dict[str, str],
           lang: str, out: Path, alpha: float = 0.05) -> list[Path]:
    """One panel per metric: each scenario's difference against the baseline with its interval."""
    rows = comp[(comp["scenario"] != baseline) & comp["metric"].isin(metrics)]
    scns = list(dict.fromkeys(rows["scenario"]))
    ncol = min(3, len(metrics))
    nrow = int(np.ceil(len(metrics) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 0.45 * len(scns) * nrow + 1.2 * nrow),
                             squeeze=False, sharey=True)
    y = np.arange(len(scns))[::-1]
    for ax, m in zip(axes.flat, metrics):
        r = rows[rows["metric"] == m].set_index("scenario").reindex(scns)
        k = display_scale(m)
        d, lo, hi = r["diff"] * k, r["diff_ci_low"] * k, r["diff_ci_high"] * k
        sig = (r["p_holm"] < alpha).to_numpy()
        ax.axvline(0, color="0.5", lw=0.8)
        ax.errorbar(d, y, xerr=[d - lo, hi - d], fmt="none", ecolor="0.3", capsize=2, lw=1)
        ax.scatter(d[sig], y[sig], color="C0", zorder=3, s=28)
        ax.scatter(d[~sig], y[~sig], facecolor="white", edgecolor="C0", zorder=3, s=28)
        unit = unit_label(m, lang)
        ax.set_title(metric_label(m, lang) + (f"\n({unit})" if unit else ""), fontsize=9)
        ax.grid(axis="x", color="0.9")
    for ax in axes.flat[len(metrics):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_yticks(y, [_title(s, titles) for s in scns], fontsize=8)
    fig.suptitle(t("forest", lang), fontsize=10)
    fig.tight_layout()
    return save(fig, out, "forest")


def timeseries(ts: pd.DataFrame, order: list[str], titles: dict[str, str], lang: str, out: Path) -> list[Path]:
    """Monthly means over replicates with 95% t-bands, one line per scenario."""
    panels = [m for m in TIMESERIES_PANELS if m in ts.columns]
    fig, axes = plt.subplots(1, len(panels), figsize=(4.4 * len(panels), 3.6), squeeze=False)
    colours = _colours(order)
    for ax, m in zip(axes.flat, panels):
        for scn in order:
            g = ts[ts["scenario"] == scn].groupby("month")[m]
            mean, sd, n = g.mean(), g.std(ddof=1), g.count()
            half = stats.t.ppf(0.975, np.maximum(n - 1, 1)) * sd.fillna(0) / np.sqrt(n)
            ax.plot(mean.index, mean, color=colours[scn], lw=1.2, label=_title(scn, titles))
            ax.fill_between(mean.index, mean - half, mean + half, color=colours[scn], alpha=0.2, lw=0)
        ax.set_title(metric_label(m, lang), fontsize=9)
        ax.set_xlabel(t("month", lang), fontsize=8)
        ax.grid(color="0.92")
    axes.flat[-1].legend(fontsize=7, loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False)
    fig.suptitle(t("timeseries", lang), fontsize=10)
    fig.tight_layout()
    return save(fig, out, "timeseries")


def skill_profile(comp: pd.DataFrame, order: list[str], titles: dict[str, str], lang: str,
                  out: Path) -> list[Path]:
    """Grouped bars: mean skill at graduation on the five dimensions, per scenario, with intervals."""
    metrics = [f"skill_{d}" for d in SKILL_DIMS]
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(metrics) * max(1, len(order)) * 0.35 + 3), 3.8))
    colours = _colours(order)
    width = 0.8 / max(1, len(order))
    x = np.arange(len(metrics))
    for i, scn in enumerate(order):
        r = comp[(comp["scenario"] == scn)].set_index("metric").reindex(metrics)
        ax.bar(x + (i - (len(order) - 1) / 2) * width, r["mean"], width, color=colours[scn],
               yerr=[r["mean"] - r["ci_low"], r["ci_high"] - r["mean"]], capsize=1.5,
               error_kw={"lw": 0.8}, label=_title(scn, titles))
    ax.set_xticks(x, [metric_label(m, lang) for m in metrics], fontsize=8)
    ax.set_ylim(0, 1)
    ax.grid(axis="y", color="0.92")
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    ax.set_title(t("skills", lang), fontsize=10)
    fig.tight_layout()
    return save(fig, out, "skills")


def survival_curves(spells: pd.DataFrame, order: list[str], titles: dict[str, str], lang: str,
                    out: Path) -> list[Path]:
    """Kaplan–Meier curves with 95% bands: partnerships and graduates' first jobs."""
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 3.8), squeeze=False)
    colours = _colours(order)
    for ax, kind in zip(axes.flat, survival.KINDS):
        for scn in order:
            sel = survival.select(spells[spells["scenario"] == scn], kind)
            if len(sel) == 0:
                continue
            c = survival.curve(sel)
            months = np.concatenate([[0.0], c.months])
            ax.step(months, np.concatenate([[1.0], c.surv]), where="post", color=colours[scn], lw=1.2,
                    label=_title(scn, titles))
            ax.fill_between(months, np.concatenate([[1.0], c.low]), np.concatenate([[1.0], c.high]),
                            step="post", color=colours[scn], alpha=0.2, lw=0)
        ax.set_title(t(kind, lang), fontsize=9)
        ax.set_xlabel(t("months_since_start", lang), fontsize=8)
        ax.set_ylabel(t("survival_prob", lang), fontsize=8)
        ax.set_ylim(0, 1.02)
        ax.grid(color="0.92")
    axes.flat[-1].legend(fontsize=7, loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False)
    fig.suptitle(t("survival", lang), fontsize=10)
    fig.tight_layout()
    return save(fig, out, "survival")
