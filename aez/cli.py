"""The ``aez`` command line.

``aez info CONFIG`` checks a run config and every input, and prints the grid
and a table of layers. ``-v`` shows progress messages, ``-vv`` debug messages
and full tracebacks; ``-q`` shows errors only. Any :class:`~aez.AEZError`
ends the command with a one-line message and exit code 1.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from aez import __version__
from aez.errors import AEZError


class _AEZGroup(click.Group):
    """A click group that turns AEZError into a clean message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AEZError as exc:
            verbosity = (ctx.obj or {}).get("verbosity", 0)
            if verbosity >= 2:
                traceback.print_exc(file=sys.stderr)
            click.secho(f"Error: {exc}", err=True, fg="red")
            ctx.exit(1)


def _configure_logging(verbosity: int) -> None:
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    for name in ("aez", "py.warnings"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
    logging.captureWarnings(True)


@click.group(cls=_AEZGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="aez")
@click.option("-v", "--verbose", count=True, help="More messages (-vv: debug and tracebacks).")
@click.option("-q", "--quiet", is_flag=True, help="Errors only.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Agro-ecological zoning for Indonesia."""
    verbosity = -1 if quiet else verbose
    ctx.ensure_object(dict)
    ctx.obj["verbosity"] = verbosity
    _configure_logging(verbosity)


@cli.command()
@click.argument("config", type=click.Path(dir_okay=False, path_type=Path))
def info(config: Path) -> None:
    """Check CONFIG and all its inputs; print the grid and the layers."""
    from aez.config import load_config
    from aez.harmonize import LayerStack

    cfg = load_config(config)
    stack = LayerStack.from_config(cfg)
    coverage = stack.check_coverage()
    grid = stack.grid
    epsg = grid.crs.to_epsg()
    area_km2 = float((grid.cell_area() * grid.width).sum()) / 1e6
    click.echo(f"Config      {config}  (hash {cfg.hash})")
    click.echo(f"Grid        {'EPSG:' + str(epsg) if epsg else grid.crs.to_string()}, "
               f"{grid.res[0]:g} × {grid.res[1]:g}, {grid.height} rows × {grid.width} cols "
               f"({grid.size / 1e6:.2f} Mpix, {area_km2:,.1f} km²)")
    click.echo(f"Bounds      {tuple(round(v, 3) for v in grid.bounds)}")
    if stack.study_area is not None:
        n = len(stack.study_area.districts)
        click.echo(f"Study area  {n} districts from {cfg.study_area.path.name}")  # type: ignore[union-attr]
    click.echo(f"Executor    {cfg.run.executor}, tiles of {cfg.run.tile_size} "
               f"({grid.tile_count(cfg.run.tile_size)} tiles)")
    click.echo("")
    rows = [("layer", "source", "crs", "resolution", "kind", "units", "coverage", "provides")]
    for name, source in stack.sources.items():
        facts = source.describe()
        res = facts["res"]
        share = coverage[name]
        rows.append((
            name,
            f"{facts['source']}: {source.spec.path.name}",
            facts["crs"],
            "-" if res is None else f"{res[0]:.6g} × {res[1]:.6g}",
            source.spec.kind,
            source.spec.units or "-",
            "touches" if share is None else f"{share:.1%}",
            source.spec.provides,
        ))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        click.echo("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            click.echo("  ".join("-" * w for w in widths))


def main() -> None:
    """Entry point of the ``aez`` console script."""
    cli(obj={})


if __name__ == "__main__":  # pragma: no cover
    main()
