"""The value pass: the same counts, extremes, totals and first examples on every executor.

The oracle for the counts is numpy over the whole grid; the first example of each kind
is found by walking the tiles in order by hand. The float total of a pass is a sum
in tile order, so it is compared exactly between executors and to 1e-12 with the
whole-grid sum.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.windows import Window

from aez.grid import Grid
from aez.harmonize import LayerSpec, LayerStack, StudyArea
from aez.pipeline.values import GARBAGE, scan_values
from aez.testing import TINY_CRS

GRID = Grid.from_bounds((400_000, 9_000_000, 400_000 + 30 * 230, 9_000_000 + 30 * 170),
                        resolution=30, crs=TINY_CRS)
TILE = 40


def write(path: Path, data: np.ndarray, **options: object) -> Path:
    profile = {"driver": "GTiff", "width": GRID.width, "height": GRID.height, "count": 1,
               "dtype": data.dtype.name, "crs": GRID.crs, "transform": GRID.transform,
               **options}
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)
    return path


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> tuple[LayerStack, dict[str, np.ndarray]]:
    """pH with values out of range, ±inf and garbage in many tiles; drainage with a stray code."""
    import geopandas as gpd
    from shapely.geometry import Point

    folder = tmp_path_factory.mktemp("values")
    rng = np.random.default_rng(11)
    ph = rng.uniform(4.0, 8.0, GRID.shape).astype(np.float32)
    flat = ph.reshape(-1)
    for value, count in ((15.5, 30), (-1.25, 25), (np.inf, 7), (-np.inf, 3), (3.0e38, 5),
                         (np.nan, 40)):
        flat[rng.choice(flat.size, count, replace=False)] = value
    drainage = rng.integers(1, 6, GRID.shape).astype(np.int16)
    drainage.reshape(-1)[rng.choice(drainage.size, 12, replace=False)] = 9
    left, bottom, right, top = GRID.bounds
    cx, cy = (left + right) / 2, (bottom + top) / 2
    units = gpd.GeoDataFrame(  # polygon codes 1-4, code 4 missing from the legend
        {"code": np.arange(30) % 4 + 1},
        geometry=[Point(x, y).buffer(r) for x, y, r in zip(
            rng.uniform(left, right, 30), rng.uniform(bottom, top, 30),
            rng.uniform(100, 900, 30), strict=True)],
        crs=TINY_CRS)
    units.to_file(folder / "units.gpkg")
    specs = [
        LayerSpec(name="ph", path=write(folder / "ph.tif", ph), role="ph_h2o", units=""),
        LayerSpec(name="drainage", path=write(folder / "drainage.tif", drainage, nodata=0),
                  kind="categorical", legend={i: f"d{i}" for i in range(1, 6)}),
        LayerSpec(name="units", path=folder / "units.gpkg", attribute="code",
                  kind="categorical", legend={1: "a", 2: "b", 3: "c"}),
    ]
    districts = gpd.GeoDataFrame({"kode": ["a", "b"]},
                                 geometry=[Point(cx - 1500, cy).buffer(2600),
                                           Point(cx + 2200, cy + 300).buffer(1900)],
                                 crs=TINY_CRS)
    area = StudyArea.from_frame(districts, grid_crs=TINY_CRS, id_column="kode")
    whole = Window(0, 0, GRID.width, GRID.height)
    inside = area.burn(GRID, whole) >= 0
    stack = LayerStack(GRID, specs, study_area=area)
    units_burnt = stack.sources["units"].burn(whole)  # type: ignore[attr-defined]
    return stack, {"ph": ph, "drainage": drainage, "units": units_burnt, "inside": inside}


def first_in_tile_order(hit: np.ndarray) -> tuple[int, int]:
    """(row, col) of the first True cell, tile by tile in row-major order, then within the tile."""
    for tile in GRID.tiles(TILE):
        block = hit[tile.slices]
        if block.any():
            r, c = np.unravel_index(int(np.argmax(block)), block.shape)
            return tile.row_off + int(r), tile.col_off + int(c)
    return -1, -1


def test_counts_match_numpy_and_examples_are_the_first_in_tile_order(stack) -> None:
    layers, arrays = stack
    found = scan_values(layers, tile_size=TILE)
    inside = arrays["inside"]
    ph = arrays["ph"].astype(np.float64)
    stats = found["ph"]
    assert stats.cells == int(inside.sum())
    assert stats.nan == int((np.isnan(ph) & inside).sum()) > 0
    finite = np.isfinite(ph) & inside
    good = finite & (np.abs(ph) < GARBAGE)
    assert stats.valid == int(good.sum())
    assert stats.minimum == ph[good].min() and stats.maximum == ph[good].max()
    assert math.isclose(stats.total, ph[good].sum(), rel_tol=1e-12)
    for outside, hit in ((stats.inf, np.isinf(ph) & inside),
                         (stats.garbage, finite & (np.abs(ph) >= GARBAGE)),
                         (stats.below, good & (ph < 3.0)),
                         (stats.above, good & (ph > 10.0))):
        assert outside.cells == int(hit.sum()) > 0
        assert (outside.row, outside.col) == first_in_tile_order(hit)
        assert outside.value == ph[outside.row, outside.col]
    codes = found["drainage"].unknown_codes
    stray = (arrays["drainage"] == 9) & inside
    assert codes.cells == int(stray.sum()) > 0
    assert (codes.row, codes.col) == first_in_tile_order(stray) and codes.value == 9
    units = found["units"]
    assert units.valid == int(((arrays["units"] >= 1) & inside).sum()) > 0
    fourth = (arrays["units"] == 4) & inside
    assert units.unknown_codes.cells == int(fourth.sum()) > 0
    assert (units.unknown_codes.row, units.unknown_codes.col) == first_in_tile_order(fourth)


@pytest.mark.parametrize(("executor", "workers"), [
    ("threads", 2),
    ("threads", 5),
    pytest.param("dask", 2, marks=pytest.mark.slow),
])
def test_executors_give_the_serial_values_exactly(stack, executor: str, workers: int) -> None:
    if executor == "dask":
        pytest.importorskip("distributed")
    layers, _ = stack
    serial = scan_values(layers, tile_size=TILE)
    done: list[int] = []
    other = scan_values(layers, tile_size=TILE, executor=executor, workers=workers,
                        on_tile=lambda: done.append(1))
    assert len(done) == GRID.tile_count(TILE)
    assert repr(other) == repr(serial)  # every field, floats to the last bit, NaN included
    assert other["ph"].total == serial["ph"].total
