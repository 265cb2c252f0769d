"""Bad inputs: each gives its own error class, a message with the problem and the remedy,
and leaves the folder exactly as it was (no outputs, no temporary files).

Two parts:

* the tiny-region cases, checked through the Python API (load the config, open the
  stack, check coverage: what ``aez info`` does) and through ``aez info``;
* :data:`CATALOGUE`, one table of cases on the small demo region: an input mutation →
  the exit code, the error class and the fragments the message must hold (the named file,
  setting or value). Each case runs ``aez validate`` *and* ``aez run``: both exit with the
  same code and the same one-line message, no traceback, ``run`` writes nothing but its
  ``run.failed.log`` (it fails in the checking pass, before computing), and no input
  changes. ``docs/bad-inputs.md`` lists the catalogue (``python tests/test_bad_inputs.py``
  rewrites it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from affine import Affine

from aez.config import load_config
from aez.errors import (
    AEZError,
    ConfigError,
    CoverageError,
    CRSError,
    DataSourceError,
    LayerKindError,
)
from aez.harmonize import LayerStack
from aez.io import read_layer, write_geotiff
from aez.testing import TINY_BOUNDS


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def write_plain_raster(path: Path, *, crs, left: float, top: float) -> None:
    data = np.full((50, 60), 7.0, dtype=np.float32)
    with rasterio.open(path, "w", driver="GTiff", width=60, height=50, count=1,
                       dtype="float32", crs=crs, transform=Affine(100, 0, left, 0, -100, top),
                       nodata=-9999.0) as dst:
        dst.write(data, 1)


# -- the cases ----------------------------------------------------------------------------------


def missing_file(config: Path) -> None:
    config.write_text(replace_once(config.read_text(), 'path = "rainfall_wgs84.tif"',
                                   'path = "hujan_tidak_ada.tif"'))


def no_crs(config: Path) -> None:
    left, _, _, top = TINY_BOUNDS
    write_plain_raster(config.parent / "tanpa_crs.tif", crs=None, left=left - 500, top=top + 500)
    config.write_text(replace_once(config.read_text(), 'path = "dem.tif"',
                                   'path = "tanpa_crs.tif"'))


def no_overlap(config: Path) -> None:
    # Same CRS, 200 km east of the region (as if the wrong UTM zone had been assigned).
    left, _, _, top = TINY_BOUNDS
    write_plain_raster(config.parent / "jauh.tif", crs="EPSG:32750", left=left + 200_000,
                       top=top)
    config.write_text(replace_once(config.read_text(), 'path = "dem.tif"',
                                   'path = "jauh.tif"'))


def colour_table_declared_continuous(config: Path) -> None:
    text = replace_once(config.read_text(), 'kind = "categorical"\nlegend = { 1 = "well"',
                        'legend = { 1 = "well"')
    # Drop the legend too, so only the file's colour table says "categorical".
    start = text.index('legend = { 1 = "well"')
    end = text.index("\n", start)
    config.write_text(text[:start] + text[end + 1:])


def legend_on_continuous_layer(config: Path) -> None:
    text = config.read_text()
    config.write_text(replace_once(text, 'kind = "categorical"\nlegend = { 1 = "well"',
                                   'legend = { 1 = "well"'))


def malformed_toml(config: Path) -> None:
    config.write_text(replace_once(config.read_text(), "[run]", "[run"))


def misspelt_key(config: Path) -> None:
    config.write_text(replace_once(config.read_text(), "resolution = 20", "resolutoin = 20"))


def output_is_an_input(config: Path) -> None:
    config.write_text(replace_once(config.read_text(), 'dir = "aez-out"', 'dir = "dem.tif"'))


@dataclass(frozen=True)
class Case:
    break_region: Callable[[Path], None]
    error: type[AEZError]
    says: tuple[str, ...]  # the problem, the value seen, and the remedy
    marks: tuple = field(default=())


CASES = {
    "missing-file": Case(missing_file, DataSourceError,
                         ("hujan_tidak_ada.tif", "does not exist", "Check the path")),
    "no-crs": Case(no_crs, CRSError,
                   ("'dem'", "tanpa_crs.tif", "has no CRS", "gdal_edit.py -a_srs")),
    "no-overlap": Case(no_overlap, CoverageError,
                       ("'dem'", "does not overlap the study area",
                        str((970000.0, 9059000.0, 976000.0, 9064000.0)),
                        str((770000.0, 9040000.0, 800000.0, 9064000.0)),
                        "Check the layer's CRS and extent")),
    "colour-table-declared-continuous": Case(
        colour_table_declared_continuous, LayerKindError,
        ("'drainage'", "declared continuous", "colour table", 'Declare kind = "categorical"')),
    "legend-on-continuous-layer": Case(
        legend_on_continuous_layer, LayerKindError,
        ("layers.drainage", "has a legend", 'declare kind = "categorical"')),
    "malformed-toml": Case(malformed_toml, ConfigError,
                           ("config.toml", "is not valid TOML", "Fix the syntax")),
    "misspelt-key": Case(misspelt_key, ConfigError,
                         ("'grid.resolutoin'", "Did you mean 'resolution'?")),
    "output-is-an-input": Case(output_is_an_input, ConfigError,
                               ("[output] dir", "dem.tif", "is also an input",
                                "Choose another output folder")),
}


def normalise(text: str) -> str:
    return " ".join(text.split())


def broken_region(region_copy, case: Case) -> Path:
    config = region_copy()
    case.break_region(config)
    return config


def open_like_info(config: Path) -> None:
    """What ``aez info`` does before printing: load, open every source, check coverage."""
    LayerStack.from_config(load_config(config)).check_coverage()


# -- through the API ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=k, marks=c.marks) for k, c in CASES.items()]
)
def test_api_raises_a_specific_error_and_writes_nothing(region_copy, snapshot, case):
    config = broken_region(region_copy, case)
    folder = config.parent
    before = snapshot(folder)
    with pytest.raises(AEZError) as info:
        open_like_info(config)
    assert type(info.value) is case.error, f"{type(info.value).__name__}: {info.value}"
    message = normalise(str(info.value))
    for fragment in case.says:
        assert normalise(fragment) in message, f"{fragment!r} not in {message!r}"
    assert snapshot(folder) == before
    assert not (folder / "aez-out").exists()


def test_missing_config_file(tmp_path):
    with pytest.raises(DataSourceError, match=r"nope\.toml does not exist"):
        open_like_info(tmp_path / "nope.toml")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("overwrite", [False, True])
def test_write_geotiff_never_replaces_the_layers_own_source(region_copy, snapshot,
                                                            temp_leftovers, overwrite):
    folder = region_copy().parent
    source = folder / "dem.tif"
    layer = read_layer(source)
    assert layer.source == str(source)
    before = snapshot(folder)
    with pytest.raises(ConfigError) as info:
        write_geotiff(layer, source, overwrite=overwrite)
    message = str(info.value)
    assert "dem.tif" in message and "is also an input" in message
    assert "Choose another output path" in message
    assert snapshot(folder) == before
    assert temp_leftovers(folder) == []


def test_write_geotiff_refuses_the_source_through_another_spelling(region_copy, snapshot,
                                                                   monkeypatch):
    folder = region_copy().parent
    layer = read_layer(folder / "dem.tif")
    before = snapshot(folder)
    monkeypatch.chdir(folder)
    with pytest.raises(ConfigError, match="is also an input"):
        write_geotiff(layer, Path(".") / "sub" / ".." / "dem.tif", overwrite=True)
    assert snapshot(folder) == before


# -- through the CLI ----------------------------------------------------------------------------


CLI_CASES = [pytest.param(c, id=k) for k, c in CASES.items()]


@pytest.mark.parametrize("case", CLI_CASES)
def test_cli_prints_one_error_line_and_exits_1(run_cli, region_copy, snapshot, case):
    config = broken_region(region_copy, case)
    before = snapshot(config.parent)
    result = run_cli("info", config)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(error_lines) == 1, result.stderr
    assert result.stderr.rstrip("\n").endswith(error_lines[0])  # the message is one line
    assert normalise(case.says[-1]) in normalise(error_lines[0])  # with its remedy
    assert result.stdout == ""  # nothing half-printed
    assert snapshot(config.parent) == before


@pytest.mark.parametrize("case", CLI_CASES)
def test_cli_very_verbose_prints_the_traceback(run_cli, region_copy, case):
    config = broken_region(region_copy, case)
    result = run_cli("-vv", "info", config)
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "aez.errors." in result.stderr  # the exception's class, at the traceback's end
    assert result.stderr.rstrip("\n").splitlines()[-1].startswith("Error: ")


def test_cli_missing_config_file(run_cli, tmp_path):
    result = run_cli("info", tmp_path / "nope.toml")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.output


# == the catalogue ==============================================================================
#
# Every case mutates a copy of the small demo region (crops trimmed to four, so a check
# pass costs well under a second) and states what ``aez validate`` and ``aez run`` print.

CATALOGUE_CROPS = ("jagung", "pisang", "padi_sawah", "kelapa_sawit")


@dataclass(frozen=True)
class Bad:
    """One catalogue case: mutate the region, expect this exit, error and message."""

    family: str
    mutate: Callable[[Path], None]
    says: tuple[str, ...]  # fragments: the named file / setting / value, and the remedy
    error: str = "ConfigError"  # the AEZError subclass (by name) of the API call
    exit_code: int = 1


def _text(config: Path, old: str, new: str) -> None:
    config.write_text(replace_once(config.read_text(encoding="utf-8"), old, new),
                      encoding="utf-8")


def edit(old: str, new: str) -> Callable[[Path], None]:
    """Replace ``old`` by ``new`` (once) in the config."""
    return lambda config: _text(config, old, new)


def add(text: str) -> Callable[[Path], None]:
    """Append TOML to the config."""
    def mutate(config: Path) -> None:
        config.write_text(config.read_text(encoding="utf-8") + "\n" + text + "\n",
                          encoding="utf-8")
    return mutate


def key(section: str, line: str) -> Callable[[Path], None]:
    """Insert ``line`` right under the ``[section]`` header."""
    return edit(f"[{section}]\n", f"[{section}]\n{line}\n")


def raster(relpath: str, change: Callable[[np.ndarray], np.ndarray], *,
           nodata: object = "keep", crs: object = "keep") -> Callable[[Path], None]:
    """Rewrite a raster's band 1 with ``change(data)`` (same profile)."""
    def mutate(config: Path) -> None:
        path = config.parent / relpath
        with rasterio.open(path) as src:
            profile, data = src.profile, src.read(1)
        if nodata != "keep":
            profile["nodata"] = nodata
        if crs != "keep":
            profile["crs"] = crs
        out = change(data.copy())
        profile["dtype"] = out.dtype.name
        with rasterio.open(path, "w", **profile) as dst:
            dst.write(out, 1)
    return mutate


