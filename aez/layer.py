"""A named 2-D array on a :class:`~aez.grid.Grid`, with units and a nodata rule.

Two kinds of layer exist:

``continuous``
    Floating point; nodata is NaN.
``categorical``
    Integer class codes; nodata is a declared sentinel (``-1`` unless given).
    Never NaN. An optional legend maps codes to labels.

The array is read-only, so a stage can never change its inputs.

>>> import numpy as np
>>> from aez.grid import Grid
>>> g = Grid.from_bounds((0, 0, 200, 100), resolution=100, crs="EPSG:32750")
>>> ph = Layer("ph_h2o", np.array([[5.5, np.nan]]), g, units="pH")
>>> ph.valid
array([[ True, False]])
>>> ph.data.flags.writeable
False
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

import numpy as np

from aez.errors import ConfigError, GridMismatchError, LayerKindError
from aez.grid import Grid

__all__ = ["CATEGORICAL_NODATA", "KINDS", "Kind", "Layer", "readonly"]

Kind = Literal["continuous", "categorical"]
KINDS: tuple[str, ...] = ("continuous", "categorical")

#: Sentinel for missing cells in categorical layers unless one is declared.
CATEGORICAL_NODATA = -1


def readonly(array: np.ndarray) -> np.ndarray:
    """Return a read-only view of ``array`` (the array itself if already read-only)."""
    if not array.flags.writeable:
        return array
    view = array.view()
    view.flags.writeable = False
    return view


@dataclass(frozen=True, eq=False)
class Layer:
    """A named 2-D array on a grid.

    Parameters
    ----------
    name : str
        Layer name, e.g. ``"ph_h2o"``.
    data : numpy.ndarray
        2-D array with ``grid.shape``. Float for continuous layers, integer for
        categorical ones. Stored as a read-only view.
    grid : Grid
        The grid the array lies on.
    units : str
        Physical units (``"m"``, ``"%"``, ``"cmol/kg"``; ``""`` for class codes).
    kind : {"continuous", "categorical"}
    nodata : int, optional
        Sentinel for missing cells of a categorical layer (default ``-1``).
        Must be None for continuous layers, whose nodata is NaN.
    legend : mapping of int to str, optional
        Class code → label, for categorical layers.
    source : str, optional
        The file the layer was read from, if any. Writers refuse to overwrite it.
    """

    name: str
    data: np.ndarray
    grid: Grid
    units: str = ""
    kind: Kind = "continuous"
    nodata: int | None = None
    legend: Mapping[int, str] | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        data = np.asarray(self.data)
        if data.ndim != 2:
            raise GridMismatchError(
                f"Layer {self.name!r} has a {data.ndim}-D array; expected 2-D {self.grid.shape}."
            )
        if data.shape != self.grid.shape:
            raise GridMismatchError(
                f"Layer {self.name!r} has shape {data.shape} but its grid has shape "
                f"{self.grid.shape}. Read or warp it onto the grid first."
            )
        if self.kind not in KINDS:
            raise ConfigError(
                f"Layer {self.name!r} has kind {self.kind!r}; expected one of {KINDS}."
            )
        if self.kind == "continuous":
            if data.dtype.kind != "f":
                raise LayerKindError(
                    f"Continuous layer {self.name!r} has dtype {data.dtype}; continuous layers "
                    "are float with NaN for nodata. Convert with .astype('float32') and set "
                    "nodata cells to NaN, or declare kind='categorical'."
                )
            if self.nodata is not None:
                raise LayerKindError(
                    f"Continuous layer {self.name!r} declares nodata={self.nodata}; continuous "
                    "layers use NaN. Drop the nodata value."
                )
            if self.legend:
                raise LayerKindError(
                    f"Continuous layer {self.name!r} has a legend; only categorical layers do. "
                    "Declare kind='categorical' or drop the legend."
                )
        else:
            if data.dtype.kind not in "iu":
                raise LayerKindError(
                    f"Categorical layer {self.name!r} has dtype {data.dtype}; categorical "
                    "layers hold integer class codes. Convert the codes to integers, or "
                    "declare kind='continuous'."
                )
            if self.nodata is None:
                object.__setattr__(self, "nodata", CATEGORICAL_NODATA)
            info = np.iinfo(data.dtype)
            if not info.min <= int(self.nodata) <= info.max:  # type: ignore[arg-type]
                raise LayerKindError(
                    f"Categorical layer {self.name!r} has dtype {data.dtype}, which cannot hold "
                    f"its nodata sentinel {self.nodata}. Pass nodata={info.max} (a code the "
                    "data does not use) or convert the codes to a signed dtype such as int16."
                )
        object.__setattr__(self, "data", readonly(data))
        if self.legend is not None:
            try:
                legend = dict(sorted((int(k), str(v)) for k, v in self.legend.items()))
            except (TypeError, ValueError) as exc:
                raise ConfigError(
                    f"Layer {self.name!r} has legend keys {list(self.legend)}; expected "
                    "integer class codes such as {1: 'well', 2: 'poor'}."
                ) from exc
            object.__setattr__(self, "legend", MappingProxyType(legend))

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols) of the array."""
        return self.grid.shape

    @property
    def valid(self) -> np.ndarray:
        """Boolean array, True where the layer has data."""
        if self.kind == "continuous":
            return ~np.isnan(self.data)
        return self.data != self.nodata

    def to_xarray(self) -> Any:
        """Return this layer as an :class:`xarray.DataArray` with its CRS (rioxarray's convention).

        Dimensions are ``("y", "x")`` with cell-centre coordinates in CRS units;
        the ``spatial_ref`` coordinate carries the CRS (``crs_wkt``) and the
        ``GeoTransform``, which rioxarray and GDAL read, so ``da.rio.crs`` is the
        grid's CRS when rioxarray is installed. Units, kind, nodata sentinel and
        legend become attributes; the array is shared, not copied (read-only).
        Needs the ``xarray`` extra: ``pip install "aez[xarray]"``.

        Returns
        -------
        xarray.DataArray

        Examples
        --------
        >>> g = Grid.from_bounds((0, 0, 200, 100), resolution=100, crs="EPSG:32750")
        >>> da = Layer("ph_h2o", np.array([[5.5, 6.0]]), g, units="pH").to_xarray()
        >>> da.dims, da.x.values.tolist(), da.attrs["units"]
        (('y', 'x'), [50.0, 150.0], 'pH')
        """
        import xarray as xr

        rows, cols = self.grid.shape
        t = self.grid.transform
        x = t.c + t.a * (np.arange(cols) + 0.5)
        y = t.f + t.e * (np.arange(rows) + 0.5)
        spatial_ref = xr.DataArray(0, attrs={
            "crs_wkt": self.grid.crs.to_wkt(),
            "spatial_ref": self.grid.crs.to_wkt(),
            "GeoTransform": " ".join(str(v) for v in (t.c, t.a, t.b, t.f, t.d, t.e)),
        })
        attrs: dict[str, Any] = {"units": self.units, "kind": self.kind}
        if self.kind == "categorical":
            attrs["_FillValue"] = self.nodata
            if self.legend:
                attrs["legend"] = dict(self.legend)
        if self.source:
            attrs["source"] = self.source
        return xr.DataArray(self.data, dims=("y", "x"), name=self.name, attrs=attrs,
                            coords={"y": y, "x": x, "spatial_ref": spatial_ref})

    def replace(self, **changes: Any) -> Layer:
        """Return a copy with some fields changed (``data``, ``name``, ``units`` …)."""
        return dataclasses.replace(self, **changes)

    def __repr__(self) -> str:
        return (
            f"Layer({self.name!r}, kind={self.kind}, units={self.units!r}, "
            f"dtype={self.data.dtype}, grid={self.grid!r})"
        )
