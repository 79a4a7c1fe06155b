"""The calibrated baseline against the published figures (docs/odd.md §1, magnitudes; §6).

``sesim run baseline --seeds 30`` lands inside every interval of
``scenarios/targets/china_gaozhi.toml`` (docs/calibration.md shows that check).  This test runs
fewer replicates, the default population and seeds 0..N-1 (the same seeds ``sesim run`` uses,
fixed in advance), so it cannot ask for the mean itself to be inside: with N replicates the
mean wanders about the model's true mean by its standard error.  Its statistical basis: for
each target (checks of weight 0 included; for a one-sided target the interval runs from the
bound to the metric's limit), the hypothesis "the model's mean lies inside the published interval" is rejected
when the interval lies wholly outside the mean's two-sided (1 - ALPHA) t-interval; ALPHA =
0.001 per target (Bonferroni: at most 1.6% over the sixteen) makes a false alarm rare, while a
baseline that has drifted out of a target by a few standard errors fails.  Separately, every
mean must stay within the interval widened by MARGIN of its width, which no calibrated
baseline needs and a drift of the size that calibration fixes (e.g. employers_3y 2.0 where
2.4-2.6 is published) breaks.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from analysis.calibration import Target, load_targets
from sim.runner import run_replicates
from sim.scenario import load_scenario

pytestmark = pytest.mark.slow  # the calibrated baseline on 30 seeds

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ROOT / "scenarios" / "targets" / "china_gaozhi.toml"
N = 10
ALPHA = 0.001
MARGIN = 0.5


@lru_cache(maxsize=1)
def baseline_runs():
    return run_replicates(load_scenario("baseline"), seeds=N, seed=0, workers=2).summary


# Targets the calibrated baseline misses (measured on
# seeds 0-9; docs/calibration.md, Targets): strict, so that the recalibrated baseline, once it meets
# them, makes these cases fail until they are taken off the list.
AWAITING_RECALIBRATION = {
    "matched_employment_3y": "a check of weight 0, not fitted: the calibrated baseline's matched employment rises from "
    "six months (about 0.64) to three years (0.68) where MyCOS finds a fall of 4 points; "
    "nothing fitted constrains the field of later jobs (offer_in_field_share)",
    "internship_out_of_field": "a check of weight 0 describing another population (mostly self-found placements); "
    "the calibrated baseline's school-arranged placements are out of field in about 0.39",
}


def _cases():
    for t in load_targets(TARGETS):
        marks = (
            [pytest.mark.xfail(strict=True, reason=AWAITING_RECALIBRATION[t.name])]
            if t.name in AWAITING_RECALIBRATION
            else []
        )
        yield pytest.param(t, id=t.name, marks=marks)


@pytest.mark.parametrize("target", list(_cases()))
def test_baseline_is_consistent_with_the_published_figure(target: Target):
    x = baseline_runs()[target.metric].dropna().to_numpy(float)
    assert len(x) == N, f"{target.metric}: undefined in some replicates"
    m, se = float(x.mean()), float(x.std(ddof=1) / np.sqrt(len(x)))
    h = float(stats.t.ppf(1 - ALPHA / 2, len(x) - 1)) * se
    assert m + h >= target.low and m - h <= target.high, (
        f"{target.metric}: mean {m:.3f} (±{h:.3f}, {1 - ALPHA:.1%} t-interval, n = {len(x)}) excludes the published "
        f"interval [{target.low}, {target.high}] ({target.source})"
    )
    width = target.high - target.low
    assert target.low - MARGIN * width <= m <= target.high + MARGIN * width, (
        f"{target.metric}: mean {m:.3f} is far outside the published interval [{target.low}, {target.high}]"
    )


# --- the metrics that new targets compare with: known answers on hand-built state (docs/odd.md, Targets)
def test_correlation_has_known_answers():
    from sim.metrics import correlation

    x = np.array([12.0, 24.0, 36.0, 48.0])
    assert correlation(x, 2 * x + 1) == pytest.approx(1.0)
    assert correlation(x, -x) == pytest.approx(-1.0)
    # worked by hand: deviations (-18, -6, 6, 18) and (-0.15, 0.05, -0.05, 0.15): 4.8 / sqrt(720 * 0.05) = 0.8
    assert correlation(x, np.array([0.1, 0.3, 0.2, 0.4])) == pytest.approx(0.8)
    assert np.isnan(correlation(x, np.full(4, 0.3)))  # trust that does not vary
    assert np.isnan(correlation(x[:2], x[:2]))  # too few partnerships


def _hand_partnerships(ages: list[int], trust: list[float]):
    """A tiny model whose active partnerships have the given ages (months at the run's end) and
    trust; two more that ended and must not count."""
    from tests.helpers import tiny_model

    m = tiny_model()
    p = m.partnerships
    p.n = 0
    rows = p.add(len(ages) + 2)
    p.start[rows[: len(ages)]] = m.horizon - np.array(ages)
    p.end[rows[: len(ages)]] = -1
    p.trust[rows[: len(ages)]] = trust
    p.start[rows[len(ages) :]] = 0
    p.end[rows[len(ages) :]] = 5
    p.trust[rows[len(ages) :]] = (1.0, 0.0)
    return m


def test_trust_duration_correlation_is_over_the_active_partnerships():
    from sim.metrics import trust_duration_correlation

    m = _hand_partnerships([12, 24, 36, 48], [0.1, 0.3, 0.2, 0.4])
    assert trust_duration_correlation(m) == pytest.approx(0.8)
    assert trust_duration_correlation(_hand_partnerships([12, 24, 36], [0.3, 0.2, 0.1])) == pytest.approx(-1.0)


def test_trust_duration_correlation_averages_the_yearly_cross_sections():
    """The metric is the mean of one cross-section per reported year (missing years skipped), each
    taken over the partnerships active in the year's last month with their ages then."""
    from sim.metrics import trust_age_correlation, trust_duration_correlation

    m = _hand_partnerships([12, 24, 36, 48], [0.1, 0.3, 0.2, 0.4])
    m.trust_age_history = [0.2, float("nan"), -0.1, 0.5]
    assert trust_duration_correlation(m) == pytest.approx(0.2)
    # ages counted at the month asked: shifting every age by the same months leaves the correlation
    assert trust_age_correlation(m, m.horizon - 6) == pytest.approx(0.8)


def test_a_run_surveys_trust_once_per_reported_year():
    from sim.metrics import trust_duration_correlation
    from tests.helpers import tiny_model

    m = tiny_model()
    m.run()
    assert len(m.trust_age_history) == m.params.run.years
    finite = [c for c in m.trust_age_history if np.isfinite(c)]
    assert finite and trust_duration_correlation(m) == pytest.approx(np.mean(finite))


def test_firm_loss_share_surveys_each_years_host_firms():
    """firm_loss_share is over firm-years (docs/odd.md M8): at the year's last month each firm that
    hosted interns that year counts once, as losing when its interns' net that year is negative; a
    firm without interns does not count, however its accounts stand."""
    from sim.metrics import firm_loss_share
    from tests.helpers import tiny_model

    m = tiny_model()
    net = np.zeros(m.n_firms)
    net[:4] = (-1.0, 2.0, -3.0, 0.5)
    m.firm_intern_net_year[:] = net
    m.firm_hosted_year[:] = False
    m.firm_hosted_year[[0, 1, 3]] = True  # firm 2 lost money but hosted no intern
    assert firm_loss_share(m) == pytest.approx(1 / 3)  # no survey yet: the year so far
    m.survey_host_firms()
    m.survey_host_firms()  # the same year twice counts as two surveys of three firms
    assert (m.firm_years_hosted, m.firm_years_losing) == (6, 2)
    m.firm_years_losing = 3
    assert firm_loss_share(m) == pytest.approx(0.5)


@pytest.mark.parametrize("warmup", [12, 18])
def test_a_run_surveys_host_firms_once_per_reported_year(monkeypatch, warmup):
    """Over a run, every firm that hosted interns is surveyed once a year, in August, and the
    yearly accounts hold every reported month's interns' net exactly once and no warm-up month's
    (their sum over the surveys is the sum of the reported months' nets); a warm-up that is not
    whole years gives a short first year, and a run ending mid-year surveys its last months."""
    from sim.mechanisms import firm_accounting
    from sim.metrics import firm_loss_share
    from tests.helpers import tiny_model

    m = tiny_model(run__warmup_months=warmup)
    booked, surveys, months = [], [], []
    value = firm_accounting.intern_net_benefit

    def recorded(model, rows, mentor_q):
        nb = value(model, rows, mentor_q)
        if model.reporting:
            booked.append(float(nb.sum()))
            months.append(len(rows))
        return nb

    survey = m.survey_host_firms

    def counted():
        surveys.append((m.t, int(m.firm_hosted_year.sum()), float(m.firm_intern_net_year.sum())))
        survey()

    monkeypatch.setattr(firm_accounting, "intern_net_benefit", recorded)
    m.survey_host_firms = counted
    m.run()
    ends = [t for t in range(warmup, m.horizon) if (t + 1) % 12 == 0 or t + 1 == m.horizon]
    assert [t for t, _, _ in surveys] == ends
    assert sum(x for _, _, x in surveys) == pytest.approx(sum(booked), rel=1e-9, abs=1e-9) and booked
    assert 0 < m.firm_years_hosted == sum(n for _, n, _ in surveys) <= len(ends) * m.n_firms
    assert firm_loss_share(m) == pytest.approx(m.firm_years_losing / m.firm_years_hosted)
    assert not m.firm_hosted_year.any() and not m.firm_intern_net_year.any()
    # the net per intern-month is over the same interns: every one hosted in a reported month,
    # through a partnership or after it ended
    assert m.intern_months_reported == sum(months) > 0
    assert m.metrics()["firm_net_benefit_per_intern_month"] == pytest.approx(sum(booked) / sum(months))
    # and by month of the placement: every intern-month once, in the month of its placement
    assert m.interns_by_month.sum() == m.intern_months_reported and m.interns_by_month[0] > 0
    assert m.intern_net_by_month.sum() == pytest.approx(m.intern_net_reported, rel=1e-9, abs=1e-9)


def test_break_even_and_pay_back_months_are_where_the_mean_intern_crosses_zero():
    """Known answers: the month's mean net by month of the placement, from the yearly accounts;
    the crossing interpolated inside the month (k - 1 < month <= k for "in the k-th month", as the
    survey says "in the 4th month"), NaN when it never crosses."""
    from sim.metrics import crossing_month, intern_break_even_month, intern_payback_month
    from tests.helpers import tiny_model

    assert crossing_month(np.array([-3.0, -1.0, 1.0, 2.0])) == pytest.approx(2.5)
    assert crossing_month(np.array([-2.0, 0.0])) == pytest.approx(2.0)
    assert crossing_month(np.array([1.0, 2.0])) == 1.0 and crossing_month(np.array([0.0])) == 0.0
    assert np.isnan(crossing_month(np.array([-1.0, -0.5]))) and np.isnan(crossing_month(np.array([])))
    m = tiny_model()
    m.interns_by_month[:] = 0
    m.interns_by_month[:6] = (10, 10, 10, 10, 5, 5)  # no one reached the 7th month
    m.intern_net_by_month[:] = 99.0  # months no one reached are not read
    m.intern_net_by_month[:6] = (-30.0, -10.0, -5.0, 10.0, 5.0, 5.0)  # means -3, -1, -0.5, 1, 1, 1
    assert intern_break_even_month(m) == pytest.approx(3 + 0.5 / 1.5)
    # cumulative -3, -4, -4.5, -3.5, -2.5, -1.5: no pay-back within the placements seen
    assert np.isnan(intern_payback_month(m))
    m.intern_net_by_month[4:6] = (15.0, 15.0)  # means 3, 3: cumulative -0.5, +2.5
    assert intern_payback_month(m) == pytest.approx(5 + 0.5 / 3)


def test_take_on_counts_completed_trainees_kept_by_their_host():
    """Known answer: five completed trainees at firms 3, 3, 4, 5, 6 whose first jobs are at 3, 7, 4,
    none and 6 (take-on 3/5); of the order-class and apprenticeship ones (rows 1, 3, 4) one is
    kept (1/3).  A dropped intern and a student who practised in school never count, even where
    their 'first employer' equals their 'host'; nor does a cohort without six months of follow-up."""
    from sim.metrics import labour_metrics
    from sim.state import APPRENTICE, ORDER_CLASS, REGULAR
    from tests.helpers import tiny_model

    m = tiny_model()
    st = m.students
    st.grad_month[: st.n] = -1
    g = m.warmup + 1
    rows = np.arange(8)
    st.grad_month[rows] = g
    st.intern_start[rows] = m.warmup
    st.intern_done[rows] = [1, 1, 1, 1, 1, 0, 1, 1]
    st.intern_firm[rows] = [3, 3, 4, 5, 6, 2, -1, 3]
    st.first_employer[rows] = [3, 7, 4, -1, 6, 2, -1, 3]
    st.track[rows] = [REGULAR, ORDER_CLASS, REGULAR, APPRENTICE, ORDER_CLASS, REGULAR, REGULAR, REGULAR]
    st.grad_month[7] = m.horizon - 3  # graduated too late to be followed six months
    out = labour_metrics(m)
    assert out["take_on"] == pytest.approx(3 / 5)
    assert out["take_on_order_apprentice"] == pytest.approx(1 / 3)


def test_quit_reason_shares_are_shares_of_the_early_quits():
    from sim.metrics import labour_metrics
    from sim.state import FIT_FIELD, OTHER, PAY, PROSPECTS
    from tests.helpers import tiny_model

    m = tiny_model()
    m.quit_reasons[:] = 0
    m.quit_reasons[[PAY, PROSPECTS, FIT_FIELD, OTHER]] = (2, 5, 3, 0)
    out = labour_metrics(m)
    assert (
        out["quit_reason_pay_share"],
        out["quit_reason_prospects_share"],
        out["quit_reason_fit_share"],
    ) == pytest.approx((0.2, 0.5, 0.3))
    m.quit_reasons[:] = 0
    assert np.isnan(labour_metrics(m)["quit_reason_pay_share"])  # no early quit: missing, not 0
