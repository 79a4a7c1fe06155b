"""The seven patterns of MODEL.md §7, and each one failing in the region docs/odd.md names.

Every claim is tested over seeds 0..N-1 (fixed in advance, never chosen to pass) with
Welch's t-test at p < 0.01.  A smaller population than the default keeps CI short; the
default population is run by ``benchmarks/``.  The failure tests show that each pattern
comes from its mechanism: switch the mechanism off and the pattern is no longer there.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import stats

from sim import load_scenario, metrics
from sim.model import CooperationModel

N = 20              # replicates per arm: effects are several standard errors wide at this size
ALPHA = 0.01
SMALL = {"population.schools": 3, "population.cohort_size": 120, "population.firms": 45,
         "population.partners_per_school": 12, "run.years": 6, "run.warmup_months": 24}


@lru_cache(maxsize=None)
def _runs(name: str, overrides: tuple) -> tuple[dict, ...]:
    ov = dict(SMALL)
    ov.update(dict(overrides))
    scn = load_scenario(name, ov)
    return tuple(metrics.compute(CooperationModel(scn.params, seed=s).run()) for s in range(N))


def arm(name: str, **over) -> tuple[dict, ...]:
    return _runs(name, tuple(sorted((k.replace("__", "."), v) for k, v in over.items())))


def values(runs, key) -> np.ndarray:
    return np.array([r[key] for r in runs], float)


def welch(a, b, key) -> tuple[float, float]:
    x, y = values(a, key), values(b, key)
    return x.mean() - y.mean(), stats.ttest_ind(x, y, equal_var=False).pvalue


def holds(a, b, key, sign=+1) -> bool:
    d, p = welch(a, b, key)
    return sign * d > 0 and p < ALPHA


# ---------------------------------------------------------------- 1. substantive communication
FORMAL = {"communication__meetings_per_year": 6}
SUBSTANTIVE = {"communication__meetings_per_year": 6, "communication__depth": 0.9}


def test_p1_substantive_communication_keeps_firms():
    assert holds(arm("baseline", **SUBSTANTIVE), arm("baseline", **FORMAL), "firm_retention")


def test_p1_fails_when_feeling_heard_does_not_matter():
    off = {"behaviour__trust_weight": 0.0}
    assert not holds(arm("baseline", **SUBSTANTIVE, **off), arm("baseline", **FORMAL, **off), "firm_retention")


# ---------------------------------------------------------------- 2. goal alignment needs communication
def test_p2_alignment_with_communication_raises_fit_and_retention():
    ga, base = arm("goal_alignment"), arm("baseline")
    alone = arm("baseline", goal_alignment__weight=0.7)
    for key in ("skill_fit", "firm_retention"):
        assert holds(ga, base, key), key
        gain_with, _ = welch(ga, base, key)
        gain_alone, _ = welch(alone, base, key)
        assert gain_alone < 0.5 * gain_with, key           # alignment without communication gains much less
    assert holds(ga, arm("communication"), "skill_fit")    # and alignment adds to communication


def test_p2_fails_when_talk_cannot_correct_beliefs():
    off = {"behaviour__belief_learning_rate": 0.0}
    assert not holds(arm("goal_alignment", **off), arm("communication", **off), "skill_fit")


# ---------------------------------------------------------------- 3. front-line placement with mentoring
MENTORED = {"firm_support__mentors_per_firm": 6}


def test_p3_frontline_with_mentoring_raises_technical_skill():
    assert holds(arm("baseline", firm_support__frontline_share=0.8, **MENTORED), arm("baseline", **MENTORED),
                 "skill_technical")


def test_p3_fails_when_posts_do_not_differ():
    same = {"behaviour__marginal_challenge": 1.0, "behaviour__frontline_engagement": 0.0, **MENTORED}
    assert not holds(arm("baseline", firm_support__frontline_share=0.8, **same), arm("baseline", **same),
                     "skill_technical")


# ---------------------------------------------------------------- 4. integrated party building
def test_p4_integrated_beats_two_skins_which_barely_beats_none():
    none, two, integ = arm("baseline", party_building__mode="none"), arm("baseline"), arm(
        "baseline", party_building__mode="integrated")
    assert holds(integ, two, "skill_civic")
    gain_integrated, _ = welch(integ, two, "skill_civic")
    gain_two_skins, _ = welch(two, none, "skill_civic")
    assert 0 <= gain_two_skins < 0.25 * gain_integrated


def test_p4_fails_without_party_member_teachers():
    off = {"population__party_members_per_school": 0}
    assert not holds(arm("baseline", party_building__mode="integrated", **off), arm("baseline", **off), "skill_civic")


# ---------------------------------------------------------------- 5. craftsman cultivation
def test_p5_craftsman_lowers_early_turnover():
    assert holds(arm("craftsman"), arm("baseline"), "early_turnover_6m", sign=-1)


def test_p5_fails_when_neither_craft_nor_fit_keeps_graduates():
    off = {"behaviour__craft_value": 0.0, "behaviour__fit_value": 0.0, "behaviour__dismissal_rate": 0.0}
    assert not holds(arm("craftsman", **off), arm("baseline", **off), "early_turnover_6m", sign=-1)


# ---------------------------------------------------------------- 6. 互利·同强·齐荣
def test_p6_huli_tongqiang_qirong_wins_on_all_three_with_mutual_benefit():
    huli, base = arm("huli_tongqiang_qirong"), arm("baseline")
    for key in ("firm_retention", "graduate_retention_12m", "skill_fit"):
        assert holds(huli, base, key), key
    for key in ("firm_net_benefit", "school_net_benefit"):
        x = values(huli, key)
        assert x.mean() > 0 and stats.ttest_1samp(x, 0.0).pvalue < ALPHA, key


def test_p6_fails_when_support_costs_firms_too_much():
    dear = arm("huli_tongqiang_qirong", behaviour__resource_cost=400.0)
    assert values(dear, "firm_net_benefit").mean() < 0


# ---------------------------------------------------------------- 7. overloaded mentors erode the gain
def _civic_gain(**over) -> np.ndarray:
    return values(arm("party_led", **over), "skill_civic") - values(arm("baseline", **over), "skill_civic")


QUARTER = {"population__party_members_per_school": 5}   # a quarter of the default 20


def test_p7_a_quarter_of_party_members_gains_less_civic_skill():
    full, quarter = _civic_gain(), _civic_gain(**QUARTER)
    assert full.mean() > quarter.mean() and stats.ttest_ind(full, quarter, equal_var=False).pvalue < ALPHA


def test_p7_fails_when_capacity_is_ample():
    ample = {"behaviour__teacher_capacity": 200.0, "behaviour__class_contact": 1000.0}
    full, quarter = _civic_gain(**ample), _civic_gain(**ample, **QUARTER)
    assert not (full.mean() > quarter.mean() and stats.ttest_ind(full, quarter, equal_var=False).pvalue < ALPHA)
