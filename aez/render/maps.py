"""Atlas maps of a run: suitability, limiting factors, products, robustness and the inputs.

Each function draws one page (map frame and side panel with title, legend,
locator, north arrow, scale bar, CRS, source and date; see
:mod:`aez.render.cartography`) with matplotlib's object API and writes
``<out_base>.png`` and ``<out_base>.pdf`` atomically. The same inputs give the
same bytes. Around the study area the frame shows land and sea
(:mod:`aez.render.locator`) and a graticule in degrees
(:mod:`aez.render.graticule`); every page of one kind of map has the same size
(:data:`PAGE_BODY`), so legends of any length leave the pixel size alone.
Rasters are read decimated to the map frame's pixel size (at most
:data:`MAX_PIXELS` a side), never whole, so a 35-Mpix grid draws in the same
memory as a small one. Labels are Indonesian (``lang="id"``) or English
(``"en"``), every word from the catalogue :mod:`aez.words`; colours come from
:mod:`aez.render.palette`. A suitability legend gives each class's hectares
and, for S1–N, its share of the evaluated land: the base of the report's
shares too.

:func:`aez.render.jobs.draw_maps` renders many maps in worker processes,
with the same bytes whatever the number of workers.

The limiting-factor map shows one quality per S2–N cell, chosen by
:func:`~aez.render.mapdata.dominant_quality`: among the qualities that set
the cell's class, the one that limits the most S2–N land of the cell's
kecamatan (ties: the first in :data:`aez.characteristics.QUALITIES`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from rasterio.enums import Resampling
from rasterio.features import rasterize

from aez.characteristics import QUALITIES
from aez.errors import ConfigError, DataSourceError
from aez.render import palette
from aez.render.cartography import (
    FONT,
    GAP,
    INK,
    LOCATOR_HEIGHT,
    MAP_MAX_WIDTH,
    MARGIN,
    MIN_BODY_HEIGHT,
    PANEL_WIDTH,
    Entry,
    Page,
    SidePanel,
    blank_figure,
    crs_label,
    format_number,
    format_percent,
    frame_pixels,
    ground_width,
    inch_axes,
    map_aspect,
    map_frame,
    new_page,
    ramp_legend,
    save_figure,
    side_panel,
    swatch_legend,
)
from aez.render.graticule import draw_graticule
from aez.render.locator import Locator, draw_locator, draw_surroundings, locate
from aez.render.mapdata import (
    RELIEF,
    categorical_image,
    check_districts,
    class_areas,
    colour_codes,
    continuous_image,
    dominant_quality,
    draw_boundaries,
    elevation_image,
    fill_kecamatan,
    label_kecamatan,
    map_extent,
    over_white,
    polygon_path,
    read_raster,
    show_image,
    study_outline,
)
from aez.words import LANGUAGES, Language, word

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "MAX_PIXELS",
    "MapInfo",
    "OverviewLayer",
    "crs_label",
    "dominant_quality",
    "limits_map",
    "overview_map",
    "product_map",
    "robustness_map",
    "suitability_map",
]

#: Longest side (pixels) of any raster read for a map.
MAX_PIXELS = 1600
#: Probability steps of the robustness map and their colours (ColorBrewer PuBu; light =
#: seldom kept).
PROBABILITY_STEPS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
PROBABILITY_COLOURS = ("#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d")
#: Hatching of the robustness map by stability label ("no_alternative": the only product
#: allowed, so the draws test nothing).
STABILITY_HATCH = {"stable": None, "moderate": "...", "unstable": "////",
                   "no_alternative": "xx"}
#: Outline of a kecamatan that loses its commodity under a climate scenario, and its width (pt).
CLIMATE_OUTLINE = "#d7191c"
CLIMATE_OUTLINE_WIDTH = 1.8
#: Colour codes of the limits image besides the qualities (1–12 = QUALITIES[i - 1]).
_S1, _EXCLUDED, _UNKNOWN = 20, 21, 22
_S1_ALPHA = 90
#: Height (inches) of the page body of each kind of map: every map of a kind has the same
#: pixel size, whatever its region or legend (a panel that needs more makes its page taller).
PAGE_BODY = {"suitability": 8.4, "limits": 10.9, "products": 8.4, "robustness": 8.9,
             "value": 8.9}

def _t(key: str, lang: Language, *args: Any) -> str:
    return word(f"map.{key}", lang, *args)


@dataclass(frozen=True, kw_only=True)
class MapInfo:
    """What every map's side panel states besides its content.

    Parameters
    ----------
    region : str
        Name of the mapped area, e.g. ``"Kab. Kota Panjang"``.
    source : str
        Provenance line, e.g. ``"aez 0.1.0 · config 1a2b3c4d · data: synthetic demo"``.
    date : str
        Date of the run (ISO ``YYYY-MM-DD``); part of the output bytes.
    lang : {"id", "en"}
        Language of every label.
    crs : str, optional
        CRS note; by default :func:`crs_label` of the map's CRS (the districts').
    synthetic : bool, default False
        Whether the region is synthetic (the demo): the locator says so.

    Examples
    --------
    >>> MapInfo(region="Kab. Demo", source="aez", date="2025-01-31", lang="en").crs is None
    True
    """

    region: str
    source: str
    date: str
    lang: Language = "id"
    crs: str | None = None
    synthetic: bool = False

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ConfigError(f"Map language {self.lang!r} is not supported; use 'id' or 'en'.")


class OverviewLayer(NamedTuple):
    """One panel of :func:`overview_map` (a plain tuple of the same fields also works).

    ``kind`` is ``"continuous"``, ``"categorical"`` or ``"elevation"`` (continuous,
    drawn with hypsometric tints and a hillshade). ``legend`` maps a categorical
    code to its label or to ``(label, "#rrggbb")``. ``cmap`` names a matplotlib
    colour map for a continuous layer (default ``"viridis"``).
    """

    title: str
    path: str | Path
    kind: Literal["continuous", "categorical", "elevation"]
    units: str = ""
    legend: Mapping[int, str | tuple[str, str]] | None = None
    cmap: str | None = None


# -- shared pieces --------------------------------------------------------------------------------


def _boundary_entries(lang: Language, placed: bool) -> list[Entry]:
    entries = [Entry(_t("boundary", lang), line={"color": "#3c3c3c", "linewidth": 0.7}),
               Entry(_t("outline", lang), line={"color": INK, "linewidth": 1.6})]
    if placed:
        entries += [Entry(_t("land", lang), palette.LAND_COLOUR, edge="#9e9e9e"),
                    Entry(_t("sea", lang), palette.SEA_COLOUR, edge="#9e9e9e")]
    return entries


def _panel(title: str, info: MapInfo) -> SidePanel:
    panel = SidePanel()
    panel.title(title, info.region)
    return panel


def _locate(districts: gpd.GeoDataFrame) -> Locator | None:
    """Locate the kecamatan for an inset as wide as the side panel's inner width."""
    inner = SidePanel(width=PANEL_WIDTH).inner
    return locate(study_outline(districts), districts.crs, aspect=LOCATOR_HEIGHT / inner)


