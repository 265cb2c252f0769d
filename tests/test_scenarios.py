"""Climate scenarios: evaluated in the suitability stage's one pass, as more columns."""

from __future__ import annotations

import hashlib
import html
import warnings
from dataclasses import replace

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from shapely.geometry import box

from aez.config import load_config, loads_config
from aez.crops import parse_crop
from aez.errors import AEZWarning, ConfigError
from aez.evaluate import EXCLUDED, NODATA, S1, S2, S3, UNKNOWN, N
from aez.evaluate.scenarios import Scenario, class_change
from aez.grid import Grid
from aez.harmonize import LayerStack, StudyArea
from aez.harmonize.spec import LayerSpec
from aez.pipeline import StageOptions, evaluate_stack
from aez.pipeline.checks import check_run
from aez.testing import write_tiny_region

SOURCES = [{"key": "test", "citation": "Test bands."}]
TEMPERATURE = {"units": "°C", "S1": [22, 26], "S2": [[20, 22], [26, 27]],
               "S3": [[18, 20], [27, 29]], "N": [["-inf", 18], [29, "inf"]], "source": "test"}
RAINFALL = {"units": "mm/yr", "S1": [1500, 2500], "S2": [[1200, 1500], [2500, 3000]],
            "S3": [[900, 1200], [3000, 3500]], "N": [[0, 900], [3500, "inf"]], "source": "test"}


def _crop(id_, **characteristics):
    return parse_crop({"id": id_, "name_id": id_, "name_en": id_, "scientific_name": "Planta",
                       "group": "food", "sources": SOURCES,
                       "characteristics": characteristics})


WARM_CROP = _crop("tanaman_dingin", temperature=TEMPERATURE)
CLIMATE_CROP = _crop("tanaman_iklim", temperature=TEMPERATURE, rainfall=RAINFALL,
                     ph_h2o={"units": "", "S1": [5.5, 7.0], "S2": [[5.0, 5.5], [7.0, 7.5]],
                             "S3": [[4.5, 5.0], [7.5, 8.0]], "N": [[0, 4.5], [8.0, 14]],
                             "source": "test"})
# a second crop with other temperature bands: both crops' columns share one kernel pass
LOWLAND_CROP = _crop("tanaman_panas", rainfall=RAINFALL, temperature={
    "units": "°C", "S1": [24, 30], "S2": [[22, 24], [30, 32]], "S3": [[20, 22], [32, 35]],
    "N": [["-inf", 20], [35, "inf"]], "source": "test"})


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write(path, grid, values):
    with rasterio.open(path, "w", driver="GTiff", width=grid.width, height=grid.height, count=1,
                       dtype="float32", crs=grid.crs, transform=grid.transform,
                       nodata=float("nan")) as dst:
        dst.write(values.astype(np.float32), 1)
    return path


# -- a hand-worked case: three kecamatan, +2 °C --------------------------------------------------

A, B, C = "53.07.01", "53.07.02", "53.07.03"


