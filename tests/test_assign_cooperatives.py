"""Cooperative ranking: points worked by hand, ties, explicit empty results, distances."""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from aez.assign.cooperatives import CooperativeOptions, rank_cooperatives
from aez.errors import ConfigError, CRSError

CRS = "EPSG:32750"
GROUPS = {"kopi": "beverage", "teh": "beverage", "jagung": "food"}
#: The test commodities' groups; the other options at their defaults.
OPTIONS = CooperativeOptions(groups=GROUPS)


def cooperatives(crs: str | None = CRS) -> gpd.GeoDataFrame:
    rows = [
        # kecamatan, name, business lines, members, assets (Rp), x (m)
        ("k1", "KUD Alpha", "kopi;jagung", 400, 1e9, 0.0),
        ("k1", "KT Beta", "teh", 200, 1e8, 3000.0),
        ("k1", "KSP Gamma", "Makan dan Minum", 100, 1e7, 20000.0),
        ("k1", "KT Delta", "jagung", 400, 1e10, 500.0),
        ("k2", "KT Zeta", "kopi", 50, 1e8, 0.0),
        ("k2", "KT Eta", "kopi", 50, 1e8, 0.0),
    ]
    frame = pd.DataFrame(rows, columns=["kode_kemendagri", "nama", "usaha", "anggota",
                                        "aset_rupiah", "x"])
    return gpd.GeoDataFrame(frame.drop(columns="x"),
                            geometry=shapely.points(frame["x"].to_numpy(), 0.0), crs=crs)


#: Suitable land for kopi in k1: the strip 1000 ≤ x ≤ 2000 m.
LAND = gpd.GeoSeries([box(1000, -1000, 2000, 1000)],
                     index=pd.MultiIndex.from_tuples([("k1", "kopi")]), crs=CRS)


def ranked(table: pd.DataFrame, kecamatan: str = "k1") -> list[tuple[str, float]]:
    part = table[table["kecamatan"] == kecamatan]
    return [(n, round(p, 6)) for n, p in zip(part["cooperative"], part["points"], strict=True)]


def test_points_by_hand_with_suitable_land():
    # Default points: line 50, members 15, assets 15, distance 20 (0 at 10 km).
    # Alpha: names kopi → 50; 400/400 members → 15; assets 1e9 → (9 − 7)/3 · 15 = 10;
    #        1000 m to the strip → (1 − 0.1) · 20 = 18.                             = 93
    # Beta:  teh is another beverage → group, 25; 200/400 → 7.5; 1e8 → 5; 1000 m → 18 = 55.5
    # Delta: jagung is food, not beverage → 0; 400/400 → 15; 1e10 → 15; 500 m → 19.  = 49
    # Gamma: "Makan dan Minum" is a beverage sentra field → 25; 100/400 → 3.75; 1e7 → 0;
    #        18 km → 0.                                                            = 28.75
    table = rank_cooperatives({"k1": "kopi"}, cooperatives(), options=OPTIONS, suitable_land=LAND)
    assert ranked(table) == [("KUD Alpha", 93.0), ("KT Beta", 55.5), ("KT Delta", 49.0),
                             ("KSP Gamma", 28.75)]
    assert table["rank"].tolist() == [1, 2, 3, 4]
    assert table["line_match"].tolist() == ["product", "group", "none", "group"]
    assert table["distance_m"].tolist() == [1000.0, 1000.0, 500.0, 18000.0]
    assert (table["status"] == "ranked").all()
    parts = ["points_business_line", "points_members", "points_assets", "points_distance"]
    assert np.allclose(table[parts].sum(axis=1), table["points"])


def test_without_land_the_distance_part_is_zero():
    # The same minus the distance points: Alpha 75, Beta 37.5, Delta 30, Gamma 28.75.
    table = rank_cooperatives({"k1": "kopi"}, cooperatives(), options=OPTIONS)
    assert ranked(table) == [("KUD Alpha", 75.0), ("KT Beta", 37.5), ("KT Delta", 30.0),
                             ("KSP Gamma", 28.75)]
    assert table["distance_m"].isna().all()
    assert (table["points_distance"] == 0).all()


def test_require_line_keeps_product_and_group_matches():
    strict = replace(OPTIONS, require_line=True)
    table = rank_cooperatives({"k1": "kopi"}, cooperatives(), options=strict)
    assert table["cooperative"].tolist() == ["KUD Alpha", "KT Beta", "KSP Gamma"]
    # For jagung (food), only Alpha and Delta name it and nothing else is food.
    table = rank_cooperatives({"k1": "jagung"}, cooperatives(), options=strict)
    assert sorted(table["cooperative"]) == ["KT Delta", "KUD Alpha"]


