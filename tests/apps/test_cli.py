"""End-to-end tests of the ``sesim`` command, including every bad-input case."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.metrics import METRICS

SMALL_SETS = [
    "--set",
    "population.schools=2",
    "--set",
    "population.cohort_size=80",
    "--set",
    "population.firms=30",
    "--set",
    "population.partners_per_school=10",
]


def sesim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=cwd)


def test_scenarios_lists_thirteen_with_titles():
    r = sesim("scenarios")
    assert r.returncode == 0
    for name in ("baseline", "huli_tongqiang_qirong", "full", "party_led"):
        assert name in r.stdout
    assert "互利·同强·齐荣" in r.stdout and "industry_college_huli" in r.stdout
    assert len(r.stdout.strip().splitlines()) == 14  # a header, 11 strategies of levers, 2 with colleges (M18)


def test_levers_lists_every_key():
    r = sesim("scenarios", "--levers")
    assert r.returncode == 0
    for key in ("communication.depth", "party_building.mode", "population.ownership_mix", "run.warmup_months"):
        assert key in r.stdout


@pytest.mark.slow  # sesim run end to end, twice
def test_run_writes_five_files_and_is_reproducible(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    r = sesim("run", "baseline", "--seeds", "2", "--years", "4", *SMALL_SETS, "--out", str(a))
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in a.iterdir()) == sorted(
        ["summary.csv", "timeseries.parquet", "spells.parquet", "scenario.resolved.toml", "manifest.json"]
    )
    s = pd.read_csv(a / "summary.csv")
    assert list(s.columns[:3]) == ["scenario", "replicate", "seed"]
    assert set(METRICS) <= set(s.columns)
    r2 = sesim("run", "baseline", "--seeds", "2", "--years", "4", *SMALL_SETS, "--out", str(b), "--workers", "2")
    assert r2.returncode == 0, r2.stderr
    assert (a / "summary.csv").read_bytes() == (b / "summary.csv").read_bytes()
    # replicate 1 alone, from its recorded seed
    c = tmp_path / "c"
    seed1 = int(s.loc[1, "seed"])
    r3 = sesim("run", "baseline", "--seeds", "1", "--seed", str(seed1), "--years", "4", *SMALL_SETS, "--out", str(c))
    assert r3.returncode == 0
    one = pd.read_csv(c / "summary.csv")
    pd.testing.assert_frame_equal(
        one.drop(columns="replicate"), s.iloc[[1]].reset_index(drop=True).drop(columns="replicate"), check_dtype=False
    )  # a single row of whole numbers reads back as integers


BAD_TOML = "name = 'x'\n[communication\n"


@pytest.mark.parametrize(
    "content,args,needle",
    [
        (BAD_TOML, [], "broken TOML"),
        ("extends = 'baseline'\n[communication]\ndepht = 0.5\n", [], "did you mean 'communication.depth'"),
        ("extends = 'baseline'\n[communication]\ndepth = 1.5\n", [], "out of range"),
        ("extends = 'baseline'\n[communication]\ndepth = 'deep'\n", [], "allowed a number"),
        ("extends = 'baseline'\n[party_building]\nmode = 'mixed'\n", [], '"integrated"'),
        ("extends = 'baseline'\n", ["--set", "communication.depth=2"], "out of range"),
        ("extends = 'baseline'\n", ["--set", "comunication.depth=0.5"], "did you mean 'communication'"),
    ],
)
def test_bad_input_one_line_exit_2_nothing_written(tmp_path, content, args, needle):
    f = tmp_path / "bad.toml"
    f.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    r = sesim("run", str(f), "--seeds", "1", *args, "--out", str(out))
    assert r.returncode == 2
    assert needle in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [f]
    if not args:
        v = sesim("validate", str(f))
        assert v.returncode == 2 and needle in v.stderr


def test_missing_file_and_unwritable_out(tmp_path):
    r = sesim("run", str(tmp_path / "nope.toml"))
    assert r.returncode == 2 and "not found" in r.stderr and "Traceback" not in r.stderr
    # an output folder that cannot be created, whoever runs the tests (even root)
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    r = sesim("run", "baseline", "--seeds", "1", "--out", str(blocker / "x"))
    assert r.returncode == 2 and "not a folder" in r.stderr and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1 and "replicate" not in r.stderr  # refused before running
    r = sesim("run", "baseline", "--seeds", "1", "--out", str(blocker))
    assert r.returncode == 2 and "is a file, not a folder" in r.stderr
    assert blocker.read_text() == "x" and [p.name for p in tmp_path.iterdir()] == ["a_file"]  # nothing written


def test_read_only_out(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        r = sesim("run", "baseline", "--seeds", "1", "--out", str(ro / "x"))
        if r.returncode == 0:  # running as root ignores permissions: nothing to test here
            pytest.skip("permissions are not enforced for this user")
        assert r.returncode == 2 and "not writable" in r.stderr and "Traceback" not in r.stderr
    finally:
        ro.chmod(0o700)


def test_output_piped_into_head_ends_quietly(tmp_path, monkeypatch):
    """A reader that stops early (``sesim scenarios --behaviour | head -1``) is not an error: the
    write that finds the pipe closed ends the command quietly with exit 0."""
    from sim.apps.cli import main

    class ClosedPipe:
        def __init__(self) -> None:
            self._file = open(tmp_path / "out", "w")

        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            pass

        def fileno(self) -> int:
            return self._file.fileno()

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["scenarios", "--behaviour"]) == 0


def test_the_run_summary_shows_three_significant_figures_not_three_decimals():
    """Known answers: a share, a small one, a count, a large money figure, a value near 0 (not
    "-0.000"); an interval is shown to the figures of its larger end."""
    from sim.apps.cli import summary_decimals

    assert [f"{x:.{summary_decimals(x)}f}" for x in (0.435, 0.059, 2.461, -123.654, -0.000283, 0.0)] == [
        "0.435",
        "0.0590",
        "2.46",
        "-124",
        "-0.000283",
        "0.000",
    ]
    assert summary_decimals(max(0.0067, 0.0507)) == 4 and summary_decimals(1e-12) == 6
