"""Shared fixtures: small populations keep the suite short (the benchmark runs the default)."""
from __future__ import annotations

import pytest

from sim import load_scenario

SMALL = {"population.schools": 3, "population.cohort_size": 120, "population.firms": 45,
         "population.partners_per_school": 12, "run.years": 6, "run.warmup_months": 24}


@pytest.fixture
def small():
    def make(name: str = "baseline", **kw):
        ov = dict(SMALL)
        ov.update({k.replace("__", "."): v for k, v in kw.items()})
        return load_scenario(name, ov)
    return make
