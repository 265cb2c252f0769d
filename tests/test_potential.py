"""Potential production, value and the gap to today, with numbers worked by hand.

Potential production = Σ_class ha(class) × fraction(class) × yield
(docs/production.md); the default fractions are the middles of the land-index
bands of Sys et al. (1991): S1 0.875, S2 0.625, S3 0.375, N 0.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aez.assign.score import score_table
from aez.config import loads_config
from aez.crops import BUILTIN_DIR, crop_ids, load_crop
from aez.crops.schema import parse_crop
from aez.crops.yields import DEFAULT_FRACTIONS
from aez.economics.production import (
    check_prices,
    local_yields,
    potential_production,
    potential_value,
    production_gap,
)
from aez.errors import ConfigError, PriceTableError


def summary(rows: list[tuple[str, str, float, float, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["kecamatan_id", "commodity", "S1_ha", "S2_ha", "S3_ha",
                                       "N_ha"])


# ---------------------------------------------------------------- potential production


def test_potential_production_is_class_hectares_times_fraction_times_yield_by_hand():
    table = potential_production(
        summary([("01", "jagung", 100.0, 40.0, 20.0, 60.0),
                 ("02", "jagung", 0.0, 0.0, 10.0, 500.0)]),
        {"jagung": 5.81})
    # 01: 100 × 0.875 + 40 × 0.625 + 20 × 0.375 + 60 × 0 = 87.5 + 25 + 7.5 = 120 ha
    #     120 × 5.81 t/ha = 697.2 t
    # 02: 10 × 0.375 = 3.75 ha; 3.75 × 5.81 = 21.7875 t (the 500 ha of N give nothing)
    assert table["yield_weighted_ha"].tolist() == pytest.approx([120.0, 3.75])
    assert table["potential_t"].tolist() == pytest.approx([697.2, 21.7875])
    assert table["yield_source"].tolist() == ["reference", "reference"]


def test_a_missing_yield_is_no_estimate_not_zero():
    table = potential_production(summary([("01", "kopi_arabika", 50.0, 0.0, 0.0, 0.0),
                                          ("01", "jagung", 0.0, 0.0, 0.0, 10.0)]),
                                 {"kopi_arabika": None, "jagung": 5.0})
    kopi, jagung = table.iloc[0], table.iloc[1]
    assert math.isnan(kopi["potential_t"]) and kopi["yield_source"] == "none"
    assert jagung["potential_t"] == 0.0  # a yield, but only N land: a real zero
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        again = potential_production(summary([("01", "x", 5.0, 0.0, 0.0, 0.0)]), {"x": bad})
        assert math.isnan(again.loc[0, "potential_t"])


def test_fractions_per_crop_override_the_default():
    rows = summary([("01", "a", 10.0, 10.0, 10.0, 10.0), ("01", "b", 10.0, 10.0, 10.0, 10.0)])
    table = potential_production(rows, {"a": 2.0, "b": 2.0},
                                 fractions={"a": {"S1": 1.0, "S2": 0.6, "S3": 0.3, "N": 0.1}})
    # a: (10 + 6 + 3 + 1) × 2 = 40 t; b (default): (8.75 + 6.25 + 3.75) × 2 = 37.5 t
    assert table["potential_t"].tolist() == pytest.approx([40.0, 37.5])


def test_local_yield_from_bps_production_and_area_replaces_the_reference():
    production = pd.DataFrame({
        "kecamatan_id": ["01", "01", "02", "02", "03"],
        "commodity": ["tomat"] * 5,
        "year": [2022, 2023, 2023, 2023, 2023],
        "production_ton": [999.0, 137.0, 20.0, 5.0, 12.0],
        "area_ha": [1.0, 10.0, 2.0, 0.5, 0.0]})
    local = local_yields(production)
    # 01: 2023 only, 137 / 10 = 13.7 t/ha; 02: two rows summed, 25 / 2.5 = 10 t/ha;
    # 03: no harvested area, no local yield
    assert dict(zip(local["kecamatan_id"], local["local_yield_t_ha"], strict=True)) == \
        pytest.approx({"01": 13.7, "02": 10.0})
    table = potential_production(
        summary([("01", "tomat", 8.0, 0.0, 0.0, 0.0), ("02", "tomat", 0.0, 8.0, 0.0, 0.0),
                 ("03", "tomat", 8.0, 0.0, 0.0, 0.0)]),
        {"tomat": 20.0}, local=local)
    assert table["yield_source"].tolist() == ["bps_local", "bps_local", "reference"]
    assert table["yield_t_ha"].tolist() == pytest.approx([13.7, 10.0, 20.0])
    # 8 × 0.875 × 13.7 = 95.9; 8 × 0.625 × 10 = 50; 8 × 0.875 × 20 = 140
    assert table["potential_t"].tolist() == pytest.approx([95.9, 50.0, 140.0])
    # a local yield gives an estimate even where the crop table has none
    none = potential_production(summary([("01", "tomat", 8.0, 0.0, 0.0, 0.0)]), {},
                                local=local)
    assert none.loc[0, "potential_t"] == pytest.approx(95.9)


def test_value_uses_the_latest_price_and_rupiah_per_kg_by_hand():
    table = potential_production(summary([("01", "jagung", 100.0, 40.0, 20.0, 60.0),
                                          ("01", "kedelai", 10.0, 0.0, 0.0, 0.0)]),
                                 {"jagung": 5.81, "kedelai": 1.5})
    prices = check_prices(pd.DataFrame({"commodity": ["jagung", "jagung"], "year": [2022, 2023],
                                        "price_rp_per_kg": [4_200, 5_000]}),
                          ["jagung", "kedelai"])
    valued = potential_value(table, prices)
    # 697.2 t × 1000 kg/t × 5000 Rp/kg = 3,486,000,000 Rp
    assert valued.loc[0, "value_rp"] == pytest.approx(3_486_000_000.0)
    assert valued.loc[0, "price_year"] == 2023
    assert math.isnan(valued.loc[1, "value_rp"])  # no price: no value, not 0


def test_gap_is_realised_over_potential():
    table = potential_production(summary([("01", "tomat", 8.0, 0.0, 0.0, 0.0),
                                          ("02", "tomat", 0.0, 0.0, 0.0, 5.0),
                                          ("03", "tomat", 4.0, 0.0, 0.0, 0.0)]),
                                 {"tomat": 20.0})
    realised = pd.DataFrame({"kecamatan_id": ["01", "02", "01"], "commodity": ["tomat"] * 3,
                             "year": [2023, 2023, 2021], "production_ton": [35.0, 3.0, 1.0]})
    gap = production_gap(table, realised)
    # 01: 35 / (8 × 0.875 × 20 = 140) = 0.25; 02: potential 0 → no share; 03: not reported
    assert gap["realised_t"].tolist()[:2] == [35.0, 3.0]
    assert gap.loc[0, "realised_share"] == pytest.approx(0.25)
    assert math.isnan(gap.loc[1, "realised_share"]) and math.isnan(gap.loc[2, "realised_share"])
    assert (gap["realised_year"] == 2023).all()


# ---------------------------------------------------------------- the price table


def prices(**columns) -> pd.DataFrame:
    base = {"commodity": ["jagung", "kedelai"], "year": [2023, 2023],
            "price_rp_per_kg": [5_000.0, 10_500.0]}
    return pd.DataFrame(base | columns)


@pytest.mark.parametrize(("table", "message"), [
    (prices(unit=["Rp/kg", "Rp/ton"]), r"row 3: unit 'Rp/ton'.*\[tables\] prices"),
    (prices(price_rp_per_kg=[5_000.0, 0.0]), r"row 3.*0\.0 is not a price.*\[tables\] prices"),
    (prices(price_rp_per_kg=[5_000.0, float("nan")]), r"row 3.*is not a price"),
    (prices(commodity=["jagung", "gandum"]), r"\['gandum'\], which no crop table knows"),
    (prices(commodity=["jagung", "jagung"]), r"'jagung' in 2023 more than once"),
    (prices().drop(columns="price_rp_per_kg"), r"no column 'price_rp_per_kg'.*prices_column"),
])
def test_price_table_errors_name_the_problem_and_the_remedy(table, message):
    with pytest.raises(PriceTableError, match=message):
        check_prices(table, ["jagung", "kedelai"])


def test_price_unit_spelling_is_tolerant():
    table = check_prices(prices(unit=["Rp/kg", "rp / Kg."]), ["jagung", "kedelai"])
    assert table["price_rp_per_kg"].tolist() == [5_000.0, 10_500.0]


def test_validate_catches_a_bad_price_table(small_demo: Path, tmp_path: Path):
    from aez.pipeline.checks import check_run

    folder = tmp_path / "demo"
    shutil.copytree(small_demo.parent, folder)
    harga = folder / "socioeconomic" / "harga.csv"
    table = pd.read_csv(harga)
    table.loc[3, "unit"] = "Rp/kuintal"
    table.to_csv(harga, index=False)
    with pytest.raises(PriceTableError, match=r"row 5: unit 'Rp/kuintal'"):
        check_run(folder / "config.toml")


# ---------------------------------------------------------------- crop tables and config


def crop_doc(**yield_table) -> dict:
    return {"id": "demo", "name_id": "Demo", "name_en": "Demo", "scientific_name": "D. demo",
            "group": "food", "sources": [{"key": "s", "citation": "A book"},
                                         {"key": "y", "citation": "Yield statistics"}],
            "characteristics": {"slope": {"units": "%", "S1": [0, 8], "S2": [8, 15],
                                          "S3": [15, 30], "N": [30, "inf"], "source": "s"}},
            "yield": yield_table}


@pytest.mark.parametrize(("table", "message"), [
    ({"reference": 5.0, "product": "grain", "source": "nope"}, "every reference yield cites"),
    ({"reference": 5.0, "source": "y"}, "`product` is missing"),
    ({"reference": 0, "product": "grain", "source": "y"}, "expected t/ha/yr > 0"),
    ({"reference": 5.0, "product": "grain", "source": "y",
      "fractions": {"S1": 0.5, "S2": 0.6, "S3": 0.3, "N": 0}, "fractions_source": "y"},
     "rise from a better class"),
    ({"reference": 5.0, "product": "grain", "source": "y",
      "fractions": {"S1": 1.0, "S2": 0.6, "S3": 0.3, "N": 0}}, "fractions cite their source"),
    ({"reference": 5.0, "product": "grain", "source": "y", "fractions": {"S1": 1.0}},
     "one relative yield for each of"),
    ({"reference": 5.0, "product": "grain", "source": "y", "price": 3}, "unknown key 'price'"),
])
def test_yield_table_errors(table, message):
    with pytest.raises(ConfigError, match=message):
        parse_crop(crop_doc(**table))


def test_yield_table_with_its_own_fractions():
    crop = parse_crop(crop_doc(reference=5.0, product="grain", source="y",
                               fractions={"S1": 1, "S2": 0.6, "S3": 0.3, "N": 0},
                               fractions_source="y"))
    assert crop.reference_yield is not None
    assert crop.reference_yield.fractions == {"S1": 1.0, "S2": 0.6, "S3": 0.3, "N": 0.0}
    assert parse_crop({k: v for k, v in crop_doc().items() if k != "yield"}).reference_yield \
        is None


def test_every_builtin_reference_yield_cites_a_source_of_its_table():
    with_yield = []
    for crop_id in crop_ids():
        crop = load_crop(crop_id)
        spec = crop.reference_yield
        if spec is None or spec.reference is None:
            continue
        with_yield.append(crop_id)
        keys = {s.key for s in crop.sources}
        assert spec.source in keys and spec.product
        assert spec.fractions_source in keys | {""}
    assert set(with_yield) == {"padi_sawah", "jagung", "kelapa_sawit", "kedelai", "bawang_merah",
                               "ubi_kayu", "tebu", "karet", "kakao", "kopi_robusta", "kelapa",
                               "cengkeh"}
    # the figures as published: BPS 52.49 ku/ha GKG; 14.46 Mt / 2.49 Mha; 3.60 t CPO/ha
    assert load_crop("padi_sawah").reference_yield.reference == pytest.approx(52.49 / 10)
    assert load_crop("jagung").reference_yield.reference == pytest.approx(14.46 / 2.49, abs=5e-3)
    assert "CPO" in load_crop("kelapa_sawit").reference_yield.product
    # BPS 15.69 ku/ha of soybean (2020); 1.22 Mt of shallots on 119,966 ha (2014)
    assert load_crop("kedelai").reference_yield.reference == pytest.approx(1.569)
    assert load_crop("bawang_merah").reference_yield.reference == pytest.approx(
        1.22e6 / 119_966, abs=5e-3)
    # Pusdatin 239.13 ku/ha of cassava (2016); Ditjenbun 773,706 t of cocoa on 953,531 ha TM
    # (2010) and 2,764.7 kt of rubber on 3,413.7 kha (2007); BPS 811 kg/ha of coffee (2020);
    # Ditjenbun 416 kg/ha of clove (2020), 1.1 t/ha of copra equivalent (2017); sugar 2010:
    # 81.8 t/ha of cane at a rendemen of 6.47 % gives the 5.29 t/ha of gula hablur printed
    assert load_crop("ubi_kayu").reference_yield.reference == pytest.approx(239.13 / 10)
    assert load_crop("kakao").reference_yield.reference == pytest.approx(773_706 / 953_531,
                                                                         abs=5e-4)
    assert load_crop("karet").reference_yield.reference == pytest.approx(2764.7 / 3413.7,
                                                                         abs=5e-4)
    assert load_crop("kopi_robusta").reference_yield.reference == pytest.approx(811 / 1000)
    assert load_crop("cengkeh").reference_yield.reference == pytest.approx(416 / 1000)
    assert load_crop("kelapa").reference_yield.reference == pytest.approx(1.1)
    sugar = load_crop("tebu").reference_yield
    assert sugar.reference == pytest.approx(81.8 * 0.0647, abs=5e-3) and "hablur" in sugar.product
    assert (BUILTIN_DIR / "jagung.toml").read_text(encoding="utf-8").count("[yield]") == 1


def test_default_fractions_are_the_middles_of_the_sys_1991_bands():
    # Sys et al. (1991) land index classes: S1 75–100, S2 50–75, S3 25–50 (% of the optimum)
    assert DEFAULT_FRACTIONS == {"S1": (75 + 100) / 200, "S2": (50 + 75) / 200,
                                 "S3": (25 + 50) / 200, "N": 0.0}


def test_config_potential_section():
    base = ('[grid]\ncrs = "EPSG:32750"\nresolution = 50\n'
            'bounds = [500000, 9000000, 510000, 9010000]\n'
            '[layers.dem]\npath = "dem.tif"\nunits = "m"\n')
    config = loads_config(base + '[potential]\nfractions = { S1 = 1, S2 = 0.6, S3 = 0.3, N = 0 }'
                          '\nlocal_yield = false\n[score.weights]\nvalue = 1\n')
    assert config.potential.fractions == {"S1": 1.0, "S2": 0.6, "S3": 0.3, "N": 0.0}
    assert not config.potential.local_yield and config.score.weights == {"value": 1.0}
    with pytest.raises(ConfigError, match=r"\[potential\]: fractions S2 = 1.5"):
        loads_config(base + '[potential]\nfractions = { S1 = 1, S2 = 1.5, S3 = 0.3, N = 0 }\n')


# ---------------------------------------------------------------- the value criterion


def test_missing_value_scores_the_mean_of_the_known_not_zero():
    value = pd.DataFrame({"jagung": [100.0, 300.0, 200.0], "kopi": [np.nan, np.nan, np.nan]},
                         index=["k1", "k2", "k3"])
    scores = score_table({"value": value}, weights={"value": 1.0})
    component = scores.components["value"]
    # min–max over the known values 100 … 300: 0, 1, 0.5; kopi (no estimate): their mean 0.5
    assert component["jagung"].tolist() == [0.0, 1.0, 0.5]
    assert component["kopi"].tolist() == [0.5, 0.5, 0.5]
    assert np.isnan(scores.raw["value"]["kopi"]).all()  # the raw table keeps "no estimate"
    worst = score_table({"value": value}, weights={"value": 1.0}, missing={"value": "worst"})
    assert worst.components["value"]["kopi"].tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(ConfigError, match="missing value"):
        score_table({"value": value}, weights={"value": 1.0}, missing="raise")


# ---------------------------------------------------------------- a whole demo run


@pytest.fixture(scope="module")
def demo_run(small_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small demo run with `value` weighted 0.2, maps of the summary only."""
    from aez.pipeline import run

    folder = tmp_path_factory.mktemp("value-demo") / "demo"
    shutil.copytree(small_demo.parent, folder)
    config = folder / "config.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("[score.weights]\n", "[score.weights]\nvalue = 0.2\n", 1)
    text = text.replace("synthetic = true\n", 'synthetic = true\nmaps = "summary"\n', 1)
    config.write_text(text, encoding="utf-8")
    run(config, lang="en")
    return folder / "aez-out"


