"""Tests for aez.layer.Layer: kinds, nodata rules, read-only data, legends."""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pytest

from aez.errors import AEZError, ConfigError, GridMismatchError, LayerKindError
from aez.grid import Grid
from aez.layer import CATEGORICAL_NODATA, Layer, readonly

# 2 rows × 3 cols of 100 m in UTM 50S.
GRID = Grid.from_bounds((0, 0, 300, 200), resolution=100, crs="EPSG:32750")


def test_continuous_layer_basics():
    data = np.array([[5.5, np.nan, 6.0], [4.8, 7.1, np.nan]], dtype=np.float32)
    layer = Layer("ph_h2o", data, GRID, units="pH")
    assert layer.kind == "continuous"
    assert layer.nodata is None
    assert layer.units == "pH"
    assert layer.shape == (2, 3)
    np.testing.assert_array_equal(layer.valid, [[True, False, True], [True, True, False]])
    assert layer.valid.dtype == bool
    assert layer.data.dtype == np.float32  # no silent up-cast
    assert layer.source is None


def test_categorical_layer_default_sentinel_is_minus_one():
    codes = np.array([[1, 2, -1], [3, -1, 2]], dtype=np.int16)
    layer = Layer("land_cover", codes, GRID, kind="categorical")
    assert CATEGORICAL_NODATA == -1
    assert layer.nodata == -1
    np.testing.assert_array_equal(layer.valid, [[True, True, False], [True, False, True]])


def test_categorical_layer_declared_sentinel():
    codes = np.array([[1, 255, 3], [255, 2, 0]], dtype=np.uint8)
    layer = Layer("soil_unit", codes, GRID, kind="categorical", nodata=255)
    assert layer.nodata == 255
    # 0 is a real class code here, not nodata.
    np.testing.assert_array_equal(layer.valid, [[True, False, True], [False, True, True]])


def test_data_is_read_only():
    data = np.zeros(GRID.shape)
    layer = Layer("x", data, GRID)
    assert not layer.data.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        layer.data[0, 0] = 1.0
    # The caller's own array is not frozen.
    assert data.flags.writeable
    # And a copy made by a stage is writable again.
    assert np.array(layer.data).flags.writeable


def test_readonly_helper():
    a = np.arange(4)
    view = readonly(a)
    assert not view.flags.writeable and np.shares_memory(view, a)
    assert readonly(view) is view


def test_layer_is_frozen():
    layer = Layer("x", np.zeros(GRID.shape), GRID)
    with pytest.raises(AttributeError):
        layer.name = "y"  # type: ignore[misc]


@pytest.mark.parametrize("shape", [(3, 2), (2, 4), (1, 3)])
def test_shape_mismatch(shape):
    with pytest.raises(GridMismatchError) as info:
        Layer("ph", np.zeros(shape), GRID)
    assert str(shape) in str(info.value) and "(2, 3)" in str(info.value)
    assert isinstance(info.value, ValueError) and isinstance(info.value, AEZError)


@pytest.mark.parametrize("shape", [(6,), (1, 2, 3)])
def test_not_two_dimensional(shape):
    with pytest.raises(GridMismatchError, match="2-D"):
        Layer("ph", np.zeros(shape), GRID)


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.uint16, np.int64, bool])
def test_continuous_with_non_float_dtype_is_refused(dtype):
    with pytest.raises(LayerKindError, match="continuous") as info:
        Layer("slope", np.zeros(GRID.shape, dtype=dtype), GRID)
    assert isinstance(info.value, ConfigError)  # LayerKindError specialises ConfigError


def test_continuous_with_nodata_is_refused():
    with pytest.raises(LayerKindError, match="NaN"):
        Layer("slope", np.zeros(GRID.shape), GRID, nodata=-9999)


def test_continuous_with_legend_is_refused():
    with pytest.raises(LayerKindError, match="legend"):
        Layer("slope", np.zeros(GRID.shape), GRID, legend={1: "flat"})


