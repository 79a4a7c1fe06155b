"""M8 firm accounting and willingness (互利, mutual benefit).

Sources: P2 §二.1 ("企业会慢慢失去合作意愿" when cooperation does not pay), P2 §三 (互利);
冉云芳 & 石伟平 (2020): internships pay on average, yet over 40% of firms lose money;
break-even around the 4th internship month.

Monthly, per partnership: internship net = Σ over its interns (intern value × productivity ×
ramp-up − allowance − mentor time − first-month training − disruption not prevented by the
school's task coordination); plus hiring value at graduation, school services (joint
projects, teachers' practice), minus the resources given.  ``W`` moves toward
``σ(NB / scale + motive + trust weight · trust)``, with the party alliance adding to the
motive of firms that have a party organisation (P1 §三(一)).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..state import CRAFT, INTEGRATED, INTERNING, MONTHS_PER_YEAR

if TYPE_CHECKING:
    from ..model import CooperationModel



def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def effective_resources(model: "CooperationModel", willingness: np.ndarray) -> np.ndarray:
    """Resources a firm actually gives (0..1): more when W is high (reciprocity, P2 §二.2)."""
    return model.params.firm_support.resources * np.minimum(1.0, model.params.behaviour.reciprocity_floor + willingness)


def intern_net_benefit(model: "CooperationModel", rows: np.ndarray, mentor_q: np.ndarray) -> np.ndarray:
    """This month's net benefit of each intern to its host firm (thousand yuan)."""
    st, b = model.students, model.params.behaviour
    fs, sc = model.params.firm_support, model.params.school_cooperation
    f = st.intern_firm[rows]
    months_in = model.t - st.intern_start[rows]
    ability = np.einsum("ij,ij->i", st.skills[rows], model.firm_needs[f])
    post = np.where(st.frontline[rows], b.frontline_productivity, b.marginal_productivity)
    ramp = np.minimum(1.0, (months_in + 1) / b.ramp_months)
    in_field = np.where(st.programme[rows] == model.firm_field[f], 1.0, b.out_of_field_fit)
    # productivity saturates at the ability of a fully productive intern (behaviour.productive_ability)
    productivity = 0.5 + 0.5 * np.minimum(ability / model.ability_reference, 1.0)
    value = (b.intern_value * model.firm_intern_value[f] * productivity * in_field * post * ramp
             * ((1.0 - b.mentor_productivity) + b.mentor_productivity * mentor_q[f]) * (1.0 + b.craft_productivity * st.skills[rows, CRAFT]))
    cost = (fs.intern_allowance + b.mentor_cost * (fs.mentors_per_firm > 0)
            + b.training_cost * (months_in == 0) + b.disruption_cost * (1.0 - sc.task_coordination))
    return value - cost


def account(model: "CooperationModel", mentor_q: np.ndarray, hire_value: np.ndarray) -> None:
    """Book this month's net benefit per partnership and move willingness."""
    p, b = model.partnerships, model.params.behaviour
    fs, pb = model.params.firm_support, model.params.party_building
    act = p.active()
    if len(act) == 0:
        return
    st = model.students
    rows = np.flatnonzero(st.status[: st.n] == INTERNING)
    F = model.n_firms
    key_p = p.school[act] * F + p.firm[act]
    net = np.zeros(len(act))
    if len(rows):
        nb = intern_net_benefit(model, rows, mentor_q)
        key_i = st.school[rows] * F + st.intern_firm[rows]
        order = np.argsort(key_p)
        pos = np.searchsorted(key_p[order], key_i)
        pos = np.minimum(pos, len(order) - 1)
        ok = key_p[order][pos] == key_i
        np.add.at(net, order[pos[ok]], nb[ok])
        if model.reporting:
            model.intern_months_reported += int(np.count_nonzero(ok))
        # a firm's interns hosted through an ended partnership still count toward the firm
        np.add.at(model.firm_intern_net_month, st.intern_firm[rows], nb)
    intern_part = net.copy()
    services = b.service_value / MONTHS_PER_YEAR * (fs.joint_projects + b.teacher_practice_service * pb.teacher_practice * (pb.mode == "integrated"))
    resources = b.resource_cost / MONTHS_PER_YEAR * effective_resources(model, p.willingness[act])
    hv = np.zeros(p.n)
    k = min(len(hire_value), p.n)
    hv[:k] = hire_value[:k]
    net = net + hv[act] + services - resources
    p.net_smoothed[act] += (1.0 / b.benefit_memory) * (MONTHS_PER_YEAR * net - p.net_smoothed[act])
    if model.reporting:
        model.resources_received += float(resources.sum())      # what the firms give, the schools receive
        p.intern_net[act] += intern_part
        p.net_total[act] += net
        p.months_reported[act] += 1
    motive = model.firm_motive[p.firm[act]] + b.trust_weight * (p.trust[act] - b.trust_reference)
    if pb.alliance:
        motive = motive + b.alliance_motive * model.firm_party_org[p.firm[act]]
    target = sigmoid(p.net_smoothed[act] / b.benefit_scale + motive)
    p.willingness[act] += b.willingness_rate * (target - p.willingness[act])
    p.willingness[act] = np.clip(p.willingness[act], 0.0, 1.0)
