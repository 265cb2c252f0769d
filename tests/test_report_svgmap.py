"""The report's interactive map and screen figures: SVG paths, fills, hatches, palettes.

Paths are parsed back into coordinates here (a small SVG path reader) and compared
with the polygons moved to screen units by hand; fills with the atlas palette.
"""

from __future__ import annotations

import io
import re

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from shapely.geometry import Polygon, box

from aez.render.palette import (
    DEVELOPMENT_HATCH,
    NO_PRODUCT_COLOUR,
    PRODUCT_PALETTE,
    product_styles,
)
from aez.render.report.figures import screen_png
from aez.render.report.interactive import kecamatan_map
from aez.render.report.svgmap import MARGIN, hatch_pattern, svg_shapes
from aez.words import TEXT


def rings(d: str) -> list[list[tuple[float, float]]]:
    """The rings of SVG path data written with M, l (relative), h, v and z only."""
    out: list[list[tuple[float, float]]] = []
    for command, args in re.findall(r"([MlhvzZ])([^MlhvzZ]*)", d):
        numbers = [float(n) for n in re.findall(r"-?(?:\d+\.?\d*|\.\d+)", args)]
        if command == "M":
            out.append([(numbers[0], numbers[1])])
        elif command == "l":
            for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
                x, y = out[-1][-1]
                out[-1].append((round(x + dx, 1), round(y + dy, 1)))
        elif command == "h":
            x, y = out[-1][-1]
            out[-1].append((round(x + numbers[0], 1), y))
        elif command == "v":
            x, y = out[-1][-1]
            out[-1].append((x, round(y + numbers[0], 1)))
    return out


def test_paths_are_the_polygons_in_screen_units() -> None:
    # Two 2 × 1 km fields side by side, a triangle with a hole-free slanted edge.
    shapes = [box(0, 0, 2000, 1000), box(2000, 0, 4000, 1000),
              Polygon([(0, 1000), (4000, 1000), (2000, 2000)])]
    out = svg_shapes(shapes, geographic=False, size=400)
    scale = (400 - 2 * MARGIN) / 4000  # px per metre: the 4 km width fills the box
    assert (out.width, out.height) == (400, round(2000 * scale) + 2 * MARGIN)

    def screen(x: float, y: float) -> tuple[float, float]:
        return (round(MARGIN + x * scale, 1), round(MARGIN + (2000 - y) * scale, 1))

    for shape, d in zip(shapes, out.paths, strict=True):
        (ring,) = rings(d)
        expected = [screen(x, y) for x, y in shape.exterior.coords[:-1]]
        assert sorted(ring) == sorted(expected)
    assert len(out.outlines) == 1
    (outline,) = rings(out.outlines[0])
    assert sorted(outline) == sorted([screen(0, 0), screen(4000, 0), screen(4000, 1000),
                                      screen(2000, 2000), screen(0, 1000)])


def test_geographic_coordinates_keep_their_proportions() -> None:
    # One degree of longitude at 60° S is half a degree of latitude on the ground.
    square = box(110.0, -60.5, 111.0, -59.5)
    out = svg_shapes([square], geographic=True, size=200)
    assert out.height == 200 and out.width == pytest.approx(
        (200 - 2 * MARGIN) * np.cos(np.radians(60)) + 2 * MARGIN, abs=1)


def test_shared_borders_stay_shared_and_small() -> None:
    # A wiggly border of 2,000 vertices between two kecamatan.
    x = np.linspace(0, 10_000, 2000)
    y = 5000 + 300 * np.sin(x / 97.0)
    border = list(zip(x, y, strict=True))
    south = Polygon([(0, 0), (10_000, 0), *border[::-1]])
    north = Polygon([*border, (10_000, 10_000), (0, 10_000)])
    out = svg_shapes([south, north], geographic=False)
    a, b = (set(rings(d)[0]) for d in out.paths)
    shared = a & b
    assert len(shared) > 50  # the border, simplified, is the same vertices on both sides
    assert len(a) < 1000 and len(b) < 1000  # simplified for a 1000 px map
    assert len(out.paths[0]) + len(out.paths[1]) < 20_000
    # The same polygons give the same text.
    assert svg_shapes([south, north], geographic=False) == out


def test_every_hatch_of_the_palette_has_a_pattern() -> None:
    from aez.render.palette import NO_PRODUCT_HATCH, PRODUCT_HATCHES

    for hatch in [h for h in PRODUCT_HATCHES if h] + [NO_PRODUCT_HATCH, DEVELOPMENT_HATCH]:
        d, paint = hatch_pattern(hatch)
        assert d.startswith("M") and paint in ("stroke", "fill")
    with pytest.raises(ValueError, match="Unknown hatch"):
        hatch_pattern("~~")


