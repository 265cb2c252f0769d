"""Atlas maps: files, bytes, languages, colours, limiting-factor rule and decimated reads.

The synthetic region is three 10 × 20 km kecamatan side by side on a 100 m grid
(200 rows × 300 columns, EPSG:32750): the west one is all S1, the middle one S3,
the east one N with an excluded square, so every expected colour and hectare
follows from the layout by hand. The small demo region checks the maps against
the evaluation stage's own per-kecamatan areas.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from matplotlib.transforms import Bbox
from PIL import Image
from pyproj import Transformer
from rasterio.transform import from_origin
from shapely.geometry import Point, box

from aez.characteristics import QUALITIES
from aez.errors import ConfigError, OutputExistsError
from aez.evaluate.classes import quality_bit
from aez.render import mapdata, maps, palette
from aez.render.cartography import DPI, GAP, MARGIN, PANEL_WIDTH, save_figure
from aez.render.jobs import MapJob, draw_maps
from aez.render.mapdata import dominant_quality
from aez.render.maps import (
    MapInfo,
    limits_map,
    overview_map,
    product_map,
    robustness_map,
    suitability_map,
)

CRS = "EPSG:32750"
WEST, NORTH, RES = 400_000.0, 9_500_000.0, 100.0
ROWS, COLS = 200, 300
INFO_ID = MapInfo(region="Kab. Uji", source="aez test · data: synthetic", date="2025-01-31",
                  lang="id")
INFO_EN = MapInfo(region="Kab. Test", source="aez test · data: synthetic", date="2025-01-31",
                  lang="en")


def _write(path: Path, data: np.ndarray, *, nodata: float, crs: str = CRS,
           transform=None) -> Path:
    profile = {"driver": "GTiff", "height": data.shape[0], "width": data.shape[1], "count": 1,
               "dtype": data.dtype.name, "crs": crs, "nodata": nodata, "tiled": True,
               "blockxsize": 256, "blockysize": 256, "compress": "deflate",
               "transform": transform or from_origin(WEST, NORTH, RES, RES)}
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)
    return path


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Class and subclass rasters and three kecamatan (columns 0–99, 100–199, 200–299)."""
    folder = tmp_path_factory.mktemp("maps")
    classes = np.zeros((ROWS, COLS), np.uint8)
    classes[:, :100] = 1  # west: S1, 20 000 cells = 20 000 ha
    classes[:, 100:200] = 3  # middle: S3
    classes[:, 200:] = 4  # east: N ...
    classes[80:120, 230:270] = 5  # ... with 40 × 40 = 1 600 ha excluded
    subclass = np.zeros((ROWS, COLS), np.uint16)
    nr, eh, tc = quality_bit("nr"), quality_bit("eh"), quality_bit("tc")
    # middle: the north half is limited by nr and eh together, the south half by eh alone,
    # so eh limits every S3 cell there and is the one shown everywhere (the lowest set
    # bit, nr, would be shown in the north half under a "first quality" rule).
    subclass[:100, 100:200] = nr | eh
    subclass[100:, 100:200] = eh
    # east: tc and eh together on every N cell; equal counts, so the tie goes to tc.
    subclass[:, 200:] = tc | eh
    subclass[classes == 5] = 0
    districts = gpd.GeoDataFrame(
        {"kecamatan": ["Barat", "Tengah", "Timur"],
         "product": ["padi_sawah", "jagung", "padi_sawah"],
         "probability": [0.95, 0.5, 0.15],
         "stability": ["stable", "moderate", "unstable"]},
        geometry=[box(WEST + RES * c0, NORTH - RES * ROWS, WEST + RES * c1, NORTH)
                  for c0, c1 in ((0, 100), (100, 200), (200, 300))], crs=CRS)
    return {"folder": folder, "districts": districts,
            "class": _write(folder / "crop_class.tif", classes, nodata=0),
            "subclass": _write(folder / "crop_subclass.tif", subclass, nodata=65535)}


def _texts(fig) -> list[str]:
    found = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        found += [t.get_text() for t in ax.texts]
    return found


