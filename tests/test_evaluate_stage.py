"""The suitability stage over a layer stack, constraints, and ``aez evaluate-units``."""

from __future__ import annotations

import hashlib
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from rasterio.windows import Window

from aez.characteristics import CHARACTERISTICS
from aez.config import load_config
from aez.crops import load_crop, parse_crop
from aez.errors import AEZWarning, ConfigError, DataSourceError
from aez.evaluate import EXCLUDED, NODATA, evaluate_layers, evaluate_units, subclass_text
from aez.evaluate.constraints import Constraint
from aez.harmonize import LayerStack
from aez.pipeline import StageOptions, evaluate_stack
from aez.pipeline.suitability import INDEX_NODATA, INDEX_STEP
from aez.testing import write_tiny_region

SOURCES = [{"key": "test", "citation": "Test bands for the tiny region."}]

#: A crop rated on what the tiny region provides (rainfall, pH, drainage, texture, CEC).
TEST_CROP = parse_crop({
    "id": "tanaman_uji", "name_id": "Tanaman uji", "name_en": "Test crop",
    "scientific_name": "Planta probata", "group": "food", "sources": SOURCES,
    "characteristics": {
        "rainfall": {"units": "mm/yr", "S1": [1500, 2500], "S2": [[1200, 1500], [2500, 3000]],
                     "S3": [[900, 1200], [3000, 3500]], "N": [[0, 900], [3500, "inf"]],
                     "source": "test"},
        "ph_h2o": {"units": "", "S1": [5.5, 7.0], "S2": [[5.0, 5.5], [7.0, 7.5]],
                   "S3": [[4.5, 5.0], [7.5, 8.0]], "N": [[0, 4.5], [8.0, 14]],
                   "improvement": 1, "source": "test"},
        "drainage": {"S1": ["well", "moderately_well"], "S2": ["somewhat_poor"],
                     "S3": ["poor", "somewhat_excessive"], "N": ["very_poor", "excessive"],
                     "improvement": 1, "source": "test"},
        "texture": {"S1": ["fine", "moderately_fine", "medium"], "S2": ["very_fine"],
                    "S3": ["moderately_coarse"], "N": ["coarse"], "source": "test"},
        "cec_clay": {"units": "cmol/kg", "S1": [16, "inf"], "S2": [10, 16], "S3": [0, 10],
                     "source": "test"},
        "slope": {"units": "%", "S1": [0, 8], "S2": [8, 15], "S3": [15, 30], "N": [30, "inf"],
                  "source": "test"},
    },
})


def _run(stack, outdir, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AEZWarning)  # slope has no layer in the tiny region
        return evaluate_stack(stack, [TEST_CROP], outdir, **kwargs)["tanaman_uji"]


@pytest.fixture(scope="module")
def coarse_stack(tmp_path_factory):
    """The tiny region at 100 m: enough cells for the stage, fast to run."""
    config = write_tiny_region(tmp_path_factory.mktemp("coarse"), resolution=100)
    return LayerStack.from_config(load_config(config))


def _districts(stack):
    grid = stack.grid
    return stack.study_area.rasterize(grid, Window(0, 0, grid.width, grid.height))


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_stage_bytes_do_not_depend_on_tiles_or_executor(coarse_stack, tmp_path):
    a = _run(coarse_stack, tmp_path / "a", options=StageOptions(tile_size=512))
    b = _run(coarse_stack, tmp_path / "b",
             options=StageOptions(tile_size=48, executor="threads", workers=2))
    for output, path in a.paths.items():
        assert _digest(path) == _digest(b.paths[output]), output
    np.testing.assert_array_equal(a.cells, b.cells)
    np.testing.assert_array_equal(a.area_cm2, b.area_cm2)
    np.testing.assert_array_equal(a.limited_cells, b.limited_cells)
    np.testing.assert_array_equal(a.index_sum, b.index_sum)
    assert a.skipped == ("slope",)
    assert set(a.evaluated) == {"rainfall", "ph_h2o", "drainage", "texture", "cec_clay"}


