"""Shared fixtures: small populations keep the suite short (the benchmark runs the default).

Markers (declared in pyproject.toml): ``slow`` for long stochastic and end-to-end runs, ``browser`` for
tests in a headless Chromium; ``make quick`` leaves both out.  A test that takes the ``browser`` fixture
or starts Playwright itself is marked ``browser`` here, so a new one cannot be left out by mistake.
"""

from __future__ import annotations

import inspect
import signal

import pytest

from sim import load_scenario

# A suite started as a background job of a non-interactive shell (``make test &``, a CI runner's
# ``bash -c '... &'``) inherits SIGINT ignored, and every process it starts would too, so the
# Ctrl-C tests' SIGINT would never arrive.  The tests send SIGINT themselves: restore it here, in
# each test process, before any is started.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

SMALL = {
    "population.schools": 3,
    "population.cohort_size": 120,
    "population.firms": 45,
    "population.partners_per_school": 12,
    "run.years": 6,
    "run.warmup_months": 24,
}


@pytest.fixture
def small():
    def make(name: str = "baseline", **kw):
        ov = dict(SMALL)
        ov.update({k.replace("__", "."): v for k, v in kw.items()})
        return load_scenario(name, ov)

    return make


def launches_browser(item: pytest.Item) -> bool:
    """Whether a collected test runs in a headless browser: it takes the ``browser`` fixture or its
    own code starts Playwright."""
    if "browser" in getattr(item, "fixturenames", ()):
        return True
    fn = getattr(item, "function", None)
    try:
        return fn is not None and "sync_playwright" in inspect.getsource(fn)
    except (OSError, TypeError):
        return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if launches_browser(item):
            item.add_marker(pytest.mark.browser)
