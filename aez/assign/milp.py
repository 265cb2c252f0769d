"""One product per kecamatan: the assignment as a mixed-integer linear programme.

Each kecamatan *i* receives exactly ``per_kecamatan`` products *p* so that the
total score Σ s_ip·x_ip (plus an optional bonus for neighbouring kecamatan that
share a product) is as large as possible under the planner's constraints:
product capacities, a minimum number of distinct products, products that must
be kept, forbidden products and a minimum biophysical class (the rules are an
:class:`~aez.assign.options.AssignOptions`). The programme is solved with HiGHS
through :func:`scipy.optimize.milp`; ``docs/assignment.md`` writes the model out
as equations, and :mod:`aez.assign._milp_model` holds the model itself.

**Exactness and ties.** Scores are compared at :data:`SCORE_DIGITS` significant
digits of the largest absolute score, so HiGHS's optimality proof is exact for
the rounded scores, and the assignment is within n·k·10^-6 × the largest score of
the unrounded optimum (fewer digits only for more than 1000 kecamatan). Among
assignments with the same total, a kecamatan with two equally good products gets
the one listed first in ``scores.columns``, and when two kecamatan could swap two
products, the one listed first gets the product listed first. The same input
always gives the same assignment.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from aez.assign._milp_model import (
    CLASS_ORDER,
    LABEL,
    SCORE_DIGITS,
    Problem,
    diagnose,
    prepare,
    solve,
)
from aez.assign.options import AssignOptions
from aez.errors import ConfigError

__all__ = ["CLASS_ORDER", "SCORE_DIGITS", "AssignOptions", "Assignment",
           "adjacency_from_polygons", "assign_products"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class Assignment:
    """The optimal assignment and why each kecamatan got its product.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per kecamatan (index = kecamatan id): ``product`` (its
        best-scoring assigned product), ``products`` (all assigned, best first),
        ``score`` and ``total_score`` (score units), ``component_<criterion>``
        (normalised value of each criterion for ``product``, when components were
        given), ``alternative_1..3`` and ``alternative_1..3_score`` (the best
        allowed products it did not get), ``best_allowed`` (its k best-scoring
        allowed products: scored, not forbidden, eligible), ``shared_neighbours`` (neighbours
        sharing a product, with adjacency) and ``binding`` (a tuple of phrases,
        one per constraint group whose removal alone would change this
        kecamatan's products).
    objective : float
        Σ assigned scores + contiguity bonus × shared (pair, product) count.
    status : str
        ``"optimal"`` when HiGHS proved optimality (for the rounded scores),
        ``"time_limit"`` or ``"node_limit"`` when that limit stopped it first, ``"not_proven"``
        when it stopped with its bound above the solution (not seen in practice).
    gap : float
        Score units by which the optimum may exceed ``objective`` (0 when optimal).
    shared_pairs : int
        Neighbouring (pair, product) combinations that share a product.
    counterfactual : Mapping[str, pandas.Series]
        Per constraint group (and ``"contiguity"``), the products each
        kecamatan would get with that group alone removed.
    weights : Mapping[str, float] or None
        Criterion weights, for explanations.
    """

    table: pd.DataFrame
    objective: float
    status: str
    gap: float
    shared_pairs: int
    counterfactual: Mapping[str, pd.Series] = field(default_factory=dict)
    weights: Mapping[str, float] | None = None

    @property
    def chosen(self) -> pd.Series:
        """Kecamatan id → assigned product (the best-scoring one when k > 1)."""
        return self.table["product"]

    def explain(self, kecamatan: Hashable) -> str:
        """Explain in a few lines why ``kecamatan`` got its product(s)."""
        if kecamatan not in self.table.index:
            raise ConfigError(f"Unknown kecamatan {kecamatan!r}; expected one of the "
                              f"{len(self.table)} ids in the assignment table.")
        row = self.table.loc[kecamatan]
        names = " + ".join(map(str, row["products"]))
        lines = [f"Kecamatan {kecamatan} gets {names} (score {row['total_score']:.4g})."]
        parts = []
        for column in (c for c in self.table.columns if c.startswith("component_")):
            criterion = column.removeprefix("component_")
            weight = None if self.weights is None else self.weights.get(criterion)
            if weight is None:
                parts.append(f"{criterion} {row[column]:.3g}")
            else:
                parts.append(f"{criterion} {row[column]:.3g} × {weight:.3g} = "
                             f"{row[column] * weight:.3g}")
        if parts:
            lines.append(f"  Score of {row['product']}: " + "; ".join(parts) + ".")
        alternatives = [f"{row[f'alternative_{r}']} {row[f'alternative_{r}_score']:.4g}"
                        for r in (1, 2, 3) if row[f"alternative_{r}"] is not None]
        lines.append("  Alternatives: " + (", ".join(alternatives) or "none allowed") + ".")
        best = row["best_allowed"]
        if row["binding"]:
            lines.append("  Constraints that changed the choice: " + "; ".join(row["binding"])
                         + ".")
        elif set(best) == set(row["products"]):
            lines.append("  No constraint changed the choice: these are its best allowed "
                         "products.")
        else:
            lines.append("  No single constraint group changed the choice, but together they "
                         f"moved it from its best allowed {' + '.join(map(str, best))}.")
        if self.status != "optimal":
            lines.append(f"  The solver stopped early ({self.status}): the total may be up to "
                         f"{self.gap:.3g} below the optimum.")
        if "shared_neighbours" in self.table.columns:
            lines.append(f"  Neighbours sharing a product: {row['shared_neighbours']}.")
        return "\n".join(lines)


def assign_products(
    scores: pd.DataFrame,
    *,
    options: AssignOptions | None = None,
    eligible: pd.DataFrame | None = None,
    suitability_class: pd.DataFrame | None = None,
    adjacency: Iterable[tuple[Hashable, Hashable]] | None = None,
    components: Mapping[str, pd.DataFrame] | None = None,
    weights: Mapping[str, float] | None = None,
    binding: bool = True,
) -> Assignment:
    """Give each kecamatan its best products under portfolio constraints (MILP, HiGHS).

    Parameters
    ----------
    scores : pandas.DataFrame
        Index = kecamatan id, columns = product id, higher is better (score
        units). NaN means "no score": that product is never assigned there.
    options : AssignOptions, optional
        The planner's rules: products per kecamatan, capacities
        (``max_per_product``, ``max_share``), ``min_distinct``, ``must_keep``,
        ``forbidden``, ``min_class``, ``contiguity_bonus`` (score units) and
        ``time_limit`` (seconds per HiGHS run). None: one product per
        kecamatan, no constraints.
    eligible : boolean DataFrame, optional
        The **minimum biophysical class**: True where the product is eligible,
        e.g. built from the zonal table as "less than half the land is class N".
    suitability_class : DataFrame of ``"S1"``…``"N"``, optional
        Convenience for ``eligible``, with ``options.min_class``: a product is
        eligible where its class is ``min_class`` or better. A missing class
        counts as not eligible.
    adjacency : iterable of (kecamatan, kecamatan) pairs, optional
        Neighbouring kecamatan, e.g. from :func:`adjacency_from_polygons`;
        needed by ``options.contiguity_bonus``.
    components, weights : mappings criterion → DataFrame / weight, optional
        The normalised criteria and weights with ``scores = Σ weights·components``,
        shown in explanations (the identity is checked).
    binding : bool, default True
        Find the constraints that changed each kecamatan's products (the
        ``binding`` column and ``counterfactual``), at the cost of one more
        solve per constraint group; False leaves them empty (e.g. when only
        the products are needed).

    Returns
    -------
    Assignment

    Raises
    ------
    ConfigError
        Malformed input (unknown ids, bad values).
    InfeasibleError
        No assignment satisfies the constraints; the message names a smallest set
        of conflicting constraint groups, the values seen and a remedy.

    Notes
    -----
    A solve has up to two HiGHS runs (optimum, then tie rule), and the binding
    analysis solves once more per constraint group, each within
    ``options.time_limit``. Only a large ``contiguity_bonus`` makes runs slow;
    when the limit stops the main solve, ``status`` says so and ``gap`` bounds
    the loss.

    Examples
    --------
    >>> scores = pd.DataFrame({"jagung": [0.9, 0.8, 0.2], "padi": [0.5, 0.7, 0.6]},
    ...                       index=["A", "B", "C"])
    >>> assign_products(scores).chosen.tolist()
    ['jagung', 'jagung', 'padi']
    >>> result = assign_products(scores, options=AssignOptions(max_per_product={"jagung": 1}))
    >>> result.chosen.tolist(), round(result.objective, 6)
    (['jagung', 'padi', 'padi'], 2.2)
    """
    options = _checked(options)
    problem = prepare(scores, options, eligible=eligible, suitability_class=suitability_class,
                      adjacency=adjacency)
    comp = _check_components(problem, components, weights)
    time_limit = options.time_limit
    if time_limit is not None and (isinstance(time_limit, bool)
                                   or not isinstance(time_limit, int | float)
                                   or not time_limit > 0):
        raise ConfigError(f"time_limit must be a positive number of seconds; got {time_limit!r}.")
    node_limit = options.node_limit
    if node_limit is not None and (isinstance(node_limit, bool)
                                   or not isinstance(node_limit, int) or node_limit < 1):
        raise ConfigError(f"node_limit must be a positive whole number of nodes; got "
                          f"{node_limit!r}.")
    limits: dict[str, Any] = {"time_limit": time_limit, "node_limit": node_limit}
    best = solve(problem, problem.scores, problem.groups, problem.bonus, **limits)
    if best is None:
        raise diagnose(problem)
    # Binding analysis: re-solve with one group dropped (only relaxes, so always feasible).
    counterfactual: dict[str, NDArray[np.bool_]] = {}
    for group in problem.groups if binding else ():
        rest = tuple(g for g in problem.groups if g != group)
        alt = solve(problem, problem.scores, rest, problem.bonus, **limits)
        if alt is not None:
            counterfactual[group] = alt.x
    if binding and problem.bonus > 0 and len(problem.pairs):
        alt = solve(problem, problem.scores, problem.groups, 0.0, **limits)
        if alt is not None:
            counterfactual["contiguity"] = alt.x
    return _build(problem, best.x, best.status, best.gap, counterfactual, comp, weights)


def _checked(options: AssignOptions | None) -> AssignOptions:
    """``options``, or the defaults for None; anything else is a :class:`ConfigError`."""
    if options is None:
        return AssignOptions()
    if not isinstance(options, AssignOptions):
        raise ConfigError(f"options must be an AssignOptions (or None for the defaults); got "
                          f"{type(options).__name__}. Build one with AssignOptions(...).")
    return options


def _check_components(problem: Problem,
                      components: Mapping[str, pd.DataFrame] | None,
                      weights: Mapping[str, float] | None) -> dict[str, NDArray[np.float64]]:
    if components is None:
        if weights is not None:
            raise ConfigError("weights were given without components; pass both or neither.")
        return {}
    out = {}
    for name, frame in components.items():
        if not isinstance(frame, pd.DataFrame) or [*problem.kecamatan.difference(frame.index),
                                                    *problem.products.difference(frame.columns)]:
            raise ConfigError(f"Component {name!r} must be a DataFrame with the same kecamatan "
                              "index and product columns as the scores.")
        out[name] = frame.reindex(index=problem.kecamatan,
                                  columns=problem.products).to_numpy(dtype=np.float64)
    if weights is not None:
        if set(weights) != set(out):
            raise ConfigError(f"weights name {sorted(weights)} but components name "
                              f"{sorted(out)}; they must match.")
        total = sum(float(weights[c]) * out[c] for c in out)
        both = np.isfinite(total) & np.isfinite(problem.scores)
        scale = max(float(np.abs(problem.scores[both]).max(initial=0.0)), 1.0)
        if not np.allclose(total[both], problem.scores[both], rtol=0, atol=1e-9 * scale):
            i, p = np.argwhere(both & ~np.isclose(total, problem.scores, rtol=0,
                                                  atol=1e-9 * scale))[0]
            raise ConfigError(
                f"scores ≠ Σ weights·components at ({problem.kecamatan[i]!r}, "
                f"{problem.products[p]!r}): {problem.scores[i, p]:.6g} vs {total[i, p]:.6g}. "
                "Pass the components and weights the scores were built from.")
    return out


# --------------------------------------------------------------------------- the table


def _ordered(problem: Problem, row: int, chosen: NDArray[np.bool_]) -> list[int]:
    """Positions of the chosen products of one kecamatan, best score first (ties: column)."""
    columns = np.flatnonzero(chosen)
    return [int(c) for c in columns[np.argsort(-problem.scores[row, columns], kind="stable")]]


def _build(problem: Problem, x: NDArray[np.bool_], status: str, gap: float,
           counterfactual: dict[str, NDArray[np.bool_]],
           components: dict[str, NDArray[np.float64]],
           weights: Mapping[str, float] | None) -> Assignment:
    n = problem.scores.shape[0]
    s = problem.scores
    allowed = ~np.isnan(s)
    for cells in (problem.forbidden, problem.ineligible):
        if cells is not None:
            allowed &= ~cells
    counts = x.sum(axis=0)
    names = problem.products
    a, b = problem.pairs[:, 0], problem.pairs[:, 1]
    shared: NDArray[np.bool_] = np.any(x[a] & x[b], axis=1)
    records = []
    for i in range(n):
        mine = _ordered(problem, i, x[i])
        top = mine[0]
        record: dict[str, Any] = {
            "product": names[top], "products": tuple(names[mine]), "score": s[i, top],
            "total_score": float(s[i, mine].sum())}
        for criterion, values in components.items():
            record[f"component_{criterion}"] = values[i, top]
        ranked = np.flatnonzero(allowed[i])
        ranked = ranked[np.argsort(-s[i, ranked], kind="stable")]
        record["best_allowed"] = tuple(names[ranked[: problem.k]])
        rest = ranked[~x[i, ranked]]
        for r in range(3):
            record[f"alternative_{r + 1}"] = names[rest[r]] if r < len(rest) else None
            record[f"alternative_{r + 1}_score"] = s[i, rest[r]] if r < len(rest) else np.nan
        if len(problem.pairs):
            record["shared_neighbours"] = int(shared[a == i].sum() + shared[b == i].sum())
        record["binding"] = tuple(
            _phrase(problem, group, alt[i], x, counts, i)
            for group, alt in counterfactual.items() if (alt[i] != x[i]).any())
        records.append(record)
    index = problem.kecamatan.rename(problem.kecamatan.name or "kecamatan")  # a new Index
    table = pd.DataFrame.from_records(records, index=index)
    shared_pairs = int((x[a] & x[b]).sum())
    objective = float(s[x].sum()) + problem.bonus * shared_pairs
    frames = {g: pd.Series([tuple(names[_ordered(problem, i, alt[i])]) for i in range(n)],
                           index=table.index, name=g) for g, alt in counterfactual.items()}
    return Assignment(table, objective, status, gap,
                      shared_pairs, frames,
                      None if weights is None else dict(weights))


def _phrase(problem: Problem, group: str, alt: NDArray[np.bool_], x: NDArray[np.bool_],
            counts: NDArray[np.int64], i: int) -> str:
    """Phrase a planner-readable reason: what kecamatan ``i`` would get without ``group``."""
    instead = " + ".join(map(str, problem.products[_ordered(problem, i, alt)]))
    if group in ("max_per_product", "max_share"):
        cap = problem.product_caps if group == "max_per_product" else problem.share_cap
        caps = np.broadcast_to(np.asarray(cap, dtype=np.float64), counts.shape)
        full = [f"{problem.products[p]} ({counts[p]}/{int(caps[p])})"
                for p in np.flatnonzero(alt & ~x[i]) if counts[p] >= caps[p]]
        if full:
            return f"{group}: {', '.join(full)} full; without it {instead}"
    if group == "must_keep" and problem.keep is not None and problem.keep[i].any():
        return f"must_keep fixes {', '.join(map(str, problem.products[problem.keep[i]]))}; " \
               f"without it {instead}"
    return f"{LABEL[group]}: without it {instead}"


# --------------------------------------------------------------------------- geometry


def adjacency_from_polygons(frame: Any, id_column: str, *,
                            tolerance: float | None = None) -> list[tuple[Hashable, Hashable]]:
    """Pairs of kecamatan whose polygons touch (queen contiguity, within a tolerance).

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        One polygon per kecamatan. Invalid geometries are repaired with
        :func:`shapely.make_valid` (the frame is not changed).
    id_column : str
        Column with unique kecamatan ids (as used in the scores index).
    tolerance : float, optional
        Polygons closer than this (CRS units) are neighbours, which absorbs
        slivers and digitising gaps. Default: 10^-9 of the larger side of the
        frame's bounds, i.e. only floating-point noise.

    Returns
    -------
    list of (id, id)
        Each neighbouring pair once, in frame order.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> frame = gpd.GeoDataFrame({"kec": ["A", "B", "C"]},
    ...                          geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(3, 0, 4, 1)])
    >>> adjacency_from_polygons(frame, "kec")
    [('A', 'B')]
    """
    import shapely

    if id_column not in getattr(frame, "columns", ()):
        raise ConfigError(f"The frame has no column {id_column!r}; columns: "
                          f"{list(getattr(frame, 'columns', []))}.")
    ids = frame[id_column]
    if ids.duplicated().any():
        repeated = sorted(map(str, ids[ids.duplicated()]))
        raise ConfigError(f"Column {id_column!r} repeats ids {repeated}; dissolve the "
                          "polygons per kecamatan first.")
    geoms = np.asarray(frame.geometry.array, dtype=object)
    if shapely.is_missing(geoms).any():
        raise ConfigError("Some kecamatan have no geometry; drop or fix them first.")
    geoms = np.where(shapely.is_valid(geoms), geoms, shapely.make_valid(geoms))
    if tolerance is None:
        xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
        tolerance = 1e-9 * max(xmax - xmin, ymax - ymin)
    if not math.isfinite(tolerance) or tolerance < 0:
        raise ConfigError(f"tolerance must be ≥ 0 (CRS units); got {tolerance!r}.")
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=tolerance)
    keep = left < right
    order = np.lexsort((right[keep], left[keep]))
    values = ids.to_numpy()
    return [(values[a], values[b]) for a, b in zip(left[keep][order], right[keep][order],
                                                   strict=True)]
