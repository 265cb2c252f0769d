"""Join tables keyed by BPS codes to Kemendagri codes (or back) through a crosswalk.

BPS and Kemendagri number districts differently: Kab. Sikka is BPS ``5310``
but Kemendagri ``53.07``, and Kemendagri ``53.10`` is another kabupaten. A
table keyed by one system is joined to the other only through a crosswalk
(BPS's bridging table, or the demo's ``kecamatan_crosswalk.csv``).

Codes are compared by their digits only, so ``53.07.01``, ``530701`` and the
integer 530701 match; the partner code is returned as the crosswalk writes it.

>>> import pandas as pd
>>> table = pd.DataFrame({"kode_bps": [5310010, 5310011, 5310999], "ton": [1.0, 2.0, 3.0]})
>>> walk = pd.DataFrame({"kode_bps": ["5310010", "5310011"],
...                      "kode_dagri": ["53.07.01", "53.07.02"]})
>>> import warnings
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     result = join_crosswalk(table, walk, on="kode_bps", source="kode_bps",
...                             target="kode_dagri")
>>> result.joined["kode_dagri"].tolist(), result.unmatched["kode_bps"].tolist()
(['53.07.01', '53.07.02', None], [5310999])
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass

import pandas as pd

from aez.errors import ConfigError, UnmatchedCodeWarning

__all__ = ["CrosswalkJoin", "join_crosswalk", "normalise_code"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CrosswalkJoin:
    """The result of :func:`join_crosswalk`.

    Attributes
    ----------
    joined : DataFrame
        Every row of the input table, in order, with the partner code added
        (None where there is no match).
    unmatched : DataFrame
        The input rows whose code (or lack of one) found no partner.
    absent : DataFrame
        Crosswalk rows that no table row used (e.g. kecamatan missing from
        the table).
    """

    joined: pd.DataFrame
    unmatched: pd.DataFrame
    absent: pd.DataFrame


def normalise_code(code: object) -> str | None:
    """Return the digits of an administrative code, or None if it has none.

    >>> normalise_code("53.07.01"), normalise_code(5310010), normalise_code(" 6404 ")
    ('530701', '5310010', '6404')
    >>> normalise_code(float("nan")) is None, normalise_code("TOTAL") is None
    (True, True)
    """
    if code is None or (isinstance(code, float) and code != code):
        return None
    if isinstance(code, float) and code.is_integer():
        code = int(code)
    digits = re.sub(r"\D", "", str(code))
    return digits or None


def join_crosswalk(table: pd.DataFrame, crosswalk: pd.DataFrame, *, on: str, source: str,
                   target: str) -> CrosswalkJoin:
    """Add the partner code of every row of ``table`` through ``crosswalk``.

    Parameters
    ----------
    table : DataFrame
        Rows keyed by codes of one system in column ``on``.
    crosswalk : DataFrame
        Pairs of codes: column ``source`` in the table's system, column
        ``target`` in the other one.
    on : str
        The code column of ``table``.
    source, target : str
        The crosswalk's columns. ``target`` is added to the table, so the
        table must not already have it.

    Returns
    -------
    CrosswalkJoin
        ``joined`` (all rows, partner code or None), ``unmatched`` (rows with
        no partner) and ``absent`` (crosswalk rows no table row used).
        Unmatched rows are also reported with an
        :class:`~aez.errors.UnmatchedCodeWarning` (the CLI logs
        warnings); a summary of the join is logged at INFO level.

    Raises
    ------
    ConfigError
        A column is missing, ``target`` already exists in the table, or the
        crosswalk maps one code to two different partners.
    """
    for frame, what, columns in ((table, "table", [on]),
                                 (crosswalk, "crosswalk", [source, target])):
        for column in columns:
            if column not in frame.columns:
                raise ConfigError(f"The {what} has no column {column!r}; it has "
                                  f"{list(frame.columns)}.")
    if target in table.columns:
        raise ConfigError(f"The table already has a column {target!r}; rename it before "
                          "joining, or choose another target column.")
    keys = crosswalk[source].map(normalise_code)
    pairs = pd.DataFrame({"key": keys, "partner": crosswalk[target]}).dropna(subset=["key"])
    conflicting = pairs.drop_duplicates().loc[lambda d: d["key"].duplicated(keep=False)]
    if len(conflicting):
        key = conflicting["key"].iloc[0]
        partners = conflicting.loc[conflicting["key"] == key, "partner"].tolist()
        raise ConfigError(
            f"The crosswalk maps {source} {key} to more than one {target}: {partners}. A join "
            "would duplicate rows (and double-count their values). Resolve the split or "
            "merge in the crosswalk first.")
    lookup = dict(zip(pairs["key"], pairs["partner"], strict=True))
    table_keys = table[on].map(normalise_code)
    partner = [lookup.get(k) if k is not None else None for k in table_keys]
    joined = table.copy()
    joined[target] = pd.Series(partner, index=table.index, dtype=object)
    matched = joined[target].notna()
    unmatched = table.loc[~matched.to_numpy()].copy()
    used = set(table_keys.dropna())
    absent = crosswalk.loc[~keys.isin(used).to_numpy()].copy()
    if len(unmatched):
        shown = ", ".join(repr(v) for v in unmatched[on].drop_duplicates().head(5).tolist())
        message = (f"{len(unmatched)} of {len(table)} rows found no {target} for their {on} "
                   f"(e.g. {shown}); their {target} is None. Check the codes, or extend the "
                   "crosswalk (a total row has no code of its own).")
        warnings.warn(message, UnmatchedCodeWarning, stacklevel=2)
    logger.info("Crosswalk %s → %s: %d of %d rows matched; %d crosswalk rows unused.",
                source, target, int(matched.sum()), len(table), len(absent))
    return CrosswalkJoin(joined=joined, unmatched=unmatched, absent=absent)
