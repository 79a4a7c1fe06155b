"""M11 two-way cultivation (党员+人才): teachers' practical competence and party recruitment.

Source: P1 §三(二): party-member teachers gain practical skill through firm projects,
textbooks and digital courses (teachers' practical competence ↑, the school's 双师型 share);
a talent pool (人才库) takes in outstanding students, cultivates and observes them regularly
(定期培养及考察) and admits those who meet the party's conditions (符合党员条件) in time.

Teachers' practical competence ``q_s`` (the 双师型 share) turns over: teachers leave and are
replaced at the status-quo share.  Party-member teachers in firm practice (M11) and
successful joint projects (M14, ``honour.py``) raise it.

Recruitment is a pipeline, once a year for the graduating cohort: a student applies with a
probability rising with civic skill and with the hours of party activity received (contact
with party-member teachers and engineers, M9); the branch knows some applicants (all of them
with a talent pool, which also trains them), judges their quality with an error (smaller with
a talent pool) and admits those it judges to stand among the best of their cohort (the bar),
up to the quota — the quota caps, it does not decide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..folding import normal, row_draws
from ..state import CIVIC, INTEGRATED, PER_THOUSAND
from .learning import civic_per_hour
from .mentoring import party_members

if TYPE_CHECKING:
    from ..model import CooperationModel

MAX_TEACHER_QUALITY = 1.0


def train_teachers(model: "CooperationModel") -> None:
    """Turnover toward the status-quo share, then M11 firm practice of party-member teachers."""
    party_building, b = model.school_levers_for("M11").party_building, model.params.behaviour
    model.teacher_quality += b.teacher_turnover * (b.initial_teacher_quality - model.teacher_quality)
    on = (party_building.mode == INTEGRATED) & (party_building.teacher_practice > 0) & model.active("M11")
    if not on.any():
        return
    members = party_members(model)
    share_of_staff = np.minimum(1.0, members / model.teachers_per_school)
    gain = b.teacher_practice_gain * party_building.teacher_practice * share_of_staff
    model.teacher_quality[on] += gain[on] * (MAX_TEACHER_QUALITY - model.teacher_quality[on])


def application_probability(model: "CooperationModel", rows: np.ndarray) -> np.ndarray:
    """Chance that a student of the graduating cohort has applied to join the party."""
    st, b = model.students, model.params.behaviour
    contact = 1.0 - np.exp(-st.party_contact[rows] / b.application_contact_hours)
    logit = b.application_logit + b.application_civic * st.skills[rows, CIVIC] + b.application_contact * contact
    return 1.0 / (1.0 + np.exp(-logit))


def candidate_quality(model: "CooperationModel", rows: np.ndarray) -> np.ndarray:
    """德才兼备: the mean of a student's mean skill (才) and civic skill (德), 0..1."""
    st = model.students
    return np.stack([st.skills[rows].mean(axis=1), st.skills[rows, CIVIC]]).mean(axis=0)


def recruit_party_members(model: "CooperationModel", finalists: np.ndarray) -> None:
    """Once a year, recruit students of the graduating year into the party.

    Three draws per finalist from the ``party`` stream (application, being known to the
    branch, the branch's judgement), whatever the levers say."""
    st, b = model.students, model.params.behaviour
    rng = model.streams["party"]
    # per student row since the run began (folded rows' draws skipped, sim.folding), so that who is
    # a finalist does not shift anyone else's draws (CRN)
    u = row_draws(rng, st.first_row, st.n, rows=2)[:, finalists]
    z = row_draws(rng, st.first_row, st.n, draw=normal)[finalists]
    if len(finalists) == 0:
        return
    applied = u[0] < application_probability(model, finalists)
    school = st.school[finalists]
    # the finalist's school keeps a talent pool (M11 off: recruitment as without one)
    pool = model.school_levers_for("M11").party_building.talent_pool[school] & model.active("M11")
    # the pool registers every applicant and trains them (定期培养), at the effect of an hour of party activity
    trained = finalists[applied & pool]
    if len(trained):
        gain = civic_per_hour(b, st.skills.shape[1]) * b.pool_training_hours
        st.skills[trained, CIVIC] += np.minimum(gain, 1.0) * (1.0 - st.skills[trained, CIVIC])
        st.party_contact[trained] += b.pool_training_hours
    known = np.where(pool, applied, applied & (u[1] < b.base_identification))
    noise = np.where(pool, b.talent_pool_noise, b.base_recruitment_noise)
    judged = candidate_quality(model, finalists) + noise * z
    for s in np.unique(school):
        mine = school == s
        # the bar: standing among the school's graduating cohort, as the branch judges it (表现突出)
        bar = np.quantile(judged[mine], 1.0 - b.admission_rank)
        cap = int(round(b.recruitment_quota * np.count_nonzero(mine) / PER_THOUSAND))
        pick = np.flatnonzero(mine & known & (judged >= bar))
        if len(pick) > cap:
            pick = pick[np.argsort(-judged[pick], kind="stable")[:cap]]
        st.party[finalists[pick]] = True
