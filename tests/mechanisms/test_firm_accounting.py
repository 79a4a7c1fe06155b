"""M8: intern economics per intern-month (value below a regular worker's, allowance as interns are
paid, break-even around month 4), the investment motive (hiring costs saved by keeping trainees,
lost when they leave early), firms' changing need for interns, and W following the total."""

import dataclasses
from pathlib import Path

import numpy as np

from sim.mechanisms import firm_accounting
from sim.params import Behaviour, FirmSupport
from sim.state import CRAFT, INTERNING
from tests.helpers import tiny_model


def _with_interns(seed=1, k=50, **over):
    m = tiny_model(seed=seed, **over)
    while not (m.students.status[: m.students.n] == INTERNING).sum() >= k:
        m.step()
    st = m.students
    return m, np.flatnonzero(st.status[: st.n] == INTERNING)[:k]


def _intern_month_net(m, rows, months_in):
    m.students.intern_start[rows] = m.t - months_in
    return firm_accounting.intern_net_benefit(m, rows, m.mentor_q).mean()


def test_internship_breaks_even_around_month_four():
    m, rows = _with_interns(**{"behaviour.intern_value_sd": 0.0})
    nets = [_intern_month_net(m, rows, k) for k in range(8)]
    assert nets[0] < 0 and nets[1] < 0  # training and ramp-up
    assert nets[5] > 0 and nets[7] > 0  # productive interns pay
    first_positive = next(k for k, v in enumerate(nets) if v > 0)
    assert 2 <= first_positive <= 4  # the 3rd to 5th month


def test_allowance_default_is_observed_pay_below_the_legal_floor():
    """The default is what 专科 interns are paid (docs/odd.md M8), inside its plausible range and
    below the legal floor read plainly — 职业学校学生实习管理规定 (2021) §17: 80% of the post's wage —
    which the example scenario legal_floor_allowance sets."""
    from sim import load_scenario

    floor = 0.8 * Behaviour().graduate_start_wage
    meta = {f.name: f.metadata for f in dataclasses.fields(FirmSupport)}["intern_allowance"]
    low, high = meta["plausible"]
    assert low <= FirmSupport().intern_allowance < floor <= high + 0.05
    assert load_scenario("baseline").params.firm_support.intern_allowance == FirmSupport().intern_allowance
    path = Path(__file__).resolve().parents[2] / "scenarios/examples/legal_floor_allowance.toml"
    assert abs(load_scenario(str(path)).params.firm_support.intern_allowance - floor) < 0.05


def test_intern_value_stays_below_a_regular_worker_and_above_the_allowance():
    """Even a perfect intern (front-line, in field, able, mentored, at full ramp, an average firm) is
    worth less than a regular worker in the post; the interns of a baseline run, at full ramp, are
    worth more than their allowance and less than a regular worker on average (the monthly means of 3
    years of 2 seeds of a half-size region): internships break even within months (冉云芳 & 石伟平
    2020), and an intern is not a worker (docs/odd.md, M8)."""
    m, rows = _with_interns(**{"behaviour.intern_value_sd": 0.0})
    st = m.students
    st.frontline[rows] = True
    st.skills[rows] = 0.95
    st.programme[rows] = m.firm_field[st.intern_firm[rows]]
    st.intern_start[rows] = m.t - 12
    v = firm_accounting.intern_value(m, rows, np.ones(m.n_firms))
    assert np.all(v < firm_accounting.regular_worker_value(m))
    b = m.params.behaviour
    samples = []
    for seed in (0, 1):
        m = tiny_model(
            seed=seed,
            **{
                "run.years": 3,
                "population.schools": 3,
                "population.firms": 45,
                "population.partners_per_school": 15,
                "population.cohort_size": 300,
                "population.programmes": 4,
            },
        )
        while m.running:
            m.step()
            rows = np.flatnonzero(m.students.status[: m.students.n] == INTERNING)
            full = rows[m.t - m.students.intern_start[rows] >= b.ramp_months]
            if len(full):
                samples.append(firm_accounting.intern_value(m, full, m.mentor_q).mean())
    allowance = m.params.firm_support.intern_allowance
    assert len(samples) >= 12 and allowance < np.mean(samples) < firm_accounting.regular_worker_value(m)