def block(value: float, rows: slice = slice(100, 140),
          cols: slice = slice(150, 200)) -> Callable[[np.ndarray], np.ndarray]:
    """Set a block in the middle of the region (inside the study area) to ``value``."""
    def change(data: np.ndarray) -> np.ndarray:
        data[rows, cols] = value
        return data
    return change


def vector(relpath: str, change: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame],
           *, layer: str | None = None) -> Callable[[Path], None]:
    """Rewrite a vector file with ``change(frame)``."""
    def mutate(config: Path) -> None:
        path = config.parent / relpath
        frame = change(gpd.read_file(path, layer=layer))
        path.unlink()
        frame.to_file(path, driver="GPKG")
    return mutate


def table(relpath: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    """Rewrite a CSV's text with ``change(text)``."""
    def mutate(config: Path) -> None:
        path = config.parent / relpath
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return mutate


def write_file(relpath: str, content: bytes) -> Callable[[Path], None]:
    def mutate(config: Path) -> None:
        (config.parent / relpath).write_bytes(content)
    return mutate


def both(*mutations: Callable[[Path], None]) -> Callable[[Path], None]:
    def mutate(config: Path) -> None:
        for m in mutations:
            m(config)
    return mutate


def crop_file(name: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    """Write ``crops/<name>.toml`` (jagung, edited) and list it by its relative path."""
    def mutate(config: Path) -> None:
        from aez.crops import BUILTIN_DIR

        folder = config.parent / "crops"
        folder.mkdir(exist_ok=True)
        text = (BUILTIN_DIR / "jagung.toml").read_text(encoding="utf-8")
        text = text.replace('id = "jagung"', f'id = "{name}"')
        (folder / f"{name}.toml").write_text(change(text), encoding="utf-8")
        _text(config, '"jagung", ', f'"crops/{name}.toml", ')
    return mutate


def sub(old: str, new: str) -> Callable[[str], str]:
    return lambda text: replace_once(text, old, new)


def swap_xy(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    import shapely

    frame = frame.to_crs("EPSG:4326")
    return frame.set_geometry(shapely.transform(frame.geometry.values, lambda xy: xy[:, ::-1]))


def _row(frame: gpd.GeoDataFrame, i: int, **values: object) -> gpd.GeoDataFrame:
    frame = frame.copy()
    for column, value in values.items():
        if column == "geometry":
            frame.geometry.iloc[i] = value  # type: ignore[index]
        else:
            frame.loc[frame.index[i], column] = value
    return frame


def with_geometry(i: int, geometry: object) -> Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]:
    def change(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        frame = frame.copy()
        geoms = list(frame.geometry.values)
        geoms[i] = geometry
        return frame.set_geometry(gpd.GeoSeries(geoms, crs=frame.crs, index=frame.index))
    return change


KELVIN_LAYER = '''
[layers.temperature]
path = "climate/temperature_k.tif"
units = "°C"
role = "temperature"
'''


def kelvin(config: Path) -> None:
    """Replace the derived temperature by a file in kelvin (declared °C)."""
    dem = config.parent / "terrain" / "dem.tif"
    with rasterio.open(dem) as src:
        profile, data = src.profile, src.read(1)
    with rasterio.open(config.parent / "climate" / "temperature_k.tif", "w", **profile) as dst:
        dst.write((299.45 - 0.006 * data).astype(np.float32), 1)
    text = config.read_text(encoding="utf-8")
    start = text.index("[layers.temperature]")
    end = text.index("[layers.travel_time]")
    config.write_text(text[:start] + KELVIN_LAYER.lstrip() + "\n" + text[end:], encoding="utf-8")


def land_units_text(config: Path) -> None:
    """Declare the land-unit polygons continuous and point them at a text column."""
    text = config.read_text(encoding="utf-8")
    text = re.sub(r'(\[layers\.land_units\][^\[]*?)legend = \{[^\n]*\}\n', r"\1", text)
    text = replace_once(text, 'path = "soil/land_units.gpkg"\nkind = "categorical"\nattribute = "spt"',
                        'path = "soil/land_units.gpkg"\nkind = "continuous"\nattribute = "landform"')
    config.write_text(text, encoding="utf-8")


P = "socioeconomic/produksi.csv"
H = "socioeconomic/penduduk.csv"
R = "socioeconomic/harga.csv"


def _row_field(text: str, row: int, column: int, value: str) -> str:
    """Set one comma-separated field of one line of a CSV text (row 0 is the header)."""
    lines = text.splitlines()
    fields = lines[row].split(",")
    fields[column] = value
    lines[row] = ",".join(fields)
    return "\n".join(lines) + "\n"

CATALOGUE: dict[str, Bad] = {
    # -- config: syntax, keys, types -----------------------------------------------------------
    "toml-syntax": Bad("config", edit("[assign]", "[assign"), ("is not valid TOML", "Fix the syntax")),
    "unknown-section": Bad("config", add("[scores]\nx = 1"), ("unknown key 'scores'", "Did you mean 'score'?")),
    "misspelt-grid-key": Bad("config", edit("resolution = 50.0", "resolusi = 50.0"), ("'grid.resolusi'", "Valid keys here")),
    "misspelt-run-key": Bad("config", edit("tile_size = 512", "tilesize = 512"), ("'run.tilesize'", "Did you mean 'tile_size'?")),
    "misspelt-assign-key": Bad("config", edit("max_share = 0.25", "max_shares = 0.25"), ("'assign.max_shares'", "Did you mean 'max_share'?")),
    "misspelt-robustness-key": Bad("config", edit("draws = 50", "draw = 50"), ("'robustness.draw'", "Did you mean 'draws'?")),
    "misspelt-tables-key": Bad("config", edit("crosswalk = ", "crosswalks = "), ("'tables.crosswalks'", "Did you mean 'crosswalk'?")),
    "misspelt-layer-key": Bad("config", edit('path = "climate/rainfall.tif"\nkind', 'path = "climate/rainfall.tif"\nknid'), ("'layers.rainfall.knid'", "Did you mean 'kind'?")),
    "misspelt-study-area-key": Bad("config", edit('id_column = "kode_kemendagri"', 'id_col = "kode_kemendagri"'), ("'study_area.id_col'",)),
    "resolution-text": Bad("config", edit("resolution = 50.0", 'resolution = "fifty"'), ("grid.resolution = 'fifty'", "expected a number")),
    "tile-size-tiny": Bad("config", edit("tile_size = 512", "tile_size = 8"), ("[run] tile_size = 8", "at least 16")),
    "min-coverage-above-1": Bad("config", key("run", "min_coverage = 2.0"), ("[run] min_coverage = 2.0", "expected 0 … 1")),
    "workers-zero": Bad("config", key("run", "workers = 0"), ("[run] workers = 0", "at least 1")),
    "gdal-cache-zero": Bad("config", key("run", "gdal_cache_mb = 0"), ("[run] gdal_cache_mb = 0",)),
    "executor-unknown": Bad("config", edit('executor = "threads"', 'executor = "gpu"'), ("run.executor = 'gpu'", "'serial', 'threads', 'dask'")),
    "aggregate-unknown": Bad("config", key("evaluate", 'aggregate = "mean"'), ("evaluate.aggregate = 'mean'", "'minimum'")),
    "synthetic-not-bool": Bad("config", edit("synthetic = true", 'synthetic = "yes"'), ("output.synthetic = 'yes'", "true or false")),
    "no-layers": Bad("config", lambda c: c.write_text(c.read_text().split("[layers.dem]")[0]), ("declares no layers", "[layers.NAME]")),
    "output-is-input": Bad("config", edit('dir = "aez-out"', 'dir = "terrain/dem.tif"'), ("[output] dir", "is also an input", "Choose another output folder")),
    # -- config: values that used to be dropped ------------------------------------------------
    "weight-negative": Bad("config", edit("lq = 0.2", "lq = -0.2"), ("[score.weights] lq = -0.2", "≥ 0")),
    "weight-nan": Bad("config", edit("lq = 0.2", "lq = nan"), ("[score.weights] lq = nan", "≥ 0")),
    "weight-inf": Bad("config", edit("lq = 0.2", "lq = inf"), ("[score.weights] lq = inf",)),
    "weight-misspelt-criterion": Bad("config", edit("labour = 0.1", "labor = 0.1"), ("criterion 'labor'", "Did you mean 'labour'?")),
    "weight-unknown-criterion": Bad("config", edit("labour = 0.1", "rainfall = 0.1"), ("criterion 'rainfall'", "Criteria: suitability")),
    "weights-all-zero": Bad("config", lambda c: c.write_text(re.sub(r"(\[score\.weights\]\n(?:\w+ = [\d.]+\n)+)", lambda m: re.sub(r"= [\d.]+", "= 0", m.group(1)), c.read_text())), ("are all 0", "positive weight")),
    "weight-text": Bad("config", edit("lq = 0.2", 'lq = "tinggi"'), ("score.weights.lq = 'tinggi'", "expected a number")),
    "draws-negative": Bad("config", edit("draws = 50", "draws = -5"), ("[robustness] draws = -5", "positive number of draws")),
    "draws-float": Bad("config", edit("draws = 50", "draws = 2.5"), ("robustness.draws = 2.5", "whole number")),
    "concentration-zero": Bad("config", key("robustness", "concentration = 0.0"), ("[robustness] concentration = 0.0", "positive")),
    "max-share-above-1": Bad("config", edit("max_share = 0.25", "max_share = 1.5"), ("[assign] max_share = 1.5", "(0, 1]")),
    "max-share-zero": Bad("config", edit("max_share = 0.25", "max_share = 0.0"), ("[assign] max_share = 0.0",)),
    "min-distinct-zero": Bad("config", edit("min_distinct = 4", "min_distinct = 0"), ("[assign] min_distinct = 0", "≥ 1")),
    "min-suitable-share-negative": Bad("config", edit("min_suitable_share = 0.1", "min_suitable_share = -0.1"), ("[assign] min_suitable_share = -0.1", "[0, 1]")),
    "contiguity-negative": Bad("config", edit("contiguity_bonus = 0.02", "contiguity_bonus = -1.0"), ("[assign] contiguity_bonus = -1.0", "≥ 0")),
    "time-limit-zero": Bad("config", key("assign", "time_limit = 0.0"), ("[assign] time_limit = 0.0", "seconds > 0")),
    "per-kecamatan-zero": Bad("config", key("assign", "per_kecamatan = 0"), ("[assign] per_kecamatan = 0",)),
    "max-per-product-zero": Bad("config", key("assign", "max_per_product = 0"), ("[assign] max_per_product = 0",)),
    "assign-min-distinct-too-many": Bad("config", edit("min_distinct = 4", 'min_distinct = 6\nscope = "study_area"'), ("[assign] min_distinct = 6", "only 4 products")),
    "assign-per-kecamatan-too-many": Bad("config", key("assign", "per_kecamatan = 5"), ("[assign] per_kecamatan = 5", "only 4")),
    "assign-must-keep-unknown": Bad("config", key("assign", 'must_keep = { "63.90.01" = "durian" }'), ("[assign] must_keep names ['durian']",)),
    "ahp-not-square": Bad("config", add('[score.ahp]\ncriteria = ["suitability", "lq"]\nmatrix = [[1, 3], [0.333]]'), ("[score.ahp] matrix", "square 2 × 2")),
    "ahp-unknown-criterion": Bad("config", add('[score.ahp]\ncriteria = ["suitability", "soil"]\nmatrix = [[1, 3], [0.333, 1]]'), ("[score.ahp] criteria names the criterion 'soil'",)),
    "ahp-negative": Bad("config", add('[score.ahp]\ncriteria = ["suitability", "lq"]\nmatrix = [[1, -3], [0.333, 1]]'), ("[score.ahp] matrix[0][1] = -3.0", "positive")),
    "ahp-repeats": Bad("config", add('[score.ahp]\ncriteria = ["lq", "lq"]\nmatrix = [[1, 1], [1, 1]]'), ("repeats a name",)),
    "ahp-inconsistent": Bad("config", add('[score.ahp]\ncriteria = ["suitability", "lq", "labour"]\nmatrix = [[1, 9, 0.1111111111111111], [0.1111111111111111, 1, 9], [9, 0.1111111111111111, 1]]'), ("[score.ahp] matrix", "inconsistent: CR = 6.130 > 0.1", "[score.weights] instead")),
    "ahp-not-reciprocal": Bad("config", add('[score.ahp]\ncriteria = ["suitability", "lq"]\nmatrix = [[1, 9], [0.5, 1]]'), ("[score.ahp] matrix", "not reciprocal", "a[0,1] = 9")),
    "ahp-criterion-without-input": Bad("config", both(edit('production = "socioeconomic/produksi.csv"\n', ""), add('[score.ahp]\ncriteria = ["suitability", "lq"]\nmatrix = [[1, 3], [0.333, 1]]')), ("[score.ahp] compares ['lq']", "provide their tables")),
    "evaluate-crops-empty": Bad("config", lambda c: c.write_text(re.sub(r"crops = \[[^\]]*\]", "crops = []", c.read_text())), ("[evaluate] crops is empty", "aez crops list")),
    "evaluate-crops-text": Bad("config", lambda c: c.write_text(re.sub(r"crops = \[[^\]]*\]", 'crops = "jagung"', c.read_text())), ("evaluate.crops = 'jagung'", "expected a list")),
    "crop-unknown": Bad("config", edit('"jagung", ', '"jagungg", '), ("Unknown crop 'jagungg'", "Did you mean 'jagung'", "aez crops list")),
    "crop-twice": Bad("config", edit('"pisang", ', '"pisang", "pisang", '), ("'pisang' is listed twice",)),
    "ecocrop-without-table": Bad("config", edit('"jagung", ', '"ecocrop:maize", '), ("needs an ECOCROP table", "[evaluate]")),
    "constraint-unknown-layer": Bad("config", edit('layer = "peat_depth"', 'layer = "gambut"'), ("[constraints.deep_peat]", "'gambut'", "not declared")),
    "regions-missing": Bad("config", edit('"63.90.08" = "WP Dataran"\n', ""), ("[regions] gives no region", "63.90.08")),
    "regions-unknown": Bad("config", edit('"63.90.08" = "WP Dataran"', '"63.90.08" = "WP Dataran"\n"63.90.99" = "WP Laut"'), ("[regions] names kecamatan ['63.90.99']", "fix the ids")),
    "grid-crs-unknown": Bad("config", edit('crs = "EPSG:32750"', 'crs = "EPSG:999999"'), ("[grid] crs", "EPSG:999999"), error="CRSError"),
    "slope-on-geographic-grid": Bad("config", both(edit('crs = "EPSG:32750"', 'crs = "EPSG:4326"'), edit("resolution = 50.0", "resolution = 0.0005")), ("geographic", "[grid] crs = \"auto\""), error="CRSError"),
    "derived-unknown-method": Bad("config", edit('method = "braak"', 'method = "brak"'), ("'brak'", "Did you mean 'braak'?")),
    "derived-unknown-input": Bad("config", edit('from = "dem"\nmethod = "braak"', 'from = "dtm"\nmethod = "braak"'), ("'dtm'",)),
    # -- layers: files, CRS, kinds ---------------------------------------------------------------
    "layer-file-missing": Bad("raster", edit('"climate/rainfall.tif"', '"climate/hujan.tif"'), ("hujan.tif", "does not exist", "Check the path"), error="DataSourceError"),
    "layer-not-a-raster": Bad("raster", write_file("climate/humidity.tif", b"not a tiff at all"), ("humidity.tif",), error="DataSourceError"),
    "layer-empty-file": Bad("raster", write_file("soil/k2o.tif", b""), ("k2o.tif",), error="DataSourceError"),
    "layer-band-missing": Bad("raster", edit('path = "climate/rainfall.tif"\nkind = "continuous"', 'path = "climate/rainfall.tif"\nband = 2\nkind = "continuous"'), ("band 2", "rainfall.tif", "Set band to 1..1")),
    "layer-band-zero": Bad("raster", edit('path = "climate/rainfall.tif"\nkind = "continuous"', 'path = "climate/rainfall.tif"\nband = 0\nkind = "continuous"'), ("band = 0", "numbered from 1")),
    "layer-kind-unknown": Bad("raster", edit('path = "climate/rainfall.tif"\nkind = "continuous"', 'path = "climate/rainfall.tif"\nkind = "numeric"'), ("kind", "'numeric'")),
    "layer-legend-on-continuous": Bad("raster", edit('path = "soil/drainage.tif"\nkind = "categorical"', 'path = "soil/drainage.tif"\nkind = "continuous"'), ("[layers.drainage] has a legend", 'declare kind = "categorical"'), error="LayerKindError"),
    "layer-resampling-bilinear-categorical": Bad("raster", edit('path = "soil/texture.tif"\nkind = "categorical"', 'path = "soil/texture.tif"\nresampling = "bilinear"\nkind = "categorical"'), ("texture", "bilinear", "nearest, mode"), error="LayerKindError"),
    "layer-units-unknown": Bad("raster", edit('units = "mm/yr"\nrole = "rainfall"', 'units = "inches"\nrole = "rainfall"'), ("Unknown units 'inches'",)),
    "layer-units-wrong": Bad("raster", edit('units = "cm"\nrole = "soil_depth"', 'units = "m"\nrole = "soil_depth"'), ("soil_depth", "'m'")),
    "two-layers-one-role": Bad("raster", edit('units = "%"\nrole = "humidity"', 'units = "%"\nrole = "coarse_fragments"'), ("both provide 'coarse_fragments'", "another `role`")),
    "layer-no-crs": Bad("raster", raster("soil/cec_clay.tif", lambda d: d, crs=None), ("'cec_clay'", "has no CRS", "gdal_edit.py -a_srs"), error="CRSError"),
    # -- layers: values (the streaming pass) -----------------------------------------------------
    "rainfall-negative": Bad("raster", raster("climate/rainfall.tif", block(-50.0)), ("'rainfall'", "2000 cells", "below the plausible minimum", "-50", "[layers.rainfall] nodata"), error="ImplausibleValueError"),
    "rainfall-too-high": Bad("raster", raster("climate/rainfall.tif", block(25_000.0)), ("'rainfall'", "above the plausible maximum", "25000"), error="ImplausibleValueError"),
    "rainfall-plus-inf": Bad("raster", raster("climate/rainfall.tif", block(np.inf)), ("'rainfall'", "+inf", "2000 cells", "[layers.rainfall] nodata"), error="ImplausibleValueError"),
    "rainfall-minus-inf": Bad("raster", raster("climate/rainfall.tif", block(-np.inf)), ("'rainfall'", "-inf"), error="ImplausibleValueError"),
    "rainfall-float32-garbage": Bad("raster", raster("climate/rainfall.tif", block(3.4e38)), ("'rainfall'", "3.4e+38", "float32 extreme", "corrupt block"), error="ImplausibleValueError"),
    "rainfall-negative-garbage": Bad("raster", raster("climate/rainfall.tif", block(-3.4e38)), ("'rainfall'", "-3.4e+38"), error="ImplausibleValueError"),
    "rainfall-all-nan": Bad("raster", raster("climate/rainfall.tif", lambda d: np.full_like(d, np.nan)), ("'rainfall'", "no value in the study area", "[layers.rainfall] nodata"), error="ImplausibleValueError"),
    "rainfall-all-nodata-value": Bad("raster", raster("climate/rainfall.tif", lambda d: np.full_like(d, -9999.0), nodata=-9999.0), ("'rainfall'", "no value in the study area"), error="ImplausibleValueError"),
    "rainfall-nodata-undeclared": Bad("raster", raster("climate/rainfall.tif", block(-9999.0), nodata=None), ("'rainfall'", "-9999", "below the plausible minimum"), error="ImplausibleValueError"),
    "temperature-kelvin": Bad("raster", kelvin, ("'temperature'", "looks like kelvin", "[layers.temperature] offset = -273.15"), error="ImplausibleValueError"),
    "ph-above-14": Bad("raster", raster("soil/ph_h2o.tif", block(15.0)), ("'ph_h2o'", "above the plausible maximum", "0 … 14"), error="ImplausibleValueError"),
    "ph-negative": Bad("raster", raster("soil/ph_h2o.tif", block(-1.0)), ("'ph_h2o'", "below the plausible minimum"), error="ImplausibleValueError"),
    "ph-times-ten": Bad("raster", raster("soil/ph_h2o.tif", lambda d: (d * 10).astype(np.float32)), ("'ph_h2o'", "above the plausible maximum", "[layers.ph_h2o] units, scale, offset"), error="ImplausibleValueError"),
    "humidity-above-100": Bad("raster", raster("climate/humidity.tif", block(120.0)), ("'humidity'", "0 … 100 %"), error="ImplausibleValueError"),
    "dry-months-13": Bad("raster", raster("climate/dry_months.tif", block(13.0)), ("'dry_months'", "0 … 12 months"), error="ImplausibleValueError"),
    "base-saturation-150": Bad("raster", raster("soil/base_saturation.tif", block(150.0)), ("'base_saturation'", "above"), error="ImplausibleValueError"),
    "coarse-fragments-negative": Bad("raster", raster("soil/coarse_fragments.tif", block(-1.0)), ("'coarse_fragments'", "below"), error="ImplausibleValueError"),
    "soil-depth-negative": Bad("raster", raster("soil/soil_depth.tif", block(-10.0)), ("'soil_depth'", "below", "-10"), error="ImplausibleValueError"),
    "peat-depth-negative": Bad("raster", raster("soil/peat_depth.tif", block(-5.0)), ("'peat_depth'", "below"), error="ImplausibleValueError"),
    "salinity-negative": Bad("raster", raster("soil/salinity.tif", block(-0.5)), ("'salinity'", "below"), error="ImplausibleValueError"),
    "c-organic-80": Bad("raster", raster("soil/c_organic.tif", block(80.0)), ("'c_organic'", "above"), error="ImplausibleValueError"),
    "cec-negative": Bad("raster", raster("soil/cec_clay.tif", block(-3.0)), ("'cec_clay'", "below"), error="ImplausibleValueError"),
    "alkalinity-above-100": Bad("raster", raster("soil/alkalinity.tif", block(101.0)), ("'alkalinity'", "above"), error="ImplausibleValueError"),
    "surface-stones-above-100": Bad("raster", raster("soil/surface_stones.tif", block(250.0)), ("'surface_stones'", "above"), error="ImplausibleValueError"),
    "rock-outcrop-negative": Bad("raster", raster("soil/rock_outcrop.tif", block(-2.0)), ("'rock_outcrop'", "below"), error="ImplausibleValueError"),
    "sulfidic-depth-negative": Bad("raster", raster("soil/sulfidic_depth.tif", block(-1.0)), ("'sulfidic_depth'", "below"), error="ImplausibleValueError"),
    "elevation-in-cm": Bad("raster", raster("terrain/dem.tif", lambda d: (d * 100 + 50_000).astype(np.float32)), ("'dem'", "above the plausible maximum of elevation"), error="ImplausibleValueError"),
    "drainage-code-not-in-legend": Bad("raster", raster("soil/drainage.tif", block(9)), ("'drainage'", "the code 9", "[layers.drainage] legend"), error="ImplausibleValueError"),
    "texture-all-nodata": Bad("raster", raster("soil/texture.tif", lambda d: np.full_like(d, -1)), ("'texture'", "no value in the study area"), error="ImplausibleValueError"),
    # -- vectors ---------------------------------------------------------------------------------
    "study-area-missing": Bad("vector", edit('path = "kecamatan.gpkg"', 'path = "kec.gpkg"'), ("kec.gpkg", "does not exist"), error="DataSourceError"),
    "study-area-null-geometry": Bad("vector", vector("kecamatan.gpkg", with_geometry(2, None)), ("without a geometry", "row 3", "63.90.03", "[study_area] path"), error="GeometryError"),
    "study-area-empty-geometry": Bad("vector", vector("kecamatan.gpkg", with_geometry(1, __import__("shapely").Polygon())), ("without a geometry", "row 2"), error="GeometryError"),
    "study-area-point": Bad("vector", vector("kecamatan.gpkg", with_geometry(4, __import__("shapely").Point(500_000, 9_600_000))), ("row 5", "is a Point", "must be polygons"), error="GeometryError"),
    "study-area-null-code": Bad("vector", vector("kecamatan.gpkg", lambda f: _row(f, 3, kode_kemendagri=None)), ("without a code", "row 4", "[study_area] id_column"), error="DataSourceError"),
    "study-area-duplicate-code": Bad("vector", vector("kecamatan.gpkg", lambda f: _row(f, 3, kode_kemendagri="63.90.01")), ("'63.90.01' more than once",), error="DataSourceError"),
    "study-area-lat-lon-swapped": Bad("vector", vector("kecamatan.gpkg", swap_xy), ("look swapped", "x = longitude, y = latitude"), error="GeometryError"),
    "study-area-id-column-missing": Bad("vector", edit('id_column = "kode_kemendagri"', 'id_column = "kode"'), ("no column 'kode'", "id_column")),
    "study-area-name-column-missing": Bad("vector", edit('name_column = "nama"', 'name_column = "name"'), ("no column 'name'", "name_column")),
    "study-area-not-a-file": Bad("vector", write_file("kecamatan.gpkg", b"garbage"), ("kecamatan.gpkg",), error="DataSourceError"),
    "land-units-attribute-missing": Bad("vector", edit('attribute = "spt"', 'attribute = "satuan_tanah"'), ("land_units.gpkg", "no column 'satuan_tanah'"), error="DataSourceError"),
    "land-units-text-as-continuous": Bad("vector", land_units_text, ("'land_units'", "declared continuous but holds text", 'kind = "categorical"'), error="LayerKindError"),
    "roads-file-missing": Bad("vector", edit('"infrastructure/roads.gpkg"', '"infrastructure/jalan.gpkg"'), ("jalan.gpkg",), error="DataSourceError"),
    "roads-no-overlap": Bad("vector", vector("infrastructure/roads.gpkg", lambda f: f.set_geometry(f.geometry.translate(500_000, 0))), ("'roads'", "does not overlap the study area"), error="CoverageError"),
    "population-table-missing-column": Bad("table", edit('attribute = "penduduk"', 'attribute = "jumlah_penduduk"'), ("penduduk.csv", "no column 'jumlah_penduduk'"), error="DataSourceError"),
    # -- tables ------------------------------------------------------------------------------------
    "production-missing": Bad("table", edit('"socioeconomic/produksi.csv"', '"socioeconomic/produksi_2023.csv"'), ("produksi_2023.csv", "does not exist"), error="DataSourceError"),
    "production-empty": Bad("table", table(P, lambda t: ""), ("produksi.csv", "is empty"), error="DataSourceError"),
    "production-header-only": Bad("table", table(P, lambda t: t.splitlines()[0] + "\n"), ("produksi.csv", "has a header but no rows"), error="DataSourceError"),
    "production-value-column-missing": Bad("table", table(P, lambda t: t.replace("production_ton", "produksi", 1)), ("produksi.csv", "no column 'production_ton'"), error="DataSourceError"),
    "production-value-column-setting": Bad("table", key("tables", 'production_value = "ton"'), ("produksi.csv", "no column 'ton'"), error="DataSourceError"),
    "production-code-column-missing": Bad("table", table(P, lambda t: t.replace("kode_bps", "kode", 1)), ("produksi.csv", "no column 'kode_bps'"), error="DataSourceError"),
    "production-year-missing": Bad("table", table(P, lambda t: t.replace(",year,", ",tahun,", 1)), ("produksi.csv", "no column 'year'"), error="DataSourceError"),
    "production-value-text": Bad("table", table(P, lambda t: t.replace(",748.1,", ",banyak,", 1)), ("produksi.csv", "row 2", "'production_ton'", "'banyak'"), error="BPSFormatError"),
    "production-value-mixed-notation": Bad("table", table(P, lambda t: t.replace(",748.1,", ',"1,304.2",', 1)), ("produksi.csv", "row 2", "'1,304.2'", "decimal="), error="BPSFormatError"),
    "production-year-text": Bad("table", table(P, lambda t: t.replace(",2019,", ",dua ribu,", 1)), ("produksi.csv", "row 2", "'year'", "'dua ribu'"), error="BPSFormatError"),
    "production-year-missing-value": Bad("table", table(P, lambda t: t.replace(",2019,", ",...,", 1)), ("produksi.csv", "row 2", "is not a year"), error="DataSourceError"),
    "production-year-fraction": Bad("table", table(P, lambda t: t.replace(",2019,", ",2019.5,", 1)), ("produksi.csv", "row 2", "2019.5", "is not a year"), error="DataSourceError"),
    "production-negative": Bad("table", table(P, lambda t: t.replace(",748.1,", ",-748.1,", 1)), ("produksi.csv", "row 2", "-748.1", "is negative", "'-' for zero"), error="NegativeValueError"),
    "households-negative": Bad("table", table(H, lambda t: t.replace(",3340,501", ",3340,-501", 1)), ("'farm_households'", "penduduk.csv", "-501", "below the plausible minimum"), error="ImplausibleValueError"),
    "households-column-missing": Bad("table", key("tables", 'households_column = "rtup"'), ("penduduk.csv", "no column 'rtup'"), error="DataSourceError"),
    "households-value-text": Bad("table", table(H, lambda t: t.replace(",3340,501", ",3340,lima ratus", 1)), ("penduduk.csv", "row 2", "'rumah_tangga_usaha_pertanian'", "'lima ratus'"), error="BPSFormatError"),
    "crosswalk-missing": Bad("table", edit('crosswalk = "kecamatan_crosswalk.csv"', 'crosswalk = "crosswalk.csv"'), ("crosswalk.csv", "does not exist"), error="DataSourceError"),
    "crosswalk-column-missing": Bad("table", table("kecamatan_crosswalk.csv", lambda t: t.replace("kode_bps", "bps", 1)), ("kecamatan_crosswalk.csv", "no column 'kode_bps'"), error="DataSourceError"),
    "crosswalk-dropped": Bad("table", edit('crosswalk = "kecamatan_crosswalk.csv"\n', ""), ("keyed by 'kode_bps'", "[tables] crosswalk"), error="ConfigError"),
    "sentra-missing": Bad("table", edit('"socioeconomic/sentra.csv"', '"socioeconomic/sentra_2023.csv"'), ("sentra_2023.csv", "does not exist"), error="DataSourceError"),
    "cooperatives-missing": Bad("table", both(edit('cooperatives = "socioeconomic/koperasi.gpkg"', 'cooperatives = "socioeconomic/kop.gpkg"')), ("kop.gpkg", "does not exist"), error="DataSourceError"),
    "table-code-column-setting": Bad("table", edit('code_column = "kode_bps"', 'code_column = "kode"'), ("no column 'kode'",), error="DataSourceError"),
    "prices-missing": Bad("table", edit('prices = "socioeconomic/harga.csv"', 'prices = "socioeconomic/harga_2023.csv"'), ("harga_2023.csv", "does not exist"), error="DataSourceError"),
    "prices-unit": Bad("table", table(R, lambda t: t.replace(",Rp/kg,", ",Rp/ton,", 1)), ("harga.csv", "row 2", "'Rp/ton'", "Rp/kg", "[tables] prices"), error="PriceTableError"),
    "prices-zero": Bad("table", table(R, lambda t: _row_field(t, 1, 2, "0")), ("harga.csv", "row 2", "'price_rp_per_kg'", "not a price", "rather than give it 0"), error="PriceTableError"),
    "prices-unknown-commodity": Bad("table", table(R, lambda t: _row_field(t, 1, 0, "gandum")), ("harga.csv", "['gandum']", "no crop table knows", "aez crops list"), error="PriceTableError"),
    "prices-year-twice": Bad("table", table(R, lambda t: t + t.splitlines()[1] + "\n"), ("harga.csv", "more than once", "one price per commodity and year"), error="PriceTableError"),
    "prices-column-missing": Bad("table", key("tables", 'prices_column = "harga"'), ("harga.csv", "no column 'harga'", "[tables] prices_column"), error="PriceTableError"),
    "potential-fractions-rising": Bad("config", add("[potential]\nfractions = { S1 = 0.5, S2 = 0.6, S3 = 0.3, N = 0 }"), ("[potential]", "rise from a better class"), error="ConfigError"),
    # -- crop tables -------------------------------------------------------------------------------
    "crop-soil-depth-reversed": Bad("crop", crop_file("jagung_x", sub("S1 = [60, inf]\nS2 = [40, 60]\nS3 = [25, 40]\nN = [0, 25]", "S1 = [0, 25]\nS2 = [25, 40]\nS3 = [40, 60]\nN = [60, inf]")), ("jagung_x.toml", "[characteristics.soil_depth]", "higher values are always better", "give S1 the band at the high end")),
    "crop-slope-reversed": Bad("crop", crop_file("jagung_x", sub("S1 = [0, 8]\nS2 = [8, 15]\nS3 = [15, 25]\nN = [25, inf]", "S1 = [25, inf]\nS2 = [15, 25]\nS3 = [8, 15]\nN = [0, 8]")), ("[characteristics.slope]", "lower values are always better")),
    "crop-unknown-characteristic": Bad("crop", crop_file("jagung_x", sub("[characteristics.slope]", "[characteristics.lereng]")), ("unknown land characteristic 'lereng'",)),
    "crop-bands-overlap": Bad("crop", crop_file("jagung_x", sub("S1 = [0, 8]\nS2 = [8, 15]", "S1 = [0, 10]\nS2 = [8, 15]")), ("bands overlap",)),
    "crop-bands-gap": Bad("crop", crop_file("jagung_x", sub("S1 = [0, 8]\nS2 = [8, 15]", "S1 = [0, 6]\nS2 = [8, 15]")), ("gap between",)),
    "crop-wrong-units": Bad("crop", crop_file("jagung_x", sub('[characteristics.slope]\nunits = "%"', '[characteristics.slope]\nunits = "degrees"')), ("units = 'degrees'", "Convert the thresholds")),
    "crop-bad-toml": Bad("crop", crop_file("jagung_x", lambda t: t + "\n[characteristics\n"), ("jagung_x.toml", "not valid TOML")),
    "crop-id-repeats-another": Bad("crop", crop_file("jagung_x", sub('id = "jagung_x"', 'id = "pisang"')), ("Crop 'pisang' is listed twice",)),
    "crop-no-sources": Bad("crop", crop_file("jagung_x", lambda t: re.sub(r"sources = \[\n.*?\n\]\n", "", t, flags=re.S)), ("sources",)),
    "crop-file-missing": Bad("crop", edit('"jagung", ', '"crops/jagung_x.toml", '), ("jagung_x.toml",), error="DataSourceError"),
}


# -- API arguments: each call → its error and message ------------------------------------------


def _api_cases() -> dict[str, tuple[Callable[[Path], object], str, tuple[str, ...]]]:
    import aez
    from aez.pipeline import run as run_pipeline

    def frame() -> object:
        import pandas as pd

        return pd.DataFrame({"slope": [3.0], "ph_h2o": [6.0]})

    return {
        "api-evaluate-units-path": (lambda c: aez.evaluate_units("units.csv", ["jagung"]),
                                    "ConfigError", ("'units.csv' is a path", "aez.io.read_table")),
        "api-evaluate-units-number": (lambda c: aez.evaluate_units(42, ["jagung"]),
                                      "ConfigError", ("is a int", "DataFrame")),
        "api-evaluate-units-crop-string": (lambda c: aez.evaluate_units(frame(), "jagung"),
                                           "ConfigError", ("crops = 'jagung' is a str",
                                                           '["jagung"]')),
        "api-load-crops-string": (lambda c: aez.load_crops("jagung"), "ConfigError",
                                  ("ids = 'jagung' is a str", '["jagung", "pisang"]')),
        "api-load-crops-path": (lambda c: aez.load_crops(c.parent / "x.toml"), "ConfigError",
                                ("is a PosixPath", "give a list")),
        "api-load-crop-unknown": (lambda c: aez.load_crops(["jagungg"]), "ConfigError",
                                  ("Unknown crop 'jagungg'", "aez crops list")),
        "api-run-number": (lambda c: run_pipeline(42), "ConfigError",
                           ("config is a int", "RunConfig")),
        "api-run-language": (lambda c: run_pipeline(c, lang="fr"), "ConfigError",
                             ("lang = 'fr'", "'id'")),
        "api-run-executor": (lambda c: run_pipeline(c, executor="gpu"), "ConfigError",
                             ("executor = 'gpu'", "serial")),
        "api-run-tile-size": (lambda c: run_pipeline(c, tile_size=4), "ConfigError",
                              ("tile_size = 4", "at least 16")),
        "api-validate-number": (lambda c: aez.validate(3.5), "ConfigError",
                                ("config = float", "config.toml")),
        "api-validate-missing": (lambda c: aez.validate(c.parent / "nope.toml"),
                                 "DataSourceError", ("nope.toml does not exist",)),
        "api-evaluate-stack-string": (
            lambda c: aez.evaluate_stack(aez.LayerStack.from_config(aez.load_config(c)),
                                         "jagung", c.parent / "out"),
            "ConfigError", ("crops = 'jagung' is a str", "aez.load_crops")),
        "api-evaluate-stack-ids": (
            lambda c: aez.evaluate_stack(aez.LayerStack.from_config(aez.load_config(c)),
                                         ["jagung"], c.parent / "out"),
            "ConfigError", ("must be loaded tables", "aez.load_crops")),
        "api-evaluate-stack-path": (
            lambda c: aez.evaluate_stack(c, [], c.parent / "out"), "ConfigError",
            ("stack is a PosixPath", "LayerStack.from_config")),
    }


API_CASES = _api_cases()


# -- running the catalogue ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def catalogue_region(small_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small demo region with four crops: the base every catalogue case mutates."""
    import shutil

    folder = tmp_path_factory.mktemp("catalogue") / "region"
    shutil.copytree(small_demo.parent, folder, ignore=shutil.ignore_patterns("aez-out"))
    config = folder / small_demo.name
    text = re.sub(r"crops = \[[^\]]*\]",
                  "crops = [" + ", ".join(f'"{c}"' for c in CATALOGUE_CROPS) + "]",
                  config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture
def case_region(catalogue_region: Path, tmp_path: Path) -> Callable[[], Path]:
    def make() -> Path:
        import shutil

        target = tmp_path / "region"
        shutil.copytree(catalogue_region.parent, target)
        return target / catalogue_region.name
    return make


def inputs_state(folder: Path) -> dict[str, str]:
    """:func:`folder_state` without the output folder."""
    from conftest import folder_state

    return {k: v for k, v in folder_state(folder).items() if not k.startswith("aez-out/")}


def one_error_line(result) -> str:
    """The one ``Error:`` line of a failed command (no traceback, nothing on stdout)."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, result.stderr
    assert result.stderr.rstrip("\n").endswith(lines[0]), result.stderr  # the last line
    return lines[0]


def test_the_catalogue_is_large_and_covers_every_family() -> None:
    families = {case.family for case in CATALOGUE.values()}
    assert families == {"config", "raster", "vector", "table", "crop"}
    assert len(CATALOGUE) + len(API_CASES) + len(RUN_FAULTS) >= 120


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_validate_fails_exactly_when_run_fails_before_computing(name, case_region, run_cli):
    """``aez validate`` and ``aez run`` give the same exit, error and one-line message."""
    from aez.pipeline import run as run_pipeline

    case = CATALOGUE[name]
    config = case_region()
    case.mutate(config)
    folder = config.parent
    before = inputs_state(folder)
    result = run_cli("validate", config)
    assert result.exit_code == case.exit_code, result.output
    line = one_error_line(result)
    for fragment in case.says:
        assert normalise(fragment) in line, f"{fragment!r} not in {line!r}"
    with pytest.raises(AEZError) as info:
        run_pipeline(config)
    assert type(info.value).__name__ == case.error, f"{type(info.value).__name__}: {info.value}"
    assert f"Error: {normalise(str(info.value))}" == line  # the same message as validate
    out = folder / "aez-out"
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) if out.exists() else []
    assert written in ([], ["run.failed.log"]), written  # failed before computing
    assert inputs_state(folder) == before


@pytest.mark.parametrize("name", list(CATALOGUE)[::12])
def test_aez_run_prints_the_same_line_as_validate(name, case_region, run_cli):
    case = CATALOGUE[name]
    config = case_region()
    case.mutate(config)
    validated = one_error_line(run_cli("validate", config))
    result = run_cli("run", config)
    assert result.exit_code == case.exit_code
    assert one_error_line(result) == validated
    assert not (config.parent / "aez-out" / "rasters").exists()


@pytest.mark.parametrize("name", list(API_CASES))
def test_api_arguments_are_checked(name, case_region):
    call, error, says = API_CASES[name]
    config = case_region()
    before = inputs_state(config.parent)
    with pytest.raises(AEZError) as info:
        call(config)
    assert type(info.value).__name__ == error, f"{type(info.value).__name__}: {info.value}"
    message = str(info.value)
    assert "\n" not in message
    for fragment in says:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert inputs_state(config.parent) == before


# -- the faults of a run itself ------------------------------------------------------------------


RUN_FAULTS = ("output-not-empty", "output-is-a-file", "second-run-locked",
              "sigterm-in-layers", "sigterm-in-suitability", "sigterm-in-tables",
              "sighup-process", "overwrite-removes-stale", "disk-full", "read-only-disk",
              "rerun-same-bytes")


def test_run_refuses_a_folder_with_files_and_validate_says_so(case_region, run_cli):
    config = case_region()
    (config.parent / "aez-out").mkdir()
    (config.parent / "aez-out" / "notes.txt").write_text("mine")
    validated = run_cli("validate", config)
    assert validated.exit_code == 0 and "needs --overwrite" in validated.stdout
    result = run_cli("run", config)
    assert result.exit_code == 1
    line = one_error_line(result)
    assert "is not empty" in line and "--overwrite" in line and "[output] dir" in line
    assert "overwrite=True" not in line  # the command line's words, not the API's
    from aez.pipeline import validate

    assert any("needs overwrite=True" in fact for fact in validate(config).facts)
    assert (config.parent / "aez-out" / "notes.txt").read_text() == "mine"


def test_run_refuses_an_output_path_that_is_a_file(case_region, run_cli):
    config = case_region()
    (config.parent / "aez-out").write_text("a file")
    result = run_cli("run", config)
    assert result.exit_code == 1
    assert "is a file, not a folder" in one_error_line(result)


def test_a_second_run_into_the_same_folder_is_refused_at_once(case_region, run_cli):
    import fcntl
    import os

    config = case_region()
    out = config.parent / "aez-out"
    out.mkdir()
    with (out / ".aez.lock").open("a+") as handle:  # a run in progress holds the lock
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        handle.write(f"pid {os.getpid()} on here")
        handle.flush()
        result = run_cli("run", "--overwrite", config)
    assert result.exit_code == 1
    line = one_error_line(result)
    assert f"Another aez run (pid {os.getpid()} on here)" in line and "[output] dir" in line
    assert sorted(p.name for p in out.iterdir()) == [".aez.lock"]


def _mount_tmpfs(path: Path, options: str) -> None:
    """Mount a small tmpfs at ``path`` (needs root: the CI container is root)."""
    import os
    import subprocess

    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (the CI container runs as root)")
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, f"cannot mount a tmpfs: {done.stderr}"


def _unmount(path: Path) -> None:
    import subprocess

    subprocess.run(["umount", str(path)], check=True)


def test_a_full_disk_ends_in_one_line_and_leaves_no_partial_file(case_region, run_cli,
                                                                 tmp_path):
    config = case_region()
    disk = tmp_path / "small-disk"
    _mount_tmpfs(disk, "size=1m")
    try:
        _text(config, 'dir = "aez-out"', f'dir = "{disk / "out"}"')
        before = inputs_state(config.parent)
        result = run_cli("run", config)
        assert result.exit_code == 1
        line = one_error_line(result)
        assert str(disk / "out") in line and "no space left on device" in line
        assert "[output] dir" in line
        left = sorted(p.relative_to(disk).as_posix() for p in disk.rglob("*") if p.is_file())
        assert left == ["out/run.failed.log"], left  # no partial, scratch or lock file
        assert "Run failed" in (disk / "out" / "run.failed.log").read_text()
        assert inputs_state(config.parent) == before
    finally:
        _unmount(disk)


def test_a_read_only_disk_ends_in_one_line(case_region, run_cli, tmp_path):
    config = case_region()
    disk = tmp_path / "read-only"
    _mount_tmpfs(disk, "size=1m,ro")
    try:
        _text(config, 'dir = "aez-out"', f'dir = "{disk / "out"}"')
        result = run_cli("run", config)
        assert result.exit_code == 1
        line = one_error_line(result)
        assert str(disk / "out") in line and "Read-only file system" in line
        assert "writable [output] dir" in line
    finally:
        _unmount(disk)


def _fast(config: Path, crops: tuple[str, ...] = CATALOGUE_CROPS) -> None:
    """Two robustness draws and the given crops: a whole run in a few seconds."""
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"crops = \[[^\]]*\]", "crops = [" + ", ".join(f'"{c}"' for c in crops) + "]",
                  text)
    text = text.replace("draws = 50", "draws = 2").replace("contiguity_bonus = 0.02",
                                                           "contiguity_bonus = 0.0")
    text = text.replace("min_distinct = 4", "min_distinct = 2").replace("max_share = 0.25",
                                                                        "max_share = 1.0")
    config.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("stage", ["layers", "suitability", "tables"])
@pytest.mark.parametrize("signame", ["SIGTERM"])
def test_a_signal_at_each_stage_leaves_no_temporary_file_and_a_failed_log(
        case_region, stage, signame, temp_leftovers):
    import os
    import signal

    from aez.errors import RunInterrupted
    from aez.pipeline import run as run_pipeline

    config = case_region()
    _fast(config)

    def progress(name: str, done: int, total: int) -> None:
        if name == stage and done == 0:
            os.kill(os.getpid(), getattr(signal, signame))

    with pytest.raises(RunInterrupted, match=f"stopped by {signame}"):
        run_pipeline(config, progress=progress, maps=False, report=False)
    out = config.parent / "aez-out"
    assert temp_leftovers(out) == []
    assert not (out / ".aez.lock").exists()
    assert not (out / "run.log").exists()
    assert f"Run failed: stopped by {signame}" in (out / "run.failed.log").read_text()
    assert signal.getsignal(getattr(signal, signame)) is signal.SIG_DFL  # handler restored


def test_sigterm_and_sighup_stop_the_command_like_ctrl_c(case_region, temp_leftovers):
    """A real ``aez run`` process, stopped by SIGHUP (SIGTERM alike) while it writes rasters."""
    import signal
    import subprocess
    import sys
    import time

    config = case_region()
    _fast(config)
    out = config.parent / "aez-out"
    command = Path(sys.executable).parent / "aez"
    process = subprocess.Popen([str(command), "run", str(config)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (out / "rasters").exists() and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert process.poll() is None, "the run ended before the signal"
    process.send_signal(signal.SIGHUP)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1, stderr
    assert "Traceback" not in stderr
    last = stderr.rstrip("\n").splitlines()[-1]
    assert last.startswith("Error: Interrupted (stopped by SIGHUP)"), stderr
    assert temp_leftovers(out) == []
    assert (out / "run.failed.log").exists() and not (out / ".aez.lock").exists()


def test_overwrite_removes_the_earlier_runs_files_and_nothing_else(case_region):
    import json

    from aez.pipeline import run as run_pipeline

    config = case_region()
    _fast(config)
    first = run_pipeline(config, maps=False, report=False)
    out = first.outdir
    mine = out / "tables" / "my_notes.txt"
    mine.write_text("kept")
    assert (out / "rasters" / "kelapa_sawit_class.tif").exists()
    _fast(config, crops=("jagung", "pisang"))
    second = run_pipeline(config, overwrite=True, maps=False, report=False)
    present = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert present == set(second.files) | {"tables/my_notes.txt"}
    assert not any("kelapa_sawit" in name or "padi_sawah" in name for name in present)
    assert mine.read_text() == "kept"
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["files"]) == set(second.files)
    for name, digest in manifest["files"].items():
        if digest is not None:
            import hashlib

            assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest


def test_rerun_gives_the_same_bytes_geopackage_included(case_region, tmp_path, monkeypatch):
    import sqlite3

    from aez.pipeline import run as run_pipeline

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01
    config = case_region()
    _fast(config, crops=("jagung", "pisang"))
    first = run_pipeline(config, maps=False, report=False)
    again = tmp_path / "again"
    _text(config, 'dir = "aez-out"', f'dir = "{again}"')
    second = run_pipeline(config, executor="serial", tile_size=128, maps=False, report=False)
    assert set(first.files) == set(second.files)
    # The log (times), the resolved config (executor, tile size, folder) and the manifest
    # (which hashes that config) differ by design; every product is the same bytes.
    differ = {"run.log", "config.resolved.toml", "manifest.json"}
    for name in sorted(set(first.files) - differ):
        assert (first.outdir / name).read_bytes() == (again / name).read_bytes(), name
    with sqlite3.connect(again / "districts.gpkg") as db:
        dates = {row[0] for row in db.execute("SELECT last_change FROM gpkg_contents")}
    assert dates == {"2025-01-01T00:00:00.000Z"}


# -- docs/bad-inputs.md: the catalogue as a table ------------------------------------------------

DOC = Path(__file__).resolve().parents[1] / "docs" / "bad-inputs.md"

DOC_HEAD = """# Bad inputs: what aez says

`tests/test_bad_inputs.py` breaks the small demo region (`aez demo --size small`, four crops) in
{n} ways and checks, for each, that `aez validate` and `aez run` exit with code 1 and print the
same one-line message (no traceback; the traceback only with `-vv`), that `run` stops in its
checking pass before writing any raster (only `run.failed.log`), that the message names the
file, setting or value below, and that no input changed. The API cases call the Python
functions with wrong arguments; the run faults break the run itself (folder, disk, signals).
This page is written by `python tests/test_bad_inputs.py` and checked against the catalogue by
`test_docs_list_every_case`; `<region>` is the region's folder.

| case | family | message (`Error: …`) |
|---|---|---|
"""

RUN_FAULT_TEXT = {
    "output-not-empty": "The output folder <region>/aez-out is not empty (it holds notes.txt). "
                        "Choose another [output] dir, empty it, or pass --overwrite "
                        "(overwrite=True) to replace the files of an earlier run.",
    "output-is-a-file": "The output path <region>/aez-out is a file, not a folder. Set [output] "
                        "dir to a folder.",
    "second-run-locked": "Another aez run (pid 12345 on host) is writing into "
                         "<region>/aez-out. Wait for it to finish, or choose another [output] "
                         "dir.",
    "sigterm-in-layers": "Interrupted (stopped by SIGTERM); temporary files were removed and "
                         "the run's log kept as run.failed.log.",
    "sigterm-in-suitability": "(as sigterm-in-layers, while the rasters are written)",
    "sigterm-in-tables": "(as sigterm-in-layers, while the tables and GeoPackage are written)",
    "sighup-process": "Interrupted (stopped by SIGHUP); temporary files were removed and the "
                      "run's log kept as run.failed.log.",
    "overwrite-removes-stale": "(no error: the earlier run's files that manifest.json lists and "
                               "this run does not write are removed; other files are kept)",
    "disk-full": "Writing the run's files failed (<disk>/out): TIFFAppendToStrip:Write error at "
                 "scanline 0 (no space left on device). The disk is full: free some space, or "
                 "set [output] dir to a larger disk.",
    "read-only-disk": "Writing the run's files failed (<disk>/out): Read-only file system. The "
                      "file system is read-only: set [output] dir to a writable folder.",
    "rerun-same-bytes": "(no error: with SOURCE_DATE_EPOCH set, a rerun at another tile size "
                        "and executor writes the same bytes, districts.gpkg included)",
}


def _doc_rows() -> dict[str, str]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            rows[cells[0].strip("`")] = cells[-1].replace("\\|", "|")
    return rows


def test_docs_list_every_case() -> None:
    rows = _doc_rows()
    assert set(rows) == set(CATALOGUE) | set(API_CASES) | set(RUN_FAULTS)
    for name, case in CATALOGUE.items():
        for fragment in case.says:
            assert normalise(fragment) in rows[name], (name, fragment)
    for name, (_, _, says) in API_CASES.items():
        for fragment in says:
            assert fragment in rows[name], (name, fragment)


def write_doc() -> None:  # pragma: no cover - run by hand: python tests/test_bad_inputs.py
    import shutil
    import tempfile

    from click.testing import CliRunner

    import aez
    from aez.cli import cli
    from aez.demo import write_demo_region

    work = Path(tempfile.mkdtemp())
    base = write_demo_region(work / "base", size="small")
    text = re.sub(r"crops = \[[^\]]*\]",
                  "crops = [" + ", ".join(f'"{c}"' for c in CATALOGUE_CROPS) + "]",
                  base.read_text(encoding="utf-8"))
    base.write_text(text, encoding="utf-8")
    lines = []
    for name, case in CATALOGUE.items():
        folder = work / "region"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(base.parent, folder)
        config = folder / base.name
        case.mutate(config)
        result = CliRunner().invoke(cli, ["validate", str(config)], obj={})
        message = result.output.strip().splitlines()[-1].removeprefix("Error: ")
        message = message.replace(str(folder.resolve()), "<region>").replace(str(folder),
                                                                               "<region>")
        lines.append(f"| `{name}` | {case.family} | {message.replace('|', chr(92) + '|')} |")
    for name, (call, _, _) in API_CASES.items():
        try:
            call(work / "region" / base.name)
        except aez.AEZError as exc:
            message = str(exc).replace(str(work / "region"), "<region>")
        lines.append(f"| `{name}` | api | {message} |")
    for name in RUN_FAULTS:
        lines.append(f"| `{name}` | run | {RUN_FAULT_TEXT[name]} |")
    n = len(CATALOGUE) + len(API_CASES) + len(RUN_FAULTS)
    DOC.write_text(DOC_HEAD.format(n=n) + "\n".join(lines) + "\n", encoding="utf-8")
    shutil.rmtree(work)
    print(f"Wrote {DOC} ({n} cases)")


if __name__ == "__main__":  # pragma: no cover
    write_doc()


# -- BPS number text in [tables] is read, not refused ---------------------------------------------


def test_bps_text_in_tables_is_read_as_bps_writes_it(case_region, run_cli):
    """A production table exported the BPS way validates, and every cell reads as BPS means it."""
    import pandas as pd

    from aez.config import load_config
    from aez.harmonize import LayerStack
    from aez.pipeline.decide import read_decision_tables

    config = case_region()
    path = config.parent / P
    rows = ["kode_bps;kecamatan;commodity;year;production_ton;area_ha",
            "6390040;Pantai Batola;Pisang;2023*);1.304,2;10",      # name case, footnote, 1304.2
            "6390040;Pantai Batola;pisang;2022;-;10",               # '-' = 0
            "6390060;Teluk Rambutan;PADI SAWAH;2023;...;7",        # '...' = missing
            "6390060;Teluk Rambutan;Padi Sawah;2022;n.a.;7",       # 'n.a.' = missing
            "6390020;Padang Lestari;kelapa-sawit;2023;12.345;3",   # thousands dot: 12345
            "6390020;Padang Lestari;Kelapa Sawit;2022;0,75;3",     # decimal comma: 0.75
            "6390030;Sungai Pandan;Jagung;2023 e);2 500;1",        # space group, 'e)' mark
            "6390030;Sungai Pandan;jagung;2022;1.000¹;1"]          # superscript footnote
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run_cli("validate", config)
    assert result.exit_code == 0, result.output
    cfg = load_config(config)
    tables = read_decision_tables(cfg.tables, LayerStack.from_config(cfg).study_area,
                                  crops=list(CATALOGUE_CROPS))
    got = tables.production[["commodity", "year", "production_ton"]].reset_index(drop=True)
    expected = pd.DataFrame({
        "commodity": ["pisang", "pisang", "padi_sawah", "padi_sawah", "kelapa_sawit",
                      "kelapa_sawit", "jagung", "jagung"],
        "year": [2023, 2022, 2023, 2022, 2023, 2022, 2023, 2022],
        "production_ton": [1304.2, 0.0, float("nan"), float("nan"), 12345.0, 0.75, 2500.0,
                           1000.0]})
    pd.testing.assert_frame_equal(got, expected)


def test_a_failed_run_does_not_block_the_fixed_rerun(case_region):
    """Fix the input and run again: no --overwrite needed, and the failed log goes."""
    from aez.pipeline import run as run_pipeline

    config = case_region()
    _fast(config, crops=("jagung", "pisang"))
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('"jagung"', '"jagungg"'), encoding="utf-8")
    with pytest.raises(AEZError, match="Unknown crop 'jagungg'"):
        run_pipeline(config, maps=False, report=False)
    out = config.parent / "aez-out"
    assert sorted(p.name for p in out.iterdir()) == ["run.failed.log"]
    config.write_text(text, encoding="utf-8")
    run_pipeline(config, maps=False, report=False)
    assert (out / "run.log").exists() and not (out / "run.failed.log").exists()
