"""Names, units and interface text in English and Chinese (报告与图表的中英文标签).

The messages are the one catalogue's (``sim.i18n``: :data:`TEXT` is its table, :func:`t` and
:func:`tf` its lookup); parameter names in Chinese (:data:`PARAM_ZH`) and the verdict colours are
the reports' own.

A metric's names, units, *kind* (how a difference is read: ``share`` and ``skill`` (0..1)
differences in points (× 100), money in thousand yuan, ``count`` and ``per1000`` as they are) and
direction are the metric registry's (``sim.metrics.REGISTRY``); the lookups are re-exported here.
"""

from __future__ import annotations

import math

import numpy as np

from sim.i18n import LANGS, MESSAGES, default_lang, t, tf  # noqa: F401
from sim.metrics import display_scale, higher_is_better, level_unit, metric_kind, metric_label, own_unit, unit_label  # noqa: F401

TEXT = MESSAGES  # the one message catalogue (sim.i18n); the reports' keys are its unprefixed ones


def mechanism_label(mechanism: str, lang: str) -> str:
    """``M12 craftsman cultivation`` / ``M12 工匠培育``."""
    key = f"mechanism.{mechanism}"
    return f"{mechanism} {t(key, lang)}" if key in MESSAGES else f"{mechanism} {mechanism}"


SKILL_DIMS = ("theory", "technical", "innovation", "craft", "civic")


def percent(share: float) -> str:
    """0.97 -> '97%' (never 100% or 0% unless it is exactly so)."""
    if share != share:
        return "–"
    v = 100.0 * share
    r = round(v)
    if r == 100 and share < 1:
        r = 99
    if r == 0 and share > 0:
        return "<1%"
    return f"{r:.0f}%"


def param_label(key: str, lang: str) -> str | None:
    """A parameter's meaning in a few words, from the schema (English) or ``PARAM_ZH``; None when there
    is none in that language (the caller then shows the key alone)."""
    if lang == "zh":
        return PARAM_ZH.get(key)
    import dataclasses
    import re

    from sim.params import SECTIONS

    section, _, name = key.partition(".")
    cls = SECTIONS.get(section)
    if cls is None:
        return None
    field = next((f for f in dataclasses.fields(cls) if f.name == name), None)
    meaning = (field.metadata.get("meaning") or "") if field is not None else ""
    while True:  # drop parentheses, innermost first
        shorter = re.sub(r"\s*\([^()]*\)", "", meaning)
        if shorter == meaning:
            break
        meaning = shorter
    meaning = re.sub(r"\s+", " ", meaning.split(";")[0]).strip(" :,")
    head, colon, _ = meaning.partition(": ")
    if colon and len(head.split()) > PARAM_CONTEXT_WORDS:  # "x above which ...: how it works" keeps the x;
        meaning = head  # "integrated: hours ..." keeps its context
    if len(meaning) > PARAM_LABEL_MAX and ", " in meaning[PARAM_LABEL_MIN:]:
        meaning = meaning[: meaning.index(", ", PARAM_LABEL_MIN)]
    return meaning or None


PARAM_LABEL_MIN, PARAM_LABEL_MAX = 20, 90  # characters: a label shorter is cut no further, longer at a comma
PARAM_CONTEXT_WORDS = 4  # words before a colon that only set the context


