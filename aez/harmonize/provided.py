"""Layers that come from a data source (``source = "soilgrids"`` …), on the source's own grid.

:func:`open_provided` joins a reader of :mod:`aez.sources` to the climate
indices of :mod:`aez.derive.climate`: it gives one canonical layer
(a characteristic such as ``ph_h2o`` or ``dry_months``, or a role such as
``elevation`` or ``oldeman_zone``) that can be read on any window of the
provider's native grid. The layer stack warps those windows onto each tile
(:class:`aez.harmonize.sources.ProviderSource`); ``aez sources import``
writes them to GeoTIFFs (:mod:`aez.harmonize.source_import`). Both read the
same native cells, clipped by :func:`study_window`, so a run gives the same
bytes either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import Transformer
from rasterio.windows import Window

from aez.derive import climate
from aez.errors import ConfigError
from aez.grid import Grid, as_crs
from aez.sources import open_reader
from aez.sources.base import Output, RasterReader
from aez.sources.files import NativeGrid

__all__ = [
    "CLIMATE_OUTPUTS",
    "Provided",
    "lonlat_bounds",
    "native_bounds",
    "open_provided",
    "provided_outputs",
    "study_window",
]

#: Native cells added around the study area when clipping a source to it.
MARGIN_CELLS = 3

#: Q of cells with no wet month at all (Schmidt–Ferguson's "infinite" Q), capped for rasters.
Q_CAP = 9999.0


def _q(monthly: np.ndarray) -> np.ndarray:
    return np.minimum(climate.schmidt_ferguson_q(monthly), Q_CAP)


#: Climate output → (monthly variable, function of the (years, 12, …) array, Output).
CLIMATE_OUTPUTS: dict[str, tuple[str, Callable[[np.ndarray], np.ndarray], Output]] = {
    "rainfall": ("prec", climate.annual_rainfall,
                 Output("rainfall", "mm/yr", description="mean annual rainfall")),
    "dry_months": ("prec", climate.dry_months,
                   Output("dry_months", "months", description="months < 60 mm (Schmidt–Ferguson)")),
    "oldeman_wet_months": ("prec", lambda m: climate.oldeman_months(m)[0],
                           Output("oldeman_wet_months", "months",
                                  description="consecutive months > 200 mm (Oldeman)")),
    "oldeman_dry_months": ("prec", lambda m: climate.oldeman_months(m)[1],
                           Output("oldeman_dry_months", "months",
                                  description="consecutive months < 100 mm (Oldeman)")),
    "oldeman_zone": ("prec", lambda m: climate.oldeman_zone(*climate.oldeman_months(m)),
                     Output("oldeman_zone", "", "categorical", dict(climate.OLDEMAN_ZONES),
                            "Oldeman agro-climatic zone")),
    "schmidt_ferguson_q": ("prec", _q, Output("schmidt_ferguson_q", "%",
                                              description="Schmidt–Ferguson Q (capped at 9999)")),
    "schmidt_ferguson_type": (
        "prec", lambda m: climate.schmidt_ferguson_type(climate.schmidt_ferguson_q(m)),
        Output("schmidt_ferguson_type", "", "categorical",
               {k: v[0] for k, v in climate.SCHMIDT_FERGUSON_TYPES.items()},
               "Schmidt–Ferguson rainfall type")),
    "temperature": ("tavg", climate.mean_annual_temperature,
                    Output("temperature", "°C", description="mean annual temperature")),
}
#: Outputs a WorldClim bioclimatic variable gives when the monthly files are absent.
_BIO_FALLBACK = {"rainfall": 12, "temperature": 1}


def provided_outputs(reader: RasterReader) -> dict[str, Output]:
    """Every canonical layer a reader gives: its own outputs, or the climate indices."""
    if not hasattr(reader, "monthly"):
        return dict(reader.outputs())
    have = set(reader.variables())  # type: ignore[attr-defined]
    bio = set(getattr(reader, "bio", {}))
    out = {name: output for name, (variable, _, output) in CLIMATE_OUTPUTS.items()
           if variable in have}
    for name, number in _BIO_FALLBACK.items():
        if name not in out and number in bio:
            out[name] = CLIMATE_OUTPUTS[name][2]
    return out


@dataclass
class Provided:
    """One canonical layer of a source, readable on windows of the source's native grid."""

    source: str
    name: str
    output: Output
    reader: RasterReader
    #: Relative change of the monthly rainfall before the index is computed (a climate
    #: scenario's ``rainfall_change``; 0: as the files give it).
    rainfall_change: float = 0.0

    @property
    def grid(self) -> NativeGrid:
        """The provider's native grid."""
        return self.reader.grid

    @property
    def dataset(self) -> str | None:
        """A GDAL dataset (VRT text) holding the layer as it is, when there is one (DEM tiles)."""
        return getattr(self.reader, "vrt", None)

    def read(self, window: Window) -> np.ndarray:
        """Canonical values on a window of the native grid (float32 NaN, or int32 codes)."""
        if not hasattr(self.reader, "monthly"):
            return self.reader.read(self.name, window)
        variable, function, output = CLIMATE_OUTPUTS[self.name]
        factor = 1.0 + self.rainfall_change
        if variable in self.reader.variables():  # type: ignore[attr-defined]
            monthly = self.reader.monthly(variable, window)  # type: ignore[attr-defined]
            values = function(monthly * factor if self.rainfall_change else monthly)
        else:
            values = self.reader.bioclim(_BIO_FALLBACK[self.name], window)  # type: ignore[attr-defined]
            values = values * factor if self.rainfall_change else values
        if output.kind == "categorical":
            return np.where(values > 0, values, -1).astype(np.int32)
        return np.asarray(values, dtype=np.float32)

    def inputs(self) -> list[Path]:
        """Files the layer reads."""
        return self.reader.inputs()


