"""WorldClim 2.1: monthly climate normals, bioclimatic variables and historical monthly weather.

Native layout (Fick, S. E. & Hijmans, R. J. 2017, *WorldClim 2: new 1-km
spatial resolution climate surfaces for global land areas*, Int. J.
Climatol. 37, 4302–4315; worldclim.org "Historical climate data" and
"Historical monthly weather data"): GeoTIFFs in geographic WGS 84 at 30″,
2.5′, 5′ or 10′ (``30s``, ``2.5m``, ``5m``, ``10m`` in the names):

- normals 1970–2000: ``wc2.1_30s_tavg_01.tif`` … ``_12`` (also ``tmin``,
  ``tmax``, ``prec``);
- bioclimatic variables: ``wc2.1_30s_bio_1.tif`` … ``_19``; ``bio_1`` is the
  annual mean temperature (°C) and ``bio_12`` the annual precipitation (mm);
- historical monthly weather (CRU-TS downscaled): ``wc2.1_2.5m_prec_2010-01.tif``
  (``tmin``, ``tmax``, ``prec``; no ``tavg``).

Units are °C for temperatures and mm (per month, or per year for bio_12);
WorldClim 2.1 stores them unscaled (unlike version 1.4's °C × 10). No data
is the file's own nodata value. Where only ``tmin`` and ``tmax`` are given,
the mean temperature is their average, which is how WorldClim defines
``tavg``.

>>> WORLDCLIM_FILE.match("wc2.1_30s_prec_07.tif").group("res", "var", "month")
('30s', 'prec', '07')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from rasterio.windows import Window

from aez.errors import DataSourceError
from aez.io.raster import open_raster
from aez.sources.base import Output, read_band
from aez.sources.files import NativeGrid, as_float, expand_inputs
from aez.sources.monthly import CLIMATOLOGY, MonthlyRasters, parse_years

__all__ = ["WORLDCLIM_BIO", "WORLDCLIM_FILE", "WorldClim"]

#: A WorldClim 2.1 file: normals (``_MM``), historical months (``_YYYY-MM``) or bio (``bio_N``).
WORLDCLIM_FILE = re.compile(
    r"^wc2\.1_(?:cruts[0-9.]+_)?(?P<res>30s|2\.5m|5m|10m)_(?P<var>tavg|tmin|tmax|prec|srad|wind|"
    r"vapr|bio)_(?:(?P<year>\d{4})-)?(?P<month>\d{1,2})\.tif$"
)
#: The bioclimatic variables aez reads: number → (name, units).
WORLDCLIM_BIO: dict[int, tuple[str, str]] = {
    1: ("annual mean temperature", "°C"),
    12: ("annual precipitation", "mm/yr"),
}


class WorldClim(MonthlyRasters):
    """WorldClim 2.1 monthly normals or historical months, and bioclimatic variables.

    Parameters
    ----------
    inputs : iterable of paths
    years : str, optional
        Year range of historical monthly files to use (``"2010-2019"``).
    """

    source = "worldclim"
    example = "wc2.1_30s_{variable}_{month:02d}.tif"

    def __init__(self, inputs: Iterable[str | Path], *, years: str | None = None) -> None:
        self._start()
        self.bio: dict[int, Path] = {}
        for path in expand_inputs(inputs, source="worldclim", suffixes=(".tif",)):
            match = WORLDCLIM_FILE.match(path.name)
            if match is None:
                raise DataSourceError(
                    f"worldclim: {path} is not named like a WorldClim 2.1 file; expected "
                    "wc2.1_30s_prec_01.tif, wc2.1_2.5m_prec_2010-01.tif or wc2.1_30s_bio_1.tif."
                )
            var, year, month = match.group("var", "year", "month")
            if var == "bio":
                self.bio[int(month)] = path
                continue
            if year is not None:
                self.example = f"wc2.1_{match.group('res')}_{{variable}}_{{year}}-{{month:02d}}.tif"
            else:
                self.example = f"wc2.1_{match.group('res')}_{{variable}}_{{month:02d}}.tif"
            self._add(var, CLIMATOLOGY if year is None else int(year), int(month), path)
        if any(self.files.values()):
            self._finish(parse_years(years))
        elif self.bio:
            with open_raster(next(iter(self.bio.values()))) as src:
                self.grid = NativeGrid(src.crs, src.transform, src.width, src.height)
        else:
            raise DataSourceError("worldclim: no WorldClim 2.1 file among the inputs.")
        for number, path in self.bio.items():
            with open_raster(path) as src:
                here = NativeGrid(src.crs, src.transform, src.width, src.height)
            if not self.grid.same_cells(here):
                raise DataSourceError(
                    f"worldclim: {path.name} is not on the grid of the other WorldClim files."
                )
            del number

    def variables(self) -> list[str]:
        """Monthly variables; ``tavg`` is offered when ``tmin`` and ``tmax`` are."""
        have = super().variables()
        if "tavg" not in have and {"tmin", "tmax"} <= set(have):
            have = sorted([*have, "tavg"])
        return have

    def years(self, variable: str) -> list[int]:
        """Years of a variable (``[0]`` for the normals)."""
        if variable == "tavg" and "tavg" not in self.files:
            return sorted(set(self.files["tmin"]) & set(self.files["tmax"]))
        return super().years(variable)

    def monthly(self, variable: str, window: Window) -> np.ndarray:
        """Monthly values; ``tavg`` from ``(tmin + tmax) / 2`` when no tavg file is given."""
        if variable == "tavg" and not self.files.get("tavg") and "tavg" in self.variables():
            return (super().monthly("tmin", window) + super().monthly("tmax", window)) / 2.0
        return super().monthly(variable, window)

    def bioclim(self, number: int, window: Window) -> np.ndarray:
        """One bioclimatic variable on a window, float64 with NaN."""
        if number not in self.bio:
            raise DataSourceError(f"worldclim: wc2.1_*_bio_{number}.tif is not among the inputs.")
        raw, nodata = read_band(self.bio[number], window)
        return as_float(raw, nodata)

    def outputs(self) -> dict[str, Output]:
        """Monthly variables and bioclimatic variables given."""
        out = {v: Output(v, "°C" if v.startswith("t") else "mm/month") for v in self.variables()}
        for number in self.bio:
            if number in WORLDCLIM_BIO:
                name, units = WORLDCLIM_BIO[number]
                out[f"bio_{number}"] = Output(f"bio_{number}", units, description=name)
        return out

    def inputs(self) -> list[Path]:
        """Monthly and bioclimatic files."""
        return sorted([*super().inputs(), *self.bio.values()])
