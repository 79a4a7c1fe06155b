"""Names, units and interface text in English and Chinese (报告与图表的中英文标签).

Each metric has a label in both languages and a *kind* that says how a difference is read:
``share`` and ``skill`` (0..1) differences are given in points (× 100), ``money`` in thousand
yuan per partnership-year, ``count`` and ``per1000`` as they are.
"""
from __future__ import annotations

import locale
import os

LANGS = ("en", "zh")

#            metric: (English, 中文, kind, higher_is_better)
METRIC_INFO: dict[str, tuple[str, str, str, bool]] = {
    "firm_retention": ("firm retention", "企业合作留存率", "share", True),
    "partnership_survival_36m": ("partnership survival at 36 months", "合作关系36个月存续率", "share", True),
    "partnerships_over_3y": ("partnerships older than 3 years", "合作超过3年的比例", "share", True),
    "firm_willingness": ("firm willingness", "企业合作意愿", "share", True),
    "firm_loss_share": ("firms losing money on internships", "实习亏损企业比例", "share", False),
    "early_turnover_6m": ("early turnover (6 months)", "半年内离职率", "share", False),
    "graduate_retention_12m": ("graduate retention (12 months)", "毕业生12个月留任率", "share", True),
    "graduate_retention_36m": ("graduate retention (36 months)", "毕业生36个月留任率", "share", True),
    "employers_3y": ("employers in 3 years", "三年内雇主数", "count", False),
    "placement_6m": ("placement at 6 months", "半年后就业或升学率", "share", True),
    "matched_employment": ("matched employment", "专业对口就业率", "share", True),
    "matched_employment_3y": ("matched employment at 3 years", "三年后专业对口就业率", "share", True),
    "voluntary_quit_share": ("voluntary share of early leavers", "早期离职中主动离职比例", "share", True),
    "internship_out_of_field": ("internships outside the major", "专业外实习比例", "share", False),
    "internship_completion": ("internship completion", "实习完成率", "share", True),
    "skill_theory": ("theory skill", "理论知识", "skill", True),
    "skill_technical": ("technical skill", "实践技能", "skill", True),
    "skill_innovation": ("innovation", "创新思维", "skill", True),
    "skill_craft": ("craftsmanship", "工匠精神", "skill", True),
    "skill_civic": ("civic literacy", "思想政治素养", "skill", True),
    "skill_fit": ("skill fit to first employer", "技能与岗位匹配度", "skill", True),
    "skill_level": ("mean skill at graduation", "毕业时平均技能水平", "skill", True),
    "student_party_members": ("students joining the party", "学生入党人数", "per1000", True),
    "firm_strength": ("firm strength", "企业实力", "skill", True),
    "school_strength": ("school strength", "学校实力", "skill", True),
    "reputation": ("school reputation", "学校声誉", "skill", True),
    "firm_net_benefit": ("firm net benefit", "企业净收益", "money", True),
    "school_net_benefit": ("school net benefit", "学校净收益", "money_school", True),
    "firm_reputation": ("firm reputation", "企业声誉", "skill", True),
    "firm_net_benefit_per_intern_month": ("firm net benefit per intern-month", "企业每实习生月净收益", "money_intern", True),
    "early_turnover_6m_partner": ("early turnover, partner hires", "合作企业招聘者半年离职率", "share", False),
    "graduate_retention_12m_partner": ("12-month retention, partner hires", "合作企业招聘者12个月留任率", "share", True),
    "graduate_retention_36m_partner": ("36-month retention, partner hires", "合作企业招聘者36个月留任率", "share", True),
    "skill_fit_partner": ("skill fit, partner hires", "合作企业招聘者技能匹配度", "skill", True),
    "skill_mean": ("mean skill at graduation", "毕业时平均技能", "skill", True),
}

UNITS = {
    "share": ("points", "个百分点"),
    "skill": ("points", "分（百分制）"),
    "money": ("thousand yuan per partnership-year", "千元/合作·年"),
    "money_school": ("thousand yuan per school-year", "千元/校·年"),
    "money_intern": ("thousand yuan per intern-month", "千元/实习生·月"),
    "count": ("", ""),
    "per1000": ("per 1,000 graduates", "人/千名毕业生"),
}