def _footer(panel: SidePanel, info: MapInfo, districts: gpd.GeoDataFrame) -> SidePanel:
    """Boundary (and land, sea) legend, locator, north arrow, scale bar and notes."""
    lang, crs = info.lang, districts.crs
    where = _locate(districts)
    panel.space()
    panel.entries(_boundary_entries(lang, where is not None))
    if where is not None:
        names = ", ".join(where.home)
        caption = (_t("location_synthetic", lang, names) if info.synthetic and names
                   else _t("location", lang, names) if names else _t("location_none", lang))
        panel.locator(lambda ax: draw_locator(ax, where), caption)
    panel.footer(north=_t("north", lang), lang=lang,
                 notes=[_t("crs", lang, info.crs or crs_label(crs)),
                        _t("source", lang, info.source), _t("date", lang, info.date)])
    return panel


def _page(kind: str, panel: SidePanel, info: MapInfo, districts: gpd.GeoDataFrame) -> Page:
    """Make the page of a map ``kind``: its size is fixed by :data:`PAGE_BODY`."""
    return new_page(map_extent(districts), districts.crs, _footer(panel, info, districts),
                    body=PAGE_BODY[kind])


def _finish(page: Page, info: MapInfo, districts: gpd.GeoDataFrame) -> Figure:
    """Add land and sea under the map and a graticule, and return the figure.

    They are added after the content; their z-order puts them below it.
    """
    crs = districts.crs
    draw_surroundings(page.ax, page.extent, crs, study_outline(districts))
    draw_graticule(page.ax, page.extent, crs, lang=info.lang)
    return page.fig


