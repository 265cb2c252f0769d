"""The compiled loops of the suitability stage's tiles (numba), loaded when the stage runs.

:func:`count_limits` counts, in one pass over a crop's tile, what
:mod:`aez.pipeline.suitability` keeps per district: the cells each land
quality limits, those rated unknown for want of each quality's input, the
index sum and the cells of each subclass mask. :func:`quantise` stores the
index as bytes. Both are called through that module, which prepares and
checks their arguments.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["count_limits", "quantise"]


@njit(nogil=True, cache=True)
def count_limits(zones, include, subclass, actual, unknown, index, scale,
                 limited, missing, index_sum, index_cells, masks):  # pragma: no cover
    """Add one crop's tile to the per-district counts, in place.

    Only cells where ``include`` is True count (their ``zones`` ≥ 0). Each bit
    q of a cell's ``subclass`` adds the cell to ``limited[zone, q]`` and, when
    its class ``actual`` is ``unknown``, to ``missing[zone, q]``; ``masks``
    counts the cells per subclass value. A cell with an index (not NaN) adds
    rint(index × ``scale``) to ``index_sum[zone]`` and one to ``index_cells``.
    """
    height, width = zones.shape
    for r in range(height):
        for c in range(width):
            if not include[r, c]:
                continue
            z = zones[r, c]
            s = np.int64(subclass[r, c])
            masks[s] += 1
            is_unknown = actual[r, c] == unknown
            bit = 0
            while s:
                if s & 1:
                    limited[z, bit] += 1
                    if is_unknown:
                        missing[z, bit] += 1
                s >>= 1
                bit += 1
            v = index[r, c]
            if v == v:  # not NaN
                index_sum[z] += np.int64(np.rint(np.float64(v) * scale))
                index_cells[z] += 1


@njit(nogil=True, cache=True)
def quantise(values, step, top, nodata, out):  # pragma: no cover
    """Store each value as rint(value / ``step``) clipped to 0 … ``top``; NaN as ``nodata``.

    ``values`` and ``step`` are float32, and the division is done in float32,
    as numpy does for a float32 array and a Python float.
    """
    height, width = values.shape
    for r in range(height):
        for c in range(width):
            v = values[r, c]
            if v != v:
                out[r, c] = nodata
                continue
            stored = np.rint(v / step)
            if stored < 0:
                stored = 0
            elif stored > top:
                stored = top
            out[r, c] = np.uint8(stored)