def test_demo_run_writes_potential_value_gap_and_scores_value(demo_run: Path):
    table = pd.read_csv(demo_run / "tables" / "potential_production.csv",
                        dtype={"kecamatan_id": str})
    prices = pd.read_csv(demo_run.parent / "socioeconomic" / "harga.csv")
    assert prices["note"].str.contains("SYNTHETIC").all()
    price = dict(zip(prices["commodity"], prices["price_rp_per_kg"], strict=True))
    known = table[table["potential_t"].notna()]
    assert len(known) and (table["yield_source"] != "none").sum() == len(known)
    # value = t × 1000 × Rp/kg (the CSV keeps 6 significant digits)
    expected = known["potential_t"] * 1000 * known["commodity"].map(price)
    np.testing.assert_allclose(known["value_rp"], expected, rtol=1e-5)
    weighted = (0.875 * known["S1_ha"] + 0.625 * known["S2_ha"] + 0.375 * known["S3_ha"])
    np.testing.assert_allclose(known["potential_t"], weighted * known["yield_t_ha"], rtol=1e-4)
    # the demo's production table has harvested area: its productivity is the local yield
    production = pd.read_csv(demo_run.parent / "socioeconomic" / "produksi.csv",
                             dtype={"kode_bps": str})
    latest = production[production["year"] == production["year"].max()]
    assert set(table["realised_year"]) == {int(latest["year"].iloc[0])}
    assert (table.loc[table["yield_source"] == "bps_local", "realised_t"] > 0).all()
    scores = pd.read_csv(demo_run / "tables" / "scores.csv", dtype={"kecamatan_id": str})
    merged = scores.merge(table, on=["kecamatan_id", "commodity"])
    np.testing.assert_allclose(merged["value_raw"], merged["value_rp"], rtol=1e-5)
    missing = merged["value_raw"].isna()
    assert missing.any() and (merged.loc[missing, "value_score"] > 0).all()  # mean, not 0


