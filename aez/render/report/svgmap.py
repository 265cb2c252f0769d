"""Kecamatan polygons as compact SVG paths, for the report's interactive map.

:func:`svg_shapes` moves the polygons into screen units (the longest side of
the map is :data:`SVG_SIZE` px, y down), simplifies them for that size
(shared borders stay shared when the polygons form a clean coverage), rounds
every vertex to 0.1 px and writes each one as a relative SVG path, so the
markup is small and the same polygons always give the same text.
:func:`hatch_pattern` draws the palette's hatches (:mod:`aez.render.palette`)
as SVG pattern tiles, so the map and the atlas look alike.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

__all__ = ["HATCH_TILE", "SVG_SIZE", "SvgShapes", "hatch_pattern", "svg_shapes"]

#: Longest side of the interactive map, in SVG px.
SVG_SIZE = 1000
#: Simplification tolerance, in SVG px: finer detail would not show on a screen.
TOLERANCE = 0.6
#: Margin around the polygons, in SVG px.
MARGIN = 6
#: Side of a hatch pattern tile, in SVG px.
HATCH_TILE = 6


@dataclass(frozen=True)
class SvgShapes:
    """Polygons as SVG path data in a ``0 0 width height`` view box.

    Attributes
    ----------
    width, height : int
        The view box, in SVG px.
    paths : tuple of str
        One path (``d`` attribute, even-odd fill) per polygon given, in order.
    outlines : tuple of str
        The outer boundary of each group (kabupaten), in order of first appearance.
    anchors : tuple of (float, float, float)
        Per polygon, a label point inside its largest part (x, y, rounded to
        0.1 px) and the width of that part (px).
    """

    width: int
    height: int
    paths: tuple[str, ...]
    outlines: tuple[str, ...]
    anchors: tuple[tuple[float, float, float], ...] = ()


def svg_shapes(geometries: Sequence[BaseGeometry], *, geographic: bool,
               groups: Sequence[str] | None = None, size: int = SVG_SIZE) -> SvgShapes:
    """Turn polygons into compact SVG paths scaled to ``size`` px on their longest side.

    Parameters
    ----------
    geometries : sequence of Polygon or MultiPolygon
        The kecamatan, in a projected CRS (metres) or in degrees.
    geographic : bool
        Coordinates are longitude and latitude: x is shrunk by the cosine of
        the middle latitude, so that shapes keep their proportions.
    groups : sequence of str, optional
        A group (kabupaten) per polygon, whose outer boundary is drawn
        separately. Default: one group.
    size : int
        Longest side of the map, in SVG px.

    Returns
    -------
    SvgShapes

    Examples
    --------
    >>> from shapely.geometry import box
    >>> out = svg_shapes([box(0, 0, 2, 1), box(2, 0, 4, 1)], geographic=False, size=100)
    >>> out.width, out.height, out.paths[0]
    (100, 34, 'M50 28v-22h-44v22z')
    """
    shapes = np.asarray(geometries, dtype=object)
    if not len(shapes):
        raise ValueError("svg_shapes needs at least one polygon.")
    x0, y0, x1, y1 = shapely.total_bounds(shapes)
    squeeze = math.cos(math.radians((y0 + y1) / 2)) if geographic else 1.0
    span = max((x1 - x0) * squeeze, y1 - y0) or 1.0
    scale = (size - 2 * MARGIN) / span
    width = round((x1 - x0) * squeeze * scale) + 2 * MARGIN
    height = round((y1 - y0) * scale) + 2 * MARGIN

    def to_screen(xy: np.ndarray) -> np.ndarray:
        return np.column_stack([MARGIN + (xy[:, 0] - x0) * squeeze * scale,
                                MARGIN + (y1 - xy[:, 1]) * scale])

    screen = shapely.transform(shapes, to_screen)
    if bool(shapely.coverage_is_valid(screen)):
        simple = shapely.coverage_simplify(screen, TOLERANCE)
    else:
        simple = shapely.simplify(screen, TOLERANCE, preserve_topology=True)
    keys = list(groups) if groups is not None else [""] * len(simple)
    order = list(dict.fromkeys(keys))
    outlines = []
    for key in order:
        union = shapely.union_all(simple[[k == key for k in keys]])
        rings = [shapely.simplify(shapely.Polygon(p.exterior), 0.0) for p in _polygons(union)]
        outlines.append(_path(rings))
    return SvgShapes(width, height, tuple(_path(_polygons(g)) for g in simple),
                     tuple(outlines), tuple(_anchor(g) for g in simple))


def _anchor(geometry: BaseGeometry) -> tuple[float, float, float]:
    """Label point of the largest part (its pole of inaccessibility) and that part's width."""
    parts = _polygons(geometry)
    if not parts:
        return (0.0, 0.0, 0.0)
    part = max(parts, key=lambda p: (p.area, p.bounds))
    pole = polylabel(part, tolerance=1.0)
    x0, _, x1, _ = part.bounds
    return (round(pole.x, 1), round(pole.y, 1), round(x1 - x0, 1))


