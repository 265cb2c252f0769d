"""Crop requirement tables: the shipped tables validate, bad tables are refused with the file
and key in the message, and user tables override built-in ones (logged).

The bad tables are small TOML strings written to a temporary folder. Where the shipped tables
say a row agrees with Sys et al. (1993) as tabulated in LUSET/ALUES, the test reads that table
(``layers/crop_requirements/``, see ``layers/PROVENANCE.md``) and compares.
"""

from __future__ import annotations

import csv
import logging
import math
from pathlib import Path

import pytest

from aez.crops import (
    BUILTIN_DIR,
    CategoricalRule,
    NumericRule,
    crop_ids,
    load_crop,
    load_crops,
    read_crop_file,
)
from aez.errors import ConfigError
from aez.testing import real_layer

LUSET = real_layer("crop_requirements/alues_luset_crop_requirements_long.csv")

HEAD = """\
id = "uji"
name_id = "Tanaman uji"
name_en = "Test crop"
scientific_name = "Planta testis"
group = "food"
sources = [{ key = "buku", citation = "A published book (2011)." }]
"""

SLOPE_OK = """
[characteristics.slope]
units = "%"
S1 = [0, 8]
S2 = [8, 15]
S3 = [15, 25]
N = [25, inf]
source = "buku"
"""

DRAINAGE_OK = """
[characteristics.drainage]
S1 = ["well", "moderately_well"]
S2 = ["somewhat_poor"]
S3 = ["poor", "somewhat_excessive"]
N = ["very_poor", "excessive"]
source = "buku"
"""


def write(folder: Path, name: str, body: str, head: str = HEAD) -> Path:
    path = folder / name
    path.write_text(head + body, encoding="utf-8")
    return path


# -- the shipped tables ----------------------------------------------------------------------


def test_the_four_first_crops_are_shipped() -> None:
    assert {"padi_sawah", "jagung", "kelapa_sawit", "kedelai"} <= set(crop_ids())


@pytest.mark.parametrize("crop_id", crop_ids())
def test_every_shipped_table_validates_and_cites_its_sources(crop_id: str) -> None:
    crop = load_crop(crop_id)
    assert crop.id == crop_id
    assert crop.path == BUILTIN_DIR / f"{crop_id}.toml"
    assert crop.notes.strip(), "each table explains its choices in `notes`"
    keys = {s.key for s in crop.sources}
    assert "djaenudin2011" in keys
    for char_id, rule in crop.rules.items():
        assert rule.source in keys, char_id
        assert rule.note, f"{crop_id}.{char_id} has no note"
        assert 0 <= rule.improvement <= 1, f"{crop_id}.{char_id}: one class at most"


