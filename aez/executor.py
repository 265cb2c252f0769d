"""Run a per-tile function over a grid: serially, on threads, or on a dask cluster.

A tile function takes a :class:`~aez.grid.Tile` and returns a
:class:`TileResult`: arrays for the tile's core, written into
:class:`~aez.io.RasterSink` outputs, and small *totals* (e.g. integer
histograms) that are added up over all tiles.

Results are the same bytes whatever the executor or tile size: sinks write
deterministic files, and totals must be exact under addition in any order,
so they are integers (float arrays are refused).

>>> import numpy as np
>>> from aez.grid import Grid
>>> g = Grid.from_bounds((0, 0, 1000, 1000), resolution=10, crs="EPSG:32750")
>>> def count_cells(tile):
...     return TileResult(totals={"cells": tile.height * tile.width})
>>> run_tiles(count_cells, g.tiles(32))["cells"]
10000
"""

from __future__ import annotations

import ctypes
import functools
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import rasterio

from aez.errors import ConfigError
from aez.grid import Tile
from aez.io.write import RasterSink

__all__ = ["EXECUTORS", "RELEASE_ABOVE", "ExecutorName", "TileResult", "gdal_cache",
           "map_tasks", "release_freed_memory", "run_tiles"]

log = logging.getLogger(__name__)

ExecutorName = Literal["serial", "threads", "dask"]

#: GDAL block cache while tiles run, in MiB: enough for a row of 256-cell blocks
#: across a province-wide grid, small enough to keep memory flat.
DEFAULT_GDAL_CACHE_MB = 64
EXECUTORS: tuple[str, ...] = ("serial", "threads", "dask")
#: :func:`run_tiles` returns freed memory to the system after a tile when the process holds
#: more than this (bytes): a province run then stays well under 1.5 GB, while a run below it
#: keeps its freed pages for the next tiles (returning them after every tile cost a 36.8-Mpix
#: run 8 s: the pages of the next tiles' arrays are mapped anew).
RELEASE_ABOVE = 1 << 30


@dataclass(frozen=True)
class TileResult:
    """What a tile function returns.

    Parameters
    ----------
    arrays : mapping of str to ndarray
        Output name → array of the tile's core shape, written to the sink of
        the same name.
    totals : mapping of str to int or integer ndarray
        Name → value added up over all tiles.
    """

    arrays: Mapping[str, np.ndarray] = field(default_factory=dict)
    totals: Mapping[str, Any] = field(default_factory=dict)


TileFunction = Callable[[Tile], TileResult]


def run_tiles(
    func: TileFunction,
    tiles: Iterable[Tile],
    *,
    executor: ExecutorName = "serial",
    workers: int | None = None,
    scheduler: str | None = None,
    sinks: Mapping[str, RasterSink] | None = None,
    on_tile: Callable[[Tile], None] | None = None,
    gdal_cache_mb: int = DEFAULT_GDAL_CACHE_MB,
) -> dict[str, Any]:
    """Apply ``func`` to every tile and collect its outputs.

    Parameters
    ----------
    func : callable
        ``func(tile) -> TileResult``. For ``dask`` it must pickle (closures
        are fine: distributed uses cloudpickle).
    tiles : iterable of Tile
        Usually ``grid.tiles(size, halo=…)``.
    executor : {"serial", "threads", "dask"}
        ``threads`` suits numpy and GDAL work, which release the GIL. ``dask``
        runs on a ``distributed`` cluster.
    workers : int, optional
        Threads, or dask workers for a local cluster (default: CPU count, 2
        for dask).
    scheduler : str, optional
        Address of a running dask scheduler (``tcp://host:8786``). Without it a
        ``LocalCluster`` with ``workers`` processes is started and closed.
    sinks : mapping of str to RasterSink, optional
        Where ``TileResult.arrays`` are written, by name. Writes happen in the
        calling thread.
    on_tile : callable, optional
        Called with each tile as it completes (progress bars).
    gdal_cache_mb : int, default 64
        Size of GDAL's block cache while the tiles run, in MiB (GDAL's own
        default is 5 % of RAM, which makes memory grow with the raster size).
        An explicit ``GDAL_CACHEMAX`` environment variable takes precedence.

    Returns
    -------
    dict
        Totals by name, added up over all tiles.
    """
    if executor not in EXECUTORS:
        raise ConfigError(f"executor = {executor!r}; expected one of {', '.join(EXECUTORS)}.")
    sinks = sinks or {}
    totals: dict[str, Any] = {}
    done = 0
    log.info("Running tiles on the %s executor", executor)
    with (
        gdal_cache(gdal_cache_mb),
        _results(func, tiles, executor, workers, scheduler, gdal_cache_mb) as results,
    ):
        for tile, result in results:
            done += 1
            for name, array in result.arrays.items():
                sink = sinks.get(name)
                if sink is None:
                    raise ConfigError(
                        f"The tile function returned an array {name!r} but no sink has that "
                        f"name; sinks: {sorted(sinks)}."
                    )
                sink.write(tile, array)
            for name, value in result.totals.items():
                _check_exact(name, value)
                totals[name] = value if name not in totals else totals[name] + value
            if on_tile is not None:
                on_tile(tile)
            release_freed_memory(above=RELEASE_ABOVE)
    release_freed_memory()
    log.info("Finished %d tiles", done)
    return totals


