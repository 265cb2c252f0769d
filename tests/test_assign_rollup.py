"""Roll-ups to kabupaten and wilbang, OTOP groups and 1–5 star tiers, worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aez.assign.rollup import (
    OTOP_GROUPS,
    OTOP_NAMES_ID,
    OTOP_OF_GROUP,
    kabupaten_of,
    otop_groups,
    potential_tiers,
    rollup,
    rollup_products,
)
from aez.crops.schema import PRODUCT_GROUPS
from aez.errors import ConfigError

#: Five kecamatan of two kabupaten; 63.90.03 has two products.
RESULTS = pd.DataFrame(
    {
        "product": ["jagung", "jagung", "padi_sawah", "kelapa_sawit", "jagung", "padi_sawah"],
        "suitable_ha": [100.0, 250.0, 40.0, 60.0, 10.0, 5.0],
        "cooperatives": [2, 0, 1, 1, 3, 0],
        "score": [0.5, 0.7, 0.3, 0.3, 0.9, 0.1],
    },
    index=pd.Index(["63.90.01", "63.90.02", "63.90.03", "63.90.03", "63.91.01", "63.91.02"],
                   name="kode_kemendagri"),
)
WILBANG = {"63.90.01": "Pesisir", "63.90.02": "Pesisir", "63.90.03": "Hulu",
           "63.91.01": "Hulu", "63.91.02": "Pesisir"}


def test_kabupaten_from_codes():
    assert kabupaten_of(["63.90.01", "63.91.02"]).tolist() == ["63.90", "63.91"]
    assert kabupaten_of([6390040, "6404030"]).tolist() == ["6390", "6404"]
    with pytest.raises(ConfigError, match="neither"):
        kabupaten_of(["Muara Bengkal"])


def test_rollup_to_kabupaten_sums_by_hand():
    table = rollup(RESULTS, kabupaten_of(RESULTS.index.unique()),
                   sum_columns=["suitable_ha", "cooperatives"], mean_columns=["score"])
    # 63.90: kecamatan 01, 02, 03 (twice) → 3; ha 100 + 250 + 40 + 60 = 450;
    #        cooperatives 2 + 0 + 1 + 1 = 4; mean score (.5 + .7 + .3 + .3)/4 = .45;
    #        products jagung ×2, kelapa_sawit ×1, padi_sawah ×1.
    # 63.91: kecamatan 01, 02; ha 15; cooperatives 3; mean .5; jagung ×1, padi_sawah ×1.
    assert list(table.index) == ["63.90", "63.91"]
    assert table["n_kecamatan"].tolist() == [3, 2]
    assert table["suitable_ha"].tolist() == [450.0, 15.0]
    assert table["cooperatives"].tolist() == [4.0, 3.0]
    assert table["mean_score"].tolist() == pytest.approx([0.45, 0.5])
    assert table["n_products"].tolist() == [3, 2]
    assert table["products"].tolist() == ["jagung (2); kelapa_sawit (1); padi_sawah (1)",
                                          "jagung (1); padi_sawah (1)"]


def test_rollup_to_wilbang_crosses_kabupaten():
    table = rollup(RESULTS, WILBANG, sum_columns=["suitable_ha"])
    # Hulu: 63.90.03 (40 + 60) and 63.91.01 (10) → 110 ha, 2 kecamatan.
    # Pesisir: 63.90.01, 63.90.02, 63.91.02 → 100 + 250 + 5 = 355 ha, 3 kecamatan.
    assert table.to_dict("index") == {
        "Hulu": {"n_kecamatan": 2, "suitable_ha": 110.0, "n_products": 3,
                 "products": "jagung (1); kelapa_sawit (1); padi_sawah (1)"},
        "Pesisir": {"n_kecamatan": 3, "suitable_ha": 355.0, "n_products": 2,
                    "products": "jagung (2); padi_sawah (1)"},
    }
    # The region sums add up to the kecamatan total.
    assert table["suitable_ha"].sum() == RESULTS["suitable_ha"].sum()


def test_rollup_with_a_kecamatan_column_and_gaps():
    results = RESULTS.reset_index()
    results.loc[1, "suitable_ha"] = np.nan  # unknown hectares make the sum unknown
    results.loc[4, "product"] = None  # no product: counted, not listed
    table = rollup(results, WILBANG, sum_columns=["suitable_ha"],
                   kecamatan_column="kode_kemendagri")
    assert np.isnan(table.at["Pesisir", "suitable_ha"])
    assert table.at["Hulu", "n_kecamatan"] == 2
    assert table.at["Hulu", "products"] == "kelapa_sawit (1); padi_sawah (1)"


def test_rollup_products_by_hand():
    table = rollup_products(RESULTS, WILBANG, sum_columns=["suitable_ha"])
    # Hulu: jagung 10 (63.91.01), kelapa_sawit 60, padi_sawah 40 (both 63.90.03).
    # Pesisir: jagung 100 + 250 (2 kecamatan), padi_sawah 5.
    assert table.values.tolist() == [
        ["Hulu", "jagung", 1, 10.0], ["Hulu", "kelapa_sawit", 1, 60.0],
        ["Hulu", "padi_sawah", 1, 40.0], ["Pesisir", "jagung", 2, 350.0],
        ["Pesisir", "padi_sawah", 1, 5.0]]
    assert list(table.columns) == ["region", "product", "n_kecamatan", "suitable_ha"]


def test_rollup_refuses_gaps_in_the_mapping_and_text_sums():
    with pytest.raises(ConfigError, match=r"No region for kecamatan \['63.91.02'\]"):
        rollup(RESULTS, {k: v for k, v in WILBANG.items() if k != "63.91.02"})
    with pytest.raises(ConfigError, match="not numbers"):
        rollup(RESULTS, WILBANG, sum_columns=["product"])
    with pytest.raises(ConfigError, match="lack column"):
        rollup(RESULTS, WILBANG, sum_columns=["area"])


def test_otop_groups():
    # Every crop product group has an OTOP category, and every category an Indonesian name.
    assert set(OTOP_OF_GROUP) == set(PRODUCT_GROUPS)
    assert set(OTOP_OF_GROUP.values()) <= set(OTOP_GROUPS) == set(OTOP_NAMES_ID)
    groups = {"kopi": "beverage", "jahe": "herbal_spice", "kapas": "fibre", "karet": "estate"}
    labels = otop_groups(pd.Series(["jagung", "kopi", "jahe", "kapas", "karet", None],
                                   index=list("abcdef")),
                         groups=groups, overrides={"karet": "crafts"})
    assert labels.iloc[:5].tolist() == ["food", "beverages", "herbal", "textiles", "crafts"]
    assert pd.isna(labels["f"])
    assert otop_groups(["kelapa_sawit"]).tolist() == ["food"]  # estate → food
    with pytest.raises(ConfigError, match="not OTOP categories"):
        otop_groups(["jagung"], overrides={"jagung": "snacks"})


# -- tiers -------------------------------------------------------------------------------


def test_tiers_on_ten_scores_are_quintiles():
    # Ten distinct scores: mid-rank percentiles .05, .15, …, .95 → ⌊5p⌋ + 1 = 1,1,2,2,…,5,5.
    scores = pd.Series([0.9, 0.1, 0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 1.0],
                       index=[f"k{i}" for i in range(10)])
    tiers = potential_tiers(scores)
    # Sorted: .1 .2 | .3 .4 | .5 .6 | .7 .8 | .9 1.0
    assert tiers.to_dict() == {"k0": 5, "k1": 1, "k2": 3, "k3": 2, "k4": 4, "k5": 1,
                               "k6": 4, "k7": 2, "k8": 3, "k9": 5}
    assert str(tiers.dtype) == "Int64"


def test_ties_share_a_tier_and_boundaries_go_up():
    # Scores 1, 2, 2, 3, 4, 5, 6, 7, 8, 9: the tied 2s have average rank 2.5 → p = 2/10 = .2,
    # exactly on a fifth → tier ⌊1.0⌋ + 1 = 2 (up), and both get it.
    scores = pd.Series([1, 2, 2, 3, 4, 5, 6, 7, 8, 9], dtype=float)
    assert potential_tiers(scores).tolist() == [1, 2, 2, 2, 3, 3, 4, 4, 5, 5]
    # All equal: p = .5 → 3 stars each.
    assert potential_tiers(pd.Series([0.4, 0.4, 0.4])).tolist() == [3, 3, 3]


@pytest.mark.parametrize("n, expected", [
    (1, [3]),               # p = .5
    (2, [2, 4]),            # p = .25, .75
    (3, [1, 3, 5]),         # p = 1/6, 1/2, 5/6
    (4, [1, 2, 4, 5]),      # p = .125, .375, .625, .875
    (5, [1, 2, 3, 4, 5]),   # p = .1, .3, .5, .7, .9
])
def test_few_kecamatan(n, expected):
    assert potential_tiers(pd.Series(np.arange(n, dtype=float))).tolist() == expected


def test_missing_scores_get_no_tier_and_do_not_count():
    # NaN is left out: the other four tier as n = 4.
    tiers = potential_tiers({"a": 0.1, "b": np.nan, "c": 0.2, "d": 0.3, "e": 0.4})
    assert tiers.isna().tolist() == [False, True, False, False, False]
    assert tiers.dropna().tolist() == [1, 2, 4, 5]
    assert potential_tiers(pd.Series([np.nan])).isna().all()


def test_other_tier_counts_and_bad_input():
    # Three tiers over six scores: p = 1/12, 3/12, …, 11/12 → ⌊3p⌋ + 1 = 1,1,2,2,3,3.
    assert potential_tiers(pd.Series(np.arange(6.0)), n_tiers=3).tolist() == [1, 1, 2, 2, 3, 3]
    with pytest.raises(ConfigError, match="positive integer"):
        potential_tiers(pd.Series([1.0]), n_tiers=0)
    with pytest.raises(ConfigError, match="finite"):
        potential_tiers(pd.Series([1.0, np.inf]))


def test_tiers_per_assignment_row():
    # A kecamatan with two products has two rows; tiers follow positions, not labels.
    tiers = potential_tiers(pd.Series([0.9, 0.1, 0.5], index=["k1", "k1", "k2"]))
    assert tiers.tolist() == [5, 1, 3]  # p = 5/6, 1/6, 1/2
    assert list(tiers.index) == ["k1", "k1", "k2"]
