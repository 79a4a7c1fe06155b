"""Students folded into counters as they leave follow-up (docs/odd.md §13, memory): the run's
results are those of a run that kept every student, and the arrays hold only the window."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from sim.folding import ExactSum, normal, row_draws, uniform
from sim.model import COHORT_ROOM, CooperationModel
from sim.runner import summary_and_series
from sim.scenario import load_scenario
from sim.spells import spells

# small, and long enough that cohorts leave follow-up and are folded (seven years reported)
LONG = {
    "population.schools": 2,
    "population.cohort_size": 60,
    "population.firms": 24,
    "population.partners_per_school": 6,
    "run.years": 7,
    "run.warmup_months": 24,
}


@pytest.mark.parametrize("draw", [uniform, normal])
@pytest.mark.parametrize("buffered", [False, True])
def test_per_row_draws_skip_the_folded_rows_and_give_the_same_numbers(draw, buffered):
    """rows x (folded + n) draws in C order, of which the last n of each row: with and without
    a 32-bit output buffered in the stream (a jump would then shift it)."""

    def fresh() -> np.random.Generator:
        rng = np.random.default_rng(7)
        if buffered:
            rng.integers(0, 10, 3, dtype=np.int32)  # leaves half a 64-bit output buffered
        return rng

    full = draw(fresh(), 2 * (1000 + 250)).reshape(2, 1250)[:, 1000:]
    rng = fresh()
    got = row_draws(rng, 1000, 250, rows=2, draw=draw)
    np.testing.assert_array_equal(got, full)
    ref = fresh()
    draw(ref, 2 * 1250)
    assert rng.random() == ref.random()  # the stream goes on where it would have


def test_exact_sums_of_parts_add_up_to_the_correctly_rounded_mean_of_the_whole():
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.random(5000), rng.random(5000) * 1e-9, -rng.random(100), [0.0, 1.0]])
    whole = ExactSum.of(x)
    parts = ExactSum.of(x[:1234]) + ExactSum.of(x[1234:4000]) + ExactSum.of(x[4000:])
    assert parts == whole
    exact = sum(Fraction(v) for v in x.tolist()) / len(x)
    assert whole.mean(len(x)) == float(exact)
    assert math.isclose(whole.mean(len(x)), float(np.mean(x)), rel_tol=1e-14)
    assert math.isnan(ExactSum.of(np.array([1.0, np.nan])).mean(2))
    assert math.isnan(ExactSum().mean(0))


def _run(fold: bool, monkeypatch) -> CooperationModel:
    if not fold:
        monkeypatch.setattr(CooperationModel, "fold_past_students", lambda self: None)
    m = CooperationModel(load_scenario("baseline", LONG).params, seed=11).run()
    monkeypatch.undo()
    return m


def test_a_run_that_folds_gives_the_results_of_a_run_that_keeps_every_student(monkeypatch):
    kept, folded = _run(False, monkeypatch), _run(True, monkeypatch)
    assert folded.students.first_row > 0 and kept.students.first_row == 0
    # the arrays hold the cohorts in school and in follow-up, not every cohort of the run
    cohort = LONG["population.schools"] * LONG["population.cohort_size"]
    assert folded.students.n <= COHORT_ROOM * cohort < kept.students.n
    assert folded.students.first_row + folded.students.n == kept.students.n
    row_k, ts_k = summary_and_series(kept, "baseline", 0)
    row_f, ts_f = summary_and_series(folded, "baseline", 0)
    # exactly: counts and exact sums do not depend on which rows were folded when
    pd.testing.assert_series_equal(pd.Series(row_f), pd.Series(row_k), check_exact=True)
    pd.testing.assert_frame_equal(ts_f, ts_k)
    pd.testing.assert_frame_equal(spells(folded, "baseline", 0), spells(kept, "baseline", 0))


@pytest.mark.parametrize("n,k", [(100, 30), (100, 1), (100, 99), (100, 100), (7, 3), (1000, 70)])
def test_dropping_the_front_keeps_the_rest_in_order(n, k):
    """docs/odd.md §13: the rows left move to the front unchanged and in order (moved in pieces that
    do not overlap, or whole), the rows freed hold the fill values again, and rows count on."""
    from sim.state import Students

    st = Students(128)
    st.add(n)
    rng = np.random.default_rng(n + k)
    before = {}
    for name, (dtype, _, _) in st._fields.items():
        col = getattr(st, name)
        col[:n] = rng.integers(0, 100, col[:n].shape).astype(dtype)
        before[name] = col.copy()
    st.drop_front(k)
    assert st.n == n - k and st.first_row == k
    for name, (_, fill, _) in st._fields.items():
        col = getattr(st, name)
        np.testing.assert_array_equal(col[: n - k], before[name][k:n], err_msg=name)
        np.testing.assert_array_equal(col[n - k : n], np.full_like(col[n - k : n], fill), err_msg=name)
        np.testing.assert_array_equal(col[n:], before[name][n:], err_msg=name)
