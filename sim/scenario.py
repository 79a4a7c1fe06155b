"""Scenario files: TOML, ``extends`` chains, validation against the schema in ``params``.

Standard library only (``tomllib``, ``difflib``), so ``sesim validate`` answers fast.
Every problem raises :class:`ScenarioError` with one line naming file, key and what is allowed.

Per-agent values (docs/odd.md §11): ``[[agents.schools]]`` / ``[[agents.firms]]`` tables, each with
``ids = [...]`` and tables of the side's own sections (a school's: communication, goal_alignment,
school_cooperation, party_building, craftsman; a firm's: firm_support), checked like every other
value and against the population; they travel in ``Params.agents``.  Through ``extends`` a
file's ``agents.schools`` (or ``agents.firms``) list replaces its parent's whole.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .inputs import ScenarioError, finite_number, parse_toml, parse_toml_value, shown, too_many_digits
from .params import AGENT_TABLES, SECTIONS, SIDES, Agents, College, CollegeCharter, Colleges, Params

META_KEYS = ("name", "title_en", "title_zh", "description", "extends")
NAME_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
NAME_RULE = "letters, digits, '_' and '-', 1 to 64 characters"
MAX_EXTENDS_DEPTH = 16  # strategies extend one or two others; a deeper chain is a mistake
MAX_FILE_BYTES = 1 << 20  # scenario, sweep and target files are a few kB
SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"


@dataclass
class Scenario:
    name: str
    params: Params
    title_en: str = ""
    title_zh: str = ""
    description: str = ""
    path: str = ""
    overrides: dict[str, Any] = field(default_factory=dict)


# the order of docs/odd.md §9: the status quo, single strategies, then their combinations
STRATEGY_ORDER = (
    "baseline",
    "communication",
    "goal_alignment",
    "school_cooperation",
    "firm_support",
    "party_alliance",
    "party_talent",
    "craftsman",
    "huli_tongqiang_qirong",
    "party_led",
    "full",
    "industry_college",
    "industry_college_huli",
)


def builtin_names() -> list[str]:
    """Built-in strategies, baseline first, in the order of docs/odd.md §9 (any others after, A–Z)."""
    names = {p.stem for p in SCENARIO_DIR.glob("*.toml")}  # targets/ and sweeps/ are folders
    rank = {n: i for i, n in enumerate(STRATEGY_ORDER)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


def resolve_path(name_or_path: str | Path) -> Path:
    p = Path(name_or_path)
    label = shown(name_or_path, raw=True)
    try:
        exists = p.exists()
    except (OSError, ValueError) as e:
        raise ScenarioError(f"{label}: not a usable file name ({getattr(e, 'strerror', None) or e})") from None
    if p.suffix == ".toml" or exists or "/" in str(name_or_path):
        if not exists:
            raise ScenarioError(f"{label}: file not found")
        return p
    cand = SCENARIO_DIR / f"{name_or_path}.toml"
    if cand.exists():
        return cand
    near = difflib.get_close_matches(str(name_or_path), builtin_names(), n=1)
    hint = f"; did you mean '{near[0]}'?" if near else f"; built-in names: {', '.join(builtin_names())}"
    raise ScenarioError(f"{label}: no such scenario file or built-in name{hint}")


def check_regular_file(path: Path, limit: int, what: str, label: str) -> None:
    """Refuse in one line (naming ``label``, asking for ``what``) a missing path, anything but a regular
    file (a folder, a FIFO, ``/dev/zero``: before it is opened, so nothing can hang or fill the memory),
    or a file over ``limit`` bytes."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ScenarioError(f"{label}: file not found") from None
    except OSError as e:
        raise ScenarioError(f"{label}: cannot read: {e.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise ScenarioError(f"{label}: is a folder, not a regular file; give {what}")
    if not stat.S_ISREG(st.st_mode):
        raise ScenarioError(f"{label}: not a regular file; give {what}")
    if st.st_size > limit:
        raise ScenarioError(f"{label}: {st.st_size} bytes is too large for {what} (allowed at most {limit})")


def read_toml_file(path: Path | str) -> dict[str, Any]:
    """A small regular UTF-8 TOML file with only finite numbers, or one line saying what is wrong.

    Anything but a regular file (a folder, a FIFO, ``/dev/zero``) is refused before it is opened,
    so nothing can hang or fill the memory.
    """
    path = Path(path)
    check_regular_file(path, MAX_FILE_BYTES, "a TOML file", str(path))
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise ScenarioError(f"{path}: cannot read: {e.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ScenarioError(f"{path}: not UTF-8 text (byte {e.start}); save it as UTF-8 TOML") from None
    try:
        data = parse_toml(text, str(path))
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"{path}: broken TOML: {e}") from None
    check_finite(str(path), data)
    return data


def check_finite(where: str, data: Any, key: str = "") -> None:
    """Refuse NaN and ±inf anywhere in ``data`` (TOML allows them; no quantity of sesim is one), and
    integers too long to print (a hexadecimal ``0xfff…`` of thousands of digits parses)."""
    if isinstance(data, float) and not math.isfinite(data):
        raise ScenarioError(f"{where}: key '{key or '?'}' = {data}: allowed a finite number")
    if isinstance(data, int) and not isinstance(data, bool) and too_many_digits(data):
        raise ScenarioError(f"{where}: key '{key or '?'}' = {shown(data)}: allowed a number in the key's range")
    if isinstance(data, dict):
        for k, v in data.items():
            check_finite(where, v, f"{key}.{k}" if key else str(k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            check_finite(where, v, f"{key}[{i}]")


def _read_toml(path: Path) -> dict[str, Any]:
    return read_toml_file(path)


def check_name(where: str, name: Any) -> str:
    """A scenario name is an identifier: it names output folders, so it may hold no path."""
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        raise ScenarioError(f"{where}: key 'name' = {shown(name)}: allowed {NAME_RULE}")
    return name


def _merge(base: dict, new: dict, depth: int = 0) -> dict:
    """Sections merge key by key; a value that is itself a table (``ownership_mix``,
    ``school_goal``) is replaced whole, since its shares must sum to 1 on their own."""
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    for k, v in new.items():
        if depth == 0 and isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v, depth + 1)
        else:
            out[k] = v
    return out


def _collect(path: Path, seen: tuple[Path, ...] = ()) -> tuple[list[Path], dict[str, Any], dict[str, Any]]:
    """Roots (files without ``extends``), the changes made on top of them, and the file's own data.

    A strategy that extends several others applies, in order, only what each of them changes:
    the shared baseline underneath is applied once, first.
    """
    path = path.resolve()
    if path in seen:
        raise ScenarioError(f"{path}: 'extends' forms a cycle")
    if len(seen) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(
            f"{seen[0]}: key 'extends': chain deeper than {MAX_EXTENDS_DEPTH} files; "
            f"allowed at most {MAX_EXTENDS_DEPTH}"
        )
    data = _read_toml(path)
    ext = data.get("extends", [])
    if isinstance(ext, str):
        ext = [ext]
    if not isinstance(ext, list) or not all(isinstance(e, str) for e in ext):
        raise ScenarioError(f"{path}: key 'extends' must be a file name or a list of them")
    own = {k: v for k, v in data.items() if k != "extends"}
    _check_keys(path, own)
    own_levers = {k: v for k, v in own.items() if k not in META_KEYS}
    if not ext:
        return [path], {}, own
    roots: list[Path] = []
    changes: dict[str, Any] = {}
    for e in ext:
        fname = e if e.endswith(".toml") else f"{e}.toml"
        if "\0" in fname:
            raise ScenarioError(f"{path}: key 'extends': {shown(e)} is not a file name")
        target = path.parent / fname
        if not _exists(target):
            target = SCENARIO_DIR / fname  # a built-in strategy
        if not _exists(target):
            raise ScenarioError(
                f"{path}: key 'extends': {shown(e)} is neither a file beside it nor a built-in "
                f"scenario ({', '.join(builtin_names())})"
            )
        r, c, _ = _collect(target, seen + (path,))
        roots += [x for x in r if x not in roots]
        changes = _merge(changes, c)
    return roots, _merge(changes, own_levers), own


def _exists(path: Path) -> bool:
    """Whether ``path`` exists; a name the system cannot take (too long) does not."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _load_raw(path: Path) -> dict[str, Any]:
    roots, changes, own = _collect(path)
    merged: dict[str, Any] = {}
    for r in roots:
        if r == path.resolve():
            continue
        merged = _merge(merged, {k: v for k, v in _read_toml(r).items() if k not in META_KEYS})
    return _merge(_merge(merged, changes), own)


def _check_keys(path: Path | str, data: dict[str, Any]) -> None:
    for k, v in data.items():
        if k in META_KEYS:
            if not isinstance(v, str):
                raise ScenarioError(f"{path}: key '{k}' must be a string")
            continue
        if k == "agents":
            _check_agent_tables(path, v)
            continue
        if k == "colleges":
            _check_college_tables(path, v)
            continue
        if k not in SECTIONS:
            raise ScenarioError(
                f"{path}: unknown key {shown(k)}{_suggest(k, list(SECTIONS) + list(META_KEYS) + ['agents', 'colleges'])}"
            )
        if not isinstance(v, dict):
            raise ScenarioError(f"{path}: '{k}' must be a table [{k}]")
        names = [f.name for f in dataclasses.fields(SECTIONS[k])]
        for kk in v:
            if kk not in names:
                raise ScenarioError(f"{path}: unknown key {shown(f'{k}.{kk}')}{_suggest(kk, names, k + '.')}")


def _check_agent_tables(path: Path | str, v: Any) -> None:
    """The shape of ``[[agents.schools]]`` / ``[[agents.firms]]``: lists of tables of ``ids`` and the
    side's own sections with known keys (values and ids are checked in :func:`build_params`)."""
    if not isinstance(v, dict):
        raise ScenarioError(f"{path}: 'agents' must hold tables [[agents.schools]] or [[agents.firms]]")
    for table, entries in v.items():
        if table not in AGENT_TABLES:
            raise ScenarioError(
                f"{path}: unknown key {shown(f'agents.{table}')}{_suggest(table, list(AGENT_TABLES), 'agents.')} "
                f"(allowed [[agents.schools]] and [[agents.firms]])"
            )
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise ScenarioError(f"{path}: 'agents.{table}' must be tables [[agents.{table}]], each with ids = [...]")
        side = AGENT_TABLES[table]
        own = SIDES[side]
        for i, e in enumerate(entries):
            where = f"agents.{table}[{i}]"
            if "ids" not in e:
                raise ScenarioError(
                    f"{path}: key '{where}.ids' is missing: allowed a list of {side} indices, e.g. ids = [0, 1, 2]"
                )
            for sec, vals in e.items():
                if sec == "ids":
                    continue
                if sec not in own:
                    if sec in SECTIONS:
                        who = next((s for s, secs in SIDES.items() if sec in secs), None)
                        whose = f"a {who}'s lever" if who else "not an agent's lever (the region's)"
                        raise ScenarioError(
                            f"{path}: key '{where}.{sec}': {sec} is {whose}; [[agents.{table}]] sets {', '.join(own)}"
                        )
                    raise ScenarioError(
                        f"{path}: unknown key {shown(f'{where}.{sec}')}{_suggest(sec, ['ids', *own], where + '.')} "
                        f"([[agents.{table}]] sets ids, {', '.join(own)})"
                    )
                if not isinstance(vals, dict):
                    raise ScenarioError(f"{path}: '{where}.{sec}' must be a table, e.g. {sec} = {{ ... }}")
                names = [f.name for f in dataclasses.fields(SECTIONS[sec])]
                for kk in vals:
                    if kk not in names:
                        raise ScenarioError(
                            f"{path}: unknown key {shown(f'{where}.{sec}.{kk}')}{_suggest(kk, names, f'{where}.{sec}.')}"
                        )


def _check_college_tables(path: Path | str, v: Any) -> None:
    """The shape of ``[[colleges]]`` (docs/odd.md M18): a list of tables with known keys, each with an
    optional ``[colleges.charter]`` table of known keys (values are checked in :func:`_build_colleges`)."""
    if not isinstance(v, list) or not all(isinstance(e, dict) for e in v):
        raise ScenarioError(f"{path}: 'colleges' must be tables [[colleges]], each with school, field and members")
    names = [f.name for f in dataclasses.fields(College)]
    charter_names = [f.name for f in dataclasses.fields(CollegeCharter)]
    for i, e in enumerate(v):
        where = f"colleges[{i}]"
        for k, val in e.items():
            if k not in names:
                raise ScenarioError(f"{path}: unknown key {shown(f'{where}.{k}')}{_suggest(k, names, where + '.')}")
            if k == "charter":
                if not isinstance(val, dict):
                    raise ScenarioError(
                        f"{path}: '{where}.charter' must be a table [colleges.charter] (an empty one: the charter's defaults)"
                    )
                for kk in val:
                    if kk not in charter_names:
                        raise ScenarioError(
                            f"{path}: unknown key {shown(f'{where}.charter.{kk}')}"
                            f"{_suggest(kk, charter_names, where + '.charter.')}"
                        )


def _build_colleges(where: str, data: dict[str, Any], params: Params) -> Colleges:
    """The [[colleges]] tables checked against the schema and the population: the school and field in
    range, founding members (by index or by rule) given, a firm in at most one college of a school,
    one college per field of a school."""
    pop = params.population
    fields = {f.name: f for f in dataclasses.fields(College)}
    charter_fields = {f.name: f for f in dataclasses.fields(CollegeCharter)}
    out = []
    seen_fields: dict[tuple[int, int], int] = {}
    seen_members: dict[tuple[int, int], int] = {}
    for i, e in enumerate(data.get("colleges", [])):
        key = f"colleges[{i}]"
        vals: dict[str, Any] = {}
        for k, v in e.items():
            if k == "charter":
                vals[k] = CollegeCharter(
                    **{kk: coerce(where, f"{key}.charter.{kk}", charter_fields[kk], vv) for kk, vv in v.items()}
                )
            elif k == "members":
                if not isinstance(v, list) or not all(isinstance(x, int) and not isinstance(x, bool) for x in v):
                    raise ScenarioError(
                        f"{where}: key '{key}.members' = {shown(v)}: allowed a list of integers "
                        f"0..{pop.firms - 1} (population.firms = {pop.firms})"
                    )
                bad = [x for x in v if not 0 <= x < pop.firms]
                if bad:
                    raise ScenarioError(
                        f"{where}: key '{key}.members': {shown(bad[0])} is out of range: allowed integers "
                        f"0..{pop.firms - 1} (population.firms = {pop.firms})"
                    )
                vals[k] = sorted(set(v))
            else:
                vals[k] = coerce(where, f"{key}.{k}", fields[k], v)
        c = College(**vals)
        for k, n, size in (("school", c.school, pop.schools), ("field", c.field, pop.programmes)):
            if n >= size:
                what = "population.schools" if k == "school" else "population.programmes"
                raise ScenarioError(
                    f"{where}: key '{key}.{k}' = {n} is out of range: allowed integers 0..{size - 1} ({what} = {size})"
                )
        if not c.members and c.member_count == 0:
            raise ScenarioError(
                f"{where}: key '{key}': a college needs founding members: allowed members = [firm indices] "
                f"or member_count = 1..200"
            )
        if (c.school, c.field) in seen_fields:
            raise ScenarioError(
                f"{where}: key '{key}.field' = {c.field}: school {c.school} already runs a college in this field "
                f"(colleges[{seen_fields[(c.school, c.field)]}]); allowed one college per field of a school"
            )
        seen_fields[(c.school, c.field)] = i
        for f in c.members:
            if (c.school, f) in seen_members:
                raise ScenarioError(
                    f"{where}: key '{key}.members': firm {f} is already a member of colleges[{seen_members[(c.school, f)]}] "
                    f"of school {c.school}; allowed one college of a school per firm"
                )
            seen_members[(c.school, f)] = i
        out.append(c)
    return Colleges(tables=out)


def _build_agents(where: str, data: dict[str, Any], params: Params) -> Agents:
    """The per-agent tables checked against the schema and the population: ids in range, values
    in their ranges, in their proper types."""
    out = Agents()
    for table, entries in data.get("agents", {}).items():
        n = params.population.schools if table == "schools" else params.population.firms
        size_key = f"population.{table}"
        checked = []
        for i, e in enumerate(entries):
            key = f"agents.{table}[{i}]"
            ids = e["ids"]
            ids = [ids] if isinstance(ids, int) and not isinstance(ids, bool) else ids
            if (
                not isinstance(ids, list)
                or not ids
                or not all(isinstance(x, int) and not isinstance(x, bool) for x in ids)
            ):
                raise ScenarioError(
                    f"{where}: key '{key}.ids' = {shown(e['ids'])}: allowed a non-empty list "
                    f"of integers 0..{n - 1} ({size_key} = {n})"
                )
            bad = [x for x in ids if not 0 <= x < n]
            if bad:
                raise ScenarioError(
                    f"{where}: key '{key}.ids': {shown(bad[0])} is out of range: allowed integers "
                    f"0..{n - 1} ({size_key} = {n})"
                )
            entry: dict[str, Any] = {"ids": sorted(set(ids))}
            for sec, vals in e.items():
                if sec == "ids":
                    continue
                fields = {f.name: f for f in dataclasses.fields(SECTIONS[sec])}
                entry[sec] = {k: coerce(where, f"{key}.{sec}.{k}", fields[k], v) for k, v in vals.items()}
            checked.append(entry)
        setattr(out, table, checked)
    return out


def _suggest(word: str, options: list[str], prefix: str = "") -> str:
    near = difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    return f"; did you mean '{prefix}{near[0]}'?" if near else ""


def coerce(where: str, key: str, f: dataclasses.Field, value: Any) -> Any:
    """Check one value against its schema field; return it in its proper type."""
    m = f.metadata
    default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[operator]
    allowed = _allowed(f, default)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ScenarioError(f"{where}: key '{key}' = {shown(value)}: allowed {allowed}")
        return value
    if isinstance(default, list):
        # a list of names checked and normalised by the field's own ``items`` (mechanisms.off)
        try:
            return m["items"](value)
        except ValueError as e:
            raise ScenarioError(f"{where}: key '{key}': {e}") from None
    if m.get("choices"):
        if value not in m["choices"]:
            raise ScenarioError(f"{where}: key '{key}' = {shown(value)}: allowed {allowed}")
        return value
    if isinstance(default, dict):
        if (
            not isinstance(value, dict)
            or set(value) - set(default)
            or not all(finite_number(x) and x >= 0 for x in value.values())
        ):
            raise ScenarioError(
                f"{where}: key '{key}': allowed a table of non-negative shares with keys {sorted(default)}"
            )
        full = {k: float(value.get(k, 0.0)) for k in default}
        if abs(sum(full.values()) - 1.0) > 1e-6:
            raise ScenarioError(f"{where}: key '{key}': shares must sum to 1 (they sum to {sum(full.values()):g})")
        return full
    if isinstance(default, int):
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, float) and value.is_integer())):
            raise ScenarioError(f"{where}: key '{key}' = {shown(value)}: allowed an integer in {allowed}")
        value = int(value)
    elif isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ScenarioError(f"{where}: key '{key}' = {shown(value)}: allowed a number in {allowed}")
        try:
            number = float(value)
        except OverflowError:  # an integer past the largest float
            raise ScenarioError(f"{where}: key '{key}' = {shown(value)} is out of range: allowed {allowed}") from None
        if not math.isfinite(number):
            raise ScenarioError(f"{where}: key '{key}' = {shown(value)}: allowed a finite number in {allowed}")
        value = number
    lo, hi = m.get("lo"), m.get("hi")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ScenarioError(f"{where}: key '{key}' = {shown(value)} is out of range: allowed {allowed}")
    return value