def test_stage_totals_match_a_whole_grid_count(coarse_stack, tmp_path):
    totals = _run(coarse_stack, tmp_path / "out", options=StageOptions(tile_size=64))
    with rasterio.open(totals.paths["class"]) as src:
        classes = src.read(1)
    index = _read_index(totals.paths["index"])
    district = _districts(coarse_stack)
    area = np.broadcast_to(coarse_stack.grid.cell_area(), classes.shape)
    for d in range(len(coarse_stack.study_area.districts)):
        here = district == d
        for code in range(7):
            cells = here & (classes == code)
            assert totals.cells[d, code] == cells.sum()
            assert totals.hectares[d, code] == pytest.approx(area[cells].sum() / 1e4, rel=1e-9)
        rated = here & ~np.isnan(index)
        assert totals.index_cells[d] == rated.sum()
        # The raster stores the index in steps of INDEX_STEP; the totals sum the exact index,
        # so the two means differ by at most half a step.
        assert totals.mean_index[d] == pytest.approx(index[rated].mean(), abs=INDEX_STEP / 2)
    assert (classes[district < 0] == NODATA).all()
    assert totals.cells[:, NODATA].sum() == 0  # no district cell is left unrated


def test_stage_agrees_with_the_layer_api(coarse_stack, tmp_path):
    totals = _run(coarse_stack, tmp_path / "out", options=StageOptions(tile_size=64))
    layers = {c: coarse_stack.read_layer(c) for c in totals.evaluated}
    inside = _districts(coarse_stack) >= 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AEZWarning)
        direct = evaluate_layers(layers, TEST_CROP, valid=inside)
    with rasterio.open(totals.paths["class"]) as src:
        np.testing.assert_array_equal(src.read(1), direct.actual)
    with rasterio.open(totals.paths["subclass"]) as src:
        np.testing.assert_array_equal(src.read(1)[inside], direct.subclass[inside])
    with rasterio.open(totals.paths["potential"]) as src:
        np.testing.assert_array_equal(src.read(1), direct.potential)
    # The index raster: the computed index rounded to the documented step, NaN as nodata.
    stored = _read_index(totals.paths["index"])
    np.testing.assert_array_equal(np.isnan(stored), np.isnan(direct.index))
    rated = ~np.isnan(direct.index)
    np.testing.assert_array_equal(
        stored[rated], np.rint(direct.index[rated].astype(np.float64) / INDEX_STEP) * INDEX_STEP)
    assert np.abs(stored[rated] - direct.index[rated]).max() <= INDEX_STEP / 2 + 1e-7


def _read_index(path):
    """The index raster as floats: stored × scale + offset, NaN where nodata (as QGIS reads it)."""
    with rasterio.open(path) as src:
        assert src.dtypes[0] == "uint8" and src.nodata == INDEX_NODATA
        assert src.scales == (INDEX_STEP,) and src.offsets == (0.0,)
        stored = src.read(1)
    return np.where(stored == INDEX_NODATA, np.nan, stored * INDEX_STEP + 0.0)


def test_raster_and_land_unit_paths_agree(coarse_stack):
    names = ["rainfall", "ph_h2o", "drainage", "texture", "cec_clay"]
    layers = {n: coarse_stack.read_layer(n) for n in names}
    table = {}
    for name, layer in layers.items():
        values = layer.data.ravel()
        if layer.kind == "categorical":
            labels = {code: label for code, label in (layer.legend or {}).items()}
            table[name] = [labels.get(int(v)) for v in values]
        else:
            table[name] = values.astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AEZWarning)
        raster = evaluate_layers(layers, TEST_CROP)
        units = evaluate_units(pd.DataFrame(table), [TEST_CROP])
    assert units["tanaman_uji_subclass"].tolist() == \
        subclass_text(raster.actual, raster.subclass).ravel().tolist()
    np.testing.assert_array_equal(units["tanaman_uji_index"].to_numpy(),
                                  raster.index.ravel().astype(float))


