"""Errors and warnings of the comparative-advantage stage.

They extend the package hierarchy in :mod:`aez.errors`, so ``except AEZError``
(or ``except ValueError``) still catches them.

>>> from aez.errors import AEZError, ConfigError
>>> issubclass(NegativeValueError, ConfigError) and issubclass(NegativeValueError, AEZError)
True
"""

from __future__ import annotations

from aez.errors import AEZWarning, ConfigError

__all__ = ["NegativeValueError", "TotalRowWarning", "UnmatchedCodeWarning"]


class NegativeValueError(ConfigError):
    """A quantity table (production, area, GRDP) holds a negative value."""


class TotalRowWarning(AEZWarning):
    """A row of a district table looks like the sum of the others (a total row left in)."""


class UnmatchedCodeWarning(AEZWarning):
    """Some rows found no partner when joining through a code crosswalk."""
