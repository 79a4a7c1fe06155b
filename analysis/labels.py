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
    "employers_4plus_3y": ("four or more employers in 3 years", "三年内换过四家及以上雇主的比例", "share", False),
    "placement_6m": ("placement at 6 months", "半年后就业或升学率", "share", True),
    "matched_employment": ("matched employment", "专业对口就业率", "share", True),
    "matched_employment_3y": ("matched employment at 3 years", "三年后专业对口就业率", "share", True),
    "voluntary_quit_share": ("voluntary share of early leavers", "早期离职中主动离职比例", "share", True),
    "internship_out_of_field": ("internships outside the major", "专业外实习比例", "share", False),
    "internship_completion": ("internship completion", "实习完成率", "share", True),
    "quit_reason_prospects_share": ("early quits for room to develop", "因发展空间不够离职的比例", "share", False),
    "quit_reason_pay_share": ("early quits for pay", "因薪资福利偏低离职的比例", "share", False),
    "quit_reason_fit_share": ("early quits to change occupation", "因想改变职业或行业离职的比例", "share", False),
    "take_on": ("trainees kept by their host (take-on)", "实习生留用率", "share", True),
    "take_on_order_apprentice": ("take-on, order classes and apprentices", "订单班与学徒留用率", "share", True),
    "trust_duration_correlation": ("correlation of trust with partnership age", "信任与合作年限的相关系数", "count", True),
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
    "explain_title": ("What the difference comes from: by part of the strategy (Shapley values, 95% interval) and by "
                      "path (share through each mechanism family, 95% interval)",
                      "差异从何而来：按策略组成部分（沙普利值，95%区间）与按路径（经由各机制族的比例，95%区间）"),
    "path_share": ("share of the difference through the family", "经由该机制族的差异比例"),
    "full_difference": ("difference", "差异"),
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


