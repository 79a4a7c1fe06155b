"""A workshop's decisions survive a crash and a full disk (docs/odd.md §11, the workshop room).

- every accepted submission is in the journal beside --out before the page says "submitted", so a
  ``kill -9`` before "advance year" loses none; the next start writes its decision log;
- a full disk: the journal was written (and room reserved for the submissions) before the game, the
  debrief fails in one line, keeps the journal, and "write the debrief again" works once there is space
  (a failed write releases its lock);
- a submission the journal cannot take is refused in one line and leaves the room as it was.

The full-disk cases run on a small tmpfs mounted for the test (root only); where mounting is not allowed,
they are skipped and the monkeypatched ENOSPC cases still run.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from sim.apps.workshop.journal import decisions_of, read_submissions
from sim.apps.workshop.room import Room
from sim.apps.workshop.server import Workshop, earlier_journals
from sim.outputs import OutputSlot
from sim.scenario import ScenarioError

ROOT = Path(__file__).resolve().parents[3]
SEED = 7
DEBRIEF_WAIT_S = 300  # generous: a debrief of these rooms takes seconds on a busy machine
COLS = ["round", "seat", "lever", "value"]


@contextmanager
def small_disk(folder: Path, size: str):
    """A tmpfs of ``size`` mounted at ``folder`` (skips the test where mounting is not allowed)."""
    folder.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({r.stderr.strip()[:80]})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(disk: Path) -> Path:
    """Fill the disk to its last byte; the filler file."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for size in (1 << 16, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError as e:
                assert e.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


def settle(ws: Workshop) -> None:
    deadline = time.monotonic() + DEBRIEF_WAIT_S
    while ws.debriefing and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not ws.debriefing


def enospc(*args, **kw):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


# ------------------------------------------------------------------ a failed write releases its lock
def test_a_lock_whose_pid_cannot_be_written_is_released(tmp_path, monkeypatch):
    """Writing the pid into the lock file needs a block of the disk: when that fails, the lock is
    released, so the next attempt (the debrief written again) is not locked out by its own process."""
    import sim.outputs as outputs

    monkeypatch.setattr(outputs.os, "write", enospc)
    with pytest.raises(OSError) as e:
        with OutputSlot(tmp_path / "out", "workshop"):
            pass
    assert e.value.errno == errno.ENOSPC
    monkeypatch.undo()
    assert not (tmp_path / ".out.lock").exists()
    with OutputSlot(tmp_path / "out", "workshop") as slot:  # not "another sesim command is writing"
        (slot.staging() / "a.txt").write_text("a")
        slot.publish({"package": "sesim"})
    assert (tmp_path / "out" / "a.txt").read_text() == "a"


def test_the_debrief_is_written_again_after_a_failed_lock(tmp_path, monkeypatch):
    """The facilitator's "write the debrief again" after the disk was full: the first debrief fails in
    one line, the journal stays, the second one is written and removes the journal."""
    import sim.outputs as outputs

    room = Room("baseline", schools=1, firms=2, rounds=1, seed=SEED)
    ws = Workshop(room, tmp_path / "out")
    ws.open_journal()
    s, secret = room.claim(room.token, "school:0")
    room.submit(s, secret, {"communication.depth": 0.8})
    monkeypatch.setattr(outputs.os, "write", enospc)
    ws.end()
    settle(ws)
    monkeypatch.undo()
    assert ws.debrief_error and "No space left on device" in ws.debrief_error and "\n" not in ws.debrief_error
    assert room.debrief_dir is None and read_submissions(ws.journal / "submissions.csv")
    ws.end()
    settle(ws)
    assert ws.debrief_error is None and room.debrief_dir == str(tmp_path / "out")
    assert pd.read_csv(tmp_path / "out" / "decisions.csv")["lever"].tolist() == ["communication.depth"]
    assert not ws.journal.exists()


def test_a_full_disk_loses_no_decision(tmp_path):
    """On a small tmpfs filled during the game: a submission still reaches the journal (its room was
    reserved when the workshop started), the debrief fails in one line and writes nothing, the journal
    keeps every decision; once space is freed, the debrief is written again and holds them all."""
    with small_disk(tmp_path / "disk", "32m") as disk:
        room = Room("baseline", schools=1, firms=2, rounds=2, seed=SEED)
        ws = Workshop(room, disk / "out")
        ws.open_journal()
        s, secret = room.claim(room.token, "school:0")
        room.submit(s, secret, {"communication.depth": 0.8})
        room.advance()
        filler = fill(disk)
        if ws._journal.reserved:  # fallocate: the journal's room was taken before the disk filled
            room.submit(s, secret, {"communication.depth": 0.3})
        ws.end()
        settle(ws)
        assert ws.debrief_error and "No space left on device" in ws.debrief_error
        assert "\n" not in ws.debrief_error and room.debrief_dir is None
        assert not (disk / "out").exists()
        assert not [p.name for p in disk.iterdir() if "partial" in p.name or p.name.endswith(".lock")]
        kept = decisions_of(read_submissions(ws.journal / "submissions.csv"))
        assert len(kept) == (2 if ws._journal.reserved else 1)
        filler.unlink()
        ws.end()  # "Write the debrief again"
        settle(ws)
        assert ws.debrief_error is None and room.debrief_dir == str(disk / "out")
        log = pd.read_csv(disk / "out" / "decisions.csv", dtype=str)
        assert log[COLS].values.tolist() == kept[COLS].astype(str).values.tolist()
        assert not ws.journal.exists()


