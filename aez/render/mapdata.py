"""What maps draw: rasters read decimated, limiting qualities, layer images, the kecamatan.

Rasters are never read whole: :func:`read_raster` reads the cells under the
map at most at the map frame's pixel size (GDAL uses the file's overviews when
it has them), warping on the fly when the raster's CRS is not the map's, and
:func:`class_areas` counts a class raster block by block. The kecamatan are
drawn as boundaries over a white casing under the kabupaten outline
(:func:`draw_boundaries`), filled (:func:`fill_kecamatan`) and labelled inside
their polygon, away from each other (:func:`place_labels`).

>>> over_white(np.array([[[26, 150, 65, 255], [0, 0, 0, 0]]], np.uint8)).tolist()
[[[26, 150, 65], [255, 255, 255]]]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import rasterio
import rasterio.crs
import shapely
from affine import Affine
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.colors import Colormap, LinearSegmentedColormap, to_hex
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox
from rasterio.enums import Resampling
from rasterio.vrt import WarpedVRT
from rasterio.windows import Window, from_bounds
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from aez.characteristics import QUALITIES
from aez.errors import ConfigError, DataSourceError
from aez.io import read_grid
from aez.render.cartography import FONT, INK, Ramp, agg_canvas, halo
from aez.render.palette import RELIEF_TINTS, hex_to_rgba

__all__ = [
    "RELIEF",
    "SUBCLASS_NODATA",
    "Raster",
    "categorical_image",
    "check_districts",
    "class_areas",
    "colour_codes",
    "continuous_image",
    "dominant_quality",
    "draw_boundaries",
    "elevation_image",
    "fill_kecamatan",
    "hillshade",
    "kecamatan_key",
    "label_kecamatan",
    "map_extent",
    "opaque",
    "over_white",
    "place_labels",
    "polygon_path",
    "read_raster",
    "same_crs",
    "show_image",
    "study_outline",
]

#: Nodata of a subclass raster (``<crop>_subclass.tif``).
SUBCLASS_NODATA = 65535
#: Hypsometric tints of elevation maps (:data:`aez.render.palette.RELIEF_TINTS`).
RELIEF = LinearSegmentedColormap.from_list("aez_relief", list(RELIEF_TINTS))


@dataclass(frozen=True)
class Raster:
    """A decimated read: values, where they are valid, their transform and extent."""

    data: np.ndarray
    valid: np.ndarray
    transform: Affine
    extent: tuple[float, float, float, float]  # xmin, xmax, ymin, ymax

    @property
    def res(self) -> float:
        """Cell width in map units."""
        return float(self.transform.a)


def same_crs(a: Any, b: Any) -> bool:
    """Whether two CRS-likes (rasterio, pyproj, strings) are the same CRS."""
    if a is None or b is None:
        return False
    first = pyproj.CRS.from_user_input(a.to_wkt() if hasattr(a, "to_wkt") else a)
    second = pyproj.CRS.from_user_input(b.to_wkt() if hasattr(b, "to_wkt") else b)
    return bool(first.equals(second, ignore_axis_order=True))


def read_raster(path: str | Path, *, extent: Sequence[float], crs: Any,
                max_shape: tuple[int, int], resampling: Resampling) -> Raster:
    """Band 1 of ``path`` over ``extent`` (map CRS), at most ``max_shape`` (rows, cols) pixels.

    Same CRS: a decimated windowed read of the cells under ``extent`` (GDAL
    reads from overviews when the file has them). Another CRS: a
    :class:`~rasterio.vrt.WarpedVRT` straight onto the decimated map grid over
    ``extent``. Memory is that of the output only. Float nodata becomes NaN.

    Raises
    ------
    DataSourceError
        If the file cannot be opened or has no CRS.
    """
    xmin, xmax, ymin, ymax = extent
    rows_max, cols_max = max_shape
    try:
        src = rasterio.open(path)
    except rasterio.errors.RasterioIOError as exc:
        raise DataSourceError(f"Cannot read raster {path} for a map: {exc}. "
                              "Check that the file exists and is a GeoTIFF.") from exc
    with src:
        if src.crs is None:
            raise DataSourceError(f"Raster {path} has no CRS, so it cannot be placed on the map. "
                                  "Set its CRS (e.g. gdal_edit.py -a_srs EPSG:32750).")
        if same_crs(src.crs, crs):
            window = _cover(from_bounds(xmin, ymin, xmax, ymax, transform=src.transform),
                            src.width, src.height)
            scale = max(window.width / cols_max, window.height / rows_max, 1.0)
            shape = (max(1, round(window.height / scale)), max(1, round(window.width / scale)))
            data = src.read(1, window=window, out_shape=shape, resampling=resampling,
                            masked=True)
            transform = src.window_transform(window) @ Affine.scale(
                window.width / shape[1], window.height / shape[0])
        else:
            scale = max((xmax - xmin) / cols_max, (ymax - ymin) / rows_max)
            shape = (max(1, math.ceil((ymax - ymin) / scale)),
                     max(1, math.ceil((xmax - xmin) / scale)))
            transform = Affine(scale, 0, xmin, 0, -scale, ymax)
            target = rasterio.crs.CRS.from_wkt(
                crs.to_wkt() if hasattr(crs, "to_wkt") else pyproj.CRS(crs).to_wkt())
            with WarpedVRT(src, crs=target, transform=transform, width=shape[1],
                           height=shape[0], resampling=resampling) as vrt:
                data = vrt.read(1, masked=True)
    valid = ~np.ma.getmaskarray(data)
    fill = np.nan if np.issubdtype(data.dtype, np.floating) else 0
    values = np.ma.filled(data, fill)
    right, bottom = transform @ (values.shape[1], values.shape[0])
    return Raster(values, valid, transform, (transform.c, right, bottom, transform.f))


def _cover(window: Window, width: int, height: int) -> Window:
    """Return the whole cells under ``window``, clipped to the raster (the whole raster if none)."""
    col0 = max(0, math.floor(window.col_off))
    row0 = max(0, math.floor(window.row_off))
    col1 = min(width, math.ceil(window.col_off + window.width))
    row1 = min(height, math.ceil(window.row_off + window.height))
    if col1 <= col0 or row1 <= row0:
        return Window(0, 0, width, height)
    return Window(col0, row0, col1 - col0, row1 - row0)


def polygon_path(geometry: BaseGeometry) -> MplPath:
    """Make a compound matplotlib path of a (multi)polygon, holes included."""
    parts = geometry.geoms if hasattr(geometry, "geoms") else [geometry]
    rings = [ring for part in parts if not part.is_empty
             for ring in (part.exterior, *part.interiors)]
    return MplPath.make_compound_path(*[MplPath(np.asarray(r.coords)[:, :2], closed=True)
                                        for r in rings])


def colour_codes(codes: np.ndarray, colours: Mapping[int, str], *,
                 alpha: Mapping[int, int] | None = None) -> np.ndarray:
    """RGBA image (uint8) of integer ``codes`` as drawn on a white page.

    A code's colour is laid on white with its ``alpha`` (1–255, default
    opaque); codes without a colour are transparent (the map's background
    shows: white in the study area, land or sea around it).

    >>> colour_codes(np.array([[1, 0]]), {1: "#1a9641"}).tolist()
    [[[26, 150, 65, 255], [255, 255, 255, 0]]]
    """
    lut = np.zeros((256, 4), np.uint8)
    for code, colour in colours.items():
        if not 0 <= code < 256:
            raise ValueError(f"colour code {code} is outside 0–255")
        lut[code] = hex_to_rgba(colour, (alpha or {}).get(code, 255))
    lut = opaque(lut)
    codes = np.asarray(codes)
    if codes.dtype != np.uint8:
        codes = np.where((codes >= 0) & (codes < 256), codes, 0).astype(np.uint8)
    return lut[codes]


def over_white(rgba: np.ndarray) -> np.ndarray:
    """RGB (uint8) of an RGBA image laid on white: ``(a·c + (255 − a)·255) / 255``, rounded.

    >>> rgba = np.array([[[26, 150, 65, 255], [0, 0, 0, 0], [0, 0, 0, 51]]], np.uint8)
    >>> over_white(rgba).tolist()
    [[[26, 150, 65], [255, 255, 255], [204, 204, 204]]]
    """
    rgba = np.asarray(rgba, np.uint32)
    alpha = rgba[..., 3:4]
    mixed = (alpha * rgba[..., :3] + (255 - alpha) * 255 + 127) // 255
    return mixed.astype(np.uint8)


def opaque(rgba: np.ndarray) -> np.ndarray:
    """``rgba`` laid on white, with alpha 255; fully transparent pixels (alpha 0) stay so.

    Only alphas 0 and 255 are left, which Agg and the PDF draw fastest.

    >>> opaque(np.array([[[0, 0, 0, 51], [9, 9, 9, 0]]], np.uint8)).tolist()
    [[[204, 204, 204, 255], [255, 255, 255, 0]]]
    """
    rgba = np.asarray(rgba)
    rgb = over_white(rgba)
    alpha = np.where(rgba[..., 3:4] > 0, 255, 0).astype(np.uint8)
    return np.concatenate([rgb, alpha], axis=-1)


def show_image(ax: Axes, rgba: np.ndarray, raster: Raster, *, zorder: float = 2) -> None:
    """Draw an RGBA image (alpha 0 or 255) at ``raster``'s extent, pixel for pixel."""
    ax.imshow(rgba, extent=raster.extent, interpolation="none", origin="upper", zorder=zorder)


