"""Small hand-built models and contexts for mechanism tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim import load_scenario
from sim.mechanisms.context import MonthContext
from sim.model import CooperationModel
from sim.params import Behaviour

TINY = {
    "population.schools": 2,
    "population.cohort_size": 40,
    "population.firms": 12,
    "population.partners_per_school": 6,
    "population.programmes": 2,
    "run.years": 2,
    "run.warmup_months": 12,
}


def tiny_model(name: str = "baseline", seed: int = 0, **over) -> CooperationModel:
    ov = dict(TINY)
    ov.update({k.replace("__", "."): v for k, v in over.items()})
    return CooperationModel(load_scenario(name, ov).params, seed=seed)


def context(S: int = 2, F: int = 3, D: int = 5, **kw) -> MonthContext:
    base = dict(
        month=10,
        curriculum=np.full((S, D), 1.0 / D),
        teacher_quality=np.full(S, 0.5),
        party_class=np.zeros(S),
        party_practice=np.zeros(S),
        firm_needs=np.full((F, D), 1.0 / D),
        mentor_quality=np.ones(F),
        firm_support=np.full(F, 0.5),
        party_engineer=np.zeros(F),
        projects=np.zeros((S, F)),
        craft_intensity=0.0,
        competition=False,
        task_coordination=0.2,
        counselling=0.1,
        firm_field=np.arange(F) % 2,
        firm_strength=np.full(F, 0.4),
        programmes=2,
        behaviour=Behaviour(),
    )
    base.update(kw)
    # the school's levers are per school (docs/odd.md §11): a scalar given here holds for every school
    for key in ("craft_intensity", "competition", "task_coordination", "counselling"):
        base[key] = np.broadcast_to(np.asarray(base[key]), (S,)).copy()
    if np.ndim(base["party_engineer"]) == 1:  # per host firm: the same for every school
        base["party_engineer"] = np.broadcast_to(base["party_engineer"], (S, F)).copy()
    return MonthContext(**base)


def call_cli(argv: list[str], cwd: Path) -> tuple[int, str, str]:
    """``sesim ARGV`` in-process in ``cwd``: exit code (argparse's own exits included), stdout, stderr."""
    import contextlib
    import io
    import os

    from sim.apps.cli import main

    err, out = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            try:
                code = main(argv)
            except SystemExit as e:  # argparse's own exits (--help 0, errors 2)
                code = e.code if isinstance(e.code, int) else 1
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()
