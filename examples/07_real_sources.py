"""A kabupaten run whose soil, climate and elevation come through `aez sources`.

Shows: reading real land data in the providers' own layouts — SoilGrids 2.0
(ISRIC), HWSD v2.0 (FAO), a BBSDLP SPT soil map, SRTM DEM tiles, CHIRPS v2.0
monthly rainfall and WorldClim 2.1 — converted into aez's characteristics
two ways: imported once into canonical GeoTIFFs (`aez sources import`), or
named directly in the run config (`source = "soilgrids"` …) and read tile by
tile. Both runs give the same bytes, which the script checks.

Without --sources, the script writes small files in each provider's exact
layout (names, CRS, data types, scale factors, nodata) over the tiny region's
four kecamatan, so it runs offline. To use real downloads, put them in one
folder with a sub-folder per source and pass it:

    DIR/soilgrids/   phh2o_0-5cm_mean.tif … (aez sources fetch soilgrids, or ISRIC's WebDAV)
    DIR/hwsd/        HWSD2.bil (+ .hdr) and HWSD2_LAYERS.csv exported from HWSD2.mdb
    DIR/spt/         the SPT map (.shp or .gpkg) with Drainase, Tekstur, Kedalaman efektif …
    DIR/dem/         SRTM .hgt, DEMNAS or Copernicus GLO-30 tiles
    DIR/chirps/      chirps-v2.0.YYYY.MM.tif(.gz), twelve months per year
    DIR/worldclim/   wc2.1_30s_tavg_MM.tif, wc2.1_30s_prec_MM.tif

and give the kecamatan boundaries with --study-area (and --id-column).

Usage::

    python examples/07_real_sources.py OUTDIR [--sources DIR] [--study-area kecamatan.gpkg]
"""

import argparse
import filecmp
import sys
from pathlib import Path

import geopandas as gpd

from aez.harmonize.source_import import import_source
from aez.pipeline import run
from aez.sources.samples import write_sources
from aez.testing import write_tiny_region

CROPS = ["jagung", "kakao", "kopi_robusta", "padi_gogo", "ubi_kayu"]

#: layer name → (source, path under the sources folder, options, role)
DIRECT = {
    "ph_h2o": ("soilgrids", "soilgrids/{property}_{depth}_mean.tif", {"depth": "0-30"}),
    "c_organic": ("soilgrids", "soilgrids/{property}_{depth}_mean.tif", {"depth": "0-30"}),
    "cec_clay": ("soilgrids", "soilgrids/{property}_{depth}_mean.tif", {"depth": "0-30"}),
    "coarse_fragments": ("soilgrids", "soilgrids/{property}_{depth}_mean.tif",
                         {"depth": "0-30"}),
    "texture": ("soilgrids", "soilgrids/{property}_{depth}_mean.tif", {"depth": "0-30"}),
    "drainage": ("hwsd", "hwsd", {"depth": "0-30"}),
    "base_saturation": ("hwsd", "hwsd", {"depth": "0-30"}),
    "soil_depth": ("spt", "spt", {}),
    "erosion": ("spt", "spt", {}),
    "dem": ("dem", "dem", {}),
    "rainfall": ("chirps", "chirps", {}),
    "dry_months": ("chirps", "chirps", {}),
    "temperature": ("worldclim", "worldclim", {}),
}

HEADER = """\
[grid]
crs = "auto"
resolution = 100

[study_area]
path = "{study_area}"
id_column = "{id_column}"

[run]
executor = "serial"
tile_size = 128

[output]
dir = "{output}"
region = "Sources example"

[evaluate]
crops = {crops}

[layers.slope]
from = "dem"
method = "slope"
units = "%"
"""


def _toml_value(value):
    if isinstance(value, dict):
        return "{ " + ", ".join(f'{k} = {_toml_value(v)}' for k, v in value.items()) + " }"
    return f'"{value}"' if isinstance(value, str) else str(value)


def direct_config(out, sources, study_area, id_column):
    text = HEADER.format(study_area=study_area.as_posix(), id_column=id_column,
                         output="run-direct", crops=_toml_value(CROPS).replace("'", '"'))
    for name, (source, path, options) in DIRECT.items():
        role = "elevation" if name == "dem" else name
        text += f'\n[layers.{name}]\nsource = "{source}"\npath = "{(sources / path).as_posix()}"\n'
        text += f'role = "{role}"\n'
        text += "".join(f'{k} = "{v}"\n' for k, v in options.items())
    path = out / "direct.toml"
    path.write_text(text, encoding="utf-8")
    return path


def imported_config(out, imported, study_area, id_column):
    import tomllib

    text = HEADER.format(study_area=study_area.as_posix(), id_column=id_column,
                         output="run-imported", crops=_toml_value(CROPS).replace("'", '"'))
    for name, (source, _, _) in DIRECT.items():
        folder = imported / source
        table = tomllib.loads((folder / "layers.toml").read_text(encoding="utf-8"))["layers"][name]
        table = dict(table, path=(folder / table["path"]).as_posix())
        text += f"\n[layers.{name}]\n"
        text += "".join(f"{k} = {_toml_value(v)}\n" for k, v in table.items())
    path = out / "imported.toml"
    path.write_text(text, encoding="utf-8")
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", default="real-sources")
    parser.add_argument("--sources", type=Path, default=None)
    parser.add_argument("--study-area", type=Path, default=None)
    parser.add_argument("--id-column", default="kode_kemendagri")
    args = parser.parse_args(argv)
    out = Path(args.outdir).resolve()
    out.mkdir(parents=True, exist_ok=True)

    study_area = args.study_area
    if study_area is None:
        study_area = write_tiny_region(out / "region", resolution=200).parent / "kecamatan.gpkg"
    study_area = Path(study_area).resolve()
    lonlat = gpd.read_file(study_area).to_crs("EPSG:4326").total_bounds
    bounds = (lonlat[0] - 0.03, lonlat[1] - 0.03, lonlat[2] + 0.03, lonlat[3] + 0.03)

    sources = args.sources.resolve() if args.sources else out / "sources"
    if args.sources is None:
        write_sources(sources, bounds, years=(2010, 2012))
        print(f"wrote provider-layout fixtures for {bounds} into {sources}")

    direct = direct_config(out, sources, study_area, args.id_column)

    from aez.config import load_config
    from aez.harmonize import build_grid, build_study_area

    cfg = load_config(direct)
    grid = build_grid(cfg, build_study_area(cfg))
    imported = out / "imported"
    for source in ("soilgrids", "hwsd", "spt", "dem", "chirps", "worldclim"):
        result = import_source(source, [sources / source], imported / source, grid=grid,
                               overwrite=True)
        print(f"aez sources import {source}: {len(result.files)} file(s) -> {imported / source}")
    imported_cfg = imported_config(out, imported, study_area, args.id_column)

    first = run(direct, maps=False, report=False, overwrite=True)
    second = run(imported_cfg, maps=False, report=False, overwrite=True)
    same, different = [], []
    for path in sorted(first.outdir.rglob("*")):
        if not path.is_file() or path.name in ("run.log", "config.resolved.toml",
                                               "manifest.json"):  # these name the config
            continue
        other = second.outdir / path.relative_to(first.outdir)
        (same if filecmp.cmp(path, other, shallow=False) else different).append(path)
    print(f"direct run: {first.outdir}; imported run: {second.outdir}")
    print(f"{len(same)} outputs identical byte for byte, {len(different)} different")
    for path in different:
        print(f"  differs: {path.relative_to(first.outdir)}")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
