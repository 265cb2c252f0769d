"""Per-kecamatan zonal aggregation: hand-checked grids, the summary table, zonal means."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine
from pyproj import Geod
from rasterio.windows import Window
from shapely.geometry import Polygon, box

from aez.characteristics import QUALITIES
from aez.config import load_config
from aez.crops import parse_crop
from aez.errors import AEZWarning, ConfigError, DataSourceError, GridMismatchError, LayerKindError
from aez.evaluate.classes import UNKNOWN, quality_bit
from aez.grid import Grid
from aez.harmonize import LayerStack, StudyArea
from aez.pipeline import (
    VALUE_SCALE,
    StageOptions,
    SuitabilityTotals,
    evaluate_stack,
    zonal_class_areas,
)
from aez.testing import write_tiny_region
from aez.zonal import (
    ClassAreas,
    area_cm2_rows,
    class_histograms,
    class_value_sums,
    district_summary,
    suitability_index,
    wide_table,
)

#: A crop rated on three layers of the tiny region (bands for the test only).
TEST_CROP = parse_crop({
    "id": "tanaman_uji", "name_id": "Tanaman uji", "name_en": "Test crop",
    "scientific_name": "Planta probata", "group": "food",
    "sources": [{"key": "test", "citation": "Test bands for the tiny region."}],
    "characteristics": {
        "rainfall": {"units": "mm/yr", "S1": [1500, 2500], "S2": [[1200, 1500], [2500, 3000]],
                     "S3": [[900, 1200], [3000, 3500]], "N": [[0, 900], [3500, "inf"]],
                     "source": "test"},
        "ph_h2o": {"units": "", "S1": [5.5, 7.0], "S2": [[5.0, 5.5], [7.0, 7.5]],
                   "S3": [[4.5, 5.0], [7.5, 8.0]], "N": [[0, 4.5], [8.0, 14]], "source": "test"},
        "drainage": {"S1": ["well", "moderately_well"], "S2": ["somewhat_poor"],
                     "S3": ["poor", "somewhat_excessive"], "N": ["very_poor", "excessive"],
                     "source": "test"},
    },
})

# -- a 4 × 4 grid of 1 ha cells with two kecamatan ----------------------------------------------
#
#   x →  0   100  200 240  300  400        A = cols 0–1, plus a 40 m sliver of cell (0, 2)
#  400 ┌────┬────┬──┬──────┬────┐         B = the rest of row 0 cols 2–3, rows 1–2 cols 2–3,
#      │ A  │ A  │A │  B   │ B  │             and a 40 m sliver (y 60–100) of row 3 cols 2–3
#  300 ├────┼────┼──┴──────┼────┤
#      │ A  │ A  │    B    │ B  │         Centres: (0, 2) at x = 250 lies in B (A covers only
#  200 ├────┼────┼─────────┼────┤         40 % of it); (3, 2) and (3, 3) at y = 50 lie in
#      │ A  │ A  │    B    │ B  │         neither, although B covers 40 % of each.
#  100 ├────┼────┼─────────┼────┤
#      │ A  │ A  │ (B 40%) │(B) │
#    0 └────┴────┴─────────┴────┘
X0, Y0 = 500_000.0, 9_000_000.0
CRS = "EPSG:32750"
GRID = Grid(CRS, Affine(100, 0, X0, 0, -100, Y0 + 400), (4, 4))
A = box(X0, Y0, X0 + 200, Y0 + 400).union(box(X0 + 200, Y0 + 300, X0 + 240, Y0 + 400))
B = box(X0 + 240, Y0 + 300, X0 + 400, Y0 + 400).union(box(X0 + 200, Y0 + 60, X0 + 400, Y0 + 300))
ZONES = np.array([[0, 0, 1, 1],
                  [0, 0, 1, 1],
                  [0, 0, 1, 1],
                  [0, 0, -1, -1]], np.int32)
CROP_A = np.array([[1, 1, 2, 3],
                   [1, 2, 2, 4],
                   [5, 6, 4, 4],
                   [0, 1, 3, 3]], np.uint8)
CROP_B = np.full((4, 4), 3, np.uint8)
# By hand, class codes 0 … 6 per kecamatan (A: cols 0–1 of every row; B: cols 2–3 of rows 0–2):
#   crop a, A: 1 1 / 1 2 / 5 6 / 0 1 → code 0: 1, 1: 4, 2: 1, 5: 1, 6: 1  (8 cells)
#   crop a, B: 2 3 / 2 4 / 4 4       → code 2: 2, 3: 1, 4: 3              (6 cells)
#   crop b: every cell S3            → A 8, B 6
HAND_A = [[1, 4, 1, 0, 0, 1, 1], [0, 0, 2, 1, 3, 0, 0]]
HAND_B = [[0, 0, 0, 8, 0, 0, 0], [0, 0, 0, 6, 0, 0, 0]]


def _study_area() -> StudyArea:
    frame = gpd.GeoDataFrame({"kode": ["01", "02"], "nama": ["Alpha", "Beta"]},
                             geometry=[A, B], crs=CRS)
    return StudyArea.from_frame(frame, grid_crs=GRID.crs, id_column="kode", name_column="nama")


def _write_classes(path, data: np.ndarray, grid: Grid = GRID):
    profile = {"driver": "GTiff", "width": grid.width, "height": grid.height, "count": 1,
               "dtype": data.dtype.name, "crs": grid.crs, "transform": grid.transform,
               "nodata": 0}
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)
    return path


def test_rasterized_study_area_is_the_hand_drawn_zones():
    zones = _study_area().rasterize(GRID, Window(0, 0, 4, 4))
    np.testing.assert_array_equal(zones, ZONES)


def test_class_histograms_by_hand():
    counts = class_histograms(ZONES, [CROP_A, CROP_B], n_zones=2, area_cm2=area_cm2_rows(GRID))
    assert counts.cells[0].tolist() == HAND_A
    assert counts.cells[1].tolist() == HAND_B
    # Every cell is 100 m × 100 m = 1 ha = 10⁸ cm².
    assert (counts.area_cm2 == counts.cells * 10**8).all()
    assert counts.invalid.tolist() == [0, 0]


def test_class_histograms_weigh_rows_by_their_area():
    # Rows of 1, 2, 3 and 4 cm² a cell. Crop a in A: row 0 codes 1, 1 (2 cm²), row 1 codes
    # 1 (2), 2 (2), row 2 codes 5 (3), 6 (3), row 3 codes 0 (4), 1 (4).
    counts = class_histograms(ZONES, [CROP_A], n_zones=2, area_cm2=np.array([1, 2, 3, 4]))
    assert counts.area_cm2[0, 0].tolist() == [4, 1 + 1 + 2 + 4, 2, 0, 0, 3, 3]
    # B: row 0 codes 2 (1), 3 (1); row 1 codes 2 (2), 4 (2); row 2 codes 4, 4 (3 each).
    assert counts.area_cm2[0, 1].tolist() == [0, 0, 1 + 2, 1, 2 + 3 + 3, 0, 0]


def test_codes_outside_the_classes_are_counted_apart():
    bad = CROP_A.copy()
    bad[0, 0] = 9   # inside A: invalid
    bad[3, 3] = 200  # outside every kecamatan: never looked at
    counts = class_histograms(ZONES, np.stack([bad]), n_zones=2)
    assert counts.invalid.tolist() == [1]
    assert counts.cells[0, 0, 1] == HAND_A[0][1] - 1


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"n_zones": 1}, ConfigError, "district index 1"),
    ({"n_zones": 2, "area_cm2": np.array([1.5, 2, 3, 4])}, ConfigError, "whole cm"),
    ({"n_zones": 2, "area_cm2": np.array([1, 2, 3])}, GridMismatchError, "3 rows"),
])
def test_class_histograms_reject_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        class_histograms(ZONES, [CROP_A], **kwargs)


def test_class_histograms_reject_float_classes_and_other_shapes():
    with pytest.raises(ConfigError, match="integer codes"):
        class_histograms(ZONES, [CROP_A.astype(float)], n_zones=2)
    with pytest.raises(GridMismatchError, match=r"\(3, 4\)"):
        class_histograms(ZONES, [CROP_A[:3]], n_zones=2)


def test_class_value_sums_by_hand():
    minutes = np.array([[10.0, 20.0, 30.5, np.nan],
                        [40.0, 50.0, 60.0, 70.0],
                        [1.0, 2.0, 3.0, 4.0],
                        [5.0, 6.0, 7.0, 8.0]])
    sums = class_value_sums(ZONES, [CROP_A], minutes, n_zones=2, scale=1000)
    # A, S1 (code 1): 10, 20, 40 and 6 → 76 over 4 cells. B, code 4: 70 and 3 (the 4 at (2, 3)
    # too) → 77 over 3 cells; code 3: (0, 3) has no value, so none.
    assert sums.sums[0, 0, 1] == 76_000 and sums.cells[0, 0, 1] == 4
    assert sums.sums[0, 1, 4] == 77_000 and sums.cells[0, 1, 4] == 3
    assert sums.cells[0, 1, 3] == 0
    assert sums.sums[0, 1, 2] == 30_500 + 60_000
    with pytest.raises(ConfigError, match="2\\*\\*53"):
        class_value_sums(ZONES, [CROP_A], minutes * 1e13, n_zones=2, scale=1000)


@pytest.mark.parametrize(("tile_size", "executor"), [(1, "serial"), (3, "threads"), (4, "serial")])
def test_zonal_class_areas_from_files_by_hand(tmp_path, tile_size, executor):
    paths = {"a": _write_classes(tmp_path / "a.tif", CROP_A),
             "b": _write_classes(tmp_path / "b.tif", CROP_B)}
    areas = zonal_class_areas(paths, _study_area(), tile_size=tile_size, executor=executor,
                              workers=2)
    assert list(areas) == ["a", "b"]
    assert areas["a"].cells.tolist() == HAND_A
    assert areas["b"].cells.tolist() == HAND_B
    np.testing.assert_array_equal(areas["a"].hectares, np.array(HAND_A, float))  # 1 ha a cell


def test_zonal_class_areas_on_a_geographic_grid(tmp_path):
    # 0.25° cells between 7° and 8° S: each row's cells are a little larger towards the equator.
    grid = Grid("EPSG:4326", Affine(0.25, 0, 120.0, 0, -0.25, -7.0), (4, 4))
    west = box(120.0, -8.0, 120.5, -7.0)
    east = box(120.5, -8.0, 121.0, -7.25)   # leaves the top row of the east half outside
    frame = gpd.GeoDataFrame({"kode": ["W", "E"]}, geometry=[west, east], crs="EPSG:4326")
    area = StudyArea.from_frame(frame, grid_crs=grid.crs, id_column="kode")
    classes = np.array([[1, 2, 3, 4]] * 4, np.uint8)
    result = zonal_class_areas({"c": _write_classes(tmp_path / "c.tif", classes, grid)}, area)
    # Oracle: the geodesic area of each cell's outline on WGS 84, its edges densified so the
    # geodesics follow the parallels.
    geod = Geod(ellps="WGS84")

    def cell_m2(row: int) -> float:
        north = -7.0 - 0.25 * row
        cell = box(120.0, north - 0.25, 120.25, north).segmentize(0.001)
        return abs(geod.geometry_area_perimeter(cell)[0])

    rows = [cell_m2(r) for r in range(4)]
    # West, classes 1 and 2: one cell of each in every row; east, classes 3 and 4: rows 1–3.
    for code in (1, 2):
        assert result["c"].area_cm2[0, code] / 1e4 == pytest.approx(sum(rows), rel=1e-7)
    for code in (3, 4):
        assert result["c"].area_cm2[1, code] / 1e4 == pytest.approx(sum(rows[1:]), rel=1e-7)
    assert result["c"].cells[1].sum() == 6


def test_zonal_class_areas_refuse_bad_rasters(tmp_path):
    bad = CROP_A.copy()
    bad[1, 1] = 7
    with pytest.raises(DataSourceError, match=r"'bad'.*1 cells.*0 … 6"):
        zonal_class_areas({"bad": _write_classes(tmp_path / "bad.tif", bad)}, _study_area())
    shifted = Grid(CRS, Affine(100, 0, X0 + 100, 0, -100, Y0 + 400), (4, 4))
    paths = {"a": _write_classes(tmp_path / "a.tif", CROP_A),
             "moved": _write_classes(tmp_path / "moved.tif", CROP_A, shifted)}
    with pytest.raises(GridMismatchError, match="'moved'"):
        zonal_class_areas(paths, _study_area())
    with pytest.raises(DataSourceError, match="does not exist"):
        zonal_class_areas({"gone": tmp_path / "gone.tif"}, _study_area())


# -- the summary table -------------------------------------------------------------------------

def _totals(crop: str, area_ha, *, limited, missing, index_sum, index_cells, travel=None):
    """Totals of two districts, areas in ha (1 ha a cell)."""
    cells = np.array(area_ha, np.int64)
    sums = {} if travel is None else {"travel_time": np.array(travel[0], np.int64)}
    counts = {} if travel is None else {"travel_time": np.array(travel[1], np.int64)}
    return SuitabilityTotals(
        crop=crop, cells=cells, area_cm2=cells * 10**8,
        limited_cells=np.array(limited, np.int64), index_sum=np.array(index_sum, np.int64),
        index_cells=np.array(index_cells, np.int64), evaluated=(), skipped=(), paths={},
        missing_cells=np.array(missing, np.int64), value_sums=sums, value_cells=counts)


def _q(**bits):
    row = [0] * len(QUALITIES)
    for quality, value in bits.items():
        row[QUALITIES.index(quality)] = value
    return row


def test_district_summary_by_hand():
    padi = _totals(
        "padi",
        #  nodata S1  S2  S3  N   X   unknown
        [[0, 50, 30, 10, 10, 100, 20],
         [0, 0, 0, 0, 40, 0, 0]],
        # A: 30 S2 + 10 S3 + 10 N cells are limited; 20 unknown cells lack a wa input.
        limited=[_q(wa=20 + 25, nr=30, eh=10), _q(eh=40)],
        missing=[_q(wa=20), _q()],
        index_sum=[100 * 600_000, 40 * 100_000], index_cells=[100, 40],
        travel=([[0, 50 * 12_000, 30 * 30_000, 10 * 60_000, 0, 0, 0], [0] * 7],
                [[0, 50, 30, 10, 5, 0, 0], [0] * 7]))
    jagung = _totals("jagung", [[0, 0, 100, 0, 0, 100, 20], [0, 0, 0, 0, 0, 0, 40]],
                     limited=[_q(nr=100), _q(tc=40)], missing=[_q(), _q(tc=40)],
                     index_sum=[100 * 700_000, 0], index_cells=[100, 0],
                     travel=([[0] * 7, [0] * 7], [[0] * 7, [0] * 7]))
    districts = pd.DataFrame({"kode": ["63.90.01", "63.90.02"], "nama": ["Alpha", "Beta"]})
    table = district_summary({"padi": padi, "jagung": jagung}, districts,
                             id_column="kode", name_column="nama")
    assert table[["kecamatan_id", "kecamatan", "commodity"]].values.tolist() == [
        ["63.90.01", "Alpha", "padi"], ["63.90.01", "Alpha", "jagung"],
        ["63.90.02", "Beta", "padi"], ["63.90.02", "Beta", "jagung"]]
    first = table.iloc[0]  # Alpha, padi
    assert (first.S1_ha, first.S2_ha, first.S3_ha, first.N_ha) == (50, 30, 10, 10)
    assert (first.excluded_ha, first.unknown_ha, first.nodata_ha) == (100, 20, 0)
    assert (first.total_ha, first.suitable_ha, first.evaluated_ha) == (220, 90, 100)
    # SI over the 100 evaluated ha: 90 × 0.5 + 70 × 0.3 + 50 × 0.1 = 45 + 21 + 5 = 71.
    assert first["SI"] == pytest.approx(71.0)
    assert first.mean_index == pytest.approx(0.6)
    # wa: 45 marked cells, 20 of them unknown → 25 of 100 evaluated; nr 30; eh 10.
    assert first.limited_wa == pytest.approx(0.25)
    assert first.limited_nr == pytest.approx(0.30)
    assert first.limited_eh == pytest.approx(0.10)
    assert first.limited_tc == 0
    # Travel time over S1–S3: (50 × 12 + 30 × 30 + 10 × 60) / 90 = 2100 / 90 min; N is not used.
    assert first.travel_time_mean_suitable == pytest.approx(2100 / 90)
    beta_padi = table.iloc[2]
    assert beta_padi.SI == 0 and beta_padi.limited_eh == 1.0 and beta_padi.suitable_ha == 0
    assert beta_padi.mean_index == pytest.approx(0.1)
    assert np.isnan(beta_padi.travel_time_mean_suitable)
    beta_jagung = table.iloc[3]  # all 40 ha unknown: nothing evaluated
    assert np.isnan(beta_jagung.SI) and np.isnan(beta_jagung.limited_tc)
    assert np.isnan(beta_jagung.mean_index)
    assert table.iloc[1]["SI"] == pytest.approx(70.0)  # Alpha, jagung: all evaluated land S2
    assert list(table.columns[-13:-1]) == [f"limited_{q}" for q in QUALITIES]


def test_district_summary_takes_a_study_area_and_class_areas():
    areas = ClassAreas("a", np.array(HAND_A), np.array(HAND_A) * 10**8)
    table = district_summary({"a": areas}, _study_area())
    assert table["kecamatan"].tolist() == ["Alpha", "Beta"]
    assert table["kecamatan_id"].tolist() == ["01", "02"]
    # A: 4 S1, 1 S2, 0 S3, 0 N evaluated → (90 × 4 + 70) / 5 = 86; B: (70 × 2 + 50) / 6.
    assert table["SI"].tolist() == pytest.approx([86.0, 190 / 6])
    assert table["limited_nr"].isna().all() and table["mean_index"].isna().all()


def test_suitability_index_weights():
    one = np.eye(7)
    assert suitability_index(one[1:5]).tolist() == [90, 70, 50, 0]
    assert np.isnan(suitability_index(one[[0, 5, 6]])).all()


def test_district_summary_errors():
    areas = ClassAreas("a", np.array(HAND_A), np.array(HAND_A) * 10**8)
    three = pd.DataFrame({"kode": ["1", "2", "3"]})
    with pytest.raises(ConfigError, match=r"shape \(2, 7\).*3 districts"):
        district_summary({"a": areas}, three, id_column="kode")
    with pytest.raises(ConfigError, match="no column 'kd'"):
        district_summary({"a": areas}, three, id_column="kd")
    with pytest.raises(ConfigError, match="No commodity"):
        district_summary({}, three, id_column="kode")


def test_wide_table_keeps_the_summary_order():
    table = district_summary(
        {"b": ClassAreas("b", np.array(HAND_B), np.array(HAND_B) * 10**8),
         "a": ClassAreas("a", np.array(HAND_A), np.array(HAND_A) * 10**8)}, _study_area())
    wide = wide_table(table, "suitable_ha")
    assert wide.index.tolist() == ["01", "02"] and wide.columns.tolist() == ["b", "a"]
    # Suitable = S1 + S2 + S3: b has 8 and 6 ha; a has 4 + 1 = 5 and 2 + 1 = 3.
    assert wide.to_numpy().tolist() == [[8.0, 5.0], [6.0, 3.0]]
    with pytest.raises(ConfigError, match="no column 'score'"):
        wide_table(table, "score")
    with pytest.raises(ConfigError, match="more than once"):
        wide_table(pd.concat([table, table]), "SI")


# -- zonal means and limiting qualities from the suitability stage ----------------------------

@pytest.fixture(scope="module")
def coarse_stack(tmp_path_factory):
    config = write_tiny_region(tmp_path_factory.mktemp("zonal"), resolution=100)
    return LayerStack.from_config(load_config(config))


def _evaluate(stack, outdir, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AEZWarning)
        return evaluate_stack(stack, [TEST_CROP], outdir, **kwargs)["tanaman_uji"]


def test_zonal_means_and_missing_inputs_match_a_whole_grid_count(coarse_stack, tmp_path):
    a = _evaluate(coarse_stack, tmp_path / "a", options=StageOptions(tile_size=512),
                  zonal_means=("rainfall",))
    b = _evaluate(coarse_stack, tmp_path / "b",
                  options=StageOptions(tile_size=97, executor="threads", workers=2),
                  zonal_means=("rainfall",))
    for name in ("value_sums", "value_cells"):
        np.testing.assert_array_equal(getattr(a, name)["rainfall"], getattr(b, name)["rainfall"])
    np.testing.assert_array_equal(a.missing_cells, b.missing_cells)
    grid = coarse_stack.grid
    district = coarse_stack.study_area.rasterize(grid, Window(0, 0, grid.width, grid.height))
    rain = coarse_stack.read_layer("rainfall").data.astype(np.float64)
    with rasterio.open(a.paths["class"]) as src:
        classes = src.read(1)
    with rasterio.open(a.paths["subclass"]) as src:
        subclass = src.read(1)
    suitable = (classes >= 1) & (classes <= 3) & np.isfinite(rain)
    means = a.mean_value("rainfall")
    assert suitable.any()
    for d in range(len(coarse_stack.study_area.districts)):
        here = suitable & (district == d)
        if here.any():
            # Each value is kept to 1 / VALUE_SCALE mm/yr, so the mean is within half of it.
            assert means[d] == pytest.approx(rain[here].mean(), abs=0.5 / VALUE_SCALE)
        else:
            assert np.isnan(means[d])
        unknown = (district == d) & (classes == UNKNOWN)
        for q, quality in enumerate(QUALITIES):
            marked = (subclass & quality_bit(quality)) > 0
            assert a.missing_cells[d, q] == (unknown & marked).sum()
            assert a.limited_cells[d, q] == ((district == d) & marked).sum()


def test_zonal_means_reject_bad_layers(coarse_stack, tmp_path):
    with pytest.raises(ConfigError, match="'nowhere', which is not declared"):
        _evaluate(coarse_stack, tmp_path / "x", zonal_means=("nowhere",))
    with pytest.raises(LayerKindError, match="'drainage' is categorical"):
        _evaluate(coarse_stack, tmp_path / "y", zonal_means=("drainage",))
    with pytest.raises(ConfigError, match="sequence of layer names"):
        _evaluate(coarse_stack, tmp_path / "z", zonal_means="rainfall")


def test_mean_value_of_an_unsummed_layer_is_an_error():
    totals = _totals("padi", [[0] * 7], limited=[_q()], missing=[_q()], index_sum=[0],
                     index_cells=[0])
    with pytest.raises(ConfigError, match="zonal_means=\\('travel_time',\\)"):
        totals.mean_value("travel_time")


def test_polygon_fixture_is_as_drawn():
    # The sketch above: A takes 40 % of cell (0, 2); B 40 % of the bottom-right cells.
    assert A.intersection(box(X0 + 200, Y0 + 300, X0 + 300, Y0 + 400)).area == 40 * 100
    assert B.intersection(box(X0 + 200, Y0, X0 + 300, Y0 + 100)).area == 100 * 40
    assert not A.intersects(B.buffer(-1e-6)) and isinstance(A, Polygon)
