"""Benchmark: class areas per polygon for 20 crops, aez's one-pass zonal vs. exactextract.

Generates (once, cached in ``--workdir``) the outputs a province-sized run would
zone: ``--crops`` class rasters (uint8 codes 0 nodata, 1–4 S1–N, 5 excluded,
6 unknown; default 20) on a ``--size`` × ``--size`` grid of 20 m cells in
EPSG:32750 (default 5900² ≈ 35 Mpix), written as the suitability stage writes
them (tiled 256 × 256, deflate, predictor 2), and ``--polygons`` kecamatan
(default 200): a jittered Voronoi tiling clipped to a coast, so some polygons
end at the sea. Each crop's classes are smooth fields cut into S1–N, with
excluded land shared by all crops (a protected forest) and patches of unknown
land; cell-to-cell noise makes the class edges ragged, so the files compress
about as much as real class maps (about 12×); cells whose centre is at sea are
nodata (0).

Then, each in a fresh Python process, on the same files:

* ``aez`` (threads and serial): :func:`aez.pipeline.zonal_class_areas`: every
  tile of every raster read once, the polygons rasterized once per tile (cell
  centres), and the cells and cm² per polygon × class of all crops counted in
  one compiled pass;
* ``exactextract``: one ``exact_extract`` call per crop, as exactextract is
  used, with the ops ``unique``, ``frac`` and
  ``area=count(coverage_weight=area_cartesian)`` (the class areas are
  ``frac × area``), default strategy (``feature-sequential``).

It prints wall and CPU times (imports excluded; aez's one-off numba cache load
is shown apart; CPU time is what other load on the machine inflates least),
peak RSS (``VmHWM``), the speed ratio, and how far the class areas
differ for polygons over 10 km² (as a share of the polygon's area: aez gives a
boundary cell wholly to the polygon holding its centre, exactextract splits it
by coverage). Target: aez ≥ 3× faster than exactextract. Prints PASS/FAIL and
always exits 0: a benchmark, not a test.
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

import numpy as np

#: Bump when the generated files change, so stale caches are rebuilt.
GENERATOR_VERSION = 2
CRS = "EPSG:32750"
RESOLUTION = 20.0
LEFT, TOP = 400_000.0, 9_200_000.0
BLOCK = 256
STRIP_ROWS = 4 * BLOCK
N_CLASSES = 7
SPEED_TARGET = 3.0
#: Polygons smaller than this (m²) are left out of the area comparison.
MIN_AREA = 10e6
OPS = ["unique", "frac", "area=count(coverage_weight=area_cartesian)"]


# -- data ---------------------------------------------------------------------------------------

def _wave(y: np.ndarray, x: np.ndarray, seed: int) -> np.ndarray:
    """A smooth field in about [-1, 1]: sinusoids of 40 km down to 1 km at 20 m cells."""
    rng = np.random.default_rng(seed)
    z = np.zeros(np.broadcast_shapes(y.shape, x.shape), np.float32)
    for wavelength, amp in ((40_000, 0.5), (13_000, 0.3), (4_000, 0.15), (1_000, 0.05)):
        a = rng.uniform(0, np.pi)
        k = 2 * np.pi / wavelength * RESOLUTION
        z += np.float32(amp) * np.sin(np.float32(k * np.cos(a)) * x
                                      + np.float32(k * np.sin(a)) * y
                                      + np.float32(rng.uniform(0, 2 * np.pi)))
    return z


def _outline(size: int):
    """The land: the grid's square with a winding coast across its southern part."""
    from shapely.geometry import Polygon

    width = size * RESOLUTION
    xs = np.linspace(LEFT, LEFT + width, 600)
    t = (xs - LEFT) / width
    bottom = TOP - width
    coast = bottom + width * (0.12 + 0.08 * np.sin(2 * np.pi * 1.3 * t + 0.4)
                              + 0.03 * np.sin(2 * np.pi * 7.1 * t))
    ring = [(LEFT, TOP), *zip(xs, coast, strict=True), (LEFT + width, TOP)]
    return Polygon(ring)


def _polygons(size: int, count: int, seed: int):
    """A jittered Voronoi tiling of the land, ``count`` polygons (before clipping)."""
    import geopandas as gpd
    import shapely
    from shapely.geometry import MultiPoint, box

    rng = np.random.default_rng(seed)
    width = size * RESOLUTION
    side = int(np.ceil(np.sqrt(count)))
    step = width / side
    lattice = [((i + 0.5) * step, (j + 0.5) * step) for i in range(side) for j in range(side)]
    keep = np.sort(rng.choice(len(lattice), size=count, replace=False))
    points = np.array(lattice)[keep] + rng.uniform(-0.35, 0.35, (count, 2)) * step
    points[:, 0] += LEFT
    points[:, 1] = TOP - points[:, 1]
    frame_box = box(LEFT, TOP - width, LEFT + width, TOP)
    cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=frame_box)
    land = _outline(size)
    parts = [shapely.set_precision(c.intersection(land), 0.01) for c in cells.geoms]
    parts = [p for p in parts if not p.is_empty and p.area > 0]
    frame = gpd.GeoDataFrame({"id": [f"{i:03d}" for i in range(len(parts))]},
                             geometry=parts, crs=CRS)
    return frame, land


