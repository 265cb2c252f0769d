"""Harmonisation: bring every input layer onto one analysis grid, tile by tile."""

from aez.harmonize.sources import RasterSource, Source, VectorSource, open_source
from aez.harmonize.spec import DerivedSpec, LayerSpec
from aez.harmonize.stack import LayerStack, StudyArea, TileData

__all__ = [
    "DerivedSpec",
    "LayerSpec",
    "LayerStack",
    "RasterSource",
    "Source",
    "StudyArea",
    "TileData",
    "VectorSource",
    "open_source",
]
