"""Declarative description of one input layer, as written in a run config."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from aez.errors import ConfigError
from aez.io.raster import check_resampling, default_resampling
from aez.io.table import TABLE_SUFFIXES
from aez.io.vector import VECTOR_SUFFIXES
from aez.layer import KINDS, Kind

__all__ = ["LayerSpec", "SourceType", "source_type"]

SourceType = Literal["raster", "vector", "table"]


def source_type(path: Path) -> SourceType:
    """Classify a file by its suffix: vector and table suffixes are listed, the rest is raster.

    >>> [source_type(Path(p)) for p in ("kecamatan.gpkg", "pop.csv", "dem.tif")]
    ['vector', 'table', 'raster']
    """
    suffix = path.suffix.lower()
    if suffix in VECTOR_SUFFIXES:
        return "vector"
    if suffix in TABLE_SUFFIXES:
        return "table"
    return "raster"


@dataclass(frozen=True)
class LayerSpec:
    """One input layer: where it comes from and how to bring it onto the grid.

    Parameters
    ----------
    name : str
        Layer name used by later stages (``"dem"``, ``"ph_h2o"``).
    path : Path
        Raster (GeoTIFF, VRT …), vector (GPKG, SHP, GeoJSON …) or table
        (CSV, XLSX) file.
    kind : {"continuous", "categorical"}
    units : str
        Physical units of the values after scale/offset.
    band : int
        Raster band (1-based).
    resampling : str, optional
        Raster warping method: nearest/mode for categorical layers,
        bilinear/average/… for continuous ones (default bilinear/nearest).
    nodata : float, optional
        Overrides the source's nodata value.
    scale, offset : float, optional
        ``value * scale + offset`` (default: the raster band's own).
    legend : mapping of int to str, optional
        Class code → label, for categorical layers. Text values in a vector
        attribute are turned into codes through it.
    role : str, optional
        The land characteristic or role the layer provides (``"ph_h2o"``,
        ``"elevation"``, ``"roads"``); defaults to the name.
    layer : str, optional
        Layer of a multi-layer vector file, or sheet of an Excel table.
    attribute : str, optional
        Vector attribute or table column to rasterize. A vector without one is
        rasterized as presence (1 where a feature is burnt, 0 elsewhere).
    all_touched : bool
        Vector rasterization: burn every cell a feature touches. Otherwise
        polygons burn the cells whose centre they contain, and lines a
        connected chain of cells along their path (see
        :func:`aez.harmonize.sources.burn`).
    join : str, optional
        Table key column (e.g. ``"kode_bps"``), matched against
        ``join_to`` in the study area's districts.
    join_to : str, optional
        District column to match ``join`` against (default: same name).
    """

    name: str
    path: Path
    kind: Kind = "continuous"
    units: str = ""
    band: int = 1
    resampling: str | None = None
    nodata: float | None = None
    scale: float | None = None
    offset: float | None = None
    legend: Mapping[int, str] | None = field(default=None, hash=False)
    role: str | None = None
    layer: str | None = None
    attribute: str | None = None
    all_touched: bool = False
    join: str | None = None
    join_to: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", Path(self.path))
        where = f"[layers.{self.name}]"
        if self.kind not in KINDS:
            raise ConfigError(f"{where} kind = {self.kind!r}; expected one of {KINDS}.")
        if self.band < 1:
            raise ConfigError(f"{where} band = {self.band}; bands are numbered from 1.")
        check_resampling(self.resampling or default_resampling(self.kind), self.kind,
                         layer=self.name)
        if self.legend is not None:
            try:
                legend = {int(k): str(v) for k, v in self.legend.items()}
            except ValueError as exc:
                raise ConfigError(
                    f"{where} legend keys must be integer class codes; got "
                    f"{list(self.legend)}."
                ) from exc
            object.__setattr__(self, "legend", legend)
        if self.legend and self.kind == "continuous":
            from aez.errors import LayerKindError

            raise LayerKindError(
                f"{where} has a legend but kind = \"continuous\". A legend means class codes: "
                "declare kind = \"categorical\"."
            )
        stype = self.source_type
        if stype == "table" and (self.join is None or self.attribute is None):
            raise ConfigError(
                f"{where} reads the table {self.path.name}, which needs `join` (the table's "
                "district code column) and `attribute` (the value column)."
            )
        if stype == "vector" and self.attribute is None and self.kind == "continuous":
            raise ConfigError(
                f"{where} rasterizes {self.path.name} as presence (no `attribute`), which is "
                "categorical. Set kind = \"categorical\" or name an attribute."
            )

    @property
    def source_type(self) -> SourceType:
        """``"raster"``, ``"vector"`` or ``"table"``, from the file suffix."""
        return source_type(self.path)

    @property
    def provides(self) -> str:
        """The land characteristic or role this layer provides."""
        return self.role or self.name
