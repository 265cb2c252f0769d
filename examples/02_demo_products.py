"""One product per kecamatan for the demo kabupaten: suitability, scores, assignment.

Shows the whole decision chain on the demo region's config:

1. land suitability of every commodity in one tiled pass, with hectares per
   class and the mean travel time to markets over suitable land per kecamatan;
2. criteria per kecamatan × commodity: suitability index, location quotient and
   growth of production (BPS-style table, joined through the code crosswalk),
   market access, farm households, cooperatives and sentra;
3. the assignment (MILP): one product per kecamatan under the ``[assign]``
   constraints, with alternatives and the constraints that changed the choice;
4. robustness to the weights (Monte Carlo), cooperatives ranked for each
   kecamatan's product, and roll-ups to the kabupaten and development regions.

Usage::

    aez demo OUTDIR
    python examples/02_demo_products.py OUTDIR/config.toml

Writes the suitability rasters and the decision tables (CSV) into the config's
output folder and prints the recommendation per kecamatan.
"""

import sys
import time
import warnings
from pathlib import Path

import pandas as pd

import aez
from aez.crops import load_crops
from aez.pipeline import decide, evaluate_stack, write_decision


def main(config_path: str) -> None:
    start = time.perf_counter()
    config = aez.load_config(config_path)
    stack = aez.LayerStack.from_config(config)
    stack.check_coverage()
    crops = load_crops(config.evaluate.crops, crop_dirs=config.evaluate.crop_dirs,
                       ecocrop=config.evaluate.ecocrop)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", aez.AEZWarning)
        totals = evaluate_stack(
            stack, crops, config.output.dir / "suitability",
            aggregate=config.evaluate.aggregate,
            constraints=list(config.constraints.values()),
            tile_size=config.run.tile_size, executor=config.run.executor,
            workers=config.run.workers, overwrite=True, zonal_means=("travel_time",),
        )
        decision = decide(config, totals, stack.study_area, stack.grid)
    for w in caught:
        print(f"note: {w.message}")
    written = write_decision(decision, config.output.dir / "decision", overwrite=True)

    table = decision.kecamatan
    show = pd.DataFrame({
        "kecamatan": table["kecamatan"], "product": table["product"],
        "OTOP": table["otop_group"], "stars": table["tier"].map(lambda t: "*" * int(t)),
        "score": table["score"].round(3),
        "runner-up": table["alternative_1"] + " " + table["alternative_1_score"].round(3)
        .astype(str),
    })
    if "stability" in table:
        show["kept"] = (100 * table["probability"]).round().astype(int).astype(str) + " %"
        show["stability"] = table["stability"]
    pd.set_option("display.width", 140)
    print(f"{len(crops)} commodities rated for {len(table)} kecamatan; "
          f"weights {', '.join(f'{k} {v:.2f}' for k, v in decision.scores.weights.items())}\n")
    print(show.to_string())
    changed = table[table["binding"].map(len) > 0]
    if len(changed):
        print("\nConstraints that changed a choice:")
        for _, row in changed.iterrows():
            print(f"  {row['kecamatan']}: {'; '.join(row['binding'])}")
    print("\nRoll-up:")
    print(decision.regions[["level", "n_kecamatan", "products"]].to_string())
    coops = decision.cooperatives
    if len(coops):
        first = coops[coops["rank"] == 1]
        print(f"\nA cooperative to carry the product in {len(first)} of {len(table)} kecamatan; "
              f"none with a matching line in "
              f"{int((coops['status'] != 'ranked').sum())}.")
    print(f"\nDone in {time.perf_counter() - start:.0f} s. Tables in "
          f"{Path(next(iter(written.values()))).parent.resolve()}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "demo-region/config.toml")
