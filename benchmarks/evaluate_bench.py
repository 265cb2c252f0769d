"""Benchmark: land evaluation, 15 characteristics × 20 crops, fused kernel vs. mask loops.

Builds an in-memory stack of 15 land characteristics (``--size`` × ``--size`` cells,
default 4472² ≈ 20 Mpix: smooth synthetic fields with sea holes, float32 and int32 class
codes as a :class:`~aez.harmonize.LayerStack` hands them out) and 20 crops: the shipped
tables and variants of them with shifted thresholds, all rated on those 15. Then, on one
core:

* ``kernel``: :func:`aez.evaluate.kernel.match_crops`, all crops in one pass;
* ``kernel, crop by crop``: :func:`aez.evaluate.match` once per crop (a subset of cells);
* ``numpy reference``: :func:`aez.evaluate.matching.match_reference` (a subset), also
  checked byte for byte against the kernel;
* ``mask loop``: a PyAEZ-style baseline written here: per crop, characteristic and class
  band, a full-grid boolean mask ``(x >= lo) & (x < hi)`` and ``np.where`` assignments of
  the class and its rating, then the worst class and lowest rating. It computes no
  piecewise-linear index, subclass or potential class, so the ratio is conservative.

Rates are Mpix·crop per CPU second of the process (``time.process_time``), so other load
on the machine inflates them less than wall time would; the kernel's is the fastest of
``--repeat`` passes over the stack, 512 rows at a time. Finally it runs the kernel through
:func:`aez.executor.run_tiles` (threads, 2 workers, tiles of 512) for 1, 5 and 20 crops,
each in a fresh subprocess, and prints how much resident memory the tiles add on top of
the stack (the highest RSS sampled while they run) and ``ru_maxrss``.

Targets: ≥ 50 Mpix·crop/s per core; ≥ 10× the mask loop; through the executor, memory that
does not grow with the number of crops beyond their outputs for the tiles in flight. Prints
PASS/FAIL and always exits 0: a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tomllib
import warnings

import numba
import numpy as np

from aez.characteristics import CHARACTERISTICS
from aez.crops import CLASS_NAMES, crop_ids, load_crop, parse_crop
from aez.errors import AEZWarning, ConfigError
from aez.evaluate.kernel import match_crops
from aez.evaluate.matching import Observed, compile_crop, match, match_reference
from aez.executor import TileResult, run_tiles
from aez.grid import Grid

CHARS = ["temperature", "drainage", "texture", "coarse_fragments", "soil_depth", "cec_clay",
         "base_saturation", "ph_h2o", "c_organic", "salinity", "sulfidic_depth", "slope",
         "erosion", "surface_stones", "rock_outcrop"]
#: Range of each synthetic field (values below the domain's 0 are clipped to 0).
RANGES = {"temperature": (16, 34), "coarse_fragments": (-20, 60), "soil_depth": (10, 150),
          "cec_clay": (4, 40), "base_saturation": (10, 80), "ph_h2o": (3.8, 8.5),
          "c_organic": (0.2, 3.0), "salinity": (-3, 8), "sulfidic_depth": (20, 200),
          "slope": (-10, 45), "surface_stones": (-20, 45), "rock_outcrop": (-20, 35)}
TARGET_RATE, TARGET_RATIO = 50.0, 10.0


def crops(count: int) -> list:
    """The shipped tables, then variants with interior band edges shifted by up to ±8 %."""
    shipped = [load_crop(c) for c in crop_ids()]
    out = list(shipped[:count])
    rng = np.random.default_rng(7)
    while len(out) < count:
        base = shipped[len(out) % len(shipped)]
        with base.path.open("rb") as fh:
            doc = tomllib.load(fh)
        doc["id"] = f"{base.id}_{len(out)}"
        doc["characteristics"] = {c: doc["characteristics"][c] for c in CHARS}
        for char, rule in doc["characteristics"].items():
            factor = 1 + rng.uniform(-0.08, 0.08)
            shifted = {k: _shift(v, factor) for k, v in rule.items() if k in CLASS_NAMES}
            try:
                parse_crop({**doc, "characteristics": {char: {**rule, **shifted}}})
                rule.update(shifted)
            except ConfigError:  # a shift past the domain's end: keep these edges
                pass
        out.append(parse_crop(doc))
    return out


def _shift(bands, factor: float):
    if bands and isinstance(bands[0], str):
        return bands
    if bands and not isinstance(bands[0], list):
        return _shift([bands], factor)[0]
    keep = {0.0, 100.0, 14.0, 12.0, float("inf"), float("-inf")}
    return [[v if float(v) in keep else round(float(v) * factor, 3) for v in b] for b in bands]


def _wave(y: np.ndarray, x: np.ndarray, seed: int) -> np.ndarray:
    """A smooth field in about [-1, 1]: sinusoids of 60 km down to 1.5 km at 20 m cells."""
    rng = np.random.default_rng(seed)
    z = np.zeros(np.broadcast_shapes(y.shape, x.shape), np.float32)
    for wavelength, amp in ((60_000, 0.5), (21_000, 0.3), (7_000, 0.15), (1_500, 0.05)):
        a = rng.uniform(0, np.pi)
        k = 2 * np.pi / wavelength * 20.0
        z += np.float32(amp) * np.sin(np.float32(k * np.cos(a)) * x + np.float32(k * np.sin(a))
                                      * y + np.float32(rng.uniform(0, 2 * np.pi)))
    return z


#: Characteristics that vary cell by cell; the others are soil-map attributes.
GRIDDED = ("temperature", "slope")
#: Soil-map units are blocks of about this many rows and columns (1 × 1.6 km at 20 m).
UNIT = (50, 80)


def stack(size: int, *, soil_map: bool = True) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The 15 characteristics on a size × size grid, and ``valid`` (land, not sea).

    Temperature is smooth and slope rough, cell by cell. With ``soil_map``, the other 13
    are constant over soil-map units, as the attributes of a soil survey's polygons (SPT)
    are; without it they are smooth fields too, so that nearly every cell differs.
    """
    arrays = {c: np.empty((size, size), np.int32 if CHARACTERISTICS[c].classes else np.float32)
              for c in CHARS}
    valid = np.empty((size, size), bool)
    x = np.arange(size, dtype=np.float32)[None, :]
    rng = np.random.default_rng(3)
    shift = rng.integers(0, UNIT[1], size // UNIT[0] + 1)  # units of one row band are offset
    for r0 in range(0, size, 512):
        y = np.arange(r0, min(r0 + 512, size), dtype=np.float32)[:, None]
        # Soil-map units: the field's value at each unit's centre.
        band = (y[:, 0].astype(int) // UNIT[0])
        unit_col = (x[0].astype(int)[None, :] + shift[band][:, None]) // UNIT[1]
        cy = (band * UNIT[0] + UNIT[0] / 2).astype(np.float32)[:, None]
        cx = (unit_col * UNIT[1] - shift[band][:, None] + UNIT[1] / 2).astype(np.float32)
        sea = _wave(y, x, 99) > 0.8
        valid[r0:r0 + len(y)] = ~sea
        for i, char in enumerate(CHARS):
            field = _wave(y, x, i) if char in GRIDDED or not soil_map else _wave(cy, cx, i)
            if char == "slope":  # rough terrain: cell-to-cell noise on a smooth trend
                field = field + rng.normal(0, 0.15, field.shape).astype(np.float32)
            z = np.clip((field + 1) / 2, 0, 1)
            labels = CHARACTERISTICS[char].classes
            if labels:
                codes = np.minimum((z * len(labels)).astype(np.int32), len(labels) - 1)
                arrays[char][r0:r0 + len(y)] = np.where(sea, -1, codes)
            else:
                lo, hi = RANGES[char]
                values = np.maximum(lo + z * (hi - lo), 0)
                arrays[char][r0:r0 + len(y)] = np.where(sea, np.nan, values)
    return arrays, valid


def observed(arrays: dict[str, np.ndarray], rows: slice = slice(None)) -> dict[str, Observed]:
    out = {}
    for char, a in arrays.items():
        labels = CHARACTERISTICS[char].classes
        out[char] = Observed(a[rows], dict(enumerate(labels)) if labels else None,
                             None if labels else CHARACTERISTICS[char].units, char)
    return out


#: The rating each class gets in the mask loop (the middle of its index range).
RATING = {1: 0.875, 2: 0.625, 3: 0.375, 4: 0.125}


def mask_loop(crop, inputs: dict[str, Observed]) -> tuple[np.ndarray, np.ndarray]:
    """PyAEZ style: per factor and class, a full-grid boolean mask and ``np.where``.

    Each characteristic gets a class and that class's rating (a reduction factor); the land
    takes the worst class and the lowest rating. No piecewise-linear index, subclass,
    potential class or missing-data rule: less work than the kernel does.
    """
    worst = lowest = None
    for char, rule in crop.rules.items():
        if char not in inputs:
            continue
        x = inputs[char].values
        cls = np.zeros(x.shape, np.uint8)
        rating = np.ones(x.shape, np.float32)
        if rule.categorical:
            bands = [(x == code, rule.classes[label])
                     for code, label in inputs[char].legend.items()]
        else:
            lows, highs = [-np.inf, *rule.edges], [*rule.edges, np.inf]
            bands = [((x >= lo) & (x < hi), c)
                     for lo, hi, c in zip(lows, highs, rule.classes, strict=True)]
        for mask, c in bands:
            cls = np.where(mask, np.uint8(c), cls)
            rating = np.where(mask, np.float32(RATING[c]), rating)
        worst = cls if worst is None else np.maximum(worst, cls)
        lowest = rating if lowest is None else np.minimum(lowest, rating)
    return worst, lowest


def timed(fn) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def child_executor(size: int, n_crops: int, tile: int, workers: int, fields: str) -> None:
    """Run the kernel tile by tile on threads; print wall time and memory as JSON.

    ``ru_maxrss`` is a high-water mark that building the stack may set, so the memory the
    tiles need is measured as the highest resident size sampled (every 2 ms) while they
    run, above the resident size just before.
    """
    import threading

    import psutil

    arrays, valid = stack(size, soil_map=fields == "soil-map")
    grid = Grid.from_bounds((0, 0, 20 * size, 20 * size), resolution=20, crs="EPSG:32750")
    inputs = observed(arrays)
    compiled = [compile_crop(c, inputs) for c in crops(n_crops)]

    def evaluate_tile(t):
        rows, cols = t.core
        window = {c: Observed(o.values[rows, cols], o.legend, o.units, o.name)
                  for c, o in inputs.items()}
        results = match_crops(compiled, window, valid=valid[rows, cols])
        return TileResult(totals={r.crop: np.bincount(r.actual.ravel(), minlength=7)
                                  for r in results})

    match_crops(compiled, {c: Observed(o.values[:1, :64], o.legend, o.units) for c, o in
                           inputs.items()})  # compile outside the timing
    process = psutil.Process()
    before = process.memory_info().rss
    highest = [before]
    running = threading.Event()
    running.set()

    def sample() -> None:
        while running.is_set():
            highest[0] = max(highest[0], process.memory_info().rss)
            time.sleep(0.002)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    run_tiles(evaluate_tile, grid.tiles(tile), executor="threads", workers=workers)
    wall = time.perf_counter() - t0
    running.clear()
    sampler.join()
    print(json.dumps({"wall": wall, "before_mb": before / 2**20,
                      "tiles_mb": (highest[0] - before) / 2**20,
                      "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=4472, help="grid side in cells (4472: 20 Mpix)")
    parser.add_argument("--crops", type=int, default=20)
    parser.add_argument("--subset", type=float, default=1.0,
                        help="Mpix for the slow runs (reference, mask loop, crop by crop)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="passes of the kernel over the stack; the fastest counts")
    parser.add_argument("--tile", type=int, default=512)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--fields", choices=("soil-map", "smooth"), default="soil-map",
                        help="soil-map: 13 characteristics constant over soil-map units; "
                        "smooth: all 15 vary from cell to cell")
    parser.add_argument("--skip-executor", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    warnings.simplefilter("ignore", AEZWarning)
    if args.child:
        child_executor(args.size, args.child, args.tile, args.workers, args.fields)
        return
    print(f"aez evaluate benchmark: {os.cpu_count()} cores, numpy {np.__version__}, numba "
          f"{numba.__version__}, Python {platform.python_version()}, load "
          f"{os.getloadavg()[0]:.2f}")
    t0 = time.perf_counter()
    arrays, valid = stack(args.size, soil_map=args.fields == "soil-map")
    inputs = observed(arrays)
    table = crops(args.crops)
    compiled = [compile_crop(c, inputs) for c in table]
    n = args.size ** 2
    print(f"stack: {args.size} × {args.size} = {n / 1e6:.1f} Mpix, {len(CHARS)} characteristics "
          f"({args.fields}), {len(table)} crops, {valid.mean():.0%} land; built in "
          f"{time.perf_counter() - t0:.0f} s")
    sub_rows = slice(0, max(1, min(args.size, int(args.subset * 1e6) // args.size)))
    sub = observed(arrays, sub_rows)
    n_sub = (sub_rows.stop - sub_rows.start) * args.size
    sub_valid = valid[sub_rows]
    match_crops(compiled, sub)  # compile (or load the cache) outside the timing
    band = 512
    kernel = min(sum(timed(lambda r=r: match_crops(
        compiled, observed(arrays, slice(r, r + band)), valid=valid[r:r + band]))
        for r in range(0, args.size, band)) for _ in range(args.repeat))
    rates = {"kernel (all crops in one pass)": n * len(compiled) / kernel / 1e6}
    rates["kernel, crop by crop (match)"] = n_sub * len(compiled) / sum(
        timed(lambda cc=cc: match(cc, sub, valid=sub_valid)) for cc in compiled) / 1e6
    reference, fused = [], match_crops(compiled, sub, valid=sub_valid)
    rates["numpy reference"] = n_sub * len(compiled) / sum(
        timed(lambda cc=cc: reference.append(match_reference(cc, sub, valid=sub_valid)))
        for cc in compiled) / 1e6
    rates["PyAEZ-style mask loop"] = n_sub * len(table) / sum(
        timed(lambda c=c: mask_loop(c, sub)) for c in table) / 1e6
    same = all(getattr(a, f).tobytes() == getattr(b, f).tobytes() for a, b in
               zip(fused, reference, strict=True) for f in ("actual", "potential", "subclass",
                                                             "index"))
    print(f"\n{'configuration':38s} {'Mpix·crop/s per core':>21s} {'kernel is':>10s}")
    best = rates["kernel (all crops in one pass)"]
    for name, rate in rates.items():
        print(f"{name:38s} {rate:21.1f} {best / rate:9.1f}×")
    print(f"kernel vs numpy reference on {n_sub / 1e6:.2f} Mpix: "
          f"{'byte-identical' if same else 'DIFFERENT'}")
    baseline = rates["PyAEZ-style mask loop"]
    print(f"target ≥ {TARGET_RATE:.0f} Mpix·crop/s per core: "
          f"{'PASS' if best >= TARGET_RATE else 'FAIL'} ({best:.1f})")
    print(f"target ≥ {TARGET_RATIO:.0f}× the mask loop: "
          f"{'PASS' if best / baseline >= TARGET_RATIO else 'FAIL'} ({best / baseline:.1f}×)")
    if args.skip_executor:
        return
    print(f"\nexecutor: threads, {args.workers} workers, tiles of {args.tile}, fresh process each")
    print(f"{'crops':>5s} {'wall s':>7s} {'Mpix·crop/s':>12s} {'RSS before MB':>14s} "
          f"{'tiles need MB':>14s} {'ru_maxrss MB':>13s}")
    needs = []
    for count in (1, 5, 20):
        cmd = [sys.executable, __file__, "--child", str(count), "--size", str(args.size),
               "--tile", str(args.tile), "--workers", str(args.workers), "--fields", args.fields]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode:
            print(f"{count:5d} ERROR {done.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        needs.append(r["tiles_mb"])
        print(f"{count:5d} {r['wall']:7.1f} {n * count / r['wall'] / 1e6:12.1f} "
              f"{r['before_mb']:14.0f} {r['tiles_mb']:14.0f} {r['maxrss_mb']:13.0f}")
    if len(needs) == 3:
        # Each crop's outputs (8 bytes a cell) exist for the tiles in flight (workers + 1)
        # only; whole-grid outputs would grow with the region instead.
        in_flight = 19 * (args.workers + 1) * args.tile ** 2 * 8 / 2**20
        whole = 19 * n * 8 / 2**20
        flat = needs[2] - needs[0] <= 1.5 * in_flight
        print(f"target memory flat in the number of crops (no more than the tiles in flight "
              f"need): {'PASS' if flat else 'FAIL'} (+{needs[2] - needs[0]:.0f} MB from 1 to 20 "
              f"crops; 19 crops' outputs of {args.workers + 1} tiles: {in_flight:.0f} MB; of the "
              f"whole grid: {whole:.0f} MB)")


if __name__ == "__main__":
    main()
