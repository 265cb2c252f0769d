"""End to end: ``aez run`` on the small demo region, and ``aez validate``.

One run (threads, tile 512) is shared by the artefact checks; the byte-identity
test repeats it serially with another tile size and on a local dask cluster.
The region keeps 11 commodities and 10 robustness draws so the three runs
stay quick; everything else is the demo's own config.
"""

from __future__ import annotations

import importlib
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio

from aez.config import load_config, loads_config
from aez.errors import OutputExistsError
from aez.pipeline import run
from aez.render.palette import CLASS_COLOURS, hex_to_rgba

CROPS = ["jagung", "jambu_mete", "jeruk", "kedelai", "kelapa_sawit", "kopi_robusta",
         "padi_gogo", "padi_sawah", "pisang", "sorgum", "ubi_kayu"]


def _region(small_demo: Path, folder: Path, *, output: str = "aez-out") -> Path:
    """A copy of the small demo with fewer crops and draws; returns its config path."""
    shutil.copytree(small_demo.parent, folder)
    config = folder / "config.toml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"crops = \[[^\]]*\]", "crops = " + repr(CROPS).replace("'", '"'), text)
    text = re.sub(r"draws = \d+", "draws = 10", text)
    text = text.replace('dir = "aez-out"', f'dir = "{output}"')
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def demo_run(small_demo, tmp_path_factory):
    config = _region(small_demo, tmp_path_factory.mktemp("run") / "region")
    return run(config, executor="threads", tile_size=512)


