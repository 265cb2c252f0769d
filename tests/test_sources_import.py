"""``aez sources import`` and ``source = "…"`` layers: canonical files, fragments, round trips.

The round trip: a run config that names the sources directly gives the same run outputs,
byte for byte, as one that reads the files ``aez sources import`` wrote (example 06 checks
every output of a whole run; here the layer stack is compared tile by tile).
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
import rasterio

from aez.config import loads_config
from aez.errors import ConfigError
from aez.harmonize import LayerStack, build_grid, build_study_area
from aez.harmonize.source_import import import_source
from aez.sources.samples import write_sources
from aez.testing import write_tiny_region

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    """The tiny region's kecamatan and every source's fixtures over them."""
    import geopandas as gpd

    root = tmp_path_factory.mktemp("sources-region")
    config = write_tiny_region(root / "region", resolution=200)
    lon0, lat0, lon1, lat1 = gpd.read_file(config.parent / "kecamatan.gpkg").to_crs(
        "EPSG:4326").total_bounds
    sources = write_sources(root / "sources", (lon0 - 0.03, lat0 - 0.03, lon1 + 0.03, lat1 + 0.03),
                            years=(2010, 2011))
    return config.parent / "kecamatan.gpkg", sources


HEADER = """
[grid]
crs = "auto"
resolution = {resolution}
[study_area]
path = "{study_area}"
id_column = "kode_kemendagri"
[run]
tile_size = {tile}
"""


def _config(study_area: Path, layers: str, *, resolution: int = 150, tile: int = 64):
    text = HEADER.format(resolution=resolution, study_area=study_area.as_posix(), tile=tile)
    return loads_config(text + layers)


def _stack_arrays(config) -> dict[str, np.ndarray]:
    stack = LayerStack.from_config(config)
    out = {name: np.empty(stack.grid.shape, dtype=np.float64) for name in stack.names}
    for tile in stack.grid.tiles(config.run.tile_size):
        data = stack.read(tile)
        for name in stack.names:
            out[name][tile.slices] = data.core(name)
    return out


DIRECT = """
[layers.ph_h2o]
source = "soilgrids"
path = "{s}/soilgrids/{{property}}_{{depth}}_mean.tif"
[layers.texture]
source = "soilgrids"
path = "{s}/soilgrids"
depth = "0-30"
[layers.drainage]
source = "hwsd"
path = "{s}/hwsd"
aggregate = "weighted"
[layers.erosion]
source = "spt"
path = "{s}/spt/spt.gpkg"
[layers.dem]
source = "dem"
path = "{s}/dem"
role = "elevation"
[layers.dry_months]
source = "chirps"
path = "{s}/chirps/chirps-v2.0.{{year}}.{{month}}.tif"
[layers.temperature]
source = "worldclim"
path = "{s}/worldclim"
"""


def test_direct_sources_equal_imported_files(region, tmp_path):
    study_area, sources = region
    root = sources["soilgrids"].parent
    direct = _config(study_area, DIRECT.format(s=root.as_posix()))
    grid = build_grid(direct, build_study_area(direct))
    layers = ""
    for source, names, options in (
            ("soilgrids", ("ph_h2o", "texture"), {}),
            ("hwsd", ("drainage",), {"aggregate": "weighted"}),
            ("spt", ("erosion",), {}), ("dem", ("dem",), {}), ("chirps", ("dry_months",), {}),
            ("worldclim", ("temperature",), {})):
        result = import_source(source, [sources[source]], tmp_path / source, grid=grid,
                               **options)
        fragment = tomllib.loads(result.fragment.read_text(encoding="utf-8"))["layers"]
        for name in names:
            table = dict(fragment[name], path=(tmp_path / source / fragment[name]["path"]))
            layers += f"\n[layers.{name}]\n" + "".join(
                f"{k} = {_toml(v)}\n" for k, v in table.items())
    imported = _config(study_area, layers)
    first, second = _stack_arrays(direct), _stack_arrays(imported)
    assert set(first) == set(second)
    for name in first:
        np.testing.assert_array_equal(first[name], second[name], err_msg=name)
        assert np.isfinite(first[name]).mean() > 0.95, name
    # another tile size gives the same bytes
    other = _stack_arrays(_config(study_area, DIRECT.format(s=root.as_posix()), tile=97))
    for name in first:
        np.testing.assert_array_equal(first[name], other[name], err_msg=name)


def _toml(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {_toml(v)}' for k, v in value.items()) + " }"
    if isinstance(value, Path):
        return f'"{value.as_posix()}"'
    return f'"{value}"' if isinstance(value, str) else str(value)


def test_direct_source_kind_units_and_legend(region):
    study_area, sources = region
    config = _config(study_area, DIRECT.format(s=sources["soilgrids"].parent.as_posix()))
    stack = LayerStack.from_config(config)
    assert stack.specs["texture"].kind == "categorical"
    assert stack.specs["texture"].legend[2] == "fine"
    assert stack.specs["dry_months"].units == "months"
    assert stack.specs["dem"].units == "m" and stack.specs["dem"].provides == "elevation"
    assert stack.sources["erosion"].describe()["source"] == "spt"


@pytest.mark.parametrize(("layers", "message"), [
    ('[layers.ph_h2o]\nsource = "soilgrid"\npath = "x"\n', "Did you mean 'soilgrids'"),
    ('[layers.ph_h2o]\nsource = "chirps"\npath = "x"\ndepth = "0-30"\n',
     "sets depth, which source = \"chirps\" does not read"),
    ('[layers.ph_h2o]\npath = "x.tif"\ndepth = "0-30"\n', "only a data source reads"),
])
def test_source_options_are_checked(tmp_path, layers, message):
    with pytest.raises(ConfigError, match=message):
        loads_config('[grid]\ncrs = "EPSG:32750"\nresolution = 100\n' + layers, base=tmp_path)


def test_a_characteristic_the_source_does_not_give(region):
    study_area, sources = region
    config = _config(study_area, f'[layers.rainfall]\nsource = "soilgrids"\n'
                                  f'path = "{sources["soilgrids"].as_posix()}"\n')
    with pytest.raises(ConfigError, match=r"gives ph_h2o, .* not 'rainfall'"):
        LayerStack.from_config(config)


# -- the command line ----------------------------------------------------------------------------


def test_cli_import_writes_canonical_files_and_a_fragment(run_cli, snapshot, region, tmp_path):
    _, sources = region
    before = snapshot(sources["soilgrids"])
    out = tmp_path / "imported"
    result = run_cli("sources", "import", "soilgrids", str(sources["soilgrids"]), "--to", str(out),
                     "--bounds", "119.45", "-8.65", "119.7", "-8.45", "--crs", "EPSG:4326")
    assert result.exit_code == 0, result.output
    assert snapshot(sources["soilgrids"]) == before  # inputs untouched
    assert {p.name for p in out.iterdir()} == {
        "ph_h2o.tif", "c_organic.tif", "cec_clay.tif", "coarse_fragments.tif", "n_total.tif",
        "texture.tif", "layers.toml"}
    with rasterio.open(out / "ph_h2o.tif") as src:
        assert src.tags()["AEZ_SOURCE"] == "soilgrids" and src.dtypes[0] == "float32"
        assert "+proj=igh" in src.crs.to_proj4()
    with rasterio.open(out / "c_organic.tif") as src:
        assert src.tags()["AEZ_UNITS"] == "%" and src.units == ("%",)
    fragment = tomllib.loads((out / "layers.toml").read_text(encoding="utf-8"))["layers"]
    assert fragment["texture"]["legend"]["2"] == "fine"
    assert fragment["c_organic"] == {"path": "c_organic.tif", "kind": "continuous",
                                     "units": "%", "role": "c_organic"}
    # a second source merges into the same fragment
    result = run_cli("sources", "import", "chirps", str(sources["chirps"]), "--to", str(out),
                     "--only", "rainfall,dry_months")
    assert result.exit_code == 0, result.output
    fragment = tomllib.loads((out / "layers.toml").read_text(encoding="utf-8"))["layers"]
    assert {"rainfall", "dry_months", "texture"} <= set(fragment)
    # clipped: fewer cells than the whole fixture
    with rasterio.open(out / "ph_h2o.tif") as clipped, \
            rasterio.open(sources["soilgrids"] / "phh2o_0-5cm_mean.tif") as whole:
        assert clipped.width < whole.width and clipped.height < whole.height


def test_cli_import_refuses_to_overwrite(run_cli, region, tmp_path):
    _, sources = region
    args = ("sources", "import", "dem", str(sources["dem"]), "--to", str(tmp_path))
    assert run_cli(*args).exit_code == 0
    again = run_cli(*args)
    assert again.exit_code == 1 and "already exists" in again.output
    assert run_cli(*args, "--overwrite").exit_code == 0
    assert "<VRTDataset" in (tmp_path / "elevation.vrt").read_text()


@pytest.mark.parametrize("case", ["depth", "month", "word", "gap"])
def test_cli_bad_input_is_one_line(run_cli, region, tmp_path, case):
    _, sources = region
    folder = tmp_path / "in"
    folder.mkdir()
    if case == "depth":
        src = sources["soilgrids"] / "phh2o_0-5cm_mean.tif"
        (folder / "phh2o_0-10cm_mean.tif").write_bytes(src.read_bytes())
        args, expect = ("soilgrids", str(folder)), "phh2o_0-10cm_mean.tif has the depth label"
    elif case == "month":
        for path in sources["chirps"].glob("chirps-v2.0.2010.*.tif"):
            if not path.name.endswith(".03.tif"):
                (folder / path.name).write_bytes(path.read_bytes())
        args, expect = ("chirps", str(folder)), "chirps-v2.0.2010.03.tif is missing"
    elif case == "word":
        from aez.sources.samples import write_spt

        write_spt(folder, (119.4, -8.7, 119.8, -8.4), words={"Tekstur": "lempung berpasir"})
        args, expect = ("spt", str(folder)), "Tekstur: 'lempung berpasir' (1 polygon)"
    else:
        from aez.sources.samples import write_dem_tiles

        write_dem_tiles(folder, (121.5, -9.5, 122.5, -8.2), skip=["S10E122.hgt"])
        args, expect = ("dem", str(folder)), "no tile covers"
    result = run_cli("sources", "import", *args, "--to", str(tmp_path / "out"))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and expect in lines[0], result.output


def test_cli_list_names_every_source(run_cli):
    result = run_cli("sources", "list")
    assert result.exit_code == 0
    for name in ("soilgrids", "hwsd", "spt", "dem", "chirps", "worldclim"):
        assert f"{name}  " in result.output
    assert "phh2o_0-5cm_mean.tif" in result.output and "oldeman_zone" in result.output


@pytest.mark.slow
def test_example_06_runs_give_the_same_bytes(tmp_path):
    done = subprocess.run([sys.executable, str(EXAMPLES / "07_real_sources.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-2000:]
    assert "outputs identical byte for byte, 0 different" in done.stdout
    assert (tmp_path / "run-direct" / "rasters" / "kakao_class.tif").exists()
