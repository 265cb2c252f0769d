"""Tiling invariance of the tile executor: same bytes and totals whatever the tiling.

The tiny region at 20 m (a 1200 × 1500 grid) is read tile by tile: a raster in
EPSG:4326, one in UTM 51S at 100 m, a categorical raster with a colour table, land-unit
polygons rasterized from an attribute (numeric and text), a presence layer and a table
joined by code. Every layer is written through a RasterSink and counted into an integer
(district × bin) histogram. The reference is one tile covering the whole grid, run
serially; every other tiling and executor must reproduce its files byte for byte and its
totals exactly.
"""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from aez.errors import ConfigError
from aez.executor import TileResult, run_tiles
from aez.grid import Grid
from aez.io import RasterSink

#: Continuous values are binned on these fixed edges (covers pH, mm/yr, m, people).
BIN_EDGES = np.array([0, 5, 6, 7, 10, 20, 50, 500, 1000, 1500, 2000, 2500, 3000, 25_000, 45_000])
#: Histogram slots per district: bin 0 is nodata, 1 … len(BIN_EDGES) are value bins.
SLOTS = 64


def make_tile_function(stack: Any, n_districts: int):
    """A tile function (a closure, so it pickles by value for dask workers).

    For each layer it returns the tile core as an output array, and an int64
    histogram of (district + 1) × SLOTS + bin, where district -1 is outside the
    study area, continuous values fall into BIN_EDGES bins and class codes are
    their own bin (code + 1; the sentinel -1 is bin 0).
    """
    names = list(stack.names)
    edges = BIN_EDGES
    slots = SLOTS
    size = (n_districts + 1) * slots

    def tile_function(tile):
        data = stack.read(tile)
        district = data.district[tile.core]
        arrays = {}
        totals = {}
        for name in names:
            layer = data[name]
            values = np.asarray(layer.data[tile.core])
            if layer.kind == "continuous":
                bins = np.digitize(values, edges)
                bins[np.isnan(values)] = 0
            else:
                bins = values + 1
            index = (district.astype(np.int64) + 1) * slots + bins
            arrays[name] = values
            totals[name] = np.bincount(index.ravel(), minlength=size).astype(np.int64)
        totals["cells"] = int(district.size)
        return TileResult(arrays=arrays, totals=totals)

    return tile_function


def run_region(stack: Any, outdir: Path, *, tile_size: int, executor: str,
               workers: int | None = None) -> tuple[dict[str, str], dict[str, Any]]:
    """Run the tile function over the whole grid; return (sha256 per output, totals)."""
    outdir.mkdir(parents=True, exist_ok=True)
    n_districts = len(stack.study_area.districts)
    sinks = {}
    for name, spec in stack.specs.items():
        continuous = spec.kind == "continuous"
        sinks[name] = RasterSink(
            outdir / f"{name}.tif",
            stack.grid,
            name=name,
            dtype="float32" if continuous else "int32",
            kind=spec.kind,
            units=spec.units,
            nodata=None if continuous else -1,
            legend=stack.sources[name].legend,
            inputs=stack.input_paths,
        )
    try:
        totals = run_tiles(
            make_tile_function(stack, n_districts),
            stack.grid.tiles(tile_size),
            executor=executor,
            workers=workers,
            sinks=sinks,
        )
    except BaseException:
        for sink in sinks.values():
            sink.abort()
        raise
    for sink in sinks.values():
        sink.close()
    files = sorted(p.name for p in outdir.iterdir())
    assert files == sorted(f"{name}.tif" for name in sinks), files  # no scratch files left
    hashes = {
        name: hashlib.sha256((outdir / f"{name}.tif").read_bytes()).hexdigest() for name in sinks
    }
    return hashes, totals


@pytest.fixture(scope="module")
def reference(tiny_stack, tmp_path_factory):
    """One tile covering the whole grid, serial: the run every other one must equal."""
    grid = tiny_stack.grid
    size = max(grid.shape)
    assert grid.tile_count(size) == 1
    return run_region(tiny_stack, tmp_path_factory.mktemp("reference"), tile_size=size,
                      executor="serial")


def test_stack_has_the_layer_kinds_under_test(tiny_stack):
    """The invariance test is only meaningful if the stack has all source kinds."""
    grid = tiny_stack.grid
    assert grid.shape == (1200, 1500)  # 24 km / 20 m × 30 km / 20 m
    assert grid.crs.to_epsg() == 32750
    facts = {name: source.describe() for name, source in tiny_stack.sources.items()}
    assert facts["rainfall"]["crs"] == "EPSG:4326"
    assert facts["ph_h2o"]["crs"] == "EPSG:32751"
    assert facts["ph_h2o"]["res"] == (100.0, 100.0)  # coarser than the 20 m grid
    assert tiny_stack.specs["drainage"].kind == "categorical"
    assert facts["cec_clay"]["source"] == "vector"
    assert tiny_stack.specs["cec_clay"].attribute == "cec_clay"
    assert facts["population"]["source"] == "table"


