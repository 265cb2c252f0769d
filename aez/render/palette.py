"""Colours and labels shared by the maps, the QGIS styles and the raster colour tables.

One palette everywhere, so that a class is the same colour in a PNG map, in
QGIS and in any viewer that reads a GeoTIFF colour table. Colours are
``#rrggbb`` strings; no plotting library is imported here.

>>> CLASS_COLOURS[1], CLASS_COLOURS[4]
('#1a9641', '#d7191c')
>>> class_label(2, "id"), class_label(5, "en")
('S2 – cukup sesuai', 'X – excluded')
>>> product_colours(["padi_sawah", "jagung"])
{'jagung': '#4e79a7', 'padi_sawah': '#f28e2b'}
"""

from __future__ import annotations

from collections.abc import Iterable

from aez.characteristics import QUALITIES
from aez.words import Language, word

__all__ = [
    "AREA_COLOUR",
    "CLASS_COLOURS",
    "COAST_COLOUR",
    "DEVELOPMENT_HATCH",
    "DRAINAGE_COLOURS",
    "GRATICULE_COLOUR",
    "HATCH_INK",
    "HATCH_LINES",
    "HOME_LAND_COLOUR",
    "LAND_COLOUR",
    "LAND_STATUS_COLOURS",
    "NO_PRODUCT_COLOUR",
    "NO_PRODUCT_HATCH",
    "PRODUCT_HATCHES",
    "PRODUCT_PALETTE",
    "QUALITY_COLOURS",
    "RELIEF_TINTS",
    "SEA_COLOUR",
    "STABILITY_COLOURS",
    "Language",
    "class_label",
    "css_background",
    "hex_to_rgba",
    "product_colours",
    "product_styles",
    "quality_label",
]

#: Class code (as written in ``<crop>_class.tif``) → colour: S1 green through S3 orange to
#: N red (ColorBrewer RdYlGn, 4 classes); excluded land grey; unknown light purple.
CLASS_COLOURS: dict[int, str] = {
    1: "#1a9641",  # S1
    2: "#a6d96a",  # S2
    3: "#fdae61",  # S3
    4: "#d7191c",  # N
    5: "#bdbdbd",  # X (excluded)
    6: "#cbc9e2",  # unknown
}

#: Hypsometric tints as (place on the square-root elevation scale, 0–1; colour): lowland
#: greens, hill yellows and browns, volcano summit grey-white.
RELIEF_TINTS: tuple[tuple[float, str], ...] = (
    (0.00, "#7fae6a"), (0.02, "#a6c98a"), (0.08, "#d8dfa0"), (0.20, "#e9d39a"),
    (0.40, "#c9a477"), (0.70, "#a88a6e"), (1.00, "#f2efe9"),
)

#: Land quality → colour of the limiting-factor maps. Qualitative and free of good/bad
#: meaning: no greens and no reds, and each differs from the four suitability colours S1–N by
#: ΔE*76 ≥ 25 (any two qualities by ≥ 25), so a limitation never reads as a class. Climate
#: and water in blues and teals, soil in browns, toxicity in purples, erosion mustard, land
#: preparation grey.
QUALITY_COLOURS: dict[str, str] = {
    "tc": "#3b6db3", "wa": "#8fb8e8", "oa": "#2aa3b8", "rc": "#6e4f2a",
    "nr": "#b08d5e", "na": "#e3d3ad", "xc": "#a03a9c", "xn": "#d99ad2",
    "xs": "#5a3d8f", "eh": "#b58900", "fh": "#0e5a6e", "lp": "#8a8a8a",
}

#: Land-status class label (Kemendagri / KLHK forest-area status) → colour: forests greens,
#: estates olive, other land (APL) cream, settlements red-grey, water blue.
LAND_STATUS_COLOURS: dict[str, str] = {
    "hutan_lindung": "#1b5e20", "hutan_konservasi": "#2e7d32", "hutan_produksi": "#81c784",
    "perkebunan": "#c0ca33", "apl": "#fff3c4", "permukiman": "#bc6c5a", "badan_air": "#64b5f6",
}

#: Soil drainage class → colour, an ordinal ramp from dry (excessive, brown) through ochre to
#: wet (very poor, dark blue). No class is near the white page: each differs from white by
#: ΔE*76 ≥ 25 and from its neighbours by ≥ 15.
DRAINAGE_COLOURS: dict[str, str] = {
    "excessive": "#8c510a", "somewhat_excessive": "#d19a4a", "well": "#e8cc7e",
    "moderately_well": "#a9cfe6", "somewhat_poor": "#6aaed6", "poor": "#2f7dbf",
    "very_poor": "#08306b",
}

#: Around the study area: sea light blue, land of the national outline light neutral grey with
#: a grey-blue coastline; on the locator the study area's own province a darker grey and the
#: study area red.
SEA_COLOUR = "#c4eaf0"
LAND_COLOUR = "#e6e2d8"
COAST_COLOUR = "#9aa7b2"
HOME_LAND_COLOUR = "#c4c1b8"
AREA_COLOUR = "#d62f1f"
#: Graticule lines (under the data).
GRATICULE_COLOUR = "#8c98a4"

#: Robustness stability label → colour.
STABILITY_COLOURS: dict[str, str] = {
    "stable": "#1a9850", "moderate": "#fee08b", "unstable": "#d73027",
    "no_alternative": "#bdbdbd",
}

