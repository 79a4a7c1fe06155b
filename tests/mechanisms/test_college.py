"""M18 the industry college (产业学院, docs/odd.md M18): [[colleges]] tables checked in one line; no
college in the default region and nothing changed by the code when there is none; until its founding
a run with a college is the run without it, draw for draw; the known answers of the shared training
base (zero capacity changes nothing; a firm outside the college gains nothing from it) and of cost
sharing (the host's cost falls by the shared amount; the pool is paid by the school and the members);
board meetings, the leaving rule and joint placement act on members only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sim import load_scenario
from sim.inputs import ScenarioError
from sim.mechanisms import college, firm_accounting, partnerships
from sim.model import CooperationModel
from sim.scenario import to_toml
from sim.state import INTERNING
from tests.helpers import TINY

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, body: str, name: str = "c.toml") -> Path:
    path = tmp_path / name
    path.write_text('extends = "baseline"\n' + body, encoding="utf-8")
    return path


COLLEGE = """
[[colleges]]
school = 0
field = 1
member_count = 4
base_school_funding = 200
"""
CHARTER = """
[colleges.charter]
board_meetings_per_year = 6
cost_share = 0.5
"""


def model_of(path: Path, seed: int = 0, **over) -> CooperationModel:
    ov = {**TINY, **{k.replace("__", "."): v for k, v in over.items()}}
    return CooperationModel(load_scenario(str(path), ov).params, seed=seed)


def step_to(m: CooperationModel, t: int) -> CooperationModel:
    while m.t < t:
        m.step()
    return m


# ------------------------------------------------------------------------------ the schema
@pytest.mark.parametrize(
    "body, needle",
    [
        (
            "[[colleges]]\nschool = 9\nfield = 0\nmember_count = 2\n",
            "key 'colleges[0].school' = 9 is out of range: allowed integers 0..5",
        ),
        (
            "[[colleges]]\nschool = 0\nfield = 7\nmember_count = 2\n",
            "key 'colleges[0].field' = 7 is out of range: allowed integers 0..3",
        ),
        ("[[colleges]]\nschool = 0\nfield = 0\n", "a college needs founding members"),
        ("[[colleges]]\nschool = 0\nfield = 0\nmembers = [95]\n", "key 'colleges[0].members': 95 is out of range"),
        ("[[colleges]]\nschool = 0\nfield = 0\nmember_cont = 2\n", "did you mean 'colleges[0].member_count'?"),
        (
            "[[colleges]]\nschool = 0\nfield = 0\nmember_count = 2\ncharter = { cost_shar = 0.5 }\n",
            "did you mean 'colleges[0].charter.cost_share'?",
        ),
        (
            "[[colleges]]\nschool = 0\nfield = 0\nmember_count = 2\ncharter = { cost_share = 1.5 }\n",
            "key 'colleges[0].charter.cost_share' = 1.5 is out of range: allowed 0.0..1.0",
        ),
        (
            '[[colleges]]\nschool = 0\nfield = 0\nmember_count = 2\ncharter = { base_rule = "fair" }\n',
            'allowed "open" or "by_contribution"',
        ),
        (
            '[[colleges]]\nschool = 0\nfield = 0\nmember_count = 2\njoining = "sometimes"\n',
            'allowed "closed" or "open"',
        ),
        (
            "[[colleges]]\nschool = 0\nfield = 0\nmember_count = 2\n[[colleges]]\nschool = 0\nfield = 0\nmember_count = 2\n",
            "school 0 already runs a college in this field",
        ),
        (
            "[[colleges]]\nschool = 0\nfield = 0\nmembers = [3]\n[[colleges]]\nschool = 0\nfield = 1\nmembers = [3]\n",
            "firm 3 is already a member of colleges[0] of school 0",
        ),
        ("colleges = 3\n", "'colleges' must be tables [[colleges]]"),
    ],
)
def test_a_bad_college_table_is_refused_in_one_line(tmp_path, body, needle):
    path = write(tmp_path, body)
    with pytest.raises(ScenarioError, match=None) as e:
        load_scenario(str(path))
    msg = str(e.value)
    assert needle in msg and str(path) in msg and "\n" not in msg


def test_the_command_line_refuses_a_bad_college_with_exit_code_2_and_no_traceback(tmp_path):
    path = write(tmp_path, "[[colleges]]\nschool = 0\nfield = 0\nmember_count = 2\ncharter = { notice_months = 99 }\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "sim", "validate", str(path)], capture_output=True, text=True, env=env)
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert "colleges[0].charter.notice_months" in r.stderr and "0..24" in r.stderr


def test_the_default_region_has_no_college_and_a_resolved_college_reads_back(tmp_path):
    base = load_scenario("baseline")
    assert base.params.colleges.tables == [] and "colleges" not in to_toml(base)
    assert CooperationModel(load_scenario("baseline", TINY).params).colleges is None
    scn = load_scenario(str(write(tmp_path, COLLEGE + CHARTER)))
    text = to_toml(scn)
    assert "[[colleges]]" in text and "[colleges.charter]" in text
    again = load_scenario(str(write(tmp_path, text.replace('name = "c"\n', ""), "again.toml")))
    assert again.params.colleges == scn.params.colleges
    assert again.params.colleges.tables[0].charter.cost_share == 0.5


# ------------------------------------------------------------------------------ founding
def test_until_its_founding_a_run_with_a_college_is_the_run_without_it(tmp_path):
    """Nothing of M18 draws a random number or changes an order: at the founding month every stream,
    every partnership and every student is as in the baseline on the same seed."""
    a = step_to(model_of(ROOT / "scenarios/baseline.toml", seed=3), TINY["run.warmup_months"])
    b = step_to(model_of(write(tmp_path, COLLEGE + CHARTER), seed=3), TINY["run.warmup_months"])
    for name in a.streams:
        assert a.streams[name].bit_generator.state == b.streams[name].bit_generator.state, name
    assert np.array_equal(a.partnerships.willingness, b.partnerships.willingness)
    assert np.array_equal(a.students.skills[: a.students.n], b.students.skills[: b.students.n])
    assert b.colleges is not None and not b.colleges.member.any()  # not founded yet
    b.step()
    assert b.colleges.founder[0].sum() == 4 and (b.firm_field[b.colleges.founder[0]] == 1).all()


def test_founders_are_the_schools_partners_of_the_field_first_strongest_first(tmp_path):
    m = step_to(model_of(write(tmp_path, COLLEGE.replace("member_count = 4", "member_count = 1"))), 13)
    p = m.partnerships
    act = p.active()
    partners = [f for f in p.firm[act][p.school[act] == 0] if m.firm_field[f] == 1]
    founder = int(np.flatnonzero(m.colleges.founder[0])[0])
    if partners:  # (at this seed the school has partners in the field)
        assert founder == max(partners, key=lambda f: (m.firm_strength[f], -f))


# ------------------------------------------------------------------------------ the shared base
def _runs(tmp_path, body, seeds=(0, 1), **over):
    out = []
    for sd in seeds:
        m = model_of(write(tmp_path, body), seed=sd, **over).run()
        from sim import metrics

        out.append(metrics.compute(m))
    return out


def _founders_all_partners(tmp_path) -> str:
    """A college whose founders are all partners already at the founding (no partnership added)."""
    m = step_to(model_of(ROOT / "scenarios/baseline.toml", seed=0), TINY["run.warmup_months"])
    p = m.partnerships
    act = p.active()
    n = int(np.count_nonzero(m.firm_field[p.firm[act][p.school[act] == 0]] == 1))
    assert n >= 1
    return COLLEGE.replace("member_count = 4", f"member_count = {n}")


def test_a_base_of_zero_capacity_changes_nothing(tmp_path):
    """Known answer: a college without a charter whose founders are partners already and whose base
    has no money (school funding 0, members add nothing) gives the baseline's metrics exactly; the
    same college with a funded base does not (so the comparison could fail)."""
    body = _founders_all_partners(tmp_path)
    base = _runs(tmp_path, "", seeds=(0,))
    zero = _runs(
        tmp_path,
        body.replace("base_school_funding = 200", "base_school_funding = 0\nbase_member_share = 0.0"),
        seeds=(0,),
    )
    funded = _runs(tmp_path, body.replace("base_school_funding = 200", "base_school_funding = 2000"), seeds=(0,))
    np.testing.assert_equal(zero, base)  # every metric, NaN where the baseline's is NaN
    with pytest.raises(AssertionError):
        np.testing.assert_equal(funded, base)


def _founded(tmp_path, body, seed=0, extra=6):
    m = step_to(model_of(write(tmp_path, body), seed=seed), TINY["run.warmup_months"] + extra)
    return m


def test_the_base_trains_members_students_only_and_a_firm_outside_gains_nothing(tmp_path):
    """Known answer: the base raises the technical skill of the members' interns and shortens their
    ramp-up; an intern at a firm outside the college keeps its skill and is worth to its host exactly
    what it would be worth without any base training."""
    m = _founded(tmp_path, COLLEGE.replace("base_school_funding = 200", "base_school_funding = 5000"))
    st, cs = m.students, m.colleges
    rows = np.flatnonzero(st.status[: st.n] == INTERNING)
    inside = college.college_of(m, st.school[rows], st.intern_firm[rows]) >= 0
    assert inside.any() and (~inside).any()
    before = st.skills[: st.n].copy()
    college.train_in_base(m)
    after = st.skills[: st.n]
    assert (after[rows[inside], 1] > before[rows[inside], 1]).all()
    assert np.array_equal(after[rows[~inside]], before[rows[~inside]])
    # value to the host: with the base months the intern has, and with none (the base never built)
    m.students.intern_start[rows] = m.t  # first month: the ramp matters most
    with_base = firm_accounting.intern_value(m, rows, m.mentor_q)
    kept = cs.base_months.copy()
    cs.base_months[:] = 0.0
    without = firm_accounting.intern_value(m, rows, m.mentor_q)
    cs.base_months = kept
    assert np.array_equal(with_base[~inside], without[~inside])
    trained = inside & (cs.months_of(st.first_row, rows) > 0)
    assert trained.any() and (with_base[trained] > without[trained]).all()


def test_base_shares_open_and_by_contribution():
    """Open: every user the same share whatever its member gave (free riders gain as much); by
    contribution: a member that gave nothing gets only the school-funded part."""
    from sim.params import College, CollegeCharter

    contribution = np.array([0.0, 1.2, 0.0])  # thousand yuan this month: firm 1 gives, firm 2 rides free
    users = np.array([1, 1, 2, 2])
    spec = College(base_cost=0.6)
    cap, share = college.base_shares(spec, 0.6, contribution, users)
    assert cap == pytest.approx(3.0) and np.allclose(share, 0.75)
    spec = College(base_cost=0.6, charter=CollegeCharter(base_rule="by_contribution"))
    cap, share = college.base_shares(spec, 0.6, contribution, users)
    assert np.allclose(share, [1.0, 1.0, 0.25, 0.25])  # 1.25 capped at one month
    assert college.base_shares(spec, 0.0, np.zeros(3), users)[1].sum() == 0.0


# ------------------------------------------------------------------------------ cost sharing
def test_with_cost_sharing_the_hosts_cost_falls_by_the_shared_amount(tmp_path):
    """Known answer: with cost_share c each member host receives c × allowance per intern from the pool;
    the school pays school_cost_share of the pool and the members the rest in equal parts, so that
    what the members receive less what they pay is the school's part."""
    body = COLLEGE.replace("base_school_funding = 200", "base_school_funding = 0\nbase_member_share = 0.0") + (
        "[colleges.charter]\nboard_meetings_per_year = 0\ncost_share = 0.5\nschool_cost_share = 0.25\n"
    )
    m = _founded(tmp_path, body)
    st, p, cs = m.students, m.partnerships, m.colleges
    act = p.active()
    rows = np.flatnonzero(st.status[: st.n] == INTERNING)
    add = college.shares(m, act, rows)
    allowance = m.firm_levers.firm_support.intern_allowance
    members = np.flatnonzero(cs.member[0])
    mine = rows[(st.school[rows] == 0) & cs.member[0][st.intern_firm[rows]]]
    assert len(mine) > 0
    pool = 0.5 * allowance[st.intern_firm[mine]].sum()
    k = len(college.partner_rows(m, 0, cs.member[0]))
    for f in members:
        j = np.flatnonzero((p.school[act] == 0) & (p.firm[act] == f))
        if len(j) == 0:
            continue
        hosted = np.count_nonzero(st.intern_firm[mine] == f)
        assert add[j[0]] == pytest.approx(0.5 * allowance[f] * hosted - 0.75 * pool / k)
    outside = ~np.isin(
        np.arange(len(act)),
        [
            np.flatnonzero((p.school[act] == 0) & (p.firm[act] == f))[0]
            for f in members
            if ((p.school[act] == 0) & (p.firm[act] == f)).any()
        ],
    )
    assert np.all(add[outside] == 0.0)
    assert add.sum() == pytest.approx(0.25 * pool)  # the school's part comes in from outside the members


