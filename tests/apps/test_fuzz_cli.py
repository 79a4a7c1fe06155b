"""Property-based test of the command line and of scenario, sweep and target loading,
of decision logs (CSV and Parquet), posterior files and a workshop seat's form.

Randomly mutated scenario files, sweep files, target files, decision logs, posterior files and
random flags must always end in exit 0 or 2; exit 2 with exactly one line on stderr (``sesim:
error: ...``), never a traceback, and no file written.  A workshop seat's form (the room-level
check the page calls) either takes the decisions or refuses them in one short line, keeping
nothing.  The command runs in-process (one interpreter, so each example costs
milliseconds) inside a fresh temporary folder; runs that would start the model are held small by
flags appended last (argparse keeps the last value), so a valid example finishes in a second or
two.  Examples are bounded (``max_examples``) so the whole file runs in well under a minute.
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from tests.helpers import call_cli

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
SMALL = [
    "--set",
    "population.schools=1",
    "--set",
    "population.cohort_size=20",
    "--set",
    "population.firms=4",
    "--set",
    "population.partners_per_school=2",
    "--set",
    "run.warmup_months=0",
    "--years",
    "1",
    "--workers",
    "1",
]

# what the parsers cannot take: more digits than Python reads, brackets thousands deep, a hexadecimal
# integer of thousands of digits (it parses), an integer past the largest float, text of 100,000
# characters, a formula a spreadsheet would run
HOSTILE = [
    "9" * 5000,
    "[" * 3000 + "]" * 3000,
    "{" * 3000,
    "0x" + "f" * 5000,
    "1" * 400,
    "x" * 100_000,
    "=cmd|' /C calc'!A0",
    "@SUM(1)",
    "-1",
    "\r=x",
]
literals = st.one_of(
    st.integers(0, 12).map(str),
    st.floats(0, 1).map(lambda x: f"{x:.3f}"),  # plausible values
    st.integers(-(10**20), 10**20).map(str),
    st.floats().map(repr),
    st.sampled_from(
        [
            "nan",
            "inf",
            "-inf",
            "true",
            '"x"',
            '""',
            "[1, 2]",
            "{ a = 1 }",
            '"../../x"',
            '"/"',
            "1e400",
            "0x10",
            '"integrated"',
            "[]",
            "'''\nmulti'''",
            '"\\u0000"',
            *HOSTILE[:5],
            '"' + HOSTILE[5] + '"',
        ]
    ),
    st.text(max_size=12).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'),
)


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
            lines[i] = (
                draw(st.sampled_from(["depht", "name", "extends", "levers", "x.y", '"a.b"', "seed"]))
                + " ="
                + lines[i].split("=", 1)[1]
            )
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "delete" and data:
            data = "\n".join(lines)
            a = draw(st.integers(0, len(data) - 1))
            data = data[:a] + data[a + draw(st.integers(1, 20)) :]
            continue
        else:
            lines.insert(i, draw(st.text(max_size=15)))
        data = "\n".join(lines)
    raw = data.encode("utf-8", "surrogatepass")
    if draw(st.booleans()) and draw(st.integers(0, 9)) == 0:
        raw = raw.replace(b"a", b"\xff", 1)  # now and then, not UTF-8
    return raw


def call(argv: list[str], cwd: Path) -> tuple[int, str]:
    """Run ``sesim ARGV`` in-process in ``cwd``: its exit code and stderr."""
    code, _, err = call_cli(argv, cwd)
    return code, err


LONG_RUN = re.compile(r"(.)\1{99}")  # one character 100 times: input quoted uncut


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def check(argv: list[str], folder: Path, runner=call) -> None:
    before = files_under(folder)
    code, err = runner(argv, folder)
    with contextlib.suppress(InvalidArgument):  # how the examples split (--hypothesis-show-statistics)
        event(f"exit {code}")
    assert code in (0, 2), (argv, code, err)
    assert "Traceback" not in err, (argv, err)
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("sesim"), (argv, err)
        assert not LONG_RUN.search(err), ("a refusal quotes more than 80 characters of the input", err[:300])
        assert files_under(folder) == before, (argv, err, files_under(folder) - before)


FUZZ = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


@FUZZ
@given(raw=mutated(SCENARIO), command=st.sampled_from(["validate", "run"]))
@example(
    raw=SCENARIO.replace("meetings_per_year = 4", "meetings_per_year = " + HOSTILE[0]).encode(), command="validate"
)
@example(raw=SCENARIO.replace("meetings_per_year = 4", "meetings_per_year = " + HOSTILE[1]).encode(), command="run")
def test_mutated_scenario_files(raw, command):
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        (folder / "s.toml").write_bytes(raw)
        argv = (
            ["validate", "s.toml"] if command == "validate" else ["run", "s.toml", "--seeds", "1", *SMALL, "--out", "o"]
        )
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


FLAG_VALUES = st.sampled_from(
    [
        "0",
        "1",
        "-1",
        "2",
        "10001",
        str(2**63),
        "nan",
        "inf",
        "1e9",
        "0.5",
        "",
        "x",
        "../x",
        ".",
        "..",
        "/",
        "o",
        "a" * 300,
        "baseline",
        "craftsman",
        "zh",
        "en",
        "communication.depth=0.5",
        "communication.depth=nan",
        "nope.x=1",
        "a=b",
        "behaviour.offer_sd=[0.6,1.5]",
        "behaviour.offer_sd=[2,1]",
        "firm_retention",
        "firm_retension,skill_fit",
        "1/2",
        "3/2",
        "local",
        "dask",
        "slurm",
    ]
)


def parser_flags() -> dict[str, list[tuple[str, bool]]]:
    """Each sub-command's long options, and whether each takes a value (read off the real parser)."""
    import argparse

    from sim.apps.cli import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return {
        name: [(o, a.nargs != 0) for a in sp._actions for o in a.option_strings if o.startswith("--") and o != "--help"]
        for name, sp in sub.choices.items()
    }


