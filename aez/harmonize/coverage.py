"""How much of the study area a layer's footprint covers, without forming a union."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["covered_share"]


def covered_share(footprint: BaseGeometry, parts: np.ndarray,
                  areas: np.ndarray | None = None) -> float:
    """Share (0–1) of the total area of ``parts`` (non-overlapping polygons) in ``footprint``.

    When ``footprint`` covers the parts' bounding box the share is 1 without
    any overlay; otherwise each part is intersected with it alone.

    >>> from shapely.geometry import box
    >>> parts = np.array([box(0, 0, 1, 1), box(1, 0, 3, 1)], dtype=object)
    >>> covered_share(box(-1, -1, 5, 5), parts), covered_share(box(0, 0, 2, 1), parts)
    (1.0, 0.6666666666666666)
    """
    areas = shapely.area(parts) if areas is None else areas
    total = float(np.sum(areas))
    if total <= 0:
        return 0.0
    if footprint.covers(shapely.box(*shapely.total_bounds(parts))):
        return 1.0
    return float(np.sum(shapely.area(shapely.intersection(footprint, parts))) / total)
