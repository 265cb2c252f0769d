"""Food crop tables (and ginger, turmeric): transcription spot checks and cross-checks.

Covers the tables of padi gogo, kacang tanah, ubi kayu, ubi jalar, sorgum, jahe and kunyit, and
spot-checks padi sawah, jagung, kedelai and kelapa sawit. Every expected value below is written
from the source cited in the comment above it, not from the loaded table. The sources are
Djaenudin et al. (2011) (BBSDLP, "Tabel persyaratan penggunaan lahan untuk ..."), Sys et al.
(1993) as tabulated in LUSET (columns s3_a, s2_a, s1_a | s1_b, s2_b, s3_b: limits running
towards the optimum, then away from it) and FAO ECOCROP (optimal and absolute ranges and
classes; the jahe and kunyit flooding rows are an inference from ECOCROP drainage). The
LUSET table and the ECOCROP records are read from ``layers/crop_requirements/``.
"""

from __future__ import annotations

import csv
import functools
import math

import pytest

from aez.crops import CategoricalRule, NumericRule, load_crop
from aez.testing import real_layer

LUSET = real_layer("crop_requirements/alues_luset_crop_requirements_long.csv")
ECOCROP = real_layer("crop_requirements/ecocrop_records_used.csv")
INF = math.inf

GROUPS = {
    "padi_gogo": "food", "kacang_tanah": "food", "ubi_kayu": "food", "ubi_jalar": "food",
    "sorgum": "food", "jahe": "herbal_spice", "kunyit": "herbal_spice",
    "padi_sawah": "food", "jagung": "food", "kedelai": "food", "kelapa_sawit": "estate",
}
#: Tables are frozen values: parse each once for the whole module.
crop = functools.cache(load_crop)

NEW = ("padi_gogo", "kacang_tanah", "ubi_kayu", "ubi_jalar", "sorgum", "jahe", "kunyit")


def numeric(crop_id: str, char_id: str) -> NumericRule:
    rule = crop(crop_id).rules[char_id]
    assert isinstance(rule, NumericRule), f"{crop_id}.{char_id} is not numeric"
    return rule


def bands(crop_id: str, char_id: str, cls: int) -> list[tuple[float, float]]:
    """The declared intervals of one class (1 = S1 … 4 = N) of a numeric rule."""
    rule = numeric(crop_id, char_id)
    classes = [rule.classes[sum(low >= e for e in rule.edges)] for low, _ in rule.bounds]
    return [b for b, c in zip(rule.bounds, classes, strict=True) if c == cls]


def labels(crop_id: str, char_id: str, cls: int) -> set[str]:
    rule = crop(crop_id).rules[char_id]
    assert isinstance(rule, CategoricalRule), f"{crop_id}.{char_id} is not categorical"
    return {label for label, c in rule.classes.items() if c == cls}


# -- the tables load, in their groups, citing what they use --------------------------------


@pytest.mark.parametrize("crop_id", sorted(GROUPS))
def test_table_loads_in_its_group_and_uses_every_source_it_declares(crop_id: str) -> None:
    table = crop(crop_id)
    assert table.group == GROUPS[crop_id]
    used = {rule.source for rule in table.rules.values()}
    if table.reference_yield is not None:  # the reference yield cites its own source
        used |= {table.reference_yield.source, table.reference_yield.fractions_source} - {""}
    assert used == {s.key for s in table.sources}


@pytest.mark.parametrize("crop_id", sorted(GROUPS))
def test_edges_and_improvements_are_plausible(crop_id: str) -> None:
    for char_id, rule in crop(crop_id).rules.items():
        if char_id == "temperature":
            assert isinstance(rule, NumericRule)
            assert all(10 <= e <= 40 for e in rule.edges), rule.edges
        if char_id == "ph_h2o":
            assert isinstance(rule, NumericRule)
            assert all(3 <= e <= 9 for e in rule.edges), rule.edges
            assert rule.improvement == 0 or rule.improves == "below"
        if char_id in ("temperature", "rainfall", "dry_months", "humidity", "texture",
                       "soil_depth", "peat_depth"):
            assert rule.improvement == 0, char_id
        if char_id == "drainage" and rule.improvement:
            assert isinstance(rule, CategoricalRule)
            assert not {"excessive", "somewhat_excessive", "well"} & set(rule.improves)