# -- suitability ----------------------------------------------------------------------------------


def _suitability_figure(class_path: str | Path, districts: gpd.GeoDataFrame, *, crop_name: str,
                        info: MapInfo, name_column: str | None = "kecamatan") -> Figure:
    check_districts(districts, [name_column], "suitability map")
    lang, crs, extent = info.lang, districts.crs, map_extent(districts)
    areas = class_areas(class_path)
    panel = _panel(_t("suitability", lang, crop_name), info)
    panel.heading(_t("classes", lang))
    panel.entries([Entry(palette.class_label(c, lang), palette.CLASS_COLOURS[c],
                         _area_text(areas, c, lang))
                   for c in range(1, 7) if c <= 4 or areas[c] > 0])
    panel.note(_t("area_note", lang))
    page = _page("suitability", panel, info, districts)
    raster = read_raster(class_path, extent=extent, crs=crs,
                         max_shape=frame_pixels(extent, crs, limit=MAX_PIXELS,
                                                body=PAGE_BODY["suitability"]),
                         resampling=Resampling.nearest)
    show_image(page.ax, colour_codes(raster.data, palette.CLASS_COLOURS), raster)
    draw_boundaries(page.ax, districts)
    label_kecamatan(page.ax, districts, name_column)
    return _finish(page, info, districts)


def _area_text(areas: Mapping[int, float], code: int, lang: Language) -> str:
    """Hectares of a class, with its share of the evaluated land (S1–N) for S1 to N.

    Excluded (X) and unknown land show their hectares only: the shares of the
    legend, like the report's, are of the evaluated land.
    """
    hectares = f"{format_number(areas[code], lang)} ha"
    if code > 4:
        return hectares
    evaluated = sum(areas[c] for c in range(1, 5))
    return f"{hectares} · {format_percent(areas[code] / evaluated if evaluated else 0.0, lang)}"


def suitability_map(class_path: str | Path, districts: gpd.GeoDataFrame, *, crop_name: str,
                    info: MapInfo, out_base: str | Path, name_column: str | None = "kecamatan",
                    overwrite: bool = False) -> list[Path]:
    """Map of a crop's suitability classes with the kecamatan and the hectares per class.

    Parameters
    ----------
    class_path : path
        ``<crop>_class.tif`` (uint8 codes 1–6, 0 = nodata).
    districts : GeoDataFrame
        Kecamatan polygons; their CRS is the map's (a raster in another CRS is
        warped to it).
    crop_name : str
        Display name of the crop in ``info.lang``.
    info : MapInfo
    out_base : path
        Output path without suffix; ``.png`` and ``.pdf`` are written.
    name_column : str or None, default "kecamatan"
        Column of kecamatan names to label; None for no labels.
    overwrite : bool, default False

    Returns
    -------
    list of Path
        The PNG and the PDF.

    Notes
    -----
    Hectares are counted on the full class raster, block by block (exact); the
    map itself is drawn from a decimated read.
    """
    fig = _suitability_figure(class_path, districts, crop_name=crop_name, info=info,
                              name_column=name_column)
    return save_figure(fig, out_base, overwrite=overwrite)


# -- limiting factors -----------------------------------------------------------------------------


