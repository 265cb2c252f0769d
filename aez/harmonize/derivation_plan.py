"""Derived layers in the stack: dependency order, halos, and sampling of global results.

The :class:`~aez.harmonize.LayerStack` reads a derived layer like any other.
For one window it works out how many extra cells each input needs
(:func:`margins`: one more per focal step such as slope), reads or derives
every layer in dependency order (:func:`resolve`), and crops the results back
to the window. Global layers (distance, travel time) are computed once on the
whole grid, or on a coarser one, and :func:`sample` cuts each window out of
them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

import numpy as np
from rasterio.windows import Window

from aez.errors import ConfigError, LayerKindError
from aez.grid import Grid
from aez.harmonize.spec import DerivedSpec
from aez.layer import Layer

__all__ = ["closure", "crop", "grow", "margins", "resolve", "sample"]


def resolve(derived: Mapping[str, DerivedSpec], kinds: Mapping[str, str]) -> list[str]:
    """Order derived layers so that each comes after its inputs.

    Parameters
    ----------
    derived : mapping of name to DerivedSpec
    kinds : mapping of name to kind
        Every layer of the stack (files and derived), for the input checks.

    Raises
    ------
    ConfigError
        An input that is no layer of the stack, or a cycle (named in order).
    LayerKindError
        An input of the wrong kind (e.g. slope from a categorical layer).
    """
    for spec in derived.values():
        for role, source in spec.inputs.items():
            if source not in kinds:
                close = difflib.get_close_matches(source, list(kinds), n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise ConfigError(
                    f"[layers.{spec.name}] from {role} = {source!r}: there is no layer "
                    f"{source!r}.{hint} Layers: {', '.join(kinds)}."
                )
            method = spec.spec_method
            wanted = ("continuous" if role in method.continuous
                      else "categorical" if role == "roads" else None)
            if wanted and kinds[source] != wanted:
                raise LayerKindError(
                    f"[layers.{spec.name}] method = \"{method.name}\" needs a {wanted} {role} "
                    f"layer, but {source!r} is {kinds[source]}."
                )
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = being visited, 2 = done

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            loop = [*path[path.index(name):], name]
            raise ConfigError(
                f"Derived layers depend on each other in a cycle: {' → '.join(loop)}. "
                "Break it by deriving one of them from a file layer."
            )
        state[name] = 1
        for source in derived[name].sources:
            if source in derived:
                visit(source, [*path, name])
        state[name] = 2
        order.append(name)

    for name in derived:
        visit(name, [])
    return order


def margins(wanted: Iterable[str], derived: Mapping[str, DerivedSpec]) -> dict[str, int]:
    """Cells each needed layer must be read with beyond the window, by name.

    A focal layer needs its inputs one cell wider than itself; a global one
    reads its inputs over the whole grid on its own, so its inputs are not
    needed per window.
    """
    need: dict[str, int] = {}
    todo = [(name, 0) for name in wanted]
    while todo:
        name, margin = todo.pop()
        if need.get(name, -1) >= margin:
            continue
        need[name] = margin
        spec = derived.get(name)
        if spec is None or spec.spec_method.scope == "global":
            continue
        extra = 1 if spec.spec_method.scope == "focal" else 0
        todo.extend((source, margin + extra) for source in spec.sources)
    return need


def closure(names: Iterable[str], derived: Mapping[str, DerivedSpec]) -> set[str]:
    """Every layer needed to compute ``names``, inputs of global layers included."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in derived:
            todo.extend(derived[name].sources)
    return seen


def grow(window: Window, cells: int) -> Window:
    """Grow a window by ``cells`` on every side."""
    return Window(window.col_off - cells, window.row_off - cells,
                  window.width + 2 * cells, window.height + 2 * cells)


def crop(layer: Layer, cells: int) -> Layer:
    """Cut ``cells`` off every side of a layer (a view of the same data)."""
    if cells == 0:
        return layer
    rows, cols = layer.shape
    inner = Window(cells, cells, cols - 2 * cells, rows - 2 * cells)
    return layer.replace(data=layer.data[cells:-cells, cells:-cells],
                         grid=layer.grid.window_grid(inner))


def sample(layer: Layer, grid: Grid, window: Window) -> np.ndarray:
    """Values of a whole-grid layer for one window of ``grid``.

    ``layer`` lies on ``grid`` itself or on a coarser grid over the same area;
    each cell takes the value of the ``layer`` cell that holds its centre
    (nearest neighbour). Cells outside ``grid`` get nodata.
    """
    rows = int(window.row_off) + np.arange(int(window.height))
    cols = int(window.col_off) + np.arange(int(window.width))
    if layer.grid == grid:
        src_rows, src_cols = rows, cols
    else:
        t, s = grid.transform, layer.grid.transform
        src_rows = np.floor((t.f + t.e * (rows + 0.5) - s.f) / s.e).astype(np.int64)
        src_cols = np.floor((t.c + t.a * (cols + 0.5) - s.c) / s.a).astype(np.int64)
    ok_rows = (rows >= 0) & (rows < grid.height) & (src_rows >= 0) & (
        src_rows < layer.grid.height)
    ok_cols = (cols >= 0) & (cols < grid.width) & (src_cols >= 0) & (
        src_cols < layer.grid.width)
    fill = np.nan if layer.kind == "continuous" else layer.nodata
    out = np.full((rows.size, cols.size), fill, dtype=layer.data.dtype)
    out[np.ix_(ok_rows, ok_cols)] = layer.data[np.ix_(src_rows[ok_rows], src_cols[ok_cols])]
    return out
