"""The fused matching kernel: every characteristic of many crops in one compiled pass.

:func:`match_crops` returns, crop by crop, the same bytes as
:func:`aez.evaluate.reference.match_reference` (the numpy reference), but reads
each input once for all crops and keeps every intermediate value in the CPU
cache; :func:`aez.evaluate.match` runs it for arrays of
:data:`~aez.evaluate.matching.KERNEL_MIN_SIZE` cells or more. Give it all the
crops at once: the bins below are then found once for all of them.

**Bins.** Cells are taken in blocks of :data:`BLOCK`. For each characteristic,
a cell's *bin* among the union of all crops' ``float32`` breakpoints (the rule
of :meth:`~aez.evaluate.rating.Rating.bins`: left plus right insertion
position) is the previous cell's bin while the value stays inside it, else it
comes from a bucket table: ``(x - lo) * scale`` in ``float32`` picks one of
:data:`CELLS` cells, and only the breakpoints inside that cell are compared
with ``x``. Rounding is monotone, so a breakpoint in a lower cell lies below
``x`` and one in a higher cell above it: the bin is exact. Each crop's
breakpoints are a subset of the union, so the union bin names one bin of every
crop. A categorical code's bin is its legend slot.

**Crops.** The bin looks up, four crops at a time, in registers:

* a 64-bit *word*: the characteristic's quality bit in a 12-bit group per
  class (S2, S3, unknown, N), one bit per class present (bits 48–51) and one
  for its class after improvement (bits 52–55). OR-ing the words of all
  characteristics gives the land class (N before unknown before S3 before S2,
  the rule of ``reference._worst``), its subclass (that class's quality bits)
  and the potential class, with no per-quality arrays;
* the index ``intercept + slope · x`` in ``float64``. Its minimum is rounded
  to ``float32`` once: rounding is monotone, so this is the minimum of the
  rounded values that the reference takes with ``fmin`` (NaN is skipped).

OR and minimum can be taken in any grouping, so the characteristics that keep
their bin and value from cell to cell (soil-map attributes) are folded once
into a base that the next cells reuse, and only the others (slope, say) are
folded cell by cell.

Crops aggregated by geometric mean or square root run one at a time: the
kernel keeps each characteristic's index and the reference's numpy code
combines them, so they match it exactly too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
from numba import njit
from numpy.typing import NDArray

from aez.characteristics import APPLIES_WHERE_POSITIVE
from aez.errors import GridMismatchError, LayerKindError
from aez.evaluate.classes import S1, S2, S3, UNKNOWN, N, quality_bit
from aez.evaluate.rating import _STRAY, Rating
from aez.evaluate.reference import (
    CompiledCrop,
    Observed,
    Suitability,
    aggregate_indices,
    match_reference,
)

__all__ = ["BLOCK", "CELLS", "Inputs", "Outputs", "Tables", "match_crops", "pack"]

#: Cells per block: the block's bins stay in the L1/L2 cache.
BLOCK = 512
#: Bucket cells per numeric characteristic.
CELLS = 1024
#: Bit offset of the quality bits of each class in a word.
_GROUP = {S2: 0, S3: 12, UNKNOWN: 24, N: 36}
#: Bits 48–51 flag the classes present (S2, S3, unknown, N), bits 52–55 those after improvement.
_CLASSES, _POTENTIAL = 48, 52
#: Class, and shift of its quality bits, for each 4-bit set of groups present.
_LEVEL = np.array([S1, S2, S3, S3] + [UNKNOWN] * 4 + [N] * 8, np.uint8)
_SHIFT = np.array([0, 0, 12, 12] + [24] * 4 + [36] * 8, np.uint64)


class Tables(NamedTuple):
    """A group of crops' compiled tables, as :func:`_kernel` reads them (from :func:`pack`).

    ``k`` characteristics (rows), ``width`` bins per row, ``m`` crops padded to a
    multiple of 4. Built once per group of crops and reused tile after tile.

    Attributes
    ----------
    numeric : (k,) ndarray of bool
        Whether row ``c`` rates values (True) or class codes.
    lo, scale : (k,) ndarray of float32
        Bucket table of a numeric row: cell = (x − lo) · scale, in the
        characteristic's units and cells per unit.
    first, end : (k, CELLS) ndarray of int32
        The union breakpoints in each bucket cell: ``points[c, first:end]``.
    points : (k, p) ndarray of float32
        Union breakpoints of each numeric row (table units), NaN-padded.
    size : (k,) ndarray of int64
        Breakpoints of a numeric row; legend slots of a categorical one.
    stray : (k, width) ndarray of bool
        Categorical slots of a code outside the input's legend (an error).
    word, intercept, slope : (k · width · m,) ndarray of uint64, float64, float64
        Per row, bin and crop, flattened: the class word (see the module
        docstring) and the index line ``intercept + slope · x`` (index per unit).
    """

    numeric: NDArray[np.bool_]
    lo: NDArray[np.float32]
    scale: NDArray[np.float32]
    first: NDArray[np.int32]
    end: NDArray[np.int32]
    points: NDArray[np.float32]
    size: NDArray[np.int64]
    stray: NDArray[np.bool_]
    word: NDArray[np.uint64]
    intercept: NDArray[np.float64]
    slope: NDArray[np.float64]


class Inputs(NamedTuple):
    """The cells to evaluate (one tile, say), flattened to ``n`` cells, for :func:`_kernel`.

    Attributes
    ----------
    floats : (a, n) ndarray of float32
        Values of the numeric characteristics (table units; NaN missing).
    codes : (b, n) ndarray of int32
        Class codes of the categorical ones in legend slots (−1 missing).
    moot : (d, n) ndarray of bool
        Where a condition makes a characteristic not apply (e.g. no peat).
    source : (k,) ndarray of int64
        Row of ``floats`` (numeric) or ``codes`` (categorical) of each table row.
    condition : (k,) ndarray of int64
        Row of ``moot`` of each table row; −1 if it always applies.
    valid : (n,) or (0,) ndarray of bool
        Where to evaluate; empty for everywhere.
    """

    floats: NDArray[np.float32]
    codes: NDArray[np.int32]
    moot: NDArray[np.bool_]
    source: NDArray[np.int64]
    condition: NDArray[np.int64]
    valid: NDArray[np.bool_]


class Outputs(NamedTuple):
    """What :func:`_kernel` fills, per crop (``m`` rows, unpadded) and cell (``n`` columns).

    Attributes
    ----------
    actual, potential : (m, n) ndarray of uint8
        Class codes now and after feasible improvement (0 outside ``valid``).
    subclass : (m, n) ndarray of uint16
        Limiting-quality bit mask of the actual class.
    lowest : (m, n) ndarray of float32
        Lowest characteristic index (dimensionless, 0–1; NaN if unknown).
    per_char : (k, n) or (0, 0) ndarray of float32
        Each characteristic's index, for an aggregation other than the
        minimum; empty when not wanted.
    """

    actual: NDArray[np.uint8]
    potential: NDArray[np.uint8]
    subclass: NDArray[np.uint16]
    lowest: NDArray[np.float32]
    per_char: NDArray[np.float32]


def _word(cls: int, quality: str, steps: int) -> int:
    """Word of a characteristic in class ``cls`` (see the module docstring)."""
    order = (S2, S3, UNKNOWN, N)
    word = 0
    if cls != S1:
        word = quality_bit(quality) << _GROUP[cls] | 1 << (_CLASSES + order.index(cls))
    better = cls if cls == UNKNOWN else max(cls - steps, S1)
    if better != S1:
        word |= 1 << (_POTENTIAL + order.index(better))
    return word


def pack(crops: Sequence[Mapping[str, Rating]]) -> dict[str, Any]:
    """Lay out several crops' ratings (``CompiledCrop.ratings``) as the kernel's tables.

    Characteristics are rows, in order of first appearance. ``word``,
    ``intercept`` and ``slope`` have shape (characteristics, bins, crops padded
    to a multiple of 4); a numeric row's bins are followed by one for a
    missing value, every row ends with one for a cell where the characteristic
    does not apply. A crop without a characteristic, and the padding, get
    neutral entries (word 0, index NaN).
    """
    chars = list(dict.fromkeys(c for ratings in crops for c in ratings))
    rated = [[r[c] for r in crops if c in r] for c in chars]
    union = [np.unique(np.concatenate([r.points for r in rows]))
             if rows[0].points is not None else None for rows in rated]
    width = 1 + max(2 * len(u) + 2 if u is not None else len(rows[0].classes)
                    for u, rows in zip(union, rated, strict=True))
    k, m = len(chars), -(-len(crops) // 4) * 4
    p: dict[str, Any] = {
        "chars": chars, "numeric": np.array([u is not None for u in union]),
        "lo": np.zeros(k, np.float32), "scale": np.ones(k, np.float32),
        "first": np.zeros((k, CELLS), np.int32), "end": np.zeros((k, CELLS), np.int32),
        "points": np.full((k, 1 + max(len(u) for u in [(), *union] if u is not None)), np.nan,
                          np.float32),
        "size": np.zeros(k, np.int64), "stray": np.zeros((k, width), np.bool_),
        "word": np.zeros((k, width, m), np.uint64),
        "intercept": np.full((k, width, m), np.nan), "slope": np.zeros((k, width, m)),
    }
    for c, char in enumerate(chars):
        u = union[c]
        if u is None:
            p["size"][c] = len(rated[c][0].classes)
            p["stray"][c, :p["size"][c]] = rated[c][0].classes == _STRAY
        else:
            p["size"][c] = len(u)
            _bucket(p, c, u)
        for j, ratings in enumerate(crops):
            r = ratings.get(char)
            if r is not None:
                bins = np.arange(len(r.classes)) if u is None or r.points is None \
                    else _crop_bins(r.points, u)
                cls = np.where(r.classes[bins] == _STRAY, UNKNOWN, r.classes[bins])
                steps = r.steps[bins]
                if u is not None:  # and one more row: a missing value
                    bins, cls = np.append(bins, 0), np.append(cls, UNKNOWN)
                    steps = np.append(steps, 0)
                p["word"][c, :len(bins), j] = [_word(int(v), r.quality, int(s))
                                               for v, s in zip(cls, steps, strict=True)]
                p["intercept"][c, :len(bins), j] = r.intercept[bins]
                p["slope"][c, :len(bins), j] = r.slope[bins]
                if u is not None:
                    p["intercept"][c, len(bins) - 1, j] = np.nan
                    p["slope"][c, len(bins) - 1, j] = 0.0
    return p


def _bucket(p: dict[str, Any], c: int, u: NDArray[np.float32]) -> None:
    """Bucket table of the union breakpoints ``u`` of row ``c``."""
    if not len(u):
        return
    p["points"][c, :len(u)] = u
    p["lo"][c] = u[0]
    if u[-1] > u[0]:
        p["scale"][c] = np.float32(CELLS / (float(u[-1]) - float(u[0])))
    cells = [_cell(x, p["lo"][c], p["scale"][c]) for x in u]
    p["first"][c] = np.searchsorted(cells, np.arange(CELLS), "left")
    p["end"][c] = np.searchsorted(cells, np.arange(CELLS), "right")


def _crop_bins(points: NDArray[np.float32], u: NDArray[np.float32]) -> NDArray[np.intp]:
    """Return a crop's bin for each union bin: on union point j (2j + 1), or just below it (2j)."""
    bins = np.zeros(2 * len(u) + 1, np.intp)
    bins[1::2] = np.searchsorted(points, u, "left") + np.searchsorted(points, u, "right")
    bins[2::2] = 2 * np.searchsorted(points, u, "right")
    return bins


