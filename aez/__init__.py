"""aez: agro-ecological zoning for Indonesia.

Harmonise soil, terrain, climate and socio-economic layers onto one grid,
evaluate land suitability per commodity, and plan one product per kecamatan.

The top level is the short public API: the value and result types, one
function per stage, and :func:`run`, :func:`validate` and :func:`load_config`.
Each name is imported from its stage module the first time it is used
(PEP 562), so ``import aez`` loads no numerical library; the rest of every
stage stays in its own module (``aez.harmonize``, ``aez.evaluate`` …), and
``docs/architecture.md`` says which module holds what.

>>> import aez
>>> isinstance(aez.__version__, str)
True
>>> aez.Grid.__module__
'aez.grid'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from aez.version import __version__

#: Public name → the module that defines it.
_EXPORTS: dict[str, str] = {
    # value types
    "Grid": "aez.grid",
    "Layer": "aez.layer",
    "LayerStack": "aez.harmonize.stack",
    "StudyArea": "aez.harmonize.study_area",
    "RunConfig": "aez.config",
    "CropRequirements": "aez.crops.schema",
    # result types
    "Suitability": "aez.evaluate.reference",
    "SuitabilityTotals": "aez.pipeline.suitability",
    "AHPResult": "aez.evaluate.mcda",
    "Scores": "aez.assign.score",
    "Assignment": "aez.assign.milp",
    "Robustness": "aez.assign.robustness",
    "Decision": "aez.pipeline.decide",
    "RunResult": "aez.pipeline.run",
    "ValidationReport": "aez.pipeline.validate",
    # errors and warnings
    "AEZError": "aez.errors",
    "AEZWarning": "aez.errors",
    "ConfigError": "aez.errors",
    "CoverageError": "aez.errors",
    "CoverageWarning": "aez.errors",
    "CRSError": "aez.errors",
    "DataSourceError": "aez.errors",
    "GridMismatchError": "aez.errors",
    "InfeasibleError": "aez.errors",
    "LayerKindError": "aez.errors",
    "OutputExistsError": "aez.errors",
    # inputs
    "load_config": "aez.config",
    "load_crop": "aez.crops",
    "load_crops": "aez.crops",
    "read_grid": "aez.io.raster",
    "read_layer": "aez.io.raster",
    "read_table": "aez.io.table",
    "read_vector": "aez.io.vector",
    "write_geotiff": "aez.io.write",
    # stages
    "slope": "aez.derive.terrain",
    "aspect": "aez.derive.terrain",
    "landform": "aez.derive.terrain",
    "temperature_from_elevation": "aez.derive.temperature",
    "distance_to": "aez.derive.distance",
    "travel_time": "aez.derive.travel_time",
    "evaluate_layers": "aez.evaluate.gridded",
    "evaluate_units": "aez.evaluate.land_units",
    "evaluate_stack": "aez.pipeline.suitability",
    "StageOptions": "aez.pipeline.suitability",
    "district_summary": "aez.zonal.summary",
    "location_quotient": "aez.economics.lq",
    "dynamic_location_quotient": "aez.economics.lq",
    "shift_share": "aez.economics.shift_share",
    "klassen_typology": "aez.economics.klassen",
    "ahp_weights": "aez.evaluate.mcda",
    "score_table": "aez.assign.score",
    "AssignOptions": "aez.assign.options",
    "CooperativeOptions": "aez.assign.options",
    "assign_products": "aez.assign.milp",
    "assess_robustness": "aez.assign.robustness",
    "rank_cooperatives": "aez.assign.cooperatives",
    "decide": "aez.pipeline.decide",
    # the whole job
    "run": "aez.pipeline.run",
    "validate": "aez.pipeline.validate",
}

__all__ = [
    "AEZError",
    "AEZWarning",
    "AHPResult",
    "AssignOptions",
    "Assignment",
    "CRSError",
    "ConfigError",
    "CooperativeOptions",
    "CoverageError",
    "CoverageWarning",
    "CropRequirements",
    "DataSourceError",
    "Decision",
    "Grid",
    "GridMismatchError",
    "InfeasibleError",
    "Layer",
    "LayerKindError",
    "LayerStack",
    "OutputExistsError",
    "Robustness",
    "RunConfig",
    "RunResult",
    "Scores",
    "StageOptions",
    "StudyArea",
    "Suitability",
    "SuitabilityTotals",
    "ValidationReport",
    "__version__",
    "ahp_weights",
    "aspect",
    "assess_robustness",
    "assign_products",
    "decide",
    "distance_to",
    "district_summary",
    "dynamic_location_quotient",
    "evaluate_layers",
    "evaluate_stack",
    "evaluate_units",
    "klassen_typology",
    "landform",
    "load_config",
    "load_crop",
    "load_crops",
    "location_quotient",
    "rank_cooperatives",
    "read_grid",
    "read_layer",
    "read_table",
    "read_vector",
    "run",
    "score_table",
    "shift_share",
    "slope",
    "temperature_from_elevation",
    "travel_time",
    "validate",
    "write_geotiff",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'aez' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """Return the public names, for tab completion."""
    return sorted({*globals(), *_EXPORTS})


if TYPE_CHECKING:
    from aez.assign.cooperatives import rank_cooperatives
    from aez.assign.milp import Assignment, assign_products
    from aez.assign.options import AssignOptions, CooperativeOptions
    from aez.assign.robustness import Robustness, assess_robustness
    from aez.assign.score import Scores, score_table
    from aez.config import RunConfig, load_config
    from aez.crops import load_crop, load_crops
    from aez.crops.schema import CropRequirements
    from aez.derive.distance import distance_to
    from aez.derive.temperature import temperature_from_elevation
    from aez.derive.terrain import aspect, landform, slope
    from aez.derive.travel_time import travel_time
    from aez.economics.klassen import klassen_typology
    from aez.economics.lq import dynamic_location_quotient, location_quotient
    from aez.economics.shift_share import shift_share
    from aez.errors import (
        AEZError,
        AEZWarning,
        ConfigError,
        CoverageError,
        CoverageWarning,
        CRSError,
        DataSourceError,
        GridMismatchError,
        InfeasibleError,
        LayerKindError,
        OutputExistsError,
    )
    from aez.evaluate.gridded import evaluate_layers
    from aez.evaluate.land_units import evaluate_units
    from aez.evaluate.mcda import AHPResult, ahp_weights
    from aez.evaluate.reference import Suitability
    from aez.grid import Grid
    from aez.harmonize.stack import LayerStack
    from aez.harmonize.study_area import StudyArea
    from aez.io.raster import read_grid, read_layer
    from aez.io.table import read_table
    from aez.io.vector import read_vector
    from aez.io.write import write_geotiff
    from aez.layer import Layer
    from aez.pipeline.decide import Decision, decide
    from aez.pipeline.run import RunResult, run
    from aez.pipeline.suitability import StageOptions, SuitabilityTotals, evaluate_stack
    from aez.pipeline.validate import ValidationReport, validate
    from aez.zonal.summary import district_summary
