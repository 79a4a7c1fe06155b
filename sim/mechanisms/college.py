"""M18 The industry college (产业学院): members, a charter, a shared training base and shared costs.

Source: P2 (产业学院 as "以产学结合为基础的一种人才培养载体"; the ten "co-" dimensions of P2 §一, of
which this family adds 资源共享 through a shared base, 实习共担, 就业共推 across members and 效果共评 by
a members' board; P2's third problem 制度体系不健全, named in its introduction, as a college without a
charter).  docs/odd.md M18 gives the equations and what goes beyond the paper.

A scenario's ``[[colleges]]`` tables (:class:`sim.params.College`) make the state here; the default
region has none, and then ``model.colleges`` is None and every function of this module returns at
once: no random number is drawn and no order changes (the golden baseline stands).  Nothing here
draws random numbers at all: board meetings are evenly spread over the year, founders follow a rule
(strongest partners of the field first) and the base is shared by arithmetic.

The model calls it from a few marked places (docs/odd.md §3): :func:`setup` at the end of the
set-up; :func:`found` at the start of each month (it acts once, when the reported period begins);
:func:`board_meetings` after M1; :func:`train_in_base` after the student update;
:func:`shares` inside M8's accounting (what the college moves between a member, the pool, the
school and public money); :func:`ramp_head_start` inside an intern's value (M8);
:func:`notice_months` inside M8's leaving rule; :func:`update_membership` after the entries;
:func:`trained_in_college` and :func:`pooled_hosted` inside partner hiring (M13) and its booking.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..params import College
from ..state import APPRENTICE, ENROLLED, INTERNING, MONTHS_PER_YEAR, ORDER_CLASS, TECHNICAL
from . import partnerships
from .firm_accounting import effective_resources

if TYPE_CHECKING:
    from ..model import CooperationModel


# the parts of a member's account that the college adds (thousand yuan, reported period), in the order
# of the per-member output (docs/odd.md M18 and §7.6)
PARTS = ("cost_share_received", "pool_paid", "base_contribution", "subsidy", "credit")


@dataclass
class CollegeState:
    """The colleges of a run: their rules (``specs``) and their shared state, members by firm."""

    specs: list[College]
    school: np.ndarray  # (C,) the school running each college
    field: np.ndarray  # (C,) its field
    member: np.ndarray  # (C, F) bool, members now
    founder: np.ndarray  # (C, F) bool, founding members
    member_months: np.ndarray  # (C, F) months as a member in the reported period
    joined: np.ndarray  # (C,) firms that joined in the reported period (founders not counted)
    left: np.ndarray  # (C,) members that left in the reported period
    contribution: np.ndarray  # (C, F) this month's contribution of each member to the base (thousand yuan)
    parts: np.ndarray  # (C, F, len(PARTS)) the college's parts of each member's account (reported)
    base_capacity: np.ndarray  # (C,) student-months of capacity in the reported period
    base_used: np.ndarray  # (C,) student-months used in the reported period
    school_paid: np.ndarray  # (C,) the school's base funding and pool share (reported, thousand yuan)
    placed: np.ndarray  # (C,) the college's graduates placed at members at graduation (reported)
    base_months: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))  # per absolute student row

    @property
    def n(self) -> int:
        return len(self.specs)

    def months_of(self, st_first_row: int, rows: np.ndarray) -> np.ndarray:
        """Months each student ``rows`` (rows of the student table) trained in a base."""
        idx = st_first_row + np.asarray(rows, np.int64)
        out = np.zeros(len(idx))
        inside = idx < len(self.base_months)
        out[inside] = self.base_months[idx[inside]]
        return out

    # The hooks inside other families (M8, M13) reach this module through ``model.colleges`` (None without
    # a college), not by importing it: this module uses theirs (effective_resources, add), no circle.
    def ramp_head_start(self, model: "CooperationModel", rows: np.ndarray) -> np.ndarray | None:
        return ramp_head_start(model, rows)

    def shares(self, model: "CooperationModel", act: np.ndarray, rows: np.ndarray) -> np.ndarray | None:
        return shares(model, act, rows)

    def notice_months(self, model: "CooperationModel", act: np.ndarray) -> np.ndarray | None:
        return notice_months(model, act)

    def trained_in_college(
        self, model: "CooperationModel", school: np.ndarray, intern_firm: np.ndarray, firm: np.ndarray
    ) -> np.ndarray | None:
        return trained_in_college(model, school, intern_firm, firm)

    def pooled_hosted(self, model: "CooperationModel", hosted_sf: np.ndarray) -> np.ndarray:
        return pooled_hosted(model, hosted_sf)

    def count_placed(self, model: "CooperationModel", rows: np.ndarray, firms: np.ndarray) -> None:
        count_placed(model, rows, firms)

    def add_months(self, st_first_row: int, rows: np.ndarray, months: np.ndarray) -> None:
        idx = st_first_row + np.asarray(rows, np.int64)
        if len(idx) and idx.max() >= len(self.base_months):
            grown = np.zeros(max(2 * len(self.base_months), int(idx.max()) + 1))
            grown[: len(self.base_months)] = self.base_months
            self.base_months = grown
        np.add.at(self.base_months, idx, months)


def setup(model: "CooperationModel") -> None:
    """The colleges of the scenario, not yet founded (``model.colleges``; None without any): they are
    founded at the start of the reported period (:func:`found`), so that until then the run is the
    same as the one without them, draw for draw, and the founders are the same firms in both."""
    specs = list(model.params.colleges.tables)
    if not specs:
        model.colleges = None
        return
    C, F = len(specs), model.n_firms
    model.colleges = CollegeState(
        specs=specs,
        school=np.array([c.school for c in specs], np.int64),
        field=np.array([c.field for c in specs], np.int64),
        member=np.zeros((C, F), bool),
        founder=np.zeros((C, F), bool),
        member_months=np.zeros((C, F)),
        joined=np.zeros(C, np.int64),
        left=np.zeros(C, np.int64),
        contribution=np.zeros((C, F)),
        parts=np.zeros((C, F, len(PARTS))),
        base_capacity=np.zeros(C),
        base_used=np.zeros(C),
        school_paid=np.zeros(C),
        placed=np.zeros(C, np.int64),
    )


def founding_members(model: "CooperationModel", spec: College, taken: np.ndarray) -> np.ndarray:
    """The founders of a college (bool over firms) as its table names them: the listed firms, then by
    rule ``member_count`` firms of its field — the school's partners first, then other firms of the
    field, each group strongest first (firm index breaking ties); none ``taken`` by another college of
    the school.  No random draw."""
    p = model.partnerships
    founder = np.zeros(model.n_firms, bool)
    founder[[f for f in spec.members if not taken[f]]] = True
    if spec.member_count:
        act = p.active()
        partner = np.zeros(model.n_firms, bool)
        partner[p.firm[act][p.school[act] == spec.school]] = True
        cand = np.flatnonzero((model.firm_field == spec.field) & ~taken & ~founder)
        order = sorted(cand.tolist(), key=lambda f: (not partner[f], -model.firm_strength[f], f))
        founder[order[: spec.member_count]] = True
    return founder


def found(model: "CooperationModel") -> None:
    """At the first month of the reported period (month 0 without warm-up) the colleges are founded:
    their founders (:func:`founding_members`) become members; a listed firm not yet a partner of the
    school becomes one, at the starting willingness and the mean starting trust (no draw)."""
    cs = model.colleges
    if cs is None or model.t != model.warmup:
        return
    b = model.params.behaviour
    for c, spec in enumerate(cs.specs):
        taken = cs.founder[cs.school == spec.school].any(axis=0)
        founder = founding_members(model, spec, taken)
        partner = np.zeros(model.n_firms, bool)
        partner[model.partnerships.firm[partner_rows(model, spec.school, np.ones(model.n_firms, bool))]] = True
        for f in np.flatnonzero(founder & ~partner):
            partnerships.add(model, spec.school, int(f), model.t, b.initial_willingness, b.initial_trust)
        cs.founder[c] = founder
        cs.member[c] = founder


def partner_rows(model: "CooperationModel", school: int, firms: np.ndarray) -> np.ndarray:
    """Rows (of the partnership table) of the active partnerships of ``school`` with ``firms`` (bool over firms)."""
    p = model.partnerships
    act = p.active()
    return act[(p.school[act] == school) & firms[p.firm[act]]]


def update_membership(model: "CooperationModel") -> None:
    """After the month's exits and entries: a member whose partnership with the school ended leaves
    the college; with ``joining = "open"`` every partner of the school in the college's field that is
    in no other college of the school is a member (a firm that partners again joins again)."""
    cs = model.colleges
    if cs is None:
        return
    p = model.partnerships
    act = p.active()
    for c, spec in enumerate(cs.specs):
        s = spec.school
        partner = np.zeros(model.n_firms, bool)
        partner[p.firm[act][p.school[act] == s]] = True
        leaving = cs.member[c] & ~partner
        joining = np.zeros(model.n_firms, bool)
        if spec.joining == "open":
            others = cs.member[(cs.school == s) & (np.arange(cs.n) != c)].any(axis=0)
            joining = partner & (model.firm_field == spec.field) & ~cs.member[c] & ~others
        cs.member[c] = (cs.member[c] & partner) | joining
        if model.reporting:
            cs.left[c] += int(np.count_nonzero(leaving))
            cs.joined[c] += int(np.count_nonzero(joining))
            cs.member_months[c] += cs.member[c]


def board_meetings(model: "CooperationModel") -> None:
    """The members' board meets (a charter's ``board_meetings_per_year``, spread evenly over the year):
    each meeting is one communication event of depth ``board_depth`` with every member at once (M1's
    rules: trust grows with depth², the school's belief moves toward each member's needs), and costs
    the school one meeting's staff hours, not one per member.  M1 off: no board meets either."""
    cs = model.colleges
    if cs is None or not model.active("M1"):
        return
    b, p = model.params.behaviour, model.partnerships
    m = model.t % MONTHS_PER_YEAR
    act = p.active()
    for c, spec in enumerate(cs.specs):
        if spec.charter is None or spec.charter.board_meetings_per_year == 0:
            continue
        n = spec.charter.board_meetings_per_year
        meets = (m + 1) * n // MONTHS_PER_YEAR - m * n // MONTHS_PER_YEAR
        if meets == 0:
            continue
        s = spec.school
        rows = partner_rows(model, s, cs.member[c])
        if len(rows) == 0:
            continue
        depth = spec.board_depth
        partners = max(int(np.count_nonzero(p.school[act] == s)), 1)
        gap = model.firm_needs[p.firm[rows]] - model.school_belief[s]
        pull = b.belief_learning_rate * meets * depth * gap.sum(axis=0) / partners
        model.school_belief[s] += np.minimum(pull, 1.0)
        t = p.trust[rows]
        p.trust[rows] = t + b.trust_gain * meets * depth**2 * (1.0 - t)
        model.comm_hours[s] += meets * b.meeting_staff_hours


