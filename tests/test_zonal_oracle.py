"""Zonal class areas of the demo region against independent oracles.

* exactextract's coverage-weighted class areas per kecamatan;
* GEOS point-in-polygon on the cell centres for the study-area cell count;
* numpy over the whole grid for the mean travel time on suitable land;
* the suitability stage's own histograms, and other tile sizes and executors.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import rasterio
import shapely
from rasterio.windows import Window

from aez.config import load_config
from aez.crops import load_crops
from aez.errors import AEZWarning
from aez.harmonize import LayerStack
from aez.pipeline import VALUE_SCALE, StageOptions, evaluate_stack, zonal_class_areas
from aez.zonal import district_summary

exactextract = pytest.importorskip("exactextract")

#: Kecamatan smaller than this (m²) are left out of the exactextract comparison.
MIN_AREA = 10e6
#: Largest difference allowed per class, as a share of the kecamatan's area.
TOLERANCE = 0.005
#: The crops evaluated (four of the built-in tables: enough classes, quick to run).
CROPS = ["padi_sawah", "jagung", "kedelai", "kelapa_sawit"]


@pytest.fixture(scope="module")
def demo(small_demo, tmp_path_factory):
    """The small demo region (8 kecamatan, 306 × 387 cells of 50 m), evaluated for its crops."""
    folder = tmp_path_factory.mktemp("demo")
    config = load_config(small_demo)
    stack = LayerStack.from_config(config)
    crops = load_crops(CROPS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AEZWarning)
        totals = evaluate_stack(stack, crops, folder / "out",
                                constraints=list(config.constraints.values()),
                                options=StageOptions(tile_size=256),
                                zonal_means=("travel_time",))
    return stack, totals


def _class_paths(totals):
    return {crop: t.paths["class"] for crop, t in totals.items()}


def test_class_areas_agree_with_exactextract(demo):
    """Per kecamatan and class, within 0.5 % of the kecamatan's area.

    The two differ only in boundary cells: aez gives a cell wholly to the
    kecamatan holding its centre, exactextract splits it by coverage. Along a
    shared border the errors cancel on average; along the kabupaten's outline
    exactextract also loses the covered part of cells whose centre is outside
    (they have no class), a bias of about an eighth of a cell per cell of
    outline. The bound is on the share of the kecamatan, not of the class: a
    class of a few hectares changes by tens of percent when a handful of
    boundary cells go one way or the other, under either rule.
    """
    stack, totals = demo
    districts = stack.study_area.districts
    polygon_m2 = districts.geometry.area.to_numpy()
    assert (polygon_m2 > MIN_AREA).sum() >= 6
    ops = ["unique", "frac", "area=count(coverage_weight=area_cartesian)"]
    for crop, t in totals.items():
        table = exactextract.exact_extract(str(t.paths["class"]), districts, ops,
                                           output="pandas")
        assert len(table) == len(districts)
        oracle = np.zeros(t.area_cm2.shape)  # m² per kecamatan and class code
        for d, row in table.iterrows():
            for code, frac in zip(row["unique"], row["frac"], strict=True):
                oracle[d, int(code)] = frac * row["area"]
        ours = t.area_cm2 / 1e4
        big = polygon_m2 > MIN_AREA
        share = np.abs(ours - oracle)[big] / polygon_m2[big, None]
        assert share.max() < TOLERANCE, (crop, share.max(axis=1))
        # Each kecamatan's total is its polygon's area (cells by their centres).
        total = np.abs(ours.sum(axis=1) - polygon_m2)[big] / polygon_m2[big]
        assert total.max() < TOLERANCE, (crop, total)
        assert oracle[:, 1:4].sum() > 0 and oracle[:, 4].sum() > 0  # suitable and N land


def test_cells_add_up_to_the_study_area(demo):
    """Every cell whose centre is inside counts once; none whose centre is outside.

    A centre exactly on the outline (the demo's coast has a few) may go either
    way: GDAL's rasterizer decides it, GEOS calls it neither inside nor outside.
    """
    stack, totals = demo
    grid = stack.grid
    rows, cols = np.mgrid[0:grid.height, 0:grid.width]
    x, y = grid.transform @ (cols + 0.5, rows + 0.5)
    outline = stack.study_area.geometry
    inside = int(shapely.contains_xy(outline, x, y).sum())
    inside_or_on = int(shapely.intersects_xy(outline, x, y).sum())
    assert inside_or_on - inside < 20
    for crop, t in totals.items():
        assert inside <= t.cells.sum() <= inside_or_on, crop
        assert t.cells[:, 0].sum() == 0, crop  # every cell in a kecamatan has a class
    counts = {int(t.cells.sum()) for t in totals.values()}
    assert len(counts) == 1  # the same cells for every crop


def test_one_pass_zonal_matches_the_stage_under_any_tiling(demo):
    stack, totals = demo
    paths = _class_paths(totals)
    runs = [zonal_class_areas(paths, stack.study_area, tile_size=tile, executor=executor,
                              workers=2)
            for tile, executor in ((1024, "serial"), (61, "threads"), (128, "serial"))]
    for crop, t in totals.items():
        for run in runs:
            np.testing.assert_array_equal(run[crop].cells, t.cells)
            np.testing.assert_array_equal(run[crop].area_cm2, t.area_cm2)


def test_mean_travel_time_on_suitable_land(demo):
    stack, totals = demo
    travel = stack.read_layer("travel_time").data.astype(np.float64)
    grid = stack.grid
    district = stack.study_area.rasterize(grid, Window(0, 0, grid.width, grid.height))
    checked = 0
    for t in totals.values():
        with rasterio.open(t.paths["class"]) as src:
            classes = src.read(1)
        suitable = (classes >= 1) & (classes <= 3) & np.isfinite(travel)
        means = t.mean_value("travel_time")
        for d in range(len(stack.study_area.districts)):
            here = suitable & (district == d)
            if here.any():
                assert means[d] == pytest.approx(travel[here].mean(), abs=0.5 / VALUE_SCALE)
                checked += 1
            else:
                assert np.isnan(means[d])
    assert checked >= 8


def test_summary_of_the_demo_is_consistent(demo):
    stack, totals = demo
    table = district_summary(totals, stack.study_area)
    n = len(stack.study_area.districts)
    assert len(table) == n * len(totals)
    classes = ["S1_ha", "S2_ha", "S3_ha", "N_ha", "excluded_ha", "unknown_ha", "nodata_ha"]
    np.testing.assert_allclose(table[classes].sum(axis=1), table["total_ha"], rtol=1e-12)
    np.testing.assert_allclose(table[["S1_ha", "S2_ha", "S3_ha"]].sum(axis=1),
                               table["suitable_ha"], rtol=1e-12)
    assert table["SI"].between(0, 90).all()
    limited = table.filter(like="limited_")
    assert ((limited >= 0) & (limited <= 1)).all().all()
    for crop, t in totals.items():
        rows = table[table["commodity"] == crop].reset_index(drop=True)
        np.testing.assert_allclose(rows["total_ha"], t.area_cm2.sum(axis=1) / 1e8)
        np.testing.assert_allclose(rows["travel_time_mean_suitable"],
                                   t.mean_value("travel_time"), equal_nan=True)
