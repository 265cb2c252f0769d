"""Writing a generated demo region: GeoTIFFs, GeoPackages, CSV and XLSX tables, manifests.

Every file is written under a temporary name and renamed when complete
(:func:`aez.io.atomic_output`). Outputs are reproducible byte for byte:

* GeoTIFFs go through :func:`aez.io.write_geotiff`, which is deterministic
  and tags units, kind and legend;
* GeoPackages are written with GDAL's ``OGR_CURRENT_DATE`` fixed, so the
  ``last_change`` stamp in ``gpkg_contents`` does not record the time of the
  run, and with an explicit layer name (not the temporary file's name);
* the XLSX workbook has fixed document dates (:mod:`aez.demo.bpsxlsx`).
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from aez.demo.bpsxlsx import write_bps_workbook
from aez.demo.districts import KABUPATEN_BPS, KABUPATEN_KEMENDAGRI
from aez.demo.generate import DemoRegion
from aez.demo.landstatus import LEGEND as STATUS_LEGEND
from aez.demo.landstatus import NAMES as STATUS_NAMES
from aez.demo.manifest import (
    LAYERS,
    REGION_OF_SETTING,
    config_text,
    layer_entries,
    manifest_text,
)
from aez.demo.socioeconomic import make_prices
from aez.demo.soils import LEGENDS, UNITS
from aez.demo.vectorize import polygonize_classes
from aez.errors import OutputExistsError
from aez.io import atomic_output, write_geotiff
from aez.layer import Layer
from aez.version import __version__

__all__ = ["GPKG_DATE", "write_region"]

log = logging.getLogger(__name__)

#: Every file a demo region consists of (besides the optional preview.png).
OUTPUTS: tuple[str, ...] = (
    *dict.fromkeys(LAYERS.values()), "kecamatan.gpkg", "kecamatan_crosswalk.csv", "kota.gpkg",
    "landuse/land_status.gpkg", "socioeconomic/produksi.csv", "socioeconomic/sentra.csv",
    "socioeconomic/produksi.xlsx", "socioeconomic/harga.csv", "layers.toml", "config.toml",
)

#: The ``last_change`` date GDAL writes into every demo GeoPackage.
GPKG_DATE = "2024-01-01T00:00:00.000Z"


class _Writer:
    def __init__(self, region: DemoRegion, outdir: Path, *, overwrite: bool) -> None:
        self.region = region
        self.outdir = outdir
        self.overwrite = overwrite
        self.written: list[Path] = []

    def path(self, relative: str) -> Path:
        path = self.outdir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        self.written.append(path)
        return path

    def raster(self, name: str, data: np.ndarray, *, units: str = "",
               legend: dict[int, str] | None = None) -> None:
        grid = self.region.canvas.grid
        if legend is None:
            layer = Layer(name, data.astype(np.float32), grid, units=units)
        else:
            layer = Layer(name, data.astype(np.int16), grid, kind="categorical", nodata=-1,
                          legend=legend)
        tags = {"aez_demo_seed": self.region.seed, "aez_demo": "synthetic, not real data"}
        write_geotiff(layer, self.path(LAYERS[name]), overwrite=self.overwrite, tags=tags)

    def vector(self, relative: str, frame: gpd.GeoDataFrame, layer: str) -> None:
        path = self.path(relative)
        previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GPKG_DATE})
        try:
            with atomic_output(path, overwrite=self.overwrite) as tmp:
                pyogrio.write_dataframe(frame, tmp, layer=layer, driver="GPKG")
        finally:
            pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})

    def table(self, relative: str, frame: pd.DataFrame) -> None:
        with atomic_output(self.path(relative), overwrite=self.overwrite) as tmp:
            frame.to_csv(tmp, index=False, lineterminator="\n")

    def text(self, relative: str, text: str) -> None:
        with atomic_output(self.path(relative), overwrite=self.overwrite) as tmp:
            tmp.write_text(text, encoding="utf-8")


def _land_units(region: DemoRegion) -> gpd.GeoDataFrame:
    soils = region.soils
    geoms, codes = polygonize_classes(soils.units, region.canvas)
    rows = []
    for code in codes.tolist():
        unit, nama, material = UNITS[code]
        rows.append({"spt": code, "satuan": nama, "landform": unit, "bahan_induk": material,
                     **soils.table[code]})
    frame = gpd.GeoDataFrame(rows, geometry=list(geoms), crs=region.canvas.grid.crs)
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    frame["luas_ha"] = np.round(frame.geometry.area / 1e4, 1)
    return frame


def _land_status(region: DemoRegion) -> gpd.GeoDataFrame:
    geoms, codes = polygonize_classes(region.land_status.codes, region.canvas)
    crops = []
    for geom, code in zip(geoms, codes.tolist(), strict=True):
        crop = None
        if STATUS_LEGEND[code] == "perkebunan":
            point = geom.representative_point()
            for block, name in region.land_status.plantations:
                if block.buffer(region.canvas.res).contains(point):
                    crop = name
        crops.append(crop)
    labels = [STATUS_LEGEND[c] for c in codes.tolist()]
    return gpd.GeoDataFrame(
        {"kode": codes, "status": labels, "keterangan": [STATUS_NAMES[x] for x in labels],
         "komoditas": crops},
        geometry=list(geoms), crs=region.canvas.grid.crs)


def write_region(region: DemoRegion, outdir: str | Path, *, overwrite: bool = False,
                 region_name: str | None = None) -> Path:
    """Write every layer, table, the manifest and the run config; return the config path.

    ``region_name`` is ``[output] region``, the name on maps and in the report;
    by default the invented kabupaten's name, or, for real boundaries,
    :func:`boundary_region` of their codes.
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    if not overwrite:
        for relative in OUTPUTS:  # refuse before writing anything
            if (out / relative).exists():
                raise OutputExistsError(
                    f"Output {out / relative} already exists. Pass overwrite=True to replace "
                    "the demo region, or choose another folder."
                )
    w = _Writer(region, out, overwrite=overwrite)
    entries = layer_entries()
    soils = region.soils

    w.raster("dem", np.round(region.dem, 2), units="m")
    w.raster("rainfall", region.climate.rainfall, units=entries["rainfall"]["units"])
    w.raster("dry_months", region.climate.dry_months, units="months")
    w.raster("humidity", region.climate.humidity, units="%")
    for name, values in soils.values.items():
        w.raster(name, values, units=entries[name]["units"])
    for name, codes in soils.classes.items():
        w.raster(name, codes, legend=LEGENDS[name])
    w.raster("land_status", region.land_status.codes, legend=STATUS_LEGEND)
    log.info("Rasters written")

    districts = region.districts
    w.vector("kecamatan.gpkg", districts.frame, "kecamatan")
    w.table("kecamatan_crosswalk.csv",
            districts.frame[["kode_kemendagri", "kode_bps", "nama"]])
    w.vector("kota.gpkg", districts.towns, "kota")
    w.vector(LAYERS["villages"], region.villages, "desa")
    w.vector(LAYERS["land_units"], _land_units(region), "land_units")
    w.vector("landuse/land_status.gpkg", _land_status(region), "land_status")
    w.vector(LAYERS["rivers"], region.rivers, "rivers")
    w.vector(LAYERS["lakes"], region.lakes, "lakes")
    w.vector(LAYERS["roads"], region.roads, "roads")
    w.vector(LAYERS["markets"], region.markets, "markets")
    w.vector(LAYERS["port"], region.port, "port")
    w.vector(LAYERS["cooperatives"], region.cooperatives, "koperasi")
    log.info("Vectors written")

    w.table(LAYERS["population"], region.population)
    w.table("socioeconomic/produksi.csv", region.production)
    w.table("socioeconomic/sentra.csv", region.sentra)
    w.table("socioeconomic/harga.csv", make_prices(seed=region.seed))
    with atomic_output(w.path("socioeconomic/produksi.xlsx"), overwrite=overwrite) as tmp:
        write_bps_workbook(region.production, tmp, kabupaten=districts.kabupaten)

    crs = region.canvas.grid.crs.to_epsg()
    header = (
        f"# Synthetic demo kabupaten \"{districts.kabupaten}\" ({KABUPATEN_KEMENDAGRI} / "
        f"{KABUPATEN_BPS}), generated by aez {__version__}\n"
        f"# (`aez demo`, seed {region.seed}, size {region.size}, "
        f"{region.canvas.res:g} m). Not real data.\n"
    )
    w.text("layers.toml", manifest_text(header))
    config = out / "config.toml"
    towns = districts.towns
    regions = dict(zip(towns["kode_kemendagri"], towns["setting"].map(REGION_OF_SETTING),
                       strict=True))
    default_name = (f"Kab. {districts.kabupaten}" if region.canvas.districts is None
                    else boundary_region(list(districts.frame["kode_kemendagri"].astype(str))))
    w.text("config.toml", config_text(header, crs=f"EPSG:{crs}", resolution=region.canvas.res,
                                      region=region_name or default_name, regions=regions))
    return config


def boundary_region(codes: list[str]) -> str:
    """Name the region of real kecamatan codes (Kemendagri ``pp.kk.cc``) by its codes.

    >>> boundary_region(["33.01.01", "33.02.05"])
    'Provinsi 33 (2 kabupaten/kota)'
    >>> boundary_region(["53.07.01", "53.07.02"])
    'Kabupaten/Kota 53.07'
    """
    kabupaten = sorted({".".join(c.split(".")[:2]) for c in codes})
    provinces = sorted({k.split(".")[0] for k in kabupaten})
    if len(kabupaten) == 1:
        return f"Kabupaten/Kota {kabupaten[0]}"
    if len(provinces) == 1:
        return f"Provinsi {provinces[0]} ({len(kabupaten)} kabupaten/kota)"
    return f"{len(kabupaten)} kabupaten/kota"
