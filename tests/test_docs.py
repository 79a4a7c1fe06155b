"""Docs generated from the schema stay current; the README names only files that exist."""

import re
from pathlib import Path

import pytest

from sim.params import behaviour_markdown, college_markdown, levers_markdown

ROOT = Path(__file__).resolve().parent.parent


def _between(text: str, tag: str) -> str:
    return text.split(f"<!-- {tag}:start -->\n", 1)[1].split(f"\n<!-- {tag}:end -->", 1)[0]


def test_readme_lever_table_is_current():
    assert _between((ROOT / "README.md").read_text(encoding="utf-8"), "levers") == levers_markdown()


def test_behaviour_table_is_current():
    expect = behaviour_markdown()
    assert _between((ROOT / "docs" / "parameters.md").read_text(encoding="utf-8"), "behaviour") == expect


def test_college_table_is_current():
    """The [[colleges]] keys of docs/parameters.md (docs/odd.md M18) are the schema's."""
    assert _between((ROOT / "docs" / "parameters.md").read_text(encoding="utf-8"), "college") == college_markdown()


def test_readme_links_exist():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for link in re.findall(r"\]\(((?!http)[^)#]+)\)", text):
        assert (ROOT / link).exists(), link


def test_odd_covers_every_mechanism_with_its_source():
    """docs/odd.md has a section for each of M1–M17 naming its source and its module."""
    import re

    text = (ROOT / "docs" / "odd.md").read_text(encoding="utf-8")
    sections = re.split(r"^### ", text, flags=re.M)
    for k in range(1, 18):
        sec = [s for s in sections if s.startswith(f"M{k} ")]
        assert len(sec) == 1, f"M{k}"
        assert re.search(r"P[12] §|Beyond the papers", sec[0]), f"M{k} names no source"
        assert "sim/" in sec[0] or ".py" in sec[0], f"M{k} names no module"
    for co in (
        "专业共建",
        "人才共育",
        "师资共培",
        "资源共享",
        "项目共立",
        "科研共做",
        "实习共担",
        "就业共推",
        "过程共管",
        "效果共评",
    ):
        assert f"| {co} |" in text, co


def test_odd_modules_exist():
    import re

    text = (ROOT / "docs" / "odd.md").read_text(encoding="utf-8")
    for mod in set(re.findall(r"`(sim/[\w/]+\.py)", text)):
        assert (ROOT / mod).exists(), mod


def test_readme_documents_sweeps_and_both_cluster_routes():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for needle in (
        "sesim sweep",
        "--backend dask --cluster slurm",
        "--dry-run",
        "scripts/slurm/sweep-array.sbatch",
        '--shard "${SLURM_ARRAY_TASK_ID}/10"',
        "scripts/slurm/sweep-dask.sbatch",
        "sesim sweep merge",
        "--resume",
        "sesim sensitivity",
        "sesim discover",
        "pip install -e '.[cluster]'",
    ):
        assert needle in text, needle


def test_no_behavioural_constants_outside_the_schema():
    """No number in the model or mechanism code but 0, 1, -1 and small counts (array shapes,
    exponents, halves of a variance): every behavioural number is a schema parameter with unit,
    range, meaning and source (sim/params.py), and the calendar is named in sim/state.py.  The one
    named mathematical constant is the logistic approximation's scale."""
    import ast

    allowed_numbers = {0, 1, -1, 2, 3, 4}
    allowed_names = {"LOGISTIC_SCALE"}
    found = []
    for path in [ROOT / "sim" / "model.py", *sorted((ROOT / "sim" / "mechanisms").glob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        named = {
            id(n)
            for node in tree.body
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id in allowed_names for t in node.targets)
            for n in ast.walk(node)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, (int, float))
                and not isinstance(node.value, bool)
                and node.value not in allowed_numbers
                and id(node) not in named
            ):
                found.append(f"{path.name}:{node.lineno}: {node.value}")
    assert not found, found


