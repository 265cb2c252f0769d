"""Do the parts add up to the stated totals? Checks for BPS tables.

BPS tables print totals next to their parts: the GRDP (PDRB) total next to its
17 sectors, the kabupaten total row under its kecamatan. Both are rounded, so
small differences are normal; large ones reveal typing errors in the source,
most often a lost decimal separator (a value 100 or 1000 times too large).

:func:`check_sector_totals` compares each row's sector sum with its stated
total and, where they disagree, looks for one or two sectors whose value
shifted by a power of ten would make them agree (a hint, not a repair).
:func:`check_district_totals` compares each column's district sum with a
total row.

>>> import pandas as pd
>>> sectors = pd.DataFrame({"tambang": [186.33, 18633.0], "tani": [54.95, 54.95]},
...                        index=[2013, 2014])
>>> report = check_sector_totals(sectors, pd.Series([241.28, 241.28], index=[2013, 2014]))
>>> report[["status", "suspect_sectors", "suspect_factors"]]
        status suspect_sectors suspect_factors
2013        ok              ()              ()
2014  mismatch      (tambang,)         (0.01,)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from aez.errors import ConfigError
from aez.tabular.panels import check_table

__all__ = ["SHIFT_FACTORS", "check_district_totals", "check_sector_totals"]

#: Powers of ten tried as decimal-shift corrections.
SHIFT_FACTORS: tuple[float, ...] = tuple(10.0 ** k for k in (-6, -5, -4, -3, -2, -1,
                                                               1, 2, 3, 4, 5, 6))


def check_sector_totals(sectors: pd.DataFrame, total: pd.Series, *, atol: float | None = None,
                        rtol: float = 0.0) -> pd.DataFrame:
    """Compare each row's sector sum with its stated total.

    Parameters
    ----------
    sectors : DataFrame
        Rows (e.g. region × year) × sector columns, non-negative.
    total : Series
        The stated total of each row (aligned on the index; a missing row is NaN).
    atol : float, optional
        Absolute tolerance in the table's unit. Default: half a unit per
        sector (0.5 × number of sectors), the most that rounding each sector
        to a whole unit can explain.
    rtol : float
        Relative tolerance, times |total|, added to ``atol``.

    Returns
    -------
    DataFrame
        One row per input row: ``stated_total``, ``sector_sum``,
        ``difference`` (sum − total), ``relative_difference`` (÷ total),
        ``status``, ``consistent`` (status is ``"ok"``), and for mismatches
        ``suspect_sectors`` / ``suspect_factors``: the one or two sectors (and
        the factors, e.g. 0.01) whose decimal-shift correction makes the sum
        agree with the total, ``()`` when none does; ``total_factor``: the
        power of ten that would make the stated total itself agree (NaN if
        none). ``status`` is one of

        - ``"ok"``: within tolerance;
        - ``"mismatch"``: outside it;
        - ``"empty"``: every sector and the total are 0 or missing (no data);
        - ``"incomplete"``: some sector is missing (NaN), not checked;
        - ``"no total"``: the total is missing, not checked.

    Raises
    ------
    ConfigError, NegativeValueError
        As :func:`~aez.tabular.panels.check_table`; or a negative ``atol``.
    """
    x = check_table(sectors, name="sector table")
    n_sectors = x.shape[1]
    atol = 0.5 * n_sectors if atol is None else float(atol)
    if atol < 0 or rtol < 0:
        raise ConfigError(f"Tolerances must be ≥ 0; got atol={atol:g}, rtol={rtol:g}.")
    stated = pd.to_numeric(total.reindex(x.index), errors="coerce").to_numpy(dtype=np.float64)
    values = x.to_numpy()
    missing = np.isnan(values)
    summed = np.nansum(values, axis=1)
    difference = summed - stated
    tolerance = atol + rtol * np.abs(stated)
    empty = (summed == 0) & (np.isnan(stated) | (stated == 0))
    status = np.where(empty, "empty", np.where(
        np.isnan(stated), "no total", np.where(
            missing.any(axis=1), "incomplete", np.where(
                np.abs(difference) > tolerance, "mismatch", "ok")))).astype(object)
    suspects: list[tuple[str, ...]] = []
    factors: list[tuple[float, ...]] = []
    total_factor = np.full(len(x), np.nan)
    for i in range(len(x)):
        found: tuple[tuple[int, ...], tuple[float, ...]] = ((), ())
        if status[i] == "mismatch":
            found = _decimal_shift(values[i], -difference[i], tolerance[i])
            for factor in SHIFT_FACTORS:
                if abs(stated[i] * factor - summed[i]) <= tolerance[i]:
                    total_factor[i] = factor
        suspects.append(tuple(str(x.columns[j]) for j in found[0]))
        factors.append(found[1])
    with np.errstate(all="ignore"):
        relative = np.where(stated != 0, difference / stated, np.nan)
    return pd.DataFrame({
        "stated_total": stated, "sector_sum": summed, "difference": difference,
        "relative_difference": relative, "status": status, "consistent": status == "ok",
        "suspect_sectors": suspects, "suspect_factors": factors, "total_factor": total_factor,
    }, index=sectors.index.copy())


def _decimal_shift(values: NDArray[np.float64], needed: float,
                   tolerance: float) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """One or two sectors whose power-of-ten correction adds ``needed`` (± tolerance).

    A correction of sector j by factor f adds v_j (f − 1). One sector is tried
    first (closest fit wins); then pairs whose corrections both point the way
    of ``needed``, so that two large opposite shifts cannot cancel by chance.
    """
    f = np.asarray(SHIFT_FACTORS)
    delta = values[:, None] * (f[None, :] - 1.0)          # (sectors, factors)
    delta[~np.isfinite(delta) | (values[:, None] == 0)] = np.nan
    with np.errstate(all="ignore"):
        miss = np.abs(delta - needed)
        if np.nanmin(miss, initial=np.inf) <= tolerance:
            j, k = np.unravel_index(np.nanargmin(miss), miss.shape)
            return (int(j),), (float(f[k]),)
        same_way = np.where(np.sign(delta) == np.sign(needed), delta, np.nan)
        pair = np.abs(same_way[:, :, None, None] + same_way[None, None, :, :] - needed)
    m = len(values)
    upper = np.triu(np.ones((m, m), dtype=bool), k=1)[:, None, :, None]
    pair = np.where(np.broadcast_to(upper, pair.shape), pair, np.nan)
    if np.nanmin(pair, initial=np.inf) <= tolerance:
        j, k, j2, k2 = np.unravel_index(np.nanargmin(pair), pair.shape)
        return (int(j), int(j2)), (float(f[k]), float(f[k2]))
    return (), ()


def check_district_totals(table: pd.DataFrame, total: pd.Series, *, atol: float | None = None,
                          rtol: float = 0.0) -> pd.DataFrame:
    """Compare each column's sum over the districts with a stated total row.

    Parameters
    ----------
    table : DataFrame
        Districts × commodities (without the total row).
    total : Series
        The stated total per commodity (e.g. BPS's kabupaten row).
    atol : float, optional
        Absolute tolerance; default half a unit per district (0.5 × rows).
    rtol : float
        Relative tolerance, times |total|, added to ``atol``.

    Returns
    -------
    DataFrame
        One row per commodity: ``stated_total``, ``district_sum``,
        ``difference`` (sum − total) and ``consistent`` (within tolerance;
        False where the total is missing).

    Examples
    --------
    >>> table = pd.DataFrame({"pisang": [2764.0, 121.0]}, index=["Paga", "Mego"])
    >>> check_district_totals(table, pd.Series({"pisang": 2886.0}))["difference"].tolist()
    [-1.0]
    """
    x = check_table(table)
    atol = 0.5 * x.shape[0] if atol is None else float(atol)
    if atol < 0 or rtol < 0:
        raise ConfigError(f"Tolerances must be ≥ 0; got atol={atol:g}, rtol={rtol:g}.")
    stated = pd.to_numeric(total.reindex(x.columns), errors="coerce").to_numpy(dtype=np.float64)
    summed = np.nansum(x.to_numpy(), axis=0)
    difference = summed - stated
    consistent = np.abs(difference) <= atol + rtol * np.abs(stated)
    return pd.DataFrame({"stated_total": stated, "district_sum": summed,
                         "difference": difference, "consistent": consistent},
                        index=x.columns.copy())
