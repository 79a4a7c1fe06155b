"""Replicates on a backend (:mod:`sim.backends`), and the five output files of ``sesim run``.

Replicate *i* uses seed ``S + i`` (docs/odd.md §4, random streams); every replicate is independent of the
worker that runs it, so results are identical with 1 or N workers and on every backend.
``sesim run`` streams replicates to a store on disk as they finish (:mod:`sim.replicates`).
"""

from __future__ import annotations

import copy
import platform
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from . import metrics
from .backends import LocalBackend
from .model import CooperationModel
from .outputs import OutputSlot
from .params import Params
from .policy import DecisionLog, write_decision_log
from .progress import progress_bar
from .replicates import (
    Arm,
    ParquetStream,
    ReplicateJob,
    ReplicateStore,
    SpilledTable,
    Work,
    as_frame,
    iter_tables,
    jobs,
    run_jobs,
    split,
    work_batch,
)
from .scenario import Scenario, to_toml
from .spells import remove_folder, spell_frames, spells, spill_folder
from .spreadsheet import write_csv
from .tuning import arrow_system_allocator, tune_process
from .version import __version__


@dataclass
class RunResult:
    summary: pd.DataFrame
    timeseries: pd.DataFrame
    spells: pd.DataFrame
    colleges: pd.DataFrame | None = None  # per industry college (docs/odd.md M18); None without one
    college_members: pd.DataFrame | None = None  # per member firm of a college


# the per-college tables a run with industry colleges adds (docs/odd.md M18, §7.6): colleges.csv and
# college_members.csv beside summary.csv
COLLEGE_TABLES = ("colleges", "college_members")


def college_tables(model: CooperationModel, scenario: str, replicate: int) -> dict[str, pd.DataFrame]:
    """A finished replicate's per-college and per-member outcomes (none without a college)."""
    if model.colleges is None:
        return {}
    from .mechanisms import college

    out = {}
    for name, rows in zip(COLLEGE_TABLES, college.outcomes(model)):
        df = pd.DataFrame(rows)
        df.insert(0, "seed", model.seed_value)
        df.insert(0, "replicate", replicate)
        df.insert(0, "scenario", scenario)
        out[name] = df
    return out


def run_model(params: Params, seed: int, decisions: dict | None = None, spill: Path | None = None) -> CooperationModel:
    """One replicate's model, run to the end (``spill``: where its final spell rows go, sim.spells)."""
    tune_process()
    p = copy.deepcopy(params)
    p.run.seed = seed
    return CooperationModel(p, seed=seed, decisions=decisions, spill=spill).run()


def summary_and_series(model: CooperationModel, scenario: str, replicate: int) -> tuple[dict, pd.DataFrame]:
    """A finished replicate's summary row and monthly series."""
    row = {"scenario": scenario, "replicate": replicate, "seed": model.seed_value, **metrics.compute(model)}
    ts = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    ts.insert(0, "month", np.arange(len(ts)))
    ts.insert(0, "replicate", replicate)
    ts.insert(0, "scenario", scenario)
    return row, ts


def run_replicate(
    params: Params, seed: int, replicate: int, scenario: str, decisions: dict | None = None
) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """One replicate: its summary row, its monthly series, its spells.  ``decisions``: the schedule
    of a decision log (:class:`sim.policy.DecisionLog`), seat -> round -> decisions."""
    model = run_model(params, seed, decisions)
    row, ts = summary_and_series(model, scenario, replicate)
    return row, ts, spells(model, scenario, replicate)


def run_tables(arm: Arm, job: ReplicateJob) -> dict[str, Any]:
    """One replicate of ``sesim run`` as the tables it writes (importable: workers call it).  Its
    spells are written to a file as they become final and handed on as that file
    (:class:`~sim.replicates.SpilledTable`): a long run's spells are never whole in memory."""
    folder = spill_folder()
    try:
        model = run_model(arm.params, job.seed, arm.schedule, spill=folder)
        row, ts = summary_and_series(model, arm.name, job.replicate)
        stream = ParquetStream(folder / "spells.parquet")
        for df in spell_frames(model, arm.name, job.replicate):
            stream.add(df)
        stream.close()
        model.spell_log.close()
    except BaseException:
        remove_folder(folder)
        raise
    return {
        "summary": pd.DataFrame([row]),
        "timeseries": ts,
        "spells": SpilledTable(folder / "spells.parquet", folder),
        **college_tables(model, arm.name, job.replicate),
    }


def collect(results: list[tuple[dict, pd.DataFrame, pd.DataFrame]]) -> RunResult:
    """Stack replicate results into the three tables."""
    summary = pd.DataFrame([r[0] for r in results])
    ts = pd.concat([r[1] for r in results], ignore_index=True)
    sp = pd.concat([r[2] for r in results], ignore_index=True)
    return RunResult(summary, ts, sp)