def test_demo_run_puts_the_chosen_products_value_in_the_geopackage_map_and_report(demo_run):
    import geopandas as gpd

    layer = gpd.read_file(demo_run / "districts.gpkg", layer="kecamatan")
    table = pd.read_csv(demo_run / "tables" / "potential_production.csv",
                        dtype={"kecamatan_id": str}).set_index(["kecamatan_id", "commodity"])
    for row in layer.itertuples():
        expected = table.at[(row.kecamatan_id, row.product), "value_rp"]
        assert row.potential_value_rp == pytest.approx(expected, rel=1e-5, nan_ok=True)
    pairs = gpd.read_file(demo_run / "districts.gpkg", layer="kecamatan_commodity")
    assert {"potential_t", "yield_source", "value_rp", "realised_share"} <= set(pairs.columns)
    assert (demo_run / "maps" / "value.png").is_file()
    html = (demo_run / "report.html").read_text(encoding="utf-8")
    assert 'id="potential-table"' in html and "Potential production" in html
    assert "Figure" in html and "Potential value (or production) of the chosen" in html


def test_value_map_draws_the_same_bytes_and_refuses_negative_values(tmp_path: Path):
    import geopandas as gpd
    from shapely.geometry import box

    from aez.render.maps import MapInfo
    from aez.render.value_map import value_map

    districts = gpd.GeoDataFrame(
        {"kecamatan": ["A", "B", "C"], "product": ["jagung", "padi_sawah", None],
         "potential_value_rp": [3.486e9, 1.2e9, np.nan]},
        geometry=[box(500_000, 9_000_000, 505_000, 9_005_000),
                  box(505_000, 9_000_000, 510_000, 9_005_000),
                  box(500_000, 9_005_000, 510_000, 9_008_000)], crs="EPSG:32750")
    info = MapInfo(region="Kab. Uji", source="aez test", date="2025-01-31", lang="id")
    first = value_map(districts, info=info, out_base=tmp_path / "a",
                      product_names={"jagung": "Jagung"})
    second = value_map(districts, info=info, out_base=tmp_path / "b",
                       product_names={"jagung": "Jagung"})
    assert [p.suffix for p in first] == [".png", ".pdf"]
    assert first[0].read_bytes() == second[0].read_bytes()
    bad = districts.assign(potential_value_rp=[-1.0, 2.0, 3.0])
    with pytest.raises(ConfigError, match="negative potential"):
        value_map(bad, info=info, out_base=tmp_path / "c")


