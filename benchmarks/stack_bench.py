"""Benchmark: stream a 6-layer raster stack tile by tile vs. read it whole.

Generates (once, cached in ``--workdir``) a stack of six single-band GeoTIFFs
on one analysis grid (``--size`` × ``--size`` cells at 20 m in EPSG:32750,
tiled 256 × 256, deflate), then measures, each in a fresh Python process:

* ``whole``: the baseline — ``src.read(1)`` of all six files, all six arrays
  kept in memory, then a trivial integer reduction;
* ``serial``/``threads`` × tile size: the same reduction per tile, with
  :class:`aez.harmonize.LayerStack` reading the tiles and
  :func:`aez.executor.run_tiles` adding up the integer totals.

Every configuration runs ``--repeat`` times, each in a fresh subprocess, so
peak RSS (``ru_maxrss`` of the child) is not polluted by earlier runs. The
table shows the fastest run (its wall time and peak RSS); the RSS target is
checked against the highest peak of all runs. The totals of every run are checked against
the baseline's.

Targets: peak RSS of the streaming runs < 600 MB whatever the raster size;
streaming wall time within 1.3 × the whole-raster read. The script prints
PASS/FAIL per target and always exits 0: it is a benchmark, not a test.

Run ``python benchmarks/stack_bench.py --help`` for the options.
"""

from __future__ import annotations

import argparse
import importlib
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

#: Bump when the generated files change, so stale caches are rebuilt.
GENERATOR_VERSION = 1
CRS = "EPSG:32750"
RESOLUTION = 20.0
#: Upper-left corner of the grid (UTM 50S, around Lombok/Sumbawa).
LEFT, TOP = 400_000.0, 9_100_000.0
BLOCK = 256
#: Rows generated and written per strip (a multiple of BLOCK).
STRIP_ROWS = 4 * BLOCK

RSS_TARGET_MB = 600.0
TIME_TARGET_RATIO = 1.3

# name: (dtype, nodata, kind, units). Nodata None = the file declares none.
LAYERS: dict[str, tuple[str, float | None, str, str]] = {
    "dem": ("int16", -32768, "continuous", "m"),
    "rain": ("float32", -9999.0, "continuous", "mm/yr"),
    "ph": ("float32", float("nan"), "continuous", "pH"),
    "drainage": ("uint8", 255, "categorical", ""),
    "cec": ("float32", -9999.0, "continuous", "cmol/kg"),
    "texture": ("uint8", None, "categorical", ""),
}
TEXTURE_CLASSES = 16


# -- synthetic stack ---------------------------------------------------------------------------


def _wave(x: np.ndarray, y: np.ndarray, seed: int) -> np.ndarray:
    """A smooth field in about [-1, 1]: sinusoids of 60 km down to 1.5 km wavelength."""
    rng = np.random.default_rng(seed)
    z = np.zeros(np.broadcast_shapes(x.shape, y.shape))
    for wavelength, amp in ((60_000, 0.5), (21_000, 0.3), (7_000, 0.15), (1_500, 0.05)):
        angle = rng.uniform(0, np.pi)
        kx, ky = np.cos(angle) * 2 * np.pi / wavelength, np.sin(angle) * 2 * np.pi / wavelength
        z += amp * np.sin(kx * x + ky * y + rng.uniform(0, 2 * np.pi))
    return z