RANGE_UNIT = re.compile(r"\s*-?[\d.]+\s*(\.\.|-|–)\s*-?[\d.]+\s*")


def _allowed(f: dataclasses.Field, default: Any) -> str:
    m = f.metadata
    if isinstance(default, bool):
        return "true or false"
    if m.get("choices"):
        return " or ".join(f'"{c}"' for c in m["choices"])
    # a unit that only restates a range ("0..1") would say the range twice
    unit = f" ({m['unit']})" if m.get("unit") and not RANGE_UNIT.fullmatch(m["unit"]) else ""
    return f"{m.get('lo')}..{m.get('hi')}{unit}"


def build_params(where: str, data: dict[str, Any]) -> Params:
    _check_keys(where, data)
    sections = {}
    for sname, cls in SECTIONS.items():
        fields = {f.name: f for f in dataclasses.fields(cls)}
        vals = {k: coerce(where, f"{sname}.{k}", fields[k], v) for k, v in data.get(sname, {}).items()}
        sections[sname] = cls(**vals)
    p = Params(**sections)
    if p.population.partners_per_school > p.population.firms:
        raise ScenarioError(
            f"{where}: key 'population.partners_per_school' = {p.population.partners_per_school}: "
            f"allowed at most population.firms = {p.population.firms}"
        )
    p.agents = _build_agents(where, data, p)
    p.colleges = _build_colleges(where, data, p)
    return p


