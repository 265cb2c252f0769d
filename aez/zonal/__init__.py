"""Per-kecamatan aggregation: integer class histograms and the suitability table.

* :func:`class_histograms` and :func:`class_value_sums` count class layers per
  district, many layers in one pass over a tile, in exact integers (the
  suitability stage and :func:`aez.pipeline.zonal_class_areas` run them tile
  by tile);
* :func:`district_summary` turns each commodity's totals into one row per
  kecamatan × commodity (hectares per class, limiting qualities, mean index,
  the GAEZ-style suitability index SI, suitable area), and
  :func:`wide_table` pivots a column of it for scoring.

See ``docs/zonal.md``.
"""

from aez.zonal.histogram import (
    N_CLASSES,
    ClassAreas,
    ClassCounts,
    ValueSums,
    area_cm2_rows,
    class_histograms,
    class_value_sums,
)
from aez.zonal.summary import SI_WEIGHTS, district_summary, suitability_index, wide_table

__all__ = [
    "N_CLASSES",
    "SI_WEIGHTS",
    "ClassAreas",
    "ClassCounts",
    "ValueSums",
    "area_cm2_rows",
    "class_histograms",
    "class_value_sums",
    "district_summary",
    "suitability_index",
    "wide_table",
]
