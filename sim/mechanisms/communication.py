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

if TYPE_CHECKING:
    from ..model import CooperationModel



def communicate(model: "CooperationModel") -> None:
    p, c, b = model.partnerships, model.params.communication, model.params.behaviour
    act = p.active()
    if len(act) == 0:
        return
    rng = model.streams["communication"]
    k = len(act)
    # draw every channel every month, whether used or not, so levers do not shift other draws
    n_meet = rng.poisson(c.meetings_per_year / 12.0, k)
    n_online = rng.poisson(b.online_events_per_year / 12.0, k)
    n_alliance = rng.poisson(b.alliance_events_per_year / 12.0, k)
    n_seminar = rng.poisson(c.seminars_per_year / 12.0, model.n_schools)
    if not c.online_platform:
        n_online[:] = 0
    if not model.params.party_building.alliance:
        n_alliance[:] = 0
    n_alliance = n_alliance * model.firm_party_org[p.firm[act]]
    survey = 1 if (c.needs_survey and model.is_september) else 0
    school = p.school[act]
    seminars = n_seminar[school]
    depth_sum = (n_meet * c.depth + n_online * b.online_depth + n_alliance * b.alliance_depth
                 + survey * b.survey_depth + seminars * b.seminar_depth)
    depth_sq = (n_meet * c.depth ** 2 + n_online * b.online_depth ** 2 + n_alliance * b.alliance_depth ** 2
                + survey * b.survey_depth ** 2 + seminars * b.seminar_depth ** 2)
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
