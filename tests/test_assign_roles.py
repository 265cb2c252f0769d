"""Roles of kecamatan × commodity, the base rule and the flags of a chosen product.

Every expected value is worked by hand in the comments.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aez.assign.milp import assign_products
from aez.assign.roles import (
    commodity_roles,
    falling_every_year,
    product_flags,
    restrict_to_base,
)
from aez.errors import ConfigError

K = ["k1", "k2", "k3"]
P = ["pisang", "durian", "nanas"]


def frame(rows: list[list[float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, index=K, columns=P, dtype=np.float64)


#            pisang  durian  nanas
LQ = frame([[2.1, 0.0, 0.9],      # k1: a banana base; no durian; pineapple below 1
            [0.4, 3.0, 1.0],      # k2: durian base; LQ exactly 1 counts
            [1.2, np.nan, 5.0]])  # k3: LQ ≥ 1 but no production (0 t, not reported)
TONS = frame([[1659.0, 0.0, 12.0],
              [40.0, 377.0, 2.0],
              [0.0, np.nan, np.nan]])
LAND = frame([[80.0, 120.0, 0.0],
              [0.0, 35.0, np.nan],
              [10.0, 0.0, 0.0]])


def test_roles_need_lq_one_and_production():
    roles = commodity_roles(LQ, TONS, LAND)
    assert roles.to_numpy().tolist() == [
        ["unggulan", "potensial", "none"],       # nanas: LQ 0.9 and no land
        ["none", "unggulan", "unggulan"],        # pisang: no land; nanas LQ 1.0, 2 t
        ["potensial", "none", "none"]]           # LQ 1.2 on 0 t is no base; NaN is none
    with pytest.raises(ConfigError, match="no commodity 'nanas'"):
        commodity_roles(LQ, TONS[["pisang", "durian"]], LAND)


def test_base_rule_keeps_unggulan_or_falls_back_to_eligible_products():
    roles = commodity_roles(LQ, TONS, LAND)
    eligible = LAND.fillna(0.0) > 0
    allowed, development = restrict_to_base(eligible, roles)
    # k1: pisang only (durian is eligible but potensial); k2: durian (nanas has no land, so
    # not eligible); k3: no eligible unggulan → its eligible potensial (pisang), a candidate.
    assert allowed.to_numpy().tolist() == [[True, False, False], [False, True, False],
                                          [True, False, False]]
    assert development.tolist() == [False, False, True]
    # without land rules, k3's potensial pisang is preferred to the rest; a kecamatan with
    # neither unggulan nor potensial keeps everything eligible
    everything = pd.DataFrame(True, index=K, columns=P)
    loose, _ = restrict_to_base(everything, roles)
    assert loose.loc["k3"].tolist() == [True, False, False]
    bare, candidates = restrict_to_base(everything, roles.replace("potensial", "none"))
    assert bare.loc["k3"].all() and candidates.tolist() == [False, False, True]
    # must_keep is always allowed
    kept, _ = restrict_to_base(eligible, roles, keep={"k1": "nanas"})
    assert kept.at["k1", "nanas"] and kept.at["k1", "pisang"]
    # the MILP never leaves the allowed cells
    scores = frame([[0.2, 0.9, 0.5], [0.9, 0.1, 0.5], [0.3, 0.8, 0.9]])
    chosen = assign_products(scores, eligible=allowed).chosen
    assert chosen.tolist() == ["pisang", "durian", "pisang"]
    assert assign_products(scores).chosen.tolist() == ["durian", "pisang", "nanas"]


def test_falling_every_year_needs_a_fall_in_each_step():
    long = pd.DataFrame({
        "kecamatan_id": ["k1"] * 4 + ["k2"] * 4 + ["k3"] * 2 + ["k4"],
        "commodity": "kopi",
        "year": [2020, 2021, 2022, 2023] * 2 + [2022, 2023, 2023],
        # k1 9 → 5 → 2 → 0 falls each year; k2 rises once; k3 one step; k4 one year
        "production_ton": [9, 5, 2, 0, 9, 5, 6, 1, 4.0, 3.0, 1.0]})
    # k3: 2020 and 2021 not reported (rows absent): a fall over the years it has
    falling = falling_every_year(long)
    assert falling.to_dict() == {("k1", "kopi"): True, ("k2", "kopi"): False,
                                 ("k3", "kopi"): True, ("k4", "kopi"): False}
    nan = long.assign(production_ton=[9, np.nan, 2, 0, 9, 5, 6, 1, 4.0, 3.0, 1.0])
    assert falling_every_year(nan)[("k1", "kopi")]  # NaN skipped: 9 → 2 → 0


def test_flags_carry_what_a_planner_must_see():
    roles = commodity_roles(LQ, TONS, LAND)
    chosen = pd.Series({"k1": "pisang", "k2": "durian", "k3": "durian"})
    share = LAND / 100.0
    falling = frame([[0, 0, 0], [0, 1, 0], [0, 0, 0]]).astype(bool)
    flags = product_flags(chosen, production=TONS, falling=falling, suitable_ha=LAND,
                          suitable_share=share, min_suitable_share=0.5,
                          no_alternative=pd.Series({"k1": False, "k2": True, "k3": False}),
                          development=pd.Series([roles.at[k, p] != "unggulan"
                                                 for k, p in chosen.items()], index=K))
    # k1: 1,659 t, 80 ha = 80 % ≥ 50 %: nothing. k2: durian 377 t, fell every year, 35 ha =
    # 35 % < 50 %, the only product allowed. k3: durian not reported, 0 ha, no base.
    assert flags.to_dict() == {
        "k1": (),
        "k2": ("falling", "low_suitable_land", "no_alternative"),
        "k3": ("development", "no_production", "low_suitable_land")}
    bare = product_flags(chosen, production=None, falling=None, suitable_ha=LAND,
                         suitable_share=share, min_suitable_share=0.0,
                         no_alternative=pd.Series(False, index=K), development=None)
    assert bare.to_dict() == {"k1": (), "k2": (), "k3": ("low_suitable_land",)}