def test_custom_points():
    # Only the business line counts (distance 0): Alpha 10; Beta, Gamma 5; Delta 0.
    weights = {"business_line": 10, "members": 0, "assets": 0, "distance": 0}
    options = replace(OPTIONS, weights=weights)
    table = rank_cooperatives({"k1": "kopi"}, cooperatives(), options=options)
    # Beta and Gamma tie on points; Beta has more members.
    assert ranked(table) == [("KUD Alpha", 10.0), ("KT Beta", 5.0), ("KSP Gamma", 5.0),
                             ("KT Delta", 0.0)]
    with pytest.raises(ConfigError, match="exactly"):
        rank_cooperatives({"k1": "kopi"}, cooperatives(),
                          options=replace(OPTIONS, weights={"members": 1}))
    with pytest.raises(ConfigError, match="must be a CooperativeOptions"):
        rank_cooperatives({"k1": "kopi"}, cooperatives(), options={"groups": GROUPS})


def test_ties_are_broken_by_name():
    # Zeta and Eta are identical but for the name.
    table = rank_cooperatives({"k2": "kopi"}, cooperatives(), options=OPTIONS)
    assert table["cooperative"].tolist() == ["KT Eta", "KT Zeta"]
    assert table["rank"].tolist() == [1, 2]
    assert table["points"].iloc[0] == table["points"].iloc[1]


def test_no_cooperative_is_an_explicit_row():
    table = rank_cooperatives({"k1": "kopi", "k3": "kopi", "k4": None}, cooperatives(),
                              options=OPTIONS)
    empty = table[table["status"] != "ranked"]
    assert empty[["kecamatan", "product", "status"]].values.tolist() == [
        ["k3", "kopi", "no_cooperative"], ["k4", None, "no_product"]]
    assert empty["rank"].isna().all() and empty["points"].isna().all()
    # k2 only has kopi cooperatives: none carries jagung's line or group.
    table = rank_cooperatives({"k2": "jagung"}, cooperatives(),
                              options=replace(OPTIONS, require_line=True))
    assert table[["kecamatan", "status"]].values.tolist() == [["k2", "no_matching_cooperative"]]


def test_several_products_per_kecamatan():
    assignment = pd.Series(["kopi", "jagung"], index=["k1", "k1"])
    table = rank_cooperatives(assignment, cooperatives(), options=OPTIONS)
    assert table.groupby("product")["rank"].max().to_dict() == {"jagung": 4, "kopi": 4}
    same = rank_cooperatives({"k1": ["kopi", "jagung"]}, cooperatives(), options=OPTIONS)
    pd.testing.assert_frame_equal(table, same)
    # For jagung, Delta names it and is larger than Alpha on assets: Delta first.
    assert table[table["product"] == "jagung"]["cooperative"].iloc[0] == "KT Delta"


def test_distance_function():
    def distance(kecamatan, product, points):
        return points.x.to_numpy() / 2  # half of x

    # Distances 0, 1500, 10000, 250 → distance points 20, 17, 0, 19.5.
    table = rank_cooperatives({"k1": "kopi"}, cooperatives(), options=OPTIONS,
                              suitable_land=distance)
    by_name = table.set_index("cooperative")["points_distance"]
    assert by_name.to_dict() == pytest.approx({"KUD Alpha": 20.0, "KT Beta": 17.0,
                                               "KSP Gamma": 0.0, "KT Delta": 19.5})


def test_missing_land_for_a_pair_scores_zero_distance():
    table = rank_cooperatives({"k2": "kopi"}, cooperatives(), options=OPTIONS, suitable_land=LAND)
    assert table["distance_m"].isna().all() and (table["points_distance"] == 0).all()


def test_bad_inputs():
    with pytest.raises(CRSError, match="projected"):
        rank_cooperatives({"k1": "kopi"}, cooperatives().to_crs(4326), options=OPTIONS,
                          suitable_land=LAND)
    with pytest.raises(CRSError, match="reproject"):
        rank_cooperatives({"k1": "kopi"}, cooperatives().to_crs(32650), options=OPTIONS,
                          suitable_land=LAND)
    with pytest.raises(ConfigError, match="GeoDataFrame"):
        rank_cooperatives({"k1": "kopi"}, pd.DataFrame(cooperatives().drop(columns="geometry")),
                          options=OPTIONS, suitable_land=LAND)
    with pytest.raises(ConfigError, match="Kemendagri"):
        rank_cooperatives({6390040: "kopi"}, cooperatives(), options=OPTIONS)
    with pytest.raises(ConfigError, match="lacks column"):
        rank_cooperatives({"k1": "kopi"}, cooperatives().drop(columns="anggota"),
                          options=OPTIONS)
    with pytest.raises(ConfigError, match="groups="):
        rank_cooperatives({"k1": "no_such_crop"}, cooperatives())
    negative = cooperatives()
    negative.loc[0, "aset_rupiah"] = -5
    with pytest.raises(ConfigError, match="negative"):
        rank_cooperatives({"k1": "kopi"}, negative, options=OPTIONS)


def test_missing_members_and_assets_score_zero():
    coops = cooperatives()
    coops.loc[1, ["anggota", "aset_rupiah"]] = np.nan  # Beta
    table = rank_cooperatives({"k1": "kopi"}, coops, options=OPTIONS).set_index("cooperative")
    assert table.loc["KT Beta", "points_members"] == 0.0
    assert table.loc["KT Beta", "points_assets"] == 0.0
    assert table.loc["KT Beta", "points"] == 25.0  # the group line only
