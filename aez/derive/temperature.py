"""Mean annual air temperature from elevation.

Indonesian land evaluation estimates temperature from elevation with Braak's
formula (Braak 1928, *Het klimaat van Nederlandsch-Indië*; the form used in
Djaenudin et al. 2011, *Petunjuk Teknis Evaluasi Lahan untuk Komoditas
Pertanian*, BBSDLP)::

    T = 26.3 − 0.6 · h      (°C; h = elevation in hundreds of metres)

that is 26.3 °C at sea level, falling 0.6 °C per 100 m. ``method="lapse_rate"``
takes any base temperature and lapse rate instead (e.g. a local regression on
station data).

>>> import numpy as np
>>> from aez.grid import Grid
>>> from aez.layer import Layer
>>> g = Grid.from_bounds((0, 0, 30, 10), resolution=10, crs="EPSG:32750")
>>> dem = Layer("dem", np.array([[0.0, 500.0, 1500.0]]), g, units="m")
>>> [round(float(t), 2) for t in temperature_from_elevation(dem).data[0]]  # 26.3 − 0, − 3, − 9
[26.3, 23.3, 17.3]
"""

from __future__ import annotations

import numpy as np

from aez.checks import choose, require_continuous
from aez.errors import ConfigError
from aez.layer import Layer

__all__ = ["BRAAK_BASE", "BRAAK_LAPSE_RATE", "TEMPERATURE_METHODS", "temperature_from_elevation"]

#: Braak's sea-level temperature (°C).
BRAAK_BASE = 26.3
#: Braak's lapse rate (°C per 100 m).
BRAAK_LAPSE_RATE = 0.6
TEMPERATURE_METHODS: tuple[str, ...] = ("braak", "lapse_rate")


def temperature_from_elevation(
    dem: Layer,
    *,
    method: str = "braak",
    base: float | None = None,
    lapse_rate: float | None = None,
    name: str = "temperature",
) -> Layer:
    """Mean annual air temperature (°C) from elevation (m).

    Parameters
    ----------
    dem : Layer
        Continuous elevation in metres above sea level.
    method : {"braak", "lapse_rate"}
        ``"braak"``: T = 26.3 − 0.6 · h/100. ``"lapse_rate"``:
        T = base − lapse_rate · h/100, with both given.
    base : float, optional
        Temperature at sea level (°C), for ``"lapse_rate"``.
    lapse_rate : float, optional
        Cooling per 100 m of elevation (°C/100 m, positive), for
        ``"lapse_rate"``.
    name : str
        Name of the output layer.

    Returns
    -------
    Layer
        float32 temperature in ``"°C"``; NaN where the DEM is nodata.

    Raises
    ------
    ConfigError
        For an unknown method, missing ``base``/``lapse_rate`` with
        ``"lapse_rate"``, or those options given with ``"braak"``.
    """
    method = choose(method, TEMPERATURE_METHODS, what="temperature method")
    require_continuous(dem, what="temperature_from_elevation()")
    if method == "braak":
        if base is not None or lapse_rate is not None:
            raise ConfigError(
                "method = \"braak\" fixes base = 26.3 °C and lapse_rate = 0.6 °C/100 m; to set "
                "them yourself use method = \"lapse_rate\"."
            )
        t0, rate = BRAAK_BASE, BRAAK_LAPSE_RATE
    else:
        if base is None or lapse_rate is None:
            raise ConfigError(
                "method = \"lapse_rate\" needs both base (°C at sea level) and lapse_rate "
                f"(°C per 100 m); got base = {base!r}, lapse_rate = {lapse_rate!r}. For Braak's "
                "formula use method = \"braak\"."
            )
        t0, rate = float(base), float(lapse_rate)
        if not (np.isfinite(t0) and np.isfinite(rate)) or rate < 0:
            raise ConfigError(
                f"lapse_rate = {lapse_rate!r}, base = {base!r}; expected finite numbers and a "
                "lapse rate ≥ 0 °C per 100 m (temperature falls with height), e.g. 0.6."
            )
    h = np.asarray(dem.data, dtype=np.float64)
    temperature = (t0 - rate * (h / 100.0)).astype(np.float32)
    return Layer(name, temperature, dem.grid, units="°C")
