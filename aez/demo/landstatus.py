"""Land status (*status kawasan*): forest estate, settlements, plantations and water.

=====  ====================  =============================================================
code   label                 where
=====  ====================  =============================================================
1      hutan_lindung         protection forest: volcano above 1600 m, slopes over 35 %
                             (averaged over 500 m),
                             and the mangrove belt within 500 m of the sea
2      hutan_konservasi      conservation forest: the deep peat core (> 3 m) and the
                             crater around the volcano's summit
3      hutan_produksi        production forest: hill slopes and ridges more than 4 km
                             from any town
4      apl                   *areal penggunaan lain*: land open to farming
5      permukiman            settlements: towns (the capital widest) and villages
6      perkebunan            existing plantation concessions (HGU) of oil palm or rubber
7      badan_air             lakes
=====  ====================  =============================================================
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import rasterio.features
import shapely
from scipy import ndimage
from shapely import affinity
from shapely.geometry import box

from aez.demo.distance import feature_distance, nearest
from aez.demo.fields import rng_for, row_blocks
from aez.demo.region import Canvas

__all__ = ["LEGEND", "LandStatus", "make_land_status"]

#: Land-status legend (code → label).
LEGEND: dict[int, str] = {
    1: "hutan_lindung", 2: "hutan_konservasi", 3: "hutan_produksi", 4: "apl",
    5: "permukiman", 6: "perkebunan", 7: "badan_air",
}
NAMES: dict[str, str] = {
    "hutan_lindung": "Hutan Lindung", "hutan_konservasi": "Hutan Konservasi",
    "hutan_produksi": "Hutan Produksi", "apl": "Areal Penggunaan Lain",
    "permukiman": "Permukiman", "perkebunan": "Perkebunan (HGU)", "badan_air": "Badan Air",
}
_CODE = {label: code for code, label in LEGEND.items()}
#: The volcano is protection forest above this elevation (m); below it lies the farmed
#: highland belt (coffee, vegetables) typical of Indonesian volcanoes.
PROTECTED_ABOVE_M = 1600.0


@dataclass(frozen=True, eq=False)
class LandStatus:
    """Land-status codes per cell (-1 outside) and the plantation blocks with their crop."""

    codes: np.ndarray
    plantations: list[tuple[shapely.Polygon, str]]


def _disc_mask(canvas: Canvas, points: np.ndarray, radii: np.ndarray) -> np.ndarray:
    if len(points) == 0:
        return np.zeros(canvas.grid.shape, dtype=bool)
    discs = shapely.buffer(shapely.points(points), radii, quad_segs=8)
    out = rasterio.features.rasterize([(g, 1) for g in discs], out_shape=canvas.grid.shape,
                                      transform=canvas.grid.transform, fill=0, dtype="uint8")
    return out.astype(bool)


def make_land_status(canvas: Canvas, *, seed: int, dem: np.ndarray, slope: np.ndarray,
                     units: np.ndarray, peat_depth: np.ndarray, lakes: np.ndarray,
                     towns: np.ndarray, capital: int, villages: np.ndarray,
                     crater: tuple[float, float, float]) -> LandStatus:
    """Land status of every cell (see the module docstring).

    Parameters
    ----------
    towns, villages : ndarray (n, 2)
        Town and village coordinates (m).
    capital : int
        Index of the kabupaten capital in ``towns``.
    crater : (x, y, radius)
        The volcano's crater (m).
    """
    rng = rng_for(seed, "landstatus")
    land = canvas.land
    codes = np.full(canvas.grid.shape, _CODE["apl"], dtype=np.int16)
    t = canvas.grid.transform
    seeds = np.zeros(canvas.grid.shape, dtype=bool)
    for x, y in towns:
        r, c = int((y - t.f) / t.e), int((x - t.c) / t.a)
        if 0 <= r < seeds.shape[0] and 0 <= c < seeds.shape[1]:
            seeds[r, c] = True
    # More than 4 km and more than 2.5 km from the nearest town (everywhere if none).
    beyond_4km = np.ones(canvas.grid.shape, dtype=bool)
    beyond_2500m = np.ones(canvas.grid.shape, dtype=bool)
    if seeds.any():
        near = nearest(~seeds)
        for rows in row_blocks(seeds.shape):
            town_dist = feature_distance(near, rows) * canvas.res
            beyond_4km[rows] = town_dist > 4000
            beyond_2500m[rows] = town_dist > 2500
        del near

    codes[np.isin(units, (14, 15)) & beyond_4km] = _CODE["hutan_produksi"]
    steep = ndimage.uniform_filter(slope, max(3, int(500 / canvas.res) | 1)) > 35
    # Elevation outside the study area (NaN) counts as 0 m.
    lindung = (np.isin(units, (11, 12)) & (np.nan_to_num(dem, nan=0.0) > PROTECTED_ABOVE_M)
               ) | steep | ((units == 2) & (canvas.coast_km < 0.5))
    del steep
    codes[lindung] = _CODE["hutan_lindung"]
    cx, cy, cr = crater
    crater_zone = np.hypot(canvas.x - cx, canvas.y - cy) < 2.5 * cr
    codes[(peat_depth > 300) | (crater_zone & land)] = _CODE["hutan_konservasi"]

    # Plantation concessions: rotated blocks on open lowland, away from towns.
    size = canvas.extent
    open_land = land & (codes == _CODE["apl"]) & np.isin(units, (3, 4, 7, 9, 10, 13)) & (
        beyond_2500m)
    candidates = np.flatnonzero(open_land.ravel())
    plantations: list[tuple[shapely.Polygon, str]] = []
    n_blocks = int(rng.integers(2, 5))
    for _ in range(200):
        if len(plantations) >= n_blocks or candidates.size == 0:
            break
        i = int(rng.choice(candidates))
        r, c = divmod(i, canvas.grid.width)
        x, y = float(canvas.x[0, c]), float(canvas.y[r, 0])
        w, h = rng.uniform(0.06, 0.12) * size, rng.uniform(0.04, 0.08) * size
        block = affinity.rotate(box(x - w / 2, y - h / 2, x + w / 2, y + h / 2),
                                float(rng.uniform(-30, 30)), origin=(x, y))
        cells = rasterio.features.rasterize([(block, 1)], out_shape=canvas.grid.shape,
                                            transform=t, fill=0, dtype="uint8").astype(bool)
        if cells.sum() == 0 or (open_land[cells].mean() < 0.85):
            continue
        if any(block.intersects(other.buffer(1000)) for other, _ in plantations):
            continue
        crop = "kelapa_sawit" if rng.random() < 0.7 else "karet"
        plantations.append((block, crop))
        codes[cells & open_land] = _CODE["perkebunan"]

    radii = np.full(len(towns), 700.0)
    radii[capital] = 1800.0
    settled = _disc_mask(canvas, towns, radii) | _disc_mask(
        canvas, villages, np.full(len(villages), 200.0))
    codes[settled & ~np.isin(codes, (_CODE["hutan_konservasi"],))] = _CODE["permukiman"]
    # Clean speckle below 25 ha (a map's minimum unit); lakes stay as they are.
    cells = max(2, int(np.ceil(250_000.0 / canvas.res**2)))
    codes = rasterio.features.sieve(codes.astype(np.int32), size=cells, mask=land,
                                    connectivity=8).astype(np.int16)
    codes[lakes > 0] = _CODE["badan_air"]
    codes[(lakes == 0) & (codes == _CODE["badan_air"])] = _CODE["apl"]
    codes[~land] = -1
    return LandStatus(codes=codes, plantations=plantations)