def class_areas(path: str | Path) -> dict[int, float]:
    """Hectares of each class code 1–6 in a class raster, counted block by block (exact).

    Cell areas come from :meth:`aez.grid.Grid.cell_area` (per row on a
    geographic grid), so memory is one block whatever the raster's size.
    """
    try:
        grid = read_grid(path)
        src = rasterio.open(path)
    except rasterio.errors.RasterioIOError as exc:
        raise DataSourceError(f"Cannot read class raster {path}: {exc}. "
                              "Check that the run wrote it.") from exc
    area = grid.cell_area()[:, 0] / 1e4
    totals = np.zeros(256)
    with src:
        for _, window in src.block_windows(1):
            block = src.read(1, window=window)
            rows = area[window.row_off:window.row_off + window.height]
            weights = np.broadcast_to(rows[:, None], block.shape)
            totals += np.bincount(block.ravel(), weights=weights.ravel(), minlength=256)[:256]
    return {code: float(totals[code]) for code in range(1, 7)}


def dominant_quality(subclass: np.ndarray, classes: np.ndarray, zones: np.ndarray) -> np.ndarray:
    """Index into :data:`~aez.characteristics.QUALITIES` of the quality shown per cell.

    A subclass marks every quality whose class equals the cell's class, so
    several can limit a cell equally. The one shown is, among the cell's set
    bits, the quality set in the most cells rated S2–N of the cell's zone
    (kecamatan); ties go to the quality first in ``QUALITIES``.

    Parameters
    ----------
    subclass : ndarray of uint16
        Limiting-quality bit masks (bit *i* = ``QUALITIES[i]``; 65535 = nodata).
    classes : ndarray of uint8
        Class codes on the same grid; only cells rated S2, S3 or N (2–4) get a quality.
    zones : ndarray of int
        Zone (kecamatan) number of each cell, ≥ 0; 0 is ranked as a zone of its own.

    Returns
    -------
    ndarray of int8
        The quality index, or -1 where no quality is shown.

    Examples
    --------
    Zone 1 has two cells limited by nr (bit 4) and one by both tc (bit 0) and
    nr, so that cell shows nr; in zone 2, tc limits two cells and wins.

    >>> sub = np.array([[16, 16, 17, 1, 1, 17]], np.uint16)
    >>> cls = np.array([[3, 3, 4, 2, 3, 3]], np.uint8)
    >>> dominant_quality(sub, cls, np.array([[1, 1, 1, 2, 2, 2]])).tolist()
    [[4, 4, 4, 0, 0, 0]]
    """
    subclass = np.asarray(subclass)
    classes = np.asarray(classes)
    zones = np.asarray(zones).astype(np.int64)
    n_q = len(QUALITIES)
    n_masks = 1 << n_q
    limited = (classes >= 2) & (classes <= 4) & (subclass != SUBCLASS_NODATA)
    n_zones = int(zones.max()) + 1 if zones.size else 1
    # one pass: cells per (zone, mask); the rest works on that small table
    key = zones * n_masks + (subclass.astype(np.int64) & (n_masks - 1))
    combos = np.bincount(key[limited], minlength=n_zones * n_masks).reshape(n_zones, n_masks)
    has = ((np.arange(n_masks)[:, None] >> np.arange(n_q)) & 1).astype(np.int64)  # mask × q
    counts = combos @ has  # cells of each zone limited by each quality
    # rank[z, q]: 0 for the quality limiting most cells in zone z; ties by quality order
    order = np.lexsort((np.broadcast_to(np.arange(n_q), counts.shape), -counts), axis=1)
    rank = np.empty((n_zones, n_q), np.int64)
    np.put_along_axis(rank, order, np.arange(n_q)[None, :], axis=1)
    used = np.flatnonzero(combos.sum(axis=0))  # the masks that occur (usually a few dozen)
    ranked = np.where(has[None, used, :] == 1, rank[:, None, :], n_q)  # zone × used mask × q
    table = np.full((n_zones, n_masks), -1, np.int8)
    table[:, used] = np.argmin(ranked, axis=2)
    table[:, 0] = -1  # no bit set: nothing to show
    return np.where(limited, table.reshape(-1)[np.where(limited, key, 0)], -1).astype(np.int8)


