"""ECOCROP mode: climate-envelope requirements for crops without a BBSDLP-style table.

FAO's ECOCROP database gives, per crop, an *optimal* and an *absolute* range of
mean temperature (``TOPMN``–``TOPMX``, ``TMIN``–``TMAX``, °C), annual rainfall
(``ROPMN``–``ROPMX``, ``RMIN``–``RMAX``, mm) and soil pH (``PHOPMN``–``PHOPMX``,
``PHMIN``–``PHMAX``). The ECOCROP model (Hijmans et al. 2001, *Computer tools
for spatial analysis of plant genetic resources data: 1. DIVA-GIS*, Plant
Genetic Resources Newsletter 127: 15–19) scores each variable 1 inside the
optimal range, 0 outside the absolute range and linearly in between, and takes
the lowest score.

aez turns such a row into an ordinary requirement table, so the same engine
gives classes, subclasses and an index:

* S1: inside the optimal range;
* S2: the half of the marginal zone next to the optimum (ECOCROP score ≥ 0.5);
* S3: the outer half of the marginal zone (score < 0.5);
* N: outside the absolute range.

The aez index is then 0.25 + 0.5 × the ECOCROP score across the marginal zone
(a monotone rescaling). Values on a limit take the better class. ECOCROP's
temperature ranges refer to the growing season; with an annual mean
temperature layer this is an approximation, fine in the tropics where the
seasons differ little in temperature.

The user's CSV must have the ECOCROP column layout (at least ``ScientificName``
and the range columns); ``NA`` or empty cells leave a variable out.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from aez.crops.schema import CropRequirements, parse_crop
from aez.errors import ConfigError, DataSourceError

__all__ = ["ECOCROP_VARIABLES", "ecocrop_crop", "read_ecocrop"]

#: Characteristic → (absolute min, optimal min, optimal max, absolute max) columns, units.
ECOCROP_VARIABLES: dict[str, tuple[tuple[str, str, str, str], str]] = {
    "temperature": (("TMIN", "TOPMN", "TOPMX", "TMAX"), "°C"),
    "rainfall": (("RMIN", "ROPMN", "ROPMX", "RMAX"), "mm/yr"),
    "ph_h2o": (("PHMIN", "PHOPMN", "PHOPMX", "PHMAX"), ""),
}
_DOMAIN = {"temperature": (-math.inf, math.inf), "rainfall": (0.0, math.inf),
           "ph_h2o": (0.0, 14.0)}
_CITATION = ("FAO ECOCROP database, crop environmental requirements (ecocrop.fao.org), read "
             "from {path}; scored as in Hijmans et al. (2001), DIVA-GIS ECOCROP model.")


def read_ecocrop(path: str | Path) -> pd.DataFrame:
    """Read an ECOCROP-layout CSV; check that it has the name and range columns."""
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise DataSourceError(f"Cannot read the ECOCROP table {path}: {exc}") from None
    needed = ["ScientificName"] + [c for cols, _ in ECOCROP_VARIABLES.values() for c in cols]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise DataSourceError(f"{path} lacks the ECOCROP columns {missing}; expected the "
                              "ECOCROP layout (ScientificName, TOPMN, TOPMX, TMIN, TMAX, …).")
    frame.attrs["path"] = str(path)
    return frame


def ecocrop_crop(table: pd.DataFrame, name: str, *, crop_id: str | None = None,
                 group: str = "other") -> CropRequirements:
    """Return the requirements of one ECOCROP crop, found by scientific or common name.

    Parameters
    ----------
    table : DataFrame
        From :func:`read_ecocrop`.
    name : str
        ``ScientificName`` (case-insensitive), or a name listed in ``COMNAME``.
    crop_id : str, optional
        Id of the result (default: the scientific name in snake_case).
    group : str
        OTOP-style product group.
    """
    where = table.attrs.get("path", "ECOCROP table")
    row = _find(table, name, where)
    scientific = row["ScientificName"].strip()
    crop_id = crop_id or re.sub(r"[^a-z0-9]+", "_", scientific.lower()).strip("_")
    characteristics: dict[str, Any] = {}
    for char_id, (columns, units) in ECOCROP_VARIABLES.items():
        limits = [_number(row.get(c, "")) for c in columns]
        if any(v is None for v in limits):
            continue
        characteristics[char_id] = _bands(char_id, limits, units, where, scientific)  # type: ignore[arg-type]
    if not characteristics:
        raise ConfigError(f"{where}: {scientific!r} has no complete temperature, rainfall or "
                          "pH range.")
    common = row.get("COMNAME", "").split(",")[0].strip() or scientific
    doc = {
        "id": crop_id, "name_id": common, "name_en": common, "scientific_name": scientific,
        "group": group, "sources": [{"key": "ecocrop", "citation": _CITATION.format(path=where)}],
        "characteristics": characteristics,
        "notes": "Climate envelope from ECOCROP: S1 optimal, S2/S3 halves of the marginal zone.",
    }
    return parse_crop(doc, where=f"{where} ({scientific})")


def _find(table: pd.DataFrame, name: str, where: str) -> pd.Series:
    key = name.strip().lower()
    hit = table[table["ScientificName"].str.strip().str.lower() == key]
    if hit.empty and "COMNAME" in table.columns:
        names = table["COMNAME"].str.lower().str.split(",")
        hit = table[names.apply(lambda items: key in [s.strip() for s in items])]
    if hit.empty:
        import difflib

        close = difflib.get_close_matches(name, table["ScientificName"].tolist(), n=3)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ConfigError(f"{where}: no crop named {name!r}.{hint}")
    return hit.iloc[0]


def _number(text: str) -> float | None:
    text = str(text).strip()
    if text in ("", "NA", "NaN", "nan"):
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _bands(char_id: str, limits: list[float], units: str, where: str,
           name: str) -> dict[str, Any]:
    lo_abs, lo_opt, hi_opt, hi_abs = limits
    if not lo_abs <= lo_opt < hi_opt <= hi_abs:
        raise ConfigError(f"{where}: {name} {char_id} ranges are out of order: absolute "
                          f"{lo_abs:g}–{hi_abs:g}, optimal {lo_opt:g}–{hi_opt:g}.")
    low, high = _DOMAIN[char_id]
    lo_abs, hi_abs = max(lo_abs, low), min(hi_abs, high)
    bands: dict[str, list[list[float]]] = {"S1": [[lo_opt, hi_opt]], "S2": [], "S3": [], "N": []}
    for start, end, outer in ((lo_opt, lo_abs, low), (hi_opt, hi_abs, high)):
        middle = (start + end) / 2
        for cls, a, b in (("S2", start, middle), ("S3", middle, end), ("N", end, outer)):
            if a != b:
                bands[cls].append(sorted((a, b)))
    doc: dict[str, Any] = {"units": units, "source": "ecocrop"}
    doc.update({cls: intervals for cls, intervals in bands.items() if intervals})
    return doc
