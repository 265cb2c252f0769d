"""Terrain from a DEM: slope, aspect and relief (landform) class.

Slope and aspect use Horn's (1981) 3 × 3 finite differences with the same
conventions as ``gdaldem slope`` / ``gdaldem aspect`` (GDAL's default Horn
algorithm, no ``-compute_edges``). For the window ::

    a b c
    d e f
    g h i

with cell sizes Δx, Δy in metres::

    ∂z/∂x = ((c + 2f + i) − (a + 2d + g)) / (8 Δx)      (towards east)
    ∂z/∂y = ((a + 2b + c) − (g + 2h + i)) / (8 Δy)      (towards north)
    slope  = atan(√(∂z/∂x² + ∂z/∂y²))  in degrees, or 100 · √(…) in %
    aspect = compass direction the slope faces (downhill), 0° = north, clockwise

Edges and nodata follow gdaldem:

* a cell whose 3 × 3 window holds any nodata (NaN), or whose own value is
  nodata, gets nodata (NaN), never 0;
* the outer ring of the array has no full window and is nodata. Through the
  :class:`~aez.harmonize.LayerStack`, a tile is read with one extra cell on
  each side, so only the ring of the *whole grid* is nodata, and only where
  the DEM does not reach past the grid;
* flat cells (both differences exactly 0) have no aspect: NaN, like gdaldem's
  -9999, or 0 with ``zero_for_flat=True`` (gdaldem ``-zero_for_flat``).

Each output cell depends only on its own 3 × 3 window and is computed with the
same element-wise operations wherever it lies, so a tile computed with a halo
of one cell and cropped is byte-identical to the whole-array result.

The grid must be projected (cells in metres); a geographic grid raises
:class:`~aez.errors.CRSError` rather than mixing degrees and metres.

>>> import numpy as np
>>> from aez.grid import Grid
>>> from aez.layer import Layer
>>> g = Grid.from_bounds((0, 0, 30, 30), resolution=10, crs="EPSG:32750")
>>> ramp = np.array([[0, 1, 2]] * 3, dtype="float32")  # rises 1 m per 10 m to the east
>>> float(slope(Layer("dem", ramp, g), units="%").data[1, 1])
10.0
>>> float(aspect(Layer("dem", ramp, g)).data[1, 1])     # faces west, downhill
270.0
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

from aez.characteristics import canonical_units
from aez.checks import metric_res, require_continuous
from aez.errors import ConfigError
from aez.layer import Layer

__all__ = [
    "RELIEF_BREAKS",
    "RELIEF_CLASSES",
    "SLOPE_UNITS",
    "aspect",
    "landform",
    "slope",
    "slope_units",
]

#: Units :func:`slope` can return (canonical spellings of aez.characteristics).
SLOPE_UNITS: tuple[str, ...] = ("degrees", "%")

#: BBSDLP relief classes (code → label), from flat to mountainous.
RELIEF_CLASSES: dict[int, str] = {
    1: "datar",         # flat
    2: "berombak",      # undulating
    3: "bergelombang",  # rolling
    4: "berbukit",      # hilly
    5: "bergunung",     # mountainous
}

#: Lower slope bounds (%) of classes 2 … 5: datar < 3 ≤ berombak < 8 ≤ bergelombang < 15
#: ≤ berbukit < 30 ≤ bergunung.
RELIEF_BREAKS: tuple[float, ...] = (3.0, 8.0, 15.0, 30.0)

_DEG = 180.0 / math.pi


def slope_units(units: str) -> str:
    """Canonical slope units: ``"degrees"`` or ``"%"`` (aliases such as "percent" accepted).

    >>> slope_units("percent"), slope_units("deg")
    ('%', 'degrees')
    """
    try:
        canonical = canonical_units(str(units))
    except ConfigError:
        canonical = None
    if canonical not in SLOPE_UNITS:
        raise ConfigError(
            f"Slope units {units!r} are not supported. Valid options: \"degrees\" or \"%\" "
            "(also spelled \"percent\")."
        )
    return canonical


def _differences(
    z: np.ndarray, xres: float, yres: float
) -> tuple[np.ndarray, np.ndarray]:
    """Horn's smoothed differences on the interior, in the DEM's float dtype.

    Returns ``(east − west, south − north)`` weighted sums divided by the cell
    size (not yet by 8): arrays of shape ``(rows − 2, cols − 2)``. NaN anywhere
    in a window's eight neighbours propagates; the centre is not used.
    """
    # Summed left to right, ((a + d) + d) + g, as gdaldem does: with float DEMs on
    # near-flat ground the rounding of these sums decides the aspect.
    mid = z[1:-1]
    v = z[:-2] + mid
    v += mid
    v += z[2:]                  # a + 2d + g for every column
    east = v[:, 2:] - v[:, :-2]
    del v
    midc = z[:, 1:-1]
    h = z[:, :-2] + midc
    h += midc
    h += z[:, 2:]               # a + 2b + c for every row
    south = h[2:] - h[:-2]
    del h
    east *= z.dtype.type(1.0 / xres)
    south *= z.dtype.type(1.0 / yres)
    return east, south


def _dem_array(dem: Layer, what: str) -> np.ndarray:
    require_continuous(dem, what=what)
    return dem.data


def _blank_centres(out: np.ndarray, z: np.ndarray) -> None:
    """Nodata where the centre cell itself is nodata (Horn's formula skips it)."""
    centre = np.isnan(z[1:-1, 1:-1])
    if centre.any():
        out[1:-1, 1:-1][centre] = np.nan


def slope(
    dem: Layer, *, units: str = "degrees", z_factor: float = 1.0, name: str = "slope"
) -> Layer:
    """Slope of a DEM by Horn's method, as ``gdaldem slope``.

    Parameters
    ----------
    dem : Layer
        Continuous elevation layer (m) on a projected grid.
    units : {"degrees", "%"}
        Degrees (0 … 90) or percent rise (100 · tan). ``"percent"`` is
        accepted for ``"%"``, the unit crop tables use.
    z_factor : float, default 1
        Vertical units per metre of elevation values (e.g. 0.3048 for a DEM in
        feet), like gdaldem's ``-s`` scale inverted.
    name : str
        Name of the output layer.

    Returns
    -------
    Layer
        float32 slope; NaN on the outer ring and around nodata.

    Raises
    ------
    ConfigError
        For units other than degrees or percent.
    CRSError
        If the grid is geographic.
    """
    out_units = slope_units(units)
    z = _dem_array(dem, "slope()")
    xres, yres = metric_res(dem.grid, what="slope()")
    out = np.full(z.shape, np.nan, dtype=np.float32)
    if min(z.shape) >= 3:
        east, south = _differences(z, xres / z_factor, yres / z_factor)
        np.multiply(east, east, out=east)
        np.multiply(south, south, out=south)
        east += south
        del south
        np.sqrt(east, out=east)
        core = out[1:-1, 1:-1]
        if out_units == "%":
            np.multiply(east, east.dtype.type(100.0 / 8.0), out=core, casting="same_kind")
        else:
            east *= east.dtype.type(1.0 / 8.0)
            np.arctan(east, out=east)
            np.multiply(east, east.dtype.type(_DEG), out=core, casting="same_kind")
        _blank_centres(out, z)
        np.abs(core, out=core)  # one NaN bit pattern (the sign of NaN follows the operands)
    return Layer(name, out, dem.grid, units=out_units)


def aspect(dem: Layer, *, zero_for_flat: bool = False, name: str = "aspect") -> Layer:
    """Aspect of a DEM by Horn's method, as ``gdaldem aspect``.

    The compass direction that the slope faces, i.e. the downhill direction,
    in degrees clockwise from grid north: 0 = north, 90 = east, 180 = south,
    270 = west. Values lie in [0, 360).

    Parameters
    ----------
    dem : Layer
        Continuous elevation layer on a projected grid.
    zero_for_flat : bool, default False
        Flat cells (no gradient at all) get 0 instead of NaN.
    name : str
        Name of the output layer.

    Returns
    -------
    Layer
        float32 aspect in ``"degrees"``; NaN on the outer ring, around nodata
        and (unless ``zero_for_flat``) on flat cells.
    """
    z = _dem_array(dem, "aspect()")
    xres, yres = metric_res(dem.grid, what="aspect()")
    out = np.full(z.shape, np.nan, dtype=np.float32)
    if min(z.shape) >= 3:
        east, south = _differences(z, xres, yres)
        flat = (east == 0) & (south == 0)
        np.negative(east, out=east)
        angle = np.arctan2(south, east)  # counter-clockwise from east, of the downhill vector
        del east, south
        angle *= angle.dtype.type(_DEG)
        # compass = 90 − angle, folded into [0, 360): gdaldem's 450 − a for a > 90.
        compass = np.where(angle > 90, 450 - angle, 90 - angle)
        compass[compass >= 360] = 0
        compass[flat] = 0 if zero_for_flat else np.nan
        out[1:-1, 1:-1] = compass
        _blank_centres(out, z)
        np.abs(out, out=out)  # one NaN bit pattern (the sign of NaN follows the operands)
    return Layer(name, out, dem.grid, units="degrees")


def landform(
    slope_layer: Layer,
    *,
    breaks: Sequence[float] = RELIEF_BREAKS,
    name: str = "landform",
) -> Layer:
    """Relief class of each cell from its slope, in the BBSDLP classes.

    ====  ==============  ==============  =========================
    code  label           relief          slope (default breaks)
    ====  ==============  ==============  =========================
    1     datar           flat            < 3 %
    2     berombak        undulating      3 – 8 %
    3     bergelombang    rolling         8 – 15 %
    4     berbukit        hilly           15 – 30 %
    5     bergunung       mountainous     ≥ 30 %
    ====  ==============  ==============  =========================

    These are the relief classes of Indonesian soil survey and land
    evaluation (Ritung et al. 2007, *Panduan Evaluasi Kesesuaian Lahan*,
    BBSDLP/ICRAF; Djaenudin et al. 2011). Some guides put the berbukit/bergunung
    limit at 40 %: pass ``breaks=(3, 8, 15, 40)``. A slope exactly on a break
    belongs to the steeper class.

    Parameters
    ----------
    slope_layer : Layer
        Slope in ``"%"`` or ``"degrees"`` (converted to % with 100 · tan).
    breaks : four increasing numbers, default (3, 8, 15, 30)
        Lower bounds (%) of classes 2 to 5.
    name : str
        Name of the output layer.

    Returns
    -------
    Layer
        Categorical int16 codes 1 … 5 with the legend above; -1 where the slope
        is nodata.

    Examples
    --------
    >>> import numpy as np
    >>> from aez.grid import Grid
    >>> g = Grid.from_bounds((0, 0, 50, 10), resolution=10, crs="EPSG:32750")
    >>> s = Layer("slope", np.array([[0.0, 3.0, 10.0, 29.9, np.nan]]), g, units="%")
    >>> landform(s).data.tolist()
    [[1, 2, 3, 4, -1]]
    """
    require_continuous(slope_layer, what="landform()")
    units = slope_units(slope_layer.units) if slope_layer.units else None
    if units is None:
        raise ConfigError(
            f"landform() needs a slope layer in \"%\" or \"degrees\"; {slope_layer.name!r} has "
            "no units. Compute it with slope(dem, units=\"%\")."
        )
    edges = [float(b) for b in breaks]
    if len(edges) != len(RELIEF_CLASSES) - 1 or any(
        not lo < hi for lo, hi in itertools.pairwise(edges)
    ):
        raise ConfigError(
            f"landform() breaks = {list(breaks)}; expected {len(RELIEF_CLASSES) - 1} increasing "
            f"slope limits in %, such as {list(RELIEF_BREAKS)}."
        )
    s = np.asarray(slope_layer.data, dtype=np.float64)
    if units == "degrees":
        s = 100.0 * np.tan(np.radians(s))
    codes = (np.digitize(s, edges) + 1).astype(np.int16)
    codes[np.isnan(s)] = -1
    return Layer(name, codes, slope_layer.grid, units="", kind="categorical", nodata=-1,
                 legend=RELIEF_CLASSES)
