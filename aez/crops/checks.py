"""Plausibility checks of a crop requirement table, beyond what the schema enforces.

:func:`~aez.crops.load_crop` already refuses tables whose bands overlap, leave
gaps, miss the domain or have more than one optimum. A table can pass that and
still be wrong in a way a reviewer would catch at a glance: a temperature edge of
4 °C (a transcription slip), liming that "improves" alkaline soil, a band read in
the wrong direction. :func:`plausibility_problems` lists such problems in words.

The checks
----------
* **Units** are the canonical units of the characteristic.
* **Nesting**: for each class, the values rated that class or better form one
  range (the hull of S1 lies inside the S1–S2 range, which lies inside the S1–S3
  range), so no worse band sits between better ones.
* **Direction**: where the better side of a characteristic is physical (deeper
  soil, fewer stones, less salt, gentler slope), classes never improve towards
  the worse side: e.g. soil depth may not be S1 at 30 cm and S2 at 100 cm.
* **Temperature** edges lie within 10–40 °C, **pH (H2O)** edges within 3–9 (the
  domain ends 0 and 14 are not thresholds).
* **Improvement sense**: nothing improves temperature, rainfall, dry months,
  humidity, texture, soil depth or peat depth; liming (an improvement of pH)
  works on the acid side only (``improves = "below"``); drains only help wet
  drainage classes.
* **Metadata**: names, scientific name, group and at least one source, and every
  rule cites one of the table's sources.
"""

from __future__ import annotations

from aez.characteristics import CHARACTERISTICS, canonical_units
from aez.crops.schema import (
    CLASS_NAMES,
    PRODUCT_GROUPS,
    CategoricalRule,
    CropRequirements,
    NumericRule,
)
from aez.errors import ConfigError

__all__ = [
    "FIXED_CHARACTERISTICS",
    "PH_RANGE",
    "TEMPERATURE_RANGE",
    "plausibility_problems",
]

#: Range (°C) every finite temperature edge must lie in.
TEMPERATURE_RANGE = (10.0, 40.0)
#: Range every finite pH (H2O) edge must lie in.
PH_RANGE = (3.0, 9.0)
#: Characteristics no usual, feasible improvement changes.
FIXED_CHARACTERISTICS = ("temperature", "rainfall", "dry_months", "humidity", "texture",
                         "soil_depth", "peat_depth")
#: Numeric characteristics whose better side is physical: +1 more is better, -1 less is.
_BETTER_SIDE = {
    "soil_depth": +1, "sulfidic_depth": +1,
    "coarse_fragments": -1, "peat_depth": -1, "salinity": -1, "alkalinity": -1,
    "slope": -1, "surface_stones": -1, "rock_outcrop": -1,
}
#: Drainage classes on the dry side of "well": drains make them worse, never better.
_DRY_DRAINAGE = ("excessive", "somewhat_excessive")


def plausibility_problems(crop: CropRequirements) -> list[str]:
    """List what looks wrong in a crop requirement table, one sentence per problem.

    Parameters
    ----------
    crop : CropRequirements
        A table, usually from :func:`~aez.crops.load_crop` (which has already checked
        contiguity and the single optimum).

    Returns
    -------
    list of str
        Empty when the table passes every check of the module docstring; otherwise
        each entry names the characteristic, the value seen and what was expected.

    >>> from aez.crops import load_crop
    >>> plausibility_problems(load_crop("jagung"))
    []
    """
    problems = _metadata_problems(crop)
    keys = {s.key for s in crop.sources}
    for char_id, rule in crop.rules.items():
        if rule.source not in keys:
            problems.append(f"{char_id}: source {rule.source!r} is not among the table's "
                            f"sources {sorted(keys)}.")
        if char_id in FIXED_CHARACTERISTICS and rule.improvement:
            problems.append(f"{char_id}: improvement = {rule.improvement}, but no usual "
                            f"improvement changes {CHARACTERISTICS[char_id].name_en}; use 0.")
        if isinstance(rule, NumericRule):
            problems += _numeric_problems(char_id, rule)
        elif isinstance(rule, CategoricalRule):
            problems += _categorical_problems(char_id, rule)
    return problems


def _metadata_problems(crop: CropRequirements) -> list[str]:
    problems = []
    for key in ("id", "name_id", "name_en", "scientific_name", "group"):
        if not str(getattr(crop, key)).strip():
            problems.append(f"`{key}` is empty.")
    if crop.group and crop.group not in PRODUCT_GROUPS:
        problems.append(f"group {crop.group!r} is not one of {', '.join(PRODUCT_GROUPS)}.")
    if not crop.sources:
        problems.append("no sources: cite at least one published table.")
    for source in crop.sources:
        if not source.citation.strip():
            problems.append(f"source {source.key!r} has an empty citation.")
    return problems


def _numeric_problems(char_id: str, rule: NumericRule) -> list[str]:
    problems = []
    expected = CHARACTERISTICS[char_id].units
    try:
        seen = canonical_units(rule.units)
    except ConfigError:
        seen = None
    if seen != expected:
        problems.append(f"{char_id}: units {rule.units!r}; expected {expected or 'none'!r}.")
    names = [CLASS_NAMES[c - 1] for c in rule.classes]
    for k in range(1, len(CLASS_NAMES)):
        at = [i for i, c in enumerate(rule.classes) if c <= k]
        if at and at != list(range(at[0], at[-1] + 1)):
            problems.append(f"{char_id}: the {'–'.join(CLASS_NAMES[:k])} bands are not one "
                            f"range (classes from low to high values: {' → '.join(names)}).")
            break
    side = _BETTER_SIDE.get(char_id)
    if side is not None:
        ordered = rule.classes if side < 0 else rule.classes[::-1]
        if list(ordered) != sorted(ordered):
            direction = "deeper/higher" if side > 0 else "lower"
            problems.append(f"{char_id}: classes run {' → '.join(names)} from low to high "
                            f"values, but {direction} values are better; is the row reversed?")
    limits = {"temperature": TEMPERATURE_RANGE, "ph_h2o": PH_RANGE}.get(char_id)
    if limits is not None:
        low, high = limits
        outside = [e for e in rule.edges if not low <= e <= high]
        if outside:
            unit = " °C" if char_id == "temperature" else ""
            problems.append(f"{char_id}: edges {', '.join(f'{e:g}' for e in outside)} lie "
                            f"outside {low:g}–{high:g}{unit}.")
    if char_id == "ph_h2o" and rule.improvement and rule.improves != "below":
        problems.append(f"ph_h2o: improvement = {rule.improvement} with improves = "
                        f"{rule.improves!r}; liming only helps acid soil: set improves = "
                        "\"below\".")
    return problems


def _categorical_problems(char_id: str, rule: CategoricalRule) -> list[str]:
    if char_id == "drainage" and rule.improvement:
        dry = [label for label in rule.improves if label in _DRY_DRAINAGE]
        if dry:
            return [f"drainage: improvement = {rule.improvement} helps {', '.join(dry)}, but "
                    "drains only help wet soil; list the wet classes in `improves`."]
    return []
