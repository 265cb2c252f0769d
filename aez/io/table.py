"""Reading attribute tables (CSV, XLSX) that are joined to districts by code."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from aez.errors import DataSourceError

__all__ = ["TABLE_SUFFIXES", "read_table"]

TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".txt", ".xlsx", ".xls")


def read_table(
    path: str | Path, *, sheet: str | int | None = None, text_columns: list[str] | None = None
) -> pd.DataFrame:
    """Read a CSV or Excel table.

    Parameters
    ----------
    path : str or Path
        ``.csv`` (comma- or semicolon-separated, UTF-8) or ``.xlsx``.
    sheet : str or int, optional
        Excel sheet (default: the first).
    text_columns : list of str, optional
        Columns kept as text, so codes such as ``"0101"`` keep leading zeros.

    Raises
    ------
    DataSourceError
        If the file is missing, unreadable, or lacks a ``text_columns`` entry.
    """
    path = Path(path)
    if not path.exists():
        raise DataSourceError(f"Table {path} does not exist. Check the path.")
    dtype = dict.fromkeys(text_columns or [], str)
    try:
        if path.suffix.lower() in (".xlsx", ".xls"):
            frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=dtype)
        else:
            frame = pd.read_csv(path, sep=None, engine="python", dtype=dtype)
    except (OSError, ValueError, pd.errors.ParserError, zipfile.BadZipFile) as exc:
        raise DataSourceError(f"Cannot read table {path}: {exc}") from exc
    missing = [c for c in text_columns or [] if c not in frame.columns]
    if missing:
        raise DataSourceError(
            f"Table {path} has no column {missing[0]!r}; it has {list(frame.columns)}."
        )
    return frame
