"""Kab. Kutai Timur (East Kalimantan): real kecamatan, real elevation and the real sector economy.

Shows a run (``aez.pipeline.run``) over a large kabupaten (about 31,500 km²)
with a real elevation model, and the sector context a planner starts from:

REAL
    * the 18 kecamatan of Kab. Kutai Timur (Kemendagri 64.08, BPS 6404),
      including Muara Bengkal (64.08.03), and their BPS codes;
    * elevation: the pvlib/Mapzen DEM of Indonesia at 5′ (about 9 km), warped
      bilinearly onto the 250 m grid by the layer stack; temperature comes from it
      by Braak's formula (T = 26.3 − 0.6·h, h in hundreds of metres);
    * GRDP by sector (BPS PDRB ADHK 2010, billion Rp): Kutai Timur's sector shares
      and sector location quotients against Kalimantan Timur, printed and written to
      ``OUTDIR/pdrb_sektor_kutai_timur.csv``. Mining is about 83 % of Kutai Timur's
      GRDP (the published figure), agriculture about 6.5 %.

SYNTHETIC (``aez demo`` inside the real boundaries; labelled in the config)
    slope (the real DEM is too coarse for it), climate, soils, land status, water,
    roads, markets, production, households, sentra and cooperatives: the product
    per kecamatan illustrates the method, it is not a recommendation. Twelve food
    and estate crops of the Kalimantan lowlands are evaluated (aez has 30).

Usage::

    python examples/05_kutai_timur_real.py OUTDIR [--data PATH]

The real inputs are the extracts under the repository's ``layers/`` (sources,
licences and conversions in ``layers/PROVENANCE.md``); ``--data`` names another
copy of that folder. The region goes to ``OUTDIR`` (its
``config.toml`` says what is real), the run to ``OUTDIR/aez-out``. Takes one to
two minutes, most of it drawing the maps.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _real_data as real

from aez.demo import write_demo_region
from aez.economics import location_quotient
from aez.io.bps import read_pdrb

BOUNDARY = "boundaries/kec_kutai_timur_6408.geojson"
DEM = "rasters/dem_pvlib_mapzen_5arcmin_kutai_timur.tif"
PDRB = "economy/pdrb_adhk2010_kabkota_17sektor_2013_2020_long.csv.gz"
#: BPS codes of Kutai Timur and of its province, Kalimantan Timur.
KUTAI_TIMUR, KALTIM = 6404, 6400
MINING, AGRICULTURE = "Pertambangan dan Penggalian", "Pertanian, Kehutanan, dan Perikanan"
#: Commodities evaluated: food and estate crops of the Kalimantan lowlands.
CROPS = ("jagung", "kakao", "karet", "kedelai", "kelapa", "kelapa_sawit", "kopi_robusta",
         "lada", "padi_gogo", "padi_sawah", "pisang", "ubi_kayu")
CROPS_NOTE = ("A shortlist of food and estate crops of the Kalimantan lowlands (aez has 30),\n"
              "to keep the run and its maps short.")
#: Analysis grid: Kutai Timur lies just north of the equator in UTM zone 50 (114–120° E).
CRS = "EPSG:32650"
RESOLUTION = 250.0
#: Travel time is a global operation; it runs on a coarser grid and is resampled back.
TRAVEL_TIME_RESOLUTION = 500.0

PREAMBLE = """\
Kab. Kutai Timur (Kalimantan Timur), Kemendagri 64.08 / BPS 6404.
Made by examples/05_kutai_timur_real.py from the real inputs in layers/ and `aez demo`.
REAL: the 18 kecamatan (wilayah_boundaries, Kemendagri 2025 codes) and their BPS 2020
codes; elevation (pvlib/Mapzen DEM, 5 arc-minutes, BSD) and hence temperature (Braak).
SYNTHETIC (aez demo, seed 42, not real data): slope, climate, soils, land status, water,
roads, markets, port, production, households, sentra and cooperatives."""

#: The demo's [assign] section without the neighbour bonus.
ASSIGN = """\
max_share = 0.25            # no product in more than a quarter of the kecamatan
min_distinct = 4
min_suitable_share = 0.1    # never on land that is mostly N
contiguity_bonus = 0.0      # see above"""
ASSIGN_NOTE = """\
No neighbour bonus (kawasan): with 30 commodities allowed in most of the 18 kecamatan it
makes the exact solve take minutes instead of seconds."""

SYNTHETIC = "SYNTHETIC (aez demo inside the real boundaries), not real data."


def sector_table(path: Path) -> pd.DataFrame:
    """Kutai Timur's GRDP by sector in the latest year: shares and LQ against the province."""
    pdrb = read_pdrb(path)
    year = int(pdrb.sectors.index.get_level_values(1).max())
    for code in (KUTAI_TIMUR, KALTIM):
        if not pdrb.flags.loc[(code, year), "consistent"]:
            print(f"note: the {year} sectors of {pdrb.names[code]} do not add up to its total")
    both = pdrb.year(year, regions=[KUTAI_TIMUR, KALTIM])
    lq = location_quotient(both.loc[[KUTAI_TIMUR]], reference=both.loc[KALTIM])
    table = pd.DataFrame({
        "year": year,
        "kutai_timur_miliar_rp": both.loc[KUTAI_TIMUR],
        "share_kutai_timur": both.loc[KUTAI_TIMUR] / pdrb.total[(KUTAI_TIMUR, year)],
        "kaltim_miliar_rp": both.loc[KALTIM],
        "share_kaltim": both.loc[KALTIM] / pdrb.total[(KALTIM, year)],
        "lq_vs_kaltim": lq.loc[KUTAI_TIMUR]})
    table.index.name = "lapangan_usaha"
    return table.sort_values("kutai_timur_miliar_rp", ascending=False)


