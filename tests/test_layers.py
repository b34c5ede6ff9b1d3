"""The layers import one way, downward, and no import (at module level or inside a function)
closes a circle. Read from the source (the AST), so an import that never runs counts too.

Each layer is a package (docs/architecture.md, decisions 35 and 36), lowest first:

- `ragrules.model`: value objects and the vocabulary of rating (numbers, periods, units, what
  a ruleset says, observations), errors and text helpers;
- `ragrules.engine`: rating, travel, selection, notices, summaries, keys, explanations, the
  canonical form, results and reports, and `Ruleset` with `rate`;
- `ragrules.formats`: reading rulesets (`loading`) and data files (CSV, JSON, xlsx);
- `ragrules.reports`: writing reports (JSON, CSV, table, Markdown, HTML, streams);
- `ragrules.tools`: for auditors and testers (audit, verify, compare, the testing kit);
- the interface: the command line (`ragrules.cli`), the pandas adapter, the package's lazy
  public names and the public module names (`ragrules.data`, `output`, `stream`, `testing`).

A module may import from its own layer or a lower one. `if TYPE_CHECKING:` imports (for
annotations only) may not reach up either. A module outside the layer packages must be named
in INTERFACE, so a new top-level module is placed on purpose.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src"

ORDER = ["model", "engine", "formats", "reports", "tools", "interface"]
INTERFACE = (
    "ragrules",
    "data",
    "output",
    "stream",
    "testing",
    "pandas",
    "columnar",
    "spark",
    "cli",
    "__main__",
)


def _dotted(path: Path) -> str:
    parts = path.relative_to(SOURCE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_dotted(path): path for path in sorted((SOURCE / "ragrules").rglob("*.py"))}


def _layer(module: str) -> int:
    """The layer of `ragrules.LAYER.X...`; the top-level modules are the interface."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "ragrules"
    return ORDER.index(top) if top in ORDER else ORDER.index("interface")


def _target(node: ast.ImportFrom | ast.Import, module: str) -> list[str]:
    """The ragrules modules an import statement imports (a name from a package: the package,
    or the submodule when there is one)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.split(".")[0] == "ragrules"]
    if node.level:  # relative: resolve against this module's package
        package = module.split(".")[: -node.level] if module in MODULES else []
        base = ".".join([*package, node.module] if node.module else package)
    else:
        base = node.module or ""
    if base.split(".")[0] != "ragrules":
        return []
    found = []
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        found.append(submodule if submodule in MODULES else base)
    return found


def _imports(module: str) -> list[tuple[str, int, bool]]:
    """(imported module, line, annotations only) for every ragrules import in the module."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(child) for child in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found += [
                (target, node.lineno, id(node) in typing_only)
                for target in _target(node, module)
                if target != module
            ]
    return found


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(
        module
        for module in MODULES
        if (module.split(".")[1] if "." in module else "ragrules") not in (*ORDER, *INTERFACE)
    )
    assert not unplaced, (
        f"move these modules into a layer package, or name them in INTERFACE: {unplaced}"
    )


@pytest.mark.parametrize("layer", ORDER[:-1])
def test_each_layer_package_says_what_lives_there(layer: str) -> None:
    """A newcomer reads what goes where, and what it may import, in the package's docstring."""
    doc = importlib.import_module(f"ragrules.{layer}").__doc__ or ""
    assert "import" in doc and " here" in doc, doc
    assert len(doc.split()) > 30, doc


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_downward(module: str) -> None:
    upward = [
        f"line {line}: {target} ({ORDER[_layer(target)]})"
        for target, line, _ in _imports(module)
        if _layer(target) > _layer(module)
    ]
    assert not upward, f"{module} ({ORDER[_layer(module)]}) imports upward: {upward}"


def test_no_import_closes_a_circle() -> None:
    """No imports form a cycle: at module level, inside functions, or for annotations only
    (an `if TYPE_CHECKING:` import that would close a circle is a circle hidden)."""
    graph = {module: {target for target, _, _ in _imports(module)} for module in MODULES}
    # (A package's __init__ importing its own submodules is no cycle: Python imports the
    # package first. A submodule importing names from its package's __init__ would be one,
    # and is an edge here like any other.)
    cycle = _find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle in the graph, as a path that returns to its start; None when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for following in sorted(graph.get(node, ())):
            if state.get(following) == 1:
                return [*path[path.index(following) :], following]
            if following not in state and (found := visit(following)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set()}) is None


def test_an_upward_import_is_caught(tmp_path: Path) -> None:
    """The check reads imports as a reviewer would: inside functions and type blocks too."""
    code = (
        "from typing import TYPE_CHECKING\n"
        "def f():\n    from ragrules.engine.batch import rate\n"
        "if TYPE_CHECKING:\n    from ragrules.engine.report import Report\n"
    )
    tree = ast.parse(code)
    targets = [
        target
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for target in _target(node, "ragrules.model.rules")
    ]
    assert targets == ["ragrules.engine.batch", "ragrules.engine.report"]
    assert all(_layer(target) > _layer("ragrules.model.rules") for target in targets)
