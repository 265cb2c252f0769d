"""Euclidean distance transforms of whole grids with small temporaries.

:func:`scipy.ndimage.distance_transform_edt` returns distances by way of
several full-size temporaries (the offsets to the nearest feature as int32,
then as float64, for both axes: about five times the float64 result at
once). Here scipy computes only the nearest-feature indices, and the
distances are taken from them in row blocks: the same integer offsets,
squared and summed exactly in float64, and the same correctly rounded square
root, so every distance is bit for bit scipy's.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

__all__ = ["distance", "distance_and_nearest", "nearest"]

#: Cells per row block when distances are taken from the nearest-feature indices.
_BLOCK_CELLS = 1 << 20


def nearest(input: np.ndarray) -> np.ndarray:
    """Row and column of the nearest zero (False) cell of every cell, shape ``(2, *shape)``.

    The cell itself where it is zero; int32, as
    ``distance_transform_edt(input, return_distances=False, return_indices=True)``.

    >>> nearest(np.array([[0, 1, 1]]))[1].tolist()
    [[0, 0, 0]]
    """
    return ndimage.distance_transform_edt(input, return_distances=False, return_indices=True)


def distance_and_nearest(input: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance (cells, float64) to the nearest zero cell, and that cell (:func:`nearest`).

    Equal, bit for bit, to ``distance_transform_edt(input, return_indices=True)``.

    >>> d, (rows, cols) = distance_and_nearest(np.array([[0, 1, 1], [1, 1, 1]]))
    >>> d.round(3).tolist(), cols.tolist()
    ([[0.0, 1.0, 2.0], [1.0, 1.414, 2.236]], [[0, 0, 0], [0, 0, 0]])
    """
    features = nearest(input)
    height, width = features.shape[1:]
    out = np.empty((height, width))
    step = max(1, _BLOCK_CELLS // max(1, width))
    columns = np.arange(width, dtype=np.int32)
    for start in range(0, height, step):
        part = slice(start, start + step)
        rows = np.arange(start, min(start + step, height), dtype=np.int32)[:, None]
        dr = (features[0, part] - rows).astype(np.float64)
        dc = (features[1, part] - columns).astype(np.float64)
        dr *= dr
        dc *= dc
        dr += dc
        out[part] = np.sqrt(dr)
    return out, features


def distance(input: np.ndarray) -> np.ndarray:
    """Distance (cells, float64) of every cell to the nearest zero cell of ``input``.

    Equal, bit for bit, to ``distance_transform_edt(input)``.

    >>> distance(np.array([[1, 0, 1, 1]])).tolist()
    [[1.0, 0.0, 1.0, 2.0]]
    """
    return distance_and_nearest(input)[0]
