"""Per-district integer histograms of class rasters, many layers in one pass.

A tile of a run has a *zone* array (the district index of each cell, 0 … n-1,
−1 outside the study area) and one class array per crop. :func:`class_histograms`
counts, for every layer at once, the cells and their area per district and
class code; :func:`class_value_sums` adds up a continuous layer per district
and class (e.g. travel time over the cells where a crop is suitable). Each
reads the zone of a cell once for all layers, in one compiled pass.

Everything is an integer: areas in whole square centimetres per cell (from
:meth:`aez.grid.Grid.cell_area`, per row, so geographic grids are right), and
values as ``round(value × scale)``. Sums of integers do not depend on the order
they are taken in, so totals added up over tiles are the same whatever the tile
size or executor.

**Pixel-centre rule.** A cell belongs to the district whose polygon contains its
centre (:meth:`aez.harmonize.StudyArea.rasterize`) and counts there with its
whole area; a cell whose centre lies in no district counts nowhere. Coverage-
weighted tools (exactextract) instead split a boundary cell between the
polygons by the share of it each covers; the two agree on a district's area to
within the boundary cells' errors, which mostly cancel (see ``docs/zonal.md``).

>>> import numpy as np
>>> zones = np.array([[0, 0, 1], [0, 1, -1]], np.int32)
>>> crop = np.array([[1, 2, 2], [1, 4, 3]], np.uint8)
>>> counts = class_histograms(zones, [crop], n_zones=2, area_cm2=np.array([10, 20]))
>>> counts.cells[0].tolist()      # district × class code 0 … 6
[[0, 2, 1, 0, 0, 0, 0], [0, 0, 1, 0, 1, 0, 0]]
>>> counts.area_cm2[0, 0].tolist()
[0, 30, 10, 0, 0, 0, 0]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from aez.errors import ConfigError, GridMismatchError
from aez.evaluate.classes import CLASS_LABELS
from aez.grid import Grid

__all__ = [
    "N_CLASSES",
    "ClassAreas",
    "ClassCounts",
    "ValueSums",
    "area_cm2_rows",
    "class_histograms",
    "class_value_sums",
]

#: Class codes of the suitability rasters: 0 nodata, 1–4 S1–N, 5 excluded, 6 unknown.
N_CLASSES = len(CLASS_LABELS)
#: Largest |value × scale| summed exactly: integers up to 2⁵³ round-trip through float64.
_EXACT = 2.0**53


@dataclass(frozen=True)
class ClassAreas:
    """Cells and area per district and class code of one class raster.

    Attributes
    ----------
    name : str
        The layer (e.g. the crop id).
    cells : (districts, classes) int64
        Cells per district and class code.
    area_cm2 : (districts, classes) int64
        Area per district and class code, in cm² (divide by 10⁸ for hectares).
    """

    name: str
    cells: NDArray[np.int64]
    area_cm2: NDArray[np.int64]

    @property
    def hectares(self) -> NDArray[np.float64]:
        """Area per district and class code, in ha."""
        return self.area_cm2 / 1e8


@dataclass(frozen=True)
class ClassCounts:
    """What :func:`class_histograms` returns: (layers, districts, classes) int64 arrays.

    ``invalid`` counts, per layer, the cells inside a district whose code is
    not a class (below 0 or ``n_classes`` and up); they are in no histogram.
    """

    cells: NDArray[np.int64]
    area_cm2: NDArray[np.int64]
    invalid: NDArray[np.int64]


@dataclass(frozen=True)
class ValueSums:
    """What :func:`class_value_sums` returns: (layers, districts, classes) int64 arrays.

    ``sums`` adds ``round(value × scale)`` over the cells with a finite value;
    ``cells`` counts those cells. The mean is ``sums / scale / cells``.
    """

    sums: NDArray[np.int64]
    cells: NDArray[np.int64]
    scale: int


def area_cm2_rows(grid: Grid) -> NDArray[np.int64]:
    """Area of one cell of each row of ``grid``, in whole cm² (rounded).

    The rounding is below 0.5 cm² a cell, so a district of a million cells
    is off by less than 50 m² even if every cell rounds the same way.

    >>> g = Grid.from_bounds((0, 0, 300, 200), resolution=100, crs="EPSG:32750")
    >>> area_cm2_rows(g).tolist()   # 100 m × 100 m = 10⁸ cm²
    [100000000, 100000000]
    """
    return np.rint(grid.cell_area()[:, 0] * 1e4).astype(np.int64)


def _layers(classes: Sequence[ArrayLike] | NDArray[np.integer], shape: tuple[int, ...],
            ) -> NDArray[np.integer]:
    """Class arrays as one (layers, rows, cols) integer array (no copy if already one)."""
    if isinstance(classes, np.ndarray) and classes.ndim == 3:
        stacked = classes
    else:
        arrays = [np.asarray(a) for a in classes]
        if not arrays:
            raise ConfigError("No class arrays given; pass at least one (rows, cols) array.")
        stacked = np.stack(arrays)
    if stacked.shape[1:] != shape:
        raise GridMismatchError(f"Class arrays have shape {stacked.shape[1:]}, the zones "
                                f"{shape}; they must cover the same cells.")
    if stacked.dtype.kind not in "iu":
        raise ConfigError(f"Class arrays must hold integer codes; got dtype {stacked.dtype}.")
    return np.ascontiguousarray(stacked)


def _zones(zones: ArrayLike, n_zones: int) -> NDArray[np.integer]:
    array = np.asarray(zones)
    if array.ndim != 2 or array.dtype.kind not in "iu":
        raise ConfigError(f"zones must be a 2-D integer array of district indices; got "
                          f"{array.ndim}-D {array.dtype}.")
    if n_zones < 1:
        raise ConfigError(f"n_zones = {n_zones}; expected at least one district.")
    if array.size and int(array.max()) >= n_zones:
        raise ConfigError(f"zones holds district index {int(array.max())}, but n_zones = "
                          f"{n_zones}; indices run from 0 to n_zones - 1 (-1 outside).")
    return np.ascontiguousarray(array)


def _rows(area_cm2: ArrayLike | None, height: int) -> NDArray[np.int64]:
    if area_cm2 is None:
        return np.ones(height, np.int64)
    rows = np.asarray(area_cm2)
    if rows.dtype.kind not in "iu":
        raise ConfigError(f"area_cm2 must be whole cm² (integers); got dtype {rows.dtype}. "
                          "Use area_cm2_rows(grid).")
    rows = np.broadcast_to(rows.reshape(-1), (height,)) if rows.size == 1 else rows.reshape(-1)
    if rows.shape != (height,):
        raise GridMismatchError(f"area_cm2 has {rows.size} rows; the zones have {height}.")
    return np.ascontiguousarray(rows, dtype=np.int64)


def class_histograms(
    zones: ArrayLike,
    classes: Sequence[ArrayLike] | NDArray[np.integer],
    *,
    n_zones: int,
    n_classes: int = N_CLASSES,
    area_cm2: ArrayLike | None = None,
) -> ClassCounts:
    """Cells and area per district and class code, for every class layer in one pass.

    Parameters
    ----------
    zones : (rows, cols) integer array
        District index of each cell (0 … ``n_zones`` − 1); negative outside.
    classes : sequence of (rows, cols) integer arrays, or one (layers, rows, cols) array
        Class codes of each layer (0 … ``n_classes`` − 1).
    n_zones : int
        Number of districts.
    n_classes : int, default 7
        Number of class codes.
    area_cm2 : (rows,) integer array or int, optional
        Area of one cell of each row in cm² (:func:`area_cm2_rows` of the
        tile's rows). Without it every cell counts 1.

    Returns
    -------
    ClassCounts
        ``cells`` and ``area_cm2`` of shape (layers, n_zones, n_classes), and
        ``invalid``: cells per layer whose code is not a class.
    """
    zone = _zones(zones, n_zones)
    layers = _layers(classes, zone.shape)
    rows = _rows(area_cm2, zone.shape[0])
    k = layers.shape[0]
    cells = np.zeros((k, n_zones, n_classes), np.int64)
    area = np.zeros((k, n_zones, n_classes), np.int64)
    invalid = np.zeros(k, np.int64)
    uniform = rows.size == 0 or bool((rows == rows[0]).all())
    from aez.zonal.kernels import count_classes  # numba loads on first use

    count_classes(zone, layers, rows, uniform, cells, area, invalid)
    if uniform and rows.size:
        area = cells * rows[0]
    return ClassCounts(cells, area, invalid)


def class_value_sums(
    zones: ArrayLike,
    classes: Sequence[ArrayLike] | NDArray[np.integer],
    values: ArrayLike,
    *,
    n_zones: int,
    scale: int,
    n_classes: int = N_CLASSES,
) -> ValueSums:
    """Sum a continuous layer per district and class code of every class layer.

    Each value counts as the integer ``round(value × scale)``, so sums are
    exact and do not depend on the order they are added in. Cells whose value
    is NaN or infinite, or whose class code is not a class, count nowhere.

    Parameters
    ----------
    zones, classes, n_zones, n_classes
        As for :func:`class_histograms`.
    values : (rows, cols) float array
        The continuous layer (e.g. travel time in minutes).
    scale : int
        Fixed-point scale: a value is kept to ``1 / scale`` of its unit.

    Raises
    ------
    ConfigError
        If some ``|value| × scale`` reaches 2⁵³, beyond exact integers.

    Examples
    --------
    >>> import numpy as np
    >>> zones = np.array([[0, 0, 1, 1]], np.int32)
    >>> crop = np.array([[1, 1, 1, 4]], np.uint8)
    >>> minutes = np.array([[10.0, 20.5, np.nan, 7.0]])
    >>> s = class_value_sums(zones, [crop], minutes, n_zones=2, scale=1000)
    >>> s.sums[0, :, 1].tolist(), s.cells[0, :, 1].tolist()  # S1; zone 1's S1 cell has no value
    ([30500, 0], [2, 0])
    """
    zone = _zones(zones, n_zones)
    layers = _layers(classes, zone.shape)
    data = np.asarray(values, dtype=np.float64)
    if data.shape != zone.shape:
        raise GridMismatchError(f"values have shape {data.shape}, the zones {zone.shape}.")
    if scale < 1 or int(scale) != scale:
        raise ConfigError(f"scale = {scale}; expected a whole number ≥ 1.")
    finite = np.isfinite(data)
    scaled = np.zeros(data.shape, np.int64)
    if finite.any():
        big = float(np.abs(data[finite]).max()) * scale
        if big >= _EXACT:
            raise ConfigError(f"A value of {big / scale:g} times scale {scale} is beyond exact "
                              "integer sums (2**53); use a smaller scale.")
        scaled[finite] = np.rint(data[finite] * scale).astype(np.int64)
    k = layers.shape[0]
    sums = np.zeros((k, n_zones, n_classes), np.int64)
    cells = np.zeros((k, n_zones, n_classes), np.int64)
    from aez.zonal.kernels import sum_values  # numba loads on first use

    sum_values(zone, layers, scaled, finite, sums, cells)
    return ValueSums(sums, cells, int(scale))
