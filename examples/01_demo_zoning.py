"""The full zoning run on the demo kabupaten, from the Python API (what `aez run` does).

Shows the whole job in one call, :func:`aez.pipeline.run`:

1. the inputs brought onto one 50 m grid and checked, travel time to markets computed;
2. land suitability of every built-in commodity, tile by tile: class, limiting-factor
   subclass, potential class and index rasters (Cloud-Optimized GeoTIFF with QGIS styles),
   hectares per class for every kecamatan;
3. the decision: criteria per kecamatan × commodity (suitability index, location quotient
   and growth from the BPS-style table, market access, labour, cooperatives, sentra), one
   product per kecamatan by MILP under the ``[assign]`` constraints, robustness to the
   weights, cooperatives ranked for each product, roll-ups to the development regions;
4. the outputs a planner uses: ``districts.gpkg``, CSV and XLSX tables, maps (PNG, PDF)
   and the report (HTML).

Usage::

    aez demo OUTDIR
    python examples/01_demo_zoning.py OUTDIR/config.toml [--lang en]

The output folder is the config's ``[output] dir`` (``OUTDIR/aez-out``); an earlier run's
files there are replaced. The demo region is synthetic, not real data.
"""

import argparse

import pandas as pd

from aez.pipeline import run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", help="run config, e.g. demo-region/config.toml")
    parser.add_argument("--lang", choices=["id", "en"], default="id")
    args = parser.parse_args()

    result = run(args.config, overwrite=True, lang=args.lang)

    table = result.decision.kecamatan
    show = pd.DataFrame({
        "kecamatan": table["kecamatan"], "product": table["product"],
        "stars": table["tier"].map(lambda t: "*" * int(t)),
        "score": table["score"].round(3),
        "runner-up": table["alternative_1"],
    })
    if "stability" in table:
        show["kept"] = (100 * table["probability"]).round().astype(int).astype(str) + " %"
        show["stability"] = table["stability"]
    pd.set_option("display.width", 140)
    print(f"{len(result.crops)} commodities rated for {len(table)} kecamatan.\n")
    print(show.to_string())
    changed = table[table["binding"].map(len) > 0]
    for _, row in changed.iterrows():
        print(f"  {row['kecamatan']}: {'; '.join(row['binding'])}")
    print("\nStage times: " + ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items()))
    print(f"{len(result.files)} files in {result.outdir}")
    for name in ("districts.gpkg", "tables/aez_tables.xlsx", "maps/products.png", "report.html"):
        if name in result.files:
            print(f"  {result.files[name]}")


if __name__ == "__main__":
    main()
