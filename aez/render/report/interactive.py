"""The interactive kecamatan map of the report: shapes, fills, hatches and legend.

:func:`kecamatan_map` gives the template an inline SVG of the kecamatan
filled with their product colours, styled as the atlas's product map
(:func:`aez.render.palette.product_styles`, the hatch of a development
candidate and the grey hatched "no eligible product"), with the kabupaten
outlined. The template adds a ``<title>`` for hovering and a panel per
kecamatan that a click or the Enter key opens.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd

from aez.render.palette import (
    DEVELOPMENT_HATCH,
    NO_PRODUCT_COLOUR,
    NO_PRODUCT_HATCH,
    product_styles,
)
from aez.render.report.svgmap import HATCH_TILE, hatch_pattern, svg_shapes

__all__ = ["kecamatan_map"]

#: Ink of the hatches: on a product colour, and on the no-product grey (as the atlas maps).
HATCH_INK = "#3c3c3c"
NO_PRODUCT_INK = "#6e6e6e"
#: Size of the kecamatan names on the map (SVG px), and the width of a letter in sizes.
LABEL_SIZE = 16
LETTER_WIDTH = 0.58


def kecamatan_map(districts: gpd.GeoDataFrame, products: Mapping[str, str | None],
                  developing: Mapping[str, bool], *, names: Mapping[str, str],
                  words: Mapping[str, str],
                  labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the interactive map's data: view box, a shape per kecamatan, patterns, legend.

    Parameters
    ----------
    districts : GeoDataFrame
        Kecamatan polygons with a ``kecamatan_id`` column.
    products : mapping of str to str or None
        Kecamatan id → its (first) product id, None when it has none; the
        map shows these kecamatan, in this order.
    developing : mapping of str to bool
        Kecamatan id → its product is a development candidate (hatched).
    names : mapping of str to str
        Product id → name shown.
    words : mapping of str to str
        The report's words (``explore.no_product``, ``explore.development``,
        ``explore.kecamatan_count``).
    labels : mapping of str to str, optional
        Kecamatan id → name written on the map where its shape is wide
        enough (:data:`LABEL_SIZE` px letters).

    Returns
    -------
    dict
        ``width``, ``height`` (view box, SVG px), ``shapes`` (``id``, ``d``,
        ``fill``, ``product``, ``label``: None or ``x``, ``y``, ``text``),
        ``outlines`` (path data per kabupaten),
        ``patterns`` (``id``, ``colour``, ``ink``, ``d``, ``paint``) and
        ``legend`` (``label``, ``fill``, ``count``).
    """
    ids = [str(k) for k in products]
    frame = districts.assign(kecamatan_id=districts["kecamatan_id"].astype(str))
    frame = frame.drop_duplicates("kecamatan_id").set_index("kecamatan_id").loc[ids]
    geographic = frame.crs is not None and frame.crs.is_geographic
    groups = [".".join(k.split(".")[:2]) for k in ids]
    shapes = svg_shapes(list(frame.geometry), geographic=geographic, groups=groups)
    styles = product_styles(p for p in products.values() if p is not None)
    patterns: dict[tuple[str, str, str], str] = {}

    def fill(colour: str, hatch: str | None, ink: str) -> str:
        if hatch is None:
            return colour
        key = (colour, hatch, ink)
        if key not in patterns:
            patterns[key] = f"hatch-{len(patterns)}"
        return f"url(#{patterns[key]})"

    out = []
    counts: dict[str, int] = {}
    for kid, d, (x, y, room) in zip(ids, shapes.paths, shapes.anchors, strict=True):
        product = products[kid]
        text = (labels or {}).get(kid)
        label = ({"x": x, "y": y, "text": text}
                 if text and len(text) * LETTER_WIDTH * LABEL_SIZE <= room else None)
        if product is None:
            paint = fill(NO_PRODUCT_COLOUR, NO_PRODUCT_HATCH, NO_PRODUCT_INK)
        else:
            colour, hatch = styles[product]
            paint = fill(colour, DEVELOPMENT_HATCH if developing.get(kid) else hatch, HATCH_INK)
        counts[product or ""] = counts.get(product or "", 0) + 1
        out.append({"id": kid, "d": d, "fill": paint, "product": product, "label": label})
    legend = [{"label": names.get(p, p), "fill": fill(*styles[p], HATCH_INK)
               if styles[p][1] else styles[p][0],
               "count": words["explore.kecamatan_count"].format(n=counts[p])}
              for p in sorted(styles, key=lambda p: (names.get(p, p).lower(), p))]
    if "" in counts:
        legend.append({"label": words["explore.no_product"],
                       "fill": fill(NO_PRODUCT_COLOUR, NO_PRODUCT_HATCH, NO_PRODUCT_INK),
                       "count": words["explore.kecamatan_count"].format(n=counts[""])})
    n_developing = sum(bool(developing.get(k)) and products[k] is not None for k in ids)
    if n_developing:
        legend.append({"label": words["explore.development"],
                       "fill": fill("#ffffff", DEVELOPMENT_HATCH, HATCH_INK),
                       "count": words["explore.kecamatan_count"].format(n=n_developing)})
    return {"width": shapes.width, "height": shapes.height, "shapes": out,
            "outlines": list(shapes.outlines), "tile": HATCH_TILE, "legend": legend,
            "label_size": LABEL_SIZE,
            "patterns": [{"id": pid, "colour": colour, "ink": ink,
                          "d": hatch_pattern(hatch)[0], "paint": hatch_pattern(hatch)[1]}
                         for (colour, hatch, ink), pid in patterns.items()]}