def test_constraints_exclude_land_before_scoring(coarse_stack, tmp_path):
    drainage = coarse_stack.read_layer("drainage")
    inside = _districts(coarse_stack) >= 0
    code = next(c for c, label in drainage.legend.items() if label == "very_poor")
    wet = inside & (drainage.data == code)
    assert wet.any(), "the tiny region should have very poorly drained land"
    totals = _run(coarse_stack, tmp_path / "out", options=StageOptions(tile_size=64),
                  constraints=[Constraint("swamp", "drainage", classes=("very_poor",))])
    with rasterio.open(totals.paths["class"]) as src:
        classes = src.read(1)
    np.testing.assert_array_equal(classes == EXCLUDED, wet)
    assert totals.cells[:, EXCLUDED].sum() == wet.sum()
    assert np.isnan(_read_index(totals.paths["index"])[wet]).all()


@pytest.mark.parametrize(("constraint", "message"), [
    (Constraint("c", "nothing", above=1), "not declared"),
    (Constraint("c", "drainage", above=1), "categorical"),
    (Constraint("c", "ph_h2o", classes=("acid",)), "continuous"),
    (Constraint("c", "drainage", classes=("soggy",)), "no class 'soggy'"),
])
def test_bad_constraints(coarse_stack, tmp_path, constraint, message):
    with pytest.raises(ConfigError, match=message):
        _run(coarse_stack, tmp_path / "out", constraints=[constraint])


def test_constraint_needs_a_condition():
    with pytest.raises(ConfigError, match="needs `above`, `below` or `classes`"):
        Constraint("empty", "slope")


def test_unit_mismatch_is_detected_from_the_layer(region_copy, tmp_path):
    config = region_copy(edit=lambda t: t.replace('path = "rainfall_wgs84.tif"\nunits = "mm/yr"',
                                                  'path = "rainfall_wgs84.tif"\nunits = "m"'))
    stack = LayerStack.from_config(load_config(config))
    with pytest.raises(ConfigError, match=r"rainfall.*in 'm'.*expects 'mm/yr'"):
        _run(stack, tmp_path / "out")


def test_config_declares_crops_and_constraints(region_copy):
    config = region_copy(edit=lambda t: t + (
        '\n[evaluate]\ncrops = ["jagung"]\naggregate = "geometric_mean"\n'
        '[constraints.swamp]\nlayer = "drainage"\nclasses = ["very_poor"]\n'))
    cfg = load_config(config)
    assert cfg.evaluate.crops == ("jagung",)
    assert cfg.evaluate.aggregate == "geometric_mean"
    assert cfg.constraints["swamp"].classes == ("very_poor",)


# -- aez evaluate-units ------------------------------------------------------------------------

def _units_table():
    # Hand-rated against TEST_CROP:
    #  A: rain 2000 S1, pH 6.0 S1, well S1, medium S1, CEC 20 S1          → S1
    #  B: rain 2800 S2 (wa), pH 4.8 S3 (nr), poor S3 (oa), CEC 12 S2 (nr) → S3-oa,nr
    #  C: rain 800 N (wa), pH 6.0 S1 …                                    → N-wa
    return pd.DataFrame({
        "spt": [1, 2, 3],
        "rainfall": [2000.0, 2800.0, 800.0],
        "ph_h2o": [6.0, 4.8, 6.0],
        "drainage": ["well", "poor", "well"],
        "texture": ["medium", "medium", "fine"],
        "cec_clay": [20.0, 12.0, 20.0],
        "slope": [3.0, 3.0, 3.0],
    })


