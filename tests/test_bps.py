"""BPS readers: Indonesian numbers, table layouts (xlsx, CSV), the PDRB loader.

Workbooks and CSV files are written in the tests in BPS's layout (merged headers, a
column-number row, footnote markers, a total row, notes), plus the demo's own BPS-style
writer; the real SIMDASI exports and the PDRB table (extracts under ``layers/``, see
``layers/PROVENANCE.md``) are compared with the long table a different parser produced
and with hand arithmetic.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from aez.economics import location_quotient
from aez.errors import DataSourceError
from aez.io.bps import BPSFormatError, parse_bps_number, read_bps_table, read_pdrb
from aez.testing import real_layer

RAW = real_layer("production/raw_bps_simdasi_sikka_xlsx")
SIKKA = real_layer("production/bps_simdasi_sikka_hortikultura_per_kecamatan_2020_2023_long.csv.gz")
MINING = "Pertambangan dan Penggalian"


# ---------------------------------------------------------------- numbers

@pytest.mark.parametrize("text, expected", [
    ("7.025", 7025.0),                 # a dot groups thousands
    ("1.234,5", 1234.5),               # a comma is the decimal mark
    ("12.345.678,25", 12345678.25),
    ("0,7", 0.7),
    ("485", 485.0),
    ("2.764  ", 2764.0),               # SIMDASI pads cells with spaces
    ("-", 0.0), ("–", 0.0), ("- ", 0.0),
    ("12 345*", 12345.0),              # a space groups thousands; * is a footnote
    ("12\u00a0345", 12345.0),          # non-breaking space
    ("345¹", 345.0),                   # superscript footnote, not a digit
    ("1.234 e)", 1234.0), ("1.234e)", 1234.0), ("56 (r)", 56.0), ("9**", 9.0),
    ("7,5 *)", 7.5),
    ("-12,5", -12.5), ("−3", -3.0),
    (42, 42.0), (3.25, 3.25), (np.int64(7), 7.0),
])
def test_indonesian_numbers(text, expected):
    assert parse_bps_number(text) == expected


@pytest.mark.parametrize("text", ["...", "…", "x", "NA", "n.a.", "", "   ", None])
def test_not_available_is_nan(text):
    assert math.isnan(parse_bps_number(text))


def test_english_notation():
    assert parse_bps_number("1,234.5", decimal=".") == 1234.5
    assert parse_bps_number("7,025", decimal=".") == 7025.0
    assert parse_bps_number("0.25", decimal=".") == 0.25


@pytest.mark.parametrize("text", ["12.5", "1.23", "1.2345", "abc", "1,2,3", "7.025,5,1"])
def test_numbers_that_are_not_indonesian_raise(text):
    with pytest.raises(BPSFormatError, match="Indonesian notation"):
        parse_bps_number(text)


def test_number_errors_name_the_remedy():
    with pytest.raises(BPSFormatError, match=r"decimal='\.'"):
        parse_bps_number("12.5")
    with pytest.raises(BPSFormatError, match="boolean"):
        parse_bps_number(True)
    with pytest.raises(BPSFormatError, match="decimal must be"):
        parse_bps_number("1", decimal=";")
    assert issubclass(BPSFormatError, DataSourceError) and issubclass(BPSFormatError, ValueError)


# ---------------------------------------------------------------- xlsx layouts

def write_table(path: Path, *, title: str = "Produksi Tanaman Pangan menurut Kecamatan di "
                "Kabupaten Uji, 2022", rows: list[list[object]] | None = None,
                numbering: bool = True, header: str = "Kecamatan\nSubdistrict") -> Path:
    """A BPS-style sheet: merged title, two-level merged header, column numbers, notes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Tabel"
    ws.append(["Tabel 5.2", title])
    ws.merge_cells("B1:F1")
    ws.append(["Table 5.2", "Food Crop Production by Subdistrict in Uji Regency, 2022"])
    ws.append([])
    ws.append([header, "Padi", None, "Jagung\n(ton)", "Kedelai (ton)"])
    ws.append([None, "Sawah (ton)", "Ladang (ton)"])
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:C4")
    ws.merge_cells("D4:D5")
    ws.merge_cells("E4:E5")
    if numbering:
        ws.append(["(1)", "(2)", "(3)", "(4)", "(5)"])
    for row in rows if rows is not None else [
        ["010. Alfa", "7.025", "1.234,5", "-", 12],
        ["020. Beta", "12 345*", "345¹", "...", "0,5"],
        ["030. Gamma", "1.000 e)", "-", 250.25, "-"],
        ["Jumlah", "20.370", "1.579,5", "250,25", "12,5"],
    ]:
        ws.append(row)
    ws.append([])
    ws.append(["Sumber/Source: BPS Kabupaten Uji"])
    ws.append(["Catatan: e) angka sementara"])
    wb.save(path)
    return path


