"""The suitability stage: evaluate every crop tile by tile, write rasters, count per district.

One pass over the tiles reads each input once and evaluates all crops, so
memory depends on the tile size (and one tile's outputs per crop), not on
the region. For each crop it writes, in ``outdir``:

=========================  ======  ==========================================
file                       dtype   content
=========================  ======  ==========================================
``<crop>_class.tif``       uint8   actual class (0 nodata, 1–4 S1–N, 5 X, 6 unknown),
                                  with a colour table (S1 green … N red)
``<crop>_potential.tif``   uint8   class after feasible improvements
``<crop>_subclass.tif``    uint16  limiting-quality bit mask (65535 nodata)
``<crop>_index.tif``       uint8   suitability index 0–1 in steps of
                                  :data:`INDEX_STEP` (0.005): stored 0–200,
                                  GDAL scale 0.005 and offset 0, 255 nodata
=========================  ======  ==========================================

The index raster stores round(index / 0.005), so a value read back with its
scale (QGIS does this itself) is within 0.0025 of the computed index; the
per-district index sums are taken from the unrounded index. One byte per cell
compresses several times faster than float32 and to a fraction of its size.
All four are written with ZSTD at level 1 and a predictor (Cloud-Optimized
GeoTIFFs with overviews when ``cog``), about a third of DEFLATE's time.

and adds up, per district (kecamatan) and crop, integer histograms that
:func:`aez.zonal.district_summary` turns into hectares: cell counts and areas
per class (:func:`aez.zonal.class_histograms`, all crops in one pass), cells
limited by each quality, and the index sum over rated cells. With
``zonal_means`` it also sums continuous layers (e.g. travel time) per district
and class, so that their mean over the land where a crop is suitable is
known without reading the rasters again. A cell belongs to the district that
contains its centre (the study-area rasterization). Areas are summed in whole
square centimetres per cell (exact in any order; the rounding is below
10⁻⁴ m² per cell), from :meth:`Grid.cell_area`, so they are right on a
geographic grid too; values are summed as integers of value × VALUE_SCALE.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from aez.characteristics import CHARACTERISTICS, QUALITIES
from aez.checks import require_sequence
from aez.config import RunSettings
from aez.crops import CropRequirements
from aez.errors import ConfigError, LayerKindError
from aez.evaluate import (
    CLASS_LABELS,
    S1,
    S2,
    S3,
    UNKNOWN,
    CompiledCrop,
    Observed,
    Suitability,
    compile_crop,
    plan,
)
from aez.evaluate.constraints import Constraint, apply_exclusion, excluded
from aez.evaluate.matching import Aggregation
from aez.evaluate.scenarios import (
    CHANGE_LABELS,
    Scenario,
    class_change,
    scenario_inputs,
)
from aez.executor import ExecutorName, TileResult, gdal_cache, run_tiles
from aez.grid import Tile
from aez.harmonize import LayerStack
from aez.harmonize.spec import DerivedSpec, LayerSpec, ScenarioLayerSpec
from aez.io.write import RasterSink, close_sinks
from aez.render.palette import CLASS_COLOURS, hex_to_rgba
from aez.zonal import area_cm2_rows, class_histograms, class_value_sums

__all__ = ["INDEX_NODATA", "INDEX_SCALE", "INDEX_STEP", "SUBCLASS_NODATA", "VALUE_SCALE",
           "StageOptions", "SuitabilityTotals", "compile_crops", "encode_index", "evaluate_stack"]

log = logging.getLogger(__name__)

#: The index sum is accumulated as integers of index × INDEX_SCALE.
INDEX_SCALE = 1_000_000
#: Layers of ``zonal_means`` are summed as integers of value × VALUE_SCALE (0.001 of a unit).
VALUE_SCALE = 1_000
#: Nodata of the subclass rasters (0 means "no limitation").
SUBCLASS_NODATA = 65535
_N_CLASSES = len(CLASS_LABELS)
#: Distinct subclass masks (one bit per land quality).
_SUBCLASS_VALUES = 1 << len(QUALITIES)


@dataclass(frozen=True)
class SuitabilityTotals:
    """Per-district histograms of one crop (district order = the study area's rows).

    Attributes
    ----------
    cells : (districts, 7) int64
        Cells per class code (0 = nodata … 6 = unknown).
    area_cm2 : (districts, 7) int64
        Area per class code in cm² (divide by 10⁸ for hectares).
    limited_cells : (districts, 12) int64
        Cells whose subclass includes each quality (order of ``QUALITIES``).
        For a cell rated unknown these are the qualities whose input is
        missing, so the cells that a quality limits are
        ``limited_cells - missing_cells``.
    index_sum : (districts,) int64
        Sum of round(index × INDEX_SCALE) over cells with an index.
    index_cells : (districts,) int64
        Cells with an index.
    evaluated, skipped : tuple of str
        Characteristics rated, and those of the table with no input layer.
    paths : mapping of str to Path
        The rasters written (``class``, ``potential``, ``subclass``, ``index``).
    missing_cells : (districts, 12) int64, optional
        Cells rated unknown for want of an input of each quality (None: not
        counted).
    value_sums : mapping of str to (districts, 7) int64
        For each layer of ``zonal_means``: sum of round(value × VALUE_SCALE)
        per district and class code, over cells with a value.
    value_cells : mapping of str to (districts, 7) int64
        Cells with a value, per district and class code.
    subclass_cells : (4096,) int64, optional
        Cells per subclass bit mask (value = mask) over the study area, so the
        limitation combinations that occur are known without reading the raster.
    scenarios : mapping of str to SuitabilityTotals
        Scenario name → the same histograms under that climate scenario; their
        ``paths`` hold the ``change`` raster (gain / same / loss against this
        baseline, :func:`aez.evaluate.scenarios.class_change`).
    """

    crop: str
    cells: NDArray[np.int64]
    area_cm2: NDArray[np.int64]
    limited_cells: NDArray[np.int64]
    index_sum: NDArray[np.int64]
    index_cells: NDArray[np.int64]
    evaluated: tuple[str, ...]
    skipped: tuple[str, ...]
    paths: Mapping[str, Path]
    missing_cells: NDArray[np.int64] | None = None
    value_sums: Mapping[str, NDArray[np.int64]] = field(default_factory=dict)
    value_cells: Mapping[str, NDArray[np.int64]] = field(default_factory=dict)
    subclass_cells: NDArray[np.int64] | None = None
    scenarios: Mapping[str, SuitabilityTotals] = field(default_factory=dict)

    @property
    def hectares(self) -> NDArray[np.float64]:
        """Area per district and class code, in ha."""
        return self.area_cm2 / 1e8

    @property
    def mean_index(self) -> NDArray[np.float64]:
        """Mean index over rated cells, per district (NaN where none)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.index_sum / INDEX_SCALE / self.index_cells

    def mean_value(self, name: str, classes: Sequence[int] = (S1, S2, S3)) -> NDArray[np.float64]:
        """Mean of a ``zonal_means`` layer per district over cells of ``classes``.

        By default over the land where the crop is suitable (S1–S3), in the
        layer's units; NaN where no such cell has a value.
        """
        if name not in self.value_sums:
            raise ConfigError(f"No zonal mean of {name!r} for {self.crop!r}; the stage summed "
                              f"{sorted(self.value_sums) or 'none'}. Pass zonal_means=({name!r},).")
        codes = list(classes)
        total = self.value_sums[name][:, codes].sum(axis=1)
        cells = self.value_cells[name][:, codes].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(cells > 0, total / VALUE_SCALE / cells, np.nan)


@dataclass(frozen=True, kw_only=True)
class StageOptions:
    """How :func:`evaluate_stack` runs and writes its rasters, not what it computes.

    The rasters' bytes and the totals do not depend on ``tile_size``,
    ``executor``, ``workers`` or ``scheduler``. The tile settings are those of
    the config's ``[run]`` table (:class:`aez.config.RunSettings`); see
    :meth:`from_run`.

    Attributes
    ----------
    tile_size : int, default 512
        Side of a tile, in cells.
    executor : {"serial", "threads", "dask"}, default "serial"
        How the tiles run (:func:`aez.executor.run_tiles`).
    workers : int, optional
        Threads or dask workers (default: the executor's).
    scheduler : str, optional
        Address of a running dask scheduler (``tcp://host:8786``).
    overwrite : bool, default False
        Replace rasters that exist (else :class:`~aez.errors.OutputExistsError`).
    cog : bool, default False
        Write Cloud-Optimized GeoTIFFs.
    on_tile : callable, optional
        Called with each :class:`~aez.grid.Tile` as it completes (progress).
    """

    tile_size: int = 512
    executor: ExecutorName = "serial"
    workers: int | None = None
    scheduler: str | None = None
    overwrite: bool = False
    cog: bool = False
    on_tile: Callable[[Tile], None] | None = None

    @classmethod
    def from_run(cls, run: RunSettings, *, overwrite: bool = False, cog: bool = False,
                 on_tile: Callable[[Tile], None] | None = None) -> StageOptions:
        """Options with the tile size, executor, workers and scheduler of a ``[run]`` table.

        Parameters
        ----------
        run : RunSettings
            The config's ``[run]`` table (``config.run``).
        overwrite, cog, on_tile
            As the attributes of the same names.

        Returns
        -------
        StageOptions
        """
        return cls(tile_size=run.tile_size, executor=run.executor, workers=run.workers,
                   scheduler=run.scheduler, overwrite=overwrite, cog=cog, on_tile=on_tile)


def characteristic_layers(stack: LayerStack) -> dict[str, str]:
    """Characteristic id → stack layer that provides it (by ``role``, else by name)."""
    found: dict[str, str] = {}
    specs: dict[str, LayerSpec | DerivedSpec] = {**stack.specs, **stack.derived}
    for name, spec in specs.items():
        role = spec.provides
        if role in CHARACTERISTICS:
            if role in found:
                raise ConfigError(f"Layers {found[role]!r} and {name!r} both provide {role!r}; "
                                  "give one of them another `role`.")
            found[role] = name
    return found


def compile_crops(stack: LayerStack, crops: Sequence[CropRequirements], *,
                  aggregate: Aggregation = "minimum",
                  constraints: Sequence[Constraint] = ()) -> list[CompiledCrop]:
    """Match each crop's table to the stack's layers; check the constraints' layers.

    Warns for characteristics without an input layer and raises
    :class:`~aez.errors.ConfigError` for a crop with none, or a constraint on
    an undeclared layer. Reads no pixels.
    """
    probes = {c: _probe(stack, name) for c, name in characteristic_layers(stack).items()}
    compiled: list[CompiledCrop] = []
    for crop in crops:
        plan(crop, probes)
        compiled.append(compile_crop(crop, probes, aggregate=aggregate))
    for constraint in constraints:
        if constraint.layer not in stack.names:
            raise ConfigError(f"[constraints.{constraint.name}] uses layer "
                              f"{constraint.layer!r}, which is not declared; layers: "
                              f"{', '.join(stack.names)}.")
    return compiled


def evaluate_stack(
    stack: LayerStack,
    crops: Sequence[CropRequirements],
    outdir: str | Path,
    *,
    aggregate: Aggregation = "minimum",
    constraints: Sequence[Constraint] = (),
    zonal_means: Sequence[str] = (),
    scenarios: Sequence[Scenario] = (),
    options: StageOptions | None = None,
) -> dict[str, SuitabilityTotals]:
    """Evaluate ``crops`` over the stack's grid; write rasters; return district totals by crop.

    Parameters
    ----------
    stack : LayerStack
        The inputs, read tile by tile on one grid; layers provide characteristics
        by ``role`` (else by name).
    crops : sequence of CropRequirements
        The crop tables to evaluate, all in one pass over the tiles.
    outdir : str or Path
        Folder of the rasters (``<crop>_class.tif`` …), created if need be.
    aggregate : {"minimum", "geometric_mean", "square_root"}, default "minimum"
        How characteristic indices combine (see :mod:`aez.evaluate.matching`).
    constraints : sequence of Constraint, optional
        Exclusions; their cells become class X (excluded).
    zonal_means : sequence of str, optional
        Continuous layers of the stack (e.g. ``"travel_time"``, in its own
        units) to sum per district and class for every crop; see
        :meth:`SuitabilityTotals.mean_value`.
    scenarios : sequence of Scenario, optional
        Climate scenarios evaluated in the same pass, from the same tile reads
        (:mod:`aez.evaluate.scenarios`); each adds, per crop, the totals in
        :attr:`SuitabilityTotals.scenarios` and a ``<crop>_change_<scenario>.tif``
        raster (1 gain, 2 same, 3 loss, 4 not rated, 0 nodata).
    options : StageOptions, optional
        How it runs and writes: tile size (cells), executor, workers, dask
        scheduler, overwrite, COG, progress callback (default: ``StageOptions()``).

    Returns
    -------
    dict of str to SuitabilityTotals
        Crop id → per-district histograms (areas in cm²) and the raster paths.
    """
    if not isinstance(stack, LayerStack):
        raise ConfigError(f"evaluate_stack: stack is a {type(stack).__name__}; open one with "
                          "aez.LayerStack.from_config(config).")
    crops = require_sequence(crops, what="evaluate_stack: crops",
                             example='aez.load_crops(["jagung"])')
    if not all(isinstance(c, CropRequirements) for c in crops):
        raise ConfigError("evaluate_stack: crops must be loaded tables; use "
                          "aez.load_crops([...]) on the ids.")
    opts = options if options is not None else StageOptions()
    outdir = Path(outdir)
    layer_of = characteristic_layers(stack)
    probes = {c: _probe(stack, name) for c, name in layer_of.items()}
    compiled = compile_crops(stack, crops, aggregate=aggregate, constraints=constraints)
    means = _check_means(stack, zonal_means)
    scenarios = _recounted(stack, scenarios, compiled)
    replaced = _check_scenarios(stack, scenarios, layer_of)
    outdir.mkdir(parents=True, exist_ok=True)
    needed = sorted({layer_of[c] for cc in compiled for c in cc.evaluated}
                    | {c.layer for c in constraints} | set(means) | set(replaced))
    n_crops = len(compiled)
    n_districts = len(stack.study_area.districts) if stack.study_area is not None else 1
    area_rows = area_cm2_rows(stack.grid)
    from aez.evaluate.kernel import match_crops  # numba loads when the stage runs
    from aez.evaluate.scenario_kernel import match_columns, plan_columns

    columns = plan_columns(compiled, scenarios)  # baseline, then each scenario's columns

    def evaluate_tile(tile: Tile) -> TileResult:
        data = stack.read(tile, needed)
        inputs = {c: Observed(data[name].data, probes[c].legend, probes[c].units, name)
                  for c, name in layer_of.items() if name in needed}
        district = data.district if data.district is not None else \
            np.zeros((tile.height, tile.width), dtype=np.int32)
        inside = district >= 0
        cut = excluded(constraints, data.layers, inside.shape)
        area = area_rows[tile.row_off:tile.row_off + tile.height]
        arrays: dict[str, NDArray[Any]] = {}
        totals: dict[str, NDArray[np.int64]] = {}
        for scenario in scenarios:  # more columns: the scenarios' modified characteristics
            inputs.update(scenario_inputs(inputs, scenario, replaced={
                c: data[scenario.key(c)].data for c in scenario.layers}))
        actual = np.empty((len(columns.full), tile.height, tile.width), np.uint8)
        matches = (match_columns(columns, inputs, valid=inside) if scenarios else
                   match_crops(compiled, inputs, valid=inside))
        baseline: list[Suitability] = []
        for i, matched in enumerate(matches):
            result = apply_exclusion(matched, cut, in_place=True)  # the tile's own arrays
            crop, column = compiled[i % n_crops].crop.id, i // n_crops
            key = _key(crop, scenarios, column)
            actual[i] = result.actual
            if column:
                base = baseline[i % n_crops]
                arrays[f"{crop}_change_{scenarios[column - 1].name}"] = class_change(
                    base.actual, result.actual)
                totals.update(_changed_histograms(key, totals, crop, base, result, district,
                                                  n_districts, inside=inside))
                continue
            baseline.append(result)
            arrays[f"{key}_class"] = result.actual
            arrays[f"{key}_potential"] = result.potential
            arrays[f"{key}_subclass"] = np.where(inside, result.subclass,
                                                 np.uint16(SUBCLASS_NODATA))
            arrays[f"{key}_index"] = encode_index(result.index)
            totals.update(_histograms(key, result.actual, result.subclass, result.index,
                                      district, n_districts, include=inside))
        counts = class_histograms(district, actual, n_zones=n_districts, area_cm2=area)
        sums = {name: class_value_sums(district, actual, data[name].data, n_zones=n_districts,
                                       scale=VALUE_SCALE) for name in means}
        for i in range(len(columns.full)):
            key = _key(compiled[i % n_crops].crop.id, scenarios, i // n_crops)
            totals[f"{key}/cells"] = counts.cells[i]
            totals[f"{key}/area_cm2"] = counts.area_cm2[i]
            for name, s in sums.items():
                totals[f"{key}/value_sums/{name}"] = s.sums[i]
                totals[f"{key}/value_cells/{name}"] = s.cells[i]
        return TileResult(arrays=arrays, totals=totals)

    with ExitStack() as stack_ctx:
        sinks: dict[str, RasterSink] = {}
        for cc in compiled:
            for output, spec in _OUTPUTS.items():
                name = f"{cc.crop.id}_{output}"
                sinks[name] = stack_ctx.enter_context(RasterSink(
                    outdir / f"{name}.tif", stack.grid, name=name, overwrite=opts.overwrite,
                    inputs=stack.input_paths, cog=opts.cog,
                    tags={"AEZ_CROP": cc.crop.id,
                          "AEZ_EVALUATED": ",".join(cc.evaluated),
                          "AEZ_SKIPPED": ",".join(cc.skipped),
                          "AEZ_AGGREGATE": aggregate},
                    **spec,
                ))
            for scenario in scenarios:
                name = f"{cc.crop.id}_change_{scenario.name}"
                sinks[name] = stack_ctx.enter_context(RasterSink(
                    outdir / f"{name}.tif", stack.grid, name=name, overwrite=opts.overwrite,
                    inputs=stack.input_paths, cog=opts.cog,
                    tags={"AEZ_CROP": cc.crop.id, "AEZ_SCENARIO": scenario.name},
                    **_CHANGE_OUTPUT))
        totals = run_tiles(evaluate_tile, stack.grid.tiles(opts.tile_size),
                           executor=opts.executor, workers=opts.workers,
                           scheduler=opts.scheduler, sinks=sinks, on_tile=opts.on_tile)
        with gdal_cache():  # compressing a province-wide raster in bounded memory
            close_sinks(sinks.values(), workers=1 if opts.executor == "serial" else
                        opts.workers or os.cpu_count() or 1)
    out: dict[str, SuitabilityTotals] = {}
    for cc in compiled:
        key = cc.crop.id
        out[key] = replace(
            _assemble(totals, cc, key, {o: outdir / f"{key}_{o}.tif" for o in _OUTPUTS},
                      means, n_districts),
            scenarios={s.name: _assemble(
                totals, cc, _key(key, scenarios, j + 1),
                {"change": outdir / f"{key}_change_{s.name}.tif"}, means, n_districts)
                for j, s in enumerate(scenarios)})
    return out


def _key(crop: str, scenarios: Sequence[Scenario], column: int) -> str:
    """Key of a crop's totals: the crop id (baseline, column 0), else ``crop@scenario``."""
    return crop if column == 0 else f"{crop}@{scenarios[column - 1].name}"


def _assemble(totals: Mapping[str, Any], cc: CompiledCrop, key: str,
              paths: Mapping[str, Path], means: Sequence[str],
              n_districts: int) -> SuitabilityTotals:
    """Gather one column's summed tile totals into a :class:`SuitabilityTotals`."""
    per_class = (n_districts, _N_CLASSES)
    per_quality = (n_districts, len(QUALITIES))
    return SuitabilityTotals(
        crop=cc.crop.id,
        cells=_total(totals, f"{key}/cells", per_class),
        area_cm2=_total(totals, f"{key}/area_cm2", per_class),
        limited_cells=_total(totals, f"{key}/limited", per_quality),
        index_sum=_total(totals, f"{key}/index_sum", (n_districts,)),
        index_cells=_total(totals, f"{key}/index_cells", (n_districts,)),
        evaluated=cc.evaluated, skipped=cc.skipped,
        paths=dict(paths),
        missing_cells=_total(totals, f"{key}/missing", per_quality),
        value_sums={m: _total(totals, f"{key}/value_sums/{m}", per_class) for m in means},
        value_cells={m: _total(totals, f"{key}/value_cells/{m}", per_class) for m in means},
        subclass_cells=_total(totals, f"{key}/subclass_cells", (_SUBCLASS_VALUES,)),
    )


def _recounted(stack: LayerStack, scenarios: Sequence[Scenario],
               compiled: Sequence[CompiledCrop]) -> list[Scenario]:
    """Give each scenario the dry months the stack recounts from its monthly rainfall.

    A scenario's ``dry_months@<scenario>`` layer of
    :meth:`LayerStack.from_config <aez.harmonize.LayerStack.from_config>` (a
    :class:`~aez.harmonize.spec.ScenarioLayerSpec`) becomes its ``dry_months``
    replacement layer, when a crop rates dry months.
    """
    rated = any("dry_months" in cc.evaluated for cc in compiled)
    out = []
    for s in scenarios:
        spec = stack.specs.get(s.key("dry_months"))
        if rated and isinstance(spec, ScenarioLayerSpec) and "dry_months" not in s.layers:
            s = replace(s, layers={**s.layers, "dry_months": spec.path})
        out.append(s)
    return out


def _check_scenarios(stack: LayerStack, scenarios: Sequence[Scenario],
                     layer_of: Mapping[str, str]) -> list[str]:
    """Check that each scenario's changes have inputs; return its replacement layers' names."""
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ConfigError(f"Scenario names repeat: {names}; give each [scenarios.NAME] "
                          "its own name.")
    replaced: list[str] = []
    for s in scenarios:
        for char in sorted(s.changed - set(s.layers)):
            if char not in layer_of:
                raise ConfigError(f"[scenarios.{s.name}] changes {char!r}, but no layer "
                                  f"provides it; declare a [layers.{char}] (temperature can "
                                  "come from the DEM with method = \"braak\").")
        for char in s.layers:
            if s.key(char) not in stack.names:
                raise ConfigError(f"[scenarios.{s.name}] layers.{char} is not in the stack "
                                  f"(layer {s.key(char)!r}); open the stack with "
                                  "LayerStack.from_config of the config that declares it.")
            replaced.append(s.key(char))
    return replaced


def _check_means(stack: LayerStack, names: Sequence[str]) -> list[str]:
    """Check the ``zonal_means`` layers: declared in the stack, continuous, each once."""
    if isinstance(names, str):
        raise ConfigError(f"zonal_means = {names!r}; give a sequence of layer names, "
                          f"e.g. ({names!r},).")
    for name in names:
        if name not in stack.names:
            raise ConfigError(f"zonal_means names layer {name!r}, which is not declared; "
                              f"layers: {', '.join(stack.names)}.")
        spec = stack.specs[name] if name in stack.specs else stack.derived[name]
        if spec.kind != "continuous":
            raise LayerKindError(f"zonal_means: layer {name!r} is categorical; a mean needs a "
                                 "continuous layer (e.g. travel_time in minutes).")
    return list(dict.fromkeys(names))


#: Step of the stored index (the GDAL scale of ``<crop>_index.tif``): 0–1 in 200 steps.
INDEX_STEP = 0.005
#: Stored value of a cell without an index.
INDEX_NODATA = 255


def encode_index(index: NDArray[np.floating]) -> NDArray[np.uint8]:
    """Store an index 0–1 (NaN: none) as bytes: round(index / INDEX_STEP), NaN → INDEX_NODATA.

    The division is done in float32 (:func:`aez.pipeline.tile_kernels.quantise`).

    >>> encode_index(np.array([0.0, 0.5, 0.9987, np.nan], dtype=np.float32)).tolist()
    [0, 100, 200, 255]
    """
    from aez.pipeline.tile_kernels import quantise

    values = np.asarray(index, dtype=np.float32)
    flat = np.ascontiguousarray(values).reshape(1, -1)
    out = np.empty(flat.shape, dtype=np.uint8)
    quantise(flat, np.float32(INDEX_STEP), 200, INDEX_NODATA, out)
    return out.reshape(values.shape)


_CLASS_LEGEND = {code: label for code, label in CLASS_LABELS.items() if code}
_CLASS_COLOURS = {code: hex_to_rgba(colour) for code, colour in CLASS_COLOURS.items()}
_OUTPUTS: dict[str, dict[str, Any]] = {
    "class": {"dtype": "uint8", "kind": "categorical", "nodata": 0, "legend": _CLASS_LEGEND,
              "colormap": _CLASS_COLOURS, "codec": "zstd"},
    "potential": {"dtype": "uint8", "kind": "categorical", "nodata": 0, "legend": _CLASS_LEGEND,
                  "colormap": _CLASS_COLOURS, "codec": "zstd"},
    "subclass": {"dtype": "uint16", "kind": "categorical", "nodata": SUBCLASS_NODATA,
                 "codec": "zstd"},
    "index": {"dtype": "uint8", "kind": "continuous", "units": "1", "nodata": INDEX_NODATA,
              "scale": INDEX_STEP, "codec": "zstd"},
}
_CHANGE_OUTPUT: dict[str, Any] = {
    "dtype": "uint8", "kind": "categorical", "nodata": 0, "legend": CHANGE_LABELS,
    "codec": "fast",
    "colormap": {1: hex_to_rgba("#1a9641"), 2: hex_to_rgba("#d9d9d9"),
                 3: hex_to_rgba("#d7191c"), 4: hex_to_rgba("#ffffff")},
}


def _probe(stack: LayerStack, name: str) -> Observed:
    """Make an empty Observed carrying a layer's legend and units, for compiling crops."""
    spec = stack.specs[name] if name in stack.specs else stack.derived[name]
    legend = getattr(stack.sources.get(name), "legend", None) or getattr(spec, "legend", None)
    if spec.kind == "categorical":
        return Observed(np.empty(0, dtype=np.int32), dict(legend or {}), None, name)
    return Observed(np.empty(0, dtype=np.float32), None, spec.units or None, name)


def _histograms(key: str, actual: NDArray[np.uint8], subclass: NDArray[np.uint16],
                index: NDArray[np.float32], district: NDArray[np.integer],
                n: int, *, include: NDArray[np.bool_]) -> dict[str, NDArray[np.int64]]:
    """Limiting qualities and index sums of one crop (cells and areas: class_histograms).

    Counts the cells of ``include`` (inside the study area: ``district`` ≥ 0)
    in one compiled pass (:func:`aez.pipeline.tile_kernels.count_limits`):
    per district, the cells each quality limits and, among the unknown ones,
    those without its input; the index sum and rated cells; the cells per
    subclass mask. Integers, so the same in any order.
    """
    from aez.pipeline.tile_kernels import count_limits

    limited = np.zeros((n, len(QUALITIES)), dtype=np.int64)
    missing = np.zeros((n, len(QUALITIES)), dtype=np.int64)
    index_sum = np.zeros(n, dtype=np.int64)
    index_cells = np.zeros(n, dtype=np.int64)
    masks = np.zeros(_SUBCLASS_VALUES, dtype=np.int64)
    count_limits(district, include, subclass, actual, UNKNOWN, index, float(INDEX_SCALE),
                 limited, missing, index_sum, index_cells, masks)
    return {
        f"{key}/limited": limited,
        f"{key}/missing": missing,
        f"{key}/index_sum": index_sum,
        f"{key}/index_cells": index_cells,
        f"{key}/subclass_cells": masks,
    }


def _changed_histograms(key: str, totals: Mapping[str, NDArray[np.int64]], base_key: str,
                        base: Suitability, result: Suitability, district: NDArray[np.integer],
                        n: int, *, inside: NDArray[np.bool_]) -> dict[str, NDArray[np.int64]]:
    """Histograms of a scenario column from its baseline's (``totals[base_key/…]``).

    Only the cells where the column's class, subclass or index differ from the
    baseline's are counted again: the baseline's histograms, minus those cells
    as they were, plus those cells as they are. Integers, so exactly
    :func:`_histograms` of the whole column, at the cost of the few cells a
    scenario changes.
    """
    same_index = (base.index == result.index) | (np.isnan(base.index) & np.isnan(result.index))
    changed = inside & ((base.actual != result.actual) | (base.subclass != result.subclass)
                        | ~same_index)
    names = ("limited", "missing", "index_sum", "index_cells", "subclass_cells")
    if not changed.any():  # the scenario changes nothing of this crop in this tile
        return {f"{key}/{name}": totals[f"{base_key}/{name}"].copy() for name in names}
    before = _histograms(key, base.actual, base.subclass, base.index, district, n,
                         include=changed)
    after = _histograms(key, result.actual, result.subclass, result.index, district, n,
                        include=changed)
    prefix = len(key)
    return {k: totals[base_key + k[prefix:]] - before[k] + v for k, v in after.items()}


def _total(totals: Mapping[str, Any], key: str, shape: tuple[int, ...]) -> NDArray[np.int64]:
    value = totals.get(key)
    return np.zeros(shape, dtype=np.int64) if value is None else np.asarray(value, np.int64)
