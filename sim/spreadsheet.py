"""Every CSV sesim writes goes through :func:`write_csv`, so that a spreadsheet opening it runs nothing.

A spreadsheet reads a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) as a formula, and a formula can start a program (``=cmd|' /C calc'!A0``).  Text
that sesim copies from its input into a table — a decision log's ``time``, a target's name or
source, a scenario's name — may begin so.  :func:`neutralised` puts a single quote before such a
text cell, as the OWASP advice on CSV injection asks; a spreadsheet shows the quote-less text and
runs nothing.  Numbers stay numbers: numeric columns are not touched, and a text cell that is a
plain number (``-0.5``, ``+3``, ``-1e-3``) is left as it is.  Column names are text cells too.
"""

from __future__ import annotations

import re
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def neutral_text(cell: Any) -> Any:
    """``cell`` with a single quote before it if it is text a spreadsheet would run as a formula."""
    if not isinstance(cell, str) or not cell.startswith(FORMULA_START) or PLAIN_NUMBER.fullmatch(cell):
        return cell  # not text a spreadsheet runs, or a plain number (negative, with a sign)
    return QUOTE + cell


def neutralised(frame: "pd.DataFrame") -> "pd.DataFrame":
    """``frame`` with every text cell (and column name) a spreadsheet would run as a formula quoted;
    ``frame`` itself when no cell is, numeric columns untouched."""
    import pandas as pd

    out = None
    for c in _text_columns(frame):
        cells = frame[c].tolist()
        safe = [neutral_text(x) for x in cells]
        if any(a is not b for a, b in zip(safe, cells)):
            out = frame.copy() if out is None else out
            out[c] = pd.Series(safe, index=frame.index, dtype=object)
    names = [neutral_text(c) for c in frame.columns]
    if names != list(frame.columns):
        out = (frame.copy() if out is None else out).set_axis(names, axis=1)
    return frame if out is None else out


def _text_columns(frame: "pd.DataFrame") -> list:
    from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

    return [
        c
        for c in frame.columns
        if not (is_numeric_dtype(frame[c]) or is_bool_dtype(frame[c]) or is_datetime64_any_dtype(frame[c]))
    ]


def write_csv(frame: "pd.DataFrame", dest: "str | Path | IO[str]", **options: Any) -> None:
    """``frame.to_csv(dest, index=False, **options)`` with text cells :func:`neutralised`.

    A carriage return inside a cell is a line break to a spreadsheet, but the CSV writer quotes
    only cells holding a newline: a table with one is written with every cell quoted, so what
    follows the carriage return stays in its cell (and behind its quote)."""
    import csv

    safe = neutralised(frame)
    if any(safe[c].map(lambda x: isinstance(x, str) and "\r" in x).any() for c in _text_columns(safe)) or any(
        isinstance(c, str) and "\r" in c for c in safe.columns
    ):
        options = {**options, "quoting": csv.QUOTE_ALL}
    safe.to_csv(dest, index=False, **options)
