"""Tests for aez.grid: Grid, Tile, utm_for and as_crs.

Expected values are hand-computed (see the comments) or come from independent
tools: pyproj's geodesic areas (``Geod``) and rasterio's rasterizer.
"""

from __future__ import annotations

import itertools
import math
import pickle

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from affine import Affine
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod, Proj, Transformer
from rasterio.crs import CRS
from rasterio.features import rasterize
from rasterio.windows import Window
from shapely.geometry import Point, Polygon, box

from aez.errors import AEZError, ConfigError, CRSError, DataSourceError
from aez.grid import Grid, Tile, as_crs, utm_for
from aez.io import read_grid, read_vector

GEOD = Geod(ellps="WGS84")


# -- helpers -----------------------------------------------------------------------------------


def geodesic_polygon(vertices: list[tuple[float, float]], *, step_m: float = 200.0) -> Polygon:
    """A lon/lat polygon whose edges are densified along geodesics.

    Every added vertex lies on the geodesic edge, so the oracle area of the
    densified ring equals that of the geodesic polygon, while a rasterizer
    (which draws straight segments in whatever CRS it works in) sees edges of
    ~200 m whose deviation from the geodesic is negligible (< 1 mm).
    """
    ring = [*vertices, vertices[0]]
    out: list[tuple[float, float]] = []
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(ring):
        _, _, dist = GEOD.inv(lon1, lat1, lon2, lat2)
        n = max(0, math.ceil(dist / step_m) - 1)
        out.append((lon1, lat1))
        out.extend(GEOD.npts(lon1, lat1, lon2, lat2, n))
    return Polygon(out)


def covered_area(grid: Grid, polygon: Polygon) -> float:
    """Sum of cell_area over the cells whose centre lies in ``polygon`` (grid CRS)."""
    inside = rasterize(
        [(polygon, 1)], out_shape=grid.shape, transform=grid.transform, fill=0,
        all_touched=False, dtype="uint8",
    )
    area = np.broadcast_to(grid.cell_area(), grid.shape)
    return float(area[inside == 1].sum())


# An irregular, concave ~0.3° × 0.2° polygon around Maumere (Sikka, Flores),
# and another straddling the equator near 117.5E (Kutai Timur). Vertices avoid round
# numbers: edges between lattice points would pass exactly through cell centres and bias
# the pixel-centre count.
FLORES = [
    (122.0513, -8.7487), (122.2171, -8.7213), (122.3492, -8.7389), (122.3117, -8.6294),
    (122.3381, -8.5613), (122.2029, -8.6011), (122.1187, -8.5517), (122.0623, -8.6219),
    (122.1041, -8.6683),
]
EQUATOR = [
    (117.3513, -0.0987), (117.4991, -0.0713), (117.6489, -0.1011), (117.6017, 0.0219),
    (117.6387, 0.0993), (117.4829, 0.0611), (117.3719, 0.0887), (117.4093, -0.0121),
]


# -- cell_area ---------------------------------------------------------------------------------


@pytest.mark.parametrize("vertices", [FLORES, EQUATOR], ids=["flores", "equator"])
def test_cell_area_sums_to_geodesic_area_in_lonlat(vertices):
    polygon = geodesic_polygon(vertices)
    oracle, _ = GEOD.geometry_area_perimeter(polygon)
    oracle = abs(oracle)
    grid = Grid.from_bounds(polygon.bounds, resolution=0.0005, crs="EPSG:4326")
    assert grid.is_geographic
    # A constant cell area (e.g. the equatorial value) would be off by 1 - cos(8.6°) ≈ 1.1 %
    # at Flores, so 0.1 % really tests the per-row geodesic areas. Observed error ≈ 1e-5.
    assert covered_area(grid, polygon) == pytest.approx(oracle, rel=1e-3)
    assert covered_area(grid, polygon) == pytest.approx(oracle, rel=1e-4)


