"""The floors of docs/ARCHITECTURE.md (issue 15): who may import whom, module sizes, names.

Every module of the project is parsed with ``ast``; module-level and function-level imports both
count (a lazy import still ties two apps together). Migrations are skipped.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top: an app may import only its own modules and those of lower floors.
FLOORS = ["outreach_admin", "people", "companies", "signals", "marketing", "intake", "overview"]
APPS = FLOORS[1:]
FLOOR = {app: n for n, app in enumerate(FLOORS)}
PACKAGES = FLOORS
SIZED = [*FLOORS, "bench", "tests"]  # the size rule holds for every module but migrations
MAX_LINES = 600


def _modules(packages=PACKAGES) -> list[Path]:
    return sorted(
        p
        for package in packages
        if (ROOT / package).is_dir()
        for p in (ROOT / package).rglob("*.py")
        if "migrations" not in p.relative_to(ROOT).parts
    )


def _imported(tree: ast.AST, module: str) -> set[str]:
    """Top-level package names imported anywhere in ``tree`` (relative imports resolved)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                names.add(module.split(".")[0])
            elif node.module:
                names.add(node.module.split(".")[0])
    return names


@cache
def _edges() -> dict[tuple[str, str], set[str]]:
    """(importing app, imported app) → the modules (paths) that make the edge."""
    edges = defaultdict(set)
    for path in _modules():
        rel = path.relative_to(ROOT)
        source = rel.parts[0]
        module = ".".join(rel.with_suffix("").parts)
        for target in _imported(ast.parse(path.read_text(), str(rel)), module):
            if target in FLOOR and target != source and source in FLOOR:
                edges[(source, target)].add(rel.as_posix())
    return dict(edges)


def _app_edges() -> dict[tuple[str, str], set[str]]:
    """The app→app edges (the base layer excluded)."""
    return {
        (source, target): paths
        for (source, target), paths in _edges().items()
        if source in APPS and target in APPS
    }


def _upward(edges) -> list[str]:
    return sorted(
        f"{path} imports {target} (floor {FLOOR[target]} > {source}'s {FLOOR[source]})"
        for (source, target), paths in edges.items()
        if FLOOR[target] > FLOOR[source]
        for path in paths
    )


def _cycles(edges) -> list[list[str]]:
    graph = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    found = []

    def visit(node, trail):
        for nxt in sorted(graph[node]):
            if nxt == trail[0]:
                found.append([*trail, nxt])
            elif nxt not in trail and nxt > trail[0]:
                visit(nxt, [*trail, nxt])

    for start in sorted(graph):
        visit(start, [start])
    return found


def test_the_parser_sees_the_import_graph():
    """The graph is really read: known downward edges are found."""
    edges = _edges()
    assert ("marketing", "people") in edges
    assert ("intake", "companies") in edges
    assert any(source == "intake" for source, _ in edges)


def test_app_imports_go_down_the_floors():
    """An app imports only its own floor and lower ones."""
    assert _upward(_app_edges()) == []


def test_no_app_cycles():
    """No two apps import each other, directly or through others."""
    assert _cycles(_app_edges()) == []


def test_the_checks_catch_an_upward_edge_and_a_cycle():
    """The two checks above can fail: a made-up people→intake edge is upward and, with the
    real intake→people edge, a cycle."""
    edges = {**_app_edges(), ("people", "intake"): {"people/x.py"}}
    assert _upward(edges) == ["people/x.py imports intake (floor 5 > people's 1)"]
    assert ["intake", "people", "intake"] in _cycles(edges)


def test_outreach_admin_imports_no_app():
    """The base layer imports no app."""
    assert (
        sorted(
            f"{path} imports {target}"
            for (source, target), paths in _edges().items()
            if source == "outreach_admin"
            for path in paths
        )
        == []
    )


def test_overview_is_the_top_floor_and_nothing_imports_it():
    """overview composes the others; no app imports it (panels come by template tags)."""
    assert (ROOT / "overview" / "apps.py").is_file()
    assert (
        sorted(
            f"{path} imports overview"
            for (_source, target), paths in _edges().items()
            if target == "overview"
            for path in paths
        )
        == []
    )


def test_no_module_over_the_size_limit():
    """No module outside migrations (apps, bench, tests) passes 600 lines."""
    assert {
        path.relative_to(ROOT).as_posix(): n
        for path in _modules(SIZED)
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    } == {}


PREFIX = re.compile(r"^([a-z0-9]+)_[a-z0-9_]+\.py$")


def test_no_prefix_named_file_families():
    """Two or more modules of one folder named ``<prefix>_*.py`` are a sub-domain told apart by
    a file name; it gets a package (``handoffs.py`` beside ``campaigns.py``) instead."""
    families = defaultdict(list)
    for path in _modules():
        if path.parent.name == "commands":  # management command files are named by the CLI
            continue
        match = PREFIX.match(path.name)
        if match:
            families[(path.parent.relative_to(ROOT).as_posix(), match[1])].append(path.name)
    assert {k: sorted(v) for k, v in families.items() if len(v) > 1} == {}
