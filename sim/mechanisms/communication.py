"""M1 communication (沟通机制) and M10's extra channel for party-alliance partners.

Source: P2 §三.1 (online platform, themed meetings, seminars, needs survey); P2 §二.1
("只是建立在形式上的沟通": formal-only talk); P1 §三(一) (党建联盟 as a channel); P1 §一
problem 3 (communication costs staff time from the budget that mentoring also draws on).

Per partnership and month, events arrive (Poisson) at the policy frequencies, each with a
depth δ in 0..1.  The school's belief moves toward the firm's true needs:
``b_s ← b_s + λ · Σδ · (n_f − b_s) / P_s`` (P_s = the school's partners); trust (the firm
feels heard) grows with ``Σδ²`` so formal talk builds almost none, and decays monthly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..state import MONTHS_PER_YEAR

if TYPE_CHECKING:
    from ..model import CooperationModel


def poisson_from_uniform(u: np.ndarray, lam: "float | np.ndarray") -> np.ndarray:
    """Poisson(λ) counts by the inverse CDF of given uniforms: the same uniform gives a count that
    rises with λ, and the random stream is used the same way whatever λ is (unlike numpy's
    sampler, whose use of the stream depends on λ).  ``lam``: one rate, or one per uniform."""
    count = np.zeros(len(u), dtype=np.int64)
    rate: np.ndarray = np.asarray(lam, dtype=float)
    if rate.ndim and len(rate) and (rate == rate[0]).all():
        rate = rate[0]  # one rate for all: the scalar path (the same counts, faster)
    if rate.ndim == 0:
        if rate <= 0:
            return count
        prob = np.exp(-rate)
        cdf = np.full(len(u), prob)
        k = 0
        left = u > cdf
        while left.any():
            k += 1
            prob *= rate / k
            count[left] = k
            cdf = cdf + prob
            left = left & (u > cdf)
            if prob < np.finfo(float).tiny:  # the tail is exhausted (u within rounding of 1)
                break
        return count
    prob = np.exp(-rate)
    cdf = prob.copy()
    k = 0
    left = (u > cdf) & (rate > 0)
    while left.any():
        k += 1
        prob = prob * (rate / k)
        count[left] = k
        cdf = cdf + prob
        # a rate whose tail is exhausted (u within rounding of 1) stops counting
        left = left & (u > cdf) & (prob >= np.finfo(float).tiny)
    return count


def communicate(model: "CooperationModel") -> None:
    p, b = model.partnerships, model.params.behaviour
    communication = model.school_levers_for("M1").communication  # the school's levers (docs/odd.md §11)
    act = p.active()
    if len(act) == 0:
        return
    rng = model.streams["communication"]
    # every channel, every partnership row the table holds, every month, whether used or not: a
    # partnership keeps its draws when a lever changes the frequencies or adds partnerships
    # elsewhere (common random numbers); counts come from the uniforms by the inverse CDF
    u = rng.random((3, p.capacity))[:, act]
    u_seminar = rng.random(model.n_schools)
    if not model.active("M1"):
        # M1 off: no events of any channel (the alliance's too): beliefs and trust stay, no staff hours
        model.comm_hours[:] = 0.0
        return
    school = p.school[act]
    n_meet = poisson_from_uniform(u[0], communication.meetings_per_year[school] / MONTHS_PER_YEAR)
    n_online = poisson_from_uniform(u[1], b.online_events_per_year / MONTHS_PER_YEAR)
    n_alliance = poisson_from_uniform(u[2], b.alliance_events_per_year / MONTHS_PER_YEAR)
    n_seminar = poisson_from_uniform(u_seminar, communication.seminars_per_year / MONTHS_PER_YEAR)
    n_online = np.where(communication.online_platform[school], n_online, 0)
    n_alliance = np.where(
        model.school_levers_for("M10").party_building.alliance[school] & model.active("M10"), n_alliance, 0
    )
    n_alliance = n_alliance * model.firm_party_org[p.firm[act]]
    survey = (communication.needs_survey[school] & model.is_september).astype(np.int64)
    seminars = n_seminar[school]
    depth = communication.depth[school]
    # squared per school as Python floats (pow), as a scalar lever was: numpy's square can differ in the last bit
    square = np.array([d**2 for d in communication.depth.tolist()])[school]
    depth_sum = (
        n_meet * depth
        + n_online * b.online_depth
        + n_alliance * b.alliance_depth
        + survey * b.survey_depth
        + seminars * b.seminar_depth
    )
    depth_sq = (
        n_meet * square
        + n_online * b.online_depth**2
        + n_alliance * b.alliance_depth**2
        + survey * b.survey_depth**2
        + seminars * b.seminar_depth**2
    )
    # belief (M1 → M2)
    partners = np.bincount(school, minlength=model.n_schools).astype(float)
    gap = model.firm_needs[p.firm[act]] - model.school_belief[school]
    pull = np.zeros_like(model.school_belief)
    np.add.at(pull, school, (b.belief_learning_rate * depth_sum)[:, None] * gap)
    model.school_belief += np.minimum(pull / np.maximum(partners, 1)[:, None], 1.0)
    # trust: substantive talk makes the firm feel heard (P2 §三.1 相互理解、相互信任)
    t = p.trust[act]
    t = t + b.trust_gain * depth_sq * (1.0 - t)
    p.trust[act] = t * (1.0 - b.trust_decay)
    # staff time (P1 §一 problem 3)
    hours = (n_meet + survey + n_alliance) * b.meeting_staff_hours + n_online * b.online_staff_hours
    model.comm_hours[:] = np.bincount(school, weights=hours, minlength=model.n_schools)
    model.comm_hours += n_seminar * b.meeting_staff_hours