def parse_override(text: str) -> tuple[str, str, Any]:
    """Parse ``section.key=value`` with TOML syntax for the value."""
    if "=" not in text or "." not in text.split("=", 1)[0]:
        raise ScenarioError(f"--set {shown(text, raw=True)}: expected section.key=value, e.g. communication.depth=0.8")
    lhs, rhs = text.split("=", 1)
    section, key = lhs.strip().split(".", 1)
    try:
        value = parse_toml_value(rhs.strip(), f"--set {shown(lhs.strip(), raw=True)}")
    except tomllib.TOMLDecodeError:
        value = rhs.strip()  # a bare word such as integrated
    return section, key, value


def load_scenario(name_or_path: str | Path, overrides: dict[str, Any] | list[str] | None = None, **kw: Any) -> Scenario:
    """Load a built-in name or a TOML path, apply overrides and validate.

    ``overrides`` is ``{"communication.depth": 0.8}`` or a list of ``"section.key=value"``;
    keyword arguments use ``section__key=value``.
    """
    path = resolve_path(name_or_path)
    data = _load_raw(path)
    ov: dict[str, Any] = {}
    if isinstance(overrides, list):
        for t in overrides:
            s, k, v = parse_override(t)
            ov[f"{s}.{k}"] = v
    elif overrides:
        ov.update(overrides)
    for k, v in kw.items():
        ov[k.replace("__", ".", 1)] = v
    for dotted, v in ov.items():
        if "." not in dotted:
            raise ScenarioError(f"--set {shown(dotted, raw=True)}: expected section.key=value")
        s, k = dotted.split(".", 1)
        data = _merge(data, {s: {k: v}})
    where = str(path) if not ov else f"{path} with --set"
    params = build_params(where, data)
    if "name" in data:
        name = check_name(str(path), data["name"])
    else:
        name = path.stem
        if not NAME_RE.fullmatch(name):
            raise ScenarioError(
                f'{path}: the file name makes no scenario name ({NAME_RULE}); add a line name = "my_strategy"'
            )
    return Scenario(
        name=name,
        params=params,
        title_en=data.get("title_en", ""),
        title_zh=data.get("title_zh", ""),
        description=data.get("description", ""),
        path=str(path),
        overrides=ov,
    )


