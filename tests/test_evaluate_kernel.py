"""The fused kernel against the numpy reference: the same bytes, whatever the input.

:func:`aez.evaluate.kernel.match_crops` must return, for every crop, exactly the arrays of
:func:`aez.evaluate.matching.match_reference` (class, potential, subclass and the index's
bits, NaN included). The inputs mix ordinary values with every case the rules single out:
NaN, nodata codes, values exactly on a breakpoint and one float32 step either side of it,
±inf, peat maturity on mineral soil (where it does not apply), and cells outside ``valid``.
"""

from __future__ import annotations

import numpy as np
import pytest

from aez.characteristics import CHARACTERISTICS
from aez.crops import crop_ids, load_crop, parse_crop
from aez.errors import DataSourceError, GridMismatchError
from aez.evaluate import kernel as kernel_module
from aez.evaluate.kernel import match_crops
from aez.evaluate.matching import (
    AGGREGATIONS,
    KERNEL_MIN_SIZE,
    Observed,
    compile_crop,
    match,
    match_reference,
)
from aez.evaluate.rating import compile_rule

CROPS = [load_crop(c) for c in crop_ids()]
SHAPE = (60, 150)
FIELDS = ("actual", "potential", "subclass", "index")


def _breakpoints(char: str) -> np.ndarray:
    """Every crop's float32 breakpoints of a numeric characteristic (tent peaks, ramp ends)."""
    points = [compile_rule(c.rules[char]).points for c in CROPS if char in c.rules]
    return np.unique(np.concatenate(points)) if points else np.array([0.0], np.float32)