# --- the report's first screen, its sections and the CLI lines ------------------------------------------
TEXT.update({
    "glance": ("At a glance", "一览"),
    "rank_col": ("rank", "排名"),
    "in_words": ("in plain words", "简要结论"),
    "baseline_level": ("level in the baseline", "基线水平"),
    "details": ("Details", "详细结果"),
    "show_table": ("show the table", "展开表格"),
    "p_holm": ("p, Holm-corrected", "校正后显著性概率"),
    "interval_used": ("difference [interval the verdict uses]", "差值 [结论所用区间]"),
    "glance_note": (
        "Strategies ranked by their mean rank over the headline outcomes. Each cell is the difference from the "
        "baseline, in the unit under the outcome's name, with the interval the verdict uses (Holm-consistent, see "
        "Method): green, clearly better than the baseline; red, clearly worse; grey, no clear difference (the "
        "interval includes 0). “best” says in how many replicates the strategy beat every other one on that outcome.",
        "按各主要指标的平均排名排序。每格为与基线的差值（单位见指标名下方）及结论所用的区间（与 Holm 校正一致，见“方法”）："
        "绿色表示明显优于基线，红色表示明显不如基线，灰色表示无明显差异（区间包含0）。“最佳”指在多少比例的重复中该策略在这一指标上优于其他所有策略。"),
    "best_in_reps": ("best in {p} of replicates", "{p}的重复中最佳"),
    "survival_kind": ("spells", "类别"),
    "surv_n": ("spells begun after warm-up", "预热期后开始的样本数"),
    "surv_events": ("ended", "已结束"),
    "surv_median": ("median duration, months [95% interval]", "中位持续时间（月）[95%区间]"),
    "surv_12": ("still in place after 12 months", "12个月后仍存续"),
    "surv_36": ("still in place after 36 months", "36个月后仍存续"),
    # sentences of a plain comparison
    "s_better_on": ("Better on {k} of {n} headline outcomes", "{n}项主要指标中有{k}项优于基线"),
    "s_most_on": (", most on {what}", "，{what}改善最多"),
    "s_worse_on": ("; worse on {what}", "；{what}不如基线"),
    "s_unclear_on": ("; no clear difference on {what}", "；{what}无明显差异"),
    "s_none": ("No clear difference from the baseline on any headline outcome",
               "各项主要指标与基线均无明显差异"),
    "s_best": (". Best of all strategies on {what} in most replicates", "。多数重复中，{what}为所有策略中最佳"),
    "s_end": (".", "。"),
    "list_sep": (", ", "、"),
    # the uncertainty report
    "unc_title": ("How sure are we?", "把握有多大？"),
    "unc_question": ("Which strategy is best, and does it stay better than the status quo in every plausible world?",
                     "哪种策略最好？在各种合理情形下，它是否都优于现状？"),
    "unc_meta": ("{n} plausible worlds: {what}. Each world runs every strategy with the same parameter values and "
                 "the same seed.",
                 "{n}种合理情形：{what}。同一情形下所有策略使用相同的参数值和相同的随机种子。"),
    "mode_posterior": ("the calibrated parameters drawn from the calibration's posterior",
                       "校准参数取自校准的后验分布"),
    "mode_assumptions": ("every assumption drawn from its plausible range (Latin hypercube)",
                         "每个假设参数在其合理范围内取值（拉丁超立方抽样）"),
    "mode_all": ("the calibrated parameters from the posterior and every assumption from its plausible range",
                 "校准参数取自后验分布，每个假设参数在其合理范围内取值"),
    "unc_note": (
        "Strategies ranked by their mean rank over the headline outcomes, across the plausible worlds. Each cell is "
        "the median difference from the baseline, in the unit under the outcome's name, with the range 5% to 95% of "
        "the worlds fall in: green, better than the baseline in at least 95% of the worlds (the whole range is on the "
        "better side); red, worse in at least 95%; grey, it depends on the world. “better” is the share of worlds in "
        "which the strategy beats the baseline, “best” the share in which it beats every other strategy.",
        "按各主要指标在各合理情形中的平均排名排序。每格为与基线差值的中位数（单位见指标名下方）及5%–95%情形所在的范围："
        "绿色表示至少95%的情形中优于基线（整个范围都在更好的一侧），红色表示至少95%的情形中不如基线，灰色表示视情形而定。"
        "“更好”为优于基线的情形比例，“最佳”为优于其他所有策略的情形比例。"),
    "better_in": ("better in {p}", "{p}情形更好"),
    "best_in": ("best in {p}", "{p}情形最佳"),
    "median_range": ("median [5%, 95%]", "中位数 [5%, 95%]"),
    "p_improvement": ("better than the baseline (share of worlds)", "优于基线的情形比例"),
    "p_best": ("best of all (share of worlds)", "所有策略中最佳的情形比例"),
    "mean_rank": ("mean rank", "平均排名"),
    "u_lead": ("{verb} {label} by {x}{unit} (median of {n} plausible worlds; 5–95%: {a} to {b})",
               "{label}{verb} {x}{unit}（{n}种合理情形的中位数；5%–95%：{a} 至 {b}）"),
    "u_changes": ("changes", "变化"),
    "u_better_in": ("; better than the baseline in {p} of them", "；在{p}的情形中优于基线"),
    "u_depends": ("; the size depends mostly on {what}", "；效果大小主要取决于{what}"),
    "u_no_hinge": ("; no single uncertain parameter stands out above chance",
                   "；没有哪个不确定参数明显超出随机水平"),
    "u_hinge_nan": ("; too few worlds to tell what the size depends on", "；情形太少，无法判断效果大小取决于什么"),
    "hinge_nan": ("too few worlds to estimate", "情形太少，无法估计"),
    "u_more_conds": (" (and {k} more, see “Where it would not work”)", "（另有{k}个条件，见“在哪些情形下无效”）"),
    "u_others": (" Other headline outcomes: ", "其他主要指标："),
    "u_cls_good": ("better in at least 95% of worlds on {what}", "{what}至少在95%的情形中更好"),
    "u_cls_bad": ("worse in at least 95% on {what}", "{what}至少在95%的情形中更差"),
    "u_cls_flat": ("it depends on the world for {what}", "{what}视情形而定"),
    "u_sep": ("; ", "；"),
    "u_fails": (" It fails to beat the baseline on {label} mainly where {cond}: {cov} of the worlds where it fails "
                "lie there, and it fails in {dens} of the worlds inside.",
                "在{label}上，它主要在{cond}时不如基线：不如基线的情形有{cov}落在此范围内，范围内{dens}的情形不如基线。"),
    "u_and": (" and ", "且"),
    "u_between": ("{what} is between {lo} and {hi}", "{what}在{lo}与{hi}之间"),
    "u_in_set": ("{what} is one of {values}", "{what}取{values}"),
    "unc_figure": ("Difference against the baseline across the plausible worlds (small dots: worlds; bar: 5–95%; "
                   "large dot: median; colour: as in the table)",
                   "各合理情形下与基线的差值（小点：各情形；线段：5%–95%；大点：中位数；颜色同上表）"),
    "pbest_figure": ("Probability of being the best strategy on each outcome (share of plausible worlds)",
                     "各指标上成为最佳策略的概率（合理情形的比例）"),
    "sure_section": ("How sure are we?", "把握有多大？"),
    "fit_h": ("Do the worlds fit the data?", "这些情形符合数据吗？"),
    "fit_no_reject": ("{k} of {c} draws ({share}) have a baseline inside every weighted target interval ({all} inside "
                      "every interval, report-only targets included). This mode rejects no draw: the ranges above "
                      "include worlds that contradict the calibration data.",
                      "{c} 组抽样中 {k} 组（{share}）的基线落在每个加权目标区间内（含仅报告目标在内全部区间内的占 {all}）。"
                      "本模式不剔除抽样：上面的范围包含与校准数据矛盾的情形。"),
    "fit_abc": ("{within} of {c} candidate draws have a baseline within the calibration's tolerance (distance to the "
                "targets at most {eps}, the last ABC generation's threshold); {r} were rejected, and the results above "
                "use {n} of them. Only {kept_w} of the draws used lie inside every weighted target interval ({k} of all "
                "{c} candidates do): the calibration fits the targets jointly, not each one.",
                "{c} 组候选抽样中 {within} 组的基线在校准容差之内（与目标的距离至多 {eps}，即最后一代 ABC 的阈值）；剔除 {r} 组，"
                "上面的结果使用其中 {n} 组。所用抽样中只有 {kept_w} 落在每个加权目标区间内（全部 {c} 组候选中有 {k} 组）："
                "校准是对各目标的整体拟合，而非逐一拟合。"),
    "fit_reject": ("{k} of {c} candidate draws ({share}) have a baseline inside every weighted target interval; {r} "
                   "were rejected, and the results above use {n} draws that fit ({kept_all} of them inside every "
                   "interval, report-only targets included).",
                   "{c} 组候选抽样中 {k} 组（{share}）的基线落在每个加权目标区间内；剔除 {r} 组，上面的结果使用符合数据的 "
                   "{n} 组抽样（其中含仅报告目标在内全部区间内的占 {kept_all}）。"),
    "fit_target": ("target", "目标"),
    "fit_interval": ("interval", "区间"),
    "fit_inside_all": ("inside, all candidates", "区间内（全部候选）"),
    "fit_inside_kept": ("inside, draws kept", "区间内（保留的抽样）"),
    "fit_report_only": ("report only", "仅报告"),
    "fit_coverage": ("The targets narrowed {k} of {p} parameters: the draws kept fill fewer than four fifths of the "
                     "bins (tenths of the plausible range) that all candidates fill.",
                     "目标收窄了 {p} 个参数中的 {k} 个：保留的抽样所占的区段（合理范围的十分之一）不到全部候选所占区段的五分之四。"),
    "fit_range": ("plausible range", "合理范围"),
    "fit_kept_range": ("draws kept", "保留的抽样"),
    "fit_bins": ("tenths covered", "覆盖的十分位区段"),
    "hinges": ("What the size hinges on", "效果大小取决于什么"),
    "hinges_note": ("For each strategy and outcome, the uncertain parameters the difference depends on most "
                    "(PAWN's moment-independent index with its 95% interval), beside the noise benchmark: the index the "
                    "leading parameter reaches in 95% of shuffles of the differences against the worlds, when no "
                    "parameter matters; only parameters above it are listed.",
                    "对每个策略和指标，列出差值最依赖的不确定参数（PAWN 矩独立指标及其95%区间），并与噪声基准比较：把差值与情形随机打乱、"
                    "没有任何参数起作用时，排名第一的参数在95%的打乱中达到的指标；只列出高于该基准的参数。"),
    "no_hinges": ("no parameter stands out above chance", "没有参数明显高于随机水平"),
    "parameter": ("parameter", "参数"),
    "meaning": ("meaning", "含义"),
    "delta_col": ("index [95% interval]", "指标 [95%区间]"),
    "chance_col": ("chance gives up to", "随机水平上限"),
    "anchor_col": ("anchored by data?", "是否有数据锚定"),
    "anchor_calibrated": ("anchored: calibrated to the targets", "已锚定：按校准目标校准"),
    "anchor_literature": ("anchored: from the literature", "已锚定：取自文献"),
    "anchor_assumption": ("assumed: no figure anchors it", "假设：无数据锚定"),
    "anchor_policy": ("a lever's status-quo value, known as a range", "政策杠杆现状取值（区间）"),
    "boxes": ("Where it would not work", "在哪些情形下无效"),
    "boxes_note": ("Ranges of the uncertain parameters in which the strategy fails to beat the baseline (PRIM, "
                   "sesim discover): coverage is the share of the failing worlds inside the box, density the share "
                   "of the worlds inside that fail.",
                   "策略不如基线时不确定参数所处的范围（PRIM，sesim discover）：覆盖率为不如基线的情形落在范围内的比例，"
                   "密度为范围内不如基线的情形比例。"),
    "boxes_none": ("No boxes yet: 'sesim discover DIR --metric M --strategy S' finds them; run the comparison again "
                   "with --resume to add them here.",
                   "尚无结果：运行 'sesim discover DIR --metric M --strategy S' 可找出这些范围；再以 --resume 运行本比较即可加入本报告。"),
    "box_col": ("box", "范围"),
    "range_col": ("range", "取值范围"),
    "coverage": ("coverage", "覆盖率"),
    "density": ("density", "密度"),
    "fails_of": ("{strategy} on {metric}: fails in {k} of {n} worlds", "{strategy}在{metric}上：{n}种情形中有{k}种不如基线"),
    "explain": ("What carries the effect?", "效果从何而来？"),
    "explain_note": ("Two questions, two tables (sesim explain). By part of the strategy: how much of the difference "
                     "comes from this part of the package — each part's Shapley value over every combination of the "
                     "parts, run on the same seeds; the parts add up to the difference. By path: how much of the "
                     "difference goes through this mechanism — the share that disappears when the family's response "
                     "to the strategy is held at the baseline (it reads the baseline's levers); 0 = none goes through "
                     "it, 1 = all of it; a family the outcome needs but the strategy does not move takes 0.",
                     "两个问题，两张表（sesim explain）。按策略组成部分：差异中有多少来自策略的这一部分——在各部分的所有组合上"
                     "（相同种子）计算每部分的 沙普利值，各部分之和等于差异。按路径：有多少差异经由这一机制——把该机制族对策略的"
                     "响应固定在基线水平（读取基线的杠杆）后消失的差异比例；0 = 不经由该机制，1 = 全部经由；结果所需但策略未改变的"
                     "机制族为 0。"),
    "mechanism": ("mechanism", "机制"),
    "part": ("part of the strategy", "策略组成部分"),
    "parts_head": ("By part of the strategy: how much of the difference comes from this part of the package?",
                   "按策略组成部分：差异中有多少来自这一部分？"),
    "paths_head": ("By path: how much of the difference goes through this mechanism?",
                   "按路径：有多少差异经由这一机制？"),
    "shapley_col": ("Shapley value [95% interval]", "沙普利值 [95%区间]"),
    "path_col": ("share through it [95% interval]", "经由比例 [95%区间]"),
    "full_col": ("whole difference", "全部差异"),
    "parts_sentence": ("{label}: of the {diff} difference, {parts}", "{label}：在 {diff} 的差异中，{parts}"),
    "parts_one": ("{value} come from {part}", "{value} 来自{part}"),
    "paths_sentence": ("{label}: {pct} [{lo}, {hi}] of the difference goes through {mech}",
                       "{label}：{pct} [{lo}, {hi}] 的差异经由{mech}"),
    "explain_none": ("{label}: no clear difference to explain", "{label}：差异不明显，无从分解"),
    "paths_none": ("{label}: no mechanism family carries much of the difference on its own (at most {pct} through any one)",
                   "{label}：没有哪个机制族单独承载主要差异（经由任一机制族至多 {pct}）"),
    "explain_cli_header": ("{strategy} against {baseline}: {n} replicates (seeds {seeds}, common random numbers), "
                           "{runs} runs",
                           "{strategy} 对 {baseline}：{n} 次重复（种子 {seeds}，共同随机数），共 {runs} 次运行"),
    "explain_parts_question": ("By part of the strategy — how much of the difference comes from this part "
                               "(Shapley value in the metric's unit, 95% interval; the parts add up to the difference):",
                               "按策略组成部分——差异中有多少来自这一部分（沙普利值，单位同指标，95%区间；各部分之和等于差异）："),
    "explain_paths_question": ("By path — how much of the difference goes through this mechanism (share that "
                               "disappears with the family's response to the strategy held at the baseline, 95% "
                               "interval; 0 = none, 100% = all; – = no clear difference):",
                               "按路径——有多少差异经由这一机制（把该机制族对策略的响应固定在基线水平后消失的比例，95%区间；"
                               "0 = 不经由，100% = 全部经由；– = 差异不明显）："),
    "figures_more": ("More figures", "更多图表"),
    "method_unc": ("Method", "方法"),
    "worlds": ("worlds", "种情形"),
    "of_outcome": ("outcome", "指标"),
    # the terminal (sesim compare)
    "cli_header_one": ("{k} strategy against {base}, {n} replicates each (seeds {a}..{b}, common random numbers)",
                       "{k} 个策略与 {base} 比较，每个 {n} 次重复（种子 {a}..{b}，共同随机数）"),
    "cli_header": ("{k} strategies against {base}, {n} replicates each (seeds {a}..{b}, common random numbers)",
                   "{k} 个策略与 {base} 比较，每个 {n} 次重复（种子 {a}..{b}，共同随机数）"),
    "cli_precision_ok": ("precision {e} reached after {n} replicates (widest half-width {w})",
                         "精度 {e} 已达到，用了 {n} 次重复（最大半宽 {w}）"),
    "cli_precision_no": ("precision {e} NOT reached after {n} replicates (widest half-width {w})",
                         "精度 {e} 未达到，已用 {n} 次重复（最大半宽 {w}）"),
    "cli_report": ("report: {path}", "报告：{path}"),
    "cli_missing": ("{k} metric/scenario pairs have missing values (too short a run for their follow-up?); see "
                    "'Warnings' in the report", "{k} 个指标/情景组合有缺失值（运行时间不足以跟踪？）；见报告中的“提示”"),
    "cli_no_cjk": ("no CJK font found: figure labels are in English (install one, e.g. 'apt install "
                   "fonts-wqy-microhei', see README)",
                   "未找到 CJK 中文字体：图中标签为英文（请安装一种，例如 'apt install fonts-wqy-microhei'，见 README）"),
    "cli_unc_header": ("Difference against {base} over {n} parameter draws ({mode}): median [5%, 95%] in the "
                       "outcome's unit, and the share of draws in which the strategy is better (P)",
                       "与 {base} 的差值，{n} 组参数抽样（{mode}）：中位数 [5%, 95%]（指标单位），以及优于基线的抽样比例（P）"),
    "cli_unc_fit": ("Worlds that fit the data: {k} of {c} draws have a baseline inside every weighted target "
                    "interval ({share}; {all} inside every interval, report-only targets included); none rejected "
                    "(only --uncertainty posterior|all reject); draw_fit.csv has each target",
                    "符合数据的情形：{c} 组抽样中 {k} 组的基线落在每个加权目标区间内（{share}；含仅报告目标在内全部区间内的占 {all}）；"
                    "未剔除（仅 --uncertainty posterior|all 剔除）；各目标见 draw_fit.csv"),
    "cli_unc_fit_reject": ("Worlds that fit the data: {k} of {c} candidate draws have a baseline inside every weighted "
                           "target interval ({share}); {r} rejected; the tables use {n} draws ({kept_all} of them "
                           "inside every interval, report-only targets included); see draw_fit.csv and "
                           "range_coverage.csv",
                           "符合数据的情形：{c} 组候选抽样中 {k} 组的基线落在每个加权目标区间内（{share}）；剔除 {r} 组；"
                           "各表使用 {n} 组抽样（其中含仅报告目标在内全部区间内的占 {kept_all}）；见 draw_fit.csv 与 range_coverage.csv"),
    "cli_unc_fit_abc": ("Worlds that fit the data (--fit abc): {within} of {c} candidate draws have a baseline within "
                        "the calibration's tolerance (distance to the targets <= {eps}); {r} rejected; the tables use "
                        "{n} draws, {kept_w} of them inside every weighted target interval ({k} of all {c} candidates "
                        "are); see draw_fit.csv and range_coverage.csv",
                        "符合数据的情形（--fit abc）：{c} 组候选抽样中 {within} 组的基线在校准容差之内（与目标的距离 <= {eps}）；"
                        "剔除 {r} 组；各表使用 {n} 组抽样，其中 {kept_w} 落在每个加权目标区间内（全部 {c} 组候选中有 {k} 组）；"
                        "见 draw_fit.csv 与 range_coverage.csv"),
    "cli_unc_best": ("Most likely best: ", "最可能最佳："),
    "cli_unc_best_one": ("{metric} {strategy} ({p} of draws)", "{metric} {strategy}（{p}的抽样）"),
    "cli_unc_wrote": ("wrote {out}/: uncertainty.csv rank.csv hinges.csv draw_fit.csv range_coverage.csv "
                      "draws.parquet summary.csv report.html",
                      "已写入 {out}/：uncertainty.csv rank.csv hinges.csv draw_fit.csv range_coverage.csv "
                      "draws.parquet summary.csv report.html"),
    "cli_unc_shard": ("shard {i}/{n} stored in {out}/runs/; when every shard is done: sesim sweep merge {out}, then "
                      "this command again with --resume",
                      "分片 {i}/{n} 已存入 {out}/runs/；所有分片完成后：运行 sesim sweep merge {out}，再加 --resume 运行本命令"),
    "cli_headline": ("Difference against {base} with the interval the verdict uses (Holm-consistent: at the level "
                     "of Holm's step, see the report's Method); * = clear difference (the interval excludes 0); units "
                     "in each column's last header line",
                     "与基线（{base}）的差值及结论所用区间（与 Holm 校正一致：取 Holm 该步的置信水平，见报告“方法”）；"
                     "* = 明显差异（区间不含0）；单位见每列表头最后一行"),
    "cli_headline_noci": ("Difference against {base} (no intervals with fewer than {k} replicates); units in each "
                          "column's last header line",
                          "与基线（{base}）的差值（重复少于{k}次，不给区间）；单位见每列表头最后一行"),
})


