"""Policies: how a school or a firm decides its levers for the coming academic year (docs/odd.md §11).

Each School and Firm agent holds a policy.  Every September of a *round* — round ``r`` is the
academic year ``r`` of the reported period, beginning at the first September at or after the
warm-up (month ``W' + 12·r``, ``W'`` = ``run.warmup_months`` rounded up to a whole year; month
``36 + 12·r`` by default) — the model asks each agent's policy for its decisions before the
year's mechanisms run (:meth:`sim.agents.School.decide_year`, :meth:`sim.agents.Firm.decide_year`):

- :class:`RulePolicy` — the scenario's values (and its ``[[agents.*]]`` tables): no decision,
  the levers stay as the scenario set them.  Every agent starts with it; it is today's model.
- :class:`SchedulePolicy` — a logged schedule, round -> decisions (``sesim run --decisions``).
- :class:`HumanPolicy` — a human's input: decisions set from outside before the year is
  advanced (:meth:`sim.model.CooperationModel.submit`), applied at the next round's September.

A decision sets a lever until a later decision changes it.  What a seat may decide:

- a school (seat ``school:<i>``): every lever of ``communication``, ``goal_alignment``,
  ``school_cooperation``, ``party_building``, ``craftsman`` (``sim.agents.SCHOOL_SECTIONS``);
- a firm (seat ``firm:<j>``): every lever of ``firm_support``, and four decisions outside the
  schema (:data:`FIRM_DECISIONS`): ``partnership:school<k>:leave`` (``true`` ends the firm's
  partnership with school ``k`` at once; ``false`` keeps it), ``partnership:leave_by_rule`` (``true``,
  the rule: the firm's monthly stay-or-leave decision is the M8 rule, which ends a partnership after
  ``exit_months`` of low willingness; ``false``: only the firm's own leave ends its partnerships,
  outside shocks aside — a workshop's firm seat takes it when it is claimed), ``partnership:accept_new``
  (``false``: the firm refuses the partnerships schools propose to it (M15 entries); ``true``, the
  rule, accepts them) and ``hiring:graduates`` (how many graduates of its partner schools the firm
  hires at graduation, replacing the rule's demand (M13), or ``"rule"``).

The same seed, scenario and decisions give the same numbers: a decision draws no random number
and every mechanism draws the same numbers whatever the levers (common random numbers).

A decision log is a tidy table (CSV or Parquet) with columns ``round, seat, lever, value, time``:
one row per decision, ``value`` in TOML-like text (``true``, ``0.7``, ``6``, ``integrated``,
``rule``), ``time`` when it was taken (free text, not read by the model).  Every row is checked
against the schema; a bad one is refused in one line naming the file, the row and what is allowed.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .inputs import parse_toml_value, shown
from .levers import lever_field
from .params import SIDES, side_keys
from .scenario import ScenarioError, check_regular_file, coerce
from .spreadsheet import write_csv
from .state import MONTHS_PER_YEAR

if TYPE_CHECKING:
    import pandas as pd

    from .params import Params

COLUMNS = ("round", "seat", "lever", "value", "time")
REQUIRED = ("round", "seat", "lever", "value")
SEAT_RE = re.compile(r"(school|firm):([0-9]+)")
LEAVE_RE = re.compile(r"partnership:school([0-9]+):leave")
ACCEPT_NEW = "partnership:accept_new"
LEAVE_BY_RULE = "partnership:leave_by_rule"
HIRE = "hiring:graduates"
RULE = "rule"  # hiring:graduates = "rule": the rule's demand
MAX_LOG_BYTES = 64 << 20  # a workshop's log is a few hundred kB
# decisions a firm takes that are not levers of the schema: key -> (meaning, allowed)
FIRM_DECISIONS = {
    "partnership:school<k>:leave": (
        "true ends the firm's partnership with school k now (reason 'firm_decision'); false keeps it",
        "true or false",
    ),
    LEAVE_BY_RULE: (
        "true (the rule): the M8 rule ends a partnership of the firm after exit_months of low "
        "willingness; false: only the firm's own leave ends its partnerships (outside shocks aside)",
        "true or false",
    ),
    ACCEPT_NEW: (
        "false: the firm refuses the new partnerships schools propose (M15 entries); true (the rule) accepts them",
        "true or false",
    ),
    HIRE: (
        "graduates of its partner schools the firm hires at graduation, over all its partnerships, in place "
        'of the rule\'s demand (M13); "rule" returns to the rule',
        'an integer 0..N or "rule"',
    ),
}


@dataclass(frozen=True)
class Decision:
    """One decision of one seat: a lever (or firm decision) and its value, checked."""

    lever: str
    value: Any
    time: str = ""


class Policy(Protocol):
    def decide(self, agent: Any, round: int) -> list[Decision]:
        """The decisions ``agent`` takes at the September of ``round``."""


class RulePolicy:
    """The scenario's rule: no decision; the levers stay as the scenario (and its agent tables) set them."""

    def decide(self, agent: Any, round: int) -> list[Decision]:
        return []