def run_replicates(
    scn: Scenario,
    seeds: int = 10,
    seed: int | None = None,
    workers: int = 1,
    progress: bool = False,
    decisions: "DecisionLog | None" = None,
    backend: Any = None,
) -> RunResult:
    """Replicates ``seed + i`` held in memory (for small runs from Python; ``sesim run`` streams
    them to disk, :func:`run_to_store`); ``decisions``: a checked decision log every replicate
    follows; ``backend``: one of :mod:`sim.backends` (default a local pool of ``workers``)."""
    root = scn.params.run.seed if seed is None else seed
    schedule = decisions.schedule if decisions is not None else None
    work = Work((Arm(scn.name, scn.params, schedule),), run_tables)
    bar = progress_bar(seeds, scn.name) if progress else None
    by: dict[int, dict[str, pd.DataFrame]] = {}
    with backend or LocalBackend(workers) as b:
        for results in b.imap(work_batch, work, split(jobs(1, 0, seeds, root), b.workers)):
            by.update(results)
            bar and bar.update(len(results))
    if bar:
        bar.close()
    tables = [by[i] for i in range(seeds)]
    colleges = {
        name: pd.concat([t[name] for t in tables], ignore_index=True) if any(name in t for t in tables) else None
        for name in COLLEGE_TABLES
    }
    return RunResult(
        pd.concat([t["summary"] for t in tables], ignore_index=True),
        pd.concat([t["timeseries"] for t in tables], ignore_index=True),
        pd.concat([as_frame(t["spells"]) for t in tables], ignore_index=True),
        **colleges,
    )


def run_to_store(
    scn: Scenario,
    store: ReplicateStore,
    run_ids: list[int],
    root: int,
    backend: Any,
    decisions: "DecisionLog | None" = None,
    progress: bool = True,
) -> int:
    """Run the replicates ``run_ids`` not yet in ``store`` (each written there as it finishes);
    returns how many ran."""
    schedule = decisions.schedule if decisions is not None else None
    work = Work((Arm(scn.name, scn.params, schedule),), run_tables)
    wanted = set(run_ids)
    todo = [j for j in jobs(1, 0, max(run_ids) + 1 if run_ids else 0, root) if j.run_id in wanted]
    left = len(wanted - store.stored())
    bar = progress_bar(left, scn.name) if progress and left else None
    try:
        with backend:
            return run_jobs(store, work, todo, backend, bar)
    finally:
        if bar:
            bar.close()


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True, text=True, timeout=5
        )
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def write_outputs(
    res: "RunResult | tuple[ReplicateStore, list[int]]",
    scn: Scenario,
    out: "Path | OutputSlot",
    argv: Iterable[str],
    seeds: list[int],
    started: float,
    ended: float,
    decisions: "DecisionLog | None" = None,
) -> pd.DataFrame:
    """Write the five files into a hidden folder beside ``out``, then swap it into place; with a
    decision log also ``decisions.csv`` (the log as applied) and the log's hash in the manifest.
    Returns the summary table.

    ``res`` is a :class:`RunResult` in memory, or a replicate store and the run ids to write, read
    back one replicate at a time (the tables are never whole in memory).  ``out`` is an
    :class:`~sim.outputs.OutputSlot` held since before the run, or a folder (then a slot is taken
    here): an existing folder is replaced only if it holds a sesim run result.
    """
    if not isinstance(out, OutputSlot):
        with OutputSlot(Path(out), "run") as slot:
            return write_outputs(res, scn, slot, argv, seeds, started, ended, decisions)
    arrow_system_allocator()  # tables are streamed through pyarrow: memory stays flat (sim.tuning)
    tmp = out.staging()
    ran = copy.deepcopy(scn)
    ran.params.run.seed = seeds[0] if seeds else scn.params.run.seed  # what ran: replicate i used seed + i
    if isinstance(res, RunResult):
        parts: dict[str, Iterable[pd.DataFrame]] = {
            "summary": [res.summary],
            "timeseries": [res.timeseries],
            "spells": [res.spells],
        }
        summary = res.summary
    else:
        store, ids = res
        parts = {name: iter_tables(store, ids, name) for name in ("timeseries", "spells")}
        summary = pd.concat(list(iter_tables(store, ids, "summary")), ignore_index=True)
    write_csv(summary, tmp / "summary.csv", float_format="%.10g")
    for name in ("timeseries", "spells"):
        stream = ParquetStream(tmp / f"{name}.parquet")
        for df in parts[name]:
            stream.add(df)
        stream.close()
    (tmp / "scenario.resolved.toml").write_text(to_toml(ran), encoding="utf-8")
    if scn.params.colleges.tables:  # per-college outputs beside the summary (docs/odd.md M18)
        for name in COLLEGE_TABLES:
            if isinstance(res, RunResult):
                frames = [getattr(res, name)] if getattr(res, name) is not None else []
            else:
                frames = list(iter_tables(store, ids, name))
            if frames:
                write_csv(pd.concat(frames, ignore_index=True), tmp / f"{name}.csv", float_format="%.10g")
    extra = {}
    if decisions is not None:
        write_decision_log(decisions.frame, tmp / "decisions.csv")
        extra["decisions"] = decisions.manifest()
    out.publish(
        {
            "package": "sesim",
            "version": __version__,
            "git_commit": git_commit(),
            "command": list(argv),
            "scenario": scn.name,
            "scenario_file": scn.path,
            "overrides": scn.overrides,
            "seeds": seeds,
            "start": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
            "end": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(ended)),
            "wall_time_s": round(ended - started, 3),
            "python": platform.python_version(),
            **extra,
        }
    )
    return summary


def interval_table(summary: pd.DataFrame, columns: Iterable[str] = metrics.METRICS) -> pd.DataFrame:
    """Mean and 95% t-interval of each metric over replicates."""
    from scipy import stats

    rows = []
    for c in columns:
        x = summary[c].dropna().to_numpy(float)
        n = len(x)
        mean = float(np.mean(x)) if n else float("nan")
        if n > 1:
            half = float(stats.t.ppf(0.975, n - 1) * np.std(x, ddof=1) / np.sqrt(n))
        else:
            half = float("nan")
        rows.append({"metric": c, "mean": mean, "ci_low": mean - half, "ci_high": mean + half, "n": n})
    return pd.DataFrame(rows)