def member_students(model: "CooperationModel", c: int) -> tuple[np.ndarray, np.ndarray]:
    """The students of college ``c`` who use its base this month, and the member each belongs to:
    its school's students of its field interning at a member (during the internship), or enrolled
    in an order class of a member (before it)."""
    cs, st = model.colleges, model.students
    assert cs is not None  # called only where a college exists
    spec = cs.specs[c]
    n = st.n
    firm = np.where(
        st.status[:n] == INTERNING,
        st.intern_firm[:n],
        np.where((st.status[:n] == ENROLLED) & (st.track[:n] == ORDER_CLASS), st.order_firm[:n], -1),
    )
    mine = (st.school[:n] == spec.school) & (st.programme[:n] == spec.field) & (firm >= 0)
    rows = np.flatnonzero(mine)
    rows = rows[cs.member[c, firm[rows]]]
    return rows, firm[rows]


def contributions(model: "CooperationModel", c: int) -> np.ndarray:
    """This month's contribution of each member of college ``c`` to its base (thousand yuan, over
    firms): the charter's binding ``member_fee``, or without one the voluntary share
    ``base_member_share`` of the resources the member gives the school (M8, reciprocal in W)."""
    cs, p, b = model.colleges, model.partnerships, model.params.behaviour
    assert cs is not None  # called only where a college exists
    spec = cs.specs[c]
    out = np.zeros(model.n_firms)
    rows = partner_rows(model, spec.school, cs.member[c])
    if len(rows) == 0:
        return out
    f = p.firm[rows]
    if spec.charter is not None and spec.charter.member_fee > 0:
        out[f] = spec.charter.member_fee / MONTHS_PER_YEAR
    else:
        given = b.resource_cost / MONTHS_PER_YEAR * effective_resources(model, f, p.willingness[rows])
        out[f] = spec.base_member_share * given
    return out


