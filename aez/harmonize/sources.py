"""Sources: each input layer, read one window of the analysis grid at a time.

A source is opened once (metadata checked, vectors loaded and reprojected),
then :meth:`read` returns the window's values already on the grid. Sources
pickle, so a dask worker can rebuild them; raster handles are opened lazily,
one per thread.
"""

from __future__ import annotations

import math
import threading
import warnings
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio.features
import rasterio.transform
import shapely
from pyproj import Transformer
from rasterio._err import CPLE_BaseError  # GDAL errors raised during reads
from rasterio.errors import NotGeoreferencedWarning, RasterioError
from rasterio.windows import Window
from shapely import box, segmentize
from shapely.geometry.base import BaseGeometry

from aez.errors import AEZWarning, ConfigError, CRSError, DataSourceError, LayerKindError
from aez.grid import Grid
from aez.harmonize.burnt import BurntLayer
from aez.harmonize.coverage import covered_share
from aez.harmonize.provider_source import ProviderSource
from aez.harmonize.spec import LayerSpec
from aez.io.raster import (
    PerThreadDatasets,
    band_units,
    check_band,
    check_kind,
    check_resampling,
    default_resampling,
    open_raster,
    read_window,
    resampling_scale,
)
from aez.io.table import read_table
from aez.io.vector import read_vector
from aez.layer import CATEGORICAL_NODATA

__all__ = [
    "ProviderSource",
    "RasterSource",
    "Source",
    "VectorSource",
    "burn",
    "covered_share",
    "geojson",
    "geojson_all",
    "open_source",
    "table_source",
]

PRESENCE_LEGEND = {0: "absent", 1: "present"}


class Source:
    """Base class: a layer spec bound to the analysis grid."""

    spec: LayerSpec
    grid: Grid
    legend: dict[int, str] | None = None

    def read(self, window: Window) -> np.ndarray:
        """Values of one grid window (float32 with NaN, or int32 with the sentinel)."""
        raise NotImplementedError

    def footprint(self) -> BaseGeometry | None:
        """Area with data, in the grid CRS; None when coverage does not apply."""
        raise NotImplementedError

    def extent(self) -> BaseGeometry:
        """Outline of the source's data, in the grid CRS (for messages)."""
        raise NotImplementedError

    def covered_share(self, parts: np.ndarray, areas: np.ndarray) -> float | None:
        """Share (0–1) of the study area (``parts``, their ``areas``) the data cover; None: n/a."""
        footprint = self.footprint()
        return None if footprint is None else covered_share(footprint, parts, areas)

    def intersects(self, area: BaseGeometry | np.ndarray) -> bool:
        """Whether any of the source's data lies in ``area`` (grid CRS; or an array of parts)."""
        return bool(np.any(shapely.intersects(self.extent(), area)))

    def describe(self) -> dict[str, Any]:
        """Facts for ``aez info``: source CRS, resolution, type."""
        raise NotImplementedError


