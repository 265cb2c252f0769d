"""Scenario columns in parts: unchanged characteristics matched once, changed ones per scenario.

The fused kernel's cost grows with characteristics × crops, so evaluating a
scenario as a whole column again would cost as much as the baseline. But a
crop's class is the worst of its characteristics' classes, its subclass the
qualities at that class, its potential class the worst after improvement and
its index (``"minimum"``) the lowest: each is a fold that can be taken in any
grouping. So for each crop :func:`match_columns` matches the characteristics
that no scenario changes **once** (the *common* part), and for the baseline
and each scenario only the changed ones (temperature, rainfall), then
:func:`combine` joins the two parts cell by cell:

* class and potential class: the worse of the two (N, then unknown, then S3,
  S2, S1, as the kernel ranks them);
* subclass: that part's qualities, or both parts' when their classes tie;
* index: NaN where the class is unknown, else the lower index of the two
  (NaN skipped), which is the kernel's minimum.

One case needs more than the parts give: where the class is N and the other
part is unknown, the unknown part's index is NaN by rule, yet its rated
characteristics count in the whole minimum. Those few cells are matched again
as whole columns. Crops whose index is not the minimum (geometric mean,
square root), or whose characteristics are all changed, are matched as whole
columns. Every column is byte for byte the whole column's match.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numba import njit
from numpy.typing import NDArray

from aez.evaluate.classes import UNKNOWN, N
from aez.evaluate.kernel import match_crops
from aez.evaluate.reference import CompiledCrop, Observed, Suitability
from aez.evaluate.scenarios import Scenario, scenario_columns

__all__ = ["ColumnPlan", "combine", "match_columns", "plan_columns"]

#: Severity of each class code as the kernel ranks it (nodata, S1, S2, S3, N, X, unknown).
_RANK = np.array([0, 0, 1, 2, 4, 0, 3], np.int8)


@dataclass(frozen=True, eq=False)
class ColumnPlan:
    """The baseline and scenario columns of some crops, split into parts (see the module).

    Attributes
    ----------
    n_crops : int
        Crops per column set; set ``j`` (0 = baseline, then the scenarios) holds
        columns ``j · n_crops`` to ``(j + 1) · n_crops − 1``.
    full : list of CompiledCrop
        Every column whole, in that order.
    split : list of int
        Crops evaluated in parts.
    common : list of CompiledCrop
        The unchanged part of each split crop.
    parts : list of list of CompiledCrop
        Per column set, the changed part of each split crop.
    whole : list of list of int
        Per column set, the columns matched whole.
    same : list of int
        Crops that rate no changed characteristic: their scenario columns are
        the baseline's.
    """

    n_crops: int
    full: list[CompiledCrop]
    split: list[int]
    common: list[CompiledCrop]
    parts: list[list[CompiledCrop]]
    whole: list[list[int]]
    same: list[int]


def plan_columns(compiled: Sequence[CompiledCrop], scenarios: Sequence[Scenario]) -> ColumnPlan:
    """Split each crop's columns into the part no scenario changes and the changed part.

    Build it once and reuse it for every tile (the kernel's tables are cached
    per set of compiled crops).
    """
    n = len(compiled)
    full = [*compiled, *(c for s in scenarios for c in scenario_columns(compiled, s))]
    changed = frozenset().union(*(s.changed for s in scenarios)) if scenarios else frozenset()
    split, same, whole_crops = [], [], []
    for i, cc in enumerate(compiled):
        touched = [c for c in cc.ratings if c in changed]
        if not touched:
            same.append(i)
        elif cc.aggregate == "minimum" and len(touched) < len(cc.ratings):
            split.append(i)
        else:
            whole_crops.append(i)
    common = [CompiledCrop(compiled[i].crop, {c: r for c, r in compiled[i].ratings.items()
                                              if c not in changed}, "minimum") for i in split]
    parts = [[CompiledCrop(full[j * n + i].crop,
                           {c: r for c, r in full[j * n + i].ratings.items()
                            if c.split("@")[0] in changed}, "minimum") for i in split]
             for j in range(len(scenarios) + 1)]
    whole = [[j * n + i for i in whole_crops] for j in range(len(scenarios) + 1)]
    return ColumnPlan(n, full, split, common, parts, whole, same)


def match_columns(plan: ColumnPlan, inputs: Mapping[str, Observed], *,
                  valid: NDArray[np.bool_] | None = None) -> list[Suitability]:
    """Match every column of ``plan``: the baseline's and each scenario's, per crop.

    Parameters
    ----------
    plan : ColumnPlan
    inputs : mapping of str to Observed
        The baseline characteristics and the scenarios' modified ones (keyed
        ``<id>@<scenario>``, :func:`aez.evaluate.scenarios.scenario_inputs`).
    valid : ndarray of bool, optional
        Where to evaluate.

    Returns
    -------
    list of Suitability
        One per column of ``plan.full``, each byte for byte ``match_crops`` of it.
    """
    n = plan.n_crops
    out: list[Suitability | None] = [None] * len(plan.full)
    common = match_crops(plan.common, inputs, valid=valid) if plan.split else []
    for j, parts in enumerate(plan.parts):
        whole = [plan.full[c] for c in plan.whole[j]]
        if j == 0:  # the crops no scenario changes are whole in the baseline set
            whole += [plan.full[i] for i in plan.same]
        matched = match_crops(whole, inputs, valid=valid) if whole else []
        for column, result in zip(plan.whole[j] + (plan.same if j == 0 else []), matched,
                                  strict=True):
            out[column] = result
        for t, part in enumerate(match_crops(parts, inputs, valid=valid) if parts else []):
            column = j * n + plan.split[t]
            out[column] = _joined(common[t], part, plan.full[column], inputs, valid)
    for i in plan.same:
        for j in range(1, len(plan.parts)):
            out[j * n + i] = out[i]
    return out  # type: ignore[return-value]


def _joined(a: Suitability, b: Suitability, whole: CompiledCrop,
            inputs: Mapping[str, Observed], valid: NDArray[np.bool_] | None) -> Suitability:
    """Combine two parts of one column; rematch the cells whose index the parts cannot give."""
    actual, potential, subclass, index = combine(a, b)
    redo = (actual == N) & ((a.actual == UNKNOWN) | (b.actual == UNKNOWN))
    if redo.any():
        cells = {k: replace(v, values=np.asarray(v.values)[redo]) for k, v in inputs.items()}
        index[redo] = match_crops([whole], cells)[0].index
    return Suitability(whole.crop.id, actual, potential, subclass, index, whole.evaluated,
                       whole.skipped)


def combine(a: Suitability, b: Suitability) -> tuple[NDArray[np.uint8], NDArray[np.uint8],
                                                     NDArray[np.uint16], NDArray[np.float32]]:
    """Join the matches of two disjoint sets of one crop's characteristics (see the module).

    Returns
    -------
    actual, potential : ndarray of uint8
    subclass : ndarray of uint16
    index : ndarray of float32
    """
    shape = a.actual.shape
    outs = (np.empty(shape, np.uint8), np.empty(shape, np.uint8), np.empty(shape, np.uint16),
            np.empty(shape, np.float32))
    _combine(a.actual.reshape(-1), a.potential.reshape(-1), a.subclass.reshape(-1),
             a.index.reshape(-1), b.actual.reshape(-1), b.potential.reshape(-1),
             b.subclass.reshape(-1), b.index.reshape(-1), outs[0].reshape(-1),
             outs[1].reshape(-1), outs[2].reshape(-1), outs[3].reshape(-1))
    return outs


@njit(nogil=True, cache=True)
def _combine(ac, ap, asub, aidx, bc, bp, bsub, bidx, oc, op, osub, oidx):  # pragma: no cover
    """Join two parts cell by cell (compiled; see :func:`combine`)."""
    for i in range(ac.size):
        ca, cb = ac[i], bc[i]
        if ca == 0:  # outside ``valid``: both parts are nodata alike
            oc[i], op[i], osub[i], oidx[i] = ca, ap[i], asub[i], aidx[i]
            continue
        ra, rb = _RANK[ca], _RANK[cb]
        if ra > rb:
            c, s = ca, asub[i]
        elif rb > ra:
            c, s = cb, bsub[i]
        else:
            c, s = ca, asub[i] | bsub[i]
        oc[i], osub[i] = c, s
        op[i] = ap[i] if _RANK[ap[i]] >= _RANK[bp[i]] else bp[i]
        x, y = aidx[i], bidx[i]
        if c == UNKNOWN:
            oidx[i] = np.nan
        elif x != x:
            oidx[i] = y
        elif y != y:
            oidx[i] = x
        else:
            oidx[i] = x if x < y else y
