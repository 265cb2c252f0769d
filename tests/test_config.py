"""The TOML run config: path resolution, immutability, typed keys, and a folder-free hash."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from aez.assign.score import Normalisation
from aez.config import load_config, loads_config
from aez.errors import ConfigError, DataSourceError

MINIMAL = """
[grid]
crs = "EPSG:32750"
resolution = 50
bounds = [500000, 9000000, 510000, 9010000]

[layers.dem]
path = "dem.tif"
units = "m"
"""


def with_lines(*extra: str) -> str:
    return MINIMAL + "\n".join(extra) + "\n"


# -- paths ------------------------------------------------------------------------------------


def test_relative_paths_resolve_against_the_config_folder(tmp_path, monkeypatch):
    folder = tmp_path / "proyek" / "sikka"
    folder.mkdir(parents=True)
    config = folder / "run.toml"
    config.write_text(with_lines(
        "[study_area]", 'path = "batas/kecamatan.gpkg"', 'id_column = "kode"',
        "[layers.rain]", 'path = "../iklim/hujan.tif"',
        "[output]", 'dir = "hasil"',
    ), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the working directory must not matter
    cfg = load_config(Path("proyek/sikka/run.toml"))
    assert cfg.layers["dem"].path == folder.resolve() / "dem.tif"
    assert cfg.layers["rain"].path == (tmp_path / "proyek" / "iklim" / "hujan.tif").resolve()
    assert cfg.study_area is not None
    assert cfg.study_area.path == folder.resolve() / "batas" / "kecamatan.gpkg"
    assert cfg.output.dir == folder.resolve() / "hasil"


def test_absolute_paths_are_kept(tmp_path):
    absolute = tmp_path / "elsewhere" / "dem.tif"
    cfg = loads_config(MINIMAL.replace('"dem.tif"', f'"{absolute.as_posix()}"'),
                       base=tmp_path / "cfg")
    assert cfg.layers["dem"].path == absolute.resolve()


def test_loads_config_resolves_against_base():
    cfg = loads_config(MINIMAL, base="/data/sikka")
    assert cfg.layers["dem"].path == Path("/data/sikka/dem.tif").resolve()
    assert cfg.grid.resolution == 50.0 and isinstance(cfg.grid.resolution, float)
    assert cfg.grid.bounds == (500000.0, 9000000.0, 510000.0, 9010000.0)


# -- immutability -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "attribute", "value"),
    [
        (lambda c: c, "grid", None),
        (lambda c: c.grid, "resolution", 10.0),
        (lambda c: c.run, "executor", "dask"),
        (lambda c: c.output, "dir", Path("/tmp")),
        (lambda c: c.layers["dem"], "units", "ft"),
    ],
    ids=["RunConfig", "GridConfig", "RunSettings", "OutputConfig", "LayerSpec"],
)
def test_config_objects_are_frozen(part, attribute, value):
    cfg = loads_config(MINIMAL, base="/data")
    target = part(cfg)
    assert dataclasses.is_dataclass(target)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(target, attribute, value)


# -- types and keys ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        (MINIMAL.replace("resolution = 50", 'resolution = "fifty"'), "grid.resolution",
         "a number"),
        (MINIMAL.replace("resolution = 50", "resolution = true"), "grid.resolution", "a number"),
        (with_lines("[run]", "tile_size = 256.5"), "run.tile_size", "a whole number"),
        (with_lines("band = \"one\""), "layers.dem.band", "a whole number"),
        (with_lines("all_touched = 1"), "layers.dem.all_touched", "true or false"),
        (MINIMAL.replace('units = "m"', "units = 3"), "layers.dem.units", "text in quotes"),
        (MINIMAL.replace("bounds = [500000, 9000000, 510000, 9010000]", "bounds = [1, 2, 3]"),
         "grid.bounds", "a list of 4 items"),
        (MINIMAL.replace('path = "dem.tif"', "path = 5"), "layers.dem.path", "a file path"),
    ],
    ids=["text-for-number", "bool-for-number", "float-for-int", "text-for-int",
         "int-for-bool", "int-for-text", "short-list", "int-for-path"],
)
def test_type_errors_name_the_key_path(text, key, expected):
    with pytest.raises(ConfigError) as info:
        loads_config(text, base="/data")
    message = str(info.value)
    assert key in message
    assert expected in message


def test_unknown_key_is_named_with_a_suggestion():
    with pytest.raises(ConfigError) as info:
        loads_config(MINIMAL.replace("resolution = 50", "resolutoin = 50"), base="/data")
    message = str(info.value)
    assert "'grid.resolutoin'" in message
    assert "Did you mean 'resolution'?" in message


def test_unknown_key_in_a_layer_is_named():
    with pytest.raises(ConfigError, match=r"'layers\.dem\.unit'.*'units'"):
        loads_config(MINIMAL.replace('units = "m"', 'unit = "m"'), base="/data")


def test_unknown_table_is_named():
    with pytest.raises(ConfigError, match=r"unknown key 'outputs'.*'output'"):
        loads_config(with_lines("[outputs]", 'dir = "x"'), base="/data")


@pytest.mark.parametrize("executor", ["serial", "threads", "dask"])
def test_executor_accepts_the_literal_choices(executor):
    cfg = loads_config(with_lines("[run]", f'executor = "{executor}"'), base="/data")
    assert cfg.run.executor == executor


@pytest.mark.parametrize("executor", ["processes", "Threads", ""])
def test_executor_refuses_other_values(executor):
    with pytest.raises(ConfigError) as info:
        loads_config(with_lines("[run]", f'executor = "{executor}"'), base="/data")
    message = str(info.value)
    assert "run.executor" in message
    assert "'serial', 'threads', 'dask'" in message


def test_run_settings_are_range_checked():
    with pytest.raises(ConfigError, match="tile_size = 8"):
        loads_config(with_lines("[run]", "tile_size = 8"), base="/data")
    with pytest.raises(ConfigError, match=r"min_coverage = 1\.5"):
        loads_config(with_lines("[run]", "min_coverage = 1.5"), base="/data")


def test_defaults():
    cfg = loads_config(MINIMAL, base="/data")
    assert cfg.run.executor == "serial"
    assert cfg.run.tile_size == 512
    assert cfg.run.min_coverage == 0.99
    assert cfg.study_area is None
    assert cfg.layers["dem"].kind == "continuous"


def test_score_normalise_lq_basket_and_require_base():
    cfg = loads_config(MINIMAL, base="/data")
    assert cfg.score.normalise == {} and cfg.assign.require_base
    assert (cfg.score.lq.basket, cfg.score.lq.measure, cfg.score.lq.reference) == (
        "group", "production", None)
    cfg = loads_config(with_lines(
        "[score.normalise]", 'lq = { method = "log", cap = 3 }',
        'market_access = { method = "capped", quantile = 0.95, within = "kabupaten" }',
        "suitability = { bounds = [0, 90] }",
        "[score.lq]", 'basket = "evaluated"', 'measure = "area"', 'reference = "prov.csv"',
        "[assign]", "require_base = false"), base="/data")
    assert cfg.score.normalise["lq"].spec() == Normalisation("log", cap=3.0)
    assert cfg.score.normalise["market_access"].spec() == Normalisation(
        "capped", within="kabupaten", quantile=0.95)
    assert cfg.score.normalise["suitability"].bounds == (0.0, 90.0)
    assert cfg.score.lq.basket == "evaluated" and cfg.score.lq.measure == "area"
    assert cfg.score.lq.reference == Path("/data/prov.csv").resolve()
    assert cfg.score.lq.reference in cfg.input_paths
    assert not cfg.assign.require_base
    assert loads_config(cfg.to_toml()).score == cfg.score  # written and read back


@pytest.mark.parametrize("lines, message", [
    (["[score.normalise]", 'lq = { method = "zscore" }'], "score.normalise.lq.method"),
    (["[score.normalise]", 'lq = { method = "rank", cap = 2 }'], r"score\.normalise\.lq\]"),
    (["[score.normalise]", 'lq = { method = "capped" }'], "needs a cap"),
    (["[score.normalise]", 'yield = { method = "rank" }'], "not a criterion"),
    (["[score.normalise]", 'lq = { method = "log", cap = 0.5 }'], "above 1"),
    (["[score.lq]", 'basket = "fruit"'], "score.lq.basket"),
    (["[score.normalise]", 'lq = { method = "log", bounds = [0, 3] }'], "bounds fix"),
    (["[assign]", 'require_base = "yes"'], "true or false"),
])
def test_bad_score_sections_are_named(lines, message):
    with pytest.raises(ConfigError, match=message):
        loads_config(with_lines(*lines), base="/data")


# -- required parts ---------------------------------------------------------------------------


def test_missing_layers_is_an_error():
    text = MINIMAL.split("[layers.dem]")[0]
    with pytest.raises(ConfigError, match=r"no layers.*\[layers\.NAME\]"):
        loads_config(text, base="/data")


def test_empty_layers_table_is_an_error():
    text = MINIMAL.split("[layers.dem]")[0] + "[layers]\n"
    with pytest.raises(ConfigError, match="no layers"):
        loads_config(text, base="/data")


def test_layer_without_path_is_an_error():
    with pytest.raises(ConfigError, match=r"\[layers\.dem\] needs the key 'path'"):
        loads_config(MINIMAL.replace('path = "dem.tif"\n', ""), base="/data")


def test_missing_config_file_is_a_data_source_error(tmp_path):
    with pytest.raises(DataSourceError, match="does not exist"):
        load_config(tmp_path / "nope.toml")


# -- hash -------------------------------------------------------------------------------------


def test_hash_is_stable_when_the_folder_moves(tiny_region, tmp_path):
    moved = tmp_path / "another" / "place"
    shutil.copytree(tiny_region.parent, moved)
    original, copy = load_config(tiny_region), load_config(moved / tiny_region.name)
    assert original.layers["dem"].path != copy.layers["dem"].path
    assert copy.hash == original.hash
    assert len(original.hash) == 16 and int(original.hash, 16) >= 0
    assert copy.to_dict() == original.to_dict()
    assert copy.to_dict()["layers"]["dem"]["path"] == "dem.tif"


def test_hash_changes_with_content(tiny_region, tmp_path):
    shutil.copytree(tiny_region.parent, tmp_path / "r")
    config = tmp_path / "r" / tiny_region.name
    before = load_config(config).hash
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("resolution = 20", "resolution = 40"), encoding="utf-8")
    assert load_config(config).hash != before


def test_hash_ignores_formatting_and_key_order():
    reordered = """
