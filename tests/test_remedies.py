"""Every remedy names a setting, flag or argument that exists.

The messages of every ``raise`` and ``warnings.warn`` in ``aez/`` (f-strings with
their placeholders read as ``NAME``) are searched for

* config settings, ``[section] key`` or ``[section.sub] key``: the section must be a
  table of :class:`aez.config.RunConfig` (``[layers.NAME]`` a layer, ``[score.weights]``
  the criteria …) and the key one of its fields;
* command-line flags, ``--flag``: an option of some ``aez`` command;
* keyword arguments, ``name=value``: a parameter of some function of aez;
* dotted names ``aez.x.y``: importable.

A mutation test shows that a misnamed setting is caught.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "aez"

#: Words that may follow ``[section]`` in a sentence without being one of its keys.
PROSE = {"table", "tables", "section", "is", "are", "gives", "names", "compares", "uses",
         "has", "holds", "needs", "and", "or", "with", "of", "in", "to", "weights", "instead",
         "first", "matrix", "mixes", "file", "reference", "changes", "its"}


def _text(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_text(v) if isinstance(v, ast.Constant) else "NAME"
                       for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _text(node.left) + _text(node.right)
    return ""


def messages() -> list[tuple[str, int, str]]:
    """(file, line, text) of every string in a raise or a warnings.warn call."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            roots: list[ast.AST] = []
            if isinstance(node, ast.Raise) and node.exc is not None:
                roots.append(node.exc)
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "warn":
                roots.append(node)
            for root in roots:
                for sub in ast.walk(root):
                    if isinstance(sub, ast.Call):
                        parts = [_text(a) for a in sub.args]
                        text = "".join(p for p in parts if p)
                        if text:
                            found.append((path.relative_to(PACKAGE.parent).as_posix(),
                                          sub.lineno, text))
    return found


#: Module-level tables of remedy phrases (joined into messages at run time).
REMEDY_TABLE = re.compile(r"^_?[A-Z_]*REMED(Y|IES)$")


def remedy_tables() -> list[tuple[str, int, str]]:
    """(file, line, text) of every string in a module-level remedy table (``REMEDY = {…}``)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            targets = (node.targets if isinstance(node, ast.Assign) else
                       [node.target] if isinstance(node, ast.AnnAssign) else [])
            if not any(isinstance(t, ast.Name) and REMEDY_TABLE.match(t.id) for t in targets):
                continue
            value = node.value
            # a mapping problem → remedy, or rows (…, remedy)
            phrases = (value.values if isinstance(value, ast.Dict) else
                       [row.elts[-1] for row in getattr(value, "elts", [])
                        if isinstance(row, ast.Tuple)])
            for phrase in phrases:
                if phrase is not None and _text(phrase):
                    found.append((path.relative_to(PACKAGE.parent).as_posix(),
                                  phrase.lineno, _text(phrase)))
    return found


def section_keys() -> dict[str, set[str] | None]:
    """Config section path → its keys (None: any key, e.g. ``[regions]``).

    Found by walking :class:`aez.config.RunConfig`: a dataclass field is a section
    ``[a.b]``; a mapping of dataclasses is a table of named sections ``[a.NAME]``.
    """
    import types
    import typing
    from collections.abc import Mapping

    from aez.assign.score import CRITERIA
    from aez.config import RunConfig
    from aez.derive.methods import METHODS
    from aez.harmonize.spec import DERIVED_KEYS, LayerSpec

    sections: dict[str, set[str] | None] = {}

    def walk(cls: type, prefix: str) -> None:
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            hint = hints[f.name]
            union = typing.get_origin(hint) in (typing.Union, types.UnionType)
            options = [a for a in typing.get_args(hint) if a is not type(None)] if union \
                else [hint]
            path = f"{prefix}{f.name}"
            for option in options:
                origin = typing.get_origin(option)
                if dataclasses.is_dataclass(option):
                    sections[path] = {g.name for g in dataclasses.fields(option)}
                    walk(option, f"{path}.")
                elif origin in (Mapping, dict) or option is Mapping:
                    args = typing.get_args(option)
                    item = args[1] if len(args) == 2 else None
                    sections.setdefault(path, None)
                    if isinstance(item, type) and dataclasses.is_dataclass(item):
                        sections[f"{path}.NAME"] = {g.name for g in dataclasses.fields(item)}
                        walk(item, f"{path}.NAME.")

    walk(RunConfig, "")
    derived = set(DERIVED_KEYS) | {o for m in METHODS.values() for o in m.options}
    sections["layers.NAME"] = {f.name for f in dataclasses.fields(LayerSpec)} | derived
    sections["score.weights"] = set(CRITERIA)
    return sections


def click_flags() -> set[str]:
    from aez.cli import cli

    flags: set[str] = set()

    def visit(command) -> None:
        for param in command.params:
            flags.update(o for o in getattr(param, "opts", []) if o.startswith("--"))
            flags.update(o for o in getattr(param, "secondary_opts", []) if o.startswith("--"))
        for sub in getattr(command, "commands", {}).values():
            visit(sub)

    visit(cli)
    return flags


def parameter_names() -> set[str]:
    names: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                a = node.args
                names.update(x.arg for x in [*a.args, *a.kwonlyargs, *a.posonlyargs])
    return names


SETTING = re.compile(r"\[([a-z_]+(?:\.(?:NAME|[A-Za-z_]+))?)\]\s+([a-z_]+)")
FLAG = re.compile(r"(?<![\w-])(--[a-z][a-z-]*)")
KEYWORD = re.compile(r"\b(?:pass|set|with|give)\s+([a-z_]+)=")
DOTTED = re.compile(r"\b(aez(?:\.[A-Za-z_]+)+)\b")


def _resolves(dotted: str) -> bool:
    """Whether ``aez.x.y`` names a module, or an attribute reached from one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


