"""Turning generated class rasters into polygon maps that tile the study area."""

from __future__ import annotations

import numpy as np
import rasterio.features
import shapely

from aez.demo.region import PRECISION, Canvas

__all__ = ["polygonize_classes"]


def polygonize_classes(codes: np.ndarray, canvas: Canvas, *, tolerance: float | None = None
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Polygons of the patches of a class raster, simplified as a coverage and clipped.

    The classes are first spread over the cells outside the study area (each
    takes its nearest inside class), so that after clipping to the outline
    the polygons cover the study area exactly. Patches are simplified
    together (``shapely.coverage_simplify``), so neighbours keep sharing
    their edges.

    Parameters
    ----------
    codes : ndarray of int
        Class of each cell; values outside ``canvas.land`` are ignored.
    canvas : Canvas
    tolerance : float, optional
        Simplification tolerance (m); default one cell.

    Returns
    -------
    (geometries, classes)
        Arrays of polygons and of their class codes.
    """
    ir, ic = canvas.nearest_land
    spread = codes[ir, ic].astype(np.int32)
    shapes = list(rasterio.features.shapes(spread, transform=canvas.grid.transform,
                                           connectivity=4))
    geoms = np.array([shapely.geometry.shape(g) for g, _ in shapes], dtype=object)
    values = np.array([int(v) for _, v in shapes], dtype=np.int64)
    tol = canvas.res if tolerance is None else tolerance
    geoms = shapely.coverage_simplify(geoms, tol)
    shapely.prepare(canvas.outline)
    inside = shapely.within(geoms, canvas.outline)
    clipped = geoms.copy()
    clipped[~inside] = shapely.intersection(geoms[~inside], canvas.outline)
    clipped = shapely.set_precision(clipped, PRECISION)
    keep = ~shapely.is_empty(clipped) & (shapely.area(clipped) > 0)
    clipped = np.array([_polygonal(g) for g in clipped[keep]], dtype=object)
    return clipped, values[keep]


def _polygonal(geometry):  # type: ignore[no-untyped-def]
    """Drop points and lines an intersection may leave next to the polygons."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon",
                                                                       "MultiPolygon")]
    return shapely.union_all(parts)
