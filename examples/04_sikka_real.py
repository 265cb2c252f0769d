"""One product per kecamatan for Kab. Sikka (Flores, NTT) on real boundaries, production and roads.

Shows the whole run (``aez.pipeline.run``) on a real kabupaten, with the parts
that real public data can give:

REAL
    * the 21 kecamatan of Kab. Sikka (Kemendagri 53.07, BPS 5310) and their
      BPS codes, joined to the Kemendagri codes through the crosswalk;
    * production 2020–2023 of the BPS SIMDASI horticulture tables by kecamatan
      (vegetables 5.1.2, fruit 5.1.13, medicinal plants 5.1.6), hence the location
      quotient and the growth of production. The production table keeps every
      commodity of the three tables, with its table as its ``group``: the location
      quotient of a fruit is taken within the fruit table (all 28 fruits), as BPS
      publishes it. The commodities evaluated are exactly those of the tables that
      aez has a crop table for (``aez.demo.real.BPS_COMMODITY_IDS``): alpukat,
      bawang_merah, cabai (big and curly chilli), durian, jahe, jeruk (siam/keprok),
      kubis, kunyit, mangga, nanas, pisang, tomat;
    * OpenStreetMap roads around Maumere, for travel time (elsewhere travel is on
      foot), and GeoNames towns (population over 1,000) in or near Sikka as
      markets, with Maumere as the main market.

SYNTHETIC (``aez demo`` inside the real boundaries; labelled in the config)
    terrain, climate, soils, land status, rivers and lakes, farm households,
    sentra and cooperatives. The suitability maps are therefore illustrations,
    not an assessment of Sikka.

Usage::

    python examples/04_sikka_real.py OUTDIR [--data PATH]

The real inputs are the extracts under the repository's ``layers/`` (sources,
licences and conversions in ``layers/PROVENANCE.md``); ``--data`` names another
copy of that folder. The region goes to ``OUTDIR`` (its
``config.toml`` says what is real), the run to ``OUTDIR/aez-out``: maps,
``report.html``, ``districts.gpkg``, tables. Takes one to two minutes, most of
it drawing the maps.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _real_data as real

from aez.demo import write_demo_region
from aez.demo.real import (
    BPS_COMMODITY_IDS,
    bps_harvested_area,
    bps_production,
    market_towns,
    osm_road_classes,
)

BOUNDARY = "boundaries/kec_sikka_bps5310_kemendagri5307.geojson"
PRODUCTION = "production/bps_simdasi_sikka_hortikultura_per_kecamatan_2020_2023_long.csv.gz"
ROADS = "infrastructure/roads_maumere_sikka_ntt_osm.gpkg"
PLACES = "infrastructure/geonames_places_ntt_kaltim.csv"
#: The BPS production tables (mass units): vegetables, medicinal plants, fruit.
PRODUCTION_TABLES = ("5.1.2", "5.1.6", "5.1.13")
#: The BPS table of harvested area (vegetables; fruit trees have none).
AREA_TABLE = "5.1.1"
#: Analysis grid: Sikka lies in UTM zone 51 south (120–126° E); 100 m cells.
CRS = "EPSG:32751"
RESOLUTION = 100.0
#: Places this close to Sikka (m) also count as its markets.
MARKET_BUFFER = 2_000.0

PREAMBLE = """\
Kab. Sikka (NTT), Kemendagri 53.07 / BPS 5310: one product per kecamatan.
Made by examples/04_sikka_real.py from the real inputs in layers/ and `aez demo`.
REAL: the 21 kecamatan (wilayah_boundaries, Kemendagri 2025 codes) and their BPS 2020
codes; production 2020-2023 (BPS SIMDASI horticulture tables, Kab. Sikka); roads
around Maumere (OpenStreetMap, ODbL); towns with over 1,000 people (GeoNames, CC-BY).
SYNTHETIC (aez demo, seed 42, not real data): terrain, climate, soils, land status,
water, farm households, sentra and cooperatives."""

#: The demo's [assign] section, but without the rule that a product needs land that is at
#: least 10 % suitable: the land here is synthetic, while the real BPS tables show every
#: kecamatan growing these crops.
ASSIGN = """\
max_share = 0.25            # no product in more than a quarter of the kecamatan
min_distinct = 4
min_suitable_share = 0.0    # see above
contiguity_bonus = 0.0      # see above"""
ASSIGN_NOTE = """\
The land layers are synthetic: a kecamatan whose synthetic land is all N or excluded
(Nita, Palue) would get no product, while the real BPS tables show every kecamatan
growing these crops. So no minimum share of suitable land is required here. Without
that rule every product is allowed everywhere, and the neighbour bonus (kawasan) makes
the exact solve slow (minutes), so it is off too."""

