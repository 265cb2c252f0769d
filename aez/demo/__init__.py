"""A synthetic Indonesian kabupaten for trying aez without downloading anything.

:func:`write_demo_region` generates, from a seed, a complete and plausible
region on a south coast in UTM zone 50S: a DEM with coastal lowland, an
alluvial plain, a peat dome, hills and a volcano; lakes and a river network;
rainfall, dry months and humidity; soils as rasters and as a land-unit map;
kecamatan with Kemendagri and BPS codes; land status; roads, markets and a
port; population, five years of BPS-style production of 30 commodities,
sentra and cooperatives. It writes them with a layer manifest and a ready run
config. **Nothing in it is real data.** ``layers/README.md`` describes how
each layer is made.

The same seed gives the same bytes. With ``boundary=`` the study area and
kecamatan come from a polygon file and the rest is generated inside them.

>>> import tempfile
>>> config = write_demo_region(tempfile.mkdtemp(), seed=3, size="small", resolution=100)
>>> config.name
'config.toml'
"""

from __future__ import annotations

import logging
from pathlib import Path

from aez.demo.generate import DEFAULT_SEED, DemoRegion, LayerSink, generate_region
from aez.demo.region import SIZES
from aez.demo.write import RegionWriter
from aez.words import DEFAULT_LANGUAGE, Language

__all__ = [
    "DEFAULT_SEED",
    "SIZES",
    "DemoRegion",
    "LayerSink",
    "RegionWriter",
    "generate_region",
    "write_demo_region",
]

log = logging.getLogger(__name__)


def write_demo_region(
    outdir: str | Path,
    *,
    seed: int = DEFAULT_SEED,
    resolution: float = 50.0,
    size: str = "medium",
    boundary: str | Path | None = None,
    id_column: str | None = None,
    name_column: str | None = None,
    preview: bool = False,
    overwrite: bool = False,
    region_name: str | None = None,
    lang: Language = DEFAULT_LANGUAGE,
) -> Path:
    """Generate a demo region and write it, with ``layers.toml`` and ``config.toml``.

    Parameters
    ----------
    outdir : path
        Folder to write into (created if needed).
    seed : int, default 42
        Random seed; the same seed gives the same files, byte for byte.
    resolution : float, default 50
        Cell size of the rasters (m), 10 … 500.
    size : {"small", "medium", "large"}, default "medium"
        About 20 × 15, 60 × 45 or 120 × 90 km (ignored with ``boundary``).
    boundary : path, optional
        Polygon file (any CRS) whose polygons are the kecamatan; the region is
        generated inside them, in the UTM zone of the region.
    id_column : str, optional
        Kecamatan code column of ``boundary`` (required with it).
    name_column : str, optional
        Kecamatan name column of ``boundary`` (default: invented names).
    preview : bool, default False
        Also write ``preview.png``, an overview map.
    overwrite : bool, default False
        Replace files from an earlier run in ``outdir``.
    region_name : str, optional
        ``[output] region`` of the config, the name on maps and in the report
        (e.g. "Provinsi Jawa Tengah"); by default the invented kabupaten's
        name, or with ``boundary`` the region's Kemendagri codes.
    lang : {"id", "en"}, default "id"
        Language of ``preview.png``.

    Returns
    -------
    Path
        ``outdir/config.toml``.

    Raises
    ------
    ConfigError
        For a bad seed, resolution, size or boundary column.
    OutputExistsError
        If ``outdir`` already holds a demo region and ``overwrite`` is False.
    """
    writer = RegionWriter(outdir, seed=seed, overwrite=overwrite)
    try:
        # Each raster is written as soon as it is made, so the whole region is never in memory.
        region = generate_region(seed=seed, resolution=resolution, size=size,
                                 boundary=boundary, id_column=id_column,
                                 name_column=name_column, sink=writer.raster)
    except BaseException:
        writer.discard()
        raise
    config = writer.finish(region, region_name=region_name)
    if preview:
        from aez.render.preview import render_preview

        render_preview(Path(outdir), Path(outdir) / "preview.png", overwrite=overwrite,
                       lang=lang)
    log.info("Demo region written to %s", outdir)
    return config
