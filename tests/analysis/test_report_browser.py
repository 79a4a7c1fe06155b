"""The reports in a real headless Chromium (Debian's chromium + Playwright).

A small comparison (four strategies) and a small uncertainty comparison, each in English and
Chinese: every image loads; every verdict cell's rendered colour agrees with the interval printed
in it (green or red exactly when the interval excludes 0 on the better or the worse side, grey when
it includes 0); the first figure starts within the first two screens; the Chinese reports have no
English table header (metric keys in <code> aside).

On a phone (390 × 844, docs/odd.md §7.8): no report scrolls sideways on its first screen, body text is at
least 14 CSS px, the ranking is one card per strategy whose every value is labelled by its column, and a wide
table scrolls inside its own box.

Screenshots go to the test's tmp folder.  With SESIM_UPDATE_SCREENSHOTS=1 the test runs the README's
commands at full size instead (all eleven strategies, 10 replicates; three strategies over 32
plausible worlds; a few minutes on two cores) and writes docs/report.png, docs/report-zh.png and
docs/report-uncertainty.png.  With SESIM_PHONE_SCREENSHOTS=1 (or SESIM_UPDATE_SCREENSHOTS=1) the phone test
writes the first screens it checks to docs/screenshots/report-phone.png and report-uncertainty-phone.png.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.analysis.test_report import TINY, TINY_SETS, expected_world_class, hand_explain

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
UPDATE = os.environ.get("SESIM_UPDATE_SCREENSHOTS") == "1"
PHONE_SHOTS = UPDATE or os.environ.get("SESIM_PHONE_SCREENSHOTS") == "1"
VIEWPORT = {"width": 1280, "height": 1000}
PHONE = {"width": 390, "height": 844}
MIN_FONT_PX = 14  # body text on a phone
MAX_SHOT_BYTES = 300_000
SHOT_VIEWPORT = {"width": 1280, "height": 1500}  # the README's picture: the first screen and the figures' start
COLOURS = {
    "good": "rgb(26, 127, 55)",
    "bad": "rgb(179, 38, 30)",
    "flat": "rgb(102, 102, 102)",
    "none": "rgb(102, 102, 102)",
    "few": "rgb(102, 102, 102)",
    "negligible": "rgb(59, 110, 165)",
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (installed by .ci/run)"),
]


def sesim(*args: str) -> None:
    r = subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """report.html of a comparison and of an uncertainty comparison, in English and Chinese."""
    base = tmp_path_factory.mktemp("reports")
    if UPDATE:
        sesim("compare", "all", "--seeds", "10", "--workers", "2", "--lang", "en", "--out", str(base / "en"))
        sesim("compare", "all", "--seeds", "10", "--workers", "2", "--lang", "zh", "--out", str(base / "zh"))
        sesim(
            "compare",
            "baseline",
            "huli_tongqiang_qirong",
            "party_led",
            "--uncertainty",
            "assumptions",
            "--draws",
            "32",
            "--workers",
            "2",
            "--lang",
            "en",
            "--out",
            str(base / "unc-en"),
        )
    else:
        from analysis.compare import run_comparison
        from analysis.publish import write_comparison
        from sim import load_scenario

        scns = [load_scenario(n, TINY) for n in ("baseline", "communication", "craftsman", "huli_tongqiang_qirong")]
        comp = run_comparison(scns, "baseline", seeds=4, workers=2, progress=False)
        for lang in ("en", "zh"):
            write_comparison(comp, base / lang, lang, ["test"], time.time())
        sesim(
            "compare",
            "baseline",
            "craftsman",
            "huli_tongqiang_qirong",
            "--uncertainty",
            "assumptions",
            "--draws",
            "6",
            "--workers",
            "2",
            "--lang",
            "en",
            "--out",
            str(base / "unc-en"),
            *TINY_SETS,
        )
    from analysis.publish import write_uncertainty_report as write_report

    shutil.copytree(base / "unc-en", base / "unc-zh")
    write_report(base / "unc-zh", "zh", explain=hand_explain(base))
    return {k: base / k / "report.html" for k in ("en", "zh", "unc-en", "unc-zh")}


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"])
        yield b
        b.close()


def open_report(browser, path: Path, viewport: dict = VIEWPORT):
    page = browser.new_page(viewport=viewport)
    page.goto(path.as_uri(), timeout=60_000)
    page.wait_for_load_state("load")
    page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)", timeout=60_000)
    return page


VERDICTS_JS = """Array.from(document.querySelectorAll('td.verdict')).map(td => ({
    cls: td.classList[1], low: td.dataset.low, high: td.dataset.high, better: td.dataset.better,
    margin: td.dataset.margin || "", draws: td.dataset.draws ? {"data-draws": td.dataset.draws,
    "data-better-draws": td.dataset.betterDraws, "data-worse-draws": td.dataset.worseDraws} : null,
    colour: getComputedStyle(td).color, text: td.textContent}))"""
HEADERS_JS = """Array.from(document.querySelectorAll('th')).map(th => {
    const c = th.cloneNode(true); c.querySelectorAll('code').forEach(e => e.remove()); return c.textContent; })"""


def check_page(page, n_images: int, lang: str) -> None:
    images = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
    assert len(images) == n_images and all(done and width > 0 for done, width in images), images
    first_image = page.evaluate("document.images[0].getBoundingClientRect().top + window.scrollY")
    assert first_image < 2 * VIEWPORT["height"], first_image  # figures within the first two screens
    verdicts = page.evaluate(VERDICTS_JS)
    assert verdicts
    for v in verdicts:
        lo, hi = (float(x) if x else float("nan") for x in (v["low"], v["high"]))
        mg = float(v["margin"]) if v["margin"] else 0.0
        if v["draws"]:
            expect = expected_world_class(v)
        elif lo != lo:
            expect = "none"
        elif -mg < lo and hi < mg:
            expect = "negligible"
        elif lo <= 0 <= hi:
            expect = "flat"
        else:
            expect = "good" if (lo > 0) == (v["better"] == "higher") else "bad"
        assert v["cls"] == expect and v["colour"] == COLOURS[expect], v
        if expect not in ("none", "few"):  # the interval printed is the one coloured
            shown = re.findall(r"\[([-+0-9.,]+), ([-+0-9.,]+)\]", v["text"])[-1]
            a, b = (float(x.replace(",", "")) for x in shown)
            if re.match(r"\s*(lowers|\S*降低)", v["text"]):
                a, b = -b, -a
            # printed with the decimals of the interval's width (docs/odd.md §7.8): half a step of the last one
            tol = 0.5001 * 10.0 ** -max(len(x.split(".")[1]) if "." in x else 0 for x in shown)
            assert abs(a - lo) <= tol and abs(b - hi) <= tol, v
    if lang == "zh":
        english = [h for h in page.evaluate(HEADERS_JS) if re.search(r"[A-Za-z]", h)]
        assert not english, english


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_comparison_report(reports, browser, lang, tmp_path):
    page = open_report(browser, reports[lang])
    check_page(page, 4, lang)
    assert page.inner_text("h2 >> nth=0") == ("一览" if lang == "zh" else "At a glance")
    page.close()
    shot(browser, reports[lang], tmp_path, "report.png" if lang == "en" else "report-zh.png")


@pytest.mark.parametrize("lang", ["unc-en", "unc-zh"])
def test_uncertainty_report(reports, browser, lang, tmp_path):
    page = open_report(browser, reports[lang])
    check_page(page, 2, "zh" if lang == "unc-zh" else "en")
    text = page.inner_text("body")
    assert ("把握有多大" in text and "效果从何而来" in text) if lang == "unc-zh" else "How sure are we?" in text
    page.close()
    if lang == "unc-en":
        shot(browser, reports[lang], tmp_path, "report-uncertainty.png")


def shot(browser, report: Path, tmp_path: Path, name: str) -> None:
    page = open_report(browser, report, SHOT_VIEWPORT)
    path = tmp_path / name
    page.screenshot(path=str(path))
    page.close()
    assert path.stat().st_size > 50_000
    if UPDATE:
        shutil.copy(path, ROOT / "docs" / name)


PHONE_JS = """() => {
    const glance = document.querySelector('table.glance');
    const rows = Array.from(glance.querySelectorAll('tr')).filter(r => getComputedStyle(r).display !== 'none');
    const wide = Array.from(document.querySelectorAll('table:not(.glance)')).filter(t => t.scrollWidth > t.clientWidth + 1);
    return {
        scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
        font: parseFloat(getComputedStyle(document.body).fontSize),
        glanceRight: glance.getBoundingClientRect().right,
        cards: rows.map(r => ({display: getComputedStyle(r).display, right: r.getBoundingClientRect().right,
            labels: Array.from(r.querySelectorAll('td.cell')).map(td => [td.dataset.label || '',
                getComputedStyle(td, '::before').content])})),
        heads: glance.querySelectorAll('th').length - 2,
        wide: wide.map(t => [getComputedStyle(t).overflowX, t.getBoundingClientRect().right]),
        images: Array.from(document.images).map(i => i.getBoundingClientRect().right),
    };
}"""


def check_phone(page) -> None:
    """The first screen at phone size: nothing sideways, readable text, a labelled card per strategy."""
    got = page.evaluate(PHONE_JS)
    assert got["inner"] == PHONE["width"] and got["scroll"] <= got["inner"], got
    assert got["font"] >= MIN_FONT_PX, got
    assert got["glanceRight"] <= PHONE["width"], got
    assert len(got["cards"]) >= 3  # the baseline and at least two strategies, header row hidden
    for card in got["cards"]:
        assert card["display"] == "block" and card["right"] <= PHONE["width"], card
        assert len(card["labels"]) == got["heads"], card  # a value per headline metric
        for label, before in card["labels"]:
            assert label and before == f'"{label}"', card  # each value shown with its column's name
    assert all(right <= PHONE["width"] for right in got["images"]), got["images"]  # figures scale down
    for overflow, right in got["wide"]:  # a table wider than the screen scrolls inside its box
        assert overflow == "auto" and right <= PHONE["width"], got["wide"]


@pytest.mark.parametrize("lang", ["en", "zh", "unc-en", "unc-zh"])
def test_reports_on_a_phone(reports, browser, lang, tmp_path):
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(reports[lang].as_uri(), timeout=60_000)
    page.wait_for_load_state("load")
    page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)", timeout=60_000)
    check_phone(page)
    name = {"en": "report-phone.png", "unc-en": "report-uncertainty-phone.png"}.get(lang)
    if name:
        path = tmp_path / name
        page.screenshot(path=str(path), full_page=False)  # the first screen only
        assert 10_000 < path.stat().st_size < MAX_SHOT_BYTES
        if PHONE_SHOTS:
            shutil.copy(path, ROOT / "docs" / "screenshots" / name)
    page.close()