@pytest.fixture
def crop_file(tmp_path):
    path = tmp_path / "tanaman_uji.toml"
    bands = {
        "rainfall": ('units = "mm/yr"\nS1 = [1500, 2500]\nS2 = [[1200, 1500], [2500, 3000]]\n'
                     'S3 = [[900, 1200], [3000, 3500]]\nN = [[0, 900], [3500, inf]]'),
        "ph_h2o": ('units = ""\nS1 = [5.5, 7.0]\nS2 = [[5.0, 5.5], [7.0, 7.5]]\n'
                   'S3 = [[4.5, 5.0], [7.5, 8.0]]\nN = [[0, 4.5], [8.0, 14]]\nimprovement = 1'),
        "drainage": ('S1 = ["well", "moderately_well"]\nS2 = ["somewhat_poor"]\n'
                     'S3 = ["poor", "somewhat_excessive"]\nN = ["very_poor", "excessive"]\n'
                     'improvement = 1'),
        "texture": ('S1 = ["fine", "moderately_fine", "medium"]\nS2 = ["very_fine"]\n'
                    'S3 = ["moderately_coarse"]\nN = ["coarse"]'),
        "cec_clay": 'units = "cmol/kg"\nS1 = [16, inf]\nS2 = [10, 16]\nS3 = [0, 10]',
    }
    text = ('id = "tanaman_uji"\nname_id = "Tanaman uji"\nname_en = "Test crop"\n'
            'scientific_name = "Planta probata"\ngroup = "food"\n'
            'sources = [{ key = "test", citation = "Test bands." }]\n')
    for char, body in bands.items():
        text += f"\n[characteristics.{char}]\n{body}\nsource = \"test\"\n"
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_evaluate_units_csv(run_cli, tmp_path, crop_file):
    units = tmp_path / "units.csv"
    _units_table().to_csv(units, index=False)
    out = tmp_path / "result.csv"
    result = run_cli("evaluate-units", units, "--crop", crop_file, "-o", out)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert table["tanaman_uji_class"].tolist() == ["S1", "S3", "N"]
    assert table["tanaman_uji_subclass"].tolist() == ["S1", "S3-oa,nr", "N-wa"]
    # Potential: pH and drainage improve one class (S3 → S2), rainfall does not: S2-wa,oa,nr.
    assert table["tanaman_uji_potential"].tolist() == ["S1", "S2", "N"]
    assert "Evaluated 3 land units" in result.output
    # Indices to 4 decimals, as the API computes them rounded (not 0.7525201439857483).
    raw = pd.read_csv(out, dtype=str)["tanaman_uji_index"]
    assert all(len(v.split(".")[1]) <= 4 for v in raw if "." in v)
    exact = evaluate_units(_units_table(), [load_crop(crop_file)])["tanaman_uji_index"]
    np.testing.assert_allclose(table["tanaman_uji_index"], exact.round(4), atol=1e-12)
    again = run_cli("evaluate-units", units, "--crop", crop_file, "-o", out)
    assert again.exit_code == 1 and "--overwrite" in again.output


def test_cli_evaluate_units_gpkg(run_cli, tmp_path, crop_file):
    from shapely.geometry import box

    frame = gpd.GeoDataFrame(_units_table(),
                             geometry=[box(i, 0, i + 1, 1) for i in range(3)], crs="EPSG:32750")
    units = tmp_path / "spt.gpkg"
    frame.to_file(units, driver="GPKG")
    out = tmp_path / "spt_eval.gpkg"
    result = run_cli("evaluate-units", units, "--crop", crop_file, "-o", out)
    assert result.exit_code == 0, result.output
    back = gpd.read_file(out)
    assert back.crs == frame.crs
    assert back["tanaman_uji_subclass"].tolist() == ["S1", "S3-oa,nr", "N-wa"]


def test_cli_evaluate_units_errors(run_cli, tmp_path, crop_file, snapshot):
    units = tmp_path / "units.csv"
    bad = _units_table()
    bad.loc[1, "drainage"] = "soggy"
    bad.to_csv(units, index=False)
    before = snapshot(tmp_path)
    result = run_cli("evaluate-units", units, "--crop", crop_file, "-o", tmp_path / "r.csv")
    assert result.exit_code == 1
    assert "'soggy'" in result.output and "very_poor" in result.output
    unknown = run_cli("evaluate-units", units, "--crop", "jagungg", "-o", tmp_path / "r.csv")
    assert unknown.exit_code == 1 and "'jagung'" in unknown.output
    assert snapshot(tmp_path) == before  # nothing written