def open_provided(source: str, name: str, inputs: Iterable[str | Path], *,
                  reader: RasterReader | None = None, rainfall_change: float = 0.0,
                  **options: Any) -> Provided:
    """Open one canonical layer ``name`` of a raster source on its input files.

    Parameters
    ----------
    source : str
        ``soilgrids``, ``hwsd``, ``chirps``, ``worldclim`` or ``dem``.
    name : str
        The characteristic or role (``ph_h2o``, ``dry_months``, ``elevation`` …).
    inputs : iterable of paths
        Files, folders or patterns.
    reader : RasterReader, optional
        An already open reader of the same inputs (shared by several layers).
    rainfall_change : float, default 0
        Fraction by which the monthly rainfall changes before a rainfall index
        (annual rainfall, dry months …) is computed from it: a climate
        scenario's rainfall (−0.1: 10 % less).
    **options
        The source's options (``depth``, ``years``, ``aggregate`` …).

    Raises
    ------
    ConfigError
        If the source does not give ``name`` from these files.
    """
    if rainfall_change and (name not in CLIMATE_OUTPUTS or CLIMATE_OUTPUTS[name][0] != "prec"):
        raise ConfigError(f"A rainfall change applies to the rainfall indices of a climate "
                          f"source, not to {name!r}; give the scenario a replacement layer "
                          f"for it instead ([scenarios.NAME] layers).")
    reader = reader if reader is not None else open_reader(source, inputs, **options)
    outputs = provided_outputs(reader)
    if name not in outputs:
        raise ConfigError(
            f"Source {source!r} gives {', '.join(outputs) or 'nothing'} from the files given, "
            f"not {name!r}. Set role = one of those, or add the files it needs."
        )
    return Provided(source, name, outputs[name], reader, rainfall_change)


def native_bounds(crs: Any, bounds: tuple[float, float, float, float],
                  native: NativeGrid) -> tuple[float, float, float, float]:
    """Bounds of an area (``bounds`` in ``crs``) in the native CRS (densified edges)."""
    crs = as_crs(crs)
    if native.crs == crs:
        return bounds
    left, bottom, right, top = bounds
    n = 21
    xs = np.concatenate([np.linspace(left, right, n), np.full(n, right),
                         np.linspace(right, left, n), np.full(n, left)])
    ys = np.concatenate([np.full(n, top), np.linspace(top, bottom, n),
                         np.full(n, bottom), np.linspace(bottom, top, n)])
    to_native = Transformer.from_crs(crs.to_wkt(), native.crs.to_wkt(), always_xy=True)
    nx, ny = to_native.transform(xs, ys)
    nx, ny = np.asarray(nx), np.asarray(ny)
    ok = np.isfinite(nx) & np.isfinite(ny)
    if not ok.any():
        raise ConfigError("The study area cannot be placed in the source's CRS.")
    return float(nx[ok].min()), float(ny[ok].min()), float(nx[ok].max()), float(ny[ok].max())


def lonlat_bounds(grid: Grid, *, margin: float = 0.02) -> tuple[float, float, float, float]:
    """Return the grid's extent in geographic WGS 84 (degrees), grown by ``margin`` degrees."""
    geographic = NativeGrid(as_crs("EPSG:4326"), grid.transform, 1, 1)
    left, bottom, right, top = native_bounds(grid.crs, grid.bounds, geographic)
    return left - margin, bottom - margin, right + margin, top + margin


def study_window(native: NativeGrid, grid: Grid, *, margin: int = MARGIN_CELLS) -> Window | None:
    """Return the native window a run over ``grid`` reads: its extent plus ``margin`` cells.

    ``aez sources import --config`` writes exactly this window, and a layer
    read straight from the source reads nothing outside it, so both give
    the same cells.
    """
    return native.clip(native_bounds(grid.crs, grid.bounds, native), pad=margin)
