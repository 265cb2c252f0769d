"""Horticulture crop tables: transcription spot checks against the published bands.

Each expected value below is keyed in from the source named in its comment, not read back
from the tables. Sys et al. (1993) rows are quoted as LUSET prints them, ``s3_a/s2_a/s1_a``
(and ``/s1_b/s2_b/s3_b`` for two-sided rows). A second test reads the LUSET
table itself (``layers/crop_requirements/``) and checks that its limits are the band edges.
"""

from __future__ import annotations

import csv
import math

import pytest

from aez.crops import CategoricalRule, NumericRule, load_crop
from aez.testing import real_layer

LUSET = real_layer("crop_requirements/alues_luset_crop_requirements_long.csv")

HORTICULTURE = ["cabai", "bawang_merah", "tomat", "kubis", "pisang", "durian", "mangga", "jeruk",
                "nanas", "alpukat"]
INF = math.inf
S1, S2, S3, N = 1, 2, 3, 4


def numeric(crop_id: str, char_id: str) -> NumericRule:
    rule = load_crop(crop_id).rules[char_id]
    assert isinstance(rule, NumericRule)
    return rule


def categorical(crop_id: str, char_id: str) -> dict[str, int]:
    rule = load_crop(crop_id).rules[char_id]
    assert isinstance(rule, CategoricalRule)
    return dict(rule.classes)


