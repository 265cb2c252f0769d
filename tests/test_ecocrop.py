"""ECOCROP mode: climate envelopes from an ECOCROP-layout CSV."""

from __future__ import annotations

import pandas as pd
import pytest

from aez.crops import load_crops
from aez.crops.ecocrop import ecocrop_crop, read_ecocrop
from aez.errors import ConfigError, DataSourceError
from aez.evaluate import evaluate_units
from aez.testing import real_layer

#: The FAO ECOCROP records that the tests use (layers/PROVENANCE.md).
ECOCROP_RECORDS = real_layer("crop_requirements/ecocrop_records_used.csv")

COLUMNS = ["ScientificName", "COMNAME", "TOPMN", "TOPMX", "TMIN", "TMAX", "ROPMN", "ROPMX",
           "RMIN", "RMAX", "PHOPMN", "PHOPMX", "PHMIN", "PHMAX"]


@pytest.fixture
def ecocrop_csv(tmp_path):
    rows = [
        # optimal 20–30 °C, absolute 10–40; rain optimal 1000–2000 mm, absolute 500–3000;
        # pH optimal 5.5–7, absolute 4.5–8.
        ["Planta tropica", "test plant, tanaman uji", 20, 30, 10, 40, 1000, 2000, 500, 3000,
         5.5, 7, 4.5, 8],
        ["Planta sine ph", "no ph plant", 20, 30, 10, 40, 1000, 2000, 500, 3000,
         "NA", "NA", "NA", "NA"],
    ]
    path = tmp_path / "ecocrop.csv"
    pd.DataFrame(rows, columns=COLUMNS).to_csv(path, index=False)
    return path


def _ecocrop_score(x, absolute_min, optimal_min, optimal_max, absolute_max):
    """The ECOCROP score, written out independently: 0 outside, 1 inside, linear between."""
    if x < absolute_min or x > absolute_max:
        return 0.0
    if optimal_min <= x <= optimal_max:
        return 1.0
    if x < optimal_min:
        return (x - absolute_min) / (optimal_min - absolute_min)
    return (absolute_max - x) / (absolute_max - optimal_max)


def test_ecocrop_classes_and_index(ecocrop_csv):
    crop = ecocrop_crop(read_ecocrop(ecocrop_csv), "Planta tropica")
    assert crop.id == "planta_tropica" and crop.name_en == "test plant"
    # Temperature 12.5 °C: score (12.5-10)/(20-10) = 0.25 < 0.5 → S3 (tc).
    # Temperature 17.5 °C: score 0.75 ≥ 0.5 → S2.  Rain 1500: S1.  pH 8.5: outside → N (nr).
    table = pd.DataFrame({"temperature": [25.0, 12.5, 17.5, 25.0, 15.0],
                          "rainfall": [1500.0, 1500.0, 1500.0, 1500.0, 750.0],
                          "ph_h2o": [6.0, 6.0, 6.0, 8.5, 6.0]})
    out = evaluate_units(table, [crop])
    assert out["planta_tropica_subclass"].tolist() == ["S1", "S3-tc", "S2-tc", "N-nr", "S2-tc,wa"]
    # In the marginal zone the aez index is 0.25 + 0.5 × the ECOCROP score of the limiting
    # variable; inside the optimum it lies in [0.75, 1].
    for row, index in zip(table.itertuples(), out["planta_tropica_index"], strict=True):
        scores = [_ecocrop_score(row.temperature, 10, 20, 30, 40),
                  _ecocrop_score(row.rainfall, 500, 1000, 2000, 3000),
                  _ecocrop_score(row.ph_h2o, 4.5, 5.5, 7, 8)]
        worst = min(scores)
        if worst == 1.0:
            assert 0.75 <= index <= 1.0
        elif worst == 0.0:
            assert index <= 0.25
        else:
            assert index == pytest.approx(0.25 + 0.5 * worst, abs=1e-6)


def test_missing_ranges_leave_a_variable_out(ecocrop_csv):
    crop = ecocrop_crop(read_ecocrop(ecocrop_csv), "no ph plant")  # found by common name
    assert set(crop.rules) == {"temperature", "rainfall"}


def test_ecocrop_errors(ecocrop_csv, tmp_path):
    table = read_ecocrop(ecocrop_csv)
    with pytest.raises(ConfigError, match="Planta tropica"):
        ecocrop_crop(table, "Planta tropika")
    with pytest.raises(ConfigError, match="ECOCROP table"):
        load_crops(["ecocrop:Planta tropica"])
    bad = tmp_path / "bad.csv"
    bad.write_text("ScientificName,TOPMN\nX,1\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match="lacks the ECOCROP columns"):
        read_ecocrop(bad)


def test_real_ecocrop_maize():
    crops = load_crops(["ecocrop:Zea mays"], ecocrop=ECOCROP_RECORDS)
    rules = crops[0].rules["temperature"]
    raw = pd.read_csv(ECOCROP_RECORDS, dtype=str, keep_default_na=False)
    row = raw[raw["ScientificName"] == "Zea mays"].iloc[0]
    # S1 is the published optimal range; N starts beyond the absolute range.
    assert (float(row["TOPMN"]), float(row["TOPMX"])) in rules.bounds
    s1 = rules.classes[rules.edges.index(float(row["TOPMN"])) + 1]
    assert s1 == 1
    assert float(row["TMIN"]) in rules.edges and float(row["TMAX"]) in rules.edges
