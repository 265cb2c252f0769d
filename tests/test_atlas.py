"""Which maps a run draws and how: overview panels, run date, region name."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import geopandas as gpd
import pytest

from aez.config import load_config
from aez.errors import ConfigError
from aez.harmonize import LayerStack
from aez.pipeline.atlas import _overview_layers, region_name, run_date
from aez.render.palette import DRAINAGE_COLOURS, LAND_STATUS_COLOURS


@pytest.fixture(scope="module")
def stack(small_demo):
    return LayerStack.from_config(load_config(small_demo))


def test_overview_panels_pick_inputs_by_role_with_class_colours(stack):
    panels = {p.title: p for p in _overview_layers(stack, "id")}
    assert list(panels) == ["Ketinggian", "Curah hujan", "Status lahan", "Drainase tanah"]
    assert panels["Ketinggian"].kind == "elevation"
    status = panels["Status lahan"].legend
    # land-status labels by their names in the map's language, with their class colours
    assert ("hutan lindung", LAND_STATUS_COLOURS["hutan_lindung"]) in set(status.values())
    assert ("badan air", LAND_STATUS_COLOURS["badan_air"]) in set(status.values())
    drainage = set(panels["Drainase tanah"].legend.values())
    assert ("baik", DRAINAGE_COLOURS["well"]) in drainage  # Indonesian class name, ramp colour
    english = {p.title: p for p in _overview_layers(stack, "en")}
    assert ("well", DRAINAGE_COLOURS["well"]) in set(english["Soil drainage"].legend.values())
    english_status = set(english["Land status"].legend.values())
    assert ("protection forest", LAND_STATUS_COLOURS["hutan_lindung"]) in english_status
    assert ("water body", LAND_STATUS_COLOURS["badan_air"]) in english_status


def test_run_date_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01T00:00:00Z
    assert run_date() == dt.date(2025, 1, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH"):
        run_date()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert run_date() == dt.datetime.now(dt.UTC).date()


def test_region_name_from_config_or_kabupaten_codes(small_demo):
    config = load_config(small_demo)
    districts = gpd.GeoDataFrame({"kecamatan_id": ["63.90.01", "63.90.02"]})
    assert region_name(config, districts).startswith("Kab. ")
    bare = replace(config, output=replace(config.output, region=""))
    assert region_name(bare, districts) == "63.90"


def test_maps_credit_the_data_source_when_given(small_demo):
    from aez.pipeline.atlas import map_info

    config = load_config(small_demo)
    districts = gpd.GeoDataFrame({"kecamatan_id": ["63.90.01"]})
    date = dt.date(2025, 1, 1)
    assert "sintetis" in map_info(config, districts, lang="id", date=date).source
    credited = replace(config, output=replace(config.output, data_source="BPS 2023, OSM"))
    info = map_info(credited, districts, lang="en", date=date)
    assert info.source.endswith("data: BPS 2023, OSM") and info.date == "2025-01-01"
