"""What a seat types and what a workshop folder holds, read without a traceback (docs/odd.md §11).

A seat's form goes through :func:`sim.apps.workshop.app.parse_draft` and :meth:`Room.submit`: thousands of
digits or of brackets in "graduates to hire" are refused in one short line, and nothing is kept.
``sesim workshop replay DIR`` reads every file of the folder through the one regular-file and
size check, checks the manifest's values, and says when it could not compare the monthly series.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from sim import policy as pol
from sim.apps.workshop.app import parse_draft
from sim.apps.workshop.debrief import KIND, replay
from sim.apps.workshop.room import Room
from sim.inputs import MAX_SHOWN
from sim.scenario import ScenarioError, to_toml
from tests.helpers import call_cli

SEED = 5
DIGITS = "9" * 5000
DEEP = "[" * 3000
HUGE_TEXT = "x" * 100_000


@pytest.fixture(scope="module")
def room():
    return Room("baseline", schools=1, firms=2, rounds=2, seed=SEED)


@pytest.mark.parametrize(
    "key",
    [
        "hiring:graduates",
        "firm_support.mentors_per_firm",
        "partnership:accept_new",
        "partnership:school0:leave",
        HUGE_TEXT,
    ],
    ids=lambda k: k[:24],
)
@pytest.mark.parametrize(
    "typed",
    [DIGITS, DEEP, "0x" + "f" * 5000, HUGE_TEXT, 10**5000, "{" * 40 + "}" * 40, "1" * 400, [[1]] * 3],
    ids=["digits", "brackets", "hex", "text", "int", "braces", "400-digits", "lists"],
)
def test_a_seat_typing_thousands_of_digits_or_brackets_gets_one_short_line_and_nothing_is_kept(room, key, typed):
    seat, secret = "firm:0", room.seats["firm:0"].secret
    if secret is None:
        seat, secret = room.claim(room.token, "firm:0")
    view = room.seat_view(seat, secret)
    before = dict(room.current_levers(seat))
    with pytest.raises(ScenarioError) as e:
        room.submit(seat, secret, parse_draft(view, {key: typed}, "en"), round=view["round"])
    text = str(e.value)
    assert "\n" not in text and len(text) < 400, text[:1000]
    assert "x" * (MAX_SHOWN + 1) not in text and "9" * (MAX_SHOWN + 1) not in text
    assert room.current_levers(seat) == before


def test_the_same_form_in_chinese_is_refused_as_shortly(room):
    seat, secret = "school:0", room.seats["school:0"].secret
    if secret is None:
        seat, secret = room.claim(room.token, "school:0")
    view = room.seat_view(seat, secret)
    with pytest.raises(ScenarioError) as e:
        room.submit(seat, secret, parse_draft(view, {"communication.meetings_per_year": DIGITS}, "zh"))
    assert "\n" not in str(e.value) and len(str(e.value)) < 400


# ------------------------------------------------------------------ replay of a tampered folder
@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A workshop folder as the debrief writes the files replay reads (manifest, resolved scenario,
    decision log, played summary and monthly series), made with the replay itself."""
    room = Room("baseline", schools=1, firms=2, rounds=1, seed=SEED)
    s, ss = room.claim(room.token, "school:0")
    f, fs = room.claim(room.token, "firm:0")
    room.submit(s, ss, {"communication.depth": 0.9})
    room.submit(f, fs, {"hiring:graduates": "3"})
    room.end()
    d = tmp_path_factory.mktemp("ws") / "played"
    d.mkdir()
    (d / "manifest.json").write_text(json.dumps({"kind": KIND, "seed": SEED}))
    (d / "scenario.resolved.toml").write_text(to_toml(room.scenario))
    pol.write_decision_log(room.decision_log(), d / "decisions.parquet")
    (d / "summary.csv").write_text("placeholder\n")
    first = replay(d, d.parent / "first")
    for name in ("summary.csv", "timeseries.parquet"):
        shutil.copy(first.out / name, d / name)
    assert replay(d, d.parent / "second").same
    return d


call = call_cli


def tampered(folder: Path, tmp_path: Path, name: str, how) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    target = copy / name
    target.unlink(missing_ok=True)
    how(target)
    return copy


def fifo(p: Path) -> None:
    os.mkfifo(p)


def dev_zero(p: Path) -> None:
    p.symlink_to("/dev/zero")


def manifest(**values):
    return lambda p: p.write_text(json.dumps({"kind": KIND, **values}))


