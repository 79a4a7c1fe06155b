"""The pieces every HTML page of sesim shares (the reports of analysis/report.py and the workshop's
debrief): escaping, the page head with its style, an embedded figure, a strategy's title in both
languages."""
from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any, Callable


def esc(x: Any) -> str:
    """Text for HTML (an apostrophe stays one: attributes are in double quotes)."""
    return html.escape(str(x), quote=False).replace('"', "&quot;")


def img(path: Path, alt: str) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}"></figure>'


CSS = """
body{font-family:-apple-system,'Segoe UI','Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei',sans-serif;
max-width:1180px;margin:1.2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.5em;margin:.2em 0} h2{font-size:1.2em;margin-top:1.4em;border-bottom:1px solid #ddd}
h3{font-size:1.02em;margin:1em 0 .3em}
table{border-collapse:collapse;margin:.5em 0;font-size:.88em} th,td{border:1px solid #ddd;padding:.28em .5em;vertical-align:top}
th{background:#f4f6f8;text-align:left;font-weight:600} td.num{text-align:right;font-variant-numeric:tabular-nums}
.good{color:#1a7f37;font-weight:600} .bad{color:#b3261e;font-weight:600} .flat,.none,.few{color:#666}
.negligible{color:#3b6ea5} td.verdict.negligible{background:#eef3f9}
td.verdict.good{background:#eaf6ec} td.verdict.bad{background:#fbeaea} .rule{font-size:.9em;margin:.3em 0}
figure{margin:.8em 0} img{max-width:100%;height:auto;border:1px solid #eee}
.question{font-size:1.08em;background:#f4f8fc;padding:.45em 1em;border-left:4px solid #2c6fbb;margin:.4em 0}
.meta{color:#444;margin:.3em 0}
td.scn{font-weight:600;background:#fafbfc} tr.first td{border-top:2px solid #bbb}
.warn{background:#fff7e0;border-left:4px solid #e0a800;padding:.4em 1em} code{font-size:.88em}
table.glance{width:100%;font-size:.84em} table.glance td.cell{text-align:center;white-space:nowrap;min-width:5.2em}
table.glance td.who{min-width:22em} table.glance .title{font-weight:600;color:#222}
table.glance .words{font-weight:400;color:#333;font-size:.95em;margin-top:.15em}
table.glance th{text-align:center;font-size:.92em} table.glance th.left{text-align:left}
.d{font-size:1.08em} .ci{font-size:.85em;font-weight:400} .p{font-size:.8em;color:#555;font-weight:400}
.unit{font-weight:400;color:#555;font-size:.9em} .note{font-size:.85em;color:#444;margin:.3em 0 .8em}
tr.ref td{background:#f7f7f7;color:#333} .rank{text-align:center;font-weight:600}
details{margin:.4em 0} summary{cursor:pointer;color:#2c6fbb}
"""


def head(lang: str, title: str) -> list[str]:
    return [f"<!DOCTYPE html><html lang=\"{'zh-CN' if lang == 'zh' else 'en'}\"><head><meta charset=\"utf-8\">",
            f"<title>sesim — {esc(title)}</title><style>{CSS}</style></head><body>"]


def title_fn(lang: str, titles: dict[str, tuple[str, str]]) -> Callable[[str], str]:
    """A strategy's title in the report's language, the other one beside it."""
    def title(name: str) -> str:
        en, zh = titles.get(name, (name, name))
        en, zh = en or name, zh or name
        if en == zh:
            return en
        return f"{zh} / {en}" if lang == "zh" else f"{en} ({zh})"
    return title
