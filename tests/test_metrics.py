"""Metrics measure what they name (docs/odd.md §7.6)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from sim import load_scenario, metrics
from sim.mechanisms import hiring
from sim.model import CooperationModel
from sim.state import MONTHS_PER_YEAR
from tests.helpers import TINY, tiny_model

SMALL = {
    "population.schools": 3,
    "population.cohort_size": 150,
    "population.firms": 45,
    "population.partners_per_school": 12,
    "run.years": 5,
    "run.warmup_months": 24,
}


def test_skill_fit_is_alignment_not_level():
    """Known answer: scaling every graduate's skills by the same factor leaves skill fit unchanged,
    while productivity (level) scales with it."""
    m = tiny_model()
    st = m.students
    rows = np.arange(min(st.n, 50))
    firms = np.arange(len(rows)) % m.n_firms
    st.skills[rows] = np.random.default_rng(0).uniform(0.1, 0.4, (len(rows), st.skills.shape[1]))
    fit, level = hiring.alignment(m, rows, firms), hiring.productivity(m, rows, firms)
    st.skills[rows] *= 2.0
    np.testing.assert_allclose(hiring.alignment(m, rows, firms), fit, rtol=1e-12)
    assert (hiring.productivity(m, rows, firms) > level).all()
    # a profile that is exactly the firm's needs fits perfectly, whatever its level
    st.skills[rows] = 0.3 * m.firm_needs[firms] / m.firm_needs[firms].max(axis=1, keepdims=True)
    st.programme[rows] = m.firm_field[firms]
    np.testing.assert_allclose(hiring.alignment(m, rows, firms), 1.0, rtol=1e-12)


@pytest.mark.slow  # a stochastic comparison over seeds
def test_goal_alignment_raises_skill_fit_more_than_craftsman():
    """Paired over 6 seeds (common random numbers), small population: aligning the curriculum with
    firms' needs reshapes the skill profile (fit +6 to +9 points); craftsman cultivation mostly adds
    craft (+1 to +3 points), so goal_alignment's gain is larger in every seed."""
    gains = []
    for seed in range(6):
        fit = {
            name: metrics.compute(CooperationModel(load_scenario(name, SMALL).params, seed=seed).run())["skill_fit"]
            for name in ("baseline", "goal_alignment", "craftsman")
        }
        gains.append((fit["goal_alignment"] - fit["baseline"], fit["craftsman"] - fit["baseline"]))
    assert all(ga > cr for ga, cr in gains), gains


def test_the_time_series_and_the_summary_use_one_formula():
    """firm_retention and graduate_retention_12m in the monthly series are the summary's formulas
    applied to one year or one cohort: the series at the month a year (a cohort's 12 months) is
    complete equals the formula on that year (cohort) computed at the end of the run, and the
    summary is those years pooled."""
    m = CooperationModel(load_scenario("baseline", TINY | {"run.years": 4}).params, seed=5).run()
    ts = m.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    ts["t"] = np.arange(len(ts)) + m.warmup
    septembers = [t0 for t0 in range(0, m.horizon, MONTHS_PER_YEAR) if t0 + MONTHS_PER_YEAR <= m.horizon]
    checked = 0
    for t0 in septembers:
        row = ts[ts["t"] == t0 + MONTHS_PER_YEAR - 1]
        if len(row):
            assert row["firm_retention"].iloc[0] == metrics.firm_retention_over(m, [t0])
            g = t0 - MONTHS_PER_YEAR  # the cohort whose 12 months end with that year
            if g >= 0:
                at = ts[ts["t"] == g + MONTHS_PER_YEAR]
                expect = metrics.retention(m, m.students.grad_month[: m.students.n] == g, MONTHS_PER_YEAR)
                got = at["graduate_retention_12m"].iloc[0]
                assert (np.isnan(got) and np.isnan(expect)) or got == expect
            checked += 1
    assert checked >= 3
    reported = [t0 for t0 in septembers if t0 >= m.warmup]
    assert metrics.compute(m)["firm_retention"] == metrics.firm_retention_over(m, reported)


CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_metric_has_its_facts_in_the_one_registry():
    """docs/odd.md §7.6: every summary metric (and every series-only one) has a unit and both
    labels in the registry, a known kind and a direction; the Chinese label and unit are Chinese; the
    names the reports, dashboard and workshop show are the registry's."""
    from analysis import labels

    assert set(metrics.UNITS) == set(metrics.ALL_METRICS) <= set(metrics.REGISTRY)
    assert set(metrics.SERIES) <= set(metrics.REGISTRY)
    for name, m in metrics.REGISTRY.items():
        assert m.name == name
        assert m.label_en.strip() and m.label_zh.strip() and m.unit_en.strip() and m.unit_zh.strip(), name
        assert CJK.search(m.label_zh) and CJK.search(m.unit_zh) and not CJK.search(m.label_en + m.unit_en), name
        assert m.kind in metrics.KINDS and isinstance(m.higher_is_better, bool), name
        assert (m.formula is None) == (name not in metrics.ALL_METRICS), name
        assert m.partner is None or m.partner in metrics.PARTNER_METRICS, name
        for lang in ("en", "zh"):
            assert labels.metric_label(name, lang) == m.label(lang)
            assert labels.own_unit(name, lang) == m.unit(lang)
    assert len({m.label_en for m in metrics.REGISTRY.values()}) >= len(metrics.REGISTRY) - 1  # skill_level/skill_mean
    # the summary's families cover exactly the registry's summary metrics
    m = CooperationModel(load_scenario("baseline", TINY).params, seed=1).run()
    assert list(metrics.compute(m)) == list(metrics.ALL_METRICS)


