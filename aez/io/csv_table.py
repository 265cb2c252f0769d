"""Writing tables as CSV a person can read: sensible precision, no Python notation.

Every CSV aez writes goes through :func:`write_csv`. Numbers are rounded by
what they measure: hectares (a column named ``ha`` or ending in ``_ha``) to 2
decimals, every other real number (indices, shares, scores, probabilities,
rates) to 4, and written without trailing zeros (``635``, ``0.5426``), never
in exponent notation. A cell holding several values (a tuple or list of
products) is written as the values joined by ``"; "``; a missing value (None,
NaN, NA) is an empty cell.

>>> import pandas as pd
>>> table = pd.DataFrame({"suitable_ha": [635.004, 2.5675e9], "share": [0.54261943, None],
...                       "products": [("kakao", "kopi"), ()]})
>>> print(tidy_table(table).to_csv(index=False), end="")
suitable_ha,share,products
635,0.5426,kakao; kopi
2567500000,,
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from aez.io.atomic import atomic_output

__all__ = ["HA_DECIMALS", "INDEX_DECIMALS", "decimals_of", "round_table", "tidy_table",
           "write_csv"]

#: Decimals of an area in hectares.
HA_DECIMALS = 2
#: Decimals of every other real number (indices 0–1, shares, scores, rates).
INDEX_DECIMALS = 4


def decimals_of(column: object) -> int:
    """Decimals a real-valued column is written with: hectares 2, everything else 4.

    >>> decimals_of("S1_ha"), decimals_of("probability")
    (2, 4)
    """
    name = str(column).lower()
    return HA_DECIMALS if name == "ha" or name.endswith("_ha") else INDEX_DECIMALS


def _number(value: float, decimals: int) -> str:
    if not math.isfinite(value):
        return ""
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
        return _number(float(value), INDEX_DECIMALS)
    return value


def round_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with its real-valued columns rounded as :func:`decimals_of` says.

    For tables kept as numbers (a workbook's sheets); :func:`tidy_table` also
    writes them as text.

    >>> round_table(pd.DataFrame({"S1_ha": [1.23456], "SI": [0.123456]})).iloc[0].tolist()
    [1.23, 0.1235]
    """
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column].dtype):
            out[column] = out[column].round(decimals_of(column))
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
