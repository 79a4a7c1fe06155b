"""sesim never destroys what is not its own (data loss and bad input).

Every dangerous case runs inside ``tmp_path``: a victim folder with a user's file stands beside
the results, and each test checks that it is still there, byte for byte.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sim.outputs import OutputSlot, check_out
from sim.scenario import ScenarioError

TINY_SETS = [
    "--set",
    "population.schools=2",
    "--set",
    "population.cohort_size=40",
    "--set",
    "population.firms=12",
    "--set",
    "population.partners_per_school=6",
    "--set",
    "run.warmup_months=12",
    "--years",
    "2",
]
ROOT = Path(__file__).resolve().parent.parent


def sesim(*args: str, cwd: Path | None = None, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=cwd, env=env, **kw)


def one_clean_line(r: subprocess.CompletedProcess, needle: str) -> None:
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("sesim: error:"), r.stderr
    assert needle in r.stderr, r.stderr


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    v = tmp_path / "victim"
    v.mkdir()
    (v / "notes.txt").write_text("my thesis data\n")
    return v


def intact(v: Path) -> bool:
    return (v / "notes.txt").read_text() == "my thesis data\n"


def scenario_file(folder: Path, name: str, extra: str = "") -> Path:
    f = folder / "s.toml"
    f.write_text(f"extends = 'baseline'\nname = {json.dumps(name)}\n{extra}", encoding="utf-8")
    return f


# --- 1. scenario names ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["../../victim", "", "/", "..", "a/b", "x" * 65, "x" * 5000, "名字", "a b", "a\nb"])
def test_a_scenario_name_that_is_no_identifier_is_refused_by_validate_and_run(tmp_path, victim, name):
    work = tmp_path / "work" / "deep"
    work.mkdir(parents=True)
    f = scenario_file(work, name)
    one_clean_line(sesim("validate", str(f)), "key 'name'")
    r = sesim("run", str(f), "--seeds", "1", *TINY_SETS, cwd=work)
    one_clean_line(r, "key 'name'")
    assert intact(victim) and not (work / "results").exists()


def test_an_identifier_name_validates():
    r = sesim("validate", "huli_tongqiang_qirong")
    assert r.returncode == 0 and "ok" in r.stdout


# --- 1. output folders that are not sesim's --------------------------------------------------------
def test_a_user_folder_as_out_is_refused_and_kept(tmp_path, victim):
    r = sesim("run", "baseline", "--seeds", "1", *TINY_SETS, "--out", str(victim))
    one_clean_line(r, "holds no sesim result")
    assert intact(victim) and sorted(p.name for p in victim.iterdir()) == ["notes.txt"]
    r = sesim("compare", "baseline", "craftsman", "--seeds", "2", *TINY_SETS, "--out", str(victim))
    one_clean_line(r, "holds no sesim result")
    assert intact(victim)


def test_the_current_folder_is_never_an_output(tmp_path, victim):
    for out in (".", str(tmp_path), "/"):
        r = sesim("run", "baseline", "--seeds", "1", *TINY_SETS, "--out", out, cwd=victim)
        assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert intact(victim) and sorted(p.name for p in victim.iterdir()) == ["notes.txt"]


@pytest.mark.slow  # sesim runs end to end
def test_a_sesim_result_is_replaced_but_not_one_holding_a_user_file(tmp_path):
    out = tmp_path / "r"
    assert sesim("run", "baseline", "--seeds", "1", *TINY_SETS, "--out", str(out)).returncode == 0
    first = json.loads((out / "manifest.json").read_text())
    assert first["kind"] == "run" and "summary.csv" in first["files"]
    r = sesim("run", "baseline", "--seeds", "1", "--seed", "7", *TINY_SETS, "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert json.loads((out / "manifest.json").read_text())["seeds"] == [7]
    (out / "notes.txt").write_text("mine")
    one_clean_line(sesim("run", "baseline", "--seeds", "1", *TINY_SETS, "--out", str(out)), "did not write (notes.txt)")
    assert (out / "notes.txt").read_text() == "mine"
    # a run result is not replaced by a comparison
    (out / "notes.txt").unlink()
    one_clean_line(
        sesim("compare", "baseline", "craftsman", "--seeds", "2", *TINY_SETS, "--out", str(out)),
        "not of 'sesim compare'",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]  # no leftovers beside it


def test_a_set_run_does_not_replace_the_strategy_folder(tmp_path):
    assert sesim("run", "baseline", "--seeds", "1", "--set", "run.years=2", cwd=tmp_path, timeout=600).returncode == 0
    assert (
        sesim(
            "run",
            "baseline",
            "--seeds",
            "1",
            "--set",
            "run.years=2",
            "--set",
            "communication.depth=0.9",
            cwd=tmp_path,
            timeout=600,
        ).returncode
        == 0
    )
    names = sorted(p.name for p in (tmp_path / "results").iterdir())
    assert len(names) == 2 and all(n.startswith("baseline-set-") for n in names), names


# --- 1. atomic replacement, leftovers, locks -------------------------------------------------------
KILLER = textwrap.dedent("""
    import os, sys, pathlib
    sys.path.insert(0, {root!r})
    import sim.outputs as o
    out, mode, k = pathlib.Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    calls = [0]
    def dying(real):
        def f(*a, **kw):
            calls[0] += 1
            if calls[0] == k:
                os._exit(9)                      # the process dies here, as under SIGKILL
            return real(*a, **kw)
        return f
    if mode == "fallback":
        o._exchange = lambda a, b: False
    o.os.rename = dying(os.rename)
    o.shutil.rmtree = dying(o.shutil.rmtree)
    real_exchange = o._exchange
    o._exchange = dying(real_exchange)
    with o.OutputSlot(out, "run") as slot:
        tmp = slot.staging()
        (tmp / "summary.csv").write_text("new")
        slot.publish({{"package": "sesim", "version": "test"}})