def _strip(row0: int, rows: int, size: int) -> dict[str, np.ndarray]:
    """Values of all six layers for grid rows ``row0 … row0 + rows``."""
    x = LEFT + (np.arange(size) + 0.5) * RESOLUTION
    y = TOP - (np.arange(row0, row0 + rows) + 0.5) * RESOLUTION
    x, y = x[np.newaxis, :], y[:, np.newaxis]
    noise = np.random.default_rng(1000 + row0)  # same values whatever the strip height
    relief = _wave(x, y, 1)
    sea = relief < -0.35

    dem = np.rint(np.clip(900 * (relief + 0.35) + 40 * _wave(x, y, 2), 0, 3700)).astype(np.int16)
    dem[sea] = -32768

    rain = (2200 + 900 * _wave(x, y, 3) + noise.normal(0, 15, (rows, size))).astype(np.float32)
    rain[_wave(x, y, 4) > 0.55] = -9999.0  # gauge gaps

    ph = (5.6 + 1.4 * _wave(x, y, 5) + noise.normal(0, 0.05, (rows, size))).astype(np.float32)
    ph[sea] = np.nan

    drainage = np.clip(np.floor(4 + 3.5 * _wave(x, y, 6)), 1, 7).astype(np.uint8)
    drainage[sea] = 255

    cec = (18 + 12 * _wave(x, y, 7) + noise.normal(0, 0.5, (rows, size))).astype(np.float32)
    cec[sea] = -9999.0

    sand, clay = _wave(x, y, 8), _wave(x, y, 9)
    texture = (1 + np.clip(np.floor((sand + 1) * 2.5), 0, 4) * 3
               + np.clip(np.floor((clay + 1) * 1.5), 0, 2)).astype(np.uint8)
    texture[sea] = 0  # "water": a class, not nodata
    return {"dem": dem, "rain": rain, "ph": ph, "drainage": drainage, "cec": cec,
            "texture": texture}


def stack_dir(workdir: Path, size: int) -> Path:
    return workdir / f"stack-{size}"


