"""``aez evaluate-units UNITS --crop ID … -o OUT``: land evaluation of a land-unit table."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import click

from aez.cli._app import cli

log = logging.getLogger(__name__)

_TABLES = (".csv", ".xlsx", ".xls")


@cli.command("evaluate-units")
@click.argument("units", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--crop", "crops", multiple=True, required=True,
              help="Crop id (see `aez crops list`) or path of a .toml table; repeatable.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Result table: .csv, or .gpkg when UNITS is a vector file.")
@click.option("--layer", help="Layer of a multi-layer vector file.")
@click.option("--aggregate", type=click.Choice(["minimum", "geometric_mean", "square_root"]),
              default="minimum", show_default=True, help="How characteristic indices combine.")
@click.option("--crop-dir", "crop_dirs", multiple=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder of user crop tables (same id overrides a built-in one).")
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists.")
def evaluate_units_command(units: Path, crops: tuple[str, ...], output: Path, layer: str | None,
                           aggregate: str, crop_dirs: tuple[Path, ...], overwrite: bool) -> None:
    """Evaluate every land unit (row) of UNITS for each --crop.

    UNITS is a CSV/XLSX table or a vector file (GPKG, SHP …) with one row per
    land unit and columns named by characteristic id (ph_h2o, drainage,
    slope …). OUTPUT gets <crop>_class, <crop>_subclass, <crop>_index and
    <crop>_potential columns.
    """
    import pandas as pd

    from aez.crops import load_crops
    from aez.errors import ConfigError
    from aez.evaluate import evaluate_units
    from aez.io import read_table, read_vector
    from aez.io.atomic import atomic_output, check_output_path
    from aez.io.csv_table import write_csv

    out_suffix = output.suffix.lower()
    is_table = units.suffix.lower() in _TABLES
    if out_suffix not in (".csv", ".gpkg"):
        raise ConfigError(f"Output {output.name!r}: use a .csv or .gpkg file name.")
    if out_suffix == ".gpkg" and is_table:
        raise ConfigError(f"{units.name} has no geometries, so the result cannot be a "
                          "GeoPackage. Write a .csv instead.")
    check_output_path(output, overwrite=overwrite, inputs=[units])
    frame = read_table(units) if is_table else read_vector(units, layer=layer)
    requirements = load_crops(crops, crop_dirs=crop_dirs)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = evaluate_units(frame, requirements, aggregate=aggregate)  # type: ignore[arg-type]
    for w in caught:
        click.secho(f"Warning: {w.message}", err=True, fg="yellow")
    if out_suffix == ".gpkg":
        with atomic_output(output, overwrite=overwrite, inputs=[units]) as tmp:
            result.to_file(tmp, driver="GPKG", layer=output.stem)
    else:
        write_csv(pd.DataFrame(result.drop(columns="geometry", errors="ignore")), output,
                  overwrite=overwrite, inputs=[units])
    counts = ", ".join(
        f"{crop.id}: " + " ".join(f"{label} {n}" for label, n in
                                  result[f"{crop.id}_class"].value_counts().sort_index().items())
        for crop in requirements
    )
    click.echo(f"Evaluated {len(result)} land units → {output} ({counts})")
