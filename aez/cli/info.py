"""``aez info CONFIG``: check a run config and every input; print the grid and the layers.

The coverage column is the share of the study area a layer's extent covers; the values
column the share of its cells that hold a value (nodata left out), from a full pass over the
layer, which also refuses impossible values (:mod:`aez.pipeline.values`).
"""

from __future__ import annotations

from pathlib import Path

import click

from aez.cli._app import cli


@cli.command()
@click.argument("config", type=click.Path(dir_okay=False, path_type=Path))
def info(config: Path) -> None:
    """Check CONFIG and all its inputs; print the grid and the layers."""
    from aez.config import load_config
    from aez.executor import gdal_cache
    from aez.harmonize import LayerStack
    from aez.pipeline.values import check_values, scan_values

    cfg = load_config(config)
    stack = LayerStack.from_config(cfg)
    coverage = stack.check_coverage()
    with gdal_cache(cfg.run.gdal_cache_mb):  # every cell of every layer
        values = scan_values(stack, tile_size=cfg.run.tile_size, executor=cfg.run.executor,
                             workers=cfg.run.workers, scheduler=cfg.run.scheduler)
    check_values(stack, values)
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
        click.echo(f"Study area  {n} kecamatan from {cfg.study_area.path.name}")  # type: ignore[union-attr]
    click.echo(f"Executor    {cfg.run.executor}, tiles of {cfg.run.tile_size} "
               f"({grid.tile_count(cfg.run.tile_size)} tiles)")
    click.echo("")
    rows = [("layer", "source", "crs", "resolution", "kind", "units", "coverage", "values",
             "provides")]
    grid_crs = f"EPSG:{epsg}" if epsg else grid.crs.to_string()
    for name in stack.names:
        if name in stack.derived:
            spec = stack.derived[name]
            res = spec.resolution or max(grid.res)
            share = coverage[name]
            rows.append((name, f"derived: {spec.describe()}", grid_crs, f"{res:.6g} × {res:.6g}",
                         spec.kind, spec.units or "-",
                         "touches" if share is None else f"{share:.1%}", "-", spec.provides))
            continue
        source = stack.sources[name]
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
            _with_values(values[name]),
            source.spec.provides,
        ))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        click.echo("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            click.echo("  ".join("-" * w for w in widths))


def _with_values(stats: object) -> str:
    """Share of the study area's cells where a layer has a value (nodata excluded)."""
    cells, valid = getattr(stats, "cells", 0), getattr(stats, "valid", 0)
    return f"{valid / cells:.1%}" if cells else "-"
