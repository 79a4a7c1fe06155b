"""M4: who takes a two-semester internship (docs/odd.md M4, §11), and when each length begins."""

import numpy as np
import pytest

from sim.state import LONG_INTERNSHIP_MONTHS, ORDER_CLASS, PROGRAMME_MONTHS, REGULAR, REGULAR_INTERNSHIP_MONTHS
from tests.helpers import tiny_model


def _enrolled(share: float, order: float = 0.2, seed: int = 0):
    m = tiny_model(
        seed=seed,
        **{
            "behaviour.two_semester_share": share,
            "firm_support.order_class_share": order,
            "population.cohort_size": 2000,
        },
    )
    st = m.students
    return m, st.track[: st.n].copy(), st.long_internship[: st.n].copy()


def test_order_classes_always_and_the_regular_track_by_its_share_take_two_semesters():
    """Known answers at the ends (0: only the dedicated tracks; 1: everyone); in between, the
    regular track's share is about ``two_semester_share`` (7,200 regular entrants of a 12,000-row
    tiny region: a binomial standard error of 0.004 around 0.3)."""
    _, track, long = _enrolled(0.0)
    assert (track == ORDER_CLASS).any() and (track == REGULAR).any()
    assert np.array_equal(long, track != REGULAR)
    _, track, long = _enrolled(1.0)
    assert long.all()
    _, track, long = _enrolled(0.3)
    assert long[track != REGULAR].all()
    assert long[track == REGULAR].mean() == pytest.approx(0.3, abs=0.02)


def test_the_share_changes_no_ones_track_and_grows_the_same_students_set():
    """No draw of its own (common random numbers): the tracks are the same whatever the share,
    and those who take two semesters at a lower share still do at a higher one."""
    _, t1, low = _enrolled(0.1)
    _, t2, high = _enrolled(0.4)
    assert np.array_equal(t1, t2)
    assert (high | ~low).all() and high.sum() > low.sum()


def test_a_long_internship_begins_a_year_before_the_end_and_a_short_one_half_a_year():
    """Every placement starts the length of its internship before the programme's end."""
    m = tiny_model(seed=1, **{"behaviour.two_semester_share": 0.5, "run.years": 3})
    m.run()
    st = m.students
    n = st.n
    placed = np.flatnonzero(st.intern_start[:n] >= 0)
    months = PROGRAMME_MONTHS - (st.intern_start[placed] - st.enrol_month[placed])
    long = st.long_internship[placed]
    assert long.any() and (~long).any()
    assert (months[long] == LONG_INTERNSHIP_MONTHS).all()
    assert (months[~long] == REGULAR_INTERNSHIP_MONTHS).all()
    assert (st.track[placed][~long] == REGULAR).all()
