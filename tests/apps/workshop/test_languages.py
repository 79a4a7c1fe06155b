"""Every word of the workshop's seat and facilitator pages, and every refusal they show, in the page's
language, from the one message catalogue (sim/i18n.py; docs/odd.md §11, §7.8).

Without a browser: the levers' ranges carry their unit once, in both languages; a value is checked as it is
typed (the box's line says why Submit would refuse it); the room's refusals and the page's own are said in
the language the page shows when it draws them, also after a switch of language; the pages' code hands the
widgets no English of its own.  In a headless Chromium (phone-sized seat, projector-sized facilitator): a
Chinese seat page and facilitator page show no English word, before and after a refusal, a switch of
language and the end of the game; after End the facilitator's page has only what can still act.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from sim.apps.dashboard import logic
from sim.apps.workshop import app
from sim.apps.workshop.room import Room, refusal, seat_label
from sim.i18n import LANG_NAMES, LANGS, MESSAGES, t
from sim.inputs import Refusal
from sim.scenario import ScenarioError
from tests.apps.workshop.serving import workshop
from tests.apps.workshop.test_browser import PHONE, PROJECTOR, WAIT_MS, browser, set_text, submit  # noqa: F401
from tests.apps.workshop.test_phone import SHOTS, keep_shot

ROOT = Path(__file__).resolve().parents[3]
CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]{2,}")
SEED = 3


def english_words(text: str, *allowed: str) -> list[str]:
    """The Latin words of ``text`` a Chinese page should not show (``allowed``: a room's code, names)."""
    known = {w.casefold() for w in ("sesim", LANG_NAMES["en"], *allowed)}  # buttons may show them in capitals
    return [w for w in WORD.findall(text) if w.casefold() not in known]


# ------------------------------------------------------------------ ranges and units
@pytest.mark.parametrize("c", logic.controls(logic.POLICY_SECTIONS + logic.WORLD_SECTIONS), ids=lambda c: c.key)
def test_a_levers_range_says_its_unit_once_in_each_language(c):
    for lang in LANGS:
        allowed = c.allowed(lang)
        unit = logic.unit_label(c.unit, lang)
        if c.kind in ("int", "float"):
            assert (allowed.count(unit) == 1) if unit else ("(" not in allowed and "（" not in allowed), allowed
        assert "0..1 (0..1)" not in allowed and "(integer)" not in allowed
        if lang == "zh" and c.kind in ("int", "float"):
            assert not english_words(allowed), allowed
    if c.unit not in logic.UNITS_SAID_BY_RANGE:  # a unit the range does not say is said in both languages
        assert logic.unit_key(c.unit) in MESSAGES, c.unit
        assert CJK.search(c.allowed("zh")), c.allowed("zh")


def test_the_allowance_box_says_thousand_yuan_a_month_in_chinese():
    (c,) = [c for c in logic.controls(("firm_support",)) if c.key == "firm_support.intern_allowance"]
    assert c.allowed("zh") == "0..10（千元/月）"
    assert c.allowed("en") == "0..10 (thousand yuan per month)"
    assert c.label("zh") == "实习补贴"  # the unit once: in the range under the box, not in its label too


# ------------------------------------------------------------------ checked as one types
@pytest.fixture(scope="module")
def room():
    return Room("baseline", schools=1, firms=2, rounds=2, seed=SEED)


@pytest.fixture(scope="module")
def firm(room):
    seat, secret = room.claim(room.token, "firm:0")
    return seat, secret, room.seat_view(seat, secret)


@pytest.fixture(scope="module")
def school(room):
    seat, secret = room.claim(room.token, "school:0")
    return seat, secret, room.seat_view(seat, secret)


def test_a_box_says_as_one_types_that_a_value_out_of_range_would_be_refused(room, school, firm):
    most = app.hire_most(room)
    for lang in LANGS:
        view = school[2]
        error = app.draft_error(view, "communication.depth", "1.5", most, lang)
        assert error and "0..1" in error and t("refused", lang) in error, error
        assert app.draft_error(view, "communication.depth", "0.5", most, lang) is None
        assert app.draft_error(view, "communication.depth", "", most, lang)  # an emptied box is refused too
        view = firm[2]
        error = app.draft_error(view, "firm_support.intern_allowance", "12", most, lang)
        assert error and t("unit.thousand_yuan_per_month", lang) in error, error
        error = app.draft_error(view, "hiring:graduates", "9999", most, lang)
        assert error and f"0..{most}" in error and t("ws.out_of_range", lang, text="9999") in error, error
        assert app.draft_error(view, "hiring:graduates", "2.5", most, lang)
    zh = app.draft_error(school[2], "communication.depth", "1.5", most, "zh")
    assert not english_words(zh), zh


@pytest.mark.parametrize("typed", ["rule", "Rule ", "规则", " 规则"])
def test_graduates_to_hire_takes_the_rules_word_in_either_language(room, firm, typed):
    most = app.hire_most(room)
    for lang in LANGS:
        assert app.parse_draft(firm[2], {"hiring:graduates": typed}, lang, most) == {"hiring:graduates": "rule"}
        assert app.draft_error(firm[2], "hiring:graduates", typed, most, lang) is None
    assert app.hire_shown("rule", "zh") == "规则" and app.hire_shown(3, "zh") == "3"


def test_a_chinese_rule_word_is_submitted_as_the_rule(room, firm):
    seat, secret, view = firm
    changed, refusal_line = app.submit_draft(room, seat, secret, view, {"hiring:graduates": "3"}, "zh")
    assert refusal_line is None and changed == ["hiring:graduates"]
    changed, refusal_line = app.submit_draft(room, seat, secret, view, {"hiring:graduates": "规则"}, "zh")
    assert refusal_line is None and changed == ["hiring:graduates"]  # back to the rule in force: withdrawn
    assert room.current_levers(seat)["hiring:graduates"] == "rule"


# ------------------------------------------------------------------ refusals in the page's language
def test_a_refusal_shown_before_a_switch_of_language_is_said_again_in_the_new_one(room, school):
    seat, secret, view = school
    answer = app.answer_draft(room, seat, secret, view, {"communication.depth": "1.5"}, "en")
    assert answer.changed is None
    en, zh = answer.text("en"), answer.text("zh")
    assert "depth of talk" in en, en
    assert "Refused" in en and "已拒绝" in zh and "沟通深度" in zh, (en, zh)
    assert not english_words(zh), zh
    accepted = app.answer_draft(room, seat, secret, view, {"communication.depth": "0.8"}, "en")
    assert accepted.changed == ("communication.depth",)
    assert accepted.text("zh") == t("ws.accepted", "zh", n=1, year=1)


def test_the_rooms_refusals_are_said_in_each_language(room, school):
    seat, secret, view = school
    room.set_paused(True)
    try:
        answer = app.answer_draft(room, seat, secret, view, {"communication.depth": "0.6"}, "zh")
    finally:
        room.set_paused(False)
    assert answer.changed is None
    zh, en = answer.text("zh"), answer.text("en")
    assert "主持人已暂停" in zh and seat_label(seat, "zh") in zh and not english_words(zh), zh
    assert "paused" in en and seat_label(seat, "en") in en, en
    # a year played meanwhile; a device without the seat's secret
    stale = {**view, "round": view["round"] + 1}
    zh = app.answer_draft(room, seat, secret, stale, {"communication.depth": "0.6"}, "zh").text("zh")
    assert "重新决策" in zh and not english_words(zh), zh
    zh = app.answer_draft(room, seat, "not-the-secret", view, {}, "zh").text("zh")
    assert "密钥" in zh and not english_words(zh), zh


def test_joining_is_refused_in_each_language():
    full = Room("baseline", schools=1, firms=1, rounds=1, seed=SEED)
    full.claim(full.token, "school:0")
    full.claim(full.token, "firm:0")
    for args, word in (
        ((full.token, None), "所有席位"),
        ((full.token, "school:0"), "已有人"),
        (("wrong", None), "令牌"),
    ):
        with pytest.raises(Refusal) as e:
            full.claim(*args)
        assert word in e.value.text("zh") and not english_words(e.value.text("zh")), e.value.text("zh")
        assert not CJK.search(str(e.value)), str(e.value)  # the terminal's line stays English


def test_a_refusal_names_seats_and_levers_as_the_page_does():
    r = refusal("ws.refuse_party_lever", seat="school:1", lever="party_building.alliance")
    assert r.text("zh") == "学校 2：本房间中党建联盟由学校党组织设定"
    assert str(r) == "School 2: party alliance is set by the school's party branch in this room"
    assert isinstance(r, ScenarioError)


def test_every_refusal_the_room_raises_is_in_the_catalogue():
    source = (ROOT / "sim" / "apps" / "workshop" / "room.py").read_text(encoding="utf-8")
    keys = re.findall(r"refusal\(\s*\"([\w.]+)\"", source) + re.findall(r"\"(ws\.refuse_[\w]+)\"", source)
    assert len(set(keys)) >= 12
    assert [k for k in keys if k not in MESSAGES] == []
    refuse_keys = {k for k in MESSAGES if k.startswith("ws.refuse_")}
    assert refuse_keys <= set(keys), refuse_keys - set(keys)  # and the catalogue keeps none the room no longer says


# ------------------------------------------------------------------ the pages' code hands the widgets only catalogue words
WIDGETS = {"Text", "Button", "Error", "Warning", "Info", "Success", "Title", "HTML", "InputText", "Switch", "Select"}
TEXT_ARGS = {"label", "unsafe_innerHTML", "message", "error", "title"}
LOOKUPS = {"t", "tf", "seat_label", "said", "hire_allowed", "hire_shown"}
NOT_WORDS = re.compile(r"</?[a-z]+(?: [^>]*)?>|&\w+;")  # markup


def shown_literals(node: ast.AST) -> list[str]:
    """The string literals with letters in a widget's text argument that do not come from a lookup."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in LOOKUPS:
        return []
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("text", "escape"):
        return [s for a in node.args for s in shown_literals(a)]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if english_words(NOT_WORDS.sub("", node.value), "class", "join", "url") else []
    return [s for child in ast.iter_child_nodes(node) for s in shown_literals(child)]


def test_the_seat_and_facilitator_pages_take_every_word_from_the_catalogue():
    """Each text a widget of sim/apps/workshop/app.py shows (its label, text, message, inner HTML) is a
    catalogue lookup, a number, or markup: no English literal that a Chinese page would show."""
    tree = ast.parse((ROOT / "sim" / "apps" / "workshop" / "app.py").read_text(encoding="utf-8"))
    widgets, found = 0, []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if not (isinstance(node.func.value, ast.Name) and node.func.value.id == "solara"):
            continue
        if node.func.attr not in WIDGETS:
            continue
        widgets += 1
        args = node.args[:1] + [k.value for k in node.keywords if k.arg in TEXT_ARGS]
        found += [(node.lineno, s) for a in args for s in shown_literals(a)]
    assert widgets > 30
    assert found == []


def test_the_seen_table_and_the_seat_names_are_chinese_on_a_chinese_page(room, firm, school):
    for _, _, view in (firm, school):
        for row in app.seen_rows(view, "zh"):
            assert not english_words(" ".join(row)), row
    assert not english_words(seat_label("party:0", "zh") + seat_label("firm:3", "zh"))


# ------------------------------------------------------------------ in a browser: a Chinese room
PAGE_TEXT_JS = """(skip) => {
    let text = document.body.innerText;
    document.querySelectorAll(skip).forEach(e => { text = text.split(e.innerText).join(' '); });
    return document.title + ' ' + text;
}"""
PATHS = ".join-url, .journal-at, .debrief-at"  # the addresses and folders the facilitator's page names


def page_words(page, code: str) -> list[str]:
    return english_words(page.evaluate(PAGE_TEXT_JS, PATHS), code)


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium")
def test_a_chinese_room_shows_no_english_word_and_an_ended_game_only_what_can_act(browser, tmp_path):  # noqa: F811
    with workshop(tmp_path / "ws", "--schools", "1", "--firms", "2", "--rounds", "1", "--lang", "zh") as s:
        host = browser.new_context(viewport=PROJECTOR).new_page()
        host.goto(s.host_url)
        host.wait_for_selector(".advance", timeout=WAIT_MS)
        page = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
        page.goto(s.join_url)
        page.click("button[data-seat='firm-0']")
        page.wait_for_selector(".seen-card", timeout=WAIT_MS)
        page.wait_for_selector(".year-status:has-text('第 1 年 / 共 1 年')", timeout=WAIT_MS)
        allowance = ".lever-firm_support-intern_allowance"
        assert page.inner_text(f"{allowance} .v-messages") == "允许范围 0..10（千元/月）"
        assert page.inner_text(f"{allowance} label") == "实习补贴"
        # typed, neither Enter nor Submit: the box says it would be refused, and why
        page.locator(f"{allowance} input").fill("12")
        page.wait_for_selector(f"{allowance} .v-messages:has-text('已拒绝')", timeout=WAIT_MS)
        assert "0..10" in page.inner_text(f"{allowance} .v-messages")
        # a box brought into view (as a phone does for the field being typed in) is not behind the Submit bar
        page.locator(f"{allowance} .v-messages").scroll_into_view_if_needed()
        bottom = page.evaluate(f"document.querySelector('{allowance} .v-messages').getBoundingClientRect().bottom")
        assert bottom <= page.evaluate("document.querySelector('.submit-bar').getBoundingClientRect().top")
        if SHOTS:
            keep_shot(page, tmp_path, "seat-phone-typing-zh.png")
        assert page_words(page, s.code) == []
        refusal = submit(page, "zh")
        assert "已拒绝" in refusal and "实习补贴" in refusal and not english_words(refusal), refusal
        # the refusal follows the page into English and back
        page.click(".language-switch")
        page.wait_for_selector(".refusal:has-text('Refused')", timeout=WAIT_MS)
        assert "intern allowance" in page.inner_text(".refusal")
        page.click(".language-switch")
        page.wait_for_selector(".refusal:has-text('已拒绝')", timeout=WAIT_MS)
        set_text(page, allowance, "4")
        set_text(page, ".decision-hire", "规则")
        set_text(page, ".decision-hire", "3")
        assert submit(page, "zh") == "accepted"
        assert page_words(page, s.code) == []
        host.wait_for_selector(".submitted-count:has-text('已有 1 位')", timeout=WAIT_MS)
        assert page_words(host, s.code) == []
        # the only year played: the facilitator's page keeps End and drops what can no longer act
        host.locator(".advance").click()
        host.wait_for_selector(".advance", state="detached", timeout=WAIT_MS)
        for gone in (".pause", ".submitted-count", ".timer"):
            assert host.locator(gone).count() == 0, gone
        host.locator(".end").click()
        host.locator(".end").click()
        try:
            host.wait_for_selector(".debrief-zh", timeout=120_000)
        except Exception:
            raise AssertionError("no debrief link; server said: " + s.log()[-3000:]) from None
        for gone in (".advance", ".pause", ".end", ".submitted-count", ".timer"):
            assert host.locator(gone).count() == 0, gone
        assert host.locator(".debrief-en").count() == 1
        assert page_words(host, s.code) == []
        page.wait_for_selector(".debrief-zh", timeout=WAIT_MS)
        assert page.locator(".submit").count() == 0 and page_words(page, s.code) == []
