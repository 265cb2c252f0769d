"""Reading vector files (GeoPackage, Shapefile, GeoJSON, FlatGeobuf)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio

from aez.errors import CRSError, DataSourceError

__all__ = ["VECTOR_SUFFIXES", "read_vector"]

VECTOR_SUFFIXES: tuple[str, ...] = (".gpkg", ".shp", ".geojson", ".json", ".fgb", ".gml", ".kml")


def read_vector(
    path: str | Path,
    *,
    layer: str | None = None,
    columns: list[str] | None = None,
    require_crs: bool = True,
) -> gpd.GeoDataFrame:
    """Read a vector file into a GeoDataFrame.

    Parameters
    ----------
    path : str or Path
        Vector file.
    layer : str, optional
        Layer name inside a multi-layer file (GeoPackage).
    columns : list of str, optional
        Attribute columns to read (default: all).
    require_crs : bool, default True
        Raise ``CRSError`` when the file declares no CRS.

    Raises
    ------
    DataSourceError
        If the file is missing or unreadable, or lacks a requested column.
    CRSError
        If the file has no CRS and ``require_crs`` is True.
    """
    path = Path(path)
    if not path.exists():
        raise DataSourceError(
            f"Vector file {path} does not exist. Check the path (relative paths in a config "
            "are resolved against the config file's folder)."
        )
    kwargs: dict[str, Any] = {"layer": layer, "columns": columns}
    try:
        if columns:
            fields = list(pyogrio.read_info(path, layer=layer)["fields"])
            missing = [c for c in columns if c not in fields]
            if missing:
                raise DataSourceError(
                    f"Vector {path} has no column {missing[0]!r}; it has {fields}."
                )
        frame = pyogrio.read_dataframe(path, **kwargs)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise DataSourceError(f"Cannot read vector {path}: {exc}") from exc
    except pyogrio.errors.FieldError as exc:
        raise DataSourceError(f"Cannot read columns {columns} from {path}: {exc}") from exc
    if require_crs and frame.crs is None:
        raise CRSError(
            f"Vector {path} has no CRS. Add one (ogr2ogr -a_srs EPSG:4326 …) so its "
            "coordinates can be placed on the grid."
        )
    return frame
