"""Villages, roads, markets and the port of the demo region.

**Roads** are least-cost paths (Dijkstra, :func:`scipy.sparse.csgraph.dijkstra`)
on an 8-connected routing grid of cells about 1/250 of the region across. A
cell's cost grows with the square of its slope and is higher on wet ground
(peat, tidal swamp, backswamp) and prohibitive on lakes. The network grows
the way real networks do:

1. an **arteri** (national/provincial road) enters the kabupaten from the
   west, runs through the capital and leaves to the east;
2. every town is joined by a **kolektor** to the nearest point of the
   network, the most habitable towns first;
3. every village is joined by a **lokal** road (longer than 2 km) or a
   **jalan_desa** (shorter).

Each new road ends where it first meets the network, so roads never run on
top of each other and every town is connected. Roads are split at junctions
and smoothed (Chaikin) with their end points fixed, so they still meet.

**Markets**: a *pasar induk* in the capital, a *pasar kecamatan* in every
other town, and *pengumpul* (collecting traders) in some villages; ``size``
is the number of stalls or traders. **Port**: the coastal cell nearest the
capital.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from scipy import ndimage, sparse
from scipy.sparse.csgraph import dijkstra

from aez.demo.fields import BLOCK_CELLS, chaikin, rng_for
from aez.demo.names import NameMaker
from aez.demo.region import Canvas, cells_by_label

__all__ = ["ROAD_CLASSES", "Infrastructure", "make_roads", "make_villages", "place_markets"]

#: Road classes, from the highest to the lowest.
ROAD_CLASSES: tuple[str, ...] = ("arteri", "kolektor", "lokal", "jalan_desa")


@dataclass(frozen=True, eq=False)
class Infrastructure:
    """Roads, markets and the port as GeoDataFrames in the grid CRS."""

    roads: gpd.GeoDataFrame
    markets: gpd.GeoDataFrame
    port: gpd.GeoDataFrame


def make_villages(canvas: Canvas, score: np.ndarray, district_index: np.ndarray,
                  codes: list[str], *, seed: int) -> gpd.GeoDataFrame:
    """Three to seven villages (*desa*) per kecamatan, on its most habitable land.

    Returns ``nama``, ``kode_desa`` (Kemendagri style, ``63.90.01.2001``),
    ``kode_kemendagri`` of the kecamatan, and point geometries.
    """
    rng = rng_for(seed, "villages")
    names = NameMaker(rng_for(seed, "village-names"))
    spacing = 0.03 * canvas.extent
    t = canvas.grid.transform
    rows = []
    habitable = cells_by_label(district_index, len(codes), where=score > 0)
    for k, code in enumerate(codes):
        cells = habitable[k]
        if cells.size == 0:
            continue
        weights = score.ravel()[cells] ** 2
        picks = rng.choice(cells, size=min(400, cells.size), p=weights / weights.sum())
        placed: list[tuple[float, float]] = []
        want = int(rng.integers(3, 8))
        for i in picks.tolist():
            r, c = divmod(i, canvas.grid.width)
            x, y = t.c + (c + 0.5) * t.a, t.f + (r + 0.5) * t.e
            if placed and min(np.hypot(x - px, y - py) for px, py in placed) < spacing:
                continue
            placed.append((x, y))
            kind = "coast" if canvas.coast_km[r, c] < 2 else "plain"
            rows.append({"nama": names.place(kind), "kode_desa": f"{code}.{2000 + len(placed)}",
                         "kode_kemendagri": code, "x": x, "y": y})
            if len(placed) == want:
                break
    frame = gpd.GeoDataFrame(
        [{k: v for k, v in row.items() if k not in ("x", "y")} for row in rows],
        geometry=shapely.points([(row["x"], row["y"]) for row in rows]), crs=canvas.grid.crs)
    return frame


@dataclass(frozen=True, eq=False)
class _Router:
    graph: sparse.csr_matrix
    valid: np.ndarray
    k: int
    canvas: Canvas

    def node(self, x: float, y: float) -> int:
        t = self.canvas.grid.transform
        r = int((y - t.f) / t.e) // self.k
        c = int((x - t.c) / t.a) // self.k
        r = min(max(r, 0), self.valid.shape[0] - 1)
        c = min(max(c, 0), self.valid.shape[1] - 1)
        if not self.valid[r, c]:
            _, (ir, ic) = ndimage.distance_transform_edt(~self.valid, return_indices=True)
            r, c = int(ir[r, c]), int(ic[r, c])
        return r * self.valid.shape[1] + c

    def centre(self, node: int) -> tuple[float, float]:
        t = self.canvas.grid.transform
        r, c = divmod(node, self.valid.shape[1])
        return (t.c + (c + 0.5) * self.k * t.a, t.f + (r + 0.5) * self.k * t.e)

    def path_to(self, start: int, targets: np.ndarray) -> list[int]:
        """Cheapest node path from ``start`` to the nearest node where ``targets`` is True.

        Dijkstra runs from ``start`` within a cost radius that doubles until a
        target is reached (the routing graph is connected: it is built over
        the study area, which is one polygon, or several the search spans).
        """
        limit = 20.0 * self.k * self.canvas.res
        while True:
            dist, pred = dijkstra(self.graph, directed=False, indices=start, limit=limit,
                                  return_predecessors=True)
            finite = np.isfinite(dist)
            reached = np.flatnonzero(finite & targets)
            if reached.size or limit > 1e12:
                break
            limit *= 2.0
        if not reached.size:
            return [start]
        node = int(reached[np.argmin(dist[reached])])
        path = [node]
        while path[-1] != start:
            path.append(int(pred[path[-1]]))
        return path[::-1]


def _router(canvas: Canvas, slope: np.ndarray, units: np.ndarray, lakes: np.ndarray
            ) -> _Router:
    """Routing graph whose node cost is the mean :func:`road_cost` of its k × k study-area cells.

    The cost is computed in bands of routing rows (about 2²⁰ analysis cells
    each), so no full-grid float64 temporary is made.
    """
    k = max(1, round(canvas.extent / 250.0 / canvas.res))
    h, w = canvas.grid.shape
    hh, ww = -(-h // k), -(-w // k)
    count = np.empty((hh, ww), dtype=np.intp)
    total = np.empty((hh, ww))
    band = max(1, BLOCK_CELLS // (k * k * ww))  # routing rows per band
    for top in range(0, hh, band):
        rows = slice(top * k, min((top + band) * k, h))
        n = -(-(rows.stop - rows.start) // k)
        padded = np.full((n * k, ww * k), np.nan)
        padded[:rows.stop - rows.start, :w] = np.where(
            canvas.land[rows], road_cost(slope[rows], units[rows], lakes[rows]), np.nan)
        blocks = padded.reshape(n, k, ww, k)
        count[top:top + n] = np.isfinite(blocks).sum(axis=(1, 3))
        total[top:top + n] = np.nansum(blocks, axis=(1, 3))
    valid = count > 0
    c = np.where(valid, total / np.maximum(count, 1), np.inf)
    step = k * canvas.res
    ids = np.arange(hh * ww).reshape(hh, ww)
    src, dst, weight = [], [], []
    for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
        rows_a = slice(max(0, -dr), hh - max(0, dr))
        rows_b = slice(max(0, dr), hh - max(0, -dr))
        cols_a = slice(max(0, -dc), ww - max(0, dc))
        cols_b = slice(max(0, dc), ww - max(0, -dc))
        a, b = ids[rows_a, cols_a].ravel(), ids[rows_b, cols_b].ravel()
        ca, cb = c.ravel()[a], c.ravel()[b]
        ok = np.isfinite(ca) & np.isfinite(cb)
        src.append(a[ok])
        dst.append(b[ok])
        weight.append(step * np.hypot(dr, dc) * 0.5 * (ca[ok] + cb[ok]))
    graph = sparse.csr_matrix((np.concatenate(weight), (np.concatenate(src),
                                                         np.concatenate(dst))),
                              shape=(hh * ww, hh * ww))
    return _Router(graph=graph, valid=valid, k=k, canvas=canvas)


def road_cost(slope: np.ndarray, units: np.ndarray, lakes: np.ndarray) -> np.ndarray:
    """Relative cost of building a road through each cell (1 on flat dry land)."""
    wet = np.isin(units, (2, 3, 4, 5, 6, 8))
    return 1.0 + (slope / 10.0) ** 2 + 4.0 * wet + 200.0 * (lakes > 0)


def make_roads(canvas: Canvas, towns: np.ndarray, capital: int, villages: np.ndarray,
               order: np.ndarray, port: tuple[float, float] | None, *, slope: np.ndarray,
               units: np.ndarray, lakes: np.ndarray) -> gpd.GeoDataFrame:
    """Build the road network (see the module docstring).

    Parameters
    ----------
    towns : ndarray (n, 2)
        Town coordinates (m); ``order`` gives the order they are connected in.
    capital : int
        Index of the capital in ``towns``.
    villages : ndarray (m, 2)
    port : (x, y), optional
    slope, units, lakes : ndarray
        Slope (%), land units and lake ids of every cell, the inputs of
        :func:`road_cost`.
    """
    router = _router(canvas, slope, units, lakes)
    hh, ww = router.valid.shape
    valid_idx = np.flatnonzero(router.valid.ravel())
    cols = valid_idx % ww
    cap = router.node(*towns[capital])
    cap_r = cap // ww
    west = valid_idx[cols == cols.min()]
    east = valid_idx[cols == cols.max()]
    gw_w = int(west[np.argmin(np.abs(west // ww - cap_r))])
    gw_e = int(east[np.argmin(np.abs(east // ww - cap_r))])

    roads: list[tuple[list, str]] = []  # vertices (node ids, or ("pt", x, y)) and class
    network = np.zeros(hh * ww, dtype=bool)

    def add(path: list[int], kind: str, start: tuple[float, float] | None = None) -> None:
        verts: list = [("pt", *start)] if start is not None else []
        verts.extend(path)
        if len(verts) >= 2:
            roads.append((verts, kind))
        network[path] = True

    target = np.zeros(hh * ww, dtype=bool)
    target[cap] = True
    add(router.path_to(gw_w, target), "arteri")
    add(router.path_to(gw_e, network), "arteri")
    for i in order.tolist():
        add(router.path_to(router.node(*towns[i]), network), "kolektor", start=tuple(towns[i]))
    if port is not None:
        add(router.path_to(router.node(*port), network), "kolektor", start=port)
    for x, y in villages:
        path = router.path_to(router.node(x, y), network)
        length = (len(path) - 1) * router.k * canvas.res
        add(path, "lokal" if length > 2000 else "jalan_desa", start=(x, y))
    return _road_frame(roads, router, canvas)


def _road_frame(roads: list[tuple[list, str]], router: _Router, canvas: Canvas
                ) -> gpd.GeoDataFrame:
    """Split roads at junctions, smooth each piece, and build the GeoDataFrame."""
    ends: dict[int, int] = {}
    seen: dict[int, int] = {}
    for verts, _ in roads:
        nodes = [v for v in verts if not isinstance(v, tuple)]
        for v in nodes:
            seen[v] = seen.get(v, 0) + 1
        for v in (verts[0], verts[-1]):
            if not isinstance(v, tuple):
                ends[v] = ends.get(v, 0) + 1
    junction = {v for v, n in seen.items() if n >= 2} | set(ends)
    geoms, kinds = [], []
    for verts, kind in roads:
        piece: list = [verts[0]]
        for v in verts[1:]:
            piece.append(v)
            if not isinstance(v, tuple) and v in junction and v != verts[-1]:
                geoms.append(_line(piece, router))
                kinds.append(kind)
                piece = [v]
        if len(piece) >= 2:
            geoms.append(_line(piece, router))
            kinds.append(kind)
    return gpd.GeoDataFrame({"kelas": kinds}, geometry=geoms, crs=canvas.grid.crs)


def _line(verts: list, router: _Router) -> shapely.LineString:
    coords = np.array([v[1:] if isinstance(v, tuple) else router.centre(v) for v in verts],
                      dtype=np.float64)
    return shapely.LineString(chaikin(coords, iterations=2))


def place_markets(canvas: Canvas, towns: gpd.GeoDataFrame, villages: gpd.GeoDataFrame, *,
                  seed: int) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Markets and the port (see the module docstring)."""
    rng = rng_for(seed, "markets")
    rows = []
    for town in towns.itertuples():
        capital = bool(town.ibukota_kabupaten)
        angle = rng.uniform(0, 2 * np.pi)
        x, y = town.geometry.x + 150 * np.cos(angle), town.geometry.y + 150 * np.sin(angle)
        rows.append({
            "nama": f"Pasar {'Induk ' if capital else ''}{town.nama}",
            "kind": "pasar_induk" if capital else "pasar_kecamatan",
            "size": int(rng.integers(400, 900) if capital else rng.integers(60, 250)),
            "kode_kemendagri": town.kode_kemendagri, "x": x, "y": y,
        })
    for village in villages.itertuples():
        if rng.random() < 0.3:
            rows.append({"nama": f"Pengumpul {village.nama}", "kind": "pengumpul",
                         "size": int(rng.integers(5, 30)),
                         "kode_kemendagri": village.kode_kemendagri,
                         "x": village.geometry.x, "y": village.geometry.y})
    markets = gpd.GeoDataFrame(
        [{k: v for k, v in r.items() if k not in ("x", "y")} for r in rows],
        geometry=shapely.points([(r["x"], r["y"]) for r in rows]), crs=canvas.grid.crs)

    cap = towns[towns["ibukota_kabupaten"]].iloc[0]
    coast = canvas.land & (canvas.coast_km <= canvas.res / 1000.0 * 1.5)
    if not coast.any():
        coast = canvas.land & (canvas.inland_km <= canvas.res / 1000.0 * 1.5)
    r, c = np.nonzero(coast)
    xs, ys = canvas.x[0, c], canvas.y[r, 0]
    i = int(np.argmin(np.hypot(xs - cap.geometry.x, ys - cap.geometry.y)))
    port = gpd.GeoDataFrame(
        {"nama": [f"Pelabuhan {cap.nama}"], "kind": ["port"],
         "kode_kemendagri": [cap.kode_kemendagri]},
        geometry=shapely.points([(float(xs[i]), float(ys[i]))]), crs=canvas.grid.crs)
    return markets, port
