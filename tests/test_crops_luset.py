"""The LUSET/ALUES long table: reading it, and finding rows whose limits are not ordered.

Small tables are written by hand here, each row with the reason it is (in)consistent; the
real table is read from ``layers/crop_requirements/`` (see ``layers/PROVENANCE.md``).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from aez.crops.luset import LIMITS, luset_inconsistencies, read_luset
from aez.errors import ConfigError, DataSourceError
from aez.testing import real_layer

LUSET = real_layer("crop_requirements/alues_luset_crop_requirements_long.csv")

HEADER = ("crop_code,group,crop_title,code,s3_a,s2_a,s1_a,s1_b,s2_b,s3_b,wts,"
          "factor_description\n")
nan = math.nan


def table(*rows: tuple) -> pd.DataFrame:
    """(crop_code, code, s3_a, s2_a, s1_a, s1_b, s2_b, s3_b) rows as a frame."""
    return pd.DataFrame([dict(zip(("crop_code", "code", *LIMITS), r, strict=True))
                         for r in rows])


def suggested(found: pd.DataFrame, i: int = 0) -> list[float]:
    return [found[f"suggested_{c}"].iloc[i] for c in LIMITS]


def same(a: list[float], b: list[float]) -> bool:
    return all((math.isnan(x) and math.isnan(y)) or x == y for x, y in zip(a, b, strict=True))


# -- luset_inconsistencies on hand-made rows ------------------------------------------------

CONSISTENT = [
    ("MAIZE", "BS", 20.0, 35.0, 50.0, nan, nan, nan),          # more is better, rising: fine
    ("MAIZE", "CFragm", 55.0, 35.0, 15.0, nan, nan, nan),      # less is better, falling: fine
    ("MAIZE", "pHH2O", 5.2, 5.5, 5.8, 7.5, 7.8, 8.2),          # both sides rise outwards
    ("OILPALM", "CECc", 16.0, 16.0, 16.0, nan, nan, nan),      # equal limits: empty classes
    ("AVOCADO", "WyAv", 750.0, 1000.0, 1200.0, 2000.0, nan, nan),  # one upper limit only
    ("PAPAYA", "pHH2O", 5.0, 5.5, 6.0, 6.6, 6.6, 6.6),         # flat upper side: empty S2/S3
    ("TEA", "TmMaxXm", 36.0, 34.0, 30.0, nan, nan, nan),       # no known better side: either way
    ("MAIZE", "Drainage5", 4.0, 1.0, 2.0, nan, nan, nan),      # class codes are not thresholds
]


def test_consistent_rows_are_not_listed() -> None:
    found = luset_inconsistencies(table(*CONSISTENT))
    assert found.empty, found[["crop_code", "code", "kind"]]
    assert list(found.columns[:5]) == ["crop_code", "code", "kind", "problem", "correction"]


def test_reversed_one_sided_row_is_listed_with_its_reversal() -> None:
    # Base saturation: more is better. 80, 50, 35 falls towards S1; reversed: 35, 50, 80.
    found = luset_inconsistencies(table(CONSISTENT[0], ("RUBBER", "BS", 80.0, 50.0, 35.0,
                                                        nan, nan, nan)))
    assert found["crop_code"].tolist() == ["RUBBER"]
    assert found["kind"].iloc[0] == "reversed"
    assert "more is better" in found["problem"].iloc[0]
    assert same(suggested(found), [35.0, 50.0, 80.0, nan, nan, nan])
    assert "s3_a, s2_a, s1_a = 35, 50, 80" in found["correction"].iloc[0]
    # The limits as read are kept next to the suggestion.
    assert [found[c].iloc[0] for c in LIMITS[:3]] == [80.0, 50.0, 35.0]


def test_reversed_row_where_less_is_better() -> None:
    # ESP: less is better, so the limits must fall towards S1; 0, 0, 15 rises.
    found = luset_inconsistencies(table(("CASHEW", "ESP", 0.0, 0.0, 15.0, nan, nan, nan)))
    assert found["kind"].tolist() == ["reversed"]
    assert "less is better" in found["problem"].iloc[0]
    assert same(suggested(found), [15.0, 0.0, 0.0, nan, nan, nan])


def test_non_monotone_row_is_sorted_the_way_its_outer_limits_run() -> None:
    # 3.9, 4.0, 2: up then down. From s3_a (3.9) to s1_a (2) the side falls, so sorted
    # falling: 4.0, 3.9, 2.
    found = luset_inconsistencies(table(("RUBBER", "WmER", 3.9, 4.0, 2.0, nan, nan, nan)))
    assert found["kind"].tolist() == ["not monotone"]
    assert "go up and down" in found["problem"].iloc[0]
    assert same(suggested(found), [4.0, 3.9, 2.0, nan, nan, nan])


def test_non_monotone_upper_side_is_sorted_rising() -> None:
    found = luset_inconsistencies(table(("X", "TgAv", 10.0, 12.0, 14.0, 20.0, 26.0, 24.0)))
    assert found["kind"].tolist() == ["not monotone"]
    assert same(suggested(found), [10.0, 12.0, 14.0, 20.0, 24.0, 26.0])


def test_swapped_sides_are_exchanged() -> None:
    # Lower limits 39, 36, 33 fall and sit above the upper ones 19, 16, 13: the upper side
    # came first. Exchanging sK_a and sK_b gives 13, 16, 19 / 33, 36, 39.
    found = luset_inconsistencies(table(("CITRUS", "TyAv", 39.0, 36.0, 33.0, 19.0, 16.0,
                                         13.0)))
    assert found["kind"].tolist() == ["sides swapped"]
    assert same(suggested(found), [13.0, 16.0, 19.0, 33.0, 36.0, 39.0])


def test_falling_lower_side_of_a_two_sided_row_is_reversed() -> None:
    # 50.1, 50.1, 50 falls, but stays below the upper limits 90…: not a swap, a reversal.
    found = luset_inconsistencies(table(("CITRUS", "WmhAv3", 50.1, 50.1, 50.0, 90.0, 90.1,
                                         90.1)))
    assert found["kind"].tolist() == ["reversed"]
    assert same(suggested(found), [50.0, 50.1, 50.1, 90.0, 90.1, 90.1])


def test_bad_frames_are_refused() -> None:
    with pytest.raises(ConfigError, match=r"lacks the columns \['s3_b'\]"):
        luset_inconsistencies(table(CONSISTENT[0]).drop(columns="s3_b"))
    with pytest.raises(ConfigError, match="MAIZE BS s2_a = 'many' is not a number"):
        luset_inconsistencies(table(("MAIZE", "BS", 20.0, "many", 50.0, nan, nan, nan)))


# -- read_luset ----------------------------------------------------------------------------------


def test_read_luset_parses_limits_and_blank_cells(tmp_path: Path) -> None:
    path = tmp_path / "luset.csv"
    path.write_text(HEADER
                    + "MAIZE,Soil,Maize,BS,20.0,35.0,50.0,,,,2.0,Base Saturation (\\%)\n"
                    + "MILLETS,Soil,Millets,SumBCs,1.9,2.0,        ,,,,,Sum of basic cations\n"
                    + 'RUBBER,Terrain,Rubber,Flood,1.5,1.2,1,,,,,"Flooding (1 - No Flood)"\n',
                    encoding="utf-8")
    frame = read_luset(path)
    assert frame["crop_code"].tolist() == ["MAIZE", "MILLETS", "RUBBER"]
    assert frame.loc[0, ["s3_a", "s2_a", "s1_a"]].tolist() == [20.0, 35.0, 50.0]
    assert frame.loc[0, "wts"] == 2.0
    assert math.isnan(frame.loc[1, "s1_a"])  # a blank cell is missing, not an error
    assert frame.loc[2, "factor_description"] == "Flooding (1 - No Flood)"
    assert frame["s3_b"].isna().all()


def test_read_luset_refuses_bad_files(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="Cannot read the LUSET table"):
        read_luset(tmp_path / "missing.csv")
    path = tmp_path / "short.csv"
    path.write_text("crop_code,code,s3_a\nMAIZE,BS,20\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match="lacks the LUSET columns"):
        read_luset(path)
    path = tmp_path / "word.csv"
    path.write_text(HEADER + "MAIZE,Soil,Maize,BS,20.0,thirty,50.0,,,,,BS\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match=r"line 2 \(MAIZE BS\): s2_a = 'thirty'"):
        read_luset(path)


# -- the real table ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    return read_luset(LUSET)


def test_real_table_reads_whole(real: pd.DataFrame) -> None:
    assert len(real) == 1273  # 1274 lines, one of them the header
    assert real["crop_code"].nunique() == 56  # the data README: 56 crops


def test_real_table_flags_the_reversed_rubber_base_saturation(real: pd.DataFrame) -> None:
    found = luset_inconsistencies(real).set_index(["crop_code", "code"])
    rubber = found.loc[("RUBBER", "BS")]
    assert rubber["kind"] == "reversed"
    # As printed 80, 50, 35 %; base saturation rises towards S1 for the other crops.
    assert [rubber[f"suggested_{c}"] for c in ("s3_a", "s2_a", "s1_a")] == [35.0, 50.0, 80.0]
    assert found.loc[("CITRUS", "TyAv"), "kind"] == "sides swapped"
    assert found.loc[("RUBBER", "WmER"), "kind"] == "not monotone"
    # The rows the shipped tables say agree with Sys et al. are not among them.
    for key in [("OILPALM", "BS"), ("MAIZE", "pHH2O"), ("SOYA", "SoilDpt"), ("RICEIW", "ESP")]:
        assert key not in found.index


# Every flagged row of the ALUES table, read by hand (docs/crops.md lists how the shipped tables
# use them): (crop, factor) → kind, with the printed limits.
FLAGGED = {
    ("BEANS", "Slope3"): "not monotone",        # 30, 16, 18 %
    ("RUBBER", "WmER"): "not monotone",         # 3.9, 4, 2 months
    ("CASSAVA", "WmDryLen"): "sides swapped",   # 7, 6, 5 / 1, 1.1 months
    ("CITRUS", "TyAv"): "sides swapped",        # 39, 36, 33 / 19, 16, 13 °C
    ("CITRUS", "WmDryLen"): "sides swapped",    # 6, 5, 4 / 0, 0, 0 months
    ("CITRUS", "WmhAv4"): "sides swapped",      # 90.1, 90, 70 / 30, 29.9, 29.9 %
    ("MANGO", "WmDryLen"): "sides swapped",     # 8, 7, 6 / 3, 2, 1 months
    ("MANGO", "WyhAv"): "sides swapped",        # 80.1 ×3 / 42, 36, 30 %
    ("MILLETS", "TgMinAv"): "sides swapped",    # 20.1, 20.1, 20 / 14, 12, 10 °C
    ("SESAME", "TgMaxAv"): "sides swapped",     # 42, 40, 38 / 25, 15, 15 °C
    ("CITRUS", "WmhAv3"): "reversed",           # 50.1, 50.1, 50 / 90, 90.1, 90.1 %: lower falls
    ("CASHEW", "ESP"): "reversed",              # 0, 0, 15 %: less sodium is better
    ("CASSAVA", "BS"): "reversed",              # 20.1, 20.1, 20 %: more bases are better
    ("CASSAVA", "OC"): "reversed",              # 0.9, 0.9, 0.8 %
    ("CASSAVA", "SumBCs"): "reversed",          # 2.1, 2.1, 2 cmol/kg
    ("POTATO", "SoilDpt1"): "reversed",         # 55, 35, 15 cm: deeper soil is better
    ("RUBBER", "BS"): "reversed",               # 80, 50, 35 %
    ("RUBBER", "SumBCs"): "reversed",           # 6.5, 4, 3.2 cmol/kg
    ("TEA", "BS"): "reversed",                  # 50, 35, 15 %
}


def test_real_table_flags_exactly_the_rows_read_by_hand(real: pd.DataFrame) -> None:
    found = luset_inconsistencies(real)
    assert dict(zip(zip(found["crop_code"], found["code"], strict=True), found["kind"],
                    strict=True)) == FLAGGED
