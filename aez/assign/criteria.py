"""Criteria of the kecamatan × commodity score that come from tables, not rasters.

* :func:`growth_rate`: compound annual growth of production per kecamatan and
  commodity, from a long (BPS-style) production table;
* :func:`cooperative_counts`: cooperatives whose business lines (``usaha``)
  name the commodity, per kecamatan;
* :func:`sentra_counts`: sentra in the business fields (*bidang usaha*) of the
  commodity's product group, per kecamatan (:data:`SENTRA_FIELDS_BY_GROUP`);
* :func:`product_groups`: the product group of each commodity, from its crop
  table or given.

Each returns a kecamatan × commodity DataFrame for
:func:`aez.assign.score.score_table`. The tables must use one kecamatan code
system: BPS and Kemendagri codes differ, so join BPS tables through the
crosswalk first.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from aez.errors import ConfigError

__all__ = [
    "SENTRA_FIELDS_BY_GROUP",
    "cooperative_counts",
    "growth_rate",
    "product_groups",
    "sentra_counts",
    "split_usaha",
]

log = logging.getLogger(__name__)

#: Sentra fields (*bidang usaha*, Ministry of Cooperatives and SMEs) whose sentra count
#: for a commodity of each product group: the field where the crop is grown, and for
#: beverage, herbal/spice and fibre crops also the field that processes it.
SENTRA_FIELDS_BY_GROUP: dict[str, tuple[str, ...]] = {
    "food": ("Pertanian dan Perkebunan",),
    "horticulture": ("Pertanian dan Perkebunan",),
    "estate": ("Pertanian dan Perkebunan",),
    "beverage": ("Pertanian dan Perkebunan", "Makan dan Minum"),
    "herbal_spice": ("Pertanian dan Perkebunan", "Makan dan Minum"),
    "fibre": ("Pertanian dan Perkebunan", "Sandang"),
    "other": ("Pertanian dan Perkebunan",),
}


def product_groups(products: Iterable[str], *,
                   groups: Mapping[str, str] | None = None) -> dict[str, str]:
    """Product group (food, horticulture, estate, …) of each commodity.

    Taken from ``groups`` where given, otherwise from the commodity's crop
    table (:func:`aez.crops.load_crop`).

    >>> product_groups(["jagung", "kopi"], groups={"kopi": "beverage"})
    {'jagung': 'food', 'kopi': 'beverage'}
    """
    from aez.crops import load_crop
    from aez.crops.schema import PRODUCT_GROUPS

    given = dict(groups or {})
    out: dict[str, str] = {}
    for product in products:
        if product in given:
            group = given[product]
        else:
            try:
                group = load_crop(product).group
            except ConfigError as err:
                raise ConfigError(
                    f"No product group for {product!r}: it has no crop table ({err}) and is not "
                    f"in groups=. Pass groups={{{product!r}: 'food'}} (one of {PRODUCT_GROUPS})."
                ) from None
        if group not in PRODUCT_GROUPS:
            raise ConfigError(f"Product group {group!r} of {product!r} is not one of "
                              f"{PRODUCT_GROUPS}.")
        out[product] = group
    return out


def split_usaha(text: object) -> tuple[str, ...]:
    """Return the business lines of a cooperative from its ``;``-separated ``usaha`` text.

    >>> split_usaha("jagung; karet;;Makan dan Minum")
    ('jagung', 'karet', 'Makan dan Minum')
    >>> split_usaha(None)
    ()
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ()
    return tuple(part.strip() for part in str(text).split(";") if part.strip())


def cooperative_counts(cooperatives: pd.DataFrame, products: Sequence[str], *,
                       kecamatan_column: str = "kode_kemendagri", usaha_column: str = "usaha",
                       kecamatan: Sequence[Hashable] | None = None) -> pd.DataFrame:
    """Count the cooperatives per kecamatan whose business lines list each product.

    A cooperative counts for a product when its ``usaha`` (``;``-separated
    commodity ids and sentra fields) names the product's id exactly.

    Parameters
    ----------
    cooperatives : DataFrame
        One row per cooperative (a GeoDataFrame of points will do).
    products : sequence of str
        Commodity ids (the columns of the result).
    kecamatan_column, usaha_column : str
        Columns of the kecamatan id and the business lines.
    kecamatan : sequence, optional
        The rows of the result; kecamatan without cooperatives count 0. By
        default the kecamatan that appear in the table, sorted.

    Returns
    -------
    DataFrame of int
        Kecamatan × product counts.

    >>> coops = pd.DataFrame({"kode_kemendagri": ["k1", "k1", "k2"],
    ...                       "usaha": ["jagung;tebu", "jagung", "padi_sawah"]})
    >>> cooperative_counts(coops, ["jagung", "tebu"], kecamatan=["k1", "k2", "k3"]).to_dict()
    {'jagung': {'k1': 2, 'k2': 0, 'k3': 0}, 'tebu': {'k1': 1, 'k2': 0, 'k3': 0}}
    """
    _need_columns(cooperatives, [kecamatan_column, usaha_column], "cooperatives")
    rows = _row_labels(cooperatives[kecamatan_column], kecamatan, "cooperatives")
    counts = pd.DataFrame(0, index=pd.Index(rows, name=kecamatan_column),
                          columns=pd.Index(list(products)), dtype=np.int64)
    wanted = set(counts.columns)
    for k, usaha in zip(cooperatives[kecamatan_column], cooperatives[usaha_column], strict=True):
        if k not in counts.index:
            continue
        for product in set(split_usaha(usaha)) & wanted:
            counts.at[k, product] += 1
    return counts


