"""The layer stack: every input, read tile by tile onto one analysis grid."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from rasterio.windows import Window

from aez.characteristics import CHARACTERISTICS
from aez.checks import metric_res
from aez.errors import ConfigError, CoverageError
from aez.grid import Grid, Tile
from aez.harmonize.derivation_plan import closure, crop, grow, margins, resolve, sample
from aez.harmonize.sources import Source, VectorSource, open_source
from aez.harmonize.spec import DerivedSpec, LayerSpec, ScenarioLayerSpec
from aez.harmonize.study_area import StudyArea, build_grid, build_study_area
from aez.layer import Layer

__all__ = ["MONTHLY_SOURCES", "LayerStack", "TileData"]

#: Sources whose dry months are counted from monthly rainfall (a scenario recounts them).
MONTHLY_SOURCES = ("chirps", "worldclim")

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class TileData:
    """The stack's layers for one tile, on the tile's outer (halo) window.

    Index it by layer name to get a :class:`~aez.layer.Layer`.
    """

    tile: Tile
    grid: Grid
    layers: Mapping[str, Layer]
    district: np.ndarray | None = None

    def __getitem__(self, name: str) -> Layer:
        try:
            return self.layers[name]
        except KeyError:
            raise KeyError(
                f"No layer {name!r} in this tile; the stack has {list(self.layers)}."
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self.layers

    def core(self, name: str) -> np.ndarray:
        """Return the tile core of a layer's array (the halo cropped off)."""
        return self[name].data[self.tile.core]

    @property
    def in_study_area(self) -> np.ndarray:
        """Boolean array over the outer window: True inside the study area."""
        if self.district is None:
            return np.ones(self.grid.shape, dtype=bool)
        return self.district >= 0


