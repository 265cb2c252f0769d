"""Rate one land characteristic against one crop's bands: class code and index.

A :class:`Rating` is a crop rule compiled for fast, vectorised matching.

**Classes.** Numeric values are located among the band edges with two binary
searches, so that a value exactly on an edge can take the more suitable of the
two neighbouring classes (the schema's edge rule). Values are compared in
``float32``: a raster and a table holding the same number get the same class.
NaN gives :data:`~aez.evaluate.classes.UNKNOWN`.

**Index.** A piecewise-linear membership in [0, 1] through the band edges. Each
class owns a slice of the index:

=====  =============
class  index range
=====  =============
S1     0.75 – 1
S2     0.50 – 0.75
S3     0.25 – 0.50
N      0 – 0.25
=====  =============

so an S1/S2 edge sits at 0.75, S2/S3 at 0.5 and S3/N at 0.25, and a value in
class S2 never scores above an S1 value. Within a band the index runs linearly
from the end next to a worse band (the low end of the class's range) to the
end next to a better band (the high end). The best band, with worse bands on
both sides, peaks at its midpoint (a tent: pH 6.5 in S1 5.5–7.5 scores 1).
An outer band open to ±inf ramps over the width of its neighbouring band and
is flat beyond; an outer band that ends at the physical domain (slope 0 %)
runs linearly to that end. Where the class jumps by more than one step at an
edge, the index jumps too, and the edge value belongs to the better band.
Categorical classes score the middle of their range (S1 scores 1).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from aez.crops.schema import CategoricalRule, NumericRule, Rule
from aez.evaluate.classes import UNKNOWN

__all__ = ["INDEX_RANGE", "Rating", "compile_rule"]

#: Index range (low, high) owned by each class code 1–4.
INDEX_RANGE: dict[int, tuple[float, float]] = {
    1: (0.75, 1.0), 2: (0.5, 0.75), 3: (0.25, 0.5), 4: (0.0, 0.25),
}
#: Index of a categorical class.
CATEGORICAL_INDEX: dict[int, float] = {1: 1.0, 2: 0.625, 3: 0.375, 4: 0.125}


@dataclass(frozen=True, eq=False)
class Rating:
    """A rule compiled for matching.

    For numeric rules, ``points`` are the sorted breakpoints (band edges, tent
    peaks, ramp ends) in ``float32``. A value's *bin* is the sum of its left and
    right insertion positions among the points: even bins ``2j`` lie strictly
    between points, odd bins ``2j + 1`` exactly on point *j*. ``classes``,
    ``intercept`` and ``slope`` are looked up by bin. For categorical rules the
    same arrays are looked up by class code of the input's legend. ``steps``
    holds the classes a feasible improvement gains in each bin (0 on the side
    of the best band that the rule's ``improves`` leaves out).
    """

    rule: Rule
    points: NDArray[np.float32] | None
    classes: NDArray[np.uint8]
    intercept: NDArray[np.float64]
    slope: NDArray[np.float64]
    steps: NDArray[np.uint8]

    @property
    def quality(self) -> str:
        """Land-quality code of the rule (e.g. ``"tc"``)."""
        return self.rule.quality

    def bins(self, values: NDArray[np.floating]) -> NDArray[np.intp]:
        """Bin of each numeric value (see the class docstring)."""
        if self.points is None:
            raise TypeError("categorical ratings take class codes, not values")
        x = np.asarray(values, dtype=np.float32)
        return np.searchsorted(self.points, x, "left") + np.searchsorted(self.points, x, "right")

    def rate(self, values: NDArray[Any]) -> tuple[NDArray[np.uint8], NDArray[np.float32]]:
        """Class codes and index of numeric values (NaN → UNKNOWN and NaN), or of class codes."""
        if self.points is None:
            return self.rate_codes(values)
        x = np.asarray(values, dtype=np.float32)
        b = self.bins(x)
        classes = self.classes[b]
        index = (self.intercept[b] + self.slope[b] * x).astype(np.float32)
        missing = np.isnan(x)
        if missing.any():
            classes[missing] = UNKNOWN
            index[missing] = np.nan
        return classes, index

    def rate_codes(self, codes: NDArray[np.integer]
                   ) -> tuple[NDArray[np.uint8], NDArray[np.float32]]:
        """Class codes and index of categorical class codes (the nodata sentinel → UNKNOWN).

        A code that the input's legend does not name is an error, never a class.
        """
        codes = np.asarray(codes)
        missing, stray = len(self.classes) - 2, len(self.classes) - 1
        slots = np.where(codes < 0, missing, np.where(codes >= missing, stray, codes))
        classes = self.classes[slots]
        stray = classes == _STRAY
        if stray.any():
            from aez.errors import DataSourceError

            seen = sorted(set(np.unique(codes[stray]).tolist()))
            raise DataSourceError(
                f"{self.rule.characteristic} has class codes {seen} that its legend does not "
                "name. Add them to the layer's legend (code = \"label\")."
            )
        return classes, self.intercept[slots].astype(np.float32)


    def improvement_steps(self, values: NDArray[Any]) -> NDArray[np.uint8]:
        """Classes a feasible improvement gains for each value (0 where it does not help)."""
        if self.points is None:
            codes = np.asarray(values)
            missing, stray = len(self.classes) - 2, len(self.classes) - 1
            return self.steps[np.where(codes < 0, missing, np.where(codes >= missing, stray,
                                                                     codes))]
        return self.steps[self.bins(values)]


#: Marks a categorical code outside the input's legend.
_STRAY = 255


def compile_rule(rule: Rule, legend: dict[int, str] | None = None) -> Rating:
    """Compile a crop rule; categorical rules need the input's ``legend`` (code → label).

    >>> from aez.crops import load_crop
    >>> rating = compile_rule(load_crop("jagung").rules["slope"])
    >>> classes, index = rating.rate(np.array([0.0, 4.0, 8.0, 8.5, 15.0, 60.0]))
    >>> classes.tolist(), [round(float(v), 3) for v in index]
    ([1, 1, 1, 2, 2, 4], [1.0, 0.875, 0.75, 0.732, 0.5, 0.0])
    """
    if isinstance(rule, CategoricalRule):
        return _compile_categorical(rule, legend or {})
    return _compile_numeric(rule)


def _compile_categorical(rule: CategoricalRule, legend: dict[int, str]) -> Rating:
    from aez.errors import ConfigError

    unknown = sorted(set(legend.values()) - set(rule.classes))
    if unknown:
        raise ConfigError(
            f"{rule.characteristic} class {unknown[0]!r} is not a known class; the crop tables use "
            f"{', '.join(rule.classes)}. Relabel the layer's legend or the table's values."
        )
    size = max(legend, default=-1) + 3  # two more slots: the nodata sentinel, stray codes
    classes = np.full(size, _STRAY, dtype=np.uint8)
    classes[-2] = UNKNOWN
    intercept = np.full(size, np.nan)
    steps = np.zeros(size, dtype=np.uint8)
    for code, label in legend.items():
        if code >= 0:
            classes[code] = rule.classes[label]
            intercept[code] = CATEGORICAL_INDEX[rule.classes[label]]
            steps[code] = rule.improvement if label in rule.improves else 0
    return Rating(rule, None, classes, intercept, np.zeros(size), steps)


def _compile_numeric(rule: NumericRule) -> Rating:
    knots = _index_knots(rule)  # (x, value) pairs, x non-decreasing, duplicated at jumps
    points = np.array(sorted({x for x, _, _ in knots if math.isfinite(x)}), dtype=np.float64)
    n = len(points)
    classes = np.empty(2 * n + 1, dtype=np.uint8)
    intercept = np.empty(2 * n + 1)
    slope = np.zeros(2 * n + 1)
    edges = np.array(rule.edges, dtype=np.float32)
    cls = np.array(rule.classes, dtype=np.uint8)
    steps = np.zeros(2 * n + 1, dtype=np.uint8)
    best = rule.classes.index(min(rule.classes))
    best_low = rule.edges[best - 1] if best > 0 else -math.inf
    best_high = rule.edges[best] if best < len(rule.edges) else math.inf
    helped = {"below": lambda x: x < best_low, "above": lambda x: x > best_high,
              "both": lambda x: True}[rule.improves]
    for j in range(n + 1):
        # Interior of segment j: between points[j-1] and points[j].
        lo = points[j - 1] if j > 0 else -math.inf
        hi = points[j] if j < n else math.inf
        probe = _probe(lo, hi)
        classes[2 * j] = cls[np.searchsorted(edges, np.float32(probe), "left")]
        a, b = _segment(knots, lo, hi)
        intercept[2 * j], slope[2 * j] = a, b
        steps[2 * j] = rule.improvement if helped(probe) else 0
        if j < n:
            steps[2 * j + 1] = rule.improvement if helped(points[j]) else 0
            x = np.float32(points[j])
            both = cls[[np.searchsorted(edges, x, "left"), np.searchsorted(edges, x, "right")]]
            classes[2 * j + 1] = both.min()
            intercept[2 * j + 1] = _value_at(knots, float(points[j]), int(both.min()))
    return Rating(rule, points.astype(np.float32), classes, intercept, slope, steps)


def _probe(lo: float, hi: float) -> float:
    if math.isinf(lo) and math.isinf(hi):
        return 0.0
    if math.isinf(lo):
        return hi - 1.0
    if math.isinf(hi):
        return lo + 1.0
    return (lo + hi) / 2


def _index_knots(rule: NumericRule) -> list[tuple[float, float, int]]:
    """Knots ``(x, index, class)`` of the membership curve, band by band."""
    classes = rule.classes
    lows = [max(rule.bounds[0][0], rule.domain[0]), *rule.edges]
    highs = [*rule.edges, min(rule.bounds[-1][1], rule.domain[1])]
    knots: list[tuple[float, float, int]] = []
    for i, (c, lo, hi) in enumerate(zip(classes, lows, highs, strict=True)):
        low_v, high_v = INDEX_RANGE[c]
        left = None if i == 0 else (low_v if classes[i - 1] > c else high_v)
        right = None if i == len(classes) - 1 else (low_v if classes[i + 1] > c else high_v)
        if left is None and right is None:
            knots += [(-math.inf, high_v, c), (math.inf, high_v, c)]
        elif left is not None and right is not None:
            if left != right:
                knots += [(lo, left, c), (hi, right, c)]
            else:  # the best band (a tent); worse pockets are refused by the schema
                peak = high_v if left == low_v else low_v
                knots += [(lo, left, c), ((lo + hi) / 2, peak, c), (hi, right, c)]
        else:
            near = left if left is not None else right
            assert near is not None  # an outer band shares exactly one edge
            far = high_v if near == low_v else low_v
            knots += _outer_band(rule, i, lo, hi, near, far, c, open_left=left is None)
    # Beyond a finite domain end, values keep the end's index.
    if math.isfinite(knots[0][0]):
        knots.insert(0, (-math.inf, *knots[0][1:]))
    if math.isfinite(knots[-1][0]):
        knots.append((math.inf, *knots[-1][1:]))
    return knots


def _outer_band(rule: NumericRule, i: int, lo: float, hi: float, near: float, far: float,
                c: int, *, open_left: bool) -> list[tuple[float, float, int]]:
    """Knots of the first or last band: linear to a finite end, else a ramp then flat."""
    end = lo if open_left else hi
    edge = hi if open_left else lo
    if math.isfinite(end):
        pairs = [(end, far), (edge, near)]
    else:
        j = i + 1 if open_left else i - 1
        neighbour = [*rule.edges, math.inf][j] - ([-math.inf, *rule.edges][j])
        ramp = neighbour if math.isfinite(neighbour) else 0.0
        start = edge - ramp if open_left else edge + ramp
        pairs = [(end, far), (start, far), (edge, near)] if ramp else [(end, far), (edge, far)]
    if not open_left:
        pairs.reverse()
    return [(x, v, c) for x, v in pairs]


def _segment(knots: list[tuple[float, float, int]], lo: float, hi: float) -> tuple[float, float]:
    """Intercept and slope of the membership curve between consecutive points lo < hi."""
    probe = _probe(lo, hi)
    for (x0, v0, _), (x1, v1, _) in itertools.pairwise(knots):
        if x0 <= probe <= x1 and x0 < x1:
            if math.isinf(x0) or math.isinf(x1) or v0 == v1:
                return v0 if math.isinf(x1) else v1, 0.0
            b = (v1 - v0) / (x1 - x0)
            return v0 - b * x0, b
    raise AssertionError("membership knots do not cover the real line")  # pragma: no cover


def _value_at(knots: list[tuple[float, float, int]], x: float, cls: int) -> float:
    """Index exactly at a breakpoint: the value of the band that owns it (the better one)."""
    values = [v for kx, v, c in knots if kx == x and c == cls]
    return max(values)
