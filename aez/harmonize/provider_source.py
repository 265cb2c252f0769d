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
from rasterio.crs import CRS
from rasterio.io import MemoryFile
from rasterio.windows import Window
from shapely import box, segmentize
from shapely.geometry.base import BaseGeometry

from aez.errors import DataSourceError
from aez.grid import Grid
from aez.harmonize.coverage import covered_share
from aez.harmonize.provided import open_provided, study_window
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
        self.provided = open_provided(  # a scenario's copy provides "<id>@<scenario>"
            str(spec.source), spec.provides.partition("@")[0], [spec.path],
            rainfall_change=getattr(spec, "rainfall_change", 0.0),
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
        # Tiles never touch the shared CRS objects (see aez.io.raster.thread_crs).
        self._wkt = (grid.crs.to_wkt(), native.crs.to_wkt())
        self._same_crs = bool(native.crs == grid.crs)
        if self.provided.dataset is not None:
            self._warp_scale = resampling_scale(self._open(), grid)
        else:
            clip = self._clip or Window(0, 0, native.width, native.height)
            self._warp_scale = resampling_scale(
                _Place(native.crs, native.window_transform(clip)), grid)  # type: ignore[arg-type]

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_handles", None)
        state.pop("_transformers", None)
        state.pop("_crs_copies", None)
        return state

    def _open(self) -> Any:
        """Return this thread's handle on the DEM mosaic (VRT text).

        Handles are kept by the object, per thread, and never closed as a thread
        exits (see :class:`aez.io.raster.PerThreadDatasets`).
        """
        handles = self.__dict__.get("_handles")
        if handles is None:
            handles = self.__dict__.setdefault("_handles", {})
        dataset = handles.get(threading.get_ident())
        if dataset is None or dataset.closed:
            try:
                dataset = rasterio.open(str(self.provided.dataset))
            except rasterio.errors.RasterioIOError as exc:
                raise DataSourceError(f"Layer {self.spec.name!r}: cannot open its tiles: {exc}"
                                      ) from exc
            handles[threading.get_ident()] = dataset
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
            part = native.clip(self._native_bounds(window), pad=PAD_CELLS)
            if part is not None and _overlap(part, self._clip):
                part = part.intersection(self._clip)
            else:
                part = None
        if part is None:
            return np.full((int(window.height), int(window.width)), fill, dtype=dtype)
        values = self.provided.read(part)
        profile = {"driver": "GTiff", "width": int(part.width), "height": int(part.height),
                   "count": 1, "dtype": dtype.name, "crs": self._native_crs(),
                   "transform": native.window_transform(part),
                   "nodata": float("nan") if kind == "continuous" else CATEGORICAL_NODATA}
        with MemoryFile() as memory:
            with memory.open(**profile) as dst:
                dst.write(values.astype(dtype, copy=False), 1)
            with memory.open() as src:
                return read_window(src, self.grid, window, kind=kind, resampling=self._method,
                                   warp_scale=self._warp_scale)

    def _native_crs(self) -> CRS:
        """Return this thread's own copy of the native CRS (made from its WKT)."""
        copies = self.__dict__.get("_crs_copies")
        if copies is None:
            copies = self.__dict__.setdefault("_crs_copies", {})
        crs = copies.get(threading.get_ident())
        if crs is None:
            crs = copies[threading.get_ident()] = CRS.from_wkt(self._wkt[1])
        return crs

    def _native_bounds(self, window: Window) -> tuple[float, float, float, float]:
        """Return a grid window's bounds in the native CRS (this thread's transformer)."""
        t = self.grid.transform
        left = t.c + t.a * window.col_off
        top = t.f + t.e * window.row_off
        right, bottom = left + t.a * window.width, top + t.e * window.height
        if self._same_crs:
            return left, bottom, right, top
        transformers = self.__dict__.get("_transformers")
        if transformers is None:
            transformers = self.__dict__.setdefault("_transformers", {})
        to_native = transformers.get(threading.get_ident())
        if to_native is None:
            to_native = transformers[threading.get_ident()] = Transformer.from_crs(
                *self._wkt, always_xy=True)
        n = 21
        xs = np.concatenate([np.linspace(left, right, n), np.full(n, right),
                             np.linspace(right, left, n), np.full(n, left)])
        ys = np.concatenate([np.full(n, top), np.linspace(top, bottom, n),
                             np.full(n, bottom), np.linspace(bottom, top, n)])
        nx, ny = (np.asarray(v) for v in to_native.transform(xs, ys))
        ok = np.isfinite(nx) & np.isfinite(ny)
        return float(nx[ok].min()), float(ny[ok].min()), float(nx[ok].max()), float(ny[ok].max())

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

    def intersects(self, area: BaseGeometry | np.ndarray) -> bool:
        """Return whether any of the source's data lies in ``area`` (grid CRS, or parts)."""
        return bool(np.any(shapely.intersects(self.extent(), area)))

    def covered_share(self, parts: np.ndarray, areas: np.ndarray) -> float | None:
        """Return the share (0–1) of the study area (``parts``, their ``areas``) the data cover."""
        return covered_share(self.footprint(), parts, areas)

    def describe(self) -> dict[str, Any]:
        """Describe the source for ``aez info``."""
        native = self.provided.grid
        epsg = native.crs.to_epsg()
        return {
            "source": f"{self.provided.source} ({self.provided.name})",
            "crs": f"EPSG:{epsg}" if epsg else (native.crs.to_proj4() or native.crs.to_string()),
            "res": native.res,
            "dtype": "float32" if self.spec.kind == "continuous" else "int32",
            "bounds": native.bounds,
        }


def _overlap(a: Window, b: Window) -> bool:
    return bool(a.col_off < b.col_off + b.width and b.col_off < a.col_off + a.width
                and a.row_off < b.row_off + b.height and b.row_off < a.row_off + a.height)
