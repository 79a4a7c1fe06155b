"""Closed workshop pages are released (docs/odd.md §11, the workshop room), in a real headless Chromium.

Seat pages and facilitator pages are opened, then their browsers closed without Solara's close beacon (as a
phone that loses its connection or a browser that is killed): after the reconnect grace period
(:data:`sim.apps.workshop.server.RECONNECT_GRACE_S`) the server drops their sessions, so its threads (one per page
following the room, one per facilitator page's timer, one per websocket) come back to the number before
the pages opened (once a request lets the server's idle pool threads go).  The wait is generous (grace + two minutes): nothing here depends on the machine's speed.

Run alone with ``pytest -m browser tests/apps/workshop/test_sessions.py``.
"""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest

from sim.apps.workshop.server import RECONNECT_GRACE_S
from tests.apps.workshop.serving import workshop

CHROMIUM = Path("/usr/bin/chromium")
WAIT_MS = 30_000
SLACK = 2  # threads Python or uvicorn may start on their own meanwhile
RELEASE_LIMIT_S = RECONNECT_GRACE_S + 120

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)"),
]


def steady_threads(proc, settle_s: float = 3.0, limit_s: float = 60.0) -> int:
    """The server's thread count once it stays the same for ``settle_s`` seconds."""
    deadline = time.monotonic() + limit_s
    last = proc.num_threads()
    while time.monotonic() < deadline:
        time.sleep(settle_s)
        now = proc.num_threads()
        if now == last:
            return now
        last = now
    return last


def test_closed_pages_are_released_after_the_grace_period(tmp_path):
    psutil = pytest.importorskip("psutil")
    playwright = pytest.importorskip("playwright.sync_api")
    with workshop(tmp_path / "out", "--schools", "2", "--firms", "4", "--rounds", "2", "--lang", "en") as s:
        server = psutil.Process(s.proc.pid)
        start = steady_threads(server)
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"])
            contexts = []
            for seat in ("school-0", "school-1", "firm-0", "firm-1", "firm-2", "firm-3"):
                ctx = browser.new_context()
                page = ctx.new_page()
                page.goto(s.join_url)
                page.click(f"button[data-seat='{seat}']")
                page.wait_for_selector(".seen-card", timeout=WAIT_MS)
                page.goto(f"{s.base}/seat/{seat}?lang=en&solara-no-close-beacon")  # this page: no beacon
                page.wait_for_selector(".seen-card", timeout=WAIT_MS)
                contexts.append(ctx)
            for _ in range(2):
                ctx = browser.new_context()
                page = ctx.new_page()
                page.goto(s.host_url)
                page.wait_for_selector(".advance", timeout=WAIT_MS)
                page.goto(f"{s.base}/host?lang=en&solara-no-close-beacon")
                page.wait_for_selector(".timer", timeout=WAIT_MS)
                contexts.append(ctx)
            opened = server.num_threads()
            for ctx in contexts:
                ctx.close()
            browser.close()
        assert opened >= start + 8, (start, opened)  # a thread at least per open page
        closed_at = time.monotonic()
        now = server.num_threads()
        while now > start + SLACK and time.monotonic() - closed_at < RELEASE_LIMIT_S:
            time.sleep(2)
            # a served request, as a room always has: the server's thread pool lets its idle threads go
            # when it is next used (anyio), not on its own
            urllib.request.urlopen(s.base + "/readyz", timeout=10).read()
            now = server.num_threads()
        assert now <= start + SLACK, (
            f"threads: {start} before, {opened} with the pages open, {now} "
            f"{time.monotonic() - closed_at:.0f} s after they closed"
        )
        assert "Traceback" not in s.log()
