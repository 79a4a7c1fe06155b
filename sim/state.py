"""Array-backed state: students (many) and partnerships (a few hundred).

Students are rows of NumPy arrays owned by the model (``Students``), updated together each month;
there is no Student agent (docs/odd.md §2).  Partnerships are a table of their own
(``Partnerships``).  Capacity grows by doubling.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

DIMS = ("theory", "technical", "innovation", "craft", "civic")
THEORY, TECHNICAL, INNOVATION, CRAFT, CIVIC = range(5)

# student status codes: every student is in exactly one of these
ENROLLED, INTERNING, EMPLOYED, UNEMPLOYED, STUDY, DROPPED = range(6)
# tracks
REGULAR, ORDER_CLASS, APPRENTICE = range(3)
# party-building modes (M9)
PARTY_NONE, TWO_SKINS, INTEGRATED = range(3)
PARTY_MODES = {"none": PARTY_NONE, "two_skins": TWO_SKINS, "integrated": INTEGRATED}
OWNERSHIPS = ("state", "private", "foreign")

# The calendar (structure, not behaviour): 高职 programmes last three years (docs/odd.md M4), with
# about six months of 岗位实习 at the end, a year for order classes and apprenticeships;
# graduates are followed for 36 months after graduation (one more for the month of leaving).
MONTHS_PER_YEAR = 12
PROGRAMME_MONTHS = 36
REGULAR_INTERNSHIP_MONTHS = 6
LONG_INTERNSHIP_MONTHS = 12
FOLLOW_UP_MONTHS = 37
EMPLOYERS_WINDOW_MONTHS = 36  # employers_3y counts employers in the first three years (MyCOS)
MANY_EMPLOYERS = 4  # employers_4plus_3y: MyCOS's "four or more employers in three years"
STATUS_MONTHS = (6, 36)  # graduates' status is recorded 6 and 36 months after graduation (MyCOS)
START_COHORT_YEARS = (2, 1)  # cohorts already in years 3 and 2 when the run starts
PER_THOUSAND = 1000  # party recruitment quota and student_party_members count per 1,000 graduates
# why a graduate quit (M16): the component of the offer's advantage over the current job that is
# largest, in the terms of MyCOS's reasons for leaving (发展空间不够, 收入低, 想改变职业或行业, other)
QUIT_REASONS = ("pay", "prospects", "fit_field", "other")
# why an intern breaks off a placement (M6): the larger part of the month's hazard, unresolved
# resistance (mismatch, out-of-field post, poor mentoring) or an outside option (a job, 专升本)
BREAK_REASONS = ("resistance", "outside_option")
PAY, PROSPECTS, FIT_FIELD, OTHER = range(4)
NORM_FLOOR = 1e-12  # numerical floor of a vector norm (cosine of a zero vector is 0)
# rows of students the month's update takes at a time (teaching.teach_and_practise): the temporaries
# of a block, a few dozen arrays of this many rows, stay in the processor's cache (measured with
# benchmarks/bench_province.py: 32,768 to 262,144 alike); the numbers do not depend on it
UPDATE_ROWS = 65_536


def month_position(months: np.ndarray, month: int, side: str = "left") -> int:
    """``np.searchsorted(months, month, side)`` for a sorted integer column of months (enrolment): the
    month is given as the column's own type, since against a Python int NumPy copies the whole column
    to 64 bits first (two million rows of a province, dozens of times a month)."""
    return int(np.searchsorted(months, months.dtype.type(month), side))  # type: ignore[call-overload]


class Table:
    """A set of equally long, growable 1-d/2-d arrays."""

    _fields: dict[str, tuple[type, float, int]] = {}

    def __init__(self, capacity: int = 1024) -> None:
        self.n = 0
        self.first_row = 0  # rows dropped from the front (drop_front)
        self.capacity = max(1, capacity)
        for name, (dtype, fill, width) in self._fields.items():
            shape = (self.capacity, width) if width else (self.capacity,)
            setattr(self, name, np.full(shape, fill, dtype=dtype))

    def _grow(self, need: int) -> None:
        cap = self.capacity
        while cap < need:
            cap *= 2
        for name, (dtype, fill, width) in self._fields.items():
            old = getattr(self, name)
            shape = (cap, width) if width else (cap,)
            new: np.ndarray = np.full(shape, fill, dtype=dtype)
            new[: self.n] = old[: self.n]
            setattr(self, name, new)
        self.capacity = cap

    def drop_front(self, k: int) -> None:
        """Drop the first ``k`` rows (folded, sim.folding): the rest move to the front, in place,
        and keep their order; ``first_row`` counts the rows dropped since the table began, so
        row ``i`` is row ``first_row + i`` of the whole run."""
        if k <= 0:
            return
        keep = self.n - k
        # in pieces of at most k rows, front first: no piece overlaps its source, so NumPy moves it
        # in place (overlapping ranges are copied through a temporary of the whole column)
        step = k if 16 * k >= keep else keep
        for name, (_, fill, _) in self._fields.items():
            col = getattr(self, name)
            for lo in range(0, keep, step):
                hi = min(lo + step, keep)
                col[lo:hi] = col[lo + k : hi + k]
            col[keep : self.n] = fill
        self.n = keep
        self.first_row += k

    def add(self, k: int) -> np.ndarray:
        """Reserve k new rows; return their indices."""
        if self.n + k > self.capacity:
            self._grow(self.n + k)
        idx = np.arange(self.n, self.n + k)
        self.n += k
        return idx

    if TYPE_CHECKING:  # the columns are set from _fields: each is an array (for the type checker only)

        def __getattr__(self, name: str) -> np.ndarray: ...


class Students(Table):
    _fields = {
        "school": (np.int32, -1, 0),
        "programme": (np.int32, -1, 0),
        "enrol_month": (np.int32, 0, 0),
        "track": (np.int8, REGULAR, 0),
        "skills": (np.float64, 0.0, len(DIMS)),
        "engagement": (np.float64, 0.6, 0),
        "resistance": (np.float64, 0.0, 0),
        "status": (np.int8, ENROLLED, 0),
        "mobility": (np.float64, 1.0, 0),
        "party": (np.bool_, False, 0),
        "party_contact": (np.float64, 0.0, 0),  # hours of party activity received (M9), read by recruitment (M11)
        # internship
        "intern_firm": (np.int32, -1, 0),
        "intern_start": (np.int32, -1, 0),
        "frontline": (np.bool_, False, 0),
        "intern_done": (np.int8, -1, 0),  # -1 none, 0 dropped, 1 completed
        "intern_end": (np.int32, -1, 0),  # month the placement ended: broken off (M6) or completed at graduation
        "intern_break": (np.int8, -1, 0),  # why it was broken off: index into BREAK_REASONS, -1 otherwise
        "order_firm": (np.int32, -1, 0),
        "long_internship": (np.bool_, False, 0),  # two semesters (LONG_INTERNSHIP_MONTHS), set at enrolment
        # employment
        "grad_month": (np.int32, -1, 0),
        "employer": (np.int32, -1, 0),
        "hire_month": (np.int32, -1, 0),
        "job_fit": (np.float64, 0.0, 0),
        "job_partner": (np.bool_, False, 0),
        "job_prospects": (np.float64, 0.0, 0),
        "job_familiar": (np.bool_, False, 0),
        "job_quality": (np.float64, 0.0, 0),
        "in_field": (np.bool_, False, 0),
        "wage": (np.float64, np.nan, 0),  # pay at hire in the current job, thousand yuan a month (M16)
        "job_align": (np.float64, 0.0, 0),  # fit of the current job at hire: alignment x field match (M16)
        "n_employers": (np.int16, 0, 0),
        "first_employer": (np.int32, -1, 0),
        "first_hire": (np.int32, -1, 0),
        "first_end": (np.int32, -1, 0),
        "first_fit": (np.float64, np.nan, 0),
        "first_partner": (np.bool_, False, 0),
        "status_6m": (np.int8, -1, 0),
        "in_field_6m": (np.int8, -1, 0),
        "in_field_36m": (np.int8, -1, 0),
        "first_quit": (np.bool_, False, 0),  # the first job ended by the graduate's own quit
        "intern_in_field": (np.bool_, False, 0),  # the internship is in the student's own field
        "grad_skills": (np.float64, np.nan, len(DIMS)),
    }


class Partnerships(Table):
    _fields = {
        "school": (np.int32, -1, 0),
        "firm": (np.int32, -1, 0),
        "start": (np.int32, 0, 0),
        "end": (np.int32, -1, 0),
        "reason": (np.int8, 0, 0),
        "willingness": (np.float64, 0.5, 0),
        "trust": (np.float64, 0.0, 0),
        "low_months": (np.int32, 0, 0),
        "net_smoothed": (np.float64, 0.0, 0),  # annualised net benefit, exponentially smoothed
        "intern_net": (np.float64, 0.0, 0),  # cumulative internship net benefit (reported period)
        "net_total": (np.float64, 0.0, 0),  # cumulative total net benefit (reported period)
        "months_reported": (np.int32, 0, 0),
        "project_left": (np.int32, 0, 0),  # months left of the joint project under way (M14), 0: none
    }

    def active(self) -> np.ndarray:
        return np.flatnonzero(self.end[: self.n] < 0)


END_REASONS = ("censored", "low_willingness", "outside_shock", "firm_decision")  # the last: a firm's own (sim.policy)
