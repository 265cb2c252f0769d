"""Writing a generated demo region: GeoTIFFs, GeoPackages, CSV and XLSX tables, manifests.

The rasters are written while the region is generated, each as soon as the
generator hands it over (:meth:`RegionWriter.raster`), under a temporary
name (:func:`aez.io.atomic.partial_name`); they get their final names only once the
whole region has been generated, so a failed run leaves the folder as it
was. Every other file is written under a temporary name and renamed when
complete (:func:`aez.io.atomic_output`). Outputs are reproducible byte for
byte:

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
from aez.demo.manifest import LAYERS, REGION_OF_SETTING, config_text, manifest_text
from aez.demo.socioeconomic import make_prices
from aez.demo.soils import UNITS
from aez.demo.vectorize import polygonize_classes
from aez.errors import OutputExistsError
from aez.io import atomic_output, write_geotiff
from aez.io.atomic import partial_name
from aez.layer import Layer
from aez.version import __version__

__all__ = ["GPKG_DATE", "RegionWriter"]

log = logging.getLogger(__name__)

#: Every file a demo region consists of (besides the optional preview.png).
OUTPUTS: tuple[str, ...] = (
    *dict.fromkeys(LAYERS.values()), "kecamatan.gpkg", "kecamatan_crosswalk.csv", "kota.gpkg",
    "landuse/land_status.gpkg", "socioeconomic/produksi.csv", "socioeconomic/sentra.csv",
    "socioeconomic/produksi.xlsx", "socioeconomic/harga.csv", "layers.toml", "config.toml",
)

#: The ``last_change`` date GDAL writes into every demo GeoPackage.
GPKG_DATE = "2024-01-01T00:00:00.000Z"


class RegionWriter:
    """Write a demo region into a folder: rasters as they are made, then everything else.

    Parameters
    ----------
    outdir : path
        Folder to write into (created if needed).
    seed : int
        Seed of the region, recorded in every GeoTIFF's tags.
    overwrite : bool
        Replace files from an earlier run.

    Raises
    ------
    OutputExistsError
        If ``outdir`` already holds a file of a demo region and ``overwrite``
        is False (checked before anything is generated or written).

    Notes
    -----
    Hand :meth:`raster` to :func:`aez.demo.generate_region` as its sink, then
    call :meth:`finish` with the region, or :meth:`discard` if the generation
    fails. A region generated without a sink is written whole by :meth:`finish`.
    """

    def __init__(self, outdir: str | Path, *, seed: int, overwrite: bool = False) -> None:
        self.outdir = Path(outdir)
        self.seed = seed
        self.overwrite = overwrite
        self._staged: list[Path] = []
        if not overwrite:
            for relative in OUTPUTS:  # refuse before generating anything
                if (self.outdir / relative).exists():
                    raise OutputExistsError(
                        f"Output {self.outdir / relative} already exists. Pass overwrite=True "
                        "to replace the demo region, or choose another folder."
                    )

    def path(self, relative: str) -> Path:
        """Return the final path of an output, creating its folder."""
        path = self.outdir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def raster(self, layer: Layer) -> None:
        """Write one raster layer under its temporary name (a :data:`aez.demo.LayerSink`)."""
        path = self.path(LAYERS[layer.name])
        tags = {"aez_demo_seed": self.seed, "aez_demo": "synthetic, not real data"}
        write_geotiff(layer, partial_name(path), overwrite=True, tags=tags)
        self._staged.append(path)

    def discard(self) -> None:
        """Remove the rasters written so far under their temporary names."""
        for path in self._staged:
            partial_name(path).unlink(missing_ok=True)
        self._staged.clear()

    def vector(self, relative: str, frame: gpd.GeoDataFrame, layer: str) -> None:
        """Write a GeoPackage with a fixed ``last_change`` date and layer name."""
        path = self.path(relative)
        previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GPKG_DATE})
        try:
            with atomic_output(path, overwrite=self.overwrite) as tmp:
                pyogrio.write_dataframe(frame, tmp, layer=layer, driver="GPKG")
        finally:
            pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})

    def table(self, relative: str, frame: pd.DataFrame) -> None:
        """Write a CSV table (no index, Unix line ends)."""
        with atomic_output(self.path(relative), overwrite=self.overwrite) as tmp:
            frame.to_csv(tmp, index=False, lineterminator="\n")

    def text(self, relative: str, text: str) -> None:
        """Write a UTF-8 text file."""
        with atomic_output(self.path(relative), overwrite=self.overwrite) as tmp:
            tmp.write_text(text, encoding="utf-8")

    def finish(self, region: DemoRegion, *, region_name: str | None = None) -> Path:
        """Give the rasters their final names, write everything else; return the config path.

        ``region_name`` is ``[output] region``, the name on maps and in the
        report; by default the invented kabupaten's name, or, for real
        boundaries, :func:`boundary_region` of their codes.
        """
        for layer in region.layers.values():  # a region generated without a sink
            self.raster(layer)
        for path in self._staged:
            partial_name(path).replace(path)
        self._staged.clear()
        log.info("Rasters written")
        return _write_rest(self, region, region_name=region_name)


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


def _write_rest(w: RegionWriter, region: DemoRegion, *, region_name: str | None) -> Path:
    """Write the vectors, tables, manifest and run config of a region; return the config path."""
    out = w.outdir
    overwrite = w.overwrite
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
