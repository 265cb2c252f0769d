"""Which cooperative in a kecamatan should carry its assigned product.

:func:`rank_cooperatives` ranks the cooperatives (*koperasi*, KUD) inside each
kecamatan for the product assigned to it, by points out of 100:

==============  ======  ===================================================
part            points  sub-score in [0, 1]
==============  ======  ===================================================
business line   50      1 if ``usaha`` lists the product; 0.5 if it lists
                        the product's group: the group id, one of the
                        group's sentra fields (``SENTRA_FIELDS_BY_GROUP``
                        in :mod:`aez.assign.criteria`) or another
                        commodity of the same group; else 0
members         15      members / the most members among the kecamatan's
                        candidates (the largest scores 1)
assets          15      log10 scale from Rp 10 juta (0) to Rp 10 miliar (1),
                        the upper limit of business capital (*modal usaha*)
                        of a medium-sized enterprise in PP 7/2021; clipped
distance        20      1 − d / 10 km, clipped to [0, 1], where d is the
                        distance (m) from the cooperative to the kecamatan's
                        suitable land for the product (0 inside it)
==============  ======  ===================================================

The business line weighs most because a cooperative that already trades the
product is the natural carrier: a product match (50) beats a group match (25),
and a group match beats no match, unless the other cooperative leads by more
than 25 points on size (members and assets, 30 points) and distance (20) together.
The point weights, the asset range and the distance scale are options. A
missing value (no member count, no assets, no suitable land) scores 0 in its
part. Without ``suitable_land`` every distance part is 0, so the best
attainable score is 80; the ranking is unaffected.

Ranks are 1, 2, … within each (kecamatan, product); equal points are broken
by more members, then more assets, then the name, then table order, so the
ranking is deterministic.

**No candidate** is an explicit result: a kecamatan whose product has no
cooperative to carry it gets one row with ``status = "no_cooperative"``
(none in the kecamatan) or ``"no_matching_cooperative"`` (none with a matching
business line, when ``require_line=True``), rank and points left empty, so a
report can say "no cooperative found" rather than silently drop the kecamatan.
A kecamatan without an assigned product gets ``status = "no_product"``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from typing import Any, TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike

from aez.assign.criteria import SENTRA_FIELDS_BY_GROUP, product_groups, split_usaha
from aez.errors import ConfigError, CRSError

__all__ = ["ASSET_RANGE", "DEFAULT_POINTS", "DISTANCE_SCALE", "rank_cooperatives"]

log = logging.getLogger(__name__)

#: Points of each part of the cooperative score (sum 100).
DEFAULT_POINTS: dict[str, float] = {
    "business_line": 50.0, "members": 15.0, "assets": 15.0, "distance": 20.0,
}
#: Assets (Rupiah) scoring 0 and 1 on the log scale: Rp 10 juta and Rp 10 miliar.
ASSET_RANGE: tuple[float, float] = (1e7, 1e10)
#: Distance (m) to suitable land at which the distance part reaches 0.
DISTANCE_SCALE = 10_000.0
#: Sub-score of a business line that names the product, its group, or neither.
LINE_SCORE: dict[str, float] = {"product": 1.0, "group": 0.5, "none": 0.0}

DistanceFunction: TypeAlias = Callable[[Hashable, str, gpd.GeoSeries], ArrayLike]
SuitableLand: TypeAlias = Mapping[tuple[Hashable, str], Any] | gpd.GeoSeries | DistanceFunction

_COLUMNS = [
    "kecamatan", "product", "status", "rank", "cooperative", "cooperative_index", "usaha",
    "members", "assets", "line_match", "distance_m", "points_business_line", "points_members",
    "points_assets", "points_distance", "points",
]


def rank_cooperatives(assignment: Mapping[Hashable, Any] | pd.Series,
                      cooperatives: pd.DataFrame, *,
                      kecamatan_column: str = "kode_kemendagri",
                      suitable_land: SuitableLand | None = None,
                      weights: Mapping[str, float] | None = None,
                      name_column: str = "nama", usaha_column: str = "usaha",
                      members_column: str = "anggota", assets_column: str = "aset_rupiah",
                      groups: Mapping[str, str] | None = None,
                      field_of: Mapping[str, Sequence[str]] = SENTRA_FIELDS_BY_GROUP,
                      asset_range: tuple[float, float] = ASSET_RANGE,
                      distance_scale: float = DISTANCE_SCALE,
                      require_line: bool = False) -> pd.DataFrame:
    """Rank each kecamatan's cooperatives for its assigned product (see the module docstring).

    Parameters
    ----------
    assignment : mapping or Series
        Kecamatan id → product id (or a sequence of ids when a kecamatan has
        several); a Series may repeat a kecamatan. None/NaN means no product.
    cooperatives : DataFrame or GeoDataFrame
        One row per cooperative with the kecamatan id, name, business lines
        (``;``-separated commodity ids and sentra fields), members and assets
        (Rupiah); point geometry when ``suitable_land`` is geometry.
    kecamatan_column : str
        Column of the cooperative's kecamatan id (same code system as ``assignment``).
    suitable_land : mapping, GeoSeries or callable, optional
        Suitable land of each (kecamatan, product): a mapping or a GeoSeries with a
        (kecamatan, product) MultiIndex of polygons in the cooperatives' projected
        CRS (distances in metres), or a function ``f(kecamatan, product, points)``
        returning the distance (m) of each point of the GeoSeries ``points``.
    weights : mapping of str → float, optional
        Points of ``business_line``, ``members``, ``assets`` and ``distance``
        (default :data:`DEFAULT_POINTS`).
    name_column, usaha_column, members_column, assets_column : str
        Column names of the cooperatives table.
    groups : mapping of str → str, optional
        Product groups of commodities without a crop table.
    field_of : mapping of str → sequence of str
        Product group → sentra fields that count as a group match.
    asset_range : (float, float)
        Assets (Rp) scoring 0 and 1 on the log scale.
    distance_scale : float
        Distance (m) at which the distance part reaches 0.
    require_line : bool
        Rank only cooperatives whose business line names the product or its group.

    Returns
    -------
    DataFrame
        One row per (kecamatan, product, candidate) with the columns
        ``kecamatan, product, status, rank, cooperative, cooperative_index, usaha,
        members, assets, line_match, distance_m, points_business_line,
        points_members, points_assets, points_distance, points``; ``status`` is
        ``"ranked"``, or for a kecamatan without a candidate ``"no_cooperative"``,
        ``"no_matching_cooperative"`` or ``"no_product"`` (one row, rank empty).

    Examples
    --------
    >>> coops = pd.DataFrame({"kode_kemendagri": ["k1", "k1"], "nama": ["KUD A", "KT B"],
    ...     "usaha": ["padi_sawah", "jagung"], "anggota": [100, 50],
    ...     "aset_rupiah": [1e9, 1e8]})
    >>> ranked = rank_cooperatives({"k1": "jagung", "k2": "jagung"}, coops)
    >>> ranked[["kecamatan", "rank", "cooperative", "points"]].round(2).values.tolist()[:2]
    [['k1', 1, 'KT B', 62.5], ['k1', 2, 'KUD A', 50.0]]
    >>> ranked.loc[2, ["kecamatan", "status"]].tolist()
    ['k2', 'no_cooperative']
    """
    points = _resolve_points(weights)
    low, high = (float(v) for v in asset_range)
    if not (0 < low < high and math.isfinite(high)):
        raise ConfigError(f"asset_range must be 0 < low < high (Rupiah); got {asset_range}.")
    if not (math.isfinite(distance_scale) and distance_scale > 0):
        raise ConfigError(f"distance_scale must be a positive distance in metres; got "
                          f"{distance_scale}.")
    needed = [kecamatan_column, name_column, usaha_column, members_column, assets_column]
    lacking = [c for c in needed if c not in cooperatives.columns]
    if lacking:
        raise ConfigError(f"The cooperatives table lacks column(s) {lacking}; it has "
                          f"{list(cooperatives.columns)}. Name the right columns with the "
                          "*_column options.")
    pairs = list(_pairs(assignment))
    _check_codes(pairs, cooperatives[kecamatan_column], kecamatan_column)
    distance_of = _distance_function(suitable_land, cooperatives)
    members = pd.to_numeric(cooperatives[members_column], errors="coerce").astype(np.float64)
    assets = pd.to_numeric(cooperatives[assets_column], errors="coerce").astype(np.float64)
    if (members < 0).any() or (assets < 0).any():
        raise ConfigError(f"Members ({members_column!r}) and assets ({assets_column!r}) must not "
                          "be negative.")
    group_of_product = product_groups(sorted({p for _, p in pairs if p is not None}),
                                      groups=groups)
    lookup = _GroupLookup(groups)
    frames = []
    for kecamatan, product in pairs:
        if product is None:
            frames.append(_empty_row(kecamatan, None, "no_product"))
            continue
        here = np.flatnonzero((cooperatives[kecamatan_column] == kecamatan).to_numpy())
        if here.size == 0:
            frames.append(_empty_row(kecamatan, product, "no_cooperative"))
            continue
        group = group_of_product[product]
        match = [_line_match(split_usaha(u), product, group, field_of, lookup)
                 for u in cooperatives[usaha_column].iloc[here]]
        if require_line:
            keep = [i for i, m in enumerate(match) if m != "none"]
            here, match = here[keep], [match[i] for i in keep]
            if here.size == 0:
                frames.append(_empty_row(kecamatan, product, "no_matching_cooperative"))
                continue
        m, a = members.iloc[here].to_numpy(), assets.iloc[here].to_numpy()
        top = np.nanmax(m) if np.isfinite(m).any() else 0.0
        members_score = np.nan_to_num(m / top) if top > 0 else np.zeros(len(m))
        with np.errstate(divide="ignore", invalid="ignore"):
            asset_score = (np.log10(a) - math.log10(low)) / (math.log10(high) - math.log10(low))
        asset_score = np.nan_to_num(np.clip(asset_score, 0.0, 1.0), nan=0.0)
        if distance_of is None:
            distance = np.full(len(here), np.nan)
        else:
            distance = np.asarray(distance_of(kecamatan, product, here), dtype=np.float64)
        distance_score = np.nan_to_num(np.clip(1.0 - distance / distance_scale, 0.0, 1.0))
        table = pd.DataFrame({
            "kecamatan": kecamatan, "product": product, "status": "ranked",
            "cooperative": cooperatives[name_column].iloc[here].to_numpy(),
            "cooperative_index": cooperatives.index[here],
            "usaha": cooperatives[usaha_column].iloc[here].to_numpy(),
            "members": m, "assets": a, "line_match": match, "distance_m": distance,
            "points_business_line": points["business_line"] * np.array(
                [LINE_SCORE[x] for x in match]),
            "points_members": points["members"] * members_score,
            "points_assets": points["assets"] * asset_score,
            "points_distance": points["distance"] * distance_score,
            "order": np.arange(len(here)),
        })
        table["points"] = (table["points_business_line"] + table["points_members"]
                           + table["points_assets"] + table["points_distance"])
        table = table.sort_values(
            ["points", "members", "assets", "cooperative", "order"],
            ascending=[False, False, False, True, True], na_position="last", kind="mergesort")
        table["rank"] = np.arange(1, len(table) + 1)
        frames.append(table.drop(columns="order"))
    if not frames:
        return _empty_row(None, None, "no_product").iloc[:0]
    out = pd.concat([f[_COLUMNS] for f in frames], ignore_index=True)
    out["rank"] = out["rank"].astype("Int64")
    return out


# -- internals ---------------------------------------------------------------------------


def _resolve_points(weights: Mapping[str, float] | None) -> dict[str, float]:
    if weights is None:
        return dict(DEFAULT_POINTS)
    given = dict(weights)
    if set(given) != set(DEFAULT_POINTS):
        raise ConfigError(f"Cooperative points must name exactly {sorted(DEFAULT_POINTS)}; got "
                          f"{sorted(given)} (give 0 to ignore a part).")
    values = {k: float(v) for k, v in given.items()}
    if any(not math.isfinite(v) or v < 0 for v in values.values()) or not sum(values.values()):
        raise ConfigError(f"Cooperative points must be non-negative and not all 0; got {given}.")
    return values


def _pairs(assignment: Mapping[Hashable, Any] | pd.Series) -> Iterator[tuple[Hashable,
                                                                              str | None]]:
    items = assignment.items()
    for kecamatan, value in items:
        values = [value] if isinstance(value, str) or not isinstance(value, Sequence) else value
        if not values:
            yield kecamatan, None
        for product in values:
            missing = product is None or (isinstance(product, float) and math.isnan(product))
            if not missing and not isinstance(product, str):
                raise ConfigError(f"Kecamatan {kecamatan!r} is assigned {product!r}; expected a "
                                  "commodity id (str).")
            yield kecamatan, None if missing else product


def _check_codes(pairs: list[tuple[Hashable, str | None]], ids: pd.Series, column: str) -> None:
    wanted = {k for k, _ in pairs}
    if wanted and len(ids) and not wanted & set(ids.dropna()):
        raise ConfigError(
            f"No cooperative's {column!r} ({ids.iloc[0]!r}, …) matches an assigned kecamatan "
            f"({next(iter(wanted))!r}, …). BPS and Kemendagri codes differ, and so do text and "
            "numbers: choose the matching kecamatan_column or convert the codes.")


class _GroupLookup:
    """Product group of a business-line entry that is a commodity id (None otherwise)."""

    def __init__(self, groups: Mapping[str, str] | None) -> None:
        self._cache: dict[str, str | None] = dict(groups or {})

    def __call__(self, entry: str) -> str | None:
        if entry not in self._cache:
            try:
                self._cache[entry] = product_groups([entry])[entry]
            except ConfigError:
                self._cache[entry] = None
        return self._cache[entry]


def _line_match(lines: Sequence[str], product: str, group: str,
                field_of: Mapping[str, Sequence[str]],
                lookup: Callable[[str], str | None]) -> str:
    if product in lines:
        return "product"
    fields = set(field_of.get(group, ()))
    for entry in lines:
        if entry == group or entry in fields or lookup(entry) == group:
            return "group"
    return "none"


def _distance_function(suitable_land: SuitableLand | None, cooperatives: pd.DataFrame
                       ) -> Callable[[Hashable, str, np.ndarray], np.ndarray] | None:
    if suitable_land is None:
        return None
    if not isinstance(cooperatives, gpd.GeoDataFrame):
        raise ConfigError("Distances to suitable land need the cooperatives as a GeoDataFrame "
                          "of points.")
    points = cooperatives.geometry
    if callable(suitable_land) and not isinstance(suitable_land, Mapping | pd.Series):
        function = suitable_land

        def call(kecamatan: Hashable, product: str, rows: np.ndarray) -> np.ndarray:
            out = np.asarray(function(kecamatan, product, points.iloc[rows]), dtype=np.float64)
            if out.shape != (len(rows),):
                raise ConfigError(f"The distance function gave shape {out.shape} for "
                                  f"{len(rows)} cooperatives in {kecamatan!r}.")
            if (out < 0).any():
                raise ConfigError(f"The distance function gave a negative distance in "
                                  f"{kecamatan!r}.")
            return out

        return call
    crs = cooperatives.crs
    if crs is None or crs.is_geographic:
        raise CRSError(f"Distances to suitable land need a projected CRS in metres; the "
                       f"cooperatives are in {crs}. Reproject them (and the land) with to_crs.")
    land_crs = getattr(suitable_land, "crs", None)
    if land_crs is not None and land_crs != crs:
        raise CRSError(f"Suitable land is in {land_crs} but the cooperatives are in {crs}; "
                       "reproject one of them.")
    land = dict(suitable_land.items())

    def measure(kecamatan: Hashable, product: str, rows: np.ndarray) -> np.ndarray:
        geometry = land.get((kecamatan, product))
        if geometry is None or shapely.is_empty(geometry):
            log.info("No suitable land for %s in %s: distance points 0", product, kecamatan)
            return np.full(len(rows), np.nan)
        return np.asarray(shapely.distance(points.iloc[rows].to_numpy(), geometry),
                          dtype=np.float64)

    return measure


def _empty_row(kecamatan: Hashable, product: str | None, status: str) -> pd.DataFrame:
    row: dict[str, Any] = dict.fromkeys(_COLUMNS, np.nan)
    row.update(kecamatan=kecamatan, product=product, status=status, rank=pd.NA,
               cooperative=np.nan, cooperative_index=np.nan, usaha=np.nan, line_match=np.nan)
    return pd.DataFrame([row], columns=_COLUMNS)
