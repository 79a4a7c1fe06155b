"""M6: resistance grows with mismatch; counselling resolves it; support raises engagement."""
import numpy as np

from sim.mechanisms import engagement
from sim.state import INTERNING
from tests.helpers import context


def _upd(ctx, skills=0.6, frontline=False, res=0.3, eng=0.6):
    n = 1
    return engagement.update(ctx, np.full(n, INTERNING), np.zeros(n, int), np.full(n, frontline),
                             np.full((n, 5), skills), np.full(n, eng), np.full(n, res), np.ones(n))


def test_mismatch_raises_resistance_either_way():
    ctx = context(counselling=0.0, task_coordination=0.0)
    _, r_marginal_skilled, _ = _upd(ctx, skills=0.8, frontline=False)
    _, r_frontline_matched, _ = _upd(ctx, skills=0.55, frontline=True)
    _, r_frontline_unskilled, _ = _upd(ctx, skills=0.05, frontline=True)
    assert r_marginal_skilled[0] > r_frontline_matched[0]
    assert r_frontline_unskilled[0] > r_frontline_matched[0]


def test_counselling_resolves_resistance():
    _, low, _ = _upd(context(counselling=0.0))
    _, high, _ = _upd(context(counselling=1.0))
    assert high[0] < low[0]


def test_firm_support_raises_engagement():
    e_low, _, _ = _upd(context(firm_support=np.zeros(3)))
    e_high, _, _ = _upd(context(firm_support=np.ones(3)))
    assert e_high[0] > e_low[0]


def test_unresolved_resistance_means_dropout_only_above_threshold():
    ctx = context()
    n = 2
    u = np.zeros(n)  # a draw that always fires
    _, res, drop = engagement.update(ctx, np.full(n, INTERNING), np.zeros(n, int), np.zeros(n, bool),
                                     np.full((n, 5), 0.6), np.full(n, 0.6), np.array([0.0, 0.95]), u)
    assert list(drop) == [False, True]
