"""How long ``import aez`` takes and how much memory it holds, against a baseline and peers.

Each measurement is a fresh Python process: wall time of the import (the best of
``--repeat`` runs), the peak RSS of the process (``ru_maxrss``), the total of
``python -X importtime`` for the top-level import, and which heavy libraries the
import loaded. The same interpreter also imports a baseline checkout of aez (a git
ref, added as a temporary worktree: ``--baseline 9d53ce1`` is the tree before the
lazy top level) and the peers a user would load next to aez (numpy, rasterio,
geopandas), so the figures can be read as ratios on a noisy machine.

It also starts the map worker module the way :mod:`aez.render.jobs` does
(``python -m MODULE`` with no jobs on stdin), which measures a worker's start-up.

Targets: ``import aez`` ≤ 0.4 s and ≤ 150 MB RSS; a map worker starts in < 1 s.

Usage::

    python benchmarks/import_bench.py [--baseline REF] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("numba", "matplotlib", "jinja2", "dask", "scipy.optimize", "geopandas", "rasterio",
         "pandas")
TARGET_SECONDS, TARGET_MB, WORKER_SECONDS = 0.4, 150.0, 1.0

CHILD = """
import json, resource, sys, time
start = time.perf_counter()
{statement}
elapsed = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
heavy = [m for m in {heavy!r} if m in sys.modules]
print(json.dumps({{"seconds": elapsed, "rss_mb": rss, "heavy": heavy}}))
"""


def measure(statement: str, *, path: Path | None, repeat: int) -> dict:
    """Best wall time, highest RSS and the heavy modules of ``statement`` in fresh processes."""
    env = dict(os.environ)
    if path is not None:
        env["PYTHONPATH"] = str(path)
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", CHILD.format(statement=statement,
                                                                  heavy=HEAVY)],
                             capture_output=True, text=True, env=env, cwd=tempfile.gettempdir(),
                             check=False)
        if out.returncode:
            raise SystemExit(f"{statement!r} failed:\n{out.stderr}")
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {"seconds": min(r["seconds"] for r in runs),
            "rss_mb": max(r["rss_mb"] for r in runs), "heavy": runs[0]["heavy"]}


def importtime_total(path: Path | None) -> float:
    """Cumulative microseconds of ``aez`` in ``python -X importtime``, in seconds."""
    env = dict(os.environ)
    if path is not None:
        env["PYTHONPATH"] = str(path)
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import aez"],
                         capture_output=True, text=True, env=env, cwd=tempfile.gettempdir(),
                         check=True).stderr
    for line in err.splitlines():
        fields = [f.strip() for f in line.split("|")]
        if len(fields) == 3 and fields[2] == "aez":
            return int(fields[1]) / 1e6
    return float("nan")


def worker_start(module: str, *, repeat: int) -> float:
    """Best wall time of ``python -m module`` given an empty job list."""
    import pickle
    import time

    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", module], input=pickle.dumps([]),
                       capture_output=True, check=True, cwd=ROOT)
        best = min(best, time.perf_counter() - start)
    return best


def worker_module() -> str:
    """The module :mod:`aez.render.jobs` starts as a map worker."""
    text = (ROOT / "aez" / "render" / "jobs.py").read_text(encoding="utf-8")
    start = text.index('"-m", "') + len('"-m", "')
    return text[start:text.index('"', start)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=None,
                        help="git ref of a baseline aez to import in the same run")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    rows: list[tuple[str, dict, float]] = []
    rows.append(("aez (this tree)", measure("import aez", path=ROOT, repeat=args.repeat),
                 importtime_total(ROOT)))
    worktree = None
    if args.baseline:
        worktree = Path(tempfile.mkdtemp()) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree),
                        args.baseline], check=True, capture_output=True)
    try:
        if worktree is not None:
            rows.append((f"aez ({args.baseline})",
                         measure("import aez", path=worktree, repeat=args.repeat),
                         importtime_total(worktree)))
        for peer in ("numpy", "rasterio", "geopandas"):
            rows.append((peer, measure(f"import {peer}", path=None, repeat=args.repeat),
                         float("nan")))
        full = measure("import aez\nfor n in aez.__all__: getattr(aez, n)", path=ROOT,
                       repeat=max(1, args.repeat // 2))
        rows.append(("aez, every public name", full, float("nan")))
    finally:
        if worktree is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(worktree)], check=False, capture_output=True)

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, best of {args.repeat}")
    print(f"{'import':<26}{'wall s':>8}{'RSS MB':>9}{'importtime s':>14}  heavy modules loaded")
    for name, m, total in rows:
        print(f"{name:<26}{m['seconds']:>8.3f}{m['rss_mb']:>9.0f}{total:>14.3f}  "
              f"{', '.join(m['heavy']) or '-'}")
    ours = rows[0][1]
    geopandas = next(m for n, m, _ in rows if n == "geopandas")
    print(f"\nimport aez / import geopandas: {ours['seconds'] / geopandas['seconds']:.2f}× time, "
          f"{ours['rss_mb'] / geopandas['rss_mb']:.2f}× RSS")
    if worktree is not None:
        base = rows[1][1]
        print(f"import aez, this tree / {args.baseline}: {ours['seconds'] / base['seconds']:.3f}×"
              f" time, {ours['rss_mb'] / base['rss_mb']:.2f}× RSS")
    module = worker_module()
    start = worker_start(module, repeat=max(1, args.repeat // 2))
    print(f"map worker (python -m {module}, no jobs): {start:.2f} s")
    checks = [("import aez ≤ 0.4 s", ours["seconds"] <= TARGET_SECONDS),
              ("import aez ≤ 150 MB RSS", ours["rss_mb"] <= TARGET_MB),
              ("map worker starts < 1 s", start < WORKER_SECONDS)]
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")


if __name__ == "__main__":
    main()
