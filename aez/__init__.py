"""aez: agro-ecological zoning for Indonesia.

Harmonise soil, terrain, climate and socio-economic layers onto one grid,
evaluate land suitability per commodity, and plan one product per kecamatan.

>>> import aez
>>> isinstance(aez.__version__, str)
True
"""

__version__ = "0.1.0"

from aez.assign import (
    Assignment,
    Scores,
    assess_robustness,
    assign_products,
    rank_cooperatives,
    score_table,
)
from aez.config import RunConfig, load_config
from aez.crops import CropRequirements, load_crop
from aez.derive import (
    aspect,
    distance_to,
    landform,
    slope,
    temperature_from_elevation,
    travel_time,
)
from aez.economics import (
    dynamic_location_quotient,
    klassen_typology,
    location_quotient,
    shift_share,
)
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
from aez.evaluate import AHPResult, Suitability, ahp_weights, evaluate, evaluate_units
from aez.executor import TileResult, run_tiles
from aez.grid import Grid, Tile, utm_for
from aez.harmonize import LayerSpec, LayerStack, StudyArea, TileData
from aez.io import RasterSink, read_layer, read_table, read_vector, write_geotiff
from aez.layer import Layer
from aez.zonal import district_summary

__all__ = [
    "AEZError",
    "AEZWarning",
    "AHPResult",
    "Assignment",
    "CRSError",
    "ConfigError",
    "CoverageError",
    "CoverageWarning",
    "CropRequirements",
    "DataSourceError",
    "Grid",
    "GridMismatchError",
    "InfeasibleError",
    "Layer",
    "LayerKindError",
    "LayerSpec",
    "LayerStack",
    "OutputExistsError",
    "RasterSink",
    "RunConfig",
    "Scores",
    "StudyArea",
    "Suitability",
    "Tile",
    "TileData",
    "TileResult",
    "__version__",
    "ahp_weights",
    "aspect",
    "assess_robustness",
    "assign_products",
    "distance_to",
    "district_summary",
    "dynamic_location_quotient",
    "evaluate",
    "evaluate_units",
    "klassen_typology",
    "landform",
    "load_config",
    "load_crop",
    "location_quotient",
    "rank_cooperatives",
    "read_layer",
    "read_table",
    "read_vector",
    "run_tiles",
    "score_table",
    "shift_share",
    "slope",
    "temperature_from_elevation",
    "travel_time",
    "utm_for",
    "write_geotiff",
]
