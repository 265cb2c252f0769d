"""``aez run CONFIG``: every stage, from the inputs to maps and report; ``aez validate CONFIG``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from aez.cli._app import cli, cli_words
from aez.executor import EXECUTORS
from aez.words import DEFAULT_LANGUAGE, LANGUAGES

#: Progress-bar labels of the stages.
_LABELS = {"layers": "inputs", "suitability": "suitability (tiles)", "decision": "decision",
           "tables": "tables & GIS", "maps": "maps", "report": "report"}


class _StageBars:
    """One tqdm bar per stage, on stderr; silent with -q."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bars: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(total=total, desc=f"{_LABELS.get(stage, stage):<22}",
                                          unit="", file=sys.stderr, leave=True,
                                          bar_format="{desc} {bar} {n_fmt}/{total_fmt} "
                                                     "[{elapsed}]")
        if bar.total != total:  # a stage whose total became known as it ran
            bar.total = total
            bar.refresh()
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    def close(self) -> None:
        """Close every bar; a finished one stays on screen."""
        for bar in self.bars.values():
            bar.close()

    def clear(self) -> None:
        """Wipe the unfinished bars off the screen (before an error message)."""
        for bar in self.bars.values():
            if not bar.disable and bar.n < (bar.total or 0):
                bar.leave = False
            bar.close()


@cli.command("run")
@click.argument("config", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--executor", type=click.Choice(EXECUTORS), default=None,
              help="Where tiles run (default: [run] executor of the config).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --executor dask).")
@click.option("--tile-size", type=click.IntRange(min=16), default=None,
              help="Tile size in cells (default: [run] tile_size).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Threads or local dask workers (default: the cores).")
@click.option("--overwrite", is_flag=True,
              help="Write into an output folder that already holds files.")
@click.option("--lang", type=click.Choice(LANGUAGES), default=DEFAULT_LANGUAGE, show_default=True,
              help="Language of the maps, report and styles.")
@click.pass_context
def run_command(ctx: click.Context, config: Path, executor: str | None, scheduler: str | None,
                tile_size: int | None, workers: int | None, overwrite: bool, lang: str) -> None:
    """Run CONFIG: rasters, tables, districts.gpkg, QGIS styles, maps and report."""
    from aez.pipeline.run import run

    bars = _StageBars(enabled=(ctx.obj or {}).get("verbosity", 0) >= 0)
    try:
        result = run(config, executor=executor, scheduler=scheduler,  # type: ignore[arg-type]
                     tile_size=tile_size, workers=workers, overwrite=overwrite,
                     lang=lang,  # type: ignore[arg-type]
                     progress=bars)
    except BaseException:
        bars.clear()  # the error line follows on a clean screen
        raise
    bars.close()
    table = result.decision.kecamatan
    products = table["product"].value_counts()
    click.echo(f"{len(result.crops)} commodities rated; one product for each of {len(table)} "
               f"kecamatan ({len(products)} distinct: "
               f"{', '.join(f'{p} {n}' for p, n in products.items())}).")
    if "flags" in table.columns and table["flags"].map(len).any():
        counts = table["flags"].explode().dropna().value_counts()
        click.echo(f"Flagged products: {', '.join(f'{f} {n}' for f, n in counts.items())} "
                   "(see the report).")
    timing = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in result.timings.items())
    click.echo(f"{len(result.files)} files in {result.outdir} ({timing}).")
    if "report.html" in result.files:
        click.echo(f"Report: {result.files['report.html']}")


@cli.command("validate")
@click.argument("config", type=click.Path(dir_okay=False, exists=True, path_type=Path))
def validate_command(config: Path) -> None:
    """Check CONFIG and everything it names, without computing anything."""
    from aez.pipeline.validate import validate

    report = validate(config)
    for line in report.lines():
        click.echo(cli_words(line))
    click.echo(f"{config}: valid.")
