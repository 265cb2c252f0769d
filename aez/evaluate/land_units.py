"""Land evaluation over a land-unit table (soil-survey SPT polygons or CSV rows).

Soil data in Indonesia usually arrives as a polygon map whose attribute table
holds one row per land unit (*satuan peta tanah*, SPT). :func:`evaluate_units`
runs the same matching as the raster path over such a table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from aez.characteristics import CHARACTERISTICS
from aez.checks import require_frame, require_sequence
from aez.crops import CropRequirements, load_crop
from aez.errors import ConfigError
from aez.evaluate.classes import class_text, subclass_text
from aez.evaluate.matching import Aggregation, Observed, compile_crop, match, plan

__all__ = ["evaluate_units", "observed_from_table"]


def observed_from_table(table: pd.DataFrame, *,
                        units: Mapping[str, str] | None = None) -> dict[str, Observed]:
    """Observed characteristics from the columns of a table named by characteristic id.

    Numeric columns become float (empty cells NaN). Categorical columns hold
    class labels (``"well"``, ``"fine"``); empty cells are missing, and a
    label outside the vocabulary is an error naming it and the allowed ones.
    """
    observed: dict[str, Observed] = {}
    for char_id, char in CHARACTERISTICS.items():
        if char_id not in table.columns:
            continue
        column = table[char_id]
        if char.classes is not None:
            labels = column.astype("string").str.strip()
            codes = np.full(len(labels), -1, dtype=np.int16)
            for code, label in enumerate(char.classes):
                codes[(labels == label).fillna(False).to_numpy()] = code
            stray = labels[(codes == -1) & labels.notna().to_numpy() & (labels != "").to_numpy()]
            if len(stray):
                raise ConfigError(
                    f"Column {char_id!r} has the value {stray.iloc[0]!r} (row "
                    f"{stray.index[0]!r}); allowed: {', '.join(char.classes)}."
                )
            observed[char_id] = Observed(codes, dict(enumerate(char.classes)), name=char_id)
        else:
            try:
                values = pd.to_numeric(column, errors="raise").to_numpy(dtype=np.float64)
            except (ValueError, TypeError) as exc:
                raise ConfigError(f"Column {char_id!r} must hold numbers: {exc}.") from None
            observed[char_id] = Observed(values, None, (units or {}).get(char_id), char_id)
    return observed


def evaluate_units(table: pd.DataFrame, crops: Sequence[str | CropRequirements], *,
                   aggregate: Aggregation = "minimum",
                   units: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Evaluate every land unit (row) of a table for each crop.

    Parameters
    ----------
    table : DataFrame or GeoDataFrame
        One row per land unit; columns named by characteristic id (see
        :mod:`aez.characteristics`), numbers or class labels.
    crops : sequence of str or CropRequirements
        Crop ids, table paths or loaded tables.
    aggregate : {"minimum", "geometric_mean", "square_root"}
        How characteristic indices combine (see :mod:`aez.evaluate.matching`).
    units : mapping of str to str, optional
        Units of numeric columns, checked against each crop table.

    Returns
    -------
    DataFrame
        A copy of ``table`` with, per crop, ``<crop>_class`` (``S1``, ``S2``,
        ``S3``, ``N`` or ``unknown``), ``<crop>_subclass`` (``S3-nr,eh``),
        ``<crop>_index`` (0–1) and ``<crop>_potential``.

    Examples
    --------
    >>> units = pd.DataFrame({"slope": [3.0, 20.0], "ph_h2o": [6.5, 5.0],
    ...                       "drainage": ["well", "poor"], "temperature": [24.0, 24.0]})
    >>> import warnings
    >>> with warnings.catch_warnings():  # texture and soil depth are not given
    ...     warnings.simplefilter("ignore")
    ...     out = evaluate_units(units, ["jagung"])
    >>> out[["jagung_class", "jagung_subclass"]].to_numpy().tolist()
    [['S1', 'S1'], ['S3', 'S3-oa,nr,eh']]
    """
    require_frame(table, what="evaluate_units: table")
    crops = require_sequence(crops, what="evaluate_units: crops", example='["jagung"]')
    observed = observed_from_table(table, units=units)
    out = table.copy()
    for crop in crops:
        req = crop if isinstance(crop, CropRequirements) else load_crop(crop)
        plan(req, observed, warn=True)
        result = match(compile_crop(req, observed, aggregate=aggregate), observed)
        out[f"{req.id}_class"] = class_text(result.actual)
        out[f"{req.id}_subclass"] = subclass_text(result.actual, result.subclass)
        out[f"{req.id}_index"] = result.index.astype(np.float64)
        out[f"{req.id}_potential"] = class_text(result.potential)
    return out
