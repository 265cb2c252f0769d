"""Travel time (minutes) to the nearest market or port over a friction surface.

Every cell gets a speed (km/h), and the least-time path from each cell to the
nearest target cell is found with scikit-image's
:class:`skimage.graph.MCP_Geometric` (Dijkstra on the 8-connected grid: a step
between neighbours costs its length in metres times the mean of the two cells'
minutes per metre). The speed of a cell is the fastest way across it:

* **roads**: the speed of the road class, ``road_speeds`` (km/h). The
  defaults for the Indonesian functional classes are assumptions of typical
  rural travel speeds, below the design speeds of Bina Marga's geometric
  design guide for rural roads (*Tata Cara Perencanaan Geometrik Jalan Antar
  Kota*, 1997) to allow for traffic and road condition; calibrate them
  locally:

  ==============  ======
  class           km/h
  ==============  ======
  ``arteri``      60
  ``kolektor``    40
  ``lokal``       30
  ``jalan_desa``  15
  ==============  ======

* **navigable rivers**: ``boat_speed`` (default 10 km/h);
* **off road**: walking speed from Tobler's hiking function (Tobler 1993,
  *Three presentations on geographical analysis and modeling*, NCGIA
  Technical Report 93-1), W = 6 · exp(−3.5 · |S + 0.05|) km/h with S the
  gradient (rise over run). Without the direction of travel, every slope is
  taken as climbing: W = 6 · exp(−3.5 · (tan θ + 0.05)), 5.04 km/h on the
  flat and 2.50 km/h on a 20 % slope. Without a slope layer the ground is
  taken as flat. Where the slope is nodata, off-road travel is impossible;
* **water** (not navigable) multiplies the off-road speed by
  ``water_factor`` (default 0: impassable, except on roads, i.e. bridges,
  and navigable rivers); **protected areas** by ``protected_factor``
  (default 0.5).

Target cells have time 0 (a target on impassable ground, such as a port on
the water, is left at the flat walking speed); cells that cannot reach any
target are nodata (NaN). Like distance, travel time is a global operation, run once on the
whole grid; the :class:`~aez.harmonize.LayerStack` can run it on a coarser
grid (``resolution = 100`` … 250 m) and resample it back by nearest
neighbour. At its peak it needs about 80 bytes of memory per cell besides its
inputs: the cost array (8 bytes), the search's own arrays (22 bytes)
and, while the search is set up, scikit-image's map of the grid's edges (48
bytes, freed before the search starts). For Jawa Tengah at 100 m (9.5 Mpix) that
is 0.83 GiB above the open stack, its four inputs included. That is what the
coarser grid is for.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType

import numpy as np

from aez.checks import metric_res, require_continuous
from aez.derive.distance import feature_cells
from aez.derive.terrain import slope_units
from aez.errors import ConfigError, CoverageError, GridMismatchError
from aez.layer import Layer

__all__ = [
    "DEFAULT_BOAT_SPEED",
    "DEFAULT_ROAD_SPEEDS",
    "tobler_speed",
    "travel_time",
]

#: Default travel speeds (km/h) by Indonesian road class (see the module docstring).
DEFAULT_ROAD_SPEEDS: Mapping[str, float] = MappingProxyType(
    {"arteri": 60.0, "kolektor": 40.0, "lokal": 30.0, "jalan_desa": 15.0}
)
#: Default boat speed on navigable rivers (km/h).
DEFAULT_BOAT_SPEED = 10.0
#: Labels that mean "no feature here" in presence layers.
_ABSENT = "absent"


def tobler_speed(gradient: np.ndarray | float) -> np.ndarray:
    """Isotropic walking speed (km/h) on a gradient (rise/run ≥ 0), from Tobler's function.

    >>> round(float(tobler_speed(0.0)), 3), round(float(tobler_speed(0.2)), 3)
    (5.037, 2.501)
    """
    return _tobler_in_place(np.array(gradient, dtype=np.float64))


def _tobler_in_place(gradient: np.ndarray) -> np.ndarray:
    """Turn a float64 gradient array into Tobler's walking speed (km/h), in place."""
    np.abs(gradient, out=gradient)
    gradient += 0.05
    gradient *= -3.5
    np.exp(gradient, out=gradient)
    gradient *= 6.0
    return gradient