@pytest.mark.parametrize(
    ("vertices", "epsg"), [(FLORES, 32751), (EQUATOR, 32750)], ids=["flores", "equator"]
)
def test_cell_area_sums_to_geodesic_area_in_utm(vertices, epsg):
    polygon = geodesic_polygon(vertices)
    oracle = abs(GEOD.geometry_area_perimeter(polygon)[0])
    crs = utm_for(polygon)
    # Zone by hand: floor((lon + 180) / 6) + 1 → 51 (122.2E), 50 (117.5E); the centre of the
    # equator polygon's bounds is at lat (-0.1011 + 0.0993) / 2 = -0.0009 → south.
    assert crs.to_epsg() == epsg
    to_utm = Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True)
    xs, ys = to_utm.transform(*np.asarray(polygon.exterior.coords).T)
    projected = Polygon(zip(xs, ys, strict=True))
    grid = Grid.from_bounds(projected.bounds, resolution=25, crs=crs)
    total = covered_area(grid, projected)
    # UTM map area differs from ground area by the projection's areal scale
    # (≈ -0.06 % and -0.07 % here).
    assert total == pytest.approx(oracle, rel=1e-3)
    # Removing that scale, taken from PROJ at the centroid, leaves only rasterization noise.
    centre = polygon.centroid
    scale = Proj(f"EPSG:{epsg}").get_factors(centre.x, centre.y).areal_scale
    assert total / scale == pytest.approx(oracle, rel=1e-4)


def test_projected_cell_area_is_res_x_times_res_y():
    grid = Grid.from_bounds((390_000, 9_000_000, 390_300, 9_000_100), resolution=(30, 20),
                            crs="EPSG:32751")
    area = grid.cell_area()
    assert area.shape == (grid.height, 1)
    assert area.dtype == np.float64
    assert np.all(area == 30.0 * 20.0)


def test_projected_cell_area_converts_non_metre_units():
    crs = "+proj=utm +zone=51 +south +datum=WGS84 +units=km +no_defs"
    grid = Grid.from_bounds((400, 9000, 402, 9003), resolution=0.5, crs=crs)
    # 0.5 km × 0.5 km = 250 000 m²
    assert np.all(grid.cell_area() == pytest.approx(250_000.0, rel=1e-12))


def _parallel_bounded_cell_area(lon0: float, lat0: float, lon1: float, lat1: float) -> float:
    """Area of a lon/lat cell from pyproj, with the parallels densified to 2000 points.

    A parallel is not a geodesic, so the top and bottom edges are traced point by point.
    """
    lons = np.linspace(lon0, lon1, 2001)
    ring_lon = np.concatenate([lons, lons[::-1]])
    ring_lat = np.concatenate([np.full(lons.size, lat0), np.full(lons.size, lat1)])
    area, _ = GEOD.polygon_area_perimeter(ring_lon, ring_lat)
    return abs(area)


def test_geographic_whole_degree_cell_at_equator():
    grid = Grid.from_bounds((120, 0, 121, 1), resolution=1.0, crs="EPSG:4326")
    assert grid.shape == (1, 1)
    expected = _parallel_bounded_cell_area(120, 0, 121, 1)
    assert expected == pytest.approx(12_308e6, rel=1e-3)  # ≈ 111.32 km × 110.57 km
    assert grid.cell_area()[0, 0] == pytest.approx(expected, rel=1e-8)


def test_geographic_cell_area_per_row_south_of_equator():
    # Rows of 0.25° from -8 to -9 (Flores); each row gets its own area.
    grid = Grid.from_bounds((122, -9, 123, -8), resolution=0.25, crs="EPSG:4326")
    area = grid.cell_area()
    assert area.shape == (4, 1)
    for row in range(4):
        top = -8 - 0.25 * row
        expected = _parallel_bounded_cell_area(122, top - 0.25, 122.25, top)
        assert area[row, 0] == pytest.approx(expected, rel=1e-8)
    # Cells shrink away from the equator.
    assert np.all(np.diff(area[:, 0]) < 0)


