"""Location quotients: static (LQ) and dynamic (DLQ).

**Static LQ.** For district *i* and sector (commodity) *j*,

    LQ_ij = (x_ij / Σ_j x_ij) / (R_j / Σ_j R_j)

the sector's share of the district's total over the sector's share of the
reference region's total. LQ > 1 marks a *basis* sector: the district is more
specialised in it than the reference region. The reference R defaults to the
column sums of the table (the kabupaten as the sum of its kecamatan); a
province or the nation can be given instead as a Series of sector totals.

Edge cases (see :mod:`aez.tabular.panels` for the shared input rules):

- a district whose sectors are all 0 has no shares: its row is NaN;
- a sector that is 0 in the reference has no reference share: its column is
  NaN (and a district producing it against a zero reference total is an error);
- a NaN cell (not available) gives a NaN LQ and counts as 0 in the sums.

>>> import pandas as pd
>>> table = pd.DataFrame({"padi": [30.0, 10.0], "jagung": [10.0, 30.0]}, index=["A", "B"])
>>> location_quotient(table)
   padi  jagung
A   1.5     0.5
B   0.5     1.5
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from aez.errors import ConfigError, TotalRowWarning
from aez.tabular.panels import (
    Panel,
    check_panel,
    check_reference,
    check_table,
    find_total_row,
    reference_panel,
)

__all__ = ["GROWTH_METHODS", "average_growth", "dynamic_location_quotient",
           "grouped_location_quotient", "location_quotient"]

#: How a growth rate over a period is averaged (see :func:`average_growth`).
GrowthMethod = Literal["mean", "compound"]
GROWTH_METHODS: tuple[str, ...] = ("mean", "compound")


def location_quotient(table: pd.DataFrame, *,
                      reference: pd.Series | None = None) -> pd.DataFrame:
    """Compute the static location quotient of every district × sector.

    Parameters
    ----------
    table : DataFrame
        Districts (rows) × sectors or commodities (columns), non-negative, all
        in one unit (e.g. quintals of production, billion Rp of GRDP). Do not
        include a total row: a row equal to the sum of the others triggers a
        :class:`~aez.errors.TotalRowWarning`.
    reference : Series, optional
        Sector totals of the reference region (e.g. the province), indexed by
        exactly the table's columns. Default: the column sums of ``table``.

    Returns
    -------
    DataFrame
        LQ (dimensionless), same index and columns as ``table``.

    Raises
    ------
    NegativeValueError
        A negative quantity in ``table`` or ``reference``.
    ConfigError
        Non-numeric or infinite data, mismatched sectors, no positive value
        at all, or a district producing a sector the reference lacks.

    Examples
    --------
    Against a reference region (Σ R = 100, so the reference shares are 0.2 and 0.8):

    >>> table = pd.DataFrame({"kopi": [5.0], "kakao": [15.0]}, index=["Kec. A"])
    >>> location_quotient(table, reference=pd.Series({"kopi": 20.0, "kakao": 80.0}))
            kopi   kakao
    Kec. A  1.25  0.9375
    """
    x = check_table(table)
    ref = x.sum(axis=0) if reference is None else check_reference(reference, x.columns)
    _warn_if_total_row(x)
    values = x.to_numpy()
    ref_values = ref.to_numpy(dtype=np.float64)
    ref_total = float(np.nansum(ref_values))
    if not ref_total > 0:
        raise ConfigError("The reference total is 0: no sector has a positive value, so no "
                          "share (and no LQ) is defined. Check that the table holds data.")
    with np.errstate(all="ignore"):
        share = values / np.nansum(values, axis=1, keepdims=True)
        ref_share = ref_values / ref_total
        orphan = (share > 0) & (ref_share == 0)[None, :]
        if orphan.any():
            i, j = np.argwhere(orphan)[0]
            raise ConfigError(
                f"District {x.index[i]!r} has {values[i, j]:g} of {x.columns[j]!r}, but the "
                "reference total of that sector is 0. The reference region must contain "
                "the districts (e.g. their province); check the reference.")
        lq = share / ref_share[None, :]
    return pd.DataFrame(lq, index=table.index.copy(), columns=table.columns.copy())


def grouped_location_quotient(table: pd.DataFrame, groups: Mapping[str, str] | None = None, *,
                              reference: pd.Series | None = None) -> pd.DataFrame:
    """Location quotients computed within each group (basket) of sectors.

    The shares of :func:`location_quotient` depend on the basket of sectors that
    make up a district's total. Statistics come in groups: BPS publishes
    fruit (table 5.1.13), vegetables (5.1.2) and medicinal plants (5.1.6) as
    separate tables, each in its own unit. Within a group the quantities add up
    to a meaningful total; across groups (tons of banana plus tons of ginger)
    they do not. Here each group's columns are a basket of their own:

        LQ_ij = (x_ij / Σ_{j∈g} x_ij) / (R_j / Σ_{j∈g} R_j),   g the group of j

    Parameters
    ----------
    table : DataFrame
        Districts × sectors, every sector of every basket (not only those of
        interest: the totals need them all).
    groups : mapping of str to str, optional
        Sector → group. Default: one group of all columns (the plain LQ).
    reference : Series, optional
        Reference totals per sector (default: the column sums of ``table``).

    Returns
    -------
    DataFrame
        LQ, same index and columns as ``table``; NaN where a district has
        nothing in the sector's group.

    Raises
    ------
    ConfigError
        A sector without a group, or the errors of :func:`location_quotient`.

    Examples
    --------
    Fruit (pisang, mangga) and a spice (jahe) in two baskets. In the fruit basket
    A holds 30 of 40 t of banana and 10 of 40 t of mango (shares ¾, ¼ against
    ½, ½ overall); ginger, alone in its basket, has LQ 1 wherever it grows:

    >>> table = pd.DataFrame({"pisang": [30.0, 10.0], "mangga": [10.0, 30.0],
    ...                       "jahe": [1.0, 50.0]}, index=["A", "B"])
    >>> grouped_location_quotient(table, {"pisang": "fruit", "mangga": "fruit",
    ...                                   "jahe": "spice"})
       pisang  mangga  jahe
    A     1.5     0.5   1.0
    B     0.5     1.5   1.0
    """
    if groups is None:
        return location_quotient(table, reference=reference)
    lacking = [c for c in table.columns if c not in groups]
    if lacking:
        raise ConfigError(f"Sectors {lacking[:5]} have no group; give every column of the "
                          "table a group (basket).")
    parts = []
    for group in dict.fromkeys(groups[c] for c in table.columns):
        columns = [c for c in table.columns if groups[c] == group]
        part_reference = None if reference is None else reference.reindex(columns)
        parts.append(location_quotient(table[columns], reference=part_reference))
    return pd.concat(parts, axis=1).reindex(columns=table.columns)


def average_growth(series: NDArray[np.float64], years: list[int], *,
                   method: GrowthMethod = "mean") -> NDArray[np.float64]:
    """Average annual growth rate of series stacked along axis 0 (one row per year).

    ``"mean"``: the arithmetic mean of the year-on-year rates
    x_{k+1}/x_k − 1 (the *rata-rata laju pertumbuhan* of Indonesian studies;
    the years must be consecutive). ``"compound"``: (x_last/x_first)^(1/t) − 1
    with t = last − first year (only the end years matter). A rate from a
    zero or NaN base is undefined, and so is the average (NaN).

    >>> round(float(average_growth(np.array([100.0, 110.0, 132.0]), [2020, 2021, 2022])), 6)
    0.15
    >>> round(float(average_growth(np.array([100.0, 110.0, 121.0]), [2020, 2021, 2022],
    ...                            method="compound")), 6)
    0.1
    """
    x = np.asarray(series, dtype=np.float64)
    with np.errstate(all="ignore"):
        if method == "mean":
            base = x[:-1]
            rates = np.where(base > 0, x[1:] / np.where(base > 0, base, 1.0) - 1.0, np.nan)
            return np.asarray(rates.mean(axis=0))
        if method == "compound":
            t = years[-1] - years[0]
            ratio = np.where(x[0] > 0, x[-1] / np.where(x[0] > 0, x[0], 1.0), np.nan)
            return np.asarray(ratio ** (1.0 / t) - 1.0)
    raise ConfigError(f"Unknown growth method {method!r}; use one of {GROWTH_METHODS}.")


def growth_panel(tables: Panel, reference: pd.DataFrame | Mapping[int, pd.Series] | None,
                 growth: str) -> tuple[dict[int, pd.DataFrame], list[int],
                                       NDArray[np.float64], NDArray[np.float64]]:
    """Return the checked panel, its years, the (year, district, sector) values and the reference.

    Shared by the measures that compare growth over a period (DLQ, Klassen).
    """
    if growth not in GROWTH_METHODS:
        raise ConfigError(f"Unknown growth method {growth!r}; use one of {GROWTH_METHODS}.")
    panel = check_panel(tables)
    years = list(panel)
    if growth == "mean" and years != list(range(years[0], years[-1] + 1)):
        raise ConfigError(
            f"growth='mean' averages year-on-year rates and needs consecutive years; got "
            f"{years}. Supply every year, or use growth='compound' (end years only).")
    ref = reference_panel(reference, panel).to_numpy(dtype=np.float64)
    stack = np.stack([panel[year].to_numpy() for year in years])
    return panel, years, stack, ref


def dynamic_location_quotient(
    tables: Panel, *, reference: pd.DataFrame | Mapping[int, pd.Series] | None = None,
    growth: GrowthMethod = "mean",
) -> pd.DataFrame:
    """Dynamic location quotient (DLQ) of every district × sector over a period.

    The form used in Indonesian regional-planning studies:

        DLQ_ij = [ ((1 + g_ij) / (1 + g_j)) / ((1 + G_i) / (1 + G)) ]^t

    with g_ij the average annual growth of sector *i* in district *j*, g_j that
    of the district's total, G_i and G the same in the reference region, and t
    the number of years from the first to the last year. DLQ > 1: the sector
    gains weight in the district faster than in the reference (a sector with
    prospects), DLQ < 1: slower. The variables and the exponent t follow
    C. Angelina (2019), *Comparative Advantage dan Location Quotient*,
    Kompasiana (https://www.kompasiana.com/181910501059callistaa/5dcda0f1097f3604df138602/comparative-advantage-dan-location-quotient?page=2),
    and *Analisis Dynamic Location Quotient (DLQ)*, after Kuncoro (2012)
    (https://text-id.123dok.com/document/lzgrgp08q-analisis-dynamic-location-quotient-dlq.html).

    With ``growth="compound"``, (1 + g)^t is the growth over the whole period,
    so the DLQ equals LQ_last / LQ_first exactly.

    Parameters
    ----------
    tables : mapping of int to DataFrame
        ``{year: district × sector table}``, at least two years, same districts
        and sectors (see :func:`~aez.tabular.panels.tables_by_year`).
    reference : DataFrame or mapping of int to Series, optional
        Reference sector totals by year (rows) and sector (columns). Default:
        each year's column sums of the tables.
    growth : {"mean", "compound"}
        How the average annual growth rates are taken (:func:`average_growth`).
        ``"mean"`` needs consecutive years.

    Returns
    -------
    DataFrame
        DLQ (dimensionless), districts × sectors in the first year's order.
        NaN where a growth rate is undefined (a zero or missing base value).

    Raises
    ------
    ConfigError
        Fewer than two years, mismatched tables, a gap in the years with
        ``growth="mean"``, or an unknown method.
    NegativeValueError
        A negative quantity.

    Examples
    --------
    District A's padi grows 100 → 150 while its total grows 200 → 250; the
    reference padi grows 1000 → 1100 and its total 2000 → 2200 (t = 1):

    >>> t0 = pd.DataFrame({"padi": [100.0], "jagung": [100.0]}, index=["A"])
    >>> t1 = pd.DataFrame({"padi": [150.0], "jagung": [100.0]}, index=["A"])
    >>> ref = pd.DataFrame({"padi": [1000.0, 1100.0], "jagung": [1000.0, 1100.0]},
    ...                    index=[2020, 2021])
    >>> dynamic_location_quotient({2020: t0, 2021: t1}, reference=ref).round(4)
       padi  jagung
    A   1.2     0.8
    """
    panel, years, stack, ref = growth_panel(tables, reference, growth)
    g_sector = average_growth(stack, years, method=growth)
    g_district = average_growth(np.nansum(stack, axis=2), years, method=growth)
    g_ref_sector = average_growth(ref, years, method=growth)
    g_ref = average_growth(np.nansum(ref, axis=1), years, method=growth)
    t = years[-1] - years[0]
    with np.errstate(all="ignore"):
        local = (1.0 + g_sector) / (1.0 + g_district)[:, None]
        wider = (1.0 + g_ref_sector) / (1.0 + g_ref)
        dlq = (local / wider[None, :]) ** t
    dlq[~np.isfinite(dlq)] = np.nan
    first = panel[years[0]]
    return pd.DataFrame(dlq, index=first.index.copy(), columns=first.columns.copy())


def _warn_if_total_row(x: pd.DataFrame) -> None:
    """Warn when one row equals the sum of all the others (a total row left in)."""
    i = find_total_row(x)
    if i is not None:
        warnings.warn(
            f"Row {x.index[i]!r} equals the sum of the other {len(x) - 1} rows: it looks like "
            "a total row. Drop it (table.drop(index=...)); counted as a district it "
            "halves every reference share.", TotalRowWarning, stacklevel=3)