def _same_grid(reference: Layer, layer: Layer | None) -> None:
    if layer is not None and layer.grid != reference.grid:
        raise GridMismatchError(
            f"travel_time(): layer {layer.name!r} is on {layer.grid!r}, but the targets "
            f"{reference.name!r} are on {reference.grid!r}. Read all inputs on one grid."
        )


def _speed(value: float, what: str) -> float:
    try:
        speed = float(value)
    except (TypeError, ValueError):
        speed = math.nan
    if not (math.isfinite(speed) and speed > 0):
        raise ConfigError(f"{what} = {value!r}; expected a speed > 0 in km/h.")
    return speed


def _factor(value: float, what: str) -> float:
    factor = float(value)
    if not (math.isfinite(factor) and 0 <= factor <= 1):
        raise ConfigError(
            f"{what} = {value!r}; expected a share of the walking speed in [0, 1] "
            "(0 = impassable)."
        )
    return factor


def _add_road_speeds(speed: np.ndarray, roads: Layer, road_speeds: Mapping[str, float]) -> None:
    """Raise ``speed`` (km/h) on each road cell to its class's speed; unknown classes raise."""
    if roads.kind != "categorical":
        raise ConfigError(
            f"The road layer {roads.name!r} must be categorical (road classes or presence); "
            "declare kind = \"categorical\" and name the class attribute."
        )
    legend = dict(roads.legend or {})
    codes = np.unique(roads.data[roads.valid]).tolist()
    labels = {code: legend.get(code, str(code)) for code in codes}
    for label in labels.values():
        if label != _ABSENT and label not in road_speeds:
            raise ConfigError(
                f"The road layer {roads.name!r} has the road class {label!r}, which has no "
                f"speed. Configured classes: {', '.join(map(repr, road_speeds))}. Add a speed "
                f"for it (road_speeds.{label} = km/h), or recode the layer's class attribute."
            )
    for code, label in labels.items():
        if label != _ABSENT:
            np.maximum(speed, road_speeds[label], out=speed, where=roads.data == code)


def _walking_speed(targets: Layer, slope: Layer | None) -> np.ndarray:
    """Off-road speed (km/h) as a float64 array in Fortran order (see :func:`travel_time`)."""
    if slope is None:
        return np.full(targets.shape, float(tobler_speed(0.0)), order="F")
    require_continuous(slope, what="travel_time() slope")
    units = slope_units(slope.units) if slope.units else None
    if units is None:
        raise ConfigError(
            f"travel_time() needs the slope layer {slope.name!r} in \"%\" or \"degrees\"; it "
            "has no units."
        )
    speed = np.array(slope.data, dtype=np.float64, order="F")  # the gradient, then the speed
    nodata = np.isnan(speed)
    if units == "%":
        speed /= 100.0
    else:
        np.radians(speed, out=speed)
        np.tan(speed, out=speed)
    _tobler_in_place(speed)
    speed[nodata] = 0.0
    return speed


