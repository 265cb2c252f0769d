"""The outline of the demo kabupaten: size presets, coast, study area and analysis grid.

A synthetic region lies in UTM zone 50S (EPSG:32750) on a south coast, like
the kabupaten of South Kalimantan: the sea is to the south (and south-east);
to the west, north and east the kabupaten borders its neighbours along
gently winding lines. The coastline is a fractal curve drawn on a lattice of
fixed spacing, so the same seed gives the same coast at any resolution.

With a boundary file instead, the study area is the union of its polygons
(in the UTM zone of the region, :func:`aez.grid.utm_for`) and the generator
treats the outside cells south of the region's centre as sea when it shapes
the landforms.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio.features
import shapely
from affine import Affine
from scipy import ndimage
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from aez.demo.distance import distance, nearest
from aez.demo.fields import NoiseField, Warp, chaikin, rng_for
from aez.errors import ConfigError, DataSourceError
from aez.grid import Grid, utm_for
from aez.harmonize.study_area import StudyArea

__all__ = [
    "CENTRE",
    "CRS",
    "SIZES",
    "Canvas",
    "RegionSize",
    "boundary_canvas",
    "cells_by_label",
    "synthetic_canvas",
]

#: CRS of the synthetic region: WGS 84 / UTM zone 50S.
CRS = "EPSG:32750"
#: Coordinate precision of every generated polygon (m), so shared vertices coincide exactly.
PRECISION = 0.01
#: Centre of the synthetic region (easting, northing in EPSG:32750), about 115.5° E, 3.7° S.
CENTRE = (330_000.0, 9_590_000.0)


@dataclass(frozen=True)
class RegionSize:
    """A size preset: extent (m) and the range of the number of kecamatan."""

    width: float
    height: float
    kecamatan: tuple[int, int]


#: Size presets of ``aez demo --size``.
SIZES: dict[str, RegionSize] = {
    "small": RegionSize(20_000.0, 15_000.0, (6, 8)),
    "medium": RegionSize(60_000.0, 45_000.0, (10, 15)),
    "large": RegionSize(120_000.0, 90_000.0, (16, 22)),
}


@dataclass(frozen=True, eq=False)
class Canvas:
    """The study area on the analysis grid, and the distances the landforms are shaped by.

    Attributes
    ----------
    grid : Grid
        The analysis grid (the study area's bounds, snapped to the resolution).
    outline : Polygon or MultiPolygon
        The study area (the kabupaten), in the grid CRS.
    land : ndarray of bool
        Cells whose centre lies in the study area.
    sea : ndarray of bool
        Cells treated as sea when shaping landforms (outside the study area).
    districts : GeoDataFrame, optional
        Kecamatan polygons read from a boundary file (boundary mode only).
    """

    grid: Grid
    outline: BaseGeometry
    land: np.ndarray
    sea: np.ndarray
    districts: gpd.GeoDataFrame | None = None

    @property
    def res(self) -> float:
        """Cell size (m)."""
        return float(self.grid.res[0])

    @cached_property
    def x(self) -> np.ndarray:
        """Easting of cell centres, shape ``(1, cols)`` (m)."""
        t = self.grid.transform
        return (t.c + (np.arange(self.grid.width) + 0.5) * t.a)[None, :]

    @cached_property
    def y(self) -> np.ndarray:
        """Northing of cell centres, shape ``(rows, 1)`` (m)."""
        t = self.grid.transform
        return (t.f + (np.arange(self.grid.height) + 0.5) * t.e)[:, None]

    @cached_property
    def coast_km(self) -> np.ndarray:
        """Distance of every cell from the nearest sea cell (km)."""
        if not self.sea.any():
            # No sea in reach: measure from the grid's southern edge.
            rows = np.arange(self.grid.height, dtype=np.float64)[::-1, None] + 0.5
            return np.broadcast_to(rows * self.res / 1000.0, self.grid.shape).copy()
        km = distance(~self.sea)
        km *= self.res
        km /= 1000.0
        return km

    @cached_property
    def inland_km(self) -> np.ndarray:
        """Distance of every study-area cell from the outside of the study area (km)."""
        padded = np.pad(self.land, 1, constant_values=False)
        km = distance(padded)[1:-1, 1:-1] * self.res
        km /= 1000.0
        return km

    @cached_property
    def nearest_land(self) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of the nearest study-area cell of every cell (itself if inside)."""
        rows, cols = nearest(~self.land)
        return rows, cols

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """Grid bounds (m)."""
        return self.grid.bounds

    @property
    def extent(self) -> float:
        """Shorter side of the grid (m): the yardstick that scales landforms."""
        left, bottom, right, top = self.grid.bounds
        return float(min(right - left, top - bottom))


def rasterize_polygon(geometry: BaseGeometry, grid: Grid) -> np.ndarray:
    """Boolean array of the cells whose centre lies in ``geometry``."""
    if geometry.is_empty:
        return np.zeros(grid.shape, dtype=bool)
    out = rasterio.features.rasterize(
        [(geometry, 1)], out_shape=grid.shape, transform=grid.transform, fill=0,
        dtype="uint8",
    )
    return out.astype(bool)


def cells_by_label(labels: np.ndarray, n: int, *, where: np.ndarray | None = None
                   ) -> list[np.ndarray]:
    """Flat indices of the cells of each label ``0 … n-1``, each in ascending order.

    One stable sort instead of one scan of the whole grid per label: item ``k``
    equals ``np.flatnonzero((labels == k) & where)``.

    >>> [c.tolist() for c in cells_by_label(np.array([[1, 0], [1, -1]]), 3)]
    [[1], [0, 2], []]
    """
    flat = labels.ravel()
    keep = flat >= 0 if where is None else (flat >= 0) & where.ravel()
    cells = np.flatnonzero(keep)
    cells = cells[np.argsort(flat[cells], kind="stable")]
    bounds = np.searchsorted(flat[cells], np.arange(n + 1), side="left")
    return [cells[bounds[k]:bounds[k + 1]] for k in range(n)]


def _largest(geometry: BaseGeometry) -> Polygon:
    if isinstance(geometry, Polygon):
        return geometry
    parts = [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    polys = [p for g in parts for p in (g.geoms if isinstance(g, MultiPolygon) else [g])]
    if not polys:
        raise ConfigError("The generated outline has no polygon; try another seed.")
    return max(polys, key=lambda p: p.area)


def _smooth_polygon(poly: Polygon, tolerance: float) -> Polygon:
    ring = np.asarray(poly.simplify(tolerance).exterior.coords)
    return shapely.make_valid(Polygon(chaikin(ring, iterations=3, closed=True))).buffer(0)


def synthetic_canvas(*, seed: int, size: str, resolution: float) -> Canvas:
    """Make the outline of a synthetic south-coast kabupaten.

    Parameters
    ----------
    seed : int
        Random seed.
    size : {"small", "medium", "large"}
        Extent preset (:data:`SIZES`).
    resolution : float
        Cell size of the analysis grid (m).
    """
    if size not in SIZES:
        raise ConfigError(f"size = {size!r}; expected one of {', '.join(SIZES)}.")
    preset = SIZES[size]
    width, height = preset.width, preset.height
    left, bottom = CENTRE[0] - width / 2, CENTRE[1] - height / 2
    rng = rng_for(seed, "outline")

    # Coast: the zero line of a tilted plane plus fractal noise, on a fixed lattice that
    # reaches past the frame (so smoothing never rounds the frame's corners into sea).
    step = width / 600.0
    pad = 0.1 * width
    outer = (left - pad, bottom - pad, left + width + pad, bottom + height + pad)
    noise = NoiseField(rng, outer, scale=0.3 * width, spacing=step, beta=3.6)
    cols, rows = int((width + 2 * pad) / step), int((height + 2 * pad) / step)
    lx = outer[0] + (np.arange(cols) + 0.5) * step
    ly = outer[3] - (np.arange(rows) + 0.5) * step
    u = (lx[None, :] - left) / width
    v = (ly[:, None] - bottom) / height
    bay = 0.10 * np.exp(-(((u - rng.uniform(0.25, 0.55)) / 0.07) ** 2))
    east = 0.9 * np.maximum(0.0, u - 0.80) * np.maximum(0.0, 1.0 - v / 0.6)
    d = v - 0.16 - east - bay * np.maximum(0.0, 1.0 - v / 0.4) + 0.06 * noise(lx[None, :],
                                                                             ly[:, None])
    land_lattice = ndimage.binary_fill_holes(d > 0)
    transform = Affine(step, 0.0, outer[0], 0.0, -step, outer[3])
    shapes = [shapely.geometry.shape(g) for g, val in rasterio.features.shapes(
        land_lattice.astype(np.uint8), mask=land_lattice, transform=transform) if val == 1]
    land_poly = _smooth_polygon(_largest(shapely.union_all(shapes)), step)

    # Borders with the neighbouring kabupaten: an inset rectangle with winding edges.
    inset = 0.02 * width
    frame = box(left + inset, bottom - 0.2 * height, left + width - inset, bottom + height - inset)
    warp = Warp(rng_for(seed, "border"), wavelength=0.35 * width, stretch=0.5)
    frame = shapely.transform(shapely.segmentize(frame, width / 300.0), warp)
    outline = _largest(shapely.make_valid(land_poly.intersection(frame)))
    outline = shapely.set_precision(Polygon(outline.exterior), PRECISION)

    grid = Grid.from_bounds(outline.bounds, resolution=resolution, crs=CRS)
    land = rasterize_polygon(outline, grid)
    sea = ~rasterize_polygon(land_poly, grid)
    return Canvas(grid=grid, outline=outline, land=land, sea=sea)


def boundary_canvas(path: str | Path, *, id_column: str, name_column: str | None = None,
                    resolution: float) -> Canvas:
    """Make a canvas whose study area and kecamatan come from a polygon file (any CRS).

    Raises
    ------
    DataSourceError
        If the file cannot be read, holds no polygons, or repeats a kecamatan code.
    ConfigError
        If ``id_column`` or ``name_column`` is missing.
    """
    from aez.io import read_vector

    frame = read_vector(path)
    for column in (id_column, name_column):
        if column is not None and column not in frame.columns:
            raise ConfigError(
                f"Boundary file {path} has no column {column!r}; it has "
                f"{[c for c in frame.columns if c != 'geometry']}. Pass the columns holding "
                "the kecamatan code and name, e.g. id_column=\"kode\" and name_column=\"nama\"."
            )
    frame = frame[frame.geom_type.isin(["Polygon", "MultiPolygon"])]
    if frame.empty:
        raise DataSourceError(f"Boundary file {path} holds no polygons.")
    crs = utm_for(frame)
    frame = StudyArea.from_frame(frame, grid_crs=crs, id_column=id_column,
                                 name_column=name_column, origin=f"boundary file {path}").districts
    frame["geometry"] = shapely.make_valid(frame.geometry.values)
    frame["geometry"] = shapely.set_precision(frame.geometry.values, PRECISION)
    outline = shapely.union_all(frame.geometry.values)
    grid = Grid.from_bounds(outline.bounds, resolution=resolution, crs=f"EPSG:{crs.to_epsg()}")
    land = rasterize_polygon(outline, grid)
    if not land.any():
        raise DataSourceError(
            f"Boundary file {path} covers no cell centre at {resolution} m; use a finer "
            "resolution, e.g. resolution=25."
        )
    canvas = Canvas(grid=grid, outline=outline, land=land, sea=np.zeros_like(land))
    south = np.broadcast_to(canvas.y < outline.centroid.y, grid.shape)
    districts = frame[[id_column, *([name_column] if name_column else []), "geometry"]]
    return Canvas(grid=grid, outline=outline, land=land, sea=~land & south,
                  districts=districts)
