"""M8 firm accounting and willingness (互利, mutual benefit).

Sources: P2 §二.1 ("企业会慢慢失去合作意愿" when cooperation does not pay), P2 §三 (互利);
冉云芳 & 石伟平 (2020): internships pay on average, yet over 40% of firms lose money;
break-even around the 4th internship month.  The investment motive follows the structure of
the cost–benefit surveys of firm-based training (BIBB: Schönfeld et al. 2016; Switzerland:
Mühlemann & Wolter 2014): besides the trainee's output and cost during training, a firm
counts the hiring costs it saves by keeping the graduates it trained (Muehlemann & Pfeifer
2016; Muehlemann & Strupler Leiser 2018) — and loses them again when they leave early.

Monthly, per partnership:

- internship net = Σ over its interns (value − allowance − mentor time − first-month
  training − disruption not prevented by the school's task coordination), where an intern's
  value is a share (``intern_value`` < 1) of a regular worker's productive value in the post,
  valued at its labour cost ``graduate_start_wage · (1 + nonwage_labour_cost)``, ramping up
  over ``ramp_months``; on a front-line post it depends on needs-weighted skill (with craft),
  field and mentoring; a marginal post's unskilled work is worth ``marginal_productivity`` of
  it whatever the intern knows;
- investment: in the month after a partner hire, the hiring cost saved (``hire_value`` months
  of the graduate wage for an own trainee, the search share for another graduate of the
  partner school); in the month after such a hire leaves, the part of that saving not yet
  earned (tenure short of ``hire_payback_months``) — read from the student arrays;
- school services (joint projects, teachers' practice), minus the resources given.

``W`` moves toward ``σ(NB̄ / scale + motive + trust weight · (trust − reference))``, with NB̄ the
smoothed annual total, and the party alliance adding to the motive of firms that have a party
organisation (P1 §三(一)).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..state import CRAFT, INTEGRATED, INTERNING, MONTHS_PER_YEAR

if TYPE_CHECKING:
    from ..model import CooperationModel


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def effective_resources(model: "CooperationModel", firms: np.ndarray, willingness: np.ndarray) -> np.ndarray:
    """Resources firms ``firms`` actually give in partnerships of willingness ``willingness`` (0..1):
    each firm's offer, more of it when W is high (reciprocity, P2 §二.2)."""
    return model.firm_levers_for("M8").firm_support.resources[firms] * np.minimum(
        1.0, model.params.behaviour.reciprocity_floor + willingness
    )


def regular_worker_value(model: "CooperationModel") -> float:
    """Productive value of a regular worker in an intern's post (thousand yuan a month): at least
    its labour cost, the graduate wage plus the employer's social insurance and housing fund."""
    b = model.params.behaviour
    return b.graduate_start_wage * (1.0 + b.nonwage_labour_cost)


def intern_value(model: "CooperationModel", rows: np.ndarray, mentor_q: np.ndarray) -> np.ndarray:
    """This month's productive value of each intern to its host firm (thousand yuan).

    A share ``intern_value`` (< 1) of a regular worker's value, times the firm's factor, the
    ramp-up and the quality of the placement (each at most 1): on a front-line post, needs-weighted
    skill relative to a fully productive intern (craft making up for missing skill) times the
    field match; on a marginal post, the value of unskilled work; both times mentoring."""
    st, b = model.students, model.params.behaviour
    f = st.intern_firm[rows]
    months_in = model.t - st.intern_start[rows]
    ability = np.einsum("ij,ij->i", st.skills[rows], model.firm_needs[f])
    skill = np.minimum(ability / model.ability_reference * (1.0 + b.craft_productivity * st.skills[rows, CRAFT]), 1.0)
    in_field = np.where(st.programme[rows] == model.firm_field[f], 1.0, b.out_of_field_fit)
    post = np.where(st.frontline[rows], skill * in_field, b.marginal_productivity)
    # M18: months of ramp-up skipped after a college's base (sim/mechanisms/college.py); no college: None
    head = None if model.colleges is None else model.colleges.ramp_head_start(model, rows)
    ramp = np.minimum(1.0, (months_in + 1) / b.ramp_months if head is None else (months_in + 1 + head) / b.ramp_months)
    mentoring = (1.0 - b.mentor_productivity) + b.mentor_productivity * mentor_q[f]
    return b.intern_value * regular_worker_value(model) * model.firm_intern_value[f] * ramp * post * mentoring


