"""Replicates streamed to disk as they finish, and read back in order (docs/odd.md §13).

``sesim run`` and ``sesim compare`` hand their replicates to a backend (:mod:`sim.backends`) in
small batches.  Each finished replicate's tables go at once into a *replicate store*: a folder
``OUT.replicates/`` beside the output folder, one Parquet file per replicate and table
(``r-000000012.timeseries.parquet``), each written under a hidden name and renamed, so a file is
whole or absent.  The summary table is written last: a replicate is stored when its summary file
exists.  The command keeps in memory only the summary rows and whatever running aggregates it
needs; when every replicate is stored it reads the store back in run order into the output tables
(:class:`ParquetStream`: row groups of a fixed number of rows, so a table's bytes do not depend on
the backend, the number of workers or the order replicates finished in), publishes the result and
removes the store.

Run ``i`` is replicate ``i // A`` of arm (scenario) ``i % A``; its seed is ``S + replicate``.  A
killed command leaves the store: ``--resume`` runs only the replicates missing from it, and the
shards of a job array (``--shard I/N``: the runs whose id is I modulo N) fill one store together,
after which the command with ``--resume`` writes the result.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import pandas as pd

from .params import Params
from .scenario import ScenarioError

KIND = "replicates"
MARKER = "replicates.json"
SUMMARY = "summary"  # the table written last: its file marks a stored replicate
ROW_GROUP_ROWS = 65_536  # rows per row group of an output table
MAX_BATCH = 2  # replicates per task: a task's tables in flight stay small
BATCHES_PER_WORKER = 4
FILE = re.compile(r"^r-(\d{9,})\.([a-z_]+)\.parquet$")


@dataclass(frozen=True)
class Arm:
    """One scenario as it runs: its name, parameters and, for a decision log, its schedule."""

    name: str
    params: Params
    schedule: dict | None = None


@dataclass(frozen=True)
class ReplicateJob:
    run_id: int
    arm: int
    replicate: int
    seed: int


@dataclass(frozen=True)
class Work:
    """What every worker gets once: the arms and the function that turns one replicate into tables
    (importable, so process pools and Dask workers can call it)."""

    arms: tuple[Arm, ...]
    tables: Callable[[Arm, ReplicateJob], dict[str, Any]]  # name -> a DataFrame, SpilledTable or ParquetBytes


class SpilledTable:
    """A replicate's table already written as a Parquet file (a large table is not held in memory:
    the spells of ``sesim run``, :mod:`sim.spells`).  In the process that wrote it the store moves
    the file into place; sent to another process (a pool's or Dask's worker returning it), it
    travels as the file's bytes (:class:`ParquetBytes`).  The folder it lies in goes with it."""

    def __init__(self, path: Path, folder: Path) -> None:
        import shutil
        import weakref

        self.path, self.folder = Path(path), Path(folder)
        self._cleanup = weakref.finalize(self, shutil.rmtree, str(self.folder), True)

    def __reduce__(self) -> tuple:
        return ParquetBytes, (self.path.read_bytes(),)

    def write(self, dest: Path) -> None:
        import shutil

        shutil.move(str(self.path), str(dest))
        self._cleanup()

    def frame(self) -> pd.DataFrame:
        return pd.read_parquet(self.path)


class ParquetBytes:
    """A table as the bytes of a Parquet file."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def write(self, dest: Path) -> None:
        dest.write_bytes(self.data)

    def frame(self) -> pd.DataFrame:
        import io

        return pd.read_parquet(io.BytesIO(self.data))


Table = "pd.DataFrame | SpilledTable | ParquetBytes"


def as_frame(table: "pd.DataFrame | SpilledTable | ParquetBytes") -> pd.DataFrame:
    """A replicate's table in memory, whichever way it came."""
    return table if isinstance(table, pd.DataFrame) else table.frame()


def work_batch(work: Work, jobs: list[ReplicateJob]) -> list[tuple[int, dict[str, pd.DataFrame]]]:
    """A batch of replicates in one task: ``(run_id, tables)`` for each."""
    from .tuning import tune_process

    tune_process()
    return [(j.run_id, work.tables(work.arms[j.arm], j)) for j in jobs]


