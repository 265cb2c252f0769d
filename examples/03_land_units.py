"""Land evaluation of soil-survey land units (SPT polygons), compared with the raster path.

Shows: soil data in Indonesia usually arrives as a land-unit map (*satuan peta
tanah*, SPT) whose attribute table holds one row of soil characteristics per
polygon. :func:`aez.evaluate_units` rates every row against the crop tables, the
same matching as the raster evaluation. The demo region ships such a map
(``soil/land_units.gpkg``); its table has the soil characteristics but no
climate or terrain, so the script first gives each polygon the **median** over
its cells of the stack's temperature (Braak's formula from the DEM), rainfall,
dry months, humidity and slope, as a surveyor attaches a climate zone and a
slope class to each unit. It then

1. evaluates every land unit for a few commodities and prints the dominant
   class and subclass (``S3-nr,eh``: the limiting land qualities) of each SPT
   unit;
2. writes the result as a GeoPackage and a CSV (one row per polygon with
   ``<crop>_class``, ``_subclass``, ``_index`` and ``_potential``);
3. evaluates the same commodities on the raster stack and compares hectares
   per class on the land both rate (the raster's excluded land, such as
   protected forest and settlements, left out), with the share of cells whose
   class agrees. They differ where soils vary inside a unit and where slope
   and temperature vary around the unit's median.

The same evaluation from the shell, on a table that already has every column::

    aez evaluate-units land_units.gpkg --crop jagung --crop padi_sawah -o units.gpkg

Usage::

    python examples/03_land_units.py OUTDIR

Writes, all under OUTDIR: ``demo-region/`` (a small synthetic kabupaten, made
when missing), ``land_units_evaluated.gpkg`` and ``.csv``, the raster
evaluation in ``raster/`` and ``units_vs_raster.csv`` (hectares per class and
commodity, by land units and by raster, on the same land).
"""

import sys
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import rasterio.features

import aez
from aez.characteristics import CHARACTERISTICS
from aez.crops import load_crops
from aez.demo import write_demo_region
from aez.evaluate import CLASS_LABELS, S1, N
from aez.io import atomic_output
from aez.pipeline import StageOptions, evaluate_stack

#: Commodities to rate.
CROPS = ("jagung", "padi_sawah", "kelapa_sawit", "kopi_robusta")
#: Class text → class code, for the land-unit results.
CODE_OF = {label: code for code, label in CLASS_LABELS.items() if label}


def unit_index(units: gpd.GeoDataFrame, grid: aez.Grid) -> np.ndarray:
    """Row of ``units`` whose polygon holds each cell's centre (-1 in none)."""
    shapes = ((geom, i) for i, geom in enumerate(units.geometry))
    return rasterio.features.rasterize(shapes, out_shape=grid.shape, transform=grid.transform,
                                       fill=-1, dtype="int32")


def add_medians(units: gpd.GeoDataFrame, stack: aez.LayerStack,
                index: np.ndarray) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Give each unit the median of every characteristic its table lacks but the stack has."""
    specs = {**stack.specs, **stack.derived}
    layer_of = {spec.provides: name for name, spec in specs.items()
                if spec.provides in CHARACTERISTICS and spec.kind == "continuous"}
    added = [c for c in CHARACTERISTICS if c in layer_of and c not in units.columns]
    inside = index >= 0
    out = units.copy()
    for char_id in added:
        values = stack.read_layer(layer_of[char_id]).data[inside]
        cells = pd.Series(values).groupby(index[inside]).median()
        out[char_id] = cells.reindex(range(len(units))).to_numpy()
    return out, added


def dominant(result: pd.DataFrame, column: str) -> pd.Series:
    """Per SPT unit, the value of ``column`` that covers the most area."""
    area = result.groupby(["spt", column])["luas_ha"].sum().reset_index()
    best = area.sort_values(["spt", "luas_ha", column], ascending=[True, False, True])
    return best.groupby("spt").head(1).set_index("spt")[column]


def main(outdir: Path) -> None:
    region = outdir / "demo-region" / "config.toml"
    if not region.exists():
        write_demo_region(region.parent, size="small")
    config = aez.load_config(region)
    stack = aez.LayerStack.from_config(config)
    grid = stack.grid
    crops = load_crops(CROPS)

    units = aez.read_vector(config.layers["land_units"].path).to_crs(grid.crs)
    index = unit_index(units, grid)
    units, added = add_medians(units, stack, index)
    print(f"{len(units)} land-unit polygons ({units['spt'].nunique()} SPT units); added the "
          f"median of {', '.join(added)} from the layer stack.")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", aez.AEZWarning)
        result = aez.evaluate_units(units, crops)
    for w in caught:
        print(f"note: {w.message}")

    for suffix in (".gpkg", ".csv"):
        with atomic_output(outdir / f"land_units_evaluated{suffix}", overwrite=True) as tmp:
            if suffix == ".gpkg":
                result.to_file(tmp, driver="GPKG", layer="land_units")
            else:
                result.drop(columns="geometry").to_csv(tmp, index=False, float_format="%.6g")

    names = result.groupby("spt")["satuan"].first()
    table = pd.DataFrame({"satuan": names, "luas_ha": result.groupby("spt")["luas_ha"].sum()})
    for crop in CROPS:
        table[crop] = dominant(result, f"{crop}_subclass")
    pd.set_option("display.width", 160)
    print("\nDominant subclass of each SPT unit (by area):")
    print(table.to_string(float_format="{:,.0f}".format))

    # The raster path, and hectares per class on the land both rate.
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always", aez.AEZWarning)
        totals = evaluate_stack(stack, crops, outdir / "raster",
                                constraints=list(config.constraints.values()),
                                options=StageOptions(tile_size=config.run.tile_size,
                                                     executor=config.run.executor,
                                                     overwrite=True))
    cell_ha = np.broadcast_to(grid.cell_area() / 1e4, grid.shape)
    rows = []
    for crop in CROPS:
        with rasterio.open(totals[crop].paths["class"]) as src:
            raster = src.read(1)
        codes = result[f"{crop}_class"].map(CODE_OF).to_numpy(dtype=np.uint8)
        by_unit = np.where(index >= 0, codes[np.maximum(index, 0)], 0)
        both = (raster >= S1) & (raster <= N) & (by_unit >= S1) & (by_unit <= N)
        row = {"crop": crop, "agreement": cell_ha[both & (raster == by_unit)].sum()
               / cell_ha[both].sum()}
        for code in range(S1, N + 1):
            label = CLASS_LABELS[code]
            row[f"{label}_units"] = cell_ha[both & (by_unit == code)].sum()
            row[f"{label}_raster"] = cell_ha[both & (raster == code)].sum()
        rows.append(row)
    compare = pd.DataFrame(rows).set_index("crop")
    with atomic_output(outdir / "units_vs_raster.csv", overwrite=True) as tmp:
        compare.to_csv(tmp, float_format="%.6g")
    print("\nHectares per class on the land rated by both (units | raster), and the share of "
          "that land whose class agrees:")
    shown = compare.drop(columns="agreement").map("{:,.0f}".format)
    shown["agree"] = (100 * compare["agreement"]).map("{:.0f} %".format)
    print(shown.to_string())
    print(f"\nFiles in {outdir.resolve()}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "land-units"))
