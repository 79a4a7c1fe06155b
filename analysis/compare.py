"""``sesim compare``: strategies against a baseline under common random numbers (策略比较).

Replicate *i* of every scenario runs with seed ``S + i``; through the model's per-mechanism
random streams the scenarios then share their draws wherever they do not differ, so each
difference against the baseline is paired by replicate. With a precision target, batches of
replicates are added until every 95% interval on a difference, for the headline metrics, is
at most that half-width in the metric's own unit.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from sim import metrics
from sim.backends import LocalBackend
from sim.progress import progress_bar
from sim.replicates import Arm, ParquetStream, ReplicateJob, ReplicateStore, Work, jobs, run_jobs
from sim.runner import COLLEGE_TABLES, college_tables, run_model, summary_and_series
from sim.scenario import Scenario
from sim.spells import remove_folder, spell_frames, spill_folder

from . import stats, survival
from .ranking import ranked_by, replicate_ranks

HEADLINE = (
    "firm_retention",
    "graduate_retention_12m",
    "early_turnover_6m",
    "skill_fit",
    "skill_technical",
    "skill_civic",
)
BATCH = 10
ALPHA = 0.05


@dataclass
class Comparison:
    scenarios: list[Scenario]
    baseline: str
    root_seed: int
    n_replicates: int
    headline: list[str]
    summary: pd.DataFrame
    bands: pd.DataFrame = field(default_factory=pd.DataFrame)  # monthly mean, sd, n (plots.bands)
    spell_counts: dict = field(default_factory=dict)  # (scenario, kind) -> survival.counts
    store: ReplicateStore | None = None  # the replicates, read back for timeseries.parquet
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    survival: pd.DataFrame = field(default_factory=pd.DataFrame)
    precision: float | None = None
    precision_reached: bool | None = None
    worst_half_width: float | None = None
    warnings: list[str] = field(default_factory=list)
    margins: dict[str, float] = field(default_factory=dict)  # smallest difference that matters, own unit
    weights: dict[str, float] = field(default_factory=dict)  # the ranking's weight per headline metric

    def margin(self, metric: str) -> float:
        """The smallest difference that matters for ``metric`` here (``--margin``, else sim.metrics.MARGINS)."""
        return self.margins.get(metric, metrics.margin(metric))

    @property
    def order(self) -> list[str]:
        return [s.name for s in self.scenarios]

    @property
    def ranking(self) -> list[str]:
        """The strategies (not the baseline) as the report ranks them, best first."""
        metrics = [m for m in self.headline if m in set(self.table["metric"])]
        return ranked_by(replicate_ranks(self.summary, self.order, metrics), self.order, self.baseline, self.weights)

    @property
    def timeseries(self) -> pd.DataFrame:
        """Every replicate's monthly series in run order, read back from the store (``sesim compare``
        writes the same rows to timeseries.parquet); empty once the store is gone."""
        if self.store is None:
            return pd.DataFrame()
        n, have = self.n_replicates * len(self.scenarios), self.store.stored()
        parts = [self.store.get(rid, "timeseries") for rid in range(n) if rid in have]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def verdicts(self) -> pd.DataFrame:
        """The headline verdicts as a table: a row per strategy (ranked), a column per headline metric."""
        tab = self.table[(self.table["scenario"] != self.baseline) & self.table["metric"].isin(self.headline)]
        return tab.pivot(index="scenario", columns="metric", values="verdict").reindex(
            index=self.ranking, columns=self.headline
        )


def compare_tables(arm: Arm, job: ReplicateJob) -> dict[str, pd.DataFrame]:
    """One replicate as a comparison keeps it: its summary row, its monthly series and its spells
    counted for survival (begun after warm-up; partnerships and first jobs), not the spells."""
    folder = spill_folder()  # the spells are counted part by part, never whole (docs/odd.md §13)
    try:
        model = run_model(arm.params, job.seed, arm.schedule, spill=folder)
        row, ts = summary_and_series(model, arm.name, job.replicate)
        by_kind: dict[str, pd.DataFrame | None] = {kind: None for kind in survival.KINDS}
        for sp in spell_frames(model, arm.name, job.replicate):
            for kind in survival.KINDS:
                by_kind[kind] = survival.add_counts(by_kind[kind], survival.counts(survival.select(sp, kind)))
        model.spell_log.close()
    finally:
        remove_folder(folder)
    counts = [c.assign(kind=kind) for kind, c in by_kind.items() if c is not None]
    return {
        "summary": pd.DataFrame([row]),
        "timeseries": ts,
        "survival": pd.concat(counts, ignore_index=True)[["kind", *survival.COUNT_COLUMNS]],
        **college_tables(model, arm.name, job.replicate),  # per-college outcomes (docs/odd.md M18)
    }


def college_frames(store: ReplicateStore) -> dict[str, pd.DataFrame]:
    """The per-college tables of every stored replicate that has them, in run order (docs/odd.md M18):
    ``colleges`` and ``college_members``; none where no strategy has an industry college."""
    out = {}
    for name in COLLEGE_TABLES:
        frames = [store.get(rid, name) for rid in sorted(store.stored()) if store.has(rid, name)]
        if frames:
            out[name] = pd.concat(frames, ignore_index=True)
    return out


def _diff_half_widths(summary: pd.DataFrame, order: list[str], baseline: str, names: Iterable[str]) -> dict:
    base = summary[summary["scenario"] == baseline].set_index("replicate")
    out = {}
    for scn in order:
        if scn == baseline:
            continue
        x = summary[summary["scenario"] == scn].set_index("replicate").reindex(base.index)
        for m in names:
            d = stats.paired_difference(x[m].to_numpy(float), base[m].to_numpy(float))
            out[(scn, m)] = d.half_width
    return out


def run_comparison(
    scns: list[Scenario],
    baseline: str,
    seeds: int = 30,
    root: int = 0,
    precision: float | None = None,
    max_seeds: int = 500,
    headline: Iterable[str] = HEADLINE,
    workers: int = 1,
    progress: bool = True,
    margins: dict[str, float] | None = None,
    weights: dict[str, float] | None = None,
    backend: Any = None,
    store: ReplicateStore | None = None,
    shard: tuple[int, int] | None = None,
) -> Comparison | int:
    """Run every scenario on the same seeds; adaptively when ``precision`` is given.  ``margins``: the
    smallest difference that matters per metric (own unit; the rest from sim.metrics.MARGINS);
    ``weights``: the ranking's weight per headline metric (the rest 1).

    Replicates go to ``store`` as they finish (a temporary one when not given) and are read back
    in order for the tables; only the summary rows stay in memory.  ``backend``: one of
    :mod:`sim.backends` (default a local pool of ``workers``).  With ``shard`` (I, N) only the runs
    whose id is I modulo N run, and their number is returned: the command with ``--resume``
    writes the tables once every shard is done."""
    import tempfile

    order = [s.name for s in scns]
    headline = list(headline)
    backend = backend or LocalBackend(workers)
    work = Work(tuple(Arm(s.name, s.params) for s in scns), compare_tables)
    A = len(scns)
    own_store = store is None
    if own_store:
        store = ReplicateStore(Path(tempfile.mkdtemp(prefix="sesim-compare-")))
    # the summary rows, as plain records (a one-row DataFrame each would take far more memory)
    kept: dict[int, dict] = {rid: store.get(rid, "summary").iloc[0].to_dict() for rid in sorted(store.stored())}

    def keep(rid: int, tables: dict[str, pd.DataFrame]) -> None:
        kept[rid] = tables["summary"].iloc[0].to_dict()

    def summary_of(n: int) -> pd.DataFrame:
        return pd.DataFrame([kept[i] for i in range(n * A)])

    first = BATCH if precision else seeds
    todo = [j for j in jobs(A, 0, first, root) if shard is None or j.run_id % shard[1] == shard[0]]
    left = sum(j.run_id not in kept for j in todo)
    bar = progress_bar(left, "replicates") if progress and left else None
    reached, worst = None, None
    try:
        with backend:
            ran = run_jobs(store, work, todo, backend, bar, keep)
            if shard is not None:
                return ran
            n = first
            while precision is not None:
                hw = _diff_half_widths(summary_of(n), order, baseline, headline)
                finite = [v for v in hw.values() if np.isfinite(v)]
                worst = max(finite) if finite else float("nan")
                reached = bool(finite) and worst <= precision
                if reached or n >= max_seeds:
                    break
                step = min(BATCH, max_seeds - n)
                if bar is not None:
                    bar.total += A * step
                    bar.refresh()
                run_jobs(store, work, jobs(A, n, n + step, root), backend, bar, keep)
                n += step
        if bar is not None:
            bar.close()
            bar = None
        summary = summary_of(n).sort_values(["scenario", "replicate"], key=_order_key(order))
        comp = Comparison(
            scns,
            baseline,
            root,
            n,
            headline,
            summary.reset_index(drop=True),
            precision=precision,
            precision_reached=reached,
            worst_half_width=worst,
            store=store,
            margins=dict(margins or {}),
            weights=dict(weights or {}),
        )
        if own_store:  # a store of our own goes when the comparison does
            import shutil
            import weakref

            weakref.finalize(comp, shutil.rmtree, store.folder, True)
        comp.table = statistics(comp)
        comp.bands, comp.spell_counts = aggregates(store, n * A, order, None)
        comp.survival = survival.counts_table(comp.spell_counts, order)
        return comp
    finally:
        if bar is not None:
            bar.close()


def aggregates(
    store: ReplicateStore, n_runs: int, order: list[str], stream: ParquetStream | None
) -> tuple[pd.DataFrame, dict]:
    """Read the store in run order: the monthly bands (running mean and variance), the survival
    counts summed, and, with ``stream``, every replicate's series written on."""
    from .plots import Bands

    bands = Bands(order)
    counts: dict[tuple[str, str], pd.DataFrame] = {}
    for rid in range(n_runs):
        ts = store.get(rid, "timeseries")
        bands.add(ts)
        if stream is not None:
            stream.add(ts)
        sv = store.get(rid, "survival")
        scn = ts["scenario"].iat[0] if len(ts) else store.get(rid, "summary")["scenario"].iat[0]
        for kind, c in sv.groupby("kind", sort=False):
            counts[(scn, kind)] = survival.add_counts(counts.get((scn, kind)), c[list(survival.COUNT_COLUMNS)])
    return bands.frame(), counts


