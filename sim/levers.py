"""The levers each school and each firm sets, as arrays over the agents (docs/odd.md §11).

A lever of the schema (``sim/params.py``) is a school's or a firm's to set (``SCHOOL_SECTIONS``,
``FIRM_SECTIONS``).  The model keeps each one as an array over that side's agents, addressed by its
section and name as the scenario file writes it: ``levers.communication.depth[s]``,
``levers.firm_support.resources[f]``.  The classes that hold them (:class:`SchoolLevers`,
:class:`FirmLevers` and one class per section) are generated from the schema into
``sim/lever_arrays.py`` by ``python -m sim.levers``, so that grep and a type checker can follow a
lever from the schema to every mechanism that reads it; ``tests/test_levers.py`` fails when the
generated file and the schema disagree.

A key keeps its section everywhere (``of`` and ``get`` speak full keys), so two sections may share a
field name without one lever hiding another.  ``party_building.mode`` is stored as its code
(``sim.state.PARTY_MODES``); :func:`encode` and :func:`decode` turn a schema value into what an array
holds and back.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import numpy as np
import numpy.typing as npt

from .params import SECTIONS, SIDES
from .state import PARTY_MODES

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

GENERATED = Path(__file__).with_name("lever_arrays.py")
SIDE_CLASSES = {"school": "SchoolLevers", "firm": "FirmLevers"}

L = TypeVar("L", bound="LeverSet")


def lever_field(key: str) -> dataclasses.Field:
    """The schema's field of lever ``key`` (``section.name``)."""
    section, name = key.split(".", 1)
    return {f.name: f for f in dataclasses.fields(SECTIONS[section])}[name]


def encode(f: dataclasses.Field, value: Any) -> Any:
    """A lever's value as it is stored in its array: a choice as its code, the rest as it is."""
    return PARTY_MODES[value] if f.metadata.get("choices") else value


def decode(f: dataclasses.Field, value: Any) -> Any:
    """A stored value back as the schema's Python value (``"integrated"``, ``True``, ``0.7``, ``6``)."""
    if f.metadata.get("choices"):
        return {v: k for k, v in PARTY_MODES.items()}[int(value)]
    default = f.default
    if isinstance(default, bool):
        return bool(value)
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


class LeverSection:
    """The arrays of one section's levers (a generated dataclass of ``sim/lever_arrays.py``)."""

    SECTION: ClassVar[str] = ""


class LeverSet:
    """The levers one side sets, one :class:`LeverSection` per section of the schema (a generated
    dataclass of ``sim/lever_arrays.py``): ``levers.<section>.<name>`` is an array over the side's agents."""

    SIDE: ClassVar[str] = ""

    @classmethod
    def from_params(cls: type[L], params: Any, n: int) -> L:
        """Every agent of the side at the scenario's value: a model without per-agent values computes
        exactly as with scalars."""
        sections = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]  # L is a dataclass (LeverSet subclasses are generated as such)
            section_cls = _resolve(f.type, cls)
            scalars = getattr(params, f.name)
            sections[f.name] = section_cls(
                **{
                    g.name: np.full(n, encode(lever_field(f"{f.name}.{g.name}"), getattr(scalars, g.name)))
                    for g in dataclasses.fields(section_cls)
                }
            )
        return cls(**sections)

    @property
    def keys(self) -> list[str]:
        """Every lever key of the side (``section.name``), in the schema's order."""
        return [
            f"{f.name}.{g.name}"
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
            for g in dataclasses.fields(getattr(self, f.name))
        ]

    def array(self, key: str) -> np.ndarray:
        """The array of lever ``key`` (``section.name``) over the side's agents."""
        section, name = key.split(".", 1)
        return getattr(getattr(self, section), name)

    def set(self, key: str, ids: Any, value: Any) -> None:
        """Set lever ``key`` (already checked against the schema) for the agents ``ids``."""
        self.array(key)[ids] = encode(lever_field(key), value)

    def get(self, key: str, i: int) -> Any:
        """Agent ``i``'s value of lever ``key``, as the schema's Python value."""
        return decode(lever_field(key), self.array(key)[i])

    def of(self, i: int) -> dict[str, Any]:
        """Every lever of agent ``i``, by key, as schema values."""
        return {key: self.get(key, i) for key in self.keys}


def _resolve(annotation: Any, owner: type) -> type:
    """A field's class from its annotation (a string under ``from __future__ import annotations``), looked
    up in the module that defines ``owner`` (the generated sim/lever_arrays.py, which imports this module:
    this one does not import it back, docs/odd.md §14)."""
    if isinstance(annotation, str):
        return getattr(sys.modules[owner.__module__], annotation)
    return annotation


# ------------------------------------------------------------------ the generated module
def section_class(section: str) -> str:
    return "".join(w.title() for w in section.split("_")) + "Levers"


def array_type(f: dataclasses.Field) -> str:
    """The type of a lever's array: a choice is stored as its code."""
    if f.metadata.get("choices") or (isinstance(f.default, int) and not isinstance(f.default, bool)):
        return "IntArray"
    return "BoolArray" if isinstance(f.default, bool) else "FloatArray"


def generate() -> str:
    """The source of ``sim/lever_arrays.py`` for the schema as it is."""
    out = [
        '"""The lever arrays of a school and of a firm, one dataclass per section of the schema.',
        "",
        "Generated from sim/params.py by ``python -m sim.levers``: do not edit by hand (tests/test_levers.py",
        "checks that this file is what the schema generates).  See sim/levers.py and docs/odd.md §11.",
        '"""',
        "from __future__ import annotations",
        "",
        "from dataclasses import dataclass",
        "from typing import ClassVar",
        "",
        "from .levers import BoolArray, FloatArray, IntArray, LeverSection, LeverSet",
        "",
        "__all__ = ["
        + ", ".join(
            repr(n)
            for n in [
                *(section_class(s) for side in SIDES for s in SIDES[side]),
                *(SIDE_CLASSES[side] for side in SIDES),
            ]
        )
        + "]",
        "",
    ]
    for side, sections in SIDES.items():
        for s in sections:
            out += [
                "",
                "@dataclass",
                f"class {section_class(s)}(LeverSection):",
                f'    """``{s}.*``: each lever an array over the {side}s."""',
                "",
                f'    SECTION: ClassVar[str] = "{s}"',
                *(f"    {f.name}: {array_type(f)}" for f in dataclasses.fields(SECTIONS[s])),
                "",
            ]
    for side, sections in SIDES.items():
        out += [
            "",
            "@dataclass",
            f"class {SIDE_CLASSES[side]}(LeverSet):",
            f'    """The levers each {side} sets (``model.{side}_levers``): ``<section>.<lever>[{side[0]}]``."""',
            "",
            f'    SIDE: ClassVar[str] = "{side}"',
            *(f"    {s}: {section_class(s)}" for s in sections),
            "",
        ]
    return "\n".join(out).rstrip("\n") + "\n"


def main() -> None:
    GENERATED.write_text(generate(), encoding="utf-8")
    print(f"wrote {GENERATED}", file=sys.stderr)


if __name__ == "__main__":
    main()