def base_shares(
    spec: College, school_funding: float, contribution: np.ndarray, firm_of_user: np.ndarray
) -> tuple[float, np.ndarray]:
    """The base's capacity this month (student-months) and each user's share of it (0..1 months).

    ``contribution``: each member's contribution (over firms), ``firm_of_user``: the member each user
    belongs to.  Open (no charter, or ``base_rule = "open"``): every user gets the same share of the
    whole capacity, whatever its member gave (free riders gain as much).  ``by_contribution``: the
    school-funded capacity is shared equally, each member's capacity only among its own users."""
    capacity = (school_funding + contribution.sum()) / spec.base_cost
    n = len(firm_of_user)
    if n == 0 or capacity <= 0:
        return float(capacity), np.zeros(n)
    rule = spec.charter.base_rule if spec.charter is not None else "open"
    if rule == "open":
        return float(capacity), np.full(n, min(1.0, capacity / n))
    users = np.bincount(firm_of_user, minlength=len(contribution))
    own = np.divide(contribution / spec.base_cost, users, out=np.zeros(len(contribution)), where=users > 0)
    share = school_funding / spec.base_cost / n + own[firm_of_user]
    return float(capacity), np.minimum(share, 1.0)


def train_in_base(model: "CooperationModel") -> None:
    """The shared training base (实训基地) of each college this month: its capacity, from the school's
    money and the members' contributions, is shared among the members' students (:func:`base_shares`);
    a share ``a`` of a month raises technical skill by ``base_gain · a · (1 − x)`` and counts toward
    the intern's head start at a member (:func:`ramp_head_start`).  Zero capacity changes nothing."""
    cs = model.colleges
    if cs is None:
        return
    st = model.students
    for c, spec in enumerate(cs.specs):
        cs.contribution[c] = contributions(model, c)
        rows, firm = member_students(model, c)
        capacity, share = base_shares(spec, spec.base_school_funding / MONTHS_PER_YEAR, cs.contribution[c], firm)
        used = share > 0
        rows, share = rows[used], share[used]
        if len(rows):
            x = st.skills[rows, TECHNICAL]
            st.skills[rows, TECHNICAL] = x + spec.base_gain * share * (1.0 - x)
            cs.add_months(st.first_row, rows, share)
        if model.reporting:
            cs.base_capacity[c] += capacity
            cs.base_used[c] += float(share.sum())