# the unit of a metric's own value (``sesim run`` prints means in it)
OWN_UNITS = {
    "share": ("share 0-1", "比例 0-1"),
    "skill": ("index 0-1", "指数 0-1"),
    "money": ("thousand yuan per partnership-year", "千元/合作·年"),
    "money_school": ("thousand yuan per school-year", "千元/校·年"),
    "money_intern": ("thousand yuan per intern-month", "千元/实习生·月"),
    "count": ("employers", "个雇主"),
    "per1000": ("per 1,000 graduates", "人/千名毕业生"),
}

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Strategy comparison", "策略比较"),
    "question": ("How much better than the status quo is each strategy, and how sure are we?",
                 "与现状相比，各策略好多少？把握有多大？"),
    "scenarios": ("Scenarios", "情景"),
    "name": ("name", "名称"),
    "title_col": ("strategy", "策略"),
    "changes": ("what it changes against the baseline", "相对基线的改变"),
    "headline": ("Headline results", "主要结果"),
    "verdict": ("verdict", "结论"),
    "metric": ("metric", "指标"),
    "mean": ("mean", "均值"),
    "difference": ("difference", "差值"),
    "mutual": ("Mutual benefit (互利): net benefits", "互利：双方净收益"),
    "figures": ("Figures", "图表"),
    "forest": ("Differences against the baseline (95% intervals; filled: significant after Holm correction)",
               "相对基线的差值（95%区间；实心点：Holm校正后显著）"),
    "timeseries": ("Over time (mean of replicates, 95% band)", "随时间变化（重复实验均值，95%带）"),
    "skills": ("Skill profile at graduation", "毕业时技能结构"),
    "survival": ("Survival: partnerships and graduates' first jobs (Kaplan–Meier, 95% band)",
                 "存续曲线：合作关系与毕业生首份工作（Kaplan–Meier，95%带）"),
    "survival_table": ("Survival", "存续"),
    "method": ("Method", "方法"),
    "warnings": ("Warnings", "提示"),
    "month": ("month after warm-up", "预热期后月份"),
    "months": ("months", "月"),
    "baseline_word": ("baseline", "基线"),
    "partnership": ("partnerships", "合作关系"),
    "job": ("graduates' first jobs", "毕业生首份工作"),
    "survival_prob": ("share still in place", "仍存续比例"),
    "months_since_start": ("months since start", "开始后月数"),
    "raises": ("raises", "提高"),
    "lowers": ("lowers", "降低"),
    "no_clear": ("no clear difference in", "无明显差异："),
    "n_reps": ("replicates", "次重复"),
    "not_reached": ("not reached", "未达到"),
    "none": ("none", "无"),
    "explain_title": ("How much of the difference goes through each mechanism (share remaining with the family "
                      "off in both arms; 95% interval)", "各机制承载的差异（两组均关闭该机制后剩余的差异比例；95%区间）"),
    "share_remaining": ("share of the difference remaining", "剩余差异比例"),
    "full_difference": ("full difference", "全部机制开启时的差异"),
    "no_clear_full": ("no clear difference to explain", "差异不明显，无从分解"),
}

SKILL_DIMS = ("theory", "technical", "innovation", "craft", "civic")

# mechanism families of docs/odd.md §7 (sesim explain): English, 中文
MECHANISM_LABELS: dict[str, tuple[str, str]] = {
    "M1": ("communication", "沟通机制"),
    "M2": ("goal alignment", "明确育人目标"),
    "M3": ("learning", "学习"),
    "M4": ("placement quality", "岗位质量"),
    "M5": ("mentor workload", "导师负荷"),
    "M6": ("engagement and resistance", "学习投入、抵触与疏导"),
    "M7": ("grade sharing, joint evaluation", "成绩共享与效果共评"),
    "M8": ("firm accounting and willingness", "企业收益与合作意愿"),
    "M9": ("party-building mode", "党建模式"),
    "M10": ("party alliance", "党建联盟"),
    "M11": ("two-way cultivation", "党员+人才"),
    "M12": ("craftsman cultivation", "工匠培育"),
    "M13": ("partner hiring", "就业共推"),
    "M14": ("growing strong together", "同强"),
    "M15": ("shared honour", "齐荣"),
    "M16": ("outside labour market", "外部劳动力市场"),
    "M17": ("joint supervision", "过程共管"),
}


def mechanism_label(mechanism: str, lang: str) -> str:
    """``M12 craftsman cultivation`` / ``M12 工匠培育``."""
    en, zh = MECHANISM_LABELS.get(mechanism, (mechanism, mechanism))
    return f"{mechanism} {zh if lang == 'zh' else en}"


def default_lang() -> str:
    """``zh`` where the locale says Chinese (LANG/LC_ALL/LC_MESSAGES starting with zh), else ``en``."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        v = os.environ.get(var, "")
        if v:
            return "zh" if v.lower().startswith("zh") else "en"
    loc = locale.getlocale()[0] or ""
    return "zh" if loc.lower().startswith("zh") else "en"


def t(key: str, lang: str) -> str:
    en, zh = TEXT[key]
    return zh if lang == "zh" else en


def metric_label(metric: str, lang: str) -> str:
    info = METRIC_INFO.get(metric)
    if info is None:
        return metric
    return info[1] if lang == "zh" else info[0]


def metric_kind(metric: str) -> str:
    return METRIC_INFO.get(metric, ("", "", "count", True))[2]


def display_scale(metric: str) -> float:
    """Factor from the metric's own unit to the unit differences are shown in (points for 0..1)."""
    return 100.0 if metric_kind(metric) in ("share", "skill") else 1.0


def own_unit(metric: str, lang: str = "en") -> str:
    """The unit of the metric's own value (not of a difference)."""
    en, zh = OWN_UNITS[metric_kind(metric)]
    return zh if lang == "zh" else en


def unit_label(metric: str, lang: str) -> str:
    en, zh = UNITS[metric_kind(metric)]
    return zh if lang == "zh" else en
