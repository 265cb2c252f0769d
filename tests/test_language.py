"""One language at a time, one base for the shares, and no Python notation in any output.

The small demo runs once in Indonesian and once in English. Every text drawn on
its maps (matplotlib text objects, recorded as each map is saved), the
report's visible text and the labels of its QGIS styles are scanned for the
catalogue's strings of the *other* language (those that differ between the
two): a slip such as ``mm/yr`` in the Indonesian overview or ``hutan lindung``
in the English land-status legend fails the test. Mutations show that the
scan notices an English unit on an Indonesian map and an Indonesian label on an
English one.

The suitability legends and the report give the class shares on one base, the
evaluated land (S1–N); and no output file holds a tuple, a list, ``None`` or
``nan`` written the Python way.
"""

from __future__ import annotations

import html
import importlib
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pyogrio
import pytest
from matplotlib.text import Text
from openpyxl import load_workbook

from aez.pipeline.run import run
from aez.render import maps
from aez.render.maps import MapInfo, OverviewLayer
from aez.words import REFERENCES, TEXT

CROPS = ["jagung", "padi_sawah", "kelapa"]
LANGS = ("id", "en")


# -- the scan -----------------------------------------------------------------------------------


def foreign_words(lang: str) -> dict[str, str]:
    """Catalogue strings of the language other than ``lang`` → their key.

    Each value is split at its placeholders; a piece counts when it holds a
    letter, is at least two characters long, differs from the same key's text
    in ``lang`` and is no part of any text of ``lang`` (``Kecamatan``, ``SI``).
    """
    other = "en" if lang == "id" else "id"
    own = list(TEXT[lang].values())
    found: dict[str, str] = {}
    for key, value in TEXT[other].items():
        if value == TEXT[lang][key]:
            continue
        for piece in re.split(r"\{[^}]*\}", value):
            piece = piece.strip(" .,:;()·–-\u201c\u201d")
            if len(piece) < 2 or not re.search(r"[A-Za-z]", piece):
                continue
            if any(piece in text for text in own):
                continue
            found.setdefault(piece, key)
    return found


def slips(texts: list[str], lang: str, *, names: set[str] = frozenset()) -> list[tuple[str, str]]:
    """(text, foreign piece) for every text of ``lang`` holding a piece of the other language.

    Proper names (``names``: kecamatan, the region, cooperatives, the titles
    of cited works) belong to no language and are taken out of the text first.
    """
    pieces = foreign_words(lang)
    patterns = {p: re.compile(rf"(?<!\w){re.escape(p)}(?!\w)") for p in pieces}
    found = []
    for text in texts:
        for name in sorted(names, key=len, reverse=True):
            text = text.replace(name, " ")
        found += [(text, p) for p, pattern in patterns.items() if pattern.search(text)]
    return found


class _Visible(HTMLParser):
    """The text a reader sees: text nodes and title/alt attributes, not styles or data URIs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        self.texts += [v for k, v in attrs if k in ("title", "alt", "aria-label") and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def report_texts(path: Path) -> list[str]:
    """The report's visible text, without code cells (layer names, file names: not words)."""
    page = re.sub(r'<(\w+) class="code[^"]*">.*?</\1>', " ", path.read_text(encoding="utf-8"))
    parser = _Visible()
    parser.feed(page)
    return parser.texts


def qml_labels(folder: Path) -> list[str]:
    labels = []
    for path in sorted(folder.rglob("*.qml")):
        for element in ET.parse(path).iter():
            if element.tag in ("paletteEntry", "item", "category") and element.get("label"):
                labels.append(element.get("label", ""))
    return labels


# -- the runs -----------------------------------------------------------------------------------


def _region(small_demo: Path, folder: Path) -> Path:
    """A copy of the small demo with three crops, room for three products and ten draws."""
    shutil.copytree(small_demo.parent, folder)
    config = folder / "config.toml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"crops = \[[^\]]*\]", "crops = " + repr(CROPS).replace("'", '"'), text)
    text = re.sub(r"draws = \d+", "draws = 10", text)
    text = re.sub(r"^max_share = .*$", "max_share = 0.4", text, flags=re.M)  # 8 kecamatan,
    text = re.sub(r"^min_distinct = .*$", "min_distinct = 3", text, flags=re.M)  # 3 crops
    config.write_text(text, encoding="utf-8")
    return config


