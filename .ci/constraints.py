"""Write constraints.txt: ``pip freeze --exclude-editable`` of this environment, restricted to what
sesim and every extra of pyproject.toml need, directly or through their own dependencies.

Run by ``make constraints`` after changing a dependency in pyproject.toml (and installing it), so that
``make setup``, ``make demo`` and CI install the versions the tests and the golden baseline ran with.
"""

from __future__ import annotations

import importlib.metadata as md
import subprocess
import sys
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _applies(marker: Marker | None, extras: set[str]) -> bool:
    if marker is None:
        return True
    return any(marker.evaluate({"extra": e}) for e in extras | {""})


def needed(package: str = "sesim") -> set[str]:
    """Canonical names of the installed distributions ``package`` with all its extras needs."""
    extras_of: dict[str, set[str]] = {}
    todo = [(package, set(md.metadata(package).get_all("Provides-Extra") or []))]
    while todo:
        name, extras = todo.pop()
        key = canonicalize_name(name)
        known = extras_of.get(key)
        if known is not None and extras <= known:
            continue
        extras_of[key] = (known or set()) | extras
        try:
            reqs = md.distribution(name).requires or []
        except md.PackageNotFoundError:  # a dependency of a marker this platform does not meet
            continue
        for text in reqs:
            req = Requirement(text)
            if _applies(req.marker, extras):
                todo.append((req.name, set(req.extras)))
    extras_of.pop(canonicalize_name(package), None)
    return set(extras_of)


def main() -> int:
    keep = needed()
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    pins = sorted(
        (line for line in frozen if "==" in line and canonicalize_name(line.split("==")[0]) in keep), key=str.lower
    )
    header = (
        "# Versions sesim's tests and golden baseline ran with (make constraints writes this file from the\n"
        "# environment: pip freeze, restricted to what pyproject.toml and its extras need).\n"
        "# make setup and make demo install with -c constraints.txt.\n"
    )
    (ROOT / "constraints.txt").write_text(header + "\n".join(pins) + "\n", encoding="utf-8")
    print(f"constraints.txt: {len(pins)} pins")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