#: Qualitative colours for products, given out by sorted product id: Tableau 10's first
#: nine, then colours added one at a time, each the farthest (CIE L*a*b*) from those
#: chosen, among sRGB colours of lightness 45–88 and chroma 25–70 (no greys, no neon). Any
#: two differ by ΔE*76 ≥ 22 and each differs from :data:`NO_PRODUCT_COLOUR` by ≥ 23.
PRODUCT_PALETTE: tuple[str, ...] = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#7766dd", "#ff77dd", "#00eebb", "#ddddaa", "#886600", "#bbccff", "#cc2277",
    "#0099ff", "#00ccff", "#aaee77", "#889900", "#ddaaff", "#447755", "#eeaa77", "#22eeee",
    "#999955", "#bb4411", "#00aa88", "#aa4499", "#ffccee", "#99ddaa", "#7766aa", "#ff77aa",
    "#bb6644", "#007788", "#aa5566", "#33cc77",
)
#: Hatching over the product colour once the palette is used up: the n-th round of
#: :data:`PRODUCT_PALETTE` gets the n-th pattern (the first round none).
PRODUCT_HATCHES: tuple[str | None, ...] = (None, "////", "\\\\\\\\", "....", "xxxx", "----")
#: Fill and hatching of a kecamatan without an eligible product.
NO_PRODUCT_COLOUR = "#bdbdbd"
NO_PRODUCT_HATCH = "xx"
#: Hatching of a product that is not an unggulan of its kecamatan (a development candidate).
DEVELOPMENT_HATCH = "////"


def class_label(code: int, lang: Language = "id") -> str:
    """Legend label of a class code in Indonesian (``"id"``) or English (``"en"``)."""
    return word(f"class.{code}", lang)


def quality_label(quality: str, lang: Language = "id") -> str:
    """Legend label of a land quality, e.g. ``"nr – retensi hara"``.

    >>> quality_label("nr", "en")
    'nr – nutrient retention'
    """
    if quality not in QUALITIES:
        raise KeyError(f"Unknown land quality {quality!r}; expected one of {QUALITIES}.")
    return f"{quality} – {word(f'quality.{quality}', lang)}"


def product_colours(products: Iterable[str]) -> dict[str, str]:
    """Assign a colour per product, by its rank in the sorted set of ``products``.

    Colours depend only on the sorted set of products given, so the map, its
    legend and the QGIS style agree. Up to ``len(PRODUCT_PALETTE)`` (36)
    products every colour differs; beyond, colours repeat and
    :func:`product_styles` adds hatching to tell them apart.
    """
    return {p: colour for p, (colour, _) in product_styles(products).items()}


def product_styles(products: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """Assign each product a distinct (colour, hatch pattern or None), by sorted product id.

    The first 36 products get the colours of :data:`PRODUCT_PALETTE` without
    hatching; the next 36 the same colours hatched ``////``, and so on through
    :data:`PRODUCT_HATCHES`, so no two of up to 216 products look alike.

    >>> product_styles([f"p{i:02d}" for i in range(38)])["p37"]
    ('#f28e2b', '////')
    """
    ordered = sorted(set(products))
    rounds = len(PRODUCT_HATCHES)
    if len(ordered) > rounds * len(PRODUCT_PALETTE):
        raise ValueError(f"{len(ordered)} products; the map styles tell apart at most "
                         f"{rounds * len(PRODUCT_PALETTE)}.")
    n = len(PRODUCT_PALETTE)
    return {p: (PRODUCT_PALETTE[i % n], PRODUCT_HATCHES[i // n]) for i, p in enumerate(ordered)}


#: Angles (degrees, counter-clockwise from east) of the lines of each line hatch; "...."
#: is a dot pattern. Shared by the HTML report (CSS) and the QGIS styles.
HATCH_LINES: dict[str, tuple[int, ...]] = {"////": (45,), "\\\\\\\\": (135,),
                                           "xxxx": (45, 135), "----": (0,), "xx": (45, 135)}
#: Ink of the hatching lines and dots.
HATCH_INK = "#3c3c3c"


def css_background(colour: str, hatch: str | None) -> str:
    """Return a CSS ``background`` value: the colour, under the hatch of the maps if any.

    >>> css_background("#4e79a7", None)
    '#4e79a7'
    >>> css_background("#4e79a7", "////")
    'repeating-linear-gradient(-45deg, #3c3c3c 0 1px, transparent 1px 4px), #4e79a7'
    """
    if hatch is None:
        return colour
    if hatch == "....":
        return f"radial-gradient({HATCH_INK} 0.8px, transparent 1.2px) 0 0 / 4px 4px, {colour}"
    # CSS stripes run across the gradient's direction: -a degrees draws lines at a degrees.
    layers = [f"repeating-linear-gradient({-angle}deg, {HATCH_INK} 0 1px, transparent 1px 4px)"
              for angle in HATCH_LINES[hatch]]
    return ", ".join([*layers, colour])


def hex_to_rgba(colour: str, alpha: int = 255) -> tuple[int, int, int, int]:
    """``"#rrggbb"`` → an (r, g, b, a) tuple of 0–255 integers (for GeoTIFF colour tables).

    >>> hex_to_rgba("#1a9641")
    (26, 150, 65, 255)
    """
    value = colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), alpha)
