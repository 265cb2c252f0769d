"""Declarative description of one input layer, as written in a run config.

A layer either comes from a file (:class:`LayerSpec`) or is derived from
other layers (:class:`DerivedSpec`: slope, temperature, distance …).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from aez.derive.methods import METHODS, Method, check_options
from aez.errors import ConfigError
from aez.io.raster import check_resampling, default_resampling
from aez.io.table import TABLE_SUFFIXES
from aez.io.vector import VECTOR_SUFFIXES
from aez.layer import KINDS, Kind

__all__ = ["DerivedSpec", "LayerSpec", "ScenarioLayerSpec", "SourceType", "source_type"]

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
    source : str, optional
        A data source of :mod:`aez.sources` (``"soilgrids"``, ``"hwsd"``,
        ``"spt"``, ``"dem"``, ``"chirps"``, ``"worldclim"``). ``path`` then
        names the source's files in their native layout (a folder, a pattern
        or a template such as ``"soilgrids/{property}_{depth}_mean.tif"``),
        and the layer provides the characteristic ``role`` (default: the
        name), converted on the fly, tile by tile. Kind, units and legend
        come from the source.
    depth : str, optional
        Depth range (cm) of soil sources, e.g. ``"0-30"`` (the default).
    years : str, optional
        Year range of climate sources, e.g. ``"2010-2019"``.
    aggregate : str, optional
        HWSD: ``"dominant"`` soil (default) or ``"weighted"`` by share.
    profile : Path, optional
        SPT: the mapping profile (TOML; default the shipped BBSDLP profile).
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
    source: str | None = None
    depth: str | None = None
    years: str | None = None
    aggregate: str | None = None
    profile: Path | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", Path(self.path))
        where = f"[layers.{self.name}]"
        if self.source is not None or any(
                v is not None for v in (self.depth, self.years, self.aggregate, self.profile)):
            _check_source_options(self, where)
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
        if self.source is not None:
            return
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
        """``"raster"``, ``"vector"`` or ``"table"``, from the file suffix (or the source)."""
        if self.source is not None:
            return "vector" if self.source == "spt" else "raster"
        return source_type(self.path)

    @property
    def provides(self) -> str:
        """The land characteristic or role this layer provides."""
        return self.role or self.name


@dataclass(frozen=True)
class ScenarioLayerSpec(LayerSpec):
    """A climate scenario's copy of a layer read from a monthly climate source.

    :meth:`aez.harmonize.LayerStack.from_config` makes one, named
    ``dry_months@<scenario>``, for each scenario with a ``rainfall_change``
    when the run's ``dry_months`` comes from CHIRPS or WorldClim monthly
    rainfall: the monthly values are multiplied by ``1 + rainfall_change``
    and the dry months counted again from them, on the source's grid, before
    warping, exactly as the baseline layer is.

    Parameters
    ----------
    rainfall_change : float, default 0
        Fraction by which the monthly rainfall changes (−0.1: 10 % less).
    """

    rainfall_change: float = 0.0


def _check_source_options(spec: LayerSpec, where: str) -> None:
    """Check ``source`` and the options that only a source reads."""
    from aez.sources import SOURCES

    if spec.source is None:
        given = [k for k in ("depth", "years", "aggregate", "profile") if getattr(spec, k)]
        raise ConfigError(
            f"{where} sets {given[0]}, which only a data source reads; add source = \"...\" "
            f"({', '.join(SOURCES)}) or remove it."
        )
    if spec.source not in SOURCES:
        close = difflib.get_close_matches(str(spec.source), list(SOURCES), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ConfigError(
            f"{where} source = {spec.source!r} is not a data source aez reads.{hint} Sources: "
            f"{', '.join(SOURCES)}."
        )
    allowed = {"soilgrids": ("depth",), "hwsd": ("depth", "aggregate"), "chirps": ("years",),
               "worldclim": ("years",), "dem": (), "spt": ("profile",)}[spec.source]
    for key in ("depth", "years", "aggregate", "profile"):
        if getattr(spec, key) is not None and key not in allowed:
            raise ConfigError(
                f"{where} sets {key}, which source = \"{spec.source}\" does not read (it reads "
                f"{', '.join(allowed) or 'no option'})."
            )


#: Keys of a derived ``[layers.NAME]`` table besides the method's own options.
DERIVED_KEYS: tuple[str, ...] = ("from", "method", "role", "resolution")


@dataclass(frozen=True)
class DerivedSpec:
    """A layer computed from other layers of the stack.

    In a run config::

        [layers.slope]
        from = "dem"
        method = "slope"
        units = "%"

        [layers.travel_time]
        method = "travel_time"
        from = { targets = "markets", roads = "roads", slope = "slope" }
        road_speeds = { arteri = 60, lokal = 30 }
        resolution = 200

    ``from`` names the input layer (for methods with one input) or a table of
    role = layer name; :data:`aez.derive.methods.METHODS` lists each method's
    roles and options.

    Parameters
    ----------
    name : str
        Name of the derived layer.
    method : str
        ``slope``, ``aspect``, ``landform``, ``braak``, ``lapse_rate``,
        ``distance`` or ``travel_time``.
    inputs : mapping of str to str
        Input role → layer name.
    options : mapping
        The method's options (e.g. ``units`` for slope).
    role : str, optional
        The land characteristic the layer provides (default: its name).
    resolution : float, optional
        Global methods only: compute on a coarser grid with cells of this size
        (CRS units, m) and sample it back by nearest neighbour.
    """

    name: str
    method: str
    inputs: Mapping[str, str] = field(hash=False)
    options: Mapping[str, Any] = field(default_factory=dict, hash=False)
    role: str | None = None
    resolution: float | None = None

    def __post_init__(self) -> None:
        where = f"[layers.{self.name}]"
        method = _method(self.method, where)
        inputs = dict(self.inputs)
        unknown = [r for r in inputs if r not in method.roles]
        if unknown:
            close = difflib.get_close_matches(unknown[0], method.roles, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ConfigError(
                f"{where} from: {unknown[0]!r} is not an input of method = "
                f"\"{method.name}\".{hint} Its inputs are {', '.join(method.roles)}."
            )
        missing = [r for r in method.required if r not in inputs]
        if missing:
            raise ConfigError(
                f"{where} method = \"{method.name}\" needs the input {missing[0]!r}: "
                f"from = {{ {missing[0]} = \"LAYER\" }}."
            )
        for role, layer in inputs.items():
            if not isinstance(layer, str) or not layer:
                raise ConfigError(f"{where} from.{role} = {layer!r}; expected a layer name.")
        object.__setattr__(self, "inputs", {r: inputs[r] for r in method.roles if r in inputs})
        object.__setattr__(self, "options", check_options(method, self.options, where=where))
        if self.resolution is not None:
            if method.scope != "global":
                raise ConfigError(
                    f"{where} resolution = {self.resolution}: only global methods (distance, "
                    f"travel_time) run on a coarser grid; {method.name} is {method.scope}."
                )
            if not self.resolution > 0:
                raise ConfigError(f"{where} resolution = {self.resolution}; expected > 0 (m).")

    @classmethod
    def from_table(cls, name: str, table: Mapping[str, Any], *, where: str = "config"
                   ) -> DerivedSpec:
        """Build a spec from a ``[layers.NAME]`` TOML table that has ``from``/``method``."""
        key = f"{where}: [layers.{name}]"
        if "method" not in table:
            raise ConfigError(
                f"{key} has `from` but no `method`; choose one of {', '.join(METHODS)}."
            )
        method = _method(table["method"], key)
        if "from" not in table:
            raise ConfigError(
                f"{key} method = \"{method.name}\" needs `from`, the input layer "
                f"(roles: {', '.join(method.roles)})."
            )
        source = table["from"]
        if isinstance(source, str):
            inputs = {method.roles[0]: source}
        elif isinstance(source, dict):
            inputs = dict(source)
        else:
            example = ", ".join(f'{r} = "…"' for r in method.roles[:3])
            raise ConfigError(
                f"{key} from = {source!r}; expected a layer name, or a table naming the "
                f"input of each role: from = {{ {example} }}."
            )
        resolution = table.get("resolution")
        if resolution is not None and (isinstance(resolution, bool)
                                       or not isinstance(resolution, int | float)):
            raise ConfigError(f"{key} resolution = {resolution!r}; expected a number (m).")
        role = table.get("role")
        if role is not None and not isinstance(role, str):
            raise ConfigError(f"{key} role = {role!r}; expected text.")
        options = {k: v for k, v in table.items() if k not in DERIVED_KEYS}
        spec_key = key.removeprefix(f"{where}: ")
        try:
            return cls(name, method.name, inputs, options, role,
                       None if resolution is None else float(resolution))
        except ConfigError as exc:
            message = str(exc)
            raise ConfigError(message.replace(spec_key, key, 1) if spec_key in message
                              else f"{key}: {message}") from exc

    @property
    def spec_method(self) -> Method:
        """The :class:`~aez.derive.methods.Method` this layer uses."""
        return METHODS[self.method]

    @property
    def sources(self) -> tuple[str, ...]:
        """Names of the input layers, in role order."""
        return tuple(self.inputs.values())

    @property
    def kind(self) -> str:
        """``continuous`` or ``categorical``, from the method."""
        return self.spec_method.kind

    @property
    def units(self) -> str:
        """Units of the result."""
        return self.spec_method.units(self.options)

    @property
    def provides(self) -> str:
        """The land characteristic or role this layer provides."""
        return self.role or self.name

    def describe(self) -> str:
        """Short text such as ``slope(dem)`` or ``travel_time(targets=markets, …)``."""
        if len(self.inputs) == 1:
            args = next(iter(self.inputs.values()))
        else:
            args = ", ".join(f"{role}={layer}" for role, layer in self.inputs.items())
        return f"{self.method}({args})"


def _method(name: Any, where: str) -> Method:
    if isinstance(name, str) and name in METHODS:
        return METHODS[name]
    close = difflib.get_close_matches(str(name), list(METHODS), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ConfigError(
        f"{where} method = {name!r} is not a derivation aez knows.{hint} Methods: "
        f"{', '.join(METHODS)}."
    )