def test_land_unit_codes_outside_the_legend_are_an_error(coarse_stack):
    drainage = coarse_stack.read_layer("drainage")
    stray = drainage.replace(data=np.full(drainage.shape, 42, dtype=drainage.data.dtype))
    with pytest.raises(DataSourceError, match=r"\[42\]"), warnings.catch_warnings():
        warnings.simplefilter("ignore", AEZWarning)
        evaluate_layers({"drainage": stray}, TEST_CROP)


def test_every_characteristic_has_a_quality():
    assert all(c.quality for c in CHARACTERISTICS.values())


def test_peat_maturity_does_not_apply_on_mineral_soil():
    # jagung rates fibric peat N (rc). On mineral soil (peat depth 0) maturity means nothing:
    # it neither limits nor counts as missing; with peat depth unknown it stays unknown.
    table = pd.DataFrame({"peat_depth": [0.0, 150.0, np.nan],
                          "peat_maturity": [None, "fibric", None]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AEZWarning)
        out = evaluate_units(table, ["jagung"])
    assert out["jagung_subclass"].tolist()[1:] == ["N-rc", "unknown-rc"]
    assert out["jagung_class"][0] != "unknown"


def test_derived_layers_feed_the_evaluation(region_copy, tmp_path):
    config = region_copy(edit=lambda t: t + (
        '\n[layers.slope]\nfrom = "dem"\nmethod = "slope"\nunits = "%"\n'))
    stack = LayerStack.from_config(load_config(config))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AEZWarning)
        totals = evaluate_stack(stack, [TEST_CROP], tmp_path / "out",
                                options=StageOptions(tile_size=256))
    assert "slope" in totals["tanaman_uji"].evaluated
    assert totals["tanaman_uji"].skipped == ()


def test_improvement_helps_only_the_side_it_works_on():
    # Liming (1 class) helps acid soil only; drains (1 class) help wet soil only.
    crop = parse_crop({
        "id": "uji_arah", "name_id": "Uji", "name_en": "Test", "scientific_name": "P. p.",
        "group": "food", "sources": SOURCES,
        "characteristics": {
            "ph_h2o": {"units": "", "S1": [5.5, 7.0], "S2": [[5.0, 5.5], [7.0, 7.5]],
                       "S3": [[4.5, 5.0], [7.5, 8.0]], "N": [[0, 4.5], [8.0, 14]],
                       "improvement": 1, "improves": "below", "source": "test"},
            "drainage": {"S1": ["well", "moderately_well"], "S2": ["somewhat_poor"],
                         "S3": ["poor", "somewhat_excessive"], "N": ["very_poor", "excessive"],
                         "improvement": 1, "improves": ["somewhat_poor", "poor", "very_poor"],
                         "source": "test"},
        },
    })
    # pH 4.8: S3 acid → potential S2.  pH 7.8: S3 alkaline → stays S3.
    # poor: S3 → S2.  excessive: N → stays N.  very_poor: N → S3.
    table = pd.DataFrame({"ph_h2o": [4.8, 7.8, 6.0, 6.0, 6.0],
                          "drainage": ["well", "well", "poor", "excessive", "very_poor"]})
    expected = ["S2", "S3", "S2", "N", "S3"]
    out = evaluate_units(table, [crop])
    assert out["uji_arah_potential"].tolist() == expected
    # The compiled kernel (large arrays) agrees with the table path.
    big = pd.concat([table] * 1000, ignore_index=True)
    assert evaluate_units(big, [crop])["uji_arah_potential"].tolist() == expected * 1000


@pytest.mark.parametrize(("improves", "message"), [
    ("lower", "below"), (["poorly"], "classes the improvement helps"),
])
def test_bad_improves(improves, message):
    char = "ph_h2o" if isinstance(improves, str) else "drainage"
    bands = ({"units": "", "S1": [0, 14]} if char == "ph_h2o" else
             {"S1": list(CHARACTERISTICS["drainage"].classes)})
    with pytest.raises(ConfigError, match=message):
        parse_crop({"id": "x", "name_id": "X", "name_en": "X", "scientific_name": "X",
                    "group": "food", "sources": SOURCES,
                    "characteristics": {char: {**bands, "improvement": 1,
                                               "improves": improves, "source": "test"}}})
