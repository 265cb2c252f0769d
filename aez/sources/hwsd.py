"""HWSD v2.0 (FAO & IIASA 2023): soil mapping units and their layer table.

Native layout (FAO & IIASA 2023, *Harmonized World Soil Database version
2.0*, Rome and Laxenburg, doi:10.4060/cc3823en): a 30″ raster of soil mapping
unit ids (``HWSD2.bil``, uint16 in geographic WGS 84) and a database whose
table ``HWSD2_LAYERS`` describes each SMU's soils (``SEQUENCE``, with their
``SHARE`` of the unit in %) layer by layer (``LAYER`` D1 … D7, from ``TOPDEP``
to ``BOTDEP`` cm: 0-20, 20-40, 40-60, 60-80, 80-100, 100-150, 150-200). The
database ships as Microsoft Access; aez reads the table exported to CSV or
to SQLite (``HWSD2_LAYERS`` table). Negative values (−9 …) mean "no data".

Fields and conversions (units as in the HWSD v2.0 technical report):

=================  ==================  ===================================
field              characteristic      conversion
=================  ==================  ===================================
``DRAINAGE``       drainage            E, SE, W, MW, I, P, VP → excessive,
                                       somewhat_excessive, well,
                                       moderately_well, somewhat_poor
                                       (imperfectly), poor, very_poor
``TEXTURE_USDA``   texture             USDA class 1–13 → BBSDLP group
                                       (:data:`USDA_TEXTURE`)
``PH_WATER``       ph_h2o              as is
``CEC_CLAY``       cec_clay            cmol(+)/kg, as is
``BSAT``           base_saturation     %, as is
``ORG_CARBON``     c_organic           % weight, as is
``ELEC_COND``      salinity            dS/m, as is
``ESP``            alkalinity          %, as is
``COARSE``         coarse_fragments    % volume, as is
=================  ==================  ===================================

Per soil, the layers are averaged over the depth range asked for
(thickness-weighted; default 0–30 cm = D1 × 2/3 + D2 × 1/3). Per SMU, the
value is the **dominant** soil's (``SEQUENCE`` 1, the largest share) or the
**share-weighted** one: the share-weighted mean of the soils with data, and
for drainage and texture the class with the largest total share.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from rasterio.windows import Window

from aez.errors import ConfigError, DataSourceError
from aez.io.raster import open_raster
from aez.io.table import read_table
from aez.layer import CATEGORICAL_NODATA
from aez.sources.base import (
    Output,
    RasterReader,
    canonical_legend,
    canonical_output,
    parse_depth,
    read_band,
)
from aez.sources.files import NativeGrid, expand_inputs

__all__ = ["DRAINAGE_CODES", "FIELDS", "USDA_TEXTURE", "Hwsd"]

#: HWSD v2.0 drainage code → canonical drainage class.
DRAINAGE_CODES: dict[str, str] = {
    "E": "excessive", "SE": "somewhat_excessive", "W": "well", "MW": "moderately_well",
    "I": "somewhat_poor", "P": "poor", "VP": "very_poor",
}
#: HWSD USDA texture class code → canonical (BBSDLP) texture group.
USDA_TEXTURE: dict[int, str] = {
    1: "fine",  # clay (heavy)
    2: "fine",  # silty clay
    3: "fine",  # clay (light)
    4: "moderately_fine",  # silty clay loam
    5: "moderately_fine",  # clay loam
    6: "medium",  # silt
    7: "medium",  # silt loam
    8: "fine",  # sandy clay
    9: "medium",  # loam
    10: "moderately_fine",  # sandy clay loam
    11: "moderately_coarse",  # sandy loam
    12: "coarse",  # loamy sand
    13: "coarse",  # sand
}
#: Characteristic → HWSD2_LAYERS field.
FIELDS: dict[str, str] = {
    "drainage": "DRAINAGE", "texture": "TEXTURE_USDA", "ph_h2o": "PH_WATER",
    "cec_clay": "CEC_CLAY", "base_saturation": "BSAT", "c_organic": "ORG_CARBON",
    "salinity": "ELEC_COND", "alkalinity": "ESP", "coarse_fragments": "COARSE",
}
_KEYS = ("HWSD2_SMU_ID", "SEQUENCE", "SHARE", "TOPDEP", "BOTDEP")
AGGREGATES = ("dominant", "weighted")


def _read_layers(path: Path) -> pd.DataFrame:
    if path.suffix.lower() in (".sqlite", ".db", ".sqlite3", ".gpkg"):
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                return pd.read_sql_query("SELECT * FROM HWSD2_LAYERS", db)
        except (sqlite3.Error, pd.errors.DatabaseError) as exc:
            raise DataSourceError(
                f"hwsd: cannot read the table HWSD2_LAYERS from {path}: {exc}."
            ) from exc
    return read_table(path)


class Hwsd(RasterReader):
    """The HWSD v2.0 SMU raster and its ``HWSD2_LAYERS`` table.

    Parameters
    ----------
    inputs : iterable of paths
        The SMU raster (``HWSD2.bil`` or a GeoTIFF of it) and the layer table
        (``HWSD2_LAYERS.csv`` or an SQLite export holding ``HWSD2_LAYERS``).
    depth : str, default "0-30"
    aggregate : {"dominant", "weighted"}
    """

    source = "hwsd"

    def __init__(self, inputs: Iterable[str | Path], *, depth: str = "0-30",
                 aggregate: str = "dominant") -> None:
        if aggregate not in AGGREGATES:
            raise ConfigError(f"hwsd: aggregate = {aggregate!r}; expected one of {AGGREGATES}.")
        self.aggregate = aggregate
        self.top, self.bottom = parse_depth(depth)
        raster: Path | None = None
        table: Path | None = None
        for path in expand_inputs(inputs, source="hwsd"):
            suffix = path.suffix.lower()
            if suffix in (".bil", ".tif", ".tiff", ".img"):
                raster = path
            elif suffix in (".csv", ".xlsx", ".sqlite", ".db", ".sqlite3"):
                table = path
            # .hdr, .prj, .stx … beside HWSD2.bil are read by GDAL with it
        if raster is None or table is None:
            raise DataSourceError(
                "hwsd: expected the SMU raster (HWSD2.bil or .tif) and the HWSD2_LAYERS table "
                f"(.csv or .sqlite); got {'no raster' if raster is None else 'no table'}."
            )
        self._raster, self._table = raster, table
        with open_raster(raster) as src:
            if src.crs is None:
                raise DataSourceError(f"hwsd: {raster.name} has no CRS (HWSD2.bil is EPSG:4326).")
            self.grid = NativeGrid(src.crs, src.transform, src.width, src.height)
            self._nodata = src.nodatavals[0]
        layers = _read_layers(table)
        missing = [k for k in _KEYS if k not in layers.columns]
        if missing:
            raise DataSourceError(
                f"hwsd: {table.name} has no column {missing[0]!r}; it is not the HWSD2_LAYERS "
                f"table (expected {', '.join(_KEYS)} and the property fields)."
            )
        self._layers = layers
        self._values: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def outputs(self) -> dict[str, Output]:
        """Return the characteristics whose fields the table has."""
        return {name: canonical_output(name, f"HWSD v2.0 {field}")
                for name, field in FIELDS.items() if field in self._layers.columns}

    def inputs(self) -> list[Path]:
        """Return the raster and the table."""
        return [self._raster, self._table]

    def smu_values(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Sorted SMU ids and the canonical value (float, or class code) of each."""
        if name in self._values:
            return self._values[name]
        self.output(name)
        field = FIELDS[name]
        frame = self._layers[[*_KEYS, field]].copy()
        categorical = name in ("drainage", "texture")
        if name == "drainage":
            codes = canonical_legend("drainage")
            lookup = {label: code for code, label in codes.items()}
            words = frame[field].astype("string").str.strip().str.upper()
            unknown = sorted(set(words.dropna()) - set(DRAINAGE_CODES) - {"", "-9"})
            if unknown:
                raise DataSourceError(
                    f"hwsd: DRAINAGE holds {unknown[:5]}, which are not HWSD drainage codes "
                    f"({', '.join(DRAINAGE_CODES)})."
                )
            frame["value"] = words.map(lambda w: lookup.get(DRAINAGE_CODES.get(w, ""), np.nan))
        elif name == "texture":
            codes = canonical_legend("texture")
            lookup = {label: code for code, label in codes.items()}
            usda = pd.to_numeric(frame[field], errors="coerce")
            frame["value"] = usda.map(lambda c: lookup.get(USDA_TEXTURE.get(int(c), ""), np.nan)
                                      if pd.notna(c) else np.nan)
        else:
            value = pd.to_numeric(frame[field], errors="coerce").astype(float)
            frame["value"] = value.where(value >= 0)
        top = pd.to_numeric(frame["TOPDEP"], errors="coerce")
        bottom = pd.to_numeric(frame["BOTDEP"], errors="coerce")
        frame["w"] = (np.minimum(bottom, self.bottom) - np.maximum(top, self.top)).clip(lower=0)
        frame = frame[frame["w"] > 0]
        soils = []
        for (smu, seq), group in frame.groupby(["HWSD2_SMU_ID", "SEQUENCE"], sort=True):
            share = float(pd.to_numeric(group["SHARE"], errors="coerce").iloc[0])
            covered = float(group["w"].sum())
            ok = group["value"].notna()
            if categorical:
                # the class of the thickest part of the range
                best = group[ok].groupby("value")["w"].sum()
                value = float(best.idxmax()) if len(best) else np.nan
            elif ok.all() and covered >= (self.bottom - self.top) - 1e-9:
                value = float((group["value"] * group["w"]).sum() / covered)
            else:
                value = np.nan
            soils.append((int(smu), int(seq), share, value))
        table = pd.DataFrame(soils, columns=["smu", "seq", "share", "value"])
        ids, values = [], []
        for smu, group in table.groupby("smu", sort=True):
            if self.aggregate == "dominant":
                row = group.sort_values(["share", "seq"], ascending=[False, True]).iloc[0]
                value = row["value"]
            else:
                ok = group[group["value"].notna() & (group["share"] > 0)]
                if not len(ok):
                    value = np.nan
                elif categorical:
                    value = ok.groupby("value")["share"].sum().sort_index().idxmax()
                else:
                    value = float((ok["value"] * ok["share"]).sum() / ok["share"].sum())
            ids.append(smu)
            values.append(value)
        result = (np.asarray(ids, dtype=np.int64), np.asarray(values, dtype=np.float64))
        self._values[name] = result
        return result

    def read(self, name: str, window: Window) -> np.ndarray:
        """Canonical values of one characteristic on a window of the SMU raster."""
        output = self.output(name)
        ids, values = self.smu_values(name)
        raw, nodata = read_band(self._raster, window)
        smu = raw.astype(np.int64)
        pos = np.clip(np.searchsorted(ids, smu), 0, max(len(ids) - 1, 0))
        found = (ids[pos] == smu) if len(ids) else np.zeros(smu.shape, dtype=bool)
        if nodata is not None:
            found &= raw != nodata
        out = np.where(found, values[pos] if len(ids) else np.nan, np.nan)
        if output.kind == "categorical":
            return np.where(np.isnan(out), CATEGORICAL_NODATA, out).astype(np.int32)
        return out.astype(np.float32)
