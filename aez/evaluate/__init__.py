"""Land evaluation: crop requirements matched against land characteristics.

See :mod:`aez.evaluate.matching` for the method, :mod:`aez.evaluate.rating`
for the class and index of one characteristic, and :mod:`aez.evaluate.classes`
for the class codes and subclass masks.
"""

from aez.evaluate.classes import (
    CLASS_LABELS,
    EXCLUDED,
    NODATA,
    S1,
    S2,
    S3,
    UNKNOWN,
    N,
    class_text,
    quality_bit,
    subclass_text,
)
from aez.evaluate.gridded import evaluate_layers, observed_from_layers
from aez.evaluate.land_units import evaluate_units, observed_from_table
from aez.evaluate.matching import (
    AGGREGATIONS,
    CompiledCrop,
    Observed,
    Suitability,
    compile_crop,
    match,
    plan,
)
from aez.evaluate.mcda import AHPResult, ahp_weights, fuzzy_membership, weighted_overlay

__all__ = [
    "AGGREGATIONS",
    "CLASS_LABELS",
    "EXCLUDED",
    "NODATA",
    "S1",
    "S2",
    "S3",
    "UNKNOWN",
    "AHPResult",
    "CompiledCrop",
    "N",
    "Observed",
    "Suitability",
    "ahp_weights",
    "class_text",
    "compile_crop",
    "evaluate_layers",
    "evaluate_units",
    "fuzzy_membership",
    "match",
    "observed_from_layers",
    "observed_from_table",
    "plan",
    "quality_bit",
    "subclass_text",
    "weighted_overlay",
]