@pytest.mark.parametrize(
    "name, how, needle",
    [
        ("manifest.json", fifo, "manifest.json: not a regular file"),
        ("manifest.json", dev_zero, "manifest.json: not a regular file"),
        ("manifest.json", lambda p: p.write_bytes(b" " * (2 << 20)), "is too large for the manifest.json"),
        ("manifest.json", manifest(seed=-1), "key 'seed' = -1 is out of range: allowed 0..9223372036854775807"),
        ("manifest.json", manifest(seed=2**64), "key 'seed' = 18446744073709551616 is out of range"),
        ("manifest.json", manifest(seed="1"), "key 'seed' = '1': allowed an integer"),
        ("manifest.json", manifest(seed=HUGE_TEXT), "key 'seed' = 'xxxx"),
        ("manifest.json", manifest(), "key 'seed' = None: allowed an integer"),
        ("manifest.json", lambda p: p.write_text('{"kind": "workshop", "seed": ' + DIGITS + "}"), "is unreadable"),
        ("manifest.json", lambda p: p.write_text('{"kind": ' + "[" * 3000 + "}"), "is unreadable"),
        ("manifest.json", lambda p: p.write_text(json.dumps({"kind": HUGE_TEXT, "seed": 1})), "manifest kind 'xxx"),
        ("summary.csv", fifo, "summary.csv: not a regular file"),
        ("summary.csv", dev_zero, "summary.csv: not a regular file"),
        ("decisions.parquet", fifo, "decisions.parquet: not a regular file"),
        ("decisions.parquet", dev_zero, "decisions.parquet: not a regular file"),
        ("scenario.resolved.toml", fifo, "scenario.resolved.toml: not a regular file"),
        ("timeseries.parquet", fifo, "timeseries.parquet: not a regular file"),
        ("timeseries.parquet", dev_zero, "timeseries.parquet: not a regular file"),
    ],
)
def test_replay_of_a_tampered_folder_is_refused_in_one_line_and_writes_nothing(folder, tmp_path, name, how, needle):
    copy = tampered(folder, tmp_path, name, how)
    code, _, err = call(["workshop", "replay", str(copy), "--out", str(tmp_path / "r")], tmp_path)
    assert code == 2 and err.count("\n") == 1 and err.startswith("sesim: error: workshop replay "), err[:2000]
    assert needle in err and "x" * (MAX_SHOWN + 1) not in err, err[:2000]
    assert not (tmp_path / "r").exists()


def test_replay_of_a_folder_name_the_system_refuses_is_one_line(tmp_path):
    code, _, err = call(["workshop", "replay", "d" * 3000, "--out", str(tmp_path / "r")], tmp_path)
    assert code == 2 and err.count("\n") == 1 and "not a usable folder (File name too long)" in err, err[:500]
    assert "d" * (MAX_SHOWN + 1) not in err


def test_a_decision_log_of_millions_of_rows_in_the_folder_is_refused_from_its_metadata(folder, tmp_path):
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    def huge(p: Path) -> None:
        idx = pa.array(np.zeros(2_000_000, dtype=np.int32))
        pq.write_table(
            pa.table(
                {
                    c: pa.DictionaryArray.from_arrays(idx, pa.array([v]))
                    for c, v in (
                        ("round", "0"),
                        ("seat", "school:0"),
                        ("lever", "communication.depth"),
                        ("value", "0.5"),
                        ("time", ""),
                    )
                }
            ),
            p,
            compression="zstd",
        )

    copy = tampered(folder, tmp_path, "decisions.parquet", huge)
    code, _, err = call(["workshop", "replay", str(copy), "--out", str(tmp_path / "r")], tmp_path)
    assert code == 2 and "decisions.parquet: 2000000 rows: allowed at most" in err, err


def test_replay_without_the_monthly_series_says_it_compared_none(folder, tmp_path):
    copy = tampered(folder, tmp_path, "timeseries.parquet", lambda p: None)
    code, out, err = call(["workshop", "replay", str(copy), "--out", str(tmp_path / "r")], tmp_path)
    assert code == 0, err
    assert "byte-identical" in out and "the monthly series were not compared" in out
    assert "are equal" not in out
    same, _, compared = replay(copy, tmp_path / "r2")
    assert same and not compared


def test_replay_with_the_monthly_series_compares_them_and_notices_a_change(folder, tmp_path):
    code, out, err = call(["workshop", "replay", str(folder), "--out", str(tmp_path / "r")], tmp_path)
    assert code == 0 and "the monthly series are equal" in out, err
    import pandas as pd

    def changed(p: Path) -> None:
        ts = pd.read_parquet(folder / "timeseries.parquet")
        ts.iloc[-1, -1] = ts.iloc[-1, -1] + 1 if ts.dtypes.iloc[-1].kind in "if" else ts.iloc[-1, -1]
        ts.to_parquet(p, index=False)

    def longer(p: Path) -> None:
        ts = pd.read_parquet(folder / "timeseries.parquet")
        pd.concat([ts, ts]).to_parquet(p, index=False)

    for how in (changed, longer):
        copy = tampered(folder, tmp_path / how.__name__, "timeseries.parquet", how)
        same, _, compared = replay(copy, tmp_path / how.__name__ / "r")
        assert compared and not same