def college_of(model: "CooperationModel", school: np.ndarray, firm: np.ndarray) -> np.ndarray:
    """The college (index) of which ``firm`` is a member with ``school``, -1 where none."""
    cs = model.colleges
    assert cs is not None  # called only where a college exists
    out = np.full(len(firm), -1, np.int64)
    for c in range(cs.n):
        out[(school == cs.school[c]) & cs.member[c, firm]] = c
    return out


def ramp_head_start(model: "CooperationModel", rows: np.ndarray) -> np.ndarray | None:
    """Months of ramp-up each intern ``rows`` skips at its host (M8's ramp): ``base_head_start ·
    min(1, base months / base_full_months)`` where the host is a member of a college of the intern's
    school, 0 elsewhere (a firm outside the college gains nothing from its base).  None without
    colleges, so that the ramp's arithmetic is untouched."""
    cs = model.colleges
    if cs is None:
        return None
    st = model.students
    c = college_of(model, st.school[rows], st.intern_firm[rows])
    head = np.zeros(len(rows))
    inside = c >= 0
    if inside.any():
        spec_head = np.array([s.base_head_start for s in cs.specs])[c[inside]]
        full = np.array([s.base_full_months for s in cs.specs])[c[inside]]
        months = cs.months_of(st.first_row, rows[inside])
        head[inside] = spec_head * np.minimum(1.0, months / full)
    return head


