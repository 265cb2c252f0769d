"""Tests for aez.io: reading layers, vectors and tables, and the safe GeoTIFF writers.

Files are written with plain rasterio/pandas/geopandas and read back with plain
rasterio, so the expected values never come from the code under test.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import random

import geopandas as gpd
import numpy as np
import openpyxl
import pytest
import rasterio
import rasterio.shutil
import rasterio.transform
import rasterio.warp
from affine import Affine
from pyproj import Transformer
from rasterio.crs import CRS
from rasterio.enums import Compression, Resampling
from shapely.geometry import box

from aez.errors import (
    AEZError,
    ConfigError,
    CRSError,
    DataSourceError,
    GridMismatchError,
    LayerKindError,
    OutputExistsError,
)
from aez.grid import Grid
from aez.io import (
    RasterSink,
    atomic_output,
    check_output_path,
    read_layer,
    read_table,
    read_vector,
    write_geotiff,
)
from aez.layer import Layer

# 7 rows × 9 cols of 30 m in UTM 51S, near Maumere.
UTM51S = CRS.from_epsg(32751)
SMALL = Grid(UTM51S, Affine(30, 0, 390_000, 0, -30, 9_050_010), (7, 9))


# -- helpers -----------------------------------------------------------------------------------


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder) -> list[str]:
    """Every name in a folder, hidden files included."""
    return sorted(os.listdir(folder))


def write_raw(path, data, *, crs=UTM51S, transform=SMALL.transform, nodata=None, **extra):
    """Write a raster with plain rasterio (independent of aez's writers)."""
    data = np.asarray(data)
    if data.ndim == 2:
        data = data[np.newaxis]
    with rasterio.open(
        path, "w", driver="GTiff", width=data.shape[2], height=data.shape[1],
        count=data.shape[0], dtype=data.dtype.name, crs=crs, transform=transform,
        nodata=nodata, **extra,
    ) as dst:
        dst.write(data)
    return path


def continuous_sample(shape=(7, 9), seed=0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    data = rng.uniform(4.0, 8.0, shape).astype(np.float32)
    data[rng.random(shape) < 0.2] = np.nan
    return data


def categorical_sample(shape=(7, 9), seed=1, sentinel=-1, dtype=np.int32) -> np.ndarray:
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 12, shape).astype(dtype)
    codes[rng.random(shape) < 0.2] = sentinel
    return codes


# -- write_geotiff / read_layer round trips --------------------------------------------------


def test_continuous_round_trip_keeps_nan(tmp_path):
    data = continuous_sample()
    assert np.isnan(data).any()
    path = write_geotiff(Layer("ph_h2o", data, SMALL, units="pH"), tmp_path / "ph.tif")
    assert path == tmp_path / "ph.tif"

    with rasterio.open(path) as src:  # what is on disk, seen by plain rasterio
        assert src.dtypes == ("float32",)
        assert np.isnan(src.nodata)
        assert src.crs == UTM51S and src.transform == SMALL.transform
        assert src.compression == Compression.deflate
        np.testing.assert_array_equal(src.read(1), data)

    layer = read_layer(path)
    assert layer.name == "ph"  # the file stem
    assert layer.kind == "continuous" and layer.units == "pH"
    assert layer.grid == SMALL
    assert layer.data.dtype == np.float32
    np.testing.assert_array_equal(layer.data, data)  # NaN == NaN for this assertion
    np.testing.assert_array_equal(layer.valid, ~np.isnan(data))
    assert layer.source == str(path)


def test_categorical_round_trip_keeps_default_sentinel(tmp_path):
    codes = categorical_sample()
    legend = {0: "Sawah", 1: "Kebun campur", 11: "Hutan lahan kering"}
    layer = Layer("land_cover", codes, SMALL, kind="categorical", legend=legend)
    path = write_geotiff(layer, tmp_path / "lc.tif")
    with rasterio.open(path) as src:
        assert src.nodata == -1
        assert src.dtypes == ("int32",)
        np.testing.assert_array_equal(src.read(1), codes)
        assert json.loads(src.tags()["AEZ_LEGEND"]) == {"0": "Sawah", "1": "Kebun campur",
                                                         "11": "Hutan lahan kering"}
    back = read_layer(path, kind="categorical", legend=legend)
    assert back.nodata == -1
    assert back.data.dtype == np.int32
    np.testing.assert_array_equal(back.data, codes)
    np.testing.assert_array_equal(back.valid, codes != -1)
    assert dict(back.legend) == legend


def test_categorical_round_trip_declared_sentinel(tmp_path):
    codes = categorical_sample(sentinel=255, dtype=np.uint8)
    layer = Layer("soil_unit", codes, SMALL, kind="categorical", nodata=255)
    path = write_geotiff(layer, tmp_path / "soil.tif")
    with rasterio.open(path) as src:  # the file keeps the declared sentinel
        assert src.nodata == 255 and src.dtypes == ("uint8",)
        np.testing.assert_array_equal(src.read(1), codes)
    back = read_layer(path, kind="categorical")
    # read_layer documents int32 with -1 for nodata: same cells missing, same codes elsewhere.
    np.testing.assert_array_equal(back.valid, codes != 255)
    np.testing.assert_array_equal(back.data, np.where(codes == 255, -1, codes.astype(np.int32)))


def test_provenance_tags_and_units(tmp_path):
    layer = Layer("slope", continuous_sample(), SMALL, units="%")
    path = write_geotiff(layer, tmp_path / "slope.tif", tags={"aez_config_hash": "ab12"})
    with rasterio.open(path) as src:
        tags = src.tags()
        assert tags["AEZ_VERSION"] == importlib.metadata.version("aez")
        assert tags["AEZ_LAYER"] == "slope"
        assert tags["AEZ_KIND"] == "continuous"
        assert tags["AEZ_UNITS"] == "%"
        assert tags["AEZ_CONFIG_HASH"] == "ab12"
        assert src.units == ("%",)
        assert src.tags(1)["AEZ_UNITS"] == "%"
    assert read_layer(path).units == "%"
    assert read_layer(path, units="percent").units == "percent"


def test_units_fall_back_to_the_band_tag(tmp_path):
    path = write_raw(tmp_path / "x.tif", continuous_sample())
    with rasterio.open(path, "r+") as dst:
        dst.update_tags(1, AEZ_UNITS="cmol/kg")
    assert read_layer(path).units == "cmol/kg"


def test_refuses_existing_file_and_leaves_it_unchanged(tmp_path):
    path = tmp_path / "ph.tif"
    write_geotiff(Layer("ph", continuous_sample(seed=1), SMALL), path)
    before, mtime = sha256(path), path.stat().st_mtime_ns
    with pytest.raises(OutputExistsError, match="overwrite") as info:
        write_geotiff(Layer("ph", continuous_sample(seed=2), SMALL), path)
    assert isinstance(info.value, FileExistsError) and str(path) in str(info.value)
    assert sha256(path) == before and path.stat().st_mtime_ns == mtime
    assert listing(tmp_path) == ["ph.tif"]

    new = continuous_sample(seed=2)
    write_geotiff(Layer("ph", new, SMALL), path, overwrite=True)
    assert sha256(path) != before
    with rasterio.open(path) as src:
        np.testing.assert_array_equal(src.read(1), new)
    assert listing(tmp_path) == ["ph.tif"]


def test_refuses_to_write_over_its_own_source(tmp_path):
    path = write_geotiff(Layer("ph", continuous_sample(), SMALL), tmp_path / "ph.tif")
    before = sha256(path)
    layer = read_layer(path)
    with pytest.raises(ConfigError, match="input"):
        write_geotiff(layer, path, overwrite=True)
    # Another spelling of the same file is caught too.
    (tmp_path / "sub").mkdir()
    with pytest.raises(ConfigError):
        write_geotiff(layer, tmp_path / "sub" / ".." / "ph.tif", overwrite=True)
    assert sha256(path) == before
    assert listing(tmp_path) == ["ph.tif", "sub"]


def test_output_folder_must_exist(tmp_path):
    with pytest.raises(DataSourceError, match="does not exist"):
        write_geotiff(Layer("ph", continuous_sample(), SMALL), tmp_path / "no" / "ph.tif")


def test_unwritable_sentinel_fails_cleanly(tmp_path):
    with pytest.raises(AEZError):
        layer = Layer("lc", np.ones(SMALL.shape, dtype=np.uint8), SMALL, kind="categorical")
        write_geotiff(layer, tmp_path / "lc.tif")
    assert listing(tmp_path) == []


# -- RasterSink --------------------------------------------------------------------------------

# 300 × 520 cells: crosses the 256-cell internal blocks in both directions.
BIG = Grid(UTM51S, Affine(30, 0, 390_000, 0, -30, 9_060_000), (300, 520))


def _sink_write(path, grid, data, *, size, order, kind, nodata=None, cog=False):
    tiles = list(grid.tiles(size))
    if order == "reversed":
        tiles.reverse()
    elif order == "shuffled":
        random.Random(42).shuffle(tiles)
    with RasterSink(path, grid, name="out", dtype=data.dtype, kind=kind, units="u",
                    nodata=nodata, cog=cog) as sink:
        for tile in tiles:
            sink.write(tile, data[tile.slices])
    return path


@pytest.mark.parametrize(
    ("kind", "cog"), [("continuous", False), ("categorical", False), ("continuous", True)]
)
def test_sink_bytes_do_not_depend_on_tiling_or_order(tmp_path, kind, cog):
    if kind == "continuous":
        data = continuous_sample(BIG.shape, seed=3)
        nodata = None
    else:
        data = categorical_sample(BIG.shape, seed=4, dtype=np.int16)
        nodata = -1
    runs = [(300, "row-major"), (64, "row-major"), (64, "reversed"), ((100, 37), "shuffled"),
            ((256, 256), "shuffled"), (1000, "row-major")]
    hashes = set()
    for i, (size, order) in enumerate(runs):
        path = _sink_write(tmp_path / f"out{i}.tif", BIG, data, size=size, order=order,
                           kind=kind, nodata=nodata, cog=cog)
        hashes.add(sha256(path))
    assert len(hashes) == 1
    with rasterio.open(tmp_path / "out0.tif") as src:
        np.testing.assert_array_equal(src.read(1), data)
        assert src.crs == BIG.crs and src.transform == BIG.transform
    assert listing(tmp_path) == [f"out{i}.tif" for i in range(len(runs))]


def test_sink_matches_write_geotiff(tmp_path):
    data = continuous_sample(BIG.shape, seed=5)
    _sink_write(tmp_path / "a.tif", BIG, data, size=(77, 91), order="shuffled",
                kind="continuous")
    write_geotiff(Layer("out", data, BIG, units="u"), tmp_path / "b.tif")
    assert sha256(tmp_path / "a.tif") == sha256(tmp_path / "b.tif")


def test_sink_exception_midway_leaves_nothing(tmp_path):
    data = continuous_sample(BIG.shape, seed=6)
    with (
        pytest.raises(RuntimeError, match="worker died"),
        RasterSink(tmp_path / "out.tif", BIG, name="out", dtype="float32") as sink,
    ):
        for n, tile in enumerate(BIG.tiles(100)):
            sink.write(tile, data[tile.slices])
            if n == 3:
                raise RuntimeError("worker died")
    assert listing(tmp_path) == []


def test_sink_wrong_tile_shape_is_refused_and_cleaned_up(tmp_path):
    tile = next(BIG.tiles(100))
    with (
        pytest.raises(GridMismatchError, match=r"tile\.core"),
        RasterSink(tmp_path / "out.tif", BIG, name="out", dtype="float32") as sink,
    ):
        sink.write(tile, np.zeros((102, 102), dtype="float32"))  # halo not cropped
    assert listing(tmp_path) == []


def test_sink_refuses_existing_output_before_writing(tmp_path):
    existing = write_raw(tmp_path / "out.tif", np.zeros(SMALL.shape, dtype="uint8"))
    before = sha256(existing)
    with pytest.raises(OutputExistsError):
        RasterSink(existing, SMALL, name="out", dtype="float32")
    assert listing(tmp_path) == ["out.tif"] and sha256(existing) == before


def test_sink_refuses_an_input(tmp_path):
    source = write_raw(tmp_path / "dem.tif", np.zeros(SMALL.shape, dtype="float32"))
    with pytest.raises(ConfigError):
        RasterSink(source, SMALL, name="x", dtype="float32", overwrite=True, inputs=[source])
    assert listing(tmp_path) == ["dem.tif"]


def test_sink_output_that_appears_while_writing_is_not_clobbered(tmp_path):
    path = tmp_path / "out.tif"
    data = continuous_sample(SMALL.shape)
    with (
        pytest.raises(OutputExistsError),
        RasterSink(path, SMALL, name="out", dtype="float32") as sink,
    ):
        sink.write(next(SMALL.tiles(100)), data)
        path.write_bytes(b"written by someone else")
    assert path.read_bytes() == b"written by someone else"
    assert listing(tmp_path) == ["out.tif"]


# -- read_layer onto another grid --------------------------------------------------------------

# A lon/lat raster around Maumere (0.001°) and a UTM 51S grid that reaches past its edges.
LONLAT_TRANSFORM = Affine(0.001, 0, 121.8, 0, -0.001, -8.4)
LONLAT_SHAPE = (400, 500)
UTM_GRID = Grid.from_bounds((370_000, 9_030_000, 430_000, 9_075_000), resolution=150,
                            crs="EPSG:32751")


@pytest.fixture
def lonlat_raster(tmp_path):
    rng = np.random.default_rng(7)
    data = rng.integers(0, 50, LONLAT_SHAPE).astype(np.int16)
    data[:40, :60] = -99
    path = write_raw(tmp_path / "src.tif", data, crs="EPSG:4326", transform=LONLAT_TRANSFORM,
                     nodata=-99)
    return path, data


def _oracle_nearest(data, grid):
    """Nearest neighbour by hand: the source cell that contains each grid cell's centre.

    Centres are projected to lon/lat with pyproj, one by one (no approximation).
    Returns the codes (-1 outside the raster or at nodata) and, for each cell, how close
    (in source cells) its centre lies to a source cell edge.
    """
    rows, cols = np.indices(grid.shape)
    x = grid.transform.c + (cols + 0.5) * grid.res[0]
    y = grid.transform.f - (rows + 0.5) * grid.res[1]
    lon, lat = Transformer.from_crs(grid.crs.to_wkt(), "EPSG:4326", always_xy=True).transform(x, y)
    t = LONLAT_TRANSFORM
    fcol, frow = (lon - t.c) / t.a, (lat - t.f) / t.e  # fractional source col/row
    col, row = np.floor(fcol).astype(int), np.floor(frow).astype(int)
    inside = (row >= 0) & (row < LONLAT_SHAPE[0]) & (col >= 0) & (col < LONLAT_SHAPE[1])
    codes = np.full(grid.shape, -1, dtype=np.int32)
    codes[inside] = data[row[inside], col[inside]]
    codes[codes == -99] = -1
    edge = np.minimum(np.abs(fcol - np.round(fcol)), np.abs(frow - np.round(frow)))
    return codes, edge


def _reproject_nearest(data, grid):
    """Whole-raster rasterio.warp.reproject, nearest neighbour, -1 for nodata."""
    out = np.full(grid.shape, -99, dtype=np.int16)
    rasterio.warp.reproject(
        data, out, src_transform=LONLAT_TRANSFORM, src_crs="EPSG:4326", src_nodata=-99,
        dst_transform=grid.transform, dst_crs=grid.crs, dst_nodata=-99,
        resampling=Resampling.nearest,
    )
    return np.where(out == -99, -1, out).astype(np.int32)


def test_read_layer_warps_categorical_exactly(lonlat_raster):
    path, data = lonlat_raster
    expected, _ = _oracle_nearest(data, UTM_GRID)
    assert (expected == -1).any() and (expected != -1).any()  # partly outside the raster
    layer = read_layer(path, kind="categorical", grid=UTM_GRID)  # nearest by default
    assert layer.grid == UTM_GRID
    np.testing.assert_array_equal(layer.data, expected)


def test_read_layer_warps_continuous_exactly(lonlat_raster):
    path, data = lonlat_raster
    expected, _ = _oracle_nearest(data, UTM_GRID)
    layer = read_layer(path, grid=UTM_GRID, resampling="nearest")
    assert layer.data.dtype == np.float32
    np.testing.assert_array_equal(
        layer.data, np.where(expected == -1, np.nan, expected).astype(np.float32)
    )


def test_read_layer_warp_agrees_with_reproject_up_to_its_approximation(lonlat_raster):
    # rasterio.warp.reproject approximates the transformation to 1/8 of a source cell, so it
    # may pick a neighbouring source cell where a centre lies that close to a cell edge.
    # Everywhere else it must agree with read_layer.
    path, data = lonlat_raster
    _, edge = _oracle_nearest(data, UTM_GRID)
    layer = read_layer(path, kind="categorical", grid=UTM_GRID)
    reprojected = _reproject_nearest(data, UTM_GRID)
    differ = layer.data != reprojected
    assert differ.mean() < 0.1
    assert np.all(edge[differ] < 0.125)


def test_read_layer_coarser_grid_same_crs_by_hand(tmp_path):
    # 9 × 12 source of 10 m; a 30 m grid on the same origin. Each 30 m cell centre falls on
    # the centre of source cell (3i + 1, 3j + 1), so nearest picks data[1::3, 1::3].
    data = np.arange(9 * 12, dtype=np.float32).reshape(9, 12)
    transform = Affine(10, 0, 390_000, 0, -10, 9_050_000)
    path = write_raw(tmp_path / "fine.tif", data, transform=transform)
    grid = Grid(UTM51S, Affine(30, 0, 390_000, 0, -30, 9_050_000), (3, 4))
    layer = read_layer(path, grid=grid, resampling="nearest")
    np.testing.assert_array_equal(layer.data, data[1::3, 1::3])


def test_read_layer_aligned_subgrid_and_outside_cells(tmp_path):
    data = continuous_sample()
    path = write_raw(tmp_path / "ph.tif", data, nodata=np.nan)
    # Same cell size, origin moved two cells west and one cell north: grid cell (r, c) is
    # raster cell (r - 1, c - 2); row 0 and columns 0-1 lie outside the raster.
    t = SMALL.transform
    grid = Grid(UTM51S, Affine(30, 0, t.c - 2 * 30, 0, -30, t.f + 30), (7, 9))
    layer = read_layer(path, grid=grid)
    expected = np.full((7, 9), np.nan, dtype=np.float32)
    expected[1:, 2:] = data[:6, :7]
    np.testing.assert_array_equal(layer.data, expected)


# -- read_layer: scale, offset, nodata ---------------------------------------------------------


def test_read_layer_applies_scale_offset_and_nodata(tmp_path):
    raw = np.array([[10, 20, -9999], [0, 55, 100]], dtype=np.int16)
    grid = Grid(UTM51S, Affine(30, 0, 390_000, 0, -30, 9_050_010), (2, 3))
    path = write_raw(tmp_path / "c.tif", raw, transform=grid.transform, nodata=-9999)
    with rasterio.open(path, "r+") as dst:
        dst.scales = (0.1,)
        dst.offsets = (1.0,)
    layer = read_layer(path)
    # value * 0.1 + 1.0, nodata → NaN
    expected = np.array([[2.0, 3.0, np.nan], [1.0, 6.5, 11.0]], dtype=np.float32)
    np.testing.assert_allclose(layer.data, expected, rtol=1e-6)
    np.testing.assert_array_equal(layer.valid, ~np.isnan(expected))


def test_read_layer_nodata_override(tmp_path):
    raw = np.array([[1, 2, 0], [0, 5, 6]], dtype=np.uint8)
    grid = Grid(UTM51S, Affine(30, 0, 390_000, 0, -30, 9_050_010), (2, 3))
    path = write_raw(tmp_path / "c.tif", raw, transform=grid.transform)  # no nodata declared
    np.testing.assert_array_equal(read_layer(path, kind="categorical").data, raw)
    layer = read_layer(path, kind="categorical", nodata=0)
    np.testing.assert_array_equal(layer.data, [[1, 2, -1], [-1, 5, 6]])


# -- read_layer: errors ------------------------------------------------------------------------


def test_read_layer_missing_file(tmp_path):
    path = tmp_path / "tanah" / "ph.tif"
    with pytest.raises(DataSourceError) as info:
        read_layer(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, OSError)


def test_read_layer_unreadable_file(tmp_path):
    path = tmp_path / "ph.tif"
    path.write_text("this is not a GeoTIFF")
    with pytest.raises(DataSourceError, match=r"ph\.tif"):
        read_layer(path)


def test_read_layer_without_crs(tmp_path):
    path = write_raw(tmp_path / "nocrs.tif", continuous_sample(), crs=None)
    with pytest.raises(CRSError, match="no CRS"):
        read_layer(path)


def test_colour_table_read_as_continuous_is_refused(tmp_path):
    codes = categorical_sample(sentinel=0, dtype=np.uint8)
    path = write_raw(tmp_path / "lc.tif", codes)
    with rasterio.open(path, "r+") as dst:
        dst.write_colormap(1, {0: (0, 0, 0, 0), 1: (255, 0, 0, 255), 2: (0, 128, 0, 255)})
    with pytest.raises(LayerKindError, match="colour table"):
        read_layer(path)
    np.testing.assert_array_equal(read_layer(path, kind="categorical").data, codes)


def test_categorical_tag_read_as_continuous_is_refused(tmp_path):
    path = write_geotiff(Layer("lc", categorical_sample(), SMALL, kind="categorical"),
                         tmp_path / "lc.tif")
    with pytest.raises(LayerKindError, match="AEZ_KIND=categorical"):
        read_layer(path)


def test_categorical_band_tag_read_as_continuous_is_refused(tmp_path):
    path = write_raw(tmp_path / "lc.tif", categorical_sample())
    with rasterio.open(path, "r+") as dst:
        dst.update_tags(1, AEZ_KIND="categorical")
    with pytest.raises(LayerKindError, match="AEZ_KIND=categorical"):
        read_layer(path)


def test_continuous_float_band_tag_read_as_categorical_is_refused(tmp_path):
    whole = np.round(continuous_sample())  # whole numbers, so only the tag can tell
    path = write_raw(tmp_path / "ph.tif", whole, nodata=np.nan)
    with rasterio.open(path, "r+") as dst:
        dst.update_tags(1, AEZ_KIND="continuous")
    with pytest.raises(LayerKindError, match="AEZ_KIND=continuous"):
        read_layer(path, kind="categorical")


def test_continuous_output_read_as_categorical_is_refused(tmp_path):
    whole = np.round(continuous_sample())
    path = write_geotiff(Layer("ph", whole, SMALL), tmp_path / "ph.tif")
    with pytest.raises(LayerKindError, match="AEZ_KIND=continuous"):
        read_layer(path, kind="categorical")


def test_categorical_float_raster(tmp_path):
    whole = np.array([[1.0, 2.0, np.nan], [3.0, 1.0, 2.0]], dtype=np.float32)
    grid = Grid(UTM51S, Affine(30, 0, 390_000, 0, -30, 9_050_010), (2, 3))
    path = write_raw(tmp_path / "whole.tif", whole, transform=grid.transform, nodata=np.nan)
    layer = read_layer(path, kind="categorical")
    assert layer.data.dtype == np.int32
    np.testing.assert_array_equal(layer.data, [[1, 2, -1], [3, 1, 2]])
    fractional = write_raw(tmp_path / "frac.tif", whole + 0.5, transform=grid.transform,
                           nodata=np.nan)
    with pytest.raises(LayerKindError, match="non-integer"):
        read_layer(fractional, kind="categorical")


@pytest.mark.parametrize("band", [0, 3, -1])
def test_band_out_of_range(tmp_path, band):
    stack = np.stack([continuous_sample(seed=1), continuous_sample(seed=2)])
    path = write_raw(tmp_path / "two.tif", stack)
    with pytest.raises(ConfigError, match="2 band"):
        read_layer(path, band=band)
    np.testing.assert_array_equal(read_layer(path, band=2).data, stack[1])


def test_resampling_is_checked_against_kind(tmp_path):
    path = write_raw(tmp_path / "lc.tif", categorical_sample())
    with pytest.raises(LayerKindError, match="invent class codes"):
        read_layer(path, kind="categorical", resampling="bilinear")
    with pytest.raises(ConfigError, match="unknown"):
        read_layer(path, resampling="spline")


# -- read_vector -------------------------------------------------------------------------------


@pytest.fixture
def kecamatan(tmp_path):
    frame = gpd.GeoDataFrame(
        {"kode_kec": ["5307010", "5307020"], "nama": ["Paga", "Mego"]},
        geometry=[box(122.0, -8.8, 122.1, -8.7), box(122.1, -8.8, 122.2, -8.7)],
        crs="EPSG:4326",
    )
    path = tmp_path / "kecamatan.gpkg"
    frame.to_file(path, layer="kec")
    return path, frame


def test_read_vector_round_trip(kecamatan):
    path, frame = kecamatan
    got = read_vector(path)
    assert got.crs.to_epsg() == 4326
    assert list(got["kode_kec"]) == ["5307010", "5307020"]
    assert got.geometry.geom_equals(frame.geometry).all()
    only = read_vector(path, layer="kec", columns=["nama"])
    assert list(only.columns) == ["nama", "geometry"]


def test_read_vector_missing_file(tmp_path):
    path = tmp_path / "batas" / "kecamatan.gpkg"
    with pytest.raises(DataSourceError) as info:
        read_vector(path)
    assert str(path) in str(info.value)


def test_read_vector_unreadable_file_and_missing_layer(tmp_path, kecamatan):
    bad = tmp_path / "bad.gpkg"
    bad.write_text("not a geopackage")
    with pytest.raises(DataSourceError, match=r"bad\.gpkg"):
        read_vector(bad)
    with pytest.raises(DataSourceError, match="nope"):
        read_vector(kecamatan[0], layer="nope")


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
def test_read_vector_without_crs(tmp_path):
    path = tmp_path / "nocrs.shp"
    gpd.GeoDataFrame({"k": ["01"]}, geometry=[box(0, 0, 1, 1)]).to_file(path)
    assert not path.with_suffix(".prj").exists()
    with pytest.raises(CRSError, match="no CRS"):
        read_vector(path)
    assert read_vector(path, require_crs=False).crs is None


def test_read_vector_missing_column(kecamatan):
    with pytest.raises(DataSourceError, match="kode_desa"):
        read_vector(kecamatan[0], columns=["kode_desa"])


# -- read_table --------------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [",", ";"])
def test_read_table_csv_keeps_leading_zeros(tmp_path, sep):
    path = tmp_path / "produksi.csv"
    path.write_text(
        sep.join(["kode_kec", "nama", "luas_ha"]) + "\n"
        + sep.join(["0101", "Alok", "12.5"]) + "\n"
        + sep.join(["0102", "Alok Barat", "7"]) + "\n",
        encoding="utf-8",
    )
    frame = read_table(path, text_columns=["kode_kec"])
    assert list(frame.columns) == ["kode_kec", "nama", "luas_ha"]
    assert list(frame["kode_kec"]) == ["0101", "0102"]
    assert all(isinstance(v, str) for v in frame["kode_kec"])
    assert list(frame["luas_ha"]) == [12.5, 7.0]


def test_read_table_xlsx(tmp_path):
    path = tmp_path / "produksi.xlsx"
    book = openpyxl.Workbook()
    first = book.active
    first.title = "catatan"
    first.append(["ignored"])
    sheet = book.create_sheet("produksi")
    sheet.append(["kode_kec", "komoditas", "ton"])
    sheet.append(["0101", "jagung", 120.5])
    sheet.append(["0102", "kopi", 30])
    book.save(path)
    frame = read_table(path, sheet="produksi", text_columns=["kode_kec"])
    assert list(frame["kode_kec"]) == ["0101", "0102"]
    assert list(frame["komoditas"]) == ["jagung", "kopi"]
    assert list(frame["ton"]) == [120.5, 30.0]
    assert list(read_table(path).columns) == ["ignored"]  # default: the first sheet
    assert list(read_table(path, sheet=1)["komoditas"]) == ["jagung", "kopi"]


def test_read_table_errors(tmp_path):
    with pytest.raises(DataSourceError, match=r"nothere\.csv"):
        read_table(tmp_path / "nothere.csv")
    path = tmp_path / "t.csv"
    path.write_text("kode_kec,nama\n0101,Alok\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match="kode_desa"):
        read_table(path, text_columns=["kode_desa"])
    garbled = tmp_path / "garbled.csv"
    garbled.write_bytes(b"\xff\xfe\x00\x00 not utf-8 \xc3\x28")
    with pytest.raises(DataSourceError, match=r"garbled\.csv"):
        read_table(garbled)


def test_read_table_corrupt_xlsx(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(DataSourceError, match=r"broken\.xlsx"):
        read_table(broken)


# -- atomic_output / check_output_path ---------------------------------------------------------


def test_atomic_output_renames_on_success(tmp_path):
    target = tmp_path / "hasil.tif"
    with atomic_output(target) as tmp:
        assert tmp != target and tmp.parent == tmp_path
        assert tmp.name.startswith(".") and tmp.suffix == ".tif"  # hidden, GDAL-friendly
        tmp.write_bytes(b"done")
        inode = tmp.stat().st_ino
        assert not target.exists()
    assert target.read_bytes() == b"done"
    assert target.stat().st_ino == inode  # renamed into place, not copied
    assert listing(tmp_path) == ["hasil.tif"]


def test_atomic_output_failure_leaves_target_untouched(tmp_path):
    target = tmp_path / "hasil.tif"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_output(target, overwrite=True) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"old"
    assert listing(tmp_path) == ["hasil.tif"]


def test_check_output_path(tmp_path):
    target = tmp_path / "a.tif"
    assert check_output_path(str(target)) == target
    target.write_bytes(b"x")
    with pytest.raises(OutputExistsError):
        check_output_path(target)
    assert check_output_path(target, overwrite=True) == target
    with pytest.raises(ConfigError, match="input"):
        check_output_path(target, overwrite=True, inputs=[None, str(target)])
    with pytest.raises(ConfigError):  # input check even when the file does not exist yet
        check_output_path(tmp_path / "b.tif", inputs=[tmp_path / "." / "b.tif"])
    with pytest.raises(DataSourceError, match="folder"):
        check_output_path(tmp_path / "missing" / "c.tif")


def test_sink_writes_a_colour_table_into_the_cog(tmp_path):
    from aez.grid import Grid, Tile
    from aez.io import RasterSink

    grid = Grid.from_bounds((0, 0, 6400, 6400), resolution=10, crs="EPSG:32750")
    colours = {1: (26, 150, 65, 255), 4: (215, 25, 28, 255)}
    data = np.tile(np.array([1, 4], dtype=np.uint8), (grid.height, grid.width // 2))
    with RasterSink(tmp_path / "c.tif", grid, name="c", dtype="uint8", kind="categorical",
                    nodata=0, cog=True, colormap=colours) as sink:
        sink.write(Tile((0, 0), 0, 0, grid.height, grid.width), data)
    with rasterio.open(tmp_path / "c.tif") as src:
        assert src.colormap(1)[1] == colours[1] and src.colormap(1)[4] == colours[4]
        assert src.overviews(1)  # a COG with overviews
        assert src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"


@pytest.mark.parametrize("cog", [False, True])
@pytest.mark.parametrize("codec", ["fast", "zstd"])
def test_sink_zstd_codecs_keep_the_pixels(tmp_path, cog, codec):
    from aez.grid import Grid, Tile
    from aez.io import RasterSink

    grid = Grid.from_bounds((0, 0, 6400, 6400), resolution=10, crs="EPSG:32750")
    data = categorical_sample(grid.shape, seed=8, sentinel=0, dtype=np.uint8)
    with RasterSink(tmp_path / "f.tif", grid, name="f", dtype="uint8", kind="categorical",
                    nodata=0, cog=cog, codec=codec) as sink:
        sink.write(Tile((0, 0), 0, 0, grid.height, grid.width), data)
    with rasterio.open(tmp_path / "f.tif") as src:
        np.testing.assert_array_equal(src.read(1), data)
        assert src.compression.name.lower() == "zstd"
        structure = src.tags(ns="IMAGE_STRUCTURE")
        assert (structure.get("LAYOUT") == "COG") == cog
        # "zstd" keeps the predictor and a COG's overviews; "fast" drops both (a viewer
        # builds overviews when it needs them)
        assert (structure.get("PREDICTOR") == "2") == (codec == "zstd")
        assert bool(src.overviews(1)) == (cog and codec == "zstd")


@pytest.mark.parametrize("shape", [(300, 300), (100, 257), (513, 512), (700, 1000), (300, 2049),
                                   (4100, 100), (5294, 7059)])
def test_overview_levels_are_those_the_cog_driver_makes(tmp_path, shape):
    from aez.io.write import overview_factors

    height, width = shape
    plain, cog = tmp_path / "plain.tif", tmp_path / "cog.tif"
    with rasterio.open(plain, "w", driver="GTiff", width=width, height=height, count=1,
                       dtype="uint8", tiled=True, blockxsize=256, blockysize=256,
                       crs="EPSG:32750", transform=rasterio.transform.from_origin(0, 0, 1, 1),
                       sparse_ok=True) as dst:
        dst.write(np.zeros((1, 1, 1), np.uint8), window=((0, 1), (0, 1)))
    rasterio.shutil.copy(plain, cog, driver="COG", blocksize=256)  # levels of its own choice
    with rasterio.open(cog) as src:
        made = len(src.overviews(1))
    assert len(overview_factors(width, height)) == made