def sentra_counts(sentra: pd.DataFrame, products: Sequence[str], *,
                  field_of: Mapping[str, Sequence[str]] = SENTRA_FIELDS_BY_GROUP,
                  groups: Mapping[str, str] | None = None,
                  kecamatan_column: str = "kode_bps", field_column: str = "bidang_usaha",
                  count_column: str = "jumlah_sentra",
                  kecamatan: Sequence[Hashable] | None = None) -> pd.DataFrame:
    """Sentra per kecamatan in the business fields of each product's group.

    A commodity's sentra count is the sum of the kecamatan's sentra in the
    fields that ``field_of`` gives its product group (default
    :data:`SENTRA_FIELDS_BY_GROUP`: "Pertanian dan Perkebunan" for every crop,
    plus "Makan dan Minum" for beverage and herbal/spice crops and "Sandang"
    for fibre crops, which are processed there).

    The fields are checked against the table: a product none of whose fields
    appears in ``field_column`` is an error (the field names probably differ);
    a field of the mapping that is absent counts 0.

    Parameters
    ----------
    sentra : DataFrame
        Long table: kecamatan id, business field, number of sentra.
    products : sequence of str
        Commodity ids (the columns of the result).
    field_of : mapping of str → sequence of str
        Product group → sentra fields.
    groups : mapping of str → str, optional
        Commodity → product group, for commodities without a crop table
        (see :func:`product_groups`).
    kecamatan_column, field_column, count_column : str
        Column names of the table.
    kecamatan : sequence, optional
        Rows of the result (absent kecamatan count 0); default: those of the table, sorted.

    Returns
    -------
    DataFrame of float
        Kecamatan × product sentra counts.

    >>> table = pd.DataFrame({"kode_bps": [1, 1, 2], "jumlah_sentra": [2, 3, 4],
    ...     "bidang_usaha": ["Pertanian dan Perkebunan", "Makan dan Minum", "Makan dan Minum"]})
    >>> sentra_counts(table, ["jagung", "kopi"], groups={"kopi": "beverage"}).to_dict()
    {'jagung': {1: 2.0, 2: 0.0}, 'kopi': {1: 5.0, 2: 4.0}}
    """
    _need_columns(sentra, [kecamatan_column, field_column, count_column], "sentra")
    product_group = product_groups(products, groups=groups)
    present = set(sentra[field_column].dropna())
    fields: dict[str, list[str]] = {}
    for product, group in product_group.items():
        if group not in field_of:
            raise ConfigError(f"field_of has no sentra fields for product group {group!r} "
                              f"(of {product!r}); it covers {sorted(field_of)}.")
        wanted = list(field_of[group])
        if not set(wanted) & present:
            raise ConfigError(
                f"None of the sentra fields {wanted} of {product!r} ({group}) appears in the "
                f"table's {field_column!r} column, which has {sorted(present)}. Pass field_of= "
                "with the table's field names.")
        absent = sorted(set(wanted) - present)
        if absent:
            log.info("Sentra fields %s of %s are not in the table; they count 0", absent, product)
        fields[product] = wanted
    counts = pd.to_numeric(sentra[count_column], errors="coerce")
    if counts.isna().any() or (counts < 0).any():
        bad = sentra[count_column][counts.isna() | (counts < 0)].iloc[0]
        raise ConfigError(f"Sentra counts must be non-negative numbers; got {bad!r} in "
                          f"{count_column!r}.")
    by_field = (pd.DataFrame({"k": sentra[kecamatan_column], "f": sentra[field_column],
                              "n": counts.astype(np.float64)})
                .groupby(["k", "f"], sort=True)["n"].sum().unstack("f", fill_value=0.0))
    rows = _row_labels(sentra[kecamatan_column], kecamatan, "sentra")
    by_field = by_field.reindex(index=rows, fill_value=0.0)
    out = pd.DataFrame(
        {p: by_field.reindex(columns=f, fill_value=0.0).sum(axis=1) for p, f in fields.items()},
        index=by_field.index, columns=list(products))
    out.index.name = kecamatan_column
    return out.astype(np.float64)


