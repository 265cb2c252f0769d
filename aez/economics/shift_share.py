"""Classic shift-share decomposition of the change between two years.

For district *i*, sector *j*, base year 0 and end year *t*, with E the
district values and R the reference region's (province or nation):

- reference growth G = ΣR_t / ΣR_0 − 1 and sector growth G_j = R_jt / R_j0 − 1;
- **national (regional) share** NS_ij = E_ij0 · G: the change had the sector
  grown like the whole reference economy (*komponen pertumbuhan nasional/
  regional*, PN/PR);
- **industry mix** (proportional shift) IM_ij = E_ij0 · (G_j − G): the extra
  change because the sector grows faster or slower than the reference economy
  (*pertumbuhan proporsional*, PP);
- **competitive** (differential shift) CS_ij = (E_ijt − E_ij0) − E_ij0 · G_j: the
  change beyond the sector's reference growth, the district's own edge
  (*pertumbuhan pangsa wilayah*, PPW).

NS + IM + CS = E_ijt − E_ij0 by construction (to floating-point rounding).
CS is taken as the remainder, so it is defined even when E_ij0 = 0 (a sector
new to the district), where the district's own growth rate is not.

>>> import pandas as pd
>>> t0 = pd.DataFrame({"padi": [100.0]}, index=["A"])
>>> t1 = pd.DataFrame({"padi": [150.0]}, index=["A"])
>>> ref = pd.DataFrame({"padi": [1000.0, 1250.0]}, index=[2020, 2021])
>>> parts = shift_share({2020: t0, 2021: t1}, reference=ref).loc[("A", "padi")]
>>> parts[["change", "national_share", "industry_mix", "competitive"]].tolist()
[50.0, 25.0, 0.0, 25.0]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from aez.errors import ConfigError
from aez.tabular.panels import Panel, check_panel, reference_panel

__all__ = ["SHIFT_SHARE_COLUMNS", "shift_share"]

#: Columns of the :func:`shift_share` result.
SHIFT_SHARE_COLUMNS: tuple[str, ...] = (
    "start", "end", "change", "national_share", "industry_mix", "competitive",
    "sector_growth", "reference_sector_growth", "reference_growth",
)


def shift_share(
    tables: Panel, *, reference: pd.DataFrame | Mapping[int, pd.Series] | None = None,
    start: int | None = None, end: int | None = None,
) -> pd.DataFrame:
    """Shift-share components of every district × sector between two years.

    Parameters
    ----------
    tables : mapping of int to DataFrame
        ``{year: district × sector table}`` (see
        :func:`~aez.tabular.panels.tables_by_year`); only ``start`` and
        ``end`` are used.
    reference : DataFrame or mapping of int to Series, optional
        Reference sector totals by year × sector (the province, or the nation).
        Default: the column sums of the tables, i.e. the districts' own region.
    start, end : int, optional
        Base and end year (default: the first and the last year).

    Returns
    -------
    DataFrame
        Indexed by (district, sector), in the tables' order, with columns
        ``start`` and ``end`` (E_ij0, E_ijt), ``change`` (E_ijt − E_ij0),
        ``national_share``, ``industry_mix``, ``competitive`` (same unit as the
        tables; they sum to ``change``), and the growth rates over the period
        ``sector_growth`` (E_ijt / E_ij0 − 1, NaN from a zero base),
        ``reference_sector_growth`` (G_j) and ``reference_growth`` (G).
        A NaN value or a zero reference base makes the affected components NaN.

    Raises
    ------
    ConfigError
        Mismatched tables, a year not in the tables, ``start`` ≥ ``end``, or a
        reference total of 0 in the base year.
    NegativeValueError
        A negative quantity.
    """
    panel = check_panel(tables)
    years = list(panel)
    start = years[0] if start is None else start
    end = years[-1] if end is None else end
    for year in (start, end):
        if year not in panel:
            raise ConfigError(f"Year {year} is not in the tables ({years}).")
    if start >= end:
        raise ConfigError(f"The base year {start} must come before the end year {end}.")
    pair = {start: panel[start], end: panel[end]}
    ref = reference_panel(reference, pair)
    r0 = ref.loc[start].to_numpy(dtype=np.float64)
    r1 = ref.loc[end].to_numpy(dtype=np.float64)
    total0 = float(np.nansum(r0))
    if not total0 > 0:
        raise ConfigError(f"The reference total of {start} is 0, so its growth is undefined. "
                          "Check the reference (or the tables, for the default reference).")
    e0 = pair[start].to_numpy()
    e1 = pair[end].to_numpy()
    growth = float(np.nansum(r1)) / total0 - 1.0
    with np.errstate(all="ignore"):
        sector_growth_ref = np.where(r0 > 0, r1 / np.where(r0 > 0, r0, 1.0) - 1.0, np.nan)
        sector_growth = np.where(e0 > 0, e1 / np.where(e0 > 0, e0, 1.0) - 1.0, np.nan)
    change = e1 - e0
    national = e0 * growth
    mix = e0 * (sector_growth_ref[None, :] - growth)
    competitive = change - (national + mix)
    first = pair[start]
    index = pd.MultiIndex.from_product([first.index, first.columns],
                                       names=["district", "sector"])
    columns = {
        "start": e0, "end": e1, "change": change, "national_share": national,
        "industry_mix": mix, "competitive": competitive, "sector_growth": sector_growth,
        "reference_sector_growth": np.broadcast_to(sector_growth_ref, e0.shape),
        "reference_growth": np.full(e0.shape, growth),
    }
    return pd.DataFrame({name: np.asarray(columns[name]).ravel() for name in SHIFT_SHARE_COLUMNS},
                        index=index)