def _order_key(order: list[str]):
    rank = {n: i for i, n in enumerate(order)}

    def key(col: pd.Series) -> pd.Series:
        return col.map(rank) if col.name == "scenario" else col

    return key


def statistics(comp: Comparison) -> pd.DataFrame:
    """The tidy comparison table: every scenario × metric, with paired differences, Holm's correction
    within each metric's family (the strategies against the baseline on that metric, docs/odd.md §7.7),
    the metric's margin and the verdict in words."""
    summary, baseline = comp.summary, comp.baseline
    base = summary[summary["scenario"] == baseline].set_index("replicate")
    rows, pairs = [], []
    for scn in comp.order:
        mine = summary[summary["scenario"] == scn].set_index("replicate")
        for m in metrics.ALL_METRICS:
            x = mine[m].to_numpy(float)
            missing = int((~np.isfinite(x)).sum())
            if missing:
                comp.warnings.append(
                    f"{m} is missing in {missing} of {len(x)} replicates of {scn}; "
                    "those replicates are left out of its statistics"
                )
            ci = stats.mean_interval(x)
            row = {
                "scenario": scn,
                "metric": m,
                "n": int(np.isfinite(x).sum()),
                "mean": ci.mean,
                "ci_low": ci.low,
                "ci_high": ci.high,
            }
            if scn == baseline:
                row.update(diff=np.nan, diff_ci_low=np.nan, diff_ci_high=np.nan, effect_size=np.nan, p_value=np.nan)
            else:
                pair = (mine.reindex(base.index)[m].to_numpy(float), base[m].to_numpy(float))
                d = stats.paired_difference(*pair)
                row.update(
                    diff=d.diff, diff_ci_low=d.low, diff_ci_high=d.high, effect_size=d.effect_size, p_value=d.p_value
                )
                pairs.append((len(rows), pair))
            rows.append(row)
    return verdicts(pd.DataFrame(rows), dict(pairs), comp.margin)


