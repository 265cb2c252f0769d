"""Reading attribute tables (CSV, XLSX) that are joined to districts by code."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pandas as pd

from aez.errors import DataSourceError

__all__ = ["TABLE_SUFFIXES", "read_table"]

TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".txt", ".xlsx", ".xls")


def read_table(
    path: str | Path, *, sheet: str | int | None = None, text_columns: list[str] | None = None,
    numeric_columns: list[str] | None = None, decimal: str | None = None,
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
    numeric_columns : list of str, optional
        Columns that must hold numbers. Text in them is read as BPS writes it
        (:func:`aez.io.bps.parse_bps_number`: thousands dots, decimal commas,
        ``-`` = 0, ``...``/``n.a.`` = missing, footnote marks such as ``2023*)``).
    decimal : {",", "."}, optional
        Decimal mark of that text; by default, per column: ``","`` (Indonesian)
        unless the column holds a dot that cannot group thousands (``748.1``,
        ``0.25``) and no comma.

    Raises
    ------
    DataSourceError
        If the file is missing, unreadable or empty, or lacks a ``text_columns`` or
        ``numeric_columns`` entry, or a number cannot be read (file, row, column
        and value named).
    """
    path = Path(path)
    if not path.exists():
        raise DataSourceError(f"Table {path} does not exist. Check the path.")
    dtype = dict.fromkeys(text_columns or [], str)
    if path.is_file() and path.stat().st_size == 0:
        raise DataSourceError(f"Table {path} is empty: it has no header and no rows. Check "
                              "that the export finished, or point the setting to another "
                              "file.")
    try:
        if path.suffix.lower() in (".xlsx", ".xls"):
            frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=dtype)
        else:
            frame = pd.read_csv(path, sep=None, engine="python", dtype=dtype,
                                keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:
        raise DataSourceError(f"Table {path} is empty: it has no header and no rows. Check "
                              "that the export finished, or point the setting to another "
                              "file.") from None
    except (OSError, ValueError, csv.Error, pd.errors.ParserError, zipfile.BadZipFile) as exc:
        raise DataSourceError(f"Cannot read table {path}: {_one_line(exc)}. Save it as UTF-8 "
                              "CSV (separated by ',' or ';') or as .xlsx.") from exc
    if frame.empty and numeric_columns:  # numbers are wanted: a header alone will not do
        raise DataSourceError(f"Table {path} has a header but no rows. Check that the export "
                              "finished, or point the setting to another file.")
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in [*(text_columns or []), *(numeric_columns or [])]
               if c not in frame.columns]
    if missing:
        raise DataSourceError(
            f"Table {path} has no column {missing[0]!r}; it has {list(frame.columns)}."
        )
    for column in text_columns or []:
        frame[column] = frame[column].str.strip()
    for column in numeric_columns or []:
        frame[column] = _numbers(frame[column], path, column, decimal)
    return frame


def _numbers(column: pd.Series, path: Path, name: str, decimal: str | None) -> pd.Series:
    """Parse a column of BPS number text; name the file, row, column and value on failure."""
    from aez.io.bps import BPSFormatError, parse_bps_number

    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return column.astype("float64")
    if decimal is None:
        text = column.dropna().astype(str)
        english = text.str.contains(r"(?:^|[^\d])0\.\d|\.(?:\d{1,2}|\d{4,})(?!\d)", regex=True)
        decimal = "." if english.any() and not text.str.contains(",").any() else ","
    values = []
    for i, value in enumerate(column.tolist()):
        try:
            values.append(parse_bps_number(value, decimal=decimal))
        except BPSFormatError as exc:
            raise BPSFormatError(f"Table {path}, row {i + 2}, column {name!r}: {exc}") from None
    return pd.Series(values, index=column.index, name=name, dtype="float64")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