def generate(workdir: Path, size: int, crops: int, polygons: int) -> dict:
    """Write the class rasters and the polygons (unless already there); return the manifest."""
    import rasterio
    import rasterio.features
    from affine import Affine

    manifest = workdir / "manifest.json"
    want = {"version": GENERATOR_VERSION, "size": size, "crops": crops, "polygons": polygons}
    if manifest.exists() and json.loads(manifest.read_text())["params"] == want:
        return json.loads(manifest.read_text())
    workdir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    frame, land = _polygons(size, polygons, seed=11)
    frame.to_file(workdir / "polygons.gpkg", driver="GPKG")
    transform = Affine(RESOLUTION, 0, LEFT, 0, -RESOLUTION, TOP)
    profile = {"driver": "GTiff", "width": size, "height": size, "count": 1, "dtype": "uint8",
               "crs": CRS, "transform": transform, "nodata": 0, "tiled": True,
               "blockxsize": BLOCK, "blockysize": BLOCK, "compress": "deflate", "predictor": 2}
    paths = {f"crop{i:02d}": workdir / f"crop{i:02d}_class.tif" for i in range(crops)}
    sinks = {name: rasterio.open(path, "w", **profile) for name, path in paths.items()}
    x = np.arange(size, dtype=np.float32)[None, :]
    rng = np.random.default_rng(5)
    try:
        for r0 in range(0, size, STRIP_ROWS):
            y = np.arange(r0, min(r0 + STRIP_ROWS, size), dtype=np.float32)[:, None]
            strip = transform * Affine.translation(0, r0)
            inside = rasterio.features.rasterize([(land, 1)], out_shape=(len(y), size),
                                                 transform=strip, dtype="uint8") == 1
            forest = _wave(y, x, 1000) > 0.55
            for i, sink in enumerate(sinks.values()):
                # Cell-to-cell noise (as slope gives real class maps) ragged class edges.
                level = _wave(y, x, i) + rng.standard_normal((len(y), size), np.float32) * 0.05
                codes = np.digitize(level, [-0.25, 0.0, 0.25]).astype(np.uint8) + 1
                codes[_wave(y, x, 2000 + i) > 0.8] = 6
                codes[forest] = 5
                codes[~inside] = 0
                sink.write(codes, 1, window=((r0, r0 + len(y)), (0, size)))
    finally:
        for sink in sinks.values():
            sink.close()
    info = {"params": want, "paths": {k: str(v) for k, v in paths.items()},
            "polygons": str(workdir / "polygons.gpkg"),
            "seconds": time.perf_counter() - t0,
            "bytes": sum(p.stat().st_size for p in paths.values())}
    manifest.write_text(json.dumps(info))
    return info


# -- the measured runs (each in a child process) ------------------------------------------------

