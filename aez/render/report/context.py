"""What a report shows: :class:`ReportContext`, the run's results and inputs, checked.

A context holds everything the report describes (the grid, the config, the
decision, the crop tables, the figures and the stage times). It is checked
when made, so an unknown crop, figure key or an incomplete inputs table
fails before anything is written. :func:`input_layers` and
:func:`config_tables` give the tables of inputs it shows by default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from aez.config import RunConfig
from aez.crops.schema import CropRequirements
from aez.derive.methods import METHODS
from aez.errors import ConfigError
from aez.grid import Grid
from aez.harmonize.spec import DerivedSpec

if TYPE_CHECKING:  # the pipeline imports the report, never the other way round
    import geopandas as gpd

    from aez.pipeline.decide import Decision

__all__ = ["FIGURE_KEYS", "ReportContext", "config_tables", "input_layers"]

#: Figure keys a context may give (``<crop>`` is a crop id of the context).
FIGURE_KEYS: tuple[str, ...] = ("overview", "products", "robustness", "value",
                                "suitability/<crop>", "limits/<crop>")
_TABLE_KEYS = ("production", "households", "sentra", "cooperatives", "crosswalk")


@dataclass(frozen=True, eq=False)
class ReportContext:
    """Everything the report shows (see :func:`~aez.render.report.html.write_report`).

    Attributes
    ----------
    region : str
        Name of the study region (kabupaten, province …), shown in the header.
    date : datetime.date or str
        Date of the run (ISO ``YYYY-MM-DD`` when text); the only date shown.
    aez_version : str
        ``aez.__version__`` of the run.
    grid : Grid
        The analysis grid.
    config : RunConfig
        The run's config: its ``[evaluate]``, ``[constraints]``, ``[score]``,
        ``[assign]`` and ``[robustness]`` sections are described.
    decision : Decision
        The decision stage's result (:func:`aez.pipeline.decide`).
    crops : sequence of CropRequirements
        The evaluated crop tables (names, groups, sources); every commodity of
        the decision must be among them.
    config_hash : str, optional
        Default: ``config.hash``.
    inputs : DataFrame, optional
        One row per input layer with columns ``name, file, kind, units, role``
        and optionally ``derived`` (bool). Default: :func:`input_layers`.
    tables_used : mapping of str to path, optional
        Table role (``production``, ``households``, ``sentra``,
        ``cooperatives``, ``crosswalk`` or another name) → file. Default: the
        ``[tables]`` files of the config, relative to its folder.
    figures : mapping of str to Path
        PNG figures by key (:data:`FIGURE_KEYS`); missing keys are left out.
    timings : mapping of str to float
        Seconds per stage, in the order to show.
    synthetic : bool
        The data are synthetic (``aez demo``): the report says so up front.
    districts : GeoDataFrame, optional
        The kecamatan polygons, with their ids (those of ``decision.kecamatan``)
        in a ``kecamatan_id`` column, in any projected or geographic CRS. With
        them the report draws the interactive kecamatan map; without, it is
        left out.
    """

    region: str
    date: dt.date | str
    aez_version: str
    grid: Grid
    config: RunConfig
    decision: Decision
    crops: Sequence[CropRequirements]
    config_hash: str | None = None
    inputs: pd.DataFrame | None = None
    tables_used: Mapping[str, str | Path] | None = None
    figures: Mapping[str, Path] = field(default_factory=dict)
    timings: Mapping[str, float] = field(default_factory=dict)
    synthetic: bool = False
    districts: gpd.GeoDataFrame | None = None

    def __post_init__(self) -> None:
        if isinstance(self.date, str):
            try:
                object.__setattr__(self, "date", dt.date.fromisoformat(self.date))
            except ValueError:
                raise ConfigError(f"Report date {self.date!r} is not an ISO date; give "
                                  "YYYY-MM-DD or a datetime.date.") from None
        ids = [c.id for c in self.crops]
        missing = sorted(set(self.decision.summary["commodity"]) - set(ids))
        if missing:
            raise ConfigError(f"The decision rates commodities {missing} that are not among the "
                              f"report's crops {ids}; pass every evaluated crop table.")
        allowed = {"overview", "products", "robustness", "value"} | {
            f"{kind}/{c}" for kind in ("suitability", "limits") for c in ids}
        unknown = sorted(set(self.figures) - allowed)
        if unknown:
            raise ConfigError(f"Unknown report figures {unknown}; expected keys of the form "
                              f"{', '.join(FIGURE_KEYS)} with <crop> one of {ids}.")
        if self.districts is not None:
            if "kecamatan_id" not in self.districts.columns:
                raise ConfigError("The report's districts lack a 'kecamatan_id' column; give the "
                                  "kecamatan polygons with their ids in that column.")
            known = set(self.districts["kecamatan_id"].astype(str))
            lacking = sorted(set(map(str, self.decision.kecamatan.index)) - known)
            if lacking:
                raise ConfigError(f"The report's districts lack kecamatan {lacking[:5]} of the "
                                  "decision; give every kecamatan of the run.")
        if self.inputs is not None:
            need = {"name", "file", "kind", "units", "role"} - set(self.inputs.columns)
            if need:
                raise ConfigError(f"The report's inputs table lacks columns {sorted(need)}; it "
                                  "needs name, file, kind, units and role (see input_layers).")


def input_layers(config: RunConfig) -> pd.DataFrame:
    """List the config's layers as a table: ``name, file, kind, units, role, derived``.

    Files are relative to the config's folder; a derived layer's ``file`` is
    its method and inputs, e.g. ``slope(dem)``.

    Parameters
    ----------
    config : RunConfig
        The run's config.

    Returns
    -------
    DataFrame
        One row per layer of ``config.layers``, in their order.
    """
    base = config.source.parent.resolve() if config.source is not None else None
    rows = []
    for name, spec in config.layers.items():
        if isinstance(spec, DerivedSpec):
            method = METHODS[spec.method]
            rows.append({"name": name, "file": f"{spec.method}({', '.join(spec.inputs.values())})",
                         "kind": method.kind, "units": method.units(spec.options),
                         "role": spec.role or name, "derived": True})
        else:
            rows.append({"name": name, "file": _relative(spec.path, base), "kind": spec.kind,
                         "units": spec.units, "role": spec.role or name, "derived": False})
    return pd.DataFrame(rows, columns=["name", "file", "kind", "units", "role", "derived"])


def _relative(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return path.resolve().relative_to(base).as_posix()
        except ValueError:
            pass
    return path.name


def config_tables(config: RunConfig) -> dict[str, str]:
    """Return the config's ``[tables]`` files by role, relative to the config's folder.

    Parameters
    ----------
    config : RunConfig
        The run's config.

    Returns
    -------
    dict of str to str
        Table role (``production``, ``households``, ``sentra``,
        ``cooperatives``, ``crosswalk``) → file, for the tables the config names.
    """
    base = config.source.parent.resolve() if config.source is not None else None
    return {k: _relative(getattr(config.tables, k), base) for k in _TABLE_KEYS
            if getattr(config.tables, k) is not None}
