"""Excel workbooks written byte-for-byte reproducibly.

openpyxl stamps the time of saving into a workbook's properties and zip
entries; :func:`save_reproducible` fixes both, so the same tables give the
same bytes. :func:`write_workbook` writes data frames as sheets with a bold
header row and frozen panes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from aez.io.atomic import atomic_output

__all__ = ["FIXED_DATE", "save_reproducible", "write_workbook"]

#: The document date written into every workbook.
FIXED_DATE = datetime(2024, 1, 1, 0, 0, 0)
#: Excel's limit on sheet-name length.
_SHEET_NAME_MAX = 31


def save_reproducible(wb: Workbook, path: Path) -> None:
    """Save ``wb`` to ``path`` with fixed dates in its properties and zip entries."""
    wb.properties.creator = "aez"
    wb.properties.created = FIXED_DATE
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(
            path, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(<)", rf"\g<1>{stamp}\2", text)
                text = re.sub(r"(<dcterms:created[^>]*>)[^<]*(<)", rf"\g<1>{stamp}\2", text)
                content = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, content)


def write_workbook(sheets: Mapping[str, pd.DataFrame], path: str | Path, *,
                   overwrite: bool = False) -> Path:
    """Write data frames as the sheets of one workbook (index written as columns), atomically.

    Sheet names longer than Excel's 31 characters are cut.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> path = write_workbook({"a": pd.DataFrame({"x": [1, 2]})}, folder / "t.xlsx")
    >>> pd.read_excel(path, sheet_name="a")["x"].tolist()
    [1, 2]
    """
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for name, frame in sheets.items():
        ws = wb.create_sheet(name[:_SHEET_NAME_MAX])
        table = frame.reset_index() if _has_named_index(frame) else frame
        ws.append([str(c) for c in table.columns])
        for cell in ws[1]:
            cell.font = bold
        for row in table.itertuples(index=False):
            ws.append([_cell(v) for v in row])
        ws.freeze_panes = "B2"
    with atomic_output(path, overwrite=overwrite) as tmp:
        save_reproducible(wb, tmp)
    return path


def _has_named_index(frame: pd.DataFrame) -> bool:
    return any(name is not None for name in frame.index.names)


def _cell(value: object) -> object:
    """Convert to a value openpyxl can store: NaN, NA → empty, tuples/lists → '; '-joined text.

    >>> [_cell(v) for v in (pd.NA, pd.NaT, float("nan"), ("a", "b"), 2)]
    [None, None, None, 'a; b', 2]
    """
    if isinstance(value, tuple | list):
        return "; ".join(map(str, value))
    if value is pd.NA or value is pd.NaT:  # a kecamatan without a product, nullable columns
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value