""")


def complete_result(out: Path) -> str | None:
    """'old' or 'new' if ``out`` holds a whole result, else None."""
    try:
        m = json.loads((out / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    if sorted(p.name for p in out.iterdir()) != sorted([*m["files"], "manifest.json"]):
        return None
    return (out / "summary.csv").read_text()


def old_result(out: Path) -> None:
    with OutputSlot(out, "run") as slot:
        tmp = slot.staging()
        (tmp / "summary.csv").write_text("old")
        slot.publish({"package": "sesim", "version": "test"})


@pytest.mark.parametrize("mode", ["exchange", "fallback"])
def test_a_kill_at_any_instant_of_the_swap_leaves_a_complete_old_or_new_result(tmp_path, mode):
    """Kill at the k-th rename/exchange/rmtree of a publication, for every k until it completes.

    With an atomic exchange the folder is whole at every instant; without one (other systems) a
    kill between the two renames leaves the old result aside, and the next run puts it back.
    """
    script = tmp_path / "killer.py"
    script.write_text(KILLER.format(root=str(ROOT)))
    seen = set()
    for k in range(1, 10):
        out = tmp_path / f"k{k}" / "res"
        old_result(out)
        r = subprocess.run([sys.executable, str(script), str(out), mode, str(k)], capture_output=True, text=True)
        state = complete_result(out)
        if mode == "exchange":
            assert state in ("old", "new"), (k, r.stderr, sorted(p.name for p in out.parent.iterdir()))
        with OutputSlot(out, "run"):  # the next run into the same place: recovery and clean-up
            pass
        assert complete_result(out) in ("old", "new"), (k, sorted(p.name for p in out.parent.iterdir()))
        assert sorted(p.name for p in out.parent.iterdir()) == ["res"], k  # no leftover
        seen.add(complete_result(out))
        if r.returncode == 0:
            break
    assert seen == {"old", "new"}


def test_leftovers_of_a_killed_run_are_removed_by_the_next_run_there(tmp_path):
    out = tmp_path / "res"
    (tmp_path / ".res.partial-abc123").mkdir()
    (tmp_path / ".res.partial-abc123" / "summary.csv").write_text("half")
    (tmp_path / ".other.partial-x").mkdir()  # another output's: not ours to remove here
    old_result(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.partial-x", "res"]


def test_a_second_command_on_the_same_out_is_refused_while_the_first_writes(tmp_path):
    out = tmp_path / "res"
    with OutputSlot(out, "run"):
        r = sesim("run", "baseline", "--seeds", "1", *TINY_SETS, "--out", str(out))
        one_clean_line(r, "another sesim command is writing")
    assert not out.exists()
    assert sesim("run", "baseline", "--seeds", "1", *TINY_SETS, "--out", str(out)).returncode == 0


@pytest.mark.slow  # sesim runs end to end
def test_a_killed_run_keeps_the_old_result_and_the_next_run_cleans_up(tmp_path):
    out = tmp_path / "res"
    assert sesim("run", "baseline", "--seeds", "1", *TINY_SETS, "--out", str(out)).returncode == 0
    before = (out / "summary.csv").read_bytes()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = ["run", "baseline", "--seeds", "40", "--seed", "5", *TINY_SETS, "--out", str(out)]
    p = subprocess.Popen([sys.executable, "-m", "sim", *killed], env=env, stderr=subprocess.PIPE, text=True)
    lock = tmp_path / ".res.lock"
    deadline = time.time() + 120
    while not lock.exists() and time.time() < deadline:
        time.sleep(0.05)
    assert lock.exists()
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=60)
    assert (out / "summary.csv").read_bytes() == before
    # the replicates it finished are kept for --resume (docs/odd.md §13), which completes it and cleans up
    assert sesim(*killed, "--resume").returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]
    assert (out / "summary.csv").read_bytes() != before


# --- 2. orphans --------------------------------------------------------------------------------------
def descendants(pid: int) -> set[int]:
    import psutil

    try:
        return {c.pid for c in psutil.Process(pid).children(recursive=True)}
    except psutil.NoSuchProcess:
        return set()


@pytest.mark.parametrize("command", ["run", "sweep"])
def test_workers_end_when_their_command_is_killed(tmp_path, command):
    import psutil

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    sets = [x if x != "--years" else "--set" for x in TINY_SETS]
    sets[sets.index("--set", len(sets) - 2) + 1] = "run.years=2"  # sweeps take --set run.years=N
    what = (
        ["run", "baseline", "--seeds", "400", *TINY_SETS]
        if command == "run"
        else ["sweep", str(ROOT / "scenarios" / "sweeps" / "grid_depth_alignment.toml"), *sets]
    )
    p = subprocess.Popen(
        [sys.executable, "-m", "sim", *what, "--workers", "2", "--out", str(tmp_path / "o")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    kids: set[int] = set()
    while time.time() < deadline:  # the forkserver, the resource tracker and two workers
        kids = descendants(p.pid)
        if len(kids) >= 4:
            break
        time.sleep(0.1)
    assert len(kids) >= 4, kids
    p.kill()
    p.wait(timeout=30)
    deadline = time.time() + 60
    alive = kids
    while time.time() < deadline:
        alive = {k for k in kids if psutil.pid_exists(k) and psutil.Process(k).status() != psutil.STATUS_ZOMBIE}
        if not alive:
            break
        time.sleep(0.2)
    for k in alive:
        os.kill(k, signal.SIGKILL)
    assert not alive


def test_ctrl_c_of_a_run_on_two_workers_exits_130_without_tracebacks(tmp_path):
    """The terminal sends SIGINT to the whole process group: the command answers, its workers stay quiet."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim",
            "run",
            "baseline",
            "--seeds",
            "400",
            "--workers",
            "2",
            *TINY_SETS,
            "--out",
            str(tmp_path / "o"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.time() + 120
    while len(descendants(p.pid)) < 4 and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)  # the workers are busy with replicates
    os.killpg(p.pid, signal.SIGINT)
    err = p.communicate(timeout=120)[1]
    assert p.returncode == 130, err
    assert "Traceback" not in err, err
    # the replicates that finished are kept beside the output folder, and --resume continues (docs/odd.md §13)
    store = tmp_path / "o.replicates"
    stored = len(list(store.glob("r-*.summary.parquet")))
    if stored:
        assert f"interrupted; {stored} replicate{'s' if stored != 1 else ''} stored in {store}" in err, err
        assert "--resume" in err and sorted(x.name for x in tmp_path.iterdir()) == ["o.replicates"]
    else:
        assert "interrupted; no results written" in err and sorted(x.name for x in tmp_path.iterdir()) == [], err
    assert not (tmp_path / "o").exists()


