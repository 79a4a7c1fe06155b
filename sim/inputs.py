"""Reading what a user gives sesim without a traceback: how a refusal quotes the input, and the
bounds on what the TOML parser is handed.

Every refusal is one line (:class:`ScenarioError`); the user's input in it goes through
:func:`shown`, cut to about :data:`MAX_SHOWN` characters.  TOML text from a file, a ``--set`` or
``--free`` flag, a decision log or a workshop page is parsed by :func:`parse_toml` /
:func:`parse_toml_value`, which refuse in one line what ``tomllib`` cannot take: an integer of more
decimal digits than Python reads (4300 by default), brackets nested deeper than :data:`MAX_NESTING`
(``tomllib`` recurses once per bracket, so a few thousand exhaust Python's stack).
"""

from __future__ import annotations

import math
import re
import sys
import tomllib
from typing import Any, Callable

MAX_NESTING = 32  # brackets and braces one inside another: sesim's files nest three deep at most
MAX_SHOWN = 80  # characters of the user's input a refusal quotes
LOG10_2 = math.log10(2)


class ScenarioError(ValueError):
    """A bad scenario or override: the message is one line for the user."""


class Refusal(ScenarioError):
    """A refusal a page says in its own language: ``text(lang)`` builds the line from the message
    catalogue (sim/i18n.py) each time it is asked, so a page switched to another language says it again
    in that one; ``str()`` is the line in ``lang`` (English for the terminal and the logs)."""

    def __init__(self, say: Callable[[str], str], lang: str = "en") -> None:
        self.say = say
        super().__init__(say(lang))

    def text(self, lang: str) -> str:
        return self.say(lang)


def shown(value: Any, raw: bool = False) -> str:
    """The user's input as a refusal quotes it: its ``repr`` (with ``raw``, the text itself), cut to
    about :data:`MAX_SHOWN` characters, so that a 100,000-character value makes a short line.

    Safe on anything a parser hands back: an integer too long to print in decimal (past Python's
    limit of digits) is described by its length, a structure too deep to print by its depth."""
    if type(value).__module__ == "numpy" and getattr(value, "ndim", None) == 0:
        value = value.item()  # a number read from a table: shown as Python shows it
    if isinstance(value, int) and not isinstance(value, bool) and too_many_digits(value):
        return f"<an integer of about {digits(value)} digits>"
    try:
        text = str(value) if raw else repr(value)
    except RecursionError:
        return "<a value nested too deep to show>"
    except ValueError:  # an integer past the limit of digits, somewhere inside
        return "<a value too long to show>"
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def digits(n: int) -> int:
    """About how many decimal digits ``n`` has (without printing it)."""
    return int(abs(n).bit_length() * LOG10_2) + 1


def too_many_digits(n: int) -> bool:
    """Whether ``n`` has more decimal digits than Python converts to or from text (4300 by default)."""
    limit = sys.get_int_max_str_digits()
    return limit > 0 and digits(n) > limit


def finite_number(x: Any) -> bool:
    """A number (not a bool) that is a finite float: an integer past the largest float is not one."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return False
    try:
        return math.isfinite(x)
    except OverflowError:
        return False


def too_deep(text: str) -> int | None:
    """Where (a character offset) brackets and braces in TOML text, outside strings and comments,
    first nest deeper than :data:`MAX_NESTING`; None if they never do.  A cheap scan before the
    parser, whose recursion a few thousand ``[`` would exhaust."""
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return None  # the common case: too few brackets to nest too deep
    depth = 0
    for m in _TOML_TOKEN.finditer(text):
        c = m.group()
        if c in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                return m.start()
        elif c in ("]", "}"):
            depth = max(0, depth - 1)
    return None


_TOML_TOKEN = re.compile(
    r'"""(?:\\.|[^\\])*?"""|\'\'\'.*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]', re.DOTALL
)


def _line(text: str, offset: int, lines: bool) -> str:
    return f", line {text.count(chr(10), 0, offset) + 1}" if lines else ""


def parse_toml(text: str, where: str, lines: bool = True) -> dict[str, Any]:
    """``tomllib.loads``, with one line naming ``where`` (and, with ``lines``, the line) for what the
    parser cannot take: brackets nested deeper than :data:`MAX_NESTING`, an integer of more digits
    than Python reads.  Broken TOML still raises :class:`tomllib.TOMLDecodeError`, which each caller
    words (or reads as text)."""
    deep = too_deep(text)
    if deep is not None:
        raise ScenarioError(
            f"{where}{_line(text, deep, lines)}: brackets or braces nested deeper than "
            f"{MAX_NESTING} levels: allowed at most {MAX_NESTING}"
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise
    except ValueError:  # int() past the limit of digits
        limit = sys.get_int_max_str_digits()
        long = re.search(r"[0-9][0-9_]{%d,}" % limit, text)
        at = _line(text, long.start(), lines) if long else ""
        raise ScenarioError(
            f"{where}{at}: a number of more than {limit} digits: allowed at most {limit} digits"
        ) from None
    except RecursionError:
        raise ScenarioError(
            f"{where}: brackets or braces nested too deep: allowed at most {MAX_NESTING} levels"
        ) from None


def parse_toml_value(text: str, where: str) -> Any:
    """One value in TOML syntax (``0.8``, ``true``, ``[0.2, 0.5]``, ``"integrated"``), as
    :func:`parse_toml` reads it; broken TOML raises :class:`tomllib.TOMLDecodeError`."""
    return parse_toml(f"v = {text}", where, lines=False)["v"]