PARAM_ZH: dict[str, str] = {
    "population.party_members_per_school": "每校党员教师人数",
    "behaviour.school_goal": "学校自身育人目标（偏重理论）",
    "behaviour.firm_needs_mean": "企业平均技能需求",
    "behaviour.needs_concentration": "各企业需求与平均需求的接近程度",
    "behaviour.party_org_state": "建有党组织的国有企业比例",
    "behaviour.party_org_private": "建有党组织的民营企业比例",
    "behaviour.party_org_foreign": "建有党组织的外资企业比例",
    "behaviour.teacher_quality_floor": "学校初始教学质量下限",
    "behaviour.initial_teacher_quality": "初始平均教学质量",
    "behaviour.teacher_quality_sd": "学校间初始教学质量差异",
    "behaviour.initial_reputation": "学校初始声誉",
    "behaviour.initial_firm_strength": "企业初始平均实力",
    "behaviour.firm_trait_sd": "企业初始实力与声誉差异",
    "behaviour.initial_firm_reputation": "企业初始平均声誉",
    "behaviour.mean_partnership_age": "初始合作关系平均年限",
    "behaviour.initial_trust": "合作关系起始时的信任度",
    "behaviour.initial_trust_sd": "初始信任度的离散程度",
    "behaviour.initial_engagement": "新生平均学习投入",
    "behaviour.engagement_sd": "新生学习投入差异",
    "behaviour.entrant_skill_sd": "新生技能差异",
    "behaviour.startup_growth": "初始在校生每年技能增长",
    "behaviour.belief_learning_rate": "一次实质性交流缩小的认知差距",
    "behaviour.online_events_per_year": "线上平台每年轻量交流次数",
    "behaviour.online_depth": "一次线上交流的深度",
    "behaviour.trust_gain": "每次实质性交流增加的信任",
    "behaviour.trust_decay": "信任的月衰减",
    "behaviour.meeting_staff_hours": "每次会议的人员工时",
    "behaviour.online_staff_hours": "每次线上交流的人员工时",
    "behaviour.survey_depth": "年度需求调研的深度",
    "behaviour.seminar_depth": "研讨活动的深度",
    "behaviour.alliance_events_per_year": "党建联盟每年活动次数",
    "behaviour.alliance_depth": "一次党建联盟活动的深度",
    "behaviour.joint_evaluation_pull": "效果共评每年缩小的认知差距",
    "behaviour.teacher_practice_pull": "教师企业实践缩小的认知差距",
    "behaviour.school_learning_rate": "课堂学习速度",
    "behaviour.practice_learning_rate": "实践学习速度",
    "behaviour.marginal_challenge": "边缘岗位的挑战度",
    "behaviour.frontline_challenge": "一线岗位的挑战度",
    "behaviour.competition_craft_base": "无工匠培育时技能竞赛带来的工匠精神增长",
    "behaviour.competition_gain": "每次技能竞赛带来的创新与工匠精神增长",
    "behaviour.project_innovation_rate": "联合项目期间实习生的创新增长",
    "behaviour.initial_skill_mean": "新生平均技能",
    "behaviour.craft_class_gain": "课堂工匠精神增长（满强度工匠培育）",
    "behaviour.craft_civic_gain": "课堂思政素养增长（满强度工匠培育）",
    "behaviour.class_hours_per_month": "学生每月在校课时",
    "behaviour.party_hour_effect": "每小时党建活动的思政效果",
    "behaviour.party_lecture_hours": "两张皮模式下的党课学时",
    "behaviour.party_guidance_hours": "融合模式下党员教师的引导学时",
    "behaviour.co_mentor_engineer_hours": "与党员工程师的共同指导学时",
    "behaviour.reputation_preparation": "学校声誉对新生技能的影响",
    "behaviour.engineer_capacity": "一名工程师能带好的实习生数",
    "behaviour.teacher_capacity": "一名党员教师能带好的实习生数",
    "behaviour.class_contact": "一名党员教师能引导的在校学生数",
    "behaviour.apprenticeship_bonus": "学徒制一对一指导加成",
    "behaviour.no_mentor_quality": "无人指导时的指导质量",
    "behaviour.teacher_hours_per_month": "党员教师每月可用于指导与沟通的时间",
    "behaviour.co_mentoring_load": "共同指导的教师时间负担",
    "behaviour.engagement_rate": "学习投入的调整速度",
    "behaviour.frontline_engagement": "一线岗位带来的学习投入",
    "behaviour.resistance_rate": "抵触情绪的增长速度",
    "behaviour.resolution_rate": "疏导与协调化解抵触的速度",
    "behaviour.dropout_threshold": "可能中断实习的抵触阈值",
    "behaviour.dropout_hazard": "完全抵触时的月中断风险",
    "behaviour.engagement_base": "课堂与中性实习的学习投入目标",
    "behaviour.support_engagement": "企业支持带来的学习投入",
    "behaviour.support_reference": "学习投入中性的企业支持水平",
    "behaviour.resistance_penalty": "抵触造成的学习投入损失",
    "behaviour.frontline_difficulty": "一线岗位的任务难度",
    "behaviour.marginal_difficulty": "边缘岗位的任务难度",
    "behaviour.mismatch_tolerance": "不引起抵触的难度与能力差距",
    "behaviour.supervision_rate": "过程共管把边缘岗位调到一线的概率",
    "behaviour.coordination_prevention": "任务协调预防的抵触比例",
    "behaviour.coordination_resolution": "任务协调在化解抵触中的权重",
    "behaviour.out_of_field_resistance": "专业外实习引起的抵触",
    "behaviour.supervision_resistance": "指导不足引起的抵触",
    "behaviour.outside_break_rate": "为外部机会离开实习的风险",
    "behaviour.productive_ability": "实习生在一线岗位完全胜任所需的技能",
    "behaviour.intern_value": "熟练实习生相对正式员工的产出价值",
    "behaviour.nonwage_labour_cost": "企业为正式员工缴纳的五险一金",
    "behaviour.intern_value_sd": "企业间实习生价值差异",
    "behaviour.intern_value_persistence": "企业实习生需求的持续时间",
    "behaviour.ramp_months": "实习生达到完全胜任的月数",
    "behaviour.mentor_cost": "指导每名实习生的工程师成本",
    "behaviour.training_cost": "实习首月的入职与安全培训成本",
    "behaviour.hire_value": "录用自培实习生节省的招聘成本",
    "behaviour.search_cost_share": "录用合作院校毕业生节省的招聘成本比例",
    "behaviour.hire_payback_months": "节省招聘成本的回收期",
    "behaviour.service_value": "学校技术服务与培训的价值",
    "behaviour.resource_cost": "企业全力支持的资源成本",
    "behaviour.disruption_cost": "无任务协调时实习生对企业工作的干扰成本",
    "behaviour.willingness_rate": "合作意愿的调整速度",
    "behaviour.benefit_scale": "对合作意愿产生强拉动的净收益",
    "behaviour.social_motive": "企业的非经济动机（社会责任）",
    "behaviour.motive_sd": "企业间非经济动机差异",
    "behaviour.alliance_motive": "党建联盟为有党组织的企业增加的动机",
    "behaviour.trust_weight": "被倾听感在合作意愿中的权重",
    "behaviour.exit_threshold": "企业考虑退出的意愿阈值",
    "behaviour.exit_months": "退出前连续低意愿的月数",
    "behaviour.shock_state": "国有企业外部冲击退出风险",
    "behaviour.shock_private": "民营企业外部冲击退出风险",
    "behaviour.shock_foreign": "外资企业外部冲击退出风险",
    "behaviour.intern_capacity": "一家合作企业同时接收的实习生数",
    "behaviour.marginal_productivity": "边缘岗位工作的相对价值",
    "behaviour.mentor_productivity": "实习生价值中取决于指导质量的比例",
    "behaviour.craft_productivity": "工匠精神带来的一线产出",
    "behaviour.teacher_practice_service": "党员教师企业实践带来的学校服务",
    "behaviour.trust_reference": "被倾听感不增加意愿的信任水平",
    "behaviour.reciprocity_floor": "零意愿企业仍提供的约定资源比例",
    "behaviour.benefit_memory": "驱动合作意愿的净收益记忆时长",
    "behaviour.initial_willingness": "新合作关系的初始意愿",
    "behaviour.alliance_brokerage": "党建联盟带来的额外合作机会",
    "behaviour.graduate_start_wage": "高职毕业生起薪",
    "behaviour.hiring_demand": "合作企业招聘需求（相对实习生数）",
    "behaviour.screening_noise": "无成绩共享时企业甄别的误差",
    "behaviour.further_study_share": "继续升学（专升本）比例",
    "behaviour.job_finding_rate": "外部求职成功率",
    "behaviour.job_finding_skill_gain": "技能对求职成功率的提升",
    "behaviour.in_field_share": "外部工作中专业对口的比例",
    "behaviour.offer_rate": "在职毕业生每月收到的外部机会",
    "behaviour.switching_cost": "跳槽成本",
    "behaviour.offer_match_known": "外部机会的非薪酬部分兑现的比例",
    "behaviour.offer_sd": "外部机会价值的离散程度",
    "behaviour.fit_value": "岗位匹配的价值",
    "behaviour.prospects_value": "合作企业岗位的发展前景",
    "behaviour.familiarity_value": "在同一企业实习带来的熟悉感",
    "behaviour.craft_value": "工匠精神带来的敬业留任价值",
    "behaviour.tenure_value": "工龄的价值",
    "behaviour.dismissal_window": "试用期（可因不匹配被辞退的月数）",
    "behaviour.tenure_value_cap": "工龄价值停止增长的月数",
    "behaviour.job_finding_reference": "求职成功率的参考技能水平",
    "behaviour.dismissal_rate": "技能不足时的辞退风险",
    "behaviour.mobility_sd": "个人流动倾向的差异",
    "behaviour.pay_elasticity": "工资对技能的弹性",
    "behaviour.pay_reference_level": "起薪对应的技能水平",
    "behaviour.out_of_field_pay": "专业不对口岗位的工资折扣",
    "behaviour.tenure_pay_growth": "随工龄增长的工资",
    "behaviour.craft_visibility": "外部雇主能看到的工匠精神比例",
    "behaviour.market_craft_belief": "外部雇主对看不见的工匠精神的估计",
    "behaviour.offer_pay_share": "外部机会差异中薪酬所占比例",
    "behaviour.offer_prospects_share": "外部机会差异中发展空间所占比例",
    "behaviour.offer_fit_share": "外部机会差异中职业偏好所占比例",
    "behaviour.offer_pay_sd": "外部机会薪酬的离散程度",
    "behaviour.offer_in_field_share": "在职毕业生外部机会中专业对口的比例",
    "behaviour.partner_prospects": "合作企业岗位的发展前景",
    "behaviour.outside_prospects": "外部岗位的发展前景",
    "behaviour.frontline_prospects": "一线实习带来的发展前景",
    "behaviour.strength_prospects": "企业实力带来的发展前景",
    "behaviour.grade_sharing_noise": "成绩共享后剩余的甄别误差",
    "behaviour.own_intern_bonus": "企业对自己实习生的录用偏好",
    "behaviour.hiring_willingness_floor": "零意愿合作企业的招聘需求",
    "behaviour.order_class_bonus": "企业对本企业订单班学生的录用偏好",
    "behaviour.teacher_practice_gain": "教师企业实践带来的教学质量提升",
    "behaviour.strength_rate": "实力与声誉的更新速度",
    "behaviour.reputation_entry": "声誉对新合作的影响",
    "behaviour.entry_base": "零声誉时的新合作机会",
    "behaviour.entry_reputation_floor": "零声誉企业作为新合作伙伴的权重",
    "behaviour.entry_rate": "学校招募新合作企业的概率",
    "behaviour.out_of_field_fit": "专业外岗位的相对匹配度",
    "behaviour.teachers_per_school": "每校教师人数",
    "behaviour.needs_drift": "企业技能需求的漂移（技术变化）",
    "behaviour.base_strength": "无联合项目时企业实力的趋向水平",
    "behaviour.hire_strength": "录用匹配人才带来的企业实力",
    "behaviour.recruitment_quota": "发展党员计划名额",
    "behaviour.application_logit": "学生提交入党申请的基础倾向",
    "behaviour.application_civic": "思政素养对入党申请的影响",
    "behaviour.application_contact": "与党员接触对入党申请的影响",
    "behaviour.application_contact_hours": "接触效果达到饱和63%的学时",
    "behaviour.base_identification": "无人才库时党支部了解的申请人比例",
    "behaviour.talent_pool_noise": "有人才库时考察申请人的误差",
    "behaviour.base_recruitment_noise": "无人才库时考察申请人的误差",
    "behaviour.admission_rank": "入党标准（位列毕业生前列的比例）",
    "behaviour.pool_training_hours": "人才库定期培养学时",
    "behaviour.teacher_turnover": "教师月更替率",
    "behaviour.project_rate": "每个合作关系每年启动的联合项目数",
    "behaviour.project_months": "联合项目持续月数",
    "behaviour.project_success_logit": "联合项目成功的基础倾向",
    "behaviour.project_innovation_weight": "学生创新能力对项目成功的影响",
    "behaviour.project_competence_weight": "双师型教师比例对项目成功的影响",
    "behaviour.project_firm_gain": "成功项目带来的企业能力提升",
    "behaviour.project_teachers": "每个联合项目的参与教师数",
    "behaviour.training_build_rate": "企业资源带来的实训基地建设速度",
    "behaviour.training_depreciation": "实训能力的折旧",
    "behaviour.initial_training_capacity": "初始实训能力",
    "behaviour.school_strength_weight_teachers": "双师型比例在学校实力中的权重",
    "behaviour.school_strength_weight_alignment": "课程与需求对接在学校实力中的权重",
    "behaviour.school_strength_weight_training": "实训能力在学校实力中的权重",
    "behaviour.reputation_weight_placement": "就业率在学校声誉中的权重",
    "behaviour.reputation_weight_fit": "毕业生技能匹配在学校声誉中的权重",
    "behaviour.reputation_weight_competition": "竞赛成绩在学校声誉中的权重",
    "behaviour.placement_reference": "高职毕业生半年就业率的典型值",
    "behaviour.placement_spread": "学校间就业率差异",
    "behaviour.fit_reference": "毕业生首份工作技能匹配的典型值",
    "behaviour.fit_spread": "学校间技能匹配差异",
    "behaviour.competition_field": "竞赛对手的平均水平",
    "behaviour.competition_spread": "竞赛对手水平的差异",
    "behaviour.firm_reputation_weight_willingness": "合作投入在企业声誉中的权重",
    "behaviour.firm_reputation_weight_hires": "录用匹配度在企业声誉中的权重",
    "behaviour.staff_wage": "学校人员工时工资",
    "behaviour.placement_price": "学校对一次就业的影子价格",
    "behaviour.reputation_price": "学校对声誉的影子价格",
    "behaviour.counselled_resistance": "需要疏导的抵触阈值",
    "behaviour.coordination_hours": "任务协调所需的学校人员工时",
    "behaviour.counselling_hours": "疏导所需的学校人员工时",
}


