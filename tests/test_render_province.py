"""Maps at province scale: distinct product styles, bounded label work, kabupaten lines.

The colour oracle converts sRGB to CIE L*a*b* here, from the published formulas
(IEC 61966-2-1 and CIE 1976, D65 white), independently of how the palette was
chosen. Label work is bounded by counting box comparisons, never by wall time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from itertools import combinations

import geopandas as gpd
import numpy as np
import pytest
from matplotlib.transforms import Bbox
from shapely.geometry import Point, box

from aez.config import load_config
from aez.render import mapdata, maps, palette
from aez.render.cartography import SidePanel, new_page
from aez.render.maps import MapInfo

CRS = "EPSG:32750"
INFO = MapInfo(region="Provinsi Uji", source="aez test · data: synthetic", date="2025-01-31",
               lang="id")


def _lab(colour: str) -> np.ndarray:
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    x = (0.4124 * linear[0] + 0.3576 * linear[1] + 0.1805 * linear[2]) / 0.95047
    y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    z = (0.0193 * linear[0] + 0.1192 * linear[1] + 0.9505 * linear[2]) / 1.08883
    f = [t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29
         for t in (x, y, z)]
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_palette_has_30_plus_colours_far_apart_and_from_the_no_product_grey() -> None:
    colours = palette.PRODUCT_PALETTE
    assert len(colours) >= 30 and len(set(colours)) == len(colours)
    closest = min(np.linalg.norm(_lab(a) - _lab(b)) for a, b in combinations(colours, 2))
    assert closest >= 20, closest  # ΔE*76 ≈ 2.3 is a just-noticeable difference
    grey = _lab(palette.NO_PRODUCT_COLOUR)
    assert min(np.linalg.norm(_lab(c) - grey) for c in colours) >= 20


def test_forty_products_never_share_a_style_and_the_first_36_not_a_colour() -> None:
    products = [f"komoditas_{i:02d}" for i in range(40)]
    styles = palette.product_styles(reversed(products))  # order given does not matter
    assert len(set(styles.values())) == 40
    first = [styles[p][0] for p in sorted(products)[:36]]
    assert len(set(first)) == 36
    assert all(styles[p][1] is None for p in sorted(products)[:36])
    assert all(styles[p][1] for p in sorted(products)[36:])  # hatched beyond the palette
    assert palette.product_colours(products) == {p: s[0] for p, s in styles.items()}
    with pytest.raises(ValueError, match="at most"):
        palette.product_styles(f"p{i}" for i in range(len(palette.PRODUCT_PALETTE)
                                                      * len(palette.PRODUCT_HATCHES) + 1))


def _squares(side: int, size: float = 1_000.0) -> gpd.GeoDataFrame:
    """``side`` × ``side`` squares in ``side`` kabupaten of one row each."""
    shapes, ids = [], []
    for r in range(side):
        for c in range(side):
            shapes.append(box(c * size, r * size, (c + 1) * size, (r + 1) * size))
            ids.append(f"33.{r + 1:02d}.{c + 1:02d}")
    names = [f"K{i}" if i % 3 else f"Kecamatan {i}" for i in range(len(ids))]
    return gpd.GeoDataFrame({"kecamatan_id": ids, "kecamatan": names}, geometry=shapes, crs=CRS)


def _place(frame: gpd.GeoDataFrame, *, fit_only: bool, fontsize: float = 5.5):
    side = frame.total_bounds[2]
    page = new_page((0, side, 0, side), CRS, SidePanel())
    lines = [[(name, {"fontsize": fontsize, "fontweight": "bold"})]
             for name in frame["kecamatan"]]
    texts = mapdata.place_labels(page.ax, list(frame.geometry), lines, fit_only=fit_only)
    return page, texts, mapdata.LAST_INDEX[0].checks


def test_label_work_grows_linearly_and_labels_fit_without_overlap() -> None:
    for side in (10, 20):  # 100 and 400 kecamatan on the same page
        frame = _squares(side)
        page, texts, checks = _place(frame, fit_only=True)
        n, shown_n = len(frame), sum(1 for label in texts if label)
        bound = 12 * 4 * n  # ≤ 12 candidates, each against a few neighbouring labels
        assert checks <= bound, (n, checks)
        if side == 20:  # a pairwise scan would compare each label with all placed before it
            assert shown_n * (shown_n - 1) / 2 > bound
        renderer = page.fig.canvas.get_renderer()
        shown = [(i, Bbox.union([t.get_window_extent(renderer) for t in label]))
                 for i, label in enumerate(texts) if label]
        assert shown, "no label fits at all"
        for (_, a), (_, b) in combinations(shown, 2):
            assert not a.overlaps(b)
        to_data = page.ax.transData.inverted()
        for i, bbox in shown:  # inside its own square (a 5 % spill allowed)
            (x0, y0), (x1, y1) = to_data.transform([(bbox.x0, bbox.y0), (bbox.x1, bbox.y1)])
            label = box(x0, y0, x1, y1)
            assert label.intersection(frame.geometry.iloc[i]).area >= 0.9 * label.area
        if side == 10:
            assert shown_n == n  # room for every name
        else:  # crowded: names left out rather than stacked or led out
            assert 0 < shown_n < n
            assert not [line for line in page.ax.lines if len(line.get_xdata()) == 2]


def test_a_crowded_map_numbers_each_kecamatan_whose_name_does_not_fit() -> None:
    frame = _squares(20)  # 400 kecamatan: above the crowding threshold
    page = new_page((0, 20_000, 0, 20_000), CRS, SidePanel())
    mapdata.label_kecamatan(page.ax, frame, "kecamatan")
    shown = [t for t in page.ax.texts if t.get_text()]
    key = mapdata.kecamatan_key(frame, "kecamatan_id", "kecamatan")
    names = {t.get_text() for t in shown if not t.get_text().isdigit()}
    numbers = [int(t.get_text()) for t in shown if t.get_text().isdigit()]
    # Each kecamatan exactly once: by its name, or by its key number and not its name.
    assert names and numbers
    assert len(shown) == len(frame)
    by_number = dict(zip(key["number"], key["kecamatan"], strict=True))
    assert names.isdisjoint(by_number[n] for n in numbers)
    assert names | {by_number[n] for n in numbers} == set(frame["kecamatan"])
    # A number sits at a point inside its own kecamatan.
    for text in shown:
        if text.get_text().isdigit():
            point = Point(text.xy)
            assert frame.geometry.iloc[int(text.get_text()) - 1].contains(point)


def test_every_label_is_kept_below_the_crowding_threshold() -> None:
    frame = _squares(3, size=10_000.0)
    _, texts, _ = _place(frame, fit_only=False, fontsize=8)
    assert all(texts)


def _products(n_products: int, side: int = 7) -> gpd.GeoDataFrame:
    frame = _squares(side)
    products: list[str | None] = [f"komoditas_{i % n_products:02d}" for i in range(len(frame))]
    products[0] = None
    frame["product"] = products
    return frame


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def test_product_map_styles_forty_products_and_greys_the_kecamatan_without_one() -> None:
    frame = _products(40)
    fig = maps._product_figure(frame, info=INFO)
    fills = fig.axes[0].collections[0].get_facecolors()
    styles = palette.product_styles(p for p in frame["product"] if isinstance(p, str))
    grey = np.array([int(palette.NO_PRODUCT_COLOUR[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    np.testing.assert_allclose(fills[0][:3], grey)
    hatched = {c.get_hatch(): len(c.get_paths()) for c in fig.axes[0].collections
               if c.get_hatch()}
    assert hatched[palette.NO_PRODUCT_HATCH] == 1
    assert hatched["////"] == sum(1 for p in frame["product"]
                               if isinstance(p, str) and styles[p][1] == "////")
    texts = _texts(fig)
    assert "Tidak ada komoditas layak" in texts
    assert sum(t.endswith(" kec.") for t in texts) == 41  # 40 products and the none entry


def test_province_map_draws_kabupaten_lines() -> None:
    frame = _products(5)
    fig = maps._product_figure(frame, info=INFO)
    widths = sorted({float(c.get_linewidths()[0]) for c in fig.axes[0].collections
                     if c.get_facecolors().size == 0 and c.get_linewidths().size})
    kabupaten = [c for c in fig.axes[0].collections if c.get_facecolors().size == 0
                 and len(c.get_paths()) == 7 and c.get_edgecolors().size]
    assert len(kabupaten) == 1  # 7 rows of squares = 7 kabupaten
    assert len(widths) >= 3
    one = frame[frame["kecamatan_id"].str.startswith("33.01.")]
    fig = maps._product_figure(one, info=INFO)
    assert not [c for c in fig.axes[0].collections if len(c.get_paths()) == 1
                and c.get_facecolors().size == 0 and c.get_linewidths()[0] == 1.0]


def test_summary_maps_leave_out_the_maps_per_commodity(small_demo, tmp_path) -> None:
    from aez.harmonize import LayerStack
    from aez.pipeline.atlas import map_info, map_jobs
    from aez.pipeline.suitability import SuitabilityTotals

    config = load_config(small_demo)
    stack = LayerStack.from_config(config)
    frame = _products(3, side=2)
    frame["probability"], frame["stability"] = 1.0, "stable"
    info = map_info(config, frame, lang="id", date=dt.date(2025, 1, 1))
    totals = {"jagung": SuitabilityTotals.__new__(SuitabilityTotals)}
    object.__setattr__(totals["jagung"], "paths", {"class": tmp_path / "c.tif",
                                                   "subclass": tmp_path / "s.tif"})

    class Crop:
        id, name_id, name_en = "jagung", "Jagung", "Maize"

    def jobs(which):
        return set(map_jobs(stack, totals, [Crop()], frame, tmp_path, info=info,
                            robustness=True, which=which))

    assert jobs("all") == {"overview", "products", "robustness", "suitability/jagung",
                           "limits/jagung"}
    assert jobs("summary") == {"overview", "products", "robustness"}
    assert jobs("none") == set()
    summary = replace(config, output=replace(config.output, maps="summary"))
    assert summary.output.maps == "summary"


def test_maps_setting_is_checked(small_demo, tmp_path) -> None:
    from aez.errors import ConfigError

    text = small_demo.read_text().replace("[output]\n", '[output]\nmaps = "some"\n', 1)
    bad = small_demo.parent / "bad_maps.toml"
    bad.write_text(text)
    try:
        with pytest.raises(ConfigError, match="maps"):
            load_config(bad)
    finally:
        bad.unlink()
    good = small_demo.parent / "summary_maps.toml"
    good.write_text(small_demo.read_text().replace("[output]\n", '[output]\nmaps = "summary"\n',
                                                   1))
    try:
        assert load_config(good).output.maps == "summary"
    finally:
        good.unlink()


def test_boundary_demo_region_is_named_by_its_codes() -> None:
    from aez.demo.write import boundary_region

    assert boundary_region(["33.01.01", "33.01.02", "33.35.01"]) == (
        "Provinsi 33 (2 kabupaten/kota)")
    assert boundary_region(["64.08.03"]) == "Kabupaten/Kota 64.08"


def test_robustness_map_greys_the_kecamatan_without_a_product() -> None:
    frame = _products(3, side=3)
    frame["probability"] = [np.nan] + [0.9] * 8
    frame["stability"] = [None] + ["stable"] * 8
    fig = maps._robustness_figure(frame, info=INFO)
    assert "Tidak ada komoditas layak" in _texts(fig)
    hatched = {c.get_hatch(): len(c.get_paths()) for c in fig.axes[0].collections
               if c.get_hatch()}
    assert hatched == {palette.NO_PRODUCT_HATCH: 1}
    frame["probability"] = [np.nan] + [1.5] * 8
    from aez.errors import ConfigError

    with pytest.raises(ConfigError, match="probabilities"):
        maps._robustness_figure(frame, info=INFO)


def test_qgis_style_and_report_swatches_follow_the_maps_palette_and_hatches() -> None:
    import xml.etree.ElementTree as ET

    from aez.render.qgis import categorized_vector_qml

    products = [f"komoditas_{i:02d}" for i in range(40)]
    styles = palette.product_styles(products)
    root = ET.fromstring(categorized_vector_qml(
        "product", {p: (c, p, h) for p, (c, h) in styles.items()}))
    symbols = {s.get("name"): s for s in root.iter("symbol") if s.get("type") == "fill"}
    by_value = {c.get("value"): symbols[c.get("symbol")] for c in root.iter("category")}
    for product, (colour, hatch) in styles.items():
        layers = by_value[product].findall("layer")
        fill = {p.get("k"): p.get("v") for p in layers[0].findall("prop")}
        assert fill["color"] == ",".join(map(str, palette.hex_to_rgba(colour)))
        angles = [float({p.get("k"): p.get("v") for p in layer.findall("prop")}["angle"])
                  for layer in layers[1:] if layer.get("class") == "LinePatternFill"]
        assert angles == list(palette.HATCH_LINES.get(hatch, ())) if hatch else not layers[1:]
    # Products 37–40 repeat the first four colours, hatched as on the maps.
    assert [styles[p] for p in products[36:]] == [(c, "////") for c in palette.PRODUCT_PALETTE[:4]]
    assert palette.css_background(*styles[products[36]]).endswith(palette.PRODUCT_PALETTE[0])
    assert "-45deg" in palette.css_background(*styles[products[36]])
    assert palette.css_background(*styles[products[0]]) == palette.PRODUCT_PALETTE[0]
