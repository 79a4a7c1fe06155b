"""Running a sweep: batches of runs on a local process pool or on Dask, stored as a
partitioned Parquet dataset that survives a crash.

Layout of an output folder ``DIR``::

    DIR/manifest.json            the design, the package version, progress and status
    DIR/manifest.shard-I-of-N.json   the same, for one shard of a job array (``--shard I/N``)
    DIR/design.parquet           the design points (raw coordinates and lever values)
    DIR/base.resolved.toml       the base scenario with every parameter
    DIR/runs/runs-*.parquet      one file per finished batch: a row per run

Each batch file is written under a hidden temporary name and renamed, so a file either holds
its whole batch or does not exist.  ``--resume`` reads the run ids already stored and runs the
rest; a batch file damaged all the same (a full disk, a copy cut short) is renamed aside to
``runs-*.parquet.damaged`` and its runs are run again, while every other reader names it and
says to resume.  Run ``i`` is design point ``i // replicates`` and replicate ``i % replicates``;
its seed depends only on the replicate (common random numbers), so a row can be re-run alone
and the table does not depend on the backend, the number of workers or the sharding.

The backends (a local process pool, Dask) are :mod:`sim.backends`, shared with ``sesim run`` and
``compare``.  Workers are long-lived processes that take runs in batches (a new process pays about 1.7 s to
import Mesa; a Dask task about 3 ms), so a cluster is not spent on start-up.
"""

from __future__ import annotations

import json
import math
import os
import shlex
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from sim.backends import (  # noqa: F401
    DASK_SETTINGS,
    JOBQUEUE,
    PLACEHOLDER_SCHEDULER,
    DaskBackend,
    LocalBackend,
    check_interface,
    dask_environment,
    import_dask,
    import_jobqueue,
    job_script,
    jobqueue_options,
    make_jobqueue_cluster,
)
from sim.inputs import shown
from sim.params import Params
from sim.scenario import ScenarioError
from sim.version import __version__

from .sweepfile import Sweep, apply

ID_COLUMNS = ("run_id", "point", "replicate", "seed")
STATUS_COLUMNS = ("status", "error")
MAX_BATCH = 25  # runs per batch at most: a lost batch costs at most this many runs
BATCHES_PER_WORKER = 4  # a batch takes at most 1/(4 x workers) of the runs left, so the load balances


@dataclass(frozen=True)
class Run:
    run_id: int
    point: int
    replicate: int
    seed: int
    levers: dict[str, Any]


@dataclass
class SweepOutcome:
    total: int
    done_before: int
    ran: int
    failed: int
    seconds: float
    status: str
    failures: list[tuple[int, str]] = field(default_factory=list)

    @property
    def runs_per_second(self) -> float:
        return self.ran / self.seconds if self.seconds > 0 else float("nan")


# --- one batch, on a worker ----------------------------------------------------------------
def run_one(base: Params, run: Run) -> dict[str, Any]:
    """One run: its row (metrics, or the error that stopped it)."""
    from sim import metrics
    from sim.model import CooperationModel

    row: dict[str, Any] = {
        "run_id": run.run_id,
        "point": run.point,
        "replicate": run.replicate,
        "seed": run.seed,
        **run.levers,
    }
    try:
        p = apply(base, run.levers)
        p.run.seed = run.seed
        model = CooperationModel(p, seed=run.seed).run()
        vals = metrics.compute(model)
        row.update(status="ok", error="", **{m: float(vals[m]) for m in metrics.ALL_METRICS})
    except Exception as e:  # a failing run is recorded, not fatal
        tb = traceback.extract_tb(e.__traceback__)
        at = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        row.update(status="failed", error=f"{type(e).__name__}: {e}{at}")
    return row


def run_batch(base: Params, runs: list[Run]) -> list[dict[str, Any]]:
    """A batch of runs in one task (importable, so process pools and Dask workers can call it)."""
    from sim.tuning import tune_process

    tune_process()
    return [run_one(base, r) for r in runs]


def to_frame(rows: list[dict[str, Any]], lever_keys: list[str]) -> pd.DataFrame:
    """Rows in the fixed column order: ids, levers, status, error, every metric."""
    from sim.metrics import ALL_METRICS

    cols = [*ID_COLUMNS, *lever_keys, *STATUS_COLUMNS, *ALL_METRICS]
    df = pd.DataFrame(rows)
    for m in ALL_METRICS:
        if m not in df:
            df[m] = np.nan
    df = df[cols]
    for m in ALL_METRICS:
        df[m] = df[m].astype(float)
    for c in ID_COLUMNS:
        df[c] = df[c].astype(np.int64)
    return df


