"""aez: agro-ecological zoning for Indonesia.

Harmonise soil, terrain, climate and socio-economic layers onto one grid,
evaluate land suitability per commodity, and plan one product per kecamatan.

>>> import aez
>>> isinstance(aez.__version__, str)
True
"""

__version__ = "0.1.0"

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
from aez.grid import Grid, Tile, utm_for
from aez.io import read_layer, read_table, read_vector, write_geotiff
from aez.layer import Layer

__all__ = [
    "AEZError",
    "AEZWarning",
    "CRSError",
    "ConfigError",
    "CoverageError",
    "CoverageWarning",
    "DataSourceError",
    "Grid",
    "GridMismatchError",
    "InfeasibleError",
    "Layer",
    "LayerKindError",
    "OutputExistsError",
    "Tile",
    "__version__",
    "read_layer",
    "read_table",
    "read_vector",
    "utm_for",
    "write_geotiff",
]
