"""Small files in each provider's native layout, for tests, examples and benchmarks.

Each writer reproduces what matters of the provider's layout: file names,
CRS (SoilGrids' Homolosine; geographic WGS 84 for the others), grid origin
and cell size, data type, scale (mapped units), nodata and band layout. The
values are synthetic, with a few cells set to the hand-computed cases the
tests check (:data:`HAND`): in every source the first cell (row 0, column 0)
holds them.

>>> import tempfile
>>> files = write_chirps(tempfile.mkdtemp(), (122.0, -8.7, 122.2, -8.5), years=(2010, 2010))
>>> sorted(p.name for p in files)[:2]
['chirps-v2.0.2010.01.tif', 'chirps-v2.0.2010.02.tif']
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import rasterio.shutil
from affine import Affine
from pyproj import Transformer
from rasterio.crs import CRS
from rasterio.io import MemoryFile
from shapely.geometry import box

from aez.sources.soilgrids import HOMOLOSINE_PROJ

__all__ = [
    "HAND",
    "write_chirps",
    "write_chirps_netcdf",
    "write_dem_tiles",
    "write_hwsd",
    "write_soilgrids",
    "write_sources",
    "write_spt",
    "write_worldclim",
]

Bounds = tuple[float, float, float, float]

#: The hand-computed cases held by the first cell of each source's files.
HAND: dict[str, Any] = {
    # SoilGrids mapped units, the same at every depth.
    "soilgrids": {"phh2o": 55, "soc": 150, "cec": 250, "cfvo": 120, "sand": 200, "silt": 300,
                  "clay": 500, "nitrogen": 200},
    # 12 monthly rainfall values (mm): annual 1825, 4 dry months (< 60), 7 wet (> 100),
    # Q = 57.14 % (type C), Oldeman 5 consecutive wet (> 200), 5 dry (< 100): C3.
    "rainfall": (300.0, 250.0, 220.0, 150.0, 90.0, 50.0, 40.0, 30.0, 55.0, 120.0, 210.0, 310.0),
}

#: SoilGrids' global grid: origin and cell size of the Homolosine rasters (m).
SOILGRIDS_ORIGIN = (-19949750.0, 8361000.0)
SOILGRIDS_CELL = 250.0
#: SoilGrids' default property set and depths written by :func:`write_soilgrids`.
SOILGRIDS_BASE = {"phh2o": 55, "soc": 150, "cec": 250, "cfvo": 120, "sand": 200, "silt": 300,
                  "clay": 500, "nitrogen": 200}


def _snap(bounds: Bounds, origin: tuple[float, float], cell: float,
          pad: int = 2) -> tuple[Affine, tuple[int, int]]:
    """Return a north-up grid aligned on ``origin`` over ``bounds``, ``pad`` cells wider."""
    left, bottom, right, top = bounds
    c0 = math.floor((left - origin[0]) / cell) - pad
    c1 = math.ceil((right - origin[0]) / cell) + pad
    r0 = math.floor((origin[1] - top) / cell) - pad
    r1 = math.ceil((origin[1] - bottom) / cell) + pad
    transform = Affine(cell, 0, origin[0] + c0 * cell, 0, -cell, origin[1] - r0 * cell)
    return transform, (r1 - r0, c1 - c0)


def _project_bounds(bounds: Bounds, crs: str) -> Bounds:
    to = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    lons = np.linspace(bounds[0], bounds[2], 11)
    lats = np.linspace(bounds[1], bounds[3], 11)
    x, y = to.transform(*np.meshgrid(lons, lats))
    return float(np.min(x)), float(np.min(y)), float(np.max(x)), float(np.max(y))


def _write(path: Path, data: np.ndarray, transform: Affine, crs: CRS | str, nodata: float | None,
           *, driver: str = "GTiff", **extra: object) -> Path:
    profile = {"driver": driver, "width": data.shape[1], "height": data.shape[0], "count": 1,
               "dtype": data.dtype.name, "crs": crs, "transform": transform, "nodata": nodata,
               **extra}
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)
    return path


def _ramp(shape: tuple[int, int], seed: int) -> np.ndarray:
    """Return a smooth integer pattern 0…39 (row and column ramps), different per seed."""
    rows, cols = np.mgrid[0:shape[0], 0:shape[1]]
    return (3 * cols + 2 * rows + 7 * seed) % 40


def write_soilgrids(folder: str | Path, bounds: Bounds, *,
                    properties: Sequence[str] = tuple(SOILGRIDS_BASE),
                    depths: Sequence[str] = ("0-5cm", "5-15cm", "15-30cm"),
                    statistic: str = "mean") -> list[Path]:
    """Write SoilGrids 2.0 rasters (``PROPERTY_DEPTH_STAT.tif``) covering lon/lat ``bounds``.

    int16 in mapped units on the Homolosine 250 m grid, nodata −32768. Cell
    (0, 0) holds :data:`HAND` at every depth; cell (0, 1) holds pH 50 / 55 /
    60 at 0-5 / 5-15 / 15-30 cm; the last cell is nodata; elsewhere values
    vary smoothly (sand + silt + clay = 1000).
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    crs = CRS.from_proj4(HOMOLOSINE_PROJ)
    transform, shape = _snap(_project_bounds(bounds, crs.to_wkt()), SOILGRIDS_ORIGIN,
                             SOILGRIDS_CELL)
    files = []
    for d, depth in enumerate(depths):
        ramp = _ramp(shape, d)
        fields = {
            "phh2o": 45 + ramp + d * 2,
            "soc": 80 + 5 * ramp - 10 * d,
            "cec": 120 + 6 * ramp,
            "cfvo": 40 + 4 * ramp,
            "clay": 150 + 10 * ramp,
            "silt": 150 + 5 * ((ramp + 13) % 40),
            "nitrogen": 100 + 4 * ramp,
            "bdod": 110 + ramp,
        }
        fields["sand"] = 1000 - fields["clay"] - fields["silt"]
        for prop in properties:
            data = np.asarray(fields[prop], dtype=np.int16)
            data[0, 0] = HAND["soilgrids"][prop]
            if prop == "phh2o":
                data[0, 1] = (50, 55, 60, 65, 70, 75)[d]
            data[-1, -1] = -32768
            path = out / f"{prop}_{depth}_{statistic}.tif"
            files.append(_write(path, data, transform, crs, -32768, tiled=True,
                                blockxsize=256, blockysize=256, compress="deflate"))
    return files


