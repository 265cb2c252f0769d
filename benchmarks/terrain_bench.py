"""Benchmark: slope of a 100 Mpix DEM, file to file, aez vs. gdaldem; travel time on 20 Mpix.

Generates (once, cached in ``--workdir``) an int16 DEM GeoTIFF of ``--size`` ×
``--size`` cells at 30 m in EPSG:32750 (tiled 256 × 256, deflate, with a sea
of nodata), then measures, each in a fresh process:

* ``gdaldem``: ``gdaldem slope`` (degrees, Horn) writing a tiled 256 × 256,
  deflate (predictor 3) float32 GeoTIFF;
* ``aez``: a :class:`aez.harmonize.LayerStack` with a derived slope layer,
  read tile by tile (each tile's DEM one cell wider for the halo), run with
  :func:`aez.executor.run_tiles` on threads, written with
  :class:`aez.io.RasterSink` (the same format: tiled 256 × 256, deflate,
  predictor 3, float32);
* ``travel``: :func:`aez.derive.travel_time` on a ``--travel-size`` grid
  (default 20 Mpix) with roads of four classes, rivers, a protected area and
  the slope of a synthetic DEM.

Both slope outputs are compared cell by cell (same nodata, max difference).
Peak RSS is each child's own ``ru_maxrss`` (for gdaldem: the wrapper's
``RUSAGE_CHILDREN``, i.e. gdaldem's). Targets: aez at least as fast as
gdaldem (ratio ≥ 1.0) with peak RSS < 1 GB; travel time < 60 s. The script
prints PASS/FAIL per target and always exits 0: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

GENERATOR_VERSION = 1
CRS = "EPSG:32750"
RES = 30.0
LEFT, TOP = 300_000.0, 9_200_000.0
BLOCK = 256
STRIP = 4 * BLOCK
NODATA = -32768
RSS_TARGET_MB = 1024.0
TRAVEL_TARGET_S = 60.0
CREATION = {"tiled": "YES", "blockxsize": "256", "blockysize": "256", "compress": "DEFLATE",
            "predictor": "3", "bigtiff": "IF_SAFER"}


# -- synthetic DEM ----------------------------------------------------------------------------


def relief(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Elevation (m): sinusoids from 80 km down to 300 m wavelength (a rough fractal)."""
    rng = np.random.default_rng(5)
    z = np.zeros(np.broadcast_shapes(x.shape, y.shape))
    wavelength, amplitude = 80_000.0, 900.0
    while wavelength >= 300:
        for _ in range(2):
            angle = rng.uniform(0, np.pi)
            kx, ky = np.cos(angle) * 2 * np.pi / wavelength, np.sin(angle) * 2 * np.pi / wavelength
            z += amplitude * np.sin(kx * x + ky * y + rng.uniform(0, 2 * np.pi))
        wavelength /= 2.2
        amplitude /= 2.0
    return z


def dem_strip(row0: int, rows: int, cols: int) -> np.ndarray:
    x = (LEFT + (np.arange(cols) + 0.5) * RES)[None, :]
    y = (TOP - (np.arange(row0, row0 + rows) + 0.5) * RES)[:, None]
    z = relief(x, y) + 700.0
    dem = np.rint(np.clip(z, 0, 3800)).astype(np.int16)
    dem[z < 40] = NODATA  # the sea
    return dem


def ensure_dem(workdir: Path, size: int) -> Path:
    import rasterio
    from affine import Affine
    from rasterio.windows import Window

    path = workdir / f"dem-{size}.tif"
    manifest = workdir / f"dem-{size}.json"
    wanted = {"generator": GENERATOR_VERSION, "size": size}
    if path.exists() and manifest.exists() and json.loads(manifest.read_text()) == wanted:
        return path
    workdir.mkdir(parents=True, exist_ok=True)
    manifest.unlink(missing_ok=True)
    print(f"generating {size} x {size} DEM in {path} ...", file=sys.stderr, flush=True)
    profile = {"driver": "GTiff", "width": size, "height": size, "count": 1, "dtype": "int16",
               "crs": CRS, "transform": Affine(RES, 0, LEFT, 0, -RES, TOP), "nodata": NODATA,
               "tiled": True, "blockxsize": BLOCK, "blockysize": BLOCK, "compress": "deflate",
               "predictor": 2, "num_threads": "all_cpus", "bigtiff": "if_safer"}
    with rasterio.open(path, "w", **profile) as dst:
        for row0 in range(0, size, STRIP):
            rows = min(STRIP, size - row0)
            dst.write(dem_strip(row0, rows, size), 1, window=Window(0, row0, size, rows))
    manifest.write_text(json.dumps(wanted))
    return path


# -- children ---------------------------------------------------------------------------------


