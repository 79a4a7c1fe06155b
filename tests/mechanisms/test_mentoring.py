"""M5: mentoring quality falls when load exceeds capacity; communication eats teachers' time.
M9: the hours of party activity that reach students in each mode (known answers)."""

import numpy as np

from sim.mechanisms import mentoring
from sim.state import ENROLLED, INTERNING, MONTHS_PER_YEAR
from tests.helpers import tiny_model


def test_engineer_quality_falls_with_load():
    m = tiny_model(**{"firm_support.mentors_per_firm": 2})
    q = mentoring.mentor_quality(m, np.array([1.0, 16.0, 64.0] + [0.0] * (m.n_firms - 3)))
    assert q[0] == 1.0 and q[1] == 1.0 and q[2] < 0.5


def _rows(interns=200, enrolled=400, firm=0):
    status = np.array([INTERNING] * interns + [ENROLLED] * enrolled)
    return status, np.zeros(len(status), int), np.full(len(status), firm)


def _contact(members, comm_hours=0.0, mode="integrated", firm=0, interns=200, enrolled=400, **over):
    m = tiny_model(**{"party_building.mode": mode, "population.party_members_per_school": members, **over})
    m.comm_hours[:] = comm_hours
    return m, mentoring.party_contact(m, *_rows(interns, enrolled, firm))


def test_fewer_party_members_reach_fewer_students_and_interns():
    """Overload (pattern 7): 200 interns and 400 students are more than 5 members can serve
    (5 × 10 interns, 5 × 60 students), not more than 40 can."""
    _, (c40, p40, _) = _contact(40)
    _, (c5, p5, _) = _contact(5)
    b = tiny_model().params.behaviour
    assert c40[0] == b.party_guidance_hours and p40[0] == 1.0
    assert np.isclose(c5[0], b.party_guidance_hours * 5 * b.class_contact / 400)
    assert np.isclose(p5[0], 5 * b.teacher_capacity / 200)


def test_communication_hours_reduce_party_mentoring():
    _, (_, free, _) = _contact(10, 0.0)
    _, (_, busy, _) = _contact(10, 300.0)
    assert busy[0] < free[0]


def test_two_skins_is_a_few_lecture_hours_in_school_and_nothing_in_practice():
    m, (cls, prac, eng) = _contact(20, mode="two_skins")
    assert np.allclose(cls, m.params.behaviour.party_lecture_hours / MONTHS_PER_YEAR)
    assert prac.sum() == 0 and eng.sum() == 0


def test_no_party_activity_without_the_mode_or_without_party_members():
    for mode, members in (("none", 20), ("two_skins", 0), ("integrated", 0)):
        _, (cls, served, _) = _contact(members, mode=mode, **{"party_building.co_mentoring": True})
        assert cls.sum() == 0 and served.sum() == 0, (mode, members)  # no teacher: no pair either


def test_co_mentoring_acts_only_at_hosts_with_a_party_organisation():
    """A party-member engineer adds contact at hosts with a party organisation (state firms);
    a foreign firm has none, so its interns get the teacher's hours only."""
    m = tiny_model(**{"party_building.mode": "integrated", "party_building.co_mentoring": True})
    m.firm_party_org[:] = False
    m.firm_party_org[0] = True
    _, _, eng = mentoring.party_contact(m, *_rows())  # per school and host firm
    assert (eng[:, 0] == m.params.behaviour.co_mentor_engineer_hours * m.mentor_q[0]).all()
    assert (eng[:, 1:] == 0).all()
    off = tiny_model(**{"party_building.mode": "integrated"})
    assert mentoring.party_contact(off, *_rows())[2].sum() == 0  # no co-mentoring lever: no engineers


def test_co_mentoring_costs_teachers_time():
    """Pairing with an engineer costs the teacher co_mentoring_load times the time per intern: with
    the interns at a party-organisation host, teachers mentor fewer of them when capacity binds."""
    hours = []
    for co in (False, True):
        m = tiny_model(
            **{
                "party_building.mode": "integrated",
                "party_building.co_mentoring": co,
                "population.party_members_per_school": 10,
            }
        )
        m.firm_party_org[:] = True
        hours.append(mentoring.party_contact(m, *_rows(interns=150))[1][0])
    assert np.isclose(hours[1], hours[0] / m.params.behaviour.co_mentoring_load) and hours[0] < 1.0
