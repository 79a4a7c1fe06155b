"""The spells table of a finished run (docs/odd.md §13): asked for twice, it is the same table,
whether the rows final before the end were kept in memory or written to disk as they came."""

import pandas as pd

from sim import load_scenario
from sim.runner import run_model
from sim.spells import spells
from tests.helpers import TINY


def _params():
    return load_scenario("baseline", {**TINY, "run.years": 4}).params


def test_the_spells_of_a_run_are_the_same_when_asked_for_again():
    model = run_model(_params(), 3)
    first = spells(model, "baseline", 0)
    again = spells(model, "baseline", 0)
    assert len(first) > 0 and list(first.columns[:2]) == ["scenario", "replicate"]
    pd.testing.assert_frame_equal(first, again)


def test_spilled_spells_read_back_twice_equal_the_ones_kept_in_memory(tmp_path):
    kept = spells(run_model(_params(), 3), "baseline", 0)
    model = run_model(_params(), 3, spill=tmp_path)
    first = spells(model, "baseline", 0)
    again = spells(model, "baseline", 0)
    model.spell_log.close()
    pd.testing.assert_frame_equal(first, kept, check_dtype=False)
    pd.testing.assert_frame_equal(again, kept, check_dtype=False)
