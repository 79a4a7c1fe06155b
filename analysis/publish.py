"""Write a result folder: the tables, figures and ``report.html`` of ``sesim compare`` and of
``sesim compare --uncertainty``.  The top of analysis/: it imports the comparison, the uncertainty
analysis and the report; none of them imports it (docs/odd.md §14)."""

from __future__ import annotations

import os
import platform
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.outputs import OutputSlot
from sim.replicates import ParquetStream
from sim.runner import git_commit
from sim.spreadsheet import write_csv
from sim.version import __version__

from . import compare, report
from .labels import t
from .ranking import ranked_by

if TYPE_CHECKING:
    from .compare import Comparison


def write_comparison(
    comp: "Comparison",
    out: "Path | OutputSlot",
    lang: str,
    argv: list[str],
    started: float,
    explain: "Path | str | Any | None" = None,
    uncertainty: "Path | None" = None,
) -> list[str]:
    """Write every output into a hidden folder beside ``out``, then swap it into place.

    ``out`` is an :class:`~sim.outputs.OutputSlot` held since before the runs, or a folder (a slot
    is taken here).  ``explain`` (the folder of ``sesim explain``, one of its tables or its result) and
    ``uncertainty`` (the folder of ``sesim compare --uncertainty``) add their sections to the report.
    Returns the warnings to show the user (e.g. no CJK font for Chinese labels), in ``lang``.
    """
    if not isinstance(out, OutputSlot):
        with OutputSlot(Path(out), "compare") as slot:
            return write_comparison(comp, slot, lang, argv, started, explain, uncertainty)
    from . import plots  # matplotlib: only when there are figures to draw

    tmp = out.staging()
    notes: list[str] = []
    write_csv(comp.table, tmp / "comparison.csv", float_format="%.10g")
    write_csv(comp.survival, tmp / "survival.csv", float_format="%.10g")
    write_csv(comp.summary, tmp / "summary.csv", float_format="%.10g")
    if comp.store is not None:  # per-college outcomes of the strategies with industry colleges (docs/odd.md M18)
        for name, frame in compare.college_frames(comp.store).items():
            write_csv(frame, tmp / f"{name}.csv", float_format="%.10g")
    stream = ParquetStream(tmp / "timeseries.parquet")
    if comp.store is not None:  # every replicate's series, read back in run order
        compare.aggregates(comp.store, comp.n_replicates * len(comp.scenarios), comp.order, stream)
    stream.close()
    fig_lang = plots.use_language(lang)
    if fig_lang != lang:
        notes.append(t("cli_no_cjk", lang))
    titles = {s.name: (s.title_zh if fig_lang == "zh" else s.title_en) or s.name for s in comp.scenarios}
    figures = {
        "forest": plots.forest(comp.table, comp.headline, comp.baseline, titles, fig_lang, tmp, order=comp.ranking),
        "timeseries": plots.timeseries(comp.bands, comp.order, titles, fig_lang, tmp),
        "skills": plots.skill_profile(comp.table, comp.order, titles, fig_lang, tmp),
        "survival": plots.survival_curves(comp.spell_counts, comp.order, titles, fig_lang, tmp),
    }
    ended = time.time()
    manifest = {
        "package": "sesim",
        "version": __version__,
        "git_commit": git_commit(),
        "command": list(argv),
        "scenarios": comp.order,
        "baseline": comp.baseline,
        "seeds": [comp.root_seed + i for i in range(comp.n_replicates)],
        "precision": comp.precision,
        "precision_reached": comp.precision_reached,
        "start": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "end": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(ended)),
        "wall_time_s": round(ended - started, 3),
        "python": platform.python_version(),
    }
    html = report.build(
        comp,
        lang,
        {k: v[0] for k, v in figures.items()},
        notes + comp.warnings,
        manifest,
        explain=explain,
        uncertainty=uncertainty,
    )
    (tmp / "report.html").write_text(html, encoding="utf-8")
    out.publish(manifest)
    return notes


REPORT_FILES = ("report.html", "uncertainty.png", "uncertainty.svg", "prob_best.png", "prob_best.svg")


def write_uncertainty_report(
    out: "Path | str", lang: str = "en", explain: "Path | str | Any | None" = None
) -> list[str]:
    """``report.html`` and its figures (``uncertainty``, ``prob_best``, PNG and SVG) from the tables in
    the folder ``out`` (a path or a string) and any ``sesim discover`` results inside it.  ``explain``
    (the folder of ``sesim explain``, one of its tables, or its result) adds "What carries the
    effect?"; without it, every ``sesim explain`` result found in ``out`` or its direct subfolders is
    included.  Each file is written in a hidden folder inside ``out`` and moved into place, so a report
    is whole or absent.  Returns warnings for the user, in ``lang``."""
    out = Path(out)
    if explain is None:
        found = report.find_explain(out)
        explain = found if found else None
    for stale in out.glob(".report-*"):  # left by a run killed while writing its report
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    data = report.load_uncertainty(out)
    from . import plots

    notes = []
    fig_lang = plots.use_language(lang)
    if fig_lang != lang:
        notes.append(t("cli_no_cjk", lang))
    titles = {s: (zh if fig_lang == "zh" else en) for s, (en, zh) in data.titles.items()}
    ranked = ranked_by(
        data.rank[data.rank["metric"].isin(data.headline)] if len(data.rank) else data.rank,
        data.order,
        data.baseline,
        data.weights,
    )
    tmp = out / f".report-{os.getpid()}"
    tmp.mkdir(exist_ok=True)
    try:
        figures = {}
        if data.headline:
            figures["uncertainty"] = plots.uncertainty_forest(
                data.diffs(), data.table, data.headline, ranked, titles, fig_lang, tmp
            )[0]
        if len(data.rank) and len(data.order) > 2:  # with one strategy "best" only repeats "better"
            figures["prob_best"] = plots.prob_best(
                data.rank, data.headline, [data.baseline, *ranked], titles, fig_lang, tmp
            )[0]
        (tmp / "report.html").write_text(
            report.build_uncertainty(data, lang, figures, notes, explain), encoding="utf-8"
        )
        for name in REPORT_FILES:
            if (tmp / name).exists():
                os.replace(tmp / name, out / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return notes
