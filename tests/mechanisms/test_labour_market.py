"""M16 and M12: craft, fit and tenure lower separations (same draws, so directions are exact)."""
import numpy as np

from sim.mechanisms import labour_market
from sim.state import CRAFT, EMPLOYED
from tests.helpers import context

N = 20000


def _sep(craft=0.3, fit=0.6, hire_month=9, seed=1):
    rng = np.random.default_rng(seed)
    sk = np.full((N, 5), 0.4)
    sk[:, CRAFT] = craft
    ctx = context()
    return labour_market.separations(ctx, np.full(N, EMPLOYED), np.full(N, hire_month), np.full(N, fit),
                                     np.full(N, 0.1), np.zeros(N, bool), np.zeros(N), sk, np.ones(N),
                                     rng.random(N), rng.standard_normal(N), rng.random(N))


def test_craft_lowers_quits():
    assert _sep(craft=0.8)[0].sum() < _sep(craft=0.2)[0].sum()


def test_poor_fit_raises_quits_and_dismissals():
    q_good, d_good = _sep(fit=0.9)
    q_bad, d_bad = _sep(fit=0.1)
    assert q_bad.sum() > q_good.sum() and d_bad.sum() > d_good.sum()


def test_tenure_lowers_quits_and_ends_dismissals():
    q_new, _ = _sep(hire_month=9)
    q_old, d_old = _sep(hire_month=-30)
    assert q_old.sum() < q_new.sum() and d_old.sum() == 0