# (crop, characteristic, expected interior edges, expected classes from low to high values)
NUMERIC_BANDS = [
    # Sys et al. 1993 / LUSET PEPPERGR TgAv 14/16/18/26/27/28 °C: S1 18-26, N < 14 and > 28.
    ("cabai", "temperature", (14, 16, 18, 26, 27, 28), (N, S3, S2, S1, S2, S3, N)),
    # LUSET PEPPERGR SoilDpt 30/50/75 cm: S1 >= 75, N < 30.
    ("cabai", "soil_depth", (30, 50, 75), (N, S3, S2, S1)),
    # LUSET PEPPERGR pHH2O 5.2/5.5/6.0/7.6/8.0/8.2.
    ("cabai", "ph_h2o", (5.2, 5.5, 6.0, 7.6, 8.0, 8.2), (N, S3, S2, S1, S2, S3, N)),
    # LUSET PEPPERGR ECedS 7/5/3 dS/m.
    ("cabai", "salinity", (3, 5, 7), (S1, S2, S3, N)),
    # FAO ECOCROP Allium cepa var. aggregatum: optimum 20-25, absolute 10-30 °C; S2/S3 split
    # at the middle of each marginal zone: (10+20)/2 = 15, (25+30)/2 = 27.5.
    ("bawang_merah", "temperature", (10, 15, 20, 25, 27.5, 30), (N, S3, S2, S1, S2, S3, N)),
    # LUSET ONION SoilDpt 20/30/50 cm.
    ("bawang_merah", "soil_depth", (20, 30, 50), (N, S3, S2, S1)),
    # LUSET ONION ESP 50/35/20 %.
    ("bawang_merah", "alkalinity", (20, 35, 50), (S1, S2, S3, N)),
    # LUSET ONION OC 0.7/0.8/1.2 %: S1 >= 1.2, S2 0.8-1.2, S3 below, no N band.
    ("bawang_merah", "c_organic", (0.8, 1.2), (S3, S2, S1)),
    # LUSET TOMATO TgAv 13/16/18/26/30/35 °C.
    ("tomat", "temperature", (13, 16, 18, 26, 30, 35), (N, S3, S2, S1, S2, S3, N)),
    # LUSET TOMATO WghAv 19.9/20/24/80/90 %: S3 below 20 and above 90, no N band.
    ("tomat", "humidity", (20, 24, 80, 90), (S3, S2, S1, S2, S3)),
    # LUSET TOMATO ECedS 10/8/5 dS/m.
    ("tomat", "salinity", (5, 8, 10), (S1, S2, S3, N)),
    # LUSET CABBAGE TgAv 5/10/13/24/30/35 °C, cold N limit of 5 °C dropped (see kubis.toml).
    ("kubis", "temperature", (10, 13, 24, 30, 35), (S3, S2, S1, S2, S3, N)),
    # LUSET CABBAGE SoilDpt 20/50/60 cm.
    ("kubis", "soil_depth", (20, 50, 60), (N, S3, S2, S1)),
    # LUSET CABBAGE pHH2O 5.5/5.8/6.0/7.8/8.0/8.2.
    ("kubis", "ph_h2o", (5.5, 5.8, 6.0, 7.8, 8.0, 8.2), (N, S3, S2, S1, S2, S3, N)),
    # FAO ECOCROP Musa acuminata x balbisiana: optimum 25-35, absolute 15-40 °C; split at
    # (15+25)/2 = 20 and (35+40)/2 = 37.5.
    ("pisang", "temperature", (15, 20, 25, 35, 37.5, 40), (N, S3, S2, S1, S2, S3, N)),
    # LUSET BANANA WyAv 1000/1250/1500 mm, dry side only.
    ("pisang", "rainfall", (1000, 1250, 1500), (N, S3, S2, S1)),
    # LUSET BANANA WmDryLen 6/4/3 months.
    ("pisang", "dry_months", (3, 4, 6), (S1, S2, S3, N)),
    # LUSET BANANA OC 0.7/0.8/1.5 %.
    ("pisang", "c_organic", (0.8, 1.5), (S3, S2, S1)),
    # Djaenudin et al. 2011, durian (reproduced by Taiyeb 2023, Tabel 1): temperatur rerata
    # S1 22-28, S2 18-22 / 28-34, S3 15-18 / 34-40, N < 15 / > 40 °C.
    ("durian", "temperature", (15, 18, 22, 28, 34, 40), (N, S3, S2, S1, S2, S3, N)),
    # Same table: curah hujan S1 1000-2000, S2 500-1000 / 2000-3000, S3 250-500 / 3000-4000 mm.
    ("durian", "rainfall", (250, 500, 1000, 2000, 3000, 4000), (N, S3, S2, S1, S2, S3, N)),
    # Same table: pH S1 5.0-6.0, S2 4.5-5.0 / 6.0-7.5, S3 < 4.5 / > 7.5 (no N).
    ("durian", "ph_h2o", (4.5, 5.0, 6.0, 7.5), (S3, S2, S1, S2, S3)),
    # Same table: kejenuhan basa S1 > 35, S2 20-35, S3 < 20.
    ("durian", "base_saturation", (20, 35), (S3, S2, S1)),
    # LUSET MANGO TyAv 15/18/22/28/34/40 °C.
    ("mangga", "temperature", (15, 18, 22, 28, 34, 40), (N, S3, S2, S1, S2, S3, N)),
    # LUSET MANGO WmDryLen 8/7/6/3/2/1 (high side first): S1 3-6 dry months.
    ("mangga", "dry_months", (1, 2, 3, 6, 7, 8), (N, S3, S2, S1, S2, S3, N)),
    # LUSET MANGO CECc 8/10/16 cmol/kg clay.
    ("mangga", "cec_clay", (8, 10, 16), (N, S3, S2, S1)),
    # LUSET MANGO WyhAv 80.1/80.1/80.1/42/36/30 %: S1 42-80, S2 36-42 and above 80.
    ("mangga", "humidity", (30, 36, 42, 80), (N, S3, S2, S1, S2)),
    # LUSET CITRUS TyAv 39/36/33/19/16/13 °C, printed in reverse: S1 19-33.
    ("jeruk", "temperature", (13, 16, 19, 33, 36, 39), (N, S3, S2, S1, S2, S3, N)),
    # LUSET CITRUS WyAv 800/1000/1200/3000.1 mm: S1 1200-3000, S2 above.
    ("jeruk", "rainfall", (800, 1000, 1200, 3000), (N, S3, S2, S1, S2)),
    # LUSET CITRUS BS 19.9/19.9/20 %: S1 >= 20, S2 below.
    ("jeruk", "base_saturation", (20,), (S2, S1)),
    # LUSET CITRUS ESP 15/12/8 %.
    ("jeruk", "alkalinity", (8, 12, 15), (S1, S2, S3, N)),
    # LUSET PINEAPPLE TyAv 16/18/20/26/30/35 °C.
    ("nanas", "temperature", (16, 18, 20, 26, 30, 35), (N, S3, S2, S1, S2, S3, N)),
    # LUSET PINEAPPLE pHH2O 4.0/4.3/5.0/6.5/7.0/7.8.
    ("nanas", "ph_h2o", (4.0, 4.3, 5.0, 6.5, 7.0, 7.8), (N, S3, S2, S1, S2, S3, N)),
    # LUSET PINEAPPLE WyAv 600/800/1000/1600/2000 mm: S3 above 2000.
    ("nanas", "rainfall", (600, 800, 1000, 1600, 2000), (N, S3, S2, S1, S2, S3)),
    # LUSET PINEAPPLE SoilDpt 20/40/60 cm.
    ("nanas", "soil_depth", (20, 40, 60), (N, S3, S2, S1)),
    # LUSET AVOCADO TgAv 10/15/18/26/30/30.1 °C: no N band on the warm side.
    ("alpukat", "temperature", (10, 15, 18, 26, 30), (N, S3, S2, S1, S2, S3)),
    # LUSET AVOCADO WmDryLen 0/0/1/4/5/6.1 months: S2 below 1, S1 1-4, N above 6.
    ("alpukat", "dry_months", (1, 4, 5, 6), (S2, S1, S2, S3, N)),
    # LUSET AVOCADO CFragm 55/33/15 %.
    ("alpukat", "coarse_fragments", (15, 33, 55), (S1, S2, S3, N)),
    # LUSET AVOCADO pHH2O 4.3/4.6/5.0/6.5/7.5/8.3.
    ("alpukat", "ph_h2o", (4.3, 4.6, 5.0, 6.5, 7.5, 8.3), (N, S3, S2, S1, S2, S3, N)),
]


