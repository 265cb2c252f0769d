"""Reading rasters, whole or one window at a time, onto an analysis grid."""

from __future__ import annotations

import json
import math
import threading
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from affine import Affine
from pyproj import Transformer
from rasterio.enums import Resampling
from rasterio.errors import RasterioIOError
from rasterio.io import DatasetReader
from rasterio.vrt import WarpedVRT
from rasterio.windows import Window

from aez.errors import ConfigError, CRSError, DataSourceError, LayerKindError
from aez.grid import Grid
from aez.layer import CATEGORICAL_NODATA, Kind, Layer

__all__ = [
    "CATEGORICAL_RESAMPLING",
    "RESAMPLING",
    "PerThreadDatasets",
    "default_resampling",
    "open_raster",
    "read_grid",
    "read_layer",
    "read_window",
    "resampling_scale",
]

#: Resampling methods a layer may declare (rasterio/GDAL names).
RESAMPLING: tuple[str, ...] = (
    "nearest", "bilinear", "cubic", "cubic_spline", "lanczos", "average", "mode",
    "min", "max", "med", "q1", "q3", "sum", "rms",
)
#: Error tolerance of the warp transformer, in source cells: small enough that
#: every cell's source position is computed exactly (0 is not accepted).
_EXACT_TOLERANCE = 1e-9

#: The only methods that keep class codes intact.
CATEGORICAL_RESAMPLING: tuple[str, ...] = ("nearest", "mode")


def default_resampling(kind: Kind) -> str:
    """``"bilinear"`` for continuous layers, ``"nearest"`` for categorical ones."""
    return "bilinear" if kind == "continuous" else "nearest"


def check_resampling(name: str, kind: Kind, *, layer: str) -> Resampling:
    """Validate a resampling name for a layer kind and return the rasterio enum."""
    if name not in RESAMPLING:
        raise ConfigError(
            f"Layer {layer!r}: resampling {name!r} is unknown; expected one of "
            f"{', '.join(RESAMPLING)}."
        )
    if kind == "categorical" and name not in CATEGORICAL_RESAMPLING:
        raise LayerKindError(
            f"Layer {layer!r} is categorical but declares resampling {name!r}, which would "
            f"invent class codes. Use one of {', '.join(CATEGORICAL_RESAMPLING)}."
        )
    return Resampling[name]


class PerThreadDatasets:
    """Mixin: rasters opened once per thread (GDAL handles are not thread-safe).

    Subclasses set ``self._local = threading.local()`` in ``__init__`` and call
    :meth:`_dataset`; the open handles are left out when the object is pickled
    for process or dask workers, which reopen them.
    """

    _local: threading.local

    def _dataset(self, path: str | Path) -> DatasetReader:
        """Return this thread's open handle on ``path``."""
        datasets = getattr(self._local, "datasets", None)
        if datasets is None:
            datasets = self._local.datasets = {}
        dataset = datasets.get(path)
        if dataset is None or dataset.closed:
            dataset = datasets[path] = open_raster(path)
        return dataset

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_local", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._local = threading.local()


def open_raster(path: str | Path) -> DatasetReader:
    """Open a raster for reading, turning every GDAL failure into ``DataSourceError``.

    Parameters
    ----------
    path : str or Path
        A local file, or a GDAL virtual path (``/vsizip/…``, ``/vsicurl/…``).
    """
    text = str(path)
    if not text.startswith("/vsi") and "://" not in text and not Path(text).exists():
        raise DataSourceError(
            f"Raster file {text} does not exist. Check the path (relative paths in a config "
            "are resolved against the config file's folder)."
        )
    try:
        return rasterio.open(text)
    except RasterioIOError as exc:
        raise DataSourceError(f"Cannot read raster {text}: {exc}") from exc


def read_grid(path: str | Path) -> Grid:
    """Return the grid (CRS, transform, shape) of a raster file.

    Raises
    ------
    DataSourceError
        If the file cannot be opened.
    CRSError
        If the raster has no CRS.
    """
    with open_raster(path) as src:
        return Grid.from_dataset(src)


