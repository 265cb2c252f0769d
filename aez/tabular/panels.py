"""District × sector tables: validation, reference regions and yearly panels.

Every function of :mod:`aez.economics` takes quantities as a *district table*:
a :class:`pandas.DataFrame` with one row per district (kecamatan, kabupaten)
and one column per commodity or sector, all numeric and in one unit (tons,
quintals, ha, billion Rp). A series over years is a *panel*: a mapping
``{year: table}`` whose tables share their districts and sectors.

Rules shared by all functions:

- negative values raise :class:`~aez.errors.NegativeValueError`;
- ±inf, non-numeric columns and duplicated district or sector labels raise
  :class:`~aez.errors.ConfigError`;
- NaN means *not available* (BPS ``...``): the cell's own result is NaN and it
  counts as 0 in row and column sums.

>>> import pandas as pd
>>> long = pd.DataFrame({"tahun": [2020, 2020, 2021, 2021], "kec": ["A", "A", "A", "A"],
...                      "komoditas": ["padi", "jagung", "padi", "jagung"],
...                      "ton": [10.0, 5.0, 12.0, 6.0]})
>>> panel = tables_by_year(long, year="tahun", district="kec", sector="komoditas", value="ton")
>>> sorted(panel), float(panel[2021].loc["A", "padi"])
([2020, 2021], 12.0)
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from aez.errors import ConfigError, NegativeValueError

__all__ = ["Panel", "check_panel", "check_reference", "check_table", "find_total_row",
           "reference_panel", "tables_by_year"]


#: A yearly series of district tables.
Panel = Mapping[int, pd.DataFrame]


def check_table(table: pd.DataFrame, *, name: str = "table") -> pd.DataFrame:
    """Validate a district table and return it as float64 (a new frame).

    Raises
    ------
    ConfigError
        Not a DataFrame, empty, duplicated labels, non-numeric columns, or ±inf.
    NegativeValueError
        Any value below zero.
    """
    if not isinstance(table, pd.DataFrame):
        raise ConfigError(f"The {name} must be a pandas DataFrame (districts × sectors); "
                          f"got {type(table).__name__}.")
    if table.shape[0] == 0 or table.shape[1] == 0:
        raise ConfigError(f"The {name} is empty (shape {table.shape}); it needs at least one "
                          "district row and one sector column.")
    for axis, labels in (("sector column", table.columns), ("district row", table.index)):
        duplicated = labels[labels.duplicated()]
        if len(duplicated):
            raise ConfigError(f"The {name} has a duplicated {axis} {duplicated[0]!r}. Sum or "
                              "drop the duplicates first.")
    bad = [c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c])
           or pd.api.types.is_bool_dtype(table[c])]
    if bad:
        raise ConfigError(
            f"Column {bad[0]!r} of the {name} is not numeric (dtype {table[bad[0]].dtype}). "
            "Put district names or codes in the index (e.g. table.set_index('kecamatan')), "
            "keep only quantity columns, and parse BPS number text with "
            "aez.io.bps.parse_bps_number.")
    values = table.to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isinf(values).any():
        i, j = np.argwhere(np.isinf(values))[0]
        raise ConfigError(f"The {name} holds an infinite value at ({table.index[i]!r}, "
                          f"{table.columns[j]!r}). Quantities must be finite (NaN = not "
                          "available).")
    negative = values < 0
    if negative.any():
        i, j = np.argwhere(negative)[0]
        raise NegativeValueError(
            f"The {name} holds {int(negative.sum())} negative value(s); the first is "
            f"{values[i, j]:g} at ({table.index[i]!r}, {table.columns[j]!r}). Production, "
            "area and GRDP cannot be negative: correct the value, or set it to NaN if it is "
            "not known.")
    return pd.DataFrame(values, index=table.index.copy(), columns=table.columns.copy())


def check_reference(reference: pd.Series, columns: pd.Index, *,
                    name: str = "reference") -> pd.Series:
    """Validate a reference region's sector totals against a table's sector columns.

    The reference must name exactly the table's sectors, so that both shares
    are taken over the same set of sectors. Returns float64 in column order.

    Raises
    ------
    ConfigError
        Not a Series, sectors missing or extra, non-numeric, or ±inf.
    NegativeValueError
        A negative sector total.
    """
    if not isinstance(reference, pd.Series):
        raise ConfigError(f"The {name} must be a pandas Series of sector totals indexed by "
                          f"sector; got {type(reference).__name__}.")
    if reference.index.duplicated().any():
        raise ConfigError(f"The {name} names sector "
                          f"{reference.index[reference.index.duplicated()][0]!r} twice.")
    missing = [c for c in columns if c not in reference.index]
    if missing:
        raise ConfigError(f"The {name} has no value for sector {missing[0]!r} "
                          f"({len(missing)} missing of {len(columns)}). Give a total for every "
                          "sector column of the table.")
    extra = [s for s in reference.index if s not in set(columns)]
    if extra:
        raise ConfigError(
            f"The {name} has sector {extra[0]!r} ({len(extra)} in all) that the table lacks; "
            "both shares must be over the same sectors. Select them with "
            "reference[table.columns].")
    if not pd.api.types.is_numeric_dtype(reference) or pd.api.types.is_bool_dtype(reference):
        raise ConfigError(f"The {name} is not numeric (dtype {reference.dtype}).")
    values = reference.reindex(columns).to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isinf(values).any():
        raise ConfigError(f"The {name} holds an infinite value for sector "
                          f"{columns[int(np.argmax(np.isinf(values)))]!r}.")
    if (values < 0).any():
        k = int(np.argmax(values < 0))
        raise NegativeValueError(f"The {name} total of sector {columns[k]!r} is "
                                 f"{values[k]:g}; sector totals cannot be negative.")
    return pd.Series(values, index=columns.copy(), name=reference.name)


def check_panel(tables: Panel, *, name: str = "tables") -> dict[int, pd.DataFrame]:
    """Validate a yearly panel: at least two integer years, same districts and sectors.

    Returns ``{year: float64 table}`` in year order, every table in the row and
    column order of the first year's.
    """
    if not isinstance(tables, Mapping):
        raise ConfigError(f"The {name} must be a mapping {{year: DataFrame}}; got "
                          f"{type(tables).__name__}. Build one with tables_by_year().")
    years = []
    for year in tables:
        if isinstance(year, bool) or not isinstance(year, int | np.integer):
            raise ConfigError(f"The {name} are keyed by year (int); got {year!r}.")
        years.append(int(year))
    if len(years) < 2:
        raise ConfigError(f"The {name} hold {len(years)} year(s); growth needs at least two.")
    out: dict[int, pd.DataFrame] = {}
    first: pd.DataFrame | None = None
    for year in sorted(years):
        table = check_table(tables[year], name=f"{year} table")
        if first is None:
            first = table
        else:
            for axis, mine, theirs in (("districts", table.index, first.index),
                                       ("sectors", table.columns, first.columns)):
                if set(mine) != set(theirs):
                    odd = sorted(map(str, set(mine) ^ set(theirs)))
                    raise ConfigError(
                        f"The {year} table's {axis} differ from the {min(years)} table's "
                        f"(e.g. {odd[0]!r}). Every year needs the same {axis}; add missing "
                        "ones as 0 (none produced) or NaN (not available).")
            table = table.loc[first.index, first.columns]
        out[year] = table
    return out


def reference_panel(reference: pd.DataFrame | Mapping[int, pd.Series] | None,
                    tables: Mapping[int, pd.DataFrame]) -> pd.DataFrame:
    """Return the reference sector totals by year (rows) and sector (columns).

    ``None`` takes each year's column sums of the tables (the tables' own
    total, e.g. the kabupaten as the sum of its kecamatan). Otherwise a
    DataFrame indexed by year, or a mapping ``{year: Series}``, covering every
    year of the panel.
    """
    columns = next(iter(tables.values())).columns
    if reference is None:
        return pd.DataFrame({year: table.sum(axis=0) for year, table in tables.items()}).T
    if isinstance(reference, pd.DataFrame):
        rows = {int(year): reference.loc[year] for year in reference.index}
    elif isinstance(reference, Mapping):
        rows = {int(year): series for year, series in reference.items()}
    else:
        raise ConfigError("The reference must be a DataFrame (years × sectors) or a mapping "
                          f"{{year: Series}}; got {type(reference).__name__}.")
    missing = [year for year in tables if year not in rows]
    if missing:
        raise ConfigError(f"The reference has no sector totals for {missing[0]}; it needs "
                          f"every year of the tables ({sorted(tables)}).")
    return pd.DataFrame({year: check_reference(rows[year], columns, name=f"{year} reference")
                         for year in tables}).T


def tables_by_year(long: pd.DataFrame, *, year: str, district: str, sector: str,
                   value: str) -> dict[int, pd.DataFrame]:
    """Split a long table into ``{year: district × sector table}``.

    Parameters
    ----------
    long : DataFrame
        One row per (year, district, sector).
    year, district, sector, value : str
        Column names. ``value`` must be numeric.

    Returns
    -------
    dict of int to DataFrame
        Every year has all districts and sectors that occur in any year
        (sorted); a combination absent from ``long`` is NaN (not available).

    Raises
    ------
    ConfigError
        A column is missing, ``value`` is not numeric, or a (year, district,
        sector) appears twice.
    """
    for column in (year, district, sector, value):
        if column not in long.columns:
            raise ConfigError(f"The long table has no column {column!r}; it has "
                              f"{list(long.columns)}.")
    if not pd.api.types.is_numeric_dtype(long[value]):
        raise ConfigError(f"Column {value!r} is not numeric (dtype {long[value].dtype}); parse "
                          "BPS number text first (aez.io.bps.parse_bps_number).")
    keys = [year, district, sector]
    duplicated = long.duplicated(subset=keys)
    if duplicated.any():
        first = dict(zip(keys, long.loc[duplicated, keys].iloc[0].tolist(), strict=True))
        raise ConfigError(f"The long table has more than one row for {first}. "
                          "Filter it to one table (e.g. one BPS table number) first.")
    rows = pd.Index(long[district].unique()).sort_values()
    columns = pd.Index(long[sector].unique()).sort_values()
    out: dict[int, pd.DataFrame] = {}
    for when, part in long.groupby(year, sort=True):
        wide = part.pivot(index=district, columns=sector, values=value)
        wide = wide.reindex(index=rows, columns=columns).astype(np.float64)
        wide.index.name, wide.columns.name = district, None
        out[int(when)] = wide
    return out


def find_total_row(table: pd.DataFrame) -> int | None:
    """Position of a row equal to the sum of all the other rows, or None.

    "Equal" allows for BPS rounding: per column within 1 % plus half a unit per
    other row, and the row's total within 1 % of the others'. Tables of fewer
    than three rows are never judged.

    >>> table = pd.DataFrame({"padi": [5.0, 7.0, 12.0], "jagung": [1.0, 2.0, 3.0]})
    >>> find_total_row(table)
    2
    """
    n = len(table)
    if n < 3:
        return None
    values = np.nan_to_num(table.to_numpy(dtype=np.float64))
    totals = values.sum(axis=0)
    for i in range(n):
        row = values[i]
        others = totals - row
        if row.sum() <= 0:
            continue
        close = np.abs(row - others) <= 0.01 * others + 0.5 * (n - 1)
        if close.all() and abs(row.sum() - others.sum()) <= 0.01 * others.sum():
            return i
    return None
