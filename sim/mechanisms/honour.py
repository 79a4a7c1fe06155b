"""M14 growing strong together (同强) and M15 shared honour (齐荣).

Source: P2 §三 (项目共立, 科研共做, 师资共培, 资源共享; 齐荣: school and firms share the
honour of good outcomes).  Partnerships begin joint projects at a rate set by the lever and
the firm's willingness; a project succeeds with a probability rising with the school's
students' innovation and its teachers' practical competence; success raises the firm's
capability and makes the project's teachers dual-qualified (师资共培).  Firm capability also
tends to a level set by the fit of the graduates it hires.  A school's training capacity
(实训基地) is a stock built from the resources its partners give and depreciating.  A school's reputation follows its results — placement and
skill fit of its latest graduates and its competition results, each as standing against what
is typical — weighted, with the weights renormalised over the signals the school has; a
firm's follows its commitment and its hires.  Strength is measured over all firms that were
ever partners.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..state import CRAFT, INNOVATION, INTERNING, MONTHS_PER_YEAR, NORM_FLOOR
from .firm_accounting import effective_resources

LOGISTIC_SCALE = 1.702  # logistic(1.702 z) approximates the standard normal distribution function

if TYPE_CHECKING:
    from ..model import CooperationModel


def grow_strength(model: "CooperationModel") -> None:
    """M14: capability tends to its level from hires; joint projects and training capacity."""
    b = model.params.behaviour
    on = model.active("M14")  # off: capability and training capacity stay where they started, no projects
    if on:
        target = b.base_strength + b.hire_strength * model.firm_hire_fit
        ever = model.firm_ever_partner
        model.firm_strength[ever] += b.strength_rate * (target[ever] - model.firm_strength[ever])
    joint_projects(model)
    if on:
        build_training_capacity(model)


def project_success_probability(model: "CooperationModel", school: np.ndarray) -> np.ndarray:
    """Chance that a joint project of ``school`` succeeds: logistic in the mean innovation of the
    school's students (in class or in practice) and its teachers' practical competence."""
    b, st = model.params.behaviour, model.students
    rows = np.flatnonzero(st.status[: st.n] <= INTERNING)
    tot = np.bincount(st.school[rows], weights=st.skills[rows, INNOVATION], minlength=model.n_schools)
    cnt = np.bincount(st.school[rows], minlength=model.n_schools)
    innovation = tot / np.maximum(cnt, 1)
    logit = (
        b.project_success_logit
        + b.project_innovation_weight * innovation
        + b.project_competence_weight * model.teacher_quality
    )
    return (1.0 / (1.0 + np.exp(-logit)))[school]


def joint_projects(model: "CooperationModel") -> None:
    """项目共立 / 科研共做: per active partnership and month, two draws from the ``projects``
    stream (whether a project begins, whether one ending succeeds), whatever the levers say."""
    p, b = model.partnerships, model.params.behaviour
    act = p.active()
    u = model.streams["projects"].random((2, p.capacity))[:, act]  # per partnership row (CRN)
    if not model.active("M14"):
        return  # M14 off: no project begins (the draws are made all the same)
    running = p.project_left[act] > 0
    p.project_left[act[running]] -= 1
    ends = running & (p.project_left[act] == 0)
    ending = act[ends]
    if len(ending):
        won = ending[u[1, ends] < project_success_probability(model, p.school[ending])]
        if model.reporting:
            model.projects_ended += len(ending)
            model.projects_succeeded += len(won)
        # each success closes a share of the gap to 1 (a firm or school with several closes it in turn)
        f, k_f = np.unique(p.firm[won], return_counts=True)
        model.firm_strength[f] = 1.0 - (1.0 - model.firm_strength[f]) * (1.0 - b.project_firm_gain) ** k_f
        s, k_s = np.unique(p.school[won], return_counts=True)
        teachers = min(b.project_teachers / model.teachers_per_school, 1.0)
        model.teacher_quality[s] = 1.0 - (1.0 - model.teacher_quality[s]) * (1.0 - teachers) ** k_s
    # a partnership without a project under way begins one at rate joint_projects × project_rate × W
    rate = (
        model.firm_levers_for("M14").firm_support.joint_projects[p.firm[act]]
        * b.project_rate
        * p.willingness[act]
        / MONTHS_PER_YEAR
    )
    begin = act[~running & (u[0] < 1.0 - np.exp(-rate))]
    p.project_left[begin] = b.project_months


def build_training_capacity(model: "CooperationModel") -> None:
    """实训基地: k_s grows with the resources partners give (per partner place) and depreciates."""
    p, b = model.partnerships, model.params.behaviour
    act = p.active()
    given = np.bincount(
        p.school[act], weights=effective_resources(model, p.firm[act], p.willingness[act]), minlength=model.n_schools
    ) / max(model.params.population.partners_per_school, 1)
    k = model.training_capacity
    model.training_capacity = k + b.training_build_rate * given * (1.0 - k) - b.training_depreciation * k


def standing(x: np.ndarray, reference: float, spread: float) -> np.ndarray:
    """A result as standing 0..1 against what is typical: 0.5 at the reference, rising by one
    logistic unit per ``spread`` (the logistic approximation of the normal distribution)."""
    return 1.0 / (1.0 + np.exp(-LOGISTIC_SCALE * (x - reference) / spread))


def competition_schools(model: "CooperationModel") -> np.ndarray:
    """Schools that enter a skill competition this month: each spreads its competitions evenly
    over the academic year (M12; none with M12 off)."""
    k = model.school_levers_for("M12").craftsman.competitions_per_year
    out = np.zeros(model.n_schools, bool)
    if not model.active("M12") or not k.any():
        return out
    month = model.t % MONTHS_PER_YEAR
    for kk in np.unique(k[k > 0]):
        out[k == kk] = month in {int(MONTHS_PER_YEAR * i / kk) for i in range(int(kk))}
    return out


def record_competition(model: "CooperationModel") -> None:
    """In a competition month, a school's result is its students' mean innovation and craft,
    as standing against the field of competitors it meets (relative performance)."""
    competing = competition_schools(model)
    if not competing.any():
        return
    b, st = model.params.behaviour, model.students
    rows = np.flatnonzero(st.status[: st.n] <= INTERNING)
    score = st.skills[rows][:, [INNOVATION, CRAFT]].mean(axis=1)
    tot = np.bincount(st.school[rows], weights=score, minlength=model.n_schools)
    cnt = np.bincount(st.school[rows], minlength=model.n_schools)
    has = (cnt > 0) & competing
    model.school_competition[has] = standing(tot[has] / cnt[has], model.competition_field, b.competition_spread)


def reputation_target(model: "CooperationModel") -> np.ndarray:
    """Weighted mean of the standings a school has (placement, skill fit, competition results);
    a school without a signal (no competitions, no graduates yet) is judged on the others, the
    weights renormalised — neither penalised nor rewarded for the missing one.  NaN: no signal."""
    b = model.params.behaviour
    signals = np.stack(
        [
            standing(model.school_placement, b.placement_reference, b.placement_spread),
            standing(model.school_fit, b.fit_reference, b.fit_spread),
            model.school_competition,
        ]
    )
    w = np.array([b.reputation_weight_placement, b.reputation_weight_fit, b.reputation_weight_competition])[:, None]
    have = np.isfinite(signals) & (w > 0)
    total = (w * have).sum(axis=0)
    return np.where(total > 0, (w * np.where(have, signals, 0.0)).sum(axis=0) / np.maximum(total, NORM_FLOOR), np.nan)


def update_reputation(model: "CooperationModel") -> None:
    p, b = model.partnerships, model.params.behaviour
    if not model.active("M15"):
        return  # M15 off: school and firm reputations stay where they started
    record_competition(model)
    target = reputation_target(model)
    ok = np.isfinite(target)
    model.school_reputation[ok] += b.strength_rate * (target[ok] - model.school_reputation[ok])
    act = p.active()
    best_w = np.zeros(model.n_firms)
    np.maximum.at(best_w, p.firm[act], p.willingness[act])
    wf, wh = b.firm_reputation_weight_willingness, b.firm_reputation_weight_hires
    ftarget = (wf * best_w + wh * model.firm_hire_fit) / max(wf + wh, NORM_FLOOR)
    model.firm_reputation += b.strength_rate * (ftarget - model.firm_reputation)
