"""M8 exits, M10 brokerage and M15 attraction of partners."""

import numpy as np

from sim.mechanisms import partnerships
from tests.helpers import tiny_model


def test_sustained_low_willingness_ends_partnership():
    m = tiny_model(**{"behaviour.shock_state": 0.0, "behaviour.shock_private": 0.0, "behaviour.shock_foreign": 0.0})
    p = m.partnerships
    act = p.active()
    p.willingness[act[0]] = 0.0
    months = m.params.behaviour.exit_months
    for k in range(months):
        assert p.end[act[0]] < 0, f"ended after {k} months"
        partnerships.exits(m)
    assert p.end[act[0]] >= 0 and p.end[act[1:]].max() < 0


def test_outside_shocks_by_ownership():
    m = tiny_model(**{"behaviour.shock_foreign": 1.0, "behaviour.shock_state": 0.0, "behaviour.shock_private": 0.0})
    p = m.partnerships
    act = p.active()
    partnerships.exits(m)
    foreign = m.firm_ownership[p.firm[act]] == 2
    assert (p.end[act][foreign] >= 0).all() and (p.end[act][~foreign] < 0).all()


def _entries(alliance, reputation, months=3, seed=0):
    m = tiny_model(seed=seed, **{"party_building.alliance": alliance})
    p = m.partnerships
    p.end[p.active()] = 0  # every partnership ended: schools recruit
    m.school_reputation[:] = reputation
    n0 = p.n
    for _ in range(months):
        partnerships.entries(m)
    return p.n - n0


def test_reputation_and_alliance_attract_partners():
    # 40 seeds x 2 schools x 3 months: entry probabilities differ by about half, a clear direction
    def total(alliance, rep):
        return sum(_entries(alliance, rep, seed=s) for s in range(40))

    assert total(False, 0.9) > total(False, 0.1)
    assert total(True, 0.5) > total(False, 0.5)


def test_outside_shock_hazards_are_ordered_by_ownership_and_small():
    """中国教育报 2022-03-01: state-owned partners are the most stable, foreign and joint-venture ones
    churn most.  The baseline's hazards keep that order, and none removes a third of its partners
    a year by shocks alone."""
    from sim import load_scenario

    b = load_scenario("baseline").params.behaviour
    assert b.shock_state < b.shock_private < b.shock_foreign
    assert 1 - (1 - b.shock_foreign) ** 12 < 1 / 3


def test_most_baseline_exits_come_from_the_firms_judgement():
    """In the baseline most partnership exits are the firms' decision (sustained low W), not outside
    shocks (docs/odd.md M8): pooled over 3 seeds of a half-size region, 10 years."""
    from sim import load_scenario
    from sim.model import CooperationModel
    from sim.state import END_REASONS

    reasons = []
    for seed in range(3):
        scn = load_scenario(
            "baseline", {"population.schools": 3, "population.firms": 45, "population.cohort_size": 300}
        )
        m = CooperationModel(scn.params, seed=seed).run()
        p = m.partnerships
        reasons.append(p.reason[: p.n][p.end[: p.n] >= m.warmup])
    r = np.concatenate(reasons)
    assert len(r) > 100
    assert np.mean(r == END_REASONS.index("low_willingness")) > 0.6


def test_starting_trust_has_the_mean_and_spread_asked_for():
    """Known answer: the inverse-CDF draws of 20,000 evenly spaced uniforms have the beta's mean and
    sd (to 1e-3); sd 0 gives every partnership the mean; the same uniform gives the same trust."""
    u = (np.arange(20_000) + 0.5) / 20_000
    t = partnerships.starting_trust(u, 0.05, 0.03)
    assert abs(t.mean() - 0.05) < 1e-3 and abs(t.std() - 0.03) < 1e-3
    assert np.all((t >= 0) & (t <= 1)) and np.all(np.diff(t) >= 0)
    assert np.all(partnerships.starting_trust(u[:5], 0.1, 0.0) == 0.1)
    wide = partnerships.starting_trust(u, 0.1, 0.5)  # more than a beta of mean 0.1 allows: capped
    assert abs(wide.mean() - 0.1) < 2e-3 and wide.std() < np.sqrt(0.1 * 0.9)


def test_new_partnerships_start_with_drawn_trust():
    """Partnerships begun during the run start at initial_trust on average, not at 0 (M15)."""
    m = tiny_model(**{"behaviour.initial_trust": 0.15, "behaviour.initial_trust_sd": 0.05})
    before = m.partnerships.n
    start = {}
    while m.running and len(start) < 10:
        n0 = m.partnerships.n
        m.step()
        for i in range(n0, m.partnerships.n):
            start[i] = m.partnerships.trust[i]  # after one month of M1 talk and decay
    assert len(start) >= 10 and before > 0
    assert 0.08 < np.mean(list(start.values())) < 0.25