def test_geographic_cell_area_on_a_sphere():
    crs = "+proj=longlat +R=6371000 +no_defs"
    grid = Grid.from_bounds((120, 0, 121, 1), resolution=1.0, crs=crs)
    # Spherical lune segment: R² · Δλ · (sin φ1 - sin φ0)
    expected = 6_371_000.0**2 * math.radians(1) * math.sin(math.radians(1))
    assert grid.cell_area()[0, 0] == pytest.approx(expected, rel=1e-12)


# -- tiles -------------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    rows=st.integers(1, 40),
    cols=st.integers(1, 40),
    tile_rows=st.integers(1, 50),
    tile_cols=st.integers(1, 50),
    halo=st.integers(0, 3),
)
def test_tiles_cover_every_cell_exactly_once(rows, cols, tile_rows, tile_cols, halo):
    grid = Grid(CRS.from_epsg(32750), Affine(10, 0, 0, 0, -10, 0), (rows, cols))
    tiles = list(grid.tiles((tile_rows, tile_cols), halo=halo))
    count = np.zeros(grid.shape, dtype=int)
    for tile in tiles:
        count[tile.slices] += 1
    assert np.all(count == 1)
    # ceil by hand: -(-a // b)
    expected = -(-rows // tile_rows) * -(-cols // tile_cols)
    assert len(tiles) == expected == grid.tile_count((tile_rows, tile_cols))
    # Row-major order and consistent indices.
    assert [t.index for t in tiles] == sorted(t.index for t in tiles)
    for t in tiles:
        assert t.halo == halo
        assert (t.row_off, t.col_off) == (t.index[0] * tile_rows, t.index[1] * tile_cols)
        assert 1 <= t.height <= tile_rows and 1 <= t.width <= tile_cols


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(1, 30),
    cols=st.integers(1, 30),
    size=st.integers(1, 12),
    halo=st.integers(0, 4),
)
def test_tile_core_indexes_the_outer_window(rows, cols, size, halo):
    grid = Grid(CRS.from_epsg(32750), Affine(10, 0, 0, 0, -10, 0), (rows, cols))
    whole = np.arange(rows * cols).reshape(rows, cols)
    # Pad by the halo so any outer window can be cut out of the padded array.
    padded = np.pad(whole, halo, constant_values=-1)
    for tile in grid.tiles(size, halo=halo):
        w = tile.outer_window
        assert (w.col_off, w.row_off) == (tile.col_off - halo, tile.row_off - halo)
        assert (w.width, w.height) == (tile.width + 2 * halo, tile.height + 2 * halo)
        r0, c0 = int(w.row_off) + halo, int(w.col_off) + halo
        outer = padded[r0 : r0 + int(w.height), c0 : c0 + int(w.width)]
        np.testing.assert_array_equal(outer[tile.core], whole[tile.slices])


def test_tiles_hand_computed():
    grid = Grid.from_bounds((0, 0, 500, 300), resolution=100, crs="EPSG:32750")  # 3 × 5
    got = [(t.index, t.row_off, t.col_off, t.height, t.width) for t in grid.tiles((2, 3))]
    assert got == [
        ((0, 0), 0, 0, 2, 3), ((0, 1), 0, 3, 2, 2),
        ((1, 0), 2, 0, 1, 3), ((1, 1), 2, 3, 1, 2),
    ]
    assert grid.tile_count((2, 3)) == 4
    assert [t.slices for t in grid.tiles(10)] == [(slice(0, 3), slice(0, 5))]


def test_tile_windows_by_hand():
    tile = Tile((1, 2), row_off=10, col_off=20, height=5, width=7, halo=2)
    assert tile.window == Window(20, 10, 7, 5)
    assert tile.outer_window == Window(18, 8, 11, 9)
    assert tile.core == (slice(2, 7), slice(2, 9))
    assert tile.slices == (slice(10, 15), slice(20, 27))
    no_halo = Tile((0, 0), 0, 0, 3, 4)
    assert no_halo.outer_window == no_halo.window
    assert no_halo.core == (slice(0, 3), slice(0, 4))