def hillshade(z: np.ndarray, res: float, *, azimuth: float = 315.0,
              altitude: float = 45.0) -> np.ndarray:
    """Lambertian hillshade (0–1) of elevations ``z`` (m) on cells ``res`` m wide; NaN-safe."""
    filled = np.where(np.isfinite(z), z, np.nanmean(z) if np.isfinite(z).any() else 0.0)
    gy, gx = np.gradient(filled, res)
    slope = np.arctan(np.hypot(gx, gy))
    aspect = np.arctan2(-gx, gy)
    az, alt = np.radians(azimuth), np.radians(altitude)
    shade = np.sin(alt) * np.cos(slope) + np.cos(alt) * np.sin(slope) * np.cos(az - aspect)
    return np.clip(shade, 0.0, 1.0)


def categorical_image(raster: Raster, legend: Mapping[int, Any] | None
                      ) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """RGBA image of a categorical raster and its (label, colour) legend, codes present only.

    ``legend`` maps a code to a label or to ``(label, "#rrggbb")``; other codes
    are labelled by their number. Colours not given come from ColorBrewer Set3
    (Tableau 20 beyond twelve classes) in code order; at most 24 classes are drawn.
    """
    codes = raster.data.astype(np.int64)
    present = [int(c) for c in np.unique(codes[raster.valid])][:24]
    cycle = colormaps["Set3" if len(present) <= 12 else "tab20"]
    given = dict(legend or {})
    lut: dict[int, str] = {}
    entries = []
    for i, code in enumerate(present):
        item = given.get(code, str(code))
        label, colour = item if isinstance(item, tuple) else (item, None)
        lut[i + 1] = colour or to_hex(cycle(i % cycle.N))
        entries.append((str(label).replace("_", " "), lut[i + 1]))
    index = np.zeros(codes.shape, np.int64)
    for i, code in enumerate(present):
        index[(codes == code) & raster.valid] = i + 1
    return colour_codes(index, lut or {0: "#ffffff"}), entries


