"""The assignment MILP behind :func:`aez.assign.milp.assign_products`: validation, model, solve.

A validated :class:`Problem` holds the scores and constraints on positions (rows
= kecamatan, columns = products). :func:`solve` builds the HiGHS model for a
chosen subset of constraint groups, so that infeasibility diagnosis (a deletion
filter over the groups) and the binding analysis (re-solving with one group
dropped) reuse it, and so does the robustness Monte Carlo with new scores.

**Exactness and ties.** The objective is scaled to integers q: scores keep
:data:`SCORE_DIGITS` significant digits of the largest absolute score (fewer
only when (n + neighbour pairs)·k passes 1000, so that the objective stays below
10^9, where HiGHS's floating-point tolerances are far below one unit). Stage 1
maximises Σ q·x (+ bonus·y); HiGHS's optimum counts as proven when its dual bound
is less than one unit above the solution, which is then exactly optimal for the
rounded scores. Stage 2 keeps that total (Σ q·x + b·Σ y ≥ V*) and maximises the
tie-break Σ t_ip·x_ip with t_ip = (m − 1 − col p)·(n − row i): a kecamatan with
two equally good products gets the one listed first, and when two kecamatan
could swap two products, the one listed first gets the product listed first.
The stage-2 solution is used only when its total, recomputed exactly in integers,
equals V*; otherwise (a solver tolerance, or ``time_limit``) stage 1's stands.
Stage 2 is skipped when stage 1 gave every kecamatan its best allowed products by
a strict margin (no contiguity bonus): that is the unique optimum.
"""

from __future__ import annotations

import functools
import itertools
import logging
import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import sparse

from aez.assign._direct import active_caps, broken, separable_optimum, transport_optimum
from aez.assign.options import AssignOptions, Cells
from aez.errors import AEZError, ConfigError, InfeasibleError

if TYPE_CHECKING:
    from scipy.optimize import Bounds

log = logging.getLogger(__name__)

#: Significant digits at which scores are compared (see the module docstring).
SCORE_DIGITS = 6
#: Land suitability classes from best to worst (FAO 1976; Djaenudin et al. 2011).
CLASS_ORDER = ("S1", "S2", "S3", "N")
#: Constraint groups that infeasibility diagnosis and the binding analysis relax, in order.
GROUPS = ("max_per_product", "max_share", "min_distinct", "must_keep", "forbidden", "eligible")
#: The largest integer objective magnitude (HiGHS resolves about 1e-11 of it).
_MAX_OBJECTIVE = 1e9
#: Planner-facing names of the constraint groups.
LABEL = {"max_per_product": "max_per_product", "max_share": "max_share",
         "min_distinct": "min_distinct", "must_keep": "must_keep", "forbidden": "forbidden",
         "eligible": "minimum biophysical class (eligible)", "contiguity": "contiguity bonus"}
#: What to change when a group takes part in a conflict.
REMEDY = {"max_per_product": "raise or remove [assign] max_per_product",
          "max_share": "raise [assign] max_share", "min_distinct": "lower [assign] min_distinct",
          "must_keep": "drop or change [assign] must_keep entries",
          "forbidden": "forbid fewer kecamatan–product pairs in [assign] forbidden",
          "eligible": "lower [assign] min_suitable_share"}


@dataclass(frozen=True, eq=False)
class Problem:
    """A validated assignment problem on positions (rows = kecamatan, columns = products).

    ``scores`` is (n, m) with NaN for "no score" (never assigned); ``k`` products
    per kecamatan; ``product_caps`` (m,) with inf for no cap; ``share_cap`` the
    kecamatan allowed per product by max_share; ``keep``, ``forbidden`` and
    ``ineligible`` boolean (n, m) cells; ``pairs`` (E, 2) row positions of
    neighbours with i < j; ``bonus`` the contiguity bonus (score units). A
    constraint that was not given is None.
    """

    kecamatan: pd.Index
    products: pd.Index
    scores: NDArray[np.float64]
    k: int
    product_caps: NDArray[np.float64] | None
    share_cap: int | None
    min_distinct: int | None
    keep: NDArray[np.bool_] | None
    forbidden: NDArray[np.bool_] | None
    ineligible: NDArray[np.bool_] | None
    pairs: NDArray[np.intp]
    bonus: float

    @property
    def groups(self) -> tuple[str, ...]:
        """The constraint groups given, in :data:`GROUPS` order."""
        given = {"max_per_product": self.product_caps, "max_share": self.share_cap,
                 "min_distinct": self.min_distinct, "must_keep": self.keep,
                 "forbidden": self.forbidden, "eligible": self.ineligible}
        return tuple(g for g in GROUPS if given[g] is not None)


