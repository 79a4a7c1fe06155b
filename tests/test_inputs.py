"""Inputs that the parsers could not take end in one line, exit 2, with nothing written.

Integers of more digits than Python reads (4300) and brackets nested thousands deep, in scenario,
sweep and target files, ``--set``, ``--free`` and decision logs (docs/odd.md §11); decision logs
bounded in rows before they are read; posterior files checked like a scenario; refusals that
quote at most 80 characters of the input; text cells a spreadsheet would run as a formula quoted
in every CSV sesim writes.  Every command runs in-process inside ``tmp_path``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sim import policy as pol
from sim.inputs import MAX_NESTING, MAX_SHOWN, parse_toml, shown, too_deep
from sim.params import side_keys
from sim.scenario import ScenarioError, load_scenario
from sim.spreadsheet import neutral_text, neutralised, write_csv
from tests.helpers import call_cli

ROOT = Path(__file__).resolve().parent.parent
DIGITS = "9" * 5000  # past Python's 4300-digit limit
DEEP = "[" * 3000 + "]" * 3000  # past tomllib's recursion
HEX = "0x" + "f" * 5000  # parses (no limit for hexadecimal), about 6000 decimal digits
HUGE_TEXT = "x" * 100_000
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
    "--seeds",
    "1",
]
SMALL_POP = {
    "population.schools": 1,
    "population.cohort_size": 20,
    "population.firms": 4,
    "population.partners_per_school": 2,
    "run.warmup_months": 0,
    "run.years": 1,
}


call = call_cli


def refused(argv: list[str], folder: Path, needle: str) -> str:
    """Run ``argv`` in ``folder``: exit 2, one short line holding ``needle``, no file written."""
    before = {p for p in folder.rglob("*")}
    code, _, err = call(argv, folder)
    assert code == 2, (argv[:3], code, err[-2000:])
    assert "Traceback" not in err and err.count("\n") == 1 and err.startswith("sesim: error: "), err[-2000:]
    assert needle in err, err
    assert {p for p in folder.rglob("*")} == before, argv[:3]
    return err


def one_line(e: pytest.ExceptionInfo, needle: str = "", longest: int = 400) -> str:
    text = str(e.value)
    assert "\n" not in text and len(text) <= longest and needle in text, text[:1000]
    return text


# ------------------------------------------------------------------ digits and brackets
@pytest.mark.parametrize(
    "value, needle",
    [
        (DIGITS, "line 3: a number of more than 4300 digits"),
        (DEEP, "line 3: brackets or braces nested deeper than 32 levels"),
        (HEX, "key 'communication.meetings_per_year' = <an integer of about"),
    ],
)
@pytest.mark.parametrize("command", ["validate", "explain", "run"])
def test_a_scenario_with_thousands_of_digits_or_brackets_is_refused_in_one_line(tmp_path, value, needle, command):
    (tmp_path / "s.toml").write_text(f'extends = "baseline"\n[communication]\nmeetings_per_year = {value}\n')
    argv = {
        "validate": ["validate", "s.toml"],
        "explain": ["explain", "s.toml", "--out", "o"],
        "run": ["run", "s.toml", "--out", "o", *SMALL],
    }[command]
    refused(argv, tmp_path, needle)


def test_an_integer_past_the_largest_float_is_out_of_range_for_a_number_key(tmp_path):
    (tmp_path / "s.toml").write_text('extends = "baseline"\n[communication]\ndepth = ' + "1" * 400 + "\n")
    err = refused(["validate", "s.toml"], tmp_path, "key 'communication.depth' = 1111")
    assert "is out of range: allowed 0.0..1.0" in err


@pytest.mark.parametrize(
    "value, needle",
    [
        (DIGITS, "a number of more than 4300 digits"),
        (DEEP, "nested deeper than 32 levels"),
        (HEX, "<an integer of about"),
    ],
)
def test_set_with_thousands_of_digits_or_brackets_is_refused(tmp_path, value, needle):
    refused(
        ["run", "baseline", *SMALL, "--set", f"communication.meetings_per_year={value}", "--out", "o"], tmp_path, needle
    )


@pytest.mark.parametrize(
    "value, needle",
    [
        (DIGITS, "line 7: a number of more than 4300 digits"),
        (DEEP, "line 7: brackets or braces nested deeper"),
        (HEX, "<an integer of about"),
    ],
)
def test_a_sweep_file_with_thousands_of_digits_or_brackets_is_refused(tmp_path, value, needle):
    (tmp_path / "w.toml").write_text(
        'name = "w"\nbase = "baseline"\ndesign = "latin"\nsamples = 4\n[levers]\n'
        '"communication.depth" = { low = 0.1, high = 0.9 }\n'
        f'"communication.meetings_per_year" = {{ low = 1, high = {value} }}\n'
    )
    refused(["sweep", "w.toml", "--dry-run", "--out", "o"], tmp_path, needle)


@pytest.mark.parametrize(
    "bound, needle",
    [
        (DIGITS, "a number of more than 4300 digits"),
        ("[" * 3000, "nested deeper than 32 levels"),
        ("1" * 400, "key 'behaviour.job_finding_rate' = 1111"),
        (HEX, "<an integer of about"),
    ],
)
def test_free_bounds_with_thousands_of_digits_or_brackets_are_refused(tmp_path, bound, needle):
    targets = ROOT / "scenarios" / "targets" / "china_gaozhi.toml"
    refused(
        ["calibrate", str(targets), "--free", f"behaviour.job_finding_rate=[0,{bound}]", "--budget", "3", "--out", "o"],
        tmp_path,
        needle,
    )


def test_a_target_value_past_the_largest_float_is_refused(tmp_path):
    (tmp_path / "t.toml").write_text("[early_turnover_6m]\nvalue = " + "4" * 400 + '\ntolerance = 0.1\nsource = "x"\n')
    refused(
        ["calibrate", "t.toml", "--free", "behaviour.offer_sd=[0.6,1.5]", "--budget", "3", "--out", "o"],
        tmp_path,
        "key 'value' is missing or not a number",
    )


def test_brackets_in_strings_and_comments_do_not_count_and_the_limit_is_exact():
    quoted = '"' + "[" * 100 + '"'
    text = f'description = {quoted}\nx = \'{"{" * 100}\'\n# {"[" * 100}\ny = """\n{"[" * 100}\n"""\n'
    assert too_deep(text) is None and parse_toml(text, "t")["description"] == "[" * 100
    at_limit = "v = " + "[" * MAX_NESTING + "]" * MAX_NESTING
    assert too_deep(at_limit) is None and parse_toml(at_limit, "t")["v"] is not None
    over = "v = " + "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1)
    assert too_deep(over) == 4 + MAX_NESTING
    for scenario in (ROOT / "scenarios").rglob("*.toml"):  # every file sesim ships still parses
        assert too_deep(scenario.read_text(encoding="utf-8")) is None, scenario


# ------------------------------------------------------------------ decision logs
def small_params():
    return load_scenario("baseline", SMALL_POP).params


@pytest.mark.parametrize(
    "row, needle",
    [
        (f"0,firm:0,hiring:graduates,{DIGITS}", "a number of more than 4300 digits"),
        (f"0,firm:0,hiring:graduates,{DEEP}", "nested deeper than 32 levels"),
        (f"0,firm:0,hiring:graduates,{HEX}", "<an integer of about"),
        (f"0,school:0,communication.depth,{'1' * 400}", "is out of range: allowed 0.0..1.0"),
        (f"{DIGITS},school:0,communication.depth,0.5", "row 1: round = '9999"),
        (f"{DIGITS},school:0,communication.depth,0.5", ": a number of more than 4300 digits"),
        (f"{HEX},school:0,communication.depth,0.5", "round = '0xffff"),
        (f"0,school:{DIGITS},communication.depth,0.5", "is out of range: allowed school:0..school:0"),
        (f"0,school:{'0' * 5000}1,communication.depth,0.5", "is out of range: allowed school:0..school:0"),
        (f"0,firm:0,partnership:school{DIGITS}:leave,true", "is out of range: allowed partnership:school0:leave"),
        (f"0,school:0,{HUGE_TEXT},0.5", "unknown lever 'xxxx"),
        (f"0,school:0,communication.depth,{HUGE_TEXT}", "allowed a number in 0.0..1.0"),
    ],
)
def test_a_log_value_round_or_seat_the_parser_cannot_take_is_refused_in_one_line(tmp_path, row, needle):
    path = tmp_path / "log.csv"
    path.write_text("round,seat,lever,value,time\n" + row + "\n")
    with pytest.raises(ScenarioError) as e:
        pol.load_decisions(path, small_params())
    one_line(e, needle)


def test_a_seat_written_with_leading_zeros_is_the_models_seat(tmp_path):
    """'school:0…01' with thousands of zeros is school 1, read without Python's digit limit; the
    decision goes to the seat the model knows (it was kept under the written name, never applied)."""
    p = load_scenario("baseline", {**SMALL_POP, "population.schools": 2}).params
    path = tmp_path / "log.csv"
    path.write_text(
        f"round,seat,lever,value\n0,school:{'0' * 5000}1,communication.depth,0.9\n"
        "0, school:00 ,communication.depth,0.2\n"
    )
    log = pol.load_decisions(path, p)
    assert sorted(log.schedule) == ["school:0", "school:1"]
    assert [d.value for d in log.schedule["school:1"][0]] == [0.9]


def every_decision(params) -> list[tuple]:
    """One row per round, seat and lever: the longest log ``params`` allows (each at its default)."""
    from sim.agents import lever_field

    rows = []
    for r in range(pol.rounds(params)):
        for side, n in (("school", params.population.schools), ("firm", params.population.firms)):
            keys = {k: pol.format_value(lever_field(k).default) for k in side_keys(side)}
            if side == "firm":
                keys |= {f"partnership:school{k}:leave": "false" for k in range(params.population.schools)}
                keys |= {pol.ACCEPT_NEW: "true", pol.LEAVE_BY_RULE: "true", pol.HIRE: pol.RULE}
            rows += [(r, f"{side}:{i}", k, v, "") for i in range(n) for k, v in keys.items()]
    return rows


def test_a_log_with_one_row_per_round_seat_and_lever_is_read_and_one_more_is_refused(tmp_path):
    p = load_scenario("baseline", {**SMALL_POP, "run.years": 2}).params
    rows = every_decision(p)
    assert len(rows) == pol.max_log_rows(p)
    frame = pd.DataFrame(rows, columns=list(pol.COLUMNS))
    for suffix in (".csv", ".parquet"):
        path = tmp_path / f"full{suffix}"
        pol.write_decision_log(frame, path)
        assert pol.load_decisions(path, p).rows == len(rows)
        longer = tmp_path / f"longer{suffix}"
        pol.write_decision_log(pd.concat([frame, frame.tail(1)]), longer)
        with pytest.raises(ScenarioError) as e:
            pol.load_decisions(longer, p)
        one_line(e, f"allowed at most {len(rows)}, one per round, seat and lever")


def dictionary_log(path: Path, rows: int) -> Path:
    """A few hundred kB of Parquet that unpack to ``rows`` identical rows."""
    idx = pa.array(np.zeros(rows, dtype=np.int32))
    cols = {
        c: pa.DictionaryArray.from_arrays(idx, pa.array([v]))
        for c, v in (
            ("round", "0"),
            ("seat", "school:0"),
            ("lever", "communication.depth"),
            ("value", "0.5"),
            ("time", "t"),
        )
    }
    pq.write_table(pa.table(cols), path, compression="zstd")
    return path


def test_a_parquet_log_of_millions_of_rows_is_refused_from_its_metadata_before_it_is_read(tmp_path, monkeypatch):
    path = dictionary_log(tmp_path / "log.parquet", 2_000_000)
    assert path.stat().st_size < 100_000

    def never(*a, **k):
        raise AssertionError("the table was read")

    monkeypatch.setattr(pd, "read_parquet", never)
    with pytest.raises(ScenarioError) as e:
        pol.load_decisions(path, small_params())
    one_line(e, f"2000000 rows: allowed at most {pol.max_log_rows(small_params())}")


def test_a_parquet_log_of_ten_million_rows_is_refused_in_little_memory(tmp_path):
    """The reported case: 169 kB that unpack to 10 M rows took 2.7 GB before a refusal."""
    import resource

    path = dictionary_log(tmp_path / "log.parquet", 10_000_000)
    assert path.stat().st_size < 300_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux: the peak so far
    with pytest.raises(ScenarioError) as e:
        pol.load_decisions(path, small_params())
    one_line(e, "10000000 rows")
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown < 200_000, f"the peak memory grew by {grown} kB"


def test_sesim_run_refuses_a_huge_parquet_log_in_one_line_and_writes_nothing(tmp_path):
    dictionary_log(tmp_path / "log.parquet", 2_000_000)
    refused(["run", "baseline", *SMALL, "--decisions", "log.parquet", "--out", "o"], tmp_path, "2000000 rows")


def test_a_csv_log_is_read_no_further_than_one_row_past_the_bound(tmp_path, monkeypatch):
    p = small_params()
    path = tmp_path / "log.csv"
    path.write_text("round,seat,lever,value\n" + "0,school:0,communication.depth,0.5\n" * 200_000)
    seen = []
    real = pd.read_csv
    monkeypatch.setattr(pd, "read_csv", lambda *a, **k: seen.append(k.get("nrows")) or real(*a, **k))
    with pytest.raises(ScenarioError) as e:
        pol.load_decisions(path, p)
    one_line(e, f"more than {pol.max_log_rows(p)} rows")
    assert seen == [pol.max_log_rows(p) + 1]


def test_a_parquet_log_that_unpacks_past_the_size_limit_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "log.parquet"
    frame = pd.DataFrame(
        {
            "round": ["0"],
            "seat": ["school:0"],
            "lever": ["communication.depth"],
            "value": ["0.5"],
            "time": ["a" * 200_000],
        }
    )
    pq.write_table(pa.Table.from_pandas(frame), path, compression="zstd")
    monkeypatch.setattr(pol, "MAX_LOG_BYTES", 50_000)
    assert path.stat().st_size < 50_000
    with pytest.raises(ScenarioError) as e:
        pol.load_decisions(path, small_params())
    one_line(e, "bytes unpacked is too large for a decision log (allowed at most 50000)")


# ------------------------------------------------------------------ posterior files
TARGETS = ROOT / "scenarios" / "targets" / "china_gaozhi.toml"


def tampered_posterior(tmp_path: Path, edit) -> Path:
    """A copy of the shipped posterior (same header, so the same target hash) with ``edit`` applied to
    its particles; the path of the target file it answers."""
    from analysis.calibration import posterior_path, target_sha256

    text = posterior_path(TARGETS).read_text(encoding="utf-8")
    target = tmp_path / "targets.toml"
    target.write_bytes(TARGETS.read_bytes())
    head = [
        f'# target_sha256: "{target_sha256(target)}"' if line.startswith("# target_sha256:") else line
        for line in text.splitlines()
        if line.startswith("#")
    ]  # answers the targets as they are now
    particles = pd.read_csv(io.StringIO(text), comment="#")
    particles = edit(particles)
    buf = io.StringIO()
    particles.to_csv(buf, index=False)
    posterior_path(target).write_text("\n".join(head) + "\n" + buf.getvalue(), encoding="utf-8")
    return target


def with_column(name, value):
    return lambda df: df.assign(**{name: value})


def set_column(name, value):
    return lambda df: df.assign(**{name: [value] * len(df)}).astype({name: object})


def set_first(name, value):
    """``name`` in the first particle only set to ``value``."""

    def edit(df):
        df = df.astype({name: object})
        df.loc[0, name] = value
        return df

    return edit


@pytest.mark.parametrize(
    "edit, needle",
    [
        (with_column("run.years", 3), "column 'run.years': allowed particle, weight, distance and numeric behavioural"),
        (with_column("a.b.c", 1), "column 'a.b.c': allowed"),
        (with_column("firm_support.intern_allowance", 99.0), "'firm_support.intern_allowance' = 99.0 is out of range"),
        (with_column("behaviour.bogus", np.nan), "column 'behaviour.bogus'"),
        (with_column("behaviour.school_goal", 0.5), "column 'behaviour.school_goal'"),  # a table, not a number
        (set_column("behaviour.job_finding_rate", 5), "key 'behaviour.job_finding_rate' = 5.0 is out of range"),
        (set_column("behaviour.dismissal_rate", -3), "key 'behaviour.dismissal_rate' = -3.0 is out of range"),
        (
            set_first("behaviour.dismissal_rate", "x"),
            "row 1, column 'behaviour.dismissal_rate' = 'x': allowed a finite",
        ),
        (
            set_first("behaviour.dismissal_rate", np.inf),
            "row 1, column 'behaviour.dismissal_rate' = inf: allowed a finite",
        ),
        (set_column("behaviour.dismissal_rate", np.nan), "column 'behaviour.dismissal_rate' holds no numbers"),
        (set_first("behaviour.dismissal_rate", HUGE_TEXT), "= 'xxxxxxxx"),
    ],
)
def test_a_tampered_posterior_is_refused_in_one_line(tmp_path, edit, needle):
    from analysis.uncertainty import make_draws

    target = tampered_posterior(tmp_path, edit)
    with pytest.raises(ScenarioError) as e:
        make_draws("posterior", 4, 0, target)
    one_line(e, needle)


def test_every_posterior_draw_is_a_parameter_set_that_set_takes(tmp_path):
    from analysis.uncertainty import drawn_keys, make_draws

    draws = make_draws("posterior", 16, 0, tampered_posterior(tmp_path, lambda df: df))
    for _, row in draws.iterrows():
        load_scenario("baseline", {k: row[k] for k in drawn_keys(draws)})


def test_compare_uncertainty_refuses_a_tampered_posterior_in_one_line_and_writes_nothing(tmp_path, monkeypatch):
    import analysis.calibration as cal

    target = tampered_posterior(tmp_path, with_column("run.years", 3))
    monkeypatch.setattr(cal, "posterior_path", lambda t: target.with_name("targets.posterior.csv"))
    refused(
        [
            "compare",
            "baseline",
            "communication",
            "--uncertainty",
            "posterior",
            "--draws",
            "4",
            "--years",
            "1",
            "--out",
            "o",
        ],
        tmp_path,
        "column 'run.years'",
    )


# ------------------------------------------------------------------ refusals quote at most 80 characters
@pytest.mark.parametrize(
    "argv",
    [
        ["run", "baseline", "--set", f"communication.depth={HUGE_TEXT}", "--out", "o"],
        ["run", "baseline", "--set", f"{HUGE_TEXT}=1", "--out", "o"],
        ["run", "baseline", "--set", f"communication.{HUGE_TEXT}=1", "--out", "o"],
        ["validate", HUGE_TEXT[:3000]],
        ["calibrate", str(TARGETS), "--free", f"behaviour.{HUGE_TEXT}=[0,1]", "--budget", "3", "--out", "o"],
        ["calibrate", str(TARGETS), "--free", f"behaviour.job_finding_rate={HUGE_TEXT}", "--budget", "3", "--out", "o"],
        ["run", "baseline", "--seeds", "9" * 5000],  # argparse's own refusals
        ["run", "baseline", HUGE_TEXT],
        ["compare", "baseline", "communication", "--precision", HUGE_TEXT],
        ["sweep", "grid", "--shard", HUGE_TEXT, "--out", "o"],
    ],
    ids=[
        "set-value",
        "set-key",
        "set-section",
        "validate",
        "free-key",
        "free-range",
        "int-flag",
        "argument",
        "float-flag",
        "shard",
    ],
)
def test_a_refusal_quotes_at_most_about_80_characters_of_the_input(tmp_path, argv):
    err = refused(argv, tmp_path, "sesim: error")
    assert "x" * MAX_SHOWN not in err and "9" * MAX_SHOWN not in err and len(err) < 400, err


def test_a_scenario_key_or_value_of_100000_characters_is_quoted_short(tmp_path):
    for text in (
        f'extends = "baseline"\n[communication]\n{HUGE_TEXT} = 1\n',
        f'extends = "baseline"\n[party_building]\nmode = "{HUGE_TEXT}"\n',
        f'extends = "{HUGE_TEXT}"\n',
    ):
        (tmp_path / "s.toml").write_text(text)
        err = refused(["validate", "s.toml"], tmp_path, "s.toml")
        assert "x" * (MAX_SHOWN + 1) not in err, err


def test_shown_cuts_and_never_fails():
    assert shown("abc") == "'abc'" and shown("abc", raw=True) == "abc"
    assert len(shown("y" * 10_000)) == MAX_SHOWN and shown("y" * 10_000).endswith("...")
    assert shown(10**5000) == "<an integer of about 5001 digits>"
    assert shown([10**5000]) == "<a value too long to show>"
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert shown(deep) == "<a value nested too deep to show>"


# ------------------------------------------------------------------ CSV cells a spreadsheet would run
def test_text_a_spreadsheet_would_run_is_quoted_and_numbers_stay_numbers(tmp_path):
    frame = pd.DataFrame(
        {
            "=name": [
                "=cmd|' /C calc'!A0",
                "+1+cmd",
                "-2+3",
                "@SUM(A1)",
                "\t=x",
                "\r=x",
                "-0.5",
                "+3",
                "-1e-3",
                "plain",
            ],
            "number": [-1.5, 2.0, -3.0, 0.0, 1.0, 1.0, -0.25, 3.0, 4.0, 5.0],
            "count": np.arange(-5, 5),
        }
    )
    path = tmp_path / "t.csv"
    write_csv(frame, path, float_format="%.6g")
    with open(path, newline="", encoding="utf-8") as fh:
        head, *rows = list(csv.reader(fh))
    assert head == ["'=name", "number", "count"]
    assert [r[0] for r in rows] == [
        "'=cmd|' /C calc'!A0",
        "'+1+cmd",
        "'-2+3",
        "'@SUM(A1)",
        "'\t=x",
        "'\r=x",
        "-0.5",
        "+3",
        "-1e-3",
        "plain",
    ]
    assert [r[1] for r in rows][:3] == ["-1.5", "2", "-3"] and rows[0][2] == "-5"
    assert neutral_text("'=x") == "'=x" and neutral_text(-1) == -1  # quoting twice adds nothing
    assert neutral_text("-inf") == "'-inf" and neutral_text("-1_0") == "'-1_0" and neutral_text("-.5e-3") == "-.5e-3"
    clean = pd.DataFrame({"a": ["x"], "b": [-1]})
    assert neutralised(clean) is clean


def test_no_module_writes_a_csv_but_through_the_one_helper():
    offenders = [
        str(p.relative_to(ROOT))
        for d in ("sim", "analysis")
        for p in (ROOT / d).rglob("*.py")
        if ".to_csv(" in p.read_text(encoding="utf-8") and p.name != "spreadsheet.py"
    ]
    assert offenders == []


def test_a_formula_in_a_decision_logs_time_is_quoted_in_decisions_csv_and_the_log_still_replays(tmp_path):
    (tmp_path / "log.csv").write_text(
        "round,seat,lever,value,time\n"
        "0,school:0,communication.depth,0.7,\"=cmd|' /C calc'!A0\"\n"
        "0,firm:0,hiring:graduates,2,@SUM(1)\n"
    )
    code, _, err = call(["run", "baseline", *SMALL, "--decisions", "log.csv", "--out", "a"], tmp_path)
    assert code == 0, err
    written = (tmp_path / "a" / "decisions.csv").read_text()
    assert "'=cmd|' /C calc'!A0" in written and "'@SUM(1)" in written
    assert "\n=" not in written and ",=" not in written and ",@" not in written
    code, _, err = call(["run", "baseline", *SMALL, "--decisions", "a/decisions.csv", "--out", "b"], tmp_path)
    assert code == 0, err
    assert (tmp_path / "a" / "summary.csv").read_bytes() == (tmp_path / "b" / "summary.csv").read_bytes()


def test_a_formula_in_a_targets_name_or_source_is_quoted_in_fit_csv(tmp_path):
    from analysis.calibration import Target, fit_table

    acc = pd.DataFrame({"weight": [0.5, 0.5], "early_turnover_6m": [0.4, 0.5]})
    t = Target("=cmd|' /C calc'!A0", "early_turnover_6m", 0.42, 0.38, 0.46, 1.0, "headline", "@SUM(1)+cmd", "")
    write_csv(fit_table(acc, [t], None), tmp_path / "fit.csv")
    back = pd.read_csv(tmp_path / "fit.csv")
    assert back["target"].tolist() == ["'=cmd|' /C calc'!A0"] and back["source"].tolist() == ["'@SUM(1)+cmd"]
    assert back["value"].tolist() == [0.42]
