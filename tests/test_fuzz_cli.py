"""Property-based test of the command line and of scenario, sweep and target loading (issue 13.15).

Randomly mutated scenario files, sweep files, target files and random flags must always end in
exit 0 or 2; exit 2 with exactly one line on stderr (``sesim: error: ...``), never a traceback,
and no file written.  The command runs in-process (one interpreter, so each example costs
milliseconds) inside a fresh temporary folder; runs that would start the model are held small by
flags appended last (argparse keeps the last value), so a valid example finishes in a second or
two.  Examples are bounded (``max_examples``) so the whole file runs in well under a minute.
"""
from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main

SCENARIO = """extends = "baseline"
name = "fuzz"
[communication]
depth = 0.5
meetings_per_year = 4
online_platform = true
[party_building]
mode = "integrated"
[population]
ownership_mix = { state = 0.3, private = 0.6, foreign = 0.1 }
"""
SWEEP = """name = "fuzzsweep"
base = "baseline"
design = "latin"
samples = 4
replicates = 1
seed = 0
[levers]
"communication.depth" = { low = 0.1, high = 0.9 }
"party_building.mode" = ["none", "integrated"]
[fixed]
"run.years" = 1
"""
TARGETS = """[early_turnover_6m]
value = 0.42
interval = [0.38, 0.46]
weight = 1.0
source = "MyCOS"
"""
SMALL = ["--set", "population.schools=1", "--set", "population.cohort_size=20", "--set", "population.firms=4",
         "--set", "population.partners_per_school=2", "--set", "run.warmup_months=0", "--years", "1",
         "--workers", "1"]

