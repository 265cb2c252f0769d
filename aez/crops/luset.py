"""The LUSET/ALUES crop requirement tables (Sys et al. 1993), and their inconsistent rows.

LUSET (Yen, Pheng & Hoanh 2006) tabulates the crop requirements of Sys C., Van
Ranst E., Debaveye J. and Beernaert F. (1993) *Land Evaluation Part III: Crop
Requirements*; the ALUES project publishes them as one long table, a row per
crop and factor::

    crop_code, group, crop_title, code, s3_a, s2_a, s1_a, s1_b, s2_b, s3_b, wts,
    factor_description

``s3_a, s2_a, s1_a`` are the limits on one side of the optimum, read towards it:
rising for a factor where more is better (soil depth 50, 75, 100 cm), falling
where less is better (coarse fragments 55, 35, 15 %). A two-sided factor (pH,
temperature) also has the upper limits ``s1_b, s2_b, s3_b``, rising away from the
optimum. Equal limits leave a class empty.

:func:`luset_inconsistencies` lists the rows that break these rules, what is
wrong and a mechanical correction to check against the printed table:

``not monotone``
    one side goes up and down (rubber ``WmER`` 3.9, 4.0, 2); corrected by sorting
    the limits in the direction from ``s3_*`` to ``s1_*``.
``sides swapped``
    a two-sided row whose lower side falls and whose lower limits all sit at or
    above the upper ones (citrus ``TyAv`` 39, 36, 33 / 19, 16, 13): the upper side
    was written first; corrected by exchanging ``sK_a`` and ``sK_b``.
``reversed``
    a side runs against its required direction: the lower side of a two-sided row
    falls, or a one-sided row of a factor whose better side is physical runs the
    wrong way (rubber base saturation 80, 50, 35 %, where more is better for every
    other crop but tea and cassava); corrected by reversing that side, unless the
    crop truly needs the other side (the built-in rubber table keeps S1 <= 35 %:
    rubber is a crop of acid, base-poor soils).

Class-coded factors (texture, drainage, flooding, slope classes) are left out:
their codes are labels, not thresholds (LUSET's ``Drainage5`` writes 4, 1, 2 on
purpose: on sandy soils good drainage is S2 and moderate drainage S1).

The files are read from where the user keeps them; aez ships none of them.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pandas as pd

from aez.errors import ConfigError, DataSourceError

__all__ = ["BETTER_SIDE", "CLASS_CODED", "LIMITS", "luset_inconsistencies", "read_luset"]

#: The limit columns, from the worst lower limit to the worst upper one.
LIMITS = ("s3_a", "s2_a", "s1_a", "s1_b", "s2_b", "s3_b")
_COLUMNS = ("crop_code", "group", "crop_title", "code", *LIMITS, "wts", "factor_description")
_LOWER, _UPPER = LIMITS[:3], LIMITS[3:]

#: Factors whose values are class codes, not thresholds.
CLASS_CODED = frozenset({"SoilTe", "Drainage", "Drainage4", "Drainage5", "Flood", "Slope",
                         "SlopeD"})

#: Factors whose better side is physical: +1 more is better, -1 less is better.
BETTER_SIDE: dict[str, int] = {
    **dict.fromkeys(("SoilDpt", "SoilDpt1", "BS", "SumBCs", "SumBCc", "CECc", "CECs", "OC",
                     "OC6", "OC7", "OC8"), +1),
    **dict.fromkeys(("CFragm", "CFragm1", "CFragm2", "CaCO3", "Gyps", "ECedS", "ECemh", "ESP",
                     "Slope1", "Slope2", "Slope3"), -1),
}


def read_luset(path: str | Path) -> pd.DataFrame:
    """Read the LUSET/ALUES long table of crop requirements.

    Parameters
    ----------
    path : str or Path
        CSV with the columns ``crop_code, group, crop_title, code, s3_a, s2_a, s1_a,
        s1_b, s2_b, s3_b, wts, factor_description``.

    Returns
    -------
    DataFrame
        One row per crop and factor; the limits and ``wts`` as floats (NaN where
        the cell is empty or blank), the other columns as text.

    Raises
    ------
    DataSourceError
        If the file cannot be read, lacks a column, or a limit is not a number.
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise DataSourceError(f"Cannot read the LUSET table {path}: {exc}") from None
    missing = [c for c in _COLUMNS if c not in frame.columns]
    if missing:
        raise DataSourceError(f"{path} lacks the LUSET columns {missing}; expected "
                              f"{', '.join(_COLUMNS)}.")
    frame = frame.loc[:, list(_COLUMNS)].copy()
    for column in (*LIMITS, "wts"):
        text = frame[column].str.strip()
        values = pd.to_numeric(text.where(text != ""), errors="coerce")
        bad = values.isna() & (text != "")
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise DataSourceError(
                f"{path}, line {i + 2} ({frame['crop_code'].iloc[i]} {frame['code'].iloc[i]}): "
                f"{column} = {frame[column].iloc[i]!r} is not a number. Fix the cell or leave "
                "it empty.")
        frame[column] = values.astype(float)
    return frame