def continuous_image(raster: Raster, cmap: str | None) -> tuple[np.ndarray, Ramp]:
    """RGBA image stretched over the 2–98 % range of the valid values, and its ramp."""
    data = raster.data.astype(np.float64)
    ok = raster.valid & np.isfinite(data)
    finite = data[ok]
    low, high = (float(v) for v in np.percentile(finite, [2, 98])) if finite.size else (0, 1)
    high = high if high > low else low + 1.0
    ramp = Ramp(colormaps[cmap or "viridis"], low, high)
    rgba = ramp.cmap(np.clip((np.where(ok, data, low) - low) / (high - low), 0, 1))
    rgba[..., 3] = ok
    return opaque((rgba * 255).round().astype(np.uint8)), ramp


def elevation_image(raster: Raster, tints: Colormap) -> tuple[np.ndarray, Ramp]:
    """Hypsometric tints (square-root stretch from 0 m) shaded by a hillshade."""
    data = raster.data.astype(np.float64)
    ok = raster.valid & np.isfinite(data)
    top = max(float(data[ok].max()), 1.0) if ok.any() else 1.0
    tint = tints(np.sqrt(np.clip(np.where(ok, data, 0), 0, None) / top))
    shade = hillshade(np.where(ok, data, np.nan), abs(raster.res))[..., None]
    rgba = np.dstack([tint[..., :3] * (0.5 + 0.5 * shade), ok.astype(float)])
    return opaque((rgba * 255).round().astype(np.uint8)), Ramp(tints, 0.0, top, sqrt=True)


# -- kecamatan ------------------------------------------------------------------------------------


def map_extent(districts: gpd.GeoDataFrame, pad: float = 0.03
               ) -> tuple[float, float, float, float]:
    """(xmin, xmax, ymin, ymax) of the kecamatan, widened by ``pad`` of their size each side."""
    xmin, ymin, xmax, ymax = (float(v) for v in districts.total_bounds)
    dx, dy = (xmax - xmin) * pad, (ymax - ymin) * pad
    return (xmin - dx, xmax + dx, ymin - dy, ymax + dy)


def check_districts(districts: gpd.GeoDataFrame, columns: Sequence[str | None],
                    what: str) -> None:
    """Raise a :class:`~aez.errors.ConfigError` unless ``districts`` can be drawn by ``what``."""
    if not isinstance(districts, gpd.GeoDataFrame) or districts.crs is None:
        raise ConfigError(f"The {what} needs the kecamatan as a GeoDataFrame with a CRS; got "
                          f"{type(districts).__name__} with CRS "
                          f"{getattr(districts, 'crs', None)}. Set the boundaries' CRS.")
    if len(districts) == 0:
        raise ConfigError(f"The {what} got no kecamatan polygons; check the study area.")
    missing = [c for c in columns if c is not None and c not in districts.columns]
    if missing:
        raise ConfigError(f"The {what} needs the kecamatan column(s) {missing}; the table has "
                          f"{list(districts.columns)}. Pass the right column name.")


