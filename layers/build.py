"""Rebuild the real inputs under ``layers/`` from the full reference data folder.

The real-region examples (04–06) and the tests that check aez against real numbers read
small extracts of public data committed under ``layers/``. This script makes them from
the full reference folder (``$AEZ_SHARED_DATA``, else ``../shared/data`` beside the
project) so that every conversion is reproducible; ``layers/PROVENANCE.md`` says where
each file comes from, its licence and what was changed.

Usage::

    python layers/build.py [--data PATH]

The conversions are byte-for-byte copies, gzip (level 9, no timestamp, so a rebuild
gives the same bytes) and row filters. A second run gives the same files.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = Path(os.environ.get("AEZ_SHARED_DATA", HERE.parents[1] / "shared" / "data"))

#: Files copied as they are: (source under the data folder, target under layers/).
COPIES = (
    ("boundaries/kec_sikka_bps5310_kemendagri5307.geojson",
     "boundaries/kec_sikka_bps5310_kemendagri5307.geojson"),
    ("boundaries/kec_kutai_timur_6408.geojson", "boundaries/kec_kutai_timur_6408.geojson"),
    ("production/bps_simdasi_sikka_tables_metadata.csv",
     "production/bps_simdasi_sikka_tables_metadata.csv"),
    ("economy/pdrb_adhk2010_kabkota_17sektor_2013_2020_long.csv.gz",
     "economy/pdrb_adhk2010_kabkota_17sektor_2013_2020_long.csv.gz"),
    ("economy/LICENSE_source.txt", "economy/LICENSE_source.txt"),
    ("infrastructure/roads_maumere_sikka_ntt_osm.gpkg",
     "infrastructure/roads_maumere_sikka_ntt_osm.gpkg"),
    ("rasters/dem_pvlib_mapzen_5arcmin_kutai_timur.tif",
     "rasters/dem_pvlib_mapzen_5arcmin_kutai_timur.tif"),
    ("crop_requirements/alues_luset_crop_requirements_long.csv",
     "crop_requirements/alues_luset_crop_requirements_long.csv"),
    ("crop_requirements/LICENSE_ALUES.md", "crop_requirements/LICENSE_ALUES.md"),
    ("crop_requirements/Ecocrop_variable_lookup.csv",
     "crop_requirements/Ecocrop_variable_lookup.csv"),
    ("reference/published_lq_values.csv", "reference/published_lq_values.csv"),
)

#: Whole tables stored gzip-compressed (pandas reads ``.csv.gz`` as it reads ``.csv``).
GZIPPED = (
    "production/bps_simdasi_sikka_hortikultura_per_kecamatan_2020_2023_long.csv",
    "admin_codes/bps_kemendagri_kecamatan.csv",
)

#: The three BPS SIMDASI xlsx exports that the reader is checked against.
RAW_XLSX = ("tabel-5-1-2-tahun-2023-", "tabel-5-1-10-tahun-2022-", "tabel-5-1-13-tahun-2023-")

#: GeoNames places kept: the provinces of the two real regions (admin1 as GeoNames spells it).
GEONAMES_PROVINCES = ("East Nusa Tenggara", "East Kalimantan")

#: ECOCROP species whose records the tests and examples compare with aez's crop tables.
ECOCROP_SPECIES = ("Curcuma longa", "Eugenia aromatica", "Manihot esculenta", "Piper nigrum",
                   "Saccharum officinarum", "Vanilla planifolia", "Zea mays",
                   "Zingiber officinale")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".partial-{path.name}")
    tmp.write_bytes(data)
    tmp.replace(path)


def _gzip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as fh:
        fh.write(data)
    return buffer.getvalue()


def _filter_csv(path: Path, keep: Callable[[dict[str, str]], bool]) -> bytes:
    """Keep the header and the rows for which ``keep(row)`` holds of the CSV at ``path``.

    Rows are written back with the csv module's minimal quoting and LF line ends;
    their fields are unchanged.
    """
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [row for row in reader if keep(dict(zip(header, row, strict=True)))]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def build(data: Path, out: Path) -> list[Path]:
    """Write every extract from ``data`` into ``out``; return the files written."""
    written = []
    for source, target in COPIES:
        _write(out / target, (data / source).read_bytes())
        written.append(out / target)
    for name in GZIPPED:
        target = out / f"{name}.gz"
        _write(target, _gzip((data / name).read_bytes()))
        written.append(target)
    raw = data / "production" / "raw_bps_simdasi_sikka_xlsx"
    for prefix in RAW_XLSX:
        (source,) = sorted(raw.glob(f"{prefix}*.xlsx"))
        target = out / "production" / "raw_bps_simdasi_sikka_xlsx" / source.name
        _write(target, source.read_bytes())
        written.append(target)
    places = out / "infrastructure" / "geonames_places_ntt_kaltim.csv"
    _write(places, _filter_csv(data / "infrastructure" / "geonames_places_indonesia.csv",
                               lambda row: row["admin1"] in GEONAMES_PROVINCES))
    written.append(places)
    ecocrop = out / "crop_requirements" / "ecocrop_records_used.csv"
    _write(ecocrop, _filter_csv(data / "crop_requirements" / "EcoCrop_DB_utf8.csv",
                                lambda row: row["ScientificName"] in ECOCROP_SPECIES))
    written.append(ecocrop)
    return written


def main(argv: list[str] | None = None) -> None:
    """Rebuild the extracts from ``--data`` (default: the full reference folder)."""
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"the full reference data folder (default {DEFAULT_DATA})")
    args = parser.parse_args(argv)
    if not (args.data / "README.md").is_file():
        sys.exit(f"error: the reference data folder {args.data} is absent; point at it with "
                 "--data PATH or AEZ_SHARED_DATA=PATH.")
    for path in build(args.data, HERE):
        print(f"{path.stat().st_size:>9,d}  {path.relative_to(HERE)}")
    shutil.rmtree(HERE / "__pycache__", ignore_errors=True)


if __name__ == "__main__":
    main()
