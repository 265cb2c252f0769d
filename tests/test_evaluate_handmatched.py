"""Land units matched by hand against the published BBSDLP tables (Djaenudin et al. 2011).

Every expected class, subclass and potential class below is derived in the comments from the
printed bands of the crop's table (the same numbers as ``aez/crops/data/<crop>.toml``), never
computed by the code under test. Rules applied by hand:

* a value exactly on an edge between two bands takes the more suitable class;
* a land quality takes its worst characteristic; the land takes its worst quality;
* the subclass lists the qualities at the overall class, in the order
  tc, wa, oa, rc, nr, na, xc, xn, xs, eh, fh, lp; S1 is written plain;
* the potential class raises each characteristic by its feasible improvement (drainage,
  CEC, base saturation, pH, C-organic, sulfidic depth, slope, erosion, flooding and surface
  stones: one class; temperature, rainfall, dry months, humidity, texture, coarse fragments,
  depths, peat, salinity, alkalinity and rock outcrop: none), never above S1, and only on
  the side it helps: liming acid soil (not alkaline), drains wet soil (not fast-draining);
* missing data: an absent column is skipped with a warning; a missing value makes its quality
  unknown, and the land unknown unless another quality is already N.

Each unit starts from a base row rated S1 on every characteristic (derived once per crop) and
changes only the values named in its comment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest

import aez
from aez.errors import AEZWarning


@dataclass(frozen=True)
class Unit:
    name: str
    change: dict[str, object]
    klass: str
    subclass: str
    potential: str
    drop: tuple[str, ...] = field(default=())


# -- padi sawah (irigasi) -----------------------------------------------------------------------
# Base row, each value against the table:
#   temperature 26 °C: S1 (24–29)            humidity 80 %: S1 (33–90)
#   drainage somewhat_poor (agak terhambat): S1
#   texture fine (halus): S1                  coarse fragments 1 %: S1 (< 3)
#   soil depth 80 cm: S1 (> 50)              CEC clay 20: S1 (> 16)
#   base saturation 60 %: S1 (> 50)          pH 6.5: S1 (5.5–8.2)
#   C-organic 2.0 %: S1 (> 1.5)              salinity 1 dS/m: S1 (< 2)
#   ESP 10 %: S1 (< 20)                      sulfidic depth 150 cm: S1 (> 100)
#   slope 1 %: S1 (< 3)                      erosion very_light (sangat ringan): S1
#   surface stones 2 %: S1 (< 5)             rock outcrop 1 %: S1 (< 5)
PADI_BASE = {
    "temperature": 26.0, "humidity": 80.0, "drainage": "somewhat_poor", "texture": "fine",
    "coarse_fragments": 1.0, "soil_depth": 80.0, "cec_clay": 20.0, "base_saturation": 60.0,
    "ph_h2o": 6.5, "c_organic": 2.0, "salinity": 1.0, "alkalinity": 10.0,
    "sulfidic_depth": 150.0, "slope": 1.0, "erosion": "very_light", "surface_stones": 2.0,
    "rock_outcrop": 1.0,
}

PADI = [
    # Base: every characteristic S1 → "S1"; potential S1.
    Unit("P01 base", {}, "S1", "S1", "S1"),
    # Edges, each the lower or upper end of the S1 band: temperature 24 (S1 24–29 | S2 22–24)
    # → S1; pH 5.5 (S1 5.5–8.2 | S2 4.5–5.5) → S1; slope 3 (S1 < 3 | S2 3–5) → S1; soil depth
    # 50 (S1 > 50 | S2 40–50) → S1; C-organic 1.5 (S1 > 1.5 | S2 0.8–1.5) → S1. All S1 → "S1".
    Unit("P02 S1 edges", {"temperature": 24.0, "ph_h2o": 5.5, "slope": 3.0, "soil_depth": 50.0,
                          "c_organic": 1.5}, "S1", "S1", "S1"),
    # Temperature 23: S2 (22–24, cool side); rest S1 → "S2-tc". No improvement → S2.
    Unit("P03 cool", {"temperature": 23.0}, "S2", "S2-tc", "S2"),
    # Temperature 30.5: S2 (29–32, warm side); humidity 31: S2 (30–33) → tc S2, wa S2
    # → "S2-tc,wa". Neither improves → S2.
    Unit("P04 warm and dry air", {"temperature": 30.5, "humidity": 31.0}, "S2", "S2-tc,wa",
         "S2"),
    # Temperature 36: N (> 35) → "N-tc"; temperature cannot improve → N.
    Unit("P05 too hot", {"temperature": 36.0}, "N", "N-tc", "N"),
    # Temperature 35 exactly: S3 (32–35) | N (> 35) edge → S3 → "S3-tc"; potential S3.
    Unit("P06 hot edge", {"temperature": 35.0}, "S3", "S3-tc", "S3"),
    # Drainage excessive (cepat): N → "N-oa". Drains help only waterlogged land (improves =
    # poor, very_poor), not fast-draining land → potential N.
    Unit("P07 excessive drainage", {"drainage": "excessive"}, "N", "N-oa", "N"),
    # Drainage well (baik): S2; texture medium (sedang): S2 → oa S2, rc S2 → "S2-oa,rc".
    # Potential: drainage S2 → S1, texture cannot improve (S2) → S2.
    Unit("P08 well drained loam", {"drainage": "well", "texture": "medium"}, "S2", "S2-oa,rc",
         "S2"),
    # pH 5.0: S2 (4.5–5.5); slope 6: S3 (5–8) → nr S2, eh S3; worst S3 from eh → "S3-eh".
    # Potential: pH S2 → S1, slope S3 → S2 → S2.
    Unit("P09 sloping", {"ph_h2o": 5.0, "slope": 6.0}, "S3", "S3-eh", "S2"),
    # pH 4.2: S3 (< 4.5); slope 6: S3 (5–8) → nr S3, eh S3, tied → "S3-nr,eh".
    # Potential: pH → S2, slope → S2 → S2.
    Unit("P10 acid and sloping", {"ph_h2o": 4.2, "slope": 6.0}, "S3", "S3-nr,eh", "S2"),
    # pH 8.6: S3 (> 8.5, alkaline side); base saturation 30: S3 (< 35); erosion moderate
    # (sedang): S3 → nr S3, eh S3 → "S3-nr,eh". Potential: liming helps only acid soil, so
    # alkaline pH stays S3; BS → S2, erosion → S2 → nr S3 → S3.
    Unit("P11 alkaline and eroded", {"ph_h2o": 8.6, "base_saturation": 30.0,
                                     "erosion": "moderate"}, "S3", "S3-nr,eh", "S3"),
    # Salinity 7: N (> 6); ESP 35: S3 (30–40) → xc N, xn S3 → "N-xc". Neither improves → N.
    Unit("P12 saline", {"salinity": 7.0, "alkalinity": 35.0}, "N", "N-xc", "N"),
    # Sulfidic depth 40 exactly: S3 (40–75) | N (< 40) edge → S3; coarse fragments 15 exactly:
    # S2 (3–15) | S3 (15–35) edge → S2 → xs S3, rc S2 → "S3-xs". Potential: sulfidic → S2,
    # fragments stay S2 → S2.
    Unit("P13 shallow pyrite edge", {"sulfidic_depth": 40.0, "coarse_fragments": 15.0}, "S3",
         "S3-xs", "S2"),
    # Surface stones 40 exactly: S3 (15–40) | N (> 40) edge → S3; rock outcrop 30: N (> 25)
    # → lp N → "N-lp". Potential: stones → S2, outcrop cannot improve (N) → N.
    Unit("P14 rocky", {"surface_stones": 40.0, "rock_outcrop": 30.0}, "N", "N-lp", "N"),
    # CEC clay 16 exactly: S1 (> 16) | S2 (<= 16) edge → S1 by the edge rule; C-organic 0.8
    # exactly: S2 (0.8–1.5) | S3 (< 0.8) edge → S2; soil depth 30: S3 (25–40) → nr S2, rc S3
    # → "S3-rc". Potential: depth cannot improve → S3.
    Unit("P15 shallow soil", {"cec_clay": 16.0, "c_organic": 0.8, "soil_depth": 30.0}, "S3",
         "S3-rc", "S3"),
]

# -- jagung ------------------------------------------------------------------------------------
# Base row, each value against the table:
#   temperature 23 °C: S1 (20–26)            humidity 70 %: S1 (> 42)
#   drainage well (baik): S1                  texture medium (sedang): S1
#   coarse fragments 5 %: S1 (< 15)           soil depth 100 cm: S1 (> 60)
#   peat depth 0 cm: S1 (< 60)                CEC clay 20: S1 (> 16)
#   base saturation 60 %: S1 (> 50)           pH 6.5: S1 (5.8–7.8)
#   C-organic 1.0 %: S1 (> 0.4)               salinity 1 dS/m: S1 (< 4)
#   ESP 5 %: S1 (< 15)                        sulfidic depth 150 cm: S1 (> 100)
#   slope 3 %: S1 (< 8)                       erosion very_light: S1
#   flooding F0: S1                           surface stones 0 %: S1; rock outcrop 0 %: S1
# Peat maturity has no column (mineral soils): skipped, with a warning.
JAGUNG_BASE = {
    "temperature": 23.0, "humidity": 70.0, "drainage": "well", "texture": "medium",
    "coarse_fragments": 5.0, "soil_depth": 100.0, "peat_depth": 0.0, "cec_clay": 20.0,
    "base_saturation": 60.0, "ph_h2o": 6.5, "c_organic": 1.0, "salinity": 1.0,
    "alkalinity": 5.0, "sulfidic_depth": 150.0, "slope": 3.0, "erosion": "very_light",
    "flooding": "F0", "surface_stones": 0.0, "rock_outcrop": 0.0,
}

JAGUNG = [
    # Base: all S1 → "S1"; potential S1.
    Unit("J01 base", {}, "S1", "S1", "S1"),
    # pH 5.2: S3 (< 5.5); slope 12 %: S2 (8–15) → worst S3 from nr → "S3-nr".
    # Potential: pH → S2, slope → S1 → S2.
    Unit("J02 acid", {"ph_h2o": 5.2, "slope": 12.0}, "S3", "S3-nr", "S2"),
    # pH 5.2: S3; slope 20: S3 (15–25) → nr S3, eh S3 tied → "S3-nr,eh". Potential S2 (both +1).
    Unit("J03 acid and sloping", {"ph_h2o": 5.2, "slope": 20.0}, "S3", "S3-nr,eh", "S2"),
    # Edges at the top of S1: temperature 26 (S1 20–26 | S2 26–30) → S1; pH 5.8 (S1 5.8–7.8 |
    # S2 5.5–5.8) → S1; slope 8 (S1 < 8 | S2 8–15) → S1; soil depth 60 (S1 > 60 | S2 40–60)
    # → S1. All S1 → "S1".
    Unit("J04 S1 edges", {"temperature": 26.0, "ph_h2o": 5.8, "slope": 8.0, "soil_depth": 60.0},
         "S1", "S1", "S1"),
    # Temperature 18: S3 (16–20; the table has no S2 on the cool side) → "S3-tc"; potential S3.
    Unit("J05 cool highland", {"temperature": 18.0}, "S3", "S3-tc", "S3"),
    # Temperature 31: S3 (30–32, warm side); humidity 38: S2 (36–42) → tc S3, wa S2 → "S3-tc".
    # Potential S3.
    Unit("J06 hot", {"temperature": 31.0, "humidity": 38.0}, "S3", "S3-tc", "S3"),
    # Temperature 33: N (> 32) → "N-tc"; potential N.
    Unit("J07 too hot", {"temperature": 33.0}, "N", "N-tc", "N"),
    # Drainage poor (terhambat): S3 → "S3-oa". Potential: drainage → S2 → S2.
    Unit("J08 poorly drained", {"drainage": "poor"}, "S3", "S3-oa", "S2"),
    # Drainage very_poor (sangat terhambat): N; texture coarse (kasar): N → oa N, rc N
    # → "N-oa,rc". Potential: drainage → S3, texture stays N → N.
    Unit("J09 swampy sand", {"drainage": "very_poor", "texture": "coarse"}, "N", "N-oa,rc",
         "N"),
    # pH 8.2 exactly: S2 (7.8–8.2) | S3 (> 8.2) edge → S2; base saturation 35 exactly: S2
    # (35–50) | S3 (< 35) edge → S2; CEC clay 10: S2 (<= 16); C-organic 0.3: S2 (<= 0.4)
    # → nr S2 → "S2-nr". Potential: BS, CEC and C-organic improve one class → S1, but pH 8.2
    # is on the alkaline side, which liming does not help → stays S2 → S2.
    Unit("J10 poor retention", {"ph_h2o": 8.2, "base_saturation": 35.0, "cec_clay": 10.0,
                                "c_organic": 0.3}, "S2", "S2-nr", "S2"),
    # Salinity 8 exactly: S3 (6–8) | N (> 8) edge → S3; ESP 22: S3 (20–25) → xc S3, xn S3
    # → "S3-xc,xn". Neither improves → S3.
    Unit("J11 saline-sodic", {"salinity": 8.0, "alkalinity": 22.0}, "S3", "S3-xc,xn", "S3"),
    # Slope 30: N (> 25); erosion severe (berat): S3 → eh N; flooding F1: S3 → fh S3
    # → "N-eh". Potential: slope → S3, erosion → S2 (eh S3), flooding → S2 → S3.
    Unit("J12 steep", {"slope": 30.0, "erosion": "severe", "flooding": "F1"}, "N", "N-eh",
         "S3"),
    # Flooding F2: N (> F1) → "N-fh". Potential: F2 gains one class → S3.
    Unit("J13 flooded", {"flooding": "F2"}, "N", "N-fh", "S3"),
    # Coarse fragments 40: S3 (35–55); soil depth 30: S3 (25–40) → rc S3 → "S3-rc".
    # Neither improves → S3.
    Unit("J14 stony shallow", {"coarse_fragments": 40.0, "soil_depth": 30.0}, "S3", "S3-rc",
         "S3"),
    # Sulfidic depth 75 exactly: S3 (40–75) | S2 (75–100) edge → S2; surface stones 10: S2
    # (5–15); rock outcrop 5 exactly: S1 (< 5) | S2 (5–15) edge → S1 → xs S2, lp S2
    # → "S2-xs,lp". Potential: sulfidic → S1, stones → S1 → S1.
    Unit("J15 pyrite and stones", {"sulfidic_depth": 75.0, "surface_stones": 10.0,
                                   "rock_outcrop": 5.0}, "S2", "S2-xs,lp", "S1"),
]

# -- kelapa sawit ------------------------------------------------------------------------------
# Base row, each value against the table:
#   temperature 26.5 °C: S1 (25–28)           rainfall 2200 mm/yr: S1 (1700–2500)
#   dry months 1: S1 (< 2)                    drainage well (baik): S1
#   texture fine (halus): S1                  coarse fragments 5 %: S1 (< 15)
#   soil depth 150 cm: S1 (> 100)             peat depth 0 cm: S1 (< 60)
#   CEC clay 20: S1 (> 16)                    base saturation 40 %: S1 (> 20)
#   pH 5.5: S1 (5.0–6.5)                      C-organic 1.5 %: S1 (> 0.8)
#   salinity 1 dS/m: S1 (< 2)                 sulfidic depth 200 cm: S1 (> 125)
#   slope 4 %: S1 (< 8)                       erosion very_light: S1
#   flooding F0: S1                           surface stones 0 %: S1; rock outcrop 0 %: S1
# Peat maturity has no column (mineral soils): skipped, with a warning.
SAWIT_BASE = {
    "temperature": 26.5, "rainfall": 2200.0, "dry_months": 1.0, "drainage": "well",
    "texture": "fine", "coarse_fragments": 5.0, "soil_depth": 150.0, "peat_depth": 0.0,
    "cec_clay": 20.0, "base_saturation": 40.0, "ph_h2o": 5.5, "c_organic": 1.5,
    "salinity": 1.0, "sulfidic_depth": 200.0, "slope": 4.0, "erosion": "very_light",
    "flooding": "F0", "surface_stones": 0.0, "rock_outcrop": 0.0,
}

SAWIT = [
    # Base: all S1 → "S1"; potential S1.
    Unit("K01 base", {}, "S1", "S1", "S1"),
    # Edges of S1: rainfall 1700 (S2 1450–1700 | S1 1700–2500) → S1; temperature 28 (S1 25–28 |
    # S2 28–32) → S1; dry months 2 (S1 < 2 | S2 2–3) → S1; soil depth 100 (S2 75–100 | S1
    # > 100) → S1. All S1 → "S1".
    Unit("K02 S1 edges", {"rainfall": 1700.0, "temperature": 28.0, "dry_months": 2.0,
                          "soil_depth": 100.0}, "S1", "S1", "S1"),
    # Rainfall 1300: S3 (1250–1450); dry months 3.5: S3 (3–4) → wa S3 → "S3-wa". Potential S3.
    Unit("K03 dry", {"rainfall": 1300.0, "dry_months": 3.5}, "S3", "S3-wa", "S3"),
    # Rainfall 4200: N (> 4000) → "N-wa"; potential N.
    Unit("K04 too wet", {"rainfall": 4200.0}, "N", "N-wa", "N"),
    # Temperature 23: S2 (22–25, cool side); rainfall 3000: S2 (2500–3500, wet side)
    # → tc S2, wa S2 → "S2-tc,wa". Potential S2.
    Unit("K05 cool and wet", {"temperature": 23.0, "rainfall": 3000.0}, "S2", "S2-tc,wa", "S2"),
    # pH 4.0: S3 (< 4.2); base saturation 15: S2 (<= 20); C-organic 0.5: S2 (<= 0.8) → nr S3
    # → "S3-nr". Potential: pH → S2, BS → S1, C → S1 → S2.
    Unit("K06 acid", {"ph_h2o": 4.0, "base_saturation": 15.0, "c_organic": 0.5}, "S3", "S3-nr",
         "S2"),
    # pH 7.2: S3 (> 7.0, alkaline side); slope 20: S3 (16–30) → nr S3, eh S3 → "S3-nr,eh".
    # Potential: alkaline pH gains nothing from liming (stays S3), slope → S2 → S3.
    Unit("K07 alkaline and sloping", {"ph_h2o": 7.2, "slope": 20.0}, "S3", "S3-nr,eh", "S3"),
    # Drainage somewhat_poor (agak terhambat): S2; texture moderately_coarse (agak kasar): S3
    # → oa S2, rc S3 → "S3-rc". Potential: drainage → S1, texture stays S3 → S3.
    Unit("K08 sandy loam", {"drainage": "somewhat_poor", "texture": "moderately_coarse"}, "S3",
         "S3-rc", "S3"),
    # Drainage very_poor (sangat terhambat): N → "N-oa". Potential: → S3.
    Unit("K09 waterlogged", {"drainage": "very_poor"}, "N", "N-oa", "S3"),
    # Soil depth 45: N (< 50); slope 35: N (> 30) → rc N, eh N → "N-rc,eh". Potential: depth
    # cannot improve (N), slope → S3 → N.
    Unit("K10 shallow and steep", {"soil_depth": 45.0, "slope": 35.0}, "N", "N-rc,eh", "N"),
    # Salinity 3 exactly: S2 (2–3) | S3 (3–4) edge → S2; sulfidic depth 100 exactly: S3
    # (60–100) | S2 (100–125) edge → S2; flooding F1: S2 → xc S2, xs S2, fh S2
    # → "S2-xc,xs,fh". Potential: salinity stays S2, sulfidic → S1, flooding → S1 → S2.
    Unit("K11 coastal", {"salinity": 3.0, "sulfidic_depth": 100.0, "flooding": "F1"}, "S2",
         "S2-xc,xs,fh", "S2"),
    # Temperature 20 exactly: N (< 20) | S3 (20–22) edge → S3 → "S3-tc". Potential S3.
    Unit("K12 cold edge", {"temperature": 20.0}, "S3", "S3-tc", "S3"),
    # Surface stones 20: S3 (15–40); erosion moderate: S2 (ringan-sedang) → lp S3, eh S2
    # → "S3-lp". Potential: stones → S2, erosion → S1 → S2.
    Unit("K13 stony", {"surface_stones": 20.0, "erosion": "moderate"}, "S3", "S3-lp", "S2"),
]

# Peat units for oil palm: the base row with peat maturity given (column present).
SAWIT_PEAT = [
    # Peat depth 100: S2 (60–140); maturity sapric (saprik): S2; drainage somewhat_poor: S2
    # → oa S2, rc S2 → "S2-oa,rc". Potential: drainage → S1, peat cannot improve → S2.
    Unit("KP1 shallow sapric peat", {"peat_depth": 100.0, "peat_maturity": "sapric",
                                     "drainage": "somewhat_poor"}, "S2", "S2-oa,rc", "S2"),
    # Peat depth 250: N (> 200); maturity fibric (fibrik): N → rc N → "N-rc"; potential N.
    Unit("KP2 deep fibric peat", {"peat_depth": 250.0, "peat_maturity": "fibric"}, "N", "N-rc",
         "N"),
]


def frame(base: dict[str, object], units: list[Unit]) -> pd.DataFrame:
    rows = [{**base, **u.change} for u in units]
    return pd.DataFrame(rows, index=[u.name for u in units])


def evaluate(crop: str, base: dict[str, object], units: list[Unit], *,
             skipped: str | None) -> pd.DataFrame:
    table = frame(base, units)
    if skipped is None:
        return aez.evaluate_units(table, [crop])
    with pytest.warns(AEZWarning, match=skipped):
        return aez.evaluate_units(table, [crop])


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[str, pd.DataFrame]]:
    out: dict[str, tuple[str, pd.DataFrame]] = {}
    for crop, base, units, skipped in (
        ("padi_sawah", PADI_BASE, PADI, None),
        ("jagung", JAGUNG_BASE, JAGUNG, "peat_maturity"),
        ("kelapa_sawit", SAWIT_BASE, SAWIT, "peat_maturity"),
        ("kelapa_sawit", {**SAWIT_BASE, "peat_maturity": "sapric"}, SAWIT_PEAT, None),
    ):
        table = evaluate(crop, base, units, skipped=skipped)
        for unit in units:
            out[unit.name] = (crop, table.loc[unit.name])
    return out


CASES = PADI + JAGUNG + SAWIT + SAWIT_PEAT
CLASS_INDEX = {"S1": (0.75, 1.0), "S2": (0.5, 0.75), "S3": (0.25, 0.5), "N": (0.0, 0.25)}


def test_enough_units_across_three_crops() -> None:
    assert len(CASES) >= 30
    assert len({u.name for u in CASES}) == len(CASES)


@pytest.mark.parametrize("unit", CASES, ids=[u.name for u in CASES])
def test_class_and_subclass(results, unit: Unit) -> None:
    crop, row = results[unit.name]
    assert (row[f"{crop}_class"], row[f"{crop}_subclass"]) == (unit.klass, unit.subclass)


@pytest.mark.parametrize("unit", CASES, ids=[u.name for u in CASES])
def test_potential_class(results, unit: Unit) -> None:
    crop, row = results[unit.name]
    assert row[f"{crop}_potential"] == unit.potential


@pytest.mark.parametrize("unit", CASES, ids=[u.name for u in CASES])
def test_index_lies_in_the_class_range(results, unit: Unit) -> None:
    # With the default "minimum" aggregation each class owns a slice of the index:
    # S1 0.75–1, S2 0.5–0.75, S3 0.25–0.5, N 0–0.25.
    crop, row = results[unit.name]
    low, high = CLASS_INDEX[unit.klass]
    assert low <= row[f"{crop}_index"] <= high


def test_categorical_limit_sets_the_index(results) -> None:
    # A categorical class scores the middle of its slice. J08: drainage poor is S3 (0.375) and
    # every other characteristic is S1 (>= 0.75), so the minimum is 0.375. K09: drainage
    # very_poor is N (0.125), the rest S1 → 0.125.
    assert results["J08 poorly drained"][1]["jagung_index"] == pytest.approx(0.375)
    assert results["K09 waterlogged"][1]["kelapa_sawit_index"] == pytest.approx(0.125)


# -- missing data --------------------------------------------------------------------------------


def test_absent_columns_are_skipped_with_a_warning() -> None:
    # No humidity and no flooding column: both are skipped and named in the warning; the rest
    # of the base row is S1 → "S1". Never an error, never a guess.
    table = frame(JAGUNG_BASE, [Unit("M1", {}, "S1", "S1", "S1")])
    table = table.drop(columns=["humidity", "flooding"])
    with pytest.warns(AEZWarning) as caught:
        out = aez.evaluate_units(table, ["jagung"])
    text = " ".join(str(w.message) for w in caught)
    assert "humidity" in text and "flooding" in text and "peat_maturity" in text
    assert out.loc["M1", "jagung_class"] == "S1"


def test_missing_values_make_the_class_unknown_unless_another_quality_is_n() -> None:
    units = [
        # pH NaN, the rest S1: nr is unknown → the land is unknown (not S1), index NaN;
        # the subclass names the unknown quality → "unknown-nr"; potential unknown too.
        Unit("M2 pH missing", {"ph_h2o": np.nan}, "unknown", "unknown-nr", "unknown"),
        # pH NaN and temperature 33 (N, > 32): N outranks unknown → "N-tc"; temperature
        # cannot improve → potential N.
        Unit("M3 pH missing, too hot", {"ph_h2o": np.nan, "temperature": 33.0}, "N", "N-tc",
             "N"),
        # Drainage missing (empty cell) and slope 20 (S3): S3 is not N, so the missing oa
        # decides → "unknown-oa"; potential unknown.
        Unit("M4 drainage missing", {"drainage": None, "slope": 20.0}, "unknown", "unknown-oa",
             "unknown"),
        # Humidity NaN with temperature 28 (S2, 26–30): still unknown, never S2 → "unknown-wa".
        Unit("M5 humidity missing", {"humidity": np.nan, "temperature": 28.0}, "unknown",
             "unknown-wa", "unknown"),
    ]
    out = evaluate("jagung", JAGUNG_BASE, units, skipped="peat_maturity")
    for unit in units:
        row = out.loc[unit.name]
        got = (row["jagung_class"], row["jagung_subclass"], row["jagung_potential"])
        assert got == (unit.klass, unit.subclass, unit.potential), unit.name
    assert math.isnan(out.loc["M2 pH missing", "jagung_index"])
    assert math.isnan(out.loc["M4 drainage missing", "jagung_index"])
    assert out.loc["M3 pH missing, too hot", "jagung_index"] <= 0.25


def test_input_table_is_returned_unchanged_alongside_the_results() -> None:
    table = frame(PADI_BASE, PADI[:3])
    before = table.copy()
    out = aez.evaluate_units(table, ["padi_sawah"])
    pd.testing.assert_frame_equal(table, before)
    pd.testing.assert_frame_equal(out[list(table.columns)], before)
    assert {"padi_sawah_class", "padi_sawah_subclass", "padi_sawah_index",
            "padi_sawah_potential"} <= set(out.columns)