def draw_boundaries(ax: Axes, districts: gpd.GeoDataFrame, *, scale: float = 1.0) -> None:
    """Kecamatan lines (dark over a white casing), kabupaten lines, and the outer outline.

    Kabupaten lines are drawn when the kecamatan codes (``kecamatan_id``, e.g.
    ``33.01.01``) name more than one kabupaten (``33.01``).
    """
    paths = [polygon_path(g) for g in districts.geometry]
    many = len(paths) > LABEL_ALL_MAX
    ax.add_collection(PathCollection(paths, facecolor="none", edgecolor="white",
                                     linewidth=(1.0 if many else 2.0) * scale, zorder=10))
    ax.add_collection(PathCollection(paths, facecolor="none", edgecolor="#3c3c3c",
                                     linewidth=(0.35 if many else 0.7) * scale, zorder=11))
    groups = tuple(tuple(rows) for rows in kabupaten_parts(districts).values())
    outline, kabupaten = _outlines(tuple(shapely.to_wkb(districts.geometry.values)), groups)
    if len(groups) > 1:
        ax.add_collection(PathCollection([polygon_path(g) for g in kabupaten], facecolor="none",
                                         edgecolor=INK, linewidth=1.0 * scale, zorder=12))
    ax.add_collection(PathCollection([polygon_path(outline)], facecolor="none", edgecolor=INK,
                                     linewidth=1.6 * scale, zorder=12))


@lru_cache(maxsize=8)  # every map of a run outlines the same kecamatan
def _outlines(wkbs: tuple[bytes, ...], groups: tuple[tuple[int, ...], ...]
              ) -> tuple[BaseGeometry, tuple[BaseGeometry, ...]]:
    """Return the outline of all the polygons and that of each group (kabupaten)."""
    geometries = shapely.from_wkb(np.array(wkbs, dtype=object))
    kabupaten = tuple(_outline(shapely.union_all(geometries[list(rows)])) for rows in groups)
    whole = shapely.union_all(list(kabupaten)) if len(groups) > 1 else None
    if whole is None:
        return kabupaten[0], kabupaten
    return _outline(whole), kabupaten


def study_outline(districts: gpd.GeoDataFrame) -> BaseGeometry:
    """Return the outline of all the kecamatan (outer rings of their union; cached)."""
    groups = tuple(tuple(rows) for rows in kabupaten_parts(districts).values())
    return _outlines(tuple(shapely.to_wkb(districts.geometry.values)), groups)[0]


def kabupaten_parts(districts: gpd.GeoDataFrame) -> dict[str, list[int]]:
    """Row positions of the kecamatan of each kabupaten, by kabupaten code (``33.01``).

    The code is the first two dotted parts of ``kecamatan_id``; a table without
    that column counts as one kabupaten.

    >>> import geopandas as gpd
    >>> kabupaten_parts(gpd.GeoDataFrame({"kecamatan_id": ["33.01.01", "33.02.01", "33.01.02"]}))
    {'33.01': [0, 2], '33.02': [1]}
    """
    if "kecamatan_id" not in districts.columns:
        return {"": list(range(len(districts)))}
    parts: dict[str, list[int]] = {}
    for i, code in enumerate(districts["kecamatan_id"]):
        parts.setdefault(".".join(str(code).split(".")[:2]), []).append(i)
    return parts


def _outline(union: BaseGeometry) -> BaseGeometry:
    """Return the kabupaten outline: the union's outer rings only.

    Slivers and gaps between neighbouring kecamatan polygons thus do not draw as
    thick inner lines.
    """
    parts = union.geoms if hasattr(union, "geoms") else [union]
    return shapely.MultiPolygon([shapely.Polygon(p.exterior) for p in parts
                                 if p.geom_type == "Polygon"])


