"""Reference yields and relative yield by suitability class: the ``[yield]`` table of a crop.

A crop table may carry the yield that potential production is computed with::

    [yield]
    reference = 5.249               # t/ha/yr of the marketed product
    product = "GKG (gabah kering giling)"
    source = "bps2022padi"          # a key of the table's `sources`
    # optional, overriding the library default below:
    fractions = { S1 = 0.9, S2 = 0.6, S3 = 0.3, N = 0.0 }
    fractions_source = "somekey"

A crop without a ``[yield]`` table, or without ``reference``, has **no value
estimate**: its potential production is missing (NaN), never zero.

**Relative yield by class.** FAO (1976) defines the suitability classes by
the degree of their limitations and leaves the class limits in terms of
relative yield to each evaluation. Sys, Van Ranst and Debaveye (1991) express
the land index as a percentage of the yield of land without limitations and
class it S1 75–100, S2 50–75, S3 25–50 and N below 25. aez takes the middle
of each band as the class's relative yield: S1 0.875, S2 0.625, S3 0.375.
N land is not suitable for the use (FAO 1976: the use is not sustainable on
it), so it contributes no production: 0.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aez.errors import ConfigError

__all__ = ["DEFAULT_FRACTIONS", "FRACTIONS_CITATION", "ReferenceYield", "check_fractions",
           "parse_yield"]

#: Relative yield of each suitability class: the middle of the land-index band of
#: Sys et al. (1991) (S1 75–100 %, S2 50–75 %, S3 25–50 %); N land produces nothing.
DEFAULT_FRACTIONS: Mapping[str, float] = {"S1": 0.875, "S2": 0.625, "S3": 0.375, "N": 0.0}
#: The published sources of :data:`DEFAULT_FRACTIONS`.
FRACTIONS_CITATION = (
    "FAO (1976). A framework for land evaluation. FAO Soils Bulletin 32, Rome (classes S1-S3, "
    "N; class limits in relative yield left to each evaluation). Sys C., Van Ranst E., "
    "Debaveye J. (1991). Land Evaluation, Part I: Principles in land evaluation and crop "
    "production calculations. Agricultural Publications 7, General Administration for "
    "Development Cooperation, Brussels (land index classes S1 75-100, S2 50-75, S3 25-50, "
    "N < 25 % of the yield without limitations). Fractions are the middles of those bands."
)
_CLASSES = ("S1", "S2", "S3", "N")
_KEYS = {"reference", "product", "source", "fractions", "fractions_source", "note"}


@dataclass(frozen=True)
class ReferenceYield:
    """The yield a crop's potential production is computed with.

    Attributes
    ----------
    reference : float or None
        Yield of the marketed product on land without limitations, t/ha/yr;
        None: no published figure, no value estimate.
    product : str
        What is weighed (e.g. ``"GKG"`` for rice, dry beans for coffee).
    source : str
        Key of the crop table's source of ``reference``.
    fractions : mapping of str to float
        Relative yield of each class S1, S2, S3, N (0–1, not rising from S1 to N).
    fractions_source : str
        Key of the crop table's source of ``fractions``; ``""`` for the library
        default (:data:`FRACTIONS_CITATION`).
    note : str
        How the figure was derived.
    """

    reference: float | None
    product: str = ""
    source: str = ""
    fractions: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_FRACTIONS),
                                           hash=False)
    fractions_source: str = ""
    note: str = ""


def parse_yield(raw: Any, where: str, source_keys: set[str]) -> ReferenceYield:
    """Validate a crop table's ``[yield]`` table.

    >>> y = parse_yield({"reference": 5.2, "product": "GKG", "source": "bps"}, "t", {"bps"})
    >>> y.reference, y.fractions["S2"]
    (5.2, 0.625)
    """
    at = f"{where} [yield]"
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{at}: must be a table (reference, product, source).")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise ConfigError(f"{at}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(_KEYS))}.")
    reference = raw.get("reference")
    if reference is not None:
        if isinstance(reference, bool) or not isinstance(reference, int | float) or \
                not math.isfinite(reference) or reference <= 0:
            raise ConfigError(f"{at}: reference = {reference!r}; expected t/ha/yr > 0, or "
                              "leave it out when no published figure exists (no estimate).")
        if raw.get("source") not in source_keys:
            raise ConfigError(f"{at}: source = {raw.get('source')!r} is not among the table's "
                              f"sources {sorted(source_keys)}; every reference yield cites one.")
        if not str(raw.get("product", "")).strip():
            raise ConfigError(f"{at}: `product` is missing: say what is weighed (e.g. \"GKG\").")
    fractions = dict(DEFAULT_FRACTIONS)
    fractions_source = ""
    if "fractions" in raw:
        fractions = _fractions(raw["fractions"], at)
        fractions_source = raw.get("fractions_source", "")
        if fractions_source not in source_keys:
            raise ConfigError(f"{at}: fractions_source = {fractions_source!r} is not among the "
                              f"table's sources {sorted(source_keys)}; crop-specific fractions "
                              "cite their source.")
    return ReferenceYield(None if reference is None else float(reference),
                          str(raw.get("product", "")), str(raw.get("source", "")), fractions,
                          fractions_source, str(raw.get("note", "")))


def check_fractions(raw: Any, where: str) -> dict[str, float]:
    """Check relative yields per class (S1, S2, S3, N in [0, 1], not rising); return them.

    >>> check_fractions({"S1": 1, "S2": 0.6, "S3": 0.3, "N": 0}, "[potential]")["S2"]
    0.6
    """
    return _fractions(raw, where)


def _fractions(raw: Any, at: str) -> dict[str, float]:
    if not isinstance(raw, Mapping) or set(raw) != set(_CLASSES):
        raise ConfigError(f"{at}: fractions = {raw!r}; give one relative yield for each of "
                          "S1, S2, S3 and N, e.g. { S1 = 0.875, S2 = 0.625, S3 = 0.375, N = 0 }.")
    out: dict[str, float] = {}
    for name in _CLASSES:
        value = raw[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or \
                not 0 <= value <= 1:
            raise ConfigError(f"{at}: fractions {name} = {value!r}; expected a share of the "
                              "reference yield in [0, 1].")
        out[name] = float(value)
    values = [out[c] for c in _CLASSES]
    if any(b > a for a, b in itertools.pairwise(values)):
        raise ConfigError(f"{at}: fractions {out} rise from a better class to a worse one; "
                          "relative yield cannot grow as suitability falls.")
    return out
