"""A BPS-style Excel workbook of the production tables, written byte-for-byte reproducibly.

BPS publications (*Kecamatan/Kabupaten Dalam Angka*) print tables with a
bilingual title, numbered columns, one row per kecamatan (``010. Name``), a
total row, and a source footnote; numbers are text in Indonesian notation
(``7.025`` for 7025, ``1.234,5`` for 1234.5, ``-`` for zero). The workbook
has one sheet per year for production (ton) and one for harvested area (ha),
with commodities as columns.

openpyxl stamps the time of saving into the file; :func:`write_bps_workbook`
fixes the document dates and the zip entries' timestamps, so the same tables
give the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from aez.demo.socioeconomic import DISPLAY_NAMES
from aez.io.xlsx import save_reproducible

__all__ = ["format_id", "write_bps_workbook"]

#: Date stamped into the workbook's properties and zip entries.


def format_id(value: float, *, decimals: int = 1) -> str:
    """Format a number in Indonesian notation, as BPS tables print it.

    >>> format_id(7025.0), format_id(1234.5), format_id(0.0), format_id(12.25, decimals=2)
    ('7.025', '1.234,5', '-', '12,25')
    """
    if value == 0:
        return "-"
    rounded = round(float(value), decimals)
    if rounded == int(rounded):
        return f"{int(rounded):,}".replace(",", ".")
    text = f"{rounded:,.{decimals}f}".rstrip("0")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _sheet(wb: Workbook, title: str, heading: tuple[str, str], frame: pd.DataFrame,
           value: str, kabupaten: str, decimals: int) -> None:
    ws = wb.create_sheet(title)
    commodities = list(dict.fromkeys(frame["commodity"]))
    wide = frame.pivot(index=["kode_bps", "kecamatan"], columns="commodity",
                       values=value).sort_index()[commodities]
    ws.append([heading[0]])
    ws.append([heading[1]])
    ws.append([])
    ws.append(["Kecamatan / Subdistrict", *[DISPLAY_NAMES[c] for c in commodities]])
    ws.append([f"({i})" for i in range(1, len(commodities) + 2)])
    for (code, name), row in wide.iterrows():
        ws.append([f"{str(code)[-3:]}. {name}",
                   *[format_id(float(v), decimals=decimals) for v in row.to_numpy()]])
    totals = wide.sum(axis=0)
    ws.append([f"Kabupaten {kabupaten}",
               *[format_id(float(round(v, decimals)), decimals=decimals) for v in totals]])
    ws.append([])
    ws.append(["Sumber/Source: data sintetis aez demo, bukan data BPS "
               "(synthetic aez demo data, not BPS data)"])
    ws["A1"].font = Font(bold=True)
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    right = Alignment(horizontal="right")
    for row in ws.iter_rows(min_row=6, max_row=ws.max_row - 2, min_col=2):
        for cell in row:
            cell.alignment = right
    ws.column_dimensions["A"].width = 28


def write_bps_workbook(production: pd.DataFrame, path: Path, *, kabupaten: str) -> None:
    """Write the production and area tables as a BPS-style workbook (see module docstring).

    ``production`` is the tidy table (``kode_bps``, ``kecamatan``, ``commodity``,
    ``year``, ``production_ton``, ``area_ha``).
    """
    wb = Workbook()
    wb.remove(wb.active)
    for k, year in enumerate(sorted(production["year"].unique()), start=1):
        part = production[production["year"] == year]
        _sheet(wb, f"Produksi {year}", (
            f"Tabel 5.{k}  Produksi Tanaman menurut Kecamatan dan Jenis Komoditas di Kabupaten "
            f"{kabupaten} (ton), {year}",
            f"Table 5.{k}  Crop Production by Subdistrict and Commodity in {kabupaten} Regency "
            f"(tons), {year}"), part, "production_ton", kabupaten, 1)
        _sheet(wb, f"Luas Panen {year}", (
            f"Tabel 6.{k}  Luas Panen/Tanam menurut Kecamatan dan Jenis Komoditas di Kabupaten "
            f"{kabupaten} (ha), {year}",
            f"Table 6.{k}  Harvested/Planted Area by Subdistrict and Commodity in {kabupaten} "
            f"Regency (ha), {year}"), part, "area_ha", kabupaten, 0)
    save_reproducible(wb, path)
