"""House rules that keep results reproducible across machines: pinned dependencies (constraints.txt) that
every install uses, and the environment the tests run in being the pinned one."""

from __future__ import annotations

import importlib.metadata as md
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_LIBRARIES = ("numpy", "scipy", "pandas")  # the golden baseline's digits depend on these


def pins() -> dict[str, str]:
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    found = [
        re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", ln.strip()) for ln in lines if ln.strip() and not ln.startswith("#")
    ]
    assert all(found), "every line of constraints.txt is name==version"
    return {canonicalize_name(m.group(1)): m.group(2) for m in found if m}


def test_constraints_pin_every_dependency_of_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    named = [Requirement(r) for r in project["dependencies"]]
    named += [Requirement(r) for extra in project["optional-dependencies"].values() for r in extra]
    pinned = pins()
    missing = {
        r.name for r in named if canonicalize_name(r.name) != "sesim" and canonicalize_name(r.name) not in pinned
    }
    assert not missing, f"not in constraints.txt (run make constraints): {sorted(missing)}"
    for r in named:
        if canonicalize_name(r.name) in pinned:
            assert r.specifier.contains(pinned[canonicalize_name(r.name)], prereleases=True), (
                r,
                pinned[canonicalize_name(r.name)],
            )


def test_every_install_uses_the_constraints():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = re.findall(r"pip install -q (?!--upgrade pip)[^\n]*", make)
    assert len(installs) >= 2 and all("-c constraints.txt" in line for line in installs), installs


@pytest.mark.parametrize("name", GOLDEN_LIBRARIES)
def test_the_tests_run_on_the_pinned_versions(name):
    assert md.version(name) == pins()[name], f"{name} {md.version(name)} is not the pinned one: run make setup"
