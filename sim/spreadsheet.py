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

from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutral_text(cell: Any) -> Any:
    """``cell`` with a single quote before it if it is text a spreadsheet would run as a formula."""
    if not isinstance(cell, str) or not cell.startswith(FORMULA_START):
        return cell
    try:
        float(cell)             # a plain number, negative or with a sign: no formula
        return cell
    except ValueError:
        return QUOTE + cell


def neutralised(frame: "pd.DataFrame") -> "pd.DataFrame":
    """``frame`` with every text cell (and column name) a spreadsheet would run as a formula quoted;
    ``frame`` itself when no cell is, numeric columns untouched."""
    from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype
    text_cols = [c for c in frame.columns if not (is_numeric_dtype(frame[c]) or is_bool_dtype(frame[c])
                                                 or is_datetime64_any_dtype(frame[c]))]
    out = None
    for c in text_cols:
        col = frame[c].astype(object)
        safe = col.map(neutral_text)
        if not safe.equals(col):
            out = frame.copy() if out is None else out
            out[c] = safe
    names = [neutral_text(c) for c in frame.columns]
    if names != list(frame.columns):
        out = (frame.copy() if out is None else out).set_axis(names, axis=1)
    return frame if out is None else out


def write_csv(frame: "pd.DataFrame", dest: "str | Path | IO[str]", **options: Any) -> None:
    """``frame.to_csv(dest, index=False, **options)`` with text cells :func:`neutralised`."""
    neutralised(frame).to_csv(dest, index=False, **options)
