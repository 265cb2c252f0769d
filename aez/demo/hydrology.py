"""Lakes, flow routing and the river network of the demo region.

1. **Lakes.** Each designed basin (the floodplain bowl, the volcano's crater)
   is filled on the analysis grid to the highest water level at which the
   water body stays closed (a binary search over the level; the lake is the
   4-connected component below it). Lake cells get the water level, as in
   SRTM-like DEMs.
2. **Routing.** The DEM is averaged onto a routing grid of at most about
   300 000 cells (a whole multiple of the analysis cell). Depressions are
   filled by priority-flood with an ε gradient (Barnes et al. 2014, with
   :mod:`heapq`), every cell drains to its steepest lower D8 neighbour, and
   flow accumulation is summed from the highest cell down.
3. **Rivers.** Cells whose upstream area exceeds a threshold are river
   cells. The network is split into segments at sources, confluences and
   outlets, with the Strahler order of each segment. Each segment is mapped to
   the analysis grid through the lowest cell of every routing cell it passes
   and the chain of cells between them.
4. **Burning.** The river cells are lowered by a channel depth that grows
   with the order, and then every segment, upstream segments first, is made
   non-increasing downstream (a running minimum), repeated until nothing
   changes. Sampling the DEM at the vertices of a river line, from its first
   vertex (upstream) to its last (downstream), therefore never rises.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

__all__ = ["Hydrology", "Segment", "fill_lake", "priority_flood", "route"]

#: Upper bound on routing-grid cells; the routing cell is the smallest multiple of the
#: analysis cell that keeps the grid below it.
ROUTING_CELLS = 300_000

_OFFSETS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))


@dataclass(frozen=True)
class Segment:
    """A river segment on the analysis grid, from upstream to downstream.

    Attributes
    ----------
    rows, cols : ndarray of int
        Cells of the segment, upstream first.
    order : int
        Strahler order.
    area_km2 : float
        Upstream catchment area at the segment's downstream end (km²).
    basin : int
        Id of the outlet the segment drains to.
    """

    rows: np.ndarray
    cols: np.ndarray
    order: int
    area_km2: float
    basin: int


@dataclass(frozen=True, eq=False)
class Hydrology:
    """The hydrologically conditioned DEM, lakes and river segments."""

    dem: np.ndarray
    lakes: np.ndarray
    lake_levels: tuple[float, ...]
    segments: tuple[Segment, ...]
    river_order: np.ndarray
    factor: int


def fill_lake(dem: np.ndarray, valid: np.ndarray, centre: tuple[int, int], *,
              radius: int, max_rise: float = 30.0) -> tuple[np.ndarray, float] | None:
    """Fill the closed depression around ``centre`` to its highest closed water level.

    Parameters
    ----------
    dem : ndarray
        Elevation (m).
    valid : ndarray of bool
        Cells in the study area.
    centre : (row, col)
        A cell in the depression.
    radius : int
        Half size of the search window (cells); a lake reaching the window's
        edge counts as not closed.
    max_rise : float
        Largest level above the lowest cell near the centre (m).

    Returns
    -------
    (mask, level) or None
        Boolean lake mask over ``dem`` and the water level (m), or None when
        there is no closed depression there.
    """
    r0, c0 = centre
    rs = slice(max(r0 - radius, 0), min(r0 + radius + 1, dem.shape[0]))
    cs = slice(max(c0 - radius, 0), min(c0 + radius + 1, dem.shape[1]))
    z = np.where(valid[rs, cs], dem[rs, cs], -np.inf)
    closed_edge = np.zeros(z.shape, dtype=bool)
    closed_edge[[0, -1], :] = closed_edge[:, [0, -1]] = True
    closed_edge |= ~valid[rs, cs]
    cr, cc = r0 - rs.start, c0 - cs.start
    near = z[max(cr - 2, 0):cr + 3, max(cc - 2, 0):cc + 3]
    seed = np.unravel_index(np.argmax(np.where(np.isfinite(near), -near, -np.inf)), near.shape)
    sr, sc = seed[0] + max(cr - 2, 0), seed[1] + max(cc - 2, 0)
    low = float(z[sr, sc])
    if not np.isfinite(low):
        return None

    def component(level: float) -> np.ndarray | None:
        labels, _ = ndimage.label(z <= level)
        part = labels == labels[sr, sc]
        return None if (part & closed_edge).any() else part

    lo, hi = low, low + max_rise
    if component(lo + 0.05) is None:
        return None
    lo += 0.05
    for _ in range(20):
        mid = 0.5 * (lo + hi)
        if component(mid) is None:
            hi = mid
        else:
            lo = mid
    part = component(lo)
    if part is None or part.sum() < 4:
        return None
    mask = np.zeros(dem.shape, dtype=bool)
    mask[rs, cs] = part
    return mask, round(lo, 2)


def priority_flood(z: np.ndarray, valid: np.ndarray, *, eps: float = 1e-3,
                   jitter: np.ndarray | None = None) -> np.ndarray:
    """Fill depressions so that every valid cell drains to the edge of the valid area.

    Seeds are the valid cells next to an invalid cell or the array edge. Each
    cell is raised to at least ``eps`` above the cell it was reached from, so
    the result has no flats and strict descent exists from every cell. With
    ``jitter`` (values in [0, 1) per cell) the rise is ``eps * (0.1 + jitter)``,
    so flow paths across filled flats wander instead of running straight.

    >>> z = np.array([[5., 5, 5, 5], [5, 1, 2, 5], [5, 5, 5, 5]])
    >>> priority_flood(z, np.ones(z.shape, bool), eps=0.5)[1].tolist()
    [5.0, 5.5, 5.5, 5.0]
    """
    h, w = z.shape
    edge = ~ndimage.binary_erosion(np.pad(valid, 1), structure=np.ones((3, 3)))[1:-1, 1:-1]
    seeds = np.flatnonzero(valid & edge)
    filled = z.ravel().astype(np.float64).tolist()
    rise = (np.full(z.shape, eps) if jitter is None else eps * (0.1 + jitter)).ravel().tolist()
    closed = (~valid).ravel().tolist()
    for i in seeds.tolist():
        closed[i] = True
    heap = [(filled[i], i) for i in seeds.tolist()]
    heapq.heapify(heap)
    pop, push = heapq.heappop, heapq.heappush
    n = h * w
    offsets = [(dr * w + dc, dc) for dr, dc in _OFFSETS]
    while heap:
        level, i = pop(heap)
        col = i % w
        for off, dc in offsets:
            j = i + off
            if j < 0 or j >= n or closed[j] or not 0 <= col + dc < w:
                continue
            closed[j] = True
            zj = filled[j]
            if zj <= level:
                zj = level + rise[j]
                filled[j] = zj
            push(heap, (zj, j))
    return np.asarray(filled).reshape(h, w)


def _d8(filled: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Flat index of each valid cell's steepest lower neighbour (-1: drains out)."""
    h, w = filled.shape
    padded = np.pad(np.where(valid, filled, np.inf), 1, constant_values=np.inf)
    best = np.zeros((h, w))
    target = np.full((h, w), -1, dtype=np.int64)
    rows, cols = np.mgrid[0:h, 0:w]
    for dr, dc in _OFFSETS:
        neighbour = padded[1 + dr:1 + dr + h, 1 + dc:1 + dc + w]
        drop = (filled - neighbour) / math.hypot(dr, dc)
        better = valid & (drop > best)
        best = np.where(better, drop, best)
        target = np.where(better, (rows + dr) * w + (cols + dc), target)
    return target.ravel()


