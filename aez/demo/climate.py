"""Climate of the demo region: rainfall with an orographic gradient, dry months, humidity.

* **Annual rainfall** (mm/yr): 1900 mm on the coast, rising with the
  elevation smoothed over about 3 km (0.65 mm per m) and on slopes facing the
  south-east monsoon, plus regional noise; clipped to 1700–3600 mm.
* **Monthly rainfall** follows a monsoonal cycle peaking in January,
  ``P/12 · (1 + α cos(2π (m − 1)/12))``. The seasonality α falls from 0.72
  on the dry coast to 0.3 where rainfall is highest: about three dry months
  on the coast, none on the volcano, as in southern Kalimantan.
* **Dry months**: the number of months with less than 100 mm (Oldeman's
  threshold as used in Indonesian land evaluation).
* **Relative humidity** (%): 78 % plus 8 % across the rainfall range, minus
  0.2 % per 100 m of elevation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from aez.demo.fields import NoiseField, block_rows, rng_for
from aez.demo.region import Canvas

__all__ = ["Climate", "make_climate", "monthly_rainfall"]

#: A month is dry below this rainfall (mm).
DRY_MONTH_MM = 100.0


@dataclass(frozen=True, eq=False)
class Climate:
    """Rainfall (mm/yr), dry months and relative humidity (%), float32 grids (NaN outside)."""

    rainfall: np.ndarray
    dry_months: np.ndarray
    humidity: np.ndarray


def monthly_rainfall(annual: np.ndarray, seasonality: np.ndarray) -> np.ndarray:
    """Rainfall of each month (mm), shape ``(12, *annual.shape)``.

    >>> m = monthly_rainfall(np.array([1200.0]), np.array([0.5]))
    >>> float(m.sum()), float(m[0, 0]), float(m[6, 0])
    (1200.0, 150.0, 50.0)
    """
    months = np.arange(12).reshape((12,) + (1,) * np.ndim(annual))
    return annual / 12.0 * (1.0 + seasonality * np.cos(2 * np.pi * months / 12.0))


def _dry_months(annual: np.ndarray, seasonality: np.ndarray) -> np.ndarray:
    """Months below :data:`DRY_MONTH_MM`, one month at a time (no 12-fold array).

    The same arithmetic as :func:`monthly_rainfall`, so the count is the same.
    """
    months = np.arange(12).reshape((12,) + (1,) * np.ndim(annual))
    cosines = np.cos(2 * np.pi * months / 12.0)
    dry = np.zeros(np.shape(annual), dtype=np.int8)
    for cosine in cosines:
        dry += annual / 12.0 * (1.0 + seasonality * cosine) < DRY_MONTH_MM
    return dry.astype(np.float64)


def _gradient(values: np.ndarray, rows: slice, spacing: float
              ) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``rows`` of ``np.gradient(values, spacing)``, from those rows and one on each side.

    Inside the grid both are central differences and at its edges one-sided,
    as :func:`numpy.gradient` takes them on the whole grid.

    >>> z = np.arange(12.0).reshape(4, 3) ** 2
    >>> all(np.array_equal(a, b[1:3]) for a, b in zip(_gradient(z, slice(1, 3), 2.0),
    ...                                               np.gradient(z, 2.0)))
    True
    """
    start, stop = rows.indices(values.shape[0])[:2]
    lo, hi = max(start - 1, 0), min(stop + 1, values.shape[0])
    gy = np.gradient(values[lo:hi], spacing, axis=0)[start - lo:stop - lo]
    return gy, np.gradient(values[start:stop], spacing, axis=1)


def make_climate(canvas: Canvas, dem: np.ndarray, *, seed: int) -> Climate:
    """Rainfall, dry months and humidity over the canvas (see the module docstring).

    Everything after the smoothing of the relief is computed in row blocks of
    about 2²⁰ cells (the same arithmetic per cell), so the smoothed relief is
    the only full-grid float64 grid.
    """
    rng = rng_for(seed, "climate")
    sigma = 3000.0 / canvas.res
    smooth = ndimage.gaussian_filter(np.nan_to_num(dem, nan=0.0), sigma, mode="nearest")
    noise = NoiseField(rng, canvas.bounds, scale=0.3 * canvas.extent)
    shape = canvas.grid.shape
    climate = Climate(*(np.empty(shape, dtype=np.float32) for _ in range(3)))
    for part, block in noise.rows(canvas.x, canvas.y, block_rows(shape[1])):
        # The south-east monsoon climbs slopes that face it: upslope towards the north-west
        # (rows run southwards, so the northward gradient is -gy).
        gy, gx = _gradient(smooth, part, canvas.res)
        windward = np.clip((-0.7 * gx - 0.7 * gy) * 100.0, -10.0, 10.0)
        rainfall = 1900.0 + 0.65 * smooth[part] + 25.0 * windward + 120.0 * block
        rainfall = np.clip(rainfall, 1700.0, 3600.0)
        seasonality = np.clip(0.72 - 0.4 * (rainfall - 1700.0) / 1900.0, 0.3, 0.72)
        z = np.nan_to_num(dem[part], nan=0.0)
        humidity = np.clip(78.0 + 8.0 * (rainfall - 1700.0) / 1900.0 - 0.002 * z, 60.0, 95.0)
        outside = ~canvas.land[part]
        # Stored as float32, the type they are written in (whole mm and months are exact).
        climate.rainfall[part] = np.where(outside, np.nan, np.round(rainfall))
        climate.dry_months[part] = np.where(outside, np.nan, _dry_months(rainfall, seasonality))
        climate.humidity[part] = np.where(outside, np.nan, np.round(humidity, 1))
    return climate