def fill_kecamatan(ax: Axes, districts: gpd.GeoDataFrame, colours: Sequence[str],
                hatches: Sequence[tuple[str | None, str]] | None = None, *,
                scale: float = 1.0) -> None:
    """Fill each kecamatan, hatch some (``hatches``: pattern or None, ink), draw boundaries."""
    paths = [polygon_path(g) for g in districts.geometry]
    ax.add_collection(PathCollection(paths, facecolors=list(colours), edgecolor="none",
                                     zorder=2))
    groups: dict[tuple[str, str], list[MplPath]] = {}
    for path, (hatch, ink) in zip(paths, hatches or [], strict=False):
        if hatch:
            groups.setdefault((hatch, ink), []).append(path)
    for (hatch, ink), group in sorted(groups.items()):  # one collection per pattern and ink
        layer = PathCollection(group, facecolor="none", edgecolor=ink, linewidth=0,
                               hatch=hatch, zorder=3)
        layer.set_hatch_linewidth(0.6)
        ax.add_collection(layer)
    draw_boundaries(ax, districts, scale=scale)


def label_kecamatan(ax: Axes, districts: gpd.GeoDataFrame, name_column: str | None,
            second: Sequence[tuple[str, dict[str, Any]]] | None = None, *,
            size: float | None = None) -> None:
    """Kecamatan names (bold, with a halo), optionally a second line under each.

    Up to :data:`LABEL_ALL_MAX` kecamatan every one is labelled (beside its
    polygon, with a leader, where it does not fit inside). Beyond, as on a
    province map, the names that fit inside their kecamatan without
    overlapping another label are written, on one line (the second line is
    left to the colours and the legend), and every other kecamatan gets its
    key number (:func:`kecamatan_key`: its row in ``districts``, from 1) in
    the clearest place inside it; the key lists the names.
    """
    if name_column is None:
        return
    names = [str(v) for v in districts[name_column]]
    crowded = len(names) > LABEL_ALL_MAX
    size = size or (7.5 if len(names) <= 16 else 6.8 if not crowded else 5.5)
    lines = [[(name, {"fontsize": size, "fontweight": "bold"})]
             + ([second[i]] if second is not None and not crowded else [])
             for i, name in enumerate(names)]
    numbers = ([[(str(i + 1), {"fontsize": size - 0.5, "color": "#3c3c3c"})]
                for i in range(len(names))] if crowded else None)
    place_labels(ax, list(districts.geometry), lines, fit_only=crowded, fallback=numbers)


def kecamatan_key(districts: gpd.GeoDataFrame, id_column: str,
                  name_column: str) -> pd.DataFrame:
    """Return the key of a crowded map's numbers: ``number`` (row from 1), id and name.

    Every map of a run numbers the kecamatan alike (by their row), so one key
    serves them all.

    >>> import geopandas as gpd
    >>> frame = gpd.GeoDataFrame({"kec": ["33.01.01", "33.01.02"],
    ...                           "nama": ["Dayeuhluhur", "Wanareja"]})
    >>> kecamatan_key(frame, "kec", "nama").to_dict("list")
    {'number': [1, 2], 'kec': ['33.01.01', '33.01.02'], 'nama': ['Dayeuhluhur', 'Wanareja']}
    """
    return pd.DataFrame({"number": np.arange(1, len(districts) + 1),
                         id_column: districts[id_column].to_numpy(),
                         name_column: districts[name_column].to_numpy()})


#: Most kecamatan a map labels all (with leaders where needed); beyond, only those that fit.
LABEL_ALL_MAX = 60


# -- kecamatan labels ---------------------------------------------------------------------------


def _candidates(geometry: BaseGeometry, n: int = 12) -> tuple[tuple[float, float], ...]:
    """Find label points inside ``geometry``.

    The pole of inaccessibility comes first, then interior points farthest from the
    outline (a 9 × 9 lattice over the largest part). Cached by WKB, as every map of a
    run labels the same kecamatan.
    """
    return _candidates_of(shapely.to_wkb(geometry), n)


@lru_cache(maxsize=8192)  # a province has ~600 kecamatan, each map asks for all
def _candidates_of(wkb: bytes, n: int) -> tuple[tuple[float, float], ...]:
    geometry = shapely.from_wkb(wkb)
    part = geometry
    if geometry.geom_type == "MultiPolygon":
        part = max(geometry.geoms, key=lambda g: g.area)
    xmin, ymin, xmax, ymax = part.bounds
    pole = polylabel(part, tolerance=max(xmax - xmin, ymax - ymin) / 200)
    xs, ys = np.meshgrid(np.linspace(xmin, xmax, 11)[1:-1], np.linspace(ymin, ymax, 11)[1:-1])
    points = shapely.points(xs.ravel(), ys.ravel())
    inside = shapely.contains(part, points)
    points = points[inside]
    depth = shapely.distance(points, part.boundary)
    order = np.argsort(-depth, kind="stable")[: n - 1]
    return ((pole.x, pole.y), *((points[i].x, points[i].y) for i in order))


