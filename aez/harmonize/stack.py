"""The layer stack: every input, read tile by tile onto one analysis grid."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from rasterio.windows import Window
from shapely.geometry.base import BaseGeometry

from aez.errors import AEZWarning, ConfigError, CoverageError, DataSourceError
from aez.grid import Grid, Tile
from aez.harmonize.sources import Source, burn, open_source
from aez.harmonize.spec import LayerSpec
from aez.io.vector import read_vector
from aez.layer import Layer

__all__ = ["LayerStack", "StudyArea", "TileData"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class StudyArea:
    """District polygons (kecamatan) that define the study area.

    Parameters
    ----------
    districts : GeoDataFrame
        One row per district, in the grid CRS, with valid geometries.
    id_column : str
        Column with each district's code.
    name_column : str, optional
        Column with each district's name.
    """

    districts: gpd.GeoDataFrame
    id_column: str
    name_column: str | None = None

    @classmethod
    def read(
        cls,
        path: str | Path,
        *,
        grid_crs: Any,
        id_column: str,
        name_column: str | None = None,
        layer: str | None = None,
    ) -> StudyArea:
        """Read district polygons, reproject them, and repair invalid geometries.

        Repaired districts are named in an ``AEZWarning``.
        """
        frame = read_vector(path, layer=layer)
        return cls.from_frame(frame, grid_crs=grid_crs, id_column=id_column,
                              name_column=name_column, origin=str(path))

    @classmethod
    def from_frame(
        cls,
        frame: gpd.GeoDataFrame,
        *,
        grid_crs: Any,
        id_column: str,
        name_column: str | None = None,
        origin: str = "study area",
    ) -> StudyArea:
        """Build a study area from a GeoDataFrame (see :meth:`read`)."""
        for column in (id_column, name_column):
            if column is not None and column not in frame.columns:
                raise ConfigError(
                    f"The study area ({origin}) has no column {column!r}; it has "
                    f"{[c for c in frame.columns if c != 'geometry']}. Set id_column/name_column "
                    "in [study_area]."
                )
        frame = frame[~(frame.geometry.isna() | frame.geometry.is_empty)].copy()
        if frame.empty:
            raise DataSourceError(f"The study area ({origin}) has no polygons.")
        if frame[id_column].duplicated().any():
            dup = frame.loc[frame[id_column].duplicated(), id_column].iloc[0]
            raise DataSourceError(
                f"The study area ({origin}) has the district code {dup!r} more than once in "
                f"{id_column!r}; codes must be unique."
            )
        invalid = ~frame.geometry.is_valid
        if invalid.any():
            label = name_column or id_column
            names = ", ".join(map(str, frame.loc[invalid, label]))
            frame.loc[invalid, "geometry"] = shapely.make_valid(frame.geometry[invalid].values)
            frame["geometry"] = frame.geometry.apply(_polygonal_part)
            warnings.warn(
                f"Repaired {int(invalid.sum())} invalid district geometries with make_valid: "
                f"{names}.",
                AEZWarning,
                stacklevel=3,
            )
        frame = frame.to_crs(grid_crs.to_wkt() if hasattr(grid_crs, "to_wkt") else grid_crs)
        return cls(frame.reset_index(drop=True), id_column, name_column)

    @cached_property
    def geometry(self) -> BaseGeometry:
        """Union of all districts (computed once)."""
        return self.districts.geometry.union_all()

    def rasterize(self, grid: Grid, window: Window) -> np.ndarray:
        """District index (0 … n-1) of each cell, by the cell-centre rule; -1 outside."""
        frame = self.districts
        index = np.arange(len(frame), dtype=np.int32)
        return burn(frame.geometry.values, index, frame.sindex, grid, window,
                    fill=-1, dtype=np.int32)


def _polygonal_part(geometry: BaseGeometry) -> BaseGeometry:
    """Keep the polygons of a GeometryCollection that make_valid may return."""
    if geometry.geom_type == "GeometryCollection":
        parts = [g for g in geometry.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.union_all(parts)
    return geometry


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
        """The tile core of a layer's array (the halo cropped off)."""
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

    Parameters
    ----------
    grid : Grid
        The analysis grid.
    specs : sequence of LayerSpec
        The input layers.
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
        specs: Sequence[LayerSpec],
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
            spec.name: open_source(spec, grid, districts) for spec in specs
        }
        log.info("Opened %d layers on %r", len(self.sources), grid)

    @classmethod
    def from_config(cls, config: Any) -> LayerStack:
        """Open the stack a :class:`~aez.config.RunConfig` describes."""
        from aez.config import build_grid, build_study_area

        study_area = build_study_area(config)
        grid = build_grid(config, study_area)
        return cls(
            grid,
            list(config.layers.values()),
            study_area=study_area,
            min_coverage=config.run.min_coverage,
        )

    # -- description --------------------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        """Layer names, in declaration order."""
        return list(self.sources)

    @property
    def specs(self) -> dict[str, LayerSpec]:
        """Layer specs by name (units filled in from the files where undeclared)."""
        return {name: source.spec for name, source in self.sources.items()}

    @property
    def input_paths(self) -> list[Path]:
        """Every file the stack reads (outputs must never be one of them)."""
        return [source.spec.path for source in self.sources.values()]

    def _area(self) -> BaseGeometry:
        if self.study_area is not None:
            return self.study_area.geometry
        return self.grid.footprint()

    def coverage(self) -> dict[str, float | None]:
        """Share of the study area each layer's extent covers (None: not applicable).

        Rasters count by their extent, polygon attribute layers and tables by
        their polygons. Presence layers (roads, rivers, markets) only have to
        touch the study area, and report None.
        """
        area = self._area()
        result: dict[str, float | None] = {}
        for name, source in self.sources.items():
            footprint = source.footprint()
            if footprint is None:
                result[name] = None
            else:
                result[name] = float(footprint.intersection(area).area / area.area)
        return result

    def check_coverage(self) -> dict[str, float | None]:
        """Raise ``CoverageError`` for the first layer that covers too little.

        Returns the coverage of every layer when all pass.
        """
        area = self._area()
        coverage = self.coverage()
        for name, share in coverage.items():
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
        layers: dict[str, Layer] = {}
        for name in names if names is not None else self.names:
            source = self.sources.get(name)
            if source is None:
                raise ConfigError(f"No layer {name!r}; the stack has {self.names}.")
            spec = source.spec
            layers[name] = Layer(
                name,
                source.read(window),
                wgrid,
                units=spec.units,
                kind=spec.kind,
                legend=source.legend,
                source=str(spec.path),
            )
        district = self.study_area.rasterize(self.grid, window) if self.study_area else None
        return TileData(tile, wgrid, layers, district)

    def read_layer(self, name: str) -> Layer:
        """One layer over the whole grid (convenient for small grids and tests)."""
        whole = Tile((0, 0), 0, 0, self.grid.height, self.grid.width)
        return self.read(whole, [name])[name]
