"""Drawing many maps: jobs, and worker processes that draw them side by side.

A :class:`MapJob` names a map function of :mod:`aez.render.maps` and its
arguments; :func:`draw_maps` draws a list of jobs in this process or in
fresh Python worker processes (``python -m aez.render._map_worker``), with
the same bytes either way.
"""

from __future__ import annotations

import base64
import json
import os
import pickle
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from aez.errors import ConfigError, DataSourceError
from aez.render.maps import (
    limits_map,
    overview_map,
    product_map,
    robustness_map,
    suitability_map,
)
from aez.render.value_map import value_map

__all__ = ["MapJob", "draw_job", "draw_maps"]


@dataclass(frozen=True)
class MapJob:
    """A map for :func:`draw_maps`: the map's kind and its function's keyword arguments.

    ``kind`` is ``"suitability"``, ``"limits"``, ``"products"``, ``"robustness"``,
    ``"value"`` or ``"overview"``; ``args`` holds every argument of that function by name
    (``districts``, ``info``, ``out_base``...).
    """

    kind: str
    args: Mapping[str, Any] = field(default_factory=dict)




_FUNCTIONS: dict[str, Callable[..., list[Path]]] = {
    "suitability": suitability_map, "limits": limits_map, "products": product_map,
    "robustness": robustness_map, "overview": overview_map, "value": value_map}


def draw_job(job: MapJob) -> list[Path]:
    """Draw one job in this process.

    Parameters
    ----------
    job : MapJob
        The map to draw.

    Returns
    -------
    list of Path
        The files written (PNG and PDF).
    """
    return _FUNCTIONS[job.kind](**job.args)


def draw_maps(jobs: Sequence[MapJob], *, workers: int = 1,
              on_done: Callable[[int], None] | None = None) -> list[list[Path]]:
    """Draw ``jobs`` in ``workers`` processes (1 = in this process).

    Each map depends only on its own job, so the files are the same bytes
    whatever ``workers`` is. Workers are fresh Python processes
    (``python -m aez.render._map_worker``), so nothing is inherited from a
    threaded parent and the calling script needs no ``__main__`` guard; each
    imports the map modules once (matplotlib, geopandas and rasterio: about
    1 s). ``on_done(i)`` is called as job ``i`` finishes.

    Examples
    --------
    >>> from aez.render.maps import MapInfo
    >>> info = MapInfo(region="Kab. Demo", source="aez", date="2025-01-31")
    >>> job = MapJob("products", {"districts": districts, "info": info,
    ...                           "out_base": outdir / "products"})  # doctest: +SKIP
    >>> draw_maps([job], workers=2)  # doctest: +SKIP
    [[PosixPath('.../products.png'), PosixPath('.../products.pdf')]]

    Returns
    -------
    list of list of Path
        The files each job wrote, in the order of ``jobs``.

    Raises
    ------
    ConfigError
        If ``workers`` < 1 or a job's kind is unknown (checked before drawing).
    AEZError
        Whatever a job raised, in this process.
    """
    if workers < 1:
        raise ConfigError(f"workers = {workers}; expected 1 or more.")
    jobs = list(jobs)
    unknown = sorted({job.kind for job in jobs} - set(_FUNCTIONS))
    if unknown:
        raise ConfigError(f"Unknown map kind(s) {unknown}; expected one of {sorted(_FUNCTIONS)}.")
    done = on_done or (lambda i: None)
    if workers == 1 or len(jobs) <= 1:
        drawn = []
        for i, job in enumerate(jobs):
            drawn.append(draw_job(job))
            done(i)
        return drawn
    results: list[list[Path] | None] = [None] * len(jobs)
    batches = [list(range(w, len(jobs), workers)) for w in range(min(workers, len(jobs)))]
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work(batch: list[int]) -> None:
        try:
            for i, paths in zip(batch, _worker([jobs[i] for i in batch]), strict=False):
                results[i] = paths
                with lock:
                    done(i)
        except BaseException as exc:  # re-raised in the calling thread below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return [r for r in results if r is not None]


def _worker(jobs: list[MapJob]) -> Iterator[list[Path]]:
    """Draw ``jobs`` in a fresh Python process; yield each job's files as it finishes."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")])}
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen([sys.executable, "-m", "aez.render._map_worker"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=stderr, env=env)
        stdin, stdout = cast(IO[bytes], process.stdin), cast(IO[bytes], process.stdout)
        try:
            stdin.write(pickle.dumps(jobs))
            stdin.close()
            for line in stdout:
                answer = json.loads(line)
                if "error" in answer:
                    raise pickle.loads(base64.b64decode(answer["error"]))
                yield [Path(p) for p in answer["paths"]]
        finally:
            code = process.wait()
        if code != 0:
            stderr.seek(0)
            raise DataSourceError(f"A map worker stopped with exit code {code}: "
                                  f"{stderr.read().decode(errors='replace')[-2000:]}")