def travel_time(
    targets: Layer,
    *,
    roads: Layer | None = None,
    road_speeds: Mapping[str, float] | None = None,
    rivers: Layer | None = None,
    boat_speed: float = DEFAULT_BOAT_SPEED,
    slope: Layer | None = None,
    water: Layer | None = None,
    water_factor: float = 0.0,
    protected: Layer | None = None,
    protected_factor: float = 0.5,
    target_classes: Sequence[str | int] | None = None,
    name: str = "travel_time",
) -> Layer:
    """Least travel time (minutes) from every cell to the nearest target.

    Parameters
    ----------
    targets : Layer
        Markets, ports or towns, rasterized (presence: non-zero cells are
        targets; see :func:`aez.derive.distance.feature_cells`).
    roads : Layer, optional
        Categorical road classes with a legend (``{1: "arteri", …}``).
        Cells with nodata or labelled ``"absent"`` are not roads.
    road_speeds : mapping of str to float, optional
        km/h per road class label (default :data:`DEFAULT_ROAD_SPEEDS`).
    rivers : Layer, optional
        Navigable rivers (non-zero cells).
    boat_speed : float, default 10
        km/h on navigable rivers.
    slope : Layer, optional
        Slope in ``"%"`` or ``"degrees"`` for the off-road walking speed.
    water : Layer, optional
        Water bodies and sea (non-zero cells).
    water_factor : float, default 0
        Share of the walking speed across water; 0 makes it impassable.
    protected : Layer, optional
        Protected areas (non-zero cells).
    protected_factor : float, default 0.5
        Share of the walking speed in protected areas (0: impassable).
    target_classes : sequence, optional
        Only targets of these classes (legend labels or codes).
    name : str
        Output name.

    Returns
    -------
    Layer
        float32 minutes (units ``"min"``); NaN where no target can be reached.

    Raises
    ------
    ConfigError
        A road class without a speed (named, with the configured classes),
        or a speed/factor out of range.
    CoverageError
        No target on the grid.
    CRSError
        A geographic grid.

    Examples
    --------
    A 10 m grid with a market at the west end of a 60 km/h road along the
    top row: 5 cells east along the road is 50 m at 1000 m/min, 0.05 min.

    >>> from aez.grid import Grid
    >>> g = Grid.from_bounds((0, 0, 60, 20), resolution=10, crs="EPSG:32750")
    >>> market = np.zeros(g.shape, "int32"); market[0, 0] = 1
    >>> road = np.full(g.shape, -1, "int32"); road[0] = 1
    >>> t = travel_time(Layer("m", market, g, kind="categorical"),
    ...                 roads=Layer("r", road, g, kind="categorical", legend={1: "arteri"}))
    >>> round(float(t.data[0, 5]), 4)
    0.05
    """
    res_x, res_y = metric_res(targets.grid, what="travel_time()")
    for layer in (roads, rivers, slope, water, protected):
        _same_grid(targets, layer)
    speeds = dict(DEFAULT_ROAD_SPEEDS if road_speeds is None else road_speeds)
    speeds = {str(k): _speed(v, f"road_speeds.{k}") for k, v in speeds.items()}
    boat = _speed(boat_speed, "boat_speed")
    water_share = _factor(water_factor, "water_factor")
    protected_share = _factor(protected_factor, "protected_factor")

    start = feature_cells(targets, classes=target_classes)
    if not start.any():
        raise CoverageError(
            f"Layer {targets.name!r} has no target cells (markets, ports) on the grid, so the "
            "travel time to them is undefined. Check the layer's extent and CRS."
        )
    # One float64 array, in the Fortran order in which MCP_Geometric walks the grid (so it
    # takes the array without a copy), holds the speed and then the cost, changed in place.
    speed = _walking_speed(targets, slope)
    if water is not None:
        speed[feature_cells(water)] *= water_share
    if protected is not None:
        speed[feature_cells(protected)] *= protected_share
    if rivers is not None:
        river = feature_cells(rivers)
        speed[river] = np.maximum(speed[river], boat)
        del river
    if roads is not None:
        _add_road_speeds(speed, roads, speeds)
    # A target standing on impassable ground (a port on the water) is left on foot.
    speed[start & (speed == 0)] = float(tobler_speed(0.0))

    cost = speed  # minutes per metre, 60 / (1000 · km/h); inf where impassable
    np.multiply(cost, 1000.0, out=cost)
    with np.errstate(divide="ignore"):
        np.divide(60.0, cost, out=cost)
    del speed

    from skimage.graph import MCP_Geometric

    graph = MCP_Geometric(cost, fully_connected=True, sampling=(res_y, res_x))
    minutes, _ = graph.find_costs(np.argwhere(start))
    del graph, cost, start  # the search's own arrays, before the float32 copy
    minutes = np.asarray(minutes)
    minutes[~np.isfinite(minutes)] = np.nan
    return Layer(name, minutes.astype(np.float32), targets.grid, units="min")
