"""Docs generated from the schema stay current; the README names only files that exist."""
import re
from pathlib import Path

from sim.params import levers_markdown

ROOT = Path(__file__).resolve().parent.parent


def _between(text: str, tag: str) -> str:
    return text.split(f"<!-- {tag}:start -->\n", 1)[1].split(f"\n<!-- {tag}:end -->", 1)[0]


def test_readme_lever_table_is_current():
    assert _between((ROOT / "README.md").read_text(encoding="utf-8"), "levers") == levers_markdown()


def test_behaviour_table_is_current():
    full = levers_markdown(include_behaviour=True).splitlines()
    expect = "\n".join(full[:2] + [l for l in full[2:] if l.startswith("| `behaviour.")])
    assert _between((ROOT / "docs" / "parameters.md").read_text(encoding="utf-8"), "behaviour") == expect


def test_readme_links_exist():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for link in re.findall(r"\]\(((?!http)[^)#]+)\)", text):
        assert (ROOT / link).exists(), link