# -- padi gogo -------------------------------------------------------------------------------


def test_padi_gogo_spot_checks() -> None:
    # Djaenudin et al. 2011, Tabel persyaratan penggunaan lahan untuk padi gogo (Lampiran 2 of
    # the Sei Bamban thesis): temperatur rerata S1 24-29, S2 22-24 / 29-32, N < 18 / > 35 °C.
    assert bands("padi_gogo", "temperature", 1) == [(24, 29)]
    assert bands("padi_gogo", "temperature", 2) == [(22, 24), (29, 32)]
    assert bands("padi_gogo", "temperature", 4) == [(-INF, 18), (35, INF)]
    # Same table: kelembaban S1 33-90, S3 < 30 and > 90 %, no N.
    assert bands("padi_gogo", "humidity", 1) == [(33, 90)]
    assert bands("padi_gogo", "humidity", 3) == [(0, 30), (90, 100)]
    assert bands("padi_gogo", "humidity", 4) == []
    # Sys et al. 1993 / LUSET RICEUR SoilDpt 20, 50, 90 cm: S1 from 90, N below 20.
    assert bands("padi_gogo", "soil_depth", 1) == [(90, INF)]
    assert bands("padi_gogo", "soil_depth", 4) == [(0, 20)]
    # LUSET RICEUR pHH2O 4.5, 5.0, 5.5 / 7.5, 7.9, 8.2.
    assert numeric("padi_gogo", "ph_h2o").edges == (4.5, 5.0, 5.5, 7.5, 7.9, 8.2)
    # LUSET RICEUR Flood 1.5, 1.2, 1: a short flood (code 2) is already N.
    assert labels("padi_gogo", "flooding", 1) == {"F0"}
    assert labels("padi_gogo", "flooding", 4) == {"F1", "F2", "F3", "F4"}


# -- kacang tanah ----------------------------------------------------------------------------


def test_kacang_tanah_spot_checks() -> None:
    # Sys et al. 1993 / LUSET GROUNDNUTS TgAv 10, 14, 18 / 30, 34, 34.1 °C.
    assert bands("kacang_tanah", "temperature", 1) == [(18, 30)]
    assert bands("kacang_tanah", "temperature", 2) == [(14, 18), (30, 34)]
    assert bands("kacang_tanah", "temperature", 4) == [(-INF, 10), (34.1, INF)]
    # LUSET GROUNDNUTS CFragm 35, 15, 3 %: S1 below 3, N above 35.
    assert bands("kacang_tanah", "coarse_fragments", 1) == [(0, 3)]
    assert bands("kacang_tanah", "coarse_fragments", 4) == [(35, 100)]
    # LUSET GROUNDNUTS ECedS 8, 6, 4 dS/m and ESP 20, 15, 10 %.
    assert numeric("kacang_tanah", "salinity").edges == (4, 6, 8)
    assert numeric("kacang_tanah", "alkalinity").edges == (10, 15, 20)
    # LUSET GROUNDNUTS BS 34.9, 34.9, 35 %: S1 from 35, S2 below (empty S3/N cells).
    assert bands("kacang_tanah", "base_saturation", 2) == [(0, 35)]
    # LUSET GROUNDNUTS Drainage4 3, 2, 1: good S1, moderate S2, imperfect S3, poor N.
    assert labels("kacang_tanah", "drainage", 1) == {"well"}
    assert labels("kacang_tanah", "drainage", 4) == {"poor", "very_poor"}


# -- ubi kayu --------------------------------------------------------------------------------


