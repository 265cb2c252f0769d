"""Benchmark: the ``layers`` stage of ``aez run`` (checks, value pass, global layers), re-read.

Runs, in a fresh Python process per measurement, what ``aez run`` does before
the suitability stage: :func:`aez.pipeline.checks.check_run` (the study area,
every layer's file and coverage, the crop tables, the value pass over every
tile, the ``[tables]``) and ``prepare_global`` (distance, travel time), on the
config's executor, and prints its wall time (``layers``) and the process's CPU
time, all threads (``layers_cpu``). Then it reads every layer of every tile
once more, serially, as the suitability stage does (``reread``), where vector
layers come from the rasterization the first pass made.

With ``--baseline DIR`` (another checkout of aez, with its own ``.venv``) it
runs the same in that checkout too, alternating the two ``--repeats`` times
and keeping each one's fastest run, because the machine's load varies; it
prints the times and the ratio baseline / this checkout.

Usage::

    python benchmarks/layers_bench.py CONFIG [--baseline /path/to/other/checkout]
                                             [--repeats 2] [--executor threads]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, sys, time
from dataclasses import replace
from aez.config import load_config
from aez.executor import gdal_cache
from aez.pipeline.checks import check_run
cfg = load_config(sys.argv[1])
if sys.argv[2]:
    cfg = replace(cfg, run=replace(cfg.run, executor=sys.argv[2]))
times = {}
with gdal_cache(cfg.run.gdal_cache_mb):
    start, cpu = time.perf_counter(), time.process_time()
    checked = check_run(cfg)
    times["check_run"] = time.perf_counter() - start
    mark = time.perf_counter()
    checked.stack.prepare_global()
    times["prepare_global"] = time.perf_counter() - mark
    times["layers"] = time.perf_counter() - start
    times["layers_cpu"] = time.process_time() - cpu
    mark = time.perf_counter()
    for tile in checked.stack.grid.tiles(cfg.run.tile_size):
        checked.stack.read(tile)
    times["reread"] = time.perf_counter() - mark
with open("/proc/self/status") as status:
    times["rss_mb"] = next(int(l.split()[1]) for l in status if l.startswith("VmHWM")) / 1024
print(json.dumps(times))
"""


def measure(checkout: Path, config: Path, executor: str) -> dict[str, float]:
    """Run the layers stage of ``config`` with the code and venv of ``checkout``."""
    python = checkout / ".venv" / "bin" / "python"
    out = subprocess.run([str(python), "-W", "ignore", "-c", CHILD, str(config), executor],
                         cwd=checkout, capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    """Measure this checkout (and a baseline), print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path)
    parser.add_argument("--baseline", type=Path, default=None,
                        help="another aez checkout (with .venv) to compare against")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--executor", default="", help="override [run] executor")
    args = parser.parse_args()
    here = Path(__file__).resolve().parent.parent
    checkouts = {"this": here}
    if args.baseline is not None:
        checkouts = {"baseline": args.baseline.resolve(), **checkouts}
    best: dict[str, dict[str, float]] = {}
    for repeat in range(args.repeats):
        for label, checkout in checkouts.items():
            times = measure(checkout, args.config.resolve(), args.executor)
            print(f"run {repeat + 1} {label:8s} " + "  ".join(
                f"{k} {v:.1f}" for k, v in times.items()), flush=True)
            if label not in best or times["layers"] < best[label]["layers"]:
                best[label] = times
    print("\nfastest of each (s; rss in MB):")
    for label, times in best.items():
        print(f"  {label:8s} " + "  ".join(f"{k} {v:.1f}" for k, v in times.items()))
    if "baseline" in best:
        for key in ("layers", "layers_cpu", "reread"):
            ratio = best["baseline"][key] / best["this"][key]
            print(f"  {key}: baseline / this = {ratio:.2f}")


if __name__ == "__main__":
    sys.exit(main())
