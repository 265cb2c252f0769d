"""The HTML report on the small demo region: content, language, self-containment, bytes.

The report is parsed with :mod:`html.parser`; expected values come from the
decision tables and the class rasters (cells counted here with numpy), never
from the report code. The browser test (``test_report_browser.py``) shares the
run built here.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import re
import string
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import rasterio
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

import aez
from aez.config import loads_config
from aez.crops import load_crops
from aez.errors import ConfigError, DataSourceError, OutputExistsError
from aez.pipeline import StageOptions, decide, evaluate_stack
from aez.render.report import ReportContext, render_report, write_report
from aez.render.report.figures import CROP_MAP_WIDTH
from aez.words import TEXT

CROPS = ["padi_sawah", "jagung", "kelapa_sawit"]
#: Saaty's random consistency index for n = 3 and 4 criteria.
RANDOM_INDEX = {3: 0.58, 4: 0.90}


# -- the run ------------------------------------------------------------------------------------


def demo_config(demo: Path, out: Path, extra: str = "") -> aez.RunConfig:
    """The demo config with three crops, 20 robustness draws and room for three products.

    Eight kecamatan and three products need max_share ≥ 3/8 and min_distinct ≤ 3.
    """
    text = demo.read_text()
    text = re.sub(r"crops = \[[^\]]*\]", f"crops = {CROPS!r}".replace("'", '"'), text)
    for key, value in (("draws", "20"), ("max_share", "0.4"), ("min_distinct", "3")):
        text, n = re.subn(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.M)
        assert n == 1, key
    text = text.replace('dir = "aez-out"', f'dir = "{out.as_posix()}"')
    return loads_config(text + extra, base=demo.parent, source=demo)


def _png(path: Path, width: int, height: int, seed: int) -> Path:
    """A small matplotlib figure of random class colours, saved as PNG."""
    fig = Figure(figsize=(width / 100, height / 100), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.imshow(np.random.default_rng(seed).integers(0, 5, (30, 40)), cmap="RdYlGn",
              interpolation="nearest")
    ax.set_axis_off()
    fig.savefig(path, format="png", metadata={"Software": None})
    return path


_RUNS: dict[Path, dict[str, Any]] = {}


def demo_run(demo: Path, folder: Path) -> dict[str, Any]:
    """Suitability of three crops, the decision and some figures (built once per session)."""
    if demo not in _RUNS:
        config = demo_config(demo, folder / "out")
        stack = aez.LayerStack.from_config(config)
        crops = load_crops(config.evaluate.crops)
        totals = evaluate_stack(stack, crops, folder / "suit",
                                constraints=list(config.constraints.values()),
                                options=StageOptions(executor="threads"),
                                zonal_means=("travel_time",))
        decision = decide(config, totals, stack.study_area, stack.grid)
        figures = {"overview": _png(folder / "overview.png", 400, 300, 1),
                   "products": _png(folder / "products.png", 400, 300, 2),
                   "suitability/jagung": _png(folder / "jagung.png", 1200, 900, 3),
                   "suitability/padi_sawah": _png(folder / "padi.png", 300, 240, 4),
                   "limits/padi_sawah": _png(folder / "padi_limits.png", 300, 240, 5)}
        _RUNS[demo] = {"config": config, "stack": stack, "crops": crops, "totals": totals,
                       "decision": decision, "figures": figures}
    return _RUNS[demo]


def demo_districts(run: dict[str, Any]) -> Any:
    """The kecamatan polygons of the run, with their ids in ``kecamatan_id``."""
    area = run["stack"].study_area
    return area.districts.rename(columns={area.id_column: "kecamatan_id"})[
        ["kecamatan_id", "geometry"]]


def demo_context(run: dict[str, Any], **changes: Any) -> ReportContext:
    fields = {"region": "Kabupaten Muara Batola", "date": "2024-11-28", "aez_version": "0.1.0",
              "grid": run["stack"].grid, "config": run["config"], "decision": run["decision"],
              "crops": run["crops"], "figures": run["figures"],
              "timings": {"suitability": 6.25, "decision": 1.5}, "synthetic": True,
              "districts": demo_districts(run)}
    return ReportContext(**(fields | changes))


@pytest.fixture(scope="module")
def run(small_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return demo_run(small_demo, tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def reports(run, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    return {lang: write_report(folder / f"report_{lang}.html", demo_context(run), lang=lang)
            for lang in ("id", "en")}


# -- parsing ------------------------------------------------------------------------------------


class Page(HTMLParser):
    """Elements with their attributes, the text of each element with an id or data-*."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.headings: list[str] = []
        self._open: list[tuple[str, dict[str, str], list[str]]] = []
        self.rows: dict[tuple[str, str], list[str]] = {}  # (tag, data-* value) → texts
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag not in ("img", "br", "meta", "input"):
            self._open.append((tag, attributes, []))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            name, attributes, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            if name in ("h1", "h2", "h3", "h4"):
                self.headings.append(text)
            for key in ("data-kecamatan", "data-criterion", "data-crop"):
                if key in attributes:
                    self.rows.setdefault((name, attributes[key]), []).append(text)
            if self._open:
                self._open[-1][2].append(" " + "".join(parts) + " ")
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._open:
            self._open[-1][2].append(data)

    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def _parse(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def _number(text: str, lang: str) -> float:
    """A number as the report writes it: "1.234,5" in id, "1,234.5" in en."""
    if lang == "id":
        text = text.replace(".", "").replace(",", ".")
    return float(text.replace(",", "").rstrip("%"))


# -- tests --------------------------------------------------------------------------------------


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    assert set(TEXT["id"]) == set(TEXT["en"])
    for key, value in TEXT["id"].items():
        fields = {f for _, f, _, _ in string.Formatter().parse(value) if f}
        other = {f for _, f, _, _ in string.Formatter().parse(TEXT["en"][key]) if f}
        assert fields == other, key


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_kecamatan_with_its_product(run, reports, lang) -> None:
    page = _parse(reports[lang])
    table = run["decision"].kecamatan
    names = {c.id: c.name_id if lang == "id" else c.name_en for c in run["crops"]}
    rows = {value: texts for (tag, value), texts in page.rows.items()
            if tag == "tr" and value.startswith("63.")}
    assert set(rows) == set(table.index)
    for kid, row in table.iterrows():
        text = rows[kid][0]
        assert row["kecamatan"] in text and names[row["product"]] in text
        stars = text.count("★")
        assert stars == 5
    # The star tier: filled stars are the ones outside the "off" spans.
    html = reports[lang].read_text(encoding="utf-8")
    for kid, row in table.iterrows():
        cell = re.search(rf'data-kecamatan="{re.escape(kid)}">.*?<span class="stars"[^>]*>(.*?)'
                         r"</span></td>", html, flags=re.S)
        assert cell is not None
        off = cell.group(1).count('class="off"')
        assert 5 - off == row["tier"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_nothing_points_outside_the_file(run, reports, lang) -> None:
    html = reports[lang].read_text(encoding="utf-8")
    page = Page(html)
    ids = {a["id"] for _, a in page.tags if "id" in a}
    sources = [a["src"] for _, a in page.tags if "src" in a]
    links = [a["href"] for _, a in page.tags if "href" in a]
    assert sources and links
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    # Links go to a section, or to a figure's full-resolution file relative to the report.
    inside = [h for h in links if h.startswith("#")]
    files = [h for h in links if not h.startswith("#")]
    assert all(h[1:] in ids for h in inside)
    full = {p.resolve() for p in run["figures"].values()}
    assert {(reports[lang].parent / h).resolve() for h in files} == full
    assert all(not re.match(r"^[a-z]+:", h) for h in files)
    # The one script is inline, and every url() names a pattern of the page.
    assert [a for t, a in page.tags if t == "script"] == [{}]
    assert {t for t, _ in page.tags}.isdisjoint({"link", "iframe", "object", "embed"})
    assert set(re.findall(r"url\((.*?)\)", html)) <= {f"#{i}" for i in ids}
    assert "@import" not in html and "fetch(" not in html and "XMLHttpRequest" not in html
    assert "http://" not in html and "https://" not in html and "file:" not in html


def test_each_language_speaks_only_itself(reports) -> None:
    for lang, other in (("id", "en"), ("en", "id")):
        page = _parse(reports[lang])
        assert ('html', {"lang": lang}) in page.tags
        headings = [re.sub(r"^\d+ ", "", h) for h in page.headings]  # "1 Wilayah studi …"
        for key in ("section.area", "section.method", "section.assignment",
                    "section.commodities", "section.limitations", "toc"):
            assert TEXT[lang][key] in headings
            assert TEXT[other][key] not in headings
        # No sentence or label of the other language anywhere in the text.
        text = page.all_text()
        foreign = [v for k, v in TEXT[other].items() if "{" not in v and len(v) > 12
                   and v != TEXT[lang][k]]
        assert foreign
        assert [v for v in foreign if v in text] == []
    assert "without it" not in _parse(reports["id"]).all_text()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_weights_shown_are_the_decisions(run, reports, lang) -> None:
    html = reports[lang].read_text(encoding="utf-8")
    shown = dict(re.findall(r'<tr data-criterion="(\w+)">.*?<td class="num">([^<]+)</td></tr>',
                            html))
    weights = run["decision"].scores.weights
    assert set(shown) == set(weights)
    for criterion, weight in weights.items():
        assert _number(shown[criterion], lang) == pytest.approx(weight, abs=5e-4)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_hectares_per_class_match_the_class_rasters(run, reports, lang) -> None:
    page = _parse(reports[lang])
    cell_ha = float(np.prod(run["stack"].grid.res)) / 1e4
    for crop in CROPS:
        with rasterio.open(run["totals"][crop].paths["class"]) as src:
            classes = src.read(1)
        cells = page.rows[("tr", crop)][0].split()
        numbers = [c for c in cells if re.fullmatch(r"[\d.,]+", c)]
        # S1, S2, S3, N and X hectares come first among the bare numbers of the row.
        for code, text in zip((1, 2, 3, 4, 5), numbers[:5], strict=True):
            assert _number(text, lang) == pytest.approx((classes == code).sum() * cell_ha, abs=0.5)


def test_numbers_follow_the_language(run, reports) -> None:
    grid = run["stack"].grid
    extent = grid.width * grid.height * float(np.prod(grid.res)) / 1e4  # ha
    assert extent > 1000
    english = f"{extent:,.0f} ha"
    indonesian = english.replace(",", ".")
    assert english in _parse(reports["en"]).all_text()
    assert indonesian in _parse(reports["id"]).all_text()
    assert "28 November 2024" in _parse(reports["id"]).all_text()


def test_same_bytes_and_no_overwrite(run, reports, tmp_path, temp_leftovers) -> None:
    again = write_report(tmp_path / "again.html", demo_context(run), lang="id")
    assert again.read_bytes() == reports["id"].read_bytes()
    before = again.read_bytes()
    with pytest.raises(OutputExistsError, match="overwrite"):
        write_report(again, demo_context(run, region="Lain"), lang="id")
    assert again.read_bytes() == before
    write_report(again, demo_context(run, region="Lain"), lang="id", overwrite=True)
    assert again.read_bytes() != before
    assert temp_leftovers(tmp_path) == []


def test_figures_are_embedded_missing_ones_left_out(run, reports) -> None:
    html = reports["en"].read_text(encoding="utf-8")
    page = Page(html)
    images = {a["alt"]: base64.b64decode(a["src"].split(",", 1)[1])
              for t, a in page.tags if t == "img"}
    overview = next(v for k, v in images.items() if k.startswith("Figure 1."))
    with Image.open(run["figures"]["overview"]) as given, Image.open(io.BytesIO(overview)) as shown:
        # A figure narrower than the screen and of few colours is shown pixel for pixel.
        assert shown.size == given.size
        assert np.array_equal(np.asarray(shown.convert("RGB")), np.asarray(given.convert("RGB")))
    big = images["Suitability class – Maize"]
    with Image.open(io.BytesIO(big)) as image:
        assert image.size == (CROP_MAP_WIDTH, round(900 * CROP_MAP_WIDTH / 1200))
    assert "Limiting factors – Irrigated lowland rice" in images
    assert "Limiting factors – Maize" not in images  # not given
    assert not any("Stability of the product choice" in k for k in images)
    assert len(images) == len(run["figures"])


def test_bad_figures_and_languages_are_refused(run, tmp_path) -> None:
    text = tmp_path / "not.png"
    text.write_text("no image")
    with pytest.raises(DataSourceError, match="not a PNG"):
        render_report(demo_context(run, figures={"overview": text}))
    with pytest.raises(DataSourceError, match="does not exist"):
        render_report(demo_context(run, figures={"overview": tmp_path / "missing.png"}))
    with pytest.raises(ConfigError, match="suitability/kopi"):
        demo_context(run, figures={"suitability/kopi": text})
    with pytest.raises(ConfigError, match="language 'fr'"):
        render_report(demo_context(run), lang="fr")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="crops"):
        demo_context(run, crops=run["crops"][:1])


def test_text_is_escaped(run) -> None:
    html = render_report(demo_context(run, region='<script>alert("x")</script> & Co'))
    assert html.count("<script>") == 1  # the report's own, after the footer
    assert "alert(" not in html.split("<script>")[1]
    assert 'alert("x")' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in html


def test_synthetic_data_are_announced_only_when_synthetic(run) -> None:
    t = TEXT["en"]
    real = Page(render_report(demo_context(run, synthetic=False), lang="en")).all_text()
    fake = Page(render_report(demo_context(run, synthetic=True), lang="en")).all_text()
    assert t["synthetic.banner"] in fake and t["limits.synthetic"] in fake
    assert t["synthetic.banner"] not in real and t["limits.synthetic"] not in real


def test_binding_constraints_are_translated(run, reports) -> None:
    binding = run["decision"].kecamatan["binding"]
    assert binding.map(len).sum() > 0, "the demo needs a binding constraint for this test"
    text = _parse(reports["id"]).all_text()
    assert TEXT["id"]["group.max_share"] in text
    assert "max_share:" not in text


def test_binding_phrases_of_every_form() -> None:
    from aez.render.report.view import _binding

    t, names = TEXT["en"], {"jagung": "Maize", "kedelai": "Soybean"}
    assert _binding("max_per_product: jagung (2/2), kedelai (1/1) full; without it kedelai",
                    t, names) == ("cap of kecamatan per product: Maize (2/2), Soybean (1/1) "
                                  "full; without it: Soybean")
    assert _binding("must_keep fixes jagung; without it kedelai", t, names) == \
        "must keep: Maize; without it: Soybean"
    assert _binding("minimum biophysical class (eligible): without it jagung + kedelai", t,
                    names) == "minimum biophysical class; without it: Maize + Soybean"
    assert _binding("something new", t, names) == "something new"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_cooperative_shortlist(run, reports, lang) -> None:
    page = _parse(reports[lang])
    coops = run["decision"].cooperatives
    for kid, row in run["decision"].kecamatan.iterrows():
        text = page.rows[("tbody", kid)][0]
        mine = coops[(coops["kecamatan"] == kid) & (coops["status"] == "ranked")]
        top = mine.sort_values("rank")["cooperative"].tolist()
        assert all(name in text for name in top[:3])
        assert not any(name in text for name in top[3:] if name not in top[:3])
        assert row["kecamatan"] in text


def test_cooperative_none_rows_are_explicit(run) -> None:
    decision = run["decision"]
    first = decision.kecamatan.index[0]
    coops = decision.cooperatives
    none = pd.DataFrame([{"kecamatan": first, "product": decision.kecamatan.loc[first, "product"],
                          "status": "no_cooperative"}])
    changed = dataclasses.replace(decision, cooperatives=pd.concat(
        [none, coops[coops["kecamatan"] != first]], ignore_index=True))
    page = Page(render_report(demo_context(run, decision=changed), lang="id"))
    assert TEXT["id"]["coop.no_cooperative"] in page.rows[("tbody", first)][0]


def test_without_robustness_or_cooperatives(run) -> None:
    decision = run["decision"]
    bare = dataclasses.replace(
        decision, robustness=None, cooperatives=pd.DataFrame(),
        kecamatan=decision.kecamatan.drop(columns=["probability", "stability"]))
    t = TEXT["id"]
    page = Page(render_report(demo_context(run, decision=bare), lang="id"))
    text = page.all_text()
    assert t["method.robustness.off"] in text and t["assign.no_cooperatives"] in text
    assert t["col.probability"] not in text and t["stability.stable"] not in text
    full = Page(render_report(demo_context(run), lang="id")).all_text()
    assert t["col.probability"] in full and t["stability.stable"] in full


def test_ahp_consistency_ratio(run, small_demo, tmp_path) -> None:
    criteria = ["suitability", "lq", "market_access"]
    matrix = np.array([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]])
    rows = ",\n".join("[" + ", ".join(repr(float(v)) for v in r) + "]" for r in matrix)
    ahp = f'\n[score.ahp]\ncriteria = {criteria!r}\nmatrix = [\n{rows}\n]\n'.replace("'", '"')
    config = demo_config(small_demo, tmp_path / "out", ahp)
    stack = run["stack"]
    decision = decide(config, run["totals"], stack.study_area, stack.grid)
    lam = max(np.linalg.eigvals(matrix).real)
    cr = (lam - 3) / 2 / RANDOM_INDEX[3]  # Saaty: CI / RI, CI = (λmax − n) / (n − 1)
    assert 0 < cr < 0.1
    text = Page(render_report(demo_context(run, config=config, decision=decision),
                              lang="en")).all_text()
    assert f"CR = {cr:.3f}" in text


