"""``aez sources import`` on a kabupaten-sized area: CHIRPS/WorldClim year stacks and SoilGrids.

Writes provider-layout fixtures (:mod:`aez.sources.samples`) for a 60 × 45 km kabupaten
(Sikka-like, on Flores) — 10 years × 12 months of CHIRPS at 0.05° and of WorldClim monthly
weather at 30″, and SoilGrids 6 properties × 3 depths at 250 m — then times each import in a
fresh process with its peak RSS, against a peer in the same run: plain rasterio + numpy
reading every input file whole and computing the same sums (no clipping, no writing), so
the figures read as ratios on a noisy machine. ``--scale N`` multiplies the area's side by
N for SoilGrids, to show that memory follows the strips written (256 native rows), not the
area.

Targets: each import ≤ 10 s.

Usage::

    python benchmarks/sources_bench.py [--workdir DIR] [--scale 4]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 10.0
#: A 60 × 45 km kabupaten on Flores (lon/lat degrees).
AREA = (122.0, -8.8, 122.545, -8.393)

CHILD = """
import json, resource, time, sys
start = time.perf_counter()
{code}
elapsed = time.perf_counter() - start
print(json.dumps({{"seconds": elapsed,
                   "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

IMPORT = """
from aez.harmonize.source_import import import_source
result = import_source({source!r}, [{inputs!r}], {out!r}, bounds={bounds!r}, crs="EPSG:4326",
                       overwrite=True)
"""

PEER = """
import glob, numpy as np, rasterio
total = None
for path in sorted(glob.glob({pattern!r})):
    with rasterio.open(path) as src:
        a = src.read(1).astype("float64")
    total = a if total is None else total + a
"""


def measure(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD.format(code=code)], capture_output=True,
                         text=True, check=False)
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--scale", type=int, default=4,
                        help="SoilGrids: also import an area this many times wider and taller")
    args = parser.parse_args()
    from aez.sources.samples import write_chirps, write_soilgrids, write_worldclim

    work = args.workdir or Path(tempfile.mkdtemp(prefix="aez-sources-bench-"))
    left, bottom, right, top = AREA
    big = (left, top - (top - bottom) * args.scale, left + (right - left) * args.scale, top)
    started = time.perf_counter()
    write_chirps(work / "chirps", AREA, years=(2010, 2019))
    write_worldclim(work / "worldclim", AREA, res="30s", years=(2010, 2019))
    props = ("phh2o", "soc", "cec", "cfvo", "sand", "silt", "clay")[:7]
    write_soilgrids(work / "soilgrids", AREA, properties=props)
    write_soilgrids(work / "soilgrids-big", big, properties=props)
    print(f"fixtures written in {time.perf_counter() - started:.1f} s under {work}")
    rows = []
    cases = [
        ("chirps", "chirps", AREA, "chirps/*.tif", "12 × 10 years, 0.05°"),
        ("worldclim", "worldclim", AREA, "worldclim/*_prec_*.tif", "12 × 10 years, 30″"),
        ("soilgrids", "soilgrids", AREA, "soilgrids/*.tif", "7 properties × 3 depths, 250 m"),
        ("soilgrids", "soilgrids-big", big, "soilgrids-big/*.tif",
         f"the same, {args.scale}² × the area"),
    ]
    for source, folder, bounds, pattern, what in cases:
        ours = measure(IMPORT.format(source=source, inputs=str(work / folder),
                                     out=str(work / f"out-{folder}"), bounds=bounds))
        peer = measure(PEER.format(pattern=str(work / pattern)))
        rows.append((f"{source} ({what})", ours, peer))
    print(f"\n{'import':<48} {'aez s':>7} {'peer s':>7} {'ratio':>6} {'aez MB':>7} "
          f"{'peer MB':>8}  target")
    for name, ours, peer in rows:
        ok = "ok" if ours["seconds"] <= TARGET_SECONDS else "MISSED"
        print(f"{name:<48} {ours['seconds']:7.2f} {peer['seconds']:7.2f} "
              f"{ours['seconds'] / max(peer['seconds'], 1e-9):6.1f} {ours['rss_mb']:7.0f} "
              f"{peer['rss_mb']:8.0f}  ≤ {TARGET_SECONDS:g} s {ok}")
    print("\npeer: rasterio + numpy reading every input whole (no conversion, clip or write).")


if __name__ == "__main__":
    main()
