"""Vector features rasterized once over the whole grid, then read window by window.

Rasterizing a polygon layer for every tile converts and scans each large
polygon once per tile it touches, and again every time the stack is read.
A :class:`BurntLayer` burns the features on its first read, over the whole
grid and a margin of :data:`BURN_MARGIN` cells around it (for the halo
windows of focal layers), in strips of whole rows whose height depends only
on the grid's width (:func:`aez.io.scratch.strip_rows`), into a
:class:`~aez.io.scratch.ScratchRaster`. Windows are then read from that file.
A window that reaches beyond the margin is burnt directly.

Cells get the same values either way: a feature's cells depend on the cell
centres' positions, not on the window they are burnt in. A pickled
BurntLayer (for a dask worker) leaves its file behind and burns its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np
from rasterio.windows import Window

from aez.grid import Grid
from aez.io.scratch import ScratchRaster

__all__ = ["BURN_MARGIN", "BurntLayer"]

#: Cells burnt beyond each edge of the grid, so halo windows read the file too.
BURN_MARGIN = 16


class BurntLayer:
    """A rasterization, made over the whole grid on first read, read back by window.

    Parameters
    ----------
    burn : callable
        ``burn(window) -> ndarray``: the features rasterized onto any window of
        ``grid`` (also one reaching outside it).
    grid : Grid
        The analysis grid.
    dtype : numpy dtype
        Type of ``burn``'s arrays.
    name : str
        Name of the scratch file (for debugging).
    margin : int, default :data:`BURN_MARGIN`
        Cells burnt beyond each edge of the grid.
    span : (int, int), optional
        Lowest and highest value ``burn`` can return, for an integer ``dtype``:
        the file then stores the smallest integer type that holds them
        (``uint8`` for presence), and reads give ``dtype`` again.

    Examples
    --------
    >>> g = Grid.from_bounds((0, 0, 300, 200), resolution=100, crs="EPSG:32750")
    >>> def rows(window):
    ...     r, c = np.indices((int(window.height), int(window.width)))
    ...     return (r + int(window.row_off)).astype(np.int32)
    >>> BurntLayer(rows, g, dtype=np.int32).read(Window(-1, -1, 2, 3)).tolist()
    [[-1, -1], [0, 0], [1, 1]]
    """

    def __init__(self, burn: Callable[[Window], np.ndarray], grid: Grid, *, dtype: Any,
                 name: str = "burnt", margin: int = BURN_MARGIN,
                 span: tuple[int, int] | None = None) -> None:
        self._burn = burn
        self.grid = grid
        self.dtype = np.dtype(dtype)
        self.stored = _smallest(self.dtype, span)
        self.name = name
        self.margin = margin
        self._raster: ScratchRaster | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_raster"] = None
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    @property
    def extent(self) -> Window:
        """The window of the grid that is burnt once: the grid and its margin."""
        m = self.margin
        return Window(-m, -m, self.grid.width + 2 * m, self.grid.height + 2 * m)

    def read(self, window: Window) -> np.ndarray:
        """Burnt values of ``window`` (a window of :attr:`grid`)."""
        m = self.margin
        row, col = int(window.row_off), int(window.col_off)
        height, width = int(window.height), int(window.width)
        if (row < -m or col < -m or row + height > self.grid.height + m
                or col + width > self.grid.width + m):
            return self._burn(window)
        raster = self._raster if self._raster is not None else self._build()
        return raster.read(Window(col + m, row + m, width, height)).astype(self.dtype,
                                                                           copy=False)

    def prepare(self) -> None:
        """Burn the extent now rather than on the first read (nothing if already done)."""
        if self._raster is None:
            self._build()

    def _build(self) -> ScratchRaster:
        """Burn the extent strip by strip into the scratch raster (once, whichever thread asks)."""
        with self._lock:
            if self._raster is None:
                extent = self.extent
                raster = ScratchRaster(self.grid.window_grid(extent), self.stored,
                                       name=self.name)
                left, top, width = int(extent.col_off), int(extent.row_off), int(extent.width)
                raster.fill(lambda row, rows: self._burn(Window(left, top + row, width, rows)))
                self._raster = raster
            return self._raster


def _smallest(dtype: np.dtype[Any], span: tuple[int, int] | None) -> np.dtype[Any]:
    """Return the smallest integer type (``uint8``, ``int16``) holding ``span``, else ``dtype``."""
    if span is None or dtype.kind != "i":
        return dtype
    for candidate in (np.uint8, np.int16):
        info = np.iinfo(candidate)
        if info.min <= span[0] and span[1] <= info.max and candidate(0).itemsize < dtype.itemsize:
            return np.dtype(candidate)
    return dtype
