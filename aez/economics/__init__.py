"""Comparative advantage from production and GRDP tables.

Pure functions over pandas DataFrames (districts × sectors); reading BPS files
is :mod:`aez.io.bps`'s job.

- :func:`location_quotient` (static LQ), :func:`grouped_location_quotient` (LQ
  within baskets of sectors) and :func:`dynamic_location_quotient` (DLQ), in
  :mod:`aez.economics.lq`;
- :func:`shift_share`: national share, industry mix and competitive components;
- :func:`klassen_typology`: growth × share quadrants;
- :func:`check_sector_totals` / :func:`check_district_totals`: do the parts add
  up to BPS's stated totals (decimal-shift hints);
- :func:`join_crosswalk`: BPS ↔ Kemendagri codes, reporting unmatched rows;
- :func:`tables_by_year`: a long table as ``{year: district × sector table}``;
- :func:`potential_production`, :func:`local_yields`, :func:`potential_value`,
  :func:`production_gap`, :func:`check_prices`: potential production and value
  per kecamatan × commodity and the gap to today (:mod:`aez.economics.production`).

See ``docs/economics.md`` for the formulas and the choice of reference region.
"""

from aez.economics.crosswalk import CrosswalkJoin, join_crosswalk, normalise_code
from aez.economics.klassen import KLASSEN_LABELS, klassen_typology
from aez.economics.lq import (
    average_growth,
    dynamic_location_quotient,
    grouped_location_quotient,
    location_quotient,
)
from aez.economics.production import (
    check_prices,
    local_yields,
    potential_production,
    potential_value,
    production_gap,
)
from aez.economics.shift_share import SHIFT_SHARE_COLUMNS, shift_share
from aez.errors import NegativeValueError, TotalRowWarning, UnmatchedCodeWarning
from aez.tabular.panels import check_table, tables_by_year
from aez.tabular.totals import check_district_totals, check_sector_totals

__all__ = [
    "KLASSEN_LABELS",
    "SHIFT_SHARE_COLUMNS",
    "CrosswalkJoin",
    "NegativeValueError",
    "TotalRowWarning",
    "UnmatchedCodeWarning",
    "average_growth",
    "check_district_totals",
    "check_prices",
    "check_sector_totals",
    "check_table",
    "dynamic_location_quotient",
    "grouped_location_quotient",
    "join_crosswalk",
    "klassen_typology",
    "local_yields",
    "location_quotient",
    "normalise_code",
    "potential_production",
    "potential_value",
    "production_gap",
    "shift_share",
    "tables_by_year",
]
