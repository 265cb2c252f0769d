"""Crop requirement tables: the TOML schema, parsed and validated into frozen values.

A table is one TOML file per commodity::

    id = "jagung"
    name_id = "Jagung"
    name_en = "Maize"
    scientific_name = "Zea mays L."
    group = "food"
    sources = [{ key = "djaenudin2011", citation = "Djaenudin D. et al. (2011) ..." }]

    [characteristics.temperature]
    quality = "tc"          # optional: implied by the characteristic id
    units = "°C"
    S1 = [20, 26]           # one interval ...
    S2 = [[26, 30]]         # ... or a list of intervals
    S3 = [[16, 20], [30, 32]]
    N = [[-inf, 16], [32, inf]]
    improvement = 0         # classes a feasible improvement gains (0: none)
    source = "djaenudin2011"

    [characteristics.drainage]
    S1 = ["well", "moderately_well"]    # categorical: class labels
    ...

    [yield]                 # optional: see aez.crops.yields
    reference = 5.81        # t/ha/yr of the marketed product
    product = "pipilan kering (shelled dry grain, 14 % moisture)"
    source = "bps2023"

**Band rules.** Numeric bands are closed intervals ``[low, high]``; ``inf`` and
``-inf`` leave a band open. Together, the bands of a characteristic must cover its
physical domain (e.g. 0–100 for a percentage) without gaps or overlaps: bands may
only touch at their edges. **A value exactly on an edge between two bands takes
the more suitable class** (``S1 = [24, 29]``, ``S2 = [[22, 24], ...]``: 24 °C is S1).
Values beyond the domain take the class of the nearest band. Classes must get
steadily worse away from one best band (no S3 pocket inside S2 land). Categorical bands list
class labels from :mod:`aez.characteristics`; every label must appear in exactly
one band.

**Improvement** is the number of classes that feasible, usual improvements gain
for this characteristic (liming raises pH, drains improve drainage, terraces ease
slope; nothing changes temperature). The potential class of a characteristic is
its actual class raised by that many steps, never above S1. ``improves`` says
where the improvement works: for numbers ``"below"`` or ``"above"`` the best
band (liming helps acid soil, not alkaline soil), or ``"both"`` (the default);
for classes, the list of labels it helps (drains help ``poor`` drainage, not
``excessive``; default: every label).
"""

from __future__ import annotations

import difflib
import itertools
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aez.characteristics import CHARACTERISTICS, QUALITIES, canonical_units
from aez.crops.yields import ReferenceYield, parse_yield
from aez.errors import ConfigError

__all__ = [
    "CLASS_NAMES",
    "CategoricalRule",
    "CropRequirements",
    "NumericRule",
    "Rule",
    "Source",
    "parse_crop",
    "read_crop_file",
]

#: Suitability class labels, best first; their codes are 1, 2, 3, 4.
CLASS_NAMES: tuple[str, ...] = ("S1", "S2", "S3", "N")

#: OTOP-style product groups a commodity can belong to.
PRODUCT_GROUPS = ("food", "horticulture", "estate", "beverage", "herbal_spice", "fibre", "other")

#: Physical domain of each numeric characteristic (bands must cover it).
_DOMAINS: dict[str, tuple[float, float]] = {
    "%": (0.0, 100.0),
    "cm": (0.0, math.inf),
    "mm/yr": (0.0, math.inf),
    "months": (0.0, 12.0),
    "cmol/kg": (0.0, math.inf),
    "mg/100g": (0.0, math.inf),
    "dS/m": (0.0, math.inf),
}
_PH_DOMAIN = (0.0, 14.0)
_SLOPE_DOMAIN = (0.0, math.inf)  # percent slope exceeds 100 on steep land

_TOP_KEYS = {"id", "name_id", "name_en", "scientific_name", "group", "sources", "characteristics",
             "notes", "yield"}
_RULE_KEYS = {"quality", "units", *CLASS_NAMES, "weight", "improvement", "improves", "source",
              "note"}


@dataclass(frozen=True)
class Source:
    """A published source the table cites, under a short ``key``."""

    key: str
    citation: str


