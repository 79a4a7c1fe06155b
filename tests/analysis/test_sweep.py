"""``sesim sweep``: sweep files, identical tables on every backend and sharding, resume after
SIGKILL, Ctrl-C and damaged batch files, failing runs, re-running a row, --set, and the job
script of a SLURM/PBS cluster."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.sweep import LocalBackend, load_runs, run_sweep
from analysis.sweepfile import SWEEP_DIR, load_sweep, replicate_seed
from sim.apps.cli import main
from sim.metrics import ALL_METRICS

from .holding import held, interrupt_after_batch, wait_for_batch

SMALL_BASE = """extends = "baseline"
name = "small"
[population]
schools = 2
firms = 24
partners_per_school = 6
cohort_size = 120
[run]
years = 4
warmup_months = 12
"""
GRID = """base = "small.toml"
design = "grid"
replicates = 2
seed = 3
[levers]
"communication.depth" = [0.1, 0.9]
"goal_alignment.weight" = [0.0, 0.5, 1.0]
"""


def sesim(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("sweepfiles")
    (d / "small.toml").write_text(SMALL_BASE)
    (d / "grid.toml").write_text(GRID)
    return d


@pytest.fixture(scope="module")
def reference(files, tmp_path_factory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("ref") / "serial"
    r = sesim("sweep", str(files / "grid.toml"), "--out", str(out))
    assert r.returncode == 0, r.stderr
    return load_runs(out)


def test_table_has_one_row_per_run_with_levers_seeds_and_metrics(reference):
    assert list(reference["run_id"]) == list(range(12))
    assert list(reference["point"]) == [i // 2 for i in range(12)]
    assert set(reference["seed"]) == {replicate_seed(3, 0), replicate_seed(3, 1)}
    # common random numbers: the seed depends on the replicate only
    assert (reference.groupby("replicate")["seed"].nunique() == 1).all()
    assert (reference["status"] == "ok").all()
    assert set(ALL_METRICS) <= set(reference.columns)
    assert reference[["firm_retention", "skill_technical", "firm_willingness"]].notna().all().all()
    grid = reference[["communication.depth", "goal_alignment.weight"]].drop_duplicates()
    assert len(grid) == 6


@pytest.mark.slow  # a sweep on two workers, Dask and shards
def test_two_workers_dask_and_shards_give_the_same_table(files, reference, tmp_path):
    r = sesim("sweep", str(files / "grid.toml"), "--workers", "2", "--out", str(tmp_path / "two"))
    assert r.returncode == 0, r.stderr
    pd.testing.assert_frame_equal(load_runs(tmp_path / "two"), reference)
    pytest.importorskip("distributed")
    r = sesim("sweep", str(files / "grid.toml"), "--backend", "dask", "--workers", "2", "--out", str(tmp_path / "dask"))
    assert r.returncode == 0, r.stderr
    pd.testing.assert_frame_equal(load_runs(tmp_path / "dask"), reference)
    for i in range(3):  # a job array writes its shards into one folder
        r = sesim("sweep", str(files / "grid.toml"), "--shard", f"{i}/3", "--out", str(tmp_path / "shards"))
        assert r.returncode == 0, r.stderr
        assert "sesim sweep merge" in r.stdout
    r = sesim("sweep", "merge", str(tmp_path / "shards"))
    assert r.returncode == 0, r.stderr
    pd.testing.assert_frame_equal(load_runs(tmp_path / "shards"), reference)
    m = json.loads((tmp_path / "shards" / "manifest.json").read_text())
    assert m["status"] == "complete"
    assert m["command"][-2:] == ["merge", str(tmp_path / "shards")]  # the merge's, not shard 0's
    assert sorted(c[c.index("--shard") + 1] for c in m["shard_commands"]) == ["0/3", "1/3", "2/3"]


def test_merge_refuses_while_a_shard_is_missing(files, tmp_path):
    for i in (0, 2):
        assert sesim("sweep", str(files / "grid.toml"), "--shard", f"{i}/3", "--out", str(tmp_path)).returncode == 0
    r = sesim("sweep", "merge", str(tmp_path))
    assert r.returncode == 2 and "4 of 12 runs are missing" in r.stderr and "1/3" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "manifest.json").exists()


def test_a_row_can_be_rerun_alone(reference, files):
    from sim.runner import run_replicate
    from sim.scenario import load_scenario

    row = reference.iloc[7]
    scn = load_scenario(
        files / "small.toml",
        {"communication.depth": row["communication.depth"], "goal_alignment.weight": row["goal_alignment.weight"]},
    )
    again, _, _ = run_replicate(scn.params, int(row["seed"]), 0, "small")
    for m in ALL_METRICS:
        assert again[m] == pytest.approx(row[m], nan_ok=True, rel=0, abs=0), m


@pytest.mark.slow  # whole commands end to end (make quick leaves them out)
def test_killed_sweep_resumes_to_exactly_one_row_per_run(files, reference, tmp_path):
    out = tmp_path / "killed"
    env, _ = held(tmp_path, 2)  # runs from id 2 on wait, so the kill lands part-way
    p = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim",
            "sweep",
            str(files / "grid.toml"),
            "--workers",
            "2",
            "--batch-size",
            "1",
            "--out",
            str(out),
        ],
        start_new_session=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_batch(out / "runs")
    finally:
        os.killpg(p.pid, signal.SIGKILL)  # the sweep and its workers, mid-flight
        p.wait()
    stored = len(list((out / "runs").glob("runs-*.parquet")))
    assert 1 <= stored <= 2
    assert json.loads((out / "manifest.json").read_text())["status"] == "running"
    r = sesim("sweep", str(files / "grid.toml"), "--out", str(out))
    assert r.returncode == 2 and "--resume" in r.stderr  # no silent overwrite
    r = sesim("sweep", str(files / "grid.toml"), "--workers", "2", "--resume", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert f"{stored} were already stored" in r.stdout
    got = load_runs(out)
    raw = pd.concat([pd.read_parquet(f) for f in (out / "runs").glob("runs-*.parquet")])
    assert len(raw) == 12 and raw["run_id"].is_unique
    pd.testing.assert_frame_equal(got, reference)
    assert not list((out / "runs").glob(".tmp-*"))
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"


def without_dask_heartbeat_noise(err: str) -> str:
    """stderr less the log record (and its traceback) that a Dask worker writes when its heartbeat
    finds the scheduler already gone while the cluster shuts down — Dask's own shutdown race on a
    loaded machine, printed by the worker process, not by sesim; anything else stays."""
    import re

    record = re.compile(r"^\S.*distributed\.\w+ - ERROR - Failed to communicate with scheduler during heartbeat\.$")
    out, skipping = [], False
    for line in err.splitlines(keepends=True):
        if record.match(line.rstrip("\n")):
            skipping = True
            continue
        if skipping and (
            line.startswith((" ", "Traceback", "\n"))
            or not line.strip()
            or re.match(r"^[\w.]+(Error|Exception|Closed\w*):?", line)
            or line.startswith(("The above exception", "During handling of the above exception"))
        ):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


@pytest.mark.parametrize(
    "backend", [["--workers", "2"], ["--backend", "dask", "--workers", "1"]], ids=["local", "dask"]
)
@pytest.mark.slow  # whole commands end to end (make quick leaves them out)
def test_ctrl_c_exits_130_keeping_the_batches_and_resume_completes(files, reference, tmp_path, backend):
    """Ctrl-C (SIGINT to the sweep's process group, as a terminal sends it) with dask-jobqueue
    imported: exit 130, one line saying how to resume, no traceback; --resume then completes."""
    if "dask" in backend:
        pytest.importorskip("distributed")
    out = tmp_path / "out"
    env, release = held(tmp_path, 4)  # batches [0, 1] and [2, 3] can finish, no later one
    code, err, _ = interrupt_after_batch(
        ["sweep", str(files / "grid.toml"), *backend, "--batch-size", "2", "--out", str(out)],
        env,
        release,
        out / "runs",
    )
    stored = len(list((out / "runs").glob("runs-*.parquet")))
    assert code == 130, err
    assert "Traceback" not in without_dask_heartbeat_noise(err) and 1 <= stored <= 2
    assert (
        f"sesim: interrupted; {stored} batch{'es' if stored > 1 else ''} stored in {out} "
        f"{'are' if stored > 1 else 'is'} kept: continue with "
        f"'sesim sweep {files / 'grid.toml'} --resume --out {out}'"
    ) in err.splitlines()
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    r = sesim("sweep", str(files / "grid.toml"), "--resume", "--out", str(out))
    assert r.returncode == 0, r.stderr
    raw = pd.concat([pd.read_parquet(f) for f in (out / "runs").glob("runs-*.parquet")])
    assert len(raw) == 12 and raw["run_id"].is_unique
    pd.testing.assert_frame_equal(load_runs(out), reference)


def test_importing_dask_jobqueue_through_sesim_keeps_the_sigint_handler():
    """dask-jobqueue 0.9 replaces SIGINT's handler on import (dask/dask-jobqueue#696); sesim puts
    back whichever handler was there.  In a fresh process, where the import really happens."""
    pytest.importorskip("dask_jobqueue")
    code = (
        "import signal, sys\n"
        "def mine(*a): pass\n"
        "signal.signal(signal.SIGINT, mine)\n"
        "from analysis.sweep import import_jobqueue\n"
        "import_jobqueue()\n"
        "assert 'dask_jobqueue.runner' in sys.modules, 'the module that replaces the handler was not imported'\n"
        "assert signal.getsignal(signal.SIGINT) is mine, signal.getsignal(signal.SIGINT)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2]
    )
    assert r.returncode == 0, r.stderr


def test_a_damaged_batch_file_is_named_and_resume_runs_it_again(files, reference, tmp_path, capsys):
    out = tmp_path / "out"
    sw = load_sweep(files / "grid.toml")
    run_sweep(sw, out, LocalBackend(1), batch=4, progress=False)
    bad = sorted((out / "runs").glob("runs-*.parquet"))[1]
    bad.write_bytes(bad.read_bytes()[:3000])  # cut short, as by a full disk
    hint = f"'sesim sweep {files / 'grid.toml'} --resume --out {out}'"
    for args in (
        ["sweep", "merge", str(out)],
        ["sensitivity", str(out)],
        ["discover", str(out), "--metric", "firm_retention", "--above", "0.5"],
    ):
        assert main(args) == 2, args
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and str(bad) in err[0] and "damaged batch file" in err[0] and hint in err[0], err
    assert main(["sweep", str(files / "grid.toml"), "--resume", "--out", str(out)]) == 0
    cap = capsys.readouterr()
    warn = [ln for ln in cap.err.splitlines() if "warning" in ln]
    assert len(warn) == 1 and str(bad) in warn[0] and f"moved aside to {bad.name}.damaged" in warn[0]
    assert "4 runs in" in cap.out and "8 were already stored" in cap.out
    assert bad.with_name(bad.name + ".damaged").exists() and not bad.exists()
    pd.testing.assert_frame_equal(load_runs(out), reference)
    assert main(["sweep", "merge", str(out)]) == 0


def test_set_holds_a_lever_fixed_and_enters_the_fingerprint(files, tmp_path, capsys):
    grid = str(files / "grid.toml")
    assert main(["sweep", grid, "--set", "run.years=2", "--set", "behaviour.offer_rate=0.5", "--dry-run"]) == 0
    said = capsys.readouterr().out
    assert "held fixed: run.years = 2, behaviour.offer_rate = 0.5" in said
    assert re.search(r"output results/sweep-\S+-set-[0-9a-f]{8}/", said), said  # not the plain sweep's folder
    out = tmp_path / "out"
    assert main(["sweep", grid, "--set", "run.years=2", "--out", str(out)]) == 0
    capsys.readouterr()
    m = json.loads((out / "manifest.json").read_text())
    assert m["sweep"]["fixed"] == {"run.years": 2} and m["sweep"]["sets"] == ["run.years=2"]
    assert "years = 2" in (out / "base.resolved.toml").read_text()
    assert len(load_runs(out)) == 12
    for sets in ([], ["--set", "run.years=3"]):  # another sweep: refused
        assert main(["sweep", grid, *sets, "--resume", "--out", str(out)]) == 2
        assert "different sweep" in capsys.readouterr().err
    assert main(["sweep", grid, "--set", "run.years=2", "--resume", "--out", str(out)]) == 0
    assert "12 were already stored" in capsys.readouterr().out
    for arg, message in (
        ("communication.depth=0.5", "'communication.depth' is varied in [levers]"),
        ("run.years=nan", "key 'run.years' = nan: allowed a finite number"),
        ("run.years=0", "key 'run.years' = 0 is out of range"),
        ("run.yeers=2", "did you mean 'run.years'"),
        ("run.seed=2", "not a lever"),
        ("run.years", "expected section.key=value"),
    ):
        assert main(["sweep", grid, "--set", arg, "--dry-run"]) == 2, arg
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and f"--set {arg}" in err[0] and message in err[0], (arg, err)


@pytest.mark.parametrize("kind", ["folder", "fifo", "device", "binary"])
def test_a_sweep_file_that_is_not_a_regular_utf8_file_gets_one_line(tmp_path, kind):
    f = tmp_path / "s.toml"
    if kind == "folder":
        f.mkdir()
    elif kind == "fifo":
        os.mkfifo(f)  # opening it would wait for a writer forever
    elif kind == "device":
        f = Path("/dev/zero")  # reading it would never end
    else:
        f.write_bytes(b'design = "grid"\n# caf\xe9\n')
    r = sesim("sweep", str(f), "--dry-run", timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and str(f) in err[0], err
    assert {
        "folder": "is a folder",
        "fifo": "not a regular file",
        "device": "not a regular file",
        "binary": "not UTF-8 text",
    }[kind] in err[0]


def test_a_failing_run_is_recorded_and_the_rest_complete(files, tmp_path, monkeypatch, capsys):
    import sim.metrics

    real = sim.metrics.compute

    def flaky(model):
        if model.params.communication.depth > 0.5 and model.params.goal_alignment.weight == 1.0:
            raise FloatingPointError("boom in the labour market")
        return real(model)

    monkeypatch.setattr(sim.metrics, "compute", flaky)
    code = main(["sweep", str(files / "grid.toml"), "--out", str(tmp_path / "f")])  # in-process: 1 worker
    cap = capsys.readouterr()
    assert code == 0
    assert "2 failed" in cap.out and "boom in the labour market" in cap.err
    t = load_runs(tmp_path / "f")
    bad = t[t["status"] == "failed"]
    assert list(bad["run_id"]) == [10, 11]
    assert bad["error"].str.contains("FloatingPointError: boom").all()
    assert bad[list(ALL_METRICS)].isna().all().all()
    assert t.loc[t["status"] == "ok", "firm_retention"].notna().all() and len(t) == 12
    m = json.loads((tmp_path / "f" / "manifest.json").read_text())
    assert m["progress"] == {"total": 12, "done": 12, "failed": 2}


def test_existing_or_different_sweep_in_out_is_refused(files, tmp_path):
    assert sesim("sweep", str(files / "grid.toml"), "--out", str(tmp_path)).returncode == 0
    other = files / "other.toml"
    other.write_text(GRID.replace("seed = 3", "seed = 4"))
    r = sesim("sweep", str(other), "--resume", "--out", str(tmp_path))
    assert r.returncode == 2 and "different sweep" in r.stderr
    r = sesim("sweep", str(files / "grid.toml"), "--resume", "--out", str(tmp_path))
    assert r.returncode == 0 and "0 runs in" in r.stdout and "12 were already stored" in r.stdout


@pytest.mark.parametrize(
    "body, message",
    [
        ('design = "grid"\n[levers]\n"communication.dept" = [0.1]\n', "did you mean 'communication.depth'"),
        ('design = "cube"\n[levers]\n"communication.depth" = [0.1]\n', "key 'design' = 'cube': allowed"),
        ('design = "sobol"\nsamples = 10\n[levers]\n"communication.depth" = {low = 0, high = 1}\n', "power of 2"),
        ('design = "grid"\n[levers]\n"communication.depth" = {low = 0, high = 1}\n', "a grid needs a list"),
        ('design = "grid"\n[levers]\n"communication.depth" = [0.1, 1.5]\n', "out of range: allowed 0.0..1.0"),
        ('design = "latin"\nsamples = 8\n[levers]\n"communication.depth" = {low = 0.6, high = 0.2}\n', "must be below"),
        ('design = "latin"\nsamples = 8\n[levers]\n"party_building.alliance" = {low = 0, high = 1}\n', "[false, true]"),
        ('design = "grid"\nreplicate = 2\n[levers]\n"communication.depth" = [0.1]\n', "did you mean 'replicates'"),
        ('design = "grid"\n[levers]\n', "[levers] is empty"),
        ('design = "grid"\n[levers]\n"communication.depth" = [0.1\n', "not valid TOML"),
        ('design = "grid"\n[levers]\n"run.seed" = [1, 2]\n', "not a lever"),
        ('design = "grid"\n[cluster]\ncores = "many"\n[levers]\n"communication.depth" = [0.1]\n', "cluster.cores"),
        (
            'design = "latin"\nsamples = 8\n[levers]\n"communication.depth" = {low = 0.1, high = nan}\n',
            "key 'levers.\"communication.depth\".high' = nan: allowed a finite number",
        ),
        (
            'design = "grid"\n[levers]\n"communication.depth" = [0.1, inf]\n',
            "key 'levers.\"communication.depth\"[1]' = inf: allowed a finite number",
        ),
        (
            'design = "grid"\n[levers]\n"communication.depth" = [0.1]\n[fixed]\n"behaviour.offer_rate" = -inf\n',
            "key 'fixed.\"behaviour.offer_rate\"' = -inf: allowed a finite number",
        ),
        (
            'design = "latin"\nsamples = nan\n[levers]\n"communication.depth" = {low = 0, high = 1}\n',
            "key 'samples' = nan",
        ),
    ],
)
def test_bad_sweep_files_get_one_line(tmp_path, body, message):
    f = tmp_path / "bad.toml"
    f.write_text(body)
    r = sesim("sweep", str(f), "--dry-run")
    assert r.returncode == 2, r.stdout
    assert message in r.stderr and str(f) in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_bad_flags_get_one_line(files, tmp_path):
    for args, message in (
        (["--shard", "3/3"], "0 <= I < N"),
        (["--workers", "0"], "--workers 0"),
        (["--scheduler", "tcp://x:1"], "need --backend dask"),
        (["--out", str(files / "grid.toml")], "is a file"),
    ):
        r = sesim("sweep", str(files / "grid.toml"), *args)
        assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
    r = sesim("sweep", str(tmp_path / "nope.toml"))
    assert r.returncode == 2 and "file not found" in r.stderr


def test_shipped_sweep_files_validate_with_the_runs_they_announce():
    grid = load_sweep("grid_depth_alignment")
    assert [lv.key for lv in grid.levers] == ["communication.depth", "goal_alignment.weight"]
    assert grid.n_runs() == 75 and len(grid.points()) == 25
    sobol = load_sweep(SWEEP_DIR / "sobol_strategy_levers.toml")
    d = len(sobol.levers)
    assert sobol.design == "sobol" and sobol.n_points() == sobol.samples * (2 * d + 2) == len(sobol.points())
    # every lever a named strategy changes is in the Sobol design (an industry college's [[colleges]]
    # tables are institutions, not levers a sweep draws: docs/odd.md M18)
    from sim.scenario import builtin_names, load_scenario

    base = load_scenario("baseline").params.to_dict()
    changed = set()
    for name in builtin_names():
        for sec, vals in load_scenario(name).params.to_dict().items():
            if sec == "colleges":
                continue
            changed |= {f"{sec}.{k}" for k, v in vals.items() if v != base[sec][k]}
    assert changed <= {lv.key for lv in sobol.levers}
    # switches and menus are drawn uniformly from their values
    pts = pd.DataFrame(sobol.points())
    assert set(pts["party_building.mode"]) == {"none", "two_skins", "integrated"}
    assert pts["communication.meetings_per_year"].map(type).eq(int).all()


def test_slurm_and_pbs_job_scripts_from_dask_jobqueue():
    pytest.importorskip("dask_jobqueue")
    r = sesim(
        "sweep",
        "sobol_strategy_levers",
        "--backend",
        "dask",
        "--cluster",
        "slurm",
        "--dry-run",
        "--account",
        "edu123",
        "--walltime",
        "04:00:00",
    )
    assert r.returncode == 0, r.stderr
    sb = [ln for ln in r.stdout.splitlines() if ln.startswith("#SBATCH")]
    assert "#SBATCH -p normal" in sb and "#SBATCH -A edu123" in sb and "#SBATCH -t 04:00:00" in sb
    assert "#SBATCH --cpus-per-task=8" in sb and any(ln.startswith("#SBATCH --mem=") for ln in sb)
    cmd = [ln for ln in r.stdout.splitlines() if "distributed.cli.dask_worker" in ln]
    assert len(cmd) == 1 and "--nthreads 1" in cmd[0] and "--nworkers 8" in cmd[0]
    assert cmd[0].startswith(sys.executable)
    # the remote workers get sesim's quieter Dask housekeeping through their environment
    assert "export DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False" in r.stdout
    assert "1536 design points x 2 replicates = 3072 runs" in r.stdout
    r = sesim(
        "sweep", "sobol_strategy_levers", "--backend", "dask", "--cluster", "pbs", "--dry-run", "--queue", "short"
    )
    assert r.returncode == 0, r.stderr
    assert "#PBS -q short" in r.stdout and "dask_worker" in r.stdout
    # a dry run writes nothing
    r = sesim("sweep", "grid_depth_alignment", "--dry-run", "--out", "/nonexistent/never")
    assert r.returncode == 0 and not Path("/nonexistent/never").exists()


def test_dry_run_of_a_cluster_starts_no_server_and_passes_the_interface(files, tmp_path, monkeypatch, capsys):
    """The job script comes from dask-jobqueue's Job class with a placeholder address: no socket
    listens (a scheduler started for it listened on every interface)."""
    pytest.importorskip("dask_jobqueue")
    import socket

    def no_listen(self, *args):
        raise AssertionError("a dry run opened a listening socket")

    monkeypatch.setattr(socket.socket, "listen", no_listen)
    f = tmp_path / "c.toml"
    f.write_text(
        GRID.replace("small.toml", str(files / "small.toml"))
        + '[cluster]\ncores = 2\nmemory = "4GB"\ninterface = "ib0"\n'
    )
    for flags, iface in (([], "ib0"), (["--interface", "lo"], "lo")):
        assert main(["sweep", str(f), "--backend", "dask", "--cluster", "slurm", "--dry-run", *flags]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert "#SBATCH --cpus-per-task=2" in lines
        [cmd] = [ln for ln in lines if "distributed.cli.dask_worker" in ln]
        assert cmd.endswith(f"--interface {iface}") and "<insert-scheduler-address-here>" in cmd


def test_interface_flag_for_a_local_cluster_and_a_missing_interface(files, tmp_path, capsys):
    """A LocalCluster listens on loopback only (scheduler, its HTTP server, workers), also with
    --interface lo; an interface this machine lacks is one line, before anything is written."""
    pytest.importorskip("distributed")
    import psutil

    from analysis.sweep import DaskBackend

    with DaskBackend(1, cluster_options={"interface": "lo"}) as be:
        procs = [psutil.Process(), *psutil.Process().children(recursive=True)]
        listening = [c.laddr for p in procs for c in p.net_connections("inet") if c.status == psutil.CONN_LISTEN]
        assert be._client.scheduler.address.startswith("tcp://127.0.0.1:")
    assert len(listening) >= 3 and {a.ip for a in listening} == {"127.0.0.1"}, listening
    assert 8787 not in {a.port for a in listening}  # another cluster may hold Dask's default port
    out = tmp_path / "out"
    for flags, message in (
        (["--backend", "dask", "--interface", "nosuch0"], "no such network interface"),
        (["--interface", "lo"], "need --backend dask"),
    ):
        assert main(["sweep", str(files / "grid.toml"), *flags, "--out", str(out)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "--interface" in err[0] and message in err[0], err
    assert not out.exists()


def test_progress_is_written_to_the_manifest_as_batches_finish(files, tmp_path):
    sw = load_sweep(files / "grid.toml")
    seen = []

    class Spy(LocalBackend):
        def imap(self, fn, base, batches):
            for res in super().imap(fn, base, batches):
                seen.append(json.loads((tmp_path / "manifest.json").read_text())["progress"]["done"])
                yield res

    out = run_sweep(sw, tmp_path, Spy(1), batch=4, progress=False)
    assert seen == [0, 4, 8] and out.ran == 12 and out.status == "complete"
    assert len(list((tmp_path / "runs").glob("runs-*.parquet"))) == 3
    assert np.isfinite(out.runs_per_second)


def test_dask_housekeeping_is_slowed_in_every_process_and_restored():
    """Environment names round-trip to the settings; a LocalCluster's scheduler and workers run
    their periodic callbacks at the slower pace (and the workers without the profiler); Dask's
    own settings come back once the backend closes, and also when it fails to start."""
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    from analysis.sweep import DASK_SETTINGS, DaskBackend, dask_environment
    from sim.scenario import ScenarioError

    code = (
        "import dask, distributed, json; from analysis.sweep import DASK_SETTINGS; "
        "print(json.dumps({k: dask.config.get(k) for k in DASK_SETTINGS}))"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **dask_environment()},
        cwd=Path(__file__).resolve().parents[2],
    )
    assert json.loads(r.stdout.strip().splitlines()[-1]) == DASK_SETTINGS
    before = {k: dask.config.get(k) for k in DASK_SETTINGS}
    assert before != DASK_SETTINGS
    with DaskBackend(1) as be:
        workers = be._client.run(
            lambda dask_worker: {k: v.callback_time for k, v in dask_worker.periodic_callbacks.items()}
        )
        sched = be._client.run_on_scheduler(
            lambda dask_scheduler: {k: v.callback_time for k, v in dask_scheduler.periodic_callbacks.items()}
        )
    [w] = workers.values()
    assert "profile" not in w and w["tick"] == 1000 and w["memory_monitor"] == 1000 and w["monitor"] == 5000
    assert sched["tick"] == 1000 and sched["monitor"] == 5000
    assert {k: dask.config.get(k) for k in DASK_SETTINGS} == before
    if importlib.util.find_spec("dask_jobqueue"):
        with pytest.raises(ScenarioError, match="cores and memory"):
            with DaskBackend(1, cluster="slurm", cluster_options={}):
                pass
        assert {k: dask.config.get(k) for k in DASK_SETTINGS} == before


def test_workers_started_without_the_settings_get_a_hint(capsys):
    """--scheduler ADDRESS: workers started by hand with Dask's defaults are named in one line."""
    pytest.importorskip("distributed")
    import distributed

    from analysis.sweep import DaskBackend

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as c:
        with DaskBackend(1, scheduler=c.scheduler_address):
            pass
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "1 of the scheduler's 1 workers run Dask's 10 ms profiler" in err[0]
    assert "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False" in err[0]
    with DaskBackend(1) as be:  # sesim's own cluster: no hint
        be._hint_settings()
    assert capsys.readouterr().err == ""


def test_job_script_keeps_the_users_jobqueue_prologue():
    dask = pytest.importorskip("dask")
    pytest.importorskip("dask_jobqueue")
    from analysis.sweep import job_script

    with dask.config.set({"jobqueue.slurm.job-script-prologue": ["module load python/3.12"]}):
        text = job_script("slurm", {"cores": 2, "memory": "4GB"})
    lines = text.splitlines()
    assert "module load python/3.12" in lines and "export DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL=1s" in lines
    assert lines.index("module load python/3.12") < next(i for i, ln in enumerate(lines) if "dask_worker" in ln)


def test_readme_gives_the_same_worker_environment_as_the_code():
    from analysis.sweep import dask_environment

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert all(f"{k}={v}" in readme for k, v in dask_environment().items())


def test_dry_run_of_a_cluster_sweep_says_jobs_cores_and_core_hours(capsys):
    """So a user can choose --walltime: the jobs of how many cores, the time per job and the core-hours
    in all, from the same estimate the runs are checked against (sim.resources)."""
    pytest.importorskip("dask_jobqueue")
    from analysis.sweepfile import load_sweep
    from sim import resources
    from sim.apps.cli import main

    assert (
        main(
            [
                "sweep",
                "grid_depth_alignment",
                "--backend",
                "dask",
                "--cluster",
                "slurm",
                "--workers",
                "64",
                "--cores",
                "16",
                "--memory",
                "32GB",
                "--dry-run",
            ]
        )
        == 0
    )
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("SLURM:"))
    sw = load_sweep("grid_depth_alignment")
    hours = resources.estimate([sw.base_params], sw.n_runs(), 1, keep_results=False).seconds / 3600
    assert line.startswith("SLURM: 4 job(s) of 16 cores (64 workers); about ")
    assert f"{hours:.3g} core-hours in all" in line and "--walltime " in line


@pytest.mark.parametrize(
    "argv",
    [
        ["sweep", "grid_depth_alignment", "--backend", "dask", "--cluster", "slurm", "--cores", "4", "--memory", "8GB"],
        ["sweep", "grid_depth_alignment", "--backend", "dask", "--cluster", "slurm", "--dry-run"],
        ["run", "baseline", "--backend", "dask", "--cluster", "pbs", "--cores", "4", "--memory", "8GB"],
        ["compare", "baseline", "craftsman", "--backend", "dask"],
    ],
)
def test_a_cluster_flag_without_the_extra_gets_the_install_hint(argv, monkeypatch, capsys, tmp_path):
    """Without Dask installed (imports made to fail here) every cluster flag says, in one line, what
    to install; nothing is written."""
    from sim.apps.cli import main

    for name in ("dask", "distributed", "dask_jobqueue"):
        monkeypatch.setitem(sys.modules, name, None)  # `import dask` raises ImportError
    assert main([*argv, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install -e '.[cluster]'" in err and "Traceback" not in err, err
    assert list(tmp_path.iterdir()) == []