FLAGS = parser_flags()


@st.composite
def command_lines(draw) -> list[str]:
    cmd = draw(st.sampled_from([*FLAGS, "nope"]))
    argv = [cmd] + draw(
        st.lists(
            st.sampled_from(["baseline", "craftsman", "nope", "../x", "", "s.toml", "merge", "o", "all"]), max_size=3
        )
    )
    own = FLAGS.get(cmd, []) + [("--seeds", True)]
    for _ in range(draw(st.integers(0, 4))):
        flag, takes = draw(st.sampled_from(own))
        argv.append(flag)
        if takes:
            argv.append(draw(FLAG_VALUES))
    if cmd in ("run", "compare"):
        argv += ["--seeds", "2", *SMALL]  # keep any valid run small (last value wins)
    if cmd in ("explain",):
        argv += ["--seeds", "2", *SMALL]  # as run and compare: any valid run stays small
    if cmd in ("sweep", "carriers"):
        argv.append("--dry-run")  # a valid carriers line would otherwise screen the default region (800 runs)
    if cmd == "calibrate":
        argv += ["--budget", "3"]
    if cmd in ("dashboard", "workshop"):
        argv += ["--port", "-1"]  # never start a server here
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

    for runner in (
        lambda a, f: (1, ""),
        lambda a, f: (2, "Traceback (most recent call last):\n"),
        lambda a, f: (2, "sesim: error: a\nsecond\n"),
        lambda a, f: (2, f"sesim: error: {'x' * 200}\n"),
        writes,
    ):
        with pytest.raises(AssertionError):
            check(["x"], tmp_path, runner)
    check(["validate", "baseline"], tmp_path)  # and passes on a good command


# ------------------------------------------------------------------ decision logs, CSV and Parquet
LOG_ROWS = [
    ["0", "school:0", "communication.depth", "0.7", "09:00"],
    ["0", "school:0", "party_building.mode", "integrated", ""],
    ["0", "firm:1", "hiring:graduates", "3", "09:05"],
    ["0", "firm:0", "partnership:school0:leave", "true", ""],
    ["0", "firm:2", "firm_support.mentors_per_firm", "4", ""],
]
LOG_COLUMNS = ["round", "seat", "lever", "value", "time"]
cells = st.one_of(
    literals,
    st.sampled_from(
        [
            "school:0",
            "firm:3",
            "firm:4",
            "school:1",
            "firm:-1",
            "rule",
            "0",
            "1",
            "partnership:accept_new",
            "hiring:graduates",
            "communication.depth",
            "",
            "true",
            "false",
            " 0 ",
            "0.0",
            "1e3",
        ]
        + HOSTILE
    ),
    st.text(max_size=20),
)