def test_ubi_kayu_spot_checks() -> None:
    # FAO ECOCROP Manihot esculenta: optimum 20-29, absolute 10-35 °C; marginal zones halved
    # at (10+20)/2 = 15 and (29+35)/2 = 32 °C.
    assert bands("ubi_kayu", "temperature", 1) == [(20, 29)]
    assert bands("ubi_kayu", "temperature", 2) == [(15, 20), (29, 32)]
    assert bands("ubi_kayu", "temperature", 4) == [(-INF, 10), (35, INF)]
    # Sys et al. 1993 / LUSET CASSAVA WyAv 500, 600, 1000 / 2400 mm (nothing beyond S2).
    assert bands("ubi_kayu", "rainfall", 1) == [(1000, 2400)]
    assert bands("ubi_kayu", "rainfall", 2) == [(600, 1000), (2400, INF)]
    assert bands("ubi_kayu", "rainfall", 4) == [(0, 500)]
    # LUSET CASSAVA WmDryLen 7, 6, 5 / 1, 1.1 (sides swapped): S1 1-5 months, N beyond 7.
    assert bands("ubi_kayu", "dry_months", 1) == [(1, 5)]
    assert bands("ubi_kayu", "dry_months", 4) == [(7, 12)]
    # LUSET CASSAVA BS 20.1, 20.1, 20 % runs the wrong way: corrected to S1 from 20 %.
    assert bands("ubi_kayu", "base_saturation", 1) == [(20, 100)]
    assert bands("ubi_kayu", "base_saturation", 2) == [(0, 20)]
    # LUSET CASSAVA SoilDpt 50, 75, 100 cm.
    assert numeric("ubi_kayu", "soil_depth").edges == (50, 75, 100)


# -- ubi jalar -------------------------------------------------------------------------------


def test_ubi_jalar_spot_checks() -> None:
    # Sys et al. 1993 / LUSET POTATOSW TgAv 16, 20, 22 / 32, 35, 40 °C.
    assert bands("ubi_jalar", "temperature", 1) == [(22, 32)]
    assert bands("ubi_jalar", "temperature", 3) == [(16, 20), (35, 40)]
    # LUSET POTATOSW WyAv 400, 500, 650 / 1500, 1700 mm: S3 on both sides, no wet N.
    assert bands("ubi_jalar", "rainfall", 1) == [(650, 1500)]
    assert bands("ubi_jalar", "rainfall", 3) == [(400, 500), (1700, INF)]
    assert bands("ubi_jalar", "rainfall", 4) == [(0, 400)]
    # LUSET POTATOSW SoilDpt 30, 50, 75 cm; ECedS 10, 6, 3 dS/m.
    assert numeric("ubi_jalar", "soil_depth").edges == (30, 50, 75)
    assert bands("ubi_jalar", "salinity", 4) == [(10, INF)]
    # LUSET POTATOSW OC 0.9, 1.0, 2.0 %: S1 from 2, S3 below 1 (no N).
    assert bands("ubi_jalar", "c_organic", 1) == [(2.0, 100)]
    assert bands("ubi_jalar", "c_organic", 3) == [(0, 1.0)]


# -- sorgum ----------------------------------------------------------------------------------


def test_sorgum_spot_checks() -> None:
    # Sys et al. 1993 / LUSET SORGHUM TgAv 15, 18, 21 / 32, 32.1, 32.1 °C.
    assert bands("sorgum", "temperature", 1) == [(21, 32)]
    assert bands("sorgum", "temperature", 3) == [(15, 18)]
    assert bands("sorgum", "temperature", 4) == [(-INF, 15), (32.1, INF)]
    # LUSET SORGHUM WghAv 85.1, 85, 75 %: S1 up to 75, S2 75-85.
    assert bands("sorgum", "humidity", 1) == [(0, 75)]
    assert bands("sorgum", "humidity", 2) == [(75, 85)]
    # LUSET SORGHUM SoilDpt 10, 20, 50 cm; ECedS 16, 12, 8 dS/m; ESP 35, 28, 20 %.
    assert numeric("sorgum", "soil_depth").edges == (10, 20, 50)
    assert numeric("sorgum", "salinity").edges == (8, 12, 16)
    assert numeric("sorgum", "alkalinity").edges == (20, 28, 35)
    # LUSET SORGHUM Flood 3, 2, 1: no flood S1, short S2, long S3.
    assert [labels("sorgum", "flooding", k) for k in (1, 2, 3)] == [{"F0"}, {"F1"}, {"F2"}]


