"""Every behavioural parameter says what it is (issue 15, point 1) and the posterior travels
with the project (issue 15, point 2).

Point 1: in the schema each ``Behaviour`` field has a ``kind`` (calibrated, literature or
assumption), a ``why`` (its source or argument) and, unless it is a profile (dict), a plausible
range inside its validation range that contains its default; the calibrated ones' plausible
range is the prior ``make calibration`` frees them over (the Makefile's ``CALIBRATION_FREE``).
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from sim.params import Behaviour

ROOT = Path(__file__).resolve().parent.parent
KINDS = {"calibrated", "literature", "assumption"}


def _fields() -> list[tuple[str, object, dict]]:
    out = []
    for f in dataclasses.fields(Behaviour):
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        out.append((f.name, default, dict(f.metadata)))
    return out


def makefile_priors(path: Path = ROOT / "Makefile") -> dict[str, tuple[float, float]]:
    """The ``--free behaviour.KEY=[lo,hi]`` priors of the Makefile's ``CALIBRATION_FREE``."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    m = re.search(r"^CALIBRATION_FREE\s*:=(.*)$", text, re.M)
    assert m, "the Makefile has no CALIBRATION_FREE"
    pairs = re.findall(r"--free\s+behaviour\.(\w+)=\[([^,\]]+),([^\]]+)\]", m.group(1))
    assert pairs, "CALIBRATION_FREE frees nothing"
    return {k: (float(lo), float(hi)) for k, lo, hi in pairs}


@pytest.mark.parametrize("name,default,meta", _fields(), ids=[f[0] for f in _fields()])
def test_every_behavioural_parameter_says_what_it_is(name, default, meta):
    assert meta["kind"] in KINDS, f"{name}: kind {meta['kind']!r}"
    assert meta["why"].strip(), f"{name}: no why (source or argument of its plausible range)"
    assert meta["source"].strip(), f"{name}: no source"
    if meta["kind"] == "literature":        # a citation, not a bare 'assumption'
        assert not meta["source"].lower().startswith("assumption"), f"{name}: literature without a citation"
    pl = meta["plausible"]
    if isinstance(default, dict):
        assert pl is None, f"{name}: a profile has no plausible range (its why says how to vary it)"
        return
    assert isinstance(pl, tuple) and len(pl) == 2, f"{name}: plausible {pl!r} is not (low, high)"
    low, high = pl
    assert meta["lo"] <= low < high <= meta["hi"], f"{name}: plausible {pl} outside {meta['lo']}..{meta['hi']}"
    assert low <= default <= high, f"{name}: default {default} outside plausible {pl}"
    if isinstance(default, int):
        assert all(isinstance(x, int) for x in pl), f"{name}: an integer's range should be integers, got {pl}"


def test_calibrated_parameters_are_exactly_those_freed_over_their_plausible_range():
    priors = makefile_priors()
    calibrated = {n: m["plausible"] for n, _, m in _fields() if m["kind"] == "calibrated"}
    assert set(calibrated) == set(priors), (
        f"kind 'calibrated' but not freed: {sorted(set(calibrated) - set(priors))}; "
        f"freed but not 'calibrated': {sorted(set(priors) - set(calibrated))}")
    for name, prior in priors.items():
        assert tuple(map(float, calibrated[name])) == prior, f"{name}: plausible {calibrated[name]} != prior {prior}"


def test_makefile_priors_parser_reads_continued_lines(tmp_path):
    mk = tmp_path / "Makefile"
    mk.write_text("X := 1\nCALIBRATION_FREE := --free behaviour.a=[0.2,0.5] \\\n\t--free behaviour.b=[-2,1]\n"
                  "calibration:\n\tsesim calibrate --free behaviour.c=[0,1]\n", encoding="utf-8")
    assert makefile_priors(mk) == {"a": (0.2, 0.5), "b": (-2.0, 1.0)}