def test_a_workshop_does_not_start_without_room_for_its_journal(tmp_path):
    with small_disk(tmp_path / "disk", "1m") as disk:
        fill(disk)
        room = Room("baseline", schools=1, firms=2, rounds=1, seed=SEED)
        ws = Workshop(room, disk / "out")
        with pytest.raises(ScenarioError) as e:
            ws.open_journal()
        text = str(e.value)
        assert "\n" not in text and "No space left on device" in text and str(ws.journal) in text
        assert not ws.journal.exists()


def test_a_submission_the_journal_cannot_take_is_refused(tmp_path, monkeypatch):
    """One line on the seat's page, nothing kept in the room, the facilitator told; the next one works."""
    room = Room("baseline", schools=1, firms=2, rounds=2, seed=SEED)
    ws = Workshop(room, tmp_path / "out")
    ws.open_journal()
    s, secret = room.claim(room.token, "school:0")
    f, fsecret = room.claim(room.token, "firm:0")
    room.submit(f, fsecret, {"hiring:graduates": 4})
    before = (room.current_levers(s), room.current_levers(f), room.seats[s].submitted, room.seats[s].submissions)
    monkeypatch.setattr(ws._journal, "append", enospc)
    for seat, sec, decisions in ((s, secret, {"communication.depth": 0.8}), (f, fsecret, {"hiring:graduates": "rule"})):
        with pytest.raises(ScenarioError) as e:
            room.submit(seat, sec, decisions)
        assert "\n" not in str(e.value) and "could not be kept" in str(e.value)
    assert (
        room.current_levers(s),
        room.current_levers(f),
        room.seats[s].submitted,
        room.seats[s].submissions,
    ) == before
    assert ws.journal_error and "No space left" in ws.journal_error
    monkeypatch.undo()
    room.submit(s, secret, {"communication.depth": 0.8})
    assert ws.journal_error is None
    room.end()
    log = room.decision_log()
    assert log[COLS].values.tolist() == [
        [0, "school:0", "communication.depth", "0.8"],
        [0, "firm:0", "partnership:leave_by_rule", "false"],  # the claim's
        [0, "firm:0", "hiring:graduates", "4"],
    ]


# ------------------------------------------------------------------ every submission, at once
def play(room: Room) -> None:
    """Two years of submissions, with a lever changed twice in a year and one set back to its value."""
    s, ss = room.claim(room.token, "school:0")
    f, fs = room.claim(room.token, "firm:1")
    room.submit(s, ss, {"communication.depth": 0.8, "craftsman.intensity": 0.6})
    room.submit(f, fs, {"hiring:graduates": 3, "partnership:accept_new": False})
    room.submit(s, ss, {"communication.depth": 0.7})
    room.advance(round=0)
    room.submit(s, ss, {"communication.depth": 0.4, "craftsman.intensity": 0.2})
    room.submit(f, fs, {"hiring:graduates": 5})
    in_force = room.current_levers(s, pending=False)["craftsman.intensity"]
    room.submit(s, ss, {"craftsman.intensity": in_force})  # withdrawn


def test_the_journal_holds_the_decision_log_the_room_plays(tmp_path):
    """The submissions' last values (withdrawn ones left out) are exactly the log the model takes."""
    room = Room("baseline", schools=2, firms=3, rounds=3, seed=SEED)
    ws = Workshop(room, tmp_path / "out")
    ws.open_journal()
    play(room)
    room.end()
    kept = decisions_of(read_submissions(ws.journal / "submissions.csv"))
    pd.testing.assert_frame_equal(kept.reset_index(drop=True), room.decision_log().reset_index(drop=True))
    assert len(kept) == 7 and "craftsman.intensity" not in kept[kept["round"] == 1]["lever"].tolist()


CHILD = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from sim.apps.workshop.room import Room
from sim.apps.workshop.server import Workshop
from tests.apps.workshop.test_journal import play
room = Room("baseline", schools=2, firms=3, rounds=3, seed={seed})
ws = Workshop(room, Path({out!r}))
ws.open_journal()
play(room)
print("submitted", flush=True)
sys.stdin.read()
"""


def test_a_kill_before_advance_loses_no_submitted_decision(tmp_path):
    """A workshop killed (SIGKILL) after its participants submitted and before the facilitator advanced:
    the next start beside the same folder finds the journal, writes its decision log, and offers the run;
    the log holds every decision the pages said were submitted, the unplayed year's too."""
    out = tmp_path / "out"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(root=str(ROOT), seed=SEED, out=str(out))],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline()
        assert line.strip() == "submitted", child.stderr.read()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    lines = earlier_journals(tmp_path / "workshop-NEXT")
    assert len(lines) == 1 and "sesim run" in lines[0] and "decisions.csv" in lines[0]
    journal = next(tmp_path.glob(".out.journal*"))
    kept = pd.read_csv(journal / "decisions.csv", dtype=str)
    same = Room("baseline", schools=2, firms=3, rounds=3, seed=SEED)
    play(same)
    same.end()
    assert kept[COLS].values.tolist() == same.decision_log()[COLS].astype(str).values.tolist()
    assert kept["round"].tolist().count("1") == 2  # the year not played yet
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "run",
            str(journal / "scenario.resolved.toml"),
            "--seeds",
            "1",
            "--decisions",
            str(journal / "decisions.csv"),
            "--out",
            str(tmp_path / "recovered"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    from sim import metrics

    got = pd.read_csv(tmp_path / "recovered" / "summary.csv").iloc[0]
    assert got["firm_retention"] == pytest.approx(metrics.compute(same.model)["firm_retention"], abs=1e-9)


def test_a_journal_without_decisions_is_not_offered(tmp_path):
    room = Room("baseline", schools=1, firms=2, rounds=1, seed=SEED)
    ws = Workshop(room, tmp_path / "out")
    ws.open_journal()
    ws._journal.close()  # stopped with nothing submitted
    assert earlier_journals(tmp_path / "out") == []
    ws.close_journal()
