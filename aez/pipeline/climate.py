"""Climate stability: the assignment re-solved under each scenario, compared kecamatan by kecamatan.

The suitability stage counts, for each ``[scenarios.NAME]``, the hectares per
class of every commodity and kecamatan under that climate
(:attr:`~aez.pipeline.suitability.SuitabilityTotals.scenarios`). The decision
stage re-scores and re-solves the assignment with each scenario's suitability
(the other criteria and every ``[assign]`` setting unchanged), and
:func:`climate_columns` says for each kecamatan whether it keeps its product:

=============================  ===================================================
column                         meaning
=============================  ===================================================
``climate_kept``               scenarios in which the kecamatan keeps its product
``climate_scenarios``          scenarios evaluated (n); stability is kept / n
``product_<scenario>``         its product when re-solved under the scenario
                               (empty when that programme has no solution)
``suitable_change_<scenario>`` change of its product's suitable (S1–S3) land under
                               the scenario, as a fraction of today's (−0.6: 60 %
                               of it is lost); NaN where it has none today
``si_change_<scenario>``       change of its product's SI (points of 0 … 90): the
                               class change of its land (S1 → S3 on all of it: −40)
``climate_worst_change``       the most negative of those changes
=============================  ===================================================
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from aez.assign.milp import Assignment
from aez.harmonize import StudyArea
from aez.pipeline.suitability import SuitabilityTotals
from aez.zonal import district_summary

__all__ = ["climate_columns", "scenario_summaries"]


def scenario_summaries(totals: Mapping[str, SuitabilityTotals],
                       study_area: StudyArea) -> dict[str, pd.DataFrame]:
    """Summarise each scenario's totals per kecamatan and commodity.

    Parameters
    ----------
    totals : mapping of str to SuitabilityTotals
        Crop id → baseline totals, each with its ``scenarios``.
    study_area : StudyArea

    Returns
    -------
    dict of str to DataFrame
        Scenario name → :func:`aez.zonal.district_summary` of its totals (hectares,
        SI, limits), in scenario order.
    """
    names = list(dict.fromkeys(s for t in totals.values() for s in t.scenarios))
    return {name: district_summary({crop: t.scenarios[name] for crop, t in totals.items()},
                                   study_area) for name in names}


def climate_columns(products: pd.Series, base_summary: pd.DataFrame,
                    summaries: Mapping[str, pd.DataFrame],
                    assignments: Mapping[str, Assignment | None]) -> pd.DataFrame:
    """Compare each kecamatan's product with its product under every scenario.

    Parameters
    ----------
    products : Series
        Kecamatan id → product of the baseline assignment.
    base_summary : DataFrame
        The baseline :func:`aez.zonal.district_summary` (``kecamatan_id``,
        ``commodity``, ``suitable_ha``).
    summaries : mapping of str to DataFrame
        Scenario name → its summary, as ``base_summary``.
    assignments : mapping of str to Assignment or None
        Scenario name → the re-solved assignment (None: no solution).

    Returns
    -------
    DataFrame
        Indexed like ``products``; the columns of the module docstring.

    Examples
    --------
    >>> base = pd.DataFrame({"kecamatan_id": ["A", "B"], "commodity": ["kopi", "kopi"],
    ...                      "suitable_ha": [100.0, 50.0]})
    >>> warm = base.assign(suitable_ha=[40.0, 50.0])
    >>> out = climate_columns(pd.Series({"A": "kopi", "B": "kopi"}), base, {"warm": warm},
    ...                       {"warm": None})
    >>> out["suitable_change_warm"].tolist(), out["climate_kept"].tolist()
    ([-0.6, 0.0], [0, 0])
    """
    out = pd.DataFrame(index=products.index)
    kept = np.zeros(len(products), dtype=np.int64)
    changes = []

    def of_product(summary: pd.DataFrame, column: str = "suitable_ha") -> np.ndarray:
        values = summary.set_index(["kecamatan_id", "commodity"])[column]
        pairs = list(zip(products.index.astype(str), products.astype(str), strict=True))
        return values.reindex(pairs).to_numpy(dtype=np.float64)

    today = of_product(base_summary)
    si_today = of_product(base_summary, "SI") if "SI" in base_summary else None
    for name, summary in summaries.items():
        assignment = assignments.get(name)
        chosen = (assignment.table["product"].reindex(products.index).fillna("")
                  if assignment is not None else pd.Series("", index=products.index))
        kept += (chosen.to_numpy() == products.to_numpy()).astype(np.int64)
        with np.errstate(invalid="ignore", divide="ignore"):
            change = np.where(today > 0, of_product(summary) / today - 1.0, np.nan)
        out[f"product_{name}"] = chosen.to_numpy()
        out[f"suitable_change_{name}"] = change
        if si_today is not None:
            out[f"si_change_{name}"] = of_product(summary, "SI") - si_today
        changes.append(change)
    out.insert(0, "climate_kept", kept)
    out.insert(1, "climate_scenarios", len(summaries))
    with np.errstate(invalid="ignore"):
        worst = np.full(len(products), np.nan) if not changes else \
            np.fmin.reduce(np.vstack(changes), axis=0)
    out["climate_worst_change"] = worst
    return out
