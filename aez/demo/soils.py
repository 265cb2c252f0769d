"""Soils of the demo region: a land-unit map following the catena, and its characteristics.

**Land units** (*satuan peta tanah*, SPT) are landform × parent-material
units, classified cell by cell from the landform components and then cleaned
to a minimum mapping unit of 25 ha (``rasterio.features.sieve``):

==  ======================  ==========================================================
1   beting pantai           beach ridge on marine sand: somewhat excessively drained
2   rawa pasang surut       tidal swamp on marine clay: saline, sodic, sulfidic, very poor
3-6 gambut                  peat (dangkal 50–100, sedang 100–200, dalam 200–300,
                            sangat dalam > 300 cm): very poor, very acid, high C
7   tanggul sungai          river levee: moderately well drained, medium texture
8   rawa belakang           backswamp: poorly drained, very fine texture
9   dataran aluvial         alluvial plain: somewhat poorly drained, fine texture
10  kaki vulkan             volcanic footslope / fan: deep, well drained
11  lereng vulkan           volcanic slope: andic, high base saturation and C
12  puncak vulkan           summit: shallow, stony, rock outcrop
13  kaki perbukitan         hill footslope on sedimentary rock: deeper, moderately well
14  lereng perbukitan       hill slope: moderately deep, acid, low base saturation
15  punggung perbukitan     ridge top: shallow, stony, well drained
16  danau                   lake (no soil)
==  ======================  ==========================================================

Each unit has dominant values of every characteristic (:data:`UNIT_PROPERTIES`,
perturbed by a few per cent per seed). The **rasters** are those values
plus mild, spatially smooth within-unit variation (continuous
characteristics only; categorical ones are exactly the unit's class), except
where a gradient drives the value: peat depth follows the dome (kept within
the unit's depth class), salinity decays inland from the coast
(``+ 12 exp(-d/1.5 km)`` dS/m), and sulfidic material lies 30–120 cm deep in
the tidal swamp, deeper under near-coast backswamp and shallow peat, and
nowhere else. **Sulfidic depth 200 cm** means "none within 200 cm".
**Peat maturity** is nodata (-1) outside peat, where it does not apply; peat
depth is 0 there. The **land-unit polygons** carry, per unit, the median
(continuous) or the most common class (categorical) of the rasters over the
unit's cells, under the canonical characteristic ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import rasterio.features
from scipy import ndimage

from aez.characteristics import CHARACTERISTICS
from aez.demo.distance import feature_distance, nearest
from aez.demo.fields import NoiseField, block_rows, rng_for, row_blocks
from aez.demo.region import Canvas, cells_by_label
from aez.demo.terrain import Terrain

__all__ = ["CONTINUOUS", "UNITS", "UNIT_PROPERTIES", "Soils", "make_soils", "soil_rasters"]

#: Land units: code → (id, Indonesian name, parent material).
UNITS: dict[int, tuple[str, str, str]] = {
    1: ("beach_ridge", "Beting pantai", "pasir marin"),
    2: ("tidal_swamp", "Rawa pasang surut", "liat marin"),
    3: ("peat_shallow", "Gambut dangkal", "bahan organik"),
    4: ("peat_moderate", "Gambut sedang", "bahan organik"),
    5: ("peat_deep", "Gambut dalam", "bahan organik"),
    6: ("peat_very_deep", "Gambut sangat dalam", "bahan organik"),
    7: ("levee", "Tanggul sungai", "aluvium"),
    8: ("backswamp", "Rawa belakang", "aluvium"),
    9: ("alluvial_plain", "Dataran aluvial", "aluvium"),
    10: ("volcanic_footslope", "Kaki vulkan", "tuf dan abu vulkan"),
    11: ("volcanic_slope", "Lereng vulkan", "abu dan lava andesit"),
    12: ("volcanic_summit", "Puncak vulkan", "lava dan piroklastik"),
    13: ("hill_footslope", "Kaki perbukitan", "batupasir dan batuliat"),
    14: ("hill_slope", "Lereng perbukitan", "batupasir dan batuliat"),
    15: ("hill_ridge", "Punggung perbukitan", "batupasir dan batuliat"),
    16: ("lake", "Danau", "air"),
}
LAKE = 16
PEAT_UNITS = (3, 4, 5, 6)
#: Peat depth range of each peat unit (cm).
PEAT_CLASSES = {3: (50.0, 100.0), 4: (100.0, 200.0), 5: (200.0, 300.0), 6: (300.0, 1200.0)}

#: Continuous characteristics written as rasters, with their physical range.
CONTINUOUS: dict[str, tuple[float, float]] = {
    "coarse_fragments": (0, 100), "soil_depth": (0, 300), "peat_depth": (0, 1200),
    "cec_clay": (0, 150), "base_saturation": (0, 100), "ph_h2o": (3.5, 8.5),
    "c_organic": (0, 60), "n_total": (0, 3), "p2o5": (0, 200), "k2o": (0, 200),
    "salinity": (0, 30), "sulfidic_depth": (0, 200), "surface_stones": (0, 100),
    "rock_outcrop": (0, 100), "alkalinity": (0, 100),
}
CATEGORICAL = ("drainage", "texture", "flooding", "erosion", "peat_maturity")

_COLUMNS = ("drainage", "texture", "coarse_fragments", "soil_depth", "cec_clay",
            "base_saturation", "ph_h2o", "c_organic", "n_total", "p2o5", "k2o", "salinity",
            "surface_stones", "rock_outcrop", "flooding")
_ROWS = {
    1: ("somewhat_excessive", "coarse", 5, 120, 8, 45, 6.2, 0.6, 0.06, 12, 8, 0.8, 0, 0, "F0"),
    2: ("very_poor", "fine", 0, 90, 28, 60, 4.8, 3.5, 0.25, 18, 25, 2.0, 0, 0, "F3"),
    3: ("very_poor", "moderately_fine", 0, 90, 70, 12, 4.3, 35, 1.2, 20, 15, 0.4, 0, 0, "F2"),
    4: ("very_poor", "moderately_fine", 0, 100, 80, 10, 4.0, 45, 1.4, 18, 12, 0.3, 0, 0, "F2"),
    5: ("very_poor", "fine", 0, 100, 90, 8, 3.8, 50, 1.5, 15, 10, 0.3, 0, 0, "F2"),
    6: ("very_poor", "fine", 0, 100, 100, 6, 3.7, 54, 1.6, 12, 8, 0.2, 0, 0, "F3"),
    7: ("moderately_well", "medium", 0, 150, 22, 55, 5.7, 1.6, 0.16, 30, 25, 0.3, 0, 0, "F0"),
    8: ("poor", "very_fine", 0, 120, 26, 50, 5.0, 2.6, 0.22, 20, 20, 0.4, 0, 0, "F2"),
    9: ("somewhat_poor", "fine", 0, 130, 20, 45, 5.3, 1.8, 0.17, 22, 18, 0.3, 0, 0, "F0"),
    10: ("well", "moderately_fine", 5, 150, 30, 62, 6.0, 2.2, 0.2, 35, 30, 0.2, 1, 0, "F0"),
    11: ("well", "medium", 15, 110, 35, 58, 5.9, 3.8, 0.3, 25, 28, 0.1, 5, 2, "F0"),
    12: ("somewhat_excessive", "moderately_coarse", 45, 40, 22, 50, 5.6, 4.5, 0.35, 15, 20,
         0.1, 30, 25, "F0"),
    13: ("moderately_well", "moderately_fine", 8, 120, 14, 32, 5.0, 1.6, 0.15, 12, 14, 0.1, 1,
         0, "F0"),
    14: ("well", "moderately_fine", 18, 80, 12, 25, 4.8, 1.3, 0.12, 9, 12, 0.1, 4, 2, "F0"),
    15: ("well", "medium", 35, 45, 10, 20, 4.7, 1.0, 0.1, 7, 10, 0.1, 12, 10, "F0"),
}
#: Exchangeable sodium percentage (alkalinity, %) of each land unit: sodic marine clay in the
#: tidal swamp, a little sodium on the beach ridge and in the backswamp, little elsewhere.
_ESP = {1: 4, 2: 20, 3: 2, 4: 2, 5: 2, 6: 2, 7: 3, 8: 6, 9: 5, 10: 1, 11: 1, 12: 1, 13: 2, 14: 2,
        15: 2}
#: Dominant value of each characteristic in each land unit (before the per-seed perturbation).
UNIT_PROPERTIES: dict[int, dict[str, float | str]] = {
    code: {**dict(zip(_COLUMNS, row, strict=True)), "alkalinity": _ESP[code]}
    for code, row in _ROWS.items()
}

#: Legends (code → canonical class label) of the categorical soil rasters.
LEGENDS: dict[str, dict[int, str]] = {
    name: {i + 1: label for i, label in enumerate(CHARACTERISTICS[name].classes or ())}
    for name in CATEGORICAL
}

#: Relative (or, for pH, absolute) amplitude of the within-unit variation.
_VARIATION = {"ph_h2o": 0.15, "soil_depth": 0.12, "coarse_fragments": 0.2,
              "surface_stones": 0.2, "rock_outcrop": 0.2}
_DEFAULT_VARIATION = 0.08


@dataclass(frozen=True, eq=False)
class Soils:
    """Land-unit raster, the per-unit table and the soil rasters kept for later stages.

    Attributes
    ----------
    units : ndarray of int16
        Land-unit code of each cell (0 outside the study area).
    grids : dict
        The characteristic rasters asked to be kept (see :func:`make_soils`):
        continuous ones float32, NaN outside the study area and over lakes;
        categorical ones int16 codes of :data:`LEGENDS`, -1 for nodata.
    table : dict
        Per land unit: the dominant value of each characteristic.
    """

    units: np.ndarray
    grids: dict[str, np.ndarray]
    table: dict[int, dict[str, float | str | None]]


def classify_landforms(canvas: Canvas, terrain: Terrain, dem: np.ndarray, slope: np.ndarray,
                       *, river_order: np.ndarray, lakes: np.ndarray) -> np.ndarray:
    """Land-unit code of every study-area cell, before the minimum-mapping-unit clean-up."""
    res = canvas.res
    units = np.where(canvas.land, 9, 0).astype(np.int16)

    # Height above the nearest river cell (m), hand, and distance to rivers of order ≥ 3 (m):
    # backswamp where hand < 1.5 m within 3 km of a river, levee near big rivers.
    river = river_order >= 2
    if river.any():
        near = nearest(~river)
        low = np.empty(units.shape, dtype=bool)  # hand < 4 m
        order_near = np.empty(units.shape, dtype=np.int16)
        for rows in row_blocks(units.shape):
            r, c = near[0, rows], near[1, rows]
            hand = np.nan_to_num(dem[rows], nan=0.0) - np.nan_to_num(dem[r, c], nan=0.0)
            dist = feature_distance(near, rows)
            unit = units[rows]  # a view: assigning to it sets the units
            unit[(unit == 9) & (hand < 1.5) & (dist * res < 3000)] = 8
            low[rows] = hand < 4.0
            order_near[rows] = river_order[r, c]
        del near
        near = nearest(river_order < 3)  # the nearest river cell of order ≥ 3
        for rows in row_blocks(units.shape):
            big = feature_distance(near, rows) * res
            unit = units[rows]
            unit[(unit > 0) & (big < 120.0 * np.maximum(order_near[rows], 1)) & low[rows]] = 7
        del near, order_near, low

    z = np.nan_to_num(dem, nan=0.0)
    window = max(3, int(1000 / res) | 1)
    tpi = ndimage.uniform_filter(z, window, mode="nearest")
    np.subtract(z, tpi, out=tpi)
    del z
    hill = terrain.hill & canvas.land
    ridge = (tpi > 20) | ((slope > 30) & (tpi > 5))
    foot = (tpi < -10) | terrain.low_hill
    del tpi
    units[hill & ridge] = 15
    units[hill & ~ridge & foot] = 13
    units[hill & ~ridge & ~foot] = 14
    del hill, ridge, foot

    for zone, code in ((1, 10), (2, 11), (3, 12)):  # volcanic footslope, slope, summit
        units[canvas.land & (terrain.volcano_zone == zone)] = code

    lowland = np.isin(units, (7, 8, 9))
    units[lowland & terrain.tidal] = 2
    units[lowland & terrain.beach] = 1
    del lowland
    depth = terrain.peat_depth
    peat = canvas.land & (depth >= 50.0)
    units[peat] = np.digitize(depth[peat], [100.0, 200.0, 300.0]) + 3
    units[canvas.land & (lakes > 0)] = LAKE
    return units


def _sieve(units: np.ndarray, land: np.ndarray, *, res: float) -> np.ndarray:
    """Merge patches smaller than 25 ha into their neighbours (lakes are kept)."""
    cells = max(2, int(np.ceil(250_000.0 / res**2)))
    lake = units == LAKE
    sieved = rasterio.features.sieve(units.astype(np.int32), size=cells, mask=land,
                                     connectivity=8)
    sieved = np.where(land, sieved, 0)
    sieved[lake] = LAKE
    sieved[~lake & (sieved == LAKE)] = 9
    return sieved.astype(np.int16)


def _within(field: np.ndarray, soil: np.ndarray, name: str) -> np.ndarray:
    """Clip a characteristic to its range in :data:`CONTINUOUS`, NaN off soil, as float32."""
    lo, hi = CONTINUOUS[name]
    out = np.clip(field, lo, hi).astype(np.float32)
    out[~soil] = np.nan
    return out


def make_soils(canvas: Canvas, raw: np.ndarray, slope: np.ndarray, *, seed: int,
               peat_depth: np.ndarray, rainfall: np.ndarray,
               sink: Callable[[str, np.ndarray], None], keep: Iterable[str] = ()) -> Soils:
    """Land units, their table, and the soil characteristic rasters one at a time.

    Parameters
    ----------
    canvas : Canvas
    raw : ndarray of int16
        :func:`classify_landforms` of the canvas (before the clean-up to 25 ha).
    slope : ndarray
        Slope (%).
    seed : int
        Random seed.
    peat_depth : ndarray
        The terrain's peat thickness (cm); the other landform grids are not
        needed here, so the caller can free them first.
    rainfall : ndarray
        Annual rainfall (mm/yr).
    sink : callable
        Called with ``(name, raster)`` for each characteristic as soon as it is
        made (:func:`soil_rasters`).
    keep : iterable of str
        Characteristics to keep in :attr:`Soils.grids`; the others are only
        handed to ``sink``, so at most one of them is held at a time.
    """
    units = _sieve(raw, canvas.land, res=canvas.res)
    keep = set(keep)
    table = _UnitTable(units)
    grids: dict[str, np.ndarray] = {}
    for name, raster in soil_rasters(canvas, units, slope, seed=seed, peat_depth=peat_depth,
                                     rainfall=rainfall):
        table.add(name, raster)
        sink(name, raster)
        if name in keep:
            grids[name] = raster
    return Soils(units=units, grids=grids, table=table.rows())


def soil_rasters(canvas: Canvas, units: np.ndarray, slope: np.ndarray, *, seed: int,
                 peat_depth: np.ndarray, rainfall: np.ndarray
                 ) -> Iterator[tuple[str, np.ndarray]]:
    """Each soil characteristic raster in turn (see the module docstring).

    Yields ``(name, raster)``: first the continuous characteristics (float32,
    NaN off soil), then the categorical ones (int16 codes of :data:`LEGENDS`,
    -1 for nodata). The random draws happen in the same order whatever the
    consumer does with each raster.

    Parameters
    ----------
    units : ndarray of int16
        Land unit of every cell (after the clean-up to 25 ha).
    slope, peat_depth, rainfall : ndarray
        Slope (%), the terrain's peat thickness (cm) and annual rainfall (mm/yr).
    """
    rng = rng_for(seed, "soils")
    soil = canvas.land & (units != LAKE)
    codes = sorted(UNIT_PROPERTIES)

    coast = canvas.coast_km
    rows = block_rows(units.shape[1])
    for name in ("coarse_fragments", "soil_depth", "cec_clay", "base_saturation", "ph_h2o",
                 "c_organic", "n_total", "p2o5", "k2o", "salinity", "surface_stones",
                 "rock_outcrop", "alkalinity"):
        base = np.zeros(LAKE + 1)
        for code in codes:
            value = float(UNIT_PROPERTIES[code][name])  # type: ignore[arg-type]
            base[code] = value if name == "ph_h2o" else value * (1 + 0.05 * rng.standard_normal())
        noise = NoiseField(rng, canvas.bounds, scale=0.05 * canvas.extent)
        amp = _VARIATION.get(name, _DEFAULT_VARIATION)
        out = np.empty(units.shape, dtype=np.float32)
        # Row blocks bound the float64 temporaries; every cell's arithmetic is the same.
        for part, block in noise.rows(canvas.x, canvas.y, rows):
            field = base[units[part]]
            field = field + amp * block if name == "ph_h2o" else field * (1.0 + amp * block)
            if name == "salinity":
                field = field + 12.0 * np.exp(-coast[part] / 1.5)
            out[part] = _within(field, soil[part], name)
        yield name, np.round(out, 1) if name == "ph_h2o" else out
        del out
    # Peat depth within each peat unit's class, the sulfidic layer and the peat maturity.
    peat = np.empty(units.shape, dtype=np.float32)
    sulfidic = np.empty(units.shape, dtype=np.float32)
    maturity = np.empty(units.shape, dtype=np.int16)
    for part in row_blocks(units.shape):
        unit, near_km = units[part], coast[part]
        depth = np.zeros(unit.shape)
        for code, (lo, hi) in PEAT_CLASSES.items():
            inside = unit == code
            depth[inside] = np.clip(peat_depth[part][inside], lo, hi)
        peat[part] = _within(depth, soil[part], "peat_depth")
        below = np.full(unit.shape, 200.0)
        tidal = unit == 2
        below[tidal] = 30.0 + 60.0 * np.clip(near_km[tidal] / 1.5, 0.0, 1.5)
        near = (near_km < 8.0) & np.isin(unit, (8, 3, 4))
        below[near] = np.minimum(200.0, 110.0 + 10.0 * near_km[near] + depth[near] * 0.3)
        sulfidic[part] = _within(below, soil[part], "sulfidic_depth")
        level = np.digitize(depth, [150.0, 400.0]) + 1  # sapric, hemic, fibric
        maturity[part] = np.where(soil[part] & (depth > 0), level, -1)
    yield "peat_depth", peat
    del peat
    yield "sulfidic_depth", sulfidic
    del sulfidic

    for name in ("drainage", "texture", "flooding"):
        lookup = np.full(LAKE + 1, -1, dtype=np.int16)
        codes_of = {label: code for code, label in LEGENDS[name].items()}
        for code in codes:
            lookup[code] = codes_of[str(UNIT_PROPERTIES[code][name])]
        yield name, np.where(soil, lookup[units], -1).astype(np.int16)
    erosion = np.empty(units.shape, dtype=np.int16)
    for part in row_blocks(units.shape):
        level = np.digitize(slope[part] * np.clip(rainfall[part], 1500, 4000) / 2500.0,
                            [3, 8, 15, 30]) + 1
        level = np.where(np.isin(units[part], (2, 3, 4, 5, 6, 8)), 1, level)
        erosion[part] = np.where(soil[part], level, -1)
    yield "erosion", erosion
    del erosion
    yield "peat_maturity", maturity


class _UnitTable:
    """Median (continuous) or most common class (categorical) of each characteristic per unit.

    Filled one characteristic at a time (:meth:`add`), so the rasters need not
    be held together.
    """

    def __init__(self, units: np.ndarray) -> None:
        cells = cells_by_label(units, LAKE + 1, where=units > 0)
        self._cells = {code: cells[code] for code in UNITS if code != LAKE and cells[code].size}
        self._rows: dict[int, dict[str, float | str | None]] = {code: {} for code in self._cells}

    def add(self, name: str, raster: np.ndarray) -> None:
        """Summarise one characteristic raster over each unit."""
        flat = raster.ravel()
        for code, cells in self._cells.items():
            if name in CATEGORICAL:
                c = flat[cells]
                c = c[c >= 0]
                self._rows[code][name] = (LEGENDS[name][int(np.bincount(c).argmax())]
                                          if c.size else None)
            else:
                v = flat[cells]
                v = v[np.isfinite(v)]
                digits = 1 if name != "n_total" else 2
                self._rows[code][name] = round(float(np.median(v)), digits) if v.size else None

    def rows(self) -> dict[int, dict[str, float | str | None]]:
        """Return the table: per land unit (all of :data:`UNITS`), its row of summaries."""
        return {code: self._rows.get(code, dict.fromkeys([*CONTINUOUS, *CATEGORICAL]))
                for code in UNITS}
