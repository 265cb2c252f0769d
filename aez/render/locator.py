"""Where the study area lies: the national outline, the locator inset and the land around a map.

The outline is ``aez/render/data/indonesia_provinces.geojson``: the 38
provinces of Indonesia (Kemendagri 2025 codes), simplified for a locator
(0.01°, about 1 km; ``layers/indonesia/build_outline.py`` writes it and
``layers/PROVENANCE.md`` says how). It ships inside the package, so an
installed aez finds it; when it is missing anyway, maps leave out the locator
and the land around the study area, and say so in the log.

* :func:`locate` chooses the locator's extent: the provinces that the study
  area's bounding box (widened by :data:`LOCATOR_PAD` degrees) touches,
  widened to the inset's shape.
* :func:`draw_locator` draws it: provinces in grey (the study area's own a
  little darker) on a light-blue sea, the study area in red, boxed when it
  is too small to see.
* :func:`draw_surroundings` paints a map frame: sea light blue, land of the
  outline light grey, the study area white under the data.

The outline covers Indonesia only: land of a neighbouring country is drawn
like the sea.

>>> [p.name for p in provinces() if p.code == "63"]
['Kalimantan Selatan']
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pyproj
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.patches import Rectangle
from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry

from aez.render.mapdata import polygon_path
from aez.render.palette import (
    AREA_COLOUR,
    COAST_COLOUR,
    HOME_LAND_COLOUR,
    LAND_COLOUR,
    SEA_COLOUR,
)

__all__ = [
    "HOME_SHARE",
    "LOCATOR_PAD",
    "OUTLINE",
    "Locator",
    "Province",
    "draw_locator",
    "draw_surroundings",
    "locate",
    "provinces",
    "to_lonlat",
]

logger = logging.getLogger(__name__)

#: The national outline shipped with the package.
OUTLINE = Path(__file__).with_name("data") / "indonesia_provinces.geojson"
#: Degrees added around the study area's bounding box to find its province(s).
LOCATOR_PAD = 0.1
#: Share of the study area a province must hold to count as its home province.
HOME_SHARE = 0.05
#: Smallest side of the study area's box on the locator, as a share of the locator's width.
MIN_BOX = 0.07
_LONLAT = pyproj.CRS.from_epsg(4326)


@dataclass(frozen=True)
class Province:
    """One province of the national outline: Kemendagri code, name, polygons in lon/lat."""

    code: str
    name: str
    geometry: BaseGeometry


@lru_cache(maxsize=2)
def provinces(path: str | Path = OUTLINE) -> tuple[Province, ...]:
    """Read the national outline (cached); an empty tuple, logged, when the file is missing."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        logger.warning("National outline %s not readable (%s); maps are drawn without a "
                       "locator and without the land around the study area.", path, exc)
        return ()
    return tuple(Province(f["properties"]["kode_kemendagri"], f["properties"]["nama"],
                          shape(f["geometry"])) for f in data["features"])


def _crs(crs: Any) -> pyproj.CRS:
    return pyproj.CRS.from_user_input(crs.to_wkt() if hasattr(crs, "to_wkt") else crs)


@lru_cache(maxsize=16)
def _transformer(wkt: str, inverse: bool) -> pyproj.Transformer:
    source, target = pyproj.CRS.from_wkt(wkt), _LONLAT
    if inverse:
        source, target = target, source
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


def _project(geometry: BaseGeometry, crs: Any, *, inverse: bool) -> BaseGeometry:
    transformer = _transformer(_crs(crs).to_wkt(), inverse)

    def move(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, move)


def to_lonlat(geometry: BaseGeometry, crs: Any) -> BaseGeometry | None:
    """``geometry`` (in ``crs``) in lon/lat degrees; None when it has no place on Earth.

    >>> to_lonlat(box(0, 0, 1, 1), "EPSG:4326").bounds
    (0.0, 0.0, 1.0, 1.0)
    """
    moved = _project(geometry, crs, inverse=False)
    coords = shapely.get_coordinates(moved)
    if (coords.size == 0 or not np.isfinite(coords).all()
            or np.abs(coords[:, 0]).max() > 180 or np.abs(coords[:, 1]).max() > 90):
        return None
    return moved