def read_window(
    src: DatasetReader,
    grid: Grid,
    window: Window,
    *,
    band: int = 1,
    kind: Kind = "continuous",
    resampling: Resampling = Resampling.bilinear,
    src_nodata: float | None = None,
    scale: float = 1.0,
    offset: float = 0.0,
    sentinel: int = CATEGORICAL_NODATA,
    warp_scale: tuple[float, float] | None = None,
) -> np.ndarray:
    """Read one window of ``grid`` from an open raster, warping when needed.

    The window may reach outside the grid; cells the raster does not cover
    are nodata. A raster that is already on the grid (same CRS and cell size,
    whole-cell offset) is read directly; any other raster is warped with
    through a ``WarpedVRT`` with an exact (non-approximated) transformer,
    so each cell depends only on its own position and not on the window.

    Parameters
    ----------
    src : rasterio dataset
    grid : Grid
        The analysis grid.
    window : rasterio.windows.Window
        Window of ``grid`` to fill.
    band : int
        1-based band index.
    kind : {"continuous", "categorical"}
        Continuous output is float32 with NaN for nodata, after
        ``value * scale + offset``. Categorical output is int32 with
        ``sentinel`` for nodata.
    resampling : rasterio.enums.Resampling
    src_nodata : float, optional
        Source nodata value; defaults to the raster's own.
    warp_scale : (float, float), optional
        Destination cells per source cell (x, y), fixed for the whole grid, so
        that down-sampling kernels do not vary from window to window. See
        :func:`resampling_scale`.

    Returns
    -------
    numpy.ndarray
        ``(window.height, window.width)`` array.
    """
    height, width = int(window.height), int(window.width)
    if src_nodata is None:
        src_nodata = src.nodatavals[band - 1]
    float_source = np.dtype(src.dtypes[band - 1]).kind == "f"
    work_dtype: np.dtype[Any]
    fill: float
    if kind == "continuous":
        work_dtype, fill = np.dtype(np.float32), np.nan
    elif float_source:
        work_dtype, fill = np.dtype(np.float64), np.nan
    else:
        work_dtype, fill = np.dtype(np.int32), sentinel
    aligned = _aligned_offset(src, grid)
    if aligned is not None:
        work = _read_aligned(src, band, window, aligned, work_dtype, fill)
    elif _overlaps(src, grid, window):
        work = _warp(src, band, grid, window, work_dtype, fill, resampling, src_nodata,
                     warp_scale)
    else:
        work = np.full((height, width), fill, dtype=work_dtype)

    nodata_cells = _equal_to(work, src_nodata)
    if kind == "continuous":
        if nodata_cells is not None:
            work[nodata_cells] = np.nan
        if scale != 1.0:
            work *= np.float32(scale)
        if offset != 0.0:
            work += np.float32(offset)
        return work
    if not float_source:
        if nodata_cells is not None:
            work[nodata_cells] = sentinel
        return work
    valid = ~np.isnan(work)
    if nodata_cells is not None:
        valid &= ~nodata_cells
    codes = work[valid]
    if codes.size and not np.array_equal(codes, np.round(codes)):
        bad = codes[codes != np.round(codes)][0]
        raise LayerKindError(
            f"Categorical raster {src.name} holds a non-integer value ({bad}); class codes "
            "must be whole numbers. Declare the layer continuous, or fix the file."
        )
    out = np.full(work.shape, sentinel, dtype=np.int32)
    out[valid] = codes.astype(np.int32)
    return out


def _equal_to(work: np.ndarray, value: float | None) -> np.ndarray | None:
    """Cells equal to a nodata value, or None when the value cannot occur in ``work``."""
    if value is None or math.isnan(value):
        return None
    if work.dtype.kind in "iu":
        info = np.iinfo(work.dtype)
        if value != int(value) or not info.min <= value <= info.max:
            return None  # e.g. -9999.5 or 1e20 cannot occur in an integer array
    return work == work.dtype.type(value)


def _warp(
    src: DatasetReader,
    band: int,
    grid: Grid,
    window: Window,
    dtype: np.dtype,
    fill: float,
    resampling: Resampling,
    src_nodata: float | None,
    warp_scale: tuple[float, float] | None,
) -> np.ndarray:
    """Warp the raster onto one window with an (effectively) exact transformer.

    ``rasterio.warp.reproject`` always approximates the coordinate
    transformation to 1/8 of a source cell over each warped chunk, so its
    output depends on how the grid is cut into windows. A ``WarpedVRT`` with
    a vanishing error tolerance computes each cell's source position on its
    own, and a fixed ``XSCALE``/``YSCALE`` pins the down-sampling kernel, so
    a cell gets the same value whatever window it is read in.
    """
    extras: dict[str, Any] = {}
    if warp_scale is not None:
        extras = {"XSCALE": repr(warp_scale[0]), "YSCALE": repr(warp_scale[1])}
    with WarpedVRT(
        src,
        crs=grid.crs,
        transform=grid.transform @ Affine.translation(window.col_off, window.row_off),
        width=int(window.width),
        height=int(window.height),
        resampling=resampling,
        tolerance=_EXACT_TOLERANCE,
        src_nodata=src_nodata,
        nodata=fill,
        dtype=dtype.name,
        **extras,
    ) as vrt:
        return vrt.read(band, out_dtype=dtype)