@pytest.mark.parametrize(("crop_id", "char_id", "edges", "classes"), NUMERIC_BANDS,
                         ids=[f"{c}.{k}" for c, k, *_ in NUMERIC_BANDS])
def test_numeric_bands_match_the_source(crop_id: str, char_id: str, edges: tuple[float, ...],
                                        classes: tuple[int, ...]) -> None:
    rule = numeric(crop_id, char_id)
    assert rule.edges == pytest.approx(edges)
    assert rule.classes == classes


def test_categorical_bands_match_the_source() -> None:
    # LUSET MANGO Drainage 3/2/1 (1 good, 2 moderate, 3 imperfect, 4 poor): good S1, moderate
    # S2, imperfect S3, poor N.
    mango = categorical("mangga", "drainage")
    assert [mango[d] for d in ("well", "moderately_well", "somewhat_poor", "poor")] == \
        [S1, S2, S3, N]
    # LUSET TOMATO Drainage4 4/3/2: good and moderate S1, imperfect S2, poor S3, very poor N.
    tomato = categorical("tomat", "drainage")
    assert [tomato[d] for d in ("well", "moderately_well", "somewhat_poor", "poor",
                                "very_poor")] == [S1, S1, S2, S3, N]
    # LUSET BANANA Flood 2.5/2/1 (1 none, 2 short = F1, 3 long = F2): F0 S1, F1 S2, F2 N.
    banana = categorical("pisang", "flooding")
    assert [banana[f] for f in ("F0", "F1", "F2", "F3", "F4")] == [S1, S2, N, N, N]
    # LUSET ONION Flood 2/1/1: F0 S1, F1 S3, F2 N.
    onion = categorical("bawang_merah", "flooding")
    assert [onion[f] for f in ("F0", "F1", "F2")] == [S1, S3, N]
    # Djaenudin et al. 2011, durian (Taiyeb 2023): drainase S1 baik, sedang; S2 agak
    # terhambat; S3 terhambat, agak cepat; N cepat.
    durian = categorical("durian", "drainage")
    assert [durian[d] for d in ("well", "moderately_well", "somewhat_poor", "poor",
                                "somewhat_excessive", "excessive")] == [S1, S1, S2, S3, S3, N]
    # Same table: tekstur S1 halus, sedang; N kasar.
    texture = categorical("durian", "texture")
    assert (texture["fine"], texture["medium"], texture["coarse"]) == (S1, S1, N)