@dataclass(frozen=True)
class Locator:
    """What a locator shows: its extent and the study area, both in lon/lat degrees.

    ``home`` holds the names of the provinces the study area lies in or
    touches, ``provinces`` every province drawn.
    """

    extent: tuple[float, float, float, float]  # lon min, lon max, lat min, lat max
    area: BaseGeometry
    home: tuple[str, ...]
    provinces: tuple[Province, ...]


def _home(area: BaseGeometry, candidates: list[Province]) -> list[Province]:
    """Return the provinces holding at least :data:`HOME_SHARE` of ``area``, else the nearest.

    The outline is simplified (about 1 km), so a province that only brushes
    the area's edge is a neighbour, not a home.
    """
    if not candidates:
        return []
    hull = area.convex_hull if area.area == 0 else area
    shares = [p.geometry.intersection(hull).area / max(hull.area, 1e-12) for p in candidates]
    home = [p for p, share in zip(candidates, shares, strict=True) if share >= HOME_SHARE]
    return home or [min(candidates, key=lambda p: (p.geometry.distance(area), p.code))]


def locate(area: BaseGeometry, crs: Any, *, aspect: float) -> Locator | None:
    """Choose the locator of ``area`` (in ``crs``) for an inset of ``aspect`` = height / width.

    The extent spans the area's home provinces: of those that its bounding
    box, widened by :data:`LOCATOR_PAD` degrees, intersects, the ones holding
    at least :data:`HOME_SHARE` of its area (else the nearest one); 2° around
    the area when the box meets no province. It is padded by 5 % and widened
    to the inset's shape (longitude shrunk by the cosine of the latitude).
    None when the area has no place in lon/lat or the outline is missing.
    """
    outline = provinces()
    where = to_lonlat(area, crs) if outline else None
    if where is None:
        return None
    xmin, ymin, xmax, ymax = where.bounds
    near = box(xmin - LOCATOR_PAD, ymin - LOCATOR_PAD, xmax + LOCATOR_PAD, ymax + LOCATOR_PAD)
    home = _home(where, [p for p in outline if p.geometry.intersects(near)])
    if home:
        bounds = np.array([p.geometry.bounds for p in home] + [where.bounds])
        xmin, ymin = bounds[:, :2].min(axis=0)
        xmax, ymax = bounds[:, 2:].max(axis=0)
    else:
        xmin, ymin, xmax, ymax = xmin - 2, ymin - 2, xmax + 2, ymax + 2
    dx, dy = (xmax - xmin) * 0.05, (ymax - ymin) * 0.05
    xmin, xmax, ymin, ymax = xmin - dx, xmax + dx, ymin - dy, ymax + dy
    stretch = 1 / max(math.cos(math.radians((ymin + ymax) / 2)), 0.05)
    width, height = xmax - xmin, (ymax - ymin) * stretch
    if height / width > aspect:
        grow = (height / aspect - width) / 2
        xmin, xmax = xmin - grow, xmax + grow
    else:
        grow = (width * aspect - height) / 2 / stretch
        ymin, ymax = ymin - grow, ymax + grow
    extent = (float(xmin), float(xmax), float(ymin), float(ymax))
    frame = box(xmin, ymin, xmax, ymax)
    shown = tuple(p for p in outline if p.geometry.intersects(frame))
    return Locator(extent, where, tuple(p.name for p in home), shown)