@dataclass(frozen=True)
class NumericRule:
    """Bands of a numeric characteristic.

    Attributes
    ----------
    characteristic, quality, units : str
        Canonical id, land-quality code and units.
    edges : tuple of float
        Sorted interior band edges; ``len(edges) + 1`` intervals.
    classes : tuple of int
        Class code (1 = S1 … 4 = N) of each interval, from low to high values.
        Neighbouring intervals always differ in class.
    domain : (float, float)
        Physical range of the characteristic.
    bounds : tuple of (float, float)
        The declared low/high of each interval, as written (open ends ±inf).
    weight : float
        Weight in weighted aggregations of the index.
    improvement : int
        Classes gained by feasible improvement.
    improves : {"below", "above", "both"}
        Side of the best band where the improvement works.
    source : str
        Key of the source in the table's ``sources``.
    """

    characteristic: str
    quality: str
    units: str
    edges: tuple[float, ...]
    classes: tuple[int, ...]
    domain: tuple[float, float]
    bounds: tuple[tuple[float, float], ...]
    weight: float = 1.0
    improvement: int = 0
    source: str = ""
    note: str = ""
    improves: str = "both"

    categorical = False


@dataclass(frozen=True)
class CategoricalRule:
    """Bands of a categorical characteristic: class code (1–4) of each label."""

    characteristic: str
    quality: str
    classes: Mapping[str, int] = field(hash=False)
    weight: float = 1.0
    improvement: int = 0
    source: str = ""
    note: str = ""
    improves: tuple[str, ...] = ()

    categorical = True
    units = ""


Rule = NumericRule | CategoricalRule


@dataclass(frozen=True)
class CropRequirements:
    """The land requirements of one commodity (see the module docstring for the schema)."""

    id: str
    name_id: str
    name_en: str
    scientific_name: str
    group: str
    sources: tuple[Source, ...]
    rules: Mapping[str, Rule] = field(hash=False)
    path: Path | None = None
    notes: str = ""
    reference_yield: ReferenceYield | None = None

    @property
    def qualities(self) -> tuple[str, ...]:
        """Land qualities this table rates, in canonical order."""
        used = {rule.quality for rule in self.rules.values()}
        return tuple(q for q in QUALITIES if q in used)

    def __repr__(self) -> str:
        return f"<CropRequirements {self.id!r}: {len(self.rules)} characteristics>"


