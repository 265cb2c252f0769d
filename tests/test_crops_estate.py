"""Estate, beverage and spice crop tables: transcription spot checks, the rubber base-saturation
correction, and cross-checks against the published tables they were keyed from.

Every expected value below is written from the source (cited in the comment above it), not
from the loaded table. The source rows are Sys et al. (1993) as tabulated in LUSET/ALUES
(columns s3_a, s2_a, s1_a | s1_b, s2_b, s3_b: limits running towards the optimum), FAO ECOCROP
(optimal and absolute ranges, and the depth, salinity and drainage classes of the spice crops,
with flooding inferred from drainage as their notes state) and the rows the Djaenudin et al.
(2011) upland tables share.
The LUSET table and the ECOCROP records are read from ``layers/crop_requirements/``.
"""

from __future__ import annotations

import csv
import math
import re
import warnings

import pandas as pd
import pytest

from aez.crops import CategoricalRule, NumericRule, load_crop
from aez.evaluate.land_units import evaluate_units
from aez.testing import real_layer

LUSET = real_layer("crop_requirements/alues_luset_crop_requirements_long.csv")
ECOCROP = real_layer("crop_requirements/ecocrop_records_used.csv")

MINE = {
    "karet": "estate", "kelapa": "estate", "tebu": "estate", "jambu_mete": "estate",
    "kopi_robusta": "beverage", "kopi_arabika": "beverage", "kakao": "beverage",
    "lada": "herbal_spice", "cengkeh": "herbal_spice",
}
INF = math.inf


def bands(crop_id: str, char_id: str, cls: int) -> list[tuple[float, float]]:
    """The declared intervals of one class (1 = S1 … 4 = N) of a numeric rule."""
    rule = load_crop(crop_id).rules[char_id]
    assert isinstance(rule, NumericRule)
    classes = [rule.classes[sum(low >= e for e in rule.edges)] for low, _ in rule.bounds]
    return [b for b, c in zip(rule.bounds, classes, strict=True) if c == cls]


def labels(crop_id: str, char_id: str, cls: int) -> set[str]:
    rule = load_crop(crop_id).rules[char_id]
    assert isinstance(rule, CategoricalRule)
    return {label for label, c in rule.classes.items() if c == cls}


# -- the tables load, in their groups, with their sources --------------------------------------


@pytest.mark.parametrize("crop_id", sorted(MINE))
def test_table_loads_in_its_group_and_cites_its_sources(crop_id: str) -> None:
    crop = load_crop(crop_id)
    assert crop.group == MINE[crop_id]
    used = {rule.source for rule in crop.rules.values()}
    if crop.reference_yield is not None:  # the reference yield cites its own source
        used |= {crop.reference_yield.source, crop.reference_yield.fractions_source} - {""}
    assert used == {s.key for s in crop.sources}, "every declared source is used, and only those"


@pytest.mark.parametrize("crop_id", sorted(MINE))
def test_plausible_edges_and_improvements(crop_id: str) -> None:
    rules = load_crop(crop_id).rules
    temperature = rules["temperature"]
    assert isinstance(temperature, NumericRule)
    assert all(10 <= e <= 40 for e in temperature.edges), temperature.edges
    assert temperature.improvement == 0 and rules["rainfall"].improvement == 0
    ph = rules.get("ph_h2o")
    if ph is not None:
        assert isinstance(ph, NumericRule)
        assert all(3 <= e <= 9 for e in ph.edges) and ph.improves == "below"
    if "drainage" in rules:
        drainage = rules["drainage"]
        assert isinstance(drainage, CategoricalRule)
        assert not {"excessive", "somewhat_excessive", "well"} & set(drainage.improves)


# -- transcription spot checks (at least three bands per crop) ---------------------------------