def place_labels(ax: Axes, geometries: Sequence[BaseGeometry],
                 lines: Sequence[Sequence[tuple[str, dict[str, Any]]]], *,
                 fit_only: bool = False,
                 fallback: Sequence[Sequence[tuple[str, dict[str, Any]]]] | None = None,
                 ) -> list[list[Annotation]]:
    """Label each geometry, inside it where the label fits, avoiding the other labels.

    Labels are placed largest polygon first. Each tries its candidate points
    (the pole of inaccessibility first) and takes the first whose box overlaps
    no earlier label, stays in the frame and inside its own polygon. Failing
    that, it also tries places beside the polygon, tied to it by a leader line,
    and takes the cheapest of all: a square pixel over another label or off the
    frame costs 10, one outside its polygon 1, and a leader a third of the
    label's area. With ``fit_only`` a label that does not fit inside its
    polygon clear of the others is left out instead.

    Each candidate box is checked only against the labels already placed in
    the cells of a coarse pixel grid it touches, so placing *n* labels costs
    about *n* checks, not *n*².

    Parameters
    ----------
    ax : Axes
        Map axes with its final limits and position.
    geometries : sequence of polygons
        The kecamatan (or any areas) to label.
    lines : sequence of [(text, text kwargs), ...]
        The lines of each label, stacked and centred on the point (kwargs go to
        ``ax.annotate``: fontsize, fontweight, style, colour...).
    fit_only : bool, default False
        Leave out the labels that do not fit inside their polygon.
    fallback : sequence of [(text, text kwargs), ...], optional
        With ``fit_only``: a shorter label per geometry (e.g. a key number),
        drawn instead of one left out, at its cheapest candidate point inside
        the polygon (no leader), after the labels that fit.

    Returns
    -------
    list of list of Annotation
        The text artists of each label (or of its fallback), in the order
        given (empty for a label left out).
    """
    figure = ax.get_figure(root=True)
    if not isinstance(figure, Figure):
        raise ValueError("place_labels needs an axes that belongs to a figure")
    renderer = agg_canvas(figure).get_renderer()
    frame = ax.get_window_extent(renderer)
    key = (tuple(shapely.to_wkb(g) for g in geometries), repr(lines), repr(fallback),
           tuple(frame.bounds), ax.get_xlim(), ax.get_ylim(), figure.dpi, fit_only)
    out = [_label_texts(ax, label) for label in lines]  # drawn in the order given
    spare = ([_label_texts(ax, label) for label in fallback] if fallback is not None and fit_only
             else None)
    if key not in _PLACED:  # every crop's map of a run labels the same kecamatan alike
        if len(_PLACED) >= 64:
            _PLACED.pop(next(iter(_PLACED)))
        _PLACED[key] = _choose(ax, geometries, out, renderer, frame, fit_only=fit_only,
                               fallback=spare)
    for i, (texts, placement) in enumerate(zip(out, _PLACED[key], strict=True)):
        used = spare is not None and placement is not None and placement[2]
        for text in (spare[i] if spare is not None and not used else []) + (texts if used else []):
            text.remove()
        if used:
            texts = out[i] = spare[i]  # type: ignore[index]
        if placement is None:
            for text in texts:
                text.remove()
            out[i] = []
            continue
        point, anchor, _ = placement
        box = _move(texts, point, renderer)
        if anchor is not None:
            (x0, y0), (x1, y1) = ax.transData.inverted().transform([(box.x0, box.y0),
                                                                     (box.x1, box.y1)])
            end = (min(max(anchor[0], x0), x1), min(max(anchor[1], y0), y1))
            ax.plot([anchor[0], end[0]], [anchor[1], end[1]], color="#3c3c3c", linewidth=0.6,
                    zorder=29, solid_capstyle="round")
            ax.plot([anchor[0]], [anchor[1]], marker="o", markersize=1.8, color="#3c3c3c",
                    zorder=29)
    return out


#: A label's place: its point, the anchor of its leader (None: none), whether the fallback.
_Placement = tuple[tuple[float, float], tuple[float, float] | None, bool]
#: Label places already chosen in this process, by geometries, labels and frame.
_PLACED: dict[tuple, list[_Placement | None]] = {}
#: Cost of a leader line, as a share of the label's area (see :func:`place_labels`).
_LEADER_COST = 1 / 3