def test_incentives_pay_per_member_intern_and_credit_is_capped(tmp_path):
    body = COLLEGE.replace(
        "base_school_funding = 200",
        "base_school_funding = 0\nbase_member_share = 0.0\nintern_subsidy = 0.5\ncredit_share = 0.3\nsurcharge_due = 12.0",
    ) + ("[colleges.charter]\nboard_meetings_per_year = 0\nmember_fee = 120.0\n")
    m = _founded(tmp_path, body)
    st, p, cs = m.students, m.partnerships, m.colleges
    act = p.active()
    rows = np.flatnonzero(st.status[: st.n] == INTERNING)
    cs.contribution[0] = college.contributions(m, 0)
    add = college.shares(m, act, rows)
    mine = rows[(st.school[rows] == 0) & cs.member[0][st.intern_firm[rows]]]
    for f in np.flatnonzero(cs.member[0]):
        j = np.flatnonzero((p.school[act] == 0) & (p.firm[act] == f))
        hosted = np.count_nonzero(st.intern_firm[mine] == f)
        # fee 10 a month; credit 0.3 × 10 = 3 capped at 12/12 = 1; subsidy 0.5 per intern
        assert add[j[0]] == pytest.approx(-10.0 + 1.0 + 0.5 * hosted)


# ------------------------------------------------------------------------------ the charter
def test_board_meetings_build_members_trust_only_and_draw_nothing(tmp_path):
    with_board = _founded(tmp_path, COLLEGE + CHARTER, extra=12)
    without = _founded(tmp_path, COLLEGE, extra=12)
    for name in with_board.streams:
        assert with_board.streams[name].bit_generator.state == without.streams[name].bit_generator.state
    p, q = with_board.partnerships, without.partnerships
    founders = np.flatnonzero(with_board.colleges.founder[0])
    # the founders' first year of partnership: trust higher with a board
    rows = [np.flatnonzero((p.school[: p.n] == 0) & (p.firm[: p.n] == f))[-1] for f in founders]
    rows_q = [np.flatnonzero((q.school[: q.n] == 0) & (q.firm[: q.n] == f))[-1] for f in founders]
    assert np.mean(p.trust[rows]) > np.mean(q.trust[rows_q])


