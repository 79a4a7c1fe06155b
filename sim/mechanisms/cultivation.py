"""M11 two-way cultivation (党员+人才) and M14 teachers' firm practice (师资共培).

Source: P1 §三(二): party-member teachers gain practical skill through firm projects,
textbooks and digital courses (teacher quality ↑); a talent pool recruits outstanding
students as party members, within a quota, by quality.  Without a talent pool, schools
recruit at a low base rate, with a weaker eye for quality.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..state import CIVIC

if TYPE_CHECKING:
    from ..model import CooperationModel

MAX_TEACHER_QUALITY = 1.0


def train_teachers(model: "CooperationModel") -> None:
    pb, b = model.params.party_building, model.params.behaviour
    if pb.mode != "integrated" or pb.teacher_practice <= 0:
        return
    members = np.array([len(m) for m in model.party_members_by_school], float)
    share_of_staff = np.minimum(1.0, members / model.teachers_per_school)
    gain = b.teacher_practice_gain * pb.teacher_practice * share_of_staff
    model.teacher_quality += gain * (MAX_TEACHER_QUALITY - model.teacher_quality)


def recruit_party_members(model: "CooperationModel", finalists: np.ndarray) -> None:
    """Once a year, recruit students of the graduating year into the party."""
    if len(finalists) == 0:
        return
    st, pb, b = model.students, model.params.party_building, model.params.behaviour
    rng = model.streams["party"]
    noise = rng.standard_normal(len(finalists))
    quota_per_1000 = b.talent_quota if pb.talent_pool else b.base_recruitment
    quality = st.skills[finalists].mean(axis=1) + st.skills[finalists, CIVIC]
    # a talent pool screens by quality; otherwise selection is mostly by chance
    score = quality + (b.talent_pool_noise if pb.talent_pool else b.base_recruitment_noise) * noise
    for s in np.unique(st.school[finalists]):
        mine = finalists[st.school[finalists] == s]
        k = int(round(quota_per_1000 * len(mine) / 1000.0))
        if k <= 0:
            continue
        sc = score[st.school[finalists] == s]
        st.party[mine[np.argsort(-sc, kind="stable")[:k]]] = True
