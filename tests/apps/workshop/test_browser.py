"""A workshop in a real headless Chromium (Debian's chromium + Playwright), docs/odd.md §11: seats play
in their pages, and the page side of the seats' secrets and ranges.

One facilitator and four participants (two schools, two firms, phone-sized) play three years, in English
and in Chinese: participants pick their seats on the join page and submit decisions; a firm's
out-of-range decision is refused in one line and changes nothing (the facilitator still counts it as not
submitted); one participant closes its page and comes back to the same seat through the join address;
another browser cannot open that seat; the facilitator advances each year (every participant's page
shows the new year; a double click plays one year), ends the game and opens the debrief, whose images all load.  No request leaves
127.0.0.1 (the pages work offline).  About 40 s per language on two cores.

Run alone with ``pytest -m browser tests/apps/workshop``.  With SESIM_UPDATE_SCREENSHOTS=1 it also writes
docs/workshop-facilitator.png and docs/workshop-phone.png (the English run).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.i18n import t
from tests.apps.workshop.serving import ROOT, workshop

CHROMIUM = Path("/usr/bin/chromium")
UPDATE = os.environ.get("SESIM_UPDATE_SCREENSHOTS") == "1"
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1280, "height": 960}
WAIT_MS = 20_000
SEATS = ("school-0", "school-1", "firm-0", "firm-1")
YEAR = {"en": "Year {y} of 3", "zh": "第 {y} 年 / 共 3 年"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    pytest.importorskip("solara")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"])
        yield b
        b.close()


class Offline:
    """Every request a page makes; those not to 127.0.0.1 are kept (there must be none)."""

    def __init__(self) -> None:
        self.foreign: list[str] = []

    def watch(self, context) -> None:
        context.on(
            "request",
            lambda r: (
                None
                if r.url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:", "about:"))
                else self.foreign.append(r.url)
            ),
        )


def set_text(page, css: str, value: str) -> None:
    box = page.locator(f"{css} input")
    box.fill(value)
    box.press("Enter")


def submit(page, lang: str) -> str:
    """Click submit and wait for the page's answer: "accepted", or the refusal's text."""
    page.evaluate("document.querySelectorAll('.accepted, .refusal').forEach(e => e.classList.add('stale'))")
    page.locator(".submit").click()
    page.wait_for_selector(".accepted:not(.stale), .refusal:not(.stale)", timeout=WAIT_MS)
    if page.locator(".accepted:not(.stale)").count():
        return "accepted"
    return page.inner_text(".refusal")


def wait_year(page, year: int, lang: str) -> None:
    page.wait_for_selector(f".year-status:has-text('{YEAR[lang].format(y=year)}')", timeout=WAIT_MS)


def submitted_count(host) -> str:
    return host.inner_text(".submitted-count")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_three_years_with_four_participants(browser, tmp_path, lang):
    out = tmp_path / "debrief"
    offline = Offline()
    # the README's pictures show the default region (3 schools, 12 firms); the test a smaller one
    region = ("--schools", "3", "--firms", "12") if UPDATE else ("--schools", "2", "--firms", "4")
    with workshop(out, *region, "--rounds", "3", "--lang", lang) as s:
        # the facilitator
        hctx = browser.new_context(viewport=PROJECTOR)
        offline.watch(hctx)
        host = hctx.new_page()
        host.goto(s.host_url)
        host.wait_for_selector(".advance", timeout=WAIT_MS)
        assert host.locator(".qr svg").count() == 1
        assert s.join_url in host.inner_text(".join-url")
        # four participants on phones pick their seats
        ctxs, pages = {}, {}
        for seat in SEATS:
            ctxs[seat] = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
            offline.watch(ctxs[seat])
            page = ctxs[seat].new_page()
            page.goto(s.join_url)
            page.click(f"button[data-seat='{seat}']")
            page.wait_for_selector(".seen-card", timeout=WAIT_MS)
            wait_year(page, 1, lang)
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
            assert page.evaluate("document.querySelector('table.seen').getBoundingClientRect().right") <= PHONE["width"]
            pages[seat] = page
        host.wait_for_selector(
            f".submitted-count:has-text('{'0 of 4' if lang == 'en' else '4 位参与者中已有 0 位'}')", timeout=WAIT_MS
        )

        # year 1: an out-of-range decision is refused in one line and changes nothing
        f1 = pages["firm-1"]
        set_text(f1, ".lever-firm_support-mentors_per_firm", "999")
        refusal = submit(f1, lang)
        assert "\n" not in refusal.strip() and "0..50" in refusal
        time.sleep(0.5)
        assert ("0 of 4" if lang == "en" else "已有 0 位") in submitted_count(host)
        assert f1.locator(".not-submitted").is_visible()
        set_text(f1, ".lever-firm_support-mentors_per_firm", "6")
        assert submit(f1, lang) == "accepted"
        set_text(pages["school-0"], ".lever-communication-depth", "0.9")
        assert submit(pages["school-0"], lang) == "accepted"
        set_text(pages["school-1"], ".lever-goal_alignment-weight", "0.7")
        assert submit(pages["school-1"], lang) == "accepted"
        # more graduates than the region has: refused in the page's language
        set_text(pages["firm-0"], ".decision-hire", "9999")
        refusal = submit(pages["firm-0"], lang)
        assert "\n" not in refusal.strip() and t("ws.hire", lang) in refusal and "9999" in refusal
        set_text(pages["firm-0"], ".decision-hire", "rule")
        set_text(pages["firm-0"], ".lever-firm_support-intern_allowance", "4")
        assert submit(pages["firm-0"], lang) == "accepted"
        host.wait_for_selector(
            f".submitted-count:has-text('{'4 of 4' if lang == 'en' else '已有 4 位'}')", timeout=WAIT_MS
        )
        host.locator(".advance").click()
        for page in pages.values():
            wait_year(page, 2, lang)
        wait_year(host, 2, lang)
        # last year's value beside this year's, and the decision in force
        assert pages["school-0"].locator(".lever-communication-depth input").input_value() == "0.9"

        # year 2: School 2 closes its page and comes back through the join address
        pages["school-1"].close()
        again = ctxs["school-1"].new_page()
        again.goto(s.join_url)
        again.click("a[href^='/seat/school-1'] button")
        again.wait_for_selector(".seen-card", timeout=WAIT_MS)
        wait_year(again, 2, lang)
        pages["school-1"] = again
        assert again.locator(".lever-goal_alignment-weight input").input_value() == "0.7"
        # another browser cannot act for that seat, nor take it
        intruder = browser.new_context(viewport=PHONE)
        offline.watch(intruder)
        ip = intruder.new_page()
        assert ip.goto(f"{s.base}/seat/school-1").status == 403
        ip.goto(s.join_url)
        assert ip.locator("button[data-seat='school-1']").is_disabled()
        intruder.close()
        set_text(again, ".lever-goal_alignment-weight", "0.4")
        assert submit(again, lang) == "accepted"
        set_text(pages["school-0"], ".lever-communication-depth", "0.5")
        assert submit(pages["school-0"], lang) == "accepted"
        if UPDATE and lang == "en":
            pages["school-0"].evaluate("window.scrollTo(0, 0)")
            pages["school-0"].wait_for_timeout(300)
            pages["school-0"].screenshot(path=str(ROOT / "docs" / "workshop-phone.png"), full_page=False)
        host.locator(".advance").dblclick()  # a double click plays one year, not two
        for page in pages.values():
            wait_year(page, 3, lang)
        wait_year(host, 3, lang)
        host.wait_for_timeout(1500)
        assert YEAR[lang].format(y=3) in host.inner_text(".year-status")
        if UPDATE and lang == "en":  # two years on the charts
            wait_year(host, 3, lang)
            host.wait_for_timeout(1000)
            host.screenshot(path=str(ROOT / "docs" / "workshop-facilitator.png"), full_page=True)

        # year 3: the facilitator pauses (no submission then), resumes; nobody submits (everyone keeps last
        # year's); advance, end, debrief
        host.locator(".pause").click()
        for page in pages.values():
            page.wait_for_selector(".paused", timeout=WAIT_MS)
            assert page.locator(".submit").is_disabled()
        host.wait_for_selector(f".pause:has-text('{'Resume' if lang == 'en' else '继续'}')", timeout=WAIT_MS)
        host.locator(".pause").click()
        for page in pages.values():
            page.wait_for_selector(".paused", state="detached", timeout=WAIT_MS)
        host.locator(".advance").click()
        host.wait_for_selector(".end", timeout=WAIT_MS)
        host.locator(".end").click()
        host.wait_for_selector(f".end:has-text('{'Click again' if lang == 'en' else '再次点击'}')", timeout=WAIT_MS)
        host.locator(".end").click()  # the second click confirms
        try:
            host.wait_for_selector(f".debrief-{lang}", timeout=120_000)
        except Exception:
            raise AssertionError("no debrief link; server said: " + s.log()[-3000:]) from None
        for page in pages.values():
            page.wait_for_selector(f".debrief-{lang}", timeout=WAIT_MS)
        report = hctx.new_page()
        resp = report.goto(f"{s.base}/debrief/report-{lang}.html")
        assert resp.status == 200
        report.wait_for_load_state("load")
        images = report.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
        assert len(images) >= 2 and all(done and width > 0 for done, width in images)
        text = report.inner_text("body")
        mine = (
            ("Your region", "Your decisions in 2 worlds") if lang == "en" else ("你们的区域", "你们的决策在 2 个世界中")
        )
        assert "互利·同强·齐荣" in text and all(words in text for words in mine)  # serving.py: --worlds 2
        # a participant's browser may read the debrief too
        assert pages["firm-0"].context.new_page().goto(f"{s.base}/debrief/report-{lang}.html").status == 200
        for c in (*ctxs.values(), hctx):
            c.close()
    assert offline.foreign == []
    # acceptance 3 on the played room: the replay gives the same summary, byte for byte
    r = subprocess.run(
        [sys.executable, "-m", "sim", "workshop", "replay", str(out), "--out", str(tmp_path / "replay")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0 and "byte-identical" in r.stdout, r.stderr
    log = pd.read_csv(out / "decisions.csv", dtype=str)
    # claiming a firm seat logs that the firm decides its partnerships itself (docs/odd.md §11)
    claims = log[log["lever"] == "partnership:leave_by_rule"]
    assert sorted(claims[["round", "seat", "value"]].values.tolist()) == [
        ["0", "firm:0", "false"],
        ["0", "firm:1", "false"],
    ]
    log = log[log["lever"] != "partnership:leave_by_rule"]
    assert log[["round", "seat", "lever", "value"]].values.tolist() == [
        ["0", "school:0", "communication.depth", "0.9"],
        ["0", "school:1", "goal_alignment.weight", "0.7"],
        ["0", "firm:0", "firm_support.intern_allowance", "4.0"],
        ["0", "firm:1", "firm_support.mentors_per_firm", "6"],
        ["1", "school:0", "communication.depth", "0.5"],
        ["1", "school:1", "goal_alignment.weight", "0.4"],
    ]
