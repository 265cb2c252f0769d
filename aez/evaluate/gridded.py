"""Land evaluation over layers on a grid (one tile or a whole region)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from aez.crops import CropRequirements
from aez.errors import GridMismatchError
from aez.evaluate.matching import Aggregation, Observed, Suitability, compile_crop, match, plan
from aez.layer import Layer

__all__ = ["evaluate_layers", "observed_from_layers"]


def observed_from_layers(layers: Mapping[str, Layer]) -> dict[str, Observed]:
    """Observed characteristics from layers keyed by characteristic id.

    Continuous layers give numbers (NaN = missing); categorical layers give
    class codes with their legend (the layer's nodata sentinel = missing).
    """
    observed = {}
    for char_id, layer in layers.items():
        if layer.kind == "categorical":
            observed[char_id] = Observed(layer.data, dict(layer.legend or {}), None, layer.name)
        else:
            observed[char_id] = Observed(layer.data, None, layer.units or None, layer.name)
    return observed


def evaluate_layers(layers: Mapping[str, Layer], crop: CropRequirements, *,
                    aggregate: Aggregation = "minimum",
                    valid: NDArray[np.bool_] | None = None) -> Suitability:
    """Evaluate gridded land characteristics for one crop.

    Parameters
    ----------
    layers : mapping of str to Layer
        Characteristic id → layer (``{"ph_h2o": ph, "slope": slope, ...}``),
        all on one grid. Continuous layers' units are checked against the table.
    crop : CropRequirements
        From :func:`aez.load_crop`.
    aggregate : {"minimum", "geometric_mean", "square_root"}
        Index aggregation (see :mod:`aez.evaluate.matching`).
    valid : ndarray of bool, optional
        Cells to evaluate; the rest get class 0 (nodata).

    Returns
    -------
    Suitability
        Actual and potential class, subclass mask and index arrays, on the
        layers' grid (:meth:`Suitability.to_layers`, :meth:`Suitability.to_xarray`).

    Raises
    ------
    GridMismatchError
        If the layers are not all on one grid.

    Examples
    --------
    >>> import warnings
    >>> from aez import Grid, Layer, load_crop
    >>> grid = Grid.from_bounds((0, 0, 60, 30), resolution=30, crs="EPSG:32750")
    >>> slope = Layer("slope", np.array([[3.0, 20.0]]), grid, units="%")
    >>> with warnings.catch_warnings():  # jagung's other characteristics have no layer
    ...     warnings.simplefilter("ignore")
    ...     result = evaluate_layers({"slope": slope}, load_crop("jagung"))
    >>> result.actual.tolist(), result.subclass.tolist()
    ([[1, 3]], [[0, 512]])
    >>> result.grid == grid
    True
    """
    grids = {layer.grid for layer in layers.values()}
    if len(grids) > 1:
        raise GridMismatchError(
            f"The layers {sorted(layers)} lie on {len(grids)} different grids; evaluation needs "
            "one. Read them through one LayerStack, or warp them onto one grid first."
        )
    observed = observed_from_layers(layers)
    plan(crop, observed)
    result = match(compile_crop(crop, observed, aggregate=aggregate), observed, valid=valid)
    return replace(result, grid=next(iter(grids), None))
