"""Partnership exits and entries (M8 exits, M10 brokerage by the party alliance, M15 attraction).

Sources: P2 §二.1 (firms lose the will to cooperate and leave), 中国教育报 2022-03-01
(foreign and joint-venture partners churn most; few partnerships last over three years),
P1 §三(一) (the alliance introduces firms of its area "其辖内企业"), P2 §三 齐荣 (reputation
attracts partners).

A partnership ends when its firm decides to leave — a rule-played firm after ``exit_months``
consecutive months with W below ``exit_threshold`` (the M8 rule), a human-played one when its seat
says so (docs/odd.md §11) — or through an outside shock whose hazard depends on the firm's ownership.  A school below
its target number of partners recruits one with a probability raised by its reputation and,
with an alliance, by brokerage.  A partnership starts with the trust the firm brings (initial
trust, McKnight, Cummings & Chervany 1998), drawn around ``initial_trust`` with spread
``initial_trust_sd``; what happens to it afterwards is M1's (talk) and M8's (low-trust partners
leave), so the cross-sectional link of trust with a partnership's age is an outcome
(Vanneste, Puranam & Kretschmer 2014; docs/odd.md, Targets).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.special import betaincinv

from ..state import END_REASONS

if TYPE_CHECKING:
    from ..model import CooperationModel


def starting_trust(u: np.ndarray, mean: float, sd: float) -> np.ndarray:
    """The trust partnerships start with, by the inverse CDF of given uniforms ``u``: a beta
    distribution of mean ``mean`` and standard deviation ``sd`` (its variance capped at half the
    largest a beta of that mean allows, where the shape parameters sum to 1); every partnership at ``mean`` when ``sd`` is 0."""
    u = np.asarray(u, float)
    if sd <= 0 or mean <= 0 or mean >= 1:
        return np.full(u.shape, float(mean))
    var = min(sd * sd, mean * (1.0 - mean) / 2.0)
    k = mean * (1.0 - mean) / var - 1.0
    return betaincinv(mean * k, (1.0 - mean) * k, u)


def add(model: "CooperationModel", school: int, firm: int, start: int, willingness: float, trust: float) -> int:
    """Begin a partnership of ``school`` and ``firm`` in month ``start``; its row."""
    p = model.partnerships
    i = int(p.add(1)[0])
    p.school[i], p.firm[i], p.start[i] = school, firm, start
    p.willingness[i], p.trust[i] = willingness, trust
    model.firm_ever_partner[firm] = True
    return i


def end(model: "CooperationModel", school: int, firm: int, reason: str) -> None:
    """End the active partnership of ``school`` and ``firm`` this month, for ``reason`` (``END_REASONS``)."""
    p = model.partnerships
    act = p.active()
    ended = act[(p.school[act] == school) & (p.firm[act] == firm)]
    p.end[ended] = model.t
    p.reason[ended] = END_REASONS.index(reason)


def leaves_by_rule(model: "CooperationModel", act: np.ndarray) -> np.ndarray:
    """The rule-played firm's monthly stay-or-leave decision on each active partnership ``act`` (M8):
    leave after ``exit_months`` consecutive months of willingness below ``exit_threshold``.  A firm
    that decides its partnerships itself (``partnership:leave_by_rule = false``, ``sim.policy``: a
    human-played firm) stays; it leaves by its own decision (:meth:`sim.agents.Firm.take`)."""
    p = model.partnerships
    # M18: a college charter's notice (sim/mechanisms/college.py); no college: None
    notice = None if model.colleges is None else model.colleges.notice_months(model, act)
    months = model.params.behaviour.exit_months if notice is None else model.params.behaviour.exit_months + notice
    return (p.low_months[act] >= months) & model.firm_leaves_by_rule[p.firm[act]]


def exits(model: "CooperationModel") -> None:
    """M8 exits: each firm's stay-or-leave decision on its partnerships (:func:`leaves_by_rule`), then
    outside shocks, whose hazard depends on the firm's ownership, whoever plays the firm."""
    p, b = model.partnerships, model.params.behaviour
    act = p.active()
    rng = model.streams["partnerships"]
    u = rng.random(p.capacity)[act]  # per partnership row: a new partnership elsewhere shifts nothing (CRN)
    if len(act) == 0:
        return
    low = p.willingness[act] < b.exit_threshold
    p.low_months[act] = np.where(low, p.low_months[act] + 1, 0)
    hazard = model.firm_shock_hazard[p.firm[act]]
    leave_w = leaves_by_rule(model, act)
    shock = ~leave_w & (u < hazard)
    for mask, reason in ((leave_w, "low_willingness"), (shock, "outside_shock")):
        ended = act[mask]
        p.end[ended] = model.t
        p.reason[ended] = END_REASONS.index(reason)


def entries(model: "CooperationModel") -> None:
    p, b = model.partnerships, model.params.behaviour
    rng = model.streams["partnerships"]
    S, F = model.n_schools, model.n_firms
    target = model.params.population.partners_per_school
    act = p.active()
    counts = np.bincount(p.school[act], minlength=S)
    u = rng.random(S)
    pick = rng.random(S)
    trust = starting_trust(rng.random(S), b.initial_trust, b.initial_trust_sd)
    brokerage = np.where(
        model.school_levers_for("M10").party_building.alliance & model.active("M10"), b.alliance_brokerage, 0.0
    )
    prob = b.entry_rate * (b.entry_base + b.reputation_entry * model.school_reputation) * (1.0 + brokerage)
    for s in range(S):
        if counts[s] >= target or u[s] >= prob[s]:
            continue
        partnered = np.zeros(F, bool)
        partnered[p.firm[act][p.school[act] == s]] = True
        weights = np.where(partnered, 0.0, b.entry_reputation_floor + model.firm_reputation)
        if weights.sum() <= 0:
            continue
        cdf = np.cumsum(weights) / weights.sum()
        f = int(min(np.searchsorted(cdf, pick[s]), F - 1))
        if not model.firm_accepts_new[f]:
            continue  # the firm refuses (its decision, sim.policy): the school tries again another month
        add(model, s, f, model.t, b.initial_willingness, float(trust[s]))
