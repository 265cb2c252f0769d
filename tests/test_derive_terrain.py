"""Slope, aspect and relief class: gdaldem as the oracle, hand-built ramps, tiling, bad inputs.

The oracle is Debian's ``gdaldem`` (GDAL's own Horn implementation), run on a
fractal 30 m DEM in UTM written by the test; the test is skipped only when the
gdaldem program is missing (CI installs gdal-bin).
"""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine

from aez.derive import aspect, landform, slope
from aez.errors import ConfigError, CRSError, LayerKindError
from aez.grid import Grid
from aez.layer import Layer

GDALDEM = shutil.which("gdaldem")
needs_gdaldem = pytest.mark.skipif(GDALDEM is None, reason="gdaldem (Debian gdal-bin) missing")

SIZE = 2000
TRANSFORM = Affine(30.0, 0.0, 420_000.0, 0.0, -30.0, 9_080_000.0)  # UTM 50S, 30 m
GRID = Grid("EPSG:32750", TRANSFORM, (SIZE, SIZE))


def fractal_dem(size: int, seed: int = 3) -> np.ndarray:
    """Fractal terrain (power-law spectrum, like real relief) from 0 to about 2400 m."""
    rng = np.random.default_rng(seed)
    k = np.hypot(np.fft.fftfreq(size)[None, :], np.fft.fftfreq(size)[:, None])
    k[0, 0] = 1.0
    spectrum = (rng.normal(size=(size, size)) + 1j * rng.normal(size=(size, size))) / k**1.15
    z = np.real(np.fft.ifft2(spectrum))
    return (z - z.min()) / (z.max() - z.min()) * 2400.0


def holes(size: int) -> np.ndarray:
    """Nodata holes: a block, a lake-like disc, single cells, and a strip on the edge."""
    out = np.zeros((size, size), dtype=bool)
    out[400:460, 700:790] = True
    yy, xx = np.mgrid[0:size, 0:size]
    out[(yy - 1300) ** 2 + (xx - 500) ** 2 < 70**2] = True
    out[1000, 1000] = out[1500, 1700] = out[1, 1] = True
    out[:, size - 3 :] = True
    return out


@pytest.fixture(scope="module", params=["int16", "float32"])
def dem_file(request, tmp_path_factory) -> tuple[Path, Layer]:
    """A DEM GeoTIFF with nodata holes, and the same DEM as a Layer (NaN = nodata)."""
    z = fractal_dem(SIZE)
    gap = holes(SIZE)
    if request.param == "int16":
        values, nodata = np.rint(z).astype(np.int16), -32768
    else:
        values, nodata = (z + 0.37).astype(np.float32), -9999.0
    values[gap] = nodata
    path = tmp_path_factory.mktemp("dem") / f"dem_{request.param}.tif"
    with rasterio.open(path, "w", driver="GTiff", width=SIZE, height=SIZE, count=1,
                       dtype=values.dtype.name, crs="EPSG:32750", transform=TRANSFORM,
                       nodata=nodata) as dst:
        dst.write(values, 1)
    layer_data = values.astype(np.float32)
    layer_data[gap] = np.nan
    return path, Layer("dem", layer_data, GRID, units="m")


def gdaldem(mode: str, src: Path, *args: str) -> np.ndarray:
    """Run gdaldem; return its output with its nodata (-9999) as NaN."""
    out = src.with_name(f"{src.stem}_{mode}{''.join(args)}.tif")
    subprocess.run([GDALDEM, mode, str(src), str(out), "-q", *args], check=True)
    with rasterio.open(out) as ds:
        data = ds.read(1).astype(np.float32)
        nodata = ds.nodata
    data[data == nodata] = np.nan
    return data


def assert_matches(ours: np.ndarray, ref: np.ndarray, tol: float, *, circular: bool = False):
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(ref))
    diff = np.abs(ours - ref)
    if circular:
        diff = np.minimum(diff, 360.0 - diff)
    assert np.nanmax(diff) <= tol


# -- the gdaldem oracle -----------------------------------------------------------------------