def test_shared_land_preparation_block() -> None:
    # Djaenudin et al. 2011, block shared by the tables: batuan di permukaan <5/5-15/15-40/>40 %,
    # singkapan batuan <5/5-15/15-25/>25 %, bahaya erosi S1 sangat ringan ... N sangat berat.
    for crop_id in HORTICULTURE:
        assert numeric(crop_id, "surface_stones").edges == (5, 15, 40), crop_id
        assert numeric(crop_id, "rock_outcrop").edges == (5, 15, 25), crop_id
        erosion = categorical(crop_id, "erosion")
        assert (erosion["very_light"], erosion["moderate"], erosion["very_severe"]) == (S1, S2, N)


def test_vegetables_rate_no_annual_rainfall() -> None:
    # Sys et al. give growing-cycle rainfall (WgAv) for the annual vegetables, which is not the
    # annual rainfall that aez's `rainfall` means; the tables must leave it out.
    for crop_id in ("cabai", "bawang_merah", "tomat", "kubis"):
        assert "rainfall" not in load_crop(crop_id).rules, crop_id


def test_improvements_stay_on_the_side_they_help() -> None:
    for crop_id in HORTICULTURE:
        crop = load_crop(crop_id)
        ph = crop.rules["ph_h2o"]
        assert isinstance(ph, NumericRule) and ph.improves == "below", crop_id
        drainage = crop.rules["drainage"]
        assert isinstance(drainage, CategoricalRule)
        assert "excessive" not in drainage.improves, crop_id
        for char_id in ("temperature", "rainfall", "dry_months", "humidity", "soil_depth"):
            if char_id in crop.rules:
                assert crop.rules[char_id].improvement == 0, (crop_id, char_id)


def test_every_table_is_horticulture_and_cites_its_rows() -> None:
    for crop_id in HORTICULTURE:
        crop = load_crop(crop_id)
        assert crop.group == "horticulture"
        keys = {s.key for s in crop.sources}
        used = {rule.source for rule in crop.rules.values()}
        if crop.reference_yield is not None:  # the reference yield cites its own source
            used |= {crop.reference_yield.source, crop.reference_yield.fractions_source} - {""}
        assert used == keys, f"{crop_id}: sources {keys} but rows cite {used}"


# -- oracle: the LUSET table itself ------------------------------------------------------------

def luset_rows() -> dict[tuple[str, str], dict[str, str]]:
    with LUSET.open(encoding="utf-8") as fh:
        return {(r["crop_code"], r["code"]): r for r in csv.DictReader(fh)}


