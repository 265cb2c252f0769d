"""``aez sources fetch``: download a study area's window from the providers' endpoints.

An optional outer layer: no stage calls it, and every run works from files
on disk. The endpoint URLs are settings (``endpoints.toml`` beside this
module, overridable with a file of the same keys), not constants in code.

- **SoilGrids**: the global VRT of each property and depth is read over HTTP
  range requests (GDAL ``/vsicurl/``), and only the window of the study area
  is written, as ``PROPERTY_DEPTH_STAT.tif`` in SoilGrids' own grid, int16
  mapped units and nodata.
- **CHIRPS**: each monthly ``.tif.gz`` is downloaded whole (a gzip cannot be
  read in parts), checked, clipped to the window and written as
  ``chirps-v2.0.YYYY.MM.tif``. Downloads resume after an interruption
  (HTTP ``Range``) and are checked against the announced size.
- **WorldClim**: each month of the variable's zip is read over HTTP range
  requests (``/vsizip//vsicurl/``) and written clipped, under its own name.

Every failure is one line naming the URL tried.
"""

from __future__ import annotations

import http.client
import logging
import os
import shutil
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

import numpy as np
import rasterio
from pyproj import Transformer
from rasterio.errors import RasterioIOError

from aez.errors import ConfigError, DataSourceError
from aez.sources.files import NativeGrid
from aez.sources.monthly import parse_years

__all__ = ["ENDPOINTS", "download", "fetch_source", "load_endpoints"]

log = logging.getLogger(__name__)

#: The shipped endpoint settings.
ENDPOINTS = Path(__file__).with_name("endpoints.toml")
#: Native cells kept around the study area in fetched windows.
MARGIN_CELLS = 3
_CHUNK = 1 << 16


