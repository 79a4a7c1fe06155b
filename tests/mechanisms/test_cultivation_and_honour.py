"""M11 recruitment pipeline and teachers' practical competence; M14 joint projects, training
capacity and school strength; M15 reputation; M17 supervision."""

import numpy as np

from sim import load_scenario, metrics
from sim.mechanisms import cultivation, honour, internships
from sim.mechanisms.alignment import curriculum_alignment
from sim.model import CooperationModel
from sim.state import CIVIC, CRAFT, INNOVATION, INTERNING
from tests.helpers import tiny_model


# ---------------------------------------------------------------- M11 party recruitment
def _finalists(m, k=400, civic=None, contact=None, quality=None):
    """``k`` hand-set students of school 0 as the graduating cohort."""
    st = m.students
    if st.n < k:
        st.add(k - st.n)  # enough rows (draws are made per student row)
    rows = np.arange(k)
    st.school[rows] = 0
    st.party[rows] = False
    st.skills[rows] = np.linspace(0.2, 0.6, k)[:, None] if quality is None else quality
    if civic is not None:
        st.skills[rows, CIVIC] = civic
    st.party_contact[rows] = 0.0 if contact is None else contact
    return rows


def test_applications_rise_with_civic_skill_and_party_contact():
    m = tiny_model()
    rows = _finalists(m, 4)
    m.students.skills[rows, CIVIC] = [0.3, 0.7, 0.3, 0.3]
    m.students.party_contact[rows] = [0.0, 0.0, 100.0, 400.0]
    p = cultivation.application_probability(m, rows)
    assert p[1] > p[0] and p[0] < p[2] < p[3]


def test_the_quota_caps_and_does_not_decide():
    """With a quota far above what the pipeline yields, admissions are below it (the pipeline
    decides); with a tiny one, the quota is reached and no more are admitted."""
    counts = {}
    for quota in (1000.0, 10.0):
        m = tiny_model(**{"behaviour.recruitment_quota": quota, "party_building.talent_pool": True})
        rows = _finalists(m, contact=np.full(400, 300.0))
        cultivation.recruit_party_members(m, rows)
        counts[quota] = int(m.students.party[rows].sum())
    assert counts[10.0] == round(10.0 * 400 / 1000) < counts[1000.0] < 1000.0 * 400 / 1000
    assert counts[1000.0] <= m.params.behaviour.admission_rank * 400 + 1  # the bar, not the quota


def test_admitted_stand_at_the_top_of_their_cohort_as_the_branch_judges():
    """With a talent pool (small judgement error) every admitted student is among the best of
    the cohort; without one the branch knows fewer applicants and judges them worse."""
    quality = {}
    for pool in (False, True):
        m = tiny_model(seed=1, **{"party_building.talent_pool": pool, "behaviour.recruitment_quota": 1000.0})
        rows = _finalists(m, k=500, contact=np.full(500, 300.0))
        q = cultivation.candidate_quality(m, rows)
        cultivation.recruit_party_members(m, rows)
        chosen = m.students.party[rows]
        quality[pool] = (chosen.sum(), q[chosen].mean(), np.quantile(q, 0.8))
    (n_no, q_no, top), (n_pool, q_pool, _) = quality[False], quality[True]
    assert n_pool > n_no > 0 and q_pool > q_no > top


def test_recruitment_draws_the_same_numbers_whatever_the_talent_pool():
    """Common random numbers: three draws per finalist from the party stream, pool or not."""
    states = []
    for pool in (False, True):
        m = tiny_model(**{"party_building.talent_pool": pool})
        cultivation.recruit_party_members(m, _finalists(m))
        states.append(m.streams["party"].random())
    assert states[0] == states[1]


def test_student_party_members_vary_across_seeds_and_with_party_contact():
    """A process count, not a quota: it differs between seeds, and integrated party building
    (hundreds of contact hours) recruits more than two-skins lectures (a few hours a year),
    seed by seed, over 4 seeds whose counts are each many standard errors apart."""
    over = {
        "population.schools": 2,
        "population.cohort_size": 300,
        "population.firms": 30,
        "population.partners_per_school": 10,
        "run.years": 4,
        "run.warmup_months": 24,
    }
    counts = {
        mode: [
            metrics.compute(
                CooperationModel(load_scenario("baseline", {**over, "party_building.mode": mode}).params, seed=s).run()
            )["student_party_members"]
            for s in range(4)
        ]
        for mode in ("two_skins", "integrated")
    }
    assert len(set(counts["two_skins"])) > 1 and len(set(counts["integrated"])) > 1
    assert all(i > t for i, t in zip(counts["integrated"], counts["two_skins"]))
    quota = load_scenario("baseline").params.behaviour.recruitment_quota
    assert max(counts["integrated"]) < quota


# ---------------------------------------------------------------- M11 teachers' practical competence
def test_teacher_practice_raises_teacher_quality():
    m = tiny_model(**{"party_building.mode": "integrated", "party_building.teacher_practice": 1.0})
    m.teacher_quality[:] = m.params.behaviour.initial_teacher_quality
    before = m.teacher_quality.copy()
    cultivation.train_teachers(m)
    assert (m.teacher_quality > before).all()


