"""QGIS layer styles (``.qml``) written next to the outputs, so layers open coloured and labelled.

QGIS loads ``<name>.qml`` automatically when a layer ``<name>.tif`` or
``<name>.gpkg`` is added. Three styles cover aez's outputs:

* :func:`paletted_raster_qml`: a categorical raster (class codes, limiting
  qualities) with one colour and label per value;
* :func:`pseudocolor_raster_qml`: a continuous raster (the suitability index)
  with an interpolated colour ramp;
* :func:`categorized_vector_qml`: polygons filled by the value of one field
  (the product of each kecamatan), labelled by another (the kecamatan name).

The colours come from :mod:`aez.render.palette`, as in the maps. The XML is
written with the standard library, attributes in a fixed order, so the same
style gives the same bytes.

>>> xml = paletted_raster_qml({1: ("#1a9641", "S1"), 4: ("#d7191c", "N")})
>>> 'value="1" color="#1a9641" alpha="255" label="S1"' in xml
True
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

from aez.io import atomic_output
from aez.render.palette import HATCH_INK, HATCH_LINES, hex_to_rgba

__all__ = [
    "categorized_vector_qml",
    "paletted_raster_qml",
    "pseudocolor_raster_qml",
    "write_qml",
]

#: The QGIS version whose style format is written (read by QGIS 3.x).
QGIS_VERSION = "3.28.0-Firenze"
_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"


def _root(categories: str) -> ET.Element:
    return ET.Element("qgis", {"version": QGIS_VERSION, "styleCategories": categories})


def _raster_pipe(root: ET.Element, renderer: ET.Element) -> None:
    pipe = ET.SubElement(root, "pipe")
    pipe.append(renderer)
    ET.SubElement(pipe, "brightnesscontrast", {"brightness": "0", "contrast": "0",
                                                "gamma": "1"})
    ET.SubElement(pipe, "huesaturation", {"saturation": "0", "grayscaleMode": "0",
                                          "colorizeOn": "0"})
    ET.SubElement(pipe, "rasterresampler", {"maxOversampling": "2"})
    ET.SubElement(root, "blendMode").text = "0"


def _text(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return _DOCTYPE + ET.tostring(root, encoding="unicode") + "\n"


def paletted_raster_qml(entries: Mapping[int, tuple[str, str]], *, band: int = 1) -> str:
    """Style of a categorical raster: value → (colour ``#rrggbb``, label).

    Values not listed are drawn transparent (e.g. nodata).
    """
    root = _root("AllStyleCategories")
    renderer = ET.Element("rasterrenderer", {"type": "paletted", "band": str(band),
                                             "opacity": "1", "alphaBand": "-1",
                                             "nodataColor": ""})
    ET.SubElement(renderer, "rasterTransparency")
    palette = ET.SubElement(renderer, "colorPalette")
    for value in sorted(entries):
        colour, label = entries[value]
        ET.SubElement(palette, "paletteEntry", {"value": str(value), "color": colour,
                                                "alpha": "255", "label": label})
    _raster_pipe(root, renderer)
    return _text(root)


def pseudocolor_raster_qml(stops: Sequence[tuple[float, str, str]], *, band: int = 1) -> str:
    """Style of a continuous raster: an interpolated ramp through (value, colour, label) stops.

    >>> 'colorRampType="INTERPOLATED"' in pseudocolor_raster_qml([(0, "#d7191c", "0"),
    ...                                                           (1, "#1a9641", "1")])
    True
    """
    low, high = str(stops[0][0]), str(stops[-1][0])
    root = _root("AllStyleCategories")
    renderer = ET.Element("rasterrenderer", {
        "type": "singlebandpseudocolor", "band": str(band), "opacity": "1", "alphaBand": "-1",
        "classificationMin": low, "classificationMax": high, "nodataColor": "",
    })
    ET.SubElement(renderer, "rasterTransparency")
    shader = ET.SubElement(ET.SubElement(renderer, "rastershader"), "colorrampshader", {
        "colorRampType": "INTERPOLATED", "classificationMode": "1", "clip": "0",
        "minimumValue": low, "maximumValue": high,
    })
    for value, colour, label in stops:
        ET.SubElement(shader, "item", {"value": str(value), "color": colour, "alpha": "255",
                                       "label": label})
    _raster_pipe(root, renderer)
    return _text(root)


def _rgba(colour: str) -> str:
    return ",".join(map(str, hex_to_rgba(colour)))


def _symbol_layer(parent: ET.Element, kind: str, props: Mapping[str, str]) -> ET.Element:
    """Add a symbol layer with its properties in both the Option and the older prop form."""
    layer = ET.SubElement(parent, "layer", {"class": kind, "enabled": "1", "pass": "0",
                                            "locked": "0"})
    options = ET.SubElement(layer, "Option", {"type": "Map"})
    for key, value in props.items():
        ET.SubElement(options, "Option", {"name": key, "type": "QString", "value": value})
    for key, value in props.items():
        ET.SubElement(layer, "prop", {"k": key, "v": value})
    return layer


def _fill_symbol(name: str, colour: str, hatch: str | None = None) -> ET.Element:
    """Make a simple fill with a dark outline, and the maps' hatching over it when given.

    Line hatches (``////``, ``xxxx`` …) become QGIS line pattern fills at the
    angles of :data:`aez.render.palette.HATCH_LINES`, and ``....`` a point
    pattern fill, in :data:`aez.render.palette.HATCH_INK`.
    """
    symbol = ET.Element("symbol", {"type": "fill", "name": name, "alpha": "1",
                                   "clip_to_extent": "1", "force_rhr": "0"})
    _symbol_layer(symbol, "SimpleFill", {
        "color": _rgba(colour), "outline_color": "64,64,64,255", "outline_style": "solid",
        "outline_width": "0.3", "outline_width_unit": "MM", "style": "solid"})
    ink = _rgba(HATCH_INK)
    if hatch == "....":
        layer = _symbol_layer(symbol, "PointPatternFill", {
            "distance_x": "1.2", "distance_y": "1.2", "distance_x_unit": "MM",
            "distance_y_unit": "MM"})
        marker = ET.SubElement(layer, "symbol", {"type": "marker", "name": f"@{name}@1",
                                                 "alpha": "1", "clip_to_extent": "1",
                                                 "force_rhr": "0"})
        _symbol_layer(marker, "SimpleMarker", {"name": "circle", "color": ink, "size": "0.3",
                                               "size_unit": "MM", "outline_style": "no"})
    elif hatch is not None:
        for k, angle in enumerate(HATCH_LINES[hatch], start=1):
            layer = _symbol_layer(symbol, "LinePatternFill", {
                "angle": str(angle), "distance": "1.2", "distance_unit": "MM",
                "line_width": "0.2", "line_width_unit": "MM", "color": ink})
            line = ET.SubElement(layer, "symbol", {"type": "line", "name": f"@{name}@{k}",
                                                   "alpha": "1", "clip_to_extent": "1",
                                                   "force_rhr": "0"})
            _symbol_layer(line, "SimpleLine", {"line_color": ink, "line_width": "0.2",
                                               "line_width_unit": "MM", "line_style": "solid"})
    return symbol


def categorized_vector_qml(field: str,
                           categories: Mapping[str, tuple[str, str] | tuple[str, str, str | None]],
                           *, label_field: str | None = None) -> str:
    """Style of polygons: ``field`` value → (colour, legend label[, hatch]); labels from a field.

    A hatch (one of :data:`aez.render.palette.PRODUCT_HATCHES`) is drawn over
    the colour as on the maps.

    >>> xml = categorized_vector_qml("product", {"jagung": ("#4e79a7", "Jagung")},
    ...                              label_field="kecamatan")
    >>> 'attr="product"' in xml and 'fieldName="kecamatan"' in xml
    True
    """
    root = _root("Symbology|Labeling" if label_field else "Symbology")
    renderer = ET.SubElement(root, "renderer-v2", {"type": "categorizedSymbol", "attr": field,
                                                   "symbollevels": "0", "enableorderby": "0",
                                                   "forceraster": "0"})
    listed = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for i, value in enumerate(sorted(categories)):
        colour, label, *hatch = categories[value]
        ET.SubElement(listed, "category", {"symbol": str(i), "value": value, "label": label,
                                           "render": "true"})
        symbols.append(_fill_symbol(str(i), colour, hatch[0] if hatch else None))
    if label_field:
        labeling = ET.SubElement(root, "labeling", {"type": "simple"})
        settings = ET.SubElement(labeling, "settings", {"calloutType": "simple"})
        ET.SubElement(settings, "text-style", {
            "fieldName": label_field, "isExpression": "0", "fontSize": "8", "fontWeight": "50",
            "textColor": "33,33,33,255", "fontFamily": "Sans Serif", "namedStyle": "Regular",
        })
        ET.SubElement(settings, "text-buffer", {"bufferDraw": "1", "bufferSize": "0.8",
                                                "bufferSizeUnits": "MM",
                                                "bufferColor": "255,255,255,255"})
        ET.SubElement(settings, "placement", {"placement": "0", "centroidInside": "1",
                                              "fitInPolygonOnly": "0"})
        ET.SubElement(settings, "rendering", {"obstacle": "1", "displayAll": "1"})
        ET.SubElement(root, "labelsEnabled").text = "1"
    return _text(root)


def write_qml(path: str | Path, style: str, *, overwrite: bool = False) -> Path:
    """Write a style next to its layer (``dem.tif`` → ``dem.qml``), atomically."""
    path = Path(path)
    with atomic_output(path, overwrite=overwrite) as tmp:
        tmp.write_text(style, encoding="utf-8")
    return path
