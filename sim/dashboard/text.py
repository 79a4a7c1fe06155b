"""Every label of the workshop dashboard in English and Chinese (工作坊看板的中英文标签).

Metric names come from ``analysis.labels``; this module adds the page's own words and a short
name for each lever the page shows (the schema's ``meaning`` becomes the tooltip).  A lever
added to the schema without a name here fails ``tests/dashboard/test_logic.py``.
"""
from __future__ import annotations

LANGS = ("en", "zh")
LANG_NAMES = {"zh": "中文", "en": "English"}

#          key: (English, 中文)
UI: dict[str, tuple[str, str]] = {
    "app_title": ("Workshop dashboard: two strategies side by side", "工作坊看板：两种策略并排比较"),
    "strategy_a": ("Strategy A", "策略 A"),
    "strategy_b": ("Strategy B", "策略 B"),
    "strategy": ("strategy", "策略"),
    "levers": ("Levers", "政策杠杆"),
    "world": ("Shared world and run (both strategies)", "共同设定（两种策略相同）"),
    "play": ("Play", "播放"),
    "pause": ("Pause", "暂停"),
    "step": ("Step", "单步"),
    "reset": ("Reset", "重置"),
    "speed": ("Speed (months per second)", "速度（月/秒）"),
    "month_of": ("Month {month} of {horizon}", "第 {month} 月 / 共 {horizon} 月"),
    "finished": ("finished", "已结束"),
    "charts": ("Over time (same seed for both strategies)", "随时间变化（两种策略使用相同随机种子）"),
    "network": ("Network: schools, firms and party members", "网络：学校、企业与党员教师"),
    "network_note": ("Firms coloured by willingness to cooperate (red = about to leave); grey lines: partnerships; "
                     "dashed: party-member co-mentoring.",
                     "企业颜色表示合作意愿（红色＝即将退出）；灰线：合作关系；虚线：党员教师协同指导。"),
    "school": ("school", "学校"),
    "firm": ("firm", "企业"),
    "party_member": ("party-member teacher", "党员教师"),
    "not_partner": ("no partnership", "无合作"),
    "willingness": ("willingness", "合作意愿"),
    "latest": ("Month {month} of this run (seed {seed})", "本次运行（随机种子 {seed}）第 {month} 月"),
    "months_shown": ("months", "月数"),
    "result": ("Result card", "结果卡"),
    "result_empty": ("Run some months to see the result.", "请先运行若干个月再查看结果。"),
    "months_range": ("months {first}–{last}", "第 {first}–{last} 月"),
    "month_one": ("month {m}", "第 {m} 月"),
    "card_one_run": ("Over {months} of one run (seed {seed}): the mean over these months and the value in {last} "
                     "alone. One run can mislead; replicates give 95% intervals.",
                     "单次运行（随机种子 {seed}）{months}的结果：这些月份的平均值，以及{last}当月的数值。"
                     "单次运行可能受偶然因素影响；多次重复运行可给出 95% 区间。"),
    "card_replicates": ("Over {months} of {n} paired runs (seeds {first}–{last}, both strategies on the same seed in "
                        "each): values averaged over the runs, and the difference B − A with its 95% interval. "
                        "A difference is called clear only when its interval excludes 0.",
                        "{n} 次配对运行（随机种子 {first}–{last}，每次两种策略使用相同种子）{months}的结果："
                        "各次运行的平均值，以及差值 B − A 及其 95% 区间。只有区间不含 0 时才称差异明显。"),
    "col_mean": ("mean of {months}", "{months}平均"),
    "raises": ("{b} raises {metric} by {diff} against {a} on average over {months} ({va} vs {vb}); "
               "in {last}: {la} vs {lb}.",
               "与{a}相比，{b}使{metric}在{months}平均提高{diff}（{va} 对 {vb}）；{last}：{la} 对 {lb}。"),
    "lowers": ("{b} lowers {metric} by {diff} against {a} on average over {months} ({va} vs {vb}); "
               "in {last}: {la} vs {lb}.",
               "与{a}相比，{b}使{metric}在{months}平均降低{diff}（{va} 对 {vb}）；{last}：{la} 对 {lb}。"),
    "same": ("{b} and {a} give the same {metric} on average over {months} ({va}); in {last}: {la} vs {lb}.",
             "{b}与{a}的{metric}在{months}平均相同（{va}）；{last}：{la} 对 {lb}。"),
    "raises_ci": ("{b} raises {metric} by {diff} against {a} on average over {months}: 95% interval "
                  "[{low}, {high}] over {n} paired runs, a clear difference.",
                  "与{a}相比，{b}使{metric}在{months}平均提高{diff}：95% 区间 [{low}, {high}]（{n} 次配对运行），差异明显。"),
    "lowers_ci": ("{b} lowers {metric} by {diff} against {a} on average over {months}: 95% interval "
                  "[{low}, {high}] over {n} paired runs, a clear difference.",
                  "与{a}相比，{b}使{metric}在{months}平均降低{diff}：95% 区间 [{low}, {high}]（{n} 次配对运行），差异明显。"),
    "unclear_ci": ("No clear difference in {metric} between {b} and {a} on average over {months}: {signed} points, "
                   "95% interval [{low}, {high}] over {n} paired runs includes 0.",
                   "{b}与{a}的{metric}在{months}平均无明显差异：差值 {signed} 个百分点，"
                   "95% 区间 [{low}, {high}]（{n} 次配对运行）包含 0。"),
    "too_few": ("{metric}: fewer than {min} runs with data over {months}, so no interval.",
                "{metric}：{months}有数据的运行少于 {min} 次，无法给出区间。"),
    "no_data": ("{metric}: no data over {months} yet.", "{metric}：{months}尚无数据。"),
    "points": ("{x} points", "{x} 个百分点"),
    "replicates": ("Replicates", "重复次数"),
    "run_replicates": ("Run replicates and show intervals", "运行多次重复并显示区间"),
    "running_replicates": ("Running {n} replicates ...", "正在运行 {n} 次重复……"),
    "show_intervals": ("Show the 95% intervals of {n} paired runs (off: this run only)",
                       "显示 {n} 次配对运行的 95% 区间（关闭：仅本次运行）"),
    "stale": ("The last replicate intervals (computed for {months}) do not match the run shown; "
              "run the replicates again.",
              "上次重复运行的区间（按{months}计算）与当前运行不符；请重新运行多次重复。"),
    "export": ("Export", "导出"),
    "export_toml": ("Scenario TOML", "情景 TOML"),
    "export_png": ("Charts PNG", "图表 PNG"),
    "export_note": ("The TOML file runs with: sesim run FILE", "导出的 TOML 文件可用 sesim run FILE 运行"),
    "refused": ("Refused", "已拒绝"),
    "not_a_number": ("'{text}' is not a number", "“{text}”不是数字"),
    "not_an_integer": ("'{text}' is not a whole number", "“{text}”不是整数"),
    "allowed": ("allowed {allowed}", "允许范围 {allowed}"),
    "range": ("range", "范围"),
    "default": ("default", "默认值"),
    "changed": ("changed from the named strategy", "相对命名策略的改动"),
    "no_changes": ("as the named strategy", "与命名策略一致"),
    "language": ("Language", "语言"),
    "on": ("yes", "是"),
    "off": ("no", "否"),
}

