"""Vector layers burnt once per grid (a scratch GeoTIFF) equal a direct burn of every window.

The oracle is ``rasterio.features.rasterize`` called on each window with the shapely
geometries themselves (their ``__geo_interface__``), the features that reach the window
in input order: how vector layers were rasterized before they were cached.
"""

from __future__ import annotations

import gc
import pickle
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio.features
import shapely
from rasterio.windows import Window
from shapely.geometry import LineString, MultiPolygon, Point, box

import aez.io.scratch
from aez.grid import Grid
from aez.harmonize import LayerSpec, StudyArea
from aez.harmonize.burnt import BURN_MARGIN, BurntLayer
from aez.harmonize.sources import VectorSource, geojson, geojson_all
from aez.io.scratch import ScratchRaster, strip_rows

CRS = "EPSG:32750"
#: An origin that is not a whole number of cells or metres, and cells of 7.3 m.
GRID = Grid.from_bounds((500_123.37, 9_100_045.91, 500_123.37 + 7.3 * 410,
                         9_100_045.91 + 7.3 * 290), resolution=7.3, crs=CRS)
H, W = GRID.shape
M = BURN_MARGIN
WINDOWS = [
    Window(0, 0, 64, 64),                     # a corner tile
    Window(100, 37, 128, 91),                 # inside, odd offsets and sizes
    Window(W - 50, H - 40, 50, 40),           # the far corner
    Window(-3, -3, 70, 70),                   # a halo window reaching outside the grid
    Window(W - 64, 120, 64 + M, 50),          # a halo reaching exactly to the margin
    Window(-M - 1, 10, 40, 40),               # beyond the margin: burnt directly
    Window(W + 5, H + 5, 10, 10),             # wholly outside the grid, inside the margin
    Window(0, 0, W, H),                       # the whole grid
    Window(-M, -M, W + 2 * M, H + 2 * M),     # the whole extent burnt once
]


def frame(kind: str, seed: int = 3) -> gpd.GeoDataFrame:
    """Features with vertices anywhere (not on cell edges), many-sided and overlapping."""
    rng = np.random.default_rng(seed)
    left, bottom, right, top = GRID.bounds
    pad = 60.0
    x = rng.uniform(left - pad, right + pad, 40)
    y = rng.uniform(bottom - pad, top + pad, 40)
    if kind == "polygon":
        geoms = [Point(a, b).buffer(rng.uniform(20, 600), quad_segs=rng.integers(3, 40))
                 for a, b in zip(x, y, strict=True)]
        ring = Point(x[0], y[0]).buffer(900).difference(Point(x[0], y[0]).buffer(300))
        geoms[0] = MultiPolygon([ring, box(left + 5.1, bottom + 5.1, left + 90.2, bottom + 77.7)])
    elif kind == "line":
        geoms = [LineString(np.column_stack([np.linspace(a, a + rng.uniform(-900, 900), 17),
                                             b + 150 * np.sin(np.linspace(0, 6, 17))]))
                 for a, b in zip(x, y, strict=True)]
    else:
        geoms = [Point(a, b) for a, b in zip(x, y, strict=True)]
    return gpd.GeoDataFrame({"code": np.arange(1, 41) % 7 + 1,
                             "value": rng.uniform(-5, 50, 40).astype(np.float32)},
                            geometry=geoms, crs=CRS)


def oracle(source: VectorSource, window: Window) -> np.ndarray:
    """The window rasterized directly from the shapely geometries."""
    wgrid = GRID.window_grid(window)
    geoms, values = source._geometry, source._values
    out = np.full(wgrid.shape, source._fill, dtype=source._dtype)
    hits = np.sort(shapely.STRtree(geoms).query(box(*wgrid.bounds)))
    if hits.size:
        rasterio.features.rasterize(zip(geoms[hits], values[hits].tolist(), strict=True),
                                    out=out, transform=wgrid.transform,
                                    all_touched=source.spec.all_touched)
    return out


LAYERS = {
    "categorical polygons": ("polygon", {"attribute": "code", "kind": "categorical"}),
    "continuous polygons": ("polygon", {"attribute": "value"}),
    "presence polygons, all touched": ("polygon", {"kind": "categorical",
                                                   "all_touched": True}),
    "categorical lines": ("line", {"attribute": "code", "kind": "categorical"}),
    "presence points": ("point", {"kind": "categorical"}),
}


