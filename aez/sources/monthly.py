"""Monthly climate rasters: one file per variable, year and month, on one grid.

:class:`MonthlyRasters` is what the CHIRPS and WorldClim readers share: it
checks that every year has its twelve months and that all files share a
grid, and it reads a window as an array of shape ``(years, 12, rows, cols)``
in the provider's units (mm/month, °C). The climate *indices* (annual
rainfall, dry months, Oldeman, Schmidt–Ferguson) are computed from it in
:mod:`aez.derive.climate`.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
from rasterio.crs import CRS
from rasterio.windows import Window

from aez.errors import ConfigError, DataSourceError
from aez.sources.base import RasterReader, open_dataset, read_band
from aez.sources.files import NativeGrid, as_float

__all__ = ["MonthlyRasters", "parse_years"]

#: Year of a long-term climatology (WorldClim's twelve monthly means).
CLIMATOLOGY = 0


def parse_years(text: str | None) -> tuple[int, int] | None:
    """Parse ``"2010-2019"`` (or ``"2015"``) into an inclusive year range.

    >>> parse_years("2010-2019"), parse_years("2015"), parse_years(None)
    ((2010, 2019), (2015, 2015), None)
    """
    if text is None:
        return None
    parts = str(text).replace("–", "-").split("-")
    try:
        first, last = int(parts[0]), int(parts[-1])
    except ValueError:
        first = last = -1
    if len(parts) > 2 or first < 0 or last < first:
        raise ConfigError(f"years = {text!r}; write a year range such as \"2010-2019\".")
    return first, last


class MonthlyRasters(RasterReader):
    """Monthly files of one or more variables; subclasses find and name them.

    Subclasses fill :attr:`files` (variable → year → month → path) and call
    :meth:`_finish`.
    """

    files: dict[str, dict[int, dict[int, Path | str | tuple[str, int]]]]
    example: str = "{variable} {year}-{month:02d}"
    #: CRS of files that carry none (CHIRPS' NetCDF is geographic WGS 84 without saying so).
    default_crs: str | None = None

    def _start(self) -> None:
        self.files = defaultdict(lambda: defaultdict(dict))

    def _add(self, variable: str, year: int, month: int,
             path: Path | str | tuple[str, int]) -> None:
        if not 1 <= month <= 12:
            raise DataSourceError(
                f"{self.source}: {_name(path)} names month {month}; expected 01-12.")
        self.files[variable][year][month] = path

    def _finish(self, years: tuple[int, int] | None) -> None:
        if years is not None:
            for variable, by_year in self.files.items():
                if set(by_year) <= {CLIMATOLOGY}:
                    continue  # normals have no years to choose from
                kept = {y: m for y, m in by_year.items() if years[0] <= y <= years[1]}
                missing = [y for y in range(years[0], years[1] + 1) if y not in kept]
                if missing and any(y != CLIMATOLOGY for y in by_year):
                    raise DataSourceError(
                        f"{self.source}: no {variable} files for the year(s) "
                        f"{', '.join(map(str, missing[:5]))} asked for; expected e.g. "
                        f"{self.file_name(variable, missing[0], 1)}."
                    )
                self.files[variable] = defaultdict(dict, kept)
        grid: NativeGrid | None = None
        first: Path | str | tuple[str, int] | None = None
        for variable, by_year in self.files.items():
            for year, months in sorted(by_year.items()):
                absent = [m for m in range(1, 13) if m not in months]
                if absent:
                    raise DataSourceError(
                        f"{self.source}: {self.file_name(variable, year, absent[0])} is missing "
                        f"({variable}, {'the climatology' if year == CLIMATOLOGY else year}, "
                        f"month {absent[0]:02d}); every year needs its twelve months."
                    )
                for month in range(1, 13):
                    path = months[month]
                    with open_dataset(_path(path)) as src:
                        crs = src.crs or (CRS.from_user_input(self.default_crs)
                                          if self.default_crs else None)
                        if crs is None:
                            raise DataSourceError(f"{self.source}: {_name(path)} has no CRS.")
                        here = NativeGrid(crs, src.transform, src.width, src.height)
                    if grid is None:
                        grid, first = here, path
                    elif not grid.same_cells(here):
                        raise DataSourceError(
                            f"{self.source}: {_name(path)} is not on the grid of "
                            f"{_name(first) if first else ''}; all months must share one grid."
                        )
        if grid is None:
            raise DataSourceError(
                f"{self.source}: no monthly file among the inputs; expected names such as "
                f"{self.file_name('prec', 2010, 1)}."
            )
        self.grid = grid

    def file_name(self, variable: str, year: int, month: int) -> str:
        """Return the provider's name of one monthly file (for messages)."""
        return self.example.format(variable=variable, year=year, month=month)

    def variables(self) -> list[str]:
        """Variables with monthly files."""
        return sorted(v for v, by_year in self.files.items() if by_year)

    def years(self, variable: str) -> list[int]:
        """Years of a variable (``[0]`` for a climatology)."""
        return sorted(self.files[variable])

    def monthly(self, variable: str, window: Window) -> np.ndarray:
        """Values of a window as ``(years, 12, rows, cols)`` float64, NaN for no data."""
        if variable not in self.variables():
            raise DataSourceError(
                f"{self.source}: no monthly {variable} files among the inputs; expected e.g. "
                f"{self.file_name(variable, 2010, 1)}."
            )
        years = self.years(variable)
        out = np.empty((len(years), 12, int(window.height), int(window.width)))
        for i, year in enumerate(years):
            for month in range(1, 13):
                ref = self.files[variable][year][month]
                raw, nodata = read_band(_path(ref), window, band=_band(ref))
                out[i, month - 1] = as_float(raw, nodata)
        return out

    def inputs(self) -> list[Path]:
        """Every monthly file."""
        return sorted({_file(p) for by_year in self.files.values()
                       for months in by_year.values() for p in months.values()})


def _file(ref: Path | str | tuple[str, int]) -> Path:
    """Return the file on disk behind a monthly file reference."""
    if isinstance(ref, tuple):
        parts = ref[0].split('"')
        return Path(parts[1] if len(parts) > 1 else ref[0])
    return Path(str(ref).removeprefix("/vsigzip/"))


def _path(ref: Path | str | tuple[str, int]) -> str:
    """Return the GDAL path of a monthly file reference (a path, or a NetCDF band's file)."""
    return ref[0] if isinstance(ref, tuple) else str(ref)


def _band(ref: Path | str | tuple[str, int]) -> int:
    """Return the band of a monthly file reference."""
    return ref[1] if isinstance(ref, tuple) else 1


def _name(ref: Path | str | tuple[str, int]) -> str:
    """Return a file reference as messages name it (``file.nc band 7`` for a NetCDF band)."""
    if isinstance(ref, tuple):
        return f"{_file(ref).name} band {ref[1]}"
    return Path(ref).name
