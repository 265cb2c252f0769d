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
    run.log                   what the run did, stage by stage (run.failed.log on failure)
    manifest.json             every file of the run with its SHA-256
    rasters/<crop>_{class,potential,subclass,index}.tif  (+ .qml styles)
    rasters/<crop>_change_<scenario>.tif  per [scenarios.NAME]: gain / same / loss
    districts.gpkg            kecamatan layers (+ districts.qml)
    tables/*.csv, tables/aez_tables.xlsx
    maps/overview, products, robustness, value, suitability/<crop>, limits/<crop> (.png, .pdf)
    report.html

A run first makes every check of ``aez validate``
(:func:`aez.pipeline.checks.check_run`), so bad inputs fail before any raster is
written. It locks its folder, refuses a folder that already holds files unless
``overwrite=True`` (a failed run's log does not count), and then removes the
earlier run's files that this run does not write again (:mod:`aez.pipeline.folder`).
SIGTERM and SIGHUP stop it like Ctrl-C: temporary files removed, ``run.failed.log``
kept. The run's inputs are never replaced.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd

from aez.config import RunConfig, load_config
from aez.crops import CropRequirements
from aez.errors import AEZError, AEZWarning, ConfigError, OutputExistsError
from aez.executor import EXECUTORS, ExecutorName, gdal_cache, release_freed_memory
from aez.harmonize import LayerStack, StudyArea
from aez.io import atomic_output
from aez.pipeline.checks import check_run
from aez.pipeline.decide import ACCESS_LAYER, Decision, decide, write_decision
from aez.pipeline.folder import (
    FAILED_LOG,
    LOCK_NAME,
    MANIFEST,
    earlier_files,
    folder_lock,
    interrupts_as_errors,
    io_failure,
    remove_stale_files,
    remove_temporary_files,
    write_manifest,
)
from aez.pipeline.publish import (
    district_layers,
    write_districts,
    write_raster_styles,
    write_workbook_of,
)
from aez.pipeline.suitability import StageOptions, SuitabilityTotals, evaluate_stack
from aez.version import __version__
from aez.words import Language

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
    if not isinstance(config, RunConfig | str | Path):
        raise ConfigError(f"config is a {type(config).__name__}; give a RunConfig or the path "
                          "of a config.toml file.")
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
    if outdir.exists() and not outdir.is_dir():
        raise OutputExistsError(f"The output path {outdir} is a file, not a folder. Set "
                                "[output] dir to a folder.")
    if overwrite or not outdir.exists():
        return
    found = sorted(p.name for p in outdir.iterdir() if p.name not in (LOCK_NAME, FAILED_LOG))
    if found:
        raise OutputExistsError(
            f"The output folder {outdir} is not empty (it holds {', '.join(found[:4])}"
            f"{', …' if len(found) > 4 else ''}). Choose another [output] dir, empty it, or "
            "pass overwrite=True to replace the files of an earlier run.")


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
        Draw the maps (those ``[output] maps`` chooses) and write the report.

    Returns
    -------
    RunResult

    Raises
    ------
    OutputExistsError
        If the output folder holds files and ``overwrite`` is False.
    AEZError
        For any bad input, with what was wrong and the remedy.

    Notes
    -----
    On Linux with glibc the run hands the memory of freed arrays back to the
    system every few tiles and after each stage
    (:func:`aez.executor.release_freed_memory`): without it, a province-wide
    run kept about 0.9 GB of freed tile arrays.
    """
    if lang not in LANGUAGES:
        raise ConfigError(f"lang = {lang!r}; expected 'id' (Indonesian) or 'en' (English).")
    config = resolve_config(config, executor=executor, scheduler=scheduler,
                            tile_size=tile_size, workers=workers)
    check_output_folder(config.output.dir, overwrite=overwrite)
    job = _Job(config, lang, progress or (lambda stage, done, total: None))
    with folder_lock(config.output.dir), interrupts_as_errors():
        check_output_folder(config.output.dir, overwrite=overwrite)  # now under the lock
        earlier = earlier_files(config.output.dir)
        try:
            result = _run_stages(job, maps=maps, report=report)
        except AEZError:
            remove_temporary_files(config.output.dir)
            raise
        except OSError as exc:  # a full disk, a read-only folder: one line, the folder named
            remove_temporary_files(config.output.dir)
            raise io_failure(exc, config.output.dir) from exc
        except BaseException:
            remove_temporary_files(config.output.dir)
            raise
        remove_stale_files(config.output.dir, earlier, set(result.files) | {MANIFEST})
        (config.output.dir / FAILED_LOG).unlink(missing_ok=True)  # run.log supersedes it
    return result


def _run_stages(job: _Job, *, maps: bool, report: bool) -> RunResult:
    """Run the stages of ``job`` with its log; return the result (see :func:`run`)."""
    config = job.config
    with _run_log(job.outdir, overwrite=True) as (log_path, log_file), warnings.catch_warnings(
            record=True) as caught:
        warnings.simplefilter("always", AEZWarning)
        _log_header(config)
        stack, study_area, crops = _open_inputs(job)
        totals = _evaluate_suitability(job, stack, crops)
        decision = _decide(job, stack, study_area, totals)
        kecamatan = _write_tables(job, study_area, totals, crops, decision)
        from aez.pipeline.atlas import run_date  # the maps and report (matplotlib, jinja2)

        date = run_date()
        figures = (_draw_maps(job, stack, totals, crops, kecamatan, date,
                              robustness=decision.robustness is not None) if maps else {})
        if report:
            _write_report(job, stack, decision, crops, kecamatan, figures, date)
        _write_resolved_config(job)
        _log_warnings(caught, log_file)
        job.keep(write_manifest(job.outdir, {**job.files, "run.log": log_path}, config))
        log.info("Run finished: %d files in %s", len(job.files) + 1, job.outdir)
    job.keep(log_path)
    shown: dict[Any, Any] = {}  # each warning once per place, as Python's default filter
    for warning in caught:
        warnings.warn_explicit(warning.message, warning.category, warning.filename,
                               warning.lineno, registry=shown)
    return RunResult(config, job.outdir, dict(sorted(job.files.items())), decision, kecamatan,
                     totals, crops, job.timings)


@dataclass(eq=False)
class _Job:
    """A run in progress: its config, language, progress callback, files and timings."""

    config: RunConfig
    lang: Language
    progress: Progress
    files: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def outdir(self) -> Path:
        """Return the output folder."""
        return self.config.output.dir

    def keep(self, *paths: Path) -> None:
        """Record written files under their path relative to the output folder."""
        for path in paths:
            self.files[path.relative_to(self.outdir).as_posix()] = path

    @contextmanager
    def stage(self, name: str, total: int = 1) -> Iterator[None]:
        """Time a stage, log it, and report its start and end to the progress callback."""
        log.info("Stage %s", name)
        self.totals[name] = total
        self.progress(name, 0, total)
        start = time.perf_counter()
        yield
        release_freed_memory()  # what the stage freed, before the next one allocates
        self.timings[name] = time.perf_counter() - start
        self.progress(name, self.totals[name], self.totals[name])
        log.info("Stage %s done in %.1f s", name, self.timings[name])

    def advance(self, name: str, done: int, total: int) -> None:
        """Report progress within a stage whose total became known as it ran."""
        self.totals[name] = total
        self.progress(name, done, total)


def _open_inputs(job: _Job) -> tuple[LayerStack, StudyArea, list[CropRequirements]]:
    """Stage ``layers``: open the stack, check coverage, load the crops, compute global layers."""
    # GDAL's block cache bounded: unbounded, the value scan and the global layers would let
    # it grow to 5 % of the machine's memory (1.2 GB here), whatever the tile size.
    with job.stage("layers"), gdal_cache(job.config.run.gdal_cache_mb):
        steps = [0]

        def on_step(done: int, total: int) -> None:  # and one more: the global layers
            steps[0] = total + 1
            job.advance("layers", done, steps[0])

        checked = check_run(job.config, progress=on_step)  # exactly what `aez validate` checks
        checked.stack.prepare_global()
        job.advance("layers", steps[0], steps[0])
    return checked.stack, checked.study_area, checked.crops


def _evaluate_suitability(job: _Job, stack: LayerStack,
                          crops: list[CropRequirements]) -> dict[str, SuitabilityTotals]:
    """Stage ``suitability``: every crop tile by tile, rasters written, hectares counted."""
    config = job.config
    size = config.run.tile_size
    tiles = -(-stack.grid.height // size) * -(-stack.grid.width // size)
    with job.stage("suitability", tiles):
        done = [0]

        def on_tile(_: Any) -> None:
            done[0] += 1
            job.progress("suitability", done[0], tiles)

        means = (ACCESS_LAYER,) if ACCESS_LAYER in stack.names else ()
        totals = evaluate_stack(
            stack, crops, job.outdir / "rasters", aggregate=config.evaluate.aggregate,
            constraints=list(config.constraints.values()), zonal_means=means,
            scenarios=list(config.scenarios.values()),
            options=StageOptions.from_run(config.run, overwrite=True, cog=True,
                                          on_tile=on_tile))
        for crop_totals in totals.values():
            job.keep(*crop_totals.paths.values())
            for scenario_totals in crop_totals.scenarios.values():
                job.keep(*scenario_totals.paths.values())
    return totals


def _decide(job: _Job, stack: LayerStack, study_area: StudyArea,
            totals: dict[str, SuitabilityTotals]) -> Decision:
    """Stage ``decision``: scores, assignment, robustness, cooperatives, roll-ups."""
    with job.stage("decision"):
        return decide(job.config, totals, study_area, stack.grid,
                      progress=lambda done, total: job.advance("decision", done, total))


def _write_tables(job: _Job, study_area: StudyArea, totals: dict[str, SuitabilityTotals],
                  crops: list[CropRequirements], decision: Decision) -> gpd.GeoDataFrame:
    """Stage ``tables``: CSV tables, the workbook, the GeoPackage and the QGIS styles."""
    outdir, inputs = job.outdir, job.config.input_paths
    with job.stage("tables"):
        others = 3  # the workbook, the GeoPackage, the raster styles
        csv = [0]

        def on_csv(done: int, total: int) -> None:
            csv[0] = total
            job.advance("tables", done, total + others)

        job.keep(*write_decision(decision, outdir / "tables", overwrite=True,
                                 on_written=on_csv).values())
        job.keep(write_workbook_of(decision, outdir / "tables" / "aez_tables.xlsx",
                                   overwrite=True))
        job.advance("tables", csv[0] + 1, csv[0] + others)
        kecamatan, long = district_layers(decision, study_area, list(totals))
        names = {c.id: (c.name_id if job.lang == "id" else c.name_en) for c in crops}
        job.keep(*write_districts(kecamatan, long, outdir / "districts.gpkg",
                                  product_names=names, overwrite=True, inputs=inputs))
        job.advance("tables", csv[0] + 2, csv[0] + others)
        job.keep(*write_raster_styles(totals, lang=job.lang, overwrite=True))
    return kecamatan


def _draw_maps(job: _Job, stack: LayerStack, totals: dict[str, SuitabilityTotals],
               crops: list[CropRequirements], kecamatan: gpd.GeoDataFrame, date: dt.date,
               *, robustness: bool) -> dict[str, Path]:
    """Stage ``maps``: the atlas maps, drawn by worker processes; return the PNG of each."""
    from aez.pipeline.atlas import map_info, map_jobs  # matplotlib loads with the maps
    from aez.render.jobs import draw_maps

    config = job.config
    info = map_info(config, kecamatan, lang=job.lang, date=date)
    jobs = map_jobs(stack, totals, crops, kecamatan, job.outdir, info=info,
                    robustness=robustness, which=config.output.maps)
    for map_job in jobs.values():
        Path(map_job.args["out_base"]).parent.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Path] = {}
    with job.stage("maps", len(jobs)):
        finished = [0]

        def on_map(_: int) -> None:
            finished[0] += 1
            job.progress("maps", finished[0], len(jobs))

        drawn = draw_maps(list(jobs.values()), workers=_processes(config), on_done=on_map)
        for key, paths in zip(jobs, drawn, strict=True):
            job.keep(*paths)
            figures[key] = next(p for p in paths if p.suffix == ".png")
        if jobs:
            job.keep(*_write_label_key(kecamatan, job.outdir / "maps"))
    return figures


def _write_label_key(kecamatan: gpd.GeoDataFrame, folder: Path) -> list[Path]:
    """``maps/kecamatan_key.csv`` when the maps number the kecamatan whose names do not fit."""
    from aez.render.mapdata import LABEL_ALL_MAX, kecamatan_key

    if len(kecamatan) <= LABEL_ALL_MAX or "kecamatan" not in kecamatan.columns:
        return []
    path = folder / "kecamatan_key.csv"
    with atomic_output(path, overwrite=True) as tmp:
        kecamatan_key(kecamatan, "kecamatan_id", "kecamatan").to_csv(tmp, index=False,
                                                                     lineterminator="\n")
    return [path]


def _write_report(job: _Job, stack: LayerStack, decision: Decision,
                  crops: list[CropRequirements], kecamatan: gpd.GeoDataFrame,
                  figures: dict[str, Path], date: dt.date) -> None:
    """Stage ``report``: the self-contained HTML report."""
    from aez.pipeline.atlas import report_context  # jinja2 loads with the report
    from aez.render.report import write_report

    with job.stage("report", len(figures) + 1):
        context = report_context(job.config, stack.grid, decision, crops, kecamatan,
                                 figures=figures, date=date)
        job.keep(write_report(job.outdir / "report.html", context, lang=job.lang,
                              overwrite=True,
                              on_figure=lambda done: job.advance("report", done,
                                                                 len(figures) + 1)))


def _write_resolved_config(job: _Job) -> None:
    """Write ``config.resolved.toml``: the config with defaults filled in and absolute paths."""
    with atomic_output(job.outdir / "config.resolved.toml", overwrite=True,
                       inputs=job.config.input_paths) as tmp:
        tmp.write_text(_resolved_header(job.config) + job.config.to_toml(), encoding="utf-8")
    job.keep(job.outdir / "config.resolved.toml")


def _log_warnings(caught: list[warnings.WarningMessage], log_file: logging.Handler) -> None:
    """Copy the run's aez warnings into ``run.log`` only: they are shown once, as warnings."""
    for warning in caught:
        if issubclass(warning.category, AEZWarning):
            log_file.handle(log.makeRecord(log.name, logging.WARNING, __file__, 0, "%s",
                                           (warning.message,), None))


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
def _run_log(outdir: Path, *, overwrite: bool) -> Iterator[tuple[Path, logging.Handler]]:
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
            yield path, handler
        except BaseException as exc:  # into the file only: the caller reports the error
            handler.handle(log.makeRecord(log.name, logging.ERROR, __file__, 0,
                                          "Run failed: %s", (exc,), None))
            handler.close()
            tmp.replace(outdir / FAILED_LOG)
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
