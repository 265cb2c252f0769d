"""The run's maps and report: which maps to draw from which outputs, and what the report shows.

The maps (:mod:`aez.render.maps`) and the report (:mod:`aez.render.report`)
are drawn from files the earlier stages wrote (the class and subclass
rasters, read decimated) and from the kecamatan layer of ``districts.gpkg``,
so they cost little memory whatever the size of the grid.

Every map and the report carry the run's date: today (UTC), or the date of
the ``SOURCE_DATE_EPOCH`` environment variable when it is set (the
reproducible-builds convention), so that a run can be repeated to the byte.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import geopandas as gpd

from aez.config import RunConfig
from aez.crops import CropRequirements
from aez.errors import ConfigError
from aez.grid import Grid
from aez.harmonize import LayerStack
from aez.harmonize.spec import LayerSpec
from aez.pipeline.decide import Decision
from aez.pipeline.suitability import SuitabilityTotals
from aez.render.jobs import MapJob
from aez.render.maps import MapInfo, OverviewLayer
from aez.render.palette import DRAINAGE_COLOURS, LAND_STATUS_COLOURS
from aez.render.report import ReportContext
from aez.version import __version__
from aez.words import Language, label_name, unit_label, word

__all__ = ["map_info", "map_jobs", "region_name", "report_context", "run_date"]

#: Overview panels: (role of the layer, kind, colour map), the first four found are drawn.
OVERVIEW_ROLES = (("elevation", "elevation", None), ("rainfall", "continuous", "Blues"),
                  ("land_status", "categorical", None), ("drainage", "categorical", None),
                  ("ph_h2o", "continuous", "RdYlBu"), ("soil_depth", "continuous", "YlOrBr"))
MAX_OVERVIEW_PANELS = 4
#: Colours of the categorical overview panels, by role and class label.
CLASS_PALETTES = {"land_status": LAND_STATUS_COLOURS, "drainage": DRAINAGE_COLOURS}


def run_date() -> dt.date:
    """Today (UTC), or the date of ``SOURCE_DATE_EPOCH`` (seconds since 1970) when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except ValueError:
            raise ConfigError(f"SOURCE_DATE_EPOCH = {epoch!r} is not a whole number of seconds "
                              "since 1970; unset it or give e.g. 1735689600.") from None
    return dt.datetime.now(dt.UTC).date()


def region_name(config: RunConfig, districts: gpd.GeoDataFrame) -> str:
    """``[output] region``, or the kabupaten code(s) of the kecamatan ids."""
    if config.output.region:
        return config.output.region
    codes = sorted({".".join(str(k).split(".")[:2]) for k in districts["kecamatan_id"]})
    return ", ".join(codes[:3]) + (" …" if len(codes) > 3 else "")


def map_info(config: RunConfig, districts: gpd.GeoDataFrame, *, lang: Language,
             date: dt.date) -> MapInfo:
    """Title, provenance line and date shared by every map of the run."""
    if config.output.data_source:
        data = word("map.source_data", lang, config.output.data_source)
    elif config.output.synthetic:
        data = word("map.source_synthetic", lang)
    else:
        data = word("map.source_report", lang)
    return MapInfo(region=region_name(config, districts), lang=lang, date=date.isoformat(),
                   source=f"aez {__version__} · config {config.hash[:8]} · {data}",
                   synthetic=config.output.synthetic)


def _overview_layers(stack: LayerStack, lang: Language) -> list[OverviewLayer]:
    by_role = {(spec.role or name): (name, spec) for name, spec in stack.specs.items()}
    panels = []
    for role, kind, cmap in OVERVIEW_ROLES:
        found = by_role.get(role)
        if found is None or not isinstance(found[1], LayerSpec):
            continue
        name, spec = found
        if spec.path.suffix.lower() not in (".tif", ".tiff", ".vrt"):
            continue
        legend = getattr(stack.sources.get(name), "legend", None) or spec.legend
        colours = CLASS_PALETTES.get(role, {})
        styled = {code: (label_name(role, label, lang), colours[label]) if label in colours
                  else label_name(role, label, lang) for code, label in (legend or {}).items()}
        panels.append(OverviewLayer(word(f"overview.{role}", lang), spec.path,
                                    "elevation" if kind == "elevation" else spec.kind,
                                    unit_label(spec.units, lang), styled or None, cmap))
        if len(panels) == MAX_OVERVIEW_PANELS:
            break
    return panels


