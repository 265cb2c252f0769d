"""Invariants of land evaluation, checked on generated land (hypothesis).

Every example rates a shipped crop on a few cells. The cells are tiled to
``KERNEL_MIN_SIZE`` so that :func:`aez.evaluate.match` runs the compiled kernel (the
numpy reference is checked against it in ``test_evaluate_kernel.py``). Values are
finite: ±inf is covered there.

The class oracle below reads the crop's TOML bands itself and looks each value up by brute
force, applying the schema's edge rule (a value on an edge takes the more suitable class)
and its domain rule (beyond the bands, the nearest band's class); it shares no code with
:mod:`aez.evaluate.rating`.
"""

from __future__ import annotations

import tomllib
import warnings

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aez import Grid, Layer, evaluate_layers, evaluate_units
from aez.characteristics import APPLIES_WHERE_POSITIVE, CHARACTERISTICS, QUALITIES
from aez.crops import crop_ids, load_crop
from aez.errors import AEZWarning
from aez.evaluate import UNKNOWN, N, class_text, subclass_text
from aez.evaluate.matching import KERNEL_MIN_SIZE, Observed, compile_crop, match

CROPS = {c: load_crop(c) for c in crop_ids()}
CLASSES = {"S1": 1, "S2": 2, "S3": 3, "N": 4}
#: The bands as the TOML files write them: crop → characteristic → [(class, low, high)] or
#: {label: class}.
BANDS: dict[str, dict[str, object]] = {}
for _id, _crop in CROPS.items():
    with _crop.path.open("rb") as _fh:
        _doc = tomllib.load(_fh)["characteristics"]
    BANDS[_id] = {}
    for _char, _raw in _doc.items():
        if CHARACTERISTICS[_char].classes is not None:
            BANDS[_id][_char] = {label: CLASSES[name] for name in CLASSES
                                 for label in _raw.get(name, [])}
        else:
            _intervals = []
            for name in CLASSES:
                value = _raw.get(name, [])
                for lo, hi in ([value] if value and not isinstance(value[0], list) else value):
                    _intervals.append((CLASSES[name], float(lo), float(hi)))
            BANDS[_id][_char] = _intervals