def _limits_figure(subclass_path: str | Path, class_path: str | Path,
                   districts: gpd.GeoDataFrame, *, crop_name: str, info: MapInfo,
                   name_column: str | None = "kecamatan") -> Figure:
    check_districts(districts, [name_column], "limiting-factor map")
    lang, crs, extent = info.lang, districts.crs, map_extent(districts)
    shape = frame_pixels(extent, crs, limit=MAX_PIXELS, body=PAGE_BODY["limits"])
    classes = read_raster(class_path, extent=extent, crs=crs, max_shape=shape,
                          resampling=Resampling.nearest)
    sub = read_raster(subclass_path, extent=extent, crs=crs, max_shape=shape,
                      resampling=Resampling.nearest)
    if sub.data.shape != classes.data.shape or sub.extent != classes.extent:
        raise DataSourceError(
            f"{subclass_path} and {class_path} are not on the same grid; the limiting-factor "
            "map needs a crop's class and subclass rasters from the same run.")
    zones = rasterize(((g, i + 1) for i, g in enumerate(districts.geometry)),
                      out_shape=classes.data.shape, transform=classes.transform, fill=0,
                      dtype="int32")
    quality = dominant_quality(sub.data, classes.data, zones)
    codes = np.where(quality >= 0, quality + 1, 0).astype(np.uint8)
    for code, value in ((_S1, 1), (_EXCLUDED, 5), (_UNKNOWN, 6)):
        codes = np.where(classes.data == value, code, codes)
    limited = int(np.count_nonzero((classes.data >= 2) & (classes.data <= 4)))
    per_q = np.bincount(quality[quality >= 0], minlength=len(QUALITIES))

    panel = _panel(_t("limits", lang, crop_name), info)
    panel.heading(_t("factors", lang))
    panel.entries([Entry(palette.quality_label(q, lang), palette.QUALITY_COLOURS[q],
                         format_percent(per_q[i] / limited, lang))
                   for i, q in enumerate(QUALITIES) if per_q[i] > 0])
    panel.space()
    panel.heading(_t("other", lang))
    panel.entries([Entry(_t("no_limit", lang), _over_white(palette.CLASS_COLOURS[1]))]
                  + [Entry(palette.class_label(c, lang), palette.CLASS_COLOURS[c])
                     for c in (5, 6) if np.any(classes.data == c)])
    panel.note(_t("limit_note", lang))
    page = _page("limits", panel, info, districts)
    colours = {i + 1: palette.QUALITY_COLOURS[q] for i, q in enumerate(QUALITIES)}
    colours |= {_S1: palette.CLASS_COLOURS[1], _EXCLUDED: palette.CLASS_COLOURS[5],
                _UNKNOWN: palette.CLASS_COLOURS[6]}
    show_image(page.ax, colour_codes(codes, colours, alpha={_S1: _S1_ALPHA}), classes)
    draw_boundaries(page.ax, districts)
    label_kecamatan(page.ax, districts, name_column)
    return _finish(page, info, districts)


def _over_white(colour: str) -> str:
    """Return the S1 colour as drawn on the limits map (alpha ``_S1_ALPHA`` over white), opaque."""
    rgba = np.array([[palette.hex_to_rgba(colour, _S1_ALPHA)]], np.uint8)
    return "#" + "".join(f"{v:02x}" for v in over_white(rgba)[0, 0])


def limits_map(subclass_path: str | Path, class_path: str | Path, districts: gpd.GeoDataFrame,
               *, crop_name: str, info: MapInfo, out_base: str | Path,
               name_column: str | None = "kecamatan", overwrite: bool = False) -> list[Path]:
    """Map of the main limiting land quality of a crop's S2, S3 and N land.

    The quality shown per cell follows
    :func:`~aez.render.mapdata.dominant_quality`: of the qualities that set
    the cell's class, the one limiting the most S2–N cells of its kecamatan
    (ties: first in ``QUALITIES``). S1 land is pale green; excluded and unknown
    land keep their class colours. The legend gives each quality's share of
    the S2–N land on the map. Arguments as :func:`suitability_map`, plus
    ``subclass_path`` (``<crop>_subclass.tif``, same grid as the class raster).
    """
    fig = _limits_figure(subclass_path, class_path, districts, crop_name=crop_name, info=info,
                         name_column=name_column)
    return save_figure(fig, out_base, overwrite=overwrite)


