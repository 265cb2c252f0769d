"""Assignment per kabupaten: scope, kecamatan without a product, contiguity, determinism.

Oracles: brute-force enumeration of every assignment (small instances), hand
reasoning on two-kabupaten examples, and the config schema for remedies.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import fields

import numpy as np
import pandas as pd
import pytest

from aez.assign._milp_model import REMEDY, _max_inside
from aez.assign.milp import assign_products
from aez.assign.options import AssignOptions
from aez.assign.regional import assign_by_region
from aez.config import RunConfig
from aez.errors import InfeasibleError


def _brute_force(scores: np.ndarray, pairs: list[tuple[int, int]], bonus: float,
                 cap: int | None) -> float:
    """Best Σ score + bonus × shared pairs over every assignment (one product each)."""
    n, m = scores.shape
    best = -np.inf
    for choice in itertools.product(range(m), repeat=n):
        counts = np.bincount(choice, minlength=m)
        if cap is not None and counts.max() > cap:
            continue
        value = scores[np.arange(n), choice].sum() + bonus * sum(
            choice[i] == choice[j] for i, j in pairs)
        best = max(best, value)
    return float(best)


@pytest.mark.parametrize("seed", range(40))
def test_contiguity_with_capacities_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(3, 7)), int(rng.integers(2, 4))
    scores = np.round(rng.random((n, m)), 3)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.5]
    bonus = float(rng.choice([0.05, 0.3, 1.0]))
    cap = int(rng.integers(max(1, -(-n // m)), n + 1))
    kec = [f"k{i}" for i in range(n)]
    frame = pd.DataFrame(scores, index=kec, columns=[f"p{j}" for j in range(m)])
    result = assign_products(frame, options=AssignOptions(max_per_product=cap,
                                                          contiguity_bonus=bonus),
                             adjacency=[(kec[i], kec[j]) for i, j in pairs])
    assert result.status == "optimal"
    assert result.objective == pytest.approx(_brute_force(scores, pairs, bonus, cap), abs=1e-9)


def test_densest_subset_bound_by_hand():
    # A path 0-1-2-3 plus the chord 0-2: the densest three are {0, 1, 2} (three pairs).
    pairs = np.array([(0, 1), (1, 2), (2, 3), (0, 2)])
    assert _max_inside(pairs, 4, 3) == 3
    assert _max_inside(pairs, 4, 2) == 1
    assert _max_inside(pairs, 4, 1) == 0
    assert _max_inside(pairs, 4, 4) == 4


# Two kabupaten (33.01, 33.02) of two kecamatan each; jagung is everyone's best, by
# 0.4, 0.3, 0.05 and 0.1 over padi.
SCORES = pd.DataFrame({"jagung": [0.9, 0.8, 0.7, 0.6], "padi": [0.5, 0.5, 0.65, 0.5]},
                      index=["33.01.01", "33.01.02", "33.02.01", "33.02.02"])
KABUPATEN = pd.Series(["33.01", "33.01", "33.02", "33.02"], index=SCORES.index)


def test_scope_kabupaten_applies_the_caps_within_each_kabupaten():
    options = AssignOptions(max_share=0.5)
    # Per kabupaten, one kecamatan per product: jagung where it gains most within the
    # kabupaten (0.4 in 33.01, 0.1 in 33.02).
    per_kab = assign_by_region(SCORES, KABUPATEN, options=options).assignment
    assert per_kab.chosen.tolist() == ["jagung", "padi", "padi", "jagung"]
    # Across the study area, two places for jagung: the two largest gains (0.4, 0.3).
    whole = assign_by_region(SCORES, pd.Series("all", index=SCORES.index),
                             options=options).assignment
    assert whole.chosen.tolist() == ["jagung", "jagung", "padi", "padi"]
    # The study-area scope is the one-problem MILP.
    single = assign_products(SCORES, options=options)
    assert whole.chosen.tolist() == single.chosen.tolist()
    assert whole.objective == pytest.approx(single.objective)


def test_small_kabupaten_keep_one_place_per_product():
    # max_share 0.25 of two kecamatan is zero places: per kabupaten it allows one.
    result = assign_by_region(SCORES, KABUPATEN, options=AssignOptions(max_share=0.25,
                                                                         min_distinct=3))
    assert result.solves["status"].tolist() == ["optimal", "optimal"]
    for kab in ("33.01", "33.02"):
        assert result.assignment.chosen[kab == KABUPATEN].nunique() == 2


def test_kecamatan_without_an_eligible_product_is_a_result():
    eligible = pd.DataFrame(True, index=SCORES.index, columns=SCORES.columns)
    eligible.loc["33.02.01"] = False
    result = assign_by_region(SCORES, KABUPATEN, eligible=eligible,
                              options=AssignOptions(max_per_product=1))
    table = result.assignment.table
    assert table.loc["33.02.01", "product"] is None
    reason = table.loc["33.02.01", "reason"]
    assert "minimum biophysical class" in reason and "jagung, padi" in reason
    assert "best scored: jagung (0.7)" in reason
    # The other kecamatan of the kabupaten is solved without it: jagung, its best.
    assert table.loc["33.02.02", "product"] == "jagung"
    assert pd.isna(table.loc["33.01.01", "reason"])
    assert result.solves.loc["33.02", "n_none"] == 1


def test_a_kabupaten_with_no_product_anywhere():
    scores = SCORES.copy()
    scores.loc[KABUPATEN == "33.02"] = np.nan
    result = assign_by_region(scores, KABUPATEN)
    assert result.assignment.chosen.iloc[2:].isna().all()
    assert result.solves.loc["33.02", "status"] == "no_product"
    assert "no product has a score" in result.assignment.table.loc["33.02.01", "reason"]


def test_a_cap_the_eligible_products_cannot_meet_is_raised_just_enough():
    # Kabupaten 33.01: eight kecamatan, jagung eligible everywhere, padi in two, kopi in
    # one, tebu nowhere. max_share 0.25 allows two per product (6 eligible places for 8
    # kecamatan): infeasible as given.
    kec = [f"33.01.{i:02d}" for i in range(1, 9)]
    scores = pd.DataFrame({"jagung": 0.5, "padi": 0.6, "kopi": 0.7, "tebu": 0.9}, index=kec)
    eligible = pd.DataFrame({"jagung": True, "padi": False, "kopi": False, "tebu": False},
                            index=kec)
    eligible.loc[kec[:2], "padi"] = True
    eligible.loc[kec[2], "kopi"] = True
    regions = pd.Series("33.01", index=kec)
    options = AssignOptions(max_share=0.25, min_distinct=4)
    with pytest.raises(InfeasibleError, match=r"Region 33\.01"):
        assign_by_region(scores, regions, eligible=eligible, options=options, fit_small=False)
    result = assign_by_region(scores, regions, eligible=eligible, options=options)
    # By hand: padi and kopi take at most 2 + 1 kecamatan, so jagung needs 5 (its cap
    # rises from 2 to 5), and only 3 distinct products can be placed (4 lowered to 3).
    chosen = result.assignment.chosen
    assert chosen.value_counts().to_dict() == {"jagung": 5, "padi": 2, "kopi": 1}
    note = result.solves.loc["33.01", "note"]
    assert "max_share raised from 2 to 5" in note and "min_distinct lowered from 4 to 3" in note
    # Brute force: no assignment within the eligible cells has at most 4 per product.
    allowed = [np.flatnonzero(row) for row in eligible.to_numpy()]
    counts = (np.bincount(choice, minlength=4) for choice in itertools.product(*allowed))
    assert min(c.max() for c in counts) == 5


def test_kabupaten_that_meet_their_caps_keep_them():
    result = assign_by_region(SCORES, KABUPATEN, options=AssignOptions(max_share=0.5))
    assert result.solves["note"].tolist() == ["", ""]


def _province(seed: int = 3) -> tuple[pd.DataFrame, pd.Series, dict, dict, list]:
    rng = np.random.default_rng(seed)
    kec = [f"33.{k:02d}.{i:02d}" for k in (1, 2, 3) for i in range(1, 7)]
    products = [f"p{j}" for j in range(6)]
    components = {c: pd.DataFrame(rng.random((len(kec), len(products))), index=kec,
                                  columns=products) for c in ("a", "b", "c")}
    weights = {"a": 0.5, "b": 0.3, "c": 0.2}
    total = sum(w * components[c] for c, w in weights.items())
    pairs = [(kec[i], kec[i + 1]) for i in range(len(kec) - 1)]
    return total, pd.Series([k[:5] for k in kec], index=kec), components, weights, pairs


def _solved(executor: str, workers: int):
    total, regions, components, weights, pairs = _province()
    return assign_by_region(total, regions, components=components, weights=weights,
                            options=AssignOptions(max_share=0.5, contiguity_bonus=0.05),
                            adjacency=pairs, draws=12, seed=5, concentration=20.0,
                            executor=executor, workers=workers)


def test_same_result_with_one_or_two_workers_and_on_dask():
    serial = _solved("serial", 1)
    frames = [serial.assignment.table.astype(str), serial.robustness.probability,
              serial.robustness.summary.astype(str)]
    for executor, workers in (("threads", 1), ("threads", 2), ("dask", 2)):
        other = _solved(executor, workers)
        pd.testing.assert_frame_equal(other.assignment.table.astype(str), frames[0])
        pd.testing.assert_frame_equal(other.robustness.probability, frames[1])
        pd.testing.assert_frame_equal(other.robustness.summary.astype(str), frames[2])
    # Each kabupaten is solved alone: neighbour pairs across a border earn nothing.
    assert serial.solves["neighbour_pairs"].tolist() == [5, 5, 5]


def test_progress_counts_regions_then_draws():
    total, regions, components, weights, _ = _province()
    seen = []
    assign_by_region(total, regions, components=components, weights=weights, draws=4,
                     on_progress=lambda done, all_: seen.append((done, all_)))
    assert seen == [(i, 7) for i in range(1, 8)]


def test_every_remedy_names_a_setting_that_exists():
    sections = {f.name: f.type for f in fields(RunConfig)}
    from aez.config import AssignConfig
    assign_keys = {f.name for f in fields(AssignConfig)}
    for group, remedy in REMEDY.items():
        named = re.findall(r"\[(\w+)\] (\w+)", remedy)
        assert named, (group, remedy)
        for section, key in named:
            assert section in sections, remedy
            assert section == "assign" and key in assign_keys, remedy
