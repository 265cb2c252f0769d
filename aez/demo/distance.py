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

from aez.demo.fields import row_blocks

__all__ = ["distance", "distance_and_nearest", "feature_distance", "nearest"]


def nearest(input: np.ndarray) -> np.ndarray:
    """Row and column of the nearest zero (False) cell of every cell, shape ``(2, *shape)``.

    The cell itself where it is zero; int32, as
    ``distance_transform_edt(input, return_distances=False, return_indices=True)``.

    >>> nearest(np.array([[0, 1, 1]]))[1].tolist()
    [[0, 0, 0]]
    """
    return ndimage.distance_transform_edt(input, return_distances=False, return_indices=True)


def feature_distance(features: np.ndarray, rows: slice) -> np.ndarray:
    """Distance (cells, float64) from the cells of ``rows`` to their nearest feature.

    ``features`` is :func:`nearest` of the grid and ``rows`` a slice with a
    stop (:func:`aez.demo.fields.row_blocks`); the values are those of scipy's distance
    transform in these rows.

    >>> feature_distance(nearest(np.array([[0, 1], [1, 1]])), slice(1, 2)).round(3).tolist()
    [[1.0, 1.414]]
    """
    width = features.shape[2]
    dr = (features[0, rows] - np.arange(rows.start, rows.stop, dtype=np.int32)[:, None]
          ).astype(np.float64)
    dc = (features[1, rows] - np.arange(width, dtype=np.int32)).astype(np.float64)
    dr *= dr
    dc *= dc
    dr += dc
    return np.sqrt(dr, out=dr)


def distance_and_nearest(input: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance (cells, float64) to the nearest zero cell, and that cell (:func:`nearest`).

    Equal, bit for bit, to ``distance_transform_edt(input, return_indices=True)``.

    >>> d, (rows, cols) = distance_and_nearest(np.array([[0, 1, 1], [1, 1, 1]]))
    >>> d.round(3).tolist(), cols.tolist()
    ([[0.0, 1.0, 2.0], [1.0, 1.414, 2.236]], [[0, 0, 0], [0, 0, 0]])
    """
    features = nearest(input)
    out = np.empty(features.shape[1:])
    for rows in row_blocks(out.shape):
        out[rows] = feature_distance(features, rows)
    return out, features


def distance(input: np.ndarray) -> np.ndarray:
    """Distance (cells, float64) of every cell to the nearest zero cell of ``input``.

    Equal, bit for bit, to ``distance_transform_edt(input)``.

    >>> distance(np.array([[1, 0, 1, 1]])).tolist()
    [[1.0, 0.0, 1.0, 2.0]]
    """
    return distance_and_nearest(input)[0]
