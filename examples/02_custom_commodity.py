"""Add a commodity of your own and override a built-in one, then evaluate both.

Shows: how a user requirement table (TOML, the schema of ``docs/crops.md``) adds a
commodity aez does not ship, and how a table with a built-in id replaces the
built-in one for a run. The script writes two tables into ``OUTDIR/crops/``:

* ``vanili.toml``: vanilla (*Vanilla planifolia*), a new commodity. Neither the
  BBSDLP guide (Djaenudin et al. 2011) nor Sys et al. (1993) has a vanilla table,
  so every band comes from the FAO ECOCROP record of the species, turned into
  S1/S2/S3/N exactly as :mod:`aez.crops.ecocrop` and the library's ECOCROP-based
  tables (``cengkeh``, ``lada``) do; the table's notes say so;
* ``jagung.toml``: a local maize table that keeps the built-in ``jagung`` table
  but rates temperature by the wider Sys et al. (1993) maize row (S1 18–32 °C
  instead of BBSDLP's 20–26 °C), as a lowland variety programme might.

It then evaluates the built-in maize and both user tables on a small demo region,
with the run config pointing at the folder (``crop_dirs``); the log line
"overrides" shows that the user's ``jagung`` replaced the built-in one. The same
in a config file::

    [evaluate]
    crops = ["jagung", "vanili"]
    crop_dirs = ["crops"]          # relative to the config file

Usage::

    python examples/02_custom_commodity.py OUTDIR

Writes, all under OUTDIR: ``demo-region/`` (a small synthetic kabupaten, made
when missing), ``crops/*.toml``, the rasters of the built-in maize in
``builtin/`` and of the user tables in ``custom/`` (``<crop>_class.tif`` …), and
``hectares_per_class.csv`` (hectares per class over the kabupaten, one row per
table). Prints the same table.
"""

import logging
import re
import sys
import warnings
from dataclasses import replace
from pathlib import Path

import pandas as pd

import aez
from aez.crops import BUILTIN_DIR, load_crop, load_crops, plausibility_problems
from aez.demo import write_demo_region
from aez.evaluate import CLASS_LABELS
from aez.io import atomic_output
from aez.pipeline import StageOptions, evaluate_stack

