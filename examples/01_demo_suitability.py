"""Land suitability for the demo kabupaten: rasters per crop and hectares per kecamatan.

Shows: a run config with derived layers (slope, temperature, travel time), crop
requirement tables, constraints (protected forest, water, settlements, deep peat)
and the suitability stage, which evaluates every crop in one tiled pass and counts
hectares per kecamatan on the way.

Usage::

    aez demo OUTDIR                      # the synthetic region and its config.toml
    python examples/01_demo_suitability.py OUTDIR/config.toml

Writes ``<crop>_class.tif``, ``_potential.tif``, ``_subclass.tif`` and ``_index.tif``
into the config's output folder, and prints a table of hectares per class.
"""

import sys
import warnings
from pathlib import Path

import pandas as pd

import aez
from aez.characteristics import QUALITIES
from aez.crops import load_crops
from aez.pipeline import evaluate_stack


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
    rows = []
    for crop, t in totals.items():
        ha = t.hectares
        for d, name in enumerate(names):
            limits = t.limited_cells[d]
            top = QUALITIES[int(limits.argmax())] if limits.any() else "-"
            rows.append({"kecamatan": name, "crop": crop,
                         "S1": ha[d, 1], "S2": ha[d, 2], "S3": ha[d, 3], "N": ha[d, 4],
                         "excluded": ha[d, 5], "unknown": ha[d, 6],
                         "mean_index": t.mean_index[d], "main_limit": top})
    table = pd.DataFrame(rows)
    pd.set_option("display.width", 140)
    print(table.round(2).to_string(index=False))
    table.to_csv(outdir / "hectares_per_kecamatan.csv", index=False)
    print(f"\nRasters and hectares_per_kecamatan.csv in {Path(outdir).resolve()}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "demo-region/config.toml")
