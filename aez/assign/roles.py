"""What the evidence says about each kecamatan × commodity, and what a planner must be told.

**Roles.** A leading product (*komoditas unggulan*) is one the kecamatan already
has a base in; a product it could grow but does not yet is a *potential* one.
:func:`commodity_roles` gives every pair one of :data:`ROLES`:

``unggulan``
    an existing base: location quotient LQ ≥ 1 **and** production > 0 in the
    latest year (a Klassen quadrant is added where growth is known);
``potensial``
    no base, but suitable land (S1–S3 hectares > 0): a development candidate;
``none``
    neither.

:func:`restrict_to_base` turns the roles into the assignment's ``eligible``
table (``[assign] require_base``): each kecamatan's product is chosen among its
*unggulan* commodities; a kecamatan without any gets its eligible *potensial*
ones (all its eligible products when it has none) and is marked a development
candidate.

**Flags** (:func:`product_flags`) mark a chosen product that rests on little:

=====================  =================================================================
``no_production``      no production (0 or not reported) in the latest year
``falling``            production fell in every year of the table
``low_suitable_land``  suitable land below ``min_suitable_share`` of the evaluated land,
                       or none at all
``no_alternative``     the kecamatan's only allowed product: no choice was made, so
                       the robustness test says nothing ("no alternative", never
                       "stable")
``development``        a development candidate (no base in any allowed commodity)
=====================  =================================================================

>>> import pandas as pd
>>> lq = pd.DataFrame({"pisang": [2.1, 0.4], "durian": [0.0, 3.0]}, index=["k1", "k2"])
>>> tons = pd.DataFrame({"pisang": [1659.0, 40.0], "durian": [0.0, 377.0]}, index=lq.index)
>>> land = pd.DataFrame({"pisang": [80.0, 0.0], "durian": [120.0, 35.0]}, index=lq.index)
>>> commodity_roles(lq, tons, land).to_dict("list")
{'pisang': ['unggulan', 'none'], 'durian': ['potensial', 'unggulan']}
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd

from aez.errors import ConfigError

__all__ = ["FLAGS", "ROLES", "commodity_roles", "falling_every_year", "product_flags",
           "restrict_to_base"]

#: Roles of a kecamatan × commodity, strongest first.
ROLES: tuple[str, ...] = ("unggulan", "potensial", "none")
#: Flags of a chosen product, in the order they are listed.
FLAGS: tuple[str, ...] = ("development", "no_production", "falling", "low_suitable_land",
                          "no_alternative")


def commodity_roles(lq: pd.DataFrame, production: pd.DataFrame,
                    suitable_ha: pd.DataFrame) -> pd.DataFrame:
    """Role of every kecamatan × commodity: ``unggulan``, ``potensial`` or ``none``.

    Parameters
    ----------
    lq : DataFrame
        Location quotients (kecamatan × commodity); NaN is no base.
    production : DataFrame
        Production in the latest year (any unit; only > 0 matters); NaN (not
        reported) is no base.
    suitable_ha : DataFrame
        Hectares of S1–S3 land; NaN counts as none.

    Returns
    -------
    DataFrame of str
        Same index and columns as ``lq``.
    """
    production = _aligned(production, lq, "production")
    suitable_ha = _aligned(suitable_ha, lq, "suitable_ha")
    base = (lq.to_numpy(dtype=np.float64) >= 1.0) & (production.to_numpy(dtype=np.float64) > 0)
    land = suitable_ha.fillna(0.0).to_numpy(dtype=np.float64) > 0
    roles = np.where(base, "unggulan", np.where(land, "potensial", "none"))
    return pd.DataFrame(roles, index=lq.index, columns=lq.columns, dtype=object)


def restrict_to_base(eligible: pd.DataFrame, roles: pd.DataFrame, *,
                     keep: Mapping[Hashable, Hashable] | None = None,
                     ) -> tuple[pd.DataFrame, pd.Series]:
    """Allow each kecamatan only its *unggulan* commodities, when it has any.

    Parameters
    ----------
    eligible : boolean DataFrame
        Kecamatan × commodity allowed before the rule (e.g. enough suitable land).
    roles : DataFrame
        From :func:`commodity_roles`.
    keep : mapping kecamatan → product, optional
        Products the planner fixes (``must_keep``): always allowed.

    Returns
    -------
    allowed : boolean DataFrame
        ``eligible`` and *unggulan*; for a kecamatan with no eligible *unggulan*
        commodity, its eligible *potensial* ones (or, without those either,
        ``eligible`` unchanged).
    development : boolean Series
        Kecamatan whose product can only be a development candidate.

    >>> roles = pd.DataFrame({"a": ["unggulan", "potensial"], "b": ["none", "none"]},
    ...                      index=["k1", "k2"])
    >>> allowed, development = restrict_to_base(roles == roles, roles)
    >>> allowed.to_dict("list"), development.tolist()
    ({'a': [True, True], 'b': [False, False]}, [False, True])
    """
    eligible = _aligned(eligible, roles, "eligible").fillna(False).astype(bool)
    base = eligible & (roles == "unggulan")
    development = ~base.any(axis=1)
    potential = eligible & (roles == "potensial")
    fallback = potential.where(potential.any(axis=1), eligible, axis=0)
    allowed = base.copy()
    allowed.loc[development] = fallback.loc[development]
    for kecamatan, product in (keep or {}).items():
        if kecamatan in allowed.index and product in allowed.columns:
            allowed.at[kecamatan, product] = True
    return allowed, development.rename("development")


def falling_every_year(production: pd.DataFrame, *, kecamatan: str = "kecamatan_id",
                       commodity: str = "commodity", year: str = "year",
                       value: str = "production_ton") -> pd.Series:
    """Mark where production fell from each year to the next (two or more years with a value).

    >>> long = pd.DataFrame({"kecamatan_id": ["k1"] * 3 + ["k2"] * 3, "commodity": "kopi",
    ...                      "year": [2021, 2022, 2023] * 2,
    ...                      "production_ton": [9.0, 5.0, 0.0, 9.0, 5.0, 6.0]})
    >>> falling_every_year(long).to_dict()
    {('k1', 'kopi'): True, ('k2', 'kopi'): False}
    """
    rows = production[[kecamatan, commodity, year, value]].dropna(subset=[value])
    rows = rows.sort_values(year)
    out = {}
    for key, group in rows.groupby([kecamatan, commodity], sort=True):
        x = group[value].to_numpy(dtype=np.float64)
        out[key] = bool(len(x) >= 2 and np.all(np.diff(x) < 0))
    return pd.Series(out, dtype=bool)


def product_flags(chosen: pd.Series, *, production: pd.DataFrame | None,
                  falling: pd.DataFrame | None, suitable_ha: pd.DataFrame,
                  suitable_share: pd.DataFrame, min_suitable_share: float,
                  no_alternative: pd.Series, development: pd.Series | None) -> pd.Series:
    """Flag each kecamatan's chosen product (:data:`FLAGS`): a tuple per kecamatan.

    Parameters
    ----------
    chosen : Series
        Kecamatan → product.
    production : DataFrame, optional
        Production in the latest year (kecamatan × commodity; NaN not reported).
        None: no production table, no production flags.
    falling : boolean DataFrame, optional
        From :func:`falling_every_year`, unstacked.
    suitable_ha, suitable_share : DataFrame
        Hectares of S1–S3 land and their share of the evaluated land.
    min_suitable_share : float
        ``[assign] min_suitable_share``.
    no_alternative : boolean Series
        Kecamatan whose product was the only one allowed.
    development : boolean Series, optional
        Development candidates (:func:`restrict_to_base`).
    """
    out = {}
    for kecamatan, product in chosen.items():
        flags = []
        if development is not None and bool(development.get(kecamatan, False)):
            flags.append("development")
        if production is not None:
            tons = _cell(production, kecamatan, product)
            if not tons > 0:  # 0 or NaN
                flags.append("no_production")
        if falling is not None and _cell(falling, kecamatan, product) == 1:
            flags.append("falling")
        hectares = _cell(suitable_ha, kecamatan, product)
        share = _cell(suitable_share, kecamatan, product)
        if not hectares > 0 or (math.isfinite(share) and share < min_suitable_share):
            flags.append("low_suitable_land")
        if bool(no_alternative.get(kecamatan, False)):
            flags.append("no_alternative")
        out[kecamatan] = tuple(flags)
    return pd.Series(out, dtype=object, name="flags").reindex(chosen.index)


def _cell(table: pd.DataFrame, row: Hashable, column: Hashable) -> float:
    try:
        value = table.at[row, column]
    except KeyError:
        return math.nan
    return math.nan if pd.isna(value) else float(value)


def _aligned(table: pd.DataFrame, like: pd.DataFrame, name: str) -> pd.DataFrame:
    missing = [c for c in like.columns if c not in table.columns]
    if missing:
        raise ConfigError(f"The {name} table has no commodity {missing[0]!r}; it needs the "
                          f"commodities {list(like.columns)}.")
    return table.reindex(index=like.index, columns=like.columns)
