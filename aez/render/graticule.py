"""Coordinates on a map frame: a graticule of longitude and latitude lines, labelled in degrees.

The step is the smallest of :data:`STEPS` that gives at most ``most`` lines
across the frame's longitude span, so a kabupaten gets e.g. 0.1° or 0.25°
lines and a province 0.5° or 1°. Lines are computed in lon/lat and projected
to the map's CRS (they are slightly curved on a UTM map), drawn thin under
the data, and labelled where they meet the frame's bottom edge (longitude)
and left edge (latitude): ``115.3°E`` / ``3.6°S`` in English,
``115,3°BT`` / ``3,6°LS`` in Indonesian (*bujur timur*, *lintang selatan*).
Labels are computed, never measured, so they are the same on every run.

>>> graticule_step(0.45)
0.1
>>> degree_label(115.25, "lon", 0.25, "id"), degree_label(-3.6, "lat", 0.1, "en")
('115,25°BT', '3.6°S')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pyproj
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Annotation
from shapely.geometry import LineString

from aez.render.cartography import FONT, INK, halo
from aez.render.palette import GRATICULE_COLOUR

__all__ = ["CORNER", "HEMISPHERES", "STEPS", "degree_label", "draw_graticule", "graticule_lines",
           "graticule_step"]

Language = Literal["id", "en"]

#: Graticule steps (degrees), finest first.
STEPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)
#: Share of the frame's edge, from the lower-left corner, left without labels (so the
#: longitude and latitude labels never meet there).
CORNER = 0.04
# -- user-facing strings of this module (English, Indonesian) ----------------------------------
#: Hemisphere letters: east, west, north, south (BT bujur timur, BB bujur barat, LU lintang
#: utara, LS lintang selatan).
HEMISPHERES: dict[str, tuple[str, str, str, str]] = {"en": ("E", "W", "N", "S"),
                                                     "id": ("BT", "BB", "LU", "LS")}


def graticule_step(span: float, *, most: int = 5) -> float:
    """Return the smallest step of :data:`STEPS` giving at most ``most`` steps over ``span``°."""
    for step in STEPS:
        if span / step <= most:
            return step
    return STEPS[-1]


def degree_label(value: float, axis: Literal["lon", "lat"], step: float,
                 lang: Language) -> str:
    """Label a longitude or latitude ``value`` with as many decimals as ``step`` needs."""
    text = f"{step:g}"
    decimals = len(text.split(".")[1]) if "." in text else 0
    number = f"{abs(value):.{decimals}f}"
    if lang == "id":
        number = number.replace(".", ",")
    if round(value, decimals) == 0:
        return f"{number}°"
    east, west, north, south = HEMISPHERES[lang]
    if axis == "lon":
        return f"{number}°{east if value > 0 else west}"
    return f"{number}°{north if value > 0 else south}"


def _lonlat(crs: Any) -> tuple[pyproj.Transformer, pyproj.Transformer]:
    parsed = pyproj.CRS.from_user_input(crs.to_wkt() if hasattr(crs, "to_wkt") else crs)
    geographic = pyproj.CRS.from_epsg(4326)
    return (pyproj.Transformer.from_crs(parsed, geographic, always_xy=True),
            pyproj.Transformer.from_crs(geographic, parsed, always_xy=True))


def graticule_lines(extent: Sequence[float], crs: Any, *, most: int = 5
                    ) -> tuple[float, list[tuple[str, float, np.ndarray]]]:
    """Return the step and the lines (axis, value in °, xy in the map CRS) over ``extent``.

    Empty when the frame has no place in lon/lat.
    """
    xmin, xmax, ymin, ymax = extent
    forward, back = _lonlat(crs)
    try:
        lon0, lat0, lon1, lat1 = forward.transform_bounds(xmin, ymin, xmax, ymax,
                                                          densify_pts=21)
    except pyproj.exceptions.ProjError:
        return 0.0, []
    if not (np.isfinite([lon0, lat0, lon1, lat1]).all() and abs(lat0) <= 90
            and abs(lat1) <= 90 and lon1 > lon0):
        return 0.0, []
    step = graticule_step(lon1 - lon0, most=most)
    lines: list[tuple[str, float, np.ndarray]] = []
    ts = np.linspace(0.0, 1.0, 41)
    for axis, low, high, other_low, other_high in (("lon", lon0, lon1, lat0, lat1),
                                                   ("lat", lat0, lat1, lon0, lon1)):
        for k in range(math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9) + 1):
            value = round(k * step, 6)
            pad = 0.1 * (other_high - other_low)  # past the frame, so each line crosses it
            low_end, high_end = other_low - pad, other_high + pad
            if axis == "lon":
                low_end, high_end = max(low_end, -90.0), min(high_end, 90.0)
            along = low_end + ts * (high_end - low_end)
            fixed = np.full_like(along, value)
            lon, lat = (fixed, along) if axis == "lon" else (along, fixed)
            x, y = back.transform(lon, lat)
            lines.append((axis, value, np.column_stack([x, y])))
    return step, lines


def draw_graticule(ax: Axes, extent: Sequence[float], crs: Any, *, lang: Language,
                   inside: bool = False, size: float = 6.5) -> list[Annotation]:
    """Draw graticule lines on ``ax`` (showing ``extent``) and label them at the frame's edges.

    Longitudes are labelled along the bottom edge, latitudes (turned upright)
    along the left edge (none within :data:`CORNER` of the lower-left corner):
    outside the frame, with a short tick, or with
    ``inside`` within it over a white halo (for small panels). Returns the
    labels, in drawing order.
    """
    xmin, xmax, ymin, ymax = extent
    step, lines = graticule_lines(extent, crs)
    bottom = LineString([(xmin, ymin), (xmax, ymin)])
    left = LineString([(xmin, ymin), (xmin, ymax)])
    labels: list[Annotation] = []
    for axis, value, xy in lines:
        ax.add_line(Line2D(xy[:, 0], xy[:, 1], color=GRATICULE_COLOUR, linewidth=0.45,
                           zorder=0.6))
        edge = bottom if axis == "lon" else left
        cross = LineString(xy).intersection(edge)
        if cross.is_empty or cross.geom_type != "Point":
            continue
        along = ((cross.x - xmin) / (xmax - xmin) if axis == "lon"
                 else (cross.y - ymin) / (ymax - ymin))
        if not CORNER <= along <= 1 - CORNER / 2:
            continue  # the corner where the two rows of labels meet, or the frame's far end
        text = degree_label(value, "lon" if axis == "lon" else "lat", step, lang)
        point = (cross.x, cross.y)
        sign = 1 if inside else -1
        offset = (0, sign * 3) if axis == "lon" else (sign * 3, 0)
        style: dict[str, Any] = {
            "fontsize": size, "fontfamily": FONT, "color": INK, "annotation_clip": False,
            "textcoords": "offset points", "xytext": offset,
            "ha": "center" if axis == "lon" else ("left" if inside else "right"),
            "va": ("bottom" if inside else "top") if axis == "lon" else "center",
            "rotation": 0 if axis == "lon" else 90, "zorder": 31}
        if inside:
            style["path_effects"] = halo(2.0)
        else:
            tick = (0, -4) if axis == "lon" else (-4, 0)
            ax.annotate("", xy=point, xytext=tick, textcoords="offset points",
                        annotation_clip=False,
                        arrowprops={"arrowstyle": "-", "color": INK, "linewidth": 0.6,
                                    "shrinkA": 0, "shrinkB": 0})
            style["xytext"] = (0, -5) if axis == "lon" else (-5, 0)
        labels.append(ax.annotate(text, xy=point, **style))
    return labels