class LayerStack:
    """All input layers of a run, read tile by tile onto one grid.

    Opening the stack checks every source (files, CRSs, kinds, bands) at
    once, so a bad input fails before any work starts.

    Derived layers (:class:`~aez.harmonize.spec.DerivedSpec`) are read like
    the others. Focal ones (slope, aspect) read their inputs one cell wider
    than the tile and crop the result, so tiles match the whole-grid result
    exactly; at the grid's edge they use input data beyond the grid where it
    exists. Point-wise ones (relief class, temperature) are computed per tile.
    Global ones (distance, travel time) are computed once, on the whole grid
    or on the coarser grid their ``resolution`` asks for, kept by the stack
    (one computation even when threads ask at once), and sampled per tile.
    They may depend on each other in any order without cycles.

    Parameters
    ----------
    grid : Grid
        The analysis grid.
    specs : sequence of LayerSpec or DerivedSpec
        The input layers, from files or derived from other layers.
    study_area : StudyArea, optional
        District polygons; cells outside them are outside the study area.
    min_coverage : float, default 0.99
        Minimum share of the study area (or of the grid, without one) that each
        layer must cover; below it :meth:`check_coverage` raises.

    Examples
    --------
    >>> from aez.testing import write_tiny_region
    >>> import tempfile
    >>> from aez.config import load_config
    >>> cfg = load_config(write_tiny_region(tempfile.mkdtemp()))
    >>> stack = LayerStack.from_config(cfg)
    >>> tile = next(stack.grid.tiles(64))
    >>> stack.read(tile)["dem"].units
    'm'
    """

    def __init__(
        self,
        grid: Grid,
        specs: Sequence[LayerSpec | DerivedSpec],
        *,
        study_area: StudyArea | None = None,
        min_coverage: float = 0.99,
    ) -> None:
        names = [s.name for s in specs]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ConfigError(f"Layer names must be unique; {duplicates} appear more than once.")
        if not 0 <= min_coverage <= 1:
            raise ConfigError(f"min_coverage = {min_coverage}; expected a share in [0, 1].")
        self.grid = grid
        self.study_area = study_area
        self.min_coverage = min_coverage
        districts = study_area.districts if study_area is not None else None
        self.sources: dict[str, Source] = {
            spec.name: open_source(spec, grid, districts)
            for spec in specs if isinstance(spec, LayerSpec)
        }
        self.derived: dict[str, DerivedSpec] = {
            spec.name: spec for spec in specs if isinstance(spec, DerivedSpec)
        }
        self._names = names
        for spec in self.derived.values():
            if spec.spec_method.metric:
                metric_res(grid, what=f"[layers.{spec.name}] method = \"{spec.method}\"")
        kinds: dict[str, str] = {n: s.spec.kind for n, s in self.sources.items()}
        kinds |= {n: d.kind for n, d in self.derived.items()}
        self._order = [*self.sources, *resolve(self.derived, {n: kinds[n] for n in names})]
        self._global: dict[str, Layer] = {}
        self._lock = threading.RLock()
        log.info("Opened %d layers (%d derived) on %r", len(names), len(self.derived), grid)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_lock", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.RLock()

    @classmethod
    def from_config(cls, config: Any) -> LayerStack:
        """Open the stack a :class:`~aez.config.RunConfig` describes.

        The replacement layers of its ``[scenarios.*]`` join the stack as
        ``<characteristic>@<scenario>``, in the characteristic's canonical units.
        When ``dry_months`` comes from a monthly climate source (CHIRPS,
        WorldClim), a scenario with a ``rainfall_change`` (and no ``dry_months``
        layer of its own) gets ``dry_months@<scenario>``: the dry months counted
        again from the changed monthly rainfall (:class:`ScenarioLayerSpec`).
        """
        study_area = build_study_area(config)
        grid = build_grid(config, study_area)
        scenarios = getattr(config, "scenarios", {})
        scenario_layers: list[LayerSpec] = [
            LayerSpec(name=f"{char}@{name}", path=path, role=f"{char}@{name}",
                      units=CHARACTERISTICS[char].units)
            for name, scenario in scenarios.items()
            for char, path in scenario.layers.items()]
        monthly = [spec for spec in config.layers.values()
                   if isinstance(spec, LayerSpec) and spec.provides == "dry_months"
                   and spec.source in MONTHLY_SOURCES]
        scenario_layers += [
            ScenarioLayerSpec(**{**{f.name: getattr(spec, f.name) for f in fields(spec)},
                                 "name": f"dry_months@{name}", "role": f"dry_months@{name}",
                                 "rainfall_change": scenario.rainfall_change})
            for spec in monthly for name, scenario in scenarios.items()
            if scenario.rainfall_change and "dry_months" not in scenario.layers]
        return cls(
            grid,
            [*config.layers.values(), *scenario_layers],
            study_area=study_area,
            min_coverage=config.run.min_coverage,
        )

    # -- description --------------------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        """Layer names (from files and derived), in declaration order."""
        return list(self._names)

    @property
    def specs(self) -> dict[str, LayerSpec]:
        """File layer specs by name (units filled in from the files where undeclared).

        Derived layers are in :attr:`derived`.
        """
        return {name: source.spec for name, source in self.sources.items()}

    @property
    def input_paths(self) -> list[Path]:
        """Every file the stack reads (outputs must never be one of them)."""
        return [source.spec.path for source in self.sources.values()]

    def _parts(self) -> np.ndarray:
        """Return the study area as an array of polygons: its kecamatan, or the grid footprint."""
        if self.study_area is not None:
            return np.asarray(self.study_area.districts.geometry.values, dtype=object)
        return np.asarray([self.grid.footprint()], dtype=object)

    def coverage(self) -> dict[str, float | None]:
        """Share of the study area each layer's extent covers (None: not applicable).

        Rasters count by their extent, polygon attribute layers and tables by
        their polygons. Presence layers (roads, rivers, markets) only have to
        touch the study area, and report None. A derived layer covers what
        the least covering of its inputs covers (None if none applies).

        No union of polygons is formed: an extent that holds the study area's
        bounding box covers it all; otherwise the covered area is summed over
        the kecamatan, which do not overlap; polygon layers are compared with
        the study area on a grid of at most 1024 cells a side
        (:meth:`~aez.harmonize.sources.Source.covered_share`).
        """
        parts = self._parts()
        areas = shapely.area(parts)
        result: dict[str, float | None] = {}
        for name, source in self.sources.items():
            result[name] = source.covered_share(parts, areas)
        for name in self._order[len(self.sources):]:
            shares = [r for s in self.derived[name].sources if (r := result[s]) is not None]
            result[name] = min(shares) if shares else None
        return {name: result[name] for name in self._names}

    def check_coverage(self) -> dict[str, float | None]:
        """Raise ``CoverageError`` for the first layer that covers too little.

        Returns the coverage of every layer when all pass.
        """
        area = self._parts()
        coverage = self.coverage()
        for name, share in coverage.items():
            if name in self.derived:  # its inputs are checked
                continue
            source = self.sources[name]
            touches = source.intersects(area)
            if touches and (share is None or share >= self.min_coverage):
                continue
            if not touches or not share:
                what = "does not overlap the study area at all"
            else:
                what = (f"covers only {share:.1%} of the study area (the minimum is "
                        f"{self.min_coverage:.0%}, run.min_coverage)")
            bounds = tuple(round(v, 6) for v in source.extent().bounds)
            raise CoverageError(
                f"Layer {name!r} ({source.spec.path}) {what}. Its bounds are {bounds} in "
                f"the grid CRS ({source.describe()['crs']} in its own); the grid's bounds are "
                f"{tuple(round(v, 6) for v in self.grid.bounds)}. Check the layer's CRS and "
                "extent, supply a layer that covers the study area, or lower "
                "run.min_coverage."
            )
        return coverage

    # -- reading ------------------------------------------------------------------------------

    def preparations(self) -> dict[str, Callable[[], None]]:
        """Return the one-off work of the layers whose first read does some, as tasks by name.

        Vector layers are rasterized over the whole grid on their first read
        (:class:`~aez.harmonize.burnt.BurntLayer`). Running these tasks up
        front, beside other work, saves the tiles from waiting for them.
        """
        return {name: source.prepare for name, source in self.sources.items()
                if isinstance(source, VectorSource)}

    def prepare_districts(self) -> None:
        """Rasterize the study area's district index over the grid now (see :meth:`read`)."""
        if self.study_area is not None:
            self.study_area.prepare(self.grid)

    def read(self, tile: Tile, names: Sequence[str] | None = None) -> TileData:
        """Read layers for one tile, on its outer window (core plus halo).

        Parameters
        ----------
        tile : Tile
            A tile of :attr:`grid` (from ``grid.tiles(size, halo=…)``).
        names : sequence of str, optional
            Layers to read (default: all).
        """
        window = tile.outer_window
        wgrid = self.grid.window_grid(window)
        wanted = list(names) if names is not None else self.names
        for name in wanted:
            if name not in self.sources and name not in self.derived:
                raise ConfigError(f"No layer {name!r}; the stack has {self.names}.")
        layers = self._read_window(window, wanted)
        district = self.study_area.rasterize(self.grid, window) if self.study_area else None
        return TileData(tile, wgrid, layers, district)

    def _read_window(self, window: Window, wanted: Sequence[str]) -> dict[str, Layer]:
        """Layers ``wanted`` on ``window``: inputs read wider where focal steps need it."""
        need = margins(wanted, self.derived)
        got: dict[str, Layer] = {}
        for name in self._order:
            if name not in need:
                continue
            margin = need[name]
            wider = grow(window, margin)
            if name in self.sources:
                source = self.sources[name]
                got[name] = Layer(
                    name,
                    source.read(wider),
                    self.grid.window_grid(wider),
                    units=source.spec.units,
                    kind=source.spec.kind,
                    legend=source.legend,
                    source=str(source.spec.path),
                )
            else:
                got[name] = self._derive(name, wider, margin, got, need)
        return {name: crop(got[name], need[name]) for name in wanted}

    def _derive(self, name: str, window: Window, margin: int, got: dict[str, Layer],
                need: dict[str, int]) -> Layer:
        spec = self.derived[name]
        method = spec.spec_method
        if method.scope == "global":
            whole = self._global_layer(name)
            return whole.replace(data=sample(whole, self.grid, window),
                                 grid=self.grid.window_grid(window))
        extra = 1 if method.scope == "focal" else 0
        inputs = {role: crop(got[source], need[source] - margin - extra)
                  for role, source in spec.inputs.items()}
        return crop(method.run(inputs, spec.options, name), extra)

    def prepare_global(self, names: Sequence[str] | None = None) -> list[str]:
        """Compute the global derived layers (e.g. travel time) now rather than on first read.

        Tiles read them afterwards without waiting; a run calls this once so that
        the time spent on them is its own stage. Returns the names computed.
        """
        wanted = self.names if names is None else list(names)
        found = [n for n in self._order if n in self.derived and n in
                 closure(wanted, self.derived) and self.derived[n].spec_method.scope == "global"]
        for name in found:
            self._global_layer(name)
        return found

    def _global_layer(self, name: str) -> Layer:
        """Get a global derived layer over the whole grid (or its coarser grid), computed once."""
        with self._lock:
            layer = self._global.get(name)
            if layer is None:
                layer = self._compute_global(name)
                self._global[name] = layer
            return layer

    def _compute_global(self, name: str) -> Layer:
        spec = self.derived[name]
        if spec.resolution is None or spec.resolution == max(self.grid.res):
            log.info("Computing %s on the whole grid %r", spec.describe(), self.grid)
            whole = Window(0, 0, self.grid.width, self.grid.height)
            layers = self._read_window(whole, list(dict.fromkeys(spec.sources)))
            inputs = {role: layers[source] for role, source in spec.inputs.items()}
            return spec.spec_method.run(inputs, spec.options, name)
        coarse = Grid.from_bounds(self.grid.bounds, resolution=spec.resolution,
                                  crs=self.grid.crs, snap=False)
        needed = closure(spec.sources, self.derived)
        specs: list[LayerSpec | DerivedSpec] = [
            self.sources[n].spec for n in self.sources if n in needed
        ]
        specs += [self.derived[n] for n in self._order if n in needed and n in self.derived]
        specs.append(replace(spec, resolution=None))
        log.info("Computing %s on a coarser grid %r", spec.describe(), coarse)
        sub = LayerStack(coarse, specs, study_area=self.study_area, min_coverage=0.0)
        return sub.read_layer(name)

    def read_layer(self, name: str) -> Layer:
        """One layer over the whole grid (convenient for small grids and tests)."""
        whole = Tile((0, 0), 0, 0, self.grid.height, self.grid.width)
        return self.read(whole, [name])[name]