def _inputs(seed: int, shape: tuple[int, ...] = SHAPE, *,
            infinite: bool = False) -> dict[str, Observed]:
    """Every characteristic the shipped crops rate, with the awkward cases mixed in."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    chars = sorted({c for crop in CROPS for c in crop.rules})
    observed = {}
    for i, char in enumerate(chars):
        spec = CHARACTERISTICS[char]
        if spec.classes is not None:
            codes = rng.integers(-1, len(spec.classes), n)  # -1: the nodata sentinel
            dtype = (np.int32, np.int16, np.int64)[i % 3]  # the layers' dtype and others
            observed[char] = Observed(codes.astype(dtype).reshape(shape),
                                      dict(enumerate(spec.classes)), name=char)
            continue
        points = _breakpoints(char)
        span = float(points[-1] - points[0]) + 1.0
        x = rng.uniform(points[0] - span, points[-1] + span, n).astype(np.float32)
        on = rng.random(n) < 0.25  # exactly on a breakpoint, or one float32 step off it
        picked = rng.choice(points, n).astype(np.float32)
        step = rng.integers(-1, 2, n)
        picked = np.where(step < 0, np.nextafter(picked, np.float32(-np.inf)),
                          np.where(step > 0, np.nextafter(picked, np.float32(np.inf)), picked))
        x = np.where(on, picked, x)
        x[rng.random(n) < 0.05] = np.nan
        if infinite:
            x[rng.random(n) < 0.002] = np.inf
            x[rng.random(n) < 0.002] = -np.inf
        if char == "peat_depth":
            x[rng.random(n) < 0.3] = 0.0  # mineral soil: peat maturity does not apply
        values = x.astype(np.float64) if i % 2 else x  # float64 inputs are rounded to float32
        observed[char] = Observed(values.reshape(shape), name=char)
    return observed


def _runs(observed: dict[str, Observed], seed: int) -> dict[str, Observed]:
    """The same inputs in runs: neighbouring cells repeat a value, or move it a little.

    In real rasters most characteristics (soil-map attributes) keep their value over many
    cells, and the kernel keeps their share of each crop's result from cell to cell while
    the others change; this makes both kinds, and their changes, common.
    """
    rng = np.random.default_rng(seed)
    out = {}
    for i, (char, obs) in enumerate(observed.items()):
        values = np.asarray(obs.values).ravel()
        n = values.size
        lengths = rng.integers(1, 40, n // 8)
        picks = np.repeat(rng.choice(values, lengths.size), lengths)[:n]
        picks = np.concatenate([picks, values[:n - picks.size]])
        if obs.legend is None and i % 3:  # a third keep their values along each run
            finite = np.isfinite(picks)
            jitter = rng.normal(0, 0.002, n) * np.abs(picks[finite]).mean()
            picks = np.where(finite & (rng.random(n) < 0.7), picks + jitter, picks)
            picks = picks.astype(values.dtype)
        out[char] = Observed(picks.reshape(np.shape(obs.values)), obs.legend, name=char)
    return out


def _assert_same(result, reference, *, infinite: bool = False) -> None:
    """Byte for byte; with infinite inputs, NaN compares by position, not by sign bit.

    The reference's ``0 · inf`` gives a NaN with the sign bit set, and numpy's ``fmin``
    of two NaNs keeps one or the other depending on the array's length; the kernel writes
    the one canonical NaN, which is also the only NaN the reference writes for finite
    inputs.
    """
    assert result.crop == reference.crop
    assert (result.evaluated, result.skipped) == (reference.evaluated, reference.skipped)
    nan = np.float32(np.nan).view(np.uint32)
    assert (result.index.view(np.uint32)[np.isnan(result.index)] == nan).all()
    for field in FIELDS:
        got, want = getattr(result, field), getattr(reference, field)
        if infinite and field == "index":
            got, want = (np.where(np.isnan(a), np.float32(np.nan), a) for a in (got, want))
        assert got.dtype == want.dtype and got.shape == want.shape, field
        assert got.tobytes() == want.tobytes(), (
            f"{result.crop} {field}: {np.count_nonzero(got != want)} cells differ")


@pytest.mark.parametrize("aggregate", AGGREGATIONS)
@pytest.mark.filterwarnings("ignore:invalid value encountered in multiply:RuntimeWarning")
def test_every_shipped_crop_and_aggregation_matches_the_reference(aggregate):
    valid = np.random.default_rng(2).random(SHAPE) < 0.9
    for infinite, runs in ((False, False), (True, False), (False, True), (True, True)):
        inputs = _inputs(1, infinite=infinite)
        if runs:
            inputs = _runs(inputs, 9)
        compiled = [compile_crop(crop, inputs, aggregate=aggregate) for crop in CROPS]
        for with_valid in (None, valid):
            results = match_crops(compiled, inputs, valid=with_valid)
            for cc, result in zip(compiled, results, strict=True):
                _assert_same(result, match_reference(cc, inputs, valid=with_valid),
                             infinite=infinite)


def test_the_inputs_reach_every_class_and_the_awkward_cases():
    """Guard the test data itself: each case the comparison relies on really occurs."""
    inputs = _inputs(1, infinite=True)
    compiled = [compile_crop(crop, inputs) for crop in CROPS]
    actual = np.concatenate([r.actual.ravel() for r in match_crops(compiled, inputs)])
    assert {3, 4, 6} <= set(np.unique(actual).tolist())  # S1 and S2: see the next test
    depth = inputs["peat_depth"].values
    assert (depth == 0).any() and np.isnan(depth).any() and np.isinf(depth).any()


@pytest.mark.parametrize("runs", [False, True])
def test_few_characteristics_give_every_class_and_subclass(runs):
    """With three characteristics per crop the land reaches S1 too, and many subclasses."""
    inputs = {c: o for c, o in _inputs(3).items() if c in ("slope", "drainage", "ph_h2o")}
    if runs:
        inputs = _runs(inputs, 10)
    compiled = [compile_crop(crop, inputs) for crop in CROPS]
    results = match_crops(compiled, inputs)
    for cc, result in zip(compiled, results, strict=True):
        _assert_same(result, match_reference(cc, inputs))
    assert set(np.unique(results[0].actual).tolist()) == {1, 2, 3, 4, 6}
    assert len(np.unique(results[0].subclass)) > 5


def test_a_value_that_changes_rarely_inside_one_bin():
    """pH changes every 50 cells but stays between the breakpoints 5.8 and 6.8 (one bin):
    its share must follow the value, not the bin. Slope changes every cell and stays low,
    so pH sets the index: jagung's pH index 0.75 + 0.25 (pH − 5.8) is below slope's."""
    rng = np.random.default_rng(11)
    ph = np.repeat(rng.uniform(5.9, 6.3, 100), 50).astype(np.float32)
    slope = rng.uniform(0.0, 1.0, ph.size).astype(np.float32)
    inputs = {"ph_h2o": Observed(ph), "slope": Observed(slope)}
    cc = compile_crop(load_crop("jagung"), inputs)
    (result,) = match_crops([cc], inputs)
    _assert_same(result, match_reference(cc, inputs))
    np.testing.assert_allclose(result.index, 0.75 + 0.25 * (ph - np.float32(5.8)), rtol=1e-6)


def test_crops_rating_different_characteristics_share_one_call():
    inputs = _inputs(4)
    rng = np.random.default_rng(5)
    compiled = []
    for i, crop in enumerate(CROPS * 3):
        keep = [c for c in crop.rules if rng.random() < 0.6] or [next(iter(crop.rules))]
        subset = {c: inputs[c] for c in keep}
        compiled.append(compile_crop(crop, subset, aggregate="minimum" if i % 4 else
                                     AGGREGATIONS[i % 3]))
    valid = rng.random(SHAPE) < 0.8
    for cc, result in zip(compiled, match_crops(compiled, inputs, valid=valid), strict=True):
        _assert_same(result, match_reference(cc, inputs, valid=valid))


def test_crops_compiled_for_different_legends_in_one_call():
    codes = np.random.default_rng(6).integers(-1, 4, SHAPE).astype(np.int32)
    legend = {0: "well", 1: "poor", 2: "very_poor", 3: "excessive"}
    longer = {**legend, 7: "well"}  # more slots: this crop cannot share the pass
    crop = load_crop("jagung")
    a = compile_crop(crop, {"drainage": Observed(codes, legend)})
    b = compile_crop(crop, {"drainage": Observed(codes, longer)})
    inputs = {"drainage": Observed(codes, legend)}
    for cc, result in zip((a, b), match_crops([a, b], inputs), strict=True):
        _assert_same(result, match_reference(cc, inputs))


def test_hand_rated_slope_values():
    """jagung slope: S1 [0, 8], S2 [8, 15], S3 [15, 25], N beyond; improvement one class.

    Index by hand: S1 runs 1 → 0.75 over 0–8 (4 % → 0.875); S2 runs 0.75 → 0.5 over
    8–15 (8.5 % → 0.75 − 0.25·0.5/7 = 0.73214…); 15 % sits on the S2/S3 edge and takes S2,
    0.5; N ramps from 0.25 at 25 % to 0 at 35 % (the S3 band's width) and stays 0 (60 %).
    """
    slope = np.array([0.0, 4.0, 8.0, 8.5, 15.0, 60.0], np.float32)
    crop = load_crop("jagung")
    inputs = {"slope": Observed(slope, units="%")}
    (result,) = match_crops([compile_crop(crop, inputs)], inputs)
    eh = 1 << 9
    assert result.actual.tolist() == [1, 1, 1, 2, 2, 4]
    assert result.potential.tolist() == [1, 1, 1, 1, 1, 3]
    assert result.subclass.tolist() == [0, 0, 0, eh, eh, eh]
    np.testing.assert_allclose(result.index, [1.0, 0.875, 0.75, 0.75 - 0.25 * 0.5 / 7, 0.5, 0.0],
                               rtol=1e-6)


@pytest.mark.filterwarnings("ignore:invalid value encountered in multiply:RuntimeWarning")
def test_infinite_values_take_the_outer_class_and_no_index():
    """±inf falls in an outer band, but the reference's ``intercept + 0 · inf`` is NaN there.

    jagung: slope +inf is N (beyond 25 %), −inf S1 (below the domain's 0 %), 3 % is S1 with
    index 1 − 0.25 · 3/8 = 0.90625; pH +inf is S3 (the last band ends at 14), pH 6.5 is S1
    on the tent 5.8 → 6.8 → 7.8: 0.75 + 0.25 · 0.7 = 0.925. The index is the lowest one
    that exists, NaN if none does.
    """
    slope = np.array([np.inf, -np.inf, 3.0, np.inf], np.float32)
    ph = np.array([6.5, 6.5, np.inf, 6.5], np.float32)
    crop = load_crop("jagung")
    cases = [({"slope": Observed(slope)}, [4, 1, 1, 4], [np.nan, np.nan, 0.90625, np.nan]),
             ({"slope": Observed(slope), "ph_h2o": Observed(ph)}, [4, 1, 3, 4],
              [0.925, 0.925, 0.90625, 0.925]),
             # a run of cells in the same bins, whose limiting slope has no index
             ({"slope": Observed(np.full(3, np.inf, np.float32)),
               "ph_h2o": Observed(np.array([6.5, 6.6, 6.7], np.float32))},
              [4, 4, 4], [0.925, 0.95, 0.975])]
    for inputs, classes, index in cases:
        cc = compile_crop(crop, inputs)
        (result,) = match_crops([cc], inputs)
        _assert_same(result, match_reference(cc, inputs), infinite=True)
        assert result.actual.tolist() == classes
        np.testing.assert_allclose(result.index, index, rtol=1e-6)


def test_stray_code_raises_the_reference_error():
    drainage = np.zeros(SHAPE, np.int32)
    drainage[3, 4] = 5  # the legend below has no code 5 ...
    legend = {0: "well", 1: "poor", 2: "very_poor", 3: "excessive", 4: "well", 6: "poor"}
    inputs = {"drainage": Observed(drainage, legend),
              "slope": Observed(np.ones(SHAPE, np.float32))}
    cc = compile_crop(load_crop("jagung"), inputs)
    with pytest.raises(DataSourceError) as reference:
        match_reference(cc, inputs)
    with pytest.raises(DataSourceError) as fused:
        match_crops([cc], inputs)
    assert str(fused.value) == str(reference.value)
    assert "[5]" in str(fused.value)
    drainage[3, 4] = 9  # ... nor any code above its largest one
    with pytest.raises(DataSourceError, match=r"\[9\]"):
        match_crops([cc], inputs, valid=np.zeros(SHAPE, bool))  # even outside `valid`


def test_inputs_of_different_shapes_are_refused():
    inputs = {"slope": Observed(np.ones((4, 5), np.float32)),
              "ph_h2o": Observed(np.ones((5, 4), np.float32))}
    cc = compile_crop(load_crop("jagung"), inputs)
    with pytest.raises(GridMismatchError, match="ph_h2o"):
        match_crops([cc], inputs)


def test_a_crop_rated_only_where_it_may_not_apply_matches_the_reference():
    """Peat maturity alone: on mineral soil nothing is rated, and the reference's answer holds."""
    crop = parse_crop({
        "id": "gambut", "name_id": "Uji", "name_en": "Test", "scientific_name": "T. t",
        "group": "food", "sources": [{"key": "s", "citation": "Test."}],
        "characteristics": {"peat_maturity": {"S1": ["sapric"], "S2": ["hemic"],
                                              "N": ["fibric"], "source": "s"}}})
    inputs = {"peat_maturity": _inputs(7)["peat_maturity"], "peat_depth": _inputs(7)["peat_depth"]}
    cc = compile_crop(crop, inputs)
    (result,) = match_crops([cc], inputs)
    _assert_same(result, match_reference(cc, inputs))


def test_match_runs_the_kernel_from_the_threshold_on(monkeypatch):
    calls = []

    def spy(crops, inputs, *, valid=None):
        calls.append(len(next(iter(inputs.values())).values))
        return match_crops(crops, inputs, valid=valid)

    monkeypatch.setattr(kernel_module, "match_crops", spy)
    crop = load_crop("kedelai")
    for n in (KERNEL_MIN_SIZE - 1, KERNEL_MIN_SIZE):
        inputs = _inputs(8, (n,))
        cc = compile_crop(crop, inputs)
        _assert_same(match(cc, inputs), match_reference(cc, inputs))
    assert calls == [KERNEL_MIN_SIZE]
