"""Climate scenarios: modified copies of a few characteristics, evaluated as more columns.

A scenario changes the climate characteristics of the land, either by
**deltas** or by **replacement layers**:

* ``temperature_delta`` (°C) is added to the ``temperature`` characteristic;
  when that comes from elevation (Braak), to the derived temperature;
* ``rainfall_change`` (a fraction: −0.1 is 10 % less rain) multiplies the
  annual ``rainfall`` by ``1 + rainfall_change``. When the run's
  ``dry_months`` comes from monthly rainfall (a CHIRPS or WorldClim layer),
  the monthly values are changed too and the dry months counted again
  (:meth:`aez.harmonize.LayerStack.from_config` adds that layer); otherwise
  dry months stay as they are, and a ``dry_months`` replacement layer
  changes them;
* ``layers`` replaces a characteristic by another layer (e.g. a downscaled
  CMIP6 temperature), one path per characteristic.

Both deltas are applied in ``float64`` and rounded once to ``float32``, the
type of the stack's continuous layers, so a scenario gives the same bytes as
a run whose layer file holds ``float32(value + delta)`` or
``float32(value * (1 + change))``.

The evaluation reads the inputs once: each crop gets one more compiled column
per scenario, whose changed characteristics are renamed ``<id>@<scenario>``
and point to the modified values (:func:`scenario_columns`,
:func:`scenario_inputs`). The fused kernel then bins the unchanged
characteristics once for the baseline and every scenario.

>>> s = Scenario("warm", temperature_delta=2.0, rainfall_change=-0.1)
>>> sorted(s.changed)
['rainfall', 'temperature']
>>> class_change(np.array([1, 1, 3, 4, 5, 0], np.uint8),
...              np.array([3, 1, 2, 4, 5, 0], np.uint8)).tolist()
[3, 2, 1, 2, 4, 0]
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from aez.characteristics import CHARACTERISTICS
from aez.errors import ConfigError
from aez.evaluate.classes import S1, N
from aez.evaluate.reference import CompiledCrop, Observed

__all__ = ["CHANGE_LABELS", "GAIN", "LOSS", "NOT_RATED", "SAME", "Scenario", "class_change",
           "scenario_columns", "scenario_inputs"]

#: Codes of a class-change raster (0: nodata, outside the study area).
GAIN, SAME, LOSS, NOT_RATED = 1, 2, 3, 4
#: Label of each class-change code.
CHANGE_LABELS: dict[int, str] = {GAIN: "gain", SAME: "same", LOSS: "loss",
                                 NOT_RATED: "not rated"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")


@dataclass(frozen=True)
class Scenario:
    """One climate scenario (``[scenarios.NAME]`` of a run config).

    Attributes
    ----------
    name : str
        Letters, digits, ``_`` and ``-`` (it names output files).
    temperature_delta : float, default 0
        °C added to the temperature characteristic.
    rainfall_change : float, default 0
        Fraction by which rainfall changes (−0.05 = 5 % less); above −1. It
        applies to annual rainfall and, where the dry months are counted from
        monthly rainfall, to every month.
    layers : mapping of str to Path
        Characteristic id → file of its scenario values, in the
        characteristic's canonical units (temperature in °C, rainfall in mm/yr).
    """

    name: str
    temperature_delta: float = 0.0
    rainfall_change: float = 0.0
    layers: Mapping[str, Path] = field(default_factory=dict)

    def __post_init__(self) -> None:
        where = f"[scenarios.{self.name}]"
        if not _NAME.match(self.name):
            raise ConfigError(f"Scenario name {self.name!r} is not allowed; use letters, digits, "
                              "'_' and '-' only (e.g. [scenarios.plus2c]), as it names files.")
        if not math.isfinite(self.temperature_delta):
            raise ConfigError(f"{where} temperature_delta = {self.temperature_delta}; "
                              "expected a finite number of °C, e.g. 1.5.")
        if not (math.isfinite(self.rainfall_change) and self.rainfall_change > -1):
            raise ConfigError(f"{where} rainfall_change = {self.rainfall_change}; expected a "
                              "fraction above −1 (e.g. −0.1 for 10 % less rain).")
        for char in self.layers:
            if char not in CHARACTERISTICS or CHARACTERISTICS[char].categorical:
                raise ConfigError(f"{where} layers names {char!r}, which is not a numeric land "
                                  "characteristic; use e.g. temperature, rainfall or dry_months.")
        for char, delta in (("temperature", "temperature_delta"),
                            ("rainfall", "rainfall_change")):
            if char in self.layers and getattr(self, delta) != 0:
                raise ConfigError(f"{where} gives both layers.{char} and {delta}; give one of "
                                  f"them (put the change into the {char} layer's values).")
        if not self.changed:
            raise ConfigError(f"{where} changes nothing; set temperature_delta, "
                              "rainfall_change or layers.")

    @property
    def changed(self) -> frozenset[str]:
        """The characteristics this scenario modifies."""
        out = set(self.layers)
        if self.temperature_delta != 0:
            out.add("temperature")
        if self.rainfall_change != 0:
            out.add("rainfall")
        return frozenset(out)

    def key(self, characteristic: str) -> str:
        """Return the column name of a changed characteristic (``<id>@<scenario>``)."""
        return f"{characteristic}@{self.name}"


def scenario_columns(compiled: Sequence[CompiledCrop],
                     scenario: Scenario) -> list[CompiledCrop]:
    """Copy compiled crops so that the scenario's changed characteristics read its columns.

    Parameters
    ----------
    compiled : sequence of CompiledCrop
        The baseline crops.
    scenario : Scenario

    Returns
    -------
    list of CompiledCrop
        One per crop, same ratings, in the same order; a changed characteristic
        ``c`` is keyed :meth:`Scenario.key` (c). Build them once and reuse them
        for every tile (the kernel's tables are cached per column set).
    """
    changed = scenario.changed
    return [CompiledCrop(cc.crop, {scenario.key(c) if c in changed else c: r
                                   for c, r in cc.ratings.items()}, cc.aggregate)
            for cc in compiled]


def scenario_inputs(inputs: Mapping[str, Observed], scenario: Scenario, *,
                    replaced: Mapping[str, NDArray[np.floating]]) -> dict[str, Observed]:
    """Return the scenario's modified characteristics, keyed as its columns.

    Parameters
    ----------
    inputs : mapping of str to Observed
        The baseline characteristics of the tile (table units).
    scenario : Scenario
    replaced : mapping of str to ndarray
        Values of the scenario's replacement layers, by characteristic id.

    Returns
    -------
    dict of str to Observed
        ``Scenario.key(c)`` → modified values, for each changed characteristic
        that the baseline provides or the scenario replaces.
    """
    out: dict[str, Observed] = {}
    for char in sorted(scenario.changed):
        base = inputs.get(char)
        if char in scenario.layers:
            values = np.asarray(replaced[char], dtype=np.float32)
            units = base.units if base is not None else CHARACTERISTICS[char].units
            out[scenario.key(char)] = Observed(values, None, units, scenario.key(char))
            continue
        if base is None:
            continue
        raw = np.asarray(base.values, dtype=np.float64)
        if char == "temperature":
            values = (raw + scenario.temperature_delta).astype(np.float32)
        else:
            values = (raw * (1.0 + scenario.rainfall_change)).astype(np.float32)
        out[scenario.key(char)] = Observed(values, base.legend, base.units, base.name)
    return out


def class_change(baseline: NDArray[np.uint8], scenario: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Compare two class rasters cell by cell: gain, same, loss or not rated.

    Parameters
    ----------
    baseline, scenario : ndarray of uint8
        Class codes (:mod:`aez.evaluate.classes`) of one crop.

    Returns
    -------
    ndarray of uint8
        :data:`GAIN` where the scenario's class is better (S3 → S2, N → S3 …),
        :data:`SAME` where equal, :data:`LOSS` where worse, :data:`NOT_RATED`
        where either is excluded or unknown and they differ or are not S1–N,
        and 0 where the baseline is nodata.
    """
    rated = (baseline >= S1) & (baseline <= N) & (scenario >= S1) & (scenario <= N)
    out = np.full(baseline.shape, NOT_RATED, np.uint8)
    out[rated & (scenario < baseline)] = GAIN
    out[rated & (scenario == baseline)] = SAME
    out[rated & (scenario > baseline)] = LOSS
    out[baseline == 0] = 0
    return out
