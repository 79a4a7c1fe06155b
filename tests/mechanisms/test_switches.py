"""Mechanism families switched off (``mechanisms.off``, docs/odd.md §10): each acts as its neutral behaviour
of docs/odd.md ("Neutral when off"), keeps drawing its random numbers, and does nothing when on
that these tests would miss (each test also shows the family acting when it is on)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim.mechanisms import (
    alignment,
    communication,
    cultivation,
    engagement,
    firm_accounting,
    honour,
    internships,
    labour_market,
    mentoring,
    teaching,
)
from sim.mechanisms.context import StudentDraws
from sim.model import STREAMS, CooperationModel
from sim.params import SWITCHABLE, Params, mechanism_ids
from sim.scenario import ScenarioError, load_scenario, to_toml
from sim.state import EMPLOYED, INTERNING, PROGRAMME_MONTHS
from tests.helpers import TINY, context, tiny_model


def switched(model: CooperationModel, *ids: str) -> CooperationModel:
    model.off = frozenset(ids)
    return model


def stepped(months: int = 8, **over) -> CooperationModel:
    """A tiny model some months in: interns at firms, graduates in jobs (from the year-3 cohort)."""
    m = tiny_model(**over)
    for _ in range(months):
        m.step()
    return m


# ------------------------------------------------------------------ the schema
def test_ids_and_names_are_accepted_and_written_as_ids():
    s = load_scenario("baseline", {"mechanisms.off": ["craftsman", "m17", "M12"]})
    assert s.params.mechanisms.off == ["M12", "M17"]
    assert 'off = ["M12", "M17"]' in to_toml(s)
    assert load_scenario("baseline", ["mechanisms.off=M1,supervision"]).params.mechanisms.off == ["M1", "M17"]


def test_nothing_is_off_by_default_and_the_resolved_file_says_so():
    s = load_scenario("baseline")
    assert s.params.mechanisms.off == [] and Params().mechanisms.off == []
    assert "[mechanisms]\noff = []" in to_toml(s)


@pytest.mark.parametrize(
    "value,needle",
    [
        (["M18"], "unknown mechanism 'M18'"),
        (["craftsmen"], "did you mean 'craftsman'"),
        (["M3"], "M3 (learning) cannot be switched off"),
        ([1], "allowed a list"),
    ],
)
def test_unknown_or_fixed_families_are_refused_in_one_line(value, needle):
    with pytest.raises(ScenarioError) as e:
        load_scenario("baseline", {"mechanisms.off": value})
    assert needle in str(e.value) and "mechanisms.off" in str(e.value) and "\n" not in str(e.value)


def test_a_sweep_holds_switches_fixed_but_cannot_vary_them(tmp_path):
    from analysis.sweepfile import load_sweep

    head = 'name = "s"\nbase = "baseline"\ndesign = "grid"\nreplicates = 1\nseed = 0\n'
    f = tmp_path / "vary.toml"
    f.write_text(head + '[levers]\n"mechanisms.off" = [[], ["M1"]]\n')
    with pytest.raises(ScenarioError, match="cannot be varied"):
        load_sweep(f)
    f = tmp_path / "fixed.toml"
    f.write_text(head + '[levers]\n"communication.depth" = [0.1, 0.5]\n[fixed]\n"mechanisms.off" = ["craftsman"]\n')
    assert load_sweep(f).base_params.mechanisms.off == ["M12"]


def test_the_model_refuses_a_bad_id_given_from_python():
    p = Params()
    p.mechanisms.off = ["M99"]
    with pytest.raises(ValueError):
        CooperationModel(p, seed=0)


# ------------------------------------------------------------------ common random numbers
@pytest.mark.parametrize("mid", SWITCHABLE)
def test_a_switched_off_family_still_draws_its_numbers(mid):
    """As tests/test_crn.py for levers: after each of the first twelve months (September's
    graduation, hiring and enrolment included), every stream is in the same state with the family
    off as with it on, under a strategy in which every family acts."""
    a = CooperationModel(load_scenario("full", dict(TINY)).params, seed=11)
    b = CooperationModel(load_scenario("full", {**TINY, "mechanisms.off": [mid]}).params, seed=11)
    for month in range(12):
        a.step()
        b.step()
        for s in STREAMS:
            assert a.streams[s].bit_generator.state == b.streams[s].bit_generator.state, (mid, s, month)


# ------------------------------------------------------------------ neutral when off, family by family
def test_m1_off_no_events_beliefs_and_trust_stay():
    over = {"communication.meetings_per_year": 24, "communication.depth": 1.0, "communication.online_platform": True}
    for off, moves in (((), True), (("M1",), False)):
        m = switched(stepped(2, **over), *off)
        belief, trust = m.school_belief.copy(), m.partnerships.trust.copy()
        communication.communicate(m)
        assert (not np.array_equal(belief, m.school_belief)) == moves
        assert (not np.array_equal(trust, m.partnerships.trust)) == moves
        assert (m.comm_hours.sum() > 0) == moves


def test_m2_off_the_curriculum_is_the_schools_own_goal():
    m = stepped(2, **{"goal_alignment.weight": 1.0})
    m.school_belief[:] = m.firm_needs[0]
    alignment.align_goals(m)
    assert not np.allclose(m.curriculum, m.school_goal)
    switched(m, "M2")
    alignment.align_goals(m)
    assert np.allclose(m.curriculum, m.school_goal / m.school_goal.sum(axis=1, keepdims=True))


def test_m4_off_every_post_is_marginal_and_supervision_has_no_front_line():
    over = {"firm_support.frontline_share": 1.0, "party_building.supervision": True, "behaviour.supervision_rate": 1.0}
    on, off = stepped(8, **over), stepped(8, **over, **{"mechanisms.off": ["M4"]})
    st_on, st_off = on.students, off.students
    assert st_on.frontline[: st_on.n][st_on.status[: st_on.n] == INTERNING].all()
    interning = st_off.status[: st_off.n] == INTERNING
    assert interning.any() and not st_off.frontline[: st_off.n][interning].any()


def test_m4_off_no_apprenticeship_bonus():
    ctx = context(F=1, mentor_quality=np.array([0.5]))
    args = (np.array([0]), np.array([INTERNING]), np.array([0]), np.array([False]), np.array([2]))  # an apprentice
    from sim.mechanisms.learning import growth_rates

    on = growth_rates(ctx, *args)
    off = growth_rates(dataclasses.replace(ctx, off=frozenset({"M4"})), *args)
    b = ctx.behaviour
    assert np.allclose(on[:, 0], off[:, 0] * b.apprenticeship_bonus)


def test_m5_off_workload_limits_nothing():
    m = tiny_model(
        **{
            "firm_support.mentors_per_firm": 1,
            "party_building.mode": "integrated",
            "population.party_members_per_school": 1,
        }
    )
    load = np.full(m.n_firms, 100.0)
    assert mentoring.mentor_quality(m, load).max() < 1
    assert (mentoring.mentor_quality(switched(m, "M5"), load) == 1).all()
    status = np.array([INTERNING] * 200 + [0] * 400)
    school, firm = np.zeros(600, int), np.zeros(600, int)
    reach, served, _ = mentoring.party_contact(m, status, school, firm)
    assert reach[0] == m.params.behaviour.party_guidance_hours and served[0] == 1
    reach_on, served_on, _ = mentoring.party_contact(switched(m), status, school, firm)
    assert reach_on[0] < reach[0] and served_on[0] < 1


def test_m6_off_engagement_and_resistance_stay_and_nothing_breaks():
    ctx = context(F=1, firm_support=np.array([1.0]))
    n = 4
    args = (
        np.full(n, INTERNING),
        np.zeros(n, int),
        np.ones(n, bool),
        np.full((n, 5), 0.1),
        np.full(n, 0.5),
        np.full(n, 0.9),
        np.zeros(n),
        np.zeros(n, bool),
        np.ones(n),
        np.zeros(n, int),
    )
    eng, res, leave = engagement.update(ctx, *args)
    assert not np.allclose(eng, 0.5) and leave.all()
    eng, res, leave = engagement.update(dataclasses.replace(ctx, off=frozenset({"M6"})), *args)
    assert np.array_equal(eng, args[4]) and np.array_equal(res, args[5]) and not leave.any()


def test_m7_off_joint_evaluation_leaves_the_belief():
    m = tiny_model(**{"school_cooperation.joint_evaluation": True})
    target, hosted = m.firm_needs[:2], np.ones(2)
    before = m.school_belief.copy()
    alignment.joint_evaluation(switched(m, "M7"), target, hosted)
    assert np.array_equal(before, m.school_belief)
    alignment.joint_evaluation(switched(m), target, hosted)
    assert not np.array_equal(before, m.school_belief)


def test_m8_off_willingness_stays_the_accounts_are_kept():
    m = stepped(8, **{"firm_support.resources": 1.0})
    act = m.partnerships.active()
    w, net = m.partnerships.willingness[act].copy(), m.partnerships.net_smoothed[act].copy()
    firm_accounting.account(switched(m, "M8"), m.mentor_q)
    assert np.array_equal(w, m.partnerships.willingness[act])
    assert not np.array_equal(net, m.partnerships.net_smoothed[act])
    firm_accounting.account(switched(m), m.mentor_q)
    assert not np.array_equal(w, m.partnerships.willingness[act])


@pytest.mark.parametrize("mode", ["two_skins", "integrated"])
def test_m9_off_no_party_hours_in_any_mode(mode):
    m = tiny_model(**{"party_building.mode": mode, "party_building.co_mentoring": True})
    status = np.array([INTERNING] * 5 + [0] * 20)
    rows = (status, np.zeros(25, int), np.zeros(25, int))
    assert sum(x.sum() for x in mentoring.party_contact(m, *rows)) > 0
    assert sum(x.sum() for x in mentoring.party_contact(switched(m, "M9"), *rows)) == 0


def test_m10_off_no_alliance_channel_motive_or_brokerage():
    over = {
        "party_building.alliance": True,
        "communication.meetings_per_year": 0,
        "behaviour.alliance_events_per_year": 24,
        "behaviour.party_org_private": 1.0,
    }
    for off, moves in (((), True), (("M10",), False)):
        m = switched(stepped(2, **over), *off)
        trust = m.partnerships.trust.copy()
        communication.communicate(m)
        act = m.partnerships.active()
        gained = (m.partnerships.trust[act] > trust[act] * (1 - m.params.behaviour.trust_decay) + 1e-12).any()
        assert gained == moves


def test_m11_off_teacher_practice_does_nothing():
    over = {"party_building.mode": "integrated", "party_building.teacher_practice": 1.0}
    m = tiny_model(**over)
    q, b = m.teacher_quality.copy(), m.params.behaviour
    cultivation.train_teachers(switched(m, "M11"))
    assert np.allclose(m.teacher_quality, q + b.teacher_turnover * (b.initial_teacher_quality - q))  # turnover only
    belief = m.school_belief.copy()
    alignment.carry_needs_back(m)
    assert np.array_equal(belief, m.school_belief)
    alignment.carry_needs_back(switched(m))
    assert not np.array_equal(belief, m.school_belief)


def test_m12_off_no_craft_cultivation_and_no_competitions():
    m = tiny_model(**{"craftsman.intensity": 0.7, "craftsman.competitions_per_year": 12})
    assert honour.competition_schools(m).any() and (teaching.month_context(m, slice(0, 1)).craft_intensity == 0.7).all()
    switched(m, "M12")
    assert (
        not honour.competition_schools(m).any() and (teaching.month_context(m, slice(0, 1)).craft_intensity == 0).all()
    )


def test_m13_off_partners_hire_nobody():
    hires = []
    for off in ((), ("M13",)):
        m = tiny_model(**{"mechanisms.off": list(off)})
        while m.t <= 12:  # through the first September graduation after month 0
            m.step()
        hires.append(int(m.students.job_partner[: m.students.n].sum()))
    assert hires[0] > 0 and hires[1] == 0


def test_m14_off_strength_and_training_capacity_stay_no_projects():
    over = {"firm_support.joint_projects": 1.0, "firm_support.resources": 1.0, "behaviour.project_rate": 24.0}
    m = stepped(3, **over, **{"mechanisms.off": ["M14"]})
    s, k = m.firm_strength.copy(), m.training_capacity.copy()
    honour.grow_strength(m)
    assert np.array_equal(s, m.firm_strength) and np.array_equal(k, m.training_capacity)
    assert (m.partnerships.project_left[: m.partnerships.n] == 0).all()
    honour.grow_strength(switched(m))
    assert not np.array_equal(k, m.training_capacity)
    assert (m.partnerships.project_left[: m.partnerships.n] > 0).any()


def test_m15_off_reputation_stays():
    m = stepped(14, **{"mechanisms.off": ["M15"]})
    assert np.all(m.school_reputation == m.params.behaviour.initial_reputation)
    r = m.firm_reputation.copy()
    honour.update_reputation(switched(m))
    assert not np.array_equal(r, m.firm_reputation)


def test_m16_off_no_quits_or_dismissals():
    m = stepped(14)
    rows = m.tracked_window()
    k = int(np.searchsorted(m.students.enrol_month[rows], m.t - PROGRAMME_MONTHS, "right"))
    draws = StudentDraws.draw(np.random.default_rng(0), rows.stop - rows.start, k)
    draws.offer[:] = 0.0  # everyone gets an offer, every draw below any hazard
    draws.dismissal[:] = 0.0
    draws.offer_value[:] = 10.0  # offers far better than any job
    s = teaching.student_slice(m, rows)
    assert (s.status == EMPLOYED).any()
    ctx = teaching.month_context(m, rows)
    sep = labour_market.separations(
        ctx,
        s.status,
        s.hire_month,
        s.firm,
        s.programme,
        s.wage,
        s.job_align,
        s.job_prospects,
        s.job_familiar,
        s.job_quality,
        s.skills,
        s.mobility,
        draws,
    )
    assert sep.quit.any()
    off = dataclasses.replace(ctx, off=frozenset({"M16"}))
    sep = labour_market.separations(
        off,
        s.status,
        s.hire_month,
        s.firm,
        s.programme,
        s.wage,
        s.job_align,
        s.job_prospects,
        s.job_familiar,
        s.job_quality,
        s.skills,
        s.mobility,
        draws,
    )
    assert not sep.quit.any() and not sep.dismissed.any()


def test_m17_off_supervision_moves_nobody():
    over = {"party_building.supervision": True, "behaviour.supervision_rate": 1.0, "firm_support.frontline_share": 0.0}
    m = stepped(7, **over)
    st = m.students
    interning = st.status[: st.n] == INTERNING
    st.frontline[: st.n][interning] = False
    internships.supervise(switched(m, "M17"))
    assert interning.any() and not st.frontline[: st.n][interning].any()
    internships.supervise(switched(m))
    assert st.frontline[: st.n][interning].all()


def test_every_switchable_family_is_tested_here():
    import inspect
    import sys

    names = [n for n, f in inspect.getmembers(sys.modules[__name__], inspect.isfunction) if n.startswith("test_m")]
    assert {n.split("_")[1].upper() for n in names} >= set(mechanism_ids(list(SWITCHABLE)))
