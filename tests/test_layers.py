"""Layers that point one way (docs/odd.md §14): the apps (sim/apps/: the command line, the dashboard,
the workshop, ``sim.compare``) import the analyses (analysis/) and the world (sim/ but sim/apps/); the
analyses import the world; the world imports only itself.  No import circle among modules, no private
name taken across a layer's border, and ``import sim`` loads neither the analyses nor the apps.

The graph is read from the source with ``ast``: every import statement that runs, at the top of a module or
inside a function (so a late import cannot hide a circle), relative imports resolved, ``from pkg import
name`` read as the module ``pkg.name`` when there is one.  Imports under ``if TYPE_CHECKING:`` never run
(annotations for the type checker: a mechanism names ``CooperationModel`` as the type of its argument)
and are left out of the circle test; they still obey the layers.  Importing ``sim.x`` runs the package's
front door (sim/__init__.py) too; its top level imports only the world and it names the apps only inside
its lazy ``__getattr__`` (both checked below, the second also by what a fresh interpreter loads).
``python -m sim`` (sim/__main__.py) is the command line, so it counts among the apps.
"""

from __future__ import annotations

import ast
import graphlib
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("sim", "analysis")
# Which layer may import which (docs/odd.md §14).  The front door, sim/__init__.py, re-exports from
# the world and, lazily, from the apps; no module imports it (each names the module it needs).
MAY_IMPORT = {
    "world": {"world"},
    "analysis": {"analysis", "world"},
    "apps": {"apps", "analysis", "world"},
    "front": {"world", "apps"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


MODULES = all_modules()


def layer(module: str) -> str:
    if module == "sim":
        return "front"
    if module in ("sim.apps", "sim.__main__") or module.startswith("sim.apps."):  # python -m sim: the command line
        return "apps"
    return "analysis" if module.split(".")[0] == "analysis" else "world"


def known(name: str) -> str | None:
    """The longest prefix of a dotted name that is one of our modules (None: a third-party name)."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        if ".".join(parts[:i]) in MODULES:
            return ".".join(parts[:i])
    return None


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    names: tuple[str, ...]  # the names a ``from ... import`` took from the target ("" for a module)
    local: str = ""  # the name a module imported whole is known by in the source
    runs: bool = True  # False: under ``if TYPE_CHECKING:``


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def import_nodes(tree: ast.AST) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement with whether it runs (False: inside ``if TYPE_CHECKING:``)."""
    out = []
    stack: list[tuple[ast.AST, bool]] = [(tree, True)]
    while stack:
        node, runs = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out.append((node, runs))
        if _type_checking(node):
            assert isinstance(node, ast.If)
            stack += [(n, False) for n in node.body] + [(n, runs) for n in node.orelse]
        else:
            stack += [(n, runs) for n in ast.iter_child_nodes(node)]
    return out


def edges_of(module: str) -> list[Edge]:
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node, runs in import_nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = known(alias.name)
                if target:
                    out.append(Edge(module, target, node.lineno, ("",), alias.asname or alias.name, runs))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            for alias in node.names:
                sub = f"{origin}.{alias.name}"
                if sub in MODULES:  # from pkg import module
                    out.append(Edge(module, sub, node.lineno, ("",), alias.asname or alias.name, runs))
                elif known(origin):
                    out.append(Edge(module, known(origin), node.lineno, (alias.name,), "", runs))
    return out


EDGES = [e for m in MODULES for e in edges_of(m)]


def where(e: Edge) -> str:
    return f"{MODULES[e.source].relative_to(ROOT)}:{e.line} imports {e.target}"


def test_the_graph_reads_the_imports_it_must_see():
    """The reader finds relative, absolute and in-function imports (else the tests below would pass on
    an empty graph)."""
    pairs = {(e.source, e.target) for e in EDGES}
    assert ("sim.model", "sim.metrics") in pairs  # from . import metrics
    assert ("sim.apps.cli", "sim.apps.workshop.room") in pairs  # from .workshop.room import ... in a function
    assert ("sim.apps.workshop.app", "sim.apps.dashboard.logic") in pairs  # from ..dashboard import logic
    assert ("analysis.report", "analysis.compare") in pairs
    assert ("sim", "sim.apps.api") in pairs  # the front door's lazy sim.compare
    typed = {(e.source, e.target) for e in EDGES if not e.runs}
    assert ("sim.agents", "sim.model") in typed and ("sim.agents", "sim.model") not in {
        (e.source, e.target) for e in EDGES if e.runs
    }  # only under TYPE_CHECKING
    assert {"world", "analysis", "apps", "front"} == {layer(m) for m in MODULES}


def test_no_import_circle_among_modules():
    graph = {m: set() for m in MODULES}
    for e in EDGES:
        if e.target != e.source and e.runs:
            graph[e.source].add(e.target)
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as err:
        circle = err.args[1]
        pytest.fail("import circle: " + " -> ".join(circle))


def test_a_circle_would_be_found():
    """The check above can fail: the same sorter on a graph with a circle raises."""
    with pytest.raises(graphlib.CycleError):
        list(
            graphlib.TopologicalSorter(
                {"analysis.compare": {"analysis.report"}, "analysis.report": {"analysis.compare"}}
            ).static_order()
        )


def test_layers_point_one_way():
    wrong = [
        f"{where(e)} ({layer(e.source)} -> {layer(e.target)})"
        for e in EDGES
        if layer(e.target) not in MAY_IMPORT[layer(e.source)]
    ]
    assert not wrong, "\n".join(wrong)


def test_the_world_imports_nothing_from_analysis():
    """Top-level or inside a function, no module of sim/ but the apps names analysis."""
    wrong = [where(e) for e in EDGES if layer(e.source) in ("world", "front") and layer(e.target) == "analysis"]
    assert not wrong, "\n".join(wrong)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_no_private_name_crosses_a_layer():
    """No ``from other_layer import _name``, and no ``module._name`` on a module of another layer."""
    wrong = [f"{where(e)}: {n}" for e in EDGES if layer(e.source) != layer(e.target) for n in e.names if _private(n)]
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {e.local for e in EDGES if e.source == module and e.local and layer(e.target) != layer(module)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                owner = ast.unparse(node.value)
                if owner in aliases:
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {owner}.{node.attr}")
    assert not wrong, "\n".join(wrong)


def test_the_front_door_imports_only_the_world_at_its_top():
    tree = ast.parse((ROOT / "sim" / "__init__.py").read_text(encoding="utf-8"))
    top = {n.lineno for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))}
    at_top = [e for e in EDGES if e.source == "sim" and e.line in top]
    assert at_top and all(layer(e.target) == "world" for e in at_top), [where(e) for e in at_top]


def test_importing_the_model_loads_neither_analysis_nor_the_apps():
    code = (
        "import sys, sim, sim.model, sim.runner; "
        "print(sorted(m for m in sys.modules if m == 'analysis' or m.startswith(('analysis.', 'sim.apps'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_sim_compare_is_still_there_and_loads_the_analyses_when_named():
    code = (
        "import sys, sim; assert 'analysis.compare' not in sys.modules; f = sim.compare; "
        "print(f.__module__, 'analysis.compare' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["sim.apps.api", "True"], out.stdout + out.stderr