# --- 3, 4. bad input: one line, exit 2, nothing written -------------------------------------------
@pytest.mark.parametrize(
    "extra, needle",
    [
        ("[communication]\ndepth = nan\n", "communication.depth"),
        ("[behaviour]\nbelief_learning_rate = nan\n", "behaviour.belief_learning_rate"),
        ("[behaviour]\nintern_value = inf\n", "behaviour.intern_value"),
        ("[firm_support]\nresources = -inf\n", "firm_support.resources"),
        ("[population]\nownership_mix = { state = nan, private = 0.5, foreign = 0.5 }\n", "ownership_mix"),
    ],
)
def test_non_finite_numbers_are_refused(tmp_path, extra, needle):
    f = scenario_file(tmp_path, "s", extra)
    one_clean_line(sesim("validate", str(f)), needle)
    one_clean_line(sesim("run", str(f), "--seeds", "1", *TINY_SETS, "--out", str(tmp_path / "o")), needle)
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_set_values_are_refused(tmp_path, value):
    r = sesim("run", "baseline", "--seeds", "1", "--set", f"communication.depth={value}", "--out", str(tmp_path / "o"))
    one_clean_line(r, "finite")
    assert not (tmp_path / "o").exists()


def test_non_finite_target_files_and_calibration_bounds_are_refused(tmp_path):
    t = tmp_path / "t.toml"
    t.write_text("[early_turnover_6m]\nvalue = nan\ntolerance = 0.1\nsource = 'x'\n")
    one_clean_line(
        sesim("calibrate", str(t), "--free", "behaviour.offer_sd=[0.6,1.5]", "--out", str(tmp_path / "o")), "finite"
    )
    good = tmp_path / "g.toml"
    good.write_text("[early_turnover_6m]\nvalue = 0.4\ntolerance = 0.1\nsource = 'x'\n")
    one_clean_line(
        sesim("calibrate", str(good), "--free", "behaviour.offer_sd=[nan,1.5]", "--out", str(tmp_path / "o")), "finite"
    )
    one_clean_line(
        sesim("calibrate", str(tmp_path), "--free", "behaviour.offer_sd=[0.6,1.5]", "--out", str(tmp_path / "o")),
        "is a folder",
    )
    assert not (tmp_path / "o").exists()


