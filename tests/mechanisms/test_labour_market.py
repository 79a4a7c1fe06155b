"""M16 and M12: why graduates quit (pay, prospects, fit, other), asymmetric employer learning of
craft, dismissals of low productivity.  Unit tests share draws between arms, so directions are exact."""

import dataclasses

import numpy as np
import pytest
from scipy import stats

from sim.mechanisms import labour_market
from sim.mechanisms.context import StudentDraws
from sim.params import Behaviour
from sim.state import CRAFT, EMPLOYED, FIT_FIELD, OTHER, PAY, PROSPECTS, QUIT_REASONS
from tests.helpers import context

N = 20000
SKILLS = np.array([0.55, 0.45, 0.4, 0.34, 0.4])


def _ctx(programmes=1, F=6, **b):
    """Identical firms (uniform needs), one field unless asked: offers differ from the current job only
    by their draws, so a test can isolate one channel."""
    return context(F=F, firm_field=np.arange(F) % programmes, programmes=programmes, behaviour=Behaviour(**b))


def _workers(ctx, craft, n=N):
    sk = np.tile(SKILLS, (n, 1))
    sk[:, CRAFT] = craft
    b = ctx.behaviour
    f = np.zeros(n, np.int64)
    level = labour_market.skill_level(b, sk, ctx.firm_needs[f])
    wage = np.exp(labour_market.log_pay(b, level, np.ones(n, bool)))  # paid on the true skills
    align = labour_market.cosine(sk, ctx.firm_needs[f])
    return sk, f, wage, align


def _sep(ctx, sk, f, wage, align, draws, hire_month=9, prospects=0.1, quality=0.0, familiar=False):
    n = len(sk)
    return labour_market.separations(
        ctx,
        np.full(n, EMPLOYED),
        np.full(n, hire_month),
        f,
        np.zeros(n, np.int64),
        wage,
        align,
        np.full(n, prospects),
        np.full(n, familiar),
        np.full(n, quality),
        sk,
        np.ones(n),
        draws,
    )


def _draws(n=N, seed=1, **fixed):
    d = StudentDraws.draw(np.random.default_rng(seed), n)
    return dataclasses.replace(d, **{k: np.full(n, v) for k, v in fixed.items()})


# --- asymmetric employer learning (Greenwald 1986; Gibbons & Katz 1991; Schönberg 2007) ---------------
def test_known_answer_more_craft_means_higher_pay_and_fewer_quits_for_the_same_offers():
    """Two workers identical in what credentials show, one with more craft: the employer, who sees
    craft, pays the craftsman more; outsiders, who see only part of it, offer both nearly the same,
    so on the same offer draws the craftsman quits less - and never where the other stays."""
    ctx = _ctx(craft_value=0.0)
    hi, lo = _workers(ctx, 0.7), _workers(ctx, 0.3)
    assert np.all(hi[2] > lo[2])  # current wage
    d = _draws()
    q_hi, q_lo = _sep(ctx, *hi, d).quit, _sep(ctx, *lo, d).quit
    assert q_hi.sum() < q_lo.sum() and not np.any(q_hi & ~q_lo)


def test_without_asymmetry_craft_holds_no_one():
    """Outsiders who see all of craft (craft_visibility = 1) offer the craftsman what his employer pays:
    with no commitment term, craft changes no quit."""
    ctx = _ctx(craft_value=0.0, craft_visibility=1.0)
    d = _draws()
    q_hi, q_lo = _sep(ctx, *_workers(ctx, 0.7), d).quit, _sep(ctx, *_workers(ctx, 0.3), d).quit
    assert np.array_equal(q_hi, q_lo) and q_hi.any()


def test_commitment_term_holds_craftsmen_on_its_own():
    """With pay symmetric (visibility 1) only the commitment term (craft_value) lets craft lower quits."""
    ctx = _ctx(craft_value=0.3, craft_visibility=1.0)
    d = _draws()
    q_hi, q_lo = _sep(ctx, *_workers(ctx, 0.7), d).quit, _sep(ctx, *_workers(ctx, 0.3), d).quit
    assert q_hi.sum() < q_lo.sum() and not np.any(q_hi & ~q_lo)