#: Vanilla from the FAO ECOCROP record of Vanilla planifolia: temperature optimum 21-30,
#: absolute 10-33 °C; rainfall optimum 2000-2500, absolute 1500-3000 mm/yr; pH optimum
#: 5.5-7.0, absolute 4.3-8.0; soil depth, salinity and drainage classes as in the notes.
VANILI = '''\
# Land requirements of vanilla (vanili): a user table, from FAO ECOCROP.
id = "vanili"
name_id = "Vanili"
name_en = "Vanilla"
scientific_name = "Vanilla planifolia Jacks. ex Andrews"
group = "herbal_spice"
notes = """
FAO ECOCROP record Vanilla planifolia. Its ranges: temperature optimum 21-30, absolute 10-33 °C;
rainfall optimum 2000-2500, absolute 1500-3000 mm/yr; pH optimum 5.5-7.0, absolute 4.3-8.0;
soil depth optimal and absolute 'shallow (20-50 cm)'; salinity optimal and absolute 'low
(<4 dS/m)'; drainage optimal and absolute 'well (dry spells)'. Neither Djaenudin et al. (2011)
nor Sys et al. (1993) has a vanilla table, so ECOCROP gives every band, read as aez's ECOCROP
mode (aez.crops.ecocrop) and the library's ECOCROP-based tables read it: S1 the optimal range,
S2 and S3 the inner and outer halves of the marginal zone, N beyond the absolute range; soil
depth S1 from the lower limit of the optimal class; drainage 'well' is well and moderately_well,
somewhat_poor (no ECOCROP class) S3, the rest N. Not rated: flooding, texture, fertility, slope
(no ECOCROP field). Vanilla is grown under light shade on a support tree; ECOCROP's light
fields are not land characteristics and are not used.
"""
[[sources]]
key = "ecocrop"
citation = """FAO ECOCROP database of crop environmental requirements, record Vanilla \\
planifolia Jacks. ex Andrews: optimal and absolute ranges of temperature, annual rainfall and \\
soil pH, and the optimal and absolute classes of soil depth, salinity and drainage; numeric \\
ranges classed as in Hijmans R.J. et al. (2001) Computer tools for spatial analysis of plant \\
genetic resources data: 1. DIVA-GIS. Plant Genetic Resources Newsletter 127: 15-19."""

[characteristics.temperature]
units = "°C"
S1 = [21, 30]
S2 = [[15.5, 21], [30, 31.5]]
S3 = [[10, 15.5], [31.5, 33]]
N = [[-inf, 10], [33, inf]]
note = "ECOCROP optimum 21-30, absolute 10-33 °C; S2 and S3 halve the marginal ranges."
source = "ecocrop"

[characteristics.rainfall]
units = "mm/yr"
S1 = [2000, 2500]
S2 = [[1750, 2000], [2500, 2750]]
S3 = [[1500, 1750], [2750, 3000]]
N = [[0, 1500], [3000, inf]]
note = "ECOCROP optimum 2000-2500, absolute 1500-3000 mm/yr; S2 and S3 halve the margins."
source = "ecocrop"

[characteristics.drainage]
S1 = ["well", "moderately_well"]
S3 = ["somewhat_poor"]
N = ["excessive", "somewhat_excessive", "poor", "very_poor"]
improvement = 1
improves = ["somewhat_poor", "poor", "very_poor"]
note = "ECOCROP optimal and absolute 'well (dry spells)'; drains gain one class on wet land."
source = "ecocrop"

[characteristics.soil_depth]
units = "cm"
S1 = [20, inf]
N = [0, 20]
note = "ECOCROP optimal and absolute 'shallow (20-50 cm)': S1 from 20 cm, no marginal zone."
source = "ecocrop"

[characteristics.ph_h2o]
units = ""
S1 = [5.5, 7.0]
S2 = [[4.9, 5.5], [7.0, 7.5]]
S3 = [[4.3, 4.9], [7.5, 8.0]]
N = [[0, 4.3], [8.0, 14]]
improvement = 1
improves = "below"
note = "ECOCROP optimum 5.5-7.0, absolute 4.3-8.0. Liming lifts acid soils one class."
source = "ecocrop"

[characteristics.salinity]
units = "dS/m"
S1 = [0, 4]
N = [4, inf]
note = "ECOCROP optimal and absolute 'low (<4 dS/m)': no marginal band."
source = "ecocrop"
'''

#: The temperature row of the local maize table: Sys et al. (1993), maize, mean temperature
#: of the growing cycle (LUSET MAIZE TgAv: 14, 16, 18 / 32, 35, 40 °C).
JAGUNG_TEMPERATURE = '''\
[characteristics.temperature]
units = "°C"
S1 = [18, 32]
S2 = [[16, 18], [32, 35]]
S3 = [[14, 16], [35, 40]]
N = [[-inf, 14], [40, inf]]
improvement = 0
note = """Local table: Sys et al. (1993) maize, mean temperature of the growing cycle (S1 18-32, \\
S2 16-18 / 32-35, S3 14-16 / 35-40 °C), wider than BBSDLP's 20-26 °C. In the tropics the \\
growing-cycle mean is close to the annual mean."""
source = "sys1993"

'''
SYS1993 = ('  { key = "sys1993", citation = "Sys C., Van Ranst E., Debaveye J., Beernaert F. '
           '(1993). Land Evaluation, Part III: Crop Requirements. Agricultural Publications 7, '
           'General Administration for Development Cooperation, Brussels; maize table as '
           'tabulated in LUSET (Yen B.T., Pheng K.S., Hoanh C.T. 2006, LUSET: Land Use '
           'Suitability Evaluation Tool, IRRI)." },\n')