def test_marginal_work_is_worth_the_same_whatever_the_skill_front_line_work_is_not():
    m, rows = _with_interns(**{"behaviour.intern_value_sd": 0.0})
    st = m.students
    q = np.ones(m.n_firms)
    st.intern_start[rows] = m.t - 12

    def value(level, frontline):
        st.frontline[rows] = frontline
        st.skills[rows] = level
        st.skills[rows, CRAFT] = 0.3
        return firm_accounting.intern_value(m, rows, q)

    assert np.allclose(value(0.1, False), value(0.9, False))
    assert np.all(value(0.1, True) < value(0.9, True))
    assert np.all(value(0.1, True) < value(0.1, False))  # an unskilled intern is worth more on routine work


def test_intern_value_saturates_at_the_ability_of_a_fully_productive_intern():
    """behaviour.productive_ability is the ability at which a front-line intern is fully productive:
    more skill does not make it worth more."""
    m, rows = _with_interns()
    st = m.students
    st.frontline[rows] = True
    q = np.ones(m.n_firms)

    def net(level):
        st.skills[rows] = level  # craft too: it only makes up for missing skill
        return firm_accounting.intern_net_benefit(m, rows, q)

    below, at, above = net(0.2), net(m.ability_reference), net(0.95)
    assert np.all(below < at)
    assert np.allclose(at, above)


def test_intern_value_differs_between_firms_with_a_mean_of_one():
    """冉云芳 & 石伟平 (2020): break-even and pay-back differ hugely between industries.  A firm's
    factor on intern_value is log-normal with mean one (right-skewed: a few firms gain much, many
    a little or nothing); at spread 0 every factor is 1; its stream leaves all other draws alone."""
    same = tiny_model(seed=2, **{"population.firms": 4000, "behaviour.intern_value_sd": 0.0})
    spread = tiny_model(seed=2, **{"population.firms": 4000, "behaviour.intern_value_sd": 0.5})
    assert np.all(same.firm_intern_value == 1.0)
    v = spread.firm_intern_value
    assert abs(v.mean() - 1.0) < 0.05 and np.median(v) < v.mean() and v.std() > 0.4
    assert np.array_equal(same.firm_motive, spread.firm_motive)
    assert np.array_equal(same.firm_needs, spread.firm_needs)


def test_firms_need_for_interns_moves_but_keeps_its_spread():
    """The factor drifts (AR(1) in logs, correlation time intern_value_persistence) and keeps its
    mean-one log-normal spread across 4,000 firms; a year on, the correlation is about e^-1 at a
    persistence of 12 months, and the factors of a year earlier are no longer the same."""
    m = tiny_model(
        seed=4,
        **{"population.firms": 4000, "behaviour.intern_value_sd": 0.5, "behaviour.intern_value_persistence": 12.0},
    )
    x0 = np.log(m.firm_intern_value).copy()
    for _ in range(12):
        firm_accounting.drift_intern_value(m)
    x1 = np.log(m.firm_intern_value)
    assert abs(m.firm_intern_value.mean() - 1.0) < 0.05 and abs(x1.std() - 0.5) < 0.03
    assert abs(np.corrcoef(x0, x1)[0, 1] - np.exp(-1.0)) < 0.05


def _hire(m, rows, firm, own=True, months_ago=1):
    st = m.students
    st.first_partner[rows] = True
    st.first_employer[rows] = firm
    st.first_hire[rows] = m.t - months_ago
    st.intern_firm[rows] = firm if own else -1
    st.intern_done[rows] = 1 if own else -1


