"""The numpy reference evaluation, and the inputs, compiled crops and results it defines.

:func:`match_reference` applies the rules of :mod:`aez.evaluate.matching`
(law of the minimum, missing data, index aggregation) with one full-size
numpy array per characteristic and step. Its bytes define the results: the
fused kernel (:mod:`aez.evaluate.kernel`) must reproduce them exactly, and
shares these types and :func:`aggregate_indices` with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from aez.characteristics import APPLIES_WHERE_POSITIVE, QUALITIES
from aez.crops.schema import CropRequirements
from aez.errors import GridMismatchError
from aez.evaluate.classes import CLASS_LABELS, NODATA, S1, UNKNOWN, N, quality_bit
from aez.evaluate.rating import Rating
from aez.grid import Grid
from aez.layer import Layer

__all__ = ["AGGREGATIONS", "NOT_APPLICABLE", "Aggregation", "CompiledCrop", "Observed",
           "Suitability", "aggregate_indices", "match_reference"]

Aggregation = Literal["minimum", "geometric_mean", "square_root"]
AGGREGATIONS: tuple[str, ...] = ("minimum", "geometric_mean", "square_root")


@dataclass(frozen=True)
class Observed:
    """The observed values of one land characteristic.

    ``values`` are numbers (float, NaN = missing) for a numeric characteristic,
    or integer class codes with a ``legend`` (code → label; codes outside it,
    such as the nodata sentinel −1, are missing) for a categorical one.
    ``units`` is checked against the crop table when given.
    """

    values: NDArray
    legend: Mapping[int, str] | None = None
    units: str | None = None
    name: str = ""


@dataclass(frozen=True, eq=False)
class CompiledCrop:
    """A crop's ratings, compiled for the inputs at hand.

    Built by :func:`~aez.evaluate.matching.compile_crop`.
    """

    crop: CropRequirements
    ratings: Mapping[str, Rating]
    aggregate: Aggregation

    @property
    def evaluated(self) -> tuple[str, ...]:
        """Characteristics that are rated (the table's ones that have an input)."""
        return tuple(self.ratings)

    @property
    def skipped(self) -> tuple[str, ...]:
        """Characteristics of the table that have no input."""
        return tuple(c for c in self.crop.rules if c not in self.ratings)


@dataclass(frozen=True, eq=False)
class Suitability:
    """The suitability of land for one crop.

    Attributes
    ----------
    crop : str
    actual, potential : ndarray of uint8
        Class codes (:mod:`aez.evaluate.classes`) now and after feasible improvement.
    subclass : ndarray of uint16
        Limiting-quality bit mask of the actual class.
    index : ndarray of float32
        Continuous suitability index in [0, 1]; NaN where the class is unknown.
    evaluated, skipped : tuple of str
        Characteristics rated, and those of the table that had no input.
    grid : Grid, optional
        The grid the arrays lie on, when they were evaluated from layers
        (:func:`aez.evaluate_layers`); None for plain arrays and table rows.
    """

    crop: str
    actual: NDArray[np.uint8]
    potential: NDArray[np.uint8]
    subclass: NDArray[np.uint16]
    index: NDArray[np.float32]
    evaluated: tuple[str, ...]
    skipped: tuple[str, ...]
    grid: Grid | None = None

    def to_layers(self) -> dict[str, Layer]:
        """Return the four results as layers on :attr:`grid`: class, potential, subclass, index.

        Class codes are categorical (legend S1 … N, nodata 0); the subclass is the
        limiting-quality bit mask (categorical, nodata 0); the index is continuous
        (dimensionless, 0–1, NaN where unknown).

        Raises
        ------
        GridMismatchError
            If the result has no grid (it was evaluated from plain arrays).
        """
        if self.grid is None:
            raise GridMismatchError(
                f"The suitability of {self.crop!r} has no grid: it was evaluated from plain "
                "arrays. Evaluate layers with aez.evaluate_layers, or build the layers "
                "yourself with aez.Layer(name, array, grid)."
            )
        legend = {code: label for code, label in CLASS_LABELS.items() if code != NODATA}
        return {
            "class": Layer(f"{self.crop}_class", self.actual, self.grid, kind="categorical",
                           nodata=NODATA, legend=legend),
            "potential": Layer(f"{self.crop}_potential", self.potential, self.grid,
                               kind="categorical", nodata=NODATA, legend=legend),
            "subclass": Layer(f"{self.crop}_subclass", self.subclass, self.grid,
                              kind="categorical", nodata=0),
            "index": Layer(f"{self.crop}_index", self.index, self.grid),
        }

    def to_xarray(self) -> Any:
        """Return the results as an :class:`xarray.Dataset` with the grid's CRS.

        Variables ``class``, ``potential``, ``subclass`` and ``index`` (see
        :meth:`to_layers`) on ``("y", "x")``, with the ``spatial_ref`` coordinate
        of :meth:`aez.Layer.to_xarray`. Needs the ``xarray`` extra.
        """
        import xarray as xr

        return xr.Dataset({key: layer.to_xarray() for key, layer in self.to_layers().items()},
                          attrs={"crop": self.crop, "evaluated": list(self.evaluated),
                                 "skipped": list(self.skipped)})


def match_reference(compiled: CompiledCrop, inputs: Mapping[str, Observed],
                    *, valid: NDArray[np.bool_] | None = None) -> Suitability:
    """Evaluate land against a compiled crop with numpy: the reference for every faster path.

    One full-size array per characteristic and step; clear, and slow on rasters.
    :func:`aez.evaluate.matching.match` gives the same bytes, by the fused
    kernel on large inputs.

    Parameters
    ----------
    compiled : CompiledCrop
        From :func:`~aez.evaluate.matching.compile_crop` with inputs of the same
        names, kinds and legends.
    inputs : mapping of str to Observed
        Characteristic id → observed values (in the table's units); all arrays of one shape.
    valid : ndarray of bool, optional
        Where to evaluate (True); elsewhere every output is nodata (class 0).

    Returns
    -------
    Suitability
        Class, potential class, subclass and index (dimensionless, 0–1) per cell.
    """
    quality_classes: dict[str, list[NDArray[np.uint8]]] = {}
    quality_potential: dict[str, list[NDArray[np.uint8]]] = {}
    indices: list[NDArray[np.float32]] = []
    weights: list[float] = []
    for char_id, rating in compiled.ratings.items():
        classes, index = rating.rate(inputs[char_id].values)
        condition = APPLIES_WHERE_POSITIVE.get(char_id)
        if condition is not None and condition in inputs:
            with np.errstate(invalid="ignore"):
                moot = inputs[condition].values <= 0  # e.g. peat maturity on mineral soil
            classes[moot] = NOT_APPLICABLE
            index[moot] = np.nan
        quality_classes.setdefault(rating.quality, []).append(classes)
        quality_potential.setdefault(rating.quality, []).append(
            _improve(classes, rating, inputs[char_id].values))
        indices.append(index)
        weights.append(rating.rule.weight)
    qualities = {q: _worst(c) for q, c in quality_classes.items()}
    actual = _worst(list(qualities.values()))
    potential = _worst([_worst(c) for c in quality_potential.values()])
    subclass = np.zeros(actual.shape, dtype=np.uint16)
    limited = actual != S1
    for quality in QUALITIES:
        if quality in qualities:
            subclass |= np.where(limited & (qualities[quality] == actual),
                                 np.uint16(quality_bit(quality)), np.uint16(0))
    index = aggregate_indices(indices, weights, compiled.aggregate)
    index[actual == UNKNOWN] = np.nan
    if valid is not None:
        outside = ~valid
        for arr in (actual, potential):
            arr[outside] = NODATA
        subclass[outside] = 0
        index[outside] = np.nan
    return Suitability(compiled.crop.id, actual, potential, subclass, index,
                       compiled.evaluated, compiled.skipped)


#: Class of a characteristic that does not apply to a cell; it never limits.
NOT_APPLICABLE = 0


def _worst(classes: list[NDArray[np.uint8]]) -> NDArray[np.uint8]:
    """Worst class: N if any is N, else unknown if any is unknown, else the highest code."""
    known = np.zeros(classes[0].shape, dtype=np.uint8)
    unknown = np.zeros(classes[0].shape, dtype=bool)
    for c in classes:
        is_unknown = c == UNKNOWN
        np.maximum(known, np.where(is_unknown, np.uint8(0), c), out=known)
        unknown |= is_unknown
    return np.where((known != N) & unknown, np.uint8(UNKNOWN), known).astype(np.uint8)


def _improve(classes: NDArray[np.uint8], rating: Rating, values: NDArray) -> NDArray[np.uint8]:
    """Classes after feasible improvement, on the side of the best band it helps."""
    if rating.rule.improvement == 0:
        return classes
    steps = rating.improvement_steps(values)
    rated = (classes >= S1) & (classes <= N)
    better = np.maximum(classes.astype(np.int16) - steps, S1).astype(np.uint8)
    return np.where(rated, better, classes)


def aggregate_indices(indices: list[NDArray[np.float32]], weights: list[float],
                      how: Aggregation) -> NDArray[np.float32]:
    """Combine the characteristics' indices of each cell into the land's index.

    Parameters
    ----------
    indices : list of ndarray of float32
        One index per characteristic (dimensionless, 0–1; NaN where unknown or
        not applicable), all of one shape.
    weights : list of float
        The table's weight of each characteristic (used by ``"geometric_mean"``).
    how : {"minimum", "geometric_mean", "square_root"}
        The aggregation (see :mod:`aez.evaluate.matching`).

    Returns
    -------
    ndarray of float32
        The land's index, 0–1; NaN where every characteristic's index is NaN.
    """
    lowest = indices[0].copy()
    for index in indices[1:]:
        np.fmin(lowest, index, out=lowest)
    if how == "minimum" or len(indices) == 1:
        return lowest
    if how == "geometric_mean":
        log_sum = np.zeros(lowest.shape)
        weight_sum = np.zeros(lowest.shape)
        for index, w in zip(indices, weights, strict=True):
            known = ~np.isnan(index)
            log_sum += np.where(known, w * np.log(np.maximum(index, 1e-12)), 0.0)
            weight_sum += np.where(known, w, 0.0)
        with np.errstate(invalid="ignore"):
            mean = np.exp(log_sum / weight_sum)
        return np.where(lowest == 0, 0.0, mean).astype(np.float32)
    product = np.ones(lowest.shape)
    for index in indices:
        product *= np.where(np.isnan(index), 1.0, index)
    with np.errstate(invalid="ignore", divide="ignore"):
        others = np.where(lowest > 0, product / lowest, 0.0)
    return (lowest * np.sqrt(others)).astype(np.float32)
