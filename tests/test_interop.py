"""Results that are rasters carry their Grid and convert to xarray with their CRS."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import rasterio
import rioxarray  # noqa: F401  (the dev extra installs the xarray extra; .rio accessors)
from affine import Affine

import aez
from aez.errors import GridMismatchError
from aez.evaluate.reference import Suitability

GRID = aez.Grid.from_bounds((400_000, 9_000_000, 400_300, 9_000_200), resolution=100,
                            crs="EPSG:32750")


def _slope() -> aez.Layer:
    return aez.Layer("slope", np.array([[3.0, 20.0, np.nan], [1.0, 45.0, 10.0]]), GRID,
                     units="%")


def test_layer_to_xarray_keeps_values_coordinates_and_crs():
    da = _slope().to_xarray()
    assert da.dims == ("y", "x")
    assert da.x.values.tolist() == [400_050.0, 400_150.0, 400_250.0]
    assert da.y.values.tolist() == [9_000_150.0, 9_000_050.0]
    np.testing.assert_array_equal(da.values, _slope().data)
    assert da.rio.crs == GRID.crs
    # rioxarray rebuilds the transform from the coordinates: it must be the grid's own.
    assert tuple(da.rio.transform(recalc=True))[:6] == tuple(GRID.transform)[:6]


def test_layer_to_xarray_round_trips_through_a_geotiff(tmp_path):
    path = tmp_path / "slope.tif"
    _slope().to_xarray().rio.to_raster(path)
    with rasterio.open(path) as src:
        assert src.crs == GRID.crs
        assert src.transform == GRID.transform
        np.testing.assert_array_equal(src.read(1), _slope().data)


def test_categorical_layer_carries_its_sentinel_and_legend():
    codes = aez.Layer("drainage", np.array([[1, 2, -1], [3, 1, 2]], np.int16), GRID,
                      kind="categorical", legend={1: "well", 2: "moderate", 3: "poor"})
    da = codes.to_xarray()
    assert da.attrs["_FillValue"] == -1 and da.attrs["legend"][3] == "poor"
    assert da.rio.nodata == -1


def test_evaluated_suitability_carries_its_grid_and_converts():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # jagung's other characteristics have no layer
        result = aez.evaluate_layers({"slope": _slope()}, aez.load_crop("jagung"))
    assert result.grid == GRID
    layers = result.to_layers()
    np.testing.assert_array_equal(layers["class"].data, result.actual)
    assert layers["class"].legend[1] == "S1"
    ds = result.to_xarray()
    assert set(ds.data_vars) == {"class", "potential", "subclass", "index"}
    assert ds.rio.crs == GRID.crs
    np.testing.assert_array_equal(ds["index"].values, result.index)
    assert ds.attrs["crop"] == "jagung"


def test_layers_on_two_grids_are_refused():
    other = aez.Grid(GRID.crs, Affine(100, 0, 500_000, 0, -100, 9_000_200), GRID.shape)
    ph = aez.Layer("ph_h2o", np.full(GRID.shape, 6.0), other, units="pH")
    with pytest.raises(GridMismatchError, match="different grids"):
        aez.evaluate_layers({"slope": _slope(), "ph_h2o": ph}, aez.load_crop("jagung"))


def test_suitability_of_plain_arrays_has_no_grid_to_convert():
    bare = Suitability("x", np.ones((1, 1), np.uint8), np.ones((1, 1), np.uint8),
                       np.zeros((1, 1), np.uint16), np.ones((1, 1), np.float32), (), ())
    with pytest.raises(GridMismatchError, match="no grid"):
        bare.to_layers()
