"""How much the assignment depends on the criterion weights: a seeded Monte Carlo.

Each draw perturbs the weights, rebuilds the total score Σ_c w_c·components_c and
solves the assignment again under the same constraints
(:func:`aez.assign.milp.assign_products` with the same
:class:`~aez.assign.options.AssignOptions`). Counting how often each kecamatan gets
each product gives the probability of each product, the modal product, and a
stability label for the base recommendation.

**Perturbations** (``method``):

- ``"dirichlet"`` (default): w' ~ Dirichlet(concentration · w / Σw) · Σw. Its mean
  is w; each weight varies with standard deviation
  Σw·√(p(1 − p)/(concentration + 1)), p = w/Σw (so concentration 100 moves a
  weight of 0.5 by about ±0.05). ``concentration=inf`` keeps w.
- ``"uniform"``: w'_c = w_c·(1 + u_c), u_c ~ U(−spread, spread), rescaled so that
  Σw' = Σw. ``spread=0`` keeps w.

**Cost.** The draws reuse one model (only the objective changes) and run as
independent tasks on the executor. With a contiguity bonus, a draw values a
shared product against the *base* assignment's neighbours (kecamatan *i* gains
bonus × its neighbours whose base products include *p*): a linearisation that
keeps each draw a plain assignment, so a draw costs milliseconds where the
full contiguity model may cost seconds (:func:`solve_draws`).

Criteria with weight 0 stay at 0. The draws come from one
:class:`numpy.random.Generator`, so a fixed ``seed`` gives the same result.

**Stability** of a kecamatan is the share of draws that keep its base product
(with k products, the mean share over them; :data:`STABILITY`): ``"stable"``
when at least 0.8, ``"moderate"`` when at least 0.5, ``"unstable"`` below.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from aez.assign._milp_model import Problem, Solution, prepare, solve
from aez.assign.milp import Assignment, assign_products
from aez.assign.options import AssignOptions
from aez.errors import AEZError, ConfigError

__all__ = ["STABILITY", "Robustness", "assess_robustness", "linearised", "solve_draw",
           "solve_draws"]

log = logging.getLogger(__name__)

#: Stability labels and the smallest share of draws keeping the base products for each.
STABILITY: tuple[tuple[str, float], ...] = (("stable", 0.8), ("moderate", 0.5),
                                            ("unstable", 0.0))

Method = Literal["dirichlet", "uniform"]
#: Where the draws run (the names of :data:`aez.executor.EXECUTORS`).
ExecutorName = Literal["serial", "threads", "dask"]


@dataclass(frozen=True, eq=False)
class Robustness:
    """Monte Carlo robustness of an assignment to the criterion weights.

    Attributes
    ----------
    probability : pandas.DataFrame
        Kecamatan × product: the share of the kecamatan's assigned places that
        went to the product over the draws. Rows sum to 1; with one product per
        kecamatan it is the probability of getting that product (with k, multiply
        by k for the probability of being among the k).
    summary : pandas.DataFrame
        Per kecamatan: ``base_product`` (from the unperturbed weights),
        ``base_probability`` (share of draws keeping the base product; with
        k > 1, the mean of that share over its k base products),
        ``modal_product`` and ``modal_probability`` (most frequent; ties go to
        the first column), ``modal_is_base`` and ``stability``.
    weights : pandas.DataFrame
        The drawn weights, one row per draw.
    base : Assignment
        The assignment under the unperturbed weights.
    not_proven : int
        Draws whose solve stopped (``time_limit``) before proving optimality.
    """

    probability: pd.DataFrame
    summary: pd.DataFrame
    weights: pd.DataFrame
    base: Assignment
    not_proven: int = 0


def assess_robustness(
    components: Mapping[str, pd.DataFrame],
    weights: Mapping[str, float],
    *,
    draws: int = 200,
    seed: int | np.random.Generator = 0,
    method: Method = "dirichlet",
    concentration: float = 100.0,
    spread: float = 0.1,
    workers: int = 1,
    executor: ExecutorName = "threads",
    on_draw: Callable[[int], None] | None = None,
    options: AssignOptions | None = None,
    eligible: pd.DataFrame | None = None,
    suitability_class: pd.DataFrame | None = None,
    adjacency: Iterable[tuple[Hashable, Hashable]] | None = None,
) -> Robustness:
    """Re-solve the assignment under perturbed weights and count the outcomes.

    Parameters
    ----------
    components : mapping criterion → DataFrame
        Normalised criteria (index = kecamatan id, columns = product id), as in
        :class:`aez.assign.score.Scores`.
    weights : mapping criterion → float
        The chosen weights (≥ 0, not all 0).
    draws : int
        Number of perturbed solves.
    seed : int or numpy.random.Generator
        Seed of the draws.
    method : {"dirichlet", "uniform"}
        How weights are perturbed (see the module docstring).
    concentration : float
        Dirichlet concentration (> 0; larger = closer to ``weights``; inf = none).
    spread : float
        Relative half-width of the uniform perturbation, 0 ≤ spread < 1.
    workers : int
        Draws solved at once (HiGHS releases the GIL, so 2 threads on 2 cores
        halve the time). The result does not depend on it.
    executor : {"serial", "threads", "dask"}
        Where the draws run, each an independent task (:func:`aez.executor.map_tasks`);
        the result does not depend on it.
    on_draw : callable, optional
        Called with the number of draws solved so far (progress bars).
    options : AssignOptions, optional
        The planner's rules of :func:`aez.assign.milp.assign_products`
        (``per_kecamatan``, ``max_per_product``, …, ``time_limit`` in seconds
        per solve), kept fixed. None: the defaults.
    eligible, suitability_class, adjacency : optional
        The eligibility tables and neighbour pairs of
        :func:`aez.assign.milp.assign_products`, kept fixed.

    Returns
    -------
    Robustness

    Examples
    --------
    >>> suit = pd.DataFrame({"jagung": [0.9, 0.5], "padi": [0.6, 0.55]}, index=["A", "B"])
    >>> market = pd.DataFrame({"jagung": [0.2, 0.4], "padi": [0.3, 0.6]}, index=["A", "B"])
    >>> result = assess_robustness({"suit": suit, "market": market},
    ...                            {"suit": 0.5, "market": 0.5}, draws=50, seed=1)
    >>> result.summary[["base_product", "stability"]].to_dict("list")
    {'base_product': ['jagung', 'padi'], 'stability': ['stable', 'stable']}
    """
    names, stack = _stack(components)
    base_weights = _weights(weights, names)
    count = _positive_int(draws, "draws")
    if method not in ("dirichlet", "uniform"):
        raise ConfigError(f"method must be 'dirichlet' or 'uniform'; got {method!r}.")
    if isinstance(concentration, bool) or not isinstance(concentration, int | float) \
            or math.isnan(concentration) or concentration <= 0:
        raise ConfigError(f"concentration must be > 0 (inf = no perturbation); got "
                          f"{concentration!r}.")
    if isinstance(spread, bool) or not isinstance(spread, int | float) \
            or not 0 <= spread < 1:
        raise ConfigError(f"spread must be in [0, 1); got {spread!r}.")
    first = next(iter(components.values()))
    kec, prod = first.index, first.columns
    total = pd.DataFrame(np.tensordot(base_weights, stack, axes=1), index=kec, columns=prod)
    pairs = None if adjacency is None else list(adjacency)  # read twice
    base = assign_products(total, options=options, eligible=eligible,
                           suitability_class=suitability_class, adjacency=pairs,
                           components=dict(components),
                           weights=dict(zip(names, base_weights.tolist(), strict=True)))
    options = options or AssignOptions()  # valid: assign_products checked it
    problem = prepare(total, options, eligible=eligible, suitability_class=suitability_class,
                      adjacency=pairs)
    rng = np.random.default_rng(seed)
    drawn = _draw(rng, base_weights, count, method, concentration, spread)
    _positive_int(workers, "workers")
    counts, not_proven = solve_draws(
        problem, stack, drawn, base.table["products"], options=options,
        executor=executor if workers > 1 or executor != "threads" else "serial",
        workers=workers, on_draw=on_draw)
    probability = pd.DataFrame(counts / (count * problem.k), index=base.table.index,
                               columns=prod.copy())
    summary = _summary(base, probability, counts, count)
    return Robustness(probability, summary,
                      pd.DataFrame(drawn, columns=pd.Index(names, name="criterion")),
                      base, not_proven)


def solve_draws(problem: Problem, stack: NDArray[np.float64], drawn: NDArray[np.float64],
                base_products: pd.Series, *, options: AssignOptions,
                executor: ExecutorName = "serial", workers: int | None = None,
                on_draw: Callable[[int], None] | None = None) -> tuple[NDArray[np.int64], int]:
    """Solve the assignment once per row of ``drawn``; count the products and unproven draws.

    Each draw reuses one model (only the objective changes: Σ_c w_c·components_c).
    With a contiguity bonus, a draw values a shared product against the base
    assignment's neighbours: kecamatan *i* gains ``bonus`` × (neighbours whose
    base products include *p*) for product *p*, a linearisation around the base
    that keeps every draw a plain assignment (fast and exact for that model).
    """
    from aez.executor import map_tasks

    n, m = problem.scores.shape
    draw_problem, linear = linearised(problem, base_products)

    def one(w: NDArray[np.float64]) -> Solution | None:
        return solve_draw(draw_problem, linear, stack, w, options=options)

    solutions = map_tasks(one, list(drawn), executor=executor, workers=workers,
                          on_done=on_draw)
    counts = np.zeros((n, m), dtype=np.int64)
    not_proven = 0
    for solution in solutions:
        counts += _checked_draw(solution).x
        not_proven += solution.status != "optimal"  # type: ignore[union-attr]
    if not_proven:
        log.warning("%d of %d draws stopped before proving optimality", not_proven, len(drawn))
    return counts, not_proven


def linearised(problem: Problem,
               base_products: pd.Series) -> tuple[Problem, NDArray[np.float64]]:
    """Return the draws' problem (no neighbour pairs) and its contiguity term per cell.

    Kecamatan *i* gains ``bonus`` × (neighbours whose base products include *p*)
    for product *p*; without a bonus the term is 0 and the problem unchanged.
    Build it once per problem: the solver reuses the model of the same problem.
    """
    n, m = problem.scores.shape
    linear = np.zeros((n, m))
    if problem.bonus > 0 and len(problem.pairs):
        held = np.zeros((n, m), dtype=np.float64)
        position = {p: j for j, p in enumerate(problem.products)}
        for i, chosen in enumerate(base_products.reindex(problem.kecamatan)):
            for product in chosen:
                held[i, position[product]] = 1.0
        a, b = problem.pairs[:, 0], problem.pairs[:, 1]
        np.add.at(linear, a, held[b])
        np.add.at(linear, b, held[a])
        linear *= problem.bonus
        problem = replace(problem, pairs=np.empty((0, 2), dtype=np.intp), bonus=0.0)
    return problem, linear


def solve_draw(problem: Problem, linear: NDArray[np.float64], stack: NDArray[np.float64],
               w: NDArray[np.float64], *, options: AssignOptions) -> Solution:
    """Solve one draw of weights ``w`` on a :func:`linearised` problem."""
    return _checked_draw(solve(problem, np.tensordot(w, stack, axes=1) + linear,
                               problem.groups, 0.0, time_limit=options.time_limit,
                               node_limit=options.node_limit))


def _checked_draw(solution: Solution | None) -> Solution:
    if solution is None:  # impossible: the constraints do not depend on the weights
        raise AEZError("A perturbed draw became infeasible although the base assignment "
                       "is feasible under the same constraints. Report this problem.")
    return solution


def stability_label(share: float) -> str:
    """Return the :data:`STABILITY` label of a share of draws in [0, 1]."""
    return next(label for label, low in STABILITY if share >= low)


def _stack(components: Mapping[str, pd.DataFrame]) -> tuple[list[str], NDArray[np.float64]]:
    if not isinstance(components, Mapping) or not components:
        raise ConfigError("components must be a non-empty mapping criterion → DataFrame.")
    names = list(components)
    first = components[names[0]]
    arrays = []
    for name in names:
        frame = components[name]
        if not isinstance(frame, pd.DataFrame) or set(frame.index) != set(first.index) \
                or set(frame.columns) != set(first.columns):
            raise ConfigError(f"Component {name!r} must be a DataFrame with the same kecamatan "
                              f"and products as component {names[0]!r}.")
        arrays.append(frame.reindex(index=first.index, columns=first.columns)
                      .to_numpy(dtype=np.float64))
    return names, np.stack(arrays)


def _weights(weights: Mapping[str, float], names: list[str]) -> NDArray[np.float64]:
    if not isinstance(weights, Mapping) or set(weights) != set(names):
        shown = sorted(weights) if isinstance(weights, Mapping) else weights
        raise ConfigError(f"weights must name the criteria {sorted(names)}; got {shown}.")
    values = np.array([weights[name] for name in names], dtype=np.float64)
    if not np.all(np.isfinite(values)) or np.any(values < 0) or values.sum() <= 0:
        raise ConfigError(f"weights must be finite, ≥ 0 and not all 0; got {dict(weights)}.")
    return values


def _positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ConfigError(f"{name} must be a positive integer; got {value!r}.")
    return int(value)


def _draw(rng: np.random.Generator, w: NDArray[np.float64], count: int, method: Method,
          concentration: float, spread: float) -> NDArray[np.float64]:
    """(count, C) perturbed weights with the sum of ``w``; zero weights stay zero."""
    out = np.tile(w, (count, 1))
    live = w > 0
    total = w.sum()
    if method == "dirichlet":
        if math.isinf(concentration) or live.sum() < 2:
            return out
        out[:, live] = rng.dirichlet(concentration * w[live] / total, size=count) * total
    elif spread > 0:
        factors = 1 + rng.uniform(-spread, spread, size=(count, int(live.sum())))
        scaled = w[live] * factors
        out[:, live] = scaled * (total / scaled.sum(axis=1, keepdims=True))
    return out


def _summary(base: Assignment, probability: pd.DataFrame, counts: NDArray[np.int64],
             draws: int) -> pd.DataFrame:
    products = probability.columns
    base_sets = base.table.loc[probability.index, "products"]
    kept = [float(np.mean([counts[i, products.get_loc(p)] for p in chosen])) / draws
            for i, chosen in enumerate(base_sets)]
    modal = np.argmax(probability.to_numpy(), axis=1)      # first column on ties
    modal_product = products[modal]
    summary = pd.DataFrame({
        "base_product": base.table.loc[probability.index, "product"],
        "base_probability": kept,
        "modal_product": modal_product,
        "modal_probability": probability.to_numpy()[np.arange(len(modal)), modal],
        "modal_is_base": [p in chosen for p, chosen in zip(modal_product, base_sets,
                                                            strict=True)],
        "stability": [stability_label(share) for share in kept],
    }, index=probability.index)
    return summary