def read_crop_file(path: str | Path) -> CropRequirements:
    """Read and validate one crop requirement TOML file.

    Raises :class:`~aez.errors.ConfigError` naming the file and key of any problem.
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}.") from None
    except OSError as exc:
        from aez.errors import DataSourceError

        raise DataSourceError(f"Cannot read crop table {path}: {exc.strerror}. Check the path in "
                              "[evaluate] crops (relative to the config's folder).") from None
    return parse_crop(doc, where=str(path), path=path)


def parse_crop(doc: Mapping[str, Any], *, where: str = "<crop table>",
               path: Path | None = None) -> CropRequirements:
    """Validate a parsed TOML document and build :class:`CropRequirements`.

    >>> crop = parse_crop({
    ...     "id": "demo", "name_id": "Demo", "name_en": "Demo", "scientific_name": "D. demo",
    ...     "group": "food", "sources": [{"key": "s", "citation": "A book"}],
    ...     "characteristics": {"slope": {"units": "%", "S1": [0, 8], "S2": [8, 15],
    ...                                   "S3": [15, 30], "N": [30, "inf"], "source": "s"}}})
    >>> crop.rules["slope"].edges, crop.rules["slope"].classes
    ((8.0, 15.0, 30.0), (1, 2, 3, 4))
    """
    _check_keys(doc, _TOP_KEYS, where)
    for key in ("id", "name_id", "name_en", "scientific_name", "group"):
        if not isinstance(doc.get(key), str) or not doc[key]:
            raise ConfigError(f"{where}: `{key}` must be a non-empty string; got {doc.get(key)!r}.")
    if doc["group"] not in PRODUCT_GROUPS:
        raise ConfigError(f"{where}: group = {doc['group']!r}; expected one of {PRODUCT_GROUPS}.")
    sources = _parse_sources(doc.get("sources"), where)
    keys = {s.key for s in sources}
    raw_rules = doc.get("characteristics")
    if not isinstance(raw_rules, Mapping) or not raw_rules:
        raise ConfigError(f"{where}: needs a [characteristics.*] table with at least one entry.")
    rules: dict[str, Rule] = {}
    for char_id, raw in raw_rules.items():
        at = f"{where} [characteristics.{char_id}]"
        if char_id not in CHARACTERISTICS:
            close = difflib.get_close_matches(char_id, CHARACTERISTICS, n=3)
            hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
            raise ConfigError(f"{at}: unknown land characteristic {char_id!r}.{hint}")
        if not isinstance(raw, Mapping):
            raise ConfigError(f"{at}: must be a table of bands.")
        rules[char_id] = _parse_rule(char_id, raw, at, keys)
    ordered = dict(sorted(rules.items(), key=lambda kv: list(CHARACTERISTICS).index(kv[0])))
    reference_yield = parse_yield(doc["yield"], where, keys) if "yield" in doc else None
    return CropRequirements(
        id=doc["id"], name_id=doc["name_id"], name_en=doc["name_en"],
        scientific_name=doc["scientific_name"], group=doc["group"], sources=sources,
        rules=ordered, path=path, notes=str(doc.get("notes", "")),
        reference_yield=reference_yield,
    )


def _check_keys(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"{where}: unknown key {key!r}.{hint} Allowed: "
                              f"{', '.join(sorted(allowed))}.")


def _parse_sources(raw: Any, where: str) -> tuple[Source, ...]:
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{where}: `sources` must list at least one {{ key, citation }} table.")
    sources = []
    for item in raw:
        if not isinstance(item, Mapping) or not item.get("key") or not item.get("citation"):
            raise ConfigError(f"{where}: each source needs a `key` and a `citation`; got {item!r}.")
        _check_keys(item, {"key", "citation"}, f"{where} sources")
        sources.append(Source(str(item["key"]), str(item["citation"])))
    if len({s.key for s in sources}) != len(sources):
        raise ConfigError(f"{where}: source keys repeat: {[s.key for s in sources]}.")
    return tuple(sources)


def _parse_rule(char_id: str, raw: Mapping[str, Any], at: str, source_keys: set[str]) -> Rule:
    _check_keys(raw, _RULE_KEYS, at)
    char = CHARACTERISTICS[char_id]
    quality = raw.get("quality", char.quality)
    if quality != char.quality:
        raise ConfigError(f"{at}: quality = {quality!r}, but {char_id!r} belongs to quality "
                          f"{char.quality!r}.")
    source = raw.get("source", "")
    if source not in source_keys:
        raise ConfigError(f"{at}: source = {source!r} is not among the table's sources "
                          f"{sorted(source_keys)}. Every band must cite a source.")
    weight = raw.get("weight", 1.0)
    if not isinstance(weight, int | float) or isinstance(weight, bool) or not weight > 0:
        raise ConfigError(f"{at}: weight = {weight!r}; expected a positive number.")
    improvement = raw.get("improvement", 0)
    if not isinstance(improvement, int) or isinstance(improvement, bool) or \
            not 0 <= improvement <= 3:
        raise ConfigError(f"{at}: improvement = {improvement!r}; expected 0, 1, 2 or 3 classes.")
    present = [name for name in CLASS_NAMES if name in raw]
    if not present:
        raise ConfigError(f"{at}: no bands; give at least one of S1, S2, S3, N.")
    common = {"characteristic": char_id, "quality": quality, "weight": float(weight),
              "improvement": improvement, "source": source, "note": str(raw.get("note", ""))}
    if char.categorical:
        if "units" in raw and canonical_units(str(raw["units"])) != "":
            raise ConfigError(f"{at}: {char_id!r} is categorical and takes no units; "
                              f"got units = {raw['units']!r}.")
        labels = _categorical_bands(char_id, raw, present, at)
        improves = raw.get("improves", list(labels))
        if not isinstance(improves, list) or any(label not in labels for label in improves):
            raise ConfigError(f"{at}: improves = {improves!r}; list the {char_id} classes the "
                              f"improvement helps, from {', '.join(labels)}.")
        return CategoricalRule(classes=labels, improves=tuple(improves), **common)
    units = raw.get("units")
    if units is None:
        raise ConfigError(f"{at}: `units` is missing; {char_id!r} is measured in "
                          f"{char.units or 'no units'!r}.")
    try:
        seen = canonical_units(str(units))
    except ConfigError as exc:
        raise ConfigError(f"{at}: {exc}") from None
    if seen != char.units:
        raise ConfigError(f"{at}: units = {units!r}, but {char_id!r} is measured in "
                          f"{char.units or 'no units'!r}. Convert the thresholds.")
    domain = _domain(char_id, char.units)
    edges, classes, bounds = _numeric_bands(raw, present, domain, at)
    _check_direction(char_id, classes, at)
    improves = raw.get("improves", "both")
    if improves not in ("below", "above", "both"):
        raise ConfigError(f"{at}: improves = {improves!r}; expected \"below\", \"above\" or "
                          "\"both\" (the side of the best band the improvement helps).")
    return NumericRule(units=char.units, edges=edges, classes=classes, domain=domain,
                       bounds=bounds, improves=improves, **common)


def _domain(char_id: str, units: str) -> tuple[float, float]:
    if char_id == "ph_h2o":
        return _PH_DOMAIN
    if char_id == "slope":
        return _SLOPE_DOMAIN
    return _DOMAINS.get(units, (-math.inf, math.inf))


def _as_intervals(value: Any, at: str, name: str) -> list[tuple[float, float]]:
    items = value
    if isinstance(value, list) and len(value) == 2 and not isinstance(value[0], list):
        items = [value]
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{at}: {name} must be [low, high] or a list of [low, high]; "
                          f"got {value!r}.")
    intervals = []
    for item in items:
        try:
            low, high = (float(v) for v in item)
        except (TypeError, ValueError):
            raise ConfigError(f"{at}: {name} has {item!r}; each band is [low, high] with "
                              "numbers (inf/-inf for open ends).") from None
        if not low < high:
            raise ConfigError(f"{at}: {name} band [{low:g}, {high:g}] is empty: low must be "
                              "below high.")
        intervals.append((low, high))
    return intervals


_Bands = tuple[tuple[float, ...], tuple[int, ...], tuple[tuple[float, float], ...]]


def _check_direction(char_id: str, classes: tuple[int, ...], at: str) -> None:
    """Refuse bands that run against the characteristic's direction (deeper soil is better)."""
    direction = CHARACTERISTICS[char_id].direction
    if direction not in ("higher", "lower"):
        return
    ordered = classes if direction == "lower" else classes[::-1]
    if list(ordered) != sorted(ordered):
        order = " → ".join(CLASS_NAMES[c - 1] for c in classes)
        raise ConfigError(
            f"{at}: classes run {order} from low to high values, but for {char_id} "
            f"{direction} values are always better (aez.characteristics.DIRECTIONS). The row is "
            "probably reversed: give S1 the band at the "
            f"{'high' if direction == 'higher' else 'low'} end.")


