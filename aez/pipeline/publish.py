"""Outputs a GIS analyst opens: the kecamatan GeoPackage, the workbook and the QGIS styles.

``districts.gpkg`` holds two layers and the QGIS default style of the first:

``kecamatan``
    one polygon per kecamatan with the assignment (product, OTOP group, star
    tier, score and its components, three alternatives, binding constraints),
    what the product rests on (its ``role``, ``klassen`` quadrant, ``lq``,
    ``production`` in ``production_year``, ``production_share`` of the
    kabupaten's, ``growth``, ``falling``, ``suitable_ha``, ``suitable_share``)
    and its ``flags``, the robustness (probability the product is kept,
    stability, probability of every product that won a draw), the first-ranked
    cooperative, the potential production of the product (``potential_t``,
    t/yr), its gross value (``potential_value_rp``, Rp/yr, with prices), the
    ``yield_source`` and the ``realised_share`` of today's production, and per
    commodity the suitability index ``si_<crop>`` and suitable hectares
    ``ha_<crop>``;
``kecamatan_commodity``
    one polygon per kecamatan × commodity with the hectares per class, SI,
    limiting-quality shares, raw and normalised criteria, the total score,
    the pair's role, Klassen quadrant, production, share and trend, and its
    potential production, yield, yield source, value and realised share.

Every file is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from aez.characteristics import QUALITIES
from aez.errors import ConfigError
from aez.harmonize import StudyArea
from aez.io import atomic_output
from aez.io.csv_table import round_table
from aez.io.xlsx import write_workbook
from aez.pipeline.decide import Decision, long_scores
from aez.pipeline.suitability import SuitabilityTotals
from aez.render.palette import (
    CLASS_COLOURS,
    QUALITY_COLOURS,
    Language,
    class_label,
    product_styles,
)
from aez.render.qgis import (
    categorized_vector_qml,
    paletted_raster_qml,
    pseudocolor_raster_qml,
    write_qml,
)
from aez.words import word
from aez.zonal import wide_table

__all__ = ["district_layers", "write_districts", "write_raster_styles", "write_workbook_of"]

#: Ramp of the suitability index (0 = not suitable, 1 = optimal): N red → S1 green.
#: The date GeoPackage tables carry (``gpkg_contents.last_change``): fixed, for identical bytes.
GPKG_DATE = "2000-01-01T00:00:00.000Z"
INDEX_RAMP = ((0.0, CLASS_COLOURS[4]), (0.25, CLASS_COLOURS[3]), (0.5, "#ffffbf"),
              (0.75, CLASS_COLOURS[2]), (1.0, CLASS_COLOURS[1]))


def _text_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Tuples and lists (alternatives, binding constraints) as '; '-joined text."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, tuple | list)).any():
            out[column] = out[column].map(
                lambda v: "; ".join(map(str, v)) if isinstance(v, tuple | list) else v)
    return out


def district_layers(decision: Decision, study_area: StudyArea,
                    crops: Sequence[str]) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Build the ``kecamatan`` (wide) and ``kecamatan_commodity`` (long) layers.

    Both are in the study area's CRS, with rows in its kecamatan order; columns
    are documented in the module docstring.
    """
    districts = study_area.districts
    ids = districts[study_area.id_column].astype(str)
    shapes = gpd.GeoDataFrame({"kecamatan_id": ids.to_numpy()}, geometry=districts.geometry.values,
                              crs=districts.crs)
    wide = _text_columns(decision.kecamatan).reindex(ids)
    if decision.robustness is not None:
        probability = decision.robustness.probability.reindex(ids)
        won = [p for p in probability.columns if (probability[p] > 0).any()]
        wide = wide.join(probability[won].add_prefix("p_"))
    coops = decision.cooperatives
    if len(coops) and "rank" in coops.columns:
        first = coops[coops["rank"] == 1].set_index("kecamatan")
        wide["cooperative"] = first["cooperative"].reindex(ids)
        wide["cooperative_points"] = first["points"].reindex(ids)
    summary = decision.summary
    si = wide_table(summary, "SI").reindex(index=ids, columns=list(crops))
    ha = wide_table(summary, "suitable_ha").reindex(index=ids, columns=list(crops))
    wide = wide.join(_product_potential(decision.potential, wide.get("product"), ids))
    wide = wide.join(si.add_prefix("si_")).join(ha.add_prefix("ha_"))
    kecamatan = shapes.join(wide.drop(columns="kecamatan_id", errors="ignore"),
                            on="kecamatan_id")

    scores = long_scores(decision.scores, decision.evidence)
    pairs = summary.set_index(["kecamatan_id", "commodity"]).join(scores, how="left")
    if decision.potential is not None:
        pairs = pairs.join(decision.potential.set_index(["kecamatan_id", "commodity"])[
            [c for c in POTENTIAL_COLUMNS if c in decision.potential.columns]], how="left")
    pairs = pairs.reset_index()
    geometry = shapes.set_index("kecamatan_id").geometry
    long = gpd.GeoDataFrame(pairs, geometry=geometry.loc[pairs["kecamatan_id"]].values,
                            crs=districts.crs)
    return kecamatan, long


