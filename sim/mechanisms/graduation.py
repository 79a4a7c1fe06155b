"""Graduation: the third-year cohort leaves school each September (docs/odd.md §3, step 1).

In order: the talent pool recruits among the graduating cohort (M11); the internships under way are
completed; the outside market notices the region's graduates (M16, M12); the school evaluates its
graduates with the firms that hosted them (M7); a share goes on to further study (one draw per
student row from the ``labour`` stream, whoever graduates: common random numbers); partner firms
hire (M13); each firm's hiring record feeds its strength and reputation (M14, M15).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..folding import row_draws
from ..state import EMPLOYED, INTERNING, PROGRAMME_MONTHS, STUDY, UNEMPLOYED
from . import alignment, cultivation, hiring, labour_market

if TYPE_CHECKING:
    from ..model import CooperationModel


def graduate_and_hire(model: "CooperationModel") -> None:
    """Each September, the third-year cohort graduates (docs/odd.md §3, step 1)."""
    st, b = model.students, model.params.behaviour
    n = st.n
    pm = model.t - st.enrol_month[:n]
    # the year-3 cohort, before graduating, is where the talent pool recruits
    grads = np.flatnonzero((pm == PROGRAMME_MONTHS) & (st.status[:n] <= INTERNING))
    cultivation.recruit_party_members(model, grads)
    if len(grads) == 0:
        return
    completed = grads[st.status[grads] == INTERNING]
    st.intern_done[completed] = 1
    st.intern_end[completed] = model.t
    st.grad_month[grads] = model.t
    st.grad_skills[grads] = st.skills[grads]
    model.latest_grad_skills = st.skills[grads].mean(axis=0)
    labour_market.notice_graduates(model, grads)  # M16, M12: the market's benchmarks
    model.hold_state("M16")
    # M7: joint evaluation with the firms that hosted these interns
    hosted = st.intern_firm[grads]
    has = hosted >= 0
    host_needs = np.zeros((model.n_schools, model.n_dims))
    np.add.at(host_needs, st.school[grads[has]], model.firm_needs[hosted[has]])
    cnt = np.bincount(st.school[grads[has]], minlength=model.n_schools)
    alignment.joint_evaluation(model, host_needs / np.maximum(cnt, 1)[:, None], cnt)
    # one draw per student row since the run began (folded rows' draws skipped, sim.folding), whoever
    # graduates: a lever that changes who graduates (dropouts) leaves the others' draws alone (CRN)
    study = row_draws(model.streams["labour"], st.first_row, st.n)[grads] < b.further_study_share
    st.status[grads[study]] = STUDY
    st.status[grads[~study]] = UNEMPLOYED
    hiring.hire_graduates(model, grads[~study])
    # a firm's hiring record, for strength and reputation (M14, M15)
    hired = grads[st.status[grads] == EMPLOYED]
    if len(hired):
        tot = np.bincount(st.employer[hired], weights=st.job_fit[hired], minlength=model.n_firms)
        cnt_f = np.bincount(st.employer[hired], minlength=model.n_firms)
        upd = cnt_f > 0
        model.firm_hire_fit[upd] = tot[upd] / cnt_f[upd]
