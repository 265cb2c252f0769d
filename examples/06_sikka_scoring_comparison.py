"""Kab. Sikka: the old scoring defaults against the new ones, on the real BPS production.

Builds the Sikka region of ``04_sikka_real.py`` (real kecamatan and BPS SIMDASI
production 2020–2023; synthetic land), evaluates the land once, and runs the
decision stage four times, adding one change at a time:

``old``
    every criterion min–max over all pairs, LQ over the evaluated commodities
    only (fruit, vegetables and spices by mass), no base required;
``+ normalisation``
    the default normalisations (LQ log with cap 4, growth by rank);
``+ LQ basket``
    and the LQ within the commodity's BPS table (all 28 fruits of 5.1.13, all
    29 vegetables of 5.1.2, all 17 medicinal plants of 5.1.6);
``new``
    and ``require_base``: a leading product needs LQ ≥ 1 and production in 2023
    (the defaults of aez).

For each it counts what a planner would check first: how many of the 12
commodities go to their largest producer of 2023, how many leading products had
no production in 2023, how many are below LQ 1 in their BPS table, and how much
of the chosen score the evidence (LQ and growth) makes up. It prints a
Markdown report (the figures quoted in ``docs/scoring.md``) and writes it to
``OUTDIR/sikka_scoring_comparison.md`` (a test checks that the docs quote it
exactly), with the products of every run in ``OUTDIR/sikka_scoring_comparison.csv``.

Usage::

    python examples/06_sikka_scoring_comparison.py OUTDIR [--data PATH]

Takes about half a minute.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _real_data as real

from aez import LayerStack
from aez.assign.score import CRITERIA
from aez.config import LQConfig, NormaliseConfig, RunConfig, load_config
from aez.crops import load_crops
from aez.pipeline import StageOptions, decide, evaluate_stack
from aez.pipeline.decide import Decision

#: The runs: name → what changes from the defaults of aez.
RUNS = ("old", "+ normalisation", "+ LQ basket", "new")


def sikka_example() -> object:
    """The module of ``04_sikka_real.py`` (its name starts with a digit)."""
    path = Path(__file__).resolve().parent / "04_sikka_real.py"
    spec = importlib.util.spec_from_file_location("sikka_real", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def variant(config: RunConfig, name: str) -> RunConfig:
    """The config of one run (see the module docstring)."""
    old_normalise = {c: NormaliseConfig(c, "minmax") for c in CRITERIA}
    score, assign = config.score, config.assign
    if name == "old":
        score = replace(score, normalise=old_normalise, lq=LQConfig(basket="evaluated"))
        assign = replace(assign, require_base=False)
    elif name == "+ normalisation":
        score = replace(score, lq=LQConfig(basket="evaluated"))
        assign = replace(assign, require_base=False)
    elif name == "+ LQ basket":
        assign = replace(assign, require_base=False)
    return replace(config, score=score, assign=assign)


def measures(decision: Decision, tons: pd.DataFrame, table_lq: pd.DataFrame) -> dict[str, str]:
    """What a planner checks first, for one run."""
    table = decision.kecamatan
    chosen = table["product"]
    largest = tons.fillna(0.0).idxmax()
    to_largest = sorted(p for p, k in largest.items() if chosen.get(k) == p)
    produced = np.array([tons.at[k, p] for k, p in chosen.items()])
    below = np.array([table_lq.at[k, p] for k, p in chosen.items()])
    held = np.nan_to_num(produced) / tons.fillna(0.0).sum()[chosen].to_numpy()
    scores = decision.scores
    evidence = sum(scores.weights.get(c, 0.0) * table[f"component_{c}"]
                   for c in ("lq", "growth") if f"component_{c}" in table.columns)
    share = (evidence / table["score"]).median()
    flagged = table["flags"].map(len) > 0
    return {
        "commodities assigned to their largest 2023 producer":
            f"{len(to_largest)} of {tons.shape[1]} ({', '.join(to_largest)})",
        "leading products with no production in 2023": str(int((~(produced > 0)).sum())),
        "median share of the kabupaten's 2023 production of the product":
            f"{np.median(held):.1%}",
        "leading products with LQ < 1 in their BPS table": str(int((below < 1).sum())),
        "median share of LQ + growth in the chosen score": f"{share:.0%}",
        "distinct products": str(chosen.nunique()),
        "kecamatan with a flag": str(int(flagged.sum())),
        "kecamatan with no alternative": str(int((table["alternative_1"].isna()).sum())),
    }


def main(argv: list[str] | None = None) -> None:
    outdir, data = real.parse_args(__doc__, argv)
    example = sikka_example()
    config = load_config(example.prepare(outdir / "region", data))  # type: ignore[attr-defined]
    stack = LayerStack.from_config(config)
    totals = evaluate_stack(stack, load_crops(config.evaluate.crops), outdir / "suitability",
                            constraints=list(config.constraints.values()),
                            options=StageOptions(executor="threads", overwrite=True),
                            zonal_means=("travel_time",))
    decisions = {name: decide(variant(config, name), totals, stack.study_area, stack.grid)
                 for name in RUNS}
    new = decisions["new"].evidence
    assert new is not None
    tons, table_lq = new.production, new.lq
    names = decisions["new"].kecamatan["kecamatan"]

    leaders = tons.fillna(0.0).idxmax().map(names)
    reachable = leaders.nunique()
    intro = (f"Kab. Sikka, real BPS SIMDASI production {new.basket.first_year}–"
             f"{new.basket.year}; synthetic land. Generated by "
             "`examples/06_sikka_scoring_comparison.py`. With one product per kecamatan at most "
             f"{reachable} of the {tons.shape[1]} commodities can go to their largest producer: "
             f"{leaders.value_counts().index[0]} leads {leaders.value_counts().iloc[0]} of them.")
    lines = [*textwrap.wrap(intro, width=100), "",
             "| measure | " + " | ".join(RUNS) + " |", "|---|" + "---|" * len(RUNS)]
    rows = {name: measures(d, tons, table_lq) for name, d in decisions.items()}
    for measure in rows["old"]:
        lines.append(f"| {measure} | " + " | ".join(rows[r][measure] for r in RUNS) + " |")
    lines += ["", f"Products ({new.basket.year} production in t; LQ within the BPS table):", "",
              "| kecamatan | old | new | new: role, flags |", "|---|---|---|---|"]
    records = []
    for kecamatan, name in names.items():
        cells = []
        for run in ("old", "new"):
            product = decisions[run].kecamatan.at[kecamatan, "product"]
            cells.append(f"{product} ({tons.at[kecamatan, product]:,.1f} t; "
                         f"LQ {table_lq.at[kecamatan, product]:.2f})")
        row = decisions["new"].kecamatan.loc[kecamatan]
        flags = ", ".join(row["flags"]) or "–"
        lines.append(f"| {name} | {cells[0]} | {cells[1]} | {row['role']}; {flags} |")
        records.append({"kecamatan_id": kecamatan, "kecamatan": name,
                        **{run: decisions[run].kecamatan.at[kecamatan, "product"]
                           for run in RUNS},
                        "role": row["role"], "flags": "; ".join(row["flags"])})
    text = "\n".join(lines) + "\n"
    print(text)
    (outdir / "sikka_scoring_comparison.md").write_text(text, encoding="utf-8")
    real.write_csv(pd.DataFrame(records), outdir / "sikka_scoring_comparison.csv")


if __name__ == "__main__":
    main()
