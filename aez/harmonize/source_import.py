"""``aez sources import``: a source's files in, canonical GeoTIFFs and a layers.toml fragment out.

:func:`import_source` reads a source in its native layout (:mod:`aez.sources`),
converts it to canonical characteristics (climate indices through
:mod:`aez.derive.climate`), clips it to the study area with a margin of a few
native cells, and writes into one folder:

- one GeoTIFF per output, named by characteristic (``ph_h2o.tif``,
  ``texture.tif``, ``rainfall.tif``, ``dry_months.tif`` …) on the source's
  own grid, with units, kind and legend tags (GDAL block by block, so memory
  depends on the block, not on the area);
- for DEM tiles, ``elevation.vrt``: a virtual mosaic of the tiles where
  they are, not a copy;
- for SPT maps, ``land_units.gpkg`` with one canonical column per
  characteristic;
- ``layers.toml``: the ``[layers.*]`` tables that read these files, to paste
  into a run config (merged with the tables already there).

Nothing is written outside the folder. With the analysis grid of a run
config, the clip is :func:`~aez.harmonize.provided.study_window`: the cells a
run that names the source directly (``source = "…"``) reads, so the two
give the same bytes.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import tomli_w
from affine import Affine
from rasterio.windows import Window
from shapely import box

from aez.errors import ConfigError, DataSourceError
from aez.grid import Grid, Tile, as_crs
from aez.harmonize.provided import (
    MARGIN_CELLS,
    Provided,
    native_bounds,
    open_provided,
    provided_outputs,
    study_window,
)
from aez.io.atomic import atomic_output
from aez.io.write import RasterSink
from aez.layer import CATEGORICAL_NODATA
from aez.sources import open_reader, source_info
from aez.sources.files import NativeGrid

__all__ = ["ImportResult", "import_source"]

log = logging.getLogger(__name__)

#: Rows of native cells converted and written at a time.
STRIP_ROWS = 256
#: The layer name a source's output gets in the fragment, where it differs from the output.
LAYER_NAMES = {"elevation": "dem"}


@dataclass
class ImportResult:
    """What an import wrote."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    layers: dict[str, dict[str, Any]] = field(default_factory=dict)
    fragment: Path | None = None


@dataclass(frozen=True)
class _Area:
    """The study area: the analysis grid of a config, or bounds in a CRS (or neither)."""

    grid: Grid | None = None
    bounds: tuple[float, float, float, float] | None = None
    crs: Any = None

    @classmethod
    def of(cls, grid: Grid | None, bounds: Sequence[float] | None, crs: Any) -> _Area:
        if grid is not None:
            return cls(grid, tuple(grid.bounds), grid.crs)  # type: ignore[arg-type]
        if bounds is None:
            return cls()
        if crs is None:
            raise ConfigError("--bounds needs --crs (e.g. --crs EPSG:4326).")
        box_ = tuple(float(v) for v in bounds)
        if len(box_) != 4 or not (box_[2] > box_[0] and box_[3] > box_[1]):
            raise ConfigError(f"--bounds {tuple(bounds)}: expected LEFT BOTTOM RIGHT TOP.")
        return cls(None, box_, as_crs(crs))  # type: ignore[arg-type]

    def window(self, native: NativeGrid) -> Window:
        """Return the native cells to write: the area plus a margin (all without an area)."""
        if self.bounds is None:
            return Window(0, 0, native.width, native.height)
        if self.grid is not None:
            window = study_window(native, self.grid)
        else:
            window = native.clip(native_bounds(self.crs, self.bounds, native), pad=MARGIN_CELLS)
        if window is None:
            raise DataSourceError(
                "The source's files do not reach the study area; download them for its extent."
            )
        return window


def _inside(folder: Path, name: str) -> Path:
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise ConfigError(f"Import output {name!r} would leave the folder {folder}.")
    return path


def import_source(
    source: str,
    inputs: Iterable[str | Path],
    to: str | Path,
    *,
    grid: Grid | None = None,
    bounds: Sequence[float] | None = None,
    crs: Any = None,
    only: Sequence[str] | None = None,
    overwrite: bool = False,
    **options: Any,
) -> ImportResult:
    """Import a source's files into canonical files in ``to``.

    Parameters
    ----------
    source : str
        ``soilgrids``, ``hwsd``, ``spt``, ``dem``, ``chirps`` or ``worldclim``.
    inputs : iterable of paths
        The source's files, folders or patterns.
    to : path
        Output folder (created if missing). Nothing is written outside it.
    grid : Grid, optional
        The analysis grid of a run config: clip to its extent.
    bounds, crs : optional
        Or clip to these bounds (LEFT, BOTTOM, RIGHT, TOP) in ``crs``.
    only : sequence of str, optional
        Outputs to write (default: every output the files give).
    overwrite : bool
        Replace existing outputs.
    **options
        The source's options: ``depth``, ``statistic``, ``years``,
        ``aggregate``, ``profile``, ``layer``.

    Returns
    -------
    ImportResult
    """
    source_info(source)
    folder = Path(to)
    folder.mkdir(parents=True, exist_ok=True)
    area = _Area.of(grid, bounds, crs)
    paths = [Path(p) for p in inputs]
    result = ImportResult(folder)
    if source == "spt":
        _import_spt(paths, folder, area, only, overwrite, result, **options)
    elif source == "dem":
        _import_dem(paths, folder, area, overwrite, result)
    else:
        reader = open_reader(source, paths, **options)
        outputs = provided_outputs(reader)
        names = list(outputs) if not only else list(only)
        for name in names:
            provided = open_provided(source, name, paths, reader=reader)
            path = _inside(folder, f"{name}.tif")
            _write_raster(provided, path, area, overwrite)
            result.files.append(path)
            result.layers[LAYER_NAMES.get(name, name)] = _table(provided.output, path.name, name)
    result.fragment = _write_fragment(folder, result.layers)
    return result


