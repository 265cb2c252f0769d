"""Source readers on fixtures in the providers' native layouts, against hand-computed values.

Each fixture (:mod:`aez.sources.samples`) holds the hand cases in its first cell:
SoilGrids pH 55 → 5.5, sand 200 / silt 300 / clay 500 g/kg → USDA clay → BBSDLP
"fine"; twelve CHIRPS months → 1825 mm, 4 dry months, Oldeman C3, Schmidt–Ferguson C.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.windows import Window

from aez.characteristics import characteristic
from aez.errors import ConfigError, DataSourceError
from aez.harmonize.provided import open_provided
from aez.sources import SOURCES, open_reader
from aez.sources.samples import (
    write_chirps,
    write_dem_tiles,
    write_hwsd,
    write_soilgrids,
    write_spt,
    write_worldclim,
)
from aez.sources.spt import read_spt
from aez.sources.texture import BBSDLP_GROUP, USDA_CLASSES, usda_texture

BOUNDS = (122.0, -8.7, 122.3, -8.45)
TEXTURE = characteristic("texture").classes
DRAINAGE = characteristic("drainage").classes
FIRST = Window(0, 0, 3, 2)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sources")
    write_soilgrids(root / "soilgrids", BOUNDS)
    write_hwsd(root / "hwsd", BOUNDS)
    write_spt(root / "spt", BOUNDS)
    write_chirps(root / "chirps", BOUNDS, years=(2010, 2011))
    write_worldclim(root / "worldclim", BOUNDS)
    return root


# -- SoilGrids ----------------------------------------------------------------------------------


def test_soilgrids_fixture_keeps_the_native_layout(files):
    path = files / "soilgrids" / "phh2o_0-5cm_mean.tif"
    with rasterio.open(path) as src:
        assert src.dtypes[0] == "int16" and src.nodata == -32768
        assert "+proj=igh" in src.crs.to_proj4() and src.res == (250.0, 250.0)
        # aligned on SoilGrids' global grid
        assert (src.transform.c + 19949750.0) % 250 == 0
        assert (8361000.0 - src.transform.f) % 250 == 0
        assert src.scales[0] == 1.0


def test_soilgrids_hand_values(files):
    reader = open_reader("soilgrids", [files / "soilgrids"])
    values = {name: reader.read(name, FIRST) for name in reader.outputs()}
    assert values["ph_h2o"][0, 0] == np.float32(5.5)  # 55 / 10
    assert values["c_organic"][0, 0] == np.float32(1.5)  # 150 dg/kg = 15 g/kg = 1.5 %
    assert values["coarse_fragments"][0, 0] == np.float32(12.0)  # 120 ‰
    assert values["cec_clay"][0, 0] == np.float32(50.0)  # 25 cmol/kg soil / 50 % clay
    assert values["n_total"][0, 0] == np.float32(0.2)  # 200 cg/kg = 2 g/kg = 0.2 %
    assert TEXTURE[values["texture"][0, 0] - 1] == "fine"  # USDA clay
    # 0-30 cm: 50 × 5/30 + 55 × 10/30 + 60 × 15/30 = 56.667 → pH 5.6667
    assert values["ph_h2o"][0, 1] == pytest.approx((50 * 5 + 55 * 10 + 60 * 15) / 300, abs=1e-6)


def test_soilgrids_depth_weights_against_the_raw_files(files):
    reader = open_reader("soilgrids", [files / "soilgrids"], depth="5-30")
    with rasterio.open(files / "soilgrids" / "soc_5-15cm_mean.tif") as a, \
            rasterio.open(files / "soilgrids" / "soc_15-30cm_mean.tif") as b:
        raw = (a.read(1).astype(float) * 10 + b.read(1).astype(float) * 15) / 25
        nodata = a.read(1) == -32768
    got = reader.read("c_organic", Window(0, 0, raw.shape[1], raw.shape[0]))
    expected = np.where(nodata, np.nan, raw / 100)
    np.testing.assert_allclose(got, expected.astype(np.float32), rtol=1e-6)
    assert np.isnan(got[-1, -1])


def test_soilgrids_nodata_stays_nodata(files):
    reader = open_reader("soilgrids", [files / "soilgrids"])
    h, w = reader.grid.height, reader.grid.width
    window = Window(w - 2, h - 2, 2, 2)
    assert np.isnan(reader.read("ph_h2o", window)[-1, -1])
    assert reader.read("texture", window)[-1, -1] == -1


@pytest.mark.parametrize(("name", "message"), [
    ("phh2o_0-10cm_mean.tif", "depth label '0-10cm'"),
    ("ph.tif", "not named like a SoilGrids file"),
    ("wrb_0-5cm_mean.tif", "whose scale aez does not know"),
])
def test_soilgrids_bad_names(files, tmp_path, name, message):
    data = files / "soilgrids" / "phh2o_0-5cm_mean.tif"
    (tmp_path / name).write_bytes(data.read_bytes())
    with pytest.raises(DataSourceError, match=message) as info:
        open_reader("soilgrids", [tmp_path])
    assert name in str(info.value) and "\n" not in str(info.value)


def test_soilgrids_file_without_its_scale(files, tmp_path):
    """A file already converted to float (its mapped-units scale lost) is refused."""
    with rasterio.open(files / "soilgrids" / "phh2o_0-5cm_mean.tif") as src:
        profile = src.profile | {"dtype": "float32", "nodata": -32768.0}
        data = src.read(1).astype("float32") / 10
    with rasterio.open(tmp_path / "phh2o_0-5cm_mean.tif", "w", **profile) as dst:
        dst.write(data, 1)
    with pytest.raises(DataSourceError, match=r"phh2o_0-5cm_mean.tif is float32; SoilGrids files"):
        open_reader("soilgrids", [tmp_path])


def test_soilgrids_depth_not_covered(files):
    with pytest.raises(DataSourceError, match=r"depth range 0-60 cm is not covered by the depth "
                                              r"layers given \(0-5cm, 5-15cm, 15-30cm\)"):
        open_reader("soilgrids", [files / "soilgrids"], depth="0-60")
    reader = open_reader("soilgrids", [files / "soilgrids" / "phh2o_0-5cm_mean.tif"], depth="0-5")
    assert list(reader.outputs()) == ["ph_h2o"]
    with pytest.raises(ConfigError, match="does not provide 'texture'"):
        reader.read("texture", FIRST)


def test_usda_triangle_corners_and_edges():
    cases = {  # (sand, silt, clay) % → USDA class, from the Soil Survey Manual's triangle
        (100, 0, 0): "sand", (0, 100, 0): "silt", (0, 0, 100): "clay",
        (85, 10, 5): "loamy sand", (65, 25, 10): "sandy loam", (40, 40, 20): "loam",
        (20, 65, 15): "silt loam", (60, 10, 30): "sandy clay loam", (30, 35, 35): "clay loam",
        (10, 55, 35): "silty clay loam", (50, 5, 45): "sandy clay", (5, 50, 45): "silty clay",
        (20, 30, 50): "clay",
    }
    sand, silt, clay = (np.array(v, dtype=float) for v in zip(*cases, strict=True))
    got = [USDA_CLASSES[c] for c in usda_texture(sand * 10, silt * 10, clay * 10)]
    assert got == list(cases.values())
    assert BBSDLP_GROUP["clay"] == "fine" and BBSDLP_GROUP["sandy loam"] == "moderately_coarse"


# -- HWSD ----------------------------------------------------------------------------------------


def test_hwsd_dominant_and_weighted(files):
    dominant = open_reader("hwsd", [files / "hwsd"])
    weighted = open_reader("hwsd", [files / "hwsd"], aggregate="weighted")
    # SMU 11001, 0-30 cm: soil 1 (60 %) pH 5.0 (0-20) and 6.5 (20-40) → 5.5; soil 2 (40 %) 7.0.
    assert dominant.read("ph_h2o", FIRST)[0, 0] == pytest.approx(5.5)
    assert weighted.read("ph_h2o", FIRST)[0, 0] == pytest.approx(0.6 * 5.5 + 0.4 * 7.0)
    assert DRAINAGE[dominant.read("drainage", FIRST)[0, 0] - 1] == "moderately_well"  # MW
    assert TEXTURE[dominant.read("texture", FIRST)[0, 0] - 1] == "medium"  # USDA 9, loam
    # weighted texture: loam 60 % vs clay 40 % → medium; coarse: soil 2 has -9 (no data) → 10
    assert TEXTURE[weighted.read("texture", FIRST)[0, 0] - 1] == "medium"
    assert weighted.read("coarse_fragments", FIRST)[0, 0] == pytest.approx(10.0)
    h, w = dominant.grid.height, dominant.grid.width
    assert np.isnan(dominant.read("ph_h2o", Window(w - 1, h - 1, 1, 1))[0, 0])  # nodata 65535


def test_hwsd_needs_its_table(files, tmp_path):
    (tmp_path / "HWSD2.bil").write_bytes((files / "hwsd" / "HWSD2.bil").read_bytes())
    with pytest.raises(DataSourceError, match="HWSD2_LAYERS table"):
        open_reader("hwsd", [tmp_path])


def test_hwsd_reads_an_sqlite_export(files, tmp_path):
    import sqlite3

    import pandas as pd

    table = pd.read_csv(files / "hwsd" / "HWSD2_LAYERS.csv")
    with sqlite3.connect(tmp_path / "hwsd2.sqlite") as db:
        table.to_sql("HWSD2_LAYERS", db, index=False)
    reader = open_reader("hwsd", [files / "hwsd" / "HWSD2.bil", tmp_path / "hwsd2.sqlite"])
    assert reader.read("ph_h2o", FIRST)[0, 0] == pytest.approx(5.5)


# -- SPT -----------------------------------------------------------------------------------------


def test_spt_words_and_numbers(files):
    frame, outputs = read_spt([files / "spt"])
    assert set(outputs) == {"drainage", "texture", "soil_depth", "slope", "erosion", "cec_clay",
                            "base_saturation", "ph_h2o", "c_organic"}
    drainage = [DRAINAGE[c - 1] for c in frame["drainage"]]
    assert drainage == ["well", "somewhat_poor", "moderately_well", "poor"]  # "Sedang" too
    assert [TEXTURE[c - 1] for c in frame["texture"]] == [
        "moderately_fine", "fine", "medium", "moderately_coarse"]
    assert frame["soil_depth"].tolist() == [100.0, 75.0, 62.5, 35.0]
    assert frame["slope"].tolist() == [1.5, 11.5, 5.5, 20.0]
    np.testing.assert_allclose(frame["cec_clay"], [24.5, 16, 30.2, 12], rtol=1e-6)  # "24,5"
    np.testing.assert_allclose(frame["ph_h2o"], [5.5, 4.8, 6.2, 5.0], rtol=1e-6)


def test_spt_unknown_words_are_listed_with_their_fields(tmp_path):
    path = write_spt(tmp_path, BOUNDS, words={"Drainase": "agak buruk", "Tekstur": "lempung"})
    with pytest.raises(DataSourceError) as info:
        read_spt([path])
    message = str(info.value)
    assert "Drainase: 'agak buruk' (1 polygon)" in message
    assert "Tekstur: 'lempung' (1 polygon)" in message and "--profile" in message


def test_spt_user_profile(tmp_path):
    path = write_spt(tmp_path, BOUNDS, words={"Drainase": "agak buruk"})
    profile = tmp_path / "profile.toml"
    shipped = (Path(__file__).parents[1] / "aez/sources/profiles/bbsdlp_spt.toml").read_text()
    profile.write_text(shipped.replace('"terhambat" = "poor"',
                                       '"terhambat" = "poor"\n"agak buruk" = "somewhat_poor"'))
    frame, _ = read_spt([path], profile=profile)
    assert DRAINAGE[frame["drainage"][0] - 1] == "somewhat_poor"


def test_spt_profile_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[fields.texture]\ncolumns = ["Tekstur"]\n'
                   '[fields.texture.words]\n"halus" = "fin"\n')
    with pytest.raises(ConfigError, match="'fin', which is not a texture class"):
        read_spt([write_spt(tmp_path, BOUNDS)], profile=bad)


# -- climate -------------------------------------------------------------------------------------


def test_chirps_layout_and_hand_indices(files):
    with rasterio.open(files / "chirps" / "chirps-v2.0.2010.01.tif") as src:
        assert src.crs.to_epsg() == 4326 and src.nodata == -9999 and src.dtypes[0] == "float32"
        assert src.res == pytest.approx((0.05, 0.05))
    expected = {"rainfall": 1825.0, "dry_months": 4.0, "oldeman_wet_months": 5.0,
                "oldeman_dry_months": 5.0, "schmidt_ferguson_q": 400 / 7}
    for name, value in expected.items():
        provided = open_provided("chirps", name, [files / "chirps"])
        assert provided.read(FIRST)[0, 0] == pytest.approx(value, rel=1e-6), name
    zone = open_provided("chirps", "oldeman_zone", [files / "chirps"])
    assert zone.output.legend[int(zone.read(FIRST)[0, 0])] == "C3"
    sf = open_provided("chirps", "schmidt_ferguson_type", [files / "chirps"])
    assert sf.output.legend[int(sf.read(FIRST)[0, 0])] == "C"
    last = Window(0, 0, 0, 0)
    del last


def test_chirps_year_stack_against_numpy(files):
    reader = open_reader("chirps", [files / "chirps"])
    window = Window(0, 0, reader.grid.width, reader.grid.height)
    stack = np.stack([[rasterio.open(files / "chirps" / f"chirps-v2.0.{y}.{m:02d}.tif").read(1)
                       for m in range(1, 13)] for y in (2010, 2011)]).astype(float)
    stack[stack == -9999] = np.nan
    rain = open_provided("chirps", "rainfall", [files / "chirps"]).read(window)
    np.testing.assert_allclose(rain, stack.sum(axis=1).mean(axis=0).astype(np.float32), rtol=1e-6)
    dry = open_provided("chirps", "dry_months", [files / "chirps"]).read(window)
    count = (stack < 60).sum(axis=1).mean(axis=0)
    np.testing.assert_array_equal(dry[:-1, :-1], count[:-1, :-1].astype(np.float32))
    assert np.isnan(rain[-1, -1]) and np.isnan(dry[-1, -1])


def test_chirps_missing_month_and_years(files, tmp_path):
    for path in (files / "chirps").glob("chirps-v2.0.2010.*.tif"):
        if path.name != "chirps-v2.0.2010.07.tif":
            (tmp_path / path.name).write_bytes(path.read_bytes())
    with pytest.raises(DataSourceError, match=r"chirps-v2.0.2010.07.tif is missing"):
        open_reader("chirps", [tmp_path])
    with pytest.raises(DataSourceError, match="no prec files for the year"):
        open_reader("chirps", [files / "chirps"], years="2009-2010")
    assert open_reader("chirps", [files / "chirps"], years="2011").years("prec") == [2011]


def test_chirps_reads_gzipped_months(tmp_path):
    write_chirps(tmp_path, BOUNDS, years=(2015, 2015), gzip=True)
    rain = open_provided("chirps", "rainfall", [tmp_path]).read(FIRST)
    assert rain[0, 0] == pytest.approx(1825.0)


def test_worldclim_normals_and_bio(files):
    with rasterio.open(files / "worldclim" / "wc2.1_30s_prec_01.tif") as src:
        assert src.dtypes[0] == "int16" and src.res == pytest.approx((1 / 120, 1 / 120))
    temperature = open_provided("worldclim", "temperature", [files / "worldclim"])
    season = [0.6, 0.7, 0.8, 0.7, 0.3, -0.2, -0.6, -0.8, -0.5, 0.0, 0.4, 0.6]
    assert temperature.read(FIRST)[0, 0] == pytest.approx(25 + sum(season) / 12, abs=1e-5)
    rain = open_provided("worldclim", "rainfall", [files / "worldclim"])
    assert rain.read(FIRST)[0, 0] == pytest.approx(1825.0)
    bio_only = [files / "worldclim" / "wc2.1_30s_bio_1.tif", files / "worldclim" /
                "wc2.1_30s_bio_12.tif"]
    assert open_provided("worldclim", "rainfall", bio_only).read(FIRST)[0, 0] == 1825.0
    assert math.isclose(open_provided("worldclim", "temperature", bio_only).read(FIRST)[0, 0],
                        25 + sum(season) / 12, abs_tol=1e-5)


def test_worldclim_historical_months_give_tavg(tmp_path):
    write_worldclim(tmp_path, BOUNDS, res="2.5m", years=(2010, 2011))
    reader = open_reader("worldclim", [tmp_path])
    assert reader.years("prec") == [2010, 2011] and "tavg" in reader.variables()
    temperature = open_provided("worldclim", "temperature", [tmp_path]).read(FIRST)
    season = [0.6, 0.7, 0.8, 0.7, 0.3, -0.2, -0.6, -0.8, -0.5, 0.0, 0.4, 0.6]
    assert temperature[0, 0] == pytest.approx(25 + sum(season) / 12, abs=1e-5)  # (tmin+tmax)/2


# -- DEM tiles -----------------------------------------------------------------------------------


def test_srtm_tiles_mosaic_and_gap(tmp_path):
    bounds = (121.5, -8.5, 122.5, -8.2)  # two 1° tiles: S09E121 and S09E122
    files = write_dem_tiles(tmp_path / "ok", bounds)
    assert sorted(p.name for p in files) == ["S09E121.hgt", "S09E122.hgt"]
    reader = open_reader("dem", [tmp_path / "ok"])
    assert (reader.grid.width, reader.grid.height) == (2401, 1201)  # shared edge column
    assert "<VRTDataset" in reader.vrt and "S09E121.hgt" in reader.vrt
    with rasterio.open(files[0]) as src:
        raw = src.read(1)
    got = reader.read("elevation", Window(0, 0, 1201, 1201))
    np.testing.assert_array_equal(got[raw != -32768], raw[raw != -32768].astype(np.float32))
    assert np.isnan(got[600, 600])  # a void stays nodata
    write_dem_tiles(tmp_path / "gap", (121.5, -9.5, 122.5, -8.2), skip=["S10E122.hgt"])
    with pytest.raises(DataSourceError, match=r"gap.*S10E122"):
        open_reader("dem", [tmp_path / "gap"])


@pytest.mark.parametrize("kind", ["demnas", "copernicus"])
def test_geotiff_dem_tiles(tmp_path, kind):
    files = write_dem_tiles(tmp_path, (122.05, -8.65, 122.25, -8.45), kind=kind)
    assert len(files) == 9
    reader = open_reader("dem", [tmp_path])
    assert reader.grid.width == reader.grid.height == 3 * 360


def test_sources_registry_lists_every_reader():
    assert set(SOURCES) == {"soilgrids", "hwsd", "spt", "dem", "chirps", "worldclim"}
    with pytest.raises(ConfigError, match="Unknown data source 'soilgrid'"):
        open_reader("soilgrid", [])


def test_chirps_monthly_netcdf_gives_the_geotiffs_values(files, tmp_path):
    from aez.sources.samples import write_chirps_netcdf

    path = write_chirps_netcdf(tmp_path, BOUNDS, years=(2010, 2011))
    reader = open_reader("chirps", [path])
    assert reader.years("prec") == [2010, 2011] and reader.grid.crs.to_epsg() == 4326
    assert reader.inputs() == [path.resolve()]
    whole = Window(0, 0, reader.grid.width, reader.grid.height)
    for name in ("rainfall", "dry_months", "oldeman_zone"):
        from_nc = open_provided("chirps", name, [path]).read(whole)
        from_tif = open_provided("chirps", name, [files / "chirps"]).read(whole)
        np.testing.assert_array_equal(from_nc, from_tif, err_msg=name)
    assert open_provided("chirps", "rainfall", [path]).read(FIRST)[0, 0] == 1825.0