# -- products and robustness ----------------------------------------------------------------------


#: Hatching of a product that is not an unggulan of its kecamatan (a development candidate).
DEVELOPMENT_HATCH = palette.DEVELOPMENT_HATCH


def _product_figure(districts: gpd.GeoDataFrame, *, product_column: str = "product",
                    name_column: str | None = "kecamatan",
                    product_names: Mapping[str, str] | None = None, info: MapInfo,
                    role_column: str = "role") -> Figure:
    check_districts(districts, [product_column, name_column], "product map")
    lang = info.lang
    names = dict(product_names or {})
    products = [None if _missing(p) else str(p) for p in districts[product_column]]
    styles = palette.product_styles(p for p in products if p is not None)
    display = {p: names.get(p, p.replace("_", " ").capitalize()) for p in styles}
    order = sorted(styles, key=lambda p: (display[p].lower(), p))
    counts = {p: 0 for p in styles}
    for p in products:
        if p is not None:
            counts[p] += 1
    panel = _panel(_t("products", lang), info)
    panel.heading(_t("commodity", lang))
    entries = [Entry(display[p], styles[p][0], _t("kec", lang, counts[p]), hatch=styles[p][1])
               for p in order]
    n_none = products.count(None)
    if n_none:
        entries.append(Entry(_t("no_product", lang), palette.NO_PRODUCT_COLOUR,
                             _t("kec", lang, n_none), hatch=palette.NO_PRODUCT_HATCH))
    developing = ([isinstance(r, str) and r != "unggulan" and p is not None
                   for r, p in zip(districts[role_column], products, strict=True)]
                  if role_column in districts.columns else [False] * len(products))
    if any(developing):
        entries.append(Entry(_t("development", lang), "white", _t("kec", lang, sum(developing)),
                             hatch=DEVELOPMENT_HATCH))
    panel.entries(entries)
    page = _page("products", panel, info, districts)
    fill_kecamatan(page.ax, districts,
                   [palette.NO_PRODUCT_COLOUR if p is None else styles[p][0] for p in products],
                   [(palette.NO_PRODUCT_HATCH, "#6e6e6e") if p is None
                    else (DEVELOPMENT_HATCH if d else styles[p][1], "#3c3c3c")
                    for p, d in zip(products, developing, strict=True)])
    small = 6.3 if len(products) > 16 else 6.8
    label_kecamatan(page.ax, districts, name_column,
            [("—" if p is None else display[p],
              {"fontsize": small, "style": "italic", "color": "#333333"}) for p in products])
    return _finish(page, info, districts)


def _missing(value: Any) -> bool:
    """Whether a table cell holds no product (None, NaN, pandas NA, or an empty string)."""
    if value is None or (isinstance(value, str) and not value):
        return True
    try:
        return bool(value != value)  # NaN, pd.NA
    except TypeError:
        return True


def product_map(districts: gpd.GeoDataFrame, *, product_column: str = "product",
                name_column: str | None = "kecamatan",
                product_names: Mapping[str, str] | None = None, info: MapInfo,
                out_base: str | Path, overwrite: bool = False) -> list[Path]:
    """Draw the one-kecamatan-one-product map: each kecamatan in its product's colour.

    Parameters
    ----------
    districts : GeoDataFrame
        One row per kecamatan with its product id in ``product_column``.
    product_column, name_column : str
        Columns of the product id and of the kecamatan name (None: no labels).
    product_names : mapping, optional
        Product id → display name in ``info.lang`` (default: the id, spaced and
        capitalised).
    info, out_base, overwrite
        As in :func:`suitability_map`.

    Notes
    -----
    Colours come from :func:`aez.render.palette.product_colours` over the
    products on the map (hatched beyond the 36 colours of the palette); each
    kecamatan is labelled with its name and its product (on a province map:
    its name, where it fits), and the legend counts the kecamatan per product.
    With a ``role`` column (the decision's), a product that is not an
    *unggulan* of its kecamatan (a development candidate) is hatched. A
    kecamatan without a product (None or NaN in ``product_column``) is grey
    and cross-hatched, with its own legend entry.
    """
    fig = _product_figure(districts, product_column=product_column, name_column=name_column,
                          product_names=product_names, info=info)
    return save_figure(fig, out_base, overwrite=overwrite)


