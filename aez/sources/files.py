"""Finding a provider's files, and windows of a provider's native grid.

Every reader takes its inputs as a list of files, folders, glob patterns or
templates with ``{placeholders}`` (``soilgrids/{property}_{depth}_mean.tif``,
``chirps/chirps-v2.0.{year}.{month}.tif``); :func:`expand_inputs` turns them
into the files that exist, and each reader then recognises its own files by
their native names.
"""

from __future__ import annotations

import glob
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from affine import Affine
from rasterio.crs import CRS
from rasterio.windows import Window

from aez.errors import DataSourceError

__all__ = ["NativeGrid", "expand_inputs"]

_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def expand_inputs(inputs: Iterable[str | Path], *, source: str,
                  suffixes: Sequence[str] | None = None) -> list[Path]:
    """Return the files named by ``inputs``: files, folders (their files), globs and templates.

    A ``{placeholder}`` in a name matches anything, like ``*``. Each pattern
    must match at least one file; the result is sorted and has no duplicates.

    Raises
    ------
    DataSourceError
        If a file, folder or pattern matches nothing.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("phh2o_0-5cm_mean.tif", "phh2o_5-15cm_mean.tif"):
    ...     _ = (d / name).write_bytes(b"")
    >>> [p.name for p in expand_inputs([d / "phh2o_{depth}_mean.tif"], source="soilgrids")]
    ['phh2o_0-5cm_mean.tif', 'phh2o_5-15cm_mean.tif']
    """
    found: set[Path] = set()
    for item in inputs:
        text = str(item)
        pattern = _PLACEHOLDER.sub("*", text)
        if any(ch in pattern for ch in "*?["):
            matches = [Path(p) for p in glob.glob(pattern)]  # noqa: PTH207 (absolute patterns)
            matches = [p for p in matches if p.is_file()]
        elif Path(text).is_dir():
            matches = [p for p in Path(text).iterdir() if p.is_file()]
            if suffixes:
                matches = [p for p in matches if p.name.lower().endswith(tuple(suffixes))]
        elif Path(text).is_file():
            matches = [Path(text)]
        else:
            matches = []
        if not matches:
            raise DataSourceError(
                f"{source}: {text} matches no file. Check the path (a folder, a file, or a "
                "pattern such as phh2o_{depth}_mean.tif)."
            )
        found.update(p.resolve() for p in matches)
    return sorted(found)


@dataclass(frozen=True)
class NativeGrid:
    """A provider's own grid: CRS, transform and shape (north-up)."""

    crs: CRS
    transform: Affine
    width: int
    height: int

    @property
    def res(self) -> tuple[float, float]:
        """Cell size (x, y), positive."""
        return abs(self.transform.a), abs(self.transform.e)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) in the native CRS."""
        t = self.transform
        left, top = t.c, t.f
        return left, top + t.e * self.height, left + t.a * self.width, top

    def window_transform(self, window: Window) -> Affine:
        """Transform of a window of this grid."""
        return self.transform @ Affine.translation(window.col_off, window.row_off)

    def clip(self, bounds: tuple[float, float, float, float], *, pad: int = 0) -> Window | None:
        """Window of the cells that ``bounds`` (native CRS) touches, grown by ``pad`` cells.

        The window is cut to the grid; None when nothing is left.
        """
        left, bottom, right, top = bounds
        inverse = ~self.transform
        c0, r0 = inverse @ (left, top)
        c1, r1 = inverse @ (right, bottom)
        col0 = max(math.floor(min(c0, c1) + 1e-9) - pad, 0)
        row0 = max(math.floor(min(r0, r1) + 1e-9) - pad, 0)
        col1 = min(math.ceil(max(c0, c1) - 1e-9) + pad, self.width)
        row1 = min(math.ceil(max(r0, r1) - 1e-9) + pad, self.height)
        if col1 <= col0 or row1 <= row0:
            return None
        return Window(col0, row0, col1 - col0, row1 - row0)

    def same_cells(self, other: Any) -> bool:
        """Whether another dataset or grid has this CRS and this transform."""
        return bool(other.crs == self.crs) and all(
            math.isclose(a, b, rel_tol=0, abs_tol=1e-9 * max(1.0, abs(b)))
            for a, b in zip(other.transform[:6], self.transform[:6], strict=True)
        )


def as_float(values: np.ndarray, nodata: float | None) -> np.ndarray:
    """Integer or float cells as float64 with NaN where they equal ``nodata``."""
    out = values.astype(np.float64)
    if nodata is not None and not math.isnan(nodata):
        out[values == nodata] = np.nan
    return out
