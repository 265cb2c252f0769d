"""Reading BPS tables as planners receive them: SIMDASI/Dalam Angka xlsx and CSV, PDRB.

- :func:`parse_bps_number`: Indonesian notation (``7.025`` = 7025, ``1.234,5`` =
  1234.5, ``-`` = 0, ``...`` = not available), footnote markers dropped;
- :func:`read_bps_table`: one sheet (or CSV) in BPS's printed layout: title,
  header (possibly over merged rows), column numbers ``(1) (2) …``, one row per
  district, a total row (returned apart), notes;
- :func:`read_pdrb`: the long GRDP table, with a flag per region-year whose
  sectors do not add up to the stated total (:func:`aez.economics.check_sector_totals`).

The rules are spelled out in ``docs/economics.md``.

>>> parse_bps_number("7.025"), parse_bps_number("1.234,5"), parse_bps_number("-")
(7025.0, 1234.5, 0.0)
"""

from __future__ import annotations

import csv
import logging
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from aez.errors import DataSourceError
from aez.tabular.panels import find_total_row, tables_by_year
from aez.tabular.totals import check_sector_totals

__all__ = ["BPSFormatError", "BPSTable", "PDRBTable", "parse_bps_number", "read_bps_table",
           "read_pdrb"]

logger = logging.getLogger(__name__)


class BPSFormatError(DataSourceError, ValueError):
    """A BPS table's text or layout cannot be understood."""


_ZERO = frozenset({"-", "–", "—", "−"})
_MISSING = frozenset({"", "...", "…", "..", "x", "na", "n/a", "n.a.", "n.a"})
#: Footnote markers after a number: *, *), †, ‡, #, superscripts, e) (e) r) …
_FOOTNOTE = re.compile(
    r"(?:\s*(?:\*+\)?|[†‡#]|[\u00b9\u00b2\u00b3\u2070-\u209f\u1d2c-\u1d6a]+|\(?[A-Za-z]{1,2}\)))+$")
_SIGN = re.compile(r"^([-−–+])\s*(?=\d)")
_GROUPED = {
    ",": re.compile(r"^\d{1,3}(?:(?P<sep>[. ])\d{3})(?:(?P=sep)\d{3})*(?:,\d+)?$"),
    ".": re.compile(r"^\d{1,3}(?:(?P<sep>[, ])\d{3})(?:(?P=sep)\d{3})*(?:\.\d+)?$"),
}
_PLAIN = {",": re.compile(r"^\d+(?:,\d+)?$"), ".": re.compile(r"^\d+(?:\.\d+)?$")}


def parse_bps_number(value: object, *, decimal: str = ",") -> float:
    """Read one BPS table cell as a number.

    Parameters
    ----------
    value : str, int, float or None
        The cell. Numbers (e.g. an Excel numeric cell) are returned as float.
    decimal : {",", "."}
        The decimal mark: ``","`` for Indonesian notation (thousands ``.``),
        ``"."`` for English notation (thousands ``,``). A space may group
        thousands in either.

    Returns
    -------
    float
        The value; 0.0 for ``-``; NaN for ``...``, ``…``, ``x``, ``NA`` or an
        empty cell.

    Raises
    ------
    BPSFormatError
        Text that is not a number in the given notation, e.g. ``12.5`` with
        ``decimal=","`` (a dot must group three digits).

    Examples
    --------
    >>> [parse_bps_number(v) for v in ["12 345*", "345¹", "1.234 e)", "0,7", "...", 42]]
    [12345.0, 345.0, 1234.0, 0.7, nan, 42.0]
    >>> parse_bps_number("1,234.5", decimal=".")
    1234.5
    """
    if decimal not in _GROUPED:
        raise BPSFormatError(f"decimal must be ',' or '.'; got {decimal!r}.")
    if value is None:
        return math.nan
    if isinstance(value, bool):
        raise BPSFormatError(f"Cannot read the boolean {value!r} as a number.")
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    text = re.sub(r"[\s\u00a0\u2007\u2009\u202f]+", " ", str(value)).strip()
    text = _FOOTNOTE.sub("", text).strip()
    if text in _ZERO:
        return 0.0
    if text.casefold() in _MISSING:
        return math.nan
    sign = 1.0
    match = _SIGN.match(text)
    if match:
        sign = 1.0 if match.group(1) == "+" else -1.0
        text = text[match.end():]
    if _GROUPED[decimal].match(text) or _PLAIN[decimal].match(text):
        group = "." if decimal == "," else ","
        digits = text.replace(" ", "").replace(group, "").replace(decimal, ".")
        return sign * float(digits)
    notation = ("Indonesian notation (thousands '.', decimal ',')" if decimal == ","
                else "English notation (thousands ',', decimal '.')")
    other = "'.'" if decimal == "," else "','"
    raise BPSFormatError(
        f"Cannot read {value!r} as a number in {notation}; '-' is 0 and '...' not available. "
        f"If the table uses the other notation, pass decimal={other}.")


