"""A layer read straight from a data source (``source = "soilgrids"`` …), tile by tile.

:class:`ProviderSource` has the interface of :class:`aez.harmonize.sources.Source`
(``read``, ``footprint``, ``extent``, ``intersects``, ``describe``). For each
window of the analysis grid it reads the source's native cells under it
(with a few around, never outside :func:`~aez.harmonize.provided.study_window`),
converts them to the canonical characteristic, and warps them onto the
window exactly as :class:`~aez.harmonize.sources.RasterSource` warps the
GeoTIFF that ``aez sources import`` writes for the same study area, so both
give the same bytes. DEM tiles are read through their VRT mosaic, as the
imported ``.vrt`` is.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import numpy as np
import rasterio
import shapely
from pyproj import Transformer
from rasterio.io import MemoryFile
from rasterio.windows import Window
from shapely import box, segmentize
from shapely.geometry.base import BaseGeometry

from aez.errors import DataSourceError
from aez.grid import Grid
from aez.harmonize.provided import native_bounds, open_provided, study_window
from aez.harmonize.spec import LayerSpec
from aez.io.raster import (
    check_resampling,
    default_resampling,
    read_window,
    resampling_scale,
)
from aez.layer import CATEGORICAL_NODATA

__all__ = ["ProviderSource"]

#: Native cells read around each window (bilinear and cubic kernels need 1–2).
PAD_CELLS = 4


class _Place:
    """A CRS and a transform: what :func:`resampling_scale` reads of a dataset."""

    def __init__(self, crs: Any, transform: Any) -> None:
        self.crs, self.transform = crs, transform


class ProviderSource:
    """A layer spec with ``source = …``, bound to the analysis grid."""

    def __init__(self, spec: LayerSpec, grid: Grid) -> None:
        self.grid = grid
        self.provided = open_provided(
            str(spec.source), spec.provides, [spec.path],
            **{k: getattr(spec, k) for k in ("depth", "years", "aggregate")},
        )
        out = self.provided.output
        self.spec = replace(spec, kind=out.kind, units=out.units, legend=out.legend)
        self.legend = dict(out.legend) if out.legend else None
        self._method = check_resampling(
            spec.resampling or default_resampling(out.kind), out.kind, layer=spec.name
        )
        native = self.provided.grid
        self._clip = study_window(native, grid)
        self._local = threading.local()
        if self.provided.dataset is not None:
            self._warp_scale = resampling_scale(self._open(), grid)
        else:
            clip = self._clip or Window(0, 0, native.width, native.height)
            self._warp_scale = resampling_scale(
                _Place(native.crs, native.window_transform(clip)), grid)  # type: ignore[arg-type]

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_local", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._local = threading.local()

    def _open(self) -> Any:
        """Return this thread's handle on the DEM mosaic (VRT text)."""
        dataset = getattr(self._local, "dataset", None)
        if dataset is None or dataset.closed:
            try:
                dataset = self._local.dataset = rasterio.open(str(self.provided.dataset))
            except rasterio.errors.RasterioIOError as exc:
                raise DataSourceError(f"Layer {self.spec.name!r}: cannot open its tiles: {exc}"
                                      ) from exc
        return dataset

    def read(self, window: Window) -> np.ndarray:
        """Values of one grid window (float32 with NaN, or int32 with the sentinel)."""
        kind = self.spec.kind
        if self.provided.dataset is not None:
            return read_window(self._open(), self.grid, window, kind=kind,
                               resampling=self._method, warp_scale=self._warp_scale)
        fill = np.nan if kind == "continuous" else CATEGORICAL_NODATA
        dtype = np.dtype(np.float32 if kind == "continuous" else np.int32)
        native = self.provided.grid
        part = None
        if self._clip is not None:
            bounds = native_bounds(self.grid.crs, self.grid.window_grid(window).bounds, native)
            part = native.clip(bounds, pad=PAD_CELLS)
            if part is not None and _overlap(part, self._clip):
                part = part.intersection(self._clip)
            else:
                part = None
        if part is None:
            return np.full((int(window.height), int(window.width)), fill, dtype=dtype)
        values = self.provided.read(part)
        profile = {"driver": "GTiff", "width": int(part.width), "height": int(part.height),
                   "count": 1, "dtype": dtype.name, "crs": native.crs,
                   "transform": native.window_transform(part),
                   "nodata": float("nan") if kind == "continuous" else CATEGORICAL_NODATA}
        with MemoryFile() as memory:
            with memory.open(**profile) as dst:
                dst.write(values.astype(dtype, copy=False), 1)
            with memory.open() as src:
                return read_window(src, self.grid, window, kind=kind, resampling=self._method,
                                   warp_scale=self._warp_scale)

    def footprint(self) -> BaseGeometry:
        """Return the source's extent (within the study window) in the grid CRS."""
        native = self.provided.grid
        clip = self._clip or Window(0, 0, 0, 0)
        t = native.window_transform(clip)
        left, top = t.c, t.f
        right, bottom = left + t.a * clip.width, top + t.e * clip.height
        outline = box(left, bottom, right, top)
        if native.crs == self.grid.crs:
            return outline
        step = max(right - left, top - bottom) / 64 or 1.0
        dense = segmentize(outline, step)
        to_grid = Transformer.from_crs(native.crs.to_wkt(), self.grid.crs.to_wkt(),
                                       always_xy=True)
        return shapely.transform(
            dense, lambda xy: np.column_stack(to_grid.transform(xy[:, 0], xy[:, 1])))

    def extent(self) -> BaseGeometry:
        """Return the source's outline in the grid CRS."""
        return self.footprint()

    def intersects(self, area: BaseGeometry) -> bool:
        """Whether any of the source's data lies in ``area`` (grid CRS)."""
        return bool(self.extent().intersects(area))

    def describe(self) -> dict[str, Any]:
        """Describe the source for ``aez info``."""
        native = self.provided.grid
        epsg = native.crs.to_epsg()
        return {
            "source": f"{self.provided.source} ({self.provided.name})",
            "crs": f"EPSG:{epsg}" if epsg else native.crs.to_string(),
            "res": native.res,
            "dtype": "float32" if self.spec.kind == "continuous" else "int32",
            "bounds": native.bounds,
        }


def _overlap(a: Window, b: Window) -> bool:
    return bool(a.col_off < b.col_off + b.width and b.col_off < a.col_off + a.width
                and a.row_off < b.row_off + b.height and b.row_off < a.row_off + a.height)