def test_reference_totals_count_every_cell_once(reference, tiny_stack):
    _, totals = reference
    n_cells = 1200 * 1500
    assert totals["cells"] == n_cells
    for name in tiny_stack.names:
        assert totals[name].dtype == np.int64
        assert int(totals[name].sum()) == n_cells, name
    # Class codes of the categorical raster stay within its colour table (1 … 5).
    drainage = totals["drainage"].reshape(-1, SLOTS)
    assert drainage[:, 2:7].sum() > 0
    assert drainage[:, 7:].sum() == 0
    # Roads are presence: only codes 0 and 1 (bins 1 and 2).
    roads = totals["roads"].reshape(-1, SLOTS)
    assert roads[:, 1:3].sum() == n_cells


@pytest.mark.parametrize(
    ("tile_size", "executor", "workers"),
    [
        pytest.param(256, "serial", None, id="tiles-256"),
        pytest.param(1000, "serial", None, id="tiles-1000"),
        pytest.param(300, "threads", 2, id="threads"),
        pytest.param(512, "dask", 2, id="dask", marks=pytest.mark.slow),
    ],
)
def test_outputs_do_not_depend_on_tiling_or_executor(
    reference, tiny_stack, tmp_path, tile_size, executor, workers
):
    if executor == "dask":
        pytest.importorskip("distributed")
    assert tiny_stack.grid.tile_count(tile_size) > 1
    hashes, totals = run_region(tiny_stack, tmp_path / "out", tile_size=tile_size,
                                executor=executor, workers=workers)
    ref_hashes, ref_totals = reference
    assert hashes == ref_hashes
    assert set(totals) == set(ref_totals)
    for name, value in ref_totals.items():
        np.testing.assert_array_equal(totals[name], value, err_msg=name)


# -- executor contract (cheap) -----------------------------------------------------------------


def _small_grid() -> Grid:
    return Grid.from_bounds((0, 0, 1000, 700), resolution=10, crs="EPSG:32750")


def test_float_totals_are_refused():
    def float_total(tile):
        return TileResult(totals={"area": 0.5 * tile.height})

    with pytest.raises(ConfigError, match="'area' is floating point"):
        run_tiles(float_total, _small_grid().tiles(32))


def test_unknown_executor_is_refused():
    with pytest.raises(ConfigError, match=r"'processes'.*serial, threads, dask"):
        run_tiles(lambda tile: TileResult(), _small_grid().tiles(32), executor="processes")


def test_array_without_sink_is_refused():
    def stray(tile):
        return TileResult(arrays={"nope": np.zeros((tile.height, tile.width))})

    with pytest.raises(ConfigError, match="'nope'"):
        run_tiles(stray, _small_grid().tiles(32))


def test_threads_sum_integer_totals_exactly():
    grid = _small_grid()  # 70 × 100 cells

    def count(tile):
        rows = np.arange(tile.row_off, tile.row_off + tile.height)
        return TileResult(totals={"cells": tile.height * tile.width,
                                  "rows": np.bincount(rows, minlength=70) * tile.width})

    totals = run_tiles(count, grid.tiles(13), executor="threads", workers=2)
    assert totals["cells"] == 7000
    np.testing.assert_array_equal(totals["rows"], np.full(70, 100))


#: In a fresh process: free a 16 MiB array (which raises glibc's mmap threshold to 16 MiB),
#: then have two threads hold and free 96 arrays of 1 MiB each (so they come from the
#: threads' heaps), and print the resident memory (MiB) before and after the release.
RELEASE_PROBE = r"""
import sys, threading
import numpy as np
from aez.executor import release_freed_memory

def resident():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20

big = np.ones(16 * 2**20, np.uint8)
del big
def hold():
    arrays = [np.ones(2**20, np.uint8) for _ in range(96)]
    del arrays
threads = [threading.Thread(target=hold) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
before = resident()
made = release_freed_memory() if sys.argv[1] == "release" else None
print(made, before - resident())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                    reason="glibc's allocator only")
def test_freed_arrays_are_returned_to_the_system_under_glibc():
    def probe(mode: str) -> tuple[str, float]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
        done = subprocess.run([sys.executable, "-c", RELEASE_PROBE, mode], check=True,
                              capture_output=True, text=True, env=clean)
        made, dropped = done.stdout.split()
        return made, float(dropped)

    # glibc's own rule: the freed 1 MiB arrays stay with the process
    made, dropped = probe("keep")
    assert made == "None" and dropped < 16
    # released: most of the 192 MiB the threads freed goes back to the system
    made, dropped = probe("release")
    assert made == "True" and dropped > 128
