"""Benchmark: the suitability stage with N climate scenarios against the same stage without.

Runs :func:`aez.pipeline.evaluate_stack` as ``aez run`` does (constraints, the
travel-time zonal mean, COG rasters) on the large demo region (generated once
into ``--workdir``, as ``e2e_bench.py`` does) with ``--crops`` commodities,
serially in this process, alternating without / with ``--scenarios`` scenarios
(``sK``: +0.5·K °C, −5·K % rain) ``--repeats`` times. It prints wall and CPU
time of each run and the ratio of the fastest of each. The CPU time is the
process's own (``time.process_time``), so other work on a shared machine
disturbs it far less than the wall time.

Target: ≤ 1.6× with 3 scenarios. Always exits 0: a benchmark, not a test.

Usage::

    python benchmarks/scenario_bench.py [--workdir /tmp/aez-e2e] [--resolution 50]
                                        [--crops 20] [--scenarios 3] [--repeats 2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

from e2e_bench import region

TARGET_RATIO = 1.6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/aez-e2e"))
    parser.add_argument("--resolution", type=float, default=50.0)
    parser.add_argument("--crops", type=int, default=20)
    parser.add_argument("--scenarios", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--tile-size", type=int, default=512)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    config_path = region(args.workdir, args.resolution)

    from aez.config import load_config
    from aez.crops import load_crops
    from aez.evaluate.scenarios import Scenario
    from aez.harmonize import LayerStack
    from aez.pipeline import StageOptions, evaluate_stack

    warnings.simplefilter("ignore")
    config = load_config(config_path)
    stack = LayerStack.from_config(config)
    stack.prepare_global()
    crops = load_crops(config.evaluate.crops[:args.crops])
    scenarios = [Scenario(f"s{k}", temperature_delta=0.5 * k, rainfall_change=-0.05 * k)
                 for k in range(1, args.scenarios + 1)]
    means = ("travel_time",) if "travel_time" in stack.names else ()
    print(f"aez scenario benchmark: large demo at {args.resolution:g} m "
          f"({stack.grid.height} × {stack.grid.width} cells), {len(crops)} commodities, "
          f"serial, tiles of {args.tile_size}")
    times: dict[int, list[tuple[float, float]]] = {0: [], args.scenarios: []}
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        for _ in range(args.repeats):
            for n in times:
                wall, cpu = time.perf_counter(), time.process_time()
                evaluate_stack(stack, crops, Path(tmp) / f"n{n}",
                               constraints=list(config.constraints.values()),
                               zonal_means=means, scenarios=scenarios[:n],
                               options=StageOptions(tile_size=args.tile_size, overwrite=True,
                                                    cog=True))
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                times[n].append((wall, cpu))
                print(f"  {n} scenarios: wall {wall:.1f} s, CPU {cpu:.1f} s")
    base, scen = (min(c for _, c in times[n]) for n in times)
    base_wall, scen_wall = (min(w for w, _ in times[n]) for n in times)
    ratio = scen / base
    print(f"suitability stage, {args.scenarios} scenarios / none (fastest of {args.repeats}): "
          f"CPU {scen:.1f} s / {base:.1f} s = {ratio:.2f}×, wall {scen_wall:.1f} s / "
          f"{base_wall:.1f} s = {scen_wall / base_wall:.2f}× (target ≤ {TARGET_RATIO}×, on "
          f"CPU) → {'PASS' if ratio <= TARGET_RATIO else 'FAIL'}")


if __name__ == "__main__":
    main()