def local_jagung() -> str:
    """The built-in jagung table with the Sys et al. (1993) temperature row and source."""
    text = (BUILTIN_DIR / "jagung.toml").read_text(encoding="utf-8")
    block = re.compile(r"\[characteristics\.temperature\]\n.*?\n(?=\[characteristics\.)", re.S)
    text, replaced = block.subn(JAGUNG_TEMPERATURE, text)
    sources = "sources = [\n"
    if replaced != 1 or text.count(sources) != 1:
        raise SystemExit("The built-in jagung table changed shape; update this example.")
    text = text.replace(sources, sources + SYS1993)
    text = text.replace('name_en = "Maize"', 'name_en = "Maize (local table, wider temperature)"')
    return ("# Local maize table: the built-in jagung with the temperature row of Sys et al.\n"
            "# (1993). Same id as the built-in table, so it replaces it for runs that list\n"
            "# this folder in crop_dirs.\n" + text)


def s1_range(rule) -> str:
    """The S1 interval of a numeric rule, as text."""
    i = rule.classes.index(1)
    edges = (rule.domain[0], *rule.edges, rule.domain[1])
    return f"{edges[i]:g}–{edges[i + 1]:g}"


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path, overwrite=True) as tmp:
        tmp.write_text(text, encoding="utf-8")


def kabupaten_hectares(totals: dict, table: str) -> list[dict]:
    """Hectares per class over all kecamatan, one row per crop."""
    rows = []
    for crop, t in totals.items():
        ha = t.hectares.sum(axis=0)
        rows.append({"table": table, "crop": crop,
                     **{CLASS_LABELS[code]: ha[code] for code in range(1, 7)}})
    return rows


def main(outdir: Path) -> None:
    region = outdir / "demo-region" / "config.toml"
    if not region.exists():
        write_demo_region(region.parent, size="small")
    crops_dir = outdir / "crops"
    write_text(crops_dir / "vanili.toml", VANILI)
    write_text(crops_dir / "jagung.toml", local_jagung())
    for name in ("vanili", "jagung"):
        problems = plausibility_problems(load_crop(crops_dir / f"{name}.toml"))
        print(f"{name}.toml: {'; '.join(problems) or 'passes the plausibility checks'}")

    # Show the library's log line that names the override.
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.getLogger("aez.crops").addHandler(handler)
    logging.getLogger("aez.crops").setLevel(logging.INFO)

    config = aez.load_config(region)
    config = replace(config, evaluate=replace(config.evaluate, crops=("jagung", "vanili"),
                                              crop_dirs=(crops_dir,)))
    stack = aez.LayerStack.from_config(config)
    builtin = load_crops(["jagung"])
    custom = load_crops(config.evaluate.crops, crop_dirs=config.evaluate.crop_dirs)
    print(f"jagung temperature S1: built-in {s1_range(builtin[0].rules['temperature'])}, "
          f"user table {s1_range(custom[0].rules['temperature'])} °C")

    rows = []
    for table, crops in (("built-in", builtin), ("user", custom)):
        folder = outdir / ("builtin" if table == "built-in" else "custom")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", aez.AEZWarning)
            totals = evaluate_stack(stack, crops, folder, aggregate=config.evaluate.aggregate,
                                    constraints=list(config.constraints.values()),
                                    options=StageOptions(tile_size=config.run.tile_size,
                                                         executor=config.run.executor,
                                                         overwrite=True))
        for w in caught:
            print(f"note ({table}): {w.message}")
        rows += kabupaten_hectares(totals, table)
    table = pd.DataFrame(rows)
    with atomic_output(outdir / "hectares_per_class.csv", overwrite=True) as tmp:
        table.to_csv(tmp, index=False, float_format="%.2f")

    print("\nHectares per class over the kabupaten:")
    print(table.to_string(index=False, float_format="{:,.0f}".format))
    maize = table[table["crop"] == "jagung"].set_index("table")
    s1 = maize.loc["user", "S1"] - maize.loc["built-in", "S1"]
    s12 = (maize.loc["user", ["S1", "S2"]].sum() - maize.loc["built-in", ["S1", "S2"]].sum())
    print(f"\nWith the wider temperature range, {s1:,.0f} ha more maize land is S1 "
          f"({s12:,.0f} ha more S1 or S2). Files in {outdir.resolve()}")

if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "custom-commodity"))
