"""Agents own their yearly decisions (docs/odd.md §11): rounds, policies (rule, schedule, human), decision
logs and their replay with ``sesim run --decisions``."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import metrics
from sim.model import CooperationModel
from sim.params import side_keys
from sim.policy import (
    Decision,
    HumanPolicy,
    RulePolicy,
    SchedulePolicy,
    first_round_month,
    load_decisions,
    rounds,
    write_decision_log,
)
from sim.runner import run_replicate, spells
from sim.scenario import ScenarioError, load_scenario
from sim.state import END_REASONS

# two schools, 24 firms, three rounds after a year of warm-up (rounds at months 12, 24, 36)
POP = {
    "population.schools": 2,
    "population.cohort_size": 60,
    "population.firms": 24,
    "population.partners_per_school": 8,
    "population.programmes": 2,
    "run.years": 3,
    "run.warmup_months": 12,
}
SEED = 4


def params(name: str = "baseline", **over):
    return load_scenario(name, {**POP, **{k.replace("__", "."): v for k, v in over.items()}}).params


def model(name: str = "baseline", seed: int = SEED, **over) -> CooperationModel:
    return CooperationModel(params(name, **over), seed=seed)


def csv(tmp_path: Path, text: str, name: str = "log.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def outcome(m: CooperationModel) -> tuple[dict, pd.DataFrame]:
    return metrics.compute(m), m.datacollector.get_model_vars_dataframe().reset_index(drop=True)


def play(p, seed: int = SEED) -> CooperationModel:
    """A workshop: decisions submitted between rounds by several seats, of every kind."""
    m = CooperationModel(p, seed=seed)
    m.run_to_round(0)
    m.submit(
        "school:0",
        {"communication.depth": 0.8, "goal_alignment.weight": 0.6, "party_building.mode": "integrated"},
        time="09:00",
    )
    m.submit("firm:2", {"firm_support.resources": 0.9, "firm_support.mentors_per_firm": 7, "hiring:graduates": 2})
    f = m.schools[1].partners[0]
    m.submit(f"firm:{f}", {"partnership:school1:leave": True, "partnership:accept_new": False})
    m.run_to_round(1)
    m.submit("school:1", {"school_cooperation.task_coordination": 0.9, "craftsman.competitions_per_year": 3})
    m.submit("firm:2", {"hiring:graduates": "rule", "firm_support.frontline_share": 1.0})
    m.run_to_round(m.n_rounds)
    assert not m.running
    return m


# ------------------------------------------------------------------ rounds
@pytest.mark.parametrize(
    "warmup,years,first,n",
    [(36, 10, 36, 10), (30, 10, 36, 10), (0, 1, 0, 1), (24, 3, 24, 3), (13, 1, 24, 1), (11, 1, 12, 1), (13, 2, 24, 2)],
)
def test_round_r_is_the_september_at_first_plus_twelve_r(warmup, years, first, n):
    """Round 0 is the first September at or after the warm-up; the reported period holds one round
    per September in it: as many as run.years, whatever the warm-up."""
    p = params(run__warmup_months=warmup, run__years=years)
    assert first_round_month(p) == first
    septembers = [t for t in range(warmup, warmup + 12 * years) if t % 12 == 0]
    assert rounds(p) == len(septembers) == n
    assert all(t == first + 12 * r for r, t in enumerate(septembers))


def test_decisions_take_effect_at_their_rounds_september_and_stay():
    m = model()
    assert m.first_round == 12 and m.n_rounds == 3 and m.next_round == 0
    m.submit("school:0", {"communication.depth": 0.9})  # in the warm-up: waits for round 0
    for _ in range(12):
        m.step()
        assert m.school_levers.communication.depth[0] == 0.2  # the warm-up's September (month 0) is no round
    assert m.t == 12 and m.next_round == 0
    m.step()  # month 12: round 0's September
    assert m.school_levers.communication.depth.tolist() == [0.9, 0.2] and m.next_round == 1
    m.run_to_round(2)
    assert m.school_levers.communication.depth[0] == 0.9  # kept until a later decision
    log = m.decision_log()
    assert log.to_dict("records") == [
        {"round": 0, "seat": "school:0", "lever": "communication.depth", "value": "0.9", "time": log.loc[0, "time"]}
    ]


def test_every_agent_starts_on_the_rule_and_the_rule_decides_nothing():
    m = model()
    assert all(isinstance(a.policy, RulePolicy) for a in [*m.schools, *m.firms])
    m.run()
    assert m.decision_log().empty


# ------------------------------------------------------------------ exactness and replay
def test_a_log_of_the_scenarios_own_values_gives_todays_numbers_exactly(tmp_path):
    """Every lever of every seat set to the scenario's value in every round: the numbers are those
    of the run without a log, bit for bit (a decision draws no random number)."""
    p = params("huli_tongqiang_qirong")
    m = CooperationModel(p, seed=SEED)
    rows = [(r, a.seat, k, v) for r in range(rounds(p)) for a in [*m.schools, *m.firms] for k, v in a.levers.items()]
    text = "round,seat,lever,value\n" + "".join(
        f"{r},{s},{k},{str(v).lower() if isinstance(v, bool) else v}\n" for r, s, k, v in rows
    )
    log = load_decisions(csv(tmp_path, text), p)
    assert log.rows == len(rows) > 3 * 30
    with_log = run_replicate(p, SEED, 0, "x", log.schedule)
    without = run_replicate(p, SEED, 0, "x")
    assert json.dumps(with_log[0]) == json.dumps(without[0])  # every metric, NaN included, to the last bit
    assert with_log[1].equals(without[1]) and with_log[2].equals(without[2])


def test_a_played_workshop_replays_from_its_log_with_the_same_numbers(tmp_path):
    """Acceptance 3 (part): the log a played run writes, given to the model as a schedule, gives the
    same numbers as the played run, exactly; and it changed them (the decisions mattered)."""
    p = params()
    played = play(p)
    log = played.decision_log()
    assert set(log.columns) == {"round", "seat", "lever", "value", "time"} and len(log) == 12
    assert log.loc[log["seat"] == "school:0", "time"].eq("09:00").all()
    path = tmp_path / "workshop.csv"
    write_decision_log(log, path)
    replay = CooperationModel(p, seed=SEED, decisions=load_decisions(path, p))
    replay.run()
    a, b = outcome(played), outcome(replay)
    assert json.dumps(a[0]) == json.dumps(b[0])  # every metric, NaN included, to the last bit
    assert a[1].equals(b[1])
    assert replay.decision_log().drop(columns="time").equals(log.drop(columns="time"))
    assert json.dumps(a[0]) != json.dumps(outcome(CooperationModel(p, seed=SEED).run())[0])
    # the same through the runner, as sesim run uses it, and from Parquet
    pq = tmp_path / "workshop.parquet"
    write_decision_log(log, pq)
    row, ts, _ = run_replicate(p, SEED, 0, "x", load_decisions(pq, p).schedule)
    assert json.dumps({k: row[k] for k in a[0]}) == json.dumps(a[0])


@pytest.mark.slow  # sesim run end to end, twice
def test_sesim_run_with_a_decision_log_is_byte_identical_and_records_the_log(tmp_path):
    p = params()
    played = play(p)
    path = tmp_path / "workshop.csv"
    write_decision_log(played.decision_log(), path)
    sets = [x for k, v in POP.items() for x in ("--set", f"{k}={v}")]
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "sim",
                "run",
                "baseline",
                "--decisions",
                str(path),
                "--seeds",
                "2",
                "--seed",
                str(SEED),
                *sets,
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
        )
        assert r.returncode == 0, r.stderr
        outs.append(out)
    a, b = outs
    for f in ("summary.csv", "timeseries.parquet", "spells.parquet", "decisions.csv"):
        assert (a / f).read_bytes() == (b / f).read_bytes(), f
    manifest = json.loads((a / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["decisions"] == {
        "file": str(path),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "rows": 12,
    }
    assert "decisions.csv" in manifest["files"]
    s = pd.read_csv(a / "summary.csv")
    played_row = metrics.compute(played)
    assert s.loc[0, "seed"] == SEED
    for k in ("firm_retention", "graduate_retention_12m", "skill_fit", "firm_net_benefit"):
        assert s.loc[0, k] == pytest.approx(played_row[k], rel=1e-9, abs=1e-12), k  # summary.csv keeps 10 digits


# ------------------------------------------------------------------ the firm's own decisions
def test_leaving_a_partnership_ends_it_at_the_rounds_september_for_the_firms_reason():
    m = model()
    m.run_to_round(1)
    f = m.schools[0].partners[0]
    m.submit(f"firm:{f}", {"partnership:school0:leave": True})
    m.step()
    p = m.partnerships
    mine = np.flatnonzero((p.school[: p.n] == 0) & (p.firm[: p.n] == f))
    assert (p.end[mine] == 24).any() and f not in m.schools[0].partners
    assert END_REASONS[p.reason[mine[p.end[mine] == 24][0]]] == "firm_decision"
    sp = spells(m, "x", 0)
    assert (sp["reason"] == "firm_decision").sum() == 1


def test_a_firm_that_refuses_new_partners_gets_none_and_the_rule_accepts_them():
    rule, refuse = model(seed=1), model(seed=1)
    for m in (rule, refuse):
        m.run_to_round(0)
    for f in range(refuse.n_firms):
        refuse.submit(f"firm:{f}", {"partnership:accept_new": False})
    rule.run()
    refuse.run()

    def new(m):
        p = m.partnerships
        return int(np.count_nonzero(p.start[: p.n] >= m.first_round))

    assert new(rule) > 0 and new(refuse) == 0


def test_a_firms_hiring_number_replaces_the_rules_demand():
    def partner_hires(m):
        st = m.students
        n = st.n
        hired = st.first_partner[:n] & (st.grad_month[:n] >= m.first_round) & (st.first_hire[:n] == st.grad_month[:n])
        return np.bincount(st.first_employer[:n][hired], minlength=m.n_firms)

    rule = model()
    rule.run()
    none, one = model(), model()
    for m, k in ((none, 0), (one, 1)):
        m.run_to_round(0)
        for f in range(m.n_firms):
            m.submit(f"firm:{f}", {"hiring:graduates": k})
        m.run()
    assert partner_hires(rule).max() > 1
    assert partner_hires(none).sum() == 0
    # one a year in each of the three rounds at most, and some firm hires its one every year
    assert partner_hires(one).max() == 3 and partner_hires(one).sum() > 0


# ------------------------------------------------------------------ a human's input
def test_a_submission_is_checked_whole_and_a_bad_value_keeps_nothing():
    m = model()
    with pytest.raises(ScenarioError) as e:
        m.submit("school:0", {"communication.depth": 0.5, "goal_alignment.weight": 2})
    assert str(e.value) == "seat school:0: key 'goal_alignment.weight' = 2.0 is out of range: allowed 0.0..1.0"
    assert isinstance(m.schools[0].policy, RulePolicy)
    m.submit("school:0", {"communication.depth": 0.5})
    assert isinstance(m.schools[0].policy, HumanPolicy)
    with pytest.raises(ScenarioError, match=r"seat school:0: lever 'firm_support.resources' is a firm's lever"):
        m.submit("school:0", {"firm_support.resources": 0.5, "communication.depth": 0.1})
    assert m.schools[0].policy.pending["communication.depth"].value == 0.5
    with pytest.raises(
        ScenarioError, match=r"seat 'firm:24' is out of range: allowed school:0..school:1 or firm:0..firm:23"
    ):
        m.submit("firm:24", {"firm_support.resources": 0.5})
    outsider = next(f for f in range(m.n_firms) if f not in m.schools[1].partners)
    with pytest.raises(ScenarioError, match=rf"firm {outsider} has no partnership with school 1"):
        m.submit(f"firm:{outsider}", {"partnership:school1:leave": True})
    m.run()
    with pytest.raises(ScenarioError, match="no round is left to decide"):
        m.submit("school:0", {"communication.depth": 0.5})


def test_a_schedule_policy_gives_its_rounds_decisions_only():
    m = model()
    m.schools[1].policy = SchedulePolicy({2: [Decision("craftsman.intensity", 0.6)]})
    m.run_to_round(2)
    assert m.school_levers.craftsman.intensity[1] == 0.0
    m.step()
    assert m.school_levers.craftsman.intensity[1] == 0.6


# ------------------------------------------------------------------ checking a log
BAD_ROWS = [
    (
        "0,school:0,communication.depth,1.5",
        "row 1 (seat school:0): key 'communication.depth' = 1.5 is out of range: allowed 0.0..1.0",
    ),
    (
        "3,school:0,communication.depth,0.5",
        "row 1: round = '3': allowed an integer 0..2 (round r is the September at "
        "month 12 + 12·r, 3 rounds in run.years = 3)",
    ),
    ("-1,school:0,communication.depth,0.5", "row 1: round = '-1': allowed an integer 0..2"),
    (
        "0,school:2,communication.depth,0.5",
        "row 1: seat 'school:2' is out of range: allowed school:0..school:1 or firm:0..firm:23",
    ),
    ("0,teacher:0,communication.depth,0.5", "row 1: seat 'teacher:0': allowed school:0..school:1 or firm:0..firm:23"),
    (
        "0,school:0,firm_support.resources,0.5",
        "row 1 (seat school:0): lever 'firm_support.resources' is a firm's lever; a school sets communication.*",
    ),
    (
        "0,firm:0,craftsman.intensity,0.5",
        "row 1 (seat firm:0): lever 'craftsman.intensity' is a school's lever; "
        "a firm sets firm_support.*, partnership:school<k>:leave",
    ),
    (
        "0,firm:0,firm_support.resorces,0.5",
        "unknown lever 'firm_support.resorces' for a firm; did you mean 'firm_support.resources'?",
    ),
    (
        "0,firm:0,firm_support.mentors_per_firm,2.5",
        "key 'firm_support.mentors_per_firm' = 2.5: allowed an integer in 0..50 (engineers)",
    ),
    (
        "0,school:0,party_building.mode,both",
        'key \'party_building.mode\' = \'both\': allowed "none" or "two_skins" or "integrated"',
    ),
    (
        "0,school:0,school_cooperation.grade_sharing,yes",
        "key 'school_cooperation.grade_sharing' = 'yes': allowed true or false",
    ),
    (
        "0,firm:0,hiring:graduates,-1",
        "lever 'hiring:graduates' = -1: allowed an integer 0..120 (the region's graduates a year) or \"rule\"",
    ),
    (
        "0,firm:0,partnership:school2:leave,true",
        "lever 'partnership:school2:leave': school 2 is out of range: "
        "allowed partnership:school0:leave..partnership:school1:leave",
    ),
    ("0,firm:0,partnership:accept_new,0", "lever 'partnership:accept_new' = 0: allowed true or false"),
    ("0,school:0,communication.depth,nan", "key 'communication.depth' = nan: allowed a finite number"),
    (
        "0,school:0,communication.depth,0.5\n0,school:0,communication.depth,0.6",
        "row 2: round 0, seat school:0, lever 'communication.depth' already decided in row 1: allowed one value per "
        "round, seat and lever",
    ),
]


@pytest.mark.parametrize("rows,message", BAD_ROWS)
def test_a_bad_row_is_refused_in_one_line_naming_file_row_and_what_is_allowed(tmp_path, rows, message):
    path = csv(tmp_path, "round,seat,lever,value,time\n" + rows + "\n")
    with pytest.raises(ScenarioError) as e:
        load_decisions(path, params())
    text = str(e.value)
    assert "\n" not in text and text.startswith(f"--decisions {path}: ") and message in text, text


@pytest.mark.parametrize(
    "text,message",
    [
        (
            "round,seat,lever\n0,school:0,communication.depth\n",
            "missing column(s) value: allowed columns round, seat, lever, value, time ('time' optional)",
        ),
        ("round,seat,lever,value,note\n", "unknown column 'note' (allowed columns round, seat, lever, value, time)"),
        ("round,seat,lever,vlaue\n", "missing column(s) value"),
    ],
)
def test_a_log_with_wrong_columns_is_refused(tmp_path, text, message):
    with pytest.raises(ScenarioError, match=None) as e:
        load_decisions(csv(tmp_path, text), params())
    assert message in str(e.value), str(e.value)


def test_a_log_that_is_no_table_is_refused(tmp_path):
    for name, data, message in (
        ("log.txt", b"round", "allowed a .csv or .parquet file"),
        ("log.parquet", b"not parquet", "not a readable parquet table"),
        ("missing.csv", None, "file not found"),
    ):
        path = tmp_path / name
        if data is not None:
            path.write_bytes(data)
        with pytest.raises(ScenarioError, match=message):
            load_decisions(path, params())
    with pytest.raises(ScenarioError, match="not a regular file"):
        load_decisions(tmp_path, params())


def test_an_empty_log_changes_nothing(tmp_path):
    p = params()
    log = load_decisions(csv(tmp_path, "round,seat,lever,value,time\n"), p)
    assert log.rows == 0
    assert run_replicate(p, SEED, 0, "x", log.schedule)[1].equals(run_replicate(p, SEED, 0, "x")[1])


def test_sesim_run_refuses_a_bad_log_in_one_line_and_writes_nothing(tmp_path):
    path = csv(
        tmp_path, "round,seat,lever,value\n0,school:0,communication.depth,0.5\n0,firm:1,firm_support.resources,9\n"
    )
    out = tmp_path / "out"
    r = subprocess.run(
        [sys.executable, "-m", "sim", "run", "baseline", "--decisions", str(path), "--seeds", "1", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and not out.exists()
    assert r.stderr.strip().splitlines() == [
        f"sesim: error: --decisions {path}: row 2 (seat firm:1): key 'firm_support.resources' = 9.0 is out of range: "
        "allowed 0.0..1.0"
    ]


def test_every_lever_a_seat_may_decide_is_accepted(tmp_path):
    """Each school lever on a school seat, each firm lever and firm decision on a firm seat."""
    m = model()
    values = {"bool": "true", "int": "1", "float": "0.5", "str": "integrated"}
    import dataclasses

    from sim.params import SECTIONS

    def kind(key):
        s, k = key.split(".")
        f = {f.name: f for f in dataclasses.fields(SECTIONS[s])}[k]
        return "str" if f.metadata.get("choices") else type(f.default).__name__

    rows = [f"0,school:1,{k},{values[kind(k)]}" for k in side_keys("school")]
    rows += [f"0,firm:3,{k},{values[kind(k)]}" for k in side_keys("firm")]
    rows += [
        "0,firm:3,partnership:school1:leave,false",
        "0,firm:3,partnership:accept_new,true",
        "1,firm:3,hiring:graduates,rule",
        "0,firm:3,hiring:graduates,4",
    ]
    log = load_decisions(csv(tmp_path, "round,seat,lever,value\n" + "\n".join(rows) + "\n"), m.params)
    assert log.rows == len(rows)
    m2 = CooperationModel(m.params, seed=SEED, decisions=log)
    m2.run_to_round(1)
    assert (
        m2.school_levers.get("party_building.mode", 1) == "integrated"
        and m2.school_levers.communication.depth[1] == 0.5
    )
    assert m2.firms[3].levers["hiring:graduates"] == 4 and m2.firms[3].levers["firm_support.mentors_per_firm"] == 1
    m2.step()
    assert m2.firms[3].levers["hiring:graduates"] == "rule"