def jobs(n_arms: int, first: int, last: int, root: int) -> list[ReplicateJob]:
    """Replicates ``first .. last - 1`` of every arm, in run order."""
    return [ReplicateJob(r * n_arms + a, a, r, root + r) for r in range(first, last) for a in range(n_arms)]


def batch_most(workers: int) -> int:
    """Replicates per task at most: one in-process (nothing to save), else :data:`MAX_BATCH`."""
    return 1 if workers <= 1 else MAX_BATCH


def split(todo: list[ReplicateJob], workers: int) -> list[list[ReplicateJob]]:
    """Guided batches (a share of what is left, at most :func:`batch_most`), handed out in run order."""
    out, i = [], 0
    while i < len(todo):
        k = max(1, min(batch_most(workers), -(-(len(todo) - i) // (max(1, workers) * BATCHES_PER_WORKER))))
        out.append(todo[i : i + k])
        i += k
    return out


def fingerprint(command: str, arms: Iterable[Arm], root: int) -> str:
    """What a store's replicates depend on: the command, every arm's resolved scenario and
    schedule, and the root seed (not the number of replicates: a resumed run may add some)."""
    from .scenario import Scenario, to_toml

    parts: list[Any] = [command, root]
    for a in arms:
        parts.append(
            [
                a.name,
                to_toml(Scenario(name=a.name, params=a.params)),
                json.dumps(a.schedule, sort_keys=True, default=str),
            ]
        )
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def store_path(out: Path) -> Path:
    out = Path(os.path.abspath(out))
    return out.parent / f"{out.name}.replicates"


class ReplicateStore:
    """The replicate files of one command in one folder (see the module's docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    # --- the folder ----------------------------------------------------------------------------
    def check(self, print_: str, resume: bool, shard: tuple[int, int] | None) -> None:
        """Refuse, in one line and before anything is written, a store this command may not use:
        not sesim's, another command's, or (without ``--resume``) one a killed run left."""
        from .outputs import check_resumable, read_json_manifest

        check_resumable(self.folder, KIND)
        m = read_json_manifest(self.folder / MARKER) if self.folder.is_dir() else None
        if m is None:
            return
        n = len(self.stored())
        if not n:  # a store with no replicate yet holds nothing to lose: open() takes it over
            return
        if m.get("fingerprint") != print_:
            raise ScenarioError(
                f"{self.folder}: holds the replicates of another command (other scenarios, "
                "levers or root seed); finish that one with --resume, or choose another --out"
            )
        if not resume and not shard:
            raise ScenarioError(
                f"{self.folder}: holds {n} replicates of this command, left by a run that did "
                "not finish; add --resume to continue it"
            )

    def open(self, print_: str, argv: list[str]) -> None:
        """Create the folder with its manifest (first, so it always says sesim wrote it)."""
        from .outputs import read_json_manifest

        self.folder.mkdir(parents=True, exist_ok=True)
        marker = self.folder / MARKER
        m = read_json_manifest(marker) if marker.exists() else None
        if m is not None and m.get("fingerprint") != print_ and not self.stored():
            marker.unlink()  # another command's, killed before its first replicate
        if not marker.exists():
            _write_json(
                marker,
                {
                    "package": "sesim",
                    "kind": KIND,
                    "command": list(argv),
                    "fingerprint": print_,
                    "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                },
            )
        for t in self.folder.glob(".tmp-*"):  # pieces a killed run never finished
            t.unlink(missing_ok=True)

    def remove(self) -> None:
        """Remove the store: only the files sesim writes into it, then the folder if that empties it."""
        if not self.folder.is_dir():
            return
        for p in self.folder.iterdir():
            if FILE.match(p.name) or p.name == MARKER or p.name.startswith(".tmp-"):
                p.unlink(missing_ok=True)
        try:
            self.folder.rmdir()
        except OSError:
            pass

    # --- replicates ----------------------------------------------------------------------------
    def _file(self, run_id: int, table: str) -> Path:
        return self.folder / f"r-{run_id:09d}.{table}.parquet"

    def stored(self) -> set[int]:
        if not self.folder.is_dir():
            return set()
        out = set()
        for p in self.folder.iterdir():
            m = FILE.match(p.name)
            if m and m.group(2) == SUMMARY:
                out.add(int(m.group(1)))
        return out

    def put(self, run_id: int, tables: dict[str, pd.DataFrame]) -> None:
        for name in sorted(tables, key=lambda n: n == SUMMARY):  # the summary last
            final = self._file(run_id, name)
            tmp = final.with_name(f".tmp-{os.getpid()}-{final.name}")
            try:
                table = tables[name]
                if isinstance(table, pd.DataFrame):
                    table.to_parquet(tmp, index=False)
                else:
                    table.write(tmp)
                os.replace(tmp, final)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise

    def has(self, run_id: int, table: str) -> bool:
        """Whether replicate ``run_id`` stored ``table`` (a run with industry colleges stores their tables)."""
        return self._file(run_id, table).is_file()

    def get(self, run_id: int, table: str) -> pd.DataFrame:
        path = self._file(run_id, table)
        try:
            return pd.read_parquet(path)
        except Exception as e:  # a file damaged after it was written (a full disk, a copy cut short)
            raise self._damaged(path, e) from None

    def parts(self, run_id: int, table: str) -> Iterator[pd.DataFrame]:
        """A replicate's table one row group at a time (a long run's spells are not read whole)."""
        import pyarrow.parquet as pq

        path = self._file(run_id, table)
        try:
            f = pq.ParquetFile(path)
            groups = range(f.num_row_groups)
        except Exception as e:
            raise self._damaged(path, e) from None
        if not f.num_row_groups:
            yield pd.read_parquet(path)
            return
        for g in groups:
            try:
                df = f.read_row_group(g).to_pandas()
            except Exception as e:
                raise self._damaged(path, e) from None
            yield df

    @staticmethod
    def _damaged(path: Path, e: Exception) -> ScenarioError:
        return ScenarioError(
            f"{path}: cannot read ({type(e).__name__}); delete it and run the command again with --resume"
        )


def run_jobs(
    store: ReplicateStore,
    work: Work,
    todo: list[ReplicateJob],
    backend: Any,
    bar: Any = None,
    keep: Callable[[int, dict[str, pd.DataFrame]], None] | None = None,
) -> int:
    """Run every job of ``todo`` not yet stored, storing each replicate as it arrives; ``keep`` sees
    each replicate's tables first (e.g. to keep its summary row).  ``backend`` must be entered."""
    done = store.stored()
    todo = [j for j in todo if j.run_id not in done]
    ran = 0
    for results in backend.imap(work_batch, work, split(todo, backend.workers)):
        for run_id, tables in results:
            if keep is not None:
                keep(run_id, tables)
            store.put(run_id, tables)
            ran += 1
        if bar is not None:
            bar.update(len(results))
        del results
    return ran


class ParquetStream:
    """Tables appended in order into one Parquet file, in row groups of exactly ``rows`` rows (the
    last may be shorter), so the file's bytes depend only on the rows, not on how they arrived.
    Later tables are cast to the first one's schema."""

    def __init__(self, path: Path, rows: int = ROW_GROUP_ROWS) -> None:
        self.path, self.rows = Path(path), rows
        self._writer = None
        self._schema = None
        self._pending: list[Any] = []
        self._n = 0

    def add(self, df: pd.DataFrame) -> None:
        import pyarrow as pa

        if self._schema is None:
            table = pa.Table.from_pandas(df, preserve_index=False)
            self._schema = table.schema
        else:
            table = pa.Table.from_pandas(df, schema=self._schema, preserve_index=False)
        self._pending.append(table)
        self._n += table.num_rows
        if self._n >= self.rows:
            self._flush(final=False)

    def _flush(self, final: bool) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._schema is None:
            return
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, self._schema)
        table = pa.concat_tables(self._pending) if self._pending else self._schema.empty_table()
        start = 0
        while table.num_rows - start >= self.rows or (final and table.num_rows - start > 0):
            k = min(self.rows, table.num_rows - start)
            self._writer.write_table(table.slice(start, k), row_group_size=self.rows)
            start += k
        rest = table.slice(start)
        self._pending = [rest] if rest.num_rows else []
        self._n = rest.num_rows

    def close(self) -> None:
        self._flush(final=True)
        if self._writer is not None:
            self._writer.close()
            self._writer = None


def iter_tables(store: ReplicateStore, run_ids: Iterable[int], table: str) -> Iterator[pd.DataFrame]:
    """One table of every replicate, in the order given (run order), one row group of one replicate
    at a time."""
    for rid in run_ids:
        yield from store.parts(rid, table)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)