def growth_rate(production: pd.DataFrame, *, kecamatan_column: str = "kode_bps",
                commodity_column: str = "commodity", year_column: str = "year",
                value_column: str = "production_ton",
                method: Literal["endpoints", "loglinear"] = "endpoints",
                kecamatan: Sequence[Hashable] | None = None,
                commodities: Sequence[Hashable] | None = None) -> pd.DataFrame:
    """Compound annual growth rate of production per kecamatan and commodity.

    ``"endpoints"``: CAGR = (x_last / x_first)^(1 / (year_last − year_first)) − 1
    between the first and last year with a value (NaN values are skipped).
    ``"loglinear"``: exp(b) − 1 where b is the least-squares slope of ln x on the
    year over every year with a value (less sensitive to a noisy end year; any
    zero makes it NaN).

    The rate is NaN (no evidence) when fewer than two years have values, when
    the first value is 0 (growth from nothing is unbounded), or when every
    value is 0; a fall to 0 is −1 (−100 %/yr) with ``"endpoints"``.

    Returns
    -------
    DataFrame of float
        Kecamatan × commodity, a fraction per year (0.05 = 5 %/yr).

    >>> long = pd.DataFrame({"kode_bps": [1, 1, 1], "commodity": ["jagung"] * 3,
    ...                      "year": [2019, 2020, 2021], "production_ton": [100.0, 90.0, 121.0]})
    >>> round(float(growth_rate(long).at[1, "jagung"]), 6)
    0.1
    """
    if method not in ("endpoints", "loglinear"):
        raise ConfigError(f"method = {method!r}; expected 'endpoints' or 'loglinear'.")
    _need_columns(production, [kecamatan_column, commodity_column, year_column, value_column],
                  "production")
    values = pd.to_numeric(production[value_column], errors="coerce")
    if (values < 0).any():
        raise ConfigError(f"Production must not be negative; {value_column!r} has "
                          f"{float(values.min()):g}.")
    years = pd.to_numeric(production[year_column], errors="coerce")
    if years.isna().any():
        raise ConfigError(f"Column {year_column!r} has a year that is not a number: "
                          f"{production[year_column][years.isna()].iloc[0]!r}.")
    table = pd.DataFrame({"k": production[kecamatan_column], "p": production[commodity_column],
                          "y": years.astype(np.int64), "x": values.astype(np.float64)})
    if table.duplicated(["k", "p", "y"]).any():
        k, p, y = table.loc[table.duplicated(["k", "p", "y"]), ["k", "p", "y"]].iloc[0]
        raise ConfigError(f"Production has two rows for kecamatan {k!r}, {p!r}, {y}; aggregate "
                          "them first.")
    rates = {}
    for (k, p), group in table.dropna(subset=["x"]).sort_values("y").groupby(["k", "p"],
                                                                               sort=True):
        rates[(k, p)] = _cagr(group["y"].to_numpy(), group["x"].to_numpy(), method)
    out = pd.Series(rates, dtype=np.float64).unstack() if rates else pd.DataFrame()
    rows = _row_labels(table["k"], kecamatan, "production")
    cols = list(commodities) if commodities is not None else sorted(table["p"].unique())
    out = out.reindex(index=rows, columns=cols)
    out.index.name, out.columns.name = kecamatan_column, commodity_column
    return out.astype(np.float64)


def _cagr(years: np.ndarray, x: np.ndarray, method: str) -> float:
    if len(years) < 2 or x[0] == 0 or not np.any(x > 0):
        return math.nan
    if method == "endpoints":
        return float((x[-1] / x[0]) ** (1.0 / (years[-1] - years[0])) - 1.0)
    if np.any(x == 0):
        return math.nan
    slope = np.polyfit(years.astype(np.float64), np.log(x), 1)[0]
    return float(math.expm1(slope))


# -- internals ---------------------------------------------------------------------------


def _need_columns(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    lacking = [c for c in columns if c not in table.columns]
    if lacking:
        raise ConfigError(f"The {what} table lacks column(s) {lacking}; it has "
                          f"{list(table.columns)}. Name the right columns with the *_column "
                          "options.")


def _row_labels(ids: pd.Series, kecamatan: Sequence[Hashable] | None, what: str) -> list[Any]:
    if kecamatan is None:
        return sorted(ids.dropna().unique().tolist())
    rows = list(kecamatan)
    if len(set(rows)) != len(rows):
        raise ConfigError(f"kecamatan= repeats ids: {pd.Index(rows)[pd.Index(rows).duplicated()]}.")
    if len(ids) and not set(ids.dropna()) & set(rows):
        raise ConfigError(
            f"No kecamatan id of the {what} table ({ids.iloc[0]!r}, …) is among kecamatan= "
            f"({rows[0]!r}, …). BPS and Kemendagri codes differ: join through the crosswalk, "
            "or choose the matching *_column.")
    return rows
