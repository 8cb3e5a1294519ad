"""The layout's contract, checked from the code itself: the core (`layers/`) imports no Streamlit,
not even through something it imports; nothing in `layers/` imports the app (`dashboard/`); and
the modules of `layers/` import each other without cycles (a cycle makes the import order matter
and turns a move of one function into a puzzle)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT as ROOT

LAYERS = ROOT / "layers"

# Import cycles among `layers` modules (module-level imports) that exist today, each with why it
# is still there. The test fails if a new one appears, and if one of these is gone (then delete
# it here). Empty: there are none.
KNOWN_CYCLES: dict[frozenset[str], str] = {}

# The same, counting every import: those inside functions (deferred to call time) and those
# under `if TYPE_CHECKING:` too. A deferred import still ties two modules into one (neither can
# be read, moved or tested alone), so it is no way out of a cycle.
KNOWN_DEFERRED_CYCLES: dict[frozenset[str], str] = {}  # none left (issue 19 removed the last)


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(LAYERS.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(tree: ast.Module):
    """Import statements that run when the module is imported: at module level, also inside a
    module-level `try` or `if` (but not `if TYPE_CHECKING:`), never inside a function."""
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and not _is_type_checking(node):
            todo += node.body + node.orelse
        elif isinstance(node, ast.Try):
            todo += node.body + node.orelse + node.finalbody
            for handler in node.handlers:
                todo += handler.body


def _absolute(node: ast.ImportFrom, name: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = name.split(".") if is_package else name.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _targets(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The dotted names a module imports at import time (any package, not only ours)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: set[str] = set()
    for node in _top_level_imports(tree):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
            continue
        module = _absolute(node, name, path.name == "__init__.py")
        for alias in node.names:
            sub = f"{module}.{alias.name}"
            out.add(sub if sub in modules else module)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {t for t in _targets(name, path, modules) if t in modules}
        for name, path in modules.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components with more than one module, or a module importing itself
    (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    found.append(frozenset(component))
    return found


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": set()}
    assert set(_cycles(graph)) == {frozenset("abc"), frozenset("e")}


def test_the_import_graph_sees_the_package():
    graph = _graph()
    assert len(graph) > 100
    assert "layers.boundary" in graph["layers.cli.commands"] or any(
        t.startswith("layers.boundary") for t in graph["layers.cli.commands"]
    )


def test_no_import_cycles_among_layers_modules():
    cycles = set(_cycles(_graph()))
    new = [sorted(c) for c in cycles - set(KNOWN_CYCLES)]
    gone = [sorted(c) for c in set(KNOWN_CYCLES) - cycles]
    assert not new, f"new import cycles in layers/: {new}"
    assert not gone, f"these cycles are gone: remove them from KNOWN_CYCLES: {gone}"


def _full_graph() -> dict[str, set[str]]:
    """Every import of every module, wherever it stands in the module, submodules resolved."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        out: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                out |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                module = _absolute(node, name, path.name == "__init__.py")
                for alias in node.names:
                    sub = f"{module}.{alias.name}"
                    out.add(sub if sub in modules else module)
        graph[name] = {t for t in out if t in modules and t != name}
    return graph


def test_the_full_graph_sees_deferred_imports():
    """`layers.errors.app_message` imports the Markdown escaper inside the function."""
    assert "layers.render.escape" in _full_graph()["layers.errors"]
    assert "layers.render.escape" not in _graph()["layers.errors"]


def test_no_import_cycles_even_through_deferred_imports():
    cycles = set(_cycles(_full_graph()))
    new = [sorted(c) for c in cycles - set(KNOWN_DEFERRED_CYCLES)]
    gone = [sorted(c) for c in set(KNOWN_DEFERRED_CYCLES) - cycles]
    assert not new, f"new import cycles in layers/ (counting deferred imports): {new}"
    assert not gone, f"these cycles are gone: remove them from KNOWN_DEFERRED_CYCLES: {gone}"


def test_nothing_in_layers_imports_the_app():
    modules = _modules()
    offenders = sorted(
        f"{name} imports {target}"
        for name, path in modules.items()
        for target in _every_import(name, path, modules)
        if target == "dashboard" or target.startswith("dashboard.")
    )
    assert offenders == []


def _every_import(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Imports anywhere in the module (inside functions too): the app is off limits entirely."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            out.add(_absolute(node, name, path.name == "__init__.py"))
    return out


_PROBE = """
import importlib, json, sys
names = json.loads(sys.argv[1])
failed = {}
for name in names:
    try:
        importlib.import_module(name)
    except Exception as exc:  # reported, and the test fails on it
        failed[name] = f"{type(exc).__name__}: {exc}"
loaded = sorted(m for m in sys.modules if m == "streamlit" or m.startswith("streamlit."))
print(json.dumps({"failed": failed, "streamlit": loaded}))
"""


def test_importing_every_layers_module_loads_no_streamlit():
    """In a fresh interpreter, import every module of `layers/`; Streamlit must not be loaded
    (directly, or through anything those modules import at import time)."""
    names = [n for n in _modules() if not n.endswith("__main__")]
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(names)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["failed"] == {}
    assert report["streamlit"] == [], "streamlit loaded by importing layers/"


def test_the_streamlit_probe_would_see_streamlit():
    """The probe is not blind: importing the app's module loads Streamlit in the same check."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(["dashboard.state"])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "streamlit" in json.loads(result.stdout.strip().splitlines()[-1])["streamlit"]