def verdict_class(metric: str, low: float, high: float, margin: float | None = None) -> str:
    """``negligible`` when the interval [low, high] lies wholly inside ±``margin`` (the smallest
    difference that matters, in the interval's unit: two one-sided tests at the interval's level,
    docs/odd.md §7.7); else ``good`` / ``bad`` when it lies wholly on the better / worse side of 0 (for
    turnover lower is better), ``flat`` when it includes 0, ``none`` without an interval.  The one rule
    for every colour in the reports and figures, so a colour never disagrees with the interval beside it."""
    if not (low == low and high == high):
        return "none"
    if margin is not None and margin > 0 and -margin < low and high < margin:
        return "negligible"
    if low <= 0 <= high:
        return "flat"
    return "good" if (low > 0) == higher_is_better(metric) else "bad"


WORLDS_SHARE = 0.95  # "better in at least 95% of worlds"
WORLDS_CONFIDENCE = 0.95  # ... said only when the one-sided lower confidence bound on that share reaches it


def draws_needed(share: float = WORLDS_SHARE, confidence: float = WORLDS_CONFIDENCE) -> int:
    """The fewest draws with which "in at least ``share`` of worlds" can be said at all: all of them on
    one side, the Clopper–Pearson lower bound ``(1 - confidence) ** (1 / n)`` then reaches ``share``."""
    import math

    return math.ceil(math.log(1 - confidence) / math.log(share))


