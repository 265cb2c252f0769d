"""File input and output: rasters, vectors, tables, and safe GeoTIFF writers.

Every GDAL/OGR failure surfaces as :class:`~aez.errors.DataSourceError`
naming the file.
"""

from aez.io.atomic import atomic_output, check_output_path
from aez.io.bps import read_bps_table, read_pdrb
from aez.io.raster import open_raster, read_grid, read_layer, read_window
from aez.io.table import read_table
from aez.io.vector import read_vector
from aez.io.write import RasterSink, write_geotiff

__all__ = [
    "RasterSink",
    "atomic_output",
    "check_output_path",
    "open_raster",
    "read_bps_table",
    "read_grid",
    "read_layer",
    "read_pdrb",
    "read_table",
    "read_vector",
    "read_window",
    "write_geotiff",
]
