"""Readers of real land data in the providers' own layouts: SoilGrids, HWSD, SPT, DEMs, climate.

One module per source. Each reads the files as the provider publishes them
(names, CRS, data types, scale factors, nodata, codes) and yields canonical
characteristics (:mod:`aez.characteristics`) with units and codes converted,
each conversion citing the provider's documentation. Climate sources yield
monthly series; the indices computed from them (annual rainfall, dry months,
Oldeman, Schmidt–Ferguson) live in :mod:`aez.derive.climate`, and
:mod:`aez.harmonize.provided` joins the two. Downloading
(:mod:`aez.sources.fetch`) is an optional outer layer that no stage calls.

:data:`SOURCES` describes each source for ``aez sources list`` and
``docs/data-sources.md``; :func:`open_reader` opens one.

>>> sorted(SOURCES)
['chirps', 'dem', 'hwsd', 'soilgrids', 'spt', 'worldclim']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aez.errors import ConfigError

__all__ = ["SOURCES", "SourceInfo", "open_reader", "source_info"]

#: Climate outputs computed from monthly rainfall / temperature (see aez.derive.climate).
RAINFALL_OUTPUTS = ("rainfall", "dry_months", "oldeman_wet_months", "oldeman_dry_months",
                    "oldeman_zone", "schmidt_ferguson_q", "schmidt_ferguson_type")


@dataclass(frozen=True)
class SourceInfo:
    """What ``aez sources list`` says about a source."""

    name: str
    title: str
    expects: str
    provides: tuple[str, ...]
    options: str
    licence: str
    citation: str
    download: str


SOURCES: dict[str, SourceInfo] = {s.name: s for s in (
    SourceInfo(
        "soilgrids", "SoilGrids 2.0 (ISRIC), 250 m soil properties",
        "PROPERTY_DEPTH_mean.tif, e.g. phh2o_0-5cm_mean.tif, sand_15-30cm_mean.tif "
        "(int16 mapped units, Homolosine, nodata -32768)",
        ("ph_h2o", "c_organic", "cec_clay", "coarse_fragments", "n_total", "texture"),
        "depth (default 0-30), statistic (default mean)",
        "CC BY 4.0",
        "Poggio L. et al. 2021. SoilGrids 2.0. SOIL 7, 217-240. doi:10.5194/soil-7-217-2021",
        "https://files.isric.org/soilgrids/latest/data/ (VRT/GeoTIFF), or aez sources fetch",
    ),
    SourceInfo(
        "hwsd", "HWSD v2.0 (FAO & IIASA), 30\" soil mapping units",
        "HWSD2.bil (SMU ids) + HWSD2_LAYERS exported to .csv or .sqlite",
        ("drainage", "texture", "ph_h2o", "cec_clay", "base_saturation", "c_organic",
         "salinity", "alkalinity", "coarse_fragments"),
        "depth (default 0-30), aggregate = dominant | weighted",
        "CC BY-NC-SA 3.0 IGO",
        "FAO & IIASA 2023. Harmonized World Soil Database version 2.0. doi:10.4060/cc3823en",
        "https://www.fao.org/soils-portal/data-hub/soil-maps-and-databases/",
    ),
    SourceInfo(
        "spt", "BBSDLP soil survey map units (SPT polygons)",
        "shapefile / GeoPackage with Indonesian fields (Drainase, Tekstur, Kedalaman efektif, "
        "Lereng, Bahaya erosi, KTK, KB, pH H2O, C-organik)",
        ("drainage", "texture", "soil_depth", "slope", "erosion", "cec_clay",
         "base_saturation", "ph_h2o", "c_organic"),
        "profile (TOML mapping; default the shipped BBSDLP profile), layer",
        "as issued by BBSDLP / the survey",
        "Djaenudin D. et al. 2011. Petunjuk Teknis Evaluasi Lahan untuk Komoditas Pertanian. "
        "BBSDLP, Bogor",
        "BBSDLP (bbsdlp.litbang.pertanian.go.id) or the provincial survey",
    ),
    SourceInfo(
        "dem", "DEM tiles: DEMNAS (BIG), SRTM .hgt, Copernicus GLO-30",
        "tiles: DEMNAS_*.tif, S09E122.hgt(.zip), Copernicus_DSM_COG_10_*_DEM.tif",
        ("elevation",),
        "-",
        "DEMNAS: BIG terms; SRTM: public domain; Copernicus GLO-30: Copernicus licence",
        "BIG DEMNAS; NASA JPL 2013 SRTMGL1 v003; ESA 2021 Copernicus DEM GLO-30",
        "tanahair.indonesia.go.id; earthexplorer.usgs.gov; registry.opendata.aws/copernicus-dem",
    ),
    SourceInfo(
        "chirps", "CHIRPS v2.0 monthly rainfall, 0.05°",
        "chirps-v2.0.YYYY.MM.tif(.gz), twelve months per year; or chirps-v2.0.monthly.nc",
        RAINFALL_OUTPUTS,
        "years (e.g. 2010-2019; default all given)",
        "CC BY 4.0 (public domain in the USA)",
        "Funk C. et al. 2015. The climate hazards infrared precipitation with stations. "
        "Sci. Data 2, 150066. doi:10.1038/sdata.2015.66",
        "https://data.chc.ucsb.edu/products/CHIRPS-2.0/global_monthly/tifs/, or aez sources fetch",
    ),
    SourceInfo(
        "worldclim", "WorldClim 2.1 climate normals and monthly weather",
        "wc2.1_30s_prec_MM.tif, wc2.1_30s_tavg_MM.tif, wc2.1_30s_bio_N.tif, "
        "wc2.1_2.5m_prec_YYYY-MM.tif",
        (*RAINFALL_OUTPUTS, "temperature"),
        "years (historical monthly files only)",
        "CC BY 4.0",
        "Fick S.E. & Hijmans R.J. 2017. WorldClim 2. Int. J. Climatol. 37, 4302-4315. "
        "doi:10.1002/joc.5086",
        "https://www.worldclim.org/data/worldclim21.html, or aez sources fetch",
    ),
)}


def source_info(name: str) -> SourceInfo:
    """Look up a source by name; unknown names raise with the list of sources."""
    try:
        return SOURCES[name]
    except KeyError:
        raise ConfigError(
            f"Unknown data source {name!r}; aez reads {', '.join(SOURCES)}."
        ) from None


def open_reader(name: str, inputs: Iterable[str | Path], **options: Any) -> Any:
    """Open the reader of a raster source on its inputs (``spt`` is read by :func:`read_spt`).

    Options are the source's own (``depth``, ``statistic``, ``years``,
    ``aggregate``, ``bounds``); unknown ones raise ``ConfigError``.
    """
    source_info(name)
    allowed = {
        "soilgrids": ("depth", "statistic"), "hwsd": ("depth", "aggregate"),
        "chirps": ("years",), "worldclim": ("years",), "dem": ("bounds",), "spt": (),
    }[name]
    options = {k: v for k, v in options.items() if v is not None}
    extra = sorted(set(options) - set(allowed))
    if extra:
        raise ConfigError(
            f"Source {name!r} has no option {extra[0]!r}; its options are "
            f"{', '.join(allowed) or 'none'}."
        )
    inputs = list(inputs)
    if name == "soilgrids":
        from aez.sources.soilgrids import SoilGrids

        return SoilGrids(inputs, **options)
    if name == "hwsd":
        from aez.sources.hwsd import Hwsd

        return Hwsd(inputs, **options)
    if name == "chirps":
        from aez.sources.chirps import Chirps

        return Chirps(inputs, **options)
    if name == "worldclim":
        from aez.sources.worldclim import WorldClim

        return WorldClim(inputs, **options)
    if name == "dem":
        from aez.sources.dem import DemTiles

        return DemTiles(inputs, **options)
    raise ConfigError("The spt source is a polygon map: read it with aez.sources.spt.read_spt.")