@pytest.mark.parametrize(("size", "halo"), [(0, 0), ((2, 0), 0), (-1, 0), (2, -1)])
def test_bad_tile_size_or_halo_is_refused(size, halo):
    grid = Grid.from_bounds((0, 0, 500, 300), resolution=100, crs="EPSG:32750")
    with pytest.raises(ConfigError):
        list(grid.tiles(size, halo=halo))


def test_non_integer_tile_size_is_refused_or_consistent():
    grid = Grid.from_bounds((0, 0, 500, 500), resolution=100, crs="EPSG:32750")  # 5 × 5
    try:
        tiles = list(grid.tiles(2.5))
    except ConfigError:
        return
    assert len(tiles) == grid.tile_count(2.5)


def test_window_grid_by_hand():
    grid = Grid.from_bounds((0, 0, 500, 300), resolution=100, crs="EPSG:32750")
    sub = grid.window_grid(Window(-1, 1, 3, 2))  # may reach outside the grid
    assert sub.shape == (2, 3)
    assert sub.bounds == (-100.0, 0.0, 200.0, 200.0)
    assert sub.crs == grid.crs


# -- from_bounds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bounds", "res", "expected_bounds", "expected_shape"),
    [
        # floor(10/20)=0, floor(10/20)=0, ceil(95/20)=5 → 100, ceil(60/20)=3 → 60
        ((10, 10, 95, 60), 20, (0, 0, 100, 60), (3, 5)),
        # negatives: floor(-1.5)=-2 → -20, floor(-2.5)=-3 → -30, ceil(0.5)=1 → 10, ceil(-0.5)=0
        ((-15, -25, 5, -5), 10, (-20, -30, 10, 0), (3, 3)),
        # already on cell edges: unchanged; 1000/50 = 20 cols, 500/50 = 10 rows
        ((500_000, 9_000_000, 501_000, 9_000_500), 50,
         (500_000, 9_000_000, 501_000, 9_000_500), (10, 20)),
        # anisotropic (30, 20): ceil(100/30)=4 → 120, ceil(50/20)=3 → 60
        ((0, 0, 100, 50), (30, 20), (0, 0, 120, 60), (3, 4)),
        # 0.30000000000000004 / 0.1 = 3.0000000000000004: float noise, not a 4th column
        ((0, 0, 0.1 * 3, 0.7), 0.1, (0, 0, 0.3, 0.7), (7, 3)),
        # 0.3 / 0.1 = 2.9999999999999996 and 0.7 / 0.1 = 6.999999999999999: no extra columns
        ((0.3, 0.0, 0.7, 0.5), 0.1, (0.3, 0.0, 0.7, 0.5), (5, 4)),
        # degrees at Flores: 0.3° / 0.0005° = 600 cols, 0.2° / 0.0005° = 400 rows
        ((122.05, -8.75, 122.35, -8.55), 0.0005, (122.05, -8.75, 122.35, -8.55), (400, 600)),
    ],
)
def test_from_bounds_snaps_outward(bounds, res, expected_bounds, expected_shape):
    grid = Grid.from_bounds(bounds, resolution=res, crs="EPSG:32750")
    assert grid.shape == expected_shape
    np.testing.assert_allclose(grid.bounds, expected_bounds, rtol=0, atol=1e-9)
    xres, yres = res if isinstance(res, tuple) else (res, res)
    assert grid.res == (xres, yres)
    assert grid.transform.b == grid.transform.d == 0


def test_from_bounds_without_snap_keeps_upper_left_corner():
    grid = Grid.from_bounds((10, 10, 95, 60), resolution=20, crs="EPSG:32750", snap=False)
    # cols = ceil(85 / 20) = 5, rows = ceil(50 / 20) = 3, anchored at (10, 60)
    assert grid.shape == (3, 5)
    assert grid.bounds == (10.0, 0.0, 110.0, 60.0)


@pytest.mark.parametrize("bounds", [(0, 0, 0, 10), (10, 0, 0, 10), (0, 10, 10, 0)])
def test_from_bounds_refuses_empty_bounds(bounds):
    with pytest.raises(ConfigError, match="empty"):
        Grid.from_bounds(bounds, resolution=1, crs="EPSG:32750")