# -- jahe and kunyit ---------------------------------------------------------------------------


def test_jahe_spot_checks() -> None:
    # FAO ECOCROP Zingiber officinale: temperature optimum 19-29, absolute 13-35 °C
    # (halves at 16 and 32); rainfall optimum 1400-3000, absolute 700-4000 mm (halves at 1050
    # and 3500); pH optimum 6-7, absolute 4.3-7.5 (halves at 5.15 and 7.25).
    assert numeric("jahe", "temperature").edges == (13, 16, 19, 29, 32, 35)
    assert bands("jahe", "rainfall", 1) == [(1400, 3000)]
    assert bands("jahe", "rainfall", 4) == [(0, 700), (4000, INF)]
    assert numeric("jahe", "ph_h2o").edges == (4.3, 5.15, 6.0, 7.0, 7.25, 7.5)
    # ECOCROP: depth optimal 'medium (50-150 cm)', absolute 'shallow (20-50 cm)'.
    assert numeric("jahe", "soil_depth").edges == (20, 35, 50)
    # ECOCROP drainage: 'poorly' lies outside the absolute range ('well', 'excessive').
    assert labels("jahe", "drainage", 4) == {"poor", "very_poor"}
    assert labels("jahe", "drainage", 1) == {"well", "moderately_well"}
    # ECOCROP drainage: 'excessive' lies inside the absolute range only, so S3.
    assert labels("jahe", "drainage", 3) == {"somewhat_excessive", "excessive", "somewhat_poor"}
    # Flooding, an inference from ECOCROP drainage stated in the jahe notes (ECOCROP has no
    # flooding field; its absolute drainage range 'well', 'excessive' leaves out 'poorly'):
    # F0 S1, short flooding F1 S3, F2-F4 N.
    assert labels("jahe", "flooding", 1) == {"F0"}
    assert labels("jahe", "flooding", 3) == {"F1"}
    assert labels("jahe", "flooding", 4) == {"F2", "F3", "F4"}


def test_kunyit_spot_checks() -> None:
    # FAO ECOCROP Curcuma longa: temperature optimum 20-28, absolute 18-32 °C (halves at 19
    # and 30); rainfall optimum 1000-2000, absolute 800-3000 mm; pH optimum 6-7, absolute
    # 5.5-7.5.
    assert numeric("kunyit", "temperature").edges == (18, 19, 20, 28, 30, 32)
    assert bands("kunyit", "rainfall", 1) == [(1000, 2000)]
    assert bands("kunyit", "ph_h2o", 4) == [(0, 5.5), (7.5, 14)]
    # ECOCROP: depth optimal and absolute 'medium (50-150 cm)'; salinity 'low (< 4 dS/m)'.
    assert bands("kunyit", "soil_depth", 4) == [(0, 50)]
    assert bands("kunyit", "salinity", 4) == [(4, INF)]
    # ECOCROP drainage: optimal and absolute 'well (dry spells)' only.
    assert labels("kunyit", "drainage", 4) == {"somewhat_excessive", "excessive", "poor",
                                                "very_poor"}
    # Flooding, an inference from ECOCROP drainage stated in the kunyit notes (absolute range
    # 'well (dry spells)' only, no 'poorly'): F0 S1, F1 S3, F2-F4 N; drains and dykes gain one
    # class on flooded land only.
    assert labels("kunyit", "flooding", 1) == {"F0"}
    assert labels("kunyit", "flooding", 3) == {"F1"}
    assert labels("kunyit", "flooding", 4) == {"F2", "F3", "F4"}
    flooding = crop("kunyit").rules["flooding"]
    assert flooding.improvement == 1 and set(flooding.improves) == {"F1", "F2", "F3", "F4"}


