"""The weight Monte Carlo: reproducible, normalised, and counting what an independent solve gives.

Oracles: without portfolio constraints each draw's assignment is the row-wise
argmax of the drawn total (computed here with numpy from the drawn weights); with
constraints it is what :func:`assign_products` returns for the drawn total; the
Dirichlet draws follow the Beta marginals stated in the module docstring.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from aez.assign.milp import AssignOptions, assign_products
from aez.assign.robustness import STABILITY, _draw, assess_robustness, stability_label
from aez.errors import ConfigError

KEC = pd.Index([f"K{i}" for i in range(6)], name="kec")
PRODUCTS = ["jagung", "padi", "kopi", "kakao"]


def random_components(seed: int, names=("suit", "market", "labour")) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    return {name: pd.DataFrame(rng.random((len(KEC), len(PRODUCTS))), index=KEC,
                               columns=PRODUCTS) for name in names}


WEIGHTS = {"suit": 0.5, "market": 0.3, "labour": 0.2}


def drawn_totals(result, components):
    names = list(result.weights.columns)
    for w in result.weights.to_numpy():
        yield sum(weight * components[name] for weight, name in zip(w, names, strict=True))


def test_same_seed_same_result_and_rows_sum_to_one():
    components = random_components(0)
    first = assess_robustness(components, WEIGHTS, draws=40, seed=5)
    second = assess_robustness(components, WEIGHTS, draws=40, seed=5)
    pd.testing.assert_frame_equal(first.probability, second.probability)
    pd.testing.assert_frame_equal(first.summary, second.summary)
    pd.testing.assert_frame_equal(first.weights, second.weights)
    other = assess_robustness(components, WEIGHTS, draws=40, seed=6)
    assert not np.allclose(other.weights.to_numpy(), first.weights.to_numpy())
    np.testing.assert_allclose(first.probability.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert first.weights.shape == (40, 3)
    np.testing.assert_allclose(first.weights.sum(axis=1), 1.0, rtol=0, atol=1e-12)


def test_threads_give_the_same_result():
    components = random_components(3)
    options = AssignOptions(max_per_product=2, contiguity_bonus=0.05)
    # A generator is read by the base solve and again by the draws: same result as a list.
    pairs = (pair for pair in [("K0", "K1"), ("K1", "K2"), ("K3", "K4"), ("K4", "K5")])
    one = assess_robustness(components, WEIGHTS, draws=30, seed=2, options=options,
                            adjacency=pairs)
    two = assess_robustness(components, WEIGHTS, draws=30, seed=2, workers=2, options=options,
                            adjacency=[("K0", "K1"), ("K1", "K2"), ("K3", "K4"), ("K4", "K5")])
    pd.testing.assert_frame_equal(one.probability, two.probability)
    pd.testing.assert_frame_equal(one.summary, two.summary)


@pytest.mark.parametrize("method", ["dirichlet", "uniform"])
def test_probabilities_count_the_row_argmax_of_each_draw(method):
    components = random_components(1)
    result = assess_robustness(components, WEIGHTS, draws=60, seed=2, method=method,
                               concentration=30, spread=0.5)
    counts = pd.DataFrame(0, index=KEC, columns=PRODUCTS)
    for total in drawn_totals(result, components):
        for kec, product in total.idxmax(axis=1).items():
            counts.loc[kec, product] += 1
    pd.testing.assert_frame_equal(result.probability, counts / 60, check_dtype=False)
    # The base product is the argmax under the chosen weights.
    base = sum(WEIGHTS[c] * components[c] for c in WEIGHTS).idxmax(axis=1)
    assert result.summary["base_product"].to_dict() == base.to_dict()
    kept = [result.probability.loc[k, base[k]] for k in KEC]
    np.testing.assert_allclose(result.summary["base_probability"], kept)
    assert list(result.summary["stability"]) == [stability_label(p) for p in kept]
    modal = result.probability.idxmax(axis=1)
    assert result.summary["modal_product"].to_dict() == modal.to_dict()
    assert list(result.summary["modal_is_base"]) == list(modal == base)


def test_constraints_stay_fixed_in_every_draw():
    components = random_components(3)
    options = AssignOptions(max_per_product=2, min_distinct=3, must_keep={"K0": "kopi"},
                            forbidden={"K1": "jagung"})
    result = assess_robustness(components, WEIGHTS, draws=8, seed=4, concentration=20,
                               options=options)
    counts = pd.DataFrame(0.0, index=KEC, columns=PRODUCTS)
    for total in drawn_totals(result, components):
        for kec, product in assign_products(total, options=options).chosen.items():
            counts.loc[kec, product] += 1
    pd.testing.assert_frame_equal(result.probability, counts / 8)
    assert (result.probability.loc["K0", "kopi"] == 1.0)
    assert (result.probability.loc["K1", "jagung"] == 0.0)
    assert result.base.chosen["K0"] == "kopi" and result.not_proven == 0


def test_per_kecamatan_two_shares_sum_to_one():
    components = random_components(5)
    pair = AssignOptions(per_kecamatan=2)
    result = assess_robustness(components, WEIGHTS, draws=20, seed=0, options=pair,
                               concentration=10)
    np.testing.assert_allclose(result.probability.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    # Each product is in a kecamatan's pair at most once per draw: share ≤ 1/2.
    assert (result.probability.to_numpy() <= 0.5 + 1e-12).all()
    pairs = assign_products(sum(WEIGHTS[c] * components[c] for c in WEIGHTS), options=pair)
    pd.testing.assert_series_equal(result.base.table["products"], pairs.table["products"])


@pytest.mark.parametrize("options", [{"method": "dirichlet", "concentration": np.inf},
                                     {"method": "uniform", "spread": 0.0}])
def test_zero_perturbation_keeps_the_base_assignment(options):
    components = random_components(7)
    result = assess_robustness(components, WEIGHTS, draws=10, seed=1,
                               options=AssignOptions(max_per_product=2), **options)
    np.testing.assert_array_equal(result.weights.to_numpy(),
                                  np.tile([0.5, 0.3, 0.2], (10, 1)))
    for kec, product in result.base.chosen.items():
        assert result.probability.loc[kec, product] == 1.0
    assert result.summary["base_probability"].eq(1.0).all()
    assert result.summary["modal_is_base"].all()
    assert result.summary["stability"].eq("stable").all()


def test_a_narrow_winner_is_unstable_and_not_modal():
    # Totals: jagung 0.51 whatever the weights; padi = w_suit; kopi = w_market = 1 − w_suit.
    # At (0.5, 0.5) jagung wins, but only while 0.49 < w_suit < 0.51.
    suit = pd.DataFrame({"jagung": [0.51], "padi": [1.0], "kopi": [0.0]}, index=["A"])
    market = pd.DataFrame({"jagung": [0.51], "padi": [0.0], "kopi": [1.0]}, index=["A"])
    result = assess_robustness({"suit": suit, "market": market},
                               {"suit": 0.5, "market": 0.5}, draws=300, seed=11)
    w = result.weights["suit"].to_numpy()
    expected = {"jagung": np.mean(np.abs(w - 0.5) < 0.01), "padi": np.mean(w > 0.51),
                "kopi": np.mean(w < 0.49)}
    assert result.probability.loc["A"].to_dict() == pytest.approx(expected, abs=1e-12)
    row = result.summary.loc["A"]
    assert row["base_product"] == "jagung" and row["stability"] == "unstable"
    assert row["modal_product"] in ("padi", "kopi") and not row["modal_is_base"]
    # w_suit ~ Beta(50, 50): P(|w − 0.5| < 0.01) = 0.158; 300 draws give sd 0.021.
    beta = stats.beta(50, 50)
    assert row["base_probability"] == pytest.approx(beta.cdf(0.51) - beta.cdf(0.49), abs=0.085)


def test_dirichlet_and_uniform_draws_follow_the_documented_law():
    rng = np.random.default_rng(0)
    w = np.array([0.5, 0.3, 0.2, 0.0])
    draws = _draw(rng, w, 20000, "dirichlet", 100.0, 0.0)
    np.testing.assert_allclose(draws.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert (draws[:, 3] == 0).all()
    np.testing.assert_allclose(draws.mean(axis=0), w, atol=0.002)
    # sd = sqrt(p(1 − p)/(concentration + 1)): 0.0498, 0.0456, 0.0398 for 0.5, 0.3, 0.2.
    np.testing.assert_allclose(draws[:, :3].std(axis=0),
                               np.sqrt(w[:3] * (1 - w[:3]) / 101), rtol=0.03)
    doubled = _draw(np.random.default_rng(0), 2 * w, 5, "dirichlet", 100.0, 0.0)
    np.testing.assert_allclose(doubled.sum(axis=1), 2.0)
    uniform = _draw(rng, w, 20000, "uniform", 100.0, 0.2)
    np.testing.assert_allclose(uniform.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert (uniform[:, 3] == 0).all()
    # Before rescaling each weight lies within ±20 %; ratios therefore within 0.8/1.2 … 1.2/0.8.
    ratio = uniform[:, 0] / uniform[:, 1]
    assert ratio.min() >= 0.5 / 0.3 * 0.8 / 1.2 - 1e-12
    assert ratio.max() <= 0.5 / 0.3 * 1.2 / 0.8 + 1e-12


def test_stability_labels_at_their_thresholds():
    assert dict(STABILITY) == {"stable": 0.8, "moderate": 0.5, "unstable": 0.0}
    assert [stability_label(p) for p in (1.0, 0.8, 0.79, 0.5, 0.49, 0.0)] == [
        "stable", "stable", "moderate", "moderate", "unstable", "unstable"]


@pytest.mark.parametrize(("weights", "options", "match"), [
    ({"suit": 0.5, "market": 0.5}, {}, "weights must name the criteria"),
    ({**WEIGHTS, "suit": -0.1}, {}, "≥ 0 and not all 0"),
    (WEIGHTS, {"draws": 0}, "draws must be a positive integer"),
    (WEIGHTS, {"method": "normal"}, "method must be"),
    (WEIGHTS, {"concentration": 0}, "concentration must be > 0"),
    (WEIGHTS, {"spread": 1.0}, "spread must be in [0, 1)"),
    (WEIGHTS, {"options": AssignOptions(max_share=2.0)}, "max_share must be a fraction"),
])
def test_bad_inputs_raise_config_errors(weights, options, match):
    components = random_components(0)
    with pytest.raises(ConfigError, match=re.escape(match)):
        assess_robustness(components, weights, **{"draws": 3, **options})


def test_components_must_share_labels():
    components = random_components(0)
    components["labour"] = components["labour"].drop(columns="kakao")
    with pytest.raises(ConfigError, match="same kecamatan and products"):
        assess_robustness(components, WEIGHTS, draws=3)
    with pytest.raises(ConfigError, match="non-empty mapping"):
        assess_robustness({}, {}, draws=3)
