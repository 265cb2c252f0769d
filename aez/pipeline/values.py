"""One streaming pass over every input layer: min, max, NaN and ±inf, against plausible ranges.

:func:`scan_values` reads each file layer tile by tile on the analysis grid (as
the suitability stage will; the tiles run on the run's executor and their counts
are merged in tile order), keeps only the cells inside the study area, and
counts per layer: cells, cells with a value, NaN, ±inf, the float32 extremes
that a corrupt block holds, the minimum, maximum and mean, and the cells below
or above the plausible range of the characteristic or role the layer provides
(:data:`aez.characteristics.PLAUSIBLE`, :data:`aez.characteristics.ROLE_RANGES`),
each with its first example value and place. Categorical layers count the codes
that their legend does not name. Memory depends on the tile size only.

:func:`check_values` turns the counts into the first error, one line naming
the layer, its file, the number of cells, an example value and its location,
and the setting that fixes it. Derived layers are not scanned: their inputs are.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from aez.characteristics import CHARACTERISTICS, Plausible, canonical_units, plausible_range
from aez.errors import ConfigError, ImplausibleValueError
from aez.executor import ExecutorName, map_tasks
from aez.grid import Tile
from aez.harmonize import LayerStack
from aez.layer import CATEGORICAL_NODATA

__all__ = ["GARBAGE", "KELVIN_MEAN", "LayerValues", "Outside", "check_values", "scan_values",
           "value_facts"]

#: |value| at or above this is the float32 fill of a corrupt block (±3.4e38), never data.
GARBAGE = 1e30
#: A mean temperature in this range (K) is a layer in kelvin, not °C.
KELVIN_MEAN = (250.0, 330.0)


@dataclass
class Outside:
    """Cells of one kind (below the range, ±inf …): how many, and the first one seen."""

    cells: int = 0
    value: float = math.nan
    row: int = -1
    col: int = -1

    def add(self, hit: np.ndarray, values: np.ndarray, places: Places) -> None:
        """Count the cells of ``hit``; keep the first one (row-major, tile order) as example."""
        n = int(hit.sum())
        if n and not self.cells:
            i = int(np.argmax(hit))
            self.value = float(values[i])
            self.row, self.col = places.at(i)
        self.cells += n

    def merge(self, later: Outside) -> None:
        """Add the counts of cells seen after these (a later tile); keep the first example."""
        if later.cells and not self.cells:
            self.value, self.row, self.col = later.value, later.row, later.col
        self.cells += later.cells


@dataclass
class LayerValues:
    """What the value pass found in one layer, over the cells of the study area."""

    name: str
    kind: str
    cells: int = 0
    valid: int = 0
    minimum: float = math.inf
    maximum: float = -math.inf
    total: float = 0.0
    nan: int = 0
    inf: Outside = field(default_factory=Outside)
    garbage: Outside = field(default_factory=Outside)
    below: Outside = field(default_factory=Outside)
    above: Outside = field(default_factory=Outside)
    unknown_codes: Outside = field(default_factory=Outside)

    def merge(self, later: LayerValues) -> None:
        """Add the counts of cells seen after these (a later tile), as one pass over both would.

        The total is added after this one's, so merging tiles in tile order
        gives the float sum of a serial pass exactly.
        """
        self.cells += later.cells
        self.valid += later.valid
        self.minimum = min(self.minimum, later.minimum)
        self.maximum = max(self.maximum, later.maximum)
        self.total += later.total
        self.nan += later.nan
        for name in ("inf", "garbage", "below", "above", "unknown_codes"):
            getattr(self, name).merge(getattr(later, name))

    @property
    def mean(self) -> float:
        """Mean of the finite values (NaN when there are none)."""
        return self.total / self.valid if self.valid else math.nan


def layer_range(stack: LayerStack, name: str) -> Plausible | None:
    """Plausible range of a file layer, in its own units (None: unknown, or other units)."""
    spec = stack.specs[name]
    limits = plausible_range(spec.provides)
    if limits is None:
        return None
    if spec.units:
        try:
            if canonical_units(spec.units) != canonical_units(limits.units):
                return None  # other units: the crop matching converts or refuses them
        except ConfigError:
            return None
    return limits


def scan_values(stack: LayerStack, *, tile_size: int = 512, executor: ExecutorName = "serial",
                workers: int | None = None, scheduler: str | None = None,
                on_tile: Callable[[], None] | None = None) -> dict[str, LayerValues]:
    """Read every file layer once, tile by tile; count its values inside the study area.

    Each tile is counted on its own, on ``executor``; the counts are merged
    in tile order, so the minimum, maximum, total and first example of every
    layer are exactly those of a serial pass.

    Parameters
    ----------
    stack : LayerStack
        The opened inputs.
    tile_size : int, default 512
        Tile side in cells (memory, not results, depends on it).
    executor : {"serial", "threads", "dask"}, default "serial"
        Where the tiles are read (:func:`aez.executor.map_tasks`).
    workers : int, optional
        Threads or dask workers (see :func:`aez.executor.map_tasks`).
    scheduler : str, optional
        Address of a running dask scheduler.
    on_tile : callable, optional
        Called after each tile (progress bars).

    Returns
    -------
    dict of str to LayerValues
        Layer name → counts, in declaration order of the file layers.
    """
    names = list(stack.sources)
    ranges = {n: layer_range(stack, n) for n in names}
    legends = {n: stack.sources[n].legend for n in names}

    def counter(layers: list[str]) -> Callable[[Tile], dict[str, LayerValues]]:
        return lambda tile: _count_tile(stack, tile, layers, ranges, legends)

    tiles = list(stack.grid.tiles(tile_size))
    progress = None if on_tile is None else lambda _: on_tile()
    if executor == "threads":
        passes = _beside_rasterization(stack, tiles, names, counter, workers, progress)
    else:
        passes = [map_tasks(counter(names), tiles, executor=executor, workers=workers,
                            scheduler=scheduler, on_done=progress)]
    found = {n: LayerValues(n, stack.specs[n].kind) for n in names}
    for per_tile in passes:  # each layer is counted in one pass, tile by tile in order
        for counts in per_tile:
            for name, values in counts.items():
                found[name].merge(values)
    return found


def _beside_rasterization(
    stack: LayerStack, tiles: list[Tile], names: list[str],
    counter: Callable[[list[str]], Callable[[Tile], dict[str, LayerValues]]],
    workers: int | None, progress: Callable[[int], None] | None,
) -> list[list[dict[str, LayerValues]]]:
    """On threads: count the other layers while the vector layers are rasterized, then those.

    Rasterizing holds Python's lock most of the time, reading rasters hardly
    at all, so the two overlap; the vector layers are then read back from
    their rasterization.
    """
    stack.prepare_districts()
    burnt = stack.preparations()
    first = [n for n in names if n not in burnt]
    later = [n for n in names if n in burnt]
    passes = []
    with ThreadPoolExecutor(max_workers=1) as side:
        rasterized = side.submit(lambda: [task() for task in burnt.values()])
        if first:
            passes.append(map_tasks(counter(first), tiles, executor="threads", workers=workers,
                                    on_done=progress))
        rasterized.result()
    if later:
        passes.append(map_tasks(counter(later), tiles, executor="threads", workers=workers,
                                on_done=None if first else progress))
    return passes


def _count_tile(stack: LayerStack, tile: Tile, names: list[str],
                ranges: dict[str, Plausible | None],
                legends: dict[str, dict[int, str] | None]) -> dict[str, LayerValues]:
    """Count the values of ``names`` in one tile, inside the study area."""
    found = {n: LayerValues(n, stack.specs[n].kind) for n in names}
    data = stack.read(tile, names)
    inside = data.in_study_area[tile.core]
    if inside.all():  # no need to pick the cells
        places = Places(tile, None)
        for name in names:
            _count(found[name], data.core(name).reshape(-1), places, ranges[name],
                   legends[name])
    elif inside.any():
        places = Places(tile, np.flatnonzero(inside))
        for name in names:
            values = data.core(name)[inside]
            _count(found[name], values, places, ranges[name], legends[name])
    return found


@dataclass(frozen=True)
class Places:
    """Where on the grid the values counted from one tile lie."""

    tile: Tile
    #: Position of each value in the tile's core, row-major (None: every cell, in order).
    flat: np.ndarray | None

    def at(self, i: int) -> tuple[int, int]:
        """(row, column) on the grid of the ``i``-th value."""
        j = i if self.flat is None else int(self.flat[i])
        row, col = divmod(j, self.tile.width)
        return self.tile.row_off + row, self.tile.col_off + col


def _count(stats: LayerValues, values: np.ndarray, places: Places, limits: Plausible | None,
           legend: dict[int, str] | None) -> None:
    stats.cells += values.size
    if stats.kind == "categorical":
        present = values != CATEGORICAL_NODATA
        stats.valid += int(present.sum())
        if legend:
            codes = sorted(legend)
            if codes[-1] - codes[0] + 1 == len(codes):  # codes lo … hi, none missing
                unknown = (values < codes[0]) | (values > codes[-1])
            else:
                unknown = ~np.isin(values, codes)
            stats.unknown_codes.add(present & unknown, values, places)
        return
    values = values.astype(np.float64)
    low, high = (values.min(), values.max()) if values.size else (math.nan, math.nan)
    if math.isfinite(low) and math.isfinite(high) and max(-low, high) < GARBAGE:
        # No NaN, ±inf or garbage (the usual tile): the masks below would all pass.
        stats.valid += values.size
        stats.minimum = min(stats.minimum, float(low))
        stats.maximum = max(stats.maximum, float(high))
        stats.total += float(values.sum())
        if limits is not None and low < limits.low:
            stats.below.add(values < limits.low, values, places)
        if limits is not None and high > limits.high:
            stats.above.add(values > limits.high, values, places)
        return
    nan = np.isnan(values)
    stats.nan += int(nan.sum())
    stats.inf.add(np.isinf(values), values, places)
    finite = np.isfinite(values)
    garbage = finite & (np.abs(values) >= GARBAGE)
    stats.garbage.add(garbage, values, places)
    good = finite & ~garbage
    if good.any():
        kept = values[good]
        stats.valid += kept.size
        stats.minimum = min(stats.minimum, float(kept.min()))
        stats.maximum = max(stats.maximum, float(kept.max()))
        stats.total += float(kept.sum())
    if limits is not None:
        stats.below.add(good & (values < limits.low), values, places)
        stats.above.add(good & (values > limits.high), values, places)


def check_values(stack: LayerStack, found: dict[str, LayerValues]) -> None:
    """Raise :class:`~aez.errors.ImplausibleValueError` for the first layer with impossible values.

    In order: ±inf, float32 garbage, no value at all in the study area, a
    temperature in kelvin, values outside the plausible range, categorical
    codes missing from the legend.
    """
    t = stack.grid.transform

    def at(o: Outside) -> str:
        col, row = o.col + 0.5, o.row + 0.5
        x, y = t.c + t.a * col + t.b * row, t.f + t.d * col + t.e * row
        return f"at x = {x:.6g}, y = {y:.6g} (row {o.row}, column {o.col} of the grid)"

    for name, stats in found.items():
        spec = stack.specs[name]
        where = f"Layer {name!r} ({spec.path})"
        fix = (f"Declare the file's fill value with [layers.{name}] nodata, or fix the file.")

        if stats.inf.cells:
            raise ImplausibleValueError(
                f"{where} holds {stats.inf.value:+g} in {stats.inf.cells} cells of the study "
                f"area, e.g. {at(stats.inf)}. {fix}")
        if stats.garbage.cells:
            raise ImplausibleValueError(
                f"{where} holds {stats.garbage.cells} cells of {stats.garbage.value:.3g} (a "
                f"float32 extreme: a corrupt block or an undeclared nodata value), e.g. "
                f"{at(stats.garbage)}. {fix}")
        if stats.cells and not stats.valid:
            raise ImplausibleValueError(
                f"{where} has no value in the study area: all {stats.cells} cells are nodata. "
                f"Check the file and its band ([layers.{name}] band) and nodata "
                f"([layers.{name}] nodata).")
        role = spec.provides
        if role == "temperature" and KELVIN_MEAN[0] <= stats.mean <= KELVIN_MEAN[1]:
            raise ImplausibleValueError(
                f"{where} has a mean of {stats.mean:.1f}, which looks like kelvin, not °C. Set "
                f"[layers.{name}] offset = -273.15 (and units = \"°C\").")
        limits = layer_range(stack, name)
        for side, o, bound in (("below", stats.below, "minimum"),
                               ("above", stats.above, "maximum")):
            if limits is not None and o.cells:
                what = (CHARACTERISTICS[role].name_en if role in CHARACTERISTICS else role)
                raise ImplausibleValueError(
                    f"{where}: {o.cells} cells of the study area lie {side} the plausible "
                    f"{bound} of {what} ({limits.describe()}), e.g. {o.value:g} {at(o)}. "
                    f"Check the units ([layers.{name}] units, scale, offset) and nodata "
                    f"([layers.{name}] nodata), or fix the file.")
        if stats.unknown_codes.cells:
            o = stats.unknown_codes
            raise ImplausibleValueError(
                f"{where} holds the code {int(o.value)} in {o.cells} cells, e.g. {at(o)}, but "
                f"its legend names only {sorted(stack.sources[name].legend or {})}. Add the "
                f"code to [layers.{name}] legend, or declare it as [layers.{name}] nodata.")


def value_facts(found: dict[str, LayerValues]) -> list[str]:
    """One line per continuous layer: its range and the share of cells with a value."""
    lines = []
    for name, stats in found.items():
        share = stats.valid / stats.cells if stats.cells else math.nan
        if stats.kind == "continuous" and stats.valid:
            lines.append(f"  {name}: {stats.minimum:g} … {stats.maximum:g}, mean "
                         f"{stats.mean:.4g}, values in {share:.1%} of the study area")
        else:
            lines.append(f"  {name}: values in {share:.1%} of the study area")
    return lines