def _numeric_bands(raw: Mapping[str, Any], present: list[str], domain: tuple[float, float],
                   at: str) -> _Bands:
    bands = sorted(
        (low, high, CLASS_NAMES.index(name) + 1)
        for name in present
        for low, high in _as_intervals(raw[name], at, name)
    )
    for (low_a, high_a, cls_a), (low_b, high_b, cls_b) in itertools.pairwise(bands):
        a = f"{CLASS_NAMES[cls_a - 1]} [{low_a:g}, {high_a:g}]"
        b = f"{CLASS_NAMES[cls_b - 1]} [{low_b:g}, {high_b:g}]"
        if high_a > low_b:
            raise ConfigError(f"{at}: bands overlap: {a} and {b}. Bands may only share an edge.")
        if high_a < low_b:
            raise ConfigError(f"{at}: gap between {a} and {b}: values in ({high_a:g}, {low_b:g}) "
                              "have no class.")
    if bands[0][0] > domain[0] or bands[-1][1] < domain[1]:
        raise ConfigError(
            f"{at}: bands cover [{bands[0][0]:g}, {bands[-1][1]:g}] but the characteristic "
            f"ranges over [{domain[0]:g}, {domain[1]:g}]. Extend the outer bands (inf/-inf "
            "for open ends)."
        )
    edges: list[float] = []
    classes = [bands[0][2]]
    for low, _high, cls in bands[1:]:
        if cls == classes[-1]:
            continue  # neighbouring bands of one class merge
        edges.append(low)
        classes.append(cls)
    best = classes.index(min(classes))
    if classes[:best + 1] != sorted(classes[:best + 1], reverse=True) or \
            classes[best:] != sorted(classes[best:]):
        order = " → ".join(CLASS_NAMES[c - 1] for c in classes)
        raise ConfigError(f"{at}: classes run {order} from low to high values; they must get "
                          "steadily worse away from the best band (one optimum).")
    return tuple(edges), tuple(classes), tuple((low, high) for low, high, _ in bands)


def _categorical_bands(char_id: str, raw: Mapping[str, Any], present: list[str],
                       at: str) -> dict[str, int]:
    allowed = CHARACTERISTICS[char_id].classes or ()
    classes: dict[str, int] = {}
    for name in present:
        labels = raw[name]
        if not isinstance(labels, list) or not all(isinstance(v, str) for v in labels):
            raise ConfigError(f"{at}: {name} must be a list of class labels; got {labels!r}.")
        for label in labels:
            if label not in allowed:
                raise ConfigError(f"{at}: unknown {char_id} class {label!r} in {name}. "
                                  f"Allowed: {', '.join(allowed)}.")
            if label in classes:
                raise ConfigError(f"{at}: class {label!r} appears in both "
                                  f"{CLASS_NAMES[classes[label] - 1]} and {name}.")
            classes[label] = CLASS_NAMES.index(name) + 1
    missing = [label for label in allowed if label not in classes]
    if missing:
        raise ConfigError(f"{at}: classes {missing} are in no band; every {char_id} class "
                          f"({', '.join(allowed)}) needs one.")
    return {label: classes[label] for label in allowed}