def load_endpoints(path: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """Return the endpoint settings: the shipped ones, overlaid by ``path``.

    Without ``path``, a file named by $AEZ_SOURCES_ENDPOINTS overlays them.


    >>> load_endpoints()["chirps"]["url"].endswith("chirps-v2.0.{year}.{month:02d}.tif.gz")
    True
    """
    settings = tomllib.loads(ENDPOINTS.read_text(encoding="utf-8"))
    override = path or os.environ.get("AEZ_SOURCES_ENDPOINTS")
    if override:
        try:
            user = tomllib.loads(Path(override).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"Cannot read the endpoint settings {override}: {exc}.") from exc
        for source, table in user.items():
            if source not in settings or not isinstance(table, dict):
                raise ConfigError(
                    f"Endpoint settings {override}: [{source}] is not a source aez fetches "
                    f"({', '.join(settings)})."
                )
            settings[source] = {**settings[source], **table}
    return settings


def _reason(exc: BaseException) -> str:
    if isinstance(exc, HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, URLError):
        return str(exc.reason)
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def download(url: str, dest: str | Path, *, retries: int = 2, timeout: float = 60.0) -> Path:
    """Download ``url`` to ``dest``, resuming after interruptions; check the announced size.

    The file is written as ``dest.part`` and renamed when complete.

    Raises
    ------
    DataSourceError
        One line with the URL: an HTTP error (404 …), no network, or a file
        still shorter or longer than announced after ``retries`` resumptions.
    """
    dest = Path(dest)
    part = dest.with_name(dest.name + ".part")
    expected: int | None = None
    size = 0
    for _ in range(retries + 1):
        have = part.stat().st_size if part.exists() else 0
        headers = {"Range": f"bytes={have}-"} if have else {}
        try:
            response = urlopen(Request(url, headers=headers), timeout=timeout)
        except HTTPError as exc:
            part.unlink(missing_ok=True)
            raise DataSourceError(f"Cannot download {url}: {_reason(exc)}.") from exc
        except OSError as exc:  # URLError: no network, refused, unknown host
            part.unlink(missing_ok=True)
            raise DataSourceError(
                f"Cannot download {url}: {_reason(exc)}. Check the network, or download the "
                "file yourself and use aez sources import."
            ) from exc
        length = response.headers.get("Content-Length")
        resumed = bool(have) and response.status == 206
        expected = (int(length) + (have if resumed else 0)) if length else None
        try:
            with response, part.open("ab" if resumed else "wb") as out:
                while chunk := response.read(_CHUNK):
                    out.write(chunk)
        except (http.client.HTTPException, OSError) as exc:
            log.info("Download of %s interrupted (%s); resuming", url, _reason(exc))
        size = part.stat().st_size
        if expected is None or size == expected:
            part.replace(dest)
            return dest
        if size > expected:
            break
        log.info("Download of %s stopped at %d of %d bytes; resuming", url, size, expected)
    part.unlink(missing_ok=True)
    raise DataSourceError(
        f"Cannot download {url}: got {size} bytes where the server announced {expected}, "
        f"after {retries + 1} tries."
    )


def _window_of(src: Any, bounds: tuple[float, float, float, float]) -> Any:
    """Return the window of ``src`` over lon/lat ``bounds`` plus a margin."""
    grid = NativeGrid(src.crs, src.transform, src.width, src.height)
    if src.crs.to_epsg() == 4326:
        native = bounds
    else:
        to = Transformer.from_crs("EPSG:4326", src.crs.to_wkt(), always_xy=True)
        lons = np.linspace(bounds[0], bounds[2], 21)
        lats = np.linspace(bounds[1], bounds[3], 21)
        x, y = to.transform(*np.meshgrid(lons, lats))
        native = (float(np.min(x)), float(np.min(y)), float(np.max(x)), float(np.max(y)))
    window = grid.clip(native, pad=MARGIN_CELLS)
    if window is None:
        raise DataSourceError(f"{src.name} does not cover the study area {bounds}.")
    return window


def _write_window(gdal_path: str, url: str, bounds: tuple[float, float, float, float],
                  dest: Path) -> Path:
    """Read the study area's window of a (remote) raster and write it as a GeoTIFF."""
    try:
        with rasterio.open(gdal_path) as src:
            window = _window_of(src, bounds)
            data = src.read(1, window=window)
            profile = {"driver": "GTiff", "width": data.shape[1], "height": data.shape[0],
                       "count": 1, "dtype": src.dtypes[0], "crs": src.crs,
                       "transform": NativeGrid(src.crs, src.transform, src.width,
                                               src.height).window_transform(window),
                       "nodata": src.nodata,
                       "compress": "deflate", "tiled": True}
    except RasterioIOError as exc:
        raise DataSourceError(f"Cannot read {url}: {_reason(exc)}.") from exc
    tmp = dest.with_name(f".{dest.name}.partial")
    with rasterio.open(tmp, "w", **profile) as dst:
        dst.write(data, 1)
    tmp.replace(dest)
    return dest


def fetch_source(source: str, bounds: tuple[float, float, float, float], to: str | Path, *,
                 years: str | None = None, endpoints: str | Path | None = None,
                 properties: Sequence[str] | None = None,
                 depths: Sequence[str] | None = None) -> list[Path]:
    """Fetch the window ``bounds`` (lon/lat degrees) of ``source`` into the folder ``to``.

    Returns the files written, named as the provider names them.
    """
    settings = load_endpoints(endpoints)
    if source not in settings:
        raise ConfigError(f"aez fetches {', '.join(settings)}, not {source!r}.")
    conf = settings[source]
    folder = Path(to)
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    if source == "soilgrids":
        statistic = conf.get("statistic", "mean")
        for prop in properties or conf["properties"]:
            for depth in depths or conf["depths"]:
                url = conf["url"].format(property=prop, depth=depth, statistic=statistic)
                dest = folder / f"{prop}_{depth}_{statistic}.tif"
                files.append(_write_window(f"/vsicurl/{url}", url, bounds, dest))
                log.info("Fetched %s", dest)
    elif source == "chirps":
        first, last = parse_years(years or conf.get("years")) or (2010, 2019)
        downloads = folder / ".downloads"
        downloads.mkdir(exist_ok=True)
        try:
            for year in range(first, last + 1):
                for month in range(1, 13):
                    url = conf["url"].format(year=year, month=month)
                    name = f"chirps-v2.0.{year}.{month:02d}.tif"
                    packed = download(url, downloads / f"{name}.gz")
                    files.append(_write_window(f"/vsigzip/{packed}", url, bounds,
                                               folder / name))
                    packed.unlink()
        finally:
            shutil.rmtree(downloads, ignore_errors=True)
    else:
        res = conf.get("res", "30s")
        for variable in conf.get("variables", ["prec", "tavg"]):
            url = conf["url"].format(res=res, variable=variable)
            for month in range(1, 13):
                member = conf["member"].format(res=res, variable=variable, month=month)
                files.append(_write_window(f"/vsizip//vsicurl/{url}/{member}", f"{url} ({member})",
                                           bounds, folder / member))
    return files
