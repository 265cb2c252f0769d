"""The suitability stage: evaluate every crop tile by tile, write rasters, count per district.

One pass over the tiles reads each input once and evaluates all crops, so
memory depends on the tile size (and one tile's outputs per crop), not on
the region. For each crop it writes, in ``outdir``:

=========================  ======  ==========================================
file                       dtype   content
=========================  ======  ==========================================
``<crop>_class.tif``       uint8   actual class (0 nodata, 1–4 S1–N, 5 X, 6 unknown)
``<crop>_potential.tif``   uint8   class after feasible improvements
``<crop>_subclass.tif``    uint16  limiting-quality bit mask (65535 nodata)
``<crop>_index.tif``       float32 suitability index 0–1 (NaN nodata)
=========================  ======  ==========================================

and adds up, per district (kecamatan) and crop, integer histograms that the
district stage turns into hectares: cell counts and areas per class, cells
limited by each quality, and the index sum over rated cells. A cell belongs
to the district that contains its centre (the study-area rasterization).
Areas are summed in whole square centimetres per cell (exact in any order;
the rounding is below 10⁻⁴ m² per cell), from :meth:`Grid.cell_area`, so
they are right on a geographic grid too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from aez.characteristics import CHARACTERISTICS, QUALITIES
from aez.crops import CropRequirements
from aez.evaluate import CLASS_LABELS, CompiledCrop, Observed, compile_crop, plan
from aez.evaluate.constraints import Constraint, apply_exclusion, excluded
from aez.evaluate.kernel import match_crops
from aez.evaluate.matching import Aggregation
from aez.executor import ExecutorName, TileResult, run_tiles
from aez.grid import Tile
from aez.harmonize import LayerStack
from aez.harmonize.spec import DerivedSpec, LayerSpec
from aez.io import RasterSink

__all__ = ["INDEX_SCALE", "SUBCLASS_NODATA", "SuitabilityTotals", "evaluate_stack"]

log = logging.getLogger(__name__)

#: The index sum is accumulated as integers of index × INDEX_SCALE.
INDEX_SCALE = 1_000_000
#: Nodata of the subclass rasters (0 means "no limitation").
SUBCLASS_NODATA = 65535
_N_CLASSES = len(CLASS_LABELS)


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
    index_sum : (districts,) int64
        Sum of round(index × INDEX_SCALE) over cells with an index.
    index_cells : (districts,) int64
        Cells with an index.
    evaluated, skipped : tuple of str
        Characteristics rated, and those of the table with no input layer.
    paths : mapping of str to Path
        The rasters written (``class``, ``potential``, ``subclass``, ``index``).
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

    @property
    def hectares(self) -> NDArray[np.float64]:
        """Area per district and class code, in ha."""
        return self.area_cm2 / 1e8

    @property
    def mean_index(self) -> NDArray[np.float64]:
        """Mean index over rated cells, per district (NaN where none)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.index_sum / INDEX_SCALE / self.index_cells


def characteristic_layers(stack: LayerStack) -> dict[str, str]:
    """Characteristic id → stack layer that provides it (by ``role``, else by name)."""
    found: dict[str, str] = {}
    specs: dict[str, LayerSpec | DerivedSpec] = {**stack.specs, **stack.derived}
    for name, spec in specs.items():
        role = spec.provides
        if role in CHARACTERISTICS:
            if role in found:
                from aez.errors import ConfigError

                raise ConfigError(f"Layers {found[role]!r} and {name!r} both provide {role!r}; "
                                  "give one of them another `role`.")
            found[role] = name
    return found


