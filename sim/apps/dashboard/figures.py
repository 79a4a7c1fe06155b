"""The dashboard's pictures (matplotlib, Agg): the live charts and the network, as PNG bytes.

Both strategies share each chart's axes; the month axis spans the whole run from the start, so
the lines grow instead of the axes jumping while the months tick.  Chinese labels need a CJK
font (``analysis.plots.cjk_font``); without one the pictures fall back to English labels.
"""

from __future__ import annotations

import io
import textwrap
from contextlib import contextmanager
from typing import Iterator

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from sim.i18n import t  # noqa: E402

from .logic import CHART_METRICS, NetworkView  # noqa: E402

COLOURS = ("#1f77b4", "#d95f02")  # strategy A, strategy B
WILLINGNESS_MAP = "RdYlGn"
NO_PARTNER_COLOUR = "#c8c8c8"
CHART_SIZE = (11.0, 5.6)  # inches
NETWORK_SIZE = (11.0, 5.4)
DPI = 90
CHART_MARGINS = {"left": 0.06, "right": 0.98, "top": 0.94, "bottom": 0.09, "wspace": 0.25, "hspace": 0.3}
NETWORK_MARGINS = {"left": 0.01, "right": 0.9, "top": 0.88, "bottom": 0.08, "wspace": 0.05}
LEGEND_WRAP = 30  # characters per legend line
SCHOOL_SIZE, FIRM_SIZE, MEMBER_SIZE = 260, 70, 14


@contextmanager
def language(lang: str) -> Iterator[str]:
    """Matplotlib settings for ``lang`` for the figures drawn inside; yields the language used."""
    from analysis.plots import cjk_font

    font = cjk_font() if lang == "zh" else None
    rc = {"axes.unicode_minus": False}
    if font is not None:
        rc.update({"font.family": "sans-serif", "font.sans-serif": [font, *matplotlib.rcParams["font.sans-serif"]]})
    with matplotlib.rc_context(rc):
        yield "zh" if font is not None else "en"


def png_bytes(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)  # fixed margins: no second draw for a tight box
    return buf.getvalue()


def charts_png(
    series: tuple[dict[str, list[float]], dict[str, list[float]]], names: tuple[str, str], horizon: int, lang: str
) -> bytes:
    """The five headline series of both strategies, one panel each, on shared axes."""
    from sim.metrics import metric_label

    with language(lang) as used:
        fig = Figure(figsize=CHART_SIZE)
        axes = fig.subplots(2, 3, sharex=True).ravel()
        for ax, metric in zip(axes, CHART_METRICS):
            for s, name, colour in zip(series, names, COLOURS):
                y = np.asarray(s[metric], float)
                ax.plot(np.arange(1, len(y) + 1), y, color=colour, lw=2, label=textwrap.fill(name, LEGEND_WRAP))
            ax.set_title(metric_label(metric, used), fontsize=11)
            ax.set_xlim(0, max(horizon, 1))
            if not len(s[metric]):
                ax.set_ylim(0, 1)
            ax.grid(alpha=0.3)
        for ax in axes[3:5]:
            ax.set_xlabel(t("dash.months_shown", used))
        legend = axes[5]
        legend.axis("off")
        handles, labels = axes[0].get_legend_handles_labels()
        if handles:
            legend.legend(handles, labels, loc="center", fontsize=11, frameon=False)
        fig.subplots_adjust(**CHART_MARGINS)
        return png_bytes(fig)


def _draw_network(ax: object, view: NetworkView, title: str, lang: str) -> object:
    for s, f in view.partnerships:
        (x0, y0), (x1, y1) = view.schools[s], view.firms[f]
        ax.plot([x0, x1], [y0, y1], color="#999999", lw=0.6, alpha=0.6, zorder=1)
    for m, f in view.mentoring:
        (x0, y0), (x1, y1) = view.members[m], view.firms[f]
        ax.plot([x0, x1], [y0, y1], color="#b2182b", lw=0.7, ls="--", alpha=0.7, zorder=1)
    w = view.firm_willingness
    partner = np.isfinite(w)
    ax.scatter(
        *view.firms[~partner].T,
        s=FIRM_SIZE,
        c=NO_PARTNER_COLOUR,
        edgecolors="white",
        zorder=2,
        label=t("dash.not_partner", lang),
    )
    sc = ax.scatter(
        *view.firms[partner].T,
        s=FIRM_SIZE,
        c=w[partner],
        cmap=WILLINGNESS_MAP,
        vmin=0,
        vmax=1,
        edgecolors="black",
        linewidths=0.4,
        zorder=3,
        label=t("firm", lang),
    )
    ax.scatter(*view.members.T, s=MEMBER_SIZE, c="#b2182b", marker="^", zorder=3, label=t("dash.party_member", lang))
    ax.scatter(*view.schools.T, s=SCHOOL_SIZE, c="#253494", marker="s", zorder=4, label=t("school", lang))
    ax.set_title(textwrap.fill(title, LEGEND_WRAP), fontsize=11)
    ax.set_aspect("equal")
    ax.axis("off")
    return sc


def network_png(views: tuple[NetworkView, NetworkView], names: tuple[str, str], lang: str) -> bytes:
    """Both strategies' networks side by side, firms coloured by willingness to cooperate."""
    with language(lang) as used:
        fig = Figure(figsize=NETWORK_SIZE)
        axes = fig.subplots(1, 2)
        fig.subplots_adjust(**NETWORK_MARGINS)
        sc = None
        for ax, view, name in zip(axes, views, names):
            sc = _draw_network(ax, view, name, used)
        axes[0].legend(loc="lower left", fontsize=8, bbox_to_anchor=(-0.05, -0.08), ncol=2, frameon=False)
        fig.colorbar(sc, ax=list(axes), shrink=0.6, label=t("dash.willingness", used))
        return png_bytes(fig)