@dataclass(frozen=True)
class BPSTable:
    """A BPS table read by :func:`read_bps_table`.

    Attributes
    ----------
    data : DataFrame
        Districts (index ``district``, as printed without a code prefix) ×
        quantity columns (float; NaN = not available). The total row is not
        included.
    total : Series or None
        BPS's own total row, by column (None if the table has none).
    total_label : str or None
        The label of the total row as printed.
    codes : Series
        The code printed before each district name (e.g. ``"010"``), or None.
    units : dict
        Column → unit from its header (or from the title), None if not given.
    title : str
        The title lines above the header.
    year : int or None
        The last year named in the title.
    notes : tuple of str
        Note rows under the table (``Sumber``, ``Catatan``, …).
    source : str
        File (and sheet) the table came from.
    """

    data: pd.DataFrame
    total: pd.Series | None
    total_label: str | None
    codes: pd.Series
    units: dict[str, str | None]
    title: str
    year: int | None
    notes: tuple[str, ...]
    source: str


_TOTAL = re.compile(r"^(jumlah|total)\b|\btotal\b|^(kabupaten|kab\.|provinsi|prov\.)\s",
                    re.IGNORECASE)
_NOTE = re.compile(r"^(sumber|source|catatan|note|notes|keterangan|ket\s*\.|perubahan "
                   r"terakhir|data diakses)\b", re.IGNORECASE)
_TITLE = re.compile(r"^(tabel|table)\b", re.IGNORECASE)
_NUMBERING = re.compile(r"^\(\d+\)$")
_DISTRICT_HEADER = re.compile(r"^(kecamatan|subdistrict|kabupaten|kota|regency|wilayah|region|"
                              r"provinsi|province|desa|village|kelurahan)", re.IGNORECASE)
_REGION = (re.compile(r"\b(?:di|menurut)\s+(?:Kabupaten|Kab\.|Kota|Provinsi)\s+"
                      r"([^,()]+?)\s*(?:\(|,|$)"),
           re.compile(r"\bin\s+([^,()]+?)\s+(?:Regency|Municipality|City|Province)\b"))
_UNIT_WORDS = (r"ton|tons|kw|ku|kuintal|qui|kg|ha|m2|m²|pohon|trees?|tangkai|stalks|rumpun|"
               r"clumps|rp|miliar|juta|ekor|heads?|batang|unit|liter|%")
_UNIT = re.compile(rf"^(.*?)\s*\(([^()]*\b(?:{_UNIT_WORDS})\b[^()]*|%)\)\s*$", re.IGNORECASE)
_CODE = re.compile(r"^(\d{2,7})[.)]?\s+(\S.*)$")