def test_the_wage_column_is_read():
    """Pay in the current job (the stored wage) holds graduates: a 20% higher wage, fewer quits."""
    ctx = _ctx()
    sk, f, wage, align = _workers(ctx, 0.34)
    d = _draws()
    assert _sep(ctx, sk, f, wage * 1.2, align, d).quit.sum() < _sep(ctx, sk, f, wage, align, d).quit.sum()


def test_pay_known_answers():
    b = Behaviour()
    lv = np.array([b.pay_reference_level])
    assert np.allclose(np.exp(labour_market.log_pay(b, lv, np.array([True]))), b.graduate_start_wage)
    assert np.allclose(
        labour_market.log_pay(b, lv, np.array([False])), np.log(b.graduate_start_wage) - b.out_of_field_pay
    )
    assert np.allclose(
        labour_market.log_pay(b, 2 * lv, np.array([True])) - labour_market.log_pay(b, lv, np.array([True])),
        b.pay_elasticity * np.log(2.0),
    )
    # the four offer spreads split offer_sd's variance
    assert np.isclose(sum(s**2 for s in labour_market.offer_spreads(b)), b.offer_sd**2)


# --- why they quit ------------------------------------------------------------------------------------
@pytest.mark.parametrize("draw,reason", [("offer_pay", PAY), ("offer_prospects", PROSPECTS), ("offer_value", OTHER)])
def test_the_reason_is_the_largest_advantage(draw, reason):
    ctx = _ctx()
    zero = {k: 0.0 for k in ("offer_pay", "offer_prospects", "offer_value", "offer_fit")}
    d = _draws(n=50, **{**zero, draw: 6.0, "offer": 0.0})
    sep = _sep(ctx, *_workers(ctx, 0.34, n=50), d)
    assert sep.quit.all() and np.all(sep.reason == reason)


def test_taste_for_another_field_is_a_fit_reason_and_only_for_a_field_change():
    """The occupation-taste draw counts only for offers in another field than the current job's."""
    ctx = _ctx(programmes=2)
    zero = {k: 0.0 for k in ("offer_pay", "offer_prospects", "offer_value")}
    workers = _workers(ctx, 0.34, n=50)
    other = _sep(ctx, *workers, _draws(n=50, offer=0.0, offer_fit=8.0, offer_post=0.99, **zero))  # out of field
    same = _sep(ctx, *workers, _draws(n=50, offer=0.0, offer_fit=8.0, offer_post=0.01, **zero))  # in field
    assert other.quit.all() and np.all(other.reason == FIT_FIELD) and not same.quit.any()
    assert len(QUIT_REASONS) == 4


def test_offers_in_field_at_their_share_and_at_firms_of_that_field():
    P, F = 4, 40
    ctx = context(F=F, firm_field=np.arange(F) % P, programmes=P, behaviour=Behaviour(offer_in_field_share=0.3))
    prog = np.random.default_rng(0).integers(0, P, N)
    firms, in_field = labour_market.offer_posts(ctx, prog, np.random.default_rng(1).random(N))
    assert abs(in_field.mean() - 0.3) < 0.02
    assert np.array_equal(ctx.firm_field[firms] == prog, in_field)
    assert len(np.unique(firms)) == F  # every firm can make an offer
    other = ctx.firm_field[firms][~in_field]  # other fields alike
    counts = np.bincount((other - prog[~in_field]) % P, minlength=P)[1:]
    assert counts.min() > 0.9 * counts.max()


# --- tenure, dismissals, job shopping ---------------------------------------------------------------
def test_tenure_lowers_quits_and_ends_dismissals():
    ctx = _ctx()
    w = _workers(ctx, 0.34)
    d = _draws()
    new, old = _sep(ctx, *w, d, hire_month=9), _sep(ctx, *w, d, hire_month=-30)
    assert old.quit.sum() < new.quit.sum() and old.dismissed.sum() == 0 and new.dismissed.sum() > 0


def test_dismissals_fall_on_productivity_short_of_a_fully_productive_worker():
    ctx = _ctx(offer_rate=0.0, dismissal_rate=0.5)
    d = _draws()
    sk, f, wage, align = _workers(ctx, 0.34)
    weak = _sep(ctx, sk * 0.8, f, wage, align, d).dismissed.mean()
    mid = _sep(ctx, sk, f, wage, align, d).dismissed.mean()
    strong = _sep(ctx, sk * 2.0, f, wage, align, d).dismissed.mean()  # level above productive_ability
    assert weak > mid > strong == 0.0


