"""Argument checks shared by the stages: cells in metres, continuous layers, options, types."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from aez.errors import ConfigError, CRSError, LayerKindError
from aez.grid import Grid
from aez.layer import Layer

__all__ = ["choose", "metric_res", "require_continuous", "require_frame", "require_sequence"]


def metric_res(grid: Grid, *, what: str) -> tuple[float, float]:
    """Cell size (x, y) in metres of a projected grid.

    Raises
    ------
    CRSError
        If the grid is geographic (degrees): slopes, distances and travel times
        need cells of a known size in metres.
    """
    if grid.is_geographic:
        raise CRSError(
            f"{what} needs a projected analysis grid with cells in metres, but the grid's CRS "
            f"{grid.crs.to_string()!r} is geographic (degrees). Choose a projected grid, e.g. "
            "[grid] crs = \"auto\" (the UTM zone of the study area) or an EPSG code such as "
            "\"EPSG:32750\"."
        )
    factor = grid.crs.linear_units_factor[1] if grid.crs.linear_units_factor else 1.0
    xres, yres = grid.res
    return xres * factor, yres * factor


def require_continuous(layer: Layer, *, what: str) -> None:
    """Refuse a categorical layer where numbers (elevation, slope) are needed."""
    if layer.kind != "continuous":
        raise LayerKindError(
            f"{what} needs a continuous layer, but {layer.name!r} is categorical. "
            "Use an elevation (or slope) layer declared kind = \"continuous\"."
        )


def choose(value: str, options: Iterable[str], *, what: str) -> str:
    """Return ``value`` if it is one of ``options``; otherwise raise with a hint."""
    options = list(options)
    if value in options:
        return value
    close = difflib.get_close_matches(str(value), options, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ConfigError(
        f"{what} = {value!r} is not supported.{hint} Valid options: "
        f"{', '.join(map(repr, options))}."
    )


def require_sequence(value: Any, *, what: str, example: str) -> list[Any]:
    """Return ``value`` as a list; refuse a lone string or path (``"jagung"`` is not a list).

    >>> require_sequence(("jagung",), what="crops", example='["jagung"]')
    ['jagung']
    """
    if isinstance(value, str | bytes | Path) or not isinstance(value, Iterable):
        raise ConfigError(f"{what} = {value!r} is a {type(value).__name__}; give a list, e.g. "
                          f"{example}.")
    return list(value)


def require_frame(value: Any, *, what: str) -> None:
    """Refuse anything but a pandas DataFrame; a path gets the function that reads it."""
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return
    if isinstance(value, str | Path):
        raise ConfigError(f"{what} = {str(value)!r} is a path, not a table; read it first with "
                          "aez.io.read_table (CSV, XLSX) or aez.io.read_vector (GPKG, SHP).")
    raise ConfigError(f"{what} is a {type(value).__name__}; expected a pandas DataFrame.")