# --- the runs of a sweep --------------------------------------------------------------------
def all_runs(sw: Sweep) -> list[Run]:
    """Every run of the sweep, by run id."""
    seeds = [sw.run_seed(r) for r in range(sw.replicates)]
    if sw.point_seeds:  # each point has its own seed (one replicate per point)
        return [Run(i, i, 0, int(sw.point_seeds[i]), pt) for i, pt in enumerate(sw.points())]
    return [
        Run(i * sw.replicates + r, i, r, seeds[r], pt) for i, pt in enumerate(sw.points()) for r in range(sw.replicates)
    ]


def parse_shard(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise ScenarioError(
            f"--shard {shown(text, raw=True)}: expected I/N, e.g. 0/10 (shard I of N, 0 <= I < N)"
        ) from None
    if n < 1 or not 0 <= i < n:
        raise ScenarioError(f"--shard {shown(text, raw=True)}: allowed I/N with N >= 1 and 0 <= I < N")
    return i, n


def batch_size(n_runs: int, workers: int, requested: int | None = None) -> int:
    """The size of the first batch (later ones shrink, see :func:`split`)."""
    if requested:
        return requested
    return max(1, min(MAX_BATCH, math.ceil(n_runs / (max(1, workers) * BATCHES_PER_WORKER))))


def split(todo: list[Run], workers: int, requested: int | None = None) -> list[list[Run]]:
    """Batches in the order they are handed out: guided self-scheduling, each batch a share
    of the runs still left, so early batches are large (few files, little overhead) and the
    last ones small (no worker idles while another finishes a long batch)."""
    out, i = [], 0
    while i < len(todo):
        k = batch_size(len(todo) - i, workers, requested)
        out.append(todo[i : i + k])
        i += k
    return out


# --- storage --------------------------------------------------------------------------------
class DamagedBatch(ScenarioError):
    """A ``runs-*.parquet`` file that cannot be read (truncated, or garbled)."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path, self.reason = path, reason
        out = path.parent.parent
        super().__init__(f"{path}: damaged batch file ({reason}); run its runs again with '{resume_hint(out)}'")


def run_files(out: Path) -> list[Path]:
    return sorted((out / "runs").glob("runs-*.parquet"))


def read_batch(f: Path) -> pd.DataFrame:
    """One batch file, every column read (so a garbled page is found here, not later)."""
    import pyarrow as pa

    try:
        return pd.read_parquet(f)
    except PermissionError as e:
        raise ScenarioError(f"{f}: cannot read: {e.strerror}") from None
    except (pa.ArrowException, OSError) as e:
        why = (str(e).splitlines() or [""])[0].split("input source '" + str(f) + "': ")[-1]
        raise DamagedBatch(f, f"{type(e).__name__}: {why}") from None


def stored_runs(out: Path, set_aside: bool = False) -> pd.DataFrame:
    """``run_id`` and ``status`` of every stored row.  With ``set_aside`` a damaged batch file is
    renamed to ``*.damaged`` (out of the ``runs-*.parquet`` glob) with a one-line warning, so its
    runs count as not stored; without it, :class:`DamagedBatch` names the file."""
    parts = [pd.DataFrame({"run_id": pd.Series(dtype=np.int64), "status": pd.Series(dtype=object)})]
    for f in run_files(out):
        try:
            parts.append(read_batch(f)[["run_id", "status"]])
        except DamagedBatch as e:
            if not set_aside:
                raise
            aside = f.with_name(f.name + ".damaged")
            os.replace(f, aside)
            print(
                f"sesim: warning: {f}: damaged batch file ({e.reason}); moved aside to {aside.name}, "
                "its runs run again",
                file=sys.stderr,
            )
    return pd.concat(parts, ignore_index=True)


def stored_ids(out: Path, set_aside: bool = False) -> set[int]:
    return set(stored_runs(out, set_aside)["run_id"].tolist())


def load_runs(out: Path | str) -> pd.DataFrame:
    """Every stored run of a sweep, one row per run id, sorted by run id."""
    out = Path(out)
    files = run_files(out)
    if not files:
        raise ScenarioError(f"{out}: no sweep results here (expected {out}/runs/runs-*.parquet)")
    df = pd.concat([read_batch(f) for f in files], ignore_index=True)
    return df.drop_duplicates("run_id").sort_values("run_id").reset_index(drop=True)


def resume_command(
    file: str, out: Path, sets: list[str] | tuple[str, ...] = (), shard: tuple[int, int] | None = None
) -> str:
    """The ``sesim sweep`` command line that continues a sweep in ``out``."""
    args = ["sesim", "sweep", file, *(a for t in sets for a in ("--set", t))]
    return shlex.join([*args, *(["--shard", f"{shard[0]}/{shard[1]}"] if shard else []), "--resume", "--out", str(out)])


def resume_hint(out: Path) -> str:
    """:func:`resume_command` for the sweep whose manifest is in ``out`` (``FILE`` if none says)."""
    for m in [out / "manifest.json", *sorted(out.glob("manifest.shard-*.json"))]:
        try:
            d = json.loads(m.read_text(encoding="utf-8"))["sweep"]
            return resume_command(d.get("file") or "FILE", out, d.get("sets", []))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return resume_command("FILE", out)


def shard_tag(shard: tuple[int, int] | None) -> str:
    return "all" if shard is None else f"s{shard[0]}of{shard[1]}"


def write_batch(out: Path, df: pd.DataFrame, shard: tuple[int, int] | None = None) -> Path:
    """Write one batch under a hidden name, then rename it: a file is whole or absent."""
    ids = df["run_id"].to_numpy()
    final = out / "runs" / f"runs-{ids.min():09d}-{ids.max():09d}-{len(ids):04d}.parquet"
    tmp = final.with_name(f".tmp-{shard_tag(shard)}-{os.getpid()}-{final.name}")
    try:
        df.to_parquet(tmp, index=False)
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return final


def write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


def manifest_name(shard: tuple[int, int] | None) -> str:
    return "manifest.json" if shard is None else f"manifest.shard-{shard[0]}-of-{shard[1]}.json"


def read_manifest(out: Path) -> dict[str, Any]:
    p = out / "manifest.json"
    if not p.exists():
        shards = sorted(out.glob("manifest.shard-*.json"))
        if shards:
            raise ScenarioError(f"{out}: holds shards of a sweep; join them first with 'sesim sweep merge {out}'")
        raise ScenarioError(f"{out}: no manifest.json; is this the --out folder of 'sesim sweep'?")
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ScenarioError(f"{p}: cannot read: {e}") from None


def check_sweep_out(sw: Sweep, out: Path, shard: tuple[int, int] | None, resume: bool, kind: str = "sweep") -> None:
    """Refuse, in one line and before anything is written, an output folder this sweep may not
    run in: not new, empty or sesim's own output of ``kind`` (:func:`sim.outputs.check_resumable`),
    one that holds a sweep when ``resume`` is not given, or one that holds a different sweep."""
    from sim.outputs import check_resumable, read_json_manifest

    check_resumable(out, kind)
    manifests = [out / "manifest.json", *sorted(out.glob("manifest.shard-*.json"))] if out.is_dir() else []
    manifests = [m for m in manifests if m.exists()]
    # the shards of a job array share one folder: a shard minds only its own manifest
    own = out / manifest_name(shard)
    busy = own.exists() if shard else bool(manifests or (out.is_dir() and run_files(out)))
    if busy and not resume:
        what = f"shard {shard[0]}/{shard[1]} of a sweep" if shard else "a sweep"
        raise ScenarioError(
            f"--out {out}: already holds {what}; add --resume to continue it, or choose another folder with --out DIR"
        )
    for m in manifests:
        data = read_json_manifest(m)  # never a FIFO or a device: those would hang or never end
        if data is None:
            continue
        if data.get("fingerprint") != sw.fingerprint():
            raise ScenarioError(
                f"--out {out}: holds a different sweep ({m.name} does not match {sw.path}); "
                "choose another folder with --out DIR"
            )


def prepare_out(sw: Sweep, out: Path, shard: tuple[int, int] | None, resume: bool, kind: str = "sweep") -> set[int]:
    """Check the output folder (:func:`check_sweep_out`), then create it; return the run ids already
    stored.  The manifest is written first, so a folder this sweep created is always one whose
    manifest says sesim wrote it."""
    check_sweep_out(sw, out, shard, resume, kind)
    out.mkdir(parents=True, exist_ok=True)
    own = out / manifest_name(shard)
    if not own.exists():
        total = sw.n_runs() if shard is None else len(range(shard[0], sw.n_runs(), shard[1]))
        write_json(own, manifest(sw, shard, total, 0, 0, "starting", time.time(), kind=kind))
    (out / "runs").mkdir(parents=True, exist_ok=True)
    for t in (out / "runs").glob(f".tmp-{shard_tag(shard)}-*"):  # pieces of batches a killed run never finished
        t.unlink(missing_ok=True)
    if not (out / "design.parquet").exists():
        design = pd.DataFrame(sw.matrix(), columns=[f"x:{lv.key}" for lv in sw.levers])
        pts = pd.DataFrame(sw.points())
        design = pd.concat([pd.DataFrame({"point": np.arange(len(pts))}), design, pts], axis=1)
        tmp = out / f".tmp-{os.getpid()}-design.parquet"
        design.to_parquet(tmp, index=False)
        os.replace(tmp, out / "design.parquet")
    tmp = out / f".tmp-{os.getpid()}-base.resolved.toml"
    tmp.write_text(sw.base_toml, encoding="utf-8")
    os.replace(tmp, out / "base.resolved.toml")
    return stored_ids(out, set_aside=True) if resume else set()


def manifest(
    sw: Sweep,
    shard: tuple[int, int] | None,
    total: int,
    done: int,
    failed: int,
    status: str,
    started: float,
    extra: dict[str, Any] | None = None,
    kind: str = "sweep",
) -> dict[str, Any]:
    """A sweep's manifest; ``kind`` is the output the folder holds (an uncertainty comparison runs as
    a sweep in its own folder)."""
    from sim.runner import git_commit

    return {
        "package": "sesim",
        "version": __version__,
        "kind": kind,
        "git_commit": git_commit(),
        "command": list(sys.argv),
        "sweep": sw.describe(),
        "fingerprint": sw.fingerprint(),
        "n_points": sw.n_points(),
        "n_runs": sw.n_runs(),
        "shard": list(shard) if shard else None,
        "progress": {"total": total, "done": done, "failed": failed},
        "status": status,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "updated": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        **(extra or {}),
    }


# --- the sweep --------------------------------------------------------------------------------
def run_sweep(
    sw: Sweep,
    out: Path,
    backend: Any,
    shard: tuple[int, int] | None = None,
    resume: bool = False,
    batch: int | None = None,
    progress: bool = True,
    fn: Callable[[Params, list[Run]], list[dict[str, Any]]] = run_batch,
    kind: str = "sweep",
    lock: bool = True,
) -> SweepOutcome:
    """Run every run of the sweep (or of one shard) not yet stored in ``out``, holding the folder's
    lock (:class:`sim.outputs.ResumableLock`) unless ``lock`` is False (the caller holds it: an
    uncertainty comparison of ``kind`` "compare-uncertainty" runs its sweep in its own folder)."""
    if not lock:
        return _run_sweep(sw, out, backend, shard, resume, batch, progress, fn, kind)
    from sim.outputs import ResumableLock

    check_sweep_out(sw, out, shard, resume, kind)  # refused: not even a lock file is written
    with ResumableLock(out, shard=shard):
        return _run_sweep(sw, out, backend, shard, resume, batch, progress, fn, kind)


def _run_sweep(
    sw: Sweep,
    out: Path,
    backend: Any,
    shard: tuple[int, int] | None,
    resume: bool,
    batch: int | None,
    progress: bool,
    fn: Callable[[Params, list[Run]], list[dict[str, Any]]],
    kind: str,
) -> SweepOutcome:
    started = time.time()
    done = prepare_out(sw, out, shard, resume, kind)
    runs = all_runs(sw)
    if shard:
        runs = [r for r in runs if r.run_id % shard[1] == shard[0]]
    todo = [r for r in runs if r.run_id not in done]
    done_before = len(runs) - len(todo)
    batches = split(todo, backend.workers, batch)
    size = len(batches[0]) if batches else 0
    lever_keys = [lv.key for lv in sw.levers]
    mpath = out / manifest_name(shard)
    failed_before = _count_failed(out) if done_before else 0
    ran = failed = 0
    failures: list[tuple[int, str]] = []
    write_json(mpath, manifest(sw, shard, len(runs), done_before, failed_before, "running", started, kind=kind))
    bar = _bar(len(todo), sw.name) if progress else None
    t0 = time.time()
    status = "interrupted"
    try:
        with backend:
            for rows in backend.imap(fn, sw.base_params, batches):
                df = to_frame(rows, lever_keys)
                write_batch(out, df, shard)
                bad = df[df["status"] != "ok"]
                failures += list(zip(bad["run_id"].tolist(), bad["error"].tolist()))
                ran += len(df)
                failed += len(bad)
                write_json(
                    mpath,
                    manifest(
                        sw, shard, len(runs), done_before + ran, failed_before + failed, "running", started, kind=kind
                    ),
                )
                if bar is not None:
                    bar.update(len(df))
                    bar.set_postfix(failed=failed_before + failed, refresh=False)
        status = "complete"
    finally:
        seconds = time.time() - t0
        if bar is not None:
            bar.close()
        extra = {
            "runs_per_second": round(ran / seconds, 4) if seconds > 0 and ran else None,
            "backend": backend.name,
            "workers": backend.workers,
            "batch_size": size,
        }
        try:
            write_json(
                mpath,
                manifest(
                    sw, shard, len(runs), done_before + ran, failed_before + failed, status, started, extra, kind=kind
                ),
            )
        except OSError:
            pass
    return SweepOutcome(len(runs), done_before, ran, failed_before + failed, seconds, status, failures)


def _count_failed(out: Path) -> int:
    return int((stored_runs(out)["status"] != "ok").sum())


def _bar(total: int, name: str) -> Any:
    from sim.progress import progress_bar

    return progress_bar(total, f"sweep {name}", unit="run", smoothing=0.1)


# --- joining shards ---------------------------------------------------------------------------
def merge(out: Path, others: list[Path] = ()) -> tuple[int, int]:
    """Join shards (in ``out``, and copied in from ``others``) into one complete sweep.

    Returns (runs, failed).  Refuses, naming what is missing, unless every run is stored.  The
    joined ``manifest.json`` records this merge's command; the shards' are in ``shard_commands``.
    """
    from sim.outputs import ResumableLock, check_resumable

    out = Path(out)
    if not out.is_dir():
        raise ScenarioError(f"{out}: no such folder")
    check_resumable(out, ("sweep", "compare-uncertainty"), flag="sweep merge")
    with ResumableLock(out, flag="sweep merge"):
        return _merge(out, others)


def _merge(out: Path, others: list[Path]) -> tuple[int, int]:
    import shutil

    for o in others:
        o = Path(o)
        if not o.is_dir():
            raise ScenarioError(f"{o}: no such folder")
        (out / "runs").mkdir(exist_ok=True)
        for f in run_files(o):
            if not (out / "runs" / f.name).exists():
                shutil.copy2(f, out / "runs" / f".tmp-merge-{f.name}")
                os.replace(out / "runs" / f".tmp-merge-{f.name}", out / "runs" / f.name)
        for m in o.glob("manifest.shard-*.json"):
            if not (out / m.name).exists():
                shutil.copy2(m, out / m.name)
    shards = sorted(out.glob("manifest.shard-*.json"))
    mans = [_read_json(m) for m in shards]
    if not mans and (out / "manifest.json").exists():
        mans = [_read_json(out / "manifest.json")]
    if not mans:
        raise ScenarioError(f"{out}: no sweep manifest here; is this the --out folder of 'sesim sweep'?")
    fps = {m["fingerprint"] for m in mans}
    if len(fps) > 1:
        raise ScenarioError(f"{out}: shards of different sweeps are mixed here ({len(fps)} different designs)")
    n_runs = mans[0]["n_runs"]
    ids = stored_ids(out)
    missing = sorted(set(range(n_runs)) - ids)
    if missing:
        n_sh = {tuple(m["shard"])[1] for m in mans if m.get("shard")}
        where = ""
        if len(n_sh) == 1:
            n = n_sh.pop()
            short = sorted({i % n for i in missing})
            where = f"; shards with missing runs: {', '.join(f'{s}/{n}' for s in short)} (re-run them with --resume)"
        raise ScenarioError(f"{out}: {len(missing)} of {n_runs} runs are missing (first: run {missing[0]}){where}")
    failed = _count_failed(out)
    m = dict(mans[0])
    m.update(
        shard=None,
        status="complete",
        progress={"total": n_runs, "done": n_runs, "failed": failed},
        command=sys.argv,
        merged_from=[s.name for s in shards],
        shard_commands=[x.get("command") for x in mans],
        updated=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    )
    m.pop("runs_per_second", None)
    write_json(out / "manifest.json", m)
    return n_runs, failed


def _read_json(path: Path) -> dict[str, Any]:
    """A sweep manifest, or one line naming the damaged file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ScenarioError(f"{path}: damaged manifest ({e}); sesim cannot tell which sweep this is") from None
    if not isinstance(data, dict) or "fingerprint" not in data or "n_runs" not in data:
        raise ScenarioError(f"{path}: not a sweep manifest of sesim")
    return data
