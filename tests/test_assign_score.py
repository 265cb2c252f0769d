"""Scores of (kecamatan, commodity) pairs: normalisation, directions, weights, AHP, helpers.

Expected values are worked by hand in the comments; the demo-region test checks the
table helpers against independent pandas one-liners.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from aez.assign.criteria import (
    SENTRA_FIELDS_BY_GROUP,
    cooperative_counts,
    growth_rate,
    product_groups,
    sentra_counts,
)
from aez.assign.score import Normalisation, Scores, assigned_scores, score_table
from aez.errors import ConfigError
from aez.evaluate.mcda import ahp_weights

K = ["k1", "k2"]
P = ["jagung", "padi_sawah"]


def frame(rows: list[list[float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, index=K, columns=P, dtype=np.float64)


def values(table: pd.DataFrame) -> list[list[float]]:
    return table.to_numpy().tolist()


# -- normalisation -----------------------------------------------------------------------


def test_minmax_spans_all_pairs():
    # min 2, max 10 over all four pairs: (x − 2)/8.
    scores = score_table({"lq": frame([[2, 4], [6, 10]])}, normalise="minmax")
    assert values(scores.components["lq"]) == [[0.0, 0.25], [0.5, 1.0]]


def test_minmax_per_commodity_spans_each_column():
    # jagung 2…6 → 0, 1; padi 4…10 → 0, 1.
    scores = score_table({"lq": frame([[2, 4], [6, 10]])}, normalise="minmax_per_commodity")
    assert values(scores.components["lq"]) == [[0.0, 0.0], [1.0, 1.0]]


def test_global_scale_keeps_commodities_comparable():
    # A crop that grows poorly everywhere (SI 10, 20) against one that thrives (80, 90):
    # on one scale the poor crop never beats the good one; per commodity it ties.
    si = frame([[10, 80], [20, 90]])
    glob = score_table({"suitability": si}).total
    per = score_table({"suitability": si}, normalise="minmax_per_commodity").total
    assert (glob["padi_sawah"] > glob["jagung"]).all()
    assert values(per) == [[0.0, 0.0], [1.0, 1.0]]


def test_lower_travel_time_scores_higher():
    # market_access is "min" by default: (5 − x)/(5 − 1).
    scores = score_table({"market_access": frame([[1, 2], [3, 5]])})
    assert values(scores.components["market_access"]) == [[1.0, 0.75], [0.5, 0.0]]
    assert scores.directions == {"market_access": "min"}


def test_direction_override():
    scores = score_table({"lq": frame([[1, 2], [3, 5]])}, directions={"lq": "min"},
                         normalise="minmax")
    assert values(scores.components["lq"]) == [[1.0, 0.75], [0.5, 0.0]]


def test_constant_criterion_scores_zero_not_nan():
    scores = score_table({"sentra": frame([[3, 3], [3, 3]]), "lq": frame([[0, 1], [2, 4]])})
    assert values(scores.components["sentra"]) == [[0.0, 0.0], [0.0, 0.0]]
    # Per commodity, only the constant column is flat: jagung 7, 7 → 0; padi 1…3 → 0, 1.
    per = score_table({"x": frame([[7, 1], [7, 3]])}, directions={"x": "max"},
                      normalise="minmax_per_commodity")
    assert values(per.components["x"]) == [[0.0, 0.0], [0.0, 1.0]]


def test_missing_values_score_worst_and_do_not_set_the_scale():
    # NaN is left out of min/max (1 … 3), then scores 0.
    scores = score_table({"growth": frame([[np.nan, 1], [2, 3]])})
    assert values(scores.components["growth"]) == [[0.0, 0.0], [0.5, 1.0]]
    assert math.isnan(scores.raw["growth"].at["k1", "jagung"])
    # Missing travel time (no suitable land) is also the worst, 0, not the best.
    access = score_table({"market_access": frame([[np.nan, 1], [2, 3]])})
    assert values(access.components["market_access"]) == [[0.0, 1.0], [0.5, 0.0]]
    with pytest.raises(ConfigError, match="missing value"):
        score_table({"growth": frame([[np.nan, 1], [2, 3]])}, missing="raise")


def test_all_missing_criterion_scores_zero():
    scores = score_table({"growth": frame([[np.nan, np.nan], [np.nan, np.nan]])})
    assert values(scores.components["growth"]) == [[0.0, 0.0], [0.0, 0.0]]


def test_fixed_bounds_clip():
    # (0, 100): 25 → .25, 50 → .5, 100 → 1, 110 → clipped 1; for "min" the complement.
    si = frame([[25, 50], [100, 110]])
    scores = score_table({"suitability": si}, bounds={"suitability": (0, 100)})
    assert values(scores.components["suitability"]) == [[0.25, 0.5], [1.0, 1.0]]
    hours = score_table({"market_access": si}, bounds={"market_access": (0, 100)})
    assert values(hours.components["market_access"]) == [[0.75, 0.5], [0.0, 0.0]]
    with pytest.raises(ConfigError, match="low < high"):
        score_table({"suitability": si}, bounds={"suitability": (5, 5)})


def test_log_is_symmetric_around_one_and_saturates_at_the_cap():
    # 0.5 + ln x / (2 ln 4): LQ 1 → .5, LQ 2 → .75, LQ ½ → .25, LQ 4 → 1, LQ 0 → 0 (no
    # production), LQ 38.8 → 1 (clipped); ln 2 / ln 16 = ¼ exactly.
    lq = pd.DataFrame([[1.0, 2.0, 0.5], [4.0, 0.0, 38.8]], index=K, columns=["a", "b", "c"])
    scores = score_table({"lq": lq})                       # log, cap 4 is the default for LQ
    assert scores.normalisation["lq"] == Normalisation("log", cap=4.0)
    np.testing.assert_allclose(values(scores.components["lq"]),
                               [[0.5, 0.75, 0.25], [1.0, 0.0, 1.0]], rtol=0, atol=1e-15)
    # An outlier does not squash the rest, as it does under min–max: LQ 2.35 scores
    # 2.35/38.8 = .06 there, and .5 + ln 2.35 / ln 16 = .81 on the log scale.
    both = pd.DataFrame({"a": [2.35, 0.0], "b": [38.8, 1.0]}, index=K)
    old = score_table({"lq": both}, normalise="minmax").components["lq"].at["k1", "a"]
    new = score_table({"lq": both}).components["lq"].at["k1", "a"]
    assert old == pytest.approx(2.35 / 38.8) and new == pytest.approx(
        0.5 + math.log(2.35) / math.log(16))
    # Without a cap the largest |ln x| sets the scale: ln 4 here, so the same values.
    free = score_table({"lq": lq.where(lq < 10, 2.0)}, normalise={"lq": "log"})
    assert free.components["lq"].at["k2", "a"] == 1.0
    assert free.components["lq"].at["k1", "c"] == pytest.approx(0.25)
    with pytest.raises(ConfigError, match="negative"):
        score_table({"lq": -lq}, normalise={"lq": "log"})


def test_rank_keeps_only_the_order():
    # growth .1, .2, 5.0 (an explosion from a small base), NaN: ranks 1, 2, 3 → 0, .5, 1;
    # ties share the average rank: 1, 1, 3 → 1.5, 1.5, 3 → .25, .25, 1.
    growth = frame([[0.1, 0.2], [5.0, np.nan]])
    scores = score_table({"growth": growth})               # rank is the default for growth
    assert values(scores.components["growth"]) == [[0.0, 0.5], [1.0, 0.0]]
    tied = score_table({"growth": frame([[0.1, 0.1], [3.0, np.nan]])})
    assert values(tied.components["growth"]) == [[0.25, 0.25], [1.0, 0.0]]
    three = score_table({"x": pd.Series({"k1": 1.0, "k2": 1.0, "k3": 7.0, "k4": 9.0})},
                        commodities=["a"], normalise="rank", directions={"x": "min"})
    assert three.components["x"]["a"].tolist() == [pytest.approx(1 - 0.5 / 3)] * 2 + [
        pytest.approx(1 - 2 / 3), 0.0]


def test_capped_clips_the_tail_at_a_value_or_quantile():
    # Travel time 10, 20, 30, 300 min, capped at 40: (40 − x)/(40 − 10) → 1, 2/3, 1/3, 0.
    hours = frame([[10, 20], [30, 300]])
    capped = score_table({"market_access": hours},
                         normalise={"market_access": {"method": "capped", "cap": 40}})
    np.testing.assert_allclose(values(capped.components["market_access"]),
                               [[1.0, 2 / 3], [1 / 3, 0.0]])
    # The 0.5 quantile of 10, 20, 30, 300 is 25: (min(x, 25) − 10)/15 for "max".
    q = score_table({"sentra": hours}, normalise={"sentra": Normalisation("capped",
                                                                          quantile=0.5)})
    np.testing.assert_allclose(values(q.components["sentra"]), [[0.0, 2 / 3], [1.0, 1.0]])
    with pytest.raises(ConfigError, match="cap"):
        Normalisation("capped")
    with pytest.raises(ConfigError, match="no cap"):
        Normalisation("rank", cap=3)
    with pytest.raises(ConfigError, match="above 1"):
        Normalisation("log", cap=0.5)
    with pytest.raises(ConfigError, match="method"):
        score_table({"sentra": hours}, normalise="zscore")


def test_within_kabupaten_and_commodity():
    # Two kabupaten (63.90, 63.91): SI 20, 40 | 60, 100. Within each kabupaten min–max:
    # 0, 1 | 0, 1; over all: 0, .25 | .5, 1; per commodity (one column) as over all.
    ids = ["63.90.01", "63.90.02", "63.91.01", "63.91.02"]
    si = pd.DataFrame({"jagung": [20.0, 40.0, 60.0, 100.0]}, index=ids)
    within = score_table({"suitability": si},
                         normalise={"suitability": {"method": "minmax", "within": "kabupaten"}})
    assert within.components["suitability"]["jagung"].tolist() == [0.0, 1.0, 0.0, 1.0]
    assert score_table({"suitability": si}).components["suitability"]["jagung"].tolist() == [
        0.0, 0.25, 0.5, 1.0]
    named = score_table({"suitability": si}, groups=dict(zip(ids, "aabb", strict=True)),
                        normalise={"suitability": Normalisation(within="kabupaten")})
    assert named.components["suitability"].equals(within.components["suitability"])
    with pytest.raises(ConfigError, match="no kabupaten"):
        score_table({"suitability": si}, groups={"63.90.01": "a"},
                    normalise={"suitability": Normalisation(within="kabupaten")})
    with pytest.raises(ConfigError, match="bounds fix"):
        score_table({"lq": si}, bounds={"lq": (0, 3)})


def test_series_is_broadcast_across_commodities():
    # Farm households 100 and 300 → 0 and 1 for every commodity.
    labour = pd.Series({"k1": 100.0, "k2": 300.0})
    scores = score_table({"labour": labour, "lq": frame([[0, 1], [1, 0]])})
    assert values(scores.components["labour"]) == [[0.0, 0.0], [1.0, 1.0]]
    assert list(scores.commodities) == P


# -- weights -----------------------------------------------------------------------------


def test_total_is_the_weighted_sum():
    # suitability (0…80): [[0, .5], [.25, 1]]; market_access (1…3, min): [[1, .5], [0, 1]].
    # weights 1 : 3 → .25, .75; total = .25·s + .75·m:
    #   k1: .25·0 + .75·1 = .75, .25·.5 + .75·.5 = .5; k2: .25·.25 + 0 = .0625, .25 + .75 = 1.
    si = frame([[0, 40], [20, 80]])
    hours = frame([[1, 2], [3, 1]])
    scores = score_table({"suitability": si, "market_access": hours},
                         weights={"suitability": 1, "market_access": 3})
    assert scores.weights == {"suitability": 0.25, "market_access": 0.75}
    assert values(scores.total) == [[0.75, 0.5], [0.0625, 1.0]]
    by_hand = sum(scores.weights[c] * scores.components[c] for c in scores.components)
    assert np.array_equal(scores.total.to_numpy(), by_hand.to_numpy())


def test_weights_as_a_series():
    scores = score_table({"lq": frame([[0, 1], [1, 0]]), "growth": frame([[0, 0], [1, 1]])},
                         weights=pd.Series({"lq": 1.0, "growth": 4.0}))
    assert scores.weights == {"lq": 0.2, "growth": 0.8}


def test_equal_weights_by_default():
    scores = score_table({"lq": frame([[0, 1], [1, 0]]), "growth": frame([[0, 0], [1, 1]]),
                          "sentra": frame([[1, 0], [0, 0]]), "labour": frame([[0, 1], [0, 1]])})
    assert scores.weights == dict.fromkeys(["lq", "growth", "sentra", "labour"], 0.25)


def test_zero_weight_drops_a_criterion():
    scores = score_table({"lq": frame([[0, 1], [1, 0]]), "growth": frame([[0, 0], [1, 1]])},
                         weights={"lq": 1, "growth": 0}, normalise="minmax")
    assert values(scores.total) == [[0.0, 1.0], [1.0, 0.0]]


@pytest.mark.parametrize("weights, match", [
    ({"lq": 1}, "missing"),
    ({"lq": 1, "growth": 1, "sentra": 1}, "extra"),
    ({"lq": -1, "growth": 2}, "non-negative"),
    ({"lq": 0, "growth": 0}, "not all 0"),
])
def test_bad_weight_mappings(weights, match):
    with pytest.raises(ConfigError, match=match):
        score_table({"lq": frame([[0, 1], [1, 0]]), "growth": frame([[0, 0], [1, 1]])},
                    weights=weights)


def test_with_weights_keeps_components():
    # lq [[0, 1], [1, 0]], growth [[0, 0], [1, 1]]; weights 3 : 1 → .75, .25:
    #   k1: 0, .75; k2: .75 + .25 = 1, .25.
    scores = score_table({"lq": frame([[0, 1], [1, 0]]), "growth": frame([[0, 0], [1, 1]])},
                         normalise="minmax")
    again = scores.with_weights({"lq": 3, "growth": 1})
    assert again.components is scores.components
    assert values(again.total) == [[0.0, 0.75], [1.0, 0.25]]
    assert scores.weights == {"lq": 0.5, "growth": 0.5}  # unchanged


CONSISTENT = [[1, 3, 5], [1 / 3, 1, 5 / 3], [1 / 5, 3 / 5, 1]]


def test_ahp_matrix_in_criteria_order():
    # A consistent matrix: weights ∝ its first column 1, 1/3, 1/5 → 15/23, 5/23, 3/23; CR 0.
    criteria = {"suitability": frame([[0, 1], [1, 0]]), "lq": frame([[1, 0], [0, 1]]),
                "sentra": frame([[0, 0], [1, 1]])}
    scores = score_table(criteria, weights=CONSISTENT)
    assert scores.weights == pytest.approx({"suitability": 15 / 23, "lq": 5 / 23,
                                            "sentra": 3 / 23}, abs=1e-12)
    assert scores.consistency_ratio == pytest.approx(0.0, abs=1e-9)


def test_ahp_dataframe_is_matched_by_label():
    # The matrix lists the criteria in another order than the criteria mapping.
    labels = ["sentra", "suitability", "lq"]  # sentra 3× suitability, 5× lq …
    matrix = pd.DataFrame(CONSISTENT, index=labels, columns=labels)
    criteria = {"suitability": frame([[0, 1], [1, 0]]), "lq": frame([[1, 0], [0, 1]]),
                "sentra": frame([[0, 0], [1, 1]])}
    scores = score_table(criteria, weights=matrix)
    assert scores.weights == pytest.approx({"sentra": 15 / 23, "suitability": 5 / 23,
                                            "lq": 3 / 23}, abs=1e-12)
    # An AHPResult with labels works the same way.
    result = ahp_weights(CONSISTENT, labels=labels)
    assert score_table(criteria, weights=result).weights == pytest.approx(scores.weights)


def test_inconsistent_ahp_is_refused():
    # A circle: a ≫ b, b ≫ c, but c ≫ a.
    cyclic = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    assert ahp_weights(cyclic, allow_inconsistent=True).consistency_ratio > 0.1
    criteria = {"a": frame([[0, 1], [1, 0]]), "b": frame([[1, 0], [0, 1]]),
                "c": frame([[0, 0], [1, 1]])}
    with pytest.raises(ConfigError, match=r"consistency ratio CR = \d+\.\d+ exceeds 0.1"):
        score_table(criteria, weights=cyclic, directions=dict.fromkeys("abc", "max"))


def test_ahp_wrong_shape_or_labels():
    criteria = {"lq": frame([[0, 1], [1, 0]]), "growth": frame([[0, 0], [1, 1]])}
    with pytest.raises(ConfigError, match="must be 2 × 2"):
        score_table(criteria, weights=CONSISTENT)
    bad = pd.DataFrame([[1, 2], [0.5, 1]], index=["lq", "sentra"], columns=["lq", "sentra"])
    with pytest.raises(ConfigError, match="index and columns"):
        score_table(criteria, weights=bad)


# -- table shape and validation ------------------------------------------------------------


def test_unknown_criterion_needs_a_direction():
    with pytest.raises(ConfigError, match="needs a direction"):
        score_table({"yield_gap": frame([[0, 1], [1, 0]])})
    with pytest.raises(ConfigError, match="expected 'max'"):
        score_table({"lq": frame([[0, 1], [1, 0]])}, directions={"lq": "up"})


def test_criteria_must_cover_the_same_kecamatan():
    lq = frame([[0, 1], [1, 0]])
    bps = lq.set_axis([6390040, 6390060])  # BPS codes where Kemendagri codes were expected
    with pytest.raises(ConfigError, match="different kecamatan"):
        score_table({"lq": lq, "growth": bps})
    with pytest.raises(ConfigError, match="crosswalk"):
        score_table({"lq": lq, "growth": bps}, kecamatan=K)


def test_reindexing_makes_absent_cells_missing():
    # growth lacks k2 and padi_sawah: those cells are missing, scored 0.
    lq = frame([[0, 1], [1, 0]])
    growth = pd.DataFrame({"jagung": [0.1]}, index=["k1"])
    scores = score_table({"lq": lq, "growth": growth}, kecamatan=K, commodities=P)
    assert values(scores.components["growth"]) == [[0.0, 0.0], [0.0, 0.0]]
    assert scores.raw["growth"].isna().sum().sum() == 3
    with pytest.raises(ConfigError, match="different commodities"):
        score_table({"lq": lq, "growth": growth.reindex(K)})


def test_infinite_and_non_numeric_values_are_refused():
    with pytest.raises(ConfigError, match="infinite"):
        score_table({"growth": frame([[np.inf, 1], [2, 3]])})
    with pytest.raises(ConfigError, match="not numbers"):
        score_table({"growth": pd.DataFrame({"jagung": ["a", "b"]}, index=K)})


def test_series_only_needs_commodities():
    labour = pd.Series({"k1": 1.0, "k2": 2.0})
    with pytest.raises(ConfigError, match="commodities="):
        score_table({"labour": labour})
    scores = score_table({"labour": labour}, commodities=["kopi"])
    assert values(scores.total) == [[0.0], [1.0]]


def test_scores_validate_their_parts():
    c = frame([[0, 1], [1, 0]])
    with pytest.raises(ConfigError, match="sum to 1"):
        Scores({"lq": c}, {"lq": c}, {"lq": 0.5})
    with pytest.raises(ConfigError, match=r"outside \[0, 1\]"):
        Scores({"lq": c * 2}, {"lq": c}, {"lq": 1.0})
    with pytest.raises(ConfigError, match="other kecamatan"):
        Scores({"lq": c, "growth": c.iloc[:1]}, {"lq": c, "growth": c.iloc[:1]},
               {"lq": 0.5, "growth": 0.5})


def test_explain_adds_up_to_the_total():
    scores = score_table({"suitability": frame([[0, 40], [20, 80]]),
                          "market_access": frame([[1, 2], [3, 1]])},
                         weights={"suitability": 1, "market_access": 3})
    table = scores.explain("k1", "padi_sawah")
    # suitability 40 → .5 (· .25 = .125); market_access 2 h → .5 (· .75 = .375); total .5.
    assert table.loc["suitability", "raw"] == 40.0
    assert table.loc["market_access", "normalised"] == 0.5
    assert table["contribution"].sum() == scores.total.at["k1", "padi_sawah"] == 0.5
    with pytest.raises(ConfigError, match="No score"):
        scores.explain("k9", "jagung")


def test_assigned_scores():
    total = frame([[0.2, 0.7], [0.9, 0.1]])
    assert assigned_scores(total, {"k1": "padi_sawah", "k2": "jagung"}).tolist() == [0.7, 0.9]
    two = pd.Series(["jagung", "padi_sawah"], index=["k1", "k1"])
    assert assigned_scores(total, two).tolist() == [0.2, 0.7]
    with pytest.raises(ConfigError, match="no score"):
        assigned_scores(total, {"k1": "kopi"})


# -- criteria from tables --------------------------------------------------------------------


def test_product_groups_from_crop_tables_and_overrides():
    assert product_groups(["jagung", "kelapa_sawit"]) == {"jagung": "food",
                                                          "kelapa_sawit": "estate"}
    assert product_groups(["jagung"], groups={"jagung": "other"}) == {"jagung": "other"}
    with pytest.raises(ConfigError, match="groups="):
        product_groups(["no_such_crop"])
    with pytest.raises(ConfigError, match="not one of"):
        product_groups(["x"], groups={"x": "snacks"})


def test_cooperative_counts_by_hand():
    coops = pd.DataFrame({
        "kode_kemendagri": ["k1", "k1", "k1", "k2", "k3"],
        "usaha": ["jagung;padi_sawah", "jagung", "Makan dan Minum", " padi_sawah ; jagung",
                  None],
    })
    counts = cooperative_counts(coops, ["jagung", "padi_sawah", "kedelai"],
                                kecamatan=["k1", "k2", "k4"])
    # k1: jagung in rows 0 and 1, padi in row 0; k2: both (spaces stripped); k3 is not
    # asked for; k4 has none.
    assert counts.to_numpy().tolist() == [[2, 1, 0], [1, 1, 0], [0, 0, 0]]
    assert list(counts.index) == ["k1", "k2", "k4"]
    with pytest.raises(ConfigError, match="Kemendagri"):
        cooperative_counts(coops, ["jagung"], kecamatan=[6390040])


def test_sentra_counts_by_hand():
    table = pd.DataFrame({
        "kode_bps": [1, 1, 1, 2, 2],
        "bidang_usaha": ["Pertanian dan Perkebunan", "Makan dan Minum", "Sandang",
                         "Pertanian dan Perkebunan", "Pertanian dan Perkebunan"],
        "jumlah_sentra": [2, 3, 7, 1, 4],
    })
    groups = {"kopi": "beverage", "kapas": "fibre"}
    counts = sentra_counts(table, ["jagung", "kopi", "kapas"], groups=groups, kecamatan=[1, 2, 3])
    # jagung (food): farming only → 2, 1 + 4 = 5, 0. kopi (beverage): farming + food and
    # drink → 2 + 3 = 5, 5, 0. kapas (fibre): farming + Sandang → 2 + 7 = 9, 5, 0.
    assert counts.to_numpy().tolist() == [[2, 5, 9], [5, 5, 5], [0, 0, 0]]
    assert SENTRA_FIELDS_BY_GROUP["beverage"] == ("Pertanian dan Perkebunan", "Makan dan Minum")
    custom = sentra_counts(table, ["kopi"], groups=groups, field_of={"beverage": ["Sandang"]})
    assert custom["kopi"].tolist() == [7.0, 0.0]


def test_sentra_fields_must_appear_in_the_table():
    table = pd.DataFrame({"kode_bps": [1], "bidang_usaha": ["Pertanian"], "jumlah_sentra": [2]})
    with pytest.raises(ConfigError, match="field_of="):
        sentra_counts(table, ["jagung"])
    table["bidang_usaha"] = "Pertanian dan Perkebunan"
    table["jumlah_sentra"] = -1
    with pytest.raises(ConfigError, match="non-negative"):
        sentra_counts(table, ["jagung"])


def long_production(series: dict[str, list[float]], years=(2019, 2020, 2021)) -> pd.DataFrame:
    rows = [(1, crop, year, x) for crop, xs in series.items()
            for year, x in zip(years, xs, strict=True)]
    return pd.DataFrame(rows, columns=["kode_bps", "commodity", "year", "production_ton"])


def test_growth_rate_endpoints_by_hand():
    production = long_production({
        "a": [100.0, 90.0, 121.0],   # (121/100)^(1/2) − 1 = 0.1
        "b": [100.0, np.nan, 64.0],  # NaN skipped: (0.64)^(1/2) − 1 = −0.2
        "c": [0.0, 5.0, 10.0],       # growth from nothing: NaN
        "d": [50.0, 20.0, 0.0],      # a fall to 0: −1
        "e": [0.0, 0.0, 0.0],        # nothing grown: NaN
        "f": [np.nan, np.nan, 7.0],  # one year: NaN
    })
    rate = growth_rate(production).loc[1]
    assert rate["a"] == pytest.approx(0.1, rel=1e-12)
    assert rate["b"] == pytest.approx(-0.2, rel=1e-12)
    assert rate["d"] == -1.0
    assert rate[["c", "e", "f"]].isna().all()


def test_growth_rate_loglinear_by_hand():
    # ln x = 0, 2, 2 over years 0, 1, 2: least-squares slope = Σ(t − 1)(y − 4/3) / Σ(t − 1)²
    # = (4/3 + 2/3) / 2 = 1, so the rate is e − 1. A geometric series gives its own ratio.
    production = long_production({"a": [1.0, math.e ** 2, math.e ** 2],
                                  "b": [100.0, 110.0, 121.0], "c": [3.0, 0.0, 4.0]},
                                 years=(0, 1, 2))
    rate = growth_rate(production, method="loglinear").loc[1]
    assert rate["a"] == pytest.approx(math.e - 1, rel=1e-12)
    assert rate["b"] == pytest.approx(0.1, rel=1e-12)
    assert math.isnan(rate["c"])


def test_growth_rate_refuses_bad_tables():
    production = long_production({"a": [1.0, 2.0, 3.0]})
    with pytest.raises(ConfigError, match="two rows"):
        growth_rate(pd.concat([production, production.iloc[:1]]))
    with pytest.raises(ConfigError, match="negative"):
        growth_rate(production.assign(production_ton=-1.0))
    with pytest.raises(ConfigError, match="lacks column"):
        growth_rate(production.drop(columns="year"))


# -- the demo region -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from aez.demo import write_demo_region

    out = tmp_path_factory.mktemp("demo-score")
    write_demo_region(out, seed=3, size="small", resolution=200)
    return out


def test_demo_tables_give_a_complete_score_table(demo):
    crosswalk = pd.read_csv(demo / "kecamatan_crosswalk.csv")
    to_kemendagri = dict(zip(crosswalk["kode_bps"], crosswalk["kode_kemendagri"], strict=True))
    kecamatan = crosswalk["kode_kemendagri"].tolist()
    crops = ["padi_sawah", "jagung", "kedelai", "kelapa_sawit"]

    production = pd.read_csv(demo / "socioeconomic" / "produksi.csv")
    production["kode_kemendagri"] = production["kode_bps"].map(to_kemendagri)
    growth = growth_rate(production, kecamatan_column="kode_kemendagri", kecamatan=kecamatan,
                         commodities=crops)
    coops = gpd.read_file(demo / "socioeconomic" / "koperasi.gpkg")
    coop_counts = cooperative_counts(coops, crops, kecamatan=kecamatan)
    sentra = pd.read_csv(demo / "socioeconomic" / "sentra.csv")
    sentra["kode_kemendagri"] = sentra["kode_bps"].map(to_kemendagri)
    sentra_n = sentra_counts(sentra, crops, kecamatan_column="kode_kemendagri",
                             kecamatan=kecamatan)
    labour = pd.read_csv(demo / "socioeconomic" / "penduduk.csv").set_index(
        "kode_kemendagri")["rumah_tangga_usaha_pertanian"]

    # Independent oracles: explode the business lines; pick the farming sentra rows.
    lines = coops.assign(line=coops["usaha"].str.split(";")).explode("line")
    oracle = pd.crosstab(lines["kode_kemendagri"], lines["line"]).reindex(
        index=kecamatan, columns=crops, fill_value=0)
    assert coop_counts.to_numpy().tolist() == oracle.to_numpy().tolist()
    farm = sentra[sentra["bidang_usaha"] == "Pertanian dan Perkebunan"].set_index(
        "kode_kemendagri")["jumlah_sentra"].reindex(kecamatan, fill_value=0)
    for crop in crops:  # all four are food or estate crops: farming sentra only
        assert sentra_n[crop].tolist() == farm.astype(float).tolist()
    years = production["year"]
    ends = production[years.isin([years.min(), years.max()])].pivot_table(
        index=["kode_kemendagri", "commodity"], columns="year", values="production_ton")
    span = years.max() - years.min()
    for crop in crops:
        for k in kecamatan:
            x0, x1 = ends.loc[(k, crop)]
            expected = (x1 / x0) ** (1 / span) - 1 if x0 > 0 else np.nan
            assert growth.at[k, crop] == pytest.approx(expected, nan_ok=True)

    scores = score_table({"growth": growth, "labour": labour, "cooperatives": coop_counts,
                          "sentra": sentra_n}, kecamatan=kecamatan, commodities=crops)
    assert scores.total.shape == (len(kecamatan), len(crops))
    assert np.isfinite(scores.total.to_numpy()).all()
    assert ((scores.total >= 0) & (scores.total <= 1)).all().all()