def evaluate_stack(
    stack: LayerStack,
    crops: Sequence[CropRequirements],
    outdir: str | Path,
    *,
    aggregate: Aggregation = "minimum",
    constraints: Sequence[Constraint] = (),
    tile_size: int = 512,
    executor: ExecutorName = "serial",
    workers: int | None = None,
    scheduler: str | None = None,
    overwrite: bool = False,
    cog: bool = False,
    on_tile: Callable[[Tile], None] | None = None,
) -> dict[str, SuitabilityTotals]:
    """Evaluate ``crops`` over the stack's grid; write rasters; return district totals by crop."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    layer_of = characteristic_layers(stack)
    probes = {c: _probe(stack, name) for c, name in layer_of.items()}
    compiled: list[CompiledCrop] = []
    for crop in crops:
        plan(crop, probes)
        compiled.append(compile_crop(crop, probes, aggregate=aggregate))
    for constraint in constraints:
        if constraint.layer not in stack.names:
            from aez.errors import ConfigError

            raise ConfigError(f"[constraints.{constraint.name}] uses layer "
                              f"{constraint.layer!r}, which is not declared; layers: "
                              f"{', '.join(stack.names)}.")
    needed = sorted({layer_of[c] for cc in compiled for c in cc.evaluated}
                    | {c.layer for c in constraints})
    n_districts = len(stack.study_area.districts) if stack.study_area is not None else 1
    area_rows = np.rint(stack.grid.cell_area()[:, 0] * 1e4).astype(np.int64)

    def evaluate_tile(tile: Tile) -> TileResult:
        data = stack.read(tile, needed)
        inputs = {c: Observed(data[name].data, probes[c].legend, probes[c].units, name)
                  for c, name in layer_of.items() if name in needed}
        district = data.district if data.district is not None else \
            np.zeros((tile.height, tile.width), dtype=np.int32)
        inside = district >= 0
        cut = excluded(constraints, data.layers, inside.shape)
        area = np.broadcast_to(area_rows[tile.row_off:tile.row_off + tile.height, None],
                               inside.shape)
        arrays: dict[str, NDArray[Any]] = {}
        totals: dict[str, NDArray[np.int64]] = {}
        for cc, matched in zip(compiled, match_crops(compiled, inputs, valid=inside),
                               strict=True):
            result = apply_exclusion(matched, cut)
            key = cc.crop.id
            arrays[f"{key}_class"] = result.actual
            arrays[f"{key}_potential"] = result.potential
            arrays[f"{key}_subclass"] = np.where(inside, result.subclass,
                                                 np.uint16(SUBCLASS_NODATA))
            arrays[f"{key}_index"] = result.index
            totals.update(_histograms(key, result.actual, result.subclass, result.index,
                                      district, area, n_districts))
        return TileResult(arrays=arrays, totals=totals)

    with ExitStack() as stack_ctx:
        sinks: dict[str, RasterSink] = {}
        for cc in compiled:
            for output, spec in _OUTPUTS.items():
                name = f"{cc.crop.id}_{output}"
                sinks[name] = stack_ctx.enter_context(RasterSink(
                    outdir / f"{name}.tif", stack.grid, name=name, overwrite=overwrite,
                    inputs=stack.input_paths, cog=cog,
                    tags={"AEZ_CROP": cc.crop.id,
                          "AEZ_EVALUATED": ",".join(cc.evaluated),
                          "AEZ_SKIPPED": ",".join(cc.skipped),
                          "AEZ_AGGREGATE": aggregate},
                    **spec,
                ))
        totals = run_tiles(evaluate_tile, stack.grid.tiles(tile_size), executor=executor,
                           workers=workers, scheduler=scheduler, sinks=sinks, on_tile=on_tile)
    return {
        cc.crop.id: SuitabilityTotals(
            crop=cc.crop.id,
            cells=_total(totals, f"{cc.crop.id}/cells", (n_districts, _N_CLASSES)),
            area_cm2=_total(totals, f"{cc.crop.id}/area_cm2", (n_districts, _N_CLASSES)),
            limited_cells=_total(totals, f"{cc.crop.id}/limited", (n_districts, len(QUALITIES))),
            index_sum=_total(totals, f"{cc.crop.id}/index_sum", (n_districts,)),
            index_cells=_total(totals, f"{cc.crop.id}/index_cells", (n_districts,)),
            evaluated=cc.evaluated, skipped=cc.skipped,
            paths={o: outdir / f"{cc.crop.id}_{o}.tif" for o in _OUTPUTS},
        )
        for cc in compiled
    }


_CLASS_LEGEND = {code: label for code, label in CLASS_LABELS.items() if code}
_OUTPUTS: dict[str, dict[str, Any]] = {
    "class": {"dtype": "uint8", "kind": "categorical", "nodata": 0, "legend": _CLASS_LEGEND},
    "potential": {"dtype": "uint8", "kind": "categorical", "nodata": 0, "legend": _CLASS_LEGEND},
    "subclass": {"dtype": "uint16", "kind": "categorical", "nodata": SUBCLASS_NODATA},
    "index": {"dtype": "float32", "kind": "continuous", "units": "1"},
}


def _probe(stack: LayerStack, name: str) -> Observed:
    """An empty Observed carrying a layer's legend and units, for compiling crops."""
    spec = stack.specs[name] if name in stack.specs else stack.derived[name]
    legend = getattr(stack.sources.get(name), "legend", None) or getattr(spec, "legend", None)
    if spec.kind == "categorical":
        return Observed(np.empty(0, dtype=np.int32), dict(legend or {}), None, name)
    return Observed(np.empty(0, dtype=np.float32), None, spec.units or None, name)


def _histograms(key: str, actual: NDArray[np.uint8], subclass: NDArray[np.uint16],
                index: NDArray[np.float32], district: NDArray[np.integer],
                area: NDArray[np.int64], n: int) -> dict[str, NDArray[np.int64]]:
    inside = district >= 0
    d = district[inside].astype(np.int64)
    cls = actual[inside].astype(np.int64)
    bins = d * _N_CLASSES + cls
    size = n * _N_CLASSES
    cells = np.bincount(bins, minlength=size).reshape(n, _N_CLASSES)
    # Float weights are exact here: a tile's area sum in cm² stays far below 2**53.
    area_cm2 = np.rint(np.bincount(bins, weights=area[inside], minlength=size)).astype(np.int64)
    limited = np.zeros((n, len(QUALITIES)), dtype=np.int64)
    sub = subclass[inside]
    for q in range(len(QUALITIES)):
        has = (sub >> q) & 1 == 1
        limited[:, q] = np.bincount(d[has], minlength=n)
    idx = index[inside]
    rated = ~np.isnan(idx)
    scaled = np.rint(idx[rated].astype(np.float64) * INDEX_SCALE).astype(np.int64)
    index_sum = np.zeros(n, dtype=np.int64)
    np.add.at(index_sum, d[rated], scaled)
    return {
        f"{key}/cells": cells.astype(np.int64),
        f"{key}/area_cm2": area_cm2.reshape(n, _N_CLASSES),
        f"{key}/limited": limited,
        f"{key}/index_sum": index_sum,
        f"{key}/index_cells": np.bincount(d[rated], minlength=n).astype(np.int64),
    }


def _total(totals: Mapping[str, Any], key: str, shape: tuple[int, ...]) -> NDArray[np.int64]:
    value = totals.get(key)
    return np.zeros(shape, dtype=np.int64) if value is None else np.asarray(value, np.int64)
