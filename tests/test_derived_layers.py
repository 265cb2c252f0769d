"""Derived layers in the run config and the layer stack.

The tiny region gets a slope, aspect, relief class, Braak temperature, distance
to roads and travel time to markets, declared in its config. Every result read
through the stack is compared with the derivation functions applied to the
stack's own inputs, tile by tile and whole.
"""

from __future__ import annotations

import threading

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from shapely.geometry import Point

from aez.config import load_config, loads_config
from aez.derive import distance_to, landform, slope, temperature_from_elevation, travel_time
from aez.errors import ConfigError, CRSError, LayerKindError
from aez.executor import TileResult, run_tiles
from aez.grid import Grid, Tile
from aez.harmonize import DerivedSpec, LayerStack
from aez.io import RasterSink
from aez.testing import TINY_BOUNDS, TINY_CRS

LEFT, BOTTOM, RIGHT, TOP = TINY_BOUNDS

DERIVED = """
[layers.travel_time]        # declared before the slope it uses
method = "travel_time"
from = { targets = "markets", roads = "roads_kelas", slope = "slope" }
road_speeds = { arteri = 60, lokal = 30 }
resolution = 200

[layers.slope]
from = "dem"
method = "slope"
units = "%"

[layers.aspect]
from = "dem"
method = "aspect"

[layers.relief]
from = "slope"
method = "landform"

[layers]
temperature = { from = "dem", method = "braak", role = "temperature" }

[layers.road_distance]
from = "roads"
method = "distance"

[layers.markets]
path = "markets.gpkg"
kind = "categorical"

[layers.roads_kelas]
path = "roads.gpkg"
attribute = "kelas"
kind = "categorical"
legend = { 1 = "arteri", 2 = "lokal" }
"""


def write_markets(folder) -> None:
    gpd.GeoDataFrame(
        {"nama": ["Pasar Alok", "Pasar Nita"]},
        geometry=[Point(LEFT + 6_010, BOTTOM + 12_010), Point(RIGHT - 8_010, TOP - 5_010)],
        crs=TINY_CRS,
    ).to_file(folder / "markets.gpkg", driver="GPKG")


