"""Match land characteristics against a crop's requirements (law of the minimum).

For each crop and each pixel or land unit:

1. every characteristic gets a class and an index (:mod:`aez.evaluate.rating`);
2. a land quality takes the worst class of its characteristics;
3. the land takes the worst quality class; the subclass marks the qualities
   that set it (:mod:`aez.evaluate.classes`);
4. the *potential* class repeats steps 2–3 after each characteristic gains the
   classes its feasible improvement allows.

**Missing inputs, one policy.** A characteristic with no input at all (no
layer, no column) is skipped; :func:`plan` warns once and the result lists
what was evaluated. A missing *value* (NaN, or a categorical nodata code) in a
characteristic that is present makes its quality unknown, and the land
unknown, unless another quality is already N, which no missing value can
improve. Missing data is never read as suitable.

A characteristic that does not apply to a cell is ignored there: peat
maturity on mineral soil (peat depth 0), see
:data:`aez.characteristics.APPLIES_WHERE_POSITIVE`.

**Index aggregation.** ``"minimum"`` (default) takes the lowest characteristic
index, consistent with the classes: an S2 pixel never scores above 0.75, an
S1 pixel never below. Alternatives: ``"geometric_mean"`` (weighted by the
table's weights) and ``"square_root"``, the parametric index of Khiddir
(1986), I = R_min · √(∏ other ratings). Both are smoother rankings that can
cross class limits; land of unknown class has a NaN index in every mode.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from aez.characteristics import APPLIES_WHERE_POSITIVE, QUALITIES, canonical_units
from aez.crops.schema import CropRequirements
from aez.errors import AEZWarning, ConfigError, LayerKindError
from aez.evaluate.classes import NODATA, S1, UNKNOWN, N, quality_bit
from aez.evaluate.rating import Rating, compile_rule

__all__ = ["AGGREGATIONS", "KERNEL_MIN_SIZE", "CompiledCrop", "Observed", "Suitability",
           "compile_crop", "match", "match_reference", "plan"]

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
    """A crop's ratings, compiled for the inputs at hand (see :func:`compile_crop`)."""

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
    """

    crop: str
    actual: NDArray[np.uint8]
    potential: NDArray[np.uint8]
    subclass: NDArray[np.uint16]
    index: NDArray[np.float32]
    evaluated: tuple[str, ...]
    skipped: tuple[str, ...]


def plan(crop: CropRequirements, available: Iterable[str], *,
         warn: bool = True) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split a crop's characteristics into those with an input and those without.

    Warns (:class:`~aez.errors.AEZWarning`) listing the skipped ones; raises
    :class:`~aez.errors.ConfigError` when no characteristic has an input.
    """
    have = set(available)
    evaluated = tuple(c for c in crop.rules if c in have)
    skipped = tuple(c for c in crop.rules if c not in have)
    if not evaluated:
        raise ConfigError(
            f"No input provides any characteristic of crop {crop.id!r} "
            f"({', '.join(crop.rules)}). Give layers or columns these names (or roles)."
        )
    if skipped and warn:
        warnings.warn(
            f"{crop.id}: no input for {', '.join(skipped)}; these characteristics are skipped "
            f"and the result rests on {', '.join(evaluated)}.",
            AEZWarning, stacklevel=2,
        )
    return evaluated, skipped


def compile_crop(crop: CropRequirements, inputs: Mapping[str, Observed], *,
                 aggregate: Aggregation = "minimum") -> CompiledCrop:
    """Compile the crop's rules for these inputs, checking kinds, legends and units.

    Characteristics without an input are skipped silently here (see :func:`plan`).
    """
    if aggregate not in AGGREGATIONS:
        raise ConfigError(f"aggregate = {aggregate!r}; expected one of {AGGREGATIONS}.")
    ratings: dict[str, Rating] = {}
    for char_id, rule in crop.rules.items():
        observed = inputs.get(char_id)
        if observed is None:
            continue
        what = f"Input {observed.name or char_id!r} for {char_id}"
        if rule.categorical and observed.legend is None:
            raise LayerKindError(
                f"{what} holds numbers, but {crop.id}'s table rates {char_id} by class. Declare "
                "the layer categorical with a legend of class labels."
            )
        if not rule.categorical and observed.legend is not None:
            raise LayerKindError(
                f"{what} holds class codes, but {crop.id}'s table rates {char_id} by value. "
                "Declare the layer continuous."
            )
        if not rule.categorical and observed.units is not None:
            units = canonical_units(observed.units)
            if units != rule.units:
                raise ConfigError(
                    f"{what} is in {observed.units!r}, but {crop.id}'s table expects "
                    f"{rule.units or 'no units'!r}. Convert the layer (or fix its `units`)."
                )
        try:
            ratings[char_id] = compile_rule(rule, dict(observed.legend or {}))
        except ConfigError as exc:
            raise ConfigError(f"{what} (crop {crop.id}): {exc}") from None
    return CompiledCrop(crop, ratings, aggregate)


#: Inputs of at least this many cells are evaluated by the compiled kernel
#: (:mod:`aez.evaluate.kernel`); smaller ones, such as land-unit tables, by the
#: numpy reference, which needs no compilation. Both give the same bytes.
KERNEL_MIN_SIZE = 4096


def match(compiled: CompiledCrop, inputs: Mapping[str, Observed],
          *, valid: NDArray[np.bool_] | None = None) -> Suitability:
    """Evaluate land against a compiled crop.

    Parameters
    ----------
    compiled : CompiledCrop
        From :func:`compile_crop` with inputs of the same names, kinds and legends.
    inputs : mapping of str to Observed
        Characteristic id → observed values; all arrays of one shape.
    valid : ndarray of bool, optional
        Where to evaluate (True); elsewhere every output is nodata (class 0).

    Notes
    -----
    The result is byte for byte that of :func:`match_reference`. From
    :data:`KERNEL_MIN_SIZE` cells on, the fused kernel computes it
    (:func:`aez.evaluate.kernel.match_crops`, which also takes several crops
    in one pass).
    """
    first = next(iter(compiled.ratings), None)
    if first is not None and np.size(inputs[first].values) >= KERNEL_MIN_SIZE:
        from aez.evaluate.kernel import match_crops  # numba loads on first use

        return match_crops([compiled], inputs, valid=valid)[0]
    return match_reference(compiled, inputs, valid=valid)


def match_reference(compiled: CompiledCrop, inputs: Mapping[str, Observed],
                    *, valid: NDArray[np.bool_] | None = None) -> Suitability:
    """Evaluate land against a compiled crop with numpy: the reference for :func:`match`.

    One full-size array per characteristic and step; clear, and slow on rasters.
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
    index = _aggregate(indices, weights, compiled.aggregate)
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


def _aggregate(indices: list[NDArray[np.float32]], weights: list[float],
               how: Aggregation) -> NDArray[np.float32]:
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
