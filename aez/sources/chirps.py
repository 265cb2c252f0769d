"""CHIRPS v2.0 monthly rainfall (Climate Hazards Center, UC Santa Barbara).

Native layout (Funk et al. 2015, *The climate hazards infrared precipitation
with stations — a new environmental record for monitoring extremes*,
Scientific Data 2, 150066; CHC data pages, ``products/CHIRPS-2.0/global_monthly/
tifs/``): one GeoTIFF per month named ``chirps-v2.0.YYYY.MM.tif`` (served
gzipped as ``.tif.gz``, which aez reads as it is), float32 rainfall in
mm/month on a 0.05° grid in geographic WGS 84 (EPSG:4326) covering 50°S–50°N,
with −9999 for no data. Months are read as they are: CHIRPS needs no unit
conversion. The indices (annual rainfall, dry months, Oldeman,
Schmidt–Ferguson) are computed from the months by :mod:`aez.derive.climate`.

>>> CHIRPS_FILE.match("chirps-v2.0.2015.07.tif").group("year", "month")
('2015', '07')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from aez.errors import DataSourceError
from aez.sources.base import Output
from aez.sources.files import expand_inputs
from aez.sources.monthly import MonthlyRasters, parse_years

__all__ = ["CHIRPS_FILE", "Chirps"]

#: A CHIRPS v2.0 monthly file name (optionally gzipped).
CHIRPS_FILE = re.compile(r"^chirps-v2\.0\.(?P<year>\d{4})\.(?P<month>\d{2})\.tif(?P<gz>\.gz)?$")


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

    def __init__(self, inputs: Iterable[str | Path], *, years: str | None = None) -> None:
        self._start()
        for path in expand_inputs(inputs, source="chirps", suffixes=(".tif", ".tif.gz")):
            match = CHIRPS_FILE.match(path.name)
            if match is None:
                raise DataSourceError(
                    f"chirps: {path} is not named like a CHIRPS v2.0 monthly file; expected "
                    "chirps-v2.0.YYYY.MM.tif (or .tif.gz)."
                )
            gdal_path = f"/vsigzip/{path}" if match.group("gz") else path
            self._add("prec", int(match.group("year")), int(match.group("month")), gdal_path)
        self._finish(parse_years(years))

    def outputs(self) -> dict[str, Output]:
        """Monthly rainfall (the indices are derived from it)."""
        return {"prec": Output("prec", "mm/month", description="CHIRPS monthly rainfall")}