def _block(dem: np.ndarray, valid: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Routing grid: block means, block validity, and each block's lowest analysis cell."""
    h, w = dem.shape
    hh, ww = -(-h // k), -(-w // k)
    z = np.full((hh * k, ww * k), np.nan)
    z[:h, :w] = np.where(valid, dem, np.nan)
    blocks = z.reshape(hh, k, ww, k).transpose(0, 2, 1, 3).reshape(hh, ww, k * k)
    ok = np.asarray(np.isfinite(blocks).any(axis=2))
    with np.errstate(invalid="ignore"):
        mean = np.where(ok, np.nanmean(np.where(ok[..., None], blocks, 0.0), axis=2), np.nan)
    low = np.argmin(np.where(np.isfinite(blocks), blocks, np.inf), axis=2)
    br, bc = np.mgrid[0:hh, 0:ww]
    anchor = (br * k + low // k) * w + (bc * k + low % k)
    return mean, ok, anchor


def _chain(r0: int, c0: int, r1: int, c1: int) -> list[tuple[int, int]]:
    n = max(abs(r1 - r0), abs(c1 - c0))
    if n == 0:
        return []
    t = np.arange(1, n + 1) / n
    rows = np.rint(r0 + (r1 - r0) * t).astype(int)
    cols = np.rint(c0 + (c1 - c0) * t).astype(int)
    return list(zip(rows.tolist(), cols.tolist(), strict=True))


def _channel_depth(order: int) -> float:
    """Depth of the channel below the valley floor (m), growing with the Strahler order."""
    return 0.5 + 0.5 * order


def route(dem: np.ndarray, valid: np.ndarray, *, res: float, min_area_km2: float,
          lake_seeds: tuple[tuple[int, int, int], ...] = (),
          rng: np.random.Generator | None = None) -> Hydrology:
    """Fill lakes, route flow and burn the river network into the DEM.

    Parameters
    ----------
    dem : ndarray
        Elevation (m), NaN outside the study area.
    valid : ndarray of bool
        Study-area cells.
    res : float
        Cell size (m).
    min_area_km2 : float
        Upstream area at which a river starts (km²).
    lake_seeds : tuple of (row, col, radius)
        Designed lake basins: a cell inside and the search radius (cells).
    rng : numpy Generator, optional
        Source of the ε jitter of :func:`priority_flood`.
    """
    dem = dem.copy()
    lakes = np.zeros(dem.shape, dtype=np.int16)
    levels: list[float] = []
    for row, col, radius in lake_seeds:
        found = fill_lake(dem, valid, (row, col), radius=radius)
        if found is None:
            continue
        mask, level = found
        levels.append(level)
        lakes[mask & (lakes == 0)] = len(levels)
        dem[mask] = level

    w = dem.shape[1]
    k = max(1, math.ceil(math.sqrt(valid.sum() / ROUTING_CELLS)))
    zc, okc, anchor = _block(dem, valid, k)
    jitter = None if rng is None else rng.random(zc.shape)
    filled = priority_flood(np.where(okc, zc, 0.0), okc, eps=1e-3, jitter=jitter)
    down = _d8(filled, okc)
    cell_km2 = (k * res / 1000.0) ** 2

    idx = np.flatnonzero(okc.ravel())
    order = idx[np.argsort(-filled.ravel()[idx], kind="stable")].tolist()
    down_l = down.tolist()
    acc = [0.0] * down.size
    for i in idx.tolist():
        acc[i] = 1.0
    for i in order:
        d = down_l[i]
        if d >= 0:
            acc[d] += acc[i]
    area = np.asarray(acc) * cell_km2
    river = area >= min_area_km2
    inflow_river = np.zeros(down.size, dtype=np.int64)
    np.add.at(inflow_river, down[river & (down >= 0)], 1)

    strahler = [0] * down.size
    max_in = [0] * down.size
    n_max = [0] * down.size
    outlet = [-1] * down.size
    river_l = river.tolist()
    for i in order:
        if not river_l[i]:
            continue
        s = max_in[i] + (1 if n_max[i] >= 2 else 0) if max_in[i] else 1
        strahler[i] = s
        d = down_l[i]
        if d >= 0 and river_l[d]:
            if s > max_in[d]:
                max_in[d], n_max[d] = s, 1
            elif s == max_in[d]:
                n_max[d] += 1
    for i in reversed(order):  # downstream first: each cell inherits its outlet
        d = down_l[i]
        outlet[i] = outlet[d] if d >= 0 else i

    inflow_l = inflow_river.tolist()
    starts = [i for i in order if river_l[i] and (inflow_l[i] == 0 or inflow_l[i] >= 2)]
    anchor_l = anchor.ravel().tolist()
    basins: dict[int, int] = {}
    raw: list[tuple[list[int], int, float, int]] = []
    for start in starts:
        path = [start]
        c = down_l[start]
        while c >= 0 and river_l[c]:
            path.append(c)
            if inflow_l[c] >= 2:
                break
            c = down_l[c]
        if len(path) < 2:
            continue
        basin = basins.setdefault(outlet[start], len(basins) + 1)
        raw.append((path, strahler[start], float(area[path[-1]]), basin))

    segments = []
    river_order = np.zeros(dem.shape, dtype=np.int16)
    for path, s, a, basin in raw:
        cells: list[tuple[int, int]] = []
        prev = divmod(anchor_l[path[0]], w)
        cells.append(prev)
        for node in path[1:]:
            nxt = divmod(anchor_l[node], w)
            cells.extend(_chain(prev[0], prev[1], nxt[0], nxt[1]))
            prev = nxt
        cells = [(r, c) for r, c in cells if valid[r, c]]
        if len(cells) < 2:
            continue
        rows = np.array([r for r, _ in cells])
        cols = np.array([c for _, c in cells])
        segments.append(Segment(rows, cols, s, a, basin))
        river_order[rows, cols] = np.maximum(river_order[rows, cols], s)

    _burn(dem, segments, river_order, lakes > 0)
    return Hydrology(dem=np.where(valid, dem, np.nan), lakes=lakes, lake_levels=tuple(levels),
                     segments=tuple(segments), river_order=river_order, factor=k)


def _burn(dem: np.ndarray, segments: list[Segment], river_order: np.ndarray,
          lake: np.ndarray) -> None:
    """Lower the channels and make every segment non-increasing downstream (in place)."""
    channel = (river_order > 0) & ~lake
    depth = np.vectorize(_channel_depth, otypes=[float])(river_order[channel])
    dem[channel] -= depth
    # Segments come upstream first (their starts in descending filled elevation), so one
    # pass usually suffices; values only ever decrease, so the loop ends.
    flat = [s.rows * dem.shape[1] + s.cols for s in segments]
    z = dem.ravel()
    changed = True
    while changed:
        changed = False
        for cells in flat:
            values = z[cells]
            lowered = np.minimum.accumulate(values)
            if (lowered < values).any():
                z[cells] = lowered
                changed = True
    # Channel beds stop at sea level (a monotone map, so the order along rivers survives).
    np.maximum(z, 0.0, out=z, where=np.isfinite(z))
