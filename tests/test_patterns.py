"""The seven patterns of docs/odd.md §1, and each one failing in the region docs/odd.md names.

Every claim is tested over seeds 0..N-1 (fixed in advance, never chosen to pass) with
Welch's t-test at p < 0.01.  A smaller population than the default keeps CI short; the
default population is run by ``benchmarks/``.  The failure tests show that each pattern
comes from its mechanism: switch the mechanism off and the pattern is no longer there.

"No longer there" means no effect in *either* direction, not merely "not significantly in the
pattern's direction" (which a reversed effect also satisfies).  Both arms of a seed share its
random-number streams (common random numbers), so each negative control is tested on the N
paired differences, seed by seed (:func:`assert_no_effect`):

- a two-sided paired t-test finds no difference at ALPHA, and
- equivalence (TOST): both one-sided tests at ALPHA reject a difference of ±δ or beyond, i.e.
  the 98% confidence interval lies inside (−δ, δ), with δ = MARGIN (a quarter) of the
  pattern's own paired effect on the same seeds.  A quarter is docs/odd.md §1's own measure of
  "barely" (pattern 4: two_skins' gain is under a quarter of integrated's).

With N = 20 the 98% interval's half-width is t(0.99, 19)·sd/√20 = 0.57 paired sd; the paired
sds are small against the effects (at the time of writing at most 0.21 of the pattern's
effect, so the half-width is at most 0.12 of it, half the margin): a true zero is declared
equivalent, and a remaining effect of a quarter or more is not, so the answer is clear.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
from scipy import stats

from sim import load_scenario, metrics
from sim.model import CooperationModel
from sim.params import Behaviour, Population

pytestmark = pytest.mark.slow  # 20 seeds per arm for every pattern and its failure region

N = 20  # replicates per arm: effects are several standard errors wide at this size
ALPHA = 0.01
# Schools a fifth of the default size (cohorts of 120, not 600), and their party-member teachers
# with them (12, not 60), so that each member's load - students to guide, interns to co-mentor -
# is the default's: overload (pattern 7) is a matter of students per member, not of headcount.
SMALL_COHORT = 120
SMALL_MEMBERS = Population().party_members_per_school * SMALL_COHORT // Population().cohort_size
SMALL = {
    "population.schools": 3,
    "population.cohort_size": SMALL_COHORT,
    "population.firms": 45,
    "population.partners_per_school": 12,
    "population.party_members_per_school": SMALL_MEMBERS,
    "run.years": 6,
    "run.warmup_months": 24,
}


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


MARGIN = 0.25  # equivalence margin of the negative controls, a share of the pattern's effect


def paired(a, b, key) -> np.ndarray:
    """Differences a − b seed by seed (both arms ran seeds 0..N-1)."""
    return values(a, key) - values(b, key)


def assert_no_effect(off: np.ndarray, on: np.ndarray) -> None:
    """No effect in either direction: ``off`` (paired differences with the mechanism switched
    off) is not significant two-sided at ALPHA, and its 1 − 2·ALPHA interval lies inside
    ±MARGIN · |mean of on| (TOST at ALPHA), ``on`` being the pattern's paired effect."""
    n, effect = len(off), abs(float(on.mean()))
    assert effect > 0 and stats.ttest_1samp(on, 0.0).pvalue < ALPHA, "the pattern itself is not there"
    delta = MARGIN * effect
    mean, se = float(off.mean()), float(off.std(ddof=1)) / np.sqrt(n)
    if se == 0.0:  # identical in every seed
        p, half = (1.0 if mean == 0.0 else 0.0), 0.0
    else:
        p, half = float(stats.ttest_1samp(off, 0.0).pvalue), float(stats.t.ppf(1 - ALPHA, n - 1)) * se
    lo, hi = mean - half, mean + half
    msg = (
        f"switched off: mean {mean:+.5f}, two-sided p {p:.3g}, {100 * (1 - 2 * ALPHA):.0f}% CI [{lo:+.5f}, {hi:+.5f}]; "
        f"margin ±{delta:.5f} (a quarter of the pattern's effect {float(on.mean()):+.5f})"
    )
    assert p >= ALPHA, "a significant effect remains: " + msg
    assert -delta < lo and hi < delta, "not shown equivalent to no effect: " + msg


