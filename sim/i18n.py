"""Every message of sesim in English and Chinese: one catalogue (中英文消息目录).

One table, :data:`MESSAGES` (key: (English, 中文)), and one lookup, :func:`t` (:func:`tf` always
fills the ``{placeholders}``), for the command line, the reports (``analysis``), the dashboard and
the workshop.  Keys without a prefix are the reports' and the command line's, and the words several
apps share; ``dash.`` the dashboard's page, ``ws.`` the workshop's pages, ``debrief.`` the workshop's
debrief; ``section.``, ``lever.`` and ``choice.`` name the lever sections, the levers the pages show
and their choices, ``unit.`` the levers' units (a unit the range already says, such as ``0..1``, has none); ``mechanism.`` the mechanism families (docs/odd.md §7).  Metric names are the
metric registry's (``sim.metrics.REGISTRY``).  ``tests/test_i18n.py`` checks that every message has
both languages with the same placeholders.
"""

from __future__ import annotations

import locale
import os

LANGS = ("en", "zh")
LANG_NAMES = {"zh": "中文", "en": "English"}

#               key: (English, 中文)
MESSAGES: dict[str, tuple[str, str]] = {
    # --- The reports and the command line (analysis, sesim compare/uncertainty/explain), and words several apps share
    "title": ("Strategy comparison", "策略比较"),
    "question": (
        "How much better than the status quo is each strategy, and how sure are we?",
        "与现状相比，各策略好多少？把握有多大？",
    ),
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
    "forest": (
        "Differences against the baseline (95% intervals; filled: significant after Holm correction)",
        "相对基线的差值（95%区间；实心点：Holm校正后显著）",
    ),
    "timeseries": ("Over time (mean of replicates, 95% band)", "随时间变化（重复实验均值，95%带）"),
    "skills": ("Skill profile at graduation", "毕业时技能结构"),
    "survival": (
        "Survival: partnerships and graduates' first jobs (Kaplan–Meier, 95% band)",
        "存续曲线：合作关系与毕业生首份工作（Kaplan–Meier，95%带）",
    ),
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
    "explain_title": (
        "What the difference comes from: by part of the strategy (Shapley values, 95% interval) and by "
        "path (share through each mechanism family, 95% interval)",
        "差异从何而来：按策略组成部分（沙普利值，95%区间）与按路径（经由各机制族的比例，95%区间）",
    ),
    "path_share": ("share of the difference through the family", "经由该机制族的差异比例"),
    "full_difference": ("difference", "差异"),
    "no_clear_full": ("no clear difference to explain", "差异不明显，无从分解"),
    "glance": ("At a glance", "一览"),
    "rank_col": ("rank", "排名"),
    "in_words": ("in plain words", "简要结论"),
    "baseline_level": ("level in the baseline", "基线水平"),
    "details": ("Details", "详细结果"),
    "show_table": ("show the table", "展开表格"),
    "p_holm": ("p, Holm-corrected", "校正后显著性概率"),
    "interval_used": ("difference [interval the verdict uses]", "差值 [结论所用区间]"),
    "glance_note": (
        "Each cell is the difference from the baseline, in the unit under the outcome's name, with the interval the "
        "verdict uses (Holm-consistent within the outcome, see Method) and the verdict: green, better than the "
        "baseline; red, worse; blue, negligible (the interval lies inside ± the smallest difference that matters); "
        "grey, unclear (the interval includes 0 and reaches beyond the margin). “best” says in how many replicates "
        "the strategy beat every other one on that outcome.",
        "每格为与基线的差值（单位见指标名下方）、结论所用的区间（在该指标内与 Holm 校正一致，见“方法”）及结论："
        "绿色表示优于基线，红色表示不如基线，蓝色表示差异可忽略（区间在 ± 最小有意义差值之内），灰色表示不明确（区间包含0且超出该差值）。"
        "“最佳”指在多少比例的重复中该策略在这一指标上优于其他所有策略。",
    ),
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
    "s_none": ("No clear difference from the baseline on any headline outcome", "各项主要指标与基线均无明显差异"),
    "s_best": (". Best of all strategies on {what} in most replicates", "。多数重复中，{what}为所有策略中最佳"),
    "s_end": (".", "。"),
    "list_sep": (", ", "、"),
    # the uncertainty report
    "unc_title": ("How sure are we?", "把握有多大？"),
    "unc_question": (
        "Which strategy is best, and does it stay better than the status quo in every plausible world?",
        "哪种策略最好？在各种合理情形下，它是否都优于现状？",
    ),
    "unc_meta": (
        "{n} plausible worlds: {what}. Each world runs every strategy with the same parameter values and "
        "the same seed.",
        "{n}种合理情形：{what}。同一情形下所有策略使用相同的参数值和相同的随机种子。",
    ),
    "mode_posterior": (
        "the calibrated parameters drawn from the calibration's posterior",
        "校准参数取自校准的后验分布",
    ),
    "mode_assumptions": (
        "every assumption drawn from its plausible range (Latin hypercube)",
        "每个假设参数在其合理范围内取值（拉丁超立方抽样）",
    ),
    "mode_all": (
        "the calibrated parameters from the posterior and every assumption from its plausible range",
        "校准参数取自后验分布，每个假设参数在其合理范围内取值",
    ),
    "unc_note": (
        "Strategies ranked by their mean rank over the headline outcomes, across the plausible worlds. Each cell is "
        "the median difference from the baseline, in the unit under the outcome's name, with the range 5% to 95% of "
        "the worlds fall in: green, better than the baseline in at least 95% of the worlds (with 95% confidence, from "
        "the count of draws in which it is better); red, worse in at least 95%; grey, it depends on the world, or too "
        "few draws to say. “better” is the share of draws in which the strategy beats the baseline, “best” the share in "
        "which it beats every other strategy.",
        "按各主要指标在各合理情形中的平均排名排序。每格为与基线差值的中位数（单位见指标名下方）及5%–95%情形所在的范围："
        "绿色表示至少95%的情形中优于基线（按更好的抽样数计算，置信度95%），红色表示至少95%的情形中不如基线，灰色表示视情形而定或抽样太少无法判断。"
        "“更好”为优于基线的情形比例，“最佳”为优于其他所有策略的情形比例。",
    ),
    "better_in": ("better in {p}", "{p}情形更好"),
    "best_in": ("best in {p}", "{p}情形最佳"),
    "median_range": ("median [5%, 95%]", "中位数 [5%, 95%]"),
    "p_improvement": ("better than the baseline (share of worlds)", "优于基线的情形比例"),
    "p_best": ("best of all (share of worlds)", "所有策略中最佳的情形比例"),
    "mean_rank": ("mean rank", "平均排名"),
    "u_lead": (
        "{verb} {label} by {x}{unit} (median of {n} plausible worlds; 5–95%: {a} to {b})",
        "{label}{verb} {x}{unit}（{n}种合理情形的中位数；5%–95%：{a} 至 {b}）",
    ),
    "u_changes": ("changes", "变化"),
    "u_better_in": ("; better than the baseline in {p} of them", "；在{p}的情形中优于基线"),
    "u_depends": ("; the size depends mostly on {what}", "；效果大小主要取决于{what}"),
    "u_no_hinge": ("; no single uncertain parameter stands out above chance", "；没有哪个不确定参数明显超出随机水平"),
    "u_hinge_nan": ("; too few worlds to tell what the size depends on", "；情形太少，无法判断效果大小取决于什么"),
    "hinge_nan": ("too few worlds to estimate", "情形太少，无法估计"),
    "u_more_conds": (" (and {k} more, see “Where it would not work”)", "（另有{k}个条件，见“在哪些情形下无效”）"),
    "u_others": (" Other headline outcomes: ", "其他主要指标："),
    "u_cls_good": ("better in at least 95% of worlds on {what}", "{what}至少在95%的情形中更好"),
    "u_cls_bad": ("worse in at least 95% on {what}", "{what}至少在95%的情形中更差"),
    "u_cls_flat": ("it depends on the world for {what}", "{what}视情形而定"),
    "u_sep": ("; ", "；"),
    "u_fails": (
        " It fails to beat the baseline on {label} mainly where {cond}: {cov} of the worlds where it fails "
        "lie there, and it fails in {dens} of the worlds inside.",
        "在{label}上，它主要在{cond}时不如基线：不如基线的情形有{cov}落在此范围内，范围内{dens}的情形不如基线。",
    ),
    "u_and": (" and ", "且"),
    "u_between": ("{what} is between {lo} and {hi}", "{what}在{lo}与{hi}之间"),
    "u_in_set": ("{what} is one of {values}", "{what}取{values}"),
    "unc_figure": (
        "Difference against the baseline across the plausible worlds (small dots: worlds; bar: 5–95%; "
        "large dot: median; colour: as in the table)",
        "各合理情形下与基线的差值（小点：各情形；线段：5%–95%；大点：中位数；颜色同上表）",
    ),
    "pbest_figure": (
        "Probability of being the best strategy on each outcome (share of plausible worlds)",
        "各指标上成为最佳策略的概率（合理情形的比例）",
    ),
    "fit_h": ("Do the worlds fit the data?", "这些情形符合数据吗？"),
    "fit_no_reject": (
        "{k} of {c} draws ({share}) have a baseline inside every weighted target interval ({all} inside "
        "every interval, report-only targets included). This mode rejects no draw: the ranges above "
        "include worlds that contradict the calibration data.",
        "{c} 组抽样中 {k} 组（{share}）的基线落在每个加权目标区间内（含仅报告目标在内全部区间内的占 {all}）。"
        "本模式不剔除抽样：上面的范围包含与校准数据矛盾的情形。",
    ),
    "fit_abc": (
        "{within} of {c} candidate draws have a baseline within the calibration's tolerance (distance to the "
        "targets at most {eps}, the last ABC generation's threshold); {r} were rejected, and the results above "
        "use {n} of them. Only {kept_w} of the draws used lie inside every weighted target interval ({k} of all "
        "{c} candidates do): the calibration fits the targets jointly, not each one.",
        "{c} 组候选抽样中 {within} 组的基线在校准容差之内（与目标的距离至多 {eps}，即最后一代 ABC 的阈值）；剔除 {r} 组，"
        "上面的结果使用其中 {n} 组。所用抽样中只有 {kept_w} 落在每个加权目标区间内（全部 {c} 组候选中有 {k} 组）："
        "校准是对各目标的整体拟合，而非逐一拟合。",
    ),
    "fit_reject": (
        "{k} of {c} candidate draws ({share}) have a baseline inside every weighted target interval; {r} "
        "were rejected, and the results above use {n} draws that fit, each inside every weighted interval "
        "({kept_all} of them also inside the {ro} report-only checks, which are not fitted).",
        "{c} 组候选抽样中 {k} 组（{share}）的基线落在每个加权目标区间内；剔除 {r} 组，上面的结果使用符合数据的 "
        "{n} 组抽样，每组都在每个加权区间内（其中 {kept_all} 也在 {ro} 个仅报告、不参与拟合的检验区间内）。",
    ),
    "fit_noise": (
        "Seeds' noise alone: were every candidate world inside every interval, its baseline spread evenly "
        "over them, about {share} of draws judged on {k} runs would be seen inside every one (from the "
        "spread between the candidates' own runs; docs/calibration.md, Seeds' noise).",
        "仅种子噪声一项：即使每个候选情形都落在每个区间内、其基线在区间内均匀分布，以 {k} 次运行的均值判断时，也只有约 {share} "
        "的抽样会被判为落在全部区间内（由候选情形自身各次运行之间的离散度估计；见 docs/calibration.md 的 Seeds' noise 一节）。",
    ),
    "fit_target": ("target", "目标"),
    "fit_interval": ("interval", "区间"),
    "fit_inside_all": ("inside, all candidates", "区间内（全部候选）"),
    "fit_inside_kept": ("inside, draws kept", "区间内（保留的抽样）"),
    "fit_report_only": ("report only", "仅报告"),
    "fit_coverage": (
        "The targets narrowed {k} of {p} parameters: the draws kept fill fewer than four fifths of the "
        "bins (tenths of the plausible range) that all candidates fill.",
        "目标收窄了 {p} 个参数中的 {k} 个：保留的抽样所占的区段（合理范围的十分之一）不到全部候选所占区段的五分之四。",
    ),
    "fit_range": ("plausible range", "合理范围"),
    "fit_kept_range": ("draws kept", "保留的抽样"),
    "fit_bins": ("tenths covered", "覆盖的十分位区段"),
    "hinges": ("What the size hinges on", "效果大小取决于什么"),
    "hinges_note": (
        "For each strategy and outcome, the uncertain parameters the difference depends on most "
        "(PAWN's moment-independent index with its 95% interval), beside the noise benchmark: the index the "
        "leading parameter reaches in 95% of shuffles of the differences against the worlds, when no "
        "parameter matters; only parameters above it are listed.",
        "对每个策略和指标，列出差值最依赖的不确定参数（PAWN 矩独立指标及其95%区间），并与噪声基准比较：把差值与情形随机打乱、"
        "没有任何参数起作用时，排名第一的参数在95%的打乱中达到的指标；只列出高于该基准的参数。",
    ),
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
    "boxes_note": (
        "Ranges of the uncertain parameters in which the strategy fails to beat the baseline (PRIM, "
        "sesim discover): coverage is the share of the failing worlds inside the box, density the share "
        "of the worlds inside that fail.",
        "策略不如基线时不确定参数所处的范围（PRIM，sesim discover）：覆盖率为不如基线的情形落在范围内的比例，"
        "密度为范围内不如基线的情形比例。",
    ),
    "boxes_none": (
        "No boxes yet: 'sesim discover DIR --metric M --strategy S' finds them; run the comparison again "
        "with --resume to add them here.",
        "尚无结果：运行 'sesim discover DIR --metric M --strategy S' 可找出这些范围；再以 --resume 运行本比较即可加入本报告。",
    ),
    "box_col": ("box", "范围"),
    "range_col": ("range", "取值范围"),
    "coverage": ("coverage", "覆盖率"),
    "density": ("density", "密度"),
    "fails_of": (
        "{strategy} on {metric}: fails in {k} of {n} worlds",
        "{strategy}在{metric}上：{n}种情形中有{k}种不如基线",
    ),
    "explain": ("What carries the effect?", "效果从何而来？"),
    "explain_note": (
        "Two questions, two tables (sesim explain). By part of the strategy: how much of the difference "
        "comes from this part of the package — each part's Shapley value over every combination of the "
        "parts, run on the same seeds; the parts add up to the difference. By path: how much of the "
        "difference goes through this mechanism — the share that disappears when the family's response "
        "to the strategy is held at the baseline (it reads the baseline's levers); 0 = none goes through "
        "it, 1 = all of it; a family the outcome needs but the strategy does not move takes 0.",
        "两个问题，两张表（sesim explain）。按策略组成部分：差异中有多少来自策略的这一部分——在各部分的所有组合上"
        "（相同种子）计算每部分的 沙普利值，各部分之和等于差异。按路径：有多少差异经由这一机制——把该机制族对策略的"
        "响应固定在基线水平（读取基线的杠杆）后消失的差异比例；0 = 不经由该机制，1 = 全部经由；结果所需但策略未改变的"
        "机制族为 0。",
    ),
    "mechanism": ("mechanism", "机制"),
    "part": ("part of the strategy", "策略组成部分"),
    "parts_head": (
        "By part of the strategy: how much of the difference comes from this part of the package?",
        "按策略组成部分：差异中有多少来自这一部分？",
    ),
    "paths_head": (
        "By path: how much of the difference goes through this mechanism?",
        "按路径：有多少差异经由这一机制？",
    ),
    "shapley_col": ("Shapley value [95% interval]", "沙普利值 [95%区间]"),
    "path_col": ("share through it [95% interval]", "经由比例 [95%区间]"),
    "full_col": ("whole difference", "全部差异"),
    "parts_sentence": ("{label}: of the {diff} difference, {parts}", "{label}：在 {diff} 的差异中，{parts}"),
    "parts_one": ("{value} come from {part}", "{value} 来自{part}"),
    "paths_sentence": (
        "{label}: {pct} [{lo}, {hi}] of the difference goes through {mech}",
        "{label}：{pct} [{lo}, {hi}] 的差异经由{mech}",
    ),
    "explain_none": ("{label}: no clear difference to explain", "{label}：差异不明显，无从分解"),
    "paths_none": (
        "{label}: no mechanism family carries much of the difference on its own (at most {pct} through any one)",
        "{label}：没有哪个机制族单独承载主要差异（经由任一机制族至多 {pct}）",
    ),
    "explain_cli_header": (
        "{strategy} against {baseline}: {n} replicates (seeds {seeds}, common random numbers), {runs} runs",
        "{strategy} 对 {baseline}：{n} 次重复（种子 {seeds}，共同随机数），共 {runs} 次运行",
    ),
    "explain_parts_question": (
        "By part of the strategy — how much of the difference comes from this part "
        "(Shapley value in the metric's unit, 95% interval; the parts add up to the difference):",
        "按策略组成部分——差异中有多少来自这一部分（沙普利值，单位同指标，95%区间；各部分之和等于差异）：",
    ),
    "explain_paths_question": (
        "By path — how much of the difference goes through this mechanism (share that "
        "disappears with the family's response to the strategy held at the baseline, 95% "
        "interval; 0 = none, 100% = all; – = no clear difference):",
        "按路径——有多少差异经由这一机制（把该机制族对策略的响应固定在基线水平后消失的比例，95%区间；"
        "0 = 不经由，100% = 全部经由；– = 差异不明显）：",
    ),
    "figures_more": ("More figures", "更多图表"),
    "worlds": ("worlds", "种情形"),
    "of_outcome": ("outcome", "指标"),
    # the terminal (sesim compare)
    "cli_header_one": (
        "{k} strategy against {base}, {n} replicates each (seeds {a}..{b}, common random numbers)",
        "{k} 个策略与 {base} 比较，每个 {n} 次重复（种子 {a}..{b}，共同随机数）",
    ),
    "cli_header": (
        "{k} strategies against {base}, {n} replicates each (seeds {a}..{b}, common random numbers)",
        "{k} 个策略与 {base} 比较，每个 {n} 次重复（种子 {a}..{b}，共同随机数）",
    ),
    "cli_precision_ok": (
        "precision {e} reached after {n} replicates (widest half-width {w})",
        "精度 {e} 已达到，用了 {n} 次重复（最大半宽 {w}）",
    ),
    "cli_precision_no": (
        "precision {e} NOT reached after {n} replicates (widest half-width {w})",
        "精度 {e} 未达到，已用 {n} 次重复（最大半宽 {w}）",
    ),
    "cli_report": ("report: {path}", "报告：{path}"),
    "cli_missing": (
        "{k} metric/scenario pairs have missing values (too short a run for their follow-up?); see "
        "'Warnings' in the report",
        "{k} 个指标/情景组合有缺失值（运行时间不足以跟踪？）；见报告中的“提示”",
    ),
    "cli_no_cjk": (
        "no CJK font found: figure labels are in English (install one, e.g. 'apt install "
        "fonts-wqy-microhei', see README)",
        "未找到 CJK 中文字体：图中标签为英文（请安装一种，例如 'apt install fonts-wqy-microhei'，见 README）",
    ),
    "cli_unc_header": (
        "Difference against {base} over {n} parameter draws ({mode}): median [5%, 95%] in the "
        "outcome's unit, and the share of draws in which the strategy is better (P)",
        "与 {base} 的差值，{n} 组参数抽样（{mode}）：中位数 [5%, 95%]（指标单位），以及优于基线的抽样比例（P）",
    ),
    "cli_unc_fit": (
        "Worlds that fit the data: {k} of {c} draws have a baseline inside every weighted target "
        "interval ({share}; {all} inside every interval, report-only targets included); none rejected "
        "(only --uncertainty posterior|all reject); draw_fit.csv has each target",
        "符合数据的情形：{c} 组抽样中 {k} 组的基线落在每个加权目标区间内（{share}；含仅报告目标在内全部区间内的占 {all}）；"
        "未剔除（仅 --uncertainty posterior|all 剔除）；各目标见 draw_fit.csv",
    ),
    "cli_unc_fit_reject": (
        "Worlds that fit the data: {k} of {c} candidate draws have a baseline inside every weighted "
        "target interval ({share}); {r} rejected; the tables use {n} draws, each inside every weighted "
        "interval ({kept_all} of them also inside the {ro} report-only checks, which are not fitted); "
        "see draw_fit.csv (column kept) and range_coverage.csv",
        "符合数据的情形：{c} 组候选抽样中 {k} 组的基线落在每个加权目标区间内（{share}）；剔除 {r} 组；"
        "各表使用 {n} 组抽样，每组都在每个加权区间内（其中 {kept_all} 也在 {ro} 个仅报告、不参与拟合的检验区间内）；"
        "见 draw_fit.csv（kept 列）与 range_coverage.csv",
    ),
    "cli_unc_fit_abc": (
        "Worlds that fit the data (--fit abc): {within} of {c} candidate draws have a baseline within "
        "the calibration's tolerance (distance to the targets <= {eps}); {r} rejected; the tables use "
        "{n} draws, {kept_w} of them inside every weighted target interval ({k} of all {c} candidates "
        "are); see draw_fit.csv and range_coverage.csv",
        "符合数据的情形（--fit abc）：{c} 组候选抽样中 {within} 组的基线在校准容差之内（与目标的距离 <= {eps}）；"
        "剔除 {r} 组；各表使用 {n} 组抽样，其中 {kept_w} 落在每个加权目标区间内（全部 {c} 组候选中有 {k} 组）；"
        "见 draw_fit.csv 与 range_coverage.csv",
    ),
    "cli_unc_best": ("Most likely best: ", "最可能最佳："),
    "cli_unc_best_one": ("{metric} {strategy} ({p} of draws)", "{metric} {strategy}（{p}的抽样）"),
    "cli_unc_wrote": (
        "wrote {out}/: uncertainty.csv rank.csv hinges.csv draw_fit.csv range_coverage.csv "
        "draws.parquet summary.csv report.html",
        "已写入 {out}/：uncertainty.csv rank.csv hinges.csv draw_fit.csv range_coverage.csv "
        "draws.parquet summary.csv report.html",
    ),
    "cli_unc_shard": (
        "shard {i}/{n} stored in {out}/runs/; when every shard is done: sesim sweep merge {out}, then "
        "this command again with --resume",
        "分片 {i}/{n} 已存入 {out}/runs/；所有分片完成后：运行 sesim sweep merge {out}，再加 --resume 运行本命令",
    ),
    "cli_headline": (
        "Difference against {base} with the interval the verdict uses (Holm-consistent within each "
        "outcome: at the level of Holm's step, see the report's Method); * = better or worse (the "
        "interval excludes 0), ~ = negligible (it lies inside ± the smallest difference that matters); "
        "units in each column's last header line",
        "与基线（{base}）的差值及结论所用区间（在每个指标内与 Holm 校正一致：取 Holm 该步的置信水平，见报告“方法”）；"
        "* = 更好或更差（区间不含0），~ = 可忽略（区间在 ± 最小有意义差值之内）；单位见每列表头最后一行",
    ),
    "cli_headline_noci": (
        "Difference against {base} (no intervals with fewer than {k} replicates); units in each "
        "column's last header line",
        "与基线（{base}）的差值（重复少于{k}次，不给区间）；单位见每列表头最后一行",
    ),
    "leg_good": ("better than the baseline", "优于基线"),
    "leg_bad": ("worse", "不如基线"),
    "leg_flat": ("unclear (the interval includes 0)", "不明确（区间包含0）"),
    "margin_rule": (
        "Negligible: the interval lies wholly inside ± the smallest difference that matters ({what}; "
        "change with --margin metric=x,...).",
        "可忽略：区间完全落在 ± 最小有意义差值之内（{what}；可用 --margin 指标=值,... 修改）。",
    ),
    "rank_weighted": ("weighted: {what}", "权重：{what}"),
    "rank_equal": ("each weighted equally", "各指标权重相同"),
    "rank_rule": (
        "Ranking: strategies ordered by the mean of their ranks on the {n} headline outcomes ({how}); "
        "change the weights with --weights metric=w,...",
        "排序规则：按{n}项主要指标上名次的平均值排序（{how}）；可用 --weights 指标=权重,... 改变权重",
    ),
    "s_negligible_on": ("; negligible on {what}", "；{what}差异可忽略"),
    "negligible_on": ("negligible difference in", "差异可忽略："),
    "v_flat": ("unclear", "不明确"),
    "v_negligible": ("negligible", "可忽略"),
    "v_bad": ("worse", "更差"),
    "v_good": ("better", "更好"),
    "leg_negligible": ("negligible (inside ± the smallest difference that matters)", "可忽略（在最小有意义差值之内）"),
    "leg_unc_good": ("better in ≥ 95% of worlds", "≥95%情形中更好"),
    "leg_unc_bad": ("worse in ≥ 95% of worlds", "≥95%情形中更差"),
    "unc_base_note": (
        "The baseline's level here is its median over the parameter draws, each world with its own "
        "parameter values; the plain comparison's report shows the baseline at the calibrated values of "
        "scenarios/baseline.toml, so the two levels differ. The differences are paired within each world.",
        "此处基线水平为各组参数抽样下的中位数，每种情形使用各自的参数值；普通比较报告中的基线水平取 "
        "scenarios/baseline.toml 的校准值，因此两者不同。差值在每种情形内配对计算。",
    ),
    "cli_unc_few": (
        "{n} draws are too few to say 'better in at least 95% of worlds' (at least {k} would do, all of them "
        "better); the shares P are of these draws only",
        "{n} 组抽样太少，无法判断“至少在95%的情形中更好”（至少需 {k} 组，且全部更好）；P 只是这些抽样中的比例",
    ),
    "u_cls_few": (
        "too few draws to say whether it is better in at least 95% of worlds on {what} ({k} draws would do, "
        "all on one side)",
        "{what}抽样太少，无法判断是否至少在95%的情形中更好（需 {k} 组抽样且全部在同一侧）",
    ),
    "few_draws": ("too few draws to say ({k} would do)", "抽样太少，无法判断（需 {k} 组）"),
    "leg_unc_few": ("too few draws to say", "抽样太少，无法判断"),
    "leg_unc_flat": ("depends on the world", "视情形而定"),
    "forest_holm": (
        "Differences against the baseline, with the intervals the verdicts use (Holm-consistent)",
        "相对基线的差值及结论所用区间（与 Holm 校正一致）",
    ),
    # --- The dashboard (sesim dashboard)
    "dash.app_title": ("Workshop dashboard: two strategies side by side", "工作坊看板：两种策略并排比较"),
    "dash.strategy_a": ("Strategy A", "策略 A"),
    "dash.strategy_b": ("Strategy B", "策略 B"),
    "dash.levers": ("Levers", "政策杠杆"),
    "dash.world": ("Shared world and run (both strategies)", "共同设定（两种策略相同）"),
    "dash.play": ("Play", "播放"),
    "pause": ("Pause", "暂停"),
    "dash.step": ("Step", "单步"),
    "dash.reset": ("Reset", "重置"),
    "dash.speed": ("Speed (months per second)", "速度（月/秒）"),
    "dash.month_of": ("Month {month} of {horizon}", "第 {month} 月 / 共 {horizon} 月"),
    "dash.finished": ("finished", "已结束"),
    "dash.charts": ("Over time (same seed for both strategies)", "随时间变化（两种策略使用相同随机种子）"),
    "dash.network": ("Network: schools, firms and party members", "网络：学校、企业与党员教师"),
    "dash.network_note": (
        "Firms coloured by willingness to cooperate (red = about to leave); grey lines: partnerships; "
        "dashed: party-member co-mentoring.",
        "企业颜色表示合作意愿（红色＝即将退出）；灰线：合作关系；虚线：党员教师协同指导。",
    ),
    "school": ("school", "学校"),
    "firm": ("firm", "企业"),
    "dash.party_member": ("party-member teacher", "党员教师"),
    "dash.not_partner": ("no partnership", "无合作"),
    "dash.willingness": ("willingness", "合作意愿"),
    "dash.latest": ("Month {month} of this run (seed {seed})", "本次运行（随机种子 {seed}）第 {month} 月"),
    "dash.months_shown": ("months", "月数"),
    "dash.result": ("Result card", "结果卡"),
    "dash.result_empty": ("Run some months to see the result.", "请先运行若干个月再查看结果。"),
    "dash.months_range": ("months {first}–{last}", "第 {first}–{last} 月"),
    "dash.month_one": ("month {m}", "第 {m} 月"),
    "dash.card_one_run": (
        "Over {months} of one run (seed {seed}): the mean over these months and the value in {last} "
        "alone. One run can mislead; replicates give 95% intervals.",
        "单次运行（随机种子 {seed}）{months}的结果：这些月份的平均值，以及{last}当月的数值。"
        "单次运行可能受偶然因素影响；多次重复运行可给出 95% 区间。",
    ),
    "dash.card_replicates": (
        "Over {months} of {n} paired runs (seeds {first}–{last}, both strategies on the same seed in "
        "each): values averaged over the runs, and the difference B − A with its 95% interval. "
        "A difference is called clear only when its interval excludes 0.",
        "{n} 次配对运行（随机种子 {first}–{last}，每次两种策略使用相同种子）{months}的结果："
        "各次运行的平均值，以及差值 B − A 及其 95% 区间。只有区间不含 0 时才称差异明显。",
    ),
    "dash.col_mean": ("mean of {months}", "{months}平均"),
    "dash.raises": (
        "{b} raises {metric} by {diff} against {a} on average over {months} ({va} vs {vb}); in {last}: {la} vs {lb}.",
        "与{a}相比，{b}使{metric}在{months}平均提高{diff}（{va} 对 {vb}）；{last}：{la} 对 {lb}。",
    ),
    "dash.lowers": (
        "{b} lowers {metric} by {diff} against {a} on average over {months} ({va} vs {vb}); in {last}: {la} vs {lb}.",
        "与{a}相比，{b}使{metric}在{months}平均降低{diff}（{va} 对 {vb}）；{last}：{la} 对 {lb}。",
    ),
    "dash.same": (
        "{b} and {a} give the same {metric} on average over {months} ({va}); in {last}: {la} vs {lb}.",
        "{b}与{a}的{metric}在{months}平均相同（{va}）；{last}：{la} 对 {lb}。",
    ),
    "dash.raises_ci": (
        "{b} raises {metric} by {diff} against {a} on average over {months}: 95% interval "
        "[{low}, {high}] over {n} paired runs, a clear difference.",
        "与{a}相比，{b}使{metric}在{months}平均提高{diff}：95% 区间 [{low}, {high}]（{n} 次配对运行），差异明显。",
    ),
    "dash.lowers_ci": (
        "{b} lowers {metric} by {diff} against {a} on average over {months}: 95% interval "
        "[{low}, {high}] over {n} paired runs, a clear difference.",
        "与{a}相比，{b}使{metric}在{months}平均降低{diff}：95% 区间 [{low}, {high}]（{n} 次配对运行），差异明显。",
    ),
    "dash.unclear_ci": (
        "No clear difference in {metric} between {b} and {a} on average over {months}: {signed} points, "
        "95% interval [{low}, {high}] over {n} paired runs includes 0.",
        "{b}与{a}的{metric}在{months}平均无明显差异：差值 {signed} 个百分点，"
        "95% 区间 [{low}, {high}]（{n} 次配对运行）包含 0。",
    ),
    "dash.too_few": (
        "{metric}: fewer than {min} runs with data over {months}, so no interval.",
        "{metric}：{months}有数据的运行少于 {min} 次，无法给出区间。",
    ),
    "dash.no_data": ("{metric}: no data over {months} yet.", "{metric}：{months}尚无数据。"),
    "dash.points": ("{x} points", "{x} 个百分点"),
    "dash.replicates": ("Replicates", "重复次数"),
    "dash.run_replicates": ("Run replicates and show intervals", "运行多次重复并显示区间"),
    "dash.running_replicates": ("Running {n} replicates ...", "正在运行 {n} 次重复……"),
    "dash.show_intervals": (
        "Show the 95% intervals of {n} paired runs (off: this run only)",
        "显示 {n} 次配对运行的 95% 区间（关闭：仅本次运行）",
    ),
    "dash.stale": (
        "The last replicate intervals (computed for {months}) do not match the run shown; run the replicates again.",
        "上次重复运行的区间（按{months}计算）与当前运行不符；请重新运行多次重复。",
    ),
    "dash.export": ("Export", "导出"),
    "dash.export_toml": ("Scenario TOML", "情景 TOML"),
    "dash.export_png": ("Charts PNG", "图表 PNG"),
    "dash.export_note": ("The TOML file runs with: sesim run FILE", "导出的 TOML 文件可用 sesim run FILE 运行"),
    "refused": ("Refused", "已拒绝"),
    "dash.not_a_number": ("'{text}' is not a number", "“{text}”不是数字"),
    "dash.not_an_integer": ("'{text}' is not a whole number", "“{text}”不是整数"),
    "dash.allowed": ("allowed {allowed}", "允许范围 {allowed}"),
    "dash.range": ("range", "范围"),
    "dash.default": ("default", "默认值"),
    "dash.changed": ("changed from the named strategy", "相对命名策略的改动"),
    "dash.no_changes": ("as the named strategy", "与命名策略一致"),
    "dash.language": ("Language", "语言"),
    "dash.on": ("yes", "是"),
    "dash.off": ("no", "否"),
    # --- The workshop's pages (sesim workshop)
    "ws.join_title": ("Join the workshop", "加入工作坊"),
    "ws.room": ("Room {code}", "房间 {code}"),
    "ws.pick_seat": (
        "Pick a free seat. Your seat is kept in this browser: close the page and open the join address "
        "again to come back to it.",
        "请选择一个空席位。席位保存在本浏览器中：关闭页面后再次打开加入地址即可回到原席位。",
    ),
    "ws.assign_me": ("Give me any free seat", "随机分配一个空席位"),
    "ws.taken": ("taken", "已有人"),
    "ws.free": ("free", "空"),
    "ws.your_seats": ("Continue as", "继续担任"),
    "ws.no_free": ("Every seat is taken.", "所有席位都已有人。"),
    "ws.seat_school": ("School {n}", "学校 {n}"),
    "ws.seat_firm": ("Firm {n}", "企业 {n}"),
    "ws.seat_party": ("Party branch, School {n}", "学校 {n} 党组织"),
    "ws.schools": ("Schools (高职院校)", "学校（高职院校）"),
    "ws.firms": ("Firms (企业)", "企业"),
    "ws.party_branches": (
        "Party branches (each sets its school's party-building levers)",
        "党组织（各自设定所在学校的党建举措）",
    ),
    "ws.party": ("party branch (its school's numbers)", "党组织（所在学校的情况）"),
    "ws.refused_token": (
        "This address is not the room's join address (its token is missing or wrong). Ask the "
        "facilitator for the join address or scan the QR code.",
        "该地址不是本房间的加入地址（缺少令牌或令牌错误）。请向主持人索取加入地址或扫描二维码。",
    ),
    "ws.refused_seat": (
        "This device does not hold the secret of seat {seat}. Open the join address to pick a seat.",
        "本设备没有席位 {seat} 的密钥。请打开加入地址选择席位。",
    ),
    "ws.refused_host": ("Only the facilitator's address opens this page.", "只有主持人地址可以打开此页面。"),
    "ws.not_found": ("Not found: open the join address the facilitator shows.", "未找到：请打开主持人显示的加入地址。"),
    "ws.year_of": ("Year {year} of {rounds}", "第 {year} 年 / 共 {rounds} 年"),
    "ws.all_played": ("All {rounds} years played", "{rounds} 年已全部完成"),
    "ws.ended": ("The workshop has ended.", "工作坊已结束。"),
    "ws.paused": ("Paused by the facilitator.", "主持人已暂停。"),
    "ws.submitted": (
        "Submitted for year {year}: you can still change and submit again until the facilitator advances.",
        "第 {year} 年的决策已提交：主持人推进之前仍可修改后再次提交。",
    ),
    "ws.not_submitted": (
        "Not submitted yet for year {year}: without a submission your seat keeps last year's decisions.",
        "第 {year} 年尚未提交：如不提交，将沿用上一年的决策。",
    ),
    "ws.submit": ("Submit decisions for year {year}", "提交第 {year} 年的决策"),
    "ws.decisions": ("Your decisions for the coming year", "来年的决策"),
    "ws.decisions_note": (
        "Each box shows the value in force (last year's decision). Change what you want, then submit.",
        "每个输入框显示当前生效的值（上一年的决策）。修改后提交。",
    ),
    "ws.seen": ("What your {side} sees", "你的{side}看到的情况"),
    "ws.this_year": ("this year", "今年"),
    "ws.last_year": ("last year", "去年"),
    "ws.start": ("at the start", "开始时"),
    "ws.partners": ("partners (willingness 0–100)", "合作方（合作意愿 0–100）"),
    "ws.partnerships_ended": ("partnerships ended this year (month, why)", "本年结束的合作（月份，原因）"),
    "ws.end_firm_decision": ("the firm left", "企业决定退出"),
    "ws.end_low_willingness": ("the rule: willingness too low", "规则：合作意愿过低"),
    "ws.end_outside_shock": ("an outside shock, nobody's decision", "外部冲击，并非任何一方的决定"),
    "ws.interns": ("interns now", "目前实习生人数"),
    "ws.intern_skill": ("interns' skill: {dim} (0–100)", "实习生技能：{dim}（0–100）"),
    "ws.net_benefit_school": (
        "net benefit this year (thousand yuan): placements, resources received and reputation, less staff time",
        "本年净收益（千元）：就业安置、获得资源与声誉，减去人员时间成本",
    ),
    "ws.net_benefit_firm": ("net benefit of your partnerships this year (thousand yuan)", "本年合作净收益（千元）"),
    "ws.placement": ("placement of the latest graduates", "最近一届毕业生就业率"),
    "ws.reputation": ("reputation (0–100)", "声誉（0–100）"),
    "ws.strength": ("strength (0–100)", "实力（0–100）"),
    "ws.hired": ("graduates hired by your partners this year", "本年被合作企业录用的毕业生"),
    "ws.leave": ("Leave the partnership with {school}", "退出与{school}的合作"),
    "ws.accept_new": ("Accept new partnerships schools propose", "接受学校提出的新合作"),
    "ws.hire": ("graduates to hire at graduation", "毕业时招聘的毕业生人数"),
    "ws.hire_allowed": (
        "0..{most}, or “{rule}”: as many as the scenario's rule asks for",
        "0..{most}，或“{rule}”：按情景规则的需求招聘",
    ),
    "ws.rule_word": ("rule", "规则"),
    "ws.not_a_hire": ("'{text}' is neither a whole number nor “{rule}”", "“{text}”既不是整数，也不是“{rule}”"),
    "ws.out_of_range": ("{text} is out of range", "{text} 超出范围"),
    "ws.unreadable": (
        "a value could not be read: type a number in the box's range",
        "有一个值无法读取：请输入输入框范围内的数字",
    ),
    "ws.accepted": ("Submitted: {n} change(s) for year {year}.", "已提交：第 {year} 年共 {n} 项改动。"),
    "ws.accepted_none": (
        "Submitted for year {year}: no change, last year's decisions stay.",
        "已提交第 {year} 年：没有改动，沿用上一年的决策。",
    ),
    "ws.refuse_secret": (
        "{seat}: refused: this device does not hold the seat's secret",
        "{seat}：已拒绝：本设备没有该席位的密钥",
    ),
    "ws.refuse_ended": ("{seat}: the workshop has ended; no year is open", "{seat}：工作坊已结束，没有可决策的年份"),
    "ws.refuse_paused": (
        "{seat}: the facilitator has paused the game; submit when it resumes",
        "{seat}：主持人已暂停，恢复后再提交",
    ),
    "ws.refuse_played": (
        "{seat}: year {year} has been played meanwhile; your page now shows year {now}: decide again for it",
        "{seat}：第 {year} 年已在此期间完成；页面现在显示第 {now} 年，请为这一年重新决策",
    ),
    "ws.refuse_not_kept": (
        "{seat}: your decisions could not be kept on the facilitator's computer ({error}); nothing was "
        "submitted: tell the facilitator",
        "{seat}：你的决策无法保存在主持人的电脑上（{error}）；本次未提交，请告知主持人",
    ),
    "ws.refuse_party_lever": (
        "{seat}: {lever} is set by the school's party branch in this room",
        "{seat}：本房间中{lever}由学校党组织设定",
    ),
    "ws.refuse_school_lever": (
        "{seat}: {lever} is set by the school in this room, not by its party branch",
        "{seat}：本房间中{lever}由学校设定，而非党组织",
    ),
    "ws.refuse_not_partner": ("{seat}: {school} is not a partner of yours", "{seat}：{school}不是你的合作方"),
    "ws.refuse_join_token": (
        "join: the room's token is missing or wrong: open the join address the facilitator shows",
        "加入：缺少本房间的令牌或令牌错误：请打开主持人显示的加入地址",
    ),
    "ws.refuse_join_ended": ("join: the workshop has ended", "加入：工作坊已结束"),
    "ws.refuse_join_full": ("join: every seat is taken", "加入：所有席位都已有人"),
    "ws.refuse_join_unknown": ("join: seat {seat}: allowed {seats}", "加入：席位 {seat} 不存在；可选 {seats}"),
    "ws.refuse_join_taken": ("join: {seat} is taken; pick a free one", "加入：{seat} 已有人，请选择空席位"),
    "ws.refuse_join_not_kept": (
        "join: {seat} could not be kept on the facilitator's computer ({error}); the seat stays free: tell "
        "the facilitator",
        "加入：{seat} 无法保存在主持人的电脑上（{error}）；该席位仍空着，请告知主持人",
    ),
    "ws.refuse_no_year": (
        "advance: no year is left; end the workshop for the debrief",
        "推进：没有剩余年份；请结束工作坊以生成复盘",
    ),
    "ws.on": ("on", "开"),
    "ws.off": ("off", "关"),
    "ws.debrief_link": ("Open the debrief report", "打开复盘报告"),
    "ws.journal_at": (
        "The decisions are kept in {path} until the debrief is written.",
        "在复盘报告生成之前，所有决策都保存在 {path}。",
    ),
    "ws.journal_error": (
        "The decisions cannot be kept on this computer ({error}): participants' submissions are "
        "refused until there is space again.",
        "无法在本机保存决策（{error}）：在腾出空间之前，参与者的提交将被拒绝。",
    ),
    "ws.debrief_at": ("The debrief and the decisions are in {path}.", "复盘报告和所有决策保存在 {path}。"),
    "ws.debrief_retry": ("Write the debrief again", "重新生成复盘报告"),
    "ws.debrief_failed": ("The debrief could not be written: {error}", "复盘报告未能生成：{error}"),
    "ws.debrief_wait": (
        "Writing the debrief: every named strategy runs on your region…",
        "正在生成复盘报告：各命名策略正在你们的区域上运行……",
    ),
    "ws.host_title": ("Facilitator — room {code}", "主持人 — 房间 {code}"),
    "ws.join_at": ("Join at", "加入地址"),
    "ws.timer": ("Round timer {time}", "本轮计时 {time}"),
    "ws.advance": ("Advance year", "推进一年"),
    "ws.resume": ("Resume", "继续"),
    "ws.end": ("End workshop", "结束工作坊"),
    "ws.end_confirm": ("Click again to end and write the debrief", "再次点击以结束并生成复盘"),
    "ws.seats": ("Seats", "席位"),
    "seat": ("seat", "席位"),
    "ws.who": ("participant", "参与者"),
    "ws.state": ("this year", "本年"),
    "ws.joined": ("joined", "已加入"),
    "ws.rule": ("scenario's rule", "情景规则"),
    "ws.done": ("submitted", "已提交"),
    "ws.waiting": ("not yet", "未提交"),
    "ws.submitted_count": ("{n} of {m} participants submitted", "{m} 位参与者中已有 {n} 位提交"),
    "ws.region": ("The region", "区域整体"),
    "ws.mutual": ("互利·同强·齐荣: both sides", "互利·同强·齐荣：双方"),
    "ws.mutual_words": (
        "Mutual benefit, growing strong together, shared honour",
        "互利、同强、齐荣",
    ),
    "ws.firms_side": ("firms", "企业"),
    "ws.schools_side": ("schools", "学校"),
    "ws.net_benefit": ("net benefit", "净收益"),
    "ws.per_year": ("year", "年"),
    "ws.language": ("中文", "English"),
    # --- The workshop's debrief (report-en.html, report-zh.html)
    "debrief.title": ("Workshop debrief", "工作坊复盘"),
    "debrief.meta": (
        "Room {code}: {schools} schools, {firms} firms, {rounds} years played from scenario {scenario}, seed "
        "{seed}; {taken} of {seats} seats taken by participants, the others followed the scenario's rule.",
        "房间 {code}：{schools} 所学校、{firms} 家企业，以情景 {scenario} 为起点进行了 {rounds} 年，随机种子 {seed}；"
        "{seats} 个席位中有 {taken} 个由参与者担任，其余按情景规则行事。",
    ),
    "debrief.played": ("your region", "你们的区域"),
    "debrief.kept_firms": (
        "Your region kept {you} of its firms a year; {others}.",
        "你们的区域每年留住了 {you} 的合作企业；{others}。",
    ),
    "debrief.kept_grads": (
        "{you} of your graduates stayed 12 months in their first job; {others}.",
        "你们的毕业生中 {you} 在首份工作留任满 12 个月；{others}。",
    ),
    "debrief.skill": (
        "Graduates left with a mean skill of {you}/100; {others}.",
        "毕业生平均技能为 {you}/100；{others}。",
    ),
    "debrief.vs": ("against every named strategy on the same seed", "与各命名策略在相同随机种子下比较"),
    "debrief.vs_note": (
        "Each named strategy ran on your region with the same seed, so the runs share their random draws "
        "(common random numbers). One run each: in so small a region a difference can be this world's luck; "
        "the worlds above say which differences hold.",
        "每个命名策略都在你们的区域上、以相同随机种子运行，共享随机数（共同随机数）。每个策略只运行一次："
        "在这样小的区域里，差异可能只是这个世界的运气；上面的多个世界说明哪些差异站得住。",
    ),
    "debrief.figures": ("Over the years", "逐年变化"),
    "debrief.seats": ("Each seat: decisions and outcomes by year", "各席位：逐年决策与结果"),
    "debrief.year": ("year", "年份"),
    "debrief.decisions": ("decisions taken", "所作决策"),
    "debrief.none": ("(kept last year's)", "（沿用上一年）"),
    "debrief.rule": ("(scenario's rule)", "（情景规则）"),
    "debrief.partners": ("partners at the year's end (willingness 0–100)", "年末合作方（合作意愿 0–100）"),
    "debrief.interns": ("interns", "实习生"),
    "debrief.net_benefit": ("net benefit, thousand yuan", "净收益（千元）"),
    "debrief.placement": ("placement", "就业率"),
    "debrief.reputation": ("reputation", "声誉"),
    "debrief.strength": ("strength", "实力"),
    "debrief.moved": ("The decisions that moved the outcomes most", "对结果影响最大的决策"),
    "debrief.moved_note": (
        "Each row: one seat's decisions of one year, and how much each outcome is higher (+) or lower (−) "
        "in the played run than in a replay without them, the rest of the log kept, on the same seed.",
        "每行：某席位某一年的决策；与去掉这些决策（其余决策保留、相同随机种子）重放的结果相比，实际结果高出（+）"
        "或低出（−）多少。",
    ),
    "debrief.moved_none": (
        "No decision was taken: every seat kept the scenario's levers.",
        "没有任何决策：各席位都保持了情景的设定。",
    ),
    "debrief.who": ("seat, year", "席位，年份"),
    "debrief.method_text": (
        "One run of the played region (the decision log replayed exactly gives the same numbers: "
        "sesim workshop replay DIR) and one run of each named strategy with the same seed and region; then "
        "the decision log and every named strategy in the same worlds, each world a seed of its own. "
        "Outcomes are sesim's metrics over the reported years (docs/odd.md §7.6); partnerships are counted as "
        "the pages count them, a year from one September, its decisions included, to the next (docs/odd.md "
        "§11), so a partnership a firm leaves at a September counts in the year that September begins, where "
        "summary.csv's firm_retention counts it in the year before.",
        "已进行区域运行一次（用决策日志精确重放可得到相同数字：sesim workshop replay DIR），"
        "每个命名策略以相同随机种子与区域各运行一次；然后决策日志与各命名策略在同样的若干世界中运行，每个世界一个随机种子。"
        "结果为 sesim 在报告年份内的指标（docs/odd.md §7.6）；合作关系按页面上的计法统计，一年从某个 9 月（含当月决策）"
        "到下一个 9 月（docs/odd.md §11），因此企业在 9 月退出的合作计入该 9 月开始的年份，而 summary.csv 的 "
        "firm_retention 把它计入前一年。",
    ),
    "debrief.files": (
        "Files: decision log decisions.parquet and decisions.csv (round, seat, lever, value, time); "
        "summary.csv; strategies.csv; attribution.csv; partnerships.csv (the region's partnerships by year); "
        "worlds.csv (every run of the worlds) and worlds-comparison.csv (their means, intervals and verdicts).",
        "文件：决策日志 decisions.parquet 与 decisions.csv（round, seat, lever, value, time）；summary.csv；"
        "strategies.csv；attribution.csv；partnerships.csv（区域合作关系逐年情况）；worlds.csv（各世界的每次运行）与 "
        "worlds-comparison.csv（均值、区间与结论）。",
    ),
    "debrief.outcomes_fig": (
        "Your decisions and every named strategy in {n} worlds: mean and 95% interval; ◆ your room's own run",
        "你们的决策与各命名策略在 {n} 个世界中：均值与 95% 区间；◆ 你们房间实际的一次运行",
    ),
    # --- The year's partnerships on the pages and in the debrief; the debrief's worlds (docs/odd.md §11)
    "ws.kept_all_year": ("partners kept all year (of those at the start)", "全年保持的合作方（年初合作方中）"),
    "ws.kept_of": ("{names} ({kept} of {start})", "{names}（{start} 个中的 {kept} 个）"),
    "ws.begun": ("partnerships begun this year (month, September = 1)", "本年新建立的合作（月份，9 月为第 1 个月）"),
    "ws.month_why": ("month {month}, {why}", "第 {month} 个月，{why}"),
    "ws.month_again": ("month {month}, again", "第 {month} 个月，重新合作"),
    "ws.month_new": ("month {month}", "第 {month} 个月"),
    "ws.debrief_runs": ("{done} of {total} runs of the worlds done", "各世界的运行已完成 {done} / {total}"),
    "debrief.mine": ("your decisions", "你们的决策"),
    "debrief.kept_all_year": (
        "Your region kept {you} of its partnerships all year (counted as your pages counted them); {others}.",
        "你们的区域有 {you} 的合作关系保持了全年（与页面上的计法相同）；{others}。",
    ),
    "debrief.partner_months_kept": (
        "Your region's partnerships lasted {you} of the months they could have within each year; {others}.",
        "你们区域的合作关系在每年内保持了可能月数的 {you}；{others}。",
    ),
    "debrief.partnerships_line": (
        "Counted each year as your pages counted them: of {start} partnerships at the start of a year, {kept} "
        "lasted the whole year ({share}); {ended} ended during a year, and {again} of those begun were "
        "re-formed with a partner of before — so a page could list the same partner every year although the "
        "partnership broke in between.",
        "按页面上的计法逐年统计：年初共 {start} 个合作关系，其中 {kept} 个保持了全年（{share}）；{ended} 个在年内结束，"
        "新建立的合作中有 {again} 个是与原合作方重新合作——因此页面上每年都可能列出同一合作方，而合作其间曾经中断。",
    ),
    "debrief.too_small": (
        "With about {n} partnerships at the start of a year, a year's share kept moves in steps of {step} "
        "points: too few for a stable firm-retention figure. The debrief compares partner-months kept "
        "instead: of the months the partnerships at the start of a year could have lasted within it, the "
        "share they did (a partnership that broke after 7 months counts 7/12, not 0); in your room {you}.",
        "年初约有 {n} 个合作关系，每年的保持比例只能以 {step} 个百分点为单位变化：太少，无法得到稳定的企业合作留存率。"
        "因此复盘比较的是合作月数保持率：年初的合作关系在当年可能保持的月数中实际保持的比例（合作 7 个月后中断计为 7/12，"
        "而不是 0）；你们的房间为 {you}。",
    ),
    "debrief.worlds": ("Your decisions in {n} worlds", "你们的决策在 {n} 个世界中"),
    "debrief.worlds_note": (
        "Your room's decision log replayed in {n} worlds: the same decisions, different chance (seeds from "
        "SeedSequence). Every named strategy ran in the same {n} worlds (common random numbers). Each cell: "
        "the mean over the worlds and its 95% interval. Ranked by the mean rank over the worlds, the columns "
        "weighted equally.",
        "把你们房间的决策日志在 {n} 个世界中重放：决策相同，运气不同（随机种子来自 SeedSequence）。"
        "每个命名策略都在同样的 {n} 个世界中运行（共同随机数）。每格：各世界的均值及其 95% 区间。"
        "按各世界中的平均名次排序，各列权重相同。",
    ),
    "debrief.worlds_line": (
        "{measure}: your decisions {mine}, the baseline {base}; difference {diff}: {verdict}",
        "{measure}：你们的决策 {mine}，现状 {base}；差值 {diff}：{verdict}",
    ),
    "debrief.v_better": (
        "better — your decisions made this difference (in {n} worlds, not only in your room's, where it was {here}).",
        "更好——差异来自你们的决策（在 {n} 个世界中都成立，不只是你们房间的世界；那里为 {here}）。",
    ),
    "debrief.v_worse": (
        "worse — your decisions made this difference (in {n} worlds, not only in your room's, where it was {here}).",
        "更差——差异来自你们的决策（在 {n} 个世界中都成立，不只是你们房间的世界；那里为 {here}）。",
    ),
    "debrief.v_better_other_way": (
        "better — although your room's own world went the other way ({here}): your room was unlucky.",
        "更好——尽管你们房间的世界结果相反（{here}）：你们房间运气不好。",
    ),
    "debrief.v_worse_other_way": (
        "worse — although your room's own world went the other way ({here}): your room was lucky.",
        "更差——尽管你们房间的世界结果相反（{here}）：你们房间运气好。",
    ),
    "debrief.v_negligible": (
        "negligible — your decisions made no difference that matters; your room's {here} was luck.",
        "可忽略——你们的决策没有带来值得重视的差异；你们房间的 {here} 是运气。",
    ),
    "debrief.v_flat": (
        "unclear — in {n} worlds the difference cannot be told from chance; your room's {here} may be luck as "
        "much as your decisions.",
        "不明确——在 {n} 个世界中无法把差异与运气区分开；你们房间的 {here} 可能来自运气，也可能来自决策。",
    ),
    "debrief.v_none": (
        "no interval — too few worlds with a value; your room's {here}.",
        "无区间——有数值的世界太少；你们房间为 {here}。",
    ),
    "debrief.worlds_rank": (
        "Over the {n} worlds your decisions rank {rank} of {arms}; in your room's own world alone your region "
        "was {here} of {arms} on {measure}.",
        "在 {n} 个世界中，你们的决策排第 {rank} 名（共 {arms} 个）；仅看你们房间的世界，你们的区域在{measure}上排第 "
        "{here} 名（共 {arms} 个）。",
    ),
    "debrief.here": (
        "In your room's world: one run each on its seed",
        "你们房间的世界：每个策略在同一随机种子下各运行一次",
    ),
    "debrief.firm_net_note": (
        "Firms' net benefit is in thousand yuan per partnership-year and below zero for every strategy here: "
        "in these years what a partnership brings a firm (its interns' work, the graduates it hires, the "
        "school's services) is less than what it spends (allowances, mentors' time, training, disruption, "
        "resources). Strategies differ in how much a partnership costs a firm: less negative is better.",
        "企业净收益的单位为千元/合作·年，这里所有策略都低于零：在这些年里，合作给企业带来的（实习生的工作、录用的毕业生、"
        "学校的服务）少于企业的投入（实习补贴、导师时间、培训、对生产的干扰、资源）。各策略的区别在于合作让企业付出多少："
        "负得越少越好。",
    ),
    "debrief.firm_net_unit": (
        "Firms' net benefit is in thousand yuan per partnership-year: what a partnership brings a firm (its "
        "interns' work, the graduates it hires, the school's services) less what it spends (allowances, "
        "mentors' time, training, disruption, resources); below zero, a partnership costs the firm more than "
        "it brings.",
        "企业净收益的单位为千元/合作·年：合作给企业带来的（实习生的工作、录用的毕业生、学校的服务）减去企业的投入"
        "（实习补贴、导师时间、培训、对生产的干扰、资源）；低于零表示合作让企业付出的多于得到的。",
    ),
    "debrief.partnerships": ("The region's partnerships by year", "区域合作关系逐年情况"),
    "debrief.y_at_start": ("at the start", "年初"),
    "debrief.y_kept": ("kept all year", "保持全年"),
    "debrief.y_ended": ("ended (the firm left / the rule / outside shock)", "结束（企业退出/规则/外部冲击）"),
    "debrief.y_begun": ("begun (re-formed)", "新建立（其中重新合作）"),
    "debrief.y_at_end": ("at the end", "年末"),
    # --- Lever sections, short names of the levers the pages show (the schema's ``meaning`` is the tooltip) and their choices
    "section.communication": ("Communication", "沟通交流"),
    "section.goal_alignment": ("Goal alignment", "目标协同"),
    "section.school_cooperation": ("School cooperation", "学校配合"),
    "section.firm_support": ("Firm support", "企业支持"),
    "section.party_building": ("Party building", "党建引领"),
    "section.craftsman": ("Craftsman spirit", "工匠精神"),
    "section.population": ("Population", "规模"),
    "section.run": ("Run", "运行"),
    "lever.communication.meetings_per_year": ("meetings per year", "每年主题会议次数"),
    "lever.communication.depth": ("depth of talk", "沟通深度"),
    "lever.communication.online_platform": ("online platform", "线上沟通平台"),
    "lever.communication.seminars_per_year": ("seminars per year", "每年研讨活动次数"),
    "lever.communication.needs_survey": ("yearly needs survey", "年度企业需求调查"),
    "lever.goal_alignment.weight": ("weight of firms' needs in the curriculum", "课程中企业需求的权重"),
    "lever.school_cooperation.task_coordination": ("task coordination", "任务协调"),
    "lever.school_cooperation.counselling": ("counselling", "学生疏导"),
    "lever.school_cooperation.grade_sharing": ("grade sharing", "成绩共享"),
    "lever.school_cooperation.joint_evaluation": ("joint evaluation", "效果共评"),
    "lever.firm_support.resources": ("resources", "资源投入"),
    "lever.firm_support.frontline_share": ("front-line posts", "一线岗位比例"),
    "lever.firm_support.apprenticeship_share": ("apprenticeship share", "现代学徒制比例"),
    "lever.firm_support.order_class_share": ("order-class share", "订单班比例"),
    "lever.firm_support.mentors_per_firm": ("mentors per firm", "每家企业导师数"),
    "lever.firm_support.joint_projects": ("joint projects", "项目共立"),
    "lever.firm_support.intern_allowance": ("intern allowance", "实习补贴"),
    "lever.party_building.mode": ("party building mode", "党建模式"),
    "lever.party_building.alliance": ("party alliance", "党建联盟"),
    "lever.party_building.co_mentoring": ("co-mentoring", "党员教师协同指导"),
    "lever.party_building.talent_pool": ("talent pool", "人才储备（发展学生党员）"),
    "lever.party_building.teacher_practice": ("teachers' firm practice", "党员教师企业实践"),
    "lever.party_building.supervision": ("joint supervision", "过程共管"),
    "lever.craftsman.intensity": ("craftsman cultivation", "工匠精神培育强度"),
    "lever.craftsman.competitions_per_year": ("competitions per year", "每年技能竞赛次数"),
    "lever.population.schools": ("schools", "学校数"),
    "lever.population.firms": ("firms", "企业数"),
    "lever.population.partners_per_school": ("partners per school", "每校初始合作企业数"),
    "lever.population.cohort_size": ("students per cohort", "每校每届学生数"),
    "lever.population.programmes": ("programmes", "专业数"),
    "lever.population.party_members_per_school": ("party members per school", "每校党员教师数"),
    "lever.population.region_market_share": ("region's share of its labour market", "本地区毕业生占劳动力市场的比例"),
    "lever.run.years": ("years", "年数"),
    "lever.run.warmup_months": ("warm-up months", "预热月数"),
    "lever.run.seed": ("seed", "随机种子"),
    "unit.per_partnership_per_year": ("per partnership per year", "每个合作关系每年"),
    "unit.per_year": ("per year", "每年"),
    "unit.share": ("share", "比例"),
    "unit.engineers": ("engineers", "名工程师"),
    "unit.thousand_yuan_per_month": ("thousand yuan per month", "千元/月"),
    "unit.schools": ("schools", "所学校"),
    "unit.firms": ("firms", "家企业"),
    "unit.students": ("students", "名学生"),
    "unit.fields": ("fields", "个专业"),
    "unit.teachers": ("teachers", "名教师"),
    "unit.years": ("years", "年"),
    "unit.months": ("months", "个月"),
    "choice.none": ("none", "无"),
    "choice.two_skins": ("two skins (separate)", "两张皮"),
    "choice.integrated": ("integrated", "深度融合"),
    # --- Mechanism families (docs/odd.md §7, sesim explain)
    "mechanism.M1": ("communication", "沟通机制"),
    "mechanism.M2": ("goal alignment", "明确育人目标"),
    "mechanism.M3": ("learning", "学习"),
    "mechanism.M4": ("placement quality", "岗位质量"),
    "mechanism.M5": ("mentor workload", "导师负荷"),
    "mechanism.M6": ("engagement and resistance", "学习投入、抵触与疏导"),
    "mechanism.M7": ("grade sharing, joint evaluation", "成绩共享与效果共评"),
    "mechanism.M8": ("firm accounting and willingness", "企业收益与合作意愿"),
    "mechanism.M9": ("party-building mode", "党建模式"),
    "mechanism.M10": ("party alliance", "党建联盟"),
    "mechanism.M11": ("two-way cultivation", "党员+人才"),
    "mechanism.M12": ("craftsman cultivation", "工匠培育"),
    "mechanism.M13": ("partner hiring", "就业共推"),
    "mechanism.M14": ("growing strong together", "同强"),
    "mechanism.M15": ("shared honour", "齐荣"),
    "mechanism.M16": ("outside labour market", "外部劳动力市场"),
    "mechanism.M17": ("joint supervision", "过程共管"),
}


def t(key: str, lang: str, **kw: object) -> str:
    """The message ``key`` in ``lang`` (``zh``; anything else English), its ``{placeholders}`` filled
    from ``kw`` when given."""
    en, zh = MESSAGES[key]
    text = zh if lang == "zh" else en
    return text.format(**kw) if kw else text


def tf(key: str, lang: str, **kw: object) -> str:
    """:func:`t` with its placeholders always filled (a message with none comes back as it is)."""
    return t(key, lang).format(**kw)


def has(key: str) -> bool:
    return key in MESSAGES


def default_lang() -> str:
    """``zh`` where the locale says Chinese (LANG/LC_ALL/LC_MESSAGES starting with zh), else ``en``."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        v = os.environ.get(var, "")
        if v:
            return "zh" if v.lower().startswith("zh") else "en"
    loc = locale.getlocale()[0] or ""
    return "zh" if loc.lower().startswith("zh") else "en"