# --------------------------------------------------------------------------- validation


def prepare(scores: pd.DataFrame, options: AssignOptions, *,
            eligible: pd.DataFrame | None = None, suitability_class: pd.DataFrame | None = None,
            adjacency: Iterable[tuple[Hashable, Hashable]] | None = None) -> Problem:
    """Validate the options and data, run the pre-checks and return the positional problem."""
    if not isinstance(scores, pd.DataFrame) or scores.empty:
        raise ConfigError("scores must be a non-empty DataFrame (index = kecamatan id, columns "
                          f"= product id); got {type(scores).__name__}.")
    kec, prod = scores.index, scores.columns
    for axis, labels in (("kecamatan ids (index)", kec), ("product ids (columns)", prod)):
        if labels.has_duplicates:
            repeated = sorted(map(str, labels[labels.duplicated()]))
            raise ConfigError(f"The scores repeat {axis}: {repeated}. Aggregate the "
                              "duplicates first.")
    try:
        values = scores.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"scores must be numbers; {exc}. Convert the columns to float.") from exc
    if np.isinf(values).any():
        raise ConfigError("scores contain ±inf. Use finite scores, and NaN for 'no score'.")
    n, m = values.shape
    k = _int(options.per_kecamatan, "per_kecamatan", 1)
    if k > m:
        raise ConfigError(f"per_kecamatan = {k} but there are only {m} products. Lower it.")
    caps, max_per_product = None, options.max_per_product
    if max_per_product is not None:
        caps = np.full(m, np.inf)
        if isinstance(max_per_product, Mapping):
            for product, cap in max_per_product.items():
                caps[_position(prod, product, "max_per_product", "product")] = _int(
                    cap, f"max_per_product[{product!r}]", 0)
        else:
            caps[:] = _int(max_per_product, "max_per_product", 0)
    share_cap, max_share = None, options.max_share
    if max_share is not None:
        if isinstance(max_share, bool) or not isinstance(max_share, int | float) \
                or not 0 < max_share <= 1:
            raise ConfigError(f"max_share must be a fraction in (0, 1]; got {max_share!r}.")
        share_cap = math.floor(max_share * n + 1e-9)
    min_distinct, must_keep, forbidden = options.min_distinct, options.must_keep, options.forbidden
    distinct = None if min_distinct is None else _int(min_distinct, "min_distinct", 1)
    if distinct is not None and distinct > m:
        raise ConfigError(f"min_distinct = {distinct} but there are only {m} products. Lower it.")
    keep = None if must_keep is None else _cells(must_keep, kec, prod, "must_keep")
    forbid = None if forbidden is None else _cells(forbidden, kec, prod, "forbidden")
    ok = None if eligible is None else _frame(eligible, kec, prod, "eligible")
    if suitability_class is not None or options.min_class is not None:
        from_class = _eligible_from_class(suitability_class, options.min_class, kec, prod)
        ok = from_class if ok is None else ok & from_class
    bonus = options.contiguity_bonus
    if isinstance(bonus, bool) or not isinstance(bonus, int | float) or not math.isfinite(bonus) \
            or bonus < 0:
        raise ConfigError(f"contiguity_bonus must be ≥ 0 (score units); got {bonus!r}.")
    if bonus > 0 and adjacency is None:
        raise ConfigError("contiguity_bonus > 0 needs adjacency (pairs of neighbouring "
                          "kecamatan); pass adjacency=adjacency_from_polygons(frame, id_column).")
    pairs = _pairs(adjacency, kec)
    problem = Problem(kec, prod, values, k, caps, share_cap, distinct, keep, forbid,
                      None if ok is None else ~ok, pairs, bonus)
    _precheck(problem)
    return problem


