"""Scores of (kecamatan, commodity) pairs: criteria, normalisation and weights.

A **criterion** is a kecamatan × commodity table of raw values (a per-kecamatan
Series, such as the number of farm households, is broadcast across the
commodities). :func:`score_table` normalises each criterion to [0, 1], turns it
so that 1 is always best, and combines the criteria with weights that sum to 1:

    total[k, p] = Σ_c weights[c] · components[c][k, p]

**Normalisation** (``normalise=``, one :class:`Normalisation` per criterion;
``docs/scoring.md`` gives the reasoning and an example on real data):

* ``"minmax"``: ``(x − min) / (max − min)`` for a criterion where more is better
  and ``(max − x) / (max − min)`` where less is better (travel time);
* ``"rank"``: the percentile of the value among the others, (r − 1)/(n − 1)
  with average ranks for ties: only the order counts, so one extreme value
  cannot squash the rest (growth rates from a small base);
* ``"log"``: for ratios such as the location quotient, ``0.5 + ln x / (2 ln cap)``
  clipped to [0, 1]: LQ 1 scores 0.5, LQ 2 and ½ lie symmetrically at
  0.5 ± ln 2 / (2 ln cap), ``cap`` and more score 1, 1/``cap`` and less
  (and 0) score 0. Without ``cap`` the largest |ln x| (or its ``quantile``)
  sets the scale;
* ``"capped"``: min–max after clipping the values at ``cap`` or at their
  ``quantile`` (e.g. 0.95), so the tail beyond it scores as the cap.

Each is taken ``within`` all pairs of the table (``"all"``: one scale for every
commodity, so that an SI of 40 scores the same whichever crop it belongs to),
each ``"commodity"`` (a column) or each ``"kabupaten"`` (the kecamatan of one
kabupaten, from their codes or ``groups=``). :data:`DEFAULT_NORMALISATION`
gives the defaults: log for LQ (cap 4), rank for growth, min–max over all
pairs for the rest. ``bounds={criterion: (low, high)}`` fixes the scale of a
min–max criterion instead (values outside are clipped), e.g. ``(0, 100)`` for
a suitability index. A criterion with a single value everywhere does not
discriminate and scores 0 everywhere (not NaN), unless a fixed scale (bounds,
a log cap) places it.

**Missing values.** NaN in a raw criterion means "no evidence" (no suitable
land for a travel time, a commodity nobody grows for LQ or growth). With
``missing="worst"`` (the default) it scores 0, the worst normalised value,
except for the criteria of :data:`DEFAULT_MISSING`; ``missing="raise"``
refuses such tables. Infinite values are always refused. ``value``
(potential gross value or production) is missing where a commodity has no
reference yield or price: that is no estimate, not a value of zero, so such a
pair scores ``"mean"``, the mean of the normalised values that are known
(over the whole table), which neither lifts nor sinks it against the others;
the scale itself is taken over the known values only. ``missing`` may also be
a mapping criterion → ``"worst"`` | ``"mean"``.

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
    "DEFAULT_MISSING",
    "DEFAULT_NORMALISATION",
    "NORMALISE_METHODS",
    "NORMALISE_WITHIN",
    "Normalisation",
    "Scores",
    "assigned_scores",
    "score_table",
]

log = logging.getLogger(__name__)

#: Canonical criterion names.
CRITERIA: tuple[str, ...] = (
    "suitability", "lq", "growth", "market_access", "labour", "cooperatives", "sentra", "value",
)
#: Direction of each canonical criterion: "max" (more is better) or "min".
DEFAULT_DIRECTIONS: dict[str, str] = {name: "max" for name in CRITERIA} | {
    "market_access": "min",
}

#: How a missing raw value of a criterion scores unless ``missing=`` says otherwise
#: ("mean": the mean of the known normalised values; others score 0, the worst).
DEFAULT_MISSING: dict[str, str] = {"value": "mean"}

#: Normalisation methods and the groups of cells each is taken within.
NORMALISE_METHODS: tuple[str, ...] = ("minmax", "rank", "log", "capped")
NORMALISE_WITHIN: tuple[str, ...] = ("all", "commodity", "kabupaten")


@dataclass(frozen=True)
class Normalisation:
    """How one criterion is scaled to [0, 1] (see the module docstring).

    Attributes
    ----------
    method : {"minmax", "rank", "log", "capped"}
    within : {"all", "commodity", "kabupaten"}
        The cells one scale is taken over: the whole table, each commodity
        (column) or the kecamatan of each kabupaten.
    cap : float, optional
        ``"log"``: the ratio that scores 1 (its inverse scores 0), > 1;
        ``"capped"``: the value at which the raw values are clipped.
    quantile : float, optional
        Instead of ``cap``, the quantile (0–1) of the values (``"capped"``) or
        of |ln x| (``"log"``) taken as the cap, within each group.

    >>> Normalisation("log", cap=4).describe()
    'log, cap 4, within all'
    """

    method: str = "minmax"
    within: str = "all"
    cap: float | None = None
    quantile: float | None = None

    def __post_init__(self) -> None:
        if self.method not in NORMALISE_METHODS:
            raise ConfigError(f"Normalisation method {self.method!r}; expected one of "
                              f"{', '.join(NORMALISE_METHODS)}.")
        if self.within not in NORMALISE_WITHIN:
            raise ConfigError(f"Normalisation within {self.within!r}; expected one of "
                              f"{', '.join(NORMALISE_WITHIN)}.")
        if self.cap is not None and self.quantile is not None:
            raise ConfigError("Give a normalisation either a cap or a quantile, not both.")
        if self.method in ("minmax", "rank") and (self.cap is not None
                                                  or self.quantile is not None):
            raise ConfigError(f"Normalisation {self.method!r} takes no cap or quantile; use "
                              "'capped' to clip the values, or bounds= for a fixed scale.")
        if self.method == "capped" and self.cap is None and self.quantile is None:
            raise ConfigError("Normalisation 'capped' needs a cap (a value) or a quantile "
                              "(e.g. 0.95).")
        if self.cap is not None and not (math.isfinite(self.cap)
                                         and (self.cap > 1 or self.method != "log")):
            raise ConfigError(f"Normalisation cap = {self.cap!r}; expected a finite number"
                              + (" above 1 (the ratio that scores 1)." if self.method == "log"
                                 else "."))
        if self.quantile is not None and not 0 < self.quantile <= 1:
            raise ConfigError(f"Normalisation quantile = {self.quantile!r}; expected 0 < q ≤ 1.")

    def describe(self) -> str:
        """Short text: method, cap or quantile, and the cells it is taken within."""
        parts = [self.method]
        if self.cap is not None:
            parts.append(f"cap {self.cap:g}")
        if self.quantile is not None:
            parts.append(f"quantile {self.quantile:g}")
        return ", ".join(parts) + f", within {self.within}"


#: Default normalisation of the canonical criteria (others: min–max over all pairs). LQ is a
#: ratio: log, symmetric around 1, saturating at 4 (and ¼). Growth rates from small bases are
#: extreme: only their order counts. See docs/scoring.md for the reasoning.
DEFAULT_NORMALISATION: dict[str, Normalisation] = {name: Normalisation() for name in CRITERIA} | {
    "lq": Normalisation("log", cap=4.0),
    "growth": Normalisation("rank"),
}

Normalise: TypeAlias = (str | Normalisation
                        | Mapping[str, "str | Normalisation | Mapping[str, Any]"] | None)
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
    normalisation : dict of str → Normalisation
        Criterion → how it was scaled (for explanations and the report).
    """

    components: dict[str, pd.DataFrame]
    raw: dict[str, pd.DataFrame]
    weights: dict[str, float]
    directions: dict[str, str] = field(default_factory=dict)
    consistency_ratio: float | None = None
    normalisation: dict[str, Normalisation] = field(default_factory=dict)

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
        """Raw value, normalisation, normalised value, weight and contribution of each criterion.

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
            spec = self.normalisation.get(name)
            rows.append({"criterion": name, "raw": float(self.raw[name].at[kecamatan, commodity]),
                         "direction": self.directions.get(name, "max"),
                         "normalisation": spec.describe() if spec else "",
                         "normalised": value,
                         "weight": self.weights[name],
                         "contribution": self.weights[name] * value})
        return pd.DataFrame(rows).set_index("criterion")


def score_table(criteria: Mapping[str, pd.DataFrame | pd.Series], *, weights: Weights = None,
                directions: Mapping[str, str] | None = None, normalise: Normalise = None,
                bounds: Mapping[str, tuple[float, float]] | None = None,
                kecamatan: Sequence[Hashable] | None = None,
                commodities: Sequence[Hashable] | None = None,
                missing: Literal["worst", "raise"] | Mapping[str, str] = "worst",
                groups: Mapping[Hashable, Hashable] | pd.Series | None = None) -> Scores:
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
    normalise : Normalisation, str or mapping, optional
        How each criterion is scaled (see the module docstring): a mapping
        criterion → :class:`Normalisation` (or its method name, or a mapping of
        its fields); criteria it leaves out take :data:`DEFAULT_NORMALISATION`
        (min–max over all pairs outside the canonical criteria). One
        Normalisation or method name applies to every criterion;
        ``"minmax_per_commodity"`` is min–max within each commodity. None: the
        defaults.
    bounds : mapping of str → (low, high), optional
        Fixed scales for some min–max or capped criteria (raw units), values
        outside clipped.
    kecamatan, commodities : sequence, optional
        The table's rows and columns. Each criterion is reindexed onto them
        (labels it lacks are missing values; extra labels are dropped). Without
        them every criterion must have the same kecamatan (and every DataFrame the
        same commodities); the order is that of the first criterion.
    missing : {"worst", "raise"} or mapping of str to {"worst", "mean"}
        ``"worst"``: NaN scores 0, except in the criteria of
        :data:`DEFAULT_MISSING` (``value``: the mean of the known normalised
        values); ``"raise"``: refused; a mapping sets the rule per criterion.
    groups : mapping or Series, optional
        Kecamatan → kabupaten for ``within="kabupaten"``; default: from the
        kecamatan codes (:func:`aez.assign.rollup.kabupaten_of`).

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
    if isinstance(missing, Mapping):
        policy = dict(DEFAULT_MISSING) | dict(missing)
        bad = {k: v for k, v in policy.items() if v not in ("worst", "mean")}
        if bad:
            raise ConfigError(f"missing = {dict(missing)!r}; each criterion's rule is 'worst' "
                              "or 'mean'.")
    elif missing in ("worst", "raise"):
        policy = dict(DEFAULT_MISSING)
    else:
        raise ConfigError(f"missing = {missing!r}; expected 'worst', 'raise' or a mapping "
                          "criterion → 'worst' | 'mean'.")
    names = list(criteria)
    dirs = _resolve_directions(names, directions)
    fixed = dict(bounds or {})
    unknown = set(fixed) - set(names)
    if unknown:
        raise ConfigError(f"bounds name criteria {sorted(unknown)} that are not scored "
                          f"(criteria: {names}).")
    rows, cols = _frame_labels(criteria, kecamatan, commodities)
    specs = _resolve_normalisation(normalise, names)
    for name in fixed:
        if specs[name].method not in ("minmax", "capped"):
            raise ConfigError(f"bounds fix a min–max scale, but {name!r} is normalised by "
                              f"{specs[name].method!r}; drop its bounds or normalise it by "
                              "'minmax'.")
    row_groups = _row_groups(rows, groups) if any(
        spec.within == "kabupaten" for spec in specs.values()) else None
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
            rule = policy.get(name, "worst")
            log.info("Criterion %r: %d of %d values missing, scored %s", name,
                     int(gaps.sum()), gaps.size, "as the mean of the known" if rule == "mean"
                     else "0")
        raw[name] = table
        normalised = _normalise(values, specs[name], low_high=fixed.get(name),
                                direction=dirs[name], row_groups=row_groups, name=name)
        if gaps.any() and policy.get(name, "worst") == "mean":
            known = normalised[~gaps]
            normalised = np.where(gaps, float(known.mean()) if known.size else 0.0, normalised)
        components[name] = pd.DataFrame(normalised, index=table.index, columns=table.columns)
    resolved, cr = _resolve_weights(weights, names)
    return Scores(components, raw, resolved, dirs, cr, specs)


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


def _resolve_normalisation(normalise: Normalise, names: Sequence[str]
                           ) -> dict[str, Normalisation]:
    """One :class:`Normalisation` per criterion: given, or the default."""
    def one(value: Any, where: str) -> Normalisation:
        if isinstance(value, Normalisation):
            return value
        if value == "minmax_per_commodity":
            return Normalisation("minmax", within="commodity")
        if isinstance(value, str):
            return Normalisation(value)
        if isinstance(value, Mapping):
            unknown = set(value) - {"method", "within", "cap", "quantile"}
            if unknown:
                raise ConfigError(f"normalise {where}: unknown keys {sorted(unknown)}; expected "
                                  "method, within, cap, quantile.")
            return Normalisation(**value)
        raise ConfigError(f"normalise {where} = {value!r}; expected a method name "
                          f"({', '.join(NORMALISE_METHODS)}), a Normalisation or a mapping.")

    defaults = {n: DEFAULT_NORMALISATION.get(n, Normalisation()) for n in names}
    if normalise is None:
        return defaults
    if isinstance(normalise, str | Normalisation):
        spec = one(normalise, "")
        return dict.fromkeys(names, spec)
    if not isinstance(normalise, Mapping):
        raise ConfigError(f"normalise = {normalise!r}; expected a method name, a "
                          "Normalisation or a mapping criterion → normalisation.")
    extra = set(normalise) - set(names)
    if extra:
        raise ConfigError(f"normalise names criteria {sorted(extra)} that are not scored "
                          f"(criteria: {list(names)}).")
    return defaults | {n: one(v, f"of {n!r}") for n, v in normalise.items()}


def _row_groups(rows: Sequence[Hashable],
                groups: Mapping[Hashable, Hashable] | pd.Series | None) -> np.ndarray:
    """Return the kabupaten of each row, as integer codes."""
    if groups is None:
        from aez.assign.rollup import kabupaten_of

        labels = kabupaten_of(rows).tolist()
    else:
        mapping = groups.to_dict() if isinstance(groups, pd.Series) else dict(groups)
        lacking = [r for r in rows if r not in mapping]
        if lacking:
            raise ConfigError(f"groups gives no kabupaten for kecamatan {lacking[:5]}; give "
                              "every kecamatan of the table one.")
        labels = [mapping[r] for r in rows]
    return np.asarray(pd.factorize(pd.Series(labels, dtype=object))[0])


def _normalise(values: np.ndarray, spec: Normalisation, *,
               low_high: tuple[float, float] | None, direction: str,
               row_groups: np.ndarray | None, name: str) -> np.ndarray:
    """Scale a kecamatan × commodity array to [0, 1] by ``spec``, turned by direction; NaN → 0."""
    if low_high is not None:
        low, high = (float(v) for v in low_high)
        if not (math.isfinite(low) and math.isfinite(high) and high > low):
            raise ConfigError(f"bounds must be finite with low < high; got {low_high}.")
    if spec.method == "log" and np.nanmin(values, initial=0.0) < 0:
        raise ConfigError(f"Criterion {name!r} is normalised by 'log' (for ratios such as the "
                          f"location quotient) but has a negative value "
                          f"({float(np.nanmin(values)):g}); use another method.")
    out = np.zeros(values.shape, dtype=np.float64)
    if spec.within == "all":
        blocks: list[Any] = [np.ones(values.shape, dtype=bool)]
    elif spec.within == "commodity":
        blocks = []
        for j in range(values.shape[1]):
            block = np.zeros(values.shape, dtype=bool)
            block[:, j] = True
            blocks.append(block)
    else:
        assert row_groups is not None
        blocks = [np.broadcast_to((row_groups == g)[:, None], values.shape)
                  for g in np.unique(row_groups)]
    for block in blocks:
        out[block] = _scale(values[block], spec, low_high, direction)
    return out


def _scale(x: np.ndarray, spec: Normalisation, low_high: tuple[float, float] | None,
           direction: str) -> np.ndarray:
    """Scale one group of cells (1-D, NaN = no evidence) to [0, 1]; NaN → 0."""
    finite = ~np.isnan(x)
    out = np.zeros(x.shape, dtype=np.float64)
    if not finite.any():
        return out
    v = x[finite]
    if spec.method == "rank":
        if v.min() == v.max():
            return out
        ranks = pd.Series(v).rank(method="average").to_numpy()
        scaled = (ranks - 1.0) / (len(v) - 1.0)
    elif spec.method == "log":
        with np.errstate(divide="ignore"):
            y = np.log(v)
        if spec.cap is not None:
            half = math.log(spec.cap)
        else:
            spread = np.abs(y[np.isfinite(y)])
            half = (float(np.quantile(spread, spec.quantile)) if spec.quantile is not None
                    else float(spread.max(initial=0.0)))
            if not half > 0:
                return out
        with np.errstate(invalid="ignore"):
            scaled = np.clip(0.5 + y / (2.0 * half), 0.0, 1.0)
        scaled = np.where(np.isnan(scaled), 0.0, scaled)
    else:
        if low_high is not None:
            lo, hi = (float(b) for b in low_high)
        else:
            lo, hi = float(v.min()), float(v.max())
        if spec.method == "capped":
            hi = min(hi, spec.cap if spec.cap is not None
                     else float(np.quantile(v, float(spec.quantile or 1.0))))
        if not hi > lo:
            return out
        scaled = np.clip((np.clip(v, lo, hi) - lo) / (hi - lo), 0.0, 1.0)
    out[finite] = scaled if direction == "max" else 1.0 - scaled
    return out


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