def verdicts(
    table: pd.DataFrame,
    pairs: dict[int, tuple[np.ndarray, np.ndarray]],
    margin: Callable[[str], float] = metrics.margin,
    alpha: float = ALPHA,
) -> pd.DataFrame:
    """Holm within each metric's family, its intervals (:func:`holm_intervals`), the metric's margin
    and the verdict (better, worse, negligible, unclear; empty for the baseline's rows).  A metric's
    family holds only its own comparisons, so adding or removing a metric never moves another's
    verdict (docs/odd.md §7.7)."""
    from .labels import VERDICT_WORDS, verdict_class

    table = table.reset_index(drop=True)
    parts = []
    for _, fam in table.groupby("metric", sort=False):
        fam = fam.assign(p_holm=stats.holm(fam["p_value"].to_numpy(float)))
        parts.append(holm_intervals(fam, {i: pairs[i] for i in fam.index if i in pairs}, alpha))
    out = pd.concat(parts).sort_index()
    out["margin"] = [margin(m) for m in out["metric"]]
    out["verdict"] = [
        VERDICT_WORDS[verdict_class(m, lo, hi, mg)] if i in pairs else ""
        for i, m, lo, hi, mg in zip(
            out.index, out["metric"], out["diff_holm_low"], out["diff_holm_high"], out["margin"]
        )
    ]
    return out