def _pixel(png: Path, fig, x: float, y: float) -> tuple[int, ...]:
    """RGB of the PNG pixel under map coordinates (x, y) of the figure's map frame."""
    dx, dy = fig.axes[0].transData.transform((x, y))
    with Image.open(png) as image:
        return image.getpixel((int(dx), image.height - 1 - int(dy)))[:3]


# -- files, size, bytes ---------------------------------------------------------------------------


def test_suitability_map_writes_a_png_and_a_pdf_of_the_page(region, tmp_path: Path) -> None:
    paths = suitability_map(region["class"], region["districts"], crop_name="Jagung",
                            info=INFO_ID, out_base=tmp_path / "jagung")
    assert paths == [tmp_path / "jagung.png", tmp_path / "jagung.pdf"]
    # page width: margin + 8 in map frame (the region is wider than tall) + gap + panel +
    # margin, at DPI dots per inch
    width_in = MARGIN + 8.0 + GAP + PANEL_WIDTH + MARGIN
    with Image.open(paths[0]) as png:
        assert png.format == "PNG" and png.mode == "RGB"
        assert abs(png.width - width_in * DPI) < 1
        # a 30 × 20 km frame 8 in wide is 5.33 in tall; the page body is at least 6.2 in
        assert png.height >= (6.2 + 2 * MARGIN) * DPI - 1
    pdf = paths[1].read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    media = re.search(rb"/MediaBox \[ *0 0 ([\d.]+) ([\d.]+) *\]", pdf)
    assert media and abs(float(media.group(1)) - width_in * 72) < 0.1
    assert b"/CreationDate" not in pdf and b"Matplotlib" not in pdf
    assert not list(tmp_path.glob(".*partial*"))