def map_tasks(func: Callable[[Any], Any], items: Iterable[Any], *,
              executor: ExecutorName = "serial", workers: int | None = None,
              scheduler: str | None = None,
              on_done: Callable[[int], None] | None = None) -> list[Any]:
    """Apply ``func`` to every item as an independent task; return the results in item order.

    Parameters
    ----------
    func : callable
        ``func(item) -> result``; for ``dask`` both must pickle.
    items : iterable
        The tasks' inputs.
    executor, workers, scheduler
        As for :func:`run_tiles`.
    on_done : callable, optional
        Called with the number of finished tasks after each one (progress bars).

    Returns
    -------
    list
        ``[func(item) for item in items]``, whatever the executor.

    >>> map_tasks(lambda v: v * v, [1, 2, 3], executor="threads", workers=2)
    [1, 4, 9]
    """
    if executor not in EXECUTORS:
        raise ConfigError(f"executor = {executor!r}; expected one of {', '.join(EXECUTORS)}.")
    inputs = list(items)
    results: list[Any] = [None] * len(inputs)
    done = 0

    def finished(position: int, value: Any) -> None:
        nonlocal done
        results[position] = value
        done += 1
        if on_done is not None:
            on_done(done)

    if executor == "serial" or len(inputs) <= 1:
        for position, item in enumerate(inputs):
            finished(position, func(item))
    elif executor == "threads":
        with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            futures = {pool.submit(func, item): position for position, item in enumerate(inputs)}
            pending = set(futures)
            while pending:
                ready, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(ready, key=futures.__getitem__):
                    finished(futures[future], future.result())
    else:
        from distributed import as_completed

        with _dask_client(workers, scheduler) as client:
            remote = client.scatter(func, broadcast=True, hash=False)
            submitted = [client.submit(_apply, remote, item, pure=False) for item in inputs]
            position_of = {future.key: position for position, future in enumerate(submitted)}
            for future in as_completed(submitted):
                finished(position_of[future.key], future.result())
                future.release()
    return results


def _apply(func: Callable[[Any], Any], item: Any) -> Any:
    """Run one task on a dask worker."""
    return func(item)


def gdal_cache(megabytes: int = DEFAULT_GDAL_CACHE_MB) -> rasterio.Env:
    """Return a rasterio environment that bounds GDAL's block cache (unless the user set it).

    Without it GDAL caches up to 5 % of the machine's memory, so the memory of
    reading or writing a raster would grow with the raster.
    """
    if "GDAL_CACHEMAX" in os.environ:
        return rasterio.Env()
    return rasterio.Env(GDAL_CACHEMAX=megabytes * 2**20)


