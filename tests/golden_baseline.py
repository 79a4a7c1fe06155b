"""The golden baseline: a small stored result that a fresh run must match exactly.

As covasim keeps ``tests/baseline.json`` beside ``tests/test_baselines.py``: the stored result
is the summary and a few time-series columns of the baseline at a small population on fixed
seeds.  ``tests/test_golden.py`` reruns it and compares every number exactly, and checks that a
changed lever does not match.  When a change to the model is meant to change the numbers,
regenerate it on purpose and commit the new file with the change:

    python -m tests.golden_baseline          # rewrites tests/golden/baseline.csv and timeseries.csv
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.runner import run_replicates
from sim.scenario import load_scenario

HERE = Path(__file__).resolve().parent / "golden"
POPULATION = {
    "population.schools": 3,
    "population.cohort_size": 100,
    "population.firms": 36,
    "population.partners_per_school": 8,
    "run.years": 5,
    "run.warmup_months": 24,
}
SEEDS, ROOT_SEED = 2, 100
COLUMNS = (
    "month",
    "replicate",
    "firm_retention",
    "graduate_retention_12m",
    "skill_mean",
    "partnerships",
    "employed",
    "firm_willingness",
    "reputation",
)
FORMAT = "%.17g"  # every digit of a float64: equal text means equal numbers


def run(overrides: dict | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    scn = load_scenario("baseline", {**POPULATION, **(overrides or {})})
    res = run_replicates(scn, seeds=SEEDS, seed=ROOT_SEED)
    return res.summary, res.timeseries[list(COLUMNS)]


def as_text(df: pd.DataFrame) -> str:
    return df.to_csv(index=False, float_format=FORMAT)


def main() -> None:
    HERE.mkdir(exist_ok=True)
    summary, ts = run()
    (HERE / "baseline.csv").write_text(as_text(summary), encoding="utf-8")
    (HERE / "timeseries.csv").write_text(as_text(ts), encoding="utf-8")
    print(f"wrote {HERE}/baseline.csv ({len(summary)} rows) and timeseries.csv ({len(ts)} rows)")


if __name__ == "__main__":
    main()
