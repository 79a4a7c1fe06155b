"""Every behavioural parameter says what it is (docs/parameters.md) and the posterior travels
with the project (docs/calibration.md).

Point 1: in the schema each ``Behaviour`` field has a ``kind`` (calibrated, literature or
assumption), a ``why`` (its source or argument) and, unless it is a profile (dict), a plausible
range inside its validation range that contains its default; the calibrated ones' plausible
range is the prior ``make calibration`` frees them over (the Makefile's ``CALIBRATION_FREE``).
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pandas as pd
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
    if meta["kind"] == "literature":  # a citation, not a bare 'assumption'
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
        f"freed but not 'calibrated': {sorted(set(priors) - set(calibrated))}"
    )
    for name, prior in priors.items():
        assert tuple(map(float, calibrated[name])) == prior, f"{name}: plausible {calibrated[name]} != prior {prior}"


def test_makefile_priors_parser_reads_continued_lines(tmp_path):
    mk = tmp_path / "Makefile"
    mk.write_text(
        "X := 1\nCALIBRATION_FREE := --free behaviour.a=[0.2,0.5] \\\n\t--free behaviour.b=[-2,1]\n"
        "calibration:\n\tsesim calibrate --free behaviour.c=[0,1]\n",
        encoding="utf-8",
    )
    assert makefile_priors(mk) == {"a": (0.2, 0.5), "b": (-2.0, 1.0)}


# --- point 2: the posterior beside its target file --------------------------------------------

from analysis.calibration import load_posterior, load_targets, posterior_path, target_sha256  # noqa: E402
from analysis.calibration_pick import main as pick_main  # noqa: E402
from analysis.calibration_pick import write_posterior  # noqa: E402
from sim.scenario import ScenarioError  # noqa: E402

TARGETS = ROOT / "scenarios" / "targets" / "china_gaozhi.toml"


def test_stored_posterior_loads_and_belongs_to_this_calibration():
    """The stored posterior frees the Makefile's calibrated parameters over their priors, then the
    assumptions the fit screen found (each over its plausible range: make calibration's joint
    posterior); an MCMC-kernel calibration keeps every particle of its last generation, a local one
    the share ``accept``."""
    from sim.params import assumption_ranges

    df, meta = load_posterior(TARGETS)
    priors = makefile_priors()
    free = [f"behaviour.{k}" for k in priors]
    assert meta["free"][: len(free)] == free, (
        "the stored posterior frees other parameters than the Makefile: rerun make calibration"
    )
    ranges = {f["key"]: (f["low"], f["high"]) for f in meta["settings"]["free"]}
    assert {k: ranges[k] for k in free} == {f"behaviour.{k}": v for k, v in priors.items()}
    plausible = assumption_ranges()
    for k in meta["free"][len(free) :]:
        assert k in plausible and ranges[k] == pytest.approx(plausible[k][:2]), k
    assert meta["target_sha256"] == target_sha256(TARGETS)
    for k in ("budget", "seed", "replicates", "generations"):
        assert isinstance(meta["settings"][k], int), k
    assert meta["version"] and meta["date"]
    n = meta["settings"]["budget"] // meta["settings"]["replicates"] // meta["settings"]["generations"]
    kept = n if meta["settings"].get("kernel") == "mcmc" else round(n * meta["settings"]["accept"])
    assert len(df) == kept and df["particle"].is_unique
    assert df["weight"].sum() == pytest.approx(1.0, abs=1e-12) and (df["weight"] > 0).all()
    raw = pd.read_csv(posterior_path(TARGETS), comment="#")
    assert raw["weight"].sum() == pytest.approx(1.0, abs=1e-6)  # stored normalised, up to rounding
    for key, (lo, hi) in ranges.items():  # every particle inside the prior's box
        assert df[key].between(lo, hi).all(), key


def _fake_calibration(folder: Path, target_file: Path, weights=(2.0, 1.0, 1.0)) -> Path:
    """A finished calibration folder as ``sesim calibrate`` leaves it, over two free parameters."""
    folder.mkdir()
    settings = {
        "scenario": "baseline",
        "sets": [],
        "budget": 24,
        "replicates": 2,
        "generations": 2,
        "accept": 0.5,
        "seed": 7,
        "free": [
            {"key": "behaviour.job_finding_rate", "low": 0.2, "high": 0.5},
            {"key": "behaviour.tenure_value", "low": 0.02, "high": 0.1},
        ],
        "targets": [dataclasses.asdict(t) for t in load_targets(target_file)],
    }
    (folder / "calibration.json").write_text(
        json.dumps(
            {"settings": settings, "status": "complete", "version": "0.1.0", "finished": "2025-01-02T03:04:05Z"}
        ),
        encoding="utf-8",
    )
    rows = [
        {
            "generation": 0,
            "particle": 9,
            "behaviour.job_finding_rate": 0.45,
            "behaviour.tenure_value": 0.09,
            "distance": 9.0,
            "weight": 1.0,
        }
    ]
    rows += [
        {
            "generation": 1,
            "particle": i,
            "behaviour.job_finding_rate": 0.3 + 0.01 * i,
            "behaviour.tenure_value": 0.05,
            "distance": 1.0 + i,
            "weight": w,
        }
        for i, w in enumerate(weights)
    ]
    pd.DataFrame(rows).to_csv(folder / "accepted.csv", index=False)
    (folder / "posterior.csv").write_text("parameter\n", encoding="utf-8")
    return folder


def test_written_posterior_round_trips_with_normalised_weights(tmp_path):
    targets = tmp_path / "t.toml"
    targets.write_bytes(TARGETS.read_bytes())
    cal = _fake_calibration(tmp_path / "cal", targets)
    dest = write_posterior(cal, targets)
    assert dest == tmp_path / "t.posterior.csv" and sorted(p.name for p in tmp_path.iterdir()) == [
        "cal",
        "t.posterior.csv",
        "t.toml",
    ]
    df, meta = load_posterior(targets)
    assert list(df["particle"]) == [0, 1, 2]  # the last generation only
    assert df["weight"].tolist() == pytest.approx([0.5, 0.25, 0.25])
    assert df["behaviour.job_finding_rate"].tolist() == pytest.approx([0.30, 0.31, 0.32])
    assert meta["settings"]["seed"] == 7 and meta["settings"]["budget"] == 24 and "targets" not in meta["settings"]
    assert meta["date"] == "2025-01-02T03:04:05Z" and meta["target_file"] == "t.toml"
    # the same targets with Windows line ends are the same targets
    targets.write_bytes(TARGETS.read_bytes().replace(b"\n", b"\r\n"))
    assert len(load_posterior(targets)[0]) == 3


def test_written_posterior_records_its_distance_and_every_drawn_parameter(tmp_path):
    # a history-matching calibration: the interval distance, and a drawn assumption that is not
    # free (behaviour.trust_weight) in accepted.csv; both reach the stored posterior, so that
    # compare --fit abc reads its distances as the calibration measured them
    targets = tmp_path / "t.toml"
    targets.write_bytes(TARGETS.read_bytes())
    cal = _fake_calibration(tmp_path / "cal", targets)
    info = json.loads((cal / "calibration.json").read_text(encoding="utf-8"))
    info["settings"].update(kernel="history", distance="intervals")
    (cal / "calibration.json").write_text(json.dumps(info), encoding="utf-8")
    acc = pd.read_csv(cal / "accepted.csv").assign(**{"behaviour.trust_weight": 3.0})
    acc.to_csv(cal / "accepted.csv", index=False)
    write_posterior(cal, targets)
    df, meta = load_posterior(targets)
    assert meta["settings"]["distance"] == "intervals" and meta["settings"]["kernel"] == "history"
    assert df["behaviour.trust_weight"].tolist() == pytest.approx([3.0] * 3)
    from analysis.uncertainty import abc_epsilon, posterior_distance

    assert posterior_distance(targets) == "intervals"
    with pytest.raises(ScenarioError, match="history matching, which has no ABC threshold"):
        abc_epsilon(targets)  # its distances were never cut at a threshold: --fit abc would keep anything


def test_changed_targets_refuse_the_posterior_in_one_line(tmp_path):
    targets = tmp_path / "t.toml"
    targets.write_bytes(TARGETS.read_bytes())
    write_posterior(_fake_calibration(tmp_path / "cal", targets), targets)
    targets.write_text(TARGETS.read_text(encoding="utf-8").replace("value = 0.42", "value = 0.43", 1), encoding="utf-8")
    with pytest.raises(ScenarioError) as e:
        load_posterior(targets)
    msg = str(e.value)
    assert "\n" not in msg and "t.posterior.csv" in msg and "targets changed" in msg and "make calibration" in msg
    # and the writer refuses a calibration run against other targets than the file now holds
    with pytest.raises(ScenarioError, match="other targets") as e:
        write_posterior(tmp_path / "cal", targets)
    assert "\n" not in str(e.value)


def test_missing_or_foreign_posterior_is_refused_in_one_line(tmp_path):
    targets = tmp_path / "t.toml"
    targets.write_bytes(TARGETS.read_bytes())
    with pytest.raises(ScenarioError, match="no posterior beside") as e:
        load_posterior(targets)
    assert "\n" not in str(e.value)
    foreign = tmp_path / "t.posterior.csv"
    foreign.write_text("particle,weight\n1,1\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not a sesim posterior") as e:
        load_posterior(targets)
    assert "\n" not in str(e.value)
    # sesim does not overwrite a file it did not write
    cal = _fake_calibration(tmp_path / "cal", targets)
    assert pick_main([str(cal), "--posterior", str(targets)]) == 2
    assert foreign.read_text(encoding="utf-8") == "particle,weight\n1,1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cal", "t.posterior.csv", "t.toml"]  # no temporary left


def test_pick_cli_writes_only_the_posterior_without_a_scenario(tmp_path, capsys):
    targets = tmp_path / "t.toml"
    targets.write_bytes(TARGETS.read_bytes())
    cal = _fake_calibration(tmp_path / "cal", targets)
    assert pick_main([str(cal), "--posterior", str(targets)]) == 0
    assert "t.posterior.csv" in capsys.readouterr().out
    assert load_posterior(targets)[1]["settings"]["seed"] == 7
    targets.write_text(TARGETS.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert pick_main([str(cal), "--posterior", str(targets)]) == 0  # the same targets: written with the new hash
    assert len(load_posterior(targets)[0]) == 3
    capsys.readouterr()
    targets.write_text(
        TARGETS.read_text(encoding="utf-8").replace("interval = [0.38, 0.46]", "interval = [0.37, 0.46]", 1),
        encoding="utf-8",
    )
    assert pick_main([str(cal), "--posterior", str(targets)]) == 2  # the calibration's targets no longer match
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("calibration_pick: ")
    with pytest.raises(SystemExit):
        pick_main([str(cal)])  # nothing to do


def _posterior_quantiles(cal: Path) -> None:
    pd.DataFrame(
        [
            {"parameter": "behaviour.job_finding_rate", "median": 0.31, "q05": 0.28, "q95": 0.34},
            {"parameter": "behaviour.tenure_value", "median": 0.05, "q05": 0.03, "q95": 0.07},
        ]
    ).to_csv(cal / "posterior.csv", index=False)


def test_a_refinement_outside_the_posterior_is_refused_in_one_line(tmp_path, capsys):
    """docs/calibration.md, Refinement: a refined value stays inside the posterior's 90% interval."""
    targets = tmp_path / "t.toml"
    targets.write_bytes(TARGETS.read_bytes())
    cal = _fake_calibration(tmp_path / "cal", targets)
    _posterior_quantiles(cal)
    scn = tmp_path / "base.toml"
    scn.write_text('extends = "baseline"\nname = "base"\n', encoding="utf-8")
    for bad in ("behaviour.tenure_value=0.09", "behaviour.dismissal_rate=0.1", "behaviour.tenure_value=x", "tenure"):
        assert pick_main([str(cal), str(scn), "--refine", bad]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("calibration_pick: --refine"), err
    assert scn.read_text(encoding="utf-8") == 'extends = "baseline"\nname = "base"\n'  # nothing written


def test_the_refined_candidate_wins_only_inside_more_intervals(tmp_path, monkeypatch):
    """The refined candidate is ranked with the particles by the same rule on the same seeds: it is
    the baseline when it lies inside more target intervals, not otherwise; stored rows are reused."""
    import analysis.calibration_pick as pick
    import sim.runner

    targets = tmp_path / "t.toml"
    targets.write_bytes(TARGETS.read_bytes())
    cal = _fake_calibration(tmp_path / "cal", targets)
    _posterior_quantiles(cal)
    calls = []

    class Result:
        def __init__(self, summary):
            self.summary = summary

    def fake_runs(scn, seeds, seed, workers):  # the early-turnover target (0.38-0.46) met only at tenure 0.04
        b = scn.params.behaviour
        calls.append((b.job_finding_rate, b.tenure_value))
        inside = abs(b.tenure_value - 0.04) < 1e-9
        row = {t.metric: t.value for t in load_targets(targets)}
        row["early_turnover_6m"] = 0.42 if inside else 0.60
        return Result(pd.DataFrame([row] * seeds))

    monkeypatch.setattr(sim.runner, "run_replicates", fake_runs)
    ranked = pick.rerun_top(cal, top=2, seeds=3, workers=1, refine={"behaviour.tenure_value": 0.04})
    assert int(ranked.iloc[0]["particle"]) == pick.REFINED and ranked.iloc[0]["behaviour.tenure_value"] == 0.04
    assert ranked.iloc[0]["behaviour.job_finding_rate"] == pytest.approx(0.30)  # the pick's other values
    assert len(calls) == 3
    pd.DataFrame(ranked).to_csv(cal / "baseline_pick.csv", index=False)
    calls.clear()
    again = pick.rerun_top(cal, top=2, seeds=3, workers=1, refine={"behaviour.tenure_value": 0.06})
    assert len(calls) == 1  # the two particles read back; the new candidate run
    assert int(again.iloc[0]["particle"]) != pick.REFINED  # no better than the particles: not the baseline