def test_the_leaving_rule_holds_a_member_for_its_notice(tmp_path):
    body = COLLEGE + "[colleges.charter]\nnotice_months = 5\n"
    m = _founded(tmp_path, body, extra=1)
    p, b = m.partnerships, m.params.behaviour
    act = p.active()
    member = (p.school[act] == 0) & m.colleges.member[0][p.firm[act]]
    assert member.any() and (~member).any()
    p.low_months[act] = b.exit_months
    leaves = partnerships.leaves_by_rule(m, act)
    assert not leaves[member].any() and leaves[~member].all()
    p.low_months[act] = b.exit_months + 5
    assert partnerships.leaves_by_rule(m, act).all()


def test_joint_placement_counts_a_graduate_trained_at_another_member(tmp_path):
    m = _founded(tmp_path, COLLEGE + "[colleges.charter]\njoint_placement = true\n", extra=1)
    a, b_ = np.flatnonzero(m.colleges.member[0])[:2]
    outside = np.flatnonzero(~m.colleges.member[0])[0]
    got = college.trained_in_college(
        m, np.array([0, 0, 1, 0]), np.array([a, outside, a, -1]), np.array([b_, b_, b_, b_])
    )
    assert got.tolist() == [True, False, False, False]
    hosted = np.zeros(m.n_schools * m.n_firms)
    hosted[a] = 6
    pooled = college.pooled_hosted(m, hosted)
    k = m.colleges.member[0].sum()
    assert pooled[a] == pooled[b_] == pytest.approx(6 / k) and pooled[outside] == 0