def test_shipped_tables_stay_readable() -> None:
    for path in sorted(BUILTIN_DIR.glob("*.toml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "citation" not in line:
                assert len(line) <= 100, f"{path.name}:{number} is {len(line)} characters"


def test_load_crops_reads_several_and_refuses_repeats() -> None:
    crops = load_crops(["padi_sawah", "kelapa_sawit"])
    assert [c.id for c in crops] == ["padi_sawah", "kelapa_sawit"]
    with pytest.raises(ConfigError, match="'jagung' is listed twice"):
        load_crops(["jagung", "kedelai", "jagung"])


def luset_rows() -> dict[tuple[str, str], dict[str, str]]:
    with LUSET.open(encoding="utf-8") as fh:
        return {(r["crop_code"], r["code"]): r for r in csv.DictReader(fh)}


# (aez crop, characteristic, LUSET crop, LUSET factor, LUSET limits that must be aez edges,
#  True when they must be all of them)
AGREES_WITH_SYS = [
    ("padi_sawah", "coarse_fragments", "RICEIW", "CFragm", ("s3_a", "s2_a", "s1_a"), True),
    ("padi_sawah", "salinity", "RICEIW", "ECedS", ("s3_a", "s2_a", "s1_a"), True),
    ("padi_sawah", "alkalinity", "RICEIW", "ESP", ("s3_a", "s2_a", "s1_a"), True),
    ("padi_sawah", "base_saturation", "RICEIW", "BS", ("s2_a", "s1_a"), True),
    ("padi_sawah", "c_organic", "RICEIW", "OC", ("s2_a", "s1_a"), True),
    ("jagung", "coarse_fragments", "MAIZE", "CFragm", ("s3_a", "s2_a", "s1_a"), True),
    ("jagung", "salinity", "MAIZE", "ECedS", ("s3_a", "s2_a", "s1_a"), True),
    ("jagung", "alkalinity", "MAIZE", "ESP", ("s3_a", "s2_a", "s1_a"), True),
    ("jagung", "humidity", "MAIZE", "WmhAv2", ("s3_a", "s2_a", "s1_a"), True),
    ("jagung", "base_saturation", "MAIZE", "BS", ("s2_a", "s1_a"), True),
    ("jagung", "ph_h2o", "MAIZE", "pHH2O", ("s2_a", "s1_a", "s1_b", "s2_b"), True),
    ("kelapa_sawit", "rainfall", "OILPALM", "WyAv", ("s3_a", "s2_a", "s1_a"), False),
    ("kelapa_sawit", "dry_months", "OILPALM", "WmDryLen", ("s3_a", "s2_a", "s1_a"), True),
    ("kelapa_sawit", "coarse_fragments", "OILPALM", "CFragm2", ("s3_a", "s2_a", "s1_a"), True),
    ("kelapa_sawit", "soil_depth", "OILPALM", "SoilDpt", ("s3_a", "s2_a", "s1_a"), True),
    ("kelapa_sawit", "cec_clay", "OILPALM", "CECc", ("s1_a",), True),
    ("kelapa_sawit", "base_saturation", "OILPALM", "BS", ("s1_a",), True),
    ("kelapa_sawit", "ph_h2o", "OILPALM", "pHH2O", ("s2_a", "s1_a", "s1_b", "s2_b"), True),
    ("kelapa_sawit", "c_organic", "OILPALM", "OC", ("s1_a",), True),
    ("kelapa_sawit", "salinity", "OILPALM", "ECedS", ("s3_a", "s2_a", "s1_a"), True),
    ("kelapa_sawit", "slope", "OILPALM", "Slope", ("s3_a", "s2_a", "s1_a"), True),
    ("kedelai", "coarse_fragments", "SOYA", "CFragm", ("s3_a", "s2_a", "s1_a"), True),
    ("kedelai", "soil_depth", "SOYA", "SoilDpt", ("s3_a", "s2_a", "s1_a"), True),
    ("kedelai", "base_saturation", "SOYA", "BS", ("s2_a", "s1_a"), True),
    ("kedelai", "c_organic", "SOYA", "OC", ("s2_a", "s1_a"), True),
    ("kedelai", "salinity", "SOYA", "ECedS", ("s3_a", "s2_a", "s1_a"), True),
    ("kedelai", "alkalinity", "SOYA", "ESP", ("s3_a", "s2_a", "s1_a"), True),
]


@pytest.mark.parametrize(("crop_id", "char_id", "code", "factor", "limits", "exact"),
                         AGREES_WITH_SYS, ids=[f"{c}.{k}" for c, k, *_ in AGREES_WITH_SYS])
def test_rows_that_agree_with_sys_1993_match_the_luset_table(
        crop_id: str, char_id: str, code: str, factor: str, limits: tuple[str, ...],
        exact: bool) -> None:
    row = luset_rows()[(code, factor)]
    theirs = {float(row[name]) for name in limits}
    rule = load_crop(crop_id).rules[char_id]
    assert isinstance(rule, NumericRule)
    ours = set(rule.edges)
    assert theirs <= ours, f"LUSET {code}.{factor} {sorted(theirs)} vs edges {sorted(ours)}"
    if exact:
        assert theirs == ours


def test_categorical_tables_rate_every_label() -> None:
    # Drainage of irrigated rice: agak terhambat and sedang are S1, cepat is N (BBSDLP).
    rule = load_crop("padi_sawah").rules["drainage"]
    assert isinstance(rule, CategoricalRule)
    assert rule.classes["somewhat_poor"] == rule.classes["moderately_well"] == 1
    assert rule.classes["excessive"] == 4
    # Maize: F0 S1, F1 S3, deeper flooding N.
    flooding = load_crop("jagung").rules["flooding"]
    assert [flooding.classes[f] for f in ("F0", "F1", "F2", "F3", "F4")] == [1, 3, 4, 4, 4]


# -- bad tables ----------------------------------------------------------------------------------

BAD_TABLES = {
    "overlapping bands": (
        SLOPE_OK.replace("S2 = [8, 15]", "S2 = [6, 15]"),
        "characteristics.slope", r"bands overlap: S1 \[0, 8\] and S2 \[6, 15\]"),
    "gapped bands": (
        SLOPE_OK.replace("S2 = [8, 15]", "S2 = [9, 15]"),
        "characteristics.slope", r"gap between S1 \[0, 8\] and S2 \[9, 15\]"),
    "bands short of the domain": (
        SLOPE_OK.replace("N = [25, inf]\n", ""),
        "characteristics.slope", r"bands cover \[0, 25\] but the characteristic ranges over "
                                 r"\[0, inf\]"),
    "domain of a percentage": (
        SLOPE_OK.replace("slope", "coarse_fragments").replace("N = [25, inf]", "N = [25, 90]"),
        "characteristics.coarse_fragments", r"ranges over \[0, 100\]"),
    "unknown units": (
        SLOPE_OK.replace('units = "%"', 'units = "furlongs"'),
        "characteristics.slope", "Unknown units 'furlongs'"),
    "slope in degrees": (
        SLOPE_OK.replace('units = "%"', 'units = "degrees"'),
        "characteristics.slope", "units = 'degrees', but 'slope' is measured in '%'"),
    "missing units": (
        SLOPE_OK.replace('units = "%"\n', ""),
        "characteristics.slope", "`units` is missing"),
    "unknown characteristic": (
        SLOPE_OK.replace("slope", "ph_h20"),
        "characteristics.ph_h20", "unknown land characteristic 'ph_h20'. Did you mean 'ph_h2o'"),
    "unknown label": (
        DRAINAGE_OK.replace('"moderately_well"]', '"moderately_well", "baik"]'),
        "characteristics.drainage", "unknown drainage class 'baik' in S1. Allowed: excessive, "
                                    "somewhat_excessive, well, moderately_well"),
    "label in two bands": (
        DRAINAGE_OK.replace('S2 = ["somewhat_poor"]', 'S2 = ["somewhat_poor", "well"]'),
        "characteristics.drainage", "class 'well' appears in both S1 and S2"),
    "label in no band": (
        DRAINAGE_OK.replace('"poor", "somewhat_excessive"', '"poor"'),
        "characteristics.drainage", r"classes \['somewhat_excessive'\] are in no band"),
    "undeclared source": (
        SLOPE_OK.replace('source = "buku"', 'source = "djaenudin2011"'),
        "characteristics.slope", "source = 'djaenudin2011' is not among the table's sources "
                                 r"\['buku'\]"),
    "no source": (
        SLOPE_OK.replace('source = "buku"\n', ""),
        "characteristics.slope", "Every band must cite a source"),
    "a worse pocket inside better land": (
        SLOPE_OK.replace("S2 = [8, 15]", "S3 = [8, 15]").replace("S3 = [15, 25]",
                                                                 "S2 = [15, 25]"),
        "characteristics.slope", "S1 → S3 → S2 → N"),
    "categorical with units": (
        DRAINAGE_OK.replace('source = "buku"', 'units = "cm"\nsource = "buku"'),
        "characteristics.drainage", "categorical and takes no units"),
    "improvement out of range": (
        SLOPE_OK.replace('source = "buku"', 'improvement = 5\nsource = "buku"'),
        "characteristics.slope", "improvement = 5"),
    "misspelt rule key": (
        SLOPE_OK.replace('source = "buku"', 'sorce = "buku"'),
        "characteristics.slope", "unknown key 'sorce'. Did you mean 'source'"),
}


@pytest.mark.parametrize("case", list(BAD_TABLES))
def test_bad_table_is_refused_naming_file_and_key(tmp_path: Path, case: str) -> None:
    body, key, message = BAD_TABLES[case]
    path = write(tmp_path, "uji.toml", body)
    with pytest.raises(ConfigError, match=message) as caught:
        read_crop_file(path)
    text = str(caught.value)
    assert str(path) in text
    assert f"[{key}]" in text


def test_the_good_tables_above_are_valid(tmp_path: Path) -> None:
    # The bad tables are one edit away from these, so each failure above is that edit's.
    crop = read_crop_file(write(tmp_path, "uji.toml", SLOPE_OK + DRAINAGE_OK))
    assert crop.rules["slope"].edges == (8.0, 15.0, 25.0)
    assert crop.rules["drainage"].classes["somewhat_poor"] == 2


def test_bad_top_level_entries_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "uji.toml", SLOPE_OK, head=HEAD.replace('"food"', '"snacks"'))
    with pytest.raises(ConfigError, match="group = 'snacks'") as caught:
        read_crop_file(path)
    assert str(path) in str(caught.value)
    path = write(tmp_path, "uji.toml", "", head=HEAD)
    with pytest.raises(ConfigError, match=r"needs a \[characteristics\.\*\] table"):
        read_crop_file(path)
    path = write(tmp_path, "uji.toml", "S1 = [0, 8\n", head=HEAD)
    with pytest.raises(ConfigError, match="not valid TOML"):
        read_crop_file(path)


# -- load_crop: ids, paths, user folders -----------------------------------------------------


@pytest.mark.parametrize(("typed", "suggested"), [("jagungg", "'jagung'"),
                                                  ("padi_sawa", "'padi_sawah'"),
                                                  ("kelapa sawit", "'kelapa_sawit'")])
def test_unknown_crop_id_suggests_close_matches(typed: str, suggested: str) -> None:
    with pytest.raises(ConfigError, match=f"Unknown crop '{typed}'. Did you mean {suggested}"):
        load_crop(typed)


def test_a_table_can_be_loaded_by_path(tmp_path: Path) -> None:
    crop = load_crop(write(tmp_path, "uji.toml", SLOPE_OK))
    assert crop.id == "uji" and crop.path == tmp_path / "uji.toml"


def test_user_folder_adds_crops_and_overrides_builtins_with_a_log(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    builtin = (BUILTIN_DIR / "jagung.toml").read_text(encoding="utf-8")
    local = builtin.replace('name_en = "Maize"', 'name_en = "Maize (local varieties)"')
    assert local != builtin
    (tmp_path / "jagung.toml").write_text(local, encoding="utf-8")
    write(tmp_path, "uji.toml", SLOPE_OK)

    assert load_crop("jagung").name_en == "Maize"
    with caplog.at_level(logging.INFO, logger="aez.crops"):
        crop = load_crop("jagung", crop_dirs=[tmp_path])
    assert crop.name_en == "Maize (local varieties)"
    assert crop.path == tmp_path / "jagung.toml"
    logged = [r.getMessage() for r in caplog.records if r.name == "aez.crops"]
    assert any("overrides" in m and str(tmp_path / "jagung.toml") in m for m in logged)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="aez.crops"):
        load_crops(["jagung", "uji", "padi_sawah"], crop_dirs=[tmp_path])
    logged = [r.getMessage() for r in caplog.records if "overrides" in r.getMessage()]
    assert len(logged) == 1  # said once, for the crop that is overridden
    assert "uji" in crop_ids([tmp_path]) and "uji" not in crop_ids()
    assert load_crop("uji", crop_dirs=[tmp_path]).rules["slope"].edges == (8.0, 15.0, 25.0)


def test_user_table_whose_id_differs_from_its_file_name_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "jagung_lokal.toml", SLOPE_OK)  # id = "uji"
    with pytest.raises(ConfigError, match="id = 'uji' differs from the file name"):
        load_crop("jagung_lokal", crop_dirs=[tmp_path])


def test_open_bands_reach_infinity() -> None:
    # The open outer bands of the shipped tables are written as inf and survive parsing.
    rule = load_crop("kelapa_sawit").rules["rainfall"]
    assert isinstance(rule, NumericRule)
    assert rule.bounds[-1] == (4000.0, math.inf)
    assert rule.classes == (4, 3, 2, 1, 2, 3, 4)
