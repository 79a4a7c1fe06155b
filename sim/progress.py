"""Progress on stderr: a bar in a terminal, a plain line every few percent elsewhere.

CI and SLURM logs are not terminals; tqdm stays silent there, so long runs printed nothing
without them.  ``SESIM_PROGRESS=1`` forces the bar, ``SESIM_PROGRESS=0`` silences both.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

LINE_STEP = 0.05  # a plain line every 5% of the work
LINE_MIN_SECONDS = 10.0  # ... but not more often than every 10 s, except the last


class LineProgress:
    """The part of tqdm's interface sesim uses, printing ``NAME: 40/200 units (20%), about 3 min left,
    1.2 units/s``."""

    def __init__(self, total: int, desc: str, unit: str, file: Any = None) -> None:
        self.total, self.desc, self.unit, self.n = total, desc, unit, 0
        self.file = file or sys.stderr
        self._t0 = self._last = time.monotonic()
        self._last_share = 0.0

    def update(self, k: int = 1) -> None:
        self.n += k
        share = self.n / self.total if self.total else 1.0
        now = time.monotonic()
        if self.n >= self.total or (share - self._last_share >= LINE_STEP and now - self._last >= LINE_MIN_SECONDS):
            self._last, self._last_share = now, share
            left = (now - self._t0) / self.n * (self.total - self.n) if self.n else float("nan")
            eta = (
                f", about {format_seconds(left)} left"
                if self.n < self.total
                else f" in {format_seconds(now - self._t0)}"
            )
            print(
                f"sesim: {self.desc}: {self.n}/{self.total} {self.unit}s ({100 * share:.0f}%){eta}"
                f"{format_rate(self.n, now - self._t0, self.unit)}",
                file=self.file,
                flush=True,
            )

    def set_postfix(self, *a: Any, **kw: Any) -> None:
        pass

    def refresh(self) -> None:
        pass

    def close(self) -> None:
        pass


def format_rate(n: int, seconds: float, unit: str) -> str:
    """``, 2.4 replicates/s`` (or per minute, per hour when slower); empty before any time has passed."""
    if n <= 0 or seconds <= 0:
        return ""
    rate = n / seconds
    for per, k in (("s", 1), ("min", 60), ("h", 3600)):
        if rate * k >= 1 or per == "h":
            return f", {rate * k:.2g} {unit}s/{per}"
    return ""


def format_seconds(s: float) -> str:
    if s != s:
        return "?"
    if s < 90:
        return f"{s:.0f} s"
    if s < 5400:
        return f"{s / 60:.0f} min"
    return f"{s / 3600:.1f} h"


def progress_bar(total: int, desc: str, unit: str = "replicate", **kw: Any) -> Any:
    """A tqdm bar when stderr is a terminal (or SESIM_PROGRESS=1), plain lines otherwise."""
    force = os.environ.get("SESIM_PROGRESS")
    if force == "0":
        from tqdm import tqdm

        return tqdm(total=total, disable=True)
    if force or sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False, **kw)
    return LineProgress(total, desc, unit)
