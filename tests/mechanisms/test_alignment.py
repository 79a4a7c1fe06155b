"""M2: c = (1-a) g + a b; aligning to an uncorrected belief changes nothing (known answers)."""

import numpy as np

from sim.mechanisms import alignment
from tests.helpers import tiny_model


def test_alignment_to_uncorrected_belief_is_the_goal():
    m = tiny_model(**{"goal_alignment.weight": 1.0})
    alignment.align_goals(m)
    np.testing.assert_allclose(m.curriculum, m.school_goal / m.school_goal.sum(axis=1, keepdims=True))


def test_curriculum_is_the_weighted_mix():
    m = tiny_model(**{"goal_alignment.weight": 0.25})
    m.school_belief[:] = np.array([0.0, 0.5, 0.0, 0.5, 0.0])
    alignment.align_goals(m)
    expect = 0.75 * m.school_goal + 0.25 * m.school_belief
    np.testing.assert_allclose(m.curriculum, expect / expect.sum(axis=1, keepdims=True))


def test_joint_evaluation_moves_belief_only_when_on():
    for on in (False, True):
        m = tiny_model(**{"school_cooperation.joint_evaluation": on})
        before = m.school_belief.copy()
        needs = np.tile([0.0, 1.0, 0.0, 0.0, 0.0], (m.n_schools, 1))
        alignment.joint_evaluation(m, needs, np.ones(m.n_schools))
        moved = not np.allclose(m.school_belief, before)
        assert moved == on


def test_teacher_practice_carries_needs_back_only_when_integrated():
    for mode, expect in (("two_skins", False), ("integrated", True)):
        m = tiny_model(**{"party_building.mode": mode, "party_building.teacher_practice": 1.0})
        before = m.school_belief.copy()
        alignment.carry_needs_back(m)
        assert (not np.allclose(m.school_belief, before)) == expect
