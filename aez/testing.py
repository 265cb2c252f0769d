"""Small synthetic inputs for tests, examples and doctests.

:func:`write_tiny_region` writes a handful of layers that exercise every kind
of source the layer stack reads: rasters in the grid's own CRS, in EPSG:4326
and in a neighbouring UTM zone at a coarser resolution, a categorical raster
with a colour table, a land-unit polygon map with attributes, a road network,
and a table joined to the districts by code. The values are smooth synthetic
fields, not real data.

>>> import tempfile
>>> path = write_tiny_region(tempfile.mkdtemp(), resolution=200)
>>> path.name
'config.toml'

:data:`LAYERS` is the repository's ``layers/`` folder, which holds small extracts
of real public data about Indonesia (Kab. Sikka and Kutai Timur boundaries, BPS
tables, roads, towns, a DEM clip, crop-requirement references; sources and
licences in ``layers/PROVENANCE.md``); :func:`real_layer` finds a file in it. The
real-region examples and the tests that compare aez with real numbers read these,
so they run from any clone.

:data:`SHARED_DATA` is where the large references are looked for (whole-province
and national boundaries, the whole ECOCROP database): ``$AEZ_SHARED_DATA``, else
``shared/data`` beside the project folder. They are not part of the repository.

>>> real_layer("boundaries/kec_sikka_bps5310_kemendagri5307.geojson").name
'kec_sikka_bps5310_kemendagri5307.geojson'
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
from affine import Affine
from shapely.geometry import LineString, Polygon, box

from aez.errors import DataSourceError

__all__ = ["LAYERS", "SHARED_DATA", "TINY_BOUNDS", "TINY_CRS", "real_layer",
           "write_tiny_region"]

#: The real inputs committed with the project: ``layers/`` of the repository.
LAYERS = Path(__file__).resolve().parents[1] / "layers"

#: The large reference data folder (``$AEZ_SHARED_DATA``, else ``../shared/data`` of the
#: project); not part of the repository.
SHARED_DATA = Path(os.environ.get("AEZ_SHARED_DATA",
                                  Path(__file__).resolve().parents[2] / "shared" / "data"))


def real_layer(relative: str | Path, *, folder: str | Path | None = None) -> Path:
    """Path of a real input under the repository's ``layers/`` folder.

    Parameters
    ----------
    relative : str or Path
        The file's path inside ``layers/``, e.g.
        ``"boundaries/kec_kutai_timur_6408.geojson"``.
    folder : path, optional
        Look in this folder instead of :data:`LAYERS` (a copy with the same layout).

    Returns
    -------
    Path
        The existing file.

    Raises
    ------
    DataSourceError
        The file is not there: ``layers/`` comes with a clone of the repository, not
        with an installed wheel.
    """
    base = Path(folder) if folder is not None else LAYERS
    path = base / relative
    if not path.exists():
        raise DataSourceError(
            f"The real input {Path(relative).as_posix()!r} is not in {base}. It comes with "
            "a clone of the aez repository (its layers/ folder, rebuilt by layers/build.py); "
            "install aez from the clone (pip install -e .) or pass folder= a copy of "
            "layers/.")
    return path

#: The tiny region: 30 × 24 km on the UTM 50S / 51S boundary, near Flores.
TINY_CRS = "EPSG:32750"
TINY_BOUNDS = (770_000.0, 9_040_000.0, 800_000.0, 9_064_000.0)


def _field(x: np.ndarray, y: np.ndarray, seed: int) -> np.ndarray:
    """Make a smooth synthetic surface in [0, 1] from a few Gaussian hills."""
    rng = np.random.default_rng(seed)
    left, bottom, right, top = TINY_BOUNDS
    z = np.zeros(np.broadcast(x, y).shape)
    for _ in range(6):
        cx, cy = rng.uniform(left, right), rng.uniform(bottom, top)
        s = rng.uniform(3_000, 9_000)
        z += rng.uniform(0.3, 1.0) * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s))
    return z / max(float(z.max()), 1e-9)


def _write_raster(path: Path, data: np.ndarray, transform: Affine, crs: str, *,
                  nodata: float | None, units: str = "", colormap: dict | None = None) -> None:
    profile = {
        "driver": "GTiff", "width": data.shape[1], "height": data.shape[0], "count": 1,
        "dtype": data.dtype.name, "crs": crs, "transform": transform, "nodata": nodata,
        "tiled": True, "blockxsize": 256, "blockysize": 256, "compress": "deflate",
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)
        if units:
            dst.units = (units,)
        if colormap:
            dst.write_colormap(1, colormap)


def _centres(transform: Affine, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    rows, cols = np.mgrid[0 : shape[0], 0 : shape[1]]
    x, y = transform @ (cols + 0.5, rows + 0.5)
    return np.asarray(x), np.asarray(y)


def write_tiny_region(outdir: str | Path, *, resolution: float = 50.0, seed: int = 7) -> Path:
    """Write a tiny synthetic region and its run config; return the config path.

    Parameters
    ----------
    outdir : path
        Folder to write into (created if needed).
    resolution : float, default 50
        Analysis grid resolution in metres (the inputs keep their own).
    seed : int
        Seed of the synthetic fields.

    Returns
    -------
    Path
        ``outdir/config.toml``.
    """
    from pyproj import Transformer

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    left, bottom, right, top = TINY_BOUNDS

    # Elevation (m): on the analysis CRS at 30 m, int16 with a nodata value.
    t_dem = Affine(30.0, 0, left - 300, 0, -30.0, top + 300)
    shape = (int((top - bottom + 600) / 30), int((right - left + 600) / 30))
    x, y = _centres(t_dem, shape)
    dem = (20 + 1400 * _field(x, y, seed)).astype(np.int16)
    _write_raster(out / "dem.tif", dem, t_dem, TINY_CRS, nodata=-32768, units="m")

    # Rainfall (mm/yr): EPSG:4326 at 0.0005°.
    to_ll = Transformer.from_crs(TINY_CRS, "EPSG:4326", always_xy=True)
    lon0, lat0 = to_ll.transform(left - 1000, top + 1000)
    lon1, lat1 = to_ll.transform(right + 1000, bottom - 1000)
    step = 0.0005
    t_rain = Affine(step, 0, lon0, 0, -step, lat0)
    shape = (int((lat0 - lat1) / step) + 1, int((lon1 - lon0) / step) + 1)
    lon, lat = _centres(t_rain, shape)
    ux, uy = Transformer.from_crs("EPSG:4326", TINY_CRS, always_xy=True).transform(lon, lat)
    rain = (1200 + 1800 * _field(np.asarray(ux), np.asarray(uy), seed + 1)).astype(np.float32)
    _write_raster(out / "rainfall_wgs84.tif", rain, t_rain, "EPSG:4326", nodata=-9999.0,
                  units="mm/yr")

    # Soil pH: UTM 51S at 100 m (another zone, coarser).
    to_51 = Transformer.from_crs(TINY_CRS, "EPSG:32751", always_xy=True)
    xs, ys = to_51.transform([left - 2000, right + 2000, left - 2000, right + 2000],
                             [bottom - 2000, bottom - 2000, top + 2000, top + 2000])
    t_ph = Affine(100.0, 0, np.floor(min(xs) / 100) * 100, 0, -100.0, np.ceil(max(ys) / 100) * 100)
    shape = (int((max(ys) - min(ys)) / 100) + 2, int((max(xs) - min(xs)) / 100) + 2)
    px, py = _centres(t_ph, shape)
    bx, by = Transformer.from_crs("EPSG:32751", TINY_CRS, always_xy=True).transform(px, py)
    ph = (4.2 + 3.6 * _field(np.asarray(bx), np.asarray(by), seed + 2)).astype(np.float32)
    _write_raster(out / "ph_utm51.tif", ph, t_ph, "EPSG:32751", nodata=-9999.0, units="pH")

    # Drainage class: categorical uint8 with a colour table, on a 40 m grid offset by 7 m.
    t_dr = Affine(40.0, 0, left - 407, 0, -40.0, top + 393)
    shape = (int((top - bottom + 800) / 40), int((right - left + 800) / 40))
    dx, dy = _centres(t_dr, shape)
    wet = _field(dx, dy, seed + 3)
    drainage = np.digitize(wet, [0.15, 0.35, 0.6, 0.8]).astype(np.uint8) + 1
    colours = {1: (26, 150, 65, 255), 2: (166, 217, 106, 255), 3: (255, 255, 191, 255),
               4: (253, 174, 97, 255), 5: (215, 25, 28, 255)}
    _write_raster(out / "drainage.tif", drainage, t_dr, TINY_CRS, nodata=0, colormap=colours)

    # Districts: four kecamatan split by a wavy line, in EPSG:4326 like real boundaries.
    mid_x, mid_y = (left + right) / 2, (bottom + top) / 2
    wave = [(left + i * 1000.0, mid_y + 1500 * np.sin(i / 3)) for i in range(31)]
    north = Polygon([(left, top), (right, top), *reversed(wave)])
    south = Polygon([(left, bottom), (right, bottom), *reversed(wave)])
    quads = [
        north.intersection(box(left, bottom, mid_x, top)),
        north.intersection(box(mid_x, bottom, right, top)),
        south.intersection(box(left, bottom, mid_x, top)),
        south.intersection(box(mid_x, bottom, right, top)),
    ]
    districts = gpd.GeoDataFrame(
        {
            "kode_kemendagri": ["53.07.01", "53.07.02", "53.07.03", "53.07.04"],
            "kode_bps": ["5310010", "5310020", "5310030", "5310040"],
            "nama": ["Alok", "Kewapante", "Nita", "Magepanda"],
        },
        geometry=quads,
        crs=TINY_CRS,
    ).to_crs("EPSG:4326")
    districts.to_file(out / "kecamatan.gpkg", driver="GPKG")

    # Land units: a regular 3 × 3 polygon map with a numeric soil attribute.
    units = []
    for i in range(3):
        for j in range(3):
            x0, y0 = left - 500 + j * 10_500, bottom - 500 + i * 8_500
            units.append(box(x0, y0, x0 + 10_500, y0 + 8_500))
    rng = np.random.default_rng(seed)
    gpd.GeoDataFrame(
        {
            "spt": np.arange(1, 10),
            "cec_clay": np.round(rng.uniform(8, 30, 9), 1),
            "texture": ["fine", "medium", "coarse"] * 3,
        },
        geometry=units,
        crs=TINY_CRS,
    ).to_file(out / "land_units.gpkg", driver="GPKG")

    # Roads: two lines across the region, with a class attribute.
    gpd.GeoDataFrame(
        {"kelas": ["arteri", "lokal"]},
        geometry=[LineString([(left, mid_y - 3000), (right, mid_y + 2000)]),
                  LineString([(mid_x - 4000, bottom), (mid_x + 3000, top)])],
        crs=TINY_CRS,
    ).to_file(out / "roads.gpkg", driver="GPKG")

    # Population per kecamatan, keyed by the BPS code (a different system than Kemendagri's).
    pd.DataFrame(
        {"kode_bps": ["5310010", "5310020", "5310030", "5310040"],
         "penduduk": [41_200, 23_950, 28_310, 19_870]}
    ).to_csv(out / "penduduk.csv", index=False)

    config = out / "config.toml"
    config.write_text(_TINY_CONFIG.format(resolution=resolution), encoding="utf-8")
    return config


_TINY_CONFIG = """\
# A tiny synthetic region for trying aez (not real data).
[grid]
crs = "auto"
resolution = {resolution}

[study_area]
path = "kecamatan.gpkg"
id_column = "kode_kemendagri"
name_column = "nama"

[run]
executor = "serial"
tile_size = 256

[output]
dir = "aez-out"

[layers.dem]
path = "dem.tif"
units = "m"
role = "elevation"

[layers.rainfall]
path = "rainfall_wgs84.tif"
units = "mm/yr"

[layers.ph_h2o]
path = "ph_utm51.tif"
units = "pH"

[layers.drainage]
path = "drainage.tif"
kind = "categorical"
legend = {{ 1 = "well", 2 = "moderately_well", 3 = "somewhat_poor", 4 = "poor", 5 = "very_poor" }}

[layers.cec_clay]
path = "land_units.gpkg"
attribute = "cec_clay"
units = "cmol/kg"

[layers.texture]
path = "land_units.gpkg"
attribute = "texture"
kind = "categorical"
legend = {{ 1 = "fine", 2 = "medium", 3 = "coarse" }}

[layers.roads]
path = "roads.gpkg"
kind = "categorical"
role = "roads"

[layers.population]
path = "penduduk.csv"
attribute = "penduduk"
join = "kode_bps"
units = "people"
"""
