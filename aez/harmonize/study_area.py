"""The study area (kecamatan polygons) and the analysis grid a run config describes."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import shapely
from rasterio.windows import Window
from shapely.geometry.base import BaseGeometry

from aez.errors import AEZWarning, ConfigError, DataSourceError, GeometryError
from aez.grid import Grid, as_crs, utm_for
from aez.harmonize.burnt import BurntLayer
from aez.harmonize.sources import burn
from aez.io.raster import read_grid
from aez.io.vector import read_vector

if TYPE_CHECKING:
    from aez.config import RunConfig

__all__ = ["StudyArea", "build_grid", "build_study_area", "check_districts"]


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
    _burnt: dict[Grid, BurntLayer] = field(default_factory=dict, init=False, repr=False)

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
        check_districts(frame, id_column=id_column, origin=origin)
        frame = frame.copy()
        if frame[id_column].duplicated().any():
            dup = frame.loc[frame[id_column].duplicated(), id_column].iloc[0]
            raise DataSourceError(
                f"The study area ({origin}) has the district code {dup!r} more than once in "
                f"{id_column!r}; codes must be unique. Fix the rows, or set [study_area] "
                "id_column to a column of unique codes."
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
        """District index (0 … n-1) of each cell, by the cell-centre rule; -1 outside.

        The districts are burnt over the whole of ``grid`` on its first window
        and read back from a scratch file afterwards
        (:class:`~aez.harmonize.burnt.BurntLayer`).
        """
        return self._burnt_on(grid).read(window)

    def prepare(self, grid: Grid) -> None:
        """Burn the district index over ``grid`` now rather than on its first window."""
        self._burnt_on(grid).prepare()

    def _burnt_on(self, grid: Grid) -> BurntLayer:
        burnt = self._burnt.get(grid)
        if burnt is None:
            fresh = BurntLayer(partial(self.burn, grid), grid, dtype=np.int32, name="districts",
                               span=(-1, len(self.districts) - 1))
            burnt = self._burnt.setdefault(grid, fresh)  # one per grid, whichever thread wins
        return burnt

    def burn(self, grid: Grid, window: Window) -> np.ndarray:
        """District index of each cell of one window, burnt directly (see :meth:`rasterize`)."""
        frame = self.districts
        index = np.arange(len(frame), dtype=np.int32)
        return burn(frame.geometry.values, index, frame.sindex, grid, window,
                    fill=-1, dtype=np.int32)


def check_districts(frame: gpd.GeoDataFrame, *, id_column: str, origin: str) -> None:
    """Refuse district polygons a run cannot use, naming the first bad row.

    Raises
    ------
    GeometryError
        No rows; a null or empty geometry; a point or line among the polygons;
        coordinates that look like latitude and longitude swapped.
    DataSourceError
        A null district code.
    """
    if frame.empty:
        raise GeometryError(f"The study area ({origin}) has no polygons. Set [study_area] path "
                            "to the kecamatan boundaries.")
    where = f"The study area ({origin})"

    def row(i: int) -> str:
        return f"row {i + 1} ({id_column} = {frame[id_column].iloc[i]!r})"

    geometry = frame.geometry
    empty = np.flatnonzero((geometry.isna() | geometry.is_empty).to_numpy())
    if empty.size:
        raise GeometryError(f"{where} has {empty.size} district(s) without a geometry, e.g. "
                            f"{row(int(empty[0]))}. Draw their boundary or delete the rows, "
                            "then set [study_area] path to the fixed file.")
    kinds = geometry.geom_type.to_numpy()
    other = np.flatnonzero(~np.isin(kinds, ["Polygon", "MultiPolygon"]))
    if other.size:
        raise GeometryError(f"{where}: {row(int(other[0]))} is a {kinds[other[0]]}, not a "
                            "polygon; districts must be polygons. Remove the stray feature, "
                            "or set [study_area] layer to the polygon layer.")
    codes = frame[id_column]
    missing = np.flatnonzero(codes.isna().to_numpy() | (codes.astype(str).str.strip() == ""))
    if missing.size:
        raise DataSourceError(f"{where} has {missing.size} district(s) without a code in "
                              f"{id_column!r}, e.g. row {int(missing[0]) + 1}. Fill in the "
                              "codes, or set [study_area] id_column to a complete column.")
    crs = frame.crs
    if crs is not None and crs.is_geographic:
        left, bottom, right, top = geometry.total_bounds
        if bottom < -90 or top > 90:
            raise GeometryError(
                f"{where} is in {crs.to_string()} but its y coordinates run "
                f"{bottom:g} … {top:g}, beyond the ±90° of latitude: x and y look swapped "
                f"(x runs {left:g} … {right:g}). Write the file with x = longitude, "
                "y = latitude.")


def _polygonal_part(geometry: BaseGeometry) -> BaseGeometry:
    """Keep the polygons of a GeometryCollection that make_valid may return."""
    if geometry.geom_type == "GeometryCollection":
        parts = [g for g in geometry.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.union_all(parts)
    return geometry




def build_study_area(config: RunConfig) -> StudyArea | None:
    """Read the configured study area, in the grid CRS (None if none is configured)."""
    sa = config.study_area
    if sa is None:
        return None
    frame = read_vector(sa.path, layer=sa.layer)
    crs = _grid_crs(config, frame)
    return StudyArea.from_frame(
        frame, grid_crs=crs, id_column=sa.id_column, name_column=sa.name_column,
        origin=str(sa.path),
    )


def _grid_crs(config: RunConfig, frame: Any = None) -> Any:
    if config.grid.reference is not None:
        return read_grid(config.grid.reference).crs
    if config.grid.crs != "auto":
        return as_crs(config.grid.crs, what="[grid] crs")
    if frame is None:
        raise ConfigError(
            "[grid] crs = \"auto\" picks the UTM zone of the study area, but there is no "
            "[study_area]. Set crs to an EPSG code such as \"EPSG:32750\"."
        )
    return utm_for(frame)


def build_grid(config: RunConfig, study_area: StudyArea | None = None) -> Grid:
    """Build the analysis grid a config describes."""
    g = config.grid
    if g.reference is not None:
        return read_grid(g.reference)
    if g.bounds is not None:
        crs = study_area.districts.crs if study_area is not None else _grid_crs(config)
        return Grid.from_bounds(g.bounds, resolution=g.resolution, crs=crs)
    if study_area is None:
        raise ConfigError(
            "The grid needs an extent: give [grid] bounds, [grid] reference, or a [study_area]."
        )
    return Grid.from_vector(study_area.districts, resolution=g.resolution,
                            crs=study_area.districts.crs)