def _write_raster(provided: Provided, path: Path, area: _Area, overwrite: bool) -> None:
    native = provided.grid
    clip = area.window(native)
    out = provided.output
    categorical = out.kind == "categorical"
    grid = Grid(native.crs, native.window_transform(clip), (int(clip.height), int(clip.width)))
    dtype = np.int32 if categorical else np.float32
    tags = {"AEZ_SOURCE": provided.source, "AEZ_SOURCE_FILES": len(provided.inputs())}
    with RasterSink(path, grid, name=out.name, dtype=dtype, kind=out.kind, units=out.units,
                    nodata=CATEGORICAL_NODATA if categorical else None, legend=out.legend,
                    tags=tags, overwrite=overwrite, inputs=provided.inputs()) as sink:
        for row in range(0, grid.height, STRIP_ROWS):
            height = min(STRIP_ROWS, grid.height - row)
            strip = Window(clip.col_off, clip.row_off + row, clip.width, height)
            sink.write(Tile((row, 0), row, 0, height, grid.width), provided.read(strip))
    log.info("Wrote %s (%d × %d cells)", path, grid.height, grid.width)


def _import_dem(inputs: list[Path], folder: Path, area: _Area, overwrite: bool,
                result: ImportResult) -> None:
    from aez.sources.dem import DemTiles, tiles_crs

    need = None
    if area.bounds is not None:
        tiles = NativeGrid(tiles_crs(inputs), Affine.identity(), 1, 1)
        need = native_bounds(area.crs, area.bounds, tiles)
    reader = DemTiles(inputs, bounds=need)
    path = _inside(folder, "elevation.vrt")
    with atomic_output(path, overwrite=overwrite, inputs=reader.inputs()) as tmp:
        tmp.write_text(reader.vrt, encoding="utf-8")
    result.files.append(path)
    output = reader.output("elevation")
    result.layers["dem"] = _table(output, path.name, "elevation")


def _import_spt(inputs: list[Path], folder: Path, area: _Area,
                only: Sequence[str] | None, overwrite: bool, result: ImportResult,
                **options: Any) -> None:
    from aez.sources.spt import read_spt

    extra = sorted(set(options) - {"profile", "layer"})
    if extra:
        raise ConfigError(f"Source 'spt' has no option {extra[0]!r}; its options are profile, "
                          "layer.")
    frame, outputs = read_spt(inputs, profile=options.get("profile"), layer=options.get("layer"))
    if only:
        outputs = {k: v for k, v in outputs.items() if k in only}
        frame = frame[[*outputs, "geometry"]]
    if area.bounds is not None:
        left, bottom, right, top = area.bounds
        pad = 0.05 * max(right - left, top - bottom)
        outline = box(left - pad, bottom - pad, right + pad, top + pad)
        outline_src = gpd.GeoSeries([outline], crs=area.crs.to_wkt()).to_crs(frame.crs)
        frame = frame[frame.intersects(outline_src.iloc[0])]
    path = _inside(folder, "land_units.gpkg")
    with atomic_output(path, overwrite=overwrite, inputs=inputs) as tmp:
        frame.to_file(tmp, layer="land_units", driver="GPKG")
    result.files.append(path)
    for name, output in outputs.items():
        table = _table(output, path.name, name)
        table["attribute"] = name
        result.layers[name] = table


def _table(output: Any, path: str, role: str) -> dict[str, Any]:
    table: dict[str, Any] = {"path": path, "kind": output.kind}
    if output.units:
        table["units"] = output.units
    if output.legend:
        table["legend"] = {str(k): v for k, v in output.legend.items()}
    table["role"] = role
    return table


def _write_fragment(folder: Path, layers: dict[str, dict[str, Any]]) -> Path:
    """Write (or merge into) ``layers.toml`` in ``folder``."""
    path = _inside(folder, "layers.toml")
    existing: dict[str, Any] = {}
    if path.exists():
        try:
            existing = tomllib.loads(path.read_text(encoding="utf-8")).get("layers", {})
        except tomllib.TOMLDecodeError as exc:
            raise DataSourceError(f"{path} is not valid TOML ({exc}); remove it and import "
                                  "again.") from exc
    merged = {**existing, **layers}
    header = ("# [layers.*] tables written by `aez sources import`: paste them into a run\n"
              "# config, with paths relative to the config (or leave this folder beside it).\n\n")
    with atomic_output(path, overwrite=True) as tmp:
        tmp.write_text(header + tomli_w.dumps({"layers": merged}), encoding="utf-8")
    return path
