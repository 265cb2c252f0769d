"""The layer stack: warping oracles, rasterization rules, joins, halos and coverage.

Expected values come from independent tools: ``rasterio.warp.reproject`` called on the
whole source raster (one call per destination cell, where GDAL transforms the single
point exactly), shapely/GEOS point-in-polygon tests for the cell-centre rule, pandas
for the table join, and plane geometry worked out by hand for coverage shares.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import rasterio.warp
import shapely
from affine import Affine
from pyproj import Transformer
from rasterio.crs import CRS
from rasterio.enums import Resampling
from rasterio.windows import Window
from shapely.geometry import Polygon, box

from aez.errors import AEZWarning, CoverageError
from aez.grid import Grid
from aez.harmonize import LayerSpec, LayerStack, StudyArea
from aez.testing import TINY_BOUNDS, TINY_CRS

LEFT, BOTTOM, RIGHT, TOP = TINY_BOUNDS
MID_X, MID_Y = (LEFT + RIGHT) / 2, (BOTTOM + TOP) / 2
UTM50 = CRS.from_epsg(32750)

def centres(grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """x, y of every cell centre of ``grid`` (computed from the transform by hand)."""
    t = grid.transform
    cols = np.arange(grid.width) + 0.5
    rows = np.arange(grid.height) + 0.5
    x = np.broadcast_to(t.c + t.a * cols, grid.shape)
    y = np.broadcast_to((t.f + t.e * rows)[:, None], grid.shape)
    return x, y


def read_tiled(stack: LayerStack, name: str, size: int | tuple[int, int]) -> np.ndarray:
    """Assemble a whole-grid array from per-tile reads."""
    grid = stack.grid
    layer0 = stack.read(next(grid.tiles(size)), [name])[name]
    fill = np.nan if layer0.kind == "continuous" else -99
    out = np.full(grid.shape, fill, dtype=layer0.data.dtype)
    for tile in grid.tiles(size):
        out[tile.slices] = stack.read(tile, [name])[name].data
    return out


def write_raster(path: Path, data: np.ndarray, transform: Affine, crs, *, nodata=None) -> Path:
    with rasterio.open(path, "w", driver="GTiff", width=data.shape[1], height=data.shape[0],
                       count=1, dtype=data.dtype.name, crs=crs, transform=transform,
                       nodata=nodata) as dst:
        dst.write(data, 1)
    return path


def write_vector(path: Path, columns: dict, geometry: list, crs=TINY_CRS) -> Path:
    gpd.GeoDataFrame(columns, geometry=geometry, crs=crs).to_file(path, driver="GPKG")
    return path


def fixed_scale(grid: Grid, src) -> tuple[float, float]:
    """Destination cells per source cell at the grid's centre, by hand with pyproj.

    aez pins GDAL's down-sampling ratio (XSCALE/YSCALE) to this value for the whole
    grid; the per-cell oracle passes the same ratio, so both use the same kernel.
    """
    left, bottom, right, top = grid.bounds
    cx, cy = (left + right) / 2, (bottom + top) / 2
    dx, dy = grid.res
    to_src = Transformer.from_crs(grid.crs.to_wkt(), src.crs.to_wkt(), always_xy=True)
    xs, ys = to_src.transform([cx, cx + dx, cx], [cy, cy, cy - dy])
    sx = math.hypot(xs[1] - xs[0], ys[1] - ys[0]) / src.res[0]
    sy = math.hypot(xs[2] - xs[0], ys[2] - ys[0]) / src.res[1]
    return 1 / sx, 1 / sy


def reproject_cells(path: Path, grid: Grid, cells, method: str) -> np.ndarray:
    """The oracle: one ``rasterio.warp.reproject`` of the whole source per destination cell.

    A 1 × 1 destination has a single point to transform, which GDAL's approximate
    transformer passes to the exact one, so each value is the exact warp of that cell.
    """
    out = []
    with rasterio.Env(), rasterio.open(path) as src:
        xscale, yscale = fixed_scale(grid, src)
        for row, col in cells:
            dst = np.full((1, 1), np.nan, dtype=np.float32)
            rasterio.warp.reproject(
                rasterio.band(src, 1),
                dst,
                dst_transform=grid.transform @ Affine.translation(col, row),
                dst_crs=grid.crs,
                resampling=Resampling[method],
                dst_nodata=np.nan,
                XSCALE=repr(xscale),
                YSCALE=repr(yscale),
            )
            out.append(dst[0, 0])
    return np.array(out, dtype=np.float32)


# -- warping oracles ----------------------------------------------------------------------------


WARPED_SOURCES = ["rainfall_wgs84.tif", "ph_utm51.tif"]  # EPSG:4326, and UTM 51S at 100 m


@pytest.mark.parametrize("method", ["nearest", "bilinear"])
@pytest.mark.parametrize("filename", WARPED_SOURCES)
def test_tiled_reads_equal_exact_per_cell_warp(tiny_region, filename, method):
    # The whole region at 1.5 km: 17 × 21 cells, read in tiles of 6, which divides neither.
    grid = Grid.from_bounds(TINY_BOUNDS, resolution=1500, crs=TINY_CRS)
    assert grid.shape == (17, 21)
    path = tiny_region.parent / filename
    stack = LayerStack(grid, [LayerSpec(name="x", path=path, resampling=method)])
    got = read_tiled(stack, "x", 6)

    cells = [(r, c) for r in range(grid.height) for c in range(grid.width)]
    expected = reproject_cells(path, grid, cells, method).reshape(grid.shape)
    assert np.isfinite(expected).all()
    if method == "nearest":
        np.testing.assert_array_equal(got, expected)
    else:
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6 * np.abs(expected).max())


@pytest.mark.parametrize("method", ["nearest", "bilinear"])
@pytest.mark.parametrize("filename", WARPED_SOURCES)
def test_tiled_reads_agree_with_one_whole_grid_reproject(tiny_stack, tiny_region, filename,
                                                         method):
    # rasterio.warp.reproject always uses GDAL's approximate transformer, which
    # interpolates source positions linearly along each row with an error of up to 1/8
    # of a source cell (it ignores `tolerance`). Its output therefore differs from an
    # exact warp wherever that error moves a cell across a source-pixel boundary
    # (nearest) or shifts the bilinear sample point (bilinear). aez warps each cell
    # exactly, so the two agree only within that bound.
    grid = tiny_stack.grid
    path = tiny_region.parent / filename
    stack = LayerStack(grid, [LayerSpec(name="x", path=path, resampling=method)])
    got = read_tiled(stack, "x", 512)

    expected = np.full(grid.shape, np.nan, dtype=np.float32)
    with rasterio.open(path) as src:
        rasterio.warp.reproject(rasterio.band(src, 1), expected, dst_transform=grid.transform,
                                dst_crs=grid.crs, resampling=Resampling[method],
                                dst_nodata=np.nan)
        source = src.read(1).astype(np.float64)
    assert np.isfinite(expected).all() and np.isfinite(got).all()
    # Largest change of the source between neighbouring pixels, along rows and columns.
    step = np.abs(np.diff(source, axis=0)).max() + np.abs(np.diff(source, axis=1)).max()
    diff = np.abs(got.astype(np.float64) - expected)
    value_range = float(expected.max() - expected.min())
    if method == "nearest":
        # Off by at most one source pixel (diagonal included), on few cells.
        assert np.mean(got == expected) >= 0.95
        assert diff.max() <= step
    else:
        # A sample point moved by ≤ 1/8 pixel in x and y changes a bilinear value by at
        # most 1/8 of the steepest neighbour steps.
        assert diff.max() <= step / 8
        assert diff.max() < 1e-3 * value_range


# -- vectors: cell-centre rule, labels, presence ------------------------------------------------


X0, Y0 = 500_000.0, 9_000_000.0


def small_grid() -> Grid:
    """10 × 8 cells of 10 m: column c spans X0 + 10c … X0 + 10c + 10, row r from the top."""
    return Grid.from_bounds((X0, Y0, X0 + 100, Y0 + 80), resolution=10, crs=TINY_CRS)


def test_attribute_rasterized_by_cell_centre_rule(tmp_path):
    grid = small_grid()
    # Covers x 12 … 44 and y 13 … 36 (from the grid's bottom-left corner). Centres
    # (x = 5, 15, …; y = 75 - 10 r) inside: x 15, 25, 35 → cols 1-3; y 35, 25, 15 → rows
    # 4-6. Column 4 (x 40 … 50) is 40 % covered but its centre (45) is not: no value.
    block = box(X0 + 12, Y0 + 13, X0 + 44, Y0 + 36)
    path = write_vector(tmp_path / "units.gpkg", {"cec": [4.5]}, [block])
    stack = LayerStack(grid, [LayerSpec(name="cec", path=path, attribute="cec")])
    got = stack.read_layer("cec").data
    expected = np.full(grid.shape, np.nan, dtype=np.float32)
    expected[4:7, 1:4] = 4.5
    np.testing.assert_array_equal(got, expected)

    touched = LayerStack(grid, [LayerSpec(name="cec", path=path, attribute="cec",
                                          all_touched=True)])
    expected[4:7, 1:5] = 4.5  # all_touched adds the partly covered column 4
    np.testing.assert_array_equal(touched.read_layer("cec").data, expected)


def test_attribute_rasterization_matches_point_in_polygon(tmp_path):
    grid = small_grid()
    triangle = Polygon([(X0 + 53.3, Y0 + 1.7), (X0 + 98.6, Y0 + 18.1), (X0 + 66.2, Y0 + 76.9)])
    x, y = centres(grid)
    assert shapely.distance(triangle.boundary, shapely.points(x, y)).min() > 0.1  # no ties
    path = write_vector(tmp_path / "tri.gpkg", {"v": [2.0]}, [triangle])
    got = LayerStack(grid, [LayerSpec(name="v", path=path, attribute="v")]).read_layer("v")
    inside = shapely.contains_xy(triangle, x, y)
    assert 10 < inside.sum() < grid.size
    np.testing.assert_array_equal(got.valid, inside)
    assert np.all(got.data[inside] == 2.0)


def test_text_labels_are_coded_through_the_legend(tmp_path):
    grid = small_grid()
    west, east = box(X0, Y0, X0 + 50, Y0 + 80), box(X0 + 50, Y0, X0 + 100, Y0 + 40)
    path = write_vector(tmp_path / "soil.gpkg", {"tekstur": ["liat", "pasir"]}, [west, east])
    legend = {1: "liat", 2: "pasir"}
    spec = LayerSpec(name="tekstur", path=path, attribute="tekstur", kind="categorical",
                     legend=legend)
    layer = LayerStack(grid, [spec]).read_layer("tekstur")
    expected = np.full(grid.shape, -1, dtype=np.int32)
    expected[:, :5] = 1  # west half, every row
    expected[4:, 5:] = 2  # east, bottom 40 m = rows 4-7
    np.testing.assert_array_equal(layer.data, expected)
    assert layer.kind == "categorical" and layer.nodata == -1
    assert dict(layer.legend) == legend


def test_tiny_region_texture_follows_land_unit_columns(tiny_stack, tiny_region):
    # Land units are three columns of 10.5 km from LEFT - 500 m, labelled fine, medium,
    # coarse from west to east; the legend codes them 1, 2, 3.
    layer = tiny_stack.read_layer("texture")
    x, _ = centres(tiny_stack.grid)
    edges = [LEFT - 500 + 10_500, LEFT - 500 + 21_000]
    expected = 1 + (x > edges[0]).astype(int) + (x > edges[1]).astype(int)
    np.testing.assert_array_equal(layer.data, expected)
    # The numeric attribute is the value of the unit that holds each cell centre.
    units = gpd.read_file(tiny_region.parent / "land_units.gpkg")
    cec = tiny_stack.read_layer("cec_clay").data
    grid = tiny_stack.grid
    for xc, yc in [(LEFT + 1000, BOTTOM + 1000), (MID_X, MID_Y), (RIGHT - 3010, TOP - 5010)]:
        col, row = (int(v) for v in ~grid.transform @ (xc, yc))
        unit = units[units.contains(shapely.Point(xc, yc))]
        assert len(unit) == 1
        assert cec[row, col] == np.float32(unit["cec_clay"].iloc[0])


def test_presence_layer_is_zero_or_one_along_the_lines(tiny_stack, tiny_region):
    layer = tiny_stack.read_layer("roads")
    grid = tiny_stack.grid
    assert layer.kind == "categorical" and layer.data.dtype == np.int32
    assert set(np.unique(layer.data)) == {0, 1}
    roads = gpd.read_file(tiny_region.parent / "roads.gpkg").to_crs(TINY_CRS)
    arteri, lokal = roads.geometry.values  # west-east, and south-north
    rows, cols = np.nonzero(layer.data == 1)
    t = grid.transform
    burnt = shapely.points(t.c + t.a * (cols + 0.5), t.f + t.e * (rows + 0.5))
    to_arteri, to_lokal = shapely.distance(arteri, burnt), shapely.distance(lokal, burnt)
    # GDAL burns a line (without all_touched) with Bresenham's algorithm between the
    # cells of its end points, so a burnt cell may lie up to ~1.2 cells from the true
    # line (half a cell of Bresenham error plus the end points' offsets of up to half a
    # cell in x and y). Every burnt cell is that close to a road; nothing else is burnt.
    limit = 1.25 * grid.res[0]
    assert np.minimum(to_arteri, to_lokal).max() <= limit
    # The roads are continuous: the west-east road burns a cell in every column, the
    # south-north road one in every row, and no more than a few cells per column/row.
    near_arteri, near_lokal = to_arteri <= limit, to_lokal <= limit
    assert np.array_equal(np.unique(cols[near_arteri]), np.arange(grid.width))
    assert np.array_equal(np.unique(rows[near_lokal]), np.arange(grid.height))
    assert near_arteri.sum() < 2 * grid.width and near_lokal.sum() < 2 * grid.height


# -- table join and study area ------------------------------------------------------------------


def whole_window(grid: Grid) -> Window:
    return Window(0, 0, grid.width, grid.height)


def test_table_join_puts_each_value_in_its_district(tiny_stack, tiny_region):
    folder = tiny_region.parent
    table = pd.read_csv(folder / "penduduk.csv", dtype={"kode_bps": str})
    by_code = dict(zip(table["kode_bps"], table["penduduk"], strict=True))
    districts = tiny_stack.study_area.districts
    population = tiny_stack.read_layer("population").data
    index = tiny_stack.study_area.rasterize(tiny_stack.grid, whole_window(tiny_stack.grid))
    assert set(np.unique(index)) <= {-1, 0, 1, 2, 3}
    for i, code in enumerate(districts["kode_bps"]):
        cells = population[index == i]
        assert cells.size > 100_000
        assert np.all(cells == by_code[code]), code
    assert np.isnan(population[index == -1]).all()


def test_unmatched_table_code_warns_and_leaves_nodata(tiny_region, tmp_path):
    folder = tiny_region.parent
    pd.DataFrame({"kode_bps": ["5310010", "5310020", "5310030", "5310099"],
                  "penduduk": [1, 2, 3, 4]}).to_csv(tmp_path / "pop.csv", index=False)
    grid = Grid.from_bounds(TINY_BOUNDS, resolution=500, crs=TINY_CRS)
    area = StudyArea.read(folder / "kecamatan.gpkg", grid_crs=grid.crs,
                          id_column="kode_kemendagri", name_column="nama")
    spec = LayerSpec(name="pop", path=tmp_path / "pop.csv", attribute="penduduk",
                     join="kode_bps")
    with pytest.warns(AEZWarning, match="5310099") as record:
        stack = LayerStack(grid, [spec], study_area=area)
    assert "5310040" in str(record[0].message)  # the district without a row is named too
    population = stack.read_layer("pop").data
    index = area.rasterize(grid, whole_window(grid))
    magepanda = int(np.flatnonzero(area.districts["kode_bps"] == "5310040")[0])
    assert np.isnan(population[index == magepanda]).all()
    assert np.isfinite(population[(index >= 0) & (index != magepanda)]).all()


def test_district_raster_is_minus_one_outside(tiny_region):
    # 1 km beyond the region on every side at 500 m: two rings of outside cells.
    grid = Grid.from_bounds((LEFT - 1000, BOTTOM - 1000, RIGHT + 1000, TOP + 1000),
                            resolution=500, crs=TINY_CRS)
    area = StudyArea.read(tiny_region.parent / "kecamatan.gpkg", grid_crs=grid.crs,
                          id_column="kode_kemendagri", name_column="nama")
    index = area.rasterize(grid, whole_window(grid))
    assert index.shape == (52, 64)
    x, y = centres(grid)
    inside_box = (x > LEFT) & (x < RIGHT) & (y > BOTTOM) & (y < TOP)
    assert np.all(index[~inside_box] == -1)
    assert np.all(index[inside_box] >= 0)
    # Oracle: GEOS point-in-polygon on the cell centres.
    expected = np.full(grid.shape, -1)
    for i, geometry in enumerate(area.districts.geometry):
        expected[shapely.contains_xy(geometry, x, y)] = i
    np.testing.assert_array_equal(index, expected)
    # The corners fall in the four named kecamatan.
    names = area.districts["nama"].tolist()
    corner = {"Alok": (LEFT + 1000, TOP - 1000), "Kewapante": (RIGHT - 1000, TOP - 1000),
              "Nita": (LEFT + 1000, BOTTOM + 1000), "Magepanda": (RIGHT - 1000, BOTTOM + 1000)}
    for name, (xc, yc) in corner.items():
        col, row = (int(v) for v in ~grid.transform @ (xc, yc))
        assert names[index[row, col]] == name


def test_bow_tie_district_is_repaired_with_a_warning(tmp_path):
    # A self-intersecting "bow tie": two triangles of 1000 × 500 / 2 m² meeting at a point.
    bow_tie = Polygon([(X0, Y0), (X0 + 1000, Y0 + 1000), (X0 + 1000, Y0), (X0, Y0 + 1000)])
    square = box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000)
    assert not bow_tie.is_valid
    path = write_vector(tmp_path / "kec.gpkg", {"kode": ["01", "02"], "nama": ["Kupu", "Kotak"]},
                        [bow_tie, square])
    with pytest.warns(AEZWarning, match="Kupu") as record:
        area = StudyArea.read(path, grid_crs=UTM50, id_column="kode", name_column="nama")
    message = str(record[0].message)
    assert "Kotak" not in message and "make_valid" in message
    repaired = area.districts.geometry.iloc[0]
    assert repaired.is_valid
    assert repaired.area == pytest.approx(2 * 1000 * 500 / 2)
    assert area.districts.geometry.iloc[1].equals(square)
    # Both lobes (left and right triangles) belong to the district; top and bottom do not.
    grid = Grid.from_bounds((X0, Y0, X0 + 1000, Y0 + 1000), resolution=100, crs=TINY_CRS)
    index = area.rasterize(grid, whole_window(grid))
    assert index[5, 0] == 0 and index[5, 9] == 0  # west and east lobes
    assert index[0, 5] == -1 and index[9, 5] == -1  # north and south gaps


# -- halo reads ---------------------------------------------------------------------------------


def test_halo_outside_a_source_that_ends_at_the_grid_edge_is_nodata(tmp_path):
    # A 10 × 10 raster of 40 m cells, exactly the grid's extent.
    bounds = (X0, Y0, X0 + 400, Y0 + 400)
    values = np.arange(100, dtype=np.float32).reshape(10, 10) + 1
    transform = Affine(40, 0, X0, 0, -40, Y0 + 400)
    cont = write_raster(tmp_path / "cont.tif", values, transform, TINY_CRS, nodata=-9999.0)
    cat = write_raster(tmp_path / "cat.tif", values.astype(np.uint8), transform, TINY_CRS,
                       nodata=0)
    specs = [LayerSpec(name="cont", path=cont),
             LayerSpec(name="cat", path=cat, kind="categorical")]
    for resolution in (40, 20):  # read directly (same cells), and warped (finer cells)
        grid = Grid.from_bounds(bounds, resolution=resolution, crs=TINY_CRS)
        stack = LayerStack(grid, specs)
        tiles = list(grid.tiles(4, halo=1))
        for tile in (tiles[0], tiles[-1]):  # top-left and bottom-right corners
            data = stack.read(tile)
            cont_data, cat_data = data["cont"].data, data["cat"].data
            assert cont_data.shape == (tile.height + 2, tile.width + 2)
            outside = np.ones(cont_data.shape, dtype=bool)
            rows = np.arange(tile.row_off - 1, tile.row_off + tile.height + 1)
            cols = np.arange(tile.col_off - 1, tile.col_off + tile.width + 1)
            inside = ((rows >= 0) & (rows < grid.height))[:, None] & (
                (cols >= 0) & (cols < grid.width))[None, :]
            outside &= ~inside
            assert outside.any()
            assert np.isnan(cont_data[outside]).all(), resolution
            assert (cat_data[outside] == -1).all(), resolution
            assert np.isfinite(cont_data[inside]).all(), resolution
            assert (cat_data[inside] >= 1).all(), resolution


def test_halo_beyond_the_grid_reads_real_values(tiny_stack, tiny_region):
    # The tiny-region inputs extend beyond the grid, so the halo gets data.
    grid = tiny_stack.grid
    tile = next(grid.tiles(16, halo=1))
    assert (tile.row_off, tile.col_off) == (0, 0)
    data = tiny_stack.read(tile)
    ring = [(-1, c) for c in range(-1, 17)] + [(r, -1) for r in range(0, 17)]
    ring_index = tuple(np.array([(r + 1, c + 1) for r, c in ring]).T)
    for name in ("rainfall", "ph_h2o"):
        got = data[name].data[ring_index]
        expected = reproject_cells(tiny_region.parent / tiny_stack.specs[name].path.name,
                                   grid, ring, "bilinear")
        assert np.isfinite(expected).all()
        np.testing.assert_allclose(got, expected, rtol=1e-6)
    for name in ("dem", "drainage", "cec_clay", "texture"):
        assert data[name].valid[ring_index].all(), name
    # cec_clay in the halo: the unit holding each outside cell centre (units reach 500 m out).
    units = gpd.read_file(tiny_region.parent / "land_units.gpkg")
    for r, c in ring[::7]:
        xc, yc = grid.transform @ (c + 0.5, r + 0.5)
        unit = units[units.contains(shapely.Point(xc, yc))]
        assert data["cec_clay"].data[r + 1, c + 1] == np.float32(unit["cec_clay"].iloc[0])
    # Outside the study area the district raster is -1, in the halo too.
    assert (data.district[0, :] == -1).all() and (data.district[:, 0] == -1).all()
    assert (data.district[1:, 1:] >= 0).all()


# -- coverage -----------------------------------------------------------------------------------


def west_half_raster(folder: Path) -> Path:
    """EPSG:32750 raster over LEFT … MID_X (15 km of 30), the full height: half the region."""
    data = np.ones((240, 150), dtype=np.float32)
    return write_raster(folder / "west.tif", data, Affine(100, 0, LEFT, 0, -100, TOP), TINY_CRS,
                        nodata=-9999.0)


def south_half_raster_wgs84(folder: Path) -> Path:
    """EPSG:4326 raster from far south of the region up to the parallel through its centre.

    In UTM the parallel is a nearly straight line through the region's centre (tilted by
    the meridian convergence), so it cuts the rectangle into two equal halves.
    """
    to_ll = Transformer.from_crs(TINY_CRS, "EPSG:4326", always_xy=True)
    lon_c, lat_c = to_ll.transform(MID_X, MID_Y)
    step = 0.001
    transform = Affine(step, 0, lon_c - 0.5, 0, -step, lat_c)
    return write_raster(folder / "south.tif", np.ones((500, 1000), dtype=np.float32),
                        transform, "EPSG:4326", nodata=-9999.0)


def test_coverage_of_the_tiny_region_is_full(tiny_stack):
    coverage = tiny_stack.coverage()
    assert coverage.pop("roads") is None  # presence layers only need to touch the area
    assert coverage == pytest.approx(dict.fromkeys(coverage, 1.0), abs=1e-9)


def test_coverage_of_partial_rasters(tiny_region, tmp_path):
    grid = Grid.from_bounds(TINY_BOUNDS, resolution=500, crs=TINY_CRS)
    area = StudyArea.read(tiny_region.parent / "kecamatan.gpkg", grid_crs=grid.crs,
                          id_column="kode_kemendagri")
    specs = [LayerSpec(name="west", path=west_half_raster(tmp_path)),
             LayerSpec(name="south", path=south_half_raster_wgs84(tmp_path))]
    coverage = LayerStack(grid, specs, study_area=area, min_coverage=0.4).check_coverage()
    assert coverage["west"] == pytest.approx(15_000 / 30_000, abs=1e-6)
    # The curvature of the parallel over 15 km moves the line by a few metres at most.
    assert coverage["south"] == pytest.approx(0.5, abs=1e-3)


def test_check_coverage_names_the_layer_and_both_extents(tiny_region, tmp_path):
    grid = Grid.from_bounds(TINY_BOUNDS, resolution=500, crs=TINY_CRS)
    area = StudyArea.read(tiny_region.parent / "kecamatan.gpkg", grid_crs=grid.crs,
                          id_column="kode_kemendagri")
    stack = LayerStack(grid, [LayerSpec(name="west_half", path=west_half_raster(tmp_path))],
                       study_area=area)
    with pytest.raises(CoverageError) as info:
        stack.check_coverage()
    message = str(info.value)
    assert "'west_half'" in message
    assert "50.0%" in message
    assert str((770000.0, 9040000.0, 785000.0, 9064000.0)) in message  # the layer
    assert str((770000.0, 9040000.0, 800000.0, 9064000.0)) in message  # the grid
    assert "min_coverage" in message  # the remedy


def test_coverage_emits_no_deprecation_warning(tiny_region, tmp_path):
    grid = Grid.from_bounds(TINY_BOUNDS, resolution=500, crs=TINY_CRS)
    stack = LayerStack(grid, [LayerSpec(name="south", path=south_half_raster_wgs84(tmp_path))])
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        stack.coverage()


def test_coverage_forms_no_union_of_polygons(tiny_stack, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("coverage formed a union of polygons")

    monkeypatch.setattr(shapely, "union_all", refuse)
    monkeypatch.setattr(gpd.GeoSeries, "union_all", refuse)
    coverage = tiny_stack.check_coverage()
    assert coverage.pop("roads") is None
    assert coverage == pytest.approx(dict.fromkeys(coverage, 1.0), abs=1e-9)


def test_polygon_layer_coverage_counted_on_a_grid_matches_the_exact_overlay(tmp_path):
    from aez.harmonize.sources import COVERAGE_CELLS, VectorSource, covered_share

    grid = Grid.from_bounds((0, 0, 30_000, 20_000), resolution=100, crs=TINY_CRS)
    # three kecamatan, one a triangle, and soil polygons over the west 40 % and a blob
    parts = np.array([box(0, 0, 10_000, 20_000), box(10_000, 0, 20_000, 20_000),
                      Polygon([(20_000, 0), (30_000, 0), (20_000, 20_000)])],
                     dtype=object)
    soils = gpd.GeoDataFrame({"unit": [1, 2, 3]}, crs=TINY_CRS, geometry=[
        box(0, 0, 6_000, 20_000), box(6_000, 0, 12_000, 20_000),
        shapely.Point(22_000, 5_000).buffer(3_000)])
    source = VectorSource(LayerSpec(name="soil", path=tmp_path / "soil.gpkg", kind="categorical",
                                    attribute="unit"), grid, soils)
    exact = covered_share(soils.union_all(), parts)  # the overlay oracle (shapely)
    by_hand = (12_000 * 20_000 + math.pi * 3_000**2) / (20_000 * 20_000 + 10_000 * 20_000 / 2)
    assert exact == pytest.approx(by_hand, rel=1e-3)  # the buffer is a 64-gon
    share = source.covered_share(parts, shapely.area(parts))
    cell = 30_000 / COVERAGE_CELLS
    assert share == pytest.approx(exact, abs=4 * cell / 10_000)  # a few cells along the edges
