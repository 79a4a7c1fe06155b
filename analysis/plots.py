"""Figures of a strategy comparison (图表): forest plot, time series, skill profile, survival; and of
an uncertainty comparison: the differences over the plausible worlds, the probability of being best.

Readable with eleven strategies: every figure 9.5 inches wide (1,425 px at 150 dpi); strategies on
the y axis of small multiples rather than in grouped bars; the baseline in near-black and the
strategies in ten qualitative colours; lines labelled at their ends instead of a legend; the
verdict colours of the report (``analysis.labels.verdict_class``) in the forest plots.

Each figure is saved as PNG (150 dpi) and SVG. Chinese labels need a CJK font: one that is
installed is used when present (see ``cjk_font``); otherwise the caller falls back to English
labels, so a figure never shows boxes for missing glyphs.
"""

from __future__ import annotations

import textwrap
import threading
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402

from . import survival  # noqa: E402
from .labels import SKILL_DIMS, display_scale, level_unit, metric_label, t, unit_label  # noqa: E402

DPI = 150
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Sarasa Gothic SC",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Hiragino Sans GB",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)
TIMESERIES_PANELS = ("firm_retention", "graduate_retention_12m", "skill_mean")


CJK_FILES = (
    "wqy",
    "notosanscjk",
    "notoserifcjk",
    "sourcehan",
    "simhei",
    "msyh",
    "pingfang",
    "droidsansfallback",
    "uming",
    "ukai",
    "sarasa",
)


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


DRAWING = threading.RLock()  # pyplot's state is the process's: a server drawing from threads holds this while it draws


def use_language(lang: str) -> str:
    """Set matplotlib up for ``lang``; return the language figures will actually use."""
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["svg.fonttype"] = "none"  # SVG keeps its text: searchable and editable
    if lang != "zh":
        return "en"
    font = cjk_font()
    if font is None:
        return "en"
    plt.rcParams["font.sans-serif"] = [
        font,
        *(f for f in plt.rcParams["font.sans-serif"] if f != font),
    ]  # once, however often called
    plt.rcParams["font.family"] = "sans-serif"
    return "zh"


def save(fig: plt.Figure, out: Path, stem: str) -> list[Path]:
    paths = [out / f"{stem}.png", out / f"{stem}.svg"]
    fig.savefig(paths[0], dpi=DPI, bbox_inches="tight")
    fig.savefig(paths[1], bbox_inches="tight")
    plt.close(fig)
    return paths


BASELINE_COLOUR = "0.1"
# matplotlib's tab10 with its grey (too close to the baseline's near-black and to "no clear difference")
# replaced by tab20b's dark indigo
QUALITATIVE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#393b79",
    "#bcbd22",
    "#17becf",
)
VERDICT_COLOURS = {
    "good": "#1a7f37",
    "bad": "#c0392b",
    "flat": "0.55",
    "none": "0.55",
    "negligible": "#3b6ea5",
    "few": "0.55",
}
VERDICT_MARKERS = {"good": "o", "bad": "D", "flat": "o", "none": "o", "negligible": "s", "few": "o"}
WIDTH_IN = 9.5  # every figure: 1,425 px at 150 dpi, shown at the report's width
LABEL_MARGIN_IN = 2.1  # room right of a panel for the labels at the line ends
GAP_IN = 0.7  # between rows of panels: room for a two-line panel title
WRAP = 30  # characters per line of a strategy's label (English; Chinese titles are short)
END_FONT = 7.5


def palette(order: list[str], baseline: str | None = None) -> dict[str, tuple[Any, str]]:
    """A colour and line style per scenario: the baseline in near-black, the others in tab10's ten
    qualitative colours (``QUALITATIVE``); past ten the colours repeat, dashed."""
    baseline = order[0] if baseline is None and order else baseline
    out, i = {}, 0
    for n in order:
        if n == baseline:
            out[n] = (BASELINE_COLOUR, "-")
            continue
        out[n] = (QUALITATIVE[i % len(QUALITATIVE)], "-" if i < len(QUALITATIVE) else "--")
        i += 1
    return out


def label(scn: str, titles: dict[str, str]) -> str:
    """A strategy's title wrapped for a tick or a line end."""
    return textwrap.fill(titles.get(scn, scn), WRAP)