def test_karet_bands() -> None:
    # Sys et al. 1993 / LUSET RUBBER WyAv 1250/1450/1700: S1 >= 1700, S3 1250-1450 mm.
    assert bands("karet", "rainfall", 1) == [(1700, INF)]
    assert bands("karet", "rainfall", 3) == [(1250, 1450)]
    # LUSET RUBBER pHH2O 4.0/4.5/5.0-6.0/6.5/7.0: S1 5.0-6.0, S2 4.5-5.0 and 6.0-6.5.
    assert bands("karet", "ph_h2o", 1) == [(5.0, 6.0)]
    assert bands("karet", "ph_h2o", 2) == [(4.5, 5.0), (6.0, 6.5)]
    # LUSET RUBBER SoilDpt 50/75/100: N below 50 cm.
    assert bands("karet", "soil_depth", 4) == [(0, 50)]
    # LUSET RUBBER Flood 1.5/1.2/1: only land without flooding (F0) is S1; any flood is N.
    assert labels("karet", "flooding", 1) == {"F0"}
    assert labels("karet", "flooding", 4) == {"F1", "F2", "F3", "F4"}


def test_kelapa_bands() -> None:
    # Sys et al. 1993 / LUSET COCONUT TyAv 20/22/24-32/32.1/32.1: S1 24-32 °C, S3 20-22 °C.
    assert bands("kelapa", "temperature", 1) == [(24, 32)]
    assert bands("kelapa", "temperature", 3) == [(20, 22)]
    # LUSET COCONUT ECemh 20/16/12 (mmhos/cm = dS/m): S1 <= 12, N > 20.
    assert bands("kelapa", "salinity", 1) == [(0, 12)]
    assert bands("kelapa", "salinity", 4) == [(20, INF)]
    # LUSET COCONUT WyhAv 49.9/50/60: S1 >= 60 %, S2 50-60 %.
    assert bands("kelapa", "humidity", 2) == [(50, 60)]
    # LUSET COCONUT Drainage 3/3/2: imperfect (agak terhambat) S2, poor N, no S3.
    assert labels("kelapa", "drainage", 2) == {"somewhat_poor"}
    assert labels("kelapa", "drainage", 3) == set()


def test_tebu_bands() -> None:
    # Sys et al. 1993 / LUSET SUGARCANE SoilDpt 25/50/80: S1 >= 80, S2 50-80 cm.
    assert bands("tebu", "soil_depth", 1) == [(80, INF)]
    assert bands("tebu", "soil_depth", 2) == [(50, 80)]
    # LUSET SUGARCANE ESP 20/15/10: S1 <= 10 %, S3 15-20 %.
    assert bands("tebu", "alkalinity", 3) == [(15, 20)]
    # LUSET SUGARCANE pHH2O 4.5/5.0/5.5-7.5/8.0/8.5: S1 5.5-7.5.
    assert bands("tebu", "ph_h2o", 1) == [(5.5, 7.5)]
    # FAO ECOCROP Saccharum officinarum, rainfall optimum 1500-2000, absolute 1000-5000 mm:
    # S2 = inner halves, 1250-1500 and 2000-3500 mm.
    assert bands("tebu", "rainfall", 2) == [(1250, 1500), (2000, 3500)]
    # ECOCROP temperature optimum 24-37 °C.
    assert bands("tebu", "temperature", 1) == [(24, 37)]


def test_jambu_mete_bands() -> None:
    # Sys et al. 1993 / LUSET CASHEW WyAv 500/800/1200-3000/3800/3800.1: S1 1200-3000 mm,
    # S2 800-1200 and 3000-3800 mm.
    assert bands("jambu_mete", "rainfall", 1) == [(1200, 3000)]
    assert bands("jambu_mete", "rainfall", 2) == [(800, 1200), (3000, 3800)]
    # LUSET CASHEW WmDryLen 0/0/0-4/5/6: S1 up to 4 dry months, N beyond 6.
    assert bands("jambu_mete", "dry_months", 1) == [(0, 4)]
    assert bands("jambu_mete", "dry_months", 4) == [(6, 12)]
    # LUSET CASHEW ECedS 4/3/2: S2 2-3 dS/m.
    assert bands("jambu_mete", "salinity", 2) == [(2, 3)]
    # FAO ECOCROP Anacardium occidentale, temperature optimum 15-35 °C.
    assert bands("jambu_mete", "temperature", 1) == [(15, 35)]