def read_bps_table(path: str | Path, *, sheet: str | int | None = None, decimal: str = ",",
                   header_row: int | None = None, total_label: str | None = None,
                   delimiter: str | None = None, encoding: str = "utf-8-sig") -> BPSTable:
    """Read a BPS table from an xlsx sheet or a CSV file.

    Parameters
    ----------
    path : str or Path
        ``.xlsx`` (BPS web export, SIMDASI, *Dalam Angka*) or ``.csv``.
    sheet : str or int, optional
        Sheet name or 0-based index (xlsx only; default the first sheet).
    decimal : {",", "."}
        Number notation (see :func:`parse_bps_number`).
    header_row : int, optional
        Spreadsheet row number (1-based) of the column header, when it cannot
        be found (default: the rows above the ``(1) (2) …`` numbering row, or a
        row starting ``Kecamatan``/``Kabupaten``/… ).
    total_label : str, optional
        Label of the total row, when it is not recognised automatically.
    delimiter : str, optional
        CSV field separator (default: whichever of ``;``, tab and ``,`` splits
        most lines into the same number of fields).
    encoding : str
        CSV text encoding.

    Returns
    -------
    BPSTable

    Raises
    ------
    DataSourceError
        The file is missing or unreadable.
    BPSFormatError
        The layout or a cell cannot be understood; the message names the cell.
    """
    path = Path(path)
    if not path.exists():
        raise DataSourceError(f"Table {path} does not exist. Check the path.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows, source = _xlsx_rows(path, sheet)
    elif path.suffix.lower() in (".csv", ".txt"):
        rows, source = _csv_rows(path, delimiter, encoding), str(path)
    else:
        raise DataSourceError(f"Cannot read {path}: expected a .xlsx or .csv BPS table.")
    return _parse_grid(rows, source=source, decimal=decimal, header_row=header_row,
                       total_label=total_label)


def _xlsx_rows(path: Path, sheet: str | int | None) -> tuple[list[list[object]], str]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, data_only=True, read_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DataSourceError(f"Cannot read workbook {path}: {exc}") from exc
    try:
        names = workbook.sheetnames
        if sheet is None:
            sheet = 0
        if isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise DataSourceError(f"Workbook {path} has {len(names)} sheet(s) {names}; "
                                      f"there is no sheet {sheet}.")
            sheet = names[sheet]
        if sheet not in names:
            raise DataSourceError(f"Workbook {path} has no sheet {sheet!r}; it has {names}.")
        rows = [list(row) for row in workbook[sheet].iter_rows(values_only=True)]
    finally:
        workbook.close()
    width = max((len(r) for r in rows), default=0)
    rows = [r + [None] * (width - len(r)) for r in rows]
    for min_col, min_row, max_col, max_row in _merged_ranges(path, str(sheet)):
        if min_row > len(rows) or min_col > width:
            continue
        top = rows[min_row - 1][min_col - 1]
        for r in range(min_row - 1, min(max_row, len(rows))):
            for c in range(min_col - 1, min(max_col, width)):
                rows[r][c] = top
    return rows, f"{path} [{sheet}]"


_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
_XML = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def _merged_ranges(path: Path, sheet: str) -> list[tuple[int, int, int, int]]:
    """Read the merged cell ranges (min_col, min_row, max_col, max_row) of one sheet.

    openpyxl's fast read-only mode does not report merges, so they are read
    from the sheet's XML part (``<mergeCell ref="A4:A6"/>``).
    """
    from xml.etree import ElementTree

    from openpyxl.utils.cell import range_boundaries

    try:
        with zipfile.ZipFile(path) as archive:
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rid = next(s.get(f"{{{_XML['r']}}}id") for s in book.iter(f"{{{_XML['m']}}}sheet")
                       if s.get("name") == sheet)
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            target = next(r.get("Target", "") for r in rels.iter(f"{{{_XML['p']}}}Relationship")
                          if r.get("Id") == rid)
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            xml = archive.read(part)
    except (KeyError, StopIteration, zipfile.BadZipFile, ElementTree.ParseError) as exc:
        raise DataSourceError(f"Cannot read the layout of sheet {sheet!r} in {path}: "
                              f"{exc!r}") from exc
    ranges = []
    for ref in _MERGE_CELL.findall(xml):
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii"))
        if None not in (min_col, min_row, max_col, max_row):
            ranges.append((int(min_col), int(min_row), int(max_col), int(max_row)))
    return ranges


def _csv_rows(path: Path, delimiter: str | None, encoding: str) -> list[list[object]]:
    try:
        text = path.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        raise BPSFormatError(f"{path} is not {encoding} text ({exc}). Pass the file's "
                             "encoding, e.g. encoding='cp1252'.") from exc
    except OSError as exc:
        raise DataSourceError(f"Cannot read {path}: {exc}") from exc
    lines = text.splitlines()
    if delimiter is None:
        delimiter = max((";", "\t", ","), key=lambda d: _delimiter_score(lines[:200], d))
    return [list(row) for row in csv.reader(lines, delimiter=delimiter)]


def _delimiter_score(lines: list[str], delimiter: str) -> int:
    """How many lines split into the most common number (> 1) of fields.

    Indonesian decimals use commas, so BPS CSV files are often separated by
    semicolons; the separator that splits most lines alike wins (ties: ``;``).
    """
    counts = [len(row) for row in csv.reader(lines, delimiter=delimiter) if len(row) > 1]
    return max((counts.count(n) for n in set(counts)), default=0)


def _clean(value: object) -> str:
    return "" if value is None else re.sub(r"\s+", " ", str(value)).strip()


def _parse_grid(rows: list[list[object]], *, source: str, decimal: str,
                header_row: int | None, total_label: str | None) -> BPSTable:
    width = max((len(r) for r in rows), default=0)
    cells = [[_clean(v) for v in r] + [""] * (width - len(r)) for r in rows]
    raw = [list(r) + [None] * (width - len(r)) for r in rows]
    header, data_start = _header_rows(cells, raw, header_row, decimal, source)
    title_lines = [" ".join(dict.fromkeys(c for c in cells[i] if c))
                   for i in range(header[0]) if any(cells[i])]
    title = "\n".join(title_lines)
    labels, units = _column_labels(cells, header, title, source)
    names: list[str] = []
    codes: list[str | None] = []
    values: list[list[float]] = []
    notes: list[str] = []
    for r in range(data_start, len(cells)):
        row = cells[r]
        if _NOTE.match(row[0]) or notes:
            if any(row):
                notes.append(" ".join(dict.fromkeys(c for c in row if c)))
            continue
        stray = [c for c in range(1, width) if row[c] and c not in labels]
        if stray:
            raise BPSFormatError(f"{source}: cell {_cell_name(r, stray[0])} holds "
                                 f"{row[stray[0]]!r} in a column without a header.")
        if not any(row[c] for c in labels):
            continue
        if not row[0]:
            raise BPSFormatError(f"{source}: row {r + 1} has values but no district name in "
                                 "its first column.")
        parsed = []
        for c in labels:
            try:
                parsed.append(parse_bps_number(raw[r][c] if row[c] else None, decimal=decimal))
            except BPSFormatError as exc:
                raise BPSFormatError(f"{source}, cell {_cell_name(r, c)}: {exc}") from None
        match = _CODE.match(row[0])
        codes.append(match.group(1) if match else None)
        names.append(match.group(2) if match else row[0])
        values.append(parsed)
    if not names:
        raise BPSFormatError(f"{source}: no data rows under the header (row {header[-1] + 1}).")
    frame = pd.DataFrame(values, index=pd.Index(names, name="district"),
                         columns=list(labels.values()), dtype=np.float64)
    total_at = _total_row(names, title, total_label, source)
    if total_at is None and total_label is None:
        found = find_total_row(frame)
        if found in (0, len(names) - 1):
            total_at = found
            logger.info("%s: row %r equals the sum of the others; taken as the total row.",
                        source, names[found])
    total = None if total_at is None else frame.iloc[total_at].rename(names[total_at])
    keep = [i for i in range(len(names)) if i != total_at]
    data = frame.iloc[keep]
    if data.index.duplicated().any():
        raise BPSFormatError(f"{source}: district {data.index[data.index.duplicated()][0]!r} "
                             "appears twice.")
    code_series = pd.Series([codes[i] for i in keep], index=data.index, name="code",
                            dtype=object)
    years = re.findall(r"\b(19\d{2}|20\d{2})\b", title)
    return BPSTable(data=data, total=total,
                    total_label=None if total_at is None else names[total_at],
                    codes=code_series, units=units, title=title,
                    year=int(years[-1]) if years else None, notes=tuple(notes), source=source)


def _header_rows(cells: list[list[str]], raw: list[list[object]], header_row: int | None,
                 decimal: str, source: str) -> tuple[list[int], int]:
    """Find the indices of the header rows, and of the first row after the header."""
    def numbering(i: int) -> bool:
        filled = [c for c in cells[i] if c]
        return len(filled) >= 2 and filled[0] == "(1)" and all(_NUMBERING.match(c)
                                                                   for c in filled)

    def text_only(i: int) -> bool:
        """Test for a header continuation: something after the first cell, none of it a number."""
        filled = [v for v, c in zip(raw[i][1:], cells[i][1:], strict=True) if c]
        for value in filled:
            try:
                parse_bps_number(value, decimal=decimal)
            except BPSFormatError:
                continue
            return False
        return bool(filled)

    def down_from(first: int) -> tuple[list[int], int]:
        rows, i = [first], first + 1
        while i < len(cells) and not numbering(i) and text_only(i):
            rows.append(i)
            i += 1
        return rows, i + 1 if i < len(cells) and numbering(i) else i

    if header_row is not None:
        if not 1 <= header_row <= len(cells):
            raise BPSFormatError(f"{source}: header_row {header_row} is outside the table "
                                 f"(rows 1–{len(cells)}).")
        return down_from(header_row - 1)
    for n in range(len(cells)):
        if numbering(n):
            top = n
            while top > 0 and any(cells[top - 1]) and not _TITLE.match(cells[top - 1][0]):
                top -= 1
            if top == n:
                raise BPSFormatError(f"{source}: no header above the column numbers in row "
                                     f"{n + 1}. Pass header_row=.")
            return list(range(top, n)), n + 1
    for i, row in enumerate(cells):
        if _DISTRICT_HEADER.match(row[0]) and sum(bool(c) for c in row) >= 2:
            return down_from(i)
    raise BPSFormatError(f"{source}: cannot find the column header (no '(1) (2) …' row and no "
                         "row starting with Kecamatan/Kabupaten/…). Pass header_row= (the "
                         "spreadsheet row number of the header).")


def _column_labels(cells: list[list[str]], header: list[int], title: str,
                   source: str) -> tuple[dict[int, str], dict[str, str | None]]:
    """Column index → label, and label → unit (from the header or the title)."""
    title_unit = None
    for line in title.splitlines()[:1]:
        found = re.search(rf"\(({_UNIT_WORDS})\)", line, re.IGNORECASE)
        title_unit = found.group(1) if found else None
    labels: dict[int, str] = {}
    units: dict[str, str | None] = {}
    for c in range(1, len(cells[0]) if cells else 0):
        text = " | ".join(dict.fromkeys(cells[h][c] for h in header if cells[h][c]))
        if not text:
            continue
        match = _UNIT.match(text)
        label, unit = (match.group(1).strip(), match.group(2).strip()) if match else (text, None)
        if label in units:
            raise BPSFormatError(f"{source}: two columns are labelled {label!r}.")
        labels[c] = label
        units[label] = unit or title_unit
    if not labels:
        raise BPSFormatError(f"{source}: the header has no column labels after the first.")
    return labels, units


def _total_row(names: list[str], title: str, total_label: str | None,
               source: str) -> int | None:
    if total_label is not None:
        wanted = _clean(total_label).casefold()
        hits = [i for i, name in enumerate(names) if name.casefold() == wanted]
        if not hits:
            raise BPSFormatError(f"{source}: no row is labelled {total_label!r}; the rows are "
                                 f"{names}.")
        return hits[-1]
    regions = {m.group(1).strip().casefold() for pattern in _REGION
               for m in pattern.finditer(title)}
    hits = [i for i, name in enumerate(names)
            if _TOTAL.search(name) or name.casefold() in regions
            or name.casefold() in {f"kota {r}" for r in regions}]
    if len(hits) > 1 and len({names[i].casefold() for i in hits}) == 1:
        # A kecamatan may share the kabupaten's name (Kec. Sleman in Kab. Sleman): the
        # total is the one printed last.
        return hits[-1]
    if len(hits) > 1:
        raise BPSFormatError(f"{source}: several rows look like totals: "
                             f"{[names[i] for i in hits]}. Pass total_label= to name the one.")
    return hits[0] if hits else None


def _cell_name(row: int, column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


@dataclass(frozen=True)
class PDRBTable:
    """GRDP by region, year and sector, with a consistency flag per region-year.

    Attributes
    ----------
    data : DataFrame
        The long table as read.
    sectors : DataFrame
        (region code, year) × sector values, without the total.
    total : Series
        The stated total by (region code, year).
    flags : DataFrame
        :func:`aez.economics.check_sector_totals` by (region code, year):
        ``status``, ``consistent``, ``difference``, ``suspect_sectors`` …
    names : Series
        Region code → name.
    """

    data: pd.DataFrame
    sectors: pd.DataFrame
    total: pd.Series
    flags: pd.DataFrame
    names: pd.Series

    @property
    def inconsistent(self) -> pd.DataFrame:
        """The flagged region-years (status other than ``"ok"``)."""
        return self.flags.loc[~self.flags["consistent"]]

    def year(self, year: int, *, regions: list[int] | None = None) -> pd.DataFrame:
        """Regions × sectors of one year (all regions, or the given codes in order)."""
        table = self.sectors.xs(year, level=1)
        return table if regions is None else table.loc[regions]

    def panel(self, *, regions: list[int] | None = None) -> dict[int, pd.DataFrame]:
        """``{year: regions × sectors}`` for :mod:`aez.economics`."""
        return {int(y): self.year(int(y), regions=regions)
                for y in self.sectors.index.get_level_values(1).unique().sort_values()}


def read_pdrb(path: str | Path, *, region: str = "kode_bps", year: str = "tahun",
              sector: str = "lapangan_usaha", value: str = "pdrb_adhk2010_miliar_rp",
              name: str = "nama_wilayah", total_label: str = "TOTAL",
              atol: float | None = None) -> PDRBTable:
    """Read a long PDRB table and flag region-years whose sectors miss the stated total.

    Parameters
    ----------
    path : str or Path
        CSV (optionally ``.gz``) with one row per region × year × sector, and a
        row per region × year whose sector is ``total_label``.
    region, year, sector, value, name : str
        Column names (defaults: the BPS 17-sector PDRB ADHK 2010 export).
    total_label : str
        The sector label of the stated total.
    atol : float, optional
        Tolerance of the check in the table's unit (default half a unit per
        sector; see :func:`aez.economics.check_sector_totals`).

    Returns
    -------
    PDRBTable

    Raises
    ------
    DataSourceError
        Unreadable file, missing columns, non-numeric values, duplicated rows,
        or no total rows.
    """
    path = Path(path)
    if not path.exists():
        raise DataSourceError(f"PDRB table {path} does not exist. Check the path.")
    try:
        data = pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise DataSourceError(f"Cannot read PDRB table {path}: {exc}") from exc
    missing = [c for c in (region, year, sector, value, name) if c not in data.columns]
    if missing:
        raise DataSourceError(f"PDRB table {path} has no column {missing[0]!r}; it has "
                              f"{list(data.columns)}. Name the columns with region=, year=, "
                              "sector=, value=, name=.")
    if not pd.api.types.is_numeric_dtype(data[value]):
        raise DataSourceError(f"PDRB table {path}: column {value!r} is not numeric.")
    is_total = data[sector] == total_label
    if not is_total.any():
        raise DataSourceError(f"PDRB table {path} has no {total_label!r} rows in column "
                              f"{sector!r}; pass total_label=.")
    try:
        panel = tables_by_year(data.loc[~is_total], year=year, district=region, sector=sector,
                               value=value)
    except ValueError as exc:
        raise DataSourceError(f"PDRB table {path}: {exc}") from exc
    sectors = pd.concat(panel, names=[year]).swaplevel(0, 1).sort_index()
    totals = data.loc[is_total]
    if totals.duplicated(subset=[region, year]).any():
        raise DataSourceError(f"PDRB table {path} has two {total_label!r} rows for one "
                              "region-year.")
    total = totals.set_index([region, year])[value].reindex(sectors.index)
    flags = check_sector_totals(sectors, total, atol=atol)
    bad = flags.loc[flags["status"] != "ok"]
    if len(bad):
        logger.info("PDRB %s: %d region-years do not add up (%s).", path.name, len(bad),
                    ", ".join(f"{r}/{y}" for r, y in bad.index[:5]))
    names = data.drop_duplicates(region).set_index(region)[name].sort_index()
    return PDRBTable(data=data, sectors=sectors, total=total, flags=flags, names=names)
