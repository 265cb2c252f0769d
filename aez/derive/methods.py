"""The derivation methods a run config can name, with their inputs and options.

Each :class:`Method` says which input *roles* it takes (``dem``, ``targets``,
``roads`` …), which options it accepts, and how far its result reaches:

``focal``
    Needs a halo of one cell around each tile (slope, aspect).
``pointwise``
    Cell by cell (relief class, temperature).
``global``
    Needs the whole grid at once (distance, travel time).

>>> sorted(METHODS)
['aspect', 'braak', 'distance', 'landform', 'lapse_rate', 'slope', 'travel_time']
>>> METHODS["slope"].units({"units": "percent"})
'%'
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from aez.derive.distance import distance_to
from aez.derive.temperature import temperature_from_elevation
from aez.derive.terrain import RELIEF_BREAKS, aspect, landform, slope, slope_units
from aez.derive.travel_time import travel_time
from aez.errors import ConfigError
from aez.layer import Kind, Layer

__all__ = ["METHODS", "Method", "Scope", "check_options"]

Scope = Literal["focal", "pointwise", "global"]

_NUMBER = "a number"
_BOOL = "true or false"
_TEXT = "text"
_LIST = "a list"
_SPEEDS = "a table of class = km/h"


@dataclass(frozen=True)
class Method:
    """One derivation that a ``[layers.NAME]`` table can ask for with ``method``.

    Attributes
    ----------
    name : str
        The ``method`` value.
    scope : {"focal", "pointwise", "global"}
    roles : tuple of str
        Input roles, the first being the one a plain ``from = "layer"`` names.
    required : tuple of str
        Roles that must be given.
    continuous : tuple of str
        Roles whose layer must be continuous.
    options : mapping of str to (kind, default)
        Accepted options; a default of ``...`` marks a required option.
    kind : {"continuous", "categorical"}
        Kind of the result.
    metric : bool
        Whether it needs a projected grid (cells in metres).
    """

    name: str
    scope: Scope
    roles: tuple[str, ...]
    required: tuple[str, ...]
    continuous: tuple[str, ...]
    options: Mapping[str, tuple[str, Any]]
    kind: Kind
    _units: Callable[[Mapping[str, Any]], str]
    _run: Callable[[Mapping[str, Layer], Mapping[str, Any], str], Layer]
    metric: bool = True

    def units(self, options: Mapping[str, Any]) -> str:
        """Units of the result for these options."""
        return self._units(options)

    def run(self, inputs: Mapping[str, Layer], options: Mapping[str, Any], name: str) -> Layer:
        """Compute the derived layer from its inputs (by role)."""
        return self._run(inputs, {k: v for k, v in options.items()}, name)


def _slope(inputs: Mapping[str, Layer], o: Mapping[str, Any], name: str) -> Layer:
    return slope(inputs["dem"], units=o.get("units", "degrees"),
                 z_factor=o.get("z_factor", 1.0), name=name)


def _aspect(inputs: Mapping[str, Layer], o: Mapping[str, Any], name: str) -> Layer:
    return aspect(inputs["dem"], zero_for_flat=o.get("zero_for_flat", False), name=name)


def _landform(inputs: Mapping[str, Layer], o: Mapping[str, Any], name: str) -> Layer:
    return landform(inputs["slope"], breaks=o.get("breaks", RELIEF_BREAKS), name=name)


def _braak(inputs: Mapping[str, Layer], o: Mapping[str, Any], name: str) -> Layer:
    return temperature_from_elevation(inputs["dem"], method="braak", name=name)


def _lapse(inputs: Mapping[str, Layer], o: Mapping[str, Any], name: str) -> Layer:
    return temperature_from_elevation(inputs["dem"], method="lapse_rate", base=o["base"],
                                      lapse_rate=o["lapse_rate"], name=name)


def _distance(inputs: Mapping[str, Layer], o: Mapping[str, Any], name: str) -> Layer:
    return distance_to(inputs["features"], classes=o.get("classes"), name=name)


def _travel(inputs: Mapping[str, Layer], o: Mapping[str, Any], name: str) -> Layer:
    return travel_time(
        inputs["targets"],
        roads=inputs.get("roads"),
        rivers=inputs.get("rivers"),
        slope=inputs.get("slope"),
        water=inputs.get("water"),
        protected=inputs.get("protected"),
        name=name,
        **{k: v for k, v in o.items()},
    )


def _fixed(units: str) -> Callable[[Mapping[str, Any]], str]:
    return lambda _options: units


METHODS: dict[str, Method] = {m.name: m for m in (
    Method("slope", "focal", ("dem",), ("dem",), ("dem",),
           {"units": (_TEXT, "degrees"), "z_factor": (_NUMBER, 1.0)}, "continuous",
           lambda o: slope_units(o.get("units", "degrees")), _slope),
    Method("aspect", "focal", ("dem",), ("dem",), ("dem",),
           {"zero_for_flat": (_BOOL, False)}, "continuous", _fixed("degrees"), _aspect),
    Method("landform", "pointwise", ("slope",), ("slope",), ("slope",),
           {"breaks": (_LIST, RELIEF_BREAKS)}, "categorical", _fixed(""), _landform, False),
    Method("braak", "pointwise", ("dem",), ("dem",), ("dem",), {}, "continuous",
           _fixed("°C"), _braak, False),
    Method("lapse_rate", "pointwise", ("dem",), ("dem",), ("dem",),
           {"base": (_NUMBER, ...), "lapse_rate": (_NUMBER, ...)}, "continuous",
           _fixed("°C"), _lapse, False),
    Method("distance", "global", ("features",), ("features",), (),
           {"classes": (_LIST, None)}, "continuous", _fixed("m"), _distance),
    Method("travel_time", "global",
           ("targets", "roads", "rivers", "slope", "water", "protected"), ("targets",),
           ("slope",),
           {"road_speeds": (_SPEEDS, None), "boat_speed": (_NUMBER, 10.0),
            "water_factor": (_NUMBER, 0.0), "protected_factor": (_NUMBER, 0.5),
            "target_classes": (_LIST, None)},
           "continuous", _fixed("min"), _travel),
)}


def _check_value(kind: str, value: Any) -> bool:
    if kind == _NUMBER:
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(
            value)
    if kind == _BOOL:
        return isinstance(value, bool)
    if kind == _TEXT:
        return isinstance(value, str)
    if kind == _LIST:
        return isinstance(value, list | tuple)
    return isinstance(value, Mapping) and all(
        _check_value(_NUMBER, v) for v in value.values()
    )


def check_options(method: Method, options: Mapping[str, Any], *, where: str) -> dict[str, Any]:
    """Validate a method's options: known keys, value types, required ones present.

    Returns the options with list values as tuples (hashable, frozen).
    """
    checked: dict[str, Any] = {}
    for key, value in options.items():
        if key not in method.options:
            close = difflib.get_close_matches(key, list(method.options), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            valid = ", ".join(method.options) or "none"
            raise ConfigError(
                f"{where}: unknown option {key!r} for method = \"{method.name}\".{hint} "
                f"Options of {method.name}: {valid}."
            )
        kind, _default = method.options[key]
        if not _check_value(kind, value):
            raise ConfigError(f"{where}: {key} = {value!r}; expected {kind}.")
        checked[key] = tuple(value) if isinstance(value, list) else value
    missing = [k for k, (_, default) in method.options.items()
               if default is ... and k not in checked]
    if missing:
        raise ConfigError(
            f"{where}: method = \"{method.name}\" needs {', '.join(missing)}."
        )
    try:
        method.units(checked)  # slope refuses units other than degrees and %
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from exc
    return checked
