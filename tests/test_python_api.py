"""sesim from Python and on a cluster: the README's Python section runs, a stepped model gives the runner's
summary row, sim.compare returns DataFrames, the EMA Workbench adapter runs EMA's experiments, the SLURM
scripts ship and parse, and every missing extra is named the same way."""

from __future__ import annotations

import contextlib
import io
import math
import re
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.runner import run_replicate
from sim.scenario import ScenarioError

ROOT = Path(__file__).resolve().parents[1]
TINY = {
    "population.schools": 2,
    "population.cohort_size": 60,
    "population.firms": 20,
    "population.partners_per_school": 6,
    "run.warmup_months": 12,
}


def _same(a: dict, b: dict) -> bool:
    """Equal metric dicts, NaN equal to NaN (a metric with nobody to measure is NaN in both)."""
    return a.keys() == b.keys() and all(a[k] == b[k] or (math.isnan(a[k]) and math.isnan(b[k])) for k in a)


def readme_python_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## From Python") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


@pytest.mark.slow  # whole commands end to end (make quick leaves them out)
def test_readme_python_section_runs_and_ends_with_something_printed():
    code = readme_python_block()
    assert code.rstrip().splitlines()[-1].startswith("print(")
    ns: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), ns)  # noqa: S102  (the README's own example)
    printed = out.getvalue()
    assert re.search(r"firm retention so far: \d\.\d\d", printed), printed
    comp = ns["comp"]
    for name in ("table", "summary", "survival", "timeseries"):
        assert isinstance(getattr(comp, name), pd.DataFrame), name
    verdicts = comp.verdicts()
    assert list(verdicts.index) == comp.ranking and set(verdicts.index) == {"goal_alignment", "communication"}
    assert set(verdicts.to_numpy().ravel()) <= {"better", "worse", "negligible", "unclear"}
    assert {"margin", "verdict", "diff_holm_low"} <= set(comp.table.columns)
    assert str(verdicts.iloc[0, 0]) in printed


def test_a_stepped_model_gives_the_runners_summary_row():
    scn = sim.load_scenario("baseline", {**TINY, "run.years": 2})
    row, _, _ = run_replicate(scn.params, 5, 0, "baseline")
    model = sim.CooperationModel(scn.params, seed=5).run()
    assert _same(model.metrics(), {k: v for k, v in row.items() if k not in ("scenario", "replicate", "seed")})
    # a longer run stopped at the same month: the metrics of a run that ended there
    longer = sim.CooperationModel(sim.load_scenario("baseline", {**TINY, "run.years": 3}).params, seed=5)
    while longer.t < model.horizon:
        longer.step()
    assert longer.t < longer.horizon and _same(longer.metrics(), model.metrics())
    early = sim.CooperationModel(scn.params, seed=5)
    with pytest.raises(ScenarioError, match="in the warm-up"):
        early.metrics()


def test_ema_adapter_runs_four_scenarios_by_two_policies():
    pytest.importorskip("ema_workbench", reason="the ema extra is not installed: pip install -e '.[ema]'")
    from ema_workbench import SequentialEvaluator, perform_experiments

    from analysis import ema

    m = ema.model(overrides={**TINY, "run.years": 3}, outcomes=["firm_retention", "skill_fit"], seeds=1)
    unc = {p.name for p in m.uncertainties}
    assert "behaviour__job_finding_rate" in unc and all(n.startswith("behaviour__") for n in unc)
    levers = {p.name for p in m.levers}
    assert {"communication__online_platform", "party_building__mode", "goal_alignment__weight"} <= levers
    with SequentialEvaluator(m) as evaluator:
        experiments, outcomes = perform_experiments(m, scenarios=4, policies=2, evaluator=evaluator)
    assert len(experiments) == 8 and experiments["scenario"].nunique() == 4 and experiments["policy"].nunique() == 2
    assert set(outcomes) == {"firm_retention", "skill_fit"} and all(len(v) == 8 for v in outcomes.values())
    fr = pd.Series(outcomes["firm_retention"])
    assert fr.between(0, 1).all() and fr.nunique() > 1  # the worlds and the policies change the runs
    with pytest.raises(ScenarioError, match="unknown metric 'nope'"):
        ema.model(outcomes=["nope"])


@pytest.mark.parametrize("name", ["sweep-array.sbatch", "sweep-dask.sbatch"])
def test_slurm_scripts_ship_and_parse(name):
    path = ROOT / "scripts" / "slurm" / name
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#!/bin/bash"
    sbatch = {ln.split()[1].split("=")[0]: ln.split()[1].split("=", 1)[-1] for ln in lines if ln.startswith("#SBATCH")}
    assert {"--job-name", "--cpus-per-task", "--mem", "--time"} <= set(sbatch)
    first_command = next(i for i, ln in enumerate(lines) if ln and not ln.startswith("#"))
    assert all(i < first_command for i, ln in enumerate(lines) if ln.startswith("#SBATCH"))  # SLURM stops reading there
    command = " ".join(
        ln.rstrip("\\").strip() for ln in lines[first_command:] if not ln.startswith(("set ", "source "))
    )
    assert command.startswith("sesim sweep scenarios/sweeps/sobol_strategy_levers.toml")
    assert (ROOT / "scenarios" / "sweeps" / "sobol_strategy_levers.toml").is_file()
    assert "--resume" in command and "--out results/sweep-sobol" in command
    if name == "sweep-array.sbatch":
        lo, hi = (int(x) for x in sbatch["--array"].split("-"))
        shard = re.search(r'--shard "\$\{SLURM_ARRAY_TASK_ID\}/(\d+)"', command)
        assert shard and (lo, hi + 1) == (0, int(shard.group(1)))  # one task per shard
    else:
        assert "--backend dask --cluster slurm" in command
    assert f"scripts/slurm/{name}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_one_install_hint_style_for_every_extra():
    said = []
    for path in [*ROOT.glob("sim/**/*.py"), *ROOT.glob("analysis/**/*.py")]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if "pip install" in line and path.name != "extras.py":
                said.append(f"{path.name}: {line.strip()}")
    assert not said, said  # every hint goes through sim.extras.install_hint
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    extras = re.findall(r"pip install[^`\n]*", readme)
    assert extras and all(re.fullmatch(r"pip install -e '\.\[[a-z]+\]'", x.strip()) for x in extras), extras


def test_workshop_without_solara_names_the_extra(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = (
        "import sys; sys.modules['solara'] = None; from sim.apps.cli import main; "
        f"sys.exit(main(['workshop', '--port', '{port}', '--out', {str(tmp_path / 'w')!r}]))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2, r.stderr
    assert (
        r.stderr.strip().splitlines()[-1] == "sesim: error: sesim workshop needs Solara: pip install -e '.[dashboard]'"
    )
    assert not (tmp_path / "w").exists()
