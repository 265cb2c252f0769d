"""``aez demo OUTDIR``: write the synthetic demo kabupaten and a ready run config."""

from __future__ import annotations

import time
from pathlib import Path

import click

from aez.cli._app import cli
from aez.words import DEFAULT_LANGUAGE, LANGUAGES, Language


@cli.command()
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", type=click.IntRange(min=0), default=None,
              help="Random seed (default 42); the same seed gives the same files.")
@click.option("--resolution", type=float, default=50.0, show_default=True,
              help="Cell size of the rasters (m).")
@click.option("--size", type=click.Choice(["small", "medium", "large"]), default="medium",
              show_default=True, help="About 20 × 15, 60 × 45 or 120 × 90 km.")
@click.option("--boundary", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="Generate inside these kecamatan polygons (any CRS).")
@click.option("--id-column", default=None,
              help="Kecamatan code column of --boundary (required with it).")
@click.option("--name-column", default=None, help="Kecamatan name column of --boundary.")
@click.option("--region", "region_name", default=None,
              help="Name of the region on maps and in the report ([output] region), e.g. "
                   "\"Provinsi Jawa Tengah\"; default: the kecamatan codes of --boundary.")
@click.option("--preview", is_flag=True, help="Also draw preview.png, an overview map.")
@click.option("--overwrite", is_flag=True, help="Replace files of an earlier run in OUTDIR.")
@click.option("--lang", type=click.Choice(LANGUAGES), default=DEFAULT_LANGUAGE, show_default=True,
              help="Language of preview.png (as `aez run`).")
def demo(outdir: Path, seed: int | None, resolution: float, size: str, boundary: Path | None,
         id_column: str | None, name_column: str | None, region_name: str | None,
         preview: bool, overwrite: bool, lang: Language) -> None:
    """Write a synthetic kabupaten (not real data) and its run config into OUTDIR."""
    from aez.demo import DEFAULT_SEED, write_demo_region

    start = time.perf_counter()
    config = write_demo_region(
        outdir, seed=DEFAULT_SEED if seed is None else seed, resolution=resolution, size=size,
        boundary=boundary, id_column=id_column, name_column=name_column, preview=preview,
        overwrite=overwrite, region_name=region_name, lang=lang,
    )
    elapsed = time.perf_counter() - start
    files = sum(1 for p in Path(outdir).rglob("*") if p.is_file())
    click.echo(f"Wrote a synthetic demo region ({files} files) to {outdir} in {elapsed:.1f} s.")
    click.echo(f"Run config: {config}  (check it with: aez info {config})")