def _monthly_fields(shape: tuple[int, int], years: Sequence[int]) -> np.ndarray:
    """(years, 12, rows, cols) rainfall (mm): the hand profile scaled by place and year."""
    profile = np.asarray(HAND["rainfall"])
    rows, cols = np.mgrid[0:shape[0], 0:shape[1]]
    place = 0.6 + 0.05 * (cols % 17) + 0.03 * (rows % 13)
    place[0, 0] = 1.0
    out = np.empty((len(years), 12, *shape))
    for i, year in enumerate(years):
        trend = 1.0 + 0.02 * ((year - years[0]) % 5)
        for m in range(12):
            out[i, m] = np.round(profile[m] * place * trend, 1)
        out[i, :, 0, 0] = profile
    return out


def write_chirps(folder: str | Path, bounds: Bounds, *, years: tuple[int, int] = (2010, 2019),
                 gzip: bool = False) -> list[Path]:
    """Write CHIRPS v2.0 monthly GeoTIFFs ``chirps-v2.0.YYYY.MM.tif`` covering ``bounds``.

    float32 mm/month on the global 0.05° grid (origin −180°, 50°N), nodata
    −9999 (the last cell, as over the sea). Cell (0, 0) holds the hand
    profile :data:`HAND` every year.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    transform, shape = _snap(bounds, (-180.0, 50.0), 0.05, pad=1)
    year_list = list(range(years[0], years[1] + 1))
    values = _monthly_fields(shape, year_list).astype(np.float32)
    files = []
    for i, year in enumerate(year_list):
        for m in range(12):
            data = values[i, m].copy()
            data[-1, -1] = -9999.0
            name = f"chirps-v2.0.{year}.{m + 1:02d}.tif"
            path = _write(out / name, data, transform, "EPSG:4326", -9999.0)
            if gzip:
                import gzip as gz

                with gz.open(f"{path}.gz", "wb") as packed:
                    packed.write(path.read_bytes())
                path.unlink()
                path = Path(f"{path}.gz")
            files.append(path)
    return files


def write_chirps_netcdf(folder: str | Path, bounds: Bounds, *,
                        years: tuple[int, int] = (2010, 2011)) -> Path:
    """Write ``chirps-v2.0.monthly.nc``: ``precip`` (time, latitude, longitude), as CHC does.

    NetCDF with latitude ascending (south to north), longitude and time in
    days since 1980-1-1, float32 mm/month with _FillValue −9999; the same
    values as :func:`write_chirps` (cell (0, 0), the north-west one, holds
    the hand profile).
    """
    import datetime

    from scipy.io import netcdf_file

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    transform, shape = _snap(bounds, (-180.0, 50.0), 0.05, pad=1)
    year_list = list(range(years[0], years[1] + 1))
    values = _monthly_fields(shape, year_list).astype(np.float32)
    values[:, :, -1, -1] = -9999.0
    stack = values.reshape(len(year_list) * 12, *shape)[:, ::-1, :]  # south to north
    path = out / "chirps-v2.0.monthly.nc"
    nc = netcdf_file(path, "w")
    try:
        nc.createDimension("time", stack.shape[0])
        nc.createDimension("latitude", shape[0])
        nc.createDimension("longitude", shape[1])
        time = nc.createVariable("time", "f4", ("time",))
        time.units = "days since 1980-1-1 0:0:0"
        time.calendar = "gregorian"
        origin = datetime.date(1980, 1, 1)
        time[:] = [(datetime.date(y, m, 1) - origin).days for y in year_list
                   for m in range(1, 13)]
        lat = nc.createVariable("latitude", "f4", ("latitude",))
        lat.units = "degrees_north"
        lat[:] = (transform.f + transform.e * (np.arange(shape[0]) + 0.5))[::-1]
        lon = nc.createVariable("longitude", "f4", ("longitude",))
        lon.units = "degrees_east"
        lon[:] = transform.c + transform.a * (np.arange(shape[1]) + 0.5)
        precip = nc.createVariable("precip", "f4", ("time", "latitude", "longitude"))
        precip.units = "mm/month"
        precip._FillValue = np.float32(-9999.0)
        precip[:] = stack
    finally:
        nc.close()
    return path


def write_worldclim(folder: str | Path, bounds: Bounds, *, res: str = "30s",
                    years: tuple[int, int] | None = None) -> list[Path]:
    """Write WorldClim 2.1 files covering ``bounds``.

    Without ``years``: the normals ``wc2.1_30s_tavg_MM.tif`` (float32 °C,
    nodata −3.4e38) and ``wc2.1_30s_prec_MM.tif`` (int16 mm, nodata −32768),
    and ``wc2.1_30s_bio_1.tif`` / ``bio_12``. With ``years``: historical
    monthly ``wc2.1_2.5m_prec_YYYY-MM.tif``, ``tmin`` and ``tmax``.
    Cell (0, 0) holds the hand rainfall profile and 25 °C ± 1.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    cell = {"30s": 1 / 120, "2.5m": 1 / 24, "5m": 1 / 12, "10m": 1 / 6}[res]
    transform, shape = _snap(bounds, (-180.0, 90.0), cell, pad=1)
    rows, cols = np.mgrid[0:shape[0], 0:shape[1]]
    season = np.array([0.6, 0.7, 0.8, 0.7, 0.3, -0.2, -0.6, -0.8, -0.5, 0.0, 0.4, 0.6])
    base_t = 25.0 - 0.05 * (rows % 20) - 0.03 * (cols % 20)
    base_t[0, 0] = 25.0
    nodata_t = float(np.finfo(np.float32).min)
    files = []
    if years is None:
        rain = _monthly_fields(shape, [0])[0]
        for m in range(12):
            t = (base_t + season[m]).astype(np.float32)
            t[-1, -1] = nodata_t
            files.append(_write(out / f"wc2.1_{res}_tavg_{m + 1:02d}.tif", t, transform,
                                "EPSG:4326", nodata_t))
            p = np.round(rain[m]).astype(np.int16)
            p[-1, -1] = -32768
            files.append(_write(out / f"wc2.1_{res}_prec_{m + 1:02d}.tif", p, transform,
                                "EPSG:4326", -32768))
        bio1 = (base_t + season.mean()).astype(np.float32)
        bio1[-1, -1] = nodata_t
        bio12 = np.round(rain).sum(axis=0).astype(np.float32)
        bio12[-1, -1] = nodata_t
        files.append(_write(out / f"wc2.1_{res}_bio_1.tif", bio1, transform, "EPSG:4326",
                            nodata_t))
        files.append(_write(out / f"wc2.1_{res}_bio_12.tif", bio12, transform, "EPSG:4326",
                            nodata_t))
        return files
    year_list = list(range(years[0], years[1] + 1))
    rain = _monthly_fields(shape, year_list)
    for i, year in enumerate(year_list):
        for m in range(12):
            stem = f"wc2.1_{res}_{{}}_{year}-{m + 1:02d}.tif"
            for var, value in (("tmin", base_t + season[m] - 4), ("tmax", base_t + season[m] + 4)):
                t = value.astype(np.float32)
                t[-1, -1] = nodata_t
                files.append(_write(out / stem.format(var), t, transform, "EPSG:4326", nodata_t))
            p = rain[i, m].astype(np.float32)
            p[-1, -1] = nodata_t
            files.append(_write(out / stem.format("prec"), p, transform, "EPSG:4326", nodata_t))
    return files


