"""Towns and kecamatan: seeded settlements, a gap-free tiling of the kabupaten, and codes.

Kecamatan are the Voronoi cells of seed points, their edges bent by a smooth
fold-free warp (:class:`aez.demo.fields.Warp`) and clipped to the coast and
the kabupaten border. The edges are noded once and the warped cells rebuilt
with ``shapely.polygonize``, so neighbours share their boundary exactly; after
clipping, vertices are snapped to a 1 cm grid, so the kecamatan tile the
study area with no gap and no overlap. Each kecamatan's
town (*ibu kota kecamatan*) is its seed point under the same warp, which
keeps it inside its own kecamatan. Pieces cut off by the coast join the
neighbour they share most border with.

Codes follow the two Indonesian systems, which differ as the real ones do:

* Kemendagri (``63.90.01``): the older kecamatan numbered outward from the
  capital, kecamatan formed later by splitting (*pemekaran*) at the end;
* BPS (``6390010``): numbered in steps of 10 from west to east, a split
  kecamatan taking its parent's number plus one (``6390031``).

The kabupaten code ``63.90`` / ``6390`` is deliberately not a real one.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import rasterio.features
import shapely
from shapely.geometry import MultiPoint, Point, box

from aez.demo.distance import feature_distance, nearest
from aez.demo.fields import Warp, rng_for, row_blocks
from aez.demo.names import NameMaker
from aez.demo.region import PRECISION, Canvas, cells_by_label
from aez.errors import ConfigError

__all__ = ["KABUPATEN_BPS", "KABUPATEN_KEMENDAGRI", "Districts", "habitability", "make_districts"]

#: Kemendagri and BPS codes of the synthetic kabupaten (not a real kabupaten).
KABUPATEN_KEMENDAGRI = "63.90"
KABUPATEN_BPS = "6390"


@dataclass(frozen=True, eq=False)
class Districts:
    """Kecamatan polygons, their towns, and the kecamatan index of every cell.

    Attributes
    ----------
    frame : GeoDataFrame
        ``kode_kemendagri``, ``kode_bps``, ``nama``, ``ibukota``, ``luas_km2``,
        geometry (grid CRS), in Kemendagri code order.
    towns : GeoDataFrame
        One point per kecamatan: ``nama``, ``kode_kemendagri``, ``kode_bps``,
        ``ibukota_kabupaten`` (True for the kabupaten capital), ``setting``.
    index : ndarray of int32
        Row of ``frame`` for each cell (-1 outside the study area).
    kabupaten : str
        Name of the kabupaten.
    """

    frame: gpd.GeoDataFrame
    towns: gpd.GeoDataFrame
    index: np.ndarray
    kabupaten: str

    @property
    def capital(self) -> int:
        """Row of the kecamatan holding the kabupaten capital."""
        return int(np.flatnonzero(self.towns["ibukota_kabupaten"].to_numpy())[0])


def habitability(canvas: Canvas, dem: np.ndarray, slope: np.ndarray, *, wet: np.ndarray,
                 river_order: np.ndarray) -> np.ndarray:
    """Where towns grow (0 … 1): low, gentle, dry land near rivers and the coast."""
    near = nearest(river_order < 2)  # the nearest river cell (order ≥ 2)
    score = np.empty(dem.shape)
    for rows in row_blocks(dem.shape):  # the same arithmetic per cell as on the whole grid
        river = feature_distance(near, rows) * canvas.res / 1000.0
        score[rows] = (np.exp(-np.nan_to_num(dem[rows], nan=1e4) / 150.0)
                       * np.exp(-slope[rows] / 12.0) * (0.4 + 0.6 * np.exp(-river / 2.0))
                       * (0.6 + 0.4 * np.exp(-canvas.coast_km[rows] / 8.0)))
    score[~canvas.land | wet | (canvas.inland_km < 0.4)] = 0.0
    return score


def _setting(canvas: Canvas, river_order: np.ndarray, dem: np.ndarray, r: int, c: int) -> str:
    if canvas.coast_km[r, c] < 3.0:
        return "coast"
    window = river_order[max(r - 20, 0):r + 21, max(c - 20, 0):c + 21]
    if window.max(initial=0) >= 3:
        return "river"
    if dem[r, c] > 120:
        return "hill"
    return "plain"


def _seed_towns(rng: np.random.Generator, canvas: Canvas, score: np.ndarray, n: int,
                warp: Warp, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    """Seed points (unwarped) and town points (warped), at least ``spacing`` apart."""
    flat = score.ravel()
    choices = np.flatnonzero(flat > 0)
    if choices.size < n:
        raise ConfigError(
            f"The region has too little habitable land for {n} towns at this resolution; "
            "use a finer resolution (e.g. resolution=25) or a larger region (size=\"large\")."
        )
    weights = flat[choices] ** 2
    weights /= weights.sum()
    t = canvas.grid.transform
    seeds: list[np.ndarray] = []
    towns: list[np.ndarray] = []
    while len(towns) < n:
        for i in rng.choice(choices, size=4000, p=weights).tolist():
            r, c = divmod(i, canvas.grid.width)
            p = np.array([t.c + (c + 0.5) * t.a, t.f + (r + 0.5) * t.e])
            q = warp(p[None, :])[0]
            qc, qr = int((q[0] - t.c) / t.a), int((q[1] - t.f) / t.e)
            if not (0 <= qr < canvas.grid.height and 0 <= qc < canvas.grid.width):
                continue
            if score[qr, qc] <= 0:
                continue
            if towns and np.min(np.hypot(*(np.array(towns) - q).T)) < spacing:
                continue
            seeds.append(p)
            towns.append(q)
            if len(towns) == n:
                break
        spacing *= 0.85
    return np.array(seeds), np.array(towns)


def _tile(seeds: np.ndarray, towns: np.ndarray, warp: Warp, outline, *, step: float) -> list:
    """Warped Voronoi cells of ``seeds`` clipped to ``outline``, one geometry per town."""
    left, bottom, right, top = outline.bounds
    margin = 0.5 * max(right - left, top - bottom)
    frame = box(left - margin, bottom - margin, right + margin, top + margin)
    cells = shapely.get_parts(shapely.voronoi_polygons(MultiPoint(seeds), extend_to=frame))
    cells = shapely.intersection(cells, frame)
    edges = shapely.union_all(shapely.boundary(cells))
    moved = shapely.transform(shapely.segmentize(edges, step), warp)
    big = shapely.get_parts(shapely.polygonize(shapely.get_parts(moved)))
    owner_of_big = np.full(len(big), -1)
    for j, town in enumerate(towns):
        hits = np.flatnonzero(shapely.contains(big, Point(town)))
        owner_of_big[hits] = j
    parts = []
    for j in range(len(towns)):
        mine = big[owner_of_big == j]
        piece = shapely.intersection(mine[0], outline) if len(mine) else shapely.Polygon()
        parts.append(shapely.set_precision(piece, PRECISION))
    return _merge_fragments(parts, towns)


def _merge_fragments(polys: list, towns: np.ndarray) -> list:
    """Give each piece that does not hold its town to the neighbour sharing most border."""
    polys = list(polys)
    for i in range(len(polys)):
        pieces = shapely.get_parts(polys[i])
        if len(pieces) < 2:
            continue
        home = Point(towns[i])
        keep = []
        for piece in pieces:
            if piece.intersects(home):
                keep.append(piece)
                continue
            shared = [
                piece.boundary.intersection(polys[j].boundary).length if j != i else -1.0
                for j in range(len(polys))
            ]
            j = int(np.argmax(shared))
            if shared[j] > 0:
                polys[j] = shapely.set_precision(shapely.union_all([polys[j], piece]), PRECISION)
            else:
                keep.append(piece)
        polys[i] = shapely.set_precision(shapely.union_all(keep), PRECISION)
    return polys


def _codes(frame: gpd.GeoDataFrame, capital: int, rng: np.random.Generator,
           prefix: tuple[str, str]) -> tuple[list[str], list[str]]:
    """Kemendagri and BPS codes (see the module docstring)."""
    n = len(frame)
    centroids = frame.geometry.centroid
    west_east = np.argsort(centroids.x.to_numpy(), kind="stable")
    n_split = n // 6
    candidates = [i for i in west_east[1:].tolist() if i != capital]
    split = set(rng.choice(candidates, size=min(n_split, len(candidates)), replace=False).tolist()
                ) if candidates else set()
    bps = [""] * n
    number = 0
    for i in west_east.tolist():
        number = number + 1 if i in split else (number // 10 + 1) * 10
        bps[i] = f"{prefix[1]}{number:03d}"
    cap = centroids.iloc[capital]
    outward = np.argsort(np.hypot(centroids.x - cap.x, centroids.y - cap.y).to_numpy(),
                         kind="stable")
    ordered = [i for i in outward.tolist() if i not in split] + sorted(split)
    kemendagri = [""] * n
    for k, i in enumerate(ordered, start=1):
        kemendagri[i] = f"{prefix[0]}.{k:02d}"
    return kemendagri, bps


def make_districts(canvas: Canvas, dem: np.ndarray, *, seed: int, n: int, score: np.ndarray,
                   river_order: np.ndarray) -> Districts:
    """Towns and kecamatan for a synthetic region (see the module docstring).

    Parameters
    ----------
    canvas : Canvas
    dem : ndarray
        Elevation (m).
    seed : int
    n : int
        Number of kecamatan.
    score : ndarray
        Habitability of every cell (:func:`habitability`; 0 where no town may stand).
    river_order : ndarray
        Strahler order of river cells (0 elsewhere).
    """
    rng = rng_for(seed, "districts")
    area = float(canvas.outline.area)
    spacing = 0.8 * np.sqrt(area / n)
    warp = Warp(rng_for(seed, "district-warp"), wavelength=1.2 * spacing, stretch=0.8)
    seeds, towns = _seed_towns(rng, canvas, score, n, warp, spacing)
    polys = _tile(seeds, towns, warp, canvas.outline, step=spacing / 30.0)

    t = canvas.grid.transform
    cells = [(int((q[1] - t.f) / t.e), int((q[0] - t.c) / t.a)) for q in towns]
    town_score = np.array([score[r, c] for r, c in cells])
    river_near = np.array([river_order[max(r - 10, 0):r + 11, max(c - 10, 0):c + 11].max()
                           for r, c in cells])
    capital = int(np.argmax(town_score * (1 + river_near) * np.exp(
        -canvas.coast_km[tuple(np.array(cells).T)] / 10.0)))
    names = NameMaker(rng_for(seed, "names"))
    settings = [_setting(canvas, river_order, dem, r, c) for r, c in cells]
    kecamatan = [names.place(s) for s in settings]
    kabupaten = names.place("kabupaten")
    frame = gpd.GeoDataFrame({"nama": kecamatan}, geometry=polys, crs=canvas.grid.crs)
    kemendagri, bps = _codes(frame, capital, rng, (KABUPATEN_KEMENDAGRI, KABUPATEN_BPS))
    frame.insert(0, "kode_kemendagri", kemendagri)
    frame.insert(1, "kode_bps", bps)
    town_frame = gpd.GeoDataFrame(
        {"nama": kecamatan, "kode_kemendagri": kemendagri, "kode_bps": bps,
         "ibukota_kabupaten": np.arange(n) == capital, "setting": settings},
        geometry=shapely.points(towns), crs=canvas.grid.crs)
    return _finish(canvas, frame, town_frame, kabupaten)


def _finish(canvas: Canvas, frame: gpd.GeoDataFrame, towns: gpd.GeoDataFrame,
            kabupaten: str) -> Districts:
    order = np.argsort(frame["kode_kemendagri"].to_numpy(), kind="stable")
    frame = frame.iloc[order].reset_index(drop=True)
    towns = towns.iloc[order].reset_index(drop=True)
    frame["ibukota"] = towns["nama"].to_numpy()
    frame["luas_km2"] = np.round(frame.geometry.area.to_numpy() / 1e6, 2)
    index = rasterio.features.rasterize(
        zip(frame.geometry.values, range(len(frame)), strict=True), out_shape=canvas.grid.shape,
        transform=canvas.grid.transform, fill=-1, dtype="int32")
    index[~canvas.land] = -1
    return Districts(frame=frame, towns=towns, index=index, kabupaten=kabupaten)


def districts_from_boundary(canvas: Canvas, dem: np.ndarray, *, seed: int, id_column: str,
                            name_column: str | None, score: np.ndarray,
                            river_order: np.ndarray) -> Districts:
    """Kecamatan from a boundary file; each town is the most habitable cell of its kecamatan.

    ``score`` is the habitability of every cell (:func:`habitability`).
    """
    source = canvas.districts
    if source is None:
        raise ConfigError("districts_from_boundary() needs a canvas built from a boundary file.")
    rng = rng_for(seed, "districts")
    index = rasterio.features.rasterize(
        zip(source.geometry.values, range(len(source)), strict=True),
        out_shape=canvas.grid.shape, transform=canvas.grid.transform, fill=-1, dtype="int32")
    t = canvas.grid.transform
    towns = []
    names = NameMaker(rng_for(seed, "names"))
    settings = []
    cells = cells_by_label(index, len(source))
    for i, geom in enumerate(source.geometry.values):
        inside = cells[i]
        if inside.size:
            best = inside[np.argmax(score.ravel()[inside])]
            r, c = divmod(int(best), canvas.grid.width)
            towns.append((t.c + (c + 0.5) * t.a, t.f + (r + 0.5) * t.e))
            settings.append(_setting(canvas, river_order, dem, r, c))
        else:
            p = geom.point_on_surface()
            towns.append((p.x, p.y))
            settings.append("plain")
    kemendagri = source[id_column].astype(str).tolist()
    nama = (source[name_column].astype(str).tolist() if name_column
            else [names.place(s) for s in settings])
    town_score = np.array([score[int((y - t.f) / t.e), int((x - t.c) / t.a)]
                           if canvas.grid.bounds[0] <= x < canvas.grid.bounds[2] else 0.0
                           for x, y in towns])
    capital = int(np.argmax(town_score))
    frame = gpd.GeoDataFrame({"nama": nama}, geometry=source.geometry.values, crs=canvas.grid.crs)
    head = ".".join(kemendagri[0].split(".")[:2])
    digits = "".join(ch for ch in head if ch.isdigit())
    prefix_bps = digits if len(digits) == 4 else KABUPATEN_BPS
    _, bps = _codes(frame, capital, rng, ("", prefix_bps))
    frame.insert(0, "kode_kemendagri", kemendagri)
    frame.insert(1, "kode_bps", bps)
    town_frame = gpd.GeoDataFrame(
        {"nama": nama, "kode_kemendagri": kemendagri, "kode_bps": bps,
         "ibukota_kabupaten": np.arange(len(frame)) == capital, "setting": settings},
        geometry=shapely.points(np.array(towns)), crs=canvas.grid.crs)
    return _finish(canvas, frame, town_frame, names.place("kabupaten"))
