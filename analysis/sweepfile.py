"""Sweep files (``scenarios/sweeps/*.toml``) and their designs.

A sweep file names a base scenario, a design (``grid``, or SALib's ``latin``, ``sobol`` and
``morris`` samplers), the levers it varies and how many replicates each design point gets::

    base = "baseline"            # a scenario name or path
    design = "grid"              # grid | latin | sobol | morris
    samples = 64                 # latin: points; sobol: N (runs = N·(2D+2)·replicates); morris: trajectories
    replicates = 3
    seed = 0
    [levers]
    "communication.depth" = [0.1, 0.3, 0.5, 0.7, 0.9]        # grid: values
    "goal_alignment.weight" = { low = 0.0, high = 1.0 }      # other designs: a range
    [fixed]                      # optional: levers held at a value in every run
    "run.years" = 5
    [cluster]                    # optional, for --cluster: queue, cores, memory, walltime, account, interface

In a sampled design a list of values (e.g. ``[false, true]`` or party-building modes) is drawn
uniformly, so switches and menus can enter Sobol and Morris designs too.

Validation follows ``sim.scenario``: every problem is one line naming the file, the key and
what is allowed; NaN and infinities are refused anywhere (they pass every range check), and so
is anything but a regular UTF-8 file.  ``--set section.key=value`` on the command line is held
fixed like ``[fixed]`` (and overrides it).  Run *r* of every design point uses the seed derived from ``(seed, r)`` by
``numpy.random.SeedSequence``, so design points are compared under common random numbers.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import math
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim.inputs import parse_toml, shown, too_many_digits
from sim.params import SECTIONS, Params
from sim.scenario import ScenarioError, coerce, load_scenario, parse_override, to_toml

SWEEP_DIR = Path(__file__).resolve().parent.parent / "scenarios" / "sweeps"
DESIGNS = ("grid", "latin", "sobol", "morris")
TOP_KEYS = ("name", "description", "base", "design", "samples", "replicates", "seed", "levers", "fixed", "cluster")
CLUSTER_KEYS: dict[str, type] = {
    "queue": str,
    "account": str,
    "cores": int,
    "processes": int,
    "memory": str,
    "walltime": str,
    "interface": str,
}
MORRIS_LEVELS = 4  # grid levels of a Morris trajectory (SALib's default)
MAX_RUNS = 10_000_000  # a guard against a typo in ``samples``
MANIFEST_POINTS = 500  # explicit points listed in the manifest; more are named by their hash
MANIFEST_CELLS = 20_000  # nor more values than this (points x levers: a calibration drawing every assumption)


@dataclass(frozen=True)
class Lever:
    """One varied lever: a list of values, or a numeric range (``low``..``high``)."""

    key: str
    values: tuple[Any, ...] = ()
    low: float = 0.0
    high: float = 0.0
    integer: bool = False

    @property
    def is_range(self) -> bool:
        return not self.values

    def bounds(self) -> list[float]:
        """Bounds of this lever in the SALib problem (a list of k values maps to [0, k])."""
        return [float(self.low), float(self.high)] if self.is_range else [0.0, float(len(self.values))]

    def value(self, x: float) -> Any:
        """The lever value applied for a raw design coordinate ``x``."""
        if self.values:
            return self.values[min(int(math.floor(x)), len(self.values) - 1)]
        if self.integer:
            return int(min(max(round(x), self.low), self.high))
        return float(x)


@dataclass
class Sweep:
    name: str
    path: str
    base: str
    design: str
    samples: int
    replicates: int
    seed: int
    levers: tuple[Lever, ...]
    fixed: dict[str, Any] = field(default_factory=dict)
    cluster: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    base_params: Params = field(default_factory=Params)
    base_toml: str = ""
    explicit: tuple[dict[str, Any], ...] = ()  # design "points": the points themselves (calibration)
    sets: tuple[str, ...] = ()  # --set key=value given on the command line (also in fixed)
    point_seeds: tuple[int, ...] = ()  # design "points": each point's own seed (sesim compare --uncertainty)

    # --- the design ---------------------------------------------------------------------
    def problem(self) -> dict[str, Any]:
        """The SALib problem definition."""
        return {
            "num_vars": len(self.levers),
            "names": [lv.key for lv in self.levers],
            "bounds": [lv.bounds() for lv in self.levers],
        }

    def matrix(self) -> np.ndarray:
        """Raw design coordinates, one row per design point (SALib's sample for sampled designs)."""
        if self.design == "points":
            return np.asarray([[float(pt[lv.key]) for lv in self.levers] for pt in self.explicit], dtype=float)
        if self.design == "grid":
            idx = list(itertools.product(*[range(len(lv.values)) for lv in self.levers]))
            return np.asarray(idx, dtype=float).reshape(len(idx), len(self.levers))
        prob = self.problem()
        if self.design == "latin":
            from SALib.sample import latin

            return latin.sample(prob, self.samples, seed=self.seed)
        if self.design == "sobol":
            from SALib.sample import sobol

            return sobol.sample(prob, self.samples, calc_second_order=True, scramble=True, seed=self.seed)
        from SALib.sample import morris

        return morris.sample(prob, self.samples, num_levels=MORRIS_LEVELS, seed=self.seed)

    def points(self) -> list[dict[str, Any]]:
        """The lever values of every design point, in design order."""
        if self.design == "points":
            return [{lv.key: lv.value(pt[lv.key]) for lv in self.levers} for pt in self.explicit]
        return [{lv.key: lv.value(x) for lv, x in zip(self.levers, row)} for row in self.matrix()]

    def n_points(self) -> int:
        d = len(self.levers)
        if self.design == "points":
            return len(self.explicit)
        return {
            "grid": math.prod(len(lv.values) for lv in self.levers),
            "latin": self.samples,
            "sobol": self.samples * (2 * d + 2),
            "morris": self.samples * (d + 1),
        }[self.design]

    def n_runs(self) -> int:
        return self.n_points() * self.replicates

    def run_seed(self, replicate: int) -> int:
        """Seed of replicate ``r`` at every design point (common random numbers)."""
        return replicate_seed(self.seed, replicate)

    def describe(self, max_cells: int | None = MANIFEST_CELLS) -> dict[str, Any]:
        """The sweep as plain data, for the manifest: explicit points are listed up to
        ``MANIFEST_POINTS`` points and ``max_cells`` values, else named by their hash (the manifest,
        rewritten after every batch, would otherwise grow to megabytes).  :meth:`fingerprint` does
        not cap the values (``max_cells=None``), so a folder's fingerprint is what it was."""
        listed = len(self.explicit) <= MANIFEST_POINTS and (
            max_cells is None or len(self.explicit) * max(len(self.levers), 1) <= max_cells
        )
        return {
            "name": self.name,
            "file": self.path,
            "description": self.description,
            "base": self.base,
            "design": self.design,
            "samples": self.samples,
            "replicates": self.replicates,
            "seed": self.seed,
            "fixed": self.fixed,
            "cluster": self.cluster,
            "levers": [
                {"key": lv.key, "values": list(lv.values)}
                if lv.values
                else {"key": lv.key, "low": lv.low, "high": lv.high, "integer": lv.integer}
                for lv in self.levers
            ],
            **(
                {"points": [dict(pt) for pt in self.explicit]}
                if self.explicit and listed
                else {"points_sha256": _points_hash(self.explicit)}
                if self.explicit
                else {}
            ),
            **({"point_seeds_sha256": _points_hash(self.point_seeds)} if self.point_seeds else {}),
            **({"sets": list(self.sets)} if self.sets else {}),
        }

    def fingerprint(self) -> str:
        """A hash of everything that decides the runs' results (not the cluster settings)."""
        d = self.describe(max_cells=None)
        for k in ("name", "file", "description", "cluster"):
            d.pop(k)
        d.pop("sets", None)  # their values are in "fixed" and the base parameters
        d["base_params"] = self.base_toml.split("\n[", 1)[-1]  # parameters, not titles
        return hashlib.sha256(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _points_hash(points: Any) -> str:
    return hashlib.sha256(json.dumps(points, sort_keys=True, default=str).encode()).hexdigest()


def replicate_seed(root: int, replicate: int) -> int:
    """A 63-bit model seed derived from the sweep's seed and the replicate number."""
    return int(np.random.SeedSequence([root, replicate]).generate_state(1, np.uint64)[0] >> np.uint64(1))


def resolve_sweep_path(name_or_path: str | Path) -> Path:
    p = Path(name_or_path)
    shown = str(name_or_path) if len(str(name_or_path)) <= 80 else str(name_or_path)[:77] + "..."
    try:  # a name longer than the file system allows raises, as does a NUL
        exists = p.exists()
    except (OSError, ValueError) as e:
        raise ScenarioError(f"{shown}: not a usable file name ({getattr(e, 'strerror', None) or e})") from None
    if exists or p.suffix == ".toml" or "/" in str(name_or_path):
        if not exists:
            raise ScenarioError(f"{shown}: file not found")
        return p
    cand = SWEEP_DIR / f"{name_or_path}.toml"
    try:
        if cand.exists():
            return cand
    except (OSError, ValueError):
        pass
    names = sorted(q.stem for q in SWEEP_DIR.glob("*.toml"))
    raise ScenarioError(f"{shown}: no such sweep file (built-in sweeps: {', '.join(names)})")


def _field(where: str, key: str) -> dataclasses.Field:
    if not isinstance(key, str) or key.count(".") != 1:
        raise ScenarioError(f'{where}: key {shown(key)}: expected section.key, e.g. "communication.depth"')
    s, k = key.split(".")
    if s not in SECTIONS:
        import difflib

        near = difflib.get_close_matches(s, list(SECTIONS), n=1)
        hint = f"; did you mean '{near[0]}.{k}'?" if near else f" (sections: {', '.join(SECTIONS)})"
        raise ScenarioError(f"{where}: unknown key {shown(key)}{hint}")
    fields = {f.name: f for f in dataclasses.fields(SECTIONS[s])}
    if k not in fields:
        import difflib

        near = difflib.get_close_matches(k, list(fields), n=1, cutoff=0.5)
        hint = f"; did you mean '{s}.{near[0]}'?" if near else ""
        raise ScenarioError(f"{where}: unknown key {shown(key)}{hint}")
    if key == "run.seed":
        raise ScenarioError(f"{where}: key '{key}': seeds come from the sweep's own 'seed'; not a lever")
    return fields[k]


def _default(f: dataclasses.Field) -> Any:
    return f.default if f.default is not dataclasses.MISSING else f.default_factory()


def _lever(where: str, key: str, spec: Any, design: str) -> Lever:
    f = _field(where, key)
    default = _default(f)
    if isinstance(default, (dict, list)):
        what = "a table of shares" if isinstance(default, dict) else "a list (mechanisms switched off)"
        raise ScenarioError(f"{where}: key 'levers.\"{key}\"': {what} cannot be varied; set it in the base scenario")
    if isinstance(spec, list):
        if not spec:
            raise ScenarioError(f"{where}: key 'levers.\"{key}\"': give at least one value")
        vals = tuple(coerce(where, f'levers."{key}"', f, v) for v in spec)
        if len(set(vals)) != len(vals):
            raise ScenarioError(f"{where}: key 'levers.\"{key}\"': values repeat")
        return Lever(key, values=vals)
    if isinstance(spec, dict):
        if design == "grid":
            raise ScenarioError(f"{where}: key 'levers.\"{key}\"': a grid needs a list of values, e.g. [0.1, 0.5, 0.9]")
        if set(spec) != {"low", "high"}:
            raise ScenarioError(
                f"{where}: key 'levers.\"{key}\"': allowed a range {{ low = ..., high = ... }} or a list of values"
            )
        if isinstance(default, bool) or f.metadata.get("choices"):
            raise ScenarioError(
                f"{where}: key 'levers.\"{key}\"': a switch or menu takes a list of values, e.g. [false, true]"
            )
        lo = coerce(where, f'levers."{key}".low', f, spec["low"])
        hi = coerce(where, f'levers."{key}".high', f, spec["high"])
        if not lo < hi:
            raise ScenarioError(f"{where}: key 'levers.\"{key}\"': low = {lo} must be below high = {hi}")
        return Lever(key, low=lo, high=hi, integer=isinstance(default, int))
    raise ScenarioError(
        f"{where}: key 'levers.\"{key}\"' = {shown(spec)}: allowed a list of values "
        "or a range { low = ..., high = ... }"
    )


def _int(where: str, data: dict, key: str, default: int | None, lo: int, hi: int | None = None) -> int:
    v = data.get(key, default)
    if v is None:
        raise ScenarioError(f"{where}: key '{key}' is missing: allowed an integer >= {lo}")
    if isinstance(v, bool) or not isinstance(v, int) or v < lo or (hi is not None and v > hi):
        rng = f"{lo}..{hi}" if hi is not None else f">= {lo}"
        raise ScenarioError(f"{where}: key '{key}' = {shown(v)}: allowed an integer {rng}")
    return v


def read_text(path: Path, what: str = "a sweep file") -> str:
    """The text of a regular UTF-8 file; one line saying why not for a folder, a FIFO or device
    (never opened: reading one would block or never end) or bytes that are not UTF-8."""
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise ScenarioError(f"{path}: is a folder; allowed {what} (a TOML file)")
        if not stat.S_ISREG(mode):
            raise ScenarioError(f"{path}: not a regular file (a FIFO, socket or device); allowed {what} (a TOML file)")
        raw = path.read_bytes()
    except OSError as e:
        raise ScenarioError(f"{path}: cannot read: {e.strerror or e}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ScenarioError(
            f"{path}: not UTF-8 text (byte {e.start} is 0x{raw[e.start]:02x}); allowed {what} (a TOML file)"
        ) from None


def _check_finite(where: str, value: Any, key: str = "") -> None:
    """Refuse NaN and infinities anywhere: NaN passes every range check (all its comparisons are false)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ScenarioError(f"{where}: key '{key}' = {value}: allowed a finite number")
    if isinstance(value, int) and not isinstance(value, bool) and too_many_digits(value):
        raise ScenarioError(f"{where}: key '{key}' = {shown(value)}: allowed a number in the key's range")
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for k, v in items:
        sub = f"{key}[{k}]" if isinstance(k, int) else (f'"{k}"' if "." in k else k)
        _check_finite(where, v, sub if not key or isinstance(k, int) else f"{key}.{sub}")


def parse_sets(where: str, sets: list[str] | tuple[str, ...], levers: dict[str, Any]) -> dict[str, Any]:
    """``--set section.key=value`` texts as validated ``{key: value}``, checked like ``[fixed]``;
    a key the sweep varies is refused."""
    out: dict[str, Any] = {}
    for text in sets:
        s, k, v = parse_override(text)
        key, flag = f"{s}.{k}", f"--set {shown(text, raw=True)}"
        _check_finite(flag, v, key)
        out[key] = coerce(flag, key, _field(flag, key), v)
        if key in levers:
            raise ScenarioError(
                f"{flag}: '{key}' is varied in [levers] of {where}; --set holds only levers the sweep does not vary"
            )
    return out


def load_sweep(name_or_path: str | Path, sets: list[str] | tuple[str, ...] = ()) -> Sweep:
    """Read and validate a sweep file, with ``sets`` (``section.key=value`` from ``--set``) held
    fixed; raise :class:`ScenarioError` with one line on any problem."""
    path = resolve_sweep_path(name_or_path)
    where = str(path)
    try:
        data = parse_toml(read_text(path), where)
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"{where}: not valid TOML: {e}") from None
    _check_finite(where, data)
    for k in data:
        if k not in TOP_KEYS:
            import difflib

            near = difflib.get_close_matches(k, TOP_KEYS, n=1)
            hint = f"; did you mean '{near[0]}'?" if near else f" (allowed: {', '.join(TOP_KEYS)})"
            raise ScenarioError(f"{where}: unknown key {shown(k)}{hint}")
    design = data.get("design", "grid")
    if design not in DESIGNS:
        raise ScenarioError(
            f"{where}: key 'design' = {shown(design)}: allowed " + " or ".join(f'"{d}"' for d in DESIGNS)
        )
    samples = _int(where, data, "samples", 0 if design == "grid" else None, 0 if design == "grid" else 1)
    if design == "sobol" and samples & (samples - 1):
        raise ScenarioError(
            f"{where}: key 'samples' = {samples}: a Sobol design needs a power of 2 "
            f"(e.g. {1 << max(samples.bit_length() - 1, 0)} or {1 << samples.bit_length()})"
        )
    replicates = _int(where, data, "replicates", 1, 1)
    seed = _int(where, data, "seed", 0, 0, 2**63 - 1)
    base = data.get("base", "baseline")
    if not isinstance(base, str):
        raise ScenarioError(f"{where}: key 'base' must be a scenario name or path (a string)")
    for t in ("levers", "fixed", "cluster"):
        if t in data and not isinstance(data[t], dict):
            raise ScenarioError(f"{where}: '{t}' must be a table [{t}]")
    raw_levers = data.get("levers", {})
    if not raw_levers:
        raise ScenarioError(
            f'{where}: [levers] is empty: name at least one lever to vary, e.g. "communication.depth" = [0.1, 0.5, 0.9]'
        )
    levers = tuple(_lever(where, k, v, design) for k, v in raw_levers.items())
    if design == "morris" and any(not lv.is_range and len(lv.values) > MORRIS_LEVELS for lv in levers):
        raise ScenarioError(f"{where}: a Morris design takes lists of at most {MORRIS_LEVELS} values")
    fixed = dict(data.get("fixed", {}))
    for k, v in fixed.items():
        f = _field(where, k)
        fixed[k] = coerce(where, f'fixed."{k}"', f, v)
        if k in raw_levers:
            raise ScenarioError(f"{where}: key '{k}' is both varied in [levers] and held in [fixed]")
    fixed.update(parse_sets(where, sets, raw_levers))
    cluster = dict(data.get("cluster", {}))
    for k, v in cluster.items():
        if k not in CLUSTER_KEYS:
            raise ScenarioError(f"{where}: unknown key 'cluster.{k}' (allowed: {', '.join(CLUSTER_KEYS)})")
        typ = CLUSTER_KEYS[k]
        if not isinstance(v, typ) or isinstance(v, bool) or (typ is int and v < 1):
            kind = "an integer >= 1" if typ is int else "a string"
            raise ScenarioError(f"{where}: key 'cluster.{k}' = {shown(v)}: allowed {kind}")
    # a relative base path is read from the sweep file's folder when it is not found from here
    rel = path.parent / base
    scn = load_scenario(
        str(rel) if base.endswith(".toml") and not Path(base).exists() and rel.exists() else base, fixed
    )
    sw = Sweep(
        name=str(data.get("name", path.stem)),
        path=where,
        base=base,
        design=design,
        samples=samples,
        replicates=replicates,
        seed=seed,
        levers=levers,
        fixed=fixed,
        cluster=cluster,
        description=str(data.get("description", "")),
        base_params=scn.params,
        base_toml=to_toml(scn),
        sets=tuple(sets),
    )
    n = sw.n_runs()
    if n > MAX_RUNS:
        raise ScenarioError(f"{where}: {n} runs is more than {MAX_RUNS}; lower 'samples', 'replicates' or the values")
    _check_points(where, sw)
    return sw


def _check_points(where: str, sw: Sweep) -> None:
    """Cross-lever constraints (partners per school at most the firms) at every design point."""
    keys = {lv.key for lv in sw.levers}
    if not keys & {"population.partners_per_school", "population.firms"}:
        return
    for i, pt in enumerate(sw.points()):
        p = apply(sw.base_params, pt)
        if p.population.partners_per_school > p.population.firms:
            raise ScenarioError(
                f"{where}: design point {i} sets population.partners_per_school = "
                f"{p.population.partners_per_school} above population.firms = {p.population.firms}"
            )


def apply(base: Params, point: dict[str, Any]) -> Params:
    """A copy of ``base`` with the design point's lever values."""
    import copy

    p = copy.deepcopy(base)
    for key, v in point.items():
        s, k = key.split(".")
        setattr(getattr(p, s), k, v)
    return p