def _elevation(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return 20 + 900 * (1 + np.sin(lon * 37.0) * np.cos(lat * 29.0)) / 2


def write_dem_tiles(folder: str | Path, bounds: Bounds, *, kind: str = "srtm",
                    skip: Sequence[str] = ()) -> list[Path]:
    """Write the DEM tiles that cover ``bounds``: SRTM 3″ ``.hgt``, DEMNAS or Copernicus names.

    SRTM tiles are 1°, 1201 × 1201 int16 (edges shared with the
    neighbours, −32768 voids: a few cells near each tile's centre);
    ``demnas`` and ``copernicus`` tiles are 0.1° float32 GeoTIFFs named as
    the providers name them. ``skip`` leaves tiles out by name (to make a gap).
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    if kind == "srtm":
        n, cell, step = 1201, 1 / 1200, 1.0
    else:
        n, cell, step = 360, 0.1 / 360, 0.1
    lon0 = math.floor(bounds[0] / step) * step
    lat0 = math.floor(bounds[1] / step) * step
    lons = np.arange(lon0, bounds[2], step)
    lats = np.arange(lat0, bounds[3], step)
    for j, lon in enumerate(lons):
        for i, lat in enumerate(lats):
            lon, lat = round(float(lon), 6), round(float(lat), 6)
            if kind == "srtm":
                transform = Affine(cell, 0, lon - cell / 2, 0, -cell, lat + 1 + cell / 2)
                size = n
            else:
                transform = Affine(cell, 0, lon, 0, -cell, lat + step)
                size = n
            cols, rows = np.meshgrid(np.arange(size) + 0.5, np.arange(size) + 0.5)
            x, y = transform @ (cols, rows)
            z = _elevation(np.asarray(x), np.asarray(y))
            ns = f"{'N' if lat >= 0 else 'S'}{abs(math.floor(lat)):02d}"
            ew = f"{'E' if lon >= 0 else 'W'}{abs(math.floor(lon)):03d}"
            if kind == "srtm":
                name = f"{ns}{ew}.hgt"
                data = np.round(z).astype(np.int16)
                data[size // 2: size // 2 + 3, size // 2: size // 2 + 3] = -32768
            elif kind == "demnas":
                name = f"DEMNAS_{2500 + i:04d}-{10 + j:02d}_v1.0.tif"
                data = z.astype(np.float32)
            else:
                name = f"Copernicus_DSM_COG_10_{ns}_00_{ew}_00_DEM_{i}{j}.tif"
                data = z.astype(np.float32)
            if name in skip:
                continue
            if kind == "srtm":
                with MemoryFile() as memory:
                    with memory.open(driver="GTiff", width=size, height=size, count=1,
                                     dtype="int16", crs="EPSG:4326", transform=transform,
                                     nodata=-32768) as dst:
                        dst.write(data, 1)
                    with memory.open() as src:
                        rasterio.shutil.copy(src, out / name, driver="SRTMHGT")
                (out / f"{name}.aux.xml").unlink(missing_ok=True)
                files.append(out / name)
            else:
                nodata = None if kind == "copernicus" else -32767.0
                files.append(_write(out / name, data, transform, "EPSG:4326", nodata))
    return files


def write_hwsd(folder: str | Path, bounds: Bounds) -> list[Path]:
    """Write ``HWSD2.bil`` (uint16 SMU ids, 30″, nodata 65535) and ``HWSD2_LAYERS.csv``.

    Four SMUs in quadrants (11001 north-west … 11004 south-east); each has a
    dominant soil (SEQUENCE 1, SHARE 60) and a second one (SHARE 40), with
    layers D1–D7. SMU 11001: soil 1 pH 5.0 (D1, 0-20) and 6.5 (D2, 20-40),
    drainage MW, USDA texture 9 (loam); soil 2 pH 7.0, drainage P, texture 3
    (clay). Its 0–30 cm pH is 5.5 (dominant) or 6.1 (share-weighted).
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    transform, shape = _snap(bounds, (-180.0, 90.0), 1 / 120, pad=1)
    rows, cols = np.mgrid[0:shape[0], 0:shape[1]]
    smu = (11001 + (rows >= shape[0] // 2) * 2 + (cols >= shape[1] // 2)).astype(np.uint16)
    smu[-1, -1] = 65535
    raster = _write(out / "HWSD2.bil", smu, transform, "EPSG:4326", 65535, driver="EHdr")
    (out / "HWSD2.bil.aux.xml").unlink(missing_ok=True)
    depths = [(0, 20), (20, 40), (40, 60), (60, 80), (80, 100), (100, 150), (150, 200)]
    rows_out = []
    for k, unit in enumerate(range(11001, 11005)):
        for seq, share in ((1, 60), (2, 40)):
            for d, (top, bottom) in enumerate(depths):
                dominant = seq == 1
                ph = (5.0 if d == 0 else 6.5) if dominant else 7.0
                rows_out.append({
                    "HWSD2_SMU_ID": unit, "LAYER": f"D{d + 1}", "SEQUENCE": seq, "SHARE": share,
                    "TOPDEP": top, "BOTDEP": bottom,
                    "DRAINAGE": ("MW", "W", "I", "SE")[k] if dominant else "P",
                    "TEXTURE_USDA": (9, 11, 5, 13)[k] if dominant else 3,
                    "PH_WATER": ph + 0.1 * k, "CEC_CLAY": 20.0 + 4 * k + (0 if dominant else 10),
                    "BSAT": 50.0 + 5 * k, "ORG_CARBON": (1.2 if d == 0 else 0.6) + 0.1 * k,
                    "ELEC_COND": 0.5 + 0.1 * k, "ESP": 2.0 + k,
                    "COARSE": 10.0 if dominant else -9.0,
                })
    table = out / "HWSD2_LAYERS.csv"
    pd.DataFrame(rows_out).to_csv(table, index=False)
    return [raster, table]


def write_spt(folder: str | Path, bounds: Bounds, *, words: dict[str, str] | None = None
              ) -> Path:
    """Write a BBSDLP-style SPT GeoPackage of four map units (2 × 2) covering ``bounds``.

    Attributes use the Indonesian field names and class words of the
    shipped profile; numbers use a decimal comma in one column. ``words``
    replaces the drainage word of the first unit (to test unknown words).
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    left, bottom, right, top = bounds
    pad = 0.02
    mx, my = (left + right) / 2, (bottom + top) / 2
    polygons = [box(left - pad, my, mx, top + pad), box(mx, my, right + pad, top + pad),
                box(left - pad, bottom - pad, mx, my), box(mx, bottom - pad, right + pad, my)]
    frame = gpd.GeoDataFrame({
        "SPT": [1, 2, 3, 4],
        "Drainase": ["baik", "agak terhambat", "Sedang", "terhambat"],
        "Tekstur": ["agak halus", "halus", "sedang", "agak kasar"],
        "Kedalaman efektif": ["dalam", "75", "sedang", "dangkal"],
        "Lereng": ["0-3", "8-15", "3-8", "15-25"],
        "Bahaya erosi": ["sangat ringan", "ringan", "sedang", "berat"],
        "KTK": ["24,5", "16", "30,2", "12"],
        "KB": [55.0, 40.0, 62.0, 35.0],
        "pH H2O": ["5,5", "4,8", "6,2", "5,0"],
        "C-organik": [1.8, 2.4, 1.1, 0.9],
    }, geometry=polygons, crs="EPSG:4326")
    if words:
        for column, word in words.items():
            frame.loc[0, column] = word
    path = out / "spt.gpkg"
    frame.to_file(path, driver="GPKG", layer="spt")
    return path


def write_sources(folder: str | Path, bounds: Bounds, *, years: tuple[int, int] = (2010, 2012)
                  ) -> dict[str, Path]:
    """Write every source's fixtures into sub-folders of ``folder``; return them by source."""
    root = Path(folder)
    write_soilgrids(root / "soilgrids", bounds)
    write_hwsd(root / "hwsd", bounds)
    write_spt(root / "spt", bounds)
    write_dem_tiles(root / "dem", bounds)
    write_chirps(root / "chirps", bounds, years=years)
    write_worldclim(root / "worldclim", bounds)
    return {name: root / name for name in ("soilgrids", "hwsd", "spt", "dem", "chirps",
                                           "worldclim")}
