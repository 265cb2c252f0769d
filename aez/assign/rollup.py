"""Roll-ups of kecamatan results, OTOP-style product groups and 1–5 star tiers.

**Roll-ups.** :func:`rollup` groups per-kecamatan rows (one per assigned
product) into regions given as a mapping kecamatan → region: the kabupaten
(:func:`kabupaten_of` reads it from the kecamatan code) or a development region
(*wilayah pembangunan*, wilbang). It counts kecamatan, sums hectares and counts,
averages scores and lists the products; :func:`rollup_products` gives the same
per (region, product), for product zones (*kawasan*).

**OTOP groups.** The crop tables' product groups map to the product categories
of Thailand's One Tambon One Product programme, which Indonesian OVOP/OTOP
work borrows: food, beverages, textiles, crafts, ornaments and herbal
(:data:`OTOP_OF_GROUP`). Food, horticulture and estate crops are sold as
food (rice, fruit, palm oil, sugar, coconut); beverage crops (coffee, cocoa,
tea) as beverages; herbal and spice crops as herbal products (jamu, spices);
fibre crops as textiles; "other" crops as crafts. Commodities that break the
rule, such as rubber (estate, but not food), take an override.

**Tiers.** :func:`potential_tiers` gives each kecamatan 1–5 stars from the
quantile of its assigned score among all kecamatan: with *n* scores and
average rank r (1 = lowest; tied scores share their average rank), the
mid-rank percentile is p = (r − ½)/n and the tier is ⌊5p⌋ + 1. So with ten
distinct scores the two lowest get one star and the two highest five; equal
scores always share a tier; a percentile exactly on a fifth goes up. With
few kecamatan the tiers spread symmetrically around 3: one kecamatan gets
3 stars, two get 2 and 4, three get 1, 3 and 5, four get 1, 2, 4 and 5. Tiers
are relative to the kecamatan scored together, not absolute quality.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd

from aez.assign.criteria import product_groups
from aez.errors import ConfigError

__all__ = [
    "OTOP_GROUPS",
    "OTOP_NAMES_ID",
    "OTOP_OF_GROUP",
    "kabupaten_of",
    "otop_groups",
    "potential_tiers",
    "rollup",
    "rollup_products",
]

#: OTOP product categories.
OTOP_GROUPS: tuple[str, ...] = ("food", "beverages", "textiles", "crafts", "ornaments", "herbal")
#: Indonesian names of the OTOP categories, for reports.
OTOP_NAMES_ID: dict[str, str] = {
    "food": "Makanan", "beverages": "Minuman", "textiles": "Sandang", "crafts": "Kerajinan",
    "ornaments": "Cendera mata dan hiasan", "herbal": "Herbal dan rempah",
}
#: OTOP category of each crop product group (see the module docstring).
OTOP_OF_GROUP: dict[str, str] = {
    "food": "food", "horticulture": "food", "estate": "food", "beverage": "beverages",
    "herbal_spice": "herbal", "fibre": "textiles", "other": "crafts",
}

Regions: TypeAlias = Mapping[Hashable, Hashable] | pd.Series


def otop_groups(products: Mapping[Hashable, str] | pd.Series | Sequence[str], *,
                groups: Mapping[str, str] | None = None,
                overrides: Mapping[str, str] | None = None) -> pd.Series:
    """OTOP category of each assigned product.

    Parameters
    ----------
    products : mapping, Series or sequence
        Assigned product ids (e.g. kecamatan → product); the result keeps the index.
    groups : mapping of str → str, optional
        Product groups of commodities without a crop table.
    overrides : mapping of str → str, optional
        Commodity → OTOP category, replacing the group rule (e.g. ``{"karet": "crafts"}``).

    Returns
    -------
    Series of str
        OTOP category per product (NaN where the product is missing).

    >>> otop_groups({"k1": "jagung", "k2": "kopi"}, groups={"kopi": "beverage"}).to_dict()
    {'k1': 'food', 'k2': 'beverages'}
    """
    series = (products if isinstance(products, pd.Series) else
              pd.Series(dict(products)) if isinstance(products, Mapping) else
              pd.Series(list(products)))
    fixed = dict(overrides or {})
    bad = {k: v for k, v in fixed.items() if v not in OTOP_GROUPS}
    if bad:
        raise ConfigError(f"OTOP overrides {bad} are not OTOP categories {OTOP_GROUPS}.")
    present = sorted({p for p in series.dropna() if p not in fixed})
    group = product_groups(present, groups=groups)
    label = {p: OTOP_OF_GROUP[g] for p, g in group.items()} | fixed
    return series.map(label).rename("otop")


def potential_tiers(scores: Mapping[Hashable, float] | pd.Series, *,
                    n_tiers: int = 5) -> pd.Series:
    """Potential tiers (1 … ``n_tiers`` stars) from score quantiles (see the module docstring).

    Parameters
    ----------
    scores : mapping or Series
        The assigned score of each kecamatan (higher is better); NaN gets no tier.
    n_tiers : int
        Number of tiers (5 for stars).

    Returns
    -------
    Series of Int64
        Tier per kecamatan, same index.

    >>> potential_tiers(pd.Series([0.1, 0.4, 0.4, 0.9]), n_tiers=5).tolist()
    [1, 3, 3, 5]
    """
    if isinstance(n_tiers, bool) or not isinstance(n_tiers, int | np.integer) or n_tiers < 1:
        raise ConfigError(f"n_tiers must be a positive integer; got {n_tiers!r}.")
    series = (scores if isinstance(scores, pd.Series) else pd.Series(dict(scores))).astype(
        np.float64)
    if np.isinf(series).any():
        raise ConfigError(f"Scores must be finite for tiers; got {series[np.isinf(series)].iloc[0]}"
                          f" for {series.index[np.isinf(series)][0]!r}.")
    scored = series.notna().to_numpy()
    n = int(scored.sum())
    # Twice the average rank is an integer, so the tier is exact integer arithmetic.
    twice_rank = np.rint(2 * series[scored].rank(method="average").to_numpy()).astype(np.int64)
    tiers = np.full(len(series), -1, dtype=np.int64)
    tiers[scored] = np.minimum((n_tiers * (twice_rank - 1)) // (2 * max(n, 1)) + 1, n_tiers)
    out = pd.Series(tiers, index=series.index, name="tier").astype("Int64")
    return out.mask(~scored)


def kabupaten_of(kecamatan: Iterable[Hashable]) -> pd.Series:
    """Kabupaten code of each kecamatan code (Kemendagri or BPS).

    A Kemendagri kecamatan code ``pp.kk.cc`` belongs to kabupaten ``pp.kk``;
    a 7-digit BPS kecamatan code ``ppkkccc`` to the 4-digit ``ppkk``.

    >>> kabupaten_of(["63.90.01", 6390040]).tolist()
    ['63.90', '6390']
    """
    ids = list(kecamatan)
    out = []
    for code in ids:
        text = str(code).strip()
        parts = text.split(".")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            out.append(".".join(parts[:2]))
        elif len(text) == 7 and text.isdigit():
            out.append(text[:4])
        else:
            raise ConfigError(f"Kecamatan code {code!r} is neither Kemendagri (pp.kk.cc) nor BPS "
                              "(7 digits). Give the kecamatan → kabupaten mapping yourself.")
    return pd.Series(out, index=pd.Index(ids), name="kabupaten", dtype=object)


def rollup(results: pd.DataFrame, by: Regions, *, product_column: str = "product",
           sum_columns: Sequence[str] = (), mean_columns: Sequence[str] = (),
           kecamatan_column: str | None = None) -> pd.DataFrame:
    """Roll kecamatan results up to regions.

    Parameters
    ----------
    results : DataFrame
        One row per (kecamatan, assigned product), the kecamatan id in the index
        (or ``kecamatan_column``); a kecamatan with several products has several rows.
    by : mapping or Series
        Kecamatan id → region (kabupaten code, wilbang name, …); it must cover
        every kecamatan of ``results``.
    product_column : str
        Column of the product id (NaN = no product; not listed).
    sum_columns : sequence of str
        Columns added up per region (hectares, counts); NaN makes the sum NaN.
    mean_columns : sequence of str
        Columns averaged over the region's rows (scores).
    kecamatan_column : str, optional
        Column of the kecamatan id, when it is not the index.

    Returns
    -------
    DataFrame
        Index region (sorted); columns ``n_kecamatan`` (distinct kecamatan),
        the sums, ``mean_<column>``, ``n_products`` (distinct) and ``products``
        (``"jagung (3); padi_sawah (1)"``, most kecamatan first, then by id).

    >>> res = pd.DataFrame({"product": ["jagung", "jagung", "padi_sawah"],
    ...                     "area_ha": [10.0, 5.0, 2.5]}, index=["k1", "k2", "k3"])
    >>> rollup(res, {"k1": "A", "k2": "A", "k3": "B"}, sum_columns=["area_ha"]).values.tolist()
    [[2, 15.0, 1, 'jagung (2)'], [1, 2.5, 1, 'padi_sawah (1)']]
    """
    table = _with_regions(results, by, product_column, [*sum_columns, *mean_columns],
                          kecamatan_column)
    rows = {}
    for region, group in table.groupby("_region", sort=True):
        row: dict[str, object] = {"n_kecamatan": group["_kecamatan"].nunique()}
        for column in sum_columns:
            row[column] = float(group[column].sum(skipna=False))
        for column in mean_columns:
            row[f"mean_{column}"] = float(group[column].mean(skipna=False))
        counts = group.dropna(subset=[product_column]).groupby(product_column)["_kecamatan"]
        counts = counts.nunique().reset_index().sort_values(
            ["_kecamatan", product_column], ascending=[False, True])
        row["n_products"] = len(counts)
        row["products"] = "; ".join(f"{p} ({n})" for p, n in counts.itertuples(index=False))
        rows[region] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "region"
    return out


def rollup_products(results: pd.DataFrame, by: Regions, *, product_column: str = "product",
                    sum_columns: Sequence[str] = (),
                    kecamatan_column: str | None = None) -> pd.DataFrame:
    """Per (region, product): the number of kecamatan and the sums (see :func:`rollup`).

    >>> res = pd.DataFrame({"product": ["jagung", "jagung", "padi_sawah"],
    ...                     "area_ha": [10.0, 5.0, 2.5]}, index=["k1", "k2", "k3"])
    >>> rollup_products(res, {"k1": "A", "k2": "A", "k3": "A"},
    ...                 sum_columns=["area_ha"]).values.tolist()
    [['A', 'jagung', 2, 15.0], ['A', 'padi_sawah', 1, 2.5]]
    """
    table = _with_regions(results, by, product_column, list(sum_columns), kecamatan_column)
    table = table.dropna(subset=[product_column])
    grouped = table.groupby(["_region", product_column], sort=True)
    out = grouped["_kecamatan"].nunique().rename("n_kecamatan").to_frame()
    for column in sum_columns:
        out[column] = grouped[column].agg(lambda s: s.sum(skipna=False)).astype(np.float64)
    out = out.reset_index().rename(columns={"_region": "region", product_column: "product"})
    return out


def _with_regions(results: pd.DataFrame, by: Regions, product_column: str,
                  numeric: Sequence[str], kecamatan_column: str | None) -> pd.DataFrame:
    columns = [product_column, *numeric] + ([kecamatan_column] if kecamatan_column else [])
    lacking = [c for c in columns if c not in results.columns]
    if lacking:
        raise ConfigError(f"The results lack column(s) {lacking}; they have "
                          f"{list(results.columns)}.")
    for column in numeric:
        if not pd.api.types.is_numeric_dtype(results[column]) or pd.api.types.is_bool_dtype(
                results[column]):
            raise ConfigError(f"Column {column!r} is {results[column].dtype}, not numbers; only "
                              "numeric columns can be summed or averaged.")
    kecamatan = (results[kecamatan_column] if kecamatan_column else
                 pd.Series(results.index, index=results.index))
    region_of = by if isinstance(by, pd.Series) else pd.Series(dict(by), dtype=object)
    if region_of.index.has_duplicates:
        raise ConfigError("The region mapping lists a kecamatan twice.")
    regions = kecamatan.map(region_of)
    if regions.isna().any():
        missing = sorted(map(str, kecamatan[regions.isna()].unique()))
        raise ConfigError(f"No region for kecamatan {missing[:5]} ({len(missing)} in all). The "
                          "mapping must cover every kecamatan of the results.")
    table = results[[product_column, *numeric]].copy()
    table["_kecamatan"] = kecamatan.to_numpy()
    table["_region"] = regions.to_numpy()
    return table