def luset_inconsistencies(table: pd.DataFrame) -> pd.DataFrame:
    """Rows of a LUSET table whose limits are not ordered as thresholds must be.

    Parameters
    ----------
    table : DataFrame
        From :func:`read_luset` (or any frame with ``crop_code``, ``code`` and the six
        limit columns as numbers).

    Returns
    -------
    DataFrame
        One row per inconsistent table row, in table order: ``crop_code``, ``code``,
        ``kind`` (``"not monotone"``, ``"sides swapped"`` or ``"reversed"``, see the
        module docstring), ``problem`` and ``correction`` (sentences), the six limits
        as read and the suggested ones (``suggested_s3_a`` …).

    Raises
    ------
    ConfigError
        If a column is missing or a limit is not a number.

    >>> row = {"crop_code": "RUBBER", "code": "BS", "s3_a": 80.0, "s2_a": 50.0,
    ...        "s1_a": 35.0, "s1_b": None, "s2_b": None, "s3_b": None}
    >>> found = luset_inconsistencies(pd.DataFrame([row]))
    >>> found["kind"].tolist(), found[["suggested_s3_a", "suggested_s1_a"]].iloc[0].tolist()
    (['reversed'], [35.0, 80.0])
    """
    missing = [c for c in ("crop_code", "code", *LIMITS) if c not in table.columns]
    if missing:
        raise ConfigError(f"The LUSET table lacks the columns {missing}; read it with "
                          "read_luset().")
    rows = []
    for _, row in table.iterrows():
        if row["code"] in CLASS_CODED:
            continue
        limits = tuple(_number(row[c], f"{row['crop_code']} {row['code']} {c}") for c in LIMITS)
        found = _check(str(row["code"]), limits)
        if found is None:
            continue
        kind, problem, suggested = found
        rows.append({
            "crop_code": row["crop_code"], "code": row["code"], "kind": kind,
            "problem": problem, "correction": _describe(limits, suggested),
            **dict(zip(LIMITS, limits, strict=True)),
            **{f"suggested_{c}": v for c, v in zip(LIMITS, suggested, strict=True)},
        })
    columns = ["crop_code", "code", "kind", "problem", "correction", *LIMITS,
               *(f"suggested_{c}" for c in LIMITS)]
    return pd.DataFrame(rows, columns=columns)


def _number(value: object, where: str) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        return math.nan
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ConfigError(f"{where} = {value!r} is not a number; read the table with "
                          "read_luset().") from None


_Limits = tuple[float, ...]


def _steps(values: _Limits) -> tuple[bool, bool]:
    """(rises somewhere, falls somewhere) along the non-missing values."""
    present = [v for v in values if not math.isnan(v)]
    pairs = list(itertools.pairwise(present))
    return any(b > a for a, b in pairs), any(b < a for a, b in pairs)


def _sorted(values: _Limits, *, rising: bool) -> _Limits:
    """Sort the non-missing values, back in their places; NaN stay where they were."""
    present = sorted((v for v in values if not math.isnan(v)), reverse=not rising)
    it = iter(present)
    return tuple(v if math.isnan(v) else next(it) for v in values)


def _fmt(values: _Limits) -> str:
    return ", ".join("-" if math.isnan(v) else f"{v:g}" for v in values)


def _check(code: str, limits: _Limits) -> tuple[str, str, _Limits] | None:
    lower, upper = limits[:3], limits[3:]
    for side, values, names in (("lower", lower, _LOWER), ("upper", upper, _UPPER)):
        rises, falls = _steps(values)
        if rises and falls:
            present = [v for v in values if not math.isnan(v)]
            outer = present[-1] - present[0]
            rising = side == "upper" or (outer > 0 if outer else BETTER_SIDE.get(code, 1) > 0)
            fixed = _sorted(values, rising=rising)
            return ("not monotone",
                    f"{', '.join(names)} = {_fmt(values)} go up and down; limits must run "
                    "one way.", fixed + upper if side == "lower" else lower + fixed)
    low = [v for v in lower if not math.isnan(v)]
    high = [v for v in upper if not math.isnan(v)]
    lower_falls, upper_falls = _steps(lower)[1], _steps(upper)[1]
    if high:
        if (lower_falls or upper_falls) and low and min(low) >= max(high):
            return ("sides swapped",
                    f"the lower limits {_fmt(lower)} lie at or above the upper limits "
                    f"{_fmt(upper)}, and they fall: the upper side was written first.",
                    upper[::-1] + lower[::-1])
        if lower_falls:
            return ("reversed", f"the lower limits s3_a, s2_a, s1_a = {_fmt(lower)} fall; "
                    "they must rise towards the optimum.", lower[::-1] + upper)
        if upper_falls:
            return ("reversed", f"the upper limits s1_b, s2_b, s3_b = {_fmt(upper)} fall; "
                    "they must rise away from the optimum.", lower + upper[::-1])
        return None
    direction = BETTER_SIDE.get(code)
    if direction is not None and _steps(lower)[0 if direction < 0 else 1]:
        better, way = ("more", "fall") if direction > 0 else ("less", "rise")
        return ("reversed",
                f"s3_a, s2_a, s1_a = {_fmt(lower)} {way} towards S1, but {better} is better "
                f"for {code} (unless this crop needs the opposite, e.g. an acid-soil crop).",
                lower[::-1] + upper)
    return None


def _describe(limits: _Limits, suggested: _Limits) -> str:
    """Describe in full the sides (lower, upper or both) that the correction changes."""
    parts = []
    for names, at in ((_LOWER, slice(0, 3)), (_UPPER, slice(3, 6))):
        old, new = limits[at], suggested[at]
        if _fmt(old) != _fmt(new):
            parts.append(f"{', '.join(names)} = {_fmt(new)}")
    return f"read {'; '.join(parts)} (check against the printed table)."
