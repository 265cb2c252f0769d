"""The layer manifest (``layers.toml``) and run config (``config.toml``) of a demo region.

The run config evaluates every built-in commodity (:func:`aez.crops.crop_ids`).
Every file layer entry names its file, kind, canonical units
(:func:`aez.characteristics.canonical_units`), the characteristic or role it
provides, and for categorical layers a legend whose labels are the canonical
class labels of :mod:`aez.characteristics`. Slope (%) and temperature (Braak)
are derived layers that aez computes from the DEM when it reads the stack.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aez.characteristics import CHARACTERISTICS, canonical_units
from aez.config import DEFAULT_WEIGHTS
from aez.crops import crop_ids
from aez.demo.infrastructure import ROAD_CLASSES
from aez.demo.landstatus import LEGEND as STATUS_LEGEND
from aez.demo.soils import CATEGORICAL, CONTINUOUS, LEGENDS, UNITS

__all__ = ["LAYERS", "REGION_OF_SETTING", "config_text", "layer_entries", "manifest_text"]

#: Soil rasters, in the order the canonical vocabulary lists them.
SOIL_LAYERS = [c for c in CHARACTERISTICS if c in CONTINUOUS or c in CATEGORICAL]

#: Relative path of each written file, by layer name.
LAYERS: dict[str, str] = {
    "dem": "terrain/dem.tif",
    "rainfall": "climate/rainfall.tif",
    "dry_months": "climate/dry_months.tif",
    "humidity": "climate/humidity.tif",
    **{name: f"soil/{name}.tif" for name in SOIL_LAYERS},
    "land_units": "soil/land_units.gpkg",
    "land_status": "landuse/land_status.tif",
    "rivers": "water/rivers.gpkg",
    "lakes": "water/lakes.gpkg",
    "roads": "infrastructure/roads.gpkg",
    "markets": "infrastructure/markets.gpkg",
    "port": "infrastructure/port.gpkg",
    "villages": "desa.gpkg",
    "cooperatives": "socioeconomic/koperasi.gpkg",
    "population": "socioeconomic/penduduk.csv",
    "farm_households": "socioeconomic/penduduk.csv",
}


def layer_entries() -> dict[str, dict[str, Any]]:
    """Return the ``[layers.*]`` tables of a demo region, by layer name."""
    entries: dict[str, dict[str, Any]] = {
        "dem": {"units": "m", "role": "elevation"},
        "rainfall": {"units": "mm/yr", "role": "rainfall"},
        "dry_months": {"units": "months", "role": "dry_months"},
        "humidity": {"units": "%", "role": "humidity"},
    }
    for name in SOIL_LAYERS:
        if name in CATEGORICAL:
            entries[name] = {"kind": "categorical", "legend": LEGENDS[name], "role": name}
        else:
            entries[name] = {"units": CHARACTERISTICS[name].units, "role": name}
    entries["land_units"] = {
        "kind": "categorical", "attribute": "spt", "role": "land_units",
        "legend": {code: unit for code, (unit, _, _) in UNITS.items()},
    }
    entries["land_status"] = {"kind": "categorical", "legend": STATUS_LEGEND,
                              "role": "land_status"}
    for name in ("rivers", "lakes", "markets", "port", "villages", "cooperatives"):
        entries[name] = {"kind": "categorical", "role": name}
    entries["roads"] = {"kind": "categorical", "attribute": "kelas", "role": "roads",
                        "legend": {i + 1: c for i, c in enumerate(ROAD_CLASSES)}}
    entries["population"] = {"attribute": "penduduk", "join": "kode_bps",
                             "role": "population"}
    entries["farm_households"] = {"attribute": "rumah_tangga_usaha_pertanian",
                                  "join": "kode_bps", "role": "farm_households"}
    out: dict[str, dict[str, Any]] = {}
    for name, entry in entries.items():
        if "units" in entry:
            entry["units"] = canonical_units(entry["units"])
        out[name] = {"path": LAYERS[name], "kind": entry.pop("kind", "continuous"), **entry}
    # Derived from the DEM by aez itself (aez.derive), not written as files.
    out["slope"] = {"from": "dem", "method": "slope", "units": canonical_units("%"),
                    "role": "slope"}
    out["temperature"] = {"from": "dem", "method": "braak", "role": "temperature"}
    out["travel_time"] = {
        "from": {"targets": "markets", "roads": "roads", "slope": "slope", "water": "lakes"},
        "method": "travel_time", "resolution": 100.0, "role": "travel_time",
    }
    return out


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _layers_toml() -> str:
    blocks = []
    for name, entry in layer_entries().items():
        lines = [f"[layers.{name}]"]
        lines += [f"{key} = {_value(value)}" for key, value in entry.items()]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


_TABLES_NOTE = """\
# Tables that are not grid layers (one row per kecamatan × commodity × year, etc.):
#   socioeconomic/produksi.csv   kode_bps, kecamatan, commodity, year, production_ton, area_ha
#   socioeconomic/produksi.xlsx  the same, BPS style (one sheet per year, Indonesian numbers)
#   socioeconomic/sentra.csv     kode_bps, kecamatan, bidang_usaha, jumlah_sentra
#   socioeconomic/harga.csv      commodity, year, price_rp_per_kg, unit (SYNTHETIC prices)
#   kecamatan_crosswalk.csv      kode_kemendagri, kode_bps, nama
"""


def manifest_text(header: str) -> str:
    """``layers.toml``: the layer tables on their own."""
    return f"{header}\n{_TABLES_NOTE}\n{_layers_toml()}"


def _crop_list() -> str:
    """Return the ``crops = [...]`` line of every built-in table, wrapped at 100 characters."""
    lines, line = [], " "
    for crop_id in crop_ids():
        item = f' "{crop_id}",'
        if len(line) + len(item) > 99:
            lines.append(line)
            line = " "
        line += item
    lines.append(line.rstrip(","))
    return "crops = [\n" + "\n".join(lines) + "\n]"


#: Development region (wilayah pembangunan) of a kecamatan, by its town's setting.
REGION_OF_SETTING = {"coast": "WP Pesisir", "river": "WP Dataran", "plain": "WP Dataran",
                     "hill": "WP Perbukitan"}


def _regions_toml(regions: Mapping[str, str]) -> str:
    return "\n".join(f'"{code}" = "{name}"' for code, name in sorted(regions.items()))


def config_text(header: str, *, crs: str, resolution: float, region: str,
                regions: Mapping[str, str] | None = None) -> str:
    """``config.toml``: a ready run config over the demo region.

    ``region`` names the region on maps and in the report; ``regions`` maps
    kecamatan codes to development regions (``[regions]``).
    """
    weights = "\n".join(f"{name} = {weight!r}" for name, weight in DEFAULT_WEIGHTS.items())
    return f"""{header}
