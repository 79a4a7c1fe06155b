"""Students who left the follow-up window, folded into counters (docs/odd.md §13, memory).

A run keeps in its student arrays only the cohorts still in school or in follow-up
(:meth:`~sim.model.CooperationModel.tracked_window`).  Each September the cohorts that left the
window a year or more ago are *folded*: what the metrics, the monthly counts and the spells will
ever need of them is added to :class:`Folded` (counts, exact sums, their spell rows), and their
rows are dropped from the front of the arrays (:meth:`sim.state.Table.drop_front`).  Memory then
depends on the population, not on the number of years.

Everything the summary reads of a student is final when it is folded (no mechanism changes a
student after follow-up), so the summary is the same whether a student was folded or is still in
the arrays: every mean is a count or an exact sum divided by a count (:class:`ExactSum`), which
does not depend on how the rows were split.

Per-row random draws (:func:`row_draws`) keep their positions: a draw made "one per student row
since the run began" skips the folded rows' draws in the stream instead of making them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import numpy as np

MANTISSA_BITS = 53  # float64: an integer mantissa of 53 bits times a power of two
PIECE_BITS = 18  # a mantissa summed in three pieces of 18 bits: exact in float64 sums
SKIP_CHUNK = 1 << 20  # draws discarded at a time when a stream cannot jump ahead


@dataclass
class ExactSum:
    """The exact sum of float64 values, kept as ``numerator × 2**exponent`` (a Python integer), so
    that sums of parts add up to the sum of the whole whatever the split; NaN once a non-finite
    value was added."""

    numerator: int = 0
    exponent: int = 0
    finite: bool = True

    @classmethod
    def of(cls, values: np.ndarray) -> "ExactSum":
        x = np.asarray(values, np.float64).ravel()
        if len(x) == 0:
            return cls()
        if not np.isfinite(x).all():
            return cls(finite=False)
        mant, exp = np.frexp(x)  # x = mant * 2**exp, 0.5 <= |mant| < 1
        m = np.ldexp(mant, MANTISSA_BITS).astype(np.int64)  # exact: 53-bit integers
        e = exp.astype(np.int64) - MANTISSA_BITS
        low = int(e.min())
        off = e - low
        mask = (1 << PIECE_BITS) - 1
        pieces = (m >> (2 * PIECE_BITS), (m >> PIECE_BITS) & mask, m & mask)
        # per exponent, each piece's sum stays below 2**53 for up to 2**35 values: exact in float64
        sums = [np.bincount(off, weights=p.astype(np.float64)) for p in pieces]
        total = 0
        for k in np.flatnonzero(np.bincount(off)):
            part = (int(sums[0][k]) << (2 * PIECE_BITS)) + (int(sums[1][k]) << PIECE_BITS) + int(sums[2][k])
            total += part << int(k)
        return cls(total, low)

    def __add__(self, other: "ExactSum") -> "ExactSum":
        if not (self.finite and other.finite):
            return ExactSum(finite=False)
        low = min(self.exponent, other.exponent)
        return ExactSum((self.numerator << (self.exponent - low)) + (other.numerator << (other.exponent - low)), low)

    def mean(self, count: int) -> float:
        """The exact sum divided by ``count``, correctly rounded; NaN with nothing counted."""
        if count == 0 or not self.finite:
            return float("nan")
        if self.exponent >= 0:
            return float(Fraction(self.numerator << self.exponent, count))
        return float(Fraction(self.numerator, count << -self.exponent))


@dataclass
class Part:
    """One mean's part: how many were counted and the total of their values (an integer for counts
    and integer values, an :class:`ExactSum` for floats)."""

    count: int = 0
    total: int | ExactSum = 0

    def __add__(self, other: "Part") -> "Part":
        return Part(self.count + other.count, self.total + other.total)  # type: ignore[operator]

    def mean(self) -> float:
        if isinstance(self.total, ExactSum):
            return self.total.mean(self.count)
        return self.total / self.count if self.count else float("nan")


def add_parts(a: dict[str, Part], b: dict[str, Part]) -> dict[str, Part]:
    return {k: a[k] + b[k] if k in a else b[k] for k in b} | {k: v for k, v in a.items() if k not in b}


@dataclass
class Folded:
    """What the run keeps of the students folded so far (see the module's docstring)."""

    labour: dict[str, Part] = field(default_factory=dict)  # the labour metrics' parts (sim.metrics.labour_parts)
    status: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # students by final status
    partner_hires: dict[int, np.ndarray] = field(default_factory=dict)  # month -> per-school partner hires

    def add_status(self, counts: np.ndarray) -> None:
        if len(counts) > len(self.status):
            self.status = np.pad(self.status, (0, len(counts) - len(self.status)))
        self.status[: len(counts)] += counts

    def status_count(self, code: int) -> int:
        return int(self.status[code]) if code < len(self.status) else 0

    def add_partner_hires(self, months: np.ndarray, schools: np.ndarray, n_schools: int) -> None:
        for t in np.unique(months):
            counts = np.bincount(schools[months == t], minlength=n_schools)
            self.partner_hires[int(t)] = self.partner_hires.get(int(t), 0) + counts

    def partner_placements(self, since: int, until: int, n_schools: int) -> np.ndarray:
        out = np.zeros(n_schools, np.int64)
        for t, counts in self.partner_hires.items():
            if since <= t < until:
                out += counts
        return out


def skip(rng: np.random.Generator, n: int, draw: Callable[[np.random.Generator, int], np.ndarray]) -> None:
    """Advance ``rng`` past ``n`` draws of ``draw`` (``draw(rng, k)`` makes k of them) without
    keeping them: a jump for float64 uniforms of a stream that can jump (one 64-bit output each,
    no 32-bit output buffered), else the draws are made and discarded in bounded chunks."""
    if n <= 0:
        return
    bits = rng.bit_generator
    if draw is uniform and hasattr(bits, "advance") and not bits.state.get("has_uint32", 0):
        bits.advance(n)
        return
    while n > 0:
        k = min(n, SKIP_CHUNK)
        draw(rng, k)
        n -= k


def uniform(rng: np.random.Generator, k: int) -> np.ndarray:
    return rng.random(k)


def normal(rng: np.random.Generator, k: int) -> np.ndarray:
    return rng.standard_normal(k)


def row_draws(
    rng: np.random.Generator,
    folded: int,
    n: int,
    rows: int = 1,
    draw: Callable[[np.random.Generator, int], np.ndarray] = uniform,
) -> np.ndarray:
    """``draw(rng, (rows, folded + n))[:, folded:]`` (C order: row after row), made without the
    folded rows' draws: the draws "one per student row since the run began" of the ``n`` rows in
    the arrays, the same numbers as before any row was folded.  Shape ``(rows, n)``, or ``(n,)``
    with ``rows`` = 1."""
    out = np.empty((rows, n))
    for r in range(rows):
        skip(rng, folded, draw)
        out[r] = draw(rng, n)
    return out[0] if rows == 1 else out
