"""The suitability stage's compiled tile counts against plain numpy on the same cells."""

from __future__ import annotations

import numpy as np
import pytest

from aez.characteristics import QUALITIES
from aez.evaluate import UNKNOWN
from aez.pipeline.suitability import (
    INDEX_NODATA,
    INDEX_SCALE,
    INDEX_STEP,
    _histograms,
    encode_index,
)

N_QUALITIES = len(QUALITIES)


def _tile(seed: int, shape=(37, 53), districts=5):
    rng = np.random.default_rng(seed)
    district = rng.integers(-1, districts, shape).astype(np.int32)
    actual = rng.integers(0, 7, shape).astype(np.uint8)
    subclass = rng.integers(0, 1 << N_QUALITIES, shape).astype(np.uint16)
    subclass[rng.random(shape) < 0.3] = 0
    index = rng.random(shape).astype(np.float32)
    index[rng.random(shape) < 0.2] = np.nan
    # values on the quantisation steps and half-way between them (rounding ties)
    index.flat[:40] = (np.arange(40) * INDEX_STEP / 2).astype(np.float32)
    return district, actual, subclass, index


def _by_numpy(district, actual, subclass, index, include, n):
    limited = np.zeros((n, N_QUALITIES), np.int64)
    missing = np.zeros((n, N_QUALITIES), np.int64)
    for z in range(n):
        here = include & (district == z)
        for q in range(N_QUALITIES):
            has = here & ((subclass.astype(np.int64) >> q) & 1 == 1)
            limited[z, q] = has.sum()
            missing[z, q] = (has & (actual == UNKNOWN)).sum()
    rated = include & ~np.isnan(index)
    scaled = np.rint(index[rated].astype(np.float64) * INDEX_SCALE).astype(np.int64)
    index_sum = np.zeros(n, np.int64)
    np.add.at(index_sum, district[rated], scaled)
    index_cells = np.bincount(district[rated], minlength=n)
    masks = np.bincount(subclass[include].astype(np.int64), minlength=1 << N_QUALITIES)
    return {"limited": limited, "missing": missing, "index_sum": index_sum,
            "index_cells": index_cells, "subclass_cells": masks}


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("subset", [False, True])
def test_histograms_equal_numpy_counts(seed, subset):
    district, actual, subclass, index = _tile(seed)
    include = district >= 0
    if subset:  # as a climate scenario recounts only its changed cells
        include &= np.random.default_rng(seed + 10).random(district.shape) < 0.1
    got = _histograms("c", actual, subclass, index, district, 5, include=include)
    expected = _by_numpy(district, actual, subclass, index, include, 5)
    for name, value in expected.items():
        np.testing.assert_array_equal(got[f"c/{name}"], value, err_msg=name)
    assert got["c/limited"].sum() > 0 and got["c/missing"].sum() > 0


def test_encode_index_equals_float32_numpy_rounding():
    _, _, _, index = _tile(3, shape=(64, 64))
    index.flat[40:44] = [-0.01, 1.2, np.inf, -np.inf]
    finite = np.nan_to_num(index, nan=0.0, posinf=10.0, neginf=-10.0)
    stored = np.clip(np.rint(finite / np.float32(INDEX_STEP)), 0, 200)
    expected = np.where(np.isnan(index), INDEX_NODATA, stored).astype(np.uint8)
    np.testing.assert_array_equal(encode_index(index), expected)
    assert encode_index(index[0]).shape == (64,)
