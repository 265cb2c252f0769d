"""``aez crops list`` and ``aez crops show``: one row per table, bands in English or Indonesian,
user folders overriding built-in tables, unknown ids refused cleanly.

The expected band texts are read off ``aez/crops/data/kelapa_sawit.toml`` by hand (Djaenudin
et al. 2011, kelapa sawit) and written as BBSDLP prints them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aez.characteristics import CHARACTERISTICS, LABEL_NAMES_ID
from aez.crops import BUILTIN_DIR, crop_ids, load_crop
from aez.crops.schema import PRODUCT_GROUPS


def table_rows(output: str) -> list[list[str]]:
    """Rows of the first table in ``output``: between the dashed rule and the blank line."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if set(line) <= {"-", " "} and line) + 1
    end = lines.index("", start)
    return [[cell.strip() for cell in line.split("  ") if cell.strip()]
            for line in lines[start:end]]


def row_of(output: str, name: str) -> list[str]:
    """Cells of the ``show`` row whose characteristic name is ``name``."""
    for line in output.splitlines():
        if line.startswith(f"  {name}  "):
            return [cell.strip() for cell in line.split("  ") if cell.strip()]
    raise AssertionError(f"no row {name!r} in:\n{output}")


def user_table(folder: Path) -> Path:
    """A user copy of kelapa_sawit with a local name and a stricter slope S1 (0–5 %)."""
    text = (BUILTIN_DIR / "kelapa_sawit.toml").read_text(encoding="utf-8")
    local = text.replace('name_en = "Oil palm"', 'name_en = "Oil palm (local trial)"').replace(
        "S1 = [0, 8]\nS2 = [8, 16]", "S1 = [0, 5]\nS2 = [5, 16]")
    assert local.count("(local trial)") == 1 and "S1 = [0, 5]" in local
    folder.mkdir(exist_ok=True)
    path = folder / "kelapa_sawit.toml"
    path.write_text(local, encoding="utf-8")
    return path


# -- list ----------------------------------------------------------------------------------------


def test_list_prints_one_row_per_shipped_table_by_group_then_id(run_cli) -> None:
    result = run_cli("crops", "list")
    assert result.exit_code == 0, result.output
    rows = table_rows(result.output)
    assert len(rows) == len(crop_ids()) >= 4
    ids = [r[0] for r in rows]
    assert sorted(ids) == crop_ids()
    groups = [PRODUCT_GROUPS.index(r[2]) for r in rows]
    assert [(g, i) for g, i in zip(groups, ids, strict=True)] == sorted(zip(groups, ids,
                                                                            strict=True))
    for row in rows:
        crop = load_crop(row[0])
        assert row[1:] == [f"{crop.name_id} / {crop.name_en}", crop.group, str(len(crop.rules)),
                           ", ".join(s.key for s in crop.sources), "built-in"], row
    assert f"{len(rows)} crop tables" in result.output


def test_list_shows_user_tables_and_overrides(run_cli, tmp_path: Path) -> None:
    path = user_table(tmp_path / "mine")
    result = run_cli("crops", "list", "--crop-dir", tmp_path / "mine")
    assert result.exit_code == 0, result.output
    rows = {r[0]: r for r in table_rows(result.output)}
    assert len(rows) == len(crop_ids())  # the override replaces a row, it adds none
    assert rows["kelapa_sawit"][1] == "Kelapa sawit / Oil palm (local trial)"
    assert rows["kelapa_sawit"][-1] == str(path)
    assert rows["jagung"][-1] == "built-in"


# -- show ----------------------------------------------------------------------------------------


def test_show_in_indonesian_uses_bbsdlp_names_and_labels(run_cli) -> None:
    result = run_cli("crops", "show", "kelapa_sawit", "--lang", "id")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("kelapa_sawit: Kelapa sawit / Oil palm (Elaeis guineensis Jacq.), "
                          "kelompok perkebunan\n")
    assert "tabel: bawaan" in out
    for heading in ("tc temperatur", "oa ketersediaan oksigen", "nr retensi hara",
                    "eh bahaya erosi", "kualitas / karakteristik", "perbaikan", "sumber"):
        assert heading in out, heading
    # Drainage: S1 baik, sedang; S2 agak terhambat; S3 agak cepat, terhambat; N cepat, sangat
    # terhambat; drains help the three wet classes only.
    assert row_of(out, "drainase tanah") == [
        "drainase tanah", "-", "baik, sedang", "agak terhambat", "agak cepat, terhambat",
        "cepat, sangat terhambat", "+1: agak terhambat, terhambat, sangat terhambat",
        "djaenudin2011"]
    # Temperature S1 25–28, S2 22–25 and 28–32, S3 20–22 and 32–35, N below 20 and above 35.
    assert row_of(out, "temperatur rerata tahunan") == [
        "temperatur rerata tahunan", "°C", "25–28", "22–25; 28–32", "20–22; 32–35",
        "< 20; > 35", "-", "djaenudin2011"]
    # pH 5.0–6.5 in S1 with a decimal comma; no N band; liming on the acid side only.
    assert row_of(out, "pH H2O")[2:] == ["5–6,5", "4,2–5; 6,5–7", "< 4,2; > 7", "-",
                                         "+1 (sisi rendah)", "djaenudin2011"]
    assert row_of(out, "lereng")[1:6] == ["%", "< 8", "8–16", "16–30", "> 30"]
    assert row_of(out, "curah hujan tahunan")[1] == "mm/tahun"
    assert "\nSumber:\n  djaenudin2011: Djaenudin D." in out
    assert "soil drainage class" not in out


