"""Scratch rasters: computed once, kept in a temporary GeoTIFF, read back window by window.

A :class:`ScratchRaster` covers a grid. It is written once, strip of rows by
strip of rows (so memory follows the strip, not the grid), into a tiled,
ZSTD-compressed GeoTIFF in a temporary directory of its own. The directory
is removed when the object is garbage-collected or the process exits.
Reads open one handle per thread.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from rasterio._err import CPLE_BaseError  # GDAL errors raised during writes
from rasterio.errors import RasterioError
from rasterio.windows import Window

from aez.errors import DataSourceError
from aez.grid import Grid
from aez.io.raster import PerThreadDatasets

__all__ = ["SCRATCH_BLOCK", "ScratchRaster", "strip_rows"]

#: Block side of scratch GeoTIFFs, in cells; strips are a whole number of block rows.
SCRATCH_BLOCK = 256
#: Cells in one strip (rows × grid width) at most, unless a single block row is wider.
STRIP_CELLS = 2**23
_REMEDY = ("Point the TMPDIR environment variable at a writable folder with free space "
           "(about the size of one compressed layer per vector layer).")


def strip_rows(width: int) -> int:
    """Rows per strip for a grid ``width`` cells wide: whole block rows, ≤ 8 Mi cells a strip.

    It depends on the width only, so the strips of a grid are always the same.

    >>> strip_rows(6000), strip_rows(100_000)
    (1280, 256)
    """
    blocks = max(1, STRIP_CELLS // (max(1, width) * SCRATCH_BLOCK))
    return blocks * SCRATCH_BLOCK


class ScratchRaster(PerThreadDatasets):
    """A single-band raster on ``grid``, written once in row strips, then read by window.

    Parameters
    ----------
    grid : Grid
        The cells the raster covers.
    dtype : numpy dtype
        Cell type (any type GeoTIFF stores; NaN is kept as is in float rasters).
    name : str
        File stem (for messages and debugging only).

    Examples
    --------
    >>> import numpy as np
    >>> g = Grid.from_bounds((0, 0, 300, 200), resolution=100, crs="EPSG:32750")
    >>> r = ScratchRaster(g, np.int32)
    >>> r.fill(lambda row, rows: np.full((rows, g.width), row, np.int32))
    >>> r.read(Window(1, 1, 2, 1)).tolist()
    [[0, 0]]
    """

    def __init__(self, grid: Grid, dtype: Any, *, name: str = "scratch") -> None:
        self.grid = grid
        self.dtype = np.dtype(dtype)
        try:
            folder = tempfile.mkdtemp(prefix="aez-scratch-")
        except OSError as exc:
            raise DataSourceError(f"Cannot create a scratch folder in {tempfile.gettempdir()}: "
                                  f"{exc}. {_REMEDY}") from exc
        self.path = Path(folder) / f"{name}.tif"
        self._remove = weakref.finalize(self, shutil.rmtree, folder, True)
        self._local = threading.local()

    def __getstate__(self) -> dict[str, Any]:
        raise TypeError("A ScratchRaster is local to its process; its owner rebuilds it.")

    def fill(self, strip: Callable[[int, int], np.ndarray]) -> None:
        """Write the whole raster: ``strip(row, rows)`` returns rows ``row … row + rows - 1``.

        Strips have :func:`strip_rows` rows (the last one fewer), full grid width.
        """
        height, width = self.grid.shape
        step = strip_rows(width)
        tiled = height > SCRATCH_BLOCK or width > SCRATCH_BLOCK
        profile: dict[str, Any] = {
            "driver": "GTiff", "width": width, "height": height, "count": 1,
            "dtype": self.dtype.name, "crs": self.grid.crs, "transform": self.grid.transform,
            "compress": "zstd", "zstd_level": 1, "bigtiff": "if_safer",
        }
        if tiled:
            profile |= {"tiled": True, "blockxsize": SCRATCH_BLOCK, "blockysize": SCRATCH_BLOCK}
        try:
            with rasterio.open(self.path, "w", **profile) as dst:
                for row in range(0, height, step):
                    rows = min(step, height - row)
                    block = strip(row, rows)
                    dst.write(block.astype(self.dtype, copy=False), 1,
                              window=Window(0, row, width, rows))
        except (RasterioError, CPLE_BaseError) as exc:
            raise DataSourceError(f"Cannot write the scratch raster {self.path}: {exc}. "
                                  f"{_REMEDY}") from exc

    def read(self, window: Window) -> np.ndarray:
        """Values of ``window`` (cells of :attr:`grid`; it must lie inside the grid)."""
        return self._dataset(self.path).read(1, window=window)

    def remove(self) -> None:
        """Delete the file now (it is deleted at garbage collection or exit otherwise)."""
        self._remove()
