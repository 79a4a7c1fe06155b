"""The one message catalogue (sim/i18n.py): every message in both languages, the same placeholders in
each, Chinese where the English has words, one key per message; the reports, the command line, the
dashboard and the workshop read it and no other table."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from sim import i18n
from sim.i18n import MESSAGES, t, tf

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")
LETTERS = re.compile(r"[A-Za-z]")
FAMILIES = ("dash.", "ws.", "debrief.", "section.", "lever.", "choice.", "unit.", "mechanism.")
# messages whose Chinese needs no Chinese character: punctuation, and the language switch, which names
# the other language in that language
NO_CJK = {"ws.language"}


def fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


@pytest.mark.parametrize("key", list(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(key):
    en, zh = MESSAGES[key]
    assert isinstance(en, str) and isinstance(zh, str) and en.strip() and zh.strip(), key
    assert fields(en) == fields(zh), key
    words = LETTERS.search(re.sub(r"\{\w*\}", "", en))
    if words and key not in NO_CJK:
        assert CJK.search(zh), key
    assert not CJK.search(re.sub(r"\(.*?\)|（.*?）|互利·同强·齐荣|互利|高职院校", "", en)) or key in NO_CJK, key


def test_keys_name_their_app_and_each_message_is_said_once():
    """Unprefixed keys are the reports' and the command line's and words several apps share; the
    others name the app or the family of names they belong to.  Two keys never carry the same pair of
    texts: a word the apps share has one key."""
    for key in MESSAGES:
        prefix = key.split(".")[0] + "." if "." in key else ""
        assert prefix in ("", *FAMILIES), key
    messages = {
        k: v for k, v in MESSAGES.items() if not k.startswith(("section.", "lever.", "choice.", "unit.", "mechanism."))
    }
    seen: dict[tuple[str, str], str] = {}
    for key, pair in messages.items():
        assert pair not in seen, (key, seen.get(pair))
        seen[pair] = key


def test_lookup():
    assert t("dash.month_of", "zh", month=3, horizon=12) == "第 3 月 / 共 12 月"
    assert t("dash.month_of", "en") == "Month {month} of {horizon}"  # no values: the text as it is
    assert tf("cli_report", "en", path="x/report.html") == "report: x/report.html"
    assert t("pause", "fr") == "Pause"  # any other language: English
    with pytest.raises(KeyError):
        t("no_such_message", "en")


def test_no_other_translation_table():
    """One catalogue: no other module of sim/ or analysis/ keeps an (English, 中文) table."""
    table = re.compile(r"^\w+: dict\[str, tuple\[str, str\]\] = \{", re.M)
    holders = [
        str(p.relative_to(ROOT))
        for d in ("sim", "analysis")
        for p in sorted((ROOT / d).rglob("*.py"))
        if table.search(p.read_text(encoding="utf-8"))
    ]
    assert holders == ["sim/i18n.py"]
    assert i18n.LANGS == ("en", "zh")


def test_every_key_the_code_asks_for_is_in_the_catalogue():
    """A literal key in a t(...)/tf(...) call of sim/ or analysis/, the report templates included
    (analysis/templates/*.html, docs/odd.md §7.8), names a message (a key dropped or renamed in the
    catalogue fails here, not on a page)."""
    call = re.compile(r"(?<![\w.])tf?\((['\"])([\w.]+)\1")
    files = [p for d in ("sim", "analysis") for p in (ROOT / d).rglob("*.py")]
    templates = sorted((ROOT / "analysis" / "templates").glob("*.html"))
    asked = {
        (str(p.relative_to(ROOT)), m.group(2))
        for p in files + templates
        for m in call.finditer(p.read_text(encoding="utf-8"))
    }
    assert len({a for a in asked if a[0].endswith(".html")}) > 80
    assert len(asked) > 250
    assert [a for a in asked if a[1] not in MESSAGES] == []
