"""Invariants every month, steady-state start, and determinism of the whole model."""

import numpy as np
import pandas as pd
import pytest

from sim import load_scenario, metrics, run
from sim.model import CooperationModel
from sim.state import DROPPED, ENROLLED
from tests.helpers import TINY, tiny_model


@pytest.mark.parametrize("scenario", ["baseline", "full", "party_led", "firm_support"])
def test_invariants_every_month(scenario):
    m = tiny_model(scenario, seed=5, **{"run.years": 4})
    while m.running:
        n_before = m.students.n
        m.step()
        st = m.students
        n = st.n
        sk = st.skills[:n]
        assert (sk >= 0).all() and (sk <= 1).all()
        status = st.status[:n]
        assert ((status >= ENROLLED) & (status <= DROPPED)).all()  # every student in one status
        assert n >= n_before  # nobody disappears
        assert np.bincount(status, minlength=6).sum() == n
        w = m.partnerships.willingness[: m.partnerships.n]
        assert (w >= 0).all() and (w <= 1).all()
        assert len(m.partnerships.active()) > 0


def test_starts_from_steady_state():
    m = tiny_model()
    m.step()  # the first September: the new cohort enrols beside the two already studying
    years = (m.t - 1 - m.students.enrol_month[: m.students.n]) // 12
    assert set(years.tolist()) == {0, 1, 2}  # cohorts in all three years
    ages = -m.partnerships.start[: m.partnerships.n][m.partnerships.start[: m.partnerships.n] < 0]
    assert ages.min() >= 1 and len(np.unique(ages)) > 3  # partnerships of many ages


def _outputs(seed: int, **over) -> tuple[pd.DataFrame, pd.Series]:
    """A run's full output: the monthly data-collector frame and the metrics of docs/odd.md §7.6."""
    m = tiny_model(seed=seed, **over).run()
    assert m.t == m.horizon and not m.running  # the run went to its end
    frame = m.datacollector.get_model_vars_dataframe()
    assert len(frame) == m.horizon - m.warmup  # one row per reported month
    return frame, pd.Series(metrics.compute(m))


def test_same_seed_gives_the_same_output():
    frame_a, metrics_a = _outputs(11)
    frame_b, metrics_b = _outputs(11)
    pd.testing.assert_frame_equal(frame_a, frame_b, check_exact=True)
    pd.testing.assert_series_equal(metrics_a, metrics_b, check_exact=True)  # NaN matches NaN only


def test_other_seed_gives_other_output():
    """The counterpart: a model that ignored its seed would pass the test above."""
    frame_a, metrics_a = _outputs(11)
    frame_c, metrics_c = _outputs(12)
    assert not frame_a.equals(frame_c)
    both = metrics_a.notna() & metrics_c.notna()
    assert (metrics_a[both] != metrics_c[both]).any()


def test_workers_do_not_change_results():
    scn = load_scenario("baseline", TINY)
    s1, t1 = run(scn, seeds=3, workers=1)
    s2, t2 = run(scn, seeds=3, workers=2)
    pd.testing.assert_frame_equal(s1, s2)
    pd.testing.assert_frame_equal(t1, t2)


def test_unrelated_lever_leaves_other_streams_unchanged():
    """Common random numbers: the enrolment and needs-drift streams do not depend on a
    communication lever, after a whole run in which the lever did change the model."""
    a = tiny_model(seed=3).run()
    b = tiny_model(seed=3, **{"communication.depth": 0.9}).run()
    assert not np.array_equal(a.school_belief, b.school_belief)  # the lever acted
    assert a.students.n == b.students.n
    np.testing.assert_array_equal(a.students.programme[: a.students.n], b.students.programme[: b.students.n])
    np.testing.assert_array_equal(a.students.enrol_month[: a.students.n], b.students.enrol_month[: b.students.n])
    np.testing.assert_array_equal(a.firm_needs, b.firm_needs)


def test_default_baseline_has_no_missing_metric():
    m = CooperationModel(load_scenario("baseline").params, seed=0).run()
    out = metrics.compute(m)
    missing = [k for k in metrics.METRICS if np.isnan(out[k])]
    assert not missing


def test_no_unseeded_randomness_in_the_package():
    """Every draw comes from a stream spawned from the run's SeedSequence (docs/odd.md §4)."""
    import re
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "sim"
    allowed = {"SeedSequence", "default_rng", "Generator"}
    for path in src.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import random|from random import)", text, re.M), path
        for name in re.findall(r"np\.random\.(\w+)", text):
            assert name in allowed, f"{path}: np.random.{name}"
