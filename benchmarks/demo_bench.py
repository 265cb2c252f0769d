"""Benchmark: ``aez demo --boundary`` on a province: wall time and peak RSS.

Runs ``aez demo OUT --boundary kec_jawa_tengah_33.geojson --id-column
kode_kemendagri --resolution R`` (Jawa Tengah's 576 real kecamatan, from the
shared data folder, :data:`aez.testing.SHARED_DATA`; default 100 m, 9.5 Mpix)
in a fresh process and prints its wall time and peak RSS (``ru_maxrss`` of
the child). As a yardstick measured in the same session under the same load,
it first runs the default small demo (``aez demo OUT --size small``).

With ``--ref GIT_REF`` (e.g. ``main`` or ``HEAD~3``) it also runs the same
command with the code of that commit (a temporary ``git worktree`` in
``--workdir``), prints the ratios new / ref, and checks that both wrote the
same files byte for byte; it checks the default demo (``aez demo OUT``) the
same way.

Targets on a 2-core machine: ≤ 60 s and ≤ 1.5 GB (1536 MiB) peak RSS. Prints
PASS or FAIL against each and always exits 0: a benchmark, not a test.

Usage::

    python benchmarks/demo_bench.py [--resolution 100] [--boundary FILE] [--ref main]
        [--workdir /tmp/aez-demo-bench]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 60.0
TARGET_RSS_MB = 1536.0
BOUNDARY = "boundaries/kec_jawa_tengah_33.geojson"
ROOT = Path(__file__).resolve().parent.parent
CLI = "import sys; from aez.cli import main; sys.argv[0] = 'aez'; main()"


def _run(args: list[str], *, cwd: Path) -> tuple[float, float]:
    """Run ``aez ARGS`` in a fresh interpreter from ``cwd``; return (seconds, peak RSS MiB)."""
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", CLI, *args], cwd=cwd, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode() if child.stderr else ""
    if child.returncode:
        raise SystemExit(f"aez {' '.join(args)} failed ({child.returncode}):\n{err}")
    return wall, usage.ru_maxrss / 1024.0  # ru_maxrss is in KiB on Linux


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    """Parse the arguments, run the demos and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--resolution", type=float, default=100.0)
    parser.add_argument("--boundary", type=Path, default=None,
                        help="kecamatan polygons (default: Jawa Tengah from the shared data)")
    parser.add_argument("--id-column", default="kode_kemendagri")
    parser.add_argument("--ref", default=None, help="git commit to compare with")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()

    from aez.testing import SHARED_DATA

    boundary = args.boundary or Path(SHARED_DATA) / BOUNDARY
    if not boundary.exists():
        raise SystemExit(f"No boundary file at {boundary}; pass --boundary.")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="aez-demo-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    province = ["--boundary", str(boundary), "--id-column", args.id_column,
                "--resolution", f"{args.resolution:g}", "--overwrite"]

    rows = []
    wall, rss = _run(["demo", str(work / "small"), "--size", "small", "--overwrite"], cwd=ROOT)
    rows.append(("default small demo (yardstick)", wall, rss))
    wall, rss = _run(["demo", str(work / "province"), *province], cwd=ROOT)
    rows.append((f"--boundary {boundary.name} at {args.resolution:g} m", wall, rss))
    new = rows[-1]

    ref = None
    if args.ref:
        tree = work / "ref-tree"
        if tree.exists():
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT,
                           check=False, capture_output=True)
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), args.ref], cwd=ROOT,
                       check=True, capture_output=True)
        try:
            wall, rss = _run(["demo", str(work / "province-ref"), *province], cwd=tree)
            _run(["demo", str(work / "default-ref"), "--overwrite"], cwd=tree)
            _run(["demo", str(work / "default"), "--overwrite"], cwd=ROOT)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT,
                           check=False, capture_output=True)
        ref = (f"the same at {args.ref}", wall, rss)
        rows.append(ref)

    print(f"{'run':58s} {'wall s':>8s} {'peak RSS MiB':>13s}")
    for name, wall, rss in rows:
        print(f"{name:58s} {wall:8.1f} {rss:13.0f}")
    _, small_s, small_mb = rows[0]
    print(f"\nprovince / yardstick: time × {new[1] / small_s:.1f}, RSS × {new[2] / small_mb:.1f}")
    if ref is not None:
        same = _digest(work / "province") == _digest(work / "province-ref")
        print(f"new / {args.ref}: time × {new[1] / ref[1]:.2f}, RSS × {new[2] / ref[2]:.2f}; "
              f"outputs {'identical' if same else 'DIFFER'}")
        same = _digest(work / "default") == _digest(work / "default-ref")
        print(f"default demo (aez demo OUT): outputs {'identical' if same else 'DIFFER'} "
              f"to {args.ref}'s")
    print(f"\ntime ≤ {TARGET_S:.0f} s: {_verdict(new[1] <= TARGET_S)} ({new[1]:.1f} s)")
    print(f"peak RSS ≤ {TARGET_RSS_MB:.0f} MiB: {_verdict(new[2] <= TARGET_RSS_MB)} "
          f"({new[2]:.0f} MiB)")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