def holm_intervals(
    table: pd.DataFrame, pairs: dict[int, tuple[np.ndarray, np.ndarray]], alpha: float = ALPHA
) -> pd.DataFrame:
    """Add the intervals the verdicts use: ``holm_level`` (the confidence level of the Holm step that
    decides the comparison, :func:`analysis.stats.holm_levels`) and ``diff_holm_low``/``diff_holm_high``,
    the paired t-interval at that level.  It excludes 0 exactly when ``p_holm`` < alpha.  Fewer than two
    pairs give no interval (NaN): one replicate cannot say how sure a difference is.  ``table`` is one
    family (its index labels key ``pairs``)."""
    levels = stats.holm_levels(table["p_value"].to_numpy(float), alpha)
    low, high = np.full(len(table), np.nan), np.full(len(table), np.nan)
    for j, i in enumerate(table.index):
        if i in pairs and np.isfinite(levels[j]):
            d = stats.paired_difference(*pairs[i], confidence=float(levels[j]))
            if d.n >= 2:
                low[j], high[j] = d.low, d.high
    return table.assign(holm_level=levels, diff_holm_low=low, diff_holm_high=high)


# ------------------------------------------------------------------------------- output
def changed_levers(scn: Scenario, base: Scenario) -> list[str]:
    """``section.key = value`` for every lever where the scenario differs from the baseline."""
    a, b = dataclasses.asdict(scn.params), dataclasses.asdict(base.params)
    out = []
    for section, values in a.items():
        for key, v in values.items():
            if section == "run" and key == "seed":
                continue
            if b.get(section, {}).get(key) != v:
                out.append(f"{section}.{key} = {json.dumps(v, ensure_ascii=False)}")
    return out


