"""The whole job: one config in; rasters, tables, GeoPackage, styles, maps and report out.

:func:`run` orders the stages; each stage is a function of the modules it
names, and each writes its files under temporary names, renamed when
complete, so an interrupted run never leaves an incomplete file under a final
name.

==============  ===============================================================
stage           what it does
==============  ===============================================================
``layers``      opens the inputs on the analysis grid, checks their coverage,
                loads the crop tables and computes global derived layers
                (travel time) once
``suitability``  evaluates every crop tile by tile (the executor), writes the
                class, potential, subclass and index rasters as Cloud-Optimized
                GeoTIFFs and counts hectares per kecamatan
``decision``    scores, assigns one product per kecamatan, tests robustness,
                ranks cooperatives, rolls up (:func:`aez.pipeline.decide`)
``tables``      CSV tables, the workbook, ``districts.gpkg`` and QGIS styles
``maps``        atlas maps, PNG and PDF (:mod:`aez.render.maps`)
``report``      the self-contained HTML report (:mod:`aez.render.report`)
==============  ===============================================================

The output folder (``[output] dir``)::

    config.resolved.toml      the config with defaults and absolute paths
    run.log                   what the run did, stage by stage
    rasters/<crop>_{class,potential,subclass,index}.tif  (+ .qml styles)
    districts.gpkg            kecamatan layers (+ districts.qml)
    tables/*.csv, tables/aez_tables.xlsx
    maps/overview, products, robustness, suitability/<crop>, limits/<crop> (.png, .pdf)
    report.html

A run refuses to write into a folder that already holds files unless
``overwrite=True``; the run's inputs are never replaced.
"""

from __future__ import annotations

import logging
import os
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd

from aez import __version__
from aez.config import RunConfig, load_config
from aez.crops import CropRequirements, load_crops
from aez.errors import AEZWarning, ConfigError, OutputExistsError
from aez.executor import EXECUTORS, ExecutorName
from aez.harmonize import LayerStack
from aez.io import atomic_output
from aez.pipeline.atlas import map_info, map_jobs, report_context, run_date
from aez.pipeline.decide import ACCESS_LAYER, Decision, decide, write_decision
from aez.pipeline.publish import (
    district_layers,
    write_districts,
    write_raster_styles,
    write_workbook_of,
)
from aez.pipeline.suitability import SuitabilityTotals, evaluate_stack
from aez.render.jobs import draw_maps
from aez.render.palette import Language
from aez.render.report import write_report

__all__ = ["STAGES", "Progress", "RunResult", "resolve_config", "run"]

log = logging.getLogger(__name__)

#: The stages of a run, in order.
STAGES = ("layers", "suitability", "decision", "tables", "maps", "report")

#: ``progress(stage, done, total)``: called when a stage starts (done = 0) and as it advances.
Progress = Callable[[str, int, int], None]

LANGUAGES = ("id", "en")


@dataclass(frozen=True, eq=False)
class RunResult:
    """What a run produced.

    Attributes
    ----------
    config : RunConfig
        The resolved config (command-line overrides applied).
    outdir : Path
        The output folder.
    files : dict of str to Path
        Every file written, keyed by its path relative to ``outdir``.
    decision : Decision
        The decision stage's tables.
    districts : GeoDataFrame
        One row per kecamatan: polygon, assignment, robustness, suitability.
    totals : dict of str to SuitabilityTotals
        Per-crop histograms of the suitability stage.
    crops : list of CropRequirements
    timings : dict of str to float
        Wall time per stage (s).
    """

    config: RunConfig
    outdir: Path
    files: dict[str, Path]
    decision: Decision
    districts: gpd.GeoDataFrame
    totals: dict[str, SuitabilityTotals]
    crops: list[CropRequirements]
    timings: dict[str, float]


def resolve_config(config: RunConfig | str | Path, *, executor: ExecutorName | None = None,
                   scheduler: str | None = None, tile_size: int | None = None,
                   workers: int | None = None) -> RunConfig:
    """Load ``config`` (a path or a RunConfig) and apply run-setting overrides."""
    if not isinstance(config, RunConfig):
        config = load_config(config)
    settings = config.run
    if executor is not None:
        if executor not in EXECUTORS:
            raise ConfigError(f"executor = {executor!r}; expected one of {', '.join(EXECUTORS)}.")
        settings = replace(settings, executor=executor)
    if scheduler is not None:
        settings = replace(settings, scheduler=scheduler)
    if tile_size is not None:
        if tile_size < 16:
            raise ConfigError(f"tile_size = {tile_size}; give at least 16 cells (e.g. 512).")
        settings = replace(settings, tile_size=tile_size)
    if workers is not None:
        settings = replace(settings, workers=workers)
    return replace(config, run=settings)