def test_only_the_known_share_of_an_accepted_offer_stays_with_the_new_job():
    """Pay is contractual; of the offer's prospects, taste and amenity draws only the share
    offer_match_known proves real in the new job (1: pure job shopping; 0: an experience good)."""
    results = {}
    for share in (1.0, 0.5, 0.0):
        ctx = _ctx(offer_match_known=share)
        d = _draws()
        results[share] = _sep(ctx, *_workers(ctx, 0.34), d)
    q = results[1.0].quit
    assert q.any() and all(np.array_equal(r.quit, q) for r in results.values())
    assert np.allclose(results[0.5].offer_quality, 0.5 * results[1.0].offer_quality)
    assert np.all(results[0.0].offer_quality == 0.0) and np.all(results[0.0].offer_prospects == 0.0)
    assert np.array_equal(results[0.0].offer_premium, results[1.0].offer_premium)


def test_movers_move_again_when_offers_are_partly_experience_goods():
    """Whole model, 6 paired seeds: a lower known share raises the number of employers in three
    years in every seed (a mean rise of about 0.35 employers, ten standard errors), while first
    jobs barely move (they carry no offer draws; early turnover moves only through shared streams)."""
    from sim import metrics
    from tests.helpers import tiny_model

    def run(share, seed):
        m = tiny_model(seed=seed, **{"behaviour.offer_match_known": share, "run.years": 5}).run()
        return metrics.compute(m)

    rise, churn = [], []
    for seed in range(6):
        known, experience = run(1.0, seed), run(0.3, seed)
        rise.append(experience["employers_3y"] - known["employers_3y"])
        churn.append(experience["early_turnover_6m"] - known["early_turnover_6m"])
    assert min(rise) > 0 and np.mean(rise) > 0.15
    assert abs(np.mean(churn)) < 0.05


# --- the craftsman effect does not rest on the commitment term (docs/odd.md M12) -----------------------
SMALL = {
    "population.schools": 3,
    "population.cohort_size": 200,
    "population.firms": 45,
    "population.partners_per_school": 10,
    "run.years": 2,
    "run.warmup_months": 24,
}


def _turnover(name, seeds, **over):
    from sim import load_scenario, metrics
    from sim.model import CooperationModel

    p = load_scenario(name, {**SMALL, **over}).params
    return np.array([metrics.compute(CooperationModel(p, seed=s).run())["early_turnover_6m"] for s in seeds])


@pytest.mark.slow  # paired runs over 12 seeds
def test_craftsman_lowers_early_turnover_without_the_commitment_term():
    """Paired over 12 seeds (common random numbers, same seeds in both arms; a small population, which
    keeps the direction clear): with craft_value = 0 in both arms, craftsman cultivation still lowers
    early turnover, significantly (p < 0.01), by at least half its effect at the default."""
    seeds = range(12)
    base, craft = _turnover("baseline", seeds), _turnover("craftsman", seeds)
    base0 = _turnover("baseline", seeds, **{"behaviour.craft_value": 0.0})
    craft0 = _turnover("craftsman", seeds, **{"behaviour.craft_value": 0.0})
    default, without = craft - base, craft0 - base0
    assert default.mean() < 0 and stats.ttest_rel(craft, base).pvalue < 0.01
    assert without.mean() < 0 and stats.ttest_rel(craft0, base0).pvalue < 0.01
    assert without.mean() <= 0.5 * default.mean()


@pytest.mark.xfail(
    strict=True,
    reason="the calibrated baseline (docs/calibration.md, Fit) has matched employment "
    "rise from six months to three years (about 0.64 to 0.68): a check of weight 0 that nothing fitted "
    "constrains (tests/test_targets.py AWAITING_RECALIBRATION)",
)
def test_job_changers_leave_their_field_so_matched_employment_falls_with_time():
    """MyCOS: matched employment is 4-5 points lower at three years than at six months.  Offers and
    later searches are in the graduate's field less often than first jobs, and dismissals do not
    sort graduates back into their field: matched_employment_3y is below matched_employment on
    every one of 8 seeds (a small population; at the time of writing 3-6 points below)."""
    from sim import load_scenario, metrics
    from sim.model import CooperationModel

    p = load_scenario("baseline", {**SMALL, "run.years": 4}).params
    runs = [metrics.compute(CooperationModel(p, seed=s).run()) for s in range(8)]
    d = np.array([r["matched_employment_3y"] - r["matched_employment"] for r in runs])
    assert np.all(d < 0) and stats.ttest_1samp(d, 0.0).pvalue < 0.01
    # and most early leavers leave of their own accord (MyCOS: about 88%)
    assert 0.8 < np.mean([r["voluntary_quit_share"] for r in runs]) < 0.95


