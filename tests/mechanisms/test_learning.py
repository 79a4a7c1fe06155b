"""M3, M4, M9, M12, M14: directions of skill growth for hand-set students (known answers)."""

import numpy as np

from sim.mechanisms import learning, teaching
from sim.mechanisms.context import StudentDraws
from sim.mechanisms.student_update import update_students, update_students_reference
from sim.state import CIVIC, CRAFT, ENROLLED, INNOVATION, INTERNING, REGULAR, TECHNICAL, THEORY
from tests.helpers import context, tiny_model


def _rates(ctx, status=INTERNING, frontline=False, n=1, firm=0):
    return learning.growth_rates(
        ctx, np.zeros(n, int), np.full(n, status), np.full(n, firm), np.full(n, frontline), np.full(n, REGULAR)
    )


def test_class_growth_follows_curriculum():
    cur = np.array([[0.6, 0.1, 0.1, 0.1, 0.1]] * 2)
    r = _rates(context(curriculum=cur), status=ENROLLED)
    assert r[0, THEORY] > r[0, TECHNICAL]


def test_frontline_beats_marginal_and_mentoring_matters():
    ctx = context()
    assert _rates(ctx, frontline=True)[0, TECHNICAL] > _rates(ctx, frontline=False)[0, TECHNICAL]
    weak = context(mentor_quality=np.full(3, 0.2))
    assert _rates(weak, frontline=True)[0, TECHNICAL] < _rates(ctx, frontline=True)[0, TECHNICAL]


def test_party_civic_growth_is_hours_times_one_effect_per_hour():
    """M9: the civic term is η × hours, η the same in school and in practice and in every mode;
    no hours, no term.  η is an hour of civic teaching at full teacher quality (× party_hour_effect)."""
    b = context().behaviour
    eta = learning.civic_per_hour(b, 5)
    assert np.isclose(eta, b.party_hour_effect * b.school_learning_rate * 5 / b.class_hours_per_month)
    base_class = _rates(context(), status=ENROLLED)[0, CIVIC]
    base_practice = _rates(context(), status=INTERNING)[0, CIVIC]
    for hours in (0.5, 4.0, 12.0):
        in_class = _rates(context(party_class=np.full(2, hours)), status=ENROLLED)[0, CIVIC]
        assert np.isclose(in_class - base_class, eta * hours)
        # an intern mentored by a party-member teacher, paired with an engineer giving ``hours``
        practice = _rates(context(party_practice=np.ones(2), party_engineer=np.full(3, hours)), status=INTERNING)[
            0, CIVIC
        ]
        assert np.isclose(practice - base_practice, eta * (b.teacher_hours_per_month / b.teacher_capacity + hours))


def test_interns_get_party_hours_from_teacher_and_paired_engineer():
    b = context().behaviour
    teacher = b.teacher_hours_per_month / b.teacher_capacity
    ctx = context(
        party_practice=np.array([0.5, 1.0]), party_engineer=np.array([6.0, 0.0, 0.0]), party_class=np.full(2, 12.0)
    )
    status = np.array([INTERNING, INTERNING, ENROLLED])
    h = learning.party_hours(ctx, np.zeros(3, int), status, np.array([0, 1, 0]))
    assert np.allclose(h, [0.5 * (teacher + 6.0), 0.5 * teacher, 12.0])


def test_interns_grow_innovation_only_while_their_host_runs_a_project():
    projects = np.zeros((2, 3))
    projects[0, 1] = 1.0
    ctx = context(projects=projects)
    at_project = _rates(ctx, firm=1)[0, INNOVATION]
    elsewhere = _rates(ctx, firm=2)[0, INNOVATION]
    assert np.isclose(at_project - elsewhere, ctx.behaviour.project_innovation_rate)


def test_craftsman_intensity_grows_craft():
    assert (
        _rates(context(craft_intensity=0.7), status=ENROLLED)[0, CRAFT] > _rates(context(), status=ENROLLED)[0, CRAFT]
    )


def test_growth_keeps_skills_in_bounds_and_needs_room():
    sk = np.array([[0.0, 0.5, 0.99, 1.0, 0.3]])
    out = learning.grow(sk, np.full((1, 5), 5.0), np.ones(1))
    assert (out >= 0).all() and (out <= 1).all()
    assert out[0, 3] == 1.0


def test_reference_counts_the_same_party_hours():
    """The per-student reference gives the same hours of party activity as the vectorised update
    (integrated party building with co-mentoring and joint projects: every term present)."""
    m = tiny_model("full", seed=2)
    checked = 0
    for _ in range(30):
        m.step()
        if m.t % 6:
            continue
        rows = m.tracked_window()
        ctx, s = teaching.month_context(m, rows), teaching.student_slice(m, rows)
        draws = StudentDraws.draw(np.random.default_rng(m.t), rows.stop - rows.start)
        fast, ref = update_students(ctx, s, draws), update_students_reference(ctx, s, draws)
        np.testing.assert_allclose(fast.party_hours, ref.party_hours, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(fast.skills, ref.skills, rtol=1e-12, atol=1e-12)
        assert (fast.party_hours[s.status > INTERNING] == 0).all()
        checked += fast.party_hours.max() > 0
    assert checked >= 3