@needs_gdaldem
@pytest.mark.parametrize(("units", "args"), [("degrees", ()), ("%", ("-p",))])
def test_slope_agrees_with_gdaldem(dem_file, units, args):
    path, dem = dem_file
    ours = slope(dem, units=units)
    ref = gdaldem("slope", path, *args)
    assert ours.units == units
    assert_matches(ours.data, ref, 0.01)
    # the comparison is not vacuous: real relief, and nodata where gdaldem has it
    assert np.nanmax(ref) > (20 if units == "degrees" else 40)
    assert np.isnan(ref).sum() > 4 * SIZE


@needs_gdaldem
def test_aspect_agrees_with_gdaldem(dem_file):
    path, dem = dem_file
    ref = gdaldem("aspect", path)  # flat cells are -9999 (nodata) there, NaN here
    assert_matches(aspect(dem).data, ref, 0.01, circular=True)
    # With -zero_for_flat gdaldem writes no nodata value, so its edges and holes become 0
    # too; ours stay NaN exactly where gdaldem's slope is nodata, and flat cells become 0.
    ours = aspect(dem, zero_for_flat=True).data
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(gdaldem("slope", path)))
    flat0 = gdaldem("aspect", path, "-zero_for_flat")
    diff = np.abs(ours - flat0)[~np.isnan(ours)]
    assert np.max(np.minimum(diff, 360.0 - diff)) <= 0.01


def test_nodata_holes_give_nodata_not_zeros():
    """A hole blanks its own cells and their 8 neighbours; everything else has a slope."""
    z = np.tile(np.arange(12, dtype=np.float32) * 3.0, (10, 1))  # 30 % slope, 10 m cells
    z[4, 5] = np.nan
    grid = Grid.from_bounds((0, 0, 120, 100), resolution=10, crs="EPSG:32750")
    s = slope(Layer("dem", z, grid), units="%").data
    expected_nan = np.zeros(z.shape, dtype=bool)
    expected_nan[3:6, 4:7] = True                      # the hole and its 8 neighbours
    expected_nan[[0, -1], :] = expected_nan[:, [0, -1]] = True  # outer ring, as gdaldem
    np.testing.assert_array_equal(np.isnan(s), expected_nan)
    # rise 3 m per 10 m everywhere else: 30 %
    np.testing.assert_allclose(s[~expected_nan], 30.0, rtol=1e-6)


# -- hand-built cases -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rise_x", "rise_y", "compass"),
    [
        (1.0, 0.0, 270.0),   # rises to the east → faces west
        (-1.0, 0.0, 90.0),   # rises to the west → faces east
        (0.0, 1.0, 180.0),   # rises to the north → faces south
        (0.0, -1.0, 0.0),    # rises to the south → faces north
        (1.0, 1.0, 225.0),   # rises to the north-east → faces south-west
    ],
)
def test_planes_have_the_hand_computed_slope_and_aspect(rise_x, rise_y, compass):
    # z = rise_x·x + rise_y·y per 25 m x 20 m cell (a non-square grid), y towards north.
    grid = Grid.from_bounds((0, 0, 125, 100), resolution=(25, 20), crs="EPSG:32750")
    rows, cols = np.mgrid[0:5, 0:5]
    z = (rise_x * cols * 25 + rise_y * (4 - rows) * 20).astype(np.float32) / 10.0
    dem = Layer("dem", z, grid)
    # gradient = √(rise_x² + rise_y²) / 10 m per m
    grad = math.hypot(rise_x, rise_y) / 10.0
    core = (slice(1, -1), slice(1, -1))
    np.testing.assert_allclose(slope(dem, units="%").data[core], 100 * grad, rtol=1e-5)
    np.testing.assert_allclose(slope(dem).data[core], math.degrees(math.atan(grad)), rtol=1e-5)
    got = aspect(dem).data[core]
    np.testing.assert_allclose(np.minimum(np.abs(got - compass), 360 - np.abs(got - compass)),
                               0, atol=1e-4)


def test_flat_ground_has_zero_slope_and_no_aspect():
    grid = Grid.from_bounds((0, 0, 40, 40), resolution=10, crs="EPSG:32750")
    dem = Layer("dem", np.full((4, 4), 120.0, dtype=np.float32), grid)
    assert np.all(slope(dem).data[1:-1, 1:-1] == 0)
    assert np.all(np.isnan(aspect(dem).data))
    assert np.all(aspect(dem, zero_for_flat=True).data[1:-1, 1:-1] == 0)