def test_shared_2011_rows_match_the_tables_they_were_seen_in() -> None:
    # Djaenudin et al. 2011, kelapa sawit / jagung / kedelai: peat <60 / 60-140 / 140-200 /
    # >200 cm, surface stones 5/15/40 %, rock outcrop 5/15/25 %, erosion sangat ringan S1 ...
    # sangat berat N. The new tables take these rows as printed there.
    for crop_id in NEW:
        assert numeric(crop_id, "peat_depth").edges == (60, 140, 200)
        assert numeric(crop_id, "surface_stones").edges == (5, 15, 40)
        assert numeric(crop_id, "rock_outcrop").edges == (5, 15, 25)
        assert labels(crop_id, "erosion", 4) == {"very_severe"}


# -- the four first tables -----------------------------------------------------------------------


def test_padi_sawah_spot_checks() -> None:
    # Djaenudin et al. 2011, Tabel persyaratan penggunaan lahan untuk padi sawah irigasi:
    # temperatur S1 24-29 °C; lereng < 3 / 3-5 / 5-8 / > 8 %; C-organik > 1.5 / 0.8-1.5 / < 0.8.
    assert bands("padi_sawah", "temperature", 1) == [(24, 29)]
    assert numeric("padi_sawah", "slope").edges == (3, 5, 8)
    assert numeric("padi_sawah", "c_organic").edges == (0.8, 1.5)
    # Same table: drainage S1 agak terhambat, sedang; N cepat.
    assert labels("padi_sawah", "drainage", 1) == {"somewhat_poor", "moderately_well"}


def test_jagung_spot_checks() -> None:
    # Djaenudin et al. 2011, Tabel persyaratan penggunaan lahan untuk jagung: temperatur S1
    # 20-26, S3 16-20 / 30-32 °C; pH H2O S1 5.8-7.8; lereng 8 / 15 / 25 %.
    assert bands("jagung", "temperature", 1) == [(20, 26)]
    assert bands("jagung", "temperature", 3) == [(16, 20), (30, 32)]
    assert bands("jagung", "ph_h2o", 1) == [(5.8, 7.8)]
    assert numeric("jagung", "slope").edges == (8, 15, 25)


def test_kedelai_spot_checks() -> None:
    # Djaenudin et al. 2011, Tabel persyaratan penggunaan lahan untuk kedelai: temperatur S1
    # 23-25 °C; kelembaban S1 24-80 %; C-organik > 1.2 / 0.8-1.2 / < 0.8; genangan F0 S1, F1 S3.
    assert bands("kedelai", "temperature", 1) == [(23, 25)]
    assert bands("kedelai", "humidity", 1) == [(24, 80)]
    assert numeric("kedelai", "c_organic").edges == (0.8, 1.2)
    assert labels("kedelai", "flooding", 3) == {"F1"}


def test_kelapa_sawit_spot_checks() -> None:
    # Djaenudin et al. 2011, Tabel persyaratan penggunaan lahan untuk kelapa sawit: temperatur
    # S1 25-28 °C; curah hujan S1 1700-2500 mm; lama masa kering 2 / 3 / 4 bulan; lereng
    # 8 / 16 / 30 %.
    assert bands("kelapa_sawit", "temperature", 1) == [(25, 28)]
    assert bands("kelapa_sawit", "rainfall", 1) == [(1700, 2500)]
    assert numeric("kelapa_sawit", "dry_months").edges == (2, 3, 4)
    assert numeric("kelapa_sawit", "slope").edges == (8, 16, 30)


# -- cross-checks against the published tables (layers/crop_requirements) ------------------------


def luset_rows() -> dict[tuple[str, str], dict[str, str]]:
    return _read_luset()


@functools.cache
def _read_luset() -> dict[tuple[str, str], dict[str, str]]:
    with LUSET.open(encoding="utf-8") as fh:
        return {(r["crop_code"], r["code"]): r for r in csv.DictReader(fh)}