@pytest.fixture(scope="module")
def derived_region(tmp_path_factory):
    from aez.testing import write_tiny_region

    folder = tmp_path_factory.mktemp("derived-region")
    config = write_tiny_region(folder, resolution=20)
    write_markets(folder)
    config.write_text(config.read_text(encoding="utf-8") + DERIVED, encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def stack(derived_region):
    return LayerStack.from_config(load_config(derived_region))


def whole_with_halo(stack: LayerStack, name: str):
    """A layer read on the whole grid plus one cell all round."""
    grid = stack.grid
    return stack.read(Tile((0, 0), 0, 0, grid.height, grid.width, halo=1), [name])[name]


# -- config -----------------------------------------------------------------------------------


def test_inline_derived_table_is_accepted():
    cfg = loads_config("""
        [grid]
        crs = "EPSG:32750"
        resolution = 50
        bounds = [500000, 9000000, 510000, 9010000]
        [layers]
        dem = { path = "dem.tif", units = "m" }
        temperature = { from = "dem", method = "braak" }
    """, base="/data")
    spec = cfg.layers["temperature"]
    assert isinstance(spec, DerivedSpec)
    assert (spec.method, dict(spec.inputs), spec.units) == ("braak", {"dem": "dem"}, "°C")
    assert [str(p) for p in cfg.input_paths] == ["/data/dem.tif"]
    assert cfg.to_dict()["layers"]["temperature"]["method"] == "braak"


def test_derived_layers_are_read_like_any_other(stack):
    assert stack.names[:1] == ["dem"] and "travel_time" in stack.names
    assert set(stack.derived) == {"travel_time", "slope", "aspect", "relief", "temperature",
                                  "road_distance"}
    tile = next(stack.grid.tiles(300))
    data = stack.read(tile)
    assert data["slope"].units == "%" and data["aspect"].units == "degrees"
    assert data["relief"].kind == "categorical" and data["relief"].legend[3] == "bergelombang"
    assert data["temperature"].units == "°C" and data["travel_time"].units == "min"
    assert data["road_distance"].units == "m"
    assert all(layer.grid == data.grid for layer in data.layers.values())


# -- focal: slope, aspect, and what depends on them -------------------------------------------


def test_stack_slope_equals_slope_of_the_stack_dem_whole_and_in_tiles(stack):
    whole = stack.read_layer("slope").data
    dem = whole_with_halo(stack, "dem")  # the DEM reaches 300 m past the grid: no nodata ring
    expected = slope(dem, units="%").data[1:-1, 1:-1]
    assert whole.tobytes() == expected.tobytes()
    assert not np.isnan(whole).any() and np.nanmax(whole) > 5
    for size in (256, (200, 333)):
        tiled = np.full(stack.grid.shape, -1.0, dtype=np.float32)
        for tile in stack.grid.tiles(size, halo=1):
            tiled[tile.slices] = stack.read(tile, ["slope"]).core("slope")
        assert tiled.tobytes() == whole.tobytes()


def test_slope_through_run_tiles_on_threads_is_byte_identical(stack, tmp_path):
    whole = stack.read_layer("slope").data

    def compute(tile):
        return TileResult(arrays={"slope": stack.read(tile, ["slope"]).core("slope")})

    out = tmp_path / "slope.tif"
    with RasterSink(out, stack.grid, name="slope", dtype="float32", units="%") as sink:
        run_tiles(compute, stack.grid.tiles(256, halo=1), executor="threads", workers=2,
                  sinks={"slope": sink})
    with rasterio.open(out) as src:
        assert src.read(1).tobytes() == whole.tobytes()


def test_relief_and_temperature_follow_their_inputs(stack):
    tile = Tile((0, 0), 100, 200, 300, 400, halo=2)
    data = stack.read(tile, ["relief", "temperature", "slope", "dem"])
    assert data["relief"].data.tobytes() == landform(data["slope"]).data.tobytes()
    expected = temperature_from_elevation(data["dem"]).data
    assert data["temperature"].data.tobytes() == expected.tobytes()


# -- global: distance and travel time ---------------------------------------------------------


def test_distance_per_tile_is_a_window_of_the_whole_grid_distance(stack):
    expected = distance_to(stack.read_layer("roads")).data
    tiles = list(stack.grid.tiles(512, halo=1))
    for tile in tiles[:3] + tiles[-2:]:
        got = stack.read(tile, ["road_distance"])["road_distance"].data
        padded = np.pad(expected, 1, constant_values=np.nan)
        r, c = tile.row_off, tile.col_off  # outer window starts one cell earlier: +1 -1
        window = padded[r : r + tile.height + 2, c : c + tile.width + 2]
        assert got.tobytes() == window.tobytes()


def test_coarse_travel_time_is_the_coarse_computation_resampled(stack, derived_region):
    fine = stack.read_layer("travel_time").data
    # The same travel time on its own 200 m stack: each 200 m cell covers 10 x 10 cells of
    # 20 m exactly (the grid's origin and size are multiples of 200 m).
    cfg = load_config(derived_region)
    coarse_grid = stack.grid.from_bounds(stack.grid.bounds, resolution=200, crs=stack.grid.crs)
    names = ["markets", "roads_kelas", "dem", "slope"]
    coarse = LayerStack(coarse_grid, [cfg.layers[n] for n in names], min_coverage=0)
    layers = {n: coarse.read_layer(n) for n in names}
    expected = travel_time(layers["markets"], roads=layers["roads_kelas"],
                           slope=layers["slope"], road_speeds={"arteri": 60, "lokal": 30}).data
    assert fine.shape == (coarse_grid.height * 10, coarse_grid.width * 10)
    assert fine.tobytes() == np.repeat(np.repeat(expected, 10, 0), 10, 1).tobytes()
    assert np.nanmin(fine) == 0 and 10 < np.nanmax(fine) < 600  # minutes, not hours


def test_global_layers_are_computed_once_even_with_threads(derived_region, monkeypatch):
    fresh = LayerStack.from_config(load_config(derived_region))
    calls = []
    original = LayerStack._compute_global
    lock = threading.Lock()

    def counting(self, name):
        if self is fresh:  # not the 200 m stack that travel time runs on
            with lock:
                calls.append(name)
        return original(self, name)

    monkeypatch.setattr(LayerStack, "_compute_global", counting)

    def read(tile):
        fresh.read(tile, ["travel_time", "road_distance"])
        return TileResult(totals={"tiles": 1})

    totals = run_tiles(read, fresh.grid.tiles(400), executor="threads", workers=2)
    assert totals["tiles"] == fresh.grid.tile_count(400)
    assert sorted(calls) == ["road_distance", "travel_time"]


# -- coverage and aez info --------------------------------------------------------------------


def test_coverage_of_a_derived_layer_is_that_of_its_inputs(stack):
    coverage = stack.coverage()
    assert coverage["slope"] == coverage["dem"] == pytest.approx(1.0)
    assert coverage["road_distance"] is None  # presence roads only touch the study area
    # travel time: markets and roads are presence-like (None); the slope covers all
    assert coverage["travel_time"] == coverage["slope"]
    stack.check_coverage()


def test_info_lists_derived_layers(run_cli, derived_region):
    result = run_cli("info", derived_region)
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert "derived: slope(dem)" in lines["slope"] and "%" in lines["slope"]
    assert "derived: landform(slope)" in lines["relief"]
    assert "derived: travel_time(targets=markets, roads=roads_kelas, slope=slope)" in (
        lines["travel_time"])
    assert "200 × 200" in lines["travel_time"] and "min" in lines["travel_time"]
    assert lines["temperature"].rstrip().endswith("temperature")


# -- bad configs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "error", "message"),
    [
        ('[layers.s]\nfrom = "dem"\nmethod = "slop"\n', ConfigError,
         r"method = 'slop'.*Did you mean 'slope'"),
        ('[layers.s]\nfrom = "dme"\nmethod = "slope"\n', ConfigError,
         r"no layer 'dme'.*Did you mean 'dem'"),
        ('[layers.s]\nfrom = "dem"\nmethod = "slope"\nunits = "radians"\n', ConfigError,
         r"\[layers.s\].*'radians'.*\"degrees\" or \"%\""),
        ('[layers.s]\nfrom = "dem"\nmethod = "slope"\nunit = "%"\n', ConfigError,
         r"unknown option 'unit'.*Did you mean 'units'"),
        ('[layers.a]\nfrom = "b"\nmethod = "slope"\n[layers.b]\nfrom = "a"\nmethod = "braak"\n',
         ConfigError, r"cycle: a → b → a"),
        ('[layers.s]\nfrom = "drainage"\nmethod = "slope"\n', LayerKindError,
         r"continuous dem.*'drainage' is categorical"),
        ('[layers.t]\nmethod = "travel_time"\nfrom = ["roads", "dem"]\n', ConfigError,
         r"from = \['roads', 'dem'\].*targets = "),
        ('[layers.t]\nmethod = "travel_time"\nfrom = { roads = "roads" }\n', ConfigError,
         r"needs the input 'targets'"),
        ('[layers.s]\nfrom = "dem"\nmethod = "slope"\nresolution = 100\n', ConfigError,
         r"only global methods"),
    ],
    ids=["method", "source", "units", "option", "cycle", "kind", "list", "role", "resolution"],
)
def test_bad_derived_layers_are_refused(tiny_region, tmp_path, extra, error, message):
    config = tmp_path / "config.toml"
    text = tiny_region.read_text(encoding="utf-8")
    config.write_text(text.replace('path = "', f'path = "{tiny_region.parent}/') + extra,
                      encoding="utf-8")
    with pytest.raises(error, match=message):
        LayerStack.from_config(load_config(config))


