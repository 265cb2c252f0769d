"""Potential production and gross value per kecamatan × commodity, and the gap to today.

**Potential production** (t/yr) of a commodity in a kecamatan is the yield its
suitable, available land would give::

    potential_t = Σ_class ha(class) × fraction(class) × yield

over the classes S1, S2, S3 and N, where ``ha`` is the land of that class the
suitability stage left available (land whose status excludes agriculture,
protected forest, water and settlements are class X and do not count),
``fraction`` the relative yield of the class (:data:`aez.crops.yields.DEFAULT_FRACTIONS`:
S1 0.875, S2 0.625, S3 0.375, N 0, after Sys et al. 1991) and ``yield`` the
reference yield of the crop table in t/ha/yr of its marketed product.

**Local yield.** Where BPS gives both the production (t) and the harvested
area (ha) of a commodity in a kecamatan for the same year, the productivity
they imply, production / area, replaces the national reference yield for that
pair; ``yield_source`` says which was used (``"reference"``, ``"bps_local"``,
or ``"none"``: no yield, no estimate). A missing yield gives a missing (NaN)
potential, never zero.

**Potential gross value** (Rp/yr) = potential_t × 1000 kg/t × price (Rp/kg),
with the commodity's price of the latest year in the price table.

**Gap to today**: ``realised_share`` = realised production / potential
production, from the latest year of the production table (NaN where either is
missing or the potential is 0).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from aez.crops.yields import DEFAULT_FRACTIONS
from aez.errors import ConfigError, PriceTableError

__all__ = [
    "CLASS_COLUMNS",
    "check_prices",
    "local_yields",
    "potential_production",
    "potential_value",
    "production_gap",
]

#: Hectare columns of the suitability summary, by class.
CLASS_COLUMNS: Mapping[str, str] = {"S1": "S1_ha", "S2": "S2_ha", "S3": "S3_ha", "N": "N_ha"}
#: The one unit a price table may state (case, spaces and "." ignored).
PRICE_UNIT = "rp/kg"
KG_PER_T = 1000.0


def local_yields(production: pd.DataFrame, *, value: str = "production_ton",
                 area: str = "area_ha", year: int | None = None) -> pd.DataFrame:
    """Productivity implied by BPS production and harvested area, t/ha.

    Parameters
    ----------
    production : DataFrame
        Long table with ``kecamatan_id``, ``commodity``, ``year``, production
        (t) in ``value`` and harvested area (ha) in ``area``.
    year : int, optional
        The year to use; default the table's latest.

    Returns
    -------
    DataFrame
        ``kecamatan_id``, ``commodity``, ``year``, ``local_yield_t_ha``: one row
        per pair where both production and area are given and above 0.

    >>> p = pd.DataFrame({"kecamatan_id": ["01", "02"], "commodity": ["tomat", "tomat"],
    ...                   "year": [2023, 2023], "production_ton": [120.0, 5.0],
    ...                   "area_ha": [10.0, None]})
    >>> local_yields(p).to_dict("records")
    [{'kecamatan_id': '01', 'commodity': 'tomat', 'year': 2023, 'local_yield_t_ha': 12.0}]
    """
    for column in ("kecamatan_id", "commodity", "year", value, area):
        if column not in production.columns:
            raise ConfigError(f"The production table has no column {column!r}; it has "
                              f"{list(production.columns)}. Local yields need production "
                              f"([tables] production_value) and harvested area ([tables] "
                              "production_area).")
    chosen = int(production["year"].max()) if year is None else int(year)
    rows = production[production["year"] == chosen]
    summed = rows.groupby(["kecamatan_id", "commodity"], sort=True)[[value, area]].sum(
        min_count=1)
    given = summed[(summed[value] > 0) & (summed[area] > 0)]
    out = (given[value] / given[area]).rename("local_yield_t_ha").reset_index()
    out.insert(2, "year", chosen)
    return out


def potential_production(summary: pd.DataFrame, yields: Mapping[str, float | None], *,
                         fractions: Mapping[str, Mapping[str, float]] | None = None,
                         local: pd.DataFrame | None = None) -> pd.DataFrame:
    """Potential production of every kecamatan × commodity of a suitability summary.

    Parameters
    ----------
    summary : DataFrame
        :func:`aez.zonal.district_summary`: ``kecamatan_id``, ``commodity`` and
        the hectares per class ``S1_ha``, ``S2_ha``, ``S3_ha``, ``N_ha``.
    yields : mapping of str to float or None
        Commodity → reference yield, t/ha/yr; None, NaN or absent: no estimate.
    fractions : mapping of str to mapping, optional
        Commodity → relative yield per class S1, S2, S3, N; commodities left
        out take :data:`aez.crops.yields.DEFAULT_FRACTIONS`.
    local : DataFrame, optional
        :func:`local_yields`: where it has a pair, its yield replaces the reference.

    Returns
    -------
    DataFrame
        The summary's ``kecamatan_id`` (and ``kecamatan``), ``commodity`` and
        class hectares, then ``yield_weighted_ha`` (Σ ha × fraction),
        ``yield_t_ha``, ``yield_source`` and ``potential_t`` (t/yr).

    Examples
    --------
    >>> s = pd.DataFrame({"kecamatan_id": ["01"], "commodity": ["jagung"], "S1_ha": [100.0],
    ...                   "S2_ha": [40.0], "S3_ha": [0.0], "N_ha": [60.0]})
    >>> t = potential_production(s, {"jagung": 5.0})
    >>> float(t.loc[0, "potential_t"])  # (100 × 0.875 + 40 × 0.625) × 5
    562.5
    """
    missing = [c for c in ("kecamatan_id", "commodity", *CLASS_COLUMNS.values())
               if c not in summary.columns]
    if missing:
        raise ConfigError(f"The suitability summary has no column {missing[0]!r}; pass the "
                          "table of aez.zonal.district_summary.")
    keep = [c for c in ("kecamatan_id", "kecamatan", "commodity") if c in summary.columns]
    out = summary[keep + list(CLASS_COLUMNS.values())].copy()
    given = dict(fractions or {})
    weighted = np.zeros(len(out))
    for cls, column in CLASS_COLUMNS.items():
        share = out["commodity"].map(lambda c, k=cls: given.get(c, DEFAULT_FRACTIONS)[k])
        weighted = weighted + out[column].to_numpy(dtype=np.float64) * share.to_numpy(
            dtype=np.float64)
    out["yield_weighted_ha"] = weighted
    reference = out["commodity"].map(lambda c: _number(yields.get(c)))
    out["yield_t_ha"] = reference
    out["yield_source"] = np.where(reference.notna(), "reference", "none")
    if local is not None and len(local):
        key = pd.MultiIndex.from_frame(out[["kecamatan_id", "commodity"]])
        found = local.set_index(["kecamatan_id", "commodity"])["local_yield_t_ha"]
        here = found.reindex(key).to_numpy()
        has = ~np.isnan(here)
        out.loc[has, "yield_t_ha"] = here[has]
        out.loc[has, "yield_source"] = "bps_local"
    out["potential_t"] = out["yield_weighted_ha"] * out["yield_t_ha"]
    return out.reset_index(drop=True)


def check_prices(prices: pd.DataFrame, commodities: Iterable[str], *, where: str = "prices",
                 column: str = "price_rp_per_kg") -> pd.DataFrame:
    """Validate a price table; return one row per commodity and year.

    The table has ``commodity``, ``year`` and ``column`` (Rp/kg); a ``unit``
    (or ``satuan``) column, when present, must say Rp/kg on every row.
    Commodities must be among ``commodities`` (the known crop ids), prices
    finite and above 0, and each commodity has one price per year.

    Raises
    ------
    PriceTableError
        Naming the row, the value seen and the remedy.

    >>> p = pd.DataFrame({"commodity": ["jagung"], "year": [2023], "price_rp_per_kg": [5000]})
    >>> check_prices(p, ["jagung"])["price_rp_per_kg"].tolist()
    [5000.0]
    """
    remedy = "Fix the file named by [tables] prices"
    for name in ("commodity", "year", column):
        if name not in prices.columns:
            raise PriceTableError(
                f"[tables] prices ({where}) has no column {name!r}; it has "
                f"{list(prices.columns)}. Give columns commodity, year and {column} (Rp/kg), "
                "or name the price column with [tables] prices_column.")
    for unit_column in ("unit", "satuan"):
        if unit_column in prices.columns:
            units = prices[unit_column].map(lambda u: re.sub(r"[\s.]", "", str(u)).casefold())
            bad = units != PRICE_UNIT
            if bad.any():
                i = int(bad.to_numpy().argmax())
                raise PriceTableError(
                    f"[tables] prices ({where}), row {i + 2}: unit "
                    f"{prices[unit_column].iloc[i]!r}; prices are in Rp/kg of the product "
                    f"the crop table weighs. {remedy} (convert to Rp/kg).")
    values = pd.to_numeric(prices[column], errors="coerce")
    bad = ~np.isfinite(values.to_numpy(dtype=np.float64)) | (values.to_numpy() <= 0)
    if bad.any():
        i = int(bad.argmax())
        raise PriceTableError(
            f"[tables] prices ({where}), row {i + 2}, column {column!r}: "
            f"{prices[column].iloc[i]} is not a price; expected Rp/kg above 0. {remedy}; "
            "leave a commodity out rather than give it 0.")
    known = set(commodities)
    names = prices["commodity"].astype(str).str.strip()
    unknown = sorted(set(names) - known)
    if unknown:
        raise PriceTableError(
            f"[tables] prices ({where}) prices {unknown[:5]}, which no crop table knows "
            f"(known: {', '.join(sorted(known))}). Use the crop ids of [evaluate] crops "
            "(`aez crops list`).")
    table = pd.DataFrame({"commodity": names, "year": prices["year"].astype("int64"),
                          column: values.astype(np.float64)})
    twice = table.duplicated(["commodity", "year"], keep=False)
    if twice.any():
        i = int(twice.to_numpy().argmax())
        raise PriceTableError(
            f"[tables] prices ({where}) has {table['commodity'].iloc[i]!r} in "
            f"{table['year'].iloc[i]} more than once; give one price per commodity and year. "
            f"{remedy}.")
    return table


def potential_value(potential: pd.DataFrame, prices: pd.DataFrame, *,
                    column: str = "price_rp_per_kg") -> pd.DataFrame:
    """Add the price (latest year per commodity) and the potential gross value, Rp/yr.

    ``prices`` is a table checked by :func:`check_prices`. Commodities without
    a price get NaN value (no estimate).

    >>> t = pd.DataFrame({"commodity": ["jagung"], "potential_t": [2.0]})
    >>> p = pd.DataFrame({"commodity": ["jagung", "jagung"], "year": [2022, 2023],
    ...                   "price_rp_per_kg": [4000.0, 5000.0]})
    >>> potential_value(t, p)[["price_year", "value_rp"]].to_dict("records")
    [{'price_year': 2023, 'value_rp': 10000000.0}]
    """
    latest = prices.sort_values(["commodity", "year"]).groupby("commodity").last()
    out = potential.copy()
    out["price_rp_per_kg"] = out["commodity"].map(latest[column])
    out["price_year"] = out["commodity"].map(latest["year"]).astype("Int64")
    out["value_rp"] = out["potential_t"] * KG_PER_T * out["price_rp_per_kg"]
    return out


def production_gap(potential: pd.DataFrame, realised: pd.DataFrame, *,
                   value: str = "production_ton") -> pd.DataFrame:
    """Add realised production (latest year) and ``realised_share`` = realised / potential.

    ``realised`` is a long table with ``kecamatan_id``, ``commodity``,
    ``year`` and ``value`` (t). Pairs BPS does not report, or whose potential
    is missing or 0, get NaN share.

    >>> t = pd.DataFrame({"kecamatan_id": ["01"], "commodity": ["tomat"], "potential_t": [80.0]})
    >>> r = pd.DataFrame({"kecamatan_id": ["01"], "commodity": ["tomat"], "year": [2023],
    ...                   "production_ton": [20.0]})
    >>> float(production_gap(t, r).loc[0, "realised_share"])
    0.25
    """
    year = int(realised["year"].max())
    rows = realised[realised["year"] == year]
    summed = rows.groupby(["kecamatan_id", "commodity"])[value].sum(min_count=1)
    key = pd.MultiIndex.from_frame(potential[["kecamatan_id", "commodity"]])
    out = potential.copy()
    out["realised_t"] = summed.reindex(key).to_numpy()
    out["realised_year"] = year
    potential_t = out["potential_t"].to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = out["realised_t"].to_numpy(dtype=np.float64) / potential_t
    out["realised_share"] = np.where(potential_t > 0, share, np.nan)
    return out


def _number(value: object) -> float:
    if value is None or isinstance(value, bool):
        return math.nan
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) and number > 0 else math.nan
