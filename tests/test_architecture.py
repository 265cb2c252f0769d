"""Guard the one-way import direction described in DESIGN.md §2.

Only module-level imports count: a lazy import inside a function is a
deliberate, documented convenience (e.g. ``Grid.from_raster`` opening a file).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "aez"

#: Core value types: they may import only each other.
CORE = {"aez.errors", "aez.grid", "aez.layer"}
#: The only packages allowed to import user-interface libraries (by module-name prefix).
UI_LIBRARIES = {"click": {"aez.cli"}, "tqdm": {"aez.cli"}, "matplotlib": {"aez.render"}}
#: Compute stages never read or write files, nor talk to the user.
COMPUTE_PREFIXES = ("aez.derive", "aez.evaluate", "aez.zonal", "aez.economics", "aez.assign")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


MODULES = {_module_name(p): _top_level_imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_modules_found():
    assert {"aez.grid", "aez.layer", "aez.cli", "aez.executor"} <= set(MODULES)


@pytest.mark.parametrize("module", sorted(CORE))
def test_core_types_import_only_core(module):
    internal = {m for m in MODULES[module] if m.split(".")[0] == "aez"}
    assert internal <= CORE | {"aez"}, f"{module} imports {internal - CORE}"


@pytest.mark.parametrize("library", sorted(UI_LIBRARIES))
def test_ui_libraries_stay_in_their_modules(library):
    users = {m for m, imports in MODULES.items() if library in {i.split(".")[0] for i in imports}}
    extra = {m for m in users if not m.startswith(tuple(UI_LIBRARIES[library]))}
    assert not extra, f"{library} imported by {extra}"


def test_nothing_imports_the_cli():
    users = {
        m for m, imports in MODULES.items()
        if any(i.startswith("aez.cli") for i in imports) and not m.startswith("aez.cli")
    }
    assert not users


def test_compute_stages_do_no_io():
    for module, imports in MODULES.items():
        if module.startswith(COMPUTE_PREFIXES):
            bad = {i for i in imports if i.startswith(("aez.io", "click", "matplotlib"))}
            assert not bad, f"{module} imports {bad}"