def test_landform_classes_follow_the_bbsdlp_breaks():
    grid = Grid.from_bounds((0, 0, 90, 10), resolution=10, crs="EPSG:32750")
    pct = np.array([[0.0, 2.99, 3.0, 7.9, 8.0, 14.9, 15.0, 30.0, np.nan]])
    got = landform(Layer("slope", pct, grid, units="%"))
    assert got.kind == "categorical"
    assert got.data.tolist() == [[1, 1, 2, 2, 3, 3, 4, 5, -1]]
    assert got.legend[1] == "datar" and got.legend[5] == "bergunung"
    # in degrees: atan(0.10) = 5.71° is 10 % (bergelombang), 20° = 36.4 % (bergunung)
    deg = np.array([[math.degrees(math.atan(0.10)), 20.0, 1.0, 10.0, 0, 0, 0, 0, 0]])
    got = landform(Layer("slope", deg, grid, units="degrees")).data[0, :4].tolist()
    assert got == [3, 5, 1, 4]  # 1° = 1.75 % (datar), 10° = 17.6 % (berbukit)
    # berbukit up to 40 % with other breaks
    wide = landform(Layer("slope", pct, grid, units="%"), breaks=(3, 8, 15, 40))
    assert wide.data[0, 7] == 4


# -- tiling -----------------------------------------------------------------------------------


def tiled(func, dem: Layer, size: int) -> np.ndarray:
    """Apply ``func`` per tile with a halo of 1 (NaN beyond the grid), crop, assemble."""
    out = np.full(dem.shape, -1.0, dtype=np.float32)
    padded = np.pad(dem.data, 1, constant_values=np.nan)
    for tile in dem.grid.tiles(size, halo=1):
        win = tile.outer_window
        r, c = int(win.row_off) + 1, int(win.col_off) + 1
        block = padded[r : r + int(win.height), c : c + int(win.width)]
        part = func(Layer("dem", block, dem.grid.window_grid(win)))
        out[tile.slices] = part.data[tile.core]
    return out


@pytest.mark.parametrize(
    "func",
    [lambda d: slope(d), lambda d: slope(d, units="%"), lambda d: aspect(d)],
    ids=["degrees", "percent", "aspect"],
)
def test_tiles_with_a_halo_are_byte_identical_to_the_whole_array(func):
    z = fractal_dem(1000, seed=11).astype(np.float32)
    z[300:320, 250:600] = np.nan
    grid = Grid("EPSG:32750", TRANSFORM, z.shape)
    dem = Layer("dem", z, grid)
    whole = func(dem).data
    for size in (256, 300):
        assert tiled(func, dem, size).tobytes() == whole.tobytes()


# -- bad inputs -------------------------------------------------------------------------------


def test_unknown_units_are_refused_with_the_valid_options():
    grid = Grid.from_bounds((0, 0, 30, 30), resolution=10, crs="EPSG:32750")
    dem = Layer("dem", np.zeros((3, 3), dtype=np.float32), grid)
    with pytest.raises(ConfigError, match=r"'radians'.*\"degrees\" or \"%\""):
        slope(dem, units="radians")
    assert slope(dem, units="percent").units == "%"


def test_a_geographic_grid_is_refused_with_a_remedy():
    grid = Grid.from_bounds((120, -9, 120.03, -8.97), resolution=0.01, crs="EPSG:4326")
    dem = Layer("dem", np.zeros((3, 3), dtype=np.float32), grid)
    for func in (slope, aspect):
        with pytest.raises(CRSError, match=r"geographic.*projected"):
            func(dem)


def test_a_categorical_dem_is_refused():
    grid = Grid.from_bounds((0, 0, 30, 30), resolution=10, crs="EPSG:32750")
    dem = Layer("dem", np.zeros((3, 3), dtype=np.int16), grid, kind="categorical")
    with pytest.raises(LayerKindError, match="continuous"):
        slope(dem)


def test_landform_needs_slope_units():
    grid = Grid.from_bounds((0, 0, 30, 10), resolution=10, crs="EPSG:32750")
    with pytest.raises(ConfigError, match="no units"):
        landform(Layer("s", np.zeros((1, 3)), grid))
    with pytest.raises(ConfigError, match="increasing"):
        landform(Layer("s", np.zeros((1, 3)), grid, units="%"), breaks=(3, 8, 8, 30))
