"""The compiled loops behind the zonal histograms (numba), loaded when a count first runs.

Each reads the district of a cell once for all class layers. Arguments are
prepared and checked by :func:`aez.zonal.histogram.class_histograms` and
:func:`aez.zonal.histogram.class_value_sums`, which are the functions to call.
"""

from __future__ import annotations

from numba import njit

__all__ = ["count_classes", "sum_values"]


@njit(nogil=True, cache=True)
def count_classes(zones, classes, rows, uniform, cells, area, invalid):  # pragma: no cover
    """Add each cell to ``cells`` (and its row's area in cm² to ``area``) by district and class.

    ``classes`` is (layers, rows, cols); a code outside ``0 … n_classes-1``
    counts in ``invalid`` per layer; ``uniform`` skips the area sums when every
    row has the same cell area. Updates the arrays in place.
    """
    k, height, width = classes.shape
    n_classes = cells.shape[2]
    for r in range(height):
        a = rows[r]
        for i in range(k):
            for c in range(width):
                z = zones[r, c]
                if z < 0:
                    continue
                v = classes[i, r, c]
                if v < 0 or v >= n_classes:
                    invalid[i] += 1
                    continue
                cells[i, z, v] += 1
                if not uniform:
                    area[i, z, v] += a


@njit(nogil=True, cache=True)
def sum_values(zones, classes, scaled, finite, sums, cells):  # pragma: no cover
    """Add each finite cell's scaled integer value to ``sums`` by district and class, in place."""
    k, height, width = classes.shape
    n_classes = cells.shape[2]
    for r in range(height):
        for i in range(k):
            for c in range(width):
                z = zones[r, c]
                if z < 0 or not finite[r, c]:
                    continue
                v = classes[i, r, c]
                if v < 0 or v >= n_classes:
                    continue
                sums[i, z, v] += scaled[r, c]
                cells[i, z, v] += 1
