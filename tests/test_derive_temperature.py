"""Temperature from elevation: Braak's formula by hand, a user lapse rate, bad options."""

from __future__ import annotations

import numpy as np
import pytest

from aez.derive import temperature_from_elevation
from aez.errors import ConfigError, LayerKindError
from aez.grid import Grid
from aez.layer import Layer

GRID = Grid.from_bounds((0, 0, 40, 10), resolution=10, crs="EPSG:32750")


def dem(values) -> Layer:
    return Layer("dem", np.array([values], dtype=np.float32), GRID, units="m")


def test_braak_at_hand_checked_elevations():
    # T = 26.3 − 0.6·h, h in hundreds of metres:
    #   0 m    → 26.3 − 0.6·0  = 26.3 °C
    #   500 m  → 26.3 − 0.6·5  = 26.3 − 3.0 = 23.3 °C
    #   1500 m → 26.3 − 0.6·15 = 26.3 − 9.0 = 17.3 °C
    t = temperature_from_elevation(dem([0.0, 500.0, 1500.0, np.nan]))
    assert t.units == "°C" and t.kind == "continuous" and t.name == "temperature"
    np.testing.assert_allclose(t.data[0, :3], [26.3, 23.3, 17.3], atol=1e-5)
    assert np.isnan(t.data[0, 3])  # nodata stays nodata


def test_user_lapse_rate_and_base():
    # base 27 °C, 0.65 °C per 100 m: 1000 m → 27 − 6.5 = 20.5; 2000 m → 27 − 13 = 14.0
    t = temperature_from_elevation(dem([0.0, 1000.0, 2000.0, -50.0]), method="lapse_rate",
                                   base=27.0, lapse_rate=0.65)
    # below sea level (−50 m) it is warmer: 27 + 0.325 = 27.325
    np.testing.assert_allclose(t.data[0], [27.0, 20.5, 14.0, 27.325], atol=1e-5)


def test_bad_options_are_refused():
    with pytest.raises(ConfigError, match=r"'brak'.*Did you mean 'braak'"):
        temperature_from_elevation(dem([0, 0, 0, 0]), method="brak")
    with pytest.raises(ConfigError, match="needs both base"):
        temperature_from_elevation(dem([0, 0, 0, 0]), method="lapse_rate", base=26.0)
    with pytest.raises(ConfigError, match="lapse_rate"):
        temperature_from_elevation(dem([0, 0, 0, 0]), base=25.0)
    with pytest.raises(ConfigError, match="≥ 0"):
        temperature_from_elevation(dem([0, 0, 0, 0]), method="lapse_rate", base=26.0,
                                   lapse_rate=-0.6)
    codes = Layer("dem", np.zeros((1, 4), dtype=np.int16), GRID, kind="categorical")
    with pytest.raises(LayerKindError):
        temperature_from_elevation(codes)