class BoxIndex:
    """Label boxes (pixels) bucketed in a coarse grid, to find the ones a box may overlap.

    ``checks`` counts the box pairs compared, so a test can bound the work.
    """

    def __init__(self, cell: float = 48.0) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[Bbox]] = {}
        self.checks = 0

    def _keys(self, box: Bbox) -> list[tuple[int, int]]:
        c = self.cell
        return [(i, j) for i in range(math.floor(box.x0 / c), math.floor(box.x1 / c) + 1)
                for j in range(math.floor(box.y0 / c), math.floor(box.y1 / c) + 1)]

    def add(self, box: Bbox) -> None:
        """Add a placed label's box."""
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)

    def overlap(self, box: Bbox) -> float:
        """Return the area (px²) of ``box`` over the boxes added, each counted once."""
        seen: set[int] = set()
        total = 0.0
        for key in self._keys(box):
            for other in self.cells.get(key, ()):
                if id(other) not in seen:
                    seen.add(id(other))
                    self.checks += 1
                    total += _overlap(box, other)
        return total


#: The box index of the last labels chosen (for tests that bound the work).
LAST_INDEX: list[BoxIndex] = []


def _choose(ax: Axes, geometries: Sequence[BaseGeometry], labels: list[list[Annotation]],
            renderer: Any, frame: Bbox, *, fit_only: bool = False,
            fallback: list[list[Annotation]] | None = None) -> list[_Placement | None]:
    to_data = ax.transData.inverted()
    pixel_area = (frame.width / abs(np.subtract(*ax.get_xlim()))) ** 2  # px² per unit²
    placed = BoxIndex()
    LAST_INDEX[:] = [placed]
    chosen: list[_Placement | None] = [None] * len(geometries)

    def clash(box: Bbox) -> float:
        return 10 * (placed.overlap(box) + _overlap(box, box) - _overlap(box, frame))

    def inside_best(i: int, texts: list[Annotation]) -> tuple[_Placement, float, Bbox]:
        inside = _candidates(geometries[i])
        best: _Placement = (inside[0], None, False)
        best_cost = math.inf
        for point in inside:
            box = _move(texts, point, renderer)
            (x0, y0), (x1, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
            footprint = shapely.box(x0, y0, x1, y1)
            spill = (footprint.area - footprint.intersection(geometries[i]).area) * pixel_area
            cost = clash(box) + spill
            if cost < best_cost:
                best, best_cost = (point, None, False), cost
            if cost <= 0:
                break
        return best, best_cost, box

    left_out = []
    for i in sorted(range(len(geometries)), key=lambda i: (-geometries[i].area, i)):
        texts, inside = labels[i], _candidates(geometries[i])
        best, best_cost, box = inside_best(i, texts)
        if fit_only and best_cost > 0.05 * box.width * box.height:
            left_out.append(i)
            continue  # left out: it does not fit inside its polygon clear of the others
        if best_cost > 0 and not fit_only:
            anchor = inside[0]
            box = _move(texts, anchor, renderer)
            (x0, y0), (x1, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
            w, h = x1 - x0, y1 - y0
            leader = _LEADER_COST * box.width * box.height
            for gap in (0.6 * h, 1.5 * h, 3 * h):
                for angle in (0, 180, 90, 270, 45, 135, 225, 315):
                    dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
                    point = (anchor[0] + dx * (w / 2 + gap), anchor[1] + dy * (h / 2 + gap))
                    cost = clash(_move(texts, point, renderer)) + leader
                    if cost < best_cost:
                        best, best_cost = (point, anchor, False), cost
        placed.add(_move(texts, best[0], renderer))
        chosen[i] = best
    for i in left_out:  # the short labels, in the same order
        if fallback is not None:
            best, _, _ = inside_best(i, fallback[i])
            placed.add(_move(fallback[i], best[0], renderer))
            chosen[i] = (best[0], None, True)
    return chosen


def _label_texts(ax: Axes, lines: Sequence[tuple[str, dict[str, Any]]],
                 point: tuple[float, float] = (0.0, 0.0)) -> list[Annotation]:
    sizes = [kw.get("fontsize", 8) for _, kw in lines]
    total = sum(s * 1.2 for s in sizes)
    texts, y = [], total / 2
    for (text, kw), size in zip(lines, sizes, strict=True):
        y -= size * 0.6
        style = {"fontfamily": FONT, "color": INK, "ha": "center", "va": "center",
                 "path_effects": halo(), "zorder": 30, **kw}
        texts.append(ax.annotate(text, xy=point, xytext=(0, y), textcoords="offset points",
                                 annotation_clip=False, **style))
        y -= size * 0.6
    return texts


def _move(texts: list[Annotation], point: tuple[float, float], renderer: Any) -> Bbox:
    for text in texts:
        text.xy = point
    return Bbox.union([t.get_window_extent(renderer) for t in texts]).expanded(1.04, 1.1)


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0