@pytest.mark.parametrize("dtype", [np.float32, np.float64, bool])
def test_categorical_with_non_integer_dtype_is_refused(dtype):
    with pytest.raises(LayerKindError, match="categorical"):
        Layer("land_cover", np.zeros(GRID.shape, dtype=dtype), GRID, kind="categorical")


def test_unknown_kind_is_refused():
    with pytest.raises(ConfigError, match="kind"):
        Layer("x", np.zeros(GRID.shape), GRID, kind="ordinal")  # type: ignore[arg-type]


def test_legend_is_normalised():
    codes = np.array([[1, 2, 3], [3, 2, 1]], dtype=np.int32)
    # Legends from TOML/JSON configs arrive with string keys.
    legend = {"3": "Hutan", "1": "Sawah", "2": "Kebun"}
    layer = Layer("land_cover", codes, GRID, kind="categorical", legend=legend)
    assert isinstance(layer.legend, MappingProxyType)
    assert list(layer.legend.items()) == [(1, "Sawah"), (2, "Kebun"), (3, "Hutan")]
    assert all(type(k) is int for k in layer.legend)
    with pytest.raises(TypeError):
        layer.legend[4] = "Kota"  # type: ignore[index]
    # The caller's dict is untouched.
    assert list(legend) == ["3", "1", "2"]


def test_legend_with_numpy_keys_and_non_str_labels():
    codes = np.array([[1, 2, 3], [3, 2, 1]], dtype=np.int32)
    legend = {np.int64(2): 20, np.int64(1): "Sawah"}
    layer = Layer("land_cover", codes, GRID, kind="categorical", legend=legend)
    assert list(layer.legend.items()) == [(1, "Sawah"), (2, "20")]
    assert all(type(k) is int for k in layer.legend)


def test_legend_string_keys_sort_numerically():
    codes = np.array([[9, 10, 9], [10, 9, 10]], dtype=np.int32)
    layer = Layer("lc", codes, GRID, kind="categorical", legend={"9": "Sawah", "10": "Hutan"})
    assert list(layer.legend) == [9, 10]


def test_legend_mixed_key_types():
    codes = np.array([[1, 2, 1], [2, 1, 2]], dtype=np.int32)
    layer = Layer("lc", codes, GRID, kind="categorical", legend={"2": "Kebun", 1: "Sawah"})
    assert list(layer.legend.items()) == [(1, "Sawah"), (2, "Kebun")]


def test_legend_non_integer_key_is_a_config_error():
    codes = np.array([[1, 2, 1], [2, 1, 2]], dtype=np.int32)
    with pytest.raises(ConfigError, match="sawah"):
        Layer("lc", codes, GRID, kind="categorical", legend={"sawah": "Sawah"})


def test_replace_revalidates_and_stays_read_only():
    layer = Layer("ph", np.zeros(GRID.shape), GRID, units="pH")
    renamed = layer.replace(name="ph_kcl", data=np.ones(GRID.shape))
    assert (renamed.name, renamed.units) == ("ph_kcl", "pH")
    assert not renamed.data.flags.writeable
    assert layer.name == "ph"
    with pytest.raises(GridMismatchError):
        layer.replace(data=np.zeros((3, 3)))
    with pytest.raises(LayerKindError):
        layer.replace(data=np.zeros(GRID.shape, dtype=np.int32))


def test_list_input_is_accepted():
    layer = Layer("ph", [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], GRID)
    assert isinstance(layer.data, np.ndarray) and layer.data.shape == (2, 3)


def test_repr_names_the_layer():
    text = repr(Layer("ph", np.zeros(GRID.shape), GRID, units="pH"))
    assert "'ph'" in text and "continuous" in text and "EPSG:32750" in text


def test_sentinel_must_fit_the_dtype():
    with pytest.raises(ConfigError, match="-1"):
        Layer("lc", np.ones(GRID.shape, dtype=np.uint8), GRID, kind="categorical")
