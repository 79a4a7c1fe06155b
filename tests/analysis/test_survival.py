"""Kaplan–Meier summaries of spells, on a hand-worked example."""

import math

import pandas as pd
import pytest

from analysis import survival


def spells(rows):
    return pd.DataFrame(
        rows, columns=["scenario", "replicate", "kind", "start_month", "end_month", "censored", "first_job"]
    )


def test_kaplan_meier_hand_example():
    # durations 2 (censored), 3, 5 (censored), 7, 9: S = 1 → 3/4 at 3 → 3/8 at 7 → 0 at 9
    rows = [
        ("s", 0, "partnership", 10, 10 + d, c, False)
        for d, c in ((2, True), (3, False), (5, True), (7, False), (9, False))
    ]
    out = survival.summarise(survival.select(spells(rows), "partnership"))
    assert out["n"] == 5 and out["events"] == 3
    assert out["median_months"] == 7
    assert out["survival_12m"] == pytest.approx(0.0)
    c = survival.curve(survival.select(spells(rows), "partnership"))
    assert list(c.surv) == pytest.approx([1.0, 0.75, 0.75, 0.375, 0.0])


def test_select_keeps_spells_begun_after_warmup_and_first_jobs():
    rows = [
        ("s", 0, "partnership", -5, 20, False, False),
        ("s", 0, "partnership", 3, 20, True, False),
        ("s", 0, "job", 4, 9, False, True),
        ("s", 0, "job", 9, 30, True, False),
        ("s", 0, "job_partner", 0, 40, True, True),
    ]
    sp = spells(rows)
    assert len(survival.select(sp, "partnership")) == 1
    jobs = survival.select(sp, "job")
    assert len(jobs) == 2 and jobs["first_job"].all()


def test_median_not_reached_is_missing_not_wrong():
    rows = [("s", 0, "job", 0, 10, True, True)] * 5 + [("s", 0, "job", 0, 4, False, True)]
    out = survival.summarise(survival.select(spells(rows), "job"))
    assert math.isnan(out["median_months"]) and out["survival_12m"] == pytest.approx(5 / 6)