SETTINGS = settings(max_examples=30, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


def _oracle_class(crop: str, char: str, value: float | str | None) -> int:
    """Class of one value by brute force over the written bands (UNKNOWN when missing)."""
    bands = BANDS[crop][char]
    if isinstance(bands, dict):
        return UNKNOWN if value is None else bands[value]
    if np.isnan(value):
        return UNKNOWN
    x = float(np.float32(value))  # values and edges are compared in float32
    f32 = [(c, float(np.float32(lo)), float(np.float32(hi))) for c, lo, hi in bands]
    inside = [c for c, lo, hi in f32 if lo <= x <= hi]
    if inside:
        return min(inside)
    return min(f32, key=lambda b: min(abs(x - b[1]), abs(x - b[2])))[0]


def _worst(classes: list[int]) -> int:
    known = [c for c in classes if c != UNKNOWN]
    if N in known or len(known) == len(classes):
        return max(known)
    return UNKNOWN


@st.composite
def land(draw, *, missing: bool = True):
    """A crop, some of its characteristics, and a few cells of values for them."""
    crop = draw(st.sampled_from(sorted(CROPS)))
    chars = draw(st.lists(st.sampled_from(sorted(BANDS[crop])), min_size=1, max_size=8,
                          unique=True))
    n = draw(st.integers(1, 12))
    cells: dict[str, list] = {}
    for char in chars:
        bands = BANDS[crop][char]
        if isinstance(bands, dict):
            labels = list(CHARACTERISTICS[char].classes or ())
            pick = st.sampled_from(labels + [None] * missing)
        else:
            edges = sorted({e for _, lo, hi in bands for e in (lo, hi) if np.isfinite(e)})
            span = edges[-1] - edges[0] + 1.0
            pick = st.one_of(st.sampled_from(edges),
                             st.floats(float(np.float32(edges[0] - span)),  # float32 bounds
                                       float(np.float32(edges[-1] + span)), width=32),
                             *([st.just(float("nan"))] if missing else []))
        cells[char] = draw(st.lists(pick, min_size=n, max_size=n))
    return crop, cells


def _observed(crop: str, cells: dict[str, list], size: int) -> dict[str, Observed]:
    observed = {}
    for char, values in cells.items():
        labels = CHARACTERISTICS[char].classes
        if labels is None:
            array = np.array(values, np.float32)
            observed[char] = Observed(np.resize(array, size), units=CHARACTERISTICS[char].units)
        else:
            codes = np.array([-1 if v is None else labels.index(v) for v in values], np.int32)
            observed[char] = Observed(np.resize(codes, size), dict(enumerate(labels)))
    return observed


def _suitability(crop: str, cells: dict[str, list], aggregate: str = "minimum"):
    observed = _observed(crop, cells, KERNEL_MIN_SIZE)
    result = match(compile_crop(CROPS[crop], observed, aggregate=aggregate), observed)
    n = len(next(iter(cells.values())))
    return result.actual[:n], result.subclass[:n], result.index[:n]


@SETTINGS
@given(land(), st.sampled_from(["minimum", "geometric_mean", "square_root"]))
def test_index_lies_in_0_1_and_is_nan_only_where_unknown(example, aggregate):
    actual, _, index = _suitability(*example, aggregate)
    known = ~np.isnan(index)
    assert ((index[known] >= 0) & (index[known] <= 1)).all()
    assert ((actual == UNKNOWN) == ~known).all()


@SETTINGS
@given(land())
def test_class_is_the_worst_quality_class(example):
    """Classes and subclasses against the brute-force oracle, quality by quality."""
    crop, cells = example
    actual, subclass, _ = _suitability(crop, cells)
    for cell in range(len(actual)):
        per_quality: dict[str, list[int]] = {}
        for char, values in cells.items():
            condition = APPLIES_WHERE_POSITIVE.get(char)
            if condition in cells and cells[condition][cell] <= 0:
                continue  # peat maturity on mineral soil does not apply
            quality = CHARACTERISTICS[char].quality
            per_quality.setdefault(quality, []).append(_oracle_class(crop, char, values[cell]))
        quality_class = {q: _worst(c) for q, c in per_quality.items()}
        expected = _worst(list(quality_class.values()))
        assert actual[cell] == expected, (cell, quality_class)
        bits = sum(1 << QUALITIES.index(q) for q, c in quality_class.items()
                   if c == expected and expected != 1)
        assert subclass[cell] == bits


@SETTINGS
@given(land())
def test_index_agrees_with_the_class_in_minimum_mode(example):
    actual, _, index = _suitability(*example)
    for low, high, cls in ((0.75, 1.0, 1), (0.5, 0.75, 2), (0.25, 0.5, 3), (0.0, 0.25, 4)):
        assert ((index[actual == cls] >= low) & (index[actual == cls] <= high)).all(), cls


def _toward_best(crop: str, char: str, value, t: float):
    """``value`` moved a share ``t`` of the way to the nearest point of the best band."""
    bands = BANDS[crop][char]
    if isinstance(bands, dict):  # a label of the best class
        best = min(bands.values())
        return min((label for label, c in bands.items() if c == best))
    best = min(c for c, _, _ in bands)
    lo_hi = [(lo, hi) for c, lo, hi in bands if c == best]
    x = float(value)
    target = min((min(max(x, lo), hi) for lo, hi in lo_hi), key=lambda p: abs(p - x))
    return float(np.float32(x + t * (target - x)))


@SETTINGS
@given(land(missing=False), st.data(), st.sampled_from(["minimum", "square_root"]))
def test_improving_one_characteristic_never_lowers_class_or_index(example, data, aggregate):
    crop, cells = example
    char = data.draw(st.sampled_from(sorted(cells)))
    t = data.draw(st.sampled_from([1.0, 0.5, 0.1]))
    better = dict(cells)
    better[char] = [_toward_best(crop, char, v, t) for v in cells[char]]
    before_class, _, before_index = _suitability(crop, cells, aggregate)
    after_class, _, after_index = _suitability(crop, better, aggregate)
    assert (after_class <= before_class).all()
    assert (after_index >= before_index).all()


@SETTINGS
@given(land())
def test_raster_and_land_unit_paths_agree(example):
    crop, cells = example
    n = len(next(iter(cells.values())))
    grid = Grid.from_bounds((0, 0, 30 * n, 30), resolution=30, crs="EPSG:32750")
    layers, columns = {}, {}
    for char, values in cells.items():
        labels = CHARACTERISTICS[char].classes
        if labels is None:
            data = np.array([values], np.float32)
            layers[char] = Layer(char, data, grid, units=CHARACTERISTICS[char].units)
            columns[char] = data[0].astype(np.float64)
        else:
            codes = np.array([[-1 if v is None else labels.index(v) for v in values]], np.int32)
            layers[char] = Layer(char, codes, grid, kind="categorical",
                                 legend=dict(enumerate(labels)))
            columns[char] = values
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AEZWarning)  # characteristics without an input
        raster = evaluate_layers(layers, CROPS[crop])
        table = evaluate_units(pd.DataFrame(columns), [CROPS[crop]])
    assert table[f"{crop}_class"].tolist() == class_text(raster.actual[0]).tolist()
    assert table[f"{crop}_subclass"].tolist() == \
        subclass_text(raster.actual[0], raster.subclass[0]).tolist()
    assert table[f"{crop}_potential"].tolist() == class_text(raster.potential[0]).tolist()
    np.testing.assert_array_equal(table[f"{crop}_index"].to_numpy(),
                                  raster.index[0].astype(np.float64))