def test_every_artefact_is_written_and_readable(demo_run):
    out = demo_run.outdir
    expected = {"config.resolved.toml", "run.log", "districts.gpkg", "districts.qml",
                "tables/kecamatan_products.csv", "tables/aez_tables.xlsx",
                "tables/suitability_by_kecamatan.csv", "tables/scores.csv",
                "tables/cooperatives.csv", "tables/regions.csv", "tables/robustness.csv",
                "tables/potential_production.csv"}
    for crop in CROPS:
        for output in ("class", "potential", "subclass", "index"):
            expected |= {f"rasters/{crop}_{output}.tif", f"rasters/{crop}_{output}.qml"}
        for kind in ("suitability", "limits"):
            expected |= {f"maps/{kind}/{crop}.png", f"maps/{kind}/{crop}.pdf"}
    for name in ("overview", "products", "robustness", "value"):
        expected |= {f"maps/{name}.png", f"maps/{name}.pdf"}
    expected.add("report.html")
    assert expected <= set(demo_run.files)
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert on_disk == set(demo_run.files)
    assert not [p for p in on_disk if ".partial-" in p or ".scratch-" in p]
    workbook = pd.ExcelFile(out / "tables" / "aez_tables.xlsx")
    assert {"kecamatan_products", "suitability", "scores", "robustness",
            "potential_production"} <= set(workbook.sheet_names)
    for qml in out.rglob("*.qml"):
        ET.fromstring(qml.read_text(encoding="utf-8").split("\n", 1)[1])  # after the DOCTYPE
    assert "Stage decision done" in (out / "run.log").read_text(encoding="utf-8")
    for png in out.glob("maps/*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (out / "report.html").read_text(encoding="utf-8")
    for name in demo_run.decision.kecamatan["kecamatan"]:
        assert name in html


def test_class_rasters_are_cogs_with_colours_and_provenance(demo_run):
    path = demo_run.files["rasters/jagung_class.tif"]
    with rasterio.open(path) as src:
        assert src.tags(ns="IMAGE_STRUCTURE")["LAYOUT"] == "COG"
        assert src.overviews(1)
        assert src.colormap(1)[1] == hex_to_rgba(CLASS_COLOURS[1])
        assert src.colormap(1)[4] == hex_to_rgba(CLASS_COLOURS[4])
        tags = src.tags()
        assert tags["AEZ_CROP"] == "jagung" and tags["AEZ_VERSION"]
        classes = src.read(1)
    # The hectares in the tables come from the same pixels: S1–S3 cells × cell area.
    summary = demo_run.decision.summary
    suitable = summary.loc[summary["commodity"] == "jagung", "suitable_ha"].sum()
    cell_ha = abs(src.res[0] * src.res[1]) / 1e4
    assert suitable == pytest.approx(np.isin(classes, [1, 2, 3]).sum() * cell_ha, rel=1e-9)


def test_districts_gpkg_covers_every_kecamatan(demo_run):
    path = demo_run.files["districts.gpkg"]
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert {"kecamatan", "kecamatan_commodity", "layer_styles"} <= layers
    kecamatan = gpd.read_file(path, layer="kecamatan")
    config = demo_run.config
    study = gpd.read_file(config.study_area.path)
    assert sorted(kecamatan["kecamatan_id"]) == sorted(study[config.study_area.id_column])
    assert kecamatan["product"].notna().all() and set(kecamatan["product"]) <= set(CROPS)
    assert kecamatan["probability"].between(0, 1).all()
    for column in ("alternative_1", "stability", "tier", "si_jagung", "ha_padi_sawah",
                   "role", "klassen", "production", "production_share", "flags"):
        assert column in kecamatan.columns
    assert set(kecamatan["role"]) <= {"unggulan", "potensial", "none"}
    long = gpd.read_file(path, layer="kecamatan_commodity")
    assert len(long) == len(kecamatan) * len(CROPS)
    assert {"role", "klassen", "production", "falling"} <= set(long.columns)
    styles = pyogrio.read_dataframe(path, layer="layer_styles", read_geometry=False)
    assert styles.loc[0, "f_table_name"] == "kecamatan" and "categorizedSymbol" in \
        styles.loc[0, "styleQML"]


def test_resolved_config_reproduces_the_run_settings(demo_run):
    text = demo_run.files["config.resolved.toml"].read_text(encoding="utf-8")
    again = loads_config(text, base="/")
    assert again.to_dict(relative=False) == demo_run.config.to_dict(relative=False)
    assert again.run.tile_size == 512 and again.run.executor == "threads"


def _attributes(path: Path) -> dict[str, pd.DataFrame]:
    """Every layer of a GeoPackage as a plain frame, geometry as WKB."""
    out = {}
    for layer, _ in pyogrio.list_layers(path):
        frame = pyogrio.read_dataframe(path, layer=layer)
        if isinstance(frame, gpd.GeoDataFrame):
            frame = pd.DataFrame(frame.drop(columns="geometry")).assign(
                wkb=frame.geometry.to_wkb())
        out[layer] = frame
    return out


@pytest.mark.slow
def test_same_bytes_whatever_the_executor_and_tile_size(demo_run, small_demo, tmp_path):
    pytest.importorskip("distributed")
    base = demo_run.outdir
    suffixes = (".tif", ".csv", ".qml", ".xlsx", ".png", ".pdf", ".html", ".gpkg")
    compared = [name for name in demo_run.files if name.endswith(suffixes)]
    for executor, tile in (("serial", 200), ("dask", 384)):
        config = _region(small_demo, tmp_path / executor)
        other = run(config, executor=executor, tile_size=tile, workers=2)
        for name in compared:
            assert (other.outdir / name).read_bytes() == (base / name).read_bytes(), \
                f"{name} differs under {executor}"
        mine, theirs = _attributes(base / "districts.gpkg"), \
            _attributes(other.outdir / "districts.gpkg")
        for layer, frame in mine.items():
            pd.testing.assert_frame_equal(theirs[layer], frame, check_exact=True)


def test_refuses_a_non_empty_folder_without_overwrite(demo_run, snapshot):
    before = snapshot(demo_run.outdir)
    with pytest.raises(OutputExistsError, match=r"not empty.*overwrite=True") as info:
        run(demo_run.config)
    assert "--overwrite" not in str(info.value)  # the API speaks of its own argument
    assert snapshot(demo_run.outdir) == before


def test_a_failed_run_leaves_no_file_under_a_final_name(small_demo, tmp_path, monkeypatch,
                                                        temp_leftovers):
    run_module = importlib.import_module("aez.pipeline.run")  # the module, not the function
    config = _region(small_demo, tmp_path / "region")

    def broken(*args, **kwargs):
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-run

    monkeypatch.setattr(run_module, "decide", broken)
    with pytest.raises(KeyboardInterrupt):
        run(config)
    out = load_config(config).output.dir
    assert not temp_leftovers(out)
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    # The rasters of the finished stage are complete files; nothing of later stages exists.
    assert "run.failed.log" in written and "run.log" not in written
    assert not [w for w in written if w.startswith("tables/") or w.endswith(".gpkg")]
    with rasterio.open(out / "rasters" / "jagung_class.tif") as src:
        assert src.read(1).any()


def test_cli_run_and_validate(run_cli, small_demo, tmp_path):
    config = _region(small_demo, tmp_path / "region")
    result = run_cli("validate", config)
    assert result.exit_code == 0, result.output
    assert "kecamatan: 8" in result.output and "valid." in result.output
    broken = config.read_text(encoding="utf-8").replace('"jagung"', '"jagungg"')
    config.write_text(broken, encoding="utf-8")
    result = run_cli("validate", config)
    assert result.exit_code == 1
    assert "jagungg" in result.output and "Traceback" not in result.output
