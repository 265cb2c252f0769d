"""Examples 02 (user and overriding crop tables) and 03 (SPT land units), run as scripts.

Each example is run once per module into a temporary folder, as a user would run
it, and its written files are checked against independent computations: class
rasters counted directly, temperature recomputed from the DEM with Braak's
formula, crop bands rebuilt from the ECOCROP record, and land units rated by a
hand-written law-of-the-minimum matcher.
"""

from __future__ import annotations

import bisect
import math
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import rasterio.features

from aez.characteristics import CHARACTERISTICS, QUALITIES
from aez.crops import load_crop
from aez.testing import real_layer

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CELL_HA = 50 * 50 / 1e4  # the small demo region's 50 m cells
TC_BIT = 1 << QUALITIES.index("tc")


def run_example(name: str, outdir: Path) -> str:
    done = subprocess.run([sys.executable, str(EXAMPLES / name), str(outdir)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def read_band(path: Path) -> np.ndarray:
    with rasterio.open(path) as src:
        return src.read(1)


# -- example 02: a new commodity and an override ---------------------------------------------


@pytest.fixture(scope="module")
def custom_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("custom-commodity")
    return out, run_example("02_custom_commodity.py", out)


def test_custom_override_is_logged_and_used(custom_run):
    out, stdout = custom_run
    assert "overrides" in stdout and "crops/jagung.toml" in stdout
    user = load_crop("jagung", crop_dirs=[out / "crops"])
    assert user.path == out / "crops" / "jagung.toml"
    # Sys et al. (1993) maize TgAv: 14, 16, 18 / 32, 35, 40 °C; classes N S3 S2 S1 S2 S3 N.
    assert user.rules["temperature"].edges == (14, 16, 18, 32, 35, 40)
    assert user.rules["temperature"].classes == (4, 3, 2, 1, 2, 3, 4)
    builtin = load_crop("jagung")
    assert builtin.rules["temperature"].edges == (16, 20, 26, 30, 32)
    others = [c for c in builtin.rules if c != "temperature"]
    assert [user.rules[c] for c in others] == [builtin.rules[c] for c in others]


def test_custom_hectares_match_the_rasters(custom_run):
    out, _ = custom_run
    table = pd.read_csv(out / "hectares_per_class.csv").set_index(["table", "crop"])
    rasters = {("built-in", "jagung"): out / "builtin" / "jagung_class.tif",
               ("user", "jagung"): out / "custom" / "jagung_class.tif",
               ("user", "vanili"): out / "custom" / "vanili_class.tif"}
    assert set(table.index) == set(rasters)
    for key, path in rasters.items():
        codes = read_band(path)
        for code, label in enumerate(["S1", "S2", "S3", "N", "X", "unknown"], start=1):
            expected = np.count_nonzero(codes == code) * CELL_HA
            assert table.loc[key, label] == pytest.approx(expected, abs=0.01), (key, label)


def test_wider_temperature_range_only_improves_temperature_limited_land(custom_run):
    out, _ = custom_run
    before = read_band(out / "builtin" / "jagung_class.tif")
    after = read_band(out / "custom" / "jagung_class.tif")
    limits = read_band(out / "builtin" / "jagung_subclass.tif")
    dem = read_band(out / "demo-region" / "terrain" / "dem.tif")
    assert before.shape == after.shape == dem.shape
    rated = (before >= 1) & (before <= 4) & (after >= 1) & (after <= 4)
    # Sys's temperature class is never worse than BBSDLP's at any temperature, so no cell
    # gets worse, and at least as much land is S1 or S2.
    assert np.all(after[rated] <= before[rated])
    assert np.count_nonzero(np.isin(after, (1, 2))) >= np.count_nonzero(np.isin(before, (1, 2)))
    # Excluded land stays excluded, land not limited by temperature keeps its class.
    assert np.array_equal(before == 5, after == 5)
    untouched = rated & (limits & TC_BIT == 0)
    assert np.array_equal(before[untouched], after[untouched])
    # S2 set by temperature alone: BBSDLP's S2 is 26-30 °C, i.e. below 50 m by Braak
    # (26.3 - 0.6 h/100 > 26); Sys rates 18-32 °C S1, so these cells become S1, and they
    # are the only ones that change class.
    only_tc = (before == 2) & (limits == TC_BIT)
    assert only_tc.sum() > 100
    assert np.all(dem[only_tc] < 50)
    assert np.all(after[only_tc] == 1)
    assert np.array_equal(rated & (after != before), only_tc)


#: The FAO ECOCROP record of Vanilla planifolia (fields keyed from the database).
VANILLA_ECOCROP = {"ScientificName": "Vanilla planifolia", "COMNAME": "vanilla",
                   "TOPMN": "21", "TOPMX": "30", "TMIN": "10", "TMAX": "33",
                   "ROPMN": "2000", "ROPMX": "2500", "RMIN": "1500", "RMAX": "3000",
                   "PHOPMN": "5.5", "PHOPMX": "7", "PHMIN": "4.3", "PHMAX": "8"}


def test_vanilla_bands_are_ecocrop_read_as_the_library_reads_it(custom_run):
    from aez.crops.ecocrop import ecocrop_crop, read_ecocrop

    out, _ = custom_run
    vanili = load_crop("vanili", crop_dirs=[out / "crops"])
    tables = [pd.DataFrame([VANILLA_ECOCROP]),
              read_ecocrop(real_layer("crop_requirements/ecocrop_records_used.csv"))]
    for table in tables:
        reference = ecocrop_crop(table, "Vanilla planifolia")
        for char_id, rule in reference.rules.items():
            assert (vanili.rules[char_id].edges, vanili.rules[char_id].classes) == \
                (rule.edges, rule.classes), char_id
    # By hand: temperature optimum 21-30 → S1; the margins 10-21 and 30-33 halve at 15.5
    # and 31.5.
    assert vanili.rules["temperature"].edges == (10, 15.5, 21, 30, 31.5, 33)


# -- example 03: land units ------------------------------------------------------------------

CROPS = ("jagung", "padi_sawah", "kelapa_sawit", "kopi_robusta")


@pytest.fixture(scope="module")
def units_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("land-units")
    return out, run_example("03_land_units.py", out)


def _rate(rule, value) -> int | None:
    """Class code of one value by a crop rule; None when the value is missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if rule.categorical:
        return rule.classes[value]
    low, high = rule.domain
    x = min(max(float(value), low), high)
    i = bisect.bisect_left(rule.edges, x)  # edges strictly below x
    if i < len(rule.edges) and rule.edges[i] == x:  # on an edge: the more suitable class
        return min(rule.classes[i], rule.classes[i + 1])
    return rule.classes[i]


def _worst(classes: list[int | None]) -> int | None:
    """N if any is N; else unknown (None) if any is missing; else the worst class."""
    known = [c for c in classes if c is not None]
    if 4 in known:
        return 4
    if len(known) < len(classes):
        return None
    return max(known, default=0)


def hand_subclass(crop, row: pd.Series) -> str:
    """Class and subclass of one land unit by the law of the minimum, worked out in plain Python."""
    by_quality: dict[str, list[int | None]] = {}
    for char_id, rule in crop.rules.items():
        if char_id not in row.index:
            continue  # no column: not rated
        if char_id == "peat_maturity" and not row["peat_depth"] > 0:
            continue  # maturity does not apply to mineral soil
        by_quality.setdefault(rule.quality, []).append(_rate(rule, row[char_id]))
    quality = {q: _worst(c) for q, c in by_quality.items()}
    land = _worst(list(quality.values()))
    label = {None: "unknown", 1: "S1", 2: "S2", 3: "S3", 4: "N"}[land]
    limits = [q for q in QUALITIES if q in quality and quality[q] == land]
    return label if land == 1 or not limits else f"{label}-{','.join(limits)}"


def test_land_units_match_a_hand_evaluation(units_run):
    out, _ = units_run
    table = pd.read_csv(out / "land_units_evaluated.csv", keep_default_na=False,
                        na_values=[""])
    assert len(table) > 100
    for crop_id in CROPS:
        crop = load_crop(crop_id)
        expected = [hand_subclass(crop, row) for _, row in table.iterrows()]
        assert table[f"{crop_id}_subclass"].tolist() == expected, crop_id
        assert table[f"{crop_id}_class"].tolist() == [e.split("-")[0] for e in expected]
    # The hill units are steep: their slope medians put maize in N for erosion hazard.
    assert (table.loc[table["slope"] > 25, "jagung_class"] == "N").all()


def test_land_unit_climate_is_the_median_over_the_unit(units_run):
    out, _ = units_run
    units = gpd.read_file(out / "land_units_evaluated.gpkg", layer="land_units")
    region = out / "demo-region"
    with rasterio.open(region / "terrain" / "dem.tif") as src:
        dem, transform = src.read(1), src.transform
    rainfall = read_band(region / "climate" / "rainfall.tif")
    checked = 0
    for _, unit in units.sort_values("luas_ha", ascending=False).head(25).iterrows():
        inside = ~rasterio.features.geometry_mask([unit.geometry], dem.shape, transform)
        # Braak: T = 26.3 − 0.6·h/100, decreasing in h, so the median T is Braak of the
        # median h.
        assert unit["temperature"] == pytest.approx(26.3 - 0.006 * np.median(dem[inside]),
                                                     abs=1e-3)
        assert unit["rainfall"] == pytest.approx(float(np.median(rainfall[inside])), abs=1e-3)
        checked += 1
    assert checked == 25


def test_units_versus_raster_hectares(units_run):
    out, _ = units_run
    units = gpd.read_file(out / "land_units_evaluated.gpkg", layer="land_units")
    compare = pd.read_csv(out / "units_vs_raster.csv", index_col="crop")
    assert list(compare.index) == list(CROPS)
    codes = {"S1": 1, "S2": 2, "S3": 3, "N": 4}
    with rasterio.open(out / "raster" / "jagung_class.tif") as src:
        shape, transform = src.shape, src.transform
    # Cells of each polygon by the cell-centre rule, one polygon at a time.
    cells = [~rasterio.features.geometry_mask([g], shape, transform) for g in units.geometry]
    for crop in CROPS:
        raster = read_band(out / "raster" / f"{crop}_class.tif")
        units_ha = dict.fromkeys(codes, 0.0)
        raster_ha = dict.fromkeys(codes, 0.0)
        agree = rated = 0.0
        for label, inside in zip(units[f"{crop}_class"], cells, strict=True):
            if label not in codes:
                continue
            here = raster[inside]
            both = (here >= 1) & (here <= 4)
            units_ha[label] += both.sum() * CELL_HA
            for name, code in codes.items():
                raster_ha[name] += np.count_nonzero(both & (here == code)) * CELL_HA
            agree += np.count_nonzero(both & (here == codes[label])) * CELL_HA
            rated += both.sum() * CELL_HA
        for name in codes:
            assert compare.loc[crop, f"{name}_units"] == pytest.approx(units_ha[name], abs=0.01)
            assert compare.loc[crop, f"{name}_raster"] == pytest.approx(raster_ha[name],
                                                                        abs=0.01)
        assert compare.loc[crop, "agreement"] == pytest.approx(agree / rated, abs=1e-6)


def test_land_unit_output_keeps_every_polygon_and_column(units_run):
    out, stdout = units_run
    units = gpd.read_file(out / "land_units_evaluated.gpkg", layer="land_units")
    source = gpd.read_file(out / "demo-region" / "soil" / "land_units.gpkg")
    assert len(units) == len(source)
    assert units["id"].tolist() == source["id"].tolist()
    for column in ("temperature", "rainfall", "slope", *(f"{c}_potential" for c in CROPS)):
        assert column in units.columns
    assert {c for c in CHARACTERISTICS if c in source.columns} <= set(units.columns)
    assert "Dominant subclass of each SPT unit" in stdout
