"""Map of the potential value of each kecamatan's chosen commodity.

One page like the other atlas maps (:mod:`aez.render.maps`, with their locator,
land and sea, graticule and fixed page size): each kecamatan is
filled by the potential gross value of its chosen product (billion Rp/yr) or,
without a price table, by its potential production (t/yr), in five equal steps
of a round width from 0 up to the largest value (ColorBrewer YlGn), and labelled
with its name and the figure. A kecamatan without an estimate (no reference yield, no price, or
no product) is grey and cross-hatched: no estimate is not zero.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.figure import Figure

from aez.errors import ConfigError
from aez.render import palette
from aez.render.cartography import Entry, SidePanel, format_number, save_figure
from aez.render.mapdata import check_districts, fill_kecamatan, label_kecamatan
from aez.render.maps import MapInfo, _finish, _page
from aez.words import Language, word

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["VALUE_COLOURS", "value_map"]

#: Five steps of potential value, light (low) to dark (high): ColorBrewer YlGn.
VALUE_COLOURS = ("#ffffcc", "#c2e699", "#78c679", "#31a354", "#006837")

#: Keys of the value map's own words (``map.value.*`` in :mod:`aez.words`); the others are
#: the atlas maps' (``map.*``).
_OWN = ("title", "title_t", "value", "production", "none", "note")


def _t(key: str, lang: Language, *args: Any) -> str:
    return word(f"map.value.{key}" if key in _OWN else f"map.{key}", lang, *args)


def step_width(top: float, steps: int) -> tuple[float, int]:
    """Find the smallest round step width whose ``steps`` steps reach ``top``.

    Round widths are 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k. Returns the width
    and the decimals its edges need. Round edges keep the legend's
    labels short enough to stand side by side.

    >>> step_width(2633.3, 5)
    (600.0, 0)
    >>> step_width(0.9, 5)
    (0.2, 1)
    >>> step_width(0.0, 5)
    (1.0, 0)
    """
    if not top > 0:
        return 1.0, 0
    exponent = math.floor(math.log10(top / steps))
    for mantissa in (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        width = mantissa * 10.0**exponent
        if width * steps >= top:
            break
    decimals = max(0, -exponent + (0 if mantissa.is_integer() else 1))
    return round(width, decimals), decimals


def _figure(districts: gpd.GeoDataFrame, *, value_column: str, rupiah: bool,
            name_column: str | None, product_names: Mapping[str, str], info: MapInfo) -> Figure:
    check_districts(districts, [value_column, name_column], "value map")
    lang = info.lang
    values = districts[value_column].to_numpy(dtype=float) / (1e9 if rupiah else 1.0)
    if np.any(values[np.isfinite(values)] < 0):
        raise ConfigError(f"Column {value_column!r} holds a negative potential; it cannot.")
    none = ~np.isfinite(values)
    top = float(np.nanmax(values)) if (~none).any() else 0.0
    width, decimals = step_width(top, len(VALUE_COLOURS))
    edges = width * np.arange(len(VALUE_COLOURS) + 1)
    step = np.clip(np.searchsorted(edges, np.nan_to_num(values), side="right") - 1, 0,
                   len(VALUE_COLOURS) - 1)
    panel = SidePanel()
    panel.title(_t("title" if rupiah else "title_t", lang), info.region)
    panel.heading(_t("value" if rupiah else "production", lang))
    panel.steps(VALUE_COLOURS, [format_number(e, lang, decimals=decimals) for e in edges])
    if none.any():
        panel.entries([Entry(_t("none", lang), palette.NO_PRODUCT_COLOUR,
                             _t("kec", lang, int(none.sum())), hatch=palette.NO_PRODUCT_HATCH)])
    panel.note(_t("note", lang))
    page = _page("value", panel, info, districts)  # boundaries, land and sea, locator, footer
    fill_kecamatan(page.ax, districts,
                   [palette.NO_PRODUCT_COLOUR if n else VALUE_COLOURS[s]
                    for s, n in zip(step, none, strict=True)],
                   [(palette.NO_PRODUCT_HATCH, "#6e6e6e") if n else (None, "#3c3c3c")
                    for n in none])
    products = districts["product"] if "product" in districts.columns else [None] * len(values)
    lines = []
    for product, value, n in zip(products, values, none, strict=True):
        name = product_names.get(str(product), str(product)) if isinstance(product, str) else ""
        figure = "—" if n else format_number(value, lang, decimals=decimals)
        lines.append((f"{name}: {figure}" if name else figure,
                      {"fontsize": 6.8, "color": "#333333"}))
    label_kecamatan(page.ax, districts, name_column, lines)
    return _finish(page, info, districts)


def value_map(districts: gpd.GeoDataFrame, *, info: MapInfo, out_base: str | Path,
              value_column: str = "potential_value_rp", rupiah: bool = True,
              name_column: str | None = "kecamatan",
              product_names: Mapping[str, str] | None = None,
              overwrite: bool = False) -> list[Path]:
    """Draw the potential value (or production) of each kecamatan's chosen commodity.

    Parameters
    ----------
    districts : GeoDataFrame
        One row per kecamatan with ``value_column`` (Rp/yr when ``rupiah``,
        else t/yr; NaN: no estimate) and optionally ``product``.
    rupiah : bool
        Whether the column is a value in Rp/yr (drawn in billion Rp) or a
        production in t/yr.
    info, out_base, name_column, product_names, overwrite
        As in :func:`aez.render.maps.product_map`.
    """
    fig = _figure(districts, value_column=value_column, rupiah=rupiah,
                  name_column=name_column, product_names=dict(product_names or {}), info=info)
    return save_figure(fig, out_base, overwrite=overwrite)