def to_toml(scn: Scenario) -> str:
    """The fully resolved parameters as TOML text."""

    def fmt(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{k} = {fmt(x)}" for k, x in v.items()) + " }"
        if isinstance(v, (list, tuple)):
            return "[" + ", ".join(fmt(x) for x in v) + "]"
        return repr(v)

    lines = [
        f"name = {fmt(scn.name)}",
        f"title_en = {fmt(scn.title_en)}",
        f"title_zh = {fmt(scn.title_zh)}",
        f"description = {fmt(scn.description)}",
    ]
    for sname, vals in scn.params.to_dict().items():
        if sname in ("agents", "colleges"):
            continue
        lines.append(f"\n[{sname}]")
        lines += [f"{k} = {fmt(v)}" for k, v in vals.items()]
    # per-agent values (docs/odd.md §11), only where the scenario has them
    for table, entries in scn.params.to_dict()["agents"].items():
        for e in entries:
            lines.append(f"\n[[agents.{table}]]")
            lines += [f"{k} = {fmt(v)}" for k, v in e.items()]
    # industry colleges (docs/odd.md M18), only where the scenario has them
    for c in scn.params.to_dict()["colleges"]["tables"]:
        lines.append("\n[[colleges]]")
        lines += [f"{k} = {fmt(v)}" for k, v in c.items() if k != "charter"]
        if c["charter"] is not None:
            lines.append("\n[colleges.charter]")
            lines += [f"{k} = {fmt(v)}" for k, v in c["charter"].items()]
    return "\n".join(lines) + "\n"