def test_read_a_bps_sheet(tmp_path):
    table = read_bps_table(write_table(tmp_path / "t.xlsx"))
    columns = ["Padi | Sawah", "Padi | Ladang", "Jagung", "Kedelai"]
    expected = pd.DataFrame([[7025.0, 1234.5, 0.0, 12.0],
                             [12345.0, 345.0, np.nan, 0.5],
                             [1000.0, 0.0, 250.25, 0.0]],
                            index=pd.Index(["Alfa", "Beta", "Gamma"], name="district"),
                            columns=columns)
    pd.testing.assert_frame_equal(table.data, expected)
    assert table.total_label == "Jumlah"
    assert table.total.tolist() == [20370.0, 1579.5, 250.25, 12.5]
    assert table.codes.tolist() == ["010", "020", "030"]
    assert table.units == dict.fromkeys(columns, "ton")
    assert table.year == 2022
    assert table.title.splitlines()[0].startswith("Tabel 5.2 Produksi Tanaman Pangan")
    assert table.notes == ("Sumber/Source: BPS Kabupaten Uji", "Catatan: e) angka sementara")
    assert "[Tabel]" in table.source


def test_header_found_without_column_numbers(tmp_path):
    # The header starts at the row beginning "Kecamatan" and runs down while its rows hold
    # no numbers, so the second header level is kept.
    with_numbers = read_bps_table(write_table(tmp_path / "a.xlsx"))
    without = read_bps_table(write_table(tmp_path / "b.xlsx", numbering=False))
    pd.testing.assert_frame_equal(without.data, with_numbers.data)
    pd.testing.assert_series_equal(without.total, with_numbers.total)


def test_header_row_can_be_given(tmp_path):
    path = write_table(tmp_path / "t.xlsx", numbering=False, header="Nama")
    with pytest.raises(BPSFormatError, match="header_row"):
        read_bps_table(path)
    table = read_bps_table(path, header_row=4)
    assert list(table.data.index) == ["Alfa", "Beta", "Gamma"]
    assert table.data.loc["Beta", "Padi | Sawah"] == 12345.0


def test_bad_cells_are_named(tmp_path):
    rows = [["Alfa", "7.025", "12.5", "-", "-"], ["Jumlah", "7.025", "-", "-", "-"]]
    with pytest.raises(BPSFormatError, match=r"cell C7: .*'12\.5'"):
        read_bps_table(write_table(tmp_path / "a.xlsx", rows=rows))
    rows = [["Alfa", "1", "2", "3", "4", "99"], ["Jumlah", "1", "2", "3", "4"]]
    with pytest.raises(BPSFormatError, match=r"F7 .*without a header"):
        read_bps_table(write_table(tmp_path / "b.xlsx", rows=rows))
    rows = [[None, "1", "2", "3", "4"]]
    with pytest.raises(BPSFormatError, match="no district name"):
        read_bps_table(write_table(tmp_path / "c.xlsx", rows=rows))
    lone = read_bps_table(write_table(tmp_path / "d.xlsx", rows=[["Alfa", "1", "2", "3", "4"]]))
    assert lone.total is None and lone.total_label is None