literals = st.one_of(
    st.integers(0, 12).map(str), st.floats(0, 1).map(lambda x: f"{x:.3f}"),         # plausible values
    st.integers(-10**20, 10**20).map(str), st.floats().map(repr), st.sampled_from(
        ["nan", "inf", "-inf", "true", '"x"', '""', "[1, 2]", "{ a = 1 }", '"../../x"', '"/"', "1e400", "0x10",
         '"integrated"', "[]", "'''\nmulti'''", '"\\u0000"']),
    st.text(max_size=12).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'))


@st.composite
def mutated(draw, text: str) -> bytes:
    """``text`` with one to three random edits: a value replaced, bytes inserted, a span deleted, a key renamed."""
    data = text
    for _ in range(draw(st.integers(0, 2))):
        lines = data.split("\n")
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        kind = draw(st.sampled_from(["value", "insert", "delete", "key", "duplicate"]))
        if kind == "value" and "=" in lines[i]:
            lines[i] = lines[i].split("=", 1)[0] + "= " + draw(literals)
        elif kind == "key" and "=" in lines[i]:
            lines[i] = draw(st.sampled_from(["depht", "name", "extends", "levers", "x.y", '"a.b"', "seed"])) + \
                " =" + lines[i].split("=", 1)[1]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "delete" and data:
            data = "\n".join(lines)
            a = draw(st.integers(0, len(data) - 1))
            data = data[:a] + data[a + draw(st.integers(1, 20)):]
            continue
        else:
            lines.insert(i, draw(st.text(max_size=15)))
        data = "\n".join(lines)
    raw = data.encode("utf-8", "surrogatepass")
    if draw(st.booleans()) and draw(st.integers(0, 9)) == 0:
        raw = raw.replace(b"a", b"\xff", 1)             # now and then, not UTF-8
    return raw


def call(argv: list[str], cwd: Path) -> tuple[int, str]:
    """Run ``sesim ARGV`` in-process in ``cwd``: its exit code and stderr."""
    err, out = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            try:
                code = main(argv)
            except SystemExit as e:                   # argparse's own exits (--help 0, errors 2)
                code = e.code if isinstance(e.code, int) else 1
    finally:
        os.chdir(old)
    return code, err.getvalue()


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def check(argv: list[str], folder: Path, runner=call) -> None:
    before = files_under(folder)
    code, err = runner(argv, folder)
    assert code in (0, 2), (argv, code, err)
    assert "Traceback" not in err, (argv, err)
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("sesim"), (argv, err)
        assert files_under(folder) == before, (argv, err, files_under(folder) - before)


FUZZ = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


@FUZZ
@given(raw=mutated(SCENARIO), command=st.sampled_from(["validate", "run"]))
def test_mutated_scenario_files(raw, command):
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        (folder / "s.toml").write_bytes(raw)
        argv = ["validate", "s.toml"] if command == "validate" else ["run", "s.toml", "--seeds", "1", *SMALL,
                                                                    "--out", "o"]
        check(argv, folder)


@FUZZ
@given(raw=mutated(SWEEP))
def test_mutated_sweep_files(raw):
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        (folder / "w.toml").write_bytes(raw)
        check(["sweep", "w.toml", "--dry-run", "--out", "o"], folder)


@FUZZ
@given(raw=mutated(TARGETS))
def test_mutated_target_files(raw):
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        (folder / "t.toml").write_bytes(raw)
        # a budget too small for any run: the target file and the flags are read, nothing runs
        check(["calibrate", "t.toml", "--free", "behaviour.offer_sd=[0.6,1.5]", "--budget", "3", "--out", "o"], folder)


FLAG_VALUES = st.sampled_from(["0", "1", "-1", "2", "10001", str(2**63), "nan", "inf", "1e9", "0.5", "", "x",
                               "../x", ".", "..", "/", "o", "a" * 300, "baseline", "craftsman", "zh", "en",
                               "communication.depth=0.5", "communication.depth=nan", "nope.x=1", "a=b",
                               "behaviour.offer_sd=[0.6,1.5]", "behaviour.offer_sd=[2,1]", "firm_retention",
                               "firm_retension,skill_fit", "1/2", "3/2", "local", "dask", "slurm"])


def parser_flags() -> dict[str, list[tuple[str, bool]]]:
    """Each sub-command's long options, and whether each takes a value (read off the real parser)."""
    import argparse
    from sim.cli import build_parser
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return {name: [(o, a.nargs != 0) for a in sp._actions for o in a.option_strings
                   if o.startswith("--") and o != "--help"] for name, sp in sub.choices.items()}


FLAGS = parser_flags()


@st.composite
def command_lines(draw) -> list[str]:
    cmd = draw(st.sampled_from([*FLAGS, "nope"]))
    argv = [cmd] + draw(st.lists(st.sampled_from(["baseline", "craftsman", "nope", "../x", "", "s.toml",
                                                  "merge", "o", "all"]), max_size=3))
    own = FLAGS.get(cmd, []) + [("--seeds", True)]
    for _ in range(draw(st.integers(0, 4))):
        flag, takes = draw(st.sampled_from(own))
        argv.append(flag)
        if takes:
            argv.append(draw(FLAG_VALUES))
    if cmd in ("run", "compare"):
        argv += ["--seeds", "2", *SMALL]              # keep any valid run small (last value wins)
    if cmd == "sweep":
        argv.append("--dry-run")
    if cmd == "calibrate":
        argv += ["--budget", "3"]
    if cmd in ("dashboard", "workshop"):
        argv += ["--port", "-1"]                      # never start a server here
    return argv


@FUZZ
@given(argv=command_lines())
def test_random_flags(argv):
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        (folder / "s.toml").write_text(SCENARIO, encoding="utf-8")
        check(argv, folder)


def test_the_property_can_fail(tmp_path):
    """The checker refuses an exit code other than 0/2, a traceback, a second line and a file left behind."""
    def writes(argv, folder):
        (folder / "half.csv").write_text("x")
        return 2, "sesim: error: x\n"
    for runner in (lambda a, f: (1, ""), lambda a, f: (2, "Traceback (most recent call last):\n"),
                   lambda a, f: (2, "sesim: error: a\nsecond\n"), writes):
        with pytest.raises(AssertionError):
            check(["x"], tmp_path, runner)
    check(["validate", "baseline"], tmp_path)          # and passes on a good command