class RasterSource(PerThreadDatasets, Source):
    """A raster in any CRS, resolution and extent, warped window by window."""

    def __init__(self, spec: LayerSpec, grid: Grid) -> None:
        self.spec = spec
        self.grid = grid
        self.legend = dict(spec.legend) if spec.legend else None
        self._method = check_resampling(
            spec.resampling or default_resampling(spec.kind), spec.kind, layer=spec.name
        )
        with open_raster(spec.path) as src:
            check_band(src, spec.band, layer=spec.name, path=spec.path)
            if src.crs is None:
                raise CRSError(
                    f"Layer {spec.name!r} ({spec.path}) has no CRS. Assign one to the file "
                    "(gdal_edit.py -a_srs EPSG:xxxx) so it can be placed on the grid."
                )
            check_kind(src, spec.band, spec.kind, layer=spec.name, path=spec.path,
                       legend=self.legend)
            self._crs = src.crs
            self._bounds = tuple(src.bounds)
            self._res = src.res
            self._dtype = src.dtypes[spec.band - 1]
            self._scale = spec.scale if spec.scale is not None else src.scales[spec.band - 1]
            self._offset = spec.offset if spec.offset is not None else src.offsets[spec.band - 1]
            self._warp_scale = resampling_scale(src, grid)
            units = band_units(src, spec.band)
            if not spec.units and units:
                self.spec = replace(spec, units=units)
        self._local = threading.local()

    def read(self, window: Window) -> np.ndarray:
        """Read one grid window, warped from the raster (see :meth:`Source.read`)."""
        try:
            return read_window(
                self._dataset(self.spec.path),
                self.grid,
                window,
                band=self.spec.band,
                kind=self.spec.kind,
                resampling=self._method,
                src_nodata=self.spec.nodata,
                scale=self._scale,
                offset=self._offset,
                warp_scale=self._warp_scale,
            )
        except (RasterioError, CPLE_BaseError) as exc:
            raise DataSourceError(
                f"Cannot read layer {self.spec.name!r} from {self.spec.path}: {exc}"
            ) from exc

    def footprint(self) -> BaseGeometry:
        """Return the raster's bounds as an area in the grid CRS."""
        return _to_grid_crs(box(*self._bounds), self._crs, self.grid)

    def extent(self) -> BaseGeometry:
        """Return the raster's outline in the grid CRS (its footprint)."""
        return self.footprint()

    def describe(self) -> dict[str, Any]:
        """Describe the raster for ``aez info``: CRS, resolution, data type, bounds."""
        epsg = self._crs.to_epsg()
        return {
            "source": "raster",
            "crs": f"EPSG:{epsg}" if epsg else self._crs.to_string(),
            "res": self._res,
            "dtype": self._dtype,
            "bounds": self._bounds,
        }