def run_gdaldem(spec: dict[str, Any]) -> dict[str, Any]:
    out = Path(spec["out"])
    out.unlink(missing_ok=True)
    args = ["gdaldem", "slope", spec["dem"], str(out), "-q", "-of", "GTiff"]
    for key, value in CREATION.items():
        args += ["-co", f"{key.upper()}={value}"]
    start = time.perf_counter()
    subprocess.run(args, check=True)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"wall": wall, "peak_rss_mb": peak}


def run_aez(spec: dict[str, Any]) -> dict[str, Any]:
    from aez.executor import TileResult, run_tiles
    from aez.harmonize import DerivedSpec, LayerSpec, LayerStack
    from aez.io import RasterSink, read_grid

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = Path(spec["out"])
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    grid = read_grid(spec["dem"])
    stack = LayerStack(grid, [
        LayerSpec(name="dem", path=Path(spec["dem"]), units="m"),
        DerivedSpec(name="slope", method="slope", inputs={"dem": "dem"},
                    options={"units": "degrees"}),
    ])

    def tile_slope(tile):
        return TileResult(arrays={"slope": stack.read(tile, ["slope"]).core("slope")})

    with RasterSink(out, grid, name="slope", dtype="float32", units="degrees") as sink:
        run_tiles(tile_slope, grid.tiles(spec["tile"], halo=1), executor="threads",
                  workers=spec["workers"], sinks={"slope": sink})
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall": wall, "peak_rss_mb": peak, "base_rss_mb": base}


