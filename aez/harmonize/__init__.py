"""Harmonisation: bring every input layer onto one analysis grid, tile by tile."""

from aez.harmonize.sources import RasterSource, Source, VectorSource, open_source
from aez.harmonize.spec import DerivedSpec, LayerSpec
from aez.harmonize.stack import LayerStack, TileData
from aez.harmonize.study_area import StudyArea, build_grid, build_study_area

__all__ = [
    "DerivedSpec",
    "LayerSpec",
    "LayerStack",
    "RasterSource",
    "Source",
    "StudyArea",
    "TileData",
    "VectorSource",
    "build_grid",
    "build_study_area",
    "open_source",
]
