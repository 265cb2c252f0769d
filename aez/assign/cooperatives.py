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
The point weights, the asset range and the distance scale are fields of
:class:`~aez.assign.options.CooperativeOptions`, with the column names. A
missing value (no member count, no assets, no suitable land) scores 0 in its
part. Without ``suitable_land`` every distance part is 0, so the best
attainable score is 80; the ranking is unaffected.

Ranks are 1, 2, … within each (kecamatan, product); equal points are broken
by more members, then more assets, then the name, then table order, so the
ranking is deterministic.

**No candidate** is an explicit result: a kecamatan whose product has no
cooperative to carry it gets one row with ``status = "no_cooperative"``
(none in the kecamatan) or ``"no_matching_cooperative"`` (none with a matching
business line, with ``require_line=True``), rank and points left empty, so a
report can say "no cooperative found" rather than silently drop the kecamatan.
A kecamatan without an assigned product gets ``status = "no_product"``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike, NDArray

from aez.assign.criteria import product_groups, split_usaha
from aez.assign.options import ASSET_RANGE, DEFAULT_POINTS, DISTANCE_SCALE, CooperativeOptions
from aez.errors import ConfigError, CRSError

__all__ = ["ASSET_RANGE", "DEFAULT_POINTS", "DISTANCE_SCALE", "CooperativeOptions",
           "rank_cooperatives"]

log = logging.getLogger(__name__)

#: Sub-score of a business line that names the product, its group, or neither.
LINE_SCORE: dict[str, float] = {"product": 1.0, "group": 0.5, "none": 0.0}

DistanceFunction: TypeAlias = Callable[[Hashable, str, gpd.GeoSeries], ArrayLike]
SuitableLand: TypeAlias = Mapping[tuple[Hashable, str], Any] | gpd.GeoSeries | DistanceFunction
#: Distance (m) of the cooperatives at some row positions to a (kecamatan, product)'s land.
_Distance: TypeAlias = Callable[[Hashable, str, np.ndarray], np.ndarray]

_COLUMNS = [
    "kecamatan", "product", "status", "rank", "cooperative", "cooperative_index", "usaha",
    "members", "assets", "line_match", "distance_m", "points_business_line", "points_members",
    "points_assets", "points_distance", "points",
]


def rank_cooperatives(assignment: Mapping[Hashable, Any] | pd.Series,
                      cooperatives: pd.DataFrame, *,
                      options: CooperativeOptions | None = None,
                      suitable_land: SuitableLand | None = None) -> pd.DataFrame:
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
    options : CooperativeOptions, optional
        Column names (``kecamatan_column`` must use the same code system as
        ``assignment``), the points of each part (``weights``), product
        ``groups``, sentra fields (``field_of``), ``asset_range`` (Rp),
        ``distance_scale`` (m) and ``require_line``. None: the defaults.
    suitable_land : mapping, GeoSeries or callable, optional
        Suitable land of each (kecamatan, product): a mapping or a GeoSeries with a
        (kecamatan, product) MultiIndex of polygons in the cooperatives' projected
        CRS (distances in metres), or a function ``f(kecamatan, product, points)``
        returning the distance (m) of each point of the GeoSeries ``points``.

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
    >>> strict = rank_cooperatives({"k1": "kelapa_sawit"}, coops,
    ...                            options=CooperativeOptions(require_line=True))
    >>> strict["status"].tolist()
    ['no_matching_cooperative']
    """
    options, points = _checked(options)
    _check_columns(cooperatives, options)
    pairs = list(_pairs(assignment))
    _check_codes(pairs, cooperatives[options.kecamatan_column], options.kecamatan_column)
    distance_of = _distance_function(suitable_land, cooperatives)
    members, assets = _sizes(cooperatives, options)
    group_of = product_groups(sorted({p for _, p in pairs if p is not None}),
                              groups=options.groups)
    inputs = _Inputs(cooperatives, options, points, members, assets, distance_of, group_of,
                     _GroupLookup(options.groups))
    frames = [_rank_pair(inputs, kecamatan, product) for kecamatan, product in pairs]
    if not frames:
        return _empty_row(None, None, "no_product").iloc[:0]
    out = pd.concat([f[_COLUMNS] for f in frames], ignore_index=True)
    out["rank"] = out["rank"].astype("Int64")
    return out


# -- the steps ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Inputs:
    """The checked table and settings that every (kecamatan, product) shares."""

    cooperatives: pd.DataFrame
    options: CooperativeOptions
    points: dict[str, float]
    members: NDArray[np.float64]
    assets: NDArray[np.float64]
    distance_of: _Distance | None
    group_of: Mapping[str, str]
    lookup: _GroupLookup


def _checked(options: CooperativeOptions | None) -> tuple[CooperativeOptions, dict[str, float]]:
    """Return the options (defaults for None), checked, and the points of each part."""
    if options is None:
        options = CooperativeOptions()
    elif not isinstance(options, CooperativeOptions):
        raise ConfigError(f"options must be a CooperativeOptions (or None for the defaults); "
                          f"got {type(options).__name__}.")
    points = _resolve_points(options.weights)
    low, high = (float(v) for v in options.asset_range)
    if not (0 < low < high and math.isfinite(high)):
        raise ConfigError(f"asset_range must be 0 < low < high (Rupiah); got "
                          f"{options.asset_range}.")
    scale = options.distance_scale
    if not (math.isfinite(scale) and scale > 0):
        raise ConfigError(f"distance_scale must be a positive distance in metres; got {scale}.")
    return options, points


def _check_columns(cooperatives: pd.DataFrame, options: CooperativeOptions) -> None:
    """Check that the table has every column the options name."""
    needed = [getattr(options, f"{part}_column")
              for part in ("kecamatan", "name", "usaha", "members", "assets")]
    lacking = [c for c in needed if c not in cooperatives.columns]
    if lacking:
        raise ConfigError(f"The cooperatives table lacks column(s) {lacking}; it has "
                          f"{list(cooperatives.columns)}. Name the right columns with the "
                          "*_column options.")


def _sizes(cooperatives: pd.DataFrame, options: CooperativeOptions
           ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Members and assets (Rp) as numbers, NaN where missing; negative values are refused."""
    members, assets = (pd.to_numeric(cooperatives[c], errors="coerce").astype(np.float64)
                       for c in (options.members_column, options.assets_column))
    if (members < 0).any() or (assets < 0).any():
        raise ConfigError(f"Members ({options.members_column!r}) and assets "
                          f"({options.assets_column!r}) must not be negative.")
    return members.to_numpy(), assets.to_numpy()