def test_readme_documents_run_and_compare_on_a_cluster_and_the_replicate_store():
    """docs/odd.md §13: one backend layer; the same flags on run and compare; the store beside --out."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for needle in (
        "sesim compare baseline huli_tongqiang_qirong --seeds 1000 --backend dask --cluster slurm",
        "OUT.replicates/",
        "--resume",
        "benchmarks/bench_scale.py",
        "scenarios/examples/province.toml",
    ):
        assert needle in text, needle
    assert (ROOT / "scenarios" / "examples" / "province.toml").is_file()


# The spec is docs/odd.md: code, tests and docs cite its sections, never the design brief's file or a
# tracker outside the repository.  This file is skipped: its examples of the pattern would match it.
OUTSIDE_REFERENCE = re.compile(r"MODEL\.md|\bissues?\s*#?\d+", re.IGNORECASE)
SELF_CONTAINED = [
    *(f"{d}/**/*.py" for d in ("sim", "analysis", "tests", "benchmarks")),
    "docs/*.md",
    "README.md",
    "CHANGELOG.md",
    "Makefile",
    ".ci/run",
    "scenarios/**/*.toml",
]


@pytest.mark.parametrize(
    "text, outside",
    [
        ("(MODEL.md §2)", True),
        ("see model.md", True),
        ("(issue 16)", True),
        ("Issue 14's test", True),
        ("issue #4", True),
        ("issues 13-16", True),
        ("issue 14.11", True),
        ("docs/odd.md §9", False),
        ("an issue of trust", False),
        ("tissue 3", False),
    ],
)
def test_outside_reference_pattern(text, outside):
    assert bool(OUTSIDE_REFERENCE.search(text)) is outside


def test_no_reference_outside_the_repository():
    """No comment, docstring or document cites the design brief's file or an issue number
    (docs/odd.md is the specification; the history of decisions is git log and CHANGELOG.md)."""
    found = []
    for pattern in SELF_CONTAINED:
        for path in sorted(set(ROOT.glob(pattern)) - {Path(__file__).resolve()}):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if OUTSIDE_REFERENCE.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:100]}")
    assert not found, "\n".join(found)


def test_one_version_everywhere():
    """The package's version (sim.__version__, which pyproject.toml reads) is what ``sesim --version``
    prints and the newest release in CHANGELOG.md (Keep a Changelog: ``## [X.Y.Z] - YYYY-MM-DD``)."""
    import subprocess
    import sys

    import sim

    releases = re.findall(
        r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), flags=re.M
    )
    assert releases and releases[0] == sim.__version__
    assert releases == sorted(releases, key=lambda v: tuple(map(int, v.split("."))), reverse=True)
    out = subprocess.run([sys.executable, "-m", "sim", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"sesim {sim.__version__}"
    assert 'dynamic = ["version"]' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_readme_demo_table_is_the_stored_comparisons():
    """The README's headline table is what make demo printed: rendered again from the comparison make
    docs stored in docs/demo/ (analysis/readme.py), by the terminal's own function."""
    from analysis.readme import STORED, between, demo_block

    assert between((ROOT / "README.md").read_text(encoding="utf-8"), "demo") == demo_block(STORED)


def test_the_stored_demo_is_make_demos_command():
    """docs/demo/ holds the comparison of make demo: every strategy of the Makefile, 10 seeds."""
    import json

    manifest = json.loads((ROOT / "docs" / "demo" / "manifest.json").read_text(encoding="utf-8"))
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    strategies = re.search(r"^STRATEGIES := (.*?)(?<!\\)\n", make, re.S | re.M).group(1).replace("\\\n", " ").split()
    assert manifest["scenarios"] == strategies and manifest["baseline"] == "baseline"
    assert manifest["seeds"] == list(range(10))


def test_a_changed_table_is_written_back_and_an_unchanged_one_left_alone(tmp_path):
    from analysis.readme import between, fill

    p = tmp_path / "R.md"
    p.write_text("a\n<!-- demo:start -->\nold\n<!-- demo:end -->\nz\n", encoding="utf-8")
    assert fill(p, "demo", "new\nlines") and between(p.read_text(encoding="utf-8"), "demo") == "new\nlines"
    assert p.read_text(encoding="utf-8").endswith("<!-- demo:end -->\nz\n")
    assert not fill(p, "demo", "new\nlines")
    assert sorted(x.name for x in tmp_path.iterdir()) == ["R.md"]
