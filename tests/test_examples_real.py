"""The real-region examples (04 Sikka, 05 Kutai Timur) and the real-data conversions they use.

The conversions of :mod:`aez.demo.real` are checked on small tables and layers built
here, with the expected values worked by hand. The examples run as scripts on the
real reference data (skipped when it is absent): every real kecamatan gets a product,
the location quotients of the Sikka decision equal those computed here with pandas
from the BPS long table, and Kutai Timur's mining share equals the PDRB table's.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, box

from aez.demo.real import bps_name, bps_production, market_towns, osm_road_classes
from aez.errors import ConfigError
from aez.testing import SHARED_DATA as SHARED

ROOT = Path(__file__).resolve().parents[1]
needs_shared = pytest.mark.skipif(not SHARED.is_dir(),
                                  reason=f"shared reference data not found at {SHARED}")


# ---------------------------------------------------------------- BPS production table

def _long(rows):
    return pd.DataFrame(rows, columns=["kode_bps_kec", "kecamatan", "komoditas", "satuan",
                                       "tahun", "nilai"])


def test_bps_production_converts_units_sums_names_and_drops_area_and_totals():
    long = _long([
        # kecamatan A, 2023: two chillies make cabai; kw → t (÷ 10), kg → t (÷ 1000)
        ["5310070", "A", "Cabai Besar/TW/Teropong / Chili/Big chili", "kw/ qui", 2023, 760.0],
        ["5310070", "A", "Cabai Keriting/ Chili/Curly chili", "kw/ qui", 2023, 932.0],
        ["5310070", "A", "Cabai Rawit/ Chili/Cayenne Pepper", "kw/ qui", 2023, 1287.0],
        ["5310070", "A", "Jahe/ Ginger", "kg/ kg", 2023, 104500.0],
        ["5310070", "A", "Jahe/ Ginger", "m2/ m2", 2023, 5000.0],      # area: not production
        ["5310070", "A", "Kubis/ Cabbage", "ha/ ha", 2023, 3.0],        # area: not production
        ["5310070", "A", "Bayam/ Spinach", "kw/ qui", 2023, 40.0],      # no aez table
        # kecamatan B: one chilli not available, the other 0; then neither available
        ["5310071", "B", "Cabai Besar/ Chili/Big chili", "kw/ qui", 2022, np.nan],
        ["5310071", "B", "Cabai Keriting/ Chili/Curly chili", "kw/ qui", 2022, 0.0],
        ["5310071", "B", "Cabai Besar/ Chili/Big chili", "kw/ qui", 2023, np.nan],
        ["5310071", "B", "Cabai Keriting/ Chili/Curly chili", "kw/ qui", 2023, np.nan],
        ["5310071", "B", "NENAS/ Pineapple", "Kw/ qui", 2023, 7.0],     # case does not matter
        [None, "Sikka (TOTAL KABUPATEN)", "Jahe/ Ginger", "kg/ kg", 2023, 104500.0],
    ])
    out = bps_production(long)
    assert list(out.columns) == ["kode_bps", "kecamatan", "commodity", "year", "production_ton"]
    got = {(r.kode_bps, r.commodity, r.year): r.production_ton for r in out.itertuples()}
    assert set(got) == {("5310070", "cabai", 2023), ("5310070", "jahe", 2023),
                        ("5310071", "cabai", 2022), ("5310071", "cabai", 2023),
                        ("5310071", "nanas", 2023)}
    assert got[("5310070", "cabai", 2023)] == pytest.approx((760 + 932) / 10)  # 169.2 t
    assert got[("5310070", "jahe", 2023)] == pytest.approx(104.5)
    assert got[("5310071", "cabai", 2022)] == 0.0     # NaN + 0: one known value, 0
    assert math.isnan(got[("5310071", "cabai", 2023)])  # nothing known: not available
    assert got[("5310071", "nanas", 2023)] == pytest.approx(0.7)
    # sorted by commodity, year, code
    assert list(zip(out["commodity"], out["year"], out["kode_bps"], strict=True)) == [
        ("cabai", 2022, "5310071"), ("cabai", 2023, "5310070"), ("cabai", 2023, "5310071"),
        ("jahe", 2023, "5310070"), ("nanas", 2023, "5310071")]


def test_bps_production_reads_float_codes_and_custom_names():
    long = _long([[5310010.0, "Paga", "Pisang/ Banana", "ton", 2021, 2.5],
                  [5310010.0, "Paga", "Sukun/ Breadfruit", "ton", 2021, 9.0]])
    out = bps_production(long, commodities={"Sukun": "sukun"})
    assert out[["kode_bps", "commodity", "production_ton"]].values.tolist() == [
        ["5310010", "sukun", 9.0]]


@pytest.mark.parametrize("change, message", [
    (lambda d: d.drop(columns="satuan"), "no column 'satuan'"),
    (lambda d: d.assign(nilai=d["nilai"].astype(str)), "not numeric"),
    (lambda d: d.assign(nilai=-1.0), "cannot be negative"),
    (lambda d: d.assign(tahun="2023a"), "not a number"),
    (lambda d: pd.concat([d, d]), "appears more than once"),
    (lambda d: d.assign(kecamatan=["A", "B"]), "more than one name"),
    (lambda d: d.assign(satuan="ha/ ha"), "no production rows"),
])
def test_bps_production_refuses_bad_tables(change, message):
    good = _long([["5310010", "A", "Pisang/ Banana", "kw/ qui", 2023, 1.0],
                  ["5310010", "A", "Mangga/ Mango", "kw/ qui", 2023, 2.0]])
    bps_production(good)
    with pytest.raises(ConfigError, match=message):
        bps_production(change(good))


def test_bps_name_keeps_the_indonesian_part():
    assert bps_name("Jeruk Siam/Keprok/ Orange/Tangerine") == "Jeruk Siam"
    assert bps_name("  Serai /Lemongrass") == "Serai"
    assert bps_name("Bromelia") == "Bromelia"


@needs_shared
def test_bps_production_of_sikka_adds_up_to_the_kabupaten_total():
    """The kecamatan sums of the converted table against BPS's own total row.

    BPS rounds each kecamatan, so a total may differ from the sum by a few units of the
    table (README: at most 3); in tons that is 0.3 t (kw) or 0.003 t (kg) per BPS name,
    and cabai sums two names.
    """
    path = SHARED / "production" / "bps_simdasi_sikka_hortikultura_per_kecamatan_2020_2023_long.csv"
    long = pd.read_csv(path, dtype={"kode_bps_kec": str})
    out = bps_production(long)
    assert out["kode_bps"].nunique() == 21 and sorted(out["year"].unique()) == [2020, 2021,
                                                                                2022, 2023]
    total = long[long["kecamatan"] == "Sikka (TOTAL KABUPATEN)"]
    checked = 0
    for (commodity, year), part in out.groupby(["commodity", "year"]):
        names = {"pisang": ["Pisang/ Banana"], "jahe": ["Jahe/ Ginger"],
                 "cabai": ["Cabai Besar/ Chili/Big chili",
                           "Cabai Besar/TW/Teropong / Chili/Big chili",
                           "Cabai Keriting/ Chili/Curly chili"]}.get(commodity)
        if names is None:
            continue
        rows = total[(total["tahun"] == year) & total["komoditas"].isin(names)
                     & total["tabel"].isin(["5.1.2", "5.1.6", "5.1.13"])]
        per_ton = 1000.0 if commodity == "jahe" else 10.0   # kg or kw per ton
        assert part["production_ton"].sum() == pytest.approx(
            rows["nilai"].sum() / per_ton, abs=3 * len(rows) / per_ton)
        checked += 1
    assert checked == 12  # three commodities × four years


# ---------------------------------------------------------------- OSM roads, GeoNames towns

def test_osm_road_classes_maps_highway_tags_and_drops_non_roads():
    lines = [LineString([(0, i), (1, i)]) for i in range(6)]
    roads = gpd.GeoDataFrame(
        {"highway": ["trunk", "secondary", "road", "residential", "footway", None],
         "aeroway": [None, None, None, None, None, "runway"]},
        geometry=lines, crs="EPSG:4326")
    out = osm_road_classes(roads)
    assert out["kelas"].tolist() == ["arteri", "kolektor", "lokal", "jalan_desa"]
    assert out["highway"].tolist() == ["trunk", "secondary", "road", "residential"]
    assert out.crs == roads.crs and out.geometry.iloc[1].equals(lines[1])
    with pytest.raises(ConfigError, match="no column 'highway'"):
        osm_road_classes(roads.drop(columns="highway"))
    with pytest.raises(ConfigError, match="No road"):
        osm_road_classes(roads.iloc[[4, 5]])


def test_market_towns_keeps_places_in_the_area_or_its_buffer():
    # A 10 × 10 km square in UTM 51S near (122.0° E, 8.6° S); one degree of longitude
    # there is about 110 km, so 0.05° is about 5.5 km.
    area = gpd.GeoDataFrame(geometry=[box(380_000, 9_040_000, 390_000, 9_050_000)],
                            crs="EPSG:32751")
    centre = gpd.GeoSeries(gpd.points_from_xy([385_000], [9_045_000]),
                           crs="EPSG:32751").to_crs(4326)
    lon, lat = centre.x.iloc[0], centre.y.iloc[0]
    places = pd.DataFrame({"name": ["Kota", "Desa", "Jauh", "Dekat"],
                           "lon": [lon, lon + 0.01, lon + 0.5, lon + 0.05],
                           "lat": [lat, lat, lat, lat]})
    inside = market_towns(places, area, capital="Kota")
    assert inside["nama"].tolist() == ["Desa", "Kota"]
    assert inside["kind"].tolist() == ["pengumpul", "pasar_induk"]
    assert inside.crs == area.crs
    assert inside.geometry.iloc[1].distance(area.geometry.iloc[0].centroid) < 1.0
    near = market_towns(places, area, buffer=1_000)  # 'Dekat' is ~0.5 km outside
    assert near["nama"].tolist() == ["Dekat", "Desa", "Kota"]
    assert set(near["kind"]) == {"pengumpul"}
    with pytest.raises(ConfigError, match="capital 'Jauh'"):
        market_towns(places, area, capital="Jauh")
    with pytest.raises(ConfigError, match="projected CRS"):
        market_towns(places, area.to_crs(4326))
    with pytest.raises(ConfigError, match="None of the 1 places"):
        market_towns(places.iloc[[2]], area)