#: Columns of the potential production table carried into ``districts.gpkg``.
POTENTIAL_COLUMNS = ("potential_t", "yield_t_ha", "yield_source", "value_rp", "realised_t",
                     "realised_share")


def _product_potential(potential: pd.DataFrame | None, products: pd.Series | None,
                       ids: pd.Series) -> pd.DataFrame:
    """Potential production, value, yield source and realised share of each chosen product."""
    names = {"potential_t": "potential_t", "value_rp": "potential_value_rp",
             "yield_source": "yield_source", "realised_share": "realised_share"}
    if potential is None or products is None:
        return pd.DataFrame(index=ids)
    table = potential.set_index(["kecamatan_id", "commodity"])
    key = pd.MultiIndex.from_arrays([list(ids), list(products.reindex(ids))])
    out = pd.DataFrame(index=ids)
    for column, name in names.items():
        if column in table.columns:
            out[name] = table[column].reindex(key).to_numpy()
    return out


def write_districts(kecamatan: gpd.GeoDataFrame, long: gpd.GeoDataFrame, path: str | Path, *,
                    product_names: Mapping[str, str], name_column: str = "kecamatan",
                    overwrite: bool = False, inputs: Iterable[Path] = ()) -> list[Path]:
    """Write ``districts.gpkg`` (two layers plus the default QGIS style) and ``districts.qml``."""
    path = Path(path)
    style = _products_style(kecamatan, product_names, name_column)
    with atomic_output(path, overwrite=overwrite, inputs=inputs) as tmp, _fixed_gpkg_date():
        pyogrio.write_dataframe(kecamatan, tmp, layer="kecamatan", driver="GPKG")
        pyogrio.write_dataframe(long, tmp, layer="kecamatan_commodity", driver="GPKG",
                                append=True)
        pyogrio.write_dataframe(_layer_styles("kecamatan", style), tmp, layer="layer_styles",
                                driver="GPKG", append=True)
    qml = write_qml(path.with_suffix(".qml"), style, overwrite=overwrite)
    return [path, qml]


def gpkg_date() -> str:
    """Return the date GeoPackages carry: ``SOURCE_DATE_EPOCH`` if set, else :data:`GPKG_DATE`.

    Either way the same run writes the same bytes; with ``SOURCE_DATE_EPOCH`` (seconds
    since 1970, as reproducible builds set it) the date is also the one the maps and
    the report print.

    >>> import os; os.environ["SOURCE_DATE_EPOCH"] = "1735689600"; gpkg_date()
    '2025-01-01T00:00:00.000Z'
    >>> del os.environ["SOURCE_DATE_EPOCH"]; gpkg_date() == GPKG_DATE
    True
    """
    import datetime as dt
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return GPKG_DATE
    try:
        when = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    except ValueError:
        raise ConfigError(f"SOURCE_DATE_EPOCH = {epoch!r} is not a whole number of seconds "
                          "since 1970; unset it or give e.g. 1735689600.") from None
    return when.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@contextmanager