def source(label: str) -> VectorSource:
    """A vector source of one of :data:`LAYERS`."""
    kind, options = LAYERS[label]
    spec = LayerSpec(name=kind, path=Path(f"{kind}.gpkg"), **options)
    return VectorSource(spec, GRID, frame(kind))


@pytest.mark.parametrize("label", list(LAYERS))
@pytest.mark.parametrize("strips", ["one strip", "many strips"])
def test_cached_windows_equal_a_direct_burn(label: str, strips: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    if strips == "many strips":  # strips of 16 rows: 21 of them over the extent
        monkeypatch.setattr(aez.io.scratch, "SCRATCH_BLOCK", 16)
        monkeypatch.setattr(aez.io.scratch, "STRIP_CELLS", 16 * (W + 2 * M))
    src = source(label)
    for window in WINDOWS:
        expected = oracle(src, window)
        got = src.read(window)
        assert got.dtype == expected.dtype
        assert np.array_equal(got, expected, equal_nan=True), (label, window)
        assert np.array_equal(src.burn(window), expected, equal_nan=True), (label, window)
    burnt = src._burnt._raster
    assert burnt is not None and burnt.path.exists()  # the windows inside came from the file
    assert (np.count_nonzero(oracle(src, WINDOWS[-1]) != src._fill) > 0)  # features burnt


def test_every_tile_of_two_tilings_equals_a_direct_burn() -> None:
    src = source("categorical polygons")
    for size, halo in ((64, 0), (97, 2)):
        for tile in GRID.tiles(size, halo=halo):
            window = tile.outer_window
            assert np.array_equal(src.read(window), oracle(src, window)), (size, tile)


def test_the_district_index_is_burnt_once_per_grid() -> None:
    districts = frame("polygon").iloc[1:12].copy()
    districts["kode"] = [f"k{i}" for i in range(len(districts))]
    area = StudyArea.from_frame(districts.reset_index(drop=True), grid_crs=CRS,
                                id_column="kode")
    geoms = area.districts.geometry.values
    coarse = Grid.from_bounds(GRID.bounds, resolution=21.9, crs=CRS)
    for grid in (GRID, coarse):
        for window in (Window(0, 0, 50, 60), Window(-2, -2, 40, 40), Window(30, 20, 77, 51)):
            wgrid = grid.window_grid(window)
            expected = rasterio.features.rasterize(
                zip(geoms, range(len(geoms)), strict=True), out_shape=wgrid.shape,
                transform=wgrid.transform, fill=-1, dtype="int32")
            assert np.array_equal(area.rasterize(grid, window), expected), (grid, window)
    assert set(area._burnt) == {GRID, coarse}
    copy = pickle.loads(pickle.dumps(area))
    assert all(b._raster is None for b in copy._burnt.values())
    window = Window(5, 5, 33, 44)
    assert np.array_equal(copy.rasterize(GRID, window), area.rasterize(GRID, window))


def test_pickling_drops_the_file_and_the_copy_burns_its_own() -> None:
    src = source("continuous polygons")
    window = Window(10, 10, 100, 100)
    first = src.read(window)
    path = src._burnt._raster.path
    copy = pickle.loads(pickle.dumps(src))
    assert copy._burnt._raster is None
    assert np.array_equal(copy.read(window), first, equal_nan=True)
    assert copy._burnt._raster.path != path
    folder = path.parent
    del src, first
    gc.collect()
    assert not folder.exists()  # removed with its source


def test_threads_reading_at_once_burn_once() -> None:
    from concurrent.futures import ThreadPoolExecutor

    calls: list[Window] = []
    src = source("categorical lines")

    def counted(window: Window) -> np.ndarray:
        calls.append(window)
        return src.burn(window)

    burnt = BurntLayer(counted, GRID, dtype=np.int32)
    tiles = list(GRID.tiles(50))
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda t: burnt.read(t.window), tiles))
    assert len(calls) == len(range(0, H + 2 * M, strip_rows(W + 2 * M)))  # the strips only
    for tile, array in zip(tiles, got, strict=True):
        assert np.array_equal(array, oracle(src, tile.window))


