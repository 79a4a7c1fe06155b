"""The vectorised student update equals the per-student reference on the same draws."""

import numpy as np
import pytest

from sim.mechanisms import teaching
from sim.mechanisms.context import StudentDraws
from sim.mechanisms.student_update import update_students, update_students_reference
from sim.state import PROGRAMME_MONTHS
from tests.helpers import tiny_model

# schools that differ (docs/odd.md §11): school 0 with two-skins party work, other craft, coordination and
# competitions than school 1 (full's); firms 0-2 without mentors
DIFFERENT = {
    "agents.schools": [
        {
            "ids": [0],
            "craftsman": {"intensity": 0.1, "competitions_per_year": 5},
            "school_cooperation": {"task_coordination": 0.9, "counselling": 0.0},
            "party_building": {"mode": "two_skins"},
        }
    ],
    "agents.firms": [{"ids": [0, 1, 2], "firm_support": {"mentors_per_firm": 0, "frontline_share": 1.0}}],
}


@pytest.mark.parametrize(
    "scenario,over",
    [
        ("baseline", {}),
        ("full", {}),
        ("party_alliance", {}),
        ("baseline", {"population.party_members_per_school": 0}),
        ("full", DIFFERENT),
    ],
)
def test_vectorised_matches_reference(scenario, over):
    m = tiny_model(scenario, seed=3, **over)
    checked = quits = 0
    for _ in range(30):
        m.step()
        if m.t % 5:
            continue
        rows = m.tracked_window()
        ctx = teaching.month_context(m, rows)
        s = teaching.student_slice(m, rows)
        graduates = int(np.searchsorted(m.students.enrol_month[rows], m.t - PROGRAMME_MONTHS, "right"))
        draws = StudentDraws.draw(np.random.default_rng(m.t), rows.stop - rows.start, graduates)
        fast = update_students(ctx, s, draws)
        ref = update_students_reference(ctx, s, draws)
        for name in ("skills", "engagement", "resistance"):
            np.testing.assert_allclose(getattr(fast, name), getattr(ref, name), rtol=1e-12, atol=1e-12)
        for name in ("dropout", "quit", "dismissed"):
            np.testing.assert_array_equal(getattr(fast, name), getattr(ref, name))
        for name in ("reason", "offer_firm"):  # why they quit, and where to (M16)
            np.testing.assert_array_equal(getattr(fast.separations, name), getattr(ref.separations, name))
        for name in ("offer_premium", "offer_prospects", "offer_quality"):
            np.testing.assert_allclose(
                getattr(fast.separations, name), getattr(ref.separations, name), rtol=1e-12, atol=1e-12
            )
        quits += int(fast.quit.sum())
        checked += 1
    assert checked >= 5 and quits > 0


def _state(m) -> dict:
    st = m.students
    out = {name: getattr(st, name)[: st.n].copy() for name in st._fields}
    out["job_spells"] = [np.concatenate(x) for x in zip(*m.job_spells)] if m.job_spells else []
    out["quit_reasons"], out["school_costs"] = m.quit_reasons.copy(), m.school_costs.copy()
    return out


@pytest.mark.parametrize("scenario", ["baseline", "full"])
def test_update_in_blocks_equals_one_pass(scenario, monkeypatch):
    """docs/odd.md §3, step 5: the month's update runs on blocks of rows (a province's two million
    rows never copied whole); blocks that cut through the graduates, the interns and the classes
    give the same numbers, the same breaks and separations in the same order, as one pass."""
    states = {}
    for rows in (10**9, 37):
        monkeypatch.setattr(teaching, "UPDATE_ROWS", rows)
        m = tiny_model(scenario, seed=5, **{"run.years": 3})
        quits = 0
        for _ in range(m.horizon):
            m.step()
            quits += sum(len(c[0]) for c in m.job_spells)
        states[rows] = _state(m)
    one, blocks = states[10**9], states[37]
    assert quits > 0 and m.students.n > 3 * 37  # several blocks, and separations to apply
    for name in one:
        if name == "job_spells":
            assert len(one[name]) == len(blocks[name])
            for a, b in zip(one[name], blocks[name]):
                np.testing.assert_array_equal(a, b)
        else:
            np.testing.assert_array_equal(one[name], blocks[name], err_msg=name)
