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

**Two implementations, one result.** :func:`match` hands large inputs to the
fused kernel (:mod:`aez.evaluate.kernel`) and small ones to the numpy
reference (:mod:`aez.evaluate.reference`, home of :class:`Observed`,
:class:`CompiledCrop` and :class:`Suitability`, re-exported here). Both give
the same bytes. The dependency runs one way: this module uses the kernel (on
first use, so that numba loads only then) and the reference, the kernel uses
the reference, and neither imports this module.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping

import numpy as np
from numpy.typing import NDArray

from aez.characteristics import canonical_units
from aez.crops.schema import CropRequirements
from aez.errors import AEZWarning, ConfigError, LayerKindError
from aez.evaluate.rating import Rating, compile_rule
from aez.evaluate.reference import (
    AGGREGATIONS,
    Aggregation,
    CompiledCrop,
    Observed,
    Suitability,
    match_reference,
)

__all__ = ["AGGREGATIONS", "KERNEL_MIN_SIZE", "CompiledCrop", "Observed", "Suitability",
           "compile_crop", "match", "match_reference", "plan"]


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