@pytest.mark.parametrize("res", [0, -10, float("nan"), float("inf"), (10, 0), "ten", (1, 2, 3)])
def test_from_bounds_refuses_bad_resolution(res):
    with pytest.raises(ConfigError, match="resolution"):
        Grid.from_bounds((0, 0, 100, 100), resolution=res, crs="EPSG:32750")


def test_from_bounds_accepts_numpy_scalar_resolution():
    grid = Grid.from_bounds((0, 0, 100, 100), resolution=np.int64(50), crs="EPSG:32750")
    assert grid.shape == (2, 2)


# -- constructor validation, value semantics -------------------------------------------------


@pytest.mark.parametrize(
    "transform",
    [
        Affine(10, 0, 0, 0, 10, 0),  # south-up (e > 0)
        Affine(-10, 0, 0, 0, -10, 0),  # mirrored (a < 0)
        Affine(10, 1, 0, 0, -10, 0),  # rotated / sheared (b != 0)
        Affine(10, 0, 0, 1, -10, 0),  # rotated / sheared (d != 0)
        Affine.rotation(30) @ Affine.scale(10, -10),
    ],
)
def test_non_north_up_transform_is_refused(transform):
    with pytest.raises(ConfigError, match="north-up"):
        Grid("EPSG:32750", transform, (4, 4))


@pytest.mark.parametrize("shape", [(0, 4), (4, 0), (-1, 3)])
def test_empty_shape_is_refused(shape):
    with pytest.raises(ConfigError, match="shape"):
        Grid("EPSG:32750", Affine(10, 0, 0, 0, -10, 0), shape)


@pytest.mark.parametrize("bad", ["EPSG:999999", "not a crs", 3.5])
def test_bad_crs_gives_helpful_crs_error(bad):
    with pytest.raises(CRSError) as info:
        Grid(bad, Affine(10, 0, 0, 0, -10, 0), (2, 2))
    message = str(info.value)
    assert repr(bad) in message  # the value seen
    assert "Grid crs" in message  # what was wrong
    assert "EPSG:32750" in message  # the remedy shows an example
    assert isinstance(info.value, ValueError) and isinstance(info.value, AEZError)


@pytest.mark.parametrize("missing", [None, ""])
def test_missing_crs_is_named(missing):
    with pytest.raises(CRSError, match=r"grid\.crs is missing"):
        as_crs(missing, what="grid.crs")


@pytest.mark.parametrize(
    "value", ["EPSG:32751", 32751, CRS.from_epsg(32751), "+proj=utm +zone=51 +south +datum=WGS84"]
)
def test_as_crs_accepts_common_spellings(value):
    import pyproj

    crs = as_crs(value)
    assert isinstance(crs, CRS)
    assert pyproj.CRS.from_wkt(crs.to_wkt()).equals(pyproj.CRS.from_epsg(32751))
    assert as_crs(pyproj.CRS.from_epsg(32751)).to_epsg() == 32751


def test_grid_is_a_hashable_picklable_value():
    a = Grid.from_bounds((0, 0, 300, 200), resolution=100, crs="EPSG:32750")
    b = Grid(32750, (100, 0, 0, 0, -100, 200), [2, 3])  # other spellings, same grid
    assert a == b and hash(a) == hash(b)
    assert isinstance(b.transform, Affine) and b.shape == (2, 3)
    assert pickle.loads(pickle.dumps(a)) == a
    assert a != Grid.from_bounds((0, 0, 300, 200), resolution=100, crs="EPSG:32751")
    with pytest.raises(AttributeError):
        a.shape = (1, 1)  # type: ignore[misc]