def test_hiring_own_trainees_saves_hiring_costs_and_early_leavers_forfeit_them():
    m = tiny_model(seed=5)
    for _ in range(3):
        m.step()
    b, st = m.params.behaviour, m.students
    st.first_partner[: st.n] = False
    rows = np.arange(6)
    _hire(m, rows[:3], firm=2, own=True)
    _hire(m, rows[3:], firm=2, own=False)
    _, firm, value = firm_accounting.investment_value(m)
    saved = b.hire_value * b.graduate_start_wage
    assert np.allclose(np.sort(value), np.sort([saved] * 3 + [saved * b.search_cost_share] * 3))
    assert (firm == 2).all()
    # a month later nothing new is booked; an own trainee who leaves after 3 months forfeits 1 - 3/12
    st.first_hire[rows] = m.t - 4
    st.first_end[rows[0]] = m.t - 1
    _, _, value = firm_accounting.investment_value(m)
    assert np.allclose(value, [-saved * (1 - 3 / b.hire_payback_months)])


def test_keeping_trainees_keeps_a_loss_making_partnership():
    """The same partnership, losing on its interns, with its own trainees hired: W ends higher where
    the hires stay than where they all leave in their first month (a firm may rationally keep a
    partnership that costs money during internships)."""

    def run(leave):
        m = tiny_model(seed=6, **{"firm_support.intern_allowance": 6.0})
        for _ in range(2):
            m.step()
        p, st = m.partnerships, m.students
        pid = p.active()[0]
        s, f = p.school[pid], p.firm[pid]
        st.first_partner[: st.n] = False
        rows = np.flatnonzero(st.school[: st.n] == s)[:10]
        for _ in range(12):
            _hire(m, rows, firm=f, own=True, months_ago=1)
            st.first_end[rows] = m.t - 1 if leave else -1
            firm_accounting.account(m, m.mentor_q)
            m.t += 1
        return p.willingness[pid], p.net_smoothed[pid]

    w_stay, nb_stay = run(False)
    w_leave, nb_leave = run(True)
    assert nb_stay > nb_leave and w_stay > w_leave


def _willingness_after(m, months=24):
    for _ in range(months):
        firm_accounting.account(m, np.ones(m.n_firms))
    return m.partnerships.willingness[m.partnerships.active()].mean()


def test_willingness_follows_trust_and_alliance():
    low = tiny_model()
    high = tiny_model()
    high.partnerships.trust[:] = 0.9
    assert _willingness_after(high) > _willingness_after(low)
    no_all = tiny_model()
    with_all = tiny_model(**{"party_building.alliance": True})
    with_all.firm_party_org[:] = True
    no_all.firm_party_org[:] = True
    assert _willingness_after(with_all) > _willingness_after(no_all)


def test_costs_lower_willingness():
    cheap = tiny_model()
    dear = tiny_model(**{"behaviour.resource_cost": 400.0, "firm_support.resources": 1.0})
    assert _willingness_after(dear) < _willingness_after(cheap)


def test_school_net_benefit_is_negative_with_much_staff_effort_and_few_placements():
    """The school's side of 互利 (docs/odd.md M8): full task coordination and counselling, monthly
    substantive meetings and an online platform cost staff time; where partners hire few graduates
    (hiring demand a tenth of the default) and give no resources, the school loses (2 seeds)."""
    from sim import metrics

    over = {
        "school_cooperation.task_coordination": 1.0,
        "school_cooperation.counselling": 1.0,
        "communication.meetings_per_year": 12,
        "communication.depth": 1.0,
        "communication.online_platform": True,
        "firm_support.resources": 0.0,
        "behaviour.hiring_demand": 0.035,
        "run.years": 4,
    }
    for seed in (0, 1):
        m = tiny_model(seed=seed, **over).run()
        assert metrics.compute(m)["school_net_benefit"] < 0
    m = tiny_model(seed=0, **{"run.years": 4}).run()
    assert metrics.compute(m)["school_net_benefit"] > 0