def test_fills_follow_the_atlas_palette() -> None:
    n = 38  # more products than colours: the 37th and 38th are hatched
    ids = [f"63.01.{i:02d}" for i in range(n + 2)]
    districts = gpd.GeoDataFrame({"kecamatan_id": ids},
                                 geometry=[box(i, 0, i + 1, 1) for i in range(n + 2)],
                                 crs="EPSG:32750")
    products = {k: f"p{i:02d}" for i, k in enumerate(ids[:n])} | {ids[n]: None,
                                                                   ids[n + 1]: "p00"}
    developing = {ids[n + 1]: True}
    words = TEXT["en"]
    found = kecamatan_map(districts, products, developing, names={}, words=words)
    styles = product_styles(p for p in products.values() if p)
    patterns = {p["id"]: p for p in found["patterns"]}
    for shape in found["shapes"]:
        product = products[shape["id"]]
        if product is None:
            pattern = patterns[shape["fill"][5:-1]]
            assert pattern["colour"] == NO_PRODUCT_COLOUR
        elif developing.get(shape["id"]):
            pattern = patterns[shape["fill"][5:-1]]
            assert pattern["colour"] == styles[product][0]
            assert pattern["d"] == hatch_pattern(DEVELOPMENT_HATCH)[0]
        elif styles[product][1] is None:
            assert shape["fill"] == styles[product][0]
        else:
            pattern = patterns[shape["fill"][5:-1]]
            assert (pattern["colour"], pattern["d"]) == (styles[product][0],
                                                         hatch_pattern(styles[product][1])[0])
    assert found["shapes"][0]["fill"] == PRODUCT_PALETTE[0]
    legend = {e["label"]: e for e in found["legend"]}
    assert legend["p00"]["count"] == "2 kecamatan"
    assert legend[words["explore.no_product"]]["count"] == "1 kecamatan"
    assert legend[words["explore.development"]]["count"] == "1 kecamatan"


def test_names_are_written_where_they_fit() -> None:
    districts = gpd.GeoDataFrame({"kecamatan_id": ["63.01.01", "63.01.02"]},
                                 geometry=[box(0, 0, 9000, 5000), box(9000, 0, 9200, 5000)],
                                 crs="EPSG:32750")
    found = kecamatan_map(districts, {"63.01.01": "kopi", "63.01.02": "kopi"}, {},
                          names={}, words=TEXT["en"],
                          labels={"63.01.01": "Wide Field", "63.01.02": "Narrow Strip"})
    wide, narrow = found["shapes"]
    assert narrow["label"] is None  # a 20 px strip has no room for its name
    assert wide["label"]["text"] == "Wide Field"
    (ring,) = rings(wide["d"])
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    assert min(xs) < wide["label"]["x"] < max(xs) and min(ys) < wide["label"]["y"] < max(ys)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_screen_png_keeps_flat_colours_exactly() -> None:
    rng = np.random.default_rng(7)
    # 300 shades of noise (anti-aliasing, hillshade) and a 4 × 4 px legend key of its own colour.
    noise = rng.integers(0, 256, (600, 1200, 3), dtype=np.uint8)
    noise[100:104, 100:104] = (26, 150, 65)
    noise[300:500, 200:900] = (215, 25, 28)
    data = _png(Image.fromarray(noise))
    small = screen_png(data, 1200, colours=16)
    with Image.open(io.BytesIO(small)) as image:
        assert image.mode == "P" and image.size == (1200, 600)
        rgb = np.asarray(image.convert("RGB"))
    assert (rgb[100:104, 100:104] == (26, 150, 65)).all()
    assert (rgb[300:500, 200:900] == (215, 25, 28)).all()
    assert len(np.unique(rgb.reshape(-1, 3), axis=0)) <= 16
    assert screen_png(data, 1200, colours=16) == small  # the same bytes again
    # Few colours, narrower than the screen: every pixel as it was.
    flat = np.zeros((50, 80, 3), dtype=np.uint8)
    flat[:, 40:] = (78, 121, 167)
    with Image.open(io.BytesIO(screen_png(_png(Image.fromarray(flat)), 1000))) as image:
        assert np.array_equal(np.asarray(image.convert("RGB")), flat)
    # Wider than the screen: scaled to the width, proportions kept.
    with Image.open(io.BytesIO(screen_png(data, 500))) as image:
        assert image.size == (500, 250)


def test_figures_prepared_on_threads_are_the_bytes_made_one_by_one(tmp_path) -> None:
    from aez.render.report.figures import Figures

    rng = np.random.default_rng(11)
    paths = {}
    for i in range(5):
        path = tmp_path / f"map{i}.png"
        path.write_bytes(_png(Image.fromarray(rng.integers(0, 256, (300, 900, 3), np.uint8))))
        paths[f"suitability/c{i}"] = path
    words = {"fig.suitability": "Figure {n}"}
    one_by_one = Figures(paths, words)
    expected = [one_by_one.get(k, "fig.suitability", width=400, colours=8) for k in paths]
    prepared = Figures(paths, words)
    prepared.prepare([*paths, "limits/absent"], width=400, colours=8)
    assert [prepared.get(k, "fig.suitability", width=400, colours=8) for k in paths] == expected
    # made for one size, a figure asked at another is made again at that size
    wide = Figures(paths, words)
    wide.prepare(paths, width=400, colours=8)
    got = wide.get("suitability/c0", "fig.suitability", width=600, colours=8)
    assert got is not None and got["width"] == 600