def _three_kecamatan(folder, temperatures):
    """Three 10 × 10-cell kecamatan (A, B, C) of 1-ha cells at the given temperatures (°C).

    Three temperatures give one per kecamatan; thirty give one per column of cells.
    """
    grid = Grid.from_bounds((500_000, 9_000_000, 503_000, 9_001_000), resolution=100,
                            crs="EPSG:32750")
    frame = gpd.GeoDataFrame(
        {"kode": [A, B, C]},
        geometry=[box(500_000 + 1000 * i, 9_000_000, 501_000 + 1000 * i, 9_001_000)
                  for i in range(3)], crs="EPSG:32750")
    area = StudyArea.from_frame(frame, grid_crs=grid.crs, id_column="kode")
    temperature = np.repeat(temperatures, 30 // len(temperatures))[None, :].repeat(10, axis=0)
    path = _write(folder / "t.tif", grid, temperature)
    return LayerStack(grid, [LayerSpec(name="temperature", path=path, units="°C")],
                      study_area=area)


@pytest.fixture
def three_kecamatan(tmp_path):
    """Three kecamatan at 25.5, 23.0 and 26.5 °C."""
    return _three_kecamatan(tmp_path, [25.5, 23.0, 26.5])


def test_two_degrees_turn_a_kecamatan_from_s1_to_s3(three_kecamatan, tmp_path):
    # By hand, with S1 22–26 °C, S2 26–27, S3 27–29:
    #   A 25.5 °C: S1 → 27.5 °C: S3 (loss);  B 23.0: S1 → 25.0: S1 (same);
    #   C 26.5: S2 → 28.5: S3 (loss). Each kecamatan is 100 cells of 1 ha.
    plus2 = Scenario("plus2", temperature_delta=2.0)
    totals = evaluate_stack(three_kecamatan, [WARM_CROP], tmp_path, scenarios=[plus2],
                            options=StageOptions(tile_size=16))["tanaman_dingin"]
    expected_base = np.zeros((3, 7))
    expected_base[0, S1] = expected_base[1, S1] = expected_base[2, S2] = 100.0
    expected_plus2 = np.zeros((3, 7))
    expected_plus2[0, S3] = expected_plus2[1, S1] = expected_plus2[2, S3] = 100.0
    np.testing.assert_allclose(totals.hectares, expected_base)
    warm = totals.scenarios["plus2"]
    np.testing.assert_allclose(warm.hectares, expected_plus2)
    assert warm.paths["change"].name == "tanaman_dingin_change_plus2.tif"
    with rasterio.open(warm.paths["change"]) as src:
        change = src.read(1)
        colours = src.colormap(1)
    assert (change[:, :10] == 3).all() and (change[:, 10:20] == 2).all() \
        and (change[:, 20:] == 3).all()
    assert colours[3][:3] == (0xd7, 0x19, 0x1c)  # loss in red


#: A lowland crop: S1 26–32 °C, S2 23–26 and 32–34, S3 20–23 and 34–36.
HOT_CROP = _crop("tanaman_panas2", temperature={
    "units": "°C", "S1": [26, 32], "S2": [[23, 26], [32, 34]], "S3": [[20, 23], [34, 36]],
    "N": [["-inf", 20], [36, "inf"]], "source": "test"})

DECIDE_TOML = """
[grid]
resolution = 100
[layers.temperature]
path = "t.tif"
units = "°C"
[robustness]
draws = 0
"""


def test_two_degrees_change_the_assignment_by_hand(tmp_path):
    from aez.pipeline.decide import decide

    # SI = 90·S1 + 70·S2 + 50·S3 over each kecamatan's land (all of it in one class here);
    # with suitability the only criterion, each kecamatan gets its higher-SI crop.
    #            today: kopi     kelapa → product   +2 °C: kopi   kelapa → product
    #   A 25.5 °C      S1 90    S2 70    kopi        27.5   S3 50  S1 90    kelapa
    #   B 20.5 °C      S2 70    S3 50    kopi        22.5   S1 90  S3 50    kopi
    #   C 26.5 °C      S2 70    S1 90    kelapa      28.5   S3 50  S1 90    kelapa
    # (test bands under built-in ids, whose OTOP groups the decision looks up)
    cool, hot = replace(WARM_CROP, id="kopi_arabika"), replace(HOT_CROP, id="kelapa")
    stack = _three_kecamatan(tmp_path, [25.5, 20.5, 26.5])
    totals = evaluate_stack(stack, [cool, hot], tmp_path / "r",
                            scenarios=[Scenario("plus2", temperature_delta=2.0)])
    config = loads_config(DECIDE_TOML, base=tmp_path)
    decision = decide(config, totals, stack.study_area, stack.grid)
    table = decision.kecamatan
    assert table["product"].to_dict() == {A: "kopi_arabika", B: "kopi_arabika",
                                          C: "kelapa"}
    assert table["product_plus2"].to_dict() == {A: "kelapa", B: "kopi_arabika",
                                                C: "kelapa"}
    assert decision.scenarios["plus2"].table["product"][A] == "kelapa"
    assert table["climate_kept"].to_dict() == {A: 0, B: 1, C: 1}
    assert (table["climate_scenarios"] == 1).all()
    # A's 100 ha stay suitable (S1 → S3), its SI falls 90 → 50; B's rises 70 → 90
    assert table["suitable_change_plus2"].to_dict() == {A: 0.0, B: 0.0, C: 0.0}
    assert table["si_change_plus2"].to_dict() == pytest.approx({A: -40.0, B: 20.0,
                                                                C: 0.0})


def test_the_report_names_the_kecamatan_that_lose_half_their_land(tmp_path):
    from aez.pipeline.decide import decide
    from aez.render.report import ReportContext, render_report

    # By hand, +4 °C (kopi: S1 22–26, S2 20–22 and 26–27, N ≥ 29; kelapa: S1 26–32,
    # S2 23–26, S3 20–23), each column of cells 10 ha:
    #   A: 6 columns at 25.5 °C (kopi S1 → 29.5 N) and 4 at 20.5 (kopi S2 → 24.5 S1):
    #      kopi's 100 suitable ha fall to 40: 60 ha (60 %) lost, named;
    #   B: 5 columns at 25.5 and 5 at 20.5: 50 of 100 ha lost, exactly half, not named;
    #   C: 26.5 °C, kelapa S1 → 30.5 S1: nothing lost.
    cool = replace(WARM_CROP, id="kopi_arabika", name_en="Arabica coffee",
                   name_id="Kopi arabika")
    hot = replace(HOT_CROP, id="kelapa")
    stack = _three_kecamatan(tmp_path, [25.5] * 6 + [20.5] * 4 + [25.5] * 5 + [20.5] * 5
                             + [26.5] * 10)
    totals = evaluate_stack(stack, [cool, hot], tmp_path / "r",
                            scenarios=[Scenario("plus4", temperature_delta=4.0)])
    config = loads_config(DECIDE_TOML, base=tmp_path)
    decision = decide(config, totals, stack.study_area, stack.grid)
    table = decision.kecamatan
    assert table["product"].to_dict() == {A: "kopi_arabika", B: "kopi_arabika", C: "kelapa"}
    assert table["suitable_change_plus4"].to_dict() == {A: -0.6, B: -0.5, C: 0.0}
    assert table["climate_kept"].to_dict() == {A: 0, B: 0, C: 1}
    context = ReportContext(region="Uji", date="2026-01-05", aez_version="0", grid=stack.grid,
                            config=config, decision=decision, crops=[cool, hot], figures={})
    english = render_report(context, lang="en")
    assert english.count("Under the climate scenario") == 1
    assert ("Under the climate scenario plus4, Arabica coffee in kecamatan 53.07.01 loses 60 ha "
            "(60%) of its 100 ha of suitable (S1–S3) land.") in english
    assert "<th>Climate</th>" in english
    assert "kept in 0 of 1 scenarios" in english and "kept in 1 of 1 scenarios" in english
    assert "change in suitable land −60% (worst scenario)" in english
    indonesian = render_report(context, lang="id")
    assert ("Di bawah skenario iklim plus4, Kopi arabika di Kecamatan 53.07.01 kehilangan 60 ha "
            "(60%) dari 100 ha lahannya yang sesuai (S1–S3).") in indonesian
    assert "bertahan di 0 dari 1 skenario" in indonesian
    assert "climate scenarios evaluated, no kecamatan" not in english
    # +1 °C: A's kopi land at 26.5 °C is S2, still suitable; no kecamatan is named
    totals = evaluate_stack(stack, [cool, hot], tmp_path / "r1", options=StageOptions(
        overwrite=True), scenarios=[Scenario("plus1", temperature_delta=1.0)])
    mild = replace(context, decision=decide(config, totals, stack.study_area, stack.grid))
    english = html.unescape(render_report(mild, lang="en"))
    assert "Under the climate scenario" not in english
    assert ("Under the 1 climate scenarios evaluated, no kecamatan's product loses more than "
            "half of its suitable land.") in english


def test_the_scenario_columns_leave_the_baseline_rasters_unchanged(three_kecamatan, tmp_path):
    alone = evaluate_stack(three_kecamatan, [WARM_CROP], tmp_path / "a")["tanaman_dingin"]
    both = evaluate_stack(three_kecamatan, [WARM_CROP], tmp_path / "b",
                          scenarios=[Scenario("plus2", temperature_delta=2.0)])["tanaman_dingin"]
    for output, path in alone.paths.items():
        assert _digest(path) == _digest(both.paths[output]), output
    assert not alone.scenarios


def test_class_change_codes_by_hand():
    base = np.array([S1, S1, S3, N, S2, EXCLUDED, UNKNOWN, NODATA], np.uint8)
    scen = np.array([S3, S1, S2, N, UNKNOWN, EXCLUDED, S1, NODATA], np.uint8)
    # loss, same, gain, same, not rated, not rated, not rated, nodata
    assert class_change(base, scen).tolist() == [3, 2, 1, 2, 4, 4, 4, 0]


CLIMATE_CROP_PH = {"units": "", "S1": [5.5, 7.0], "S2": [[5.0, 5.5], [7.0, 7.5]],
                   "S3": [[4.5, 5.0], [7.5, 8.0]], "N": [[0, 4.5], [8.0, 14]], "source": "test"}
PH_CROP = _crop("tanaman_ph", ph_h2o=CLIMATE_CROP_PH)


def test_columns_in_parts_equal_whole_columns_cell_by_cell():
    from aez.evaluate import Observed, compile_crop
    from aez.evaluate.kernel import match_crops
    from aez.evaluate.scenario_kernel import match_columns, plan_columns
    from aez.evaluate.scenarios import scenario_inputs

    rng = np.random.default_rng(5)
    shape = (64, 80)

    def field(lo, hi):
        values = rng.uniform(lo, hi, shape).astype(np.float32)
        values[rng.random(shape) < 0.15] = np.nan  # missing: unknown classes, with N elsewhere
        return values

    inputs = {"temperature": Observed(field(14, 36), None, "°C", "t"),
              "rainfall": Observed(field(500, 4200), None, "mm/yr", "r"),
              "ph_h2o": Observed(field(3.5, 9), None, "", "ph"),
              "cec_clay": Observed(field(2, 30), None, "cmol/kg", "cec")}
    probes = {k: Observed(np.empty(0, np.float32), None, v.units, v.name)
              for k, v in inputs.items()}
    two_soils = _crop("tanaman_tanah", temperature=TEMPERATURE, rainfall=RAINFALL,
                      ph_h2o=CLIMATE_CROP_PH,
                      cec_clay={"units": "cmol/kg", "S1": [16, "inf"], "S2": [10, 16],
                                "S3": [0, 10], "source": "test"})
    crops = [two_soils, LOWLAND_CROP, PH_CROP]
    compiled = [compile_crop(c, probes) for c in crops]
    scenarios = [Scenario("warm", temperature_delta=1.5, rainfall_change=-0.1),
                 Scenario("hot", temperature_delta=3.0)]
    for scenario in scenarios:
        inputs.update(scenario_inputs(inputs, scenario, replaced={}))
    valid = rng.random(shape) > 0.05
    plan = plan_columns(compiled, scenarios)
    assert plan.split == [0] and plan.same == [2]  # each path is taken
    parts = match_columns(plan, inputs, valid=valid)
    redo = 0
    for column, got in zip(plan.full, parts, strict=True):
        want = match_crops([column], inputs, valid=valid)[0]
        for name in ("actual", "potential", "subclass", "index"):
            assert getattr(got, name).tobytes() == getattr(want, name).tobytes(), \
                (column.crop.id, name)
        redo += int(((want.actual == N) & np.isnan(inputs["ph_h2o"].values)
                     & ~np.isnan(inputs["cec_clay"].values)).sum())
    # cells of class N whose unchanged part is unknown yet partly rated were among them
    assert redo > 0


# -- one pass equals separate runs with the modified layers, byte for byte -----------------------

SCENARIO_TOML = """
[layers.temperature]
from = "dem"
method = "braak"

[scenarios.warm]
temperature_delta = 1.5
rainfall_change = -0.1

[scenarios.wet]
layers = {{ rainfall = "{wet}" }}
"""


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scen")
    config_path = write_tiny_region(folder, resolution=100)
    with rasterio.open(folder / "rainfall_wgs84.tif") as src:  # a wetter future, same layout
        profile, rain = src.profile, src.read(1)
    with rasterio.open(folder / "rain_future.tif", "w", **profile) as dst:
        dst.write(np.where(rain == profile.get("nodata"), rain, rain * 1.35).astype(rain.dtype), 1)
    with open(config_path, "a", encoding="utf-8") as f:
        f.write(SCENARIO_TOML.format(wet="rain_future.tif"))
    return load_config(config_path)


def _evaluate(stack, outdir, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AEZWarning)
        return evaluate_stack(stack, [CLIMATE_CROP, LOWLAND_CROP, PH_CROP], outdir, **kwargs)


def _assert_same_totals(a, b):
    for name in ("cells", "area_cm2", "limited_cells", "index_sum", "index_cells",
                 "missing_cells", "subclass_cells"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


def test_one_pass_equals_separate_runs_with_modified_layers(region, tmp_path):
    stack = LayerStack.from_config(region)
    scenarios = list(region.scenarios.values())
    one = _evaluate(stack, tmp_path / "one", scenarios=scenarios,
                    options=StageOptions(tile_size=48, executor="threads", workers=2))
    # the baseline, alone
    base = _evaluate(stack, tmp_path / "base")
    # "warm": files holding float32(T + 1.5) and float32(R · 0.9) on the analysis grid
    grid = stack.grid
    t = stack.read_layer("temperature").data.astype(np.float64)
    r = stack.read_layer("rainfall").data.astype(np.float64)
    warm_layers = dict(region.layers)
    warm_layers["temperature"] = LayerSpec(
        name="temperature", units="°C", resampling="nearest",
        path=_write(tmp_path / "t_warm.tif", grid, (t + 1.5).astype(np.float32)))
    warm_layers["rainfall"] = LayerSpec(
        name="rainfall", units="mm/yr", resampling="nearest",
        path=_write(tmp_path / "r_warm.tif", grid, (r * 0.9).astype(np.float32)))
    warm = _evaluate(LayerStack.from_config(replace(region, layers=warm_layers, scenarios={})),
                     tmp_path / "warm")
    # "wet": the rainfall layer's file replaced by the scenario's
    wet_layers = dict(region.layers)
    wet_layers["rainfall"] = replace(region.layers["rainfall"],
                                     path=region.scenarios["wet"].layers["rainfall"])
    wet = _evaluate(LayerStack.from_config(replace(region, layers=wet_layers, scenarios={})),
                    tmp_path / "wet")
    for crop in ("tanaman_iklim", "tanaman_panas"):
        for output, path in base[crop].paths.items():
            assert _digest(path) == _digest(one[crop].paths[output]), (crop, output)
        _assert_same_totals(one[crop], base[crop])
        with rasterio.open(base[crop].paths["class"]) as src:
            base_class = src.read(1)
        for name, separate in (("warm", warm), ("wet", wet)):
            _assert_same_totals(one[crop].scenarios[name], separate[crop])
            with rasterio.open(separate[crop].paths["class"]) as src:
                scen_class = src.read(1)
            expected = np.full(base_class.shape, 4, np.uint8)  # not rated, unless …
            rated = np.isin(base_class, [1, 2, 3, 4]) & np.isin(scen_class, [1, 2, 3, 4])
            expected[rated & (scen_class < base_class)] = 1
            expected[rated & (scen_class == base_class)] = 2
            expected[rated & (scen_class > base_class)] = 3
            expected[base_class == 0] = 0
            with rasterio.open(one[crop].scenarios[name].paths["change"]) as src:
                np.testing.assert_array_equal(src.read(1), expected)
    # the scenarios did change something, so the comparison has teeth
    assert not np.array_equal(one["tanaman_iklim"].scenarios["warm"].cells,
                              one["tanaman_iklim"].cells)
    assert not np.array_equal(one["tanaman_panas"].scenarios["wet"].cells,
                              one["tanaman_panas"].cells)


def test_the_config_round_trips_its_scenarios(region):
    again = loads_config(region.to_toml(), base="/")
    assert again.scenarios == region.scenarios
    assert region.scenarios["wet"].layers["rainfall"] in region.input_paths


# -- bad scenarios --------------------------------------------------------------------------------

BASE = """
[grid]
crs = "EPSG:32750"
resolution = 50
bounds = [500000, 9000000, 510000, 9010000]
[layers.dem]
path = "dem.tif"
units = "m"
"""


@pytest.mark.parametrize(("table", "words"), [
    ("rainfall_change = -1.5", "rainfall_change = -1.5"),
    ("temperature_delta = 0", "changes nothing"),
    ('temperature_delta = 1\nlayers = { temperature = "t.tif" }', "give one of them"),
    ('layers = { drainage = "d.tif" }', "not a numeric land characteristic"),
    ("temprature_delta = 1", "Did you mean 'temperature_delta'"),
])
def test_bad_scenarios_are_refused_with_the_remedy(table, words):
    with pytest.raises(ConfigError, match=words.replace("(", r"\(")):
        loads_config(BASE + "[scenarios.s1]\n" + table + "\n", base="/data")


def test_a_bad_scenario_name_is_refused():
    with pytest.raises(ConfigError, match="letters, digits"):
        loads_config(BASE + '[scenarios."a b"]\ntemperature_delta = 1\n', base="/data")


def test_a_delta_without_its_layer_is_refused(three_kecamatan, tmp_path):
    with pytest.raises(ConfigError, match=r"changes 'rainfall', but no layer provides it"):
        evaluate_stack(three_kecamatan, [WARM_CROP], tmp_path,
                       scenarios=[Scenario("dry", rainfall_change=-0.2)])


# -- dry months recounted from monthly rainfall ---------------------------------------------------

#: A year of monthly rainfall (mm) with three months below 60 mm and June at 64 mm.
MONTHS = [300.0, 250.0, 220.0, 150.0, 90.0, 64.0, 40.0, 30.0, 55.0, 120.0, 210.0, 310.0]


def _write_chirps(folder, values, *, transform, year=2010):
    """Twelve CHIRPS-named monthly GeoTIFFs (EPSG:4326) of ``values`` (12, rows, cols), in mm."""
    folder.mkdir(parents=True, exist_ok=True)
    for month, data in enumerate(values, start=1):
        with rasterio.open(folder / f"chirps-v2.0.{year}.{month:02d}.tif", "w", driver="GTiff",
                           width=data.shape[1], height=data.shape[0], count=1,
                           dtype="float32", crs="EPSG:4326", transform=transform,
                           nodata=-9999.0) as dst:
            dst.write(data.astype(np.float32), 1)
    return folder


def test_ten_percent_less_rain_turns_a_64_mm_month_dry(tmp_path):
    from rasterio.transform import from_origin
    from rasterio.windows import Window

    from aez.harmonize.provided import open_provided

    # By hand (dry: below 60 mm): 40, 30 and 55 mm are dry, so 3 dry months. With 10 % less
    # rain, June's 64 mm becomes 57.6: 4 dry months. The second cell's June is 70 mm
    # (63 mm after): it stays at 3. Annual rainfall falls by 10 %: 1839 → 1655.1 mm.
    values = np.array(MONTHS)[:, None, None].repeat(2, axis=2)
    values[5, 0, 1] = 70.0
    folder = _write_chirps(tmp_path / "chirps", values, transform=from_origin(110, -7, 0.05, 0.05))
    window = Window(0, 0, 2, 1)
    dry = open_provided("chirps", "dry_months", [folder])
    drier = open_provided("chirps", "dry_months", [folder], rainfall_change=-0.1)
    assert dry.read(window).tolist() == [[3.0, 3.0]]
    assert drier.read(window).tolist() == [[4.0, 3.0]]
    rain = open_provided("chirps", "rainfall", [folder], rainfall_change=-0.1).read(window)
    assert rain[0, 0] == pytest.approx(0.9 * sum(MONTHS), rel=1e-6)
    with pytest.raises(ConfigError, match="replacement layer"):
        open_provided("chirps", "temperature", [folder], rainfall_change=-0.1)


MONTHLY_TOML = """
[grid]
crs = "auto"
resolution = 200
[study_area]
path = "{study_area}"
id_column = "kode_kemendagri"
[layers.dry_months]
source = "chirps"
path = "{chirps}"
resampling = "bilinear"
[layers.rainfall]
source = "chirps"
path = "{chirps}"
[evaluate]
crops = ["jambu_mete"]
"""

DRY_CROP = _crop("tanaman_kering", dry_months={
    "units": "months", "S1": [0, 3.5], "S2": [3.5, 4.5], "S3": [4.5, 6], "N": [6, 12],
    "source": "test"})


def test_a_drier_scenario_recounts_the_dry_months_from_monthly_rainfall(tmp_path):
    from rasterio.transform import from_origin

    config_path = write_tiny_region(tmp_path / "region", resolution=200)
    areas = gpd.read_file(config_path.parent / "kecamatan.gpkg").to_crs("EPSG:4326")
    left, bottom, right, top = areas.total_bounds
    # monthly rainfall over the region: the months above, June from 60 to 76 mm across it
    shape = (int((top - bottom) / 0.01) + 5, int((right - left) / 0.01) + 5)
    values = np.array(MONTHS)[:, None, None] * np.ones((12, *shape))
    values[5] = (60.0 + np.arange(shape[1])[None, :] % 17
                 + 0.5 * (np.arange(shape[0])[:, None] % 2))
    transform = from_origin(left - 0.02, top + 0.02, 0.01, 0.01)
    folder = _write_chirps(tmp_path / "chirps", values, transform=transform)
    # the same run on files that hold 10 % less rain (float32, as CHIRPS stores it)
    drier = _write_chirps(tmp_path / "drier", (values.astype(np.float32) * np.float32(0.9)),
                          transform=transform)
    text = MONTHLY_TOML.format(study_area=(config_path.parent / "kecamatan.gpkg").as_posix(),
                               chirps=folder.as_posix())
    config = loads_config(text + "[scenarios.dry]\nrainfall_change = -0.1\n")
    stack = check_run(config).stack  # what `aez validate` and `aez run` open
    assert "dry_months@dry" in stack.names
    one = evaluate_stack(stack, [DRY_CROP], tmp_path / "one",
                         scenarios=list(config.scenarios.values()))["tanaman_kering"]
    separate = evaluate_stack(LayerStack.from_config(loads_config(
        text.replace(folder.as_posix(), drier.as_posix()))), [DRY_CROP],
        tmp_path / "separate")["tanaman_kering"]
    _assert_same_totals(one.scenarios["dry"], separate)
    # the scenario did move land from S1 (3 dry months) to S2 (4)
    assert separate.cells[:, S2].sum() > one.cells[:, S2].sum()
    assert one.cells[:, S1].sum() > one.scenarios["dry"].cells[:, S1].sum() > 0