def test_grid_properties_by_hand():
    grid = Grid.from_bounds((390_000, 9_000_000, 390_300, 9_000_100), resolution=(30, 20),
                            crs="EPSG:32751")
    assert (grid.height, grid.width, grid.size) == (5, 10, 50)
    assert grid.res == (30.0, 20.0)
    assert grid.bounds == (390_000.0, 9_000_000.0, 390_300.0, 9_000_100.0)
    assert not grid.is_geographic
    assert grid.footprint().equals(box(390_000, 9_000_000, 390_300, 9_000_100))
    assert "EPSG:32751" in repr(grid) and "(5, 10)" in repr(grid)


# -- from_vector -------------------------------------------------------------------------------


def _projected_vertex_bounds(polygon: Polygon, epsg: int) -> tuple[float, ...]:
    to_utm = Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True)
    xs, ys = to_utm.transform(*np.asarray(polygon.exterior.coords).T)
    return (min(xs), min(ys), max(xs), max(ys))


def _assert_snapped_cover(grid: Grid, inner: tuple[float, ...], res: float) -> None:
    left, bottom, right, top = grid.bounds
    for edge in grid.bounds:
        assert edge / res == pytest.approx(round(edge / res), abs=1e-9)  # on the lattice
    # Covers the region, with less than one cell of slack on each side.
    assert inner[0] - res < left <= inner[0]
    assert inner[1] - res < bottom <= inner[1]
    assert inner[2] <= right < inner[2] + res
    assert inner[3] <= top < inner[3] + res


def test_from_vector_lonlat_picks_utm_and_snaps():
    polygon = Polygon(FLORES)
    frame = gpd.GeoDataFrame({"kode": ["5307"]}, geometry=[polygon], crs="EPSG:4326")
    grid = Grid.from_vector(frame, resolution=100)
    assert grid.crs.to_epsg() == 32751
    assert grid.res == (100.0, 100.0)
    _assert_snapped_cover(grid, _projected_vertex_bounds(polygon, 32751), 100)


def test_from_vector_buffer_and_explicit_crs():
    polygon = Polygon(FLORES)
    frame = gpd.GeoDataFrame(geometry=[polygon], crs="EPSG:4326")
    inner = _projected_vertex_bounds(polygon, 32751)
    grid = Grid.from_vector(frame.geometry, resolution=100, crs="EPSG:32751", buffer=500)
    buffered = (inner[0] - 500, inner[1] - 500, inner[2] + 500, inner[3] + 500)
    _assert_snapped_cover(grid, buffered, 100)


def test_from_vector_projected_input_keeps_its_crs():
    frame = gpd.GeoDataFrame(
        geometry=[box(400_010, 9_040_020, 402_990, 9_041_950)], crs="EPSG:32750"
    )
    grid = Grid.from_vector(frame, resolution=100)
    assert grid.crs.to_epsg() == 32750
    # floor(4000.1)=4000, floor(90400.2)=90400, ceil(4029.9)=4030, ceil(90419.5)=90420
    assert grid.bounds == (400_000.0, 9_040_000.0, 403_000.0, 9_042_000.0)
    assert grid.shape == (20, 30)


def test_from_vector_of_a_file(tmp_path):
    path = tmp_path / "sikka.gpkg"
    gpd.GeoDataFrame(geometry=[Polygon(FLORES)], crs="EPSG:4326").to_file(path)
    grid = Grid.from_vector(read_vector(path), resolution=250)
    assert grid.crs.to_epsg() == 32751
    _assert_snapped_cover(grid, _projected_vertex_bounds(Polygon(FLORES), 32751), 250)


def test_from_vector_without_crs_is_refused():
    frame = gpd.GeoDataFrame(geometry=[Polygon(FLORES)])
    with pytest.raises(CRSError, match="no CRS"):
        Grid.from_vector(frame, resolution=100)


def test_from_vector_empty_projected_vector_is_refused():
    frame = gpd.GeoDataFrame(geometry=[], crs="EPSG:32750")
    with pytest.raises(DataSourceError, match="empty"):
        Grid.from_vector(frame, resolution=100)


def test_from_vector_empty_lonlat_vector_is_refused():
    frame = gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
    with pytest.raises(DataSourceError, match="empty"):
        Grid.from_vector(frame, resolution=100)