def _polygons(geometry: BaseGeometry) -> list[shapely.Polygon]:
    """Return the polygons of any geometry (lines and points of a collection are left out)."""
    if isinstance(geometry, shapely.Polygon):
        return [] if geometry.is_empty else [geometry]
    if hasattr(geometry, "geoms"):
        return [p for g in geometry.geoms for p in _polygons(g)]
    return []


def _path(polygons: Sequence[shapely.Polygon]) -> str:
    """SVG path data of the rings of ``polygons``: 0.1 px integers, relative moves."""
    out: list[str] = []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            out.append(_ring(np.asarray(ring.coords)))
    return "".join(out)


def _ring(coords: np.ndarray) -> str:
    tenths = np.round(coords[:, :2] * 10).astype(np.int64)
    keep = np.ones(len(tenths), dtype=bool)
    keep[1:] = np.any(tenths[1:] != tenths[:-1], axis=1)
    tenths = tenths[keep]
    if len(tenths) > 1 and np.array_equal(tenths[0], tenths[-1]):
        tenths = tenths[:-1]
    if len(tenths) < 3:
        return ""
    parts = [f"M{_num(tenths[0, 0])} {_num(tenths[0, 1])}"]
    steps = np.diff(tenths, axis=0)
    command = ""
    for dx, dy in steps.tolist():
        if dy == 0:
            parts.append(f"h{_num(dx)}")
            command = ""
        elif dx == 0:
            parts.append(f"v{_num(dy)}")
            command = ""
        else:
            pair = f"{_num(dx)}{_num(dy, glue=True)}"
            if command == "l":
                parts.append(pair if pair.startswith("-") else " " + pair)
            else:
                parts.append("l" + pair)
            command = "l"
    return "".join(parts) + "z"


def _num(tenths: int, *, glue: bool = False) -> str:
    """Write a number of tenths as SVG text: 15 → "1.5", -20 → "-2", 5 → ".5".

    ``glue`` puts a space before a non-negative number, which follows another number.
    """
    sign = "-" if tenths < 0 else ""
    whole, frac = divmod(abs(tenths), 10)
    text = f"{sign}{whole if whole or not frac else ''}{'.' + str(frac) if frac else ''}"
    return text if (not glue or sign) else " " + text


#: Pattern strokes per hatch of :mod:`aez.render.palette` (path data in a tile).
_STROKES = {
    "/": "M-1 1l2-2M0 6l6-6M5 7l2-2",
    "\\": "M-1 5l2 2M0 0l6 6M5-1l2 2",
    "x": "M-1 1l2-2M0 6l6-6M5 7l2-2M-1 5l2 2M0 0l6 6M5-1l2 2",
    "-": "M0 3h6",
    "|": "M3 0v6",
    "+": "M0 3h6M3 0v6",
}


def hatch_pattern(hatch: str) -> tuple[str, str]:
    r"""Return path data and paint (``"stroke"`` or ``"fill"``) of a hatch in a tile.

    The tile is :data:`HATCH_TILE` px square.

    ``hatch`` is a Matplotlib hatch string of the palette: ``"////"``,
    ``"\\\\\\\\"``, ``"xx"``, ``"----"``, ``"...."`` and the like (the
    first symbol decides).

    >>> hatch_pattern("////")
    ('M-1 1l2-2M0 6l6-6M5 7l2-2', 'stroke')
    >>> hatch_pattern("....")
    ('M2.4 2.4h1.2v1.2h-1.2z', 'fill')
    """
    symbol = hatch[:1]
    if symbol in (".", "o", "O", "*"):
        return "M2.4 2.4h1.2v1.2h-1.2z", "fill"
    if symbol not in _STROKES:
        raise ValueError(f"Unknown hatch {hatch!r}; expected one of / \\ x - | + . o * .")
    return _STROKES[symbol], "stroke"
