"""The checking pass that ``aez validate`` and ``aez run`` share: every check before computing.

:func:`check_run` opens and checks, in order, everything a run reads, and
raises the first problem as an :class:`~aez.errors.AEZError` whose message is
one line (what, the value seen, where, and the setting that fixes it):

1. the config (syntax, keys, types, weights, assignment rules: :func:`aez.config.load_config`);
2. the study area's polygons and codes, every layer's file, CRS, kind and coverage;
3. every crop table (bands in the direction of their characteristic) and its
   match with the layers; the constraints' layers;
4. every layer's values, in one streaming pass (:mod:`aez.pipeline.values`):
   ±inf, float32 garbage, all nodata, kelvin, the plausible range;
5. the ``[tables]``: numbers as BPS writes them, years, codes through the crosswalk,
   commodity names (:mod:`aez.pipeline.tablecheck`);
6. the ``[score]`` criteria this run has inputs for, AHP consistency, ``[regions]``.

:func:`aez.pipeline.run` calls it first, so a run fails exactly when
``aez validate`` does, before any raster is written.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aez.config import DEFAULT_WEIGHTS, RunConfig, load_config
from aez.crops import CropRequirements, load_crops
from aez.errors import AEZWarning, ConfigError
from aez.evaluate.mcda import ahp_weights
from aez.harmonize import LayerStack, StudyArea
from aez.pipeline.decide import (
    ACCESS_LAYER,
    DecisionTables,
    read_decision_tables,
    score_weights,
)
from aez.pipeline.potential import crop_items, has_estimate
from aez.pipeline.suitability import compile_crops
from aez.pipeline.values import LayerValues, check_values, scan_values

__all__ = ["CheckedRun", "check_run", "crop_items"]


@dataclass(frozen=True, eq=False)
class CheckedRun:
    """What the checking pass opened and found; a run goes on from here.

    Attributes
    ----------
    config : RunConfig
    stack : LayerStack
        The inputs, opened on the analysis grid.
    study_area : StudyArea
    crops : list of CropRequirements
    tables : DecisionTables
        The ``[tables]`` read and keyed by kecamatan.
    criteria : list of str
        Score criteria this run has inputs for.
    weights : Any
        The weights over them (a mapping), or the AHP comparison table.
    coverage : dict of str to float or None
        Share of the study area each layer's extent covers.
    values : dict of str to LayerValues
        The value pass of every file layer.
    facts : list of str
        What ``aez validate`` prints.
    """

    config: RunConfig
    stack: LayerStack
    study_area: StudyArea
    crops: list[CropRequirements]
    tables: DecisionTables
    criteria: list[str]
    weights: Any
    coverage: dict[str, float | None]
    values: dict[str, LayerValues]
    facts: list[str] = field(default_factory=list)


def check_run(config: RunConfig | str | Path, *,
              progress: Callable[[int, int], None] | None = None) -> CheckedRun:
    """Check ``config`` and everything it names; raise the first problem.

    Parameters
    ----------
    config : RunConfig, str or Path
        The run config or its TOML file.
    progress : callable, optional
        ``progress(done, total)`` over the steps: the layers opened, the crop
        tables, each tile of the value pass, and the ``[tables]``.

    Returns
    -------
    CheckedRun
        The opened inputs and the facts found (no raster is written).

    Raises
    ------
    AEZError
        The first problem, in one line with its remedy.
    """
    if not isinstance(config, RunConfig):
        if not isinstance(config, str | Path):
            raise ConfigError(f"config = {type(config).__name__}; give a RunConfig or the path "
                              "of a config.toml file.")
        config = load_config(config)
    facts: list[str] = []
    stack = LayerStack.from_config(config)
    grid = stack.grid
    steps = [0, 3 + grid.tile_count(config.run.tile_size)]

    def advance() -> None:
        steps[0] += 1
        if progress is not None:
            progress(*steps)

    facts.append(f"grid: {grid.width} × {grid.height} cells of {grid.res[0]:g} "
                 f"{'°' if grid.is_geographic else 'm'} in {grid.crs}")
    coverage = stack.check_coverage()
    shares = [share for share in coverage.values() if share is not None]
    facts.append(f"layers: {len(stack.specs)} from files, {len(stack.derived)} derived; "
                 f"lowest coverage of the study area {min(shares, default=1.0):.1%}")
    advance()
    study_area = stack.study_area
    if study_area is None:
        raise ConfigError("The run needs kecamatan polygons: add a [study_area] table with "
                          "path, id_column and name_column.")
    crops = load_crops(crop_items(config), crop_dirs=config.evaluate.crop_dirs,
                       ecocrop=config.evaluate.ecocrop)
    if not crops:
        raise ConfigError("[evaluate] crops is empty; list the commodities to evaluate "
                          "(`aez crops list` shows the built-in ones).")
    compile_crops(stack, crops, aggregate=config.evaluate.aggregate,
                  constraints=list(config.constraints.values()))
    facts.append(f"commodities: {len(crops)} ({', '.join(c.id for c in crops)})")
    advance()
    run = config.run
    values = scan_values(stack, tile_size=run.tile_size, executor=run.executor,
                         workers=run.workers, scheduler=run.scheduler, on_tile=advance)
    check_values(stack, values)
    facts.append(f"values: {len(values)} layers read in full; none outside its plausible range")
    ids = set(study_area.districts[study_area.id_column].astype(str))
    facts.append(f"kecamatan: {len(ids)}")
    tables = read_decision_tables(config.tables, study_area, crops=[c.id for c in crops])
    if len(tables.unmatched):
        warnings.warn(f"{len(tables.unmatched)} table rows match no kecamatan through the "
                      "crosswalk (they are left out; see tables/unmatched_rows.csv after a run).",
                      AEZWarning, stacklevel=2)
    advance()
    criteria = _criteria(stack, tables)
    if has_estimate(crops, tables.production, config):
        criteria.append("value")
        if tables.prices is not None:
            facts.append(f"prices: {len(tables.prices)} rows, "
                         f"{tables.prices['commodity'].nunique()} commodities (Rp/kg)")
    weights = score_weights(config, dict.fromkeys(criteria))
    if config.score.ahp is not None:
        try:
            result = ahp_weights(weights.to_numpy(), labels=list(weights.index))
        except ConfigError as exc:
            text = str(exc).split(". Revise")[0].split(", or pass")[0].rstrip(".")
            raise ConfigError(f"[score.ahp] matrix: {text}. Revise the comparisons in "
                              "[score.ahp] matrix, or drop [score.ahp] and give "
                              "[score.weights] instead.") from None
        facts.append(f"AHP weights: consistency ratio {result.consistency_ratio:.3f}")
    else:
        facts.append("score weights: " + ", ".join(f"{k} {v:g}" for k, v in weights.items()))
        given = {k for k, v in config.score.weights.items() if v > 0}
        idle = sorted(given - set(criteria))
        if idle and dict(config.score.weights) != DEFAULT_WEIGHTS:
            warnings.warn(f"[score.weights] gives weight to {', '.join(idle)}, but this run has "
                          "no input for them (a [tables] file or a travel_time layer); their "
                          "weight is shared among the others.", AEZWarning, stacklevel=2)
    _check_assign(config, len(ids), [c.id for c in crops])
    if config.regions:
        missing = sorted(ids - set(config.regions))
        if missing:
            raise ConfigError(f"[regions] gives no region for kecamatan {missing[:5]}; give "
                              "every kecamatan of the study area a region, or drop [regions].")
        unknown = sorted(set(config.regions) - ids)
        if unknown:
            raise ConfigError(f"[regions] names kecamatan {unknown[:5]}, which are not in the "
                              f"study area ({study_area.id_column}); fix the ids in [regions].")
    return CheckedRun(config, stack, study_area, crops, tables, criteria, weights, coverage,
                      values, facts)


def _criteria(stack: LayerStack, tables: DecisionTables) -> list[str]:
    """Score criteria this run has inputs for (see :mod:`aez.pipeline.decide`)."""
    criteria = ["suitability"]
    if ACCESS_LAYER in stack.names:
        criteria.append("market_access")
    if tables.production is not None:
        criteria.append("lq")
        if tables.production["year"].nunique() > 1:
            criteria.append("growth")
    for name, table in (("labour", tables.households),
                        ("cooperatives", tables.cooperatives), ("sentra", tables.sentra)):
        if table is not None:
            criteria.append(name)
    return criteria


def _check_assign(config: RunConfig, n: int, crops: list[str]) -> None:
    """Refuse ``[assign]`` rules that no assignment can meet, whatever the scores.

    Only contradictions that hold whatever the data are refused here; with
    ``scope = "kabupaten"`` the decision stage fits ``max_share`` and
    ``min_distinct`` to small kabupaten, and a real contradiction left is
    reported by the solver, naming the kabupaten.
    """
    a = config.assign
    if a.per_kecamatan > len(crops):
        raise ConfigError(f"[assign] per_kecamatan = {a.per_kecamatan} but [evaluate] crops "
                          f"lists only {len(crops)}; lower per_kecamatan or add crops.")
    if a.scope == "study_area" and a.min_distinct is not None and a.min_distinct > len(crops):
        raise ConfigError(f"[assign] min_distinct = {a.min_distinct}, but [evaluate] crops "
                          f"lists only {len(crops)} products; lower [assign] min_distinct or "
                          "add crops.")
    unknown = sorted(set(a.must_keep.values()) - set(crops)) if a.must_keep else []
    if unknown:
        raise ConfigError(f"[assign] must_keep names {unknown}, which [evaluate] crops does not "
                          "list; add them there or fix the names.")