SYNTHETIC = "SYNTHETIC (aez demo inside the real boundaries), not real data."


def prepare(outdir: Path, data: Path) -> Path:
    """Write the region: demo layers inside Sikka, then the real tables and layers."""
    boundary = real.need(data / BOUNDARY)
    write_demo_region(outdir, boundary=boundary, id_column="kode_kemendagri",
                      name_column="nama", resolution=RESOLUTION, overwrite=True)
    kecamatan = gpd.read_file(boundary).to_crs(CRS)
    real.use_real_bps_codes(outdir, kecamatan, id_column="kode_kemendagri",
                            bps_column="kode_bps_2020")

    long = pd.read_csv(real.need(data / PRODUCTION), dtype={"kode_bps_kec": str, "tabel": str})
    production = bps_production(long[long["tabel"].isin(PRODUCTION_TABLES)], keep_all=True)
    # Harvested area (vegetables, table 5.1.1): production / area is the local yield of
    # potential production (docs/production.md).
    area = bps_harvested_area(long[long["tabel"] == AREA_TABLE])
    production = production.merge(area, on=["kode_bps", "commodity", "year"], how="left")
    real.write_csv(production, outdir / "socioeconomic" / "produksi.csv")
    evaluated = sorted(set(production["commodity"]) & set(BPS_COMMODITY_IDS.values()))

    roads = osm_road_classes(gpd.read_file(real.need(data / ROADS))).to_crs(CRS)
    real.write_gpkg(roads, outdir / "infrastructure" / "roads.gpkg", "roads")
    places = pd.read_csv(real.need(data / PLACES))
    markets = market_towns(places, kecamatan, buffer=MARKET_BUFFER, capital="Maumere")
    real.write_gpkg(markets, outdir / "infrastructure" / "markets.gpkg", "markets")
    (outdir / "infrastructure" / "port.gpkg").unlink()  # no real port layer

    config = real.ConfigText((outdir / "config.toml").read_text(encoding="utf-8"))
    config.set_preamble(PREAMBLE)
    config.set("grid", f'crs = "{CRS}"\nresolution = {RESOLUTION}',
               comment="UTM zone 51 south covers Flores east of 120° E.")
    config.comment("study_area", "REAL: the kecamatan of Kab. Sikka (wilayah_boundaries, "
                   "Kemendagri 2025 codes).")
    config.set("output", 'dir = "aez-out"\nregion = "Kab. Sikka"\nsynthetic = true\n'
               'data_source = "BPS SIMDASI 2020–2023, OSM, GeoNames; land synthetic"',
               comment="The name and data credit on maps and report.")
    config.set("evaluate", real.crop_list(evaluated),
               comment="The commodities of the BPS tables that aez has a crop table for.")
    config.comment("tables", "REAL: production (BPS SIMDASI tables 5.1.2, 5.1.6, 5.1.13: every "
                   "commodity, kw and kg\nas tons, the table as its group; harvested area "
                   "of vegetables from 5.1.1)\nand the BPS crosswalk.\nSYNTHETIC: "
                   "households, sentra, cooperatives. No price table: the demo's prices are "
                   "synthetic,\nso potential value is left out and `value` is potential "
                   "production (t/yr).")
    config.drop_value("tables", "prices")
    (outdir / "socioeconomic" / "harga.csv").unlink()
    config.set("assign", ASSIGN, comment=ASSIGN_NOTE)
    config.drop("regions")  # the demo's development regions are invented
    config.drop("layers.port")
    real.label_layers(config, {
        "roads": "OpenStreetMap roads around Maumere (ODbL), highway tag as road class.",
        "markets": "GeoNames places over 1,000 people in or within 2 km of Sikka (CC-BY).",
        "travel_time": "roads and markets; off-road walking on the synthetic slope.",
    }, SYNTHETIC)
    path = outdir / "config.toml"
    path.write_text(config.text(), encoding="utf-8")
    print(f"Sikka: {len(kecamatan)} kecamatan, {production['commodity'].nunique()} BPS "
          f"commodities in {production['group'].nunique()} tables, {len(evaluated)} evaluated "
          f"{evaluated}, {len(roads)} OSM roads, {len(markets)} GeoNames towns as markets")
    return path


def main(argv: list[str] | None = None) -> None:
    outdir, data = real.parse_args(__doc__, argv)
    start = time.perf_counter()
    config = prepare(outdir, data)
    print(f"Region written in {time.perf_counter() - start:.0f} s; run config {config}")
    real.run_region(config, start=start, lq_label="LQ (BPS 2023)",
                    note="LQ and growth of production from the BPS tables, land suitability "
                    "on synthetic land")


if __name__ == "__main__":
    main()