def _aligned_offset(src: DatasetReader, grid: Grid) -> tuple[int, int] | None:
    """(row, col) offset of the grid in the raster if they share cells, else None."""
    t, g = src.transform, grid.transform
    if src.crs is None or src.crs != grid.crs:
        return None
    if t.b != 0 or t.d != 0 or not math.isclose(t.a, g.a, rel_tol=1e-9) or not math.isclose(
        t.e, g.e, rel_tol=1e-9
    ):
        return None
    col = (g.c - t.c) / t.a
    row = (g.f - t.f) / t.e
    if abs(col - round(col)) > 1e-6 or abs(row - round(row)) > 1e-6:
        return None
    return round(row), round(col)


def _read_aligned(
    src: DatasetReader,
    band: int,
    window: Window,
    offset: tuple[int, int],
    dtype: np.dtype[Any],
    fill: float,
) -> np.ndarray:
    """Read a window of a raster that shares the grid's cells; uncovered cells get ``fill``."""
    height, width = int(window.height), int(window.width)
    row0 = int(window.row_off) + offset[0]
    col0 = int(window.col_off) + offset[1]
    r0, c0 = max(row0, 0), max(col0, 0)
    r1 = min(row0 + height, src.height)
    c1 = min(col0 + width, src.width)
    inside = Window(c0, r0, c1 - c0, r1 - r0)
    if (r0, c0, r1, c1) == (row0, col0, row0 + height, col0 + width):
        return src.read(band, window=inside, out_dtype=dtype)
    out = np.full((height, width), fill, dtype=dtype)
    if r1 > r0 and c1 > c0:
        out[r0 - row0 : r1 - row0, c0 - col0 : c1 - col0] = src.read(
            band, window=inside, out_dtype=dtype
        )
    return out


def _overlaps(src: DatasetReader, grid: Grid, window: Window) -> bool:
    """Whether the window's footprint, in the raster's CRS, touches the raster."""
    from rasterio.warp import transform_bounds

    left, bottom, right, top = grid.window_grid(window).bounds
    try:
        l2, b2, r2, t2 = transform_bounds(
            grid.crs, src.crs, left, bottom, right, top, densify_pts=21
        )
    except Exception:
        return True
    sl, sb, sr, st = src.bounds
    return not (r2 < sl or l2 > sr or t2 < sb or b2 > st)


def resampling_scale(src: DatasetReader, grid: Grid) -> tuple[float, float]:
    """Destination cells per source cell along x and y, at the grid's centre.

    GDAL computes this ratio per warped chunk; fixing it for the whole grid
    makes down-sampling kernels, and so the output, independent of tiling.
    """
    left, bottom, right, top = grid.bounds
    cx, cy = (left + right) / 2, (bottom + top) / 2
    dx, dy = grid.res
    to_src = Transformer.from_crs(grid.crs.to_wkt(), src.crs.to_wkt(), always_xy=True)
    xs, ys = to_src.transform([cx, cx + dx, cx], [cy, cy, cy - dy])
    inverse = ~src.transform
    cols, rows = zip(*(inverse @ (x, y) for x, y in zip(xs, ys, strict=True)), strict=True)
    span_x = math.hypot(cols[1] - cols[0], rows[1] - rows[0])
    span_y = math.hypot(cols[2] - cols[0], rows[2] - rows[0])
    if not (span_x > 0 and span_y > 0 and math.isfinite(span_x * span_y)):
        return (1.0, 1.0)
    return (1.0 / span_x, 1.0 / span_y)