def _robustness_figure(districts: gpd.GeoDataFrame, *, probability_column: str = "probability",
                       stability_column: str = "stability",
                       name_column: str | None = "kecamatan", info: MapInfo,
                       climate_columns: tuple[str, str] = ("climate_kept",
                                                           "climate_scenarios")) -> Figure:
    check_districts(districts, [probability_column, stability_column, name_column],
                    "robustness map")
    climate = _climate_kept(districts, *climate_columns)
    lang = info.lang
    probability = districts[probability_column].to_numpy(dtype=float)
    none = ~np.isfinite(probability)  # a kecamatan without a product has no probability
    if np.any((probability[~none] < 0) | (probability[~none] > 1)):
        raise ConfigError(f"Column {probability_column!r} must hold probabilities in [0, 1]; "
                          f"found {np.nanmin(probability)} to {np.nanmax(probability)}.")
    stability = [str(s) for s in districts[stability_column]]
    unknown = sorted({s for s, n in zip(stability, none, strict=True) if not n}
                     - set(STABILITY_HATCH))
    if unknown:
        raise ConfigError(f"Unknown stability label(s) {unknown} in {stability_column!r}; "
                          f"expected {list(STABILITY_HATCH)}.")
    step = np.clip(np.searchsorted(PROBABILITY_STEPS, np.nan_to_num(probability), side="right")
                   - 1, 0, len(PROBABILITY_COLOURS) - 1)
    panel = _panel(_t("robustness", lang), info)
    panel.heading(_t("probability", lang))
    panel.steps(PROBABILITY_COLOURS,
                [f"{round(100 * v)}" for v in PROBABILITY_STEPS[:-1]] + ["100 %"])
    panel.heading(_t("stability", lang))
    entries = [Entry(_t(s, lang), "white", hatch=h) for s, h in STABILITY_HATCH.items()]
    if none.any():
        entries.append(Entry(_t("no_product", lang), palette.NO_PRODUCT_COLOUR,
                             _t("kec", lang, int(none.sum())), hatch=palette.NO_PRODUCT_HATCH))
    panel.entries(entries)
    panel.note(_t("robust_note", lang))
    if climate is not None:
        kept, n_scenarios = climate
        lost = (kept < n_scenarios) & ~none
        panel.heading(_t("climate", lang))
        panel.entries([Entry(_t("climate_lost", lang), value=_t("kec", lang, int(lost.sum())),
                             line={"color": CLIMATE_OUTLINE,
                                   "linewidth": CLIMATE_OUTLINE_WIDTH})])
        panel.note(_t("climate_note", lang))
    page = _page("robustness", panel, info, districts)
    fill_kecamatan(page.ax, districts,
                   [palette.NO_PRODUCT_COLOUR if n else PROBABILITY_COLOURS[s]
                    for s, n in zip(step, none, strict=True)],
                   [(palette.NO_PRODUCT_HATCH, "#6e6e6e") if n
                    else (STABILITY_HATCH[h], "white" if s >= 3 else "#3c3c3c")
                    for h, s, n in zip(stability, step, none, strict=True)])
    labels = ["—" if n else f"{format_number(100 * p, lang)} %"
              for p, n in zip(probability, none, strict=True)]
    if climate is not None:
        page.ax.add_collection(PathCollection(
            [polygon_path(g) for g in districts.geometry[lost]], facecolor="none",
            edgecolor=CLIMATE_OUTLINE, linewidth=CLIMATE_OUTLINE_WIDTH, zorder=13))
        labels = [text if n else f"{text} · {k}/{m}"
                  for text, n, k, m in zip(labels, none, kept, n_scenarios, strict=True)]
    label_kecamatan(page.ax, districts, name_column,
                    [(text, {"fontsize": 6.8, "color": "#333333"}) for text in labels])
    return _finish(page, info, districts)