def draw_locator(ax: Axes, locator: Locator) -> None:
    """Draw ``locator`` in ``ax`` (an inset whose shape matches the locator's extent)."""
    xmin, xmax, ymin, ymax = locator.extent
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_facecolor(SEA_COLOUR)
    frame = box(xmin, ymin, xmax, ymax)
    home = set(locator.home)
    for colour, chosen in ((LAND_COLOUR, [p for p in locator.provinces if p.name not in home]),
                           (HOME_LAND_COLOUR, [p for p in locator.provinces if p.name in home])):
        paths = [polygon_path(_polygons(p.geometry.intersection(frame))) for p in chosen]
        ax.add_collection(PathCollection(paths, facecolor=colour, edgecolor="white",
                                         linewidth=0.4, zorder=1))
    ax.add_collection(PathCollection([polygon_path(locator.area)], facecolor=AREA_COLOUR,
                                     edgecolor=AREA_COLOUR, linewidth=0.6, zorder=2))
    axmin, aymin, axmax, aymax = locator.area.bounds
    side = MIN_BOX * (xmax - xmin)
    if axmax - axmin < side and aymax - aymin < side:
        cx, cy = (axmin + axmax) / 2, (aymin + aymax) / 2
        half_x = max(axmax - axmin, side) / 2
        half_y = max(aymax - aymin, side * (ymax - ymin) / (xmax - xmin)
                     * ax.bbox.width / max(ax.bbox.height, 1)) / 2
        ax.add_patch(Rectangle((cx - half_x, cy - half_y), 2 * half_x, 2 * half_y,
                               facecolor="none", edgecolor=AREA_COLOUR, linewidth=1.0,
                               zorder=3))


def _polygons(geometry: BaseGeometry) -> BaseGeometry:
    """Return the polygon parts of ``geometry`` (an intersection may add lines and points)."""
    parts = shapely.get_parts(geometry)
    return shapely.MultiPolygon([q for p in parts if p.geom_type in ("Polygon", "MultiPolygon")
                                 for q in shapely.get_parts(p)])


@lru_cache(maxsize=32)
def _land(wkt: str, extent: tuple[float, float, float, float]
          ) -> tuple[BaseGeometry, ...] | None:
    """Land of the outline (one union) within the frame ``extent``, in the map's CRS.

    Empty when there is no land there; None when the frame has no place in lon/lat.
    """
    outline = provinces()
    xmin, xmax, ymin, ymax = extent
    transformer = _transformer(wkt, False)
    try:
        bounds = transformer.transform_bounds(xmin, ymin, xmax, ymax, densify_pts=21)
    except pyproj.exceptions.ProjError:
        return None
    if not outline or not np.isfinite(bounds).all():
        return None
    lon0, lat0, lon1, lat1 = bounds
    pad = 0.05 * max(lon1 - lon0, lat1 - lat0, 0.01)
    window = box(lon0 - pad, lat0 - pad, lon1 + pad, lat1 + pad)
    pieces = [_polygons(p.geometry.intersection(window)) for p in outline
              if p.geometry.intersects(window)]
    pieces = [g for g in pieces if not g.is_empty]
    if not pieces:
        return ()
    land = _project(_polygons(shapely.union_all(pieces)), pyproj.CRS.from_wkt(wkt), inverse=True)
    return (land,) if np.isfinite(shapely.get_coordinates(land)).all() else ()


def draw_surroundings(ax: Axes, extent: Sequence[float], crs: Any,
                      area: BaseGeometry | None = None) -> bool:
    """Paint the sea and the land of the outline under a map frame showing ``extent``.

    The frame's background becomes :data:`~aez.render.palette.SEA_COLOUR`,
    the outline's land within it :data:`~aez.render.palette.LAND_COLOUR`
    with its coast in :data:`~aez.render.palette.COAST_COLOUR` (z-order
    0.2), and ``area`` (the study area, in ``crs``) white (0.4), so data
    drawn over it (z-order 1 and above) reads as before. Returns False,
    leaving the frame white, when the frame has no place in lon/lat or the
    outline is missing.
    """
    xmin, xmax, ymin, ymax = (float(v) for v in extent)
    land = _land(_crs(crs).to_wkt(), (xmin, xmax, ymin, ymax))
    if land is None:
        return False
    ax.set_facecolor(SEA_COLOUR)
    ax.add_collection(PathCollection([polygon_path(g) for g in land], facecolor=LAND_COLOUR,
                                     edgecolor=COAST_COLOUR, linewidth=0.5, zorder=0.2))
    if area is not None:
        ax.add_collection(PathCollection([polygon_path(area)], facecolor="white",
                                         edgecolor="none", zorder=0.4))
    return True