SHORT_UNITS = {
    "share": ("points", "百分点"),
    "skill": ("points", "分"),
    "money": ("k yuan/p-year", "千元/合作·年"),
    "money_school": ("k yuan/s-year", "千元/校·年"),
    "money_intern": ("k yuan/i-month", "千元/实习生·月"),
    "months": ("months", "个月"),
    "count": ("employers", "个雇主"),
    "per1000": ("per 1,000", "人/千人"),
}
MIN_INTERVAL_REPLICATES = 3  # fewer replicates: differences without intervals


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: East Asian wide and full-width characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def pad(text: str, width: int, right: bool = True) -> str:
    """``text`` padded to ``width`` terminal columns (right-aligned by default)."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def _split_head(text: str, width: int) -> list[str]:
    """A column head in at most two lines of ``width`` columns: at the middle space, or the middle character."""
    if display_width(text) <= width:
        return ["", text]
    if " " in text:
        cut = min((i for i, c in enumerate(text) if c == " "), key=lambda i: abs(i - len(text) / 2))
        return [text[:cut], text[cut + 1 :]]
    half = len(text) // 2
    return [text[:half], text[half:]]


def headline_text(comp: Comparison, lang: str) -> str:
    """The headline table for the terminal: each strategy's difference against the baseline with the
    interval its verdict uses (Holm-consistent within the metric; * better or worse, ~ negligible), with
    units; in ``lang``."""
    from .labels import display_scale, metric_kind, metric_label, signed, t, tf, verdict_class, with_interval

    tab = comp.table.set_index(["scenario", "metric"])
    show_ci = comp.n_replicates >= MIN_INTERVAL_REPLICATES
    holm = "diff_holm_low" in comp.table.columns
    lo_col, hi_col = ("diff_holm_low", "diff_holm_high") if holm else ("diff_ci_low", "diff_ci_high")
    width = 22 if show_ci else 14  # at least; wider when a cell needs it (a column's cells line up)
    if lang == "zh":
        heads = [_split_head(metric_label(m, lang), width - 2) for m in comp.headline]
    else:
        heads = [m.split("_", 1) if "_" in m else [m, ""] for m in comp.headline]
    units = [SHORT_UNITS[metric_kind(m)][1 if lang == "zh" else 0] for m in comp.headline]
    lines = [
        tf("cli_headline", lang, base=comp.baseline)
        if show_ci
        else tf("cli_headline_noci", lang, base=comp.baseline, k=MIN_INTERVAL_REPLICATES)
    ]
    first = 24
    rows: list[tuple[str, list[str]]] = []
    for scn in comp.order:
        if scn == comp.baseline:
            continue
        cells = []
        for m in comp.headline:
            r = tab.loc[(scn, m)]
            k = display_scale(m)
            if show_ci:  # the estimate and its interval with the decimals of the interval's width (§7.8)
                d, lo, hi = with_interval(r["diff"] * k, r[lo_col] * k, r[hi_col] * k, m)
                cell = f"{d} [{lo}, {hi}]"
                cls = verdict_class(m, r[lo_col], r[hi_col], comp.margin(m))
                star = "*" if cls in ("good", "bad") else "~" if cls == "negligible" else " "
            else:
                cell, star = signed(r["diff"] * k, m), " "
            cells.append(cell + star)
        rows.append((scn, cells))
    widths = [max([width] + [display_width(cells[j]) + 2 for _, cells in rows]) for j in range(len(heads))]
    if any(h[0] for h in heads):
        lines.append(" " * first + "".join(pad(h[0], w) for h, w in zip(heads, widths)))
    lines.append(pad(t("title_col", lang), first, right=False) + "".join(pad(h[1], w) for h, w in zip(heads, widths)))
    lines.append(" " * first + "".join(pad("(" + u + ")", w) for u, w in zip(units, widths)))
    lines += [pad(scn, first, right=False) + "".join(pad(c, w) for c, w in zip(cells, widths)) for scn, cells in rows]
    return "\n".join(lines)
