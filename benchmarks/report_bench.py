"""Size of the demo report: what it weighs, what takes the room, and against what.

Runs ``aez demo`` (30 crops, its atlas maps) into ``--workdir`` (reused when its
report exists) and measures ``report.html``: total bytes, the embedded commodity
maps, the other figures, the interactive map and its panels, and the rest. Two
peers are measured on the same run's maps: every full-resolution map embedded as
it is (base64), and the former embedding (commodity maps scaled to 800 px as
24-bit PNG, the other figures as they are). Target: the report ≤ 4,000,000 bytes.

Usage: ``python benchmarks/report_bench.py [--workdir /tmp/aez-report-bench] [--fresh]``
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import time
from pathlib import Path

from PIL import Image

TARGET = 4_000_000
FORMER_WIDTH = 800


def _b64(n: int) -> int:
    return 4 * ((n + 2) // 3)


def _former(png: Path) -> int:
    """Bytes of a commodity map as the report embedded it before (800 px, 24-bit PNG)."""
    with Image.open(png) as image:
        if image.width <= FORMER_WIDTH:
            return png.stat().st_size
        small = image.convert("RGB").resize(
            (FORMER_WIDTH, round(image.height * FORMER_WIDTH / image.width)),
            Image.Resampling.BOX)
    out = io.BytesIO()
    small.save(out, format="PNG")
    return len(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/aez-report-bench"))
    parser.add_argument("--fresh", action="store_true", help="run the demo again")
    args = parser.parse_args()
    region = args.workdir / "demo"
    report = region / "aez-out" / "report.html"
    seconds = 0.0
    if args.fresh or not report.is_file():
        import aez
        from aez.demo import write_demo_region

        shutil.rmtree(region, ignore_errors=True)
        config = write_demo_region(region)
        os.environ.setdefault("SOURCE_DATE_EPOCH", "1733000000")
        start = time.perf_counter()
        aez.run(config, executor="threads")
        seconds = time.perf_counter() - start
    html = report.read_text(encoding="utf-8")
    total = len(html.encode("utf-8"))
    images = re.findall(r'<img src="(data:image/png;base64,[^"]+)"[^>]*alt="([^"]*)"', html)
    crop = [len(src) for src, alt in images if " – " in alt]
    other = [len(src) for src, alt in images if " – " not in alt]
    start = html.find('<svg class="kecmap-svg"')
    svg = len(html[start:html.find("</svg>", start)]) if start >= 0 else 0
    panels = sum(len(p) for p in re.findall(r"<template .*?</template>", html, flags=re.S))
    maps = region / "aez-out" / "maps"
    pngs = sorted(maps.rglob("*.png"))
    full = sum(_b64(p.stat().st_size) for p in pngs)
    former = sum(_b64(_former(p)) for p in pngs if p.parent.name in ("suitability", "limits")) \
        + sum(_b64(p.stat().st_size) for p in pngs if p.parent == maps)
    print(f"demo run: {seconds:.1f} s" if seconds else f"demo run reused: {report}")
    print(f"{'part':<34}{'bytes':>12}{'share':>8}")
    rows = [(f"commodity maps ({len(crop)})", sum(crop)), (f"other figures ({len(other)})",
                                                          sum(other)),
            ("interactive map (SVG)", svg), ("kecamatan panels", panels)]
    rows.append(("rest (text, tables, CSS, script)", total - sum(n for _, n in rows)))
    for name, n in rows:
        print(f"{name:<34}{n:>12,}{n / total:>8.1%}")
    print(f"{'report.html':<34}{total:>12,}")
    print(f"{'peer: full-resolution maps (b64)':<34}{full:>12,}  report is {total / full:.1%}")
    print(f"{'peer: former embedding (b64)':<34}{former:>12,}  report is {total / former:.1%}")
    print(f"target ≤ {TARGET:,} bytes: {'PASS' if total <= TARGET else 'FAIL'}")


if __name__ == "__main__":
    main()
