"""Benchmark: a province in one ``aez run``: time per stage, peak RSS, each kabupaten's solve.

Generates (once, cached in ``--workdir``) a demo region inside Jawa Tengah's
576 real kecamatan (35 kabupaten/kota; ``kec_jawa_tengah_33.geojson`` of the
shared data folder, found beside the project or through ``AEZ_SHARED_DATA``)
with ``aez demo --boundary`` at ``--resolution`` m (default 100 m, 9.5 Mpix),
timing the generation and its peak RSS. Then it runs the whole pipeline in a
fresh process (``threads`` executor) on ``--crops`` commodities (default 30),
``--draws`` robustness draws (default 50), the demo's contiguity bonus
(``--contiguity``, default 0.02) and ``[output] maps = --maps`` (default
``summary``), and prints:

- the wall time of every stage and the total, and the run's peak RSS (``VmHWM``);
- every kabupaten's solve: kecamatan, kecamatan without a product, neighbour
  pairs, HiGHS status and gap (``Decision.solves``);
- whether each kecamatan has a product or an explicit none with its reason;
- the coverage check's time against the way with polygon unions, on the same layers.

With ``--baseline`` it runs the same region a second time without the
contiguity bonus, in the same session, and prints the ratio of each stage.

``--max-share`` overrides the demo config's ``[assign] max_share`` (0.25).
``--small`` keeps the first ``--kabupaten`` kabupaten (default 3) at 250 m, so
the whole benchmark runs in a few minutes on a shared 2-core machine.

Targets for the full province on a 2-core machine: whole run ≤ 300 s, decision
≤ 60 s, peak RSS ≤ 1.5 GB, every kecamatan a product or a reason. Prints PASS
or FAIL against each and always exits 0: a benchmark, not a test.

Usage::

    python benchmarks/province_bench.py [--small] [--resolution 100] [--crops 30]
        [--draws 50] [--contiguity 0.02] [--maps summary] [--baseline]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

TARGET_RUN_S = 300.0
TARGET_DECISION_S = 60.0
TARGET_RSS_MB = 1536.0
BOUNDARY = "boundaries/kec_jawa_tengah_33.geojson"

CHILD = r"""
import json, sys, time
from aez.pipeline import run
start = time.perf_counter()
result = run(sys.argv[1], executor="threads", overwrite=True)
wall = time.perf_counter() - start
with open("/proc/self/status") as status:
    hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
table = result.districts
has_product = table["product"].notna() & (table["product"].astype(str) != "")
reason = table["reason"] if "reason" in table.columns else None
explained = has_product | (reason.notna() & (reason.astype(str) != "") if reason is not None
                           else False)
solves = result.decision.solves.reset_index()
print(json.dumps({"timings": result.timings, "wall": wall, "rss_mb": hwm / 1024,
                  "files": len(result.files), "kecamatan": int(len(table)),
                  "with_product": int(has_product.sum()), "explained": int(explained.sum()),
                  "solves": json.loads(solves.to_json(orient="records"))}))
"""


def shared_data() -> Path:
    """The shared data folder: ``AEZ_SHARED_DATA``, or ``../shared/data`` beside the project."""
    env = os.environ.get("AEZ_SHARED_DATA")
    folder = Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "data"
    if not (folder / BOUNDARY).exists():
        sys.exit(f"{folder / BOUNDARY} not found; set AEZ_SHARED_DATA to the shared data folder.")
    return folder


def boundary(workdir: Path, kabupaten: int | None) -> Path:
    """The Jawa Tengah kecamatan, or those of its first ``kabupaten`` kabupaten."""
    source = shared_data() / BOUNDARY
    if kabupaten is None:
        return source
    import geopandas as gpd

    frame = gpd.read_file(source)
    keep = sorted(frame["kode_kab"].unique())[:kabupaten]
    path = workdir / f"kec_jawa_tengah_{kabupaten}kab.geojson"
    if not path.exists():
        frame[frame["kode_kab"].isin(keep)].to_file(path, driver="GeoJSON")
    return path


def region(workdir: Path, polygons: Path, resolution: float) -> tuple[Path, dict]:
    """The demo region inside ``polygons`` (generated once), with its generation figures."""
    folder = workdir / f"{polygons.stem}-{resolution:g}m"
    config = folder / "config.toml"
    figures: dict = {}
    if not config.exists():
        aez = Path(sys.executable).with_name("aez")
        start = time.perf_counter()
        subprocess.run([str(aez), "demo", str(folder), "--boundary", str(polygons),
                        "--id-column", "kode_kemendagri", "--name-column", "nama",
                        "--resolution", str(resolution)], check=True,
                       env={**os.environ, "PYTHONWARNINGS": "ignore"})
        figures = {"wall": time.perf_counter() - start,
                   "rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
    return config, figures


def variant(config: Path, name: str, *, crops: int, draws: int, contiguity: float,
            maps: str, max_share: float | None = None) -> Path:
    """A copy of the region's config with the first ``crops`` commodities and the settings."""
    text = config.read_text(encoding="utf-8")
    listed = re.search(r"crops = \[([^\]]*)\]", text)
    if listed is None:
        sys.exit(f"{config} lists no crops")
    ids = re.findall(r'"([^"]+)"', listed.group(1))[:crops]
    text = text.replace(listed.group(0), "crops = [" + ", ".join(f'"{c}"' for c in ids) + "]")
    text = re.sub(r"draws = \d+", f"draws = {draws}", text)
    text = re.sub(r"contiguity_bonus = [0-9.]+", f"contiguity_bonus = {contiguity}", text)
    if max_share is not None:
        text = re.sub(r"max_share = [0-9.]+", f"max_share = {max_share}", text)
    text = text.replace('dir = "aez-out"', f'dir = "out-{name}"\nmaps = "{maps}"')
    path = config.with_name(f"config-{name}.toml")
    path.write_text(text, encoding="utf-8")
    return path