def test_unreadable_scenario_files_are_refused_in_one_line(tmp_path):
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00name = 'x'\x80\x81")
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes("name = 'caf\xe9'\n".encode("latin-1"))
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    for f, needle in (
        (binary, "UTF-8"),
        (latin1, "UTF-8"),
        (fifo, "not a regular file"),
        (Path("/dev/zero"), "not a regular file"),
        (tmp_path, "is a folder"),
    ):
        one_clean_line(sesim("validate", str(f), timeout=60), needle)
    for cmd in (
        ["run", str(binary), "--seeds", "1"],
        ["compare", "baseline", str(latin1), "--seeds", "2"],
        ["run", str(fifo), "--seeds", "1"],
    ):
        one_clean_line(sesim(*cmd, "--out", str(tmp_path / "o"), timeout=60), "")
    assert not (tmp_path / "o").exists()


def test_a_too_deep_extends_chain_is_refused(tmp_path):
    (tmp_path / "s0.toml").write_text("extends = 'baseline'\nname = 's0'\n")
    for i in range(1, 3000):
        (tmp_path / f"s{i}.toml").write_text(f"extends = 's{i - 1}'\nname = 's{i}'\n")
    one_clean_line(sesim("validate", str(tmp_path / "s2999.toml")), "deeper than")
    assert sesim("validate", str(tmp_path / "s5.toml")).returncode == 0


def test_long_names_and_paths_are_refused_in_one_line(tmp_path):
    one_clean_line(sesim("validate", "x" * 5000), "not a usable file name")
    one_clean_line(sesim("run", "baseline", "--seeds", "1", "--out", str(tmp_path / ("o" * 300))), "too long")
    assert list(tmp_path.iterdir()) == []