def end_labels(ax: plt.Axes, ends: list[tuple[float, float, str, Any]], fontsize: float = END_FONT) -> None:
    """Write each line's label right of the axes at the height where the line ends, pushed apart just
    enough not to overlap, with a short elbow leader from the axes' edge at that height.  The lines must
    run to the right edge.  ``ends``: (x, y, text, colour)."""
    if not ends:
        return
    fig = ax.figure
    y0, y1 = ax.get_ylim()
    height_px = ax.get_window_extent().height
    line_px = fontsize * 1.25 * fig.dpi / 72.0
    items = sorted(
        ((y - y0) / (y1 - y0), x, y, text, colour, (text.count("\n") + 1) * line_px / height_px)
        for x, y, text, colour in ends
    )
    pos = [it[0] for it in items]
    for i in range(1, len(pos)):  # push up
        pos[i] = max(pos[i], pos[i - 1] + (items[i - 1][5] + items[i][5]) / 2)
    over = pos[-1] + items[-1][5] / 2 - 1.0
    if over > 0:  # then back down from the top
        pos[-1] -= over
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = min(pos[i], pos[i + 1] - (items[i][5] + items[i + 1][5]) / 2)
    for p, (y, _, _, text, colour, _) in zip(pos, items):  # an elbow: along the line's height, then to its label
        ax.plot([1.0, 1.015, 1.05], [y, y, p], transform=ax.transAxes, color=colour, lw=0.6, clip_on=False)
        ax.text(1.06, p, text, transform=ax.transAxes, va="center", ha="left", fontsize=fontsize, color=colour)


def _panel_title(metric: str, lang: str) -> str:
    """A difference panel's title: the metric, and its unit below (Chinese units carry their own brackets)."""
    unit = unit_label(metric, lang)
    if not unit:
        return metric_label(metric, lang)
    return f"{metric_label(metric, lang)}\n{unit if lang == 'zh' else '(' + unit + ')'}"


def _band_alpha(order: list[str]) -> float:
    """Bands fainter when many overlap."""
    return 0.15 if len(order) <= 4 else 0.07


def _verdict_legend(
    fig: plt.Figure,
    lang: str,
    keys: tuple[str, ...] = ("leg_good", "leg_bad", "leg_flat"),
    classes: tuple[str, ...] = ("good", "bad", "flat", "negligible"),
) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D(
            [],
            [],
            ls="",
            marker=VERDICT_MARKERS[c],
            color=VERDICT_COLOURS[c],
            markerfacecolor=("white" if c == "flat" else VERDICT_COLOURS[c]),
            label=t(k, lang),
        )
        for c, k in zip(classes, keys)
    ]
    fig.legend(
        handles=handles, loc="lower center", ncol=len(handles), frameon=False, fontsize=8, bbox_to_anchor=(0.5, 0.0)
    )


def _grid(
    n: int,
    ncol: int,
    axes_in: float,
    label_in: float,
    width: float = WIDTH_IN,
    top_in: float = 0.9,
    bottom_in: float = 0.55,
    sharey: bool = True,
) -> tuple[plt.Figure, np.ndarray]:
    """Panels of ``axes_in`` inches' height in a grid of fixed width, with room for the strategies'
    labels at the left and ``GAP_IN`` between rows for the panels' titles."""
    nrow = int(np.ceil(n / ncol))
    height = nrow * axes_in + (nrow - 1) * GAP_IN + top_in + bottom_in
    fig, axes = plt.subplots(nrow, ncol, figsize=(width, height), squeeze=False, sharey=sharey)
    fig.subplots_adjust(
        left=label_in / width,
        right=1 - 0.15 / width,
        top=1 - top_in / height,
        bottom=bottom_in / height,
        wspace=0.12,
        hspace=GAP_IN / axes_in,
    )
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, axes


def _rows_in(n: int) -> float:
    """Height of a panel with ``n`` strategies on its y axis."""
    return max(0.9, 0.27 * n + 0.25)