def measure(config: Path) -> dict:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run([sys.executable, "-c", CHILD, str(config)], capture_output=True,
                          text=True, env=env)
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        sys.exit(f"the run of {config.name} failed: {last}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def show(label: str, figures: dict) -> None:
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in figures["timings"].items())
    print(f"{label}: wall {figures['wall']:.1f} s (RSS peak {figures['rss_mb']:.0f} MB, "
          f"{figures['files']} files)\n  {stages}")


def show_solves(figures: dict) -> None:
    print(f"  {'kabupaten':<10} {'kec':>4} {'none':>5} {'pairs':>6}  status            gap")
    for row in figures["solves"]:
        print(f"  {row['region']:<10} {row['n_kecamatan']:>4} {row['n_none']:>5} "
              f"{row['neighbour_pairs']:>6}  {row['status']:<16} {row['gap']:.3g}")
    proven = sum(r["status"] in ("optimal", "no_product") for r in figures["solves"])
    print(f"  {proven} of {len(figures['solves'])} kabupaten proven optimal (or without any "
          "product)")


def verdict(name: str, value: float, target: float, unit: str) -> bool:
    ok = value <= target
    print(f"  {name}: {value:.1f} {unit} against ≤ {target:.0f} {unit} "
          f"({value / target:.2f}×) → {'PASS' if ok else 'FAIL'}")
    return ok


def coverage_check(config: Path) -> None:
    """Time the coverage check against the polygon-union way, on the same stack."""
    import geopandas as gpd
    import shapely

    from aez.config import load_config
    from aez.harmonize import LayerStack

    stack = LayerStack.from_config(load_config(config))
    start = time.perf_counter()
    new = stack.coverage()
    fast = time.perf_counter() - start
    start = time.perf_counter()
    area = shapely.union_all(list(stack.study_area.districts.geometry))  # the previous way
    old = {}
    for name, source in stack.sources.items():
        if getattr(source, "_polygonal", False) and source.spec.attribute is not None:
            footprint = gpd.GeoSeries(source._geometry).union_all()
        else:
            footprint = source.footprint()
        old[name] = None if footprint is None else footprint.intersection(area).area / area.area
    slow = time.perf_counter() - start
    worst = max(abs(new[n] - v) for n, v in old.items() if v is not None)
    print(f"coverage check of {len(old)} layers: {fast:.2f} s without a union, {slow:.2f} s "
          f"with the unions ({slow / fast:.1f}×); largest difference in a share {worst:.2e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/aez-province"))
    parser.add_argument("--resolution", type=float, default=None,
                        help="Cell size (m); default 100, or 250 with --small.")
    parser.add_argument("--small", action="store_true",
                        help="Only the first --kabupaten kabupaten (a run of minutes).")
    parser.add_argument("--kabupaten", type=int, default=3)
    parser.add_argument("--crops", type=int, default=30)
    parser.add_argument("--draws", type=int, default=50)
    parser.add_argument("--contiguity", type=float, default=0.02)
    parser.add_argument("--max-share", type=float, default=None,
                        help="Override [assign] max_share of the demo config (0.25).")
    parser.add_argument("--maps", choices=["all", "summary", "none"], default="summary")
    parser.add_argument("--baseline", action="store_true",
                        help="Also run without the contiguity bonus and print the ratios.")
    args = parser.parse_args()
    resolution = args.resolution or (250.0 if args.small else 100.0)
    args.workdir.mkdir(parents=True, exist_ok=True)
    polygons = boundary(args.workdir, args.kabupaten if args.small else None)
    config, generated = region(args.workdir, polygons, resolution)

    import rasterio

    with rasterio.open(config.parent / "terrain" / "dem.tif") as src:
        cells = src.width * src.height
    print(f"aez province benchmark: {polygons.name} at {resolution:g} m ({cells / 1e6:.1f} Mpix), "
          f"{args.crops} commodities, {args.draws} draws, contiguity_bonus {args.contiguity}, "
          f"maps = {args.maps}, threads on {os.cpu_count()} cores")
    if generated:
        print(f"aez demo --boundary: {generated['wall']:.1f} s, RSS peak "
              f"{generated['rss_mb']:.0f} MB")
    coverage_check(config)
    base = measure(variant(config, "province", crops=args.crops, draws=args.draws,
                           contiguity=args.contiguity, maps=args.maps,
                           max_share=args.max_share))
    show("province run", base)
    show_solves(base)
    print(f"  kecamatan: {base['kecamatan']}, with a product {base['with_product']}, "
          f"with a product or a reason {base['explained']}")
    print("targets (full province, 2 cores):")
    verdict("whole run", base["wall"], TARGET_RUN_S, "s")
    verdict("decision stage", base["timings"].get("decision", float("nan")),
            TARGET_DECISION_S, "s")
    verdict("peak RSS", base["rss_mb"], TARGET_RSS_MB, "MB")
    every = base["explained"] == base["kecamatan"]
    print(f"  every kecamatan a product or a reason: {'PASS' if every else 'FAIL'}")
    if args.baseline:
        flat = measure(variant(config, "no-contiguity", crops=args.crops, draws=args.draws,
                               contiguity=0.0, maps=args.maps, max_share=args.max_share))
        show("same run without the contiguity bonus", flat)
        ratios = ", ".join(f"{k} {base['timings'][k] / v:.2f}×"
                           for k, v in flat["timings"].items() if v > 0 and k in base["timings"])
        print(f"  with / without contiguity: wall {base['wall'] / flat['wall']:.2f}×; {ratios}")


if __name__ == "__main__":
    main()