class VectorSource(Source):
    """Vector features rasterized from an attribute, or as presence."""

    def __init__(self, spec: LayerSpec, grid: Grid, frame: gpd.GeoDataFrame | None = None,
                 *, origin: str = "vector") -> None:
        self.spec = spec
        self.grid = grid
        self._origin = origin
        if frame is None:
            columns = [spec.attribute] if spec.attribute else []
            frame = read_vector(spec.path, layer=spec.layer, columns=columns)
            if spec.attribute and spec.attribute not in frame.columns:
                raise DataSourceError(
                    f"Layer {spec.name!r}: {spec.path} has no attribute {spec.attribute!r}; it "
                    f"has {[c for c in frame.columns if c != 'geometry']}."
                )
        self._source_crs = frame.crs
        frame = frame[~(frame.geometry.isna() | frame.geometry.is_empty)]
        frame = frame.to_crs(grid.crs.to_wkt())
        if spec.attribute is None:
            values = np.ones(len(frame), dtype=np.int32)
            self.legend = dict(spec.legend) if spec.legend else dict(PRESENCE_LEGEND)
            self._fill: float = 0
        else:
            values, self.legend = _attribute_values(frame[spec.attribute], spec)
            self._fill = np.nan if spec.kind == "continuous" else CATEGORICAL_NODATA
        keep = ~pd.isna(values) if spec.kind == "continuous" else values != CATEGORICAL_NODATA
        self._geometry = frame.geometry.values[keep]
        self._values = values[keep]
        self._polygonal = bool(len(self._geometry)) and bool(
            np.all(np.isin(self._geometry.geom_type, ["Polygon", "MultiPolygon"]))
        )
        self._tree: Any = None
        self._dtype = np.float32 if spec.kind == "continuous" else np.int32
        span = None
        if spec.kind == "categorical":  # codes and fill, so the file may store fewer bytes
            every = np.append(self._values, self._fill)
            span = (int(every.min()), int(every.max()))
        self._burnt = BurntLayer(self.burn, grid, dtype=self._dtype, name=spec.name, span=span)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_tree"] = None
        return state

    def read(self, window: Window) -> np.ndarray:
        """Rasterize the features onto one grid window (see :meth:`Source.read`).

        The features are burnt over the whole grid on the first read and kept
        in a scratch file (:class:`~aez.harmonize.burnt.BurntLayer`).
        """
        return self._burnt.read(window)

    def prepare(self) -> None:
        """Burn the features over the whole grid now rather than on the first read."""
        self._burnt.prepare()

    def burn(self, window: Window) -> np.ndarray:
        """Rasterize the features onto one grid window directly (:func:`burn`)."""
        if self._tree is None:
            self._tree = shapely.STRtree(self._geometry)
        return burn(self._geometry, self._values, self._tree, self.grid, window,
                    fill=self._fill, dtype=self._dtype, all_touched=self.spec.all_touched)

    def footprint(self) -> BaseGeometry | None:
        """Return the union of the polygons; None for presence or non-polygon features."""
        if not len(self._geometry):
            return box(0, 0, 0, 0)
        if self.spec.attribute is None or not self._polygonal:
            return None
        return gpd.GeoSeries(self._geometry).union_all()

    def covered_share(self, parts: np.ndarray, areas: np.ndarray) -> float | None:
        """Share of the study area the polygons cover, counted on a grid of ≤ 1024 cells a side.

        The study area's parts and the layer's polygons are burnt onto the same
        grid over the parts' bounding box (cell-centre rule), without forming
        the union of either. None for presence and non-polygon layers.
        """
        if not len(self._geometry):
            return 0.0
        if self.spec.attribute is None or not self._polygonal:
            return None
        xmin, ymin, xmax, ymax = shapely.total_bounds(parts)
        size = max(xmax - xmin, ymax - ymin) / COVERAGE_CELLS
        if size <= 0:
            return 0.0
        shape = (max(1, math.ceil((ymax - ymin) / size)), max(1, math.ceil((xmax - xmin) / size)))
        transform = rasterio.transform.from_origin(xmin, ymax, size, size)
        study = rasterio.features.rasterize(((g, 1) for g in geojson_all(parts)),
                                            out_shape=shape, transform=transform, fill=0,
                                            dtype="uint8")
        inside = int(study.sum())
        if inside == 0:  # parts smaller than a cell: overlay them instead
            return covered_share(gpd.GeoSeries(self._geometry).union_all(), parts, areas)
        layer = rasterio.features.rasterize(((g, 1) for g in geojson_all(self._geometry)),
                                            out_shape=shape, transform=transform, fill=0,
                                            dtype="uint8")
        return float(np.count_nonzero(study & layer) / inside)

    def intersects(self, area: BaseGeometry | np.ndarray) -> bool:
        """Return whether any feature intersects ``area`` (grid CRS; or an array of parts)."""
        parts = np.atleast_1d(np.asarray(area, dtype=object))
        return bool(shapely.STRtree(parts).query(self._geometry, predicate="intersects").size)

    def extent(self) -> BaseGeometry:
        """Return the features' bounding box in the grid CRS (an empty box if none)."""
        if not len(self._geometry):
            return box(0, 0, 0, 0)
        return box(*gpd.GeoSeries(self._geometry).total_bounds)

    def describe(self) -> dict[str, Any]:
        """Describe the features for ``aez info``: source CRS, feature count, bounds."""
        crs = self._source_crs
        epsg = crs.to_epsg() if crs is not None else None
        return {
            "source": self._origin,
            "crs": f"EPSG:{epsg}" if epsg else str(crs),
            "res": None,
            "dtype": f"{len(self._geometry)} features",
            "bounds": tuple(self.extent().bounds),
        }


# rasterio.features.rasterize can raise a spurious "no geotransform" warning when
# several threads rasterize at once (the transform is passed and used: outputs are
# identical to a serial run). Silence exactly that message from that module.
warnings.filterwarnings(
    "ignore",
    message="Dataset has no geotransform",
    category=NotGeoreferencedWarning,
    module="rasterio.features",
)