def test_an_interns_monthly_value_stays_below_a_graduates_monthly_wage():
    """M8: on the calibrated baseline and under ``full``, the mean value of an intern-month to
    the host firm is below the mean monthly wage of the graduates employed in the last two years
    (the intern is worth less than the graduate the firm would otherwise pay)."""
    from sim.mechanisms import firm_accounting
    from sim.state import EMPLOYED, INTERNING

    for name in ("baseline", "full"):
        m = CooperationModel(load_scenario(name, SMALL).params, seed=1)
        values = []
        while m.running:
            m.step()
            if m.reporting:
                st = m.students
                rows = np.flatnonzero(st.status[: st.n] == INTERNING)
                values.append(firm_accounting.intern_value(m, rows, m.mentor_q))
        st = m.students
        recent = np.flatnonzero((st.status[: st.n] == EMPLOYED) & (st.grad_month[: st.n] >= m.horizon - 24))
        assert np.concatenate(values).mean() < st.wage[recent].mean(), name


def test_four_or_more_employers_counts_the_graduates_employers_3y_averages(monkeypatch):
    """Known answer: set the employer counts of the graduates employers_3y measures (followed 36
    months, ever employed) by hand: a quarter with 4 or more gives 0.25, and the mean follows.
    The counts are set in the arrays after the run, so no student is folded (docs/odd.md §13)."""
    monkeypatch.setattr(CooperationModel, "fold_past_students", lambda self: None)
    p = load_scenario("baseline", SMALL).params
    m = CooperationModel(p, seed=0)
    m.run_model()
    st, n, T = m.students, m.students.n, m.horizon
    g, fh = st.grad_month[:n], st.first_hire[:n]
    measured = np.flatnonzero((g >= 0) & (g + metrics.FOLLOW_UP["employers_3y"] < T) & (fh >= 0))
    assert len(measured) >= 8
    counts = np.resize([1, 2, 3, 5], len(measured))
    st.n_employers[measured] = counts
    out = metrics.labour_metrics(m)
    assert out["employers_4plus_3y"] == np.mean(counts >= 4)
    assert out["employers_3y"] == np.mean(counts)


def test_spells_record_each_placement_its_end_month_and_why_it_broke():
    """spells.parquet has a row per placement: completed ones end at graduation, broken-off ones
    at the month they broke (matching the student arrays) with the larger part of the hazard as
    the reason (a small run: 2 schools, 3 years)."""
    from sim.runner import spells
    from sim.state import BREAK_REASONS

    m = tiny_model(seed=2, run__years=3).run()
    st = m.students
    sp = spells(m, "t", 0)
    intern = sp[sp["kind"] == "internship"]
    placed = np.flatnonzero(st.intern_start[: st.n] >= 0)
    assert len(intern) == len(placed) > 0
    broken = intern[intern["reason"] == "broken"]
    assert len(broken) == np.count_nonzero(st.intern_done[placed] == 0) > 0
    assert set(broken["quit_reason"]) <= set(BREAK_REASONS)
    done = intern[intern["reason"] == "completed"]
    assert len(done) == np.count_nonzero(st.intern_done[placed] == 1) > 0
    assert (done["end_month"] + m.warmup).mod(MONTHS_PER_YEAR).eq(0).all()  # graduation is in September
    assert (intern.loc[intern["reason"] != "broken", "quit_reason"] == "").all()
    assert (intern["end_month"] >= intern["start_month"]).all()


def test_kaplan_meier_known_answer():
    """docs/odd.md §7.6 (partnership_survival_36m): durations 1, 2, 2 (censored), 3, 4 (censored), 5
    by hand: S = 5/6 after 1, × 4/5 = 2/3 after 2 (the censored 2 still at risk there), × 2/3 = 4/9
    after 3, unchanged by the censored 4, 0 after 5; missing beyond the longest follow-up."""
    durations = np.array([1, 2, 2, 3, 4, 5])
    observed = np.array([True, True, False, True, False, True])
    expect = {0.5: 1.0, 1: 5 / 6, 2: 2 / 3, 2.5: 2 / 3, 3: 4 / 9, 4: 4 / 9, 5: 0.0}
    for at, s in expect.items():
        assert metrics.kaplan_meier(durations, observed, at) == pytest.approx(s, abs=1e-15), at
    assert np.isnan(metrics.kaplan_meier(durations, observed, 6))
    assert np.isnan(metrics.kaplan_meier(np.array([]), np.array([], bool), 1))
    # nobody ended: survival stays 1
    assert metrics.kaplan_meier(np.array([3, 4]), np.array([False, False]), 3.5) == 1.0
