"""AHP weights against Saaty's published example; fuzzy standardisation; weighted overlay."""

from __future__ import annotations

import numpy as np
import pytest

import aez
from aez.errors import ConfigError
from aez.evaluate.mcda import ahp_weights, fuzzy_membership, weighted_overlay

# Saaty, T.L. (2008). Decision making with the analytic hierarchy process. Int. J. Services
# Sciences 1(1): 83-98, Table 2: "Which drink is consumed more in the US?" Judgements as
# published; the paper's derived priorities are .177 .019 .042 .116 .190 .129 .327.
DRINKS = ["coffee", "wine", "tea", "beer", "sodas", "milk", "water"]
DRINK_JUDGEMENTS = [
    [1, 9, 5, 2, 1, 1, 1 / 2],
    [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
    [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
    [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [1, 9, 4, 2, 1, 2, 1 / 2],
    [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [2, 9, 9, 3, 2, 3, 1],
]
SAATY_PRIORITIES = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]


def test_saaty_drinks_example():
    result = aez.ahp_weights(DRINK_JUDGEMENTS, labels=DRINKS)
    assert result.weights.round(3).tolist() == SAATY_PRIORITIES
    # λmax ≈ 7.18 for n = 7: CI = (λmax − 7)/6 ≈ 0.029; RI(7) = 1.32 → CR ≈ 0.022.
    assert result.consistency_ratio == pytest.approx(0.022, abs=5e-4)
    assert result.consistency_index == pytest.approx((result.lambda_max - 7) / 6)
    assert result.as_dict()["water"] == pytest.approx(0.327, abs=5e-4)


def test_consistent_matrix_has_zero_cr():
    w = np.array([0.5, 0.3, 0.15, 0.05])
    pairwise = w[:, None] / w[None, :]  # a_ij = w_i / w_j is perfectly consistent
    result = ahp_weights(pairwise)
    np.testing.assert_allclose(result.weights, w, atol=1e-12)
    assert result.lambda_max == pytest.approx(4.0)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-12)


def test_inconsistent_matrix_refused_unless_allowed():
    # A prefers B (9), B prefers C (9), yet C prefers A (9): a cycle.
    cycle = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    with pytest.raises(ConfigError, match=r"CR = .* > 0.1"):
        ahp_weights(cycle)
    assert ahp_weights(cycle, allow_inconsistent=True).consistency_ratio > 1


@pytest.mark.parametrize(("matrix", "message"), [
    ([[1, 2], [2, 1]], "not reciprocal"),
    ([[1, 2, 3], [0.5, 1, 4]], "square"),
    ([[1, -2], [-0.5, 1]], "positive"),
])
def test_bad_matrices(matrix, message):
    with pytest.raises(ConfigError, match=message):
        ahp_weights(matrix)


def test_fuzzy_membership_linear_and_sigmoid():
    x = [10.0, 20.0, 30.0, np.nan]
    assert fuzzy_membership(x, low=10, high=30).tolist()[:3] == [0.0, 0.5, 1.0]
    # sin²(π/4) = 0.5 at the midpoint; the ends are 0 and 1.
    sig = fuzzy_membership(x, low=10, high=30, shape="sigmoid")
    np.testing.assert_allclose(sig[:3], [0.0, 0.5, 1.0], atol=1e-7)
    assert np.isnan(sig[3])
    with pytest.raises(ConfigError, match="low < high"):
        fuzzy_membership(x, low=30, high=10)


def test_weighted_overlay_normalises_weights():
    out = weighted_overlay({"access": [1.0, 0.0, 0.5], "labour": [0.0, 1.0, 0.5]},
                           {"access": 0.75, "labour": 0.25})
    np.testing.assert_allclose(out, [0.75, 0.25, 0.5])
    with pytest.raises(ConfigError, match="differ"):
        weighted_overlay({"access": [1.0]}, {"labour": 1.0})