def test_inputs_tables_and_settings(run, reports) -> None:
    config = run["config"]
    page = _parse(reports["en"])
    html = reports["en"].read_text(encoding="utf-8")
    inputs = re.search(r'<table id="inputs">(.*?)</table>', html, flags=re.S)
    assert inputs is not None
    for name in config.layers:
        assert f'<td class="code">{name}</td>' in inputs.group(1)
    for path in ("socioeconomic/produksi.csv", "kecamatan_crosswalk.csv", "terrain/dem.tif"):
        assert path in html
    assert "/tmp" not in page.all_text()
    text = page.all_text()
    assert "Maximum share of kecamatan per product 40%" in text
    assert "20 draws" in text and "seed 1" in text


@pytest.mark.parametrize("lang", ["id", "en"])
def test_each_kabupaten_solve_is_shown_with_its_status_and_gap(run, reports, lang) -> None:
    solves = run["decision"].solves
    assert len(solves) >= 1
    html = reports[lang].read_text(encoding="utf-8")
    table = re.search(r'<table id="solves" class="compact">(.*?)</table>', html, flags=re.S)
    assert table is not None
    rows = re.findall(r"<tr><td>([^<]*)</td>((?:<td[^>]*>[^<]*</td>)*)</tr>", table.group(1))
    assert [region for region, _ in rows] == [str(r) for r in solves.index]
    for (_, cells), (_, row) in zip(rows, solves.iterrows(), strict=True):
        values = re.findall(r"<td[^>]*>([^<]*)</td>", cells)
        assert values[0] == str(row["n_kecamatan"]) and values[3] == row["status"]
        assert values[5] == row["note"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_lq_basket_reference_and_normalisation_are_stated(run, reports, lang) -> None:
    t = TEXT[lang]
    html = reports[lang].read_text(encoding="utf-8")
    page = _parse(reports[lang])
    text = page.all_text()
    basket = run["decision"].evidence.basket
    n = len(basket.groups[""])  # the demo's table has no group column: one basket
    assert "Σ<sub>j∈B</sub>" in html
    assert t["basket.single"].format(n=n) in text
    kecamatan = len(run["decision"].kecamatan)
    assert t["reference.study_area"].format(n=kecamatan, region="Kabupaten Muara Batola") in text
    lq_row = page.rows[("tr", "lq")][0]
    assert t["norm.log"].format(cap="4", within=t["within.all"]) in lq_row
    assert t["norm.rank"].format(within=t["within.all"]) in page.rows[("tr", "growth")][0]
    assert t["setting.require_base"] in text


def test_a_mixed_basket_is_stated_as_a_choice(run) -> None:
    decision = run["decision"]
    evidence = decision.evidence
    crops = list(decision.scores.commodities)
    mixed = dataclasses.replace(evidence.basket, basket="evaluated", groups={"": tuple(crops)},
                                group_of={c: ("fruit" if i % 2 else "food")
                                          for i, c in enumerate(crops)})
    assert mixed.mixed_groups == ["food", "fruit"]
    changed = dataclasses.replace(decision, evidence=dataclasses.replace(evidence,
                                                                          basket=mixed))
    text = Page(render_report(demo_context(run, decision=changed), lang="en")).all_text()
    assert TEXT["en"]["basket.evaluated"].format(n=len(crops)) in text
    assert TEXT["en"]["basket.mixed"].format(groups="food, fruit", measure="production",
                                             basket="evaluated") in text


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_row_shows_role_evidence_and_flags(run, reports, lang) -> None:
    t = TEXT[lang]
    page = _parse(reports[lang])
    table = run["decision"].kecamatan
    assert table["flags"].map(len).sum() > 0, "the demo needs a flagged product for this test"
    for kid, row in table.iterrows():
        text = page.rows[("tr", kid)][0]
        assert t[f"role.{row['role']}"] in text
        tons = f"{row['production']:,.1f} t ({row['production_year']})"
        if lang == "id":
            tons = tons.replace(",", "#").replace(".", ",").replace("#", ".")
        assert tons in text
        for flag in row["flags"]:
            if flag in ("development", "no_alternative"):
                assert t[f"flag.{flag}"] in text
        if row["stability"] == "no_alternative":
            assert t["stability.no_alternative"] in text
            assert t["stability.stable"] not in text.replace(t["stability.no_alternative"], "")


# -- the interactive map ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_map_shapes_and_panels_match_the_table(run, reports, lang) -> None:
    html = reports[lang].read_text(encoding="utf-8")
    page = Page(html)
    table = run["decision"].kecamatan
    names = {c.id: c.name_id if lang == "id" else c.name_en for c in run["crops"]}
    shapes = {a["data-kec"]: a for t, a in page.tags if t == "path" and "data-kec" in a}
    assert set(shapes) == set(table.index)
    patterns = set(re.findall(r'<pattern id="([^"]+)"', html))
    for kid, row in table.iterrows():
        shape = shapes[kid]
        assert shape["tabindex"] == "0" and shape["role"] == "button"
        assert shape["aria-label"] == f"{row['kecamatan']}: {names[row['product']]}"
        # The fill is the chip colour of the product in the table (or its hatched pattern).
        chip = re.search(rf'<tr data-kecamatan="{re.escape(kid)}">.*?background:(#[0-9a-f]{{6}})',
                         html, flags=re.S).group(1)
        fill = shape["fill"]
        if fill.startswith("url(#"):
            pattern = re.search(rf'<pattern id="{re.escape(fill[5:-1])}"[^>]*><rect [^>]*'
                                r'fill="(#[0-9a-f]{6})"', html)
            assert fill[5:-1] in patterns and pattern.group(1) == chip
        else:
            assert fill == chip
        # Its panel: the product, the alternatives with their scores, every criterion.
        panel = re.search(rf'<template id="panel-{re.escape(kid)}">(.*?)</template>', html,
                          flags=re.S).group(1)
        text = Page(panel).all_text()
        assert row["kecamatan"] in text and names[row["product"]] in text
        for i in (1, 2, 3):
            if isinstance(row[f"alternative_{i}"], str):
                score = f"{row[f'alternative_{i}_score']:.3f}"
                score = score.replace(".", ",") if lang == "id" else score
                assert f"{names[row[f'alternative_{i}']]} ({score})" in text
        for criterion in run["decision"].scores.weights:
            assert TEXT[lang].get(f"criterion.{criterion}", criterion) in text


def test_without_districts_there_is_no_map(run) -> None:
    html = render_report(demo_context(run, districts=None), lang="en")
    assert "<svg" not in html and "<template" not in html
    assert html.count("<img ") == len(run["figures"])


def test_districts_must_cover_the_decision(run) -> None:
    districts = demo_districts(run)
    with pytest.raises(ConfigError, match="lack kecamatan"):
        demo_context(run, districts=districts.iloc[1:])
    with pytest.raises(ConfigError, match="kecamatan_id"):
        demo_context(run, districts=districts.rename(columns={"kecamatan_id": "kode"}))