def run_travel(spec: dict[str, Any]) -> dict[str, Any]:
    from affine import Affine

    from aez.derive import slope, travel_time
    from aez.grid import Grid
    from aez.layer import Layer

    rows, cols = spec["rows"], spec["cols"]
    grid = Grid(CRS, Affine(RES, 0, LEFT, 0, -RES, TOP), (rows, cols))
    dem = dem_strip(0, rows, cols).astype(np.float32)
    dem[dem == NODATA] = np.nan
    rng = np.random.default_rng(9)
    roads = np.full((rows, cols), -1, dtype=np.int16)
    for code, step in ((1, 1500), (2, 700), (3, 300), (4, 120)):  # grid-like road network
        for r in range(int(rng.integers(0, step)), rows, step):
            roads[r, :] = np.where(roads[r, :] > 0, roads[r, :], code)
        for c in range(int(rng.integers(0, step)), cols, step):
            roads[:, c] = np.where(roads[:, c] > 0, roads[:, c], code)
    rivers = np.zeros((rows, cols), dtype=np.int16)
    rivers[rows // 3, :] = 1
    protected = np.zeros((rows, cols), dtype=np.int16)
    protected[rows // 2 : rows // 2 + rows // 5, cols // 4 : cols // 2] = 1
    markets = np.zeros((rows, cols), dtype=np.int16)
    for r, c in rng.integers(0, [rows, cols], size=(12, 2)):
        markets[r, c] = 1
    legend = {1: "arteri", 2: "kolektor", 3: "lokal", 4: "jalan_desa"}
    start = time.perf_counter()
    slope_layer = slope(Layer("dem", dem, grid, units="m"), units="%")
    result = travel_time(
        Layer("markets", markets, grid, kind="categorical"),
        roads=Layer("roads", roads, grid, kind="categorical", legend=legend),
        rivers=Layer("rivers", rivers, grid, kind="categorical"),
        protected=Layer("protected", protected, grid, kind="categorical"),
        slope=slope_layer,
    )
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall": wall, "peak_rss_mb": peak, "max_min": float(np.nanmax(result.data)),
            "median_min": float(np.nanmedian(result.data))}


def child(spec: dict[str, Any]) -> None:
    runner = {"gdaldem": run_gdaldem, "aez": run_aez, "travel": run_travel}[spec["mode"]]
    print(json.dumps(runner(spec)), flush=True)


def launch(spec: dict[str, Any]) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child",
                           json.dumps(spec)], capture_output=True, text=True, check=False)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        print(proc.stderr, file=sys.stderr)
        return {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(lines[-1])


# -- comparison -------------------------------------------------------------------------------


def compare(ours: Path, theirs: Path) -> tuple[bool, float, int]:
    """Same nodata cells? Largest difference on the others; number of nodata cells."""
    import rasterio
    from rasterio.windows import Window

    same, worst, blank = True, 0.0, 0
    with rasterio.open(ours) as a, rasterio.open(theirs) as b:
        for row0 in range(0, a.height, STRIP):
            window = Window(0, row0, a.width, min(STRIP, a.height - row0))
            x = a.read(1, window=window)
            y = b.read(1, window=window).astype(np.float32)
            y[y == b.nodata] = np.nan
            nx, ny = np.isnan(x), np.isnan(y)
            same &= bool(np.array_equal(nx, ny))
            blank += int(nx.sum())
            if (~nx).any():
                worst = max(worst, float(np.nanmax(np.abs(x - y))))
    return same, worst, blank


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "tb",
                        help="where the DEM and outputs go (default: %(default)s)")
    parser.add_argument("--size", type=int, default=10_000, help="DEM rows = cols (100 Mpix)")
    parser.add_argument("--tile", type=int, default=1024, help="aez tile size (cells)")
    parser.add_argument("--workers", type=int, default=2, help="aez threads")
    parser.add_argument("--repeat", type=int, default=2, help="runs each; the fastest is kept")
    parser.add_argument("--travel-size", type=float, default=20.0,
                        help="travel time grid in Mpix (square; default 20)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(json.loads(args.child))
        return 0

    import rasterio

    workdir = args.workdir.resolve()
    dem = ensure_dem(workdir, args.size)
    with dem.open("rb") as f:  # warm the page cache
        while f.read(1 << 24):
            pass
    outs = {"gdaldem": workdir / "slope-gdaldem.tif", "aez": workdir / "slope-aez.tif"}
    runs: dict[str, list[dict[str, Any]]] = {"gdaldem": [], "aez": []}
    for _ in range(args.repeat):
        for mode in runs:
            result = launch({"mode": mode, "dem": str(dem), "out": str(outs[mode]),
                             "tile": args.tile, "workers": args.workers})
            runs[mode].append(result)
            if "error" not in result:
                print(f"  {mode:8} {result['wall']:7.2f} s", file=sys.stderr, flush=True)
    side = round((args.travel_size * 1e6) ** 0.5)
    travel = launch({"mode": "travel", "rows": side, "cols": side})

    print()
    print(f"aez terrain benchmark: slope of a {args.size} x {args.size} int16 DEM "
          f"({args.size**2 / 1e6:.0f} Mpix, 30 m, EPSG:32750, deflate; "
          f"{dem.stat().st_size / 1e6:.0f} MB)")
    print(f"machine: {os.cpu_count()} CPUs; Python {platform.python_version()}, numpy "
          f"{np.__version__}, rasterio {rasterio.__version__} (GDAL "
          f"{rasterio.__gdal_version__}); gdaldem from "
          + subprocess.run(["gdalinfo", "--version"], capture_output=True, text=True)
          .stdout.strip())
    print("output of both: float32 GeoTIFF, tiled 256 x 256, DEFLATE, PREDICTOR=3; "
          f"aez: tiles of {args.tile}, {args.workers} threads; best of {args.repeat} runs, "
          "each in a fresh process")
    print()
    best = {}
    for mode, results in runs.items():
        good = [r for r in results if "error" not in r]
        if not good:
            print(f"{mode:10} ERROR: {results[-1]['error']}")
            continue
        best[mode] = min(good, key=lambda r: r["wall"])
        peak = max(r["peak_rss_mb"] for r in good)
        print(f"{mode:10} wall {best[mode]['wall']:7.2f} s   peak RSS {peak:6.0f} MB")
    if len(best) == 2:
        ratio = best["gdaldem"]["wall"] / best["aez"]["wall"]
        peak = max(r["peak_rss_mb"] for r in runs["aez"] if "error" not in r)
        same, worst, blank = compare(outs["aez"], outs["gdaldem"])
        print(f"speed of aez relative to gdaldem: {ratio:.2f}x (gdaldem time / aez time)")
        print(f"outputs: same nodata cells: {same} ({blank} nodata cells); "
              f"max |difference| elsewhere: {worst:.2e} degrees")
        ok = ratio >= 1.0 and peak < RSS_TARGET_MB
        print(f"target 1: aez >= 1.0x gdaldem's speed with peak RSS < {RSS_TARGET_MB:.0f} MB: "
              + ("PASS" if ok else f"FAIL ({ratio:.2f}x, {peak:.0f} MB)"))
    print()
    if "error" in travel:
        print(f"travel time: ERROR: {travel['error']}")
    else:
        print(f"travel time on {side} x {side} cells ({side * side / 1e6:.1f} Mpix, 30 m; slope, "
              f"4 road classes, a river, a protected area, 12 markets): "
              f"{travel['wall']:.1f} s, peak RSS {travel['peak_rss_mb']:.0f} MB "
              f"(median {travel['median_min']:.0f} min, max {travel['max_min']:.0f} min)")
        print(f"target 2: travel time < {TRAVEL_TARGET_S:.0f} s: "
              + ("PASS" if travel["wall"] < TRAVEL_TARGET_S else "FAIL"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
