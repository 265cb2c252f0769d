"""Derived layers: terrain from a DEM (slope, aspect, relief class).

Compute stages over :class:`~aez.layer.Layer` values: they read no files.
"""

from aez.derive.terrain import RELIEF_CLASSES, aspect, landform, slope

__all__ = ["RELIEF_CLASSES", "aspect", "landform", "slope"]