@st.composite
def log_rows(draw) -> list[list[str]]:
    """The valid log's rows with up to three cells replaced, rows dropped or repeated."""
    rows = [list(r) for r in draw(st.lists(st.sampled_from(LOG_ROWS), max_size=6, unique_by=lambda r: r[2]))]
    for _ in range(draw(st.integers(0, 3))):
        if rows:
            rows[draw(st.integers(0, len(rows) - 1))][draw(st.integers(0, 4))] = draw(cells)
    if rows and draw(st.booleans()) and draw(st.integers(0, 4)) == 0:
        rows.append(list(rows[0]))  # a decision taken twice
    return rows


def csv_text(rows: list[list[str]], columns: list[str]) -> str:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    w.writerows(rows)
    return buf.getvalue()


@st.composite
def csv_logs(draw) -> bytes:
    """A log's CSV with cells replaced, then line-level edits: bytes inserted, spans deleted, lines
    repeated, now and then not UTF-8."""
    columns = draw(
        st.sampled_from([LOG_COLUMNS, LOG_COLUMNS[:4], ["round", "seat", "lever", "vlaue"], LOG_COLUMNS + ["note"]])
    )
    return draw(mutated(csv_text([r[: len(columns)] for r in draw(log_rows())], columns)))


def log_with(row: int, column: int, value: str) -> bytes:
    rows = [list(r) for r in LOG_ROWS]
    rows[row][column] = value
    return csv_text(rows, LOG_COLUMNS).encode()


@FUZZ
@given(raw=csv_logs())
@example(raw=log_with(2, 3, HOSTILE[0]))  # graduates to hire: 5000 digits
@example(raw=log_with(2, 3, HOSTILE[1]))  # brackets 3000 deep
@example(raw=log_with(0, 0, HOSTILE[0]))  # a round of 5000 digits
@example(raw=log_with(1, 1, "school:" + HOSTILE[0]))  # a seat of 5000 digits
def test_mutated_csv_decision_logs(raw):
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        (folder / "log.csv").write_bytes(raw)
        check(["run", "baseline", *SMALL, "--seeds", "1", "--decisions", "log.csv", "--out", "o"], folder)


@st.composite
def parquet_logs(draw) -> "object":
    """A decision table as Parquet: text columns, or a column of another type, or many rows."""
    import numpy as np
    import pyarrow as pa

    rows = draw(log_rows())
    cols = {c: [r[i] for r in rows] for i, c in enumerate(LOG_COLUMNS)}
    kind = draw(st.sampled_from(["text", "typed", "dictionary", "missing", "extra"]))
    if kind == "typed":  # round as integers, value as numbers where they parse
        col = draw(st.sampled_from(["round", "value"]))

        def num(x):
            try:
                return float(x)
            except ValueError:
                return float("nan")

        cols[col] = [num(x) for x in cols[col]]
        if col == "round" and draw(st.booleans()):
            cols[col] = [int(x) if x == x and abs(x) < 2**62 else -1 for x in cols[col]]
    table = pa.table(cols) if rows else pa.table({c: pa.array([], pa.string()) for c in LOG_COLUMNS})
    if kind == "dictionary":  # few bytes, many rows
        n = draw(st.sampled_from([100, 10_000, 1_000_000]))
        idx = pa.array(np.zeros(n, dtype=np.int32))
        first = rows[0] if rows else LOG_ROWS[0]
        table = pa.table(
            {c: pa.DictionaryArray.from_arrays(idx, pa.array([first[i]])) for i, c in enumerate(LOG_COLUMNS)}
        )
    elif kind == "missing":
        table = table.drop_columns([draw(st.sampled_from(LOG_COLUMNS))])
    elif kind == "extra":
        table = table.append_column("note", pa.array(["x"] * table.num_rows))
    return table