def _climate_kept(districts: gpd.GeoDataFrame, kept_column: str,
                  scenarios_column: str) -> tuple[np.ndarray, np.ndarray] | None:
    """Scenarios in which each kecamatan keeps its commodity, and scenarios evaluated (or None).

    None when the table has no climate columns or no scenario was evaluated.
    """
    if kept_column not in districts.columns or scenarios_column not in districts.columns:
        return None
    kept = districts[kept_column].to_numpy(dtype=float)
    n = districts[scenarios_column].to_numpy(dtype=float)
    if not len(n) or not np.all(np.isfinite(n)) or np.any(n <= 0):
        return None
    if np.any(~np.isfinite(kept) | (kept < 0) | (kept > n)):
        raise ConfigError(f"Column {kept_column!r} must count scenarios from 0 to "
                          f"{scenarios_column!r}; found {np.nanmin(kept)} to {np.nanmax(kept)}.")
    return kept.astype(np.int64), n.astype(np.int64)


def robustness_map(districts: gpd.GeoDataFrame, *, info: MapInfo, out_base: str | Path,
                   probability_column: str = "probability", stability_column: str = "stability",
                   name_column: str | None = "kecamatan", overwrite: bool = False) -> list[Path]:
    """How robust each kecamatan's product is to the score weights.

    The probability that the chosen product is kept (0–1) is drawn in five
    steps of 20 %; the stability label hatches the kecamatan (none = stable,
    dots = moderate, diagonals = unstable) and each label gives the
    percentage. Arguments as :func:`product_map`.

    Climate stability is drawn too when ``districts`` has the decision's
    climate columns (``climate_kept``, ``climate_scenarios``: the product is
    kept in k of n scenarios, :mod:`aez.pipeline.climate`): each label adds
    ``k/n``, and a kecamatan that loses its product in any scenario is
    outlined in red.
    """
    fig = _robustness_figure(districts, probability_column=probability_column,
                             stability_column=stability_column, name_column=name_column,
                             info=info)
    return save_figure(fig, out_base, overwrite=overwrite)


# -- overview of the inputs -----------------------------------------------------------------------


def _as_layer(layer: OverviewLayer | Sequence[Any]) -> OverviewLayer:
    item = layer if isinstance(layer, OverviewLayer) else OverviewLayer(*layer)
    if item.kind not in ("continuous", "categorical", "elevation"):
        raise ConfigError(f"Overview layer {item.title!r} has kind {item.kind!r}; expected "
                          "'continuous', 'categorical' or 'elevation'.")
    return item