# ---------------------------------------------------------------- 1. substantive communication
FORMAL = {"communication__meetings_per_year": 6}
SUBSTANTIVE = {"communication__meetings_per_year": 6, "communication__depth": 0.9}


def test_p1_substantive_communication_keeps_firms():
    assert holds(arm("baseline", **SUBSTANTIVE), arm("baseline", **FORMAL), "firm_retention")


def test_p1_fails_when_feeling_heard_does_not_matter():
    """Trust does not enter willingness: substantive and formal talk keep firms alike, in
    either direction (paired over the 20 seeds; see the module docstring)."""
    off = {"behaviour__trust_weight": 0.0}
    assert_no_effect(
        paired(arm("baseline", **SUBSTANTIVE, **off), arm("baseline", **FORMAL, **off), "firm_retention"),
        paired(arm("baseline", **SUBSTANTIVE), arm("baseline", **FORMAL), "firm_retention"),
    )


# ---------------------------------------------------------------- 2. goal alignment needs communication
def test_p2_alignment_with_communication_raises_fit_and_retention():
    ga, base = arm("goal_alignment"), arm("baseline")
    alone = arm("baseline", goal_alignment__weight=0.7)
    for key in ("skill_fit", "firm_retention"):
        assert holds(ga, base, key), key
        gain_with, _ = welch(ga, base, key)
        gain_alone, _ = welch(alone, base, key)
        assert gain_alone < 0.5 * gain_with, key  # alignment without communication gains much less
    assert holds(ga, arm("communication"), "skill_fit")  # and alignment adds to communication


def test_p2_fails_when_talk_cannot_correct_beliefs():
    """Beliefs stay at the school's goal, so aligning to them adds nothing to communication's
    skill_fit, in either direction.  The needs survey is made an empty formality too
    (``survey_depth = 0``): else its trust (M1 → M8) changes which firms stay and hire, a path
    to skill_fit that does not go through alignment (+0.005, p 0.0005 at 20 seeds)."""
    off = {"behaviour__belief_learning_rate": 0.0, "behaviour__survey_depth": 0.0}
    assert_no_effect(
        paired(arm("goal_alignment", **off), arm("communication", **off), "skill_fit"),
        paired(arm("goal_alignment"), arm("communication"), "skill_fit"),
    )


# ---------------------------------------------------------------- 3. front-line placement with mentoring
MENTORED = {"firm_support__mentors_per_firm": 6}


def test_p3_frontline_with_mentoring_raises_technical_skill():
    assert holds(
        arm("baseline", firm_support__frontline_share=0.8, **MENTORED), arm("baseline", **MENTORED), "skill_technical"
    )


def test_p3_fails_when_posts_do_not_differ():
    """Posts equally challenging, engaging and difficult: more front-line posts leave technical
    skill alike, in either direction (paired over the 20 seeds).  Equal difficulty too, since a
    dull marginal post breeds resistance and broken placements (M6), which cost practice."""
    same = {
        "behaviour__marginal_challenge": 1.0,
        "behaviour__frontline_engagement": 0.0,
        "behaviour__marginal_difficulty": Behaviour().frontline_difficulty,
        **MENTORED,
    }
    assert_no_effect(
        paired(arm("baseline", firm_support__frontline_share=0.8, **same), arm("baseline", **same), "skill_technical"),
        paired(
            arm("baseline", firm_support__frontline_share=0.8, **MENTORED),
            arm("baseline", **MENTORED),
            "skill_technical",
        ),
    )