def prepare(outdir: Path, data: Path) -> Path:
    """Write the region: demo layers inside Kutai Timur, then the real elevation."""
    boundary = real.need(data / BOUNDARY)
    write_demo_region(outdir, boundary=boundary, id_column="kode_kemendagri",
                      name_column="nama", resolution=RESOLUTION, overwrite=True)
    kecamatan = gpd.read_file(boundary)
    real.use_real_bps_codes(outdir, kecamatan, id_column="kode_kemendagri",
                            bps_column="kode_bps_2020")
    dem = outdir / "terrain" / "dem_pvlib_5arcmin.tif"
    shutil.copyfile(real.need(data / DEM), dem)  # as published; the stack warps it

    config = real.ConfigText((outdir / "config.toml").read_text(encoding="utf-8"))
    config.set_preamble(PREAMBLE)
    config.set("grid", f'crs = "{CRS}"\nresolution = {RESOLUTION}',
               comment="UTM zone 50 north: Kutai Timur lies between 0.0° and 1.9° N.")
    config.comment("study_area", "REAL: the kecamatan of Kab. Kutai Timur (wilayah_boundaries, "
                   "Kemendagri 2025 codes).")
    config.set("output", 'dir = "aez-out"\nregion = "Kab. Kutai Timur"\nsynthetic = true\n'
               'data_source = "DEM pvlib/Mapzen 5′, BPS PDRB; other layers synthetic"',
               comment="The name and data credit on maps and report.")
    config.set("evaluate", real.crop_list(CROPS), comment=CROPS_NOTE)
    config.set("layers.dem", f'path = "{dem.relative_to(outdir).as_posix()}"\n'
               'kind = "continuous"\nunits = "m"\nresampling = "bilinear"\nrole = "elevation"')
    config.set("layers.dem_synthetic",
               'path = "terrain/dem.tif"\nkind = "continuous"\nunits = "m"\nrole = "dem_synthetic"')
    config.set("layers.slope", 'from = "dem_synthetic"\nmethod = "slope"\nunits = "%"\n'
               'role = "slope"')
    config.set("layers.travel_time",
               'from = { targets = "markets", roads = "roads", slope = "slope", water = "lakes" }\n'
               f'method = "travel_time"\nresolution = {TRAVEL_TIME_RESOLUTION}\n'
               'role = "travel_time"')
    config.set("assign", ASSIGN, comment=ASSIGN_NOTE)
    config.drop("regions")  # the demo's development regions are invented
    real.label_layers(config, {
        "dem": "pvlib/Mapzen DEM of Indonesia, 5 arc-minutes (about 9 km), int16 m, warped\n"
               "bilinearly onto the grid by the layer stack. Too coarse for slope.",
        "temperature": "Braak's formula on the real elevation.",
    }, SYNTHETIC)
    config.comment("layers.dem_synthetic", f"{SYNTHETIC} Only for slope.")
    config.comment("tables", "SYNTHETIC: every table (aez demo), keyed by the real BPS codes.")
    path = outdir / "config.toml"
    path.write_text(config.text(), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    outdir, data = real.parse_args(__doc__, argv)
    start = time.perf_counter()
    sectors = sector_table(real.need(data / PDRB))
    outdir.mkdir(parents=True, exist_ok=True)
    real.write_csv(sectors.reset_index(), outdir / "pdrb_sektor_kutai_timur.csv")
    year = int(sectors["year"].iloc[0])
    print(f"Kutai Timur GRDP {year} (BPS PDRB ADHK 2010, billion Rp): "
          f"{sectors['kutai_timur_miliar_rp'].sum():,.0f}")
    with pd.option_context("display.width", 140, "display.max_colwidth", 48):
        print(sectors[["kutai_timur_miliar_rp", "share_kutai_timur", "share_kaltim",
                       "lq_vs_kaltim"]].round(3).to_string())
    for sector, label in ((MINING, "mining"), (AGRICULTURE, "agriculture")):
        row = sectors.loc[sector]
        print(f"{label}: {row['share_kutai_timur']:.1%} of GRDP (Kaltim {row['share_kaltim']:.1%}),"
              f" LQ {row['lq_vs_kaltim']:.2f}")

    config = prepare(outdir, data)
    print(f"\nRegion written in {time.perf_counter() - start:.0f} s; run config {config}")
    real.run_region(config, start=start, note="elevation and temperature real, everything "
                    "else synthetic")
    print(f"  {outdir / 'pdrb_sektor_kutai_timur.csv'} (GRDP by sector)")


if __name__ == "__main__":
    main()