def _rank_pair(inputs: _Inputs, kecamatan: Hashable, product: str | None) -> pd.DataFrame:
    """Rank the candidates for one (kecamatan, product), or return its one explicit empty row."""
    if product is None:
        return _empty_row(kecamatan, None, "no_product")
    column = inputs.cooperatives[inputs.options.kecamatan_column]
    rows = np.flatnonzero((column == kecamatan).to_numpy())
    if rows.size == 0:
        return _empty_row(kecamatan, product, "no_cooperative")
    rows, match = _candidates(inputs, rows, product)
    if rows.size == 0:
        return _empty_row(kecamatan, product, "no_matching_cooperative")
    return _ranked(_points_table(inputs, kecamatan, product, rows, match))


def _candidates(inputs: _Inputs, rows: NDArray[np.intp],
                product: str) -> tuple[NDArray[np.intp], list[str]]:
    """Find the rows to rank and their business-line match (only matches with ``require_line``)."""
    options, group = inputs.options, inputs.group_of[product]
    usaha = inputs.cooperatives[options.usaha_column].iloc[rows]
    match = [_line_match(split_usaha(u), product, group, options.field_of, inputs.lookup)
             for u in usaha]
    if options.require_line:
        keep = [i for i, m in enumerate(match) if m != "none"]
        rows, match = rows[keep], [match[i] for i in keep]
    return rows, match


def _sub_scores(inputs: _Inputs, kecamatan: Hashable, product: str, rows: NDArray[np.intp]
                ) -> tuple[dict[str, NDArray[np.float64]], NDArray[np.float64]]:
    """Each candidate's sub-scores in [0, 1] (members, assets, distance) and its distance (m)."""
    options = inputs.options
    m, a = inputs.members[rows], inputs.assets[rows]
    top = np.nanmax(m) if np.isfinite(m).any() else 0.0
    members_score = np.nan_to_num(m / top) if top > 0 else np.zeros(len(m))
    low, high = (float(v) for v in options.asset_range)
    with np.errstate(divide="ignore", invalid="ignore"):
        asset_score = (np.log10(a) - math.log10(low)) / (math.log10(high) - math.log10(low))
    asset_score = np.nan_to_num(np.clip(asset_score, 0.0, 1.0), nan=0.0)
    if inputs.distance_of is None:
        distance = np.full(len(rows), np.nan)
    else:
        distance = np.asarray(inputs.distance_of(kecamatan, product, rows), dtype=np.float64)
    distance_score = np.nan_to_num(np.clip(1.0 - distance / options.distance_scale, 0.0, 1.0))
    return {"members": members_score, "assets": asset_score, "distance": distance_score}, distance


def _points_table(inputs: _Inputs, kecamatan: Hashable, product: str, rows: NDArray[np.intp],
                  match: list[str]) -> pd.DataFrame:
    """One row per candidate: its values, the sub-scores weighted into points, and the total."""
    options, points, coops = inputs.options, inputs.points, inputs.cooperatives
    score, distance = _sub_scores(inputs, kecamatan, product, rows)
    table = pd.DataFrame({
        "kecamatan": kecamatan, "product": product, "status": "ranked",
        "cooperative": coops[options.name_column].iloc[rows].to_numpy(),
        "cooperative_index": coops.index[rows],
        "usaha": coops[options.usaha_column].iloc[rows].to_numpy(),
        "members": inputs.members[rows], "assets": inputs.assets[rows], "line_match": match,
        "distance_m": distance,
        "points_business_line": points["business_line"] * np.array(
            [LINE_SCORE[x] for x in match]),
        "points_members": points["members"] * score["members"],
        "points_assets": points["assets"] * score["assets"],
        "points_distance": points["distance"] * score["distance"],
        "order": np.arange(len(rows)),
    })
    table["points"] = (table["points_business_line"] + table["points_members"]
                       + table["points_assets"] + table["points_distance"])
    return table


def _ranked(table: pd.DataFrame) -> pd.DataFrame:
    """Sort by points, then members, assets, name and table order; rank from 1 upward."""
    table = table.sort_values(
        ["points", "members", "assets", "cooperative", "order"],
        ascending=[False, False, False, True, True], na_position="last", kind="mergesort")
    table["rank"] = np.arange(1, len(table) + 1)
    return table.drop(columns="order")


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


def _distance_function(suitable_land: SuitableLand | None,
                       cooperatives: pd.DataFrame) -> _Distance | None:
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