def problems(texts: list[tuple[str, int, str]]) -> list[str]:
    sections = section_keys()
    flags = click_flags()
    params = parameter_names()
    found = []
    for where, line, text in texts:
        at = f"{where}:{line}"
        for section, key in SETTING.findall(text):
            if section not in sections:  # a named table: [layers.dem] → [layers.NAME]
                section = re.sub(r"^([a-z_]+(?:\.[a-z_]+)?)\.[A-Za-z_]+$", r"\1.NAME",
                                 section)
            if section.startswith(("characteristics", "study_area.")):
                continue  # crop-table sections are checked by the crop schema
            if section not in sections:
                found.append(f"{at}: no config section [{section}] ({text[:80]!r})")
                continue
            allowed = sections[section]
            if allowed is not None and key not in allowed and key not in PROSE \
                    and key != "NAME":
                found.append(f"{at}: [{section}] has no key {key!r} ({text[:80]!r})")
        for flag in FLAG.findall(text):
            if flag not in flags:
                found.append(f"{at}: no command has the flag {flag} ({text[:80]!r})")
        for name in KEYWORD.findall(text):
            if name not in params:
                found.append(f"{at}: no function takes {name}= ({text[:80]!r})")
        for dotted in DOTTED.findall(text):
            if not _resolves(dotted):
                found.append(f"{at}: {dotted} does not exist ({text[:80]!r})")
    return found


def test_every_remedy_names_a_setting_that_exists() -> None:
    texts = messages()
    assert len(texts) > 300  # the walk found the messages
    assert problems(texts) == []


def test_every_remedy_table_names_settings_in_config_words() -> None:
    """Each phrase of a remedy table names a config setting or a CLI flag that exists."""
    texts = remedy_tables()
    assert len(texts) >= 9  # the assignment's and the run folder's tables were found
    assert problems(texts) == []
    vague = [f"{w}:{n}: {t!r}" for w, n, t in texts
             if (not SETTING.search(t) and not FLAG.search(t)) or "in Python" in t]
    assert vague == []


@pytest.mark.parametrize(("text", "complaint"), [
    ("Raise [assign] min_class to S2.", "[assign] has no key 'min_class'"),
    ("Set [scores] weights.", "no config section [scores]"),
    ("Pass --overwrites to replace.", "no command has the flag --overwrites"),
    ("Revise it, or pass allow_inconsistant=True.", "no function takes allow_inconsistant="),
    ("Use aez.io.read_tabel.", "aez.io.read_tabel does not exist"),
    ("Set [layers.NAME] nodta.", "[layers.NAME] has no key 'nodta'"),
])
def test_a_misnamed_setting_is_caught(text: str, complaint: str) -> None:
    found = problems([("x.py", 1, text)])
    assert len(found) == 1 and complaint in found[0], found


def test_real_remedies_pass() -> None:
    assert problems([("x.py", 1, "Set [layers.NAME] offset = -273.15, pass --overwrite "
                                 "(overwrite=True), or use aez.io.read_table; raise "
                                 "[assign] max_share.")]) == []
