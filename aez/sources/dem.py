"""Elevation from DEM tiles: DEMNAS, SRTM ``.hgt`` and Copernicus GLO-30, mosaicked as a VRT.

Native layouts:

- **DEMNAS** (Badan Informasi Geospasial, *DEMNAS: Seamless Digital
  Elevation Model dan Batimetri Nasional*, tanahair.indonesia.go.id): GeoTIFF
  tiles such as ``DEMNAS_2507-21_v1.0.tif``, float32 metres above EGM2008, 0.27″
  in geographic WGS 84.
- **SRTM** (NASA JPL 2013, *NASA Shuttle Radar Topography Mission Global 1
  arc second*, SRTMGL1 v003): 1°×1° tiles named by their south-west corner,
  ``S09E122.hgt`` (also zipped as ``S09E122.SRTMGL1.hgt.zip``), big-endian
  int16 metres, 3601×3601 cells (1″) or 1201×1201 (3″) whose edge rows and
  columns repeat the neighbours'; −32768 marks voids.
- **Copernicus GLO-30** (ESA 2021, *Copernicus DEM product handbook*): 1°×1°
  Cloud-Optimized GeoTIFF tiles ``Copernicus_DSM_COG_10_S09_00_E122_00_DEM.tif``,
  float32 metres above EGM2008, 1″ in latitude.

:func:`dem_mosaic` checks that the tiles share one CRS, cell size and cell
alignment and that no tile is missing inside the area asked for, then writes
a GDAL VRT (XML) that references the tiles where they are: a virtual
mosaic, not a copy. Each tile's own nodata (voids) stays nodata in the
mosaic; where tiles overlap (SRTM's shared edges) a void in one tile is
filled from its neighbour. Elevation feeds the slope, aspect, relief and
Braak temperature derivations unchanged (``role = "elevation"``).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
from affine import Affine
from rasterio.crs import CRS
from rasterio.windows import Window

from aez.errors import DataSourceError
from aez.io.raster import open_raster
from aez.sources.base import Output, RasterReader
from aez.sources.files import NativeGrid, as_float, expand_inputs

__all__ = ["DemTiles", "dem_mosaic", "tiles_crs"]

_ZIPPED_HGT = re.compile(r"^(?P<tile>[NS]\d{2}[EW]\d{3})(?:\.SRTMGL[13])?\.hgt\.zip$", re.I)
_GDAL_TYPES = {
    "uint8": "Byte", "int16": "Int16", "uint16": "UInt16", "int32": "Int32",
    "uint32": "UInt32", "float32": "Float32", "float64": "Float64",
}


@dataclass(frozen=True)
class _Tile:
    path: str
    width: int
    height: int
    transform: Affine
    nodata: float | None


def _gdal_path(path: Path) -> str:
    match = _ZIPPED_HGT.match(path.name)
    if match:
        return f"/vsizip/{path}/{match.group('tile')}.hgt"
    return str(path)


def dem_mosaic(inputs: Iterable[str | Path], *,
               bounds: tuple[float, float, float, float] | None = None) -> str:
    """Return the VRT (XML text) of a mosaic of DEM tiles; check alignment and gaps.

    Parameters
    ----------
    inputs : iterable of paths
        Tiles: files, folders or patterns (``dem/*.hgt``, ``demnas/*.tif``).
    bounds : (left, bottom, right, top), optional
        Area (in the tiles' CRS) that must be covered; default the tiles'
        bounding box, which then must have no hole.

    Raises
    ------
    DataSourceError
        For tiles in different CRSs, cell sizes, data types or misaligned
        cells, or a gap: part of the area that no tile covers.
    """
    paths = expand_inputs(inputs, source="dem", suffixes=(".tif", ".tiff", ".hgt", ".hgt.zip"))
    tiles: list[_Tile] = []
    crs: CRS | None = None
    dtype = ""
    for path in paths:
        with open_raster(_gdal_path(path)) as src:
            if src.crs is None:
                raise DataSourceError(f"dem: tile {path.name} has no CRS.")
            if crs is None:
                crs, dtype, res = src.crs, src.dtypes[0], src.res
            elif src.crs != crs or src.dtypes[0] != dtype or not np.allclose(
                    src.res, res, rtol=1e-9, atol=0):
                raise DataSourceError(
                    f"dem: tile {path.name} ({src.crs}, {src.dtypes[0]}, {src.res}) differs from "
                    f"the first tile ({crs}, {dtype}, {res}); a mosaic needs one CRS, data type "
                    "and cell size."
                )
            tiles.append(_Tile(_gdal_path(path), src.width, src.height, src.transform,
                               src.nodatavals[0]))
    if crs is None:
        raise DataSourceError("dem: no DEM tile among the inputs.")
    origin = tiles[0].transform
    dx, dy = origin.a, origin.e
    lefts = [t.transform.c for t in tiles]
    tops = [t.transform.f for t in tiles]
    left, top = min(lefts), max(tops)
    right = max(t.transform.c + dx * t.width for t in tiles)
    bottom = min(t.transform.f + dy * t.height for t in tiles)
    placed = []
    for tile in tiles:
        col = (tile.transform.c - left) / dx
        row = (tile.transform.f - top) / dy
        if abs(col - round(col)) > 1e-3 or abs(row - round(row)) > 1e-3:
            raise DataSourceError(
                f"dem: tile {Path(tile.path).name} is not aligned with the cells of the others "
                f"(offset of {col % 1:.3f}, {row % 1:.3f} cells); resample it onto their grid."
            )
        placed.append((tile, round(col), round(row)))
    _check_gaps(tiles, bounds or (left, bottom, right, top))
    width = round((right - left) / dx)
    height = round((bottom - top) / dy)
    nodata = next((t.nodata for t in tiles if t.nodata is not None), None)
    band = [f'<VRTRasterBand dataType="{_GDAL_TYPES.get(dtype, "Float32")}" band="1">']
    if nodata is not None:
        band.append(f"<NoDataValue>{_number(nodata)}</NoDataValue>")
    # A tile's voids (its NODATA) never overwrite a neighbour's data on their shared edges.
    for tile, col, row in placed:
        src_nodata = f"<NODATA>{_number(tile.nodata)}</NODATA>" if tile.nodata is not None else ""
        band.append(
            f"<ComplexSource><SourceFilename relativeToVRT=\"0\" shared=\"0\">{escape(tile.path)}"
            f"</SourceFilename><SourceBand>1</SourceBand>"
            f"<SrcRect xOff=\"0\" yOff=\"0\" xSize=\"{tile.width}\" ySize=\"{tile.height}\"/>"
            f"<DstRect xOff=\"{col}\" yOff=\"{row}\" xSize=\"{tile.width}\" "
            f"ySize=\"{tile.height}\"/>{src_nodata}</ComplexSource>"
        )
    band.append("</VRTRasterBand>")
    geo = ", ".join(repr(v) for v in (left, dx, 0.0, top, 0.0, dy))
    return (
        f'<VRTDataset rasterXSize="{width}" rasterYSize="{height}">\n'
        f"  <SRS>{escape(crs.to_wkt())}</SRS>\n"
        f"  <GeoTransform>{geo}</GeoTransform>\n  " + "\n  ".join(band) + "\n</VRTDataset>\n"
    )


def _number(value: float | None) -> str:
    return repr(int(value)) if value is not None and float(value).is_integer() else repr(value)


def _check_gaps(tiles: list[_Tile], area: tuple[float, float, float, float]) -> None:
    """Raise when part of ``area`` is covered by no tile."""
    rects = [(t.transform.c, t.transform.f + t.transform.e * t.height,
              t.transform.c + t.transform.a * t.width, t.transform.f) for t in tiles]
    xs = sorted({area[0], area[2], *[v for r in rects for v in (r[0], r[2])
                                      if area[0] < v < area[2]]})
    ys = sorted({area[1], area[3], *[v for r in rects for v in (r[1], r[3])
                                      if area[1] < v < area[3]]})
    for x0, x1 in itertools.pairwise(xs):
        for y0, y1 in itertools.pairwise(ys):
            if x1 - x0 <= 1e-9 or y1 - y0 <= 1e-9:
                continue
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            if not any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in rects):
                raise DataSourceError(
                    f"dem: the tiles leave a gap: no tile covers x {x0:.4f}–{x1:.4f}, "
                    f"y {y0:.4f}–{y1:.4f} (e.g. the 1° tile {_tile_name(cx, cy)}). Add the "
                    "missing tile."
                )


def _tile_name(lon: float, lat: float) -> str:
    la, lo = math.floor(lat + 1e-9), math.floor(lon + 1e-9)
    return f"{'N' if la >= 0 else 'S'}{abs(la):02d}{'E' if lo >= 0 else 'W'}{abs(lo):03d}"


class DemTiles(RasterReader):
    """DEM tiles read through their VRT mosaic: the ``elevation`` output, in metres.

    Parameters
    ----------
    inputs : iterable of paths
    bounds : (left, bottom, right, top), optional
        Area (tile CRS) that the tiles must cover without a gap.
    """

    source = "dem"

    def __init__(self, inputs: Iterable[str | Path], *,
                 bounds: tuple[float, float, float, float] | None = None) -> None:
        self._inputs = list(inputs)
        self.vrt = dem_mosaic(self._inputs, bounds=bounds)
        with open_raster_xml(self.vrt) as src:
            self.grid = NativeGrid(src.crs, src.transform, src.width, src.height)
            self._nodata = src.nodatavals[0]

    def outputs(self) -> dict[str, Output]:
        """Elevation (m)."""
        return {"elevation": Output("elevation", "m", description="DEM mosaic")}

    def read(self, name: str, window: Window) -> np.ndarray:
        """Elevation (float32, NaN for voids) on a window of the mosaic."""
        self.output(name)
        with open_raster_xml(self.vrt) as src:
            raw = src.read(1, window=window)
        return as_float(raw, self._nodata).astype(np.float32)

    def inputs(self) -> list[Path]:
        """Return the tiles."""
        return expand_inputs(self._inputs, source="dem")


def open_raster_xml(vrt: str):  # type: ignore[no-untyped-def]
    """Open a VRT given as XML text (GDAL reads it without a file)."""
    import rasterio

    try:
        return rasterio.open(vrt)
    except Exception as exc:
        raise DataSourceError(f"dem: cannot open the tile mosaic: {exc}") from exc


def tiles_crs(inputs: Iterable[str | Path]) -> CRS:
    """Return the CRS of the first DEM tile (to place a study area in it)."""
    paths = expand_inputs(inputs, source="dem", suffixes=(".tif", ".tiff", ".hgt", ".hgt.zip"))
    with open_raster(_gdal_path(paths[0])) as src:
        if src.crs is None:
            raise DataSourceError(f"dem: tile {paths[0].name} has no CRS.")
        return src.crs
