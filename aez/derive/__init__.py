"""Derived layers: terrain, temperature from elevation, distance and travel time.

Compute stages over :class:`~aez.layer.Layer` values: they read no files.
Focal ones (:func:`slope`, :func:`aspect`) need a halo of one cell per tile;
point-wise ones (:func:`landform`, :func:`temperature_from_elevation`) work on
any window; global ones (:func:`distance_to`, :func:`travel_time`) need the
whole grid. :mod:`aez.derive.methods` describes them for run configs.
:mod:`aez.derive.climate` computes climate indices (annual rainfall, dry months,
Oldeman, Schmidt–Ferguson) from monthly series.
"""

from aez.derive.distance import distance_to, feature_cells
from aez.derive.temperature import temperature_from_elevation
from aez.derive.terrain import RELIEF_CLASSES, aspect, landform, slope
from aez.derive.travel_time import DEFAULT_ROAD_SPEEDS, tobler_speed, travel_time

__all__ = [
    "DEFAULT_ROAD_SPEEDS",
    "RELIEF_CLASSES",
    "aspect",
    "distance_to",
    "feature_cells",
    "landform",
    "slope",
    "temperature_from_elevation",
    "tobler_speed",
    "travel_time",
]
