"""The ``aez`` command line: version, ``aez info`` on the tiny region, verbosity."""

from __future__ import annotations

import importlib.metadata
import tomllib

import pandas as pd
import pytest


def layer_rows(stdout: str, names: list[str]) -> dict[str, list[str]]:
    """The rows of the layer table, split into columns, by layer name."""
    rows = {}
    for line in stdout.splitlines():
        cells = line.split()
        if cells and cells[0] in names:
            assert cells[0] not in rows, f"two rows for {cells[0]}"
            rows[cells[0]] = cells
    return rows


def test_version_is_the_package_version(run_cli):
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.output == f"aez, version {importlib.metadata.version('aez')}\n"


def test_help_lists_info(run_cli):
    result = run_cli("--help")
    assert result.exit_code == 0
    assert "info" in result.output and "-q" in result.output


def test_info_prints_the_grid_and_one_row_per_layer(run_cli, tiny_region):
    result = run_cli("info", tiny_region)
    assert result.exit_code == 0, result.output
    out = result.stdout
    # 30 × 24 km at 20 m, in the UTM zone of the region (50S).
    grid_line = next(line for line in out.splitlines() if line.startswith("Grid"))
    assert "EPSG:32750" in grid_line
    assert "20 × 20" in grid_line
    assert "1200 rows × 1500 cols" in grid_line
    assert "720.0 km²" in grid_line
    assert "(770000.0, 9040000.0, 800000.0, 9064000.0)" in out
    study = next(line for line in out.splitlines() if line.startswith("Study area"))
    assert study.split(" from ")[0].split() == ["Study", "area", "4", "kecamatan"]

    declared = tomllib.loads(tiny_region.read_text(encoding="utf-8"))["layers"]
    rows = layer_rows(out, list(declared))
    assert list(rows) == list(declared)  # one row each, in declaration order
    for name, cells in rows.items():
        coverage, values = cells[-3], cells[-2]
        if name in ("dem", "rainfall", "ph_h2o", "drainage"):  # rasters covering the region
            assert values == "100.0%", name
        if name == "roads":  # a presence layer only has to touch the study area
            assert coverage == "touches"
        else:
            assert coverage == "100.0%", name
    assert rows["rainfall"][3] == "EPSG:4326"
    assert rows["ph_h2o"][3] == "EPSG:32751"
    assert "categorical" in rows["drainage"] and "continuous" in rows["dem"]


@pytest.fixture
def region_with_unmatched_code(region_copy):
    """The tiny region with a population row whose code matches no kecamatan."""
    config = region_copy()
    table = config.parent / "penduduk.csv"
    frame = pd.read_csv(table, dtype={"kode_bps": str})
    frame.loc[len(frame)] = ["5310999", 1234]
    frame.to_csv(table, index=False)
    return config


def test_warnings_are_shown_by_default(run_cli, region_with_unmatched_code):
    result = run_cli("info", region_with_unmatched_code)
    assert result.exit_code == 0, result.output
    assert "5310999" in result.stderr
    assert "WARNING" in result.stderr


def test_quiet_suppresses_warnings(run_cli, region_with_unmatched_code):
    result = run_cli("-q", "info", region_with_unmatched_code)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "EPSG:32750" in result.stdout  # the report itself is still printed


def test_verbose_logs_do_not_break_info(run_cli, tiny_region):
    result = run_cli("-vv", "info", tiny_region)
    assert result.exit_code == 0, result.output
    assert "1200 rows × 1500 cols" in result.stdout
