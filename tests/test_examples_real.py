"""The real-region examples (04 Sikka, 05 Kutai Timur) and the real-data conversions they use.

The conversions of :mod:`aez.demo.real` are checked on small tables and layers built
here, with the expected values worked by hand. The examples run as scripts on the
real inputs under ``layers/`` with no other data folder in reach (``AEZ_SHARED_DATA``
points nowhere): every real kecamatan gets a product,
the location quotients of the Sikka decision equal those computed here with pandas
from the BPS long table, and Kutai Timur's mining share equals the PDRB table's.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, box

from aez.crops import load_crop
from aez.demo.real import bps_name, bps_production, market_towns, osm_road_classes
from aez.errors import ConfigError
from aez.io.csv_table import INDEX_DECIMALS
from aez.testing import LAYERS, real_layer

ROOT = Path(__file__).resolve().parents[1]
SIKKA_LONG = real_layer(
    "production/bps_simdasi_sikka_hortikultura_per_kecamatan_2020_2023_long.csv.gz")


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


def test_bps_production_keeps_every_commodity_and_its_table_for_the_basket():
    long = _long([
        ["5310070", "A", "Pisang/ Banana", "kw/ qui", 2023, 100.0],
        ["5310070", "A", "Sukun/ Breadfruit", "kw/ qui", 2023, 30.0],        # no aez table
        ["5310070", "A", "Duku/Langsat/Kokosan/ Duku", "kw/ qui", 2023, 5.0],
        ["5310070", "A", "Jahe/ Ginger", "kg/ kg", 2023, 2000.0],
        ["5310070", "A", "Jamur Tiram / King Oyster Mushrooms", "kg/ kg", 2023, 500.0],
    ]).assign(tabel=["5.1.13", "5.1.13", "5.1.13", "5.1.6", "5.1.2"])
    out = bps_production(long, keep_all=True)
    assert list(out.columns) == ["kode_bps", "kecamatan", "commodity", "year",
                                 "production_ton", "group"]
    got = dict(zip(out["commodity"], zip(out["production_ton"], out["group"], strict=True),
                   strict=True))
    assert got == {"pisang": (10.0, "5.1.13"), "sukun": (3.0, "5.1.13"),
                   "duku": (0.5, "5.1.13"), "jahe": (2.0, "5.1.6"),
                   "jamur_tiram": (0.5, "5.1.2")}
    assert set(bps_production(long)["commodity"]) == {"pisang", "jahe"}  # aez ids only
    twice = long.assign(tabel=["5.1.13", "5.1.2", "5.1.13", "5.1.6", "5.1.2"])
    twice.loc[1, "komoditas"] = "Pisang/ Banana"
    twice.loc[1, "kecamatan"] = "A"
    twice.loc[1, "kode_bps_kec"] = "5310071"
    with pytest.raises(ConfigError, match="more than one table"):
        bps_production(twice.assign(kecamatan=["A", "B", "A", "A", "A"]), keep_all=True)


def test_bps_name_keeps_the_indonesian_part():
    assert bps_name("Jeruk Siam/Keprok/ Orange/Tangerine") == "Jeruk Siam"
    assert bps_name("  Serai /Lemongrass") == "Serai"
    assert bps_name("Bromelia") == "Bromelia"


def test_bps_production_of_sikka_adds_up_to_the_kabupaten_total():
    """The kecamatan sums of the converted table against BPS's own total row.

    BPS rounds each kecamatan, so a total may differ from the sum by a few units of the
    table (README: at most 3); in tons that is 0.3 t (kw) or 0.003 t (kg) per BPS name,
    and cabai sums two names.
    """
    long = pd.read_csv(SIKKA_LONG, dtype={"kode_bps_kec": str})
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


# ---------------------------------------------------------------- the examples, run as scripts

PDRB = real_layer("economy/pdrb_adhk2010_kabkota_17sektor_2013_2020_long.csv.gz")
#: The examples run as from a fresh clone: no large reference folder beside it.
NO_SHARED = {"AEZ_SHARED_DATA": "/nonexistent"}
OUTPUTS = ("maps/products.png", "report.html", "districts.gpkg", "tables/scores.csv")


def _example(script: str, *args: str, env: dict[str, str] | None = None,
             timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "examples" / script), *args],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          env={**os.environ, **(env or {})}, check=False)


def _ran(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == 0, (f"exit {proc.returncode}\n{proc.stdout[-3000:]}\n"
                                  f"{proc.stderr[-3000:]}")


@pytest.fixture(scope="module")
def sikka(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("sikka")
    return out, _example("04_sikka_real.py", str(out), env=NO_SHARED)


@pytest.fixture(scope="module")
def kutai_timur(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("kutai-timur")
    return out, _example("05_kutai_timur_real.py", str(out), env=NO_SHARED)


def _kecamatan_ids(outdir: Path) -> list[str]:
    layer = gpd.read_file(outdir / "aez-out" / "districts.gpkg", layer="kecamatan")
    assert layer["product"].notna().all() and (layer["product"] != "").all()
    return sorted(layer["kecamatan_id"].astype(str))


def _boundary_ids(name: str) -> list[str]:
    return sorted(gpd.read_file(real_layer(f"boundaries/{name}"))["kode_kemendagri"].astype(str))


@pytest.mark.slow
def test_sikka_example_gives_every_real_kecamatan_a_product(sikka):
    outdir, proc = sikka
    _ran(proc)
    for name in OUTPUTS:
        assert (outdir / "aez-out" / name).is_file(), name
    ids = _boundary_ids("kec_sikka_bps5310_kemendagri5307.geojson")
    assert len(ids) == 21 and _kecamatan_ids(outdir) == ids
    for name in ("Nita", "Palue", "Talibura", "Alok Timur"):
        assert name in proc.stdout


#: The BPS labels of each evaluated commodity, and the tables they are in: 5.1.2
#: (vegetables) and 5.1.13 (fruit) in quintals, 5.1.6 (medicinal plants) in kilograms.
#: The location quotient of each is taken over every commodity of its table.
SIKKA_COMMODITIES = {
    "alpukat": ("5.1.13", ["Alpukat/ Avocado"]),
    "bawang_merah": ("5.1.2", ["Bawang Merah/ Shallots"]),
    "cabai": ("5.1.2", ["Cabai Besar/ Chili/Big chili", "Cabai Besar/TW/Teropong / Chili/Big chili",
                        "Cabai Keriting/ Chili/Curly chili"]),
    "durian": ("5.1.13", ["Durian/ Durian"]),
    "jahe": ("5.1.6", ["Jahe/ Ginger"]),
    "jeruk": ("5.1.13", ["Jeruk Siam/Keprok/ Orange/Tangerine"]),
    "kubis": ("5.1.2", ["Kubis/ Cabbage"]),
    "kunyit": ("5.1.6", ["Kunyit/ Turmeric"]),
    "mangga": ("5.1.13", ["Mangga/ Mango"]),
    "nanas": ("5.1.13", ["Nenas/ Pineapple"]),
    "pisang": ("5.1.13", ["Pisang/ Banana"]),
    "tomat": ("5.1.2", ["Tomat/ Tomato"]),
}


#: BPS production units → tons.
TONS = {"kw/ qui ": 0.1, "kg/ kg ": 0.001}


def _bps_2023() -> pd.DataFrame:
    """The 2023 production rows of the 21 kecamatan in the three production tables, in tons."""
    long = pd.read_csv(SIKKA_LONG, dtype={"kode_kemendagri_kec": str, "tabel": str})
    long = long[(long["tahun"] == 2023) & (long["kecamatan"] != "Sikka (TOTAL KABUPATEN)")
                & long["tabel"].isin(["5.1.2", "5.1.6", "5.1.13"]) & long["satuan"].isin(TONS)]
    return long.assign(tons=long["nilai"] * long["satuan"].map(TONS))


def _table_tons(table: str) -> pd.DataFrame:
    """2023 tons of every commodity (BPS label) of one BPS table, kecamatan × label."""
    rows = _bps_2023()
    rows = rows[rows["tabel"] == table]
    x = rows.groupby(["kode_kemendagri_kec", "komoditas"])["tons"].sum(min_count=1).unstack()
    assert x.shape[0] == 21
    return x


def _hand_table_lq(table: str) -> pd.DataFrame:
    """LQ over every commodity of one BPS table: (x_ij / Σ_j x_ij) / (Σ_i x_ij / Σ_ij x_ij).

    A cell BPS did not report (``...``) counts as 0 in the sums and has no LQ itself.
    """
    x = _table_tons(table)
    return x.div(x.sum(axis=1), axis=0) / (x.sum(axis=0) / x.sum().sum())


def _hand_tons_2023() -> pd.DataFrame:
    """2023 production (t) of the 12 evaluated commodities, kecamatan × commodity."""
    rows = _bps_2023()
    columns = {}
    for crop, (table, labels) in SIKKA_COMMODITIES.items():
        mine = rows[(rows["tabel"] == table) & rows["komoditas"].isin(labels)]
        columns[crop] = mine.groupby("kode_kemendagri_kec")["tons"].sum(min_count=1)
    return pd.DataFrame(columns)


def _sikka_table(outdir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(outdir / "aez-out" / "tables" / name, dtype={"kecamatan_id": str},
                       keep_default_na=True)


@pytest.mark.slow
def test_sikka_fruit_lq_is_taken_over_the_whole_fruit_table(sikka):
    """The LQ of a fruit is its share of the kecamatan's fruit over its share of Sikka's fruit.

    Worked from BPS table 5.1.13 (2023, quintals; 25 fruits reported in 2023):

    * Talibura, banana: 16,591 of Talibura's 18,741 kw of fruit (88.53 %), against 56,331
      of Sikka's 132,868 kw (42.40 %): LQ = 0.8853 / 0.4240 = 2.088;
    * Bola, durian: 3,770 of 12,596 kw (29.93 %) against 4,865 of 132,868 (3.66 %): 8.174;
    * Palue, pineapple: 59 of 1,243 kw (4.75 %) against 6,755 of 132,868 (5.08 %): 0.934,
      below 1. Over the twelve evaluated commodities alone (bananas plus chillies plus
      ginger, by mass) it was 1.64, and Palue was given pineapple.
    """
    outdir, proc = sikka
    _ran(proc)
    scores = _sikka_table(outdir, "scores.csv").set_index(["kecamatan_id", "commodity"])
    used = scores["lq_raw"].unstack()
    fruit = _hand_table_lq("5.1.13")
    assert fruit.shape[1] == 25
    assert fruit.at["53.07.08", "Pisang/ Banana"] == pytest.approx(
        (16591 / 18741) / (56331 / 132868), rel=1e-12)
    assert fruit.at["53.07.08", "Pisang/ Banana"] == pytest.approx(2.088, abs=5e-4)
    assert fruit.at["53.07.11", "Durian/ Durian"] == pytest.approx(8.174, abs=5e-4)
    assert fruit.at["53.07.06", "Nenas/ Pineapple"] == pytest.approx(0.934, abs=5e-4)
    checked = 0
    for crop, (table, labels) in SIKKA_COMMODITIES.items():
        # one aez commodity may be several BPS rows (big and curly chilli): their tons add up
        x = _table_tons(table)
        mine = x[[c for c in labels if c in x.columns]].sum(axis=1, min_count=1)
        expected = (mine / x.sum(axis=1)) / (mine.sum() / x.sum().sum())
        got = used.loc[expected.index, crop]
        np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-5)
        checked += table == "5.1.13"
    assert checked == 6  # every kecamatan × each of the six evaluated fruits


@pytest.mark.slow
def test_sikka_leading_products_rest_on_real_production(sikka):
    """With the defaults, a product with no 2023 production is flagged a development candidate."""
    outdir, proc = sikka
    _ran(proc)
    products = _sikka_table(outdir, "kecamatan_products.csv").set_index("kecamatan_id")
    tons = _hand_tons_2023()
    assert len(products) == 21
    for kecamatan, row in products.iterrows():
        produced = tons.at[kecamatan, row["product"]]
        flags = str(row["flags"]) if pd.notna(row["flags"]) else ""
        assert produced > 0 or "development" in flags, (kecamatan, row["product"])
        assert row["production"] == pytest.approx(produced, rel=1e-9)
        if row["role"] == "unggulan":
            assert row["lq"] >= 1 and produced > 0
        else:
            assert "development" in flags
    # Talibura, the kabupaten's largest banana producer (1,659.1 t of 5,633.1 t: 29.45 %),
    # keeps bananas rather than the durian it had never grown.
    talibura = products.loc["53.07.08"]
    assert talibura["product"] == "pisang"
    assert talibura["production_share"] == pytest.approx(16591 / 56331, rel=1e-4)
    # "no alternative" is a flag and a stability of its own, never "stable"
    alone = products["alternative_1"].isna()
    assert (products.loc[alone, "stability"] == "no_alternative").all()
    assert products.loc[alone, "flags"].str.contains("no_alternative").all()


@pytest.mark.slow
def test_sikka_roles_flags_and_basket_reach_the_geopackage_and_report(sikka):
    outdir, proc = sikka
    _ran(proc)
    layer = gpd.read_file(outdir / "aez-out" / "districts.gpkg", layer="kecamatan")
    assert {"role", "klassen", "lq", "production", "production_share", "suitable_ha",
            "flags", "stability"} <= set(layer.columns)
    assert set(layer["role"]) <= {"unggulan", "potensial", "none"}
    pairs = gpd.read_file(outdir / "aez-out" / "districts.gpkg", layer="kecamatan_commodity")
    assert {"role", "klassen", "production", "falling"} <= set(pairs.columns)
    assert len(pairs) == 21 * 12
    html = (outdir / "aez-out" / "report.html").read_text(encoding="utf-8")
    # the basket and the reference, in words and as a formula
    assert "Σ<sub>j∈B</sub>" in html
    assert "5.1.13: 28 komoditas; 5.1.2: 29 komoditas; 5.1.6: 17 komoditas" in html
    assert "jumlah 21 kecamatan wilayah studi (Kab. Sikka)" in html
    for kecamatan, row in layer.set_index("kecamatan_id").iterrows():
        cell = html.split(f'data-kecamatan="{kecamatan}">', 1)[1].split("</tr>", 1)[0]
        assert f"{row['production']:,.1f}".replace(",", "#").replace(".", ",").replace(
            "#", ".") + " t (2023)" in cell
        assert "unggulan" in cell
        if row["stability"] == "no_alternative":
            assert "tanpa alternatif" in cell


@pytest.mark.slow
def test_kutai_timur_example_uses_the_real_dem_and_reports_the_mining_share(kutai_timur):
    outdir, proc = kutai_timur
    _ran(proc)
    for name in OUTPUTS:
        assert (outdir / "aez-out" / name).is_file(), name
    ids = _boundary_ids("kec_kutai_timur_6408.geojson")
    assert len(ids) == 18 and "64.08.03" in ids and _kecamatan_ids(outdir) == ids
    assert "Muara Bengkal" in proc.stdout
    layer = gpd.read_file(outdir / "aez-out" / "districts.gpkg", layer="kecamatan")
    assert {"role", "klassen", "production", "flags", "suitable_ha"} <= set(layer.columns)
    assert set(layer["role"]) <= {"unggulan", "potensial", "none"}

    # elevation is the published DEM, as is, warped by the layer stack
    resolved = tomllib.loads((outdir / "aez-out" / "config.resolved.toml").read_text())
    dem = Path(resolved["layers"]["dem"]["path"])
    real_dem = real_layer("rasters/dem_pvlib_mapzen_5arcmin_kutai_timur.tif")
    assert dem.read_bytes() == real_dem.read_bytes()
    assert resolved["layers"]["temperature"]["from"] == "dem"

    # mining's share of GRDP in 2020, straight from the PDRB table: 76,689.46 of 92,585.57
    pdrb = pd.read_csv(PDRB)
    kutim = pdrb[(pdrb["kode_bps"] == 6404) & (pdrb["tahun"] == 2020)].set_index(
        "lapangan_usaha")["pdrb_adhk2010_miliar_rp"]
    share = kutim["Pertambangan dan Penggalian"] / kutim["TOTAL"]
    assert share == pytest.approx(0.83, abs=0.005)  # the published cross-check
    written = pd.read_csv(outdir / "pdrb_sektor_kutai_timur.csv").set_index("lapangan_usaha")
    assert written.at["Pertambangan dan Penggalian", "share_kutai_timur"] == pytest.approx(
        share, rel=1e-12)
    assert f"mining: {share:.1%} of GRDP" in proc.stdout
    # sector LQ against Kalimantan Timur (6400): mining 0.828 / (222,909 / 472,393) ≈ 1.76
    kaltim = pdrb[(pdrb["kode_bps"] == 6400) & (pdrb["tahun"] == 2020)
                  & (pdrb["lapangan_usaha"] != "TOTAL")].set_index("lapangan_usaha")[
        "pdrb_adhk2010_miliar_rp"]
    sectors = kutim.drop("TOTAL")
    lq = (sectors / sectors.sum()) / (kaltim / kaltim.sum())
    assert lq["Pertambangan dan Penggalian"] == pytest.approx(1.755, abs=0.005)
    np.testing.assert_allclose(written.loc[lq.index, "lq_vs_kaltim"], lq, rtol=1e-12)


@pytest.mark.slow
def test_sikka_comparison_is_generated_by_the_script_and_quoted_in_the_docs(tmp_path):
    """docs/scoring.md quotes examples/06 word for word; the figures say what the docs claim."""
    proc = _example("06_sikka_scoring_comparison.py", str(tmp_path), env=NO_SHARED)
    _ran(proc)
    generated = (tmp_path / "sikka_scoring_comparison.md").read_text(encoding="utf-8")
    docs = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")
    quoted = docs.split("<!-- sikka-comparison:start -->\n", 1)[1].split(
        "<!-- sikka-comparison:end -->", 1)[0]
    assert quoted == generated, "re-run examples/06 and paste its output into docs/scoring.md"
    rows = {line.split(" | ")[0].lstrip("| "): [c.strip() for c in line.strip("| \n").split(
        " | ")[1:]] for line in generated.splitlines() if line.startswith("| ")}
    runs = rows["measure"]
    assert runs == ["old", "+ normalisation", "+ LQ basket", "new"]
    assert rows["leading products with no production in 2023"][-1] == "0"
    assert rows["leading products with no production in 2023"][0] == "1"  # Talibura, durian
    assert rows["leading products with LQ < 1 in their BPS table"][-1] == "0"
    assert rows["median share of LQ + growth in the chosen score"][0] == "13%"
    table = pd.read_csv(tmp_path / "sikka_scoring_comparison.csv", dtype={"kecamatan_id": str})
    talibura = table.set_index("kecamatan").loc["Talibura"]
    assert (talibura["old"], talibura["new"]) == ("durian", "pisang")
    assert (table["role"] == "unggulan").all()


@pytest.mark.parametrize("script", ["04_sikka_real.py", "05_kutai_timur_real.py",
                                    "06_sikka_scoring_comparison.py"])
def test_examples_stop_with_one_clear_line_without_the_data(script, tmp_path):
    proc = _example(script, str(tmp_path / "out"), "--data", "/nonexistent", timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "/nonexistent" in lines[0] and "--data" in lines[0]
    assert not (tmp_path / "out").exists()


#: The labels of the evaluated vegetables in BPS table 5.1.1 (harvested area, ha). In 2023
#: the table spells curly chilli with a space before the slash, unlike table 5.1.2.
SIKKA_AREA_LABELS = {
    "bawang_merah": ["Bawang Merah/ Shallots"],
    "cabai": ["Cabai Besar/TW/Teropong / Chili/Big chili", "Cabai Keriting / Chili/Curly chili"],
    "kubis": ["Kubis/ Cabbage"],
    "tomat": ["Tomat/ Tomato"],
}


def _hand_area_2023() -> pd.DataFrame:
    """2023 harvested area (ha) of the evaluated vegetables, kecamatan × commodity (5.1.1)."""
    long = pd.read_csv(SIKKA_LONG, dtype={"kode_kemendagri_kec": str, "tabel": str})
    rows = long[(long["tahun"] == 2023) & (long["tabel"] == "5.1.1")
                & (long["satuan"] == "ha/ ha ") & long["kode_kemendagri_kec"].notna()]
    columns = {}
    for crop, labels in SIKKA_AREA_LABELS.items():
        mine = rows[rows["komoditas"].isin(labels)]
        columns[crop] = mine.groupby("kode_kemendagri_kec")["nilai"].sum(min_count=1)
    return pd.DataFrame(columns)


@pytest.mark.slow
def test_sikka_gap_table_against_the_real_bps_2023_production(sikka):
    """Realised 2023 production over potential production, from the real BPS tables.

    Worked by hand from the BPS long table: Alok (53.07.05) harvested 1 ha of tomatoes in
    2023 (5.1.1) and produced 574 kw = 57.4 t (5.1.2), a local yield of 57.4 t/ha. Fruit
    (5.1.13) and the medicinal plants (5.1.6) have no harvested area and no reference yield
    in their crop tables: no estimate, so no gap; shallots where BPS gives no area take the
    crop table's reference yield. Every other number is recomputed here with pandas from
    the CSV and the run's own class hectares.
    """
    outdir, proc = sikka
    _ran(proc)
    table = _sikka_table(outdir, "potential_production.csv").set_index(
        ["kecamatan_id", "commodity"])
    hectares = _sikka_table(outdir, "suitability_by_kecamatan.csv").set_index(
        ["kecamatan_id", "commodity"])
    tons, area = _hand_tons_2023(), _hand_area_2023()
    assert tons.at["53.07.05", "tomat"] == pytest.approx(57.4)
    assert area.at["53.07.05", "tomat"] == 1.0
    assert table.at[("53.07.05", "tomat"), "yield_t_ha"] == pytest.approx(57.4)
    assert table.at[("53.07.05", "tomat"), "yield_source"] == "bps_local"
    checked = 0
    for (kecamatan, crop), row in table.iterrows():
        produced = tons.at[kecamatan, crop] if kecamatan in tons.index else np.nan
        # realised production is BPS 2023, in tons, for every evaluated commodity
        if np.isnan(produced):
            assert np.isnan(row["realised_t"])
        else:
            assert row["realised_t"] == pytest.approx(produced, rel=1e-5)  # CSV: 6 digits
        harvested = area[crop].get(kecamatan, np.nan) if crop in area.columns else np.nan
        if produced > 0 and harvested > 0:
            assert row["yield_source"] == "bps_local"
            local = produced / harvested
            assert row["yield_t_ha"] == pytest.approx(local, rel=1e-5)
            ha = hectares.loc[(kecamatan, crop)]
            weighted = 0.875 * ha["S1_ha"] + 0.625 * ha["S2_ha"] + 0.375 * ha["S3_ha"]
            assert row["potential_t"] == pytest.approx(weighted * local, rel=1e-5)
            if weighted > 0:
                # CSV: shares to INDEX_DECIMALS (4) decimals, so half a unit of the 4th decimal
                # (plus the 2-decimal rounding of the hectares above)
                assert row["realised_share"] == pytest.approx(
                    produced / (weighted * local), abs=0.6 * 10.0**-INDEX_DECIMALS)
                checked += 1
        else:  # no local yield: the crop table's reference yield, or no estimate
            spec = load_crop(crop).reference_yield
            if spec is None or spec.reference is None:
                assert row["yield_source"] == "none"
                assert np.isnan(row["potential_t"]) and np.isnan(row["realised_share"])
            else:
                assert row["yield_source"] == "reference"
                ha = hectares.loc[(kecamatan, crop)]
                weighted = 0.875 * ha["S1_ha"] + 0.625 * ha["S2_ha"] + 0.375 * ha["S3_ha"]
                assert row["potential_t"] == pytest.approx(weighted * spec.reference, rel=1e-5)
    assert checked >= 10


@pytest.mark.parametrize("script", ["04_sikka_real.py", "05_kutai_timur_real.py"])
def test_examples_name_a_missing_real_input_in_one_line(script, tmp_path):
    # A copy of layers/ that lacks the Sikka and Kutai Timur boundaries.
    copy = tmp_path / "layers"
    shutil.copytree(LAYERS, copy, ignore=shutil.ignore_patterns("kec_*.geojson", "*.py"))
    proc = _example(script, str(tmp_path / "out"), "--data", str(copy), timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(copy / "boundaries") in lines[0]
    assert "layers/build.py" in lines[0]
