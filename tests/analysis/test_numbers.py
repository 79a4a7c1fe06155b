"""One number rule for the command line, the reports and the debrief (docs/odd.md §7.8): an estimate and
its interval share the decimals the interval's width implies (one significant digit of the width, two
when it would be 1 or 2); a
number without an interval follows its size, so the same value reads the same everywhere ("+10", never
"+10.0" beside it)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from analysis import compare, labels, report
from analysis.labels import interval_decimals, num, signed, with_interval
from tests.analysis.test_report import comp  # noqa: F401  (its small comparison, a module fixture)

DECIMALS = re.compile(r"\.(\d+)$")


def decimals_of(text: str) -> int:
    m = DECIMALS.search(text.replace(",", ""))
    return len(m.group(1)) if m else 0


@pytest.mark.parametrize(
    "low, high, decimals",
    [
        (18, 34, 0),
        (-3, 7, 0),
        (0.1, 5.1, 0),
        (1.0, 3.3, 1),
        (-0.0004, 0.5, 1),
        (0.1, 0.27, 2),
        (0.1, 0.4, 1),
        (0.01, 0.05, 2),
        (0, 1e-7, 4),
        (1, 1, None),
    ],
)
def test_the_decimals_come_from_the_intervals_width(low, high, decimals):
    assert interval_decimals(low, high) == decimals
    assert interval_decimals(float("nan"), high) is None


def test_the_issues_interval_reads_at_one_resolution():
    """communication's early turnover: +0.3 [-0.0004, 0.5] was shown with four decimals at one end and one
    at the other."""
    assert with_interval(0.3, -0.0004, 0.5, "early_turnover_6m") == ("+0.3", "-0.0", "0.5")  # reaches below 0
    assert with_interval(0.3, 0.0006, 0.5, "early_turnover_6m") == ("+0.3", "0.0", "0.5")  # stays above
    assert with_interval(-0.2, -0.3, -0.01, "skill_civic") == ("-0.20", "-0.30", "-0.01")
    assert with_interval(26.2, 18.4, 34.1, "firm_retention") == ("+26", "18", "34")
    assert with_interval(-1234.5, -2000.0, -500.0, "firm_net_benefit") == ("-1,234", "-2,000", "-500")


def test_an_estimate_and_its_interval_share_their_decimals_over_many_intervals():
    rng = np.random.default_rng(7)
    for _ in range(2000):
        scale = 10 ** rng.uniform(-4, 3)
        lo = rng.normal(0, scale)
        hi = lo + abs(rng.normal(0, scale)) + 1e-9
        est = rng.uniform(lo, hi)
        shown = with_interval(est, lo, hi, "firm_retention")
        assert len({decimals_of(x) for x in shown}) == 1, (est, lo, hi, shown)
        assert decimals_of(shown[0]) == interval_decimals(lo, hi)
        assert not (shown[0].startswith("-") and float(shown[0]) == 0), shown  # an estimate: no "-0.00"
        for x, end in zip(shown[1:], (lo, hi)):  # an end keeps its sign: "[-0.0, 0.5]" reaches below 0
            assert x.startswith("-") == (end < 0), (x, end)
        width = float(shown[2]) - float(shown[1])  # the width to its shown resolution (at most four decimals)
        assert width == pytest.approx(hi - lo, abs=10 ** -decimals_of(shown[0]) + 1e-12)


@pytest.mark.parametrize("v", [10.0, 9.96, 10.04, -9.95, 99.99])
def test_a_whole_number_is_never_shown_with_a_decimal_zero_beside_itself(v):
    """Without an interval a number follows its size: 9.96 and 10 both read "+10" (the debrief, the
    report's sentences and the terminal alike), never "+10.0"."""
    assert not signed(v, "firm_retention").endswith(".0"), signed(v, "firm_retention")
    assert signed(10.0, "firm_retention") == signed(9.96, "firm_retention") == "+10"
    assert num(3.25, "firm_retention") == "3.2" and num(0.004, "firm_retention") == "0.004"


def test_the_debrief_uses_the_same_rule():
    from sim.apps.workshop import debrief

    assert debrief._signed(0.0996, "firm_retention") == "+10"  # a share, in points
    assert debrief._signed(-86.2, "firm_net_benefit") == signed(-86.2, "firm_net_benefit") == "-86"


def test_the_report_sentence_and_the_terminal_table_print_the_same_cell(comp):  # noqa: F811
    """A strategy's difference reads the same in the terminal's table and in the report's sentence."""
    from analysis.labels import display_scale

    text = compare.headline_text(comp, "en")
    tab = comp.table.set_index(["scenario", "metric"])
    checked = 0
    for line in text.splitlines()[4:]:
        scn = line.split()[0]
        cells = re.findall(r"([-+]?[0-9.,]+) \[([-0-9.,]+), ([-0-9.,]+)\]", line)
        for m, cell in zip(comp.headline, cells):
            r = tab.loc[(scn, m)]
            k = display_scale(m)
            lo, hi = r["diff_holm_low"] * k, r["diff_holm_high"] * k
            assert cell == with_interval(r["diff"] * k, lo, hi, m), (line, m)
            sentence = report.verdict(m, r["diff"], r["diff_holm_low"], r["diff_holm_high"], "en", comp.margin(m))
            assert f"[{cell[1]}, {cell[2]}]" in sentence or f"[{cell[2].lstrip('-')}" in sentence, sentence
            checked += 1
    assert checked >= 4
    assert labels.SMALL > 0  # the size rule's floor for numbers without an interval stays
