"""Guard the one-way design of docs/architecture.md: ranks, no cycles, no private reach-ins.

Every import counts, wherever it is written: at module level, inside a function
(a lazy import) or in a class body. Only imports under ``if TYPE_CHECKING:``
may point anywhere, because they never run.

:data:`RANKS` is the one ranking of the package's rooms. A module may import
modules of its own room and of rooms with a *lower* rank, never of a room of
the same or a higher rank. Within and across rooms, imports between modules
form no cycle, and no module imports another room's private module or name
(one starting with ``_``). The mutation tests at the end inject each kind of
fault into a copy of the source and check that the checker reports it.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "aez"

#: Room (module or package of aez) → rank. Lower ranks are imported by higher ones.
RANKS: dict[str, int] = {
    "aez.version": 0,
    "aez.errors": 0,
    "aez.grid": 1,
    "aez.layer": 2,
    "aez.characteristics": 2,
    "aez.tabular": 2,
    "aez.checks": 3,
    "aez.words": 3,
    "aez.io": 4,
    "aez.crops": 4,
    "aez.sources": 5,
    "aez.derive": 5,
    "aez.economics": 5,
    "aez.harmonize": 6,
    "aez.evaluate": 6,
    "aez.zonal": 7,
    "aez.executor": 7,
    "aez.assign": 8,
    "aez.config": 9,
    "aez.render": 10,
    "aez.pipeline": 11,
    "aez.demo": 12,
    "aez.testing": 12,
    "aez.cli": 13,
    "aez": 14,
}

#: Third-party libraries that only some rooms may import (anywhere in the module).
RESTRICTED_LIBRARIES = {
    "click": ("aez.cli",),
    "tqdm": ("aez.cli",),
    "matplotlib": ("aez.render",),
    "jinja2": ("aez.render",),
}
#: Compute stages never read or write files, nor talk to the user.
COMPUTE_ROOMS = ("aez.derive", "aez.evaluate", "aez.zonal", "aez.economics", "aez.assign",
                 "aez.tabular")
#: Libraries that ``import aez`` must not load (they load when a function needs them).
HEAVY_LIBRARIES = ("numba", "matplotlib", "jinja2", "dask", "distributed", "scipy.optimize",
                   "geopandas", "rasterio", "pandas")


@dataclass(frozen=True)
class Import:
    """One import statement's target, as seen from the importing module."""

    source: str
    target: str
    line: int
    names: tuple[str, ...] = ()


def module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_lines(tree: ast.AST) -> set[int]:
    """Line numbers of statements inside ``if TYPE_CHECKING:`` blocks."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                for child in node.body:
                    for sub in ast.walk(child):
                        if hasattr(sub, "lineno"):
                            lines.add(sub.lineno)
    return lines


def imports_of(path: Path, package: Path, modules: set[str]) -> Iterator[Import]:
    """Every aez import that runs in ``path``: module level, lazy and class-level."""
    source = module_name(path, package)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_lines(tree)
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "aez" or alias.name.startswith("aez."):
                    yield Import(source, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = source.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target != "aez" and not target.startswith("aez."):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in modules:  # ``from aez.evaluate import kernel``
                    yield Import(source, sub, node.lineno)
                else:
                    yield Import(source, target, node.lineno, (alias.name,))


def library_imports(path: Path) -> Iterator[tuple[str, int]]:
    """Top-level third-party package names imported anywhere in ``path`` (TYPE_CHECKING aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_lines(tree)
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, node.lineno


def room_of(module: str) -> str:
    """The entry of :data:`RANKS` a module belongs to (its longest matching prefix)."""
    parts = module.split(".")
    for i in range(len(parts), 0, -1):
        name = ".".join(parts[:i])
        if name in RANKS:
            return name
    raise KeyError(f"{module} has no rank: add its room to RANKS in tests/test_architecture.py")


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def check_architecture(package: Path) -> list[str]:
    """Every breach of the design in the source tree at ``package``, as readable lines."""
    paths = sorted(package.rglob("*.py"))
    modules = {module_name(p, package) for p in paths}
    problems: list[str] = []
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for path in paths:
        for imp in imports_of(path, package, modules):
            where = f"{path.relative_to(package.parent)}:{imp.line}"
            try:
                src_room, dst_room = room_of(imp.source), room_of(imp.target)
            except KeyError as exc:
                problems.append(f"{where}: {exc.args[0]}")
                continue
            if src_room != dst_room and RANKS[dst_room] >= RANKS[src_room]:
                problems.append(
                    f"{where}: upward import {imp.source} → {imp.target} "
                    f"(rank {RANKS[src_room]} → {RANKS[dst_room]})"
                )
            if src_room != dst_room:
                hidden = [p for p in imp.target.split(".") if _is_private(p)]
                hidden += [n for n in imp.names if _is_private(n)]
                if hidden:
                    problems.append(f"{where}: {imp.source} reaches into {dst_room}'s private "
                                    f"{', '.join(hidden)}")
            if imp.target in modules and imp.target != imp.source:
                graph[imp.source].add(imp.target)
    problems += [f"import cycle: {' → '.join(cycle)}" for cycle in find_cycles(graph)]
    for path in paths:
        source = module_name(path, package)
        room = room_of(source)
        for name, line in library_imports(path):
            top = name.split(".")[0]
            allowed = RESTRICTED_LIBRARIES.get(top)
            if allowed is not None and not source.startswith(allowed):
                problems.append(f"{path.relative_to(package.parent)}:{line}: {source} imports "
                                f"{top}, which only {', '.join(allowed)} may use")
            if room.startswith(COMPUTE_ROOMS) and (name == "aez.io" or name.startswith("aez.io.")):
                problems.append(f"{path.relative_to(package.parent)}:{line}: compute stage "
                                f"{source} imports {name}")
    return problems


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_path(graph, set(c)) for c in components]


