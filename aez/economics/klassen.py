"""Klassen typology of sectors: growth × share against a reference region.

Each district × sector is placed in one of four quadrants by comparing its
average annual growth g_ij with the reference sector's G_j, and its average
share of the district's total s_ij with the reference share S_j
(s_ij ≥ S_j is the same as a period location quotient s_ij / S_j ≥ 1):

====  ======================  ==============================  =============  ===========
code  label (Indonesian)      label (English)                 growth         share
====  ======================  ==============================  =============  ===========
1     prima                   prime (advanced, fast-growing)  g_ij ≥ G_j     s_ij ≥ S_j
2     maju tapi tertekan      advanced but depressed          g_ij < G_j     s_ij ≥ S_j
3     berkembang              developing (potential)          g_ij ≥ G_j     s_ij < S_j
4     relatif tertinggal      relatively lagging              g_ij < G_j     s_ij < S_j
====  ======================  ==============================  =============  ===========

Ties go to the upper class (≥). Growth is averaged as in
:func:`~aez.economics.lq.average_growth`; shares are the mean of the yearly
shares. A cell with an undefined growth or share (zero base, zero district
total, NaN) has no quadrant (``<NA>``).

Both reference sectors grow by 10 % and hold half of the reference total; A's
padi grows 50 % (share 0.6 → 0.65), its jagung 20 % (share 0.4 → 0.35); B's padi
stays (share 0.2 → 0.19), its jagung grows 5 % (share 0.8 → 0.81):

>>> import pandas as pd
>>> t0 = pd.DataFrame({"padi": [60.0, 20.0], "jagung": [40.0, 80.0]}, index=["A", "B"])
>>> t1 = pd.DataFrame({"padi": [90.0, 20.0], "jagung": [48.0, 84.0]}, index=["A", "B"])
>>> ref = pd.DataFrame({"padi": [1000.0, 1100.0], "jagung": [1000.0, 1100.0]},
...                    index=[2020, 2021])
>>> klassen_typology({2020: t0, 2021: t1}, reference=ref)["label_id"].tolist()
['prima', 'berkembang', 'relatif tertinggal', 'maju tapi tertekan']
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from aez.economics.lq import GrowthMethod, average_growth, growth_panel
from aez.tabular.panels import Panel

__all__ = ["KLASSEN_LABELS", "klassen_typology"]

#: Quadrant code → (Indonesian label, English label).
KLASSEN_LABELS: dict[int, tuple[str, str]] = {
    1: ("prima", "prime (advanced, fast-growing)"),
    2: ("maju tapi tertekan", "advanced but depressed"),
    3: ("berkembang", "developing (potential)"),
    4: ("relatif tertinggal", "relatively lagging"),
}


def klassen_typology(
    tables: Panel, *, reference: pd.DataFrame | Mapping[int, pd.Series] | None = None,
    growth: GrowthMethod = "mean",
) -> pd.DataFrame:
    """Klassen quadrant of every district × sector over a period.

    Parameters
    ----------
    tables : mapping of int to DataFrame
        ``{year: district × sector table}``, at least two years.
    reference : DataFrame or mapping of int to Series, optional
        Reference sector totals by year × sector. Default: the column sums of
        the tables.
    growth : {"mean", "compound"}
        Average annual growth rate (``"mean"`` needs consecutive years).

    Returns
    -------
    DataFrame
        Indexed by (district, sector) with columns ``growth`` (g_ij),
        ``reference_growth`` (G_j), ``share`` (s_ij), ``reference_share``
        (S_j), ``lq`` (s_ij / S_j), ``quadrant`` (1–4, nullable Int8),
        ``label_id`` and ``label_en`` (missing without a quadrant).

    Raises
    ------
    ConfigError
        Mismatched tables, fewer than two years, or an unknown growth method.
    NegativeValueError
        A negative quantity.
    """
    panel, years, stack, ref = growth_panel(tables, reference, growth)
    with np.errstate(all="ignore"):
        shares = stack / np.nansum(stack, axis=2, keepdims=True)
        ref_shares = ref / np.nansum(ref, axis=1, keepdims=True)
        share = shares.mean(axis=0)
        ref_share = np.broadcast_to(ref_shares.mean(axis=0), share.shape)
        lq = share / ref_share
    g = average_growth(stack, years, method=growth)
    g_ref = np.broadcast_to(average_growth(ref, years, method=growth), g.shape)
    defined = np.isfinite(g) & np.isfinite(g_ref) & np.isfinite(share) & np.isfinite(ref_share)
    high_share = share >= ref_share
    fast = g >= g_ref
    quadrant = np.where(high_share, np.where(fast, 1, 2), np.where(fast, 3, 4))
    first = panel[years[0]]
    index = pd.MultiIndex.from_product([first.index, first.columns],
                                       names=["district", "sector"])
    codes = pd.array(np.where(defined, quadrant, 0).ravel(), dtype="Int8")
    codes[~defined.ravel()] = pd.NA
    labels = [KLASSEN_LABELS.get(int(c)) if c is not pd.NA else None for c in codes]
    return pd.DataFrame({
        "growth": g.ravel(), "reference_growth": g_ref.ravel(), "share": share.ravel(),
        "reference_share": ref_share.ravel(), "lq": lq.ravel(), "quadrant": codes,
        "label_id": [lab[0] if lab else None for lab in labels],
        "label_en": [lab[1] if lab else None for lab in labels],
    }, index=index)
