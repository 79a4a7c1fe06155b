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


def test_only_the_known_share_of_an_accepted_offer_stays_with_the_new_job():
    """Job shopping (offer_match_known = 1) keeps the whole apparent match value, so a mover is
    harder to move again; an experience good (0) keeps none of it, so the new job holds a mover
    no better than a fresh post."""
    from sim.params import Behaviour

    z = np.linspace(-1.0, 3.0, 9)
    known = labour_market.accepted_quality(context(), z)
    assert np.allclose(known, Behaviour().offer_sd * z)
    assert np.all(labour_market.accepted_quality(context(behaviour=Behaviour(offer_match_known=0.0)), z) == 0.0)
    half = labour_market.accepted_quality(context(behaviour=Behaviour(offer_match_known=0.5)), z)
    assert np.allclose(half, 0.5 * known)


def test_movers_move_again_when_offers_are_partly_experience_goods():
    """Whole model: a lower known share leaves first jobs alone (early turnover moves only through
    the shared labour stream) and raises the number of employers in three years."""
    from sim import metrics
    from tests.helpers import tiny_model

    def run(share):
        m = tiny_model(seed=3, **{"behaviour.offer_match_known": share, "run.years": 5}).run()
        return metrics.compute(m)

    known, experience = run(1.0), run(0.3)
    assert experience["employers_3y"] > known["employers_3y"] + 0.3
    assert abs(experience["early_turnover_6m"] - known["early_turnover_6m"]) < 0.05