def higher_is_better(metric: str) -> bool:
    return METRIC_INFO.get(metric, ("", "", "", True))[3]


def tf(key: str, lang: str, **kw: object) -> str:
    """``t`` with its placeholders filled."""
    return t(key, lang).format(**kw)


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
    while True:                                   # drop parentheses, innermost first
        shorter = re.sub(r"\s*\([^()]*\)", "", meaning)
        if shorter == meaning:
            break
        meaning = shorter
    meaning = re.sub(r"\s+", " ", meaning.split(";")[0]).strip(" :,")
    head, colon, _ = meaning.partition(": ")
    if colon and len(head.split()) > PARAM_CONTEXT_WORDS:   # "x above which ...: how it works" keeps the x;
        meaning = head                                      # "integrated: hours ..." keeps its context
    if len(meaning) > PARAM_LABEL_MAX and ", " in meaning[PARAM_LABEL_MIN:]:
        meaning = meaning[:meaning.index(", ", PARAM_LABEL_MIN)]
    return meaning or None


PARAM_LABEL_MIN, PARAM_LABEL_MAX = 20, 90     # characters: a label shorter is cut no further, longer at a comma
PARAM_CONTEXT_WORDS = 4                       # words before a colon that only set the context


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


def verdict_class(metric: str, low: float, high: float) -> str:
    """``good`` / ``bad`` when the interval [low, high] lies wholly on the better / worse side of 0 (for
    turnover lower is better), ``flat`` when it includes 0, ``none`` without an interval.  The one rule
    for every colour in the reports and figures, so a colour never disagrees with the interval beside it."""
    if not (low == low and high == high):
        return "none"
    if low <= 0 <= high:
        return "flat"
    return "good" if (low > 0) == higher_is_better(metric) else "bad"


TEXT.update({
    "leg_good": ("clearly better than the baseline", "明显优于基线"),
    "leg_bad": ("clearly worse", "明显不如基线"),
    "leg_flat": ("no clear difference", "无明显差异"),
    "leg_unc_good": ("better in ≥ 95% of worlds", "≥95%情形中更好"),
    "leg_unc_bad": ("worse in ≥ 95% of worlds", "≥95%情形中更差"),
    "leg_unc_flat": ("depends on the world", "视情形而定"),
    "forest_holm": ("Differences against the baseline, with the intervals the verdicts use (Holm-consistent)",
                    "相对基线的差值及结论所用区间（与 Holm 校正一致）"),
})


LEVEL_UNITS = {"share": ("%", "%"), "skill": ("score 0–100", "分（0–100）")}


def level_unit(metric: str, lang: str) -> str:
    """The unit a level (not a difference) is shown in: shares in %, skills as scores 0–100 (the
    metric's value × ``display_scale``), the rest in their own unit."""
    kind = metric_kind(metric)
    if kind in LEVEL_UNITS:
        en, zh = LEVEL_UNITS[kind]
        return zh if lang == "zh" else en
    return own_unit(metric, lang)
