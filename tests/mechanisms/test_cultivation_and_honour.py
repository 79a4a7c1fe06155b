"""M11 talent pool and teacher practice; M14 strength; M17 supervision."""
import numpy as np

from sim.mechanisms import cultivation, honour, internships
from sim.state import CIVIC, INTERNING
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


def test_competition_results_raise_school_reputation():
    """M15: competition results enter the school's reputation (same start, 24 months)."""
    out = []
    for k in (0, 4):
        m = tiny_model(**{"craftsman.competitions_per_year": k})
        for month in range(24):
            m.t = month
            honour.update_reputation(m)
        out.append(m.school_reputation.mean())
    assert out[1] > out[0]