def world_counts(metric: str, diffs: "object") -> tuple[int, int, int]:
    """Draws, draws in which the strategy is better, and worse, from its paired differences."""
    import numpy as np

    d = np.asarray(diffs, float)
    d = d[np.isfinite(d)]
    up, down = int((d > 0).sum()), int((d < 0).sum())
    return (len(d), up, down) if higher_is_better(metric) else (len(d), down, up)


def world_class(
    n: int, better: int, worse: int, share: float = WORLDS_SHARE, confidence: float = WORLDS_CONFIDENCE
) -> str:
    """An uncertainty cell's class from counts of draws (docs/odd.md §7.7): ``good`` / ``bad`` when
    the one-sided ``confidence`` lower bound (Clopper–Pearson) on the share of worlds in which the
    strategy is better / worse reaches ``share``; ``few`` when ``n`` draws cannot support that claim
    whatever they show (fewer than :func:`draws_needed`); ``flat`` otherwise."""
    if n < draws_needed(share, confidence):
        return "few"
    from scipy.stats import beta

    for cls, k in (("good", better), ("bad", worse)):
        if k and float(beta.ppf(1 - confidence, k, n - k + 1)) >= share:
            return cls
    return "flat"


# the verdict in words (comparison.csv's ``verdict``), by class
VERDICT_WORDS = {"good": "better", "bad": "worse", "negligible": "negligible", "flat": "unclear", "none": "unclear"}
# ... and its message in the catalogue
VERDICT_KEYS = {"good": "v_good", "bad": "v_bad", "negligible": "v_negligible", "flat": "v_flat", "none": "v_flat"}