def test_total_rows_by_label_title_and_sum(tmp_path):
    # Two labels that both look like totals: refuse, unless told which one.
    rows = [["Alfa", "1", "2", "3", "4"], ["Jumlah", "1", "2", "3", "4"],
            ["Total", "1", "2", "3", "4"]]
    path = write_table(tmp_path / "two.xlsx", rows=rows)
    with pytest.raises(BPSFormatError, match="several rows look like totals"):
        read_bps_table(path)
    assert read_bps_table(path, total_label="Total").total_label == "Total"
    with pytest.raises(BPSFormatError, match="no row is labelled"):
        read_bps_table(path, total_label="Semua")
    # The kabupaten named in the title, printed bare (SIMDASI prints "Sikka"); a kecamatan
    # of the same name (Kec. Sleman in Kab. Sleman) stays a district.
    rows = [["Sleman", "1", "2", "3", "4"], ["Depok", "1", "0", "0", "0"],
            ["Sleman", "2", "2", "3", "4"]]
    table = read_bps_table(write_table(tmp_path / "sleman.xlsx", rows=rows,
                                       title="Produksi menurut Kecamatan di Kabupaten Sleman"))
    assert list(table.data.index) == ["Sleman", "Depok"]
    assert table.total.tolist() == [2.0, 2.0, 3.0, 4.0]
    # An unlabelled last row equal to the sum of the others is taken as the total.
    rows = [["Alfa", "1", "2", "3", "4"], ["Beta", "2", "0", "1", "0"],
            ["Gamma", "7", "0", "0", "1"], ["Semua", "10", "2", "4", "5"]]
    table = read_bps_table(write_table(tmp_path / "sum.xlsx", rows=rows, title="Produksi"))
    assert table.total_label == "Semua" and list(table.data.index) == ["Alfa", "Beta", "Gamma"]


def test_missing_files_sheets_and_formats(tmp_path):
    with pytest.raises(DataSourceError, match="does not exist"):
        read_bps_table(tmp_path / "none.xlsx")
    path = write_table(tmp_path / "t.xlsx")
    with pytest.raises(DataSourceError, match="no sheet 'Produksi'"):
        read_bps_table(path, sheet="Produksi")
    with pytest.raises(DataSourceError, match="no sheet 3"):
        read_bps_table(path, sheet=3)
    (tmp_path / "t.ods").write_bytes(b"")
    with pytest.raises(DataSourceError, match=r"expected a \.xlsx or \.csv"):
        read_bps_table(tmp_path / "t.ods")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(DataSourceError, match="Cannot read workbook"):
        read_bps_table(tmp_path / "broken.xlsx")


# ---------------------------------------------------------------- CSV

def test_read_a_semicolon_csv(tmp_path):
    path = tmp_path / "luas.csv"
    path.write_text(
        "Tabel 1;Luas Panen Padi menurut Kecamatan di Kota Uji (ha), 2021;;\n"
        ";;;\n"
        "Kecamatan;Padi Sawah;Padi Ladang;Jagung\n"
        "(1);(2);(3);(4)\n"
        "Alfa;1.250;-;3,5\n"
        "Beta;980;12;...\n"
        "Kota Uji;2.230;12;3,5\n"
        "Sumber: BPS Kota Uji\n", encoding="utf-8")
    table = read_bps_table(path)
    assert table.data.loc["Alfa"].tolist() == [1250.0, 0.0, 3.5]
    assert math.isnan(table.data.loc["Beta", "Jagung"])
    assert table.total_label == "Kota Uji" and table.total.tolist() == [2230.0, 12.0, 3.5]
    assert table.units == {"Padi Sawah": "ha", "Padi Ladang": "ha", "Jagung": "ha"}
    assert table.year == 2021 and table.notes == ("Sumber: BPS Kota Uji",)