def burn(
    geometries: np.ndarray,
    values: Sequence[Any] | np.ndarray,
    tree: Any,
    grid: Grid,
    window: Window,
    *,
    fill: float,
    dtype: Any,
    all_touched: bool = False,
) -> np.ndarray:
    """Rasterize the features that reach one window of the grid.

    Polygons burn the cells whose centre they contain (every cell they touch
    with ``all_touched``); lines burn a connected chain of cells along their
    path (GDAL's line rasterizer), points the cell they fall in. Where
    features overlap, the later one in the input order wins.

    Parameters
    ----------
    geometries : array of shapely geometries, in the grid CRS
    values : sequence
        One burn value per geometry.
    tree : shapely.STRtree or GeoPandas spatial index over ``geometries``
    grid : Grid
    window : rasterio.windows.Window
        Window of ``grid`` to fill (may extend past the grid).
    fill : float
        Value of cells no feature reaches.
    dtype : numpy dtype
    all_touched : bool
    """
    wgrid = grid.window_grid(window)
    out = np.full(wgrid.shape, fill, dtype=dtype)
    hits = np.sort(tree.query(box(*wgrid.bounds)))
    if hits.size:
        shapes = zip(geojson_all(geometries[hits]), np.asarray(values)[hits].tolist(),
                     strict=True)
        rasterio.features.rasterize(
            shapes, out=out, transform=wgrid.transform, all_touched=all_touched
        )
    return out


def geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """GeoJSON-like mapping of a geometry, with the same coordinates as ``__geo_interface__``.

    Coordinates come out of shapely as whole arrays (lists of ``[x, y]``)
    rather than point by point, which is many times faster for large polygons.

    >>> from shapely import Point, box
    >>> geojson(box(0, 0, 1, 1))["coordinates"][0][:2]
    [[1.0, 0.0], [1.0, 1.0]]
    >>> geojson(Point(2, 3))
    {'type': 'Point', 'coordinates': [2.0, 3.0]}
    """
    kind = geometry.geom_type
    z = bool(geometry.has_z)
    if kind == "Polygon":
        return {"type": kind, "coordinates": _rings(geometry, z)}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [_rings(p, z) for p in geometry.geoms]}
    if kind in ("LineString", "LinearRing", "MultiPoint"):
        return {"type": kind, "coordinates": _coordinates(geometry, z)}
    if kind == "Point":
        return {"type": kind, "coordinates": _coordinates(geometry, z)[0]}
    if kind == "MultiLineString":
        return {"type": kind, "coordinates": [_coordinates(g, z) for g in geometry.geoms]}
    return dict(geometry.__geo_interface__)  # collections: rasterio splits them itself


#: Shapely type id of each multi-part type → that of its single part.
_SINGLE = {4: 0, 5: 1, 6: 3}
_TYPE_NAMES = {0: "Point", 1: "LineString", 3: "Polygon", 4: "MultiPoint",
               5: "MultiLineString", 6: "MultiPolygon"}