@njit(nogil=True, cache=True)
def _cell(x, lo, scale):
    """Bucket cell of a ``float32`` value: monotone in ``x``, clamped to the table."""
    t = (x - lo) * scale
    t = t if t > 0 else np.float32(0)
    return int(t if t < CELLS - 1 else np.float32(CELLS - 1))


@njit(nogil=True, cache=True, inline="always")
def _accumulate(word, intercept, slope, rows, xs, i, o, chars, count, acc):
    """Fold characteristics ``chars[:count]`` of cell ``i`` into crops ``o`` to ``o + 3``.

    ``acc`` holds the four crops' words and lowest indices (``inf``: none yet).
    """
    u = np.uint64
    a0, a1, a2, a3, l0, l1, l2, l3 = acc
    for e in range(count):
        c = chars[e]
        r = rows[i, c] + o
        x = xs[i, c]
        a0 |= word[r]
        a1 |= word[r + u(1)]
        a2 |= word[r + u(2)]
        a3 |= word[r + u(3)]
        v = intercept[r] + slope[r] * x
        l0 = v if v < l0 else l0
        v = intercept[r + u(1)] + slope[r + u(1)] * x
        l1 = v if v < l1 else l1
        v = intercept[r + u(2)] + slope[r + u(2)] * x
        l2 = v if v < l2 else l2
        v = intercept[r + u(3)] + slope[r + u(3)] * x
        l3 = v if v < l3 else l3
    return a0, a1, a2, a3, l0, l1, l2, l3