def test_report_rows_list_no_estimate_apart_and_name_the_yield_used():
    from aez.render.report.potential import potential_view
    from aez.words import TEXT

    table = potential_production(
        summary([("01", "jagung", 100.0, 0.0, 0.0, 0.0), ("02", "jagung", 10.0, 0.0, 0.0, 0.0),
                 ("01", "kopi_arabika", 50.0, 0.0, 0.0, 0.0)]),
        {"jagung": 5.81},
        local=pd.DataFrame({"kecamatan_id": ["02"], "commodity": ["jagung"], "year": [2023],
                            "local_yield_t_ha": [4.0]}))
    crops = [load_crop("jagung"), load_crop("kopi_arabika")]
    view = potential_view(table, crops, TEXT["en"], lambda v, d: "–" if v is None or
                          not np.isfinite(v) else f"{v:.{d}f}", {"jagung": "Maize"}, None)
    assert view is not None and [r["id"] for r in view["rows"]] == ["jagung"]
    row = view["rows"][0]
    # 100 × 0.875 × 5.81 + 10 × 0.875 × 4 = 508.375 + 35 = 543.375 t
    assert row["potential"] == "543"
    assert row["source"] == "reference: bps2023jagung; BPS local in 1 kec."
    assert "kopi_arabika" in view["no_yield"] and not view["priced"]


def test_value_map_steps_are_the_smallest_round_width_that_reaches_the_top():
    from aez.render.value_map import step_width

    mantissas = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
    round_widths = sorted(m * 10.0**k for m in mantissas for k in range(-4, 8))
    rng = np.random.default_rng(3)
    for top in np.concatenate([10.0 ** rng.uniform(-3, 7, 300), [1.0, 5.0, 2633.3, 0.9]]):
        width, decimals = step_width(float(top), 5)
        # brute force over every round width: the first one whose five steps reach the top
        expected = next(w for w in round_widths if w * 5 >= top * (1 - 1e-12))
        assert width == pytest.approx(expected, rel=1e-9), top
        # the edges need no more decimals than returned
        edges = width * np.arange(6)
        assert np.allclose(np.round(edges, decimals), edges, rtol=0, atol=1e-9), (top, decimals)