def test_read_an_english_csv(tmp_path):
    path = tmp_path / "prod.csv"
    path.write_text('Region,Rice (ton),Maize (ton)\nAlfa,"1,250.5",3\nBeta,980,12\n'
                    'Total,"2,230.5",15\n', encoding="utf-8")
    table = read_bps_table(path, decimal=".", header_row=1)
    assert table.data.loc["Alfa"].tolist() == [1250.5, 3.0]
    assert table.total.tolist() == [2230.5, 15.0]
    assert table.units == {"Rice": "ton", "Maize": "ton"}
    with pytest.raises(BPSFormatError, match="cell B2"):
        read_bps_table(path, header_row=1)           # "1,250.5" is not Indonesian


# ---------------------------------------------------------------- the demo's workbook

def test_demo_workbook_round_trip(tmp_path):
    from aez.demo.bpsxlsx import write_bps_workbook

    production = pd.DataFrame({
        "kode_bps": [6390010] * 3 + [6390020] * 3 + [6390071] * 3,
        "kecamatan": ["Simpang Indah"] * 3 + ["Padang Lestari"] * 3 + ["Simpang Baru"] * 3,
        "commodity": ["padi_sawah", "jagung", "kelapa_sawit"] * 3,
        "year": 2020,
        "production_ton": [571.8, 104.1, 522.4, 2888.3, 207.6, 0.0, 0.0, 53.3, 1304.2],
        "area_ha": [131.0, 20.0, 135.0, 591.0, 50.0, 0.0, 0.0, 14.0, 1133.0],
    })
    path = tmp_path / "produksi.xlsx"
    write_bps_workbook(production, path, kabupaten="Uji Coba")
    table = read_bps_table(path, sheet="Produksi 2020")
    assert table.data.loc["Padang Lestari"].tolist() == [2888.3, 207.6, 0.0]
    assert table.data.loc["Simpang Baru"].tolist() == [0.0, 53.3, 1304.2]
    assert list(table.data.columns) == ["Padi Sawah", "Jagung", "Kelapa Sawit"]
    assert table.codes.tolist() == ["010", "020", "071"]
    # Totals 571.8 + 2888.3 = 3460.1; 104.1 + 207.6 + 53.3 = 365.0; 522.4 + 1304.2 = 1826.6.
    assert table.total_label == "Kabupaten Uji Coba"
    assert table.total.tolist() == pytest.approx([3460.1, 365.0, 1826.6])
    assert set(table.units.values()) == {"ton"} and table.year == 2020
    area = read_bps_table(path, sheet="Luas Panen 2020")
    assert area.data.loc["Simpang Baru"].tolist() == [0.0, 14.0, 1133.0]
    assert area.total.tolist() == [722.0, 84.0, 1268.0]


# ---------------------------------------------------------------- real SIMDASI exports

def _raw(table: str, year: int) -> Path:
    found = sorted(RAW.glob(f"tabel-{table.replace('.', '-')}-tahun-{year}-*.xlsx"))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("number, year", [("5.1.13", 2023), ("5.1.2", 2023), ("5.1.10", 2022)])
def test_simdasi_exports_match_the_long_table(number, year):
    """Every figure read from the xlsx equals the long table (another parser's reading)."""
    table = read_bps_table(_raw(number, year))
    long = pd.read_csv(SIKKA)
    part = long[(long["tabel"] == number) & (long["tahun"] == year)]
    wide = part.pivot(index="kecamatan", columns="komoditas", values="nilai")
    assert table.total_label == "Sikka" and table.year == year
    pd.testing.assert_series_equal(
        table.total, wide.loc["Sikka (TOTAL KABUPATEN)", table.data.columns],
        check_names=False, check_index_type=False)
    pd.testing.assert_frame_equal(table.data, wide.drop(index="Sikka (TOTAL KABUPATEN)")
                                  .loc[table.data.index, table.data.columns],
                                  check_names=False, check_index_type=False,
                                  check_column_type=False)
    units = part.drop_duplicates("komoditas").set_index("komoditas")["satuan"].str.strip()
    assert table.units == units.to_dict()


