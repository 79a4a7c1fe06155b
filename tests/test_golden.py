"""A fresh run of the small baseline matches the stored golden result exactly; a changed lever does not.

Regenerate on purpose with ``python -m tests.golden_baseline`` (see tests/golden_baseline.py).
"""

from __future__ import annotations

from tests import golden_baseline as golden


def test_a_fresh_run_matches_the_golden_baseline_exactly():
    summary, ts = golden.run()
    assert golden.as_text(summary) == (golden.HERE / "baseline.csv").read_text(encoding="utf-8"), (
        "the model's numbers changed: if meant, regenerate with 'python -m tests.golden_baseline'"
    )
    assert golden.as_text(ts) == (golden.HERE / "timeseries.csv").read_text(encoding="utf-8")


def test_a_changed_lever_does_not_match():
    summary, _ = golden.run({"communication.depth": 0.8})
    assert golden.as_text(summary) != (golden.HERE / "baseline.csv").read_text(encoding="utf-8")