def forest(
    comp: pd.DataFrame,
    metrics: list[str],
    baseline: str,
    titles: dict[str, str],
    lang: str,
    out: Path,
    order: list[str] | None = None,
) -> list[Path]:
    """One panel per metric, strategies on the y axis (top to bottom in ``order``, e.g. the report's
    ranking): each difference against the baseline with the interval its verdict uses (Holm-consistent
    where the table has it), coloured by that verdict; a light band marks ± the metric's margin (the
    smallest difference that matters) where the table has one."""
    from .labels import verdict_class

    rows = comp[(comp["scenario"] != baseline) & comp["metric"].isin(metrics)]
    scns = list(dict.fromkeys(rows["scenario"]))
    if order is not None:
        scns = [s for s in order if s in scns] + [s for s in scns if s not in order]
    holm = "diff_holm_low" in rows.columns
    lo_col, hi_col = ("diff_holm_low", "diff_holm_high") if holm else ("diff_ci_low", "diff_ci_high")
    ncol = min(3, len(metrics))
    fig, axes = _grid(len(metrics), ncol, axes_in=_rows_in(len(scns)), label_in=2.3)
    y = np.arange(len(scns))[::-1]
    for ax, m in zip(axes.flat, metrics):
        r = rows[rows["metric"] == m].set_index("scenario").reindex(scns)
        k = display_scale(m)
        d, lo, hi = (r["diff"] * k).to_numpy(float), (r[lo_col] * k).to_numpy(float), (r[hi_col] * k).to_numpy(float)
        mg = float(r["margin"].dropna().iloc[0]) * k if "margin" in r and r["margin"].notna().any() else None
        if mg:
            ax.axvspan(-mg, mg, color=VERDICT_COLOURS["negligible"], alpha=0.08, lw=0)
        ax.axvline(0, color="0.45", lw=0.8)
        for yi, di, a, b, _scn in zip(y, d, lo, hi, scns):
            if not np.isfinite(di):
                continue
            c = verdict_class(m, a, b, mg) if np.isfinite(a) else "none"
            colour = VERDICT_COLOURS[c]
            if np.isfinite(a):
                ax.plot([a, b], [yi, yi], color=colour, lw=1.6, solid_capstyle="butt")
            ax.plot(
                [di],
                [yi],
                ls="",
                marker=VERDICT_MARKERS[c],
                ms=5,
                color=colour,
                markerfacecolor="white" if c in ("flat", "none") else colour,
                zorder=3,
            )
        ax.set_title(_panel_title(m, lang), fontsize=8.5)
        ax.grid(axis="x", color="0.9")
        ax.tick_params(axis="x", labelsize=7.5)
        ax.set_ylim(-0.6, len(scns) - 0.4)
    for ax in axes[:, 0]:
        ax.set_yticks(y, [label(s, titles) for s in scns], fontsize=7.5)
    fig.suptitle(t("forest_holm" if holm else "forest", lang), fontsize=10)
    _verdict_legend(
        fig,
        lang,
        ("leg_good", "leg_bad", "leg_flat", "leg_negligible")
        if "margin" in rows
        else ("leg_good", "leg_bad", "leg_flat"),
    )
    return save(fig, out, "forest")


class Bands:
    """Monthly mean, standard deviation and count of every series over replicates, per scenario,
    accumulated one replicate at a time (Welford), so a comparison need not keep its series."""

    def __init__(self, order: list[str]) -> None:
        self.order = list(order)
        self._acc: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.metrics: list[str] | None = None

    def add(self, ts: pd.DataFrame) -> None:
        if not len(ts):
            return
        if self.metrics is None:
            self.metrics = [
                c
                for c in ts.columns
                if c not in ("scenario", "replicate", "month") and pd.api.types.is_numeric_dtype(ts[c])
            ]
        scn = ts["scenario"].iat[0]
        months = ts["month"].to_numpy(int)
        x = ts[self.metrics].to_numpy(float)
        size = int(months.max()) + 1
        n, mean, m2 = self._acc.get(scn, (np.zeros((0, len(self.metrics))),) * 3)
        if len(n) < size:
            grow = ((0, size - len(n)), (0, 0))
            n, mean, m2 = (np.pad(a, grow) for a in (n, mean, m2))
        ok = np.isfinite(x)
        rows = months[:, None].repeat(x.shape[1], 1)[ok]
        cols = np.broadcast_to(np.arange(x.shape[1]), x.shape)[ok]
        v = x[ok]
        n[rows, cols] += 1
        delta = v - mean[rows, cols]
        mean[rows, cols] += delta / n[rows, cols]
        m2[rows, cols] += delta * (v - mean[rows, cols])
        self._acc[scn] = (n, mean, m2)

    def frame(self) -> pd.DataFrame:
        """Long table: scenario, month, metric, mean, sd (NaN with fewer than 2), n."""
        parts = []
        for scn in self.order:
            if scn not in self._acc:
                continue
            n, mean, m2 = self._acc[scn]
            with np.errstate(invalid="ignore", divide="ignore"):
                sd = np.sqrt(np.where(n > 1, m2 / np.maximum(n - 1, 1), np.nan))
            months, k = np.meshgrid(np.arange(len(n)), np.arange(n.shape[1]), indexing="ij")
            parts.append(
                pd.DataFrame(
                    {
                        "scenario": scn,
                        "month": months.ravel(),
                        "metric": np.asarray(self.metrics)[k.ravel()],
                        "mean": np.where(n > 0, mean, np.nan).ravel(),
                        "sd": sd.ravel(),
                        "n": n.ravel().astype(int),
                    }
                )
            )
        if not parts:
            return pd.DataFrame(columns=["scenario", "month", "metric", "mean", "sd", "n"])
        return pd.concat(parts, ignore_index=True)