def test_kopi_robusta_bands() -> None:
    # Sys et al. 1993 / LUSET COFFEERO TyAv 18/20/22: S1 from 22 °C, N below 18 °C.
    assert bands("kopi_robusta", "temperature", 1) == [(22, INF)]
    assert bands("kopi_robusta", "temperature", 4) == [(-INF, 18)]
    # LUSET COFFEERO pHH2O 4.5/5.0/5.3-6.0/6.5/7.0: S1 5.3-6.0, S3 4.5-5.0 and 6.5-7.0.
    assert bands("kopi_robusta", "ph_h2o", 1) == [(5.3, 6.0)]
    assert bands("kopi_robusta", "ph_h2o", 3) == [(4.5, 5.0), (6.5, 7.0)]
    # LUSET COFFEERO WyAv 1200/1400/1600-2400: S1 1600-2400 mm.
    assert bands("kopi_robusta", "rainfall", 1) == [(1600, 2400)]
    # LUSET COFFEERO ECedS 2.0/1.0/1.0: S1 <= 1, no S2, S3 1-2 dS/m.
    assert bands("kopi_robusta", "salinity", 2) == []
    assert bands("kopi_robusta", "salinity", 3) == [(1, 2)]


def test_kopi_arabika_bands() -> None:
    # Sys et al. 1993 / LUSET COFFEEAR TyAv 14/15/16-22/24/26: S1 16-22 °C,
    # S3 14-15 and 24-26 °C.
    assert bands("kopi_arabika", "temperature", 1) == [(16, 22)]
    assert bands("kopi_arabika", "temperature", 3) == [(14, 15), (24, 26)]
    # LUSET COFFEEAR WmDryLen 0/0/1-4/5/6: S1 1-4 dry months; none at all is S2.
    assert bands("kopi_arabika", "dry_months", 1) == [(1, 4)]
    assert bands("kopi_arabika", "dry_months", 2) == [(0, 1), (4, 5)]
    # LUSET COFFEEAR BS 20/35/50: S1 >= 50 %, N < 20 %.
    assert bands("kopi_arabika", "base_saturation", 1) == [(50, 100)]
    assert bands("kopi_arabika", "base_saturation", 4) == [(0, 20)]


def test_kakao_bands() -> None:
    # Sys et al. 1993 / LUSET COCOA TyAv 21/22/23-29/30/30: S1 23-29 °C, N above 30 °C.
    assert bands("kakao", "temperature", 1) == [(23, 29)]
    assert bands("kakao", "temperature", 4) == [(-INF, 21), (30, INF)]
    # LUSET COCOA WyAv 1200/1400/1600-2500/3500/4400: S3 1200-1400 and 3500-4400 mm.
    assert bands("kakao", "rainfall", 3) == [(1200, 1400), (3500, 4400)]
    # LUSET COCOA pHH2O 5.0/5.5/6.0-7.0/7.6/8.2: S1 6.0-7.0.
    assert bands("kakao", "ph_h2o", 1) == [(6.0, 7.0)]
    # LUSET COCOA Flood 2.5/2/1: short flooding (F1) S2, long flooding N.
    assert labels("kakao", "flooding", 2) == {"F1"}
    assert "F2" in labels("kakao", "flooding", 4)