def _rss_mb() -> float:
    """This process's peak resident size (VmHWM: unlike ru_maxrss, not inherited on exec)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_aez(info: dict, out: Path, *, executor: str, tile: int, workers: int) -> dict:
    import geopandas as gpd

    from aez.harmonize import StudyArea
    from aez.pipeline import zonal_class_areas
    from aez.zonal import class_histograms

    start = _rss_mb()
    t0 = time.perf_counter()
    class_histograms(np.zeros((2, 2), np.int32), [np.zeros((2, 2), np.uint8)], n_zones=1)
    jit = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    frame = gpd.read_file(info["polygons"])
    area = StudyArea.from_frame(frame, grid_crs=CRS, id_column="id")
    result = zonal_class_areas(info["paths"], area, tile_size=tile, executor=executor,
                               workers=workers)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    np.save(out, np.stack([r.area_cm2 for r in result.values()]) / 1e4)  # m²
    return {"wall": wall, "cpu": cpu, "jit": jit, "start_mb": start, "peak_mb": _rss_mb()}


def child_exactextract(info: dict, out: Path) -> dict:
    import geopandas as gpd
    from exactextract import exact_extract

    start = _rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    frame = gpd.read_file(info["polygons"])
    areas = np.zeros((len(info["paths"]), len(frame), N_CLASSES))
    for k, path in enumerate(info["paths"].values()):
        table = exact_extract(path, frame, OPS, include_cols=["id"], output="pandas")
        for d, row in enumerate(table.itertuples()):
            for code, frac in zip(row.unique, row.frac, strict=True):
                areas[k, d, int(code)] = frac * row.area
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    np.save(out, areas)
    return {"wall": wall, "cpu": cpu, "jit": 0.0, "start_mb": start, "peak_mb": _rss_mb()}


def run_child(name: str, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, "--child", name, "--workdir", str(args.workdir),
           "--tile", str(args.tile), "--workers", str(args.workers)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _warm(info: dict) -> None:
    """Read every file once, so no run pays for a cold page cache."""
    for path in [*info["paths"].values(), info["polygons"]]:
        with open(path, "rb") as fh:
            while fh.read(1 << 24):
                pass


def compare(workdir: Path, a: str, b: str) -> tuple[float, float, float, int]:
    """Largest class-area and total differences between two runs, over polygons > 10 km²."""
    import geopandas as gpd

    ours, theirs = np.load(workdir / f"{a}.npy"), np.load(workdir / f"{b}.npy")
    polygon = gpd.read_file(workdir / "polygons.gpkg").geometry.area.to_numpy()
    big = polygon > MIN_AREA
    per_class = np.abs(ours - theirs)[:, big] / polygon[None, big, None]
    total = np.abs(ours.sum(axis=2) - theirs.sum(axis=2))[:, big] / polygon[None, big]
    # Classes holding at least 5 % of a polygon, relative to the class's own area.
    held = theirs[:, big] > 0.05 * polygon[None, big, None]
    rel = np.abs(ours - theirs)[:, big][held] / theirs[:, big][held]
    return float(per_class.max()), float(total.max()), float(rel.max()), int(big.sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=5900, help="grid side in cells (35 Mpix)")
    parser.add_argument("--crops", type=int, default=20)
    parser.add_argument("--polygons", type=int, default=200)
    parser.add_argument("--tile", type=int, default=1024, help="aez tile side in cells")
    parser.add_argument("--workers", type=int, default=2, help="threads for aez")
    parser.add_argument("--small", action="store_true",
                        help="a quick check: 1500² cells, 4 crops, 50 polygons")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the data is cached (default $TMPDIR/aez-zonal-bench)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.small:
        args.size, args.crops, args.polygons = 1500, 4, 50
    if args.workdir is None:
        tag = f"{args.size}-{args.crops}-{args.polygons}"
        args.workdir = Path(tempfile.gettempdir()) / "aez-zonal-bench" / tag
    if args.child:
        info = json.loads((args.workdir / "manifest.json").read_text())
        out = args.workdir / f"{args.child}.npy"
        if args.child == "exactextract":
            result = child_exactextract(info, out)
        else:
            result = child_aez(info, out, executor=args.child.split("-")[1], tile=args.tile,
                               workers=args.workers)
        print(json.dumps(result))
        return

    import exactextract
    import numba
    import rasterio

    print(f"aez zonal benchmark: {os.cpu_count()} cores, numpy {np.__version__}, numba "
          f"{numba.__version__}, rasterio {rasterio.__version__} (GDAL "
          f"{rasterio.__gdal_version__}), exactextract {exactextract.__version__}, Python "
          f"{platform.python_version()}, load {os.getloadavg()[0]:.2f}")
    info = generate(args.workdir, args.size, args.crops, args.polygons)
    n = args.size ** 2
    print(f"data: {args.crops} class rasters of {args.size} × {args.size} = {n / 1e6:.1f} Mpix "
          f"(20 m), {info['bytes'] / 2**20:.1f} MB on disk, {args.polygons} Voronoi polygons; "
          f"generated in {info['seconds']:.0f} s (cached in {args.workdir})")
    _warm(info)
    runs = {}
    for name in ("aez-threads", "aez-serial", "exactextract"):
        runs[name] = run_child(name, args)
    print(f"\n{'configuration':34s} {'wall s':>7s} {'CPU s':>6s} {'Mpix·crop/s':>12s} "
          f"{'RSS after imports MB':>21s} {'peak RSS MB':>12s}")
    labels = {"aez-threads": f"aez, threads ({args.workers}), tile {args.tile}",
              "aez-serial": f"aez, serial, tile {args.tile}",
              "exactextract": "exactextract, one call per crop"}
    for name, r in runs.items():
        if "error" in r:
            print(f"{labels[name]:34s} ERROR {r['error']}")
            continue
        print(f"{labels[name]:34s} {r['wall']:7.1f} {r['cpu']:6.1f} "
              f"{n * args.crops / r['wall'] / 1e6:12.1f} {r['start_mb']:21.0f} "
              f"{r['peak_mb']:12.0f}")
    if any("error" in r for r in runs.values()):
        return
    jit = runs["aez-threads"]["jit"]
    print(f"(aez's one-off numba cache load, not in its wall time: {jit:.1f} s)")
    ee = runs["exactextract"]
    for name in ("aez-threads", "aez-serial"):
        ratio = ee["wall"] / runs[name]["wall"]
        print(f"target {labels[name]} ≥ {SPEED_TARGET:.0f}× exactextract's speed (wall): "
              f"{'PASS' if ratio >= SPEED_TARGET else 'FAIL'} ({ratio:.1f}×; CPU time "
              f"{ee['cpu'] / runs[name]['cpu']:.1f}×)")
    same = np.array_equal(np.load(args.workdir / "aez-threads.npy"),
                          np.load(args.workdir / "aez-serial.npy"))
    print(f"aez threads vs serial: {'identical' if same else 'DIFFERENT'}")
    per_class, total, rel, count = compare(args.workdir, "aez-threads", "exactextract")
    print(f"aez vs exactextract over the {count} polygons > 10 km²: largest class-area "
          f"difference {per_class:.3%} of the polygon's area; largest total-area difference "
          f"{total:.3%}; largest difference of a class holding ≥ 5 % of its polygon "
          f"{rel:.2%} of that class's area")


if __name__ == "__main__":
    main()
