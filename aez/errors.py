"""Exceptions and warnings raised by aez.

Every error aez raises on purpose derives from :class:`AEZError`, so a caller
can catch them all at once. Each subclass also inherits the builtin exception
it specialises, so code that already catches ``ValueError`` or ``OSError``
keeps working.

Messages follow one pattern: what was wrong, the value seen, what was
expected, and the remedy.

>>> from aez.errors import AEZError, ConfigError
>>> issubclass(ConfigError, ValueError) and issubclass(ConfigError, AEZError)
True
"""

from __future__ import annotations

__all__ = [
    "AEZError",
    "AEZWarning",
    "CRSError",
    "ConfigError",
    "CoverageError",
    "CoverageWarning",
    "DataSourceError",
    "GeometryError",
    "GridMismatchError",
    "ImplausibleValueError",
    "InfeasibleError",
    "LayerKindError",
    "NegativeValueError",
    "OutputExistsError",
    "PriceTableError",
    "RunInterrupted",
    "RunLockedError",
    "TotalRowWarning",
    "UnmatchedCodeWarning",
]


class AEZError(Exception):
    """Root of every error that aez raises on purpose."""


class ConfigError(AEZError, ValueError):
    """A run configuration or a function argument is invalid."""


class LayerKindError(ConfigError):
    """A layer's declared kind (continuous or categorical) contradicts its data."""


class CRSError(AEZError, ValueError):
    """A coordinate reference system is missing, unknown, or unsuitable."""


class GridMismatchError(AEZError, ValueError):
    """Arrays or layers are not on the same analysis grid."""


class CoverageError(GridMismatchError):
    """A layer covers too little of the study area (or none of it)."""


class DataSourceError(AEZError, OSError):
    """A file could not be read or written."""


class OutputExistsError(DataSourceError, FileExistsError):
    """An output already exists and ``overwrite`` was not requested."""


class ImplausibleValueError(AEZError, ValueError):
    """A layer or table holds values that cannot be real (outside the plausible range)."""


class GeometryError(AEZError, ValueError):
    """A vector layer's geometries are null, empty, of the wrong type or misplaced."""


class RunLockedError(DataSourceError):
    """Another run is writing into the same output folder."""


class RunInterrupted(KeyboardInterrupt):
    """A run was stopped by a signal (SIGINT, SIGTERM, SIGHUP); its folder was cleaned."""


class InfeasibleError(AEZError, RuntimeError):
    """An optimisation problem has no feasible solution."""


class AEZWarning(UserWarning):
    """Root of every warning that aez issues."""


class CoverageWarning(AEZWarning):
    """A layer covers less of the study area than it should, but enough to go on."""


class NegativeValueError(ConfigError):
    """A quantity table (production, area, GRDP) holds a negative value."""


class PriceTableError(ConfigError):
    """A ``[tables] prices`` table is malformed (unit, value, commodity or a repeated year)."""


class TotalRowWarning(AEZWarning):
    """A row of a district table looks like the sum of the others (a total row left in)."""


class UnmatchedCodeWarning(AEZWarning):
    """Some rows found no partner when joining through a code crosswalk."""