def check_output_folder(outdir: Path, *, overwrite: bool) -> None:
    """Refuse a folder that already holds files, unless ``overwrite``."""
    if overwrite or not outdir.exists():
        return
    if not outdir.is_dir():
        raise OutputExistsError(f"The output path {outdir} is a file, not a folder. Set "
                                "[output] dir to a folder.")
    found = sorted(p.name for p in outdir.iterdir())
    if found:
        raise OutputExistsError(
            f"The output folder {outdir} is not empty (it holds {', '.join(found[:4])}"
            f"{', …' if len(found) > 4 else ''}). Choose another [output] dir, empty it, or "
            "pass --overwrite (overwrite=True) to replace the files of an earlier run.")


def run(config: RunConfig | str | Path, *, executor: ExecutorName | None = None,
        scheduler: str | None = None, tile_size: int | None = None, workers: int | None = None,
        overwrite: bool = False, lang: Language = "id", progress: Progress | None = None,
        maps: bool = True, report: bool = True) -> RunResult:
    """Run every stage of ``config``; return what was produced.

    Parameters
    ----------
    config : RunConfig, str or Path
        The run config or its TOML file.
    executor, scheduler, tile_size, workers : optional
        Override ``[run]``: ``serial``, ``threads`` or ``dask`` (with a
        scheduler address, or a local cluster), tile size in cells, workers.
        The results are the same bytes whatever these are.
    overwrite : bool, default False
        Write into an output folder that already holds files.
    lang : {"id", "en"}
        Language of the maps, report and styles.
    progress : callable, optional
        ``progress(stage, done, total)`` (see :data:`Progress`).
    maps, report : bool, default True
        Draw the maps and write the report.

    Returns
    -------
    RunResult

    Raises
    ------
    OutputExistsError
        If the output folder holds files and ``overwrite`` is False.
    AEZError
        For any bad input, with what was wrong and the remedy.
    """
    if lang not in LANGUAGES:
        raise ConfigError(f"lang = {lang!r}; expected 'id' (Indonesian) or 'en' (English).")
    config = resolve_config(config, executor=executor, scheduler=scheduler,
                            tile_size=tile_size, workers=workers)
    outdir = config.output.dir
    check_output_folder(outdir, overwrite=overwrite)
    outdir.mkdir(parents=True, exist_ok=True)
    report_progress = progress or (lambda stage, done, total: None)
    timings: dict[str, float] = {}
    files: dict[str, Path] = {}
    inputs = config.input_paths

    def keep(*paths: Path) -> None:
        for path in paths:
            files[path.relative_to(outdir).as_posix()] = path

    @contextmanager
    def stage(name: str, total: int = 1) -> Iterator[None]:
        log.info("Stage %s", name)
        report_progress(name, 0, total)
        start = time.perf_counter()
        yield
        timings[name] = time.perf_counter() - start
        report_progress(name, total, total)
        log.info("Stage %s done in %.1f s", name, timings[name])

    with _run_log(outdir, overwrite=True) as log_path, warnings.catch_warnings(
            record=True) as caught:
        warnings.simplefilter("always", AEZWarning)
        _log_header(config)
        with stage("layers"):
            stack = LayerStack.from_config(config)
            stack.check_coverage()
            crops = load_crops(config.evaluate.crops, crop_dirs=config.evaluate.crop_dirs,
                               ecocrop=config.evaluate.ecocrop)
            if not crops:
                raise ConfigError("[evaluate] crops is empty; list the commodities to evaluate "
                                  "(`aez crops list` shows the built-in ones).")
            stack.prepare_global()
        size = config.run.tile_size
        tiles = -(-stack.grid.height // size) * -(-stack.grid.width // size)
        with stage("suitability", tiles):
            done = [0]

            def on_tile(_: Any) -> None:
                done[0] += 1
                report_progress("suitability", done[0], tiles)

            means = (ACCESS_LAYER,) if ACCESS_LAYER in stack.names else ()
            totals = evaluate_stack(
                stack, crops, outdir / "rasters", aggregate=config.evaluate.aggregate,
                constraints=list(config.constraints.values()), tile_size=config.run.tile_size,
                executor=config.run.executor, workers=config.run.workers,
                scheduler=config.run.scheduler, overwrite=True, cog=True, on_tile=on_tile,
                zonal_means=means)
            for crop_totals in totals.values():
                keep(*crop_totals.paths.values())
        if stack.study_area is None:
            raise ConfigError("The run needs kecamatan polygons: add a [study_area] table with "
                              "path, id_column and name_column.")
        with stage("decision"):
            decision = decide(config, totals, stack.study_area, stack.grid)
        with stage("tables"):
            keep(*write_decision(decision, outdir / "tables", overwrite=True).values())
            keep(write_workbook_of(decision, outdir / "tables" / "aez_tables.xlsx",
                                   overwrite=True))
            kecamatan, long = district_layers(decision, stack.study_area, list(totals))
            names = {c.id: (c.name_id if lang == "id" else c.name_en) for c in crops}
            keep(*write_districts(kecamatan, long, outdir / "districts.gpkg",
                                  product_names=names, overwrite=True, inputs=inputs))
            keep(*write_raster_styles(totals, lang=lang, overwrite=True))
        date = run_date()
        figures: dict[str, Path] = {}
        if maps:
            info = map_info(config, kecamatan, lang=lang, date=date)
            jobs = map_jobs(stack, totals, crops, kecamatan, outdir, info=info,
                            robustness=decision.robustness is not None)
            for job in jobs.values():
                Path(job.args["out_base"]).parent.mkdir(parents=True, exist_ok=True)
            with stage("maps", len(jobs)):
                finished = [0]

                def on_map(_: int) -> None:
                    finished[0] += 1
                    report_progress("maps", finished[0], len(jobs))

                drawn = draw_maps(list(jobs.values()), workers=_processes(config),
                                  on_done=on_map)
                for key, paths in zip(jobs, drawn, strict=True):
                    keep(*paths)
                    figures[key] = next(p for p in paths if p.suffix == ".png")
        if report:
            with stage("report"):
                context = report_context(config, stack.grid, decision, crops, kecamatan,
                                         figures=figures, date=date)
                keep(write_report(outdir / "report.html", context, lang=lang, overwrite=True))
        with atomic_output(outdir / "config.resolved.toml", overwrite=True,
                           inputs=inputs) as tmp:
            tmp.write_text(_resolved_header(config) + config.to_toml(), encoding="utf-8")
        keep(outdir / "config.resolved.toml")
        for warning in caught:
            if issubclass(warning.category, AEZWarning):
                log.warning("%s", warning.message)
        log.info("Run finished: %d files in %s", len(files) + 1, outdir)
    keep(log_path)
    shown: dict[Any, Any] = {}  # each warning once per place, as Python's default filter
    for warning in caught:
        warnings.warn_explicit(warning.message, warning.category, warning.filename,
                               warning.lineno, registry=shown)
    return RunResult(config, outdir, dict(sorted(files.items())), decision, kecamatan, totals,
                     crops, timings)


def _processes(config: RunConfig) -> int:
    """Worker processes for the maps: one when serial, else the run's workers or cores."""
    if config.run.executor == "serial":
        return 1
    return config.run.workers or os.cpu_count() or 1


def _resolved_header(config: RunConfig) -> str:
    return (f"# The resolved run config: defaults filled in, paths absolute.\n"
            f"# Written by aez {__version__} from {config.source or 'a config object'} "
            f"(config hash {config.hash}).\n\n")


def _log_header(config: RunConfig) -> None:
    log.info("aez %s, config %s (hash %s)", __version__, config.source, config.hash)
    log.info("Executor %s, tile size %d, workers %s", config.run.executor, config.run.tile_size,
             config.run.workers or "auto")


@contextmanager
def _run_log(outdir: Path, *, overwrite: bool) -> Iterator[Path]:
    """Copy the ``aez`` log (INFO and above) and warnings into ``run.log`` while the run lasts.

    The log is written under a temporary name and renamed to ``run.log`` when
    the run succeeds; a failed run leaves ``run.failed.log`` with the error.
    """
    path = outdir / "run.log"
    with atomic_output(path, overwrite=overwrite) as tmp:
        handler = logging.FileHandler(tmp, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.setLevel(logging.INFO)
        logger = logging.getLogger("aez")
        saved = (logger.level, logger.propagate, [h.level for h in logger.handlers])
        shown = logger.getEffectiveLevel()
        if shown > logging.INFO:  # log INFO to the file only; elsewhere as before
            for h in logger.handlers:
                h.setLevel(max(h.level, shown))
            if logger.propagate:
                logger.addHandler(_Forward(logger, shown))
                logger.propagate = False
            logger.setLevel(logging.INFO)
        logger.addHandler(handler)
        try:
            log.info("Run started %s", datetime.now(UTC).isoformat(timespec="seconds"))
            yield path
        except BaseException as exc:
            log.error("Run failed: %s", exc)
            handler.close()
            tmp.replace(outdir / "run.failed.log")
            raise
        finally:
            handler.close()
            logger.handlers[:] = [h for h in logger.handlers
                                  if h is not handler and not isinstance(h, _Forward)]
            logger.setLevel(saved[0])
            logger.propagate = saved[1]
            for h, level in zip(logger.handlers, saved[2], strict=True):
                h.setLevel(level)


class _Forward(logging.Handler):
    """Pass records at or above a level on to a logger's parents (while it does not propagate)."""

    def __init__(self, logger: logging.Logger, level: int) -> None:
        super().__init__(level)
        self.parent = logger.parent

    def emit(self, record: logging.LogRecord) -> None:
        if self.parent is not None:
            self.parent.handle(record)