def _overview_figure(layers: Sequence[OverviewLayer | Sequence[Any]],
                     districts: gpd.GeoDataFrame, *, info: MapInfo,
                     name_column: str | None = "kecamatan") -> Figure:
    check_districts(districts, [name_column], "overview map")
    items: list[OverviewLayer | None] = [_as_layer(layer) for layer in layers]
    if not 1 <= len(items) <= 6:
        raise ConfigError(f"The overview map draws 1 to 6 layers; got {len(items)}.")
    lang, crs, extent = info.lang, districts.crs, map_extent(districts)
    aspect = map_aspect(extent, crs)
    cols = 1 if len(items) == 1 else 2 if len(items) <= 4 else 3
    rows = math.ceil(len(items) / cols)
    if len(items) % cols and name_column is not None:
        items.append(None)  # the free slot shows the kecamatan names
    gap, title_h = 0.25, 0.3
    legend_h = [0.2 if it is None else 0.55 if it.kind != "categorical" else
                0.2 + 0.19 * math.ceil(min(len(it.legend or {}) or 12, 24) / 2) for it in items]
    row_legend = [max(legend_h[r * cols:(r + 1) * cols]) for r in range(rows)]
    width = (MAP_MAX_WIDTH - gap * (cols - 1)) / cols
    while rows * (title_h + width * aspect) + sum(row_legend) > 8.2 and width > 1.5:
        width *= 0.95
    height = width * aspect
    panel = _panel(_t("overview", lang), info)
    panel.note(_t("overview_note", lang))
    panel = _footer(panel, info, districts)
    body = max(rows * (title_h + height) + sum(row_legend), MIN_BODY_HEIGHT, panel.height)
    content = cols * width + gap * (cols - 1)
    fig = blank_figure(content, body)
    for i, item in enumerate(items):
        r, c = divmod(i, cols)
        left = MARGIN + c * (width + gap)
        bottom = MARGIN + body - (r + 1) * (title_h + height) - sum(row_legend[:r])
        ax = map_frame(fig, (left, bottom, width, height), extent)
        draw_surroundings(ax, extent, crs, study_outline(districts))  # z-order below the data
        draw_graticule(ax, extent, crs, lang=lang, inside=True, size=5.5)
        title = (_t("names", lang) if item is None else
                 f"{item.title} ({item.units})" if item.units else item.title)
        ax.text(0, 1.02, title, transform=ax.transAxes, fontsize=9.5, fontweight="bold",
                fontfamily=FONT, color=INK, va="bottom", ha="left")
        if item is None:
            fill_kecamatan(ax, districts, ["#f3efe6"] * len(districts), scale=0.6)
            label_kecamatan(ax, districts, name_column, size=6.3)
            continue
        legend = inch_axes(fig, (left, bottom - row_legend[r] + 0.05, width,
                                 row_legend[r] - 0.05), frame=False)
        legend.set_xlim(0, width)
        legend.set_ylim(-(row_legend[r] - 0.05), 0)
        shape = (min(MAX_PIXELS, math.ceil(height * fig.dpi)),
                 min(MAX_PIXELS, math.ceil(width * fig.dpi)))
        categorical = item.kind == "categorical"
        raster = read_raster(item.path, extent=extent, crs=crs, max_shape=shape,
                             resampling=Resampling.nearest if categorical
                             else Resampling.average)
        if categorical:
            rgba, entries = categorical_image(raster, item.legend)
            swatch_legend(legend, entries, width=width)
        else:
            rgba, ramp = (elevation_image(raster, RELIEF) if item.kind == "elevation"
                          else continuous_image(raster, item.cmap))
            ramp_legend(legend, ramp, width=width, lang=lang)
        show_image(ax, rgba, raster)
        draw_boundaries(ax, districts, scale=0.6)
    side_panel(fig, panel, left=MARGIN + content + GAP, body=body,
               metres_per_inch=ground_width(extent, crs) / width)
    return fig


def overview_map(layers: Sequence[OverviewLayer | Sequence[Any]], districts: gpd.GeoDataFrame,
                 *, info: MapInfo, out_base: str | Path, name_column: str | None = "kecamatan",
                 overwrite: bool = False) -> list[Path]:
    """Panels of the main inputs (e.g. elevation, rainfall, land status) with the kecamatan.

    Parameters
    ----------
    layers : sequence of OverviewLayer or tuples
        1–6 panels, each ``(title, path, kind, units, legend[, cmap])``; see
        :class:`OverviewLayer`. Each GeoTIFF is read decimated to its panel's
        pixel size (average for continuous, nearest for categorical layers),
        through a WarpedVRT onto the districts' CRS when its CRS differs.
    districts : GeoDataFrame
        Kecamatan polygons (the map's CRS and extent).
    name_column : str or None, default "kecamatan"
        Column of kecamatan names; when the panels leave a slot of the grid
        free (e.g. three layers), it shows the kecamatan and their names.
    info, out_base, overwrite
        As in :func:`suitability_map`.
    """
    fig = _overview_figure(layers, districts, info=info, name_column=name_column)
    return save_figure(fig, out_base, overwrite=overwrite)


# -- many maps ------------------------------------------------------------------------------------
