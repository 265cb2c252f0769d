"""Generate a demo region stage by stage from one seed, handing on each raster when made.

The stages run in dependency order: outline → landforms and DEM → lakes and
rivers → climate → soils → kecamatan and towns → villages, markets and port →
land status → roads → socio-economic tables → cooperatives. Each stage draws
from its own random stream, so the region depends only on the seed, the size
(or boundary file) and the resolution.

Each raster layer goes to a sink (a writer) as soon as its stage has made it,
and the generator keeps only the grids that later stages read (the DEM,
slope, rainfall, peat depth, salinity, drainage and the land units), so a
province at 100 m never holds all of its two dozen rasters at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio.features
import shapely

from aez.demo.climate import make_climate
from aez.demo.cooperatives import make_cooperatives
from aez.demo.districts import (
    Districts,
    districts_from_boundary,
    habitability,
    make_districts,
)
from aez.demo.fields import rng_for
from aez.demo.hydrology import Hydrology, route
from aez.demo.infrastructure import (
    make_roads,
    make_villages,
    place_markets,
)
from aez.demo.landstatus import LEGEND as STATUS_LEGEND
from aez.demo.landstatus import LandStatus, make_land_status
from aez.demo.manifest import layer_entries
from aez.demo.names import NameMaker
from aez.demo.region import SIZES, Canvas, boundary_canvas, synthetic_canvas
from aez.demo.socioeconomic import COMMODITIES, make_socioeconomics, suitability_proxy
from aez.demo.soils import LAKE, Soils, classify_landforms, make_soils
from aez.demo.terrain import Landscape, design_landscape, make_terrain, slope_percent
from aez.errors import ConfigError
from aez.grid import Grid
from aez.layer import Layer

__all__ = ["DEFAULT_SEED", "DemoRegion", "LayerSink", "generate_region"]

log = logging.getLogger(__name__)

#: Seed of ``aez demo`` when none is given.
DEFAULT_SEED = 42

#: Receives each raster layer of the region as soon as the stage that makes it is done.
LayerSink = Callable[[Layer], None]

#: Soil grids that stages after the soils read (the others are handed on and dropped).
SOIL_GRIDS_KEPT = ("peat_depth", "salinity", "drainage")


@dataclass(frozen=True, eq=False)
class DemoRegion:
    """What the generator made besides the raster layers it handed to its sink.

    ``layers`` holds the raster layers (by name of
    :data:`aez.demo.manifest.LAYERS`) only when :func:`generate_region` was
    given no sink; it is empty otherwise. ``soils`` keeps the land units, the
    per-unit table and :data:`SOIL_GRIDS_KEPT`.
    """

    seed: int
    size: str
    canvas: Canvas
    landscape: Landscape
    hydrology: Hydrology
    soils: Soils
    districts: Districts
    villages: gpd.GeoDataFrame
    land_status: LandStatus
    rivers: gpd.GeoDataFrame
    lakes: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    markets: gpd.GeoDataFrame
    port: gpd.GeoDataFrame
    population: pd.DataFrame
    production: pd.DataFrame
    sentra: pd.DataFrame
    cooperatives: gpd.GeoDataFrame
    layers: dict[str, Layer] = field(default_factory=dict)

    @property
    def dem(self) -> np.ndarray:
        """The final, hydrologically conditioned elevation (m)."""
        return self.hydrology.dem


def _check(seed: int, resolution: float) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ConfigError(f"seed = {seed!r}; expected a whole number ≥ 0.")
    if not 10.0 <= float(resolution) <= 500.0:
        raise ConfigError(
            f"resolution = {resolution} m; the demo generator works from 10 to 500 m. "
            "Pick a cell size in that range (50 m is the default)."
        )


def _cell(canvas: Canvas, x: float, y: float) -> tuple[int, int]:
    t = canvas.grid.transform
    r = min(max(int((y - t.f) / t.e), 0), canvas.grid.height - 1)
    c = min(max(int((x - t.c) / t.a), 0), canvas.grid.width - 1)
    return r, c


def _rivers(canvas: Canvas, hydro: Hydrology, *, seed: int) -> gpd.GeoDataFrame:
    names = NameMaker(rng_for(seed, "river-names"))
    main: dict[int, str] = {}
    rows = []
    for seg in hydro.segments:
        xs, ys = canvas.x[0, seg.cols], canvas.y[seg.rows, 0]
        start = float(hydro.dem[seg.rows[0], seg.cols[0]])
        if seg.order >= 3 and seg.basin not in main:
            main[seg.basin] = names.named("Sungai")
        rows.append({
            "nama": main.get(seg.basin, "") if seg.order >= 3 else "",
            "order": int(seg.order), "width_m": float(5 * 2 ** (seg.order - 1)),
            "navigable": bool(seg.order >= 3 and start < 25.0),
            "area_km2": round(seg.area_km2, 1), "basin": int(seg.basin),
            "geometry": shapely.LineString(np.column_stack([xs, ys])),
        })
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=canvas.grid.crs)


def _lakes(canvas: Canvas, hydro: Hydrology, *, seed: int) -> gpd.GeoDataFrame:
    names = NameMaker(rng_for(seed, "lake-names"))
    rows = []
    for i, level in enumerate(hydro.lake_levels, start=1):
        mask = hydro.lakes == i
        if not mask.any():
            continue
        shapes = [shapely.geometry.shape(g) for g, v in rasterio.features.shapes(
            mask.astype(np.uint8), mask=mask, transform=canvas.grid.transform) if v == 1]
        geom = shapely.union_all(shapes)
        rows.append({"nama": names.named("Danau"), "elevasi_m": level,
                     "luas_ha": round(geom.area / 1e4, 1), "geometry": geom})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=canvas.grid.crs)


def _raster_layer(grid: Grid, name: str, data: np.ndarray) -> Layer:
    """Make the demo raster ``name`` a layer: float32 with its units, or int16 classes.

    Units and legends are those of the layer manifest
    (:func:`aez.demo.manifest.layer_entries`).
    """
    entry = layer_entries()[name]
    if entry["kind"] == "categorical":
        return Layer(name, data.astype(np.int16, copy=False), grid, kind="categorical",
                     nodata=-1, legend=entry["legend"])
    return Layer(name, data.astype(np.float32, copy=False), grid, units=entry["units"])


def generate_region(*, seed: int = DEFAULT_SEED, resolution: float = 50.0,
                    size: str = "medium", boundary: str | Path | None = None,
                    id_column: str | None = None, name_column: str | None = None,
                    sink: LayerSink | None = None) -> DemoRegion:
    """Generate a demo region (see :func:`aez.demo.write_demo_region` for the parameters).

    Each raster layer (DEM, climate, soil characteristics, land status) is
    handed to ``sink`` as soon as its stage has made it, and only the grids
    later stages read are kept. Without a sink the layers are collected in
    :attr:`DemoRegion.layers`.
    """
    _check(seed, resolution)
    res = float(resolution)
    if boundary is not None:
        if id_column is None:
            raise ConfigError(
                "A boundary file needs the column that holds the kecamatan codes: pass "
                "it, e.g. id_column=\"kode_kemendagri\"."
            )
        canvas = boundary_canvas(boundary, id_column=id_column, name_column=name_column,
                                 resolution=res)
    else:
        canvas = synthetic_canvas(seed=seed, size=size, resolution=res)
    log.info("Outline: %r", canvas.grid)
    layers: dict[str, Layer] = {}

    def emit(name: str, data: np.ndarray) -> None:
        layer = _raster_layer(canvas.grid, name, data)
        if sink is None:
            layers[name] = layer
        else:
            sink(layer)

    landscape = design_landscape(canvas, seed=seed)
    dem, terrain = make_terrain(canvas, landscape, seed=seed)
    land_km2 = float(canvas.land.sum()) * res * res / 1e6
    lake_seeds = (
        (*_cell(canvas, *landscape.lake), int(4 * landscape.lake_radius / res) + 2),
        (*_cell(canvas, *landscape.volcano), int(3 * landscape.crater_radius / res) + 2),
    )
    hydro = route(dem, canvas.land, res=res, min_area_km2=min(max(
        land_km2 / 300.0, 0.5), 20.0), lake_seeds=lake_seeds, rng=rng_for(seed, "routing"))
    dem = hydro.dem  # the DEM before routing is no longer needed
    emit("dem", np.round(dem, 2))
    slope = slope_percent(dem, res)
    climate = make_climate(canvas, dem, seed=seed)
    emit("rainfall", climate.rainfall)
    emit("dry_months", climate.dry_months)
    emit("humidity", climate.humidity)
    rainfall = climate.rainfall
    del climate
    raw = classify_landforms(canvas, terrain, dem, slope, river_order=hydro.river_order,
                             lakes=hydro.lakes)
    peat_depth = terrain.peat_depth
    del terrain  # its other landform grids are not needed once the landforms are classified
    soils = make_soils(canvas, raw, slope, seed=seed, peat_depth=peat_depth,
                       rainfall=rainfall, sink=emit, keep=SOIL_GRIDS_KEPT)
    del raw, peat_depth
    log.info("Terrain, rivers, climate and soils done")

    wet = (hydro.lakes > 0) | (soils.grids["peat_depth"] > 0) | (soils.units == 2)
    score = habitability(canvas, dem, slope, wet=wet, river_order=hydro.river_order)
    del wet
    if boundary is not None:
        districts = districts_from_boundary(
            canvas, dem, seed=seed, id_column=str(id_column), name_column=name_column,
            score=score, river_order=hydro.river_order)
    else:
        lo, hi = SIZES[size].kecamatan
        n = int(rng_for(seed, "count").integers(lo, hi + 1))
        districts = make_districts(canvas, dem, seed=seed, n=n, score=score,
                                   river_order=hydro.river_order)
    villages = make_villages(canvas, score, districts.index,
                             districts.frame["kode_kemendagri"].tolist(), seed=seed)
    markets, port = place_markets(canvas, districts.towns, villages, seed=seed)
    towns_xy = np.column_stack([districts.towns.geometry.x, districts.towns.geometry.y])
    villages_xy = np.column_stack([villages.geometry.x, villages.geometry.y]) if len(
        villages) else np.zeros((0, 2))
    status = make_land_status(
        canvas, seed=seed, dem=dem, slope=slope, units=soils.units,
        peat_depth=soils.grids["peat_depth"], lakes=hydro.lakes, towns=towns_xy,
        capital=districts.capital, villages=villages_xy,
        crater=(*landscape.volcano, landscape.crater_radius))
    emit("land_status", status.codes)
    town_scores = np.array([score[_cell(canvas, x, y)] for x, y in towns_xy])
    order = np.argsort(-town_scores, kind="stable")
    roads = make_roads(canvas, towns_xy, districts.capital, villages_xy, order,
                       (float(port.geometry.x.iloc[0]), float(port.geometry.y.iloc[0])),
                       slope=slope, units=soils.units, lakes=hydro.lakes)
    log.info("Kecamatan, villages, land status and roads done")

    population, production, sentra = _tables(canvas, districts, status, soils, rainfall, dem,
                                             slope, score, seed=seed)
    del rainfall, slope, score
    places = pd.concat([districts.towns[["kode_kemendagri", "geometry"]],
                        villages[["kode_kemendagri", "geometry"]]], ignore_index=True)
    cooperatives = make_cooperatives(seed=seed, districts=districts.frame,
                                     places=gpd.GeoDataFrame(places, crs=canvas.grid.crs),
                                     production=production)
    return DemoRegion(
        seed=seed, size=size if boundary is None else "boundary", canvas=canvas,
        landscape=landscape, hydrology=hydro, soils=soils,
        districts=districts, villages=villages, land_status=status,
        rivers=_rivers(canvas, hydro, seed=seed), lakes=_lakes(canvas, hydro, seed=seed),
        roads=roads, markets=markets, port=port, population=population,
        production=production, sentra=sentra, cooperatives=cooperatives, layers=layers,
    )


def _tables(canvas: Canvas, districts: Districts, status: LandStatus, soils: Soils,
            rainfall: np.ndarray, dem: np.ndarray, slope: np.ndarray, score: np.ndarray, *,
            seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Per-kecamatan inputs of the socio-economic tables, then the tables themselves."""
    codes = {label: code for code, label in STATUS_LEGEND.items()}
    index = districts.index
    n = len(districts.frame)
    cell_ha = canvas.res * canvas.res / 1e4
    farm = np.isin(status.codes, (codes["apl"], codes["perkebunan"]))
    settled = status.codes == codes["permukiman"]
    valid = index >= 0
    farmland = np.bincount(index[farm & valid], minlength=n) * cell_ha
    settlement = np.bincount(index[settled & valid], minlength=n) * cell_ha
    cells = np.maximum(np.bincount(index[valid], minlength=n), 1)
    habitable = np.bincount(index[valid], weights=score[valid], minlength=n) / cells
    towns = districts.towns.geometry
    coast = np.array([canvas.coast_km[_cell(canvas, p.x, p.y)] for p in towns])

    # The suitability proxy on a subsample of farmland cells (at most ~200 000).
    stride = max(1, int(np.sqrt(canvas.grid.size / 200_000)))
    sub = (slice(None, None, stride), slice(None, None, stride))
    pick = (farm & valid & (soils.units != LAKE))[sub]
    idx = index[sub][pick]
    args = {
        "elevation": np.nan_to_num(dem[sub][pick]),
        "rainfall": rainfall[sub][pick].astype(np.float64),
        "slope": slope[sub][pick],
        "drainage": soils.grids["drainage"][sub][pick],
        "peat_depth": np.nan_to_num(soils.grids["peat_depth"][sub][pick]),
        "salinity": np.nan_to_num(soils.grids["salinity"][sub][pick]),
    }
    count = np.maximum(np.bincount(idx, minlength=n), 1)
    suitability = {
        name: np.bincount(idx, weights=suitability_proxy(crop, **args), minlength=n) / count
        for name, crop in COMMODITIES.items()
    }
    return make_socioeconomics(
        seed=seed, districts=districts.frame, farmland_ha=farmland, habitable=habitable,
        settlement_ha=settlement, coast_km=coast, suitability=suitability,
        capital=districts.capital,
    )
