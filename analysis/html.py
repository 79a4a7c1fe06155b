"""HTML pages from Jinja2 templates (docs/odd.md §7.8): the reports of ``sesim compare`` and the
workshop's debrief.

The templates live in ``analysis/templates/`` (package data): ``base.html`` holds the page's head and
its style sheet (``report.css``), ``macros.html`` the pieces every page shares (a figure, a folded table,
a header cell with its unit, a coloured verdict cell); ``compare.html``, ``uncertainty.html`` and
``debrief.html`` extend the layout, with a partial (``_*.html``) per section they share.  Autoescaping is on for every ``.html`` template, so a scenario's title, a description, a
path or a warning is escaped wherever it appears; the only markup a page takes as it is comes from
sesim's own code as :class:`markupsafe.Markup` (sentences with a parameter's key in ``<code>``, built
with :func:`markup`, which escapes every value put into them).
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path
from typing import Any, Callable

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

__all__ = ["Markup", "code", "data_uri", "environment", "escape", "markup", "render", "title_fn"]


@cache
def environment() -> Environment:
    """The one Jinja2 environment of sesim's pages: templates from the ``analysis`` package, HTML
    autoescaped, an undefined name an error (a template never prints an empty string by mistake)."""
    env = Environment(
        loader=PackageLoader("analysis", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["data_uri"] = data_uri
    return env


def render(template: str, **context: Any) -> str:
    """The page (or part of a page) ``template`` rendered with ``context``."""
    return environment().get_template(template).render(**context)


def markup(template: str, *args: Any, **kwargs: Any) -> Markup:
    """``template`` (sesim's own text, taken as HTML) with its ``{placeholders}`` filled by escaped
    values (values that are already :class:`Markup` are kept as they are)."""
    return Markup(template).format(*args, **kwargs)


def code(text: Any) -> Markup:
    """``text`` escaped inside ``<code>``."""
    return markup("<code>{}</code>", text)


def data_uri(path: Path | str) -> str:
    """A PNG figure as a ``data:`` address, so the page is one self-contained file."""
    return "data:image/png;base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


def title_fn(lang: str, titles: dict[str, tuple[str, str]]) -> Callable[[str], str]:
    """A strategy's title in the page's language, the other one beside it."""

    def title(name: str) -> str:
        en, zh = titles.get(name, (name, name))
        en, zh = en or name, zh or name
        if en == zh:
            return en
        return f"{zh} / {en}" if lang == "zh" else f"{en} ({zh})"

    return title