def test_show_in_english(run_cli) -> None:
    result = run_cli("crops", "show", "kelapa_sawit", "--lang", "en")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "table: built-in" in out and "oa oxygen availability" in out
    assert row_of(out, "soil drainage class")[2:6] == [
        "well, moderately well", "somewhat poor", "somewhat excessive, poor",
        "excessive, very poor"]
    assert row_of(out, "soil pH (H2O)")[2:6] == ["5–6.5", "4.2–5, 6.5–7", "< 4.2, > 7", "-"]
    assert row_of(out, "soil pH (H2O)")[6] == "+1 (low side)"
    assert row_of(out, "slope")[2] == "< 8"
    assert "\nSources:\n" in out
    assert "baik" not in out and "drainase" not in out


def test_show_defaults_to_the_language_of_run(run_cli) -> None:
    from aez.cli.run import run_command

    lang = next(p for p in run_command.params if p.name == "lang")
    assert lang.default == "id"
    shown = run_cli("crops", "show", "kelapa_sawit").output
    assert shown == run_cli("crops", "show", "kelapa_sawit", "--lang", "id").output
    assert shown != run_cli("crops", "show", "kelapa_sawit", "--lang", "en").output


def test_show_uses_the_user_table_and_logs_the_override(run_cli, tmp_path: Path) -> None:
    path = user_table(tmp_path / "mine")
    result = run_cli("-v", "crops", "show", "kelapa_sawit", "--lang", "en", "--crop-dir",
                     tmp_path / "mine")
    assert result.exit_code == 0, result.output
    assert "Oil palm (local trial)" in result.output
    assert f"table: {path}" in result.output
    assert row_of(result.output, "slope")[2:4] == ["< 5", "5–16"]
    assert "overrides" in result.stderr and str(path) in result.stderr


def test_unknown_crop_is_a_clean_error(run_cli) -> None:
    result = run_cli("crops", "show", "kelapa_sawitt")
    assert result.exit_code == 1
    assert "Unknown crop 'kelapa_sawitt'. Did you mean 'kelapa_sawit'" in result.stderr
    assert "Traceback" not in result.stderr + result.output


def test_missing_crop_dir_is_refused(run_cli, tmp_path: Path) -> None:
    result = run_cli("crops", "list", "--crop-dir", tmp_path / "absent")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


@pytest.mark.parametrize("char_id", [c for c, v in CHARACTERISTICS.items() if v.categorical])
def test_every_class_label_has_an_indonesian_name(char_id: str) -> None:
    names = LABEL_NAMES_ID[char_id]
    assert list(names) == list(CHARACTERISTICS[char_id].classes)
    assert all(name.strip() for name in names.values())


@pytest.mark.parametrize(("lang", "heading", "number", "unit"), [
    ("en", "Reference yield", "5.81", "t/ha/yr"),
    ("id", "Produktivitas acuan", "5,81", "t/ha/tahun"),
])
def test_show_prints_the_reference_yield_fractions_and_their_sources(run_cli, lang, heading,
                                                                   number, unit):
    result = run_cli("crops", "show", "jagung", "--lang", lang)
    assert result.exit_code == 0, result.output
    crop = load_crop("jagung")
    spec = crop.reference_yield
    assert spec is not None
    line = next(x for x in result.output.splitlines() if x.startswith(heading))
    assert f"{number} {unit}" in line and spec.product in line and spec.source in line
    assert "S1 0" in result.output and "Sys C., Van Ranst E., Debaveye J. (1991)" in result.output
    # the key the yield cites is listed with its full citation among the sources
    citation = next(s.citation for s in crop.sources if s.key == spec.source)
    assert f"  {spec.source}: {citation}" in result.output


def test_show_says_when_a_crop_has_no_reference_yield(run_cli):
    assert load_crop("kopi_arabika").reference_yield is None
    result = run_cli("crops", "show", "kopi_arabika", "--lang", "en")
    assert "Reference yield: none published here: no value estimate" in result.output
    assert "Relative yield by class: S1 0.875, S2 0.625, S3 0.375, N 0" in result.output
