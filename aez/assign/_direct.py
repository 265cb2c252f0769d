"""Assignments found without a MILP, and the exact check of an assignment's constraints.

:func:`separable_optimum` and :func:`transport_optimum` return the tie-broken
optimum of :func:`aez.assign._milp_model.solve` directly in two common cases
(no binding constraint across kecamatan; one product per kecamatan under
capacities only), or None; :func:`broken` checks an assignment against the
active constraint groups exactly. ``docs/assignment.md`` (*Without a solver*)
states the rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from scipy.optimize import Bounds

    from aez.assign._milp_model import Problem

__all__ = ["active_caps", "broken", "separable_optimum", "transport_optimum"]


def active_caps(problem: Problem, groups: tuple[str, ...]) -> NDArray[np.float64] | None:
    """Kecamatan allowed per product by the active capacity groups (None: no cap)."""
    n, m = problem.scores.shape
    caps = np.full(m, float(n))
    capped = False
    if "max_per_product" in groups and problem.product_caps is not None:
        caps = np.minimum(caps, problem.product_caps)
        capped = True
    if "max_share" in groups and problem.share_cap is not None:
        caps = np.minimum(caps, problem.share_cap)
        capped = True
    return caps if capped else None


def broken(problem: Problem, groups: tuple[str, ...], x: NDArray[np.bool_]) -> list[str]:
    """List the constraints of ``groups`` (and the core) that the assignment ``x`` breaks."""
    counts = x.sum(axis=0)
    scored = ~np.isnan(problem.scores)
    found = [
        name for name, bad in (
            ("per_kecamatan", (x.sum(axis=1) != problem.k).any() or (x & ~scored).any()),
            ("max_per_product", "max_per_product" in groups and problem.product_caps is not None
             and (counts > problem.product_caps).any()),
            ("max_share", "max_share" in groups and problem.share_cap is not None
             and (counts > problem.share_cap).any()),
            ("min_distinct", "min_distinct" in groups and problem.min_distinct is not None
             and (counts > 0).sum() < problem.min_distinct),
            ("must_keep", "must_keep" in groups and problem.keep is not None
             and (problem.keep & ~x).any()),
            ("forbidden", "forbidden" in groups and problem.forbidden is not None
             and (problem.forbidden & x).any()),
            ("eligible", "eligible" in groups and problem.ineligible is not None
             and (problem.ineligible & x).any()),
        ) if bad
    ]
    return found


def separable_optimum(problem: Problem, q: NDArray[np.int64], groups: tuple[str, ...],
                       bounds: Bounds) -> NDArray[np.bool_] | None:
    """Return the tie-broken optimum without a solver, when no constraint across rows binds.

    Dropping the constraints that couple kecamatan (capacities, min_distinct)
    splits the problem by row: each row takes its fixed (must_keep) cells, then
    its best allowed cells by integer score, ties to the column listed first,
    which is also the tie rule's choice (its weights t_ip fall with the
    column). When that choice meets the coupling constraints too, it is the
    tie-broken optimum of the whole problem; otherwise None.
    """
    n, m = q.shape
    lower = np.asarray(bounds.lb)[: n * m].reshape(n, m) > 0.5
    upper = np.asarray(bounds.ub)[: n * m].reshape(n, m) > 0.5
    room = problem.k - lower.sum(axis=1)
    free = upper & ~lower
    if np.any(room < 0) or np.any(free.sum(axis=1) < room):
        return None
    # rank each row's free cells by score (descending), ties by column (ascending)
    key = np.where(free, q, np.iinfo(np.int64).min)
    order = np.argsort(-key, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(m)[None, :].repeat(n, axis=0), axis=1)
    x = lower | (free & (rank < room[:, None]))
    return x if not broken(problem, groups, x) else None


def transport_optimum(problem: Problem, q: NDArray[np.int64], groups: tuple[str, ...],
                       bounds: Bounds) -> NDArray[np.bool_] | None:
    """Return the tie-broken optimum of a one-product assignment with capacities, or None.

    With one product per kecamatan, no must_keep cell, and ``min_distinct``
    absent or implied by the capacities (any assignment then uses at least
    ⌈n / largest capacity⌉ products), the problem is a capacitated assignment:
    each product becomes as many columns as its capacity and
    :func:`scipy.optimize.linear_sum_assignment` solves it exactly. The
    objective q_ip·M + t_ip, with M above any total of the tie weights
    t_ip = (m − 1 − p)·(n − i), gives the tie rule's choice among the optima
    in one exact integer solve (totals stay below 2^53). None when the
    conditions do not hold, the numbers could lose exactness, or there is no
    feasible assignment (the MILP then reports it).
    """
    from scipy.optimize import linear_sum_assignment

    n, m = q.shape
    if problem.k != 1 or ("must_keep" in groups and problem.keep is not None
                          and problem.keep.any()):
        return None
    active = active_caps(problem, groups)
    caps: NDArray[np.int64] = (np.full(m, n, dtype=np.int64) if active is None
                               else np.minimum(active, n).astype(np.int64))
    if "min_distinct" in groups and problem.min_distinct is not None \
            and -(-n // max(int(caps.max()), 1)) < problem.min_distinct:
        return None
    upper = np.asarray(bounds.ub)[: n * m].reshape(n, m) > 0.5
    tie = (m - 1 - np.arange(m))[None, :] * (n - np.arange(n))[:, None]
    scale = int(tie.max(axis=1).sum()) + 1
    value = np.where(upper, q * scale + tie, 0)
    # a disallowed cell loses more than any total of allowed gains
    floor = -(int(np.abs(value).sum()) + 1)
    if -floor * (n + 1) >= 2**52:  # every partial sum stays an exact float64 integer
        return None
    columns = np.repeat(np.arange(m), caps)
    if len(columns) < n:
        return None
    gain = value[:, columns].astype(np.float64)
    allowed = upper[:, columns]
    rows, picked = linear_sum_assignment(np.where(allowed, gain, floor), maximize=True)
    if not allowed[rows, picked].all():
        return None
    x = np.zeros((n, m), dtype=bool)
    x[rows, columns[picked]] = True
    return x if not broken(problem, groups, x) else None