# --- 5. resources -------------------------------------------------------------------------------------
def test_seeds_and_seed_are_bounded(tmp_path):
    t0 = time.time()
    one_clean_line(sesim("run", "baseline", "--seeds", "100000000000", "--out", str(tmp_path / "o")), "1..10000")
    assert time.time() - t0 < 120  # refused at once (generous limit: the interpreter's start-up)
    one_clean_line(sesim("run", "baseline", "--seed", str(2**63), "--out", str(tmp_path / "o")), "--seed")
    one_clean_line(sesim("compare", "baseline", "craftsman", "--seed", str(2**63 - 1), "--seeds", "2"), "--seed")
    assert list(tmp_path.iterdir()) == []


def test_a_population_that_cannot_fit_is_refused_with_the_estimate(tmp_path, monkeypatch, capsys):
    from sim import resources
    from sim.apps import cli

    # the schema's largest population needs a few GB (docs/odd.md §13): refused where 2 GB are free
    monkeypatch.setattr(resources, "available_bytes", lambda: 2 * 2**30)
    code = cli.main(
        [
            "run",
            "baseline",
            "--seeds",
            "1",
            "--set",
            "population.schools=100",
            "--set",
            "population.cohort_size=10000",
            "--set",
            "population.firms=5000",
            "--out",
            str(tmp_path / "o"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "GB of memory" in err and "2.0 GB free" in err, err
    assert list(tmp_path.iterdir()) == []
    small = resources.estimate([cli.load_scenario("baseline").params], 10, 2)
    assert small.peak_bytes < 2 * 2**30  # the default fits easily


def test_progress_is_printed_when_stderr_is_not_a_terminal(tmp_path):
    r = sesim("run", "baseline", "--seeds", "3", *TINY_SETS, "--out", str(tmp_path / "o"))
    assert r.returncode == 0
    assert "sesim: baseline: 3/3 replicates (100%)" in r.stderr


# --- 6. what ran, permissions ---------------------------------------------------------------------
def test_the_resolved_scenario_records_the_seed_that_ran(tmp_path):
    out = tmp_path / "o"
    assert sesim("run", "baseline", "--seeds", "2", "--seed", "5", *TINY_SETS, "--out", str(out)).returncode == 0
    assert "seed = 5\n" in (out / "scenario.resolved.toml").read_text()
    assert json.loads((out / "manifest.json").read_text())["seeds"] == [5, 6]


@pytest.mark.parametrize("mask, mode", [(0o022, 0o755), (0o077, 0o700), (0o002, 0o775)])
def test_output_folders_follow_the_umask(tmp_path, mask, mode):
    out = tmp_path / "o"
    r = subprocess.run(
        [sys.executable, "-m", "sim", "run", "baseline", "--seeds", "1", *TINY_SETS, "--out", str(out)],
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(mask),
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == mode


# --- 11, 13. short runs, names in messages -----------------------------------------------------------
def test_a_short_run_says_why_a_metric_is_missing_and_prints_no_interval_under_3_replicates(tmp_path):
    r = sesim(
        "run", "baseline", "--seeds", "2", *TINY_SETS, "--set", "run.warmup_months=0", "--out", str(tmp_path / "o")
    )
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.startswith("graduate_retention_36m"))
    assert "needs at least 5 reported years" in line and "nan" not in r.stdout
    assert "[" not in r.stdout and "no intervals with fewer than 3 replicates" in r.stdout
    assert "share 0-1" in r.stdout and "thousand yuan per partnership-year" in r.stdout


def test_the_demo_subcommand_is_gone_and_discover_names_its_own_flag(tmp_path):
    assert sesim("demo").returncode == 2
    one_clean_line(
        sesim("discover", str(tmp_path), "--metric", "firm_retension", "--above", "0.5"),
        "--metric: unknown metric 'firm_retension'; did you mean 'firm_retention'?",
    )


def test_check_out_refuses_a_file_and_accepts_a_new_folder(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(ScenarioError, match="is a file, not a folder"):
        check_out(tmp_path / "f", "run")
    assert check_out(tmp_path / "new" / "deeper", "run") == tmp_path / "new" / "deeper"