def parquet_with(row: int, column: int, value: str):
    import pyarrow as pa

    rows = [list(r) for r in LOG_ROWS]
    rows[row][column] = value
    return pa.table({c: [r[i] for r in rows] for i, c in enumerate(LOG_COLUMNS)})


@FUZZ
@given(table=parquet_logs(), damage=st.sampled_from([None, None, None, "truncate", "garbage"]))
@example(table=parquet_with(2, 3, HOSTILE[0]), damage=None)
@example(table=parquet_with(4, 3, HOSTILE[1]), damage=None)
@example(table=parquet_with(3, 2, "partnership:school" + HOSTILE[0] + ":leave"), damage=None)
def test_mutated_parquet_decision_logs(table, damage):
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        pq.write_table(table, folder / "log.parquet", compression="zstd")
        if damage == "truncate":
            data = (folder / "log.parquet").read_bytes()
            (folder / "log.parquet").write_bytes(data[: len(data) // 2])
        elif damage == "garbage":
            (folder / "log.parquet").write_bytes(b"PAR1" + bytes(range(256)) * 4 + b"PAR1")
        check(["run", "baseline", *SMALL, "--seeds", "1", "--decisions", "log.parquet", "--out", "o"], folder)


# ------------------------------------------------------------------ posterior files
def draws_of(target: Path):
    """A runner for :func:`check` that reads the posterior beside ``target`` as ``compare --uncertainty
    posterior`` does: exit 2 with its one line, or exit 0 when every draw is a parameter set ``--set``
    takes (the README's promise)."""
    from analysis.uncertainty import drawn_keys, make_draws
    from sim.apps.cli import one_line
    from sim.params import assumption_ranges
    from sim.scenario import ScenarioError, load_scenario

    def run(argv, folder):
        try:
            draws = make_draws("posterior", 4, 0, target)
        except ScenarioError as e:
            return 2, f"sesim: error: {one_line(str(e))}\n"
        # behavioural parameters, or levers whose status-quo value is known only as a range (the README)
        known_as_range = set(assumption_ranges())
        assert all(k.startswith("behaviour.") or k in known_as_range for k in drawn_keys(draws)), drawn_keys(draws)
        for _, row in draws.iterrows():
            load_scenario("baseline", {k: row[k] for k in drawn_keys(draws)})  # raises if --set would refuse
        return 0, ""

    return run


POSTERIOR = Path(__file__).resolve().parents[2] / "scenarios" / "targets" / "china_gaozhi.posterior.csv"
TARGET_FILE = POSTERIOR.with_name("china_gaozhi.toml")


def posterior_lines() -> list[str]:
    """The shipped posterior's lines, its header's target hash that of the target file as it is now
    (a copy of the same bytes stands beside each example), so that only the edits can be refused."""
    from analysis.calibration import target_sha256

    sha = target_sha256(TARGET_FILE)
    return [
        f'# target_sha256: "{sha}"' if line.startswith("# target_sha256:") else line
        for line in POSTERIOR.read_text(encoding="utf-8").splitlines()
    ]


@st.composite
def posterior_texts(draw) -> str:
    """The shipped posterior with cells, column names or header lines changed."""
    lines = posterior_lines()
    first = next(i for i, ln in enumerate(lines) if not ln.startswith("#"))
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["cell", "cell", "column", "header", "line"]))
        if kind == "header":
            i = draw(st.integers(1, first - 1))
            key = lines[i].split(":", 1)[0]
            lines[i] = (
                key
                + ": "
                + draw(
                    st.one_of(
                        literals,
                        st.sampled_from(
                            [
                                '{"free": [{"key": 1}]}',
                                '{"free": "x"}',
                                "[" * 3000,
                                "9" * 5000,
                                '"' + "x" * 100_000 + '"',
                            ]
                        ),
                    )
                )
            )
        elif kind == "line":
            lines.insert(draw(st.integers(first, len(lines))), draw(st.text(max_size=30)))
        else:
            row = first if kind == "column" else draw(st.integers(first + 1, len(lines) - 1))
            cells_ = lines[row].split(",")
            j = draw(st.integers(0, len(cells_) - 1))
            cells_[j] = (
                draw(
                    st.one_of(
                        st.sampled_from(
                            [
                                "run.years",
                                "a.b.c",
                                "behaviour.bogus",
                                "behaviour.school_goal",
                                "weight",
                                "",
                                "5",
                                "-3",
                                "nan",
                                "x",
                            ]
                            + HOSTILE[:6]
                        ),
                        st.floats().map(repr),
                        cells,
                    )
                )
                if kind == "column"
                else draw(st.one_of(st.floats().map(repr), st.integers(-10, 10).map(str), cells))
            )
            lines[row] = ",".join(cells_)
    return "\n".join(lines) + "\n"


