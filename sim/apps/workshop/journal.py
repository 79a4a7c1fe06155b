"""The journal of a workshop's decisions, kept beside its output folder until the debrief holds them.

A workshop's decisions were made by people and cannot be made again, so they are written to disk before
anything else of the workshop needs space, and each one before the participant's page says "submitted":

- when the room opens: ``scenario.resolved.toml`` (the room's region and seed) and ``submissions.csv``
  (its header), each flushed to disk (``fsync``), and room reserved on the disk for the submissions the
  room can make (``fallocate`` beyond the end of the file, where the file system allows it), so a disk
  that fills up during the game still takes them;
- on every accepted submission: its rows appended to ``submissions.csv`` and flushed to disk.  The file is
  only ever appended to: a row ``round, seat, lever, value, time`` is a decision, a later row of the same
  round, seat and lever replaces it, and an empty value withdraws it (the seat set the lever back to the
  value in force);
- the debrief, once complete, holds the decisions (``decisions.csv``); then the journal is removed.

A workshop that stopped before its debrief (Ctrl+C, a crash, ``kill -9``, a full disk) leaves its journal;
the next ``sesim workshop`` beside the same folder finds it and writes ``decisions.csv`` from it, a decision
log that ``sesim run J/scenario.resolved.toml --seeds 1 --decisions J/decisions.csv`` replays (docs/odd.md §11,
the workshop room).
"""

from __future__ import annotations

import csv
import ctypes
import ctypes.util
import errno
import fcntl
import io
import os
import stat
from pathlib import Path
from typing import Iterable

from sim import policy as pol
from sim.spreadsheet import neutral_text, write_csv

SCENARIO = "scenario.resolved.toml"
SUBMISSIONS = "submissions.csv"
DECISIONS = "decisions.csv"  # written from submissions.csv when a stopped workshop is found
FILES = (SCENARIO, SUBMISSIONS, DECISIONS)
ROW_BYTES = 120  # a submission row: round, seat, lever, value, an ISO time
RESUBMISSIONS = 3  # room reserved for each lever to be set this many times a year
WITHDRAWN = ""  # the value of a row that withdraws a decision

Row = tuple[int, str, str, str, str]  # round, seat, lever, value (text as in a log; "" withdraws), time


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (replaced atomically) and flush it and its folder to disk."""
    part = path.with_name(f".{path.name}.partial")
    try:
        with open(part, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)  # nothing half-written stays behind
        raise
    _fsync_dir(path.parent)


def reserve(fd: int, size: int) -> bool:
    """Reserve ``size`` bytes of disk after the end of the open file ``fd`` without changing its length
    (Linux ``fallocate(FALLOC_FL_KEEP_SIZE)``), so later appends need no new space; False where the system
    or file system cannot (or the disk is already too full)."""
    name = ctypes.util.find_library("c")
    if not name or size <= 0:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    fn = getattr(libc, "fallocate64", None) or getattr(libc, "fallocate", None)
    if fn is None:
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64]
    keep_size = 1
    return fn(fd, keep_size, os.fstat(fd).st_size, size) == 0


def _line(row: Row) -> bytes:
    buf = io.StringIO()  # checked decisions: no cell a spreadsheet would run, kept so all the same
    csv.writer(buf, lineterminator="\n").writerow([neutral_text(x) for x in row])
    return buf.getvalue().encode("utf-8")


class Journal:
    """One room's journal folder (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.reserved = False  # whether the disk holds room for the submissions already
        self.rows = 0  # submission rows written
        self._fd: int | None = None  # submissions.csv, open and locked while the room runs

    @property
    def submissions(self) -> Path:
        return self.folder / SUBMISSIONS

    def open(self, scenario_toml: str, reserve_bytes: int) -> None:
        """Create the journal (its folder, the scenario, the submissions' header) before the game starts;
        an ``OSError`` (e.g. the disk is full) leaves nothing of it behind."""
        made = not self.folder.exists()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_durably(self.folder / SCENARIO, scenario_toml.encode("utf-8"))
            _write_durably(self.submissions, _line(pol.COLUMNS))
            self._fd = os.open(self.submissions, os.O_WRONLY | os.O_APPEND)
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # "in use": see in_use()
            self.reserved = reserve(self._fd, reserve_bytes)
        except BaseException:
            self.close()
            if made:
                self.drop()
            raise

    def append(self, rows: Iterable[Row]) -> None:
        """Append rows and flush them to disk; raises ``OSError`` when they could not be written (then the
        file is cut back to where it was, so a torn row never follows)."""
        data = b"".join(_line(r) for r in rows)
        if not data:
            return
        if self._fd is None:
            raise OSError(errno.EBADF, "the journal is not open", str(self.submissions))
        fd = self._fd
        end = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except OSError:
            try:
                os.ftruncate(fd, end)
            except OSError:
                pass
            raise
        self.rows += data.count(b"\n")

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # releases the lock
            self._fd = None

    def drop(self) -> None:
        """Remove the journal's own files and, when nothing else is left in it, its folder."""
        self.close()
        for name in FILES:
            for p in (self.folder / name, self.folder / f".{name}.partial"):
                p.unlink(missing_ok=True)
        try:
            self.folder.rmdir()
        except OSError:
            pass


def in_use(folder: Path) -> bool:
    """Whether a running workshop holds this journal (it keeps its submissions file locked)."""
    try:
        fd = os.open(Path(folder) / SUBMISSIONS, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
    return False


def read_submissions(path: Path) -> list[Row]:
    """The rows of a ``submissions.csv`` (a torn last line, from a crash mid-write, is left out); ``OSError``
    when it is not a regular file of at most :data:`sim.policy.MAX_LOG_BYTES`."""
    path = Path(path)
    st = os.lstat(path)
    if not stat.S_ISREG(st.st_mode) or st.st_size > pol.MAX_LOG_BYTES:
        raise OSError(errno.EINVAL, "not a submissions file of sesim's", str(path))
    text = path.read_bytes().decode("utf-8", "replace")
    lines = text.split("\n")
    complete = "\n".join(lines[:-1])  # the text after the last newline was never finished
    try:
        rows = list(csv.reader(io.StringIO(complete)))
    except csv.Error as e:
        raise OSError(errno.EINVAL, f"not a submissions file of sesim's ({e})", str(path)) from None
    out: list[Row] = []
    for r in rows[1:]:
        if len(r) != len(pol.COLUMNS):
            continue
        try:
            out.append((int(r[0]), r[1], r[2], r[3], r[4]))
        except ValueError:
            continue
    return out


def decisions_of(rows: Iterable[Row]) -> "pd.DataFrame":  # noqa: F821
    """The decision log the submissions come to: per round, seat and lever the last value, withdrawn
    ones left out, in the order the model takes them (:func:`sim.policy.decision_frame`)."""
    last: dict[tuple[int, str, str], tuple[str, str]] = {}
    for rnd, seat, lever, value, time in rows:
        key = (rnd, seat, lever)
        if value == WITHDRAWN:
            last.pop(key, None)
        else:
            last[key] = (value, time)
    return pol.decision_frame([(r, s, lv, v, t) for (r, s, lv), (v, t) in last.items()])


def write_decisions(folder: Path) -> Path:
    """Write ``decisions.csv`` of a journal from its submissions; the file written."""
    folder = Path(folder)
    frame = decisions_of(read_submissions(folder / SUBMISSIONS))
    buf = io.StringIO()
    write_csv(frame.astype({"seat": str, "lever": str, "value": str, "time": str}), buf)
    out = folder / DECISIONS
    _write_durably(out, buf.getvalue().encode("utf-8"))
    return out