def test_turnover_returns_the_share_to_the_status_quo():
    m = tiny_model()
    b = m.params.behaviour
    m.teacher_quality[:] = [0.9, 0.2]
    for _ in range(120):
        cultivation.train_teachers(m)
    gap = np.array([0.9, 0.2]) - b.initial_teacher_quality
    assert np.allclose(m.teacher_quality - b.initial_teacher_quality, gap * (1 - b.teacher_turnover) ** 120)


# ---------------------------------------------------------------- M14 joint projects
def test_project_success_rises_with_innovation_and_teachers_competence():
    m = tiny_model()
    st = m.students
    st.status[: st.n] = INTERNING
    school = np.zeros(1, int)
    st.skills[: st.n, INNOVATION] = 0.3
    low = honour.project_success_probability(m, school)[0]
    st.skills[: st.n, INNOVATION] = 0.6
    innovative = honour.project_success_probability(m, school)[0]
    m.teacher_quality[0] += 0.2
    both = honour.project_success_probability(m, school)[0]
    assert 0 < low < innovative < both < 1


def _after_projects(months=60, seed=0, **over):
    m = tiny_model(seed=seed, **over)
    m.partnerships.willingness[:] = 1.0
    q0 = m.teacher_quality.copy()
    for month in range(months):
        m.t = m.warmup + month  # reporting months, so the counters count
        honour.joint_projects(m)
    return m, q0


def test_successful_projects_raise_firm_capability_and_teachers_competence():
    m, q0 = _after_projects(**{"firm_support.joint_projects": 1.0})
    assert m.projects_ended > 5 and 0 < m.projects_succeeded < m.projects_ended
    assert (m.teacher_quality > q0).all()
    off, _ = _after_projects(**{"firm_support.joint_projects": 0.0})
    assert off.projects_ended == 0
    assert m.firm_strength[m.firm_ever_partner].mean() > off.firm_strength[off.firm_ever_partner].mean()


def test_the_lever_acts_only_through_successful_projects():
    """Rule 1: with projects that never succeed, joint projects leave firm capability and
    teachers' competence exactly where no projects leave them (no direct lever term)."""
    never = {
        "behaviour.project_success_logit": -10.0,
        "behaviour.project_innovation_weight": 0.0,
        "behaviour.project_competence_weight": 0.0,
    }
    on, _ = _after_projects(**{"firm_support.joint_projects": 1.0, **never})
    off, _ = _after_projects(**{"firm_support.joint_projects": 0.0, **never})
    assert on.projects_ended > 5 and on.projects_succeeded == 0
    np.testing.assert_array_equal(on.firm_strength, off.firm_strength)
    np.testing.assert_array_equal(on.teacher_quality, off.teacher_quality)


def test_projects_draw_the_same_numbers_whatever_the_lever():
    states = [
        _after_projects(months=12, **{"firm_support.joint_projects": jp})[0].streams["projects"].random()
        for jp in (0.0, 1.0)
    ]
    assert states[0] == states[1]


# ---------------------------------------------------------------- M14 training capacity, school strength
def test_training_capacity_grows_with_resources_and_depreciates_without():
    out = {}
    for res in (0.0, 0.2, 1.0):
        m = tiny_model(**{"firm_support.resources": res})
        for _ in range(36):
            honour.build_training_capacity(m)
        out[res] = m.training_capacity.mean()
    start = tiny_model().params.behaviour.initial_training_capacity
    assert out[0.0] < start < out[1.0] and out[0.0] < out[0.2] < out[1.0]


def test_school_strength_is_the_weighted_mean_of_its_three_parts():
    m = tiny_model()
    b = m.params.behaviour
    m.teacher_quality[:] = [0.4, 0.6]
    m.training_capacity[:] = [0.2, 0.8]
    align = curriculum_alignment(m)
    assert ((align > 0) & (align <= 1)).all()
    w = np.array(
        [b.school_strength_weight_teachers, b.school_strength_weight_alignment, b.school_strength_weight_training]
    )
    expect = np.mean([w @ [q, a, k] / w.sum() for q, a, k in zip(m.teacher_quality, align, m.training_capacity)])
    assert np.isclose(metrics.school_strength(m), expect)
    m.curriculum[:] = m.firm_needs[m.partnerships.firm[0]]  # teaching what partners need raises it
    assert metrics.school_strength(m) > expect


def test_curriculum_alignment_is_one_for_the_partners_mean_needs():
    from sim.mechanisms.alignment import partner_needs

    m = tiny_model()
    m.curriculum[:] = partner_needs(m)
    assert np.allclose(curriculum_alignment(m), 1.0)


# ---------------------------------------------------------------- M17 supervision
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


# ---------------------------------------------------------------- M15 reputation
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
    m.school_placement[:] = np.nan  # no graduates measured yet
    m.school_fit[:] = b.fit_reference + 10 * b.fit_spread
    target = honour.reputation_target(m)
    assert np.allclose(target, honour.standing(m.school_fit, b.fit_reference, b.fit_spread))
    m.school_fit[:] = np.nan
    assert np.isnan(honour.reputation_target(m)).all()