def bands(ts: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """:class:`Bands` of a whole table of series (every replicate's rows together)."""
    b = Bands(order)
    for _, one in ts.groupby(["scenario", "replicate"], sort=False):
        b.add(one)
    return b.frame()


def timeseries(ts: pd.DataFrame, order: list[str], titles: dict[str, str], lang: str, out: Path) -> list[Path]:
    """Monthly means over replicates with 95% t-bands, one line per scenario, labelled at its end;
    one panel per metric, stacked.  ``ts``: every replicate's series, or their :func:`bands`."""
    if "replicate" in ts.columns:
        ts = bands(ts, order)
    panels = [m for m in TIMESERIES_PANELS if m in set(ts["metric"])]
    pal = palette(order)
    plot_w = WIDTH_IN - LABEL_MARGIN_IN - 0.7
    height = 2.5 * len(panels) + 0.9
    fig, axes = plt.subplots(len(panels), 1, figsize=(WIDTH_IN, height), squeeze=False, sharex=True)
    fig.subplots_adjust(
        left=0.7 / WIDTH_IN, right=(0.7 + plot_w) / WIDTH_IN, top=1 - 0.6 / height, bottom=0.5 / height, hspace=0.3
    )
    for ax, m in zip(axes.flat, panels):
        ends = []
        k = display_scale(m)
        for scn in order:
            g = ts[(ts["scenario"] == scn) & (ts["metric"] == m) & (ts["n"] > 0)].set_index("month")
            mean, sd, n = g["mean"] * k, g["sd"] * k, g["n"]
            if mean.empty:
                continue
            half = stats.t.ppf(0.975, np.maximum(n - 1, 1)) * sd.fillna(0) / np.sqrt(n)
            colour, style = pal[scn]
            ax.plot(mean.index, mean, color=colour, ls=style, lw=1.6 if scn == order[0] else 1.2)
            ax.fill_between(mean.index, mean - half, mean + half, color=colour, alpha=_band_alpha(order), lw=0)
            last = mean.dropna()
            if len(last):
                ends.append((float(last.index[-1]), float(last.iloc[-1]), label(scn, titles), colour))
        ax.set_title(
            f"{metric_label(m, lang)}{'，' if lang == 'zh' else ', '}{level_unit(m, lang)}", fontsize=9, loc="left"
        )
        ax.grid(color="0.92")
        ax.tick_params(labelsize=7.5)
        ax.margins(x=0)
        end_labels(ax, ends)
    axes.flat[-1].set_xlabel(t("month", lang), fontsize=8)
    fig.suptitle(t("timeseries", lang), fontsize=10)
    return save(fig, out, "timeseries")


def skill_profile(comp: pd.DataFrame, order: list[str], titles: dict[str, str], lang: str, out: Path) -> list[Path]:
    """Mean skill at graduation on the five dimensions: one panel per dimension, strategies on the y
    axis, each mean with its 95% interval; the baseline's mean as a vertical line."""
    metrics = [f"skill_{d}" for d in SKILL_DIMS]
    pal = palette(order)
    fig, axes = _grid(
        len(metrics), len(metrics), axes_in=_rows_in(len(order)), label_in=2.3, top_in=0.75, bottom_in=0.4
    )
    y = np.arange(len(order))[::-1]
    for ax, m in zip(axes.flat, metrics):
        r = comp[comp["metric"] == m].set_index("scenario").reindex(order)
        mean, lo, hi = (r[c].to_numpy(float) * 100 for c in ("mean", "ci_low", "ci_high"))
        if np.isfinite(mean[0]):
            ax.axvline(mean[0], color=BASELINE_COLOUR, lw=0.8, ls=":")
        for yi, scn, a, b, v in zip(y, order, lo, hi, mean):
            colour, _ = pal[scn]
            ax.plot([a, b], [yi, yi], color=colour, lw=1.6)
            ax.plot([v], [yi], "o", ms=4.5, color=colour)
        ax.set_title(metric_label(m, lang), fontsize=8.5)
        ax.grid(axis="x", color="0.92")
        ax.tick_params(axis="x", labelsize=7)
        ax.set_ylim(-0.6, len(order) - 0.4)
    for ax in axes[:, 0]:
        ax.set_yticks(y, [label(s, titles) for s in order], fontsize=7.5)
        for tick, scn in zip(ax.get_yticklabels(), order):
            tick.set_color(pal[scn][0])
    fig.suptitle(f"{t('skills', lang)} ({level_unit('skill_mean', lang)})", fontsize=10)
    return save(fig, out, "skills")


def survival_curves(
    spells: "pd.DataFrame | dict", order: list[str], titles: dict[str, str], lang: str, out: Path
) -> list[Path]:
    """Kaplan–Meier curves with 95% bands: partnerships and graduates' first jobs, one panel each,
    every curve labelled at its end.  ``spells``: the spells, or their counts by (scenario, kind)
    (:func:`analysis.survival.counts`)."""
    if isinstance(spells, pd.DataFrame):
        spells = {
            (scn, kind): survival.counts(survival.select(spells[spells["scenario"] == scn], kind))
            for scn in order
            for kind in survival.KINDS
        }
    pal = palette(order)
    plot_w = WIDTH_IN - LABEL_MARGIN_IN - 0.7
    height = 2 * 2.6 + 0.9
    fig, axes = plt.subplots(2, 1, figsize=(WIDTH_IN, height), squeeze=False)
    fig.subplots_adjust(
        left=0.7 / WIDTH_IN, right=(0.7 + plot_w) / WIDTH_IN, top=1 - 0.6 / height, bottom=0.5 / height, hspace=0.45
    )
    for ax, kind in zip(axes.flat, survival.KINDS):
        ends = []
        for scn in order:
            sel = spells.get((scn, kind))
            if sel is None or len(sel) == 0:
                continue
            c = survival.curve(survival.km(sel))
            months = np.concatenate([[0.0], c.months])
            colour, style = pal[scn]
            surv = np.concatenate([[1.0], c.surv])
            ax.step(months, surv, where="post", color=colour, ls=style, lw=1.6 if scn == order[0] else 1.2)
            ax.fill_between(
                months,
                np.concatenate([[1.0], c.low]),
                np.concatenate([[1.0], c.high]),
                step="post",
                color=colour,
                alpha=_band_alpha(order),
                lw=0,
            )
            ends.append((float(months[-1]), float(surv[-1]), label(scn, titles), colour))
        right = max((x for x, *_ in ends), default=1.0)
        for line in ax.get_lines():  # each curve stays at its last value until the longest follow-up
            xs, ys = line.get_xdata(), line.get_ydata()
            if len(xs) and xs[-1] < right:
                line.set_data(np.append(xs, right), np.append(ys, ys[-1]))
        ax.set_title(t(kind, lang), fontsize=9, loc="left")
        ax.set_xlabel(t("months_since_start", lang), fontsize=8)
        ax.set_ylabel(t("survival_prob", lang), fontsize=8)
        ax.set_ylim(0, 1.02)
        ax.margins(x=0)
        ax.grid(color="0.92")
        ax.tick_params(labelsize=7.5)
        end_labels(ax, ends)
    fig.suptitle(t("survival", lang), fontsize=10)
    return save(fig, out, "survival")


# --- the uncertainty report ---------------------------------------------------------------------------
def uncertainty_forest(
    diffs: pd.DataFrame,
    table: pd.DataFrame,
    metrics: list[str],
    order: list[str],
    titles: dict[str, str],
    lang: str,
    out: Path,
) -> list[Path]:
    """One panel per headline metric, strategies on the y axis: the paired difference in every plausible
    world (small dots), the 5–95% range and the median, coloured as the report's cells (by the counts of
    draws on either side, :func:`analysis.labels.world_class`).
    ``diffs``: strategy, metric, draw, diff; ``table``: uncertainty.csv."""
    from .labels import draws_needed, world_class, world_counts

    ncol = min(3, len(metrics))
    fig, axes = _grid(len(metrics), ncol, axes_in=_rows_in(len(order)) + 0.1 * len(order), label_in=2.3)
    y = np.arange(len(order))[::-1]
    rng = np.random.default_rng(0)  # jitter only: the same picture every time
    tab = table.set_index(["strategy", "metric"])
    for ax, m in zip(axes.flat, metrics):
        k = display_scale(m)
        ax.axvline(0, color="0.45", lw=0.8)
        for yi, scn in zip(y, order):
            if (scn, m) not in tab.index:
                continue
            r = tab.loc[(scn, m)]
            d = diffs[(diffs["strategy"] == scn) & (diffs["metric"] == m)]["diff"].to_numpy(float) * k
            ax.scatter(d, yi + rng.uniform(-0.22, 0.22, len(d)), s=5, color="0.6", alpha=0.6, lw=0, zorder=1)
            c = world_class(*world_counts(m, d))
            colour = VERDICT_COLOURS[c]
            ax.plot([r["q05"] * k, r["q95"] * k], [yi, yi], color=colour, lw=2.2, zorder=2, solid_capstyle="butt")
            ax.plot(
                [r["median_diff"] * k],
                [yi],
                ls="",
                marker=VERDICT_MARKERS[c],
                ms=6,
                color=colour,
                markerfacecolor="white" if c in ("flat", "few") else colour,
                zorder=3,
            )
        ax.set_title(_panel_title(m, lang), fontsize=8.5)
        ax.grid(axis="x", color="0.9")
        ax.tick_params(axis="x", labelsize=7.5)
        ax.set_ylim(-0.6, len(order) - 0.4)
    for ax in axes[:, 0]:
        ax.set_yticks(y, [label(s, titles) for s in order], fontsize=7.5)
    fig.suptitle(t("unc_figure", lang), fontsize=9.5)
    few = diffs.groupby(["strategy", "metric"])["diff"].count().min() < draws_needed() if len(diffs) else False
    if few:
        _verdict_legend(fig, lang, ("leg_unc_few",), ("few",))
    else:
        _verdict_legend(fig, lang, ("leg_unc_good", "leg_unc_bad", "leg_unc_flat"))
    return save(fig, out, "uncertainty")


def prob_best(
    rank: pd.DataFrame, metrics: list[str], order: list[str], titles: dict[str, str], lang: str, out: Path
) -> list[Path]:
    """A table as a picture: each strategy's probability of ranking first on each headline metric."""
    grid = rank.pivot(index="strategy", columns="metric", values="prob_first").reindex(index=order, columns=metrics)
    label_in, cell_w = 2.3, min(1.2, (WIDTH_IN - 2.6) / max(1, len(metrics)))
    width = label_in + cell_w * len(metrics) + 0.3
    height = 0.3 * len(order) + 1.6
    fig, ax = plt.subplots(figsize=(width, height))
    fig.subplots_adjust(left=label_in / width, right=1 - 0.3 / width, top=1 - 1.05 / height, bottom=0.15 / height)
    v = grid.to_numpy(float)
    ax.imshow(np.nan_to_num(v), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for (i, j), x in np.ndenumerate(v):
        if np.isfinite(x):
            ax.text(
                j, i, f"{100 * x:.0f}%", ha="center", va="center", fontsize=7.5, color="white" if x > 0.6 else "0.15"
            )
    ax.set_yticks(range(len(order)), [label(s, titles) for s in order], fontsize=7.5)
    ax.set_xticks(
        range(len(metrics)),
        [textwrap.fill(metric_label(m, lang), 14 if lang != "zh" else 7) for m in metrics],
        fontsize=7.5,
    )
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    fig.suptitle(t("pbest_figure", lang), fontsize=9.5)
    return save(fig, out, "prob_best")