# -- read_grid ---------------------------------------------------------------------------------


def _write_raster(path, *, crs, transform, shape=(3, 4)):
    with rasterio.open(path, "w", driver="GTiff", width=shape[1], height=shape[0], count=1,
                       dtype="uint8", crs=crs, transform=transform) as dst:
        dst.write(np.zeros(shape, dtype="uint8"), 1)


def test_read_grid(tmp_path):
    path = tmp_path / "ref.tif"
    transform = Affine(30, 0, 390_000, 0, -30, 9_050_000)
    _write_raster(path, crs="EPSG:32751", transform=transform)
    grid = read_grid(path)
    assert grid == Grid(CRS.from_epsg(32751), transform, (3, 4))
    assert grid.bounds == (390_000.0, 9_049_910.0, 390_120.0, 9_050_000.0)


def test_read_grid_without_crs(tmp_path):
    path = tmp_path / "nocrs.tif"
    _write_raster(path, crs=None, transform=Affine(30, 0, 390_000, 0, -30, 9_050_000))
    with pytest.raises(CRSError, match="no CRS"):
        read_grid(path)


def test_read_grid_missing_file(tmp_path):
    with pytest.raises(DataSourceError, match=r"nothere\.tif"):
        read_grid(tmp_path / "nothere.tif")


# -- utm_for -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lon", "lat", "epsg"),
    [
        # zone = floor((lon + 180) / 6) + 1; 326zz north of the equator, 327zz south
        (95.3, 5.5, 32646),  # Banda Aceh: floor(275.3/6)=45 → 46 N
        (98.7, 3.6, 32647),  # Medan: floor(278.7/6)=46 → 47 N
        (106.8, -6.2, 32748),  # Jakarta: floor(286.8/6)=47 → 48 S
        (109.3, 0.03, 32649),  # Pontianak: floor(289.3/6)=48 → 49 N
        (119.4, -5.1, 32750),  # Makassar: floor(299.4/6)=49 → 50 S
        (122.2, -8.6, 32751),  # Maumere, Sikka: floor(302.2/6)=50 → 51 S
        (124.8, 1.5, 32651),  # Manado: floor(304.8/6)=50 → 51 N
        (127.4, 0.8, 32652),  # Ternate: floor(307.4/6)=51 → 52 N
        (128.2, -3.7, 32752),  # Ambon: floor(308.2/6)=51 → 52 S
        (140.7, -2.5, 32754),  # Jayapura: floor(320.7/6)=53 → 54 S
        (96.0, 2.0, 32647),  # on the 46/47 boundary: the eastern zone owns it
        (117.5, 0.0, 32650),  # on the equator: UTM north zones start at latitude 0
    ],
)
def test_utm_for_indonesian_places(lon, lat, epsg):
    assert utm_for(Point(lon, lat)).to_epsg() == epsg


def test_utm_for_uses_the_centre_of_the_region():
    # Bounds 117.0..118.2, lat -0.3..0.5: centre (117.6, 0.1) → zone 50 north.
    assert utm_for(box(117.0, -0.3, 118.2, 0.5)).to_epsg() == 32650
    # Centre latitude -0.1 → south.
    assert utm_for(box(117.0, -0.5, 118.2, 0.3)).to_epsg() == 32750


def test_utm_for_reprojects_geopandas_input():
    # Maumere given in UTM 51S coordinates must still give zone 51S.
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32751", always_xy=True)
    x, y = to_utm.transform(122.2, -8.6)
    frame = gpd.GeoDataFrame(geometry=[Point(x, y).buffer(1000)], crs="EPSG:32751")
    assert utm_for(frame).to_epsg() == 32751
    assert utm_for(frame.geometry).to_epsg() == 32751


def test_utm_for_refuses_missing_crs_and_projected_coordinates():
    with pytest.raises(CRSError, match="no CRS"):
        utm_for(gpd.GeoSeries([Point(122.2, -8.6)]))
    with pytest.raises(CRSError, match="EPSG:4326"):
        utm_for(Point(400_000, 9_050_000))
