"""The workshop's pages on a phone (390 × 844, headless Chromium; docs/odd.md §7.8, §11).

The debrief every participant's phone gets: no sideways scrolling on its first screen, body text at least
14 CSS px, the strategies as one labelled card each.  A seat's page: Submit is inside the first screen
without scrolling and nothing is drawn over it (the element at its centre is the button), for a school's
short form and a firm's long one, before and after a refusal, and wherever the form is scrolled to.

With SESIM_PHONE_SCREENSHOTS=1 (or SESIM_UPDATE_SCREENSHOTS=1) the first screens checked are written to
docs/screenshots/debrief-phone.png and seat-phone.png.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sim.apps.workshop.debrief import played_from_room, write_debrief
from sim.apps.workshop.room import Room
from tests.apps.workshop.serving import ROOT, workshop
from tests.apps.workshop.test_browser import PHONE, WAIT_MS, browser, set_text, submit, wait_year  # noqa: F401
from tests.apps.workshop.test_debrief import SEED, play

SHOTS = os.environ.get("SESIM_PHONE_SCREENSHOTS") == "1" or os.environ.get("SESIM_UPDATE_SCREENSHOTS") == "1"
MIN_FONT_PX = 14  # body text on a phone
MAX_SHOT_BYTES = 300_000

pytestmark = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium")


def keep_shot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=False)  # the first screen only
    assert 10_000 < path.stat().st_size < MAX_SHOT_BYTES
    if SHOTS:
        shutil.copy(path, ROOT / "docs" / "screenshots" / name)


DEBRIEF_JS = """() => {
    const cards = Array.from(document.querySelectorAll('table.strategies tbody tr'));
    return {
        scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
        font: parseFloat(getComputedStyle(document.body).fontSize),
        heads: document.querySelector('table.strategies').querySelectorAll('thead th').length - 2,
        head_shown: getComputedStyle(document.querySelector('table.strategies thead')).display,
        cards: cards.map(r => ({display: getComputedStyle(r).display, right: r.getBoundingClientRect().right,
            labels: Array.from(r.querySelectorAll('td.num')).map(td => [td.dataset.label || '',
                getComputedStyle(td, '::before').content])})),
        images: Array.from(document.images).map(i => i.getBoundingClientRect().right),
    };
}"""


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_debrief_on_a_phone(browser, tmp_path, lang):  # noqa: F811
    room = play(Room("baseline", schools=2, firms=4, rounds=3, lang=lang, seed=SEED))
    out = write_debrief(played_from_room(room), tmp_path / "debrief", ["test"], worlds=2)
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto((out / f"report-{lang}.html").as_uri())
    page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    got = page.evaluate(DEBRIEF_JS)
    assert got["inner"] == PHONE["width"] and got["scroll"] <= got["inner"], got
    assert got["font"] >= MIN_FONT_PX, got
    assert got["head_shown"] == "none" and len(got["cards"]) >= 2, got
    for card in got["cards"]:
        assert card["display"] == "block" and card["right"] <= PHONE["width"], card
        assert len(card["labels"]) == got["heads"], card
        assert all(label and before == f'"{label}"' for label, before in card["labels"]), card
    assert got["images"] and all(right <= PHONE["width"] for right in got["images"]), got["images"]
    if lang == "en":
        keep_shot(page, tmp_path, "debrief-phone.png")
    page.close()


SUBMIT_JS = """() => {
    const b = document.querySelector('.submit');
    const r = b.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: window.innerWidth,
            height: window.innerHeight, hit: b.contains(hit), hitName: hit ? hit.outerHTML.slice(0, 120) : null,
            scrollY: window.scrollY, form: document.documentElement.scrollHeight};
}"""


def check_submit(page) -> dict:
    """Submit lies wholly inside the screen and the element at its centre is the button (or inside it)."""
    got = page.evaluate(SUBMIT_JS)
    assert 0 <= got["top"] and got["bottom"] <= got["height"], got
    assert 0 <= got["left"] and got["right"] <= got["width"], got
    assert got["hit"], got
    return got


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_submit_is_always_reachable_on_a_seat_page(browser, tmp_path, lang):  # noqa: F811
    with workshop(tmp_path / "ws", "--schools", "2", "--firms", "4", "--rounds", "3", "--lang", lang) as s:
        for seat, lever, bad, good in (
            ("firm-0", ".lever-firm_support-mentors_per_firm", "999", "6"),
            ("school-0", ".lever-communication-depth", "1.5", "0.9"),
        ):
            ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
            page = ctx.new_page()
            page.goto(s.join_url)
            page.click(f"button[data-seat='{seat}']")
            page.wait_for_selector(".seen-card", timeout=WAIT_MS)
            wait_year(page, 1, lang)
            page.wait_for_timeout(1000)  # anything Solara draws late (its banner was one) has been drawn
            first = check_submit(page)
            assert first["scrollY"] == 0 and first["form"] > PHONE["height"], first  # a form longer than a screen
            if seat == "school-0" and lang == "en":
                keep_shot(page, tmp_path, "seat-phone.png")
            # wherever the form is scrolled to, and with a refusal shown above it
            page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
            check_submit(page)
            set_text(page, lever, bad)
            page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
            assert submit(page, lang) != "accepted"
            check_submit(page)
            # the bar's last line of the form is not hidden behind it: the page ends below the bar's top
            last = page.evaluate(
                "(() => { const f = document.querySelectorAll('.decisions-card input');"
                " return f[f.length - 1].getBoundingClientRect().bottom; })()"
            )
            bar_top = page.evaluate("document.querySelector('.submit-bar').getBoundingClientRect().top")
            assert last <= bar_top, (last, bar_top)
            set_text(page, lever, good)
            assert submit(page, lang) == "accepted"
            check_submit(page)
            ctx.close()