def intern_cost(model: "CooperationModel", rows: np.ndarray) -> np.ndarray:
    """This month's cost of each intern to its host firm (thousand yuan): the host's allowance and
    mentors, the school's task coordination."""
    st, b = model.students, model.params.behaviour
    firm_support, school_cooperation = (
        model.firm_levers_for("M8").firm_support,
        model.school_levers_for("M8").school_cooperation,
    )
    f, s = st.intern_firm[rows], st.school[rows]
    months_in = model.t - st.intern_start[rows]
    return (
        firm_support.intern_allowance[f]
        + b.mentor_cost * (firm_support.mentors_per_firm[f] > 0)
        + b.training_cost * (months_in == 0)
        + b.disruption_cost * (1.0 - school_cooperation.task_coordination[s])
    )


def intern_net_benefit(model: "CooperationModel", rows: np.ndarray, mentor_q: np.ndarray) -> np.ndarray:
    """This month's net benefit of each intern to its host firm (thousand yuan)."""
    return intern_value(model, rows, mentor_q) - intern_cost(model, rows)


def investment_value(model: "CooperationModel") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hiring costs saved and forfeited, booked the month after the event (thousand yuan).

    Read from the student arrays (first job: partner hires are first jobs at graduation):
    a partner hire of last month saves ``hire_value`` months of the graduate wage if the firm
    trained the graduate through a completed internship, the search share of it otherwise; a
    partner hire who left last month at tenure ``k`` forfeits the share ``1 − k/hire_payback_months``
    of that saving.  Returns (school, firm, value) of each booking."""
    st, b = model.students, model.params.behaviour
    n = st.n
    last = model.t - 1
    partner = st.first_partner[:n]
    hired = np.flatnonzero(partner & (st.first_hire[:n] == last))
    left = np.flatnonzero(partner & (st.first_end[:n] == last))
    rows = np.concatenate([hired, left])
    firm = st.first_employer[rows]
    own = (st.intern_firm[rows] == firm) & (st.intern_done[rows] == 1)
    if model.colleges is not None:  # M18 就业共推: trained at another member of a college that places jointly
        joint = model.colleges.trained_in_college(model, st.school[rows], st.intern_firm[rows], firm)
        own |= joint & (st.intern_done[rows] == 1)
    saved = b.hire_value * b.graduate_start_wage * np.where(own, 1.0, b.search_cost_share)
    tenure = st.first_end[left] - st.first_hire[left]
    unearned = np.maximum(1.0 - tenure / b.hire_payback_months, 0.0)
    value = saved * np.concatenate([np.ones(len(hired)), -unearned])
    return st.school[rows], firm, value


def _book(key_p: np.ndarray, key: np.ndarray, values: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Add ``values`` to ``out`` at the partnership whose key (school · F + firm) matches; returns
    the mask of values booked (those of a pair with no active partnership are dropped)."""
    if len(key) == 0:
        return np.zeros(0, bool)
    order = np.argsort(key_p)
    pos = np.minimum(np.searchsorted(key_p[order], key), len(order) - 1)
    ok = key_p[order][pos] == key
    np.add.at(out, order[pos[ok]], values[ok])
    return ok


