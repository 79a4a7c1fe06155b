"""M8: break-even around the 4th internship month; W follows net benefit, trust and the alliance."""
import numpy as np

from sim.mechanisms import firm_accounting
from sim.state import INTERNING
from tests.helpers import tiny_model


def _intern_month_net(m, months_in):
    st = m.students
    rows = np.flatnonzero(st.status[: st.n] == INTERNING)[:50]
    st.intern_start[rows] = m.t - months_in
    return firm_accounting.intern_net_benefit(m, rows, np.ones(m.n_firms)).mean()


def test_internship_breaks_even_around_month_four():
    m = tiny_model(seed=1)
    while not (m.students.status[: m.students.n] == INTERNING).sum() >= 50:
        m.step()
    nets = [_intern_month_net(m, k) for k in range(8)]
    assert nets[0] < 0 and nets[1] < 0          # training and ramp-up
    assert nets[5] > 0 and nets[7] > 0          # productive interns pay
    first_positive = next(k for k, v in enumerate(nets) if v > 0)
    assert 2 <= first_positive <= 4             # the 3rd to 5th month


def _willingness_after(m, months=24):
    for _ in range(months):
        firm_accounting.account(m, np.ones(m.n_firms), np.zeros(m.partnerships.n))
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


def test_intern_value_saturates_at_the_ability_of_a_fully_productive_intern():
    """behaviour.productive_ability is the ability at which an intern is fully productive: more
    skill does not make an intern worth more than intern_value (times post, mentoring, craft)."""
    from sim.state import CRAFT

    m = tiny_model(seed=1)
    while not (m.students.status[: m.students.n] == INTERNING).sum() >= 50:
        m.step()
    st = m.students
    rows = np.flatnonzero(st.status[: st.n] == INTERNING)[:50]
    q = np.ones(m.n_firms)

    def net(level):
        st.skills[rows] = level
        st.skills[rows, CRAFT] = 0.5           # craft has its own, separate term
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
