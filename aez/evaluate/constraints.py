"""Constraints: land excluded before evaluation (protected forest, deep peat, water, steep land).

A constraint names a layer and a condition; land where any constraint holds
gets the class :data:`~aez.evaluate.classes.EXCLUDED` for every crop and is
counted separately by the district stage. In a run config::

    [constraints.protected_forest]
    layer = "land_status"
    classes = ["hutan_lindung", "hutan_konservasi"]

    [constraints.deep_peat]
    layer = "peat_depth"
    above = 300            # cm: peat deeper than 3 m (Presidential Instruction 10/2011)

    [constraints.steep]
    layer = "slope"
    above = 40             # %

``above`` excludes values strictly greater, ``below`` values strictly smaller,
``classes`` the cells whose legend label is listed. A missing value never
excludes land: its class is decided (as unknown) by the evaluation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from aez.errors import ConfigError, LayerKindError
from aez.evaluate.classes import EXCLUDED, NODATA
from aez.evaluate.matching import Suitability
from aez.layer import Layer

__all__ = ["Constraint", "apply_exclusion", "excluded"]


@dataclass(frozen=True)
class Constraint:
    """One exclusion rule: ``layer`` above/below a threshold, or in a set of classes."""

    name: str
    layer: str
    above: float | None = None
    below: float | None = None
    classes: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        given = [k for k in ("above", "below", "classes") if getattr(self, k) is not None]
        if not given:
            raise ConfigError(f"[constraints.{self.name}] needs `above`, `below` or `classes`.")
        if self.classes is not None and len(given) > 1:
            raise ConfigError(f"[constraints.{self.name}] mixes `classes` with thresholds; "
                              "split it into two constraints.")
        if self.classes is not None:
            object.__setattr__(self, "classes", tuple(self.classes))

    def holds(self, layer: Layer) -> NDArray[np.bool_]:
        """Where the constraint excludes land."""
        where = f"[constraints.{self.name}]"
        if self.classes is not None:
            if layer.kind != "categorical":
                raise LayerKindError(f"{where} lists classes, but layer {layer.name!r} is "
                                     "continuous. Use `above`/`below`, or a categorical layer.")
            legend = layer.legend or {}
            unknown = sorted(set(self.classes) - set(legend.values()))
            if unknown:
                raise ConfigError(f"{where}: layer {layer.name!r} has no class {unknown[0]!r}; "
                                  f"its classes are {sorted(legend.values())}.")
            codes = [code for code, label in legend.items() if label in self.classes]
            return np.isin(layer.data, codes)
        if layer.kind == "categorical":
            raise LayerKindError(f"{where} compares layer {layer.name!r} with a threshold, but "
                                 "it is categorical. Use `classes = [...]`.")
        out = np.zeros(layer.shape, dtype=bool)
        with np.errstate(invalid="ignore"):
            if self.above is not None:
                out |= layer.data > self.above
            if self.below is not None:
                out |= layer.data < self.below
        return out


def excluded(constraints: Iterable[Constraint], layers: Mapping[str, Layer],
             shape: tuple[int, ...]) -> NDArray[np.bool_]:
    """Cells excluded by any constraint (``False`` everywhere when there are none)."""
    out = np.zeros(shape, dtype=bool)
    for constraint in constraints:
        if constraint.layer not in layers:
            raise ConfigError(f"[constraints.{constraint.name}] uses layer "
                              f"{constraint.layer!r}, which is not declared; layers: "
                              f"{', '.join(sorted(layers))}.")
        out |= constraint.holds(layers[constraint.layer])
    return out


def apply_exclusion(result: Suitability, excluded_cells: NDArray[np.bool_], *,
                    in_place: bool = False) -> Suitability:
    """Mark excluded cells (inside the study area) with the EXCLUDED class.

    ``result`` is left as it is and a new one returned, unless ``in_place``
    (for a caller that owns the arrays, e.g. a tile's fresh results). Without
    an excluded cell, ``result`` itself is returned.

    >>> from aez.evaluate.matching import Suitability
    >>> r = Suitability("x", np.array([1, 3, 0], np.uint8), np.array([1, 2, 0], np.uint8),
    ...                 np.array([0, 16, 0], np.uint16), np.array([0.9, 0.4, np.nan], np.float32),
    ...                 ("ph_h2o",), ())
    >>> apply_exclusion(r, np.array([False, True, True])).actual.tolist()
    [1, 5, 0]
    >>> r.actual.tolist(), apply_exclusion(r, np.array([False, False, True])) is r
    ([1, 3, 0], True)
    >>> _ = apply_exclusion(r, np.array([True, False, False]), in_place=True)
    >>> r.actual.tolist(), r.index.tolist()[0]
    ([5, 3, 0], nan)
    """
    cells = excluded_cells & (result.actual != NODATA)
    if not cells.any():
        return result
    actual, potential, subclass, index = (
        (result.actual, result.potential, result.subclass, result.index) if in_place else
        (result.actual.copy(), result.potential.copy(), result.subclass.copy(),
         result.index.copy()))
    actual[cells] = EXCLUDED
    potential[cells] = EXCLUDED
    subclass[cells] = 0
    index[cells] = np.nan
    return replace(result, actual=actual, potential=potential, subclass=subclass, index=index)