# the same run, written differently
[layers.dem]
units = "m"
path = "dem.tif"

[grid]
bounds = [500000, 9000000, 510000, 9010000]
resolution = 50.0
crs = "EPSG:32750"
"""
    assert loads_config(reordered, base="/data").hash == loads_config(MINIMAL, base="/data").hash


def test_resolved_toml_loads_back_to_the_same_config(small_demo):
    """to_toml fills in defaults and absolute paths; loading it gives the same settings."""
    config = load_config(small_demo)
    text = config.to_toml()
    again = loads_config(text, base="/")
    assert again.to_dict(relative=False) == config.to_dict(relative=False)
    assert "[layers.travel_time]" in text and 'method = "travel_time"' in text
    assert str(small_demo.parent.resolve()) in text  # paths are absolute


def test_hash_ignores_run_settings_and_output_folder():
    """Executor, tile size and output folder never change results, so not the hash either."""
    other = MINIMAL + '\n[run]\nexecutor = "serial"\ntile_size = 128\n[output]\ndir = "elsewhere"\n'
    assert loads_config(other, base="/data").hash == loads_config(MINIMAL, base="/data").hash
    region = MINIMAL + '\n[output]\nregion = "Kab. Sikka"\n'
    assert loads_config(region, base="/data").hash != loads_config(MINIMAL, base="/data").hash
