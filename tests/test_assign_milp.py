"""The assignment MILP against exhaustive enumeration, hand-worked cases and bad inputs.

The oracle enumerates every assignment of a small problem (≤ 6 kecamatan × 4
products), keeps those that satisfy the constraints as documented in
docs/assignment.md, and scores them with the documented objective. The MILP must
reach the same optimum; where the optimum is unique after the documented tie rule
(maximise Σ (m − 1 − col p)·(n − row i) among equal totals) it must return the
same assignment; and where nothing is feasible it must raise InfeasibleError
naming a set of constraints that indeed conflicts.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest

from aez.assign.milp import Assignment, AssignOptions, adjacency_from_polygons, assign_products
from aez.errors import AEZError, ConfigError, InfeasibleError

#: Keyword arguments of assign_products that are data, not AssignOptions fields.
DATA = {"eligible", "suitability_class", "adjacency", "components", "weights"}


def assign(scores, **keywords) -> Assignment:
    """assign_products with the options and data given as one set of keywords."""
    rules = {k: v for k, v in keywords.items() if k not in DATA}
    data = {k: v for k, v in keywords.items() if k in DATA}
    return assign_products(scores, options=AssignOptions(**rules), **data)


# --------------------------------------------------------------------------- the oracle


@dataclass
class Case:
    """A small random instance, as arrays (for the oracle) and as keywords of ``assign``."""

    scores: np.ndarray
    k: int = 1
    caps: np.ndarray | None = None
    share_cap: int | None = None
    min_distinct: int | None = None
    keep: np.ndarray | None = None
    forbidden: np.ndarray | None = None
    eligible: np.ndarray | None = None
    pairs: list[tuple[int, int]] = field(default_factory=list)
    bonus: float = 0.0
    options: dict = field(default_factory=dict)

    @property
    def frame(self) -> pd.DataFrame:
        n, m = self.scores.shape
        return pd.DataFrame(self.scores, index=[f"K{i}" for i in range(n)],
                            columns=[f"P{p}" for p in range(m)])


def enumerate_assignments(case: Case, groups: set[str] | None = None):
    """Every feasible 0/1 assignment (C, n, m) and its objective, by brute force.

    ``groups`` limits the constraint groups applied (None = all that the case has).
    """
    s = case.scores
    n, m = s.shape
    on = (lambda g: True) if groups is None else (lambda g: g in groups)
    rows = np.zeros((len(list(itertools.combinations(range(m), case.k))), m), dtype=bool)
    for r, chosen in enumerate(itertools.combinations(range(m), case.k)):
        rows[r, list(chosen)] = True
    combos = np.array(list(itertools.product(range(len(rows)), repeat=n)))
    x = rows[combos]                                           # (C, n, m)
    ok = ~(x & np.isnan(s)).any(axis=(1, 2))
    counts = x.sum(axis=1)                                     # (C, m)
    if case.caps is not None and on("max_per_product"):
        ok &= (counts <= case.caps).all(axis=1)
    if case.share_cap is not None and on("max_share"):
        ok &= (counts <= case.share_cap).all(axis=1)
    if case.min_distinct is not None and on("min_distinct"):
        ok &= (counts > 0).sum(axis=1) >= case.min_distinct
    if case.keep is not None and on("must_keep"):
        ok &= ~(case.keep & ~x).any(axis=(1, 2))
    if case.forbidden is not None and on("forbidden"):
        ok &= ~(case.forbidden & x).any(axis=(1, 2))
    if case.eligible is not None and on("eligible"):
        ok &= ~(~case.eligible & x).any(axis=(1, 2))
    value = np.where(x, np.nan_to_num(s), 0.0).sum(axis=(1, 2))
    for i, j in case.pairs:
        value += case.bonus * (x[:, i] & x[:, j]).sum(axis=1)
    return x[ok], value[ok]


def random_case(seed: int, *, tight: bool = False) -> Case:
    """A random small instance; roughly a third of them are infeasible.

    ``tight`` instances have more and stronger constraints, to exercise the diagnosis.
    """
    rng = np.random.default_rng(seed)
    chance = 0.6 if tight else None
    n, m = int(rng.integers(2, 7)), int(rng.integers(2, 5))
    k = 2 if m >= 3 and n <= 5 and rng.random() < 0.35 else 1
    # One or two decimals, so that exact ties are common and the tie rule is exercised.
    levels = int(rng.choice([10, 100]))
    scores = rng.integers(0, levels, (n, m)) / levels
    if rng.random() < 0.3:
        scores[rng.random((n, m)) < 0.1] = np.nan
    case = Case(scores, k)
    kec, prod = case.frame.index, case.frame.columns
    if rng.random() < (chance or 0.4):
        case.caps = rng.integers(0 if rng.random() < 0.3 else 1, n + 1, m).astype(float)
        case.options["max_per_product"] = {p: int(c) for p, c in zip(prod, case.caps,
                                                                       strict=True)}
    if rng.random() < 0.2:
        share = float(rng.choice([0.3, 0.5, 0.75], p=[0.2, 0.4, 0.4]))
        case.share_cap = int(np.floor(share * n + 1e-9))      # as documented
        case.options["max_share"] = share
    if rng.random() < (chance or 0.4):
        case.min_distinct = int(rng.integers(m - 1 if tight else 1, m + 1))
        case.options["min_distinct"] = case.min_distinct
    if rng.random() < (chance or 0.3):
        case.keep = np.zeros((n, m), dtype=bool)
        for i in rng.choice(n, size=min(n, int(rng.integers(1, 3))), replace=False):
            case.keep[i, rng.integers(m)] = True
        case.options["must_keep"] = {kec[i]: prod[p] for i, p in np.argwhere(case.keep)}
    if rng.random() < (chance or 0.4):
        case.forbidden = rng.random((n, m)) < (0.35 if tight else 0.2)
        if rng.random() < 0.5:
            case.options["forbidden"] = pd.DataFrame(case.forbidden, index=kec, columns=prod)
        else:
            case.options["forbidden"] = {kec[i]: [prod[p] for p in np.flatnonzero(row)]
                                         for i, row in enumerate(case.forbidden) if row.any()}
    if rng.random() < (chance or 0.3):
        case.eligible = rng.random((n, m)) < 0.8
        case.options["eligible"] = pd.DataFrame(case.eligible, index=kec, columns=prod)
    if rng.random() < 0.5:
        case.pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.4]
        case.bonus = float(rng.choice([0.05, 0.2, 0.5]))
        case.options["adjacency"] = [(kec[i], kec[j]) for i, j in case.pairs]
        case.options["contiguity_bonus"] = case.bonus
    return case


def as_matrix(result: Assignment, case: Case) -> np.ndarray:
    frame = case.frame
    x = np.zeros(case.scores.shape, dtype=bool)
    for i, products in enumerate(result.table.loc[frame.index, "products"]):
        x[i, [frame.columns.get_loc(p) for p in products]] = True
    return x


GROUP_WORDS = {"max_per_product": "max_per_product", "max_share": "max_share",
               "min_distinct": "min_distinct", "must_keep": "must_keep",
               "forbidden": "forbid", "eligible": "minimum biophysical class"}


# --------------------------------------------------------------------------- oracle tests


def check_infeasible(case: Case) -> str:
    """The MILP raises, naming constraints that conflict according to the oracle."""
    with pytest.raises(InfeasibleError) as info:
        assign(case.frame, per_kecamatan=case.k, **case.options)
    message = str(info.value)
    named = {g for g, word in GROUP_WORDS.items() if word in message}
    # The named constraints (with the core: k products per scored kecamatan) conflict.
    assert len(enumerate_assignments(case, named)[1]) == 0, message
    if message.startswith("No assignment gives"):
        # The deletion filter's set is irreducible: drop any one and it is feasible.
        for group in named:
            assert len(enumerate_assignments(case, named - {group})[1]) > 0, (group, message)
    return message


@pytest.mark.parametrize("seed", range(200))
def test_milp_matches_brute_force(seed):
    case = random_case(seed)
    x_all, values = enumerate_assignments(case)
    if len(values) == 0:
        check_infeasible(case)
        return
    result = assign(case.frame, per_kecamatan=case.k, **case.options)
    best = values.max()
    assert result.status == "optimal" and result.gap == 0
    assert result.objective == pytest.approx(best, abs=1e-9)
    # The returned assignment is feasible (the oracle lists it) and worth the objective.
    x = as_matrix(result, case)
    match = np.flatnonzero((x_all == x).all(axis=(1, 2)))
    assert len(match) == 1
    assert values[match[0]] == pytest.approx(best, abs=1e-9)
    # The documented tie rule picks one optimum; when it is unique, it is the MILP's.
    n, m = case.scores.shape
    tie = (m - 1 - np.arange(m))[None, :] * (n - np.arange(n))[:, None]
    optimal = x_all[values >= best - 1e-9]
    tie_values = (optimal * tie).sum(axis=(1, 2))
    if (tie_values == tie_values.max()).sum() == 1:
        np.testing.assert_array_equal(x, optimal[tie_values.argmax()])


@pytest.mark.parametrize("seed", range(15))
def test_deletion_filter_against_brute_force(seed):
    # Draw tight instances until one passes the pre-checks and needs the deletion filter.
    for attempt in range(300):
        case = random_case(10_000 + 300 * seed + attempt, tight=True)
        if len(enumerate_assignments(case)[1]) == 0:
            try:
                assign(case.frame, per_kecamatan=case.k, **case.options)
            except InfeasibleError as error:
                if str(error).startswith("No assignment gives"):
                    break
            else:
                pytest.fail(f"the oracle finds no assignment but the MILP does: {case}")
    else:
        pytest.fail("no instance needed the deletion filter")
    message = check_infeasible(case)
    assert sum(word in message for word in GROUP_WORDS.values()) >= 1


@pytest.mark.parametrize("seed", range(20))
def test_unrounded_scores_are_optimal_within_the_documented_resolution(seed):
    rng = np.random.default_rng(1000 + seed)
    case = Case(rng.random((6, 4)), caps=np.full(4, 2.0), pairs=[(0, 1), (1, 2), (3, 4)],
                bonus=0.1)
    case.options = {"max_per_product": 2, "adjacency": [("K0", "K1"), ("K1", "K2"),
                                                        ("K3", "K4")], "contiguity_bonus": 0.1}
    _, values = enumerate_assignments(case)
    result = assign(case.frame, **case.options)
    # Six significant digits of the largest score (< 1): each of n·k terms within 0.5e-6.
    assert abs(result.objective - values.max()) <= 6 * 1e-6


# --------------------------------------------------------------------------- hand-worked

HAND = pd.DataFrame({"jagung": [0.9, 0.8, 0.4], "padi": [0.6, 0.7, 0.5],
                     "kopi": [0.3, 0.1, 0.6]}, index=pd.Index(["A", "B", "C"], name="kec"))


def test_unconstrained_takes_each_row_maximum():
    result = assign_products(HAND)
    assert result.chosen.to_dict() == {"A": "jagung", "B": "jagung", "C": "kopi"}
    assert result.objective == pytest.approx(0.9 + 0.8 + 0.6)
    assert result.table.index.name == "kec"
    assert all(b == () for b in result.table["binding"])


def test_capacity_moves_the_weaker_kecamatan_and_says_why():
    # jagung ≤ 1: A jagung + B padi + C kopi = 0.9 + 0.7 + 0.6 = 2.2
    #          beats B jagung + A padi + C kopi = 0.8 + 0.6 + 0.6 = 2.0.
    result = assign_products(HAND, options=AssignOptions(max_per_product={"jagung": 1}))
    assert result.chosen.to_dict() == {"A": "jagung", "B": "padi", "C": "kopi"}
    assert result.objective == pytest.approx(2.2)
    binding = result.table["binding"]
    assert binding["A"] == () and binding["C"] == ()
    assert binding["B"] == ("max_per_product: jagung (1/1) full; without it jagung",)
    assert result.counterfactual["max_per_product"]["B"] == ("jagung",)
    text = result.explain("B")
    assert "gets padi (score 0.7)" in text and "jagung (1/1) full" in text
    assert "Alternatives: jagung 0.8, kopi 0.1." in text


def test_constraints_that_bind_only_together():
    # max_share = 1/3 allows floor(1) = 1 kecamatan per product, as does jagung ≤ 1: dropping
    # either alone leaves jagung capped, so B's move from jagung is due to both together.
    options = AssignOptions(max_per_product={"jagung": 1}, max_share=1 / 3)
    result = assign_products(HAND, options=options)
    assert result.chosen.to_dict() == {"A": "jagung", "B": "padi", "C": "kopi"}
    assert result.table.loc["B", "binding"] == ()
    assert result.table.loc["B", "best_allowed"] == ("jagung",)
    assert "together they moved it from its best allowed jagung" in result.explain("B")
    assert "these are its best allowed products" in result.explain("A")


def test_top_three_alternatives_by_hand():
    scores = pd.DataFrame([[0.2, 0.9, 0.5, 0.7, 0.5]], index=["K"], columns=list("abcde"))
    row = assign_products(scores).table.loc["K"]
    # Chosen b (0.9); then d 0.7; c and e tie at 0.5 and c comes first in the columns.
    assert row["product"] == "b" and row["score"] == 0.9
    got = [(row[f"alternative_{r}"], row[f"alternative_{r}_score"]) for r in (1, 2, 3)]
    assert got == [("d", 0.7), ("c", 0.5), ("e", 0.5)]
    # Forbidding d leaves c, e, then a (0.2); alternatives are allowed products only.
    row = assign_products(scores, options=AssignOptions(forbidden={"K": "d"})).table.loc["K"]
    got = [(row[f"alternative_{r}"], row[f"alternative_{r}_score"]) for r in (1, 2, 3)]
    assert got == [("c", 0.5), ("e", 0.5), ("a", 0.2)]
    # With two products allowed only one alternative remains.
    row = assign_products(scores, eligible=scores.isin([0.9, 0.2])).table.loc["K"]
    assert (row["alternative_1"], row["alternative_1_score"]) == ("a", 0.2)
    assert row["alternative_2"] is None and np.isnan(row["alternative_2_score"])


def test_per_kecamatan_two_by_hand():
    # Each kecamatan takes its two best: A jagung+padi (1.5), B jagung+padi (1.5),
    # C kopi+padi (1.1); with padi ≤ 2, C's second choice becomes jagung
    # (C: kopi+jagung = 1.0, losing 0.1) rather than A (jagung+kopi = 1.2, losing 0.3)
    # or B (jagung+kopi = 0.9, losing 0.6).
    free = assign_products(HAND, options=AssignOptions(per_kecamatan=2))
    assert free.table["products"].to_dict() == {"A": ("jagung", "padi"),
                                                "B": ("jagung", "padi"), "C": ("kopi", "padi")}
    assert free.objective == pytest.approx(1.5 + 1.5 + 1.1)
    capped = assign_products(HAND, options=AssignOptions(per_kecamatan=2,
                                                         max_per_product={"padi": 2}))
    assert capped.table["products"].to_dict() == {"A": ("jagung", "padi"),
                                                  "B": ("jagung", "padi"),
                                                  "C": ("kopi", "jagung")}
    assert capped.objective == pytest.approx(1.5 + 1.5 + 1.0)
    assert capped.table.loc["C", "product"] == "kopi"
    assert capped.table.loc["C", "total_score"] == pytest.approx(1.0)


def test_must_keep_and_minimum_class_show_in_binding():
    classes = pd.DataFrame("S2", index=HAND.index, columns=HAND.columns)
    classes.loc["A", "jagung"] = "N"
    # A may not take jagung (class N < S3): its best eligible product is padi.
    result = assign_products(HAND, suitability_class=classes,
                             options=AssignOptions(min_class="S3", must_keep={"C": "padi"}))
    assert result.chosen.to_dict() == {"A": "padi", "B": "jagung", "C": "padi"}
    assert result.table.loc["A", "binding"] == (
        "minimum biophysical class (eligible): without it jagung",)
    assert result.table.loc["C", "binding"] == ("must_keep fixes padi; without it kopi",)
    assert result.objective == pytest.approx(0.6 + 0.8 + 0.5)


def test_contiguity_bonus_by_hand():
    scores = pd.DataFrame({"x": [0.9, 0.5], "y": [0.7, 0.6]}, index=["A", "B"])
    # Without a bonus: A x + B y = 1.5. Bonus 0.3: x,x = 1.4 + 0.3 = 1.7 > y,y = 1.6 > 1.5.
    result = assign_products(scores, adjacency=[("B", "A")],
                             options=AssignOptions(contiguity_bonus=0.3))
    assert result.chosen.to_dict() == {"A": "x", "B": "x"}
    assert result.objective == pytest.approx(1.7) and result.shared_pairs == 1
    assert result.table.loc["B", "binding"] == ("contiguity bonus: without it y",)
    assert result.table["shared_neighbours"].to_dict() == {"A": 1, "B": 1}
    # Bonus 0.05: x,x = 1.45 < x,y = 1.5, so the bonus does not change anything.
    small = assign_products(scores, adjacency=[("A", "B")],
                            options=AssignOptions(contiguity_bonus=0.05))
    assert small.chosen.to_dict() == {"A": "x", "B": "y"} and small.shared_pairs == 0
    assert small.objective == pytest.approx(1.5)


def test_ties_go_to_the_first_column_and_the_first_kecamatan():
    one = pd.DataFrame([[0.5, 0.5, 0.1]], index=["K"], columns=["p", "q", "r"])
    assert assign_products(one).chosen["K"] == "p"
    assert assign_products(one[["q", "p", "r"]]).chosen["K"] == "q"
    two = pd.DataFrame(0.5, index=["K0", "K1"], columns=["p", "q"])
    one_each = AssignOptions(max_per_product=1)
    swap = assign_products(two, options=one_each)
    assert swap.chosen.to_dict() == {"K0": "p", "K1": "q"}
    assert assign_products(two.iloc[::-1], options=one_each).chosen.to_dict() == {
        "K1": "p", "K0": "q"}


def test_same_input_same_output_and_relabelling_invariance():
    rng = np.random.default_rng(7)
    scores = pd.DataFrame(rng.random((20, 30)), index=[f"K{i:02d}" for i in range(20)],
                          columns=[f"P{j:02d}" for j in range(30)])
    options = AssignOptions(max_per_product=2, min_distinct=12, must_keep={"K03": "P07"},
                            forbidden={"K05": ["P00", "P01"]})
    first = assign_products(scores, options=options)
    second = assign_products(scores.copy(), options=options)
    pd.testing.assert_frame_equal(first.table, second.table)
    assert first.objective == second.objective
    for group, series in first.counterfactual.items():
        pd.testing.assert_series_equal(series, second.counterfactual[group])
    # Random real scores have a unique optimum, so the order of rows and columns is irrelevant.
    shuffled = scores.iloc[rng.permutation(20), rng.permutation(30)]
    third = assign_products(shuffled, options=options)
    assert third.chosen.sort_index().equals(first.chosen)
    assert third.objective == pytest.approx(first.objective, abs=1e-12)


def test_missing_scores_are_never_assigned():
    scores = HAND.copy()
    scores.loc["A", "jagung"] = np.nan
    result = assign_products(scores)
    assert result.chosen["A"] == "padi"
    assert result.table.loc["A", "alternative_1"] == "kopi"  # jagung is not an alternative


def test_components_and_weights_are_explained():
    suit = pd.DataFrame({"jagung": [1.0, 0.6], "padi": [0.2, 1.0]}, index=["A", "B"])
    market = pd.DataFrame({"jagung": [0.5, 1.0], "padi": [1.0, 0.0]}, index=["A", "B"])
    weights = {"suitability": 0.75, "market": 0.25}
    total = 0.75 * suit + 0.25 * market          # A: 0.875 / 0.4; B: 0.7 / 0.75
    result = assign_products(total, components={"suitability": suit, "market": market},
                             weights=weights)
    assert result.chosen.to_dict() == {"A": "jagung", "B": "padi"}
    assert result.table.loc["B", "component_suitability"] == 1.0
    assert result.table.loc["B", "component_market"] == 0.0
    text = result.explain("A")
    assert "suitability 1 × 0.75 = 0.75" in text and "market 0.5 × 0.25 = 0.125" in text
    with pytest.raises(ConfigError, match="Σ weights·components"):
        assign_products(total, components={"suitability": suit, "market": market},
                        weights={"suitability": 0.5, "market": 0.5})
    with pytest.raises(ConfigError, match="must match"):
        assign_products(total, components={"suitability": suit}, weights=weights)
    with pytest.raises(ConfigError, match="Unknown kecamatan"):
        result.explain("Z")


# --------------------------------------------------------------------------- infeasibility


def infeasible(scores, **keywords) -> str:
    with pytest.raises(InfeasibleError) as info:
        assign(scores, **keywords)
    return str(info.value)


def test_capacity_too_small_for_the_kecamatan():
    message = infeasible(HAND, max_per_product=1, per_kecamatan=2)
    # 3 products × 1 kecamatan each = 3 places for 3 × 2 = 6.
    assert "max_per_product" in message and "room for 3 of 6 places" in message
    assert "Remedy: raise or remove [assign] max_per_product" in message
    message = infeasible(HAND, max_share=0.2)          # floor(0.2 × 3) = 0 per product
    assert "max_share allows 0 kecamatan per product" in message and "0 of 3" in message


def test_must_keep_against_capacity_and_forbidden():
    message = infeasible(HAND, max_per_product={"jagung": 1},
                         must_keep={"A": "jagung", "B": "jagung"})
    assert "must_keep conflicts with max_per_product" in message
    assert "'jagung' in 2 kecamatan but max_per_product allows 1" in message
    message = infeasible(HAND, must_keep={"A": "kopi"}, forbidden={"A": "kopi"})
    assert "must_keep conflicts with forbidden in kecamatan 'A'" in message
    message = infeasible(HAND, must_keep={"A": ["kopi", "padi"]})
    assert "must_keep gives kecamatan 'A' 2 products" in message


def test_kecamatan_without_an_allowed_product():
    eligible = pd.DataFrame(True, index=HAND.index, columns=HAND.columns)
    eligible.loc["B", "padi"] = False
    message = infeasible(HAND, forbidden={"B": ["jagung", "kopi"]}, eligible=eligible)
    assert "Kecamatan 'B' has 0 allowed products" in message
    assert "forbidden removes [jagung, kopi]" in message
    assert "minimum biophysical class (eligible) removes [padi]" in message


def test_deletion_filter_names_the_conflicting_groups_only():
    # Three products but kopi is forbidden everywhere, so only two can be used:
    # min_distinct = 3 conflicts with forbidden; max_share = 2/3 (2 per product) is innocent.
    message = infeasible(HAND, min_distinct=3, forbidden={k: "kopi" for k in HAND.index},
                         max_share=2 / 3)
    assert message.startswith("No assignment gives each of the 3 kecamatan 1 product(s)")
    assert "under min_distinct + forbidden." in message
    assert "min_distinct = 3 (2 products can be placed at all; 3 places)" in message
    assert "max_share" not in message
    # min_distinct above n·k conflicts with nothing but the core.
    message = infeasible(HAND.iloc[:2], min_distinct=3)
    assert "under min_distinct." in message and "Dropping it makes" in message


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("options", "match"), [
    ({"per_kecamatan": 0}, "per_kecamatan must be an integer ≥ 1"),
    ({"per_kecamatan": 4}, "only 3 products"),
    ({"max_per_product": {"sagu": 1}}, "names product 'sagu'"),
    ({"max_per_product": -1}, "max_per_product must be an integer ≥ 0"),
    ({"max_share": 1.5}, "max_share must be a fraction"),
    ({"min_distinct": 4}, "min_distinct = 4 but there are only 3 products"),
    ({"must_keep": {"Z": "padi"}}, "names kecamatan 'Z'"),
    ({"forbidden": ["A"]}, "forbidden must be a mapping"),
    ({"eligible": pd.DataFrame(True, index=["A", "B"], columns=HAND.columns)}, "lacks ids"),
    ({"eligible": HAND.where(HAND > 0.5)}, "only True/False"),
    ({"min_class": "S5", "suitability_class": HAND}, "go together"),
    ({"contiguity_bonus": 0.1}, "needs adjacency"),
    ({"contiguity_bonus": -1.0, "adjacency": []}, "contiguity_bonus must be ≥ 0"),
    ({"adjacency": [("A", "B", "C")]}, "pairs"),
    ({"time_limit": 0}, "time_limit must be a positive number"),
])
def test_bad_options_raise_config_errors(options, match):
    with pytest.raises(ConfigError, match=re.escape(match)):
        assign(HAND, **options)


def test_options_must_be_assign_options():
    with pytest.raises(ConfigError, match="must be an AssignOptions"):
        assign_products(HAND, options={"max_share": 0.5})


def test_bad_scores_raise_config_errors():
    with pytest.raises(ConfigError, match="non-empty DataFrame"):
        assign_products(HAND.to_numpy())
    with pytest.raises(ConfigError, match="repeat product ids"):
        assign_products(HAND.rename(columns={"kopi": "padi"}))
    with pytest.raises(ConfigError, match="±inf"):
        assign_products(HAND.replace(0.9, np.inf))
    with pytest.raises(ConfigError, match="must be numbers"):
        assign_products(HAND.astype(object).replace(0.9, "high"))
    classes = pd.DataFrame("S1", index=HAND.index, columns=HAND.columns)
    classes.loc["A", "padi"] = "S9"
    with pytest.raises(ConfigError, match="labels outside"):
        assign_products(HAND, suitability_class=classes, options=AssignOptions(min_class="S2"))
    assert issubclass(InfeasibleError, AEZError)


def test_a_generous_time_limit_still_proves_optimality():
    options = AssignOptions(max_per_product={"jagung": 1}, time_limit=60)
    result = assign_products(HAND, options=options)
    assert result.status == "optimal" and result.gap == 0.0
    assert result.objective == pytest.approx(2.2)


# --------------------------------------------------------------------------- adjacency


def test_adjacency_from_polygons_queen_contiguity():
    gpd = pytest.importorskip("geopandas")
    from shapely import Polygon, box

    # A 3 × 3 grid of unit squares: 6 horizontal + 6 vertical + 8 diagonal neighbours = 20.
    cells = [(r, c) for r in range(3) for c in range(3)]
    frame = gpd.GeoDataFrame({"kec": [f"{r}{c}" for r, c in cells]},
                             geometry=[box(c, r, c + 1, r + 1) for r, c in cells])
    pairs = adjacency_from_polygons(frame, "kec")
    assert len(pairs) == 20 and len(set(pairs)) == 20
    assert ("00", "11") in pairs and ("00", "02") not in pairs
    # A 1e-3 gap is a neighbour only with a tolerance above it; an invalid bow-tie is repaired.
    gap = gpd.GeoDataFrame({"kec": ["a", "b", "c"]},
                           geometry=[box(0, 0, 1, 1), box(1.001, 0, 2, 1),
                                     Polygon([(2, 0), (3, 1), (3, 0), (2, 1)])])
    assert adjacency_from_polygons(gap, "kec") == [("b", "c")]
    assert adjacency_from_polygons(gap, "kec", tolerance=0.01) == [("a", "b"), ("b", "c")]
    with pytest.raises(ConfigError, match="no column"):
        adjacency_from_polygons(gap, "id")
    with pytest.raises(ConfigError, match="repeats ids"):
        adjacency_from_polygons(gap.assign(kec=["a", "a", "c"]), "kec")


def test_adjacency_on_real_kecamatan_matches_pairwise_distances():

    gpd = pytest.importorskip("geopandas")
    from aez.testing import real_layer

    path = real_layer("boundaries/kec_sikka_bps5310_kemendagri5307.geojson")
    import shapely

    frame = gpd.read_file(path).to_crs(32751)                    # UTM 51S, metres
    pairs = adjacency_from_polygons(frame, "kode_kemendagri", tolerance=1.0)
    geoms = shapely.make_valid(np.asarray(frame.geometry.array, dtype=object))
    ids = frame["kode_kemendagri"].tolist()
    expected = [(ids[a], ids[b]) for a in range(len(ids)) for b in range(a + 1, len(ids))
                if shapely.distance(geoms[a], geoms[b]) <= 1.0]
    assert len(frame) == 21 and pairs == expected


def test_inputs_are_not_modified():
    scores = HAND.reset_index(drop=True).rename(index=lambda i: f"k{i}")
    eligible = scores > 0.2
    before, before_eligible = scores.copy(), eligible.copy()
    options = AssignOptions(max_per_product={"jagung": 1}, must_keep={"k2": "kopi"})
    result = assign_products(scores, eligible=eligible, options=options)
    assert result.table.index.name == "kecamatan" and scores.index.name is None
    pd.testing.assert_frame_equal(scores, before)
    pd.testing.assert_frame_equal(eligible, before_eligible)


def test_the_worked_example_in_the_docs():
    import doctest
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "docs" / "assignment.md"
    result = doctest.testfile(str(path), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 12 and result.failed == 0


@pytest.mark.parametrize("seed", range(25))
def test_solver_free_paths_match_the_milp(seed, monkeypatch):
    """The row-wise and capacitated-assignment shortcuts return the MILP's tie-broken optimum."""
    import aez.assign._milp_model as model

    rng = np.random.default_rng(500 + seed)
    n, m = int(rng.integers(8, 16)), int(rng.integers(3, 7))
    scores = rng.integers(0, 6, (n, m)) / 5  # coarse, so ties are common
    frame = pd.DataFrame(scores, index=[f"K{i}" for i in range(n)],
                         columns=[f"P{p}" for p in range(m)])
    eligible = pd.DataFrame(rng.random((n, m)) < 0.8, index=frame.index, columns=frame.columns)
    eligible.iloc[:, 0] = True  # every kecamatan keeps an allowed product
    share = float(rng.choice([0.3, 0.5, 1.0]))
    if np.floor(share * n + 1e-9) * m < n:
        share = 1.0
    options = AssignOptions(max_share=share, min_distinct=int(rng.integers(1, 3)))
    problem = model.prepare(frame, options, eligible=eligible)
    q = problem.scores
    taken = []
    for path in ("separable_optimum", "transport_optimum"):
        original = getattr(model, path)
        monkeypatch.setattr(model, path, lambda *a, _f=original, _p=path, **k:
                            taken.append(_p) or _f(*a, **k))
    fast = model.solve(problem, q, problem.groups, 0.0)
    assert taken  # a shortcut was tried
    monkeypatch.setattr(model, "separable_optimum", lambda *a, **k: None)
    monkeypatch.setattr(model, "transport_optimum", lambda *a, **k: None)
    slow = model.solve(problem, q, problem.groups, 0.0)
    if slow is None:  # infeasible: the shortcuts found nothing either
        assert fast is None
        return
    assert fast is not None and slow.status == "optimal"
    np.testing.assert_array_equal(fast.x, slow.x)


@pytest.mark.parametrize("seed", range(10))
def test_without_the_binding_analysis_the_products_are_the_same(seed):
    case = random_case(seed)
    if len(enumerate_assignments(case)[1]) == 0:
        return
    full = assign(case.frame, per_kecamatan=case.k, **case.options)
    data = {k: v for k, v in case.options.items() if k in DATA}
    rules = {k: v for k, v in case.options.items() if k not in DATA}
    quick = assign_products(case.frame, options=AssignOptions(per_kecamatan=case.k, **rules),
                            binding=False, **data)
    assert quick.table["products"].equals(full.table["products"])
    assert quick.objective == full.objective and not quick.counterfactual
    assert all(b == () for b in quick.table["binding"])
