"""Outputs that grow in place and resume (``sesim sweep``, ``calibrate``, ``compare --uncertainty``,
``sweep merge``): continued only in a folder that sesim's own manifest says it wrote, never the
current folder, under a lock, and nothing written before every check has passed (sim/outputs.py).

Every dangerous case runs inside ``tmp_path`` on a folder of a user's files, and checks that every
byte of it, and of the folder around it, is still as it was.
"""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import pandas as pd
import pytest

from analysis.sweep import LocalBackend, Run, run_sweep
from analysis.sweepfile import load_sweep
from sim.outputs import ResumableLock, check_resumable, resumable_kind
from sim.scenario import ScenarioError
from tests.analysis.holding import held, interrupt_after_batch
from tests.test_safety import ROOT, one_clean_line, sesim

TINY = [
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
]
GRID = """base = "baseline"
design = "grid"
replicates = 2
seed = 3
[levers]
"communication.depth" = [0.1, 0.9]
[fixed]
"population.schools" = 2
"population.cohort_size" = 40
"population.firms" = 12
"population.partners_per_school" = 6
"run.warmup_months" = 12
"run.years" = 1
"""
TARGETS = ROOT / "scenarios" / "targets" / "china_gaozhi.toml"


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` (hidden ones too) with its bytes (None for a folder)."""
    return {str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes()) for p in sorted(folder.rglob("*"))}


@pytest.fixture
def grid(tmp_path: Path) -> Path:
    f = tmp_path / "files" / "grid.toml"
    f.parent.mkdir()
    f.write_text(GRID)
    return f


def no_model(base, runs: list[Run]) -> list[dict]:
    """A batch of runs without the model: a sweep folder as sesim writes it, in a moment."""
    return [
        {
            "run_id": r.run_id,
            "point": r.point,
            "replicate": r.replicate,
            "seed": r.seed,
            **r.levers,
            "status": "ok",
            "error": "",
        }
        for r in runs
    ]


def sweep_folder(sweep_file: Path, out: Path, shard: tuple[int, int] | None = None) -> Path:
    run_sweep(load_sweep(sweep_file), out, LocalBackend(1), shard=shard, progress=False, fn=no_model)
    return out


def commands(grid: Path, out: Path) -> dict[str, list[str]]:
    """The resumable commands, small, writing into ``out``."""
    return {
        "sweep": ["sweep", str(grid), "--out", str(out)],
        "compare-uncertainty": [
            "compare",
            "baseline",
            "craftsman",
            "--uncertainty",
            "assumptions",
            "--draws",
            "4",
            *TINY,
            "--years",
            "1",
            "--out",
            str(out),
        ],
        "calibrate": [
            "calibrate",
            str(TARGETS),
            "--free",
            "behaviour.offer_rate=[0.2,1.0]",
            *TINY,
            "--budget",
            "8",
            "--generations",
            "1",
            "--replicates",
            "1",
            "--out",
            str(out),
        ],
    }


# --- a folder of a user's files with sesim's marker names is not sesim's ------------------------------
USER_FOLDERS = {  # what each command trusted before: a name, not a manifest
    "sweep": {"runs/mine.txt": b"mine\n", "base.resolved.toml": b"my own base\n"},
    "compare-uncertainty": {"runs/mine.txt": b"mine\n", "summary.csv": b"mine\n", "report.html": b"<p>mine</p>\n"},
    "calibrate": {"generation-1/mine.txt": b"mine\n", "fit.csv": b"mine\n", "posterior.png": b"not a png\n"},
}


@pytest.mark.parametrize("kind", list(USER_FOLDERS))
@pytest.mark.parametrize("resume", [False, True], ids=["new", "resume"])
def test_a_user_folder_with_sesim_s_marker_names_is_refused_and_kept(tmp_path, grid, kind, resume):
    victim = tmp_path / "p"
    for name, data in USER_FOLDERS[kind].items():
        (victim / name).parent.mkdir(parents=True, exist_ok=True)
        (victim / name).write_bytes(data)
    before = tree(tmp_path)
    r = sesim(*commands(grid, victim)[kind], *(["--resume"] if resume else []), timeout=600)
    one_clean_line(r, "no manifest of sesim in it says it holds")
    assert tree(tmp_path) == before  # not a byte changed, no lock file, no leftovers


@pytest.mark.parametrize("kind", list(USER_FOLDERS))
@pytest.mark.parametrize("out", [".", ".."])
def test_the_current_folder_or_one_holding_it_is_never_resumed(tmp_path, grid, kind, out):
    work = tmp_path / "work" / "here"
    for name, data in USER_FOLDERS[kind].items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_bytes(data)
    before = tree(tmp_path)
    r = sesim(*commands(grid, Path(out))[kind], "--resume", cwd=work, timeout=600)
    one_clean_line(r, "is the current folder or holds it")
    assert tree(tmp_path) == before


@pytest.mark.slow  # a sweep run end to end
def test_a_sweep_folder_is_no_uncertainty_comparison_or_calibration_and_nothing_is_written(tmp_path, grid):
    out = sweep_folder(grid, tmp_path / "sweep")
    before = tree(tmp_path)
    cmds = commands(grid, out)
    for kind in ("compare-uncertainty", "calibrate"):
        for resume in ([], ["--resume"]):
            r = sesim(*cmds[kind], *resume, timeout=600)
            one_clean_line(r, "holds the result of 'sesim sweep'")
            assert tree(tmp_path) == before, (kind, resume)  # no uncertainty.json, draws or points
    assert sesim("sweep", str(grid), "--resume", "--out", str(out), timeout=600).returncode == 0  # still its own


def test_a_run_result_is_not_resumed_as_a_sweep(tmp_path, grid):
    out = tmp_path / "r"
    assert sesim("run", "baseline", "--seeds", "1", *TINY, "--years", "1", "--out", str(out)).returncode == 0
    before = tree(tmp_path)
    one_clean_line(sesim("sweep", str(grid), "--resume", "--out", str(out)), "holds the result of 'sesim run'")
    assert tree(tmp_path) == before


def test_sweep_merge_into_a_user_folder_is_refused_and_kept(tmp_path, grid):
    shard = sweep_folder(grid, tmp_path / "shard", shard=(0, 1))
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "manifest.json").write_text('{"mine": true}\n')
    (victim / "notes.txt").write_text("my thesis data\n")
    before = tree(tmp_path)
    one_clean_line(sesim("sweep", "merge", str(victim), str(shard)), "no manifest of sesim in it says")
    assert tree(tmp_path) == before
    assert sesim("sweep", "merge", str(shard)).returncode == 0  # its own folder: joined


# --- sesim's own folders, today's and those of earlier versions ------------------------------------------
def manifest(folder: Path, name: str, data: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(data))


SWEEP_V0 = {
    "package": "sesim",
    "version": "0.1.0",
    "command": ["sesim", "sweep", "g.toml"],
    "sweep": {"name": "g"},
    "fingerprint": "0123456789abcdef",
    "n_runs": 4,
}
CALIBRATION_V0 = {
    "settings": {
        "scenario": "baseline",
        "sets": [],
        "budget": 96,
        "replicates": 2,
        "generations": 2,
        "accept": 0.25,
        "seed": 0,
        "free": [],
        "targets": [],
    },
    "status": "running",
}


@pytest.mark.parametrize(
    "files, kind",
    [
        ({"manifest.json": {**SWEEP_V0, "kind": "sweep"}}, "sweep"),
        ({"manifest.json": SWEEP_V0}, "sweep"),  # before manifests named the kind
        ({"manifest.shard-1-of-4.json": {**SWEEP_V0, "kind": "sweep"}}, "sweep"),
        (
            {
                "uncertainty.json": {
                    "package": "sesim",
                    "kind": "compare-uncertainty",
                    "command": ["sesim", "compare"],
                },
                "manifest.json": SWEEP_V0,
            },
            "compare-uncertainty",
        ),  # its sweep runs in its folder
        (
            {"calibration.json": {**CALIBRATION_V0, "package": "sesim", "kind": "calibrate", "command": ["sesim"]}},
            "calibrate",
        ),
        ({"calibration.json": CALIBRATION_V0}, "calibrate"),  # before it named package and kind
        ({"manifest.json": {**SWEEP_V0, "package": "other"}}, None),
        ({"manifest.json": {k: v for k, v in SWEEP_V0.items() if k != "command"}}, None),
        ({"manifest.json": {**SWEEP_V0, "kind": "run"}}, None),
        ({"calibration.json": {**CALIBRATION_V0, "settings": {"scenario": "baseline"}}}, None),
        ({"uncertainty.json": {"kind": "compare-uncertainty"}}, None),
        ({"manifest.json": [1, 2]}, None),
    ],
)
def test_a_resumable_folder_is_known_by_sesim_s_own_manifest(tmp_path, files, kind):
    for name, data in files.items():
        manifest(tmp_path / "o", name, data)
    assert resumable_kind(tmp_path / "o") == kind
    for k in ("sweep", "compare-uncertainty", "calibrate"):
        if k == kind:
            assert check_resumable(tmp_path / "o", k) == tmp_path / "o"
        else:
            with pytest.raises(ScenarioError):
                check_resumable(tmp_path / "o", k)


def test_a_manifest_that_is_a_fifo_or_a_link_is_not_read_and_proves_nothing(tmp_path):
    (tmp_path / "o").mkdir()
    os.mkfifo(tmp_path / "o" / "manifest.json")  # opening it to read would wait for ever
    assert resumable_kind(tmp_path / "o") is None
    manifest(tmp_path / "real", "manifest.json", {**SWEEP_V0, "kind": "sweep"})
    (tmp_path / "l").mkdir()
    (tmp_path / "l" / "manifest.json").symlink_to(tmp_path / "real" / "manifest.json")
    assert resumable_kind(tmp_path / "l") is None
    with pytest.raises(ScenarioError, match="no manifest of sesim"):
        check_resumable(tmp_path / "l", "sweep")


def test_new_sweeps_record_their_kind_and_one_of_an_earlier_version_resumes(tmp_path, grid):
    out = sweep_folder(grid, tmp_path / "sweep")
    m = json.loads((out / "manifest.json").read_text())
    assert m["kind"] == "sweep" and m["package"] == "sesim" and isinstance(m["command"], list)
    del m["kind"]  # as sesim wrote it before the kind was recorded
    (out / "manifest.json").write_text(json.dumps(m))
    r = sesim("sweep", str(grid), "--resume", "--out", str(out), timeout=600)
    assert r.returncode == 0 and "4 were already stored" in r.stdout, r.stderr


def test_a_resume_with_other_calibration_settings_is_refused_before_anything_is_written(tmp_path, grid):
    out = tmp_path / "cal"
    manifest(out, "calibration.json", {**CALIBRATION_V0, "package": "sesim", "kind": "calibrate", "command": ["x"]})
    before = tree(tmp_path)
    one_clean_line(sesim(*commands(grid, out)["calibrate"], "--resume", timeout=600), "holds a different calibration")
    assert tree(tmp_path) == before


# --- locks ---------------------------------------------------------------------------------------------
def test_the_lock_lets_shards_run_together_but_not_twice_nor_beside_a_whole_run(tmp_path):
    out = tmp_path / "o"
    with ResumableLock(out, shard=(0, 2)), ResumableLock(out, shard=(1, 2)):
        for shard in ((0, 2), None):
            with pytest.raises(ScenarioError, match="another sesim command is writing"):
                with ResumableLock(out, shard=shard):
                    pass
    with ResumableLock(out):
        with pytest.raises(ScenarioError, match=r"another sesim command is writing this folder \(lock \.o\.lock\)"):
            with ResumableLock(out, shard=(0, 2)):
                pass
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # every lock file removed by its last holder
    with ResumableLock(out):  # and free again
        pass


@pytest.mark.parametrize("kind", ["sweep", "compare-uncertainty", "calibrate"])
def test_a_second_command_on_a_resumable_folder_is_refused_while_the_first_holds_it(tmp_path, grid, kind):
    out = tmp_path / "o"
    out.mkdir()
    with ResumableLock(out):  # as a first command writing it would
        r = sesim(*commands(grid, out)[kind], "--resume", timeout=600)
        one_clean_line(r, "another sesim command is writing this folder (lock .o.lock)")
        assert sorted(p.name for p in out.iterdir()) == []


@pytest.mark.slow  # an uncertainty comparison run and interrupted
def test_compare_uncertainty_is_locked_and_ctrl_c_says_how_to_resume(tmp_path):
    """A second 'compare --uncertainty --resume' on a folder a first one is writing is refused in
    one line; Ctrl-C (SIGINT to the process group, as a terminal sends it) of the first exits 130
    with the command that continues, which then completes with every run stored once."""
    out = tmp_path / "unc"
    args = [
        "compare",
        "baseline",
        "craftsman",
        "--uncertainty",
        "assumptions",
        "--draws",
        "4",
        *TINY,
        "--years",
        "1",
        "--workers",
        "2",
        "--out",
        str(out),
    ]
    env, release = held(tmp_path, 2)  # runs 0 and 1 finish, no later one until released
    code, err, second = interrupt_after_batch(
        args, env, release, out / "runs", meanwhile=lambda: sesim(*args, "--resume", timeout=600)
    )
    one_clean_line(second, "another sesim command is writing this folder")
    stored = len(list((out / "runs").glob("runs-*.parquet")))
    assert code == 130 and "Traceback" not in err, err
    hint = shlex.join(["sesim", *args, "--resume"])
    assert (
        f"sesim: interrupted; {stored} batch{'es' if stored != 1 else ''} stored in {out} "
        f"{'are' if stored != 1 else 'is'} kept: continue with '{hint}'"
    ) in err.splitlines(), err
    r = sesim(*shlex.split(hint)[1:], timeout=600)
    assert r.returncode == 0, r.stderr
    runs = pd.read_parquet(out / "runs")
    assert sorted(runs["run_id"]) == list(range(8))  # 2 strategies x 4 draws, each once
    assert sorted(x.name for x in tmp_path.iterdir()) == ["release", "unc"]  # the lock file is gone


# --- reading a folder that is not there creates nothing; a name too long is one line --------------------------
@pytest.mark.parametrize(
    "args", [["sensitivity", "nosuchdir"], ["discover", "nosuchdir", "--metric", "firm_retention", "--above", "0.5"]]
)
def test_an_analysis_of_a_missing_sweep_folder_creates_nothing(tmp_path, args):
    one_clean_line(sesim(*args, cwd=tmp_path), "nosuchdir")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["x" * 3000, "x" * 3000 + ".toml", "x" * 300, "d/" + "x" * 3000])
def test_a_sweep_name_too_long_for_the_file_system_is_one_line(tmp_path, name):
    for extra in ([], ["--resume"]):
        r = sesim("sweep", name, *extra, cwd=tmp_path)
        one_clean_line(r, "...")
        assert len(r.stderr) < 400 and list(tmp_path.iterdir()) == []