def test_geojson_mapping_has_the_geo_interface_coordinates() -> None:
    shapes = [*frame("polygon").geometry[:3], *frame("line").geometry[:2],
              *frame("point").geometry[:2], shapely.MultiPoint([(1, 2), (3, 4)]),
              shapely.MultiLineString([[(0, 0), (1, 1)], [(2, 2), (3, 5)]]),
              shapely.Polygon([(0, 0, 1), (1, 0, 2), (1, 1, 3), (0, 0, 1)])]

    def nested(value: object) -> object:
        if isinstance(value, list | tuple):
            return [nested(v) for v in value]
        return value

    def same(got: dict, shape: shapely.Geometry) -> bool:
        expected = shape.__geo_interface__
        if expected["type"] == "GeometryCollection":
            return got == expected
        return (got["type"] == expected["type"]
                and nested(got["coordinates"]) == nested(expected["coordinates"]))

    for shape in shapes:
        assert same(geojson(shape), shape), shape
    polygons = frame("polygon").geometry.to_numpy()
    lines = frame("line").geometry.to_numpy()
    points = frame("point").geometry.to_numpy()
    groups = {
        "polygons and multipolygons": polygons,
        "polygons only": polygons[1:],
        "lines": lines,
        "lines and multilines": np.array([*lines[:3], shapes[8]], dtype=object),
        "points": points,
        "points and multipoints": np.array([*points[:3], shapes[7]], dtype=object),
        "3-D": np.array([shapes[9], shapes[9]], dtype=object),
        "a mix of kinds": np.array([polygons[0], lines[0], points[0]], dtype=object),
        "a collection": np.array([shapely.GeometryCollection([points[0], lines[1]])]),
    }
    for label, group in groups.items():
        got = geojson_all(group)
        assert len(got) == len(group)
        assert all(same(g, shape) for g, shape in zip(got, group, strict=True)), label


def test_scratch_raster_strips_and_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aez.io.scratch, "SCRATCH_BLOCK", 16)
    monkeypatch.setattr(aez.io.scratch, "STRIP_CELLS", 16 * 300 * 5)  # strips of 80 rows
    grid = Grid.from_bounds((0, 0, 3000, 6000), resolution=10, crs=CRS)  # 600 × 300 cells
    raster = ScratchRaster(grid, np.float32, name="rows")
    seen: list[tuple[int, int]] = []

    def strip(row: int, rows: int) -> np.ndarray:
        seen.append((row, rows))
        values = np.arange(row, row + rows, dtype=np.float32)[:, None] * np.ones(300)
        values[0, 0] = np.nan
        return values

    raster.fill(strip)
    assert seen == [(r, min(80, 600 - r)) for r in range(0, 600, 80)]
    got = raster.read(Window(0, 150, 3, 20))  # across the strips starting at 80 and 160
    assert got[0, 0] == 150 and np.isnan(got[10, 0]) and got[10, 1] == 160
    assert got[-1, -1] == 169
    with pytest.raises(TypeError, match="local to its process"):
        pickle.dumps(raster)
    folder = raster.path.parent
    raster.remove()
    assert not folder.exists()


@pytest.mark.parametrize(("label", "stored"), [
    ("presence points", np.uint8),            # 0 / 1
    ("categorical lines", np.int16),          # codes 1-7 and the -1 of nodata
    ("continuous polygons", np.float32),
])
def test_the_file_stores_the_smallest_type_and_reads_give_the_layers_type(label: str,
                                                                          stored: type) -> None:
    src = source(label)
    window = Window(20, 30, 90, 70)
    got = src.read(window)
    assert src._burnt._raster.dtype == np.dtype(stored)
    assert got.dtype == src._dtype
    assert np.array_equal(got, oracle(src, window), equal_nan=True)


def test_an_unwritable_temporary_folder_is_reported_with_its_remedy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from aez.errors import DataSourceError

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    with pytest.raises(DataSourceError, match="TMPDIR") as caught:
        source("presence points").read(Window(0, 0, 10, 10))
    assert str(tmp_path / "missing") in str(caught.value)