[grid]
crs = "{crs}"
resolution = {float(resolution)!r}

[study_area]
path = "kecamatan.gpkg"
id_column = "kode_kemendagri"
name_column = "nama"

[run]
executor = "threads"
tile_size = 512

[output]
dir = "aez-out"
region = {json.dumps(region, ensure_ascii=False)}
synthetic = true

[evaluate]
# Every built-in commodity (`aez crops list`).
{_crop_list()}

# Land excluded before evaluation.
[constraints.protected_forest]
layer = "land_status"
classes = ["hutan_lindung", "hutan_konservasi"]

[constraints.water_and_settlement]
layer = "land_status"
classes = ["badan_air", "permukiman"]

[constraints.deep_peat]
layer = "peat_depth"
above = 300.0

# One product per kecamatan: the tables, the score and the assignment.
[tables]
production = "socioeconomic/produksi.csv"
households = "socioeconomic/penduduk.csv"
sentra = "socioeconomic/sentra.csv"
cooperatives = "socioeconomic/koperasi.gpkg"
crosswalk = "kecamatan_crosswalk.csv"
code_column = "kode_bps"
prices = "socioeconomic/harga.csv"   # SYNTHETIC producer prices (Rp/kg), not real data

[score.weights]
{weights}

[assign]
max_share = 0.25            # no product in more than a quarter of the kecamatan
min_distinct = 4
min_suitable_share = 0.1    # never on land that is mostly N
require_base = true         # a leading product needs a base: LQ ≥ 1 and production
contiguity_bonus = 0.02     # neighbours sharing a product (kawasan)

[robustness]
draws = 50
seed = 1

# Climate scenarios: ILLUSTRATIVE deltas to show the method, not projections for this
# region. For projections give downscaled CMIP6 layers instead (docs/scenarios.md).
[scenarios.illustrative_plus1c]
temperature_delta = 1.0     # °C
rainfall_change = -0.05     # 5 % less annual rainfall

[scenarios.illustrative_plus2c]
temperature_delta = 2.0
rainfall_change = -0.10

[regions]
{_regions_toml(regions or {})}

{_TABLES_NOTE}
{_layers_toml()}"""
