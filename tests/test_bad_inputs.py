"""Bad inputs: each gives its own error class, a message with the problem and the remedy,
and leaves the folder exactly as it was (no outputs, no temporary files).

Every case is checked twice: through the Python API (load the config, open the stack,
check coverage: what ``aez info`` does) and through ``aez info`` itself, which must exit
with code 1 and a one-line ``Error: …`` message, with the traceback only under ``-vv``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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
