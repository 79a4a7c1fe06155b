"""Every word of the workshop's pages in English and Chinese (参与式工作坊页面的中英文文字).

Lever names come from the dashboard's table (``sim.dashboard.text.LEVERS``), metric names from
``analysis.labels``; this module adds the workshop's own words.
"""
from __future__ import annotations

LANGS = ("en", "zh")

#          key: (English, 中文)
WORDS: dict[str, tuple[str, str]] = {
    "join_title": ("Join the workshop", "加入工作坊"),
    "room": ("Room {code}", "房间 {code}"),
    "pick_seat": ("Pick a free seat. Your seat is kept in this browser: close the page and open the join address "
                  "again to come back to it.", "请选择一个空席位。席位保存在本浏览器中：关闭页面后再次打开加入地址即可回到原席位。"),
    "assign_me": ("Give me any free seat", "随机分配一个空席位"),
    "taken": ("taken", "已有人"),
    "free": ("free", "空"),
    "your_seats": ("Continue as", "继续担任"),
    "no_free": ("Every seat is taken.", "所有席位都已有人。"),
    "schools": ("Schools (高职院校)", "学校（高职院校）"),
    "firms": ("Firms", "企业"),
    "party_branches": ("Party branches (each sets its school's party-building levers)", "党组织（各自设定所在学校的党建举措）"),
    "party": ("party branch (its school's numbers)", "党组织（所在学校的情况）"),
    "refused_token": ("This address is not the room's join address (its token is missing or wrong). Ask the "
                      "facilitator for the join address or scan the QR code.",
                      "该地址不是本房间的加入地址（缺少令牌或令牌错误）。请向主持人索取加入地址或扫描二维码。"),
    "refused_seat": ("This device does not hold the secret of seat {seat}. Open the join address to pick a seat.",
                     "本设备没有席位 {seat} 的密钥。请打开加入地址选择席位。"),
    "refused_host": ("Only the facilitator's address opens this page.", "只有主持人地址可以打开此页面。"),
    "not_found": ("Not found: open the join address the facilitator shows.", "未找到：请打开主持人显示的加入地址。"),
    "year_of": ("Year {year} of {rounds}", "第 {year} 年 / 共 {rounds} 年"),
    "all_played": ("All {rounds} years played", "{rounds} 年已全部完成"),
    "ended": ("The workshop has ended.", "工作坊已结束。"),
    "paused": ("Paused by the facilitator.", "主持人已暂停。"),
    "submitted": ("Submitted for year {year}: you can still change and submit again until the facilitator "
                  "advances.", "第 {year} 年的决策已提交：主持人推进之前仍可修改后再次提交。"),
    "not_submitted": ("Not submitted yet for year {year}: without a submission your seat keeps last year's "
                      "decisions.", "第 {year} 年尚未提交：如不提交，将沿用上一年的决策。"),
    "submit": ("Submit decisions for year {year}", "提交第 {year} 年的决策"),
    "decisions": ("Your decisions for the coming year", "来年的决策"),
    "decisions_note": ("Each box shows the value in force (last year's decision). Change what you want, then submit.",
                       "每个输入框显示当前生效的值（上一年的决策）。修改后提交。"),
    "seen": ("What your {side} sees", "你的{side}看到的情况"),
    "this_year": ("this year", "今年"),
    "last_year": ("last year", "去年"),
    "start": ("at the start", "开始时"),
    "partners": ("partners (willingness 0–100)", "合作方（合作意愿 0–100）"),
    "partnerships_ended": ("partnerships ended this year (why)", "本年结束的合作（原因）"),
    "end_firm_decision": ("the firm left", "企业决定退出"),
    "end_low_willingness": ("the rule: willingness too low", "规则：合作意愿过低"),
    "end_outside_shock": ("an outside shock, nobody's decision", "外部冲击，并非任何一方的决定"),
    "interns": ("interns now", "目前实习生人数"),
    "intern_skill": ("interns' skill: {dim} (0–100)", "实习生技能：{dim}（0–100）"),
    "net_benefit_school": ("net benefit this year (thousand yuan): placements, resources received and reputation, "
                           "less staff time", "本年净收益（千元）：就业安置、获得资源与声誉，减去人员时间成本"),
    "net_benefit_firm": ("net benefit of your partnerships this year (thousand yuan)", "本年合作净收益（千元）"),
    "placement": ("placement of the latest graduates", "最近一届毕业生就业率"),
    "reputation": ("reputation (0–100)", "声誉（0–100）"),
    "strength": ("strength (0–100)", "实力（0–100）"),
    "hired": ("graduates hired by your partners this year", "本年被合作企业录用的毕业生"),
    "school": ("school", "学校"),
    "firm": ("firm", "企业"),
    "none": ("none", "无"),
    "leave": ("Leave the partnership with {school}", "退出与{school}的合作"),
    "accept_new": ("Accept new partnerships schools propose", "接受学校提出的新合作"),
    "hire": ("Graduates to hire at graduation (a number, or 'rule')", "毕业时招聘的毕业生人数（数字，或 rule 表示按规则）"),
    "refused": ("Refused", "已拒绝"),
    "unreadable": ("a value could not be read: type a number in the box's range", "有一个值无法读取：请输入输入框范围内的数字"),
    "accepted": ("Submitted: {n} change(s) for year {year}.", "已提交：第 {year} 年共 {n} 项改动。"),
    "accepted_none": ("Submitted for year {year}: no change, last year's decisions stay.",
                      "已提交第 {year} 年：没有改动，沿用上一年的决策。"),
    "on": ("on", "开"),
    "off": ("off", "关"),
    "debrief_link": ("Open the debrief report", "打开复盘报告"),
    "journal_at": ("The decisions are kept in {path} until the debrief is written.",
                   "在复盘报告生成之前，所有决策都保存在 {path}。"),
    "journal_error": ("The decisions cannot be kept on this computer ({error}): participants' submissions are "
                      "refused until there is space again.", "无法在本机保存决策（{error}）：在腾出空间之前，参与者的提交将被拒绝。"),
    "debrief_at": ("The debrief and the decisions are in {path}.", "复盘报告和所有决策保存在 {path}。"),
    "debrief_retry": ("Write the debrief again", "重新生成复盘报告"),
    "debrief_wait": ("Writing the debrief: every named strategy runs on your region…", "正在生成复盘报告：各命名策略正在你们的区域上运行……"),
    "host_title": ("Facilitator — room {code}", "主持人 — 房间 {code}"),
    "join_at": ("Join at", "加入地址"),
    "timer": ("Round timer {time}", "本轮计时 {time}"),
    "advance": ("Advance year", "推进一年"),
    "pause": ("Pause", "暂停"),
    "resume": ("Resume", "继续"),
    "end": ("End workshop", "结束工作坊"),
    "end_confirm": ("Click again to end and write the debrief", "再次点击以结束并生成复盘"),
    "seats": ("Seats", "席位"),
    "seat": ("seat", "席位"),
    "who": ("participant", "参与者"),
    "state": ("this year", "本年"),
    "joined": ("joined", "已加入"),
    "rule": ("scenario's rule", "情景规则"),
    "done": ("submitted", "已提交"),
    "waiting": ("not yet", "未提交"),
    "submitted_count": ("{n} of {m} participants submitted", "{m} 位参与者中已有 {n} 位提交"),
    "region": ("The region", "区域整体"),
    "mutual": ("互利·同强·齐荣: both sides", "互利·同强·齐荣：双方"),
    "firms_side": ("firms", "企业"),
    "schools_side": ("schools", "学校"),
    "net_benefit": ("net benefit", "净收益"),
    "per_year": ("year", "年"),
    "language": ("中文", "English"),
}


def say(key: str, lang: str, **kw: object) -> str:
    text = WORDS[key][lang == "zh"]
    return text.format(**kw) if kw else text