def shares(model: "CooperationModel", act: np.ndarray, rows: np.ndarray) -> np.ndarray | None:
    """What the colleges add this month to each active partnership ``act`` (thousand yuan), interns
    ``rows``: the host receives ``cost_share`` of each member intern's allowance from the pool (实习共担),
    of which the school pays ``school_cost_share`` and the members the rest in equal parts; each member
    pays its contribution to the base; public money pays ``intern_subsidy`` per member intern (and
    ``apprentice_subsidy`` more per apprentice) and credits ``credit_share`` of the member's investment
    (contribution and pool share) against its education surcharges, at most ``surcharge_due`` a year.
    None without colleges."""
    cs = model.colleges
    if cs is None:
        return None
    p, st = model.partnerships, model.students
    allowance = model.firm_levers_for("M8").firm_support.intern_allowance
    out = np.zeros(len(act))
    pos = np.full(model.partnerships.capacity, -1, np.int64)
    pos[act] = np.arange(len(act))
    for c, spec in enumerate(cs.specs):
        s = spec.school
        members = cs.member[c]
        if model.reporting:  # the school's money for the base, whoever uses it
            cs.school_paid[c] += spec.base_school_funding / MONTHS_PER_YEAR
            model.school_costs[s] += spec.base_school_funding / MONTHS_PER_YEAR
        prow = partner_rows(model, s, members)
        if len(prow) == 0:
            continue
        firms = p.firm[prow]
        k = len(firms)
        part = np.zeros((model.n_firms, len(PARTS)))
        mine = rows[(st.school[rows] == s) & members[st.intern_firm[rows]]]
        host = st.intern_firm[mine]
        shared_rate = spec.charter.cost_share if spec.charter is not None else 0.0
        received = shared_rate * allowance[host]
        np.add.at(part[:, 0], host, received)
        pool = float(received.sum())
        school_part = spec.charter.school_cost_share * pool if spec.charter is not None else 0.0
        part[firms, 1] = (pool - school_part) / k
        part[:, 2] = cs.contribution[c] * members
        subsidy = spec.intern_subsidy + spec.apprentice_subsidy * (st.track[mine] == APPRENTICE)
        np.add.at(part[:, 3], host, subsidy)
        invest = part[:, 1] + part[:, 2]
        part[:, 4] = np.minimum(spec.credit_share * invest, spec.surcharge_due / MONTHS_PER_YEAR) * members
        net = part[:, 0] - part[:, 1] - part[:, 2] + part[:, 3] + part[:, 4]
        out[pos[prow]] += net[firms]
        if model.reporting:
            cs.parts[c] += part
            cs.school_paid[c] += school_part
            model.school_costs[s] += school_part
    return out


def notice_months(model: "CooperationModel", act: np.ndarray) -> np.ndarray | None:
    """Months of notice (a charter's leaving rule) each active partnership ``act`` owes before its firm
    may leave by M8's rule: the charter's ``notice_months`` for a member of a college, 0 otherwise.
    None without colleges."""
    cs = model.colleges
    if cs is None:
        return None
    p = model.partnerships
    out = np.zeros(len(act), np.int64)
    for c, spec in enumerate(cs.specs):
        if spec.charter is not None and spec.charter.notice_months:
            out[(p.school[act] == spec.school) & cs.member[c, p.firm[act]]] = spec.charter.notice_months
    return out


def trained_in_college(
    model: "CooperationModel", school: np.ndarray, intern_firm: np.ndarray, firm: np.ndarray
) -> np.ndarray | None:
    """Whether a hire by ``firm`` of a graduate of ``school`` who interned at ``intern_firm`` counts as
    one the firm trained (M8's hire value) through joint placement (就业共推): both firms members of
    the same college whose charter places jointly.  None without colleges."""
    cs = model.colleges
    if cs is None:
        return None
    out = np.zeros(len(firm), bool)
    ok = intern_firm >= 0
    for c, spec in enumerate(cs.specs):
        if spec.charter is None or not spec.charter.joint_placement:
            continue
        out |= ok & (school == spec.school) & cs.member[c, firm] & cs.member[c, np.maximum(intern_firm, 0)]
    return out


def pooled_hosted(model: "CooperationModel", hosted_sf: np.ndarray) -> np.ndarray:
    """Partner hiring's count of graduates each (school, firm) hosted (M13's demand), with joint
    placement: a member of a college that places jointly counts the graduates the whole college
    hosted, shared equally among its members (a member that hosted few still offers posts; M13 counts
    whole graduates)."""
    cs = model.colleges
    if cs is None:
        return hosted_sf
    out = hosted_sf.astype(float)
    F = model.n_firms
    for c, spec in enumerate(cs.specs):
        if spec.charter is None or not spec.charter.joint_placement:
            continue
        members = np.flatnonzero(cs.member[c])
        if len(members) == 0:
            continue
        keys = spec.school * F + members
        out[keys] = hosted_sf[keys].sum() / len(members)
    return out