def map_jobs(stack: LayerStack, totals: Mapping[str, SuitabilityTotals],
             crops: Sequence[CropRequirements], districts: gpd.GeoDataFrame, outdir: Path, *,
             info: MapInfo, robustness: bool,
             which: Literal["all", "summary", "none"] = "all") -> dict[str, MapJob]:
    """Return the maps of a run by figure key, written under ``outdir/maps``.

    The keys are ``overview``, ``products``, ``robustness``, ``value`` (potential
    value, or production, of the chosen products), ``suitability/<crop>`` and
    ``limits/<crop>``. ``which`` is ``[output] maps``: ``"summary"`` leaves
    out the two maps per crop, ``"none"`` gives no map.
    """
    if which == "none":
        return {}
    lang = info.lang
    maps = outdir / "maps"
    names = {c.id: (c.name_id if lang == "id" else c.name_en) for c in crops}
    wanted = ["kecamatan_id", "kecamatan", "product", "role", "probability", "stability",
              "potential_value_rp", "potential_t", "climate_kept", "climate_scenarios",
              "geometry"]
    shapes = districts[[c for c in wanted if c in districts.columns]]
    label = "kecamatan" if "kecamatan" in shapes.columns else None
    common = {"districts": shapes, "info": info, "overwrite": True}
    jobs: dict[str, MapJob] = {}
    panels = _overview_layers(stack, lang)
    if panels:
        jobs["overview"] = MapJob("overview", {**common, "layers": panels,
                                               "out_base": maps / "overview"})
    jobs["products"] = MapJob("products", {**common, "product_names": names, "name_column": label,
                                           "out_base": maps / "products"})
    if robustness:
        jobs["robustness"] = MapJob("robustness", {**common, "name_column": label,
                                                   "out_base": maps / "robustness"})
    value = next((c for c in ("potential_value_rp", "potential_t")
                  if c in shapes.columns and shapes[c].notna().any()), None)
    if value is not None:
        jobs["value"] = MapJob("value", {**common, "value_column": value,
                                         "rupiah": value == "potential_value_rp",
                                         "product_names": names, "name_column": label,
                                         "out_base": maps / "value"})
    if which == "summary":
        return jobs
    for crop, crop_totals in totals.items():
        paths = crop_totals.paths
        jobs[f"suitability/{crop}"] = MapJob("suitability", {
            **common, "class_path": paths["class"], "crop_name": names[crop],
            "name_column": label, "out_base": maps / "suitability" / crop})
        jobs[f"limits/{crop}"] = MapJob("limits", {
            **common, "class_path": paths["class"], "subclass_path": paths["subclass"],
            "crop_name": names[crop], "name_column": label,
            "out_base": maps / "limits" / crop})
    return jobs


def report_context(config: RunConfig, grid: Grid, decision: Decision,
                   crops: Sequence[CropRequirements], districts: gpd.GeoDataFrame, *,
                   figures: Mapping[str, Path], date: dt.date) -> ReportContext:
    """Gather what the report of a run shows.

    Stage timings are left out (they are in ``run.log``), so the same config
    gives the same report, byte for byte, whatever the executor. The kecamatan
    polygons of ``districts`` draw the report's interactive map.
    """
    return ReportContext(region=region_name(config, districts), date=date,
                         aez_version=__version__, grid=grid, config=config, decision=decision,
                         crops=list(crops), figures=dict(figures), timings={},
                         synthetic=config.output.synthetic,
                         districts=districts[["kecamatan_id", "geometry"]])