def test_same_inputs_give_the_same_bytes(region, tmp_path: Path, monkeypatch) -> None:
    # the first map places its labels, the second reuses the placement (as a worker does
    # for every crop after the first); the bytes must not tell them apart
    monkeypatch.setattr(mapdata, "_PLACED", {})
    args = (region["subclass"], region["class"], region["districts"])
    first = limits_map(*args, crop_name="Jagung", info=INFO_ID, out_base=tmp_path / "a")
    second = limits_map(*args, crop_name="Jagung", info=INFO_ID, out_base=tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
    other = limits_map(*args, crop_name="Jagung", info=INFO_EN, out_base=tmp_path / "c")
    assert other[0].read_bytes() != first[0].read_bytes()  # the comparison can fail
    # labels are placed largest kecamatan first, yet drawn in the table's order
    uneven = region["districts"].assign(geometry=[
        box(WEST, NORTH - 5_000, WEST + 5_000, NORTH), box(WEST + 10_000, NORTH - 20_000,
                                                          WEST + 30_000, NORTH),
        box(WEST, NORTH - 20_000, WEST + 10_000, NORTH - 10_000)])
    fresh = product_map(uneven, info=INFO_ID, out_base=tmp_path / "p1")
    reused = product_map(uneven, info=INFO_ID, out_base=tmp_path / "p2")
    assert [p.read_bytes() for p in fresh] == [p.read_bytes() for p in reused]


def test_existing_output_is_kept_unless_overwrite(region, tmp_path: Path) -> None:
    target = tmp_path / "products.pdf"
    target.write_bytes(b"earlier run")
    with pytest.raises(OutputExistsError, match=r"products\.pdf"):
        product_map(region["districts"], info=INFO_ID, out_base=tmp_path / "products")
    assert target.read_bytes() == b"earlier run"
    assert not (tmp_path / "products.png").exists()  # checked before anything is written
    product_map(region["districts"], info=INFO_ID, out_base=tmp_path / "products",
                overwrite=True)
    assert target.read_bytes().startswith(b"%PDF-")


def test_draw_maps_gives_the_same_files_with_two_workers(region, tmp_path: Path) -> None:
    def jobs(folder: Path) -> list[MapJob]:
        folder.mkdir()
        return [MapJob("suitability", {"class_path": region["class"],
                                       "districts": region["districts"], "crop_name": "Jagung",
                                       "info": INFO_EN, "out_base": folder / "s"}),
                MapJob("robustness", {"districts": region["districts"], "info": INFO_EN,
                                      "out_base": folder / "r"})]

    serial = draw_maps(jobs(tmp_path / "one"), workers=1)
    parallel = draw_maps(jobs(tmp_path / "two"), workers=2)
    assert [[p.name for p in ps] for ps in serial] == [["s.png", "s.pdf"], ["r.png", "r.pdf"]]
    for a, b in zip(serial, parallel, strict=True):
        assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    with pytest.raises(ConfigError, match="bogus"):
        draw_maps([MapJob("bogus", {})])


def test_a_worker_error_reaches_the_caller(region, tmp_path: Path) -> None:
    """A job that fails in a worker process raises its own error here, files untouched."""
    (tmp_path / "r.png").write_bytes(b"earlier run")
    jobs = [MapJob("robustness", {"districts": region["districts"], "info": INFO_EN,
                                  "out_base": tmp_path / "r"}),
            MapJob("products", {"districts": region["districts"], "info": INFO_EN,
                                "out_base": tmp_path / "p"})]
    finished = []
    with pytest.raises(OutputExistsError, match=r"r\.png"):
        draw_maps(jobs, workers=2, on_done=finished.append)
    assert (tmp_path / "r.png").read_bytes() == b"earlier run"
    assert finished == [1] and (tmp_path / "p.png").exists()


# -- languages ------------------------------------------------------------------------------------


def test_indonesian_and_english_labels(region) -> None:
    texts = {}
    for info, crop in ((INFO_ID, "Jagung"), (INFO_EN, "Maize")):
        fig = maps._suitability_figure(region["class"], region["districts"], crop_name=crop,
                                       info=info)
        texts[info.lang] = _texts(fig)
    assert "Kesesuaian lahan: Jagung" in texts["id"]
    assert "Land suitability: Maize" in texts["en"]
    assert "S1 – sangat sesuai" in texts["id"] and "S1 – sangat sesuai" not in texts["en"]
    assert "S1 – highly suitable" in texts["en"] and "S1 – highly suitable" not in texts["id"]
    assert "Batas kecamatan" in texts["id"] and "Kecamatan boundary" in texts["en"]
    assert "U" in texts["id"] and "N" not in texts["id"]  # utara
    assert "N" in texts["en"] and "U" not in texts["en"]  # north
    # 20 000 ha of S1 out of 60 000 ha, 1 600 ha of it excluded: shares are of the 58 400 ha
    # evaluated (S1–N), 20 000 / 58 400 = 34.2 %, as in the report; Indonesian thousands
    # separator "." and English ","
    assert "20.000 ha · 34 %" in texts["id"]
    assert "20,000 ha · 34 %" in texts["en"]
    assert "1,600 ha" in texts["en"]  # X: hectares only, outside the base of the shares
    assert not any(t.startswith("1,600 ha ·") for t in texts["en"])
    assert any(t.startswith("Sistem koordinat: WGS 84 / UTM zone 50S (EPSG:32750)")
               for t in texts["id"])
    assert "Tanggal: 2025-01-31" in texts["id"] and "Date: 2025-01-31" in texts["en"]


def test_bad_language_and_missing_columns_are_clear_errors(region, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'fr'"):
        MapInfo(region="x", source="y", date="2025-01-01", lang="fr")
    with pytest.raises(ConfigError, match=r"\['nama'\]"):
        product_map(region["districts"], name_column="nama", info=INFO_ID,
                    out_base=tmp_path / "p")
    bad = region["districts"].assign(probability=[0.5, 1.2, 0.1])
    with pytest.raises(ConfigError, match="probabilities in"):
        robustness_map(bad, info=INFO_ID, out_base=tmp_path / "r")
    assert not list(tmp_path.iterdir())


# -- colours --------------------------------------------------------------------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    return palette.hex_to_rgba(colour)[:3]


def test_class_colours_at_known_places(region, tmp_path: Path) -> None:
    fig = maps._suitability_figure(region["class"], region["districts"], crop_name="Jagung",
                                   info=INFO_EN, name_column=None)
    png, _ = save_figure(fig, tmp_path / "s")
    # centre of the west kecamatan (S1), of the middle one (S3), of the excluded square
    # (columns 230–269, rows 80–119) and of the N land north of it
    assert _pixel(png, fig, WEST + 5_000, NORTH - 10_000) == _rgb(palette.CLASS_COLOURS[1])
    assert _pixel(png, fig, WEST + 15_000, NORTH - 5_000) == _rgb(palette.CLASS_COLOURS[3])
    assert _pixel(png, fig, WEST + 25_000, NORTH - 10_000) == _rgb(palette.CLASS_COLOURS[5])
    assert _pixel(png, fig, WEST + 25_000, NORTH - 3_000) == _rgb(palette.CLASS_COLOURS[4])


def test_limits_map_shows_the_documented_quality(region, tmp_path: Path) -> None:
    fig = maps._limits_figure(region["subclass"], region["class"], region["districts"],
                              crop_name="Jagung", info=INFO_EN, name_column=None)
    png, _ = save_figure(fig, tmp_path / "l")
    # middle, north half: nr and eh both limit; eh limits all 20 000 S3 cells of the
    # kecamatan and nr only 10 000, so eh is shown
    assert _pixel(png, fig, WEST + 15_000, NORTH - 4_000) == _rgb(palette.QUALITY_COLOURS["eh"])
    # east: tc and eh limit the same cells; the tie goes to tc (first in QUALITIES)
    assert _pixel(png, fig, WEST + 25_000, NORTH - 3_000) == _rgb(palette.QUALITY_COLOURS["tc"])
    texts = _texts(fig)
    # shares of the S2–N land (20 000 S3 + 18 400 N cells): eh 20 000 / 38 400 = 52 %,
    # tc 18 400 / 38 400 = 48 %
    labels = [palette.quality_label("eh", "en"), palette.quality_label("tc", "en")]
    assert all(label in texts for label in labels)
    assert "52 %" in texts and "48 %" in texts
    assert palette.quality_label("nr", "en") not in texts  # never shown, so not in the legend


def test_dominant_quality_rule_on_a_hand_made_grid() -> None:
    nr, eh, tc, wa = (quality_bit(q) for q in ("nr", "eh", "tc", "wa"))
    subclass = np.array([
        [nr | eh, nr | eh, eh, tc | wa, 0, 65535],
        [nr, nr, nr | eh, tc | wa, tc | wa, nr],
    ], np.uint16)
    classes = np.array([[3, 3, 3, 4, 1, 0],
                        [2, 2, 3, 4, 4, 5]], np.uint8)
    zones = np.array([[1, 1, 1, 2, 2, 2],
                      [1, 1, 1, 2, 2, 2]])
    q = {name: QUALITIES.index(name) for name in ("nr", "eh", "tc")}
    # zone 1: nr is set in 5 rated cells, eh in 4, so the nr|eh cells show nr;
    # zone 2: tc and wa tie (3 cells each), tc comes first; S1, nodata and excluded
    # cells show nothing, even with bits set.
    expected = np.array([[q["nr"], q["nr"], q["eh"], q["tc"], -1, -1],
                         [q["nr"], q["nr"], q["nr"], q["tc"], q["tc"], -1]])
    np.testing.assert_array_equal(dominant_quality(subclass, classes, zones), expected)


def test_dominant_quality_matches_a_cell_by_cell_oracle() -> None:
    rng = np.random.default_rng(7)
    shape = (30, 40)
    subclass = (rng.integers(0, 4096, shape) & rng.choice([0x11, 0x212, 0xFFF, 0x3], shape))
    subclass = np.where(rng.random(shape) < 0.05, 65535, subclass).astype(np.uint16)
    classes = rng.integers(0, 7, shape).astype(np.uint8)
    zones = rng.integers(0, 6, shape)
    rated = (classes >= 2) & (classes <= 4) & (subclass != 65535)
    counts = {(z, q): 0 for z in range(6) for q in range(12)}
    for (r, c), ok in np.ndenumerate(rated):
        for q in range(12):
            counts[zones[r, c], q] += bool(ok and subclass[r, c] >> q & 1)
    expected = np.full(shape, -1)
    for (r, c), ok in np.ndenumerate(rated):
        bits = [q for q in range(12) if subclass[r, c] >> q & 1]
        if ok and bits:  # most cells in the zone first, then the lower index
            expected[r, c] = max(bits, key=lambda q: (counts[zones[r, c], q], -q))
    np.testing.assert_array_equal(dominant_quality(subclass, classes, zones), expected)


def test_products_and_robustness_labels(region) -> None:
    fig = maps._product_figure(region["districts"], product_names={"padi_sawah": "Padi sawah",
                                                                   "jagung": "Jagung"},
                               info=INFO_ID)
    texts = _texts(fig)
    assert {"Barat", "Tengah", "Timur", "Padi sawah", "Jagung", "2 kec.", "1 kec."} <= set(texts)
    assert "Komoditas unggulan per kecamatan" in [t.replace("\n", " ") for t in texts]
    fig = maps._robustness_figure(region["districts"], info=INFO_EN)
    texts = _texts(fig)
    assert {"95 %", "50 %", "15 %", "stable", "moderate", "unstable"} <= set(texts)
    hatched = [c.get_hatch() for c in fig.axes[0].collections if c.get_hatch()]
    assert sorted(hatched) == ["...", "////"]  # moderate and unstable; stable is plain


def test_robustness_map_shows_climate_stability(region) -> None:
    # kept in 2/2, 1/2 and 0/2 scenarios: the two that lose their product are outlined
    districts = region["districts"].assign(climate_kept=[2, 1, 0], climate_scenarios=2)
    fig = maps._robustness_figure(districts, info=INFO_EN)
    texts = _texts(fig)
    assert {"95 % · 2/2", "50 % · 1/2", "15 % · 0/2", "CLIMATE SCENARIOS", "2 kec."} <= set(texts)
    outlined = [c for c in fig.axes[0].collections
                if c.get_linewidth()[0] == maps.CLIMATE_OUTLINE_WIDTH]
    assert len(outlined) == 1 and len(outlined[0].get_paths()) == 2
    # without the columns (no scenarios), the map is as before
    plain = _texts(maps._robustness_figure(region["districts"], info=INFO_EN))
    assert "95 %" in plain and "CLIMATE SCENARIOS" not in plain
    with pytest.raises(ConfigError, match="climate_kept"):
        maps._robustness_figure(districts.assign(climate_kept=[3, 1, 0]), info=INFO_EN)


def test_labels_never_overlap_and_a_tiny_kecamatan_gets_a_leader(tmp_path: Path) -> None:
    from aez.render.cartography import SidePanel, new_page

    # two 10 km squares and, between them, a 400 m one whose name cannot fit inside it
    shapes = [box(0, 0, 10_000, 10_000), box(10_400, 0, 20_400, 10_000),
              box(10_000, 4_800, 10_400, 5_200)]
    page = new_page((-500, 20_900, -500, 10_500), CRS, SidePanel())
    lines = [[(name, {"fontsize": 8, "fontweight": "bold"}), ("Padi sawah", {"fontsize": 7})]
             for name in ("Kampung Panjang Sekali", "Sungai Lebar", "Tanjung Kecil")]
    texts = mapdata.place_labels(page.ax, shapes, lines)
    renderer = page.fig.canvas.get_renderer()
    boxes = [Bbox.union([t.get_window_extent(renderer) for t in label]) for label in texts]
    for i in range(3):
        for j in range(i):
            assert not boxes[i].overlaps(boxes[j]), (i, j)
    tiny = page.ax.transData.transform([(10_000, 4_800), (10_400, 5_200)])
    assert not boxes[2].overlaps(Bbox(tiny))  # beside its square, not over it
    leaders = [line for line in page.ax.lines if len(line.get_xdata()) == 2]
    assert len(leaders) == 1
    assert shapes[2].contains(Point(leaders[0].get_xdata()[0], leaders[0].get_ydata()[0]))


# -- decimated reads ------------------------------------------------------------------------------


def test_overview_reads_every_layer_decimated(region, tmp_path: Path, monkeypatch) -> None:
    big = 2000  # a 2000 × 3000 grid at 10 m over the same 30 × 20 km
    rows = np.arange(big, dtype=np.float32)[:, None]
    dem = np.broadcast_to(rows / 3, (big, big * 3 // 2)).astype(np.float32)
    dem_path = _write(tmp_path / "dem.tif", dem, nodata=-9999.0,
                      transform=from_origin(WEST, NORTH, 20_000 / big, 20_000 / big))
    status = np.zeros((ROWS, COLS), np.uint8)
    status[:, 150:] = 2
    status[:, :150] = 1
    # a land status in geographic coordinates (0.001° cells) over the region, to be warped
    lon0, lat0 = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True).transform(WEST, NORTH)
    geo_path = _write(tmp_path / "status_4326.tif", status, nodata=0, crs="EPSG:4326",
                      transform=from_origin(lon0 - 0.01, lat0 + 0.01, 0.0015, 0.0015))
    reads: list[tuple[int, int]] = []
    original = rasterio.io.DatasetReader.read

    def spy(self, *args, **kwargs):
        data = original(self, *args, **kwargs)
        reads.append(data.shape[-2:])
        return data

    warps: list[dict] = []

    class SpyVRT(mapdata.WarpedVRT):
        def __init__(self, src, **kwargs):
            warps.append(kwargs)
            super().__init__(src, **kwargs)

    monkeypatch.setattr(rasterio.io.DatasetReader, "read", spy)
    monkeypatch.setattr(mapdata, "WarpedVRT", SpyVRT)
    overview_map([("Elevasi", dem_path, "elevation", "m", None),
                  ("Status", geo_path, "categorical", "", {1: "apl", 2: ("hutan", "#1b7837")})],
                 region["districts"].to_crs(CRS), info=INFO_ID, out_base=tmp_path / "o")
    panel_pixels = (8.0 - 0.25) / 2 * DPI  # two panels and a 0.25 in gap share 8 in
    assert reads and all(c <= panel_pixels + 1 for _, c in reads)
    assert max(r * c for r, c in reads) < big * big * 1.5 / 20  # never near the full grid
    assert len(warps) == 1 and warps[0]["width"] <= panel_pixels + 1
    assert warps[0]["crs"].to_epsg() == 32750


# -- the small demo region ------------------------------------------------------------------------


def test_demo_maps_agree_with_the_evaluation_areas(small_demo: Path, tmp_path: Path) -> None:
    """Hectares in the legend equal the evaluation stage's own per-kecamatan sums."""
    import aez
    from aez.crops import load_crops
    from aez.pipeline import evaluate_stack

    config = aez.load_config(small_demo)
    stack = aez.LayerStack.from_config(config)
    crops = load_crops(["jagung", "kopi_arabika"])
    totals = evaluate_stack(stack, crops, tmp_path / "rasters",
                            constraints=list(config.constraints.values()))
    districts = stack.study_area.districts
    name = stack.study_area.name_column
    for crop in crops:
        paths = totals[crop.id].paths
        ha = totals[crop.id].area_cm2.sum(axis=0) / 1e8  # cm² → ha, per class code 0–6
        areas = mapdata.class_areas(paths["class"])
        np.testing.assert_allclose([areas[c] for c in range(1, 7)], ha[1:7], rtol=1e-9)
        fig = maps._suitability_figure(paths["class"], districts, crop_name=crop.name_id,
                                       info=INFO_ID, name_column=name)
        texts = _texts(fig)
        for code in range(1, 5):  # "12.345 ha · 23 %"; a share under 0.5 % reads "< 1 %"
            share = ha[code] / ha[1:5].sum()  # of the evaluated land, S1–N
            percent = "< 1 %" if 0 < share < 0.005 else f"{100 * share:.0f} %"
            assert f"{ha[code]:,.0f} ha · {percent}".replace(",", ".") in texts
        assert set(districts[name]) <= set(texts)
        written = limits_map(paths["subclass"], paths["class"], districts, crop_name=crop.name_id,
                             info=INFO_ID, out_base=tmp_path / f"{crop.id}_limits",
                             name_column=name)
        assert all(p.stat().st_size > 10_000 for p in written)