def test_lq_through_the_simdasi_xlsx_matches_hand_computation():
    table = read_bps_table(_raw("5.1.13", 2023))
    lq = location_quotient(table.data)
    # Row totals and column sums as derived in tests/test_economics.py (SIKKA_HAND):
    # Talibura 18741, Bola 12596; Pisang 56331, Durian 4865; all kecamatan 132868.
    assert lq.loc["Talibura", "Pisang/ Banana"] == pytest.approx(
        (16591 / 18741) / (56331 / 132868), rel=1e-12)
    assert lq.loc["Bola", "Durian/ Durian"] == pytest.approx(
        (3770 / 12596) / (4865 / 132868), rel=1e-12)


# ---------------------------------------------------------------- PDRB

def write_pdrb(path: Path, rows: list[tuple]) -> Path:
    pd.DataFrame(rows, columns=["tahun", "kode_bps", "nama_wilayah", "lapangan_usaha",
                                "pdrb_adhk2010_miliar_rp"]).to_csv(path, index=False)
    return path


def test_pdrb_loader_flags_a_decimal_shift(tmp_path):
    rows = []
    for year, tambang in ((2013, 186.33), (2014, 18633.0)):        # 2014: decimal lost
        for code, name, scale in ((3522, "Bojonegoro", 1.0), (3500, "Jawa Timur", 10.0)):
            values = {"Tambang": tambang * scale if code == 3522 else 1863.3,
                      "Tani": 54.95 * scale, "Industri": 100.0 * scale}
            rows += [(year, code, name, sector, v) for sector, v in values.items()]
            total = (186.33 if code == 3522 else 1863.3) + 154.95 * scale
            rows.append((year, code, name, "TOTAL", round(total, 2)))
    pdrb = read_pdrb(write_pdrb(tmp_path / "pdrb.csv", rows))
    assert pdrb.flags["status"].to_dict() == {(3500, 2013): "ok", (3500, 2014): "ok",
                                              (3522, 2013): "ok", (3522, 2014): "mismatch"}
    assert list(pdrb.inconsistent.index) == [(3522, 2014)]
    assert pdrb.flags.loc[(3522, 2014), "suspect_sectors"] == ("Tambang",)
    assert pdrb.year(2013).loc[3522, "Tani"] == 54.95
    assert list(pdrb.year(2014, regions=[3522]).index) == [3522]
    assert sorted(pdrb.panel()) == [2013, 2014]
    assert pdrb.names.to_dict() == {3500: "Jawa Timur", 3522: "Bojonegoro"}


def test_pdrb_loader_refuses_broken_tables(tmp_path):
    with pytest.raises(DataSourceError, match="does not exist"):
        read_pdrb(tmp_path / "none.csv")
    rows = [(2013, 1, "A", "Tani", 1.0), (2013, 1, "A", "TOTAL", 1.0)]
    path = write_pdrb(tmp_path / "p.csv", rows)
    with pytest.raises(DataSourceError, match="no column 'nilai'"):
        read_pdrb(path, value="nilai")
    with pytest.raises(DataSourceError, match="no 'JUMLAH' rows"):
        read_pdrb(path, total_label="JUMLAH")
    twice = write_pdrb(tmp_path / "twice.csv", [*rows, rows[0]])
    with pytest.raises(DataSourceError, match="more than one row"):
        read_pdrb(twice)