@njit(nogil=True, cache=True, inline="always")
def _decode(outs, j, i, a, low):
    """Class, potential class, subclass and index of crop ``j`` from its word and lowest index."""
    present = (a >> _CLASSES) & 0xF
    cls = _LEVEL[present]
    outs[0][j, i] = cls
    outs[1][j, i] = _LEVEL[(a >> _POTENTIAL) & 0xF]
    outs[2][j, i] = (a >> _SHIFT[present]) & 0xFFF
    outs[3][j, i] = np.nan if cls == UNKNOWN or low == np.inf else low


@njit(nogil=True, cache=True)
def _kernel(tables, inputs, outputs):
    """Rate every cell of ``inputs`` for every crop of ``tables``; fill ``outputs``.

    Cells are taken in blocks of :data:`BLOCK`: first each characteristic's
    bin (shared by all crops), then, four crops at a time, the OR of the
    words and the lowest index (see the module docstring).

    Parameters
    ----------
    tables : Tables
        The crops' compiled tables (:func:`pack`).
    inputs : Inputs
        The ``n`` cells' values and class codes, in the tables' row order.
    outputs : Outputs
        Arrays of ``n`` cells per crop, written in place.

    Returns
    -------
    int
        Cells with a class code outside the input's legend (a stray code); the
        caller then raises the reference's error.
    """
    floats, codes, moot = inputs.floats, inputs.codes, inputs.moot
    source, condition, valid = inputs.source, inputs.condition, inputs.valid
    numeric, lo, scale, size = tables.numeric, tables.lo, tables.scale, tables.size
    first, end, points, stray_slot = tables.first, tables.end, tables.points, tables.stray
    word, intercept, slope = tables.word, tables.intercept, tables.slope
    actual, potential, subclass = outputs.actual, outputs.potential, outputs.subclass
    index, per_char = outputs.lowest, outputs.per_char
    k = source.size
    m, n = actual.shape
    width = stray_slot.shape[1]
    padded = word.size // (k * width)
    keep = per_char.shape[0] > 0
    u = np.uint64
    rows = np.empty((BLOCK, k + 1), np.uint64)  # where each cell's row starts in the tables
    xs = np.zeros((BLOCK, k + 1), np.float64)
    rows[:, k] = (width - 1) * padded  # an extra column that rates nothing (NaN index)
    out_class = np.empty((m, BLOCK), np.uint8)  # outputs of a block, copied out by crop
    out_potential = np.empty((m, BLOCK), np.uint8)
    out_subclass = np.empty((m, BLOCK), np.uint16)
    out_index = np.empty((m, BLOCK), np.float32)
    outs = (out_class, out_potential, out_subclass, out_index)
    stable, volatile = np.empty(k, np.int64), np.empty(k, np.int64)
    changed = np.zeros(BLOCK, np.uint64)
    base_words, base_lows = np.zeros(padded, np.uint64), np.full(padded, np.inf)
    stray = 0
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        for c in range(k):  # the bins of every characteristic, shared by all crops
            row0, step = u(c * width * padded), u(padded)
            if numeric[c]:
                values, lo_c, scale_c = floats[source[c]], lo[c], scale[c]
                first_c, end_c, points_c = first[c], end[c], points[c]
                nan_row = row0 + u(2 * size[c] + 1) * step  # the row of a missing value
                # The last bin: an open interval (below, above), or one breakpoint (on).
                below = above = on = np.float32(np.nan)
                last = nan_row
                for g in range(start, stop):
                    x = values[g]
                    xs[g - start, c] = x if x == x else 0.0
                    if below < x < above or x == on:  # in the previous cell's bin (often)
                        rows[g - start, c] = last
                        continue
                    below = above = on = np.float32(np.nan)
                    last = nan_row
                    if x == x:  # points_c[size[c]] is NaN: past the last breakpoint
                        cell = _cell(x, lo_c, scale_c)
                        j0 = first_c[cell]
                        b = 2 * j0 + (points_c[j0] < x) + (points_c[j0] <= x)
                        for j in range(j0 + 1, end_c[cell]):
                            b += (points_c[j] < x) + (points_c[j] <= x)
                        last = row0 + u(b) * step
                        if b % 2:
                            on = points_c[b // 2]
                        else:
                            below = points_c[b // 2 - 1] if b else np.float32(-np.inf)
                            above = points_c[b // 2] if b < 2 * size[c] else np.float32(np.inf)
                    rows[g - start, c] = last
            else:
                values, stray_c = codes[source[c]], stray_slot[c]
                missing = size[c] - 2  # the slots of Rating.rate_codes
                for g in range(start, stop):
                    code = values[g]
                    slot = missing if code < 0 else code if code < missing else missing + 1
                    stray += stray_c[slot]
                    rows[g - start, c] = row0 + u(slot) * step
                    xs[g - start, c] = 0.0
            if condition[c] >= 0:  # cells where the characteristic does not apply
                where, moot_row = moot[condition[c]], row0 + u(width - 1) * step
                for g in range(start, stop):
                    if where[g]:
                        rows[g - start, c] = moot_row
                        xs[g - start, c] = 0.0
        # Characteristics that change from cell to cell in this block (slope, say) are
        # "volatile"; the others (soil-map attributes, say) keep their bin and value over
        # many cells, so their share of each crop's word and lowest index is kept as a
        # base and only rebuilt when one of them changes.
        n_stable = n_volatile = 0
        changed[:] = 0  # bit c: characteristic c changed since the previous cell
        steady = u(0)  # bits of the stable ones
        for c in range(k):
            changes = 0
            for i in range(1, stop - start):
                if rows[i, c] != rows[i - 1, c] or xs[i, c] != xs[i - 1, c]:
                    changed[i] |= u(1) << u(c)
                    changes += 1
            if changes * 8 > stop - start:
                volatile[n_volatile] = c
                n_volatile += 1
            else:
                stable[n_stable] = c
                n_stable += 1
                steady |= u(1) << u(c)
        fresh = False  # the base holds the stable characteristics of the previous cell
        for i in range(stop - start):
            if valid.size and not valid[start + i]:
                for j in range(m):
                    out_class[j, i] = out_potential[j, i] = out_subclass[j, i] = 0
                    out_index[j, i] = np.nan
                fresh = False
                continue
            if keep:
                for c in range(k):
                    r = rows[i, c]
                    per_char[c, start + i] = np.float32(intercept[r] + slope[r] * xs[i, c])
            fresh = fresh and not changed[i] & steady
            for o in range(0, m, 4):  # four crops at a time, in registers
                if not fresh:
                    acc = _accumulate(word, intercept, slope, rows, xs, i, u(o), stable,
                                      n_stable, (u(0), u(0), u(0), u(0),
                                                 np.inf, np.inf, np.inf, np.inf))
                    base_words[o:o + 4] = acc[0], acc[1], acc[2], acc[3]
                    base_lows[o:o + 4] = acc[4], acc[5], acc[6], acc[7]
                a0, a1, a2, a3, l0, l1, l2, l3 = _accumulate(
                    word, intercept, slope, rows, xs, i, u(o), volatile, n_volatile,
                    (base_words[o], base_words[o + 1], base_words[o + 2], base_words[o + 3],
                     base_lows[o], base_lows[o + 1], base_lows[o + 2], base_lows[o + 3]))
                _decode(outs, o, i, a0, l0)
                if o + 1 < m:
                    _decode(outs, o + 1, i, a1, l1)
                if o + 2 < m:
                    _decode(outs, o + 2, i, a2, l2)
                if o + 3 < m:
                    _decode(outs, o + 3, i, a3, l3)
            fresh = True
        for j in range(m):
            actual[j, start:stop] = out_class[j, :stop - start]
            potential[j, start:stop] = out_potential[j, :stop - start]
            subclass[j, start:stop] = out_subclass[j, :stop - start]
            index[j, start:stop] = out_index[j, :stop - start]
    return stray


def _stack(rows: list[NDArray[Any]], dtype: Any, n: int) -> NDArray[Any]:
    """Stack inputs of one kind as rows of a 2-D array (plain arrays: compiled code is cached)."""
    return np.stack(rows) if rows else np.empty((0, n), dtype)


def match_crops(crops: Sequence[CompiledCrop], inputs: Mapping[str, Observed], *,
                valid: NDArray[np.bool_] | None = None) -> list[Suitability]:
    """Evaluate land against several compiled crops in one pass.

    Each crop's :class:`~aez.evaluate.Suitability` is byte for byte that of
    :func:`~aez.evaluate.matching.match_reference`. Crops with the
    ``"minimum"`` index (and the same categorical legends) share one pass;
    the others run one at a time. Arguments as for :func:`~aez.evaluate.match`.
    """
    groups: list[tuple[dict[str, int], list[int]]] = []
    results: list[Suitability | None] = [None] * len(crops)
    for i, cc in enumerate(crops):
        if not cc.ratings or all(APPLIES_WHERE_POSITIVE.get(c) in inputs for c in cc.ratings):
            results[i] = match_reference(cc, inputs, valid=valid)  # no class can be S1 there
            continue
        sizes = {c: len(r.classes) for c, r in cc.ratings.items() if r.points is None}
        for have, members in groups:
            if cc.aggregate == "minimum" == crops[members[0]].aggregate and \
                    all(have.get(c, s) == s for c, s in sizes.items()):
                have.update(sizes)
                members.append(i)
                break
        else:
            groups.append((sizes, [i]))
    for _, members in groups:
        for i, result in zip(members, _run([crops[i] for i in members], inputs, valid),
                             strict=True):
            results[i] = result
    return results  # type: ignore[return-value]


@lru_cache(maxsize=64)
def _packed(crops: tuple[CompiledCrop, ...]) -> tuple[list[str], Tables]:
    """:func:`pack`, once per group of compiled crops (tile after tile).

    Parameters
    ----------
    crops : tuple of CompiledCrop
        The group, in output order.

    Returns
    -------
    chars : list of str
        The characteristic of each table row.
    tables : Tables
        The tables, as the kernel reads them.
    """
    p = pack([cc.ratings for cc in crops])
    return p["chars"], Tables(
        numeric=p["numeric"], lo=p["lo"], scale=p["scale"], first=p["first"], end=p["end"],
        points=p["points"], size=p["size"], stray=p["stray"], word=p["word"].reshape(-1),
        intercept=p["intercept"].reshape(-1), slope=p["slope"].reshape(-1))


def _run(crops: list[CompiledCrop], inputs: Mapping[str, Observed],
         valid: NDArray[np.bool_] | None) -> list[Suitability]:
    """Evaluate one group of crops (see :func:`match_crops`) in one kernel pass.

    Parameters
    ----------
    crops : list of CompiledCrop
        Crops whose categorical legends agree; all ``"minimum"``, or one crop.
    inputs : mapping of str to Observed
        Characteristic id → observed values (table units); all of one shape.
    valid : ndarray of bool, optional
        Where to evaluate (True); elsewhere every output is nodata.

    Returns
    -------
    list of Suitability
        One per crop, byte for byte that of the reference.
    """
    chars, tables = _packed(tuple(crops))
    floats: list[NDArray[np.float32]] = []  # stacked into 2-D arrays for the kernel
    codes: list[NDArray[np.int32]] = []
    moot: list[NDArray[np.bool_]] = []
    source = np.empty(len(chars), np.int64)
    condition = np.full(len(chars), -1, np.int64)
    shape = np.shape(inputs[chars[0]].values)
    for c, char in enumerate(chars):
        values = np.asarray(inputs[char].values)
        if values.shape != shape:
            raise GridMismatchError(f"Input {char!r} has shape {values.shape}, but "
                                    f"{chars[0]!r} has {shape}. Give every "
                                    "characteristic on one grid.")
        if tables.numeric[c]:
            source[c] = len(floats)
            floats.append(np.ascontiguousarray(values, dtype=np.float32).reshape(-1))
        else:
            source[c] = len(codes)
            codes.append(_codes(values, int(tables.size[c]) - 2))
        if APPLIES_WHERE_POSITIVE.get(char) in inputs:  # as match_reference decides it
            with np.errstate(invalid="ignore"):
                where = inputs[APPLIES_WHERE_POSITIVE[char]].values <= 0
            condition[c] = len(moot)
            moot.append(np.ascontiguousarray(np.broadcast_to(where, shape)).reshape(-1))
    n, m = int(np.prod(shape)), len(crops)
    aggregate = crops[0].aggregate
    flat_valid = np.empty(0, np.bool_) if valid is None else \
        np.ascontiguousarray(np.broadcast_to(valid, shape), dtype=np.bool_).reshape(-1)
    cells = Inputs(floats=_stack(floats, np.float32, n), codes=_stack(codes, np.int32, n),
                   moot=_stack(moot, np.bool_, n), source=source, condition=condition,
                   valid=flat_valid)
    out = Outputs(actual=np.empty((m, n), np.uint8), potential=np.empty((m, n), np.uint8),
                  subclass=np.empty((m, n), np.uint16), lowest=np.empty((m, n), np.float32),
                  per_char=np.full((len(chars), n) if aggregate != "minimum" else (0, 0),
                                   np.nan, np.float32))
    stray = _kernel(tables, cells, out)
    actual, potential, subclass, index = out.actual, out.potential, out.subclass, out.lowest
    if stray:
        for cc in crops:  # the reference names the first stray input, as it would
            for char, rating in cc.ratings.items():
                if rating.points is None:
                    rating.rate_codes(inputs[char].values)
    if aggregate != "minimum":
        weights = [cc.ratings[c].rule.weight for cc in crops for c in chars]
        index = aggregate_indices(list(out.per_char), weights, aggregate)[None]
        index[actual == UNKNOWN] = np.nan
        if valid is not None:
            index[:, ~flat_valid] = np.nan
    return [Suitability(cc.crop.id, actual[j].reshape(shape), potential[j].reshape(shape),
                        subclass[j].reshape(shape), index[j].reshape(shape), cc.evaluated,
                        cc.skipped) for j, cc in enumerate(crops)]


def _codes(values: NDArray[Any], missing: int) -> NDArray[np.int32]:
    """Class codes as contiguous int32, in the same slots (see the kernel)."""
    if values.dtype == np.int32:
        return np.ascontiguousarray(values).reshape(-1)
    if values.dtype.kind not in "iu":
        raise LayerKindError(f"Class codes must be integers; got dtype {values.dtype}. Read "
                             "the layer as categorical with integer codes.")
    out = np.full(values.shape, -1, np.int32)
    known = values >= 0
    out[known] = np.minimum(values[known], missing)
    return out.reshape(-1)