SMALL = 0.05  # display values nearer 0 than this keep one significant digit instead of a decimal
MAX_DECIMALS = 4  # an interval narrower than 0.0002 is not shown with more decimals than this


def interval_decimals(low: float, high: float) -> int | None:
    """The decimals an estimate and its interval ``[low, high]`` (display units) are shown with: those that
    show the interval's width to one significant digit, or two when that digit would be 1 or 2 (a width of
    0.15 is not rounded to one coarse step, 0.2) — width 16 -> 0 decimals ("+26 [18, 34]"), 7.4 -> 0,
    2.3 -> 1, 0.5 -> 1 ("+0.3 [0.0, 0.5]"), 0.17 -> 2; at most :data:`MAX_DECIMALS`.  None without a
    usable interval (then each number follows its own size, see :func:`num`).  docs/odd.md §7.8."""
    if low is None or high is None:
        return None
    width = float(high) - float(low)
    if not (math.isfinite(width) and width > 0):
        return None
    exponent = math.floor(math.log10(width))
    lead = int(round(width / 10.0**exponent, 9))  # the width's first digit, 1..9 (10 after rounding up)
    digits = 2 if lead <= 2 else 1
    return int(min(MAX_DECIMALS, max(0, digits - 1 - exponent)))


def num(v: float, metric: str, decimals: int | None = None, end: bool = False) -> str:
    """A value in display units: the one number rule of the command line, the reports and the debrief
    (docs/odd.md §7.8).  With ``decimals`` (an interval's, :func:`interval_decimals`) the value is shown
    with exactly those, so an estimate and its interval's ends line up ("+0.3 [0.0, 0.5]", not
    "[-0.0004, 0.5]").  Without, its size decides: no decimals from 10 on ("+10", never "+10.0"), one
    below 10 (money alike, with thousands separators; counts two), and a value nearer 0 than
    :data:`SMALL` keeps one significant digit (never "0.0" for a value that is not 0).  A value that
    rounds to 0 is shown without a minus sign, except an interval's ``end``: "[-0.0, 0.5]" says that the
    interval reaches below 0 by less than its resolution, "[0.0, 0.5]" that it stays above."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    kind = metric_kind(metric)
    big = round(abs(v), 1) >= 10  # 9.96 is "10", as 10 is, not "10.0"
    if decimals is not None:
        out = f"{v:,.{decimals}f}" if kind.startswith("money") else f"{v:.{decimals}f}"
    elif kind.startswith("money"):
        out = f"{v:,.0f}" if big else f"{v:.1f}"
    elif kind == "count":
        out = f"{v:.2f}"
    else:
        out = f"{v:.0f}" if big else f"{v:.1f}"
    if decimals is None and 0 < abs(v) < SMALL and float(out.replace(",", "")) == 0:
        out = np.format_float_positional(v, precision=1, unique=False, fractional=False, trim="-")
    return out[1:] if out.startswith("-") and float(out[1:].replace(",", "")) == 0 and not end else out


def signed(v: float, metric: str, decimals: int | None = None) -> str:
    """:func:`num` with a plus sign on a difference above 0 ("+10", "−" kept as "-")."""
    s = num(v, metric, decimals)
    return f"+{s}" if s != "–" and v > 0 and float(s.replace(",", "")) != 0 else s


def with_interval(v: float, low: float, high: float, metric: str, sign: bool = True) -> tuple[str, str, str]:
    """An estimate and its interval's ends (display units) as the one rule shows them: all three with the
    decimals of the interval's width (:func:`interval_decimals`); without a usable interval the estimate
    by its size and the ends as "–"."""
    d = interval_decimals(low, high)
    est = signed(v, metric, d) if sign else num(v, metric, d)
    if d is None:
        ends = [num(x, metric) if x is not None and math.isfinite(x) else "–" for x in (low, high)]
        return est, ends[0], ends[1]
    return est, num(low, metric, d, end=True), num(high, metric, d, end=True)


def builtin_titles(names: list[str]) -> dict[str, tuple[str, str]]:
    from sim.scenario import ScenarioError, builtin_names, load_scenario

    out = {}
    known = set(builtin_names())
    for n in names:
        if n in known:
            try:
                s = load_scenario(n)
                out[n] = (s.title_en or n, s.title_zh or n)
            except ScenarioError:
                pass
    return out