def release_freed_memory(above: int = 0) -> bool:
    """Hand the memory of freed arrays back to the system (glibc's ``malloc_trim``).

    Only when the process holds more than ``above`` bytes (its resident size).

    glibc maps large blocks (arrays) separately and unmaps them when freed, but
    each time it frees one it raises the size from which it does so, up to
    32 MiB. After the first large arrays of a run, tile-sized arrays then come
    from the threads' heaps, which keep the memory when the arrays are freed:
    a province run at 100 m held about 0.9 GB of freed tile arrays after its
    suitability stage. :func:`run_tiles` calls this after each tile (above
    :data:`RELEASE_ABOVE`) and a run between its stages. Off glibc it does
    nothing. Returns whether memory was returned.
    """
    trim = _malloc_trim()
    if trim is None or (above and _resident() <= above):
        return False
    return bool(trim(0))


def _resident() -> int:
    """Resident size of this process, in bytes (Linux)."""
    pages = Path("/proc/self/statm").read_text().split()[1]
    return int(pages) * os.sysconf("SC_PAGE_SIZE")


@functools.cache
def _malloc_trim() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # a C library without malloc_trim (e.g. musl)
        return None


def _check_exact(name: str, value: Any) -> None:
    if isinstance(value, float) or (isinstance(value, np.ndarray) and value.dtype.kind in "fc"):
        raise ConfigError(
            f"Tile total {name!r} is floating point, so its sum would depend on the tiling. "
            "Return integer counts (e.g. histograms, or values in fixed units as int64)."
        )


@contextmanager
def _results(
    func: TileFunction,
    tiles: Iterable[Tile],
    executor: str,
    workers: int | None,
    scheduler: str | None,
    gdal_cache_mb: int,
) -> Iterator[Iterator[tuple[Tile, TileResult]]]:
    if executor == "serial":
        yield ((tile, func(tile)) for tile in tiles)
    elif executor == "threads":
        threads = workers or os.cpu_count() or 1
        with ThreadPoolExecutor(max_workers=threads) as pool:
            yield _bounded(pool, func, tiles, threads + 1)
    else:
        with _dask_client(workers, scheduler) as client:
            yield _dask_results(client, func, tiles, gdal_cache_mb)


def _bounded(
    pool: ThreadPoolExecutor, func: TileFunction, tiles: Iterable[Tile], limit: int
) -> Iterator[tuple[Tile, TileResult]]:
    """Keep at most ``limit`` tiles in flight, so memory follows tile size.

    One more tile than there are workers keeps every worker busy while the
    calling thread writes a finished tile.
    """
    pending: dict[Future[TileResult], Tile] = {}
    iterator = iter(tiles)
    try:
        for tile in iterator:
            pending[pool.submit(func, tile)] = tile
            if len(pending) >= limit:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield pending.pop(future), future.result()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield pending.pop(future), future.result()
    finally:
        for future in pending:
            future.cancel()


@contextmanager
def _dask_client(workers: int | None, scheduler: str | None) -> Iterator[Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ConfigError(
            "executor = \"dask\" needs the dask extra: pip install 'aez[dask]'."
        ) from exc
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers or 2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.WARNING,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _call(func: TileFunction, tile: Tile, gdal_cache_mb: int) -> TileResult:
    """Run one tile on a dask worker: GDAL cache bounded, freed arrays returned (glibc)."""
    with gdal_cache(gdal_cache_mb):
        result = func(tile)
    release_freed_memory()
    return result


def _dask_results(
    client: Any, func: TileFunction, tiles: Iterable[Tile], gdal_cache_mb: int
) -> Iterator[tuple[Tile, TileResult]]:
    from distributed import as_completed

    remote_func = client.scatter(func, broadcast=True, hash=False)
    limit = 2 * max(1, len(client.scheduler_info().get("workers", {})))
    iterator = iter(tiles)
    by_key: dict[str, Tile] = {}

    def submit(tile: Tile) -> Any:
        future = client.submit(_call, remote_func, tile, gdal_cache_mb, pure=False)
        by_key[future.key] = tile
        return future

    queue = as_completed([submit(t) for _, t in zip(range(limit), iterator, strict=False)])
    for future in queue:
        result = future.result()
        tile = by_key.pop(future.key)
        future.release()
        following = next(iterator, None)
        if following is not None:
            queue.add(submit(following))
        yield tile, result