def drift_intern_value(model: "CooperationModel") -> None:
    """Firms' need for interns moves with their business (short-term labour needs, 冉云芳 & 石伟平
    2020): the log of each firm's factor is a mean-reverting (AR(1)) process with correlation time
    ``intern_value_persistence`` months and the stationary spread ``intern_value_sd``, so that the
    factors keep a mean-one log-normal distribution across firms.  One draw per firm each month,
    from the ``firm_traits`` stream, whatever the levers."""
    b = model.params.behaviour
    z = model.streams["firm_traits"].standard_normal(model.n_firms)
    a = np.exp(-1.0 / b.intern_value_persistence)
    half_var = b.intern_value_sd**2 / 2
    x = np.log(model.firm_intern_value) + half_var
    model.firm_intern_value = np.exp(a * x + np.sqrt(1.0 - a * a) * b.intern_value_sd * z - half_var)


def account(model: "CooperationModel", mentor_q: np.ndarray) -> None:
    """Book this month's net benefit per partnership and move willingness (the investment motive
    is read from the student arrays: :func:`investment_value`)."""
    p, b = model.partnerships, model.params.behaviour
    # the firm's and the school's levers of each partnership, as the family that acts through each reads them
    projects, party_building, alliance = (
        model.firm_levers_for("M14").firm_support.joint_projects,
        model.school_levers_for("M11").party_building,
        model.school_levers_for("M10").party_building.alliance,
    )
    drift_intern_value(model)
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
        _book(key_p, st.school[rows] * F + st.intern_firm[rows], nb, net)
        if model.reporting:
            # a firm's interns hosted through an ended partnership still count toward the firm: the
            # placement goes on after the partnership ends (in its later, productive months), and the
            # survey asks the firm about all its interns
            model.intern_months_reported += len(rows)
            model.intern_net_reported += float(nb.sum())
            k = model.t - st.intern_start[rows]  # 0 in the placement's first month
            model.grow_intern_months(int(k.max()) + 1)
            model.intern_net_by_month += np.bincount(k, weights=nb, minlength=len(model.intern_net_by_month))
            model.interns_by_month += np.bincount(k, minlength=len(model.interns_by_month))
            np.add.at(model.firm_intern_net_year, st.intern_firm[rows], nb)
            model.firm_hosted_year[st.intern_firm[rows]] = True
    intern_part = net.copy()
    school, firm, value = investment_value(model)
    invest = np.zeros(len(act))
    _book(key_p, school * F + firm, value, invest)
    # school services: from joint projects (none with M14 off) and teachers' firm practice (none with M11 off)
    f, s = p.firm[act], p.school[act]
    services = (
        b.service_value
        / MONTHS_PER_YEAR
        * (
            projects[f] * model.active("M14")
            + b.teacher_practice_service
            * party_building.teacher_practice[s]
            * (party_building.mode[s] == INTEGRATED)
            * model.active("M11")
        )
    )
    resources = b.resource_cost / MONTHS_PER_YEAR * effective_resources(model, f, p.willingness[act])
    net = net + invest + services - resources
    # M18: a college's cost sharing, base contributions and incentives (sim/mechanisms/college.py)
    shared = None if model.colleges is None else model.colleges.shares(model, act, rows)
    if shared is not None:
        net = net + shared
    p.net_smoothed[act] += (1.0 / b.benefit_memory) * (MONTHS_PER_YEAR * net - p.net_smoothed[act])
    if model.reporting:
        np.add.at(model.resources_received, s, resources)  # what the firms give, each school receives
        p.intern_net[act] += intern_part
        p.net_total[act] += net
        p.months_reported[act] += 1
    if not model.active("M8"):
        return  # M8 off: the accounts are kept, but willingness stays where it started
    motive = model.firm_motive[p.firm[act]] + b.trust_weight * (p.trust[act] - b.trust_reference)
    if model.active("M10") and alliance.any():  # the school's alliance with firms that have a party organisation
        motive = np.where(alliance[s], motive + b.alliance_motive * model.firm_party_org[f], motive)
    target = sigmoid(p.net_smoothed[act] / b.benefit_scale + motive)
    p.willingness[act] += b.willingness_rate * (target - p.willingness[act])
    p.willingness[act] = np.clip(p.willingness[act], 0.0, 1.0)