def test_spells_say_why_each_quit_happened():
    """spells.parquet carries the reason of every quit (the dimension its accepted offer gained most
    on) and none for other ends (a small run: 2 schools, 4 years)."""
    from sim.model import CooperationModel
    from sim.params import Params
    from sim.runner import spells

    p = Params()
    p.population.schools, p.population.firms, p.population.cohort_size = 2, 20, 150
    p.population.partners_per_school = 8
    p.run.years = 4
    m = CooperationModel(p, seed=3)
    m.run_model()
    sp = spells(m, "t", 0)
    jobs = sp[sp["kind"].str.startswith("job")]
    quits = jobs["reason"] == "quit"
    assert quits.sum() > 50
    assert set(jobs.loc[quits, "quit_reason"]) <= set(QUIT_REASONS) and len(set(jobs.loc[quits, "quit_reason"])) > 1
    assert (jobs.loc[~quits, "quit_reason"] == "").all()
    assert (sp.loc[sp["kind"] == "partnership", "quit_reason"] == "").all()


def test_the_market_benchmarks_follow_the_region_by_its_share():
    """Known answer (docs/odd.md M16, region_market_share): at share 0 the market's belief about
    craft, the competition field and the dismissal bar stay at the behaviour's values; at share 1
    they are the graduating cohort's own (its mean craft, mean innovation and craft, and the bar
    scaled by its needs-weighted skill over market_skill_level)."""
    from sim.mechanisms.labour_market import notice_graduates
    from sim.state import CRAFT, INNOVATION
    from tests.helpers import tiny_model

    for share in (0.0, 1.0):
        m = tiny_model(**{"population.region_market_share": share})
        b = m.params.behaviour
        grads = np.arange(40)
        m.students.skills[grads] = np.random.default_rng(1).uniform(0.2, 0.8, (40, m.students.skills.shape[1]))
        notice_graduates(m, grads)
        x = m.students.skills[grads]
        if share == 0.0:
            assert (m.market_craft_belief, m.competition_field, m.dismissal_ability) == (
                b.market_craft_belief,
                b.competition_field,
                b.productive_ability,
            )
        else:
            assert np.isclose(m.market_craft_belief, x[:, CRAFT].mean())
            assert np.isclose(m.competition_field, x[:, [INNOVATION, CRAFT]].mean())
            level = (x @ m.firm_needs.mean(axis=0)).mean()
            assert np.isclose(m.dismissal_ability, b.productive_ability * level / b.market_skill_level)


@pytest.mark.slow
def test_a_region_that_is_more_of_its_market_gains_less_from_craftsman():
    """Paired on common random numbers (4 seeds, the default region, 5 reported years): where the
    region supplies half its market (region_market_share 0.5) instead of a twentieth, the market
    partly notices the region's craft and the competition field rises with it, so craftsman's cut
    in early turnover and its reputation gain are smaller in every seed (measured: turnover
    -15 vs -9 points, reputation +0.22 vs +0.09; the per-seed spread is under a point)."""
    from sim import load_scenario, metrics
    from sim.model import CooperationModel

    def effect(share: float, seed: int) -> tuple[float, float]:
        out = {}
        for name in ("baseline", "craftsman"):
            p = load_scenario(name, {"population.region_market_share": share, "run.years": 5}).params
            out[name] = metrics.compute(CooperationModel(p, seed=seed).run())
        return (
            out["craftsman"]["early_turnover_6m"] - out["baseline"]["early_turnover_6m"],
            out["craftsman"]["reputation"] - out["baseline"]["reputation"],
        )

    for seed in range(4):
        (turn_small, rep_small), (turn_large, rep_large) = effect(0.05, seed), effect(0.5, seed)
        assert turn_small < turn_large < 0, (seed, turn_small, turn_large)
        assert rep_small > rep_large > 0, (seed, rep_small, rep_large)
