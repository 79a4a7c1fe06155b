"""The industry college's pattern (docs/odd.md M18, §1 pattern 8) with its two-sided control.

P2 names 制度体系不健全 (an unsound institutional system) as a typical problem of industry colleges.
The claim tested: a college with a charter keeps its founding members longer than the same firms
as dyads; a college without a charter (the same base, the same firms, no rules) does not — no
difference in either direction.  Nothing in the charter names retention: its board meetings act
through M1's trust, cost sharing and joint placement through M8's net benefit, the base's evaluation
rule through who trains in it, and the notice period (which would hold members by rule) stays 0 here.

Three arms over the same 20 fixed seeds (0..19, fixed in advance, never chosen to pass), paired
(common random numbers: until the founding month the three runs are the same run, draw for draw, so
the founders are the same firms): ``dyads`` (a college in name only: founders partnered, no base
money, no charter — M18 does nothing else), ``college`` (a funded base, no charter) and ``charter``
(the same base and a charter).  The outcome is the founders' mean months of partnership with their
school after the founding (``college.founders_months``).  The pattern: ``charter − dyads`` > 0, paired
t-test p < 0.01; the control: ``college − dyads`` not significant two-sided at 0.01 and its 98%
interval inside a quarter of the pattern's effect (equivalence, as tests/test_patterns.py's
:func:`assert_no_effect`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from sim import load_scenario
from sim.mechanisms import college
from sim.model import CooperationModel
from tests.test_patterns import ALPHA, N, assert_no_effect

pytestmark = pytest.mark.slow  # 3 arms × 20 seeds of a small region

POPULATION = {
    "population.schools": 3,
    "population.cohort_size": 200,
    "population.firms": 45,
    "population.partners_per_school": 8,
    "run.years": 5,
    "run.warmup_months": 24,
}
CHARTER = (
    '[colleges.charter]\nboard_meetings_per_year = 4\ncost_share = 0.3\nbase_rule = "by_contribution"\n'
    "joint_placement = true\nnotice_months = 0\n"
)


def scenario_text(charter: bool, funded: bool) -> str:
    """Every school runs a college in its own field with five founders (partners first, strongest first)."""
    out = 'extends = "baseline"\n'
    for s in range(POPULATION["population.schools"]):
        out += f"\n[[colleges]]\nschool = {s}\nfield = {s}\nmember_count = 5\n"
        out += "base_school_funding = 300.0\n" if funded else "base_school_funding = 0.0\nbase_member_share = 0.0\n"
        out += CHARTER if charter else ""
    return out


ARMS = {"dyads": (False, False), "college": (False, True), "charter": (True, True)}


@lru_cache(maxsize=None)
def founders_months(arm: str, folder: str) -> np.ndarray:
    path = Path(folder) / f"{arm}.toml"
    path.write_text(scenario_text(*ARMS[arm]), encoding="utf-8")
    params = load_scenario(str(path), POPULATION).params
    out = []
    for seed in range(N):
        m = CooperationModel(params, seed=seed).run()
        cs = m.colleges
        out.append(
            np.mean(
                [
                    college.founders_months(m, spec.school, np.flatnonzero(cs.founder[k]), m.warmup)
                    for k, spec in enumerate(cs.specs)
                ]
            )
        )
    return np.array(out)


@pytest.fixture(scope="module")
def months(tmp_path_factory) -> dict[str, np.ndarray]:
    folder = str(tmp_path_factory.mktemp("college_pattern"))
    return {arm: founders_months(arm, folder) for arm in ARMS}


def test_the_founders_are_the_same_firms_in_every_arm(tmp_path):
    """Until the founding the arms are one run; the founders are chosen by rule from that state."""
    founders = []
    for arm in ARMS:
        path = tmp_path / f"{arm}.toml"
        path.write_text(scenario_text(*ARMS[arm]), encoding="utf-8")
        m = CooperationModel(load_scenario(str(path), POPULATION).params, seed=0)
        while m.t <= m.warmup:
            m.step()
        founders.append(m.colleges.founder.copy())
    assert all(np.array_equal(founders[0], f) for f in founders[1:]) and founders[0].sum() == 15


def test_a_college_with_a_charter_keeps_its_founders_longer_than_the_same_firms_as_dyads(months):
    effect = months["charter"] - months["dyads"]
    assert effect.mean() > 0 and stats.ttest_rel(months["charter"], months["dyads"]).pvalue < ALPHA, effect


def test_a_college_without_a_charter_does_not(months):
    """The control: the same funded base without a charter makes no difference in either direction."""
    assert_no_effect(months["college"] - months["dyads"], months["charter"] - months["dyads"])