def count_placed(model: "CooperationModel", rows: np.ndarray, firms: np.ndarray) -> None:
    """Graduates of each college placed at its members at graduation (reported period)."""
    cs = model.colleges
    if cs is None or not model.reporting or len(rows) == 0:
        return
    st = model.students
    c = college_of(model, st.school[rows], firms)
    for k in range(cs.n):
        cs.placed[k] += int(np.count_nonzero((c == k) & (st.programme[rows] == cs.field[k])))


def founders_kept(model: "CooperationModel", school: int, founders: np.ndarray) -> float:
    """Share of ``founders`` (firm indices) still partners of ``school`` now: readable on any run, with
    or without a college, so that a college is compared with the same firms as dyads."""
    if len(founders) == 0:
        return float("nan")
    p = model.partnerships
    act = p.active()
    partners = set(p.firm[act][p.school[act] == school].tolist())
    return float(np.mean([int(f) in partners for f in founders]))


def founders_months(model: "CooperationModel", school: int, founders: np.ndarray, since: int) -> float:
    """Mean months, from month ``since`` to now, that each founder's partnership with ``school`` begun
    before ``since`` lasted (its first one that was active at ``since``): how long founders are kept."""
    if len(founders) == 0:
        return float("nan")
    p = model.partnerships
    n = p.n
    out = []
    for f in founders:
        rows = np.flatnonzero((p.school[:n] == school) & (p.firm[:n] == f) & (p.start[:n] <= since))
        rows = rows[(p.end[rows] < 0) | (p.end[rows] >= since)]
        if len(rows) == 0:
            out.append(0.0)
            continue
        end = p.end[rows[0]]
        out.append(float((model.t if end < 0 else end) - since))
    return float(np.mean(out))


def outcomes(model: "CooperationModel") -> tuple[list[dict], list[dict]]:
    """Per college and per member firm, over the reported period (docs/odd.md M18, §7.6): members
    kept, joining and leaving, the base's capacity and use, the school's share, graduates placed at
    members; each member's months, net benefit per member-year and the college's parts of it."""
    cs = model.colleges
    if cs is None:
        return [], []
    p = model.partnerships
    years = (model.horizon - model.warmup) / MONTHS_PER_YEAR
    colleges, members = [], []
    n = p.n
    for c, spec in enumerate(cs.specs):
        founders = np.flatnonzero(cs.founder[c])
        ever = np.flatnonzero(cs.founder[c] | (cs.member_months[c] > 0))
        colleges.append(
            {
                "college": c,
                "school": spec.school,
                "field": spec.field,
                "charter": spec.charter is not None,
                "founders": len(founders),
                "founders_kept": founders_kept(model, spec.school, founders),
                "members_end": int(np.count_nonzero(cs.member[c])),
                "members_joined": int(cs.joined[c]),
                "members_left": int(cs.left[c]),
                "base_capacity_per_year": float(cs.base_capacity[c] / years) if years else float("nan"),
                "base_used_per_year": float(cs.base_used[c] / years) if years else float("nan"),
                "base_use_share": float(cs.base_used[c] / cs.base_capacity[c]) if cs.base_capacity[c] else float("nan"),
                "school_paid_per_year": float(cs.school_paid[c] / years) if years else float("nan"),
                "graduates_placed_at_members": int(cs.placed[c]),
            }
        )
        for f in ever:
            rows = np.flatnonzero((p.school[:n] == spec.school) & (p.firm[:n] == f))
            months = int(p.months_reported[rows].sum())
            row = {
                "college": c,
                "firm": int(f),
                "founder": bool(cs.founder[c, f]),
                "member_months": int(cs.member_months[c, f]),
                "member_now": bool(cs.member[c, f]),
                "net_benefit_per_year": float(p.net_total[rows].sum() / months * MONTHS_PER_YEAR)
                if months
                else float("nan"),
                "intern_net_per_year": float(p.intern_net[rows].sum() / months * MONTHS_PER_YEAR)
                if months
                else float("nan"),
            }
            mm = cs.member_months[c, f]
            for k, name in enumerate(PARTS):
                row[f"{name}_per_year"] = float(cs.parts[c, f, k] / mm * MONTHS_PER_YEAR) if mm else 0.0
            members.append(row)
    return colleges, members