# (aez crop, characteristic, LUSET crop, factor, LUSET columns whose values must be edges)
A3 = ("s3_a", "s2_a", "s1_a")
A6 = ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b", "s3_b")
FROM_LUSET = [
    ("cabai", "temperature", "PEPPERGR", "TgAv", A6),
    ("cabai", "soil_depth", "PEPPERGR", "SoilDpt", A3),
    ("cabai", "ph_h2o", "PEPPERGR", "pHH2O", A6),
    ("cabai", "salinity", "PEPPERGR", "ECedS", A3),
    ("bawang_merah", "soil_depth", "ONION", "SoilDpt", A3),
    ("bawang_merah", "ph_h2o", "ONION", "pHH2O", A6),
    ("bawang_merah", "salinity", "ONION", "ECedS", A3),
    ("bawang_merah", "alkalinity", "ONION", "ESP", A3),
    ("tomat", "temperature", "TOMATO", "TgAv", A6),
    ("tomat", "soil_depth", "TOMATO", "SoilDpt", A3),
    ("tomat", "ph_h2o", "TOMATO", "pHH2O", A6),
    ("tomat", "alkalinity", "TOMATO", "ESP", A3),
    ("kubis", "temperature", "CABBAGE", "TgAv", ("s2_a", "s1_a", "s1_b", "s2_b", "s3_b")),
    ("kubis", "humidity", "CABBAGE", "WghAv", ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b")),
    ("kubis", "salinity", "CABBAGE", "ECedS", A3),
    ("pisang", "rainfall", "BANANA", "WyAv", A3),
    ("pisang", "dry_months", "BANANA", "WmDryLen", A3),
    ("pisang", "ph_h2o", "BANANA", "pHH2O", A6),
    ("pisang", "alkalinity", "BANANA", "ESP", A3),
    ("mangga", "temperature", "MANGO", "TyAv", A6),
    ("mangga", "dry_months", "MANGO", "WmDryLen", A6),
    ("mangga", "cec_clay", "MANGO", "CECc", A3),
    ("mangga", "ph_h2o", "MANGO", "pHH2O", A6),
    ("jeruk", "temperature", "CITRUS", "TyAv", A6),
    ("jeruk", "ph_h2o", "CITRUS", "pHH2O", A6),
    ("jeruk", "salinity", "CITRUS", "ECedS", A3),
    ("nanas", "temperature", "PINEAPPLE", "TyAv", A6),
    ("nanas", "rainfall", "PINEAPPLE", "WyAv", ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b")),
    ("nanas", "ph_h2o", "PINEAPPLE", "pHH2O", A6),
    ("alpukat", "temperature", "AVOCADO", "TgAv", ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b")),
    ("alpukat", "rainfall", "AVOCADO", "WyAv", ("s3_a", "s2_a", "s1_a", "s1_b")),
    ("alpukat", "coarse_fragments", "AVOCADO", "CFragm", A3),
    ("alpukat", "ph_h2o", "AVOCADO", "pHH2O", A6),
]


@pytest.mark.parametrize(("crop_id", "char_id", "code", "factor", "columns"), FROM_LUSET,
                         ids=[f"{c}.{k}" for c, k, *_ in FROM_LUSET])
def test_sys_rows_have_the_luset_limits_as_edges(crop_id: str, char_id: str, code: str,
                                                 factor: str, columns: tuple[str, ...]) -> None:
    row = luset_rows()[(code, factor)]
    theirs = sorted(float(row[name]) for name in columns)
    rule = numeric(crop_id, char_id)
    assert rule.source == "sys1993"
    assert sorted(rule.edges) == pytest.approx(theirs), f"LUSET {code}.{factor}"


def test_rows_read_with_the_absent_class_convention_match_luset() -> None:
    rows = luset_rows()
    # BS 19.9/20/35: the real limits 20 and 35 are the edges; 19.9 only marks "no N band".
    for crop_id, code in (("tomat", "TOMATO"), ("mangga", "MANGO"), ("nanas", "PINEAPPLE")):
        row = rows[(code, "BS")]
        assert (float(row["s3_a"]), float(row["s2_a"]), float(row["s1_a"])) == (19.9, 20, 35)
        rule = numeric(crop_id, "base_saturation")
        assert rule.edges == (20, 35) and rule.classes == (S3, S2, S1)
    # CECc 16/16/16: one limit, S2 below it, as in the kedelai and kelapa_sawit tables.
    for crop_id, code in (("cabai", "PEPPERGR"), ("pisang", "BANANA"), ("jeruk", "CITRUS")):
        assert {float(rows[(code, "CECc")][c]) for c in A3} == {16.0}
        rule = numeric(crop_id, "cec_clay")
        assert rule.edges == (16,) and rule.classes == (S2, S1)
    assert numeric("alpukat", "rainfall").bounds[-1] == (2000, INF)
