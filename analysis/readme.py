"""The generated blocks of README.md and docs/parameters.md (``make docs``; 文档中生成的表格).

A figure a reader sees in the README is generated, never pasted:

- ``demo``: the headline table ``make demo`` prints, rendered from the comparison it wrote
  (``results/compare-all``) by the same function the terminal uses
  (:func:`analysis.compare.headline_text`).  The two files it is rendered from, ``comparison.csv``
  and ``manifest.json``, are copied to ``docs/demo/`` so that a test can render the block again
  and check that the README says what the stored comparison says;
- ``levers`` (README) and ``behaviour`` (docs/parameters.md): the schema's tables
  (:func:`sim.params.levers_markdown`, :func:`sim.params.behaviour_markdown`).

The ``sizes`` block is ``make sizes``'s (:mod:`analysis.sizes`), from runs too long for ``make docs``.

Usage::

    python -m analysis.readme results/compare-all      # after make demo: copy, then fill every block
    python -m analysis.readme                          # fill every block from docs/demo/ as stored
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
STORED = ROOT / "docs" / "demo"  # the demo comparison the README's table is rendered from
FILES = ("comparison.csv", "manifest.json")


def between(text: str, tag: str) -> str:
    """The text between ``<!-- tag:start -->`` and ``<!-- tag:end -->`` (without the newlines next to them)."""
    start, end = f"<!-- {tag}:start -->\n", f"\n<!-- {tag}:end -->"
    if start not in text or end not in text:
        raise ValueError(f"no <!-- {tag}:start --> ... <!-- {tag}:end --> block")
    return text.split(start, 1)[1].split(end, 1)[0]


def fill(path: Path, tag: str, body: str) -> bool:
    """Put ``body`` between the ``tag`` markers of ``path``, atomically; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    old = between(text, tag)
    if old == body:
        return False
    start, end = f"<!-- {tag}:start -->\n", f"\n<!-- {tag}:end -->"
    head, rest = text.split(start, 1)
    new = head + start + body + end + rest.split(end, 1)[1]
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    try:
        tmp.write_text(new, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return True


def stored_comparison(folder: Path) -> SimpleNamespace:
    """What :func:`analysis.compare.headline_text` reads of a comparison, from its folder's
    ``comparison.csv`` and ``manifest.json`` (no replicate is run or read)."""
    from sim.metrics import margin

    from .compare import HEADLINE

    table = pd.read_csv(folder / "comparison.csv")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    margins = (
        {m: float(v) for m, v in table.dropna(subset=["margin"]).groupby("metric")["margin"].first().items()}
        if "margin" in table.columns
        else {}
    )
    return SimpleNamespace(
        table=table,
        baseline=manifest["baseline"],
        order=list(manifest["scenarios"]),
        n_replicates=len(manifest["seeds"]),
        root=int(manifest["seeds"][0]),
        headline=list(manifest.get("headline") or HEADLINE),
        margin=lambda m: margins.get(m, margin(m)),
        out=manifest.get("out") or _out_of(manifest["command"]),
    )


def _out_of(command: list[str]) -> str:
    """The ``--out`` folder of a recorded command line (the demo's: results/compare-all)."""
    for i, arg in enumerate(command):
        if arg == "--out" and i + 1 < len(command):
            return command[i + 1]
        if arg.startswith("--out="):
            return arg.split("=", 1)[1]
    return "results/compare-all"


def demo_block(folder: Path = STORED) -> str:
    """The README's headline block: what ``sesim compare`` printed for the stored comparison."""
    from sim.i18n import tf

    from .compare import headline_text

    comp = stored_comparison(folder)
    k = len(comp.order) - 1
    lines = [
        tf(
            "cli_header_one" if k == 1 else "cli_header",
            "en",
            k=k,
            base=comp.baseline,
            n=comp.n_replicates,
            a=comp.root,
            b=comp.root + comp.n_replicates - 1,
        ),
        headline_text(comp, "en"),
        tf("cli_report", "en", path=f"{comp.out}/report.html"),
    ]
    return "```\n" + "\n".join(lines) + "\n```"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m analysis.readme", description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "demo",
        type=Path,
        nargs="?",
        default=None,
        help="a finished 'sesim compare' folder (make demo's results/compare-all) to store in docs/demo/ "
        "first; without it the blocks are filled from docs/demo/ as stored",
    )
    a = ap.parse_args(argv)
    from sim.params import behaviour_markdown, college_markdown, levers_markdown

    if a.demo is not None:
        missing = [f for f in FILES if not (a.demo / f).is_file()]
        if missing:
            sys.stderr.write(f"analysis.readme: {a.demo}: no {', '.join(missing)} (run make demo first)\n")
            return 2
        STORED.mkdir(parents=True, exist_ok=True)
        for f in FILES:
            shutil.copyfile(a.demo / f, STORED / f)
    readme, parameters = ROOT / "README.md", ROOT / "docs" / "parameters.md"
    changed = [
        name
        for path, tag, body in (
            (readme, "demo", demo_block()),
            (readme, "levers", levers_markdown()),
            (parameters, "behaviour", behaviour_markdown()),
            (parameters, "college", college_markdown()),
        )
        if fill(path, tag, body)
        for name in [f"{path.relative_to(ROOT)} ({tag})"]
    ]
    print("updated " + ", ".join(changed) if changed else "every generated block is current")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
