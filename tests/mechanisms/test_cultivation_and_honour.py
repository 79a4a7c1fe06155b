"""M11 talent pool and teacher practice; M14 strength; M17 supervision."""
import numpy as np

from sim.mechanisms import cultivation, honour, internships
from sim.state import CIVIC, CRAFT, INNOVATION, INTERNING
from tests.helpers import tiny_model


def test_talent_pool_recruits_best_within_quota():
    m = tiny_model(**{"party_building.talent_pool": True, "behaviour.talent_quota": 100.0})
    st = m.students
    rows = np.arange(st.n)
    k = len(rows)
    st.school[rows] = 0
    st.skills[rows] = np.linspace(0, 1, k)[:, None]
    cultivation.recruit_party_members(m, rows)
    chosen = rows[st.party[rows]]
    assert len(chosen) == round(100.0 * k / 1000)
    assert st.skills[chosen, CIVIC].min() > np.median(st.skills[rows, CIVIC])


def test_teacher_practice_raises_teacher_quality():
    m = tiny_model(**{"party_building.mode": "integrated", "party_building.teacher_practice": 1.0})
    before = m.teacher_quality.copy()
    cultivation.train_teachers(m)
    assert (m.teacher_quality > before).all()


def test_joint_projects_raise_firm_strength():
    out = []
    for jp in (0.0, 1.0):
        m = tiny_model(**{"firm_support.joint_projects": jp})
        m.partnerships.willingness[:] = 1.0
        for _ in range(24):
            honour.grow_strength(m)
        out.append(m.firm_strength[m.firm_ever_partner].mean())
    assert out[1] > out[0]


def test_supervision_moves_interns_out_of_marginal_posts():
    res = []
    for on in (False, True):
        m = tiny_model(seed=4, **{"party_building.supervision": on})
        while (m.students.status[: m.students.n] == INTERNING).sum() < 20:
            m.step()
        st = m.students
        rows = np.flatnonzero(st.status[: st.n] == INTERNING)
        st.frontline[rows] = False
        for _ in range(3):
            internships.supervise(m)
        res.append(st.frontline[rows].mean())
    assert res[0] == 0.0 and res[1] > 0.5


def _reputation_after_competitions(per_year: int, skill: float, months: int = 24) -> float:
    """A school whose placement and fit are exactly typical; its students' innovation and craft
    set to ``skill``; reputation after ``months`` with ``per_year`` competitions."""
    m = tiny_model(**{"craftsman.competitions_per_year": per_year})
    b = m.params.behaviour
    m.school_placement[:] = b.placement_reference
    m.school_fit[:] = b.fit_reference
    st = m.students
    st.skills[: st.n, [INNOVATION, CRAFT]] = skill
    for month in range(months):
        m.t = month
        honour.update_reputation(m)
    return float(m.school_reputation.mean())


def test_competitions_neither_reward_nor_penalise_a_typical_school():
    """M15 known answer: students exactly at the competitors' level win half their contests, so
    switching competitions on leaves a typical school's reputation where it was (0.5)."""
    field = tiny_model().params.behaviour.competition_field
    without, with_ = _reputation_after_competitions(0, field), _reputation_after_competitions(4, field)
    assert abs(without - 0.5) < 1e-9 and abs(with_ - 0.5) < 1e-9


def test_competition_results_move_reputation_with_what_students_achieve():
    """Relative performance: above the field, competitions raise reputation; below it, they lower it."""
    field = tiny_model().params.behaviour.competition_field
    base = _reputation_after_competitions(0, field + 0.1)
    assert _reputation_after_competitions(4, field + 0.1) > base
    assert _reputation_after_competitions(4, field - 0.1) < base


def test_a_missing_signal_renormalises_the_weights():
    m = tiny_model()
    b = m.params.behaviour
    m.school_placement[:] = np.nan                    # no graduates measured yet
    m.school_fit[:] = b.fit_reference + 10 * b.fit_spread
    target = honour.reputation_target(m)
    assert np.allclose(target, honour.standing(m.school_fit, b.fit_reference, b.fit_spread))
    m.school_fit[:] = np.nan
    assert np.isnan(honour.reputation_target(m)).all()
