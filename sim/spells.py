"""The spells table of a run (``spells.parquet``, docs/odd.md §7.6): partnerships, graduates' jobs
and placements, each with its start, end (or censored) and why it ended.

Its rows are in a fixed order: partnerships; jobs that ended, in the order they ended; jobs still
held at the end (censored), by student; placements, by student.  A run does not keep the rows of
students it has folded (sim.folding) nor of jobs that ended long ago: :class:`SpellLog` takes
them as they become final, in memory (a Python run) or spilled to Parquet files in a folder
(``sesim run``), and :func:`spell_frames` gives the whole table, part after part, in that order.
A student is ``student<row>`` with its row counted from the start of the run.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import numpy as np
import pandas as pd

from .state import BREAK_REASONS, EMPLOYED, END_REASONS, FOLLOW_UP_MONTHS, QUIT_REASONS

if TYPE_CHECKING:
    import pyarrow as pa

    from .model import CooperationModel

PARTS = ("ended", "held", "placement")  # ended jobs, jobs held at the end (censored), placements
DTYPES = {"start_month": np.int32, "end_month": np.int64}  # as the whole table always had them
JOB_KINDS = ("job", "job_partner")  # a job's kind by whether it is with a partner firm
PLACEMENT_ENDS = ("completed", "broken", "censored")  # how a placement ended
SPILL_ROWS = 65_536  # rows a spilled part's writer collects before it writes


def _text_type() -> "pa.DataType":
    """Arrow's type of the table's text columns (pandas' "str" columns hold large strings)."""
    import pyarrow as pa

    return pa.large_string()


def _who(prefix: str, rows: np.ndarray, firms: np.ndarray) -> pd.Series:
    """``<prefix><row>-firm<firm>`` for every pair, joined by Arrow (millions of rows at a province)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def text(x: np.ndarray) -> "pa.Array":
        return pc.cast(pa.array(np.asarray(x, np.int64)), _text_type())

    joined = pc.binary_join_element_wise(
        pa.scalar(prefix, _text_type()),
        text(rows),
        pa.scalar("-firm", _text_type()),
        text(firms),
        pa.scalar("", _text_type()),
    )
    return pd.Series(pd.array(joined, dtype="str"))


def _text(values: "np.ndarray | str | pa.Array", n: int) -> pd.api.extensions.ExtensionArray:
    """A text column: an array of strings (NumPy's or Arrow's), or one string for every row."""
    import pyarrow as pa

    if isinstance(values, str):
        values = pa.repeat(pa.scalar(values, _text_type()), n)
    elif not isinstance(values, pa.Array):
        arr = np.asarray(values)
        values = pa.array(arr.astype(str) if arr.dtype == object else arr, type=_text_type())
    return pd.array(values, dtype="str")


def _lookup(names: tuple[str, ...], codes: np.ndarray) -> "pa.Array":
    """Each code's name (code -1: no name, "")."""
    import pyarrow as pa

    return pa.array(("",) + names, type=_text_type()).take(pa.array(np.asarray(codes, np.int64) + 1))


def _frame(
    kind: "np.ndarray | str | pa.Array",
    who: pd.Series,
    start: np.ndarray,
    end: np.ndarray,
    censored: np.ndarray,
    reason: "np.ndarray | str | pa.Array",
    first_job: np.ndarray | bool,
    quit_reason: "np.ndarray | str | pa.Array",
) -> pd.DataFrame:
    n = len(who)
    return pd.DataFrame(
        {
            "kind": _text(kind, n),
            "who": who.array if n else _text("", 0),
            "start_month": np.asarray(start).astype(DTYPES["start_month"]),
            "end_month": np.asarray(end).astype(DTYPES["end_month"]),
            "censored": np.asarray(censored, bool),
            "reason": _text(reason, n),
            "first_job": np.broadcast_to(np.asarray(first_job, bool), (n,)).copy(),
            "quit_reason": _text(quit_reason, n),
        }
    )


def ended_jobs(model: "CooperationModel") -> pd.DataFrame:
    """The jobs that ended since the last call (``model.job_spells``, rows of the arrays as they
    stand), as spell rows; the record is emptied.  Called before any row is folded."""
    st, W = model.students, model.warmup
    chunks, model.job_spells = model.job_spells, []
    if chunks:
        rows, firm, partner, start, end, reason, why = (np.concatenate(x) for x in zip(*chunks))
    else:
        rows = firm = start = end = why = np.zeros(0, np.int64)
        partner = np.zeros(0, bool)
        reason = np.zeros(0, str)
    rows = rows.astype(np.int64)
    first = (st.first_hire[rows] == start) & (st.first_employer[rows] == firm)
    return _frame(
        _lookup(JOB_KINDS, np.asarray(partner, np.int64)),
        _who("student", st.first_row + rows, firm),
        start - W,
        end - W,
        np.zeros(len(rows), bool),
        reason.astype(str),
        first,
        _lookup(QUIT_REASONS, why),
    )


def held_jobs(model: "CooperationModel", rows: slice, T: int) -> pd.DataFrame:
    """Jobs held by the students ``rows`` (censored where follow-up stops: quits are not simulated
    after it, or at the end of the run ``T``)."""
    st, W = model.students, model.warmup
    cur = rows.start + np.flatnonzero(st.status[rows] == EMPLOYED)
    firm = st.employer[cur]
    first = (st.first_hire[cur] == st.hire_month[cur]) & (st.first_employer[cur] == firm)
    return _frame(
        _lookup(JOB_KINDS, st.job_partner[cur].astype(np.int64)),
        _who("student", st.first_row + cur, firm),
        st.hire_month[cur] - W,
        np.minimum(T, st.grad_month[cur] + FOLLOW_UP_MONTHS + 1) - W,
        np.ones(len(cur), bool),
        "censored",
        first,
        "",
    )


def placements(model: "CooperationModel", rows: slice, T: int) -> pd.DataFrame:
    """Placements (M4, M6) of the students ``rows``: completed at graduation, broken off (the month,
    and in quit_reason why: resistance or an outside option), or still under way at ``T`` (censored)."""
    st, W = model.students, model.warmup
    placed = rows.start + np.flatnonzero(st.intern_start[rows] >= 0)
    iend, brk = st.intern_end[placed], st.intern_break[placed]
    ongoing = iend < 0
    return _frame(
        "internship",
        _who("student", st.first_row + placed, st.intern_firm[placed]),
        st.intern_start[placed] - W,
        np.where(ongoing, T, iend) - W,
        ongoing,
        _lookup(PLACEMENT_ENDS, np.where(ongoing, 2, (brk >= 0).astype(np.int64))),
        False,
        _lookup(BREAK_REASONS, brk),
    )


def partnership_spells(model: "CooperationModel") -> pd.DataFrame:
    W, T = model.warmup, model.horizon
    p = model.partnerships
    n = p.n
    pend = p.end[:n]
    return _frame(
        "partnership",
        _who("school", p.school[:n], p.firm[:n]),
        p.start[:n] - W,
        np.where(pend >= 0, pend - W, T - W),
        pend < 0,
        np.array(END_REASONS)[p.reason[:n]],
        False,
        "",
    )


class SpellLog:
    """The spell rows that are final before the run ends, by part (:data:`PARTS`): in memory, or,
    with ``folder``, written to one Parquet file per part there as they come (memory then does
    not grow with the run's length)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else None
        self.frames: dict[str, list[pd.DataFrame]] = {p: [] for p in PARTS}
        self._writers: dict[str, object] = {}
        self._written: set[str] = set()  # parts with a file in folder, open or closed
        self._schema: object = None
        self.finished = False  # the run's last ended jobs added (spell_frames adds them once)

    def add(self, part: str, df: pd.DataFrame) -> None:
        if not len(df):
            return
        if self.folder is None:
            self.frames[part].append(df)
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._schema is None:
            self._schema = pa.Schema.from_pandas(df, preserve_index=False)
        table = pa.Table.from_pandas(df, schema=self._schema, preserve_index=False)
        if part not in self._writers:
            if part in self._written:
                raise RuntimeError(f"spell log: part {part!r} was read back and closed; nothing can be added")
            # a file read back once by this run: quick to write and to read (LZ4, and no dictionary
            # for the column of names, one per row), not the output's encoding
            self._writers[part] = pq.ParquetWriter(
                self.folder / f"{part}.parquet",
                self._schema,
                compression="lz4",
                use_dictionary=[c for c in self._schema.names if c != "who"],  # type: ignore[attr-defined]
            )
            self._written.add(part)
        self._writers[part].write_table(table, row_group_size=SPILL_ROWS)  # type: ignore[attr-defined]

    def close(self) -> None:
        for w in self._writers.values():
            w.close()  # type: ignore[attr-defined]

    def frames_of(self, part: str) -> Iterator[pd.DataFrame]:
        """The rows of ``part`` so far, in the order they came."""
        yield from self.frames[part]
        if self.folder is not None and part in self._written:
            import pyarrow.parquet as pq

            if part in self._writers:
                self._writers.pop(part).close()  # type: ignore[attr-defined]
            f = pq.ParquetFile(self.folder / f"{part}.parquet")
            for g in range(f.num_row_groups):
                yield f.read_row_group(g).to_pandas()


def spell_frames(model: "CooperationModel", scenario: str, replicate: int) -> Iterator[pd.DataFrame]:
    """The spells table of a finished (or stopped) run, part after part in the table's order, each
    with its scenario and replicate; the parts folded or ended earlier come from ``model.spell_log``."""
    T = model.horizon
    log: SpellLog = model.spell_log
    if not log.finished:  # the table can be asked for again (a debrief written a second time)
        log.add("ended", ended_jobs(model))
        log.finished = True
    window = slice(0, model.students.n)

    def parts() -> Iterator[pd.DataFrame]:
        yield partnership_spells(model)
        yield from log.frames_of("ended")
        yield from log.frames_of("held")
        yield held_jobs(model, window, T)
        yield from log.frames_of("placement")
        yield placements(model, window, T)

    for df in parts():
        df = df.copy(deep=False)  # the log's own frames stay as they are
        df.insert(0, "replicate", replicate)
        df.insert(0, "scenario", scenario)
        yield df


def spells(model: "CooperationModel", scenario: str, replicate: int) -> pd.DataFrame:
    """Partnerships and graduates' jobs and placements: start, end (or censored) and why they ended."""
    return pd.concat(list(spell_frames(model, scenario, replicate)), ignore_index=True)


def fold_spells(model: "CooperationModel", rows: slice) -> None:
    """Before the students ``rows`` are folded (the jobs that ended so far already taken,
    :func:`ended_jobs`): the jobs still held and the placements of those students (final: nothing
    changes them after follow-up)."""
    log: SpellLog = model.spell_log
    log.add("held", held_jobs(model, rows, model.horizon))
    log.add("placement", placements(model, rows, model.horizon))


def spill_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="sesim-spells-"))


def remove_folder(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