def test_pdrb_flags_bojonegoro_2014_mining(pdrb):
    flag = pdrb.flags.loc[(3522, 2014)]
    # Mining prints 1 829 640.00 between 18 633.45 (2013) and 24 023.91 (2015): 100 × 18 296.40.
    # The sectors then exceed the stated total 39 934.83 by 1 829 640.00 − 18 296.40.
    assert flag["status"] == "mismatch" and not flag["consistent"]
    assert flag["difference"] == pytest.approx(1829640.00 - 18296.40, abs=0.05)
    assert flag["suspect_sectors"] == (MINING,) and flag["suspect_factors"] == (0.01,)
    others = pdrb.flags.loc[3522].drop(index=2014)
    assert (others["status"] == "ok").all()


def test_pdrb_flags_agree_with_the_data_description(pdrb):
    # The data README: 123 region-years whose sectors do not sum to the total.
    assert int((pdrb.flags["difference"].abs() > 1).sum()) == 123
    # Gresik (3525) 2014 mining 853 141.00 and Malang (3507) 2014 manufacturing 1 554 841.00
    # with mining 109 742.00 are 100 × their neighbours (≈ 8 500; ≈ 15 000 and ≈ 1 100).
    assert pdrb.flags.loc[(3525, 2014), "suspect_sectors"] == (MINING,)
    assert pdrb.flags.loc[(3507, 2014), "suspect_sectors"] == ("Industri Pengolahan", MINING)
    # The national GDP (9999) adds net taxes on products to its 17 sectors: 2–5 % more.
    national = pdrb.flags.loc[9999]
    assert (national["status"] == "mismatch").all()
    assert national["relative_difference"].between(-0.05, -0.02).all()
    # New kabupaten in Sulawesi Tenggara have no figures for 2013.
    assert pdrb.flags.loc[[(7413, 2013), (7414, 2013), (7415, 2013)], "status"].eq("empty").all()


# ---------------------------------------------------------------- the demo region, end to end

@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from aez.demo import write_demo_region

    out = tmp_path_factory.mktemp("demo-economics")
    write_demo_region(out, seed=7, size="small")
    return out


def test_demo_workbook_and_csv_give_the_same_lq(demo):
    """The BPS-style workbook, read back, carries the tidy CSV's figures (one decimal)."""
    from aez.demo.socioeconomic import DISPLAY_NAMES
    from aez.economics import tables_by_year

    tidy = pd.read_csv(demo / "socioeconomic" / "produksi.csv")
    tidy["commodity"] = tidy["commodity"].map(DISPLAY_NAMES)
    panel = tables_by_year(tidy, year="year", district="kecamatan", sector="commodity",
                           value="production_ton")
    year = min(panel)
    sheet = read_bps_table(demo / "socioeconomic" / "produksi.xlsx", sheet=f"Produksi {year}")
    assert sheet.year == year and sheet.total_label.startswith("Kabupaten ")
    expected = panel[year].loc[sheet.data.index, sheet.data.columns].round(1)
    pd.testing.assert_frame_equal(sheet.data, expected, check_names=False,
                                  check_column_type=False, check_index_type=False)
    pd.testing.assert_frame_equal(location_quotient(sheet.data), location_quotient(expected),
                                  check_names=False, check_column_type=False,
                                  check_index_type=False)


def test_demo_crosswalk_agrees_with_the_population_table(demo):
    """kecamatan_crosswalk.csv joins production to Kemendagri codes as penduduk.csv pairs them."""
    from aez.economics import join_crosswalk

    production = pd.read_csv(demo / "socioeconomic" / "produksi.csv", dtype={"kode_bps": str})
    walk = pd.read_csv(demo / "kecamatan_crosswalk.csv", dtype=str)
    population = pd.read_csv(demo / "socioeconomic" / "penduduk.csv", dtype=str)
    result = join_crosswalk(production, walk, on="kode_bps", source="kode_bps",
                            target="kode_kemendagri")
    assert result.unmatched.empty and result.absent.empty
    pairs = dict(zip(population["kode_bps"], population["kode_kemendagri"], strict=True))
    assert (result.joined["kode_kemendagri"] == result.joined["kode_bps"].map(pairs)).all()