def geojson_all(geometries: np.ndarray) -> list[dict[str, Any]]:
    """GeoJSON-like mappings of many geometries (as :func:`geojson`), converted together.

    Geometries of one kind (points, lines or polygons, single or multi-part,
    all 2-D or all 3-D) are converted through one ragged coordinate array;
    any other mix one by one.

    >>> from shapely import MultiPolygon, box
    >>> shapes = np.array([box(0, 0, 1, 1), MultiPolygon([box(2, 2, 3, 3)])])
    >>> [(g["type"], len(g["coordinates"])) for g in geojson_all(shapes)]
    [('Polygon', 1), ('MultiPolygon', 1)]
    """
    if not len(geometries):
        return []
    ids = shapely.get_type_id(geometries)
    kinds = set(ids.tolist())
    family = {_SINGLE.get(k, k) for k in kinds}  # 0 points, 1 lines, 3 polygons
    z = set(shapely.has_z(geometries).tolist())
    if (len(family) != 1 or not family <= set(_TYPE_NAMES) or len(z) != 1
            or bool(shapely.is_empty(geometries).any())):
        return [geojson(g) for g in geometries]
    _, coords, offsets = shapely.to_ragged_array(geometries, include_z=z.pop())
    parts: list[Any] = coords.tolist()
    for level in offsets:  # innermost first: rings, then polygons, then geometries
        parts = [parts[a:b] for a, b in pairwise(level.tolist())]
    promoted = len(kinds) > 1  # singles were read as one-part multi-geometries
    return [{"type": _TYPE_NAMES[k],
             "coordinates": part[0] if promoted and k not in _SINGLE else part}
            for k, part in zip(ids.tolist(), parts, strict=True)]


def _coordinates(geometry: BaseGeometry, z: bool) -> list[list[float]]:
    return list(shapely.get_coordinates(geometry, include_z=z).tolist())


def _rings(polygon: BaseGeometry, z: bool) -> list[list[list[float]]]:
    if polygon.is_empty:
        return []
    return [_coordinates(polygon.exterior, z),
            *(_coordinates(ring, z) for ring in polygon.interiors)]


def _attribute_values(
    column: pd.Series, spec: LayerSpec
) -> tuple[np.ndarray, dict[int, str] | None]:
    """Turn an attribute column into float32 values or int32 class codes."""
    where = f"Layer {spec.name!r} ({spec.path}, attribute {spec.attribute!r})"
    legend = dict(spec.legend) if spec.legend else None
    if spec.kind == "continuous":
        numeric = pd.to_numeric(column, errors="coerce")
        bad = column[numeric.isna() & column.notna()]
        if len(bad):
            raise LayerKindError(
                f"{where} is declared continuous but holds text such as {bad.iloc[0]!r}. "
                "Declare kind = \"categorical\" with a legend, or fix the column."
            )
        return numeric.to_numpy(dtype=np.float32, na_value=np.nan), None
    codes = np.full(len(column), CATEGORICAL_NODATA, dtype=np.int32)
    present = column.notna().to_numpy()
    values = column[present]
    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.notna().all():
        if not np.array_equal(numeric, np.round(numeric)):
            bad = numeric[numeric != np.round(numeric)].iloc[0]
            raise LayerKindError(
                f"{where} is declared categorical but holds the non-integer value {bad}. "
                "Declare kind = \"continuous\", or fix the column."
            )
        codes[present] = numeric.to_numpy(dtype=np.int64)
        return codes, legend
    if legend is None:
        raise ConfigError(
            f"{where} holds text class labels such as {values.iloc[0]!r}. Give the layer a "
            "legend mapping integer codes to these labels, e.g. legend = { 1 = \"well\" }."
        )
    lookup = {label: code for code, label in legend.items()}
    unknown = sorted(set(values.astype(str)) - set(lookup))
    if unknown:
        raise ConfigError(
            f"{where} holds the label {unknown[0]!r}, which is not in its legend. Allowed "
            f"labels: {', '.join(lookup)}. Add it to the legend or fix the data."
        )
    codes[present] = values.astype(str).map(lookup).to_numpy(dtype=np.int64)
    return codes, legend