def ensure_stack(workdir: Path, size: int) -> dict[str, Path]:
    """Write the six GeoTIFFs unless a complete set for this size is cached."""
    import rasterio
    from affine import Affine
    from rasterio.windows import Window

    folder = stack_dir(workdir, size)
    paths = {name: folder / f"{name}.tif" for name in LAYERS}
    manifest = folder / "manifest.json"
    wanted = {"generator": GENERATOR_VERSION, "size": size, "block": BLOCK,
              "layers": sorted(LAYERS)}
    if manifest.exists() and json.loads(manifest.read_text()) == wanted and all(
        p.exists() for p in paths.values()
    ):
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    manifest.unlink(missing_ok=True)
    transform = Affine(RESOLUTION, 0, LEFT, 0, -RESOLUTION, TOP)
    print(f"generating {size} x {size} stack in {folder} ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    datasets = {}
    try:
        for name, (dtype, nodata, kind, units) in LAYERS.items():
            profile = {
                "driver": "GTiff", "width": size, "height": size, "count": 1, "dtype": dtype,
                "crs": CRS, "transform": transform, "nodata": nodata, "tiled": True,
                "blockxsize": BLOCK, "blockysize": BLOCK, "compress": "deflate",
                "predictor": 3 if dtype == "float32" else 2, "num_threads": "all_cpus",
            }
            dst = rasterio.open(paths[name], "w", **profile)
            datasets[name] = dst
            dst.update_tags(1, AEZ_KIND=kind, AEZ_UNITS=units)
            if units:
                dst.units = (units,)
        for row0 in range(0, size, STRIP_ROWS):
            rows = min(STRIP_ROWS, size - row0)
            for name, values in _strip(row0, rows, size).items():
                datasets[name].write(values, 1, window=Window(0, row0, size, rows))
    finally:
        for dst in datasets.values():
            dst.close()
    manifest.write_text(json.dumps(wanted))
    megabytes = sum(p.stat().st_size for p in paths.values()) / 1e6
    print(f"generated in {time.perf_counter() - start:.0f} s, {megabytes:.0f} MB on disk",
          file=sys.stderr, flush=True)
    return paths


# -- the workloads (run in a child process) ----------------------------------------------------


def _add(totals: dict[str, Any], more: dict[str, Any]) -> None:
    for key, value in more.items():
        totals[key] = totals[key] + value if key in totals else value


def reduce_arrays(arrays: dict[str, np.ndarray], is_valid: Any) -> dict[str, Any]:
    """The trivial per-tile (or whole-raster) work: integer counts and sums.

    ``is_valid(name, array)`` gives the layer's validity mask. Temporaries are
    kept small (one or two masks at a time, histogram by row chunks), so the
    reduction adds little to the memory of the reads being measured.
    """
    totals: dict[str, Any] = {}
    all_valid = None
    for name, array in arrays.items():
        valid = is_valid(name, array)
        totals[f"valid_{name}"] = int(np.count_nonzero(valid))
        if all_valid is None:
            all_valid = valid.copy()
        else:
            all_valid &= valid
        if name in ("dem", "drainage"):
            # Values are whole numbers: a float64 sum of one tile, or of 1e8 cells, is exact.
            dtype = np.float64 if array.dtype.kind == "f" else np.int64
            totals[f"{name}_sum"] = int(array.sum(where=valid, dtype=dtype))
        if name == "texture":
            hist = np.zeros(TEXTURE_CLASSES, dtype=np.int64)
            for r in range(0, array.shape[0], BLOCK):
                hist += np.bincount(array[r : r + BLOCK][valid[r : r + BLOCK]],
                                    minlength=TEXTURE_CLASSES)
            totals["texture_hist"] = hist
        del valid
    totals["valid_all"] = int(np.count_nonzero(all_valid))
    return totals


def run_whole(paths: dict[str, Path]) -> dict[str, Any]:
    """Baseline: read every file whole, keep all six arrays, then reduce."""
    import rasterio

    arrays, nodata = {}, {}
    for name, path in paths.items():
        with rasterio.open(path) as src:
            arrays[name] = src.read(1)
            nodata[name] = src.nodata

    def is_valid(name: str, array: np.ndarray) -> np.ndarray:
        nd = nodata[name]
        if nd is None:
            return np.ones(array.shape, dtype=bool)
        if np.isnan(nd):
            return ~np.isnan(array)
        return array != array.dtype.type(nd)

    return reduce_arrays(arrays, is_valid)


def run_stream(paths: dict[str, Path], tile_size: int, executor: str,
               workers: int | None) -> dict[str, Any]:
    """aez: LayerStack.read per tile, run_tiles adds up the integer totals."""
    from aez.executor import TileResult, run_tiles
    from aez.harmonize import LayerSpec, LayerStack
    from aez.io import read_grid

    grid = read_grid(paths["dem"])
    specs = [LayerSpec(name, path, kind=LAYERS[name][2]) for name, path in paths.items()]
    stack = LayerStack(grid, specs)

    def is_valid(name: str, array: np.ndarray) -> np.ndarray:
        # aez's convention: continuous layers are float with NaN, categorical int32 with -1.
        return ~np.isnan(array) if array.dtype.kind == "f" else array != -1

    def reduce_tile(tile: Any) -> TileResult:
        td = stack.read(tile)
        return TileResult(totals=reduce_arrays({n: td.core(n) for n in LAYERS}, is_valid))

    return run_tiles(reduce_tile, grid.tiles(tile_size), executor=executor, workers=workers)


def child(spec: dict[str, Any]) -> None:
    """Run one configuration and print its measurements as one JSON line."""
    import psutil

    paths = {name: stack_dir(Path(spec["workdir"]), spec["size"]) / f"{name}.tif"
             for name in LAYERS}
    # Import before the clock starts: the stream child pays for aez's imports (geopandas …),
    # the baseline only for rasterio's.
    for module in ("aez.executor", "aez.harmonize") if spec["mode"] == "stream" else ("rasterio",):
        importlib.import_module(module)
    base_rss = psutil.Process().memory_info().rss
    profiler = None
    if spec.get("profile"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start, cpu_start = time.perf_counter(), time.process_time()
    if spec["mode"] == "whole":
        totals = run_whole(paths)
    else:
        totals = run_stream(paths, spec["tile"], spec["executor"], spec["workers"])
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    if profiler is not None:
        import io
        import pstats

        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(18)
        Path(spec["profile"]).write_text(text.getvalue())
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({
        "wall": wall,
        "peak_rss_mb": peak_kb * 1024 / 1e6,
        "base_rss_mb": base_rss / 1e6,
        "cpu": cpu,
        "totals": {k: np.asarray(v).tolist() for k, v in totals.items()},
    }))


# -- the driver --------------------------------------------------------------------------------


def launch(spec: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    """Run one configuration in a fresh interpreter; a failure is reported, not raised."""
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)],
        capture_output=True, text=True, env=env, check=False,
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"  {config_name(spec)} failed (exit {proc.returncode}):\n{proc.stderr}",
              file=sys.stderr, flush=True)
        return {"error": last}
    return json.loads(lines[-1])


