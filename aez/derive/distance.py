"""Euclidean distance (m) from every cell to the nearest feature: road, river, market, coast.

The distance runs from cell centre to cell centre, exactly, with
:func:`scipy.ndimage.distance_transform_edt` and the grid's cell size as
``sampling``. It is a *global* operation: the features that are nearest to a
tile may lie far outside it, so it is computed once over the whole grid (the
:class:`~aez.harmonize.LayerStack` caches it and hands out tile windows; a
coarser grid can be requested there with ``resolution``). It needs about 20
bytes of memory per cell while it runs.

>>> import numpy as np
>>> from aez.grid import Grid
>>> from aez.layer import Layer
>>> g = Grid.from_bounds((0, 0, 40, 30), resolution=10, crs="EPSG:32750")
>>> market = np.zeros(g.shape, dtype="int32"); market[0, 0] = 1
>>> distance_to(Layer("market", market, g, kind="categorical")).data[2, 3]  # √(20² + 30²)
np.float32(36.05551)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import ndimage

from aez.checks import metric_res
from aez.errors import ConfigError, CoverageError
from aez.layer import Layer

__all__ = ["distance_to", "feature_cells"]


def feature_cells(layer: Layer, *, classes: Sequence[str | int] | None = None) -> np.ndarray:
    """Boolean array: True on the cells holding a feature.

    A feature is a cell with data whose value is not 0 (presence layers burn
    0 where there is nothing). With ``classes``, only cells of those classes
    count: legend labels (``"arteri"``) or integer codes.

    Raises
    ------
    ConfigError
        If a class label is not in the layer's legend.
    """
    valid = layer.valid
    if classes is None:
        return valid & (layer.data != 0)
    if layer.kind != "categorical":
        raise ConfigError(
            f"classes = {list(classes)} picks classes of a categorical layer, but "
            f"{layer.name!r} is continuous. Drop `classes` or use a categorical layer."
        )
    lookup = {label: code for code, label in (layer.legend or {}).items()}
    codes = []
    for item in classes:
        if isinstance(item, str) and not item.lstrip("-").isdigit():
            if item not in lookup:
                raise ConfigError(
                    f"Class {item!r} is not in the legend of layer {layer.name!r}; its classes "
                    f"are {', '.join(map(repr, lookup)) or 'none (no legend)'}."
                )
            codes.append(lookup[item])
        else:
            codes.append(int(item))
    return valid & np.isin(layer.data, codes)


def distance_to(
    features: Layer,
    *,
    classes: Sequence[str | int] | None = None,
    name: str | None = None,
) -> Layer:
    """Distance (m) from each cell centre to the centre of the nearest feature cell.

    Parameters
    ----------
    features : Layer
        Rasterized features on a projected grid (e.g. roads burnt as
        presence, or road classes with a legend). See :func:`feature_cells`.
    classes : sequence of str or int, optional
        Only features of these classes (legend labels or codes), e.g.
        ``["arteri", "kolektor"]``.
    name : str, optional
        Output name (default ``"distance_<features>"``).

    Returns
    -------
    Layer
        float32 distance in ``"m"``; 0 on feature cells.

    Raises
    ------
    CoverageError
        If the layer holds no feature cell on the grid.
    CRSError
        If the grid is geographic.
    """
    res_x, res_y = metric_res(features.grid, what="distance_to()")
    target = feature_cells(features, classes=classes)
    if not target.any():
        which = f" of classes {list(classes)}" if classes is not None else ""
        raise CoverageError(
            f"Layer {features.name!r} has no features{which} on the grid, so the distance to "
            "them is undefined. Check the layer's extent and CRS, or widen the grid."
        )
    distance = ndimage.distance_transform_edt(~target, sampling=(res_y, res_x))
    return Layer(name or f"distance_{features.name}", distance.astype(np.float32),
                 features.grid, units="m")