def _fixed_gpkg_date() -> Iterator[None]:
    """Stamp GeoPackage tables with a fixed date, so the same run writes the same bytes.

    GDAL's GPKG driver records the time of writing in ``gpkg_contents.last_change``
    unless the ``OGR_CURRENT_DATE`` configuration option names one.
    """
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": gpkg_date()})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})


def _products_style(kecamatan: pd.DataFrame, names: Mapping[str, str], label: str) -> str:
    products = sorted(kecamatan["product"].dropna().unique())
    styles = product_styles(products)  # the maps' colours and hatches
    return categorized_vector_qml(
        "product", {p: (styles[p][0], names.get(p, p), styles[p][1]) for p in products},
        label_field=label if label in kecamatan.columns else None)


def _layer_styles(layer: str, qml: str) -> pd.DataFrame:
    """QGIS's ``layer_styles`` table: the style QGIS applies when the layer is opened."""
    return pd.DataFrame({
        "f_table_catalog": [""], "f_table_schema": [""], "f_table_name": [layer],
        "f_geometry_column": ["geometry"], "styleName": [layer], "styleQML": [qml],
        "styleSLD": [""], "useAsDefault": [True], "description": ["aez"], "owner": [""],
        "ui": [""],
    })


def write_raster_styles(totals: Mapping[str, SuitabilityTotals], *, lang: Language = "id",
                        overwrite: bool = False) -> list[Path]:
    """Write a ``.qml`` next to each crop raster: classes, limiting qualities, index ramp.

    The index ramp is in index units (0–1): QGIS applies the index raster's
    scale and offset (stored bytes × 0.005) before styling.
    """
    classes = paletted_raster_qml({code: (colour, class_label(code, lang))
                                   for code, colour in CLASS_COLOURS.items()})
    index = pseudocolor_raster_qml([(v, c, f"{v:g}") for v, c in INDEX_RAMP])
    written = []
    for crop_totals in totals.values():
        paths = crop_totals.paths
        styles = {"class": classes, "potential": classes, "index": index,
                  "subclass": _subclass_style(crop_totals.subclass_cells, lang)}
        for output, style in styles.items():
            if output in paths:
                written.append(write_qml(paths[output].with_suffix(".qml"), style,
                                         overwrite=overwrite))
    return written


def _subclass_style(cells: np.ndarray | None, lang: Language) -> str:
    """One entry per limitation combination that occurs: '—' for none, else 'nr,eh'."""
    present = [0] if cells is None else np.flatnonzero(cells).tolist()
    entries = {}
    for mask in present:
        limits = [q for i, q in enumerate(QUALITIES) if mask >> i & 1]
        colour = QUALITY_COLOURS[limits[0]] if limits else CLASS_COLOURS[1]
        none = word("style.no_limitation", lang)
        entries[int(mask)] = (colour, ",".join(limits) if limits else none)
    return paletted_raster_qml(entries)


def write_workbook_of(decision: Decision, path: str | Path, *,
                      overwrite: bool = False) -> Path:
    """All decision tables as the sheets of one workbook (``aez_tables.xlsx``), rounded as CSV."""
    sheets = {"kecamatan_products": decision.kecamatan,
              "suitability": decision.summary.set_index(["kecamatan_id", "commodity"]),
              "scores": long_scores(decision.scores, decision.evidence),
              "cooperatives": decision.cooperatives,
              "regions": decision.regions}
    if decision.robustness is not None:
        sheets["robustness"] = decision.robustness.probability.join(decision.robustness.summary)
    if decision.potential is not None:
        sheets["potential_production"] = decision.potential.set_index(
            ["kecamatan_id", "commodity"])
    return write_workbook({name: round_table(frame) for name, frame in sheets.items()}, path,
                          overwrite=overwrite)