# ---------------------------------------------------------------- 4. integrated party building
def test_p4_integrated_beats_two_skins_which_barely_beats_none():
    none, two, integ = (
        arm("baseline", party_building__mode="none"),
        arm("baseline"),
        arm("baseline", party_building__mode="integrated"),
    )
    assert holds(integ, two, "skill_civic")
    gain_integrated, _ = welch(integ, two, "skill_civic")
    gain_two_skins, _ = welch(two, none, "skill_civic")
    assert 0 <= gain_two_skins < 0.25 * gain_integrated


def test_p4_fails_without_party_member_teachers():
    """No party-member teachers, no party work of either mode (M9): integrated and two_skins
    give the same civic skill, in either direction.  Before two-skins lectures needed party
    members, integrated was significantly *worse* here, which the old one-sided test passed."""
    off = {"population__party_members_per_school": 0}
    assert_no_effect(
        paired(arm("baseline", party_building__mode="integrated", **off), arm("baseline", **off), "skill_civic"),
        paired(arm("baseline", party_building__mode="integrated"), arm("baseline"), "skill_civic"),
    )


# ---------------------------------------------------------------- 5. craftsman cultivation
def test_p5_craftsman_lowers_early_turnover():
    assert holds(arm("craftsman"), arm("baseline"), "early_turnover_6m", sign=-1)


def test_p5_fails_when_neither_craft_nor_fit_keeps_graduates():
    """Craft and fit hold no graduate and low productivity is not dismissed: outside employers see
    craft as well as the current employer (craft_visibility = 1, so craft raises offers as much as
    pay), there is no commitment term (craft_value = 0), fit is worth nothing and nobody is
    dismissed - craftsman cultivation leaves early turnover alike, in either direction (paired over
    the 20 seeds).

    Skill must not speed job finding either (job_finding_skill_gain = 0): otherwise
    craftsman's more skilled graduates find more outside jobs within six months (placement
    +1.1 points), and those quick outside hires churn, raising early turnover by 0.009
    (p = 1e-4) - a real M16 channel of the opposite sign, not the one pattern 5 is about."""
    off = {
        "behaviour__craft_value": 0.0,
        "behaviour__craft_visibility": 1.0,
        "behaviour__fit_value": 0.0,
        "behaviour__dismissal_rate": 0.0,
        "behaviour__job_finding_skill_gain": 0.0,
    }
    assert_no_effect(
        paired(arm("craftsman", **off), arm("baseline", **off), "early_turnover_6m"),
        paired(arm("craftsman"), arm("baseline"), "early_turnover_6m"),
    )


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


QUARTER = {"population__party_members_per_school": SMALL_MEMBERS // 4}  # a quarter of the (scaled) default


def test_p7_a_quarter_of_party_members_gains_less_civic_skill():
    full, quarter = _civic_gain(), _civic_gain(**QUARTER)
    assert full.mean() > quarter.mean() and stats.ttest_ind(full, quarter, equal_var=False).pvalue < ALPHA


def test_p7_fails_when_capacity_is_ample():
    """Party members' capacity ample: a quarter of them gains as much civic skill as all of
    them, in either direction (paired over the 20 seeds).

    Ample: each member guides up to 1,000 students and has ten times the hours for ten times
    the interns (the same hours per intern).  Their number must not matter through teachers'
    firm practice either (M11: teacher_practice_gain = 0): otherwise fewer members raise teacher
    quality less - headcount, not the overload pattern 7 is about."""
    ample = {
        "behaviour__teacher_capacity": 100.0,
        "behaviour__teacher_hours_per_month": 400.0,
        "behaviour__class_contact": 1000.0,
        "behaviour__teacher_practice_gain": 0.0,
    }
    assert_no_effect(_civic_gain(**ample) - _civic_gain(**ample, **QUARTER), _civic_gain() - _civic_gain(**QUARTER))