def table_source(spec: LayerSpec, grid: Grid, districts: gpd.GeoDataFrame | None) -> VectorSource:
    """Join a CSV/XLSX table to the study-area districts by code, then rasterize it."""
    if districts is None:
        raise ConfigError(
            f"Layer {spec.name!r} reads a table ({spec.path.name}), which is joined to district "
            "polygons: declare a [study_area] first."
        )
    join, attribute = str(spec.join), str(spec.attribute)  # both required by LayerSpec
    join_to = spec.join_to or join
    if join_to not in districts.columns:
        raise ConfigError(
            f"Layer {spec.name!r}: the study area has no column {join_to!r} to join "
            f"{spec.path.name} on; it has {[c for c in districts.columns if c != 'geometry']}. "
            "Set join_to to one of them."
        )
    table = read_table(spec.path, sheet=spec.layer, text_columns=[join],
                       numeric_columns=[attribute] if spec.kind == "continuous" else None)
    if attribute not in table.columns:
        raise DataSourceError(
            f"Layer {spec.name!r}: table {spec.path} has no column {attribute!r}; it has "
            f"{list(table.columns)}."
        )
    keys = table[join].astype(str).str.strip()
    if keys.duplicated().any():
        raise DataSourceError(
            f"Layer {spec.name!r}: table {spec.path} has the code "
            f"{keys[keys.duplicated()].iloc[0]!r} "
            f"more than once in column {join!r}; each district needs one row."
        )
    lookup = pd.Series(table[attribute].to_numpy(), index=keys.to_numpy())
    district_keys = districts[join_to].astype(str).str.strip()
    unmatched = sorted(set(lookup.index) - set(district_keys))
    missing = sorted(set(district_keys) - set(lookup.index))
    if unmatched or missing:
        warnings.warn(
            f"Layer {spec.name!r}: {len(unmatched)} table row(s) match no district "
            f"({', '.join(unmatched[:5])}) and {len(missing)} district(s) have no row "
            f"({', '.join(missing[:5])}); those districts get nodata.",
            AEZWarning,
            stacklevel=2,
        )
    frame = gpd.GeoDataFrame(
        {attribute: lookup.reindex(district_keys.to_numpy()).to_numpy()},
        geometry=districts.geometry.to_numpy(),
        crs=districts.crs,
    )
    return VectorSource(spec, grid, frame, origin="table")


def spt_source(spec: LayerSpec, grid: Grid) -> VectorSource:
    """Read an SPT polygon map through its mapping profile, then rasterize one characteristic."""
    from aez.sources.spt import read_spt

    frame, outputs = read_spt([spec.path], profile=spec.profile, layer=spec.layer)
    name = spec.provides
    if name not in outputs:
        raise ConfigError(
            f"Layer {spec.name!r}: the SPT map {spec.path.name} gives {', '.join(outputs)} "
            f"through its profile, not {name!r}. Set role = one of those."
        )
    out = outputs[name]
    spec = replace(spec, attribute=name, kind=out.kind, units=out.units, legend=out.legend)
    return VectorSource(spec, grid, frame[[name, "geometry"]], origin="spt")


def open_source(spec: LayerSpec, grid: Grid, districts: gpd.GeoDataFrame | None = None) -> Source:
    """Open the right kind of source for a layer spec."""
    if spec.source == "spt":
        return spt_source(spec, grid)
    if spec.source is not None:
        return ProviderSource(spec, grid)  # type: ignore[return-value]  # a Source by interface
    kind = spec.source_type
    if kind == "raster":
        return RasterSource(spec, grid)
    if kind == "vector":
        return VectorSource(spec, grid)
    return table_source(spec, grid, districts)


def _to_grid_crs(geometry: BaseGeometry, crs: Any, grid: Grid) -> BaseGeometry:
    if crs == grid.crs:
        return geometry
    left, bottom, right, top = geometry.bounds
    step = max(right - left, top - bottom) / 64 or 1.0
    dense = segmentize(geometry, step)
    to_grid = Transformer.from_crs(crs.to_wkt(), grid.crs.to_wkt(), always_xy=True)
    return shapely.transform(
        dense, lambda xy: np.column_stack(to_grid.transform(xy[:, 0], xy[:, 1]))
    )


#: Cells on the longer side of the grid on which polygon layers' coverage is counted.
COVERAGE_CELLS = 1024
