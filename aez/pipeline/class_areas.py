"""Zonal class areas of written class rasters: every crop in one tiled pass.

:func:`zonal_class_areas` reads the class rasters of any number of crops (e.g.
the ``<crop>_class.tif`` files of :func:`aez.pipeline.evaluate_stack`, or the
potential-class rasters) tile by tile, rasterizes the districts once per tile
and counts cells and area per district × class for all crops in one compiled
pass (:func:`aez.zonal.class_histograms`). Each raster is read once per tile
and the districts are never rasterized per crop. Counts are integers, so the
result is the same whatever the tile size or executor.

A cell belongs to the district that contains its centre and counts with its
whole area (:meth:`aez.grid.Grid.cell_area`, per row on a geographic grid);
``docs/zonal.md`` compares this with exactextract's coverage weighting.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
from rasterio.errors import RasterioError

from aez.errors import CRSError, DataSourceError, GridMismatchError
from aez.executor import ExecutorName, TileResult, run_tiles
from aez.grid import Grid, Tile
from aez.harmonize import StudyArea
from aez.io import open_raster
from aez.io.raster import PerThreadDatasets
from aez.zonal import N_CLASSES, ClassAreas, area_cm2_rows, class_histograms

__all__ = ["zonal_class_areas"]


class _ClassRasters(PerThreadDatasets):
    """The class rasters of a run, opened once per thread, read into one array per tile."""

    def __init__(self, paths: Mapping[str, Path], grid: Grid | None) -> None:
        self.paths = dict(paths)
        dtypes = []
        for name, path in self.paths.items():
            with open_raster(path) as src:
                here = Grid(src.crs, src.transform, (src.height, src.width)) if src.crs else None
                if grid is None:
                    grid = here
                if here is None or here != grid:
                    raise GridMismatchError(
                        f"Class raster {name!r} ({path}) is on {here!r}, not on the grid "
                        f"{grid!r} of the others. Class rasters must share one grid (the "
                        "run's); evaluate them on the same grid."
                    )
                if src.dtypes[0] not in ("uint8", "int8", "uint16", "int16", "int32"):
                    raise DataSourceError(
                        f"Class raster {name!r} ({path}) has pixel type {src.dtypes[0]}; "
                        "expected integer class codes (uint8 from the suitability stage)."
                    )
                dtypes.append(np.dtype(src.dtypes[0]))
        if grid is None:
            raise DataSourceError("No class rasters given; pass at least one path.")
        self.grid = grid
        self.dtype = np.result_type(*dtypes)
        self._local = threading.local()

    def read(self, tile: Tile) -> np.ndarray:
        """Read the tile of every raster, as one (rasters, rows, cols) array."""
        out = np.empty((len(self.paths), tile.height, tile.width), self.dtype)
        for i, (name, path) in enumerate(self.paths.items()):
            src = self._dataset(path)
            try:
                src.read(1, window=tile.window, out=out[i])
            except RasterioError as exc:
                raise DataSourceError(
                    f"Cannot read class raster {name!r} ({self.paths[name]}): {exc}"
                ) from exc
        return out


def zonal_class_areas(
    paths: Mapping[str, str | Path],
    study_area: StudyArea,
    *,
    grid: Grid | None = None,
    n_classes: int = N_CLASSES,
    tile_size: int = 1024,
    executor: ExecutorName = "serial",
    workers: int | None = None,
    scheduler: str | None = None,
    on_tile: Callable[[Tile], None] | None = None,
) -> dict[str, ClassAreas]:
    """Cells and hectares per district and class code of many class rasters, in one pass.

    Parameters
    ----------
    paths : mapping of str to path
        Name (crop id) → class raster (integer codes 0 … ``n_classes`` − 1).
        All must be on one grid.
    study_area : StudyArea
        The districts (kecamatan), in the grid CRS. A cell belongs to the
        district containing its centre; cells in none are not counted.
    grid : Grid, optional
        The grid the rasters must be on (default: the first raster's).
    n_classes : int, default 7
        Number of class codes (the suitability codes 0 nodata … 6 unknown).
    tile_size : int, default 1024
        Tile side in cells; memory grows with it and the number of rasters.
    executor, workers, scheduler, on_tile
        As for :func:`aez.executor.run_tiles`.

    Returns
    -------
    dict of str to ClassAreas
        Per name, ``cells`` and ``area_cm2`` of shape (districts, n_classes),
        districts in the study area's order.

    Raises
    ------
    CRSError
        If the districts are not in the rasters' CRS.
    GridMismatchError
        If the rasters are not on one grid.
    DataSourceError
        If a raster cannot be read, or holds a code that is not a class inside
        a district.
    """
    if not paths:
        raise DataSourceError("No class rasters given; pass at least one path.")
    rasters = _ClassRasters({name: Path(p) for name, p in paths.items()}, grid)
    grid = rasters.grid
    crs = study_area.districts.crs
    if crs is not None and not crs.equals(grid.crs.to_wkt()):
        raise CRSError(
            f"The districts are in {crs.to_string()}, the class rasters in "
            f"{grid.crs.to_string()}. Build the study area for this grid "
            "(StudyArea.read(..., grid_crs=grid.crs))."
        )
    rows = area_cm2_rows(grid)
    n_zones = len(study_area.districts)

    def count_tile(tile: Tile) -> TileResult:
        zones = study_area.rasterize(grid, tile.window)
        counts = class_histograms(zones, rasters.read(tile), n_zones=n_zones,
                                  n_classes=n_classes,
                                  area_cm2=rows[tile.row_off:tile.row_off + tile.height])
        return TileResult(totals={"cells": counts.cells, "area_cm2": counts.area_cm2,
                                  "invalid": counts.invalid})

    totals = run_tiles(count_tile, grid.tiles(tile_size), executor=executor, workers=workers,
                       scheduler=scheduler, on_tile=on_tile)
    names = list(rasters.paths)
    for i, name in enumerate(names):
        if totals["invalid"][i]:
            raise DataSourceError(
                f"Class raster {name!r} ({rasters.paths[name]}) has {int(totals['invalid'][i])} "
                f"cells inside the districts whose code is not a class 0 … {n_classes - 1}. "
                "Pass class rasters (e.g. <crop>_class.tif of the suitability stage)."
            )
    return {name: ClassAreas(name, totals["cells"][i], totals["area_cm2"][i])
            for i, name in enumerate(names)}
