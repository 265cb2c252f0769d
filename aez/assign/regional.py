"""The assignment per region (kabupaten): independent MILPs, kecamatan without a product, merge.

A province holds dozens of kabupaten, and a kabupaten is the unit a planner
decides for. :func:`assign_by_region` splits the study area by a mapping
kecamatan → region (e.g. :func:`aez.assign.rollup.kabupaten_of`), applies the
constraints of :class:`~aez.assign.options.AssignOptions` inside each region,
and solves the regions as independent tasks on the executor, so the cost grows
linearly with the number of regions. Robustness draws use the same weight
draws in every region (a draw is one scenario for the whole study area).

**Per region.** ``max_share`` counts the region's kecamatan, but allows at
least one kecamatan per product; ``min_distinct`` is capped at the region's
places (kecamatan × ``per_kecamatan``), both unless ``fit_small=False``;
neighbour pairs across a region border earn no contiguity bonus. must_keep
and forbidden apply where they name the region's kecamatan.

**A kecamatan with no allowed product** (every product has no score, is
forbidden, or is below the minimum biophysical class) is left out of its
region's MILP and gets no product: ``product`` is None and ``reason`` says
which rule removed which products and which product would have scored best.
The run goes on.

**Caps a region cannot meet.** When a region's eligible products cannot be
spread ``max_share`` per product (say 23 kecamatan whose few eligible products
would need 8 kecamatan each, where max_share = 0.25 allows 5), ``max_share``
is raised to the smallest count per product that leaves a feasible assignment
in that region; when they do not reach ``min_distinct`` products, it is
lowered to the most they reach (after ``max_share``). Both are found by
bisection over feasibility checks, apply to that region only, and are
reported in the ``note`` of its row in :attr:`RegionalResult.solves` and in
the log (both with ``fit_small``, the default). Only a contradiction that
these two cannot resolve (must_keep, forbidden, per_kecamatan) raises
:class:`~aez.errors.InfeasibleError` (its message names the region).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from aez.assign._milp_model import LABEL, Problem, Solution, feasible, prepare
from aez.assign.milp import Assignment, assign_products
from aez.assign.options import AssignOptions
from aez.assign.robustness import (
    ExecutorName,
    Robustness,
    _draw,
    _stack,
    _summary,
    _weights,
    linearised,
    solve_draw,
)
from aez.errors import ConfigError, InfeasibleError

__all__ = ["RegionalResult", "assign_by_region", "no_product_reasons"]

log = logging.getLogger(__name__)


#: Columns of the per-region solve table.
_SOLVE_COLUMNS = ["n_kecamatan", "n_assigned", "n_none", "neighbour_pairs", "status", "gap",
                  "note"]
#: Columns of an assignment table when no region has a kecamatan to assign.
_TABLE_COLUMNS = ["product", "products", "score", "total_score", "best_allowed",
                  *[f"alternative_{r}{s}" for r in (1, 2, 3) for s in ("", "_score")],
                  "binding"]


@dataclass(frozen=True, eq=False)
class RegionalResult:
    """The merged assignment of every region, its robustness, and how each region was solved.

    Attributes
    ----------
    assignment : Assignment
        One row per kecamatan of the study area, in its order; kecamatan with
        no allowed product have ``product`` None and a ``reason``.
    robustness : Robustness or None
        Product probabilities over the draws (None without draws).
    solves : DataFrame
        Per region: ``n_kecamatan``, ``n_assigned``, ``n_none``,
        ``neighbour_pairs``, ``status`` (``optimal``, ``node_limit``,
        ``time_limit`` …), ``gap`` (score units the optimum may exceed
        the solution by) and ``note`` (how ``max_share`` or ``min_distinct``
        was fitted to the region's eligible products; empty when as given).
    """

    assignment: Assignment
    robustness: Robustness | None
    solves: pd.DataFrame


@dataclass(frozen=True, eq=False)
class _Region:
    """One region's data, a picklable task."""

    name: Hashable
    scores: pd.DataFrame
    options: AssignOptions
    eligible: pd.DataFrame | None
    adjacency: list[tuple[Hashable, Hashable]]
    components: dict[str, pd.DataFrame] | None
    weights: dict[str, float] | None
    fit: bool = False
    note: str = ""
    binding: bool = True


def no_product_reasons(scores: pd.DataFrame, options: AssignOptions,
                       eligible: pd.DataFrame | None = None) -> pd.Series:
    """Why each kecamatan with no allowed product has none (empty for the others).

    A product is allowed where it has a score (not NaN), is not forbidden and
    is eligible. Returns kecamatan id → reason, only for kecamatan with no
    allowed product.

    >>> s = pd.DataFrame({"jagung": [0.9, 0.4]}, index=["A", "B"])
    >>> ok = pd.DataFrame({"jagung": [True, False]}, index=["A", "B"])
    >>> no_product_reasons(s, AssignOptions(), ok).to_dict()
    {'B': 'minimum biophysical class (eligible) removes jagung; best scored: jagung (0.4)'}
    """
    scored = scores.notna().to_numpy()
    removed: dict[str, NDArray[np.bool_]] = {}
    forbidden = options.forbidden
    if isinstance(forbidden, pd.DataFrame):
        removed["forbidden"] = forbidden.reindex(index=scores.index, columns=scores.columns,
                                                 fill_value=False).to_numpy(dtype=bool)
    elif forbidden:
        cells = np.zeros(scores.shape, dtype=bool)
        for kecamatan, products in forbidden.items():
            if kecamatan in scores.index:
                many = not isinstance(products, str) and isinstance(products, Iterable)
                for product in products if many else [products]:
                    if product in scores.columns:
                        cells[scores.index.get_loc(kecamatan),
                              scores.columns.get_loc(product)] = True
        removed["forbidden"] = cells
    if eligible is not None:
        removed["eligible"] = ~eligible.reindex(index=scores.index, columns=scores.columns,
                                                fill_value=False).to_numpy(dtype=bool)
    allowed = scored.copy()
    for cells in removed.values():
        allowed &= ~cells
    reasons = {}
    values = scores.to_numpy(dtype=np.float64)
    for i in np.flatnonzero(~allowed.any(axis=1)):
        parts = []
        if not scored[i].any():
            parts.append("no product has a score")
        for group, cells in removed.items():
            hit = scored[i] & cells[i]
            if hit.any():
                parts.append(f"{LABEL[group]} removes {_few(scores.columns[hit])}")
        if scored[i].any():
            best = int(np.nanargmax(values[i]))
            parts[-1] += f"; best scored: {scores.columns[best]} ({values[i, best]:.3g})"
        reasons[scores.index[i]] = "; ".join(parts)
    return pd.Series(reasons, dtype=object, name="reason")


def assign_by_region(
    scores: pd.DataFrame,
    regions: Mapping[Hashable, Hashable] | pd.Series,
    *,
    options: AssignOptions | None = None,
    eligible: pd.DataFrame | None = None,
    adjacency: Iterable[tuple[Hashable, Hashable]] | None = None,
    components: Mapping[str, pd.DataFrame] | None = None,
    weights: Mapping[str, float] | None = None,
    draws: int = 0,
    seed: int = 0,
    concentration: float = 100.0,
    executor: ExecutorName = "serial",
    workers: int | None = None,
    scheduler: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    fit_small: bool = True,
    binding: bool = True,
) -> RegionalResult:
    """Solve the assignment of each region independently and merge the results.

    Parameters
    ----------
    scores : DataFrame
        Kecamatan × product scores (see :func:`aez.assign.milp.assign_products`).
    regions : mapping or Series
        Kecamatan id → region (kabupaten code); every kecamatan needs one. One
        region for all is the whole study area as one problem.
    options, eligible, adjacency, components, weights
        As for :func:`aez.assign.milp.assign_products`, for the whole study area.
    draws, seed, concentration : optional
        Dirichlet robustness draws of the weights (needs ``components`` and
        ``weights``; see :mod:`aez.assign.robustness`); 0: none.
    executor, workers, scheduler : optional
        Where the regions' solves and the draws run (:func:`aez.executor.map_tasks`).
        The result does not depend on them.
    on_progress : callable, optional
        ``on_progress(done, total)`` over the region solves and then the draws.
    fit_small : bool, default True
        Fit ``max_share`` (at least one kecamatan per product) and
        ``min_distinct`` (at most the region's places) to small regions, and
        to regions whose eligible products cannot meet them (see the module
        docstring); False keeps them as given (as
        :func:`aez.assign.milp.assign_products` does).
    binding : bool, default True
        Find the binding constraints of each kecamatan (one more solve per
        constraint group and region); False when only the products are needed.

    Returns
    -------
    RegionalResult

    Raises
    ------
    InfeasibleError
        When a region's constraints contradict each other (named in the message).
    """
    from aez.executor import map_tasks

    options = options or AssignOptions()
    region_of = (regions if isinstance(regions, pd.Series) else pd.Series(dict(regions)))
    region_of = region_of.reindex(scores.index)
    if region_of.isna().any():
        missing = [str(k) for k in scores.index[region_of.isna().to_numpy()][:5]]
        raise ConfigError(f"No region for kecamatan {missing}; every kecamatan needs one.")
    reasons = no_product_reasons(scores, options, eligible)
    if len(reasons):
        log.warning("%d kecamatan have no eligible product and get none: %s", len(reasons),
                    ", ".join(map(str, reasons.index[:8])))
    pairs = list(adjacency or ())
    tasks = []
    for name in pd.unique(region_of.to_numpy()):
        members = [k for k in scores.index[(region_of == name).to_numpy()]
                   if k not in reasons.index]
        if members:
            tasks.append(replace(_region(name, members, scores, options, eligible, pairs,
                                         components, weights, fit_small=fit_small),
                                 binding=binding))
    total_steps = len(tasks) + (draws if draws else 0)
    step = [0]

    def advance(_: int) -> None:
        step[0] += 1
        if on_progress is not None:
            on_progress(step[0], total_steps)

    kw: dict[str, Any] = {"executor": executor, "workers": workers, "scheduler": scheduler}
    results = map_tasks(_solve_region, tasks, on_done=advance, **kw)
    tasks = [task for task, _ in results]  # with the fitted options
    solved = [assignment for _, assignment in results]
    for task in tasks:
        if task.note:
            log.warning("Region %s: %s", task.name, task.note)
    merged = _merge(scores, tasks, solved, reasons, weights)
    solves = pd.DataFrame(columns=["region", *_SOLVE_COLUMNS]).set_index("region") \
        if not tasks else pd.DataFrame([
        {"region": t.name, "n_kecamatan": int((region_of == t.name).sum()),
         "n_assigned": len(t.scores), "n_none": int((region_of == t.name).sum()) - len(t.scores),
         "neighbour_pairs": len(t.adjacency), "status": a.status, "gap": a.gap,
         "note": t.note}
        for t, a in zip(tasks, solved, strict=True)]).set_index("region")
    for name in sorted(set(region_of) - {t.name for t in tasks}, key=str):
        solves.loc[name] = [int((region_of == name).sum()), 0,
                            int((region_of == name).sum()), 0, "no_product", 0.0, ""]
    robustness = None
    if draws and tasks:
        if components is None or weights is None:
            raise ConfigError("Robustness draws need the components and weights of the scores.")
        robustness = _draws(tasks, solved, merged, draws, seed, concentration, advance, kw)
    return RegionalResult(merged, robustness, solves)


def _region(name: Hashable, members: list[Hashable], scores: pd.DataFrame,
            options: AssignOptions, eligible: pd.DataFrame | None,
            pairs: list[tuple[Hashable, Hashable]],
            components: Mapping[str, pd.DataFrame] | None,
            weights: Mapping[str, float] | None, *, fit_small: bool) -> _Region:
    inside = set(members)
    places = len(members) * options.per_kecamatan
    changes: dict[str, Any] = {}
    if fit_small and options.min_distinct is not None and options.min_distinct > places:
        changes["min_distinct"] = places
    if fit_small and options.max_share is not None \
            and math.floor(options.max_share * len(members) + 1e-9) < 1:
        changes["max_share"] = 1.0 / len(members)
    for key in ("must_keep", "forbidden"):
        value = getattr(options, key)
        if isinstance(value, Mapping):
            changes[key] = {k: v for k, v in value.items() if k in inside} or None
        elif isinstance(value, pd.DataFrame):
            changes[key] = value.reindex(index=members, fill_value=False)
    if "min_distinct" in changes or "max_share" in changes:
        log.info("Region %s has %d kecamatan: %s", name, len(members),
                 ", ".join(f"{k} → {v:.3g}" for k, v in changes.items()
                           if k in ("min_distinct", "max_share")))
    return _Region(
        name, scores.loc[members], replace(options, **changes),
        None if eligible is None else eligible.loc[members],
        [(a, b) for a, b in pairs if a in inside and b in inside],
        None if components is None else {c: f.loc[members] for c, f in components.items()},
        None if weights is None else dict(weights), fit=fit_small)


def _solve_region(region: _Region) -> tuple[_Region, Assignment]:
    """Solve one region; with ``fit``, when infeasible as given, fit its caps and solve again."""
    try:
        return region, _assign(region)
    except InfeasibleError as exc:
        fitted = _fitted(region) if region.fit else None
        if fitted is None:
            raise InfeasibleError(f"Region {region.name}: {exc}") from exc
    try:
        return fitted, _assign(fitted)
    except InfeasibleError as exc:  # pragma: no cover - _fitted checked feasibility
        raise InfeasibleError(f"Region {region.name}: {exc}") from exc


def _assign(region: _Region) -> Assignment:
    return assign_products(region.scores, options=region.options, eligible=region.eligible,
                           adjacency=region.adjacency if region.options.contiguity_bonus > 0
                           else None,
                           components=region.components, weights=region.weights,
                           binding=region.binding)


def _fitted(region: _Region) -> _Region | None:
    """Return the region with max_share raised, min_distinct lowered just enough (or None).

    When the region's eligible products cannot be spread ``max_share`` per
    product (or do not reach ``min_distinct``), ``max_share`` becomes the
    smallest kecamatan count per product that leaves a feasible assignment,
    then ``min_distinct`` the largest count still feasible, both found by
    bisection over feasibility (monotone in each). None when the conflict lies
    elsewhere (must_keep, forbidden, per_kecamatan), which stays an error.
    """
    options = region.options
    if options.max_share is None and options.min_distinct is None:
        return None
    n = len(region.scores)
    try:
        core = prepare(region.scores, replace(options, max_share=None, min_distinct=None,
                                              contiguity_bonus=0.0), eligible=region.eligible)
    except InfeasibleError:
        return None
    if not feasible(core, core.groups):
        return None
    changes: dict[str, Any] = {}
    notes = []
    share = None
    if options.max_share is not None:
        given = max(1, math.floor(options.max_share * n + 1e-9))
        share = _bisect(given, n, lambda c: feasible(_capped(core, c), ("max_share",
                                                                        *core.groups)))
        if share != given:
            changes["max_share"] = share / n
            notes.append(f"max_share raised from {given} to {share} kecamatan per product (the "
                         f"fewest that give each of the {n} kecamatan an eligible product)")
    if options.min_distinct is not None:
        base = core if share is None else _capped(core, share)
        groups = (*base.groups, "min_distinct")

        def reaches(d: int) -> bool:
            return feasible(replace(base, min_distinct=d), groups)

        if not reaches(options.min_distinct):
            most = next(d for d in range(options.min_distinct - 1, 0, -1) if reaches(d))
            changes["min_distinct"] = most
            notes.append(f"min_distinct lowered from {options.min_distinct} to {most} (the "
                         "most distinct products its eligible products allow)")
    if not changes:
        return None
    return replace(region, options=replace(options, **changes), note="; ".join(notes))


def _capped(problem: Problem, cap: int) -> Problem:
    return replace(problem, share_cap=cap)


def _bisect(low: int, high: int, ok: Callable[[int], bool]) -> int:
    """Return the smallest c in [low, high] with ok(c), for ok monotone and ok(high) true."""
    while low < high:
        middle = (low + high) // 2
        if ok(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _merge(scores: pd.DataFrame, tasks: list[_Region], solved: list[Assignment],
           reasons: pd.Series, weights: Mapping[str, float] | None) -> Assignment:
    """One Assignment over the whole study area, in its kecamatan order."""
    tables = [a.table.assign(region=t.name) for t, a in zip(tasks, solved, strict=True)]
    table = pd.concat(tables) if tables else pd.DataFrame(columns=_TABLE_COLUMNS)
    if len(reasons):
        blank = pd.DataFrame(index=reasons.index, columns=table.columns, dtype=object)
        blank["products"] = [()] * len(blank)
        blank["best_allowed"] = [()] * len(blank)
        blank["binding"] = [()] * len(blank)
        blank["product"] = None
        for column in ("score", "total_score", *[f"alternative_{r}_score" for r in (1, 2, 3)]):
            if column in blank:
                blank[column] = np.nan
        table = pd.concat([table, blank])
    table = table.reindex(scores.index)
    table.index.name = scores.index.name or "kecamatan"
    table["reason"] = reasons.reindex(table.index)
    for column in table.columns:
        if column.endswith("score") or column.startswith(("component_", "shared_")):
            table[column] = pd.to_numeric(table[column], errors="coerce")
    counterfactual: dict[str, pd.Series] = {}
    groups = sorted({g for a in solved for g in a.counterfactual})
    for group in groups:
        parts = [a.counterfactual.get(group, a.table["products"]) for a in solved]
        counterfactual[group] = pd.concat(parts).reindex(table.index)
    worst = next((a.status for a in solved if a.status != "optimal"), "optimal")
    return Assignment(table, float(sum(a.objective for a in solved)), worst,
                      float(sum(a.gap for a in solved)),
                      int(sum(a.shared_pairs for a in solved)), counterfactual,
                      None if weights is None else dict(weights))


def _draws(tasks: list[_Region], solved: list[Assignment], merged: Assignment, draws: int,
           seed: int, concentration: float, advance: Callable[[int], None],
           kw: dict[str, Any]) -> Robustness:
    """Solve the same weight draws in every region, one task per draw."""
    from aez.executor import map_tasks

    first = tasks[0]
    assert first.components is not None and first.weights is not None
    names = list(first.components)
    base_weights = _weights(first.weights, names)
    drawn = _draw(np.random.default_rng(seed), base_weights, draws, "dirichlet",
                  concentration, 0.0)
    problems = []
    for task, base in zip(tasks, solved, strict=True):
        _, stack = _stack(task.components or {})
        problem = prepare(task.scores, task.options, eligible=task.eligible,
                          adjacency=task.adjacency if task.options.contiguity_bonus > 0
                          else None)
        draw_problem, linear = linearised(problem, base.table["products"])
        problems.append((draw_problem, linear, stack, task.options))

    def one(d: int) -> list[Solution]:
        return [solve_draw(problem, linear, stack, drawn[d], options=options)
                for problem, linear, stack, options in problems]

    per_draw = map_tasks(one, range(draws), on_done=advance, **kw)
    columns = tasks[0].scores.columns
    totals = [np.zeros(t.scores.shape, dtype=np.int64) for t in tasks]
    not_proven = 0
    for results in per_draw:
        for total, solution in zip(totals, results, strict=True):
            total += solution.x
            not_proven += solution.status != "optimal"
    counts = pd.DataFrame(0, index=merged.table.index, columns=columns, dtype=np.int64)
    for task, total in zip(tasks, totals, strict=True):
        counts.loc[task.scores.index] = total
    k = first.options.per_kecamatan
    probability = counts / (draws * k)
    assigned = merged.table["product"].notna().to_numpy()
    summary = _summary(_only(merged, assigned), probability[assigned],
                       counts[assigned].to_numpy(), draws)
    summary = summary.reindex(merged.table.index)
    return Robustness(probability, summary,
                      pd.DataFrame(drawn, columns=pd.Index(names, name="criterion")),
                      merged, not_proven)


def _only(assignment: Assignment, rows: NDArray[np.bool_]) -> Assignment:
    return replace(assignment, table=assignment.table[rows])


def _few(labels: Iterable[Any], limit: int = 6) -> str:
    items = [str(v) for v in labels]
    return ", ".join(items[:limit]) + (f" … ({len(items)} in all)" if len(items) > limit else "")
