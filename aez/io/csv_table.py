"""Writing tables as CSV a person can read: sensible precision, no Python notation.

Every CSV aez writes goes through :func:`write_csv`. Numbers are rounded by
what they measure: hectares (a column named ``ha`` or ending in ``_ha``, not a
rate such as ``yield_t_ha``) to 2 decimals; indices, shares, scores,
probabilities and rates (columns named as :data:`INDEX_COLUMN` says) to 4;
other quantities (tonnes, t/ha, rupiah, minutes, counts) to 6 significant
digits. They are written without trailing zeros (``635``, ``0.5426``) and
never in exponent notation. A cell holding several values (a tuple or list of
products) is written as the values joined by ``"; "``; a missing value (None,
NaN, NA) is an empty cell.

>>> import pandas as pd
>>> table = pd.DataFrame({"suitable_ha": [635.004, 1.5], "share": [0.54261943, None],
...                       "assets": [2.5675e9, 0.00123456789], "products": [("kakao", "kopi"), ()]})
>>> print(tidy_table(table).to_csv(index=False), end="")
suitable_ha,share,assets,products
635,0.5426,2567500000,kakao; kopi
1.5,,0.00123457,
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from aez.io.atomic import atomic_output

__all__ = ["HA_COLUMN", "HA_DECIMALS", "INDEX_COLUMN", "INDEX_DECIMALS", "PER_HA_COLUMN",
           "SIGNIFICANT", "decimals_of", "round_table", "tidy_table", "write_csv"]

#: Decimals of an area in hectares.
HA_DECIMALS = 2
#: Decimals of an index, share, score, probability or rate.
INDEX_DECIMALS = 4
#: Significant digits of other quantities (tonnes, t/ha, rupiah, minutes).
SIGNIFICANT = 6
#: Names of columns in hectares, and of rates per hectare (which are not).
HA_COLUMN = re.compile(r"(^|_)ha$", re.IGNORECASE)
PER_HA_COLUMN = re.compile(r"(^|_)(t|kg|rp|per)_ha$", re.IGNORECASE)
#: Names of index-like columns: scores, shares, probabilities, indices (SI, LQ), growth rates.
INDEX_COLUMN = re.compile(r"(^|_)(score|total|probability|share|index|si|lq|growth|weight)$"
                          r"|^(component|limited)_", re.IGNORECASE)


def decimals_of(column: object) -> int | None:
    """Decimals a real-valued column is written with; None: :data:`SIGNIFICANT` digits.

    >>> decimals_of("S1_ha"), decimals_of("probability"), decimals_of("yield_t_ha") is None
    (2, 4, True)
    >>> decimals_of("mean_index"), decimals_of("production") is None
    (4, True)
    """
    name = str(column)
    if HA_COLUMN.search(name) and not PER_HA_COLUMN.search(name):
        return HA_DECIMALS
    return INDEX_DECIMALS if INDEX_COLUMN.search(name) else None


def _number(value: float, decimals: int | None) -> str:
    if not math.isfinite(value):
        return ""
    if decimals is None:
        text = format(Decimal(f"{value:.{SIGNIFICANT}g}"), "f")
    else:
        text = f"{round(value, decimals) + 0.0:.{decimals}f}"  # + 0.0: no "-0"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def _cell(value: object) -> object:
    if isinstance(value, tuple | list | set | frozenset | np.ndarray):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        return "; ".join(str(_cell(v)) for v in items)
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float | np.floating):
        return _number(float(value), None)
    return value


def round_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with its hectares and indices rounded as :func:`decimals_of` says.

    For tables kept as numbers (a workbook's sheets; other quantities keep their
    precision); :func:`tidy_table` also writes them as text.

    >>> round_table(pd.DataFrame({"S1_ha": [1.23456], "SI": [0.123456]})).iloc[0].tolist()
    [1.23, 0.1235]
    """
    out = frame.copy()
    for column in out.columns:
        decimals = decimals_of(column)
        if decimals is not None and pd.api.types.is_float_dtype(out[column].dtype):
            out[column] = out[column].round(decimals)
    return out


def tidy_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` as the text a CSV shows: numbers rounded, lists joined, blanks empty."""
    out: dict[object, list[object]] = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_float_dtype(values.dtype):
            decimals = decimals_of(column)
            out[column] = [_number(float(v), decimals) for v in values.to_numpy(dtype=float)]
        elif values.dtype == object:
            out[column] = [_cell(v) for v in values]
        else:
            out[column] = values.to_list()
    return pd.DataFrame(out, index=frame.index, columns=frame.columns)


def write_csv(frame: pd.DataFrame, path: str | Path, *, overwrite: bool = False,
              inputs: Iterable[str | Path] = ()) -> Path:
    """Write ``frame`` as UTF-8 CSV (a named index as its first columns), atomically.

    Parameters
    ----------
    frame : DataFrame
        The table; an index with a name is written as columns.
    path : path
        The CSV file.
    overwrite : bool, default False
        Replace an existing file.
    inputs : iterable of path, optional
        Files the table was made from, never to be replaced.

    Returns
    -------
    Path
    """
    if any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    path = Path(path)
    with atomic_output(path, overwrite=overwrite, inputs=list(inputs)) as tmp:
        tidy_table(frame).to_csv(tmp, index=False, lineterminator="\n")
    return path
