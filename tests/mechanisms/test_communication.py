"""M1: depth 0 teaches the school nothing; substantive talk moves belief and builds trust (known answers)."""

import numpy as np

from sim.mechanisms import communication
from tests.helpers import tiny_model


def _one_month(depth: float, meetings: int = 24):
    m = tiny_model(**{"communication.depth": depth, "communication.meetings_per_year": meetings})
    before = m.school_belief.copy()
    trust0 = m.partnerships.trust[m.partnerships.active()].copy()
    m.is_september  # noqa: B018 (property only)
    communication.communicate(m)
    return m, before, trust0


def test_formal_talk_teaches_nothing():
    m, before, _ = _one_month(0.0)
    np.testing.assert_array_equal(m.school_belief, before)


def test_substantive_talk_moves_belief_toward_needs_and_builds_trust():
    m, before, trust0 = _one_month(1.0)
    from sim.mechanisms.alignment import partner_needs

    target = partner_needs(m)
    gap_before = np.abs(before - target).sum()
    gap_after = np.abs(m.school_belief - target).sum()
    assert gap_after < gap_before
    act = m.partnerships.active()
    assert m.partnerships.trust[act].mean() > trust0.mean() * (1 - m.params.behaviour.trust_decay)


def test_trust_grows_with_depth_more_than_frequency():
    deep, _, _ = _one_month(0.8, meetings=4)
    formal, _, _ = _one_month(0.2, meetings=16)  # four times the meetings at a quarter of the depth
    a, b = deep.partnerships.active(), formal.partnerships.active()
    assert deep.partnerships.trust[a].mean() > formal.partnerships.trust[b].mean()


def test_communication_costs_staff_time():
    m, _, _ = _one_month(0.5, meetings=12)
    assert m.comm_hours.sum() > 0
    m0, _, _ = _one_month(0.5, meetings=0)
    assert m0.comm_hours.sum() == 0


def test_poisson_from_uniform_has_the_poisson_distribution():
    """Known answer: on an even grid of uniforms the counts' frequencies are Poisson(λ) probabilities."""
    from math import exp, factorial

    from sim.mechanisms.communication import poisson_from_uniform

    n = 200_000
    u = (np.arange(n) + 0.5) / n
    for lam in (0.1, 0.5, 2.0, 10.0):
        counts = np.bincount(poisson_from_uniform(u, lam))
        for k in range(min(len(counts), 15)):
            assert abs(counts[k] / n - exp(-lam) * lam**k / factorial(k)) < 2e-5, (lam, k)
    assert (poisson_from_uniform(u, 0.0) == 0).all()
    # the same uniform never gives fewer events at a higher rate (common random numbers)
    assert (poisson_from_uniform(u, 2.0) >= poisson_from_uniform(u, 1.0)).all()


def test_poisson_from_uniform_with_a_rate_per_uniform_gives_each_rates_counts():
    """Per-partnership rates (each school its own meetings, docs/odd.md §11): the count of each uniform is
    exactly the one its own rate gives alone, zero rates and the far tail included."""
    from sim.mechanisms.communication import poisson_from_uniform

    rng = np.random.default_rng(0)
    u = np.concatenate([rng.random(5000), [1 - 1e-16, 0.0, 0.999999]])
    lam = rng.choice([0.0, 1 / 12, 0.5, 2.0, 24 / 12], size=len(u))
    mixed = poisson_from_uniform(u, lam)
    alone = np.array([poisson_from_uniform(u[i : i + 1], lam[i])[0] for i in range(len(u))])
    assert np.array_equal(mixed, alone) and mixed.max() > 4
    assert np.array_equal(poisson_from_uniform(u, np.full(len(u), 0.5)), poisson_from_uniform(u, 0.5))
