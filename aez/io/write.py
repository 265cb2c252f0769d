"""Writing GeoTIFFs: whole layers, or window by window from the tile executor.

Every writer follows the same rules:

* it refuses to replace an existing file unless ``overwrite=True``, and never
  replaces one of the run's inputs;
* it writes under a temporary name and renames the file only when complete,
  so an interrupted run never leaves a half file under the final name;
* it records provenance tags (``AEZ_VERSION``, ``AEZ_LAYER``, ``AEZ_KIND``,
  ``AEZ_UNITS`` and, when given, ``AEZ_CONFIG_HASH``);
* the same pixels give the same bytes, whatever order windows arrive in.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

import numpy as np
import rasterio
import rasterio.shutil
from rasterio.enums import Resampling
from rasterio.errors import RasterioIOError

from aez.errors import DataSourceError, GridMismatchError
from aez.grid import Grid, Tile
from aez.io.atomic import atomic_output, check_output_path, partial_name
from aez.layer import Kind, Layer
from aez.version import __version__

__all__ = ["RasterSink", "close_sinks", "provenance_tags", "write_geotiff"]

#: Internal tile size of written GeoTIFFs (cells).
BLOCK_SIZE = 256


def provenance_tags(
    *,
    name: str,
    kind: Kind,
    units: str,
    legend: Mapping[int, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """Return the dataset tags aez writes into every raster it produces.

    >>> provenance_tags(name="slope", kind="continuous", units="%")["AEZ_UNITS"]
    '%'
    """
    tags = {
        "AEZ_VERSION": __version__,
        "AEZ_LAYER": name,
        "AEZ_KIND": kind,
        "AEZ_UNITS": units,
    }
    if legend:
        tags["AEZ_LEGEND"] = json.dumps({str(k): v for k, v in legend.items()}, ensure_ascii=False)
    for key, value in (extra or {}).items():
        tags[str(key).upper()] = str(value)
    return tags


#: Codecs of :class:`RasterSink`. ``deflate`` (with a predictor) by default, read by every
#: GIS; ``zstd`` is ZSTD at level 1 with the same predictor and, in a COG, the same overviews:
#: about a third of deflate's time for a file 3–18 % larger (the suitability rasters); ``fast``
#: is ZSTD at level 1 without a predictor and, in a COG, without overviews: about an eighth of
#: deflate's time on class codes (e.g. the class-change rasters of climate scenarios; a viewer
#: builds overviews when it needs them). GDAL reads ZSTD since 2.3, so QGIS 3 does too.
Codec = Literal["deflate", "zstd", "fast"]


def _creation_options(dtype: np.dtype, *, cog: bool, kind: Kind,
                      codec: Codec = "deflate") -> dict[str, Any]:
    predictor = 3 if dtype.kind == "f" else 2
    level_key = "level" if cog else "zstd_level"
    if codec == "fast":
        options: dict[str, Any] = {"compress": "zstd", level_key: 1}
    elif codec == "zstd":
        options = {"compress": "zstd", level_key: 1, "predictor": predictor}
    else:
        options = {"compress": "deflate", "predictor": predictor}
    options["bigtiff"] = "IF_SAFER"
    if cog and codec == "fast":
        options |= {"blocksize": BLOCK_SIZE, "overviews": "NONE"}
    elif cog:
        options |= {
            "blocksize": BLOCK_SIZE,
            "overview_resampling": "nearest" if kind == "categorical" else "average",
        }
    else:
        options |= {"tiled": True, "blockxsize": BLOCK_SIZE, "blockysize": BLOCK_SIZE}
    return options


def _profile(grid: Grid, dtype: np.dtype, nodata: float | None) -> dict[str, Any]:
    return {
        "driver": "GTiff",
        "width": grid.width,
        "height": grid.height,
        "count": 1,
        "dtype": dtype.name,
        "crs": grid.crs,
        "transform": grid.transform,
        "nodata": nodata,
    }


def _nodata_of(kind: Kind, dtype: np.dtype, nodata: int | None) -> float | None:
    if kind == "continuous" and dtype.kind == "f":
        return float("nan")
    return nodata  # categorical, or continuous values stored as scaled integers


def write_geotiff(
    layer: Layer,
    path: str | Path,
    *,
    overwrite: bool = False,
    tags: Mapping[str, Any] | None = None,
    cog: bool = False,
) -> Path:
    """Write a layer to a tiled, deflate-compressed GeoTIFF.

    Parameters
    ----------
    layer : Layer
        The layer to write. Continuous layers get NaN as nodata; categorical
        layers get their sentinel.
    path : str or Path
        Output file. Its folder must exist.
    overwrite : bool, default False
        Replace an existing file. The layer's own source file is never replaced.
    tags : mapping, optional
        Extra provenance tags (e.g. ``{"aez_config_hash": "…"}``).
    cog : bool, default False
        Write a Cloud-Optimized GeoTIFF with overviews.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    OutputExistsError
        If ``path`` exists and ``overwrite`` is False.
    ConfigError
        If ``path`` is the layer's source file.
    """
    whole = Tile((0, 0), 0, 0, layer.grid.height, layer.grid.width)
    with RasterSink(
        path,
        layer.grid,
        name=layer.name,
        dtype=layer.data.dtype,
        kind=layer.kind,
        units=layer.units,
        nodata=layer.nodata,
        legend=layer.legend,
        tags=tags,
        overwrite=overwrite,
        inputs=[layer.source],
        cog=cog,
    ) as sink:
        sink.write(whole, layer.data)
    return Path(path)


def _describe(dst: Any, units: str, tags: Mapping[str, str]) -> None:
    dst.update_tags(**tags)
    dst.update_tags(1, AEZ_UNITS=units, AEZ_KIND=tags["AEZ_KIND"])
    if units:
        dst.units = (units,)


def overview_factors(width: int, height: int, block: int = BLOCK_SIZE) -> list[int]:
    """Decimation factors of a COG's overviews: halve until the grid fits in one block.

    The levels GDAL's COG driver makes itself: 2, 4, 8 … while either side,
    halved and rounded down at each level, is still above ``block`` cells
    (none for a grid that fits in one block).

    >>> overview_factors(7059, 5294)
    [2, 4, 8, 16, 32]
    >>> overview_factors(256, 200)
    []
    """
    factors: list[int] = []
    while width > block or height > block:
        width, height = width // 2, height // 2
        factors.append(2 * factors[-1] if factors else 2)
    return factors


def _copy(src: Path, dst: Path, *, dtype: np.dtype, kind: Kind, cog: bool,
          codec: Codec = "deflate") -> None:
    """Copy a finished scratch file into its final, compressed form (deterministic order).

    A COG's overviews are first built in the uncompressed scratch file (nearest
    for categorical values, average for continuous ones), which the COG driver
    then copies: about 40 % less time than letting it build them in its own
    temporary file.
    """
    driver = "COG" if cog else "GTiff"
    if cog and codec != "fast":
        with rasterio.open(src, "r+") as scratch:
            factors = overview_factors(scratch.width, scratch.height)
            if factors:
                scratch.build_overviews(factors, Resampling.nearest if kind == "categorical"
                                        else Resampling.average)
    try:
        rasterio.shutil.copy(
            src, dst, driver=driver, **_creation_options(dtype, cog=cog, kind=kind, codec=codec)
        )
    except RasterioIOError as exc:
        raise DataSourceError(f"Cannot write {dst}: {exc}") from exc


class RasterSink:
    """A GeoTIFF written window by window, e.g. by the tile executor.

    Windows go to an uncompressed scratch file in any order; :meth:`close`
    copies it, block by block in a fixed order, into the compressed final file
    under a temporary name and then renames it. The bytes therefore depend
    only on the pixels, never on the tile size or the order tiles finish in.

    Use it as a context manager: on an exception nothing is left behind.

    Parameters
    ----------
    path : str or Path
        Final output file.
    grid : Grid
        Grid of the whole output.
    name : str
        Layer name, recorded in the tags.
    dtype : numpy dtype
        Pixel type.
    kind : {"continuous", "categorical"}
    units : str
    nodata : int, optional
        Sentinel for categorical outputs (continuous float outputs use NaN).
    legend : mapping, optional
    tags : mapping, optional
        Extra provenance tags.
    overwrite : bool, default False
    inputs : iterable of paths
        The run's input files, which this output may never replace.
    cog : bool, default False
        Write a Cloud-Optimized GeoTIFF with overviews.
    colormap : mapping of int to (r, g, b, a), optional
        Colour table of a categorical 8- or 16-bit output (e.g. class colours),
        so that viewers show the classes in their colours.
    codec : {"deflate", "zstd", "fast"}, default "deflate"
        Compression of the final file (see :data:`Codec`).
    scale, offset : float, optional
        For continuous values stored as integers: value = stored × scale +
        offset, written as the band's GDAL scale and offset (QGIS applies them;
        rasterio and GDAL's RasterIO leave it to the reader). ``nodata`` is then
        the stored integer that marks no value.
    """

    def __init__(
        self,
        path: str | Path,
        grid: Grid,
        *,
        name: str,
        dtype: Any,
        kind: Kind = "continuous",
        units: str = "",
        nodata: int | None = None,
        legend: Mapping[int, str] | None = None,
        tags: Mapping[str, Any] | None = None,
        overwrite: bool = False,
        inputs: Iterable[str | Path | None] = (),
        cog: bool = False,
        colormap: Mapping[int, tuple[int, int, int, int]] | None = None,
        codec: Codec = "deflate",
        scale: float | None = None,
        offset: float = 0.0,
    ) -> None:
        self.path = Path(path)
        self.codec = codec
        self.grid = grid
        self.name = name
        self.dtype = np.dtype(dtype)
        self.kind = kind
        self.cog = cog
        self._inputs = list(inputs)
        self._overwrite = overwrite
        self._done = False
        check_output_path(self.path, overwrite=overwrite, inputs=self._inputs)
        self._scratch = self.path.with_name(f".{self.path.stem}.scratch-{os.getpid()}.tif")
        nodata_value = _nodata_of(kind, self.dtype, nodata)
        try:
            self._dst = rasterio.open(
                self._scratch,
                "w",
                **_profile(grid, self.dtype, nodata_value),
                tiled=True,
                blockxsize=BLOCK_SIZE,
                blockysize=BLOCK_SIZE,
                sparse_ok=True,
            )
        except (RasterioIOError, ValueError) as exc:
            self._scratch.unlink(missing_ok=True)
            raise DataSourceError(f"Cannot create {self.path}: {exc}") from exc
        _describe(
            self._dst,
            units,
            provenance_tags(name=name, kind=kind, units=units, legend=legend, extra=tags),
        )
        if colormap:
            self._dst.write_colormap(1, dict(colormap))
        if scale is not None:
            self._dst.scales = (float(scale),)
            self._dst.offsets = (float(offset),)

    def write(self, tile: Tile, array: np.ndarray) -> None:
        """Write the core of one tile (an array of ``(tile.height, tile.width)``)."""
        if array.shape != (tile.height, tile.width):
            raise GridMismatchError(
                f"Output {self.name!r}: tile {tile.index} produced shape {array.shape}, expected "
                f"{(tile.height, tile.width)}. Crop the result to the tile core (tile.core)."
            )
        self._dst.write(array.astype(self.dtype, copy=False), 1, window=tile.window)

    def close(self) -> Path:
        """Finish the file and move it to its final name (once; later calls do nothing)."""
        if self._done:
            return self.path
        self._done = True
        self._dst.close()
        try:
            with atomic_output(self.path, overwrite=self._overwrite, inputs=self._inputs) as tmp:
                _copy(self._scratch, tmp, dtype=self.dtype, kind=self.kind, cog=self.cog,
                      codec=self.codec)
        finally:
            self._scratch.unlink(missing_ok=True)
        return self.path

    def abort(self) -> None:
        """Discard everything written so far."""
        if self._done:
            return
        self._done = True
        self._dst.close()
        self._scratch.unlink(missing_ok=True)
        partial_name(self.path).unlink(missing_ok=True)

    def __enter__(self) -> RasterSink:
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def close_sinks(sinks: Iterable[RasterSink], *, workers: int = 1) -> list[Path]:
    """Close many sinks, ``workers`` at a time (compression runs in GDAL, outside the GIL).

    Each file's bytes are the same whatever the number of workers.
    """
    pending = list(sinks)
    if workers <= 1 or len(pending) <= 1:
        return [sink.close() for sink in pending]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(RasterSink.close, pending))
