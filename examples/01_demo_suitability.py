"""Land suitability for the demo kabupaten: rasters per crop and hectares per kecamatan.

Shows: a run config with derived layers (slope, temperature, travel time), crop
requirement tables, constraints (protected forest, water, settlements, deep peat)
and the suitability stage, which evaluates every crop in one tiled pass and counts
hectares per kecamatan on the way. The demo config lists every built-in commodity.

Usage::

    aez demo OUTDIR                      # the synthetic region and its config.toml
    python examples/01_demo_suitability.py OUTDIR/config.toml

Writes ``<crop>_class.tif``, ``_potential.tif``, ``_subclass.tif`` and ``_index.tif``
into the config's output folder, and ``hectares_per_kecamatan.csv`` (every crop ×
kecamatan: hectares per class, mean index, main limiting quality). Prints hectares per
class over the whole kabupaten, one row per crop, and the three crops with the highest
mean index in each kecamatan.
"""

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import aez
from aez.characteristics import QUALITIES
from aez.crops import load_crops
from aez.pipeline import INDEX_SCALE, evaluate_stack


def main_limit(limited_cells: np.ndarray) -> str:
    """The land quality that limits the most cells ("-" when none does)."""
    return QUALITIES[int(limited_cells.argmax())] if limited_cells.any() else "-"


def main(config_path: str) -> None:
    config = aez.load_config(config_path)
    stack = aez.LayerStack.from_config(config)
    stack.check_coverage()
    crops = load_crops(config.evaluate.crops, crop_dirs=config.evaluate.crop_dirs,
                       ecocrop=config.evaluate.ecocrop)
    outdir = config.output.dir / "suitability"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", aez.AEZWarning)
        totals = evaluate_stack(
            stack, crops, outdir,
            aggregate=config.evaluate.aggregate,
            constraints=list(config.constraints.values()),
            tile_size=config.run.tile_size, executor=config.run.executor,
            workers=config.run.workers, overwrite=True,
        )
    for w in caught:
        print(f"note: {w.message}")

    names = stack.study_area.districts[config.study_area.name_column]
    rows, kabupaten = [], []
    for crop, t in totals.items():
        ha = t.hectares
        for d, name in enumerate(names):
            rows.append({"kecamatan": name, "crop": crop,
                         "S1": ha[d, 1], "S2": ha[d, 2], "S3": ha[d, 3], "N": ha[d, 4],
                         "excluded": ha[d, 5], "unknown": ha[d, 6],
                         "mean_index": t.mean_index[d],
                         "main_limit": main_limit(t.limited_cells[d])})
        rated = int(t.index_cells.sum())
        kabupaten.append({"crop": crop, "S1": ha[:, 1].sum(), "S2": ha[:, 2].sum(),
                          "S3": ha[:, 3].sum(), "N": ha[:, 4].sum(),
                          "excluded": ha[:, 5].sum(), "unknown": ha[:, 6].sum(),
                          "mean_index": t.index_sum.sum() / INDEX_SCALE / rated
                          if rated else np.nan,
                          "main_limit": main_limit(t.limited_cells.sum(axis=0))})
    table = pd.DataFrame(rows)
    table.to_csv(outdir / "hectares_per_kecamatan.csv", index=False)

    print(f"Hectares per class over the kabupaten ({len(names)} kecamatan):")
    hectares = {c: "{:,.0f}".format for c in ("S1", "S2", "S3", "N", "excluded", "unknown")}
    print(pd.DataFrame(kabupaten).to_string(index=False, formatters={
        **hectares, "mean_index": "{:.2f}".format}))
    best = (table.dropna(subset=["mean_index"])
            .sort_values(["kecamatan", "mean_index", "crop"], ascending=[True, False, True])
            .groupby("kecamatan", sort=True).head(3))
    print("\nCrops with the highest mean suitability index per kecamatan:")
    for name, group in best.groupby("kecamatan", sort=True):
        picks = ", ".join(f"{r.crop} {r.mean_index:.2f}" for r in group.itertuples())
        print(f"  {name:<20} {picks}")
    print(f"\nRasters and hectares_per_kecamatan.csv in {Path(outdir).resolve()}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "demo-region/config.toml")