def test_lada_bands() -> None:
    # FAO ECOCROP Piper nigrum: temperature optimum 22-35, absolute 10-40 °C, so S2 16-22 and
    # 35-37.5 °C (the inner halves of the marginal ranges).
    assert bands("lada", "temperature", 1) == [(22, 35)]
    assert bands("lada", "temperature", 2) == [(16, 22), (35, 37.5)]
    # ECOCROP rainfall optimum 2500-4000, absolute 2000-5500 mm: N below 2000 mm.
    assert bands("lada", "rainfall", 4) == [(0, 2000), (5500, INF)]
    # ECOCROP pH optimum 6.0-7.0, absolute 5.0-7.5: S3 5.0-5.5 and 7.25-7.5.
    assert bands("lada", "ph_h2o", 3) == [(5.0, 5.5), (7.25, 7.5)]
    # ECOCROP Piper nigrum drainage, optimal and absolute 'well (dry spells)' only: well and
    # moderately well S1; excessive and poorly drained land outside the absolute range, N;
    # imperfect drainage (no ECOCROP class) S3, between its neighbours (lada notes).
    assert labels("lada", "drainage", 1) == {"well", "moderately_well"}
    assert labels("lada", "drainage", 3) == {"somewhat_poor"}
    assert labels("lada", "drainage", 4) == {"excessive", "somewhat_excessive", "poor",
                                             "very_poor"}
    # ECOCROP soil depth optimal 'deep (>>150 cm)', absolute 'medium (50-150 cm)': S1 from
    # 150 cm, the marginal zone 50-150 cm halved at 100 cm, N below 50 cm.
    assert bands("lada", "soil_depth", 1) == [(150, INF)]
    assert bands("lada", "soil_depth", 2) == [(100, 150)]
    assert bands("lada", "soil_depth", 4) == [(0, 50)]
    # ECOCROP salinity optimal and absolute 'low (<4 dS/m)': S1 up to 4 dS/m, N above.
    assert bands("lada", "salinity", 1) == [(0, 4)]
    assert bands("lada", "salinity", 4) == [(4, INF)]
    # Flooding, an inference from ECOCROP drainage (its absolute range leaves out 'poorly'),
    # stated in the lada notes: F0 S1, short flooding F1 S3, F2-F4 N.
    assert labels("lada", "flooding", 1) == {"F0"}
    assert labels("lada", "flooding", 3) == {"F1"}
    assert labels("lada", "flooding", 4) == {"F2", "F3", "F4"}


def test_cengkeh_bands() -> None:
    # FAO ECOCROP Eugenia aromatica: temperature optimum 24-34, absolute 20-38 °C.
    assert bands("cengkeh", "temperature", 1) == [(24, 34)]
    assert bands("cengkeh", "temperature", 3) == [(20, 22), (36, 38)]
    # ECOCROP rainfall optimum 1500-3600, absolute 1200-4000 mm: S2 1350-1500, 3600-3800.
    assert bands("cengkeh", "rainfall", 2) == [(1350, 1500), (3600, 3800)]
    # ECOCROP pH optimum 5.0-6.0, absolute 4.5-7.0: N below 4.5 and above 7.0.
    assert bands("cengkeh", "ph_h2o", 4) == [(0, 4.5), (7.0, 14)]
    # ECOCROP Eugenia aromatica drainage, optimal and absolute 'well (dry spells)' only: well
    # and moderately well S1; excessive and poorly drained land N; imperfect drainage (no
    # ECOCROP class) S3 (cengkeh notes).
    assert labels("cengkeh", "drainage", 1) == {"well", "moderately_well"}
    assert labels("cengkeh", "drainage", 3) == {"somewhat_poor"}
    assert labels("cengkeh", "drainage", 4) == {"excessive", "somewhat_excessive", "poor",
                                                "very_poor"}
    # ECOCROP soil depth optimal 'deep (>>150 cm)', absolute 'medium (50-150 cm)': S1 from
    # 150 cm, S3 the shallower half 50-100 cm of the marginal zone, N below 50 cm.
    assert bands("cengkeh", "soil_depth", 1) == [(150, INF)]
    assert bands("cengkeh", "soil_depth", 3) == [(50, 100)]
    assert bands("cengkeh", "soil_depth", 4) == [(0, 50)]
    # ECOCROP salinity optimal and absolute 'low (<4 dS/m)': no S2 or S3 band.
    assert bands("cengkeh", "salinity", 4) == [(4, INF)]
    assert bands("cengkeh", "salinity", 2) == bands("cengkeh", "salinity", 3) == []
    # Flooding, an inference from ECOCROP drainage (cengkeh notes): F0 S1, F1 S3, F2-F4 N.
    assert labels("cengkeh", "flooding", 1) == {"F0"}
    assert labels("cengkeh", "flooding", 3) == {"F1"}
    assert labels("cengkeh", "flooding", 4) == {"F2", "F3", "F4"}