class SchedulePolicy:
    """A logged schedule: round -> the decisions taken in it (already checked)."""

    def __init__(self, schedule: dict[int, list[Decision]]) -> None:
        self.schedule = schedule

    def decide(self, agent: Any, round: int) -> list[Decision]:
        return list(self.schedule.get(round, []))


class HumanPolicy:
    """A human's input: decisions set from outside (``CooperationModel.submit``) and taken at the
    next round's September; a lever set twice before then keeps the last value.  With nothing
    submitted the levers stay as they are (the scenario's, or the last decision's)."""

    def __init__(self) -> None:
        self.pending: dict[str, Decision] = {}

    def set(self, decision: Decision) -> None:
        self.pending[decision.lever] = decision

    def decide(self, agent: Any, round: int) -> list[Decision]:
        out, self.pending = list(self.pending.values()), {}
        return out


# ------------------------------------------------------------------ rounds
def first_round_month(params: "Params") -> int:
    """The month of round 0: the first September at or after the warm-up."""
    return -(-params.run.warmup_months // MONTHS_PER_YEAR) * MONTHS_PER_YEAR


def rounds(params: "Params") -> int:
    """How many rounds (Septembers) the reported period holds: ``run.years``, whatever the warm-up."""
    horizon = params.run.warmup_months + MONTHS_PER_YEAR * params.run.years
    return max(0, -(-(horizon - first_round_month(params)) // MONTHS_PER_YEAR))


# ------------------------------------------------------------------ checking one decision
def parse_seat(seat: Any, params: "Params", where: str) -> tuple[str, int]:
    pop = params.population
    allowed = f"school:0..school:{pop.schools - 1} or firm:0..firm:{pop.firms - 1}"
    m = SEAT_RE.fullmatch(str(seat).strip()) if isinstance(seat, str) else None
    if m is None:
        raise ScenarioError(f"{where}: seat {shown(seat)}: allowed {allowed}")
    side = m.group(1)
    i = index_below(m.group(2), pop.schools if side == "school" else pop.firms)
    if i is None:
        raise ScenarioError(f"{where}: seat {shown(seat.strip())} is out of range: allowed {allowed}")
    return side, i


def index_below(text: str, n: int) -> int | None:
    """The index written in ``text`` (decimal digits) if it is below ``n``; else None (a number of
    thousands of digits is out of range before Python would refuse to read it)."""
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(n)):
        return None
    i = int(digits)
    return i if i < n else None


def parse_text(value: Any, where: str = "value") -> Any:
    """A value of a log: text read as TOML (``true``, ``0.7``, ``6``), else a bare word; other types as they are.
    Text TOML cannot take (thousands of digits, brackets nested deeper than
    :data:`sim.inputs.MAX_NESTING`) is refused in one line naming ``where``."""
    if not isinstance(value, str):
        return value.item() if hasattr(value, "item") else value
    text = value.strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        return parse_toml_value(text, f"{where} = {shown(text)}")
    except tomllib.TOMLDecodeError:
        pass
    try:
        return float(text)  # nan, inf and the like: refused by the schema check
    except ValueError:
        return text


def format_value(value: Any) -> str:
    """A checked value as the text of a log, read back exactly by :func:`parse_text`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def check_decision(params: "Params", side: str, lever: Any, value: Any, where: str) -> Decision:
    """A decision of a seat of ``side`` checked against the schema, its value in its proper type;
    else one line naming ``where``, the lever and what is allowed."""
    if not isinstance(lever, str) or not lever.strip():
        raise ScenarioError(f"{where}: lever {shown(lever)}: allowed a lever key such as 'communication.depth'")
    lever = lever.strip()
    value = parse_text(value, f"{where}: lever {shown(lever)}")
    own = side_keys(side)
    if lever in own:
        return Decision(lever, coerce(where, lever, lever_field(lever), value))
    if side == "firm":
        m = LEAVE_RE.fullmatch(lever)
        if m:
            k = index_below(m.group(1), params.population.schools)
            if k is None:
                raise ScenarioError(
                    f"{where}: lever {shown(lever)}: school {shown(m.group(1), raw=True)} is out of range: allowed "
                    f"partnership:school0:leave..partnership:school{params.population.schools - 1}:leave"
                )
            return Decision(lever, _bool(where, lever, value))
        if lever in (ACCEPT_NEW, LEAVE_BY_RULE):
            return Decision(lever, _bool(where, lever, value))
        if lever == HIRE:
            most = params.population.schools * params.population.cohort_size
            if value == RULE:
                return Decision(lever, RULE)
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or (isinstance(value, float) and not (math.isfinite(value) and value.is_integer()))
                or not 0 <= value <= most
            ):
                raise ScenarioError(
                    f"{where}: lever '{lever}' = {shown(value)}: allowed an integer 0..{most} "
                    f'(the region\'s graduates a year) or "rule"'
                )
            return Decision(lever, int(value))
    other = "firm" if side == "school" else "school"
    if lever in side_keys(other):
        raise ScenarioError(
            f"{where}: lever '{lever}' is a {other}'s lever; a {side} sets "
            f"{', '.join(s + '.*' for s in SIDES[side])}" + (f", {', '.join(FIRM_DECISIONS)}" if side == "firm" else "")
        )
    options = own + (list(FIRM_DECISIONS) if side == "firm" else [])
    near = difflib.get_close_matches(lever, options, n=1, cutoff=0.5)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    raise ScenarioError(
        f"{where}: unknown lever {shown(lever)} for a {side}{hint} (a {side} sets "
        f"{', '.join(s + '.*' for s in SIDES[side])}"
        + (f", {', '.join(FIRM_DECISIONS)}" if side == "firm" else "")
        + ")"
    )


def _bool(where: str, lever: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ScenarioError(f"{where}: lever '{lever}' = {shown(value)}: allowed true or false")
    return value


# ------------------------------------------------------------------ decision logs
@dataclass
class DecisionLog:
    """A checked decision log: per seat, round -> decisions; with the file's SHA-256 and rows."""

    path: str
    sha256: str
    schedule: dict[str, dict[int, list[Decision]]]
    frame: "pd.DataFrame"

    @property
    def rows(self) -> int:
        return len(self.frame)

    def manifest(self) -> dict[str, Any]:
        return {"file": self.path, "sha256": self.sha256, "rows": self.rows}


def schedule_from_frame(frame: "pd.DataFrame", params: "Params", where: str) -> dict[str, dict[int, list[Decision]]]:
    """Check every row of a decision table; the per-seat schedule, or one line on the first bad row."""
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ScenarioError(
            f"{where}: missing column(s) {', '.join(missing)}: allowed columns {', '.join(COLUMNS)} ('time' optional)"
        )
    extra = [str(c) for c in frame.columns if c not in COLUMNS]
    if extra:
        near = difflib.get_close_matches(extra[0], COLUMNS, n=1, cutoff=0.6)
        hint = f"; did you mean '{near[0]}'?" if near else ""
        raise ScenarioError(f"{where}: unknown column '{extra[0]}'{hint} (allowed columns {', '.join(COLUMNS)})")
    R, first = rounds(params), first_round_month(params)
    seen: dict[tuple[int, str, str], int] = {}
    out: dict[str, dict[int, list[Decision]]] = {}
    times = frame["time"].tolist() if "time" in frame.columns else [""] * len(frame)
    for k, (rnd, seat, lever, value, time) in enumerate(
        zip(frame["round"].tolist(), frame["seat"].tolist(), frame["lever"].tolist(), frame["value"].tolist(), times)
    ):
        row = f"{where}: row {k + 1}"
        r = parse_text(rnd, f"{row}: round")
        if isinstance(r, float) and math.isfinite(r) and r.is_integer():
            r = int(r)
        if isinstance(r, bool) or not isinstance(r, int) or not 0 <= r < R:
            raise ScenarioError(
                f"{row}: round = {shown(rnd)}: allowed an integer 0..{R - 1} (round r is the "
                f"September at month {first} + 12·r, {R} rounds in run.years = {params.run.years})"
            )
        side, i = parse_seat(seat, params, row)
        seat = f"{side}:{i}"  # the model's name: 'school:01' and ' school:1' are seat school:1
        d = check_decision(params, side, lever, value, f"{row} (seat {seat})")
        key = (r, seat, d.lever)
        if key in seen:
            raise ScenarioError(
                f"{row}: round {r}, seat {seat}, lever '{d.lever}' already decided in row "
                f"{seen[key]}: allowed one value per round, seat and lever"
            )
        seen[key] = k + 1
        t = "" if time is None or (isinstance(time, float) and math.isnan(time)) else str(time)
        out.setdefault(seat, {}).setdefault(r, []).append(dataclasses.replace(d, time=t))
    return out


def max_log_rows(params: "Params") -> int:
    """The most rows a decision log for ``params`` can hold: one per round, seat and lever (a school's
    levers; a firm's levers, leaving each school, leaving by the rule, accepting new partners and hiring)."""
    pop = params.population
    firm = len(side_keys("firm")) + pop.schools + len(FIRM_DECISIONS) - 1
    return rounds(params) * (pop.schools * len(side_keys("school")) + pop.firms * firm)


def read_log_file(
    path: Path | str, max_rows: int | None = None, label: str | None = None
) -> tuple[bytes, "pd.DataFrame"]:
    """A decision log's bytes and table (CSV, or Parquet by its suffix), or one line (naming ``label``,
    by default ``--decisions PATH``) saying what is wrong.

    With ``max_rows``, a longer table is refused before it is read whole: a Parquet file's row count
    and unpacked size come from its metadata (a few hundred kB of dictionary-encoded rows unpack to
    gigabytes), a CSV file is read no further than one row past the bound."""
    import io

    import pandas as pd

    path = Path(path)
    label = label or f"--decisions {path}"
    check_regular_file(path, MAX_LOG_BYTES, "a CSV or Parquet decision log", label)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise ScenarioError(f"{label}: allowed a .csv or .parquet file with columns {', '.join(COLUMNS)}")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ScenarioError(f"{label}: cannot read: {e.strerror}") from None
    over = max_rows is not None and max_rows + 1  # rows enough to refuse
    frame = None
    try:
        if suffix == ".csv":
            frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8", nrows=over or None)
            rows = len(frame)
        else:
            import pyarrow.parquet as pq

            meta = pq.ParquetFile(io.BytesIO(raw)).metadata
            rows = meta.num_rows
            unpacked = sum(meta.row_group(g).total_byte_size for g in range(meta.num_row_groups))
            if unpacked > MAX_LOG_BYTES:
                raise ScenarioError(
                    f"{label}: {unpacked} bytes unpacked is too large for a decision log "
                    f"(allowed at most {MAX_LOG_BYTES})"
                )
            if not (over and rows >= over):
                frame = pd.read_parquet(io.BytesIO(raw))
    except ScenarioError:
        raise
    except Exception as e:  # a broken file: pandas and pyarrow raise many kinds
        msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ScenarioError(f"{label}: not a readable {suffix[1:]} table: {shown(msg, raw=True)}") from None
    if over and rows >= over:
        count = f"{rows} rows" if frame is None else f"more than {max_rows} rows"
        raise ScenarioError(
            f"{label}: {count}: allowed at most {max_rows}, one per round, seat and lever of the scenario"
        )
    return raw, frame


def load_decisions(path: Path | str, params: "Params", label: str | None = None) -> DecisionLog:
    """Read and check a decision log against a scenario's parameters (population, rounds)."""
    label = label or f"--decisions {path}"
    raw, frame = read_log_file(path, max_log_rows(params), label)
    schedule = schedule_from_frame(frame, params, label)
    return DecisionLog(str(path), hashlib.sha256(raw).hexdigest(), schedule, normalised(schedule))


def normalised(schedule: dict[str, dict[int, list[Decision]]]) -> "pd.DataFrame":
    """The log of a schedule in its tidy form, rows by round, then seat (schools first), then as given."""
    rows = [
        (r, seat, d.lever, format_value(d.value), d.time)
        for seat, by_round in schedule.items()
        for r, ds in by_round.items()
        for d in ds
    ]
    return decision_frame(rows)


def decision_frame(rows: list[tuple]) -> "pd.DataFrame":
    import pandas as pd

    def order(row: tuple) -> tuple:
        side, i = row[1].split(":")
        return (row[0], side != "school", int(i))

    rows = sorted(rows, key=order)  # stable: a seat's decisions keep their order
    return pd.DataFrame(rows, columns=list(COLUMNS)).astype({"round": "int64"})


def write_decision_log(frame: "pd.DataFrame", path: Path | str) -> None:
    """Write a decision log as CSV or Parquet (by the suffix), every value as text."""
    path = Path(path)
    frame = frame.astype({"seat": str, "lever": str, "value": str, "time": str})
    if path.suffix.lower() == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        write_csv(frame, path)
