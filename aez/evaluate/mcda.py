"""Multi-criteria weighting: AHP weights, fuzzy standardisation, weighted linear combination.

These serve criteria that crop tables do not cover (market access, labour,
cooperatives) and the scoring of kecamatan × commodity.

**AHP.** Weights are the principal eigenvector of a reciprocal pairwise
comparison matrix on Saaty's 1–9 scale (Saaty 1977, 1980). Consistency:
CI = (λmax − n)/(n − 1) and CR = CI / RI(n), with Saaty's random indices
RI = 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49 for n = 1…10
(Saaty, T.L. 1980, *The Analytic Hierarchy Process*, McGraw-Hill). Judgements
with CR > 0.1 are refused unless the caller allows them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from aez.errors import ConfigError

__all__ = ["RANDOM_INDEX", "AHPResult", "ahp_weights", "fuzzy_membership", "weighted_overlay"]

#: Saaty's random consistency index by matrix order n (Saaty 1980).
RANDOM_INDEX: dict[int, float] = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32,
                                  8: 1.41, 9: 1.45, 10: 1.49}
#: The largest consistency ratio Saaty accepts.
MAX_CONSISTENCY_RATIO = 0.1


@dataclass(frozen=True)
class AHPResult:
    """Weights and consistency of a pairwise comparison matrix."""

    weights: NDArray[np.float64]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float
    labels: tuple[str, ...] | None = None

    def as_dict(self) -> dict[str, float]:
        """Weights by criterion label (criteria are numbered when unlabelled)."""
        labels = self.labels or tuple(str(i) for i in range(len(self.weights)))
        return dict(zip(labels, self.weights.tolist(), strict=True))


def ahp_weights(pairwise: ArrayLike, *, labels: Sequence[str] | None = None,
                allow_inconsistent: bool = False, tolerance: float = 1e-6) -> AHPResult:
    """AHP weights of a reciprocal pairwise comparison matrix.

    Parameters
    ----------
    pairwise : (n, n) array_like
        ``a[i, j]`` = how much more important criterion *i* is than *j*
        (1–9 scale); ``a[j, i] = 1 / a[i, j]`` and ``a[i, i] = 1``.
    labels : sequence of str, optional
        Criterion names, kept on the result.
    allow_inconsistent : bool
        Accept a consistency ratio above 0.1 (otherwise an error).
    tolerance : float
        Relative tolerance of the reciprocity check.

    Returns
    -------
    AHPResult
        ``weights`` (sum 1), ``lambda_max``, ``consistency_index`` and
        ``consistency_ratio`` (0 for n ≤ 2, which are always consistent).

    Examples
    --------
    >>> result = ahp_weights([[1, 3, 5], [1/3, 1, 5/3], [1/5, 3/5, 1]])
    >>> result.weights.round(3).tolist(), round(result.consistency_ratio, 6)
    ([0.652, 0.217, 0.13], 0.0)
    """
    a = np.asarray(pairwise, dtype=np.float64)
    n = a.shape[0] if a.ndim == 2 else 0
    if a.ndim != 2 or a.shape != (n, n) or n == 0:
        raise ConfigError(f"A pairwise comparison matrix must be square; got shape {a.shape}.")
    if labels is not None and len(labels) != n:
        raise ConfigError(f"{len(labels)} labels for a {n} × {n} comparison matrix.")
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise ConfigError("Pairwise comparisons must be positive numbers (Saaty's 1–9 scale "
                          "and their reciprocals).")
    if not np.allclose(a * a.T, 1.0, rtol=tolerance, atol=0):
        i, j = np.argwhere(~np.isclose(a * a.T, 1.0, rtol=tolerance, atol=0))[0]
        raise ConfigError(f"The comparison matrix is not reciprocal: a[{i},{j}] = {a[i, j]:g} "
                          f"but a[{j},{i}] = {a[j, i]:g} (expected {1 / a[i, j]:g}).")
    if n > max(RANDOM_INDEX):
        raise ConfigError(f"{n} criteria: Saaty's random index is tabulated up to "
                          f"{max(RANDOM_INDEX)}. Group the criteria into a hierarchy.")
    eigenvalues, eigenvectors = np.linalg.eig(a)
    k = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, k].real)
    weights = vector / vector.sum()
    lambda_max = float(eigenvalues[k].real)
    ci = max((lambda_max - n) / (n - 1), 0.0) if n > 2 else 0.0
    cr = ci / RANDOM_INDEX[n] if n > 2 else 0.0
    if cr > MAX_CONSISTENCY_RATIO and not allow_inconsistent:
        raise ConfigError(
            f"The pairwise comparisons are inconsistent: CR = {cr:.3f} > "
            f"{MAX_CONSISTENCY_RATIO} (λmax = {lambda_max:.3f}, n = {n}). Revise the "
            "judgements, or pass allow_inconsistent=True to accept them."
        )
    return AHPResult(weights, lambda_max, ci, cr, None if labels is None else tuple(labels))


Shape = Literal["linear", "sigmoid"]


def fuzzy_membership(values: ArrayLike, *, low: float, high: float, increasing: bool = True,
                     shape: Shape = "linear") -> NDArray[np.float32]:
    """Standardise a criterion to [0, 1] between two control points.

    ``increasing`` memberships are 0 at or below ``low`` and 1 at or above
    ``high`` (decreasing ones the reverse); in between they rise linearly or
    along a sigmoid (the cosine-squared curve of IDRISI/TerrSet's FUZZY).
    NaN stays NaN.

    >>> fuzzy_membership([0, 30, 60, 90], low=30, high=90, increasing=False).tolist()
    [1.0, 1.0, 0.5, 0.0]
    """
    if not high > low:
        raise ConfigError(f"Fuzzy control points need low < high; got low = {low}, high = {high}.")
    if shape not in ("linear", "sigmoid"):
        raise ConfigError(f"shape = {shape!r}; expected 'linear' or 'sigmoid'.")
    x = np.asarray(values, dtype=np.float64)
    t = np.clip((x - low) / (high - low), 0.0, 1.0)
    if shape == "sigmoid":
        t = np.sin(t * np.pi / 2) ** 2
    return (t if increasing else 1.0 - t).astype(np.float32)


def weighted_overlay(criteria: Mapping[str, ArrayLike],
                     weights: Mapping[str, float]) -> NDArray[np.float32]:
    """Weighted linear combination of standardised criteria (weights normalised to sum 1).

    Every criterion must have a weight and vice versa; NaN in any criterion
    gives NaN.

    >>> weighted_overlay({"a": [1.0, 0.0], "b": [0.5, 1.0]}, {"a": 3, "b": 1}).tolist()
    [0.875, 0.25]
    """
    if set(criteria) != set(weights):
        raise ConfigError(f"Criteria {sorted(criteria)} and weights {sorted(weights)} differ.")
    total = float(sum(weights.values()))
    if total <= 0 or any(w < 0 for w in weights.values()):
        raise ConfigError(f"Weights must be non-negative with a positive sum; got {dict(weights)}.")
    names = sorted(criteria)
    out = np.zeros(np.shape(criteria[names[0]]), dtype=np.float64)
    for name in names:  # a fixed order keeps the float sum deterministic
        out += np.asarray(criteria[name], dtype=np.float64) * (weights[name] / total)
    return out.astype(np.float32)