def _int(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ConfigError(f"{name} must be an integer ≥ {minimum}; got {value!r}.")
    return int(value)


def _position(labels: pd.Index, label: Hashable, option: str, kind: str) -> int:
    if label not in labels:
        shown = ", ".join(map(str, labels[:8])) + (", …" if len(labels) > 8 else "")
        raise ConfigError(f"{option} names {kind} {label!r}, which is not in the scores "
                          f"({kind} ids: {shown}). Fix the id.")
    return int(labels.get_loc(label))


def _cells(spec: Cells, kec: pd.Index, prod: pd.Index, option: str) -> NDArray[np.bool_]:
    """Boolean (n, m) cells from a mapping kecamatan → product(s) or a boolean frame."""
    if isinstance(spec, pd.DataFrame):
        return _frame(spec, kec, prod, option)
    if not isinstance(spec, Mapping):
        raise ConfigError(f"{option} must be a mapping kecamatan → product(s) or a boolean "
                          f"DataFrame; got {type(spec).__name__}.")
    out = np.zeros((len(kec), len(prod)), dtype=bool)
    for kecamatan, products in spec.items():
        i = _position(kec, kecamatan, option, "kecamatan")
        many = not isinstance(products, str) and isinstance(products, Iterable)
        for product in products if many else [products]:
            out[i, _position(prod, product, option, "product")] = True
    return out


def _frame(frame: pd.DataFrame, kec: pd.Index, prod: pd.Index, option: str) -> NDArray[np.bool_]:
    if not isinstance(frame, pd.DataFrame):
        raise ConfigError(f"{option} must be a boolean DataFrame; got {type(frame).__name__}.")
    missing = [*kec.difference(frame.index), *prod.difference(frame.columns)]
    if missing:
        raise ConfigError(f"{option} lacks ids that the scores have: {missing[:8]}. Give it the "
                          "same kecamatan index and product columns as the scores.")
    aligned = frame.reindex(index=kec, columns=prod)
    if not all(pd.api.types.is_bool_dtype(t) for t in aligned.dtypes):
        raise ConfigError(f"{option} must hold only True/False (no NaN); got dtypes "
                          f"{sorted(set(map(str, aligned.dtypes)))}.")
    return aligned.to_numpy(dtype=bool)


def _eligible_from_class(classes: pd.DataFrame | None, min_class: str | None, kec: pd.Index,
                         prod: pd.Index) -> NDArray[np.bool_]:
    if classes is None or min_class not in CLASS_ORDER:
        raise ConfigError("suitability_class and min_class go together: a DataFrame of "
                          f"{'/'.join(CLASS_ORDER)} labels and one of those labels; got "
                          f"min_class={min_class!r}.")
    if [*kec.difference(classes.index), *prod.difference(classes.columns)]:
        raise ConfigError("suitability_class must have the same kecamatan index and product "
                          "columns as the scores.")
    labels = classes.reindex(index=kec, columns=prod)
    rank = labels.apply(lambda column: column.map({c: r for r, c in enumerate(CLASS_ORDER)}))
    unknown = labels.notna().to_numpy() & rank.isna().to_numpy()
    if unknown.any():
        raise ConfigError(f"suitability_class holds labels outside {CLASS_ORDER}: "
                          f"{sorted(set(map(str, labels.to_numpy()[unknown])))}.")
    return rank.to_numpy(dtype=np.float64, na_value=np.inf) <= CLASS_ORDER.index(min_class)


def _pairs(adjacency: Iterable[tuple[Hashable, Hashable]] | None,
           kec: pd.Index) -> NDArray[np.intp]:
    found: set[tuple[int, int]] = set()
    for pair in adjacency or ():
        if isinstance(pair, str) or len(pair) != 2:
            raise ConfigError(f"adjacency must hold (kecamatan, kecamatan) pairs; got {pair!r}.")
        i, j = (_position(kec, a, "adjacency", "kecamatan") for a in pair)
        if i != j:
            found.add((min(i, j), max(i, j)))
    return np.array(sorted(found), dtype=np.intp).reshape(-1, 2)




# --------------------------------------------------------------------------- pre-checks


def _precheck(problem: Problem) -> None:
    """Conflicts that show on one kecamatan or one product, with specific messages."""
    k = problem.k
    n, m = problem.scores.shape
    room = {"max_per_product": None if problem.product_caps is None
            else np.minimum(problem.product_caps, n).sum(),
            "max_share": None if problem.share_cap is None else min(problem.share_cap, n) * m}
    for group, places in room.items():
        if places is not None and places < n * k:
            raise InfeasibleError(
                f"{group} alone leaves no feasible assignment: "
                f"{_describe(problem, group, n * k, [group])}. Remedy: {REMEDY[group]}.")
    scored = ~np.isnan(problem.scores)
    off = {"forbidden": problem.forbidden, "eligible": problem.ineligible}
    state = {"no score": "has no score (NaN)", "forbidden": "is forbidden",
             "eligible": "is below the minimum biophysical class"}
    for i, name in enumerate(problem.kecamatan):
        if scored[i].sum() < k:
            raise InfeasibleError(
                f"Kecamatan {name!r} has {int(scored[i].sum())} scored products but needs "
                f"per_kecamatan = {k}. Give it scores (NaN means no score) or lower "
                "per_kecamatan.")
        allowed = scored[i].copy()
        removed = {}
        for group, cells in off.items():
            if cells is not None and (scored[i] & cells[i]).any():
                removed[group] = _names(problem.products[scored[i] & cells[i]])
                allowed &= ~cells[i]
        if allowed.sum() < k:
            seen = "; ".join(f"{LABEL[g]} removes {v}" for g, v in removed.items())
            raise InfeasibleError(
                f"Kecamatan {name!r} has {int(allowed.sum())} allowed products but needs "
                f"per_kecamatan = {k}: {seen}. Remedy: "
                + " or ".join(REMEDY[g] for g in removed) + ".")
        if problem.keep is None:
            continue
        if problem.keep[i].sum() > k:
            raise InfeasibleError(
                f"must_keep gives kecamatan {name!r} {int(problem.keep[i].sum())} products "
                f"{_names(problem.products[problem.keep[i]])} but per_kecamatan = {k}. Keep at "
                f"most {k} or raise per_kecamatan.")
        for group, cells in (("no score", ~scored), *off.items()):
            if cells is not None and (problem.keep[i] & cells[i]).any():
                clash = _names(problem.products[problem.keep[i] & cells[i]])
                raise InfeasibleError(
                    f"must_keep conflicts with {LABEL.get(group, group)} in kecamatan "
                    f"{name!r}: {clash} {state[group]} there. Remedy: {REMEDY['must_keep']}, "
                    "or " + ("give it a score." if group == "no score" else REMEDY[group] + "."))
    if problem.keep is None:
        return
    kept = problem.keep.sum(axis=0)
    for group, cap in (("max_per_product", problem.product_caps),
                       ("max_share", problem.share_cap)):
        if cap is None:
            continue
        caps = np.broadcast_to(np.asarray(cap, dtype=np.float64), kept.shape)
        for p in np.flatnonzero(kept > caps):
            raise InfeasibleError(
                f"must_keep conflicts with {group}: it puts {problem.products[p]!r} in "
                f"{int(kept[p])} kecamatan but {group} allows {int(caps[p])}. Remedy: "
                f"{REMEDY['must_keep']}, or {REMEDY[group]}.")


def _names(labels: Iterable[Any], limit: int = 8) -> str:
    """Format a short list of ids for messages."""
    items = [str(v) for v in labels]
    return "[" + ", ".join(items[:limit]) + (f", … ({len(items)} in all)" if len(items) > limit
                                             else "") + "]"


# --------------------------------------------------------------------------- the model


class Solution(NamedTuple):
    """A solved assignment: ``x`` (n, m) booleans, ``status`` and ``gap`` (score units).

    ``status`` is ``"optimal"`` (proven for the rounded scores), ``"time_limit"``
    or ``"not_proven"`` (HiGHS stopped with its bound a unit or more above);
    ``gap`` is how far the optimum may lie above this assignment.
    """

    x: NDArray[np.bool_]
    status: str
    gap: float


def objective(problem: Problem, scores: NDArray[np.float64], bonus: float,
              with_pairs: bool) -> tuple[NDArray[np.int64], int, float]:
    """Integer scores q per cell, the integer bonus, and the score units of one integer unit."""
    n, _ = scores.shape
    finite = scores[~np.isnan(scores)]
    scale = max(float(np.abs(finite).max(initial=0.0)), bonus)
    if scale == 0:
        return np.zeros(scores.shape, dtype=np.int64), 0, 1.0
    terms = (n + (len(problem.pairs) if with_pairs else 0)) * problem.k
    digits = min(SCORE_DIGITS, math.floor(math.log10(_MAX_OBJECTIVE / terms)))
    if digits < 3:
        raise ConfigError(f"The problem is too large to score at three significant digits "
                          f"({n} kecamatan, {len(problem.pairs)} neighbour pairs). Split it, "
                          "e.g. per kabupaten.")
    exponent = digits - math.ceil(math.log10(scale))
    factor = 10.0**exponent
    q = np.rint(np.nan_to_num(scores) * factor).astype(np.int64)
    return q, round(bonus * factor), 1.0 / factor


def feasible(problem: Problem, groups: tuple[str, ...]) -> bool:
    """Whether any assignment satisfies the core and ``groups``."""
    from scipy.optimize import LinearConstraint, milp  # loaded when a model is first solved

    matrix, lo, hi, bounds, integrality = _model(problem, groups, False)
    result = milp(np.zeros(matrix.shape[1]), integrality=integrality, bounds=bounds,
                  constraints=LinearConstraint(matrix, lo, hi))
    if result.status not in (0, 2):
        raise AEZError(f"HiGHS could not decide feasibility: {result.message} "
                       "Report this problem.")
    return bool(result.status == 0)


def solve(problem: Problem, scores: NDArray[np.float64], groups: tuple[str, ...],
          bonus: float, *, time_limit: float | None = None, node_limit: int | None = None,
          tie_break: bool = True) -> Solution | None:
    """Return the tie-broken optimal assignment under ``groups``, or None when infeasible.

    ``time_limit`` (s) and ``node_limit`` (branch-and-bound nodes, a deterministic
    work limit) apply to each of the two stages. ``tie_break=False`` keeps HiGHS's
    first optimum (deterministic, but not the documented tie rule). Raises
    AEZError when HiGHS fails, or finds no assignment within the limits.
    """
    from scipy.optimize import LinearConstraint, milp

    n, m = scores.shape
    with_pairs = bonus > 0 and len(problem.pairs) > 0
    q, b, unit = objective(problem, scores, bonus, with_pairs)
    matrix, lo, hi, bounds, integrality = _model(problem, groups, with_pairs)
    width = matrix.shape[1]
    c = np.zeros(width)
    c[: n * m] = q.ravel()
    if with_pairs:
        c[width - len(problem.pairs) * m:] = b
    options: dict[str, Any] = {"mip_rel_gap": 0.0}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    if node_limit is not None:
        options["node_limit"] = int(node_limit)

    def value(x: NDArray[np.bool_]) -> int:
        total = int(q[x].sum())
        if with_pairs:
            total += b * int((x[problem.pairs[:, 0]] & x[problem.pairs[:, 1]]).sum())
        return total

    if not with_pairs:
        direct = separable_optimum(problem, q, groups, bounds)
        if direct is None and tie_break:
            direct = transport_optimum(problem, q, groups, bounds)
        if direct is not None:
            return Solution(direct, "optimal", 0.0)
    first = milp(-c, integrality=integrality, bounds=bounds,
                 constraints=LinearConstraint(matrix, lo, hi), options=options)
    if first.status == 2:
        return None
    if first.status == 1 and first.x is None:
        raise AEZError(f"HiGHS found no assignment within [assign] time_limit = {time_limit} "
                       f"s / node_limit = {node_limit}. Raise them, or lower [assign] "
                       "contiguity_bonus (it makes the problem harder).")
    x = _extract(first, problem, groups, n, m)
    best = value(x)
    bound = -first.mip_dual_bound if first.mip_dual_bound is not None else math.inf
    if bound - best < 1:
        status, gap = "optimal", 0.0
    else:
        status = ("not_proven" if first.status != 1 else
                  "time_limit" if time_limit is not None and node_limit is None else "node_limit")
        gap = float(bound - best) * unit
        log.warning("HiGHS stopped (%s) with the assignment up to %.3g score units short of "
                    "the optimum", status, gap)
    if not tie_break or status != "optimal" or (not with_pairs
                                                and _best_in_every_row(q, x, bounds)):
        return Solution(x, status, gap)  # the unique optimum, or no proven one to keep
    # Stage 2: among assignments worth ``best``, the tie rule's choice.
    tie = (m - 1 - np.arange(m))[None, :] * (n - np.arange(n))[:, None]
    c2 = np.zeros(width)
    c2[: n * m] = tie.ravel()
    keep = LinearConstraint(sparse.vstack([matrix, sparse.csr_array(c[None, :])], format="csr"),
                            np.r_[lo, best - 0.5], np.r_[hi, np.inf])
    second = milp(-c2, integrality=integrality, bounds=bounds, constraints=keep,
                  options=options)
    if second.status in (0, 1) and second.x is not None:
        x2 = _extract(second, problem, groups, n, m)
        if value(x2) >= best:
            return Solution(x2, status, gap)
    log.debug("tie-break stage kept stage 1 (HiGHS status %s)", second.status)
    return Solution(x, status, gap)


def _best_in_every_row(q: NDArray[np.int64], x: NDArray[np.bool_], bounds: Bounds) -> bool:
    """Whether ``x`` is the unique optimum of the problem with only the per-row constraints.

    That relaxation splits by kecamatan: each row takes its fixed (must_keep)
    cells and then its best allowed cells. When ``x`` is that choice with a
    strict margin in every row, no other assignment reaches its total, so the
    tie-break has nothing to do.
    """
    n, m = q.shape
    lower = np.asarray(bounds.lb)[: n * m].reshape(n, m) > 0.5
    upper = np.asarray(bounds.ub)[: n * m].reshape(n, m) > 0.5
    free = x & ~lower
    others = upper & ~x
    low = np.where(free, q, np.iinfo(np.int64).max).min(axis=1)
    high = np.where(others, q, np.iinfo(np.int64).min).max(axis=1)
    return bool(np.all(low > high))


@functools.lru_cache(maxsize=128)  # the draws reuse each region's model with new objectives
def _model(problem: Problem, groups: tuple[str, ...],
           with_pairs: bool) -> tuple[sparse.csr_array, NDArray[np.float64], NDArray[np.float64],
                                      Bounds, NDArray[np.float64]]:
    """Constraint matrix, row bounds, variable bounds and integrality for the groups."""
    from scipy.optimize import Bounds

    n, m = problem.scores.shape
    nx = n * m
    distinct = "min_distinct" in groups
    pairs = problem.pairs if with_pairs else np.empty((0, 2), dtype=np.intp)
    nz = m if distinct else 0
    ny = len(pairs) * m
    rows: list[sparse.coo_array] = []
    lower: list[NDArray[np.float64]] = []
    upper: list[NDArray[np.float64]] = []

    def add(a: sparse.coo_array, lo: Any, hi: Any) -> None:
        rows.append(a)
        lower.append(np.broadcast_to(np.asarray(lo, dtype=np.float64), a.shape[0]))
        upper.append(np.broadcast_to(np.asarray(hi, dtype=np.float64), a.shape[0]))

    width = nx + nz + ny
    cells = np.arange(nx)
    per_row = sparse.coo_array((np.ones(nx), (cells // m, cells)), shape=(n, width))
    per_product = sparse.coo_array((np.ones(nx), (cells % m, cells)), shape=(m, width))
    add(per_row, problem.k, problem.k)
    if "max_per_product" in groups and problem.product_caps is not None:
        add(per_product, -np.inf, problem.product_caps)
    if "max_share" in groups and problem.share_cap is not None:
        add(per_product, -np.inf, problem.share_cap)
    if distinct:
        z = sparse.coo_array((np.ones(m), (np.arange(m), nx + np.arange(m))), shape=(m, width))
        add(z - per_product, -np.inf, 0.0)
        add(sparse.coo_array((np.ones(m), (np.zeros(m, int), nx + np.arange(m))),
                             shape=(1, width)), problem.min_distinct, np.inf)
    if ny:
        y = nx + nz + np.arange(ny)
        for end in (0, 1):
            x = pairs[:, end, None] * m + np.arange(m)
            add(sparse.coo_array((np.r_[np.ones(ny), -np.ones(ny)],
                                  (np.r_[np.arange(ny), np.arange(ny)], np.r_[y, x.ravel()])),
                                 shape=(ny, width)), -np.inf, 0.0)
        # Valid cuts that tighten the relaxation: a pair shares at most k products, and a
        # product held by at most C kecamatan joins at most the pairs inside C of them.
        edges = len(pairs)
        add(sparse.coo_array((np.ones(ny), (np.repeat(np.arange(edges), m), y)),
                             shape=(edges, width)), -np.inf, problem.k)
        caps = active_caps(problem, groups)
        if caps is not None:
            inside = np.array([_max_inside(pairs, n, int(c)) for c in caps], dtype=np.float64)
            add(sparse.coo_array((np.ones(ny), (np.tile(np.arange(m), edges), y)),
                                 shape=(m, width)), -np.inf, inside)
    scored = ~np.isnan(problem.scores)
    allowed = scored.copy()
    if "forbidden" in groups and problem.forbidden is not None:
        allowed &= ~problem.forbidden
    if "eligible" in groups and problem.ineligible is not None:
        allowed &= ~problem.ineligible
    keep = (problem.keep if "must_keep" in groups and problem.keep is not None
            else np.zeros_like(allowed))
    lb = np.r_[keep.ravel().astype(float), np.zeros(nz + ny)]
    ub = np.r_[allowed.ravel().astype(float), np.ones(nz + ny)]
    integrality = np.r_[np.ones(nx + nz), np.zeros(ny)]
    matrix = sparse.vstack(rows, format="csr")
    return matrix, np.concatenate(lower), np.concatenate(upper), Bounds(lb, ub), integrality


#: Largest number of vertex subsets searched for the densest C-subset of the neighbour graph.
_SUBSET_LIMIT = 20_000


@functools.lru_cache(maxsize=256)
def _max_inside_cached(pairs: bytes, n: int, size: int) -> int:
    edges = np.frombuffer(pairs, dtype=np.intp).reshape(-1, 2)
    if size >= n:
        return len(edges)
    if size < 2:
        return 0
    degree = np.bincount(edges.ravel(), minlength=n)
    bound = min(len(edges), size * (size - 1) // 2, int(np.sort(degree)[-size:].sum()) // 2)
    if math.comb(n, size) > _SUBSET_LIMIT:
        return bound  # too many subsets to search: each pair inside uses two of C degrees
    adjacent = np.zeros((n, n), dtype=bool)
    adjacent[edges[:, 0], edges[:, 1]] = True
    best = 0
    for subset in itertools.combinations(range(n), size):
        best = max(best, int(adjacent[np.ix_(subset, subset)].sum()))
    return best


def _max_inside(pairs: NDArray[np.intp], n: int, size: int) -> int:
    """Count the most neighbour pairs with both ends among ``size`` of the ``n`` kecamatan."""
    return _max_inside_cached(np.ascontiguousarray(pairs, dtype=np.intp).tobytes(), n, size)


def _extract(result: Any, problem: Problem, groups: tuple[str, ...], n: int,
             m: int) -> NDArray[np.bool_]:
    """Round the solver's x and verify it satisfies every active constraint exactly."""
    if result.status not in (0, 1) or result.x is None:
        raise AEZError(f"HiGHS could not solve the assignment: {result.message} "
                       "Report this problem.")
    x = np.rint(result.x[: n * m]).reshape(n, m).astype(bool)
    wrong = broken(problem, groups, x)
    if wrong:
        raise AEZError(f"HiGHS returned an assignment that breaks {wrong} after rounding. "
                       "Report this problem.")
    return x




# --------------------------------------------------------------------------- diagnosis


def diagnose(problem: Problem) -> InfeasibleError:
    """Describe a smallest conflicting set of constraint groups, found by a deletion filter.

    Each group is dropped in turn and stays dropped when the rest is still
    infeasible; what remains conflicts, and dropping any one of it restores
    feasibility (an irreducible infeasible set of groups).
    """
    conflict = list(problem.groups)
    for group in problem.groups:
        trial = tuple(g for g in conflict if g != group)
        if not feasible(problem, trial):
            conflict = list(trial)
    n = problem.scores.shape[0]
    needed = n * problem.k
    values = "; ".join(_describe(problem, g, needed, conflict) for g in conflict)
    names = " + ".join(LABEL[g] for g in conflict)
    which = "any one of these" if len(conflict) > 1 else "it"
    return InfeasibleError(
        f"No assignment gives each of the {n} kecamatan {problem.k} product(s) "
        f"({needed} places) under {names}. Values seen: {values}. Dropping {which} makes the "
        "problem feasible. Remedy: " + "; or ".join(REMEDY[g] for g in conflict) + ".")


def _describe(problem: Problem, group: str, needed: int, conflict: list[str]) -> str:
    n, m = problem.scores.shape
    if group == "max_per_product" and problem.product_caps is not None:
        capped = {str(p): int(c) for p, c in zip(problem.products, problem.product_caps,
                                                  strict=True) if math.isfinite(c)}
        room = int(np.minimum(problem.product_caps, n).sum())
        if len(capped) == m and len(set(capped.values())) == 1:
            shown = f"= {problem.product_caps[0]:.0f} for each of the {m} products"
        else:
            shown = _short(capped)
        return f"max_per_product {shown} (room for {room} of {needed} places)"
    if group == "max_share" and problem.share_cap is not None:
        return (f"max_share allows {problem.share_cap} kecamatan per product × {m} products "
                f"= {problem.share_cap * m} of {needed} places")
    if group == "min_distinct":
        usable = ~np.isnan(problem.scores)
        for other, cells in (("forbidden", problem.forbidden), ("eligible", problem.ineligible)):
            if other in conflict and cells is not None:
                usable &= ~cells
        placeable = np.any(usable, axis=0)
        if "max_per_product" in conflict and problem.product_caps is not None:
            placeable &= problem.product_caps > 0
        if "max_share" in conflict and problem.share_cap is not None:
            placeable &= problem.share_cap > 0
        return (f"min_distinct = {problem.min_distinct} ({int(placeable.sum())} products can be "
                f"placed at all; {needed} places)")
    if group == "must_keep" and problem.keep is not None:
        kept = [f"{problem.kecamatan[i]} → {problem.products[p]}"
                for i, p in np.argwhere(problem.keep)]
        return "must_keep {" + ", ".join(kept[:6]) + (", …" if len(kept) > 6 else "") + "}"
    cells = problem.forbidden if group == "forbidden" else problem.ineligible
    count = 0 if cells is None else int(cells.sum())
    return f"{LABEL[group]} excludes {count} kecamatan–product pairs"


def _short(mapping: Mapping[str, Any], limit: int = 6) -> str:
    items = [f"{k}: {v}" for k, v in list(mapping.items())[:limit]]
    return "{" + ", ".join(items) + (", …" if len(mapping) > limit else "") + "}"