def _cycle_path(graph: dict[str, set[str]], members: set[str]) -> list[str]:
    """A concrete cycle through the first member of a strongly connected component."""
    start = min(members)
    paths = {start: [start]}
    todo = [start]
    while todo:
        node = todo.pop(0)
        for nxt in sorted(graph[node] & members):
            if nxt == start:
                return [*paths[node], start]
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                todo.append(nxt)
    return sorted(members)


# -- the tree -----------------------------------------------------------------------------------


def test_every_module_has_a_rank():
    modules = {module_name(p, PACKAGE) for p in PACKAGE.rglob("*.py")}
    assert {"aez.grid", "aez.layer", "aez.cli", "aez.executor"} <= modules
    for module in modules:
        room_of(module)


def test_the_tree_keeps_the_design():
    problems = check_architecture(PACKAGE)
    assert not problems, "\n".join(problems)


def test_every_module_says_its_concern_first():
    for path in sorted(PACKAGE.rglob("*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc and doc.strip().splitlines()[0].strip(), f"{path} has no module docstring"


def test_import_aez_loads_no_heavy_library():
    code = ("import sys, aez\n"
            f"print(','.join(m for m in {HEAVY_LIBRARIES!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "", f"import aez loaded {out}"


#: Libraries that load only when a function needing them runs, not when a stage is imported.
LAZY_LIBRARIES = ("numba", "matplotlib", "jinja2", "dask", "distributed", "scipy.optimize")


@pytest.mark.parametrize("package", ["aez.pipeline", "aez.cli", "aez.assign", "aez.evaluate",
                                     "aez.zonal", "aez.harmonize", "aez.config",
                                     "aez.render.report"])
def test_importing_a_stage_loads_no_optional_engine(package):
    code = (f"import sys, {package}\n"
            f"print(','.join(m for m in {LAZY_LIBRARIES!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "", f"import {package} loaded {out}"


def test_public_names_resolve_lazily():
    code = ("import aez\n"
            "missing = [n for n in aez.__all__ if getattr(aez, n, None) is None]\n"
            "print(','.join(missing))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""


def test_the_evaluate_package_is_not_shadowed():
    import aez.evaluate as evaluate_package

    assert evaluate_package.__name__ == "aez.evaluate"
    assert hasattr(evaluate_package, "evaluate_layers")


# -- mutation tests: the checker must see each kind of fault ------------------------------------


@pytest.fixture
def tree_copy(tmp_path):
    copy = tmp_path / "aez"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")


def test_checker_catches_an_upward_import(tree_copy):
    _append(tree_copy / "zonal" / "summary.py", "from aez.assign import score_table")
    problems = check_architecture(tree_copy)
    assert any("upward import aez.zonal.summary → aez.assign" in p for p in problems), problems


def test_checker_catches_a_lazy_upward_import(tree_copy):
    _append(tree_copy / "derive" / "terrain.py",
            "def _draw():\n    from aez.render import palette\n    return palette")
    problems = check_architecture(tree_copy)
    assert any("aez.derive.terrain → aez.render.palette" in p for p in problems), problems


def test_checker_lets_type_checking_imports_point_anywhere(tree_copy):
    _append(tree_copy / "io" / "vector.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import aez.pipeline.run")
    assert check_architecture(tree_copy) == check_architecture(PACKAGE)


def test_checker_catches_a_cycle(tree_copy):
    _append(tree_copy / "evaluate" / "classes.py",
            "def _later():\n    from aez.evaluate import matching\n    return matching")
    problems = check_architecture(tree_copy)
    assert any(p.startswith("import cycle:") and "aez.evaluate.classes" in p
               for p in problems), problems


def test_checker_catches_a_private_cross_package_import(tree_copy):
    _append(tree_copy / "pipeline" / "decide.py", "from aez.assign import _milp_model")
    problems = check_architecture(tree_copy)
    assert any("reaches into aez.assign's private _milp_model" in p for p in problems), problems


def test_checker_catches_a_private_name(tree_copy):
    _append(tree_copy / "zonal" / "summary.py", "from aez.evaluate.rating import _STRAY")
    problems = check_architecture(tree_copy)
    assert any("private _STRAY" in p for p in problems), problems


def test_checker_catches_a_ui_library_in_a_stage(tree_copy):
    _append(tree_copy / "assign" / "score.py", "import matplotlib.pyplot as plt")
    problems = check_architecture(tree_copy)
    assert any("aez.assign.score imports matplotlib" in p for p in problems), problems


def test_checker_catches_io_in_a_compute_stage(tree_copy):
    _append(tree_copy / "economics" / "lq.py", "from aez.io import read_table")
    problems = check_architecture(tree_copy)
    assert any("compute stage aez.economics.lq imports aez.io" in p for p in problems), problems


def test_public_names_match_their_table():
    import aez

    assert sorted(aez.__all__) == sorted(["__version__", *aez._EXPORTS])
