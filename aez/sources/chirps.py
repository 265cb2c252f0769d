"""CHIRPS v2.0 monthly rainfall (Climate Hazards Center, UC Santa Barbara).

Native layout (Funk et al. 2015, *The climate hazards infrared precipitation
with stations — a new environmental record for monitoring extremes*,
Scientific Data 2, 150066; CHC data pages, ``products/CHIRPS-2.0/global_monthly/
tifs/``): one GeoTIFF per month named ``chirps-v2.0.YYYY.MM.tif`` (served
gzipped as ``.tif.gz``, which aez reads as it is), float32 rainfall in
mm/month on a 0.05° grid in geographic WGS 84 (EPSG:4326) covering 50°S–50°N,
with −9999 for no data; or the single NetCDF ``chirps-v2.0.monthly.nc`` whose
variable ``precip`` holds one month per time step (time in "days since
1980-1-1"; a file without a CRS is read as EPSG:4326, which CHIRPS is).
Months are read as they are: CHIRPS needs no unit conversion. The indices
(annual rainfall, dry months, Oldeman, Schmidt–Ferguson) are computed from the
months by :mod:`aez.derive.climate`.

>>> CHIRPS_FILE.match("chirps-v2.0.2015.07.tif").group("year", "month")
('2015', '07')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from aez.errors import DataSourceError
from aez.sources.base import Output, open_dataset
from aez.sources.files import expand_inputs
from aez.sources.monthly import MonthlyRasters, parse_years

__all__ = ["CHIRPS_FILE", "Chirps"]

#: A CHIRPS v2.0 monthly file name (optionally gzipped).
CHIRPS_FILE = re.compile(r"^chirps-v2\.0\.(?P<year>\d{4})\.(?P<month>\d{2})\.tif(?P<gz>\.gz)?$")
#: The CHIRPS v2.0 monthly NetCDF (``chirps-v2.0.monthly.nc``): variable ``precip`` over time.
CHIRPS_NETCDF = re.compile(r"^chirps-v2\.0\..*monthly.*\.nc$")


class Chirps(MonthlyRasters):
    """CHIRPS v2.0 monthly GeoTIFFs: the ``prec`` variable in mm/month, per year.

    Parameters
    ----------
    inputs : iterable of paths
        Files, folders or patterns (``chirps/chirps-v2.0.*.tif``).
    years : str, optional
        Year range to use (``"2010-2019"``); default every year given. Each
        year needs all twelve months.
    """

    source = "chirps"
    example = "chirps-v2.0.{year}.{month:02d}.tif"
    default_crs = "EPSG:4326"

    def __init__(self, inputs: Iterable[str | Path], *, years: str | None = None) -> None:
        self._start()
        for path in expand_inputs(inputs, source="chirps", suffixes=(".tif", ".tif.gz", ".nc")):
            if CHIRPS_NETCDF.match(path.name):
                self._add_netcdf(path)
                continue
            match = CHIRPS_FILE.match(path.name)
            if match is None:
                raise DataSourceError(
                    f"chirps: {path} is not named like a CHIRPS v2.0 monthly file; expected "
                    "chirps-v2.0.YYYY.MM.tif (or .tif.gz), or chirps-v2.0.monthly.nc."
                )
            gdal_path = f"/vsigzip/{path}" if match.group("gz") else path
            self._add("prec", int(match.group("year")), int(match.group("month")), gdal_path)
        self._finish(parse_years(years))

    def _add_netcdf(self, path: Path) -> None:
        """Add every month of the NetCDF's ``precip`` variable (one band per time step)."""
        gdal_path = f'NETCDF:"{path}":precip'
        try:
            src = open_dataset(gdal_path)
        except DataSourceError as exc:
            raise DataSourceError(
                f"chirps: {path.name} has no variable 'precip' readable as monthly rainfall "
                f"({str(exc).splitlines()[0]})."
            ) from exc
        with src:
            units = src.tags().get("time#units", "")
            match = re.match(r"^days since (\d{4})-(\d{1,2})-(\d{1,2})", units)
            if match is None:
                raise DataSourceError(
                    f"chirps: {path.name} has time units {units!r}; expected 'days since "
                    "YYYY-M-D' as CHIRPS writes them."
                )
            origin = date(*(int(v) for v in match.groups()))
            for band in range(1, src.count + 1):
                value = src.tags(band).get("NETCDF_DIM_time")
                if value is None:
                    raise DataSourceError(f"chirps: {path.name} band {band} has no time.")
                day = origin + timedelta(days=float(value))
                self._add("prec", day.year, day.month, (gdal_path, band))

    def outputs(self) -> dict[str, Output]:
        """Monthly rainfall (the indices are derived from it)."""
        return {"prec": Output("prec", "mm/month", description="CHIRPS monthly rainfall")}