def test_hand_matched_clove_units_are_limited_by_wet_and_shallow_soil() -> None:
    # Unit 1 meets every S1 band of the clove table (ECOCROP: 26 °C in 24-34, 2500 mm in
    # 1500-3600, pH 5.5 in 5.0-6.0, 150 cm on the 'deep' limit, well drained, F0, 0.2 dS/m).
    # Unit 2, imperfectly drained (an alluvial plain): drainage S3 (oa); drains gain one class,
    # so potential S2. Unit 3, poorly drained and flooded F2 (a backswamp): N by drainage and by
    # flooding (oa, fh); one class gained on each gives potential S3. Unit 4, 120 cm deep: S2
    # (rc, 100-150 cm); depth cannot be improved. Unit 5, 5 dS/m: N (xc, above 'low <4').
    table = pd.DataFrame([full_unit(), full_unit(drainage="somewhat_poor"),
                          full_unit(drainage="poor", flooding="F2"),
                          full_unit(soil_depth=120.0), full_unit(salinity=5.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = evaluate_units(table, ["cengkeh"])
    assert out["cengkeh_class"].tolist() == ["S1", "S3", "N", "S2", "N"]
    assert out["cengkeh_subclass"].tolist() == ["S1", "S3-oa", "N-oa,fh", "S2-rc", "N-xc"]
    assert out["cengkeh_potential"].tolist() == ["S1", "S2", "S3", "S2", "N"]


@pytest.mark.parametrize("crop_id", sorted(MINE))
def test_rows_shared_by_the_2011_upland_tables(crop_id: str) -> None:
    # Djaenudin et al. 2011 (as in jagung/kelapa_sawit): batuan di permukaan S1 < 5, N > 40 %;
    # singkapan batuan N > 25 %; bahaya erosi sangat berat N; gambut > 200 cm N.
    assert bands(crop_id, "surface_stones", 1) == [(0, 5)]
    assert bands(crop_id, "surface_stones", 4) == [(40, 100)]
    assert bands(crop_id, "rock_outcrop", 4) == [(25, 100)]
    assert labels(crop_id, "erosion", 4) == {"very_severe"}
    assert bands(crop_id, "peat_depth", 4) == [(200, INF)]


# -- the rubber base-saturation correction -----------------------------------------------------


def luset_rows() -> dict[tuple[str, str], list[dict[str, str]]]:
    rows: dict[tuple[str, str], list[dict[str, str]]] = {}
    with LUSET.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows.setdefault((row["crop_code"], row["code"]), []).append(row)
    return rows


def test_luset_rubber_base_saturation_is_a_reversed_row() -> None:
    rows = luset_rows()
    limits = {crop: [float(r[k]) for k in ("s3_a", "s2_a", "s1_a")]
              for (crop, code), found in rows.items() if code == "BS" for r in found}
    assert len(limits) > 10
    # Base saturation rows rise towards S1 (more bases better, e.g. MAIZE 20/35/50) ...
    falling = {crop for crop, (s3, s2, s1) in limits.items() if s3 > s2 > s1}
    rising = {crop for crop, (s3, s2, s1) in limits.items() if s3 <= s2 <= s1}
    # ... except rubber (80/50/35) and tea (50/35/15), both crops of acid, base-poor soils;
    # the rest are placeholders that repeat one limit (CASSAVA 20.1/20.1/20.0).
    assert falling == {"RUBBER", "TEA"}
    assert len(rising) == len(limits) - 3
    assert limits["RUBBER"] == [80.0, 50.0, 35.0]
    # Read like the other crops' rows (s1_a as the lower limit of S1, s2_a of S2), the rubber
    # row makes S2 (from 50 %) lie inside S1 (from 35 %): not a band table at all.
    _s3, s2, s1 = limits["RUBBER"]
    assert s2 > s1


def test_karet_reads_the_reversed_row_as_upper_limits() -> None:
    rule = load_crop("karet").rules["base_saturation"]
    assert isinstance(rule, NumericRule)
    # Corrected reading of LUSET RUBBER BS 80/50/35: S1 <= 35, S2 35-50, S3 50-80, N > 80 %.
    assert rule.bounds == ((0, 35), (35, 50), (50, 80), (80, 100))
    assert rule.classes == (1, 2, 3, 4)
    assert rule.improvement == 0, "liming cannot help a crop limited by too many bases"
    assert "CORRECTED" in rule.note
    assert "CORRECTION, base saturation" in load_crop("karet").notes


def full_unit(**changes: object) -> dict[str, object]:
    unit: dict[str, object] = {
        "temperature": 26.0, "rainfall": 2500.0, "dry_months": 1.0, "drainage": "well",
        "coarse_fragments": 5.0, "soil_depth": 150.0, "peat_depth": 0.0,
        "peat_maturity": "sapric", "base_saturation": 30.0, "ph_h2o": 5.5,
        "c_organic": 1.5, "salinity": 0.2, "slope": 5.0, "erosion": "very_light",
        "flooding": "F0", "surface_stones": 0.0, "rock_outcrop": 0.0,
    }
    unit.update(changes)
    return unit


def test_hand_matched_rubber_units_follow_the_corrected_row() -> None:
    # Unit 1 meets every S1 band of the rubber table. Units 2 and 3 differ only in base
    # saturation: 60 % falls in the corrected S3 band 50-80, 90 % in N (> 80); the naive
    # reading of 80/50/35 as lower limits would have rated both S1. Peat maturity does not
    # apply on mineral soil (peat depth 0). Liming gains nothing here (improvement 0).
    table = pd.DataFrame([full_unit(), full_unit(base_saturation=60.0),
                          full_unit(base_saturation=90.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = evaluate_units(table, ["karet"])
    assert out["karet_class"].tolist() == ["S1", "S3", "N"]
    assert out["karet_subclass"].tolist() == ["S1", "S3-nr", "N-nr"]
    assert out["karet_potential"].tolist() == ["S1", "S3", "N"]


# -- cross-checks against the published tables -------------------------------------------------

# (aez crop, characteristic, LUSET crop, LUSET factor, LUSET limits that are edges of the rule)
FROM_LUSET = [
    ("karet", "rainfall", "RUBBER", "WyAv", ("s3_a", "s2_a", "s1_a")),
    ("karet", "soil_depth", "RUBBER", "SoilDpt", ("s3_a", "s2_a", "s1_a")),
    ("karet", "ph_h2o", "RUBBER", "pHH2O", ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b", "s3_b")),
    ("karet", "salinity", "RUBBER", "ECedS", ("s3_a", "s2_a", "s1_a")),
    ("karet", "slope", "RUBBER", "Slope2", ("s3_a", "s2_a", "s1_a")),
    ("kelapa", "rainfall", "COCONUT", "WyAv", ("s3_a", "s2_a", "s1_a")),
    ("kelapa", "dry_months", "COCONUT", "WmDryLen", ("s3_a", "s2_a", "s1_a")),
    ("kelapa", "salinity", "COCONUT", "ECemh", ("s3_a", "s2_a", "s1_a")),
    ("kelapa", "base_saturation", "COCONUT", "BS", ("s1_a",)),
    ("tebu", "ph_h2o", "SUGARCANE", "pHH2O", ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b", "s3_b")),
    ("tebu", "c_organic", "SUGARCANE", "OC", ("s3_a", "s2_a", "s1_a")),
    ("tebu", "salinity", "SUGARCANE", "ECedS", ("s3_a", "s2_a", "s1_a")),
    ("tebu", "base_saturation", "SUGARCANE", "BS", ("s2_a", "s1_a")),
    ("jambu_mete", "soil_depth", "CASHEW", "SoilDpt", ("s3_a", "s2_a", "s1_a")),
    ("jambu_mete", "ph_h2o", "CASHEW", "pHH2O",
     ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b", "s3_b")),
    ("kopi_robusta", "temperature", "COFFEERO", "TyAv", ("s3_a", "s2_a", "s1_a")),
    ("kopi_robusta", "dry_months", "COFFEERO", "WmDryLen", ("s3_a", "s2_a", "s1_a")),
    ("kopi_arabika", "temperature", "COFFEEAR", "TyAv",
     ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b", "s3_b")),
    ("kopi_arabika", "cec_clay", "COFFEEAR", "CECc", ("s3_a", "s2_a", "s1_a")),
    ("kopi_arabika", "c_organic", "COFFEEAR", "OC", ("s3_a", "s2_a", "s1_a")),
    ("kakao", "rainfall", "COCOA", "WyAv", ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b", "s3_b")),
    ("kakao", "salinity", "COCOA", "ECedS", ("s3_a", "s2_a", "s1_a")),
    ("kakao", "soil_depth", "COCOA", "SoilDpt", ("s3_a", "s2_a", "s1_a")),
]


@pytest.mark.parametrize(("crop_id", "char_id", "code", "factor", "limits"), FROM_LUSET,
                         ids=[f"{c}.{k}" for c, k, *_ in FROM_LUSET])
def test_rows_keyed_from_luset_carry_its_limits(crop_id: str, char_id: str, code: str,
                                                factor: str, limits: tuple[str, ...]) -> None:
    (row,) = luset_rows()[(code, factor)]
    theirs = {float(row[name]) for name in limits}
    rule = load_crop(crop_id).rules[char_id]
    assert isinstance(rule, NumericRule)
    assert theirs == set(rule.edges), f"LUSET {code}.{factor} {sorted(theirs)} vs {rule.edges}"


def test_luset_green_pepper_is_not_black_pepper() -> None:
    # lada is not keyed from LUSET PEPPERGR: that table rates germination temperature and the
    # rainfall of a growing cycle, the requirements of a seed-sown annual (Capsicum).
    rows = luset_rows()
    assert ("PEPPERGR", "TmAv0") in rows and ("PEPPERGR", "WgAv") in rows
    assert {rule.source for rule in load_crop("lada").rules.values()} == {"ecocrop",
                                                                         "djaenudin2011"}


@pytest.mark.parametrize(("crop_id", "species", "chars"), [
    ("lada", "Piper nigrum", ("temperature", "rainfall", "ph_h2o")),
    ("cengkeh", "Eugenia aromatica", ("temperature", "rainfall", "ph_h2o")),
    ("tebu", "Saccharum officinarum", ("rainfall",)),
])
def test_ecocrop_rows_match_the_ecocrop_record(crop_id: str, species: str,
                                               chars: tuple[str, ...]) -> None:
    # Brute-force oracle from the raw ECOCROP record: S1 inside the optimal range, N outside
    # the absolute one, S2 nearer the optimum than the half-way point, S3 beyond it.
    with ECOCROP.open(encoding="utf-8") as fh:
        (record,) = [r for r in csv.DictReader(fh) if r["ScientificName"] == species]
    columns = {"temperature": ("TMIN", "TOPMN", "TOPMX", "TMAX"),
               "rainfall": ("RMIN", "ROPMN", "ROPMX", "RMAX"),
               "ph_h2o": ("PHMIN", "PHOPMN", "PHOPMX", "PHMAX")}
    crop = load_crop(crop_id)
    for char_id in chars:
        lo, opt_lo, opt_hi, hi = (float(record[c]) for c in columns[char_id])
        rule = crop.rules[char_id]
        assert isinstance(rule, NumericRule)
        span = hi - lo
        for k in range(400):  # 400 points across the absolute range and a tenth beyond,
            x = lo - 0.1 * span + (k + 0.37) * 1.2 * span / 400  # off every band edge
            if opt_lo <= x <= opt_hi:
                expected = 1
            elif x < lo or x > hi:
                expected = 4
            else:
                near = opt_lo - x if x < opt_lo else x - opt_hi
                width = opt_lo - lo if x < opt_lo else hi - opt_hi
                expected = 2 if near <= width / 2 else 3
            got = rule.classes[sum(x > e for e in rule.edges)]
            assert got == expected, f"{crop_id}.{char_id} at {x:g}: {got} != {expected}"


# ECOCROP's drainage classes and the aez labels each one covers (the reading stated in the
# notes of the cengkeh, lada, jahe and kunyit tables); somewhat_poor has no ECOCROP class.
ECOCROP_DRAINAGE = {"well": ("well", "moderately_well"),
                    "excessive": ("excessive", "somewhat_excessive"),
                    "poorly": ("poor", "very_poor")}


def ecocrop_classes(text: str) -> set[str]:
    """ECOCROP drainage classes named in a DRA/DRAR cell, e.g. 'well (dry spells), excessive'."""
    return set(re.findall(r"\b(well|excessive|poorly)\b", text))


def depth_lower_limit(text: str) -> float:
    """Lower limit (cm) of an ECOCROP depth class: 'medium (50-150 cm)' 50, 'deep (>>150 cm)'
    150."""
    (number,) = re.findall(r"\((?:>>|>)?\s*(\d+)", text)
    return float(number)


@pytest.mark.parametrize(("crop_id", "species"), [
    ("cengkeh", "Eugenia aromatica"), ("lada", "Piper nigrum"),
    ("jahe", "Zingiber officinale"), ("kunyit", "Curcuma longa"),
])
def test_categorical_ecocrop_rows_follow_the_record(crop_id: str, species: str) -> None:
    # Brute-force oracle from the raw ECOCROP record's class fields, with the reading the four
    # tables document: depth S1 from the optimal class's lower limit, N below the absolute
    # class's, the zone between halved (S2 deeper, S3 shallower); salinity 'low (<4 dS/m)'
    # optimal and absolute: S1 to 4, N above; drainage S1 inside the optimal classes, S3
    # inside only the absolute ones and for somewhat_poor, N outside; flooding (inferred, as
    # 'poorly' is outside the absolute drainage range) F0 S1, F1 S3, F2-F4 N.
    with ECOCROP.open(encoding="utf-8") as fh:
        (record,) = [r for r in csv.DictReader(fh) if r["ScientificName"] == species]
    crop = load_crop(crop_id)

    depth = crop.rules["soil_depth"]
    assert isinstance(depth, NumericRule)
    optimal, absolute = depth_lower_limit(record["DEP"]), depth_lower_limit(record["DEPR"])
    for k in range(300):
        x = (k + 0.37) * 1.0  # 0.37 … 299.37 cm, off every band edge
        if x >= optimal:
            expected = 1
        elif x < absolute:
            expected = 4
        else:
            expected = 2 if x >= (absolute + optimal) / 2 else 3
        assert depth.classes[sum(x > e for e in depth.edges)] == expected, (crop_id, x)

    assert record["SAL"] == record["SALR"] == "low (<4 dS/m)"
    assert bands(crop_id, "salinity", 1) == [(0, 4)]
    assert bands(crop_id, "salinity", 4) == [(4, INF)]

    optimal_classes, absolute_classes = ecocrop_classes(record["DRA"]), ecocrop_classes(
        record["DRAR"])
    assert optimal_classes and optimal_classes <= absolute_classes
    drainage = crop.rules["drainage"]
    assert isinstance(drainage, CategoricalRule)
    expected_drainage = {"somewhat_poor": 3}
    for name, aez_labels in ECOCROP_DRAINAGE.items():
        cls = 1 if name in optimal_classes else 3 if name in absolute_classes else 4
        expected_drainage.update(dict.fromkeys(aez_labels, cls))
    assert dict(drainage.classes) == expected_drainage

    assert "poorly" not in absolute_classes
    flooding = crop.rules["flooding"]
    assert isinstance(flooding, CategoricalRule)
    assert dict(flooding.classes) == {"F0": 1, "F1": 3, "F2": 4, "F3": 4, "F4": 4}
