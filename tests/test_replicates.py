"""Replicates streamed to a store and read back in order (docs/odd.md §13): the same bytes on every
backend and with any sharding, ``--resume`` after a kill, and a store that is never mistaken."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.apps.cli import main
from sim.replicates import ParquetStream

TINY = [
    "--set",
    "population.schools=2",
    "--set",
    "population.cohort_size=60",
    "--set",
    "population.firms=20",
    "--set",
    "population.partners_per_school=6",
    "--set",
    "run.warmup_months=12",
    "--years",
    "2",
]
COMPARE = ["compare", "baseline", "craftsman", "--seeds", "4", "--lang", "en", *TINY]
RUN = ["run", "baseline", "--seeds", "3", *TINY]
COMPARE_TABLES = ("comparison.csv", "survival.csv", "summary.csv", "timeseries.parquet")
RUN_TABLES = ("summary.csv", "timeseries.parquet", "spells.parquet")


def same_tables(a: Path, b: Path, names: tuple[str, ...]) -> None:
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    """The reference: compare and run on the local pool, two workers."""
    d = tmp_path_factory.mktemp("local")
    assert main([*COMPARE, "--workers", "2", "--out", str(d / "c")]) == 0
    assert main([*RUN, "--workers", "2", "--out", str(d / "r")]) == 0
    return d


@pytest.mark.slow  # whole commands end to end (make quick leaves them out)
def test_one_worker_and_two_give_the_same_bytes(local, tmp_path):
    assert main([*COMPARE, "--out", str(tmp_path / "c")]) == 0
    same_tables(local / "c", tmp_path / "c", COMPARE_TABLES)
    assert not (tmp_path / "c.replicates").exists()


@pytest.mark.slow  # whole commands end to end (make quick leaves them out)
def test_dask_gives_tables_byte_identical_to_the_local_pool(local, tmp_path):
    pytest.importorskip("distributed")
    assert main([*COMPARE, "--backend", "dask", "--workers", "2", "--out", str(tmp_path / "c")]) == 0
    same_tables(local / "c", tmp_path / "c", COMPARE_TABLES)
    assert main([*RUN, "--backend", "dask", "--workers", "2", "--out", str(tmp_path / "r")]) == 0
    same_tables(local / "r", tmp_path / "r", RUN_TABLES)


@pytest.mark.slow  # whole commands end to end (make quick leaves them out)
def test_shards_then_resume_give_the_same_bytes(local, tmp_path, capsys):
    out = tmp_path / "c"
    assert main([*COMPARE, "--shard", "1/3", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "shard 1/3" in said and "--resume" in said and "--shard" not in said.split("every shard is done:")[1]
    assert not out.exists()  # a shard writes only the store
    store = tmp_path / "c.replicates"
    stored = sorted(p.name for p in store.glob("r-*.summary.parquet"))
    assert stored == [f"r-{i:09d}.summary.parquet" for i in range(8) if i % 3 == 1]
    assert json.loads((store / "replicates.json").read_text())["kind"] == "replicates"
    assert main([*COMPARE, "--shard", "0/3", "--out", str(out)]) == 0
    # the last shard never ran: --resume runs what is missing and writes the result
    assert main([*COMPARE, "--resume", "--out", str(out)]) == 0
    same_tables(local / "c", out, COMPARE_TABLES)
    assert not store.exists()


def test_run_resumes_from_what_a_killed_run_stored(local, tmp_path, capsys):
    out = tmp_path / "r"
    assert main([*RUN, "--shard", "0/2", "--out", str(out)]) == 0  # as if killed after replicates 0 and 2
    capsys.readouterr()
    # without --resume the leftover store is refused in one line, and kept
    assert main([*RUN, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "add --resume" in err
    # another command's store is never taken for this one's
    assert main([*RUN, "--set", "communication.depth=0.9", "--resume", "--out", str(out)]) == 2
    assert "replicates of another command" in capsys.readouterr().err
    assert main([*RUN, "--resume", "--out", str(out)]) == 0
    same_tables(local / "r", out, RUN_TABLES)


def test_a_store_sesim_did_not_write_is_refused(tmp_path, capsys):
    (tmp_path / "r.replicates").mkdir()
    (tmp_path / "r.replicates" / "notes.txt").write_text("mine")
    assert main([*RUN, "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no manifest of sesim" in err, err
    assert (tmp_path / "r.replicates" / "notes.txt").read_text() == "mine"
    assert not (tmp_path / "r").exists()


def stream_in_chunks(df: pd.DataFrame, cuts: list[int], path: Path, rows: int) -> None:
    """Write ``df`` through a ParquetStream of ``rows``-row groups, handed over in chunks of ``cuts`` rows."""
    s = ParquetStream(path, rows=rows)
    start = 0
    for k in cuts:
        s.add(df.iloc[start : start + k])
        start += k
    s.close()


def test_parquet_stream_bytes_do_not_depend_on_how_rows_arrive(tmp_path):
    """Row groups of a fixed size: the same rows in other chunks give the same file."""
    rng = np.random.default_rng(3)
    df = pd.DataFrame(
        {
            "scenario": "s",
            "replicate": np.repeat(np.arange(10), 37),
            "x": rng.random(370),
            "kind": rng.choice(["a", "b"], 370),
        }
    )
    for name, cuts in (("one", [370]), ("many", [1, 36, 100, 3, 230])):
        stream_in_chunks(df, cuts, tmp_path / f"{name}.parquet", rows=64)
    assert (tmp_path / "one.parquet").read_bytes() == (tmp_path / "many.parquet").read_bytes()
    back = pd.read_parquet(tmp_path / "one.parquet")
    pd.testing.assert_frame_equal(back, df.reset_index(drop=True))


def test_parquet_stream_bytes_do_not_depend_on_how_rows_arrive_past_the_dictionary_limit(tmp_path):
    """A text column of distinct names (the spells' ``who``) outgrows Parquet's dictionary page within a
    row group, and the encoder falls back to plain pages at a point that depended on how the rows came
    in chunks: each row group is now written from one chunk, so the file is still the same."""
    rows = 40_000
    df = pd.DataFrame({"who": [f"student{i:012d}-firm{i % 4000:06d}" for i in range(rows + 500)]})
    for name, cuts in (("one", [rows + 500]), ("many", [7] + [499] * 80 + [rows + 500 - 7 - 499 * 80])):
        stream_in_chunks(df, cuts, tmp_path / f"{name}.parquet", rows=rows)
    assert (tmp_path / "one.parquet").read_bytes() == (tmp_path / "many.parquet").read_bytes()


def test_one_replicate_is_written_as_stored(tmp_path):
    """With one replicate, ``sesim run`` copies the stored tables (written in the output's row groups)
    instead of streaming them again: the same bytes as streaming them (docs/odd.md §13)."""
    from sim.replicates import ReplicateStore, iter_tables

    out = tmp_path / "one"
    main(["run", "baseline", "--seeds", "1", *TINY, "--out", str(out), "--shard", "0/1"])
    store = ReplicateStore(tmp_path / "one.replicates")
    assert store.in_row_groups(0, "spells") and store.in_row_groups(0, "timeseries")
    for table in ("spells", "timeseries"):
        s = ParquetStream(tmp_path / f"{table}.parquet")
        for df in iter_tables(store, [0], table):
            s.add(df)
        s.close()
        stored = store.file(0, table).read_bytes()
        assert (tmp_path / f"{table}.parquet").read_bytes() == stored, table
    main(["run", "baseline", "--seeds", "1", *TINY, "--out", str(out), "--resume"])
    for table in ("spells", "timeseries"):
        assert (out / f"{table}.parquet").read_bytes() == (tmp_path / f"{table}.parquet").read_bytes(), table


def test_progress_lines_say_done_time_left_and_rate(monkeypatch):
    """In a log (not a terminal): replicates done, the time left and the rate, every 5%."""
    import io

    from sim import progress

    clock = iter([0.0, 30.0, 60.0, 120.0])
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    buf = io.StringIO()
    bar = progress.LineProgress(10, "baseline", "replicate", file=buf)
    bar.update(1)  # 30 s for the first of ten
    bar.update(1)
    bar.update(8)
    lines = buf.getvalue().splitlines()
    assert lines[0] == "sesim: baseline: 1/10 replicates (10%), about 4 min left, 2 replicates/min"
    assert lines[-1] == "sesim: baseline: 10/10 replicates (100%) in 2 min, 5 replicates/min"
