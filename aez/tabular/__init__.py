"""District × sector tables as BPS publishes them: checks, yearly panels and totals.

Shared by the BPS readers (:mod:`aez.io.bps`) and the comparative-advantage
stage (:mod:`aez.economics`), which re-exports the public functions.

- :mod:`aez.tabular.panels`: district tables and ``{year: table}`` panels;
- :mod:`aez.tabular.totals`: do the parts add up to the stated totals.
"""

from aez.tabular.panels import (
    Panel,
    check_panel,
    check_reference,
    check_table,
    find_total_row,
    reference_panel,
    tables_by_year,
)
from aez.tabular.totals import SHIFT_FACTORS, check_district_totals, check_sector_totals

__all__ = [
    "SHIFT_FACTORS",
    "Panel",
    "check_district_totals",
    "check_panel",
    "check_reference",
    "check_sector_totals",
    "check_table",
    "find_total_row",
    "reference_panel",
    "tables_by_year",
]