def posterior_with(column: str | None = None, value: str | None = None) -> str:
    """The shipped posterior with a column added (``column`` = ``value`` in every row) or, with only
    ``value``, the first particle's job_finding_rate set to it."""
    lines = posterior_lines()
    first = next(i for i, ln in enumerate(lines) if not ln.startswith("#"))
    if column is not None:
        lines = lines[:first] + [lines[first] + "," + column] + [ln + "," + value for ln in lines[first + 1 :]]
    else:
        cells_ = lines[first + 1].split(",")
        cells_[lines[first].split(",").index("behaviour.job_finding_rate")] = value
        lines[first + 1] = ",".join(cells_)
    return "\n".join(lines) + "\n"


@FUZZ
@given(text=posterior_texts())
@example(text=posterior_with("run.years", "3"))
@example(text=posterior_with("a.b.c", "1"))
@example(text=posterior_with("behaviour.bogus", ""))
@example(text=posterior_with(value="x"))
@example(text=posterior_with(value="5"))
def test_mutated_posterior_files(text):
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        target = folder / "targets.toml"
        target.write_bytes(TARGET_FILE.read_bytes())  # the same bytes: the posterior's hash still matches
        (folder / "targets.posterior.csv").write_text(text, encoding="utf-8", errors="surrogatepass")
        check(["compare", "--uncertainty", "posterior"], folder, draws_of(target))


# ------------------------------------------------------------------ a workshop seat's form
_ROOM: list = []


def workshop_room():
    """One small room for every example (its warm-up runs once)."""
    if not _ROOM:
        from sim.apps.workshop.room import Room

        room = Room("baseline", schools=1, firms=2, rounds=2, seed=3, party=True)
        seats = {s: room.claim(room.token, s)[1] for s in ("school:0", "party:0", "firm:0")}
        _ROOM.append((room, seats))
    return _ROOM[0]


form_values = st.one_of(
    st.sampled_from(HOSTILE),
    literals,
    st.text(max_size=20),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.sampled_from([10**5000, [[1]], {"a": 1}, "rule", " 3 ", "3.5"]),
)


def _form_keys() -> list[str]:
    from sim.params import side_keys

    return [
        *side_keys("school"),
        *side_keys("firm"),
        "partnership:school0:leave",
        "partnership:school9:leave",
        "partnership:accept_new",
        "hiring:graduates",
        "x" * 100_000,
        "",
    ]


@FUZZ
@given(
    seat=st.sampled_from(["school:0", "party:0", "firm:0"]),
    lang=st.sampled_from(["en", "zh"]),
    draft=st.dictionaries(st.sampled_from(_form_keys()), form_values, min_size=1, max_size=3),
)
@example(seat="firm:0", lang="en", draft={"hiring:graduates": HOSTILE[0]})  # "graduates to hire": 5000 digits
@example(seat="firm:0", lang="zh", draft={"hiring:graduates": HOSTILE[1]})  # brackets 3000 deep
@example(seat="school:0", lang="en", draft={"communication.meetings_per_year": HOSTILE[5]})
def test_workshop_form_inputs(seat, lang, draft):
    from sim.apps.workshop.app import parse_draft
    from sim.scenario import ScenarioError

    room, secrets_ = workshop_room()
    view = room.seat_view(seat, secrets_[seat])
    before = room.current_levers(seat)
    try:
        changed = room.submit(seat, secrets_[seat], parse_draft(view, draft, lang), round=view["round"])
        event("accepted")
    except ScenarioError as e:
        event("refused")
        text = str(e)
        assert "\n" not in text and len(text) < 600 and not LONG_RUN.search(text), text[:300]
        assert room.current_levers(seat) == before  # nothing kept
        return
    assert set(changed) <= set(draft)
