"""The per-kecamatan suitability table: hectares per class, limiting qualities, SI.

:func:`district_summary` turns per-crop district totals (from
:func:`aez.pipeline.evaluate_stack` or :func:`aez.pipeline.zonal_class_areas`)
into a tidy table, one row per kecamatan × commodity; :func:`wide_table` pivots
one of its columns to a kecamatan × commodity matrix for scoring.

**Suitability index (SI).** GAEZ rates a cell by the shares of its land in
its suitability classes, SI = (90·VS + 70·S + 50·MS + 30·mS) / 100 with the
shares in percent. BBSDLP (Djaenudin et al. 2011) has three suitable classes,
not five, so aez weights each by the middle of the yield band the FAO
guidelines give it, as a percentage of the optimum: S1 (80–100 %) 90, S2
(60–80 %) 70, S3 (40–60 %) 50, N 0. These are GAEZ's weights of VS, S and MS;
GAEZ's mS (40–55 %) falls in S3 or N. So

    SI = 90·S1 + 70·S2 + 50·S3      (shares of the evaluated area, 0 … 1)

which runs from 0 (no suitable land) to 90 (all of it S1).

The shares are taken over the **evaluated** land (S1 + S2 + S3 + N), not the
whole kecamatan: excluded land (protected forest, water, settlements, deep
peat) is unavailable to every commodity, so counting it would only scale
every crop of a kecamatan by the same available share, which the hectare
columns already tell; land rated unknown has a missing input, and counting it
as unsuitable would rank gaps in the data, not land. ``evaluated_ha`` shows
how much land an SI rests on, and ``suitable_ha`` how much suitable land
there is in all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from aez.characteristics import QUALITIES
from aez.errors import ConfigError
from aez.evaluate.classes import EXCLUDED, NODATA, S1, S2, S3, UNKNOWN, N

__all__ = ["SI_WEIGHTS", "district_summary", "suitability_index", "wide_table"]

#: Weight of each suitable class in the suitability index (N and the rest weigh 0).
SI_WEIGHTS: dict[int, int] = {S1: 90, S2: 70, S3: 50}
#: Class codes whose land is evaluated (has a class): S1, S2, S3, N.
EVALUATED = (S1, S2, S3, N)
#: Class codes of suitable land.
SUITABLE = (S1, S2, S3)
_AREA_COLUMNS = {S1: "S1_ha", S2: "S2_ha", S3: "S3_ha", N: "N_ha", EXCLUDED: "excluded_ha",
                 UNKNOWN: "unknown_ha", NODATA: "nodata_ha"}


class ClassTotals(Protocol):
    """What :func:`district_summary` needs of each crop's totals.

    ``cells`` and ``area_cm2`` are (districts, 7) integer arrays by class code.
    Totals from the suitability stage also have ``limited_cells`` and
    ``missing_cells`` (districts, 12), ``mean_index`` (districts,) and
    ``value_sums`` with ``mean_value(name)``; the table uses them where present.
    """

    @property
    def cells(self) -> NDArray[np.int64]: ...

    @property
    def area_cm2(self) -> NDArray[np.int64]: ...


def suitability_index(area: NDArray[Any]) -> NDArray[np.float64]:
    """GAEZ-style SI from areas per class code, over the evaluated land (0 … 90).

    Parameters
    ----------
    area : (..., 7) array
        Area (any unit) or cells per class code 0 … 6.

    Returns
    -------
    ndarray of float64
        ``(90·S1 + 70·S2 + 50·S3) / (S1 + S2 + S3 + N)``; NaN where nothing
        was evaluated.

    Examples
    --------
    >>> # 40 ha S1, 20 ha S2, 20 ha S3, 20 ha N; the 50 ha excluded do not count:
    >>> # 90 × 0.4 + 70 × 0.2 + 50 × 0.2 = 36 + 14 + 10 = 60.
    >>> float(suitability_index(np.array([0, 40, 20, 20, 20, 50, 0])))
    60.0
    """
    a = np.asarray(area, dtype=np.float64)
    weighted = sum(w * a[..., c] for c, w in SI_WEIGHTS.items())
    evaluated = a[..., list(EVALUATED)].sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(evaluated > 0, weighted / evaluated, np.nan)


def _district_frame(districts: Any, id_column: str | None, name_column: str | None,
                    ) -> tuple[pd.DataFrame, str, str | None]:
    """Return the district table and its id/name columns (a StudyArea names its own)."""
    if hasattr(districts, "districts") and hasattr(districts, "id_column"):
        id_column = id_column or districts.id_column
        name_column = name_column or districts.name_column
        districts = districts.districts
    if not isinstance(districts, pd.DataFrame):
        raise ConfigError(f"districts must be a DataFrame or a StudyArea; got "
                          f"{type(districts).__name__}.")
    if id_column is None:
        raise ConfigError("Give id_column: the column of districts with each kecamatan's code.")
    for column in (id_column, name_column):
        if column is not None and column not in districts.columns:
            raise ConfigError(f"districts has no column {column!r}; it has "
                              f"{[c for c in districts.columns if c != 'geometry']}.")
    return districts, id_column, name_column


def district_summary(
    totals: Mapping[str, ClassTotals],
    districts: Any,
    *,
    id_column: str | None = None,
    name_column: str | None = None,
) -> pd.DataFrame:
    """One row per kecamatan × commodity: hectares per class, limits, index and SI.

    Parameters
    ----------
    totals : mapping of str to totals
        Commodity (crop id) → its district totals, in the districts' order:
        :class:`~aez.pipeline.SuitabilityTotals` from the suitability stage, or
        :class:`~aez.zonal.ClassAreas` from :func:`~aez.pipeline.zonal_class_areas`
        (which carry hectares only; the other columns are then NaN).
    districts : DataFrame or StudyArea
        One row per district, in the order the totals count them (the study
        area's rows).
    id_column, name_column : str, optional
        Columns with each kecamatan's code and name (default: the StudyArea's).

    Returns
    -------
    DataFrame
        Rows by kecamatan (in the districts' order), then commodity (in the
        order of ``totals``). Columns:

        ``kecamatan_id``, ``kecamatan``, ``commodity``
            Code, name (the code when there is no name column) and crop id.
        ``total_ha``
            The kecamatan's area on the grid: every cell whose centre it contains.
        ``S1_ha``, ``S2_ha``, ``S3_ha``, ``N_ha``, ``excluded_ha``, ``unknown_ha``, ``nodata_ha``
            Hectares per class (``nodata_ha``: cells with no class, normally 0).
        ``suitable_ha``, ``evaluated_ha``
            S1 + S2 + S3, and S1 + S2 + S3 + N.
        ``SI``
            Suitability index over the evaluated land, 0 … 90 (see the module
            notes); NaN where nothing was evaluated.
        ``mean_index``
            Mean suitability index (0 … 1) over the evaluated cells.
        ``limited_tc`` … ``limited_lp``
            Share (0 … 1) of the evaluated cells whose class is set by each land
            quality (in :data:`~aez.characteristics.QUALITIES` order). A cell
            can be limited by several qualities; S1 cells by none.
        ``<layer>_mean_suitable``
            For each layer summed by the stage (``zonal_means``), its mean over
            the cells where the commodity is suitable (S1–S3), in the layer's
            units; NaN where no suitable cell has a value.

    Examples
    --------
    >>> import pandas as pd
    >>> from aez.zonal import ClassAreas
    >>> ha = np.array([[0, 40, 20, 20, 20, 50, 0]]) * 10**8   # cm² per class code
    >>> table = district_summary({"jagung": ClassAreas("jagung", ha // 10**8, ha)},
    ...                          pd.DataFrame({"kode": ["63.90.01"]}), id_column="kode")
    >>> table[["kecamatan_id", "commodity", "suitable_ha", "SI"]].to_dict("records")
    [{'kecamatan_id': '63.90.01', 'commodity': 'jagung', 'suitable_ha': 80.0, 'SI': 60.0}]
    """
    frame, id_column, name_column = _district_frame(districts, id_column, name_column)
    if not totals:
        raise ConfigError("No commodity totals to summarise; evaluate at least one crop.")
    n = len(frame)
    for crop, t in totals.items():
        shape = np.shape(t.area_cm2)
        if shape != (n, len(_AREA_COLUMNS)):
            raise ConfigError(
                f"The totals of {crop!r} have shape {shape}, expected ({n}, "
                f"{len(_AREA_COLUMNS)}) for the {n} districts given. Pass the study area the "
                "totals were counted over."
            )
    ids = frame[id_column].to_numpy()
    names = frame[name_column].to_numpy() if name_column else ids
    means = list(dict.fromkeys(m for t in totals.values()
                               for m in getattr(t, "value_sums", {})))
    blocks = [_crop_block(crop, t, means) for crop, t in totals.items()]
    k = len(blocks)
    table = pd.concat(blocks, ignore_index=True)
    # Crop-major blocks → kecamatan-major rows: kecamatan d, crop j is row j·n + d.
    order = (np.arange(k)[None, :] * n + np.arange(n)[:, None]).ravel()
    table = table.iloc[order].reset_index(drop=True)
    table.insert(0, "kecamatan", np.repeat(names, k))
    table.insert(0, "kecamatan_id", np.repeat(ids, k))
    return table


def _crop_block(crop: str, t: ClassTotals, means: Sequence[str]) -> pd.DataFrame:
    """Build the rows of one commodity, one per district."""
    area = np.asarray(t.area_cm2, dtype=np.int64)
    cells = np.asarray(t.cells, dtype=np.int64)
    n = area.shape[0]
    ha = area / 1e8
    columns: dict[str, Any] = {"commodity": [crop] * n, "total_ha": area.sum(axis=1) / 1e8}
    for code in (S1, S2, S3, N, EXCLUDED, UNKNOWN, NODATA):
        columns[_AREA_COLUMNS[code]] = ha[:, code]
    columns["suitable_ha"] = area[:, list(SUITABLE)].sum(axis=1) / 1e8
    columns["evaluated_ha"] = area[:, list(EVALUATED)].sum(axis=1) / 1e8
    columns["SI"] = suitability_index(area)
    mean_index = getattr(t, "mean_index", None)
    columns["mean_index"] = np.full(n, np.nan) if mean_index is None else mean_index
    evaluated = cells[:, list(EVALUATED)].sum(axis=1)
    limited = getattr(t, "limited_cells", None)
    if limited is not None:
        # Cells rated unknown mark the qualities with a missing input: not limits.
        missing = getattr(t, "missing_cells", None)
        rated = np.asarray(limited) - (0 if missing is None else np.asarray(missing))
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = np.where(evaluated[:, None] > 0, rated / evaluated[:, None], np.nan)
    else:
        shares = np.full((n, len(QUALITIES)), np.nan)
    for q, quality in enumerate(QUALITIES):
        columns[f"limited_{quality}"] = shares[:, q]
    value_sums = getattr(t, "value_sums", {})
    for name in means:
        columns[f"{name}_mean_suitable"] = (t.mean_value(name)  # type: ignore[attr-defined]
                                            if name in value_sums else np.full(n, np.nan))
    return pd.DataFrame(columns)


def wide_table(summary: pd.DataFrame, column: str = "SI", *,
               index: str = "kecamatan_id") -> pd.DataFrame:
    """One column of a :func:`district_summary` as a kecamatan × commodity matrix.

    Rows and columns keep the summary's order (kecamatan, then commodities as
    given), not an alphabetical one.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"kecamatan_id": ["02", "02", "01", "01"],
    ...                   "commodity": ["padi", "jagung"] * 2, "SI": [70.0, 50.0, 90.0, 30.0]})
    >>> wide_table(s, "SI").to_dict("split")
    {'index': ['02', '01'], 'columns': ['padi', 'jagung'], 'data': [[70.0, 50.0], [90.0, 30.0]]}
    """
    for name in (column, index, "commodity"):
        if name not in summary.columns:
            raise ConfigError(f"The summary has no column {name!r}; it has "
                              f"{list(summary.columns)}.")
    if summary.duplicated([index, "commodity"]).any():
        raise ConfigError(f"The summary has a {index!r} × commodity pair more than once; "
                          "pass one row per kecamatan and commodity.")
    rows = list(dict.fromkeys(summary[index]))
    crops = list(dict.fromkeys(summary["commodity"]))
    wide = summary.pivot(index=index, columns="commodity", values=column)
    return wide.reindex(index=rows, columns=crops)
