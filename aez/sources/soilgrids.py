"""SoilGrids 2.0 (ISRIC): soil property maps at 250 m, converted to canonical characteristics.

Native layout (Poggio et al. 2021; ISRIC SoilGrids FAQ, "What do the filename
codes mean?"): one raster per property, depth interval and statistic, named
``PROPERTY_DEPTH_STAT`` — ``phh2o_0-5cm_mean.tif``, ``clay_15-30cm_Q0.5.tif``
— as the WebDAV VRTs (``files.isric.org/soilgrids/latest/data/``) or a WCS
subset saves them. The grid is the Interrupted Goode Homolosine projection
(``+proj=igh +datum=WGS84``) at 250 m; values are int16 in *mapped units*,
with −32768 for no data. The depth intervals are 0-5, 5-15, 15-30, 30-60,
60-100 and 100-200 cm; the statistics mean, Q0.05, Q0.5, Q0.95 and
uncertainty.

Mapped units and the factor that converts them to conventional units
(ISRIC, SoilGrids FAQ "Which soil properties are predicted by SoilGrids?"):

==========  ===================  ======  ======================
property    mapped units         factor  conventional units
==========  ===================  ======  ======================
phh2o       pH × 10              10      pH
soc         dg/kg                10      g/kg
cec         mmol(c)/kg           10      cmol(c)/kg
cfvo        cm³/dm³ (‰)          10      cm³/100 cm³ (vol %)
sand        g/kg                 10      g/100 g (%)
silt        g/kg                 10      g/100 g (%)
clay        g/kg                 10      g/100 g (%)
nitrogen    cg/kg                100     g/kg
bdod        cg/cm³               100     kg/dm³
==========  ===================  ======  ======================

Canonical characteristics, after a thickness-weighted mean over the depth
range asked for (default 0–30 cm: 0-5 × 5/30 + 5-15 × 10/30 + 15-30 × 15/30):

- ``ph_h2o`` = phh2o / 10;
- ``c_organic`` (%) = soc / 100 (dg/kg → g/kg is /10, g/kg → % is /10);
- ``cec_clay`` (cmol/kg) = (cec / 10) × 100 / (clay / 10): SoilGrids gives the
  CEC of the fine earth (KTK tanah); BBSDLP rates the CEC of the clay (KTK
  liat), the soil's CEC per unit of clay (no data where clay is 0);
- ``coarse_fragments`` (%) = cfvo / 10;
- ``n_total`` (%) = nitrogen / 1000;
- ``texture``: the USDA class of the depth-averaged sand, silt and clay,
  mapped to the BBSDLP texture group (:mod:`aez.sources.texture`).

>>> SOILGRIDS_FILE.match("phh2o_0-5cm_mean.tif").group("property")
'phh2o'
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from rasterio.windows import Window

from aez.characteristics import characteristic
from aez.errors import DataSourceError
from aez.io.raster import open_raster
from aez.layer import CATEGORICAL_NODATA
from aez.sources.base import (
    Output,
    RasterReader,
    canonical_output,
    depth_weights,
    parse_depth,
    read_band,
)
from aez.sources.files import NativeGrid, as_float, expand_inputs
from aez.sources.texture import bbsdlp_texture_codes, usda_texture

__all__ = [
    "DEPTHS",
    "HOMOLOSINE_PROJ",
    "PROPERTIES",
    "SOILGRIDS_FILE",
    "SoilGrids",
]

#: SoilGrids' standard depth intervals (cm), as written in the file names.
DEPTHS: tuple[str, ...] = ("0-5cm", "5-15cm", "15-30cm", "30-60cm", "60-100cm", "100-200cm")
#: The statistics SoilGrids publishes per property and depth.
STATISTICS: tuple[str, ...] = ("mean", "Q0.05", "Q0.5", "Q0.95", "uncertainty")
#: SoilGrids' nodata value (int16).
NODATA = -32768
#: The Interrupted Goode Homolosine projection of SoilGrids (PROJ string).
HOMOLOSINE_PROJ = "+proj=igh +lat_0=0 +lon_0=0 +datum=WGS84 +units=m +no_defs"

#: property → (mapped units, divisor to conventional units, conventional units).
PROPERTIES: dict[str, tuple[str, float, str]] = {
    "phh2o": ("pH*10", 10.0, "pH"),
    "soc": ("dg/kg", 10.0, "g/kg"),
    "cec": ("mmol(c)/kg", 10.0, "cmol(c)/kg"),
    "cfvo": ("cm3/dm3", 10.0, "vol %"),
    "sand": ("g/kg", 10.0, "%"),
    "silt": ("g/kg", 10.0, "%"),
    "clay": ("g/kg", 10.0, "%"),
    "nitrogen": ("cg/kg", 100.0, "g/kg"),
    "bdod": ("cg/cm3", 100.0, "kg/dm3"),
    "ocd": ("hg/m3", 10.0, "kg/m3"),
}

#: A SoilGrids file name: property, depth interval, statistic.
SOILGRIDS_FILE = re.compile(
    r"^(?P<property>[a-z0-9]+)_(?P<depth>[0-9]+-[0-9]+cm)_(?P<stat>mean|Q0\.05|Q0\.5|Q0\.95|"
    r"uncertainty)\.(?:tif|tiff|vrt)$"
)

#: characteristic → the properties it needs.
NEEDS: dict[str, tuple[str, ...]] = {
    "ph_h2o": ("phh2o",),
    "c_organic": ("soc",),
    "cec_clay": ("cec", "clay"),
    "coarse_fragments": ("cfvo",),
    "n_total": ("nitrogen",),
    "texture": ("sand", "silt", "clay"),
}


def _depth_range(label: str) -> tuple[float, float]:
    top, bottom = label.removesuffix("cm").split("-")
    return float(top), float(bottom)


class SoilGrids(RasterReader):
    """SoilGrids 2.0 rasters in their native names, units and grid.

    Parameters
    ----------
    inputs : iterable of paths
        Files, folders or patterns (``soilgrids/*_mean.tif``).
    depth : str, default "0-30"
        Depth range (cm) of the thickness-weighted mean.
    statistic : str, default "mean"
        Which of SoilGrids' statistics to read (files of other statistics are ignored).

    Raises
    ------
    DataSourceError
        For a file whose name is not ``PROPERTY_DEPTH_STAT.tif``, a property
        whose scale aez does not know, a depth label that is not one of
        SoilGrids', a file that is not int16 or carries its own scale, or
        files on different grids.
    """

    source = "soilgrids"

    def __init__(self, inputs: Iterable[str | Path], *, depth: str = "0-30",
                 statistic: str = "mean") -> None:
        if statistic not in STATISTICS:
            raise DataSourceError(
                f"soilgrids: statistic {statistic!r} is not one of SoilGrids' "
                f"({', '.join(STATISTICS)})."
            )
        self.top, self.bottom = parse_depth(depth)
        self.depth = depth
        self._files: dict[str, dict[tuple[float, float], Path]] = defaultdict(dict)
        grid: NativeGrid | None = None
        first: Path | None = None
        for path in expand_inputs(inputs, source="soilgrids", suffixes=(".tif", ".tiff", ".vrt")):
            prop, layer = self._parse(path, statistic)
            if prop is None or layer is None:
                continue
            with open_raster(path) as src:
                self._check(path, src, prop)
                here = NativeGrid(src.crs, src.transform, src.width, src.height)
            if grid is None:
                grid, first = here, path
            elif not grid.same_cells(here):
                raise DataSourceError(
                    f"soilgrids: {path.name} is not on the grid of {first.name if first else ''}"
                    " (CRS, cell size, extent). Download every property for the same window."
                )
            self._files[prop][layer] = path
        if grid is None:
            raise DataSourceError(
                f"soilgrids: no {statistic} file among the inputs; expected names such as "
                f"phh2o_0-5cm_{statistic}.tif."
            )
        self.grid = grid
        if not self.outputs():
            first_prop = sorted(self._files)[0]
            depth_weights(self._layers(first_prop), self.top, self.bottom, source=self.source)

    @staticmethod
    def _parse(path: Path, statistic: str) -> tuple[str | None, tuple[float, float] | None]:
        match = SOILGRIDS_FILE.match(path.name)
        if match is None:
            raise DataSourceError(
                f"soilgrids: {path} is not named like a SoilGrids file, so its property (and "
                "so its scale) and depth are unknown. Expected PROPERTY_DEPTH_STAT.tif, e.g. "
                "phh2o_0-5cm_mean.tif."
            )
        prop, label, stat = match.group("property", "depth", "stat")
        if label not in DEPTHS:
            raise DataSourceError(
                f"soilgrids: {path.name} has the depth label {label!r}; SoilGrids' depth "
                f"labels are {', '.join(DEPTHS)}."
            )
        if prop not in PROPERTIES:
            raise DataSourceError(
                f"soilgrids: {path.name} holds the property {prop!r}, whose scale aez does not "
                f"know; expected one of {', '.join(PROPERTIES)}."
            )
        if stat != statistic:
            return None, None
        return prop, _depth_range(label)

    @staticmethod
    def _check(path: Path, src: object, prop: str) -> None:
        dtype = src.dtypes[0]  # type: ignore[attr-defined]
        if dtype != "int16":
            raise DataSourceError(
                f"soilgrids: {path.name} is {dtype}; SoilGrids files are int16 in mapped units "
                f"({PROPERTIES[prop][0]} for {prop}). Use the file as downloaded; aez applies "
                "the scale itself."
            )
        scale = src.scales[0]  # type: ignore[attr-defined]
        offset = src.offsets[0]  # type: ignore[attr-defined]
        if scale != 1.0 or offset != 0.0:
            raise DataSourceError(
                f"soilgrids: {path.name} carries scale {scale} / offset {offset}; SoilGrids "
                "files have none (aez divides by the documented factor). Remove them."
            )
        if src.crs is None:  # type: ignore[attr-defined]
            raise DataSourceError(
                f"soilgrids: {path.name} has no CRS; SoilGrids files are in the Homolosine "
                f"projection ({HOMOLOSINE_PROJ})."
            )

    # -- outputs ------------------------------------------------------------------------------

    def _layers(self, prop: str) -> list[tuple[float, float]]:
        return sorted(self._files.get(prop, {}))

    def outputs(self) -> dict[str, Output]:
        """Return the characteristics whose properties were given for the depth range."""
        out = {}
        for name, props in NEEDS.items():
            if all(self._covers(p) for p in props):
                out[name] = canonical_output(
                    name, f"SoilGrids {'+'.join(props)}, {self.top:g}-{self.bottom:g} cm")
        return out

    def _covers(self, prop: str) -> bool:
        try:
            depth_weights(self._layers(prop), self.top, self.bottom, source=self.source)
        except DataSourceError:
            return False
        return True

    def inputs(self) -> list[Path]:
        """Every file given (of the chosen statistic)."""
        return sorted(p for layers in self._files.values() for p in layers.values())

    def property_mean(self, prop: str, window: Window) -> np.ndarray:
        """Thickness-weighted mean of a property over the depth range, in conventional units."""
        if prop not in self._files:
            raise DataSourceError(
                f"soilgrids: no {prop}_*cm file among the inputs; it is needed here. Add "
                f"{prop}_0-5cm_mean.tif and the other depths."
            )
        weights = depth_weights(self._layers(prop), self.top, self.bottom, source=self.source)
        total: np.ndarray | None = None
        for layer, weight in weights.items():
            raw, nodata = read_band(self._files[prop][layer], window)
            nodata = NODATA if nodata is None or math.isnan(nodata) else nodata
            part = as_float(raw, nodata) * weight
            total = part if total is None else total + part
        assert total is not None  # weights is never empty
        return total / PROPERTIES[prop][1]

    def read(self, name: str, window: Window) -> np.ndarray:
        """Canonical values of one characteristic on a window of the SoilGrids grid."""
        self.output(name)
        if name == "ph_h2o":
            values = self.property_mean("phh2o", window)
        elif name == "c_organic":
            values = self.property_mean("soc", window) / 10.0
        elif name == "coarse_fragments":
            values = self.property_mean("cfvo", window)
        elif name == "n_total":
            values = self.property_mean("nitrogen", window) / 10.0
        elif name == "cec_clay":
            cec = self.property_mean("cec", window)
            clay = self.property_mean("clay", window)
            with np.errstate(divide="ignore", invalid="ignore"):
                values = np.where(clay > 0, cec * 100.0 / np.where(clay > 0, clay, 1.0), np.nan)
        else:  # texture
            usda = usda_texture(self.property_mean("sand", window),
                                self.property_mean("silt", window),
                                self.property_mean("clay", window))
            classes = characteristic("texture").classes or ()
            codes = bbsdlp_texture_codes(usda, classes)
            return np.where(usda > 0, codes, CATEGORICAL_NODATA).astype(np.int32)
        return values.astype(np.float32)
