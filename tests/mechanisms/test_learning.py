"""M3, M4, M9, M12: directions of skill growth for hand-set students (known answers)."""
import numpy as np

from sim.mechanisms import learning
from sim.state import CIVIC, CRAFT, ENROLLED, INTERNING, REGULAR, TECHNICAL, THEORY
from tests.helpers import context


def _rates(ctx, status=INTERNING, frontline=False, n=1):
    return learning.growth_rates(ctx, np.zeros(n, int), np.full(n, status), np.zeros(n, int),
                                 np.full(n, frontline), np.full(n, REGULAR))


def test_class_growth_follows_curriculum():
    cur = np.array([[0.6, 0.1, 0.1, 0.1, 0.1]] * 2)
    r = _rates(context(curriculum=cur), status=ENROLLED)
    assert r[0, THEORY] > r[0, TECHNICAL]


def test_frontline_beats_marginal_and_mentoring_matters():
    ctx = context()
    assert _rates(ctx, frontline=True)[0, TECHNICAL] > _rates(ctx, frontline=False)[0, TECHNICAL]
    weak = context(mentor_quality=np.full(3, 0.2))
    assert _rates(weak, frontline=True)[0, TECHNICAL] < _rates(ctx, frontline=True)[0, TECHNICAL]


def test_party_modes_order_civic_growth():
    civic = [_rates(context(party_mode=m, party_class=np.ones(2)), status=ENROLLED)[0, CIVIC] for m in (0, 1, 2)]
    assert civic[0] < civic[1] < civic[2]


def test_no_party_work_of_any_mode_without_party_member_teachers():
    """Two-skins lectures, like integrated contact, are given by party-member teachers: at a
    school without any, the mode changes nothing (pattern 4's failure region)."""
    nobody = dict(party_members=np.zeros(2), party_class=np.zeros(2), party_practice=np.zeros(2))
    for status in (ENROLLED, INTERNING):
        civic = [_rates(context(party_mode=m, **nobody), status=status)[0, CIVIC] for m in (0, 1, 2)]
        assert civic[0] == civic[1] == civic[2], (status, civic)


def test_craftsman_intensity_grows_craft():
    assert _rates(context(craft_intensity=0.7), status=ENROLLED)[0, CRAFT] > _rates(context(), status=ENROLLED)[0, CRAFT]


def test_growth_keeps_skills_in_bounds_and_needs_room():
    sk = np.array([[0.0, 0.5, 0.99, 1.0, 0.3]])
    out = learning.grow(sk, np.full((1, 5), 5.0), np.ones(1))
    assert (out >= 0).all() and (out <= 1).all()
    assert out[0, 3] == 1.0