def test_unknown_road_class_is_named_with_the_configured_ones(region_copy):
    extra = """
[layers.markets]
path = "markets.gpkg"
kind = "categorical"

[layers.roads_kelas]
path = "roads.gpkg"
attribute = "kelas"
kind = "categorical"
legend = { 1 = "arteri", 2 = "lokal" }

[layers.travel_time]
method = "travel_time"
from = { targets = "markets", roads = "roads_kelas" }
road_speeds = { arteri = 60 }
"""
    config = region_copy(edit=lambda text: text + extra)
    write_markets(config.parent)
    stack = LayerStack.from_config(load_config(config))
    with pytest.raises(ConfigError, match=r"road class 'lokal'.*Configured classes: 'arteri'"):
        stack.read(next(stack.grid.tiles(256)), ["travel_time"])


def test_a_geographic_grid_is_refused_when_the_stack_opens(tiny_region):
    cfg = load_config(tiny_region)
    grid = Grid.from_bounds((122.9, -8.6, 123.0, -8.5), resolution=0.001, crs="EPSG:4326")
    temperature = DerivedSpec("temperature", "braak", {"dem": "dem"})
    LayerStack(grid, [cfg.layers["dem"], temperature])  # point-wise: any grid will do
    terrain = DerivedSpec("slope", "slope", {"dem": "dem"})
    with pytest.raises(CRSError, match=r"\[layers.slope\] method = \"slope\".*projected"):
        LayerStack(grid, [cfg.layers["dem"], terrain])