SECTIONS: dict[str, tuple[str, str]] = {
    "communication": ("Communication", "沟通交流"),
    "goal_alignment": ("Goal alignment", "目标协同"),
    "school_cooperation": ("School cooperation", "学校配合"),
    "firm_support": ("Firm support", "企业支持"),
    "party_building": ("Party building", "党建引领"),
    "craftsman": ("Craftsman spirit", "工匠精神"),
    "population": ("Population", "规模"),
    "run": ("Run", "运行"),
}

LEVERS: dict[str, tuple[str, str]] = {
    "communication.meetings_per_year": ("meetings per year", "每年主题会议次数"),
    "communication.depth": ("depth of talk", "沟通深度"),
    "communication.online_platform": ("online platform", "线上沟通平台"),
    "communication.seminars_per_year": ("seminars per year", "每年研讨活动次数"),
    "communication.needs_survey": ("yearly needs survey", "年度企业需求调查"),
    "goal_alignment.weight": ("weight of firms' needs in the curriculum", "课程中企业需求的权重"),
    "school_cooperation.task_coordination": ("task coordination", "任务协调"),
    "school_cooperation.counselling": ("counselling", "学生疏导"),
    "school_cooperation.grade_sharing": ("grade sharing", "成绩共享"),
    "school_cooperation.joint_evaluation": ("joint evaluation", "效果共评"),
    "firm_support.resources": ("resources", "资源投入"),
    "firm_support.frontline_share": ("front-line posts", "一线岗位比例"),
    "firm_support.apprenticeship_share": ("apprenticeship share", "现代学徒制比例"),
    "firm_support.order_class_share": ("order-class share", "订单班比例"),
    "firm_support.mentors_per_firm": ("mentors per firm", "每家企业导师数"),
    "firm_support.joint_projects": ("joint projects", "项目共立"),
    "firm_support.intern_allowance": ("intern allowance", "实习补贴"),
    "party_building.mode": ("party building mode", "党建模式"),
    "party_building.alliance": ("party alliance", "党建联盟"),
    "party_building.co_mentoring": ("co-mentoring", "党员教师协同指导"),
    "party_building.talent_pool": ("talent pool", "人才储备（发展学生党员）"),
    "party_building.teacher_practice": ("teachers' firm practice", "党员教师企业实践"),
    "party_building.supervision": ("joint supervision", "过程共管"),
    "craftsman.intensity": ("craftsman cultivation", "工匠精神培育强度"),
    "craftsman.competitions_per_year": ("competitions per year", "每年技能竞赛次数"),
    "population.schools": ("schools", "学校数"),
    "population.firms": ("firms", "企业数"),
    "population.partners_per_school": ("partners per school", "每校初始合作企业数"),
    "population.cohort_size": ("students per cohort", "每校每届学生数"),
    "population.programmes": ("programmes", "专业数"),
    "population.party_members_per_school": ("party members per school", "每校党员教师数"),
    "population.region_market_share": ("region's share of its labour market", "本地区毕业生占劳动力市场的比例"),
    "run.years": ("years", "年数"),
    "run.warmup_months": ("warm-up months", "预热月数"),
    "run.seed": ("seed", "随机种子"),
}

CHOICES: dict[str, tuple[str, str]] = {
    "none": ("none", "无"),
    "two_skins": ("two skins (separate)", "两张皮"),
    "integrated": ("integrated", "深度融合"),
}


def ui(key: str, lang: str, **fmt: object) -> str:
    """The page's text ``key`` in ``lang``, with ``{placeholders}`` filled from ``fmt``."""
    en, zh = UI[key]
    text = zh if lang == "zh" else en
    return text.format(**fmt) if fmt else text


def pick(pair: tuple[str, str], lang: str) -> str:
    """The Chinese or English half of an ``(English, 中文)`` pair."""
    return pair[1] if lang == "zh" else pair[0]