def aez_revision() -> str:
    """aez's version, and the git commit of the working tree when there is one."""
    try:
        import aez

        version = f"aez {aez.__version__}"
    except Exception as exc:  # the table must still print
        return f"aez not importable ({exc})"
    root = Path(aez.__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "aez"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return version
    return f"{version} (commit {commit}{', aez/ modified' if dirty else ''})"


def config_name(spec: dict[str, Any]) -> str:
    if spec["mode"] == "whole":
        return "whole-raster read"
    workers = f" ({spec['workers']} workers)" if spec["executor"] == "threads" else ""
    return f"{spec['executor']}{workers}, tile {spec['tile']}"


def machine_summary() -> str:
    import psutil
    import rasterio

    logical = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else logical
    physical = psutil.cpu_count(logical=False)
    ram = psutil.virtual_memory().total / 2**30
    cachemax = os.environ.get("GDAL_CACHEMAX", "unset (GDAL default: 5% of RAM)")
    return (f"machine: {logical} logical CPUs ({physical} physical, {usable} usable), "
            f"{ram:.1f} GiB RAM; Python {platform.python_version()}, numpy {np.__version__}, "
            f"rasterio {rasterio.__version__}, GDAL {rasterio.__gdal_version__}; "
            f"GDAL_CACHEMAX {cachemax}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "aez-stack-bench",
                        help="where the generated stack is cached (default: %(default)s)")
    parser.add_argument("--size", type=int, default=10_000,
                        help="grid rows = cols (default 10000: 100 Mpix)")
    parser.add_argument("--tiles", type=int, nargs="+", default=[512, 1024, 2048],
                        help="tile sizes to stream with (default: 512 1024 2048)")
    parser.add_argument("--executors", nargs="+", default=["serial", "threads"],
                        choices=["serial", "threads"])
    parser.add_argument("--workers", type=int, default=2, help="threads for 'threads'")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs per configuration; the best wall time is kept")
    parser.add_argument("--gdal-cachemax", metavar="MB",
                        help="set GDAL_CACHEMAX in the child processes (default: leave unset)")
    parser.add_argument("--profile", action="store_true",
                        help="after the table, cProfile one extra serial run per tile size")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        child(json.loads(args.child))
        return 0

    env = dict(os.environ)
    if args.gdal_cachemax:
        env["GDAL_CACHEMAX"] = args.gdal_cachemax
        os.environ["GDAL_CACHEMAX"] = args.gdal_cachemax  # for the summary line
    workdir = args.workdir.resolve()
    paths = ensure_stack(workdir, args.size)
    for path in paths.values():  # warm the page cache, so no run pays for the first read
        with path.open("rb") as f:
            while f.read(1 << 24):
                pass

    common = {"workdir": str(workdir), "size": args.size}
    specs = [{**common, "mode": "whole"}]
    for executor in args.executors:
        for tile in args.tiles:
            specs.append({**common, "mode": "stream", "tile": tile, "executor": executor,
                          "workers": args.workers if executor == "threads" else None})
    revision = aez_revision()
    runs: list[list[dict[str, Any]]] = [[] for _ in specs]
    for _ in range(args.repeat):  # interleaved, so drift hits every configuration alike
        for i, spec in enumerate(specs):
            result = launch(spec, env)
            runs[i].append(result)
            if "error" not in result:
                print(f"  {config_name(spec):<34} {result['wall']:7.2f} s", file=sys.stderr,
                      flush=True)

    ok_runs = [[r for r in rs if "error" not in r] for rs in runs]
    best = [min(rs, key=lambda m: m["wall"]) if rs else None for rs in ok_runs]
    baseline = best[0]
    disk_mb = sum(p.stat().st_size for p in paths.values()) / 1e6
    print()
    print(f"aez stack benchmark: {args.size} x {args.size} cells "
          f"({args.size**2 / 1e6:.0f} Mpix), 6 layers "
          f"(int16, float32 x3, uint8 x2; 256x256 tiles, deflate; {disk_mb:.0f} MB on disk)")
    print(machine_summary())
    if aez_revision() != revision:
        revision += f"; CHANGED during the run, now: {aez_revision()}"
    print(revision)
    print(f"best of {args.repeat} runs per configuration, each run in a fresh process; "
          "wall = open + read + reduce (imports excluded)")
    print()
    header = (f"{'configuration':<34} {'wall s':>7} {'peak RSS MB':>12} {'start RSS MB':>13} "
              f"{'cpu s':>6} {'x whole':>8} {'totals':>7}")
    print(header)
    print("-" * len(header))
    fails: dict[str, list[str]] = {"rss": [], "time": []}
    for spec, m, good, all_runs in zip(specs, best, ok_runs, runs, strict=True):
        name = config_name(spec)
        if m is None:
            print(f"{name:<34} ERROR: {all_runs[-1]['error']}")
            if spec["mode"] == "stream":
                fails["rss"].append(f"{name} (error)")
                fails["time"].append(f"{name} (error)")
            continue
        ratio = m["wall"] / baseline["wall"] if baseline else float("nan")
        if baseline is None:
            same = "n/a"
        else:
            same = "same" if all(r["totals"] == baseline["totals"] for r in good) else "DIFFER"
        if len(good) < len(all_runs):
            same += f" ({len(all_runs) - len(good)} failed)"
        print(f"{name:<34} {m['wall']:7.2f} {m['peak_rss_mb']:12.0f} "
              f"{m['base_rss_mb']:13.0f} {m['cpu']:6.1f} {ratio:8.2f} {same:>7}")
        if spec["mode"] == "stream":
            peak = max(r["peak_rss_mb"] for r in good)
            if peak >= RSS_TARGET_MB:
                fails["rss"].append(f"{name} ({peak:.0f} MB)")
            if not ratio <= TIME_TARGET_RATIO:
                fails["time"].append(f"{name} ({ratio:.2f}x)")
    print()
    print(f"target 1: streaming peak RSS < {RSS_TARGET_MB:.0f} MB (any raster size): "
          + ("PASS" if not fails["rss"] else "FAIL: " + "; ".join(fails["rss"])))
    print(f"target 2: streaming wall time <= {TIME_TARGET_RATIO}x whole-raster read: "
          + ("PASS" if not fails["time"] else "FAIL: " + "; ".join(fails["time"])))
    if baseline:
        print(f"whole-raster baseline: {baseline['wall']:.2f} s, "
              f"{baseline['peak_rss_mb']:.0f} MB peak RSS")

    if args.profile:
        for tile in args.tiles:
            out = workdir / f"profile-serial-{tile}-{args.size}.txt"
            result = launch({**common, "mode": "stream", "tile": tile, "executor": "serial",
                             "workers": None, "profile": str(out)}, env)
            if "error" in result:
                continue
            print(f"\ncProfile, serial, tile {tile} (top functions by own time; {out}):")
            print(out.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