def _recording(monkeypatch: pytest.MonkeyPatch, drawn: dict[str, list[str]]) -> None:
    """Record every text of each map as it is saved (maps drawn in this process)."""
    save = maps.save_figure

    def recorded(fig: Any, out_base: Any, **kwargs: Any) -> Any:
        drawn[Path(out_base).as_posix()] = [t.get_text() for t in fig.findobj(Text)
                                            if t.get_text()]
        return save(fig, out_base, **kwargs)

    monkeypatch.setattr(maps, "save_figure", recorded)


def _proper_names(result: Any) -> set[str]:
    """Names that are no catalogue words: places, cooperatives, cited titles."""
    names = set(result.districts["kecamatan"].astype(str)) | {result.config.output.region or ""}
    coops = result.decision.cooperatives
    if "cooperative" in coops.columns:
        names |= {str(v) for v in coops["cooperative"].dropna()}
    names |= set(REFERENCES) | {s.citation for c in result.crops for s in c.sources}
    return names - {""}


@pytest.fixture(scope="module")
def runs(small_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    config = _region(small_demo, tmp_path_factory.mktemp("language") / "region")
    found: dict[str, Any] = {}
    for lang in LANGS:
        drawn: dict[str, list[str]] = {}
        calls: list[tuple[str, int, int]] = []
        with pytest.MonkeyPatch.context() as patch:
            _recording(patch, drawn)
            result = run(config, executor="serial", lang=lang,  # serial: maps in this process
                         overwrite=True, progress=lambda *call, to=calls: to.append(call))
        outdir = config.parent / f"out-{lang}"
        shutil.copytree(result.outdir, outdir)
        found[lang] = {"maps": drawn, "outdir": outdir, "names": _proper_names(result),
                       "progress": calls}
    return found


# -- one language at a time ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_maps_speak_one_language(runs, lang) -> None:
    drawn = runs[lang]["maps"]
    assert len(drawn) >= 3 + 2 * len(CROPS)  # overview, products, robustness, two per crop
    texts = [t for key in sorted(drawn) for t in drawn[key]]
    assert slips(texts, lang, names=runs[lang]["names"]) == []
    # The overview's units and land-status legend follow the language.
    overview = next(v for k, v in drawn.items() if k.endswith("maps/overview"))
    if lang == "id":
        assert any(t.startswith("Curah hujan (mm/tahun)") for t in overview)
        assert "hutan lindung" in overview
    else:
        assert any(t.startswith("Rainfall (mm/yr)") for t in overview)
        assert "protection forest" in overview


@pytest.mark.parametrize("lang", LANGS)
def test_report_and_styles_speak_one_language(runs, lang) -> None:
    outdir = runs[lang]["outdir"]
    texts = report_texts(outdir / "report.html")
    assert texts
    assert slips(texts, lang, names=runs[lang]["names"]) == []
    labels = qml_labels(outdir)
    assert any(label.startswith("S1 – ") for label in labels)
    assert slips(labels, lang, names=runs[lang]["names"]) == []
    # The inputs table: units and roles in the report's language.
    months = "bulan" if lang == "id" else "months"
    assert months in texts


def test_the_scan_notices_a_slip(runs, tmp_path, monkeypatch) -> None:
    """Mutations: an English unit on an Indonesian map, an Indonesian label on an English one."""
    outdir = runs["id"]["outdir"]
    districts = pyogrio.read_dataframe(outdir / "districts.gpkg", layer="kecamatan")
    rainfall = outdir.parent / "climate" / "rainfall.tif"
    status = outdir.parent / "landuse" / "land_status.tif"  # code 1: hutan_lindung
    drawn: dict[str, list[str]] = {}
    _recording(monkeypatch, drawn)
    for lang, units, legend in (("id", "mm/yr", None), ("en", "", {1: "hutan lindung"})):
        info = MapInfo(region="Kab. Uji", source="aez", date="2025-01-31", lang=lang)  # type: ignore[arg-type]
        layer = (OverviewLayer("Curah hujan" if lang == "id" else "Rainfall", rainfall,
                               "continuous", units) if legend is None else
                 OverviewLayer("Land status", status, "categorical", "", legend))
        maps.overview_map([layer], districts, info=info, out_base=tmp_path / lang)
        texts = drawn[(tmp_path / lang).as_posix()]
        found = {piece for _, piece in slips(texts, lang, names=set(districts["kecamatan"]))}
        assert found == ({"mm/yr"} if lang == "id" else {"hutan lindung"})
    # The catalogue's unit words are in the scan: the English "yr" and "months" among them.
    assert {"mm/yr", "months"} <= set(foreign_words("id"))
    assert "hutan lindung" in foreign_words("en")


@pytest.mark.parametrize("lang", LANGS)
def test_the_demo_preview_speaks_one_language(runs, lang, tmp_path, monkeypatch) -> None:
    from matplotlib.figure import Figure

    from aez.render.preview import render_preview

    texts: list[str] = []
    save = Figure.savefig

    def recorded(fig: Figure, *args: Any, **kwargs: Any) -> Any:
        texts.extend(t.get_text() for t in fig.findobj(Text) if t.get_text())
        return save(fig, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", recorded)
    region = runs[lang]["outdir"].parent
    render_preview(region, tmp_path / "preview.png", lang=lang, dpi=40)
    names = runs[lang]["names"] | set(pyogrio.read_dataframe(
        region / "infrastructure" / "port.gpkg", read_geometry=False)["nama"])
    assert TEXT[lang]["preview.river"] in texts
    assert slips(texts, lang, names=names) == []


# -- one base for the shares --------------------------------------------------------------------


def _legend_shares(texts: list[str]) -> list[str]:
    """The share column of a suitability legend, S1 to N: ``"1.234 ha · 34 %"`` → ``"34 %"``."""
    return [m.group(1) for t in texts if (m := re.fullmatch(r"[\d.,]+ ha · (.+)", t))]


def _report_shares(path: Path) -> dict[str, tuple[list[float], str]]:
    """Per crop of the report's commodity table: class-bar widths (%) and the Suitable cell."""
    page = path.read_text(encoding="utf-8")
    table = re.search(r'<table id="commodity-table">(.*?)</table>', page, flags=re.S)
    assert table is not None
    found = {}
    for crop, row in re.findall(r'<tr data-crop="(\w+)">(.*?)</tr>', table.group(1), flags=re.S):
        widths = [float(w) for w in re.findall(r'<span style="width:([\d.]+)%', row)]
        cells = re.findall(r'<td class="num">([^<]*)</td>', row)
        found[crop] = (widths, html.unescape(cells[5]))
    return found


def _as_legend(percent: float) -> str:
    return "< 1 %" if 0 < percent < 0.5 else f"{round(percent)} %"


def test_legend_and_report_shares_have_one_base(runs) -> None:
    report = _report_shares(runs["en"]["outdir"] / "report.html")
    assert set(report) == set(CROPS)
    for crop in CROPS:
        drawn = next(v for k, v in runs["en"]["maps"].items()
                     if k.endswith(f"maps/suitability/{crop}"))
        legend = _legend_shares(drawn)
        widths, suitable = report[crop]
        assert len(legend) == 4, drawn  # S1, S2, S3, N; X and unknown land in hectares only
        # The bar leaves out classes of no land; the legend lists them as 0 %.
        shown = [s for s in legend if s != "0 %"]
        assert shown == [_as_legend(w) for w in widths], (crop, legend, widths)
        # Suitable = S1 + S2 + S3 of the same evaluated land (N is the bar's last part).
        s1_s3 = sum(widths) - (widths[-1] if legend[3] != "0 %" else 0.0)
        assert suitable == f"{round(s1_s3)}%", (crop, suitable, s1_s3)
        # The base is stated in words, in both.
        assert any("evaluated land (S1–N)" in t for t in drawn)
    assert "Suitable (% of evaluated land)" in report_texts(runs["en"]["outdir"] / "report.html")


# -- no Python notation in any output ------------------------------------------------------------

#: Python's way of writing a tuple, a list, None, NaN or a missing value.
REPRS = re.compile(r"\('|\['|(?<!\w)(None|nan|NaN|<NA>|NaT)(?!\w)")


def _text_of(path: Path) -> list[str]:
    """What a person reads in an output file, cell by cell or as text."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".qml", ".html", ".toml", ".json", ".log"):
        return [path.read_text(encoding="utf-8")]
    if suffix == ".gpkg":
        found = []
        for layer, _ in pyogrio.list_layers(path):
            frame = pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
            found += [str(v) for c in frame.columns if frame[c].dtype == object
                      for v in frame[c] if isinstance(v, str)]
        return found
    if suffix == ".xlsx":
        book = load_workbook(path, read_only=True)
        return [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                for v in row if isinstance(v, str)]
    return []


@pytest.mark.parametrize("lang", LANGS)
def test_no_python_notation_in_any_output(runs, lang) -> None:
    outdir = runs[lang]["outdir"]
    files = sorted(p for p in outdir.rglob("*") if p.is_file())
    assert {p.suffix for p in files} >= {".csv", ".qml", ".html", ".gpkg", ".xlsx"}
    found = [(p.relative_to(outdir).as_posix(), m.group(0))
             for p in files for text in _text_of(p) for m in REPRS.finditer(text)]
    assert found == []


#: Hectare columns (2 decimals) and index-like columns (4 decimals) of the run's tables.
HECTARES = ("total_ha", "S1_ha", "S2_ha", "S3_ha", "N_ha", "excluded_ha", "unknown_ha",
            "nodata_ha", "suitable_ha", "evaluated_ha")
INDICES = ("score", "total", "total_score", "probability", "base_probability", "SI",
           "mean_index", "suitable_share", "production_share", "lq", "growth")


def test_csv_numbers_are_rounded(runs) -> None:
    """Hectares to 2 decimals, indices and shares to 4, other numbers to 6 digits, no exponent."""
    tables = runs["en"]["outdir"] / "tables"
    seen = set()
    for path in sorted(tables.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in frame.columns:
            decimals = (2 if column in HECTARES else 4 if column in INDICES
                        or column.startswith(("component_", "limited_")) else None)
            for value in frame[column]:
                assert not re.fullmatch(r"-?[\d.]+e[+-]?\d+", value), (path.name, column, value)
                if not re.fullmatch(r"-?\d+\.\d+", value):
                    continue
                seen.add(decimals)
                if decimals is not None:
                    assert len(value.split(".")[1]) <= decimals, (path.name, column, value)
                else:
                    assert len(value.lstrip("-0.").replace(".", "")) <= 6, (path.name, column,
                                                                            value)
    assert seen >= {2, 4}
    products = pd.read_csv(tables / "kecamatan_products.csv", dtype=str, keep_default_na=False)
    assert products["best_allowed"].str.len().gt(0).all()


# -- progress -------------------------------------------------------------------------------------


def test_every_stage_advances_step_by_step(runs) -> None:
    """Each stage's bar moves through its steps to the end, never backwards, never past it."""
    calls = runs["id"]["progress"]
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages == ["layers", "suitability", "decision", "tables", "maps", "report"]
    for stage in stages:
        steps = [(done, total) for s, done, total in calls if s == stage]
        done = [d for d, _ in steps]
        assert done == sorted(done) and steps[-1][0] == steps[-1][1], (stage, steps)
        assert all(d <= t for d, t in steps), (stage, steps)
        inner = {d for d, t in steps if 0 < d < t}
        if stage != "suitability":  # one tile in the small demo
            # Steps in between: tiles of the value pass, kabupaten and draws, files, maps,
            # figures.
            assert len(inner) >= 2, (stage, steps)
    decision = [t for s, _, t in calls if s == "decision"]
    assert max(decision) >= 1 + 1 + 10 + 1  # tables and scores, a kabupaten, 10 draws, coops


# -- one error message, in the command line's words -------------------------------------------


def _screen(stream: str) -> list[str]:
    """What a terminal shows of ``stream``: each line as left by its last carriage return."""
    return [line.split("\r")[-1] for line in stream.split("\n")]


def test_a_failed_run_prints_one_message_and_clears_its_bars(small_demo, tmp_path, monkeypatch,
                                                             run_cli) -> None:
    from aez.errors import InfeasibleError

    run_module = importlib.import_module("aez.pipeline.run")  # the module, not the function
    config = _region(small_demo, tmp_path / "region")
    message = "Region 63.90: nothing fits. Remedy: raise [assign] max_share."

    def infeasible(*args: Any, progress: Any = None, **kwargs: Any) -> Any:
        if progress is not None:
            progress(2, 12)  # part of the way, as a real decision stage fails
        raise InfeasibleError(message)

    monkeypatch.setattr(run_module, "decide", infeasible)
    result = run_cli("run", config)
    assert result.exit_code == 1
    both = result.stdout + result.stderr
    assert both.count("nothing fits") == 1, both
    assert "Traceback" not in both
    shown = [line for line in _screen(result.stderr) if line.strip()]
    assert shown[-1] == f"Error: {message}"
    assert not any(line.startswith("decision") for line in shown), shown  # the bar is wiped
    assert any(line.startswith("inputs") and "/" in line for line in shown)  # finished: kept


def test_cli_and_api_say_the_remedy_in_their_own_words(small_demo, tmp_path, run_cli) -> None:
    from aez.errors import OutputExistsError

    config = _region(small_demo, tmp_path / "region")
    out = config.parent / "aez-out"
    out.mkdir()
    (out / "old.csv").write_text("x\n", encoding="utf-8")
    with pytest.raises(OutputExistsError) as info:
        run(config)
    assert "overwrite=True" in str(info.value) and "--overwrite" not in str(info.value)
    result = run_cli("run", config)
    assert result.exit_code == 1
    assert "--overwrite" in result.stderr and "overwrite=True" not in result.stderr
    assert result.stderr.count("Error:") == 1