def read_layer(
    path: str | Path,
    *,
    name: str | None = None,
    band: int = 1,
    kind: Kind = "continuous",
    units: str | None = None,
    grid: Grid | None = None,
    resampling: str | None = None,
    nodata: float | None = None,
    legend: dict[int, str] | None = None,
) -> Layer:
    """Read one band of a raster file into a :class:`~aez.layer.Layer`.

    Parameters
    ----------
    path : str or Path
        Raster file.
    name : str, optional
        Layer name; defaults to the file's stem.
    band : int, default 1
        1-based band index.
    kind : {"continuous", "categorical"}
        Continuous layers become float32 with NaN for nodata; categorical ones
        int32 with ``-1`` for nodata.
    units : str, optional
        Units; defaults to the band's GDAL unit type or ``AEZ_UNITS`` tag.
    grid : Grid, optional
        Warp onto this grid (default: the raster's own grid).
    resampling : str, optional
        Warping method; defaults to bilinear (continuous) or nearest
        (categorical).
    nodata : float, optional
        Override the raster's nodata value.
    legend : dict, optional
        Class code → label for categorical layers.

    Raises
    ------
    DataSourceError
        If the file is missing or unreadable.
    CRSError
        If the raster has no CRS.
    LayerKindError
        If the declared kind contradicts the data.
    """
    path = Path(path)
    name = name or path.stem
    method = check_resampling(resampling or default_resampling(kind), kind, layer=name)
    with open_raster(path) as src:
        check_band(src, band, layer=name, path=path)
        if src.crs is None:
            raise CRSError(
                f"Layer {name!r} ({path}) has no CRS. Assign one to the file (gdal_edit.py "
                "-a_srs EPSG:xxxx) or declare crs for the layer."
            )
        check_kind(src, band, kind, layer=name, path=path, legend=legend)
        if legend is None and kind == "categorical" and "AEZ_LEGEND" in src.tags():
            legend = {int(k): v for k, v in json.loads(src.tags()["AEZ_LEGEND"]).items()}
        target = grid or Grid(src.crs, src.transform, (src.height, src.width))
        window = Window(0, 0, target.width, target.height)
        data = read_window(
            src,
            target,
            window,
            band=band,
            kind=kind,
            resampling=method,
            src_nodata=nodata,
            scale=src.scales[band - 1] if kind == "continuous" else 1.0,
            offset=src.offsets[band - 1] if kind == "continuous" else 0.0,
            warp_scale=None if grid is None else resampling_scale(src, target),
        )
        if units is None:
            units = band_units(src, band)
    return Layer(name, data, target, units=units, kind=kind, legend=legend, source=str(path))


def band_units(src: DatasetReader, band: int) -> str:
    """Return a band's units: GDAL's unit type, else aez's ``AEZ_UNITS`` tag, else ``""``."""
    return str(src.units[band - 1] or src.tags(band).get("AEZ_UNITS", ""))


def check_band(src: DatasetReader, band: int, *, layer: str, path: str | Path) -> None:
    """Refuse a band index the raster does not have."""
    if not 1 <= band <= src.count:
        raise ConfigError(
            f"Layer {layer!r}: band {band} does not exist in {path}, which has {src.count} "
            f"band(s). Set band to 1..{src.count}."
        )


def check_kind(
    src: DatasetReader,
    band: int,
    kind: Kind,
    *,
    layer: str,
    path: str | Path,
    legend: dict[int, str] | None = None,
) -> None:
    """Refuse a declared kind that the raster's own metadata contradicts.

    A raster is known to be categorical when it carries a colour table or
    aez's ``AEZ_KIND=categorical`` tag; it is known to be continuous when it
    holds floats tagged ``AEZ_KIND=continuous``.
    """
    tags = {**src.tags(), **src.tags(band)}
    dtype = np.dtype(src.dtypes[band - 1])
    if kind == "continuous":
        evidence = None
        if tags.get("AEZ_KIND") == "categorical":
            evidence = "it is tagged AEZ_KIND=categorical"
        elif legend:
            evidence = "it has a legend"
        else:
            try:
                src.colormap(band)
                evidence = "it has a colour table"
            except ValueError:
                evidence = None
        if evidence:
            raise LayerKindError(
                f"Layer {layer!r} ({path}) is declared continuous, but {evidence}: its values "
                "are class codes, which must not be averaged or interpolated. Declare "
                "kind = \"categorical\" for it."
            )
    elif dtype.kind == "f" and tags.get("AEZ_KIND") == "continuous":
        raise LayerKindError(
            f"Layer {layer!r} ({path}) is declared categorical, but it holds {dtype} values "
            "tagged AEZ_KIND=continuous. Declare kind = \"continuous\" for it."
        )
