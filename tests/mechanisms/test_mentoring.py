"""M5: mentoring quality falls when load exceeds capacity; communication eats teachers' time."""
import numpy as np

from sim.mechanisms import mentoring
from sim.state import ENROLLED, INTERNING
from tests.helpers import tiny_model


def test_engineer_quality_falls_with_load():
    m = tiny_model(**{"firm_support.mentors_per_firm": 2})
    q = mentoring.mentor_quality(m, np.array([1.0, 16.0, 64.0] + [0.0] * (m.n_firms - 3)))
    assert q[0] == 1.0 and q[1] == 1.0 and q[2] < 0.5


def _party(members, comm_hours=0.0):
    m = tiny_model(**{"party_building.mode": "integrated", "population.party_members_per_school": members})
    m.comm_hours[:] = comm_hours
    status = np.array([INTERNING] * 200 + [ENROLLED] * 400)
    school = np.zeros(600, int)
    return mentoring.party_quality(m, status, school)


def test_fewer_party_members_lower_quality():
    c20, p20 = _party(20)
    c5, p5 = _party(5)
    assert p5[0] < p20[0] and c5[0] < c20[0]


def test_communication_hours_reduce_party_mentoring():
    _, free = _party(10, 0.0)
    _, busy = _party(10, 300.0)
    assert busy[0] < free[0]


def test_no_party_contact_unless_integrated():
    m = tiny_model(**{"party_building.mode": "two_skins"})
    c, p = mentoring.party_quality(m, np.array([INTERNING]), np.zeros(1, int))
    assert c.sum() == 0 and p.sum() == 0
