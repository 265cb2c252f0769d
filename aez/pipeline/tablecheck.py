"""The ``[tables]`` contents: numbers as BPS writes them, whole years, commodity names matched.

:func:`read_decision_tables <aez.pipeline.decide.read_decision_tables>` reads
the tables with these rules, so ``aez validate`` and ``aez run`` read them the
same way:

* value columns hold numbers as BPS writes them (:func:`aez.io.bps.parse_bps_number`);
* years are whole numbers (footnote marks such as ``2023*)`` dropped);
* quantities are not negative;
* commodity names match crop ids, Indonesian or English crop names, ignoring
  case, spaces, ``_`` and ``-`` (``Pisang``, ``padi sawah``, ``Kelapa-Sawit``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from aez.errors import ConfigError, DataSourceError, NegativeValueError

__all__ = ["check_quantities", "commodity_key", "commodity_lookup", "match_commodities",
           "whole_years"]

log = logging.getLogger(__name__)


def commodity_key(name: object) -> str:
    """Return the matching key of a commodity name: lower case, no spaces, ``_`` or ``-``.

    >>> commodity_key(" Kelapa Sawit"), commodity_key("kelapa_sawit")
    ('kelapasawit', 'kelapasawit')
    """
    return re.sub(r"[\s_\-]+", "", str(name)).casefold()


def commodity_lookup(crop_ids: Iterable[str]) -> dict[str, str]:
    """Map the key of every crop id and name (Indonesian, English) to the crop id.

    Names come from the crop tables that can be loaded by id; an id whose table
    cannot be found (a user table) matches by its id only.
    """
    from aez.crops import load_crop

    lookup: dict[str, str] = {}
    for crop_id in crop_ids:
        names = [crop_id]
        try:
            crop = load_crop(crop_id)
            names += [crop.name_id, crop.name_en]
        except ConfigError:
            pass
        for name in names:
            lookup.setdefault(commodity_key(name), crop_id)
    return lookup


def match_commodities(frame: pd.DataFrame, lookup: dict[str, str], *, what: str,
                      column: str = "commodity") -> pd.DataFrame:
    """Rewrite ``column`` to crop ids where a name matches; leave other names as written."""
    if column not in frame.columns:
        raise DataSourceError(f"[tables] {what} has no column {column!r}; it has "
                              f"{list(frame.columns)}. Name the commodity column {column!r}.")
    names = frame[column].astype(str).str.strip()
    matched = names.map(lambda n: lookup.get(commodity_key(n), n))
    other = sorted(set(matched) - set(lookup.values()))
    if other:
        log.info("[tables] %s: commodities without a crop table in this run: %s", what,
                 ", ".join(other[:10]))
    return frame.assign(**{column: matched})


def whole_years(frame: pd.DataFrame, path: Path | None, *, column: str = "year") -> pd.DataFrame:
    """Check that ``column`` holds whole years; return the frame with them as integers."""
    if column not in frame.columns:
        raise DataSourceError(f"Table {path} has no column {column!r}; it has "
                              f"{list(frame.columns)}.")
    years = frame[column]
    bad = years.isna() | (years != years.round()) | (years < 1900) | (years > 2200)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        value = frame[column].iloc[i]
        seen = "a missing value" if pd.isna(value) else f"{float(value):g}"
        raise DataSourceError(f"Table {path}, row {i + 2}, column {column!r}: {seen} is not a "
                              "year. Give each row a year such as 2023.")
    return frame.assign(**{column: years.astype("int64")})


def check_quantities(frame: pd.DataFrame, path: Path | None, columns: Iterable[str]) -> None:
    """Refuse negative quantities (production, households, sentra), naming the first one."""
    for column in columns:
        values = frame[column]
        negative = values < 0
        if negative.any():
            i = int(negative.to_numpy().argmax())
            raise NegativeValueError(f"Table {path}, row {i + 2}, column {column!r}: "
                                     f"{values.iloc[i]:g} is negative; a quantity cannot be. Fix "
                                     "the row (BPS writes '-' for zero).")
