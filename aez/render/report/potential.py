"""The report's "Potensi produksi / Potential production" subsection, as plain data.

Per commodity over the study area: the yield used (the crop table's reference
and its source key, or the BPS local yield and in how many kecamatan),
potential production, potential gross value with prices, BPS production and
the realised share. Commodities without any estimate are listed, not shown
as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from aez.crops import CropRequirements
from aez.crops.yields import DEFAULT_FRACTIONS

__all__ = ["potential_view"]


def potential_view(potential: pd.DataFrame | None, crops: Sequence[CropRequirements],
                   t: Mapping[str, str], fmt: Callable[[Any, int], str],
                   names: Mapping[str, str],
                   figure: dict[str, Any] | None) -> dict[str, Any] | None:
    """Return the rows, notes and figure of the subsection (None without a potential table).

    ``fmt(value, decimals)`` formats a number in the report's language (missing: "–").
    """
    if potential is None:
        return None
    by_id = {c.id: c for c in crops}
    priced = "value_rp" in potential.columns
    realised = "realised_t" in potential.columns
    rows, missing = [], []
    for crop, part in potential.groupby("commodity", sort=False):
        total = part["potential_t"].sum(min_count=1)
        if not np.isfinite(total):
            missing.append(names.get(str(crop), str(crop)))
            continue
        spec = by_id[str(crop)].reference_yield if str(crop) in by_id else None
        local = int((part["yield_source"] == "bps_local").sum())
        sources = []
        if spec is not None and spec.reference is not None and \
                (part["yield_source"] == "reference").any():
            sources.append(t["potential.source.reference"].format(key=spec.source))
        if local:
            sources.append(t["potential.source.local"].format(n=local))
        value = part["value_rp"].sum(min_count=1) / 1e9 if priced else np.nan
        done = part["realised_t"].sum(min_count=1) if realised else np.nan
        known = part["potential_t"].where(part["realised_t"].notna()).sum(min_count=1) \
            if realised else np.nan
        share = done / known if realised and np.isfinite(known) and known > 0 else np.nan
        rows.append({
            "id": str(crop), "name": names.get(str(crop), str(crop)),
            "yield": fmt(spec.reference if spec is not None else None, 2),
            "source": "; ".join(sources) or t["potential.source.none"],
            "potential": fmt(total, 0), "value": fmt(value, 1),
            "realised": fmt(done, 0),
            "share": fmt(100 * share, 1) + " %" if np.isfinite(share) else fmt(None, 1)})
    rows.sort(key=lambda r: r["id"])
    fractions = ", ".join(f"{k} {fmt(v, 3)}" for k, v in DEFAULT_FRACTIONS.items())
    return {"intro": t["potential.intro"].format(fractions=fractions,
                                                 fractions_source="FAO 1976; Sys et al. 1991"),
            "prices": t["potential.prices"] if priced else t["potential.no_prices"],
            "no_yield": t["potential.no_yield"].format(crops=", ".join(sorted(missing)))
            if missing else "",
            "priced": priced, "realised": realised, "rows": rows, "figure": figure}

