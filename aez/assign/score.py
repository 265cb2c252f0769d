"""Scores of (kecamatan, commodity) pairs: criteria, normalisation and weights.

A **criterion** is a kecamatan × commodity table of raw values (a per-kecamatan
Series, such as the number of farm households, is broadcast across the
commodities). :func:`score_table` normalises each criterion to [0, 1], turns it
so that 1 is always best, and combines the criteria with weights that sum to 1:

    total[k, p] = Σ_c weights[c] · components[c][k, p]

**Normalisation.** Min–max across *all* pairs of the table (``"minmax"``, the
default): ``(x − min) / (max − min)`` for a criterion where more is better and
``(max − x) / (max − min)`` where less is better (travel time). One scale for
every commodity is what makes the assignment meaningful: the programme compares
commodity *p* with commodity *q* inside one kecamatan, so a suitability index of
40 must score the same whichever crop it belongs to. Per-commodity min–max
(``"minmax_per_commodity"``) would give the best kecamatan of a crop that grows
poorly everywhere the same 1 as the best kecamatan of a crop that thrives, and
is offered only for criteria that are meaningful within a commodity alone.
``bounds={criterion: (low, high)}`` fixes the scale of a criterion instead
(values outside are clipped), e.g. ``(0, 100)`` for a suitability index or
``(0, 3)`` to stop one extreme location quotient from squashing the rest.
A criterion with a single value everywhere does not discriminate and scores 0
everywhere (not NaN).

**Missing values.** NaN in a raw criterion means "no evidence" (no suitable
land for a travel time, a commodity nobody grows for LQ or growth). With
``missing="worst"`` (the default) it scores 0, the worst normalised value;
``missing="raise"`` refuses such tables. Infinite values are always refused.

**Weights** are a mapping criterion → weight (normalised to sum 1), an AHP
pairwise comparison matrix (a square DataFrame labelled by criterion, or an
array in the order of the criteria), or ``None`` for equal weights. AHP weights
come from :func:`aez.evaluate.mcda.ahp_weights`; judgements whose consistency
ratio exceeds 0.1 are refused (Saaty 1980).

:mod:`aez.assign.criteria` builds the criteria that come from tables rather
than rasters (growth, cooperatives, sentra).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from aez.errors import ConfigError
from aez.evaluate.mcda import MAX_CONSISTENCY_RATIO, AHPResult, ahp_weights

__all__ = [
    "CRITERIA",
    "DEFAULT_DIRECTIONS",
    "Scores",
    "assigned_scores",
    "score_table",
]

log = logging.getLogger(__name__)

#: Canonical criterion names.
CRITERIA: tuple[str, ...] = (
    "suitability", "lq", "growth", "market_access", "labour", "cooperatives", "sentra",
)
#: Direction of each canonical criterion: "max" (more is better) or "min".
DEFAULT_DIRECTIONS: dict[str, str] = {name: "max" for name in CRITERIA} | {
    "market_access": "min",
}

Normalise: TypeAlias = Literal["minmax", "minmax_per_commodity"]
Weights: TypeAlias = Mapping[str, float] | pd.DataFrame | AHPResult | ArrayLike | None


@dataclass(frozen=True, eq=False)
class Scores:
    """Normalised criteria, their raw values and weights for kecamatan × commodity.

    Attributes
    ----------
    components : dict of str → DataFrame
        Criterion → normalised values in [0, 1] (1 best); all share one index
        (kecamatan ids) and one set of columns (commodity ids).
    raw : dict of str → DataFrame
        Criterion → raw values (same shape), for explanations.
    weights : dict of str → float
        Criterion → weight; non-negative, sum 1.
    directions : dict of str → str
        Criterion → "max" or "min" (how the raw values were turned).
    consistency_ratio : float or None
        Saaty's CR when the weights came from AHP.
    """

    components: dict[str, pd.DataFrame]
    raw: dict[str, pd.DataFrame]
    weights: dict[str, float]
    directions: dict[str, str] = field(default_factory=dict)
    consistency_ratio: float | None = None

    def __post_init__(self) -> None:
        names = list(self.components)
        if not names:
            raise ConfigError("Scores need at least one criterion.")
        for what, keys in (("raw values", self.raw), ("weights", self.weights)):
            if set(keys) != set(names):
                raise ConfigError(f"Scores: the {what} name criteria {sorted(keys)} but the "
                                  f"components are {sorted(names)}.")
        first = self.components[names[0]]
        for name in names:
            for table in (self.components[name], self.raw[name]):
                if not (table.index.equals(first.index) and table.columns.equals(first.columns)):
                    raise ConfigError(f"Scores: criterion {name!r} has other kecamatan or "
                                      "commodities than the first criterion.")
            values = self.components[name].to_numpy(dtype=np.float64)
            if not np.all((values >= 0) & (values <= 1)):
                raise ConfigError(f"Scores: component {name!r} has values outside [0, 1] or "
                                  "NaN; normalise it first (score_table does).")
        total = math.fsum(self.weights.values())
        if any(w < 0 for w in self.weights.values()) or abs(total - 1.0) > 1e-9:
            raise ConfigError(f"Scores: weights must be non-negative and sum to 1; got "
                              f"{self.weights} (sum {total:g}).")

    @property
    def kecamatan(self) -> pd.Index:
        """Kecamatan ids (the rows of every table)."""
        return next(iter(self.components.values())).index

    @property
    def commodities(self) -> pd.Index:
        """Commodity ids (the columns of every table)."""
        return next(iter(self.components.values())).columns

    @property
    def total(self) -> pd.DataFrame:
        """Σ weights[c] · components[c], added in the order of ``components``."""
        first = next(iter(self.components.values()))
        out = np.zeros(first.shape, dtype=np.float64)
        for name, table in self.components.items():
            out += self.weights[name] * table.to_numpy(dtype=np.float64)
        return pd.DataFrame(out, index=first.index, columns=first.columns)

    def with_weights(self, weights: Weights) -> Scores:
        """Return the same components under other weights (a mapping, AHP matrix or None)."""
        resolved, cr = _resolve_weights(weights, list(self.components))
        return replace(self, weights=resolved, consistency_ratio=cr)

    def explain(self, kecamatan: Hashable, commodity: Hashable) -> pd.DataFrame:
        """Raw value, normalised value, weight and contribution of each criterion for one pair.

        The ``contribution`` column sums to ``total.loc[kecamatan, commodity]``.
        """
        if kecamatan not in self.kecamatan or commodity not in self.commodities:
            raise ConfigError(f"No score for kecamatan {kecamatan!r} and commodity "
                              f"{commodity!r}; the table has kecamatan "
                              f"{list(self.kecamatan)[:5]}… and commodities "
                              f"{list(self.commodities)}.")
        rows = []
        for name, table in self.components.items():
            value = float(table.at[kecamatan, commodity])
            rows.append({"criterion": name, "raw": float(self.raw[name].at[kecamatan, commodity]),
                         "direction": self.directions.get(name, "max"), "normalised": value,
                         "weight": self.weights[name],
                         "contribution": self.weights[name] * value})
        return pd.DataFrame(rows).set_index("criterion")


def score_table(criteria: Mapping[str, pd.DataFrame | pd.Series], *, weights: Weights = None,
                directions: Mapping[str, str] | None = None, normalise: Normalise = "minmax",
                bounds: Mapping[str, tuple[float, float]] | None = None,
                kecamatan: Sequence[Hashable] | None = None,
                commodities: Sequence[Hashable] | None = None,
                missing: Literal["worst", "raise"] = "worst") -> Scores:
    """Normalise and weight criteria into scores per (kecamatan, commodity).

    Parameters
    ----------
    criteria : mapping of str → DataFrame or Series
        Criterion name → raw values: a DataFrame (index kecamatan ids, columns
        commodity ids) or a Series per kecamatan (broadcast to every commodity).
        Canonical names are in :data:`CRITERIA`.
    weights : mapping, DataFrame, array_like, AHPResult or None
        Criterion → weight (normalised to sum 1); an AHP pairwise matrix (square
        DataFrame labelled by criterion, or an array in the order of ``criteria``;
        CR > 0.1 is refused); or None for equal weights.
    directions : mapping of str → {"max", "min"}, optional
        Overrides :data:`DEFAULT_DIRECTIONS`; a criterion outside :data:`CRITERIA`
        must be given one.
    normalise : {"minmax", "minmax_per_commodity"}
        Min–max over all pairs (default; see the module docstring) or per commodity.
    bounds : mapping of str → (low, high), optional
        Fixed scales for some criteria (raw units), values outside clipped.
    kecamatan, commodities : sequence, optional
        The table's rows and columns. Each criterion is reindexed onto them
        (labels it lacks are missing values; extra labels are dropped). Without
        them every criterion must have the same kecamatan (and every DataFrame the
        same commodities); the order is that of the first criterion.
    missing : {"worst", "raise"}
        NaN scores 0 (the worst), or is refused.

    Returns
    -------
    Scores

    Examples
    --------
    >>> si = pd.DataFrame({"jagung": [80.0, 40.0], "padi_sawah": [60.0, 20.0]},
    ...                   index=["63.90.01", "63.90.02"])
    >>> hours = pd.DataFrame({"jagung": [1.0, 3.0], "padi_sawah": [1.0, 3.0]}, index=si.index)
    >>> scores = score_table({"suitability": si, "market_access": hours},
    ...                      weights={"suitability": 3, "market_access": 1})
    >>> scores.total.round(3).to_numpy().tolist()
    [[1.0, 0.75], [0.25, 0.0]]
    """
    if not criteria:
        raise ConfigError("score_table needs at least one criterion.")
    if normalise not in ("minmax", "minmax_per_commodity"):
        raise ConfigError(f"normalise = {normalise!r}; expected 'minmax' (across all pairs) or "
                          "'minmax_per_commodity'.")
    if missing not in ("worst", "raise"):
        raise ConfigError(f"missing = {missing!r}; expected 'worst' or 'raise'.")
    names = list(criteria)
    dirs = _resolve_directions(names, directions)
    fixed = dict(bounds or {})
    unknown = set(fixed) - set(names)
    if unknown:
        raise ConfigError(f"bounds name criteria {sorted(unknown)} that are not scored "
                          f"(criteria: {names}).")
    rows, cols = _frame_labels(criteria, kecamatan, commodities)
    raw: dict[str, pd.DataFrame] = {}
    components: dict[str, pd.DataFrame] = {}
    for name in names:
        table = _as_table(name, criteria[name], rows, cols)
        values = table.to_numpy()
        if np.isinf(values).any():
            k, p = np.argwhere(np.isinf(values))[0]
            raise ConfigError(f"Criterion {name!r} is infinite for kecamatan {rows[k]!r}, "
                              f"commodity {cols[p]!r}. Give a finite value, or NaN for no data.")
        gaps = np.isnan(values)
        if gaps.any():
            k, p = np.argwhere(gaps)[0]
            if missing == "raise":
                raise ConfigError(
                    f"Criterion {name!r} has {int(gaps.sum())} missing value(s), e.g. kecamatan "
                    f"{rows[k]!r}, commodity {cols[p]!r}. Fill them, or pass missing='worst' "
                    "to score them 0.")
            log.info("Criterion %r: %d of %d values missing, scored 0", name, int(gaps.sum()),
                     gaps.size)
        raw[name] = table
        normalised = _normalise(values, low_high=fixed.get(name), direction=dirs[name],
                                per_commodity=normalise == "minmax_per_commodity")
        components[name] = pd.DataFrame(normalised, index=table.index, columns=table.columns)
    resolved, cr = _resolve_weights(weights, names)
    return Scores(components, raw, resolved, dirs, cr)


def assigned_scores(total: pd.DataFrame,
                    products: Mapping[Hashable, Hashable] | pd.Series) -> pd.Series:
    """Return the score of each kecamatan's assigned product (one value per assignment).

    ``products`` maps kecamatan → product (a Series may repeat a kecamatan when
    it has several products). The result has the same index as ``products``.

    >>> total = pd.DataFrame({"a": [0.2, 0.9], "b": [0.7, 0.1]}, index=["k1", "k2"])
    >>> assigned_scores(total, {"k1": "b", "k2": "a"}).tolist()
    [0.7, 0.9]
    """
    series = products if isinstance(products, pd.Series) else pd.Series(dict(products))
    values = []
    for k, p in series.items():
        if k not in total.index or p not in total.columns:
            raise ConfigError(f"Kecamatan {k!r} is assigned {p!r}, which has no score; the "
                              f"score table has commodities {list(total.columns)}.")
        values.append(float(total.at[k, p]))
    return pd.Series(values, index=series.index, name="score", dtype=np.float64)


# -- internals ---------------------------------------------------------------------------


def _resolve_directions(names: Sequence[str],
                        directions: Mapping[str, str] | None) -> dict[str, str]:
    given = dict(directions or {})
    extra = set(given) - set(names)
    if extra:
        raise ConfigError(f"directions name criteria {sorted(extra)} that are not scored "
                          f"(criteria: {list(names)}).")
    out = {}
    for name in names:
        direction = given.get(name, DEFAULT_DIRECTIONS.get(name))
        if direction is None:
            raise ConfigError(
                f"Criterion {name!r} needs a direction: pass directions={{{name!r}: 'max'}} if "
                f"more is better or 'min' if less is better (canonical criteria {CRITERIA} "
                "have defaults).")
        if direction not in ("max", "min"):
            raise ConfigError(f"Direction of {name!r} is {direction!r}; expected 'max' (more is "
                              "better) or 'min' (less is better).")
        out[name] = direction
    return out


def _frame_labels(criteria: Mapping[str, pd.DataFrame | pd.Series],
                  kecamatan: Sequence[Hashable] | None,
                  commodities: Sequence[Hashable] | None) -> tuple[list[Any], list[Any]]:
    for name, table in criteria.items():
        if not isinstance(table, pd.DataFrame | pd.Series):
            raise ConfigError(f"Criterion {name!r} is a {type(table).__name__}; expected a "
                              "DataFrame (kecamatan × commodity) or a Series per kecamatan.")
        if table.index.has_duplicates:
            raise ConfigError(f"Criterion {name!r} repeats kecamatan "
                              f"{list(table.index[table.index.duplicated()][:3])}.")
        if isinstance(table, pd.DataFrame) and table.columns.has_duplicates:
            raise ConfigError(f"Criterion {name!r} repeats commodity columns.")
    frames = {n: t for n, t in criteria.items() if isinstance(t, pd.DataFrame)}
    if kecamatan is not None:
        rows = list(kecamatan)
        for name, table in criteria.items():
            if len(table.index) and not table.index.isin(rows).any():
                raise ConfigError(
                    f"Criterion {name!r} has none of the kecamatan ({table.index[0]!r}, … vs "
                    f"{rows[0]!r}, …). BPS and Kemendagri codes differ: join through the "
                    "crosswalk first.")
    else:
        first_name, first = next(iter(criteria.items()))
        rows = list(first.index)
        for name, table in criteria.items():
            if set(table.index) != set(rows):
                raise ConfigError(
                    f"Criteria {first_name!r} and {name!r} cover different kecamatan (only in "
                    f"{first_name!r}: {sorted(map(str, set(rows) - set(table.index)))[:5]}; only "
                    f"in {name!r}: {sorted(map(str, set(table.index) - set(rows)))[:5]}). Pass "
                    "kecamatan= to reindex them (absent values are missing).")
    if commodities is not None:
        cols = list(commodities)
    elif frames:
        first_name, first = next(iter(frames.items()))
        cols = list(first.columns)
        for name, table in frames.items():
            if set(table.columns) != set(cols):
                raise ConfigError(
                    f"Criteria {first_name!r} and {name!r} cover different commodities (only in "
                    f"{first_name!r}: {sorted(map(str, set(cols) - set(table.columns)))}; only "
                    f"in {name!r}: {sorted(map(str, set(table.columns) - set(cols)))}). Pass "
                    "commodities= to choose them (absent ones are missing).")
    else:
        raise ConfigError("Every criterion is a per-kecamatan Series; pass commodities= to say "
                          "which commodities to score.")
    if len(set(rows)) != len(rows) or len(set(cols)) != len(cols):
        raise ConfigError("kecamatan= and commodities= must not repeat ids.")
    if not rows or not cols:
        raise ConfigError(f"The score table is empty ({len(rows)} kecamatan × {len(cols)} "
                          "commodities).")
    return rows, cols


def _as_table(name: str, table: pd.DataFrame | pd.Series, rows: list[Any],
              cols: list[Any]) -> pd.DataFrame:
    if isinstance(table, pd.Series):
        series = table.reindex(rows)
        table = pd.DataFrame({c: series for c in cols}, index=series.index)
    try:
        out = table.reindex(index=rows, columns=cols).astype(np.float64)
    except (TypeError, ValueError) as err:
        raise ConfigError(f"Criterion {name!r} has values that are not numbers ({err}).") from None
    out.index.name, out.columns.name = "kecamatan", "commodity"
    return out


def _normalise(values: np.ndarray, *, low_high: tuple[float, float] | None, direction: str,
               per_commodity: bool) -> np.ndarray:
    """Min–max (or fixed-bounds) scaling to [0, 1], turned by direction; NaN → 0."""
    if low_high is not None:
        low, high = (float(v) for v in low_high)
        if not (math.isfinite(low) and math.isfinite(high) and high > low):
            raise ConfigError(f"bounds must be finite with low < high; got {low_high}.")
        lo, hi = np.full(values.shape[1], low), np.full(values.shape[1], high)
    elif np.isnan(values).all():
        return np.zeros(values.shape)
    elif per_commodity:
        finite = ~np.isnan(values)
        lo = np.where(finite, values, np.inf).min(axis=0)
        hi = np.where(finite, values, -np.inf).max(axis=0)
    else:
        lo = np.full(values.shape[1], np.nanmin(values))
        hi = np.full(values.shape[1], np.nanmax(values))
    span = hi - lo
    flat = ~(span > 0)  # constant columns (and all-NaN columns: inf − inf) score 0
    safe = np.where(flat, 1.0, span)
    with np.errstate(invalid="ignore"):
        scaled = (values - lo) / safe if direction == "max" else (hi - values) / safe
    scaled = np.clip(scaled, 0.0, 1.0)
    scaled[:, flat] = 0.0
    return np.where(np.isnan(scaled), 0.0, scaled)


def _resolve_weights(weights: Weights, names: Sequence[str]) -> tuple[dict[str, float],
                                                                      float | None]:
    if weights is None:
        return {n: 1.0 / len(names) for n in names}, None
    if isinstance(weights, pd.Series):
        weights = weights.to_dict()
    if isinstance(weights, Mapping):
        given = dict(weights)
        if set(given) != set(names):
            raise ConfigError(
                f"Weights name criteria {sorted(given)} but the criteria are {sorted(names)} "
                f"(missing: {sorted(set(names) - set(given))}; extra: "
                f"{sorted(set(given) - set(names))}). Give every criterion a weight (0 drops it).")
        values = {n: float(given[n]) for n in names}
        total = math.fsum(values.values())
        if any(not math.isfinite(w) or w < 0 for w in values.values()) or not total > 0:
            raise ConfigError(f"Weights must be finite, non-negative and not all 0; got {given}.")
        return {n: w / total for n, w in values.items()}, None
    if isinstance(weights, AHPResult):
        result = weights
        if result.labels is None or set(result.labels) != set(names):
            raise ConfigError(f"The AHP result is labelled {result.labels}; it must name the "
                              f"criteria {sorted(names)}.")
    elif isinstance(weights, pd.DataFrame):
        if list(weights.index) != list(weights.columns) or set(weights.index) != set(names):
            raise ConfigError(
                "An AHP comparison DataFrame must have the criteria as both index and columns "
                f"in the same order; got index {list(weights.index)}, columns "
                f"{list(weights.columns)}, criteria {list(names)}.")
        result = ahp_weights(weights.to_numpy(dtype=np.float64), labels=list(weights.index),
                             allow_inconsistent=True)
    else:
        matrix = np.asarray(weights, dtype=np.float64)
        if matrix.shape != (len(names), len(names)):
            raise ConfigError(f"An AHP comparison matrix for {len(names)} criteria {list(names)} "
                              f"must be {len(names)} × {len(names)}; got shape {matrix.shape}.")
        result = ahp_weights(matrix, labels=list(names), allow_inconsistent=True)
    cr = result.consistency_ratio
    if cr > MAX_CONSISTENCY_RATIO:
        raise ConfigError(
            f"The AHP comparisons are inconsistent: consistency ratio CR = {cr:.3f} exceeds "
            f"{MAX_CONSISTENCY_RATIO} (λmax = {result.lambda_max:.3f} for "
            f"{len(result.weights)} criteria; CR = (λmax − n)/(n − 1)/RI(n), Saaty 1980). Some "
            "judgements contradict others (if A > B and B > C, A must exceed C by about the "
            "product). Revise the matrix, or give the weights directly as a mapping.")
    by_label = result.as_dict()
    weights_out = {n: float(by_label[n]) for n in names}
    total = math.fsum(weights_out.values())
    return {n: w / total for n, w in weights_out.items()}, float(cr)