# (aez crop, characteristic, LUSET crop, LUSET factor, the LUSET limits that are all the edges)
# Rows read as printed; rows with an empty Sys cell (a limit repeated, or 0.1 beyond the one
# before) keep only the limits of the classes that remain.
FROM_SYS = [
    ("padi_gogo", "coarse_fragments", "RICEUR", "CFragm", ("s3_a", "s2_a", "s1_a")),
    ("padi_gogo", "soil_depth", "RICEUR", "SoilDpt", ("s3_a", "s2_a", "s1_a")),
    ("padi_gogo", "cec_clay", "RICEUR", "CECc", ("s3_a", "s2_a", "s1_a")),
    ("padi_gogo", "base_saturation", "RICEUR", "BS", ("s2_a", "s1_a")),
    ("padi_gogo", "ph_h2o", "RICEUR", "pHH2O", ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b", "s3_b")),
    ("padi_gogo", "c_organic", "RICEUR", "OC", ("s2_a", "s1_a")),
    ("padi_gogo", "slope", "RICEUR", "Slope2", ("s3_a", "s2_a", "s1_a")),
    ("kacang_tanah", "temperature", "GROUNDNUTS", "TgAv",
     ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b", "s3_b")),
    ("kacang_tanah", "coarse_fragments", "GROUNDNUTS", "CFragm", ("s3_a", "s2_a", "s1_a")),
    ("kacang_tanah", "soil_depth", "GROUNDNUTS", "SoilDpt", ("s3_a", "s2_a", "s1_a")),
    ("kacang_tanah", "base_saturation", "GROUNDNUTS", "BS", ("s1_a",)),
    ("kacang_tanah", "ph_h2o", "GROUNDNUTS", "pHH2O",
     ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b", "s3_b")),
    ("kacang_tanah", "c_organic", "GROUNDNUTS", "OC", ("s2_a", "s1_a")),
    ("kacang_tanah", "salinity", "GROUNDNUTS", "ECedS", ("s3_a", "s2_a", "s1_a")),
    ("kacang_tanah", "alkalinity", "GROUNDNUTS", "ESP", ("s3_a", "s2_a", "s1_a")),
    ("kacang_tanah", "slope", "GROUNDNUTS", "Slope3", ("s3_a", "s2_a", "s1_a")),
    ("ubi_kayu", "rainfall", "CASSAVA", "WyAv", ("s3_a", "s2_a", "s1_a", "s1_b")),
    ("ubi_kayu", "coarse_fragments", "CASSAVA", "CFragm2", ("s3_a", "s2_a", "s1_a")),
    ("ubi_kayu", "soil_depth", "CASSAVA", "SoilDpt", ("s3_a", "s2_a", "s1_a")),
    ("ubi_kayu", "cec_clay", "CASSAVA", "CECc", ("s1_a",)),
    ("ubi_kayu", "base_saturation", "CASSAVA", "BS", ("s1_a",)),
    ("ubi_kayu", "ph_h2o", "CASSAVA", "pHH2O", ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b", "s3_b")),
    ("ubi_kayu", "c_organic", "CASSAVA", "OC", ("s1_a",)),
    ("ubi_kayu", "salinity", "CASSAVA", "ECedS", ("s3_a", "s2_a", "s1_a")),
    ("ubi_kayu", "slope", "CASSAVA", "Slope3", ("s3_a", "s2_a", "s1_a")),
    ("ubi_jalar", "temperature", "POTATOSW", "TgAv",
     ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b", "s3_b")),
    ("ubi_jalar", "rainfall", "POTATOSW", "WyAv", ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b")),
    ("ubi_jalar", "coarse_fragments", "POTATOSW", "CFragm", ("s3_a", "s2_a", "s1_a")),
    ("ubi_jalar", "soil_depth", "POTATOSW", "SoilDpt", ("s3_a", "s2_a", "s1_a")),
    ("ubi_jalar", "cec_clay", "POTATOSW", "CECc", ("s1_a",)),
    ("ubi_jalar", "base_saturation", "POTATOSW", "BS", ("s2_a", "s1_a")),
    ("ubi_jalar", "ph_h2o", "POTATOSW", "pHH2O",
     ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b", "s3_b")),
    ("ubi_jalar", "c_organic", "POTATOSW", "OC", ("s2_a", "s1_a")),
    ("ubi_jalar", "salinity", "POTATOSW", "ECedS", ("s3_a", "s2_a", "s1_a")),
    ("ubi_jalar", "alkalinity", "POTATOSW", "ESP", ("s3_a", "s2_a", "s1_a")),
    ("ubi_jalar", "slope", "POTATOSW", "Slope3", ("s3_a", "s2_a", "s1_a")),
    ("sorgum", "temperature", "SORGHUM", "TgAv", ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b")),
    ("sorgum", "humidity", "SORGHUM", "WghAv", ("s3_a", "s2_a", "s1_a")),
    ("sorgum", "coarse_fragments", "SORGHUM", "CFragm", ("s3_a", "s2_a", "s1_a")),
    ("sorgum", "soil_depth", "SORGHUM", "SoilDpt", ("s3_a", "s2_a", "s1_a")),
    ("sorgum", "cec_clay", "SORGHUM", "CECc", ("s1_a",)),
    ("sorgum", "base_saturation", "SORGHUM", "BS", ("s2_a", "s1_a")),
    ("sorgum", "ph_h2o", "SORGHUM", "pHH2O", ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b", "s3_b")),
    ("sorgum", "c_organic", "SORGHUM", "OC6", ("s1_a",)),
    ("sorgum", "salinity", "SORGHUM", "ECedS", ("s3_a", "s2_a", "s1_a")),
    ("sorgum", "alkalinity", "SORGHUM", "ESP", ("s3_a", "s2_a", "s1_a")),
    ("sorgum", "slope", "SORGHUM", "Slope3", ("s3_a", "s2_a", "s1_a")),
]


@pytest.mark.parametrize(("crop_id", "char_id", "code", "factor", "limits"), FROM_SYS,
                         ids=[f"{c}.{k}" for c, k, *_ in FROM_SYS])
def test_rows_from_sys_1993_match_the_luset_table(crop_id: str, char_id: str, code: str,
                                                  factor: str, limits: tuple[str, ...]) -> None:
    row = luset_rows()[(code, factor)]
    theirs = {float(row[name]) for name in limits}
    assert set(numeric(crop_id, char_id).edges) == theirs


def ecocrop_row(name: str) -> dict[str, str]:
    with ECOCROP.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["ScientificName"] == name:
                return row
    raise AssertionError(f"{name} not in {ECOCROP}")


# (aez crop, characteristic, ECOCROP species, absolute min, optimal min, optimal max, abs. max)
FROM_ECOCROP = [
    ("jahe", "temperature", "Zingiber officinale", "TMIN", "TOPMN", "TOPMX", "TMAX"),
    ("jahe", "rainfall", "Zingiber officinale", "RMIN", "ROPMN", "ROPMX", "RMAX"),
    ("jahe", "ph_h2o", "Zingiber officinale", "PHMIN", "PHOPMN", "PHOPMX", "PHMAX"),
    ("kunyit", "temperature", "Curcuma longa", "TMIN", "TOPMN", "TOPMX", "TMAX"),
    ("kunyit", "rainfall", "Curcuma longa", "RMIN", "ROPMN", "ROPMX", "RMAX"),
    ("kunyit", "ph_h2o", "Curcuma longa", "PHMIN", "PHOPMN", "PHOPMX", "PHMAX"),
    ("ubi_kayu", "temperature", "Manihot esculenta", "TMIN", "TOPMN", "TOPMX", "TMAX"),
]


@pytest.mark.parametrize(("crop_id", "char_id", "species", "amin", "omin", "omax", "amax"),
                         FROM_ECOCROP, ids=[f"{c}.{k}" for c, k, *_ in FROM_ECOCROP])
def test_rows_from_ecocrop_follow_its_ranges(crop_id: str, char_id: str, species: str,
                                             amin: str, omin: str, omax: str,
                                             amax: str) -> None:
    row = ecocrop_row(species)
    a, b, c, d = (float(row[k]) for k in (amin, omin, omax, amax))
    # S1 the optimal range, S2/S3 the halves of each marginal zone, N beyond the absolute one.
    assert numeric(crop_id, char_id).edges == pytest.approx((a, (a + b) / 2, b, c, (c + d) / 2,
                                                             d))
    assert numeric(crop_id, char_id).classes == (4, 3, 2, 1, 2, 3, 4)
